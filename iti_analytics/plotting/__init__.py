"""Charts, one function per figure: ``data`` first, ``ax=None``, return the Axes.

As in seaborn, options are keyword-only and ``ax=None`` draws on ``plt.gca()``.
A briefing only assembles these figures, so every chart is testable alone.
"""

from __future__ import annotations

from .briefing import plot_seizures_by
from .indicators import (
    plot_outcome_mix,
    plot_response_times,
    plot_sdg_16_4_2,
    plot_time_to_recovery,
    plot_trends,
)
from .network import (
    plot_batches,
    plot_brokers,
    plot_corridors,
    plot_custody_chain,
    plot_flow_matrix,
    plot_graph,
    plot_networks,
)
from .tracing import plot_capacity_curve

__all__ = [
    "plot_seizures_by",
    "plot_outcome_mix",
    "plot_response_times",
    "plot_sdg_16_4_2",
    "plot_time_to_recovery",
    "plot_trends",
    "plot_batches",
    "plot_brokers",
    "plot_corridors",
    "plot_custody_chain",
    "plot_flow_matrix",
    "plot_graph",
    "plot_networks",
    "plot_capacity_curve",
]
