"""Section 4 of a briefing: the tracing plan, its reasons, what selection gives up."""

from __future__ import annotations

from typing import Any

import pandas as pd
from reportlab.lib.units import mm

from ._content import Content
from ._document import (
    FitRows,
    chart,
    escape,
    half_width,
    para,
    side_by_side,
    table,
)
from ._format import DASH, is_missing
from ._helpers import party_name
from ._i18n import Strings

__all__ = ["tracing_flowables", "plan_reasons", "curve_row", "best_alternative"]

#: rows of the plan printed in the briefing.
PLAN_ROWS = 15

#: the two batch signals make one sentence; the year is not a reason by itself.
_MERGED = {"batch_other_countries": "batch_other_seizures"}
_SILENT = {"year_of_manufacture"}


def plan_reasons(signals: pd.DataFrame, s: Strings, top: int = 3) -> list[str]:
    """The ``top`` risk signals of each planned item, strongest first, in words.

    ``signals`` holds the scorer's contributions (one column per risk
    feature) and the feature values (``value_<feature>``).
    """
    features = [
        c for c in signals.columns if not c.startswith("value_") and c not in _SILENT
    ]
    contrib = signals[features].astype(float).copy()
    for extra, into in _MERGED.items():
        if extra in contrib and into in contrib:
            contrib[into] = contrib[into] + contrib[extra].clip(lower=0)
            contrib[extra] = 0.0
    out = []
    # a learned model can give a positive contribution to an absent signal
    # (not a light weapon, standardised below the mean): only signals that are
    # present are reasons
    present = pd.DataFrame(
        {f: signals.get(f"value_{f}", 1.0) for f in features}, index=signals.index
    ).astype(float)
    contrib = contrib.where(present.fillna(0).to_numpy() > 0, 0.0)
    for idx, row in contrib.iterrows():
        ranked = row[row > 1e-9].sort_values(ascending=False, kind="stable")
        words = [_signal(name, signals.loc[idx], s) for name in ranked.index[:top]]
        out.append(s("reason.sep").join(words) if words else s("reason.none"))
    return out


def _signal(name: str, row: pd.Series, s: Strings) -> str:
    def value(col: str) -> float:
        v = row.get(f"value_{col}", 0)
        return 0.0 if is_missing(v) else float(v)

    if name == "recent_manufacture":
        year = int(round(value("year_of_manufacture")))
        return s("reason.made_in", year=year) if year > 0 else s("reason.recent")
    if name == "actor_other_seizures":
        return s.plural("reason.actor_other_seizures", round(value(name)))
    if name == "batch_other_seizures":
        n = round(value(name))
        k = round(value("batch_other_countries")) + 1
        text = s.plural("reason.batch_other_seizures", n)
        return text + (" " + s("reason.in_countries", k=s.int(k)) if k > 1 else "")
    if name == "seizure_items":
        return s("reason.seizure_items", n=s.int(round(value(name))))
    key = f"reason.{name}"
    return s(key) if s.has(key) else name.replace("_", " ")


def _basis(text: Any, ask_type: Any, s: Strings) -> str:
    """Why this party is asked, from ``ask_basis`` (manufacturer, state, importer)."""
    basis = "" if is_missing(text) else str(text)
    if basis.startswith("import marking"):
        return s("ask.importer")
    if basis.startswith("country of manufacture"):
        return s("ask.state_of_manufacture")
    if basis.startswith("manufacturer"):
        return s("ask.manufacturer")
    return s.vocab("party_type", ask_type) if not is_missing(ask_type) else DASH


def curve_row(curve: pd.DataFrame, strategy: str, capacity: Any) -> pd.Series | None:
    """The comparison row of one strategy at one capacity (None when absent)."""
    if curve is None or curve.empty:
        return None
    rows = curve[(curve["strategy"] == strategy) & (curve["capacity"] == capacity)]
    return rows.iloc[0] if len(rows) else None


