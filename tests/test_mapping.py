"""Tests for iti_analytics.mapping: header synonyms, explicit and TOML mappings."""

from __future__ import annotations

import pandas as pd
import pytest

from iti_analytics import read_items
from iti_analytics.exceptions import MappingError
from iti_analytics.mapping import (
    extra_name,
    header_key,
    map_columns,
    match_header,
    read_mapping_file,
    synonyms,
)
from iti_analytics.reference import load_reference
from iti_analytics.schema import TABLES

FRENCH_POLICE = [
    "N° PV",
    "Date de saisie",
    "Service",
    "Pays",
    "Région",
    "Localité",
    "Nature",
    "Type d'arme",
    "Marque",
    "Modèle",
    "Calibre",
    "N° de série",
    "Pays de fabrication",
    "Année de fabrication",
    "Marquage d'importation",
    "Quantité",
    "Mis en cause",
    "Type de mis en cause",
    "Statut",
    "Contexte",
    "Observations",
    "Réf.",
]
ENGLISH_CUSTOMS = [
    "Record ID",
    "Case No",
    "Seizure Date",
    "Border Post",
    "Country",
    "Item Type",
    "Weapon Type",
    "Manufacturer",
    "Model",
    "Calibre",
    "Serial Number",
    "Country of Manufacture",
    "Year of Manufacture",
    "Import Marking",
    "Import Country",
    "Qty",
    "Headstamp",
    "Lot Number",
    "Origin Country",
    "Transit Countries",
    "Suspect",
    "Remarks",
]
ARMY_JSON = [
    "id",
    "incident_id",
    "date_recovered",
    "country",
    "province",
    "lat",
    "lon",
    "type",
    "make",
    "model",
    "caliber",
    "serial_no",
    "made_in",
    "year_made",
    "recovered_from",
    "group_type",
    "context",
    "qty",
]
RIO_XLSX = [
    "Laudo",
    "Número de Série",
    "Controle Interno SCO",
    "Classe",
    "Tipo",
    "Marca",
    "Modelo",
    "Calibre",
    "Plataforma",
    "Restrita",
    "Patrimoniada",
    "Origem Arma",
    "País",
    "Circunscrição",
    "Número Procedimento",
    "Bairro",
    "Data Registro",
    "Acautelamento",
    "Número Lacre",
    "País Importador",
    "Tipo Delito",
]


def test_header_key_ignores_case_accents_punctuation_spaces_and_articles():
    variants = [
        "Número de Série",
        "NUMERO DE SERIE",
        "numero_de_serie",
        "  Número   de-Série ",
        "NumeroSerie",
        "numéro série",
    ]
    assert {header_key(v) for v in variants} == {"numeroserie"}
    assert header_key("N° PV") == header_key("Nº PV") == header_key("n pv")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            FRENCH_POLICE,
            {
                "N° PV": "seizure_id",
                "Date de saisie": "seized_on",
                "Service": "agency",
                "Pays": "country",
                "Région": "admin1",
                "Localité": "locality",
                "Nature": "item_kind",
                "Type d'arme": "category",
                "Marque": "make",
                "Modèle": "model",
                "Calibre": "calibre",
                "N° de série": "serial",
                "Pays de fabrication": "country_of_manufacture",
                "Année de fabrication": "year_of_manufacture",
                "Marquage d'importation": "import_marked",
                "Quantité": "quantity",
                "Mis en cause": "actor",
                "Type de mis en cause": "actor_type",
                "Statut": "status",
                "Contexte": "setting",
                "Observations": "notes",
                "Réf.": "record_id",
            },
        ),
        (
            ENGLISH_CUSTOMS,
            {
                "Record ID": "record_id",
                "Case No": "seizure_id",
                "Seizure Date": "seized_on",
                "Border Post": "locality",
                "Country": "country",
                "Item Type": "item_kind",
                "Weapon Type": "category",
                "Manufacturer": "make",
                "Model": "model",
                "Calibre": "calibre",
                "Serial Number": "serial",
                "Country of Manufacture": "country_of_manufacture",
                "Year of Manufacture": "year_of_manufacture",
                "Import Marking": "import_marked",
                "Import Country": "import_country",
                "Qty": "quantity",
                "Headstamp": "headstamp",
                "Lot Number": "lot",
                "Origin Country": "origin_country",
                "Transit Countries": "transit_countries",
                "Suspect": "actor",
                "Remarks": "notes",
            },
        ),
        (
            ARMY_JSON,
            {
                "id": "record_id",
                "incident_id": "seizure_id",
                "date_recovered": "seized_on",
                "country": "country",
                "province": "admin1",
                "lat": "lat",
                "lon": "lon",
                "type": "category",
                "make": "make",
                "model": "model",
                "caliber": "calibre",
                "serial_no": "serial",
                "made_in": "country_of_manufacture",
                "year_made": "year_of_manufacture",
                "recovered_from": "actor",
                "group_type": "actor_type",
                "context": "setting",
                "qty": "quantity",
            },
        ),
    ],
    ids=["french-police-csv", "english-customs-xlsx", "army-json"],
)
def test_sample_source_headers_map_automatically(headers, expected):
    m = map_columns(headers, "items")
    assert m.fields == expected
    assert m.unmapped == []


