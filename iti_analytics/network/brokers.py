"""Brokers: actors and places ranked by betweenness on the actor/place projection."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .._text import actor_keys
from .._validation import check_option
from ..dataset import Dataset, as_dataset
from ._common import (
    clean_text,
    joined_unique,
    place_ids,
    route_legs,
    seizure_keys,
)

__all__ = ["brokers", "BROKER_COLUMNS"]

#: columns of the table :func:`brokers` returns.
BROKER_COLUMNS = [
    "rank",
    "node",
    "kind",
    "name",
    "betweenness",
    "degree",
    "items",
    "countries",
]


def brokers(
    ds: Any,
    *,
    level: str = "country",
    k: int | None = None,
    max_exact: int = 2000,
    seed: int = 0,
    weighted: bool = False,
    max_actors_per_seizure: int = 20,
    top: int | None = None,
) -> pd.DataFrame:
    """Rank actors and places by how much they bridge the rest (betweenness).

    The projection holds actors and places only: an actor is tied to the
    places where its items were recovered, two actors are tied when they were
    found in the same seizure, and two places are tied by a corridor
    (movements, item routes, and, from traces, diversion country -> recovery
    country; at ``level="country"`` only). A broker sits on many shortest
    paths between others: the dealer who supplies two groups, the transit
    country between a source and a market.

    Parameters
    ----------
    ds : Dataset, DataFrame, mapping or networkx.MultiDiGraph
        A Dataset (or items table), or the graph of :func:`build_graph`.
    level : {"country", "admin1", "locality"}, default "country"
        Level of the place nodes. Below country level places are linked only
        through actors (corridors are between countries).
    k : int, optional
        Number of sampled source nodes for approximate betweenness
        (``networkx.betweenness_centrality(k=..., seed=seed)``). By default
        exact up to ``max_exact`` nodes, else ``k=500``: sampling error is
        small for the top ranks that matter.
    max_exact : int, default 2000
        Largest projection computed exactly when ``k`` is not given.
    seed : int, default 0
        Seed of the sampling, so that results repeat.
    weighted : bool, default False
        Treat strong ties as short: distance = 1 / number of items (or
        seizures, flows) behind a tie. Default: every tie counts as one hop.
    max_actors_per_seizure : int, default 20
        Seizures with more actors than this do not tie their actors pairwise
        (the pairs would grow quadratically); those actors stay tied through
        the seizure's place.
    top : int, optional
        Keep only the first ``top`` rows.

    Returns
    -------
    DataFrame
        One row per actor or place, highest betweenness first: ``rank``,
        ``node`` (graph node id), ``kind`` (``actor`` or ``place``), ``name``,
        ``betweenness`` (normalised, 0-1), ``degree`` (ties in the
        projection), ``items`` (held by the actor / recovered at the place),
        ``countries`` (where an actor's items were recovered).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["1", "2", "3", "4"],
    ...     "country": ["NER", "MLI", "MLI", "BFA"],
    ...     "actor": ["Dealer Z", "Dealer Z", "Groupe X", "Groupe X"]})
    >>> brokers(items)[["rank", "node", "betweenness"]].head(2)
       rank          node  betweenness
    0     1  place:MLI     0.666667
    1     2  actor:Dealer Z     0.5...
    """
    check_option("level", level, ("country", "admin1", "locality"))
    if not isinstance(ds, nx.Graph):
        ds = as_dataset(ds)
    edges, info = _broker_edges(ds, level, max_actors_per_seizure)
    graph = nx.Graph()
    if len(edges):
        e = edges.groupby(["a", "b"], sort=True)["w"].sum().reset_index()
        if weighted:
            graph.add_weighted_edges_from(
                zip(e["a"], e["b"], 1.0 / e["w"].to_numpy(dtype=float), strict=False),
                weight="d",
            )
        else:
            graph.add_edges_from(zip(e["a"], e["b"], strict=False))
    graph.add_nodes_from(info.index.tolist())
    n = graph.number_of_nodes()
    if n == 0:
        return pd.DataFrame(
            {
                "rank": pd.Series([], dtype="Int64"),
                "node": pd.Series([], dtype="string"),
                "kind": pd.Series([], dtype="string"),
                "name": pd.Series([], dtype="string"),
                "betweenness": pd.Series([], dtype="Float64"),
                "degree": pd.Series([], dtype="Int64"),
                "items": pd.Series([], dtype="Int64"),
                "countries": pd.Series([], dtype="string"),
            }
        )
    if k is None and n > max_exact:
        k = 500
    if k is not None and k >= n:
        k = None
    bc = nx.betweenness_centrality(
        graph, k=k, seed=seed, normalized=True, weight="d" if weighted else None
    )
    nodes = list(graph.nodes)
    out = pd.DataFrame(
        {
            "node": pd.array(nodes, dtype="string"),
            "betweenness": pd.array([bc[v] for v in nodes], dtype="Float64"),
            "degree": pd.array([graph.degree(v) for v in nodes], dtype="Int64"),
        }
    )
    out["kind"] = out["node"].str.split(":", n=1).str[0].astype("string")
    out["name"] = out["node"].str.split(":", n=1).str[1].astype("string")
    info = info.reindex(nodes)
    out["items"] = pd.array(info["items"].fillna(0).astype(int), dtype="Int64")
    out["countries"] = pd.array(info["countries"].to_numpy(), dtype="string")
    out = out.sort_values(
        ["betweenness", "degree", "items", "node"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)
    out["rank"] = pd.array(np.arange(1, len(out) + 1), dtype="Int64")
    out = out[BROKER_COLUMNS]
    return out.head(top) if top is not None else out


def _level_ids(place: pd.Series, level: str) -> pd.Series:
    """Cut hierarchical place ids (``NER/Tillabéri/Ayorou``) to ``level``."""
    parts = place.str.split("/")
    depth = {"country": 1, "admin1": 2, "locality": 3}[level]
    n = parts.str.len()
    cut = parts.str[:depth].str.join("/")
    # the level must be known: admin1 needs a non-empty 2nd part, etc.
    last = parts.str[depth - 1]
    return cut.where((n >= depth) & (last.fillna("") != "")).astype("string")


def _broker_edges(
    data: Any, level: str, max_actors: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if isinstance(data, nx.Graph):
        rows, legs = _broker_rows_from_graph(data)
    else:
        rows, legs = _broker_rows_from_dataset(data)
    rows["place"] = ("place:" + _level_ids(rows["place"], level)).astype("string")
    parts = []
    ap = rows.dropna(subset=["actor", "place"])
    if len(ap):
        parts.append(
            ap.groupby(["actor", "place"])
            .size()
            .rename("w")
            .reset_index()
            .rename(columns={"actor": "a", "place": "b"})
        )
    sa = rows.dropna(subset=["actor"])[["seizure", "actor"]].drop_duplicates()
    n_act = sa.groupby("seizure")["actor"].transform("size")
    sa = sa[(n_act >= 2) & (n_act <= max_actors)]
    if len(sa):
        pairs = sa.merge(sa, on="seizure")
        pairs = pairs[pairs["actor_x"] < pairs["actor_y"]]
        parts.append(
            pairs.groupby(["actor_x", "actor_y"])
            .size()
            .rename("w")
            .reset_index()
            .rename(columns={"actor_x": "a", "actor_y": "b"})
        )
    if level == "country" and len(legs):
        legs = legs[legs["a"] != legs["b"]].copy()
        legs["a"] = "place:" + legs["a"]
        legs["b"] = "place:" + legs["b"]
        lo = legs[["a", "b"]].min(axis=1)
        hi = legs[["a", "b"]].max(axis=1)
        legs = pd.DataFrame({"a": lo, "b": hi, "w": legs["w"]})
        parts.append(legs)
    edges = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"a": [], "b": [], "w": []})
    )
    edges["w"] = pd.to_numeric(edges["w"]).astype(float)
    # node information: items and countries
    actor_items = rows.dropna(subset=["actor"]).groupby("actor").size()
    place_items = rows.dropna(subset=["place"]).groupby("place").size()
    actor_countries = joined_unique(
        rows["actor"].fillna("").to_numpy(), rows["country"]
    )
    actor_countries = actor_countries[actor_countries.index != ""]
    info = pd.DataFrame({"items": pd.concat([actor_items, place_items])})
    info["countries"] = actor_countries.reindex(info.index)
    extra = pd.Index(
        pd.unique(
            np.concatenate(
                [edges["a"].to_numpy(dtype=object), edges["b"].to_numpy(dtype=object)]
            )
        )
    ).difference(info.index)
    if len(extra):
        info = pd.concat([info, pd.DataFrame(index=extra, data={"items": 0})])
    return edges, info


def _broker_rows_from_dataset(ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    it = ds.items
    places = place_ids(it["country"], it["admin1"], it["locality"])
    rows = pd.DataFrame(
        {
            "seizure": seizure_keys(it).to_numpy(),
            "actor": ("actor:" + actor_keys(it["actor"])).to_numpy(),
            "place": places["place"].to_numpy(),
            "country": clean_text(it["country"]).to_numpy(),
        }
    ).astype("string")
    legs = []
    mv = ds.movements
    if len(mv):
        legs.append(
            pd.DataFrame(
                {
                    "a": clean_text(mv["origin"]).str.upper().to_numpy(),
                    "b": clean_text(mv["destination"]).str.upper().to_numpy(),
                    "w": pd.to_numeric(mv["count"], errors="coerce")
                    .fillna(1)
                    .to_numpy(),
                }
            )
        )
    route = route_legs(it["origin_country"], it["transit_countries"], it["country"])
    if len(route):
        legs.append(
            pd.DataFrame(
                {
                    "a": route["origin"].to_numpy(),
                    "b": route["destination"].to_numpy(),
                    "w": 1.0,
                }
            )
        )
    tr = ds.traces
    if len(tr):
        where = pd.Series(
            clean_text(it["country"]).to_numpy(),
            index=it["record_id"].astype("string").to_numpy(),
        )
        where = where[~where.index.duplicated()]
        legs.append(
            pd.DataFrame(
                {
                    "a": clean_text(tr["diversion_country"])
                    .fillna(clean_text(tr["last_legal_country"]))
                    .to_numpy(),
                    "b": where.reindex(
                        tr["record_id"].astype("string").to_numpy()
                    ).to_numpy(),
                    "w": 1.0,
                }
            )
        )
    legs_df = (
        pd.concat(legs, ignore_index=True).dropna()
        if legs
        else pd.DataFrame({"a": [], "b": [], "w": []})
    )
    return rows, legs_df


def _broker_rows_from_graph(G: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    kinds = dict(G.nodes(data="kind"))
    seizure_of: dict = {}
    place_of: dict = {}
    actor_of: dict = {}
    legs = []
    for u, v, kind, d in G.edges(keys=True, data=True):
        kind = d.get("kind", kind)
        if kind == "recovered_in":
            seizure_of[u] = v
        elif kind == "held_by":
            actor_of[u] = v
        elif kind == "at" and kinds.get(u) == "seizure":
            place_of[u] = v[6:]
        elif kind == "moved":
            a = G.nodes[u].get("country") or u[6:].split("/")[0]
            b = G.nodes[v].get("country") or v[6:].split("/")[0]
            legs.append((a, b, float(d.get("count", 1))))
        elif kind == "diverted_from":
            a = G.nodes[v].get("country")
            b = G.nodes[u].get("country")
            if a and b:
                legs.append((a, b, 1.0))
    rows = []
    for n, k in kinds.items():
        if k != "item":
            continue
        s = seizure_of.get(n)
        a = actor_of.get(n, actor_of.get(s))
        place = place_of.get(s)
        country = G.nodes[n].get("country") or (place.split("/")[0] if place else None)
        rows.append((s, a, place, country))
    frame = pd.DataFrame(rows, columns=["seizure", "actor", "place", "country"])
    frame = frame.astype("string")
    legs_df = pd.DataFrame(legs, columns=["a", "b", "w"])
    return frame, legs_df
