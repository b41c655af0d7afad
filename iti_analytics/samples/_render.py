"""Write a world's records as the agencies keep them: messy, in their own formats.

* ``police_fr.csv``: French, ``;``-separated, cp1252, dd/mm/yyyy, French words
  for types, places and states, blank and separator lines.
* ``customs_en.xlsx``: English, two title rows above the header, Excel dates
  (a few typed as text), counts written "2 pcs" now and then.
* ``army.json``: a list of records, ISO dates and some timestamps, country
  codes or names, keys left out when empty.
* ``traces.csv``: the trace requests, canonical column names, ISO dates.

Every row carries its record id, so it can be matched to the truth. What
changes between a record and its row is only how it is written (spelling,
language, format, a misspelt make or country now and then); what is missing
or wrong in the record is missing or wrong in the row.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import _catalog as cat
from ._geo import geo, is_false, is_true
from ._records import strip_accents

POLICE_COLUMNS = [
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
CUSTOMS_COLUMNS = [
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
ARMY_KEYS = [
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
TRACE_COLUMNS = [
    "trace_id",
    "record_id",
    "requesting_country",
    "requested_party",
    "party_type",
    "channel",
    "sent_on",
    "acknowledged_on",
    "responded_on",
    "status",
    "outcome",
    "last_legal_holder",
    "last_legal_country",
    "diversion_country",
    "diversion_year",
    "diversion_mode",
]

#: names of the states of manufacture (region states come from the catalog).
MAKER_STATES = {
    # iso3: (French, English)
    "CHN": ("Chine", "China"),
    "RUS": ("Russie", "Russia"),
    "SUN": ("URSS", "USSR"),
    "BGR": ("Bulgarie", "Bulgaria"),
    "SRB": ("Serbie", "Serbia"),
    "YUG": ("Yougoslavie", "Yugoslavia"),
    "CSK": ("Tchécoslovaquie", "Czechoslovakia"),
    "DDR": ("RDA", "East Germany"),
    "BEL": ("Belgique", "Belgium"),
    "USA": ("États-Unis", "United States"),
    "TUR": ("Turquie", "Turkey"),
    "BRA": ("Brésil", "Brazil"),
    "ROU": ("Roumanie", "Romania"),
    "DEU": ("Allemagne", "Germany"),
    "ITA": ("Italie", "Italy"),
    "AUT": ("Autriche", "Austria"),
    "CZE": ("République tchèque", "Czech Republic"),
    "FRA": ("France", "France"),
    "IRN": ("Iran", "Iran"),
}
#: other spellings: French, English.
COUNTRY_VARIANTS = {
    "CIV": (("Cote d'Ivoire", "Côte d’Ivoire"), ("Ivory Coast", "Cote d'Ivoire")),
    "CAF": (("Centrafrique", "République centrafricaine"), ("CAR",)),
    "NGA": (("Nigeria",), ("Nigeria",)),
    "USA": (("USA", "Etats-Unis"), ("USA", "US")),
    "SUN": (("Union soviétique",), ("Soviet Union",)),
    "DDR": (("Allemagne de l'Est",), ("GDR",)),
    "CZE": (("Tchéquie",), ("Czechia",)),
    "TUR": ((), ("Türkiye",)),
}
#: misspellings a clerk makes now and then.
COUNTRY_TYPOS = {
    "BFA": "Burkina Fasso",
    "CIV": "Cote d'Ivoir",
    "CMR": "Camerounn",
    "TCD": "Tchadd",
    "GHA": "Gahna",
    "MLI": "Malli",
    "SEN": "Sénégall",
    "BEN": "Benim",
}

CATEGORY_FR = {
    "assault_rifle": ("fusil d'assaut", "Fusil d'assaut", "kalachnikov"),
    "rifle": ("fusil", "carabine"),
    "pistol": ("pistolet", "Pistolet", "pistolet semi-automatique"),
    "revolver": ("revolver", "révolver"),
    "shotgun": ("fusil de chasse", "fusil à pompe"),
    "submachine_gun": ("pistolet mitrailleur",),
    "machine_gun": ("mitrailleuse", "fusil mitrailleur"),
    "heavy_machine_gun": ("mitrailleuse lourde",),
    "rocket_launcher": ("lance-roquettes", "lance-roquettes antichar"),
    "mortar": ("mortier",),
}
CATEGORY_EN = {
    "assault_rifle": ("Assault rifle", "assault rifle", "Kalashnikov"),
    "rifle": ("Rifle", "rifle", "carbine"),
    "pistol": ("Pistol", "pistol", "semi-automatic pistol"),
    "revolver": ("Revolver",),
    "shotgun": ("Shotgun", "shotgun"),
    "submachine_gun": ("Submachine gun", "SMG"),
    "machine_gun": ("Machine gun", "general purpose machine gun"),
    "heavy_machine_gun": ("Heavy machine gun",),
    "rocket_launcher": ("Rocket launcher", "RPG"),
    "mortar": ("Mortar",),
}
CRAFT_FR = {
    "shotgun": "fusil de chasse artisanal",
    "pistol": "pistolet artisanal",
    "revolver": "revolver artisanal",
    "rifle": "fusil artisanal",
}
CRAFT_EN = {
    "shotgun": "craft shotgun",
    "pistol": "craft pistol",
    "revolver": "craft revolver",
    "rifle": "craft rifle",
}
KIND_FR = {
    "weapon": ("arme", "Arme", "ARME"),
    "ammunition": ("munitions", "cartouches"),
    "part": ("pièce", "pièce détachée"),
    "explosive_component": ("détonateurs",),
}
KIND_EN = {
    "weapon": ("Firearm", "Weapon"),
    "ammunition": ("Ammunition", "Ammo"),
    "part": ("Part", "Weapon part"),
    "explosive_component": ("IED component",),
}
CALIBRE_FR = {
    "7.62x39mm": ("7,62x39", "7,62 x 39 mm", "7.62x39"),
    "7.62x54mmR": ("7,62x54R",),
    "12.7x108mm": ("12,7x108",),
    "9x19mm": ("9 mm Parabellum", "9x19", "9 mm"),
    "9x18mm": ("9x18", "9 mm Makarov"),
    "7.62x25mm": ("7,62x25", "7,62 Tokarev"),
    "7.62x51mm": ("7,62x51", "7,62 OTAN"),
    "5.56x45mm": ("5,56x45", "5,56 OTAN"),
    "7.5x54mm": ("7,5x54",),
    ".38 Special": (".38 Spécial", ".38 SPL"),
    "12ga": ("calibre 12", "cal. 12", "12"),
    "40mm": ("40 mm",),
    "60mm": ("60 mm",),
    "82mm": ("82 mm",),
}
CALIBRE_EN = {
    "7.62x39mm": ("7.62x39mm", "7.62 x 39", "7.62×39mm"),
    "7.62x54mmR": ("7.62x54R",),
    "12.7x108mm": ("12.7x108mm", "12.7x108"),
    "9x19mm": ("9mm Luger", "9x19mm", "9mm"),
    "9x18mm": ("9x18mm", "9mm Makarov"),
    "7.62x25mm": ("7.62x25mm", "7.62 Tokarev"),
    "7.62x51mm": ("7.62x51mm", "7.62 NATO"),
    "5.56x45mm": ("5.56x45mm", "5.56 NATO"),
    "7.5x54mm": ("7.5x54mm",),
    ".38 Special": (".38 Special", ".38 SPL"),
    "12ga": ("12 GA", "12 gauge"),
    "40mm": ("40mm",),
    "60mm": ("60mm",),
    "82mm": ("82mm",),
}
STATUS_FR = {
    "seized": ("saisie", "saisi"),
    "found": ("trouvée", "découverte"),
    "surrendered": ("remise volontaire",),
    "lost": ("perdue",),
    "stolen": ("volée",),
}
SETTING_FR = {
    "conflict": ("conflit", "zone de conflit", "conflit armé"),
    "border": ("frontière", "poste frontière"),
    "crime": ("criminalité", "banditisme"),
    "stockpile": ("stock", "dépôt"),
    "other": ("autre",),
}
SETTING_EN = {
    "conflict": ("conflict", "military operation"),
    "border": ("border",),
    "crime": ("crime",),
    "stockpile": ("stockpile", "depot"),
    "other": ("other",),
}
ACTOR_FR = {
    "person": ("individu", "personne"),
    "armed_group": ("groupe armé",),
    "criminal_group": ("groupe criminel", "gang"),
    "dealer": ("trafiquant d'armes", "marchand d'armes"),
    "state": ("État",),
    "unknown": ("inconnu",),
}
ACTOR_EN = {
    "person": ("individual",),
    "armed_group": ("armed group", "NSAG"),
    "criminal_group": ("criminal group", "gang"),
    "dealer": ("arms dealer", "arms trafficker"),
    "state": ("state",),
    "unknown": ("unknown",),
}


class _Speller:
    """Pick a spelling per value, vectorised over the distinct values."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def pick(self, values, table: dict, *, weights=None, default=None) -> np.ndarray:
        """For each value, one of ``table[value]`` (first most often), else default."""
        values = np.asarray(values, dtype=object)
        out = np.full(len(values), default, dtype=object)
        u = self.rng.random(len(values))
        for key, options in table.items():
            if isinstance(options, str):
                options = (options,)
            sel = values == key
            if not sel.any() or not options:
                continue
            k = len(options)
            p = np.asarray(weights(k) if weights else _first_heavy(k))
            idx = np.searchsorted(np.cumsum(p) / p.sum(), u[sel], side="right")
            out[sel] = np.asarray(options, dtype=object)[np.minimum(idx, k - 1)]
        return out


