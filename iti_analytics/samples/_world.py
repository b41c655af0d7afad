"""The physical world: diversion points, batches, receivers, items and seizures.

Everything here is the truth the agencies never see whole. :mod:`._records`
turns it into what they report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _catalog as cat
from ._geo import (
    FRANCOPHONE,
    country_weights,
    frame_of,
    geo,
    obj,
    sample_rows,
    to_cdf,
    years_of,
)

KINDS = ("stockpile", "export", "historic", "civilian", "workshop", "commercial")
STK, EXP, HIS, CIV, WRK, COM = range(6)
_ABBR = ("STK", "EXP", "HIS", "CIV", "WRK", "COM")

#: share of physical records per source of weapons, plus ammunition, parts and
#: IED components (which ride with batches).
WEAPON_SHARE = np.array([0.25, 0.15, 0.17, 0.145, 0.13, 0.025])
AMMO_SHARE = 0.11
PART_SHARE = 0.02

#: mean recovered items per batch, and the spread of batch sizes.
BATCH_MEAN = np.array([6.0, 12.0, 8.0, 1.4, 3.0, 4.0])
BATCH_SIGMA = np.array([1.0, 1.0, 1.0, 0.5, 0.7, 0.8])
#: mean years between diversion and recovery.
LAG_YEARS = np.array([2.5, 2.0, 3.5, 1.5, 1.0, 0.7])
LAG_SIGMA = 1.0
#: items leave points in larger numbers than are recovered in the period: only
#: those recovered between ``start`` and ``end`` become records.
OVERSAMPLE = 1.5

NET_TYPES = ("armed_group", "criminal_group", "trafficking", "individual")
AG, CG, TR, IND = range(4)
#: who receives batches from each kind of diversion point.
RECEIVER = np.array(
    [
        [0.60, 0.12, 0.22, 0.06],
        [0.65, 0.07, 0.25, 0.03],
        [0.65, 0.08, 0.22, 0.05],
        [0.05, 0.45, 0.10, 0.40],
        [0.10, 0.45, 0.06, 0.39],
        [0.85, 0.05, 0.10, 0.00],
    ]
)

COUNTRY_WEIGHTS = {
    STK: {
        "MLI": 3,
        "LBY": 2.5,
        "BFA": 2.5,
        "NER": 1.5,
        "NGA": 3,
        "TCD": 1.5,
        "CAF": 2,
        "CIV": 1.5,
        "CMR": 1.2,
        "SDN": 1.5,
        "GIN": 0.6,
        "SEN": 0.3,
        "GHA": 0.5,
        "MRT": 0.4,
        "BEN": 0.5,
        "TGO": 0.4,
        "LBR": 0.3,
        "SLE": 0.2,
        "DZA": 0.2,
        "GNB": 0.2,
    },
    EXP: {
        "TCD": 2,
        "NGA": 2,
        "BFA": 1.5,
        "MLI": 1.5,
        "NER": 1.2,
        "CMR": 1.2,
        "CIV": 1,
        "SDN": 2,
        "LBY": 1.5,
        "GIN": 0.6,
        "SEN": 0.5,
        "GHA": 0.6,
        "BEN": 0.4,
        "TGO": 0.4,
        "MRT": 0.4,
        "CAF": 0.3,
    },
    HIS: {
        "LBY": 4,
        "MLI": 2,
        "CIV": 1.5,
        "CAF": 1.5,
        "NGA": 1.5,
        "TCD": 1.2,
        "SDN": 1.5,
        "BFA": 1,
        "NER": 1,
        "GIN": 0.8,
        "CMR": 0.6,
        "LBR": 0.5,
        "SLE": 0.3,
        "GNB": 0.3,
    },
    CIV: {
        "NGA": 3,
        "GHA": 2,
        "CIV": 1.5,
        "CMR": 1.2,
        "SEN": 1,
        "MLI": 0.8,
        "BFA": 0.8,
        "BEN": 0.8,
        "TGO": 0.6,
        "GIN": 0.7,
        "NER": 0.5,
        "TCD": 0.5,
        "MRT": 0.3,
        "LBY": 0.6,
        "CAF": 0.3,
    },
    WRK: {
        "GHA": 4,
        "NGA": 4,
        "CIV": 1,
        "BFA": 1,
        "MLI": 1,
        "GIN": 0.8,
        "SEN": 0.5,
        "CMR": 1.2,
        "BEN": 1,
        "TGO": 0.6,
        "NER": 0.5,
        "TCD": 0.3,
        "CAF": 0.5,
    },
    COM: {
        "BFA": 2,
        "MLI": 2,
        "GHA": 1.5,
        "NER": 1,
        "GIN": 1,
        "SEN": 0.5,
        "CIV": 0.5,
        "NGA": 1,
        "MRT": 0.4,
    },
}
CONVERSION_COUNTRIES = {
    "GHA": 3,
    "NGA": 3,
    "CIV": 2,
    "SEN": 1,
    "BEN": 1,
    "TGO": 1,
    "CMR": 1,
    "GIN": 0.5,
}


# --------------------------------------------------------------------------- lines


def line_table() -> pd.DataFrame:
    """Every kind of item a batch can hold, one row per product line.

    Industrial weapons, converted blank-firers, craft weapons (no make, made
    where the workshop is) and IED components, with a weight per kind of
    diversion point (columns ``w0`` … ``w5`` in :data:`KINDS` order).
    """
    ind = cat.lines().copy()
    ind["item_kind"] = "weapon"
    ind["production"] = "industrial"
    ind["w0"], ind["w1"], ind["w2"], ind["w3"] = (
        ind["w_stockpile"],
        ind["w_export"],
        ind["w_historic"],
        ind["w_civilian"],
    )
    ind["w4"] = 0.0
    ind["w5"] = 0.0
    conv = cat.frame(
        cat.CONVERTED, ["line", "make", "country", "model", "letters", "digits"]
    )
    conv = conv.assign(
        item_kind="weapon",
        production="converted",
        category="pistol",
        calibre=None,
        first_year=2008,
        last_year=2024,
        year_prefix=0,
        w4=1.0,
    )
    craft = cat.frame(cat.CRAFT, ["category", "calibre", "w4"])
    craft = craft.assign(
        line=[f"craft_{i}" for i in range(len(craft))],
        make=None,
        country=None,
        model=None,
        item_kind="weapon",
        production="craft",
        letters=0,
        digits=0,
        first_year=2000,
        last_year=2024,
        year_prefix=0,
        calibre=craft["calibre"].replace("", None),
    )
    expl = cat.frame(cat.EXPLOSIVES, ["model", "model_fr", "w5"])
    expl = expl.assign(
        line=[f"expl_{i}" for i in range(len(expl))],
        make=None,
        country=None,
        category=None,
        calibre=None,
        item_kind="explosive_component",
        production="industrial",
        letters=0,
        digits=0,
        first_year=2000,
        last_year=2024,
        year_prefix=0,
    )
    out = pd.concat([ind, conv, craft, expl], ignore_index=True)
    for k in range(6):
        out[f"w{k}"] = out[f"w{k}"].fillna(0.0).astype(float)
    # craft lines serve craft workshops only; conversions only conversion workshops
    out["craft"] = out["production"].eq("craft")
    return out


# --------------------------------------------------------------------------- frames


@dataclass
class Physical:
    """The truth: what left legal hands, how, and where it was recovered."""

    dps: pd.DataFrame
    batches: pd.DataFrame
    networks: pd.DataFrame
    persons: pd.DataFrame
    items: pd.DataFrame
    events: pd.DataFrame
    lines: pd.DataFrame


def _pareto(
    rng: np.random.Generator, alpha: float, size: int, cap: float
) -> np.ndarray:
    return np.minimum((1.0 - rng.random(size)) ** (-1.0 / alpha), cap)


def _pick(rng: np.random.Generator, options, size: int, p=None) -> np.ndarray:
    options = np.asarray(options, dtype=object)
    if p is not None:
        p = np.asarray(p, dtype=float)
        p = p / p.sum()
    return options[rng.choice(len(options), size=size, p=p)]


# --------------------------------------------------------------------------- points


def diversion_points(
    rng: np.random.Generator, n_phys: int, end_year: int
) -> pd.DataFrame:
    """Stockpiles, diverted exports, historic stocks, civilian holders, workshops."""
    g = geo()
    s = max(n_phys, 300) / 3000
    counts = [
        max(3, round(25 * s**0.5)),
        max(3, round(20 * s**0.5)),
        max(2, round(10 * s**0.45)),
        max(5, round(180 * s**0.8)),
        max(3, round(25 * s**0.55)),
        max(2, round(6 * s**0.5)),
    ]
    lt = cat.lines()
    exporters = lt.groupby("country")["w_export"].sum()
    exporters = exporters[exporters > 0]
    parts = []
    for kind, n in enumerate(counts):
        if kind == WRK:
            converted = rng.random(n) < 0.3
            country = np.where(
                converted,
                rng.choice(g.n, n, p=country_weights(CONVERSION_COUNTRIES)),
                rng.choice(g.n, n, p=country_weights(COUNTRY_WEIGHTS[WRK])),
            )
        else:
            converted = np.zeros(n, dtype=bool)
            country = rng.choice(g.n, n, p=country_weights(COUNTRY_WEIGHTS[kind]))
        alpha, cap = (2.5, 10.0) if kind == CIV else (1.3, 200.0)
        df = pd.DataFrame(
            {
                "kind": kind,
                "country": country,
                "weight": _pareto(rng, alpha, n, cap),
                "production": np.where(
                    converted, "converted", "craft" if kind == WRK else "industrial"
                ),
            }
        )
        first = rng.integers(2002, 2024, n)
        length = rng.integers(0, 7, n)
        df["exporter"] = None
        df["export_year"] = -1
        if kind == HIS:
            looting = np.zeros(n, dtype=bool)
            codes = g.codes[country]
            for i, code in enumerate(codes):
                years = cat.LOOTING_YEARS.get(code)
                if years and rng.random() < 0.7:
                    first[i] = years[rng.integers(len(years))]
                    length[i] = rng.integers(0, 2)
                    looting[i] = True
            first = np.where(looting, first, rng.integers(2005, 2023, n))
            capture = looting & (first >= 2014)
            mode = np.where(
                capture,
                _pick(rng, ["battlefield_capture", "theft"], n, [0.6, 0.4]),
                np.where(
                    looting,
                    "theft",
                    _pick(rng, ["embezzlement", "theft", "loss"], n, [0.6, 0.3, 0.1]),
                ),
            )
        elif kind == STK:
            # losses from stockpiles grew with the Sahel conflicts
            first = 2002 + np.floor(23 * np.sqrt(rng.random(n))).astype(int)
            mode = _pick(
                rng,
                ["theft", "embezzlement", "battlefield_capture", "loss"],
                n,
                [0.3, 0.35, 0.25, 0.1],
            )
        elif kind == EXP:
            df["exporter"] = _pick(rng, exporters.index, n, exporters.to_numpy())
            lo = lt.groupby("country")["first_year"].min()
            hi = lt.groupby("country")["last_year"].max()
            e_lo = np.maximum(2000, lo.reindex(df["exporter"]).to_numpy())
            e_hi = np.minimum(end_year - 1, hi.reindex(df["exporter"]).to_numpy())
            year = e_lo + np.floor(rng.random(n) * (e_hi - e_lo + 1)).astype(int)
            df["export_year"] = year
            first = year
            length = rng.integers(0, 5, n)
            mode = _pick(
                rng,
                ["unauthorised_retransfer", "embezzlement", "theft"],
                n,
                [0.5, 0.3, 0.2],
            )
        elif kind == CIV:
            first = rng.integers(2002, 2025, n)
            df["holder_kind"] = _pick(
                rng, ["dealer", "security", "owner"], n, [0.45, 0.2, 0.35]
            )
            mode = np.empty(n, dtype=object)
            for hk, opts, p in (
                (
                    "dealer",
                    ["unauthorised_retransfer", "theft", "embezzlement"],
                    [0.5, 0.35, 0.15],
                ),
                ("security", ["embezzlement", "theft", "loss"], [0.5, 0.3, 0.2]),
                ("owner", ["theft", "loss"], [0.7, 0.3]),
            ):
                sel = df["holder_kind"].to_numpy() == hk
                mode[sel] = _pick(rng, opts, int(sel.sum()), p)
        elif kind == WRK:
            first = rng.integers(2005, 2023, n)
            length = rng.integers(2, 10, n)
            mode = np.full(n, "other", dtype=object)
        else:
            mode = _pick(rng, ["theft", "embezzlement"], n, [0.6, 0.4])
        df["first_year"] = first
        df["last_year"] = first + length
        df["mode"] = mode
        parts.append(df)
    dps = pd.concat(parts, ignore_index=True)
    if "holder_kind" not in dps:
        dps["holder_kind"] = None
    _name_points(rng, dps)
    return dps


def _name_points(rng: np.random.Generator, dps: pd.DataFrame) -> None:
    """Holder (last legal holder) and a human label of each point."""
    g = geo()
    holders, labels = [], []
    lasts = cat.LAST_NAMES
    names_en = g.countries["name_en"].to_numpy(dtype=object)
    forces_of = {c: f.split("|") for c, f in cat.FORCES.items()}
    places_of = [g.place_names(c) for c in range(g.n)]
    u = rng.random((len(dps), 4))
    for (kind, country, exporter, year, hk, prod), (u0, u1, u2, u3) in zip(
        zip(
            dps["kind"],
            dps["country"],
            dps["exporter"],
            dps["export_year"],
            dps["holder_kind"],
            dps["production"],
            strict=True,
        ),
        u,
        strict=True,
    ):
        code = g.codes[country]
        fr = code in FRANCOPHONE
        places = places_of[country]
        place = places[int(u0 * len(places))]
        name_en = names_en[country]
        last = lasts[int(u1 * len(lasts))]
        if kind in (STK, HIS):
            forces = forces_of[code]
            holder = forces[int(u2 * len(forces))]
            label = f"{holder}, dépôt de {place}" if fr else f"{holder}, {place} depot"
            if kind == HIS:
                label += " (Cold War stocks)"
        elif kind == EXP:
            holder = f"Ministry of Defence, {name_en}"
            label = (
                f"export {exporter} to {code} {year}, consignment {1 + int(u3 * 98)}"
            )
        elif kind == CIV:
            if hk == "dealer":
                holder = f"Armurerie {last}" if fr else f"{last} Arms Dealers Ltd"
            elif hk == "security":
                holder = f"{last} Sécurité SARL" if fr else f"{last} Security Services"
            else:
                holder = f"particulier ({place})" if fr else f"private owner ({place})"
            label = f"{holder}, {place}"
        elif kind == WRK:
            if prod == "converted":
                holder = "atelier de conversion" if fr else "conversion workshop"
            else:
                holder = "atelier artisanal" if fr else "craft workshop"
            label = f"{holder}, {place}"
        else:
            holder = f"Société minière {last}" if fr else f"{last} Mining Ltd"
            label = f"{holder}, explosives store near {place}"
        holders.append(holder)
        labels.append(label)
    dps["holder"] = holders
    dps["label"] = labels


# --------------------------------------------------------------------------- networks


def networks(
    rng: np.random.Generator, n_phys: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Armed groups, criminal groups, trafficking networks and lone individuals.

    Returns the networks and their persons (members, dealers, couriers).
    """
    g = geo()
    s = max(n_phys, 300) / 3000
    n_ag = max(4, round(9 * s**0.35))
    n_cg = max(4, round(14 * s**0.5))
    n_tr = max(3, round(8 * s**0.5))
    n_ind = max(10, round(220 * s**0.8))
    rows = []
    # armed groups: a zone, distinct names
    zones = [z for z, _, _ in cat.CONFLICT_ZONES]
    zw = np.array([w for _, w, _ in cat.CONFLICT_ZONES])
    zone_of = rng.choice(len(zones), n_ag, p=zw / zw.sum())
    used: set[tuple] = set()
    acronyms: set[str] = set()
    for z in zone_of:
        zone = zones[z]
        for _ in range(200):
            p = rng.integers(len(cat.GROUP_PREFIX))
            m = rng.integers(len(cat.GROUP_MIDDLE))
            places = cat.GROUP_PLACE[zone]
            q = rng.integers(len(places))
            if (p, m, zone, q) not in used:
                break
        used.add((p, m, zone, q))
        pre_fr, pre_en = cat.GROUP_PREFIX[p]
        mid_fr, mid_en, mid_a = cat.GROUP_MIDDLE[m]
        pl_fr, pl_en, pl_a = places[q]
        fr = f"{pre_fr} {mid_fr} {pl_fr}"
        en = (
            f"{pre_en} {mid_en} {pl_en}"
            if mid_en.startswith(("for", "of"))
            else (f"{mid_en} {pre_en} {pl_en}")
        )
        acro = f"{pre_fr[0]}{mid_a}{pl_a}"
        if acro in acronyms:
            acro = None
        else:
            acronyms.add(acro)
        pool = g.zone_admin1[zone]
        ctry = np.unique(g.admin1["country"].to_numpy()[pool])
        rows.append(("armed_group", zone, fr, en, acro, pool, ctry))
    # criminal groups: a city quarter
    urban = g.admin1["urban"].to_numpy()
    city_rows = np.flatnonzero(urban >= 1.0)
    cw = urban[city_rows]
    used_gang: set[tuple] = set()
    for a in rng.choice(city_rows, n_cg, p=cw / cw.sum()):
        locs = g.localities[a]
        for _ in range(200):
            w = rng.integers(len(cat.GANG_WORDS))
            loc = locs[rng.integers(len(locs))]
            if (w, loc) not in used_gang:
                break
        used_gang.add((w, loc))
        word_fr, word_en = cat.GANG_WORDS[w]
        fr = f"Gang des {word_fr} de {loc}"
        en = f"{loc} {word_en} gang"
        rows.append(
            (
                "criminal_group",
                "",
                fr,
                en,
                None,
                np.array([a]),
                np.array([g.admin1["country"].iloc[a]]),
            )
        )
    # trafficking networks: a corridor
    cw = np.array([w for _, w in cat.CORRIDORS])
    for c in rng.choice(len(cat.CORRIDORS), n_tr, p=cw / cw.sum()):
        ctry = np.array([g.index[x] for x in cat.CORRIDORS[c][0]])
        pool = np.concatenate([g.admin1_of_country[i] for i in ctry])
        rows.append(("trafficking", "", None, None, None, pool, ctry))
    # individuals: one person in one admin1
    crime = g.countries["crime"].to_numpy()
    for c in rng.choice(g.n, n_ind, p=crime / crime.sum()):
        pool = g.admin1_of_country[c]
        a = pool[rng.choice(len(pool), p=urban[pool] / urban[pool].sum())]
        rows.append(("individual", "", None, None, None, np.array([a]), np.array([c])))
    nets = pd.DataFrame(
        rows,
        columns=[
            "type",
            "zone",
            "name_fr",
            "name_en",
            "acronym",
            "admin1_pool",
            "countries",
        ],
    )
    nets["type_code"] = nets["type"].map({t: i for i, t in enumerate(NET_TYPES)})
    nets["home"] = [
        int(c[rng.integers(len(c))]) if len(c) > 1 else int(c[0])
        for c in nets["countries"]
    ]
    nets["weight"] = _pareto(rng, 1.5, len(nets), 30.0)
    nets.loc[nets["type"] == "individual", "weight"] = 1.0
    nets["network_id"] = [
        f"NET-{t[:2].upper()}-{i:04d}" for i, t in enumerate(nets["type"])
    ]
    persons = _persons(rng, nets)
    # a trafficking network is known by its leader's name
    leaders = persons[persons["role"] == "leader"].set_index("network")
    tr = nets.index[nets["type"] == "trafficking"]
    nets.loc[tr, "name_fr"] = "réseau " + leaders.loc[tr, "last"].to_numpy()
    nets.loc[tr, "name_en"] = leaders.loc[tr, "last"].to_numpy() + " network"
    return nets, persons


