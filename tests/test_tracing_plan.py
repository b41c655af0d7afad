"""The tracing plan and the monitor list (issue 4)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from iti_analytics.dataset import Dataset
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.samples import load_sample
from iti_analytics.schema import LIGHT_WEAPON_CATEGORIES
from iti_analytics.tracing import (
    MONITOR_COLUMNS,
    PLAN_COLUMNS,
    REASON_CODES,
    RiskScorer,
    TracingWarning,
    monitor_list,
    plan_tracing,
    risk_features,
    trace_labels,
    traceability,
)
from iti_analytics.tracing._context import block_rounds
from iti_analytics.tracing.features import _features_and_context


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def candidates(sample):
    t = traceability(sample)
    international = t["request_kind"].eq("trace_request").fillna(False)
    surrendered = sample.items["status"].eq("surrendered").fillna(False)
    return t[t["traceable"] & ~t["requested"] & international & ~surrendered]


def crate_and_singles() -> pd.DataFrame:
    """A crate of ten AKMs with consecutive serials in one conflict seizure, and
    five lone rifles of other makes seized elsewhere."""
    crate = pd.DataFrame(
        {
            "record_id": [f"crate{i}" for i in range(10)],
            "seizure_id": "CACHE-1",
            "country": "MLI",
            "setting": "conflict",
            "make": "Kalashnikov Concern",
            "model": "AKM",
            "country_of_manufacture": "RUS",
            "serial": [f"KA{1000 + i}" for i in range(10)],
            "actor": "Katiba X",
            "actor_type": "armed_group",
        }
    )
    singles = pd.DataFrame(
        {
            "record_id": [f"single{i}" for i in range(5)],
            "seizure_id": [f"S{i}" for i in range(5)],
            "country": "GHA",
            "setting": "crime",
            "make": ["Zastava Arms", "Arsenal", "FN Herstal", "Beretta", "Norinco"],
            "country_of_manufacture": ["SRB", "BGR", "BEL", "ITA", "CHN"],
            "serial": [f"Z{i}{i}{i}{i}" for i in range(5)],
        }
    )
    items = pd.concat([crate, singles], ignore_index=True)
    items["item_kind"] = "weapon"
    items["category"] = "assault_rifle"
    items["serial_status"] = "intact"
    items["year_of_manufacture"] = 2015
    items["seized_on"] = pd.Timestamp("2022-05-01")
    return items


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        return func(*args, **kwargs)


def test_plan_columns_ranks_and_reasons(sample):
    plan = plan_tracing(sample, capacity=12, domestic_capacity=0)
    assert list(plan.columns) == PLAN_COLUMNS
    assert PLAN_COLUMNS[:7] == [
        "rank",
        "record_id",
        "score",
        "p_success",
        "reasons",
        "cluster",
        "ask",
    ]
    assert plan["rank"].tolist() == list(range(1, 13))
    assert plan["score"].is_monotonic_decreasing
    assert plan["p_success"].gt(0).all()
    assert plan["reasons"].str.contains("Trace: ask ").all()
    assert plan["reasons"].str.startswith("Risk ").all()


def test_plan_rows_carry_the_importer_when_the_maker_is_unknown():
    # Rio de Janeiro writes "CENTURY ARMS" in the make column of imported
    # Kalashnikov-pattern rifles: the maker is unknown, the import mark is the
    # one name the trace desk can quote (ITI para 8(b))
    items = crate_and_singles()
    items.loc[0, ["make", "model"]] = [None, None]
    items.loc[0, ["importer", "import_country", "import_marked"]] = [
        "Century Arms",
        "USA",
        True,
    ]
    plan = quiet(plan_tracing, Dataset(items=items), capacity=15, domestic_capacity=0)
    row = plan.set_index("record_id").loc["crate0"]
    assert row["importer"] == "Century Arms" and pd.isna(row["make"])
    assert row["ask"] == "USA"
    assert plan.set_index("record_id").loc["single0", "make"] == "Zastava Arms"
    assert PLAN_COLUMNS[-1] == "importer"  # new columns go at the end


def answered_history(parties) -> pd.DataFrame:
    """Five answered, traced requests to each party (long ago)."""
    parties = list(parties) * 5
    return pd.DataFrame(
        {
            "trace_id": [f"t{i}" for i in range(len(parties))],
            "record_id": [f"old{i}" for i in range(len(parties))],
            "requested_party": parties,
            "party_type": "state",
            "sent_on": pd.Timestamp("2020-01-01"),
            "responded_on": pd.Timestamp("2020-03-01"),
            "status": "responded",
            "outcome": "traced",
        }
    )


def test_risk_does_not_spend_ten_traces_on_one_crate():
    items = crate_and_singles()
    # parties that answer: one trace of the crate is enough
    history = answered_history(["RUS", "SRB", "BGR", "BEL", "ITA", "CHN"])
    plan = quiet(plan_tracing, {"items": items, "traces": history}, capacity=5)
    assert plan["record_id"].str.startswith("crate").sum() == 1
    assert plan.loc[plan["record_id"].str.startswith("crate"), "cluster"].item() == (
        "B0001"
    )
    assert plan["reasons"].iloc[0].endswith("First trace for B0001.")
    # no history (a trace succeeds one time in four): a few more tries, never ten
    plan = quiet(plan_tracing, items, capacity=10)
    assert plan["record_id"].str.startswith("crate").sum() < 10
    assert plan["record_id"].str.startswith("single").sum() == 5
    off = dict.fromkeys(
        ["batch", "import_mark", "seizure", "profile", "actor", "serial_block"], 0.0
    )
    no_discount = quiet(plan_tracing, items, capacity=10, discounts=off)
    assert no_discount["record_id"].str.startswith("crate").sum() == 10


def three_pistols_of_one_shipment_and_an_old_rifle() -> pd.DataFrame:
    """Three consecutive serials of one make, model and year in three seizures,
    and one old rifle (1975: its records may be gone, so a lower p_success)."""
    items = pd.DataFrame(
        {
            "record_id": ["a1", "a2", "a3", "old"],
            "seizure_id": ["S1", "S2", "S3", "S4"],
            "country": "GHA",
            "setting": "crime",
            "make": ["Beretta"] * 3 + ["Zastava Arms"],
            "model": ["92FS"] * 3 + ["M70"],
            "country_of_manufacture": ["ITA"] * 3 + ["SRB"],
            "serial": ["P5001", "P5002", "P5003", "Z1234"],
            "year_of_manufacture": [2015, 2015, 2015, 1975],
            "category": ["pistol"] * 3 + ["assault_rifle"],
        }
    )
    items["item_kind"] = "weapon"
    items["serial_status"] = "intact"
    items["seized_on"] = pd.Timestamp("2022-05-01")
    return items


def test_risk_takes_one_item_per_serial_block_per_round():
    items = three_pistols_of_one_shipment_and_an_old_rifle()
    plan = quiet(plan_tracing, items, capacity=4)
    # the old rifle is less likely to be traced than any pistol, but a second
    # pistol of the shipment would most likely reveal the same point
    assert plan["record_id"].tolist() == ["a1", "old", "a2", "a3"]
    assert plan.loc[1, "p_success"] < plan.loc[2, "score"] < plan.loc[0, "score"]
    # two rounds: the score rises where the second round starts
    assert plan.loc[2, "score"] > plan.loc[1, "score"]
    # at capacity 2 the plan asks about the shipment once
    two = quiet(plan_tracing, items, capacity=2)
    assert two["record_id"].tolist() == ["a1", "old"]
    # without the serial-block discount the rounds are off too
    off = quiet(plan_tracing, items, capacity=2, discounts={"serial_block": 0})
    assert off["record_id"].tolist() == ["a1", "a2"]


def test_block_rounds_keeps_the_order_within_a_round():
    order = np.array([5, 4, 3, 2, 1, 0])
    block = np.array([2, 1, -1, 1, 0, 0])  # block of item 0, 1, ..., 5
    # 5, 3 and 0 lead blocks 0, 1 and 2; item 2 has no block (one of its own);
    # 4 and 1 are second items of blocks 0 and 1
    assert block_rounds(order, block).tolist() == [5, 3, 2, 0, 4, 1]
    assert block_rounds(order, None).tolist() == order.tolist()


def test_capacity_as_a_share_of_traceable_items(sample, candidates):
    plan = plan_tracing(sample, capacity=0.1, domestic_capacity=0)
    assert len(plan) == round(0.1 * len(candidates))
    assert set(plan["record_id"]) <= set(candidates["record_id"])


@pytest.mark.parametrize(
    ("capacity", "match"),
    [
        (0, "more than 0"),
        (-5, "more than 0"),
        (2.5, "must be whole"),
        ("ten", "number of traces"),
        (True, "number of traces"),
    ],
)
def test_bad_capacity_is_refused(sample, capacity, match):
    with pytest.raises(InvalidParameterError, match=match):
        plan_tracing(sample, capacity=capacity)


def test_capacity_above_the_traceable_items_gives_them_all(sample, candidates):
    with pytest.warns(TracingWarning, match="the plan lists them all"):
        plan = plan_tracing(sample, capacity=10**6, domestic_capacity=0)
    assert len(plan) == len(candidates)
    everything = plan_tracing(sample, capacity=None, domestic_capacity=0)
    assert len(everything) == len(candidates)


def test_capacity_in_analyst_days(sample):
    cost = {"state": 2.0, "manufacturer": 1.0}
    plan = plan_tracing(sample, capacity=30, capacity_unit="days", cost=cost)
    assert plan["cumulative_cost"].iloc[-1] <= 30
    expected = plan["ask_type"].map(cost).tolist()
    assert plan["cost"].tolist() == expected
    with pytest.raises(InvalidParameterError, match="capacity_unit"):
        plan_tracing(sample, capacity=30, capacity_unit="hours")


def test_strategies(sample, candidates):
    ease = plan_tracing(sample, capacity=20, strategy="ease", domestic_capacity=0)
    assert ease["p_success"].is_monotonic_decreasing
    assert ease["p_success"].iloc[0] == candidates["p_success"].max()
    r0 = plan_tracing(sample, capacity=20, strategy="random", seed=0)
    r0b = plan_tracing(sample, capacity=20, strategy="random", seed=0)
    r1 = plan_tracing(sample, capacity=20, strategy="random", seed=1)
    assert r0["record_id"].tolist() == r0b["record_id"].tolist()
    assert r0["record_id"].tolist() != r1["record_id"].tolist()
    everything = plan_tracing(
        sample, capacity=20, strategy="comprehensive", domestic_capacity=0
    )
    assert len(everything) == len(candidates)
    with pytest.raises(InvalidParameterError, match="must be one of"):
        plan_tracing(sample, strategy="cheapest")


def test_items_already_requested_are_left_out_unless_asked(sample, candidates):
    plan = plan_tracing(sample, capacity=None)
    sent = sample.traces[~sample.traces["status"].isin(["draft", "withdrawn"])]
    assert not set(plan["record_id"]) & set(sent["record_id"])
    assert any("already have a trace request" in n for n in plan.attrs["notes"])
    with_requested = plan_tracing(sample, capacity=None, include_requested=True)
    assert len(with_requested) > len(plan)


def test_duck_typed_inputs_give_the_same_plan(sample):
    mapping = {"items": sample.items, "traces": sample.traces}
    a = plan_tracing(sample, capacity=10)
    b = plan_tracing(mapping, capacity=10)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(InvalidParameterError, match="must be a Dataset"):
        plan_tracing([1, 2, 3])


@pytest.mark.parametrize(
    ("change", "note"),
    [
        ({"traces": None}, "No trace outcomes to learn from"),
        ({"serial": None}, "No weapon in the dataset has a serial"),
        ({"country": "NER"}, "All items come from one country"),
    ],
    ids=["no traces", "no serials", "one country"],
)
def test_bad_input_still_gives_a_plan_and_says_why(sample, change, note):
    items = sample.items.copy()
    traces = sample.traces
    for column, value in change.items():
        if column == "traces":
            traces = None
        else:
            items[column] = value
    ds = Dataset(items=items, traces=traces, validate=False)
    with pytest.warns(TracingWarning):
        plan = plan_tracing(ds, capacity=10, domestic_capacity=0)
    assert isinstance(plan, pd.DataFrame)
    assert any(note in n for n in plan.attrs["notes"])
    if "serial" in change:
        assert plan.empty
    else:
        assert len(plan) == 10


def test_monitor_list_holds_high_risk_untraceable_items(sample):
    watch = monitor_list(sample, top=20)
    assert list(watch.columns) == MONITOR_COLUMNS
    assert len(watch) == 20
    assert watch["risk"].is_monotonic_decreasing
    t = traceability(sample).set_index("record_id")
    assert not t.loc[watch["record_id"], "traceable"].any()
    assert watch["action"].notna().all()
    craft = watch[watch["blockers"].str.contains("craft", na=False)]
    assert craft["action"].str.contains("profile the workshop").all()
    high = monitor_list(sample, top=None, min_risk=0.9)
    assert (high["risk"] >= 0.9).all()
    with pytest.raises(InvalidParameterError, match="`top`"):
        monitor_list(sample, top=0)


def test_empty_dataset():
    plan = quiet(plan_tracing, Dataset(), capacity=5)
    assert plan.empty and list(plan.columns) == PLAN_COLUMNS
    assert quiet(monitor_list, Dataset()).empty


def test_caller_tables_are_not_modified(sample):
    before = sample.items.copy()
    plan_tracing(sample, capacity=5)
    pd.testing.assert_frame_equal(sample.items, before)
    assert np.all(sample.items.index == before.index)


# -- reasons name only what the item has (regressions) --------------------------

#: the features behind each reason code.
CODE_FEATURES = {
    "actor_seen_elsewhere": ["actor_other_seizures"],
    "batch_seen_elsewhere": ["batch_other_seizures", "batch_other_countries"],
    "large_seizure": ["seizure_items"],
}


@pytest.fixture(scope="module")
def by_record(sample):
    rid = sample.items["record_id"].astype("string")
    items = sample.items.set_axis(rid)
    return items, risk_features(sample).set_axis(rid)


@pytest.fixture(scope="module")
def full_plan(sample):
    return plan_tracing(sample, capacity=None, include_requested=True)


def risk_part(plan: pd.DataFrame) -> pd.Series:
    """The risk reasons of the plan's text (before whom to ask)."""
    return plan["reasons"].str.split(r"\. Trace:", regex=True).str[0]


