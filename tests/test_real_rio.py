"""The six Rio de Janeiro police workbooks, end to end, against published figures.

Data: ``../shared/data/real/rj_seized_firearms_isdp`` (ISP-RJ / SEPOL exports
via Instituto Sou da Paz; see its SOURCE.md, whose counts these tests check).
Skipped when the folder is absent. The workbooks are read once per module with
the mapping kept in ``tests/data/rio_mapping.toml``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import iti_analytics as iti

MAPPING = Path(__file__).parent / "data" / "rio_mapping.toml"
FOLDER = "rj_seized_firearms_isdp"
#: SOURCE.md: firearm rows (Classe = ARMA DE FOGO) and all rows per workbook
WEAPONS = {
    2017: 13_725,
    2018: 14_034,
    2019: 13_973,
    2020: 10_324,
    2021: 10_790,
    2022: 1_679,
}
ROWS = {
    2017: 30_627,
    2018: 30_129,
    2019: 29_646,
    2020: 22_732,
    2021: 12_625,
    2022: 2_975,
}
#: SOURCE.md: Patrimoniada = POLÍCIA MILITAR / Polícia Militar
MILITARY_POLICE = {2017: 1_644 + 1_264, 2018: 2_205 + 1_335, 2019: 2_255 + 1_657}


def _year(path: Path) -> int:
    return int(path.name.split("FOGO_")[1][:4])


@pytest.fixture(scope="module")
def rio():
    from conftest import REAL_DATA

    folder = REAL_DATA / FOLDER
    files = sorted(folder.glob("*BASE_APREENSAO.xlsx"))
    if len(files) != 6:
        pytest.skip(f"the six Rio workbooks are not in {folder}")
    results = {_year(f): iti.read_items(f, mapping=MAPPING) for f in files}
    ds = iti.Dataset(
        items=pd.concat([r.table for r in results.values()], ignore_index=True)
    )
    return results, ds


@pytest.fixture(scope="module")
def weapons(rio):
    _, ds = rio
    items = ds.items
    weapons = items[items["item_kind"] == "weapon"].copy()
    weapons["year"] = weapons["seized_on"].dt.year
    return weapons


def test_every_row_is_accounted_for(rio):
    results, ds = rio
    for year, res in results.items():
        assert res.report.rows_in == ROWS[year]
        assert res.report.rows_in == res.report.rows_loaded + res.report.rows_rejected
    assert len(ds.items) == sum(ROWS.values()) == 128_734


def test_weapons_per_year_match_the_published_counts(weapons):
    assert weapons.groupby("year").size().to_dict() == WEAPONS


def test_top_makes_2017(weapons):
    top = weapons.loc[weapons["year"] == 2017, "make"].value_counts().head(5)
    assert top.to_dict() == {
        "Taurus": 5_929,
        "IMBEL": 1_380,
        "Rossi": 1_130,
        "Glock": 560,
        "Colt": 437,
    }


def test_country_of_manufacture_and_foreign_made_share(weapons):
    stated = weapons[weapons["country_of_manufacture_inferred"].eq(False)]
    y2017 = stated.loc[stated["year"] == 2017, "country_of_manufacture"]
    # SOURCE.md: "Brasil 5,961 + BRASIL 3,024, EUA 1,402, Turquia 430"
    counts = y2017.value_counts()
    assert counts["BRA"] == 5_961 + 3_024
    assert counts["USA"] == 1_402
    assert counts["TUR"] >= 430  # "Turquia" 430, and other spellings
    foreign = (stated["country_of_manufacture"] != "BRA").groupby(stated["year"]).mean()
    assert foreign.between(0.25, 0.40).all()
    # seized in Rio: the seizing country is the constant, not the País column
    assert (weapons["country"] == "BRA").all()
    assert (weapons["admin1"] == "BR-RJ").all()


def test_calibres_are_merged(rio, weapons):
    from conftest import REAL_DATA

    path = next((REAL_DATA / FOLDER).glob("*2022_02_BASE_APREENSAO.xlsx"))
    raw = pd.read_excel(
        path, header=2, usecols=["Classe", "Calibre"], engine="openpyxl"
    )
    raw = raw[raw["Classe"] == "ARMA DE FOGO"]["Calibre"].dropna().astype(str)
    canonical = weapons.loc[weapons["year"] == 2022, "calibre"].dropna()
    assert canonical.nunique() < 0.6 * raw.nunique()  # 59 spellings, 33 calibres
    read, _ = iti.normalize.normalize_calibre(pd.Series(raw.unique()))
    assert (read == ".38 Special").sum() >= 3  # ".38", ".38 SPL", ".38 SPECIAL"...
    # the civilian and military designations stay apart
    assert {".38 Special", "9x19mm", ".40 S&W", ".380 ACP"} <= set(canonical)
    assert "9x19mm" in set(weapons["calibre"]) and "9mm P.A.K." not in set(
        weapons.loc[weapons["calibre"] == "9x19mm", "calibre"]
    )
    # a bare "7.62" on a rifle whose model is known is settled: FAL → 7.62x51mm
    fal = weapons[weapons["model"].isin(["FAL", "M 964 FAL", "M 964 A1 PARAFAL"])]
    assert (fal["calibre"] == "7.62x51mm").sum() > 10 * (
        fal["calibre"] == "7.62mm"
    ).sum()


def test_obliterated_serials(weapons):
    share = (weapons["serial_status"] == "obliterated").groupby(weapons["year"]).mean()
    assert share.between(0.05, 0.30).all()
    # an obliterated number is never kept as a serial
    assert weapons.loc[weapons["serial_status"] == "obliterated", "serial"].isna().all()
    # placeholders ("0") are absent, not intact
    assert not weapons["serial"].fillna("x").str.fullmatch("0+").any()


def test_registered_police_weapons_are_identified(weapons):
    pm = weapons[weapons["registered_owner"] == "Polícia Militar"]
    assert pm.groupby("year").size().loc[list(MILITARY_POLICE)].to_dict() == (
        MILITARY_POLICE
    )
    assert (pm["owner_type"] == "police").all()
    police = weapons["owner_type"] == "police"
    assert police.groupby(weapons["year"]).sum().min() > 400


def test_status_comes_from_the_offence(weapons):
    status = weapons["status"].value_counts()
    assert status.index[0] == "seized"
    assert status["surrendered"] > 1_000  # the 2011 disarmament campaign
    assert "x_tipo_delito" in weapons.columns


def test_pais_mapped_to_country_warns_with_the_fix(rio):
    from conftest import REAL_DATA

    from iti_analytics.mapping import MappingWarning

    path = next((REAL_DATA / FOLDER).glob("*2022_02_BASE_APREENSAO.xlsx"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = iti.read_items(path)
    found = [w for w in caught if issubclass(w.category, MappingWarning)]
    assert found and "country_of_manufacture" in str(found[0].message)
    assert res.report.mapping["País"] == "country"


def test_isp_code_lists_read_through_the_mapping():
    """ISP's origem (1 foreign, 2 domestic, 88 no information) and categoria 1."""
    from conftest import REAL_DATA

    path = REAL_DATA / FOLDER / "dadosRJ_armas.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    res = iti.read_items(
        path, mapping=Path(__file__).parent / "data" / "rio_isp_mapping.toml"
    )
    t = res.table
    # SOURCE.md: origem 1 = 21,316, 2 = 13,139, 88 = 227
    assert t["x_origin"].value_counts(dropna=False).to_dict() == {
        "foreign": 21_316,
        "domestic": 13_139,
        pd.NA: 227,
    }
    assert (t["item_kind"] == "weapon").all()
    assert (t["status"] == "seized").all() and (t["country"] == "BRA").all()
