"""Helpers shared by the indicator modules: group keys, data issues, warnings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from .._validation import as_date
from ..exceptions import (
    DataQualityWarning,
    InvalidParameterError,
    NoDataWarning,
    warn,
)

__all__ = [
    "DataQualityWarning",
    "ISSUE_COLUMNS",
    "indicator_issues",
]

#: columns of the issues table behind ``result.attrs["issues"]`` (all strings).
ISSUE_COLUMNS: list[str] = list(schema.INDICATOR_ISSUE_COLUMNS)

#: the id columns of the issues table that name a row of each table.
_ISSUE_IDS: dict[str, tuple[str, ...]] = {
    "items": ("record_id",),
    "traces": ("trace_id", "record_id"),
}

#: item statuses that count as "recovered" (seized, found or surrendered).
RECOVERED_STATUSES = ("seized", "found", "surrendered", "captured")


def indicator_issues(result: pd.DataFrame) -> pd.DataFrame:
    """The data problems behind an indicator table, one row per record and problem.

    Every indicator function records the records it had to leave out of a
    statistic (answer dated before the request, trace pointing at an unknown
    item, negative duration, …) in ``result.attrs["issues"]`` as a list of
    plain dicts, so that ``pd.concat`` of several results keeps working. This
    turns them into a DataFrame.

    Parameters
    ----------
    result : DataFrame
        A table returned by an indicator function.

    Returns
    -------
    DataFrame
        Columns ``table``, ``trace_id``, ``record_id``, ``column``, ``value``,
        ``problem`` (in words) and ``excluded_from`` (the statistic the record
        was left out of), all strings. An id column that no table of the
        indicator has and that is empty throughout is left out (the issues of
        ``time_to_recovery``, about items, have no ``trace_id``). Empty when
        nothing was wrong.

    Examples
    --------
    >>> import pandas as pd
    >>> from iti_analytics.indicators import trace_performance
    >>> traces = pd.DataFrame({"trace_id": ["t1", "t2"], "requested_party": "FRA",
    ...     "sent_on": pd.to_datetime(["2024-01-10", "2024-01-10"]),
    ...     "responded_on": pd.to_datetime(["2024-02-01", "2023-12-01"])})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     perf = trace_performance(traces)
    >>> print(caught[0].message)
    trace_performance: data problems in 1 trace request (1 answer dated before
    the request); each is left out of the statistic it would distort. See
    indicator_issues(result).
    >>> issue = indicator_issues(perf).iloc[0]
    >>> issue["trace_id"], issue["problem"]
    ('t2', 'answer dated before the request')
    >>> issue["excluded_from"]
    'time to answer and time to acknowledge'
    """
    records = result.attrs.get("issues", [])
    out = pd.DataFrame(list(records), columns=ISSUE_COLUMNS).astype("string")
    tables = set(out["table"].dropna()) | set(result.attrs.get("issue_tables", ()))
    if not tables:  # nothing says which ids matter: keep them all
        return out
    relevant = {c for t in tables for c in _ISSUE_IDS.get(t, ("trace_id", "record_id"))}
    empty = [
        c
        for c in ("trace_id", "record_id")
        if c not in relevant and out[c].fillna("").eq("").all()
    ]
    return out.drop(columns=empty)


# ------------------------------------------------------------------- records


def warn_all_excluded(function: str, kept: int, not_counted: dict[str, int]) -> None:
    """Say why, when an indicator had records but left every one of them out.

    An empty result is never silent: the warning gives the counts by reason
    (``not weapon``, ``no seized_on date``…), so the analyst can change the
    options or fix the data.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_all_excluded("trends", 0, {"not weapon": 4, "duplicate record": 0})
    >>> print(caught[0].message)
    trends: all 4 records were left out (4 not weapon), so the result is empty.
    """
    left_out = {reason: n for reason, n in not_counted.items() if n}
    total = sum(left_out.values())
    if kept or not total:
        return
    detail = "; ".join(f"{n} {reason}" for reason, n in left_out.items())
    plural = "s" if total != 1 else ""
    warn(
        f"{function}: all {total} record{plural} were left out ({detail}), so the "
        "result is empty.",
        NoDataWarning,
    )


def isin(values: pd.Series, allowed: Any) -> pd.Series:
    """``values.isin(allowed)`` as a bool Series, fast for large ``allowed``.

    pandas' ``isin`` on Arrow strings converts ``allowed`` one value at a time
    (seconds for a million ids); Arrow's ``is_in`` does it natively.
    """
    allowed = pd.Series(allowed, dtype="string").dropna().unique()
    if len(allowed) <= 1_000:
        return values.isin(list(allowed)).fillna(False).astype(bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    text = values.astype("string")
    found = pc.is_in(pa.array(text.array), value_set=pa.array(allowed))
    return pd.Series(np.asarray(found.fill_null(False), dtype=bool), index=values.index)


def kind_mask(items: pd.DataFrame, item_kind: str | None) -> pd.Series:
    """Rows of ``item_kind`` (weapons told by :func:`weapon_mask`); all for None."""
    if item_kind is None:
        return pd.Series(True, index=items.index)
    if item_kind == "weapon":
        return weapon_mask(items)
    return (items["item_kind"] == item_kind).fillna(False).astype(bool)


def weapon_mask(items: pd.DataFrame) -> pd.Series:
    """Rows that are weapons: ``item_kind == "weapon"``, or no kind but a category."""
    kind = items["item_kind"]
    return (
        ((kind == "weapon") | (kind.isna() & items["category"].notna()))
        .fillna(False)
        .astype(bool)
    )


def as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def group_keys(
    frame: pd.DataFrame, by: list[str], *, date_column: str, table: str
) -> pd.DataFrame:
    """Key columns for ``by``: table columns, or year/month of ``date_column``."""
    out = {}
    for key in by:
        if key == "year" and "year" not in frame.columns:
            out[key] = frame[date_column].dt.year.astype("Int64")
        elif key == "month" and "month" not in frame.columns:
            out[key] = frame[date_column].dt.to_period("M")
        elif key in frame.columns:
            out[key] = frame[key]
        else:
            options = ["year", "month"] + [str(c) for c in frame.columns]
            raise InvalidParameterError(
                f"The value for `by` must name columns of the {table} table or "
                f"'year'/'month' (of {date_column}), but {key!r} was passed. "
                f"Available: {options}."
            )
    return pd.DataFrame(out, index=frame.index)


def group_codes(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row (sorted keys, nulls last) and the key table."""
    if keys.shape[1] == 0:
        return np.zeros(len(keys), dtype=np.int64), pd.DataFrame(index=[0])
    codes = keys.groupby(list(keys.columns), dropna=False, sort=True).ngroup()
    codes = codes.to_numpy(dtype=np.int64)
    first = pd.Series(np.arange(len(keys))).groupby(codes).first()
    table = keys.iloc[first.to_numpy()].reset_index(drop=True)
    return codes, table


