"""Networks of seizures linked through what they share, and their communities."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .._validation import check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ._common import (
    haversine_km,
    joined_unique,
)
from ._tables import DEFAULT_VIA, check_via, link_tables

__all__ = ["networks", "NETWORK_COLUMNS", "MEMBER_COLUMNS"]

#: columns of the table :func:`networks` returns.
NETWORK_COLUMNS = [
    "network_id",
    "seizures",
    "items",
    "actors",
    "countries",
    "n_countries",
    "first_seen",
    "last_seen",
    "span_days",
    "span_km",
    "categories",
    "linked_by",
    "n_communities",
    "community_method",
]

#: columns of the member table (``return_members=True``).
MEMBER_COLUMNS = ["record_id", "seizure", "network_id", "community"]

_VIA_WORDS = {
    "actor": "actor",
    "batch": "batch",
    "lot": "lot",
    "locality": "locality",
    "diversion_point": "diversion point",
}


def networks(
    ds: Any,
    *,
    via: tuple[str, ...] | list[str] | str = DEFAULT_VIA,
    links: pd.DataFrame | None = None,
    batch_members: pd.DataFrame | None = None,
    min_seizures: int = 2,
    communities: str | None = "louvain",
    max_louvain_nodes: int | None = 50_000,
    resolution: float = 1.0,
    seed: int = 0,
    max_gap: int = 10,
    return_members: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Find networks: groups of seizures connected through what they share.

    Two seizures belong to the same network when a chain of shared things
    joins them: an actor, a batch (consecutive serials, one lot), an
    ammunition lot, a locality, or, with ``links``, records of the same
    weapon. Within each network, Louvain communities (networkx, seeded) show
    the tighter groups.

    Parameters
    ----------
    ds : Dataset, DataFrame, mapping or networkx.MultiDiGraph
        A Dataset (or items table), or the graph of :func:`build_graph` (its
        ``held_by``, ``same_batch``, ``shares_lot``, ``at`` and
        ``same_weapon`` edges are read).
    via : sequence of {"actor", "batch", "lot", "locality", "diversion_point"}
        What links seizures; default ``("actor", "batch", "lot")``. Places
        link only at locality level (through a region or a country every
        seizure of a country would fall in one network, which says nothing),
        and only when asked: on the synthetic worlds of
        :mod:`iti_analytics.samples` (20,000 items) adding ``"locality"`` merges
        96 % of seizures into one network and lowers the agreement of the
        communities with the true receiving networks (adjusted Rand index 0.81
        without, 0.54 with). ``diversion_point`` (items diverted from the same
        holder, country and year, from trace results) is off by default too.
        Only strong batches (serial runs) link; lots link through ``"lot"``;
        import marks and headstamps are too common to link.
    links : DataFrame, optional
        Weapon links from ``link_records``: seizures holding records of the
        same weapon are joined (Dataset input only; a graph carries them as
        ``same_weapon`` edges).
    batch_members : DataFrame, optional
        The members table of ``batches(ds, return_members=True)``, if you have
        it already (otherwise it is computed).
    min_seizures : int, default 2
        Smallest network reported (a lone seizure is not a network).
    communities : {"louvain", "label_propagation", None}, default "louvain"
        How to split networks of three seizures or more into communities:
        ``networkx.community.louvain_communities`` (seeded), or
        ``fast_label_propagation_communities`` (linear time, more and smaller
        communities); None for no communities (each network is one).
    max_louvain_nodes : int or None, default 50,000
        networkx's Louvain is pure Python (about 10-30 s per 100,000 nodes).
        A network whose community graph (seizures plus shared things) is
        larger runs Louvain on its shared things only (actors, batches, lots
        tied by the seizures they share; each seizure then joins the
        community of its largest shared thing): five times faster, slightly
        coarser. ``community_method`` says which ran. None: always the full
        graph.
    resolution : float, default 1.0
        Louvain resolution (above 1: smaller communities).
    seed : int, default 0
        Louvain seed, so that results repeat.
    max_gap : int, default 10
        Passed to :func:`batches` when batches are computed here.
    return_members : bool, default False
        Also return the member table.

    Returns
    -------
    networks : DataFrame
        One row per network, largest first: ``network_id`` (``N0001``...),
        ``seizures``, ``items``, ``actors`` (distinct), ``countries``
        (``;``-joined ISO codes), ``n_countries``, ``first_seen``,
        ``last_seen``, ``span_days`` (null when no date is known),
        ``span_km`` (null without coordinates), ``categories`` (weapon
        categories, or item kind when the category is unknown), ``linked_by``
        (what joins its seizures, in words), ``n_communities`` and
        ``community_method`` (null for networks of two seizures).
    members : DataFrame
        Only with ``return_members=True``: one row per item, ``record_id``,
        ``seizure`` (node id), ``network_id`` and ``community``
        (``N0001.2``), null for items outside any reported network.

    Notes
    -----
    Everything is computed from flat tables with a sparse union-find
    (``scipy.sparse.csgraph.connected_components``) over seizures and the
    things they share, so an actor holding 100,000 items costs 100,000 matrix
    entries, never pairs. Louvain runs on the same bipartite graph (seizures
    and shared things that touch at least two seizures), or, for a network
    above ``max_louvain_nodes``, on its shared things only. On 1,000,000
    synthetic items (``benchmarks/bench_network.py``) the whole function takes
    about 25 s, mostly Louvain.

    ``span_km`` is the larger of two great-circle distances: between the
    northern- and southern-most seizures, and between the western- and
    eastern-most (seizure position = mean of its items' coordinates). It is
    exact when the seizures lie along a line and at least half the true
    largest distance otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["a", "b", "c", "d"],
    ...     "seizure_id": ["s1", "s2", "s3", "s4"],
    ...     "country": ["NER", "MLI", "MLI", "BFA"],
    ...     "seized_on": pd.to_datetime(["2021-01-01", "2021-03-01", "2021-02-01",
    ...                                  "2022-01-01"]),
    ...     "actor": ["Groupe X", "Groupe X", None, "Katiba Y"],
    ...     "lot": [None, "L1", "L1", None], "calibre": "7.62x39mm"})
    >>> nets = networks(items)
    >>> nets[["network_id", "seizures", "countries", "span_days", "linked_by"]]
      network_id  seizures countries  span_days     linked_by
    0      N0001         3   MLI;NER         59  actor, lot
    """
    via = check_via(via)
    if communities is not None:
        check_option("communities", communities, ("louvain", "label_propagation", None))
    if min_seizures < 1:
        raise InvalidParameterError(
            f"min_seizures must be 1 or more, but {min_seizures!r} was passed."
        )
    if not isinstance(ds, nx.Graph):
        ds = as_dataset(ds)
    t = link_tables(ds, via, links=links, batch_members=batch_members, max_gap=max_gap)
    items = t.items
    s_codes, s_uniques = pd.factorize(items["seizure"])
    s_index = pd.Index(s_uniques)
    n_s = len(s_uniques)
    hub_s = s_index.get_indexer(t.hubs["seizure"])
    ok = hub_s >= 0
    hub_s = hub_s[ok]
    hubs = t.hubs[ok]
    h_codes, h_uniques = pd.factorize(hubs["hub"])
    deg = np.bincount(h_codes, minlength=len(h_uniques))
    shared = deg[h_codes] >= 2
    pa_ = s_index.get_indexer(t.pairs["seizure_a"])
    pb_ = s_index.get_indexer(t.pairs["seizure_b"])
    pok = (pa_ >= 0) & (pb_ >= 0)
    pa_, pb_ = pa_[pok], pb_[pok]
    rows = np.concatenate([hub_s[shared], pa_])
    cols = np.concatenate([n_s + h_codes[shared], pb_])
    size = n_s + len(h_uniques)
    matrix = coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(size, size)
    )
    _, labels = connected_components(matrix, directed=False)
    comp = labels[:n_s]
    comp_size = np.bincount(comp, minlength=labels.max() + 1 if size else 0)
    item_comp = comp[s_codes] if len(items) else np.array([], dtype=np.int64)
    keep_item = comp_size[item_comp] >= min_seizures if len(items) else item_comp > 0
    table = _network_table(items, s_codes, n_s, item_comp, keep_item)
    # what links each network
    hub_comp = comp[hub_s[shared]]
    linked = pd.DataFrame({"comp": hub_comp, "via": hubs["via"].to_numpy()[shared]})
    if len(pa_):
        linked = pd.concat(
            [linked, pd.DataFrame({"comp": comp[pa_], "via": "same weapon"})]
        )
    linked["via"] = linked["via"].map(lambda v: _VIA_WORDS.get(v, v))
    words = joined_unique(linked["comp"].to_numpy(), linked["via"], sep=", ")
    table["linked_by"] = words.reindex(table.index).astype("string")
    table = table.sort_values(
        ["seizures", "items", "first_seen"],
        ascending=[False, False, True],
        kind="stable",
        na_position="last",
    )
    width = max(4, len(str(len(table))))
    net_id = pd.Series(
        [f"N{i:0{width}d}" for i in range(1, len(table) + 1)],
        index=table.index,
        dtype="string",
    )
    table["network_id"] = net_id
    # communities
    seizure_comm = pd.Series(pd.NA, index=range(n_s), dtype="string")
    if len(table):
        seizure_net = net_id.reindex(comp).to_numpy()
        community, used = _communities(
            n_s,
            hub_s[shared],
            h_codes[shared],
            pa_,
            pb_,
            comp,
            comp_size,
            seizure_net,
            method=communities,
            max_louvain_nodes=max_louvain_nodes,
            resolution=resolution,
            seed=seed,
        )
        seizure_comm = pd.Series(community, dtype="string")
        n_comm = (
            pd.DataFrame({"net": seizure_net, "c": community})
            .dropna()
            .groupby("net")["c"]
            .nunique()
        )
        ids = table["network_id"].to_numpy()
        table["n_communities"] = (
            n_comm.reindex(ids).fillna(1).astype("Int64").to_numpy()
        )
        table["community_method"] = pd.array([used.get(i) for i in ids], dtype="string")
    else:
        table["n_communities"] = pd.Series([], dtype="Int64")
        table["community_method"] = pd.Series([], dtype="string")
    out = table.reset_index(drop=True)[NETWORK_COLUMNS]
    for c in ("first_seen", "last_seen"):
        out[c] = out[c].astype("datetime64[s]")
    if not return_members:
        return out
    net_of_item = net_id.reindex(item_comp).to_numpy() if len(items) else []
    members = pd.DataFrame(
        {
            "record_id": items["record_id"].to_numpy(),
            "seizure": items["seizure"].to_numpy(),
            "network_id": pd.array(net_of_item, dtype="string"),
            "community": pd.array(
                seizure_comm.to_numpy()[s_codes] if len(items) else [], dtype="string"
            ),
        }
    ).astype("string")
    return out, members


