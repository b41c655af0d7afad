"""Dated reference data for risk: UN arms embargoes and conflict areas.

Both tables ship as CSV under ``iti_analytics/reference`` and are checked as of
2026. They are data, not code: pass your own table (same columns) to
:func:`embargo_status` and :func:`conflict_area_status`, or to
:func:`~iti_analytics.tracing.risk_features`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ..reference import load_reference
from ._common import fold

__all__ = [
    "un_arms_embargoes",
    "un_sanctions_regimes",
    "sanctions_status",
    "conflict_areas",
    "embargo_status",
    "conflict_area_status",
    "EMBARGO_SCOPE_WEIGHTS",
]

#: how much each kind of UN measure counts in the ``embargo`` risk feature.
#: ``area`` counts 1 inside the area, 0.5 when the item's area is unknown.
EMBARGO_SCOPE_WEIGHTS = {
    "full": 1.0,
    "non_state_actors": 1.0,
    "area": 1.0,
    "partial": 0.5,
    "targeted": 0.5,
    "sanctions_only": 0.25,
}

_EMBARGO_COLUMNS = ["state", "start", "end", "scope", "area", "admin1", "resolution"]
_CONFLICT_COLUMNS = ["country", "admin1", "name", "start", "end", "label"]


def un_arms_embargoes() -> pd.DataFrame:
    """UN Security Council arms embargoes by state, with dates (as of 2026).

    One row per period of a measure: ``state`` (ISO3), ``start``, ``end``
    (NaT while in force), ``scope``, ``area`` and ``admin1`` (for embargoes on
    part of a state, such as Darfur), ``resolution`` (the source) and
    ``notes``.

    ``scope`` is one of:

    ``full``
        every recipient in the state (often with exemptions for government
        forces, given in ``notes``);
    ``non_state_actors``
        every non-governmental entity and individual in the state (DRC since
        2008, Central African Republic since July 2023, Somalia's Al-Shabaab
        since December 2023, Haiti since October 2023, Iraq, Lebanon);
    ``area``
        a region only (Darfur since 2004; eastern DRC 2003–2005);
    ``partial``
        some arms only (major conventional arms: DPRK 2006–2009, Iran);
    ``targeted``
        listed individuals and entities only (Yemen: Houthi leaders and, since
        2022, the Houthis; Haiti 2022–2023; Taliban);
    ``sanctions_only``
        a UN sanctions regime *without* an arms embargo — Mali 2017–2023 had a
        travel ban and asset freeze only. It is listed so that users see it was
        checked, and counts a quarter in the risk feature.

    Dates are those of the resolutions (start: adoption; end: the day before
    the lifting resolution or the expiry). Regimes renewed every year (Sudan,
    South Sudan, Libya, DRC, Central African Republic) are shown as in force;
    check the latest renewal before relying on them. Sources: the
    resolutions, the UN Security Council sanctions pages and the SIPRI arms
    embargo archive.

    Examples
    --------
    >>> emb = un_arms_embargoes()
    >>> emb.loc[emb["state"] == "CIV", ["start", "end", "scope"]]
            start        end scope
    35 2004-11-15 2016-04-28  full
    >>> sorted(emb.loc[emb["end"].isna(), "state"].unique())[:6]
    ['AFG', 'CAF', 'COD', 'HTI', 'IRN', 'IRQ']
    """
    t = load_reference("un_arms_embargoes")
    for col in ("start", "end"):
        t[col] = pd.to_datetime(t[col]).astype("datetime64[s]")
    return t


def conflict_areas() -> pd.DataFrame:
    """Areas of armed conflict by state and first-level area, with dates.

    An indicative list compiled from UCDP and ACLED reporting, centred on West
    and Central Africa and the Sahel plus the main conflicts elsewhere (as of
    2026): ``country`` (ISO3), ``admin1`` (``;``-separated ISO 3166-2 codes,
    empty for the whole country), ``name`` (``;``-separated area names, used
    when records hold a name instead of a code), ``start``, ``end`` (NaT while
    ongoing), ``label`` and ``source``. Replace it with your own assessment
    when you have one (same columns).

    The rule used for risk: an item is in a conflict area when its
    ``setting`` is ``"conflict"``, or when its place (country, and area when
    the row lists areas) is in this table on its seizure date.

    Examples
    --------
    >>> areas = conflict_areas()
    >>> areas.loc[areas["country"] == "CMR", "label"].tolist()[:2]
    ['Lake Chad basin (Far North)', 'anglophone regions']
    """
    t = load_reference("conflict_areas")
    for col in ("start", "end"):
        t[col] = pd.to_datetime(t[col]).astype("datetime64[s]")
    return t


def _check_columns(table: pd.DataFrame, needed: list[str], name: str) -> None:
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InvalidParameterError(
            f"The `{name}` table lacks the columns {missing}; it needs {needed} "
            f"(see iti_analytics.tracing.{name}())."
        )


def _positions_by_country(country: pd.Series) -> dict[str, np.ndarray]:
    codes, uniques = pd.factorize(country.astype("string"))
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    out = {}
    for i, u in enumerate(uniques):
        lo, hi = np.searchsorted(sorted_codes, [i, i + 1])
        out[str(u)] = order[lo:hi]
    return out


class _Areas:
    """First-level areas of the items, as integer codes (each value folded once)."""

    def __init__(self, admin1: pd.Series | None, n: int):
        if admin1 is None:
            self.codes = np.full(n, -1, dtype=np.int64)
            self.raw = np.array([], dtype=object)
            self.folded = np.array([], dtype=object)
            return
        codes, uniques = pd.factorize(admin1.astype("string").str.strip())
        self.codes = codes.astype(np.int64)
        self.raw = np.asarray(uniques, dtype=object)
        self.folded = fold(pd.Series(self.raw, dtype="string")).to_numpy(
            dtype=object, na_value=None
        )

    def match(
        self, area_codes: str | float, area_names: str | float, pos: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(inside, unknown) for the items at ``pos``."""
        codes = (
            [] if pd.isna(area_codes) else [c.strip() for c in area_codes.split(";")]
        )
        names = (
            []
            if pd.isna(area_names)
            else fold(pd.Series(area_names.split(";"))).dropna().tolist()
        )
        hit = np.flatnonzero(np.isin(self.raw, codes) | np.isin(self.folded, names))
        item = self.codes[pos]
        inside = np.isin(item, hit)
        return inside, (item < 0) & ~inside


