"""Risk reasons: stable codes and words for the signals behind each score."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .features import RISK_FEATURES

__all__ = ["REASON_CODES", "reason_table"]

#: the stable code of each risk reason, and what it means (the words of
#: :meth:`RiskScorer.explain` add the item's figures: counts, year, place).
REASON_CODES: dict[str, str] = {
    "conflict_area": "seized in a conflict area",
    "border_area": "seized at a border",
    "embargo": "seized under a UN arms embargo",
    "cross_border_route": "route evidence across borders",
    "light_weapon": "a light weapon",
    "military_pattern": "a military-pattern arm",
    "recent_manufacture": "recently manufactured",
    "unusual_type": "a type rare where it was seized",
    "armed_group": "recovered from an armed group",
    "organised_group": "recovered from a criminal group or dealer",
    "actor_seen_elsewhere": "actor also in other seizures",
    "batch_seen_elsewhere": "batch also seen in other seizures",
    "large_seizure": "part of a large seizure",
}

#: the reason code of each risk feature; ``year_of_manufacture`` is no reason by
#: itself (it only dates ``recent_manufacture``).
_CODE_OF: dict[str, str | None] = {
    "conflict_area": "conflict_area",
    "border_area": "border_area",
    "embargo": "embargo",
    "cross_border_route": "cross_border_route",
    "light_weapon": "light_weapon",
    "military_pattern": "military_pattern",
    "recent_manufacture": "recent_manufacture",
    "unusual_type": "unusual_type",
    "armed_group": "armed_group",
    "organised_group": "organised_group",
    "actor_other_seizures": "actor_seen_elsewhere",
    "batch_other_seizures": "batch_seen_elsewhere",
    "batch_other_countries": "batch_seen_elsewhere",
    "seizure_items": "large_seizure",
    "year_of_manufacture": None,
}
_CODES = list(REASON_CODES)


def reason_table(
    values: pd.DataFrame,
    present: np.ndarray,
    contributions: np.ndarray,
    context: pd.DataFrame | None = None,
    *,
    top: int = 3,
) -> pd.DataFrame:
    """The ``top`` reasons of each row, strongest first: codes and words.

    A reason is a risk signal the item *has* (``present``: its strength is
    above 0) that *raises* its score (positive contribution). Absent signals
    are never reasons, whatever a learned model credits them with. The two
    batch features make one reason (``batch_seen_elsewhere``, their
    contributions added).

    Parameters
    ----------
    values : DataFrame
        The raw :data:`RISK_FEATURES` of the rows (counts and year for the
        words).
    present : ndarray of bool, shape (n, len(RISK_FEATURES))
    contributions : ndarray of float, shape (n, len(RISK_FEATURES))
        Log-odds each signal adds to the score.
    context : DataFrame, optional
        Labels for the words (``category``, ``conflict_label``,
        ``embargo_label``, ``category_share``, ``country``).

    Returns
    -------
    DataFrame
        ``reason_codes`` (``";"``-joined codes of :data:`REASON_CODES`, ``""``
        when none) and ``reasons`` (``"; "``-joined words, "no particular risk
        signal" when none), same index as ``values``.
    """
    n = len(values)
    c = np.where(np.asarray(present, dtype=bool), contributions, 0.0)
    by_code = np.zeros((n, len(_CODES)))
    for j, name in enumerate(RISK_FEATURES):
        code = _CODE_OF.get(name)
        if code is not None:
            by_code[:, _CODES.index(code)] += np.maximum(c[:, j], 0.0)
    top = min(top, len(_CODES))
    order = np.argsort(-by_code, axis=1, kind="stable")[:, :top]
    chosen = np.take_along_axis(by_code, order, axis=1) > 1e-9
    codes = np.full((n, top), None, dtype=object)
    words = np.full((n, top), None, dtype=object)
    for k, code in enumerate(_CODES):
        hit = (order == k) & chosen
        rows = np.flatnonzero(hit.any(axis=1))
        if len(rows) == 0:
            continue
        cols = hit[rows].argmax(axis=1)
        codes[rows, cols] = code
        words[rows, cols] = _words(
            code, values.iloc[rows], None if context is None else context.iloc[rows]
        )
    return pd.DataFrame(
        {
            "reason_codes": pd.array(
                [";".join(w for w in row if w is not None) for row in codes.tolist()],
                dtype="string",
            ),
            "reasons": pd.array(
                [
                    "; ".join(w for w in row if w is not None)
                    or "no particular risk signal"
                    for row in words.tolist()
                ],
                dtype="string",
            ),
        },
        index=values.index,
    )


def _plural(n: np.ndarray, one: str, many: str) -> np.ndarray:
    return np.where(n == 1, one, many)


def _words(code: str, v: pd.DataFrame, ctx: pd.DataFrame | None) -> np.ndarray:
    """Words of one reason for the given rows."""
    k = len(v)

    def with_label(text: str, col: str) -> np.ndarray:
        if ctx is None or col not in ctx:
            return np.full(k, text, dtype=object)
        label = ctx[col].astype("string")
        return (text + (" (" + label + ")").fillna("")).to_numpy(dtype=object)

    def count(col: str) -> np.ndarray:
        return v[col].to_numpy(dtype=float).round().astype(int)

    if code in ("conflict_area", "embargo"):
        return with_label(REASON_CODES[code], code.split("_")[0] + "_label")
    if code in ("light_weapon", "military_pattern"):
        if ctx is None or "category" not in ctx:
            return np.full(k, REASON_CODES[code], dtype=object)
        cat = ctx["category"].astype("string").str.replace("_", " ")
        text = REASON_CODES[code] + (" (" + cat + ")").fillna("")
        return text.to_numpy(dtype=object)
    if code == "recent_manufacture":
        year = count("year_of_manufacture")
        return np.where(
            year > 0, "manufactured " + year.astype(str), REASON_CODES[code]
        ).astype(object)
    if code == "unusual_type":
        if ctx is None or not {"category", "category_share", "country"} <= set(ctx):
            return np.full(k, REASON_CODES[code], dtype=object)
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
    if code == "actor_seen_elsewhere":
        n = count("actor_other_seizures")
        return (
            "actor also in "
            + n.astype(str)
            + " other "
            + _plural(n, "seizure", "seizures")
        ).astype(object)
    if code == "batch_seen_elsewhere":
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
    if code == "large_seizure":
        n = count("seizure_items")
        return ("part of a seizure of " + n.astype(str) + " items").astype(object)
    return np.full(k, REASON_CODES[code], dtype=object)
