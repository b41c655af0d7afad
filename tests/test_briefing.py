"""Tests of the PDF briefing: layout, languages, audiences, escaping, command line."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from iti_analytics.briefing import NoDataInPeriodError, write_briefing  # noqa: E402
from iti_analytics.briefing._format import (  # noqa: E402
    format_change,
    format_date,
    format_int,
    format_number,
    format_percent,
)
from iti_analytics.briefing._i18n import Strings, load_strings  # noqa: E402
from iti_analytics.briefing._period import resolve_period  # noqa: E402
from iti_analytics.dataset import Dataset  # noqa: E402
from iti_analytics.exceptions import InvalidParameterError  # noqa: E402
from iti_analytics.samples import generate_world, load_sample  # noqa: E402

AS_OF = "2025-01-15"

#: words of the briefing's own English; none may be left in a French briefing.
ENGLISH = [
    "the",
    "and",
    "of",
    "weapons",
    "weapon",
    "seizures",
    "seized",
    "recovered",
    "requests",
    "request",
    "answered",
    "share",
    "country",
    "countries",
    "traced",
    "pending",
    "refused",
    "assault rifle",
    "rifle",
    "pistol",
    "shotgun",
    "machine gun",
    "unknown",
    "other",
    "days",
    "year",
    "network",
    "networks",
    "batch",
    "batches",
    "overdue",
    "tracing",
    "trace",
    "key figures",
    "restricted",
    "shareable",
    "period",
    "month",
    "change",
    "evidence",
    "rows",
    "completeness",
    "answer",
    "never",
    "rating",
    "responsive",
    "slow",
    "unresponsive",
    "with",
    "from",
    "by",
    "to",
    "in",
]


def _text(path) -> list[str]:
    """Text of each page, no-break spaces made plain spaces."""
    reader = pypdf.PdfReader(str(path))
    return [
        (p.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ")
        for p in reader.pages
    ]


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def small():
    return generate_world(600, seed=3).dataset


@pytest.fixture(scope="module")
def english(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "en.pdf"
    return write_briefing(sample, path, as_of=AS_OF)


@pytest.fixture(scope="module")
def french(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "fr.pdf"
    return write_briefing(sample, path, language="fr", as_of=AS_OF)


@pytest.fixture(scope="module")
def shareable_fr(small, tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "fr_shareable.pdf"
    return write_briefing(small, path, language="fr", audience="shareable", as_of=AS_OF)


# --------------------------------------------------------------------------- layout


def test_english_briefing_has_4_to_8_a4_pages_with_fonts_embedded(english):
    reader = pypdf.PdfReader(str(english))
    assert 4 <= len(reader.pages) <= 8
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # composite font
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


def test_every_page_has_classification_date_and_page_number(english):
    pages = _text(english)
    for number, text in enumerate(pages, start=1):
        assert text.count("RESTRICTED") >= 2  # header and footer
        assert "15 January 2025" in text
        assert f"page {number} of {len(pages)}" in text


def test_sections_and_key_figures_are_there(english):
    text = "\n".join(_text(english))
    for heading in (
        "Key figures",
        "In brief",
        "2. Seizures",
        "3. The network picture",
        "Batches seen across borders",
        "4. Tracing plan",
        "5. Trace operations",
        "Overdue requests",
        "6. SDG indicator 16.4.2",
        "Annex: data quality",
    ):
        assert heading in text, heading
    assert "the plan selects 50 of the" in text  # the default capacity of 50
    assert "What selection gives up" in text


def _weapons_by_year(ds) -> pd.DataFrame:
    """Weapons (kind weapon, or no kind but a category), duplicates left out."""
    items = ds.items[ds.items["duplicate_of"].isna()]
    kind = items["item_kind"]
    weapon = (kind == "weapon").fillna(False) | (
        kind.isna() & items["category"].notna()
    )
    weapons = items[weapon.astype(bool)]
    return weapons.assign(year=weapons["seized_on"].dt.year)


def test_key_figures_equal_a_direct_count(sample, english):
    weapons = _weapons_by_year(sample)
    assert weapons["seized_on"].max() == pd.Timestamp("2024-12-31")  # period: 2024
    now, before = (weapons["year"] == 2024).sum(), (weapons["year"] == 2023).sum()
    change = round(100 * (now - before) / before)
    items = sample.items[sample.items["duplicate_of"].isna()]
    n_items = (items["seized_on"].dt.year == 2024).sum()
    text = "\n".join(_text(english))
    assert re.search(rf"Weapons\s+{now}\s+{before}\s+\+{change}%", text)
    assert re.search(rf"Items seized or recovered \(records\)\s+{n_items}\s", text)
    top = weapons.loc[weapons["year"] == 2024, "country"].value_counts(normalize=True)
    assert top.index[0] == "NGA"
    assert f"Nigeria ({round(100 * top.iloc[0])}%)" in text


def test_french_briefing_is_french_throughout(sample, french):
    pages = _text(french)
    assert 4 <= len(pages) <= 8
    for number, text in enumerate(pages, start=1):
        assert text.count("DIFFUSION RESTREINTE") >= 2
        assert "15 janvier 2025" in text
        assert f"page {number} sur {len(pages)}" in text
    text = "\n".join(pages)
    for term in (
        "ALPC",
        "traçage",
        "demandes de traçage",
        "saisies",
        "points de contact nationaux",
        "point de détournement",
    ):
        assert term in text, term
    assert "remise volontaire" in text  # vocabulary values translated
    assert "fusil d'assaut" in text
    n_items = len(sample.items)  # the annex's total of item rows
    assert n_items >= 1000
    assert f"{n_items // 1000} {n_items % 1000:03d}" in text  # thousands: a space
    assert "31 décembre 2024" in text


def test_no_english_left_in_a_french_briefing(shareable_fr):
    # the shareable one: no actor names, which are data and may be English
    text = "\n".join(_text(shareable_fr)).lower()
    words = set(re.findall(r"[a-zà-ÿ']+(?: [a-z]+)?", text))
    tokens = set(re.findall(r"[a-zà-ÿ]+", text))
    found = [w for w in ENGLISH if (w in tokens if " " not in w else w in text)]
    assert found == [], found
    assert words  # the text was extracted


def test_french_formats():
    assert format_number(12345.6, "fr") == "12\u202f345,6"
    assert format_int(1234567, "fr") == "1\u202f234\u202f567"
    assert format_percent(0.45, "fr") == "45\u00a0%"
    assert format_percent(0.45) == "45%"
    assert format_date("2026-11-27", "fr") == "27 novembre 2026"
    assert format_date("2026-11-01", "fr") == "1er novembre 2026"
    assert format_date("2026-11-27") == "27 November 2026"
    assert format_change(0.30, 0.25, "fr", points=True) == "+5\u00a0pts"
    assert format_change(90, 100) == "\u221210%"


def test_every_string_has_both_languages():
    table = load_strings()
    empty = [k for k, v in table.items() if not v["en"].strip() or not v["fr"].strip()]
    assert empty == []
    fields = [
        k
        for k, v in table.items()
        if set(re.findall(r"{(\w+)}", v["en"])) != set(re.findall(r"{(\w+)}", v["fr"]))
    ]
    assert fields == [], "placeholders differ between en and fr"


def test_vocabulary_and_countries_in_french():
    fr = Strings("fr")
    assert fr.vocab("category", "assault_rifle") == "fusil d'assaut"
    assert fr.vocab("outcome", "record_not_found") == "registre introuvable"
    assert fr.country("CIV") == "Côte d'Ivoire"
    assert fr.country("SUN") == "URSS"
    assert fr.vocab("category", "made_up") == "made_up"  # data stays as written


def test_plan_weapon_names_the_importer_where_the_maker_is_unknown():
    from iti_analytics.briefing._tracing import _weapon

    imported = pd.Series(
        {"category": "rifle", "make": None, "model": None, "importer": "Century Arms"}
    )
    assert _weapon(imported, Strings("en")) == "rifle, imported by Century Arms"
    assert _weapon(imported, Strings("fr")) == "fusil, importateur : Century Arms"
    made = imported.copy()
    made["make"] = "Zastava Arms"
    assert _weapon(made, Strings("en")) == "rifle, Zastava Arms"


# --------------------------------------------------------------------------- audience


def _secrets(ds) -> tuple[set[str], set[str]]:
    items = ds.items
    serials = set()
    for col in ("serial", "serial_raw"):
        serials |= {str(v) for v in items[col].dropna().unique() if len(str(v)) >= 3}
    names = {str(v) for v in items["actor"].dropna().unique()}
    names |= {str(v) for v in ds.actors["name"].dropna().unique()}
    return serials, names


def _leaks(text: str, serials: set[str], names: set[str]) -> list[str]:
    tokens = set(re.findall(r"[A-Za-z0-9?/.\-]+", text))
    leaked = sorted(serials & tokens)
    leaked += sorted(n for n in names if len(n) >= 5 and n in text)
    leaked += sorted(n for n in names if len(n) < 5 and n in tokens)
    return leaked


def test_restricted_briefing_shows_serials_and_actor_names(sample, english):
    serials, names = _secrets(sample)
    assert _leaks("\n".join(_text(english)), serials, names)


def test_shareable_briefing_shows_no_serial_or_actor_name(small, shareable_fr):
    pages = _text(shareable_fr)
    text = "\n".join(pages)
    serials, names = _secrets(small)
    assert _leaks(text, serials, names) == []
    assert all(p.count("PARTAGEABLE") >= 2 for p in pages)
    notes = {str(v) for v in small.items["notes"].dropna().unique() if len(v) > 8}
    assert not [n for n in notes if n in text]
    localities = set(small.items["locality"].dropna().unique())
    assert not [p for p in localities if re.search(rf"\b{re.escape(p)}\b", text)]
    assert "actor-" not in text  # no key: actors are only counted


def test_shareable_briefing_with_a_key_shows_pseudonyms(small, tmp_path):
    path = write_briefing(
        small,
        tmp_path / "share.pdf",
        audience="shareable",
        key="unit-secret",
        as_of=AS_OF,
    )
    pages = _text(path)
    text = "\n".join(pages)
    serials, names = _secrets(small)
    assert _leaks(text, serials, names) == []
    assert all(p.count("SHAREABLE") >= 2 for p in pages)
    assert "actor-" in text  # keyed pseudonyms stand in for the names


def test_shareable_rejects_a_bad_key(small, tmp_path):
    with pytest.raises(InvalidParameterError, match="key"):
        write_briefing(small, tmp_path / "x.pdf", audience="shareable", key=b"")


# --------------------------------------------------------------------------- escaping


def test_text_from_the_data_prints_as_written(small, tmp_path):
    items = small.items.copy()
    weapons = items["category"] == "assault_rifle"
    items.loc[weapons, "make"] = "<b>=cmd|' /C calc'!A0"
    items.loc[weapons, "model"] = "$x$ & <i>"
    first_actor = items["actor"].dropna().iloc[0]
    items["actor"] = items["actor"].replace(first_actor, "<font size=40>Boss</font>")
    ds = small.replace(items=items)
    path = write_briefing(
        ds, tmp_path / "esc.pdf", period="2024Q2", title="<Sahel> desk", as_of=AS_OF
    )
    pages = _text(path)
    text = "\n".join(pages)
    assert "<b>=cmd|' /C calc'!A0" in text
    assert "$x$ & <i>" in text
    assert "&lt;" not in text and "&amp;" not in text
    # the period and the title of the first page
    assert "<Sahel> desk" in pages[0]
    assert "Reporting period: Q2 2024, compared with Q1 2024" in pages[0]


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"language": "de"}, "language"),
        ({"audience": "public"}, "audience"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 2.5}, "capacity"),
        ({"period": "2024Q7"}, "period"),
        ({"as_of": "not a date"}, "as_of"),
    ],
    ids=["language", "audience", "capacity-0", "capacity-float", "period", "as_of"],
)
def test_bad_options_raise_clear_errors(small, tmp_path, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        write_briefing(small, tmp_path / "x.pdf", **kwargs)


def test_not_a_dataset_is_refused(tmp_path):
    with pytest.raises(InvalidParameterError, match="Dataset"):
        write_briefing([1, 2], tmp_path / "x.pdf")
    with pytest.raises(InvalidParameterError, match="no item records"):
        write_briefing(
            {"traces": pd.DataFrame({"trace_id": ["t1"]})}, tmp_path / "x.pdf"
        )


def test_options_are_keyword_only(small, tmp_path):
    with pytest.raises(TypeError):
        write_briefing(small, tmp_path / "x.pdf", "fr")  # language by keyword only


def test_a_few_items_without_traces_still_make_a_briefing(tmp_path):
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "country": ["NER", "MLI", "NER"],
            "item_kind": "weapon",
            "category": ["pistol", "mortar", "assault_rifle"],
            "seized_on": pd.to_datetime(["2024-01-05", "2024-03-01", "2023-06-01"]),
            "status": "seized",
        }
    )
    # an items DataFrame, as plan_tracing takes it
    path = write_briefing(items, tmp_path / "few.pdf", language="fr")
    text = "\n".join(_text(path))
    assert "Aucune demande de traçage dans les données." in text
    # no trace and no determination of origin: SDG 16.4.2 is "no data", not 0 %
    assert "ODD 16.4.2 : non mesurable avec ces données" in text
    assert "0,0 %" not in text


def test_sdg_is_measured_once_a_determination_of_origin_is_recorded(tmp_path):
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "country": "NER",
            "item_kind": "weapon",
            "category": "pistol",
            "seized_on": pd.to_datetime(
                ["2024-01-05", "2024-03-01", "2024-06-01"] * 1 + ["2024-07-01"]
            ),
            "status": "seized",
            "x_origin_established": ["yes", "no", None, "no"],
        }
    )
    text = "\n".join(_text(write_briefing(items, tmp_path / "sdg.pdf")))
    assert "not measurable" not in text
    # one weapon of the four established by an investigation
    assert "SDG 16.4.2: illicit origin established for 25.0%" in text


@pytest.mark.parametrize(
    ("period", "start", "end", "previous_start"),
    [
        (None, "2024-01-01", "2024-12-31", "2023-01-01"),
        (2023, "2023-01-01", "2023-12-31", "2022-01-01"),
        ("2024Q2", "2024-04-01", "2024-06-30", "2024-01-01"),
        ("2024-06", "2024-06-01", "2024-06-30", "2024-05-01"),
        (("2024-03-01", "2024-03-10"), "2024-03-01", "2024-03-10", "2024-02-20"),
    ],
    ids=["default", "year", "quarter", "month", "range"],
)
def test_periods(period, start, end, previous_start):
    p = resolve_period(period, pd.Timestamp("2024-12-31"))
    assert (p.start, p.end) == (pd.Timestamp(start), pd.Timestamp(end))
    assert p.previous().start == pd.Timestamp(previous_start)


def test_default_period_is_twelve_months_when_data_end_mid_year():
    p = resolve_period(None, pd.Timestamp("2024-06-30"))
    assert p.kind == "twelve_months"
    assert Strings("fr").__call__("period.twelve_months", end="x") == "12 mois au x"
    assert p.label(Strings("en")) == "12 months to 30 June 2024"


# --------------------------------------------------------------------------- cli


def test_cli_brief_on_the_sample(small, tmp_path, monkeypatch, capsys):
    import iti_analytics.samples
    from iti_analytics.cli import main

    monkeypatch.delenv("ITI_KEY", raising=False)
    monkeypatch.setattr(iti_analytics.samples, "load_sample", lambda: small)
    out = tmp_path / "b.pdf"
    code = main(
        [
            "brief",
            "--sample",
            "--lang",
            "fr",
            "--audience",
            "shareable",
            "--capacity",
            "20",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert "Wrote" in capsys.readouterr().out
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "PARTAGEABLE" in _text(out)[0]


def test_cli_brief_refuses_a_non_pdf_output(tmp_path, capsys):
    from iti_analytics.cli import main

    assert main(["brief", "--sample", "-o", str(tmp_path / "b.txt")]) == 2
    assert ".pdf" in capsys.readouterr().err


# ------------------------------------------------------------------ real-data gaps


@pytest.fixture(scope="module")
def messy(small):
    """The small world with "other" and nulls in every field a briefing reads."""
    rng = np.random.default_rng(7)
    items = small.items.copy()
    n = len(items)
    for column, value in [
        ("category", "other"),
        ("setting", "other"),
        ("item_kind", "other"),
    ]:
        items.loc[rng.random(n) < 0.25, column] = value
    for column in (
        "category",
        "item_kind",
        "status",
        "country",
        "admin1",
        "seized_on",
        "make",
        "model",
        "calibre",
        "serial",
        "seizure_id",
        "actor",
        "actor_type",
        "origin_country",
        "year_of_manufacture",
    ):
        items.loc[rng.random(n) < 0.25, column] = pd.NA
    traces = small.traces.copy()
    m = len(traces)
    for column in (
        "requested_party",
        "party_type",
        "channel",
        "status",
        "outcome",
        "sent_on",
        "acknowledged_on",
        "responded_on",
    ):
        traces.loc[rng.random(m) < 0.25, column] = pd.NA
    return Dataset(items=items, traces=traces)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_other_and_missing_values_everywhere_still_make_a_briefing(
    messy, tmp_path, language
):
    path = write_briefing(messy, tmp_path / "messy.pdf", language=language)
    pages = _text(path)
    assert 4 <= len(pages) <= 8
    heading = "Key figures" if language == "en" else "Chiffres clés"
    assert heading in pages[0]


def test_light_weapon_share_counts_weapons_of_a_known_class_only(tmp_path):
    # 3 pistols, 1 mortar, 2 "other" and 2 of no category: 1 light of 4 classed
    items = pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(8)],
            "item_kind": "weapon",
            "category": ["pistol"] * 3 + ["mortar", "other", "other", None, None],
            "country": "NER",
            "seized_on": pd.to_datetime(["2024-03-01"] * 8),
        }
    )
    text = "\n".join(_text(write_briefing(items, tmp_path / "b.pdf", period=2024)))
    assert re.search(r"Light weapons \(share of weapons\)\s+25%", text)
    assert re.search(r"Weapons\s+8\s", text)


def test_a_period_without_data_is_refused(small, tmp_path):
    with pytest.raises(NoDataInPeriodError, match="2031-01-01 to 2031-12-31") as err:
        write_briefing(small, tmp_path / "x.pdf", period=2031)
    first = small.items["seized_on"].min().date().isoformat()
    assert first in str(err.value)
    assert isinstance(err.value, InvalidParameterError)
    assert not (tmp_path / "x.pdf").exists()


def _operations_page(pages: list[str], heading: str) -> str:
    return next(p for p in pages if heading in p)


def test_shareable_briefing_numbers_the_parties_it_does_not_name(small, tmp_path):
    from iti_analytics.briefing._i18n import Strings

    en = Strings("en")
    busiest = small.traces["requested_party"].value_counts()
    names = [en.country(p) if len(p) == 3 else p for p in busiest.index[:3]]
    shared = _text(
        write_briefing(small, tmp_path / "s.pdf", audience="shareable", as_of=AS_OF)
    )
    page = _operations_page(shared, "5. Trace operations")
    assert "party 1" in page
    assert not [n for n in names if n in page]
    assert "unresponsive works against" in page
    named = _text(
        write_briefing(
            small,
            tmp_path / "n.pdf",
            audience="shareable",
            name_parties=True,
            as_of=AS_OF,
        )
    )
    page = _operations_page(named, "5. Trace operations")
    assert "party 1" not in page
    assert names[0] in page


def test_restricted_briefing_names_the_parties(english, sample):
    page = _operations_page(_text(english), "5. Trace operations")
    assert "party 1" not in page
    assert "United States" in page or "Heckler & Koch" in page


def test_capacity_as_a_share_of_the_traceable_items(small, tmp_path):
    from iti_analytics.tracing import plan_tracing

    plan = plan_tracing(small, capacity=0.1, as_of=AS_OF)
    expected = int((plan["request_kind"] == "trace_request").sum())
    text = "\n".join(
        _text(write_briefing(small, tmp_path / "c.pdf", capacity=0.1, as_of=AS_OF))
    )
    assert f"With capacity for {expected} trace requests" in text


def test_plan_table_keeps_long_record_ids_whole_under_the_weapon(small, tmp_path):
    # record ids made of a file name and a row (the Rio files: 40-50
    # characters) broke into five lines in a narrow column of their own
    from iti_analytics.tracing import plan_tracing

    items = small.items.copy()
    items["record_id"] = "APREENSAO_ARMA_FOGO_" + items["record_id"].astype(str)
    ds = small.replace(items=items)
    plan = plan_tracing(ds, capacity=5, as_of=AS_OF)
    pdf = write_briefing(ds, tmp_path / "ids.pdf", capacity=5, as_of=AS_OF)
    page = next(p for p in _text(pdf) if "4. Tracing plan" in p)
    assert "Weapon and item record" in page
    for rid in plan.loc[plan["request_kind"] == "trace_request", "record_id"]:
        assert rid in page, rid


def test_one_country_is_charted_by_region_or_by_place(small):
    # one bar of Brazil said nothing on the six Rio years: a single country is
    # shown by region, by place when it has one region (restricted only)
    from iti_analytics.briefing._content import collect

    items = small.items
    one = small.replace(items=items[items["country"] == "NER"])
    content = collect(one, as_of=AS_OF)
    assert content.place_level == "admin1"
    expected = one.items["admin1"].value_counts()
    assert set(content.by_place["admin1"].dropna()) <= set(expected.index)
    assert Strings("en").subdivision("NE-8") == "Niamey"
    # Niamey region holds one place only: nothing to chart below the country
    niamey = one.replace(items=one.items[one.items["admin1"] == "NE-8"])
    assert collect(niamey, as_of=AS_OF).place_level == "country"
    lagos = small.replace(items=items[items["admin1"] == "NG-LA"])
    restricted = collect(lagos, as_of=AS_OF)
    assert restricted.place_level == "locality"
    assert restricted.by_place["locality"].notna().all()  # no "other places" bar
    assert restricted.by_place["count"].sum() <= len(lagos.items)
    shared = collect(lagos, as_of=AS_OF, audience="shareable")
    assert shared.place_level == "country"
    assert collect(small, as_of=AS_OF).place_level == "country"


def test_no_progress_bar_off_a_terminal(small, tmp_path, capsys):
    write_briefing(small, tmp_path / "q.pdf", as_of=AS_OF)
    assert capsys.readouterr().err == ""


def test_progress_bar_on_request(small, tmp_path, capsys):
    write_briefing(small, tmp_path / "p.pdf", as_of=AS_OF, progress=True)
    assert "Briefing" in capsys.readouterr().err


# --------------------------------------------------------------------------- cli


def test_cli_brief_refuses_a_period_without_data(capsys):
    from iti_analytics.cli import main

    assert main(["brief", "--sample", "--period", "2031", "-o", "x.pdf"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("iti: error: The period 2031-01-01 to 2031-12-31 holds no")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_briefing_of_real_police_records(real_data, tmp_path, language):
    """Rio de Janeiro's 2022 seizures: no country column, many unknown categories."""
    from iti_analytics.io import read_items

    path = real_data / "rj_seized_firearms_isdp"
    path = path / "24648_APREENS_ARMA_FOGO_2022_02_BASE_APREENSAO.xlsx"
    if not path.is_file():
        pytest.skip(f"{path.name} not found")
    res = read_items(path, mapping={"País": "country_of_manufacture"})
    items = res.table[res.table["duplicate_of"].isna()]
    weapons = items[(items["item_kind"] == "weapon").fillna(False).astype(bool)]
    pdf = write_briefing(res, tmp_path / "rio.pdf", language=language, period=2022)
    text = "\n".join(_text(pdf))
    n = (weapons["seized_on"].dt.year == 2022).sum()
    word = "Weapons" if language == "en" else "Armes"
    assert n > 1000
    shown = f"{n:,}".replace(",", " " if language == "fr" else ",")
    assert re.search(rf"{word}\s+{shown}\s", text)
    # a police register alone holds no trace: the indicator is not a 0 %
    no_data = "not measurable" if language == "en" else "non mesurable"
    assert no_data in text