def test_no_light_weapon_or_military_pattern_reason_the_item_lacks(
    full_plan, by_record
):
    items, features = by_record
    rid = full_plan["record_id"].astype("string")
    words = risk_part(full_plan)
    light = items.loc[rid, "category"].isin(LIGHT_WEAPON_CATEGORIES).to_numpy()
    says_light = words.str.contains("light weapon").to_numpy(dtype=bool)
    assert says_light.any()  # the check has something to check
    assert not (says_light & ~light).any()
    military = features.loc[rid, "military_pattern"].to_numpy() == 1
    says_military = words.str.contains("military-pattern").to_numpy(dtype=bool)
    assert says_military.any()
    assert not (says_military & ~military).any()


def test_every_reason_code_is_a_signal_the_item_has(full_plan, by_record):
    _, features = by_record
    rows = features.loc[full_plan["record_id"].astype("string")]
    codes = full_plan["reason_codes"].str.split(";")
    assert codes.str.len().le(3).all()
    for k, (row, found) in enumerate(zip(rows.itertuples(), codes, strict=True)):
        for code in filter(None, found):
            assert code in REASON_CODES
            assert any(
                getattr(row, f) > (1 if f == "seizure_items" else 0)
                for f in CODE_FEATURES.get(code, [code])
            ), (full_plan["record_id"].iloc[k], code)


