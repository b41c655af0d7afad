"""Read Excel workbooks (.xlsx): header found below title rows; one or all sheets."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..exceptions import FileFormatError
from ..mapping import header_key
from ._raw import RawTable, blank_rows, make_rejects, positional, raw_json
from ._sniff import find_header

__all__ = ["read_excel", "sheet_names"]

#: reason of a rejected row of rule characters ("-----", "=====")
_SEPARATOR_ROW = "separator row: only dashes, equals signs or the like, no values"


def _engine() -> str:
    """``calamine`` (Rust, ~6x faster) when python-calamine is installed."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


class _Book:
    """The few things needed from a workbook, with either engine."""

    def __init__(self, data: bytes, name: str, engine: str | None = None):
        self.engine = engine or _engine()
        self.name = name
        try:
            if self.engine == "calamine":
                from python_calamine import CalamineWorkbook

                self._wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
                self.sheets = list(self._wb.sheet_names)
            else:
                import openpyxl

                self._wb = openpyxl.load_workbook(
                    io.BytesIO(data), read_only=True, data_only=True
                )
                self.sheets = list(self._wb.sheetnames)
        except Exception as err:  # zip that is not a workbook, damaged file
            raise FileFormatError(
                f"{name} is a ZIP file but not a readable Excel workbook ({err}). "
                "Open it in a spreadsheet and save it as .xlsx, or export a CSV."
            ) from err

    def rows(self, sheet: str) -> list[list[Any]]:
        if self.engine == "calamine":
            ws = self._wb.get_sheet_by_name(sheet)
            return ws.to_python(skip_empty_area=False)
        ws = self._wb[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]

    def close(self) -> None:
        if self.engine != "calamine":
            self._wb.close()


def sheet_names(data: bytes, name: str = "the workbook") -> list[str]:
    """Names of the sheets of a workbook, in order."""
    book = _Book(data, name)
    try:
        return book.sheets
    finally:
        book.close()


def _tidy(values: list[Any]) -> list[Any]:
    """'' -> None; whole floats -> int (Excel stores 962873 as 962873.0)."""
    out = []
    for v in values:
        if v is None or v == "":
            out.append(None)
        elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
            out.append(int(v))
        else:
            out.append(v)
    return out


def _is_blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _read_sheet(book: _Book, sheet: str, table: str) -> RawTable | None:
    rows = book.rows(sheet)
    while rows and all(_is_blank(v) for v in rows[-1]):
        rows.pop()  # the used range often runs past the data
    if not rows:
        return None
    width = max(len(r) for r in rows)
    h = find_header(rows, table)
    header = list(rows[h]) + [None] * (width - len(rows[h]))
    body = [list(r) + [None] * (width - len(r)) for r in rows[h + 1 :]]
    # drop trailing columns that have neither a header nor any value
    keep = width
    while (
        keep > 1
        and _is_blank(header[keep - 1])
        and all(_is_blank(r[keep - 1]) for r in body)
    ):
        keep -= 1
    headers = [_header_text(c) for c in header[:keep]]
    names = positional(keep)
    columns = list(zip(*[r[:keep] for r in body], strict=True)) if body else [()] * keep
    frame = pd.DataFrame(
        {
            n: pd.Series(_tidy(list(c)), dtype=object)
            for n, c in zip(names, columns, strict=True)
        }
    )
    n = len(frame)
    numbers = np.arange(1, n + 1, dtype=np.int64)
    blank = blank_rows(frame, rules=True) if n else np.zeros(0, dtype=bool)
    empty = blank_rows(frame[blank]) if blank.any() else np.zeros(0, dtype=bool)
    rejects = make_rejects(
        numbers[blank],
        [
            raw_json(dict(zip(headers, r, strict=True)))
            if any(v is not None for v in r)
            else ""
            for r in frame[blank].itertuples(index=False)
        ],
        np.where(empty, "blank row: no values", _SEPARATOR_ROW).tolist(),
        sheet=[sheet] * int(blank.sum()),
    )
    return RawTable(
        frame=frame[~blank] if blank.any() else frame,
        headers=headers,
        row_numbers=numbers[~blank],
        rows_in=n,
        rejects=rejects,
        info={"header_row": h + 1},
    )


