"""SDG 16.4.2 and diversion from state stocks (with the Rio 2017 spreadsheet)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError, NoDataWarning
from iti_analytics.indicators import (
    DataQualityWarning,
    indicator_issues,
    owner_class,
    sdg_16_4_2,
    state_stock_diversion,
)
from iti_analytics.schema import conform

D = pd.Timestamp
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def make_ds(items, traces=None):
    return dict(
        items=conform(pd.DataFrame(items), "items"),
        traces=conform(pd.DataFrame(traces if traces is not None else {}), "traces"),
    )


@pytest.fixture
def world():
    items = pd.DataFrame(
        {
            "record_id": list("abcdefghij"),
            "country": ["NER"] * 6 + ["MLI"] * 3 + [None],
            "seized_on": [D("2023-03-01")] * 5
            + [D("2024-01-10")]
            + [D("2023-06-01")] * 3
            + [D("2023-01-01")],
            "status": [
                "seized",
                "found",
                "surrendered",
                "seized",
                "lost",
                "seized",
                "seized",
                "seized",
                None,
                "seized",
            ],
            "item_kind": [
                "weapon",
                "weapon",
                "weapon",
                "ammunition",
                "weapon",
                "weapon",
                None,
                "weapon",
                "weapon",
                "weapon",
            ],
            "category": [
                None,
                None,
                None,
                None,
                None,
                None,
                "pistol",
                None,
                None,
                None,
            ],
            "year_of_manufacture": [
                1980,
                1890,
                2001,
                None,
                1999,
                2010,
                None,
                1975,
                None,
                1990,
            ],
            "quantity": [1, 1, 1, 500, 1, 4, 1, 1, 1, 1],
        }
    )
    traces = pd.DataFrame(
        {
            "trace_id": ["t1", "t2", "t3", "t4", "t5", "t6"],
            "record_id": ["a", "b", "f", "g", "h", "nowhere"],
            "outcome": [
                "traced",
                "traced",
                "partially_traced",
                "not_traced",
                None,
                "traced",
            ],
            "diversion_country": [None, None, None, None, "LBY", None],
        }
    )
    return make_ds(items, traces)


def by_key(table, keys=("country", "year")):
    return {tuple(r[list(keys)]): r for _, r in table.iterrows()}


def test_sdg_default_numerator_denominator(world):
    with pytest.warns(DataQualityWarning, match="trace points at an unknown item"):
        out = sdg_16_4_2(world)
    rows = by_key(out)
    # NER 2023: a (traced), c (surrendered); b is an antique, d ammunition,
    # e lost -> 1 / 2
    ner = rows[("NER", 2023)]
    assert (ner["numerator"], ner["denominator"]) == (1, 2)
    assert ner["proportion"] == pytest.approx(0.5)
    # NER 2024: f partially traced counts by default
    assert rows[("NER", 2024)]["numerator"] == 1
    # MLI 2023: g pistol (no kind, a category) not traced; h diversion point
    # recorded with no outcome -> established; i has no status -> left out
    mli = rows[("MLI", 2023)]
    assert (mli["numerator"], mli["denominator"]) == (1, 2)
    # no country: its own group, not dropped
    assert any(pd.isna(k[0]) for k in rows)
    assert out.attrs["not_counted"]["status unknown"] == 1
    assert out.attrs["not_counted"]["antique (made before 1900)"] == 1
    issue = indicator_issues(out).iloc[0]
    assert (issue["trace_id"], issue["excluded_from"]) == ("t6", "SDG 16.4.2 numerator")


def test_country_year_without_data_is_missing_not_zero(world):
    with pytest.warns(DataQualityWarning):
        out = sdg_16_4_2(world)
    assert ("MLI", 2024) not in by_key(out)
    assert (out["denominator"] > 0).all()


def test_partial_exclude(world):
    with pytest.warns(DataQualityWarning):
        out = sdg_16_4_2(world, partial="exclude")
    assert by_key(out)[("NER", 2024)]["numerator"] == 0


def test_quantity_weighting(world):
    with pytest.warns(DataQualityWarning):
        out = sdg_16_4_2(world, by="country", quantity="quantity")
    ner = by_key(out, ("country",))[("NER",)]
    # a (1), c (1), f (4 items, partially traced) -> 5 of 6
    assert (ner["numerator"], ner["denominator"]) == (5, 6)


def test_unknown_status_count_and_antiques_kept(world):
    with pytest.warns(DataQualityWarning):
        out = sdg_16_4_2(world, by=None, unknown_status="count", antique_before=None)
    # weapons not lost: a b c f g h i j = 8; established a b f h
    assert (out.loc[0, "numerator"], out.loc[0, "denominator"]) == (4, 8)


def test_other_documented_determination():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "country": "NER",
            "item_kind": "weapon",
            "status": "seized",
            "seized_on": [D("2023-01-01")] * 3,
            "x_origin_established": ["oui", "non", None],
        }
    )
    out = sdg_16_4_2(make_ds(items), by="country")
    assert out.loc[0, "numerator"] == 1
    assert out.loc[0, "established_otherwise"] == 1
    assert out.loc[0, "established_by_trace"] == 0
    assert "x_origin_established" in out.attrs["method"]


def test_no_trace_and_no_determination_is_said_not_silent():
    """Seizures alone cannot establish an origin: the 0 is for want of data."""
    items = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "country": "NER",
            "item_kind": "weapon",
            "status": "seized",
            "seized_on": [D("2023-01-01")] * 2,
        }
    )
    with pytest.warns(NoDataWarning, match="no trace records"):
        out = sdg_16_4_2(make_ds(items), by=None)
    assert (out.loc[0, "numerator"], out.loc[0, "denominator"]) == (0, 2)
    assert out.attrs["origin_evidence"] is False
    # a determination column is evidence, even when it establishes nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoDataWarning)
        out = sdg_16_4_2(make_ds(items.assign(x_origin_established="non")))
    assert out.attrs["origin_evidence"] is True


def test_bad_quantity_reported():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "item_kind": "weapon",
            "status": "seized",
            "quantity": [0, 2],
            "seized_on": [D("2023-01-01")] * 2,
            "country": "NER",
        }
    )
    with pytest.warns(DataQualityWarning, match="quantity zero or negative"):
        out = sdg_16_4_2(make_ds(items), quantity="quantity")
    assert out.loc[0, "denominator"] == 2


def test_sdg_bad_option(world):
    with pytest.raises(InvalidParameterError, match="`partial` must be one of"):
        sdg_16_4_2(world, partial="half")


# --------------------------------------------------------------- state stocks


def test_owner_class_vocabulary():
    values = pd.Series(
        [
            "POLÍCIA MILITAR",
            "Polícia Civil",
            "FORÇAS ARMADAS",
            "CORPO DE BOMBEIRO",
            "Força Nacional",
            "REGISTRO PARTICULAR",
            "Não Patrimoniada",
            "PATRIMONIADA / OUTRAS",
            "NÃO IDENTIFICADA",
            None,
            "Gendarmerie nationale",
            "xyz",
        ]
    )
    got = owner_class(values)["owner_class"].tolist()
    assert got == ["state_forces"] * 5 + [
        "private",
        "not_registered",
        "other_institution",
        "unknown",
        "unknown",
        "state_forces",
        "unrecognised",
    ]


def test_state_stock_diversion_synthetic():
    items = pd.DataFrame(
        {
            "record_id": list("abcdef"),
            "admin1": ["A"] * 4 + ["B"] * 2,
            "item_kind": ["weapon"] * 5 + ["ammunition"],
            "seized_on": [D("2017-05-01")] * 6,
            "x_patrimoniada": [
                "Polícia Militar",
                "Registro Particular",
                None,
                "zzz",
                "POLÍCIA CIVIL",
                "POLÍCIA MILITAR",
            ],
        }
    )
    with pytest.warns(DataQualityWarning, match="'zzz'"):
        out = state_stock_diversion(make_ds(items))
    a = out.set_index("admin1").loc["A"]
    assert (a["weapons"], a["state_forces"], a["private"], a["owner_unknown"]) == (
        4,
        1,
        1,
        2,
    )
    assert a["share_state_forces"] == pytest.approx(0.5)  # unknowns left out
    b = out.set_index("admin1").loc["B"]
    assert (b["weapons"], b["share_state_forces"]) == (1, 1.0)  # ammunition left out
    assert out.attrs["unrecognised"] == {"zzz": 1}


def test_state_stock_missing_column_is_clear():
    with pytest.raises(InvalidParameterError, match="no column 'x_patrimoniada'"):
        state_stock_diversion(
            make_ds({"record_id": ["a"]}), owner_column="x_patrimoniada"
        )


def test_state_stock_reads_the_canonical_owner_type():
    items = {
        "record_id": list("abcde"),
        "item_kind": "weapon",
        "status": "seized",
        "seized_on": pd.to_datetime(["2020-05-01"] * 5),
        "owner_type": ["police", "armed_forces", "private", "none", None],
    }
    out = state_stock_diversion(make_ds(items), by=None)
    row = out.iloc[0]
    assert (row["state_forces"], row["private"], row["not_registered"]) == (2, 1, 1)
    assert row["owner_unknown"] == 1 and row["share_state_forces"] == 0.5


RIO_2017 = "rj_seized_firearms_isdp/24648_APREENS_ARMA_FOGO_2017_BASE_APREENSAO.xlsx"


def read_rio(path):
    columns = [
        "Classe",
        "Tipo",
        "Marca",
        "Calibre",
        "Patrimoniada",
        "Circunscrição",
        "Data Registro",
        "Tipo Delito",
    ]
    try:
        raw = pd.read_excel(path, header=2, usecols=columns, engine="calamine")
    except ImportError:
        raw = pd.read_excel(path, header=2, usecols=columns)
    return raw


def rio_items(raw):
    """Map the Rio spreadsheet to a canonical items frame by hand."""
    kind = raw["Classe"].map({"ARMA DE FOGO": "weapon", "MUNIÇÃO": "ammunition"})
    surrendered = raw["Tipo Delito"].str.contains("Entrega Volunt", na=False)
    return pd.DataFrame(
        {
            "record_id": [f"rio:{i}" for i in range(len(raw))],
            "country": "BRA",
            "admin1": "BR-RJ",
            "locality": raw["Circunscrição"],
            "item_kind": kind,
            "status": surrendered.map({True: "surrendered", False: "seized"}),
            "seized_on": raw["Data Registro"],
            "make": raw["Marca"],
            "calibre": raw["Calibre"],
            "x_tipo": raw["Tipo"],
            "x_patrimoniada": raw["Patrimoniada"],
        }
    )


@pytest.fixture(scope="module")
def rio_2017():
    path = REAL_DATA / RIO_2017
    if not path.exists():
        pytest.skip(f"Rio data not found at {path}")
    return rio_items(read_rio(path))


def test_rio_2017_police_owned_weapons(rio_2017):
    items = rio_2017
    owners = owner_class(items.loc[items["item_kind"] == "weapon", "x_patrimoniada"])
    # SOURCE.md: Patrimoniada = POLÍCIA MILITAR / Polícia Militar: 1,644 + 1,264
    assert (owners["owner"] == "polícia militar").sum() == 1_644 + 1_264
    out = state_stock_diversion(make_ds(items), by="year")
    row = out.iloc[0]
    assert row["year"] == 2017
    assert row["weapons"] == 13_725  # ARMA DE FOGO rows in 2017
    raw = items[items["item_kind"] == "weapon"]["x_patrimoniada"]
    state_values = [
        "POLÍCIA MILITAR",
        "Polícia Militar",
        "POLÍCIA CIVIL",
        "Polícia Civil",
        "FORÇAS ARMADAS",
        "Forças Armadas",
        "Força Nacional",
        "CORPO DE BOMBEIRO",
    ]
    unknown = raw.isna() | raw.isin(["Não Identificada", "NÃO IDENTIFICADA"])
    assert row["state_forces"] == raw.isin(state_values).sum()
    assert row["owner_unknown"] == unknown.sum()
    assert row["share_state_forces"] == pytest.approx(
        raw.isin(state_values).sum() / (~unknown).sum()
    )
    assert out.attrs["unrecognised"] == {}


def test_rio_2017_sdg_denominator(rio_2017):
    with pytest.warns(NoDataWarning, match="no trace records"):
        out = sdg_16_4_2(make_ds(rio_2017), by=["country", "year"])
    # every firearm counts (no antique year, no trace): 13,725, numerator 0
    assert out.loc[0, "denominator"] == 13_725
    assert out.loc[0, "numerator"] == 0
