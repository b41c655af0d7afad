"""The price of selection: what each tracing strategy reveals at each capacity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ._common import add_note
from ._context import (
    STRATEGIES,
    SUPPLY_LINE_WEIGHT,
    _check_discounts,
    _check_weight,
    _Context,
    _diminishing,
    _order,
    _prepare,
)
from .plan import _capacity, check_since
from .risk import RiskScorer

__all__ = ["compare_strategies", "COMPARE_COLUMNS"]

#: columns of :func:`compare_strategies`.
COMPARE_COLUMNS = [
    "strategy",
    "capacity",
    "traces",
    "diversion_points_revealed",
    "share_of_comprehensive",
    "supply_lines_revealed",
    "supply_lines_share",
    "expected_days",
    "estimated",
]


def compare_strategies(
    ds: DatasetLike,
    *,
    capacities: Sequence[float] = (0.1, 0.25),
    truth: pd.DataFrame | None = None,
    include_surrendered: bool = False,
    since: Any = None,
    strategies: Sequence[str] = STRATEGIES,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    scorer: RiskScorer | None = None,
    include_requested: bool = False,
    discounts: dict[str, float] | None = None,
    supply_line_weight: float = SUPPLY_LINE_WEIGHT,
    as_of: Any = None,
) -> pd.DataFrame:
    """What each strategy reveals at each capacity, against comprehensive tracing.

    Parameters
    ----------
    ds : Dataset
    capacities : sequence of float, default (0.1, 0.25)
        Capacities as :func:`plan_tracing` reads them: shares of the traceable
        items (between 0 and 1) or numbers of traces.
    truth : DataFrame, optional
        The synthetic world's truth (``world.truth``): ``record_id``,
        ``diversion_point``, and, when present, ``reveals_diversion_point``,
        ``network_id``, ``network_type``. Without it the figures are
        estimated (``estimated`` True).
    strategies : sequence of str, default all of :data:`STRATEGIES`
    seeds : sequence of int, default (0, 1, 2, 3, 4)
        Seeds of ``random``; its figures are the mean over the seeds.
    include_surrendered, since, scorer, include_requested, discounts,
    supply_line_weight, as_of
        As in :func:`plan_tracing` (the same candidates: international trace
        requests not yet sent).

    Returns
    -------
    DataFrame
        One row per strategy × capacity, :data:`COMPARE_COLUMNS`:

        ``traces``
            Requests the plan sends (comprehensive: every traceable item).
        ``diversion_points_revealed``
            With truth: distinct diversion points among the planned items whose
            trace succeeds. A trace succeeds when the truth says its answer
            would identify the diversion point (``reveals_diversion_point``,
            the world's simulated answer: party willing and answering,
            markings and records usable); without that column, every planned
            item with a known diversion point counts (optimistic). Without
            truth: the expected number of distinct sources revealed,
            ``Σ_clusters 1 − Π (1 − p_success)`` over clusters (strong batch,
            else import-mark batch, else military profile, else the item). The
            estimate runs high — an item outside every cluster counts as a
            source of its own, while many share one unseen — so compare
            strategies with it rather than read it as a count.
        ``share_of_comprehensive``
            That number over what comprehensive tracing reveals.
        ``supply_lines_revealed``, ``supply_lines_share``
            Armed groups' supply lines: distinct (diversion point, armed group)
            pairs among successful traces of items received by armed groups
            (truth ``network_type == "armed_group"``; estimated: recovered from
            an armed group, per (cluster, actor)), and their share of
            comprehensive's.
        ``expected_days``
            Mean expected days to an answer over the plan's requests.
        ``estimated``
            True when computed without truth.

        ``attrs["notes"]`` and ``attrs["success_rule"]`` say how the figures
        were made.

    Examples
    --------
    >>> from iti_analytics.samples import load_sample_world
    >>> w = load_sample_world()
    >>> cmp = compare_strategies(
    ...     w.dataset, capacities=[0.1, 0.25], truth=w.truth, seeds=[0, 1]
    ... )
    >>> cmp[["strategy", "capacity"]].head(4).values.tolist()
    [['comprehensive', 0.1], ['comprehensive', 0.25], ['risk', 0.1], ['risk', 0.25]]
    >>> row = cmp.set_index(["strategy", "capacity"]).loc[("comprehensive", 0.1)]
    >>> float(row["share_of_comprehensive"])
    1.0
    """
    for s in strategies:
        check_option("strategies", s, STRATEGIES)
    capacities = list(capacities)
    if not capacities:
        raise InvalidParameterError(
            "`capacities` must list at least one capacity, such as [0.1, 0.25]."
        )
    seeds = list(seeds)
    if not seeds:
        raise InvalidParameterError("`seeds` must list at least one seed, such as [0].")
    discounts = _check_discounts(discounts)
    supply_line_weight = _check_weight(supply_line_weight)
    for cap in capacities:
        _capacity(cap, "traces", 10**12, [])  # refuse bad values before work
    _check_truth(truth)
    since = check_since(since)
    ctx = _prepare(
        as_dataset(ds),
        scorer=scorer,
        as_of=as_of,
        include_requested=include_requested,
        include_surrendered=include_surrendered,
        since=since,
    )
    notes = list(ctx.notes)
    measure, rule = _measure(ctx, truth, notes, discounts)
    n = int(ctx.candidate.sum())
    days = ctx.trace["expected_days"].to_numpy(dtype=float, na_value=np.nan)
    full = np.flatnonzero(ctx.candidate)
    ref_dp, ref_sl = measure(full)
    orders = {}
    for strategy in strategies:
        if strategy in ("risk", "ease", "diverse"):
            orders[strategy] = [
                _order(ctx, strategy, 0, discounts, supply_line_weight)[0]
            ]
        elif strategy == "random":
            orders[strategy] = [_order(ctx, "random", s, discounts)[0] for s in seeds]
        else:
            orders[strategy] = [full]
    order_of = ["comprehensive", "risk", "diverse", "ease", "random"]
    rows = []
    for strategy in sorted(strategies, key=order_of.index):
        for cap in capacities:
            count, _ = _capacity(cap, "traces", n, notes)
            figures = []
            for order in orders[strategy]:
                sel = order if strategy == "comprehensive" else order[:count]
                dp, sl = measure(sel)
                d = (
                    float(np.nanmean(days[sel]))
                    if len(sel) and np.isfinite(days[sel]).any()
                    else np.nan
                )
                figures.append((len(sel), dp, sl, d))
            traces, dp, sl, d = (
                float(np.mean(col)) for col in zip(*figures, strict=True)
            )
            rows.append(
                {
                    "strategy": strategy,
                    "capacity": cap,
                    "traces": int(round(traces)),
                    "diversion_points_revealed": round(dp, 2),
                    "share_of_comprehensive": round(dp / ref_dp, 4)
                    if ref_dp
                    else np.nan,
                    "supply_lines_revealed": round(sl, 2),
                    "supply_lines_share": round(sl / ref_sl, 4) if ref_sl else np.nan,
                    "expected_days": round(d, 1) if np.isfinite(d) else np.nan,
                    "estimated": truth is None,
                }
            )
    out = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    out.attrs["notes"] = notes
    out.attrs["success_rule"] = rule
    out.attrs["traceable"] = n
    return out


def _measure(
    ctx: _Context,
    truth: pd.DataFrame | None,
    notes: list[str],
    discounts: dict[str, float],
):
    """A function selection -> (diversion points, supply lines) and its rule."""
    rid = ctx.items["record_id"].astype("string")
    if truth is None:
        return _estimate(ctx, discounts), (
            "estimated: the plan's own model of new diversion points, for "
            "every strategy alike — each selected item's chance of revealing "
            "its point (p_success), times the chance that "
            "no item before it in its batch, import mark, seizure, profile, "
            "actor or serial block revealed the same point"
        )
    _check_truth(truth)
    tru = truth.drop_duplicates("record_id").set_index(
        truth["record_id"].drop_duplicates().astype("string")
    )
    dp = tru["diversion_point"].reindex(rid).astype("string")
    if "reveals_diversion_point" in tru:
        success = tru["reveals_diversion_point"].reindex(rid).astype("boolean")
        rule = (
            "truth: the world's simulated answer to a request for the item "
            "identifies its diversion point (reveals_diversion_point)"
        )
    elif "trace_outcome" in tru:
        success = (tru["trace_outcome"].reindex(rid) == "traced").astype("boolean")
        rule = "truth: trace_outcome == 'traced'"
    else:
        success = dp.notna().astype("boolean")
        rule = (
            "truth without outcomes: every planned item with a known diversion "
            "point counts as revealed (optimistic)"
        )
        add_note(
            notes,
            "The truth has no trace outcomes: every planned item counts "
            "as a successful trace.",
            warn=False,
        )
    ok = success.fillna(False).to_numpy(dtype=bool) & dp.notna().to_numpy()
    dp_code = pd.factorize(dp)[0]
    if {"network_id", "network_type"} <= set(tru.columns):
        armed = (tru["network_type"].reindex(rid) == "armed_group").fillna(False)
        net = tru["network_id"].reindex(rid).astype("string")
        line = pd.factorize(pd.MultiIndex.from_arrays([dp, net]))[0]
        armed = armed.to_numpy(dtype=bool)
    else:
        armed = np.zeros(len(rid), dtype=bool)
        line = np.zeros(len(rid), dtype=np.int64)
        add_note(
            notes,
            "The truth has no network columns: supply lines are not counted.",
            warn=False,
        )

    def measure(sel: np.ndarray) -> tuple[float, float]:
        hit = sel[ok[sel]]
        lines = hit[armed[hit]]
        return float(len(np.unique(dp_code[hit]))), float(len(np.unique(line[lines])))

    return measure, rule


def _check_truth(truth: Any) -> None:
    if truth is None:
        return
    if not isinstance(truth, pd.DataFrame) or not {
        "record_id",
        "diversion_point",
    } <= set(truth.columns):
        raise InvalidParameterError(
            "`truth` must be a DataFrame with at least `record_id` and "
            "`diversion_point` columns (such as generate_world(...).truth)."
        )


def _estimate(ctx: _Context, discounts: dict[str, float]):
    """Expected new diversion points (and supply lines) of a selection.

    The model the ``risk`` plan ranks by, applied to any selection: within
    each group (:data:`DISCOUNTS`) items are taken best first and each one
    already taken lowers the next one's chance of a new point by
    ``1 − q × p_success``. One estimator for every strategy.
    """
    n = len(ctx.items)
    reveal = ctx.reveal
    p = ctx.p
    armed = ctx.features["armed_group"].to_numpy(dtype=float) > 0

    def total(sel: np.ndarray, groups: dict[str, np.ndarray]) -> float:
        if len(sel) == 0:
            return 0.0
        inside = np.zeros(n, dtype=bool)
        inside[sel] = True
        own = {k: np.where(inside, g, -1) for k, g in groups.items()}
        value = _diminishing(np.where(inside, reveal, 0.0), p, own, discounts)
        return float(value[sel].sum())

    def measure(sel: np.ndarray) -> tuple[float, float]:
        lines = sel[armed[sel]]
        return total(sel, ctx.groups), total(lines, ctx.line_groups)

    return measure
