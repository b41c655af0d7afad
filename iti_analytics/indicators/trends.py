"""Trends over time and place, with baselines and a band of normal variation.

The ITI report asks states to "establish baselines for weapons and related
indicators, such as actors and routes, to monitor capacities and trends".
:func:`trends` counts recovered items over time and place with a baseline and
a band; :func:`~iti_analytics.indicators.alerts` (module :mod:`.alerts`) says
what changed.

Baseline of a period: the median (or mean) of the counts in its history —
the previous ``window`` periods ("rolling"), or the same period in each of the
previous ``seasons`` years ("seasonal": same month of earlier years, which
absorbs seasonal patterns). Band: the wider of (a) the predictive interval of
a Poisson count whose mean is estimated from the history (negative binomial,
so a short history gives a wider band) and (b) baseline ± z × robust spread
(1.4826 × median absolute deviation of the history), so counting noise, the
uncertainty of the baseline and extra variation between periods are all
allowed for.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ._baseline import (
    _baseline_band,
    _check_common,
    _count_matrix,
    _long,
    _offsets,
    _select_items,
)
from ._common import as_list, warn_all_excluded

__all__ = ["trends"]


def trends(
    ds: DatasetLike,
    *,
    by: str | Sequence[str] | None = None,
    freq: str = "M",
    value: str | None = None,
    item_kind: str | None = "weapon",
    baseline: str = "rolling",
    window: int = 12,
    seasons: int = 3,
    stat: str = "median",
    level: float = 0.95,
    min_history: int | None = None,
) -> pd.DataFrame:
    """Counts over time and place, with a baseline and a band of normal variation.

    Parameters
    ----------
    ds : Dataset or DataFrame
        Its ``items`` (a DataFrame is taken as the items table).
    by : str, list of str or None
        Items columns to split by: place (``country``, ``admin1``) and
        category, setting, make, calibre… None: one series.
    freq : {"M", "Q", "W", "D", "Y"}, default "M"
        Period length (pandas period alias).
    value : str or None
        None counts records; "quantity" sums quantities (null counts 1);
        any other numeric items column is summed.
    item_kind : str or None, default "weapon"
        Count weapons only (see :func:`sdg_16_4_2`), another ``item_kind``,
        or None for every record. Duplicate records and records without
        ``seized_on`` are never counted (see ``attrs["not_counted"]``).
    baseline : {"rolling", "seasonal"}, default "rolling"
        History of a period: the previous ``window`` periods, or the same
        period in each of the previous ``seasons`` years (freq M, Q, W).
    window : int, default 12
        Periods of history for "rolling".
    seasons : int, default 3
        Years of history for "seasonal".
    stat : {"median", "mean"}, default "median"
        Baseline statistic of the history.
    level : float, default 0.95
        Coverage of the band.
    min_history : int, optional
        Fewest history periods needed for a baseline (default: half the
        window, at least 3; for "seasonal", 2 years). Before that, baseline
        and band are NA.

    Returns
    -------
    DataFrame
        Long table, one row per period and group (every period from the
        first to the last seizure in the data; a group with no seizure in a
        period has count 0): ``period`` (pandas Period), the ``by`` keys,
        ``count``, ``baseline``, ``lower``, ``upper`` and ``history`` (number
        of history periods used).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item_kind": "weapon",
    ...     "seized_on": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03",
    ...         "2024-03-09", "2024-03-10", "2024-04-01", "2024-04-02",
    ...         "2024-04-03", "2024-04-04", "2024-04-05", "2024-04-06"])})
    >>> trends(items, window=3, min_history=2)
        period  count  baseline  lower  upper  history
    0  2024-01      2       NaN    NaN    NaN        0
    1  2024-02      1       NaN    NaN    NaN        1
    2  2024-03      2       1.5    0.0    7.0        2
    3  2024-04      6       2.0    0.0    7.0        3
    """
    ds = as_dataset(ds)
    _check_common(freq, baseline, stat, window, seasons, level)
    keys = as_list(by)
    items, not_counted = _select_items(ds.items, item_kind)
    warn_all_excluded("trends", len(items), not_counted)
    missing = [k for k in keys if k not in items.columns]
    if missing:
        raise InvalidParameterError(
            f"The value for `by` must name items columns, but {missing} "
            f"{'is' if len(missing) == 1 else 'are'} not among them."
        )
    offsets = _offsets(baseline, freq, window, seasons)
    if min_history is None:
        min_history = 2 if baseline == "seasonal" else max(3, window // 2)
    counts, key_table, periods = _count_matrix(items, keys, freq, value)
    band = _baseline_band(
        counts, offsets, stat=stat, level=level, min_history=min_history
    )
    n_groups, n_periods = counts.shape
    out = _long(periods, key_table, keys, n_groups)
    out["count"] = counts.ravel()
    if value is None:
        out["count"] = out["count"].astype("int64")
    for col in ("baseline", "lower", "upper"):
        out[col] = band[col].ravel()
    out["history"] = band["n"].ravel().astype("int64")
    out.attrs.update(
        not_counted=not_counted,
        baseline=baseline,
        window=window,
        seasons=seasons,
        stat=stat,
        level=level,
        freq=freq,
    )
    return out
