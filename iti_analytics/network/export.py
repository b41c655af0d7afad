"""Exports of the graph: GraphML and GEXF (Gephi), Cytoscape JSON, i2-style CSV.

Every export takes ``audience``: ``"restricted"`` writes everything (for the
tracing unit); ``"shareable"`` replaces actor names, last legal holders and
serial numbers with keyed pseudonyms (HMAC-SHA256 with the ``key`` you keep,
see :mod:`iti_analytics._privacy`), leaves out free text (``notes``,
``x_*`` extras, link reasons, serial ranges) and stops places at region
level, as the shareable briefing does: locality places fold into their
region (or country), and ``locality`` text and coordinates are left out.

In every export and every audience, each text value (ids, labels,
attributes) that a spreadsheet could run as a formula gets a leading ``'``
(see :func:`iti_analytics._privacy.csv_safe_value`).
"""

from __future__ import annotations

import json
import math
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .._privacy import (
    check_audience,
    csv_safe,
    csv_safe_value,
    is_free_text_field,
    pseudonymise,
)
from ..exceptions import InvalidParameterError

__all__ = [
    "to_graphml",
    "to_gexf",
    "to_cytoscape_json",
    "to_i2_csv",
    "shareable_graph",
]

#: attributes holding personal names -> pseudonym prefix.
_NAME_FIELDS = {
    "name": "actor",  # only on actor nodes
    "actor": "actor",
    "holder": "holder",
    "last_legal_holder": "holder",
}
_SERIAL_FIELDS = {"serial", "serial_raw"}
_DROP_SHAREABLE = {
    "serial_range",
    "reason",
    "set_aside",  # free text naming the registered owner
    "left_value",
    "right_value",
    "locality",
    "lat",
    "lon",
}


def shareable_graph(G: nx.Graph, key: bytes | str) -> nx.MultiDiGraph:
    """A copy of ``G`` fit to share: names and serials pseudonymised, free text out.

    Actor nodes are renamed ``actor:actor-<hash>``, diversion points
    ``diversion_point:<country>/holder-<hash>/<year>``; attributes ``name``
    (of actors), ``actor``, ``holder``, ``last_legal_holder`` and ``serial``
    get keyed pseudonyms; ``notes``, ``x_*``, ``reason`` and ``serial_range``
    are dropped, and the evidence of serial-run batches no longer quotes
    serials. Places stop at region level: a locality node folds into its
    region (or its country when the region is unknown), its edges move there,
    and ``locality``, ``lat`` and ``lon`` attributes are dropped. The same
    key gives the same pseudonyms in every export.

    Examples
    --------
    >>> import pandas as pd
    >>> from iti_analytics.network import build_graph
    >>> G = build_graph(pd.DataFrame({"record_id": ["1"], "actor": ["Abu Tayeb"],
    ...                               "serial": ["AK123"]}))
    >>> S = shareable_graph(G, key="s3cret")
    >>> [n for n in S if n.startswith("actor:")]
    ['actor:actor-...']
    >>> S.nodes["item:1"]["serial"]
    'serial-...'
    >>> G = build_graph(pd.DataFrame({"record_id": ["1"], "country": ["NER"],
    ...     "admin1": ["Tillabéri"], "locality": ["Domicile de M. X"],
    ...     "lat": [14.1], "lon": [1.45]}))
    >>> sorted(n for n in shareable_graph(G, key="k") if n.startswith("place:"))
    ['place:NER', 'place:NER/Tillabéri']
    """
    key_bytes = check_audience("shareable", key)
    assert key_bytes is not None
    mapping = {}
    folded = set()
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "place" and d.get("level") == "locality":
            folded.add(n)
            mapping[n] = _region_of(str(n))
        elif kind == "actor":
            name = d.get("name", str(n)[len("actor:") :])
            mapping[n] = "actor:" + pseudonymise(name, key_bytes, "actor")
        elif kind == "diversion_point" and d.get("holder"):
            mapping[n] = "diversion_point:" + "/".join(
                [
                    str(d.get("country") or ""),
                    pseudonymise(d["holder"], key_bytes, "holder"),
                    "" if d.get("year") is None else str(d.get("year")),
                ]
            )
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from(
        (mapping.get(n, n), _share_attrs(d, key_bytes, node=True))
        for n, d in G.nodes(data=True)
        if n not in folded
    )
    for n in folded:  # a region known only through its localities
        region = mapping[n]
        if region not in H:
            H.add_node(
                region,
                kind="place",
                records=list(G.nodes[n].get("records", [])),
                level="admin1" if region.count("/") == 1 else "country",
                name=region.rsplit("/", 1)[-1].removeprefix("place:"),
            )
    for u, v, k, d in G.edges(keys=True, data=True):
        su, sv = mapping.get(u, u), mapping.get(v, v)
        if (u in folded or v in folded) and (su == sv or H.has_edge(su, sv, k)):
            continue  # locality -> region becomes a loop; keep one edge per pair
        H.add_edge(su, sv, key=k, **_share_attrs(d, key_bytes, node=False))
    return H


