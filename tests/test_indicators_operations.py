"""Trace operations: trace_performance, responsiveness, response_curves, overdue."""

from __future__ import annotations

import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.indicators import (
    DataQualityWarning,
    indicator_issues,
    overdue_requests,
    response_curves,
    responsiveness,
    trace_performance,
)
from iti_analytics.schema import conform

D = pd.Timestamp


def make_ds(items=None, traces=None):
    """A duck-typed dataset of conformed canonical tables."""
    return dict(
        items=conform(pd.DataFrame(items), "items"),
        traces=conform(pd.DataFrame(traces), "traces"),
        actors=None,
        movements=None,
    )


@pytest.fixture
def six_requests():
    """Six requests to FRA sent 2024-01-01; as of 2024-03-01 (day 60).

    Answered after 10, 30, 40 and 60 days; open since 25 days (sent later)
    and 60 days. KM: S(10)=5/6, S(30)=5/8, S(40)=5/12, S(60)=5/24.
    """
    return pd.DataFrame(
        {
            "trace_id": [f"t{i}" for i in range(1, 7)],
            "record_id": [f"r{i}" for i in range(1, 7)],
            "requested_party": "FRA",
            "channel": [
                "interpol",
                "interpol",
                "bilateral",
                "bilateral",
                "interpol",
                "bilateral",
            ],
            "sent_on": [
                D("2024-01-01"),
                D("2024-02-05"),
                D("2024-01-01"),
                D("2024-01-01"),
                D("2024-01-01"),
                D("2024-01-01"),
            ],
            "acknowledged_on": [
                D("2024-01-05"),
                None,
                D("2024-01-03"),
                None,
                D("2024-01-20"),
                None,
            ],
            "responded_on": [
                D("2024-01-11"),
                None,
                D("2024-01-31"),
                D("2024-02-10"),
                None,
                D("2024-03-01"),
            ],
            "outcome": [
                "traced",
                None,
                "partially_traced",
                "not_traced",
                "pending",
                "traced",
            ],
        }
    )


def test_km_median_and_p90_hand_computed(six_requests):
    perf = trace_performance(make_ds(traces=six_requests), as_of="2024-03-01")
    row = perf.iloc[0]
    assert row["requests"] == 6
    assert row["answered"] == 4 and row["answered_share"] == pytest.approx(4 / 6)
    assert row["median_days_to_answer"] == 40  # S(40) = 5/12 <= 0.5
    assert pd.isna(row["p90_days_to_answer"])  # S stops at 5/24 > 0.1: not reached
    assert row["estimator"] == "Kaplan–Meier (open requests censored at as_of)"
    assert perf.attrs["estimator"] == row["estimator"]
    assert perf.attrs["as_of"] == "2024-03-01"


def test_censored_requests_are_not_treated_as_answered(six_requests):
    # a naive median over answered requests only would say 35 days
    perf = trace_performance(six_requests, as_of="2024-03-01")
    answered = six_requests.dropna(subset=["responded_on"])
    naive = (answered["responded_on"] - answered["sent_on"]).dt.days.median()
    assert naive == 35
    assert perf.loc[0, "median_days_to_answer"] == 40


def test_acknowledgement_counts_answers_too(six_requests):
    perf = trace_performance(six_requests, as_of="2024-03-01")
    # acknowledged: t1 (4 d), t3 (2 d), t5 (19 d), t4 by its answer (40 d),
    # t6 by its answer (60 d); t2 open 25 days
    assert perf.loc[0, "acknowledged"] == 5
    # S: 2 d 5/6, 4 d 4/6, 19 d 3/6 -> median 19
    assert perf.loc[0, "median_days_to_acknowledge"] == 19


def test_outcome_mix_shares(six_requests):
    perf = trace_performance(six_requests, as_of="2024-03-01")
    assert perf.loc[0, "outcome_traced"] == pytest.approx(2 / 6)
    assert perf.loc[0, "outcome_partially_traced"] == pytest.approx(1 / 6)
    # t2 open with no outcome + t5 "pending"
    assert perf.loc[0, "outcome_pending"] == pytest.approx(2 / 6)
    outcome_cols = [c for c in perf.columns if c.startswith("outcome_")]
    assert perf.loc[0, outcome_cols].sum() == pytest.approx(1.0)


def test_issues_of_traces_keep_their_id_columns(six_requests):
    perf = trace_performance(make_ds(traces=six_requests), as_of="2024-03-01")
    issues = indicator_issues(perf)
    assert issues.empty
    assert {"trace_id", "record_id"} <= set(issues.columns)


