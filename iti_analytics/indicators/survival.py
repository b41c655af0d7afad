"""Kaplan–Meier (product-limit) estimates for many groups at once, vectorised.

Response times of trace requests are right-censored: a request still open on
the reporting date says only "no answer after *d* days". The product-limit
estimator uses those requests without pretending they were answered or
dropping them.

Why hand-written rather than ``lifelines.KaplanMeierFitter``: lifelines pins
``pandas<3`` (installing it downgrades pandas), so it cannot be a runtime
dependency of this package; and fitting one object per group costs about 5 ms,
which is slow for the thousands of party × channel × year groups of a large
dataset. The estimator below is a few vectorised group-by operations; it is
checked against lifelines on random data in ``tests/test_indicators_survival.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["product_limit", "survival_quantile", "survival_at"]

#: name of the estimator, written into the outputs that use it.
KM_ESTIMATOR = "Kaplan–Meier (open requests censored at as_of)"

# S(t) is a product of fractions: 0.5 can come out as 0.5000000000000001.
_EPS = 1e-9


def product_limit(
    durations: np.ndarray | pd.Series,
    observed: np.ndarray | pd.Series,
    groups: np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """Kaplan–Meier survival curves, one per group, in one vectorised pass.

    Parameters
    ----------
    durations : array-like of float
        Time from the start (request sent) to the event or to censoring, >= 0.
    observed : array-like of bool
        True where the event (answer) happened at ``durations``; False where
        the record is censored there (still open).
    groups : array-like, optional
        Group label per record; one curve per distinct label. None: one curve.

    Returns
    -------
    DataFrame
        One row per group and distinct time: ``group``, ``time``, ``at_risk``
        (records with duration >= time), ``events``, ``censored``, and
        ``survival`` (the estimated share still without the event just after
        ``time``). Sorted by group and time.

    Examples
    --------
    Six requests, two still open (censored) at 2 and 5 days:

    >>> km = product_limit([1, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1])
    >>> km[["time", "at_risk", "events", "survival"]].round(4)
       time  at_risk  events  survival
    0   1.0        6       1    0.8333
    1   2.0        5       0    0.8333
    2   3.0        4       1    0.6250
    3   4.0        3       1    0.4167
    4   5.0        2       0    0.4167
    5   6.0        1       1    0.0000
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    g = np.zeros(len(t), dtype=np.int64) if groups is None else np.asarray(groups)
    frame = pd.DataFrame({"group": g, "time": t, "event": e})
    agg = frame.groupby(["group", "time"], sort=True)["event"].agg(["sum", "size"])
    agg.columns = ["events", "n"]
    agg = agg.reset_index()
    total = agg.groupby("group")["n"].transform("sum")
    before = agg.groupby("group")["n"].cumsum() - agg["n"]
    agg["at_risk"] = (total - before).astype(np.int64)
    agg["events"] = agg["events"].astype(np.int64)
    agg["censored"] = (agg["n"] - agg["events"]).astype(np.int64)
    factor = 1.0 - agg["events"] / agg["at_risk"]
    agg["survival"] = factor.groupby(agg["group"]).cumprod()
    return agg[["group", "time", "at_risk", "events", "censored", "survival"]]


def survival_quantile(curves: pd.DataFrame, q: float) -> pd.Series:
    """Time by which a share ``q`` of records had the event, per group.

    The Kaplan–Meier ``q``-quantile: the first time at which the estimated
    survival falls to ``1 - q`` or below (``q=0.5``: the median). NA when the
    curve never gets there — too many records still open — rather than the
    longest time seen.

    Parameters
    ----------
    curves : DataFrame
        Output of :func:`product_limit`.
    q : float
        Share of records, in (0, 1].

    Returns
    -------
    Series
        Float64, indexed by group.

    Examples
    --------
    >>> km = product_limit([1, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1])
    >>> survival_quantile(km, 0.5).tolist(), survival_quantile(km, 0.9).tolist()
    ([4.0], [6.0])
    >>> survival_quantile(product_limit([1, 9, 9], [1, 0, 0]), 0.5).tolist()
    [<NA>]
    """
    groups = pd.Index(curves["group"].unique())
    hit = curves[curves["survival"] <= 1.0 - q + _EPS]
    first = hit.groupby("group")["time"].min()
    return first.reindex(groups).astype("Float64")


def survival_at(curves: pd.DataFrame, t: float) -> pd.Series:
    """Estimated survival just after time ``t``, per group.

    1 before the first event; NA after the last record when that record was
    censored (the curve is not defined there); 0 after a last event.

    Examples
    --------
    >>> km = product_limit([1, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1])
    >>> survival_at(km, 3.5).round(4).tolist(), survival_at(km, 0.5).tolist()
    ([0.625], [1.0])
    >>> survival_at(product_limit([1, 2], [1, 0]), 10).tolist()
    [<NA>]
    """
    groups = pd.Index(curves["group"].unique())
    upto = curves[curves["time"] <= t]
    value = upto.groupby("group")["survival"].last().reindex(groups).fillna(1.0)
    last = curves.groupby("group").last().reindex(groups)
    undefined = (last["time"] < t) & (last["survival"] > _EPS)
    return value.astype("Float64").mask(undefined)