def test_the_revolver_of_the_bug_report(full_plan):
    # POL-001308, a Smith & Wesson Model 10 revolver recovered from an armed
    # group in a conflict area: neither a light weapon nor military-pattern
    row = full_plan.set_index("record_id").loc["POL-001308"]
    assert "light weapon" not in row["reasons"]
    assert "military-pattern" not in row["reasons"]
    assert row["reason_codes"].startswith("conflict_area;armed_group")


def fitted_like_the_plan(ds) -> tuple[RiskScorer, pd.DataFrame, pd.DataFrame]:
    t = traceability(ds)
    features, context = _features_and_context(ds)
    labels = trace_labels(ds, as_of=t.attrs["as_of"])
    known = labels.notna().to_numpy() & t["traceable"].to_numpy(dtype=bool)
    scorer = RiskScorer().fit(features[known], labels[known].astype(int))
    return scorer, features, context


def test_plan_and_explain_give_the_same_reasons(sample):
    scorer, features, context = fitted_like_the_plan(sample)
    assert scorer.n_labels_ >= 20  # the sample's answers are learned from
    plan = plan_tracing(sample, capacity=40, scorer=scorer)
    where = pd.Index(sample.items["record_id"]).get_indexer(plan["record_id"])
    rows = features.iloc[where]
    words = scorer.explain(rows, context=context.iloc[where])
    assert (
        risk_part(plan).to_numpy()
        == ("Risk " + plan["risk"].map("{:.2f}".format) + ": " + words.to_numpy())
    ).all()
    assert plan["reason_codes"].tolist() == (
        scorer.reasons(rows)["reason_codes"].tolist()
    )
    # the default plan fits the same scorer
    default = plan_tracing(sample, capacity=40)
    pd.testing.assert_frame_equal(default, plan)


