"""What a briefing says, computed from the dataset before any layout.

:func:`collect` calls the analysis functions of the other modules once each
and keeps their tables in a :class:`Content`; the sections only lay them out.
Modules that are not in this version (the tracing plan while it is being
written) leave their part empty with the reason, so the briefing still builds.
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError, ITIError
from ._period import Period, resolve_period

__all__ = ["Content", "collect", "as_tables"]

_TABLES = ("items", "traces", "actors", "movements")


@dataclass
class Content:
    """The tables and figures of one briefing (see :func:`collect`)."""

    ds: Any
    period: Period
    previous: Period
    capacity: int
    audience: str
    key: bytes | None
    as_of: pd.Timestamp | None
    last_date: pd.Timestamp | None
    first_date: pd.Timestamp | None
    figures: pd.DataFrame
    sources: pd.DataFrame
    trend: pd.DataFrame
    by_country: pd.DataFrame
    by_category: pd.DataFrame
    networks: pd.DataFrame
    n_networks: int
    batches: pd.DataFrame
    corridors: pd.DataFrame
    alert: dict | None
    tracing: Any
    tracing_missing: str | None
    responsiveness: pd.DataFrame
    performance: pd.DataFrame
    overdue: pd.DataFrame
    sdg_years: pd.DataFrame
    sdg_countries: pd.DataFrame
    quality: dict = field(default_factory=dict)
    left_out: dict = field(default_factory=dict)


def as_tables(ds: Any) -> SimpleNamespace:
    """``ds`` as a namespace of conformed tables, with ``issues`` and ``rejects``.

    Accepts a Dataset or any object with ``items``/``traces``/... DataFrames.
    """
    if isinstance(ds, pd.DataFrame) or not any(hasattr(ds, t) for t in _TABLES):
        raise InvalidParameterError(
            "`ds` must be an iti_analytics Dataset (or an object with `.items` and "
            f"`.traces` tables), but a {type(ds).__name__} was passed. Build one "
            "with iti_analytics.dataset.Dataset(items=..., traces=...)."
        )
    out = {}
    for name in _TABLES:
        frame = getattr(ds, name, None)
        if frame is None:
            frame = schema.empty_table(name)
        elif not isinstance(frame, pd.DataFrame):
            raise InvalidParameterError(
                f"`ds.{name}` must be a DataFrame, but a {type(frame).__name__} "
                "was found."
            )
        out[name] = schema.as_canonical(frame, name)
    for name in ("issues", "rejects"):
        frame = getattr(ds, name, None)
        out[name] = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame()
    out["summary"] = getattr(ds, "summary", None)
    return SimpleNamespace(**out)


def _quiet(function, *args, **kwargs):
    """Call an indicator without its DataQualityWarning; return (result, n_left_out)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = function(*args, **kwargs)
    issues = result.attrs.get("issues", []) if hasattr(result, "attrs") else []
    return result, len(issues)


def _weapons(items: pd.DataFrame) -> pd.Series:
    kind = items["item_kind"]
    return (
        ((kind == "weapon") | (kind.isna() & items["category"].notna()))
        .fillna(False)
        .astype(bool)
    )


def _subset(items: pd.DataFrame, traces: pd.DataFrame) -> SimpleNamespace:
    """Items of a period and the traces that point at them."""
    keep = traces["record_id"].isin(items["record_id"]).fillna(False).to_numpy()
    return SimpleNamespace(items=items, traces=traces[keep])


