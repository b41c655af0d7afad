"""The price of selection, and the capacity curve (issue 4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.plotting.tracing import plot_capacity_curve
from iti_analytics.samples import load_sample_world
from iti_analytics.tracing import COMPARE_COLUMNS, compare_strategies


@pytest.fixture(scope="module")
def world():
    return load_sample_world()


@pytest.fixture(scope="module")
def comparison(world):
    return compare_strategies(
        world.dataset, capacities=[0.1, 0.25], truth=world.truth, seeds=[0, 1, 2]
    )


def test_one_row_per_strategy_and_capacity(comparison):
    assert list(comparison.columns) == COMPARE_COLUMNS
    assert comparison[["strategy", "capacity"]].values.tolist() == [
        ["comprehensive", 0.1],
        ["comprehensive", 0.25],
        ["risk", 0.1],
        ["risk", 0.25],
        ["diverse", 0.1],
        ["diverse", 0.25],
        ["ease", 0.1],
        ["ease", 0.25],
        ["random", 0.1],
        ["random", 0.25],
    ]
    assert not comparison["estimated"].any()


def test_figures_against_the_truth(world, comparison):
    c = comparison.set_index(["strategy", "capacity"])
    n = comparison.attrs["traceable"]
    assert c.loc[("comprehensive", 0.1), "traces"] == n
    assert c.loc[("risk", 0.1), "traces"] == round(0.1 * n)
    assert c.loc[("comprehensive", 0.25), "share_of_comprehensive"] == 1.0
    # comprehensive reveals every diversion point a successful trace can reveal
    truth = world.truth.set_index("record_id")
    assert (
        c.loc[("comprehensive", 0.1), "diversion_points_revealed"]
        <= truth.loc[
            truth["reveals_diversion_point"].fillna(False).astype(bool),
            "diversion_point",
        ].nunique()
    )
    for cap in (0.1, 0.25):
        assert (
            c.loc[("risk", cap), "diversion_points_revealed"]
            > c.loc[("random", cap), "diversion_points_revealed"]
        )
        assert (
            c.loc[("risk", cap), "supply_lines_revealed"]
            <= c.loc[("comprehensive", cap), "supply_lines_revealed"]
        )
    assert (
        c.loc[("risk", 0.25), "share_of_comprehensive"]
        > c.loc[("risk", 0.1), "share_of_comprehensive"]
    )
    assert "reveals_diversion_point" in comparison.attrs["success_rule"]


def test_without_truth_the_figures_are_estimated(world):
    est = compare_strategies(
        world.dataset, capacities=[0.1], strategies=["risk", "random"], seeds=[0]
    )
    assert est["estimated"].all()
    assert (est["diversion_points_revealed"] > 0).all()
    assert est.attrs["success_rule"].startswith("estimated")


def test_truth_without_outcomes_counts_every_planned_item(world):
    bare = world.truth[["record_id", "diversion_point"]]
    cmp = compare_strategies(
        world.dataset,
        capacities=[0.1],
        truth=bare,
        strategies=["comprehensive", "risk"],
    )
    assert "optimistic" in cmp.attrs["success_rule"]
    assert cmp["supply_lines_revealed"].eq(0).all()


def test_bad_arguments(world):
    with pytest.raises(InvalidParameterError, match="`truth` must be a DataFrame"):
        compare_strategies(
            world.dataset, capacities=[0.1], truth=pd.DataFrame({"x": [1]})
        )
    with pytest.raises(InvalidParameterError, match="must be one of"):
        compare_strategies(world.dataset, capacities=[0.1], strategies=["cheapest"])
    with pytest.raises(InvalidParameterError, match="at least one capacity"):
        compare_strategies(world.dataset, capacities=[])


def test_capacity_curve_draws_one_line_per_strategy(comparison):
    fig, ax = plt.subplots()
    out = plot_capacity_curve(comparison, ax=ax)
    assert out is ax
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == [
        "comprehensive (everything)",
        "risk-based (selective)",
        "one per make, model, year and serial block",
        "easiest first",
        "random",
    ]
    risk = comparison[comparison["strategy"] == "risk"]
    assert (
        ax.get_lines()[1].get_ydata().tolist()
        == risk["share_of_comprehensive"].tolist()
    )
    assert ax.get_lines()[0].get_ydata().tolist() == [1.0, 1.0]
    assert ax.get_ylabel() == "share of what comprehensive tracing reveals"
    assert ax.get_title().startswith("Diversion points revealed")


def test_capacity_curve_zooms_when_selection_is_far_below_comprehensive():
    # 400 requests against thousands of traceable items (the Rio files): the
    # selective curves stay under 8 %; drawn under a line at 100 % they would
    # lie flat on the axis, so the axis zooms and the level is written instead.
    table = pd.DataFrame(
        {
            "strategy": ["comprehensive"] * 3 + ["risk"] * 3 + ["random"] * 3,
            "capacity": [50, 200, 400] * 3,
            "share_of_comprehensive": [1, 1, 1, 0.01, 0.04, 0.075, 0.008, 0.03, 0.06],
        }
    )
    fig, ax = plt.subplots()
    plot_capacity_curve(table, ax=ax, words={"above": "{name} : {value:.0%}"})
    assert [line.get_label() for line in ax.get_lines()] == [
        "risk-based (selective)",
        "random",
    ]
    assert ax.get_ylim()[1] == pytest.approx(0.075 * 1.25)
    assert [t.get_text() for t in ax.texts] == ["comprehensive (everything) : 100%"]
    # a curve that reaches 40 % of comprehensive keeps the full scale
    table.loc[5, "share_of_comprehensive"] = 0.45
    fig, ax = plt.subplots()
    plot_capacity_curve(table, ax=ax)
    assert len(ax.get_lines()) == 3 and not ax.texts
    assert ax.get_ylim()[1] == pytest.approx(1.05)


def test_capacity_curve_of_supply_lines_and_on_the_current_axes(comparison):
    plt.figure()
    ax = plot_capacity_curve(comparison, y="supply_lines_share", linewidth=1)
    assert ax is plt.gca()
    assert ax.get_lines()[0].get_linewidth() == 1
    assert ax.get_title().startswith("Armed-group supply lines revealed")
    with pytest.raises(InvalidParameterError, match="lacks the columns"):
        plot_capacity_curve(comparison.drop(columns="strategy"))
