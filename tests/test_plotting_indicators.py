"""Indicator charts: each returns its Axes with the expected lines, bars, labels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.indicators import (
    response_curves,
    sdg_16_4_2,
    time_to_recovery,
    trace_performance,
    trends,
)
from iti_analytics.plotting.indicators import (
    plot_outcome_mix,
    plot_response_times,
    plot_sdg_16_4_2,
    plot_time_to_recovery,
    plot_trends,
)

D = pd.Timestamp


@pytest.fixture
def traces():
    parties = ["FRA"] * 5 + ["BEL"] * 3 + ["ITA"] * 2
    sent = [D("2024-01-01")] * 10
    answered = [10, 20, None, 40, 50, 5, None, None, 30, 60]
    return pd.DataFrame(
        {
            "trace_id": [f"t{i}" for i in range(10)],
            "requested_party": parties,
            "sent_on": sent,
            "responded_on": [
                s + pd.Timedelta(days=d) if d is not None else None
                for s, d in zip(sent, answered, strict=True)
            ],
            "outcome": [
                "traced",
                "not_traced",
                None,
                "traced",
                "refused",
                "traced",
                None,
                None,
                "partially_traced",
                "traced",
            ],
        }
    )


def test_response_times_one_curve_per_party(traces):
    fig, ax = plt.subplots()
    out = plot_response_times(traces, as_of="2024-04-01", ax=ax)
    assert out is ax and isinstance(out, Axes)
    assert len(ax.lines) == 3
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["FRA (n=5)", "BEL (n=3)", "ITA (n=2)"]  # most requests first
    assert ax.get_ylabel() == "share still unanswered"
    # FRA: answers at 10, 20, 40, 50 days, one open for 91 days:
    # S = 4/5, 3/5, 2/5, 1/5, and the curve runs on at 1/5 to day 91
    fra = ax.lines[0]
    np.testing.assert_allclose(fra.get_ydata(), [1, 0.8, 0.6, 0.4, 0.2, 0.2])
    np.testing.assert_allclose(fra.get_xdata(), [0, 10, 20, 40, 50, 91])


def test_response_times_from_curves_and_top(traces):
    curves = response_curves(traces, as_of="2024-04-01")
    fig, ax = plt.subplots()
    plot_response_times(curves, top=2, ax=ax)
    assert len(ax.lines) == 2


def test_response_times_uses_current_axes(traces):
    fig, ax = plt.subplots()
    assert plot_response_times(traces) is ax


def test_outcome_mix_bars(traces):
    perf = trace_performance(traces, as_of="2024-04-01")
    fig, ax = plt.subplots()
    plot_outcome_mix(perf, ax=ax)
    outcomes_present = 5  # traced, partially, not_traced, refused, pending
    assert len(ax.containers) == outcomes_present
    assert len(ax.patches) == outcomes_present * 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["BEL", "FRA", "ITA"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "traced" and "pending" in legend
    # each bar stacks to 100%
    widths = np.zeros(3)
    for container in ax.containers:
        widths += [p.get_width() for p in container]
    np.testing.assert_allclose(widths, 1.0)


def test_outcome_mix_legend_is_outside_the_bars(traces):
    perf = trace_performance(traces, as_of="2024-04-01")
    fig, ax = plt.subplots(figsize=(6, 3))
    plot_outcome_mix(perf, ax=ax)
    fig.tight_layout()
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    axes = ax.get_window_extent()
    assert not legend.overlaps(axes)
    assert legend.x0 >= axes.x1
    bars = [p.get_window_extent() for c in ax.containers for p in c]
    assert not any(legend.overlaps(b) for b in bars)
    # tight_layout keeps the legend inside the figure
    assert fig.bbox.contains(legend.x1 - 1, legend.y0 + 1)


def test_sdg_lines_per_country_with_gaps():
    items = pd.DataFrame(
        {
            "record_id": list("abcde"),
            "country": ["NER", "NER", "MLI", "MLI", "MLI"],
            "seized_on": [
                D("2022-05-01"),
                D("2023-05-01"),
                D("2022-01-01"),
                D("2023-01-01"),
                D("2023-02-01"),
            ],
            "status": "seized",
            "item_kind": "weapon",
        }
    )
    traces = pd.DataFrame({"record_id": ["a", "c"], "outcome": "traced"})
    ds = {"items": items, "traces": traces}
    fig, ax = plt.subplots()
    plot_sdg_16_4_2(ds, ax=ax)
    assert len(ax.lines) == 2
    mli = ax.lines[0]
    np.testing.assert_allclose(mli.get_ydata(), [1.0, 0.0])
    table = sdg_16_4_2(ds)
    fig, ax2 = plt.subplots()
    plot_sdg_16_4_2(table, hue=None, ax=ax2)
    assert len(ax2.lines) == 1


def test_trends_lines_and_bands():
    items = pd.DataFrame(
        {
            "item_kind": "weapon",
            "admin1": ["A", "B", "C"] * 20,
            "seized_on": pd.date_range("2023-01-01", periods=60, freq="6D"),
        }
    )
    table = trends(items, by="admin1", window=3)
    fig, ax = plt.subplots()
    plot_trends(table, ax=ax)
    assert len(ax.lines) == 6  # count + baseline per admin1
    assert len(ax.collections) == 3  # one band each
    fig, ax2 = plt.subplots()
    plot_trends(table, top=1, band=False, ax=ax2)
    assert (len(ax2.lines), len(ax2.collections)) == (2, 0)


def test_trends_rejects_other_tables():
    with pytest.raises(InvalidParameterError, match="lacks the columns"):
        plot_trends(pd.DataFrame({"x": [1]}))


def test_time_to_recovery_histogram_and_line():
    items = pd.DataFrame(
        {
            "record_id": list("abcd"),
            "last_legal_on": [
                D("2015-01-01"),
                D("2020-01-01"),
                D("2021-01-01"),
                D("2022-06-01"),
            ],
            "seized_on": [D("2023-01-01")] * 4,
        }
    )
    ttr = time_to_recovery(items, as_of="2024-01-01")
    fig, ax = plt.subplots()
    plot_time_to_recovery(ttr, bins=5, ax=ax)
    assert len(ax.patches) == 5
    assert sum(p.get_height() for p in ax.patches) == 4
    (line,) = ax.lines
    assert line.get_xdata()[0] == 3
    assert ax.get_legend().get_texts()[0].get_text() == (
        "3 years: 50% recovered sooner"
    )


def test_every_word_of_the_indicator_charts_can_be_passed_in(traces):
    fr = {"FRA": "France", "BEL": "Belgique", "ITA": "Italie"}
    fig, ax = plt.subplots()
    plot_response_times(
        traces,
        as_of="2024-06-01",
        labels=fr,
        xlabel="jours",
        ylabel="part sans réponse",
        legend_title="partie",
        title="Délai",
        ax=ax,
    )
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "France (n=5)",
        "Belgique (n=3)",
        "Italie (n=2)",
    ]
    assert legend.get_title().get_text() == "partie"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "jours",
        "part sans réponse",
        "Délai",
    )

    fig, ax = plt.subplots()
    plot_outcome_mix(
        traces,
        labels=fr.get,
        outcome_labels={"traced": "tracée", "pending": "en attente"},
        xlabel="part",
        legend_title="résultat",
        ax=ax,
    )
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == [
        "Belgique",
        "France",
        "Italie",
    ]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[0] == "tracée" and "en attente" in texts
    assert ax.get_xlabel() == "part"

    fig, ax = plt.subplots()
    table = pd.DataFrame(
        {"country": ["MLI", None], "year": [2023, 2023], "proportion": [0.5, 0.2]}
    )
    plot_sdg_16_4_2(
        table, labels={"MLI": "Mali"}, unknown="inconnu", xlabel="année", ax=ax
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Mali", "inconnu"]
    assert ax.get_xlabel() == "année"


def test_time_to_recovery_label_in_another_language():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "last_legal_on": pd.to_datetime(["2020-01-01", "2010-01-01"]),
            "seized_on": pd.to_datetime(["2021-01-01", "2020-01-01"]),
        }
    )
    fig, ax = plt.subplots()
    plot_time_to_recovery(
        items,
        threshold_label=lambda years, share: f"{years} ans : {share:.0%}",
        xlabel="années",
        ylabel="armes",
        ax=ax,
    )
    assert ax.get_legend().get_texts()[0].get_text() == "3 ans : 50%"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("années", "armes")
