"""Indicators: trace operations, SDG 16.4.2, time to recovery, trends and alerts.

Every function takes anything :func:`~iti_analytics.dataset.as_dataset`
accepts (a Dataset, a LoadResult, a DataFrame, a mapping of tables), runs it
through ``as_dataset`` once, returns a DataFrame, and records the records it
had to leave out of a statistic in ``result.attrs["issues"]`` (see
:func:`indicator_issues`). A result left empty because every record was left
out comes with a :class:`~iti_analytics.exceptions.NoDataWarning` saying why.
"""

from __future__ import annotations

from ._common import DataQualityWarning, indicator_issues
from .alerts import alerts
from .followup import overdue_requests, responsiveness
from .operations import OUTCOMES, response_curves, trace_performance
from .recovery import time_to_recovery, time_to_recovery_summary
from .sdg import sdg_16_4_2
from .seizures import seizure_counts
from .state_stocks import OWNER_CLASSES, owner_class, state_stock_diversion
from .survival import product_limit, survival_at, survival_quantile
from .trends import trends

__all__ = [
    "DataQualityWarning",
    "indicator_issues",
    "OUTCOMES",
    "trace_performance",
    "responsiveness",
    "response_curves",
    "overdue_requests",
    "sdg_16_4_2",
    "state_stock_diversion",
    "owner_class",
    "OWNER_CLASSES",
    "time_to_recovery",
    "time_to_recovery_summary",
    "trends",
    "alerts",
    "seizure_counts",
    "product_limit",
    "survival_quantile",
    "survival_at",
]
