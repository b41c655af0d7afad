"""What selection gains over random, measured on real answers to audited requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ._common import resolve_as_of

__all__ = ["selection_value", "SELECTION_VALUE_COLUMNS", "AUDIT_COLUMNS"]

#: columns of :func:`selection_value`.
SELECTION_VALUE_COLUMNS = [
    "selected_requests",
    "selected_revealed",
    "selected_rate",
    "audit_requests",
    "audit_revealed",
    "audit_rate",
    "gain",
    "gain_low",
    "gain_high",
    "difference",
    "difference_low",
    "difference_high",
    "level",
]

#: traces columns that mark a request of the random audit share (the first one
#: present is read): ``selection`` ("audit" / anything else) or ``audit``
#: (true / false), kept by the Dataset with an ``x_`` prefix.
AUDIT_COLUMNS = ("selection", "x_selection", "audit", "x_audit")


def selection_value(
    ds: DatasetLike,
    *,
    audited: Iterable[str] | None = None,
    level: float = 0.95,
    as_of: Any = None,
    mature_days: int = 365,
) -> pd.DataFrame:
    """What selection gains over random, from answers to audited requests.

    ``plan_tracing(ds, audit=0.1)`` keeps a random share of the requests (its
    ``audit`` column). Once answers come back, the share of requests that
    revealed the diversion point among the selected requests, against the
    same share among the audited (random) ones, says what selection gains on
    *this* data — no synthetic world needed.

    Parameters
    ----------
    ds : Dataset
        Its ``traces`` (answers) and ``items``.
    audited : iterable of str, optional
        Record ids of the audit requests. Default: read from the traces column
        ``selection`` (value "audit") or ``audit`` (true), see
        :data:`AUDIT_COLUMNS`.
    level : float, default 0.95
        Confidence level of the intervals.
    as_of : date, optional
        Date of the figures (default: the latest date in the data).
    mature_days : int, default 365
        A request unanswered this long counts as not revealing.

    Returns
    -------
    DataFrame
        One row, :data:`SELECTION_VALUE_COLUMNS`: requests and revealed
        diversion points (answers ``traced``) among selected and audited
        requests, their rates, ``gain`` (selected rate over audit rate) with a
        log-scale (Katz) interval, and ``difference`` (selected minus audit
        rate) with a Wald interval. NaN where a group has no mature request;
        ``attrs["notes"]`` says why.

    Raises
    ------
    InvalidParameterError
        ``level`` outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> traces = pd.DataFrame({
    ...     "trace_id": [f"t{i}" for i in range(40)],
    ...     "record_id": [f"r{i}" for i in range(40)],
    ...     "sent_on": pd.Timestamp("2022-01-01"), "status": "responded",
    ...     "outcome": ["traced"] * 18 + ["not_traced"] * 12
    ...     + ["traced"] * 3 + ["not_traced"] * 7})
    >>> audit = [f"r{i}" for i in range(30, 40)]
    >>> v = selection_value({"traces": traces}, audited=audit, as_of="2024-01-01")
    >>> v[["selected_rate", "audit_rate", "gain"]].round(2).values.tolist()
    [[0.6, 0.3, 2.0]]
    >>> bool(v.loc[0, "gain_low"] < 2 < v.loc[0, "gain_high"])
    True
    """
    if isinstance(level, bool) or not isinstance(level, float | int):
        level = float("nan")
    if not 0 < float(level) < 1:
        raise InvalidParameterError(
            f"`level` must lie between 0 and 1, such as 0.95, but {level!r} was passed."
        )
    ds = as_dataset(ds)
    notes: list[str] = []
    as_of = resolve_as_of(as_of, ds.items, ds.traces)
    traced = ds.traces[
        ~ds.traces["status"].isin(["draft", "withdrawn"]).fillna(False)
        & ds.traces["duplicate_of"].isna()
        & ~(ds.traces["sent_on"] > as_of).fillna(False)
    ]
    traced = traced.sort_values("sent_on", kind="stable").drop_duplicates(
        "record_id", keep="last"
    )
    label = pd.Series(
        _request_labels(traced, as_of, mature_days),
        index=traced["record_id"].astype("string").to_numpy(),
    )
    if audited is None:
        mark = _audit_mark(ds.traces)
        if mark is None:
            notes.append(
                "No request is marked as an audit (a traces column selection = "
                "'audit' or audit = true, or audited=): plan with "
                "plan_tracing(ds, audit=0.1) and keep its audit column."
            )
            audit_ids: set[str] = set()
        else:
            audit_ids = set(ds.traces.loc[mark, "record_id"].astype("string"))
    else:
        if isinstance(audited, str):
            audited = [audited]
        audit_ids = {str(x) for x in audited}
    requested = traced["record_id"].astype("string")
    y = label.reindex(requested).to_numpy(dtype=float)
    is_audit = requested.isin(audit_ids).to_numpy(dtype=bool)
    known = ~np.isnan(y)
    sel, aud = y[known & ~is_audit], y[known & is_audit]
    row = _compare(sel, aud, float(level))
    if len(aud) == 0 and not notes:
        notes.append("No audited request has a mature answer yet.")
    out = pd.DataFrame([row], columns=SELECTION_VALUE_COLUMNS)
    out.attrs["notes"] = notes
    return out


def _request_labels(
    tr: pd.DataFrame, as_of: pd.Timestamp, mature_days: int
) -> np.ndarray:
    """1 when the answer names the diversion point (``traced``), 0 when it does
    not or the request went unanswered for ``mature_days``, NaN while open."""
    outcome = tr["outcome"].astype("string")
    answered = (outcome.notna() & (outcome != "pending")).to_numpy(bool) | tr[
        "status"
    ].isin(["responded", "closed"]).fillna(False).to_numpy(bool)
    old = ((as_of - tr["sent_on"]).dt.days >= mature_days).fillna(False)
    mature = answered | tr["status"].eq("no_response").fillna(False).to_numpy(bool)
    mature = mature | old.to_numpy(dtype=bool)
    label = np.where((outcome == "traced").fillna(False).to_numpy(bool), 1.0, 0.0)
    label = np.where(mature, label, np.nan)
    incomplete = (outcome == "incomplete_request").fillna(False).to_numpy(bool)
    return np.where(incomplete, np.nan, label)


def _audit_mark(traces: pd.DataFrame) -> np.ndarray | None:
    for col in AUDIT_COLUMNS:
        if col in traces.columns and traces[col].notna().any():
            values = traces[col].astype("string").str.strip().str.lower()
            mark = values.isin(["audit", "true", "1", "yes", "random"])
            return mark.fillna(False).to_numpy(dtype=bool)
    return None


def _compare(sel: np.ndarray, aud: np.ndarray, level: float) -> dict[str, float]:
    z = float(norm.ppf(0.5 + level / 2))
    n1, n0 = len(sel), len(aud)
    x1, x0 = float(sel.sum()), float(aud.sum())
    p1 = x1 / n1 if n1 else np.nan
    p0 = x0 / n0 if n0 else np.nan
    gain = lo = hi = np.nan
    if n1 and n0 and x0 > 0 and x1 > 0:
        gain = p1 / p0
        se = np.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
        lo, hi = gain * np.exp(-z * se), gain * np.exp(z * se)
    diff = dlo = dhi = np.nan
    if n1 and n0:
        diff = p1 - p0
        se = np.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
        dlo, dhi = diff - z * se, diff + z * se
    return {
        "selected_requests": n1,
        "selected_revealed": int(x1),
        "selected_rate": p1,
        "audit_requests": n0,
        "audit_revealed": int(x0),
        "audit_rate": p0,
        "gain": gain,
        "gain_low": lo,
        "gain_high": hi,
        "difference": diff,
        "difference_low": dlo,
        "difference_high": dhi,
        "level": level,
    }
