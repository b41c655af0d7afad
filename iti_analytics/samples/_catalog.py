"""Reference data of the West Africa world, read from ``data/west_africa/*.csv``.

Each CSV file is one table with a ``source`` column saying where its rows come
from (most weights are synthetic; names of places, makes, models and forces are
real). This module only reads them once into the shapes the generator uses;
it holds no data itself. Coordinates are approximate centroids of first-level
administrative areas; border posts and localities are real places so maps look
right. Armed groups, gangs, dealers and persons are invented: their names are
built from the word lists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

import pandas as pd

_FOLDER = ("data", "west_africa")


def _read(name: str) -> pd.DataFrame:
    path = resources.files(__package__).joinpath(*_FOLDER, f"{name}.csv")
    with resources.as_file(path) as p:
        return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")


def _rows(name: str, *types: Callable) -> list[tuple]:
    """The rows of table ``name`` as tuples, each cell cast by ``types``."""
    table = _read(name).drop(columns="source")
    return [
        tuple(cast(value) for cast, value in zip(types, row, strict=True))
        for row in table.itertuples(index=False, name=None)
    ]


def _grouped(rows: list[tuple]) -> dict:
    """``[(key, a, b), …]`` -> ``{key: [(a, b), …]}`` in file order."""
    out: dict = {}
    for key, *rest in rows:
        out.setdefault(key, []).append(tuple(rest) if len(rest) > 1 else rest[0])
    return out


def _ratios(text: str) -> tuple[str, ...]:
    return tuple(text.split(";"))


TEXT, NUMBER, WHOLE = str, float, int

#: iso3, English name, French name, role ("region": seizures happen there;
#: "neighbour": diversion and transit only), crime weight, population weight.
COUNTRIES = _rows("countries", TEXT, TEXT, TEXT, TEXT, NUMBER, NUMBER)
#: land borders used for routes (undirected).
BORDERS = _rows("borders", TEXT, TEXT)
#: iso3, admin1 (French spelling), admin1 (English spelling), lat, lon,
#: conflict zone ("" if none), urban crime weight, localities ("|"-separated).
ADMIN1 = _rows("admin1", TEXT, TEXT, TEXT, NUMBER, NUMBER, TEXT, NUMBER, TEXT)
#: border posts (customs): iso3, post, neighbour iso3, admin1 (French spelling).
BORDER_POSTS = _rows("border_posts", TEXT, TEXT, TEXT, TEXT)
#: conflict zones where armed groups operate: zone, weight, English label.
CONFLICT_ZONES = _rows("conflict_zones", TEXT, NUMBER, TEXT)
#: trafficking corridors (countries in order along the route) and weights.
CORRIDORS = _rows("corridors", _ratios, NUMBER)
#: the regular forces that hold state stockpiles: iso3 -> forces ("|"-separated).
FORCES = {
    country: "|".join(forces)
    for country, forces in _grouped(_rows("forces", TEXT, TEXT)).items()
}
#: looting or capture years of historic stocks, by country (a point picks one).
LOOTING_YEARS = {
    country: tuple(years)
    for country, years in _grouped(_rows("looting_years", TEXT, WHOLE)).items()
}
#: canonical make, country of the maker today (what a reader infers from the
#: make), spellings seen in records (first = canonical; a typo, marked "~", last).
MAKES = _rows("makes", TEXT, TEXT, TEXT)
#: makers in states that no longer exist: the historic country of manufacture
#: up to the year the state changed (what a reader infers from make and year).
HISTORIC_MAKES = {
    make: (country, until)
    for make, country, until in _rows("historic_makes", TEXT, TEXT, WHOLE)
}
#: weapon product lines: line, make, true country of manufacture, model,
#: category, calibre, first and last year made, serial format (letters in
#: prefix, digits, year prefix 0/1), weights per diversion kind: historic,
#: stockpile, export, civilian.
LINES = _rows(
    "lines",
    TEXT,
    TEXT,
    TEXT,
    TEXT,
    TEXT,
    TEXT,
    WHOLE,
    WHOLE,
    WHOLE,
    WHOLE,
    WHOLE,
    NUMBER,
    NUMBER,
    NUMBER,
    NUMBER,
)
#: converted blank-firing pistols: line, make, country, model, letters, digits.
CONVERTED = _rows("converted", TEXT, TEXT, TEXT, TEXT, WHOLE, WHOLE)
#: craft weapons: category, calibre (or ""), weight.
CRAFT = _rows("craft", TEXT, TEXT, NUMBER)
#: ammunition lines: make, country, calibre, headstamp factory code, weight.
AMMUNITION = _rows("ammunition", TEXT, TEXT, TEXT, TEXT, NUMBER)
#: IED components diverted from commercial (mining) explosive stores.
EXPLOSIVES = _rows("explosives", TEXT, TEXT, NUMBER)
#: weapon parts: English, French.
PARTS = _rows("parts", TEXT, TEXT)
#: historic manufacturing states and who answers for them today.
SUCCESSOR = dict(_rows("successors", TEXT, TEXT))
#: how the requested party answers trace requests: party, probability of an
#: acknowledgement, probability of an answer, median days to acknowledge,
#: median days to answer, probability of refusing.
RESPONSIVENESS = _rows(
    "party_responsiveness", TEXT, NUMBER, NUMBER, WHOLE, WHOLE, NUMBER
)
#: manufacturers that answer directly (party_type "manufacturer"), same columns.
MAKER_RESPONSIVENESS = _rows(
    "maker_responsiveness", TEXT, NUMBER, NUMBER, WHOLE, WHOLE, NUMBER
)
#: supplier affinity: region state -> {country of manufacture: weight multiplier}.
AFFINITY = {
    country: dict(pairs)
    for country, pairs in _grouped(
        _rows("supplier_affinity", TEXT, TEXT, NUMBER)
    ).items()
}
FIRST_NAMES = [name for (name,) in _rows("first_names", TEXT)]
LAST_NAMES = [name for (name,) in _rows("last_names", TEXT)]
#: armed group names: French stem, English stem (acronyms from the letters).
GROUP_PREFIX = _rows("group_prefixes", TEXT, TEXT)
GROUP_MIDDLE = _rows("group_middles", TEXT, TEXT, TEXT)
GROUP_PLACE = _grouped(_rows("group_places", TEXT, TEXT, TEXT, TEXT))
GANG_WORDS = _rows("gang_words", TEXT, TEXT)


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Turn one of the tables above into a DataFrame."""
    return pd.DataFrame(rows, columns=columns)


@cache
def lines() -> pd.DataFrame:
    """The weapon product lines with their kind weights (cached; do not modify)."""
    return frame(
        LINES,
        [
            "line",
            "make",
            "country",
            "model",
            "category",
            "calibre",
            "first_year",
            "last_year",
            "letters",
            "digits",
            "year_prefix",
            "w_historic",
            "w_stockpile",
            "w_export",
            "w_civilian",
        ],
    )