def _region_of(place: str) -> str:
    """``place:NER/Tillabéri/Ayorou`` -> ``place:NER/Tillabéri``; no region: country."""
    country, region, _ = (place.split("/", 2) + ["", ""])[:3]
    return f"{country}/{region}" if region else country


def _share_attrs(d: dict, key: bytes, node: bool) -> dict:
    out = {}
    kind = d.get("kind")
    for k, v in d.items():
        if is_free_text_field(k) or k in _DROP_SHAREABLE:
            continue
        if k in _SERIAL_FIELDS:
            out[k] = pseudonymise(v, key, "serial")
        elif k in _NAME_FIELDS and (k != "name" or kind == "actor"):
            out[k] = pseudonymise(v, key, _NAME_FIELDS[k])
        elif (
            k == "evidence" and kind == "batch" and d.get("batch_kind") == "serial_run"
        ):
            out[k] = f"consecutive serials ({d.get('items', '?')} items)"
        else:
            out[k] = v
    return out


def _prepare(G: nx.Graph, audience: str, key: bytes | str | None) -> nx.Graph:
    if not isinstance(G, nx.Graph):
        raise InvalidParameterError(
            f"G must be a networkx graph (from build_graph), but a {type(G).__name__} "
            "was passed."
        )
    key_bytes = check_audience(audience, key)
    return shareable_graph(G, key_bytes) if key_bytes is not None else G


# --------------------------------------------------------------------------- values