def _key_figures(
    t: SimpleNamespace,
    items: pd.DataFrame,
    period: Period,
    previous: Period,
    as_of: Any,
    left_out: dict,
) -> pd.DataFrame:
    """Key figures for the period and the one before."""
    from ..indicators import sdg_16_4_2, trace_performance

    traces = t.traces[t.traces["duplicate_of"].isna().to_numpy()]
    weapon = _weapons(items)
    light = schema.weapon_class(items["category"]) == "light_weapon"
    rows = []
    for which, p in (("current", period), ("previous", previous)):
        inside = p.contains(items["seized_on"]).to_numpy()
        w = weapon.to_numpy() & inside
        classed = w & items["category"].notna().to_numpy()
        sent = p.contains(traces["sent_on"]).to_numpy()
        live = traces[
            sent
            & ~traces["status"].isin(["draft", "withdrawn"]).fillna(False).to_numpy()
        ]
        if len(live):
            perf, n = _quiet(trace_performance, live, by=None, as_of=as_of)
            answered = float(perf["answered_share"].iloc[0])
            left_out["trace_performance"] = left_out.get("trace_performance", 0) + n
        else:
            answered = np.nan
        sdg, n = _quiet(sdg_16_4_2, _subset(items[inside], t.traces), by=None)
        left_out["sdg_16_4_2"] = left_out.get("sdg_16_4_2", 0) + n
        rows.append(
            {
                "which": which,
                "items": int(inside.sum()),
                "weapons": int(w.sum()),
                "light_weapons_share": (
                    float(light.to_numpy()[classed].mean()) if classed.any() else np.nan
                ),
                "countries": int(items.loc[inside, "country"].nunique()),
                "traces_sent": len(live),
                "answered_share": answered,
                "sdg_16_4_2": (
                    float(sdg["proportion"].iloc[0]) if len(sdg) else np.nan
                ),
            }
        )
    table = pd.DataFrame(rows).set_index("which").T
    table.index.name = "figure"
    return table.reset_index()


def _sources(t: SimpleNamespace) -> pd.DataFrame:
    if callable(t.summary):
        try:
            return t.summary()
        except (ITIError, KeyError, ValueError):  # pragma: no cover - odd datasets
            pass
    rows = []
    for name in _TABLES:
        frame = getattr(t, name)
        if len(frame):
            src = frame["source"].astype("string").fillna("(none)")
            for source, n in src.value_counts(sort=False).items():
                rows.append({"table": name, "source": source, "rows": int(n)})
    return pd.DataFrame(rows, columns=["table", "source", "rows"])


def _quality(t: SimpleNamespace) -> dict:
    issues = t.issues
    rejects = t.rejects
    out: dict[str, Any] = {"n_issues": len(issues), "n_rejects": len(rejects)}
    if len(issues) and {"table", "column"} <= set(issues.columns):
        out["issues_by_column"] = (
            issues.groupby(["table", "column"], dropna=False)
            .size()
            .rename("issues")
            .sort_values(ascending=False, kind="stable")
            .reset_index()
        )
    else:
        out["issues_by_column"] = pd.DataFrame(columns=["table", "column", "issues"])
    if len(rejects) and "table" in rejects.columns:
        keys = [c for c in ("table", "source") if c in rejects.columns]
        out["rejects_by_source"] = (
            rejects.groupby(keys, dropna=False).size().rename("rejects").reset_index()
        )
    else:
        out["rejects_by_source"] = pd.DataFrame(columns=["table", "source", "rejects"])
    dup = {
        name: int(getattr(t, name)["duplicate_of"].notna().sum()) for name in _TABLES
    }
    out["duplicates"] = dup
    return out


@dataclass
class TracingPart:
    """The tracing plan, the rows' risk signals and the capacity curve."""

    plan: pd.DataFrame
    signals: pd.DataFrame
    traceability: pd.DataFrame
    curve: pd.DataFrame | None
    traceable: int


