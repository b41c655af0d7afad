"""hit_check: recovered weapons matched to records of lost or stolen ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..dataset import Dataset, as_dataset
from ..exceptions import InvalidParameterError
from ._confidence import _describe_weapon_pairs
from ._link import _scored_pairs

#: statuses of the records of a loss or a theft.
LOSS_STATUSES = ("lost", "stolen")
#: columns of the table returned by :func:`hit_check`, in order.
HIT_COLUMNS: list[str] = [
    "record_id",
    "register_record_id",
    "confidence",
    "reason",
    "reported_by",
    "reported_on",
    "loss_status",
    "registered_owner",
    "make",
    "model",
    "serial",
    "register_make",
    "register_model",
    "register_serial",
    "recovered_on",
    "days_to_recovery",
]
_RECOVERED = "recovered"
_REGISTER = "register"


def hit_check(
    ds: Dataset | pd.DataFrame | Any,
    register: Dataset | pd.DataFrame | Any = None,
    *,
    threshold: float = 0.75,
    max_group: int = 50,
) -> pd.DataFrame:
    """Match recovered weapons against records of lost or stolen ones.

    A hit is the shortcut to the point of diversion: the weapon seized today
    was reported lost or stolen by someone, somewhere, on a date — what a trace
    would otherwise take months to find. Each recovered item (status
    ``seized``, ``found``, ``surrendered`` or unknown) is compared with every
    loss record by serial, within compatible make, model and calibre, with the
    same evidence as :func:`link_records` (the same serial, a typo, a partial
    serial, weighed by how densely serials of that model sit around it). Place
    and time are left out of the confidence: a loss and a recovery are often
    years and borders apart.

    Parameters
    ----------
    ds : Dataset, DataFrame, LoadResult or mapping
        The records to check (anything :func:`iti_analytics.as_dataset`
        accepts). Its own ``lost`` and ``stolen`` items are the register when
        ``register`` is not given.
    register : Dataset, DataFrame, LoadResult or mapping, optional
        Records of lost and stolen weapons, e.g. an extract of a national
        register or of INTERPOL iARMS read with
        :func:`iti_analytics.read_items`; every item in it is taken as a loss
        report. Its record ids may repeat those of ``ds``.
    threshold : float, default 0.75
        Keep hits whose ``confidence`` is at least this (0 to 1).
    max_group : int, default 50
        As in :func:`link_records`.

    Returns
    -------
    DataFrame
        One row per hit, most confident first:

        - ``record_id``: the recovered item; ``register_record_id``: the loss
          record;
        - ``confidence``, ``reason``: as in :func:`link_records`;
        - ``reported_by``: who reported the loss (the loss record's
          ``agency``, else its ``source``); ``reported_on``: the loss record's
          ``seized_on`` (the date of the loss or of its report);
          ``loss_status``: ``lost`` or ``stolen``; ``registered_owner``: the
          loss record's ``actor`` (from whom it was lost or stolen);
        - ``make``, ``model``, ``serial`` of the recovered item and
          ``register_make``, ``register_model``, ``register_serial`` of the
          loss record;
        - ``recovered_on``: the recovered item's ``seized_on``;
          ``days_to_recovery``: days from the loss report to the recovery.
          Negative when the loss was reported *after* the seizure: the loss
          is then not where this weapon left legal hands (it may have been
          lost again from custody or after its return, or reported late), and
          the reason says so.

    Raises
    ------
    InvalidParameterError
        ``threshold`` is outside 0–1 or ``max_group`` below 2.

    See Also
    --------
    link_records : records of the same weapon within one dataset.

    Examples
    --------
    >>> import pandas as pd
    >>> from iti_analytics.linkage import hit_check
    >>> items = pd.DataFrame({
    ...     "record_id": ["loss-1", "seized-7"],
    ...     "status": ["stolen", "seized"],
    ...     "agency": ["Gendarmerie nationale", "Police"],
    ...     "actor": ["Armurerie du Sahel", None],
    ...     "seized_on": ["2017-05-02", "2022-11-20"],
    ...     "make": ["Glock", "Glock"],
    ...     "model": ["Glock 17", "Glock 17"],
    ...     "serial": ["BKR4471", "BKR4417"],
    ... })
    >>> hits = hit_check(items)
    >>> hits[["record_id", "register_record_id", "reported_by", "reported_on"]]
      record_id register_record_id            reported_by reported_on
    0  seized-7             loss-1  Gendarmerie nationale  2017-05-02
    >>> print(hits.loc[0, "reason"])  # doctest: +NORMALIZE_WHITESPACE
    serial differs by one transposition (BKR4417 vs BKR4471), same make and
    model; no other Glock 17 serial within one character or within 500 in the
    data; stolen from Armurerie du Sahel, reported by Gendarmerie nationale on
    2017-05-02
    """
    if not 0 <= threshold <= 1:
        raise InvalidParameterError(
            f"`threshold` must be between 0 and 1, but {threshold!r} was passed."
        )
    if int(max_group) < 2:
        raise InvalidParameterError(
            f"`max_group` must be at least 2, but {max_group!r} was passed."
        )
    ds = as_dataset(ds)
    items = ds.items
    status = items["status"].astype("string")
    is_loss = status.isin(LOSS_STATUSES).fillna(False).to_numpy(dtype=bool)
    recovered = items[~is_loss]
    if register is None:
        losses = items[is_loss]
    else:
        losses = as_dataset(register, name="register").items
    return _hits(recovered, losses, threshold=threshold, max_group=int(max_group))


def _hits(
    recovered: pd.DataFrame, losses: pd.DataFrame, *, threshold: float, max_group: int
) -> pd.DataFrame:
    empty = pd.DataFrame({c: pd.Series(dtype="string") for c in HIT_COLUMNS})
    empty["confidence"] = empty["confidence"].astype("float64")
    for col in ("reported_on", "recovered_on"):
        empty[col] = empty[col].astype("datetime64[ns]")
    empty["days_to_recovery"] = empty["days_to_recovery"].astype("Int64")
    if not len(recovered) or not len(losses):
        return empty
    side = np.r_[np.zeros(len(recovered), bool), np.ones(len(losses), bool)]
    both = pd.concat([recovered, losses], ignore_index=True)
    original_id = both["record_id"].astype("string").to_numpy(dtype=object)
    # ids unique across the two tables; the source keeps the two sides apart
    both["record_id"] = pd.array(
        [f"{i}:{rid}" for i, rid in enumerate(original_id)], dtype="string"
    )
    w, pairs, evidence = _scored_pairs(both, max_group=max_group, with_context=False)
    if evidence is None:
        return empty
    a_reg = side[w.rows[pairs["a"].to_numpy()]]
    b_reg = side[w.rows[pairs["b"].to_numpy()]]
    keep = (a_reg != b_reg) & (pairs["confidence"].to_numpy() >= threshold)
    pairs = pairs[keep].reset_index(drop=True)
    if not len(pairs):
        return empty
    links = _describe_weapon_pairs(w, pairs, evidence.take(keep), context_words=False)
    a_row = w.rows[pairs["a"].to_numpy()]
    b_row = w.rows[pairs["b"].to_numpy()]
    swap = side[a_row]  # the left record is the loss record
    found = np.where(swap, b_row, a_row)
    lost = np.where(swap, a_row, b_row)

    def text(column: str, rows: np.ndarray) -> pd.Series:
        values = both[column].astype("string").iloc[rows]
        return values.reset_index(drop=True)

    reported_by = text("agency", lost).fillna(text("source", lost))
    owner = text("actor", lost)
    loss_status = text("status", lost)
    reported_on = pd.to_datetime(both["seized_on"].iloc[lost]).reset_index(drop=True)
    reason = links["reason"].reset_index(drop=True)
    how = loss_status.fillna("reported lost or stolen")
    how = how.where(owner.isna(), how + " from " + owner)
    how = how.where(reported_by.isna(), how + ", reported by " + reported_by)
    day = reported_on.dt.strftime("%Y-%m-%d").astype("string")
    how = how.where(day.isna(), how + " on " + day)
    recovered_on = pd.to_datetime(both["seized_on"].iloc[found]).reset_index(drop=True)
    days = (recovered_on - reported_on).dt.days.astype("Int64")
    # 10 of the 23 hits in the six Rio years: a weapon seized, then reported
    # lost ("extravio") months or years later
    late = (days < 0).fillna(False)
    how = how.where(
        ~late,
        how
        + ", "
        + (-days).astype("string")
        + " days after this seizure: a later loss (from custody, or after the"
        " weapon was returned) or a late report, not the diversion of this"
        " weapon",
    )
    out = pd.DataFrame(
        {
            "record_id": pd.array(original_id[found], dtype="string"),
            "register_record_id": pd.array(original_id[lost], dtype="string"),
            "confidence": links["confidence"].to_numpy(dtype=float),
            "reason": (reason + "; " + how).astype("string"),
            "reported_by": reported_by,
            "reported_on": reported_on,
            "loss_status": loss_status,
            "registered_owner": owner,
            "make": text("make", found),
            "model": text("model", found),
            "serial": text("serial", found),
            "register_make": text("make", lost),
            "register_model": text("model", lost),
            "register_serial": text("serial", lost),
            "recovered_on": recovered_on,
            "days_to_recovery": days,
        }
    )
    out["_order"] = found
    out = out.sort_values(["confidence", "_order"], ascending=[False, True])
    return out[HIT_COLUMNS].reset_index(drop=True)
