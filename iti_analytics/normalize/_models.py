"""The model table: a model designation → maker, pattern, country, category, calibre."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..reference import load_reference
from ._weapon_common import _aligned, _blank, _series

__all__ = ["model_info", "MODEL_COLUMNS"]

#: columns :func:`model_info` returns
MODEL_COLUMNS = (
    "model_name",
    "maker",
    "pattern",
    "country",
    "category",
    "calibre",
    "first_year",
    "last_year",
)
#: a model alias this short, or without a letter ("17", "82"), needs the make
_MIN_BARE = 3


def _key(text: str) -> str:
    """Comparison key of a model: upper case, no accents, letters and digits only."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    return re.sub(r"[^0-9A-Z]+", "", text)


def _needs_make(key: str) -> bool:
    return len(key) < _MIN_BARE or not re.search(r"[A-Z]", key)


@lru_cache(maxsize=1)
def _table() -> tuple[pd.DataFrame, dict[str, list[int]]]:
    ref = load_reference("models")
    by_key: dict[str, list[int]] = {}
    for row, (model, aliases) in enumerate(
        zip(ref["model"], ref["aliases"].fillna(""), strict=True)
    ):
        for alias in {model, *aliases.split(";")}:
            key = _key(alias)
            if key and row not in by_key.setdefault(key, []):
                by_key[key].append(row)
    return ref, by_key


def _candidates(key: str, by_key: dict[str, list[int]]) -> tuple[list[int], str]:
    """Rows whose alias is the key, else the longest alias the key starts with.

    "PT 100 AF" starts with the alias "PT100"; "PT 1000" does not (a digit
    follows). Returns the rows and the alias key that matched.
    """
    if key in by_key:
        return by_key[key], key
    for end in range(len(key) - 1, _MIN_BARE - 1, -1):
        head = key[:end]
        if head in by_key and not (head[-1].isdigit() and key[end].isdigit()):
            return by_key[head], head
    return [], ""


def _lookup(model: str, make: str | None) -> int:
    """Row of the model table for one (model, canonical make) pair, or -1."""
    ref, by_key = _table()
    key = _key(model)
    if not key:
        return -1
    rows, alias = _candidates(key, by_key)
    if not rows:
        return -1
    makers = [_blank(ref["maker"].iat[r]) for r in rows]
    if make is not None:
        own = [r for r, m in zip(rows, makers, strict=True) if m == make]
        generic = [r for r, m in zip(rows, makers, strict=True) if m is None]
        rows = own or generic
    elif _needs_make(alias):
        return -1
    return rows[0] if len(rows) == 1 else -1


def model_info(models: Any, *, make: Any = None) -> pd.DataFrame:
    """What the model table says about each model designation.

    The table (``reference/models.csv``, over 400 models from open references:
    Small Arms Survey, Conflict Armament Research, ARES, makers' catalogues)
    gives the maker when the designation establishes it ("Glock 17",
    "PT 100", "M70"), else only the pattern and, when the designation is a
    state's ("Type 56" is Chinese), the country. Look-up ignores case, spaces
    and punctuation, and accepts a designation followed by more text
    ("PT 58 HC PLUS" is a PT 58). Bare numbers and short aliases ("17", "82")
    are read only with the make, and a model of another maker is not matched.

    Parameters
    ----------
    models : Series or sequence
        Model designations as written.
    make : Series or sequence, optional
        The make of each row (canonical or as written).

    Returns
    -------
    DataFrame
        Columns ``model_name``, ``maker``, ``pattern``, ``country``,
        ``category``, ``calibre`` (strings), ``first_year`` and ``last_year``
        (Int64); null where the model is not in the table.

    Examples
    --------
    >>> model_info(["Type 56", "PT 100 AF", "17", "AK-47"],
    ...            make=[None, "TAURUS", "Glock", "Norinco"])[
    ...     ["maker", "pattern", "country", "calibre"]]
        maker     pattern country     calibre
    0    <NA>          AK     CHN   7.62x39mm
    1  Taurus  Beretta 92     BRA     .40 S&W
    2   Glock        <NA>     AUT     9x19mm
    3    <NA>          AK    <NA>   7.62x39mm
    """
    from ._makes import read_make

    models = _series(models, "models")
    index = models.index
    model_codes, model_values = pd.factorize(models, use_na_sentinel=True)
    model_text = [str(m) for m in model_values]
    if make is not None:
        raw_make = _aligned(make, "make", len(models)).reset_index(drop=True)
        make_codes, make_values = pd.factorize(raw_make, use_na_sentinel=True)
        canonical = read_make(pd.Series(make_values, dtype=object))["make"].tolist()
    else:
        make_codes = np.full(len(models), -1, dtype=np.int64)
        canonical = []
    # each distinct (model, make) pair is looked up once
    key = model_codes.astype(np.int64) * (len(canonical) + 1) + (make_codes + 1)
    # pairs numbered in order of appearance (a hash, not a sort of every row):
    # a pair's first row is where the running maximum of the numbers grows
    inverse, _ = pd.factorize(key)
    top = np.maximum.accumulate(inverse) if len(inverse) else inverse
    first = np.flatnonzero(np.concatenate([[len(inverse) > 0], top[1:] > top[:-1]]))
    per_pair = np.array(
        [
            -1
            if model_codes[i] < 0
            else _lookup(
                model_text[model_codes[i]],
                None
                if make_codes[i] < 0 or pd.isna(canonical[make_codes[i]])
                else canonical[make_codes[i]],
            )
            for i in first
        ],
        dtype=np.int64,
    )
    rows = per_pair[inverse.ravel()]
    ref, _ = _table()
    out = {}
    for column, source in (
        ("model_name", "model"),
        ("maker", "maker"),
        ("pattern", "pattern"),
        ("country", "country"),
        ("category", "category"),
        ("calibre", "calibre"),
    ):
        values = pd.array(ref[source].map(_blank).tolist(), dtype="string")
        out[column] = pd.Series(values.take(rows, allow_fill=True), index=index)
    for column in ("first_year", "last_year"):
        years = pd.array(pd.to_numeric(ref[column], errors="coerce"), dtype="Int64")
        out[column] = pd.Series(years.take(rows, allow_fill=True), index=index)
    return pd.DataFrame(out, index=index)
