"""Tests for iti_analytics.normalize: countries, places, dates, values, tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.normalize import (
    infer_dayfirst,
    normalize_boolean,
    normalize_coordinate,
    normalize_country,
    normalize_country_list,
    normalize_date,
    normalize_place,
    normalize_quantity,
    normalize_table,
    normalize_text,
    normalize_vocabulary,
    normalize_year,
    null_unknowns,
)
from iti_analytics.schema import TABLES, VOCABULARIES, empty_table


def one(func, value, *args, **kwargs):
    """Normalise a single cell; return (value, problem)."""
    values, problems = func(pd.Series([value], dtype=object), *args, **kwargs)
    return values.iloc[0], problems.iloc[0]


# ----------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("raw", "iso3"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Cote d Ivoire", "CIV"),
        ("COTE D'IVOIRE", "CIV"),
        ("Tchad", "TCD"),
        ("RCA", "CAF"),
        ("République centrafricaine", "CAF"),
        ("REP. CENTRO AFRICANA", "CAF"),
        ("RDC", "COD"),
        ("Soudan du Sud", "SSD"),
        ("EUA", "USA"),
        ("Estados Unidos", "USA"),
        ("Alemanha", "DEU"),
        ("Brasil", "BRA"),
        ("BRASIL", "BRA"),
        ("Turquia", "TUR"),
        ("Áustria", "AUT"),
        ("Bélgica", "BEL"),
        ("República Checa", "CZE"),
        ("Rep. Tcheca", "CZE"),
        ("Rússia", "RUS"),
        ("Coréia do Sul", "KOR"),
        ("Inglaterra", "GBR"),
        ("Korea, Republic of", "KOR"),
        ("la République du Congo", "COG"),
        ("URSS", "SUN"),
        ("USSR", "SUN"),
        ("Soviet Union", "SUN"),
        ("Union soviétique", "SUN"),
        ("Yougoslavie", "YUG"),
        ("Yugoslavia", "YUG"),
        ("Iugoslávia", "YUG"),
        ("Tchécoslovaquie", "CSK"),
        ("Czechoslovakia", "CSK"),
        ("Tchecoslováquia", "CSK"),
        ("RDA", "DDR"),
        ("GDR", "DDR"),
        ("East Germany", "DDR"),
        ("FR", "FRA"),
        ("fra", "FRA"),
        ("NGA", "NGA"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) > 3 else None,
)
def test_country_names_codes_and_historic_states(raw, iso3):
    value, problem = one(normalize_country, raw)
    assert value == iso3
    assert pd.isna(problem)


@pytest.mark.parametrize(
    "raw",
    ["IGNORADO", "inconnu", "N/A", "Sem país", "OUTROS", "autres", "-", "?", "", "nan"],
)
def test_country_explicit_unknowns_are_null_without_problem(raw):
    value, problem = one(normalize_country, raw)
    assert pd.isna(value)
    assert pd.isna(problem)


def test_unknown_country_is_null_with_a_problem_naming_it():
    value, problem = one(normalize_country, "Atlantis")
    assert pd.isna(value)
    assert problem == "unknown country 'Atlantis'"


def test_misspelt_country_is_read_and_the_reading_reported():
    value, problem = one(normalize_country, "Mautitânia")
    assert value == "MRT"
    assert "read as MRT" in problem


def test_country_keeps_index_and_order():
    values = pd.Series(["Tchad", None, "Niger", "Tchad"], index=[40, 10, 30, 20])
    iso3, problems = normalize_country(values)
    assert iso3.index.tolist() == [40, 10, 30, 20]
    assert iso3.tolist() == ["TCD", pd.NA, "NER", "TCD"]
    assert str(iso3.dtype) == "string"
    assert problems.isna().all()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Niger; Tchad", "NER;TCD"),
        ("Burkina Faso / Mali - Niger", "BFA;MLI;NER"),
        ("Libye, Tchad, Soudan", "LBY;TCD;SDN"),
        ("Niger et Tchad", "NER;TCD"),
        ("Korea, Republic of", "KOR"),
        ("NER;TCD;NER", "NER;TCD"),
        ("Bosnie-Herzégovine; Trinité-et-Tobago", "BIH;TTO"),
    ],
    ids=[
        "semicolon",
        "slash-and-dash",
        "comma",
        "et",
        "comma-in-name",
        "repeat",
        "hyph",
    ],
)
def test_country_lists_become_semicolon_iso3(raw, expected):
    value, problem = one(normalize_country_list, raw)
    assert value == expected
    assert pd.isna(problem)


def test_country_list_drops_and_reports_unknown_parts():
    value, problem = one(normalize_country_list, "Soudan, Atlantis")
    assert value == "SDN"
    assert problem == "unknown country 'Atlantis'"


# -------------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("Virginia", None, "US-VA"),
        ("US-VA", None, "US-VA"),
        ("VA", "USA", "US-VA"),
        ("Rio de Janeiro", "BRA", "BR-RJ"),
        ("RJ", "Brasil", "BR-RJ"),
        ("Rio de Janeiro (Brasil)", None, "BR-RJ"),
        ("Richmond, Virginia", None, "US-VA"),
        ("North Kivu", None, "CD-NK"),
        ("Nord-Kivu", "COD", "CD-NK"),
        ("Niger", "NGA", "NG-NI"),
        ("Niger", None, "NER"),
        ("Brasil", None, "BRA"),
    ],
    ids=lambda v: str(v),
)
def test_places_become_subdivision_or_country_codes(raw, country, expected):
    values = pd.Series([raw])
    countries = None if country is None else pd.Series([country])
    codes, problems = normalize_place(values, country=countries)
    assert codes.iloc[0] == expected
    assert pd.isna(problems.iloc[0])


def test_unknown_place_is_reported():
    codes, problems = normalize_place(pd.Series(["Atlantis", "RJ"]))
    assert codes.isna().all()
    assert problems.tolist() == ["unknown place 'Atlantis'", "unknown place 'RJ'"]


# --------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-03-15", "2020-03-15"),
        ("2020/03/15", "2020-03-15"),
        ("2019-03-04 13:45:00", "2019-03-04"),
        ("2019-03-04T23:59:59+02:00", "2019-03-04"),
        ("15 mars 2020", "2020-03-15"),
        ("1er janvier 2020", "2020-01-01"),
        ("5 févr. 2020", "2020-02-05"),
        ("3 de março de 2019", "2019-03-03"),
        ("15 de enero de 2021", "2021-01-15"),
        ("12 set. 2019", "2019-09-12"),
        ("March 5, 2020", "2020-03-05"),
        ("Monday, March 16, 2020", "2020-03-16"),
        ("15-Mar-20", "2020-03-15"),
        ("20200315", "2020-03-15"),
        (43831, "2020-01-01"),
        ("43831", "2020-01-01"),
        (43831.75, "2020-01-01"),
        (1583020800, "2020-03-01"),
        ("1583020800000", "2020-03-01"),
        (dt.date(2021, 5, 6), "2021-05-06"),
        (dt.datetime(2021, 5, 6, 22, 30), "2021-05-06"),
        (pd.Timestamp("2021-05-06 23:00", tz="Africa/Lagos"), "2021-05-06"),
    ],
    ids=lambda v: str(v),
)
def test_dates_in_every_common_form(raw, expected):
    value, problem = one(normalize_date, raw, dayfirst=True)
    assert value == pd.Timestamp(expected)
    assert pd.isna(problem)


def test_dates_are_day_precision_seconds_dtype():
    dates, _ = normalize_date(pd.Series(["2019-03-04 13:45:00", None]))
    assert dates.dtype == np.dtype("datetime64[s]")
    assert dates.iloc[0] == pd.Timestamp("2019-03-04")
    assert pd.isna(dates.iloc[1])


@pytest.mark.parametrize(
    ("values", "dayfirst", "expected"),
    [
        (["01/02/2020", "15/03/2020"], None, "2020-02-01"),
        (["01/02/2020", "03/15/2020"], None, "2020-01-02"),
        (["01/02/2020"], None, "2020-01-02"),
        (["01/02/2020"], True, "2020-02-01"),
        (["01.02.2020", "15.03.2020"], None, "2020-02-01"),
        (["01/02/20", "31/12/19"], None, "2020-02-01"),
    ],
    ids=[
        "proved-dayfirst",
        "proved-monthfirst",
        "ambiguous-monthfirst",
        "caller-says-dayfirst",
        "dotted",
        "two-digit-years",
    ],
)
def test_day_first_is_decided_by_the_caller_or_the_column(values, dayfirst, expected):
    dates, problems = normalize_date(pd.Series(values), dayfirst=dayfirst)
    assert dates.iloc[0] == pd.Timestamp(expected)
    assert problems.isna().all()


def test_infer_dayfirst():
    assert infer_dayfirst(pd.Series(["01/02/2020", "25/12/2020"])) is True
    assert infer_dayfirst(pd.Series(["12/25/2020"])) is False
    assert infer_dayfirst(pd.Series(["01/02/2020", "2020-12-25"])) is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("31/02/2020", "impossible date 31/02/2020"),
        ("2021-02-29", "impossible date 2021-02-29"),
        ("1850-06-01", "implausible date 1850-06-01 (before 1900)"),
        ("01/01/2099", "implausible date 01/01/2099 (more than a year from today)"),
        ("hier soir", "unparseable date 'hier soir'"),
        ("2020", "unparseable date '2020'"),
    ],
    ids=["31-feb", "29-feb-2021", "1850", "2099", "words", "year-only"],
)
def test_impossible_and_implausible_dates_are_null_with_a_problem(raw, problem):
    value, got = one(normalize_date, raw, dayfirst=True)
    assert pd.isna(value)
    assert got == problem


def test_month_first_reading_is_named_when_it_explains_the_problem():
    dates, problems = normalize_date(pd.Series(["13/01/2020", "01/13/2020"]), True)
    assert dates.iloc[0] == pd.Timestamp("2020-01-13")
    assert problems.iloc[1] == "impossible date 01/13/2020 (read day-first)"


def test_datetime_column_is_floored_and_range_checked():
    values = pd.Series(pd.to_datetime(["2020-01-01 13:00", "1890-01-01 00:00"]))
    dates, problems = normalize_date(values)
    assert dates.tolist()[0] == pd.Timestamp("2020-01-01")
    assert pd.isna(dates.iloc[1])
    assert problems.iloc[1] == "implausible date 1890-01-01 (before 1900)"


@pytest.mark.parametrize("raw", ["inconnu", "N/A", "-", "", None])
def test_date_unknowns_are_null_without_problem(raw):
    value, problem = one(normalize_date, raw)
    assert pd.isna(value)
    assert pd.isna(problem)


# -------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("oui", True),
        ("Non", False),
        ("sí", True),
        ("si", True),
        ("no", False),
        ("sim", True),
        ("não", False),
        ("NAO", False),
        ("yes", True),
        ("x", True),
        ("1", True),
        ("0", False),
        (1, True),
        (0.0, False),
        (True, True),
        ("vrai", True),
        ("faux", False),
        ("TRUE", True),
        ("false", False),
    ],
    ids=lambda v: repr(v),
)
def test_booleans_in_four_languages(raw, expected):
    value, problem = one(normalize_boolean, raw)
    assert value is expected or value == expected
    assert pd.isna(problem)


def test_boolean_problem_and_unknown():
    flags, problems = normalize_boolean(pd.Series(["peut-être", "N/A", None]))
    assert flags.isna().all()
    assert problems.tolist() == ["not a yes/no value 'peut-être'", pd.NA, pd.NA]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", 3),
        ("3 pcs", 3),
        ("3 unités", 3),
        ("12 cartouches", 12),
        ("1.000", 1000),
        ("1,000", 1000),
        ("1 000", 1000),
        ("12.0", 12),
        (250, 250),
        (3.0, 3),
        ("x 4", 4),
        ("env. 30", 30),
    ],
    ids=lambda v: repr(v),
)
def test_quantities(raw, expected):
    value, problem = one(normalize_quantity, raw)
    assert value == expected
    assert pd.isna(problem)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("-1", "impossible quantity -1"),
        ("0", "impossible quantity 0"),
        (-3, "impossible quantity -3"),
        ("2,5", "not a whole number 2.5"),
        ("beaucoup", "unparseable quantity 'beaucoup'"),
        ("3 à 5", "unparseable quantity '3 à 5'"),
    ],
    ids=lambda v: repr(v),
)
def test_impossible_quantities(raw, problem):
    value, got = one(normalize_quantity, raw)
    assert pd.isna(value)
    assert got == problem


def test_quantity_numeric_column_is_int64():
    qty, problems = normalize_quantity(pd.Series([1, 2, -1, None]))
    assert str(qty.dtype) == "Int64"
    assert qty.tolist() == [1, 2, pd.NA, pd.NA]
    assert problems.tolist() == [pd.NA, pd.NA, "impossible quantity -1", pd.NA]


@pytest.mark.parametrize(
    ("raw", "axis", "expected"),
    [
        ("12.65", "lat", 12.65),
        ("12,65", "lat", 12.65),
        ("-4,3", "lon", -4.3),
        ("12°30'S", "lat", -12.5),
        ("12° 30' 36\" N", "lat", 12.51),
        ("4.5 W", "lon", -4.5),
        ("4.5 O", "lon", -4.5),
        (15.2, "lon", 15.2),
    ],
    ids=lambda v: repr(v),
)
def test_coordinates(raw, axis, expected):
    value, problem = one(normalize_coordinate, raw, axis)
    assert value == pytest.approx(expected)
    assert pd.isna(problem)


def test_coordinates_out_of_range():
    lat, problems = normalize_coordinate(pd.Series(["123.5", "45", "nord"]), "lat")
    assert lat.isna().tolist() == [True, False, True]
    assert problems.tolist() == [
        "latitude out of range 123.5",
        pd.NA,
        "unparseable latitude 'nord'",
    ]
    lon, problems = normalize_coordinate(pd.Series([190.0, -179.0]), "lon")
    assert lon.tolist() == [pd.NA, -179.0]
    assert problems.iloc[0] == "longitude out of range 190"


def test_coordinate_axis_is_checked():
    with pytest.raises(InvalidParameterError, match="`axis`"):
        normalize_coordinate(pd.Series([1.0]), "latitude")


def test_years():
    years, problems = normalize_year(
        pd.Series(["1985", 1990.0, "2099", "1750", "15/03/2011", "inconnue", "vieux"]),
        label="year of manufacture",
    )
    assert years.tolist() == [1985, 1990, pd.NA, pd.NA, 2011, pd.NA, pd.NA]
    assert problems.tolist() == [
        pd.NA,
        pd.NA,
        "implausible year of manufacture 2099 (in the future)",
        "implausible year of manufacture 1750 (before 1800)",
        pd.NA,
        pd.NA,
        "unparseable year of manufacture 'vieux'",
    ]


def test_numeric_years_in_the_future():
    years, problems = normalize_year(pd.Series([2001, 2999]), label="import year")
    assert years.tolist() == [2001, pd.NA]
    assert problems.iloc[1] == "implausible import year 2999 (in the future)"


# ---------------------------------------------------------------- vocabulary


@pytest.mark.parametrize(
    ("table", "column", "raw", "expected"),
    [
        ("items", "status", "saisie", "seized"),
        ("items", "status", "Saisi", "seized"),
        ("items", "status", "APREENDIDA", "seized"),
        ("items", "status", "incautado", "seized"),
        ("items", "status", "trouvée", "found"),
        ("items", "status", "remise volontaire", "surrendered"),
        ("items", "status", "entrega voluntária", "surrendered"),
        ("items", "status", "volé", "stolen"),
        ("items", "status", "roubada", "stolen"),
        ("items", "status", "furtada", "stolen"),
        ("items", "status", "perdue", "lost"),
        ("items", "status", "seized", "seized"),
        ("items", "status", "saisie lors d'un contrôle routier", "seized"),
        ("items", "setting", "conflit armé", "conflict"),
        ("items", "setting", "frontière", "border"),
        ("items", "setting", "fronteira", "border"),
        ("items", "setting", "autres", "other"),
        ("items", "actor_type", "groupe armé", "armed_group"),
        ("items", "actor_type", "gang", "criminal_group"),
        ("items", "actor_type", "facção", "criminal_group"),
        ("items", "actor_type", "particulier", "person"),
        ("items", "actor_type", "armurier", "dealer"),
        ("items", "actor_type", "dealer", "dealer"),
        ("items", "actor_type", "inconnu", "unknown"),
        ("actors", "actor_type", "Groupe armé", "armed_group"),
        ("traces", "party_type", "fabricant", "manufacturer"),
        ("traces", "channel", "INTERPOL", "interpol"),
        ("traces", "channel", "voie diplomatique", "bilateral"),
        ("traces", "status", "aucune réponse", "no_response"),
        ("traces", "status", "no response", "no_response"),
        ("traces", "status", "no_response", "no_response"),
        ("traces", "outcome", "tracé", "traced"),
        ("traces", "outcome", "rastreada", "traced"),
        ("traces", "outcome", "aucune réponse", "not_traced"),
        ("traces", "diversion_mode", "vol", "theft"),
        (
            "traces",
            "diversion_mode",
            "capture sur le champ de bataille",
            "battlefield_capture",
        ),
        ("movements", "evidence", "enquête", "investigation"),
    ],
    ids=lambda v: str(v),
)
def test_vocabulary_terms_in_four_languages(table, column, raw, expected):
    value, problem = one(normalize_vocabulary, raw, table, column)
    assert value == expected
    assert pd.isna(problem)


#: vocabulary columns this stage maps itself (weapon columns are in weapons.py)
OWN_VOCABULARIES = sorted(
    key
    for key in VOCABULARIES
    if key[1] not in ("category", "item_kind", "serial_status", "production")
)


@pytest.mark.parametrize(("table", "column"), OWN_VOCABULARIES, ids=str)
def test_canonical_vocabulary_values_pass_through(table, column):
    allowed = list(VOCABULARIES[(table, column)])
    values, problems = normalize_vocabulary(pd.Series(allowed), table, column)
    assert values.tolist() == allowed
    assert problems.isna().all()


def test_unknown_vocabulary_term_names_the_allowed_values():
    value, problem = one(normalize_vocabulary, "zorglub", "items", "status")
    assert pd.isna(value)
    assert problem == (
        "unknown status 'zorglub' (allowed: seized, found, surrendered, captured, "
        "lost, stolen)"
    )


def test_negated_phrase_is_not_guessed():
    value, problem = one(normalize_vocabulary, "non saisie", "items", "status")
    assert pd.isna(value)
    assert problem.startswith("unknown status 'non saisie'")


def test_catch_all_word_is_null_where_the_vocabulary_has_no_other():
    value, problem = one(normalize_vocabulary, "OUTROS", "items", "status")
    assert pd.isna(value)
    assert pd.isna(problem)


def test_vocabulary_column_is_checked():
    with pytest.raises(InvalidParameterError, match="must be one of"):
        normalize_vocabulary(pd.Series(["x"]), "items", "colour")


# ---------------------------------------------------------------------- text


def test_free_text_is_trimmed_single_spaced_without_controls():
    text, problems = normalize_text(
        pd.Series(["  Groupe \t X\x07 ", '=HYPERLINK("x")', "inconnu", 1234.0, None])
    )
    assert text.tolist() == ["Groupe X", '=HYPERLINK("x")', pd.NA, "1234", pd.NA]
    assert problems.isna().all()


def test_free_text_high_cardinality_path_matches_the_small_path():
    values = pd.Series([f"  PV {i} " for i in range(60_000)] + ["IGNORADO", "-"])
    text, _ = normalize_text(values)
    assert text.iloc[0] == "PV 0"
    assert text.iloc[-2:].isna().all()


@pytest.mark.parametrize(
    "raw",
    [
        "IGNORADO",
        "NÃO IDENTIFICADA",
        "NAO IDENTIFICADO",
        "INDETERMINADO",
        "inconnu",
        "inconnue",
        "N/A",
        "NA",
        "n.d.",
        "ND",
        "-",
        "?",
        "unknown",
        "desconocido",
        "sin dato",
        "sem informação",
        "OUTROS",
        "autres",
        "otros",
    ],
)
def test_null_unknowns(raw):
    assert null_unknowns(pd.Series([raw, "Taurus"])).tolist() == [pd.NA, "Taurus"]


# ------------------------------------------------------------------- tables


@pytest.fixture
def police_raw():
    """A small French police extract, as io hands it to normalize (all text)."""
    return pd.DataFrame(
        {
            "record_id": ["pv:1", "pv:2", "pv:3", "pv:4"],
            "seizure_id": [" PV-001 ", "PV-001", "PV-002", "PV-003"],
            "seized_on": ["15/03/2020", "31/02/2020", "02/01/2021", "inconnu"],
            "agency": ["Gendarmerie", "Gendarmerie", "Douanes", "N/A"],
            "country": ["Tchad", "Tchad", "RCA", "Atlantis"],
            "admin1": ["Ouaddaï", "Lac", "Bangui", None],
            "item_kind": ["arme", "arme", "munitions", "arme"],
            "category": ["fusil d'assaut", "pistolet", None, "OUTROS"],
            "make": ["Norinco", "Taurus", None, "IGNORADO"],
            "serial": ["ak-123 456", "effacé", None, "N/A"],
            "country_of_manufacture": [None, "Brésil", None, "URSS"],
            "year_of_manufacture": ["1985", "2099", None, "inconnue"],
            "import_marked": ["oui", "non", None, "peut-être"],
            "quantity": ["1", "1", "250 cartouches", "-1"],
            "status": ["saisie", "trouvée", "saisie", "remise volontaire"],
            "setting": ["conflit armé", "crime", "frontière", "autres"],
            "lat": ["13,83", "95", "4.39", None],
            "lon": ["20.83", "14.7", "18.56", None],
            "transit_countries": ["Libye; Soudan", None, "Cameroun / Tchad", None],
            "notes": ["  voir  PV ", "RAS", None, "-"],
            "Observations internes": ["a", "b", "c", "d"],
            "x_colour": ["red", "red", "blue", None],
        },
        index=pd.Index([7, 3, 9, 1], name="row"),
    )


def test_normalize_table_items_end_to_end(police_raw):
    items, issues = normalize_table(police_raw, "items", source="police")
    assert list(items.columns[: len(TABLES["items"])]) == list(TABLES["items"])
    assert items.dtypes[list(TABLES["items"])].astype(str).to_dict() == TABLES["items"]
    first = items.loc[7]
    assert first["seized_on"] == pd.Timestamp("2020-03-15")
    assert first["country"] == "TCD"
    assert first["admin1"] == "TD-OD"
    assert first["status"] == "seized"
    assert first["setting"] == "conflict"
    assert first["lat"] == pytest.approx(13.83)
    assert first["import_marked"] == True  # noqa: E712  (pandas boolean NA)
    assert first["transit_countries"] == "LBY;SDN"
    assert first["notes"] == "voir PV"
    assert first["seizure_id"] == "PV-001"
    assert first["source"] == "police"
    assert items.loc[9, "quantity"] == 250
    assert items.loc[9, "transit_countries"] == "CMR;TCD"
    assert items["setting"].tolist() == ["conflict", "crime", "border", "other"]
    assert items["x_colour"].iloc[:3].tolist() == ["red", "red", "blue"]
    assert "x_Observations internes" in items.columns


def test_weapon_columns_and_inferred_country_of_manufacture(police_raw):
    items, _ = normalize_table(police_raw, "items")
    assert items["serial_raw"].tolist()[:2] == ["ak-123 456", "effacé"]
    assert items.loc[7, "serial"] == "AK123456"
    assert items.loc[3, "serial_status"] == "obliterated"
    assert items.loc[7, "make"] == "Norinco"
    assert items.loc[7, "country_of_manufacture"] == "CHN"
    assert items.loc[7, "country_of_manufacture_inferred"] == True  # noqa: E712
    assert items.loc[3, "country_of_manufacture"] == "BRA"
    assert items.loc[3, "country_of_manufacture_inferred"] == False  # noqa: E712
    assert items.loc[1, "country_of_manufacture"] == "SUN"
    assert pd.isna(items.loc[9, "country_of_manufacture_inferred"])
    assert items.loc[9, "item_kind"] == "ammunition"
    assert items.loc[7, "category"] == "assault_rifle"


def test_items_category_uses_make_and_item_kind():
    raw = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "item_kind": ["arme", "arme", "pièce", "arme"],
            "category": [None, None, None, None],
            "make": ["Zastava", None, "Norinco", "Ratmil"],
            "model": ["M72", "M72", "Type 56", "PM md. 63"],
        }
    )
    items, issues = normalize_table(raw, "items")
    assert items["category"].tolist() == [
        "machine_gun",
        "rocket_launcher",
        pd.NA,  # a Type 56 part is not an assault rifle
        "assault_rifle",
    ]
    assert items["item_kind"].tolist() == ["weapon", "weapon", "part", "weapon"]
    assert items["make"].tolist()[-1] == "Cugir"
    assert items["country_of_manufacture"].tolist() == ["SRB", pd.NA, "CHN", "ROU"]
    assert issues.empty


def test_issue_rows_say_which_record_column_value_and_why(police_raw):
    _, issues = normalize_table(police_raw, "items")
    assert issues.columns.tolist() == ["record_id", "column", "raw_value", "problem"]
    assert (issues.dtypes.astype(str) == "string").all()
    found = set(issues.itertuples(index=False, name=None))
    assert ("pv:2", "seized_on", "31/02/2020", "impossible date 31/02/2020") in found
    assert ("pv:4", "country", "Atlantis", "unknown country 'Atlantis'") in found
    assert ("pv:2", "lat", "95", "latitude out of range 95") in found
    assert ("pv:4", "quantity", "-1", "impossible quantity -1") in found
    assert (
        "pv:2",
        "year_of_manufacture",
        "2099",
        "implausible year of manufacture 2099 (in the future)",
    ) in found
    assert (
        "pv:4",
        "import_marked",
        "peut-être",
        "not a yes/no value 'peut-être'",
    ) in found
    # in row order
    order = {"pv:1": 0, "pv:2": 1, "pv:3": 2, "pv:4": 3}
    assert issues["record_id"].map(order).is_monotonic_increasing


def test_explicit_unknowns_produce_no_issues():
    raw = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "seized_on": ["inconnu", "N/A", "-"],
            "country": ["IGNORADO", "NÃO IDENTIFICADA", "OUTROS"],
            "status": ["inconnu", "?", "ND"],
            "quantity": ["n.d.", "?", "sem informação"],
            "year_of_manufacture": ["INDETERMINADO", "desconocido", "sin dato"],
            "import_marked": ["inconnu", "NA", "-"],
            "lat": ["N/A", "?", None],
            "actor": ["inconnu", "IGNORADO", "unknown"],
            "transit_countries": ["inconnu", "-", "N/A"],
        }
    )
    items, issues = normalize_table(raw, "items")
    assert issues.empty
    for column in raw.columns.drop("record_id"):
        assert items[column].isna().all(), column


def test_row_order_and_index_are_kept_and_raw_is_not_mutated(police_raw):
    before = police_raw.copy()
    items, _ = normalize_table(police_raw, "items")
    assert items.index.equals(police_raw.index)
    assert items["record_id"].tolist() == ["pv:1", "pv:2", "pv:3", "pv:4"]
    pd.testing.assert_frame_equal(police_raw, before)


def test_normalizing_twice_changes_nothing(police_raw):
    once, _ = normalize_table(police_raw, "items", source="police")
    canonical = once[list(TABLES["items"])]
    twice, issues = normalize_table(canonical, "items")
    assert issues.empty
    pd.testing.assert_frame_equal(twice, canonical)


def test_table_wide_dayfirst_proof():
    raw = pd.DataFrame(
        {
            "record_id": ["t1", "t2"],
            "trace_id": ["t1", "t2"],
            "sent_on": ["25/01/2021", "03/02/2021"],
            "responded_on": ["01/03/2021", "04/05/2021"],
        }
    )
    traces, issues = normalize_table(raw, "traces")
    assert traces["responded_on"].tolist() == [
        pd.Timestamp("2021-03-01"),
        pd.Timestamp("2021-05-04"),
    ]
    assert issues.empty
    traces, _ = normalize_table(raw, "traces", dayfirst=False)
    assert pd.isna(traces.loc[0, "sent_on"])


def test_normalize_traces():
    raw = pd.DataFrame(
        {
            "trace_id": ["T-1", "T-2"],
            "record_id": ["pv:1", "pv:2"],
            "requesting_country": ["Tchad", "Niger"],
            "requested_party": ["Chine", "Beretta"],
            "party_type": ["état", "fabricant"],
            "channel": ["INTERPOL", "voie diplomatique"],
            "sent_on": ["2021-01-05", "2021-02-10"],
            "status": ["réponse reçue", "aucune réponse"],
            "outcome": ["tracé", "en attente"],
            "diversion_country": ["Libye", None],
            "diversion_year": ["2011", None],
            "diversion_mode": ["pillage", None],
        }
    )
    traces, issues = normalize_table(raw, "traces")
    assert issues.empty
    assert traces["requested_party"].tolist() == ["CHN", "Beretta"]
    assert traces["party_type"].tolist() == ["state", "manufacturer"]
    assert traces["channel"].tolist() == ["interpol", "bilateral"]
    assert traces["status"].tolist() == ["responded", "no_response"]
    assert traces["outcome"].tolist() == ["traced", "pending"]
    assert traces["diversion_mode"].tolist() == ["theft", pd.NA]
    assert traces["diversion_year"].tolist() == [2011, pd.NA]


def test_normalize_actors_and_movements():
    actors, issues = normalize_table(
        pd.DataFrame(
            {
                "actor_id": ["A1"],
                "name": ["  Groupe  Alpha "],
                "actor_type": ["groupe armé"],
                "country": ["Mali"],
            }
        ),
        "actors",
    )
    assert issues.empty
    assert actors.iloc[0][["name", "actor_type", "country"]].tolist() == [
        "Groupe Alpha",
        "armed_group",
        "MLI",
    ]
    movements, issues = normalize_table(
        pd.DataFrame(
            {
                "movement_id": ["M1", "M2"],
                "origin": ["Virginia", "Atlantis"],
                "destination": ["Brasil", "RJ, Brasil"],
                "moved_on": ["2019-05-01", None],
                "count": ["12", "3"],
                "evidence": ["tableau publié", "traçage"],
            }
        ),
        "movements",
    )
    assert movements["origin"].tolist() == ["US-VA", pd.NA]
    assert movements["destination"].tolist() == ["BRA", "BR-RJ"]
    assert movements["year"].tolist() == [2019, pd.NA]
    assert movements["count"].tolist() == [12, 3]
    assert movements["evidence"].tolist() == ["published_table", "trace"]
    assert issues[["record_id", "column", "problem"]].values.tolist() == [
        ["M2", "origin", "unknown place 'Atlantis'"]
    ]


def test_admin1_stays_text_when_the_column_is_not_subdivisions():
    raw = pd.DataFrame(
        {"country": ["MLI", "MLI", "MLI"], "admin1": ["quartier nord", "PK5", "Mopti"]}
    )
    items, issues = normalize_table(raw, "items")
    assert items["admin1"].tolist() == ["quartier nord", "PK5", "Mopti"]
    assert issues.empty


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("East", "BFA", "BF-08"),
        ("North", "Burkina Faso", "BF-10"),
        ("Centre-North", "BFA", "BF-05"),
        ("Centre-East", "BFA", "BF-04"),
        ("Centre-South", "BFA", "BF-07"),
        ("South-West", "BFA", "BF-13"),
        ("Sahel", "BFA", "BF-12"),
        ("Boucle du Mouhoun", "BFA", "BF-01"),
        ("Est", "BFA", "BF-08"),
        ("East", "CMR", "CM-ES"),
        ("Adamawa", "CMR", "CM-AD"),
        ("Sebha", "LBY", "LY-SB"),
        ("Mourzouk", "Libye", "LY-MQ"),
        ("Koufra", "LBY", "LY-KF"),
        ("N'Zérékoré", "GIN", "GN-N"),
        ("N Zerekore", "GIN", "GN-N"),
    ],
    ids=lambda v: str(v),
)
def test_admin1_english_and_french_names_with_their_country(raw, country, expected):
    raw_table = pd.DataFrame({"country": [country], "admin1": [raw]})
    items, issues = normalize_table(raw_table, "items")
    assert items["admin1"].tolist() == [expected]
    assert issues.empty


def test_admin1_every_area_of_the_synthetic_world():
    """Each area name the generator writes (French or English) reads back as the
    generator's ISO 3166-2 code, for the areas that have one."""
    from iti_analytics.samples._geo import geo

    areas = geo().admin1
    areas = areas[areas["code"].notna()]
    raw = pd.DataFrame(
        {
            "country": pd.concat([areas["iso3"], areas["iso3"]], ignore_index=True),
            "admin1": pd.concat(
                [areas["admin1_fr"], areas["admin1_en"]], ignore_index=True
            ),
        }
    )
    items, _ = normalize_table(raw, "items")
    expected = pd.concat([areas["code"], areas["code"]], ignore_index=True)
    wrong = raw.assign(got=items["admin1"])[items["admin1"].to_numpy() != expected]
    assert wrong.empty, wrong