def test_rio_headers_map_with_a_partial_mapping():
    m = map_columns(RIO_XLSX, "items", {"País": "country_of_manufacture"})
    assert m.fields == {
        "Número de Série": "serial",
        "Classe": "item_kind",
        "Tipo": "category",
        "Marca": "make",
        "Modelo": "model",
        "Calibre": "calibre",
        "País": "country_of_manufacture",
        "Número Procedimento": "seizure_id",
        "Bairro": "locality",
        "Data Registro": "seized_on",
        "País Importador": "import_country",
    }
    assert m.extras["Circunscrição"] == "x_circunscricao"
    assert m.how[RIO_XLSX.index("País")] == "explicit"
    assert m.how[RIO_XLSX.index("Marca")] == "synonym"


def test_trace_request_canonical_headers_map_to_themselves():
    headers = [
        c for c in TABLES["traces"] if c not in ("source", "notes", "duplicate_of")
    ]
    m = map_columns(headers, "traces")
    assert m.fields == {h: h for h in headers}


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"Col A": "make", "Col B": "serial"}, {"Col A": "make", "Col B": "serial"}),
        ({"make": "Col A", "serial": "Col B"}, {"Col A": "make", "Col B": "serial"}),
    ],
    ids=["header-to-field", "field-to-header"],
)
def test_explicit_mapping_accepts_both_orientations(mapping, expected):
    m = map_columns(["Col A", "Col B", "Calibre"], "items", mapping)
    assert m.fields == {**expected, "Calibre": "calibre"}


def test_explicit_mapping_matches_headers_case_and_accent_insensitively():
    m = map_columns(["País", "Marca"], "items", {"pais": "country_of_manufacture"})
    assert m.fields["País"] == "country_of_manufacture"


def test_explicit_none_keeps_a_header_as_extra_column():
    m = map_columns(["Marca", "País"], "items", {"País": None})
    assert m.fields == {"Marca": "make"}
    assert m.extras == {"País": "x_pais"}


def test_unknown_field_in_mapping_names_it_and_lists_valid_fields():
    with pytest.raises(MappingError, match="country_of_manufacturer") as info:
        map_columns(["País"], "items", {"País": "country_of_manufacturer"})
    msg = str(info.value)
    assert "Did you mean 'country_of_manufacture'" in msg
    assert "Valid fields" in msg and "'serial'" in msg


def test_unknown_field_in_field_to_header_mapping():
    with pytest.raises(MappingError, match="'serail'"):
        map_columns(["A", "B"], "items", {"make": "A", "serail": "B"})


def test_mapping_naming_no_header_of_the_source_is_an_error():
    with pytest.raises(MappingError, match="none of them"):
        map_columns(["Marca"], "items", {"Marke": "make"})


def test_mapping_shared_by_files_may_name_headers_a_file_lacks():
    m = map_columns(
        ["controle", "tipo"],
        "items",
        {"País": "country_of_manufacture", "controle": "seizure_id"},
    )
    assert m.fields == {"controle": "seizure_id", "tipo": "category"}
    assert any("'País'" in note for note in m.notes)


