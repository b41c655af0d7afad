"""Read agency files (CSV, XLSX, JSON, Parquet, SQL, DataFrames) into canonical tables.

Every reader returns a :class:`LoadResult` (``table``, ``issues``, ``rejects``,
``report``) and never loses a row: ``report.rows_in == len(table) +
len(rejects)``. Column headers are mapped to canonical fields by synonyms in
English, French, Spanish and Portuguese (see :mod:`iti_analytics.mapping`),
values are normalized by :func:`iti_analytics.normalize.normalize_table`, and
repeated rows or record ids are flagged in ``duplicate_of``, never dropped.
"""

from __future__ import annotations

from ._grid import read_grid
from ._ids import first_identical
from ._load import (
    ID_FIELDS,
    read_actors,
    read_items,
    read_movements,
    read_table,
    read_traces,
)
from ._result import LoadReport, LoadResult
from ._sources import MissingFileError

__all__ = [
    "read_grid",
    "read_items",
    "read_traces",
    "read_movements",
    "read_actors",
    "read_table",
    "LoadResult",
    "LoadReport",
    "MissingFileError",
    "ID_FIELDS",
    "first_identical",
]
