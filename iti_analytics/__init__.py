"""iti_analytics: analytics for tracing illicit small arms and light weapons.

Load messy seizure and trace records from several agencies into one canonical
dataset, link them into a network, choose what to trace under limited capacity,
measure trace operations and indicators (SDG 16.4.2), and write briefings.

Examples
--------
>>> import iti_analytics as iti
>>> ds = iti.load_sample()
>>> len(ds.items) > 2000
True
"""

from __future__ import annotations

from . import normalize, plotting, samples, schema
from .briefing import write_briefing
from .dataset import Dataset, as_dataset
from .exceptions import (
    EmptyFileError,
    EncodingDetectionError,
    FileFormatError,
    InvalidParameterError,
    ITIError,
    MappingError,
    MissingFileError,
    NotFittedError,
    SchemaError,
)
from .indicators import (
    alerts,
    overdue_requests,
    responsiveness,
    sdg_16_4_2,
    state_stock_diversion,
    time_to_recovery,
    trace_performance,
    trends,
)
from .io import (
    LoadReport,
    LoadResult,
    read_actors,
    read_items,
    read_movements,
    read_table,
    read_traces,
)
from .linkage import deduplicate, hit_check, link_records
from .network import (
    batches,
    brokers,
    build_graph,
    corridors,
    custody_chain,
    networks,
    read_flow_matrix,
    to_cytoscape_json,
    to_gexf,
    to_graphml,
    to_i2_csv,
)
from .samples import generate_world, load_sample
from .tracing import (
    RiskScorer,
    compare_strategies,
    monitor_list,
    plan_tracing,
    risk_features,
    traceability,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    # modules
    "normalize",
    "plotting",
    "samples",
    "schema",
    # loading
    "read_items",
    "read_traces",
    "read_movements",
    "read_actors",
    "read_table",
    "LoadResult",
    "LoadReport",
    "Dataset",
    "as_dataset",
    "load_sample",
    "generate_world",
    # comprehensive tracing
    "link_records",
    "hit_check",
    "deduplicate",
    "build_graph",
    "networks",
    "brokers",
    "batches",
    "corridors",
    "custody_chain",
    "read_flow_matrix",
    "to_graphml",
    "to_gexf",
    "to_cytoscape_json",
    "to_i2_csv",
    # selective tracing
    "traceability",
    "RiskScorer",
    "risk_features",
    "plan_tracing",
    "monitor_list",
    "compare_strategies",
    # briefings
    "write_briefing",
    # indicators
    "trace_performance",
    "responsiveness",
    "overdue_requests",
    "sdg_16_4_2",
    "state_stock_diversion",
    "time_to_recovery",
    "trends",
    "alerts",
    # errors
    "ITIError",
    "FileFormatError",
    "EmptyFileError",
    "MissingFileError",
    "EncodingDetectionError",
    "MappingError",
    "SchemaError",
    "InvalidParameterError",
    "NotFittedError",
]
