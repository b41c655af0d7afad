"""Generate ``iti_analytics/reference/countries.csv``: country aliases in FR/ES/PT.

pycountry is the base of the country look-up (ISO codes and English names are
read from it at run time). This script writes the aliases on top of it:

* the French, Spanish and Portuguese names shipped in pycountry's gettext
  catalogues (``iso3166-1`` and, for the historic states, ``iso3166-3``), with
  inverted names turned round ("Corée, République de" → "République de Corée");
* hand-curated aliases: abbreviations (RCA, RDC, EUA, URSS…), colloquial and
  older names (Inglaterra, Zaïre, Birmanie…), historic manufacturing states
  (SUN, YUG, CSK, DDR, SCG).

A key (the folded alias: lower case, no accents, punctuation as spaces) that
points to two countries is dropped unless a curated alias settles it; the
script prints what it dropped. Run it again after upgrading pycountry::

    /work/venv/bin/python tools/build_countries.py
"""

from __future__ import annotations

import csv
import gettext
from pathlib import Path

import pycountry

from iti_analytics.normalize._text import fold

OUT = (
    Path(__file__).resolve().parents[1]
    / "iti_analytics"
    / "reference"
    / "countries.csv"
)

LANGUAGES = {"fr": ["fr"], "es": ["es"], "pt": ["pt", "pt_BR"]}

#: historic states kept under their ISO 3166-3 code (they made many SALW)
HISTORIC = ("SUN", "YUG", "CSK", "DDR", "SCG")

