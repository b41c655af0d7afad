"""deduplicate: merge the records of each weapon or actor cluster."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import Dataset, as_dataset
from ..exceptions import InvalidParameterError
from ._actors import _actor_entities
from ._common import _KINDS

# the doctest of deduplicate calls link_records from this module's namespace
from ._link import link_records  # noqa: F401


def deduplicate(
    ds: Dataset | pd.DataFrame | Any,
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
    ds : Dataset, DataFrame, LoadResult or mapping
        Anything :func:`iti_analytics.as_dataset` accepts.
    links : DataFrame
        The output of :func:`link_records` on ``ds``.
    min_confidence : float, default 0.9
    kind : {"weapon", "actor"}, default "weapon"

    Returns
    -------
    Dataset
        A new :class:`iti_analytics.Dataset`.

    Examples
    --------
    >>> import pandas as pd
    >>> from iti_analytics import Dataset
    >>> items = pd.DataFrame({
    ...     "record_id": ["p1", "c1", "x9"],
    ...     "make": ["Norinco", "Norinco", "Beretta"],
    ...     "model": [None, "Type 56", "92"],
    ...     "serial": ["AB1234", "AB1234", "ZZ999"],
    ... })
    >>> traces = pd.DataFrame({"trace_id": ["t1"], "record_id": ["c1"]})
    >>> ds = Dataset(items=items, traces=traces)
    >>> merged = deduplicate(ds, link_records(ds))
    >>> merged.items[["record_id", "model", "x_merged_ids"]]
      record_id    model x_merged_ids
    0        p1  Type 56           c1
    1        x9       92         <NA>
    >>> merged.traces["record_id"].tolist()
    ['p1']
    """
    ds = as_dataset(ds)
    check_option("kind", kind, _KINDS)
    if not 0 <= min_confidence <= 1:
        raise InvalidParameterError(
            "`min_confidence` must be between 0 and 1, but "
            f"{min_confidence!r} was passed."
        )
    needed = {"left", "right", "kind", "confidence"}
    if not isinstance(links, pd.DataFrame) or not needed <= set(links.columns):
        raise InvalidParameterError(
            "`links` must be the DataFrame returned by link_records (columns "
            "left, right, kind, confidence); call links = link_records(ds) first."
        )
    use = links[(links["kind"] == kind) & (links["confidence"] >= min_confidence)]
    use = use[["left", "right"]].astype("string").dropna()
    if kind == "actor":
        return _merge_actors(ds, use)
    return _merge_weapons(ds, use)


def _new_dataset(ds: Dataset, tables: dict[str, pd.DataFrame]) -> Dataset:
    return ds.replace(**tables)


