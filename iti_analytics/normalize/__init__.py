"""Normalisation: raw cells from any agency → the canonical tables, with issues.

:func:`normalize_table` is the one entry point the readers use. It sends each
canonical column to its column normaliser (countries, dates, booleans,
quantities, vocabularies, weapons…), fills the derived columns (``serial_raw``,
``serial_status``, ``country_of_manufacture`` inferred from the make) and
collects one issue row per cell that could not be read. Every normaliser works
on the distinct values of a column and broadcasts the answers back, so a
million rows cost little more than the few thousand values they repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import series_array
from .._parallel import in_background
from .._validation import check_option
from ..exceptions import InvalidParameterError
from ..schema import (
    ID_COLUMNS,
    LOAD_ISSUE_COLUMNS,
    SCHEMA,
    TABLES,
    columns_of_kind,
    conform,
)
from ._identify import (
    _NOT_STAGED,
    _OUT_KEYS,
    _RAW_KEYS,
    _Collected,
    _spread,
    identify_fields,
    identify_given,
    identify_owner,
)
from ._references import load_references
from ._text import (
    as_text,
    distinct_rows,
    map_unique,
    null_series,
    null_unknowns,
)
from .countries import normalize_country, normalize_country_list, normalize_place
from .dates import _DateColumn, _infer, infer_dayfirst, normalize_date
from .values import (
    normalize_boolean,
    normalize_coordinate,
    normalize_quantity,
    normalize_text,
    normalize_vocabulary,
    normalize_year,
)
from .weapons import (
    calibre_kind,
    decode_headstamp,
    decode_marking,
    fold_serial_script,
    identify_items,
    infer_item_kind,
    make_country,
    model_info,
    normalize_calibre,
    normalize_category,
    normalize_make,
    normalize_model,
    normalize_owner,
    normalize_production,
    normalize_serial,
    read_make,
    same_chamber,
    weapon_class,
)

__all__ = [
    "normalize_table",
    "normalize_country",
    "normalize_country_list",
    "normalize_place",
    "normalize_date",
    "infer_dayfirst",
    "normalize_boolean",
    "normalize_quantity",
    "normalize_coordinate",
    "normalize_year",
    "normalize_vocabulary",
    "normalize_text",
    "null_unknowns",
    "as_text",
    "normalize_category",
    "infer_item_kind",
    "normalize_make",
    "make_country",
    "normalize_model",
    "normalize_calibre",
    "normalize_serial",
    "normalize_production",
    "read_make",
    "model_info",
    "normalize_owner",
    "weapon_class",
    "same_chamber",
    "calibre_kind",
    "decode_marking",
    "decode_headstamp",
    "fold_serial_script",
    "ISSUE_COLUMNS",
    "load_references",
]

#: columns of the ``issues`` table
ISSUE_COLUMNS = list(LOAD_ISSUE_COLUMNS)

#: share of distinct admin1 values that must be known subdivisions before the
#: column is read as ISO 3166-2 codes (otherwise it stays as cleaned text)
ADMIN1_CODE_SHARE = 0.5


def _party(values: pd.Series) -> tuple[pd.Series, None]:
    """A country's ISO3 code when it names one, else the cleaned name."""
    iso3, _ = normalize_country(values, fuzzy=False)
    text, _ = normalize_text(values)
    return iso3.fillna(text), None


#: column kind (``schema.KINDS``) -> normaliser of one column:
#: ``f(values, table, column) -> (normalised, problems)``. The table's id,
#: dates, subdivisions and the weapon columns of items are read apart (ids as
#: written, dates together, subdivisions with the country, weapons together).
_NORMALIZERS: dict[str, Callable[..., tuple[pd.Series, Any]]] = {
    "vocabulary": lambda v, t, c: normalize_vocabulary(v, t, c.name),
    "country": lambda v, t, c: normalize_country(v),
    "country_list": lambda v, t, c: normalize_country_list(v),
    "place": lambda v, t, c: normalize_place(v),
    "party": lambda v, t, c: _party(v),
    "coordinate": lambda v, t, c: normalize_coordinate(v, c.name),
    "year": lambda v, t, c: normalize_year(v, label=c.label),
    "count": lambda v, t, c: normalize_quantity(v),
    "flag": lambda v, t, c: normalize_boolean(v),
}
_READ_APART = {"id", "date", "subdivision"}
#: weapon columns read apart from the others (serials are nearly all distinct)
_SERIAL_COLUMNS = ("serial", "serial_raw", "serial_status")
#: rows whose combinations are counted first, on a large table, before grouping
#: all of them (a table whose first rows are mostly distinct is read row by row)
_GROUP_SAMPLE = 100_000
#: the largest share of distinct combinations at which grouping pays: of all
#: the fields the weapon pass reads, then of the weapon cells alone (staged)
_FULL_MOST = 0.5
_STAGED_MOST = 0.5
#: raw columns the weapon pass only tests for (their cells are quoted in issues)
_WEAPON_QUOTED = ("year_of_manufacture", "country_of_manufacture")


