"""Selection you can trust (issue 12): status and owner, audit, sanctions, monitor."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.linkage import hit_check
from iti_analytics.tracing import (
    MONITOR_COLUMNS,
    TracingWarning,
    monitor_list,
    plan_tracing,
    sanctions_status,
    selection_value,
    traceability,
)


def rifles(n: int = 6, **fields) -> pd.DataFrame:
    """Lone FN rifles seized in Ghana, each its own seizure."""
    base = {
        "record_id": [f"r{i}" for i in range(n)],
        "seizure_id": [f"S{i}" for i in range(n)],
        "country": "GHA",
        "status": "seized",
        "item_kind": "weapon",
        "category": "rifle",
        "make": "FN Herstal",
        "model": "FAL",
        "country_of_manufacture": "BEL",
        "serial": [f"{1000 + 500 * i}" for i in range(n)],
        "serial_status": "intact",
        "year_of_manufacture": 2015,
        "seized_on": pd.to_datetime([f"2022-0{1 + i % 9}-01" for i in range(n)]),
    }
    base.update(fields)
    return pd.DataFrame(base)


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        return func(*args, **kwargs)


def test_lost_and_stolen_records_are_never_traced_but_hit_checked():
    items = rifles(status=["stolen", "lost", "seized", "seized", "seized", "seized"])
    t = quiet(traceability, items, as_of="2024-01-01")
    assert t["request_kind"].tolist()[:3] == ["hit_check", "hit_check", "trace_request"]
    assert not t["traceable"].iloc[:2].any()
    assert t.loc[0, "blockers"].startswith("reported_lost_stolen")
    plan = quiet(plan_tracing, items, capacity=None)
    assert not set(plan["record_id"]) & {"r0", "r1"}
    # and a stolen weapon is not a case to profile either
    assert not set(quiet(monitor_list, items, top=None)["record_id"]) & {"r0", "r1"}


def test_a_seized_item_matching_a_theft_report_says_so_instead_of_a_trace():
    items = rifles(status=["stolen", "seized", "seized", "seized", "seized", "seized"])
    hits = pd.DataFrame(
        {
            "record_id": ["r1"],
            "register_record_id": ["r0"],
            "confidence": [0.97],
            "reason": ["same make and serial"],
            "reported_by": ["Ghana Police Service"],
            "reported_on": pd.to_datetime(["2021-11-02"]),
        }
    )
    plan = quiet(plan_tracing, items, capacity=None, hits=hits)
    hit = plan[plan["request_kind"] == "hit"]
    assert hit["record_id"].tolist() == ["r1"]
    assert (
        hit["reasons"]
        .item()
        .startswith("Reported stolen by Ghana Police Service on 2021-11-02")
    )
    traces = plan[plan["request_kind"] == "trace_request"]
    assert "r1" not in set(traces["record_id"])
    assert plan.attrs["counts"] == {"trace_request": 4, "domestic_check": 0, "hit": 1}


def test_a_loss_reported_after_the_seizure_leaves_the_trace_standing():
    # the Rio files: rifles seized, then reported lost ("extravio") later
    items = rifles(status=["lost", "seized", "seized", "seized", "seized", "seized"])
    items.loc[0, "seized_on"] = pd.Timestamp("2022-08-01")
    hits = hit_check(items.assign(serial="1000"))  # all one serial: five hits
    later = hits[hits["days_to_recovery"] < 0]
    assert len(later) and set(later["register_record_id"]) == {"r0"}
    plan = quiet(plan_tracing, items, capacity=None, hits=later)
    assert plan.attrs["counts"]["hit"] == 0
    assert set(later["record_id"]) <= set(
        plan.loc[plan["request_kind"] == "trace_request", "record_id"]
    )


def test_surrendered_items_are_left_out_unless_asked():
    items = rifles(status=["surrendered"] * 2 + ["seized"] * 4)
    plan = quiet(plan_tracing, items, capacity=None)
    assert not set(plan["record_id"]) & {"r0", "r1"}
    assert any("ISACS 05.31" in n for n in plan.attrs["notes"])
    kept = quiet(plan_tracing, items, capacity=None, include_surrendered=True)
    assert {"r0", "r1"} <= set(kept["record_id"])


def test_registered_owner_and_own_state_are_domestic_checks_with_their_capacity():
    items = rifles(
        registered_owner=["Polícia Militar", None, None, None, None, None],
        country_of_manufacture=["BEL", "BEL", "BEL", "BEL", "GHA", "GHA"],
        make=["FN Herstal"] * 4 + [None, None],
    )
    t = quiet(traceability, items, as_of="2024-01-01")
    assert (
        t["request_kind"].tolist()
        == ["domestic_check"] + ["trace_request"] * 3 + ["domestic_check"] * 2
    )
    assert t.loc[0, "ask"] == "Polícia Militar"
    assert t.loc[0, "ask_basis"] == "registered owner"
    plan = quiet(plan_tracing, items, capacity=2, domestic_capacity=1)
    kinds = plan["request_kind"].value_counts().to_dict()
    assert kinds == {"trace_request": 2, "domestic_check": 1}
    intl = plan[plan["request_kind"] == "trace_request"]
    assert not intl["ask"].isin(["GHA", "Polícia Militar"]).any()


def test_an_item_on_no_register_is_not_a_domestic_check():
    # Rio's "Não Patrimoniada": owner_type none, nobody to ask at home
    items = rifles(
        n=2,
        owner_type=["none", "police"],
        registered_owner=[None, "Polícia Militar"],
        country_of_manufacture="BEL",
        make="FN Herstal",
    )
    t = quiet(traceability, items, as_of="2024-01-01")
    assert t["request_kind"].tolist() == ["trace_request", "domestic_check"]
    assert t.loc[0, "ask"] != "none"


def test_a_country_that_contradicts_the_make_is_not_asked():
    items = rifles(n=2, make="IMBEL", model="MD97", country_of_manufacture="YEM")
    t = quiet(traceability, items, as_of="2024-01-01")
    assert "YEM" not in set(t["ask"].dropna())
    assert t["blockers"].str.contains("country_contradicts_make").all()


def test_converted_blank_firers_are_a_soft_factor():
    items = rifles(n=2, production=["converted", None])
    t = quiet(traceability, items, as_of="2024-01-01")
    assert t["traceable"].all()
    assert t.loc[0, "p_success"] == pytest.approx(t.loc[1, "p_success"] * 0.3, abs=1e-4)


def test_old_import_records_run_from_the_transfer():
    items = rifles(
        n=2,
        year_of_manufacture=1975,
        import_marked=True,
        import_country="GHA",
        import_year=[2015, 1990],
    )
    t = quiet(traceability, items, as_of="2024-01-01")
    assert "beyond_record_retention" not in str(t.loc[0, "blockers"])
    assert "beyond_record_retention" in str(t.loc[1, "blockers"])


def test_plan_rows_carry_what_a_person_needs_and_since_and_recency():
    items = rifles()
    plan = quiet(plan_tracing, items, capacity=6, since="2022-03-01")
    assert set(plan["seized_on"]) == set(
        items.loc[items["seized_on"] >= "2022-03-01", "seized_on"]
    )
    row = plan.iloc[0]
    assert (row["make"], row["model"], row["country"]) == ("FN Herstal", "FAL", "GHA")
    assert row["serial"] in set(items["serial"])
    # identical items: the latest seizure first
    assert plan["seized_on"].is_monotonic_decreasing
    with pytest.raises(InvalidParameterError, match="since"):
        plan_tracing(items, since="soon")


def test_audit_share_is_random_and_marked():
    items = rifles(n=40)
    plan = quiet(plan_tracing, items, capacity=20, audit=0.25, seed=3)
    intl = plan[plan["request_kind"] == "trace_request"]
    assert intl["audit"].sum() == 5
    assert intl["audit"].iloc[-5:].all()
    assert intl.loc[intl["audit"], "reasons"].str.startswith("Audit:").all()
    with pytest.raises(InvalidParameterError, match="audit"):
        plan_tracing(items, audit=1.5)


def test_diverse_takes_one_item_per_serial_block_first():
    items = rifles(n=6, serial=["1001", "1002", "1003", "1004", "9001", "5001"])
    plan = quiet(plan_tracing, items, capacity=3, strategy="diverse")
    assert len(set(plan["serial"].str[0])) == 3


def test_selection_value_from_audited_answers():
    n = 60
    traces = pd.DataFrame(
        {
            "trace_id": [f"t{i}" for i in range(n)],
            "record_id": [f"r{i}" for i in range(n)],
            "sent_on": pd.Timestamp("2021-01-01"),
            "status": "responded",
            "outcome": ["traced"] * 25
            + ["not_traced"] * 15
            + ["traced"] * 4
            + ["not_traced"] * 16,
            "selection": ["risk"] * 40 + ["audit"] * 20,
        }
    )
    v = selection_value({"traces": traces}, as_of="2023-01-01")
    row = v.iloc[0]
    assert (row["selected_requests"], row["audit_requests"]) == (40, 20)
    assert row["selected_rate"] == pytest.approx(25 / 40)
    assert row["audit_rate"] == pytest.approx(4 / 20)
    assert row["gain"] == pytest.approx((25 / 40) / (4 / 20))
    assert row["gain_low"] < row["gain"] < row["gain_high"]
    assert row["gain_low"] > 1
    none = selection_value({"traces": traces.drop(columns="selection")})
    assert none.loc[0, "audit_requests"] == 0
    assert "audit" in none.attrs["notes"][0]


def test_sanctions_as_written():
    items = pd.DataFrame(
        {
            "country_of_manufacture": ["IRN", "IRN", "PRK", "BEL", "BEL"],
            "country": ["YEM", "IRN", "SOM", "NGA", "SOM"],
            "year_of_manufacture": [2010, 2010, 2012, 2015, 2015],
            "seized_on": pd.to_datetime(
                ["2018-01-01", "2018-01-01", "2019-01-01", "2020-01-01", "2020-01-01"]
            ),
            "actor": [None, None, None, "ISWAP faction", "Al-Shabaab"],
        }
    )
    st = sanctions_status(items)
    # Al-Shabaab's own regime starts in December 2023 (before: Somalia's embargo)
    assert st["sanction"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0]
    assert "S/RES/1747 (2007)" in st.loc[0, "sanction_label"]
    assert "ISIL" in st.loc[3, "sanction_label"]


def test_monitor_list_ranks_untraceable_items_with_an_action():
    items = rifles(
        n=4,
        production=["craft", None, None, None],
        serial_status=["intact", "obliterated", "intact", "intact"],
        setting=["conflict", "crime", "crime", "crime"],
    )
    watch = quiet(monitor_list, items, top=None)
    assert list(watch.columns) == MONITOR_COLUMNS
    assert watch["record_id"].tolist() == ["r0", "r1"]
    assert watch.loc[0, "action"].startswith("profile the workshop")
    assert watch.loc[1, "action"].startswith("send for serial-number restoration")
    assert quiet(monitor_list, items, top=1)["record_id"].tolist() == ["r0"]
    with pytest.raises(InvalidParameterError, match="top"):
        monitor_list(items, top=0)


def test_one_estimator_and_the_plan_is_the_best_shown_at_its_capacity():
    from iti_analytics.briefing._tracing import best_alternative
    from iti_analytics.samples import load_sample
    from iti_analytics.tracing import compare_strategies

    curve = quiet(compare_strategies, load_sample(), capacities=[50], seeds=[0, 1])
    assert curve["estimated"].all()
    assert "every strategy alike" in curve.attrs["success_rule"]
    figures = curve.set_index("strategy")["diversion_points_revealed"]
    assert figures["risk"] >= figures[["diverse", "ease", "random"]].max()
    assert best_alternative(curve, 50) is None
    # when another rule does better, the briefing names it
    worse = curve.copy()
    worse.loc[worse["strategy"] == "ease", "diversion_points_revealed"] = 1e6
    assert best_alternative(worse, 50)[0] == "ease"


def test_a_make_outside_the_reference_is_no_address_for_a_request():
    # "Sporter" in the make column of the Rio files is a Colt and Century model
    # name: with no country of manufacture nobody can be asked; with one, the
    # State is asked; a make of the reference table is asked as a company
    items = rifles(
        3,
        make=["Sporter", "Sporter", "Colt"],
        model=None,
        country_of_manufacture=[None, "USA", None],
    )
    t = quiet(traceability, items, as_of="2024-01-01")
    assert not t.loc[0, "traceable"]
    assert t.loc[0, "blockers"] == "unknown_origin"
    assert (t.loc[1, "ask"], t.loc[1, "ask_type"]) == ("USA", "state")
    assert (t.loc[2, "ask"], t.loc[2, "ask_type"]) == ("Colt", "manufacturer")
