"""What the supply world's builders share: catalogues, constants and helpers."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd


@cache
def read_data(name: str) -> pd.DataFrame:
    """A catalogue of ``samples/data`` (each row has a ``source``)."""
    path = resources.files("iti_analytics.samples").joinpath("data", f"{name}.csv")
    with resources.as_file(path) as p:
        return pd.read_csv(p, keep_default_na=False, na_values=[""])


_KINDS = read_data("supply_kinds")
#: kinds of diversion point, and their short codes in diversion point ids.
DIVERSION_KINDS = tuple(_KINDS["kind"])
KIND_ABBREVIATION = tuple(_KINDS["abbreviation"])
#: kind weights for a point leaking one item, and for one leaking 50 or more.
KIND_WEIGHT_SMALL = _KINDS["weight_one_item"].to_numpy(float)
KIND_WEIGHT_LARGE = _KINDS["weight_50_items"].to_numpy(float)

#: shares of the records that are not seizures of diverted industrial weapons.
REPORT_SHARE = 0.03
SERVICE_SHARE = 0.04
CRAFT_SHARE = 0.05
CONVERTED_SHARE = 0.02
AMNESTY_SHARE = 0.06

RECEIVER_TYPES = ("armed_group", "criminal_group", "trafficking", "individual")
#: receiver type weights for military and for civilian stock.
RECEIVER_MILITARY = np.array([0.35, 0.35, 0.2, 0.1])
RECEIVER_CIVILIAN = np.array([0.02, 0.43, 0.25, 0.3])
#: countries where armed groups operate in this world.
ARMED_GROUP_COUNTRIES = ("COL", "VEN", "MEX", "ECU", "HTI", "PER")
PLACEHOLDER_SERIALS = ("0", "000000", "SN", "123456", "1", "00000000")
#: share of domestic record checks (a state asking its own registers) answered.
DOMESTIC_ANSWER_RATE = 0.9
#: probability that a country marks the imports of its dealers and forces.
IMPORT_MARKING = {"USA": 0.9, "BRA": 0.5, "COL": 0.5, "MEX": 0.3}
SOURCES = ("police", "armed_forces", "customs", "firearms_registry", "amnesty")
SOURCE_PREFIX = ("POL", "ARM", "CUS", "REG", "AMN")
AGENCIES = (
    "National Police",
    "Armed Forces",
    "Customs",
    "Firearms Registry",
    "Amnesty programme",
)
_NAMES = read_data("supply_names")
FIRST_NAMES = _NAMES.loc[_NAMES["list"] == "first_name", "word"].tolist()
LAST_NAMES = _NAMES.loc[_NAMES["list"] == "last_name", "word"].tolist()
GROUP_WORDS = _NAMES.loc[_NAMES["list"] == "group_word", "word"].tolist()


# catalogues


def model_catalogue() -> pd.DataFrame:
    return read_data("supply_models").copy()


def place_catalogue() -> pd.DataFrame:
    return read_data("supply_places").copy()


def holder_catalogue() -> pd.DataFrame:
    return read_data("supply_holders").copy()


# vectorised helpers


def draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights``."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right").clip(
        0, len(cdf) - 1
    )


def draw_per_row(rng: np.random.Generator, cumulative: np.ndarray) -> np.ndarray:
    """One index per row of ``cumulative`` (rows of cumulative weights)."""
    u = rng.random(len(cumulative)) * cumulative[:, -1]
    return (cumulative < u[:, None]).sum(axis=1)


def draw_in_groups(
    rng: np.random.Generator,
    candidate_group: np.ndarray,
    candidate_weight: np.ndarray,
    wanted_group: np.ndarray,
) -> np.ndarray:
    """For each wanted group, one candidate of that group drawn by weight (-1: none)."""
    order = np.argsort(candidate_group, kind="stable")
    group = candidate_group[order]
    cumulative = np.cumsum(candidate_weight[order].astype(float))
    first = np.searchsorted(group, wanted_group, side="left")
    last = np.searchsorted(group, wanted_group, side="right")
    present = last > first
    low = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
    high = cumulative[np.maximum(last - 1, 0)]
    target = low + rng.random(len(wanted_group)) * (high - low)
    pick = np.searchsorted(cumulative, target, side="right")
    pick = np.clip(pick, first, np.maximum(last - 1, first))
    return np.where(present, order[np.minimum(pick, len(order) - 1)], -1)


def lomax(rng: np.random.Generator, shape: float | np.ndarray, scale, size: int):
    """Heavy-tailed positive delays (Pareto II): ``scale * Lomax(shape)``."""
    return scale * rng.pareto(shape, size)


def rank_in_group(group: np.ndarray) -> np.ndarray:
    """0, 1, 2 … within each run of equal values of a sorted array."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.r_[True, group[1:] != group[:-1]]
    first_position = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    return np.arange(n) - first_position


