import warnings

import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics.exceptions import InvalidParameterError, NoDataWarning
from iti_analytics.indicators import sdg_16_4_2, seizure_counts, trends


@pytest.fixture
def items():
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(6)],
            "item_kind": ["weapon"] * 5 + ["ammunition"],
            "category": ["pistol", "pistol", "rifle", "pistol", "rifle", None],
            "country": ["NER", "NER", "MLI", "NER", "MLI", "NER"],
            "seized_on": pd.to_datetime(
                [
                    "2024-02-01",
                    "2024-03-01",
                    "2024-04-01",
                    "2023-05-01",
                    "2023-06-01",
                    "2024-01-01",
                ]
            ),
        }
    )


def test_seizure_counts_by_period_counts_weapons_only(items):
    counts = seizure_counts(
        items,
        "category",
        period=("2024-01-01", "2024-12-31"),
        previous=("2023-01-01", "2023-12-31"),
    )
    assert counts.to_dict("list") == {
        "category": ["pistol", "rifle"],
        "count": [2, 1],
        "previous": [1, 1],
    }


def test_seizure_counts_top_sums_the_rest_into_other(items):
    counts = seizure_counts(items, "category", top=1, item_kind=None)
    assert counts["count"].tolist() == [3, 2]
    assert counts["category"].isna().tolist() == [False, True]


def test_seizure_counts_same_for_dataset_and_frame(items):
    ds = iti.Dataset(items=items)
    pd.testing.assert_frame_equal(
        seizure_counts(ds, "country"), seizure_counts(items, "country")
    )


def test_seizure_counts_bad_column_says_which(items):
    with pytest.raises(InvalidParameterError, match="must be an items column"):
        seizure_counts(items, "calibre_x")


def test_seizure_counts_bad_period_is_clear(items):
    with pytest.raises(InvalidParameterError, match="pair of dates"):
        seizure_counts(items, period="2024")


def test_counts_that_leave_out_every_record_say_why(items):
    with pytest.warns(NoDataWarning, match=r"all 6 records were left out \(6 not part"):
        out = seizure_counts(items, item_kind="part")
    assert out.empty


def test_trends_that_leave_out_every_record_say_why(items):
    undated = items.assign(seized_on=pd.NaT)
    with pytest.warns(NoDataWarning, match="5 no seized_on date"):
        trends(undated)


def test_sdg_with_only_ammunition_says_why(items):
    ammo = items.assign(item_kind="ammunition")
    with pytest.warns(NoDataWarning, match="6 not a weapon"):
        sdg_16_4_2(ammo)


def test_no_warning_when_records_are_counted(items):
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoDataWarning)
        seizure_counts(items)
        trends(items, window=2, min_history=1)
