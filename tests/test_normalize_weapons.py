"""Weapon fields: category, item kind, make, model, calibre, serial, production."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.normalize.weapons import (
    infer_item_kind,
    make_country,
    normalize_calibre,
    normalize_category,
    normalize_make,
    normalize_model,
    normalize_production,
    normalize_serial,
    read_make,
)
from iti_analytics.reference import load_reference
from iti_analytics.schema import VOCABULARIES


def one(func, value, **kwargs):
    """(value, problem) of a normaliser applied to a single cell; None for null."""
    out, problems = func(pd.Series([value]), **kwargs)
    return tuple(None if pd.isna(v) else v for v in (out.iloc[0], problems.iloc[0]))


# --------------------------------------------------------------------------- category

CATEGORY_CASES = {
    # type words, four languages
    "fusil d'assaut": "assault_rifle",
    "fusils d'assaut": "assault_rifle",
    "pistolet-mitrailleur": "submachine_gun",
    "mitrailleuse lourde": "heavy_machine_gun",
    "lance-roquettes": "rocket_launcher",
    "lance-grenades": "grenade_launcher",
    "mortier": "mortar",
    "FUZIL": "rifle",
    "fuzil de assalto": "assault_rifle",
    "ESPINGARDA": "shotgun",
    "REVÓLVER": "revolver",
    "revólver": "revolver",
    "escopeta": "shotgun",
    "carabina": "rifle",
    "garrucha": "pistol",
    "GARRUCHÃO": "shotgun",
    "submetralhadora": "submachine_gun",
    "pistola": "pistol",
    "metralhadora": "machine_gun",
    "fusil de asalto": "assault_rifle",
    "ametralladora pesada": "heavy_machine_gun",
    "assault rifle": "assault_rifle",
    "sawn-off shotgun": "shotgun",
    "AK": "assault_rifle",
    "Kalachnikov": "assault_rifle",
    "OUTROS": "other",
    "ARMA DE FABRICAÇÃO CASEIRA": "other",
    "arme artisanale": "other",
    # model names
    "AK-47": "assault_rifle",
    "AKM": "assault_rifle",
    "AKMS": "assault_rifle",
    "Type 56": "assault_rifle",
    "Type 56-1": "assault_rifle",
    "Type 81": "assault_rifle",
    "M16": "assault_rifle",
    "M16A2": "assault_rifle",
    "AR-15": "assault_rifle",
    "FAL": "assault_rifle",
    "G3": "assault_rifle",
    "HK33": "assault_rifle",
    "SKS": "rifle",
    "RPG-7": "rocket_launcher",
    "RPG-7V": "rocket_launcher",
    "PKM": "machine_gun",
    "PK": "machine_gun",
    "RPK": "machine_gun",
    "MAG": "machine_gun",
    "DShK": "heavy_machine_gun",
    "NSV": "heavy_machine_gun",
    "Glock 17": "pistol",
    "Makarov": "pistol",
    "TT-33": "pistol",
    "Uzi": "submachine_gun",
    "MP5": "submachine_gun",
    "M79": "grenade_launcher",
    "SPG-9": "recoilless_rifle",
    "60mm mortar": "mortar",
    "82mm mortar": "mortar",
    "Strela": "manpads",
    "SA-7": "manpads",
    "9M14 Malyutka": "atgm",
    # a type word with a model: the longer, more specific phrase wins
    "fusil AK-47": "assault_rifle",
    "pistola Glock 19": "pistol",
}


@pytest.mark.parametrize(
    "raw, expected", CATEGORY_CASES.items(), ids=list(CATEGORY_CASES)
)
def test_category_terms_and_models(raw, expected):
    assert one(normalize_category, raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "CARTUCHO (INTACTO)",
        "munitions",
        "MUNIÇÃO",
        "cartouches",
        "rounds",
        "chargeur",
        "détonateur",
        "INDETERMINADO",
        "inconnu",
        "arma de fogo",
    ],
)
def test_category_null_without_problem_for_non_weapons_and_unknowns(raw):
    assert one(normalize_category, raw) == (None, None)


def test_category_unknown_text_is_null_with_problem():
    assert one(normalize_category, "zorglub") == (
        None,
        "unknown weapon category 'zorglub'",
    )


def test_category_refined_by_model():
    category, problems = normalize_category(
        ["FUZIL", "FUZIL", "METRALHADORA", None, "CARTUCHO", "PISTOLA", "zorglub"],
        model=["M 964 FAL", "Mosin-Nagant", "DShK", "AK-47", "AK-47", "G3", "RPG-7"],
    )
    assert category.tolist() == [
        "assault_rifle",  # rifle sharpened by the model
        "rifle",
        "heavy_machine_gun",
        "assault_rifle",  # filled from the model
        pd.NA,  # ammunition stays without category
        "pistol",  # a pistol is never turned into a rifle (Taurus G3 pistol)
        "rocket_launcher",  # filled: the problem goes away
    ]
    assert problems.isna().all()


def test_category_keeps_index_and_does_not_mutate():
    raw = pd.Series(["pistola", "FUZIL", None], index=[10, 20, 30], name="tipo")
    before = raw.copy()
    category, problems = normalize_category(raw)
    assert category.index.tolist() == [10, 20, 30]
    assert problems.index.tolist() == [10, 20, 30]
    assert category.name == "tipo"
    assert str(category.dtype) == "string"
    pd.testing.assert_series_equal(raw, before)


def test_category_reads_distinct_values_once_at_scale():
    raw = pd.Series(["FUZIL", "pistola", "AK-47", None] * 25_000)
    category, _ = normalize_category(raw)
    assert category.value_counts().to_dict() == {
        "rifle": 25_000,
        "pistol": 25_000,
        "assault_rifle": 25_000,
    }


@pytest.mark.parametrize(
    ("model", "make", "expected"),
    [
        ("M72", None, "rocket_launcher"),  # the M72 LAW
        ("M72A2", None, "rocket_launcher"),
        ("M72", "Zastava", "machine_gun"),  # Zastava's RPK-pattern M72
        ("M72", "ZASTAVA ARMS", "machine_gun"),
        ("M72", "Crvena Zastava", "machine_gun"),
        ("M72B1", None, "machine_gun"),
        ("M72AB1", "Zastava Arms", "machine_gun"),
        ("M72", "Norinco", "rocket_launcher"),  # another make: the bare model
        ("M84", "Zastava", "machine_gun"),
        ("PKM", "Kalashnikov", "machine_gun"),  # a make that is a type word
        ("Model 10", "Smith & Wesson", "revolver"),
        ("500", "Mossberg", "shotgun"),
        ("Escort", "Hatsan", "shotgun"),
    ],
    ids=lambda v: str(v),
)
def test_category_from_make_and_model(model, make, expected):
    category, problems = normalize_category([None], model=[model], make=[make])
    assert category.tolist() == [expected]
    assert problems.isna().all()


def test_category_zastava_m72_in_the_type_text():
    assert one(normalize_category, "Zastava M72") == ("machine_gun", None)
    assert one(normalize_category, "M72 LAW") == ("rocket_launcher", None)


def test_category_not_filled_from_the_model_of_ammunition_or_parts():
    category, _ = normalize_category(
        [None, None, None, None, "fusil d'assaut"],
        model=["Type 56", "Type 56", "Glock 17", "Type 56", "AKM"],
        kind=["chargeur", "pièce", "munitions", "arme", "arme"],
    )
    assert category.tolist() == [pd.NA, pd.NA, pd.NA, "assault_rifle", "assault_rifle"]


def test_category_of_every_model_of_the_synthetic_world():
    """The generator's product lines read back as their category (make given)."""
    from iti_analytics.samples import _catalog as cat

    lines = cat.lines()
    models = list(lines["model"]) + [c[3] for c in cat.CONVERTED]
    makes = list(lines["make"]) + [c[1] for c in cat.CONVERTED]
    expected = list(lines["category"]) + ["pistol"] * len(cat.CONVERTED)
    category, _ = normalize_category([None] * len(models), model=models, make=makes)
    got = category.fillna("-").tolist()
    wrong = {m: g for m, e, g in zip(models, expected, got, strict=True) if g != e}
    # Norinco's "Type 87" is a mortar or a grenade launcher: left unread
    assert wrong == {"Type 87": "-"}


