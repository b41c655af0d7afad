"""Exports of the graph (GraphML, GEXF, Cytoscape, i2 CSV), privacy, and charts."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from iti_analytics._privacy import csv_safe, pseudonym, pseudonymise
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.network import (
    batches,
    brokers,
    build_graph,
    corridors,
    custody_chain,
    networks,
    to_cytoscape_json,
    to_gexf,
    to_graphml,
    to_i2_csv,
)
from iti_analytics.plotting.network import (
    plot_batches,
    plot_brokers,
    plot_corridors,
    plot_custody_chain,
    plot_flow_matrix,
    plot_graph,
    plot_networks,
)

KEY = b"unit-secret"


@pytest.fixture
def items():
    return pd.DataFrame(
        {
            "record_id": ["p1", "p2", "c1"],
            "seizure_id": ["PV-7", "PV-7", "K-1"],
            "country": ["NER", "NER", "MLI"],
            "seized_on": pd.to_datetime(["2021-05-01", "2021-05-01", None]),
            "actor": ["Abu Tayeb", "Abu Tayeb", '=HYPERLINK("http://x")'],
            "make": "Kalashnikov",
            "serial": ["AK-104512", "AK-104515", "AK-9"],
            "notes": ["informant says ...", None, "-2+3"],
            "origin_country": ["LBY", None, None],
        }
    )


@pytest.fixture
def graph(items):
    G = build_graph(items, item_attrs=("serial", "seized_on", "notes", "make"))
    G.nodes["item:p1"]["x_tip"] = "free text"
    return G


def test_graphml_round_trip_flattens_lists_and_nulls(graph, tmp_path):
    path = to_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["seizure:PV-7"]["records"] == "p1;p2"
    assert back.nodes["item:p1"]["seized_on"] == "2021-05-01"
    assert "seized_on" not in back.nodes["item:c1"]  # missing date: left out
    batch = [n for n, k in back.nodes(data="kind") if k == "batch"][0]
    assert back.nodes[batch]["items"] == 2  # numbers stay numbers


def test_gexf_and_cytoscape(graph, tmp_path):
    path = to_gexf(graph, tmp_path / "g.gexf")
    assert "Abu Tayeb" in path.read_text(encoding="utf-8")
    data = to_cytoscape_json(graph, tmp_path / "g.json")
    assert json.loads((tmp_path / "g.json").read_text()) == data
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    assert nodes["seizure:PV-7"]["records"] == ["p1", "p2"]
    assert nodes["actor:Abu Tayeb"]["name"] == "Abu Tayeb"


@pytest.mark.parametrize(
    "writer", [to_graphml, to_gexf, to_i2_csv], ids=["graphml", "gexf", "i2"]
)
def test_shareable_needs_a_key(graph, tmp_path, writer):
    with pytest.raises(InvalidParameterError, match="(?i)pass key="):
        writer(graph, tmp_path / "out", audience="shareable")
    with pytest.raises(InvalidParameterError, match="`audience`"):
        writer(graph, tmp_path / "out", audience="public")


def test_shareable_pseudonymises_names_and_serials(graph, tmp_path):
    text = to_graphml(
        graph, tmp_path / "s.graphml", audience="shareable", key=KEY
    ).read_text(encoding="utf-8")
    for secret in (
        "Abu Tayeb",
        "AK-104512",
        "informant",
        "free text",
        "HYPERLINK",
        "104512",
    ):
        assert secret not in text, secret
    actor = pseudonym("Abu Tayeb", KEY, prefix="actor")
    assert f"actor:{actor}" in text
    data = to_cytoscape_json(graph, audience="shareable", key=KEY)
    again = to_cytoscape_json(graph, audience="shareable", key="unit-secret")
    assert data == again  # same key, same pseudonyms
    other = to_cytoscape_json(graph, audience="shareable", key="another key")
    assert other != data
    serials = {n["data"].get("serial") for n in data["elements"]["nodes"]}
    assert pseudonym("AK-104512", KEY, prefix="serial") in serials
    # structure is kept: the actor still holds the seizure
    edges = [
        (e["data"]["source"], e["data"]["target"], e["data"]["kind"])
        for e in data["elements"]["edges"]
    ]
    assert ("seizure:PV-7", f"actor:{actor}", "held_by") in edges


def test_i2_csv_is_safe_against_formula_injection(graph, tmp_path):
    files = to_i2_csv(graph, tmp_path)
    ents = pd.read_csv(files["entities"], dtype=str, keep_default_na=False)
    links = pd.read_csv(files["links"], dtype=str, keep_default_na=False)
    assert list(ents.columns[:3]) == ["entity_id", "entity_type", "label"]
    assert list(links.columns[:6]) == [
        "link_id",
        "from_id",
        "to_id",
        "link_type",
        "direction",
        "records",
    ]
    label = ents.loc[ents["entity_type"] == "actor", "label"]
    assert '\'=HYPERLINK("http://x")' in label.tolist()
    assert "'-2+3" in ents["notes"].tolist()
    raw = files["entities"].read_text(encoding="utf-8-sig")
    assert "\n=" not in raw and ",=" not in raw and ",-2" not in raw
    assert len(links) == graph.number_of_edges()
    shared = to_i2_csv(graph, tmp_path / "shareable", audience="shareable", key=KEY)
    text = shared["entities"].read_text(encoding="utf-8-sig")
    assert "Abu Tayeb" not in text and "informant" not in text and "notes" not in text


def test_privacy_helpers():
    s = pseudonymise(pd.Series(["A", None, "A"]), KEY, prefix="actor")
    assert (
        s[0] == s[2] and s[0].startswith("actor-") and len(s[0]) == len("actor-") + 12
    )
    assert pd.isna(s[1])
    safe = csv_safe(
        pd.DataFrame(
            {"a": ["@SUM(1)", "\tx", "\rx", "+1", "ok"], "n": [-1, 2, 3, 4, 5]}
        )
    )
    assert safe["a"].tolist() == ["'@SUM(1)", "'\tx", "'\rx", "'+1", "ok"]
    assert safe["n"].tolist() == [-1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- charts


def test_every_chart_returns_axes(items):
    G = build_graph(items)
    charts = [
        (plot_networks, networks(items, via=["actor", "locality"])),
        (plot_brokers, brokers(items)),
        (plot_batches, batches(items, max_gap=5)),
        (plot_corridors, corridors(items)),
        (plot_custody_chain, custody_chain(items, "p1")),
        (plot_flow_matrix, corridors(items)),
        (plot_graph, G),
    ]
    for plot, data in charts:
        fig, ax = plt.subplots()
        assert plot(data, ax=ax) is ax, plot.__name__
        assert isinstance(ax, Axes)
    assert isinstance(plot_networks(networks(items.iloc[:0])), Axes)  # empty: a note


def test_chart_needs_its_table():
    with pytest.raises(InvalidParameterError, match="network_id"):
        plot_networks(pd.DataFrame({"x": [1]}))


def test_custody_chart_lists_undated_steps(items):
    ax = plot_custody_chain(custody_chain(items, "c1"))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["recovery: MLI (date unknown)", "manufacture (date unknown)"]


def _chain(**columns) -> pd.DataFrame:
    """A custody chain table as custody_chain returns it."""
    n = len(columns["step"])
    frame = pd.DataFrame(
        {"place": [None] * n, "party": None, "evidence": "e", "record_id": "r"}
        | columns
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_custody_chart_puts_undated_steps_on_their_own_band():
    chain = _chain(
        step=["manufacture", "last_legal_holder", "diversion", "recovery"],
        date=["1990-01-01", None, "2011-01-01", "2015-03-01"],
        when=["1990", None, "2011", "2015-03-01"],
    )
    fig, ax = plt.subplots()
    plot_custody_chain(chain, ax=ax)
    fig.canvas.draw()
    # the time axis holds the three dated steps only, first step at the top
    dots = ax.collections[-1].get_offsets()
    assert len(dots) == 3
    assert list(dots[:, 1]) == [3, 1, 0]
    days = np.asarray(dots[:, 0], dtype=float)
    assert (np.diff(days) > 0).all()
    # the undated step sits on the "date unknown" band, at its row, not at a date
    (band,) = ax.child_axes
    assert band.get_xlabel() == "date\nunknown"
    assert band.collections[0].get_offsets().tolist() == [[0.5, 2]]
    assert band.get_window_extent().x0 >= ax.get_window_extent().x1
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[2] == "last_legal_holder (date unknown)"


def test_custody_chart_keeps_year_only_steps_in_time_order():
    # last in legal hands mid-2011, diverted "in 2011": not drawn back in January
    chain = _chain(
        step=["last_legal_holder", "diversion", "recovery"],
        date=["2011-06-01", "2011-01-01", "2012-01-01"],
        when=["2011-06-01", "2011", "2012-01-01"],
    )
    fig, ax = plt.subplots()
    plot_custody_chain(chain, ax=ax)
    x = ax.collections[-1].get_offsets()[:, 0]
    assert x[1] == x[0]  # the diversion at the earliest date of 2011 it can be
    assert not [line for line in ax.lines if line.get_linestyle() == "--"]
    assert ax.get_legend() is None


def test_custody_chart_flags_dates_that_contradict_the_sequence():
    chain = _chain(
        step=["import", "last_legal_holder", "recovery"],
        date=["2016-01-01", "2011-06-01", "2015-03-01"],
        when=["2016", "2011-06-01", "2015-03-01"],
    )
    fig, ax = plt.subplots()
    plot_custody_chain(chain, ax=ax)
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "dates contradict the sequence"
    ]


# ------------------------------------------------------- formula-safe, shareable


ATTACKS = ["=PARTY()", " =1+1", "＝SUM(A1)", "+33 6", "@cmd", "\tx", "-2+3"]


@pytest.fixture
def hostile():
    items = pd.DataFrame(
        {
            "record_id": ["=1", "r2", "r3"],
            "seizure_id": [None, " =SZ", "PV-1"],
            "country": ["NER", "NER", "NER"],
            "admin1": ["Tillabéri", "Tillabéri", "Tillabéri"],
            "locality": ["Domicile de M. Diallo", None, "Ayorou"],
            "lat": [14.1234, 14.2, 14.7301],
            "lon": [1.4511, 1.5, 0.9203],
            "make": ["=PARTY()", "＝SUM(A1)", "Glock"],
            "lot": ["+33 6", None, None],
            "calibre": "9x19mm",
            "actor": ["@cmd", "@cmd", "Ali"],
        }
    )
    traces = pd.DataFrame(
        {"trace_id": ["T1"], "record_id": ["r3"], "requested_party": ["-2+3"]}
    )
    from iti_analytics import Dataset

    return build_graph(
        Dataset(items=items, traces=traces), item_attrs=("make", "seized_on")
    )


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v)


def _runs(text: str) -> bool:
    from iti_analytics._privacy import FORMULA_CELL

    return bool(FORMULA_CELL.match(text))


@pytest.mark.parametrize("audience", ["restricted", "shareable"])
def test_graphml_and_gexf_escape_every_text_value(hostile, tmp_path, audience):
    key = KEY if audience == "shareable" else None
    for writer, reader, name in (
        (to_graphml, nx.read_graphml, "g.graphml"),
        (to_gexf, nx.read_gexf, "g.gexf"),
    ):
        back = reader(writer(hostile, tmp_path / name, audience=audience, key=key))
        values = [str(n) for n in back]
        for _, d in back.nodes(data=True):
            values += [v for v in d.values() if isinstance(v, str)]
        for *_, d in back.edges(data=True):
            values += [v for v in d.values() if isinstance(v, str)]
        bad = [v for v in values if _runs(v)]
        assert not bad, (name, bad)
        assert any(v.startswith("'") for v in values)  # escaped, not dropped


def test_cytoscape_escapes_every_text_value_and_labels(hostile):
    data = to_cytoscape_json(hostile)
    bad = [s for s in _strings(data) if _runs(s)]
    assert not bad
    names = {n["data"]["id"]: n["data"]["name"] for n in data["elements"]["nodes"]}
    # a seizure without an id is not labelled "=<record_id>"
    assert names["seizure:==1"] == "seizure of record =1"
    assert "'=PARTY()" in {n["data"].get("make") for n in data["elements"]["nodes"]}


def test_seizure_without_id_is_never_labelled_as_a_formula(hostile, tmp_path):
    back = nx.read_gexf(to_gexf(hostile, tmp_path / "g.gexf"))
    labels = {d.get("label") for _, d in back.nodes(data=True)}
    assert "seizure of record =1" in labels
    assert not any(str(x).startswith("=") for x in labels)


@pytest.mark.parametrize("writer", ["graphml", "gexf", "cytoscape"])
def test_shareable_exports_stop_at_region_level(hostile, tmp_path, writer):
    if writer == "cytoscape":
        text = json.dumps(to_cytoscape_json(hostile, audience="shareable", key=KEY))
    else:
        write = to_graphml if writer == "graphml" else to_gexf
        text = write(
            hostile, tmp_path / f"g.{writer}", audience="shareable", key=KEY
        ).read_text(encoding="utf-8")
    assert "Diallo" not in text and "Ayorou" not in text  # no locality text
    assert "14.1234" not in text and "0.9203" not in text  # no coordinates
    assert "Tillab" in text  # the region stays
    restricted = json.dumps(to_cytoscape_json(hostile), ensure_ascii=False)
    assert "Ayorou" in restricted and "14.1234" in restricted


def test_shareable_moves_locality_edges_to_the_region(hostile):
    from iti_analytics.network import shareable_graph

    S = shareable_graph(hostile, KEY)
    places = sorted(n for n, k in S.nodes(data="kind") if k == "place")
    assert places == ["place:NER", "place:NER/Tillabéri"]
    assert S.has_edge("seizure:PV-1", "place:NER/Tillabéri", "at")
    assert not any(u == v for u, v in S.edges())  # no locality -> region loops


# ------------------------------------------------------------------ subgraph


def test_subgraph_seizure_projection_and_min_seizures():
    from iti_analytics.network import count_kinds, subgraph

    items = pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(8)],
            "seizure_id": ["s1", "s1", "s2", "s3", "s4", "s5", "s6", "s6"],
            "actor": ["X", "X", "X", "X", "Y", None, "Z", "Z"],
            "country": "NER",
        }
    )
    G = build_graph(items)
    H = subgraph(G, seizures=True)
    assert count_kinds(H)["nodes"].get("item") is None
    assert H.edges["seizure:s1", "actor:X", "held_by"]["records"] == ["r0", "r1"]
    core = subgraph(G, seizures=True, min_seizures=2)
    kinds = count_kinds(core)["nodes"]
    assert kinds["actor"] == 1 and kinds["seizure"] == 3  # X and its seizures
    only = subgraph(G, kinds=["seizure", "actor"])
    assert set(count_kinds(only)["nodes"]) == {"seizure", "actor"}
    with pytest.raises(InvalidParameterError, match="`kinds`"):
        subgraph(G, kinds=["person"])


def test_subgraph_of_one_network():
    from iti_analytics.network import subgraph

    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "seizure_id": ["s1", "s2", "s3", "s4"],
            "actor": ["X", "X", "Y", "Y"],
            "country": ["NER", "NER", "MLI", "MLI"],
        }
    )
    nets, members = networks(items, return_members=True)
    G = build_graph(items)
    net = members.set_index("record_id").loc["a", "network_id"]
    H = subgraph(G, network=net, members=members)
    assert {"item:a", "item:b", "actor:X"} <= set(H)
    assert "item:c" not in H and "actor:Y" not in H
    with pytest.raises(InvalidParameterError, match="members="):
        subgraph(G, network=net)
