"""Comprehensive tracing: link weapons, seizures, actors, routes and materiel.

:func:`build_graph` puts every record and what records share (an event, an
actor, a place, an ammunition lot, a consignment, a trace result) in one
``networkx.MultiDiGraph``. The analyses return DataFrames and run on the
tables (or on the graph) with vectorised pandas and sparse matrices:

- :func:`networks`: groups of seizures linked through actors, batches and
  lots, with Louvain communities;
- :func:`brokers`: actors and places ranked by betweenness;
- :func:`batches`: items that probably left the same source together;
- :func:`corridors`: origin -> destination flows and shares of destination;
- :func:`custody_chain`: one weapon from manufacture to each recovery;
- :func:`read_flow_matrix`: published origin x destination tables as movements.

:func:`subgraph` cuts a graph to one network, a seizure-level projection,
shared things seen in several seizures, or some kinds of node, for export.
Exports (:func:`to_graphml`, :func:`to_gexf`, :func:`to_cytoscape_json`,
:func:`to_i2_csv`) pseudonymise names and serials for ``audience="shareable"``.
Charts are in :mod:`iti_analytics.plotting.network`.
"""

from __future__ import annotations

from .analyses import NETWORK_COLUMNS, networks
from .batches import BATCH_COLUMNS, BATCH_KINDS, batches
from .brokers import BROKER_COLUMNS, brokers
from .corridors import CORRIDOR_SOURCES, corridor_flows, corridors
from .custody import CUSTODY_STEPS, custody_chain
from .export import (
    shareable_graph,
    to_cytoscape_json,
    to_gexf,
    to_graphml,
    to_i2_csv,
)
from .flows import flow_matrix_totals, read_flow_matrix
from .graph import (
    DEFAULT_ITEM_ATTRS,
    EDGE_KINDS,
    NODE_KINDS,
    build_graph,
    count_kinds,
    nodes_of_kind,
)
from .views import subgraph

__all__ = [
    "build_graph",
    "networks",
    "brokers",
    "batches",
    "corridors",
    "corridor_flows",
    "custody_chain",
    "read_flow_matrix",
    "flow_matrix_totals",
    "to_graphml",
    "to_gexf",
    "to_cytoscape_json",
    "to_i2_csv",
    "shareable_graph",
    "subgraph",
    "count_kinds",
    "nodes_of_kind",
    "NODE_KINDS",
    "EDGE_KINDS",
    "DEFAULT_ITEM_ATTRS",
    "NETWORK_COLUMNS",
    "BATCH_COLUMNS",
    "BATCH_KINDS",
    "BROKER_COLUMNS",
    "CORRIDOR_SOURCES",
    "CUSTODY_STEPS",
]