def test_as_of_earlier_censors_later_answers(six_requests):
    perf = trace_performance(six_requests, as_of="2024-02-01")
    # t2 not yet sent; t4 and t6 still open at 31 days
    assert perf.loc[0, "requests"] == 5
    assert perf.loc[0, "answered"] == 2
    assert perf.attrs["not_counted"]["sent after as_of"] == 1


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("channel", {"bilateral": 3, "interpol": 3}),
        ("year", {2024: 6}),
        (
            ["requested_party", "channel"],
            {("FRA", "bilateral"): 3, ("FRA", "interpol"): 3},
        ),
    ],
    ids=["channel", "year", "party-channel"],
)
def test_group_by(six_requests, by, expected):
    perf = trace_performance(six_requests, by=by, as_of="2024-03-01")
    keys = [by] if isinstance(by, str) else by
    got = {
        (tuple(r[keys]) if len(keys) > 1 else r[keys[0]]): r["requests"]
        for _, r in perf.iterrows()
    }
    assert got == expected


def test_by_none_gives_one_row(six_requests):
    perf = trace_performance(six_requests, by=None, as_of="2024-03-01")
    assert len(perf) == 1 and perf.loc[0, "requests"] == 6


def test_default_as_of_is_latest_date(six_requests):
    perf = trace_performance(six_requests)
    assert perf.attrs["as_of"] == "2024-03-01"


def test_drafts_and_withdrawn_are_not_requests(six_requests):
    extra = pd.DataFrame(
        {
            "trace_id": ["d1", "w1"],
            "requested_party": "FRA",
            "status": ["draft", "withdrawn"],
            "sent_on": [None, D("2024-01-01")],
        }
    )
    perf = trace_performance(pd.concat([six_requests, extra]), as_of="2024-03-01")
    assert perf.loc[0, "requests"] == 6
    assert perf.attrs["not_counted"]["draft (never sent)"] == 1
    assert perf.attrs["not_counted"]["withdrawn"] == 1


def test_bad_input_is_reported_and_excluded(six_requests):
    bad = pd.DataFrame(
        {
            "trace_id": ["b1", "b2", "b3", "b4"],
            "record_id": ["r1", "ghost", "r3", "r4"],
            "requested_party": "FRA",
            "sent_on": [D("2024-01-20"), D("2024-01-01"), None, D("2024-01-01")],
            "responded_on": [D("2024-01-02"), D("2024-01-05"), D("2024-01-09"), None],
            "status": [None, None, None, "responded"],
        }
    )
    items = pd.DataFrame({"record_id": [f"r{i}" for i in range(1, 7)]})
    ds = make_ds(items=items, traces=pd.concat([six_requests, bad]))
    with pytest.warns(DataQualityWarning, match="data problems in 4 trace requests"):
        perf = trace_performance(ds, as_of="2024-03-01")
    issues = indicator_issues(perf).set_index("trace_id")
    assert issues.loc["b1", "problem"] == "answer dated before the request"
    assert issues.loc["b1", "excluded_from"] == "time to answer and time to acknowledge"
    assert issues.loc["ghost" == issues["record_id"]].index.tolist() == ["b2"]
    assert issues.loc["b3", "problem"] == "no sent_on date"
    assert issues.loc["b4", "problem"].endswith("but no answer date")
    # all four are requests and answered; none enters the time to answer except b2
    assert perf.loc[0, "requests"] == 10
    assert perf.loc[0, "answered"] == 8
    # b2 answered after 4 days joins the curve: S = 6/7 at 4, 6/7*5/6 at 10,
    # then *4/5 at 30 -> 4/7, *3/4 at 40 -> 3/7 <= 0.5
    assert perf.loc[0, "median_days_to_answer"] == 40


def test_results_can_be_concatenated(six_requests):
    bad = six_requests.assign(responded_on=D("2023-01-01"))
    with pytest.warns(DataQualityWarning):
        a = trace_performance(bad, by="channel")
    b = trace_performance(six_requests, by="channel")
    both = pd.concat([a, b], ignore_index=True)
    assert len(both) == 4


def test_unknown_by_column_is_a_clear_error(six_requests):
    with pytest.raises(InvalidParameterError, match="`by` must name columns"):
        trace_performance(six_requests, by="colour")