def tracing_flowables(c: Content, s: Strings, privacy: Any) -> list:
    """Plan table with reasons, then what selection gives up (table and chart)."""
    part = c.tracing
    plan = part.plan
    out: list = []
    if plan.empty:
        out.append(para(escape(s("tracing.empty"))))
        return out
    out.append(
        para(
            escape(
                s(
                    "tracing.intro",
                    n=s.int(len(plan)),
                    capacity=s.int(c.capacity),
                    traceable=s.int(part.traceable),
                )
            )
        )
    )
    out.append(para(escape(s("tracing.who")), "note"))
    counts = plan.attrs.get("counts", {})
    if counts.get("domestic_check") or counts.get("hit"):
        out.append(
            para(
                escape(
                    s(
                        "tracing.apart",
                        domestic=s.int(counts.get("domestic_check", 0)),
                        hits=s.int(counts.get("hit", 0)),
                    )
                ),
                "note",
            )
        )
    items = c.ds.items.set_index(c.ds.items["record_id"].astype("string"))
    items = items[~items.index.duplicated()]
    reasons = plan_reasons(part.signals, s)
    rows = []
    for i, (idx, r) in enumerate(plan.head(PLAN_ROWS).iterrows()):
        rid = str(r["record_id"])
        item = items.loc[rid] if rid in items.index else pd.Series(dtype=object)
        weapon = _weapon(item, s)
        if privacy.serials and not is_missing(item.get("serial")):
            weapon += " · " + s("word.serial_no", serial=str(item["serial"]))
        where = ", ".join(
            str(item[k]) for k in ("country", "admin1") if not is_missing(item.get(k))
        )
        tr = part.traceability.loc[idx]
        basis = _basis(tr.get("ask_basis"), r["ask_type"], s)
        ask = f"{party_name(r['ask'], s)} ({basis})"
        rows.append(
            [
                s.int(r["rank"]),
                # the record under the weapon: ids of 40-50 characters (file
                # name and row) broke into five lines in a column of their own
                f"{weapon}\n{rid}",
                where or DASH,
                reasons[i],
                ask,
                s.pct(r["p_success"]),
            ]
        )
    header = [
        s("col.rank"),
        s("col.weapon_record"),
        s("col.where"),
        s("col.why"),
        s("col.ask"),
        s("col.chance"),
    ]
    gives_up = _gives_up(c, s)

    def build(n: int) -> list:
        # the plan shows as many rows as leave room for what selection gives up
        notes = [s("tracing.table_note")]
        if len(plan) > n:
            notes.insert(0, s("tracing.more", n=s.int(len(plan) - n)))
        return [
            table(
                rows[:n],
                [0.5, 4.3, 1.4, 4.0, 2.6, 1.1],
                header=header,
                right=(0, 5),
            ),
            para(escape(" ".join(notes)), "note"),
            *gives_up,
        ]

    out.append(FitRows(build, len(rows), min(5, len(rows))))
    return out


def _weapon(item: pd.Series, s: Strings) -> str:
    parts = []
    if not is_missing(item.get("category")):
        parts.append(s.vocab("category", item["category"]))
    name = " ".join(
        str(item[k]) for k in ("make", "model") if not is_missing(item.get(k))
    )
    if name:
        parts.append(name)
    elif not is_missing(item.get("importer")):
        # the maker unrecorded: the import marking names who brought it in
        parts.append(s("word.imported_by", importer=str(item["importer"])))
    return ", ".join(parts) if parts else DASH


