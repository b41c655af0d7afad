"""The PDF building blocks of the briefing, for the package's other documents.

Trace requests (:mod:`iti_analytics.requests`) and national reports
(:mod:`iti_analytics.reports`) are laid out with the same A4 pages, embedded
fonts, escaped text and tables as the briefing; this is their public way to
those blocks, which live in the briefing's page-layout module.
"""

from __future__ import annotations

from ._document import (
    CONTENT_WIDTH,
    FONT,
    PAGE_WIDTH,
    build_pdf,
    bullet,
    chart,
    escape,
    para,
    register_fonts,
    styles,
    table,
)

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
]
