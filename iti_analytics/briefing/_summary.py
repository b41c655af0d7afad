"""Section 1 of a briefing: key figures with their change, and the headlines."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ._content import Content
from ._document import (
    bullet,
    escape,
    para,
    table,
)
from ._format import DASH, is_missing
from ._helpers import (
    Privacy,
    heading,
    join_words,
)
from ._i18n import Strings

__all__ = ["section_summary", "headline_bullets"]


def _figure_row(c: Content, s: Strings, name: str) -> list[str]:
    row = c.figures.set_index("figure").loc[name]
    cur, prev = row["current"], row["previous"]
    share = name in ("light_weapons_share", "answered_share", "sdg_16_4_2")
    if share:
        values = [
            s.pct(cur, 1 if name == "sdg_16_4_2" else 0),
            s.pct(prev, 1 if name == "sdg_16_4_2" else 0),
        ]
    else:
        values = [s.int(cur), s.int(prev)]
    return [s(f"kf.{name}"), *values, s.change(cur, prev, points=share)]


def _figure(c: Content, name: str, which: str = "current") -> Any:
    return c.figures.set_index("figure").loc[name, which]


def headline_bullets(
    c: Content, s: Strings, privacy: Privacy | None = None
) -> list[str]:
    """Three to five sentences a director reads first (already in ``s``'s language).

    ``privacy`` says whether the party with most overdue requests is named
    (default: as the audience of ``c`` would have it).
    """
    if privacy is None:
        privacy = Privacy(c.audience, c.key)
    period, previous = c.period.label(s), c.previous.label(s)
    out: list[str] = []
    weapons = _figure(c, "weapons")
    if weapons:
        change = s.change(weapons, _figure(c, "weapons", "previous"))
        out.append(
            s(
                "bullet.weapons",
                period=period,
                n=s.int(weapons),
                change=change,
                previous=previous,
                light=s.pct(_figure(c, "light_weapons_share")),
            )
        )
        top = c.by_country.dropna(subset=["country"]).head(3)
        if len(top):
            names = [
                f"{s.country(r.country)} ({s.pct(r.count / weapons)})"
                for r in top.itertuples()
            ]
            out.append(s("bullet.where", places=join_words(names, s)))
    else:
        out.append(s("bullet.no_weapons", period=period))
    if c.alert is not None:
        out.append(_alert_text(c.alert, s))
    plan_text = _plan_bullet(c, s)
    if plan_text:
        out.append(plan_text)
    if len(c.batches):
        b = c.batches.sort_values(
            ["n_countries", "items"], ascending=False, kind="stable"
        ).iloc[0]
        what = " ".join(
            str(b[k]) for k in ("make", "model") if not is_missing(b[k])
        ) or s.vocab("batch_kind", b["kind"])
        out.append(
            s.plural(
                "bullet.batches",
                len(c.batches),
                what=what,
                items=s.int(b["items"]),
                k=s.int(b["n_countries"]),
            )
        )
    sent = _figure(c, "traces_sent")
    if len(c.overdue) or sent:
        text = s(
            "bullet.traces",
            n=s.int(sent),
            period=period,
            answered=s.pct(_figure(c, "answered_share")),
        )
        if len(c.overdue):
            party = c.overdue["requested_party"].value_counts().head(1)
            text += " " + s.plural(
                "bullet.overdue",
                len(c.overdue),
                k=s.int(party.iloc[0]) if len(party) else "0",
                party=privacy.party(party.index[0], s) if len(party) else DASH,
            )
        out.append(text)
    sdg = _figure(c, "sdg_16_4_2")
    if not c.sdg_evidence:
        out.append(s("bullet.sdg_no_data"))
    elif not is_missing(sdg):
        out.append(
            s(
                "bullet.sdg",
                share=s.pct(sdg, 1),
                period=period,
                change=s.change(sdg, _figure(c, "sdg_16_4_2", "previous"), points=True),
                previous=previous,
            )
        )
    return out[:5]


def _plan_bullet(c: Content, s: Strings) -> str | None:
    """The tracing plan in one sentence: what the capacity buys."""
    if c.tracing is None or c.tracing.plan.empty:
        return None
    from ._tracing import curve_row

    risk = curve_row(c.tracing.curve, "risk", c.capacity)
    full = curve_row(c.tracing.curve, "comprehensive", c.capacity)
    if risk is None or full is None:
        return s("bullet.plan", n=s.int(len(c.tracing.plan)))
    return s(
        "bullet.plan_gives_up",
        n=s.int(len(c.tracing.plan)),
        sources=s.num(risk["diversion_points_revealed"], 0),
        share=s.pct(risk["share_of_comprehensive"]),
        traces=s.int(full["traces"]),
    )


def _alert_text(alert: dict, s: Strings) -> str:
    if alert["what_column"] is None:
        what = s("word.all_weapons")
    else:
        what = s.vocab(alert["what_column"], alert["what_value"])
    where = alert["where_value"] or s("word.whole_dataset")
    if alert["kind"] == "surge":
        return s(
            "bullet.surge",
            n=s.int(alert["observed"]),
            what=what,
            where=where,
            month=s.month(alert["since"]),
            expected=s.num(alert["expected"] or 0, 0),
        )
    return s(
        "bullet.new",
        what=what,
        where=where,
        date=s.date(alert["since"]),
        n=s.int(alert["observed"]),
    )


def section_summary(
    c: Content, s: Strings, title: str | None, privacy: Privacy
) -> list:
    """Page 1: key figures with their change, and the headlines in words."""
    out: list = [
        para(escape(title or s("doc.title")), "title"),
        para(escape(s("doc.subtitle")), "subtitle"),
    ]
    meta = s(
        "doc.meta",
        period=c.period.label(s),
        previous=c.previous.label(s),
        first=s.date(c.first_date),
        last=s.date(c.last_date),
        sources=s.int(_n_sources(c)),
    )
    if c.as_of is not None:
        meta += " " + s("doc.meta_as_of", date=s.date(c.as_of))
    out.append(para(escape(meta), "meta"))
    out.append(heading(s("sec.key_figures"), "h2"))
    names = [
        "items",
        "weapons",
        "light_weapons_share",
        "countries",
        "traces_sent",
        "answered_share",
        "sdg_16_4_2",
    ]
    rows = [_figure_row(c, s, n) for n in names]
    out.append(
        table(
            rows,
            [4.6, 1.5, 1.5, 1.3],
            header=[
                s("col.figure"),
                c.period.label(s),
                c.previous.label(s),
                s("col.change"),
            ],
            right=(1, 2, 3),
        )
    )
    out.append(para(escape(s("kf.note")), "note"))
    out.append(heading(s("sec.in_brief"), "h2"))
    for text in headline_bullets(c, s, privacy):
        out.append(bullet(escape(text)))
    out.append(Spacer(1, 4 * mm))
    out.append(heading(s("sec.about"), "h2"))
    out.append(para(escape(s(f"about.{c.audience}")), "note"))
    if c.audience == "shareable":
        key_note = (
            "about.shareable_key" if c.key is not None else "about.shareable_nokey"
        )
        out.append(para(escape(s(key_note)), "note"))
    out.append(para(escape(s("about.contents")), "note"))
    return out


def _n_sources(c: Content) -> int:
    src = c.ds.items["source"].dropna().unique()
    return max(len(src), 1 if len(c.ds.items) else 0)
