"""Custody chain of one weapon: manufacture, transfers, diversion, each recovery."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ._common import as_dataset

__all__ = ["custody_chain", "CUSTODY_STEPS"]

#: the steps of a custody chain, in order.
CUSTODY_STEPS = (
    "manufacture",
    "export",
    "import",
    "last_legal_holder",
    "diversion",
    "route",
    "movement",
    "recovery",
)

_COLUMNS = ["step", "date", "when", "place", "party", "evidence", "record_id"]


def custody_chain(
    ds: Any, record_id: str, *, links: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The custody chain of one item, from manufacture to each recovery.

    Steps, in order (``CUSTODY_STEPS``), each present only when the records
    say something about it:

    - ``manufacture``: country and year of manufacture, maker (from markings;
      "inferred from the make" when the country was not marked);
    - ``export`` and ``import``: from the import marking (ITI §8): the item
      left its country of manufacture for the import country;
    - ``last_legal_holder``: from trace answers (holder, country, date the
      item was last in legal hands);
    - ``diversion``: from trace answers (country, year, mode);
    - ``route``: declared origin and transit countries;
    - ``movement``: rows of ``ds.movements`` about the item;
    - ``recovery``: each record of the item (with ``links``, every record
      linked to it as the same weapon, e.g. seized in Niger, reported again
      in Mali), by date.

    Identical steps from several linked records are given once, with their
    evidence joined.

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (items, traces, movements) or an items table.
    record_id : str
        The item.
    links : DataFrame, optional
        Links from ``link_records``: the ``weapon`` links of this item (direct
        or through other records) bring in the records of the same weapon.

    Returns
    -------
    DataFrame
        ``step``, ``date`` (datetime; 1 January for a year), ``when`` (the
        date as known: ``1978``, ``2021-03-01`` or null), ``place``, ``party``
        (maker, holder, actor), ``evidence`` (in words, naming the record or
        trace), ``record_id``.

    Raises
    ------
    InvalidParameterError
        If ``record_id`` is not in ``ds.items`` nor in ``ds.traces``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["ml:1"], "country": ["MLI"], "locality": ["Gao"],
    ...     "seized_on": pd.to_datetime(["2021-03-01"]), "make": ["Norinco"],
    ...     "model": ["Type 56"], "country_of_manufacture": ["CHN"],
    ...     "year_of_manufacture": [1992], "import_country": ["LBY"],
    ...     "import_year": [2004], "actor": ["Katiba Y"], "source": ["army"]})
    >>> chain = custody_chain(items, "ml:1")
    >>> chain[["step", "when", "place", "party"]]
              step        when       place          party
    0  manufacture        1992         CHN  Norinco Type 56
    1       export        2004  CHN -> LBY           <NA>
    2       import        2004         LBY           <NA>
    3     recovery  2021-03-01  MLI / Gao        Katiba Y
    """
    data = as_dataset(ds)
    items = data.items
    rid = items["record_id"].astype("string")
    known = rid.eq(str(record_id)).fillna(False).to_numpy()
    in_traces = (
        data.traces["record_id"].astype("string").eq(str(record_id)).fillna(False)
    )
    if not known.any() and not in_traces.any():
        raise InvalidParameterError(
            f"record_id {record_id!r} is in neither ds.items nor ds.traces; pass the "
            "record_id of an item (ds.items['record_id'])."
        )
    ids = _same_weapon(str(record_id), links)
    mine = items[rid.isin(ids).fillna(False).to_numpy()]
    traces = data.traces[
        data.traces["record_id"].astype("string").isin(ids).fillna(False).to_numpy()
    ]
    movements = data.movements[
        data.movements["record_id"].astype("string").isin(ids).fillna(False).to_numpy()
    ]
    rows: list[dict] = []
    for _, it in mine.iterrows():
        rows.extend(_item_steps(it))
    for _, tr in traces.iterrows():
        rows.extend(_trace_steps(tr, mine))
    for _, mv in movements.iterrows():
        mid = _text(mv["movement_id"])
        kind = _text(mv["evidence"])
        rows.append(
            _row(
                "movement",
                _date(mv["moved_on"]) or _year(mv["year"]),
                f"{_text(mv['origin']) or '?'} -> {_text(mv['destination']) or '?'}",
                _text(mv["actor"]),
                " ".join(
                    x for x in ("movement", mid, f"({kind})" if kind else None) if x
                ),
                _text(mv["record_id"]),
            )
        )
    return _finish(rows)


def _same_weapon(record_id: str, links: pd.DataFrame | None) -> set[str]:
    ids = {record_id}
    if links is None or len(links) == 0:
        return ids
    lk = links
    if "kind" in lk:
        lk = lk[lk["kind"].astype("string").fillna("weapon").to_numpy() == "weapon"]
    left = lk["left"].astype("string").to_numpy(dtype=object)
    right = lk["right"].astype("string").to_numpy(dtype=object)
    while True:  # grow the cluster until no new record joins
        hit = np.isin(left, list(ids)) | np.isin(right, list(ids))
        new = set(left[hit]).union(right[hit]) - ids
        if not new:
            return ids
        ids |= new