def _weapon_columns(table: str) -> set[str]:
    """Columns the weapon normaliser reads together (items only)."""
    if table != "items":
        return set()
    return {c.name for c in SCHEMA[table].columns if c.weapon}


class _Issues:
    """Collects cell problems per column and builds the ``issues`` frame."""

    def __init__(self, raw: pd.DataFrame, ids: pd.Series | None, columns: list[str]):
        self.raw = raw
        self.ids = ids
        self.position = {c: i for i, c in enumerate(columns)}
        self.parts: list[tuple[str, np.ndarray, pd.Series, pd.Series]] = []

    def add(self, column: str, problems: pd.Series | None, raw_values=None) -> None:
        if problems is None:
            return
        mask = problems.notna().to_numpy(dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        if raw_values is None:
            raw_values = self.raw[column]
        self.parts.append((column, rows, problems.iloc[rows], raw_values.iloc[rows]))

    def add_spread(
        self,
        column: str,
        problems: pd.Series | None,
        codes: np.ndarray,
        raw_values: pd.Series | None = None,
    ) -> None:
        """:meth:`add` for problems found once per group of rows (``codes``).

        The same as ``add(column, problems.take(codes), raw_values.take(codes))``
        without spreading the problems over every row.
        """
        if problems is None:
            return
        hit = problems.notna().to_numpy(dtype=bool)
        if not hit.any():
            return
        rows = np.flatnonzero(hit[codes])
        if not len(rows):
            return
        group = codes[rows]
        if raw_values is None:
            raw_values = self.raw[column].iloc[rows]
        else:
            raw_values = _group_text(_original_text(raw_values), group)
        self.parts.append((column, rows, _group_text(problems, group), raw_values))

    def add_collected(self, found: _Collected, codes: np.ndarray) -> None:
        """:meth:`add_spread` of every problem ``found`` on one row per group."""
        for column, problems, raw_values in found.parts:
            self.add_spread(column, problems, codes, raw_values)

    def _ids(self, rows: np.ndarray) -> pd.Series:
        if self.ids is None:
            return pd.Series(self.raw.index[rows].astype(str), dtype="string")
        ids = _original_text(self.ids)
        if isinstance(ids.array, pd.arrays.ArrowStringArray):  # Arrow's take
            taken = _decode(pa.array(rows), series_array(ids))
            ids = pd.Series(taken, dtype=ids.dtype)
        else:
            ids = ids.iloc[rows].reset_index(drop=True)
        missing = ids.isna().to_numpy(dtype=bool)
        if missing.any():  # the index label names the rows without an id
            labels = self.raw.index[rows[missing]].astype(str)
            ids = ids.copy()
            ids[missing] = pd.array(labels, dtype="string")
        return ids

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {c: pd.Series([], dtype="string") for c in ISSUE_COLUMNS}
            )
        rows = np.concatenate([p[1] for p in self.parts])
        order = np.concatenate(
            [
                np.full(len(p[1]), self.position.get(p[0], 999), dtype=np.int32)
                for p in self.parts
            ]
        )
        part = np.concatenate(
            [np.full(len(p[1]), i, dtype=np.int32) for i, p in enumerate(self.parts)]
        )
        # by row, then column, then in the order found; each column's text is
        # put in that order once (one dictionary decoded, not a take per part)
        by_row = np.lexsort((part, order, rows))
        names = list(dict.fromkeys(p[0] for p in self.parts))  # a column may repeat
        which = np.array([names.index(p[0]) for p in self.parts], dtype=np.int32)
        columns = _decode(
            pa.array(which[part[by_row]]), pa.array(names, type=pa.large_string())
        )
        raw_values = [_issue_text(p[3], raw=True) for p in self.parts]
        problems = [_issue_text(p[2]) for p in self.parts]
        # the problems (the longest text) are put in order on the second core
        # meanwhile: Arrow's take releases the GIL, and the frame is the last
        # step of a load, when the other helpers are done
        problem = in_background(_sorted_text, problems, by_row, rows=len(by_row))
        return pd.DataFrame(
            {
                "record_id": self._ids(rows[by_row]),
                "column": columns,
                "raw_value": _sorted_text(raw_values, by_row),
                "problem": problem.result(),
            }
        )


