"""Booleans, quantities, coordinates, years, vocabulary terms and free text.

Every function takes a raw column and returns ``(values, problems)``: the
normalised column (nullable dtype, same index) and, per cell, why a value was
dropped (null when fine). Explicit unknowns ("inconnu", "IGNORADO", "N/A",
"-", listed in ``reference/unknowns.csv``) become null without a problem.

The catch-all words OUTROS/outras, autres, otros, other are explicit unknowns
too, except in a vocabulary column whose values include ``other`` (setting,
party_type, channel, diversion_mode, category, item_kind), where they mean
``other``. Likewise an explicit unknown in a vocabulary that has an
``unknown`` value (actor_type, production) becomes ``unknown``.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import cache, lru_cache, partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import single_array
from .._validation import check_option
from ..reference import load_reference
from ..schema import VOCABULARIES
from ._text import (
    _to_arrow,
    _unknown_tokens,
    as_text,
    broadcast,
    clean_text,
    empty_problems,
    factorize,
    fold,
    map_unique,
    null_series,
    null_unknowns,
    unknown_kind,
)

__all__ = [
    "normalize_boolean",
    "normalize_quantity",
    "normalize_coordinate",
    "normalize_year",
    "normalize_vocabulary",
    "normalize_text",
    "null_unknowns",
    "EARLIEST_YEAR",
]

#: years before this are implausible (year of manufacture, import, diversion)
EARLIEST_YEAR = 1800
#: quantities above this are implausible for one record
MAX_QUANTITY = 1_000_000_000

_QUANTITY = re.compile(
    r"^(?:~|≈|\+/-|env\.?|environ|approx\.?|approximately|about|ca\.?|aprox\.?|"
    r"aproximadamente|cerca de|x)?\s*([+-]?)\s*"
    r"(\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?\s*([^\d]*)$",
    re.IGNORECASE,
)
_DECIMAL = re.compile(
    r"^([nsewo])?\s*([+-]?\d+(?:[.,]\d+)?)\s*°?\s*([nsewo])?$", re.IGNORECASE
)
_DMS = re.compile(
    r"^([nsewo])?\s*([+-]?\d+)\s*[°º:\s]\s*(\d+(?:[.,]\d+)?)\s*['′:]?\s*"
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:\"|''|″)?)?\s*([nsewo])?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(\d{4})(?:[.,]0+)?$")
_PLAIN_NUMBER = r"^\s*[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?\s*$"


def _series(values) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values)


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(
        values
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# --------------------------------------------------------------------- text


def normalize_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Free text (names, places, identifiers, notes): trimmed, one space, no controls.

    Control characters are removed, runs of whitespace become one space and
    the ends are trimmed; the text is otherwise kept as written (formula-like
    cells are neutralised only when exporting). Explicit unknowns become null.
    Numbers become text without a spurious ``.0``.

    Examples
    --------
    >>> import pandas as pd
    >>> text, problems = normalize_text(
    ...     pd.Series(["  Groupe   X ", "inconnu", 1234.0, None]))
    >>> text.tolist()
    ['Groupe X', <NA>, '1234', <NA>]
    """
    values = _series(values)
    if len(values) == 0 or values.isna().all():
        return null_series(values.index), empty_problems(values.index)
    if not _high_cardinality(values):
        if isinstance(values.dtype, pd.StringDtype):
            uniques = _distinct_text(values)
            cleaned, _ = _text_uniques(uniques)
            if cleaned.equals(uniques.astype("string")):
                return values.astype("string"), empty_problems(values.index)
            codes, uniques = factorize(values)
            cleaned, _ = _text_uniques(uniques)
            return broadcast(cleaned, codes, values.index), empty_problems(values.index)
        return map_unique(values, _text_uniques, "string")
    text = _as_text_rows(values)
    text = clean_text(text)
    unknown = _unknown_rows(text)
    if unknown.any():
        text = text.mask(unknown)
    return text, empty_problems(values.index)


def _distinct_text(values: pd.Series) -> pd.Series:
    """The distinct non-null values of a string column, in order of appearance
    (as ``factorize`` gives them; Arrow's ``unique`` when Arrow-backed)."""
    if values.dtype.storage == "pyarrow":
        arr = pa.array(values.array)
        distinct = pc.unique(arr).drop_null()
        if isinstance(distinct, pa.ChunkedArray):
            distinct = single_array(distinct)
        return pd.Series(pd.arrays.ArrowStringArray(distinct), dtype="string")
    return factorize(values)[1]


