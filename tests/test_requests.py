"""Trace requests (ITI para. 17), the register, follow-ups and reminders."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics.requests import (
    REQUEST_COLUMNS,
    REQUIRED_ELEMENTS,
    to_traces,
)
from iti_analytics.requests._elements import _missing_elements

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def sample():
    return iti.load_sample()


@pytest.fixture(scope="module")
def plan(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return iti.plan_tracing(sample, capacity=50, domestic_capacity=0)


@pytest.fixture(scope="module")
def plan_requests(sample, plan):
    return iti.trace_request(
        sample, plan, requesting_state="NGA", language="fr", on="2024-06-01"
    )


@pytest.fixture
def items():
    return pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3"],
            "status": "seized",
            "setting": ["crime", "conflict", "crime"],
            "seized_on": ["2024-03-05", "2024-03-06", "2024-03-07"],
            "country": "NER",
            "locality": "Agadez",
            "item_kind": ["weapon", "weapon", "ammunition"],
            "category": ["assault_rifle", "pistol", None],
            "make": ["Arsenal", "Glock", "Norinco"],
            "model": ["AR-M1", None, None],
            "calibre": ["7.62x39mm", None, "7.62x39mm"],
            "serial": ["1234567", "ABC123", None],
            "serial_status": ["intact", "obliterated", None],
            "country_of_manufacture": ["BGR", "AUT", "CHN"],
            "import_marked": [True, None, None],
            "import_country": ["NGA", None, None],
            "import_year": [2012, None, None],
        }
    )


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    return "\n".join(
        (p.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ")
        for p in reader.pages
    )


# ----------------------------------------------------------------- trace_request


def test_every_planned_item_gets_one_request_with_all_columns(plan, plan_requests):
    assert len(plan_requests) == len(plan)
    assert plan_requests["record_id"].tolist() == plan["record_id"].tolist()
    assert list(plan_requests.columns) == REQUEST_COLUMNS
    assert plan_requests["trace_id"].is_unique
    assert set(plan_requests["status"]) == {"draft"}


def test_requests_for_the_sample_plan_pass_their_completeness_check(plan_requests):
    """Issue 13 done-when: the plan prefers items whose request can be complete."""
    assert plan_requests["complete"].all()
    assert set(plan_requests["missing"]) == {""}


def test_an_incomplete_request_says_what_to_fill_in(sample):
    """A record without calibre or model: the check names it, with a lead to confirm."""
    items = sample.items
    weapons = items[(items["item_kind"] == "weapon").fillna(False).to_numpy(bool)]
    known = weapons.dropna(subset=["calibre"])
    lead = known.groupby(["make", "category"])["calibre"].agg(
        lambda c: c.value_counts().index[0]
    )
    lacks = weapons[
        (
            weapons["calibre"].isna()
            & weapons["model"].isna()
            & weapons["serial"].notna()
        )
        .fillna(False)
        .to_numpy(bool)
    ]
    lacks = lacks[
        [
            (m, c) in lead.index
            for m, c in zip(lacks["make"], lacks["category"], strict=True)
        ]
    ]
    item = lacks.iloc[0]
    req = iti.trace_request(
        sample, [item["record_id"]], requesting_state="NGA", language="fr"
    ).iloc[0]
    assert not req["complete"]
    assert req["missing"] == "calibre"
    top = lead[(item["make"], item["category"])]
    assert req["to_fill"].startswith("calibre\u00a0: relever le calibre marqué")
    assert f"{item['make']} de ce type dans les données sont en {top}" in req["to_fill"]


def test_completeness_check_equals_a_direct_reading_of_the_items(items):
    req = iti.trace_request(items, ["r1", "r2", "r3"], requesting_state="NER")
    assert req["missing"].tolist() == [
        "",
        "calibre;serial",
        "weapon;type;serial",
    ]
    assert req["complete"].tolist() == [True, False, False]
    assert set(";".join(req["missing"]).split(";")) - {""} <= set(REQUIRED_ELEMENTS)
    # what to fill in, element by element, in the request's language
    to_fill = req.loc[1, "to_fill"].split("; ")
    assert [part.split(":")[0] for part in to_fill] == [
        "calibre",
        "a readable serial number",
    ]
    assert "read the calibre marked on the barrel or slide" in to_fill[0]
    assert "have it restored by forensic serial-number recovery" in to_fill[1]
    assert "headstamp and lot" in req.loc[2, "to_fill"]


def test_check_request_sees_an_edit(items):
    req = iti.trace_request(items, "r1", requesting_state="NER", on="2024-04-01")
    req.loc[0, "legal_basis"] = "  "
    assert iti.check_request(req)["missing"].tolist() == ["legal_basis"]


def test_addressee_follows_the_import_marking_and_is_in_the_language(items):
    req = iti.trace_request(items, "r1", requesting_state="NER", language="es")
    assert req.loc[0, "requested_party"] == "NGA"
    assert req.loc[0, "party_type"] == "state"
    assert req.loc[0, "addressee"] == "Nigeria"
    assert req.loc[0, "party_basis"] == "última marca de importación"
    assert req.loc[0, "import_marking"] == "Nigeria, 2012"
    assert req.loc[0, "illicit_nature"].startswith("Incautado el 5 de marzo de 2024")


def test_given_party_and_channel_are_used(items):
    req = iti.trace_request(
        items,
        ["r1"],
        requesting_state="NER",
        requested_party={"r1": "BGR"},
        channel="interpol",
    )
    assert req.loc[0, ["requested_party", "party_type", "channel"]].tolist() == [
        "BGR",
        "state",
        "interpol",
    ]


def test_channel_comes_from_the_party_answer_history(items):
    history = pd.DataFrame(
        {
            "trace_id": [f"T{k}" for k in range(6)],
            "record_id": "old",
            "requested_party": "NGA",
            "channel": ["interpol"] * 3 + ["bilateral"] * 3,
            "sent_on": "2020-01-01",
            "responded_on": ["2020-03-01"] * 3 + [None, None, "2020-02-01"],
            "status": "responded",
        }
    )
    req = iti.trace_request(
        {"items": items, "traces": history}, "r1", requesting_state="NER"
    )
    assert req.loc[0, "channel"] == "interpol"
    assert "100%" in req.loc[0, "channel_basis"]


def test_type_and_calibre_are_inferred_from_the_same_model_only_when_unanimous():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "item_kind": "weapon",
            "make": "Canik",
            "model": ["TP9", "TP9", "TP9", "TP9"],
            "category": "pistol",
            "calibre": [None, "9x19mm", "9x19mm", None],
            "serial": ["1", "2", "3", "4"],
            "serial_status": "intact",
        }
    )
    req = iti.trace_request(items, ["a"], requesting_state="NER")
    assert req.loc[0, "calibre"] == "9x19mm"
    assert "2 other record(s) of model TP9" in req.loc[0, "inferred"]
    assert req.loc[0, "complete"]
    off = iti.trace_request(items, ["a"], requesting_state="NER", infer=False)
    assert off.loc[0, "missing"] == "calibre"


def test_unknown_record_and_bad_options_say_the_fix(items):
    with pytest.raises(iti.InvalidParameterError, match="not in the dataset"):
        iti.trace_request(items, ["zz"], requesting_state="NER")
    with pytest.raises(iti.InvalidParameterError, match="`language`"):
        iti.trace_request(items, ["r1"], requesting_state="NER", language="de")
    with pytest.raises(iti.InvalidParameterError, match="`channel`"):
        iti.trace_request(items, ["r1"], requesting_state="NER", channel="fax")
    with pytest.raises(iti.InvalidParameterError, match="requesting_state"):
        iti.trace_request(items, ["r1"], requesting_state="")


def test_trace_ids_continue_the_register_numbering(items):
    first = iti.trace_request(items, ["r1"], requesting_state="NER", on="2024-01-01")
    more = iti.trace_request(
        {"items": items, "traces": first},
        ["r2"],
        requesting_state="NER",
        on="2024-02-01",
    )
    assert more.loc[0, "trace_id"] == "NER-2024-0002"
    # a request recorded as sent is numbered in the year it was sent
    sent = iti.trace_request(
        items, ["r1"], requesting_state="NER", sent_on="2023-05-02"
    )
    assert sent.loc[0, "trace_id"] == "NER-2023-0001"
    assert sent.loc[0, "status_history"] == "2023-05-02 sent"


def test_the_callers_frames_are_not_modified(items):
    before = items.copy()
    iti.trace_request(items, ["r1", "r2"], requesting_state="NER")
    pd.testing.assert_frame_equal(items, before)


def test_missing_elements_is_vectorised_over_many_requests(plan_requests):
    many = pd.concat([plan_requests] * 200, ignore_index=True)
    complete = int(plan_requests["complete"].sum())
    assert (_missing_elements(many) == "").sum() == complete * 200


# ----------------------------------------------------------------- the register


def test_register_round_trips_through_parquet_and_the_canonical_tables(
    tmp_path, sample, plan_requests
):
    traces = to_traces(plan_requests)
    assert [c for c in traces.columns if not c.startswith("x_")] == iti.schema.columns(
        "traces"
    )
    ds = iti.Dataset(items=sample.items, traces=plan_requests)
    ds.to_parquet(tmp_path / "ds")
    back = iti.register(iti.Dataset.read_parquet(tmp_path / "ds"))
    pd.testing.assert_frame_equal(
        back[REQUEST_COLUMNS].reset_index(drop=True),
        plan_requests.reset_index(drop=True),
        check_dtype=False,
    )
    for col in ("sent_on", "seized_on", "complete", "year_of_manufacture"):
        assert back[col].dtype == plan_requests[col].dtype, col


def test_acknowledgement_and_answer_update_status_and_history(items):
    req = iti.trace_request(
        items, ["r1"], requesting_state="NER", on="2024-01-10", sent_on="2024-01-10"
    )
    tid = req.loc[0, "trace_id"]
    reg = iti.record_acknowledgement(req, tid, on="2024-01-20")
    reg = iti.record_answer(reg, tid, on="2024-03-01", outcome="refused")
    row = iti.register(reg).iloc[0]
    assert row["status"] == "responded"
    assert row["stage"] == "refused"
    assert row["acknowledged_on"] == pd.Timestamp("2024-01-20")
    assert row["status_history"] == (
        "2024-01-10 sent; 2024-01-20 acknowledged; 2024-03-01 answered: refused"
    )
    assert req.loc[0, "status"] == "sent"  # the caller's register is untouched
    with pytest.raises(iti.InvalidParameterError, match="`outcome`"):
        iti.record_answer(req, tid, on="2024-03-01", outcome="maybe")
    with pytest.raises(iti.InvalidParameterError, match="not in the register"):
        iti.record_answer(req, "nope", on="2024-03-01", outcome="traced")


def test_a_multi_step_trace_is_built_followed_and_counted_once(items):
    """NER asks Bulgaria; Bulgaria exported it to Nigeria; Nigeria answers."""
    req = iti.trace_request(
        items,
        ["r1"],
        requesting_state="NER",
        requested_party="BGR",
        on="2024-01-10",
        sent_on="2024-01-10",
        language="fr",
        legal_basis="Convention de la CEDEAO sur les armes légères, art. 18",
        photos={"r1": ["IMG_1.jpg", "IMG_2.jpg"]},
    )
    first = req.loc[0, "trace_id"]
    reg = iti.record_answer(
        {"items": items, "traces": req},
        first,
        on="2024-02-20",
        outcome="partially_traced",
        next_party="NGA",
        last_legal_country="NGA",
    )
    new = iti.follow_up({"items": items, "traces": reg}, on="2024-02-25")
    with pytest.raises(iti.InvalidParameterError, match="record_sent"):
        iti.record_answer(
            new, new.loc[0, "trace_id"], on="2024-03-01", outcome="traced"
        )
    new = iti.record_sent(new, new.loc[0, "trace_id"], on="2024-02-26")
    assert len(new) == 1
    assert new.loc[0, ["requested_party", "follow_up_of", "language"]].tolist() == [
        "NGA",
        first,
        "fr",
    ]
    assert new.loc[0, "party_basis"] == "réponse à la demande précédente"
    assert new.loc[0, "photos"] == "IMG_1.jpg; IMG_2.jpg"
    assert new.loc[0, "legal_basis"].startswith("Convention de la CEDEAO")
    assert new.loc[0, "complete"]
    reg = pd.concat([reg, new], ignore_index=True)
    # nothing left to follow up once the follow-up exists
    assert iti.follow_up({"items": items, "traces": reg}).empty
    second = new.loc[0, "trace_id"]
    reg = iti.record_answer(
        reg,
        second,
        on="2024-05-01",
        outcome="traced",
        last_legal_holder="Army depot",
        last_legal_country="NGA",
        diversion_country="NGA",
        diversion_year=2022,
        diversion_mode="theft",
    )
    view = iti.register(reg)
    assert view["chain_id"].tolist() == [first, first]
    assert view["step"].tolist() == [1, 2]
    chains = iti.trace_chains(reg)
    assert len(chains) == 1
    chain = chains.iloc[0]
    assert chain["parties"] == "BGR → NGA"
    assert chain["steps"] == 2
    assert chain["outcome"] == "traced" and chain["traced"]
    assert (
        chain["days"] == (pd.Timestamp("2024-05-01") - pd.Timestamp("2024-01-10")).days
    )
    rep = iti.national_report({"items": items, "traces": reg}, 2024, state="NER")
    assert rep.figures.loc["requests", "sent"] == 2
    assert rep.figures.loc["items_traced", "sent"] == 1
    assert rep.figures.loc["follow_ups", "sent"] == 1
    assert rep.figures.loc["requests", "received"] == 0


def test_reminders_use_local_thresholds_and_say_so():
    reg = pd.DataFrame(
        {
            "trace_id": ["T1", "T2", "T3", "T4"],
            "record_id": ["r1", "r2", "r3", "r4"],
            "requested_party": ["BEL", "CHN", "FRA", "USA"],
            "status": ["sent", "acknowledged", "responded", "sent"],
            "sent_on": ["2024-01-01", "2024-02-01", "2024-01-01", "2024-05-20"],
            "acknowledged_on": [None, "2024-02-10", "2024-01-05", None],
            "responded_on": [None, None, "2024-02-01", None],
            "language": ["es", None, "en", "en"],
        }
    )
    out = iti.reminders(reg, as_of="2024-06-01", language="fr")
    assert out["trace_id"].tolist() == ["T1", "T2"]
    assert out["language"].tolist() == ["es", "fr"]
    assert "umbral local: 30 días" in out.loc[0, "reminder"]
    assert "le traçage" not in out.loc[1, "reminder"]
    assert "convention locale" in out.loc[1, "reminder"]
    assert "not an ITI deadline" in out.attrs["thresholds"]
    later = iti.reminders(reg, as_of="2024-06-01", answer_within=200)
    assert later["trace_id"].tolist() == ["T1"]


# ----------------------------------------------------------------- PDF


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Request for tracing assistance", "Intended use", "Nigeria"]),
        ("fr", ["Demande d'assistance au traçage", "Utilisation prévue", "Nigeria"]),
        ("es", ["Solicitud de asistencia para el rastreo", "Uso previsto", "Nigeria"]),
    ],
    ids=["english", "french", "spanish"],
)
def test_pdf_has_one_page_per_request_in_its_language(
    tmp_path, sample, plan, language, words
):
    req = iti.trace_request(
        sample, plan.head(4), requesting_state="NGA", language=language
    )
    path = iti.write_trace_requests(req, tmp_path / "requests.pdf")
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 4
    text = pdf_text(path)
    for word in words:
        assert word in text
    assert req.loc[0, "serial"] in text
    other = {"en": "Demande", "fr": "Solicitud", "es": "Request for"}[language]
    assert other not in text


def test_pdf_says_what_is_missing(tmp_path, items):
    req = iti.trace_request(items, ["r2"], requesting_state="NER")
    text = pdf_text(iti.write_trace_requests(req, tmp_path / "r.pdf"))
    assert "Missing before sending: calibre, a readable serial number." in text


def test_pdf_escapes_data_text(tmp_path, items):
    req = iti.trace_request(
        items, ["r1"], requesting_state="NER", other_marks={"r1": "<b>proof & co</b>"}
    )
    text = pdf_text(iti.write_trace_requests(req, tmp_path / "r.pdf"))
    assert "<b>proof & co</b>" in text


def test_nothing_to_print_says_the_fix(tmp_path):
    done = pd.DataFrame({"trace_id": ["T1"], "status": ["responded"]})
    with pytest.raises(iti.InvalidParameterError, match="trace_request"):
        iti.write_trace_requests(done, tmp_path / "r.pdf")


# ----------------------------------------------------------------- CLI


def test_cli_request_and_register(tmp_path, capsys):
    from iti_analytics.cli import main

    pdf = tmp_path / "req.pdf"
    reg = tmp_path / "reg.parquet"
    code = main(
        [
            "request",
            "--sample",
            "--plan",
            "3",
            "--from",
            "NGA",
            "--lang",
            "es",
            "-o",
            str(pdf),
            "--register",
            str(reg),
        ]
    )
    assert code == 0
    assert len(pypdf.PdfReader(str(pdf)).pages) == 3
    assert re.search(r"[0-3] of 3 request\(s\) complete\.", capsys.readouterr().out)
    assert main(["register", "--sample", "--traces", str(reg)]) == 0
    assert "draft    3" in capsys.readouterr().out
    assert main(["register", "--sample", "--reminders", "--as-of", "2024-12-31"]) == 0
    assert "not an ITI deadline" in capsys.readouterr().out
    assert main(["request", "--sample", "--from", "NGA", "--lang", "de"]) == 2


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet"])
def test_register_file_written_by_the_cli_reads_back_typed(tmp_path, suffix):
    from iti_analytics.cli import main

    path = tmp_path / f"reg{suffix}"
    assert (
        main(
            [
                "request",
                "--sample",
                "--plan",
                "4",
                "--from",
                "NGA",
                "--register",
                str(path),
            ]
        )
        == 0
    )
    read = {
        ".csv": lambda p: pd.read_csv(p, dtype=str),
        ".json": lambda p: pd.read_json(p, orient="records", dtype=False),
        ".parquet": pd.read_parquet,
    }[suffix]
    back = iti.register(read(path))
    assert back["complete"].dtype == "boolean" and back["complete"].notna().all()
    assert back["seized_on"].dtype == "datetime64[s]"
    assert back["missing"].isin(["", "calibre"]).all()  # "" survives, not NaN
    assert back["year_of_manufacture"].dtype == "Int64"


#: the ITI paragraphs the request texts cite, and where each number was checked
#: (UNIDIR 2018, "The International Tracing Instrument: examining options to
#: support operationalization", the project seed: notes 15-16 cite A/60/88,
#: annex, sect. III, paras. 7-8 for marking; note 26 cites sect. V, paras.
#: 18-23 for the responses to tracing requests).
ITI_CITED = {
    "6": "definition of an illicit small arm (section II, before para. 7)",
    "17 a": "content of a request: illicit nature and legal justification",
    "17 b": "content of a request: markings, type, calibre",
    "17 c": "content of a request: intended use of the information",
    "18 to 23": "responses to tracing requests (UNIDIR 2018, note 26)",
}


def test_request_texts_cite_only_checked_iti_paragraphs():
    from iti_analytics.requests.words import load_words

    cited = set()
    for row in load_words().values():
        for ref in re.findall(r"paras?\. ([\d]+(?: (?:to \d+|[a-c]))?)", row["en"]):
            cited.add(ref)
    assert cited <= set(ITI_CITED), sorted(cited - set(ITI_CITED))
    assert {"17 a", "17 b", "17 c", "18 to 23"} <= cited