def test_two_headers_for_one_field_first_wins_other_kept_and_noted():
    m = map_columns(["Marque", "Make", "Calibre"], "items")
    assert m.fields == {"Marque": "make", "Calibre": "calibre"}
    assert m.extras == {"Make": "x_make"}
    assert any("'Make'" in note and "'Marque'" in note for note in m.notes)


def test_explicit_mapping_wins_over_synonyms_for_the_same_field():
    m = map_columns(
        ["Pays", "Pays de fabrication", "Lieu"], "items", {"Lieu": "country"}
    )
    assert m.fields["Lieu"] == "country"
    assert m.extras["Pays"] == "x_pays"


def test_unmapped_names_are_unique_slugs():
    m = map_columns(["Cor", "cor ", "", "x_custom"], "items")
    assert m.names == ["x_cor", "x_cor_2", "x_column_3", "x_custom"]


def test_fuzzy_match_catches_typos_but_not_unrelated_words():
    assert match_header("Numero de serei") == "serial"
    assert match_header("Calibre") == "calibre"
    assert match_header("Acautelamento") is None
    assert match_header("Colour") is None


def test_extra_name_is_ascii_slug():
    assert extra_name("Número Lacre") == "x_numero_lacre"
    assert extra_name("x_sheet") == "x_sheet"


def test_headers_csv_has_no_conflicting_synonyms_within_a_table():
    ref = load_reference("headers")
    assert list(ref.columns) == ["table", "field", "synonym"]
    assert set(ref["table"]) == set(TABLES)
    for table, group in ref.groupby("table"):
        assert set(group["field"]) <= set(TABLES[table]), table
        keys = group.assign(key=group["synonym"].map(header_key))
        fields_per_key = keys.groupby("key")["field"].nunique()
        assert (fields_per_key == 1).all(), fields_per_key[fields_per_key > 1]


def test_every_items_field_has_synonyms_in_several_languages():
    syn = synonyms("items")
    for fld in ("seized_on", "country", "category", "make", "serial", "quantity"):
        assert len(syn[fld]) >= 8, fld


def test_toml_mapping_file(tmp_path):
    p = tmp_path / "rio.toml"
    p.write_text(
        'source = "rio"\ndayfirst = true\nsheet = "2017"\n'
        '[columns]\n"País" = "country_of_manufacture"\ncontrole = "seizure_id"\n',
        encoding="utf-8",
    )
    spec = read_mapping_file(p)
    assert spec.columns == {"País": "country_of_manufacture", "controle": "seizure_id"}
    assert spec.settings == {"source": "rio", "dayfirst": True, "sheet": "2017"}


