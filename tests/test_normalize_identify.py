"""Identification an arms expert would sign: patterns, importers, models, marks."""

from __future__ import annotations

import pandas as pd
import pytest

from iti_analytics.normalize import (
    calibre_kind,
    decode_headstamp,
    decode_marking,
    fold_serial_script,
    make_country,
    model_info,
    normalize_calibre,
    normalize_make,
    normalize_owner,
    normalize_serial,
    normalize_table,
    normalize_vocabulary,
    read_make,
    same_chamber,
    weapon_class,
)
from iti_analytics.reference import load_reference
from iti_analytics.schema import VOCABULARIES


def items(**columns) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(next(iter(columns.values())))
    raw = pd.DataFrame({"record_id": [f"r{i}" for i in range(n)], **columns})
    return normalize_table(raw, "items")


def problems_of(issues: pd.DataFrame, column: str) -> list[str]:
    return issues.loc[issues["column"] == column, "problem"].tolist()


# --------------------------------------------------------------------------- pattern


@pytest.mark.parametrize(
    "written", ["Kalashnikov", "Kalachnikov", "AK", "AK-47", "Kalash"]
)
def test_a_pattern_is_not_a_maker(written):
    table, issues = items(make=[written], category=["fusil d'assaut"])
    row = table.iloc[0]
    assert pd.isna(row["make"])
    assert row["pattern"] == "AK"
    # no maker, so no country: most AKs are not Russian
    assert pd.isna(row["country_of_manufacture"])
    assert "names a pattern" in problems_of(issues, "make")[0]


def test_the_maker_kalashnikov_concern_is_still_a_maker():
    make, _ = normalize_make(["Kalashnikov Concern", "Izhmash"])
    assert make.tolist() == ["Kalashnikov Concern", "Kalashnikov Concern"]
    assert make_country(make, year=[2015, 1975]).tolist() == ["RUS", "SUN"]


@pytest.mark.parametrize(
    ("written", "importer"),
    [
        ("Century Arms", "Century Arms"),
        ("CAI", "Century Arms"),
        ("EAA", "EAA"),
        ("Wolf", "Wolf"),
    ],
)
def test_an_importer_is_not_a_maker(written, importer):
    """ITI para 8(b): the importer's mark fills importer and import_country."""
    table, issues = items(make=[written])
    row = table.iloc[0]
    assert pd.isna(row["make"])
    assert row["importer"] == importer
    assert row["import_country"] == "USA"
    assert bool(row["import_marked"])
    assert pd.isna(row["country_of_manufacture"])
    assert "importer's mark" in problems_of(issues, "make")[0]


def test_subsidiaries_resolve_by_entity_and_year():
    make, _ = normalize_make(
        [
            "SIG Sauer GmbH",
            "SIG Sauer Inc.",
            "SIG Sauer",
            "SIG Sauer",
            "Beretta USA",
            "Beretta",
        ]
    )
    assert make.tolist() == [
        "SIG Sauer GmbH",
        "SIG Sauer Inc.",
        "SIG Sauer",
        "SIG Sauer",
        "Beretta USA",
        "Beretta",
    ]
    # the bare brand is German only before SIGARMS (1985); after, read the markings
    country = make_country(make, year=[2010, 2010, 1980, 2010, 2010, 2010])
    assert country.tolist() == ["DEU", "USA", "DEU", pd.NA, "USA", "ITA"]


@pytest.mark.parametrize("brand", ["Nightforce", "Trijicon", "Aimpoint", "EOTech"])
def test_optics_brands_are_not_makes(brand):
    frame = read_make([brand])
    assert frame["make"].isna().all()
    assert "optics or accessories" in frame["problem"].iloc[0]


# --------------------------------------------------------------------------- models


def test_model_table_is_large_and_sourced():
    models = load_reference("models")
    assert len(models) >= 300
    assert models["source"].notna().all()
    assert set(models["category"].dropna()) <= set(VOCABULARIES[("items", "category")])
    makers = set(load_reference("makes")["make"])
    assert set(models["maker"].dropna()) <= makers
    # canonical calibres read back as themselves
    calibres = models["calibre"].dropna().unique()
    assert normalize_calibre(calibres)[0].tolist() == list(calibres)
    # the Rio makes are covered
    covered = set(models["maker"].dropna())
    assert {"Taurus", "Rossi", "IMBEL", "CBC", "Glock", "Boito"} <= covered


