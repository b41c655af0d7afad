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


def test_one_declaration_gives_dtypes_vocabularies_and_ids():
    items = schema.SCHEMA["items"]
    assert items.id == "record_id"
    assert schema.TABLES["items"]["seized_on"] == schema.DATE_DTYPE
    assert schema.VOCABULARIES[("traces", "outcome")] == (
        schema.column_spec("traces", "outcome").vocabulary
    )
    assert schema.ID_COLUMNS == {
        "items": "record_id",
        "traces": "trace_id",
        "actors": "actor_id",
        "movements": "movement_id",
    }


def test_every_column_kind_has_a_dtype_and_countries_a_format():
    for table in schema.SCHEMA.values():
        for column in table.columns:
            assert column.dtype == schema.TABLES[table.name][column.name]
    assert schema.country_columns("items") == [
        "country",
        "country_of_manufacture",
        "import_country",
        "origin_country",
        "transit_countries",
    ]
    assert schema.column_spec("movements", "origin").pattern.startswith("^(?:")


def test_issue_columns_are_the_reader_ones_with_table_and_source():
    assert schema.ISSUE_COLUMNS == ("table", "source", *schema.LOAD_ISSUE_COLUMNS)


def test_an_added_column_is_one_declaration(monkeypatch):
    # a new column is read by its kind's normaliser and checked by pandera
    from iti_analytics.dataset import _checks
    from iti_analytics.normalize import normalize_table

    items = schema.SCHEMA["items"]
    extended = schema.Table(
        "items",
        id="record_id",
        columns=(*items.columns, schema.Column("importer_country", "country")),
    )
    monkeypatch.setitem(schema.SCHEMA, "items", extended)
    monkeypatch.setitem(
        schema.TABLES, "items", {c.name: c.dtype for c in extended.columns}
    )
    _checks._table_schema.cache_clear()
    try:
        table, issues = normalize_table(
            pd.DataFrame({"importer_country": ["Tchad", "Atlantis"]}), "items"
        )
        assert table["importer_country"].tolist() == ["TCD", pd.NA]
        assert issues["column"].tolist() == ["importer_country"]
        assert "format" in [
            c.name
            for c in _checks.table_schema("items").columns["importer_country"].checks
        ]
    finally:
        _checks._table_schema.cache_clear()


def test_a_column_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown column kind"):
        schema.Column("x", "colour")
