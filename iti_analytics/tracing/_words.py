"""Risk reasons in words: the top signals behind each score, vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .features import RISK_FEATURES

__all__ = ["reason_words"]


def reason_words(
    values: pd.DataFrame,
    contributions: pd.DataFrame,
    context: pd.DataFrame | None = None,
    *,
    top: int = 3,
) -> pd.Series:
    """Words for the ``top`` positive contributions of each row (vectorised)."""
    n = len(values)
    c = contributions[RISK_FEATURES].to_numpy(dtype=float).copy()
    # a reason is a signal that is present and raises the score (a learned model
    # can credit the *absence* of a signal, which is no reason in words)
    c[values[RISK_FEATURES].to_numpy(dtype=float) <= 0] = 0.0
    # the two batch signals make one sentence
    jb, jc = (
        RISK_FEATURES.index("batch_other_seizures"),
        RISK_FEATURES.index("batch_other_countries"),
    )
    c[:, jb] = c[:, jb] + np.maximum(c[:, jc], 0)
    c[:, jc] = 0.0
    c[:, RISK_FEATURES.index("year_of_manufacture")] = 0.0
    order = np.argsort(-c, axis=1, kind="stable")[:, :top]
    chosen = np.take_along_axis(c, order, axis=1) > 1e-9
    out = np.full((n, top), None, dtype=object)
    for j, name in enumerate(RISK_FEATURES):
        hit = (order == j) & chosen
        rows = np.flatnonzero(hit.any(axis=1))
        if len(rows) == 0:
            continue
        words = _words(
            name, values.iloc[rows], None if context is None else context.iloc[rows]
        )
        cols = hit[rows].argmax(axis=1)
        out[rows, cols] = words
    joined = [
        "; ".join(w for w in row if w is not None) or "no particular risk signal"
        for row in out.tolist()
    ]
    return pd.Series(joined, index=values.index, dtype="string")


def _plural(n: np.ndarray, one: str, many: str) -> np.ndarray:
    return np.where(n == 1, one, many)


def _words(name: str, v: pd.DataFrame, ctx: pd.DataFrame | None) -> np.ndarray:
    """Words of one signal for the given rows."""
    k = len(v)

    def with_label(text: str, col: str) -> np.ndarray:
        if ctx is None or col not in ctx:
            return np.full(k, text, dtype=object)
        label = ctx[col].astype("string")
        return (text + (" (" + label + ")").fillna("")).to_numpy(dtype=object)

    def count(col: str) -> np.ndarray:
        return v[col].to_numpy(dtype=float).round().astype(int)

    if name == "conflict_area":
        return with_label("seized in a conflict area", "conflict_label")
    if name == "border_area":
        return np.full(k, "seized at a border", dtype=object)
    if name == "embargo":
        return with_label("seized under a UN arms embargo", "embargo_label")
    if name == "cross_border_route":
        return np.full(k, "route evidence across borders", dtype=object)
    if name in ("light_weapon", "military_pattern"):
        text = "a light weapon" if name == "light_weapon" else "a military-pattern arm"
        if ctx is None:
            return np.full(k, text, dtype=object)
        cat = ctx["category"].astype("string").str.replace("_", " ")
        return (text + (" (" + cat + ")").fillna("")).to_numpy(dtype=object)
    if name == "recent_manufacture":
        year = count("year_of_manufacture")
        return np.where(
            year > 0, "manufactured " + year.astype(str), "recently manufactured"
        ).astype(object)
    if name == "unusual_type":
        if ctx is None:
            return np.full(k, "a type rare where it was seized", dtype=object)
        share = pd.Series(ctx["category_share"].to_numpy(dtype=float) * 100)
        cat = (
            ctx["category"]
            .astype("string")
            .str.replace("_", " ")
            .to_numpy(dtype=object, na_value="weapon")
        )
        country = (
            ctx["country"]
            .astype("string")
            .to_numpy(dtype=object, na_value="the country")
        )
        return np.asarray(
            [
                f"a {c} — {s:.1f}% of weapons seized in {p}"
                for c, s, p in zip(cat, share.fillna(0), country, strict=True)
            ],
            dtype=object,
        )
    if name == "armed_group":
        return np.full(k, "recovered from an armed group", dtype=object)
    if name == "organised_group":
        return np.full(k, "recovered from a criminal group or dealer", dtype=object)
    if name == "actor_other_seizures":
        n = count("actor_other_seizures")
        return (
            "actor also in "
            + n.astype(str)
            + " other "
            + _plural(n, "seizure", "seizures")
        ).astype(object)
    if name == "batch_other_seizures":
        n = count("batch_other_seizures")
        m = count("batch_other_countries") + 1
        text = (
            "batch also seen in "
            + n.astype(str)
            + " other "
            + _plural(n, "seizure", "seizures")
        )
        text = np.where(m > 1, text + " in " + m.astype(str) + " countries", text)
        return text.astype(object)
    if name == "seizure_items":
        n = count("seizure_items")
        return ("part of a seizure of " + n.astype(str) + " items").astype(object)
    return np.full(k, name.replace("_", " "), dtype=object)
