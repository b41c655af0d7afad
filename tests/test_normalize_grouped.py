"""Weapon columns read once per distinct combination equal the row-by-row reading."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import iti_analytics.normalize as normalize
from iti_analytics.io import read_items
from iti_analytics.normalize import normalize_table
from iti_analytics.samples import sample_files

#: rows that exercise every rule of the weapon pass: makes, patterns and
#: importers, models filling category, make and country, ambiguous and blank
#: calibres, contradictions, headstamps, years before the model, owners
WEAPONS = pd.DataFrame(
    {
        "make": [
            "Norinco",
            "Kalashnikov",
            "Century Arms",
            "Zastava",
            "FN",
            "Glock",
            None,
            "inconnu",
            "Zoraki",
            "Beretta",
            "Winchester",
            "IMBEL",
            "CAI",  # an importer's mark alone, and its country
        ],
        "model": [
            "Type 56",
            "AKM",
            "M70",
            "M72",
            "FAL",
            "17",
            "Makarov PM",
            "M72",
            "914",
            "92",
            None,
            "MD97",
            None,
        ],
        "category": [
            "fusil d'assaut",
            "AK-47",
            "rifle",
            None,
            "fusil",
            "pistolet",
            "pistolet",
            "mitrailleuse",
            "pistolet d'alarme",
            "fusil de chasse",
            "munitions",
            "autres",
            "fusil",
        ],
        "calibre": [
            "7,62x39",
            "7.62",
            "7.62",
            "9mm",
            "7.62",
            "9 mm",
            "9mm",
            "9x19",
            "9mm P.A.K.",
            "9x19",
            "5.56x45",
            "cal. 12",
            "7,62x39",
        ],
        "serial": [
            "TN 4829173",
            "effacé",
            "AB-00912833",
            "12??56",
            "S/N: 99 01",
            "0000000",
            "АК١٢٣",
            "XXXX",
            "sans numéro",
            None,
            "21345; 713483",
            "ZX 1",
            "M70AB05521",
        ],
        "country_of_manufacture": [
            "Chine",
            None,
            "Roumanie",
            None,
            "Brésil",
            "Autriche",
            None,
            None,
            None,
            "Italie",
            "EUA",
            "Brésil",
            "EUA",
        ],
        "year_of_manufacture": [
            "1956",
            "1930",
            None,
            "1985",
            None,
            "1990",
            None,
            None,
            "2015",
            "1975",
            None,
            "2001",
            None,
        ],
        "headstamp": [None] * 10 + ["WCC 85", None, None],
        "registered_owner": [
            "Jean Dupont",
            None,
            "Armurerie du Centre SARL",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "Ministère de la Défense",
            None,
        ],
    }
)


def _row_by_row(monkeypatch) -> None:
    """Make the weapon pass read every row as is (no grouping)."""
    monkeypatch.setattr(normalize, "distinct_rows", lambda *a, **k: (None, None))


def _row_by_row_equals(monkeypatch, raw, items, issues):
    """Assert that the row-by-row pass gives ``items`` and ``issues``; return it."""
    with monkeypatch.context() as m:
        _row_by_row(m)
        plain_items, plain_issues = normalize_table(raw, "items")
    pd.testing.assert_frame_equal(items, plain_items)
    pd.testing.assert_frame_equal(issues, plain_issues)
    return plain_items, plain_issues


def _repeat(frame: pd.DataFrame, n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(frame), n)
    out = frame.iloc[rows].reset_index(drop=True)
    out.insert(0, "record_id", [f"r{i}" for i in range(n)])
    return out


@pytest.mark.parametrize("index", ["range", "labels"])
def test_grouped_weapon_pass_equals_the_row_by_row_pass(monkeypatch, index):
    raw = _repeat(WEAPONS, 400)
    # distinct serials on most rows: they are read apart from the groups
    raw["serial"] = raw["serial"].where(
        np.arange(400) % 3 == 0, "AB-" + raw.index.astype(str)
    )
    if index == "labels":
        raw.index = pd.Index([f"x{i}" for i in range(len(raw))])
    grouped_items, grouped_issues = normalize_table(raw, "items")
    items, issues = _row_by_row_equals(monkeypatch, raw, grouped_items, grouped_issues)
    # the cases the rows were chosen for are there
    assert set(issues["column"]) >= {"calibre", "category", "serial"}
    assert grouped_items["registered_owner"].notna().sum() > 0


def test_grouped_weapon_pass_is_used_on_repetitive_columns(monkeypatch):
    raw = _repeat(WEAPONS, 200)
    calls = []
    original = normalize._normalize_weapons

    def spy(sub_raw, out, issues):
        calls.append(len(sub_raw))
        return original(sub_raw, out, issues)

    monkeypatch.setattr(normalize, "_normalize_weapons", spy)
    items, _ = normalize_table(raw, "items")
    assert len(items) == 200
    assert calls and calls[0] <= len(WEAPONS)  # one row per combination


def test_unhashable_weapon_cells_are_read_row_by_row():
    raw = pd.DataFrame({"make": [["FN"], ["FN"], "Glock"], "calibre": ["9mm"] * 3})
    items, _ = normalize_table(raw, "items")
    assert items["calibre"].tolist() == ["9mm", "9mm", "9mm"]
    assert items["make"].iloc[2] == "Glock"


@pytest.mark.parametrize("name", ["police_fr", "customs_en", "army"])
def test_grouped_pass_on_the_sample_files(monkeypatch, name):
    grouped = read_items(sample_files()[name])
    with monkeypatch.context() as m:
        _row_by_row(m)
        plain = read_items(sample_files()[name])
    pd.testing.assert_frame_equal(grouped.table, plain.table)
    pd.testing.assert_frame_equal(grouped.issues, plain.issues)


@pytest.mark.parametrize("given", [False, True])
@pytest.mark.parametrize("second", ["every_row", "grouped"])
def test_staged_weapon_pass_equals_the_row_by_row_pass(monkeypatch, given, second):
    # years and countries of manufacture drawn apart make most rows distinct;
    # the weapon cells alone still repeat: they are read once per combination
    raw = _repeat(WEAPONS.drop(columns="headstamp"), 400)
    rng = np.random.default_rng(5)
    countries = ["Chine", "Roumanie", "Brésil", "Autriche", "Italie", "EUA", None]
    years = np.arange(1920, 2020)
    if second == "grouped":
        # few countries and years, but categories and calibres drawn apart
        # from the make and model: the second stage's rules, which read the
        # make, model, country and year only, repeat too
        countries, years = ["Chine", "Autriche", None], np.array([1950, 2001])
        for column in ("category", "calibre"):
            raw[column] = rng.choice(WEAPONS[column].iloc[:3].to_numpy(), len(raw))
    raw["country_of_manufacture"] = rng.choice(countries, len(raw))
    raw["year_of_manufacture"] = rng.choice(years, len(raw)).astype(str)
    if given:  # columns the make and model also fill, and a stated inference
        raw["pattern"] = rng.choice(["AK", None, None], len(raw))
        raw["importer"] = rng.choice(["Century Arms", None, None], len(raw))
        raw["import_marked"] = rng.choice(["oui", "non", None], len(raw))
        raw["country_of_manufacture_inferred"] = rng.choice(["oui", None], len(raw))
    calls = {"weapons": [], "country": []}
    weapons = normalize._normalize_weapons
    country = normalize._infer_country_of_manufacture

    def spy_weapons(sub_raw, out, issues, **options):
        calls["weapons"].append((len(sub_raw), options))
        return weapons(sub_raw, out, issues, **options)

    def spy_country(sub_raw, out):
        calls["country"].append(len(sub_raw))
        return country(sub_raw, out)

    with monkeypatch.context() as m:
        m.setattr(normalize, "_normalize_weapons", spy_weapons)
        m.setattr(normalize, "_infer_country_of_manufacture", spy_country)
        staged_items, staged_issues = normalize_table(raw, "items")
    # the two stages: the weapon cells once per combination, without serials
    # and the country inferred from the make (read in the second stage)
    ((rows, options),) = calls["weapons"]
    assert rows <= len(raw) / 2
    assert options == {"staged": True}
    if second == "grouped":  # once per combination of make, model, country, year
        assert calls["country"][0] <= len(raw) / 2
    else:
        assert calls["country"] == [len(raw)]
    items, issues = _row_by_row_equals(monkeypatch, raw, staged_items, staged_issues)
    # the rules of the second stage found something to say
    assert {"year_of_manufacture", "country_of_manufacture"} <= set(issues["column"])
    if second == "every_row":  # "CAI" alone, and the USA: the importer's country
        assert issues["problem"].str.contains("names only the importer").any()
    assert items["country_of_manufacture_inferred"].any()


@pytest.mark.parametrize(
    "drop",
    [
        [],
        ["make"],
        ["model"],
        ["make", "model"],
        ["country_of_manufacture"],
        ["year_of_manufacture", "category"],
    ],
)
def test_staged_pass_on_tables_without_some_fields(monkeypatch, drop):
    # both stages forced to group, whatever the share of distinct rows
    raw = _repeat(WEAPONS.drop(columns="headstamp"), 300)
    rng = np.random.default_rng(11)
    raw["country_of_manufacture"] = rng.choice(["Chine", "Brésil", None, "xx"], 300)
    raw["year_of_manufacture"] = rng.choice(["1950", "2001", "1890", None, "x"], 300)
    raw["item_kind"] = rng.choice(["arme", "munitions", None, "pièce"], 300)
    raw["import_marked"] = rng.choice(["oui", "non", None], 300)
    raw["country_of_manufacture_inferred"] = rng.choice(["oui", "non", None], 300)
    raw = raw.drop(columns=drop)
    with monkeypatch.context() as m:
        m.setattr(normalize, "_FULL_MOST", 0.0)
        m.setattr(normalize, "_STAGED_MOST", 1.0)
        staged_items, staged_issues = normalize_table(raw, "items")
    _row_by_row_equals(monkeypatch, raw, staged_items, staged_issues)
