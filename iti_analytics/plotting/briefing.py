"""Charts of seizures that only the briefing needs: counts by place or category.

Each function follows seaborn's contract: ``data`` first (a Dataset or an
items table), keyword-only options, ``ax=None`` draws on ``plt.gca()``, and the
Axes is returned. Labels are English by default; every label can be passed in,
so a French briefing draws the same chart in French.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..exceptions import InvalidParameterError

__all__ = ["seizure_counts", "plot_seizures_by"]

#: colours of the current and previous period.
PERIOD_COLOURS = ("#1f4e79", "#a6bddb")


def _items(data: Any) -> pd.DataFrame:
    items = data if isinstance(data, pd.DataFrame) else getattr(data, "items", None)
    if not isinstance(items, pd.DataFrame):
        raise InvalidParameterError(
            f"`data` must be a Dataset or an items DataFrame, but a "
            f"{type(data).__name__} was passed."
        )
    return items


def _window(value: Any, name: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if value is None:
        return None
    try:
        start, end = (pd.Timestamp(v) for v in value)
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(
            f"`{name}` must be a (start, end) pair of dates such as "
            f"('2024-01-01', '2024-12-31'), but {value!r} was passed."
        ) from err
    return start, end


def seizure_counts(
    data: Any,
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
    data : Dataset or DataFrame
        A Dataset (its ``items``) or an items table.
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
    items = _items(data)
    if by not in items.columns:
        raise InvalidParameterError(
            f"The value for `by` must be an items column such as 'category' or "
            f"'country', but {by!r} was passed."
        )
    keep = pd.Series(True, index=items.index)
    if "duplicate_of" in items.columns:
        keep &= items["duplicate_of"].isna().to_numpy()
    if item_kind is not None:
        kind = items["item_kind"] if "item_kind" in items.columns else None
        if kind is None:
            kind = pd.Series(pd.NA, index=items.index, dtype="string")
        mask = kind == item_kind
        if item_kind == "weapon" and "category" in items.columns:
            mask = mask | (kind.isna() & items["category"].notna())
        keep &= mask.fillna(False).to_numpy(dtype=bool)
    values = items[by].astype("string")
    when = pd.to_datetime(items["seized_on"]) if "seized_on" in items else None

    def count(window: tuple[pd.Timestamp, pd.Timestamp] | None) -> pd.Series:
        mask = keep
        if window is not None:
            if when is None:
                raise InvalidParameterError(
                    "Counting by period needs the items column `seized_on`."
                )
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


def plot_seizures_by(
    data: Any,
    by: str = "category",
    *,
    period: tuple[Any, Any] | None = None,
    previous: tuple[Any, Any] | None = None,
    item_kind: str | None = "weapon",
    top: int | None = 10,
    labels: Mapping[str, str] | Callable[[str], str] | None = None,
    legend: tuple[str, str] = ("this period", "previous period"),
    other: str = "other",
    xlabel: str = "weapons recovered",
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Horizontal bars of records recovered per value, this period against the last.

    Parameters
    ----------
    data : Dataset, items DataFrame, or the output of :func:`seizure_counts`
        Counted with :func:`seizure_counts` unless it has a ``count`` column.
    by, period, previous, item_kind, top
        As in :func:`seizure_counts`.
    labels : mapping or callable, optional
        How to print each value (e.g. ``{"assault_rifle": "fusil d'assaut"}``);
        by default values are printed with ``_`` as a space.
    legend : (str, str)
        Labels of the current and previous period bars.
    other : str, default "other"
        Label of the row that sums the values below ``top``.
    xlabel : str, default "weapons recovered"
    title : str, optional
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.barh`` for the current period.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per value (largest on top), a thinner paler bar for the
        previous period when there is one.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item_kind": "weapon",
    ...     "category": ["pistol", "pistol", "assault_rifle", "pistol"],
    ...     "seized_on": pd.to_datetime(["2024-02-01", "2023-03-01", "2024-04-01",
    ...                                  "2024-05-01"])})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_seizures_by(items, period=("2024-01-01", "2024-12-31"),
    ...                       previous=("2023-01-01", "2023-12-31"),
    ...                       labels={"assault_rifle": "fusil d'assaut"})
    >>> [t.get_text() for t in ax.get_yticklabels()]  # bottom to top
    ["fusil d'assaut", 'pistol']
    >>> len(ax.containers)
    2
    """
    ax = plt.gca() if ax is None else ax
    if isinstance(data, pd.DataFrame) and "count" in data.columns:
        table = data
        by = next(c for c in table.columns if c not in ("count", "previous"))
    else:
        table = seizure_counts(
            data, by, period=period, previous=previous, item_kind=item_kind, top=top
        )
    if table.empty:
        ax.text(0.5, 0.5, "–", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return ax

    def name(value: Any) -> str:
        if pd.isna(value):
            return other
        if callable(labels):
            return labels(str(value))
        if labels is not None and value in labels:
            return labels[value]
        return str(value).replace("_", " ")

    table = table.iloc[::-1]
    y = np.arange(len(table))
    has_previous = "previous" in table.columns
    height = 0.4 if has_previous else 0.7
    kwargs.setdefault("color", PERIOD_COLOURS[0])
    ax.barh(
        y + (height / 2 if has_previous else 0),
        table["count"].astype(float),
        height=height,
        label=legend[0],
        **kwargs,
    )
    if has_previous:
        ax.barh(
            y - height / 2,
            table["previous"].astype(float),
            height=height,
            color=PERIOD_COLOURS[1],
            label=legend[1],
        )
        ax.legend(fontsize="small", loc="lower right")
    ax.set_yticks(y, [name(v) for v in table[by]])
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        ax.set_title(title)
    return ax