def day_number(date: str) -> int:
    return int(pd.Timestamp(date).to_datetime64().astype("datetime64[D]").astype(int))


def year_of(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def first_day_of_year(year: np.ndarray) -> np.ndarray:
    return (
        (np.asarray(year) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return (
        prefix + pd.Series(numbers, dtype="int64").astype(str).str.zfill(width)
    ).to_numpy(dtype=object)


def labels_at(labels, codes: np.ndarray) -> np.ndarray:
    """``labels[codes]`` as objects, None where ``codes`` is negative."""
    labels = np.asarray(list(labels) + [None], dtype=object)
    codes = np.asarray(codes)
    return labels[np.where(codes >= 0, codes, len(labels) - 1)]


def as_object_column(values, index: pd.Index):
    """Text as plain Python objects (pandas would infer Arrow strings: slow here)."""
    if isinstance(values, str):
        return pd.Series(np.full(len(index), values, dtype=object), index=index)
    if isinstance(values, pd.Series):
        if values.dtype == object or values.dtype.kind in "OU":
            return values
        if str(values.dtype) in ("str", "string"):
            return pd.Series(
                values.to_numpy(dtype=object, na_value=None), index=values.index
            )
        return values
    array = np.asarray(values) if isinstance(values, list | tuple) else values
    if isinstance(array, np.ndarray) and array.dtype.kind in "OU":
        return pd.Series(array.astype(object), index=index, dtype=object)
    return values


def object_frame(columns: dict) -> pd.DataFrame:
    """A DataFrame whose text columns stay Python objects."""
    size = next(
        len(v) for v in columns.values() if not np.isscalar(v) and v is not None
    )
    index = pd.RangeIndex(size)
    return pd.DataFrame(
        {k: as_object_column(v, index) for k, v in columns.items()}, index=index
    )


def assign_objects(frame: pd.DataFrame, **columns) -> pd.DataFrame:
    """``frame.assign(**columns)`` keeping text columns as Python objects."""
    return frame.assign(
        **{k: as_object_column(v, frame.index) for k, v in columns.items()}
    )


def as_dates(day) -> pd.Series:
    """Day numbers as dates; negative numbers are missing."""
    day = np.asarray(day, dtype=np.int64)
    out = day.astype("datetime64[D]").astype("datetime64[s]")
    out[day < 0] = np.datetime64("NaT")
    return pd.Series(out)


def as_integers(values) -> pd.Series:
    """Integers with -1 for missing, as nullable ``Int64``."""
    values = np.asarray(values, dtype=np.int64)
    return pd.Series(pd.array(values, dtype="Int64").astype("Int64")).mask(values < 0)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``string``, flags as ``boolean``, ints kept."""
    out = frame.copy()
    for column in out.columns:
        s = out[column]
        if s.dtype == object or str(s.dtype) == "str":
            out[column] = as_strings(s.to_numpy(dtype=object))
        elif s.dtype.kind == "b":
            out[column] = s.astype("boolean")
    return out


def coded_strings(labels, codes) -> pd.Series:
    """``labels[codes]`` as a ``string`` Series (null where a code is negative)."""
    import pyarrow as pa

    labels = [None if pd.isna(x) else str(x) for x in labels]
    codes = np.asarray(codes, dtype=np.int64)
    dictionary = pa.array([x or "" for x in labels], type=pa.string())
    missing = np.array([x is None for x in labels] + [True])
    mask = missing[np.where(codes >= 0, codes, len(labels))]
    indices = pa.array(np.maximum(codes, 0).astype(np.int32), mask=mask)
    text = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())
    return pd.Series(pd.array(text, dtype="string"))


def as_strings(values: np.ndarray) -> pd.Series:
    """Python strings (None for missing) as a ``string`` Series, each value once."""
    import pyarrow as pa

    codes, labels = pd.factorize(values)
    if len(labels) > len(values) // 4:
        return pd.Series(values, dtype="string")
    dictionary = pa.array(list(labels), type=pa.string())
    indices = pa.array(np.maximum(codes, 0).astype(np.int32), mask=codes < 0)
    text = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())
    return pd.Series(pd.array(text, dtype="string"))
