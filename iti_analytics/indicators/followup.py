"""Follow-up of trace requests: the contact-point review and the list to chase.

Recommendation 7 of the ITI report asks for a periodic review of national
contact points (:func:`responsiveness`); recommendation 1 for acknowledgement
and follow-up of requests (:func:`overdue_requests`). Both are measured as of
a date, like :func:`~iti_analytics.indicators.trace_performance`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..dataset import DatasetLike, as_dataset
from ._common import check_positive
from .operations import _by_groups, _curves, _finish, _prepare
from .survival import survival_at, survival_quantile

__all__ = ["responsiveness", "overdue_requests"]


def responsiveness(
    ds: DatasetLike,
    *,
    by: str | Sequence[str] = "requested_party",
    as_of: Any = None,
    answer_within: int = 90,
    min_requests: int = 3,
) -> pd.DataFrame:
    """Contact-point responsiveness table for the periodic review.

    Recommendation 7 of the ITI report: review national contact points and
    INTERPOL bureaus periodically to make sure they are reachable and
    responsive. One row per requested party, best first.

    Parameters
    ----------
    ds : Dataset or DataFrame
        As in :func:`trace_performance`.
    by : str or list of str, default "requested_party"
        The contact point (e.g. ``["requested_party", "channel"]``).
    as_of : date, optional
        The review date (default: the latest date in the traces).
    answer_within : int, default 90
        The deadline in days for ``answered_within_<n>_days``.
    min_requests : int, default 3
        Parties with fewer requests are listed but not rated or ranked.

    Returns
    -------
    DataFrame
        Key columns, ``requests``, ``answered``, ``never_acknowledged``
        (neither acknowledged nor answered by ``as_of``),
        ``median_days_to_answer`` (Kaplan–Meier), ``answered_within_<n>_days``
        (Kaplan–Meier share answered within the deadline, 1 − S(n); NA when
        no request has been open that long), ``rating`` — "responsive"
        (>= 75% within the deadline), "slow" (>= 40%), "unresponsive"
        (less), "too early to rate", "too few requests to rate" —,
        ``rank`` (1 = most responsive; rated parties only) and ``summary``
        in words.

    Examples
    --------
    >>> import pandas as pd
    >>> traces = pd.DataFrame({"requested_party": ["FRA"] * 4 + ["BEL"] * 3,
    ...     "sent_on": pd.to_datetime(["2024-01-01"] * 7),
    ...     "responded_on": pd.to_datetime(["2024-01-15", "2024-02-01",
    ...          "2024-02-20", None, None, None, "2024-06-01"])})
    >>> r = responsiveness(traces, as_of="2024-07-01")
    >>> r[["requested_party", "answered_within_90_days", "rating", "rank"]]
      requested_party  answered_within_90_days        rating  rank
    0             FRA                     0.75    responsive     1
    1             BEL                      0.0  unresponsive     2
    >>> print(r.loc[0, "summary"])
    answered 3 of 4 requests; 75% within 90 days (median 31 days); 1 never acknowledged
    """
    check_positive("answer_within", answer_within)
    check_positive("min_requests", min_requests, allow_zero=True)
    ds = as_dataset(ds)
    tr, codes, key_table, as_of, issues, not_counted = _by_groups(
        ds.traces, ds.items, by, as_of, "responsiveness"
    )
    idx = pd.RangeIndex(len(key_table))
    out = key_table.copy()
    requests = pd.Series(codes).value_counts().reindex(idx, fill_value=0)
    answered = tr["answered"].groupby(codes).sum().reindex(idx, fill_value=0)
    never = (~tr["acknowledged"]).groupby(codes).sum().reindex(idx, fill_value=0)
    ans = _curves(tr, codes, "answer")
    median = survival_quantile(ans, 0.5).reindex(idx)
    within = (1.0 - survival_at(ans, answer_within)).reindex(idx)
    within_col = f"answered_within_{answer_within:g}_days"
    out["requests"] = requests.to_numpy().astype("int64")
    out["answered"] = answered.to_numpy().astype("int64")
    out["never_acknowledged"] = never.to_numpy().astype("int64")
    out["median_days_to_answer"] = median.astype("Float64").to_numpy()
    out[within_col] = pd.array(within.round(12).to_numpy(), dtype="Float64")
    w = out[within_col]
    rating = pd.Series(
        np.select(
            [(w >= t).fillna(False).to_numpy(bool) for t in (0.75, 0.40, 0.0)],
            ["responsive", "slow", "unresponsive"],
            default="too early to rate",
        ),
        index=out.index,
        dtype="string",
    )
    too_few = out["requests"] < min_requests
    rating = rating.mask(too_few, "too few requests to rate")
    out["rating"] = rating
    rated = rating.isin(["responsive", "slow", "unresponsive"])
    order = out.assign(
        _w=w.fillna(-1.0),
        _m=out["median_days_to_answer"].fillna(np.inf),
        _rated=rated,
    ).sort_values(
        ["_rated", "_w", "_m", "requests"],
        ascending=[False, False, True, False],
        kind="stable",
    )
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    rated_order = order.index[order["_rated"]]
    rank[rated_order] = np.arange(1, len(rated_order) + 1)
    out["rank"] = rank
    out["summary"] = pd.array(_summaries(out, within_col, answer_within), "string")
    out = out.loc[order.index].reset_index(drop=True)
    return _finish(out, as_of, issues, not_counted, "responsiveness", "trace request")


def _summaries(out: pd.DataFrame, within_col: str, answer_within: int) -> list[str]:
    texts = []
    for req, ans, never, med, w in zip(
        out["requests"],
        out["answered"],
        out["never_acknowledged"],
        out["median_days_to_answer"],
        out[within_col],
        strict=True,
    ):
        parts = [f"answered {ans} of {req} request{'s' if req != 1 else ''}"]
        if pd.notna(w):
            med_txt = (
                f"median {med:.0f} days" if pd.notna(med) else "median not reached"
            )
            parts.append(f"{w:.0%} within {answer_within:g} days ({med_txt})")
        parts.append(f"{never} never acknowledged" if never else "all acknowledged")
        texts.append("; ".join(parts))
    return texts


def overdue_requests(
    ds: DatasetLike,
    *,
    as_of: Any = None,
    acknowledge_within: int = 30,
    answer_within: int = 90,
) -> pd.DataFrame:
    """The follow-up list: trace requests to chase, most urgent first.

    Recommendation 1 of the ITI report's section on trace operations:
    acknowledge receipt, follow up incomplete requests. A request is on the
    list when, at ``as_of``:

    - it has no acknowledgement (nor answer) more than ``acknowledge_within``
      days after it was sent ("no acknowledgement after 45 days");
    - it has no answer more than ``answer_within`` days after it was sent
      ("no answer after 120 days");
    - the requested party answered that the request is incomplete
      (outcome ``incomplete_request``): "incomplete request to complete".

    Drafts, withdrawn requests and duplicate records are never listed.
    Requests without ``sent_on`` cannot be dated: they are reported as issues
    (an incomplete request is listed all the same, with ``days_open`` NA).

    Parameters
    ----------
    ds : Dataset or DataFrame
        As in :func:`trace_performance`.
    as_of : date, optional
        The day of the review (default: the latest date in the traces).
    acknowledge_within, answer_within : int, default 30 and 90
        Deadlines in days.

    Returns
    -------
    DataFrame
        ``trace_id``, ``record_id``, ``requested_party``, ``channel``,
        ``sent_on``, ``days_open``, ``overdue`` (what is overdue, in words),
        ``days_overdue`` (days past the deadline; for an incomplete request,
        days since the party's answer) and ``action``. Sorted by
        ``days_overdue``, largest first.

    Examples
    --------
    >>> import pandas as pd
    >>> traces = pd.DataFrame({"trace_id": ["t1", "t2", "t3", "t4"],
    ...     "requested_party": ["FRA", "BEL", "ITA", "FRA"],
    ...     "channel": "interpol",
    ...     "sent_on": pd.to_datetime(["2024-01-01", "2024-02-15", "2024-03-01",
    ...                                "2024-03-20"]),
    ...     "acknowledged_on": pd.to_datetime([None, "2024-02-20", None, None]),
    ...     "responded_on": pd.to_datetime([None, None, "2024-03-10", None]),
    ...     "outcome": [None, None, "incomplete_request", None]})
    >>> todo = overdue_requests(traces, as_of="2024-04-30")
    >>> todo[["trace_id", "days_open", "days_overdue"]]
      trace_id  days_open  days_overdue
    0       t1        120            90
    1       t3         60            51
    2       t4         41            11
    >>> for line in todo["overdue"]: print(line)
    no acknowledgement after 120 days; no answer after 120 days
    incomplete request to complete
    no acknowledgement after 41 days
    >>> print(todo.loc[0, "action"])
    ask FRA via interpol to acknowledge receipt, then answer
    """
    check_positive("acknowledge_within", acknowledge_within, allow_zero=True)
    check_positive("answer_within", answer_within, allow_zero=True)
    ds = as_dataset(ds)
    tr, as_of, issues, not_counted = _prepare(
        ds.traces, ds.items, as_of, "overdue_requests"
    )
    days = tr["days_open"]
    ack_late = (~tr["acknowledged"] & (days > acknowledge_within)).fillna(False)
    ans_late = (~tr["answered"] & (days > answer_within)).fillna(False)
    incomplete = (tr["outcome"] == "incomplete_request").fillna(False)
    days_txt = days.astype("string").fillna("?")
    parts = pd.DataFrame(
        {
            "ack": ("no acknowledgement after " + days_txt + " days").where(ack_late),
            "ans": ("no answer after " + days_txt + " days").where(ans_late),
            "inc": pd.Series("incomplete request to complete", index=tr.index).where(
                incomplete
            ),
        }
    )
    listed = (ack_late | ans_late | incomplete).to_numpy()
    since_answer = (as_of - tr["responded_on"]).dt.days.astype("Float64")
    overdue_by = pd.concat(
        [
            (days - acknowledge_within).astype("Float64").where(ack_late),
            (days - answer_within).astype("Float64").where(ans_late),
            since_answer.fillna(days.astype("Float64")).where(incomplete),
        ],
        axis=1,
    ).max(axis=1)
    party = tr["requested_party"].fillna("the requested party")
    via = (" via " + tr["channel"]).fillna("")
    action = pd.Series("", index=tr.index, dtype="string")
    action = action.mask(
        ans_late, "send a reminder to " + party + via + " asking for an answer"
    )
    action = action.mask(
        ack_late, "ask " + party + via + " to acknowledge receipt, then answer"
    )
    action = action.mask(
        incomplete, "complete the request and send it again to " + party + via
    )
    out = pd.DataFrame(
        {
            "trace_id": tr["trace_id"],
            "record_id": tr["record_id"],
            "requested_party": tr["requested_party"],
            "channel": tr["channel"],
            "sent_on": tr["sent_on"],
            "days_open": days,
            "overdue": (
                parts["ack"].fillna("")
                + ("; " + parts["ans"]).fillna("")
                + ("; " + parts["inc"]).fillna("")
            ).str.removeprefix("; "),
            "days_overdue": overdue_by.round().astype("Int64"),
            "action": action,
        }
    )[listed]
    out["overdue"] = out["overdue"].astype("string")
    out = out.sort_values(
        ["days_overdue", "sent_on", "trace_id"],
        ascending=[False, True, True],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    issues = [i for i in issues if i["column"] in ("sent_on", "record_id")]
    for i in issues:
        if i["column"] == "sent_on":
            i["excluded_from"] = "follow-up list (cannot tell how long it is open)"
    return _finish(out, as_of, issues, not_counted, "overdue_requests", "trace request")
