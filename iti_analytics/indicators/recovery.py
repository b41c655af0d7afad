"""Time from the last legal event to recovery: the international time-to-crime.

A weapon recovered soon after it was last in legal hands (retail sale, import,
transfer) points to recent diversion; ATF's "time-to-crime" under three years
is the usual flag. :func:`time_to_recovery` gives the duration per item and
:func:`time_to_recovery_summary` the median and the share under the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._validation import check_option
from ..dataset import DatasetLike, as_dataset
from ._common import (
    as_list,
    as_timestamp,
    check_positive,
    issue_records,
    report_issues,
    share,
    warn_all_excluded,
)

__all__ = ["time_to_recovery", "time_to_recovery_summary"]

_DAYS_PER_YEAR = 365.25


def time_to_recovery(
    ds: DatasetLike,
    *,
    as_of: Any = None,
    threshold_years: int = 3,
    columns: Sequence[str] = (),
    fallback: Sequence[str] = (),
) -> pd.DataFrame:
    """Days and years from the last legal event to recovery, per item.

    Parameters
    ----------
    ds : Dataset or DataFrame
        Its ``items`` (``last_legal_on``, ``seized_on``); a DataFrame is taken
        as the items table.
    as_of : date, optional
        Recovery dates after this day are impossible (a typo, or a date past
        the data extract): they are reported and left out. Default: today.
        Pass the extraction date of the data when known.
    threshold_years : int, default 3
        The flag ``under_<n>_years`` is true when the item was recovered less
        than ``n`` calendar years after the last legal event.
    columns : sequence of str, optional
        Items columns to carry along (e.g. ``["country", "make"]``) for
        :func:`time_to_recovery_summary` ``by=``.
    fallback : sequence of {"import_year", "year_of_manufacture"}, optional
        When ``last_legal_on`` is unknown, use these years in this order,
        dated 1 July (or the recovery date, if the item was recovered earlier
        in that same year). Default: none — the exact last legal date only,
        as in ATF's time-to-crime. Durations from the year of manufacture are
        much longer than from a retail sale: keep them apart with
        ``based_on``.

    Returns
    -------
    DataFrame
        One row per item with both dates and a valid duration, with the
        items' index: ``record_id``, ``last_legal_on`` (estimated from a year
        when a fallback was used), ``seized_on``, ``days``, ``years`` (days /
        365.25), ``under_3_years`` (name follows ``threshold_years``),
        ``based_on`` ("last_legal_on" or the fallback column), then
        ``columns``.

        Nothing is dropped silently: ``attrs["not_counted"]`` counts items
        without one of the dates and duplicate records; ``attrs["issues"]``
        (see :func:`indicator_issues`) lists every item recovered before its
        last legal event (negative duration) or after ``as_of``, and a
        :class:`DataQualityWarning` gives their number.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": ["a", "b", "c"],
    ...     "last_legal_on": pd.to_datetime(["2019-06-01", "2012-01-15", None]),
    ...     "seized_on": pd.to_datetime(["2021-03-01", "2023-01-15", "2023-05-05"])})
    >>> ttr = time_to_recovery(items, as_of="2024-01-01")
    >>> ttr.drop(columns="based_on")
      record_id last_legal_on  seized_on  days  years  under_3_years
    0         a    2019-06-01 2021-03-01   639   1.75          True
    1         b    2012-01-15 2023-01-15  4018   11.0         False

    With the year of import as a fallback for item c:

    >>> items["import_year"] = [None, None, 2021]
    >>> ttr = time_to_recovery(items, as_of="2024-01-01", fallback=["import_year"])
    >>> row = ttr.loc[2]
    >>> print(row["last_legal_on"].date(), row["days"], row["based_on"])
    2021-07-01 673 import_year
    """
    check_positive("threshold_years", threshold_years)
    items = as_dataset(ds).items
    as_of = as_timestamp(pd.Timestamp.today() if as_of is None else as_of, "as_of")
    extra = as_list(columns)
    missing = [c for c in extra if c not in items.columns]
    if missing:
        from ..exceptions import InvalidParameterError

        raise InvalidParameterError(
            f"`columns` names {missing}, which are not columns of the items."
        )
    legal, seized = items["last_legal_on"], items["seized_on"]
    based_on = pd.Series("last_legal_on", index=items.index, dtype="string")
    based_on = based_on.where(legal.notna())
    for column in as_list(fallback):
        check_option("fallback", column, ["import_year", "year_of_manufacture"])
        year = items[column]
        use = legal.isna() & year.notna()
        if not use.any():
            continue
        text = year[use].astype("Int64").astype("string")
        mid_year = pd.to_datetime(text + "-07-01", errors="coerce").astype(legal.dtype)
        same_year = (seized[use].dt.year == year[use]).fillna(False)
        mid_year = mid_year.mask(same_year & (seized[use] < mid_year), seized[use])
        legal = legal.copy()
        legal[use] = mid_year
        based_on[use] = column
    duplicate = items["duplicate_of"].notna()
    both = legal.notna() & seized.notna() & ~duplicate
    days = (seized - legal).dt.days.astype("Int64")
    negative = (both & (days < 0)).fillna(False)
    future = (both & (seized > as_of)).fillna(False)
    issues = issue_records(
        items,
        negative,
        table="items",
        column="seized_on",
        value=lambda rows: (
            rows["seized_on"].dt.strftime("%Y-%m-%d")
            + " < last legal "
            + legal[rows.index].dt.strftime("%Y-%m-%d")
        ),
        problem="recovered before the last legal event (negative duration)",
        excluded_from="time to recovery",
    )
    issues += issue_records(
        items,
        future & ~negative,
        table="items",
        column="seized_on",
        value=lambda rows: rows["seized_on"].dt.strftime("%Y-%m-%d"),
        problem=f"recovery date after as_of {as_of:%Y-%m-%d}",
        excluded_from="time to recovery",
    )
    keep = (both & ~negative & ~future).to_numpy()
    sub = items[keep]
    years = (days[keep] / _DAYS_PER_YEAR).astype("Float64")
    sub_legal = legal[keep]
    deadline = sub_legal + pd.DateOffset(years=threshold_years)
    out = pd.DataFrame(
        {
            "record_id": sub["record_id"],
            "last_legal_on": sub_legal,
            "seized_on": sub["seized_on"],
            "days": days[keep],
            "years": years.round(2),
            f"under_{threshold_years:g}_years": (sub["seized_on"] < deadline).astype(
                "boolean"
            ),
            "based_on": based_on[keep],
        },
        index=sub.index,
    )
    for col in extra:
        out[col] = sub[col]
    out.attrs["threshold_years"] = threshold_years
    out.attrs["as_of"] = f"{as_of:%Y-%m-%d}"
    out.attrs["not_counted"] = {
        "no last_legal_on" + (" nor fallback year" if fallback else ""): int(
            (legal.isna() & ~duplicate).sum()
        ),
        "no seized_on (but a last_legal_on)": int(
            (legal.notna() & seized.isna() & ~duplicate).sum()
        ),
        "duplicate record": int(duplicate.sum()),
    }
    warn_all_excluded("time_to_recovery", len(out), out.attrs["not_counted"])
    return report_issues(
        out, issues, function="time_to_recovery", what="item", tables=["items"]
    )


def time_to_recovery_summary(
    data: Any,
    *,
    by: str | Sequence[str] | None = None,
    threshold_years: int = 3,
) -> pd.DataFrame:
    """Median time to recovery and share recovered within the threshold.

    Parameters
    ----------
    data : DataFrame or Dataset
        The output of :func:`time_to_recovery` (or a Dataset, for which it
        is computed with default options).
    by : str, list of str or None
        Columns of ``data`` to group by (carry them with
        ``time_to_recovery(..., columns=...)``). None: one row.
    threshold_years : int, default 3
        Only used when ``data`` is a Dataset.

    Returns
    -------
    DataFrame
        Keys, ``items``, ``median_days``, ``median_years``,
        ``share_under_<n>_years``. ``attrs`` keeps the ``not_counted`` and
        ``issues`` of ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": ["a", "b", "c"],
    ...     "last_legal_on": pd.to_datetime(["2019-06-01", "2012-01-15",
    ...                                      "2022-01-01"]),
    ...     "seized_on": pd.to_datetime(["2021-03-01", "2023-01-15", "2023-05-05"])})
    >>> ttr = time_to_recovery(items, as_of="2024-01-01")
    >>> time_to_recovery_summary(ttr)
       items  median_days  median_years  share_under_3_years
    0      3        639.0          1.75             0.666667
    """
    if not isinstance(data, pd.DataFrame) or "days" not in data.columns:
        data = time_to_recovery(data, threshold_years=threshold_years)
    flag = [c for c in data.columns if str(c).startswith("under_")]
    flag_col = flag[0] if flag else None
    keys = as_list(by)
    frame = data.assign(
        _flag=data[flag_col].astype("Float64") if flag_col else pd.NA,
        _days=data["days"].astype("Float64"),
    )
    agg = {
        "items": ("_days", "size"),
        "median_days": ("_days", "median"),
        "_under": ("_flag", "sum"),
    }
    if keys:
        out = frame.groupby(keys, dropna=False, sort=True).agg(**agg).reset_index()
    else:
        out = pd.DataFrame(
            {
                "items": [len(frame)],
                "median_days": [frame["_days"].median()],
                "_under": [frame["_flag"].sum()],
            }
        )
    out["items"] = out["items"].astype("int64")
    out["median_days"] = out["median_days"].astype("Float64")
    out["median_years"] = (out["median_days"] / _DAYS_PER_YEAR).round(2)
    name = flag_col.replace("under_", "share_under_") if flag_col else "share_under"
    out[name] = share(out.pop("_under"), out["items"])
    out.attrs["not_counted"] = dict(data.attrs.get("not_counted", {}))
    out.attrs["issues"] = list(data.attrs.get("issues", []))
    out.attrs["issue_tables"] = list(data.attrs.get("issue_tables", []))
    return out