def test_learned_scorer_keeps_conflict_and_armed_group_signals(sample, full_plan):
    scorer, features, _ = fitted_like_the_plan(sample)
    contributions = scorer.contributions(features)
    for name in ("conflict_area", "armed_group"):
        has = features[name].to_numpy() > 0
        assert (contributions.loc[has, name] > 0).all()
        assert (contributions.loc[~has, name] == 0).all()
    both = (features["conflict_area"] > 0) & (features["armed_group"] > 0)
    rid = sample.items.loc[both, "record_id"]
    codes = full_plan.set_index("record_id")["reason_codes"].reindex(rid).dropna()
    assert len(codes) > 20
    # among the three strongest signals of such an item: the conflict area
    # always, the armed group nearly always (a batch seen elsewhere can outrank)
    assert codes.str.contains("conflict_area").all()
    named = codes.str.contains("conflict_area") & codes.str.contains("armed_group")
    assert named.mean() > 0.8


def test_monitor_list_reasons_name_only_what_the_item_has(sample, by_record):
    items, features = by_record
    watch = monitor_list(sample, top=None)
    rid = watch["record_id"].astype("string")
    light = items.loc[rid, "category"].isin(LIGHT_WEAPON_CATEGORIES).to_numpy()
    assert not (watch["reasons"].str.contains("light weapon").to_numpy() & ~light).any()
    military = features.loc[rid, "military_pattern"].to_numpy() == 1
    says = watch["reasons"].str.contains("military-pattern").to_numpy(dtype=bool)
    assert not (says & ~military).any()


def test_risk_orders_requests_of_equal_promise():
    """Same chance of success, no shared group: the higher risk goes first."""
    items = pd.DataFrame(
        {
            "record_id": ["crime", "conflict"],
            "status": "seized",
            "seized_on": pd.to_datetime(["2024-01-02", "2024-01-01"]),
            "country": "NER",
            "setting": ["crime", "conflict"],
            "item_kind": "weapon",
            "category": "assault_rifle",
            "calibre": "7.62x39mm",
            "make": ["Norinco", "Arsenal"],
            "model": ["Type 56", "AR-M1"],
            "country_of_manufacture": ["CHN", "BGR"],
            "year_of_manufacture": 2005,
            "serial": ["11111", "22222"],
            "serial_status": "intact",
        }
    )
    plan = quiet(plan_tracing, items, capacity=2, hits=None, supply_line_weight=0.0)
    assert plan["p_success"].nunique() == 1
    assert plan["risk"].iloc[0] > plan["risk"].iloc[1]
    assert plan["record_id"].tolist() == ["conflict", "crime"]