def _merge_weapons(ds: Any, use: pd.DataFrame) -> Any:
    items = ds.items
    ids = items["record_id"].astype("string")
    pos = pd.Series(np.arange(len(items)), index=ids.to_numpy())
    pos = pos[~pos.index.duplicated()]
    use = use[use["left"].isin(pos.index) & use["right"].isin(pos.index)]
    tables: dict[str, pd.DataFrame] = {}
    if not len(use):
        items = items.copy()
        if "x_merged_ids" not in items.columns:
            items["x_merged_ids"] = pd.Series(pd.NA, index=items.index, dtype="string")
        tables["items"] = items
        return _new_dataset(ds, tables)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    a = pos.loc[use["left"].to_numpy()].to_numpy()
    b = pos.loc[use["right"].to_numpy()].to_numpy()
    n = len(items)
    graph = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    size = np.bincount(label)
    in_cluster = size[label] > 1
    # first-seen: earliest date, undated last, then table order
    date = items["seized_on"]
    frame = pd.DataFrame(
        {
            "label": label,
            "undated": date.isna().to_numpy(),
            "date": date.to_numpy(),
            "pos": np.arange(n),
        }
    )[in_cluster]
    frame = frame.sort_values(["label", "undated", "date", "pos"], kind="stable")
    ordered = frame["pos"].to_numpy()
    keeper_of_label = frame.groupby("label")["pos"].first()
    keeper = np.arange(n)
    keeper[ordered] = keeper_of_label.loc[frame["label"].to_numpy()].to_numpy()
    removed = keeper != np.arange(n)
    # fill the kept rows' nulls, first-seen first
    canon = [c for c in items.columns if c not in ("record_id", "x_merged_ids")]
    members = items.iloc[ordered][canon].copy()
    members.index = keeper[ordered]
    filled = members.groupby(level=0, sort=False).first()
    out = items.copy()
    kept_rows = filled.index.to_numpy()
    for col in canon:
        current = out[col].iloc[kept_rows]
        out.loc[out.index[kept_rows], col] = current.where(
            current.notna(), filled[col].to_numpy()
        ).to_numpy()
    merged_ids = (
        pd.DataFrame({"keeper": keeper[removed], "id": ids.to_numpy()[removed]})
        .groupby("keeper", sort=False)["id"]
        .agg(";".join)
    )
    previous = (
        out["x_merged_ids"].astype("string")
        if "x_merged_ids" in out.columns
        else pd.Series(pd.NA, index=out.index, dtype="string")
    )
    new = pd.Series(pd.NA, index=out.index, dtype="string")
    new.iloc[merged_ids.index.to_numpy()] = merged_ids.to_numpy()
    out["x_merged_ids"] = _join_optional(previous, new)
    out = out[~removed].reset_index(drop=True)
    tables["items"] = out
    repoint = pd.Series(
        ids.to_numpy()[keeper[removed]], index=ids.to_numpy()[removed], dtype="string"
    )
    for name in ("traces", "movements"):
        table = getattr(ds, name, None)
        if table is None or not len(table) or "record_id" not in table.columns:
            continue
        table = table.copy()
        rid = table["record_id"].astype("string")
        new_rid = rid.map(repoint).fillna(rid)
        table["record_id"] = new_rid.astype(table["record_id"].dtype)
        tables[name] = table
    return _new_dataset(ds, tables)


def _join_optional(first: pd.Series, second: pd.Series) -> pd.Series:
    both = first.notna() & second.notna()
    out = first.fillna(second)
    return out.where(~both, first + ";" + second)


def _merge_actors(ds: Any, use: pd.DataFrame) -> Any:
    items = ds.items
    actors = ds.actors
    tables: dict[str, pd.DataFrame] = {}
    if not len(use):
        return _new_dataset(ds, tables)
    ent = _actor_entities(items, actors)
    name_of = pd.Series(ent["name"].to_numpy(), index=ent["id"].to_numpy())
    name_of = name_of[~name_of.index.duplicated()]
    both = pd.concat([use["left"], use["right"]], ignore_index=True)
    inverse, ids = pd.factorize(both)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    m = len(use)
    graph = coo_matrix(
        (np.ones(m, np.int8), (inverse[:m], inverse[m:])), shape=(len(ids), len(ids))
    )
    _, label = connected_components(graph, directed=False)
    order = ent.set_index("id")["order"]
    order = order[~order.index.duplicated()]
    frame = pd.DataFrame(
        {"id": ids, "label": label, "order": order.reindex(ids).to_numpy()}
    ).sort_values(["label", "order"], kind="stable")
    canon = frame.groupby("label")["id"].transform("first")
    spelling = pd.Series(
        name_of.reindex(canon.to_numpy()).to_numpy(),
        index=name_of.reindex(frame["id"].to_numpy()).to_numpy(),
    )
    spelling = spelling[~spelling.index.duplicated()]
    if len(items):
        new_items = items.copy()
        actor = new_items["actor"].astype("string").str.strip()
        new_items["actor"] = (
            actor.map(spelling).fillna(new_items["actor"]).astype("string")
        )
        tables["items"] = new_items
    if len(actors):
        new_actors = actors.copy()
        new_actors["name"] = (
            new_actors["name"]
            .astype("string")
            .str.strip()
            .map(spelling)
            .fillna(new_actors["name"])
            .astype("string")
        )
        tables["actors"] = new_actors
    return _new_dataset(ds, tables)
