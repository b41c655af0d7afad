"""Batches: items that probably left the same source together, found across seizures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ._common import clean_text, joined_unique, seizure_keys
from ._runs import empty_found, serial_runs
from ._set_aside import MAX_WEAPON_SEIZURES, set_aside_records

__all__ = ["batches", "BATCH_KINDS", "BATCH_COLUMNS", "MEMBER_COLUMNS"]

#: kinds of batch evidence, strongest first, with their strength.
BATCH_KINDS: dict[str, str] = {
    "serial_run": "strong",
    "lot": "strong",
    "import_mark": "medium",
    "headstamp": "weak",
}

#: columns of the table :func:`batches` returns.
BATCH_COLUMNS = [
    "batch_id",
    "kind",
    "strength",
    "evidence",
    "items",
    "seizures",
    "countries",
    "n_countries",
    "first_seen",
    "last_seen",
    "make",
    "model",
    "calibre",
    "serial_range",
]

#: columns of the per-item membership table (``return_members=True``).
MEMBER_COLUMNS = ["record_id", "batch_id", "kind", "strength"]

_STRENGTH_RANK = {"strong": 0, "medium": 1, "weak": 2}


def batches(
    ds: Any,
    *,
    max_gap: int = 10,
    by_year: bool = True,
    kinds: tuple[str, ...] | list[str] | None = None,
    min_items: int = 2,
    min_seizures: int = 1,
    min_digits: int = 3,
    max_weapon_seizures: int = MAX_WEAPON_SEIZURES,
    return_members: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Find batches: items that probably left the same source together.

    A batch is the analyst's strongest lead: weapons with consecutive serial
    numbers, or rounds from one production lot, seized months apart in
    different countries, most likely left the same stockpile or consignment
    together. Four kinds of evidence are used:

    ``serial_run`` (strong)
        Same make and model (a missing model counts as one value), serials
        made of the same prefix and suffix around a number, numbers at most
        ``max_gap`` apart from one to the next; at least two distinct numbers.
        With ``by_year=True`` years of manufacture must agree where both are
        known (serials restart each year at many factories). Serials marked
        partial, obliterated or absent are not used.
    ``lot`` (strong)
        Same ammunition lot number, calibre and headstamp.
    ``import_mark`` (medium)
        Same import marking (import country and year) on the same make (known)
        and model, in at least two seizures.
    ``headstamp`` (weak)
        Same headstamp and calibre, no lot known, in at least two seizures
        (a headstamp names a factory and year: millions of rounds share it).

    The search is vectorised: one sort by make/model/prefix/number and one
    difference, O(n log n). Records flagged ``duplicate_of`` are left out so
    a repeated row does not make a batch.

    Some records are set aside, so that a police armoury or a weapon logged
    again and again does not pass for a consignment: weapons with a known
    state owner (``owner_type`` police, armed forces or another state body;
    without that column, ``actor_type == "state"``), weapons without a
    recorded owner in a serial run at least half registered to the state (the
    rest of an armoury), and one weapon (same make and intact serial)
    recorded in ``max_weapon_seizures`` seizures or more.
    ``table.attrs["set_aside"]`` lists them (a dict of lists, ready for
    ``pd.DataFrame``): ``record_id``, ``seizure``, ``reason`` (in words).

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (its ``items`` are used) or an items table.
    max_gap : int, default 10
        Largest difference between two consecutive serial numbers of a run.
    by_year : bool, default True
        Split serial runs where two known years of manufacture differ.
    kinds : list of str, optional
        Kinds of evidence to use (default: all of ``BATCH_KINDS``).
    min_items : int, default 2
        Smallest batch reported.
    min_seizures : int, default 1
        Report only batches seen in at least this many seizures (2 = only
        batches that link seizures). ``import_mark`` and ``headstamp`` batches
        always need two.
    min_digits : int, default 3
        Serial numbers with fewer digits are not used for runs.
    max_weapon_seizures : int, default 3
        A weapon recorded in this many seizures or more is set aside
        (ballistics, re-registration); 0 keeps every record.
    return_members : bool, default False
        Also return the per-item membership table.

    Returns
    -------
    batches : DataFrame
        One row per batch, most useful first (strength, then countries,
        seizures and items): ``batch_id`` (``B0001``...), ``kind``,
        ``strength``, ``evidence`` (in words), ``items``, ``seizures``,
        ``countries`` (``;``-joined ISO codes), ``n_countries``,
        ``first_seen``, ``last_seen``, ``make``, ``model``, ``calibre``,
        ``serial_range`` (first and last serial of a run).
    members : DataFrame
        Only with ``return_members=True``: ``record_id``, ``batch_id``,
        ``kind``, ``strength``. An item can be in several batches (a serial run
        and an import-mark batch).

    See Also
    --------
    build_graph : batches become ``batch`` nodes with ``same_batch`` edges.
    networks : seizures linked through strong batches.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["a", "b", "c", "d"],
    ...     "seizure_id": ["s1", "s2", "s3", "s4"],
    ...     "country": ["MLI", "NER", "BFA", "MLI"],
    ...     "make": "Kalashnikov", "model": "AKM",
    ...     "serial": ["KA1001", "KA1004", "KA1009", "KA5000"]})
    >>> found = batches(items)
    >>> found[["batch_id", "items", "countries", "serial_range"]]
      batch_id  items      countries     serial_range
    0    B0001      3  BFA;MLI;NER  KA1001 – KA1009
    >>> found.loc[0, "evidence"]
    'consecutive serials KA1001 – KA1009 (3 numbers, largest gap 5) on Kalashnikov AKM'
    """
    if max_gap < 0:
        raise InvalidParameterError(
            f"max_gap must be 0 or more, but {max_gap!r} was passed."
        )
    kinds = list(BATCH_KINDS) if kinds is None else list(kinds)
    for kind in kinds:
        check_option("kinds", kind, BATCH_KINDS)
    ds = as_dataset(ds)
    items = ds.items
    if "duplicate_of" in items:
        items = items[items["duplicate_of"].isna().to_numpy()]
    aside = set_aside_records(
        items, max_weapon_seizures=max_weapon_seizures, max_gap=max_gap
    )
    if len(aside):
        items = items[~items["record_id"].isin(aside["record_id"]).to_numpy()]
    frame = _item_frame(items)
    found = []
    if "serial_run" in kinds:
        found.append(
            serial_runs(
                frame,
                items["serial_status"],
                max_gap=max_gap,
                by_year=by_year,
                min_digits=min_digits,
            )
        )
    if "lot" in kinds:
        found.append(_lot_groups(frame))
    if "import_mark" in kinds:
        found.append(_import_groups(frame))
    if "headstamp" in kinds:
        found.append(_headstamp_groups(frame))
    table, members = _summarise(frame, found, min_items, min_seizures)
    # plain lists: a DataFrame in attrs breaks pandas operations on the result
    table.attrs["set_aside"] = aside.to_dict("list")
    if return_members:
        return table, members
    return table