def _gives_up(c: Content, s: Strings) -> list:
    """What selection gives up: the capacity curve against comprehensive tracing."""
    curve = c.tracing.curve
    out: list = [para(escape(s("sec.gives_up")), "h2")]
    if curve is None or curve.empty:
        out.append(para(escape(s("tracing.no_curve", why=c.tracing.no_curve))))
        return out
    risk = curve_row(curve, "risk", c.capacity)
    full = curve_row(curve, "comprehensive", c.capacity)
    if risk is not None and full is not None:
        out.append(
            para(
                escape(
                    s(
                        "tracing.gives_up",
                        capacity=s.int(c.capacity),
                        sources=s.num(risk["diversion_points_revealed"], 0),
                        share=s.pct(risk["share_of_comprehensive"]),
                        all=s.num(full["diversion_points_revealed"], 0),
                        traces=s.int(full["traces"]),
                        lines=s.pct(risk["supply_lines_share"]),
                    )
                )
            )
        )
    better = best_alternative(curve, c.capacity)
    if better is not None:
        name, alt, own = better
        out.append(
            para(
                escape(
                    s(
                        "tracing.better",
                        capacity=s.int(c.capacity),
                        strategy=s(f"strategy.{name}"),
                        alt=s.num(alt, 0),
                        own=s.num(own, 0),
                        name=name,
                    )
                )
            )
        )
    value = _selection_value(c)
    if value is not None:
        out.append(
            para(
                escape(
                    s(
                        "tracing.selection_value",
                        n=s.int(value["audit_requests"]),
                        selected=s.pct(value["selected_rate"]),
                        audit=s.pct(value["audit_rate"]),
                        gain=s.num(value["gain"], 1),
                        low=s.num(value["gain_low"], 1),
                        high=s.num(value["gain_high"], 1),
                    )
                )
            )
        )
    capacities = sorted(
        curve.loc[curve["strategy"] != "comprehensive", "capacity"].unique()
    )
    strategies = [
        x for x in ("risk", "diverse", "ease", "random") if x in set(curve["strategy"])
    ]
    rows = []
    for cap in capacities:
        row = [s.int(cap)]
        for strategy in strategies:
            r = curve_row(curve, strategy, cap)
            row.append(
                DASH
                if r is None
                else f"{s.num(r['diversion_points_revealed'], 0)} "
                f"({s.pct(r['share_of_comprehensive'])})"
            )
        rows.append(row)
    if full is not None:
        rows.append(
            [s.int(full["traces"])]
            + [
                f"{s.num(full['diversion_points_revealed'], 0)} (100 %)".replace(
                    " %", "\u00a0%" if s.language == "fr" else "%"
                )
            ]
            * len(strategies)
        )
    header = [s("col.capacity")] + [s(f"strategy.{x}") for x in strategies]
    w = half_width()
    curve_table = table(
        rows,
        [1.5] + [1.6] * len(strategies),
        header=header,
        right=tuple(range(len(header))),
        width=w,
    )
    out.append(side_by_side(curve_table, _curve_chart(c, s, curve, w)))
    out.append(para(escape(s("tracing.curve_note")), "note"))
    return out


def best_alternative(curve: pd.DataFrame, capacity: Any) -> tuple | None:
    """(strategy, its figure, the plan's) when another strategy beats ``risk``.

    All strategies of the curve are measured by one estimator (that of
    :func:`~iti_analytics.tracing.compare_strategies`), so the comparison is
    fair; None when the plan is at least as good as every alternative shown.
    """
    own = curve_row(curve, "risk", capacity)
    if own is None:
        return None
    best = None
    for name in ("diverse", "ease", "random"):
        row = curve_row(curve, name, capacity)
        if row is None:
            continue
        figure = float(row["diversion_points_revealed"])
        if figure > float(own["diversion_points_revealed"]) + 0.5 and (
            best is None or figure > best[1]
        ):
            best = (name, figure, float(own["diversion_points_revealed"]))
    return best


def _selection_value(c: Content) -> pd.Series | None:
    """What selection gained over random on audited answers, when there are any."""
    from ..tracing import selection_value

    try:
        value = selection_value(c.ds).iloc[0]
    except (ValueError, TypeError, KeyError):  # pragma: no cover
        return None
    if not value["audit_requests"] or pd.isna(value["gain"]):
        return None
    return value


def _curve_chart(c: Content, s: Strings, curve: pd.DataFrame, width: float) -> Any:
    """The capacity curve drawn by ``plotting.tracing.plot_capacity_curve``."""
    from ..plotting.tracing import plot_capacity_curve

    words = {
        name: s(f"strategy.{name}")
        for name in ("comprehensive", "risk", "diverse", "ease", "random")
    }
    words.update(
        title=s("chart.curve.title"),
        x_count=s("chart.curve.x"),
        x_share=s("chart.curve.x"),
        y=s("chart.curve.y"),
        above=s("chart.curve.above"),
    )

    def draw(ax: Any) -> None:
        plot_capacity_curve(
            curve,
            ax=ax,
            words=words,
            marker_at=c.capacity,
            legend=False,
            markersize=3,
            linewidth=1.4,
        )
        ax.legend(fontsize=6, loc="center left", frameon=False)

    return chart(draw, s, width=width, height=62 * mm)