def _tracing(
    t: SimpleNamespace, capacity: int, batch_members: pd.DataFrame, as_of: Any
) -> tuple[TracingPart | None, str | None]:
    """The tracing plan and the capacity curve, or why they are missing.

    The risk scorer is fitted here (as :func:`plan_tracing` would) and passed
    to the plan and the comparison, so that the signals printed as reasons are
    exactly those the ranking used.
    """
    try:
        tracing = importlib.import_module("iti_analytics.tracing")
    except ImportError:
        return None, "module"
    needed = ("plan_tracing", "traceability", "risk_features", "RiskScorer")
    if not all(hasattr(tracing, name) for name in needed):
        return None, "module"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trace = tracing.traceability(t, as_of=as_of)
        features = tracing.risk_features(t, batch_members=batch_members)
        scorer = tracing.RiskScorer()
        labels = (
            tracing.trace_labels(t, as_of=trace.attrs.get("as_of", as_of))
            if hasattr(tracing, "trace_labels")
            else pd.Series(np.nan, index=features.index)
        )
        known = labels.notna().to_numpy() & trace["traceable"].to_numpy(dtype=bool)
        y = labels.to_numpy()[known]
        minimum = getattr(
            importlib.import_module("iti_analytics.tracing.plan"), "MIN_LABELS", 20
        )
        if known.sum() >= minimum and 0 < y.sum() < len(y):
            scorer.fit(features[known], y.astype(int))
        else:
            scorer.fit(features)
        plan = tracing.plan_tracing(
            t, capacity=capacity, strategy="risk", scorer=scorer, as_of=as_of
        )
        curve = None
        if hasattr(tracing, "compare_strategies"):
            try:
                curve = tracing.compare_strategies(
                    t,
                    capacities=_curve_capacities(capacity),
                    scorer=scorer,
                    as_of=as_of,
                    seeds=(0, 1, 2),
                )
            except (ITIError, TypeError, ValueError):  # pragma: no cover
                curve = None
    where = pd.Index(t.items["record_id"].astype("string")).get_indexer(
        plan["record_id"].astype("string")
    )
    rows = features.iloc[where]
    values = rows.set_axis(plan.index)
    if len(rows):
        signals = scorer.contributions(rows).set_axis(plan.index)
    else:
        signals = pd.DataFrame(index=plan.index, columns=features.columns, dtype=float)
    signals = signals.join(values.add_prefix("value_"))
    traceable = int(trace["traceable"].sum())
    if curve is not None:
        traceable = int(curve.attrs.get("traceable", traceable))
    return (
        TracingPart(
            plan=plan,
            signals=signals,
            traceability=trace.iloc[where].set_axis(plan.index),
            curve=curve,
            traceable=traceable,
        ),
        None,
    )


def _curve_capacities(capacity: int) -> list[int]:
    """Capacities of the curve: around the chosen one, from a quarter to 8 times."""
    points = {capacity, *(int(round(capacity * f)) for f in (0.25, 0.5, 2, 4, 8))}
    return sorted(p for p in points if p > 0)


