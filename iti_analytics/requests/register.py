"""The register of trace requests: acknowledgements, answers, follow-ups and reminders.

The register *is* the canonical ``traces`` table: one row per request, with
the request's text kept in extra columns (``x_<name>`` inside a Dataset). So a
register goes into a Dataset, to Parquet and back without loss, and every
indicator of the package reads it as it reads any traces table.

A trace often takes several steps: the State of manufacture answers that the
item was exported to State B; the follow-up request to B is built from that
answer (``next_party``) and points back to it (``follow_up_of``). The steps of
one item form a *chain*, counted once when items traced are counted
(:func:`trace_chains`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ..schema import VOCABULARIES, columns, conform
from .build import EXTRA_COLUMNS, REQUEST_COLUMNS, _build, _date
from .words import LANGUAGES, Words

__all__ = [
    "register",
    "to_traces",
    "record_sent",
    "record_acknowledgement",
    "record_answer",
    "follow_up",
    "trace_chains",
    "reminders",
    "STAGES",
]

#: what a request's stage means, from its status and outcome.
STAGES = (
    "draft",
    "sent",
    "acknowledged",
    "traced",
    "partially traced",
    "not traced",
    "not found",
    "records unavailable",
    "refused",
    "incomplete request",
    "no response",
    "withdrawn",
)

_OUTCOME_STAGE = {
    "traced": "traced",
    "partially_traced": "partially traced",
    "not_traced": "not traced",
    "record_not_found": "not found",
    "records_unavailable": "records unavailable",
    "refused": "refused",
    "incomplete_request": "incomplete request",
}

#: outcomes that say something was found: the item is (partly) traced.
TRACED_OUTCOMES = ("traced", "partially_traced")


def _requests_of(traces: pd.DataFrame) -> pd.DataFrame:
    """Canonical traces → register rows: ``x_<name>`` request columns restored."""
    out = traces.copy()
    renames = {f"x_{c}": c for c in EXTRA_COLUMNS if f"x_{c}" in out.columns}
    out = out.rename(columns=renames)
    for col in EXTRA_COLUMNS:
        if col not in out.columns:
            dtype = "boolean" if col == "complete" else "string"
            if col in ("p_success", "expected_days"):
                dtype = "Float64"
            if col in ("year_of_manufacture", "import_year"):
                dtype = "Int64"
            if col == "seized_on":
                dtype = "datetime64[s]"
            out[col] = pd.Series(pd.NA, index=out.index, dtype=dtype)
    rest = [c for c in out.columns if c not in REQUEST_COLUMNS]
    return out[REQUEST_COLUMNS + rest]


def to_traces(requests: Any) -> pd.DataFrame:
    """The canonical ``traces`` table of requests (request text as ``x_`` columns).

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "record_id": ["r1"],
    ...                     "status": ["sent"], "language": ["fr"]})
    >>> to_traces(reg)[["trace_id", "status", "x_language"]]
      trace_id status x_language
    0       T1   sent         fr
    """
    return as_dataset(requests, name="requests").traces


def register(ds: Any) -> pd.DataFrame:
    """The register: every request with its stage and its place in a chain.

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (its ``traces``) or a register / traces DataFrame.

    Returns
    -------
    DataFrame
        :data:`~iti_analytics.requests.REQUEST_COLUMNS`, then ``stage`` (one
        of :data:`STAGES`), ``chain_id`` (the first request of the item's
        chain of follow-ups) and ``step`` (1 for the first request).

    Examples
    --------
    >>> import pandas as pd
    >>> tr = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r1"],
    ...     "status": ["responded", "sent"],
    ...     "outcome": ["partially_traced", "pending"],
    ...     "follow_up_of": [None, "T1"]})
    >>> register(tr)[["trace_id", "stage", "chain_id", "step"]]
      trace_id             stage chain_id  step
    0       T1  partially traced       T1     1
    1       T2              sent       T1     2
    """
    ds = as_dataset(ds)
    return _with_stage(_requests_of(ds.traces))


def _with_stage(reg: pd.DataFrame) -> pd.DataFrame:
    reg = reg.copy()
    status = reg["status"].astype("string")
    outcome = reg["outcome"].astype("string")
    stage = outcome.map(_OUTCOME_STAGE).astype("string")
    open_stage = status.where(status.isin(["draft", "sent", "acknowledged"]))
    open_stage = open_stage.fillna(
        status.map({"no_response": "no response", "withdrawn": "withdrawn"})
    )
    stage = stage.where(
        ~status.isin(["no_response", "withdrawn", "draft"]).fillna(False), open_stage
    )
    stage = stage.fillna(open_stage).fillna(
        reg["responded_on"].notna().map({True: "not traced", False: "sent"})
    )
    reg["stage"] = stage.astype("string")
    chain, step = _chains(reg["trace_id"], reg["follow_up_of"])
    reg["chain_id"] = pd.array(chain, dtype="string")
    reg["step"] = pd.array(step, dtype="Int64")
    return reg


def _chains(trace_id: pd.Series, parent: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Root request and step of each request, following ``follow_up_of`` links."""
    ids = trace_id.astype("string").to_numpy(dtype=object, na_value=None)
    up = dict(
        zip(
            ids,
            parent.astype("string").to_numpy(dtype=object, na_value=None),
            strict=True,
        )
    )
    root = np.array(ids, dtype=object)
    step = np.ones(len(ids), dtype=np.int64)
    current = np.array([up.get(t) for t in ids], dtype=object)
    # walk up one level per pass, all rows at once; a cycle stops at len(ids)
    for _ in range(len(ids)):
        known = np.array([c is not None and c in up for c in current], dtype=bool)
        if not known.any():
            break
        root[known] = current[known]
        step[known] += 1
        current = np.array(
            [up.get(c) if k else None for c, k in zip(current, known, strict=True)],
            dtype=object,
        )
    return root, step


