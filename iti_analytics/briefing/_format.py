"""Dates, numbers, percentages and changes of a briefing (English or French).

The formatting itself is shared with the trace requests and reports and lives
in :mod:`iti_analytics._i18n`; this module names the briefing's languages.
"""

from __future__ import annotations

from .._i18n import (
    DASH,
    NARROW_NBSP,
    NBSP,
    format_change,
    format_date,
    format_int,
    format_month,
    format_number,
    format_percent,
    is_missing,
)

__all__ = [
    "LANGUAGES",
    "DASH",
    "NARROW_NBSP",
    "NBSP",
    "format_change",
    "format_date",
    "format_int",
    "format_month",
    "format_number",
    "format_percent",
    "is_missing",
]

#: languages a briefing can be written in.
LANGUAGES = ("en", "fr")
