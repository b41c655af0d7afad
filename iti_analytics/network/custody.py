"""Custody chain of one weapon: manufacture, transfers, diversion, each recovery."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..dataset import as_dataset
from ..exceptions import InvalidParameterError

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
_TEXT = ["step", "when", "place", "party", "evidence", "record_id"]
#: steps that several records (or a record and a trace) may each tell in part:
#: rows that do not contradict each other are one step, their details pooled.
#: words of a legal transfer, and of one that is not (EN/FR/ES/PT).
_TRANSFER = re.compile(
    r"export|exportation|exportación|exportação|transfer|sale|vente|venta|venda"
)
_ILLICIT = re.compile(
    r"unauthori[sz]ed|non[- ]autoris|no autorizad|não autorizad|illicit|illicite|"
    r"ilícit|illegal|illégal|ilegal|smuggl|contrebande|contraband|traffick|trafic|"
    r"divert|détourn"
)

_POOLED = ("export", "import", "last_legal_holder", "diversion")
#: movements happen after the diversion, between and after recoveries.
_STAGE = {s: i for i, s in enumerate(CUSTODY_STEPS)} | {
    "movement": CUSTODY_STEPS.index("recovery")
}


def custody_chain(
    ds: Any, record_id: str, *, links: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The custody chain of one weapon, from manufacture to each recovery.

    Steps, each present only when the records say something about it:

    - ``manufacture``: country and year of manufacture, maker (from markings;
      "inferred from the make" when the country was not marked). Always one
      step per weapon: the linked records of the weapon are pooled, each
      detail (country, make, model, year) taken from the record that gives
      it, and every record named in ``evidence``; when records disagree the
      evidence says so and the value of ``record_id``'s record is kept;
    - ``import``: from the import marking (ITI §8), the state that imported
      it. An import mark does not say who exported the item (it may have
      passed through a third state), so no export step is made from it;
    - ``export``: movements of ``ds.movements`` whose mode is a legal transfer
      (export, a plain re-export, transfer, sale); one said to be
      unauthorised, illicit or smuggled stays a ``movement``;
    - ``last_legal_holder``: from trace answers (holder, country, date the
      item was last in legal hands);
    - ``diversion``: from trace answers (country, year, mode);
    - ``route``: declared origin and transit countries (undated);
    - ``movement``: the other rows of ``ds.movements`` about the item
      (trafficking, illicit transfers);
    - ``recovery``: each record of the item (with ``links``, every record
      linked to it as the same weapon, e.g. seized in Niger, reported again
      in Mali).

    Order: the custody sequence, manufacture -> export -> import -> last
    legal holder -> diversion -> route, then movements and recoveries
    together by date (undated movements first, undated recoveries last).
    Rows of the same step that do not contradict each other (same place and
    party or one of them unknown, same date or one of them unknown or only a
    year) are one row with the known details and the evidence of all;
    identical movements or recoveries from several linked records are given
    once.

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
        (maker, holder, actor), ``evidence`` (in words, naming the records or
        trace), ``record_id`` (the records behind the step, ``;``-separated).

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
              step        when      place          party
    0  manufacture        1992        CHN  Norinco Type 56
    1       import        2004        LBY           <NA>
    2     recovery  2021-03-01  MLI / Gao        Katiba Y

    Two records of the same weapon, one without the year of manufacture,
    give one manufacture step:

    >>> items = pd.DataFrame({"record_id": ["ne:1", "ml:2"],
    ...     "seized_on": pd.to_datetime(["2020-05-01", "2021-03-01"]),
    ...     "make": ["Norinco", None], "model": [None, "Type 56"],
    ...     "country_of_manufacture": ["CHN", "CHN"],
    ...     "year_of_manufacture": [None, 1992]})
    >>> links = pd.DataFrame({"left": ["ne:1"], "right": ["ml:2"],
    ...                       "kind": ["weapon"]})
    >>> chain = custody_chain(items, "ml:2", links=links)
    >>> chain[["step", "when", "place", "party", "record_id"]]
              step        when place          party  record_id
    0  manufacture        1992   CHN  Norinco Type 56  ne:1;ml:2
    1     recovery  2020-05-01  <NA>           <NA>       ne:1
    2     recovery  2021-03-01  <NA>           <NA>       ml:2
    >>> print(chain.loc[0, "evidence"])
    record ne:1: markings (year from record ml:2); record ml:2: markings
    """
    ds = as_dataset(ds)
    items = ds.items
    rid = items["record_id"].astype("string")
    known = rid.eq(str(record_id)).fillna(False).to_numpy()
    in_traces = ds.traces["record_id"].astype("string").eq(str(record_id)).fillna(False)
    if not known.any() and not in_traces.any():
        raise InvalidParameterError(
            f"record_id {record_id!r} is in neither ds.items nor ds.traces; pass the "
            "record_id of an item (ds.items['record_id'])."
        )
    ids = _same_weapon(str(record_id), links)
    mine = items[rid.isin(ids).fillna(False).to_numpy()]
    traces = ds.traces[
        ds.traces["record_id"].astype("string").isin(ids).fillna(False).to_numpy()
    ]
    movements = ds.movements[
        ds.movements["record_id"].astype("string").isin(ids).fillna(False).to_numpy()
    ]
    rows: list[dict] = _manufacture_steps(mine, str(record_id))
    for _, it in mine.iterrows():
        rows.extend(_item_steps(it))
    for _, tr in traces.iterrows():
        rows.extend(_trace_steps(tr, mine))
    for _, mv in movements.iterrows():
        rows.append(_movement_step(mv))
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


