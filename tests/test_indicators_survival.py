"""The vectorised Kaplan–Meier estimator: hand-computed values and lifelines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iti_analytics.indicators.survival import (
    product_limit,
    survival_at,
    survival_quantile,
)


def test_six_requests_with_censoring_by_hand():
    # answered after 10, 30, 40, 60 days; open (censored) at 25 and 60 days
    days = [10, 25, 30, 40, 60, 60]
    answered = [1, 0, 1, 1, 0, 1]
    km = product_limit(days, answered)
    s = dict(zip(km["time"], km["survival"], strict=True))
    # S(10) = 5/6; 25 censored; S(30) = 5/6 * 3/4; S(40) = S(30) * 2/3;
    # at 60: 2 at risk, 1 answer -> S(60) = S(40) * 1/2
    assert s[10] == pytest.approx(5 / 6)
    assert s[30] == pytest.approx(5 / 8)
    assert s[40] == pytest.approx(5 / 12)
    assert s[60] == pytest.approx(5 / 24)
    assert survival_quantile(km, 0.5).iloc[0] == 40  # first S <= 0.5
    assert pd.isna(survival_quantile(km, 0.9).iloc[0])  # S never <= 0.1
    assert survival_at(km, 35).iloc[0] == pytest.approx(5 / 8)


def test_median_hits_exactly_one_half():
    # 1 - 3/6 = 0.5 exactly at the third answer
    km = product_limit([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1])
    assert survival_quantile(km, 0.5).iloc[0] == 3


def test_groups_are_independent():
    groups = ["a", "a", "a", "b", "b"]
    km = product_limit([5, 5, 7, 1, 2], [1, 1, 0, 0, 1], groups=groups)
    med = survival_quantile(km, 0.5)
    assert med["a"] == 5
    assert med["b"] == 2  # 1 censored, then the last one answers: S = 0


def test_survival_after_last_censored_record_is_undefined():
    km = product_limit([3, 8], [1, 0])
    assert survival_at(km, 8).iloc[0] == pytest.approx(0.5)
    assert pd.isna(survival_at(km, 9).iloc[0])


def test_matches_lifelines_on_random_data(rng):
    lifelines = pytest.importorskip("lifelines")
    from lifelines.utils import qth_survival_times

    n_groups = 25
    sizes = rng.integers(3, 60, n_groups)
    groups = np.repeat(np.arange(n_groups), sizes)
    # integer days with many ties, as in real trace data
    durations = rng.exponential(80, len(groups)).round()
    observed = rng.random(len(groups)) < rng.uniform(0.2, 0.95, n_groups)[groups]
    km = product_limit(durations, observed, groups)
    mine_med = survival_quantile(km, 0.5)
    mine_p90 = survival_quantile(km, 0.9)
    for g in range(n_groups):
        sel = groups == g
        fit = lifelines.KaplanMeierFitter().fit(durations[sel], observed[sel])
        theirs = fit.survival_function_.iloc[:, 0]
        curve = km[km["group"] == g].set_index("time")["survival"]
        np.testing.assert_allclose(
            curve.to_numpy(), theirs.reindex(curve.index).to_numpy(), atol=1e-12
        )
        for q, mine in ((0.5, mine_med), (0.9, mine_p90)):
            expected = float(qth_survival_times(1 - q, fit.survival_function_))
            got = mine[g]
            if np.isinf(expected):
                assert pd.isna(got), (g, q)
            elif abs(theirs[theirs.index <= expected].iloc[-1] - (1 - q)) < 1e-9:
                # S lands exactly on 1 - q: lifelines may pick the next time
                # through float rounding; the definition says this time.
                assert got <= expected
            else:
                assert got == expected, (g, q)


def test_many_groups_is_fast(rng):
    import time

    n = 200_000
    groups = rng.integers(0, 5_000, n)
    durations = rng.integers(0, 400, n).astype(float)
    observed = rng.random(n) < 0.7
    start = time.perf_counter()
    km = product_limit(durations, observed, groups)
    survival_quantile(km, 0.5)
    assert time.perf_counter() - start < 3.0