# --------------------------------------------------------------------------- item kind

KIND_CASES = {
    "ARMA DE FOGO": "weapon",
    "arme": "weapon",
    "Firearm": "weapon",
    "MUNIÇÃO": "ammunition",
    "munitions": "ammunition",
    "Ammunition": "ammunition",
    "pièce": "part",
    "peça": "part",
    "part": "part",
    "chargeur": "part",
    "magazine": "part",
    "détonateur": "explosive_component",
    "IED component": "explosive_component",
    "explosivo": "explosive_component",
}


@pytest.mark.parametrize("raw, expected", KIND_CASES.items(), ids=list(KIND_CASES))
def test_item_kind_from_kind_column(raw, expected):
    kind, problems = infer_item_kind(pd.Series([raw]))
    assert kind.iloc[0] == expected
    assert problems.isna().all()


def test_item_kind_falls_back_on_type_text_then_category():
    kind, problems = infer_item_kind(
        kind_values=[None, None, None, "zzz", "ARMA DE FOGO"],
        category_values=[None, "rifle", None, None, None],
        category_raw=["CARTUCHO (INTACTO)", "FUZIL", None, "pistola", "CARTUCHO"],
    )
    # the explicit kind column wins over the type text
    assert kind.tolist() == ["ammunition", "weapon", pd.NA, "weapon", "weapon"]
    assert problems.tolist() == [pd.NA, pd.NA, pd.NA, "unknown item kind 'zzz'", pd.NA]