def _issue_text(values: pd.Series, *, raw: bool = False) -> pa.Array:
    """One part of an issues column as Arrow text, dictionary-encoded as given.

    The problems of a rule (``_identify._problem_rows``) and the texts found
    once per group (:meth:`_Issues.add_spread`) come as a dictionary: they
    are decoded once, in the issues' order, not per part. ``raw=True``: the
    cells as written (:func:`_original_text`; a dictionary is already text).
    """
    if _is_dictionary(values):
        return series_array(values)
    return series_array(_original_text(values) if raw else values.astype("string"))


def _is_dictionary(values: pd.Series) -> bool:
    """Whether ``values`` is backed by an Arrow dictionary array."""
    dtype = values.dtype
    return isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(
        dtype.pyarrow_dtype
    )


def _group_text(values: pd.Series, group: np.ndarray) -> pd.Series:
    """Text found once per group (``values``) on rows of the groups ``group``:
    an Arrow dictionary of the groups' texts, decoded once by the issues frame."""
    if _is_dictionary(values):
        words = series_array(values)
        indices = words.indices.take(pa.array(group))
        words = words.dictionary
    else:
        words = series_array(values.astype("string"))
        indices = pa.array(group.astype(np.int64))
    text = pa.DictionaryArray.from_arrays(indices, words.cast(pa.large_string()))
    return pd.Series(pd.arrays.ArrowExtensionArray(text))


def _sorted_text(
    parts: list[pa.Array], order: np.ndarray
) -> pd.arrays.ArrowStringArray:
    """Text ``parts`` put end to end, then in the order ``order``.

    Row codes into one dictionary of the parts' texts (a dictionary part adds
    its few words, a plain part its values), decoded once.
    """
    codes, words, offset = [], [], 0
    for arr in parts:
        if pa.types.is_dictionary(arr.type):
            part = pc.fill_null(arr.indices, -1).to_numpy(zero_copy_only=False)
            part = np.where(part < 0, -1, part.astype(np.int64) + offset)
            arr = arr.dictionary
        else:
            part = np.arange(offset, offset + len(arr), dtype=np.int64)
        codes.append(part)
        words.append(arr.cast(pa.large_string()))
        offset += len(arr)
    rows = np.concatenate(codes)[order]
    nulls = rows < 0
    # int32 codes without a mask when none is null: Arrow reads them in place
    width = np.int32 if offset < 2**31 else np.int64
    index = pa.array(rows.astype(width), mask=nulls if nulls.any() else None)
    return _decode(index, pa.concat_arrays(words))


#: rows of text decoded at a time: Arrow grows the buffer of one large decode
#: up to twice its size, and on a machine where fresh memory is dear (a VM
#: that hands freed pages back to its host) those pages cost more than the copy
_DECODE_ROWS = 1 << 17


def _decode(index: pa.Array, words: pa.Array) -> pd.arrays.ArrowStringArray:
    """``words`` taken at ``index`` (null: null), in chunks of ``_DECODE_ROWS``."""
    chunks = [
        pc.take(words, index.slice(start, _DECODE_ROWS))
        for start in range(0, len(index), _DECODE_ROWS)
    ]
    return pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=words.type))


def _issue_ids(raw: pd.DataFrame, table: str) -> pd.Series | None:
    """The raw column that names records in ``issues`` (None: use the index).

    The table's own id (``record_id`` for items, ``trace_id``, ``actor_id``,
    ``movement_id``), else ``record_id``, else the index label.
    """
    for column in (ID_COLUMNS[table], "record_id"):
        if column in raw.columns:
            return raw[column]
    return None


