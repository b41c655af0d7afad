"""Helpers shared by the sections: privacy, names of parties and places."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._privacy import pseudonymise
from ._document import (
    escape,
    para,
)
from ._format import DASH, is_missing
from ._i18n import Strings

__all__ = [
    "Privacy",
    "party_numbers",
    "party_name",
    "country_list",
    "month_span",
    "vocab_words",
    "heading",
    "no_data",
    "join_words",
    "source_label",
]


class Privacy:
    """What a briefing may print for its audience.

    Restricted: names and serial numbers. Shareable: no serial number at all;
    actors as keyed pseudonyms (the same as in the package's other shareable
    exports with that key) when a key is given, otherwise only counted.
    Requested parties are named unless ``numbers`` is given (see
    :func:`party_numbers`): then each is "party 1", "party 2"...
    """

    def __init__(
        self,
        audience: str,
        key: bytes | None,
        *,
        numbers: dict[str, int] | None = None,
    ) -> None:
        self.shareable = audience == "shareable"
        self.key = key
        self.numbers = numbers

    @property
    def names_parties(self) -> bool:
        """True when requested parties are named in trace-operation outputs."""
        return self.numbers is None

    def party(self, value: Any, s: Strings) -> str:
        """A requested party: its name, or its number when parties go unnamed."""
        if self.numbers is None or is_missing(value):
            return party_name(value, s)
        number = self.numbers.get(str(value))
        return s("word.party_n", n=number) if number else s("word.party")

    @property
    def names(self) -> bool:
        """True when actor names (or their pseudonyms) can be shown."""
        return not self.shareable or self.key is not None

    @property
    def serials(self) -> bool:
        """True when serial numbers can be shown."""
        return not self.shareable

    def name(self, value: Any, prefix: str = "actor") -> str:
        """The name itself (restricted), its keyed pseudonym, or a dash."""
        if is_missing(value):
            return DASH
        if not self.shareable:
            return str(value)
        if self.key is None:
            return DASH
        return str(pseudonymise(str(value), self.key, prefix=prefix))


def party_numbers(traces: pd.DataFrame) -> dict[str, int]:
    """A number per requested party, 1 for the one asked most (ties by name).

    Examples
    --------
    >>> party_numbers(pd.DataFrame({"requested_party": ["BEL", "FRA", "FRA", None]}))
    {'FRA': 1, 'BEL': 2}
    """
    parties = traces["requested_party"].dropna().astype(str)
    counts = parties.value_counts().reset_index()
    counts.columns = ["party", "n"]
    counts = counts.sort_values(["n", "party"], ascending=[False, True])
    return {p: i for i, p in enumerate(counts["party"], start=1)}


def party_name(value: Any, s: Strings) -> str:
    """A requested party: a country name for an ISO3 code, else as written."""
    if is_missing(value):
        return s("word.unknown")
    text = str(value)
    if len(text) == 3 and text.isupper():
        return s.country(text)
    return text


def country_list(value: Any, s: Strings, limit: int = 6) -> str:
    if is_missing(value):
        return DASH
    codes = [c for c in str(value).split(";") if c]
    text = ", ".join(codes[:limit])
    if len(codes) > limit:
        text += " " + s("word.and_more", n=len(codes) - limit)
    return text


def month_span(first: Any, last: Any) -> str:
    """First and last month seen: ``2015-01 – 2024-12``."""
    if is_missing(first):
        return DASH
    a = pd.Timestamp(first).strftime("%Y-%m")
    b = pd.Timestamp(last).strftime("%Y-%m") if not is_missing(last) else a
    return a if a == b else f"{a} – {b}"


def vocab_words(value: Any, column: str, s: Strings, sep: str = ", ") -> str:
    if is_missing(value):
        return DASH
    parts = [p.strip() for p in str(value).replace(";", ",").split(",") if p.strip()]
    return sep.join(s.vocab(column, p) for p in parts)


def heading(text: str, level: str = "h1") -> Any:
    return para(escape(text), level)


def no_data(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def join_words(parts: list[str], s: Strings) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {s('word.and')} " + parts[-1]


def source_label(value: Any, s: Strings) -> str:
    """A source label of the summary ("all" and "(none)" in words)."""
    if value == "all":
        return s("word.all")
    if is_missing(value) or value == "(none)":
        return s("word.no_source")
    return str(value)