def _one(reg: pd.DataFrame, trace_id: str) -> int:
    hits = np.flatnonzero((reg["trace_id"] == trace_id).fillna(False).to_numpy())
    if len(hits) == 0:
        raise InvalidParameterError(
            f"trace_id {trace_id!r} is not in the register; pass one of its "
            "`trace_id` values (see iti.register(ds))."
        )
    return int(hits[0])


def _append_history(old: Any, day: pd.Timestamp, event: str) -> str:
    entry = f"{day:%Y-%m-%d} {event}"
    return entry if pd.isna(old) or not str(old) else f"{old}; {entry}"


def record_sent(ds: Any, trace_ids: str | list[str], *, on: Any) -> pd.DataFrame:
    """Record that draft requests were sent.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register.
    trace_ids : str or list of str
        The requests sent.
    on : date
        Date they were sent.

    Returns
    -------
    DataFrame
        A new register.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "status": ["draft"],
    ...                     "status_history": ["2024-01-08 draft"]})
    >>> reg = record_sent(reg, "T1", on="2024-01-10")
    >>> reg.loc[0, ["status", "status_history"]].tolist()
    ['sent', '2024-01-08 draft; 2024-01-10 sent']
    """
    ds = as_dataset(ds)
    reg = _requests_of(ds.traces)
    day = _date(on, "on")
    col = reg.columns.get_loc
    for trace_id in [trace_ids] if isinstance(trace_ids, str) else list(trace_ids):
        pos = _one(reg, trace_id)
        reg.iloc[pos, col("sent_on")] = day
        reg.iloc[pos, col("status")] = "sent"
        reg.iloc[pos, col("status_history")] = _append_history(
            reg.iloc[pos, col("status_history")], day, "sent"
        )
    return reg


def _check_sent(reg: pd.DataFrame, pos: int, trace_id: str) -> None:
    if pd.isna(reg.iloc[pos, reg.columns.get_loc("sent_on")]):
        raise InvalidParameterError(
            f"Request {trace_id!r} has not been sent (no `sent_on`); record it "
            "as sent first with iti.record_sent(register, trace_id, on=...)."
        )


