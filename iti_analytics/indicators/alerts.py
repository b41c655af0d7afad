"""Alerts: what changed — new weapon types in an area, counts outside the band.

Early warning from seizure records: a weapon type, make or calibre seen in an
area for the first time, a batch (consecutive serials, one ammunition lot, one
import marking — see :func:`~iti_analytics.network.batches`) turning up in a
country (or, on request, an area) other than where it was first seen, or counts
above (or below) the
baseline band of :func:`~iti_analytics.indicators.trends`. Every alert says
what, where, since when and how unusual, in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ..network.batches import BATCH_KINDS
from ..network.batches import batches as find_batches
from ._baseline import (
    _baseline_band,
    _check_common,
    _count_matrix,
    _long,
    _offsets,
    _select_items,
)
from ._common import as_list, as_timestamp, check_positive, warn_all_excluded

__all__ = ["alerts"]

_BATCH_SCORE = {"strong": 3.0, "medium": 2.0, "weak": 1.0}


def _words(score: pd.Series) -> pd.Series:
    return pd.Series(
        np.select(
            [score >= 5, score >= 3.5],
            ["extremely unusual", "very unusual"],
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
            {
                "area": area[ok],
                "value": items.loc[ok, col],
                "t": ordinal[ok],
                "date": items.loc[ok, "seized_on"],
            }
        )
        g = frame.groupby(["area", "value"], sort=True, observed=True)
        pairs = g.agg(
            first=("t", "min"), since=("date", "min"), observed=("date", "size")
        ).reset_index()
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
        unit = {
            "M": "months",
            "Q": "quarters",
            "W": "weeks",
            "D": "days",
            "Y": "years",
        }[freq]
        new["description"] = (
            new["what"]
            + " first seen in "
            + new["where"]
            + " on "
            + new["since"].dt.strftime("%Y-%m-%d")
            + ", after "
            + gap.astype(int).astype(str).to_numpy()
            + f" {unit} of records there "
            "without it; " + new["observed"].astype(str) + " since"
        )
        new["kind"] = "new_in_area"
        new["expected"] = 0.0
        new["periods"] = span.astype(int).to_numpy()
        rows.append(new)
    return rows


def _batch_input(ds, batches):
    """``(table or None, members)`` from the ``batches`` argument."""
    if batches is None:
        return find_batches(ds, return_members=True)
    if isinstance(batches, tuple) and len(batches) == 2:
        table, members = batches
    else:
        table, members = None, batches
    if not isinstance(members, pd.DataFrame) or not {"record_id", "batch_id"} <= set(
        members.columns
    ):
        raise InvalidParameterError(
            "The value for `batches` must be the members table of "
            "batches(ds, return_members=True) (columns 'record_id' and 'batch_id') "
            "or the (batches, members) pair it returns, but "
            f"{type(batches).__name__} without those columns was passed."
        )
    if table is not None and not (
        isinstance(table, pd.DataFrame) and "batch_id" in table.columns
    ):
        table = None
    return table, members


def _batch_names(table, members):
    """Per batch id: strength and a short description in words."""
    ids = pd.Index(members["batch_id"].astype("string").unique())
    if "strength" in members.columns:
        strength = members.groupby(members["batch_id"].astype("string"))[
            "strength"
        ].first()
    elif "kind" in members.columns:
        strength = (
            members.groupby(members["batch_id"].astype("string"))["kind"]
            .first()
            .map(BATCH_KINDS)
        )
    else:
        strength = pd.Series(dtype="string")
    strength = strength.astype("string").reindex(ids).fillna("strong")
    label = pd.Series("batch " + ids.to_series(index=ids), dtype="string")
    if table is not None and len(table):
        t = table.assign(_id=table["batch_id"].astype("string"))
        t = t.drop_duplicates("_id").set_index("_id").reindex(ids)

        def get(col: str) -> pd.Series:
            if col in t.columns:
                return t[col].astype("string")
            return pd.Series(pd.NA, index=ids, dtype="string")

        gun = (get("make").fillna("") + " " + get("model").fillna("")).str.strip()
        run = (
            gun.mask(gun != "", gun + ", ").fillna("")
            + "serials "
            + get("serial_range")
        )
        detail = run.where(
            (get("kind") == "serial_run") & get("serial_range").notna(),
            get("evidence"),
        )
        label = label.where(detail.isna(), label + " (" + detail + ")")
    return strength, label


def _batch_alerts(items, table, members, where, freq, since_ts, scope):
    """A batch seen in a new country (or area) after it was first seen elsewhere.

    ``scope="area"``: one alert per batch and new ``where`` area;
    ``scope="country"``: one per batch and new country, weak batches left out.
    """
    if where is None or members.empty or "record_id" not in items.columns:
        return []
    if scope == "country":
        if "strength" in members.columns:
            strong = members["strength"].astype("string")
        elif "kind" in members.columns:
            strong = members["kind"].astype("string").map(BATCH_KINDS)
        else:
            strong = pd.Series("strong", index=members.index, dtype="string")
        members = members[(strong.fillna("strong") != "weak").to_numpy()]
        if members.empty:
            return []
    rid = items["record_id"].astype("string")
    lookup = pd.Series(np.arange(len(items)), index=rid.to_numpy())
    lookup = lookup[~lookup.index.duplicated() & lookup.index.notna()]
    pos = lookup.reindex(members["record_id"].astype("string").to_numpy())
    ok = pos.notna().to_numpy()
    if not ok.any():
        return []
    pos = pos.to_numpy()[ok].astype(np.int64)
    sub = items.iloc[pos]
    country = (
        sub["country"].astype("string")
        if "country" in sub.columns
        else pd.Series(pd.NA, index=sub.index, dtype="string")
    )
    seizure = (
        sub["seizure_id"].astype("string").fillna(rid.iloc[pos])
        if "seizure_id" in sub.columns
        else rid.iloc[pos]
    )
    frame = pd.DataFrame(
        {
            "batch": members["batch_id"].astype("string").to_numpy()[ok],
            # the text dtype is kept (.array): a column of missing areas as a
            # numpy object array would become Arrow's null type, which cannot
            # be joined to the country below
            "area": sub[where].astype("string").array,
            "country": country.fillna("unknown country").to_numpy(),
            "seizure": seizure.to_numpy(),
            "date": sub["seized_on"].to_numpy(),
        }
    )
    by_country = scope == "country" and where != "country"
    if by_country:
        # the unit is the country; the area of its first seizure there is kept
        # for the description (earliest first, so the first row is that one)
        frame = frame[country.notna().to_numpy()]
        frame = frame.rename(columns={"area": "place"})
        frame["area"] = frame["country"]
        frame = frame.sort_values("date", kind="stable")
    frame = frame[frame["area"].notna().to_numpy()]
    if frame.empty:
        return []
    by_batch = frame.groupby("batch", sort=False)
    first = by_batch["date"].min()
    pairs = (
        frame.groupby(["batch", "area"], sort=True)
        .agg(
            since=("date", "min"),
            observed=("date", "size"),
            seizures=("seizure", "nunique"),
            country=("country", "first"),
        )
        .reset_index()
    )
    if by_country:  # area of the first seizure there (missing if unknown)
        first_row = frame.drop_duplicates(["batch", "area"])
        pairs["place"] = (
            first_row.set_index(["batch", "area"])["place"]
            .reindex(pd.MultiIndex.from_frame(pairs[["batch", "area"]]))
            .array
        )
    keep = pairs["since"].to_numpy() > pairs["batch"].map(first).to_numpy()
    if since_ts is not None:
        keep &= (pairs["since"] >= since_ts).to_numpy()
    new = pairs[keep].reset_index(drop=True)
    if new.empty:
        return []
    # earlier sightings of the batch in the same country?
    country_first = frame.groupby(["batch", "country"])["date"].min()
    seen_in_country = country_first.reindex(
        pd.MultiIndex.from_arrays([new["batch"], new["country"]])
    ).to_numpy()
    new_country = seen_in_country >= new["since"].to_numpy()
    # other seizures of the batch, by country
    per_country = (
        frame.groupby(["batch", "country"])["seizure"]
        .nunique()
        .rename("n")
        .reset_index()
    )
    per_area = frame.groupby(["batch", "area", "country"])["seizure"].nunique()
    other = (
        new[["batch", "area", "country"]]
        .reset_index(names="alert")
        .merge(per_country, on="batch", suffixes=("", "_other"))
    )
    here = (
        per_area.reindex(
            pd.MultiIndex.from_arrays(
                [other["batch"], other["area"], other["country_other"]]
            )
        )
        .fillna(0)
        .to_numpy()
    )
    other["n"] = other["n"].to_numpy() - here
    other = other[other["n"].to_numpy() > 0].sort_values(["alert", "country_other"])
    n_other = (
        other.groupby("alert")["n"]
        .sum()
        .reindex(new.index, fill_value=0)
        .round()
        .astype("int64")
    )
    # ", "-joined countries per alert, one pass per country (few), not per alert
    code, names = pd.factorize(other["country_other"], sort=True)
    has = np.zeros((len(new), len(names)), dtype=bool)
    has[other["alert"].to_numpy(), code] = True
    joined = pd.Series("", index=new.index, dtype="string")
    for j, name in enumerate(names):
        joined = joined + pd.Series(has[:, j], index=new.index).map(
            {True: name + ", ", False: ""}
        ).astype("string")
    where_other = joined.str.removesuffix(", ").replace("", pd.NA)
    strength, label = _batch_names(table, members)
    period = pd.PeriodIndex(new["since"], freq=freq)
    last = items["seized_on"].max().to_period(freq)
    span = np.asarray(last.ordinal - period.asi8 + 1, dtype=np.int64)
    if by_country:
        place = new["country"].mask(
            new["place"].notna(), new["country"] + "/" + new["place"]
        )
    else:
        place = new["area"]
        if where != "country" and "country" in items.columns:
            known = new["country"] != "unknown country"
            place = place.mask(known, new["country"] + "/" + place)
    n_word = np.where(new["observed"] == 1, " item", " items")
    s_word = np.where(n_other == 1, " other seizure in ", " other seizures in ")
    also = pd.Series(
        "; also seen in "
        + n_other.astype(str).to_numpy()
        + s_word
        + where_other.fillna("").to_numpy()
        + " since "
        + new["batch"].map(first).dt.strftime("%Y-%m-%d").to_numpy(),
        index=new.index,
    ).where(n_other.to_numpy() > 0, "")
    new["description"] = (
        label.reindex(new["batch"]).to_numpy()
        + " seen for the first time in "
        + place
        + " on "
        + new["since"].dt.strftime("%Y-%m-%d")
        + " ("
        + new["observed"].astype(str)
        + n_word
        + " since)"
        + also
    ).astype("string")
    base = strength.reindex(new["batch"]).map(_BATCH_SCORE).fillna(1.0).to_numpy()
    new["score"] = base + new_country.astype(float)
    new["what"] = ("batch = " + new["batch"]).astype("string")
    new["where"] = _label("country" if by_country else where, new["area"]).astype(
        "string"
    )
    new = new.drop(columns="place", errors="ignore")
    new["kind"] = "new_in_area"
    new["expected"] = 0.0
    new["periods"] = span
    return [new]


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
        since=("period", "first"),
        until=("period", "last"),
        periods=("period", "size"),
        observed=("count", "sum"),
        expected=("baseline", "sum"),
        lower=("lower", "first"),
        upper=("upper", "first"),
        score=("_z", "max" if direction_word == "surge" else "min"),
        seen_before=("_seen_before", "first"),
    )
    return agg.reset_index(drop=True)


def alerts(
    ds: DatasetLike,
    *,
    where: str | None = "admin1",
    what: Sequence[str] = ("category", "make", "calibre", "batch"),
    freq: str = "M",
    baseline: str = "rolling",
    window: int = 12,
    seasons: int = 3,
    level: float = 0.999,
    min_count: int = 3,
    direction: str = "up",
    since: Any = None,
    item_kind: str | None = "weapon",
    batches: Any = None,
    batch_scope: str = "country",
) -> pd.DataFrame:
    """What changed: new weapon types in an area, and counts outside the baseline.

    Two kinds of alert:

    - ``new_in_area``: a category, make or calibre (``what``) seen in an
      area (``where``) for the first time, after at least ``window`` periods
      of records from that area without it, and seen at least ``min_count``
      times since. Score: −log10 of the chance of seeing none of it in that
      history at its current rate there (2 = 1 in 100).
      With ``"batch"`` in ``what``: a batch of
      :func:`~iti_analytics.network.batches` (consecutive serials of one
      make and model, one ammunition lot and headstamp, one import marking)
      reaching a new place after it was first seen elsewhere — one item is
      enough, and ``window`` and ``min_count`` do not apply. By default
      (``batch_scope="country"``) one alert per batch and country it had not
      been seen in before, at its first seizure there: ``where`` is
      ``"country = NER"`` and the description names the ``where`` area of
      that seizure when known (``NER/Tillabéri``). A batch moving between
      areas of one country is not an alert, and weak batches (a headstamp
      alone, shared by millions of rounds) are left out, so that the list
      stays short enough to read. ``batch_scope="area"`` gives one alert per
      batch and new ``where`` area, weak batches included (the fuller, much
      longer list). ``what`` is ``"batch = B0130"``; the description names
      the weapons and serials, the place, the date and the other seizures of
      the batch (in other countries, or other areas). Score: 3 for a strong
      batch, 2 for a medium one, 1 for a weak one, plus 1 when the batch had
      not been seen in that country before.
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
    what : sequence of str, default ("category", "make", "calibre", "batch")
        Items columns to watch (absent or empty ones are skipped), and
        ``"batch"`` for the batches of :func:`~iti_analytics.network.batches`
        (lots are among them; ``"lot"`` still watches the raw column).
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
    batches : DataFrame or tuple of DataFrame, optional
        Precomputed ``batches(ds, return_members=True)`` (the pair, or just
        its members table) for the ``"batch"`` alerts; computed from ``ds``
        when omitted (with ``item_kind="weapon"`` only weapon batches count;
        ``item_kind=None`` adds ammunition lots).
    batch_scope : {"country", "area"}, default "country"
        Unit of the ``"batch"`` alerts: ``"country"``, one alert per batch
        and new country, strong and medium batches only; ``"area"``, one per
        batch and new ``where`` area, all batches (with ``where="country"``:
        per country, weak batches included).

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

    A run of consecutive serials seized in Mali, then one of them in Niger:

    >>> guns = pd.DataFrame({
    ...     "record_id": ["a", "b", "c", "d"], "seizure_id": ["s1", "s1", "s2", "s3"],
    ...     "seized_on": pd.to_datetime(["2022-01-10", "2022-01-10", "2022-05-02",
    ...                                  "2023-04-12"]),
    ...     "country": ["MLI", "MLI", "MLI", "NER"], "item_kind": "weapon",
    ...     "make": "Norinco", "model": "Type 56",
    ...     "serial": ["123401", "123404", "123410", "123415"]})
    >>> found = alerts(guns, where="country", what=("batch",))
    >>> print(found.loc[0, "what"], "|", found.loc[0, "where"])
    batch = B0001 | country = NER
    >>> print(found.loc[0, "description"])
    batch B0001 (Norinco Type 56, serials 123401 – 123415) seen for the first
    time in NER on 2023-04-12 (1 item since); also seen in 2 other seizures in
    MLI since 2022-01-10
    """
    ds = as_dataset(ds)
    _check_common(freq, baseline, "median", window, seasons, level)
    check_positive("min_count", min_count, allow_zero=True)
    check_option("direction", direction, ["up", "down", "both"])
    check_option("batch_scope", batch_scope, ["country", "area"])
    since_ts = as_timestamp(since, "since") if since is not None else None
    items, not_counted = _select_items(ds.items, item_kind)
    warn_all_excluded("alerts", len(items), not_counted)
    if where is not None and where not in items.columns:
        raise InvalidParameterError(
            f"The value for `where` must be an items column such as 'country' or "
            f"'admin1', but {where!r} was passed."
        )
    what = as_list(what)
    watch_batches = "batch" in what and "batch" not in items.columns
    what = [c for c in what if c in items.columns]
    parts: list[pd.DataFrame] = []
    if watch_batches and (len(items) or batches is not None):
        table, members = _batch_input(ds, batches)
        if len(items):
            parts += _batch_alerts(
                items, table, members, where, freq, since_ts, batch_scope
            )
    if len(items):
        parts += _new_in_area(items, where, what, freq, window, min_count, since_ts)
        parts += _count_alerts(
            items,
            where,
            what,
            freq,
            baseline,
            window,
            seasons,
            level,
            min_count,
            direction,
            since_ts,
        )
    columns = [
        "kind",
        "what",
        "where",
        "since",
        "periods",
        "observed",
        "expected",
        "score",
        "how_unusual",
        "description",
    ]
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    else:
        out = pd.concat(
            [
                p.assign(since=pd.to_datetime(p["since"]).astype("datetime64[s]"))
                for p in parts
            ],
            ignore_index=True,
        )
        new = out["kind"] == "new_in_area"
        words = _words(out["score"].abs())
        words_new = pd.Series(
            np.select(
                [out["score"] >= 3, out["score"] >= 2],
                ["very unusual", "unusual"],
                default="notable",
            ),
            index=out.index,
            dtype="string",
        )
        out["how_unusual"] = words.mask(new, words_new)
        out = out[columns].sort_values(
            ["score", "since"], ascending=[False, True], key=None, kind="stable"
        )
        out = out.iloc[np.argsort(-out["score"].abs().to_numpy(), kind="stable")]
        out = out.reset_index(drop=True)
        out["observed"] = out["observed"].round().astype("int64")
        out["periods"] = out["periods"].astype("int64")
    out = out.astype(
        {
            "kind": "string",
            "what": "string",
            "where": "string",
            "how_unusual": "string",
            "description": "string",
        }
    )
    return out


def _count_alerts(
    items,
    where,
    what,
    freq,
    baseline,
    window,
    seasons,
    level,
    min_count,
    direction,
    since_ts,
):
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
        band = _baseline_band(
            counts, offsets, stat="median", level=level, min_history=min_history
        )
        n_groups, n_periods = counts.shape
        tr = _long(periods, key_table, keys, n_groups)
        tr["count"] = counts.ravel()
        for name in ("baseline", "lower", "upper", "sigma"):
            tr[name] = band[name].ravel()
        tr["_z"] = (tr["count"] - tr["baseline"]) / tr["sigma"]
        # a value's first appearance in an area is "new", not a surge
        seen = (
            tr.groupby(keys, sort=False)["count"].cumsum()
            if keys
            else (tr["count"].cumsum())
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
            runs["what"] = "all weapons" if col is None else _label(col, runs[col])
            runs["where"] = _label(where, runs[where]) if where else "everywhere"
            runs["score"] = runs["score"].round(2)
            when = runs["since"].astype(str)
            when = when.where(
                runs["periods"] == 1, when + " to " + runs["until"].astype(str)
            )
            runs["description"] = (
                word
                + ": "
                + runs["what"]
                + " in "
                + runs["where"]
                + ", "
                + runs["observed"].map("{:g}".format)
                + " in "
                + when
                + " against about "
                + runs["expected"].map("{:.0f}".format)
                + " expected (band "
                + runs["lower"].map("{:.0f}".format)
                + "–"
                + runs["upper"].map("{:.0f}".format)
                + ")"
            )
            runs["since"] = runs["since"].dt.start_time
            rows.append(runs)
    return rows
