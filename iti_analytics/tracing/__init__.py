"""Selective tracing: what to trace under limited capacity, why, and what it gives up.

The ITI expert group distinguishes comprehensive tracing (trace everything and
link it to actors, routes and related materiel) from selective tracing (a
state without that capacity traces what matters most, under a risk-management
approach). This sub-package says, per item, whether a trace can succeed and
whom to ask (:func:`traceability`), how risky it is and why (:class:`RiskScorer`,
:func:`risk_features`), which items to trace under a given capacity
(:func:`plan_tracing`), what selection gains over random on audited
answers (:func:`selection_value`), which untraceable items to profile and watch instead
(:func:`monitor_list`), and what each strategy gives up against comprehensive
tracing (:func:`compare_strategies`).
"""

from __future__ import annotations

from ._common import TracingWarning
from ._reference import (
    EMBARGO_SCOPE_WEIGHTS,
    conflict_area_status,
    conflict_areas,
    embargo_status,
    sanctions_status,
    un_arms_embargoes,
    un_sanctions_regimes,
)
from ._words import REASON_CODES
from .compare import COMPARE_COLUMNS, compare_strategies
from .features import RISK_FEATURES, SEARCHED_OUTCOMES, risk_features, trace_labels
from .history import party_history
from .monitor import MONITOR_COLUMNS, monitor_list
from .plan import (
    DISCOUNTS,
    HIT_COLUMNS,
    PLAN_COLUMNS,
    PLAN_NARROW_COLUMNS,
    STRATEGIES,
    plan_tracing,
)
from .risk import LEARNED_SIGNALS, PRIOR_INTERCEPT, PRIOR_WEIGHTS, RiskScorer
from .traceability import (
    BLOCKERS,
    HARD_BLOCKERS,
    INCOMPLETE_CODES,
    REPORTED_STATUSES,
    REQUEST_KINDS,
    SOFT_FACTORS,
    TRACEABILITY_COLUMNS,
    traceability,
)
from .value import SELECTION_VALUE_COLUMNS, selection_value

__all__ = [
    "traceability",
    "party_history",
    "RiskScorer",
    "risk_features",
    "trace_labels",
    "plan_tracing",
    "selection_value",
    "monitor_list",
    "compare_strategies",
    "un_arms_embargoes",
    "un_sanctions_regimes",
    "sanctions_status",
    "conflict_areas",
    "embargo_status",
    "conflict_area_status",
    "TracingWarning",
    "BLOCKERS",
    "HARD_BLOCKERS",
    "INCOMPLETE_CODES",
    "SOFT_FACTORS",
    "TRACEABILITY_COLUMNS",
    "RISK_FEATURES",
    "LEARNED_SIGNALS",
    "SEARCHED_OUTCOMES",
    "REASON_CODES",
    "PRIOR_WEIGHTS",
    "PRIOR_INTERCEPT",
    "STRATEGIES",
    "DISCOUNTS",
    "PLAN_COLUMNS",
    "PLAN_NARROW_COLUMNS",
    "MONITOR_COLUMNS",
    "COMPARE_COLUMNS",
    "SELECTION_VALUE_COLUMNS",
    "REPORTED_STATUSES",
    "REQUEST_KINDS",
    "HIT_COLUMNS",
    "EMBARGO_SCOPE_WEIGHTS",
]
