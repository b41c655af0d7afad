"""Charts, one function per figure: ``data`` first, ``ax=None``, return the Axes.

As in seaborn, options are keyword-only and ``ax=None`` draws on ``plt.gca()``.
A briefing only assembles these figures, so every chart is testable alone.
"""

from __future__ import annotations

from .indicators import (
    plot_outcome_mix,
    plot_response_times,
    plot_sdg_16_4_2,
    plot_time_to_recovery,
    plot_trends,
)

__all__ = [
    "plot_outcome_mix",
    "plot_response_times",
    "plot_sdg_16_4_2",
    "plot_time_to_recovery",
    "plot_trends",
]
