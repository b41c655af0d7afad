"""Alerts: what changed — new weapon types in an area, counts outside the band.

Early warning from seizure records: a weapon type, make, calibre or lot seen
in an area for the first time, or counts above (or below) the baseline band of
:func:`~iti_analytics.indicators.trends`. Every alert says what, where, since
when and how unusual, in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..exceptions import InvalidParameterError
from ._common import as_list, as_timestamp, check_positive
from .trends import (
    _baseline_band,
    _check_common,
    _count_matrix,
    _long,
    _offsets,
    _select_items,
)

__all__ = ["alerts"]


def _words(score: pd.Series) -> pd.Series:
    return pd.Series(
        np.select(
            [score >= 5, score >= 3.5], ["extremely unusual", "very unusual"],
            default="unusual",
        ),
        index=score.index,
        dtype="string",
    )


def _label(col: str, values: pd.Series) -> pd.Series:
    return (col + " = " + values.astype("string")).astype("string")


def _new_in_area(items, where, what, freq, window, min_count, since_ts):
    rows = []
    period = items["seized_on"].dt.to_period(freq)
    ordinal = pd.Series(period.array.asi8, index=items.index)
    last = ordinal.max()
    area = items[where] if where else pd.Series("everywhere", index=items.index)
    area_first = ordinal.groupby(area.to_numpy()).min()
    for col in what:
        if col not in items.columns or items[col].isna().all():
            continue
        ok = (items[col].notna() & area.notna()).to_numpy()
        frame = pd.DataFrame(
            {"area": area[ok], "value": items.loc[ok, col], "t": ordinal[ok],
             "date": items.loc[ok, "seized_on"]}
        )
        g = frame.groupby(["area", "value"], sort=True, observed=True)
        pairs = g.agg(first=("t", "min"), since=("date", "min"),
                      observed=("date", "size")).reset_index()
        gap = pairs["first"] - pairs["area"].map(area_first).astype("int64")
        span = last - pairs["first"] + 1
        keep = (gap >= window) & (pairs["observed"] >= min_count)
        if since_ts is not None:
            keep &= pairs["since"] >= since_ts
        new = pairs[keep.to_numpy()].copy()
        if new.empty:
            continue
        gap, span = gap[keep].astype(float), span[keep].astype(float)
        rate = new["observed"] / span
        new["score"] = (rate * gap / math.log(10)).round(2).to_numpy()
        new["what"] = _label(col, new["value"])
        new["where"] = (_label(where, new["area"]) if where else new["area"]).astype(
            "string"
        )
        unit = {"M": "months", "Q": "quarters", "W": "weeks", "D": "days",
                "Y": "years"}[freq]
        new["description"] = (
            new["what"] + " first seen in " + new["where"] + " on "
            + new["since"].dt.strftime("%Y-%m-%d") + ", after "
            + gap.astype(int).astype(str).to_numpy() + f" {unit} of records there "
            "without it; " + new["observed"].astype(str) + " since"
        )
        new["kind"] = "new_in_area"
        new["expected"] = 0.0
        new["periods"] = span.astype(int).to_numpy()
        rows.append(new)
    return rows


def _runs(tr, flagged, group_cols, direction_word):
    """Collapse consecutive flagged periods of one group into one alert."""
    tr = tr.assign(_flag=flagged)
    if group_cols:
        grp = tr.groupby(group_cols, dropna=False, sort=False).ngroup()
    else:
        grp = pd.Series(0, index=tr.index)
    new_run = (tr["_flag"] != tr["_flag"].shift()) | (grp != grp.shift())
    tr["_run"] = new_run.cumsum()
    sub = tr[tr["_flag"]]
    if sub.empty:
        return sub
    agg = sub.groupby("_run").agg(
        **{c: (c, "first") for c in group_cols},
        since=("period", "first"), until=("period", "last"),
        periods=("period", "size"), observed=("count", "sum"),
        expected=("baseline", "sum"), lower=("lower", "first"),
        upper=("upper", "first"), score=("_z", "max" if direction_word == "surge"
                                         else "min"),
        seen_before=("_seen_before", "first"),
    )
    return agg.reset_index(drop=True)


def alerts(
    ds: Any,
    *,
    where: str | None = "admin1",
    what: Sequence[str] = ("category", "make", "calibre", "lot"),
    freq: str = "M",
    baseline: str = "rolling",
    window: int = 12,
    seasons: int = 3,
    level: float = 0.999,
    min_count: int = 3,
    direction: str = "up",
    since: Any = None,
    item_kind: str | None = "weapon",
) -> pd.DataFrame:
    """What changed: new weapon types in an area, and counts outside the baseline.

    Two kinds of alert:

    - ``new_in_area``: a category, make, calibre or lot (``what``) seen in an
      area (``where``) for the first time, after at least ``window`` periods
      of records from that area without it, and seen at least ``min_count``
      times since. Score: −log10 of the chance of seeing none of it in that
      history at its current rate there (2 = 1 in 100).
    - ``surge`` (and ``drop`` with ``direction="both"`` or ``"down"``): a
      count outside the band of :func:`trends` (same ``baseline``,
      ``window``, ``seasons``; ``level`` 0.999 by default so that a quiet
      series stays quiet) for all weapons of an area and for each ``what``
      value, with at least ``min_count`` items for a surge. Consecutive
      periods outside the band form one alert. Score: robust z —
      (count − baseline) / max(√baseline, 1.4826 × MAD of the history).

    Parameters
    ----------
    ds : Dataset or DataFrame
        Its ``items``.
    where : str or None, default "admin1"
        Area column (``country``, ``admin1``, ``locality``…); None: the
        whole dataset.
    what : sequence of str, default ("category", "make", "calibre", "lot")
        Items columns to watch; absent or empty ones are skipped.
    freq, baseline, window, seasons, item_kind
        As in :func:`trends`.
    level : float, default 0.999
        Band coverage for count alerts.
    min_count : int, default 3
        Fewest items for an alert.
    direction : {"up", "down", "both"}, default "up"
        Which count alerts to raise.
    since : date, optional
        Only alerts that start (new) or end (counts) on or after this date.

    Returns
    -------
    DataFrame
        One row per alert, most unusual first: ``kind``, ``what``,
        ``where``, ``since`` (first date seen, or start of the first period
        outside the band), ``periods``, ``observed``, ``expected``,
        ``score``, ``how_unusual`` ("unusual", "very unusual", "extremely
        unusual" for counts; by score for new appearances) and
        ``description`` in words.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> months = pd.period_range("2021-01", "2023-12", freq="M")
    >>> n = rng.poisson(10, len(months))
    >>> n[-1] = 40  # planted surge
    >>> dates = np.repeat(months.to_timestamp(), n)
    >>> items = pd.DataFrame({"seized_on": dates, "item_kind": "weapon",
    ...                       "country": "NER"})
    >>> found = alerts(items, where="country", what=())
    >>> found[["kind", "what", "where", "observed", "expected"]]
        kind         what          where  observed  expected
    0  surge  all weapons  country = NER        40      11.5
    >>> print(found.loc[0, "how_unusual"], found.loc[0, "score"])
    extremely unusual 7.23
    >>> print(found.loc[0, "description"])
    surge: all weapons in country = NER, 40 in 2023-12 against about 12 expected
    (band 0–25)
    """
    _check_common(freq, baseline, "median", window, seasons, level)
    check_positive("min_count", min_count, allow_zero=True)
    check_option("direction", direction, ["up", "down", "both"])
    since_ts = as_timestamp(since, "since") if since is not None else None
    items, _ = _select_items(ds, item_kind)
    if where is not None and where not in items.columns:
        raise InvalidParameterError(
            f"The value for `where` must be an items column such as 'country' or "
            f"'admin1', but {where!r} was passed."
        )
    what = [c for c in as_list(what) if c in items.columns]
    parts: list[pd.DataFrame] = []
    if len(items):
        parts += _new_in_area(items, where, what, freq, window, min_count, since_ts)
        parts += _count_alerts(items, where, what, freq, baseline, window, seasons,
                               level, min_count, direction, since_ts)
    columns = ["kind", "what", "where", "since", "periods", "observed", "expected",
               "score", "how_unusual", "description"]
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    else:
        out = pd.concat([p.assign(since=pd.to_datetime(p["since"]).astype(
            "datetime64[s]")) for p in parts], ignore_index=True)
        new = out["kind"] == "new_in_area"
        words = _words(out["score"].abs())
        words_new = pd.Series(
            np.select([out["score"] >= 3, out["score"] >= 2],
                      ["very unusual", "unusual"], default="notable"),
            index=out.index, dtype="string",
        )
        out["how_unusual"] = words.mask(new, words_new)
        out = out[columns].sort_values(
            ["score", "since"], ascending=[False, True], key=None, kind="stable"
        )
        out = out.iloc[np.argsort(-out["score"].abs().to_numpy(), kind="stable")]
        out = out.reset_index(drop=True)
        out["observed"] = out["observed"].round().astype("int64")
        out["periods"] = out["periods"].astype("int64")
    out = out.astype({"kind": "string", "what": "string", "where": "string",
                      "how_unusual": "string", "description": "string"})
    return out


def _count_alerts(items, where, what, freq, baseline, window, seasons, level,
                  min_count, direction, since_ts):
    offsets = _offsets(baseline, freq, window, seasons)
    min_history = 2 if baseline == "seasonal" else max(3, window // 2)
    period = items["seized_on"].dt.to_period(freq)
    lo, hi = period.min(), period.max()
    area_keys = [where] if where else []
    specs = [(None, area_keys)] + [(c, area_keys + [c]) for c in what]
    rows = []
    for col, keys in specs:
        sub = items if col is None else items[items[col].notna().to_numpy()]
        if where:
            sub = sub[sub[where].notna().to_numpy()]
        if sub.empty:
            continue
        counts, key_table, periods = _count_matrix(sub, keys, freq, None, lo, hi)
        band = _baseline_band(counts, offsets, stat="median", level=level,
                              min_history=min_history)
        n_groups, n_periods = counts.shape
        tr = _long(periods, key_table, keys, n_groups)
        tr["count"] = counts.ravel()
        for name in ("baseline", "lower", "upper", "sigma"):
            tr[name] = band[name].ravel()
        tr["_z"] = (tr["count"] - tr["baseline"]) / tr["sigma"]
        # a value's first appearance in an area is "new", not a surge
        seen = tr.groupby(keys, sort=False)["count"].cumsum() if keys else (
            tr["count"].cumsum()
        )
        tr["_seen_before"] = (seen - tr["count"]) > 0
        if col is None:
            tr["_seen_before"] = True
        for word, flagged in (
            ("surge", (tr["count"] > tr["upper"]) & (tr["count"] >= min_count)),
            ("drop", tr["count"] < tr["lower"]),
        ):
            if (word == "surge" and direction == "down") or (
                word == "drop" and direction == "up"
            ):
                continue
            runs = _runs(tr, flagged.fillna(False).to_numpy(), keys, word)
            if runs.empty:
                continue
            runs = runs[runs["seen_before"].astype(bool)]
            if since_ts is not None:
                runs = runs[runs["until"].dt.end_time >= since_ts]
            if runs.empty:
                continue
            runs = runs.copy()
            runs["kind"] = word
            runs["what"] = (
                "all weapons" if col is None else _label(col, runs[col])
            )
            runs["where"] = _label(where, runs[where]) if where else "everywhere"
            runs["score"] = runs["score"].round(2)
            when = runs["since"].astype(str)
            when = when.where(runs["periods"] == 1,
                              when + " to " + runs["until"].astype(str))
            runs["description"] = (
                word + ": " + runs["what"] + " in " + runs["where"] + ", "
                + runs["observed"].map("{:g}".format) + " in " + when
                + " against about " + runs["expected"].map("{:.0f}".format)
                + " expected (band " + runs["lower"].map("{:.0f}".format) + "–"
                + runs["upper"].map("{:.0f}".format) + ")"
            )
            runs["since"] = runs["since"].dt.start_time
            rows.append(runs)
    return rows