def _persons(rng: np.random.Generator, nets: pd.DataFrame) -> pd.DataFrame:
    n_members = np.where(
        nets["type"].eq("individual"),
        1,
        np.where(
            nets["type"].eq("armed_group"),
            3 + rng.poisson(3, len(nets)),
            2 + rng.poisson(2, len(nets)),
        ),
    )
    network = np.repeat(np.arange(len(nets)), n_members)
    first_in = np.r_[True, network[1:] != network[:-1]]
    ntype = nets["type"].to_numpy()[network]
    role = np.where(
        ntype == "individual",
        "self",
        np.where(
            ntype == "trafficking",
            np.where(
                first_in,
                "leader",
                _pick(rng, ["dealer", "courier"], len(network), [0.5, 0.5]),
            ),
            np.where(first_in, "leader", "member"),
        ),
    )
    k = len(network)
    first = _pick(rng, cat.FIRST_NAMES, k)
    last = _pick(rng, cat.LAST_NAMES, k)
    actor_type = np.where(
        np.isin(role, ["dealer"]) | ((ntype == "trafficking") & (role == "leader")),
        "dealer",
        "person",
    )
    return pd.DataFrame(
        {
            "network": network,
            "role": role,
            "first": first,
            "last": last,
            "actor_type": actor_type,
        }
    )


