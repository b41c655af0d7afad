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

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Every public name is imported when first used (PEP 562), so that
# ``import iti_analytics`` costs less than importing pandas: the stages pull in
# pandas, pyarrow, networkx, scikit-learn, matplotlib and reportlab only when a
# function that needs them is called. name -> (module, attribute or None for
# the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    # modules (the sub-packages, as ``iti.network.batches`` etc.)
    **{
        name: (f"iti_analytics.{name}", None)
        for name in (
            "datasets",
            "normalize",
            "plotting",
            "samples",
            "schema",
            "io",
            "dataset",
            "linkage",
            "network",
            "tracing",
            "indicators",
            "briefing",
            "exceptions",
            "mapping",
            "reference",
            "reports",
            "requests",
        )
    },
    # loading
    **{
        name: ("iti_analytics.io", name)
        for name in (
            "read_items",
            "read_traces",
            "read_movements",
            "read_actors",
            "read_table",
            "LoadResult",
            "LoadReport",
        )
    },
    "Dataset": ("iti_analytics.dataset", "Dataset"),
    "as_dataset": ("iti_analytics.dataset", "as_dataset"),
    "load_sample": ("iti_analytics.samples", "load_sample"),
    "generate_world": ("iti_analytics.samples", "generate_world"),
    # comprehensive tracing
    "link_records": ("iti_analytics.linkage", "link_records"),
    "deduplicate": ("iti_analytics.linkage", "deduplicate"),
    **{
        name: ("iti_analytics.network", name)
        for name in (
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
        )
    },
    # selective tracing
    **{
        name: ("iti_analytics.tracing", name)
        for name in (
            "traceability",
            "RiskScorer",
            "risk_features",
            "plan_tracing",
            "monitor_list",
            "compare_strategies",
        )
    },
    # briefings
    "write_briefing": ("iti_analytics.briefing", "write_briefing"),
    # indicators
    **{
        name: ("iti_analytics.indicators", name)
        for name in (
            "trace_performance",
            "responsiveness",
            "overdue_requests",
            "sdg_16_4_2",
            "state_stock_diversion",
            "time_to_recovery",
            "trends",
            "alerts",
            "seizure_counts",
        )
    },
    # trace requests, the register and reports
    **{
        name: ("iti_analytics.requests", name)
        for name in (
            "trace_request",
            "check_request",
            "write_trace_requests",
            "register",
            "record_sent",
            "record_acknowledgement",
            "record_answer",
            "follow_up",
            "trace_chains",
            "reminders",
        )
    },
    **{
        name: ("iti_analytics.reports", name)
        for name in ("national_report", "marking_compliance", "notify_exporter")
    },
    # errors and warnings
    **{
        name: ("iti_analytics.exceptions", name)
        for name in (
            "ITIError",
            "FileFormatError",
            "EmptyFileError",
            "MissingFileError",
            "EncodingDetectionError",
            "MappingError",
            "SchemaError",
            "InvalidParameterError",
            "NotFittedError",
            "ITIWarning",
            "DataQualityWarning",
            "TracingWarning",
            "NoDataWarning",
        )
    },
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(
            f"module 'iti_analytics' has no attribute {name!r}"
        ) from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later uses skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what the names are, for type checkers and IDEs
    from . import datasets, normalize, plotting, samples, schema
    from .briefing import write_briefing
    from .dataset import Dataset, as_dataset
    from .exceptions import (
        DataQualityWarning,
        EmptyFileError,
        EncodingDetectionError,
        FileFormatError,
        InvalidParameterError,
        ITIError,
        ITIWarning,
        MappingError,
        MissingFileError,
        NoDataWarning,
        NotFittedError,
        SchemaError,
        TracingWarning,
    )
    from .indicators import (
        alerts,
        overdue_requests,
        responsiveness,
        sdg_16_4_2,
        seizure_counts,
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
    from .linkage import deduplicate, link_records
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
    from .reports import marking_compliance, national_report, notify_exporter
    from .requests import (
        check_request,
        follow_up,
        record_acknowledgement,
        record_answer,
        record_sent,
        register,
        reminders,
        trace_chains,
        trace_request,
        write_trace_requests,
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

__all__ = [
    "__version__",
    # modules
    "datasets",
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
    "seizure_counts",
    # trace requests, the register and reports
    "trace_request",
    "check_request",
    "write_trace_requests",
    "register",
    "record_sent",
    "record_acknowledgement",
    "record_answer",
    "follow_up",
    "trace_chains",
    "reminders",
    "national_report",
    "marking_compliance",
    "notify_exporter",
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
    "ITIWarning",
    "DataQualityWarning",
    "TracingWarning",
    "NoDataWarning",
]