def _text_uniques(uniques: pd.Series):
    text = clean_text(as_text(uniques))
    kinds = unknown_kind(text)
    return text.where(kinds.isna(), pd.NA), [None] * len(text)


def _high_cardinality(values: pd.Series, sample: int = 5000) -> bool:
    """Whether most cells differ (then row-wise work beats factorize)."""
    if len(values) < 50_000:
        return False
    head = values.iloc[:sample]
    try:
        distinct = head.nunique(dropna=True)
    except TypeError:  # unhashable cells (lists from JSON): the per-value path
        return False
    return distinct > 0.3 * max(head.notna().sum(), 1)


def _as_text_rows(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype("string")
    if pd.api.types.is_integer_dtype(values):
        return values.astype("Int64").astype("string")
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if (whole == np.floor(whole)).all():
            return values.astype("Int64").astype("string")
        return values.astype("string")
    if values.dtype == object and pd.api.types.infer_dtype(values) in (
        "string",
        "empty",
    ):
        return values.astype("string")
    return map_unique(values, lambda u: (as_text(u), [None] * len(u)), "string")[0]


@lru_cache(maxsize=1)
def _plain_unknowns() -> pa.Array:
    """Explicit unknowns as usually written: lower, UPPER, Title and as listed."""
    _, plain = _unknown_tokens()
    ref = load_reference("unknowns")
    variants: set[str] = set(plain)
    for term in ref["term"]:
        term = term.strip()
        for v in (term, term.lower(), term.upper(), term.title(), term.capitalize()):
            variants.add(v)
    return pa.array(sorted(variants), type=pa.large_string())


def _unknown_rows(text: pd.Series) -> np.ndarray:
    """Row-wise screen for explicit unknowns, cheap enough for a million rows.

    ``text`` is already cleaned (trimmed, single spaces). Only the usual
    spellings are caught here (see :func:`_plain_unknowns`); the per-value
    path used for repetitive columns folds case and accents fully.
    """
    arr = _to_arrow(text.array)
    hit = pc.is_in(arr, value_set=_plain_unknowns())
    return hit.to_numpy(zero_copy_only=False).astype(bool) & text.notna().to_numpy()


# ------------------------------------------------------------------ booleans


@lru_cache(maxsize=1)
def _boolean_terms() -> dict[str, bool]:
    ref = load_reference("booleans")
    keys = fold(ref["term"].astype("string")).tolist()
    out = {}
    for key, term, value in zip(keys, ref["term"], ref["value"], strict=True):
        out[key or term] = value == "true"
    return out


def normalize_boolean(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no cells in EN/FR/ES/PT → nullable ``boolean``.

    Reads oui/non, sí/si/no, sim/não, yes/no, true/false, vrai/faux, 1/0 and
    ``x`` (a ticked box) in any case.

    Examples
    --------
    >>> import pandas as pd
    >>> flags, problems = normalize_boolean(
    ...     pd.Series(["oui", "NÃO", "x", 0, "N/A", "peut-être"]))
    >>> flags.tolist()
    [True, False, True, False, <NA>, <NA>]
    >>> problems.dropna().tolist()
    ["not a yes/no value 'peut-être'"]
    """
    values = _series(values)
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean"), empty_problems(values.index)
    terms = _boolean_terms()

    def _fn(uniques):
        text = clean_text(as_text(uniques))
        keys = fold(text.array)
        kinds = unknown_kind(text, folded=keys)
        out: list[bool | None] = []
        problems: list[str | None] = []
        for t, k, kind in zip(
            text.tolist(), keys.tolist(), kinds.tolist(), strict=True
        ):
            if not pd.isna(kind):
                out.append(None)
                problems.append(None)
                continue
            value = terms.get(k if k else t)
            out.append(value)
            problems.append(None if value is not None else f"not a yes/no value {t!r}")
        return out, problems

    return map_unique(values, _fn, "boolean")


# ---------------------------------------------------------------- quantities


def _judge_quantity(x: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    ok = np.isfinite(x)
    out = np.where(ok, x, np.nan)
    problems: list[str | None] = [None] * len(x)
    for i in np.flatnonzero(ok):
        v = x[i]
        if v != np.floor(v):
            problems[i] = f"not a whole number {_fmt(v)}"
        elif v <= 0:
            problems[i] = f"impossible quantity {_fmt(v)}"
        elif v > MAX_QUANTITY:
            problems[i] = f"implausible quantity {_fmt(v)}"
        else:
            continue
        out[i] = np.nan
    return out, problems


def _parse_quantity(text: str) -> float | None:
    m = _QUANTITY.match(text)
    if not m:
        return None
    sign, whole, frac, _unit = m.groups()
    whole = re.sub(r"[ .,'\u00a0\u202f]", "", whole)
    value = float(f"{whole}.{frac}" if frac else whole)
    return -value if sign == "-" else value


def normalize_quantity(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Counts of items or rounds → ``Int64``; units and thousands separators allowed.

    Reads "3", "3 pcs", "12 cartouches", "1 000", "1.000" and "1,000" (a
    group of three digits after a point or comma is a thousands separator).
    Zero, negative and fractional quantities become null with a problem.

    Examples
    --------
    >>> import pandas as pd
    >>> qty, problems = normalize_quantity(
    ...     pd.Series(["3 pcs", "1.000", "12 cartouches", "-2", "2,5", "beaucoup"]))
    >>> qty.tolist()
    [3, 1000, 12, <NA>, <NA>, <NA>]
    >>> problems.dropna().tolist()
    ['impossible quantity -2',
     'not a whole number 2.5',
     "unparseable quantity 'beaucoup'"]
    """
    values = _series(values)
    if _is_numeric(values):
        x = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        out, problems = _judge_quantity(x)
        return (
            pd.Series(pd.array(out, dtype="Float64"), index=values.index).astype(
                "Int64"
            ),
            pd.Series(pd.array(problems, dtype="string"), index=values.index),
        )

    def _fn(uniques):
        x, problems = _parse_each(uniques, _parse_quantity, "quantity")
        out, judged = _judge_quantity(x)
        problems = [p or q for p, q in zip(problems, judged, strict=True)]
        return pd.array(out, dtype="Float64").astype("Int64"), problems

    return map_unique(values, _fn, "Int64")


# --------------------------------------------------------------- coordinates


def _parse_coordinate(text: str) -> float | None:
    m = _DECIMAL.match(text)
    if m:
        pre, number, post = m.groups()
        value = float(number.replace(",", "."))
        hemi = (post or pre or "").lower()
    else:
        m = _DMS.match(text)
        if not m:
            return None
        pre, deg, minutes, seconds, post = m.groups()
        d = float(deg)
        value = abs(d) + float(minutes.replace(",", ".")) / 60
        if seconds:
            value += float(seconds.replace(",", ".")) / 3600
        value = -value if d < 0 or deg.startswith("-") else value
        hemi = (post or pre or "").lower()
    if hemi in ("s", "w", "o"):
        value = -abs(value)
    return value


def _plain_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Fast Arrow pass: floats for the cells that are plain numbers.

    Returns the values (NaN elsewhere) and a mask of the non-null cells that
    were not plain numbers, which need the slower per-value reading.
    """
    arr = _to_arrow(values.astype("string").array)
    try:  # the common case: every cell a plain number with a decimal point
        numbers = pc.cast(arr, pa.float64())
        return numbers.to_numpy(zero_copy_only=False).astype(float), np.zeros(
            len(arr), bool
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
    dotted = pc.replace_substring(arr, ",", ".")
    numbers = pc.cast(
        pc.if_else(plain, dotted, pa.scalar(None, pa.large_string())), pa.float64()
    )
    x = numbers.to_numpy(zero_copy_only=False).astype(float)
    plain_np = plain.to_numpy(zero_copy_only=False)
    rest = ~plain_np & pc.is_valid(arr).to_numpy(zero_copy_only=False)
    return x, rest


def normalize_coordinate(
    values: pd.Series, axis: str = "lat"
) -> tuple[pd.Series, pd.Series]:
    """Latitude or longitude → ``Float64`` degrees, with range checks.

    Reads decimal points or commas ("12,65"), a degree sign, hemisphere letters
    (N/S/E/W, and O for ouest/oeste) and degrees-minutes-seconds
    (``12°39'N``). Values outside ±90 (latitude) or ±180 (longitude) become
    null with a problem.

    Examples
    --------
    >>> import pandas as pd
    >>> lat, problems = normalize_coordinate(
    ...     pd.Series(["12,65", "12°30'S", "95", "?"]), "lat")
    >>> lat.tolist()
    [12.65, -12.5, <NA>, <NA>]
    >>> problems.dropna().tolist()
    ['latitude out of range 95']
    """
    check_option("axis", axis, ["lat", "lon"])
    limit, name = (90.0, "latitude") if axis == "lat" else (180.0, "longitude")
    values = _series(values)
    problems = empty_problems(values.index)
    if _is_numeric(values):
        x = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan).copy()
    else:
        x, rest = _plain_numbers(values)
        if rest.any():
            sub, sub_problems = map_unique(
                values[rest], partial(_coordinates_of, name=name), "Float64"
            )
            x[rest] = sub.to_numpy(dtype=float, na_value=np.nan)
            problems[rest] = sub_problems.to_numpy()
    x[~np.isfinite(x)] = np.nan
    bad = np.abs(np.nan_to_num(x)) > limit
    if bad.any():
        problems[bad] = [f"{name} out of range {_fmt(v)}" for v in x[bad]]
        x[bad] = np.nan
    return pd.Series(pd.array(x, dtype="Float64"), index=values.index), problems


def _coordinates_of(uniques: pd.Series, name: str):
    return _parse_each(uniques, _parse_coordinate, name)


def _parse_each(uniques: pd.Series, parse, name: str):
    """Parse distinct texts into floats; explicit unknowns stay NaN silently.

    Returns the values and one problem per text ("unparseable quantity '3x'").
    """
    text = clean_text(as_text(uniques))
    unknown = unknown_kind(text).notna().tolist()
    x = np.full(len(text), np.nan)
    problems: list[str | None] = [None] * len(text)
    for i, t in enumerate(text.tolist()):
        if unknown[i]:
            continue
        v = parse(t)
        if v is None:
            problems[i] = f"unparseable {name} {t!r}"
        else:
            x[i] = v
    return x, problems


# --------------------------------------------------------------------- years


def normalize_year(
    values: pd.Series, *, label: str = "year", earliest: int = EARLIEST_YEAR
) -> tuple[pd.Series, pd.Series]:
    """Years (of manufacture, import, diversion) → ``Int64``, with plausibility checks.

    Reads ``1985``, ``1985.0`` and full dates (their year). Years before
    ``earliest`` or after the current year become null with a problem.

    Parameters
    ----------
    values : pandas.Series
        Raw cells.
    label : str, default "year"
        What the year is, for the problem text ("year of manufacture").
    earliest : int, default 1800
        First plausible year.

    Examples
    --------
    >>> import pandas as pd
    >>> years, problems = normalize_year(
    ...     pd.Series(["1985", 1990.0, "2099", "15/03/2011", "inconnue"]),
    ...     label="year of manufacture")
    >>> years.tolist()
    [1985, 1990, <NA>, 2011, <NA>]
    >>> problems.dropna().tolist()
    ['implausible year of manufacture 2099 (in the future)']
    """
    values = _series(values)
    latest = _dt.date.today().year

    def _judge(x: np.ndarray, problems: list[str | None]):
        for i in np.flatnonzero(np.isfinite(x)):
            v = x[i]
            if v != np.floor(v):
                problems[i] = f"unparseable {label} {_fmt(v)!r}"
            elif v > latest:
                problems[i] = f"implausible {label} {_fmt(v)} (in the future)"
            elif v < earliest:
                problems[i] = f"implausible {label} {_fmt(v)} (before {earliest})"
            else:
                continue
            x[i] = np.nan
        return x, problems

    if _is_numeric(values):
        x = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan).copy()
        x[~np.isfinite(x)] = np.nan
        ok = np.isfinite(x)
        bad = ok & ((x != np.floor(np.nan_to_num(x))) | (x > latest) | (x < earliest))
        problems = empty_problems(values.index)
        if bad.any():
            sub, probs = _judge(x[bad].copy(), [None] * int(bad.sum()))
            problems[bad] = probs
            x[bad] = np.nan
        return (
            pd.Series(pd.array(x, dtype="Float64"), index=values.index).astype("Int64"),
            problems,
        )

    def _fn(uniques):
        from .dates import normalize_date

        text = clean_text(as_text(uniques))
        unknown = unknown_kind(text).notna().tolist()
        words = text.tolist()
        x = np.full(len(text), np.nan)
        problems: list[str | None] = [None] * len(text)
        rest = []
        for i, t in enumerate(words):
            if unknown[i]:
                continue
            m = _YEAR.match(t)
            if m:
                x[i] = float(m[1])
            else:
                rest.append(i)
        if rest:
            dates, _ = normalize_date(text.iloc[rest].reset_index(drop=True))
            years = dates.dt.year.to_numpy(dtype=float, na_value=np.nan)
            for j, i in enumerate(rest):
                if np.isnan(years[j]):
                    problems[i] = f"unparseable {label} {words[i]!r}"
                else:
                    x[i] = years[j]
        x, problems = _judge(x, problems)
        return pd.array(x, dtype="Float64").astype("Int64"), problems

    return map_unique(values, _fn, "Int64")


# ---------------------------------------------------------------- vocabulary

_NEGATIONS = frozenset("non not no nao sin sem sans pas nunca never jamais".split())


@cache
def _vocabulary(table: str, column: str) -> tuple[dict[str, str], re.Pattern | None]:
    allowed = VOCABULARIES[(table, column)]
    ref = load_reference("vocabulary")
    ref = ref[(ref["table"] == table) & (ref["column"] == column)]
    terms = list(allowed) + ref["term"].tolist()
    targets = list(allowed) + ref["value"].tolist()
    keys = fold(pd.Series(terms, dtype="string")).tolist()
    lookup: dict[str, str] = {}
    for key, value in zip(keys, targets, strict=True):
        if key:
            lookup.setdefault(key, value)
    phrases = sorted((k for k in lookup if len(k) >= 4), key=len, reverse=True)
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")
        if phrases
        else None
    )
    return lookup, pattern


def normalize_vocabulary(
    values: pd.Series, table: str, column: str
) -> tuple[pd.Series, pd.Series]:
    """Terms in EN/FR/ES/PT → the canonical vocabulary of ``table.column``.

    The terms are in ``reference/vocabulary.csv`` (columns table, column,
    term, value); canonical values pass through. A cell that is not a known
    term but contains exactly one (and no negation) is read as that term
    ("saisie lors d'un contrôle" → ``seized``). Anything else is null with a
    problem naming the allowed values.

    Parameters
    ----------
    values : pandas.Series
        Raw cells.
    table, column : str
        A vocabulary column of the schema, e.g. ``("items", "status")``.

    Examples
    --------
    >>> import pandas as pd
    >>> status, problems = normalize_vocabulary(
    ...     pd.Series(["saisie", "Apreendida", "remise volontaire", "roubada",
    ...                "confit"]),
    ...     "items", "status")
    >>> status.tolist()
    ['seized', 'seized', 'surrendered', 'stolen', <NA>]
    >>> print(problems.dropna().iloc[0])
    unknown status 'confit' (allowed: seized, found, surrendered, captured, lost,
    stolen)
    """
    key = (table, column)
    if key not in VOCABULARIES:
        check_option("table, column", key, list(VOCABULARIES))
    allowed = VOCABULARIES[key]
    lookup, pattern = _vocabulary(table, column)
    other = "other" if "other" in allowed else None
    unknown = "unknown" if "unknown" in allowed else None
    allowed_text = ", ".join(allowed)

    def _fn(uniques):
        text = clean_text(as_text(uniques))
        keys = fold(text.array)
        kinds = unknown_kind(text, folded=keys)
        out: list[str | None] = []
        problems: list[str | None] = []
        for t, k, kind in zip(
            text.tolist(), keys.tolist(), kinds.tolist(), strict=True
        ):
            value = lookup.get(k)
            if value is None and not pd.isna(kind):
                out.append(other if kind == "other" else unknown)
                problems.append(None)
                continue
            if (
                value is None
                and pattern is not None
                and not set(k.split()) & _NEGATIONS
            ):
                found = {lookup[m] for m in pattern.findall(k)}
                if len(found) == 1:
                    value = found.pop()
            out.append(value)
            problems.append(
                None
                if value is not None
                else f"unknown {column} {t!r} (allowed: {allowed_text})"
            )
        return out, problems

    return map_unique(values, _fn, "string")
