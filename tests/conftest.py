"""Shared fixtures: fixed-seed rng, closing figures, and the real-data folder."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

#: the project's real public datasets (never copied into the repo).
REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"

# The fetchers of iti_analytics.datasets read their cache from ITI_DATA_HOME: point
# it at the local mirror so tests never touch the network.
if REAL_DATA.is_dir():
    os.environ.setdefault("ITI_DATA_HOME", str(REAL_DATA))


@pytest.fixture(autouse=True)
def close_figs():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(20261127)


@pytest.fixture
def real_data():
    """Path to ``../shared/data/real``; skips the test when the folder is absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real datasets not found at {REAL_DATA}")
    return REAL_DATA