def embargo_status(
    country: pd.Series,
    dates: pd.Series,
    admin1: pd.Series | None = None,
    *,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which UN arms embargo covers each (country, area, date), and how much.

    Parameters
    ----------
    country : Series of ISO3 codes
    dates : Series of dates (seizure dates)
    admin1 : Series, optional
        First-level area (ISO 3166-2 code or name), for embargoes on an area.
    table : DataFrame, optional
        Embargo table (default :func:`un_arms_embargoes`).

    Returns
    -------
    DataFrame
        Same index: ``embargo`` (0–1, :data:`EMBARGO_SCOPE_WEIGHTS`; 0 when no
        embargo or unknown country/date) and ``embargo_label`` (words: "UN
        arms embargo on CAF (S/RES/2127 (2013))"), null when none.

    Examples
    --------
    >>> import pandas as pd
    >>> st = embargo_status(pd.Series(["CAF", "CIV", "CIV", "GHA"]),
    ...                     pd.Series(pd.to_datetime(["2020-05-01", "2010-01-01",
    ...                                               "2020-01-01", "2020-01-01"])))
    >>> st["embargo"].tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    t = un_arms_embargoes() if table is None else table
    _check_columns(t, _EMBARGO_COLUMNS, "un_arms_embargoes")
    n = len(country)
    score = np.zeros(n)
    label = np.full(n, None, dtype=object)
    when = pd.to_datetime(dates).to_numpy(dtype="datetime64[s]")
    areas = _Areas(admin1, n)
    by_country = _positions_by_country(country)
    start = pd.to_datetime(t["start"]).to_numpy(dtype="datetime64[s]")
    end = pd.to_datetime(t["end"]).to_numpy(dtype="datetime64[s]")
    for k, row in enumerate(t.itertuples(index=False)):
        pos = by_country.get(str(row.state))
        if pos is None or len(pos) == 0:
            continue
        w = when[pos]
        ok = ~np.isnat(w) & (w >= start[k])
        if not np.isnat(end[k]):
            ok &= w <= end[k]
        if not ok.any():
            continue
        weight = np.full(len(pos), EMBARGO_SCOPE_WEIGHTS.get(str(row.scope), 0.5))
        if row.scope == "area":
            inside, unknown = areas.match(row.admin1, row.area, pos)
            weight = np.where(inside, 1.0, np.where(unknown, 0.5, 0.0))
        better = ok & (weight > score[pos])
        where = pos[better]
        score[where] = weight[better]
        area = "" if pd.isna(row.area) else f" ({row.area})"
        kind = {
            "targeted": "UN targeted arms embargo on listed groups in",
            "sanctions_only": "UN sanctions regime (no arms embargo) on",
            "partial": "UN partial arms embargo on",
        }.get(str(row.scope), "UN arms embargo on")
        source = str(row.resolution).split(";")[0].strip()
        label[where] = f"{kind} {row.state}{area}, {source}"
    return pd.DataFrame(
        {"embargo": score, "embargo_label": pd.array(label, dtype="string")},
        index=country.index,
    )


def conflict_area_status(
    country: pd.Series,
    dates: pd.Series,
    admin1: pd.Series | None = None,
    *,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Whether each (country, area, date) lies in a listed conflict area.

    A row without areas covers the whole country; a row with areas covers
    items whose ``admin1`` matches a code or a name (accents and case
    ignored). An item with no date is matched on place alone against areas
    still in conflict (no end date).

    Returns
    -------
    DataFrame
        Same index: ``conflict_area`` (bool) and ``conflict_label`` (the
        area's label, null outside).

    Examples
    --------
    >>> import pandas as pd
    >>> st = conflict_area_status(pd.Series(["NGA", "NGA", "GHA"]),
    ...                           pd.Series(pd.to_datetime(["2020-01-01"] * 3)),
    ...                           pd.Series(["NG-BO", "Lagos", "GH-AA"]))
    >>> st["conflict_area"].tolist(), st.loc[0, "conflict_label"]
    ([True, False, False], 'north-east Nigeria (Boko Haram; ISWAP)')
    """
    t = conflict_areas() if table is None else table
    _check_columns(t, _CONFLICT_COLUMNS, "conflict_areas")
    n = len(country)
    inside_any = np.zeros(n, dtype=bool)
    label = np.full(n, None, dtype=object)
    when = pd.to_datetime(dates).to_numpy(dtype="datetime64[s]")
    areas = _Areas(admin1, n)
    by_country = _positions_by_country(country)
    start = pd.to_datetime(t["start"]).to_numpy(dtype="datetime64[s]")
    end = pd.to_datetime(t["end"]).to_numpy(dtype="datetime64[s]")
    for k, row in enumerate(t.itertuples(index=False)):
        pos = by_country.get(str(row.country))
        if pos is None or len(pos) == 0:
            continue
        w = when[pos]
        undated = np.isnat(w)
        ok = ~undated & (w >= start[k])
        if not np.isnat(end[k]):
            ok &= w <= end[k]
        else:
            ok |= undated
        if pd.notna(row.admin1) or pd.notna(row.name):
            inside, _ = areas.match(row.admin1, row.name, pos)
            ok &= inside
        new = ok & ~inside_any[pos]
        inside_any[pos[ok]] = True
        label[pos[new]] = row.label
    return pd.DataFrame(
        {
            "conflict_area": inside_any,
            "conflict_label": pd.array(label, dtype="string"),
        },
        index=country.index,
    )


def un_sanctions_regimes() -> pd.DataFrame:
    """UN sanctions written on suppliers and on named groups, with dates.

    Besides embargoes on a place (:func:`un_arms_embargoes`), the Security
    Council bans arms *exports* by some States (``kind="supplier_ban"``:
    Iran 2007–2020, the DPRK since 2006) and arms supplies to named groups
    wherever they operate (``kind="group"``: ISIL (Da'esh) and Al-Qaida,
    Al-Shabaab). Columns: ``regime``, ``kind``, ``state`` (the banned
    supplier), ``groups`` (``;``-separated names and aliases), ``start``,
    ``end`` (NaT while in force), ``resolution``, ``source``, ``notes``.

    Examples
    --------
    >>> t = un_sanctions_regimes()
    >>> t.loc[t["state"] == "IRN", ["start", "end"]].astype(str).values.tolist()
    [['2007-03-24', '2020-10-18']]
    """
    t = load_reference("un_sanctions_regimes")
    for col in ("start", "end"):
        t[col] = pd.to_datetime(t[col]).astype("datetime64[s]")
    return t


def sanctions_status(
    items: pd.DataFrame, *, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Which supplier ban or group regime covers each item, in words.

    An item is covered by a supplier ban when it was made in the banned
    State, recovered outside it, and seized while the ban was in force or
    made after it began (the transfer then broke it); by a group regime when
    its ``actor`` names a listed group (aliases folded) and it was seized
    while the regime was in force.

    Returns
    -------
    DataFrame
        Same index: ``sanction`` (1.0 or 0.0) and ``sanction_label``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "country_of_manufacture": ["IRN", "IRN", "RUS"],
    ...     "country": ["YEM", "YEM", "SOM"],
    ...     "year_of_manufacture": [2012, 1990, 2015],
    ...     "seized_on": pd.to_datetime(["2016-01-01", "2022-01-01", "2024-03-01"]),
    ...     "actor": [None, None, "Harakat al-Shabaab al-Mujahideen cell"]})
    >>> sanctions_status(items)["sanction"].tolist()
    [1.0, 0.0, 1.0]
    """
    t = un_sanctions_regimes() if table is None else table
    n = len(items)
    score = np.zeros(n)
    label = np.full(n, None, dtype=object)
    when = pd.to_datetime(items["seized_on"]).to_numpy(dtype="datetime64[s]")
    made = pd.to_numeric(items["year_of_manufacture"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    com = items["country_of_manufacture"].astype("string").str.upper()
    where = items["country"].astype("string").str.upper()
    actor_codes, actor_names = pd.factorize(items["actor"].astype("string"))
    actor = fold(pd.Series(actor_names, dtype="string"))
    for row in t.itertuples(index=False):
        start = np.datetime64(pd.Timestamp(row.start), "s")
        end = None if pd.isna(row.end) else np.datetime64(pd.Timestamp(row.end), "s")
        during = ~np.isnat(when) & (when >= start)
        if end is not None:
            during &= when <= end
        if row.kind == "supplier_ban":
            abroad = ((com == row.state) & (where != row.state)).fillna(False)
            after = made >= pd.Timestamp(row.start).year
            hit = abroad.to_numpy(dtype=bool) & (during | after)
            words = f"made in {row.state} under the UN ban on its arms exports"
        else:
            names = fold(pd.Series(str(row.groups).split(";"), dtype="string"))
            pattern = "|".join(re.escape(x) for x in names.dropna() if x)
            named_u = actor.str.contains(pattern, regex=True).fillna(False)
            named_u = named_u.to_numpy(dtype=bool)
            named = np.zeros(n, dtype=bool)
            if len(named_u):
                named = np.where(actor_codes >= 0, named_u[actor_codes], False)
            hit = named & during
            words = f"held by a group under the UN {row.regime} arms embargo"
        source = str(row.resolution).split(";")[0].strip()
        new = hit & (score < 1.0)
        score[hit] = 1.0
        label[new] = f"{words} ({source})"
    return pd.DataFrame(
        {"sanction": score, "sanction_label": pd.array(label, dtype="string")},
        index=items.index,
    )
