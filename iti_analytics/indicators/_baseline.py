"""The baseline engine shared by :func:`trends` and :func:`alerts`.

Items are counted per group and period (:func:`_count_matrix`); the baseline
of a period is the median (or mean) of the counts in its history — the
previous ``window`` periods ("rolling") or the same period of the previous
``seasons`` years ("seasonal") — and the band the wider of a negative-binomial
predictive interval and baseline ± z × robust spread (:func:`_baseline_band`).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from .._validation import check_option
from ..exceptions import InvalidParameterError
from ._common import check_positive, kind_mask

_PERIODS_PER_YEAR = {"M": 12, "Q": 4, "W": 52}
_FREQS = ["D", "W", "M", "Q", "Y"]
_MAD_SCALE = 1.4826
_CHUNK = 4_000_000  # history cells per block, to bound memory


def _select_items(
    items: pd.DataFrame, item_kind: str | None
) -> tuple[pd.DataFrame, dict]:
    """The dated, non-duplicate items of ``item_kind``; counts of the others."""
    kind = kind_mask(items, item_kind)
    duplicate = items["duplicate_of"].notna()
    no_date = items["seized_on"].isna()
    keep = kind & ~duplicate & ~no_date
    not_counted = {
        f"not {item_kind}" if item_kind else "other kinds": int((~kind).sum()),
        "duplicate record": int((kind & duplicate).sum()),
        "no seized_on date": int((kind & ~duplicate & no_date).sum()),
    }
    return items[keep.to_numpy()], not_counted


def _offsets(baseline: str, freq: str, window: int, seasons: int) -> np.ndarray:
    if baseline == "rolling":
        return -np.arange(window, 0, -1)
    per_year = _PERIODS_PER_YEAR.get(freq)
    if per_year is None:
        raise InvalidParameterError(
            f"baseline='seasonal' needs freq 'M', 'Q' or 'W', but freq={freq!r} was "
            "passed. Use baseline='rolling' for other frequencies."
        )
    return -per_year * np.arange(seasons, 0, -1)


def _baseline_band(
    counts: np.ndarray,
    offsets: np.ndarray,
    *,
    stat: str,
    level: float,
    min_history: int,
) -> dict[str, np.ndarray]:
    """Baseline, band and spread for every cell of a groups × periods matrix."""
    n_groups, n_periods = counts.shape
    idx = np.arange(n_periods)[:, None] + offsets[None, :]
    valid = (idx >= 0) & (idx < n_periods)
    idx = np.clip(idx, 0, n_periods - 1)
    out = {k: np.full(counts.shape, np.nan) for k in ("baseline", "spread", "n")}
    step = max(1, _CHUNK // max(1, n_periods * len(offsets)))
    for start in range(0, n_groups, step):
        block = counts[start : start + step].astype(float)
        hist = np.where(valid[None], block[:, idx], np.nan)
        n = (~np.isnan(hist)).sum(axis=2)
        middle = _sorted_median(np.sort(hist, axis=2), n)
        centre = middle if stat == "median" else _nanmean(hist, n)
        mad = _sorted_median(np.sort(np.abs(hist - middle[..., None]), axis=2), n)
        enough = n >= min_history
        out["baseline"][start : start + step] = np.where(enough, centre, np.nan)
        out["spread"][start : start + step] = np.where(enough, _MAD_SCALE * mad, np.nan)
        out["n"][start : start + step] = n
    from scipy import stats  # imported here: it takes a second to load

    base = out["baseline"]
    n = np.maximum(out["n"], 1.0)
    # the baseline is itself estimated from n periods: the median is as
    # precise as the mean of 2n/pi periods
    n_eff = n / (np.pi / 2) if stat == "median" else n
    z = NormalDist().inv_cdf(0.5 + level / 2)
    alpha = 1 - level
    mu = np.nan_to_num(base, nan=0.0)
    # Poisson counts whose mean is estimated from n_eff periods: the predictive
    # distribution is negative binomial (gamma–Poisson, Jeffreys prior)
    shape, prob = mu * n_eff + 0.5, n_eff / (n_eff + 1.0)
    # few distinct (shape, prob) pairs: compute each quantile once
    codes = (
        pd.DataFrame({"mu": mu.ravel(), "n": n.ravel()})
        .groupby(["mu", "n"], sort=False)
        .ngroup()
        .to_numpy()
    )
    first = pd.Series(np.arange(codes.size)).groupby(codes).first().to_numpy()
    u_shape, u_prob = shape.ravel()[first], prob.ravel()[first]
    codes = codes.reshape(shape.shape)
    lower_p = stats.nbinom.ppf(alpha / 2, u_shape, u_prob)[codes]
    upper_p = stats.nbinom.ppf(1 - alpha / 2, u_shape, u_prob)[codes]
    inflate = np.sqrt(1.0 + 1.0 / n_eff)
    spread = out["spread"] * inflate
    lower = np.minimum(lower_p, base - z * spread)
    upper = np.maximum(upper_p, base + z * spread)
    out["lower"] = np.where(np.isnan(base), np.nan, np.clip(lower, 0, None))
    out["upper"] = np.where(np.isnan(base), np.nan, upper)
    # score: robust z with a Poisson floor on the spread
    out["sigma"] = np.maximum(np.sqrt(np.maximum(base, 1.0)) * inflate, spread)
    return out


def _sorted_median(ordered: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Median along the last axis of NaN-last sorted data with ``n`` valid values."""
    lo = np.clip((n - 1) // 2, 0, None)[..., None]
    hi = np.clip(n // 2, 0, None)[..., None]
    a = np.take_along_axis(ordered, lo, axis=2)[..., 0]
    b = np.take_along_axis(ordered, hi, axis=2)[..., 0]
    return np.where(n > 0, (a + b) / 2, np.nan)


def _nanmean(hist: np.ndarray, n: np.ndarray) -> np.ndarray:
    total = np.where(np.isnan(hist), 0.0, hist).sum(axis=2)
    return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def _count_matrix(
    items: pd.DataFrame,
    keys: list[str],
    freq: str,
    value: str | None,
    start: pd.Period | None = None,
    end: pd.Period | None = None,
) -> tuple[np.ndarray, pd.DataFrame, pd.PeriodIndex]:
    period = items["seized_on"].dt.to_period(freq)
    if value is None:
        weight = pd.Series(1.0, index=items.index)
    elif value == "quantity":
        weight = items["quantity"].astype("Float64").fillna(1.0).astype(float)
    else:
        weight = pd.to_numeric(items[value], errors="coerce").fillna(0).astype(float)
    lo = period.min() if start is None else start
    hi = period.max() if end is None else end
    periods = (
        pd.period_range(lo, hi, freq=freq)
        if len(items)
        else pd.PeriodIndex([], freq=freq)
    )
    frame = items[keys].copy() if keys else pd.DataFrame(index=items.index)
    frame["_t"] = (
        period.array.asi8 - lo.ordinal if len(items) else np.zeros(0, np.int64)
    )
    frame["_w"] = weight
    if keys:
        codes = frame.groupby(keys, dropna=False, sort=True).ngroup().to_numpy()
        first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
        key_table = frame.iloc[first][keys].reset_index(drop=True)
    else:
        codes = np.zeros(len(frame), dtype=np.int64)
        key_table = pd.DataFrame(index=[0])
    counts = np.zeros((len(key_table), len(periods)))
    np.add.at(
        counts, (codes, frame["_t"].to_numpy(dtype=np.int64)), frame["_w"].to_numpy()
    )
    return counts, key_table, periods


def _long(
    periods: pd.PeriodIndex, key_table: pd.DataFrame, keys: list[str], n_groups: int
) -> pd.DataFrame:
    """Period and key columns of a groups × periods grid, row by row."""
    n_periods = len(periods)
    out = pd.DataFrame(
        {"period": periods.take(np.tile(np.arange(n_periods), n_groups))}
    )
    rows = np.repeat(np.arange(n_groups), n_periods)
    for k in keys:
        out[k] = key_table[k].take(rows).reset_index(drop=True)
    return out


def _check_common(freq, baseline, stat, window, seasons, level):
    check_option("freq", freq, _FREQS)
    check_option("baseline", baseline, ["rolling", "seasonal"])
    check_option("stat", stat, ["median", "mean"])
    check_positive("window", window)
    check_positive("seasons", seasons)
    if not (isinstance(level, float) and 0 < level < 1):
        raise InvalidParameterError(
            f"`level` must be a probability such as 0.95, but {level!r} was passed."
        )
