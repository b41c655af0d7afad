"""Shared pieces of record linkage: the link table, coded columns, helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: columns of the table returned by :func:`link_records`, in order.
LINK_COLUMNS: list[str] = [
    "left",
    "right",
    "kind",
    "cluster",
    "confidence",
    "method",
    "reason",
    "left_value",
    "right_value",
]

_KINDS = ("weapon", "actor")
_NO_DAY = np.int64(-(1 << 40))

# kinds of evidence on the serial
_EXACT, _EDIT_SUB, _EDIT_SWAP, _EDIT_INDEL, _PARTIAL, _PARTIAL_BOTH, _EDIT_LOOK = range(
    7
)


def _codes(values: pd.Series) -> np.ndarray:
    """Integer code per value, -1 for null (each distinct value coded once)."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64)


def _compatible(a: np.ndarray, b: np.ndarray, *columns: np.ndarray) -> np.ndarray:
    """True where each coded column agrees or is null on one side."""
    ok = np.ones(len(a), dtype=bool)
    for codes in columns:
        ca, cb = codes[a], codes[b]
        ok &= (ca < 0) | (cb < 0) | (ca == cb)
    return ok


def _same(a: np.ndarray, b: np.ndarray, codes: np.ndarray) -> np.ndarray:
    ca, cb = codes[a], codes[b]
    return (ca >= 0) & (ca == cb)


def _differ(a: np.ndarray, b: np.ndarray, codes: np.ndarray) -> np.ndarray:
    ca, cb = codes[a], codes[b]
    return (ca >= 0) & (cb >= 0) & (ca != cb)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _empty_links() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series([], dtype="string") for c in LINK_COLUMNS})
    out["confidence"] = out["confidence"].astype("float64")
    return out