def _plain(v: Any) -> Any:
    """Python scalar for numpy/pandas values; None for nulls."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp | datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    return v


def _flat(v: Any) -> Any:
    """A value GraphML/GEXF can hold: str, int, float or bool (None = leave out)."""
    v = _plain(v)
    if isinstance(v, list | tuple | set | np.ndarray):
        items = [_plain(x) for x in (sorted(v, key=str) if isinstance(v, set) else v)]
        return csv_safe_value(";".join("" if x is None else str(x) for x in items))
    if v is None or isinstance(v, bool | int | float):
        return v
    return csv_safe_value(str(v))


def _flat_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """Copy with flat attribute values and one type per attribute name."""
    nodes = [(n, {k: _flat(v) for k, v in d.items()}) for n, d in G.nodes(data=True)]
    edges = [
        (u, v, k, {a: _flat(x) for a, x in d.items()})
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    for items in ([d for _, d in nodes], [d for *_, d in edges]):
        types: dict[str, set] = {}
        for d in items:
            for k, v in list(d.items()):
                if v is None:
                    del d[k]
                else:
                    types.setdefault(k, set()).add(type(v))
        for k, ts in types.items():
            if len(ts) <= 1:
                continue
            target = float if ts <= {int, float, bool} and float in ts else str
            for d in items:
                if k in d:
                    d[k] = target(d[k])
    H = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items() if _flat(v) is not None})
    H.add_nodes_from((_safe_id(n), d) for n, d in nodes)
    H.add_edges_from((_safe_id(u), _safe_id(v), _safe_id(k), d) for u, v, k, d in edges)
    return H


def _safe_id(n: Any) -> str:
    return csv_safe_value(str(n))


# --------------------------------------------------------------------------- writers


def to_graphml(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    audience: str = "restricted",
    key: bytes | str | None = None,
) -> Path:
    """Write ``G`` as GraphML (Gephi, yEd, Cytoscape).

    GraphML holds strings, numbers and booleans only: lists (``records``,
    ``evidence``) are written ``;``-joined, dates as ``YYYY-MM-DD``, and a
    missing value is left out. An attribute holding both numbers and text is
    written as text.

    Parameters
    ----------
    G : networkx graph
        From :func:`build_graph`.
    path : str or path
        File to write.
    audience : {"restricted", "shareable"}, default "restricted"
        ``"shareable"`` pseudonymises names and serials and drops free text.
    key : bytes or str, optional
        The pseudonymisation key; required for ``"shareable"``.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> from iti_analytics.network import build_graph
    >>> G = build_graph(pd.DataFrame({"record_id": ["1", "2"], "seizure_id": "S",
    ...                               "actor": ["Ali", "Ali"]}))
    >>> out = to_graphml(G, os.path.join(tempfile.mkdtemp(), "g.graphml"))
    >>> import networkx as nx
    >>> nx.read_graphml(out).nodes["seizure:S"]["records"]
    '1;2'
    """
    H = _flat_graph(_prepare(G, audience, key))
    path = Path(path)
    nx.write_graphml(H, path)
    return path


def to_gexf(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    audience: str = "restricted",
    key: bytes | str | None = None,
) -> Path:
    """Write ``G`` as GEXF for Gephi (values flattened as in :func:`to_graphml`).

    Node labels are the ``name`` of actors and places, the serial or record id
    of items, and the node id otherwise.

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> from iti_analytics.network import build_graph
    >>> G = build_graph(pd.DataFrame({"record_id": ["1"], "actor": ["Ali"]}))
    >>> out = to_gexf(G, os.path.join(tempfile.mkdtemp(), "g.gexf"),
    ...               audience="shareable", key="k")
    >>> "Ali" in out.read_text()
    False
    """
    H = _flat_graph(_prepare(G, audience, key))
    for n, d in H.nodes(data=True):
        d.setdefault("label", csv_safe_value(_label(n, d)))
    path = Path(path)
    nx.write_gexf(H, path)
    return path


def to_cytoscape_json(
    G: nx.Graph,
    path: str | os.PathLike[str] | None = None,
    *,
    audience: str = "restricted",
    key: bytes | str | None = None,
) -> dict:
    """Cytoscape.js JSON of ``G`` (``networkx.cytoscape_data``); written when ``path``.

    Lists stay lists; dates are ``YYYY-MM-DD``; nulls are left out.

    Returns
    -------
    dict
        ``{"data": ..., "directed": True, "multigraph": True, "elements":
        {"nodes": [...], "edges": [...]}}``.

    Examples
    --------
    >>> import pandas as pd
    >>> from iti_analytics.network import build_graph
    >>> G = build_graph(pd.DataFrame({"record_id": ["1"], "country": ["NER"]}))
    >>> data = to_cytoscape_json(G)
    >>> sorted(n["data"]["id"] for n in data["elements"]["nodes"])
    ['item:1', 'place:NER', 'seizure:=1']
    """
    H = _prepare(G, audience, key)
    clean = nx.MultiDiGraph()
    clean.graph.update({k: _plain(v) for k, v in H.graph.items()})
    clean.add_nodes_from(
        (_safe_id(n), {**_json_attrs(d), "name": csv_safe_value(_label(n, d))})
        for n, d in H.nodes(data=True)
    )
    clean.add_edges_from(
        (_safe_id(u), _safe_id(v), _safe_id(k), _json_attrs(d))
        for u, v, k, d in H.edges(keys=True, data=True)
    )
    data = nx.cytoscape_data(clean)
    data["data"] = dict(data.get("data") or {})  # Cytoscape.js wants an object
    if path is not None:
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def _json_attrs(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, list | tuple | set | np.ndarray):
            out[k] = [csv_safe_value(_plain(x)) for x in v]
        else:
            v = _plain(v)
            if v is not None:
                out[k] = csv_safe_value(
                    v if isinstance(v, str | int | float | bool) else str(v)
                )
    return out


def _label(n: Any, d: dict) -> str:
    kind = d.get("kind")
    for field in {
        "actor": ("name",),
        "place": ("name",),
        "item": ("serial",),
        "seizure": ("seizure_id",),
        "lot": ("lot",),
        "batch": ("batch_id",),
        "trace": ("trace_id",),
        "diversion_point": ("holder", "country"),
    }.get(kind, ()):
        if d.get(field):
            return str(d[field])
    text = str(n)
    if kind == "seizure" and text.startswith("seizure:="):  # no seizure id
        return f"seizure of record {text[len('seizure:=') :]}"
    return text.split(":", 1)[1] if ":" in text else text


def to_i2_csv(
    G: nx.Graph,
    directory: str | os.PathLike[str],
    *,
    audience: str = "restricted",
    key: bytes | str | None = None,
) -> dict[str, Path]:
    """Write i2 Analyst's Notebook-style ``entities.csv`` and ``links.csv``.

    ``entities.csv``: ``entity_id``, ``entity_type`` (the node kind),
    ``label``, then one column per attribute. ``links.csv``: ``link_id``,
    ``from_id``, ``to_id``, ``link_type`` (the edge kind), ``direction``
    (``directed``), ``records`` (``;``-joined), then the attributes. Map them
    in the i2 import specification as entity identity / type / label and link
    ends / type. Files are UTF-8 with a byte-order mark (Excel opens them
    right) and safe against formula injection: a text cell starting with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``.

    Returns
    -------
    dict
        ``{"entities": path, "links": path}``.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> from iti_analytics.network import build_graph
    >>> attack = "=cmd|' /C calc'!A0"
    >>> G = build_graph(pd.DataFrame({"record_id": ["1"], "actor": [attack]}))
    >>> files = to_i2_csv(G, tempfile.mkdtemp())
    >>> ents = pd.read_csv(files["entities"])
    >>> ents.loc[ents["entity_type"] == "actor", "label"].item()
    "'=cmd|' /C calc'!A0"
    """
    H = _prepare(G, audience, key)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ent_rows = []
    for n, d in H.nodes(data=True):
        row = {"entity_id": str(n), "entity_type": d.get("kind"), "label": _label(n, d)}
        row.update({k: _flat(v) for k, v in d.items() if k != "kind"})
        ent_rows.append(row)
    link_rows = []
    for i, (u, v, k, d) in enumerate(H.edges(keys=True, data=True), start=1):
        row = {
            "link_id": f"L{i}",
            "from_id": str(u),
            "to_id": str(v),
            "link_type": d.get("kind", k),
            "direction": "directed",
        }
        row.update({a: _flat(x) for a, x in d.items() if a != "kind"})
        link_rows.append(row)
    entities = pd.DataFrame(
        ent_rows, columns=_columns(ent_rows, ["entity_id", "entity_type", "label"])
    )
    links = pd.DataFrame(
        link_rows,
        columns=_columns(
            link_rows,
            ["link_id", "from_id", "to_id", "link_type", "direction", "records"],
        ),
    )
    paths = {
        "entities": directory / "entities.csv",
        "links": directory / "links.csv",
    }
    csv_safe(entities).to_csv(paths["entities"], index=False, encoding="utf-8-sig")
    csv_safe(links).to_csv(paths["links"], index=False, encoding="utf-8-sig")
    return paths


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for r in rows:
        for k in r:
            seen.setdefault(k)
    return list(seen)