def _item_frame(items: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "record_id": items["record_id"].astype("string"),
            "seizure": seizure_keys(items),
            "country": clean_text(items["country"]),
            "seized_on": items["seized_on"],
            "make": clean_text(items["make"]),
            "model": clean_text(items["model"]),
            "calibre": clean_text(items["calibre"]),
            "serial": clean_text(items["serial"]).str.upper(),
            "year": items["year_of_manufacture"],
            "lot": clean_text(items["lot"]),
            "headstamp": clean_text(items["headstamp"]),
            "import_country": clean_text(items["import_country"]),
            "import_year": items["import_year"],
        }
    )
    return frame.reset_index(drop=True)


def _key_groups(
    frame: pd.DataFrame, mask: np.ndarray, columns: list[str], kind: str
) -> pd.DataFrame:
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return empty_found()
    keys = frame.iloc[rows][columns].astype("string").fillna("")
    group = keys.groupby(columns, sort=True).ngroup().to_numpy()
    return pd.DataFrame(
        {"row": rows, "group": group, "kind": kind, "order": np.zeros(len(rows), int)}
    )


def _lot_groups(frame: pd.DataFrame) -> pd.DataFrame:
    mask = frame["lot"].notna().to_numpy()
    return _key_groups(frame, mask, ["calibre", "headstamp", "lot"], "lot")


def _headstamp_groups(frame: pd.DataFrame) -> pd.DataFrame:
    mask = frame["headstamp"].notna().to_numpy() & frame["lot"].isna().to_numpy()
    return _key_groups(frame, mask, ["calibre", "headstamp"], "headstamp")


def _import_groups(frame: pd.DataFrame) -> pd.DataFrame:
    # a marking on an unknown make is no batch (Rio: 156 rounds and rifles of
    # unknown make marked "USA" would pass for one consignment)
    mask = frame["import_country"].notna().to_numpy() & frame["make"].notna().to_numpy()
    cols = ["import_country", "import_year", "make", "model"]
    return _key_groups(frame, mask, cols, "import_mark")


