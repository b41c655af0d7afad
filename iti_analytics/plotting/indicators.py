"""Charts of trace operations and indicators, one function per figure.

Each function follows seaborn's contract: ``data`` first (an indicator table,
or a Dataset from which it is computed), keyword-only options, ``ax=None``
draws on ``plt.gca()``, and the Axes is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from ..exceptions import InvalidParameterError
from ..indicators import (
    response_curves,
    sdg_16_4_2,
    time_to_recovery,
    trace_performance,
)
from ..indicators.operations import OUTCOMES

__all__ = [
    "plot_response_times",
    "plot_outcome_mix",
    "plot_sdg_16_4_2",
    "plot_trends",
    "plot_time_to_recovery",
]

#: colours of the trace outcomes, good to bad, then pending/unknown in grey.
_OUTCOME_COLOURS = {
    "traced": "#1a9850",
    "partially_traced": "#91cf60",
    "not_traced": "#fdae61",
    "record_not_found": "#f46d43",
    "records_unavailable": "#d73027",
    "refused": "#a50026",
    "incomplete_request": "#762a83",
    "pending": "#bdbdbd",
    "unknown": "#e0e0e0",
}


def _axes(ax: Axes | None) -> Axes:
    return plt.gca() if ax is None else ax


#: how a chart prints a value: a mapping of value to words, or a function.
Labels = Mapping[Any, str] | Callable[[Any], str] | None


def _word(value: Any, labels: Labels, unknown: str) -> str:
    """``value`` in words: through ``labels`` when given, ``unknown`` when null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return unknown
    if callable(labels):
        return str(labels(value))
    if labels is not None and value in labels:
        return str(labels[value])
    return str(value)


def _label(
    values: pd.DataFrame,
    labels: Labels = None,
    unknown: str = "unknown",
    everything: str = "all",
) -> pd.Series:
    """One label per row: the group's values in words, joined by `` · ``."""
    if values.shape[1] == 0:
        return pd.Series([everything] * len(values), index=values.index)
    words = []
    for column in values.columns:
        col = values[column].astype("object")
        distinct = pd.unique(col)  # each distinct value once
        names = {v: _word(v, labels, unknown) for v in distinct if not pd.isna(v)}
        words.append(col.map(names).fillna(unknown).astype(str))
    out = words[0]
    for more in words[1:]:
        out = out + " · " + more
    return out


