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
