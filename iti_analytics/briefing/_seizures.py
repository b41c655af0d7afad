"""Sections 2 and 3: seizures over time, by country and category; the networks."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from ._content import Content
from ._document import (
    CONTENT_WIDTH,
    FitRows,
    chart,
    escape,
    half_width,
    para,
    side_by_side,
    table,
)
from ._format import DASH, is_missing
from ._helpers import (
    Privacy,
    country_list,
    heading,
    month_span,
    no_data,
)
from ._i18n import Strings

__all__ = ["section_seizures", "section_networks"]

_BATCH_ROWS = 8


def section_seizures(c: Content, s: Strings) -> list:
    """Seizures over time, by country and by category."""
    from ..plotting.briefing import plot_seizures_by
    from ..plotting.indicators import plot_trends

    out: list = [PageBreak(), heading(s("sec.seizures"))]
    out.append(
        para(
            escape(
                s(
                    "seizures.intro",
                    first=s.month(c.first_date),
                    last=s.month(c.last_date),
                )
            )
        )
    )

    def trend(ax: Any) -> None:
        if c.trend.empty:
            no_data(ax, s("word.no_data"))
            return
        plot_trends(
            c.trend,
            top=1,
            xlabel="",
            ylabel=s("chart.weapons"),
            title=s("chart.trend.title"),
            ax=ax,
            color="#1f4e79",
            linewidth=1.2,
        )
        # the one series: its count, baseline and band, named in this language
        handles = [ax.lines[0], ax.lines[1]] + list(ax.collections[:1])
        ax.legend(
            handles,
            [s("chart.trend.count"), s("chart.trend.baseline"), s("chart.trend.band")][
                : len(handles)
            ],
            loc="upper left",
            ncols=3,
            frameon=False,
        )
        ax.axvspan(c.period.start, c.period.end, color="#f0c05a", alpha=0.18, lw=0)

    out.append(chart(trend, s, width=CONTENT_WIDTH, height=62 * mm))
    out.append(Spacer(1, 3 * mm))
    legend = (c.period.label(s), c.previous.label(s))
    w = half_width()

    def by_place(ax: Any) -> None:
        plot_seizures_by(
            c.by_place,
            labels=_place_label(c.place_level, s),
            legend=legend,
            other=s(f"word.other_{c.place_level}"),
            empty=s("word.no_data"),
            xlabel=s("chart.weapons"),
            title=s(f"chart.by_{c.place_level}"),
            ax=ax,
        )

    def by_category(ax: Any) -> None:
        plot_seizures_by(
            c.by_category,
            labels=lambda v: s.vocab("category", v),
            legend=legend,
            other=s("word.other"),
            empty=s("word.no_data"),
            xlabel=s("chart.weapons"),
            title=s("chart.by_category"),
            ax=ax,
        )

    out.append(
        side_by_side(
            chart(by_place, s, width=w, height=78 * mm),
            chart(by_category, s, width=w, height=78 * mm),
        )
    )
    out.append(Spacer(1, 2 * mm))
    out.extend(_settings_table(c, s))
    return out


def _place_label(level: str, s: Strings) -> Any:
    """How the place chart names a country, a region or a place."""
    if level == "country":
        return s.country
    if level == "admin1":
        return s.subdivision
    return lambda text: str(text) if len(str(text)) <= 30 else str(text)[:29] + "…"


def _settings_table(c: Content, s: Strings) -> list:
    items = c.ds.items
    items = items[items["duplicate_of"].isna().to_numpy()]
    rows = []
    for column in ("setting", "status"):
        cur = items.loc[c.period.contains(items["seized_on"]).to_numpy(), column]
        prev = items.loc[c.previous.contains(items["seized_on"]).to_numpy(), column]
        cur_n, prev_n = cur.value_counts(), prev.value_counts()
        for value in cur_n.index.union(prev_n.index):
            a, b = int(cur_n.get(value, 0)), int(prev_n.get(value, 0))
            rows.append(
                (
                    s.field(column),
                    s.vocab(column, value),
                    s.int(a),
                    s.int(b),
                    s.change(a, b),
                    a,
                )
            )
    if not rows:
        return []
    rows.sort(key=lambda r: (r[0], -r[5]))
    body = [list(r[:5]) for r in rows]
    return [
        KeepTogether(
            [
                heading(s("sec.context"), "h2"),
                table(
                    body,
                    [2.2, 2.6, 1.3, 1.3, 1.2],
                    header=[
                        s("col.field"),
                        s("col.value"),
                        c.period.label(s),
                        c.previous.label(s),
                        s("col.change"),
                    ],
                    right=(2, 3, 4),
                ),
                para(escape(s("seizures.context_note")), "note"),
            ]
        )
    ]


# --------------------------------------------------------------------------- 3 networks


#: the tie counts of a network (networks()) and the vocabulary word of each.
_TIES = (
    ("shared_actors", "actor"),
    ("shared_batches", "batch"),
    ("shared_lots", "lot"),
    ("shared_localities", "locality"),
    ("shared_diversion_points", "diversion point"),
    ("same_weapon_pairs", "same weapon"),
)


def _ties_words(row: Any, s: Strings) -> str:
    """What holds a network together, in the briefing's language: ``3 × actor``."""
    parts = [
        f"{s.int(getattr(row, column))} × {s.vocab('via', kind)}"
        for column, kind in _TIES
        if not is_missing(getattr(row, column, None)) and getattr(row, column) > 0
    ]
    return ", ".join(parts) or DASH