def test_item_kind_needs_a_column():
    with pytest.raises(InvalidParameterError, match="at least one"):
        infer_item_kind()


def test_item_kind_rejects_misaligned_columns():
    with pytest.raises(InvalidParameterError, match="same table"):
        infer_item_kind(["arme"], ["pistol", "rifle"])


# --------------------------------------------------------------------------- make

MAKE_CASES = {
    "Norinco": "Norinco",
    "China North Industries Corp": "Norinco",
    "Factory 66": "Norinco",
    "Izhmash": "Kalashnikov Concern",
    "Izhevsk Mechanical Plant": "Kalashnikov Concern",
    "Kalashnikov Concern": "Kalashnikov Concern",
    "FN": "FN Herstal",
    "FN Herstal": "FN Herstal",
    "Fabrique Nationale": "FN Herstal",
    "TAURUS": "Taurus",
    "Forjas Taurus": "Taurus",
    "imbel": "IMBEL",
    "Amadeo Rossi": "Rossi",
    "Companhia Brasileira de Cartuchos": "CBC",
    "cbc": "CBC",
    "Crvena Zastava": "Zastava Arms",
    "Arsenal": "Arsenal",
    "Cugir": "Cugir",
    "Tula": "Tula Arms Plant",
    "GLOCK": "Glock",
    "Steyr": "Steyr",
    "Beretta": "Beretta",
    "Heckler & Koch": "Heckler & Koch",
    "H&K": "Heckler & Koch",
    "HK": "Heckler & Koch",
    "Sig-Sauer": "SIG Sauer",
    "SIG SAUER": "SIG Sauer",
    "Colt": "Colt",
    "S&W": "Smith & Wesson",
    "s&amp;w": "Smith & Wesson",
    "smith and wesson": "Smith & Wesson",
    "Sturm Ruger": "Sturm Ruger",
    "RUGER": "Sturm Ruger",
    "Remington": "Remington",
    "Mossberg": "Mossberg",
    "Winchester": "Winchester",
    "Sarsılmaz": "Sarsilmaz",
    "Canik": "Canik",
    "Bersa": "Bersa",
    "Česká zbrojovka": "Česká zbrojovka",
    "CZ": "Česká zbrojovka",
    "Hi-Point": "Hi-Point",
    "HIPOINT": "Hi-Point",
    "Caramuru": "Caramuru",
    "FAMAE": "FAMAE",
    "Diemaco": "Colt Canada",
    "d.p.m.s.": "DPMS",
    "H.&.R.": "Harrington & Richardson",
    # make followed by a model, truncated names
    "GLOCK 19": "Glock",
    "WALTHER PPKS": "Walther",
    "HARRINGTON & RI": "Harrington & Richardson",
    # typos within one edit (two for long names), same first letter
    "TAURAS": "Taurus",
    "NORNICO": "Norinco",
    "BARETTA": "Beretta",
    "MOSSBURG": "Mossberg",
    "SARASILMAZ": "Sarsilmaz",
    "REMINGJTON": "Remington",
    "rugger": "Sturm Ruger",
}


@pytest.mark.parametrize("raw, expected", MAKE_CASES.items(), ids=list(MAKE_CASES))
def test_make_aliases(raw, expected):
    assert one(normalize_make, raw) == (expected, None)