def _header_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return str(v).strip()


def read_excel(
    data: bytes,
    *,
    name: str,
    table: str,
    sheet: str | int | None = None,
    engine: str | None = None,
) -> RawTable:
    """Read one sheet (``sheet=None``: the first; a name or index) or ``"all"``.

    With ``"all"``, sheets are stacked (columns matched by header) and an
    ``x_sheet`` column says where each row came from.
    """
    book = _Book(data, name, engine)
    try:
        if not book.sheets:
            raise FileFormatError(f"{name} has no sheets. Check the workbook.")
        if sheet is None:
            chosen = [book.sheets[0]]
        elif isinstance(sheet, str) and sheet.lower() == "all":
            chosen = list(book.sheets)
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not -len(book.sheets) <= sheet < len(book.sheets):
                check_option("sheet", sheet, range(len(book.sheets)))
            chosen = [book.sheets[sheet]]
        else:
            names = {s.casefold(): s for s in book.sheets}
            if str(sheet) not in book.sheets and str(sheet).casefold() not in names:
                check_option("sheet", sheet, [*book.sheets, "all"])
            chosen = [
                str(sheet)
                if str(sheet) in book.sheets
                else names[str(sheet).casefold()]
            ]
        parts = []
        for s in chosen:
            part = _read_sheet(book, s, table)
            if part is not None:
                parts.append((s, part))
    finally:
        book.close()
    fmt = {"format": "xlsx", "encoding": None, "delimiter": None}
    if not parts:
        empty = RawTable(
            frame=pd.DataFrame(),
            headers=[],
            row_numbers=np.zeros(0, np.int64),
            rows_in=0,
            rejects=make_rejects([], [], []),
            info={**fmt, "sheet": chosen[0] if len(chosen) == 1 else chosen},
        )
        return empty
    if len(chosen) == 1:
        s, part = parts[0]
        part.info.update(fmt, sheet=s)
        part.rejects = part.rejects.drop(columns="sheet")
        return part
    return _stack(parts, fmt)


def _stack(parts: list[tuple[str, RawTable]], fmt: dict) -> RawTable:
    """Stack sheets, matching columns by header (case and accents ignored).

    Adds ``x_sheet``; generated ids get the sheet name.
    """
    headers: list[str] = []
    label_of: dict[str, str] = {}  # header key (+ repeat number) -> first label
    frames = []
    for sheet, part in parts:
        seen: dict[str, int] = {}
        labels = []
        for h in part.headers:
            key = header_key(h) or h
            k = seen.get(key, 0)
            seen[key] = k + 1
            key = f"{key}#{k}"
            if key not in label_of:
                label_of[key] = h if k == 0 else f"{h} ({k + 1})"
                headers.append(label_of[key])
            labels.append(label_of[key])
        f = part.frame.copy(deep=False)
        f.columns = labels
        f["x_sheet"] = sheet
        frames.append(f)
    headers.append("x_sheet")
    frame = pd.concat(frames, ignore_index=True, sort=False).reindex(columns=headers)
    frame.columns = positional(len(headers))
    notes = [
        f"sheet {s!r}: {p.rows_in:,} rows, header on row {p.info['header_row']}"
        for s, p in parts
    ]
    return RawTable(
        frame=frame,
        headers=headers,
        row_numbers=np.concatenate([p.row_numbers for _, p in parts]),
        rows_in=sum(p.rows_in for _, p in parts),
        rejects=pd.concat([p.rejects for _, p in parts], ignore_index=True),
        info={**fmt, "sheet": [s for s, _ in parts], "header_row": None},
        notes=notes,
        id_prefix=np.concatenate(
            [np.full(len(p.row_numbers), s, dtype=object) for s, p in parts]
        ),
    )