def test_model_designations_decode():
    info = model_info(
        ["Type 56", "PT 58 HC PLUS", "G17", "M70AB2", "PMK", "AKM", "Glock 22", "82"],
        make=[None, "Taurus", "Glock", None, None, None, None, "TAURUS"],
    )
    assert info["country"].tolist() == [
        "CHN",
        "BRA",
        "AUT",
        "YUG",
        "POL",
        pd.NA,
        "AUT",
        "BRA",
    ]
    assert info["pattern"].tolist()[:5] == ["AK", "Beretta 84", pd.NA, "AK", "AK"]
    assert info["calibre"].tolist() == [
        "7.62x39mm",
        ".380 ACP",
        "9x19mm",
        "7.62x39mm",
        "7.62x39mm",
        "7.62x39mm",
        ".40 S&W",
        ".38 Special",
    ]


def test_a_bare_number_needs_the_make():
    info = model_info(["17", "17"], make=[None, "Glock"])
    assert info["maker"].tolist() == [pd.NA, "Glock"]


def test_a_model_of_another_maker_is_not_matched():
    assert model_info(["M92"], make=["Taurus"])["maker"].isna().all()


def test_model_settles_country_only_when_it_establishes_it():
    table, _ = items(model=["Type 56", "AK-47"], category=["fuzil", "fuzil"])
    assert table["country_of_manufacture"].tolist() == ["CHN", pd.NA]
    assert table["country_of_manufacture_inferred"].tolist() == [True, pd.NA]
    assert table["pattern"].tolist() == ["AK", "AK"]


# --------------------------------------------------------------------------- marks


def test_factory_codes_and_arsenal_marks():
    out = decode_marking(
        [
            "66 in a triangle",
            "26 (triangle)",
            "386 triangle",
            "10 in double circle",
            "arrow in triangle",
            "arrow in triangle IZHEVSK",
            "star",
            "11 in oval",
            "FEG",
            "Wiesa",
            "ZASTAVA",
        ]
    )
    assert out["country"].tolist() == [
        "CHN",
        "CHN",
        "CHN",
        "BGR",
        "ROU",
        "RUS",
        "RUS",
        "POL",
        "HUN",
        "DDR",
        "SRB",
    ]
    assert out["maker"].tolist()[3:6] == ["Arsenal", "Cugir", "Kalashnikov Concern"]


def test_headstamps_decode_with_years():
    out = decode_headstamp(["539 78", "17 89", "270 85", "LC 15", "PPU 2019", "CBC"])
    assert out["country"].tolist() == ["SUN", "SUN", "SUN", "USA", "SRB", "BRA"]
    assert out["year"].tolist() == [1978, 1989, 1985, 2015, 2019, pd.NA]
    assert out["maker"].iloc[0] == "Tula Cartridge Works"


@pytest.mark.parametrize(
    "name", ["factory_codes", "headstamps", "calibre_chambers", "owners"]
)
def test_new_reference_rows_have_a_source(name):
    assert load_reference(name)["source"].notna().all()


# --------------------------------------------------------------------------- calibres


@pytest.mark.parametrize("written", ["9mm PAK", "9 mm P.A.K.", "9mm R.K.", "8mm K"])
def test_blank_cartridges_are_their_own_calibre_never_9x19(written):
    calibre, problems = normalize_calibre([written])
    assert calibre.iloc[0] != "9x19mm"
    assert calibre_kind(calibre).iloc[0] == "blank"
    assert problems.isna().all()


def test_a_weapon_in_a_blank_calibre_is_a_conversion_signal():
    table, issues = items(category=["pistola"], calibre=["9mm P.A.K."])
    assert table["production"].iloc[0] == "converted"
    assert "converted blank-firing" in problems_of(issues, "calibre")[0]


def test_bare_bores_stay_ambiguous_unless_model_or_category_settle_them():
    calibre, problems = normalize_calibre(["9mm", "7.62"])
    assert calibre.tolist() == ["9mm", "7.62mm"]
    assert problems.str.startswith("ambiguous calibre").all()
    calibre, problems = normalize_calibre(
        ["9mm", "9mm", "7.62", "7.62", "7.62"],
        category=["pistol", None, "assault_rifle", None, None],
        model=[None, "Makarov", None, "FAL", "Type 56"],
    )
    assert calibre.tolist() == ["9x19mm", "9x18mm", "7.62mm", "7.62x51mm", "7.62x39mm"]
    # the category alone never settles "7.62"
    assert problems.notna().tolist() == [False, False, True, False, False]