@pytest.mark.parametrize(
    "raw", ["INDETERMINADO", "não identificada", "inconnue", "S/MARCA", "fab. caseira"]
)
def test_make_explicit_unknowns_are_null_without_problem(raw):
    assert one(normalize_make, raw) == (None, None)


def test_make_not_in_table_keeps_its_text():
    assert one(normalize_make, "  zorro   ARMS ") == ("Zorro Arms", None)
    # a different first letter is a different firm, not a typo
    assert one(normalize_make, "AMERICAN ARMS") == ("American Arms", None)


def test_make_without_letters_is_a_problem():
    assert one(normalize_make, "1234") == (None, "make '1234' has no letters")


COUNTRY_CASES = {
    "Taurus": "BRA",
    "Glock": "AUT",
    "FN Herstal": "BEL",
    "Norinco": "CHN",
    "Kalashnikov Concern": "RUS",
    "Zastava Arms": "SRB",
    "Arsenal": "BGR",
    "Cugir": "ROU",
    "Bersa": "ARG",
    "Česká zbrojovka": "CZE",
    "FAMAE": "CHL",
    "Wiesa": "DDR",
}


@pytest.mark.parametrize("make, iso3", COUNTRY_CASES.items(), ids=list(COUNTRY_CASES))
def test_make_country(make, iso3):
    assert make_country(pd.Series([make])).iloc[0] == iso3


def test_make_country_uses_historic_states_before_they_ended():
    makes = [
        "Zastava Arms",
        "Zastava Arms",
        "Kalashnikov Concern",
        "Česká zbrojovka",
        "Glock",
        "Zorro Arms",
    ]
    years = [1985, 2005, 1975, 1990, 1990, 1990]
    assert make_country(makes, year=years).tolist() == [
        "YUG",
        "SRB",
        "SUN",
        "CSK",
        "AUT",
        pd.NA,
    ]


@pytest.mark.parametrize(
    ("raw", "make", "iso3"),
    [
        ("RATMIL", "Cugir", "ROU"),
        ("Ratmil", "Cugir", "ROU"),
        ("Ekol Voltran", "Ekol", "TUR"),
        ("EKOL", "Ekol", "TUR"),
        ("Zoraki", "Atak Arms", "TUR"),
        ("ATAK", "Atak Arms", "TUR"),
        ("Retay", "Retay", "TUR"),
        ("Heckler und Koch", "Heckler & Koch", "DEU"),
        ("HECKLER UND KOCH", "Heckler & Koch", "DEU"),
        ("MIC", "Military Industry Corporation", "SDN"),
        ("Kanik", "Canik", "TUR"),
    ],
    ids=lambda v: str(v),
)
def test_make_aliases_of_blank_firing_and_regional_makers(raw, make, iso3):
    got, problems = normalize_make([raw])
    assert got.tolist() == [make]
    assert problems.isna().all()
    assert make_country(got).tolist() == [iso3]


def test_make_not_in_table_keeps_joining_words_lower_case():
    assert normalize_make(["ZORRO UND SOHN", "Et Arms"])[0].tolist() == [
        "Zorro und Sohn",
        "ET Arms",
    ]


def test_make_every_spelling_of_the_synthetic_world():
    """Each spelling the generator writes reads back as its canonical make."""
    from iti_analytics.samples import _catalog as cat

    spellings, makes, countries = [], [], []
    for make, country, written in cat.MAKES:
        for text in written.split("|"):
            spellings.append(text.lstrip("~"))  # "~" marks the clerk's typo
            makes.append(make)
            countries.append(country)
    got, _ = normalize_make(spellings)
    read = got.fillna("-").tolist()
    # "Kalashnikov" written in a make column names the pattern, not the maker
    patterns = set(read_make(spellings)["pattern"].dropna())
    assert patterns <= {"AK"}
    wrong = [(s, g) for s, m, g in zip(spellings, makes, read, strict=True) if g != m]
    assert {s for s, g in wrong if g != "-" or not s.startswith("Kala")} == set()
    made = got.notna().to_numpy()
    assert make_country(got)[made].tolist() == [
        c for c, keep in zip(countries, made, strict=True) if keep
    ]


# --------------------------------------------------------------------------- model


def test_model_is_tidied_and_upper_cased():
    model, problems = normalize_model(
        [" ak–47 ", "m 16  a2", "NÃO IDENTIFICADO", 1911, None]
    )
    assert model.tolist() == ["AK-47", "M 16 A2", pd.NA, "1911", pd.NA]
    assert problems.isna().all()