def record_acknowledgement(ds: Any, trace_id: str, *, on: Any) -> pd.DataFrame:
    """Record that the requested party acknowledged receipt of a request.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register (or a Dataset whose ``traces`` are the register).
    trace_id : str
        The request acknowledged.
    on : date
        Date of the acknowledgement.

    Returns
    -------
    DataFrame
        A new register (the caller's is not modified).

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "status": ["sent"],
    ...                     "sent_on": ["2024-01-10"],
    ...                     "status_history": ["2024-01-10 sent"]})
    >>> reg = record_acknowledgement(reg, "T1", on="2024-01-20")
    >>> reg.loc[0, ["status", "status_history"]].tolist()
    ['acknowledged', '2024-01-10 sent; 2024-01-20 acknowledged']
    """
    ds = as_dataset(ds)
    reg = _requests_of(ds.traces)
    pos = _one(reg, trace_id)
    _check_sent(reg, pos, trace_id)
    day = _date(on, "on")
    col = reg.columns.get_loc
    reg.iloc[pos, col("acknowledged_on")] = day
    if reg.iloc[pos, col("status")] in ("draft", "sent"):
        reg.iloc[pos, col("status")] = "acknowledged"
    reg.iloc[pos, col("status_history")] = _append_history(
        reg.iloc[pos, col("status_history")], day, "acknowledged"
    )
    return reg


def record_answer(
    ds: Any,
    trace_id: str,
    *,
    on: Any,
    outcome: str,
    next_party: str | None = None,
    last_legal_holder: str | None = None,
    last_legal_country: str | None = None,
    diversion_country: str | None = None,
    diversion_year: int | None = None,
    diversion_mode: str | None = None,
) -> pd.DataFrame:
    """Record the requested party's answer to a request.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register.
    trace_id : str
        The request answered.
    on : date
        Date of the answer (an answer also counts as an acknowledgement).
    outcome : str
        One of the ``traces.outcome`` vocabulary: ``traced``,
        ``partially_traced``, ``not_traced``, ``record_not_found``,
        ``records_unavailable``, ``refused``, ``incomplete_request``.
    next_party : str, optional
        When the answer says the item was exported (or transferred) to
        another State: that State (ISO3) or party. :func:`follow_up` builds
        the next request from it. The outcome is then usually
        ``partially_traced``.
    last_legal_holder, last_legal_country, diversion_country, diversion_year,
    diversion_mode : optional
        What the answer establishes (canonical ``traces`` columns).

    Returns
    -------
    DataFrame
        A new register.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "record_id": ["r1"],
    ...                     "status": ["sent"], "sent_on": ["2024-01-10"]})
    >>> reg = record_answer(reg, "T1", on="2024-03-01", outcome="partially_traced",
    ...                     next_party="NGA", last_legal_country="NGA")
    >>> reg.loc[0, ["status", "outcome", "next_party"]].tolist()
    ['responded', 'partially_traced', 'NGA']
    >>> reg.loc[0, "status_history"]
    '2024-03-01 answered: partially_traced (next: NGA)'
    """
    ds = as_dataset(ds)
    check_option(
        "outcome",
        outcome,
        [o for o in VOCABULARIES[("traces", "outcome")] if o != "pending"],
    )
    if diversion_mode is not None:
        check_option(
            "diversion_mode", diversion_mode, VOCABULARIES[("traces", "diversion_mode")]
        )
    reg = _requests_of(ds.traces)
    pos = _one(reg, trace_id)
    _check_sent(reg, pos, trace_id)
    day = _date(on, "on")
    col = reg.columns.get_loc
    reg.iloc[pos, col("responded_on")] = day
    if pd.isna(reg.iloc[pos, col("acknowledged_on")]):
        reg.iloc[pos, col("acknowledged_on")] = day
    reg.iloc[pos, col("status")] = "responded"
    reg.iloc[pos, col("outcome")] = outcome
    values = {
        "next_party": next_party,
        "last_legal_holder": last_legal_holder,
        "last_legal_country": last_legal_country,
        "diversion_country": diversion_country,
        "diversion_year": diversion_year,
        "diversion_mode": diversion_mode,
    }
    for name, value in values.items():
        if value is not None:
            reg.iloc[pos, col(name)] = value
    event = f"answered: {outcome}" + (f" (next: {next_party})" if next_party else "")
    reg.iloc[pos, col("status_history")] = _append_history(
        reg.iloc[pos, col("status_history")], day, event
    )
    return reg