def test_numbers_and_datetimes_from_excel_or_json():
    raw = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "seized_on": pd.to_datetime(["2020-01-05 10:00", "2021-07-01 00:00"]),
            "quantity": [3, 0],
            "lat": [12.5, 95.0],
            "year_of_manufacture": [1985.0, np.nan],
            "import_marked": [True, False],
            "seizure_id": [101.0, 102.0],
        }
    )
    items, issues = normalize_table(raw, "items")
    assert items["seized_on"].tolist() == [
        pd.Timestamp("2020-01-05"),
        pd.Timestamp("2021-07-01"),
    ]
    assert items["quantity"].tolist() == [3, pd.NA]
    assert items["seizure_id"].tolist() == ["101", "102"]
    assert items["import_marked"].tolist() == [True, False]
    assert issues["problem"].tolist() == [
        "latitude out of range 95",
        "impossible quantity 0",
    ]


def test_null_island_is_dropped_with_an_issue():
    raw = pd.DataFrame({"record_id": ["a"], "lat": ["0"], "lon": ["0.0"]})
    items, issues = normalize_table(raw, "items")
    assert items[["lat", "lon"]].isna().all().all()
    assert issues["problem"].tolist() == [
        "coordinates 0, 0 (a placeholder, not a place)"
    ]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_empty_and_id_only_tables(table):
    out, issues = normalize_table(
        pd.DataFrame({"record_id": pd.Series([], dtype=str)}), table
    )
    assert len(out) == 0 and issues.empty
    expected = empty_table(table)
    assert list(out.columns[: len(expected.columns)]) == list(expected.columns)


