"""Translated words, numbers and dates: the one lookup every document uses.

A document's words live in a ``strings.csv`` file next to the code that
prints them (``key,en,fr[,es]``), so a translator edits data, not code: the
briefing's in ``iti_analytics/briefing``, the trace requests' and reports' in
``iti_analytics/requests``. :class:`Strings` reads such a table (once) and
writes vocabulary values, country names (pycountry's translations), numbers,
percentages, changes and dates the way each language writes them. A stage
binds it to its table with a two-line subclass::

    class Words(Strings):
        package = "iti_analytics.requests"
        languages = ("en", "fr", "es")

English, French and Spanish follow the UN editorial usage: ``12,345.6`` and
``45%`` in English; ``12 345,6`` and ``45 %`` in French and Spanish (narrow
no-break space between thousands, no-break space before ``%``).
"""

from __future__ import annotations

import csv
import functools
import gettext
import io
import math
from importlib import resources
from typing import Any

import pandas as pd

from ._validation import check_option

__all__ = [
    "LANGUAGES",
    "DASH",
    "NARROW_NBSP",
    "NBSP",
    "Strings",
    "read_strings",
    "country_names",
    "format_change",
    "format_date",
    "format_int",
    "format_month",
    "format_number",
    "format_percent",
    "is_missing",
]

#: every language the package can write (a document may offer fewer).
LANGUAGES = ("en", "fr", "es")

#: thousands separator (espace fine insécable) and space before "%" in fr/es.
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

#: shown for a missing value.
DASH = "–"

_MONTHS = {
    "en": (
        "January February March April May June July August September October "
        "November December"
    ).split(),
    "fr": (
        "janvier février mars avril mai juin juillet août septembre octobre "
        "novembre décembre"
    ).split(),
    "es": (
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
        "noviembre diciembre"
    ).split(),
}


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

    The French and Spanish thousands separator is a narrow no-break space
    (U+202F), the decimal mark a comma.

    Examples
    --------
    >>> format_number(12345.6)
    '12,345.6'
    >>> format_number(12345.6, "fr").replace("\\u202f", " ")
    '12 345,6'
    >>> format_number(12345.6, "es").replace("\\u202f", " ")
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
    if language != "en":
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
    >>> format_percent(0.0372, "es", decimals=1).replace("\\u00a0", " ")
    '3,7 %'
    """
    if is_missing(share):
        return DASH
    pct = float(share) * 100
    if decimals == 0 and 0 < abs(pct) < 1:
        decimals = 1
    number = format_number(pct, language, decimals)
    return f"{number}%" if language == "en" else f"{number}{NBSP}%"


def format_change(
    current: Any, previous: Any, language: str = "en", *, points: bool = False
) -> str:
    """The change from ``previous`` to ``current``: ``+12%``, ``−3 pts`` or ``–``.

    Parameters
    ----------
    current, previous : number
        The two values (shares when ``points`` is True).
    language : {"en", "fr", "es"}
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
    space = " " if language == "en" else NBSP
    if points:
        diff = (current - previous) * 100
        text = format_number(abs(diff), language, 0 if abs(diff) >= 1 else 1)
        unit = f"{space}pts"
    else:
        if previous == 0:
            return DASH
        diff = (current / previous - 1) * 100
        text = format_number(abs(diff), language, 0)
        unit = "%" if language == "en" else f"{NBSP}%"
    if text.strip("0,.") == "":
        return f"0{unit}"
    sign = "+" if diff > 0 else "\u2212"
    return f"{sign}{text}{unit}"


def format_date(value: Any, language: str = "en", *, short: bool = False) -> str:
    """A date in words: ``27 November 2026``, ``27 novembre 2026``, ``27 de ...``.

    The first of the month is ``1er`` in French. ``short=True`` gives the
    ISO date (``2026-11-27``), used in tables.

    Examples
    --------
    >>> format_date("2026-11-27"), format_date("2026-11-27", "fr")
    ('27 November 2026', '27 novembre 2026')
    >>> format_date("2024-01-01", "fr"), format_date("2024-03-05", "es")
    ('1er janvier 2024', '5 de marzo de 2024')
    >>> format_date("2024-01-01", short=True)
    '2024-01-01'
    """
    if is_missing(value):
        return DASH
    ts = pd.Timestamp(value)
    if short:
        return ts.strftime("%Y-%m-%d")
    month = _MONTHS[language][ts.month - 1]
    if language == "es":
        return f"{ts.day} de {month} de {ts.year}"
    day = "1er" if language == "fr" and ts.day == 1 else str(ts.day)
    return f"{day} {month} {ts.year}"


def format_month(value: Any, language: str = "en") -> str:
    """A month in words: ``June 2024``, ``juin 2024``, ``junio de 2024``.

    Examples
    --------
    >>> format_month("2024-06-15"), format_month("2024-06-15", "es")
    ('June 2024', 'junio de 2024')
    """
    if is_missing(value):
        return DASH
    ts = pd.Timestamp(value)
    month = _MONTHS[language][ts.month - 1]
    return f"{month} de {ts.year}" if language == "es" else f"{month} {ts.year}"


