"""The raw table every reader produces before mapping, and helpers shared by readers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "RawTable",
    "blank_rows",
    "is_rule",
    "make_rejects",
    "from_frame",
    "positional",
    "RULE_CHARS",
    "SEPARATOR_REASON",
]

#: characters of a rule line ("-----", "=====", "____", "*****", "─────"): a row
#: made only of these, whitespace and delimiters holds no value and is rejected
RULE_CHARS = "-=_*~#+|"
#: a cell of rule characters and whitespace only (Unicode dashes and box lines too)
RULE_CELL = re.compile(
    r"[\s" + re.escape(RULE_CHARS) + r"\u2010-\u2015\u2212\u2500-\u257f]*"
)
#: reason of a rejected rule line
SEPARATOR_REASON = "separator line: only dashes, equals signs or the like, no values"


@dataclass
class RawTable:
    """Rows as read, before mapping: positional columns ``c0, c1, ...``.

    Attributes
    ----------
    frame : DataFrame
        Kept rows (not blank), columns ``c<i>`` aligned with ``headers``, plus
        ``x_extra_fields`` when ragged rows had more fields than the header.
    headers : list of str
        Source headers, one per positional column.
    row_numbers : ndarray
        1-based data-row number in the source of every kept row.
    rows_in : int
        Data rows read (kept + rejected).
    rejects : DataFrame
        row, raw, reason (and sheet for multi-sheet reads).
    issues : list of tuple
        (position of the kept row, column, raw value, problem) for row-level
        problems found while reading (ragged rows).
    id_prefix : ndarray or None
        Per kept row, text put between source and row number in generated ids
        (the sheet name when several sheets are read).
    """

    frame: pd.DataFrame
    headers: list[str]
    row_numbers: np.ndarray
    rows_in: int
    rejects: pd.DataFrame
    issues: list[tuple[int, str, str, str]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    id_prefix: np.ndarray | None = None


def positional(n: int) -> list[str]:
    """Positional column names ``c0 … c<n-1>``."""
    return [f"c{i}" for i in range(n)]


def is_rule(text: str) -> bool:
    """Whether ``text`` is only whitespace and rule characters ("-----", "=====").

    Examples
    --------
    >>> is_rule("-----"), is_rule(" ==== "), is_rule("—— ──"), is_rule("-1")
    (True, True, True, False)
    """
    return RULE_CELL.fullmatch(text) is not None


def _cell_blank(s: pd.Series, rules: bool = False) -> np.ndarray:
    blank = np.array(s.isna().to_numpy(dtype=bool, na_value=True), dtype=bool)
    todo = ~blank
    if not todo.any():
        return blank
    if not rules and pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        space = s.str.isspace().to_numpy(dtype=bool, na_value=False)
        return blank | space
    if rules or s.dtype == object:
        vals = s.to_numpy(dtype=object)[todo]
        test = is_rule if rules else (lambda v: not v.strip())
        ws = np.fromiter(
            (isinstance(v, str) and test(v) for v in vals), bool, len(vals)
        )
        blank[np.flatnonzero(todo)[ws]] = True
    return blank


def blank_rows(frame: pd.DataFrame, *, rules: bool = False) -> np.ndarray:
    """Boolean mask of rows whose every cell is null or whitespace.

    Columns are scanned one by one on the rows still blank so far, so the cost
    is about one column on real data.

    Parameters
    ----------
    frame : DataFrame
        Rows as read.
    rules : bool, default False
        Count cells of rule characters ("-----", "=====", "____") as blank
        too, so that separator rows are found (see :func:`is_rule`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": ["x", None, " ", "----"], "b": [None] * 4})
    >>> blank_rows(frame)
    array([False,  True,  True, False])
    >>> blank_rows(frame, rules=True)
    array([False,  True,  True,  True])
    """
    n = len(frame)
    blank = np.ones(n, dtype=bool)
    if frame.shape[1] == 0:
        return blank
    cand = np.arange(n)
    for col in range(frame.shape[1]):
        if cand.size == 0:
            break
        s = frame.iloc[:, col]
        if cand.size < n:
            s = s.iloc[cand]
        cell = _cell_blank(s, rules)
        blank[cand[~cell]] = False
        cand = cand[cell]
    return blank


def make_rejects(rows: Any, raws: Any, reasons: Any, sheet: Any = None) -> pd.DataFrame:
    """Build the rejects table (row as Int64, raw and reason as strings)."""
    out = pd.DataFrame(
        {
            "row": pd.array(np.asarray(rows, dtype="int64"), dtype="Int64"),
            "raw": pd.array(list(raws), dtype="string"),
            "reason": pd.array(list(reasons), dtype="string"),
        }
    )
    if sheet is not None:
        out["sheet"] = pd.array(list(sheet), dtype="string")
    return out


def raw_json(values: dict[str, Any]) -> str:
    """A row as compact JSON text, for the ``raw`` column of rejects."""
    return json.dumps(values, ensure_ascii=False, default=str)


def _nested_as_text(column: pd.Series) -> pd.Series:
    """Lists, arrays, structs and maps in a column as JSON text; others as they are.

    Parquet list/struct/map columns and DataFrames holding Python containers
    cannot be hashed or compared; a record keeps them as readable text.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        if not pa.types.is_nested(dtype.pyarrow_dtype):
            return column
        column = column.astype(object)
    elif not pd.api.types.is_object_dtype(dtype):
        return column
    # infer_dtype scans in C: only columns of mixed objects can hold containers
    if pd.api.types.infer_dtype(column, skipna=True) not in ("mixed", "unknown-array"):
        return column
    nested = column.map(
        lambda v: isinstance(v, list | tuple | dict | set | np.ndarray),
        na_action="ignore",
    )
    if not nested.fillna(False).astype(bool).any():
        return column

    def as_text(value: Any) -> Any:
        if isinstance(value, list | tuple | dict | set | np.ndarray):
            return raw_json(_plain(value))
        return value

    return column.map(as_text, na_action="ignore")


def _plain(value: Any) -> Any:
    """Containers as plain lists and dicts that ``json`` can write."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def from_frame(df: pd.DataFrame, info: dict[str, Any]) -> RawTable:
    """A RawTable from an in-memory frame (DataFrame, Parquet, SQL, JSON records).

    All-null rows are rejected; the frame is never modified. Nested values
    (lists, structs, maps) become JSON text.
    """
    headers = ["" if c is None else str(c) for c in df.columns]
    frame = df.copy(deep=False)
    frame.columns = positional(len(headers))
    for name in frame.columns:
        converted = _nested_as_text(frame[name])
        if converted is not frame[name]:
            frame[name] = converted
    blank = blank_rows(frame)
    numbers = np.arange(1, len(frame) + 1, dtype=np.int64)
    if blank.any():
        bad = frame[blank]
        raws = [
            raw_json(dict(zip(headers, row, strict=True)))
            for row in bad.itertuples(index=False)
        ]
        rejects = make_rejects(
            numbers[blank], raws, ["empty row: every value is missing"] * len(raws)
        )
        frame = frame[~blank]
        numbers = numbers[~blank]
    else:
        rejects = make_rejects([], [], [])
    return RawTable(
        frame=frame,
        headers=headers,
        row_numbers=numbers,
        rows_in=len(df),
        rejects=rejects,
        info=info,
    )
