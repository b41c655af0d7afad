"""National report figures, marking compliance and exporter notices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics.reports import FIGURES, TIMES

pypdf = pytest.importorskip("pypdf")

TRACED = ["traced", "partially_traced"]


@pytest.fixture(scope="module")
def sample():
    return iti.load_sample()


@pytest.fixture(scope="module")
def report(sample):
    return iti.national_report(sample, 2020, state="CMR")


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    return "\n".join(
        (p.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ")
        for p in reader.pages
    )


# ----------------------------------------------------------------- national report


def direct_figures(traces: pd.DataFrame, mask: pd.Series) -> dict:
    t = traces[mask]
    answered = t["responded_on"].notna()
    return {
        "requests": len(t),
        "items": t["record_id"].nunique(),
        "acknowledged": int((t["acknowledged_on"].notna() | answered).sum()),
        "answered": int(answered.sum()),
        "unanswered": int((~answered).sum()),
        "items_traced": t.loc[t["outcome"].isin(TRACED), "record_id"].nunique(),
        "follow_ups": int(t["follow_up_of"].notna().sum()),
    }


@pytest.mark.parametrize(
    ("side", "column"),
    [("sent", "requesting_country"), ("received", "requested_party")],
)
def test_figures_equal_a_direct_pandas_computation(sample, report, side, column):
    tr = sample.traces
    mask = tr["sent_on"].dt.year.isin([2019, 2020]) & (tr[column] == "CMR")
    expected = direct_figures(tr, mask.fillna(False))
    for name in FIGURES:
        assert report.figures.loc[name, side] == expected[name], name


def km_median_by_hand(days: list[int], answered: list[bool]) -> float:
    """The product-limit median written out: S(t) = prod (1 - d_i / n_i)."""
    order = sorted(zip(days, answered, strict=True))
    at_risk, survival = len(order), 1.0
    for day in sorted(set(days)):
        events = sum(1 for d, a in order if d == day and a)
        survival *= 1 - events / at_risk
        at_risk -= sum(1 for d, _ in order if d == day)
        if survival <= 0.5 + 1e-9:
            return float(day)
    return float("nan")


def test_response_times_count_open_requests_as_censored():
    # six requests sent by NER on 1 March 2024, register read on 30 June
    # (121 days later): answers after 10, 30, 45 and 150 days (the last one
    # is after as_of, so not yet known), two never answered.
    sent = pd.Timestamp("2024-03-01")
    answer_days = [10, 30, 45, 150, None, None]
    tr = pd.DataFrame(
        {
            "trace_id": [f"T{i}" for i in range(6)],
            "record_id": [f"r{i}" for i in range(6)],
            "requesting_country": "NER",
            "requested_party": "BEL",
            "sent_on": sent,
            "responded_on": [
                sent + pd.Timedelta(days=d) if d is not None else pd.NaT
                for d in answer_days
            ],
            "status": "sent",
            "outcome": "pending",
        }
    )
    rep = iti.national_report(tr, 2024, state="NER", as_of="2024-06-30")
    # by hand: at 10 days S = 5/6, at 30 days 5/6 * 4/5 = 2/3, at 45 days
    # 2/3 * 3/4 = 1/2 -> the median is 45 days; three requests are censored
    # at 121 days (150-day answer not yet known, two open), so S stays at
    # 1/2 and the 90th percentile is not reached.
    assert rep.response_times.loc["median_days_to_answer", "sent"] == 45
    assert km_median_by_hand([10, 30, 45, 121, 121, 121], [1, 1, 1, 0, 0, 0]) == 45
    assert pd.isna(rep.response_times.loc["p90_days_to_answer", "sent"])
    assert rep.figures.loc["unanswered", "sent"] == 3
    assert rep.figures.loc["answered", "sent"] == 3
    # the naive median of answered requests only would say 30 days
    assert np.median([10, 30, 45]) == 30
    # read later, the 150-day answer is known: S = 1/2 at 45 days still
    later = iti.national_report(tr, 2024, state="NER", as_of="2024-12-31")
    assert later.response_times.loc["median_days_to_answer", "sent"] == 45
    assert later.figures.loc["unanswered", "sent"] == 2
    assert rep.response_times.attrs["estimator"].startswith("Kaplan–Meier")


def test_median_is_not_reached_while_most_requests_wait():
    tr = pd.DataFrame(
        {
            "trace_id": ["T1", "T2", "T3"],
            "record_id": ["r1", "r2", "r3"],
            "requesting_country": "NER",
            "requested_party": "BEL",
            "sent_on": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01"]),
            "acknowledged_on": pd.to_datetime(["2024-01-05", "2024-01-15", None]),
            "responded_on": pd.to_datetime(["2024-02-01", None, None]),
        }
    )
    rep = iti.national_report(tr, 2024, state="NER", as_of="2024-03-01")
    assert list(rep.response_times.index) == list(TIMES)
    times = rep.response_times["sent"]
    assert pd.isna(times["median_days_to_answer"])  # 2 of 3 still waiting
    # acknowledged after 4 and 14 days, one censored at 60: S = 2/3, then 1/3
    assert times["median_days_to_acknowledge"] == 14
    md = rep.to_markdown()
    assert "Kaplan–Meier" in md and "1 March 2024" in md


def test_outcomes_and_iafq_tables_equal_direct_counts(sample, report):
    tr = sample.traces
    sent = tr[
        tr["sent_on"].dt.year.isin([2019, 2020]) & (tr["requesting_country"] == "CMR")
    ]
    counts = sent["outcome"].value_counts()
    for outcome, n in counts.items():
        assert report.outcomes.loc[outcome, "sent"] == n
    assert report.outcomes["sent"].sum() == len(sent)
    by_type = sent.groupby("party_type").size()
    assert report.iafq_tracing["requests"].to_dict() == by_type.to_dict()
    named = iti.national_report(sample, 2020, state="CMR", name_parties=True)
    by_party = sent.groupby("requested_party").size()
    assert named.iafq_tracing["requests"].to_dict() == by_party.to_dict()
    assert (named.audience, report.audience) == ("restricted", "shareable")
    assert report.iafq_tracing["successful"].sum() == sent["outcome"].isin(TRACED).sum()
    assert (
        report.iafq_origin["items"].sum() == report.figures.loc["items_traced", "sent"]
    )


def test_default_state_is_the_one_that_sent_most(sample):
    top = sample.traces["requesting_country"].value_counts().index[0]
    assert iti.national_report(sample, 2024).state == top


def test_bad_year_says_the_fix(sample):
    with pytest.raises(iti.InvalidParameterError, match="calendar year"):
        iti.national_report(sample, "2024")
    with pytest.raises(iti.InvalidParameterError, match="`years`"):
        iti.national_report(sample, 2024, years=0)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Tracing figures for the national report", "Cameroon", "Median"]),
        ("fr", ["Chiffres du traçage pour le rapport national", "Cameroun", "médian"]),
        ("es", ["Cifras de rastreo para el informe nacional", "Camerún", "Mediana"]),
    ],
    ids=["english", "french", "spanish"],
)
def test_report_pdf_is_filled_in_each_language(tmp_path, report, language, words):
    text = pdf_text(report.write(tmp_path / "report.pdf", language=language))
    for word in words:
        assert word in text
    assert str(report.figures.loc["requests", "sent"]) in text


def test_shareable_report_names_no_requested_state(tmp_path, sample, report):
    text = pdf_text(report.write(tmp_path / "report.pdf"))
    assert "SHAREABLE" in text and "Requested parties (by type)" in text
    assert "China" not in text.split("4. Tracing tables")[1].split("5. Traced")[0]
    named = iti.national_report(sample, 2020, state="CMR", name_parties=True)
    text = pdf_text(named.write(tmp_path / "named.pdf"))
    assert "RESTRICTED" in text and "China" in text


def test_report_markdown_has_every_table(report):
    md = report.to_markdown(language="es")
    assert md.startswith("# Cifras de rastreo")
    rules = [line for line in md.splitlines() if line.startswith("|---")]
    assert len(rules) == 6  # figures, outcomes, times, IAFQ, origin, marking


# ----------------------------------------------------------------- marking


def test_marking_compliance_equals_a_direct_computation(sample):
    out = iti.marking_compliance(sample)
    items = sample.items
    weapons = items[
        (items["item_kind"] == "weapon")
        & (
            items["status"].isin(["seized", "found", "surrendered"])
            | items["status"].isna()
        )
    ]
    row = out[(out["country"] == "NGA") & (out["year"] == 2022)].iloc[0]
    w = weapons[(weapons["country"] == "NGA") & (weapons["seized_on"].dt.year == 2022)]
    assert row["weapons"] == len(w)
    marked = w["import_marked"].dropna()
    assert row["import_marked_share"] == pytest.approx(marked.mean())
    serial = w["serial_status"][w["serial_status"] != "unknown"].dropna()
    assert row["obliterated_share"] == pytest.approx((serial == "obliterated").mean())
    assert row["craft_share"] == pytest.approx(
        (w["production"] == "craft").sum() / len(w)
    )
    assert out["weapons"].sum() == len(weapons)


def test_marking_by_importing_state_and_year(sample):
    out = iti.marking_compliance(sample, by=["import_country", "import_year"])
    marked = sample.items[sample.items["import_marked"].fillna(False)]
    top = marked.groupby(["import_country", "import_year"]).size()
    got = out.dropna(subset=["import_country"]).set_index(
        ["import_country", "import_year"]
    )["import_marked"]
    assert got[top.index].tolist() == top.tolist()
    with pytest.raises(iti.InvalidParameterError, match="not items columns"):
        iti.marking_compliance(sample, by="colour")


# ----------------------------------------------------------------- notify_exporter


def test_notices_go_to_exporters_of_traced_diversions(sample):
    n = iti.notify_exporter(sample, audience="restricted")
    assert len(n) > 0
    assert (n["exporting_state"] != n["importing_state"]).all()
    assert n["diversion_country"].notna().all()
    chains = iti.trace_chains(sample).set_index("chain_id")
    assert chains.loc[n["chain_id"], "traced"].all()
    one = iti.notify_exporter(sample, audience="restricted", exporting_state="CHN")
    assert set(one["exporting_state"]) == {"CHN"}


def test_shareable_notice_names_no_one_and_hides_serials(tmp_path, sample):
    restricted = iti.notify_exporter(sample, audience="restricted")
    path = tmp_path / "notices.pdf"
    shared = iti.notify_exporter(sample, key="unit-secret", path=path, language="es")
    assert shared["serial"].str.startswith("serial-").all()
    assert shared["last_legal_holder"].isna().all()
    text = pdf_text(path)
    holders = restricted["last_legal_holder"].dropna().unique()
    serials = restricted["serial"].dropna().unique()
    assert len(holders) and len(serials)
    assert not any(h in text for h in holders)
    assert not any(s in text for s in serials)
    assert not any(h in " ".join(shared["notice"]) for h in holders)
    assert "Notificación del desvío de un arma exportada" in text
    assert len(pypdf.PdfReader(str(path)).pages) == len(shared)


def test_shareable_notice_needs_a_key(sample):
    with pytest.raises(iti.InvalidParameterError, match="key"):
        iti.notify_exporter(sample)


def test_reports_do_not_modify_the_dataset(sample):
    before = sample.traces.copy()
    iti.national_report(sample, 2020)
    iti.notify_exporter(sample, audience="restricted")
    pd.testing.assert_frame_equal(sample.traces, before)
    assert np.all(sample.traces.columns == before.columns)


def test_a_manufacturer_answer_notifies_its_state_of_manufacture():
    items = pd.DataFrame(
        {
            "record_id": ["r1"],
            "item_kind": "weapon",
            "category": "pistol",
            "make": "Glock",
            "calibre": "9x19mm",
            "serial": "ABC123",
            "country": "NER",
            "seized_on": "2023-01-05",
            "country_of_manufacture": "AUT",
        }
    )
    tr = pd.DataFrame(
        {
            "trace_id": ["T1"],
            "record_id": ["r1"],
            "requesting_country": "NER",
            "requested_party": ["Glock"],
            "party_type": ["manufacturer"],
            "sent_on": ["2023-02-01"],
            "responded_on": ["2023-03-01"],
            "status": "responded",
            "outcome": ["traced"],
            "last_legal_country": ["MLI"],
            "diversion_country": ["MLI"],
        }
    )
    n = iti.notify_exporter({"items": items, "traces": tr}, audience="restricted")
    assert n[["exporting_state", "importing_state", "serial"]].values.tolist() == [
        ["AUT", "MLI", "ABC123"]
    ]
