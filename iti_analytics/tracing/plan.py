"""The tracing plan: which items to trace under a given capacity, in what order, why."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import Dataset, DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ._common import TracingWarning, add_note
from ._context import (
    DISCOUNTS,
    MAX_LABELS,
    MIN_LABELS,
    STRATEGIES,
    SUPPLY_LINE_WEIGHT,
    _check_discounts,
    _check_weight,
    _Context,
    _order,
    _prepare,
    block_rounds,
)
from .risk import RiskScorer
from .traceability import BLOCKERS

__all__ = [
    "plan_tracing",
    "PLAN_COLUMNS",
    "PLAN_NARROW_COLUMNS",
    "HIT_COLUMNS",
    "STRATEGIES",
    "DISCOUNTS",
    "MIN_LABELS",
    "MAX_LABELS",
]

#: the item's columns a plan row repeats: what a person needs to find the item
#: (``importer``, the import marking of ITI para 8(b), is often the only name
#: on an imported military rifle whose maker was not recorded)
_ITEM_COLUMNS = (
    "make",
    "model",
    "serial",
    "seized_on",
    "country",
    "source",
    "importer",
)

#: columns of the plan: the first seven are a contract (rank, record_id,
#: score, p_success, reasons, cluster, ask); new columns go at the end.
PLAN_COLUMNS = [
    "rank",
    "record_id",
    "score",
    "p_success",
    "reasons",
    "cluster",
    "ask",
    "ask_type",
    "expected_days",
    "risk",
    "reason_codes",
    "request_kind",
    "audit",
    *_ITEM_COLUMNS,
]

#: the columns a person needs on a narrow screen (``iti rank`` without
#: ``--wide``): what to do, which item, whom to ask and the chance.
PLAN_NARROW_COLUMNS = [
    "request_kind",
    "rank",
    "record_id",
    "make",
    "model",
    "serial",
    "seized_on",
    "ask",
    "p_success",
]

#: the columns of the output of ``linkage.hit_check`` the plan reads.
HIT_COLUMNS = [
    "record_id",
    "register_record_id",
    "confidence",
    "reason",
    "reported_by",
    "reported_on",
]


def _capacity(
    capacity: Any, unit: str, n: int, notes: list[str]
) -> tuple[int | None, float | None]:
    """(count, days): how many traces, or how many analyst-days."""
    if capacity is None:
        return n, None
    if isinstance(capacity, bool) or not isinstance(capacity, int | float | np.number):
        raise InvalidParameterError(
            "`capacity` must be a number of traces (50), a share of the traceable "
            "items (0.1) or, with capacity_unit='days', analyst-days, but "
            f"{capacity!r} was passed."
        )
    capacity = float(capacity)
    if not np.isfinite(capacity) or capacity <= 0:
        raise InvalidParameterError(
            "`capacity` must be more than 0: a number of traces (50), a share of the "
            "traceable items (0.1) or, with capacity_unit='days', analyst-days, but "
            f"{capacity!r} was passed. Use capacity=None for every traceable item."
        )
    if unit == "days":
        return None, capacity
    if capacity < 1:
        count = max(1, int(round(capacity * n)))
    elif capacity != int(capacity):
        raise InvalidParameterError(
            "`capacity` above 1 is a number of traces and must be whole, but "
            f"{capacity!r} was passed (a share of the traceable items lies between "
            "0 and 1)."
        )
    else:
        count = int(capacity)
    if count > n and n > 0:
        add_note(
            notes,
            f"capacity {count} is more than the {n} traceable items: the plan lists "
            "them all.",
        )
    return min(count, n), None


def _costs(cost: Any, ctx: _Context) -> np.ndarray:
    n = len(ctx.items)
    if cost is None:
        return np.ones(n)
    if isinstance(cost, int | float) and not isinstance(cost, bool):
        if cost <= 0:
            raise InvalidParameterError(
                f"`cost` must be more than 0 days per request, but {cost!r} was passed."
            )
        return np.full(n, float(cost))
    if isinstance(cost, dict):
        kind = ctx.trace["ask_type"].astype("string")
        values = kind.map(cost).astype("Float64")
        default = float(cost.get("default", 1.0))
        return values.fillna(default).to_numpy(dtype=float)
    if isinstance(cost, pd.Series):
        rid = ctx.items["record_id"].astype("string")
        aligned = (
            cost.reindex(rid)
            if rid.isin(cost.index).any()
            else cost.reindex(ctx.items.index)
        )
        return pd.to_numeric(aligned, errors="coerce").fillna(1.0).to_numpy(dtype=float)
    raise InvalidParameterError(
        "`cost` must be days per request (a number), a dict by ask type "
        "({'state': 2, 'manufacturer': 1, 'default': 1}) or a Series by record_id, "
        f"but a {type(cost).__name__} was passed."
    )


def plan_tracing(
    ds: DatasetLike,
    *,
    capacity: float | int | None = 50,
    strategy: str = "risk",
    domestic_capacity: float | int | None = 50,
    audit: float = 0.0,
    since: Any = None,
    include_surrendered: bool = False,
    hits: pd.DataFrame | str | None = "auto",
    capacity_unit: str = "traces",
    cost: Any = None,
    seed: int = 0,
    scorer: RiskScorer | None = None,
    include_requested: bool = False,
    discounts: dict[str, float] | None = None,
    supply_line_weight: float = SUPPLY_LINE_WEIGHT,
    as_of: Any = None,
    top_reasons: int = 3,
) -> pd.DataFrame:
    """Which items to trace under a capacity, in order, with reasons in words.

    Items are sorted first by what is to be done with them
    (:func:`traceability`'s ``request_kind``): records of losses and thefts
    are never traced — seized items that match one (``hits``) get a row
    saying "reported stolen by X on D" instead; items with a known registered
    owner, or whose party to ask is the seizing State or one of its makers,
    are **domestic record checks**, planned apart (``domestic_capacity``);
    the rest are **international trace requests** (``capacity``). Items
    surrendered under an amnesty or voluntarily are left out unless
    ``include_surrendered`` (ISACS 05.31: tracing them would deter
    surrender).

    Parameters
    ----------
    ds : Dataset
        Items and past traces (anything :func:`~iti_analytics.as_dataset`
        takes).
    capacity : int, float or None, default 50
        With ``capacity_unit="traces"``: a number of trace requests (1 or more,
        whole), or a share of the traceable items when strictly between 0 and 1
        (0.1 = a tenth of them); None = every traceable item. With
        ``capacity_unit="days"``: analyst-days to spend, each request costing
        ``cost``. 0 or less raises :class:`InvalidParameterError`; a capacity
        above the number of traceable items gives them all (with a note).
    strategy : {"risk", "diverse", "ease", "comprehensive", "random"}, default "risk"
        ``risk``
            Expected new diversion points: the chance the party answers with
            usable records (``p_success``, :func:`traceability`) — with
            diminishing returns
            inside a batch, an import-mark batch, a seizure, a profile
            (military-pattern arms of one make, party and three-year
            production window) and an actor: each item already planned in a
            group multiplies the value of the next one by ``1 − q × p``
            (:data:`DISCOUNTS`, ``q`` the chance two items of the group left
            legal hands at the same point), so the plan does not spend ten
            traces on one crate. For items recovered from armed groups, the
            chance of revealing a new supply line (the same discounts, within
            one armed group) is added, weighted by ``supply_line_weight``.
            Among equal values (to three decimals) the higher ``risk``
            (:class:`RiskScorer`, learned from answered requests only) goes
            first: on the benchmark worlds the risk did not tell which
            requests reveal a diversion point, so it orders requests of equal
            promise rather than scaling them (``RISK_SHRINK``). Then one
            item per make, model, year and block of nearby serials per round
            (:func:`block_rounds`): a second item of a block comes only after
            the first of every block, as in ``diverse`` — consecutive serials
            are one shipment, with one diversion point and, mostly, one fate
            of its records (``discounts={"serial_block": 0}`` turns the
            rounds off). So ``score`` may rise where a new round starts.
        ``diverse``
            A plain rule, the baseline to beat: highest ``p_success`` first,
            one item per make, model, year and block of nearby serials
            (:data:`SERIAL_BLOCK`) per round.
        ``ease``
            Most traceable first (``p_success``, then fastest answer): the
            cost-effectiveness habit the ITI expert group contrasts with
            selective tracing.
        ``comprehensive``
            Every traceable item, in the ``risk`` order (capacity is ignored).
        ``random``
            A seeded random order (the baseline).
        Ties break by the latest seizure first.
    domestic_capacity : int, float or None, default 50
        The same for domestic record checks (0: none).
    audit : float, default 0.0
        Share of the international requests drawn at random from the other
        candidates (column ``audit`` True, ranked last), so that once
        answered :func:`selection_value` measures what selection gains.
    since : date, optional
        Only items seized on or after this date.
    include_surrendered : bool, default False
        Keep surrendered items (amnesty or voluntary surrender).
    hits : DataFrame, "auto" or None, default "auto"
        Seized items matched to lost or stolen records, as returned by
        ``iti_analytics.hit_check(ds)`` (:data:`HIT_COLUMNS`); "auto" calls
        it when the linkage stage has it; None skips the hit-check.
    capacity_unit : {"traces", "days"}, default "traces"
    cost : float, dict, Series, optional
        Analyst-days per request: one number, a dict by ``ask_type``
        (``{"state": 2, "manufacturer": 1, "default": 1}``) or a Series by
        ``record_id``. Default 1. With days, ``risk`` ranks by value per day.
    seed : int, default 0
        Seed of ``random``.
    scorer : RiskScorer, optional
        A fitted scorer is used as is; an unfitted one is fitted here on the
        dataset's past answers (:func:`trace_labels` with ``among="answered"``:
        did the trace reveal the diversion point once the party searched its
        records? Traceable items only) when there are at least
        :data:`MIN_LABELS` of them, of both kinds, on the prior rules alone
        otherwise. Default ``RiskScorer()``.
    include_requested : bool, default False
        Keep items that already have a trace request.
    discounts : dict, optional
        Override some of :data:`DISCOUNTS` (0 switches a group off).
    supply_line_weight : float, default 0.5
        What a new armed-group supply line (a diversion point feeding an armed
        group) is worth next to a new diversion point, in the ``risk`` value
        (:data:`SUPPLY_LINE_WEIGHT`); 0 counts diversion points only.
    as_of : date, optional
        Date of the requests (default: the latest date in the data).
    top_reasons : int, default 3
        Risk reasons per row.

    Returns
    -------
    DataFrame
        One row per trace to send, :data:`PLAN_COLUMNS`: ``rank`` (1 = first),
        ``record_id``, ``score`` (the value the strategy ranked by: the
        discounted expected value for ``risk`` and ``comprehensive``,
        ``p_success`` for ``ease``; for ``random``, the undiscounted
        ``risk × p_success``, for information), ``p_success``, ``reasons``
        (the risk reasons of :meth:`RiskScorer.explain` — signals the item
        has, strongest first — then whom to ask, and the item's place in its
        cluster), ``cluster`` (its batch, else its seizure), ``ask``,
        ``ask_type``, ``expected_days``, ``risk``, ``reason_codes`` (the
        codes of the risk reasons, :data:`REASON_CODES`, ``";"``-joined, in
        the order of the words: for translations), ``request_kind``
        (``trace_request``, ``domestic_check`` or ``hit``; ``rank`` restarts
        in each), ``audit``, and what a person needs to find the item:
        ``make``, ``model``, ``serial``, ``seized_on``, ``country``,
        ``source``, ``importer``; plus ``cost`` and ``cumulative_cost`` in days.
        ``attrs["counts"]`` gives the rows of each kind. ``attrs["notes"]``
        says what could not be used (no traces, no serials, one country …),
        also warned as :class:`TracingWarning`.

    Raises
    ------
    InvalidParameterError
        Unknown strategy or unit, capacity 0 or negative, a fractional count.

    See Also
    --------
    compare_strategies : what each strategy reveals at each capacity.
    monitor_list : high-risk items that cannot be traced.

    Examples
    --------
    >>> from iti_analytics.samples import load_sample
    >>> ds = load_sample()
    >>> plan = plan_tracing(ds, capacity=5, domestic_capacity=0)
    >>> plan[["rank", "record_id", "p_success", "ask"]].shape
    (5, 4)
    >>> plan["rank"].tolist()
    [1, 2, 3, 4, 5]
    >>> plan_tracing(ds, capacity=5).attrs["counts"]
    {'trace_request': 5, 'domestic_check': 3, 'hit': 0}
    >>> plan["cluster"].is_unique    # five traces, five different batches or seizures
    True
    >>> "Trace:" in plan.loc[0, "reasons"]
    True
    >>> plan.columns[:7].tolist()
    ['rank', 'record_id', 'score', 'p_success', 'reasons', 'cluster', 'ask']
    """
    check_option("strategy", strategy, STRATEGIES)
    check_option("capacity_unit", capacity_unit, ["traces", "days"])
    discounts = _check_discounts(discounts)
    _check_weight(supply_line_weight)
    _capacity(capacity, capacity_unit, 10**12, [])  # refuse bad values before work
    if domestic_capacity != 0:
        _capacity(domestic_capacity, "traces", 10**12, [])
    audit = check_audit(audit)
    since = check_since(since)
    ds = as_dataset(ds)
    hit_rows = _hits(ds, hits)
    exclude = ds.items["record_id"].astype("string").isin(hit_rows["record_id"])
    ctx = _prepare(
        ds,
        scorer=scorer,
        as_of=as_of,
        include_requested=include_requested,
        include_surrendered=include_surrendered,
        since=since,
        exclude=exclude,
    )
    options = dict(
        capacity_unit=capacity_unit,
        cost=cost,
        seed=seed,
        discounts=discounts,
        supply_line_weight=supply_line_weight,
        top_reasons=top_reasons,
    )
    plan = _plan_from_context(ctx, capacity, strategy, audit=audit, **options)
    parts = [plan]
    if ctx.domestic is not None and ctx.domestic.any() and domestic_capacity != 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TracingWarning)
            dom = _plan_from_context(
                ctx.for_domestic(),
                domestic_capacity,
                strategy,
                **{**options, "capacity_unit": "traces"},
            )
        dom["request_kind"] = "domestic_check"
        parts.append(dom)
    if len(hit_rows):
        parts.append(_hit_frame(ds, hit_rows))
    out = (
        pd.concat([x for x in parts if len(x)], ignore_index=True)
        if sum(len(x) for x in parts)
        else plan
    )
    out.attrs = dict(plan.attrs)
    out.attrs["counts"] = {
        kind: int((out["request_kind"] == kind).sum())
        for kind in ("trace_request", "domestic_check", "hit")
    }
    return out


def check_audit(audit: Any) -> float:
    """``audit`` as a share between 0 and 1 (refused otherwise)."""
    if (
        isinstance(audit, bool)
        or not isinstance(audit, int | float | np.number)
        or not 0 <= float(audit) < 1
    ):
        raise InvalidParameterError(
            "`audit` must be the share of the capacity kept for a random sample, "
            f"from 0 (none) to below 1, such as 0.1, but {audit!r} was passed."
        )
    return float(audit)


def check_since(since: Any) -> pd.Timestamp | None:
    """``since`` as a date (None stays None)."""
    if since is None:
        return None
    try:
        ts = pd.Timestamp(since)
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(
            f"`since` must be a date such as '2023-01-01', but {since!r} was passed."
        ) from err
    if ts is pd.NaT:
        raise InvalidParameterError("`since` must be a date, but NaT was passed.")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def _hits(ds: Dataset, hits: Any) -> pd.DataFrame:
    """Seized items matched to lost or stolen records (``linkage.hit_check``)."""
    empty = pd.DataFrame({c: pd.Series(dtype="string") for c in HIT_COLUMNS})
    if hits is None:
        return empty
    if isinstance(hits, str):
        check_option("hits", hits, ["auto"])
        try:
            from ..linkage import hit_check
        except ImportError:  # the linkage stage without hit_check
            return empty
        hits = hit_check(ds)
    if not isinstance(hits, pd.DataFrame) or "record_id" not in hits.columns:
        raise InvalidParameterError(
            "`hits` must be the table of iti_analytics.hit_check(ds) (with "
            f"{', '.join(HIT_COLUMNS)}), 'auto' or None, but a "
            f"{type(hits).__name__} was passed."
        )
    out = hits.copy()
    if "days_to_recovery" in out.columns:
        # a loss reported after the seizure is not where the weapon left legal
        # hands (``hit_check``): its trace still stands
        later = pd.to_numeric(out["days_to_recovery"], errors="coerce") < 0
        out = out[~later.fillna(False).to_numpy(dtype=bool)]
    for col in HIT_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA
    out["record_id"] = out["record_id"].astype("string")
    out = out.sort_values("confidence", ascending=False, kind="stable")
    keep = HIT_COLUMNS + [c for c in ("loss_status",) if c in out.columns]
    return out.drop_duplicates("record_id")[keep].reset_index(drop=True)


def _hit_frame(ds: Dataset, hits: pd.DataFrame) -> pd.DataFrame:
    """Plan rows for seized items reported lost or stolen: no trace, a hit."""
    items = ds.items.set_index(ds.items["record_id"].astype("string"))
    items = items[~items.index.duplicated()]
    reg = (
        items["status"]
        .astype("string")
        .reindex(hits["register_record_id"].astype("string"))
    )
    if "loss_status" in hits.columns:  # hit_check says which
        reg = hits["loss_status"].astype("string").set_axis(reg.index).fillna(reg)
    status = reg.fillna("lost or stolen").to_numpy(dtype=object)
    by = hits["reported_by"].astype("string").fillna("an unnamed party")
    on = pd.to_datetime(hits["reported_on"], errors="coerce").dt.strftime("%Y-%m-%d")
    words = (
        "Reported "
        + pd.Series(status, index=hits.index, dtype="string")
        + " by "
        + by
        + (" on " + on.astype("string")).fillna("")
        + " (record "
        + hits["register_record_id"].astype("string").fillna("?")
        + "): return it to its owner's register and investigate the loss; no "
        "trace request"
    )
    row = items.reindex(hits["record_id"])
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(hits) + 1),
            "record_id": hits["record_id"].to_numpy(),
            "score": pd.to_numeric(hits["confidence"], errors="coerce").to_numpy(),
            "p_success": np.nan,
            "reasons": words.astype("string").to_numpy(),
            "cluster": pd.array([None] * len(hits), dtype="string"),
            "ask": by.to_numpy(),
            "ask_type": "other",
            "expected_days": np.nan,
            "risk": np.nan,
            "reason_codes": "reported_lost_stolen",
            "request_kind": "hit",
            "audit": False,
        }
    )
    for col in _ITEM_COLUMNS:
        out[col] = row[col].to_numpy()
    return out


def _plan_from_context(
    ctx: _Context,
    capacity: Any,
    strategy: str,
    *,
    capacity_unit: str = "traces",
    cost: Any = None,
    seed: int = 0,
    discounts: dict[str, float] | None = None,
    supply_line_weight: float = SUPPLY_LINE_WEIGHT,
    top_reasons: int = 3,
    words: bool = True,
    audit: float = 0.0,
) -> pd.DataFrame:
    notes = list(ctx.notes)
    discounts = _check_discounts(discounts)
    supply_line_weight = _check_weight(supply_line_weight)
    n = int(ctx.candidate.sum())
    if n == 0:
        add_note(
            notes,
            "No item can be traced (see traceability(ds)['blockers']); the plan is "
            "empty — monitor_list(ds) lists what to profile instead.",
        )
    if strategy == "comprehensive":
        if capacity is not None and capacity_unit == "traces":
            add_note(
                notes,
                "Comprehensive tracing lists every traceable item; "
                "`capacity` is ignored.",
                warn=False,
            )
        capacity, capacity_unit = None, "traces"
    count, days = _capacity(capacity, capacity_unit, n, notes)
    order, score = _order(ctx, strategy, seed, discounts, supply_line_weight)
    costs = _costs(cost, ctx) if (days is not None or cost is not None) else None
    if days is not None:
        if cost is None:
            add_note(
                notes,
                "No `cost` given: each request counts as 1 analyst-day.",
                warn=False,
            )
        if strategy in ("risk", "comprehensive"):
            per_day = score[order] / costs[order]
            order = order[np.argsort(-per_day, kind="stable")]
            if discounts["serial_block"] > 0:
                order = block_rounds(order, ctx.block)
        spent = np.cumsum(costs[order])
        order = order[spent <= days + 1e-9]
    else:
        order = order[:count]
    audited = np.zeros(len(order), dtype=bool)
    k = int(round(audit * len(order)))
    if k and strategy != "comprehensive":
        keep = order[: len(order) - k]
        rest = np.setdiff1d(np.flatnonzero(ctx.candidate), keep)
        pick = np.random.default_rng(seed).choice(
            rest, min(k, len(rest)), replace=False
        )
        order = np.concatenate([keep, np.sort(pick)])
        audited = np.arange(len(order)) >= len(keep)
        add_note(
            notes,
            f"{len(pick)} of the {len(order)} requests are a random audit sample "
            "(column audit): once answered, selection_value(ds) measures what "
            "selection gains over random.",
            warn=False,
        )
    out = _plan_frame(ctx, order, score, costs, top_reasons, strategy, words)
    out["audit"] = audited
    if audited.any() and words:
        out["reasons"] = out["reasons"].mask(
            pd.Series(audited),
            "Audit: chosen at random, to measure what selection gains. "
            + out["reasons"].astype("string"),
        )
    out.attrs["notes"] = notes
    out.attrs["strategy"] = strategy
    return out


def _plan_frame(ctx, order, score, costs, top_reasons, strategy, words) -> pd.DataFrame:
    tr = ctx.trace.iloc[order]
    batch = ctx.context["batch_id"].iloc[order].astype("string")
    seizure_id = ctx.items["seizure_id"].astype("string").iloc[order]
    cluster = batch.fillna(seizure_id).fillna(ctx.items["record_id"].iloc[order])
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "record_id": tr["record_id"].to_numpy(),
            "score": np.round(score[order], 4),
            "p_success": tr["p_success"].to_numpy(dtype=float),
            "reasons": pd.array([None] * len(order), dtype="string"),
            "cluster": cluster.astype("string").to_numpy(),
            "ask": tr["ask"].to_numpy(),
            "ask_type": tr["ask_type"].to_numpy(),
            "expected_days": tr["expected_days"].to_numpy(),
            "risk": np.round(ctx.risk[order], 4),
            "reason_codes": pd.array([None] * len(order), dtype="string"),
        }
    )
    out["request_kind"] = "trace_request"
    out["audit"] = False
    items = ctx.items.iloc[order]
    for col in _ITEM_COLUMNS:
        out[col] = items[col].to_numpy()
    if costs is not None:
        out["cost"] = costs[order]
        out["cumulative_cost"] = np.cumsum(costs[order])
    if words and len(order):
        why = ctx.scorer.reasons(
            ctx.features.iloc[order],
            top=top_reasons,
            context=ctx.context.iloc[order],
        )
        out["reason_codes"] = why["reason_codes"].array
        out["reasons"] = _plan_reasons(ctx, order, out, why["reasons"])
    return out


def _plan_reasons(ctx, order, out, risk_words: pd.Series) -> pd.array:
    """Risk reasons, then whom to ask and why, then the item's place in its cluster."""
    risk_words = risk_words.to_numpy(dtype=object)
    tr = ctx.trace.iloc[order]
    answered = tr["party_answered"].astype("Int64").astype("string")
    requests = tr["party_requests"].astype("Int64").astype("string")
    history = (", answered " + answered + " of " + requests + " requests").where(
        tr["party_requests"].fillna(0) > 0, ", no earlier request"
    )
    days = tr["expected_days"].round().astype("Int64").astype("string")
    ask = (
        "Trace: ask "
        + tr["ask"].astype("string")
        + " ("
        + tr["ask_basis"].astype("string")
        + history.fillna("")
        + (", about " + days + " days").fillna("")
        + ")"
    ).fillna("Trace: whom to ask is unknown")
    soft = tr["blockers"].astype("string").map(_soft_words, na_action="ignore")
    ask = (ask + ("; note: " + soft.astype("string")).fillna("")).to_numpy(dtype=object)
    nth = pd.Series(out["cluster"]).groupby(out["cluster"].to_numpy()).cumcount() + 1
    cluster = out["cluster"].astype("string")
    first = np.where(
        nth.to_numpy() == 1,
        "First trace for " + cluster,
        "Trace no. " + nth.astype(str).to_numpy(dtype=object) + " for " + cluster,
    )
    risk = out["risk"].map(lambda r: f"Risk {r:.2f}: ").to_numpy(dtype=object)
    text = risk + risk_words + ". " + ask + ". " + first.astype(object) + "."
    return pd.array(text, dtype="string")


def _soft_words(codes: str) -> str | None:
    """Words of the soft blockers other than the party's record (said already)."""
    words = [
        BLOCKERS[c]
        for c in str(codes).split(";")
        if c in BLOCKERS and c not in ("party_unresponsive", "party_unknown")
    ]
    return "; ".join(words) if words else None
