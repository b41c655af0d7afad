"""Corridors: origin -> destination flows from movements, traces and item routes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ._common import clean_text, joined_unique, route_legs

__all__ = ["corridors", "corridor_flows", "CORRIDOR_SOURCES"]

#: where corridor evidence comes from, and the ``evidence`` word of each.
CORRIDOR_SOURCES = {
    "movements": "the movements table (its own evidence column: trace, declared, "
    "investigation, published_table; 'movement' when empty)",
    "traces": "trace results: diversion country (else last legal country) -> "
    "country of recovery ('trace_result')",
    "routes": "items' origin_country -> transit_countries -> country ('route')",
}


def corridor_flows(
    ds: Any,
    *,
    sources: tuple[str, ...] | list[str] = tuple(CORRIDOR_SOURCES),
    legs: bool = True,
    self_loops: bool = True,
    item_columns: tuple[str, ...] | list[str] = (),
) -> pd.DataFrame:
    """One row per piece of corridor evidence, before counting.

    Columns: ``origin``, ``destination``, ``count``, ``date``, ``year``,
    ``evidence``, ``record_id`` (the item, when known), and the
    ``item_columns`` of that record (null for published flows).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": ["a"], "country": ["MLI"],
    ...                       "origin_country": ["LBY"], "transit_countries": ["NER"]})
    >>> corridor_flows(items)[["origin", "destination", "evidence"]]
      origin destination evidence
    0    LBY         NER    route
    1    NER         MLI    route
    """
    for s in sources:
        check_option("sources", s, CORRIDOR_SOURCES)
    ds = as_dataset(ds)
    it = ds.items
    rid = it["record_id"].astype("string")
    parts = []
    if "movements" in sources and len(ds.movements):
        mv = ds.movements
        year = pd.to_numeric(mv["year"], errors="coerce").astype("Int64")
        date = pd.to_datetime(mv["moved_on"], errors="coerce")
        year = year.fillna(date.dt.year.astype("Int64"))
        parts.append(
            pd.DataFrame(
                {
                    "origin": clean_text(mv["origin"]).str.upper().to_numpy(),
                    "destination": clean_text(mv["destination"]).str.upper().to_numpy(),
                    "count": pd.to_numeric(mv["count"], errors="coerce")
                    .fillna(1)
                    .astype("int64")
                    .to_numpy(),
                    "date": date.to_numpy(),
                    "year": year.to_numpy(),
                    "evidence": clean_text(mv["evidence"])
                    .fillna("movement")
                    .to_numpy(),
                    "record_id": clean_text(mv["record_id"]).to_numpy(),
                }
            )
        )
    if "traces" in sources and len(ds.traces):
        tr = ds.traces
        tr = tr.drop_duplicates("record_id") if tr["record_id"].notna().any() else tr
        where = pd.Series(clean_text(it["country"]).to_numpy(), index=rid.to_numpy())
        where = where[~where.index.duplicated()]
        when = pd.Series(it["seized_on"].to_numpy(), index=rid.to_numpy())
        when = when[~when.index.duplicated()]
        trid = tr["record_id"].astype("string").to_numpy()
        date = pd.to_datetime(when.reindex(trid).to_numpy())
        parts.append(
            pd.DataFrame(
                {
                    "origin": clean_text(tr["diversion_country"])
                    .fillna(clean_text(tr["last_legal_country"]))
                    .str.upper()
                    .to_numpy(),
                    "destination": where.reindex(trid).to_numpy(),
                    "count": np.ones(len(tr), dtype=np.int64),
                    "date": date,
                    "year": pd.array(date.year, dtype="Int64"),
                    "evidence": "trace_result",
                    "record_id": trid,
                }
            )
        )
    if "routes" in sources and len(it):
        lg = route_legs(
            it["origin_country"], it["transit_countries"], it["country"], legs=legs
        )
        rows = lg["row"].to_numpy()
        date = pd.to_datetime(it["seized_on"].to_numpy()[rows])
        parts.append(
            pd.DataFrame(
                {
                    "origin": lg["origin"].to_numpy(),
                    "destination": lg["destination"].to_numpy(),
                    "count": np.ones(len(lg), dtype=np.int64),
                    "date": date,
                    "year": pd.array(date.year, dtype="Int64"),
                    "evidence": "route",
                    "record_id": rid.to_numpy()[rows],
                }
            )
        )
    if parts:
        flows = pd.concat(parts, ignore_index=True)
    else:
        flows = pd.DataFrame(
            {
                "origin": [],
                "destination": [],
                "count": [],
                "date": [],
                "year": [],
                "evidence": [],
                "record_id": [],
            }
        )
    flows = flows.astype(
        {
            "origin": "string",
            "destination": "string",
            "count": "int64",
            "year": "Int64",
            "evidence": "string",
            "record_id": "string",
        }
    )
    flows["date"] = pd.to_datetime(flows["date"]).astype("datetime64[s]")
    flows = flows.dropna(subset=["origin", "destination"])
    if not self_loops:
        flows = flows[(flows["origin"] != flows["destination"]).to_numpy()]
    extra = [c for c in item_columns if c not in flows.columns]
    for c in extra:
        if c not in it.columns:
            raise InvalidParameterError(
                f"Cannot group corridors by {c!r}: it is not 'year', 'evidence' or a "
                f"column of the items table. Available: {sorted(it.columns)}."
            )
    if extra:
        table = it[extra].set_axis(rid.to_numpy())
        table = table[~table.index.duplicated()]
        got = table.reindex(flows["record_id"].to_numpy())
        for c in extra:
            flows[c] = got[c].to_numpy()
    return flows.reset_index(drop=True)


def corridors(
    ds: Any,
    *,
    by: str | list[str] | None = None,
    sources: tuple[str, ...] | list[str] = tuple(CORRIDOR_SOURCES),
    legs: bool = True,
    self_loops: bool = True,
) -> pd.DataFrame:
    """Origin -> destination corridors: counts and each one's share of its destination.

    Three kinds of evidence are counted together (``by="evidence"`` keeps them
    apart):

    - **movements** (``ds.movements``): each row counts ``count`` (1 when
      empty) — published flow tables (:func:`read_flow_matrix`), declared or
      investigated movements;
    - **trace results**: an item traced to a diversion country (else its
      last legal country) and recovered in another country counts one from
      the first to the second (one per item, however many traces);
    - **item routes**: ``origin_country -> transit_countries -> country`` of
      each item. With ``legs=True`` each leg counts one (LBY -> NER and NER ->
      MLI: what crosses each border); with ``legs=False`` only origin ->
      country of recovery (where items come from, whatever the way).

    One item can add to several corridors and kinds of evidence (its route
    and its trace result), so counts are pieces of evidence, not distinct
    items.

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (items, traces, movements) or an items table.
    by : str or list of str, optional
        Extra grouping columns: ``"year"`` (of the movement, or of recovery),
        ``"evidence"``, or any items column (``"category"``, ``"item_kind"``;
        null for published flows, which have no item).
    sources : sequence of {"movements", "traces", "routes"}
        Evidence to count (default: all).
    legs : bool, default True
        Count each leg of an item route (True) or origin -> recovery only.
    self_loops : bool, default True
        Keep origin == destination (in-country flows: in the ATF tables, guns
        bought and recovered in the same state; an item whose route never
        left its country). Consecutive repeats within one route are collapsed
        first, so a route ``NER; NER`` is one self-loop.

    Returns
    -------
    DataFrame
        ``origin``, ``destination``, the ``by`` columns, ``count``,
        ``share_of_destination`` (this corridor's count over everything the
        destination receives in the same ``by`` group: shares sum to 1 per
        destination), ``evidence`` (kinds, ``;``-joined), ``first_seen`` and
        ``last_seen`` (null when no date is known). Sorted by destination and
        count.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["a", "b", "c"], "country": ["MLI", "MLI", "MLI"],
    ...     "origin_country": ["LBY", "LBY", "CIV"]})
    >>> corridors(items, legs=False)[["origin", "destination", "count",
    ...                               "share_of_destination"]]
      origin destination  count  share_of_destination
    0    LBY         MLI      2              0.666667
    1    CIV         MLI      1              0.333333
    """
    ds = as_dataset(ds)
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    flows = corridor_flows(
        ds, sources=sources, legs=legs, self_loops=self_loops, item_columns=by_cols
    )
    keys = [
        "origin",
        "destination",
        *[c for c in by_cols if c not in ("origin", "destination")],
    ]
    out_cols = [*keys, "count", "share_of_destination"]
    out_cols += [] if "evidence" in keys else ["evidence"]
    out_cols += ["first_seen", "last_seen"]
    if flows.empty:
        out = pd.DataFrame({c: pd.Series([], dtype="string") for c in out_cols})
        out["count"] = pd.Series([], dtype="Int64")
        out["share_of_destination"] = pd.Series([], dtype="Float64")
        out["first_seen"] = pd.Series([], dtype="datetime64[s]")
        out["last_seen"] = pd.Series([], dtype="datetime64[s]")
        return out
    g = flows.groupby(keys, dropna=False, sort=False)
    out = g.agg(
        count=("count", "sum"), first_seen=("date", "min"), last_seen=("date", "max")
    ).reset_index()
    if "evidence" not in keys:
        code = g.ngroup().to_numpy()
        ev = joined_unique(code, flows["evidence"])
        out["evidence"] = ev.reindex(np.arange(len(out))).to_numpy()
    dest_keys = [
        "destination",
        *[k for k in keys if k not in ("origin", "destination")],
    ]
    total = out.groupby(dest_keys, dropna=False)["count"].transform("sum")
    out["share_of_destination"] = (out["count"] / total).astype("Float64")
    out["count"] = out["count"].astype("Int64")
    out["evidence"] = out["evidence"].astype("string")
    out = out.sort_values(
        [*dest_keys, "count", "origin"],
        ascending=[True] * len(dest_keys) + [False, True],
        kind="stable",
    ).reset_index(drop=True)
    return out[out_cols]