def _manufacture_steps(mine: pd.DataFrame, record_id: str) -> list[dict]:
    """One manufacture step for the weapon, pooled from all its records.

    Where records disagree, ``record_id``'s value is kept (for the country, a
    marked one before one inferred from the make).
    """
    told: list[dict] = []  # what each record says about the manufacture
    for _, it in mine.iterrows():
        inferred = it.get("country_of_manufacture_inferred")
        said = {
            "record": _text(it["record_id"]),
            "country": _text(it["country_of_manufacture"]),
            "make": _text(it["make"]),
            "model": _text(it["model"]),
            "year": _year(it["year_of_manufacture"]),
            "inferred": inferred is not None
            and not pd.isna(inferred)
            and bool(inferred),
        }
        if any(said[k] for k in ("country", "make", "model", "year")):
            told.append(said)
    if not told:
        return []
    # the record asked about first; a marked country beats an inferred one
    asked = sorted(told, key=lambda s: s["record"] != record_id)
    by_marking = sorted(asked, key=lambda s: s["inferred"])
    chosen: dict[str, Any] = {}
    notes: list[str] = []
    for field, words, pool in (
        ("country", "country of manufacture", by_marking),
        ("make", "make", asked),
        ("model", "model", asked),
        ("year", "year of manufacture", asked),
    ):
        given = [(s[field], s["record"]) for s in pool if s[field]]
        if not given:
            chosen[field] = None
            continue
        chosen[field] = given[0][0]
        shown = {v[1] if field == "year" else v: v for v, _ in given}
        if len(shown) > 1:
            each = ", ".join(
                f"{text} (record {r})"
                for text, r in ((v[1] if field == "year" else v, r) for v, r in given)
            )
            kept = given[0][0][1] if field == "year" else given[0][0]
            notes.append(f"records disagree on the {words}: {each}; {kept} kept")
    evidence = []
    for s in told:
        how = "country inferred from the make" if s["inferred"] else "markings"
        if len(told) > 1 and chosen["year"] and not s["year"]:
            source = next(t["record"] for t in asked if t["year"])
            how += f" (year from record {source})"
        evidence.append(f"record {s['record']}: {how}")
    maker = " ".join(x for x in (chosen["make"], chosen["model"]) if x) or None
    return [
        _row(
            "manufacture",
            chosen["year"],
            chosen["country"],
            maker,
            "; ".join(evidence + notes),
            ";".join(dict.fromkeys(s["record"] for s in told)),
        )
    ]