def test_bad_ds_is_a_clear_error():
    with pytest.raises(InvalidParameterError, match="must be a Dataset"):
        trace_performance(42)


def test_empty_traces_give_empty_table():
    perf = trace_performance(make_ds())
    assert len(perf) == 0
    assert "median_days_to_answer" in perf.columns


def test_does_not_mutate_input(six_requests):
    before = six_requests.copy()
    trace_performance(six_requests)
    overdue_requests(six_requests)
    pd.testing.assert_frame_equal(six_requests, before)


def test_dataset_duck_typing(six_requests):
    dataset = pytest.importorskip("iti_analytics.dataset")
    ds = dataset.Dataset(traces=six_requests)
    perf = trace_performance(ds, as_of="2024-03-01")
    assert perf.loc[0, "median_days_to_answer"] == 40


# ------------------------------------------------------------- response curves


def test_response_curves_start_at_one_and_step(six_requests):
    curves = response_curves(six_requests, as_of="2024-03-01")
    assert curves["days"].iloc[0] == 0 and curves["still_waiting"].iloc[0] == 1
    assert curves.set_index("days").loc[40, "still_waiting"] == pytest.approx(5 / 12)
    ack = response_curves(six_requests, event="acknowledge", as_of="2024-03-01")
    assert ack.set_index("days").loc[19, "still_waiting"] == pytest.approx(0.5)


def test_response_curves_bad_event(six_requests):
    with pytest.raises(InvalidParameterError, match="`event` must be one of"):
        response_curves(six_requests, event="reply")


# --------------------------------------------------------------- responsiveness


def test_responsiveness_table():
    t = pd.DataFrame(
        {
            "requested_party": ["FRA"] * 4 + ["BEL"] * 3 + ["ITA"] * 4 + ["ESP"],
            "sent_on": [D("2024-01-01")] * 12,
            "acknowledged_on": [None] * 4 + [None, D("2024-01-10"), None] + [None] * 5,
            "responded_on": [
                D("2024-01-15"),
                D("2024-02-01"),
                D("2024-02-20"),
                None,
                None,
                None,
                D("2024-06-01"),
                D("2024-02-15"),
                D("2024-03-01"),
                None,
                None,
                D("2024-01-05"),
            ],
        }
    )
    r = responsiveness(t, as_of="2024-07-01").set_index("requested_party")
    assert r.loc["FRA", "answered_within_90_days"] == pytest.approx(0.75)
    assert r.loc["FRA", "rating"] == "responsive" and r.loc["FRA", "rank"] == 1
    assert r.loc["ITA", "answered_within_90_days"] == pytest.approx(0.5)
    assert r.loc["ITA", "rating"] == "slow" and r.loc["ITA", "rank"] == 2
    assert r.loc["BEL", "never_acknowledged"] == 1  # one acknowledged, one answered
    assert r.loc["BEL", "rating"] == "unresponsive" and r.loc["BEL", "rank"] == 3
    assert r.loc["ESP", "rating"] == "too few requests to rate"
    assert pd.isna(r.loc["ESP", "rank"])
    assert "answered 2 of 4 requests; 50% within 90 days" in r.loc["ITA", "summary"]
    # best first
    assert list(r.index[:3]) == ["FRA", "ITA", "BEL"]


def test_responsiveness_too_early_to_rate():
    t = pd.DataFrame({"requested_party": "FRA", "sent_on": [D("2024-06-01")] * 3})
    r = responsiveness(t, as_of="2024-07-01")
    assert r.loc[0, "rating"] == "too early to rate"


# ------------------------------------------------------------------- overdue


