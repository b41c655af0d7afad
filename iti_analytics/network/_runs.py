"""Runs of consecutive serial numbers, shared by batches and the set-aside rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__: list[str] = []

_SERIAL = r"^(?P<prefix>.*?)(?P<digits>\d+)(?P<suffix>\D*)$"

#: serial statuses that cannot place a weapon in a run.
UNUSABLE_SERIAL = ("partial", "obliterated", "absent")


def empty_found() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": np.array([], dtype=np.int64),
            "group": np.array([], dtype=np.int64),
            "kind": pd.Series([], dtype="string"),
            "order": np.array([], dtype=np.int64),
        }
    )


def serial_runs(
    frame: pd.DataFrame,
    serial_status: pd.Series,
    *,
    max_gap: int,
    by_year: bool,
    min_digits: int,
) -> pd.DataFrame:
    """Runs of consecutive serials: ``row`` (position in ``frame``), ``group``, ...

    ``frame`` holds ``serial`` (cleaned, upper case), ``make``, ``model`` and
    ``year`` (of manufacture), one row per item in the order of
    ``serial_status``. Same make and model (a missing model is one value),
    serials made of the same prefix and suffix around a number, numbers at
    most ``max_gap`` apart; at least two distinct numbers. Returns ``row``,
    ``group`` (run code), ``kind`` (``"serial_run"``) and ``order`` (the
    number).
    """
    status = serial_status.astype("string").reset_index(drop=True)
    usable = (
        frame["serial"].notna()
        & frame["make"].notna()
        & ~status.isin(UNUSABLE_SERIAL).fillna(False)
    ).to_numpy(dtype=bool)
    rows = np.flatnonzero(usable)
    if len(rows) == 0:
        return empty_found()
    codes, uniques = pd.factorize(frame["serial"].take(rows))
    parsed = pc.extract_regex(pa.array(uniques.array), _SERIAL)
    valid = np.asarray(parsed.is_valid(), dtype=bool)
    digits = pc.struct_field(parsed, "digits")
    n_digits = np.asarray(pc.fill_null(pc.utf8_length(digits), 0), dtype=np.int64)
    valid &= (n_digits >= min_digits) & (n_digits <= 18)
    if not valid.any():
        return empty_found()
    number = np.zeros(len(valid), dtype=np.int64)
    number[valid] = np.asarray(
        pc.cast(pc.filter(digits, pa.array(valid)), pa.int64()), dtype=np.int64
    )
    ok = valid[codes]
    rows, codes = rows[ok], codes[ok]
    if len(rows) == 0:
        return empty_found()
    prefix_code = pd.factorize(pc.struct_field(parsed, "prefix").to_numpy(False))[0]
    suffix_code = pd.factorize(pc.struct_field(parsed, "suffix").to_numpy(False))[0]
    make_code = pd.factorize(frame["make"])[0]
    model_code = pd.factorize(frame["model"], use_na_sentinel=False)[0]
    keys = pd.DataFrame(
        {
            "make": make_code[rows],
            "model": model_code[rows],
            "prefix": prefix_code[codes],
            "suffix": suffix_code[codes],
        }
    )
    key = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    num = number[codes]
    order = np.lexsort((num, key))
    key, num, rows = key[order], num[order], rows[order]
    new_run = np.ones(len(rows), dtype=bool)
    new_run[1:] = (key[1:] != key[:-1]) | (num[1:] - num[:-1] > max_gap)
    if by_year:
        year = frame["year"].take(rows).reset_index(drop=True)
        cur = year.to_numpy(dtype=float, na_value=np.nan)
        known = year.groupby(key).ffill().to_numpy(dtype=float, na_value=np.nan)
        conflict = np.zeros(len(rows), dtype=bool)
        conflict[1:] = (
            ~np.isnan(cur[1:]) & ~np.isnan(known[:-1]) & (cur[1:] != known[:-1])
        )
        new_run |= conflict
    run = np.cumsum(new_run) - 1
    # a run needs at least two distinct numbers (one repeated serial is the
    # same weapon reported twice, the linkage's business)
    distinct = np.ones(len(rows), dtype=bool)
    distinct[1:] = new_run[1:] | (num[1:] != num[:-1])
    n_distinct = np.bincount(run, weights=distinct)
    keep = n_distinct[run] >= 2
    return pd.DataFrame(
        {
            "row": rows[keep],
            "group": run[keep],
            "kind": "serial_run",
            "order": num[keep],
        }
    )