def _first_heavy(k: int) -> list[float]:
    return [1.0] if k == 1 else [0.75] + [0.25 / (k - 1)] * (k - 1)


def _country_names(rng, codes, lang: int, typo_rate: float) -> np.ndarray:
    """French (0) or English (1) names of ISO3 codes, with variants and typos."""
    g = geo()
    names = {c: (fr, en) for c, en, fr, *_ in cat.COUNTRIES} | MAKER_STATES
    table = {}
    for code, pair in names.items():
        variants = COUNTRY_VARIANTS.get(code, ((), ()))[lang]
        table[code] = (pair[lang], *variants)
    out = _Speller(rng).pick(codes, table)
    typo = (rng.random(len(out)) < typo_rate) & np.isin(
        np.asarray(codes, dtype=object), list(COUNTRY_TYPOS)
    )
    out[typo] = [COUNTRY_TYPOS[c] for c in np.asarray(codes, dtype=object)[typo]]
    del g
    return out


def _make_names(rng, makes, typo_rate: float, ascii_only: bool = False) -> np.ndarray:
    """A spelling of each canonical make; misspellings now and then."""
    table, typos = {}, {}
    for make, _, spellings in cat.MAKES:
        parts = spellings.split("|")
        table[make] = tuple(p for p in parts if not p.startswith("~"))
        bad = [p[1:] for p in parts if p.startswith("~")]
        if bad:
            typos[make] = bad[0]
    out = _Speller(rng).pick(makes, table)
    makes = np.asarray(makes, dtype=object)
    typo = (rng.random(len(out)) < typo_rate) & np.isin(makes, list(typos))
    out[typo] = [typos[m] for m in makes[typo]]
    if ascii_only:
        out = _cp1252(out)
    return out


