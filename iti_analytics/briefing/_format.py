"""Dates, numbers, percentages and changes written the English or the French way."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = [
    "LANGUAGES",
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

#: French thousands separator (espace fine insécable) and space before "%".
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

_MONTHS = {
    "en": (
        "January February March April May June July August September October "
        "November December"
    ).split(),
    "fr": (
        "janvier février mars avril mai juin juillet août septembre octobre "
        "novembre décembre"
    ).split(),
}

#: shown for a missing value.
DASH = "–"


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and ``pd.NA``.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: Any, language: str = "en", decimals: int = 1) -> str:
    """A number with thousands separators: ``12,345.6`` or ``12 345,6``.

    The French thousands separator is a narrow no-break space (U+202F).

    Examples
    --------
    >>> format_number(12345.6)
    '12,345.6'
    >>> format_number(12345.6, "fr").replace("\\u202f", " ")
    '12 345,6'
    >>> format_number(None)
    '–'
    """
    if is_missing(value):
        return DASH
    value = float(value)
    if not math.isfinite(value):
        return DASH
    text = f"{value:,.{decimals}f}"
    if value == 0:
        text = text.lstrip("-")
    if language == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text.replace("-", "\u2212")


def format_int(value: Any, language: str = "en") -> str:
    """A whole number with thousands separators: ``12,345`` or ``12 345``.

    Examples
    --------
    >>> format_int(1234567)
    '1,234,567'
    >>> format_int(1234567, "fr").replace("\\u202f", " ")
    '1 234 567'
    """
    if is_missing(value):
        return DASH
    return format_number(round(float(value)), language, decimals=0)


def format_percent(share: Any, language: str = "en", decimals: int = 0) -> str:
    """A share (0.45) as a percentage: ``45%`` or ``45 %`` (no-break space).

    Shares between 0 and 1 % keep one decimal so that they do not print as 0.

    Examples
    --------
    >>> format_percent(0.45), format_percent(0.45, "fr").replace("\\u00a0", " ")
    ('45%', '45 %')
    >>> format_percent(0.0037)
    '0.4%'
    >>> format_percent(0.0372, "fr", decimals=1).replace("\\u00a0", " ")
    '3,7 %'
    """
    if is_missing(share):
        return DASH
    pct = float(share) * 100
    if decimals == 0 and 0 < abs(pct) < 1:
        decimals = 1
    number = format_number(pct, language, decimals)
    return f"{number}{NBSP}%" if language == "fr" else f"{number}%"


def format_change(
    current: Any, previous: Any, language: str = "en", *, points: bool = False
) -> str:
    """The change from ``previous`` to ``current``: ``+12%``, ``−3 pts`` or ``–``.

    Parameters
    ----------
    current, previous : number
        The two values (shares when ``points`` is True).
    language : {"en", "fr"}
    points : bool, default False
        Give the difference of two shares in percentage points instead of the
        relative change.

    Examples
    --------
    >>> format_change(112, 100), format_change(90, 100)
    ('+12%', '−10%')
    >>> format_change(0.45, 0.40, points=True)
    '+5 pts'
    >>> format_change(0.45, 0.40, "fr", points=True).replace("\\u00a0", " ")
    '+5 pts'
    >>> format_change(5, 0)
    '–'
    """
    if is_missing(current) or is_missing(previous):
        return DASH
    current, previous = float(current), float(previous)
    if points:
        diff = (current - previous) * 100
        text = format_number(abs(diff), language, 0 if abs(diff) >= 1 else 1)
        unit = f"{NBSP}pts" if language == "fr" else " pts"
    else:
        if previous == 0:
            return DASH
        diff = (current / previous - 1) * 100
        text = format_number(abs(diff), language, 0)
        unit = f"{NBSP}%" if language == "fr" else "%"
    if text.strip("0,.") == "":
        return f"0{unit}"
    sign = "+" if diff > 0 else "\u2212"
    return f"{sign}{text}{unit}"


def format_date(value: Any, language: str = "en", *, short: bool = False) -> str:
    """A date in words: ``27 November 2026`` or ``27 novembre 2026``.

    The first of the month is ``1er`` in French. ``short=True`` gives the
    ISO date (``2026-11-27``), used in tables.

    Examples
    --------
    >>> format_date("2026-11-27"), format_date("2026-11-27", "fr")
    ('27 November 2026', '27 novembre 2026')
    >>> format_date("2024-01-01", "fr")
    '1er janvier 2024'
    >>> format_date("2024-01-01", short=True)
    '2024-01-01'
    """
    if is_missing(value):
        return DASH
    ts = pd.Timestamp(value)
    if short:
        return ts.strftime("%Y-%m-%d")
    day = "1er" if language == "fr" and ts.day == 1 else str(ts.day)
    return f"{day} {_MONTHS[language][ts.month - 1]} {ts.year}"


def format_month(value: Any, language: str = "en") -> str:
    """A month in words: ``June 2024`` or ``juin 2024``.

    Examples
    --------
    >>> format_month("2024-06-15"), format_month("2024-06-15", "fr")
    ('June 2024', 'juin 2024')
    """
    if is_missing(value):
        return DASH
    ts = pd.Timestamp(value)
    return f"{_MONTHS[language][ts.month - 1]} {ts.year}"