def _network_table(
    items: pd.DataFrame,
    s_codes: np.ndarray,
    n_s: int,
    item_comp: np.ndarray,
    keep_item: np.ndarray,
) -> pd.DataFrame:
    it = items[keep_item].assign(comp=item_comp[keep_item], s=s_codes[keep_item])
    if it.empty:
        empty = pd.DataFrame(
            {c: pd.Series([], dtype="string") for c in NETWORK_COLUMNS}
        )
        for c in ("seizures", "items", "actors", "n_countries", "span_days"):
            empty[c] = pd.Series([], dtype="Int64")
        empty["span_km"] = pd.Series([], dtype="Float64")
        for c in ("first_seen", "last_seen"):
            empty[c] = pd.Series([], dtype="datetime64[s]")
        return empty.set_index(pd.Index([], dtype=np.int64))
    g = it.groupby("comp", sort=True)
    table = g.agg(
        seizures=("s", "nunique"),
        items=("record_id", "size"),
        actors=("actor", "nunique"),
        n_countries=("country", "nunique"),
        first_seen=("seized_on", "min"),
        last_seen=("seized_on", "max"),
    )
    table["countries"] = joined_unique(it["comp"].to_numpy(), it["country"]).reindex(
        table.index
    )
    table["categories"] = joined_unique(it["comp"].to_numpy(), it["category"]).reindex(
        table.index
    )
    span = (table["last_seen"] - table["first_seen"]).dt.days
    table["span_days"] = span.astype("Int64")
    table["span_km"] = _span_km(it)
    for c in ("seizures", "items", "actors", "n_countries"):
        table[c] = table[c].astype("Int64")
    return table


