"""Seizure counts by period and their chart: numbers a user checks, words passed in."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from iti_analytics.dataset import Dataset
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.indicators.seizures import seizure_counts
from iti_analytics.plotting.briefing import plot_seizures_by


@pytest.fixture
def items():
    return pd.DataFrame(
        {
            "record_id": list("abcdef"),
            "item_kind": ["weapon", "weapon", "weapon", "ammunition", "weapon", None],
            "category": ["pistol", "pistol", "rifle", None, "pistol", "mortar"],
            "seized_on": pd.to_datetime(
                [
                    "2024-02-01",
                    "2024-03-01",
                    "2024-04-01",
                    "2024-05-01",
                    "2023-05-01",
                    "2024-06-01",
                ]
            ),
            "duplicate_of": [None, "a", None, None, None, None],
        }
    )


def test_seizure_counts_by_period(items):
    counts = seizure_counts(
        items,
        period=("2024-01-01", "2024-12-31"),
        previous=("2023-01-01", "2023-12-31"),
    )
    # b is a duplicate of a; the ammunition does not count; f has no kind but is
    # a mortar, so it is a weapon
    assert counts.to_dict("list") == {
        "category": ["pistol", "rifle", "mortar"],
        "count": [1, 1, 1],
        "previous": [1, 0, 0],
    }


@pytest.mark.parametrize(
    "wrap",
    [lambda f: f, lambda f: Dataset(items=f), lambda f: {"items": f}],
    ids=["dataframe", "dataset", "mapping"],
)
def test_seizure_counts_takes_any_dataset_form(items, wrap):
    counts = seizure_counts(wrap(items), item_kind=None, top=None)
    assert dict(zip(counts["category"], counts["count"], strict=True)) == {
        "pistol": 2,
        "rifle": 1,
        "mortar": 1,
    }


def test_top_sums_the_rest_into_one_row(items):
    counts = seizure_counts(items, top=1)
    assert counts["category"].isna().tolist() == [False, True]
    assert counts["count"].tolist() == [2, 2]


def test_seizure_counts_rejects_an_unknown_column():
    with pytest.raises(InvalidParameterError, match="by"):
        seizure_counts(pd.DataFrame({"category": ["pistol"]}), "calibre_x")


def test_plot_seizures_by_takes_its_words(items):
    fig, ax = plt.subplots()
    plot_seizures_by(
        items,
        period=("2024-01-01", "2024-12-31"),
        previous=("2023-01-01", "2023-12-31"),
        labels={"pistol": "pistolet", "rifle": "fusil", "mortar": "mortier"},
        legend=("2024", "2023"),
        xlabel="armes",
        title="Par catégorie",
        ax=ax,
    )
    # bottom to top: the largest count on top (ties keep their order)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "mortier",
        "fusil",
        "pistolet",
    ]
    assert ax.get_xlabel() == "armes" and ax.get_title() == "Par catégorie"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2024", "2023"]


def test_plot_seizures_by_names_the_rest_and_an_empty_chart(items):
    fig, ax = plt.subplots()
    plot_seizures_by(items, top=1, other="autres", ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["autres", "pistol"]
    fig, ax = plt.subplots()
    plot_seizures_by(items, item_kind="explosive_component", empty="rien", ax=ax)
    assert [t.get_text() for t in ax.texts] == ["rien"]