def _item_steps(it: pd.Series) -> list[dict]:
    rid = _text(it["record_id"])
    rows = []
    imp = _text(it["import_country"])
    imp_year = _year(it["import_year"])
    if imp:  # an import mark names the importing state, never the exporter
        rows.append(
            _row(
                "import",
                imp_year,
                imp,
                None,
                f"record {rid}: import marking (exporting state not recorded)",
                rid,
            )
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


def _movement_step(mv: pd.Series) -> dict:
    mid = _text(mv["movement_id"])
    kind = _text(mv["evidence"])
    mode = _text(mv["mode"])
    said = ", ".join(x for x in (kind, mode) if x)
    return _row(
        "export" if _legal_transfer(mode) else "movement",
        _date(mv["moved_on"]) or _year(mv["year"]),
        f"{_text(mv['origin']) or '?'} -> {_text(mv['destination']) or '?'}",
        _text(mv["actor"]),
        " ".join(x for x in ("movement", mid, f"({said})" if said else None) if x),
        _text(mv["record_id"]),
    )


def _legal_transfer(mode: str | None) -> bool:
    """Whether a movement's mode names a legal transfer (export, re-export, sale).

    A plain re-export is a legal transfer; only a transfer said to be
    unauthorised, illicit or smuggled is not.
    """
    if not mode:
        return False
    text = mode.lower()
    if _ILLICIT.search(text):
        return False
    return bool(_TRANSFER.search(text))


def _same_when(a: str | None, b: str | None) -> bool:
    """Whether two dates as known can be the same: equal, unknown, or same year."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _pool(rows: list[dict]) -> list[dict]:
    """Rows of one step that can tell the same event become one row."""
    out: list[dict] = []
    for row in rows:
        if row["step"] in _POOLED:
            same = (
                o
                for o in out
                if o["step"] == row["step"]
                and _same_when(o["when"], row["when"])
                and all(
                    o[k] is None or row[k] is None or o[k] == row[k]
                    for k in ("place", "party")
                )
            )
        else:
            same = (
                o
                for o in out
                if all(o[k] == row[k] for k in ("step", "when", "place", "party"))
            )
        target = next(same, None)
        if target is None:
            out.append(dict(row))
            continue
        for k in ("place", "party"):
            target[k] = target[k] or row[k]
        if row["when"] and len(row["when"]) > len(target["when"] or ""):
            target["when"], target["date"] = row["when"], row["date"]
        for k, sep in (("evidence", "; "), ("record_id", ";")):
            parts = [p for v in (target[k], row[k]) if v for p in v.split(sep)]
            target[k] = sep.join(dict.fromkeys(parts)) or None
    return out


def _finish(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        out = pd.DataFrame({c: pd.Series([], dtype="string") for c in _COLUMNS})
        out["date"] = pd.Series([], dtype="datetime64[s]")
        return out
    frame = pd.DataFrame(_pool(rows), columns=_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[s]")
    # the custody sequence; movements and recoveries together, by date
    stage = frame["step"].map(_STAGE)
    last = frame["step"].isin(["movement", "recovery"])
    undated = frame["date"].isna()
    key = frame["date"].where(last)
    key = key.mask(last & undated & frame["step"].eq("movement"), pd.Timestamp.min)
    order = pd.DataFrame({"stage": stage, "key": key}).sort_values(
        ["stage", "key"], kind="stable", na_position="last"
    )
    out = frame.loc[order.index].reset_index(drop=True)
    for c in _TEXT:
        out[c] = out[c].astype("string").replace("", pd.NA)
    return out
