"""Requests that would be incomplete: flagged, less likely to succeed, planned last."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics.requests import REQUIRED_ELEMENTS as REQUEST_ELEMENTS
from iti_analytics.tracing import (
    INCOMPLETE_CODES,
    SOFT_FACTORS,
    TracingWarning,
    plan_tracing,
    traceability,
)
from iti_analytics.tracing.completeness import (
    ITEM_ELEMENTS,
    REQUIRED_ELEMENTS,
    fill_from_model,
    missing_item_elements,
)

AS_OF = "2024-06-30"


def pistol(record_id: str, **fields) -> dict:
    """A complete, recent Belgian pistol record, with fields overridden."""
    base = {
        "record_id": record_id,
        "status": "seized",
        "seized_on": "2024-01-10",
        "country": "NER",
        "item_kind": "weapon",
        "category": "pistol",
        "calibre": "9x19mm",
        "make": "FN Herstal",
        "model": "Hi-Power",
        "country_of_manufacture": "BEL",
        "import_marked": True,
        "import_country": "NGA",
        "import_year": 2019,
        "year_of_manufacture": 2018,
        "serial": f"FN{record_id}",
        "serial_status": "intact",
    }
    return {**base, **fields}


def trace(rows: list[dict]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        return traceability(pd.DataFrame(rows), as_of=AS_OF)


def test_one_list_of_required_elements_for_both_stages():
    assert REQUEST_ELEMENTS is REQUIRED_ELEMENTS
    assert set(ITEM_ELEMENTS) <= set(REQUIRED_ELEMENTS)
    assert set(INCOMPLETE_CODES) <= set(ITEM_ELEMENTS)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"calibre": None, "model": None}, "calibre_missing"),
        ({"category": None, "model": None}, "type_missing"),
        (
            {
                "make": None,
                "country_of_manufacture": None,
                "import_marked": True,
                "import_country": "NGA",
            },
            "manufacture_marks_missing",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_an_incomplete_record_halves_the_chance_and_says_why(fields, code):
    t = trace([pistol("1"), pistol("2", **fields)])
    assert "_missing" not in t.loc[0, "blockers"]
    assert code in t.loc[1, "blockers"].split(";")
    assert t.loc[1, "traceable"]
    assert t.loc[1, "p_success"] == pytest.approx(
        t.loc[0, "p_success"] * SOFT_FACTORS[code], abs=1e-3
    )
    assert "the request would be incomplete" in t.loc[1, "blocker_words"]


def test_the_calibre_words_say_what_is_missing():
    t = trace([pistol("1", calibre=None, model=None)])
    assert (
        "calibre missing: the request would be incomplete"
        in (t.loc[0, "blocker_words"])
    )


def test_a_calibre_every_record_of_the_model_agrees_on_is_not_missing():
    t = trace([pistol("1"), pistol("2"), pistol("3", calibre=None)])
    assert "calibre_missing" not in str(t.loc[2, "blockers"])
    # records of the model disagree: nothing to fill in
    t = trace([pistol("1"), pistol("2", calibre=".40 S&W"), pistol("3", calibre=None)])
    assert "calibre_missing" in t.loc[2, "blockers"]


def test_an_untraceable_item_gets_no_completeness_code():
    t = trace([pistol("1", calibre=None, model=None, serial_status="obliterated")])
    assert not t.loc[0, "traceable"]
    assert "calibre_missing" not in t.loc[0, "blockers"]


def test_fill_from_model_matches_make_and_model_or_model_alone():
    items = pd.DataFrame(
        {
            "make": ["FN Herstal", "FN Herstal", None, "FN Herstal", "Glock"],
            "model": ["FAL", "FAL", "FAL", "FAL", "FAL"],
            "calibre": ["7.62x51mm", "7.62x51mm", None, None, None],
        }
    )
    filled, n = fill_from_model(items, "calibre")
    # Glock has no FAL with a calibre: not filled; a FAL without make takes the
    # model's agreed calibre
    assert filled.tolist() == ["7.62x51mm"] * 4 + [pd.NA]
    assert n.tolist() == [0, 0, 2, 2, 0]


def test_missing_item_elements_reads_a_request_table_the_same_way():
    items = pd.DataFrame(
        [pistol("1"), pistol("2", calibre=" ", serial_status="absent")]
    )
    missing = missing_item_elements(items)
    assert list(missing) == list(ITEM_ELEMENTS)
    assert missing["calibre"].tolist() == [False, True]
    assert missing["serial"].tolist() == [False, True]


def test_traceability_flags_what_trace_request_finds_missing():
    rows = [
        pistol("1"),
        pistol("2", calibre=None, model=None),
        pistol("3", category=None, model=None),
        pistol("4", calibre=None),  # filled from records 1 and 5
        pistol("5"),
    ]
    ds = iti.as_dataset(pd.DataFrame(rows))
    t = trace(rows)
    req = iti.trace_request(ds, [r["record_id"] for r in rows], requesting_state="NER")
    flagged = t["blockers"].fillna("").str.contains("_missing").tolist()
    assert flagged == (~req["complete"].astype(bool)).tolist()
    assert req["missing"].tolist() == ["", "calibre", "type", "", ""]


def test_the_plan_prefers_the_request_that_can_be_complete():
    # two complete Berettas far apart in serials (two shipments: the plan
    # takes one item per block of nearby serials per round)
    rows = [pistol("1", calibre=None, model=None, serial="FN1")] + [
        pistol(
            str(k),
            make="Beretta",
            model="92",
            country_of_manufacture="ITA",
            serial=f"BE{k}000",
        )
        for k in range(2, 4)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        plan = plan_tracing(pd.DataFrame(rows), capacity=2, as_of=AS_OF, hits=None)
    assert "1" not in plan["record_id"].tolist()


def test_every_request_of_the_sample_plan_is_complete():
    """Issue 13 done-when, from the tracing side: 50 of 50, none incomplete."""
    ds = iti.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = plan_tracing(ds, capacity=50, domestic_capacity=0)
        req = iti.trace_request(ds, plan, requesting_state="NGA", on="2024-06-01")
    assert len(req) == 50
    assert req["complete"].all()
