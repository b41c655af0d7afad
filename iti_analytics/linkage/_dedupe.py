"""deduplicate: merge the records of each weapon or actor cluster.

The merging itself lives in the dataset layer (``Dataset.deduplicate``); the
linkage finds the links.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..dataset import merge_linked

# the doctest of deduplicate calls link_records from this module's namespace
from ._link import link_records  # noqa: F401


def deduplicate(
    ds: Any,
    links: pd.DataFrame,
    *,
    min_confidence: float = 0.9,
    kind: str = "weapon",
) -> Any:
    """A new dataset where each weapon cluster is merged into one record.

    Only the links of ``kind`` with ``confidence >= min_confidence`` are used;
    their connected components are the clusters. In each cluster the
    first-seen record is kept: the earliest ``seized_on`` (undated records
    count as last, ties go to the record that comes first in ``ds.items``).
    Its nulls are filled with the other records' values (first-seen first), the
    others' ids are listed in ``x_merged_ids`` (``;``-separated; null on records
    that absorbed nothing) and the other rows are removed. Traces and movements
    that pointed at a removed record point at the kept one. The input is never
    modified; merging happens only when you call this.

    For ``kind="actor"`` the spellings of each actor cluster are replaced by
    the first-seen spelling in ``items.actor`` and ``actors.name``; rows are
    kept.

    Parameters
    ----------
    ds : Dataset
    links : DataFrame
        The output of :func:`link_records` on ``ds``.
    min_confidence : float, default 0.9
    kind : {"weapon", "actor"}, default "weapon"

    Returns
    -------
    Dataset
        Of the same type as ``ds``.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from iti_analytics.schema import conform
    >>> items = conform(pd.DataFrame({
    ...     "record_id": ["p1", "c1", "x9"],
    ...     "make": ["Norinco", "Norinco", "Beretta"],
    ...     "model": [None, "Type 56", "92"],
    ...     "serial": ["AB1234", "AB1234", "ZZ999"],
    ... }), "items")
    >>> traces = conform(pd.DataFrame({"trace_id": ["t1"], "record_id": ["c1"]}),
    ...                  "traces")
    >>> ds = SimpleNamespace(items=items, traces=traces)
    >>> merged = deduplicate(ds, link_records(ds))
    >>> merged.items[["record_id", "model", "x_merged_ids"]]
      record_id    model x_merged_ids
    0        p1  Type 56           c1
    1        x9       92         <NA>
    >>> merged.traces["record_id"].tolist()
    ['p1']
    """
    return merge_linked(ds, links, min_confidence=min_confidence, kind=kind)