def test_civilian_and_military_designations_stay_apart_but_share_a_chamber():
    calibre, _ = normalize_calibre(
        [".308 Win", "7.62 NATO", ".223 Rem", "5.56x45", "40x46", "40x53"]
    )
    assert calibre.tolist() == [
        ".308 Winchester",
        "7.62x51mm",
        ".223 Remington",
        "5.56x45mm",
        "40x46mm",
        "40x53mm",
    ]
    assert same_chamber(".308 Winchester", "7.62x51mm")
    assert same_chamber(".223 Remington", "5.56x45mm")
    assert not same_chamber("40x46mm", "40x53mm")
    assert not same_chamber("9mm", "9x19mm")  # a bare bore fits no chamber for sure
    pairs = same_chamber(
        pd.Series(calibre.tolist()),
        pd.Series(
            [
                "7.62x51mm",
                ".308 Winchester",
                "5.56x45mm",
                ".223 Remington",
                "40x53mm",
                None,
            ]
        ),
    )
    assert pairs.tolist() == [True, True, True, True, False, False]


# --------------------------------------------------------------------------- categories


def test_light_weapons_per_iti_and_un_register():
    cats = ["assault_rifle", "heavy_machine_gun", "mortar", "mortar", "mortar", "atgm"]
    cals = ["7.62x39mm", "12.7x108mm", "60mm", "82mm", "120mm", None]
    assert weapon_class(cats, cals).tolist() == [
        "small_arm",
        "light_weapon",
        "light_weapon",
        "light_weapon",
        pd.NA,
        "light_weapon",
    ]
    un = weapon_class(cats, cals, definition="un_register")
    assert un.tolist()[2:5] == ["light_weapon", pd.NA, pd.NA]
    with pytest.raises(ValueError, match="definition"):
        weapon_class(cats, cals, definition="nato")


def test_metralhadora_in_a_pistol_calibre_is_a_submachine_gun():
    table, issues = items(
        category=["metralhadora", "metralhadora"], calibre=["9 MM LUGER", "7.62x51"]
    )
    assert table["category"].tolist() == ["submachine_gun", "machine_gun"]
    assert problems_of(issues, "category") == [
        "machine gun in a pistol calibre (9x19mm): read as a submachine gun"
    ]


def test_category_that_contradicts_the_calibre_is_an_issue():
    table, issues = items(
        category=["espingarda", "pistola"], calibre=["9mm Luger", "12"]
    )
    assert table["category"].tolist() == ["shotgun", "pistol"]
    assert len(problems_of(issues, "category")) == 2


def test_make_whose_country_contradicts_the_stated_one_is_an_issue():
    table, issues = items(
        make=["Taurus", "Taurus", "Zastava"],
        country_of_manufacture=["Brasil", "EUA", "Yugoslavia"],
    )
    found = problems_of(issues, "country_of_manufacture")
    assert found == [
        "make Taurus is from BRA, but the country of manufacture says USA: check the "
        "markings (a subsidiary, licensed production or a wrong column)"
    ]
    assert table["country_of_manufacture"].tolist() == ["BRA", "USA", "YUG"]


def test_the_importers_country_written_as_the_makers_is_an_issue():
    # Rio 2017: "CENTURY ARMS", model "INDETERMINADO", País "EUA" on an M70AB
    table, issues = items(
        make=["CENTURY ARMS", "CENTURY ARMS", "CENTURY ARMS"],
        country_of_manufacture=["EUA", "Sérvia", None],
    )
    found = problems_of(issues, "country_of_manufacture")
    assert found == [
        "the make names only the importer Century Arms; a country of manufacture "
        "of USA is then most likely the importer's: check the markings for the "
        "maker (or a re-import of an item made in USA)"
    ]
    # kept as written: a re-import is possible
    assert table["country_of_manufacture"].tolist() == ["USA", "SRB", pd.NA]
    assert table["import_country"].tolist() == ["USA"] * 3


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize("written", ["captured", "capturé", "capturada", "capturado"])
def test_captured_is_a_status(written):
    status, problems = normalize_vocabulary(pd.Series([written]), "items", "status")
    assert status.tolist() == ["captured"]
    assert problems.isna().all()


def test_captured_counts_in_sdg_16_4_2():
    from iti_analytics.indicators._common import RECOVERED_STATUSES

    assert "captured" in RECOVERED_STATUSES


# --------------------------------------------------------------------------- serials


@pytest.mark.parametrize("written", ["0000000", "0", "000", "S/N", "NIL"])
def test_placeholder_serials_are_not_serials(written):
    frame, _ = normalize_serial([written])
    assert frame["serial"].isna().all()
    assert frame["serial_status"].tolist() == ["absent"]


