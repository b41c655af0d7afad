"""Weapon make (manufacturer), its country, and model designations."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..reference import load_reference
from ._text import factorize, fold
from ._weapon_common import (
    _aligned,
    _blank,
    _decode,
    _Distinct,
    _encode,
    _nulls,
    _series,
)

# --------------------------------------------------------------------------- make


#: words joining two names in a firm's name ("Heckler und Koch", "Smith and
#: Wesson", "Verney-Carron et Cie"): ignored in look-ups, kept lower case
_CONNECTORS = frozenset({"and", "und", "et"})


def _make_words(folded: str) -> list[str]:
    """The words of a folded make without connectors between two names."""
    toks = folded.split()
    return [
        t
        for i, t in enumerate(toks)
        if t not in _CONNECTORS or i == 0 or i == len(toks) - 1
    ]


def _make_key(folded: str) -> str:
    return "".join(_make_words(folded))


#: what a name in the ``makes`` table is: only makers and brands are makes
ROLES = ("maker", "brand", "importer", "pattern", "accessory")


@lru_cache(maxsize=1)
def _make_tables() -> tuple[dict[str, str | None], pd.DataFrame]:
    ref = load_reference("makes")
    keys = fold(ref["alias"].tolist()).tolist()
    by_key: dict[str, str | None] = {}
    for key, make in zip(keys, ref["make"], strict=True):
        by_key.setdefault(_make_key(key), _blank(make))
    per_make = (
        ref.dropna(subset=["make"])
        .groupby("make", sort=False)[
            ["role", "country", "historic_country", "historic_until"]
        ]
        .first()
    )
    return by_key, per_make


def _title(text: str) -> str:
    words = []
    for i, w in enumerate(text.split()):
        if i and w.lower() in _CONNECTORS:
            words.append(w.lower())
        elif len(w) <= 3 and w.isalpha():
            words.append(w.upper())
        else:
            words.append(w[:1].upper() + w[1:].lower())
    return " ".join(words)


def _fuzzy_make(key: str, by_key: dict[str, str | None]) -> str | None:
    """Nearest alias by edit distance (1 for short keys, 2 from 8 letters).

    Only aliases with the same first letter compete: a typo rarely hits the
    first letter, and a different first letter is usually a different firm
    ("American Arms" is not "N. American Arms"). A tie between two makes is
    no match.
    """
    if len(key) < 5:
        return None
    limit = 1 if len(key) < 8 else 2
    choices = [k for k in by_key if k[:1] == key[:1] and by_key[k] is not None]
    hits = process.extract(
        key, choices, scorer=OSA.distance, score_cutoff=limit, limit=5
    )
    if not hits:
        return None
    best = min(h[1] for h in hits)
    makes = {by_key[h[0]] for h in hits if h[1] == best}
    return makes.pop() if len(makes) == 1 else None


@lru_cache(maxsize=1 << 16)
def _make_of(key: str, raw: str) -> tuple[str | None, str | None]:
    """(make, problem) of one distinct make text, ``key`` being its folded form."""
    by_key, _ = _make_tables()
    solid = _make_key(key)
    if not solid:
        return None, None
    if solid in by_key:
        return by_key[solid], None
    words = _make_words(key)
    for n in range(len(words) - 1, 0, -1):  # "GLOCK 19", "WALTHER PPKS"
        if "".join(words[:n]) in by_key:
            return by_key["".join(words[:n])], None
    if not re.search(r"[^\W\d_]", raw):
        return None, f"make '{raw}' has no letters"
    make = _fuzzy_make(solid, by_key)
    return (make if make is not None else _title(raw)), None


_ROLE_PROBLEM = {
    "pattern": "'{raw}' names a pattern ({name}), not a maker: kept in `pattern`; "
    "read the factory marks for the maker",
    "importer": "'{raw}' is an importer's mark ({name}, ITI para 8(b)), not the "
    "maker: kept in `importer` and `import_country`",
    "accessory": "'{raw}' makes optics or accessories ({name}), not weapons: not a "
    "make",
}


def read_make(values: Any) -> pd.DataFrame:
    """What a make column says: the maker, or a pattern, importer or accessory brand.

    Pattern names ("Kalashnikov", "AK-47", "Kalash") are design families made in
    dozens of countries, so they fill ``pattern`` and leave the maker (and so the
    country of manufacture) unknown. Importers' marks (Century Arms, EAA, Wolf)
    fill ``importer`` and ``import_country`` (ITI para 8(b)). Optics and
    accessory brands (Nightforce, Trijicon, Aimpoint, EOTech) are not makes.
    Each of these leaves ``make`` null with a problem that says where the name
    went. Each distinct value is read once.

    Parameters
    ----------
    values : Series or sequence
        Raw make / manufacturer / brand text.

    Returns
    -------
    DataFrame
        ``make``, ``pattern``, ``importer``, ``import_country`` and ``problem``
        (strings, same index as ``values``).

    Examples
    --------
    >>> read_make(["Kalashnikov", "Century Arms", "Trijicon", "Glock"])[
    ...     ["make", "pattern", "importer", "import_country"]]
        make pattern      importer import_country
    0   <NA>      AK          <NA>           <NA>
    1   <NA>    <NA>  Century Arms            USA
    2   <NA>    <NA>          <NA>           <NA>
    3  Glock    <NA>          <NA>           <NA>
    """
    values = _series(values, "values")
    _, per_make = _make_tables()
    d = _Distinct(values)
    names = [
        (None, None) if unk else _make_of(key, " ".join(raw.split()))
        for raw, key, unk in zip(d.clean, d.keys, d.unknown, strict=True)
    ]
    columns: dict[str, list[str | None]] = {
        c: [] for c in ("make", "pattern", "importer", "import_country", "problem")
    }
    for raw, (name, problem) in zip(d.clean, names, strict=True):
        role = per_make["role"].get(name, "maker") if name is not None else None
        country = per_make["country"].get(name) if name is not None else None
        if role in _ROLE_PROBLEM:
            problem = _ROLE_PROBLEM[role].format(raw=" ".join(raw.split()), name=name)
        columns["make"].append(name if role in ("maker", "brand") else None)
        columns["pattern"].append(name if role == "pattern" else None)
        columns["importer"].append(name if role == "importer" else None)
        columns["import_country"].append(
            _blank(country) if role == "importer" else None
        )
        columns["problem"].append(problem)
    out = {}
    for column, answers in columns.items():
        vocab: dict[str, int] = {}
        out[column] = _decode(d.rows(_encode(answers, vocab)), vocab, values.index)
    return pd.DataFrame(out, index=values.index)


def normalize_make(values: Any) -> tuple[pd.Series, pd.Series]:
    """Canonical manufacturer names from the ``makes`` reference table.

    Look-up ignores case, accents, spaces and punctuation ("S&W", "smith and
    wesson", "Sig-Sauer", "H.&.R."); a make followed by a model ("GLOCK 19",
    "WALTHER PPKS") is recognised by its first words; typos are matched to the
    nearest alias within one edit (two for names of eight letters or more),
    only when that nearest alias is unique. Makes not in the table keep their
    text, title-cased, without a problem. Explicit unknowns ("INDETERMINADO",
    "não identificada", "inconnue") and "no make" words ("S/MARCA", "fab.
    caseira") become null without a problem; a value with no letter at all
    becomes null with one. Patterns, importers and accessory brands are not
    makes: null, with a problem (see :func:`read_make`, which keeps them).

    Parameters
    ----------
    values : Series or sequence
        Raw make / manufacturer / brand text.

    Returns
    -------
    make : Series of string
    problems : Series of string

    Examples
    --------
    >>> make, problems = normalize_make(
    ...     ["TAURUS", "Forjas Taurus", "China North Industries Corp", "H&K",
    ...      "GLOCK 19", "TAURAS", "não identificada", "ZORRO ARMS", "123", "AK-47"])
    >>> make.tolist()
    ['Taurus', 'Taurus', 'Norinco', 'Heckler & Koch', 'Glock', 'Taurus', <NA>,
     'Zorro Arms', <NA>, <NA>]
    >>> problems.tolist()[-2:]
    ["make '123' has no letters", "'AK-47' names a pattern (AK), not a maker: kept in
     `pattern`; read the factory marks for the maker"]
    """
    frame = read_make(values)
    return frame["make"].rename(getattr(values, "name", None)), frame["problem"]


def make_country(make: Any, year: Any = None) -> pd.Series:
    """ISO 3166-1 alpha-3 country of a canonical make (null when not in the table).

    Makers in states that no longer exist carry the historic code for the
    years before the change when ``year`` (of manufacture) is given: Izhmash /
    Kalashnikov Concern is ``SUN`` up to 1991, Zastava ``YUG`` up to 1991, Česká
    zbrojovka ``CSK`` up to 1992; East German works (Wiesa) are ``DDR``.

    Parameters
    ----------
    make : Series or sequence
        Canonical make names, as returned by :func:`normalize_make`.
    year : Series, sequence or int, optional
        Year of manufacture, aligned with ``make``.

    Returns
    -------
    Series of string

    Examples
    --------
    >>> make_country(["Taurus", "Glock", "Zastava Arms", "Zorro Arms", None]).tolist()
    ['BRA', 'AUT', 'SRB', <NA>, <NA>]
    >>> make_country(["Zastava Arms", "Kalashnikov Concern"], year=[1985, 2015])
    0    YUG
    1    RUS
    dtype: string
    """
    make = _series(make, "make")
    _, per_make = _make_tables()
    codes, uniques = factorize(make)
    table = per_make.reindex(pd.Index(uniques.astype(str).tolist()))
    countries: dict[str, int] = {}
    rows = np.append(_encode(table["country"], countries), -1)[codes]
    if year is not None:
        if np.isscalar(year):
            year = [year] * len(make)
        years = pd.to_numeric(_aligned(year, "year", len(make)), errors="coerce")
        years = years.to_numpy(dtype=float, na_value=np.nan)
        until = pd.to_numeric(table["historic_until"], errors="coerce").to_numpy(float)
        historic = np.append(_encode(table["historic_country"], countries), -1)[codes]
        old = (years <= np.append(until, np.nan)[codes]) & (historic >= 0)
        rows = np.where(old, historic, rows)
    return _decode(rows, countries, make.index).rename(make.name)


# --------------------------------------------------------------------------- model


def normalize_model(values: Any) -> tuple[pd.Series, pd.Series]:
    """Tidy model designations: trimmed, single-spaced, upper case.

    Model designators carry no meaning in their case ("ak-47" is "AK-47"), so
    the whole text is upper-cased; typographic dashes become ``-``. Explicit
    unknowns ("NÃO IDENTIFICADO", "INDETERMINADO", "OUTROS") become null.

    Returns
    -------
    model : Series of string
    problems : Series of string (always null)

    Examples
    --------
    >>> normalize_model([" ak–47 ", "M 16  A2", "NÃO IDENTIFICADO", 1911])[0].tolist()
    ['AK-47', 'M 16 A2', <NA>, '1911']
    """
    values = _series(values, "values")
    d = _Distinct(values)
    arr = pa.array(d.text.array, type=pa.large_string(), from_pandas=True)
    arr = pc.replace_substring_regex(arr, r"[\x{2010}-\x{2015}\x{2212}]", "-")
    arr = pc.replace_substring_regex(arr, r"\s+", " ")
    tidy = pc.utf8_upper(pc.utf8_trim_whitespace(arr)).to_pylist()
    models: dict[str, int] = {}
    labels = [
        None if unk or not t else t for t, unk in zip(tidy, d.unknown, strict=True)
    ]
    rows = d.rows(_encode(labels, models))
    return (
        _decode(rows, models, values.index).rename(values.name),
        _nulls(values.index),
    )
