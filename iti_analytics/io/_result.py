"""What a reader returns: the canonical table, its issues, rejects and a report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from ..schema import LOAD_ISSUE_COLUMNS

__all__ = ["LoadReport", "LoadResult", "ISSUE_COLUMNS", "REJECT_COLUMNS"]

#: columns of ``LoadResult.issues``.
ISSUE_COLUMNS = LOAD_ISSUE_COLUMNS
#: columns of ``LoadResult.rejects`` (``sheet`` is added for multi-sheet reads).
REJECT_COLUMNS = ("row", "raw", "reason")


@dataclass
class LoadReport:
    """Counts and choices of one load; ``rows_in == rows_loaded + rows_rejected``.

    Supports ``report["rows_in"]`` as well as ``report.rows_in``, and
    :meth:`to_dict`. ``str(report)`` is the text ``iti load`` prints.

    Examples
    --------
    >>> r = LoadReport(file="a.csv", source="a", table="items", format="csv",
    ...                rows_in=3, rows_loaded=2, rows_rejected=1)
    >>> r["rows_in"], r.to_dict()["rows_loaded"]
    (3, 2)
    >>> print(str(r).splitlines()[1])
      rows: 3 in = 2 loaded + 1 rejected; 0 flagged as duplicates (kept)
    """

    file: str | None
    source: str
    table: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | list[str] | None = None
    header_row: int | None = None
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    issues: int = 0
    issues_by_column: dict[str, int] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def keys(self) -> list[str]:
        """Names of the report fields (so ``dict(report)`` works)."""
        return list(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """The report as a plain dict (JSON-serialisable)."""
        return asdict(self)

    def __str__(self) -> str:
        what = [self.format]
        if self.encoding:
            what.append(self.encoding)
        if self.delimiter:
            what.append(f"delimiter {_show_delimiter(self.delimiter)}")
        if self.sheet is not None:
            sheets = self.sheet if isinstance(self.sheet, list) else [self.sheet]
            what.append("sheet " + ", ".join(map(str, sheets)))
        if self.header_row is not None:
            what.append(f"header on row {self.header_row}")
        lines = [
            f"Loaded {self.table} from {self.file or 'a DataFrame'} "
            f"({'; '.join(what)}) as source {self.source!r}",
            f"  rows: {self.rows_in:,} in = {self.rows_loaded:,} loaded "
            f"+ {self.rows_rejected:,} rejected; {self.duplicates:,} flagged as "
            "duplicates (kept)",
        ]
        if self.mapping:
            pairs = ", ".join(f"{h!r} -> {f}" for h, f in self.mapping.items())
            lines.append(f"  columns: {pairs}")
        if self.extras:
            pairs = ", ".join(f"{h!r} -> {x}" for h, x in self.extras.items())
            lines.append(f"  kept as extra columns: {pairs}")
        if self.issues:
            top = sorted(self.issues_by_column.items(), key=lambda kv: -kv[1])
            detail = ", ".join(f"{c} {n:,}" for c, n in top[:8])
            more = ", …" if len(top) > 8 else ""
            lines.append(f"  issues: {self.issues:,} ({detail}{more})")
        else:
            lines.append("  issues: none")
        lines.extend(f"  note: {note}" for note in self.notes)
        lines.append(f"  took {self.seconds:.2f} s")
        return "\n".join(lines)


def _show_delimiter(d: str) -> str:
    return {"\t": "tab", ",": "','", ";": "';'", "|": "'|'"}.get(d, repr(d))


@dataclass(repr=False)
class LoadResult:
    """A loaded canonical table with everything said about it.

    Attributes
    ----------
    table : pandas.DataFrame
        The canonical table: every readable input row, in file order.
    issues : pandas.DataFrame
        One row per cell-level problem: record_id, column, raw_value, problem.
    rejects : pandas.DataFrame
        Rows that are not records at all (blank lines...): row, raw, reason.
    report : LoadReport
        Counts, mapping and choices; ``rows_in == len(table) + len(rejects)``.
    """

    table: pd.DataFrame
    issues: pd.DataFrame
    rejects: pd.DataFrame
    report: LoadReport

    def __repr__(self) -> str:
        r = self.report
        return (
            f"<LoadResult {r.table} from {r.file or 'a DataFrame'!s}: "
            f"{r.rows_loaded:,} rows loaded, {r.rows_rejected:,} rejected, "
            f"{r.issues:,} issues, {r.duplicates:,} duplicates flagged>"
        )

    def __iter__(self):
        """Unpack as ``table, issues, rejects, report``."""
        return iter((self.table, self.issues, self.rejects, self.report))
