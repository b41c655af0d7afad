import pandas as pd
import pytest

from iti_analytics import schema
from iti_analytics.exceptions import InvalidParameterError


@pytest.mark.parametrize("table", ["items", "traces", "actors", "movements"])
def test_empty_table_has_every_column_with_its_dtype(table):
    t = schema.empty_table(table)
    assert list(t.columns) == schema.columns(table)
    assert {c: str(d) for c, d in t.dtypes.items()} == schema.dtypes(table)


def test_conform_adds_missing_columns_as_null_and_keeps_extras_prefixed():
    raw = pd.DataFrame(
        {"record_id": ["a", "b"], "quantity": ["3", "x"], "colour": ["red", "blue"]},
        index=[10, 11],
    )
    out = schema.conform(raw, "items")
    assert list(out.index) == [10, 11]
    assert out["quantity"].tolist() == [3, pd.NA]
    assert out["status"].isna().all()
    assert out["x_colour"].tolist() == ["red", "blue"]
    assert "colour" in raw.columns  # caller's frame untouched


def test_conform_floors_timestamps_to_days():
    raw = pd.DataFrame({"seized_on": pd.to_datetime(["2020-03-15 13:45"])})
    out = schema.conform(raw, "items")
    assert out["seized_on"].dtype == "datetime64[s]"
    assert out.loc[0, "seized_on"] == pd.Timestamp("2020-03-15")


def test_weapon_class_splits_small_arms_and_light_weapons():
    cls = schema.weapon_class(pd.Series(["assault_rifle", "manpads", "other", None]))
    assert cls.tolist() == ["small_arm", "light_weapon", pd.NA, pd.NA]


def test_unknown_table_name_lists_the_valid_ones():
    with pytest.raises(InvalidParameterError, match=r"`table` must be one of"):
        schema.columns("weapons")


def test_vocabularies_cover_design_categories():
    cats = schema.VOCABULARIES[("items", "category")]
    assert {"assault_rifle", "heavy_machine_gun", "manpads", "atgm"} <= set(cats)