# --------------------------------------------------------------------------- calibre

CALIBRE_CASES = {
    "7,62 x 39 mm": "7.62x39mm",
    "7.62×39": "7.62x39mm",
    "7,62 mm kalashnikov (7,62x39)": "7.62x39mm",
    "7.62x54R": "7.62x54mmR",
    "7,62 mm russian (7,62 x 54 r )": "7.62x54mmR",
    "7.62 NATO": "7.62x51mm",
    ".308 winchester (7,62x51 mm)": ".308 Winchester",
    "5,56 NATO": "5.56x45mm",
    ".223 remington (5,56x45 mm)": ".223 Remington",
    "5.45x39": "5.45x39mm",
    "9 MM LUGER (9X19MM)": "9x19mm",
    "9mm Parabellum": "9x19mm",
    "9 mm P.A.K.": "9mm P.A.K.",
    "9mm R.K.": "9mm R.K.",
    "8 mm K": "8mm blank",
    "9 mm Makarov": "9x18mm",
    ".45 ACP": ".45 ACP",
    ".45 auto": ".45 ACP",
    ".40 s&w (10 x 22)": ".40 S&W",
    ".40 s&amp;w (10 x 22)": ".40 S&W",
    ".38 SPL": ".38 Special",
    "38 spl": ".38 Special",
    ".38 special (9 x 29,5 mm)": ".38 Special",
    ".38 SPL+P+,": ".38 Special",
    ".32 S&W Long": ".32 S&W Long",
    ".380 acp (9x17 mm)": ".380 ACP",
    ".22 LR": ".22 LR",
    ".357 magnum": ".357 Magnum",
    "12.7x108": "12.7x108mm",
    ".50 BMG": "12.7x99mm",
    ".50 browning (12,7 x 99 mm)": "12.7x99mm",
    "14,5 x 114": "14.5x114mm",
    "cal. 12": "12ga",
    "12 GA": "12ga",
    "calibre 12": "12ga",
    "12": "12ga",
    "12 (2.3/4 polegada) 70 mm": "12ga",
    "1970-12-01 00:00:00": "12ga",  # "12/70" turned into a date by a spreadsheet
    "16 gauge": "16ga",
    "20 Gauge": "20ga",
    "28/70": "28ga",
    "32/63,5 bagos": "32ga",
    ".410": ".410",
    "36": ".410",
    "40x46": "40x46mm",
    "40x53mm": "40x53mm",
    "60 mm": "60mm",
    "82mm": "82mm",
    "107 mm": "107mm",
}


@pytest.mark.parametrize(
    "raw, expected", CALIBRE_CASES.items(), ids=list(CALIBRE_CASES)
)
def test_calibre_designations(raw, expected):
    assert one(normalize_calibre, raw) == (expected, None)


def test_calibre_from_excel_numbers_and_dates():
    calibre, _ = normalize_calibre(
        pd.Series([12.0, 20, pd.Timestamp("1970-12-01"), None], dtype=object)
    )
    assert calibre.tolist() == ["12ga", "20ga", "12ga", pd.NA]


def test_calibre_bare_number_read_with_category():
    calibre, _ = normalize_calibre(
        ["32", "32", "32", "36"], category=["shotgun", "revolver", None, "shotgun"]
    )
    assert calibre.tolist() == ["32ga", ".32", ".32", ".410"]


@pytest.mark.parametrize("raw", ["INDETERMINADO", "outros", "ni", "N/A"])
def test_calibre_explicit_unknown(raw):
    assert one(normalize_calibre, raw) == (None, None)


def test_calibre_unknown_is_a_problem():
    assert one(normalize_calibre, "banana") == (None, "unknown calibre 'banana'")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7,62 OTAN", "7.62x51mm"),
        ("5,56 OTAN", "5.56x45mm"),
        ("9 mm OTAN", "9x19mm"),
        ("12,7 OTAN", "12.7x99mm"),
        ("7,62 mm OTAN", "7.62x51mm"),
        ("12.7 NATO", "12.7x99mm"),
        ("5.56x45 NATO", "5.56x45mm"),
    ],
    ids=lambda v: str(v),
)
def test_calibre_otan_is_nato(raw, expected):
    assert one(normalize_calibre, raw) == (expected, None)


