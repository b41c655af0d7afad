"""Trace requests as a PDF: one A4 page per request, in the request's language.

The pages use the briefing's layout engine (fonts, header and footer with the
classification and "page n of N", escaped data text), so a unit's requests,
briefings and reports look alike.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table

from ..briefing.pdf import (
    CONTENT_WIDTH,
    FONT,
    build_pdf,
    escape,
    para,
    styles,
)
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from .words import Words

__all__ = ["write_trace_requests", "key_value_table"]

_RED = colors.HexColor("#a01c1c")
_GREEN = colors.HexColor("#1b6e3a")
_RULE = colors.HexColor("#b8c2cc")
_LABEL = colors.HexColor("#f2f5f8")


def key_value_table(rows: list[tuple[str, Any]], *, label_share: float = 0.3) -> Table:
    """A two-column table of (label, value) pairs; values are escaped here.

    A null value prints as a dash. Used by the request pages and the reports.
    """
    from reportlab.platypus import TableStyle

    data = []
    for label, value in rows:
        blank = value is None or (not isinstance(value, str) and pd.isna(value))
        shown = "–" if blank else escape(value)
        data.append([para(f"<b>{escape(label)}</b>", "cell"), para(shown, "cell")])
    widths = [CONTENT_WIDTH * label_share, CONTENT_WIDTH * (1 - label_share)]
    t = Table(data, colWidths=widths, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (0, -1), _LABEL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, _RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def _text(value: Any) -> Any:
    return None if value is None or pd.isna(value) or value == "" else value


def _page(req: pd.Series, w: Words) -> list:
    """The flowables of one request's page."""
    item_rows = [
        (w("label.category"), w.vocab("category", req["category"])),
        (w("label.make"), _text(req["make"])),
        (w("label.model"), _text(req["model"])),
        (w("label.calibre"), _text(req["calibre"])),
        (
            w("label.serial"),
            w(
                "mark.serial",
                serial=req["serial"],
                status=w.vocab("serial_status", req["serial_status"]),
            )
            if pd.notna(req["serial"])
            else w.vocab("serial_status", req["serial_status"]),
        ),
        (
            w("label.country_of_manufacture"),
            w.country(req["country_of_manufacture"])
            if pd.notna(req["country_of_manufacture"])
            else None,
        ),
        (
            w("label.year_of_manufacture"),
            None
            if pd.isna(req["year_of_manufacture"])
            else str(int(req["year_of_manufacture"])),
        ),
        (w("label.import_mark"), _text(req["import_marking"])),
        (w("label.other_marks"), _text(req["other_marks"])),
        (w("label.photos"), _text(req["photos"]) or w("photos.none")),
        (
            w("label.record"),
            " / ".join(
                str(v) for v in (req["record_id"], req["seizure_id"]) if pd.notna(v)
            ),
        ),
    ]
    if _text(req["inferred"]):
        item_rows.append((w("label.inferred"), req["inferred"]))
    head_rows = [
        (w("req.reference"), req["trace_id"]),
        (w("req.date"), w.date(_first_date(req))),
        (w("req.from"), w.country(req["requesting_country"])),
        (
            w("req.to"),
            f"{_text(req['addressee']) or req['requested_party']}"
            + (
                " — " + w("req.why_party", basis=req["party_basis"])
                if _text(req["party_basis"])
                else ""
            ),
        ),
        (
            w("req.channel"),
            w(f"channel.{req['channel']}")
            + (f" ({req['channel_basis']})" if _text(req["channel_basis"]) else "")
            if pd.notna(req["channel"])
            else None,
        ),
    ]
    story: list = [
        para(escape(w("req.title")), "h1"),
        para(escape(w("req.subtitle")), "meta"),
        key_value_table(head_rows, label_share=0.22),
    ]
    if _text(req["follow_up_of"]):
        story += [
            Spacer(1, 4),
            para(
                escape(
                    w(
                        "req.follow_up_text",
                        ref=req["follow_up_of"],
                        party=w.country(req["requested_party"]),
                    )
                ),
                "note",
            ),
        ]
    story += [
        para(escape(w("sec.nature")), "h2"),
        key_value_table(
            [
                (w("label.illicit_nature"), _text(req["illicit_nature"])),
                (w("label.legal_basis"), _text(req["legal_basis"])),
            ],
            label_share=0.22,
        ),
        para(escape(w("sec.item")), "h2"),
        key_value_table(item_rows, label_share=0.3),
        para(escape(w("sec.use")), "h2"),
        para(escape(_text(req["intended_use"]) or "–")),
        para(escape(w("sec.asked")), "h2"),
        para(escape(_text(req["information_requested"]) or "–")),
        para(escape(w("sec.confidentiality")), "h2"),
        para(escape(_text(req["confidentiality"]) or "–")),
    ]
    story.append(KeepTogether([para(escape(w("sec.check")), "h2"), _check(req, w)]))
    return story


