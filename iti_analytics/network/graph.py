"""``build_graph``: items, seizures, actors, places, lots, batches, traces linked."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ._builder import _Builder
from ._common import use_columns
from ._set_aside import MAX_WEAPON_SEIZURES, set_aside_records

__all__ = [
    "build_graph",
    "NODE_KINDS",
    "EDGE_KINDS",
    "DEFAULT_ITEM_ATTRS",
    "nodes_of_kind",
    "count_kinds",
]

#: kinds of node (the ``kind`` attribute) and the prefix of their ids.
NODE_KINDS = (
    "item",
    "seizure",
    "actor",
    "place",
    "lot",
    "batch",
    "trace",
    "diversion_point",
)

#: kinds of edge (the ``kind`` attribute, also the edge key), source -> target.
EDGE_KINDS = {
    "recovered_in": "item -> seizure",
    "held_by": "item or seizure -> actor",
    "at": "seizure or diversion_point -> place",
    "part_of": "place -> enclosing place (locality -> admin1 -> country)",
    "moved": "place -> place (movements and item routes, with count and dates)",
    "shares_lot": "item -> lot",
    "same_batch": "item -> batch",
    "traced_by": "item -> trace",
    "diverted_from": "item -> diversion_point",
    "same_weapon": "item -> item (weapon links from link_records)",
}

#: item columns copied onto item nodes by default (nulls are left out).
DEFAULT_ITEM_ATTRS = (
    "item_kind",
    "category",
    "make",
    "model",
    "calibre",
    "serial",
    "seized_on",
    "country",
)


def build_graph(
    ds: Any,
    *,
    item_id: str = "record_id",
    seizure_id: str = "seizure_id",
    actor: str = "actor",
    country: str = "country",
    admin1: str | None = "admin1",
    locality: str | None = "locality",
    date: str | None = "seized_on",
    lot: str | None = "lot",
    headstamp: str | None = "headstamp",
    calibre: str | None = "calibre",
    origin: str | None = "origin_country",
    transit: str | None = "transit_countries",
    item_attrs: tuple[str, ...] | list[str] = DEFAULT_ITEM_ATTRS,
    batches: bool | pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame] = True,
    max_gap: int = 10,
    links: pd.DataFrame | None = None,
    self_loops: bool = True,
) -> nx.MultiDiGraph:
    """Link items, seizures, actors, places, lots, batches and traces in one graph.

    The graph of comprehensive tracing ("traçage complet"): every record is a
    node, and what they share (an event, an actor, a place, an ammunition
    lot, a consignment, a trace result) is a node they link to. Shared things
    are always nodes, never all pairs of records: an actor holding 100,000
    items gives 100,000 edges to one node, not 5 billion pairs, so the graph
    grows linearly with the data.

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (``items``, ``traces``, ``actors``, ``movements``) or an
        items table.
    item_id, seizure_id, actor, country, admin1, locality, date, lot, headstamp, \
