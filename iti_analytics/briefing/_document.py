"""Page layout of a briefing: A4, embedded fonts, header, footer, tables and charts.

Built on reportlab's platypus. The DejaVu Sans fonts that ship with matplotlib
are registered as TrueType fonts, so they are embedded in the PDF and cover
French accents; charts use the same family. Every piece of text that comes
from the data goes through :func:`escape` before it reaches a Paragraph.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from ._i18n import Strings

__all__ = [
    "FONT",
    "PAGE_WIDTH",
    "CONTENT_WIDTH",
    "escape",
    "register_fonts",
    "styles",
    "para",
    "bullet",
    "table",
    "chart",
    "build_pdf",
    "FitRows",
]

FONT = "DejaVuSans"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
CONTENT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

#: resolution of the charts placed in the PDF.
CHART_DPI = 150

INK = colors.HexColor("#1b1b1b")
ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#5f6b76")
RULE = colors.HexColor("#b8c2cc")
ZEBRA = colors.HexColor("#f2f5f8")
HEAD = colors.HexColor("#dde5ee")
CLASS_COLOURS = {
    "restricted": colors.HexColor("#a01c1c"),
    "shareable": colors.HexColor("#1b6e3a"),
}

_FACES = {
    FONT: "DejaVuSans.ttf",
    f"{FONT}-Bold": "DejaVuSans-Bold.ttf",
    f"{FONT}-Oblique": "DejaVuSans-Oblique.ttf",
    f"{FONT}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}


def escape(text: Any) -> str:
    """Text from the data made safe for Paragraph markup (``<b>`` prints as is).

    Examples
    --------
    >>> escape("<b>Acme & Co</b>")
    '&lt;b&gt;Acme &amp; Co&lt;/b&gt;'
    """
    return _xml_escape(str(text))


@functools.cache
def register_fonts() -> str:
    """Register DejaVu Sans (from matplotlib's data) with reportlab; return its name.

    The fonts are TrueType, so reportlab embeds (subsets) them in every PDF.
    """
    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Oblique",
        boldItalic=f"{FONT}-BoldOblique",
    )
    return FONT


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of a briefing."""
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=9, leading=12, textColor=INK, alignment=TA_LEFT
    )
    bold = f"{FONT}-Bold"
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", base, fontSize=7.5, leading=9.5, textColor=MUTED
        ),
        "note": ParagraphStyle(
            "note",
            base,
            fontSize=8,
            leading=10.5,
            textColor=MUTED,
            spaceBefore=2,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "cell_right": ParagraphStyle(
            "cell_right", base, fontSize=7.5, leading=9, alignment=2
        ),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=7.5, leading=9),
        "head_right": ParagraphStyle(
            "head_right", base, fontName=bold, fontSize=7.5, leading=9, alignment=2
        ),
        "title": ParagraphStyle(
            "title",
            base,
            fontName=bold,
            fontSize=20,
            leading=24,
            textColor=ACCENT,
            spaceAfter=2,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", base, fontSize=12, leading=15, textColor=ACCENT, spaceAfter=6
        ),
        "meta": ParagraphStyle(
            "meta", base, fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=8
        ),
        "h1": ParagraphStyle(
            "h1",
            base,
            fontName=bold,
            fontSize=14,
            leading=17,
            textColor=ACCENT,
            spaceBefore=2,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=bold,
            fontSize=10.5,
            leading=13,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "bullet": ParagraphStyle(
            "bullet",
            base,
            bulletFontName=FONT,
            fontSize=9.5,
            leading=12.5,
            leftIndent=12,
            bulletIndent=2,
            spaceAfter=3,
        ),
        "figure": ParagraphStyle(
            "figure",
            base,
            fontName=bold,
            fontSize=15,
            leading=18,
            textColor=ACCENT,
            alignment=2,
        ),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A Paragraph of ``text`` (already escaped: markup allowed) in ``style``."""
    return Paragraph(text, styles()[style])


def bullet(text: str) -> Paragraph:
    """A bulleted paragraph of ``text`` (already escaped)."""
    return Paragraph(text, styles()["bullet"], bulletText="\u2022")


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: Sequence[str],
    right: Sequence[int] = (),
    zebra: bool = True,
    width: float = CONTENT_WIDTH,
) -> Table:
    """A table: ``header`` row, then ``rows`` of plain text (escaped here).

    ``widths`` are relative column widths, scaled to ``width`` (default: the
    content width);
    ``right`` lists the columns aligned right (numbers). Long cells wrap; a
    line break in a cell (``"\\n"``) starts a new line; a table longer than
    the page repeats its header.
    """
    right = set(right)
    total = float(sum(widths))
    col_widths = [width * w / total for w in widths]
    data = [
        [
            para(escape(h), "head_right" if i in right else "head")
            for i, h in enumerate(header)
        ]
    ]
    for row in rows:
        data.append(
            [
                para(
                    escape(v).replace("\n", "<br/>"),
                    "cell_right" if i in right else "cell",
                )
                for i, v in enumerate(row)
            ]
        )
    t = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra:
        for r in range(2, len(data), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    t.setStyle(TableStyle(commands))
    return t


def _localize_axes(ax: Any, s: Strings) -> None:
    """Tick labels in the briefing's language: ``12 345``, ``45 %``, month names."""
    from matplotlib.dates import AutoDateFormatter, ConciseDateFormatter, DateFormatter
    from matplotlib.ticker import FuncFormatter, PercentFormatter, ScalarFormatter

    def number(value: float, _pos: Any = None) -> str:
        if float(value).is_integer():
            return s.int(value)
        text = s.num(value, 2)
        sep = "," if s.language == "fr" else "."
        return text.rstrip("0").rstrip(sep) if sep in text else text

    for axis in (ax.xaxis, ax.yaxis):
        fmt = axis.get_major_formatter()
        if isinstance(fmt, PercentFormatter):
            scale = float(fmt.xmax)
            axis.set_major_formatter(FuncFormatter(lambda v, _p, k=scale: s.pct(v / k)))
        elif isinstance(fmt, AutoDateFormatter | ConciseDateFormatter | DateFormatter):
            from matplotlib.dates import YearLocator, num2date

            lo, hi = axis.get_view_interval()
            if hi - lo > 3 * 365:
                axis.set_major_locator(YearLocator(max(1, int((hi - lo) / 365 / 8))))
                axis.set_major_formatter(
                    FuncFormatter(lambda v, _p: str(num2date(v).year))
                )
            else:
                axis.set_major_formatter(
                    FuncFormatter(lambda v, _p: s.month(num2date(v).date()))
                )
        elif isinstance(fmt, ScalarFormatter):
            lo, hi = sorted(axis.get_view_interval())
            if 1800 <= lo and hi <= 2200:  # years: no thousands separator
                axis.set_major_formatter(
                    FuncFormatter(lambda v, _p: f"{v:.0f}" if v == int(v) else "")
                )
            else:
                axis.set_major_formatter(FuncFormatter(number))


def chart(
    draw: Callable[[Any], Any],
    s: Strings,
    *,
    width: float,
    height: float,
    dpi: int = CHART_DPI,
) -> Image:
    """Draw a chart with ``draw(ax)`` and return it as a placed PNG image.

    ``width`` and ``height`` are the size on the page in points; the figure is
    made at that size so that its 7.5-point text prints at 7.5 points. Tick
    labels are put in the briefing's language after ``draw``.
    """
    rc = {
        "font.family": "DejaVu Sans",
        "font.size": 7.5,
        "axes.titlesize": 8.5,
        "axes.titleweight": "bold",
        "axes.labelsize": 7.5,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 6.5,
        "legend.title_fontsize": 7,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": True,
        "text.parse_math": False,  # a make called "$x$" prints as written
    }
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(width / 72, height / 72), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        draw(ax)
        for a in fig.axes:
            _localize_axes(a, s)
        fig.tight_layout(pad=0.4)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    buf.seek(0)
    return Image(buf, width=width, height=height)


def _canvas_class(decorate: Callable[[Any, int, int], None]) -> type:
    """A canvas that knows the page count, to print "page 2 of 7" on every page."""

    class _NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return _NumberedCanvas


def build_pdf(
    path: Any,
    story: list,
    s: Strings,
    *,
    classification: str,
    audience: str,
    date_text: str,
    running_title: str,
    title: str,
    subject: str,
) -> None:
    """Lay ``story`` out on A4 pages with the header and footer on every page.

    Header: classification (left, in colour), running title, date (right).
    Footer: classification, "page n of N".
    """
    register_fonts()
    colour = CLASS_COLOURS.get(audience, INK)

    def decorate(c: Any, number: int, total: int) -> None:
        c.saveState()
        top = PAGE_HEIGHT - 11 * mm
        c.setFont(f"{FONT}-Bold", 8)
        c.setFillColor(colour)
        c.drawString(MARGIN_X, top, classification)
        c.setFont(FONT, 8)
        c.setFillColor(MUTED)
        c.drawCentredString(PAGE_WIDTH / 2, top, running_title)
        c.drawRightString(PAGE_WIDTH - MARGIN_X, top, date_text)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
        bottom = 9 * mm
        c.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        c.setFont(f"{FONT}-Bold", 7.5)
        c.setFillColor(colour)
        c.drawString(MARGIN_X, bottom, classification)
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawRightString(
            PAGE_WIDTH - MARGIN_X, bottom, s("doc.page", n=number, total=total)
        )
        c.restoreState()

    doc = BaseDocTemplate(
        path,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        subject=subject,
        author="iti_analytics",
        creator="iti_analytics",
        invariant=1,
        lang=s.language,
        initialFontName=FONT,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        CONTENT_HEIGHT,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_class(decorate))


class FitRows(Flowable):
    """A table that shows as many of its rows as fit where it stands.

    ``build(n)`` returns the flowables (table, note) showing the first ``n``
    rows; the largest ``n`` from ``n_max`` down to ``n_min`` that fits in the
    space left on the page is drawn, so a long table does not spill a few rows
    onto a page of their own. When even ``n_min`` rows do not fit, the block
    moves to the next page whole.
    """

    def __init__(
        self, build: Callable[[int], list], n_max: int, n_min: int = 3
    ) -> None:
        super().__init__()
        self.build = build
        self.n_max = max(int(n_max), 0)
        self.n_min = min(max(int(n_min), 0), self.n_max)
        self._parts: list = []
        self._height = 0.0

    def _measure(self, n: int, width: float, height: float) -> tuple[list, float]:
        parts = self.build(n)
        total = 0.0
        for part in parts:
            total += part.wrap(width, height)[1] + 2
        return parts, total

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        parts, height = self._measure(self.n_max, availWidth, availHeight)
        n = self.n_max
        while height > availHeight and n > self.n_min:
            n -= 1
            parts, height = self._measure(n, availWidth, availHeight)
        self._parts, self._height, self.width = parts, height, availWidth
        return availWidth, height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
        return []

    def draw(self) -> None:
        y = self._height
        for part in self._parts:
            _, h = part.wrap(self.width, self._height)
            y -= h + 2
            part.drawOn(self.canv, 0, y)


def side_by_side(left: Any, right: Any, gap: float = 4 * mm) -> Table:
    """Two flowables next to each other, each half the content width."""
    half = (CONTENT_WIDTH - gap) / 2
    t = Table([[left, "", right]], colWidths=[half, gap, half], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def half_width(gap: float = 4 * mm) -> float:
    """Width of one of two side-by-side blocks."""
    return float(np.floor((CONTENT_WIDTH - gap) / 2))