# --------------------------------------------------------------------------- batches


def batches(
    rng: np.random.Generator,
    dps: pd.DataFrame,
    lt: pd.DataFrame,
    n_by_kind: np.ndarray,
    nets: pd.DataFrame,
    start_day: int,
    end_day: int,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Batches leaving each point, and the items of each recovered in the period.

    Batches are drawn in rounds until enough of their items are recovered
    between ``start`` and ``end`` (a diversion in 2011 shows up in 2015–2024
    only through its slowest items; one in the future not at all). Returns
    the batches, and the batch and recovery day of every kept weapon (or IED
    component), sorted by batch.
    """
    end_year = int(years_of(np.array([end_day]))[0])
    parts, kept_b, kept_d = [], [], []
    offset = 0
    first_y = dps["first_year"].to_numpy()
    last_y = dps["last_year"].to_numpy()
    for kind in range(6):
        n_k = int(n_by_kind[kind])
        pts = np.flatnonzero(dps["kind"].to_numpy() == kind)
        if n_k == 0 or len(pts) == 0:
            continue
        w = dps["weight"].to_numpy()[pts]
        rounds_b, rounds_i, rounds_d, found = [], [], [], 0
        for _ in range(12):
            n_b = max(1, math.ceil(n_k / BATCH_MEAN[kind]))
            dp = pts[rng.choice(len(pts), n_b, p=w / w.sum())]
            prop = rng.lognormal(0.0, BATCH_SIGMA[kind], n_b)
            cnt = rng.multinomial(math.ceil(n_k * OVERSAMPLE), prop / prop.sum())
            # diversion date inside the point's window (possibly after ``end``)
            year = first_y[dp] + np.floor(
                rng.random(n_b) * (last_y[dp] - first_y[dp] + 1)
            ).astype(int)
            day0 = (
                np.asarray(year - 1970, dtype="datetime64[Y]")
                .astype("datetime64[D]")
                .astype(np.int64)
            )
            div = day0 + rng.integers(0, 365, n_b)
            local = np.repeat(np.arange(n_b), cnt)
            day = div[local] + _lag_days(rng, np.full(len(local), kind))
            ok = (day >= start_day) & (day <= end_day)
            base = offset + sum(len(x) for x in rounds_b)
            rounds_b.append(pd.DataFrame({"dp": dp, "kind": kind, "diverted_day": div}))
            rounds_i.append(base + local[ok])
            rounds_d.append(day[ok])
            found += int(ok.sum())
            if found >= n_k:
                break
        bk = pd.concat(rounds_b, ignore_index=True)
        ib, db = np.concatenate(rounds_i), np.concatenate(rounds_d)
        if len(ib) >= n_k:
            pick = rng.choice(len(ib), n_k, replace=False)
            ib, db = ib[pick], db[pick]
        else:  # pathological windows: the rest get a date inside the period
            usable = np.flatnonzero(bk["diverted_day"].to_numpy() < end_day)
            if not len(usable):
                usable = np.arange(len(bk))
                bk["diverted_day"] = np.minimum(bk["diverted_day"], end_day - 30)
            extra = offset + usable[rng.integers(0, len(usable), n_k - len(ib))]
            d = bk["diverted_day"].to_numpy()[extra - offset]
            ib = np.concatenate([ib, extra])
            db = np.concatenate(
                [db, _truncated_days(rng, d, np.full(len(d), kind), start_day, end_day)]
            )
        parts.append(bk)
        kept_b.append(ib)
        kept_d.append(db)
        offset += len(bk)
    b = pd.concat(parts, ignore_index=True)
    ib, db = np.concatenate(kept_b), np.concatenate(kept_d)
    # drop the batches nothing was recovered from, renumber the rest
    used, ib = np.unique(ib, return_inverse=True)
    b = b.iloc[used].reset_index(drop=True)
    order = np.argsort(ib, kind="stable")
    ib, db = ib[order], db[order]
    b["line"] = _batch_lines(rng, b, dps, lt)
    nb = len(b)
    div_day = b["diverted_day"].to_numpy()
    div_year = years_of(div_day)
    # year of manufacture
    lf = lt["first_year"].to_numpy()[b["line"]]
    ll = lt["last_year"].to_numpy()[b["line"]]
    kind = b["kind"].to_numpy()
    lo = np.where(kind == CIV, np.maximum(lf, div_year - 25), np.maximum(lf, 1985))
    lo = np.where(kind == HIS, lf, lo)
    hi = np.minimum(ll, div_year)
    hi = np.where(kind == HIS, np.minimum(ll, 1991), hi)
    lo = np.minimum(lo, hi)
    yom = lo + np.floor(rng.random(nb) * (hi - lo + 1)).astype(int)
    exp_year = dps["export_year"].to_numpy()[b["dp"]]
    yom = np.where(kind == EXP, np.clip(exp_year - rng.integers(0, 3, nb), lf, ll), yom)
    yom = np.where(kind == WRK, div_year - rng.integers(0, 2, nb), yom)
    conv = lt["production"].to_numpy()[b["line"]] == "converted"
    yom = np.where(conv, div_year - rng.integers(0, 4, nb), yom)
    yom = np.where(kind == COM, div_year - rng.integers(0, 2, nb), yom)
    b["yom"] = np.minimum(yom, div_year)
    # import marks (ITI section III) on the batch
    p_mark = np.select(
        [kind == EXP, kind == STK, kind == HIS, kind == CIV],
        [np.where(exp_year >= 2006, 0.30, 0.05), 0.15, 0.02, 0.30],
        0.0,
    )
    industrial = lt["production"].to_numpy()[b["line"]] == "industrial"
    weapon = lt["item_kind"].to_numpy()[b["line"]] == "weapon"
    b["import_marked"] = (rng.random(nb) < p_mark) & industrial & weapon
    b["import_year"] = np.where(
        kind == EXP, exp_year, np.minimum(b["yom"] + rng.integers(0, 3, nb), div_year)
    )
    # receivers
    b["network"], b["network2"], b["share2"] = _receivers(rng, b, dps, nets)
    b["end_year"] = end_year
    return b, ib, db


def _batch_lines(
    rng: np.random.Generator, b: pd.DataFrame, dps: pd.DataFrame, lt: pd.DataFrame
) -> np.ndarray:
    g = geo()
    n_lines = len(lt)
    out = np.zeros(len(b), dtype=np.int64)
    line_country = lt["country"].to_numpy()
    kind = b["kind"].to_numpy()
    dp_country = dps["country"].to_numpy()[b["dp"]]
    for k in (STK, HIS, CIV):
        sel = np.flatnonzero(kind == k)
        if not len(sel):
            continue
        w = np.tile(lt[f"w{k}"].to_numpy(), (g.n, 1))
        for c, aff in cat.AFFINITY.items():
            mult = np.array([aff.get(x, 1.0) for x in line_country])
            w[g.index[c]] *= mult
        out[sel] = sample_rows(rng, to_cdf(w), dp_country[sel])
    sel = np.flatnonzero(kind == EXP)
    if len(sel):
        exporter = dps["exporter"].to_numpy()[b["dp"].to_numpy()[sel]]
        year = dps["export_year"].to_numpy()[b["dp"].to_numpy()[sel]]
        keys, inv = np.unique(
            np.char.add(exporter.astype(str), year.astype(str)), return_inverse=True
        )
        w = np.zeros((len(keys), n_lines))
        base = lt["w1"].to_numpy()
        for i, key in enumerate(keys):
            ex, yr = key[:3], int(key[3:])
            own = (line_country == ex) & (base > 0)
            fits = (
                own
                & (lt["first_year"].to_numpy() <= yr)
                & (lt["last_year"].to_numpy() + 2 >= yr)
            )
            w[i] = base * (fits if fits.any() else own)
        out[sel] = sample_rows(rng, to_cdf(w), inv)
    sel = np.flatnonzero(kind == WRK)
    if len(sel):
        conv = dps["production"].to_numpy()[b["dp"].to_numpy()[sel]] == "converted"
        prod = lt["production"].to_numpy()
        w = np.vstack(
            [
                lt["w4"].to_numpy() * (prod == "craft"),
                lt["w4"].to_numpy() * (prod == "converted"),
            ]
        )
        out[sel] = sample_rows(rng, to_cdf(w), conv.astype(np.int64))
    sel = np.flatnonzero(kind == COM)
    if len(sel):
        w = lt["w5"].to_numpy()[None, :]
        out[sel] = sample_rows(rng, to_cdf(w), np.zeros(len(sel), dtype=np.int64))
    return out


def _receivers(
    rng: np.random.Generator, b: pd.DataFrame, dps: pd.DataFrame, nets: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Primary and secondary receiver of each batch, and the share passed on."""
    g = geo()
    kind = b["kind"].to_numpy()
    nb = len(b)
    country = dps["country"].to_numpy()[b["dp"]]
    ntype = sample_rows(rng, to_cdf(RECEIVER), kind)
    local = np.isin(kind, [CIV, WRK]).astype(np.int64)
    net_type = nets["type_code"].to_numpy()
    home = nets["home"].to_numpy()
    weight = nets["weight"].to_numpy()
    # matrix rows: (type, local, country) -> network
    decay = np.array([0.6, 1.5])
    w = np.zeros((4 * 2 * g.n, len(nets)))
    for t in range(4):
        for loc in range(2):
            for c in range(g.n):
                row = (t * 2 + loc) * g.n + c
                w[row] = (
                    (net_type == t) * weight * np.exp(-decay[loc] * g.hops[c, home])
                )
    cdf = to_cdf(w)

    def draw(t: np.ndarray, c: np.ndarray) -> np.ndarray:
        # a type with no network at all falls back to armed groups
        present = np.bincount(net_type, minlength=4) > 0
        t = np.where(present[t], t, AG)
        return sample_rows(rng, cdf, (t * 2 + local) * g.n + c)

    first = draw(ntype, country)
    p2 = np.where(np.isin(kind, [CIV, WRK]), 0.10, 0.35)
    has2 = rng.random(nb) < p2
    t2 = sample_rows(rng, to_cdf(RECEIVER), kind)
    second = draw(t2, home[first])
    second = np.where(has2 & (second != first), second, -1)
    share = np.where(second >= 0, rng.uniform(0.2, 0.6, nb), 0.0)
    return first, second, share


# --------------------------------------------------------------------------- items


def items(
    rng: np.random.Generator,
    b: pd.DataFrame,
    wb: np.ndarray,
    w_day: np.ndarray,
    lt: pd.DataFrame,
    nets: pd.DataFrame,
    n_ammo: int,
    n_parts: int,
    start_day: int,
    end_day: int,
) -> pd.DataFrame:
    """One row per physical item (weapon, ammunition lot, part, IED component)."""
    nb = len(b)
    line = b["line"].to_numpy()
    item_kind_l = lt["item_kind"].to_numpy()
    prod_l = lt["production"].to_numpy()
    # weapons and IED components: the batch's own line
    count = np.bincount(wb, minlength=nb)
    # ammunition: rides with batches whose calibre has ammunition
    ammo = cat.frame(cat.AMMUNITION, ["make", "country", "calibre", "code", "w"])
    cal_l = lt["calibre"].to_numpy()
    aw = np.zeros((len(lt), len(ammo)))
    for a, (cal, ctry, w) in enumerate(
        zip(ammo["calibre"], ammo["country"], ammo["w"], strict=True)
    ):
        aw[:, a] = w * (cal_l == cal) * np.where(lt["country"].to_numpy() == ctry, 3, 1)
    eligible = (aw[line].sum(axis=1) > 0) & np.isin(b["kind"], [STK, EXP, HIS, CIV])
    ammo_line = np.full(nb, -1)
    el = np.flatnonzero(eligible)
    if len(el):
        ammo_line[el] = sample_rows(rng, to_cdf(aw), line[el])
    if len(el) and n_ammo:
        p = count[el] ** 0.8
        ab = el[rng.choice(len(el), n_ammo, p=p / p.sum())]
    else:
        ab = np.zeros(0, dtype=np.int64)
    # parts: industrial weapon batches
    pe = np.flatnonzero(
        (prod_l[line] == "industrial") & (item_kind_l[line] == "weapon")
    )
    if len(pe) and n_parts:
        pb = pe[rng.choice(len(pe), n_parts, p=count[pe] / count[pe].sum())]
    else:
        pb = np.zeros(0, dtype=np.int64)
    batch = np.concatenate([wb, ab, pb])
    n = len(batch)
    kind_item = np.concatenate(
        [
            item_kind_l[line[wb]],
            np.full(len(ab), "ammunition", dtype=object),
            np.full(len(pb), "part", dtype=object),
        ]
    )
    it = frame_of({"batch": batch, "item_kind": kind_item})
    it["line"] = line[batch]
    it["kind"] = b["kind"].to_numpy()[batch]
    it["dp"] = b["dp"].to_numpy()[batch]
    it["production"] = obj(prod_l[it["line"]])
    it["make"] = obj(lt["make"].to_numpy()[it["line"]])
    it["model"] = obj(lt["model"].to_numpy()[it["line"]])
    it["category"] = obj(lt["category"].to_numpy()[it["line"]])
    it["calibre"] = obj(lt["calibre"].to_numpy()[it["line"]])
    it["com"] = obj(lt["country"].to_numpy()[it["line"]])
    it["yom"] = b["yom"].to_numpy()[batch]
    # ammunition attributes
    is_ammo = it["item_kind"].to_numpy() == "ammunition"
    al = ammo_line[batch]
    a_make = np.where(al >= 0, ammo["make"].to_numpy()[np.maximum(al, 0)], None)
    a_ctry = np.where(al >= 0, ammo["country"].to_numpy()[np.maximum(al, 0)], None)
    it.loc[is_ammo, "make"] = a_make[is_ammo]
    it.loc[is_ammo, "com"] = a_ctry[is_ammo]
    it.loc[is_ammo, "model"] = None
    it.loc[is_ammo, "category"] = None
    # ammunition year: recent resupply or old stock; lot shared by the batch
    div_year = years_of(b["diverted_day"].to_numpy())
    a_year = np.maximum(div_year - rng.integers(0, 9, nb), 1965)
    sov = np.isin(ammo["country"].to_numpy()[np.maximum(ammo_line, 0)], ["SUN"])
    a_year = np.where(sov, np.minimum(a_year, 1991), a_year)
    code = np.where(
        ammo_line >= 0, ammo["code"].to_numpy()[np.maximum(ammo_line, 0)], ""
    )
    lot_no = rng.integers(1, 900, nb)
    yy = np.char.zfill((a_year % 100).astype(str), 2)
    lot = np.where(
        code != "",
        np.char.add(
            np.char.add(np.char.add(code.astype(str), "-"), yy),
            np.char.add("-", np.char.zfill(lot_no.astype(str), 4)),
        ),
        np.char.add(np.char.add("LOT ", yy), np.char.add("/", lot_no.astype(str))),
    )
    stamp = np.where(
        code != "", np.char.add(np.char.add(code.astype(str), " "), yy), ""
    )
    it["lot"] = None
    it["headstamp"] = None
    it.loc[is_ammo, "lot"] = lot[batch][is_ammo]
    hs = stamp[batch]
    it.loc[is_ammo & (hs != ""), "headstamp"] = hs[is_ammo & (hs != "")]
    it.loc[is_ammo, "yom"] = a_year[batch][is_ammo]
    is_expl = it["item_kind"].to_numpy() == "explosive_component"
    expl_lot = np.char.add(
        np.char.add("L", yy), np.char.zfill(rng.integers(1, 9999, nb).astype(str), 4)
    )
    it.loc[is_expl, "lot"] = expl_lot[batch][is_expl]
    # quantities
    qty = np.ones(n, dtype=np.int64)
    big_cal = np.isin(it["calibre"].to_numpy(), ["40mm", "60mm", "82mm"])
    rounds = np.maximum(1, np.round(rng.lognormal(np.log(120), 1.2, n))).astype(
        np.int64
    )
    qty = np.where(is_ammo & ~big_cal, rounds, qty)
    qty = np.where(is_ammo & big_cal, rng.integers(1, 16, n), qty)
    qty = np.where(is_expl, rng.integers(1, 120, n), qty)
    qty = np.where(it["item_kind"].to_numpy() == "part", rng.integers(1, 6, n), qty)
    it["quantity"] = qty
    it["part_name"] = None
    is_part = it["item_kind"].to_numpy() == "part"
    it.loc[is_part, "part_name"] = _pick(
        rng, [p[0] for p in cat.PARTS], int(is_part.sum()), [0.7, 0.15, 0.15]
    )
    # the receiving network
    second = b["network2"].to_numpy()[batch]
    passed = (second >= 0) & (rng.random(n) < b["share2"].to_numpy()[batch])
    it["network"] = np.where(passed, second, b["network"].to_numpy()[batch])
    # recovery date: ammunition and parts follow their batch's lag, inside the period
    extra = np.arange(len(wb), n)
    d = b["diverted_day"].to_numpy()[batch[extra]]
    x_day = _truncated_days(rng, d, it["kind"].to_numpy()[extra], start_day, end_day)
    it["seized_day"] = np.concatenate([w_day, x_day])
    # physical state of the markings
    it["serial_status"] = obj(_serial_status(rng, it, nets))
    it["import_marked"] = b["import_marked"].to_numpy()[batch] & (
        it["item_kind"].to_numpy() == "weapon"
    )
    return it


def _lag_days(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Days from diversion to recovery: log-normal, median by kind of point."""
    median = LAG_YEARS[kind] * 365.25
    return np.maximum(1, rng.lognormal(np.log(median), LAG_SIGMA)).astype(np.int64)


def _truncated_days(rng, diverted, kind, start_day, end_day) -> np.ndarray:
    """Recovery days inside [start, end]: the lag drawn until it fits, then clipped."""
    day = diverted + _lag_days(rng, kind)
    for _ in range(20):
        bad = np.flatnonzero((day < start_day) | (day > end_day))
        if not len(bad):
            break
        day[bad] = diverted[bad] + _lag_days(rng, kind[bad])
    return np.clip(day, np.maximum(start_day, diverted + 1), end_day)


def _serial_status(rng: np.random.Generator, it: pd.DataFrame, nets: pd.DataFrame):
    n = len(it)
    ntype = nets["type_code"].to_numpy()[it["network"].to_numpy()]
    crime = np.isin(ntype, [CG, IND])
    u = rng.random(n)
    obl = np.where(crime, 0.15, 0.08)
    status = np.where(
        u < 0.02,
        "absent",
        np.where(
            u < 0.02 + obl, "obliterated", np.where(u < 0.08 + obl, "partial", "intact")
        ),
    )
    prod = it["production"].to_numpy()
    u2 = rng.random(n)
    conv = np.where(u2 < 0.35, "obliterated", np.where(u2 < 0.45, "partial", "intact"))
    status = np.where(prod == "converted", conv, status)
    status = np.where(prod == "craft", "absent", status)
    weapon = it["item_kind"].to_numpy() == "weapon"
    return np.where(weapon, status, None)


def serials(rng: np.random.Generator, it: pd.DataFrame, lt: pd.DataFrame) -> np.ndarray:
    """True serials: consecutive within a batch, unique across the batches of a line."""
    n = len(it)
    out = np.full(n, None, dtype=object)
    has = (it["item_kind"].to_numpy() == "weapon") & (
        it["production"].to_numpy() != "craft"
    )
    idx = np.flatnonzero(has)
    if not len(idx):
        return out
    order = idx[np.lexsort((rng.random(len(idx)), it["batch"].to_numpy()[idx]))]
    batch = it["batch"].to_numpy()[order]
    gaps = rng.geometric(0.75, len(order))
    csum = np.cumsum(gaps)
    start = np.r_[True, batch[1:] != batch[:-1]]
    first_pos = np.flatnonzero(start)
    seg = np.cumsum(start) - 1
    offset = csum - csum[first_pos][seg] + gaps[first_pos][seg] - 1
    span = np.zeros(batch.max() + 1, dtype=np.int64)
    np.maximum.at(span, batch, offset + 1)
    line_of_batch = np.full(batch.max() + 1, -1)
    line_of_batch[batch] = it["line"].to_numpy()[order]
    yom_of_batch = np.zeros(batch.max() + 1, dtype=np.int64)
    yom_of_batch[batch] = it["yom"].to_numpy()[order]
    base = np.zeros(batch.max() + 1, dtype=np.int64)
    letters = lt["letters"].to_numpy()
    digits = lt["digits"].to_numpy()
    for line in np.unique(line_of_batch[line_of_batch >= 0]):
        bs = np.flatnonzero(line_of_batch == line)
        bs = bs[np.lexsort((rng.random(len(bs)), yom_of_batch[bs]))]
        space = (26 ** int(letters[line])) * (10 ** int(digits[line]))
        spans = span[bs]
        free = int(space * 0.85) - int(spans.sum())
        if free < 0:  # pragma: no cover - the catalog has room for ~10^7 items a line
            raise RuntimeError(f"serial space of line {line} exhausted")
        g = rng.random(len(bs))
        g = np.floor(g / g.sum() * free).astype(np.int64)
        base[bs] = int(space * 0.05) + np.cumsum(g + spans) - spans
    number = base[batch] + offset
    line = it["line"].to_numpy()[order]
    yom = it["yom"].to_numpy()[order]
    text = np.empty(len(order), dtype=object)
    for ln in np.unique(line):
        sel = line == ln
        L, D = int(letters[ln]), int(digits[ln])
        num = number[sel]
        body = np.char.zfill((num % 10**D).astype(str), D)
        q = num // 10**D
        pre = np.full(len(num), "", dtype=f"<U{max(L, 1)}")
        for _ in range(L):
            pre = np.char.add(np.array([chr(65 + v) for v in range(26)])[q % 26], pre)
            q = q // 26
        s = np.char.add(pre, body)
        if lt["year_prefix"].iloc[ln]:
            s = np.char.add(np.char.zfill((yom[sel] % 100).astype(str), 2), s)
        text[sel] = s
    out[order] = text
    return out


# --------------------------------------------------------------------------- events


EVENT_MEAN = np.array([4.0, 1.6, 3.0, 1.2])
EVENT_GAP = np.array([120, 60, 60, 30])
SETTINGS = ("conflict", "border", "crime", "stockpile")
SETTING_P = np.array(
    [
        [0.78, 0.08, 0.05, 0.09],
        [0.03, 0.04, 0.88, 0.05],
        [0.10, 0.62, 0.25, 0.03],
        [0.00, 0.08, 0.85, 0.07],
    ]
)


def events(
    rng: np.random.Generator,
    it: pd.DataFrame,
    nets: pd.DataFrame,
    persons: pd.DataFrame,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Group items into seizure events; returns events and the event of each item."""
    g = geo()
    n = len(it)
    net = it["network"].to_numpy()
    day = it["seized_day"].to_numpy()
    order = np.lexsort((rng.random(n), day, net))
    net_s, day_s = net[order], day[order]
    ntype = nets["type_code"].to_numpy()
    t = ntype[net_s]
    mean = EVENT_MEAN[t] * np.exp(rng.normal(0, 0.4, len(nets)))[net_s]
    brk = np.r_[
        True,
        (net_s[1:] != net_s[:-1])
        | (day_s[1:] - day_s[:-1] > EVENT_GAP[t[1:]])
        | (rng.random(n - 1) < 1.0 / mean[1:]),
    ]
    ev_sorted = np.cumsum(brk) - 1
    event = np.empty(n, dtype=np.int64)
    event[order] = ev_sorted
    starts = np.flatnonzero(brk)
    ne = len(starts)
    e_day = np.maximum.reduceat(day_s, starts)
    e_net = net_s[starts]
    e_type = ntype[e_net]
    setting = sample_rows(rng, to_cdf(SETTING_P), e_type)
    # place: an admin1 from the network's pool, a locality or a border post
    pools = nets["admin1_pool"].to_numpy()
    pick = rng.random(ne)
    admin1 = np.array(
        [p[int(u * len(p))] for p, u in zip(pools[e_net], pick, strict=True)]
    )
    stray = (e_type != AG) & (rng.random(ne) < 0.1)
    if stray.any():
        ctry = g.admin1["country"].to_numpy()[admin1[stray]]
        admin1[stray] = [
            g.admin1_of_country[c][rng.integers(len(g.admin1_of_country[c]))]
            for c in ctry
        ]
    zone = g.admin1["zone"].to_numpy()[admin1]
    setting = np.where((setting == 0) & (zone == ""), 2, setting)
    country = g.admin1["country"].to_numpy()[admin1]
    locs = [g.localities[a] for a in admin1]
    locality = np.array(
        [loc[int(u * len(loc))] for loc, u in zip(locs, rng.random(ne), strict=True)],
        dtype=object,
    )
    # border events happen at a post of the country (and in the post's area)
    border = np.flatnonzero(setting == 1)
    pools_c = [g.posts_of_country[c] for c in country[border]]
    post = np.array(
        [
            p[int(u * len(p))]
            for p, u in zip(pools_c, rng.random(len(border)), strict=True)
        ],
        dtype=np.int64,
    )
    if len(border):
        locality[border] = g.posts["post"].to_numpy(dtype=object)[post]
        admin1[border] = g.posts["admin1"].to_numpy()[post]
    lat = g.admin1["lat"].to_numpy()[admin1] + rng.normal(0, 0.25, ne)
    lon = g.admin1["lon"].to_numpy()[admin1] + rng.normal(0, 0.25, ne)
    # status
    u = rng.random(ne)
    status = np.select(
        [setting == 3, setting == 0, setting == 2],
        [
            np.where(u < 0.9, "surrendered", "found"),
            np.where(u < 0.75, "seized", "found"),
            np.where(u < 0.9, "seized", np.where(u < 0.97, "found", "surrendered")),
        ],
        np.where(u < 0.95, "seized", "found"),
    )
    # reporting source
    u = rng.random(ne)
    source = np.select(
        [setting == 0, setting == 1, setting == 2],
        [
            np.where(u < 0.7, "army", "police_fr"),
            np.where(u < 0.72, "customs_en", "police_fr"),
            np.full(ne, "police_fr"),
        ],
        np.where(u < 0.4, "army", "police_fr"),
    ).astype(object)
    # the actor the items were recovered from
    actor = _event_actors(rng, e_net, e_type, status, nets, persons)
    ev = frame_of(
        {
            "network": e_net,
            "day": e_day,
            "setting": np.array(SETTINGS)[setting],
            "status": status,
            "admin1": admin1,
            "country": country,
            "locality": locality,
            "lat": lat,
            "lon": lon,
            "source": source,
            "actor": actor,
        }
    )
    return ev, event


def _event_actors(rng, e_net, e_type, status, nets, persons) -> np.ndarray:
    """Index into the true actors (networks first, then persons) or -1."""
    n_net = len(nets)
    ne = len(e_net)
    by_net = persons.groupby("network").indices
    first_member = np.array([by_net[i][0] for i in range(n_net)])
    n_members = np.array([len(by_net[i]) for i in range(n_net)])
    member = first_member[e_net] + (rng.random(ne) * n_members[e_net]).astype(np.int64)
    leader = first_member[e_net]
    u = rng.random(ne)
    group = np.where(
        e_type == AG,
        np.where(u < 0.55, e_net, np.where(u < 0.80, n_net + member, -1)),
        np.where(
            e_type == CG,
            np.where(u < 0.25, e_net, np.where(u < 0.85, n_net + member, -1)),
            np.where(
                e_type == TR,
                np.where(
                    u < 0.45, n_net + leader, np.where(u < 0.85, n_net + member, -1)
                ),
                np.where(u < 0.92, n_net + leader, -1),
            ),
        ),
    )
    found = (status == "found") & (rng.random(ne) < 0.85)
    return np.where(found, -1, group)
