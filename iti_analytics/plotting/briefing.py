"""Charts of seizures by place or category, this period against the last.

Each function follows seaborn's contract: ``data`` first (anything
:func:`~iti_analytics.dataset.as_dataset` accepts, or the counts table),
keyword-only options, ``ax=None`` draws on ``plt.gca()``, and the Axes is
returned. Words are English by default; every word can be passed in, so a
French briefing draws the same chart in French.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..indicators import seizure_counts

__all__ = ["plot_seizures_by"]

#: colours of the current and previous period.
PERIOD_COLOURS = ("#1f4e79", "#a6bddb")


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
    empty: str = "no data",
    xlabel: str = "weapons recovered",
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Horizontal bars of records recovered per value, this period against the last.

    Parameters
    ----------
    data : Dataset, items DataFrame, or the output of ``seizure_counts``
        Counted with :func:`iti_analytics.indicators.seizure_counts`
        unless it is a DataFrame with a ``count`` column.
    by, period, previous, item_kind, top
        As in ``seizure_counts``.
    labels : mapping or callable, optional
        How to print each value (e.g. ``{"assault_rifle": "fusil d'assaut"}``);
        by default values are printed with ``_`` as a space.
    legend : (str, str)
        Labels of the current and previous period bars.
    other : str, default "other"
        Label of the row that sums the values below ``top``.
    empty : str, default "no data"
        Written in the middle of the Axes when there is nothing to count.
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
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes)
        if title:
            ax.set_title(title)
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
        # room on the right for the legend, under the shorter bars at the
        # bottom (the largest are on top)
        top = np.nanmax(table[["count", "previous"]].to_numpy(dtype=float))
        if np.isfinite(top) and top > 0:
            ax.set_xlim(0, top * 1.5)
        ax.legend(fontsize="small", loc="lower right")
    ax.set_yticks(y, [name(v) for v in table[by]])
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        ax.set_title(title)
    return ax