def _span_km(it: pd.DataFrame) -> pd.Series:
    """Largest of the N-S and W-E extreme-point distances, per network."""
    pts = (
        it.dropna(subset=["lat", "lon"])
        .groupby(["comp", "s"], sort=False)[["lat", "lon"]]
        .mean()
        .reset_index()
    )
    comps = pd.Index(it["comp"].unique())
    if pts.empty:
        return pd.Series(pd.NA, index=comps, dtype="Float64")
    g = pts.groupby("comp")
    lat, lon = pts["lat"].to_numpy(), pts["lon"].to_numpy()
    out = {}
    dists = []
    for a, b in (("lat", "lat"), ("lon", "lon")):
        lo = g[a].idxmin().to_numpy()
        hi = g[b].idxmax().to_numpy()
        dists.append(haversine_km(lat[lo], lon[lo], lat[hi], lon[hi]))
    out = pd.Series(np.maximum(dists[0], dists[1]), index=g.size().index)
    return out.reindex(comps).round(1).astype("Float64")


def _fold_leaves(
    edges: pd.DataFrame,
    loops: pd.Series,
    rep: pd.Series,
    resolution: float = 1.0,
    rounds: int = 10,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Merge each node with a single neighbour into it, when Louvain would.

    A node tied to one other node only (a batch seen only with one actor)
    is merged into it when moving it there raises the modularity (the tie
    outweighs ``resolution * k_u * k_v / 2m``), as Louvain's first move would;
    the tie's weight becomes a self-loop, so degrees and the modularity of
    the rest are unchanged and the graph is much smaller. ``rep`` maps every
    original node to the node it was merged into.
    """
    for _ in range(rounds):
        if edges.empty:
            break
        ends = pd.concat(
            [
                pd.DataFrame({"n": edges["a"], "m": edges["b"], "w": edges["w"]}),
                pd.DataFrame({"n": edges["b"], "m": edges["a"], "w": edges["w"]}),
            ]
        )
        degree = ends.groupby("n").size()
        strength = ends.groupby("n")["w"].sum().add(2 * loops, fill_value=0.0)
        total = float(edges["w"].sum() + loops.sum())
        leaves = ends[ends["n"].map(degree).to_numpy() == 1]
        k_u = leaves["n"].map(strength).to_numpy()
        k_v = leaves["m"].map(strength).to_numpy()
        gain = leaves["w"].to_numpy() - resolution * k_u * k_v / (2 * total)
        # two leaves tied only to each other: only the lighter one moves
        mutual = leaves["m"].map(degree).to_numpy() == 1
        lighter = (k_u < k_v) | ((k_u == k_v) & (leaves["n"] > leaves["m"]).to_numpy())
        leaves = leaves[(gain > 0) & (~mutual | lighter)]
        if leaves.empty:
            break
        into = pd.Series(leaves["m"].to_numpy(), index=leaves["n"].to_numpy())
        weight = (
            loops.reindex(into.index, fill_value=0.0).to_numpy()
            + leaves["w"].to_numpy()
        )
        loops = loops.drop(into.index, errors="ignore")
        add = pd.Series(weight, index=into.to_numpy()).groupby(level=0).sum()
        loops = loops.add(add, fill_value=0.0)
        gone = edges["a"].isin(into.index) | edges["b"].isin(into.index)
        edges = edges[~gone.to_numpy()]
        moved = rep.isin(into.index).to_numpy()
        rep = rep.copy()
        rep[moved] = into.reindex(rep[moved].to_numpy()).to_numpy()
    return edges, loops, rep


def _hub_projection_louvain(
    seizure: np.ndarray,
    hub: np.ndarray,
    pair_a: np.ndarray,
    pair_b: np.ndarray,
    *,
    resolution: float,
    seed: int,
) -> list[np.ndarray]:
    """Louvain on the shared things only, then each seizure joins its main hub.

    Two shared things are tied by the number of seizures holding both; a
    seizure holding a single one adds a self-loop to it (its weight stays in
    the modularity). A seizure then takes the community of its shared thing
    with the most seizures. Records of the same weapon count as a shared
    thing of their two seizures. About a fifth of the nodes of the bipartite
    graph and five times faster; on the synthetic worlds its communities
    agree slightly less with the true networks (adjusted Rand 0.79 vs 0.81).
    """
    n_hubs = int(hub.max()) + 1 if len(hub) else 0
    s_all = np.concatenate([seizure, pair_a, pair_b])
    h_all = np.concatenate(
        [hub, np.arange(len(pair_a)) + n_hubs, np.arange(len(pair_b)) + n_hubs]
    )
    fr = pd.DataFrame({"s": s_all, "h": h_all}).drop_duplicates()
    fr = fr.sort_values(["s", "h"], kind="stable").reset_index(drop=True)
    k = fr.groupby("s")["h"].transform("size").to_numpy()
    # hub-hub ties from seizures holding several (a chain above 20, not all pairs)
    multi = fr[k >= 2]
    small = multi[k[k >= 2] <= 20]
    pairs = small.merge(small, on="s")
    pairs = pairs[pairs["h_x"] < pairs["h_y"]][["h_x", "h_y"]]
    wide = multi[k[k >= 2] > 20]
    chain = pd.DataFrame(
        {"h_x": wide["h"].to_numpy()[:-1], "h_y": wide["h"].to_numpy()[1:]}
    )[wide["s"].to_numpy()[:-1] == wide["s"].to_numpy()[1:]]
    ties = pd.concat([pairs, chain]).groupby(["h_x", "h_y"]).size()
    loops = fr[k == 1].groupby("h").size().astype(float)
    edges = pd.DataFrame(
        {
            "a": ties.index.get_level_values(0).to_numpy(),
            "b": ties.index.get_level_values(1).to_numpy(),
            "w": ties.to_numpy(dtype=float),
        }
    )
    nodes = pd.unique(fr["h"])
    rep = pd.Series(nodes, index=nodes)
    edges, loops, rep = _fold_leaves(edges, loops, rep, resolution)
    graph = nx.Graph()
    graph.add_nodes_from(pd.unique(rep.to_numpy()).tolist())
    graph.add_weighted_edges_from(
        zip(edges["a"].tolist(), edges["b"].tolist(), edges["w"].tolist(), strict=True)
    )
    graph.add_weighted_edges_from(
        zip(
            loops.index.tolist(),
            loops.index.tolist(),
            loops.to_numpy(dtype=float).tolist(),
            strict=True,
        )
    )
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    hub_comm = pd.Series(
        np.repeat(np.arange(len(found)), [len(c) for c in found]),
        index=np.fromiter((h for c in found for h in c), dtype=np.int64),
    )
    fr["c"] = hub_comm.reindex(rep.reindex(fr["h"].to_numpy()).to_numpy()).to_numpy()
    fr["size"] = fr.groupby("h")["s"].transform("size").to_numpy()
    best = fr.sort_values(["s", "size", "h"], ascending=[True, False, True])
    best = best.drop_duplicates("s")
    return [g["s"].to_numpy() for _, g in best.groupby("c")]


def _communities(
    n_s: int,
    hub_s: np.ndarray,
    hub_h: np.ndarray,
    pa_: np.ndarray,
    pb_: np.ndarray,
    comp: np.ndarray,
    comp_size: np.ndarray,
    seizure_net: np.ndarray,
    *,
    method: str | None,
    max_louvain_nodes: int | None,
    resolution: float,
    seed: int,
) -> tuple[np.ndarray, dict[str, str]]:
    """Community label (``N0001.1``) of each seizure, and the method per network."""
    out = np.full(n_s, None, dtype=object)
    in_net = pd.notna(seizure_net)
    label = np.full(n_s, -1, dtype=np.int64)
    big = in_net & (comp_size[comp] >= 3)
    used: dict[str, str] = {}
    if method is not None and big.any():
        # nodes of each network's community graph: its seizures + shared things
        hub_comp = pd.DataFrame({"c": comp[hub_s], "h": hub_h})[big[hub_s]]
        n_nodes = comp_size.astype(np.int64).copy()
        if len(hub_comp):
            hubs_per = hub_comp.drop_duplicates().groupby("c").size()
            n_nodes[hubs_per.index.to_numpy()] += hubs_per.to_numpy()
        large = np.zeros(len(comp_size), dtype=bool)
        if max_louvain_nodes is not None:
            large = n_nodes > max_louvain_nodes
        next_label = 0
        for use_large in (False, True):
            chosen = big & (large[comp] == use_large)
            if not chosen.any():
                continue
            keep_h = chosen[hub_s]
            keep_p = chosen[pa_] & chosen[pb_]
            if method == "louvain" and use_large:
                found = _hub_projection_louvain(
                    hub_s[keep_h],
                    hub_h[keep_h],
                    pa_[keep_p],
                    pb_[keep_p],
                    resolution=resolution,
                    seed=seed,
                )
                name = "louvain (hub projection)"
            else:
                graph = nx.Graph()
                graph.add_nodes_from(np.flatnonzero(chosen).tolist())
                graph.add_edges_from(
                    zip(
                        hub_s[keep_h].tolist(),
                        (n_s + hub_h[keep_h]).tolist(),
                        strict=True,
                    )
                )
                graph.add_edges_from(
                    zip(pa_[keep_p].tolist(), pb_[keep_p].tolist(), strict=True)
                )
                if method == "label_propagation":
                    found = nx.community.fast_label_propagation_communities(
                        graph, seed=seed
                    )
                    name = "label_propagation"
                else:
                    found = nx.community.louvain_communities(
                        graph, resolution=resolution, seed=seed
                    )
                    name = "louvain"
            for members in found:
                m = np.fromiter(members, dtype=np.int64)
                m = m[m < n_s]
                label[m] = next_label
                next_label += 1
            for net in pd.unique(seizure_net[chosen]).tolist():
                used[net] = name
    # rank communities by size within each network (1 = largest)
    frame = pd.DataFrame({"net": seizure_net, "label": label, "s": np.arange(n_s)})[
        in_net
    ]
    if frame.empty:
        return out, used
    sizes = frame.groupby(["net", "label"]).size().rename("n").reset_index()
    sizes = sizes.sort_values(["net", "n", "label"], ascending=[True, False, True])
    sizes["rank"] = sizes.groupby("net").cumcount() + 1
    frame = frame.merge(sizes, on=["net", "label"], how="left")
    out[frame["s"].to_numpy()] = (
        frame["net"].astype(str) + "." + frame["rank"].astype(str)
    ).to_numpy()
    return out, used
