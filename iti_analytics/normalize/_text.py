"""Text helpers shared by the normalisers: folding, explicit unknowns, unique values.

Every normaliser follows one pattern: factorize the column, work on the distinct
values only, then broadcast the answers back to the rows with ``take``. The
helpers here implement that pattern and the text folding used for look-ups
(lower case, no accents, punctuation as single spaces).
"""

from __future__ import annotations

import datetime as _dt
import numbers
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import arrow_text, series_array, single_array
from ..reference import load_reference

__all__ = [
    "fold",
    "loose_key",
    "factorize",
    "broadcast",
    "distinct_rows",
    "map_unique",
    "as_text",
    "clean_text",
    "unknown_kind",
    "null_unknowns",
    "empty_problems",
    "null_series",
]

# letters that NFKD does not decompose into a base letter plus a mark
_SPECIAL_LETTERS = {
    "ø": "o",
    "œ": "oe",
    "æ": "ae",
    "ß": "ss",
    "đ": "d",
    "ł": "l",
    "ı": "i",
    "ð": "d",
    "þ": "th",
}

#: words dropped by :func:`loose_key` (articles, prepositions, "republic of"...)
STOPWORDS = frozenset(
    "the of and et y e de du des d la le les l el los las del da do dos das "
    "republic republique republica rep state etat estado".split()
)

_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f\x{200b}\x{feff}]"


def _to_arrow(values: Iterable) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = single_array(values)
    if isinstance(values, pa.Array):
        return values
    return pa.array(values, type=pa.large_string(), from_pandas=True)


def fold(values: Iterable) -> pd.Series:
    """Fold strings into look-up keys: lower case, no accents, punctuation as spaces.

    Parameters
    ----------
    values : sequence of str
        Strings (no nulls expected; nulls stay null).

    Returns
    -------
    pandas.Series
        Keys with dtype ``string``, positionally aligned with ``values``.

    Examples
    --------
    >>> fold(["Côte d'Ivoire", "  COTE D IVOIRE ", "N/A", "Tchécoslovaquie"]).tolist()
    ['cote d ivoire', 'cote d ivoire', 'n a', 'tchecoslovaquie']
    """
    arr = _to_arrow(values)
    arr = pc.utf8_normalize(arr, "NFKD")
    # Unicode classes cost RE2 milliseconds to compile on every call, and
    # ASCII text has no marks and no letters or digits beyond [a-z0-9]
    if not _ascii(arr):
        arr = pc.replace_substring_regex(arr, r"\p{Mn}+", "")
    arr = pc.utf8_lower(arr)
    if not _ascii(arr):
        for src, dst in _SPECIAL_LETTERS.items():
            arr = pc.replace_substring(arr, src, dst)
    if _ascii(arr):
        arr = pc.replace_substring_regex(arr, r"[^a-z0-9]+", " ")
    else:
        arr = pc.replace_substring_regex(arr, r"[^\p{L}\p{N}]+", " ")
    arr = pc.utf8_trim_whitespace(arr)
    return pd.Series(pd.arrays.ArrowStringArray(arr), dtype="string")


def _ascii(arr: pa.Array) -> bool:
    """Whether every (non-null) string of ``arr`` is ASCII."""
    return pc.all(pc.string_is_ascii(arr)).as_py() is not False


def loose_key(key: str) -> str:
    """A folded key without articles and generic words, for a second look-up.

    Examples
    --------
    >>> loose_key("republique du congo"), loose_key("the gambia")
    ('congo', 'gambia')
    """
    return " ".join(w for w in key.split() if w not in STOPWORDS)


def factorize(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes (``-1`` for null) and distinct non-null values of ``values``.

    Cells that cannot be hashed (lists or dicts read from JSON) are compared by
    their text.

    Examples
    --------
    >>> codes, uniques = factorize(pd.Series(["a", None, "b", "a"]))
    >>> codes.tolist(), uniques.tolist()
    ([0, -1, 1, 0], ['a', 'b'])
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        values = values.map(
            lambda v: v if isinstance(v, (str, numbers.Number)) or v is None else str(v)
        )
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes), pd.Series(uniques, dtype=getattr(uniques, "dtype", None))