def _members_actor(items: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    """The most frequent actor spelling of each network (null when none)."""
    rid = items["record_id"].astype("string")
    actor = pd.Series(items["actor"].to_numpy(), index=rid.to_numpy())
    actor = actor[~actor.index.duplicated()]
    m = members.dropna(subset=["network_id"])
    frame = pd.DataFrame(
        {
            "network_id": m["network_id"].to_numpy(),
            "actor": actor.reindex(m["record_id"].to_numpy()).to_numpy(),
        }
    ).dropna()
    if frame.empty:
        return pd.Series(dtype="string")
    counts = frame.groupby(["network_id", "actor"]).size().reset_index(name="n")
    counts = counts.sort_values(["network_id", "n"], ascending=[True, False])
    return counts.drop_duplicates("network_id").set_index("network_id")["actor"]


def _alert(ds: Any, since: pd.Timestamp) -> dict | None:
    from ..indicators import alerts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = alerts(ds, since=since)
    found = found[found["kind"].isin(["surge", "new_in_area"]).to_numpy()]
    if found.empty:
        return None
    row = found.iloc[0]

    def split(text: Any) -> tuple[str | None, str | None]:
        if pd.isna(text) or " = " not in str(text):
            return None, None
        column, _, value = str(text).partition(" = ")
        return column, value

    what_col, what_value = split(row["what"])
    where_col, where_value = split(row["where"])
    return {
        "kind": row["kind"],
        "what_column": what_col,
        "what_value": what_value,
        "where_column": where_col,
        "where_value": where_value,
        "since": row["since"],
        "observed": int(row["observed"]),
        "expected": float(row["expected"]) if pd.notna(row["expected"]) else None,
    }


def collect(
    ds: Any,
    *,
    capacity: int = 50,
    audience: str = "restricted",
    key: bytes | None = None,
    period: Any = None,
    as_of: Any = None,
) -> Content:
    """Compute everything a briefing shows (no layout, no language).

    The arguments are those of :func:`~iti_analytics.briefing.write_briefing`
    (``key`` already as bytes). Raises :class:`InvalidParameterError` for a
    dataset without item records.
    """
    from .. import network
    from ..indicators import (
        overdue_requests,
        responsiveness,
        sdg_16_4_2,
        trace_performance,
        trends,
    )

    t = as_tables(ds)
    if t.items.empty:
        raise InvalidParameterError(
            "`ds` has no item records, so there is nothing to brief on. Load the "
            "seizure records first (iti_analytics.io.read_items, or Dataset(items="
            "...)), or try the bundled sample: iti_analytics.samples.load_sample()."
        )
    items_all = t.items
    items = items_all[items_all["duplicate_of"].isna().to_numpy()]
    dates = items["seized_on"].dropna()
    last = dates.max() if len(dates) else None
    first = dates.min() if len(dates) else None
    p = resolve_period(period, last)
    prev = p.previous()
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else None
    left_out: dict[str, int] = {}

    figures = _key_figures(t, items, p, prev, as_of_ts, left_out)

    # seizures over time, by place and category --------------------------------
    if len(dates):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trend = trends(t, freq="M")
    else:
        trend = pd.DataFrame(
            columns=["period", "count", "baseline", "lower", "upper", "history"]
        )
    from ..plotting.briefing import seizure_counts

    bounds = dict(period=p.bounds(), previous=prev.bounds())
    by_country = seizure_counts(items, "country", top=10, **bounds)
    by_category = seizure_counts(items, "category", top=10, **bounds)

    # network picture -----------------------------------------------------------
    # the network stage takes a Dataset (one way in: as_dataset)
    data = as_dataset({name: getattr(t, name) for name in _TABLES})
    found, batch_members = network.batches(data, return_members=True)
    # the unit shown is the community (Louvain), not the connected component
    nets, members = network.networks(
        data, batch_members=batch_members, return_members=True
    )
    n_networks = len(nets)
    nets = nets.head(8).copy()
    main_actor = _members_actor(items, members)
    nets["main_actor"] = main_actor.reindex(nets["network_id"].astype(str)).to_numpy()
    cross = found[(found["n_countries"] >= 2).to_numpy()]
    cross = cross[cross["strength"].isin(["strong"]).to_numpy()]
    corr = network.corridors(data)
    corr = corr[(corr["origin"] != corr["destination"]).to_numpy()]
    corr = corr.sort_values("count", ascending=False, kind="stable")

    alert = _alert(data, p.start) if len(dates) else None

    # tracing plan -------------------------------------------------------------
    tracing, missing = _tracing(t, capacity, batch_members, as_of_ts)

    # trace operations ---------------------------------------------------------
    traces = t.traces
    if len(traces):
        resp, n1 = _quiet(responsiveness, t, as_of=as_of_ts)
        perf, n2 = _quiet(trace_performance, t, as_of=as_of_ts)
        overdue, n3 = _quiet(overdue_requests, t, as_of=as_of_ts)
        left_out["trace_performance"] = left_out.get("trace_performance", 0) + n2
        left_out["overdue_requests"] = n3 + n1
        trace_as_of = overdue.attrs.get("as_of", as_of_ts)
    else:
        resp = perf = overdue = pd.DataFrame()
        trace_as_of = as_of_ts
    sdg_years, _ = _quiet(sdg_16_4_2, t, by="year")
    sdg_countries, _ = _quiet(
        sdg_16_4_2,
        _subset(items[p.contains(items["seized_on"]).to_numpy()], t.traces),
        by="country",
    )
    sdg_countries = sdg_countries.sort_values(
        "denominator", ascending=False, kind="stable"
    )
    if trace_as_of is not None and not isinstance(trace_as_of, pd.Timestamp):
        trace_as_of = pd.Timestamp(trace_as_of)
    return Content(
        ds=t,
        period=p,
        previous=prev,
        capacity=capacity,
        audience=audience,
        key=key,
        as_of=trace_as_of,
        last_date=last,
        first_date=first,
        figures=figures,
        sources=_sources(t),
        trend=trend,
        by_country=by_country,
        by_category=by_category,
        networks=nets,
        n_networks=n_networks,
        batches=cross,
        corridors=corr,
        alert=alert,
        tracing=tracing,
        tracing_missing=missing,
        responsiveness=resp,
        performance=perf,
        overdue=overdue,
        sdg_years=sdg_years,
        sdg_countries=sdg_countries,
        quality=_quality(t),
        left_out=left_out,
    )
