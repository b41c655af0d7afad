"""Random draws shared by the entity modules of the West Africa world."""

from __future__ import annotations

import numpy as np


def pareto(rng: np.random.Generator, alpha: float, size: int, cap: float) -> np.ndarray:
    """Pareto weights of tail index ``alpha``, at least 1 and at most ``cap``."""
    return np.minimum((1.0 - rng.random(size)) ** (-1.0 / alpha), cap)


def pick(rng: np.random.Generator, options, size: int, p=None) -> np.ndarray:
    """``size`` draws from ``options`` (with probabilities ``p``, normalised)."""
    options = np.asarray(options, dtype=object)
    if p is not None:
        p = np.asarray(p, dtype=float)
        p = p / p.sum()
    return options[rng.choice(len(options), size=size, p=p)]
