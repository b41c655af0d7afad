"""What every plan needs, computed once: traceability, risk, groups and values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .._validation import check_option
from ..exceptions import InvalidParameterError
from ._common import add_note, group_codes, tables
from .features import MILITARY_CATEGORIES, _features_and_context, trace_labels
from .risk import RiskScorer
from .traceability import traceability

__all__ = ["STRATEGIES", "DISCOUNTS", "MIN_LABELS", "MAX_LABELS"]

#: the strategies of :func:`plan_tracing`.
STRATEGIES = ("risk", "ease", "comprehensive", "random")

#: diminishing returns of the ``risk`` strategy: for each group, the chance
#: that two of its items left legal hands at the same point.
DISCOUNTS: dict[str, float] = {
    "batch": 0.95,
    "import_mark": 0.9,
    "seizure": 0.3,
    "profile": 0.5,
    "actor": 0.1,
}

#: fewest past outcomes (of both classes) before the scorer learns from them.
MIN_LABELS = 20
#: most past outcomes the scorer learns from (a seeded sample beyond).
MAX_LABELS = 30_000


@dataclass
class _Context:
    """Everything a plan needs, computed once (shared by compare_strategies)."""

    items: pd.DataFrame
    trace: pd.DataFrame
    features: pd.DataFrame
    context: pd.DataFrame
    risk: np.ndarray
    candidate: np.ndarray
    groups: dict[str, np.ndarray]
    line_groups: dict[str, np.ndarray]
    notes: list[str] = field(default_factory=list)
    scorer: Any = None

    @property
    def p(self) -> np.ndarray:
        return self.trace["p_success"].to_numpy(dtype=float)


def _prepare(
    ds: Any,
    *,
    scorer: Any = None,
    as_of: Any = None,
    include_requested: bool = False,
    batch_members: pd.DataFrame | None = None,
    prior_strength: float | str = 10,
) -> _Context:
    t = tables(ds)
    notes: list[str] = []
    trace = traceability(t.__dict__, as_of=as_of, prior_strength=prior_strength)
    for note in trace.attrs.get("notes", []):
        add_note(notes, note, warn=False)
    features, context = _features_and_context(t.__dict__, batch_members=batch_members)
    if len(features):
        fitted = _fit_scorer(t, trace, features, scorer, notes)
        risk = fitted.predict_proba(features)[:, 1]
    else:
        add_note(notes, "The dataset holds no items: there is nothing to plan.")
        fitted, risk = scorer, np.zeros(0)
    candidate = trace["traceable"].to_numpy(dtype=bool)
    requested = trace["requested"].to_numpy(dtype=bool)
    if not include_requested and (candidate & requested).any():
        add_note(
            notes,
            f"{int((candidate & requested).sum())} traceable items already have a "
            "trace request and are left out (include_requested=True keeps them).",
            warn=False,
        )
        candidate = candidate & ~requested
    if t.items["country"].nunique() <= 1 and len(t.items):
        add_note(
            notes,
            "All items come from one country (or none is known): place signals "
            "(conflict areas, embargoes, unusual types) cannot rank one area "
            "above another.",
        )
    groups = _groups(t.items, trace, context, candidate)
    armed = features["armed_group"].to_numpy(dtype=float) > 0
    line_groups = _line_groups(groups, context, candidate & armed)
    return _Context(
        items=t.items,
        trace=trace,
        features=features,
        context=context,
        risk=risk,
        candidate=candidate,
        groups=groups,
        line_groups=line_groups,
        notes=notes,
        scorer=fitted,
    )


def _fit_scorer(t, trace, features, scorer, notes) -> RiskScorer:
    """The scorer, fitted on past answers to traceable items' requests.

    The labels are :func:`trace_labels` among answered requests (did the trace
    reveal the diversion point once the party searched its records?), so that
    the risk does not learn traceability again.
    """
    if scorer is not None and hasattr(scorer, "classes_"):
        return scorer
    base = RiskScorer() if scorer is None else clone(scorer)
    labels = trace_labels(t.__dict__, as_of=trace.attrs["as_of"], among="answered")
    known = labels.notna().to_numpy() & trace["traceable"].to_numpy(dtype=bool)
    y = labels.to_numpy()[known]
    if known.sum() >= MIN_LABELS and 0 < y.sum() < len(y):
        rows = np.flatnonzero(known)
        if len(rows) > MAX_LABELS:
            keep = np.sort(
                np.random.default_rng(0).choice(len(rows), MAX_LABELS, replace=False)
            )
            rows, y = rows[keep], y[keep]
            add_note(
                notes,
                f"The scorer learned from a random sample of {MAX_LABELS:,} "
                f"of the {int(known.sum()):,} past answers.",
                warn=False,
            )
        return base.fit(features.iloc[rows], y.astype(int))
    if len(t.traces) == 0:
        add_note(
            notes,
            "No trace outcomes to learn from: risk uses the documented prior rules "
            "alone (conflict areas, embargoes, weapon type, actors, batches).",
        )
    else:
        add_note(
            notes,
            f"Only {int(known.sum())} past answers from a search of the records "
            f"({int(y.sum())} revealing a diversion point); the scorer needs at "
            f"least {MIN_LABELS}, of both kinds, to learn, so risk uses the prior "
            "rules alone.",
        )
    return base.fit(features)


def _groups(
    items: pd.DataFrame,
    trace: pd.DataFrame,
    context: pd.DataFrame,
    candidate: np.ndarray,
) -> dict[str, np.ndarray]:
    """Integer group codes (−1 outside) of the candidates, per kind of group."""
    category = items["category"].astype("string")
    military = (
        category.isin(list(MILITARY_CATEGORIES)).fillna(False).to_numpy(dtype=bool)
    )
    year = pd.to_numeric(items["year_of_manufacture"], errors="coerce")
    window = (year // 3).astype("Int64").astype("string").fillna("?")
    source = (
        items["make"]
        .astype("string")
        .fillna(items["country_of_manufacture"].astype("string"))
        .fillna("?")
    )
    profile = (source + "|" + trace["ask"].fillna("?") + "|" + window).where(
        pd.Series(military, index=items.index)
    )
    codes = {
        "batch": context["strong_batch"].to_numpy(),
        "import_mark": context["import_batch"].to_numpy(),
        "seizure": context["seizure"].to_numpy(),
        "profile": group_codes(profile),
        "actor": context["actor"].to_numpy(),
    }
    return {name: np.where(candidate, c, -1) for name, c in codes.items()}


def _line_groups(
    groups: dict[str, np.ndarray], context: pd.DataFrame, armed: np.ndarray
) -> dict[str, np.ndarray]:
    """Groups of armed-group items that probably share a supply line.

    A supply line is a (diversion point, armed group) pair: two items share
    one when they share a group of :func:`_groups` *and* the armed group.
    """
    actor = context["actor"].to_numpy()
    out = {}
    for name, codes in groups.items():
        if name in ("seizure", "actor"):
            out[name] = np.where(armed, codes, -1)
            continue
        ok = armed & (codes >= 0)
        width = int(actor.max()) + 2 if len(actor) else 2
        pair = codes.astype(np.int64) * width + actor + 1
        out[name] = np.where(ok, pd.factorize(np.where(ok, pair, -1))[0], -1)
    return out


def _diminishing(
    base: np.ndarray,
    p: np.ndarray,
    groups: dict[str, np.ndarray],
    discounts: dict[str, float],
    passes: int = 2,
) -> np.ndarray:
    """Each item's value once the items ranked before it in its groups are traced.

    ``value = base × Π_groups Π_(j before i in the group) (1 − q_g · p_j)``:
    the expected chance that tracing the item reveals a diversion point not
    already revealed, when two items of a group share their point with
    probability ``q_g``. Items are ordered within groups by ``base`` first,
    then (``passes`` > 1) by the value of the previous pass. Vectorised:
    one sort and one cumulative sum per group.
    """
    key = base.copy()
    value = base.copy()
    for _ in range(max(1, passes)):
        total = np.zeros(len(base))
        for name, q in discounts.items():
            codes = groups.get(name)
            if codes is None or q <= 0:
                continue
            idx = np.flatnonzero(codes >= 0)
            if len(idx) == 0:
                continue
            order = idx[np.lexsort((-key[idx], codes[idx]))]
            step = np.log1p(-np.clip(q * p[order], 0.0, 0.999999))
            before = np.cumsum(step) - step
            c = codes[order]
            start = np.ones(len(order), dtype=bool)
            start[1:] = c[1:] != c[:-1]
            first = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
            total[order] += before - before[first]
        value = base * np.exp(total)
        key = value
    return value


def _value(
    ctx: _Context, discounts: dict[str, float], supply_line_weight: float
) -> np.ndarray:
    """Expected new diversion points plus weighted new supply lines per trace."""
    p = ctx.p
    base = ctx.risk * p
    value = _diminishing(base, p, ctx.groups, discounts)
    if supply_line_weight > 0:
        armed = np.zeros(len(p), dtype=bool)
        for codes in ctx.line_groups.values():
            armed |= codes >= 0
        lines = _diminishing(base, p, ctx.line_groups, discounts)
        value = value + supply_line_weight * np.where(armed, lines, 0.0)
    return value


def _order(
    ctx: _Context,
    strategy: str,
    seed: int,
    discounts: dict[str, float],
    supply_line_weight: float = 1.0,
):
    """(positions in plan order, score) over the candidates."""
    idx = np.flatnonzero(ctx.candidate)
    p = ctx.p
    if strategy in ("risk", "comprehensive"):
        value = _value(ctx, discounts, supply_line_weight)
        order = idx[np.lexsort((-p[idx], -value[idx]))]
        return order, value
    if strategy == "ease":
        days = ctx.trace["expected_days"].to_numpy(dtype=float, na_value=np.inf)
        order = idx[np.lexsort((days[idx], -p[idx]))]
        return order, p
    rng = np.random.default_rng(seed)
    return rng.permutation(idx), ctx.risk * p


def _check_weight(weight: Any) -> float:
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not (np.isfinite(weight) and weight >= 0)
    ):
        raise InvalidParameterError(
            "`supply_line_weight` must be a number, 0 or more (1 = a new supply line "
            f"is worth a new diversion point), but {weight!r} was passed."
        )
    return float(weight)


def _check_discounts(discounts: dict[str, float] | None) -> dict[str, float]:
    if discounts is None:
        return dict(DISCOUNTS)
    out = dict(DISCOUNTS)
    for name, q in dict(discounts).items():
        check_option("discounts", name, DISCOUNTS)
        if not 0 <= float(q) <= 1:
            raise InvalidParameterError(
                f"The discount for {name!r} must lie between 0 and 1 (the chance two "
                f"items of one {name} share their diversion point), but {q!r} was "
                "passed."
            )
        out[name] = float(q)
    return out