#: iso3 -> aliases (any language); these win over everything else
CURATED: dict[str, list[str]] = {
    "USA": [
        "USA",
        "US",
        "U.S.",
        "U.S.A.",
        "United States of America",
        "EUA",
        "E.U.A.",
        "EE.UU.",
        "EEUU",
        "Estados Unidos",
        "Estados Unidos da América",
        "Estados Unidos de América",
        "États-Unis",
        "Etats-Unis d'Amérique",
    ],
    "GBR": [
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Inglaterra",
        "Angleterre",
        "Grande-Bretagne",
        "Gran Bretaña",
        "Grã-Bretanha",
        "Royaume-Uni",
        "Reino Unido",
    ],
    "DEU": [
        "Alemanha",
        "Alemania",
        "Allemagne",
        "Deutschland",
        "West Germany",
        "Allemagne de l'Ouest",
        "Alemania Occidental",
        "Alemanha Ocidental",
        "Alemanha Ocidental (RFA)",
        "RFA",
        "FRG",
        "BRD",
    ],
    "DDR": [
        "RDA",
        "GDR",
        "DDR",
        "East Germany",
        "Allemagne de l'Est",
        "Alemania Oriental",
        "Alemanha Oriental",
        "République démocratique allemande",
        "República Democrática Alemana",
        "República Democrática Alemã",
        "German Democratic Republic",
    ],
    "SUN": [
        "URSS",
        "U.R.S.S.",
        "USSR",
        "U.S.S.R.",
        "Soviet Union",
        "Union soviétique",
        "Union des républiques socialistes soviétiques",
        "Unión Soviética",
        "União Soviética",
        "CCCP",
        "SSSR",
        "SUN",
    ],
    "YUG": [
        "Yougoslavie",
        "Yugoslavia",
        "Iugoslávia",
        "Jugoslávia",
        "Jugoslavia",
        "SFRY",
        "RSFY",
        "Ex-Yougoslavie",
        "Former Yugoslavia",
        "YUG",
    ],
    "CSK": [
        "Tchécoslovaquie",
        "Czechoslovakia",
        "Tchecoslováquia",
        "Checoslovaquia",
        "Checoslováquia",
        "Tchéco-Slovaquie",
        "CSSR",
        "ČSSR",
        "CSK",
    ],
    "SCG": [
        "Serbia and Montenegro",
        "Serbie-et-Monténégro",
        "Serbia y Montenegro",
        "Sérvia e Montenegro",
        "SCG",
    ],
    "RUS": [
        "Russia",
        "Russie",
        "Rusia",
        "Rússia",
        "Fédération de Russie",
        "Federación de Rusia",
        "Russian Federation",
    ],
    "CZE": [
        "Czech Republic",
        "République tchèque",
        "República Checa",
        "República Tcheca",
        "Rep. Tcheca",
        "Rep. Checa",
        "Czech Rep.",
        "Tchéquie",
        "Tchéquia",
        "Tcheca",
        "Chequia",
        "Chéquia",
    ],
    "SVK": ["Slovaquie", "Eslovaquia", "Eslováquia"],
    "KOR": [
        "South Korea",
        "Korea",
        "Republic of Korea",
        "ROK",
        "Corée du Sud",
        "Corée",
        "Corea del Sur",
        "Coreia do Sul",
    ],
    "PRK": [
        "North Korea",
        "DPRK",
        "RPDC",
        "Corée du Nord",
        "Corea del Norte",
        "Coreia do Norte",
    ],
    "CIV": [
        "Ivory Coast",
        "Côte d'Ivoire",
        "Cote d Ivoire",
        "Costa de Marfil",
        "Costa do Marfim",
        "RCI",
    ],
    "CAF": [
        "CAR",
        "RCA",
        "Centrafrique",
        "Central African Rep.",
        "République centrafricaine",
        "Rép. centrafricaine",
        "Rep. Centro Africana",
        "República Centro Africana",
        "República Centroafricana",
        "República Centro-Africana",
    ],
    "COD": [
        "DRC",
        "RDC",
        "DR Congo",
        "D.R. Congo",
        "RD Congo",
        "R.D. Congo",
        "RDCongo",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Congo RD",
        "Congo DR",
        "Democratic Republic of the Congo",
        "Democratic Republic of Congo",
        "République démocratique du Congo",
        "República Democrática del Congo",
        "República Democrática do Congo",
        "Zaïre",
        "Zaire",
    ],
    "COG": [
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "Republic of the Congo",
        "Republic of Congo",
        "République du Congo",
        "Congo Republic",
        "Congo, Rep.",
    ],
    "SSD": [
        "South Sudan",
        "Soudan du Sud",
        "Sud-Soudan",
        "Sudán del Sur",
        "Sudão do Sul",
    ],
    "SDN": ["Sudan", "Soudan", "Sudán", "Sudão"],
    "TCD": ["Tchad", "Chad"],
    "NGA": ["Nigéria"],
    "BFA": ["Burkina", "Haute-Volta", "Upper Volta", "Alto Volta"],
    "BEN": ["Dahomey"],
    "MMR": ["Burma", "Birmanie", "Birmania", "Birmânia"],
    "ZWE": ["Rhodesia", "Rhodésie", "Rodesia", "Rodésia"],
    "TLS": ["East Timor", "Timor Oriental", "Timor-Leste"],
    "SWZ": ["Swaziland", "Suazilandia", "Suazilândia", "Eswatini"],
    "MKD": ["Macedonia", "FYROM", "Macédoine", "Macedônia", "Macedonia del Norte"],
    "TUR": ["Turkey", "Turquia", "Turquie", "Turquía", "Türkiye", "Turkiye"],
    "BRA": ["Brasil", "Brésil", "Brazil"],
    "IRN": ["Iran", "Irán", "Irã", "Irão"],
    "SYR": ["Syria", "Syrie", "Siria", "Síria"],
    "LBY": ["Libya", "Libye", "Libia", "Líbia"],
    "EGY": ["Egypt", "Égypte", "Egipto", "Egito"],
    "BEL": ["Bélgica", "Belgique", "Belgium"],
    "AUT": ["Áustria", "Autriche", "Austria"],
    "CHE": ["Suíça", "Suisse", "Suiza", "Switzerland"],
    "ZAF": [
        "RSA",
        "Africa do Sul",
        "África do Sul",
        "Afrique du Sud",
        "Sudáfrica",
        "South Africa",
    ],
    "GNB": ["Guinée-Bissau", "Guiné-Bissau", "Guinea Bissau"],
    "GIN": ["Guinée", "Guinée Conakry", "Guinea Conakry", "Guiné", "Guiné-Conacri"],
    "GNQ": ["Guinée équatoriale", "Guinea Ecuatorial", "Guiné Equatorial"],
    "GMB": ["Gambie", "The Gambia", "Gâmbia"],
    "CPV": ["Cap-Vert", "Cape Verde", "Cabo Verde"],
    "MRT": ["Mauritanie", "Mauritânia"],
    "ARE": [
        "UAE",
        "U.A.E.",
        "EAU",
        "Emirates",
        "Émirats arabes unis",
        "Emiratos Árabes Unidos",
        "Emirados Árabes Unidos",
    ],
    "SAU": [
        "KSA",
        "Arabie saoudite",
        "Arabia Saudita",
        "Arábia Saudita",
        "Saudi Arabia",
    ],
    "CHN": [
        "PRC",
        "Chine",
        "China",
        "People's Republic of China",
        "République populaire de Chine",
        "República Popular China",
        "República Popular da China",
    ],
    "TWN": ["Taiwan", "Taïwan", "Taiwán", "ROC", "Republic of China", "Formosa"],
    "ISR": ["Israël", "Israel"],
    "ITA": ["Italie", "Itália", "Italia"],
    "ESP": ["Espagne", "España", "Espanha"],
    "FRA": ["France", "Francia", "França"],
    "POL": ["Pologne", "Polonia", "Polônia", "Polónia"],
    "ROU": ["Roumanie", "Rumania", "Rumanía", "Romênia", "Roménia", "Romania"],
    "BGR": ["Bulgarie", "Bulgária", "Bulgaria"],
    "HUN": ["Hongrie", "Hungria", "Hungría"],
    "SRB": ["Serbie", "Sérvia", "Serbia"],
    "HRV": ["Croatie", "Croácia", "Croacia"],
    "BIH": [
        "Bosnia",
        "Bosnie",
        "Bósnia",
        "Bósnia-Herzegóvina",
        "Bosnie-Herzégovine",
        "Bosnia-Herzegovina",
        "Bosnia y Herzegovina",
    ],
    "MNE": ["Monténégro", "Montenegro"],
    "ALB": ["Albanie", "Albânia"],
    "UKR": ["Ukraine", "Ucrania", "Ucrânia"],
    "BLR": ["Biélorussie", "Bielorrusia", "Bielorrússia", "Belarus", "Byelorussia"],
    "MDA": ["Moldova", "Moldavie", "Moldavia", "Moldávia"],
    "FIN": ["Finlande", "Finlândia", "Finlandia"],
    "SWE": ["Suède", "Suecia", "Suécia"],
    "NOR": ["Norvège", "Noruega"],
    "DNK": ["Danemark", "Dinamarca"],
    "NLD": [
        "Holland",
        "Hollande",
        "Holanda",
        "Pays-Bas",
        "Países Bajos",
        "Países Baixos",
        "Netherlands",
        "The Netherlands",
    ],
    "GRC": ["Grèce", "Grecia", "Grécia"],
    "SVN": ["Slovénie", "Eslovénia", "Eslovenia"],
    "MEX": ["México", "Mexique"],
    "COL": ["Colômbia", "Colombie"],
    "PER": ["Pérou", "Perú"],
    "CHL": ["Chili"],
    "PRY": ["Paraguai"],
    "URY": ["Uruguai"],
    "VEN": ["Venezuela", "Vénézuela"],
    "BOL": ["Bolivia", "Bolívia", "Bolivie"],
    "ECU": ["Équateur", "Equador"],
    "JPN": ["Japon", "Japão", "Japón"],
    "PHL": ["Filipinas", "Philippines"],
    "THA": ["Thaïlande", "Tailândia", "Tailandia"],
    "MYS": ["Malaisie", "Malásia", "Malasia"],
    "IDN": ["Indonésie", "Indonésia"],
    "IND": ["Inde", "Índia"],
    "IRQ": ["Irak", "Iraque"],
    "YEM": ["Yémen", "Iêmen", "Iémen"],
    "OMN": ["Omã"],
    "ETH": ["Éthiopie", "Etiópia", "Etiopía"],
    "BWA": ["Botsuana", "Botswana"],
    "CAN": ["Canadá"],
    "AUS": ["Austrália", "Australie"],
    "LAO": ["Laos"],
    "VNM": ["Vietnam", "Viêt Nam", "Vietnã", "Vietname"],
    "TZA": ["Tanzania", "Tanzanie", "Tanzânia"],
    "PSE": ["Palestine", "Palestina"],
    "VAT": ["Vatican", "Holy See"],
    "FSM": ["Micronesia"],
}


