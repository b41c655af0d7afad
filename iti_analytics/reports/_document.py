"""PDFs of the national report and of exporter notices (briefing layout engine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from reportlab.platypus import PageBreak, Spacer

from ..briefing.pdf import build_pdf, escape, para, table
from ..requests.document import key_value_table
from ..requests.words import Words

__all__ = ["write_report", "write_notices"]


def _cell(value: Any, w: Words, *, decimals: int = 0) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, str):
        return value
    return w.num(value, decimals)


def _country(value: Any, w: Words) -> str:
    return "–" if value is None or pd.isna(value) else w.country(value)


def write_report(report: Any, path: Path, w: Words) -> Path:
    """Lay a :class:`~iti_analytics.reports.NationalReport` out as a PDF."""
    story: list = [
        para(escape(w("rep.title")), "title"),
        para(
            escape(
                w(
                    "rep.subtitle",
                    state=w.country(report.state),
                    start=report.start,
                    end=report.end,
                )
            ),
            "subtitle",
        ),
        para(escape(w("rep.method", as_of=w.date(report.as_of))), "note"),
        para(escape(w("rep.sec.figures")), "h2"),
    ]
    labels = {
        "requests": w("rep.fig.requests"),
        "items": w("rep.fig.items"),
        "acknowledged": w("rep.fig.acknowledged"),
        "answered": w("rep.fig.answered"),
        "unanswered": w("rep.fig.unanswered"),
        "items_traced": w("rep.fig.items_traced"),
        "follow_ups": w("rep.fig.follow_ups"),
        "median_days_to_acknowledge": w("rep.fig.median_ack"),
        "median_days_to_answer": w("rep.fig.median_answer"),
        "p90_days_to_answer": w("rep.fig.p90_answer"),
    }
    header = [w("rep.col.figure"), w("rep.col.sent"), w("rep.col.received")]
    rows = [
        [labels[k], _cell(r["sent"], w), _cell(r["received"], w)]
        for k, r in report.figures.iterrows()
    ]
    story.append(table(rows, [5, 1.2, 1.2], header=header, right=(1, 2)))
    story.append(para(escape(w("rep.sec.outcomes")), "h2"))
    rows = [
        [w.vocab("outcome", k), _cell(r["sent"], w), _cell(r["received"], w)]
        for k, r in report.outcomes.iterrows()
        if (r["sent"] or 0) + (r["received"] or 0) > 0
    ]
    header_o = [w("rep.col.outcome"), w("rep.col.sent"), w("rep.col.received")]
    story.append(_or_none(rows, [5, 1.2, 1.2], header_o, (1, 2), w))
    story.append(para(escape(w("rep.sec.times")), "h2"))
    rows = [
        [
            labels[k],
            _cell(r["sent"], w),
            _cell(r["received"], w),
        ]
        for k, r in report.response_times.iterrows()
    ]
    # the censored requests the estimates rest on, next to them
    open_ = report.figures.loc["unanswered"]
    rows.append(
        [labels["unanswered"], _cell(open_["sent"], w), _cell(open_["received"], w)]
    )
    story.append(table(rows, [5, 1.2, 1.2], header=header, right=(1, 2)))
    story.append(para(escape(w("rep.sec.iafq")), "h2"))
    party = _country if report.audience == "restricted" else _party_type
    rows = [
        [
            party(k, w),
            _cell(r["requests"], w),
            _cell(r["answered"], w),
            _cell(r["successful"], w),
        ]
        for k, r in report.iafq_tracing.iterrows()
    ]
    header_i = [
        w(
            "rep.col.requested_country"
            if report.audience == "restricted"
            else "rep.col.party_type"
        ),
        w("rep.col.requests"),
        w("rep.col.answered"),
        w("rep.col.successful"),
    ]
    story.append(_or_none(rows, [4, 1.2, 1.2, 1.2], header_i, (1, 2, 3), w))
    story.append(para(escape(w("rep.sec.origin")), "h2"))
    rows = [
        [
            _country(r["country_of_manufacture"], w),
            _country(r["last_legal_import"], w),
            _cell(r["items"], w),
        ]
        for _, r in report.iafq_origin.iterrows()
    ]
    header_g = [w("rep.col.manufacture"), w("rep.col.last_import"), w("rep.fig.items")]
    story.append(_or_none(rows, [3, 3, 1.2], header_g, (2,), w))
    story.append(para(escape(w("rep.sec.marking")), "h2"))
    rows = [
        [
            _cell(r["year"], w) if pd.isna(r["year"]) else str(int(r["year"])),
            _cell(r["weapons"], w),
            w.pct(r["import_marked_share"], 1),
            w.pct(r["obliterated_share"], 1),
            w.pct(r["craft_share"], 1),
            w.pct(r["converted_share"], 1),
        ]
        for _, r in report.marking.iterrows()
    ]
    header_m = [
        w("rep.col.year"),
        w("rep.col.weapons"),
        w("rep.col.import_marked"),
        w("rep.col.obliterated"),
        w("rep.col.craft"),
        w("rep.col.converted"),
    ]
    story.append(
        _or_none(rows, [1, 1, 1.3, 1.3, 1.3, 1.3], header_m, (1, 2, 3, 4, 5), w)
    )
    story.append(para(escape(w("rep.marking_note")), "note"))
    path.parent.mkdir(parents=True, exist_ok=True)
    build_pdf(
        str(path),
        story,
        w,
        classification=w(f"doc.class.{report.audience}"),
        audience=report.audience,
        date_text=f"{report.start}–{report.end}",
        running_title=w("rep.running"),
        title=w("rep.title"),
        subject=w("rep.running"),
    )
    return path


def _party_type(value: Any, w: Words) -> str:
    return w.vocab("party_type", value)


def _or_none(rows: list, widths: list, header: list, right: tuple, w: Words) -> Any:
    if not rows:
        return para(escape(w("rep.none")), "note")
    return table(rows, widths, header=header, right=right)


def write_notices(notices: pd.DataFrame, path: Path, w: Words, audience: str) -> Path:
    """One page per exporter notice."""
    story: list = []
    for k, row in enumerate(notices.itertuples(index=False)):
        if k:
            story.append(PageBreak())
        story += [
            para(escape(w("note.title")), "h1"),
            para(
                escape(w("note.to", state=w.country(row.exporting_state))), "subtitle"
            ),
            Spacer(1, 4),
            para(escape(row.notice)),
            Spacer(1, 8),
            key_value_table(
                [
                    (w("label.category"), w.vocab("category", row.category)),
                    (w("label.make"), row.make),
                    (w("label.model"), row.model),
                    (w("label.calibre"), row.calibre),
                    (w("label.serial"), row.serial),
                    (w("label.record"), row.record_id),
                ]
            ),
        ]
    if not story:
        story = [para(escape(w("rep.none")))]
    path.parent.mkdir(parents=True, exist_ok=True)
    build_pdf(
        str(path),
        story,
        w,
        classification=w(f"doc.class.{audience}"),
        audience=audience,
        date_text=w.date(pd.Timestamp.today()),
        running_title=w("note.running"),
        title=w("note.title"),
        subject=w("note.running"),
    )
    return path