def test_calibre_every_spelling_of_the_synthetic_world():
    """French and English calibre spellings the generator writes all map back."""
    from iti_analytics.samples._render import CALIBRE_EN, CALIBRE_FR

    pairs = [
        (canonical, text)
        for table in (CALIBRE_FR, CALIBRE_EN)
        for canonical, spellings in table.items()
        for text in spellings
    ]
    got, problems = normalize_calibre([text for _, text in pairs])
    # a bare bore ("9mm") names several rounds: it stays bore-only, with a problem
    bare = got.isin(["9mm", "7.62mm", "12.7mm", "40mm"]).to_numpy()
    assert got[~bare].tolist() == [
        c for (c, _), b in zip(pairs, bare, strict=True) if not b
    ]
    assert problems[~bare].isna().all()
    assert problems[bare].str.startswith("ambiguous calibre").all()


# --------------------------------------------------------------------------- serial

SERIAL_CASES = {  # raw -> (serial, serial_status)
    "ab-123 456": ("AB123456", "intact"),
    "AB.123/456": ("AB123456", "intact"),
    " 1c011946 ": ("1C011946", "intact"),
    "S/N: 99 01": ("9901", "intact"),
    "N° 4471": ("4471", "intact"),
    "effacé": (None, "obliterated"),
    "limé": (None, "obliterated"),
    "numéro meulé": (None, "obliterated"),
    "RASPADO": (None, "obliterated"),
    "numeração raspada": (None, "obliterated"),
    "ILEGÍVEL": (None, "obliterated"),
    "suprimido": (None, "obliterated"),
    "obliterated": (None, "obliterated"),
    "filed off": (None, "obliterated"),
    "XXXX": (None, "obliterated"),
    "****": (None, "obliterated"),
    "12??56": ("12??56", "partial"),
    "12**56": ("12??56", "partial"),
    "parcialmente raspado 4471": ("4471", "partial"),
    "effacé sauf 1234": ("SAUF1234", "partial"),
    # free-text phrasings seen in Rio de Janeiro police records
    "Removido por ação humana.": (None, "obliterated"),
    "rasurado por ação mecânica": (None, "obliterated"),
    "Eliminado intencionalmente.": (None, "obliterated"),
    "indeterminado (raspado)": (None, "obliterated"),
    "Parcialmente removido por ação humana.": (None, "partial"),
    "T6472-17 ?? ?????": ("T647217???????", "partial"),
    "123 (raspado parcialmente)": ("123", "partial"),
    "00849N (na face inferior da empunhadura)": ("00849N", "intact"),
    "058, encontrado na base do cano": ("058", "intact"),
    "SUF65728 (VIDE OBSERVAÇÃO)": ("SUF65728", "intact"),
    "INEXISTENTE": (None, "absent"),
    "Não possui.": (None, "absent"),
    "vide observação": (None, "unknown"),
    "Não aparente.": (None, "unknown"),
    "sans numéro": (None, "absent"),
    "s/n": (None, "absent"),
    "sem número": (None, "absent"),
    "sin número": (None, "absent"),
    "none": (None, "absent"),
    "": (None, "unknown"),
    "  ": (None, "unknown"),
    "-": (None, "unknown"),
    "N/A": (None, "unknown"),
    "inconnu": (None, "unknown"),
    None: (None, "unknown"),
}


@pytest.mark.parametrize(
    "raw, expected", SERIAL_CASES.items(), ids=[repr(k) for k in SERIAL_CASES]
)
def test_serial(raw, expected):
    frame, problems = normalize_serial(pd.Series([raw], dtype=object))
    serial = frame["serial"].iloc[0]
    assert (None if pd.isna(serial) else serial) == expected[0]
    assert frame["serial_status"].iloc[0] == expected[1]
    assert problems.isna().all()


def test_serial_problems_for_prose_and_several_numbers():
    frame, problems = normalize_serial(
        ["conforme laudo pericial anexo", "21345; 713483", "AB123"]
    )
    assert frame["serial"].tolist() == [pd.NA, "21345", "AB123"]
    assert frame["serial_status"].tolist() == ["unknown", "intact", "intact"]
    assert problems.tolist() == [
        "serial 'conforme laudo pericial anexo' is text, not a serial number",
        "several serial numbers in '21345; 713483': the first, 21345, is kept",
        pd.NA,
    ]
    assert frame["problems"].equals(problems)