def section_networks(c: Content, s: Strings, privacy: Privacy) -> list:
    """Largest networks, batches seen across borders and top corridors."""
    from ..plotting.network import plot_corridors, plot_networks

    out: list = [PageBreak(), heading(s("sec.networks"))]
    nets = c.networks
    if len(nets):
        top = nets.iloc[0]
        intro = s(
            "networks.intro",
            n=s.int(c.n_networks),
            seizures=s.int(top["seizures"]),
            k=s.plural("chart.countries", top["n_countries"]),
        )
    else:
        intro = s("networks.none")
    out.append(para(escape(intro)))
    w = half_width()

    def draw_networks(ax: Any) -> None:
        if nets.empty:
            no_data(ax, s("word.no_data"))
            ax.set_title(s("chart.networks.title"))
            return
        plot_networks(nets, top=8, ax=ax)
        _label_bars(ax, [_network_note(r, s) for r in _drawn(nets, 8)])
        ax.set_title(s("chart.networks.title"))
        ax.set_xlabel(s("chart.seizures"))
        ax.set_ylabel("")
        _pad_x(ax, 1.45)

    def draw_corridors(ax: Any) -> None:
        if c.corridors.empty:
            no_data(ax, s("word.no_data"))
            ax.set_title(s("chart.corridors.title"))
            return
        plot_corridors(c.corridors, top=10, ax=ax)
        busiest = c.corridors.sort_values("count", ascending=False, kind="stable")
        shares = [r["share_of_destination"] for r in _drawn(busiest, 10)]
        _label_bars(ax, ["" if is_missing(v) else " " + s.pct(v) for v in shares])
        ax.set_title(s("chart.corridors.title"))
        ax.set_xlabel(s("chart.corridors.x"))
        _pad_x(ax, 1.2)

    out.append(
        side_by_side(
            chart(draw_networks, s, width=w, height=64 * mm),
            chart(draw_corridors, s, width=w, height=64 * mm),
        )
    )
    out.append(para(escape(s("networks.chart_note")), "note"))
    if len(nets):
        header = [
            s("col.network"),
            s("col.seizures"),
            s("col.items"),
            s("col.countries"),
            s("col.seen"),
            s("col.linked_by"),
        ]
        widths = [1.3, 1.2, 1.1, 3.4, 2.3, 2.2]
        if privacy.names:
            header.append(s("col.main_actor"))
            widths.append(2.6)
        rows = []
        for r in nets.itertuples():
            row = [
                str(r.network_id),
                s.int(r.seizures),
                s.int(r.items),
                country_list(r.countries, s, limit=6),
                month_span(r.first_seen, r.last_seen),
                _ties_words(r, s),
            ]
            if privacy.names:
                row.append(privacy.name(r.main_actor, "actor"))
            rows.append(row)
        out.append(
            KeepTogether(
                [
                    heading(s("sec.largest_networks"), "h2"),
                    table(rows, widths, header=header, right=(1, 2)),
                ]
            )
        )
    out.extend(_batches(c, s, privacy))
    return out


def _pad_x(ax: Any, factor: float) -> None:
    lo, hi = ax.get_xlim()
    ax.set_xlim(lo, hi * factor)


def _drawn(table: Any, top: int) -> list:
    """The rows a bar chart of ``table.head(top)`` draws, bottom bar first."""
    return [row for _, row in table.head(top).iloc[::-1].iterrows()]


def _label_bars(ax: Any, notes: list[str]) -> None:
    """Write ``notes`` at the end of the bars, in place of the chart's own notes.

    The plotting function writes its notes in English; the briefing writes its
    own, from the data, in its language (nothing is read back from the chart).
    """
    for text in list(ax.texts):
        text.remove()
    for y, (bar, note) in enumerate(zip(ax.patches, notes, strict=False)):
        if note.strip():
            ax.text(bar.get_width(), y, note, va="center", fontsize=6.5)


def _network_note(row: Any, s: Strings) -> str:
    """`` 3 countries, 120 days`` for one network, in this language."""
    parts = []
    if not is_missing(row["n_countries"]):
        parts.append(s.plural("chart.countries", int(row["n_countries"])))
    if "span_days" in row and not is_missing(row["span_days"]):
        parts.append(s.plural("chart.days", int(row["span_days"])))
    return " " + ", ".join(parts)


def _batches(c: Content, s: Strings, privacy: Privacy) -> list:
    found = c.batches
    out: list = [CondPageBreak(60 * mm), heading(s("sec.batches"), "h2")]
    if found.empty:
        out.append(para(escape(s("batches.none"))))
        return out
    out.append(para(escape(s("batches.intro", n=s.int(len(found))))))
    header = [
        s("col.batch"),
        s("col.weapons"),
        s("col.evidence"),
        s("col.items"),
        s("col.countries"),
        s("col.seen"),
    ]
    widths = [1.0, 3.0, 2.0, 1.3, 2.6, 2.6]
    if privacy.serials:
        header.append(s("col.serials"))
        widths.append(3.0)
    rows = []
    for _, b in found.head(_BATCH_ROWS).iterrows():
        weapon = " ".join(str(b[k]) for k in ("make", "model") if not is_missing(b[k]))
        if not is_missing(b["calibre"]):
            weapon = f"{weapon}, {b['calibre']}" if weapon else str(b["calibre"])
        row = [
            str(b["batch_id"]),
            weapon or DASH,
            s.vocab("batch_kind", b["kind"]),
            s.int(b["items"]),
            country_list(b["countries"], s, limit=5),
            month_span(b["first_seen"], b["last_seen"]),
        ]
        if privacy.serials:
            row.append(
                DASH if is_missing(b["serial_range"]) else str(b["serial_range"])
            )
        rows.append(row)

    def build(n: int) -> list:
        parts = [table(rows[:n], widths, header=header, right=(3,))]
        if len(found) > n:
            more = s.int(len(found) - n)
            parts.append(para(escape(s("batches.more", n=more)), "note"))
        return parts

    out.append(FitRows(build, len(rows), 3))
    return out