def follow_up(
    ds: Any,
    *,
    language: str | None = None,
    on: Any = None,
    sent_on: Any = None,
    legal_basis: str | None = None,
    intended_use: str | None = None,
    confidentiality: str | None = None,
) -> pd.DataFrame:
    """The follow-up requests that answers naming a ``next_party`` call for.

    For every answered request whose answer names where the item went next
    (``next_party``) and that no request follows up yet, one new request to
    that party about the same item, from the same requesting State, with
    ``follow_up_of`` set to the answered request.

    Parameters
    ----------
    ds : Dataset
        ``items`` (the items' markings) and ``traces`` (the register).
    language : {"en", "fr", "es"}, optional
        Default: the language of the request followed up.
    on, sent_on, legal_basis, intended_use, confidentiality
        As in :func:`~iti_analytics.requests.trace_request`.

    Returns
    -------
    DataFrame
        New requests (register rows); ``pd.concat([register, new])`` adds them.

    Examples
    --------
    >>> import iti_analytics as iti
    >>> items = pd.DataFrame({"record_id": ["r1"], "item_kind": "weapon",
    ...     "category": "assault_rifle", "calibre": "7.62x39mm", "make": "Arsenal",
    ...     "serial": "123", "serial_status": "intact",
    ...     "country_of_manufacture": "BGR"})
    >>> req = iti.trace_request(items, "r1", requesting_state="NER",
    ...                         on="2024-01-10", sent_on="2024-01-10")
    >>> reg = iti.record_answer({"items": items, "traces": req}, req.trace_id[0],
    ...     on="2024-02-01", outcome="partially_traced", next_party="NGA")
    >>> new = iti.follow_up({"items": items, "traces": reg}, on="2024-02-05")
    >>> new[["trace_id", "requested_party", "follow_up_of"]]
            trace_id requested_party   follow_up_of
    0  NER-2024-0002             NGA  NER-2024-0001
    """
    ds = as_dataset(ds)
    reg = _requests_of(ds.traces)
    if language is not None:
        check_option("language", language, LANGUAGES)
    answered = reg[reg["next_party"].notna() & reg["responded_on"].notna()]
    done = set(reg["follow_up_of"].dropna())
    todo = answered[~answered["trace_id"].isin(done)]
    if todo.empty:
        return _requests_of(conform(pd.DataFrame(), "traces"))
    parts = []
    keys = ["requesting_country", "language"]
    todo = todo.assign(
        language=todo["language"].fillna("en") if language is None else language
    )
    for (state, lang), group in todo.groupby(keys, sort=False, dropna=False):
        built = _build(
            ds.items,
            pd.concat([ds.traces, *[conform(p, "traces") for p in parts]]),
            list(group["record_id"]),
            requesting_state=state,
            requested_party=dict(
                zip(group["record_id"], group["next_party"], strict=True)
            ),
            language=lang,
            channel=None,
            legal_basis=legal_basis,
            intended_use=intended_use,
            confidentiality=confidentiality,
            photos=None,
            other_marks=None,
            on=on,
            sent_on=sent_on,
            follow_up_of=dict(zip(group["record_id"], group["trace_id"], strict=True)),
            infer=True,
        )
        w = Words(lang)
        built["party_basis"] = w("basis.answer")
        _carry_over(built, group, given=(legal_basis, intended_use, confidentiality))
        parts.append(built)
    return pd.concat(parts, ignore_index=True)