def test_bad_toml_names_the_file(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[columns\nx = 1\n", encoding="utf-8")
    with pytest.raises(MappingError, match="bad.toml.*not valid TOML"):
        read_mapping_file(p)


def test_toml_with_unknown_keys_is_rejected(tmp_path):
    p = tmp_path / "m.toml"
    p.write_text('delimeter = ";"\n[columns]\n', encoding="utf-8")
    with pytest.raises(MappingError, match="delimeter"):
        read_mapping_file(p)


def test_missing_toml_file(tmp_path):
    with pytest.raises(MappingError, match="does not exist"):
        read_mapping_file(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- constants


def _rio_like() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Marca": ["TAURUS", "GLOCK", "COLT", "TAURUS", "IMBEL"],
            "País": ["Brasil", "Áustria", "EUA", "Brasil", "Brasil"],
            "origem": [2, 1, 1, 2, 88],
            "Tipo Delito": [
                "Porte Ilegal De Arma De Fogo De Uso Permitido",
                "Entrega Voluntária De Arma De Fogo (Campanha Do Desarmamento 2011)",
                "Roubo De Veículo",
                "Extravio De Arma De Fogo",
                None,
            ],
            "Patrimoniada": [
                "POLÍCIA MILITAR",
                "Não Patrimoniada",
                None,
                "REGISTRO PARTICULAR",
                "Polícia Civil",
            ],
        }
    )


OFFENCES = {
    "Entrega Voluntária De Arma De Fogo (Campanha Do Desarmamento 2011)": "surrendered",
    "Extravio De Arma De Fogo": "lost",
    "*": "seized",
}


def _check_rio_like(res) -> None:
    t = res.table.fillna({"status": "-", "x_origin": "-", "owner_type": "-"})
    assert t["country"].tolist() == ["BRA"] * 5
    assert t["country_of_manufacture"].tolist() == ["BRA", "AUT", "USA", "BRA", "BRA"]
    # an empty offence says nothing about the status
    assert t["status"].tolist() == ["seized", "surrendered", "seized", "lost", "-"]
    assert t["x_origin"].tolist() == ["domestic", "foreign", "foreign", "domestic", "-"]
    # the offence is kept as written
    assert t["x_tipo_delito"].iloc[2] == "Roubo De Veículo"
    assert t["owner_type"].tolist() == ["police", "none", "-", "private", "police"]


def test_constants_and_value_lists_in_a_python_dict():
    res = read_items(
        _rio_like(),
        mapping={
            "columns": {
                "País": "country_of_manufacture",
                "origem": "x_origin",
                "Tipo Delito": "status",
                "Patrimoniada": "registered_owner",
            },
            "constants": {"country": "BRA"},
            "values": {
                "origem": {1: "foreign", 2: "domestic", 88: None},
                "Tipo Delito": OFFENCES,
            },
        },
        source="rio",
    )
    _check_rio_like(res)


def test_constants_in_a_flat_python_dict():
    res = read_items(
        _rio_like()[["Marca", "País"]],
        mapping={
            "País": "country_of_manufacture",
            "country": "=BRA",
            "status": "=seized",
        },
    )
    assert res.table["country"].tolist() == ["BRA"] * 5
    assert res.table["status"].tolist() == ["seized"] * 5


def test_constants_and_value_lists_in_toml(tmp_path):
    path = tmp_path / "rio.toml"
    lines = [
        "[columns]",
        '"País" = "country_of_manufacture"',
        '"origem" = "x_origin"',
        '"Tipo Delito" = "status"',
        '"Patrimoniada" = "registered_owner"',
        "[constants]",
        'country = "BRA"',
        '[values."origem"]',
        '"1" = "foreign"',
        '"2" = "domestic"',
        '"88" = ""',
        '[values."Tipo Delito"]',
        *(f'"{k}" = "{v}"' for k, v in OFFENCES.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _check_rio_like(read_items(_rio_like(), mapping=path))


def test_constants_and_value_lists_as_command_line_items():
    from iti_analytics.mapping import read_mapping_items

    items = [
        "País=country_of_manufacture",
        "origem=x_origin",
        "Tipo Delito=status",
        "Patrimoniada=registered_owner",
        "country:=BRA",
        "origem:1=foreign",
        "origem:2=domestic",
        "origem:88=",
        *(f"Tipo Delito:{k}={v}" for k, v in OFFENCES.items()),
    ]
    _check_rio_like(read_items(_rio_like(), mapping=read_mapping_items(items)))


def test_a_constant_for_an_unknown_field_says_the_fix():
    with pytest.raises(MappingError, match="Did you mean 'country'"):
        read_items(_rio_like(), mapping={"constants": {"countri": "BRA"}})


def test_a_country_column_that_varies_like_manufacture_warns_with_the_fix():
    from iti_analytics.mapping import MappingWarning

    with pytest.warns(MappingWarning, match="country_of_manufacture"):
        res = read_items(_rio_like()[["Marca", "País"]])
    assert any("country of manufacture" in n for n in res.report.notes)


def test_explicit_source_wins_over_a_source_column():
    frame = pd.DataFrame({"Marca": ["FN", "Glock"], "source": ["file-a", "file-b"]})
    res = read_items(frame, source="police")
    assert res.table["source"].tolist() == ["police", "police"]
    assert res.table["x_source"].tolist() == ["file-a", "file-b"]
    # without source= the file's own column is used
    assert read_items(frame).table["source"].tolist() == ["file-a", "file-b"]
