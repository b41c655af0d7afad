"""The monitor list: high-risk items that cannot be traced, to profile and watch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from .features import _features_and_context
from .risk import RiskScorer
from .traceability import _traceability

__all__ = ["monitor_list", "MONITOR_COLUMNS"]

#: columns of :func:`monitor_list`.
MONITOR_COLUMNS = [
    "rank",
    "record_id",
    "risk",
    "reasons",
    "blockers",
    "blocker_words",
    "action",
    "cluster",
]

_ACTIONS = {
    "serial_obliterated": "send for serial-number restoration, then trace; "
    "meanwhile profile and watch",
    "serial_absent": "look for hidden or part serials (slide, frame, barrel) and "
    "profile the item",
    "serial_missing": "re-examine and record the markings, then trace",
    "serial_placeholder": "re-examine and record the real markings, then trace",
    "craft": "profile the workshop: compare construction with other craft "
    "seizures in the area",
    "3d_printed": "profile the design and printer; look for linked seizures of "
    "printed parts",
    "converted": "identify the blank-firing model and its maker; watch for more "
    "conversions of the same model",
    "unknown_origin": "identify make and model from the features, then trace",
    "pre_1946": "record for profiling of historic stocks (outside ISACS 05.31)",
    "ammunition": "trace the lot: ask the producer named by the headstamp",
    "part": "match the part to its weapon; trace the weapon",
    "explosive_component": "trace through the commercial supply chain (maker, "
    "distributor, licensed user)",
}


def monitor_list(
    ds: DatasetLike,
    *,
    top: int | None = 50,
    min_risk: float | None = None,
    as_of: Any = None,
    top_reasons: int = 3,
) -> pd.DataFrame:
    """High-risk items that cannot be traced: profile and watch them instead.

    Items with a hard blocker (craft, 3D-printed or converted production, no
    usable serial, nobody to ask, made before 1946; ammunition, parts and
    explosive components, which need other kinds of tracing), ranked by the
    prior rules' risk (conflict areas, embargoes, weapon type, actors,
    batches): past trace outcomes say nothing about items that cannot be
    traced. Repeat reports are left out.

    Parameters
    ----------
    ds : Dataset
    top : int or None, default 50
        Longest list (None: all).
    min_risk : float, optional
        Keep items at least this risky (0–1).
    as_of : date, optional
    top_reasons : int, default 3

    Returns
    -------
    DataFrame
        :data:`MONITOR_COLUMNS`: ``rank``, ``record_id``, ``risk``, ``reasons``
        (risk in words), ``blockers``, ``blocker_words``, ``action`` (what to
        do instead), ``cluster`` (batch, else seizure).

    Examples
    --------
    >>> from iti_analytics.samples import load_sample
    >>> watch = monitor_list(load_sample(), top=5)
    >>> len(watch), bool(watch["risk"].is_monotonic_decreasing)
    (5, True)
    >>> watch["action"].notna().all()
    np.True_
    """
    if top is not None and (
        isinstance(top, bool) or not isinstance(top, int) or top < 1
    ):
        raise InvalidParameterError(
            f"`top` must be a whole number of items, 1 or more, or None, but {top!r} "
            "was passed."
        )
    t = as_dataset(ds)
    trace = _traceability(t, as_of=as_of)
    features, context = _features_and_context(t)
    if len(features) == 0:
        out = pd.DataFrame({c: pd.Series([], dtype="string") for c in MONITOR_COLUMNS})
        out["rank"] = pd.Series([], dtype="int64")
        out["risk"] = pd.Series([], dtype=float)
        out.attrs["notes"] = ["The dataset holds no items."]
        return out
    scorer = RiskScorer().fit(features)
    risk = scorer.predict_proba(features)[:, 1]
    blocked = (
        ~trace["traceable"].to_numpy(dtype=bool)
        & t.items["duplicate_of"].isna().to_numpy()
        & ~(trace["request_kind"] == "hit_check").fillna(False).to_numpy(bool)
    )
    if min_risk is not None:
        blocked &= risk >= float(min_risk)
    idx = np.flatnonzero(blocked)
    idx = idx[np.argsort(-risk[idx], kind="stable")]
    if top is not None:
        idx = idx[:top]
    reasons = (
        scorer.explain(features.iloc[idx], top=top_reasons, context=context.iloc[idx])
        if len(idx)
        else pd.Series([], dtype="string")
    )
    codes = trace["blockers"].iloc[idx].astype("string")
    action = codes.map(_action).astype("string")
    cluster = (
        context["batch_id"]
        .iloc[idx]
        .astype("string")
        .fillna(t.items["seizure_id"].astype("string").iloc[idx])
    )
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(idx) + 1),
            "record_id": t.items["record_id"].iloc[idx].to_numpy(),
            "risk": np.round(risk[idx], 4),
            "reasons": reasons.to_numpy(),
            "blockers": codes.to_numpy(),
            "blocker_words": trace["blocker_words"].iloc[idx].to_numpy(),
            "action": action.to_numpy(),
            "cluster": cluster.astype("string").to_numpy(),
        }
    )
    out.attrs["notes"] = list(trace.attrs.get("notes", []))
    return out


def _action(codes: Any) -> str | None:
    if codes is None or codes is pd.NA:
        return None
    found = [_ACTIONS[c] for c in str(codes).split(";") if c in _ACTIONS]
    return found[0] if found else None