def issue_records(
    frame: pd.DataFrame,
    mask: pd.Series,
    *,
    table: str,
    problem: str | pd.Series,
    excluded_from: str,
    column: str = "",
    value: pd.Series | Callable[[pd.DataFrame], pd.Series] | None = None,
) -> list[dict[str, str]]:
    """Issue dicts for the rows of ``frame`` where ``mask`` is true.

    ``value`` may be a function of the selected rows, so that formatting
    (dates as text) is done for the few bad rows only.
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    sub = frame[mask]
    n = len(sub)

    def texts(col: str) -> list[str]:
        if col in sub.columns:
            return sub[col].astype("string").fillna("").tolist()
        return [""] * n

    problems = (
        problem[mask].astype("string").fillna("").tolist()
        if isinstance(problem, pd.Series)
        else [problem] * n
    )
    if callable(value):
        value = value(sub)
    elif value is not None:
        value = value[mask]
    values = (
        value.astype("string").fillna("").tolist() if value is not None else [""] * n
    )
    return [
        {
            "table": table,
            "trace_id": t,
            "record_id": r,
            "column": column,
            "value": v,
            "problem": p,
            "excluded_from": excluded_from,
        }
        for t, r, v, p in zip(
            texts("trace_id"), texts("record_id"), values, problems, strict=True
        )
    ]


def warn_data(message: str) -> None:
    """Emit a :class:`DataQualityWarning` pointing at the user's call."""
    warn(message, DataQualityWarning)


def report_issues(
    result: pd.DataFrame,
    issues: list[dict[str, str]],
    *,
    function: str,
    what: str,
    tables: Sequence[str] = (),
) -> pd.DataFrame:
    """Attach ``issues`` to ``result.attrs`` and warn once with the counts.

    ``tables`` are the canonical tables the indicator reads (kept in
    ``attrs["issue_tables"]``): :func:`indicator_issues` keeps their id
    columns even when there is no issue.
    """
    result.attrs["issues"] = issues
    if tables:
        result.attrs["issue_tables"] = list(tables)
    if issues:
        counts = pd.Series([i["problem"] for i in issues]).value_counts()
        detail = "; ".join(f"{n} {p}" for p, n in counts.items())
        records = len({(i["trace_id"], i["record_id"]) for i in issues})
        plural = "s" if records != 1 else ""
        warn_data(
            f"{function}: data problems in {records} {what}{plural} ({detail}); "
            "each is left out of the statistic it would distort. "
            "See indicator_issues(result)."
        )
    return result


def as_timestamp(value: Any, name: str) -> pd.Timestamp:
    """Parse a user date (string, date, Timestamp) or raise a helpful error."""
    return as_date(value, name)


def check_positive(name: str, value: Any, *, allow_zero: bool = False) -> Any:
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool
    )
    if ok:
        ok = value >= 0 if allow_zero else value > 0
    if not ok:
        kind = "a number >= 0" if allow_zero else "a positive number"
        raise InvalidParameterError(
            f"`{name}` must be {kind}, but {value!r} was passed."
        )
    return value


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` as Float64, NA where the denominator is 0."""
    num = numerator.astype("Float64")
    den = denominator.astype("Float64")
    return (num / den.where(den > 0)).astype("Float64")
