"""Charts of the network analyses: networks, brokers, batches, corridors, custody."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..exceptions import InvalidParameterError

__all__ = [
    "plot_networks",
    "plot_brokers",
    "plot_batches",
    "plot_corridors",
    "plot_custody_chain",
    "plot_flow_matrix",
    "plot_graph",
    "KIND_COLORS",
]

#: one colour per node kind, shared by every network chart.
KIND_COLORS = {
    "item": "#7f7f7f",
    "seizure": "#1f77b4",
    "actor": "#d62728",
    "place": "#2ca02c",
    "lot": "#9467bd",
    "batch": "#ff7f0e",
    "trace": "#17becf",
    "diversion_point": "#8c564b",
}


def _need(data: pd.DataFrame, columns: list[str], what: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise InvalidParameterError(
            f"{what} needs a DataFrame, but a {type(data).__name__} was passed."
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InvalidParameterError(
            f"{what} needs the columns {missing}; pass the table returned by the "
            "matching analysis function."
        )


def _empty(ax: Axes, message: str) -> Axes:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_networks(
    data: pd.DataFrame, *, top: int = 15, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Bar chart of the largest networks: seizures, coloured by countries spanned.

    Parameters
    ----------
    data : DataFrame
        The table of :func:`~iti_analytics.network.networks`.
    top : int, default 15
        Networks shown.
    ax : matplotlib Axes, optional
        Where to draw (default: the current Axes).
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from iti_analytics.network import networks
    >>> items = pd.DataFrame({"record_id": ["a", "b"], "seizure_id": ["1", "2"],
    ...                       "actor": ["X", "X"], "country": ["NER", "MLI"]})
    >>> fig, ax = plt.subplots()
    >>> plot_networks(networks(items), ax=ax).get_xlabel()
    'seizures'
    """
    _need(data, ["network_id", "seizures", "n_countries"], "plot_networks")
    ax = plt.gca() if ax is None else ax
    if data.empty:
        return _empty(ax, "no network of two seizures or more")
    d = data.head(top).iloc[::-1]
    n_c = d["n_countries"].fillna(0).astype(float).to_numpy()
    colors = plt.cm.viridis(n_c / max(n_c.max(), 1))
    kwargs.setdefault("color", colors)
    ax.barh(d["network_id"].astype(str), d["seizures"].astype(float), **kwargs)
    for y, (s, c, span) in enumerate(
        zip(
            d["seizures"],
            d["n_countries"],
            d.get("span_days", [None] * len(d)),
            strict=False,
        )
    ):
        label = f" {int(c)} countr{'y' if c == 1 else 'ies'}"
        if span is not None and not pd.isna(span):
            label += f", {int(span)} days"
        ax.text(float(s), y, label, va="center", fontsize=8)
    ax.set_xlabel("seizures")
    ax.set_ylabel("network")
    ax.set_title("Largest networks of linked seizures")
    return ax


