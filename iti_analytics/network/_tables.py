"""The link tables the analyses run on, read from a Dataset or from a built graph.

Analyses never walk the networkx graph record by record: they work on three
flat tables (items, hubs, same-weapon pairs) and sparse matrices, whether the
user passed a Dataset or the graph of :func:`build_graph`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from .._text import actor_keys
from .._validation import check_option
from ..dataset import Dataset
from ..exceptions import InvalidParameterError
from ._common import clean_text, place_ids, seizure_keys
from ._set_aside import MAX_WEAPON_SEIZURES, empty_set_aside, set_aside_records
from .batches import batches as find_batches

__all__: list[str] = []

#: what can link two seizures into one network.
VIA = ("actor", "batch", "lot", "locality", "diversion_point")
DEFAULT_VIA = ("actor", "batch", "lot")


@dataclass
class LinkTables:
    """``items``: record_id, seizure, seized_on, country, lat, lon, category, actor.

    ``hubs``: seizure, hub (node id), via. ``pairs``: seizure_a, seizure_b
    (seizures holding records of the same weapon).
    """

    items: pd.DataFrame
    hubs: pd.DataFrame
    pairs: pd.DataFrame
    set_aside: pd.DataFrame = field(default_factory=empty_set_aside)


def check_via(via: Any) -> tuple[str, ...]:
    via = (via,) if isinstance(via, str) else tuple(via)
    for v in via:
        check_option("via", v, VIA)
    return via


def link_tables(
    source: Any,
    via: tuple[str, ...] = DEFAULT_VIA,
    links: pd.DataFrame | None = None,
    batch_members: pd.DataFrame | None = None,
    batch_strengths: tuple[str, ...] = ("strong",),
    max_gap: int = 10,
    max_weapon_seizures: int = MAX_WEAPON_SEIZURES,
) -> LinkTables:
    if isinstance(source, nx.Graph):
        return _from_graph(source, via, batch_strengths)
    return _from_dataset(
        source,
        via,
        links,
        batch_members,
        batch_strengths,
        max_gap,
        max_weapon_seizures,
    )


def _empty_hubs() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series([], dtype="string") for c in ("seizure", "hub", "via")}
    )


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series([], dtype="string") for c in ("seizure_a", "seizure_b")}
    )


def _from_dataset(
    ds: Dataset,
    via: tuple[str, ...],
    links: pd.DataFrame | None,
    batch_members: pd.DataFrame | None,
    batch_strengths: tuple[str, ...],
    max_gap: int,
    max_weapon_seizures: int,
) -> LinkTables:
    it = ds.items.reset_index(drop=True)
    aside = set_aside_records(
        it, max_weapon_seizures=max_weapon_seizures, max_gap=max_gap
    )
    seizure = "seizure:" + seizure_keys(it)
    actor = ("actor:" + actor_keys(it["actor"])).astype("string")
    category = clean_text(it["category"]).fillna(clean_text(it["item_kind"]))
    items = pd.DataFrame(
        {
            "record_id": it["record_id"].astype("string"),
            "seizure": seizure,
            "seized_on": it["seized_on"],
            "country": clean_text(it["country"]),
            "lat": pd.to_numeric(it["lat"], errors="coerce").astype(float),
            "lon": pd.to_numeric(it["lon"], errors="coerce").astype(float),
            "category": category,
            "actor": actor,
        }
    )
    rid = items["record_id"]
    hubs = []
    if "actor" in via:
        hubs.append(
            pd.DataFrame(
                {"record_id": rid, "seizure": seizure, "hub": actor, "via": "actor"}
            )
        )
    if "lot" in via:
        lot = (
            clean_text(it["calibre"]).fillna("")
            + "/"
            + clean_text(it["headstamp"]).fillna("")
            + "/"
            + clean_text(it["lot"])
        )
        hubs.append(
            pd.DataFrame(
                {
                    "record_id": rid,
                    "seizure": seizure,
                    "hub": "lot:" + lot,
                    "via": "lot",
                }
            )
        )
    if "locality" in via:
        loc = place_ids(it["country"], it["admin1"], it["locality"])["locality"]
        hubs.append(
            pd.DataFrame(
                {
                    "record_id": rid,
                    "seizure": seizure,
                    "hub": "place:" + loc,
                    "via": "locality",
                }
            )
        )
    if "batch" in via:
        members = batch_members
        if members is None:
            _, members = find_batches(ds, max_gap=max_gap, return_members=True)
        for col in ("record_id", "batch_id"):
            if col not in members:
                raise InvalidParameterError(
                    f"batch_members has no {col!r} column; pass the members table of "
                    "batches(ds, return_members=True)."
                )
        if "strength" in members and batch_strengths:
            members = members[members["strength"].isin(batch_strengths).to_numpy()]
        if "kind" in members and "lot" in via:  # lots link through their own node
            members = members[(members["kind"] != "lot").to_numpy()]
        where = pd.Series(seizure.to_numpy(), index=items["record_id"].to_numpy())
        where = where[~where.index.duplicated()]
        hubs.append(
            pd.DataFrame(
                {
                    "record_id": members["record_id"].astype("string").to_numpy(),
                    "seizure": where.reindex(
                        members["record_id"].astype("string").to_numpy()
                    ).to_numpy(),
                    "hub": ("batch:" + members["batch_id"].astype("string")).to_numpy(),
                    "via": "batch",
                }
            )
        )
    if "diversion_point" in via and len(ds.traces):
        tr = ds.traces
        wherec = clean_text(tr["diversion_country"]).fillna(
            clean_text(tr["last_legal_country"])
        )
        holder = clean_text(tr["last_legal_holder"])
        year = pd.to_numeric(tr["diversion_year"], errors="coerce").astype("Int64")
        key = (
            wherec.fillna("")
            + "/"
            + holder.fillna("")
            + "/"
            + year.astype("string").fillna("")
        ).where(wherec.notna() | holder.notna())
        where = pd.Series(seizure.to_numpy(), index=items["record_id"].to_numpy())
        where = where[~where.index.duplicated()]
        hubs.append(
            pd.DataFrame(
                {
                    "record_id": tr["record_id"].astype("string").to_numpy(),
                    "seizure": where.reindex(
                        tr["record_id"].astype("string").to_numpy()
                    ).to_numpy(),
                    "hub": ("diversion_point:" + key).to_numpy(),
                    "via": "diversion_point",
                }
            )
        )
    if len(aside):  # set-aside records tie nothing together
        keep = ~items["record_id"].isin(aside["record_id"]).to_numpy()
        hubs = [h[~h["record_id"].isin(aside["record_id"]).to_numpy()] for h in hubs]
        pairs = _pairs_from_links(links, items[keep])
    else:
        pairs = _pairs_from_links(links, items)
    hub = _finish_hubs([h[["seizure", "hub", "via"]] for h in hubs])
    return LinkTables(items, hub, pairs, aside)


def _finish_hubs(hubs: list[pd.DataFrame]) -> pd.DataFrame:
    if not hubs:
        return _empty_hubs()
    hub = pd.concat(hubs, ignore_index=True).astype("string")
    hub = hub.dropna().drop_duplicates(["seizure", "hub"]).reset_index(drop=True)
    return hub


def _pairs_from_links(links: pd.DataFrame | None, items: pd.DataFrame) -> pd.DataFrame:
    if links is None or len(links) == 0:
        return _empty_pairs()
    for col in ("left", "right"):
        if col not in links:
            raise InvalidParameterError(
                f"The links table has no {col!r} column; pass the table returned by "
                "link_records(ds)."
            )
    lk = links
    if "kind" in lk:
        lk = lk[lk["kind"].astype("string").fillna("weapon").to_numpy() == "weapon"]
    where = pd.Series(items["seizure"].to_numpy(), index=items["record_id"].to_numpy())
    where = where[~where.index.duplicated()]
    pairs = pd.DataFrame(
        {
            "seizure_a": where.reindex(
                lk["left"].astype("string").to_numpy()
            ).to_numpy(),
            "seizure_b": where.reindex(
                lk["right"].astype("string").to_numpy()
            ).to_numpy(),
        }
    ).astype("string")
    return pairs.dropna().reset_index(drop=True)


def _from_graph(G: nx.Graph, via: tuple[str, ...], batch_strengths) -> LinkTables:
    kinds = dict(G.nodes(data="kind"))
    item_nodes = [n for n, k in kinds.items() if k == "item"]
    attrs = G.nodes
    seizure_of: dict = {}
    hubs: list[tuple[str, str, str]] = []
    item_hubs: list[tuple[str, str, str]] = []
    pairs: list[tuple[str, str]] = []
    batch_ok = {
        n
        for n, k in kinds.items()
        if k == "batch"
        and (
            not batch_strengths or attrs[n].get("strength", "strong") in batch_strengths
        )
    }
    # item nodes build_graph marked as not tying seizures (service weapons...)
    aside = {n: r for n, r in G.nodes(data="set_aside") if r is not None}
    for u, v, kind in G.edges(data="kind"):
        if u in aside and kind != "recovered_in":
            continue
        if kind == "recovered_in":
            seizure_of[u] = v
        elif kind == "held_by" and "actor" in via:
            (hubs if kinds.get(u) == "seizure" else item_hubs).append((u, v, "actor"))
        elif kind == "shares_lot" and "lot" in via:
            item_hubs.append((u, v, "lot"))
        elif kind == "same_batch" and "batch" in via and v in batch_ok:
            if not ("lot" in via and attrs[v].get("batch_kind") == "lot"):
                item_hubs.append((u, v, "batch"))
        elif kind == "diverted_from" and "diversion_point" in via:
            item_hubs.append((u, v, "diversion_point"))
        elif kind == "at" and "locality" in via and kinds.get(u) == "seizure":
            if attrs[v].get("level") == "locality":
                hubs.append((u, v, "locality"))
        elif kind == "same_weapon" and v not in aside:
            pairs.append((u, v))
    actor_of: dict = {}
    for u, v, w in hubs + item_hubs:
        if w == "actor":
            actor_of[u] = v
    rows = []
    for n in item_nodes:
        a = attrs[n]
        s = seizure_of.get(n)
        rec = a.get("records") or [n[5:]]
        sa = attrs[s] if s is not None else {}
        rows.append(
            (
                rec[0],
                s if s is not None else "seizure:=" + rec[0],
                a.get("seized_on"),
                a.get("country", sa.get("country")),
                sa.get("lat"),
                sa.get("lon"),
                a.get("category", a.get("item_kind")),
                actor_of.get(n, actor_of.get(s)),
            )
        )
    items = pd.DataFrame(
        rows,
        columns=[
            "record_id",
            "seizure",
            "seized_on",
            "country",
            "lat",
            "lon",
            "category",
            "actor",
        ],
    )
    for col in ("record_id", "seizure", "country", "category", "actor"):
        items[col] = items[col].astype("string")
    items["seized_on"] = pd.to_datetime(items["seized_on"], errors="coerce").astype(
        "datetime64[s]"
    )
    items["lat"] = pd.to_numeric(items["lat"], errors="coerce").astype(float)
    items["lon"] = pd.to_numeric(items["lon"], errors="coerce").astype(float)
    frames = []
    if hubs:
        frames.append(pd.DataFrame(hubs, columns=["seizure", "hub", "via"]))
    if item_hubs:
        ih = pd.DataFrame(item_hubs, columns=["item", "hub", "via"])
        ih["seizure"] = ih["item"].map(seizure_of)
        frames.append(ih[["seizure", "hub", "via"]])
    hub = _finish_hubs(frames)
    pair = pd.DataFrame(
        {
            "seizure_a": [seizure_of.get(u) for u, _ in pairs],
            "seizure_b": [seizure_of.get(v) for _, v in pairs],
        }
    ).astype("string")
    if pair.empty:
        pair = _empty_pairs()
    set_aside = pd.DataFrame(
        {
            "record_id": [(attrs[n].get("records") or [n[5:]])[0] for n in aside],
            "seizure": [seizure_of.get(n) for n in aside],
            "reason": list(aside.values()),
        },
        dtype="string",
    )
    if set_aside.empty:
        set_aside = empty_set_aside()
    return LinkTables(
        items, hub, pair.dropna().reset_index(drop=True), set_aside=set_aside
    )
