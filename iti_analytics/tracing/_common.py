"""Shared helpers of the tracing stage: inputs, notes, dates, keys and groups."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from .._text import actor_keys
from .._text import fold_values as fold
from .._validation import as_date
from ..exceptions import InvalidParameterError, TracingWarning
from ..exceptions import warn as _warn

__all__ = ["TracingWarning", "actor_keys", "fold"]

_TABLES = ("items", "traces")


def tables(ds: Any, what: str = "ds") -> SimpleNamespace:
    """Duck-type ``ds`` into conformed ``items`` and ``traces`` tables.

    Accepts a Dataset, anything with ``.items`` / ``.traces`` DataFrames, a
    mapping of them, or an items DataFrame.
    """
    if isinstance(ds, pd.DataFrame):
        parts: Mapping[str, Any] = {"items": ds}
    elif isinstance(ds, Mapping):
        parts = ds
    elif hasattr(ds, "items") and isinstance(getattr(ds, "items", None), pd.DataFrame):
        parts = {t: getattr(ds, t, None) for t in _TABLES}
    else:
        raise InvalidParameterError(
            f"`{what}` must be a Dataset, an object with `.items` and `.traces` "
            f"DataFrames, or an items DataFrame, but a {type(ds).__name__} was "
            "passed. Build one with iti_analytics.Dataset(items=..., traces=...)."
        )
    out = {}
    for name in _TABLES:
        frame = parts.get(name)
        if frame is None:
            out[name] = schema.empty_table(name)
        elif isinstance(frame, pd.DataFrame):
            out[name] = schema.as_canonical(frame, name)
        else:
            raise InvalidParameterError(
                f"`{what}.{name}` must be a DataFrame, but a {type(frame).__name__} "
                "was passed."
            )
    items = out["items"]
    if items["record_id"].isna().any() or not items["record_id"].is_unique:
        raise InvalidParameterError(
            f"`{what}.items` needs a unique, non-null `record_id` per row; "
            f"{int(items['record_id'].isna().sum())} are null and "
            f"{int(items['record_id'].duplicated().sum())} repeated. Load the table "
            "through iti_analytics.Dataset, which assigns record ids."
        )
    return SimpleNamespace(**out)


def add_note(notes: list[str], message: str, *, warn: bool = True) -> None:
    """Record ``message`` in ``notes`` (once) and warn with :class:`TracingWarning`."""
    if message in notes:
        return
    notes.append(message)
    if warn:
        _warn(message, TracingWarning)


def resolve_as_of(
    as_of: Any, items: pd.DataFrame, traces: pd.DataFrame
) -> pd.Timestamp:
    """The reference date: ``as_of`` or the latest date in the data (else today)."""
    if as_of is not None:
        return as_date(as_of, "as_of")
    dates = [items["seized_on"].max()]
    for col in ("sent_on", "acknowledged_on", "responded_on"):
        dates.append(traces[col].max())
    dates = [d for d in dates if pd.notna(d)]
    if not dates:
        return pd.Timestamp.today().normalize()
    return pd.Timestamp(max(dates)).normalize()


def seizure_keys(items: pd.DataFrame) -> pd.Series:
    """The event of each item: ``source:seizure_id``; ``=record_id`` when unknown."""
    sid = items["seizure_id"].astype("string").str.strip()
    sid = sid.where(sid != "")
    src = items["source"].astype("string")
    key = (src + ":" + sid).fillna(sid)
    return key.fillna("=" + items["record_id"].astype("string")).astype("string")


def group_codes(key: pd.Series | np.ndarray) -> np.ndarray:
    """Integer codes of ``key`` (-1 where null)."""
    codes, _ = pd.factorize(pd.Series(key), use_na_sentinel=True)
    return codes.astype(np.int64)


def years_between(later: pd.Series | pd.Timestamp, year: pd.Series) -> np.ndarray:
    """Whole years from ``year`` (of manufacture, import) to a date; NaN if unknown."""
    y = (
        pd.to_numeric(year, errors="coerce")
        .astype("Float64")
        .to_numpy(dtype=float, na_value=np.nan)
    )
    if isinstance(later, pd.Timestamp):
        ref = np.full(len(y), later.year + (later.day_of_year - 1) / 365.25)
    else:
        dates = pd.to_datetime(later)
        ref = (dates.dt.year + (dates.dt.day_of_year - 1) / 365.25).to_numpy(
            dtype=float, na_value=np.nan
        )
    return ref - (y + 0.5)


def as_bool(series: pd.Series) -> np.ndarray:
    """A nullable boolean/str column as a plain bool array (null -> False)."""
    return series.astype("boolean").fillna(False).to_numpy(dtype=bool)


def isin(series: pd.Series, values: Any) -> np.ndarray:
    """``series.isin(values)`` as a plain bool array (null -> False)."""
    return series.isin(list(values)).fillna(False).to_numpy(dtype=bool)


def count_words(n: Any, word: str, plural: str | None = None) -> str:
    """``"1 seizure"``, ``"3 seizures"``."""
    n = int(n)
    return f"{n} {word if n == 1 else (plural or word + 's')}"