calibre, origin, transit : str or None
        Names of the items columns to use, as in
        ``networkx.from_pandas_edgelist``; None leaves that field out (e.g.
        ``locality=None`` stops places below admin1).
    item_attrs : sequence of str
        Item columns copied onto item nodes (nulls are left out).
    batches : bool, DataFrame or (DataFrame, DataFrame), default True
        Add ``batch`` nodes found by :func:`batches` (with ``max_gap``), or
        use what you already have: the ``(table, members)`` pair of
        ``batches(ds, return_members=True)``, or a membership table alone
        (``record_id``, ``batch_id`` [, ``kind``]); False for none.
    max_gap : int, default 10
        Passed to :func:`batches`.
    links : DataFrame, optional
        Links from :func:`iti_analytics.linkage.link_records`. ``weapon``
        links become ``same_weapon`` edges; ``actor`` links merge the
        spellings into one actor node (the most frequent spelling wins).
    self_loops : bool, default True
        Keep movements whose origin is their destination as ``place -> place``
        self-loops (in-country flows, e.g. guns bought and recovered in the
        same state). False drops them.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges all carry ``kind`` and ``records`` (the ids of the
        records they come from: item ``record_id``, ``trace_id``, or
        ``movement_id`` for published flows without items). Edge keys are the
        edge kinds, so ``G.edges[u, v, "held_by"]`` works.

    Notes
    -----
    Node ids are namespaced strings:

    - ``item:<record_id>``;
    - ``seizure:<source>:<seizure_id>`` (the source keeps two agencies' case
      numbers apart), ``seizure:=<record_id>`` for an item without a seizure
      id (it is its own event);
    - ``actor:<name>`` (spaces collapsed, case variants unified);
    - ``place:NER``, ``place:NER/Tillabéri``, ``place:NER/Tillabéri/Ayorou``
      (an unknown level is left empty: ``place:NER//Ayorou``), movement codes
      as given (``place:US-VA``), each linked to its parent by ``part_of``;
    - ``lot:<calibre>/<headstamp>/<lot>``; ``batch:<batch_id>``;
      ``trace:<trace_id>``;
    - ``diversion_point:<country>/<last legal holder>/<year>`` (country is the
      diversion country, else the last legal country; an unknown part is
      left empty).

    Edges (``EDGE_KINDS``): ``recovered_in`` item -> seizure; ``held_by`` to
    the actor from the seizure when every item of the seizure has that one
    actor, else from each item that has one; ``at`` seizure -> its most
    specific place (and diversion point -> country); ``moved`` place -> place,
    one edge per (origin, destination) with ``count`` (sum of movement counts
    plus one per item route leg), ``first_date``/``last_date`` (absent when no
    date is known), ``evidence``; ``shares_lot``, ``same_batch``,
    ``traced_by``, ``diverted_from``, ``same_weapon``. Item routes are
    ``origin_country -> transit countries -> country`` (see
    :func:`corridors`).

    Dates are stored as ``YYYY-MM-DD`` strings (export-friendly); a missing
    date is a missing attribute. A trace or movement about a record that is
    not in ``items`` still gets an item node, with ``in_items=False``.

    Item nodes of records that must not tie seizures together (a registered
    service weapon, the rest of a state armoury's serial run, one weapon seized
    again and again; see :func:`networks`) carry a ``set_aside`` attribute with
    the reason: :func:`networks` reads a graph the way it reads the Dataset,
    and a Gephi user can filter them out. Shareable exports drop it.

    See Also
    --------
    networks, brokers : analyses of the same links, computed from the tables.
    to_graphml, to_gexf, to_cytoscape_json, to_i2_csv : exports.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["p1", "p2", "c1"],
    ...     "seizure_id": ["PV-7", "PV-7", None],
    ...     "country": ["NER", "NER", "MLI"],
    ...     "locality": ["Ayorou", "Ayorou", None],
    ...     "actor": ["Groupe X", "Groupe X", "groupe  x"],
    ...     "make": "Kalashnikov", "serial": ["A1", "A2", "A9"]})
    >>> G = build_graph(items)
    >>> count_kinds(G)["nodes"]
    {'actor': 1, 'item': 3, 'place': 3, 'seizure': 2}
    >>> sorted(G.successors("item:p1"))
    ['seizure:PV-7']
    >>> G.edges["seizure:PV-7", "actor:Groupe X", "held_by"]["records"]
    ['p1', 'p2']
    """
    ds = as_dataset(ds)
    names = {
        "record_id": item_id,
        "seizure_id": seizure_id,
        "actor": actor,
        "country": country,
        "admin1": admin1,
        "locality": locality,
        "seized_on": date,
        "lot": lot,
        "headstamp": headstamp,
        "calibre": calibre,
        "origin_country": origin,
        "transit_countries": transit,
    }
    items = ds.items
    it = use_columns(items, names)
    if it["record_id"].isna().any():
        raise InvalidParameterError(
            f"Column {item_id!r} has missing values; every item needs an id. Load "
            "the items through iti_analytics.Dataset (it fills missing ids) or "
            "fill the column."
        )
    for col in (
        "source",
        "actor_type",
        "lat",
        "lon",
        "duplicate_of",
        "item_kind",
        "serial",
    ):
        it[col] = items[col] if col in items else pd.NA
    it = it.reset_index(drop=True)
    attrs = {}
    for col in item_attrs:
        src = names.get(col, col)
        if src is not None and src in items:
            attrs[col] = items[src].reset_index(drop=True)
    g = _Builder(self_loops=self_loops)
    g.items(it, attrs, links)
    g.movements(ds.movements)
    g.routes(it)
    g.actors_table(ds.actors)
    if batches is not False:
        g.batches(ds, batches, max_gap)
    g.traces(ds.traces)
    if links is not None:
        g.same_weapon(links)
    g.finish()
    _mark_set_aside(g.G, ds.items, g.set_aside, max_gap)
    return g.G


def _mark_set_aside(
    G: nx.Graph, items: pd.DataFrame, aside: pd.DataFrame | None, max_gap: int
) -> None:
    """Give the item nodes that must not tie seizures a ``set_aside`` reason.

    The same records :func:`networks` and :func:`batches` set aside from a
    Dataset (service weapons, the rest of a state armoury, one weapon seized
    again and again): with the reason on the node, ``networks(G)`` reads a
    graph the way it reads the Dataset, and a Gephi user can filter them.
    """
    if aside is None:
        if "duplicate_of" in items:
            items = items[items["duplicate_of"].isna().to_numpy()]
        aside = set_aside_records(
            items, max_weapon_seizures=MAX_WEAPON_SEIZURES, max_gap=max_gap
        )
    if not len(aside):
        return
    reason = {
        f"item:{rid}": str(why)
        for rid, why in zip(aside["record_id"], aside["reason"], strict=True)
    }
    nx.set_node_attributes(G, {n: r for n, r in reason.items() if n in G}, "set_aside")


def nodes_of_kind(G: nx.Graph, kind: str) -> list:
    """Ids of the nodes whose ``kind`` attribute is ``kind``.

    Examples
    --------
    >>> import pandas as pd
    >>> G = build_graph(pd.DataFrame({"record_id": ["a"], "country": ["NER"]}))
    >>> nodes_of_kind(G, "place")
    ['place:NER']
    """
    return [n for n, k in G.nodes(data="kind") if k == kind]


def count_kinds(G: nx.Graph) -> dict[str, dict[str, int]]:
    """Number of nodes and edges of each kind: ``{"nodes": {...}, "edges": {...}}``.

    Examples
    --------
    >>> import pandas as pd
    >>> G = build_graph(pd.DataFrame({"record_id": ["a"], "country": ["NER"]}))
    >>> count_kinds(G)
    {'nodes': {'item': 1, 'place': 1, 'seizure': 1},
     'edges': {'at': 1, 'recovered_in': 1}}
    """
    nodes = pd.Series([k for _, k in G.nodes(data="kind")], dtype=object)
    edges = pd.Series([k for *_, k in G.edges(data="kind")], dtype=object)
    return {
        "nodes": {str(k): int(v) for k, v in nodes.value_counts().sort_index().items()},
        "edges": {str(k): int(v) for k, v in edges.value_counts().sort_index().items()},
    }