def distinct_rows(
    keys: list[pd.Series], n: int, *, most: float = 1.0
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Group codes of the rows by their values in ``keys``, and each group's first row.

    Nulls form a group; ``1``, ``1.0`` and ``True`` in an object column stay
    apart. ``(None, None)`` when grouping would not pay (more than ``most``
    of the ``n`` rows are distinct) or a cell cannot be hashed (lists read
    from JSON).

    Examples
    --------
    >>> codes, first = distinct_rows(
    ...     [pd.Series(["a", "b", "a", None]), pd.Series([1, 2, 1, 2])], 4)
    >>> codes.tolist(), first.tolist()
    ([0, 1, 0, 2], [0, 1, 3])
    """
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    for values in keys:
        try:
            parts = [_arrow_codes(values)]
            if parts[0] is None:
                codes, uniques = pd.factorize(values, use_na_sentinel=True)
                parts = [np.asarray(codes)]
            else:
                uniques = []
            if values.dtype == object and any(not isinstance(u, str) for u in uniques):
                kinds = values.map(lambda v: type(v).__name__)
                parts.append(np.asarray(pd.factorize(kinds)[0]))
        except TypeError:  # lists or dicts read from JSON
            return None, None
        for codes in parts:
            width = int(codes.max(initial=-1)) + 2
            if size * width >= 2**62:
                combined, dedup = pd.factorize(combined)
                size = len(dedup)
            combined = combined * width + (codes + 1)
            size *= width
    codes, uniques = pd.factorize(combined)
    if len(uniques) > most * n:
        return None, None
    # codes number the groups in order of appearance: a group starts where
    # the running maximum of the codes grows
    codes = np.asarray(codes, dtype=np.intp)
    top = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.concatenate([[n > 0], top[1:] > top[:-1]]))
    return codes, first


def _arrow_codes(values: pd.Series) -> np.ndarray | None:
    """``pd.factorize`` codes (``-1`` for null) of an Arrow-backed string column,
    from Arrow's dictionary encoding (the same order of appearance); None for
    other columns."""
    if not arrow_text(values.dtype):
        return None
    indices = pc.dictionary_encode(series_array(values)).indices
    return pc.fill_null(indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def broadcast(result, codes: np.ndarray, index: pd.Index, dtype=None) -> pd.Series:
    """Spread per-unique ``result`` back to the rows (code ``-1`` → null)."""
    if isinstance(result, pd.Series):
        result = result.array
    if dtype is not None and not isinstance(result, np.ndarray):
        result = pd.array(result, dtype=dtype)
    out = pd.api.extensions.take(result, codes, allow_fill=True)
    return pd.Series(out, index=index, copy=False)


def null_series(index: pd.Index, dtype: str = "string") -> pd.Series:
    """An all-null Series of ``dtype``, built without materialising a million NAs."""
    n = len(index)
    if dtype == "string":  # one immutable Arrow array per length, shared
        from ._weapon_common import _null_strings

        arr = pd.arrays.ArrowStringArray(_null_strings(n))
    elif dtype == "Int64":
        arr = pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))
    elif dtype == "Float64":
        arr = pd.arrays.FloatingArray(np.zeros(n, np.float64), np.ones(n, bool))
    elif dtype == "boolean":
        arr = pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
    elif dtype.startswith("datetime64"):
        arr = np.full(n, np.datetime64("NaT"), dtype=dtype)
    else:
        return pd.Series(pd.NA, index=index, dtype=dtype)
    return pd.Series(arr, index=index, copy=False)


def empty_problems(index: pd.Index) -> pd.Series:
    """A problems Series with no problem (all null, dtype ``string``)."""
    return null_series(index, "string")


def map_unique(
    values: pd.Series,
    func: Callable[[pd.Series], tuple],
    dtype: str,
) -> tuple[pd.Series, pd.Series]:
    """Run ``func`` on the distinct non-null values and broadcast its answer.

    ``func(uniques)`` receives the distinct values (a Series with a
    RangeIndex) and returns ``(result, problems)``, two sequences of the same
    length: the normalised value (null allowed) and the problem text (null
    when fine).
    """
    values = _as_series(values)
    codes, uniques = factorize(values)
    if len(uniques) == 0:
        return null_series(values.index, dtype), empty_problems(values.index)
    result_u, problems_u = func(uniques.reset_index(drop=True))
    if dtype.startswith("datetime64"):
        result_u = np.asarray(result_u, dtype=dtype)
    else:
        result_u = pd.array(result_u, dtype=dtype)
    problems_u = pd.array(problems_u, dtype="string")
    result = broadcast(result_u, codes, values.index)
    if problems_u.isna().all():
        return result, empty_problems(values.index)
    return result, broadcast(problems_u, codes, values.index)


def _as_series(values) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    return pd.Series(values)


def _number_text(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        if f.is_integer() and abs(f) < 1e16:
            return str(int(f))
        return repr(f)
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        ts = pd.Timestamp(v)
        if ts == ts.normalize():
            return ts.strftime("%Y-%m-%d")
        return ts.isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


def as_text(uniques: pd.Series) -> pd.Series:
    """Distinct values as text: numbers without a spurious ``.0``, dates as ISO.

    Examples
    --------
    >>> as_text(pd.Series([12.0, "ab", 3], dtype=object)).tolist()
    ['12', 'ab', '3']
    """
    if isinstance(uniques.dtype, pd.StringDtype):
        return uniques.astype("string")
    if uniques.dtype == object:
        is_str = np.fromiter(
            (isinstance(v, str) for v in uniques), dtype=bool, count=len(uniques)
        )
        if is_str.all():
            return uniques.astype("string")
        out = uniques.copy()
        out[~is_str] = [_number_text(v) for v in uniques[~is_str]]
        return out.astype("string")
    return pd.Series([_number_text(v) for v in uniques], dtype="string")


def clean_text(text: pd.Series) -> pd.Series:
    """Strip control characters, collapse whitespace and trim (vectorised).

    Examples
    --------
    >>> clean_text(pd.Series(["  Groupe\\t armé\\x07 ", "ok"])).tolist()
    ['Groupe armé', 'ok']
    """
    arr = _to_arrow(text.astype("string").array)
    needs = pc.match_substring_regex(arr, _CONTROL + r"|\s\s|^\s|\s$|[\t\n\r\f\v]")
    if pc.any(needs).as_py():
        fixed = pc.replace_substring_regex(arr, _CONTROL, "")
        fixed = pc.replace_substring_regex(fixed, r"\s+", " ")
        fixed = pc.utf8_trim_whitespace(fixed)
        arr = pc.if_else(needs, fixed, arr)
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=text.index, dtype="string")


@lru_cache(maxsize=1)
def _unknown_tokens() -> tuple[dict[str, str], frozenset[str]]:
    ref = load_reference("unknowns")
    terms = ref["term"].astype("string")
    keys = fold(terms)
    by_key = dict(zip(keys.tolist(), ref["kind"].tolist(), strict=True))
    by_key[""] = "unknown"  # punctuation only: "-", "?", "..."
    plain = set()
    for term in ref["term"]:
        plain.add(term.strip().lower())
    plain.update(["", "-", "--", "---", "?", "??", "???", ".", "..", "...", "/", "*"])
    return by_key, frozenset(plain)


def unknown_kind(text: pd.Series, *, folded: pd.Series | None = None) -> pd.Series:
    """Which distinct values are explicit unknowns: ``"unknown"``, ``"other"`` or null.

    ``"other"`` marks the catch-all words (OUTROS, autres, otros, other): they
    mean "none of the listed values", which some vocabularies can express.
    ``folded`` may pass the already folded keys of ``text``.

    Examples
    --------
    >>> unknown_kind(pd.Series(["IGNORADO", "Outros", "Brasil", "-"])).tolist()
    ['unknown', 'other', <NA>, 'unknown']
    """
    by_key, plain = _unknown_tokens()
    text = text.astype("string")
    if folded is None:
        # cheap screen: tokens are short; fold only the short candidates
        arr = _to_arrow(text.array)
        short = pc.less_equal(pc.utf8_length(arr), 24).to_numpy(zero_copy_only=False)
        out = pd.Series(pd.NA, index=text.index, dtype="string")
        if short.any():
            cand = text[short]
            keys = fold(cand.array)
            kinds = _look_up(keys, by_key)
            out[short] = kinds.to_numpy()
        return out
    return _look_up(folded, by_key).set_axis(text.index)


def _look_up(keys: pd.Series, table: dict[str, str]) -> pd.Series:
    """``keys.map(table).astype("string")``; a plain loop for the few distinct
    values a normaliser looks up (pandas turns the dict into an index first)."""
    if len(keys) > 10_000:
        return keys.map(table).astype("string")
    found = [table.get(k) if isinstance(k, str) else None for k in keys.tolist()]
    return pd.Series(pd.array(found, dtype="string"), index=keys.index, name=keys.name)


def null_unknowns(values: pd.Series) -> pd.Series:
    """Replace explicit unknowns ("inconnu", "IGNORADO", "N/A", "-", …) with null.

    The catch-all words (OUTROS, autres, otros, other) are nulled too. Other
    values are returned unchanged, as text.

    Examples
    --------
    >>> null_unknowns(
    ...     pd.Series(["Taurus", "NÃO IDENTIFICADA", " n/a ", "OUTROS"])).tolist()
    ['Taurus', <NA>, <NA>, <NA>]
    """
    values = _as_series(values)

    def _fn(uniques):
        text = as_text(uniques)
        kinds = unknown_kind(text)
        return text.where(kinds.isna(), pd.NA), [None] * len(text)

    return map_unique(values, _fn, "string")[0]
