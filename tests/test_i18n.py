"""The one translation machinery shared by the briefing, requests and reports."""

from __future__ import annotations

import re

import pytest

from iti_analytics._i18n import (
    LANGUAGES,
    Strings,
    format_date,
    format_month,
    format_number,
    format_percent,
)
from iti_analytics.briefing._i18n import Strings as BriefingStrings
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.requests.words import Words, load_words


def test_briefing_and_requests_look_words_up_the_same_way():
    assert issubclass(Words, Strings) and issubclass(BriefingStrings, Strings)
    # the same vocabulary value, the same country, each from its own table
    en_req, en_brief = Words("en"), BriefingStrings("en")
    assert en_req.country("CIV") == en_brief.country("CIV") == "Côte d'Ivoire"
    assert Words("fr").date("2024-01-01") == BriefingStrings("fr").date("2024-01-01")


@pytest.mark.parametrize(
    ("language", "date", "month", "number", "percent"),
    [
        ("en", "5 March 2024", "March 2024", "12,345.6", "12.5%"),
        ("fr", "5 mars 2024", "mars 2024", "12 345,6", "12,5 %"),
        ("es", "5 de marzo de 2024", "marzo de 2024", "12 345,6", "12,5 %"),
    ],
    ids=["english", "french", "spanish"],
)
def test_dates_and_numbers_in_each_language(language, date, month, number, percent):
    def plain(text: str) -> str:
        return text.replace("\u202f", " ").replace("\u00a0", " ")

    assert format_date("2024-03-05", language) == date
    assert format_month("2024-03-05", language) == month
    assert plain(format_number(12345.6, language)) == number
    assert plain(format_percent(0.125, language, 1)) == percent


def test_every_request_string_has_three_languages_and_the_same_fields():
    table = load_words()
    empty = [
        k for k, v in table.items() if not all(v[lang].strip() for lang in LANGUAGES)
    ]
    assert empty == []
    differ = [
        k
        for k, v in table.items()
        if len({frozenset(re.findall(r"{(\w+)}", v[lang])) for lang in LANGUAGES}) > 1
    ]
    assert differ == [], "placeholders differ between languages"


def test_a_briefing_is_not_offered_in_spanish():
    with pytest.raises(InvalidParameterError, match="`language` must be one of"):
        BriefingStrings("es")
    assert Words("es")("req.date") == "Fecha"