def _carry_over(
    built: pd.DataFrame, parents: pd.DataFrame, *, given: tuple[Any, ...]
) -> None:
    """Keep what the request followed up said: photos, marks, and its texts.

    Photos and other marks carry over as they are; the legal basis, intended
    use and confidentiality carry over when the caller gave none and the
    parent request is in the same language.
    """
    from .build import _missing_elements

    parent = parents.set_index("record_id")
    rid = built["record_id"]
    for col in ("photos", "other_marks"):
        built[col] = built[col].fillna(
            pd.Series(parent[col].reindex(rid).to_numpy(), index=built.index)
        )
    same = parent["language"].reindex(rid).to_numpy(dtype=object) == built[
        "language"
    ].to_numpy(dtype=object)
    for col, value in zip(
        ("legal_basis", "intended_use", "confidentiality"), given, strict=True
    ):
        if value is not None:
            continue
        old = pd.Series(parent[col].reindex(rid).to_numpy(), index=built.index)
        keep = same & old.notna().to_numpy()
        built[col] = built[col].mask(keep, old).astype("string")
    missing = _missing_elements(built)
    built["missing"] = pd.array(missing, dtype="string")
    built["complete"] = pd.array(missing == "", dtype="boolean")


def trace_chains(ds: Any) -> pd.DataFrame:
    """One row per chain of requests about one item (a request and its follow-ups).

    Returns
    -------
    DataFrame
        ``chain_id``, ``record_id``, ``requesting_country``, ``steps``,
        ``parties`` (``"BGR → NGA"``), ``first_sent_on``, ``last_responded_on``,
        ``outcome`` and ``stage`` of the last step, ``traced`` (the last step
        traced the item fully or partly), ``open`` (the last step awaits an
        answer), ``days`` from the first request to the last answer,
        ``last_legal_country``, ``diversion_country``, ``diversion_year``,
        ``diversion_mode`` (from the last step that gives them).

    Examples
    --------
    >>> import pandas as pd
    >>> tr = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r1"],
    ...     "requested_party": ["BGR", "NGA"], "status": ["responded", "responded"],
    ...     "outcome": ["partially_traced", "traced"],
    ...     "sent_on": ["2024-01-10", "2024-02-05"],
    ...     "responded_on": ["2024-02-01", "2024-04-01"],
    ...     "follow_up_of": [None, "T1"], "next_party": ["NGA", None]})
    >>> trace_chains(tr)[["chain_id", "steps", "parties", "outcome", "days"]]
      chain_id  steps    parties outcome  days
    0       T1      2  BGR → NGA  traced    82
    """
    ds = as_dataset(ds)
    return _chain_table(_with_stage(_requests_of(ds.traces)))


def _chain_table(reg: pd.DataFrame) -> pd.DataFrame:
    reg = reg[~reg["status"].isin(["draft", "withdrawn"]).fillna(False)]
    reg = reg.sort_values(["chain_id", "step"], kind="stable")
    g = reg.groupby("chain_id", sort=False)
    last = g.tail(1).set_index("chain_id")
    out = pd.DataFrame(
        {
            "record_id": g["record_id"].first(),
            "requesting_country": g["requesting_country"].first(),
            "steps": g.size().astype("Int64"),
            "parties": g["requested_party"].agg(
                lambda s: " → ".join(s.fillna("?").astype(str))
            ),
            "first_sent_on": g["sent_on"].min(),
            "last_responded_on": last["responded_on"],
            "outcome": last["outcome"],
            "stage": last["stage"],
        }
    )
    out["traced"] = out["outcome"].isin(TRACED_OUTCOMES).fillna(False).astype(bool)
    out["open"] = last["responded_on"].isna() & last["status"].isin(
        ["sent", "acknowledged"]
    ).fillna(False)
    days = (out["last_responded_on"] - out["first_sent_on"]).dt.days
    out["days"] = days.astype("Int64")
    for col in (
        "last_legal_holder",
        "last_legal_country",
        "diversion_country",
        "diversion_year",
        "diversion_mode",
    ):
        out[col] = g[col].last()
    out.index.name = "chain_id"
    return out.reset_index()