def test_serial_frame_shape_numbers_and_index():
    raw = pd.Series([123456.0, np.nan, 42.0], index=["a", "b", "c"])
    frame, problems = normalize_serial(raw)
    assert list(frame.columns) == ["serial", "serial_status", "problems"]
    assert frame.index.tolist() == ["a", "b", "c"]
    assert frame["serial"].tolist() == ["123456", pd.NA, "42"]
    assert frame["serial_status"].tolist() == ["intact", "unknown", "intact"]
    assert problems.index.equals(raw.index)


def test_serial_many_unique_values(rng):
    raw = pd.Series([f"ak-{i:07d}" for i in rng.permutation(200_000)])
    raw.iloc[::1000] = "RASPADO"
    frame, _ = normalize_serial(raw)
    assert frame["serial_status"].value_counts().to_dict() == {
        "intact": 199_800,
        "obliterated": 200,
    }
    assert frame["serial"].iloc[1].startswith("AK")


def test_serials_read_by_shape_match_serials_read_one_by_one():
    """Serials that share a shape ("AB-1" for "AB-1234567") are read once per
    shape; each must come out exactly as when read alone."""
    bases = [k for k in SERIAL_CASES if k] + [
        "SN 12345",
        "SN-12345",
        "NO 12345",
        "KC-00912833",
        "TN 4829173",
        "AB/0012345",
        "000",
        "AB-000",
        "12-34; 56",
        "AK 47 raspado",
        "12345 (effacé)",
        "АК 1234",
        "Б-1234",
        "ab*12",
        "XX-1234",
        "S/N 0000",
    ]
    digits = [("1", "7"), ("1", "0042"), ("2", "99999"), ("4", "0")]
    cells = list(bases)
    for a, b in digits:
        cells += [c.replace(a, b) for c in bases]
    cells += [c + sep + "123" for c in bases for sep in ("", "-", " ")]
    together, problems = normalize_serial(pd.Series(cells, dtype=object))
    for i, cell in enumerate(cells):
        alone, alone_problems = normalize_serial(pd.Series([cell], dtype=object))
        got = (together["serial"].iloc[i], together["serial_status"].iloc[i])
        assert got == (alone["serial"].iloc[0], alone["serial_status"].iloc[0]), cell
        assert str(problems.iloc[i]) == str(alone_problems.iloc[0]), cell


def test_serials_when_no_cell_is_plain_read_as_among_plain_ones():
    # every cell has a separator, a word or a space (the common police export):
    # read in one pass, exactly as when a plain serial sits among them
    cells = ["KC-00912833", "ab-12 34", "RASPADO", "0-0", " S/N 99 ", "12-34; 56"]
    cells = cells * 40
    alone, alone_problems = normalize_serial(pd.Series(cells, dtype="string"))
    mixed, mixed_problems = normalize_serial(
        pd.Series([*cells, "AB123"], dtype="string")
    )
    pd.testing.assert_frame_equal(alone, mixed.iloc[: len(cells)])
    pd.testing.assert_series_equal(alone_problems, mixed_problems.iloc[: len(cells)])
    assert alone["serial"].iloc[:4].tolist() == ["KC00912833", "AB1234", pd.NA, pd.NA]
    assert alone["serial_status"].iloc[:4].tolist() == [
        "intact",
        "intact",
        "obliterated",
        "absent",
    ]


# --------------------------------------------------------------------------- production

PRODUCTION_CASES = {
    "artisanal": "craft",
    "fabrication locale": "craft",
    "fait main": "craft",
    "hechiza": "craft",
    "arma hechiza": "craft",
    "fabricação caseira": "craft",
    "caseira": "craft",
    "home-made": "craft",
    "craft": "craft",
    "imprimée 3D": "3d_printed",
    "3D printed": "3d_printed",
    "impresa 3D": "3d_printed",
    "convertie": "converted",
    "arme d'alarme modifiée": "converted",
    "pistola de alarma convertida": "converted",
    "converted blank-firing": "converted",
    "réactivée": "reactivated",
    "neutralisée remise en état": "reactivated",
    "industrial": "industrial",
    "inconnu": "unknown",
}


@pytest.mark.parametrize(
    "raw, expected", PRODUCTION_CASES.items(), ids=list(PRODUCTION_CASES)
)
def test_production_terms(raw, expected):
    assert one(normalize_production, raw) == (expected, None)


