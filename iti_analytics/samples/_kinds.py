"""Kinds of diversion point and of receiver, and the numbers that describe them.

Read from ``data/west_africa/point_kinds.csv``, ``point_countries.csv`` and
``receiver_types.csv`` (synthetic weights). Kinds and receiver types are
numbered in file order; the generator works with those numbers.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd


def _read(name: str) -> pd.DataFrame:
    path = resources.files(__package__).joinpath("data", "west_africa", f"{name}.csv")
    with resources.as_file(path) as p:
        return pd.read_csv(p, keep_default_na=False, encoding="utf-8")


_POINT_KINDS = _read("point_kinds")
_RECEIVER_TYPES = _read("receiver_types")
_POINT_COUNTRIES = _read("point_countries")

#: kinds of diversion point, and their short codes in diversion point ids.
KINDS = tuple(_POINT_KINDS["kind"])
KIND_ABBREVIATIONS = tuple(_POINT_KINDS["abbreviation"])
STOCKPILE, EXPORT, HISTORIC, CIVILIAN, WORKSHOP, COMMERCIAL = range(len(KINDS))

#: share of the physical weapons coming from each kind of point; ammunition,
#: parts and IED components ride with batches.
WEAPON_SHARE = _POINT_KINDS["weapon_share"].to_numpy(float)
AMMUNITION_SHARE = 0.11
PART_SHARE = 0.02
#: mean recovered items per batch, and the log-normal spread of batch sizes.
MEAN_BATCH_ITEMS = _POINT_KINDS["mean_batch_items"].to_numpy(float)
BATCH_SIZE_SIGMA = _POINT_KINDS["batch_size_sigma"].to_numpy(float)
#: median years between diversion and recovery (log-normal, sigma 1).
MEDIAN_YEARS_TO_RECOVERY = _POINT_KINDS["median_years_to_recovery"].to_numpy(float)
YEARS_TO_RECOVERY_SIGMA = 1.0
#: items leave points in larger numbers than are recovered in the period: only
#: those recovered between ``start`` and ``end`` become records.
OVERSAMPLE = 1.5

#: types of receiver (the ``network_type`` of the truth).
RECEIVER_TYPES = tuple(_RECEIVER_TYPES["receiver_type"])
ARMED_GROUP, CRIMINAL_GROUP, TRAFFICKING, INDIVIDUAL = range(len(RECEIVER_TYPES))
#: who receives batches from each kind of point (rows: kinds; columns: types).
RECEIVER_WEIGHTS = _POINT_KINDS[
    ["to_armed_group", "to_criminal_group", "to_trafficking", "to_individual"]
].to_numpy(float)
#: mean items per seizure event, and the longest gap inside one event (days).
MEAN_ITEMS_PER_SEIZURE = _RECEIVER_TYPES["mean_items_per_seizure"].to_numpy(float)
MAX_DAYS_BETWEEN_ITEMS = _RECEIVER_TYPES["max_days_between_items"].to_numpy(np.int64)
#: settings of seizure events, and their weights per receiver type.
SETTINGS = ("conflict", "border", "crime", "stockpile")
SETTING_WEIGHTS = _RECEIVER_TYPES[[f"setting_{s}" for s in SETTINGS]].to_numpy(float)


def country_weights_of(kind: str) -> dict[str, float]:
    """``{iso3: weight}`` of the states where points of ``kind`` lie.

    ``kind`` is one of :data:`KINDS` or ``"conversion_workshop"``.
    """
    rows = _POINT_COUNTRIES[_POINT_COUNTRIES["kind"] == kind]
    return dict(zip(rows["country"], rows["weight"].astype(float), strict=True))