def _uninvert(name: str) -> str | None:
    """'Corée, République de' -> 'République de Corée' (None if not inverted)."""
    if ", " not in name:
        return None
    head, tail = name.split(", ", 1)
    return f"{tail} {head}"


def _names(record) -> list[str]:
    out = []
    for attr in ("name", "official_name", "common_name"):
        value = getattr(record, attr, None)
        if value:
            out.append(value)
    return out


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []  # iso3, alias, language, origin
    base_keys: dict[str, str] = {}
    for c in pycountry.countries:
        for value in [c.alpha_2, c.alpha_3, *_names(c)]:
            base_keys[value] = c.alpha_3

    catalogues = {}
    for lang, codes in LANGUAGES.items():
        for code in codes:
            for domain in ("iso3166-1", "iso3166-3"):
                catalogues[(lang, code, domain)] = gettext.translation(
                    domain, pycountry.LOCALES_DIR, languages=[code]
                )

    records = [("iso3166-1", c) for c in pycountry.countries]
    records += [
        ("iso3166-3", c) for c in pycountry.historic_countries if c.alpha_3 in HISTORIC
    ]
    for domain, c in records:
        english = _names(c)
        if domain == "iso3166-3":
            rows.extend((c.alpha_3, n, "en", "pycountry") for n in english)
        for (lang, _code, dom), cat in catalogues.items():
            if dom != domain:
                continue
            for name in english:
                translated = cat.gettext(name)
                if translated == name and lang != "en":
                    continue
                for alias in (translated, _uninvert(translated)):
                    if alias:
                        rows.append((c.alpha_3, alias, lang, "pycountry"))
        for name in english:
            alias = _uninvert(name)
            if alias:
                rows.append((c.alpha_3, alias, "en", "pycountry"))

    for iso3, aliases in CURATED.items():
        rows.extend((iso3, alias, "mul", "curated") for alias in aliases)

    # resolve keys: curated > pycountry base (codes, English) > translations
    keys = fold([r[1] for r in rows]).tolist()
    base = dict(zip(fold(list(base_keys)).tolist(), base_keys.values(), strict=True))
    by_key: dict[str, set[str]] = {}
    curated_key: dict[str, str] = {}
    for (iso3, _alias, _lang, origin), key in zip(rows, keys, strict=True):
        by_key.setdefault(key, set()).add(iso3)
        if origin == "curated":
            if curated_key.get(key, iso3) != iso3:
                raise SystemExit(f"curated aliases disagree on {key!r}")
            curated_key[key] = iso3
    seen: set[tuple[str, str]] = set()
    kept = []
    for row, key in zip(rows, keys, strict=True):
        iso3, alias, lang, origin = row
        if not key:
            continue
        if key in curated_key:
            if curated_key[key] != iso3:
                continue
        elif key in base and base[key] != iso3:
            print(f"dropped {alias!r} -> {iso3}: pycountry says {base[key]}")
            continue
        elif len(by_key[key]) > 1:
            print(f"dropped ambiguous {alias!r}: {sorted(by_key[key])}")
            continue
        if (iso3, key) in seen:
            continue
        seen.add((iso3, key))
        kept.append(row)
    kept.sort(key=lambda r: (r[0], r[3] != "curated", r[2], r[1]))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["iso3", "alias", "language", "origin"])
        writer.writerows(kept)
    print(f"wrote {len(kept)} aliases to {OUT}")


if __name__ == "__main__":
    main()
