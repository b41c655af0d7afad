"""Seizure counts: records recovered per category, place or setting, by period."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._validation import as_date
from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ._common import kind_mask, warn_all_excluded

__all__ = ["seizure_counts"]


def _window(value: Any, name: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """A ``(start, end)`` pair of user dates, or None."""
    if value is None:
        return None
    message = (
        f"`{name}` must be a (start, end) pair of dates such as "
        f"('2024-01-01', '2024-12-31'), but {value!r} was passed."
    )
    try:
        start, end = value
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(message) from err
    try:
        return as_date(start, name), as_date(end, name)
    except InvalidParameterError as err:
        raise InvalidParameterError(message) from err


def seizure_counts(
    ds: DatasetLike,
    by: str = "category",
    *,
    period: tuple[Any, Any] | None = None,
    previous: tuple[Any, Any] | None = None,
    item_kind: str | None = "weapon",
    top: int | None = 10,
) -> pd.DataFrame:
    """Records recovered per value of ``by``, in a period and the one before.

    Duplicate records (``duplicate_of`` set) are not counted.

    Parameters
    ----------
    ds : Dataset, LoadResult, DataFrame or mapping
        Anything :func:`~iti_analytics.dataset.as_dataset` accepts; its
        ``items`` are counted.
    by : str, default "category"
        An items column: ``category``, ``country``, ``admin1``, ``setting``...
    period, previous : (start, end), optional
        Dates (both included). Without ``period`` every record counts; without
        ``previous`` there is no ``previous`` column.
    item_kind : str or None, default "weapon"
        Count this kind only (weapons: ``item_kind == "weapon"``, or no kind
        but a category); None counts every record.
    top : int or None, default 10
        Keep the values with the most records in ``period``; the rest are
        summed into one row whose ``by`` value is null (shown as "other").

    Returns
    -------
    DataFrame
        ``by``, ``count`` and (with ``previous``) ``previous``, largest first;
        the unknown value (null ``by``) is left out.

    Raises
    ------
    InvalidParameterError
        ``by`` is not an items column, or a period is not a pair of dates.

    Warns
    -----
    NoDataWarning
        When there are items but every one is left out (other kinds,
        duplicates), with the counts by reason.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item_kind": "weapon",
    ...     "category": ["pistol", "pistol", "rifle", "pistol"],
    ...     "seized_on": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-04-01",
    ...                                  "2023-05-01"])})
    >>> seizure_counts(items, period=("2024-01-01", "2024-12-31"),
    ...                previous=("2023-01-01", "2023-12-31"))
      category  count  previous
    0   pistol      2         1
    1    rifle      1         0
    """
    items = as_dataset(ds).items
    if by not in items.columns:
        raise InvalidParameterError(
            f"The value for `by` must be an items column such as 'category' or "
            f"'country', but {by!r} was passed."
        )
    duplicate = items["duplicate_of"].notna().to_numpy(dtype=bool)
    kind = kind_mask(items, item_kind)
    kind = kind.to_numpy(dtype=bool)
    keep = pd.Series(kind & ~duplicate, index=items.index)
    warn_all_excluded(
        "seizure_counts",
        int(keep.sum()),
        {
            f"not {item_kind}" if item_kind else "other kinds": int((~kind).sum()),
            "duplicate record": int((kind & duplicate).sum()),
        },
    )
    values = items[by].astype("string")
    when = items["seized_on"]

    def count(window: tuple[pd.Timestamp, pd.Timestamp] | None) -> pd.Series:
        mask = keep
        if window is not None:
            mask = mask & ((when >= window[0]) & (when <= window[1])).fillna(False)
        return values[mask.to_numpy(dtype=bool)].value_counts(dropna=True)

    current = count(_window(period, "period"))
    out = pd.DataFrame({"count": current})
    if previous is not None:
        before = count(_window(previous, "previous"))
        out = out.join(before.rename("previous"), how="left")
        out["previous"] = out["previous"].fillna(0)
    out = out.sort_values("count", ascending=False, kind="stable")
    if top is not None and len(out) > top:
        rest = out.iloc[top:].sum()
        out = pd.concat([out.iloc[:top], rest.to_frame(pd.NA).T])
    out.index.name = by
    out = out.reset_index()
    out[by] = out[by].astype("string")
    for col in ("count", "previous"):
        if col in out.columns:
            out[col] = out[col].astype("int64")
    return out
