"""Read Excel workbooks (.xlsx): header found below title rows; one or all sheets."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
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


#: a sheet's used range may hold at most this many cells (rows × columns). The
#: readers allocate the whole range, so one stray cell at XFD1048576 in a 5 KB
#: file would ask for 17 billion cells; such a sheet is refused before reading.
MAX_SHEET_CELLS = 50_000_000
#: a sheet's XML may expand to at most this many bytes when unzipped (2 GiB).
MAX_SHEET_XML_BYTES = 2 << 30

_ROW_REF = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_ROW_TAG = re.compile(rb"<row\b")
# cells in column AA or beyond: ordinary sheets of up to 26 columns have none
_WIDE_CELL = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{2,3})(\d+)\"")
_DIMENSION = re.compile(
    rb"<dimension\b[^>]*?\bref=\"([A-Z]+)?(\d+)?:?([A-Z]+)?(\d+)?\""
)


def _column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"AA"`` → 27, ``b"XFD"`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_extent(xml: Any) -> tuple[int, int]:
    """(last row, last column) that a worksheet's XML stream uses or declares.

    Scanned in pieces with regular expressions, without building the sheet.
    """
    last_row = last_col = rows_seen = 0
    tail = b""
    first = True
    while True:
        chunk = xml.read(1 << 22)
        if not chunk:
            break
        buf = tail + chunk
        if first:
            first = False
            dim = _DIMENSION.search(buf, 0, 4096)
            if dim:
                for letters, digits in (dim.group(1, 2), dim.group(3, 4)):
                    if letters:
                        last_col = max(last_col, _column_number(letters))
                    if digits:
                        last_row = max(last_row, int(digits))
        refs = _ROW_REF.findall(buf)
        if refs:
            last_row = max(last_row, max(map(int, refs)))
        rows_seen += len(_ROW_TAG.findall(chunk))
        for letters, digits in _WIDE_CELL.findall(buf):
            last_col = max(last_col, _column_number(letters))
            last_row = max(last_row, int(digits))
        tail = buf[-256:]
    return max(last_row, rows_seen), max(last_col, 26 if rows_seen else 0)


def _check_extent(data: bytes, name: str) -> None:
    """Refuse a workbook whose sheets would not fit in memory once read."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # the reader says what is wrong with it
    with book:
        for info in book.infolist():
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                continue
            if info.file_size > MAX_SHEET_XML_BYTES:
                raise FileFormatError(
                    f"{name}: the sheet {info.filename} expands to "
                    f"{info.file_size:,} bytes, more than this reader accepts "
                    f"({MAX_SHEET_XML_BYTES:,}). Export the sheet as CSV instead."
                )
            with book.open(info) as xml:
                rows, cols = _sheet_extent(xml)
            if rows * cols > MAX_SHEET_CELLS:
                raise FileFormatError(
                    f"{name}: a sheet's used range reaches row {rows:,} and column "
                    f"{cols:,} ({rows * cols:,} cells), more than the "
                    f"{MAX_SHEET_CELLS:,} cells this reader accepts. A stray value "
                    "far from the table (press Ctrl+End in Excel to find it) "
                    "usually does this: delete the empty rows and columns after "
                    "the table and save again, or export the sheet as CSV."
                )


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
        _check_extent(data, name)
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
