"""Merge the records of linked clusters: the engine behind ``Dataset.deduplicate``.

Links are computed by the caller (:func:`iti_analytics.link_records`); this
module only merges, so the dataset layer does not depend on the linkage.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from .._validation import check_option
from ..exceptions import InvalidParameterError

__all__ = ["merge_linked", "actor_entities", "LINK_KINDS"]

#: the kinds of link a merge can use.
LINK_KINDS = ("weapon", "actor")
_KINDS = LINK_KINDS


def actor_entities(items: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Distinct (name, country) actor spellings, with the id that stands for each.

    Actors of the ``actors`` table first (their ``actor_id``), then the
    ``actor`` of items (the ``record_id`` of the first item that spells it so).
    Columns ``id``, ``name`` (stripped), ``country`` and ``order`` (first seen
    first). The ids are those of :func:`iti_analytics.link_records` actor links.
    """
    parts = []
    if len(actors):
        parts.append(
            pd.DataFrame(
                {
                    "id": actors["actor_id"].astype("string"),
                    "name": actors["name"].astype("string"),
                    "country": actors["country"].astype("string"),
                    "order": np.arange(len(actors)) - len(actors),
                }
            )
        )
    if len(items):
        parts.append(
            pd.DataFrame(
                {
                    "id": items["record_id"].astype("string"),
                    "name": items["actor"].astype("string"),
                    "country": items["country"].astype("string"),
                    "order": np.arange(len(items)),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["id", "name", "country", "order"])
    ent = pd.concat(parts, ignore_index=True)
    ent["name"] = ent["name"].str.strip()
    ent = ent[ent["name"].notna() & (ent["name"] != "") & ent["id"].notna()]
    ent = ent.drop_duplicates(["name", "country"], keep="first")
    return ent.reset_index(drop=True)


def _table(ds: Any, name: str) -> pd.DataFrame:
    """``ds.<name>`` as a canonical table (empty when absent)."""
    frame = getattr(ds, name, None)
    if not isinstance(frame, pd.DataFrame):
        return schema.empty_table(name)
    return schema.as_canonical(frame, name)


def merge_linked(
    ds: Any,
    links: pd.DataFrame,
    *,
    min_confidence: float = 0.9,
    kind: str = "weapon",
) -> Any:
    """A new dataset where each linked cluster of ``kind`` is merged.

    The rules are those of :func:`iti_analytics.linkage.deduplicate`. ``ds``
    has conformed canonical tables (a Dataset, or an object with ``items``,
    ``traces``, ``actors`` and ``movements``); the result is of its type.
    """
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


def _new_dataset(ds: Any, tables: dict[str, pd.DataFrame]) -> Any:
    from_parts = getattr(type(ds), "_from_parts", None)
    if from_parts is not None:
        return from_parts(
            {t: tables.get(t, getattr(ds, t)) for t in schema.TABLES},
            ds.issues.copy(),
            ds.rejects.copy(),
            list(getattr(ds, "reports", [])),
        )
    out = copy.copy(ds)
    for name, frame in tables.items():
        setattr(out, name, frame)
    return out


def _merge_weapons(ds: Any, use: pd.DataFrame) -> Any:
    items = _table(ds, "items")
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
    items = _table(ds, "items")
    actors = _table(ds, "actors")
    tables: dict[str, pd.DataFrame] = {}
    if not len(use):
        return _new_dataset(ds, tables)
    ent = actor_entities(items, actors)
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
