"""What every plan needs, computed once: traceability, risk, groups and values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .._validation import check_option
from ..dataset import Dataset
from ..exceptions import InvalidParameterError
from ._common import add_note, group_codes
from .features import MILITARY_CATEGORIES, _features_and_context, _trace_labels
from .risk import RiskScorer
from .traceability import _traceability

__all__ = ["STRATEGIES", "DISCOUNTS", "MIN_LABELS", "MAX_LABELS"]

#: the strategies of :func:`plan_tracing`.
STRATEGIES = ("risk", "diverse", "ease", "comprehensive", "random")

#: serials whose numbers fall in one block of this size (same make, model,
#: year and letters) are "nearby": probably one shipment.
SERIAL_BLOCK = 100

#: diminishing returns of the ``risk`` strategy: for each group, the chance
#: that two of its items left legal hands at the same point.
DISCOUNTS: dict[str, float] = {
    "batch": 0.95,
    "import_mark": 0.9,
    "seizure": 0.3,
    "profile": 0.5,
    "actor": 0.1,
    "serial_block": 0.9,
}

#: how far the scorer's risk is shrunk toward 1 in the value a plan ranks by:
#: ``p_success × (RISK_SHRINK + (1 − RISK_SHRINK) × risk)``. At 1 the value is
#: the chance of a new diversion point alone and the risk breaks ties (values
#: equal to :data:`VALUE_DECIMALS` decimals). On tuning seeds 0–3 of both
#: generators, with and without past answers, the risk — learned or from the
#: prior rules — did not tell which requests reveal a diversion point: at 0.75
#: the plans found 3,807 points at 10 % capacity, at 1 with risk as the tie
#: break 4,037 (no world more than 1 % worse; issue 12).
RISK_SHRINK = 1.0

#: values of the ``risk`` strategy closer than this many decimals are ties,
#: broken by the risk, then ``p_success``, then the latest seizure.
VALUE_DECIMALS = 3

#: default worth of a new armed-group supply line next to a new diversion
#: point. At 1.0 the plan gave up diversion points that a plain rule found
#: (issue 12); at 0.5 it still finds several times the supply lines.
SUPPLY_LINE_WEIGHT = 0.5

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
    recency: np.ndarray | None = None
    block: np.ndarray | None = None
    domestic: np.ndarray | None = None

    def for_domestic(self) -> _Context:
        """The same context with the domestic checks as candidates."""
        dom = self.domestic if self.domestic is not None else np.zeros(0, bool)
        block = self.block if self.block is not None else np.full(len(dom), -1)
        groups = _groups(self.items, self.trace, self.context, dom, block)
        armed = self.features["armed_group"].to_numpy(dtype=float) > 0
        return replace(
            self,
            candidate=dom,
            groups=groups,
            line_groups=_line_groups(groups, self.context, dom & armed),
        )

    @property
    def p(self) -> np.ndarray:
        return self.trace["p_success"].to_numpy(dtype=float)

    @property
    def reveal(self) -> np.ndarray:
        """Chance a trace reveals the diversion point, the risk shrunk toward 1."""
        return self.p * (RISK_SHRINK + (1.0 - RISK_SHRINK) * self.risk)


def _prepare(
    ds: Dataset,
    *,
    scorer: Any = None,
    as_of: Any = None,
    include_requested: bool = False,
    batch_members: pd.DataFrame | None = None,
    prior_strength: float | str = 10,
    include_surrendered: bool = False,
    since: pd.Timestamp | None = None,
    exclude: pd.Series | None = None,
) -> _Context:
    """Everything a plan needs; ``exclude`` (bool by item) leaves items out."""
    t = ds
    notes: list[str] = []
    trace = _traceability(t, as_of=as_of, prior_strength=prior_strength)
    for note in trace.attrs.get("notes", []):
        add_note(notes, note, warn=False)
    features, context = _features_and_context(t, batch_members=batch_members)
    if len(features):
        fitted = _fit_scorer(t, trace, features, scorer, notes)
        risk = fitted.predict_proba(features)[:, 1]
    else:
        add_note(notes, "The dataset holds no items: there is nothing to plan.")
        fitted, risk = scorer, np.zeros(0)
    candidate = trace["traceable"].to_numpy(dtype=bool)
    candidate = _filter(
        t.items,
        trace,
        candidate,
        notes,
        include_requested,
        include_surrendered,
        since,
        exclude,
    )
    kind = trace["request_kind"].astype("string")
    domestic = candidate & (kind == "domestic_check").fillna(False).to_numpy(bool)
    candidate = candidate & (kind == "trace_request").fillna(False).to_numpy(bool)
    if domestic.any():
        add_note(
            notes,
            f"{int(domestic.sum()):,} items are domestic record checks (a "
            "registered owner is known, or the party is the seizing State or one "
            "of its makers), planned apart from international trace requests.",
            warn=False,
        )
    if t.items["country"].nunique() <= 1 and len(t.items):
        add_note(
            notes,
            "All items come from one country (or none is known): place signals "
            "(conflict areas, embargoes, unusual types) cannot rank one area "
            "above another.",
        )
    block = serial_blocks(t.items)
    groups = _groups(t.items, trace, context, candidate, block)
    armed = features["armed_group"].to_numpy(dtype=float) > 0
    line_groups = _line_groups(groups, context, candidate & armed)
    seized = t.items["seized_on"]
    recency = (
        (seized - pd.Timestamp("1900-01-01")).dt.days.astype("Float64").fillna(-1)
    ).to_numpy(dtype=float)
    return _Context(
        recency=recency,
        block=block,
        domestic=domestic,
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


def _filter(
    items: pd.DataFrame,
    trace: pd.DataFrame,
    candidate: np.ndarray,
    notes: list[str],
    include_requested: bool,
    include_surrendered: bool,
    since: pd.Timestamp | None,
    exclude: pd.Series | None,
) -> np.ndarray:
    """Leave out requested, surrendered, old and excluded items, with notes."""
    requested = trace["requested"].to_numpy(dtype=bool)
    if not include_requested and (candidate & requested).any():
        add_note(
            notes,
            f"{int((candidate & requested).sum())} traceable items already have a "
            "trace request and are left out (include_requested=True keeps them).",
            warn=False,
        )
        candidate = candidate & ~requested
    status = items["status"].astype("string").str.lower()
    surrendered = (status == "surrendered").fillna(False).to_numpy(dtype=bool)
    if not include_surrendered and (candidate & surrendered).any():
        add_note(
            notes,
            f"{int((candidate & surrendered).sum()):,} surrendered items (amnesty "
            "or voluntary surrender) are left out, as ISACS 05.31 advises so that "
            "surrender stays safe (include_surrendered=True keeps them).",
            warn=False,
        )
        candidate = candidate & ~surrendered
    if since is not None:
        old = ~(items["seized_on"] >= since).fillna(False).to_numpy(dtype=bool)
        if (candidate & old).any():
            add_note(
                notes,
                f"{int((candidate & old).sum()):,} items seized before "
                f"{since.date()} or on an unknown date are left out (since=).",
                warn=False,
            )
        candidate = candidate & ~old
    if exclude is not None:
        candidate = candidate & ~exclude.to_numpy(dtype=bool)
    return candidate


def _fit_scorer(t, trace, features, scorer, notes) -> RiskScorer:
    """The scorer, fitted on past answers to traceable items' requests.

    The labels are :func:`trace_labels` among answered requests (did the trace
    reveal the diversion point once the party searched its records?), so that
    the risk does not learn traceability again.
    """
    if scorer is not None and hasattr(scorer, "classes_"):
        return scorer
    base = RiskScorer() if scorer is None else clone(scorer)
    labels = _trace_labels(t, as_of=trace.attrs["as_of"], among="answered")
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


def serial_blocks(items: pd.DataFrame) -> np.ndarray:
    """Group codes of make, model, year and block of nearby serials (−1: no serial).

    Letters of the serial are kept; its digits are read as a number and cut
    into blocks of :data:`SERIAL_BLOCK`, so "AB1234" and "AB1297" share a
    block, "AB1234" and "AB1334" do not.
    """
    serial = items["serial"].astype("string").str.upper()
    codes, uniques = pd.factorize(serial)
    if len(uniques) == 0:
        return np.full(len(items), -1, dtype=np.int64)
    u = pd.Series(uniques, dtype="string")
    letters = u.str.replace(r"[0-9]", "", regex=True)
    digits = u.str.replace(r"[^0-9]", "", regex=True)
    number = pd.to_numeric(digits.str[-15:], errors="coerce")
    block = (number // SERIAL_BLOCK).astype("Int64").astype("string")
    key_u = (letters + "|" + digits.str.len().astype("string") + "|" + block).fillna(
        "#" + u
    )
    key_code = pd.factorize(key_u)[0]
    key = np.where(codes >= 0, key_code[np.maximum(codes, 0)], -1)
    year = pd.to_numeric(items["year_of_manufacture"], errors="coerce")
    parts = pd.DataFrame(
        {
            "make": pd.factorize(items["make"])[0],
            "model": pd.factorize(items["model"])[0],
            "year": pd.factorize(year)[0],
            "key": key,
        }
    )
    out = parts.groupby(list(parts.columns), sort=False).ngroup().to_numpy()
    return np.where(key >= 0, out, -1).astype(np.int64)


def _groups(
    items: pd.DataFrame,
    trace: pd.DataFrame,
    context: pd.DataFrame,
    candidate: np.ndarray,
    block: np.ndarray,
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
        "serial_block": block,
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
    base = ctx.reveal
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
    supply_line_weight: float = SUPPLY_LINE_WEIGHT,
):
    """(positions in plan order, score) over the candidates."""
    idx = np.flatnonzero(ctx.candidate)
    p = ctx.p
    recent = ctx.recency if ctx.recency is not None else np.zeros(len(p))
    if strategy in ("risk", "comprehensive"):
        value = _value(ctx, discounts, supply_line_weight)
        rounded = np.round(value[idx], VALUE_DECIMALS)
        order = idx[np.lexsort((-recent[idx], -p[idx], -ctx.risk[idx], -rounded))]
        if discounts.get("serial_block", 0) > 0:
            order = block_rounds(order, ctx.block)
        return order, value
    if strategy == "ease":
        days = ctx.trace["expected_days"].to_numpy(dtype=float, na_value=np.inf)
        order = idx[np.lexsort((-recent[idx], days[idx], -p[idx]))]
        return order, p
    if strategy == "diverse":
        return _diverse_order(ctx, idx, recent), p
    rng = np.random.default_rng(seed)
    return rng.permutation(idx), ctx.risk * p


def _diverse_order(ctx: _Context, idx: np.ndarray, recent: np.ndarray) -> np.ndarray:
    """Estimated chance of success first, one item per make, model, year and
    block of nearby serials per round (the plain baseline)."""
    p = ctx.p
    return block_rounds(idx[np.lexsort((-recent[idx], -p[idx]))], ctx.block)


def block_rounds(order: np.ndarray, block: np.ndarray | None) -> np.ndarray:
    """``order`` taken one item per serial block per round.

    The first item (in ``order``) of every block of :func:`serial_blocks`
    comes before the second item of any block, the second before the third,
    and so on; items without a block (−1) are blocks of their own. Within a
    round the items keep their order. Consecutive serials of one make, model
    and year are one shipment: they left legal hands at one point (on the
    tuning worlds of both generators two candidates of one block shared their
    diversion point every time) and mostly share their records, so that when
    a first request fails for want of records or an answer, a second one
    usually fails too (issue 12).

    Examples
    --------
    >>> import numpy as np
    >>> block_rounds(np.array([0, 1, 2, 3]), np.array([7, 7, 8, -1])).tolist()
    [0, 2, 3, 1]
    """
    if block is None or len(order) == 0:
        return order
    key = block[order]
    key = np.where(key >= 0, key, int(block.max(initial=0)) + 1 + np.arange(len(key)))
    nth = pd.Series(key).groupby(key, sort=False).cumcount().to_numpy()
    return order[np.lexsort((np.arange(len(order)), nth))]


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
