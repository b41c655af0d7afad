"""The machinery of ``build_graph``: adds each kind of node and edge, fast."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress, repeat
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .._text import actor_keys
from ..exceptions import InvalidParameterError
from ._common import (
    clean_text,
    iso_dates,
    lists_by_group,
    most_frequent,
    place_ids,
    route_legs,
    seizure_keys,
)
from .batches import batches as find_batches

__all__: list[str] = []

_TRACE_ATTRS = (
    "requesting_country",
    "requested_party",
    "party_type",
    "channel",
    "status",
    "outcome",
    "sent_on",
    "responded_on",
)


def _obj(values: Any) -> np.ndarray:
    """Object array with None for null: Python scalars, dates as ISO strings.

    Equal values share one Python object (factorize, convert the distinct
    values once, take back): a million items of one make hold one string,
    not a million copies.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    codes, uniques = pd.factorize(s)
    if pd.api.types.is_datetime64_any_dtype(s):
        distinct = iso_dates(pd.Series(uniques))
    elif pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
        distinct = np.array([bool(v) for v in uniques], dtype=object)
    elif pd.api.types.is_integer_dtype(s):
        distinct = np.array([int(v) for v in uniques], dtype=object)
    elif pd.api.types.is_float_dtype(s):
        distinct = np.array([float(v) for v in uniques], dtype=object)
    else:
        distinct = pd.Series(uniques).astype("string").to_numpy(dtype=object)
    table = np.empty(len(distinct) + 1, dtype=object)
    table[:-1] = distinct
    table[-1] = None
    return table[codes]


