"""The words of trace requests, registers and reports in English, French and Spanish.

Every sentence and label is a row of ``strings.csv`` next to this module
(``key,en,fr,es``), so a translator edits data, not code. Country names come
from pycountry's translations; dates and numbers follow the language.
"""

from __future__ import annotations

import csv
import functools
import gettext
import io
from importlib import resources
from typing import Any

import pandas as pd

from .._validation import check_option

__all__ = ["LANGUAGES", "Words", "load_words"]

#: languages a request, a register reminder or a report can be written in.
LANGUAGES = ("en", "fr", "es")

_NARROW_NBSP = "\u202f"


@functools.cache
def load_words() -> dict[str, dict[str, str]]:
    """All strings: ``{key: {"en": ..., "fr": ..., "es": ...}}`` (read once).

    Examples
    --------
    >>> load_words()["req.title"]["es"]
    'Solicitud de asistencia para el rastreo'
    """
    text = (
        resources.files("iti_analytics.requests")
        .joinpath("strings.csv")
        .read_text(encoding="utf-8")
    )
    return {
        row["key"]: {lang: row[lang] for lang in LANGUAGES}
        for row in csv.DictReader(io.StringIO(text))
        if row["key"] and not row["key"].startswith("#")
    }


@functools.cache
def _country_names(language: str) -> dict[str, str]:
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


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class Words:
    """The words, dates and numbers of one language.

    Parameters
    ----------
    language : {"en", "fr", "es"}

    Examples
    --------
    >>> es = Words("es")
    >>> es("req.date"), es.country("DEU"), es.date("2024-03-05")
    ('Fecha', 'Alemania', '5 de marzo de 2024')
    >>> Words("fr").vocab("category", "assault_rifle")
    "fusil d'assaut"
    >>> Words("fr").num(1234.5), Words("en").pct(0.125)
    ('1\\u202f234,5', '12.5%')
    """

    def __init__(self, language: str = "en") -> None:
        check_option("language", language, LANGUAGES)
        self.language = language
        self._table = load_words()

    def __call__(self, key: str, **values: Any) -> str:
        """The string ``key`` in this language, with ``{name}`` fields filled."""
        try:
            text = self._table[key][self.language]
        except KeyError:
            raise KeyError(f"string {key!r} is missing from strings.csv") from None
        return text.format(**values) if values else text

    def vocab(self, column: str, value: Any) -> str:
        """A vocabulary value in words; an unknown value is printed as it is."""
        if _missing(value):
            return self("word.unknown")
        key = f"vocab.{column}.{value}"
        return self(key) if key in self._table else str(value)

    def country(self, code: Any) -> str:
        """A country name from its ISO3 code (the text itself when not a code)."""
        if _missing(code):
            return self("word.unknown")
        return _country_names(self.language).get(str(code), str(code))

    def date(self, value: Any) -> str:
        """A date written out: ``5 March 2024``, ``5 mars 2024``, ``5 de marzo ...``."""
        if _missing(value):
            return self("word.unknown")
        ts = pd.Timestamp(value)
        return self(
            "date.long",
            day=ts.day,
            month=self(f"month.{ts.month}"),
            year=ts.year,
        )

    def num(self, value: Any, decimals: int = 1) -> str:
        """A number with thousands separators in this language (``–`` when null)."""
        if _missing(value):
            return "–"
        text = f"{float(value):,.{decimals}f}"
        if self.language == "en":
            return text
        return text.replace(",", _NARROW_NBSP).replace(".", ",")

    def int(self, value: Any) -> str:
        """A whole number (``1,234`` / ``1 234``)."""
        return self.num(value, 0)

    def pct(self, share: Any, decimals: int = 1) -> str:
        """A share as a percentage (``12.5%`` / ``12,5 %``)."""
        if _missing(share):
            return "–"
        text = self.num(100 * float(share), decimals)
        return text + ("%" if self.language == "en" else "\u00a0%")
