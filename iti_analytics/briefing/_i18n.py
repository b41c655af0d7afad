"""The words of a briefing in English and French, read from ``strings.csv``.

Every sentence, label and vocabulary value a briefing prints is a row of
``iti_analytics/briefing/strings.csv`` (``key,en,fr``), so a translator edits
data, not code. The lookup, numbers and dates are the package's one
translation machinery, ``iti_analytics._i18n.Strings``, shared with the
trace requests and reports (which also write Spanish).
"""

from __future__ import annotations

from .._i18n import Strings as SharedStrings
from .._i18n import read_strings
from ._format import LANGUAGES

__all__ = ["Strings", "load_strings"]


def load_strings() -> dict[str, dict[str, str]]:
    """All strings: ``{key: {"en": ..., "fr": ...}}`` (read once).

    Examples
    --------
    >>> load_strings()["vocab.category.assault_rifle"]["fr"]
    "fusil d'assaut"
    """
    return read_strings(Strings.package, Strings.languages)


class Strings(SharedStrings):
    """The words and number formats of one language of a briefing.

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

    package = "iti_analytics.briefing"
    languages = LANGUAGES
