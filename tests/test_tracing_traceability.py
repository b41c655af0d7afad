"""Traceability: blockers, whom to ask, party history with shrinkage (issue 4)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from iti_analytics.dataset import Dataset
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.tracing import (
    SOFT_FACTORS,
    TRACEABILITY_COLUMNS,
    TracingWarning,
    party_history,
    traceability,
)

AS_OF = "2024-06-30"


def weapon(**fields) -> dict:
    """An intact, recently made Belgian pistol, with fields overridden."""
    base = {
        "record_id": "r",
        "item_kind": "weapon",
        "category": "pistol",
        "calibre": "9x19mm",
        "make": "FN Herstal",
        "country_of_manufacture": "BEL",
        "year_of_manufacture": 2018,
        "serial": "FN123456",
        "serial_status": "intact",
    }
    return {**base, **fields}


def one(**fields) -> pd.Series:
    """Traceability of one item (no traces: pooled default rates)."""
    items = pd.DataFrame([weapon(**fields)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        return traceability(items, as_of=AS_OF).iloc[0]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"serial": None, "serial_status": "absent"}, "serial_absent"),
        ({"serial_status": "obliterated"}, "serial_obliterated"),
        ({"serial": None, "serial_status": None}, "serial_missing"),
        ({"production": "craft"}, "craft"),
        ({"production": "3d_printed"}, "3d_printed"),
        ({"year_of_manufacture": 1940}, "pre_1946"),
        ({"item_kind": "ammunition", "category": None}, "ammunition"),
        ({"item_kind": "part", "category": None}, "part"),
        ({"make": None, "country_of_manufacture": None}, "unknown_origin"),
        ({"duplicate_of": "r0"}, "duplicate_record"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_hard_blockers_make_an_item_untraceable(fields, code):
    row = one(**fields)
    assert not row["traceable"]
    assert row["p_success"] == 0
    assert code in row["blockers"].split(";")
    assert row["blocker_words"]


def test_an_intact_recent_item_is_traceable_with_the_pooled_default_rates():
    row = one()
    assert row["traceable"]
    assert row["blockers"] is pd.NA or row["blockers"] == "party_unknown"
    assert row["p_success"] == pytest.approx(0.25)  # 50 % answer × 50 % traced
    assert (row["ask"], row["ask_type"]) == ("BEL", "state")


@pytest.mark.parametrize(
    ("fields", "code", "factor"),
    [
        (
            {"serial_status": "partial"},
            "serial_partial",
            SOFT_FACTORS["serial_partial"],
        ),
        ({"production": "reactivated"}, "reactivated", SOFT_FACTORS["reactivated"]),
    ],
)
def test_soft_blockers_lower_the_chance(fields, code, factor):
    row = one(**fields)
    assert row["traceable"]
    assert code in row["blockers"]
    assert row["p_success"] == pytest.approx(0.25 * factor)


def test_record_retention_lowers_the_chance_of_old_items():
    old = one(year_of_manufacture=1985, make=None)  # 39 years: beyond 30
    middle = one(year_of_manufacture=2000, make=None)  # 24 years: export records
    assert "beyond_manufacture_retention" in old["blockers"]
    assert old["p_success"] == pytest.approx(
        0.25 * SOFT_FACTORS["beyond_manufacture_retention"]
    )
    assert "beyond_record_retention" in middle["blockers"]
    assert middle["p_success"] == pytest.approx(
        0.25 * SOFT_FACTORS["beyond_record_retention"]
    )


def test_whom_to_ask_importer_successor_state_or_manufacturer():
    imported = one(import_marked=True, import_country="NGA", import_year=2019)
    soviet = one(make=None, country_of_manufacture="SUN", year_of_manufacture=2000)
    maker_only = one(country_of_manufacture=None, make="Norinco")
    assert (imported["ask"], imported["ask_basis"]) == (
        "NGA",
        "import marking (NGA, 2019)",
    )
    # the importer, when recorded, is named: whose records NGA will search
    by_importer = one(import_marked=True, import_country="USA", importer="Century Arms")
    assert by_importer["ask_basis"] == "import marking (USA, Century Arms)"
    # Century Arms also makes rifles (the C15A1 of the Rio files): its name on
    # its own rifle is the maker's mark, so the maker's State is asked
    own = one(
        make="Century Arms",
        country_of_manufacture="USA",
        import_marked=True,
        import_country="USA",
        importer="Century Arms",
    )
    assert own["ask_basis"].startswith("country of manufacture (USA")
    assert soviet["ask"] == "RUS"
    assert soviet["ask_basis"] == "country of manufacture (SUN → RUS)"
    assert (maker_only["ask"], maker_only["ask_type"]) == ("Norinco", "manufacturer")


def history_traces() -> pd.DataFrame:
    """BEL answers 2 of 2 (both traced, 30 and 60 days); RUS 0 of 8."""
    n_rus = 8
    return pd.DataFrame(
        {
            "trace_id": [f"t{i}" for i in range(2 + n_rus)],
            "record_id": [f"x{i}" for i in range(2 + n_rus)],
            "requested_party": ["BEL", "BEL"] + ["RUS"] * n_rus,
            "party_type": "state",
            "sent_on": pd.to_datetime(["2020-01-01"] * (2 + n_rus)),
            "responded_on": pd.to_datetime(
                ["2020-01-31", "2020-03-01"] + [None] * n_rus
            ),
            "status": ["responded", "closed"] + ["no_response"] * n_rus,
            "outcome": ["traced", "traced"] + ["pending"] * n_rus,
        }
    )


def test_party_history_shrinks_few_requests_toward_the_pool():
    h = party_history({"traces": history_traces()}, as_of=AS_OF).set_index(
        "requested_party"
    )
    pooled = 2 / 10  # two answers out of ten matured requests
    assert h.loc["BEL", "answer_rate"] == pytest.approx((2 + 10 * pooled) / (2 + 10))
    assert h.loc["RUS", "answer_rate"] == pytest.approx((0 + 10 * pooled) / (8 + 10))
    assert h.loc["BEL", "median_days"] == pytest.approx(45)
    raw = party_history({"traces": history_traces()}, as_of=AS_OF, prior_strength=0)
    assert raw.set_index("requested_party")["answer_rate"].to_dict() == {
        "BEL": 1.0,
        "RUS": 0.0,
    }


def test_young_open_requests_are_left_out_of_the_rates():
    traces = history_traces()
    traces.loc[2:, "status"] = "sent"
    traces.loc[2:, "sent_on"] = pd.Timestamp("2024-05-01")
    h = party_history({"traces": traces}, as_of=AS_OF, prior_strength=0)
    rus = h.set_index("requested_party").loc["RUS"]
    assert (rus["requests"], rus["mature"]) == (8, 0)


@pytest.mark.parametrize(("never", "expected"), [(0, 1.0), (10, 0.5)])
def test_young_open_requests_count_as_their_chance_of_an_answer(never, expected):
    """Open for 30 days, when every answer comes at day 60 and ``never`` of 20
    requests are never answered: each counts as 1 − S(365) / S(30)."""
    answered = 20 - never
    old = pd.DataFrame(
        {
            "trace_id": [f"a{i}" for i in range(20)],
            "record_id": [f"a{i}" for i in range(20)],
            "requested_party": "BEL",
            "party_type": "state",
            "sent_on": pd.Timestamp("2020-01-01"),
            "responded_on": [pd.Timestamp("2020-03-01")] * answered + [None] * never,
            "status": ["responded"] * answered + ["no_response"] * never,
            "outcome": ["traced"] * answered + ["pending"] * never,
        }
    )
    young = pd.DataFrame(
        {
            "trace_id": [f"y{i}" for i in range(5)],
            "record_id": [f"y{i}" for i in range(5)],
            "requested_party": "RUS",
            "party_type": "state",
            "sent_on": pd.Timestamp(AS_OF) - pd.Timedelta(days=30),
            "status": "sent",
            "outcome": "pending",
        }
    )
    traces = pd.concat([old, young], ignore_index=True)
    h = party_history({"traces": traces}, as_of=AS_OF, prior_strength=0)
    rus = h.set_index("requested_party").loc["RUS"]
    assert (rus["mature"], rus["answered"]) == (0, 0)
    assert rus["answer_rate"] == pytest.approx(expected, abs=0.01)


def test_party_history_drives_p_success_and_expected_days():
    items = pd.DataFrame(
        [
            weapon(record_id="bel"),
            weapon(record_id="rus", make=None, country_of_manufacture="RUS"),
        ]
    )
    ds = Dataset(items=items, traces=history_traces(), validate=False)
    t = traceability(ds, as_of=AS_OF).set_index("record_id")
    assert t.loc["bel", "p_success"] > t.loc["rus", "p_success"]
    assert "party_unresponsive" in t.loc["rus", "blockers"]
    assert "RUS answered 0 of 8 requests" in t.loc["rus", "blocker_words"]
    assert t.loc["bel", "party_answered"] == 2
    assert 30 <= t.loc["bel", "expected_days"] <= 60


def own_and_foreign_checks() -> pd.DataFrame:
    """BRA answers 9 of 10 checks of its own records, 0 of 10 foreign requests."""
    n = 20
    own = np.arange(n) < 10
    return pd.DataFrame(
        {
            "trace_id": [f"t{i}" for i in range(n)],
            "record_id": [f"x{i}" for i in range(n)],
            "requesting_country": np.where(own, "BRA", "PRY"),
            "requested_party": "BRA",
            "party_type": "state",
            "sent_on": pd.to_datetime(["2020-01-01"] * n),
            "responded_on": pd.to_datetime(["2020-02-01"] * 9 + [None] * 11),
            "status": ["responded"] * 9 + ["no_response"] * 11,
            "outcome": ["traced"] * 9 + ["pending"] * 11,
        }
    )


def test_own_record_checks_and_foreign_requests_are_counted_apart():
    h = party_history(
        {"traces": own_and_foreign_checks()}, as_of=AS_OF, prior_strength=0
    )
    h = h.set_index("scope")
    assert h.loc["domestic", "answered"] == 9
    assert h.loc["international", "answered"] == 0
    assert h.loc["international", "answer_rate"] == 0
    items = pd.DataFrame(
        [
            weapon(
                record_id="in_brazil",
                country="BRA",
                make="Taurus",
                country_of_manufacture="BRA",
            ),
            weapon(
                record_id="in_paraguay",
                country="PRY",
                make="Taurus",
                country_of_manufacture="BRA",
            ),
        ]
    )
    ds = Dataset(items=items, traces=own_and_foreign_checks(), validate=False)
    t = traceability(ds, as_of=AS_OF).set_index("record_id")
    # Brazil's answers to its own checks say nothing of its answers to Paraguay
    assert t.loc["in_brazil", "request_kind"] == "domestic_check"
    assert t.loc["in_paraguay", "request_kind"] == "trace_request"
    assert t.loc["in_brazil", "p_success"] > 3 * t.loc["in_paraguay", "p_success"]
    assert "answered 0 of 10 requests" in t.loc["in_paraguay", "blocker_words"]


def test_items_already_requested_are_flagged():
    items = pd.DataFrame([weapon(record_id="a"), weapon(record_id="b")])
    traces = pd.DataFrame(
        {
            "trace_id": ["t1"],
            "record_id": ["a"],
            "requested_party": ["BEL"],
            "sent_on": pd.to_datetime(["2023-01-01"]),
            "status": ["responded"],
            "outcome": ["traced"],
        }
    )
    t = traceability({"items": items, "traces": traces}, as_of=AS_OF)
    assert t["requested"].tolist() == [True, False]
    assert t["request_status"].tolist()[0] == "traced"


def test_columns_index_and_caller_frame_are_kept():
    items = pd.DataFrame([weapon(record_id="a"), weapon(record_id="b")], index=[7, 9])
    before = items.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        t = traceability(items, as_of=AS_OF)
    assert list(t.columns) == TRACEABILITY_COLUMNS
    assert t["record_id"].tolist() == ["a", "b"]
    pd.testing.assert_frame_equal(items, before)


@pytest.mark.filterwarnings("ignore:No trace requests")
def test_no_traces_and_no_serials_are_said():
    items = pd.DataFrame([weapon(serial=None, serial_status=None)])
    with pytest.warns(TracingWarning, match="No weapon in the dataset has a serial"):
        t = traceability(items, as_of=AS_OF)
    assert any("No trace requests" in n for n in t.attrs["notes"])


@pytest.mark.parametrize("bad", [-1, "often", float("nan"), True])
def test_bad_prior_strength_is_refused(bad):
    with pytest.raises(InvalidParameterError, match="prior_strength"):
        party_history({"traces": history_traces()}, prior_strength=bad)


def test_auto_prior_strength_is_a_positive_number():
    rng = np.random.default_rng(0)
    parties = [f"P{i}" for i in range(12)]
    rows = []
    for i, party in enumerate(parties):
        rate = (i + 1) / 13
        for j in range(20):
            answered = rng.random() < rate
            rows.append(
                {
                    "trace_id": f"{party}-{j}",
                    "record_id": f"{party}-{j}",
                    "requested_party": party,
                    "sent_on": pd.Timestamp("2020-01-01"),
                    "status": "responded" if answered else "no_response",
                    "outcome": "traced" if answered else "pending",
                }
            )
    h = party_history(
        {"traces": pd.DataFrame(rows)}, as_of=AS_OF, prior_strength="auto"
    )
    assert 1 <= h.attrs["prior_strength"] <= 500


def test_a_foreign_weapon_without_an_import_mark_has_a_longer_chain():
    base = {"country": "NER", "year_of_manufacture": 2018}
    marked = one(**base, import_marked=True, import_country="NGA", import_year=2019)
    unmarked = one(**base)
    local = one(country="BEL", year_of_manufacture=2018)
    assert "no_import_mark" in unmarked["blockers"]
    assert "no_import_mark" not in str(marked["blockers"])
    assert "no_import_mark" not in str(local["blockers"])
    assert unmarked["p_success"] == pytest.approx(
        marked["p_success"] * SOFT_FACTORS["no_import_mark"], abs=1e-3
    )
    assert "no import marking recorded" in unmarked["blocker_words"]