def plot_brokers(
    data: pd.DataFrame, *, top: int = 15, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Bar chart of the top brokers by betweenness, actors and places coloured apart.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from iti_analytics.network import brokers
    >>> items = pd.DataFrame({"record_id": ["1", "2"], "country": ["NER", "MLI"],
    ...                       "actor": ["Z", "Z"]})
    >>> fig, ax = plt.subplots()
    >>> plot_brokers(brokers(items), ax=ax).get_xlabel()
    'betweenness'
    """
    _need(data, ["name", "kind", "betweenness"], "plot_brokers")
    ax = plt.gca() if ax is None else ax
    if data.empty:
        return _empty(ax, "no actor or place")
    d = data.head(top).iloc[::-1]
    kwargs.setdefault("color", [KIND_COLORS.get(k, "grey") for k in d["kind"]])
    labels = [f"{n} ({k})" for n, k in zip(d["name"], d["kind"], strict=False)]
    ax.barh(labels, d["betweenness"].astype(float), **kwargs)
    ax.set_xlabel("betweenness")
    ax.set_title("Brokers: actors and places that bridge the network")
    return ax


def plot_batches(
    data: pd.DataFrame, *, top: int = 20, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Timeline of batches: first to last recovery, dot size = items, label = countries.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from iti_analytics.network import batches
    >>> items = pd.DataFrame({"record_id": ["a", "b"], "make": "Norinco",
    ...     "serial": ["A100", "A101"], "country": ["MLI", "NER"],
    ...     "seized_on": pd.to_datetime(["2020-01-01", "2021-06-01"])})
    >>> fig, ax = plt.subplots()
    >>> plot_batches(batches(items), ax=ax).get_title()
    'Batches found across seizures'
    """
    _need(data, ["batch_id", "items", "first_seen", "last_seen"], "plot_batches")
    ax = plt.gca() if ax is None else ax
    d = data.dropna(subset=["first_seen"]).head(top).iloc[::-1]
    if d.empty:
        return _empty(ax, "no dated batch")
    y = np.arange(len(d))
    start = pd.to_datetime(d["first_seen"]).to_numpy()
    end = pd.to_datetime(d["last_seen"]).fillna(d["first_seen"]).to_numpy()
    color = kwargs.pop("color", KIND_COLORS["batch"])
    ax.hlines(y, start, end, color=color, linewidth=2, **kwargs)
    sizes = 20 + 10 * d["items"].astype(float).to_numpy()
    ax.scatter(start, y, s=sizes, color=color, zorder=3)
    ax.scatter(end, y, s=sizes, color=color, zorder=3)
    ax.set_yticks(y)
    ax.set_yticklabels(
        [
            f"{b} ({c})"
            for b, c in zip(
                d["batch_id"], d.get("countries", d["batch_id"]), strict=False
            )
        ]
    )
    ax.set_xlabel("recovered")
    ax.set_title("Batches found across seizures")
    return ax


def plot_corridors(
    data: pd.DataFrame, *, top: int = 15, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Bar chart of the busiest corridors, each with its share of the destination.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from iti_analytics.network import corridors
    >>> items = pd.DataFrame({"record_id": ["a"], "country": ["MLI"],
    ...                       "origin_country": ["LBY"]})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_corridors(corridors(items), ax=ax)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['LBY → MLI']
    """
    _need(data, ["origin", "destination", "count"], "plot_corridors")
    ax = plt.gca() if ax is None else ax
    if data.empty:
        return _empty(ax, "no corridor")
    d = data.sort_values("count", ascending=False, kind="stable").head(top).iloc[::-1]
    labels = [f"{o} → {t}" for o, t in zip(d["origin"], d["destination"], strict=False)]
    kwargs.setdefault("color", "#1f77b4")
    ax.barh(labels, d["count"].astype(float), **kwargs)
    if "share_of_destination" in d:
        for y, (c, s) in enumerate(
            zip(d["count"], d["share_of_destination"], strict=False)
        ):
            if not pd.isna(s):
                ax.text(float(c), y, f" {float(s):.0%}", va="center", fontsize=8)
    ax.set_xlabel("count")
    ax.set_title("Corridors (share of what the destination receives)")
    return ax


def plot_custody_chain(
    data: pd.DataFrame, *, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Timeline of a custody chain: one row per step, dated steps on the time axis.

    The rows follow the chain (first step at the top), the x axis is time.

    - A step known only by its year (``when`` is ``"2011"``) is drawn with a
      bar over that year; its marker sits at the earliest date of the year
      that does not come before the previous step, so the line only goes
      forward in time when the records allow it.
    - A segment drawn dashed in red goes back in time: the records' dates
      contradict the custody sequence (e.g. a diversion dated before the
      import); check the evidence of the two steps.
    - Steps without a date are never put on the time axis: their hollow
      markers sit on a separate grey "date unknown" band at the right of the
      chart (an inset Axes sharing the rows, ``ax.child_axes[0]``), and their
      row label ends with "(date unknown)".

    Parameters
    ----------
    data : DataFrame
        The table of :func:`~iti_analytics.network.custody_chain`.
    ax : matplotlib Axes, optional
        Where to draw (default: the current Axes).
    **kwargs
        Passed to ``Axes.plot`` (the line through the dated steps).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from iti_analytics.network import custody_chain
    >>> items = pd.DataFrame({"record_id": ["a"], "country": ["MLI"],
    ...     "seized_on": pd.to_datetime(["2021-03-01"]), "make": ["Norinco"],
    ...     "country_of_manufacture": ["CHN"], "import_country": ["LBY"]})
    >>> fig, ax = plt.subplots()
    >>> ax = plot_custody_chain(custody_chain(items, "a"), ax=ax)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['recovery: MLI', 'import: LBY (date unknown)', 'manufacture: CHN (date unknown)']
    >>> ax.child_axes[0].get_xlabel().split()
    ['date', 'unknown']
    """
    _need(data, ["step", "date", "place"], "plot_custody_chain")
    ax = plt.gca() if ax is None else ax
    if data.empty:
        return _empty(ax, "nothing known about this item")
    d = data.reset_index(drop=True)
    n = len(d)
    y = np.arange(n)[::-1]  # the first step at the top
    dates = pd.to_datetime(d["date"])
    known = dates.notna().to_numpy()
    when = d["when"] if "when" in d else pd.Series([pd.NA] * n)
    when = when.astype("string")
    year_only = when.str.fullmatch(r"\d{4}").fillna(False).to_numpy(dtype=bool)
    color = kwargs.pop("color", "#1f77b4")
    if known.any():
        x = _forward_dates(dates, year_only, known)
        idx = np.flatnonzero(known)
        xs, ys = x[idx], y[idx]
        back = xs[1:] < xs[:-1]  # segments that go back in time
        labelled = False
        for i in range(len(idx) - 1):
            style: dict[str, Any] = {}
            if back[i]:
                style = {"color": "#d62728", "linestyle": "--", "alpha": 0.8}
                if not labelled:
                    style["label"] = "dates contradict the sequence"
                    labelled = True
            ax.plot(
                xs[i : i + 2],
                ys[i : i + 2],
                **({"color": color, "alpha": 0.4} | kwargs | style),
            )
        if labelled:
            ax.legend(fontsize="small", loc="best")
        spans = idx[year_only[idx]]
        if len(spans):
            start = dates.iloc[spans]
            ax.hlines(
                y[spans],
                start,
                start + pd.offsets.YearEnd(0),
                color=color,
                alpha=0.25,
                linewidth=6,
            )
        ax.scatter(xs, ys, color=color, zorder=3)
    else:
        ax.set_xticks([])
        ax.text(
            0.5, 0.5, "no dated step", ha="center", va="center", transform=ax.transAxes
        )
    labels = []
    for step, place, ok in zip(d["step"], d["place"], known, strict=False):
        text = f"{step}: {place}" if not pd.isna(place) else str(step)
        labels.append(text if ok else f"{text} (date unknown)")
    ax.set_yticks(y[::-1], labels[::-1])  # bottom to top
    ax.set_ylim(-0.5, n - 0.5)
    if (~known).any():
        band = ax.inset_axes([1.02, 0, 0.07, 1], sharey=ax)
        band.scatter(
            np.full(int((~known).sum()), 0.5),
            y[~known],
            facecolors="none",
            edgecolors=color,
            zorder=3,
        )
        band.set_facecolor("#eeeeee")
        band.set_xlim(0, 1)
        band.set_xticks([])
        band.tick_params(axis="y", left=False, labelleft=False)
        band.set_xlabel("date\nunknown", fontsize="small")
    ax.set_title("Custody chain")
    return ax


def _forward_dates(
    dates: pd.Series, year_only: np.ndarray, known: np.ndarray
) -> np.ndarray:
    """X of each dated step: a year-only step no earlier than the step before.

    Exact dates stay where they are; a year-only date may move within its year
    (1 January to 31 December) to keep the chain going forward in time.
    """
    x = dates.to_numpy(dtype="datetime64[ns]").copy()
    ends = (dates + pd.offsets.YearEnd(0)).to_numpy(dtype="datetime64[ns]")
    previous = None
    for i in np.flatnonzero(known):  # a few steps: a plain loop
        if year_only[i] and previous is not None:
            x[i] = min(max(x[i], previous), ends[i])
        previous = x[i]
    return x


def plot_flow_matrix(
    data: pd.DataFrame,
    *,
    top: int = 20,
    log: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Heat map of origin x destination counts (movements or corridors), top places.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> mv = pd.DataFrame({"origin": ["US-VA", "US-GA"], "destination": ["US-NY"] * 2,
    ...                    "count": [644, 300]})
    >>> fig, ax = plt.subplots()
    >>> plot_flow_matrix(mv, ax=ax).get_xlabel()
    'destination'
    """
    _need(data, ["origin", "destination", "count"], "plot_flow_matrix")
    ax = plt.gca() if ax is None else ax
    d = data.dropna(subset=["origin", "destination"])
    if d.empty:
        return _empty(ax, "no flow")
    counts = d["count"].astype(float)
    top_o = counts.groupby(d["origin"].to_numpy()).sum().nlargest(top).index
    top_d = counts.groupby(d["destination"].to_numpy()).sum().nlargest(top).index
    m = (
        d.assign(count=counts)
        .pivot_table(
            index="origin",
            columns="destination",
            values="count",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(index=top_o, columns=top_d, fill_value=0)
    )
    values = np.log10(m.to_numpy() + 1) if log else m.to_numpy()
    kwargs.setdefault("cmap", "viridis")
    image = ax.imshow(values, aspect="auto", **kwargs)
    ax.set_xticks(range(len(m.columns)))
    ax.set_xticklabels(m.columns, rotation=90, fontsize=7)
    ax.set_yticks(range(len(m.index)))
    ax.set_yticklabels(m.index, fontsize=7)
    ax.set_xlabel("destination")
    ax.set_ylabel("origin")
    ax.figure.colorbar(image, ax=ax, label="log10(count + 1)" if log else "count")
    return ax


def plot_graph(
    G: Any,
    *,
    max_nodes: int = 500,
    seed: int = 0,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a (small) graph from ``build_graph``, nodes coloured by kind.

    Graphs above ``max_nodes`` are cut to the nodes closest to the best
    connected non-item nodes, so the chart stays readable.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from iti_analytics.network import build_graph
    >>> G = build_graph(pd.DataFrame({"record_id": ["1", "2"], "actor": ["X", "X"]}))
    >>> fig, ax = plt.subplots()
    >>> len(plot_graph(G, ax=ax).collections) >= 1
    True
    """
    import networkx as nx

    ax = plt.gca() if ax is None else ax
    if G.number_of_nodes() == 0:
        return _empty(ax, "empty graph")
    H = G
    if G.number_of_nodes() > max_nodes:
        hubs = sorted(
            (n for n, k in G.nodes(data="kind") if k != "item"),
            key=lambda n: -G.degree(n),
        )
        keep: list = []
        U = G.to_undirected(as_view=True)
        for hub in hubs:
            for n in nx.bfs_tree(U, hub, depth_limit=1):
                if len(keep) >= max_nodes:
                    break
                keep.append(n)
            if len(keep) >= max_nodes:
                break
        H = G.subgraph(dict.fromkeys(keep))
    pos = nx.spring_layout(H, seed=seed)
    colors = [KIND_COLORS.get(k, "grey") for _, k in H.nodes(data="kind")]
    kwargs.setdefault("node_size", 40)
    nx.draw_networkx_edges(H, pos, ax=ax, alpha=0.3, arrows=False)
    nx.draw_networkx_nodes(H, pos, ax=ax, node_color=colors, **kwargs)
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color=c, label=k)
        for k, c in KIND_COLORS.items()
        if k in {kk for _, kk in H.nodes(data="kind")}
    ]
    ax.legend(handles=handles, fontsize=7, loc="best")
    ax.set_axis_off()
    return ax