def reminders(
    ds: Any,
    *,
    as_of: Any = None,
    acknowledge_within: int = 30,
    answer_within: int = 90,
    language: str = "en",
) -> pd.DataFrame:
    """Reminders to send for overdue requests, each in its request's language.

    The thresholds are a *local convention* of the tracing unit, not an ITI
    deadline: the Instrument asks requested States to acknowledge receipt
    within a reasonable time and to answer in a timely manner (paras. 18
    and 19) and sets no number of days. Overdue requests are found by
    :func:`iti_analytics.indicators.overdue_requests`, so the register and
    the indicators agree on what is overdue.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register.
    as_of : date, optional
        The day of the review (default: the latest date in the data).
    acknowledge_within, answer_within : int, default 30 and 90
        Days after sending (local thresholds).
    language : {"en", "fr", "es"}, default "en"
        Language of a reminder when its request has none recorded.

    Returns
    -------
    DataFrame
        ``trace_id``, ``record_id``, ``requested_party``, ``channel``,
        ``sent_on``, ``days_open``, ``days_overdue``, ``language`` and
        ``reminder`` (the text to send), most overdue first.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r2"],
    ...     "requested_party": ["BEL", "CHN"], "status": ["sent", "acknowledged"],
    ...     "sent_on": ["2024-01-01", "2024-05-01"],
    ...     "acknowledged_on": [None, "2024-05-10"], "language": ["fr", "en"]})
    >>> r = reminders(reg, as_of="2024-06-01")
    >>> r[["trace_id", "days_open", "language"]]
      trace_id  days_open language
    0       T1        152       fr
    >>> r.loc[0, "reminder"][:40]
    'Rappel : demande T1 du 1 janvier 2024 (d'
    """
    from ..indicators import overdue_requests

    ds = as_dataset(ds)
    check_option("language", language, LANGUAGES)
    reg = _requests_of(ds.traces)
    open_ = reg[reg["status"].isin(["sent", "acknowledged"]).fillna(False)]
    late = overdue_requests(
        open_[columns("traces")],
        as_of=as_of,
        acknowledge_within=acknowledge_within,
        answer_within=answer_within,
    )
    late = late[late["days_open"].notna()]
    info = reg.drop_duplicates("trace_id").set_index("trace_id")
    rows = info.loc[late["trace_id"]]
    langs = rows["language"].fillna(language).to_numpy(dtype=object)
    texts = []
    for k, (tid, days) in enumerate(
        zip(late["trace_id"], late["days_open"], strict=True)
    ):
        w = Words(langs[k])
        row = rows.iloc[k]
        parts = []
        if pd.isna(row["acknowledged_on"]) and days > acknowledge_within:
            parts.append(w("remind.ack", days=int(days), limit=acknowledge_within))
        if days > answer_within:
            parts.append(w("remind.answer", days=int(days), limit=answer_within))
        item = (
            w.vocab("category", row["category"])
            if pd.notna(row["category"])
            else (w("word.unknown"))
        )
        party = (
            row["addressee"]
            if pd.notna(row["addressee"])
            else w.country(row["requested_party"])
        )
        texts.append(
            w(
                "remind.text",
                ref=tid,
                date=w.date(row["sent_on"]),
                party=party,
                item=item,
                overdue=" ".join(parts),
            )
        )
    out = pd.DataFrame(
        {
            "trace_id": late["trace_id"].to_numpy(),
            "record_id": late["record_id"].to_numpy(),
            "requested_party": late["requested_party"].to_numpy(),
            "channel": late["channel"].to_numpy(),
            "sent_on": late["sent_on"].to_numpy(),
            "days_open": late["days_open"].to_numpy(),
            "days_overdue": late["days_overdue"].to_numpy(),
            "language": pd.array(langs, dtype="string"),
            "reminder": pd.array(texts, dtype="string"),
        }
    )
    out.attrs["thresholds"] = (
        f"acknowledge within {acknowledge_within} days, answer within "
        f"{answer_within} days: a local convention, not an ITI deadline"
    )
    return out
