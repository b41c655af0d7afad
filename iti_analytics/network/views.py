"""Smaller views of the graph that a person can open in Gephi or Cytoscape."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import pandas as pd

from .._validation import check_option
from ..exceptions import InvalidParameterError
from .graph import NODE_KINDS

__all__ = ["subgraph"]

#: node kinds that tie seizures together.
_SHARED = ("actor", "batch", "lot", "diversion_point")


def subgraph(
    G: nx.MultiDiGraph,
    *,
    network: str | None = None,
    members: pd.DataFrame | None = None,
    seizures: bool = False,
    min_seizures: int | None = None,
    kinds: Sequence[str] | None = None,
) -> nx.MultiDiGraph:
    """A smaller copy of ``G`` for export: one network, seizure level, shared only.

    The graph of a real dataset holds every item (181,000 nodes for six
    years of one police force): too many to look at. The filters apply in
    this order:

    1. ``network`` (with ``members`` from ``networks(ds,
       return_members=True)``): the items of one network, their seizures and
       everything they touch;
    2. ``seizures=True``: a seizure-level projection: item nodes are removed
       and their edges (``held_by``, ``same_batch``, ``shares_lot``,
       ``diverted_from``, ``same_weapon``...) start from their seizure, one
       edge per seizure, target and kind with the records of all its items;
    3. ``min_seizures``: actors, batches, lots and diversion points reaching
       fewer seizures are dropped, and then seizures (and their items) left
       without any of them;
    4. ``kinds``: only nodes of these kinds are kept.

    Returns a new graph (``G`` is not changed).

    Examples
    --------
    >>> import pandas as pd
    >>> from iti_analytics.network import build_graph, count_kinds
    >>> items = pd.DataFrame({"record_id": ["a", "b", "c", "d"],
    ...     "seizure_id": ["s1", "s1", "s2", "s3"],
    ...     "actor": ["X", "X", "X", "Y"], "country": "NER"})
    >>> G = build_graph(items)
    >>> H = subgraph(G, seizures=True, min_seizures=2)
    >>> count_kinds(H)["nodes"]
    {'actor': 1, 'place': 1, 'seizure': 2}
    >>> H.edges["seizure:s1", "actor:X", "held_by"]["records"]
    ['a', 'b']
    """
    if not isinstance(G, nx.Graph):
        raise InvalidParameterError(
            f"G must be a networkx graph (from build_graph), but a {type(G).__name__} "
            "was passed."
        )
    kind_of = dict(G.nodes(data="kind"))
    H = G
    if network is not None:
        if members is None or not {"record_id", "network_id"} <= set(members):
            raise InvalidParameterError(
                "network= needs members=, the member table of "
                "networks(ds, return_members=True)."
            )
        rids = members.loc[
            members["network_id"].astype("string").eq(str(network)).fillna(False),
            "record_id",
        ]
        if rids.empty:
            raise InvalidParameterError(
                f"No record is in network {network!r}; pass a network_id of the "
                "networks table."
            )
        items = {f"item:{r}" for r in rids.astype(str)} & set(G)
        keep = set(items)
        for n in items:
            keep.update(G.successors(n))
        seizure_nodes = {n for n in keep if kind_of.get(n) == "seizure"}
        for n in seizure_nodes:
            keep.update(G.successors(n))
        H = G.subgraph(keep)
    if seizures:
        H = _seizure_projection(H, kind_of)
    else:
        H = nx.MultiDiGraph(H)
    if min_seizures is not None:
        _keep_shared(H, int(min_seizures))
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        for k in kinds:
            check_option("kinds", k, NODE_KINDS)
        H.remove_nodes_from([n for n, k in H.nodes(data="kind") if k not in kinds])
    return H


def _seizure_projection(G: nx.Graph, kind_of: dict) -> nx.MultiDiGraph:
    seizure_of = {
        u: v for u, v, k in G.edges(data="kind") if k == "recovered_in" and u in G
    }
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from(
        (n, dict(d)) for n, d in G.nodes(data=True) if d.get("kind") != "item"
    )
    merged: dict[tuple, dict] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        if k == "recovered_in":
            continue
        su = seizure_of.get(u, u) if kind_of.get(u) == "item" else u
        sv = seizure_of.get(v, v) if kind_of.get(v) == "item" else v
        if kind_of.get(su) == "item" or kind_of.get(sv) == "item" or su == sv:
            continue  # an item without a seizure, or a tie inside one seizure
        key = (su, sv, k)
        have = merged.get(key)
        if have is None:
            merged[key] = {**d, "records": list(d.get("records", []))}
        else:
            seen = set(have["records"])
            have["records"].extend(r for r in d.get("records", []) if r not in seen)
    H.add_edges_from((u, v, k, d) for (u, v, k), d in merged.items())
    return H


def _keep_shared(H: nx.MultiDiGraph, min_seizures: int) -> None:
    kind = dict(H.nodes(data="kind"))
    seizure_of = {u: v for u, v, k in H.edges(data="kind") if k == "recovered_in"}
    reach: dict = {}
    for u, v in H.edges():
        if kind.get(v) in _SHARED:
            s = u if kind.get(u) == "seizure" else seizure_of.get(u)
            if s is not None:
                reach.setdefault(v, set()).add(s)
    weak = [
        n
        for n, k in kind.items()
        if k in _SHARED and len(reach.get(n, ())) < min_seizures
    ]
    H.remove_nodes_from(weak)
    tied = set()
    for n, ss in reach.items():
        if n in H:
            tied.update(ss)
    gone = [n for n, k in kind.items() if k == "seizure" and n not in tied]
    gone += [i for i, s in seizure_of.items() if s in gone and i in H]
    H.remove_nodes_from(gone)