def _text(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    s = str(v).strip()
    return s or None


def _date(v: Any) -> tuple[pd.Timestamp, str] | None:
    if v is None or pd.isna(v):
        return None
    ts = pd.Timestamp(v)
    return ts, ts.strftime("%Y-%m-%d")


def _year(v: Any) -> tuple[pd.Timestamp, str] | None:
    if v is None or pd.isna(v):
        return None
    y = int(v)
    return pd.Timestamp(year=y, month=1, day=1), str(y)


def _row(step, when, place, party, evidence, record_id) -> dict:
    date, text = when if when else (pd.NaT, None)
    return {
        "step": step,
        "date": date,
        "when": text,
        "place": place,
        "party": party,
        "evidence": evidence,
        "record_id": record_id,
    }


def _item_steps(it: pd.Series) -> list[dict]:
    rid = _text(it["record_id"])
    rows = []
    com = _text(it["country_of_manufacture"])
    maker = " ".join(x for x in (_text(it["make"]), _text(it["model"])) if x) or None
    year = _year(it["year_of_manufacture"])
    if com or maker or year:
        inferred = it.get("country_of_manufacture_inferred")
        how = (
            "country inferred from the make"
            if inferred is True or (not pd.isna(inferred) and bool(inferred))
            else "markings"
        )
        rows.append(_row("manufacture", year, com, maker, f"record {rid}: {how}", rid))
    imp = _text(it["import_country"])
    imp_year = _year(it["import_year"])
    if imp:
        if com and com != imp:
            rows.append(
                _row(
                    "export",
                    imp_year,
                    f"{com} -> {imp}",
                    None,
                    f"record {rid}: import marking implies export from {com}",
                    rid,
                )
            )
        rows.append(
            _row("import", imp_year, imp, None, f"record {rid}: import marking", rid)
        )
    last = _date(it["last_legal_on"])
    if last:
        rows.append(
            _row(
                "last_legal_holder",
                last,
                None,
                None,
                f"record {rid}: date last in legal hands",
                rid,
            )
        )
    origin = _text(it["origin_country"])
    transit = _text(it["transit_countries"])
    if origin or transit:
        stops = [
            origin or "?",
            *[t.strip() for t in (transit or "").split(";") if t.strip()],
        ]
        stops.append(_text(it["country"]) or "?")
        rows.append(
            _row(
                "route",
                None,
                " -> ".join(stops),
                None,
                f"record {rid}: declared origin and transit",
                rid,
            )
        )
    place = (
        " / ".join(
            x
            for x in (_text(it["country"]), _text(it["admin1"]), _text(it["locality"]))
            if x
        )
        or None
    )
    source = _text(it["source"])
    status = _text(it["status"]) or "recovered"
    agency = _text(it["agency"])
    who = ", ".join(x for x in (source, agency) if x)
    rows.append(
        _row(
            "recovery",
            _date(it["seized_on"]),
            place,
            _text(it["actor"]),
            f"record {rid} ({who}): {status}" if who else f"record {rid}: {status}",
            rid,
        )
    )
    return rows


def _trace_steps(tr: pd.Series, items: pd.DataFrame) -> list[dict]:
    tid = _text(tr["trace_id"])
    rid = _text(tr["record_id"])
    party = _text(tr["requested_party"])
    answered = _date(tr["responded_on"])
    outcome = _text(tr["outcome"]) or "no outcome"
    said = f"trace {tid} to {party or 'unknown party'} ({outcome}"
    said += f", answered {answered[1]})" if answered else ")"
    rows = []
    holder = _text(tr["last_legal_holder"])
    country = _text(tr["last_legal_country"])
    if holder or country:
        last = None
        if len(items):
            match = items[items["record_id"].astype("string") == rid]
            if len(match):
                last = _date(match["last_legal_on"].iloc[0])
        rows.append(_row("last_legal_holder", last, country, holder, said, rid))
    dcountry = _text(tr["diversion_country"])
    dyear = _year(tr["diversion_year"])
    mode = _text(tr["diversion_mode"])
    if dcountry or dyear or mode:
        rows.append(
            _row(
                "diversion",
                dyear,
                dcountry,
                holder,
                said + (f": {mode.replace('_', ' ')}" if mode else ""),
                rid,
            )
        )
    return rows


def _finish(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        out = pd.DataFrame({c: pd.Series([], dtype="string") for c in _COLUMNS})
        out["date"] = pd.Series([], dtype="datetime64[s]")
        return out
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[s]")
    for c in ("step", "when", "place", "party", "evidence", "record_id"):
        frame[c] = frame[c].astype("string")
    # a last-legal-holder row from the item alone is merged into the trace's
    holders = frame[frame["step"] == "last_legal_holder"]
    if len(holders) > 1:
        dated = holders["date"].dropna()
        if len(dated):
            frame.loc[holders.index, "date"] = frame.loc[holders.index, "date"].fillna(
                dated.iloc[0]
            )
            frame.loc[holders.index, "when"] = frame.loc[holders.index, "when"].fillna(
                holders["when"].dropna().iloc[0]
            )
        bare = holders.index[holders["place"].isna() & holders["party"].isna()]
        if len(bare) < len(holders):
            frame = frame.drop(index=bare)
    # identical steps from several linked records are given once
    key = ["step", "when", "place", "party"]
    filled = frame[key].fillna("\x00")
    frame["_k"] = filled.apply(tuple, axis=1)
    agg = frame.groupby("_k", sort=False).agg(
        step=("step", "first"),
        date=("date", "first"),
        when=("when", "first"),
        place=("place", "first"),
        party=("party", "first"),
        evidence=("evidence", lambda s: "; ".join(dict.fromkeys(s.dropna()))),
        record_id=("record_id", lambda s: ";".join(dict.fromkeys(s.dropna()))),
    )
    agg["_order"] = agg["step"].map({s: i for i, s in enumerate(CUSTODY_STEPS)})
    recover = agg["step"] == "recovery"
    # steps keep their logical order; recoveries (and movements) by date
    agg["_date"] = agg["date"].where(recover | (agg["step"] == "movement"))
    agg = agg.sort_values(["_order", "_date"], kind="stable", na_position="last")
    out = agg[_COLUMNS].reset_index(drop=True)
    for c in ("step", "when", "place", "party", "evidence", "record_id"):
        out[c] = out[c].astype("string").replace("", pd.NA)
    return out