def _normalize_weapons(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    issues: _Issues,
    serials: Future | None = None,
    *,
    staged: bool = False,
) -> None:
    """Category, item kind, make, model, calibre, serial, production; COM inference.

    The weapon normalisers (``weapons.py``) read explicit unknowns themselves.
    ``staged=True`` leaves the serial columns and the country of manufacture
    inferred from the make (the staged pass, :func:`_staged`, reads them apart).
    """
    present = {c for c in _weapon_columns("items") if c in raw.columns}
    if not present and "country_of_manufacture" not in raw.columns:
        return
    index = raw.index
    if "make" in present:
        out["make"], p = normalize_make(raw["make"])
        issues.add("make", _aligned(p, index))
    category_raw = raw["category"] if "category" in raw.columns else None
    if category_raw is not None:
        # the model fills a missing category (with the make: "Zastava M72" is a
        # machine gun, a bare "M72" the LAW), except on ammunition and parts
        out["category"], p = normalize_category(
            category_raw,
            model=raw["model"] if "model" in raw.columns else None,
            make=out.get("make"),
            kind=raw["item_kind"] if "item_kind" in present else None,
        )
        issues.add("category", _aligned(p, index))
    if "item_kind" in present or category_raw is not None:
        out["item_kind"], p = infer_item_kind(
            raw["item_kind"] if "item_kind" in present else None,
            out.get("category"),
            category_raw,
        )
        if "item_kind" in present:
            issues.add("item_kind", _aligned(p, index))
    if "model" in present:
        out["model"], p = normalize_model(raw["model"])
        issues.add("model", _aligned(p, index))
    if "calibre" in present:
        out["calibre"], p = normalize_calibre(
            raw["calibre"],
            category=out.get("category"),
            model=raw.get("model"),
            make=raw.get("make"),
        )
        issues.add("calibre", _aligned(p, index))
    if not staged:
        _normalize_serials(raw, out, issues, serials)
    if "production" in present or category_raw is not None:
        production = raw["production"] if "production" in present else None
        out["production"], p = normalize_production(
            production, category_raw=category_raw
        )
        if production is not None:
            issues.add("production", _aligned(p, index))
    if not staged:
        _infer_country_of_manufacture(raw, out)


