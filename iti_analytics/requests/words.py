"""The words of trace requests, registers and reports in English, French and Spanish.

Every sentence and label is a row of ``strings.csv`` next to this module
(``key,en,fr,es``), so a translator edits data, not code. The lookup, country
names, numbers and dates are the package's one translation machinery
(``iti_analytics._i18n.Strings``), shared with the briefing.
"""

from __future__ import annotations

from .._i18n import LANGUAGES, Strings, read_strings

__all__ = ["LANGUAGES", "Words", "load_words"]


def load_words() -> dict[str, dict[str, str]]:
    """All strings: ``{key: {"en": ..., "fr": ..., "es": ...}}`` (read once).

    Examples
    --------
    >>> load_words()["req.title"]["es"]
    'Solicitud de asistencia para el rastreo'
    """
    return read_strings(Words.package, Words.languages)


class Words(Strings):
    """The words, dates and numbers of one language of a request or report.

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
    >>> Words("fr").num(1234.5), Words("en").pct(0.125, 1)
    ('1\\u202f234,5', '12.5%')
    """

    package = "iti_analytics.requests"
    languages = LANGUAGES
