"""SDG indicator 16.4.2: recovered weapons whose illicit origin is established.

SDG 16.4.2 is the "proportion of seized, found or surrendered arms whose
illicit origin or context has been traced or established by a competent
authority in line with international instruments". The UN metadata leave open
questions (partial traces, rows standing for several items); they are
parameters here, with documented defaults, and the method is written into the
output's ``attrs["method"]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .._validation import check_option
from ..dataset import DatasetLike, as_dataset
from ..exceptions import NoDataWarning, warn
from ._common import (
    RECOVERED_STATUSES,
    as_list,
    group_keys,
    isin,
    issue_records,
    report_issues,
    share,
    warn_all_excluded,
    weapon_mask,
)

__all__ = ["sdg_16_4_2"]

_TRUE_TEXT = {"true", "t", "yes", "y", "1", "oui", "sim", "si", "sí", "x"}


def _truthy(values: pd.Series) -> pd.Series:
    """Boolean reading of a user column: bools, 1/0, yes/no in several languages."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    if pd.api.types.is_numeric_dtype(values):
        return (values.fillna(0) != 0).astype(bool)
    text = values.astype("string").str.strip().str.casefold()
    return text.isin(_TRUE_TEXT).fillna(False).astype(bool)


def sdg_16_4_2(
    ds: DatasetLike,
    *,
    by: str | Sequence[str] | None = ("country", "year"),
    partial: str = "count",
    quantity: str = "rows",
    antique_before: int | None = 1900,
    unknown_status: str = "exclude",
    established_column: str | None = "x_origin_established",
) -> pd.DataFrame:
    """SDG indicator 16.4.2: share of recovered weapons whose illicit origin is known.

    Following the UN metadata for indicator 16.4.2:

    - **denominator**: weapons (``item_kind == "weapon"``, or no kind but a
      weapon ``category``; not ammunition, parts or explosives) with status
      ``seized``, ``found`` or ``surrendered``, excluding antiques (made
      before ``antique_before``; an unknown year of manufacture is kept) and
      duplicate records (``duplicate_of`` set);
    - **numerator**: those whose illicit origin or context is established,
      either by a trace — a trace of the item with outcome ``traced`` (and
      ``partially_traced`` when ``partial="count"``), or a trace with no
      outcome recorded that names the point of diversion
      (``diversion_country``) — or by another documented determination of a
      competent authority: a true value in the items column
      ``established_column`` (for example ``x_origin_established`` from an
      investigation or a court file: True/1/yes/oui/sim).

    Parameters
    ----------
    ds : Dataset
        Its ``items`` and ``traces``. A DataFrame is taken as ``items``.
    by : str, list of str or None, default ("country", "year")
        Items columns to group by; ``"year"`` is the year of ``seized_on``.
        Rows with a null key form their own group (shown as NA).
    partial : {"count", "exclude"}, default "count"
        Whether a partial trace (outcome ``partially_traced``) establishes
        the origin. "count" follows the practice of counting any
        established point of diversion; "exclude" counts full traces only.
    quantity : {"rows", "quantity"}, default "rows"
        "rows": each record counts once. "quantity": a record counts
        ``quantity`` times (a null quantity counts once; zero or negative
        quantities are reported as issues and left out); a trace outcome
        then applies to every item of the record.
    antique_before : int or None, default 1900
        Weapons made before this year are antiques and left out. None: keep
        all.
    unknown_status : {"exclude", "count"}, default "exclude"
        Records with no status: left out (the default, counted in
        ``attrs["not_counted"]``) or counted as recovered — use "count" for a
        source that only records seizures and has no status column.
    established_column : str or None, default "x_origin_established"
        Items column holding another documented determination; ignored when
        absent.

    Returns
    -------
    DataFrame
        One row per group with at least one weapon in the denominator (a
        country-year with no data has no row — it is missing, never 0):
        the keys, ``numerator``, ``denominator``, ``proportion``,
        ``established_by_trace`` and ``established_otherwise`` (the
        numerator's two sources; an item with both counts once, by trace).
        ``attrs``: ``method`` (in words), ``options``, ``not_counted``,
        ``origin_evidence`` (False, with a :class:`NoDataWarning`, when the
        data hold no trace record and no determination column: the
        numerator is then 0 for want of data, not measured) and
        ``issues`` (traces pointing at unknown items, bad quantities).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["a", "b", "c", "d", "e", "f"],
    ...     "country": ["NER", "NER", "NER", "NER", "MLI", "MLI"],
    ...     "seized_on": pd.to_datetime(["2023-05-01"] * 4 + ["2024-02-01"] * 2),
    ...     "status": ["seized", "seized", "found", "seized", "surrendered", "seized"],
    ...     "item_kind": ["weapon", "weapon", "weapon", "ammunition", "weapon",
    ...                   "weapon"],
    ...     "year_of_manufacture": [1975, 1988, 1890, None, 2001, None]})
    >>> traces = pd.DataFrame({"record_id": ["a", "b", "e"],
    ...     "outcome": ["traced", "partially_traced", "not_traced"]})
    >>> ds = {"items": items, "traces": traces}
    >>> sdg_16_4_2(ds)[["country", "year", "numerator", "denominator", "proportion"]]
      country  year  numerator  denominator  proportion
    0     MLI  2024          0            2         0.0
    1     NER  2023          2            2         1.0
    >>> sdg_16_4_2(ds, by=None, partial="exclude")[["numerator", "denominator"]]
       numerator  denominator
    0          1            4
    """
    check_option("partial", partial, ["count", "exclude"])
    check_option("quantity", quantity, ["rows", "quantity"])
    check_option("unknown_status", unknown_status, ["exclude", "count"])
    ds = as_dataset(ds)
    items, traces = ds.items, ds.traces
    issues: list[dict[str, str]] = []

    weapon = weapon_mask(items)
    status = items["status"]
    recovered = status.isin(RECOVERED_STATUSES).fillna(False)
    no_status = status.isna()
    if unknown_status == "count":
        recovered = recovered | no_status
    year_made = items["year_of_manufacture"]
    antique = (
        (year_made < antique_before).fillna(False)
        if antique_before is not None
        else pd.Series(False, index=items.index)
    )
    duplicate = items["duplicate_of"].notna()
    weight = pd.Series(1, index=items.index, dtype="int64")
    bad_quantity = pd.Series(False, index=items.index)
    if quantity == "quantity":
        q = items["quantity"]
        bad_quantity = (q <= 0).fillna(False)
        weight = q.fillna(1).astype("int64").where(~bad_quantity, 0)
    base = weapon & ~duplicate
    in_den = (base & recovered & ~antique & ~bad_quantity).astype(bool)
    issues += issue_records(
        items,
        base & recovered & ~antique & bad_quantity,
        table="items",
        column="quantity",
        value=items["quantity"],
        problem="quantity zero or negative",
        excluded_from="SDG 16.4.2",
    )
    not_counted = {
        "not a weapon (ammunition, part, other, or no kind)": int((~weapon).sum()),
        "duplicate record": int((weapon & duplicate).sum()),
        "status lost or stolen": int(
            (base & status.isin(["lost", "stolen"]).fillna(False)).sum()
        ),
        "status unknown": int((base & no_status).sum())
        if unknown_status == "exclude"
        else 0,
        f"antique (made before {antique_before})": int(
            (base & recovered & antique).sum()
        ),
    }
    if quantity == "quantity":
        not_counted["quantity unknown (counted as 1)"] = int(
            (in_den & items["quantity"].isna()).sum()
        )

    # numerator -----------------------------------------------------------
    good = ["traced"] + (["partially_traced"] if partial == "count" else [])
    live = traces[traces["duplicate_of"].isna()]
    by_outcome = live["outcome"].isin(good).fillna(False)
    by_point = live["outcome"].isna() & live["diversion_country"].notna()
    established_ids = live.loc[(by_outcome | by_point).to_numpy(), "record_id"]
    known_ids = items["record_id"].dropna()
    if len(items):
        unknown = live["record_id"].notna() & ~isin(live["record_id"], known_ids)
        issues += issue_records(
            live,
            unknown.fillna(False),
            table="traces",
            column="record_id",
            value=live["record_id"],
            problem="trace points at an unknown item",
            excluded_from="SDG 16.4.2 numerator",
        )
    by_trace = isin(items["record_id"], established_ids)
    if established_column is not None and established_column in items.columns:
        otherwise = _truthy(items[established_column]) & ~by_trace
    else:
        otherwise = pd.Series(False, index=items.index)

    keys = group_keys(items, as_list(by), date_column="seized_on", table="items")
    frame = keys[in_den.to_numpy()].copy()
    w = weight[in_den]
    frame["denominator"] = w
    frame["established_by_trace"] = w.where(by_trace[in_den], 0)
    frame["established_otherwise"] = w.where(otherwise[in_den], 0)
    cols = ["established_by_trace", "established_otherwise", "denominator"]
    if keys.shape[1]:
        out = frame.groupby(list(keys.columns), dropna=False, sort=True)[cols].sum()
        out = out.reset_index()
    else:
        out = frame[cols].sum().to_frame().T if len(frame) else frame[cols]
        out = out.reset_index(drop=True)
    for col in cols:
        out[col] = out[col].astype("int64")
    out["numerator"] = out["established_by_trace"] + out["established_otherwise"]
    out["proportion"] = share(out["numerator"], out["denominator"])
    out = out[[*keys.columns, "numerator", "denominator", "proportion", *cols[:2]]]
    out.attrs["method"] = (
        "SDG 16.4.2: weapons seized, found or surrendered (no ammunition or parts, "
        f"no antiques made before {antique_before}, no duplicate records) whose "
        "illicit origin is established by a trace (outcome traced"
        + (" or partially traced" if partial == "count" else "")
        + ", or a diversion point recorded) or by another documented "
        f"determination ({established_column}); counted by "
        + ("record" if quantity == "rows" else "item quantity")
        + "."
    )
    out.attrs["options"] = {
        "partial": partial,
        "quantity": quantity,
        "antique_before": antique_before,
        "unknown_status": unknown_status,
        "established_column": established_column,
    }
    out.attrs["not_counted"] = not_counted
    # nothing that could establish an origin: a numerator of 0 then measures
    # the data, not the tracing (the briefing shows "no data" for it)
    evidence = len(live) > 0 or (
        established_column is not None and established_column in items.columns
    )
    out.attrs["origin_evidence"] = evidence
    warn_all_excluded("sdg_16_4_2", int(in_den.sum()), not_counted)
    if not evidence and in_den.any():
        warn(
            "sdg_16_4_2: there are no trace records and no "
            f"{established_column or 'determination'!r} column, so no origin can "
            "be established and every numerator is 0 for want of data. Load the "
            "trace register (read_traces) or a column of documented "
            "determinations (established_column=...), or report the indicator "
            "as not available.",
            NoDataWarning,
        )
    return report_issues(
        out, issues, function="sdg_16_4_2", what="record", tables=["items", "traces"]
    )