def _first_date(req: pd.Series) -> Any:
    if pd.notna(req["sent_on"]):
        return req["sent_on"]
    history = req["status_history"]
    if pd.notna(history) and str(history)[:10]:
        return pd.to_datetime(str(history)[:10], errors="coerce")
    return None


def _check(req: pd.Series, w: Words) -> Paragraph:
    missing = str(req["missing"]) if pd.notna(req["missing"]) else ""
    base = styles()["body"]
    from reportlab.lib.styles import ParagraphStyle

    if not missing:
        style = ParagraphStyle("ok", base, textColor=_GREEN, fontName=f"{FONT}-Bold")
        return Paragraph(escape("✓ " + w("check.complete")), style)
    words = ", ".join(w(f"element.{code}") for code in missing.split(";"))
    text = "<b>" + escape("✗ " + w("check.missing", elements=words)) + "</b>"
    to_fill = _text(req.get("to_fill"))
    if to_fill:
        text += "<br/>" + escape(w("check.to_fill", what=to_fill))
    style = ParagraphStyle("missing", base, textColor=_RED)
    return Paragraph(text, style)


def write_trace_requests(
    requests: Any, path: str | os.PathLike[str], *, date: Any = None
) -> Path:
    """Write trace requests to a PDF, one A4 page per request, each in its language.

    Parameters
    ----------
    requests : DataFrame or Dataset
        Rows of :func:`~iti_analytics.requests.trace_request` (or a register).
        Draft and sent requests are printed; answered ones are not.
    path : str or path-like
        The PDF to write (its folder is created if needed).
    date : date, optional
        Date printed in the page header (default: today).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InvalidParameterError
        When there is no request to print.

    Examples
    --------
    >>> import iti_analytics as iti, tempfile, os
    >>> items = pd.DataFrame({"record_id": ["r1"], "item_kind": "weapon",
    ...     "category": "pistol", "make": "Glock", "calibre": "9x19mm",
    ...     "serial": "ABC123", "serial_status": "intact",
    ...     "country_of_manufacture": "AUT"})
    >>> req = iti.trace_request(items, "r1", requesting_state="NER", language="es")
    >>> out = iti.write_trace_requests(req, os.path.join(tempfile.mkdtemp(), "r.pdf"))
    >>> out.read_bytes()[:4]
    b'%PDF'
    """
    from .register import _requests_of

    ds = as_dataset(requests, name="requests")
    reg = _requests_of(ds.traces)
    reg = reg[reg["status"].isin(["draft", "sent", "acknowledged"]).fillna(True)]
    if reg.empty:
        raise InvalidParameterError(
            "There is no draft or open request to print; build some with "
            "iti.trace_request(ds, record_ids, requesting_state=...)."
        )
    langs = reg["language"].fillna("en")
    first = Words(str(langs.iloc[0]))
    story: list = []
    for k, (_, req) in enumerate(reg.iterrows()):
        if k:
            story.append(PageBreak())
        story += _page(req, Words(str(langs.iloc[k])))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    when = pd.Timestamp.today() if date is None else pd.Timestamp(date)
    build_pdf(
        str(path),
        story,
        first,
        classification=first("doc.class.restricted"),
        audience="restricted",
        date_text=first.date(when),
        running_title=first("req.running"),
        title=first("req.title"),
        subject=first("req.running"),
    )
    return path