def _read_serials(raw: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    """The original serial text and :func:`normalize_serial` of it.

    ``serial_raw`` first when a canonical table comes back, then ``serial``.
    """
    original = None
    if "serial_raw" in raw.columns:
        original = _original_text(raw["serial_raw"])
    if "serial" in raw.columns:
        text = _original_text(raw["serial"])
        original = text if original is None else original.fillna(text)
    return original, *normalize_serial(original)


def _normalize_serials(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    issues: _Issues,
    serials: Future | None = None,
) -> None:
    """``serial``, ``serial_status`` and ``serial_raw``: on their own, row by row.

    They depend on no other field, and serials are nearly all distinct, so
    :func:`_weapons` reads them apart from the other weapon columns (on a large
    table, ``serials`` is :func:`_read_serials` started ahead in a helper thread).
    """
    index = raw.index
    present = set(_SERIAL_COLUMNS).intersection(raw.columns)
    if "serial" in present or "serial_raw" in present:
        if serials is None:
            serials = in_background(_read_serials, raw, rows=0)
        original, frame, p = serials.result()
        out["serial"] = frame["serial"].astype("string")
        out["serial_status"] = frame["serial_status"].astype("string")
        out["serial_raw"] = original
        issues.add("serial", _aligned(p, index), raw_values=original)
    if "serial_status" in present:
        # a status the source states outright wins over the one read from the text
        given, p = normalize_vocabulary(raw["serial_status"], "items", "serial_status")
        issues.add("serial_status", p)
        computed = out.get("serial_status")
        out["serial_status"] = given if computed is None else given.fillna(computed)


def _weapons(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    issues: _Issues,
    serials: Future | None = None,
) -> None:
    """The weapon columns of items, once per distinct combination of their inputs.

    :func:`_normalize_weapons` and :func:`identify_items` read each row from
    its own cells only (the raw weapon columns, the headstamp and the
    normalised columns in ``_OUT_KEYS``). A police export of a million rows
    holds a few thousand combinations of them: they are read once each and
    the columns and issues spread back to the rows. Serials and owners,
    nearly all distinct, are read apart on every row. When most rows are
    distinct (on a large table, judged first on its first ``_GROUP_SAMPLE``
    rows), the weapon cells alone may still repeat: :func:`_staged` reads
    them once per combination and the few rules that also read the year and
    country of manufacture on every row. Else (or when a cell cannot be
    hashed) every row is read as is.
    """
    index = raw.index
    weapon = _weapon_columns("items")
    read = [
        c
        for c in raw.columns
        if (c in weapon and c not in _SERIAL_COLUMNS) or c in _RAW_KEYS
    ]
    quoted = [c for c in _WEAPON_QUOTED if c in raw.columns and c not in read]
    given = [c for c in _OUT_KEYS if c in out]
    codes = first = None
    if read or given:
        keys = [raw[c] for c in read] + [out[c] for c in given]
        codes, first = _groups(keys, len(index), _FULL_MOST)
    if codes is None:
        if _staged(raw, out, issues, read, serials):
            return
        _normalize_weapons(raw, out, issues, serials)
        identify_items(raw, out, issues)
        return
    sub_raw = raw[read].take(first)
    for column in quoted:  # tested for, and quoted from ``raw`` in issues
        sub_raw[column] = pd.NA
    sub_out = {c: out[c].take(first) for c in given}
    before = dict(sub_out)
    found = _Collected()
    _normalize_weapons(sub_raw, sub_out, found)
    identify_items(sub_raw, sub_out, found)
    for column, values in sub_out.items():
        if before.get(column) is not values:
            out[column] = _spread(values, codes, index)
    issues.add_collected(found, codes)
    _normalize_serials(raw, out, issues, serials)
    identify_owner(raw, out)


def _groups(
    keys: list[pd.Series], n: int, most: float
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``distinct_rows(keys, n, most=most)``, judged first on the first
    ``_GROUP_SAMPLE`` rows of a large table."""
    head = _GROUP_SAMPLE if n > 2 * _GROUP_SAMPLE else 0
    if head:
        sample = distinct_rows([k.iloc[:head] for k in keys], head, most=most)
        if sample[0] is None:
            return None, None  # the first rows are already mostly distinct
    return distinct_rows(keys, n, most=most)


def _staged(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    issues: _Issues,
    read: list[str],
    serials: Future | None = None,
) -> bool:
    """The weapon pass in two stages; False (nothing done) when it would not pay.

    When the year and country of manufacture make most rows distinct, the
    weapon cells alone (``read``, without the flag of an inferred country)
    may still repeat. Stage one reads them once per combination: the weapon
    normalisers and the rules between weapon fields
    (:func:`identify_fields`). Stage two reads what also depends on the other
    fields: the pattern and importer fills on every row, then the country of
    manufacture inferred from the make (:func:`_infer_country_of_manufacture`)
    and the rules of :func:`identify_given`, once per combination of make,
    model, country and year of manufacture (:func:`_second_stage`). Serials
    and owners are read apart. The result is the one-stage reading's.
    """
    cells = [c for c in read if c != "country_of_manufacture_inferred"]
    if not cells or any(c in raw.columns for c in _NOT_STAGED):
        return False
    index = raw.index
    # no sample first: the weapon cells of random rows repeat more and more
    # as the table grows (a tenth of the rows can still be mostly distinct)
    codes, first = distinct_rows([raw[c] for c in cells], len(index), most=_STAGED_MOST)
    if codes is None:
        return False
    sub_raw = raw[cells].take(first)
    sub_out: dict[str, pd.Series] = {}
    found = _Collected()
    _normalize_weapons(sub_raw, sub_out, found, staged=True)
    normalized = dict(sub_out)  # the make before the model fills it
    later = identify_fields(sub_raw, sub_out, found)
    issues.add_collected(found, codes)
    _normalize_serials(raw, out, issues, serials)
    for column, values in sub_out.items():
        out[column] = _spread(values, codes, index)
    identify_given(raw, out, issues, later, codes, rules=False)
    _second_stage(raw, out, issues, sub_raw, codes, normalized.get("make"), later)
    identify_owner(raw, out)
    return True


def _second_stage(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    issues: _Issues,
    sub_raw: pd.DataFrame,
    codes: np.ndarray,
    make: pd.Series | None,
    later: dict,
) -> None:
    """The rules of :func:`_staged`'s second stage, once per combination of
    what they read when that pays, else on every row.

    They read the first stage's groups only through the make and model cells
    (the make as normalised, then as the model completes it; the model's
    name, first year and country), plus the country and year of manufacture
    and a stated flag of an inferred country. They change the country of
    manufacture and its flag and record issues. ``make`` is the normalised
    make of each first-stage group before the model fills it.
    """
    index = raw.index
    model_cells = [c for c in ("make", "model") if c in sub_raw.columns]
    keys = []
    if model_cells:  # the groups' make and model cells, numbered
        pairs, _ = distinct_rows([sub_raw[c] for c in model_cells], len(sub_raw))
        keys.append(pd.Series(pairs[codes]))
    keys += [
        out[c] for c in ("country_of_manufacture", "year_of_manufacture") if c in out
    ]
    if "country_of_manufacture_inferred" in raw.columns:
        keys.append(raw["country_of_manufacture_inferred"])
    combos, first = distinct_rows(keys, len(index), most=_STAGED_MOST)
    if combos is None:  # on every row
        final = out.pop("make", None)
        if make is not None:
            out["make"] = _spread(make, codes, index)
        _infer_country_of_manufacture(raw, out)
        out.pop("make", None)
        if final is not None:
            out["make"] = final
        identify_given(raw, out, issues, later, codes, fills=False)
        return
    groups = codes[first]  # the first-stage group of each combination
    tested = ["country_of_manufacture_inferred", *_WEAPON_QUOTED]
    sub = raw[[c for c in tested if c in raw.columns]].take(first)
    for column in _WEAPON_QUOTED:  # tested for, and quoted from ``raw`` in issues
        if column in sub.columns:
            sub[column] = pd.NA
    given = ("country_of_manufacture", "year_of_manufacture")
    sub_out = {c: out[c].take(first) for c in given if c in out}
    if make is not None:
        sub_out["make"] = make.take(groups).set_axis(sub.index)
    _infer_country_of_manufacture(sub, sub_out)
    if "make" in out:
        sub_out["make"] = out["make"].take(first)
    found = _Collected()
    identify_given(sub, sub_out, found, later, groups, fills=False)
    for column in ("country_of_manufacture", "country_of_manufacture_inferred"):
        if column in sub_out:
            out[column] = _spread(sub_out[column], combos, index)
    issues.add_collected(found, combos)


def _infer_country_of_manufacture(raw: pd.DataFrame, out: dict[str, pd.Series]) -> None:
    """Fill a missing country of manufacture from the make, and flag it as inferred."""
    index = raw.index
    com = out.get("country_of_manufacture")
    given = (
        com.notna().to_numpy(dtype=bool)
        if com is not None
        else np.zeros(len(index), bool)
    )
    inferred = pd.Series(pd.NA, index=index, dtype="boolean")
    inferred[given] = False
    if "make" in out:
        from_make = make_country(out["make"], year=out.get("year_of_manufacture"))
        from_make = pd.Series(from_make, index=index).astype("string")
        fill = ~given & from_make.notna().to_numpy(dtype=bool)
        if fill.any():
            if com is None:
                com = pd.Series(pd.NA, index=index, dtype="string")
            com = com.mask(fill, from_make)
            inferred[fill] = True
    if "country_of_manufacture_inferred" in raw.columns:
        flag, _ = normalize_boolean(raw["country_of_manufacture_inferred"])
        inferred = flag.fillna(inferred)
    if com is not None:
        out["country_of_manufacture"] = com
        out["country_of_manufacture_inferred"] = inferred
    elif "country_of_manufacture_inferred" in raw.columns:
        out["country_of_manufacture_inferred"] = inferred


def _aligned(problems, index: pd.Index) -> pd.Series | None:
    """Problems from another normaliser as a string Series on ``index``."""
    if problems is None:
        return None
    if isinstance(problems, pd.DataFrame):
        problems = problems["problem"] if "problem" in problems else problems.iloc[:, 0]
    problems = pd.Series(problems)
    if not problems.index.equals(index) and len(problems) == len(index):
        problems = problems.set_axis(index)
    return problems.astype("string")


def _original_text(values: pd.Series) -> pd.Series:
    """The cell as written, as text (numbers without a spurious ``.0``)."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype("string")
    return map_unique(values, lambda u: (as_text(u), [None] * len(u)), "string")[0]


def _normalize_admin1(values: pd.Series, country: pd.Series | None) -> pd.Series:
    """ISO 3166-2 codes when the column holds known subdivisions, else cleaned text.

    The column is read as codes when at least ``ADMIN1_CODE_SHARE`` of its
    distinct values are subdivisions of their row's country (or, without a
    country, a subdivision name found once in the world); values that are not
    stay as cleaned text, without an issue.
    """
    from .countries import _PlacePairs

    pairs = _PlacePairs(values, country, allow_country=False)
    distinct = {t for t in pairs.text if t is not None}
    known = {t for t, c in zip(pairs.text, pairs.code, strict=True) if c is not None}
    if distinct and len(known) >= ADMIN1_CODE_SHARE * len(distinct):
        per_pair = [c or t for c, t in zip(pairs.code, pairs.text, strict=True)]
    else:
        per_pair = pairs.text
    return pairs.broadcast(per_pair)


def normalize_table(
    raw: pd.DataFrame,
    table: str,
    *,
    dayfirst: bool | None = None,
    source: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise a raw table into the canonical ``table``; report unreadable cells.

    Parameters
    ----------
    raw : pandas.DataFrame
        Columns named after canonical fields of ``table`` (any subset) plus any
        extras; values as read (text, numbers, datetimes, booleans). Extras are
        kept with an ``x_`` prefix. The table's id column (``record_id``,
        ``trace_id``, ``actor_id``, ``movement_id``) names the record in
        ``issues``; rows without one are named by their index label.
    table : {"items", "traces", "actors", "movements"}
        The canonical table to produce.
    dayfirst : bool, optional
        Whether ``01/02/2020`` is 1 February. ``None`` lets the date columns
        decide together: a first field above 12 anywhere proves day-first, a
        second field above 12 proves month-first; ambiguous columns without
        proof are read month-first.
    source : str, optional
        Fills the ``source`` column where it is missing or empty.

    Returns
    -------
    table : pandas.DataFrame
        The canonical table (``schema.conform``): every column, canonical
        dtypes, same index and row order as ``raw``.
    issues : pandas.DataFrame
        One row per cell that could not be read: ``record_id``, ``column``,
        ``raw_value``, ``problem`` (e.g. "impossible date 31/02/2020",
        "unknown country 'Atlantis'"). The cell itself is null in ``table``.
        Explicit unknowns ("inconnu", "IGNORADO", "N/A") are null without an
        issue.

    Raises
    ------
    InvalidParameterError
        If ``table`` is not a canonical table, ``raw`` is not a DataFrame or it
        has duplicate column names.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "record_id": ["pv:1", "pv:2"],
    ...     "seized_on": ["15/03/2020", "31/02/2020"],
    ...     "country": ["Tchad", "IGNORADO"],
    ...     "status": ["saisie", "remise volontaire"],
    ...     "quantity": ["3 pcs", "1"],
    ... })
    >>> items, issues = normalize_table(raw, "items", source="police")
    >>> items[["seized_on", "country", "status", "quantity", "source"]]
       seized_on country       status  quantity  source
    0 2020-03-15     TCD       seized         3  police
    1        NaT    <NA>  surrendered         1  police
    >>> issues
      record_id     column   raw_value                     problem
    0      pv:2  seized_on  31/02/2020  impossible date 31/02/2020
    """
    check_option("table", table, TABLES)
    if not isinstance(raw, pd.DataFrame):
        raise InvalidParameterError(
            f"`raw` must be a pandas DataFrame of raw {table} records, but a "
            f"{type(raw).__name__} was passed; build one with pd.DataFrame(...)."
        )
    dupes = raw.columns[raw.columns.duplicated()].unique().tolist()
    if dupes:
        raise InvalidParameterError(
            f"The raw {table} table has duplicate columns {dupes}; map each source "
            "header to a different field (or drop the copies) before normalising."
        )
    spec = TABLES[table]
    index = raw.index
    ids = _issue_ids(raw, table)
    issues = _Issues(raw, ids, list(spec))
    out: dict[str, pd.Series] = {}

    present = [c for c in spec if c in raw.columns]
    weapons = _weapon_columns(table)
    plain = [c for c in present if c not in weapons]
    # On a large items table three parts run at once, each collected where it
    # was computed before: serials (nearly all distinct), and the columns the
    # weapon pass neither reads nor rewrites (dates, places, text, ids...) are
    # read by helper threads while this one reads the weapon columns.
    rows = len(index) if table == "items" else 0
    serials = None
    if table == "items" and {"serial", "serial_raw"}.intersection(present):
        serials = in_background(_read_serials, raw, rows=rows)
    early = [c for c in plain if c in _BEFORE_WEAPONS] if table == "items" else []
    asides, later = [], []
    for group in _column_groups(table, [c for c in plain if c not in early]):
        asides.append(_Issues(raw, ids, list(spec)))
        later.append(  # collected last: the serials and this thread first
            in_background(
                _normalize_columns,
                raw,
                table,
                group,
                dayfirst,
                asides[-1],
                rows=rows,
                low=True,
            )
        )
    out.update(_normalize_columns(raw, table, early, dayfirst, issues))
    if table == "items":
        _weapons(raw, out, issues, serials)
    for part in later:
        out.update(part.result())
    # the weapon pass adds no issue on those columns, and each column is in
    # one group: the order of each column's issues is unchanged
    issues.parts[:0] = [found for aside in asides for found in aside.parts]
    if table == "items":
        _null_island(out, issues, raw)
    if table == "traces":
        _trace_date_order(out, issues, raw)
    if table == "movements" and "moved_on" in out:
        year = out["moved_on"].dt.year.astype("Int64")
        out["year"] = out["year"].fillna(year) if "year" in out else year
    if source is not None and "source" in spec:
        current = out.get("source")
        out["source"] = (
            pd.Series(source, index=index, dtype="string")
            if current is None
            else current.fillna(source)
        )

    for column, dtype in spec.items():
        if column not in out:
            out[column] = null_series(index, dtype)
    for column in raw.columns:
        if column not in spec:
            out[column] = raw[column]
    normalized = pd.DataFrame(out, index=index, copy=False)
    return conform(normalized, table), issues.frame()


#: normalised columns of items that the weapon pass reads or rewrites
#: (``identify_items``, ``identify_owner``): normalised before it
_BEFORE_WEAPONS = frozenset(_OUT_KEYS) | {"registered_owner", "owner_type"}


def _column_groups(table: str, columns: list[str]) -> list[list[str]]:
    """``columns`` in two groups normalised by two helper threads: the dates
    (which decide day-first together) with the subdivisions and the
    ``country`` they are read with, and the rest. The serials and the weapon
    pass run first; when they are done, both cores finish these (one helper
    alone left a core idle for the last 80 ms of a million-row load).
    """
    together = set(columns_of_kind(table, "date", "subdivision")) | {"country"}
    first = [c for c in columns if c in together]
    rest = [c for c in columns if c not in together]
    return [group for group in (first, rest) if group]


def _normalize_columns(
    raw: pd.DataFrame,
    table: str,
    columns: list[str],
    dayfirst: bool | None,
    issues: _Issues,
) -> dict[str, pd.Series]:
    """Dates, ids, subdivisions and the one-column normalisers of ``columns``.

    Date columns decide day-first together; a subdivision is read with the
    ``country`` column (both are among ``columns`` when present).
    """
    out: dict[str, pd.Series] = {}
    declared = SCHEMA[table]
    # dates: parse every date column once, decide day-first for the whole table
    date_columns = {
        c: _DateColumn(raw[c]) for c in columns if declared[c].kind == "date"
    }
    if dayfirst is None and date_columns:
        dayfirst = _infer(list(date_columns.values()))
    for column, parsed in date_columns.items():
        out[column], problems = parsed.finish(dayfirst)
        issues.add(column, problems)

    for column in columns:
        column_spec = declared[column]
        if column_spec.kind in _READ_APART:
            if column_spec.kind == "id":  # unique ids set by the readers: as written
                out[column] = _original_text(raw[column])
            continue
        normalizer = _NORMALIZERS.get(column_spec.kind)
        if normalizer is None:  # text, references and anything else textual
            out[column], problems = normalize_text(raw[column])
        else:
            out[column], problems = normalizer(raw[column], table, column_spec)
        issues.add(column, problems)

    for column in columns_of_kind(table, "subdivision"):
        if column in columns:
            out[column] = _normalize_admin1(raw[column], out.get("country"))
    return out


def _trace_date_order(
    out: dict[str, pd.Series], issues: _Issues, raw: pd.DataFrame
) -> None:
    """Flag acknowledgements and answers dated before the request was sent.

    Both dates are kept (either may be the wrong one); the issue says which.
    """
    sent = out.get("sent_on")
    if sent is None:
        return
    for column, what in (
        ("acknowledged_on", "acknowledged"),
        ("responded_on", "answered"),
    ):
        later = out.get(column)
        if later is None:
            continue
        early = (later < sent).fillna(False).to_numpy(dtype=bool)
        if not early.any():
            continue
        problems = pd.Series(pd.NA, index=raw.index, dtype="string")
        problems[early] = (
            f"{what} on "
            + later[early].dt.strftime("%Y-%m-%d").astype("string")
            + ", before the request was sent on "
            + sent[early].dt.strftime("%Y-%m-%d").astype("string")
            + "; check both dates"
        )
        issues.add(column, problems)


def _null_island(out: dict[str, pd.Series], issues: _Issues, raw: pd.DataFrame) -> None:
    """Latitude and longitude both exactly 0 is a placeholder, not a place."""
    if "lat" not in out or "lon" not in out:
        return
    zero = (out["lat"] == 0) & (out["lon"] == 0)
    zero = zero.fillna(False).to_numpy(dtype=bool)
    if not zero.any():
        return
    problems = pd.Series(pd.NA, index=raw.index, dtype="string")
    problems[zero] = "coordinates 0, 0 (a placeholder, not a place)"
    issues.add("lat", problems)
    out["lat"] = out["lat"].mask(zero)
    out["lon"] = out["lon"].mask(zero)
