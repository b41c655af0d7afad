"""Trace operations: who answers trace requests, and how fast.

The ITI expert group found trace requests that are never acknowledged,
contact points that do not answer and no follow-up (recommendations 1 and 7 of
the report's section on trace operations). :func:`trace_performance` gives
acknowledged and answered shares, the outcome mix and Kaplan–Meier response
times; :func:`response_curves` the curves behind the medians. The follow-up
list and the contact-point review are in :mod:`.followup`.

Every measure is taken *as of* a date (``as_of``, default the latest date in
the traces): a request still open then is right-censored at ``as_of −
sent_on``, an answer dated after ``as_of`` has not happened yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import DatasetLike, as_dataset
from ..schema import VOCABULARIES
from ._common import (
    as_list,
    as_timestamp,
    group_codes,
    group_keys,
    isin,
    issue_records,
    report_issues,
    share,
    warn_all_excluded,
)
from .survival import (
    KM_ESTIMATOR,
    product_limit,
    survival_quantile,
)

__all__ = [
    "trace_performance",
    "response_curves",
    "OUTCOMES",
]

#: outcomes in the order of the ``outcome_*`` columns
#: (``unknown``: answered but no outcome recorded).
OUTCOMES = (*VOCABULARIES[("traces", "outcome")], "unknown")
#: outcomes that mean the requested party has answered.
_ANSWER_OUTCOMES = (
    "traced",
    "partially_traced",
    "not_traced",
    "record_not_found",
    "records_unavailable",
    "refused",
    "incomplete_request",
)
_ANSWERED_STATUSES = ("responded", "closed")
_ACKNOWLEDGED_STATUSES = ("acknowledged", "responded", "closed")
_EVENTS = {"answer": "answered", "acknowledge": "acknowledged"}


# --------------------------------------------------------------------- prepare


def _prepare(
    traces: pd.DataFrame, items: pd.DataFrame, as_of: Any, function: str
) -> tuple[pd.DataFrame, pd.Timestamp, list, dict]:
    """Traces as of ``as_of`` with durations, event flags and data issues.

    Adds columns: ``answered``, ``acknowledged`` (bool), ``answer_days``,
    ``acknowledge_days`` (float, NaN where the record is left out of that
    statistic), ``answer_event``, ``acknowledge_event`` (bool),
    ``days_open``. Checks that traces point at known ``items`` (when there are
    items at all). Warns when every request is left out (drafts, withdrawn…).
    """
    issues: list[dict[str, str]] = []
    # a date after today is a typo: report it and treat it as unknown
    today = pd.Timestamp.today().normalize()
    date_columns = ["sent_on", "acknowledged_on", "responded_on"]
    future = {c: (traces[c] > today).fillna(False) for c in date_columns}
    if any(m.any() for m in future.values()):
        traces = traces.copy()
        for column, mask in future.items():
            issues += issue_records(
                traces,
                mask,
                table="traces",
                column=column,
                value=lambda rows, c=column: rows[c].dt.strftime("%Y-%m-%d"),
                problem="date after today (treated as unknown)",
                excluded_from="response times",
            )
            traces[column] = traces[column].mask(mask)
    if as_of is None:
        latest = traces[date_columns].max().max()
        as_of = pd.Timestamp(latest) if pd.notna(latest) else today
    as_of = as_timestamp(as_of, "as_of")
    status = traces["status"]
    not_counted = {
        "draft (never sent)": int((status == "draft").sum()),
        "withdrawn": int((status == "withdrawn").sum()),
        "sent after as_of": int((traces["sent_on"] > as_of).sum()),
        "duplicate record": int(traces["duplicate_of"].notna().sum()),
    }
    keep = ~(
        status.isin(["draft", "withdrawn"]).fillna(False)
        | (traces["sent_on"] > as_of).fillna(False)
        | traces["duplicate_of"].notna()
    )
    tr = traces[keep.to_numpy()].copy()

    sent = tr["sent_on"]
    responded = tr["responded_on"].where(tr["responded_on"] <= as_of)
    ack_dates = pd.concat([tr["acknowledged_on"], tr["responded_on"]], axis=1)
    acked = ack_dates.where(ack_dates <= as_of).min(axis=1).astype(sent.dtype)
    status = tr["status"]
    outcome = tr["outcome"]
    answered_undated = tr["responded_on"].isna() & (
        status.isin(_ANSWERED_STATUSES).fillna(False)
        | outcome.isin(_ANSWER_OUTCOMES).fillna(False)
    )
    answered = responded.notna() | answered_undated
    acknowledged = (
        acked.notna() | answered | status.isin(_ACKNOWLEDGED_STATUSES).fillna(False)
    )
    tr["answered"] = answered.astype(bool)
    tr["acknowledged"] = acknowledged.astype(bool)
    tr["days_open"] = (as_of - sent).dt.days.astype("Int64")

    no_sent = sent.isna()
    issues += issue_records(
        tr,
        no_sent,
        table="traces",
        column="sent_on",
        problem="no sent_on date",
        excluded_from="response times (counted in requests and shares)",
    )
    # answer: event at responded_on, else censored at as_of
    answer_days = (responded - sent).dt.days.astype(float)
    open_days = (as_of - sent).dt.days.astype(float)
    answer_days = answer_days.where(responded.notna(), open_days)
    bad_answer = responded.notna() & (responded < sent)
    bad_ack_any = acked.notna() & (acked < sent)
    for mask, excluded in (
        (bad_answer & bad_ack_any, "time to answer and time to acknowledge"),
        (bad_answer & ~bad_ack_any, "time to answer"),
    ):
        issues += issue_records(
            tr,
            mask,
            table="traces",
            column="responded_on",
            value=_before("responded_on"),
            problem="answer dated before the request",
            excluded_from=excluded,
        )
    undated = answered_undated & ~no_sent
    issues += issue_records(
        tr,
        undated,
        table="traces",
        column="responded_on",
        value=status.fillna("") + " / " + outcome.fillna(""),
        problem="answered (status or outcome) but no answer date",
        excluded_from="time to answer",
    )
    tr["answer_days"] = answer_days.mask(bad_answer | undated | no_sent)
    tr["answer_event"] = responded.notna().to_numpy()

    ack_days = (acked - sent).dt.days.astype(float).where(acked.notna(), open_days)
    bad_ack = bad_ack_any & ~bad_answer
    issues += issue_records(
        tr,
        bad_ack,
        table="traces",
        column="acknowledged_on",
        value=_before("acknowledged_on"),
        problem="acknowledgement dated before the request",
        excluded_from="time to acknowledge",
    )
    ack_undated = acked.isna() & acknowledged & ~no_sent
    tr["acknowledge_days"] = ack_days.mask(bad_ack_any | ack_undated | no_sent)
    tr["acknowledge_event"] = acked.notna().to_numpy()
    if ack_undated.any():
        not_counted["acknowledged without a date (left out of time to acknowledge)"] = (
            int(ack_undated.sum())
        )

    if len(items):
        unknown = ~isin(tr["record_id"], items["record_id"])
        issues += issue_records(
            tr,
            unknown,
            table="traces",
            column="record_id",
            value=tr["record_id"],
            problem="trace points at an unknown item",
            excluded_from="nothing here (the request still counts)",
        )
    tr.attrs = {}
    warn_all_excluded(function, len(tr), not_counted)
    return tr, as_of, issues, not_counted


def _before(column: str):
    def text(rows: pd.DataFrame) -> pd.Series:
        return (
            rows[column].dt.strftime("%Y-%m-%d")
            + " < sent_on "
            + rows["sent_on"].dt.strftime("%Y-%m-%d")
        )

    return text


def _curves(tr: pd.DataFrame, codes: np.ndarray, event: str) -> pd.DataFrame:
    days = tr[f"{event}_days"].to_numpy(dtype=float)
    ok = ~np.isnan(days)
    return product_limit(days[ok], tr[f"{event}_event"].to_numpy()[ok], codes[ok])


def _by_groups(
    traces: pd.DataFrame,
    items: pd.DataFrame,
    by: str | Sequence[str] | None,
    as_of: Any,
    function: str,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, pd.Timestamp, list, dict]:
    tr, as_of, issues, not_counted = _prepare(traces, items, as_of, function)
    keys = group_keys(tr, as_list(by), date_column="sent_on", table="traces")
    codes, key_table = group_codes(keys)
    return tr, codes, key_table, as_of, issues, not_counted


def _finish(out: pd.DataFrame, as_of, issues, not_counted, function, what):
    out.attrs["estimator"] = KM_ESTIMATOR
    out.attrs["as_of"] = as_of.strftime("%Y-%m-%d")
    out.attrs["not_counted"] = not_counted
    return report_issues(out, issues, function=function, what=what, tables=["traces"])


# ------------------------------------------------------------------ public API


def trace_performance(
    ds: DatasetLike,
    *,
    by: str | Sequence[str] | None = "requested_party",
    as_of: Any = None,
) -> pd.DataFrame:
    """How trace requests fare, per requested party (or channel, year, …).

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (its ``traces``, and ``items`` to check that traces point at
        known items) or a traces DataFrame with canonical columns.
    by : str, list of str or None, default "requested_party"
        Group by these traces columns; ``"year"`` is the year of ``sent_on``.
        E.g. ``["requested_party", "channel"]``. None: one row for all.
    as_of : date, optional
        The reporting date. Default: the latest date in the traces. Requests
        sent after it are not counted; answers dated after it have not
        happened yet. Dates after today are typos: they are reported and
        treated as unknown.

    Returns
    -------
    DataFrame
        One row per group, sorted by the keys:

        - the key columns;
        - ``requests``: requests sent (drafts, withdrawn requests and
          duplicate records are not requests; their counts are in
          ``attrs["not_counted"]``);
        - ``acknowledged``, ``answered`` and their ``*_share`` of requests.
          A request is answered when it has an answer date, or a status
          ``responded``/``closed`` or an outcome other than ``pending``; an
          answer counts as an acknowledgement;
        - ``median_days_to_acknowledge``, ``median_days_to_answer``,
          ``p90_days_to_answer``: Kaplan–Meier estimates in which requests
          still open at ``as_of`` are right-censored at ``as_of − sent_on``.
          NA when the estimate is not reached (too many still open) — never
          the longest time seen;
        - ``outcome_<outcome>``: share of requests per outcome (traced,
          partially_traced, not_traced, record_not_found,
          records_unavailable, refused, incomplete_request, pending;
          ``pending`` also counts open requests with no outcome, ``unknown``
          answered ones with no outcome);
        - ``estimator``: "Kaplan–Meier (open requests censored at as_of)".

        ``attrs``: ``estimator``, ``as_of``, ``not_counted`` and ``issues``
        (see :func:`indicator_issues`).

    Warns
    -----
    DataQualityWarning
        When records are left out of a statistic: no ``sent_on`` (out of the
        response times, still counted as requests), a date after today, answer or
        acknowledgement dated before the request (out of that time), answered
        with no answer date (out of the time to answer), trace pointing at an
        unknown item (reported only).

    See Also
    --------
    responsiveness, overdue_requests, response_curves

    Examples
    --------
    Six requests to France, two still open on 2024-03-01:

    >>> import pandas as pd
    >>> traces = pd.DataFrame({
    ...     "trace_id": [f"t{i}" for i in range(1, 7)],
    ...     "requested_party": "FRA",
    ...     "sent_on": pd.to_datetime(["2024-01-01"] * 6),
    ...     "responded_on": pd.to_datetime(["2024-01-11", None, "2024-01-31",
    ...                                     "2024-02-10", None, "2024-03-01"]),
    ...     "outcome": ["traced", None, "traced", "not_traced", None, "refused"]})
    >>> perf = trace_performance(traces, as_of="2024-03-01")
    >>> perf[["requested_party", "requests", "answered", "median_days_to_answer"]]
      requested_party  requests  answered  median_days_to_answer
    0             FRA         6         4                   40.0

    Answered after 10, 30, 40 and 60 days, open for 60: S falls to 1/2 at 40
    days and stops at 1/3, so the 90th percentile is not reached:

    >>> p90, traced = perf.loc[0, ["p90_days_to_answer", "outcome_traced"]]
    >>> print(p90, round(traced, 3))
    <NA> 0.333
    >>> perf.attrs["estimator"]
    'Kaplan–Meier (open requests censored at as_of)'
    """
    ds = as_dataset(ds)
    tr, codes, key_table, as_of, issues, not_counted = _by_groups(
        ds.traces, ds.items, by, as_of, "trace_performance"
    )
    groups = pd.Series(codes, index=tr.index)
    out = key_table.copy()
    n_groups = len(key_table)
    idx = pd.RangeIndex(n_groups)
    out["requests"] = groups.value_counts().reindex(idx, fill_value=0).to_numpy()
    for flag in ("acknowledged", "answered"):
        out[flag] = tr[flag].groupby(codes).sum().reindex(idx, fill_value=0).to_numpy()
    out["acknowledged_share"] = share(out["acknowledged"], out["requests"])
    out["answered_share"] = share(out["answered"], out["requests"])
    ack = _curves(tr, codes, "acknowledge")
    ans = _curves(tr, codes, "answer")
    out["median_days_to_acknowledge"] = (
        survival_quantile(ack, 0.5).reindex(idx).to_numpy()
    )
    out["median_days_to_answer"] = survival_quantile(ans, 0.5).reindex(idx).to_numpy()
    out["p90_days_to_answer"] = survival_quantile(ans, 0.9).reindex(idx).to_numpy()
    for col in (
        "median_days_to_acknowledge",
        "median_days_to_answer",
        "p90_days_to_answer",
    ):
        out[col] = out[col].astype("Float64")
    outcome = tr["outcome"].astype("string")
    outcome = outcome.mask(outcome.isna() & tr["answered"], "unknown").fillna("pending")
    mix = pd.crosstab(codes, outcome.to_numpy()).reindex(
        index=idx, columns=list(OUTCOMES), fill_value=0
    )
    for name in OUTCOMES:
        out[f"outcome_{name}"] = share(
            pd.Series(mix[name].to_numpy()), out["requests"]
        ).array
    out["estimator"] = KM_ESTIMATOR
    for col in ("requests", "acknowledged", "answered"):
        out[col] = out[col].astype("int64")
    return _finish(
        out, as_of, issues, not_counted, "trace_performance", "trace request"
    )


def response_curves(
    ds: DatasetLike,
    *,
    by: str | Sequence[str] | None = "requested_party",
    event: str = "answer",
    as_of: Any = None,
) -> pd.DataFrame:
    """Kaplan–Meier curves: share of requests still without answer, by days.

    Parameters
    ----------
    ds : Dataset or DataFrame
        As in :func:`trace_performance`.
    by : str, list of str or None, default "requested_party"
        Group keys, as in :func:`trace_performance`.
    event : {"answer", "acknowledge"}, default "answer"
        Time to the answer or to the acknowledgement.
    as_of : date, optional
        As in :func:`trace_performance`.

    Returns
    -------
    DataFrame
        Long table: the key columns, ``days``, ``at_risk``, ``events``,
        ``censored`` and ``still_waiting`` (estimated share of requests still
        without the event after ``days``). Each curve starts with a row at
        day 0 with ``still_waiting`` 1 (unless events happen on day 0).

    Examples
    --------
    >>> import pandas as pd
    >>> traces = pd.DataFrame({"requested_party": ["FRA", "FRA", "BEL"],
    ...     "sent_on": pd.to_datetime(["2024-01-01"] * 3),
    ...     "responded_on": pd.to_datetime(["2024-01-11", None, "2024-01-21"])})
    >>> response_curves(traces, as_of="2024-02-01")[
    ...     ["requested_party", "days", "still_waiting"]]
      requested_party  days  still_waiting
    0             BEL   0.0            1.0
    1             BEL  20.0            0.0
    2             FRA   0.0            1.0
    3             FRA  10.0            0.5
    4             FRA  31.0            0.5
    """
    ds = as_dataset(ds)
    check_option("event", event, list(_EVENTS))
    tr, codes, key_table, as_of, issues, not_counted = _by_groups(
        ds.traces, ds.items, by, as_of, "response_curves"
    )
    column = "acknowledge" if event == "acknowledge" else "answer"
    curves = _curves(tr, codes, column)
    start = curves.groupby("group", as_index=False).first()
    start = start[start["time"] > 0]
    start = start.assign(time=0.0, events=0, censored=0, survival=1.0)
    curves = pd.concat([start, curves], ignore_index=True).sort_values(
        ["group", "time"], kind="stable"
    )
    keys = key_table.iloc[curves["group"].to_numpy()].reset_index(drop=True)
    out = pd.concat(
        [
            keys,
            curves[["time", "at_risk", "events", "censored", "survival"]]
            .rename(columns={"time": "days", "survival": "still_waiting"})
            .reset_index(drop=True),
        ],
        axis=1,
    )
    out.attrs["event"] = event
    return _finish(out, as_of, issues, not_counted, "response_curves", "trace request")
