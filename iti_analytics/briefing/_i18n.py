"""The words of a briefing in English and French, read from ``strings.csv``.

Every sentence, label and vocabulary value a briefing prints is a row of
``iti_analytics/briefing/strings.csv`` (``key,en,fr``), so a translator edits
data, not code. Numbers and dates go through :mod:`._format`.
"""

from __future__ import annotations

import csv
import functools
import gettext
import io
from importlib import resources
from typing import Any

from .._validation import check_option
from ._format import (
    LANGUAGES,
    format_change,
    format_date,
    format_int,
    format_month,
    format_number,
    format_percent,
    is_missing,
)

__all__ = ["Strings", "load_strings"]


@functools.cache
def load_strings() -> dict[str, dict[str, str]]:
    """All strings: ``{key: {"en": ..., "fr": ...}}`` (read once).

    Examples
    --------
    >>> load_strings()["vocab.category.assault_rifle"]["fr"]
    "fusil d'assaut"
    """
    text = (
        resources.files("iti_analytics.briefing")
        .joinpath("strings.csv")
        .read_text(encoding="utf-8")
    )
    table: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = row["key"].strip()
        if not key or key.startswith("#"):
            continue
        table[key] = {lang: row[lang] for lang in LANGUAGES}
    return table


@functools.cache
def _country_names(language: str) -> dict[str, str]:
    import pycountry

    if language == "en":
        tr = gettext.NullTranslations()
        tr3 = tr
    else:
        tr = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        tr3 = gettext.translation(
            "iso3166-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
    names = {}
    for c in pycountry.countries:
        name = c.name if language != "en" else getattr(c, "common_name", c.name)
        names[c.alpha_3] = tr.gettext(name).split(", ")[0]
    for c in pycountry.historic_countries:
        names.setdefault(c.alpha_3, tr3.gettext(c.name).split(", ")[0])
    return names


class Strings:
    """The words and number formats of one language.

    Parameters
    ----------
    language : {"en", "fr"}

    Examples
    --------
    >>> fr = Strings("fr")
    >>> fr("kf.weapons")
    'Armes'
    >>> fr.vocab("category", "assault_rifle"), fr.country("CMR")
    ("fusil d'assaut", 'Cameroun')
    >>> fr.pct(0.45).replace("\\u00a0", " "), fr.date("2026-11-27")
    ('45 %', '27 novembre 2026')
    """

    def __init__(self, language: str = "en") -> None:
        check_option("language", language, list(LANGUAGES))
        self.language = language
        self._table = load_strings()

    def __call__(self, key: str, **values: Any) -> str:
        """The string ``key``, formatted with ``values`` (``{name}`` fields)."""
        try:
            text = self._table[key][self.language]
        except KeyError:
            raise KeyError(
                f"briefing string {key!r} is missing from strings.csv"
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
        """A country name from its ISO3 code (the code itself when unknown)."""
        if is_missing(code):
            return self("word.unknown")
        code = str(code)
        key = f"country.{code}"
        if key in self._table:
            return self(key)
        return _country_names(self.language).get(code, code)

    # numbers and dates in this language
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
        """A date (``27 November 2026`` / ``27 novembre 2026``)."""
        return format_date(value, self.language, short=short)

    def month(self, value: Any) -> str:
        """A month (``June 2024`` / ``juin 2024``)."""
        return format_month(value, self.language)

    def plural(self, key: str, n: Any, **values: Any) -> str:
        """``key.one`` or ``key.many`` depending on ``n``, with ``n`` formatted.

        French uses the singular for 0 and 1, English for 1 only.
        """
        n_value = 0 if is_missing(n) else float(n)
        one = n_value == 1 or (self.language == "fr" and abs(n_value) < 2)
        return self(f"{key}.{'one' if one else 'many'}", n=self.int(n), **values)
