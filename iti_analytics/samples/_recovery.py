"""How long diverted items circulate before they are recovered."""

from __future__ import annotations

import numpy as np

from ._kinds import MEDIAN_YEARS_TO_RECOVERY, YEARS_TO_RECOVERY_SIGMA


def days_to_recovery(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Days from diversion to recovery: log-normal, median by kind of point."""
    median = MEDIAN_YEARS_TO_RECOVERY[kind] * 365.25
    return np.maximum(1, rng.lognormal(np.log(median), YEARS_TO_RECOVERY_SIGMA)).astype(
        np.int64
    )


def recovery_days_in_period(
    rng: np.random.Generator,
    diverted_day: np.ndarray,
    kind: np.ndarray,
    start_day: int,
    end_day: int,
) -> np.ndarray:
    """Recovery days in [start, end]: the delay drawn until it fits, then clipped."""
    day = diverted_day + days_to_recovery(rng, kind)
    for _ in range(20):
        outside = np.flatnonzero((day < start_day) | (day > end_day))
        if not len(outside):
            break
        day[outside] = diverted_day[outside] + days_to_recovery(rng, kind[outside])
    return np.clip(day, np.maximum(start_day, diverted_day + 1), end_day)
