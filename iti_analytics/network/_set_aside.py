"""Records that must not glue networks or batches together, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import clean_text, seizure_keys

__all__: list[str] = []

#: owner types of a registered state weapon (police, army, other state body).
STATE_OWNERS = ("police", "armed_forces", "other_state")

#: columns of the set-aside table.
SET_ASIDE_COLUMNS = ["record_id", "seizure", "reason"]

_UNUSABLE_SERIAL = ("partial", "obliterated", "absent")


def set_aside_records(items: pd.DataFrame, *, max_weapon_seizures: int) -> pd.DataFrame:
    """Records kept out of the ties between seizures, one row each, with the reason.

    - a weapon with a known state owner (``owner_type`` police, armed forces or
      another state body; without that column, ``actor_type == "state"``): a
      service weapon logged for ballistics or re-registered is not evidence
      that two seizures share a supplier;
    - one weapon (same make and intact serial) recorded in
      ``max_weapon_seizures`` seizures or more: a weapon that keeps coming
      back (ballistics, re-registration, evidence transfers) would join every
      case it passed through.

    The records stay in the data (their seizures are counted); only their
    actors, batches and lots do not tie seizures together.
    """
    seizure = seizure_keys(items).to_numpy(dtype=object)
    rid = items["record_id"].astype("string").to_numpy(dtype=object)
    reasons = pd.Series(pd.NA, index=range(len(items)), dtype="string")
    # the schema gains registered_owner / owner_type; a dataset made before
    # keeps them as x_ extras
    type_col = next((c for c in ("owner_type", "x_owner_type") if c in items), None)
    owner_col = next(
        (c for c in ("registered_owner", "x_registered_owner") if c in items), None
    )
    if type_col is not None:
        owner_type = clean_text(items[type_col]).str.lower().reset_index(drop=True)
        state = owner_type.isin(STATE_OWNERS).fillna(False).to_numpy(dtype=bool)
        owner = (
            clean_text(items[owner_col]).reset_index(drop=True)
            if owner_col is not None
            else pd.Series(pd.NA, index=reasons.index, dtype="string")
        )
        words = (
            "registered state weapon ("
            + owner.fillna(owner_type.str.replace("_", " "))
            + ")"
        )
        reasons[state] = words[state]
    # no state owner known: a record held by a state body
    actor_type = clean_text(items["actor_type"]).reset_index(drop=True)
    if len(actor_type):
        state = actor_type.eq("state").fillna(False).to_numpy(dtype=bool)
        state &= reasons.isna().to_numpy()
        reasons[state] = "held by a state body (actor_type 'state')"
    status = items["serial_status"].astype("string").reset_index(drop=True)
    usable = ~status.isin(_UNUSABLE_SERIAL).fillna(False).to_numpy(dtype=bool)
    serial = clean_text(items["serial"]).str.upper().reset_index(drop=True)
    make = clean_text(items["make"]).reset_index(drop=True)
    known = usable & serial.notna().to_numpy() & make.notna().to_numpy()
    if known.any() and max_weapon_seizures >= 2:
        weapon = (make + "|" + serial)[known]
        per = pd.DataFrame({"w": weapon.to_numpy(), "s": seizure[known]})
        n_seizures = per.drop_duplicates().groupby("w")["s"].size()
        many = n_seizures[n_seizures >= max_weapon_seizures]
        hit = np.zeros(len(items), dtype=bool)
        hit[np.flatnonzero(known)] = weapon.isin(many.index).to_numpy()
        count = weapon.map(many).reindex(reasons.index)
        words = (
            "one weapon ("
            + make
            + " "
            + serial
            + ") recorded in "
            + count.astype("Int64").astype("string")
            + " seizures"
        )
        fresh = hit & reasons.isna().to_numpy()
        reasons[fresh] = words[fresh]
    keep = reasons.notna().to_numpy()
    return pd.DataFrame(
        {
            "record_id": pd.array(rid[keep], dtype="string"),
            "seizure": pd.array(seizure[keep], dtype="string"),
            "reason": reasons[keep].to_numpy(),
        }
    ).astype("string")


def empty_set_aside() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in SET_ASIDE_COLUMNS})
