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
    # the fetcher reads its cache (tests point ITI_DATA_HOME at the local mirror)
    try:
        paths = iti.datasets.fetch_rio_seizures(download_if_missing=False)
    except iti.ITIError as err:
        pytest.skip(f"the six Rio workbooks are not cached: {err}")
    results = {
        year: iti.read_items(path, mapping=MAPPING) for year, path in paths.items()
    }
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


# ------------------------------------------------------------- the whole pipeline


@pytest.fixture(scope="module")
def plan(rio):
    _, ds = rio
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return iti.plan_tracing(ds, capacity=50, domestic_capacity=50)


def test_no_registered_state_weapon_is_an_international_request(rio, plan):
    _, ds = rio
    owners = ds.items.set_index("record_id")["owner_type"]
    intl = plan[plan["request_kind"] == "trace_request"]
    assert len(intl) == 50
    assert not owners.reindex(intl["record_id"]).isin(["police", "armed_forces"]).any()
    assert not intl["ask"].isin(["BRA", "IMBEL", "Taurus", "CBC", "Rossi"]).any()
    domestic = plan[plan["request_kind"] == "domestic_check"]
    assert len(domestic) == 50 and not domestic["ask"].isin(["none"]).any()


@pytest.fixture(scope="module")
def rio_links(rio):
    _, ds = rio
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return iti.link_records(ds)


def test_links_and_a_briefing_in_two_languages(rio, rio_links, plan, tmp_path_factory):
    from pypdf import PdfReader

    _, ds = rio
    links = rio_links
    assert len(links) and (links["confidence"].between(0, 1)).all()
    folder = tmp_path_factory.mktemp("rio_briefing")
    words = {"en": "Seizures", "fr": "Saisies"}
    for language in ("en", "fr"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = iti.write_briefing(
                ds,
                folder / f"rio_{language}.pdf",
                language=language,
                period=("2017-01-01", "2022-02-28"),
            )
        pages = [page.extract_text() for page in PdfReader(path).pages]
        assert len(pages) >= 5
        assert words[language] in "\n".join(pages)


# ------------------------------------------------- networks and batches (issue 11)

#: owner types of a service weapon (police, army, other state body)
STATE = ["police", "armed_forces", "other_state"]


@pytest.fixture(scope="module")
def rio_networks(rio, rio_links):
    _, ds = rio
    table, members = iti.batches(ds, return_members=True)
    nets, net_members = iti.networks(
        ds, links=rio_links, batch_members=members, return_members=True
    )
    return table, members, nets, net_members


def test_rio_batches_are_consignments_not_police_armouries(rio, rio_networks):
    _, ds = rio
    table, members, _, _ = rio_networks
    owner = ds.items.set_index("record_id")["owner_type"]
    # no registered service weapon is in a batch; each is listed, with the reason
    assert not owner.reindex(members["record_id"]).isin(STATE).any()
    aside = pd.DataFrame(table.attrs["set_aside"]).set_index("record_id")["reason"]
    state = owner.index[owner.isin(STATE).to_numpy()]
    assert len(state) == 18_412 + 1_262 + 215
    assert aside.reindex(state).str.startswith("registered state weapon").all()
    # issue 11: the largest "batch" was 899 ArmaLite AR 10 rifles in 426 seizures,
    # 864 of them registered to the Polícia Militar; the 35 without an owner are
    # set aside as the rest of that armoury
    rest = aside[aside.str.contains("864 of 899 registered, Polícia Militar")]
    assert len(rest) == 35
    assert (ds.items.set_index("record_id").loc[rest.index, "make"] == "ArmaLite").all()
    # and one weapon logged in three seizures or more is set aside too
    assert (
        aside.str.contains(r"^one weapon \(.+\) recorded in \d+ seizures").sum() > 100
    )
    # what remains: runs of a dozen consecutive serials at most, of a known make
    runs = table[table["kind"] == "serial_run"]
    assert len(runs) > 1_000 and runs["items"].max() <= 15
    assert table["make"].notna().all()
    # an import marking on an unknown make is no batch (was 156 rounds and
    # rifles marked "USA")
    marked = table[table["kind"] == "import_mark"]
    assert marked["make"].notna().all() and marked["items"].max() < 50


def test_rio_networks_are_not_glued_by_service_weapons(rio, rio_networks):
    _, ds = rio
    _, _, nets, net_members = rio_networks
    items = ds.items.set_index("record_id")
    n_seizures = net_members["seizure"].nunique()
    assert n_seizures > 40_000
    # issue 11: one "network" joined 6,233 seizures; the largest is now a few dozen
    largest = nets.iloc[0]
    assert 10 <= largest["seizures"] <= 100
    assert nets["component_seizures"].max() < 0.005 * n_seizures
    assert nets["linked_by"].notna().all()
    # every service weapon is set aside from the ties, with its reason
    m = net_members.set_index("record_id")
    service = items["owner_type"].reindex(m.index).isin(STATE).to_numpy()
    assert m.loc[service, "set_aside"].str.startswith("registered state").all()
    assert len(nets.attrs["set_aside"]["record_id"]) == m["set_aside"].notna().sum()
    # a seizure whose records are all set aside ties nothing: in no network
    alone = m["set_aside"].notna().groupby(m["seizure"]).all()
    in_net = m["network_id"].notna().groupby(m["seizure"]).any()
    assert alone.sum() > 3_000 and not (alone & in_net).any()
    weapons = m[(items["item_kind"].reindex(m.index) == "weapon").to_numpy()]
    weapons = weapons.assign(service=service[m.index.isin(weapons.index)])
    # the ten largest networks hold fewer service weapons than the data at large
    top = weapons["network_id"].isin(nets["network_id"].head(10)).to_numpy()
    assert weapons.loc[top, "service"].mean() < 0.8 * weapons["service"].mean()
