"""Tracing figures for the reports States owe: the PoA/ITI national report and UNODC.

States report every two years on their implementation of the Programme of
Action and of the International Tracing Instrument (ITI para. 36), including
their experience of tracing: requests sent and received, answers, outcomes
and response times. UNODC's illicit arms flows questionnaire (IAFQ, yearly
since 2018; https://www.unodc.org/unodc/en/firearms-protocol/development-of-tools.html)
asks for tracing results too. :func:`national_report` computes those figures
from the register, counting an item traced through several States once, and
fills them into a document.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._validation import as_date, check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ..indicators.survival import KM_ESTIMATOR, product_limit, survival_quantile
from ..requests import trace_chains
from ..requests.words import LANGUAGES, Words
from ..schema import VOCABULARIES
from .marking import _marking

__all__ = ["national_report", "NationalReport", "FIGURES", "TIMES"]

#: the rows of :attr:`NationalReport.figures`, in order.
FIGURES = (
    "requests",
    "items",
    "acknowledged",
    "answered",
    "unanswered",
    "items_traced",
    "follow_ups",
)

#: the rows of :attr:`NationalReport.response_times`, in order.
TIMES = ("median_days_to_acknowledge", "median_days_to_answer", "p90_days_to_answer")

_TRACED = ("traced", "partially_traced")


@dataclass
class NationalReport:
    """Tracing figures of one State for one reporting period.

    Attributes
    ----------
    state : str
        The reporting State (ISO3).
    start, end : int
        First and last calendar year of the period.
    figures : DataFrame
        Index :data:`FIGURES`; columns ``sent`` (requests the State sent) and
        ``received`` (requests addressed to it). ``unanswered`` counts the
        requests still without an answer on ``as_of``.
    response_times : DataFrame
        Index :data:`TIMES`: Kaplan–Meier days to acknowledge and to answer,
        in which requests still open on ``as_of`` are censored (see
        :func:`national_report`); ``sent`` and ``received``.
    outcomes : DataFrame
        Index the ``traces.outcome`` vocabulary; ``sent`` and ``received``.
    iafq_tracing : DataFrame
        Requests sent, by requested party (``name_parties=True``) or by type
        of party: ``requests``, ``answered``, ``successful`` (traced fully or
        partly).
    iafq_origin : DataFrame
        Items traced (chains counted once) by ``country_of_manufacture`` and
        ``last_legal_import`` (the last legal country the trace found, else
        the import marking).
    marking : DataFrame
        :func:`~iti_analytics.reports.marking_compliance` of the weapons the
        State recovered in the period, by year.
    """

    state: str
    start: int
    end: int
    figures: pd.DataFrame
    response_times: pd.DataFrame
    outcomes: pd.DataFrame
    iafq_tracing: pd.DataFrame
    iafq_origin: pd.DataFrame
    marking: pd.DataFrame
    as_of: pd.Timestamp | None = None
    audience: str = "shareable"
    notes: list[str] = field(default_factory=list)

    def write(self, path: str | os.PathLike[str], *, language: str = "en") -> Path:
        """Write the filled-in report as a PDF in ``language`` (en, fr, es)."""
        from ._document import write_report

        check_option("language", language, LANGUAGES)
        return write_report(self, Path(path), Words(language))

    def to_markdown(self, *, language: str = "en") -> str:
        """The report as Markdown text (tables as pipe tables)."""
        check_option("language", language, LANGUAGES)
        w = Words(language)
        parts = [
            f"# {w('rep.title')}",
            "",
            w(
                "rep.subtitle",
                state=w.country(self.state),
                start=self.start,
                end=self.end,
            ),
            "",
        ]
        for key, frame in (
            ("rep.sec.figures", self.figures),
            ("rep.sec.outcomes", self.outcomes),
            ("rep.sec.times", self.response_times),
            ("rep.sec.iafq", self.iafq_tracing),
            ("rep.sec.origin", self.iafq_origin),
            ("rep.sec.marking", self.marking),
        ):
            parts += [f"## {w(key)}", "", _pipe_table(frame), ""]
        parts.append(w("rep.method", as_of=w.date(self.as_of)))
        return "\n".join(parts)


def _pipe_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(none)"
    flat = frame.reset_index() if frame.index.name else frame
    head = "| " + " | ".join(str(c) for c in flat.columns) + " |"
    rule = "|" + "|".join("---" for _ in flat.columns) + "|"
    rows = [
        "| " + " | ".join("–" if pd.isna(v) else str(v) for v in row) + " |"
        for row in flat.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])


def national_report(
    ds: Any,
    year: int,
    *,
    state: str | None = None,
    years: int = 2,
    as_of: Any = None,
    name_parties: bool = False,
) -> NationalReport:
    """Tracing figures for the biennial PoA/ITI national report and the UNODC IAFQ.

    Parameters
    ----------
    ds : Dataset
        ``traces`` (the register) and ``items``.
    year : int
        Last year of the reporting period.
    state : str, optional
        The reporting State (ISO3). Default: the State that sent the most
        requests in the register.
    years : int, default 2
        Length of the period in calendar years (2: the biennial report; 1:
        the yearly IAFQ).
    as_of : date, optional
        The date the register is read at. Default: its latest date (sent,
        acknowledged or answered). Acknowledgements and answers dated after
        ``as_of`` have not happened yet; requests sent after it are left out.
    name_parties : bool, default False
        Show the requests and answers of each requested party (the IAFQ
        table by country). By default the table is by type of party (State,
        manufacturer …) and the document is marked shareable: the seed warns
        that naming States that do not answer works against cooperation.
        With ``True`` the document is marked restricted.

    Returns
    -------
    NationalReport
        DataFrames of figures (see :class:`NationalReport`); ``.write(path,
        language=...)`` fills them into a PDF, ``.to_markdown()`` into text.

    Notes
    -----
    A request belongs to the period when it was *sent* in it (drafts are not
    counted). Acknowledged means acknowledged or answered. ``items_traced``
    counts distinct items whose chain of requests (a request and its
    follow-ups, begun in the period) ended traced fully or partly, so an item
    traced through several States counts once; every request of the chain
    counts in ``requests``.

    Response times are Kaplan–Meier (product-limit) estimates
    (:func:`~iti_analytics.indicators.survival.product_limit`). A request
    still unanswered on ``as_of`` is not dropped: it says "no answer after
    ``as_of − sent_on`` days" and is censored there. A median taken over the
    answered requests alone would be too short (the slow answers are exactly
    the ones still missing). The median is the first day by which half the
    requests are estimated to be answered; it is NA when more than half are
    still open (not reached), never the longest wait seen. ``figures`` gives
    the count still ``unanswered`` next to it, so a reader sees how many
    requests the estimate rests on.

    Examples
    --------
    >>> import pandas as pd
    >>> tr = pd.DataFrame({"trace_id": ["T1", "T2", "T3"],
    ...     "record_id": ["r1", "r1", "r2"],
    ...     "requesting_country": ["NER", "NER", "BEL"],
    ...     "requested_party": ["BGR", "NGA", "NER"],
    ...     "sent_on": ["2023-01-10", "2023-03-01", "2024-05-01"],
    ...     "responded_on": ["2023-02-01", "2023-05-01", None],
    ...     "status": ["responded", "responded", "sent"],
    ...     "outcome": ["partially_traced", "traced", "pending"],
    ...     "follow_up_of": [None, "T1", None], "next_party": ["NGA", None, None]})
    >>> rep = national_report(tr, 2024, state="NER")
    >>> rep.figures.loc[["requests", "answered", "unanswered", "items_traced"]]
                  sent  received
    figure
    requests         2         1
    answered         2         0
    unanswered       0         1
    items_traced     1         0
    >>> rep.response_times.loc["median_days_to_answer"].tolist()
    [22.0, <NA>]
    """
    ds = as_dataset(ds)
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidParameterError(
            f"`year` must be a calendar year such as 2024, but {year!r} was passed."
        )
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise InvalidParameterError(
            f"`years` must be a whole number of years (1 or more), but {years!r} "
            "was passed."
        )
    traces = ds.traces
    if as_of is None:
        latest = traces[["sent_on", "acknowledged_on", "responded_on"]].max().max()
        as_of = pd.Timestamp(latest) if pd.notna(latest) else pd.Timestamp(year, 12, 31)
    as_of = as_date(as_of)
    # what the register knew on as_of: later events have not happened yet
    traces = traces[~(traces["sent_on"] > as_of).fillna(False)].assign(
        acknowledged_on=traces["acknowledged_on"].where(
            traces["acknowledged_on"] <= as_of
        ),
        responded_on=traces["responded_on"].where(traces["responded_on"] <= as_of),
    )
    if state is None:
        counts = traces["requesting_country"].dropna().value_counts()
        if counts.empty:
            raise InvalidParameterError(
                "No request in the register names its requesting State; pass "
                "state=<ISO3 of the reporting State>."
            )
        state = str(counts.index[0])
    start = year - years + 1
    sent_year = traces["sent_on"].dt.year
    in_period = sent_year.between(start, year).fillna(False)
    sent = traces[in_period & (traces["requesting_country"] == state).fillna(False)]
    received = traces[in_period & (traces["requested_party"] == state).fillna(False)]
    chains = trace_chains({"items": ds.items, "traces": traces})
    chain_in = chains["first_sent_on"].dt.year.between(start, year).fillna(False)
    sent_chains = chains[
        chain_in & (chains["requesting_country"] == state).fillna(False)
    ]
    # a request received is one step for the reporting State: items count once
    received_traced = received[received["outcome"].isin(_TRACED).fillna(False)]
    figures = pd.DataFrame(
        {
            "sent": _counts(
                sent, sent_chains.loc[sent_chains["traced"], "record_id"].nunique()
            ),
            "received": _counts(received, received_traced["record_id"].nunique()),
        },
        index=pd.Index(FIGURES, name="figure"),
        dtype="Int64",
    )
    times = pd.DataFrame(
        {"sent": _times(sent, as_of), "received": _times(received, as_of)},
        index=pd.Index(TIMES, name="figure"),
        dtype="Float64",
    )
    times.attrs["estimator"] = KM_ESTIMATOR
    outcomes = pd.DataFrame(
        {
            "sent": sent["outcome"].value_counts(),
            "received": received["outcome"].value_counts(),
        }
    ).reindex(VOCABULARIES[("traces", "outcome")])
    outcomes = outcomes.fillna(0).astype("Int64")
    outcomes.index.name = "outcome"
    iafq = (
        sent.assign(
            answered=sent["responded_on"].notna(),
            successful=sent["outcome"].isin(_TRACED).fillna(False),
        )
        .groupby("requested_party" if name_parties else "party_type", dropna=False)
        .agg(
            requests=("trace_id", "size"),
            answered=("answered", "sum"),
            successful=("successful", "sum"),
        )
        .astype("Int64")
        .sort_values(["requests", "successful"], ascending=False)
    )
    origin = _origin(sent_chains[sent_chains["traced"]], ds.items)
    items = ds.items
    own = items[(items["country"] == state).fillna(False)]
    own = own[own["seized_on"].dt.year.between(start, year).fillna(False)]
    marking = _marking(own, ["year"])
    return NationalReport(
        state=state,
        start=start,
        end=year,
        figures=figures,
        response_times=times,
        outcomes=outcomes,
        iafq_tracing=iafq,
        iafq_origin=origin,
        marking=marking,
        as_of=as_of,
        audience="restricted" if name_parties else "shareable",
    )


def _counts(requests: pd.DataFrame, items_traced: int) -> list[int]:
    answered = requests["responded_on"].notna()
    acknowledged = requests["acknowledged_on"].notna() | answered
    return [
        len(requests),
        int(requests["record_id"].nunique()),
        int(acknowledged.sum()),
        int(answered.sum()),
        int((~answered).sum()),
        int(items_traced),
        int(requests["follow_up_of"].notna().sum()),
    ]


def _times(requests: pd.DataFrame, as_of: pd.Timestamp) -> list:
    """Kaplan–Meier median days to acknowledge, median and p90 days to answer.

    Events after ``as_of`` are already masked by the caller. A request still
    waiting is censored at ``as_of − sent_on``; a request without a sent
    date, or answered before it was sent (a typo), says nothing and is left
    out.
    """
    sent = requests["sent_on"]
    answer = requests["responded_on"]
    ack = pd.concat([requests["acknowledged_on"], answer], axis=1).min(axis=1)
    open_days = (as_of - sent).dt.days
    out = []
    for event, quantiles in ((ack, (0.5,)), (answer, (0.5, 0.9))):
        days = (event - sent).dt.days.where(event.notna(), open_days)
        usable = (days.notna() & (days >= 0)).to_numpy()
        if not usable.any():
            out += [pd.NA] * len(quantiles)
            continue
        curve = product_limit(
            days.to_numpy(dtype=float, na_value=0)[usable],
            event.notna().to_numpy()[usable],
        )
        out += [survival_quantile(curve, q).iloc[0] for q in quantiles]
    return out


def _origin(chains: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Traced items by country of manufacture and of last legal import."""
    info = items.drop_duplicates("record_id").set_index("record_id")
    rid = chains["record_id"]
    com = info["country_of_manufacture"].reindex(rid).to_numpy()
    marked = info["import_country"].reindex(rid).to_numpy()
    last = chains["last_legal_country"].astype("string")
    frame = pd.DataFrame(
        {
            "country_of_manufacture": pd.array(com, dtype="string"),
            "last_legal_import": last.fillna(
                pd.Series(marked, index=chains.index, dtype="string")
            ).to_numpy(),
        }
    )
    if frame.empty:
        return pd.DataFrame(
            columns=["country_of_manufacture", "last_legal_import", "items"]
        )
    out = (
        frame.groupby(["country_of_manufacture", "last_legal_import"], dropna=False)
        .size()
        .rename("items")
        .astype("Int64")
        .reset_index()
        .sort_values("items", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return out