def _cp1252(values: np.ndarray) -> np.ndarray:
    """Replace what cp1252 cannot encode (Česká -> Ceska, Sarsılmaz -> Sarsilmaz)."""
    values = np.asarray(values, dtype=object)
    uniq = pd.unique(values[pd.notna(values)])
    fix = {}
    for v in uniq:
        try:
            str(v).encode("cp1252")
        except UnicodeEncodeError:
            fix[v] = strip_accents(str(v).replace("ı", "i").replace("’", "'"))
    if not fix:
        return values
    return pd.Series(values, dtype=object).replace(fix).to_numpy()


def _dates_fr(seized: pd.Series, rng) -> np.ndarray:
    """dd/mm/yyyy; a missing date was an impossible one in the register."""
    out = seized.dt.strftime("%d/%m/%Y").to_numpy(dtype=object)
    bad = seized.isna().to_numpy()
    if bad.any():
        years = rng.integers(2015, 2025, int(bad.sum()))
        day_month = np.asarray(["30/02", "31/04", "31/06", "32/01"], dtype=object)
        pick = day_month[rng.integers(0, 4, int(bad.sum()))]
        out[bad] = [f"{d}/{y}" for d, y in zip(pick, years, strict=True)]
    return out


def _blank(values) -> np.ndarray:
    arr = pd.Series(values, dtype=object)
    return arr.where(arr.notna(), "").to_numpy(dtype=object, copy=True)


