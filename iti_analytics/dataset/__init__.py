"""The Dataset: canonical items, traces, actors and movements from several sources.

A :class:`Dataset` takes canonical DataFrames (any subset of the columns) or the
``LoadResult`` objects returned by :func:`iti_analytics.io.read_items` and
friends, merges several sources into one set of tables, makes every record id
unique without dropping a row, validates the vocabularies with pandera, and
keeps every data-quality problem in one ``issues`` table. It shows a
data-quality summary in Jupyter and round-trips to Parquet.
"""

from __future__ import annotations

from ._checks import table_schema
from ._coerce import DatasetLike, as_dataset
from ._common import ISSUE_COLUMNS, KEY_COLUMNS, TABLE_KEYS
from ._dataset import Dataset
from ._dedupe import LINK_KINDS, actor_entities, merge_linked

__all__ = [
    "Dataset",
    "as_dataset",
    "DatasetLike",
    "table_schema",
    "TABLE_KEYS",
    "ISSUE_COLUMNS",
    "KEY_COLUMNS",
    "merge_linked",
    "actor_entities",
    "LINK_KINDS",
]
