"""Charts of the network stage: what each bar, line and label shows."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import ITIError
from iti_analytics.network import (
    batches,
    brokers,
    build_graph,
    corridors,
    networks,
)
from iti_analytics.plotting.network import (
    plot_batches,
    plot_brokers,
    plot_corridors,
    plot_flow_matrix,
    plot_graph,
    plot_networks,
)

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figs():
    yield
    plt.close("all")


@pytest.fixture
def items():
    return pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d", "e"],
            "seizure_id": ["s1", "s2", "s3", "s4", "s5"],
            "country": ["NER", "MLI", "MLI", "BFA", "BFA"],
            "seized_on": pd.to_datetime(
                ["2021-01-01", "2021-03-01", "2021-02-01", "2022-01-01", "2022-02-01"]
            ),
            "actor": ["Groupe X", "Groupe X", "Groupe X", "Katiba Y", "Katiba Y"],
            "make": "Norinco",
            "serial": ["A100", "A103", "A105", None, None],
            "origin_country": ["LBY", "LBY", "NER", None, None],
        }
    )


def _bar_widths(ax) -> list[float]:
    return [p.get_width() for p in ax.patches]


def test_plot_networks_one_bar_per_network_with_its_seizures(items):
    nets = networks(items)
    ax = plot_networks(nets)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # largest first from the top: barh draws bottom-up, so the order is reversed
    assert labels == nets["network_id"].tolist()[::-1]
    assert sorted(_bar_widths(ax)) == sorted(nets["seizures"].astype(float))
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "2 countries" in texts and "1 country" in texts
    assert ax.get_xlabel() == "seizures"


def test_plot_networks_top_limits_the_bars(items):
    nets = networks(items)
    ax = plot_networks(nets, top=1)
    assert len(ax.patches) == 1
    assert ax.get_yticklabels()[0].get_text() == nets.loc[0, "network_id"]


def test_plot_brokers_bars_are_betweenness(items):
    table = brokers(items)
    ax = plot_brokers(table, top=3)
    assert len(ax.patches) == 3
    shown = sorted(_bar_widths(ax), reverse=True)
    expected = sorted(table["betweenness"].head(3).astype(float), reverse=True)
    assert np.allclose(shown, expected)


def test_plot_batches_spans_first_to_last_recovery(items):
    found = batches(items)
    ax = plot_batches(found)
    assert len(ax.get_yticks()) == len(found)
    label = ax.get_yticklabels()[0].get_text()
    assert label.startswith("B0001") and "MLI;NER" in label
    segments = ax.collections[0].get_segments()
    x0, x1 = segments[0][0][0], segments[0][1][0]
    first = matplotlib.dates.date2num(pd.Timestamp("2021-01-01"))
    last = matplotlib.dates.date2num(pd.Timestamp("2021-03-01"))
    assert (x0, x1) == pytest.approx((first, last))


def test_plot_corridors_labels_and_counts(items):
    table = corridors(items, legs=False)
    ax = plot_corridors(table)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "LBY → MLI" in labels and "LBY → NER" in labels
    assert sorted(_bar_widths(ax)) == sorted(table["count"].astype(float))


def test_plot_flow_matrix_is_a_grid_of_counts():
    flows = pd.DataFrame(
        {
            "origin": ["US-VA", "US-VA", "US-GA"],
            "destination": ["US-VA", "US-GA", "US-VA"],
            "count": [900, 12, 40],
        }
    )
    ax = plot_flow_matrix(flows, log=False)
    assert ax.get_xlabel() == "destination" and ax.get_ylabel() == "origin"
    grid = np.asarray(ax.images[0].get_array())
    assert grid.shape == (2, 2)
    assert np.nansum(grid) == pytest.approx(952)


def test_plot_graph_colours_each_kind_and_cuts_big_graphs(items):
    G = build_graph(items)
    ax = plot_graph(G)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"item", "seizure", "actor", "place"} <= set(legend)
    small = plot_graph(G, max_nodes=5, ax=plt.figure().gca())
    assert len(small.collections[-1].get_offsets()) <= 5


@pytest.mark.parametrize(
    ("plot", "empty"),
    [
        (plot_networks, networks(pd.DataFrame({"record_id": ["a"]}))),
        (plot_corridors, corridors(pd.DataFrame({"record_id": ["a"]}))),
    ],
    ids=["networks", "corridors"],
)
def test_empty_tables_give_a_note_not_an_error(plot, empty):
    ax = plot(empty)
    assert ax.texts and ax.texts[0].get_text().startswith("no ")


def test_a_table_without_its_columns_says_which():
    with pytest.raises(ITIError, match="seizures"):
        plot_networks(pd.DataFrame({"network_id": ["N1"]}))