def _int_text(values) -> np.ndarray:
    s = pd.Series(values)
    return (
        s.astype("Int64")
        .astype("string")
        .to_numpy(dtype=object, na_value="", copy=True)
    )


def _admin1_names(items: pd.DataFrame, lang: int) -> np.ndarray:
    """Area names as the agency writes them (ISO 3166-2 codes back to names)."""
    g = geo()
    col = "admin1_en" if lang else "admin1_fr"
    back = {c: n for c, n in zip(g.admin1["code"], g.admin1[col], strict=True) if c}
    values = pd.Series(
        items["admin1"].to_numpy(dtype=object, na_value=None), dtype=object
    )
    return values.map(lambda v: back.get(v, v) if v is not None else None).to_numpy()


def _weapon_type(rng, items: pd.DataFrame, lang: int) -> np.ndarray:
    """The weapon-type cell: category words, craft and converted weapons."""
    cat_ = items["category"].to_numpy(dtype=object, na_value=None)
    prod = items["production"].to_numpy(dtype=object, na_value=None)
    kind = items["item_kind"].to_numpy(dtype=object, na_value=None)
    out = _Speller(rng).pick(cat_, CATEGORY_EN if lang else CATEGORY_FR, default="")
    craft = prod == "craft"
    out[craft] = _Speller(rng).pick(
        cat_[craft],
        CRAFT_EN if lang else CRAFT_FR,
        default="craft weapon" if lang else "arme artisanale",
    )
    conv = prod == "converted"
    out[conv] = (
        "converted blank-firing pistol" if lang else "pistolet d'alarme converti"
    )
    out[kind != "weapon"] = ""
    return out


