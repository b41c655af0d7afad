"""Tests of the second synthetic world (``samples.supply_world``)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.samples import World, generate_supply_world
from iti_analytics.samples.supply_world import DIVERSION_KINDS


@pytest.fixture(scope="module")
def world() -> World:
    return generate_supply_world(6000, seed=3)


@pytest.fixture(scope="module")
def truth(world) -> pd.DataFrame:
    return world.truth


@pytest.fixture(scope="module")
def items(world) -> pd.DataFrame:
    return world.dataset.items


def test_same_seed_same_world_other_seed_other_world():
    a = generate_supply_world(800, seed=11)
    b = generate_supply_world(800, seed=11)
    c = generate_supply_world(800, seed=12)
    pd.testing.assert_frame_equal(a.dataset.items, b.dataset.items)
    pd.testing.assert_frame_equal(a.dataset.traces, b.dataset.traces)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert not a.truth["true_serial"].equals(c.truth["true_serial"])


def test_no_seed_draws_one_that_reproduces_the_world():
    a = generate_supply_world(500)
    b = generate_supply_world(500, seed=a.seed)
    pd.testing.assert_frame_equal(a.truth, b.truth)


def test_row_counts_and_truth_aligned_with_items(world, items, truth):
    assert len(items) == 6000
    assert items["record_id"].is_unique
    assert truth["record_id"].equals(items["record_id"])
    # past traces: 3 % of the records by default
    assert len(world.dataset.traces) == 180
    assert world.dataset.traces["record_id"].isin(items["record_id"]).all()


def test_dataset_is_valid_with_nothing_to_report(world):
    from iti_analytics.dataset import Dataset

    ds = world.dataset
    assert ds.issues.empty and ds.rejects.empty
    again = Dataset(**ds.tables())
    pd.testing.assert_frame_equal(again.items, ds.items)
    assert set(ds.movements["record_id"]) <= set(ds.items["record_id"])


def test_truth_has_what_compare_strategies_reads(truth):
    needed = {"record_id", "diversion_point", "reveals_diversion_point"}
    needed |= {"trace_outcome", "network_id", "network_type", "true_weapon_id"}
    assert needed <= set(truth.columns)
    assert str(truth["reveals_diversion_point"].dtype) == "boolean"


def test_every_batch_is_one_make_model_and_year(truth):
    batched = truth.dropna(subset=["batch_id"])
    per_batch = batched.groupby("batch_id")[
        ["true_make", "true_model", "true_year_of_manufacture", "diversion_point"]
    ].nunique(dropna=False)
    assert (per_batch <= 1).all().all()


def test_serials_of_a_batch_are_consecutive_with_small_gaps(truth):
    batched = truth.dropna(subset=["batch_id"]).drop_duplicates("true_weapon_id")
    serial = batched["true_serial"]
    digits = serial.str.extract(r"(\d+)$")[0].astype("int64")
    prefix = serial.str.replace(r"\d+$", "", regex=True)
    assert (prefix.groupby(batched["batch_id"]).nunique() == 1).all()
    frame = pd.DataFrame({"batch": batched["batch_id"], "number": digits})
    frame = frame.sort_values(["batch", "number"])
    gaps = frame.groupby("batch")["number"].diff().dropna()
    assert (gaps >= 1).all()  # no two items share a serial
    assert gaps.median() == 1
    assert gaps.quantile(0.99) <= 12


def test_diversion_point_sizes_are_heavy_tailed(world):
    points = world.diversion_points
    size = points["size"].sort_values(ascending=False)
    assert set(points["kind"]) == set(DIVERSION_KINDS)
    # about half the points leak one item; the top 5 % hold a large share
    assert 0.35 < (size == 1).mean() < 0.7
    top = size.head(max(1, len(size) // 20)).sum() / size.sum()
    assert top > 0.4
    # large points are state stocks, single items mostly private or dealers
    large = points[points["size"] >= 50]["kind"]
    assert (
        large.isin(["stockpile_leak", "embezzlement", "battlefield_capture"]).mean()
        > 0.5
    )
    single = points[points["size"] == 1]["kind"]
    assert single.isin(["civilian_loss", "dealer_theft"]).mean() > 0.6


def test_batches_split_across_receivers_seizures_places_and_years(truth, items):
    recovered = truth["true_status"].isin(["seized", "found", "captured"])
    frame = pd.DataFrame(
        {
            "batch": truth["batch_id"],
            "diverted": truth["diversion_point"].notna(),
            "network": truth["network_id"],
            "seizure": items["seizure_id"],
            "country": items["country"],
            "year": items["seized_on"].dt.year,
        }
    )[recovered & truth["diversion_point"].notna()]
    spread = frame.groupby("batch").nunique()
    big = spread[frame.groupby("batch").size() >= 10]
    assert (big["network"] >= 2).mean() > 0.5
    assert (big["seizure"] >= 3).mean() > 0.8
    assert (big["year"] >= 2).mean() > 0.8
    assert (big["country"] >= 2).any()


def test_statuses_and_what_they_mean(truth, items):
    status = truth["true_status"]
    for expected in ("seized", "found", "captured", "surrendered", "lost", "stolen"):
        assert (status == expected).sum() > 0, expected
    reports = status.isin(["lost", "stolen"])
    # a report is where the item left legal hands: never a trace candidate
    assert truth.loc[reports, "trace_outcome"].isna().all()
    assert not truth.loc[reports, "reveals_diversion_point"].any()
    assert truth.loc[reports, "diversion_point"].notna().all()
    # some reported items were recovered later: same weapon, two records
    seized_weapons = truth.loc[~reports, "true_weapon_id"]
    assert truth.loc[reports, "true_weapon_id"].isin(seized_weapons).mean() > 0.3
    # amnesty guns were not diverted
    amnesty = status == "surrendered"
    assert (items.loc[amnesty, "source"] == "amnesty").all()
    assert not truth.loc[amnesty, "reveals_diversion_point"].any()


def test_service_weapons_have_an_owner_and_no_diversion_point(truth, items):
    service = truth["registered_owner"].notna()
    assert service.mean() == pytest.approx(0.04, abs=0.005)
    assert truth.loc[service, "owner_type"].isin(["police", "armed_forces"]).all()
    assert truth.loc[service, "diversion_point"].isna().all()
    assert not truth.loc[service, "reveals_diversion_point"].any()
    # logged by the police in the country whose force owns them
    owner_country = truth.loc[service, "registered_owner"].str.extract(r"\((\w{3})\)")[
        0
    ]
    assert (owner_country == items.loc[service, "country"]).all()


def test_markings_placeholders_craft_and_converted(truth, items):
    placeholder = truth["serial_error"]
    assert placeholder.mean() == pytest.approx(0.03, abs=0.015)
    assert (
        items.loc[placeholder, "serial"]
        .isin(["0", "000000", "SN", "123456", "1", "00000000"])
        .all()
    )
    assert truth.loc[placeholder, "trace_outcome"].eq("record_not_found").all()
    obliterated = items["serial_status"] == "obliterated"
    assert items.loc[obliterated, "serial"].isna().all()
    assert truth.loc[obliterated, "trace_outcome"].eq("incomplete_request").all()
    craft = items["production"] == "craft"
    assert craft.mean() == pytest.approx(0.05, abs=0.005)
    assert items.loc[craft, "make"].isna().all()
    assert items.loc[craft, "serial_status"].eq("absent").all()
    converted = items["production"] == "converted"
    assert (
        items.loc[converted, "country_of_manufacture"].dropna().eq("TUR").mean() > 0.8
    )


def test_country_of_manufacture_follows_the_make_with_a_few_entry_errors(truth, items):
    made = truth.dropna(subset=["true_make"])
    per_make = made.groupby("true_make")["true_country_of_manufacture"].unique()
    assert set(per_make["Glock"]) == {"AUT"}
    assert set(per_make["Kalashnikov Concern"]) <= {"RUS", "SUN"}
    recorded = items["country_of_manufacture"]
    written = recorded.notna() & truth["true_country_of_manufacture"].notna()
    wrong = recorded[written] != truth.loc[written, "true_country_of_manufacture"]
    assert 0.01 < wrong.mean() < 0.1
    # the wrong ones are the seizing country
    assert (
        recorded[written][wrong] == items.loc[written, "country"][wrong]
    ).mean() > 0.7


def test_reveals_only_for_traced_answers_about_diverted_items(truth):
    reveals = truth["reveals_diversion_point"]
    assert truth.loc[reveals, "trace_outcome"].eq("traced").all()
    assert truth.loc[reveals, "diversion_point"].notna().all()
    assert 0.1 < reveals.mean() < 0.5


def test_past_traces_parties_behave_differently(world, truth, items):
    traces = world.dataset.traces
    # answers agree with the truth model
    answered = traces[traces["status"] == "responded"]
    expected = truth.set_index("record_id").loc[answered["record_id"], "trace_outcome"]
    assert (answered["outcome"].to_numpy() == expected.to_numpy()).all()
    # some foreign parties never answer a request, in the truth
    asked = truth["trace_party"].notna()
    domestic = asked & (truth["trace_party"] == items["country"])
    foreign = truth[asked & ~domestic].groupby("trace_party")["trace_outcome"]
    answers = {"traced", "partially_traced", "refused", "records_unavailable"}
    never = foreign.apply(lambda s: len(s) >= 5 and not s.isin(answers).any())
    assert never.any() and not never.all()
    # a state checking its own registers answers nine times in ten
    pending_at_home = (truth.loc[domestic, "trace_outcome"] == "pending").mean()
    assert pending_at_home == pytest.approx(0.1, abs=0.03)
    # delays are heavy-tailed: the slowest answers take far longer than the median
    days = (traces["responded_on"] - traces["sent_on"]).dt.days.dropna()
    assert days.max() > 4 * days.median()


def test_traced_answers_give_the_truth(world, truth):
    traces = world.dataset.traces
    traced = traces[
        (traces["outcome"] == "traced") & traces["diversion_country"].notna()
    ]
    t = truth.set_index("record_id").loc[traced["record_id"]]
    assert (
        traced["diversion_country"].to_numpy() == t["diversion_country"].to_numpy()
    ).all()
    assert (
        traced["last_legal_holder"].to_numpy() == t["last_legal_holder"].to_numpy()
    ).all()


def test_works_with_compare_strategies(world):
    from iti_analytics.tracing import compare_strategies

    cmp = compare_strategies(world.dataset, [0.1], truth=world.truth, seeds=[0])
    comprehensive = cmp.set_index("strategy").loc["comprehensive"]
    assert comprehensive["diversion_points_revealed"] > 0
    assert set(cmp["strategy"]) >= {"comprehensive", "risk", "random"}


def test_generator_does_not_use_the_tracing_heuristics():
    samples = Path(__file__).parents[1] / "iti_analytics" / "samples"
    files = [samples / "supply_world.py", *sorted((samples / "_supply").glob("*.py"))]
    assert len(files) > 3
    for path in files:
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
        assert not any("tracing" in name for name in imported), path.name


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_items": 10}, "n_items"),
        ({"seed": -1}, "seed"),
        ({"past_trace_share": 0.9}, "past_trace_share"),
        ({"pareto_alpha": 0.1}, "pareto_alpha"),
        ({"start": "2020-01-01", "end": "2020-02-01"}, "period"),
    ],
    ids=["too-few-items", "negative-seed", "share", "alpha", "short-period"],
)
def test_bad_options_say_what_to_pass(kwargs, match):
    kwargs = {"n_items": 500, **kwargs}
    n_items = kwargs.pop("n_items")
    with pytest.raises(InvalidParameterError, match=match):
        generate_supply_world(n_items, **kwargs)


def test_past_trace_share_and_never_answer_share_are_honoured():
    w = generate_supply_world(
        2000, seed=5, past_trace_share=0.05, never_answer_share=0.0
    )
    assert len(w.dataset.traces) == 100
    outcomes = w.truth.dropna(subset=["trace_party"]).groupby("trace_party")[
        "trace_outcome"
    ]
    assert not outcomes.apply(lambda s: (s == "pending").all()).any()
    none = generate_supply_world(2000, seed=5, past_trace_share=0.0)
    assert len(none.dataset.traces) == 0


def test_dates_inside_the_period_for_recoveries(items, truth):
    recovered = ~truth["true_status"].isin(["lost", "stolen"])
    seized = items.loc[recovered, "seized_on"]
    assert seized.min() >= pd.Timestamp("2015-01-01")
    assert seized.max() <= pd.Timestamp("2024-12-31")
    # nothing is recovered before it was diverted
    diverted = truth["diversion_year"].notna() & recovered
    assert (
        items.loc[diverted, "seized_on"].dt.year
        >= truth.loc[diverted, "diversion_year"].astype("int64")
    ).all()
    made = truth["true_year_of_manufacture"].notna() & truth["diversion_year"].notna()
    assert (
        truth.loc[made, "true_year_of_manufacture"] <= truth.loc[made, "diversion_year"]
    ).all()
    assert np.isfinite(items["lat"].dropna().astype(float)).all()