def _need(data: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InvalidParameterError(
            f"`data` for {what} lacks the columns {missing}. Pass the table returned "
            "by the matching indicator function, or a Dataset."
        )


def plot_response_times(
    data: Any,
    *,
    by: str | list[str] | None = "requested_party",
    event: str = "answer",
    as_of: Any = None,
    top: int | None = 8,
    labels: Labels = None,
    unknown: str = "unknown",
    xlabel: str = "days since the request was sent",
    ylabel: str | None = None,
    legend_title: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Kaplan–Meier curves: share of trace requests still unanswered, by days.

    Parameters
    ----------
    data : Dataset, traces DataFrame, or the output of ``response_curves``
        Curves are computed with :func:`iti_analytics.indicators.response_curves`
        unless ``data`` already has a ``still_waiting`` column.
    by, event, as_of
        As in ``response_curves``.
    top : int or None, default 8
        Draw the parties with the most requests only.
    labels : mapping or callable, optional
        How to print each group value in the legend (``{"FRA": "France"}``);
        by default as written. Each entry ends with ``(n=…)``.
    unknown : str, default "unknown"
        Legend entry of the group whose value is null.
    xlabel : str, default "days since the request was sent"
    ylabel : str, optional
        Default: "share still unanswered" (or "unacknowledged").
    legend_title : str, optional
        Default: the grouping columns.
    title : str, optional
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.step``.

    Returns
    -------
    matplotlib.axes.Axes
        One step line per group.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> traces = pd.DataFrame({"requested_party": ["FRA", "FRA", "BEL"],
    ...     "sent_on": pd.to_datetime(["2024-01-01"] * 3),
    ...     "responded_on": pd.to_datetime(["2024-01-11", None, "2024-01-21"])})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_response_times(traces, as_of="2024-03-01", ax=ax)
    >>> len(ax.lines), ax.get_ylabel()
    (2, 'share still unanswered')
    >>> ax = plot_response_times(traces, as_of="2024-03-01", labels={"FRA": "France"},
    ...     xlabel="jours", ylabel="part sans réponse", legend_title="partie",
    ...     ax=plt.figure().gca())
    >>> [t.get_text() for t in ax.get_legend().get_texts()], ax.get_xlabel()
    (['France (n=2)', 'BEL (n=1)'], 'jours')
    """
    ax = _axes(ax)
    if isinstance(data, pd.DataFrame) and "still_waiting" in data.columns:
        curves = data
        keys = [
            c
            for c in curves.columns
            if c not in ("days", "at_risk", "events", "censored", "still_waiting")
        ]
    else:
        curves = response_curves(data, by=by, event=event, as_of=as_of)
        keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    label = _label(curves[keys], labels, unknown)
    size = (
        curves.groupby(label, sort=False)["at_risk"]
        .max()
        .sort_values(ascending=False, kind="stable")
    )
    names = list(size.index[:top] if top else size.index)
    for name in names:
        curve = curves[(label == name).to_numpy()]
        n = int(size[name])
        ax.step(
            curve["days"],
            curve["still_waiting"],
            where="post",
            label=f"{name} (n={n})",
            **kwargs,
        )
    ax.set_xlabel(xlabel)
    if ylabel is None:
        waited = curves.attrs.get("event", event)
        ylabel = (
            "share still unacknowledged"
            if waited == "acknowledge"
            else "share still unanswered"
        )
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if names:
        if legend_title is None:
            legend_title = ", ".join(keys) if keys else None
        ax.legend(title=legend_title, fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def plot_outcome_mix(
    data: Any,
    *,
    by: str | list[str] | None = "requested_party",
    as_of: Any = None,
    labels: Labels = None,
    outcome_labels: Labels = None,
    unknown: str = "unknown",
    xlabel: str = "share of trace requests",
    legend_title: str | None = "outcome",
    title: str | None = None,
    legend_kws: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Stacked horizontal bars: share of requests per outcome, per group.

    Parameters
    ----------
    data : Dataset, traces DataFrame, or the output of ``trace_performance``
        The ``outcome_*`` columns are computed unless present.
    by, as_of
        As in ``trace_performance``.
    labels : mapping or callable, optional
        How to print each group value on the y axis; by default as written.
    outcome_labels : mapping or callable, optional
        How to print each outcome in the legend; by default the outcome with
        ``_`` as a space (``record not found``).
    unknown : str, default "unknown"
        Label of the group whose value is null.
    xlabel : str, default "share of trace requests"
    legend_title : str or None, default "outcome"
    title : str, optional
    legend_kws : mapping, optional
        Passed to ``Axes.legend`` over the default placement (outside the
        Axes, at its right).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per outcome that occurs, one bar per group in each.
        The legend sits outside the Axes, at its right (``fig.tight_layout()``
        or ``bbox_inches="tight"`` keep it in the figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> traces = pd.DataFrame({"requested_party": ["FRA", "FRA", "BEL"],
    ...     "sent_on": pd.to_datetime(["2024-01-01"] * 3),
    ...     "responded_on": pd.to_datetime(["2024-01-11", None, "2024-01-21"]),
    ...     "outcome": ["traced", None, "refused"]})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_outcome_mix(traces, ax=ax)
    >>> len(ax.containers), len(ax.patches)
    (3, 6)
    >>> ax = plot_outcome_mix(traces, outcome_labels={"traced": "tracée"},
    ...                       legend_title=None, ax=plt.figure().gca())
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['tracée', 'refused', 'pending']
    """
    ax = _axes(ax)
    if isinstance(data, pd.DataFrame) and "outcome_traced" in data.columns:
        perf = data
    else:
        perf = trace_performance(data, by=by, as_of=as_of)
    share_cols = [f"outcome_{o}" for o in OUTCOMES]
    _need(perf, share_cols, "plot_outcome_mix")
    known = set(share_cols) | {
        "requests",
        "acknowledged",
        "answered",
        "acknowledged_share",
        "answered_share",
        "median_days_to_acknowledge",
        "median_days_to_answer",
        "p90_days_to_answer",
        "estimator",
    }
    keys = [c for c in perf.columns if c not in known]
    names = _label(perf[keys], labels, unknown).tolist()
    y = np.arange(len(perf))
    left = np.zeros(len(perf))
    for outcome in OUTCOMES:
        values = perf[f"outcome_{outcome}"].astype(float).fillna(0).to_numpy()
        if not values.any():
            continue
        ax.barh(
            y,
            values,
            left=left,
            color=_OUTCOME_COLOURS[outcome],
            label=_word(
                outcome,
                outcome_labels if outcome_labels is not None else _spaced,
                unknown,
            ),
            **kwargs,
        )
        left += values
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    # outside the Axes, at the right: never over the bars (they fill the width)
    placement = {
        "fontsize": "small",
        "title": legend_title,
        "title_fontsize": "small",
        "loc": "upper left",
        "bbox_to_anchor": (1.02, 1.0),
        "borderaxespad": 0.0,
        "frameon": False,
        **dict(legend_kws or {}),
    }
    ax.legend(**placement)
    if title:
        ax.set_title(title)
    return ax


def _spaced(value: Any) -> str:
    return str(value).replace("_", " ")


def plot_sdg_16_4_2(
    data: Any,
    *,
    x: str = "year",
    hue: str | None = "country",
    labels: Labels = None,
    unknown: str = "unknown",
    xlabel: str | None = None,
    ylabel: str = "weapons with illicit origin established",
    legend_title: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """SDG 16.4.2 over time: share of recovered weapons with established origin.

    Parameters
    ----------
    data : Dataset or the output of ``sdg_16_4_2``
        Computed with ``sdg_16_4_2(data, by=[hue, x])`` unless it has a
        ``proportion`` column.
    x : str, default "year"
    hue : str or None, default "country"
        One line per value.
    labels : mapping or callable, optional
        How to print each ``hue`` value in the legend; by default as written.
    unknown : str, default "unknown"
        Legend entry of a null ``hue`` value.
    xlabel : str, optional
        Default: ``x``.
    ylabel : str, default "weapons with illicit origin established"
    legend_title : str, optional
        Default: ``hue``.
    title : str, optional
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib.axes.Axes
        One line (with markers) per ``hue`` value; missing country-years are
        gaps, not zeros.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> table = pd.DataFrame({"country": ["MLI", "MLI", "NER"],
    ...     "year": [2022, 2023, 2023], "numerator": [1, 3, 2],
    ...     "denominator": [4, 6, 2], "proportion": [0.25, 0.5, 1.0]})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_sdg_16_4_2(table, ax=ax)
    >>> len(ax.lines), [t.get_text() for t in ax.get_legend().get_texts()]
    (2, ['MLI', 'NER'])
    """
    ax = _axes(ax)
    if isinstance(data, pd.DataFrame) and "proportion" in data.columns:
        table = data
    else:
        table = sdg_16_4_2(data, by=[c for c in (hue, x) if c])
    _need(table, [x, "proportion"] + ([hue] if hue else []), "plot_sdg_16_4_2")
    groups = table.groupby(hue, sort=True, dropna=False) if hue else [(None, table)]
    for name, grp in groups:
        grp = grp.sort_values(x)
        label = _word(name, labels, unknown) if hue else None
        ax.plot(
            grp[x].astype(float),
            grp["proportion"].astype(float),
            marker="o",
            label=label,
            **kwargs,
        )
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(x if xlabel is None else xlabel)
    ax.set_ylabel(ylabel)
    if hue:
        ax.legend(title=hue if legend_title is None else legend_title, fontsize="small")
    if x == "year":
        ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        ax.set_title(title)
    return ax


def plot_trends(
    data: pd.DataFrame,
    *,
    top: int | None = 6,
    band: bool = True,
    labels: Labels = None,
    unknown: str = "unknown",
    everything: str = "all",
    xlabel: str = "period",
    ylabel: str = "items recovered",
    legend_title: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Counts over time per group, with the baseline and its band.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`iti_analytics.indicators.trends`.
    top : int or None, default 6
        Draw the groups with the largest totals only.
    band : bool, default True
        Shade the band between ``lower`` and ``upper``.
    labels : mapping or callable, optional
        How to print each group value in the legend; by default as written.
    unknown : str, default "unknown"
        Legend entry of a null group value.
    everything : str, default "all"
        Legend entry of the single series when there is no grouping.
    xlabel : str, default "period"
    ylabel : str, default "items recovered"
    legend_title : str, optional
        Default: the grouping columns.
    title : str, optional
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.plot`` for the counts.

    Returns
    -------
    matplotlib.axes.Axes
        Per group: a solid line (counts), a dashed line (baseline) and a
        shaded band.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from iti_analytics.indicators import trends
    >>> items = pd.DataFrame({"item_kind": "weapon", "admin1": ["A", "B"] * 10,
    ...     "seized_on": pd.date_range("2024-01-01", periods=20, freq="10D")})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_trends(trends(items, by="admin1", window=3), ax=ax)
    >>> len(ax.lines), len(ax.collections)
    (4, 2)
    """
    ax = _axes(ax)
    _need(data, ["period", "count", "baseline", "lower", "upper"], "plot_trends")
    fixed = {"period", "count", "baseline", "lower", "upper", "history"}
    keys = [c for c in data.columns if c not in fixed]
    label = _label(data[keys], labels, unknown, everything)
    totals = (
        data.groupby(label, sort=False)["count"]
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    names = list(totals.index[:top] if top else totals.index)
    period = data["period"]
    when = (
        period.dt.to_timestamp()
        if isinstance(period.dtype, pd.PeriodDtype)
        else (pd.to_datetime(period))
    )
    for name in names:
        mask = (label == name).to_numpy()
        t = when[mask]
        (line,) = ax.plot(t, data.loc[mask, "count"], label=name, **kwargs)
        colour = line.get_color()
        ax.plot(
            t, data.loc[mask, "baseline"], linestyle="--", color=colour, linewidth=1
        )
        if band:
            ax.fill_between(
                t,
                data.loc[mask, "lower"].astype(float),
                data.loc[mask, "upper"].astype(float),
                color=colour,
                alpha=0.15,
                linewidth=0,
            )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend_title is None:
        legend_title = ", ".join(keys) if keys else None
    ax.legend(title=legend_title, fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def plot_time_to_recovery(
    data: Any,
    *,
    threshold_years: int = 3,
    bins: int | str | np.ndarray = "auto",
    as_of: Any = None,
    threshold_label: str | Callable[[float, float], str] | None = None,
    xlabel: str = "years from last legal event to recovery",
    ylabel: str = "items",
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Histogram of years from the last legal event to recovery, with the threshold.

    Parameters
    ----------
    data : Dataset, items DataFrame, or the output of ``time_to_recovery``
        Computed with :func:`iti_analytics.indicators.time_to_recovery`
        unless ``data`` has a ``years`` column.
    threshold_years : int, default 3
        Draws a vertical line there and writes the share under it.
    bins : int, str or array, default "auto"
        Passed to ``Axes.hist``.
    as_of : date, optional
        Passed to ``time_to_recovery``.
    threshold_label : str or callable, optional
        Legend entry of the threshold line: a format string with ``{years}``
        and ``{share}`` (a fraction, e.g. ``"{years:g} ans : {share:.0%}"``),
        or ``f(years, share) -> str``. Default: "3 years: 67% recovered sooner".
    xlabel : str, default "years from last legal event to recovery"
    ylabel : str, default "items"
    title : str, optional
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.hist``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": ["a", "b", "c"],
    ...     "last_legal_on": pd.to_datetime(["2019-06-01", "2012-01-15",
    ...                                      "2022-01-01"]),
    ...     "seized_on": pd.to_datetime(["2021-03-01", "2023-01-15", "2023-05-05"])})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_time_to_recovery(items, bins=4, ax=ax)
    >>> len(ax.patches), len(ax.lines), ax.get_legend().get_texts()[0].get_text()
    (4, 1, '3 years: 67% recovered sooner')
    """
    ax = _axes(ax)
    if isinstance(data, pd.DataFrame) and "years" in data.columns:
        ttr = data
    else:
        ttr = time_to_recovery(data, as_of=as_of, threshold_years=threshold_years)
    years = ttr["years"].astype(float).dropna()
    ax.hist(years, bins=bins, color="#4c72b0", **kwargs)
    flag = f"under_{threshold_years:g}_years"
    if flag in ttr.columns and len(ttr):
        under = float(ttr[flag].astype(float).mean())
    else:
        under = float((years < threshold_years).mean()) if len(years) else np.nan
    if threshold_label is None:
        threshold_label = "{years:g} years: {share:.0%} recovered sooner"
    if callable(threshold_label):
        line_label = threshold_label(threshold_years, under)
    else:
        line_label = threshold_label.format(years=threshold_years, share=under)
    ax.axvline(threshold_years, color="#c44e52", linestyle="--", label=line_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax
