"""A sheet or delimited text file as a plain grid of cells (tables not of records)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pandas as pd

from .._validation import check_option
from ..exceptions import EmptyFileError, FileFormatError, MissingFileError
from ._excel import _Book, _tidy
from ._sniff import decode_text, detect_format, sniff_delimiter

__all__ = ["read_grid"]


def read_grid(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, str]:
    """Read a file as a grid of cells (no header, positional columns).

    Published tables that are not one record per row (origin x destination
    matrices, with titles above and footnotes below) are read as they are and
    parsed by their own reader, e.g.
    :func:`iti_analytics.network.read_flow_matrix`. The file is recognised by
    its content (an ``.xlsx`` workbook, or delimited text in any encoding the
    record readers accept), as :func:`read_items` does.

    Parameters
    ----------
    path : str or path
        The file.
    sheet : str or int, optional
        Sheet name or position of a workbook (default: the first).
    encoding : str, optional
        Text encoding (default: detected).

    Returns
    -------
    (DataFrame, str)
        The cells (``object`` dtype, empty cells None, columns ``0..n-1``) and
        the file name for messages.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "flows.csv")
    >>> _ = open(path, "w", encoding="cp1252").write("Origine;Côte;TOTAL\\nMALI;3;3\\n")
    >>> grid, name = read_grid(path)
    >>> grid.values.tolist(), name
    ([['Origine', 'Côte', 'TOTAL'], ['MALI', '3', '3']], 'flows.csv')
    """
    p = Path(path)
    name = p.name
    if not p.exists():
        raise MissingFileError(f"{path}: no such file; check the path.")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise FileFormatError(f"{path}: cannot be read ({err}).") from err
    if not data:
        raise EmptyFileError(f"{path}: the file is empty; nothing to read.")
    fmt = detect_format(data, p, name)
    if fmt == "xlsx":
        rows = _sheet_rows(data, name, sheet)
    elif fmt == "csv":
        text, _, _ = decode_text(data, name, encoding)
        delimiter = sniff_delimiter(text, "movements", p.suffix.lower())
        rows = [
            [cell if cell.strip() else None for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    else:
        raise FileFormatError(
            f"{name} is a {fmt} file, not a spreadsheet or delimited text; save the "
            "table as .xlsx or .csv."
        )
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame(
        [list(r) + [None] * (width - len(r)) for r in rows], dtype=object
    )
    grid.columns = range(grid.shape[1])
    return grid, name


def _sheet_rows(data: bytes, name: str, sheet: Any) -> list[list[Any]]:
    book = _Book(data, name)
    try:
        if not book.sheets:
            raise FileFormatError(f"{name} has no sheets. Check the workbook.")
        if sheet is None:
            chosen = book.sheets[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not -len(book.sheets) <= sheet < len(book.sheets):
                check_option("sheet", sheet, range(len(book.sheets)))
            chosen = book.sheets[sheet]
        else:
            if str(sheet) not in book.sheets:
                check_option("sheet", sheet, book.sheets)
            chosen = str(sheet)
        return [_tidy(list(r)) for r in book.rows(chosen)]
    finally:
        book.close()
