"""Names shared by the parts of the dataset package."""

from __future__ import annotations

from .. import schema

__all__ = ["TABLE_KEYS", "ISSUE_COLUMNS", "KEY_COLUMNS"]

#: the column that identifies a row, per canonical table (unique in a Dataset);
#: the same mapping as :data:`iti_analytics.schema.ID_COLUMNS`.
TABLE_KEYS: dict[str, str] = schema.ID_COLUMNS

#: columns of :attr:`Dataset.issues`, in order (all strings).
ISSUE_COLUMNS: list[str] = list(schema.ISSUE_COLUMNS)

#: columns whose completeness :meth:`Dataset.summary` reports, per table.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "items": ("serial", "make", "category", "calibre", "country", "seized_on"),
    "traces": ("requested_party", "sent_on", "responded_on", "outcome"),
    "actors": ("name", "actor_type"),
    "movements": ("origin", "destination"),
}

_SUMMARY_COUNTS = ["table", "source", "rows", "duplicates", "issues", "rejects"]
_TABLE_NAMES = tuple(schema.TABLES)