class _Builder:
    """Adds the nodes and edges of each kind; keeps what later steps need."""

    def __init__(self, self_loops: bool):
        self.G = nx.MultiDiGraph(created_by="iti_analytics.build_graph")
        self.self_loops = self_loops
        self.rid = np.array([], dtype=object)
        self.rid_index = pd.Index([], dtype=object)
        self.rid_unique = True
        #: records batches set aside (record_id, seizure, reason), when known
        self.set_aside: pd.DataFrame | None = None
        self.item_records: list[list] = []
        self.s_records: list[list] = []
        self.place_records: dict[str, list] = {}
        self.place_parent: dict[str, str | None] = {}
        self.place_level: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------
    @staticmethod
    def _dicts(records: list, attrs: dict[str, np.ndarray] | None) -> Iterator[dict]:
        """Attribute dicts but ``kind``, one at a time (nulls left out).

        A generator, so that networkx copies each dict and the copy we made
        is freed at once: the graph is the only thing that grows in memory.
        ``kind`` is passed to networkx as the attribute common to all.
        """
        if not attrs:
            return ({"records": r} for r in records)
        names = ("records", *attrs)
        columns = [attrs[name] for name in names[1:]]
        return (
            {k: v for k, v in zip(names, row, strict=True) if v is not None}
            for row in zip(records, *columns, strict=True)
        )

    def add_nodes(
        self,
        ids: np.ndarray,
        kind: str,
        records: list[list],
        attrs: dict[str, np.ndarray] | None = None,
    ) -> None:
        _add_nodes(self.G, ids.tolist(), kind, self._dicts(records, attrs))

    def add_edges(
        self,
        sources: np.ndarray,
        targets: np.ndarray,
        kind: str,
        records: list[list],
        attrs: dict[str, np.ndarray] | None = None,
    ) -> None:
        _add_edges(
            self.G,
            sources.tolist(),
            targets.tolist(),
            kind,
            self._dicts(records, attrs),
        )

    def item_lists(self, rids: np.ndarray) -> list[list]:
        """The records list of each item (``[rid]``), shared with its node.

        An edge of one item carries the list its item node already holds, so
        that the graph holds one small list per item, not one per edge. A
        record that is not in the items gets its own list.
        """
        pos = self.rid_index.get_indexer(rids) if self.rid_unique else None
        if pos is None or (pos < 0).any():
            return [[r] for r in rids.tolist()]
        return [self.item_records[i] for i in pos.tolist()]

    @staticmethod
    def _shared_lists(
        code: np.ndarray, owner: np.ndarray, values: np.ndarray, owner_lists: list
    ) -> list[list]:
        """Records of each group; the owner's list when the group is all of it.

        ``code`` is each row's group, ``owner[g]`` the group's owner (e.g. the
        seizure of a (seizure, place) pair) whose records are
        ``owner_lists[owner[g]]``. A group holding every record of its owner
        shares that list (same records, same order).
        """
        n = len(owner)
        size = np.bincount(code, minlength=n)
        whole = size == np.array([len(owner_lists[o]) for o in owner.tolist()])
        out = [
            owner_lists[o] if w else None
            for o, w in zip(owner.tolist(), whole.tolist(), strict=True)
        ]
        part = ~whole[code]
        if part.any():
            groups = np.flatnonzero(~whole)
            local = np.full(n, -1, dtype=np.int64)
            local[groups] = np.arange(len(groups))
            lists = lists_by_group(local[code[part]], values[part], len(groups))
            for g, lst in zip(groups.tolist(), lists, strict=True):
                out[g] = lst
        return out

    def group(
        self, keys: pd.Series, extra: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, list[list], np.ndarray]:
        """Distinct non-null keys, the records of each, and each row's code."""
        codes, uniques = pd.factorize(keys)
        mask = codes >= 0
        records = lists_by_group(codes[mask], self.rid[mask], len(uniques))
        return np.asarray(uniques, dtype=object), records, codes

    # -- items, seizures, actors, places, lots --------------------------------
    def items(
        self, it: pd.DataFrame, attrs: dict[str, pd.Series], links: pd.DataFrame | None
    ) -> None:
        rid = it["record_id"].astype("string")
        self.rid = rid.to_numpy(dtype=object)
        self.rid_index = pd.Index(rid)
        self.rid_unique = self.rid_index.is_unique
        n = len(it)
        item_ids = ("item:" + rid).to_numpy(dtype=object)
        node_attrs = {k: _obj(v) for k, v in attrs.items()}
        # one records list per item, shared by the item node and its own edges
        # (treat ``records`` as read-only)
        self.item_records = [[r] for r in self.rid]
        self.add_nodes(item_ids, "item", self.item_records, node_attrs)
        # a million-row object array is walked by every full collection of
        # the garbage collector while it lives: free each as soon as it is used
        del node_attrs
        # seizures
        skey = seizure_keys(it)
        s_ids, s_records, s_code = self.group("seizure:" + skey)
        frame = pd.DataFrame(
            {
                "code": s_code,
                "seized_on": it["seized_on"],
                "lat": pd.to_numeric(it["lat"], errors="coerce").astype(float),
                "lon": pd.to_numeric(it["lon"], errors="coerce").astype(float),
                "country": clean_text(it["country"]),
                "source": clean_text(it["source"]),
                "seizure_id": clean_text(it["seizure_id"]),
            }
        )
        agg = frame.groupby("code", sort=True).agg(
            first=("seized_on", "min"),
            last=("seized_on", "max"),
            lat=("lat", "mean"),
            lon=("lon", "mean"),
            country=("country", "first"),
            source=("source", "first"),
            seizure_id=("seizure_id", "first"),
        )
        sizes = np.bincount(s_code, minlength=len(s_ids))
        seizure_attrs = {
            "seizure_id": _obj(agg["seizure_id"]),
            "items": np.array(sizes.tolist(), dtype=object),
            "first_seen": _obj(agg["first"]),
            "last_seen": _obj(agg["last"]),
            "country": _obj(agg["country"]),
            "source": _obj(agg["source"]),
            "lat": _obj(agg["lat"]),
            "lon": _obj(agg["lon"]),
        }
        self.add_nodes(s_ids, "seizure", s_records, seizure_attrs)
        del seizure_attrs, frame, agg
        self.s_records = s_records
        self.add_edges(item_ids, s_ids[s_code], "recovered_in", self.item_records)
        # actors
        akey = actor_keys(it["actor"])
        if links is not None and len(links):
            akey = _merge_actor_spellings(akey, links)
        self.actor_key = akey
        a_ids, a_records, a_code = self.group("actor:" + akey)
        if len(a_ids):
            a_type = clean_text(it["actor_type"])
            # the most frequent type of each actor (ties: the first by name)
            known = a_code >= 0
            types = most_frequent(a_code[known], a_type[known]).reindex(
                range(len(a_ids))
            )
            self.add_nodes(
                a_ids,
                "actor",
                a_records,
                {
                    "name": np.array([a[6:] for a in a_ids], dtype=object),
                    "actor_type": _obj(types),
                    "items": np.array(
                        np.bincount(a_code[a_code >= 0], minlength=len(a_ids)).tolist(),
                        dtype=object,
                    ),
                },
            )
            self._held_by(item_ids, s_code, s_ids, a_code, a_ids, n)
        # places
        places = place_ids(it["country"], it["admin1"], it["locality"])
        self.item_place = places["place"]
        for level in ("country", "admin1", "locality"):
            p_ids, p_records, _ = self.group(places[level])
            for pid, recs in zip(p_ids.tolist(), p_records, strict=False):
                self.place_records.setdefault(pid, []).extend(recs)
                self.place_level[pid] = level
        parent = places["admin1"].fillna(places["country"])
        pairs = (
            pd.DataFrame({"child": places["locality"], "parent": parent})
            .dropna()
            .drop_duplicates()
        )
        pairs2 = (
            pd.DataFrame({"child": places["admin1"], "parent": places["country"]})
            .dropna()
            .drop_duplicates()
        )
        for child, par in zip(
            pd.concat([pairs["child"], pairs2["child"]]).tolist(),
            pd.concat([pairs["parent"], pairs2["parent"]]).tolist(),
            strict=False,
        ):
            self.place_parent[child] = par
        at_mask = places["place"].notna().to_numpy()
        if at_mask.any():
            # one edge per (seizure, place): factorize one integer key
            p_code, p_ids = pd.factorize(places["place"][at_mask])
            pair = s_code[at_mask].astype(np.int64) * len(p_ids) + p_code
            pair_code, pair_uniques = pd.factorize(pair)
            recs = self._shared_lists(
                pair_code, pair_uniques // len(p_ids), self.rid[at_mask], s_records
            )
            src = s_ids[pair_uniques // len(p_ids)]
            dst = "place:" + pd.Series(p_ids[pair_uniques % len(p_ids)], dtype="string")
            self.add_edges(src, dst.to_numpy(dtype=object), "at", recs)
        # lots: cartridges are not numbered one by one; their packaging, and in
        # Brazil the case heads of police and army ammunition ("AHW55": Law
        # 10.826/2003 art. 23 §2, Portaria 16-D LOG of 2004), carry the lot
        # number (Small Arms Survey, "Ammunition Marking", Issue Brief 3,
        # 2011), so a "serial" written for ammunition is its lot
        lot = clean_text(it["lot"])
        ammunition = (it["item_kind"] == "ammunition").fillna(False).to_numpy(bool)
        lot = lot.where(~(lot.isna().to_numpy() & ammunition), clean_text(it["serial"]))
        lot_key = (
            clean_text(it["calibre"]).fillna("")
            + "/"
            + clean_text(it["headstamp"]).fillna("")
            + "/"
            + lot
        )
        l_ids, l_records, l_code = self.group("lot:" + lot_key)
        if len(l_ids):
            parts = [s[4:].split("/", 2) for s in l_ids]
            self.add_nodes(
                l_ids,
                "lot",
                l_records,
                {
                    "calibre": np.array([p[0] or None for p in parts], dtype=object),
                    "headstamp": np.array([p[1] or None for p in parts], dtype=object),
                    "lot": np.array([p[2] for p in parts], dtype=object),
                    "items": np.array([len(r) for r in l_records], dtype=object),
                },
            )
            m = l_code >= 0
            self.add_edges(
                item_ids[m],
                l_ids[l_code[m]],
                "shares_lot",
                list(compress(self.item_records, m)),
            )

    def _held_by(self, item_ids, s_code, s_ids, a_code, a_ids, n) -> None:
        has = a_code >= 0
        frame = pd.DataFrame({"s": s_code, "a": a_code})
        n_items = np.bincount(s_code, minlength=len(s_ids))
        n_with = np.bincount(s_code[has], minlength=len(s_ids))
        n_actors = frame[has].drop_duplicates().groupby("s").size()
        n_actors = n_actors.reindex(range(len(s_ids)), fill_value=0).to_numpy()
        whole = (n_actors == 1) & (n_with == n_items)
        at_seizure = has & whole[s_code]
        if at_seizure.any():
            # every item of the seizure has the actor: the seizure's own list
            sc = s_code[at_seizure]
            seizures = np.unique(sc)
            first_actor = np.zeros(len(s_ids), dtype=np.int64)
            first_actor[sc] = a_code[at_seizure]
            self.add_edges(
                s_ids[seizures],
                a_ids[first_actor[seizures]],
                "held_by",
                [self.s_records[s] for s in seizures.tolist()],
            )
        per_item = has & ~whole[s_code]
        if per_item.any():
            self.add_edges(
                item_ids[per_item],
                a_ids[a_code[per_item]],
                "held_by",
                list(compress(self.item_records, per_item)),
            )

    def actors_table(self, actors: pd.DataFrame) -> None:
        if actors.empty:
            return
        name = actor_keys(actors["name"].fillna(actors["actor_id"]))
        frame = pd.DataFrame(
            {
                "node": ("actor:" + name),
                "actor_id": clean_text(actors["actor_id"]),
                "actor_type": clean_text(actors["actor_type"]),
                "country": clean_text(actors["country"]),
            }
        ).dropna(subset=["node"])
        for row in frame.drop_duplicates("node").itertuples(index=False):
            attrs = {
                k: v
                for k, v in (
                    ("actor_id", row.actor_id),
                    ("actor_type", row.actor_type),
                    ("country", row.country),
                )
                if not pd.isna(v)
            }
            if row.node in self.G:
                node = self.G.nodes[row.node]
                for k, v in attrs.items():
                    node.setdefault(k, v)
            else:
                self.G.add_node(
                    row.node, kind="actor", records=[], name=row.node[6:], **attrs
                )

    # -- routes and movements -------------------------------------------------
    def movements(self, mv: pd.DataFrame) -> None:
        self.moves = []
        if mv.empty:
            return
        origin = clean_text(mv["origin"]).str.upper()
        dest = clean_text(mv["destination"]).str.upper()
        ok = (origin.notna() & dest.notna()).to_numpy()
        if not ok.any():
            return
        mv = mv[ok]
        date = mv["moved_on"]
        year = pd.to_numeric(mv["year"], errors="coerce")
        year_date = pd.to_datetime(
            year.astype("Int64").astype("string") + "-01-01", errors="coerce"
        )
        ref = clean_text(mv["record_id"]).fillna(clean_text(mv["movement_id"]))
        ref = ref.fillna(
            pd.Series(
                [f"movement:{i}" for i in range(len(mv))],
                index=mv.index,
                dtype="string",
            )
        )
        count = pd.to_numeric(mv["count"], errors="coerce").fillna(1).astype("int64")
        self.moves.append(
            pd.DataFrame(
                {
                    "origin": origin[ok].to_numpy(),
                    "destination": dest[ok].to_numpy(),
                    "count": count.to_numpy(),
                    "date": pd.to_datetime(date).fillna(year_date).to_numpy(),
                    "ref": ref.to_numpy(),
                    "evidence": clean_text(mv["evidence"])
                    .fillna("movement")
                    .to_numpy(),
                }
            )
        )

    def routes(self, it: pd.DataFrame) -> None:
        legs = route_legs(it["origin_country"], it["transit_countries"], it["country"])
        if legs.empty:
            return
        rows = legs["row"].to_numpy()
        self.moves.append(
            pd.DataFrame(
                {
                    "origin": legs["origin"].to_numpy(),
                    "destination": legs["destination"].to_numpy(),
                    "count": np.ones(len(legs), dtype=np.int64),
                    "date": it["seized_on"].to_numpy()[rows],
                    "ref": self.rid[rows],
                    "evidence": "route",
                }
            )
        )

    # -- batches, traces, links ------------------------------------------------
    def batches(self, data: Any, batches: Any, max_gap: int) -> None:
        if isinstance(batches, pd.DataFrame):
            members = batches
            table = None
        elif isinstance(batches, tuple) and len(batches) == 2:
            table, members = batches
        else:
            table, members = find_batches(data, max_gap=max_gap, return_members=True)
        if table is not None and "set_aside" in table.attrs:
            # what batches set aside; build_graph marks those item nodes
            self.set_aside = pd.DataFrame(table.attrs["set_aside"])
        if members is None or members.empty:
            return
        for col in ("record_id", "batch_id"):
            if col not in members:
                raise InvalidParameterError(
                    f"The batches table passed to build_graph has no {col!r} column; "
                    "pass the members table of batches(ds, return_members=True)."
                )
        b_ids = ("batch:" + members["batch_id"].astype("string")).to_numpy(object)
        rids = members["record_id"].astype("string").to_numpy(dtype=object)
        uniq, code = np.unique(b_ids, return_inverse=True)
        recs = lists_by_group(code, rids, len(uniq))
        attrs: dict[str, np.ndarray] = {}
        if table is not None and len(table):
            t = table.set_index("batch:" + table["batch_id"].astype("string"))
            t = t.reindex(uniq)
            for col in (
                "batch_id",
                "kind",
                "strength",
                "evidence",
                "items",
                "seizures",
                "countries",
                "first_seen",
                "last_seen",
                "make",
                "model",
                "calibre",
                "serial_range",
            ):
                attrs["batch_kind" if col == "kind" else col] = _obj(t[col])
        else:
            attrs["batch_id"] = np.array([u[6:] for u in uniq], dtype=object)
        self.add_nodes(uniq, "batch", recs, attrs)
        items = ("item:" + members["record_id"].astype("string")).to_numpy(object)
        self._ensure_items(items, rids)
        kinds = _obj(members["kind"]) if "kind" in members else np.full(len(rids), None)
        self.add_edges(
            items, b_ids, "same_batch", self.item_lists(rids), {"batch_kind": kinds}
        )

    def _ensure_items(self, item_ids: np.ndarray, rids: np.ndarray) -> None:
        maybe = np.ones(len(rids), dtype=bool)
        if self.rid_unique and len(self.rid_index):  # the items' own are there
            maybe = self.rid_index.get_indexer(rids) < 0
        missing = [
            (i, r)
            for i, r in zip(
                item_ids[maybe].tolist(), rids[maybe].tolist(), strict=False
            )
            if i not in self.G
        ]
        for node, rid in dict(missing).items():
            self.G.add_node(node, kind="item", records=[rid], in_items=False)

    def traces(self, tr: pd.DataFrame) -> None:
        tr = tr[tr["record_id"].notna().to_numpy() & tr["trace_id"].notna().to_numpy()]
        if tr.empty:
            return
        tid = tr["trace_id"].astype("string").to_numpy(dtype=object)
        rids = tr["record_id"].astype("string").to_numpy(dtype=object)
        t_ids = np.array(["trace:" + t for t in tid], dtype=object)
        item_ids = np.array(["item:" + r for r in rids], dtype=object)
        self._ensure_items(item_ids, rids)
        attrs = {c: _obj(tr[c]) for c in _TRACE_ATTRS}
        attrs["trace_id"] = tid
        attrs["record_id"] = rids
        self.add_nodes(t_ids, "trace", [[t] for t in tid], attrs)
        self.add_edges(item_ids, t_ids, "traced_by", self.item_lists(rids))
        # diversion points
        where = clean_text(tr["diversion_country"]).fillna(
            clean_text(tr["last_legal_country"])
        )
        holder = clean_text(tr["last_legal_holder"])
        year = pd.to_numeric(tr["diversion_year"], errors="coerce").astype("Int64")
        known = (where.notna() | holder.notna()).to_numpy()
        if not known.any():
            return
        key = (
            where.fillna("")
            + "/"
            + holder.fillna("")
            + "/"
            + year.astype("string").fillna("")
        )
        d_ids = ("diversion_point:" + key).to_numpy(dtype=object)[known]
        uniq, code = np.unique(d_ids, return_inverse=True)
        recs = lists_by_group(code, rids[known], len(uniq))
        parts = [u[len("diversion_point:") :].split("/") for u in uniq]
        mode = clean_text(tr["diversion_mode"])
        self.add_nodes(
            uniq,
            "diversion_point",
            recs,
            {
                "country": np.array([p[0] or None for p in parts], dtype=object),
                "holder": np.array(["/".join(p[1:-1]) or None for p in parts], object),
                "year": np.array(
                    [int(p[-1]) if p[-1] else None for p in parts], object
                ),
                "items": np.array([len(r) for r in recs], dtype=object),
            },
        )
        self.add_edges(
            item_ids[known],
            d_ids,
            "diverted_from",
            self.item_lists(rids[known]),
            {"trace_id": tid[known], "mode": _obj(mode)[known]},
        )
        countries = [
            (u, p[0]) for u, p in zip(uniq.tolist(), parts, strict=False) if p[0]
        ]
        for node, ctry in countries:
            self.place_level.setdefault(ctry, "country")
            self.place_records.setdefault(ctry, [])
            self.G.add_edge(
                node,
                "place:" + ctry,
                key="at",
                kind="at",
                records=list(self.G.nodes[node]["records"]),
            )

    def same_weapon(self, links: pd.DataFrame) -> None:
        for col in ("left", "right"):
            if col not in links:
                raise InvalidParameterError(
                    f"The links table has no {col!r} column; pass the table returned "
                    "by link_records(ds)."
                )
        lk = links
        if "kind" in lk:
            lk = lk[lk["kind"].astype("string").fillna("weapon") == "weapon"]
        if lk.empty:
            return
        left = lk["left"].astype("string").to_numpy(dtype=object)
        right = lk["right"].astype("string").to_numpy(dtype=object)
        li = np.array(["item:" + x for x in left], dtype=object)
        ri = np.array(["item:" + x for x in right], dtype=object)
        self._ensure_items(li, left)
        self._ensure_items(ri, right)
        attrs = {}
        for col in ("confidence", "reason", "cluster", "method"):
            if col in lk:
                attrs[col] = _obj(lk[col])
        self.add_edges(
            li,
            ri,
            "same_weapon",
            [[a, b] for a, b in zip(left, right, strict=False)],
            attrs,
        )

    # -- places and moved edges last (they need every place) -------------------
    def finish(self) -> None:
        moves = [m for m in self.moves if len(m)]
        if moves:
            mv = pd.concat(moves, ignore_index=True)
            if not self.self_loops:
                mv = mv[(mv["origin"] != mv["destination"]).to_numpy()]
            self._moved(mv)
        # places and part_of edges
        for pid in list(self.place_level):
            if "-" in pid and "/" not in pid and len(pid) <= 6:  # ISO 3166-2
                parent = _alpha3(pid.split("-")[0])
                if parent:
                    self.place_parent.setdefault(pid, parent)
                    self.place_level.setdefault(parent, "country")
                    self.place_records.setdefault(parent, [])
        ids = list(self.place_level)
        for pid in ids:
            level = self.place_level[pid]
            name = pid.rsplit("/", 1)[-1] if "/" in pid else pid
            country = pid.split("/", 1)[0] or None
            if "-" in pid and "/" not in pid and len(pid) <= 6:
                level = "admin1"
                country = self.place_parent.get(pid)
            attrs = {"level": level, "name": name}
            if country:
                attrs["country"] = country
            records = self.place_records.get(pid, [])
            node = "place:" + pid
            if node in self.G:
                self.G.nodes[node].update(kind="place", records=records, **attrs)
            else:
                self.G.add_node(node, kind="place", records=records, **attrs)
        for child, parent in self.place_parent.items():
            if child in self.place_level and parent:
                if "place:" + parent not in self.G:
                    self.G.add_node(
                        "place:" + parent,
                        kind="place",
                        records=[],
                        level="country",
                        name=parent,
                        country=parent,
                    )
                self.G.add_edge(
                    "place:" + child,
                    "place:" + parent,
                    key="part_of",
                    kind="part_of",
                    records=list(self.place_records.get(child, [])),
                )

    def _moved(self, mv: pd.DataFrame) -> None:
        if mv.empty:
            return
        for col in ("origin", "destination"):
            for pid in pd.unique(mv[col].to_numpy(dtype=object)).tolist():
                self.place_level.setdefault(pid, "country")
                self.place_records.setdefault(pid, [])
        ends = pd.DataFrame(
            {
                "place": np.concatenate(
                    [mv["origin"].to_numpy(object), mv["destination"].to_numpy(object)]
                ),
                "ref": np.concatenate([mv["ref"].to_numpy(object)] * 2),
            }
        ).drop_duplicates()
        for pid, refs in ends.groupby("place")["ref"]:
            known = self.place_records[pid]
            have = set(known)
            known.extend(r for r in refs.tolist() if r not in have)
        pair = mv["origin"].astype(str) + ">" + mv["destination"].astype(str)
        code, uniq = pd.factorize(pair)
        recs = lists_by_group(code, mv["ref"].to_numpy(dtype=object), len(uniq))
        agg = (
            mv.assign(code=code)
            .groupby("code", sort=True)
            .agg(
                origin=("origin", "first"),
                destination=("destination", "first"),
                count=("count", "sum"),
                first=("date", "min"),
                last=("date", "max"),
            )
        )
        ev = (
            mv.assign(code=code)[["code", "evidence"]]
            .drop_duplicates()
            .sort_values(["code", "evidence"])
            .groupby("code")["evidence"]
            .agg(list)
            .reindex(agg.index)
        )
        self.add_edges(
            ("place:" + agg["origin"].astype(str)).to_numpy(dtype=object),
            ("place:" + agg["destination"].astype(str)).to_numpy(dtype=object),
            "moved",
            [sorted(set(r)) for r in recs],
            {
                "count": np.array(agg["count"].astype(int).tolist(), dtype=object),
                "first_date": _obj(agg["first"]),
                "last_date": _obj(agg["last"]),
                "evidence": _object_array(ev.tolist()),
            },
        )


def _add_nodes(G: nx.MultiDiGraph, ids: list, kind: str, dicts: Iterator[dict]) -> None:
    """Add (or update) nodes in one ``add_nodes_from`` call."""
    G.add_nodes_from(zip(ids, dicts, strict=False), kind=kind)


def _add_edges(
    G: nx.MultiDiGraph, sources: list, targets: list, kind: str, dicts: Iterator[dict]
) -> None:
    """Add edges keyed by their kind in one ``add_edges_from`` call.

    As ``networkx.from_pandas_edgelist`` does: the edge list is built first
    (sources, targets, key, attributes) and handed to the public API once; an
    edge that exists under the same key gets its attributes updated.
    """
    G.add_edges_from(
        zip(sources, targets, repeat(kind), dicts, strict=False), kind=kind
    )


def _object_array(values: list) -> np.ndarray:
    """1-D object array of arbitrary objects (lists stay lists)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _alpha3(alpha2: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country is not None else None


def _merge_actor_spellings(akey: pd.Series, links: pd.DataFrame) -> pd.Series:
    """Map actor spellings linked by ``link_records`` to one spelling."""
    if "kind" not in links or not {"left_value", "right_value"} <= set(links):
        return akey
    lk = links[links["kind"].astype("string") == "actor"]
    if lk.empty:
        return akey
    left = actor_keys(lk["left_value"])
    right = actor_keys(lk["right_value"])
    pairs = pd.DataFrame({"a": left, "b": right}).dropna()
    if pairs.empty:
        return akey
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    names, inverse = np.unique(
        np.concatenate([pairs["a"].to_numpy(object), pairs["b"].to_numpy(object)]),
        return_inverse=True,
    )
    k = len(pairs)
    m = coo_matrix((np.ones(k), (inverse[:k], inverse[k:])), shape=(len(names),) * 2)
    _, comp = connected_components(m, directed=False)
    counts = akey.value_counts()
    freq = counts.reindex(names).fillna(0).to_numpy()
    best = (
        pd.DataFrame({"comp": comp, "name": names, "freq": freq})
        .sort_values(["comp", "freq", "name"], ascending=[True, False, True])
        .groupby("comp")["name"]
        .first()
    )
    table = dict(zip(names, best.reindex(comp).to_numpy(), strict=False))
    return akey.map(table).astype("string").fillna(akey)
