"""Shared helpers of the weapon normalisers: distinct values, codes, lexicons."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import series_array
from ..exceptions import InvalidParameterError
from ._text import as_text, factorize, fold, unknown_kind

# --------------------------------------------------------------------------- helpers
#
# Every normaliser follows one pattern: factorize the column, answer once per
# distinct value, turn the answers into small integer codes, combine columns
# with numpy on those codes, and decode the codes to strings once at the end
# (through an Arrow dictionary array, which costs a few milliseconds a million
# rows). Strings are never copied row by row.


def _series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise InvalidParameterError(
            f"`{name}` must be one column (a Series or a list), not a DataFrame; "
            f"pass df[{name!r}]."
        )
    return pd.Series(values)


def _aligned(values: Any, name: str, n: int) -> pd.Series:
    s = _series(values, name)
    if len(s) != n:
        raise InvalidParameterError(
            f"`{name}` has {len(s)} values but `values` has {n}; pass columns of "
            "the same table."
        )
    return s


class _Distinct:
    """Distinct values of a column: row codes, text, folded keys, explicit unknowns."""

    def __init__(self, values: pd.Series):
        self.codes, uniques = factorize(values)
        self.text = as_text(uniques.reset_index(drop=True))
        #: the text with HTML entities decoded ("S&amp;W" -> "S&W"), for look-ups
        self.clean: list[str] = [
            html.unescape(t) if "&" in t else t for t in self.text.tolist()
        ]
        folded = fold(self.clean)
        self.keys: list[str] = folded.tolist()
        kinds = unknown_kind(self.text, folded=folded)
        #: "unknown" (IGNORADO, inconnu), "other" (OUTROS, autres) or None
        self.unknown_kind: list[str | None] = [
            None if k is pd.NA else k for k in kinds.tolist()
        ]
        self.unknown: list[bool] = [k is not None for k in self.unknown_kind]

    def rows(self, per_unique: np.ndarray) -> np.ndarray:
        """Spread per-unique integer codes to the rows (null rows get ``-1``)."""
        return np.append(per_unique, -1).astype(np.int32)[self.codes]


def _arrow_text(values: pd.Series) -> pa.Array:
    """A text column as an Arrow string array (no copy when Arrow-backed)."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype("string")
    return series_array(values)


def _true(mask: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null -> False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _encode(labels: Iterable, vocab: dict[str, int] | None = None) -> np.ndarray:
    """Integer code of each label in ``vocab`` (extended as needed); null -> -1."""
    vocab = {} if vocab is None else vocab
    out = [
        -1 if _blank(label) is None else vocab.setdefault(label, len(vocab))
        for label in labels
    ]
    return np.asarray(out, dtype=np.int32)


def _nulls(index: pd.Index) -> pd.Series:
    """An all-null string Series (much faster than ``pd.Series(pd.NA, ...)``)."""
    arr = _null_strings(len(index))
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False)


@lru_cache(maxsize=2)
def _null_strings(n: int) -> pa.Array:
    """``n`` null strings, built once per length: Arrow arrays are immutable, and
    a normaliser makes a dozen all-null columns (4 ms each at a million rows)."""
    return pa.nulls(n, type=pa.large_string())


def _decode(rows: np.ndarray, vocab: dict[str, int] | list[str], index) -> pd.Series:
    """String Series from integer codes (``-1`` -> null)."""
    names = list(vocab)
    if not names or not (rows >= 0).any():
        return _nulls(index)
    arr = pa.DictionaryArray.from_arrays(
        pa.array(rows, type=pa.int32(), mask=rows < 0),
        pa.array(names, type=pa.large_string()),
    ).dictionary_decode()
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False)


def _problems(
    distinct: _Distinct, bad: Iterable[bool], what: str
) -> tuple[np.ndarray, dict[str, int]]:
    """Row codes and vocabulary of "<what> '<text>'" for the distinct values flagged."""
    vocab: dict[str, int] = {}
    labels = [
        f"{what} '{text}'" if flag else None
        for text, flag in zip(distinct.text.tolist(), bad, strict=True)
    ]
    return distinct.rows(_encode(labels, vocab)), vocab


def _blank(value: Any) -> str | None:
    """Empty CSV cells become None; other values are kept."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _deplural(tok: str) -> str:
    if len(tok) >= 5 and tok.endswith("es") and not tok.endswith("ses"):
        return tok[:-2]
    if len(tok) >= 4 and tok.endswith("s") and not tok.endswith("ss"):
        return tok[:-1]
    return tok


_DESIGNATOR = re.compile(r"([a-z]+\d+)[a-z]+\d*")


class _Lexicon:
    """Phrase look-up on folded words: longest non-overlapping matches first.

    A phrase is found by its folded words (``"fusil d assaut"``) or written
    solid (``"ak47"`` matches ``AK-47``, ``AK 47``, ``ak47``); plurals and model
    suffixes (``M16A2`` → ``m16``) are tried when the exact form is absent.
    """

    def __init__(self, terms: Iterable[str], payloads: list[Any]):
        keys = fold(list(terms)).tolist()
        self.spaced: dict[str, int] = {}
        self.compact: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key:
                self.spaced.setdefault(key, i)
                self.compact.setdefault(key.replace(" ", ""), i)
        self.payloads = payloads
        self.max_n = max((len(k.split()) for k in keys if k), default=1)

    def _lookup(self, toks: list[str]) -> int | None:
        for cand in (toks, [_deplural(t) for t in toks]):
            spaced = " ".join(cand)
            if spaced in self.spaced:
                return self.spaced[spaced]
            solid = "".join(cand)
            if solid in self.compact:
                return self.compact[solid]
        if len(toks) == 1:
            m = _DESIGNATOR.fullmatch(toks[0])
            if m and m.group(1) in self.compact:
                return self.compact[m.group(1)]
        return None

    def find(self, key: str) -> list[tuple[int, int, Any]]:
        """Matches ``(start, end, payload)`` in reading order."""
        toks = key.split()
        found = []
        for i in range(len(toks)):
            for j in range(i + 1, min(len(toks), i + self.max_n) + 1):
                hit = self._lookup(toks[i:j])
                if hit is not None:
                    found.append((i, j, hit))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        chosen = []
        for i, j, hit in found:
            if taken.isdisjoint(range(i, j)):
                taken.update(range(i, j))
                chosen.append((i, j, self.payloads[hit]))
        return sorted(chosen, key=lambda m: m[0])