@functools.cache
def country_names(language: str) -> dict[str, str]:
    """ISO3 code → short country name in ``language`` (pycountry, read once).

    Examples
    --------
    >>> names = country_names("es")
    >>> names["DEU"], country_names("fr")["SUN"], country_names("en")["BOL"]
    ('Alemania', 'URSS', 'Bolivia')
    """
    import pycountry

    if language == "en":
        tr = tr3 = gettext.NullTranslations()
    else:
        tr = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        tr3 = gettext.translation(
            "iso3166-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
    names = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", c.name) if language == "en" else c.name
        names[c.alpha_3] = tr.gettext(name).split(", ")[0]
    for c in pycountry.historic_countries:
        names.setdefault(c.alpha_3, tr3.gettext(c.name).split(", ")[0])
    return names


@functools.cache
def read_strings(package: str, languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The ``strings.csv`` of ``package``: ``{key: {language: text}}`` (read once).

    Rows whose key is empty or starts with ``#`` are comments.

    Examples
    --------
    >>> read_strings("iti_analytics.requests", LANGUAGES)["req.title"]["es"]
    'Solicitud de asistencia para el rastreo'
    """
    text = resources.files(package).joinpath("strings.csv").read_text("utf-8")
    table: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = (row["key"] or "").strip()
        if key and not key.startswith("#"):
            table[key] = {lang: row[lang] for lang in languages}
    return table


class Strings:
    """The words, numbers and dates of one language, from one strings table.

    Subclasses set :attr:`package` (where ``strings.csv`` is) and
    :attr:`languages` (the columns it has).

    Parameters
    ----------
    language : str
        One of :attr:`languages`.

    Examples
    --------
    >>> class Words(Strings):
    ...     package = "iti_analytics.requests"
    ...     languages = LANGUAGES
    >>> Words("es").date("2024-03-05"), Words("fr").country("DEU")
    ('5 de marzo de 2024', 'Allemagne')
    """

    #: the package whose ``strings.csv`` holds the words.
    package: str = ""
    #: the languages (columns) of that table.
    languages: tuple[str, ...] = LANGUAGES

    def __init__(self, language: str = "en") -> None:
        check_option("language", language, list(self.languages))
        self.language = language
        self._table = read_strings(self.package, tuple(self.languages))

    def __call__(self, key: str, **values: Any) -> str:
        """The string ``key``, formatted with ``values`` (``{name}`` fields)."""
        try:
            text = self._table[key][self.language]
        except KeyError:
            raise KeyError(
                f"string {key!r} is missing from {self.package}/strings.csv"
            ) from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """True when ``key`` is in the strings table."""
        return key in self._table

    def vocab(self, column: str, value: Any) -> str:
        """A vocabulary value in words (``assault_rifle`` → ``fusil d'assaut``).

        Looks up ``vocab.<column>.<value>`` then ``vocab.<value>``; an unknown
        value is printed as it is (it came from the data).
        """
        if is_missing(value):
            return self("word.unknown")
        value = str(value)
        for key in (f"vocab.{column}.{value}", f"vocab.{value}"):
            if key in self._table:
                return self._table[key][self.language]
        return value

    def field(self, name: str) -> str:
        """A canonical column name in words (``seized_on`` → ``date of recovery``)."""
        key = f"field.{name}"
        return self(key) if key in self._table else str(name)

    def country(self, code: Any) -> str:
        """A country name from its ISO3 code (the text itself when not a code).

        A ``country.<code>`` row of the table overrides pycountry's name.
        """
        if is_missing(code):
            return self("word.unknown")
        code = str(code)
        key = f"country.{code}"
        if key in self._table:
            return self(key)
        return country_names(self.language).get(code, code)

    def subdivision(self, code: Any) -> str:
        """A region's name from its ISO 3166-2 code (``BR-RJ`` → Rio de Janeiro).

        The name is pycountry's, as the country writes it; a value that is not
        a code is returned as is.
        """
        if is_missing(code):
            return self("word.unknown")
        import pycountry

        sub = pycountry.subdivisions.get(code=str(code))
        return sub.name if sub is not None else str(code)

    def int(self, value: Any) -> str:
        """A whole number (``12,345`` / ``12 345``)."""
        return format_int(value, self.language)

    def num(self, value: Any, decimals: int = 1) -> str:
        """A number with ``decimals`` decimals (``12,345.6`` / ``12 345,6``)."""
        return format_number(value, self.language, decimals)

    def pct(self, share: Any, decimals: int = 0) -> str:
        """A share as a percentage (``45%`` / ``45 %``)."""
        return format_percent(share, self.language, decimals)

    def change(self, current: Any, previous: Any, *, points: bool = False) -> str:
        """The change between two periods (``+12%``, ``−3 pts``)."""
        return format_change(current, previous, self.language, points=points)

    def date(self, value: Any, *, short: bool = False) -> str:
        """A date (``27 November 2026`` / ``27 novembre 2026`` / ``27 de ...``)."""
        return format_date(value, self.language, short=short)

    def month(self, value: Any) -> str:
        """A month (``June 2024`` / ``juin 2024`` / ``junio de 2024``)."""
        return format_month(value, self.language)

    def plural(self, key: str, n: Any, **values: Any) -> str:
        """``key.one`` or ``key.many`` depending on ``n``, with ``n`` formatted.

        French uses the singular for 0 and 1, English and Spanish for 1 only.
        """
        n_value = 0 if is_missing(n) else float(n)
        one = n_value == 1 or (self.language == "fr" and abs(n_value) < 2)
        return self(f"{key}.{'one' if one else 'many'}", n=self.int(n), **values)