def police_frame(items: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The French police register, cell by cell, as strings."""
    it = items[items["source"] == "police_fr"]
    sp = _Speller(rng)
    n = len(it)
    inferred = it["country_of_manufacture_inferred"].fillna(False).to_numpy(dtype=bool)
    com = it["country_of_manufacture"].to_numpy(dtype=object, na_value=None)
    com = np.where(inferred, None, com)
    yom = _int_text(it["year_of_manufacture"])
    yom[
        (yom == "")
        & (it["item_kind"].to_numpy(dtype=object, na_value="") == "weapon")
        & (rng.random(n) < 0.1)
    ] = "inconnue"
    marked = it["import_marked"].to_numpy(dtype=object, na_value=None)
    make = _blank(
        _make_names(
            rng, it["make"].to_numpy(dtype=object, na_value=None), 0.03, ascii_only=True
        )
    )
    make[
        (make == "")
        & (it["item_kind"].to_numpy(dtype=object, na_value="") == "weapon")
        & (it["production"].to_numpy(dtype=object, na_value="") == "industrial")
        & (rng.random(n) < 0.3)
    ] = "inconnu"
    frame = {
        "N° PV": it["seizure_id"].to_numpy(dtype=object),
        "Date de saisie": _dates_fr(it["seized_on"], rng),
        "Service": _blank(it["agency"].to_numpy(dtype=object, na_value=None)),
        "Pays": _country_names(rng, it["country"].to_numpy(dtype=object), 0, 0.01),
        "Région": _blank(_admin1_names(it, 0)),
        "Localité": _blank(it["locality"].to_numpy(dtype=object, na_value=None)),
        "Nature": sp.pick(it["item_kind"].to_numpy(dtype=object), KIND_FR, default=""),
        "Type d'arme": _weapon_type(rng, it, 0),
        "Marque": make,
        "Modèle": _blank(it["model"].to_numpy(dtype=object, na_value=None)),
        "Calibre": sp.pick(
            it["calibre"].to_numpy(dtype=object, na_value=None), CALIBRE_FR, default=""
        ),
        "N° de série": _blank(it["serial_raw"].to_numpy(dtype=object, na_value=None)),
        "Pays de fabrication": _blank(_country_names(rng, com, 0, 0.0)),
        "Année de fabrication": yom,
        "Marquage d'importation": np.where(
            is_true(marked),
            "oui",
            np.where(is_false(marked), "non", ""),
        ),
        "Quantité": _int_text(it["quantity"]),
        "Mis en cause": _blank(it["actor"].to_numpy(dtype=object, na_value=None)),
        "Type de mis en cause": sp.pick(
            it["actor_type"].to_numpy(dtype=object, na_value=None), ACTOR_FR, default=""
        ),
        "Statut": sp.pick(
            it["status"].to_numpy(dtype=object, na_value=None), STATUS_FR, default=""
        ),
        "Contexte": sp.pick(
            it["setting"].to_numpy(dtype=object, na_value=None), SETTING_FR, default=""
        ),
        "Observations": _blank(it["notes"].to_numpy(dtype=object, na_value=None)),
        "Réf.": it["record_id"].to_numpy(dtype=object),
    }
    out = pd.DataFrame(
        {k: pd.Series(_cp1252(v), dtype=object) for k, v in frame.items()}
    )
    return out[POLICE_COLUMNS]


def write_police(items: pd.DataFrame, path: Path, rng: np.random.Generator) -> Path:
    """``;``-separated cp1252 CSV with a blank line and a separator line inside."""
    frame = police_frame(items, rng)
    lines = [";".join(POLICE_COLUMNS)]
    body = [
        ";".join(_csv_cell(v) for v in row) for row in frame.itertuples(index=False)
    ]
    if len(body) >= 6:
        at = sorted(rng.choice(np.arange(1, len(body)), 2, replace=False), reverse=True)
        body.insert(int(at[0]), ";" * (len(POLICE_COLUMNS) - 1))
        body.insert(int(at[1]), "-" * 40)
        body.append("")
    lines.extend(body)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ';"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def customs_frame(items: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The English customs register, cell by cell (dates as datetimes)."""
    it = items[items["source"] == "customs_en"]
    sp = _Speller(rng)
    n = len(it)
    inferred = it["country_of_manufacture_inferred"].fillna(False).to_numpy(dtype=bool)
    com = it["country_of_manufacture"].to_numpy(dtype=object, na_value=None)
    com = np.where(inferred, None, com)
    seized = it["seized_on"].to_numpy(dtype="datetime64[s]")
    dates = np.array(
        [pd.Timestamp(d).to_pydatetime() if not np.isnat(d) else None for d in seized],
        dtype=object,
    )
    as_text = rng.random(n) < 0.08
    dates[as_text] = [pd.Timestamp(d).strftime("%d-%b-%Y") for d in seized[as_text]]
    qty = it["quantity"].to_numpy(dtype=object, na_value=None).copy()
    pcs = (it["item_kind"].to_numpy(dtype=object, na_value="") == "part") & (
        rng.random(n) < 0.5
    )
    qty[pcs] = [f"{q} pcs" for q in qty[pcs]]
    transit = it["transit_countries"].to_numpy(dtype=object, na_value=None)
    transit_names = np.full(n, None, dtype=object)
    for i in np.flatnonzero(pd.notna(transit)):
        codes = transit[i].split(";")
        transit_names[i] = "; ".join(_country_names(rng, codes, 1, 0.0))
    marked = it["import_marked"].to_numpy(dtype=object, na_value=None)
    yom = it["year_of_manufacture"].to_numpy(dtype=object, na_value=None)
    frame = {
        "Record ID": it["record_id"].to_numpy(dtype=object),
        "Case No": it["seizure_id"].to_numpy(dtype=object),
        "Seizure Date": dates,
        "Border Post": it["locality"].to_numpy(dtype=object, na_value=None),
        "Country": _country_names(rng, it["country"].to_numpy(dtype=object), 1, 0.01),
        "Item Type": sp.pick(it["item_kind"].to_numpy(dtype=object), KIND_EN),
        "Weapon Type": _weapon_type(rng, it, 1),
        "Manufacturer": _make_names(
            rng, it["make"].to_numpy(dtype=object, na_value=None), 0.03
        ),
        "Model": it["model"].to_numpy(dtype=object, na_value=None),
        "Calibre": sp.pick(
            it["calibre"].to_numpy(dtype=object, na_value=None), CALIBRE_EN
        ),
        "Serial Number": it["serial_raw"].to_numpy(dtype=object, na_value=None),
        "Country of Manufacture": _country_names(rng, com, 1, 0.0),
        "Year of Manufacture": yom,
        "Import Marking": np.where(
            is_true(marked),
            "Yes",  # noqa: E712
            np.where(is_false(marked), "No", None),
        ),  # noqa: E712
        "Import Country": _country_names(
            rng, it["import_country"].to_numpy(dtype=object, na_value=None), 1, 0.0
        ),
        "Qty": qty,
        "Headstamp": it["headstamp"].to_numpy(dtype=object, na_value=None),
        "Lot Number": it["lot"].to_numpy(dtype=object, na_value=None),
        "Origin Country": _country_names(
            rng, it["origin_country"].to_numpy(dtype=object, na_value=None), 1, 0.0
        ),
        "Transit Countries": transit_names,
        "Suspect": it["actor"].to_numpy(dtype=object, na_value=None),
        "Remarks": it["notes"].to_numpy(dtype=object, na_value=None),
    }
    frame = {k: pd.Series(v, dtype=object) for k, v in frame.items()}
    for k, v in frame.items():
        frame[k] = v.where(v.notna() & (v != ""), None)
    return pd.DataFrame(frame)[CUSTOMS_COLUMNS]


def write_customs(items: pd.DataFrame, path: Path, rng: np.random.Generator) -> Path:
    """An Excel workbook: title rows, the header, the rows, one blank row inside."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    frame = customs_frame(items, rng)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Seizures")
    title = WriteOnlyCell(ws, value="REGIONAL CUSTOMS — ARMS AND AMMUNITION SEIZURES")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append(["Extract 2015–2024 · RESTRICTED — not for onward distribution"])
    header = []
    for name in CUSTOMS_COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    blank_at = int(rng.integers(1, len(frame))) if len(frame) > 3 else -1
    for i, row in enumerate(frame.itertuples(index=False)):
        if i == blank_at:
            ws.append([])
        cells = []
        for name, value in zip(CUSTOMS_COLUMNS, row, strict=True):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                cells.append(None)
            elif name == "Seizure Date" and not isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            elif isinstance(value, np.integer):
                cells.append(int(value))
            else:
                cells.append(value)
        ws.append(cells)
    wb.properties.creator = "iti_analytics.samples"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    wb.save(path)
    _freeze_zip(path)
    return path


#: the time stamped into the workbook, so the same world writes the same bytes
_FIXED_TIME = datetime(2025, 1, 1)


def _freeze_zip(path: Path) -> None:
    """Rewrite a zip archive (xlsx) with fixed member times."""
    with zipfile.ZipFile(path) as zin:
        members = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified"
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>2025-01-01T00:00:00Z",
                    data,
                )
            frozen = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            frozen.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(frozen, data)


def army_records(items: pd.DataFrame, rng: np.random.Generator) -> list[dict]:
    """The army's JSON records (keys left out when the army wrote nothing)."""
    it = items[items["source"] == "army"]
    sp = _Speller(rng)
    n = len(it)
    seized = it["seized_on"]
    stamp = rng.random(n) < 0.2
    hours = rng.integers(5, 20, n)
    minutes = rng.integers(0, 60, n)
    day = seized.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None)
    date = np.array(
        [
            None if d is None else (f"{d}T{h:02d}:{m:02d}:00Z" if s else d)
            for d, s, h, m in zip(day, stamp, hours, minutes, strict=True)
        ],
        dtype=object,
    )
    g = geo()
    iso2 = {c: c[:2] for c in g.codes}
    iso2.update(
        {
            "NER": "NE",
            "NGA": "NG",
            "TCD": "TD",
            "CMR": "CM",
            "CAF": "CF",
            "CIV": "CI",
            "GHA": "GH",
            "SEN": "SN",
            "GIN": "GN",
            "BEN": "BJ",
            "TGO": "TG",
            "MRT": "MR",
            "LBY": "LY",
            "MLI": "ML",
            "BFA": "BF",
        }
    )
    ctry = it["country"].to_numpy(dtype=object)
    u = rng.random(n)
    country = np.where(
        u < 0.5,
        ctry,
        np.where(
            u < 0.7,
            pd.Series(ctry).map(iso2).to_numpy(dtype=object),
            _country_names(rng, ctry, 1, 0.01),
        ),
    )
    com = it["country_of_manufacture"].to_numpy(dtype=object, na_value=None)
    inferred = it["country_of_manufacture_inferred"].fillna(False).to_numpy(dtype=bool)
    com = np.where(inferred, None, com)
    made_in = np.where(rng.random(n) < 0.5, com, _country_names(rng, com, 1, 0.0))
    kind = it["item_kind"].to_numpy(dtype=object, na_value=None)
    wtype = _weapon_type(rng, it, 1)
    wtype = np.where(kind == "ammunition", "ammunition", wtype)
    wtype = np.where(kind == "part", "weapon part", wtype)
    wtype = np.where(kind == "explosive_component", "IED component", wtype)
    wtype = np.where(wtype == "", None, wtype)
    lat = it["lat"].to_numpy(dtype=float, na_value=np.nan)
    lon = it["lon"].to_numpy(dtype=float, na_value=np.nan)
    cols = {
        "id": it["record_id"].to_numpy(dtype=object),
        "incident_id": it["seizure_id"].to_numpy(dtype=object),
        "date_recovered": date,
        "country": country,
        "province": _admin1_names(it, 1),
        "lat": [None if np.isnan(v) else float(v) for v in lat],
        "lon": [None if np.isnan(v) else float(v) for v in lon],
        "type": wtype,
        "make": _make_names(
            rng, it["make"].to_numpy(dtype=object, na_value=None), 0.03
        ),
        "model": it["model"].to_numpy(dtype=object, na_value=None),
        "caliber": sp.pick(
            it["calibre"].to_numpy(dtype=object, na_value=None), CALIBRE_EN
        ),
        "serial_no": it["serial_raw"].to_numpy(dtype=object, na_value=None),
        "made_in": made_in,
        "year_made": [
            None if pd.isna(v) else int(v)
            for v in it["year_of_manufacture"].to_numpy(dtype=object, na_value=None)
        ],
        "recovered_from": it["actor"].to_numpy(dtype=object, na_value=None),
        "group_type": sp.pick(
            it["actor_type"].to_numpy(dtype=object, na_value=None), ACTOR_EN
        ),
        "context": sp.pick(
            it["setting"].to_numpy(dtype=object, na_value=None), SETTING_EN
        ),
        "qty": [int(q) for q in it["quantity"].to_numpy(dtype=np.int64, na_value=1)],
    }
    omit = rng.random(n) < 0.4
    records = []
    for i in range(n):
        rec = {}
        for key in ARMY_KEYS:
            value = cols[key][i]
            if value is None or (isinstance(value, float) and np.isnan(value)):
                if omit[i]:
                    continue
                value = None
            rec[key] = value
        records.append(rec)
    return records


def write_army(items: pd.DataFrame, path: Path, rng: np.random.Generator) -> Path:
    records = army_records(items, rng)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_traces(traces: pd.DataFrame, path: Path) -> Path:
    out = traces[TRACE_COLUMNS].copy()
    for col in ("sent_on", "acknowledged_on", "responded_on"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_sources(items, traces, directory, seed: int) -> dict[str, Path]:
    """Write the four files; returns ``{name: path}``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 7])
    return {
        "police_fr": write_police(items, folder / "police_fr.csv", rng),
        "customs_en": write_customs(items, folder / "customs_en.xlsx", rng),
        "army": write_army(items, folder / "army.json", rng),
        "traces": write_traces(traces, folder / "traces.csv"),
    }