def test_placeholder_zeros_carry_an_issue_and_never_link():
    import iti_analytics as iti

    table, issues = items(
        serial=["0000000", "0000000"],
        make=["Taurus", "Glock"],
        category=["pistola"] * 2,
    )
    assert problems_of(issues, "serial")[0].startswith("placeholder serial '0000000'")
    links = iti.link_records(iti.as_dataset(table))
    assert links.empty


@pytest.mark.parametrize(
    ("a", "b"),
    [("АК1234", "AK1234"), ("١٢٣٤٥", "12345"), ("۱۳۸۵ТС", "1385TC"), ("ВМ٠٧", "BM07")],
)
def test_serials_in_other_scripts_match_across_agencies(a, b):
    frame, _ = normalize_serial([a, b])
    assert frame["serial"].iloc[0] == frame["serial"].iloc[1] == b
    assert fold_serial_script(a) == b


# --------------------------------------------------------------------------- owners


def test_registered_owner_becomes_owner_and_type():
    table, _ = items(
        registered_owner=[
            "POLÍCIA MILITAR",
            "Polícia Civil",
            "Não Patrimoniada",
            "REGISTRO PARTICULAR",
        ]
    )
    assert table["owner_type"].tolist() == ["police", "police", "none", "private"]
    assert table["registered_owner"].tolist()[:2] == [
        "Polícia Militar",
        "Polícia Civil",
    ]


def test_owner_not_in_the_table_keeps_its_text():
    out = normalize_owner(["Guarda Costeira"])
    assert out["registered_owner"].tolist() == ["Guarda Costeira"]
    assert out["owner_type"].isna().all()


def test_headstamps_fill_ammunition_maker_country_and_year():
    table, _ = items(
        item_kind=["munição", "munição", "arma"],
        headstamp=["539 78", "LC 15", "539 78"],
    )
    assert table["country_of_manufacture"].tolist() == ["SUN", "USA", pd.NA]
    assert table["year_of_manufacture"].tolist() == [1978, 2015, pd.NA]
    assert table["make"].tolist() == ["Tula Cartridge Works", "Lake City", pd.NA]
    assert table["country_of_manufacture_inferred"].tolist()[:2] == [True, True]


def test_a_year_before_the_model_existed_is_an_issue():
    _, issues = items(
        make=["Glock", "Glock"], model=["17", "17"], year_of_manufacture=[1975, 1995]
    )
    assert problems_of(issues, "year_of_manufacture") == [
        "year of manufacture 1975 is before the Glock 17 was made (from 1982): check "
        "the year or the model"
    ]


def test_calibre_rows_added_here_have_a_source():
    calibres = load_reference("calibres")
    added = calibres["calibre"].isin(
        [
            "9mm P.A.K.",
            "9mm R.K.",
            "8mm blank",
            ".308 Winchester",
            ".223 Remington",
            "9mm",
            "40x46mm",
            "40x53mm",
        ]
    )
    assert calibres.loc[added, "source"].notna().all()


# --------------------------------------------------------------------------- speed


def test_identification_once_per_combination_matches_row_by_row():
    """Repeated combinations are read once; every row gets the same answers."""
    rows = {
        "make": [
            "Taurus",
            "Norinco",
            "Kalashnikov",
            "Taurus",
            "FN",
            "Glock",
            "Norinco",
        ],
        "model": ["PT92", "Type 56", "", "PT92", "FAL", "17", "AKM"],
        "category": [
            "metralhadora",
            "fusil",
            "pistola",
            "espingarda",
            "pistolet",
            "",
            "fusil d'assaut",
        ],
        "calibre": ["9 MM LUGER", "7,62x39", "12", "9mm", "8mm blank", "9x19", "12 GA"],
        "country_of_manufacture": ["EUA", None, "Russie", "Brasil", "", "", "Chine"],
        "year_of_manufacture": ["1990", "", "1975", "2001", "", "1975", ""],
        "item_kind": ["arme", "", "arme", "munitions", "arme", "", "munição"],
        "headstamp": ["", "", "", "539 78", "", "", "LC 15"],
    }
    once, once_issues = items(**rows)
    assert {
        "category",
        "calibre",
        "country_of_manufacture",
        "year_of_manufacture",
    } <= set(once_issues["column"])
    repeats = 40
    many, many_issues = items(**{k: v * repeats for k, v in rows.items()})
    expected = pd.concat([once] * repeats, ignore_index=True)
    expected["record_id"] = many["record_id"]
    pd.testing.assert_frame_equal(many, expected)
    assert len(many_issues) == repeats * len(once_issues)
    first = many_issues[many_issues["record_id"].isin(once["record_id"])]
    pd.testing.assert_frame_equal(first.reset_index(drop=True), once_issues)
