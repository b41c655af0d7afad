"""Shared helpers of the network analyses: columns, node ids, grouping, distances."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..exceptions import InvalidParameterError

__all__: list[str] = []


def use_columns(
    frame: pd.DataFrame, names: Mapping[str, str | None], table: str = "items"
) -> pd.DataFrame:
    """Select the user's columns under their canonical names.

    ``names`` maps canonical name -> the user's column (None = not used). A
    column the user named but that is absent raises an error naming it; a
    canonical default that is absent becomes null.
    """
    spec = schema.TABLES[table]
    data = {}
    for canonical, given in names.items():
        if given is None:
            data[canonical] = pd.Series(
                pd.NA, index=frame.index, dtype=spec.get(canonical, "string")
            )
        elif given in frame.columns:
            data[canonical] = frame[given]
        elif f"x_{given}" in frame.columns:  # conform() prefixed a user's column
            data[canonical] = frame[f"x_{given}"]
        elif given == canonical:
            data[canonical] = pd.Series(
                pd.NA, index=frame.index, dtype=spec.get(canonical, "string")
            )
        else:
            raise InvalidParameterError(
                f"Column {given!r} (passed as `{canonical}=`) is not in the {table} "
                f"table; its columns are {_names(frame)}. Pass the name of an "
                f"existing column, or None to leave {canonical} out."
            )
    return pd.DataFrame(data, index=frame.index)


def _names(frame: pd.DataFrame) -> list[str]:
    return [str(c)[2:] if str(c).startswith("x_") else str(c) for c in frame.columns]


def clean_text(series: pd.Series) -> pd.Series:
    """Strip and collapse whitespace; empty strings become null (string dtype).

    Each distinct value is cleaned once (factorize, clean, take back), with
    Arrow string kernels.
    """
    s = series if series.dtype == "string" else series.astype("string")
    codes, uniques = pd.factorize(s)
    if len(uniques) == 0:
        return s
    arr = pa.array(np.asarray(uniques, dtype=object), type=pa.string())
    trimmed = pc.utf8_trim_whitespace(arr)
    messy = pc.match_substring_regex(trimmed, r"\s\s|[\t\n\r\f\v]")
    if pc.any(messy).as_py():
        words = pc.utf8_split_whitespace(trimmed)
        trimmed = pc.if_else(messy, pc.binary_join(words, " "), trimmed)
    empty = pc.equal(pc.utf8_length(trimmed), 0)
    if not pc.any(empty).as_py() and trimmed.equals(arr):
        return s
    cleaned = pd.array(pc.if_else(empty, None, trimmed), dtype="string")
    return pd.Series(cleaned.take(codes, allow_fill=True), index=s.index)


def seizure_keys(items: pd.DataFrame) -> pd.Series:
    """Key of the event of each item.

    ``"<source>:<seizure_id>"`` (``"<seizure_id>"`` when the source is
    unknown), so that two agencies numbering their cases 1, 2, 3 do not merge;
    ``"=<record_id>"`` when the seizure id is missing (the record is its own
    event).
    """
    sid = clean_text(items["seizure_id"])
    src = clean_text(items["source"]) if "source" in items else None
    key = sid if src is None else (src + ":" + sid).fillna(sid)
    return key.fillna("=" + items["record_id"].astype("string")).astype("string")


def place_ids(
    country: pd.Series, admin1: pd.Series, locality: pd.Series
) -> pd.DataFrame:
    """Hierarchical place ids per row: ``NER``, ``NER/Tillabéri``, ``NER/T…/Ayorou``.

    An unknown level is left empty (``NER//Ayorou``: locality known, region not).
    Returns columns ``country``, ``admin1``, ``locality`` (the id of each level,
    null when the level is unknown) and ``place`` (the most specific one).
    """
    c = clean_text(country)
    a = clean_text(admin1)
    loc = clean_text(locality)
    cc = c.fillna("")
    aa = a.fillna("")
    country_id = c
    admin_id = (cc + "/" + a).where(a.notna())
    loc_id = (cc + "/" + aa + "/" + loc).where(loc.notna())
    place = loc_id.fillna(admin_id).fillna(country_id)
    return pd.DataFrame(
        {"country": country_id, "admin1": admin_id, "locality": loc_id, "place": place},
        index=country.index,
    ).astype("string")


def iso_dates(series: pd.Series) -> np.ndarray:
    """``YYYY-MM-DD`` strings (object array), None where the date is missing."""
    values = pd.to_datetime(series, errors="coerce").to_numpy(dtype="datetime64[D]")
    out = np.datetime_as_string(values, unit="D").astype(object)
    out[np.isnat(values)] = None
    return out


def group_slices(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stable sort order and [start, end) bounds of each run of equal codes."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    if len(sorted_codes) == 0:
        empty = np.array([], dtype=np.int64)
        return order, empty, empty
    change = np.flatnonzero(sorted_codes[1:] != sorted_codes[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(sorted_codes)]])
    return order, starts, ends


def lists_by_group(codes: np.ndarray, values: np.ndarray, n_groups: int) -> list[list]:
    """``out[g]`` = list of ``values`` whose code is ``g`` (input order kept)."""
    if len(codes) == 0:
        return [[] for _ in range(n_groups)]
    order, starts, ends = group_slices(codes)
    flat = values[order].tolist()  # slicing a list beats n small numpy slices
    slices = [flat[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    if len(slices) == n_groups:  # every group present: codes come in order
        return slices
    out: list[list] = [[] for _ in range(n_groups)]
    for g, chunk in zip(codes[order][starts].tolist(), slices, strict=True):
        out[g] = chunk
    return out


def most_frequent(keys: np.ndarray, values: np.ndarray | pd.Series) -> pd.Series:
    """Per key, the most frequent non-null value (ties: the smallest value).

    Examples
    --------
    >>> most_frequent(np.array([0, 0, 0, 1, 1]), ["b", "a", "b", "x", "w"]).to_dict()
    {0: 'b', 1: 'w'}
    """
    # a Series keeps its dtype (the caller's null is the result's null)
    v = values.array if isinstance(values, pd.Series) else np.asarray(values)
    return (
        pd.DataFrame({"k": np.asarray(keys), "v": v})
        .dropna()
        .value_counts()
        .reset_index()
        .sort_values(["k", "count", "v"], ascending=[True, False, True])
        .drop_duplicates("k")
        .set_index("k")["v"]
    )


def joined_unique(keys: pd.Series | np.ndarray, values: pd.Series, sep: str = ";"):
    """Per key, the sorted distinct non-null values joined by ``sep`` (a Series)."""
    frame = pd.DataFrame(
        {"k": np.asarray(keys), "v": pd.Series(values).astype("string").to_numpy()}
    )
    frame = frame.dropna().drop_duplicates().sort_values(["k", "v"])
    if frame.empty:
        return pd.Series(dtype="string")
    k = frame["k"].to_numpy()
    v = frame["v"].to_numpy(dtype=object)
    change = np.flatnonzero(k[1:] != k[:-1]) + 1
    starts = np.concatenate([[0], change]).tolist()
    ends = np.concatenate([change, [len(k)]]).tolist()
    joined = [sep.join(v[a:b]) for a, b in zip(starts, ends, strict=False)]
    return pd.Series(joined, index=k[starts], dtype="string")


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km (vectorised, R = 6371 km)."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def route_legs(
    origin: pd.Series, transit: pd.Series, destination: pd.Series, legs: bool = True
) -> pd.DataFrame:
    """Expand routes into legs, vectorised.

    Each row's route is ``origin -> transit_1 -> ... -> destination``
    (``transit`` is a ``;``-separated list). Unknown stops are skipped and
    consecutive repeats collapsed. With ``legs=False`` only ``origin ->
    destination`` is kept. A route that never leaves one country gives one
    self-loop ``X -> X`` (a domestic flow). A row whose origin is unknown gives
    no leg (where the item came from is what a corridor says), nor does a route
    with a single stop. Returns ``row`` (position in the input), ``origin``,
    ``destination``.
    """
    o = clean_text(origin).str.upper().reset_index(drop=True)
    d = clean_text(destination).str.upper().reset_index(drop=True)
    if legs:
        t = clean_text(transit).str.upper().fillna("").reset_index(drop=True)
        route = (o + ";" + t + ";" + d.fillna(""))[o.notna()]
    else:
        route = (o + ";" + d)[o.notna() & d.notna()]
    stops = route.str.split(";").explode().str.strip()
    stops = stops[stops.str.len().fillna(0).to_numpy() > 0]
    rows = stops.index.to_numpy(dtype=np.int64)
    values = stops.to_numpy(dtype=object)
    raw_per_row = np.bincount(rows, minlength=len(o))
    repeat = np.zeros(len(values), dtype=bool)
    repeat[1:] = (rows[1:] == rows[:-1]) & (values[1:] == values[:-1])
    rows, values = rows[~repeat], values[~repeat]
    same_row_next = rows[1:] == rows[:-1]
    kept_per_row = np.bincount(rows, minlength=len(o))
    loops = np.flatnonzero((kept_per_row == 1) & (raw_per_row >= 2))
    loop_values = values[np.searchsorted(rows, loops)]
    out = pd.DataFrame(
        {
            "row": np.concatenate([rows[:-1][same_row_next], loops]),
            "origin": np.concatenate([values[:-1][same_row_next], loop_values]),
            "destination": np.concatenate([values[1:][same_row_next], loop_values]),
        }
    )
    out = out.sort_values("row", kind="stable").reset_index(drop=True)
    out["row"] = out["row"].astype(np.int64)
    out["origin"] = out["origin"].astype("string")
    out["destination"] = out["destination"].astype("string")
    return out
