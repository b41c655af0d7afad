"""Charts of selective tracing: what each strategy reveals as capacity grows."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from ..exceptions import InvalidParameterError

__all__ = ["plot_capacity_curve", "CURVE_WORDS"]

#: one colour and line style per strategy (colour-blind safe, readable in grey).
_STYLE = {
    "comprehensive": {"color": "#4d4d4d", "linestyle": "--"},
    "risk": {"color": "#d95f02", "linestyle": "-"},
    "diverse": {"color": "#e7298a", "linestyle": (0, (5, 1, 1, 1))},
    "ease": {"color": "#1b9e77", "linestyle": "-."},
    "random": {"color": "#7570b3", "linestyle": ":"},
}
#: the default words of :func:`plot_capacity_curve` (English); pass your own.
CURVE_WORDS: dict[str, str] = {
    "comprehensive": "comprehensive (everything)",
    "risk": "risk-based (selective)",
    "diverse": "one per make, model, year and serial block",
    "ease": "easiest first",
    "random": "random",
    "x_share": "capacity (share of traceable items traced)",
    "x_count": "capacity (traces)",
    "y": "share of what comprehensive tracing reveals",
    "title": "Diversion points revealed: what selective tracing gives up",
    "title_supply": "Armed-group supply lines revealed: what selective tracing "
    "gives up",
    "above": "{name}: {value:.0%}, above the chart",
}
#: below this top share of the selective strategies the y axis is zoomed on them.
ZOOM_BELOW = 0.4


def plot_capacity_curve(
    data: Any,
    *,
    x: str = "capacity",
    y: str = "share_of_comprehensive",
    hue: str = "strategy",
    truth: pd.DataFrame | None = None,
    capacities: Any = (0.05, 0.1, 0.25, 0.5),
    ax: Axes | None = None,
    words: dict[str, str] | None = None,
    marker_at: float | None = None,
    legend: bool = True,
    **kwargs: Any,
) -> Axes:
    """Capacity on x, share of what comprehensive tracing reveals on y, per strategy.

    Parameters
    ----------
    data : DataFrame or Dataset
        The table of :func:`~iti_analytics.tracing.compare_strategies`, or a
        Dataset (compared here at ``capacities``, against ``truth`` if given).
    x, y, hue : str
        Columns to plot: by default ``capacity``, ``share_of_comprehensive``
        (``supply_lines_share`` for armed-group supply lines) and ``strategy``.
    truth : DataFrame, optional
        Only with a Dataset: the synthetic world's truth.
    capacities : sequence, default (0.05, 0.1, 0.25, 0.5)
        Only with a Dataset.
    ax : matplotlib Axes, optional
        Where to draw (default ``plt.gca()``).
    words : dict, optional
        The words on the chart, overriding :data:`CURVE_WORDS` key by key: one
        label per strategy, ``x_share`` / ``x_count`` (x axis), ``y``,
        ``title`` and ``title_supply``; an empty string leaves a title or
        label out; ``above`` is the note written when the axis is zoomed
        (see Notes). A briefing in another language passes its own.
    marker_at : float, optional
        Draw a dotted vertical line at this capacity (the chosen one).
    legend : bool, default True
    **kwargs
        Passed to every ``Axes.plot`` call (``linewidth``, ``marker`` …).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    When every strategy but ``comprehensive`` stays below :data:`ZOOM_BELOW`
    (40 %) of the y scale, as when a few hundred requests are set against
    thousands of traceable items, their curves would lie flat along the x axis
    under a line at 100 %. The y axis is then zoomed on them and the
    comprehensive level is written at the top of the chart instead of drawn.

    Examples
    --------
    >>> import pandas as pd
    >>> cmp = pd.DataFrame({
    ...     "strategy": ["comprehensive"] * 2 + ["risk"] * 2 + ["random"] * 2,
    ...     "capacity": [0.1, 0.25] * 3,
    ...     "share_of_comprehensive": [1, 1, 0.55, 0.8, 0.25, 0.48]})
    >>> ax = plot_capacity_curve(cmp)
    >>> [line.get_label() for line in ax.get_lines()]
    ['comprehensive (everything)', 'risk-based (selective)', 'random']
    >>> ax.get_lines()[1].get_ydata().tolist()
    [0.55, 0.8]
    >>> ax = plot_capacity_curve(cmp, ax=plt.figure().gca(),
    ...                          words={"risk": "fondée sur le risque", "title": ""})
    >>> ax.get_lines()[1].get_label(), ax.get_title()
    ('fondée sur le risque', '')

    Far below comprehensive tracing, the chart zooms on the strategies:

    >>> few = cmp.assign(share_of_comprehensive=[1, 1, 0.02, 0.06, 0.01, 0.03])
    >>> ax = plot_capacity_curve(few, ax=plt.figure().gca())
    >>> [line.get_label() for line in ax.get_lines()]
    ['risk-based (selective)', 'random']
    >>> round(float(ax.get_ylim()[1]), 3), ax.texts[0].get_text()
    (0.075, 'comprehensive (everything): 100%, above the chart')
    """
    if not isinstance(data, pd.DataFrame):
        from ..tracing import compare_strategies

        data = compare_strategies(data, capacities=list(capacities), truth=truth)
    missing = [c for c in (x, y, hue) if c not in data.columns]
    if missing:
        raise InvalidParameterError(
            f"`data` lacks the columns {missing}; pass the table returned by "
            "compare_strategies(ds, capacities, truth=...) or a Dataset."
        )
    w = {**CURVE_WORDS, **(words or {})}
    ax = plt.gca() if ax is None else ax
    order = [s for s in _STYLE if s in set(data[hue])] + sorted(
        set(data[hue].astype(str)) - set(_STYLE)
    )
    shares = pd.to_numeric(data[x], errors="coerce")
    as_share = bool(shares.notna().all() and (shares < 1).all())
    values = pd.to_numeric(data[y], errors="coerce")
    is_share = y.endswith("share") or y.startswith("share")
    selective = values[data[hue].astype(str) != "comprehensive"]
    top = float(values.max()) if values.notna().any() else 1.0
    zoom_top = float(selective.max()) if selective.notna().any() else np.nan
    zoomed = bool(
        is_share
        and "comprehensive" in order
        and np.isfinite(zoom_top)
        and 0 < zoom_top < ZOOM_BELOW
    )
    for name in order:
        if zoomed and name == "comprehensive":
            continue
        part = data[data[hue].astype(str) == name].copy()
        part["_x"] = pd.to_numeric(part[x], errors="coerce")
        part = part.sort_values("_x")
        style = {"marker": "o", "linewidth": 2, **_STYLE.get(name, {}), **kwargs}
        ax.plot(
            part["_x"].to_numpy(dtype=float),
            pd.to_numeric(part[y], errors="coerce").to_numpy(dtype=float),
            label=w.get(name, name),
            **style,
        )
    if as_share:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(w["x_share"])
    else:
        ax.set_xlabel(w["x_count"])
    if zoomed:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        ax.set_ylim(0, zoom_top * 1.25)
        level = values[data[hue].astype(str) == "comprehensive"].max()
        ax.text(
            0.01,
            0.98,
            w["above"].format(name=w.get("comprehensive"), value=float(level)),
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize="small",
            color=_STYLE["comprehensive"]["color"],
        )
    elif is_share:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylim(0, max(1.05, top * 1.05 if np.isfinite(top) else 1.05))
    if marker_at is not None:
        ax.axvline(float(marker_at), color="#888888", linestyle=":", linewidth=1)
    ax.set_ylabel(w["y"])
    ax.set_title(w["title_supply"] if "supply" in y else w["title"])
    ax.grid(True, alpha=0.3)
    if legend:
        ax.legend(loc="lower right", frameon=False)
    return ax
