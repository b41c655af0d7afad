"""What a briefing says, computed from the dataset before any layout.

:func:`collect` calls the analysis functions of the other modules once each
and keeps their tables in a :class:`Content`; the sections only lay them out.
It takes a :class:`~iti_analytics.dataset.Dataset` (``write_briefing`` runs
its argument through :func:`~iti_analytics.dataset.as_dataset` once).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..dataset import Dataset
from ..exceptions import InvalidParameterError, ITIError
from ._format import is_missing
from ._period import Period, resolve_period

__all__ = ["Content", "collect", "NoDataInPeriodError"]

_TABLES = ("items", "traces", "actors", "movements")


@dataclass
class Content:
    """The tables and figures of one briefing (see :func:`collect`)."""

    ds: Dataset
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
    #: the place chart: by country, or by region or place when all the
    #: recoveries are in one country (``place_level`` says which column)
    by_place: pd.DataFrame
    place_level: str
    networks: pd.DataFrame
    n_networks: int
    batches: pd.DataFrame
    corridors: pd.DataFrame
    alert: dict | None
    tracing: Any
    responsiveness: pd.DataFrame
    performance: pd.DataFrame
    overdue: pd.DataFrame
    sdg_years: pd.DataFrame
    sdg_countries: pd.DataFrame
    #: whether the data hold anything that can establish an origin (a trace
    #: request or a recorded determination); without it SDG 16.4.2 is "no
    #: data", not 0 %
    sdg_evidence: bool = True
    quality: dict = field(default_factory=dict)
    left_out: dict = field(default_factory=dict)
    name_parties: bool = True


def _place_level(ds: Dataset, by_country: pd.DataFrame, audience: str) -> str:
    """The place column of the place chart: one bar of a single country says
    nothing, so one country is shown by region, or by place when it has one
    region too (the six Rio years: 139 police precincts of BR-RJ); a shareable
    briefing stops at region level."""
    if by_country["country"].notna().sum() > 1:
        return "country"
    items = ds.items
    levels = ["admin1"] + (["locality"] if audience == "restricted" else [])
    for level in levels:
        if level in items and items[level].nunique() > 1:
            return level
    return "country"


class NoDataInPeriodError(InvalidParameterError):
    """The reporting period holds no record: a briefing of it would be all zeros."""


def _float(value: Any) -> float:
    """``value`` as a float, NaN for null (pd.NA, None, NaT)."""
    return np.nan if is_missing(value) else float(value)


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


def _origin_evidence(ds: Dataset) -> bool:
    """Whether ``ds`` could establish any weapon's illicit origin.

    SDG 16.4.2 counts weapons whose origin a trace or another documented
    determination established. Records with no trace request and no such
    determination (a police seizure register on its own) do not measure the
    indicator at all: 0 % there would read as a finding, so the briefing says
    "no data" instead.
    """
    if len(ds.traces):
        return True
    column = "x_origin_established"
    return column in ds.items.columns and bool(ds.items[column].notna().any())


def _key_figures(
    ds: Dataset,
    items: pd.DataFrame,
    period: Period,
    previous: Period,
    as_of: Any,
    left_out: dict,
) -> pd.DataFrame:
    """Key figures for the period and the one before."""
    from ..indicators import sdg_16_4_2, trace_performance

    traces = ds.traces[ds.traces["duplicate_of"].isna().to_numpy()]
    weapon = _weapons(items)
    weapon_class = schema.weapon_class(items["category"])
    # weapons of a known class only ("other" and unknown categories have none)
    known_class = weapon_class.notna().to_numpy(dtype=bool)
    light = (weapon_class == "light_weapon").fillna(False).to_numpy(dtype=bool)
    original = ds.items["duplicate_of"].isna().to_numpy()
    origin_evidence = _origin_evidence(ds)
    rows = []
    for which, p in (("current", period), ("previous", previous)):
        inside = p.contains(items["seized_on"]).to_numpy()
        w = weapon.to_numpy() & inside
        classed = w & known_class
        sent = p.contains(traces["sent_on"]).to_numpy()
        live = traces[
            sent
            & ~traces["status"].isin(["draft", "withdrawn"]).fillna(False).to_numpy()
        ]
        if len(live):
            perf, n = _quiet(
                trace_performance, ds.replace(traces=live), by=None, as_of=as_of
            )
            answered = _float(perf["answered_share"].iloc[0]) if len(perf) else np.nan
            left_out["trace_performance"] = left_out.get("trace_performance", 0) + n
        else:
            answered = np.nan
        in_period = ds.filter(original & p.contains(ds.items["seized_on"]).to_numpy())
        sdg, n = _quiet(sdg_16_4_2, in_period, by=None)
        left_out["sdg_16_4_2"] = left_out.get("sdg_16_4_2", 0) + n
        rows.append(
            {
                "which": which,
                "items": int(inside.sum()),
                "weapons": int(w.sum()),
                "light_weapons_share": (
                    float(light[classed].mean()) if classed.any() else np.nan
                ),
                "countries": int(items.loc[inside, "country"].nunique()),
                "traces_sent": len(live),
                "answered_share": answered,
                "sdg_16_4_2": (
                    _float(sdg["proportion"].iloc[0])
                    if len(sdg) and origin_evidence
                    else np.nan
                ),
            }
        )
    table = pd.DataFrame(rows).set_index("which").T
    table.index.name = "figure"
    return table.reset_index()


def _sources(ds: Dataset) -> pd.DataFrame:
    try:
        return ds.summary()
    except (ITIError, KeyError, ValueError):  # pragma: no cover - odd datasets
        pass
    rows = []
    for name in _TABLES:
        frame = getattr(ds, name)
        if len(frame):
            src = frame["source"].astype("string").fillna("(none)")
            for source, n in src.value_counts(sort=False).items():
                rows.append({"table": name, "source": source, "rows": int(n)})
    return pd.DataFrame(rows, columns=["table", "source", "rows"])


def _quality(ds: Dataset) -> dict:
    issues = ds.issues
    rejects = ds.rejects
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
        name: int(getattr(ds, name)["duplicate_of"].notna().sum()) for name in _TABLES
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
    #: why there is no curve (the error of the comparison), when there is none
    no_curve: str = ""


def _tracing(
    ds: Dataset, capacity: float, batch_members: pd.DataFrame, as_of: Any
) -> tuple[TracingPart, int]:
    """The tracing plan, the capacity curve, and the capacity as a count.

    The risk scorer is fitted here (as :func:`plan_tracing` would) and passed
    to the plan and the comparison, so that the signals printed as reasons are
    exactly those the ranking used. ``capacity`` means what it means in
    :func:`~iti_analytics.tracing.plan_tracing`: a count, or a share (below 1)
    of the traceable items.
    """
    from .. import tracing
    from ..tracing.plan import MIN_LABELS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trace = tracing.traceability(ds, as_of=as_of)
        traceable = int(trace["traceable"].sum())
        features = tracing.risk_features(ds, batch_members=batch_members)
        scorer = tracing.RiskScorer()
        labels = tracing.trace_labels(ds, as_of=trace.attrs.get("as_of", as_of))
        known = labels.notna().to_numpy() & trace["traceable"].to_numpy(dtype=bool)
        y = labels.to_numpy()[known]
        if known.sum() >= MIN_LABELS and 0 < y.sum() < len(y):
            scorer.fit(features[known], y.astype(int))
        else:
            scorer.fit(features)
        plan = tracing.plan_tracing(
            ds, capacity=capacity, strategy="risk", scorer=scorer, as_of=as_of
        )
        # international requests; domestic checks and hits are counted in attrs
        plan = plan[plan["request_kind"] == "trace_request"].copy()
        # a share of the traceable items becomes the count the plan holds
        count = int(capacity) if capacity >= 1 else len(plan)
        no_curve = ""
        try:
            curve = tracing.compare_strategies(
                ds,
                capacities=_curve_capacities(max(count, 1)),
                scorer=scorer,
                as_of=as_of,
                seeds=(0, 1, 2),
            )
        except ITIError as error:
            curve, no_curve = None, str(error)
    where = pd.Index(ds.items["record_id"].astype("string")).get_indexer(
        plan["record_id"].astype("string")
    )
    rows = features.iloc[where]
    values = rows.set_axis(plan.index)
    if len(rows):
        signals = scorer.contributions(rows).set_axis(plan.index)
    else:
        signals = pd.DataFrame(index=plan.index, columns=features.columns, dtype=float)
    signals = signals.join(values.add_prefix("value_"))
    if curve is not None:
        traceable = int(curve.attrs.get("traceable", traceable))
    part = TracingPart(
        plan=plan,
        signals=signals,
        traceability=trace.iloc[where].set_axis(plan.index),
        curve=curve,
        traceable=traceable,
        no_curve=no_curve,
    )
    return part, count


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


def _alert(ds: Dataset, since: pd.Timestamp) -> dict | None:
    from ..indicators import alerts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = alerts(ds, since=since)
    found = found[found["kind"].isin(["surge", "new_in_area"]).to_numpy()]
    if found.empty:
        return None
    row = found.iloc[0]

    def split(text: Any) -> tuple[str | None, str | None]:
        if is_missing(text) or " = " not in str(text):
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
        "observed": 0 if is_missing(row["observed"]) else int(row["observed"]),
        "expected": None if is_missing(row["expected"]) else float(row["expected"]),
    }


def collect(
    ds: Dataset,
    *,
    capacity: float = 50,
    audience: str = "restricted",
    key: bytes | None = None,
    period: Any = None,
    as_of: Any = None,
    name_parties: bool = True,
    step: Callable[[str], None] | None = None,
) -> Content:
    """Compute everything a briefing shows (no layout, no language).

    The arguments are those of :func:`~iti_analytics.briefing.write_briefing`
    (``ds`` already a Dataset, ``key`` already as bytes); ``step(name)`` is
    called as each part starts (for a progress bar).

    Raises
    ------
    InvalidParameterError
        The dataset has no item records.
    NoDataInPeriodError
        ``period`` was asked for and holds no recovery and no trace request.
    """
    from .. import network
    from ..indicators import (
        overdue_requests,
        responsiveness,
        sdg_16_4_2,
        seizure_counts,
        trace_performance,
        trends,
    )

    step = step or (lambda name: None)
    if ds.items.empty:
        raise InvalidParameterError(
            "`ds` has no item records, so there is nothing to brief on. Load the "
            "seizure records first (iti_analytics.io.read_items, or Dataset(items="
            "...)), or try the bundled sample: iti_analytics.samples.load_sample()."
        )
    items_all = ds.items
    original = items_all["duplicate_of"].isna().to_numpy()
    items = items_all[original]
    dates = items["seized_on"].dropna()
    last = dates.max() if len(dates) else None
    first = dates.min() if len(dates) else None
    p = resolve_period(period, last)
    if period is not None:
        _check_period_has_data(p, items, ds.traces, first, last)
    prev = p.previous()
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else None
    left_out: dict[str, int] = {}

    step("key figures")
    figures = _key_figures(ds, items, p, prev, as_of_ts, left_out)

    # seizures over time, by place and category --------------------------------
    step("seizures")
    if len(dates):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trend = trends(ds, freq="M")
    else:
        trend = pd.DataFrame(
            columns=["period", "count", "baseline", "lower", "upper", "history"]
        )
    bounds = dict(period=p.bounds(), previous=prev.bounds())
    by_country = seizure_counts(ds, "country", top=10, **bounds)
    by_category = seizure_counts(ds, "category", top=10, **bounds)
    place_level = _place_level(ds, by_country, audience)
    by_place = by_country
    if place_level != "country":
        # the ten largest only: the 129 other precincts of Rio summed into one
        # bar dwarfed them
        by_place = seizure_counts(ds, place_level, top=10, **bounds)
        by_place = by_place.dropna(subset=[place_level]).reset_index(drop=True)

    # network picture -----------------------------------------------------------
    step("networks")
    found, batch_members = network.batches(ds, return_members=True)
    # the unit shown is the community (Louvain), not the connected component
    nets, members = network.networks(
        ds, batch_members=batch_members, return_members=True
    )
    n_networks = len(nets)
    nets = nets.head(8).copy()
    main_actor = _members_actor(items, members)
    nets["main_actor"] = main_actor.reindex(nets["network_id"].astype(str)).to_numpy()
    cross = found[(found["n_countries"] >= 2).fillna(False).to_numpy(dtype=bool)]
    cross = cross[cross["strength"].isin(["strong"]).fillna(False).to_numpy(bool)]
    corr = network.corridors(ds)
    corr = corr[(corr["origin"] != corr["destination"]).fillna(True).to_numpy(bool)]
    corr = corr.sort_values("count", ascending=False, kind="stable")

    alert = _alert(ds, p.start) if len(dates) else None

    # tracing plan -------------------------------------------------------------
    step("tracing plan")
    tracing, count = _tracing(ds, capacity, batch_members, as_of_ts)

    # trace operations ---------------------------------------------------------
    step("trace operations")
    if len(ds.traces):
        resp, n1 = _quiet(responsiveness, ds, as_of=as_of_ts)
        perf, n2 = _quiet(trace_performance, ds, as_of=as_of_ts)
        overdue, n3 = _quiet(overdue_requests, ds, as_of=as_of_ts)
        overdue = _overdue_kinds(overdue, ds, as_of_ts)
        left_out["trace_performance"] = left_out.get("trace_performance", 0) + n2
        left_out["overdue_requests"] = n3 + n1
        trace_as_of = overdue.attrs.get("as_of", as_of_ts)
    else:
        resp = perf = overdue = pd.DataFrame()
        trace_as_of = as_of_ts
    sdg_years, _ = _quiet(sdg_16_4_2, ds, by="year")
    in_period = ds.filter(original & p.contains(items_all["seized_on"]).to_numpy())
    sdg_countries, _ = _quiet(sdg_16_4_2, in_period, by="country")
    sdg_countries = sdg_countries.sort_values(
        "denominator", ascending=False, kind="stable"
    )
    if trace_as_of is not None and not isinstance(trace_as_of, pd.Timestamp):
        trace_as_of = pd.Timestamp(trace_as_of)
    return Content(
        ds=ds,
        period=p,
        previous=prev,
        capacity=count,
        audience=audience,
        key=key,
        as_of=trace_as_of,
        last_date=last,
        first_date=first,
        figures=figures,
        sources=_sources(ds),
        trend=trend,
        by_country=by_country,
        by_category=by_category,
        by_place=by_place,
        place_level=place_level,
        networks=nets,
        n_networks=n_networks,
        batches=cross,
        corridors=corr,
        alert=alert,
        tracing=tracing,
        responsiveness=resp,
        performance=perf,
        overdue=overdue,
        sdg_years=sdg_years,
        sdg_countries=sdg_countries,
        sdg_evidence=_origin_evidence(ds),
        quality=_quality(ds),
        left_out=left_out,
        name_parties=name_parties,
    )


def _overdue_kinds(overdue: pd.DataFrame, ds: Dataset, as_of: Any) -> pd.DataFrame:
    """Flag what is overdue in each request: no acknowledgement, no answer, incomplete.

    Told from the follow-up list itself, with one deadline kept and the other
    pushed out of reach (an answered request, such as an incomplete one, is
    never late for acknowledgement or answer), never from its English words.
    """
    from ..indicators import overdue_requests

    never = 10**6  # days: a deadline no request reaches
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ack = overdue_requests(ds, as_of=as_of, answer_within=never)
        ans = overdue_requests(ds, as_of=as_of, acknowledge_within=never)
        inc = overdue_requests(
            ds, as_of=as_of, acknowledge_within=never, answer_within=never
        )
    ids = overdue["trace_id"]
    out = overdue.copy()
    out["incomplete"] = ids.isin(inc["trace_id"]).fillna(False).to_numpy(bool)
    late_ack = ids.isin(ack["trace_id"]).fillna(False).to_numpy(bool)
    late_answer = ids.isin(ans["trace_id"]).fillna(False).to_numpy(bool)
    out["no_acknowledgement"] = late_ack & ~out["incomplete"].to_numpy()
    out["no_answer"] = late_answer & ~out["incomplete"].to_numpy()
    return out


def _check_period_has_data(
    p: Period,
    items: pd.DataFrame,
    traces: pd.DataFrame,
    first: pd.Timestamp | None,
    last: pd.Timestamp | None,
) -> None:
    """Refuse a period without any recovery or trace request (a page of zeros)."""
    if p.contains(items["seized_on"]).any() or p.contains(traces["sent_on"]).any():
        return
    start, end = p.start.date().isoformat(), p.end.date().isoformat()
    if first is None:
        span = "no item has a date of recovery"
    else:
        span = (
            f"the items were recovered between {first.date().isoformat()} and "
            f"{last.date().isoformat()}"
        )
    raise NoDataInPeriodError(
        f"The period {start} to {end} holds no recovered item and no trace "
        f"request ({span}), so its briefing would be all zeros. Pick a period "
        "within the data, or leave `period` out for the 12 months to the last "
        "recovery."
    )
