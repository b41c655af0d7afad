"""Records that must not glue networks or batches together, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import clean_text, most_frequent, seizure_keys
from ._runs import UNUSABLE_SERIAL, serial_runs

__all__: list[str] = []

#: owner types of a registered state weapon (police, army, other state body).
STATE_OWNERS = ("police", "armed_forces", "other_state")

#: a weapon (same make, intact serial) recorded in this many seizures or more
#: is set aside: the default of ``max_weapon_seizures`` everywhere.
MAX_WEAPON_SEIZURES = 3

#: columns of the set-aside table.
SET_ASIDE_COLUMNS = ["record_id", "seizure", "reason"]

#: a serial run whose weapons are at least this share registered to the
#: state is a state armoury: its other weapons are set aside too.
STATE_RUN_SHARE = 0.5


def set_aside_records(
    items: pd.DataFrame, *, max_weapon_seizures: int, max_gap: int = 10
) -> pd.DataFrame:
    """Records kept out of the ties between seizures, one row each, with the reason.

    - a weapon with a known state owner (``owner_type`` police, armed forces or
      another state body; without that column, ``actor_type == "state"``): a
      service weapon logged for ballistics or re-registered is not evidence
      that two seizures share a supplier;
    - a weapon whose owner is not recorded, in a run of consecutive serials
      (``max_gap``) of which at least half are registered state weapons: the
      rest of a police armoury whose register field was left empty (Rio: 35
      ArmaLite AR 10 rifles without owner among 864 of the Polícia Militar);
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
        owner = owner.fillna(owner_type.str.replace("_", " "))
        words = "registered state weapon (" + owner + ")"
        reasons[state] = words[state]
        _state_runs(items, state, owner, reasons, max_gap=max_gap)
    # no state owner known: a record held by a state body
    actor_type = clean_text(items["actor_type"]).reset_index(drop=True)
    if len(actor_type):
        state = actor_type.eq("state").fillna(False).to_numpy(dtype=bool)
        state &= reasons.isna().to_numpy()
        reasons[state] = "held by a state body (actor_type 'state')"
    status = items["serial_status"].astype("string").reset_index(drop=True)
    usable = ~status.isin(UNUSABLE_SERIAL).fillna(False).to_numpy(dtype=bool)
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


def _state_runs(
    items: pd.DataFrame,
    registered: np.ndarray,
    owner: pd.Series,
    reasons: pd.Series,
    *,
    max_gap: int,
) -> None:
    """Set aside (in ``reasons``) the unregistered rest of state serial runs."""
    if not registered.any():
        return
    frame = pd.DataFrame(
        {
            "serial": clean_text(items["serial"]).str.upper(),
            "make": clean_text(items["make"]),
            "model": clean_text(items["model"]),
            "year": items["year_of_manufacture"],
        }
    ).reset_index(drop=True)
    runs = serial_runs(
        frame, items["serial_status"], max_gap=max_gap, by_year=True, min_digits=3
    )
    if runs.empty:
        return
    rows = runs["row"].to_numpy()
    group = runs["group"].to_numpy()
    in_state = registered[rows]
    n = np.bincount(group)
    n_state = np.bincount(group, weights=in_state).astype(np.int64)
    armoury = n_state >= STATE_RUN_SHARE * n
    pick = armoury[group] & ~in_state & reasons.isna().to_numpy()[rows]
    if not pick.any():
        return
    # the most frequent owner of each run
    who = most_frequent(group[in_state], owner.to_numpy()[rows[in_state]])
    g = group[pick]
    words = (
        "in a serial run of state weapons ("
        + pd.Series(n_state[g]).astype(str)
        + " of "
        + pd.Series(n[g]).astype(str)
        + " registered"
        + pd.Series(who.reindex(g).to_numpy(), dtype="string").radd(", ").fillna("")
        + ")"
    )
    reasons.iloc[rows[pick]] = words.to_numpy()