def test_bad_arguments_raise_helpful_errors():
    with pytest.raises(InvalidParameterError, match="`table` must be one of"):
        normalize_table(pd.DataFrame(), "weapons")
    with pytest.raises(InvalidParameterError, match="must be a pandas DataFrame"):
        normalize_table([{"country": "Mali"}], "items")
    dupes = pd.DataFrame([["Mali", "Niger"]], columns=["country", "country"])
    with pytest.raises(InvalidParameterError, match="duplicate columns"):
        normalize_table(dupes, "items")


# ----------------------------------------------------------------- real data


def test_rio_police_countries_all_read(real_data):
    path = (
        real_data
        / "rj_seized_firearms_isdp"
        / "24648_APREENS_ARMA_FOGO_2022_02_BASE_APREENSAO.xlsx"
    )
    raw = pd.read_excel(
        path, header=2, usecols=["País", "Data Registro", "Laudo"], engine="openpyxl"
    )
    countries, problems = normalize_country(raw["País"])
    assert problems.dropna().str.startswith("unknown").sum() == 0
    assert countries.value_counts().index[0] == "BRA"
    assert {"USA", "AUT", "TUR", "BEL"} <= set(countries.dropna())
    dates, problems = normalize_date(raw["Data Registro"])
    assert dates.notna().sum() == raw["Data Registro"].notna().sum()
    assert problems.isna().all()
    flags, problems = normalize_boolean(raw["Laudo"])
    assert flags.notna().all() and problems.isna().all()