def _summarise(
    frame: pd.DataFrame, found: list[pd.DataFrame], min_items: int, min_seizures: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    found = [f for f in found if len(f)]
    if not found:
        return _empty_batches(), _empty_members()
    kind_order = {k: i for i, k in enumerate(BATCH_KINDS)}
    offset = 0
    parts = []
    for f in found:
        f = f.copy()
        f["group"] = f["group"] + offset
        offset = int(f["group"].max()) + 1
        parts.append(f)
    m = pd.concat(parts, ignore_index=True)
    m["kind"] = m["kind"].astype("string")
    rows = m["row"].to_numpy()
    for col in frame.columns:
        m[col] = frame[col].array.take(rows)
    g = m.groupby("group", sort=False)
    table = g.agg(
        kind=("kind", "first"),
        items=("row", "size"),
        seizures=("seizure", "nunique"),
        n_countries=("country", "nunique"),
        first_seen=("seized_on", "min"),
        last_seen=("seized_on", "max"),
        calibre=("calibre", "first"),
        lot=("lot", "first"),
        headstamp=("headstamp", "first"),
        import_country=("import_country", "first"),
        import_year=("import_year", "first"),
    )
    first_make = m.dropna(subset=["make"]).groupby("group")[["make"]].first()
    first_model = m.dropna(subset=["model"]).groupby("group")[["model"]].first()
    first_year = m.dropna(subset=["year"]).groupby("group")["year"].agg(["min", "max"])
    table = table.join(first_make).join(first_model)
    table["countries"] = joined_unique(m["group"], m["country"]).reindex(table.index)
    runs = m[m["kind"] == "serial_run"].sort_values(["group", "order"], kind="stable")
    ends = runs.groupby("group").agg(
        lo=("serial", "first"), hi=("serial", "last"), numbers=("order", "nunique")
    )
    gaps = (
        runs.assign(gap=runs.groupby("group")["order"].diff())
        .groupby("group")["gap"]
        .max()
    )
    table = table.join(ends).join(gaps.rename("gap")).join(first_year)
    weak = table["kind"].isin(["import_mark", "headstamp"]).to_numpy()
    need = np.where(weak, max(2, min_seizures), min_seizures)
    keep = (table["items"].to_numpy() >= min_items) & (
        table["seizures"].to_numpy() >= need
    )
    table = table[keep]
    if table.empty:
        return _empty_batches(), _empty_members()
    table["strength"] = table["kind"].map(BATCH_KINDS).astype("string")
    table["serial_range"] = (table["lo"] + " – " + table["hi"]).astype("string")
    table["evidence"] = _evidence(table)
    table["_rank"] = table["strength"].map(_STRENGTH_RANK)
    table["_kind"] = table["kind"].map(kind_order)
    table = table.sort_values(
        ["_rank", "n_countries", "seizures", "items", "first_seen", "_kind", "lo"],
        ascending=[True, False, False, False, True, True, True],
        kind="stable",
        na_position="last",
    )
    width = max(4, len(str(len(table))))
    ids = [f"B{i:0{width}d}" for i in range(1, len(table) + 1)]
    id_of = pd.Series(ids, index=table.index, dtype="string")
    table["batch_id"] = id_of
    out = table.reset_index(drop=True)
    out["items"] = out["items"].astype("Int64")
    out["seizures"] = out["seizures"].astype("Int64")
    out["n_countries"] = out["n_countries"].astype("Int64")
    out = out[BATCH_COLUMNS]
    for col in (
        "batch_id",
        "kind",
        "strength",
        "evidence",
        "countries",
        "make",
        "model",
        "calibre",
        "serial_range",
    ):
        out[col] = out[col].astype("string")
    members = m[m["group"].isin(table.index)]
    members = pd.DataFrame(
        {
            "record_id": members["record_id"].astype("string").to_numpy(),
            "batch_id": id_of.reindex(members["group"].to_numpy()).to_numpy(),
            "kind": members["kind"].to_numpy(),
        }
    )
    members["strength"] = members["kind"].map(BATCH_KINDS)
    members = members.astype("string")
    members = members.sort_values(["batch_id", "record_id"], kind="stable")
    return out, members.reset_index(drop=True)


def _evidence(table: pd.DataFrame) -> pd.Series:
    kind = table["kind"]
    what = (
        table["make"].fillna("unknown make") + " " + table["model"].fillna("")
    ).str.strip()
    made = pd.Series("", index=table.index, dtype="string")
    same_year = table["min"].notna() & (table["min"] == table["max"])
    made[same_year] = ", made " + table["min"][same_year].astype("Int64").astype(
        "string"
    )
    run = (
        "consecutive serials "
        + table["lo"].fillna("")
        + " – "
        + table["hi"].fillna("")
        + " ("
        + table["numbers"].astype("Int64").astype("string").fillna("")
        + " numbers, largest gap "
        + table["gap"].astype("Int64").astype("string").fillna("")
        + ") on "
        + what
        + made
    )
    calibre = table["calibre"].fillna("calibre unknown")
    head = table["headstamp"]
    lot = (
        "same lot '"
        + table["lot"].fillna("")
        + "' ("
        + calibre
        + (", headstamp '" + head + "'").fillna("")
        + ")"
    )
    stamp = "same headstamp '" + head.fillna("") + "' (" + calibre + "), no lot"
    year = (" " + table["import_year"].astype("Int64").astype("string")).fillna("")
    mark = (
        "same import marking ("
        + table["import_country"].fillna("")
        + year
        + ") on "
        + what
    )
    seizures = " in " + table["seizures"].astype("string") + " seizures"
    out = pd.Series(pd.NA, index=table.index, dtype="string")
    out[kind == "serial_run"] = run[kind == "serial_run"]
    out[kind == "lot"] = lot[kind == "lot"]
    out[kind == "headstamp"] = (stamp + seizures)[kind == "headstamp"]
    out[kind == "import_mark"] = (mark + seizures)[kind == "import_mark"]
    return out


def _empty_batches() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series([], dtype="string") for c in BATCH_COLUMNS})
    for c in ("items", "seizures", "n_countries"):
        out[c] = pd.Series([], dtype="Int64")
    for c in ("first_seen", "last_seen"):
        out[c] = pd.Series([], dtype="datetime64[s]")
    return out


def _empty_members() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in MEMBER_COLUMNS})