def test_production_inferred_from_type_text():
    production, problems = normalize_production(
        [None, "industrial", None, "zzz"],
        category_raw=[
            "ARMA DE FABRICAÇÃO CASEIRA",
            "pistolet artisanal",
            "FUZIL",
            "pistola",
        ],
    )
    assert production.tolist() == ["craft", "industrial", pd.NA, pd.NA]
    assert problems.tolist() == [pd.NA, pd.NA, pd.NA, "unknown production 'zzz'"]
    only_type, _ = normalize_production(None, ["Pistola de alarma convertida"])
    assert only_type.tolist() == ["converted"]


# --------------------------------------------------------------------------- tables


def test_reference_tables_are_consistent():
    makes = load_reference("makes")
    named = makes.dropna(subset=["make"])
    assert named["make"].nunique() >= 80
    assert set(named["role"]) <= {"maker", "brand", "importer", "pattern", "accessory"}
    # a maker has a country; a brand of two entities, a pattern or an optics
    # maker has none; an importer's country is where it imports into
    countries = named["country"].dropna()
    assert countries.str.fullmatch(r"[A-Z]{3}").all()
    makers = named[named["role"].isin(["maker", "importer"])]
    assert makers["country"].notna().all()
    assert named.loc[named["role"] == "pattern", "country"].isna().all()
    assert (named.groupby("make")["country"].nunique(dropna=False) == 1).all()
    added = named["role"] != "maker"
    assert named.loc[added, "source"].notna().all()
    # an alias never names two makes
    keys = named["alias"].str.lower().str.replace(r"[\W_]+", "", regex=True)
    assert (named.assign(key=keys).groupby("key")["make"].nunique() == 1).all()

    categories = load_reference("categories")
    assert set(categories["category"].dropna()) <= set(
        VOCABULARIES[("items", "category")]
    )
    assert set(categories["item_kind"].dropna()) <= set(
        VOCABULARIES[("items", "item_kind")]
    )
    productions = set(VOCABULARIES[("items", "production")])
    assert set(categories["production"].dropna()) <= productions
    assert set(load_reference("production_terms")["production"]) <= productions

    calibres = set(load_reference("calibres")["calibre"].dropna())
    for canonical in [
        "7.62x39mm",
        "7.62x54mmR",
        "7.62x51mm",
        "5.56x45mm",
        "5.45x39mm",
        "9x19mm",
        "9x18mm",
        ".45 ACP",
        ".40 S&W",
        ".38 Special",
        ".32 S&W Long",
        ".380 ACP",
        ".22 LR",
        ".357 Magnum",
        "12.7x108mm",
        "12.7x99mm",
        "14.5x114mm",
        "12ga",
        "16ga",
        "20ga",
        "28ga",
        ".410",
        "40mm",
        "60mm",
        "82mm",
        "107mm",
    ]:
        assert canonical in calibres, canonical

    statuses = set(load_reference("serial_terms")["status"])
    assert statuses <= {"obliterated", "partial", "absent", "unknown", "filler"}


# --------------------------------------------------------------------------- real data


def _share_understood(
    raw: pd.Series, out: pd.Series, problems: pd.Series, canonical: set | None = None
) -> float:
    """Share of rows mapped to a canonical value or an explicit (or empty) unknown."""
    mapped = out.notna() if canonical is None else out.isin(canonical)
    unknown = out.isna() & problems.isna()
    return float((mapped | unknown).mean())


def test_rio_de_janeiro_seizures(real_data):
    path = real_data / "rj_seized_firearms_isdp" / "dadosRJ_armas.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    rio = pd.read_csv(path, sep=";", encoding="latin-1", dtype=str)

    category, problems = normalize_category(rio["tipo"])
    assert _share_understood(rio["tipo"], category, problems) >= 0.98
    assert category.isna().sum() == 0  # every type is a weapon category

    calibre, problems = normalize_calibre(rio["calibre"], category=category)
    assert _share_understood(rio["calibre"], calibre, problems) >= 0.98

    known = set(load_reference("makes")["make"].dropna())
    make, problems = normalize_make(rio["marca"])
    assert _share_understood(rio["marca"], make, problems, known) >= 0.98

    country = make_country(make)
    by_make = pd.DataFrame({"make": make, "country": country}).dropna()
    assert set(by_make.loc[by_make["make"] == "Taurus", "country"]) == {"BRA"}
    assert set(by_make.loc[by_make["make"] == "Glock", "country"]) == {"AUT"}
    # craft-made weapons are recognised from the type text
    production, _ = normalize_production(None, rio["tipo"])
    craft = rio["tipo"] == "arma de fabricação caseira"
    assert (production[craft] == "craft").all()