def test_overdue_requests_list():
    t = pd.DataFrame(
        {
            "trace_id": [
                "late_ack",
                "late_answer",
                "ok",
                "incomplete",
                "fresh",
                "answered",
            ],
            "record_id": ["a", "b", "c", "d", "e", "f"],
            "requested_party": ["FRA", "BEL", "ITA", "ESP", "FRA", "BEL"],
            "channel": "interpol",
            "sent_on": [
                D("2024-03-16"),
                D("2024-01-01"),
                D("2024-03-01"),
                D("2024-02-01"),
                D("2024-04-20"),
                D("2023-12-01"),
            ],
            "acknowledged_on": [
                None,
                D("2024-01-10"),
                D("2024-03-05"),
                None,
                None,
                None,
            ],
            "responded_on": [None, None, None, D("2024-03-01"), None, D("2024-02-01")],
            "outcome": [None, None, None, "incomplete_request", None, "traced"],
        }
    )
    todo = overdue_requests(t, as_of="2024-04-30")
    assert todo["trace_id"].tolist() == ["incomplete", "late_answer", "late_ack"]
    rows = todo.set_index("trace_id")
    assert rows.loc["late_ack", "overdue"] == "no acknowledgement after 45 days"
    assert rows.loc["late_ack", "days_overdue"] == 15
    assert rows.loc["late_answer", "overdue"] == "no answer after 120 days"
    assert rows.loc["late_answer", "days_overdue"] == 30
    assert rows.loc["incomplete", "overdue"] == "incomplete request to complete"
    assert rows.loc["incomplete", "days_overdue"] == 60  # since the party's answer
    assert rows.loc["late_answer", "action"].startswith("send a reminder to BEL")
    assert list(todo.columns[:6]) == [
        "trace_id",
        "record_id",
        "requested_party",
        "channel",
        "sent_on",
        "days_open",
    ]


def test_overdue_custom_deadlines():
    t = pd.DataFrame(
        {"trace_id": ["x"], "requested_party": "FRA", "sent_on": [D("2024-01-01")]}
    )
    assert overdue_requests(t, as_of="2024-01-20", acknowledge_within=30).empty
    todo = overdue_requests(t, as_of="2024-01-20", acknowledge_within=10)
    assert todo.loc[0, "overdue"] == "no acknowledgement after 19 days"


def test_overdue_reports_undated_requests():
    t = pd.DataFrame(
        {
            "trace_id": ["x", "y"],
            "requested_party": "FRA",
            "sent_on": [None, D("2024-01-01")],
        }
    )
    with pytest.warns(DataQualityWarning, match="no sent_on date"):
        todo = overdue_requests(t, as_of="2024-06-01")
    assert todo["trace_id"].tolist() == ["y"]
    issue = indicator_issues(todo).iloc[0]
    assert issue["trace_id"] == "x"
    assert issue["excluded_from"].startswith("follow-up list")


@pytest.mark.parametrize("value", [-1, "30", None], ids=["negative", "text", "none"])
def test_overdue_bad_deadline(value):
    with pytest.raises(InvalidParameterError, match="acknowledge_within"):
        overdue_requests(pd.DataFrame(), acknowledge_within=value)


def test_bad_as_of():
    with pytest.raises(InvalidParameterError, match="`as_of` must be a date"):
        trace_performance(pd.DataFrame({"sent_on": [D("2024-01-01")]}), as_of="soon")


def test_synthetic_world_counts_add_up():
    samples = pytest.importorskip("iti_analytics.samples")
    if not hasattr(samples, "generate_world"):
        pytest.skip("iti_analytics.samples.generate_world is not available yet")
    ds = samples.generate_world(n_items=1500, seed=5).dataset
    traces = ds.traces
    perf = trace_performance(ds, by=None)
    sent = ~traces["status"].isin(["draft", "withdrawn"]).fillna(False)
    assert perf.loc[0, "requests"] == sent.sum()
    traced = (traces.loc[sent, "outcome"] == "traced").sum()
    assert perf.loc[0, "outcome_traced"] == pytest.approx(traced / sent.sum())
    by_party = trace_performance(ds)
    assert by_party["requests"].sum() == sent.sum()
    # the follow-up list holds only open or incomplete requests
    todo = overdue_requests(ds)
    chased = traces.set_index("trace_id").loc[todo["trace_id"]]
    assert (
        chased["responded_on"].isna() | (chased["outcome"] == "incomplete_request")
    ).all()


def test_dates_after_today_are_typos(six_requests):
    typo = pd.DataFrame(
        {
            "trace_id": ["typo"],
            "requested_party": "FRA",
            "sent_on": [D("2024-01-01")],
            "responded_on": [D("2204-01-01")],
            "status": ["responded"],
        }
    )
    with pytest.warns(DataQualityWarning, match="date after today"):
        perf = trace_performance(pd.concat([six_requests, typo]))
    # the default as_of stays at the last real date; the typo is answered
    # (status) but has no usable date
    assert perf.attrs["as_of"] == "2024-03-01"
    assert perf.loc[0, "answered"] == 5
    assert perf.loc[0, "median_days_to_answer"] == 40
    problems = set(indicator_issues(perf)["problem"])
    assert problems == {
        "date after today (treated as unknown)",
        "answered (status or outcome) but no answer date",
    }
