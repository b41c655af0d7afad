"""What the agencies report about the physical world, in canonical form.

Seizure records (with duplicates, typos and gaps), trace requests and their
answers, movements, actors with their spellings, and the truth behind them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._text import strip_accents
from . import _catalog as cat
from ._geo import frame_of, geo, is_true, years_of

SOURCES = ("police_fr", "customs_en", "army")
POL, CUS, ARM = range(3)
ID_PREFIX = ("POL", "CUS", "ARM")

#: share of records that leave a field blank, per source (police, customs, army).
MISSING = {
    "admin1": (0.10, 1.0, 0.15),
    "locality": (0.08, 0.05, 1.0),
    "latlon": (1.0, 1.0, 0.25),
    "category": (0.03, 0.03, 0.05),
    "make": (0.12, 0.08, 0.20),
    "model": (0.15, 0.10, 0.10),
    "calibre": (0.10, 0.05, 0.10),
    "serial": (0.05, 0.03, 0.08),
    "com": (0.40, 0.25, 0.35),
    "yom": (0.55, 0.45, 0.65),
    "actor": (0.10, 0.15, 0.10),
    "actor_type": (0.10, 1.0, 0.15),
}
HISTORIC_CONFUSION = {"SUN": "RUS", "YUG": "SRB", "CSK": "CZE", "DDR": "DEU"}


def _rate(rng, src: np.ndarray, column: str) -> np.ndarray:
    """True where the record leaves ``column`` blank."""
    return rng.random(len(src)) < np.asarray(MISSING[column])[src]


# --------------------------------------------------------------------------- records


def records(rng, w, n_target: int, end_day: int) -> pd.DataFrame:
    """One row per record the agencies hold, with its physical item and event.

    ``w`` is the :class:`~._generate.Physical` world. Repeat reports of the same
    weapon are added until there are ``n_target`` records.
    """
    it, ev = w.items, w.events
    n_phys = len(it)
    n_dup = n_target - n_phys
    ev_src = (
        pd.Series(ev["source"]).map({s: i for i, s in enumerate(SOURCES)}).to_numpy()
    )
    src = ev_src[it["event"].to_numpy()]
    weapon = it["item_kind"].to_numpy() == "weapon"
    phys = np.arange(n_phys)
    rec = {
        "phys": phys,
        "source": src,
        "rep_event": it["event"].to_numpy() * 4 + src,
        "day": ev["day"].to_numpy()[it["event"]],
        "dup": np.zeros(n_phys, dtype=bool),
    }
    if n_dup > 0:
        dups = _duplicates(rng, it, ev_src, src, weapon, n_dup, end_day)
        rec = {k: np.concatenate([rec[k], dups[k]]) for k in rec}
    r = pd.DataFrame(rec)
    r["event"] = it["event"].to_numpy()[r["phys"]]
    return r


def _duplicates(rng, it, ev_src, src, weapon, n_dup, end_day) -> dict:
    """Handed-over weapons registered again by the police; double entries."""
    event = it["event"].to_numpy()
    n_hand = int(round(0.7 * n_dup))
    cand_ev = np.flatnonzero(np.isin(ev_src, [CUS, ARM]))
    w_items = np.flatnonzero(weapon & np.isin(src, [CUS, ARM]))
    # handed-over events in random order; half hand over only some of the weapons
    rank = np.full(len(ev_src), -1, dtype=np.int64)
    rank[cand_ev] = rng.permutation(len(cand_ev))
    partial_ev = rng.random(len(ev_src)) < 0.5
    e_w = event[w_items]
    taken = ~partial_ev[e_w] | (rng.random(len(w_items)) < 0.7)
    members = w_items[taken]
    members = members[np.argsort(rank[event[members]], kind="stable")]
    hand = members[:n_hand]
    rest = np.setdiff1d(np.flatnonzero(weapon), hand)
    n_double = n_dup - len(hand)
    pool = rest if len(rest) >= n_double else np.setdiff1d(np.arange(len(it)), hand)
    double = rng.choice(pool, min(n_double, len(pool)), replace=False)
    if len(hand) + len(double) < n_dup:  # tiny worlds: repeat some items twice
        extra = rng.choice(len(it), n_dup - len(hand) - len(double))
        double = np.concatenate([double, extra])
    # the police register handed-over weapons 1-45 days later, one PV per event
    _, inv = np.unique(event[hand], return_inverse=True)
    lag = rng.integers(1, 46, inv.max() + 1 if len(hand) else 0)[inv]
    hand_day = np.minimum(_event_day(it, hand) + lag, end_day)
    double_day = np.minimum(
        _event_day(it, double) + rng.integers(0, 4, len(double)), end_day
    )
    return {
        "phys": np.concatenate([hand, double]),
        "source": np.concatenate([np.full(len(hand), POL), src[double]]),
        "rep_event": np.concatenate(
            [event[hand] * 4 + 3, event[double] * 4 + src[double]]
        ),
        "day": np.concatenate([hand_day, double_day]),
        "dup": np.ones(len(hand) + len(double), dtype=bool),
    }


def _event_day(it: pd.DataFrame, idx: np.ndarray) -> np.ndarray:
    return it["event_day"].to_numpy()[idx]


def _swap_typo(rng, s: str) -> str:
    """Swap two adjacent different characters (a transposition typo)."""
    pos = [
        i
        for i in range(len(s) - 1)
        if s[i] != s[i + 1] and s[i] != "?" and s[i + 1] != "?"
    ]
    if not pos:
        return s
    i = pos[rng.integers(len(pos))]
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :]


def _mask(rng, s: str) -> str:
    """Make a serial partly illegible: 2–3 characters become '?'."""
    k = min(len(s) - 2, 2 + int(rng.random() < 0.4))
    if k < 1:
        return s
    i = int(rng.integers(0, len(s) - k + 1))
    return s[:i] + "?" * k + s[i + k :]


SERIAL_WORDS = {
    "obliterated": (
        ("effacé", "limé", "EFFACÉ"),
        ("obliterated", "ground off"),
        ("obliterated", "defaced"),
    ),
    "absent": (
        ("sans numéro", "SANS NUMÉRO"),
        ("no serial", "not marked"),
        ("no serial number",),
    ),
}


def reported_items(rng, w, r: pd.DataFrame, serial_true: np.ndarray) -> pd.DataFrame:
    """The canonical ``items`` table the agencies' records amount to."""
    g = geo()
    it, ev, dps = w.items, w.events, w.points
    n = len(r)
    phys = r["phys"].to_numpy()
    src = r["source"].to_numpy()
    e = r["event"].to_numpy()
    kind_item = it["item_kind"].to_numpy()[phys]
    weapon = kind_item == "weapon"
    prod = it["production"].to_numpy()[phys]
    out: dict = {}
    out["source"] = np.array(SOURCES, dtype=object)[src]
    setting = ev["setting"].to_numpy()[e]
    out["status"] = ev["status"].to_numpy()[e]
    out["setting"] = setting
    out["seized_on"] = r["day"].to_numpy()
    out["country"] = g.codes[ev["country"].to_numpy()[e]]
    a1 = ev["admin1"].to_numpy()[e]
    # ISO 3166-2 where the area has a code, else the agency's spelling
    admin1 = np.where(
        src == POL,
        g.admin1["admin1_fr"].to_numpy()[a1],
        g.admin1["admin1_en"].to_numpy()[a1],
    ).astype(object)
    code = g.admin1["code"].to_numpy(dtype=object)[a1]
    admin1 = np.where(pd.notna(code), code, admin1)
    admin1[_rate(rng, src, "admin1")] = None
    out["admin1"] = admin1
    loc = ev["locality"].to_numpy()[e].astype(object).copy()
    loc[_rate(rng, src, "locality")] = None
    out["locality"] = loc
    no_ll = _rate(rng, src, "latlon")
    out["lat"] = np.where(no_ll, np.nan, np.round(ev["lat"].to_numpy()[e], 4))
    out["lon"] = np.where(no_ll, np.nan, np.round(ev["lon"].to_numpy()[e], 4))
    out["item_kind"] = kind_item
    cat_ = it["category"].to_numpy()[phys].astype(object).copy()
    cat_[weapon & _rate(rng, src, "category") & (prod == "industrial")] = None
    cat_[~weapon] = None
    out["category"] = cat_
    # make, model, calibre
    make = it["make"].to_numpy()[phys].astype(object).copy()
    make[_rate(rng, src, "make")] = None
    out["make"] = make
    model = it["model"].to_numpy()[phys].astype(object).copy()
    is_expl = kind_item == "explosive_component"
    if is_expl.any():
        fr = dict(
            zip(
                [x[0] for x in cat.EXPLOSIVES],
                [x[1] for x in cat.EXPLOSIVES],
                strict=True,
            )
        )
        model[is_expl & (src == POL)] = [fr[m] for m in model[is_expl & (src == POL)]]
    model[_rate(rng, src, "model") & ~is_expl] = None
    out["model"] = np.where(
        pd.isna(model),
        None,
        pd.Series(model, dtype=object).str.upper().to_numpy(),
    )
    calibre = it["calibre"].to_numpy()[phys].astype(object).copy()
    calibre[_rate(rng, src, "calibre")] = None
    out["calibre"] = calibre
    # serial
    status = it["serial_status"].to_numpy()[phys].astype(object).copy()
    true = serial_true[phys]
    blank = _rate(rng, src, "serial") & weapon
    craft_blank = weapon & (prod == "craft") & (rng.random(n) < 0.3)
    typo = (
        weapon
        & (status == "intact")
        & (rng.random(n) < np.where(r["dup"].to_numpy(), 0.3, 0.01))
    )
    serial = np.where(weapon & np.isin(status, ["intact", "partial"]), true, None)
    raw = np.full(n, None, dtype=object)
    for i in np.flatnonzero(typo):
        serial[i] = _swap_typo(rng, serial[i])
    for i in np.flatnonzero(weapon & (status == "partial")):
        serial[i] = _mask(rng, serial[i])
    raw_ok = np.flatnonzero(pd.notna(serial))
    raw[raw_ok] = _render_serial(rng, serial[raw_ok])
    for word_status, words in SERIAL_WORDS.items():
        for s_i in range(3):
            sel = np.flatnonzero((status == word_status) & (src == s_i))
            if len(sel):
                raw[sel] = np.asarray(words[s_i], dtype=object)[
                    rng.integers(0, len(words[s_i]), len(sel))
                ]
    rep_status = np.where(weapon, status, "unknown").astype(object)
    gone = blank | craft_blank
    rep_status[gone] = "unknown"
    serial[gone] = None
    raw[gone] = None
    serial[~weapon] = None
    raw[~weapon] = None
    out["serial"] = serial
    out["serial_raw"] = raw
    out["serial_status"] = rep_status
    out["x_serial_error"] = typo & ~gone
    # country and year of manufacture
    com = it["com"].to_numpy()[phys].astype(object).copy()
    confuse = np.isin(com, list(HISTORIC_CONFUSION)) & (rng.random(n) < 0.3)
    com[confuse] = [HISTORIC_CONFUSION[c] for c in com[confuse]]
    com[prod == "craft"] = None
    com[is_expl] = None
    no_com = _rate(rng, src, "com") | pd.isna(com)
    yom = it["yom"].to_numpy()[phys].astype(float)
    yom[~weapon | (prod == "craft") | _rate(rng, src, "yom")] = np.nan
    out["year_of_manufacture"] = yom
    # a reader infers the country from the make (and the year, for makers in
    # states that no longer exist) when the record does not say
    inferred = no_com & pd.notna(make)
    com = np.where(no_com, None, com).astype(object)
    com[inferred] = infer_country(make[inferred], yom[inferred])
    out["country_of_manufacture"] = com
    out["country_of_manufacture_inferred"] = np.where(
        pd.isna(com),
        None,
        inferred,
    )
    # import marking
    marked = it["import_marked"].to_numpy()[phys]
    u = rng.random(n)
    imp = np.where(
        marked, np.where(u < 0.8, True, None), np.where(u < 0.5, False, None)
    ).astype(object)
    imp[~weapon | (src == ARM)] = None
    imp[weapon & (prod != "industrial")] = None
    out["import_marked"] = imp
    dp_country = g.codes[dps["country"].to_numpy()[it["dp"].to_numpy()[phys]]]
    imp_c = np.where(
        is_true(imp) & (src == CUS) & (rng.random(n) < 0.85),
        dp_country,
        None,
    )
    out["import_country"] = imp_c
    # records say "craft" or "converted"; nothing says "industrial"
    out["production"] = np.where(
        np.isin(prod, ["craft", "converted"]) & weapon, prod, None
    )
    out["quantity"] = it["quantity"].to_numpy()[phys]
    # ammunition lots: only the customs form has columns for them
    lot = it["lot"].to_numpy()[phys].astype(object)
    stamp = it["headstamp"].to_numpy()[phys].astype(object)
    cus = src == CUS
    out["headstamp"] = np.where(cus & (rng.random(n) < 0.9), stamp, None)
    out["lot"] = np.where(cus & (rng.random(n) < 0.85), lot, None)
    # route evidence (customs)
    origin = np.where(cus & (rng.random(n) < 0.55), dp_country, None).astype(object)
    origin[origin == out["country"]] = None
    out["origin_country"] = origin
    transit = np.full(n, None, dtype=object)
    sel = np.flatnonzero(pd.notna(origin) & (rng.random(n) < 0.6))
    if len(sel):
        table = transit_table()
        o = pd.Series(origin[sel]).map(g.index).to_numpy()
        d = pd.Series(out["country"][sel]).map(g.index).to_numpy()
        transit[sel] = table[o, d]
    out["transit_countries"] = transit
    notes = _notes(
        rng,
        src,
        kind_item,
        prod,
        lot,
        stamp,
        it["part_name"].to_numpy()[phys],
        ev["status"].to_numpy()[e],
    )
    notes[src == ARM] = None  # the army's form has no notes
    out["notes"] = notes

    return frame_of(out)


def transit_table() -> np.ndarray:
    """``;``-joined transit countries between every pair of countries (or None)."""
    g = geo()
    table = np.full((g.n, g.n), None, dtype=object)
    for a in range(g.n):
        for b in range(g.n):
            path = g.path(a, b)
            if len(path) > 2:
                table[a, b] = ";".join(g.codes[list(path[1:-1])])
    return table


def infer_country(make: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Country of manufacture a reader infers from the make and year of manufacture."""
    current = dict((m, c) for m, c, _ in cat.MAKES)
    out = pd.Series(make, dtype=object).map(current).to_numpy()
    for m, (old, until) in cat.HISTORIC_MAKES.items():
        sel = (make == m) & (year <= until)
        out[sel] = old
    return out


def _render_serial(rng, serials: np.ndarray) -> np.ndarray:
    """How a clerk writes a serial: separators now and then, lower case rarely."""
    out = serials.copy()
    u = rng.random(len(out))
    for i in np.flatnonzero(u < 0.15):
        s = out[i]
        if len(s) > 4 and "?" not in s:
            k = int(rng.integers(2, len(s) - 1))
            out[i] = s[:k] + ("-" if rng.random() < 0.5 else " ") + s[k:]
    low = np.flatnonzero(u > 0.96)
    out[low] = [s.lower() for s in out[low]]
    return out


NOTES_FR = (
    "",
    "",
    "",
    "arme chargée",
    "découverte dans une cache",
    "saisie lors d'un contrôle routier",
    "remise à la brigade",
    "crosse cassée",
    "arme enterrée",
    "saisie lors d'une patrouille",
)
NOTES_EN = (
    "",
    "",
    "",
    "concealed in vehicle",
    "found in luggage",
    "hidden in sacks of rice",
    "abandoned at the post",
    "concealed in fuel tank",
)


def _notes(rng, src, kind_item, prod, lot, stamp, part, status) -> np.ndarray:
    n = len(src)
    fr = np.asarray(NOTES_FR, dtype=object)[rng.integers(0, len(NOTES_FR), n)]
    en = np.asarray(NOTES_EN, dtype=object)[rng.integers(0, len(NOTES_EN), n)]
    notes = np.where(src == POL, fr, en).astype(object)
    craft = prod == "craft"
    notes[craft & (src == POL)] = "fabrication locale"
    notes[craft & (src != POL)] = "locally made"
    notes[(prod == "converted") & (src == POL)] = "pistolet d'alarme modifié"
    notes[(prod == "converted") & (src != POL)] = "converted blank-firing pistol"
    is_ammo = kind_item == "ammunition"
    sel = np.flatnonzero(is_ammo & (src != CUS))
    if len(sel):
        word = np.where(src[sel] == POL, "culot ", "headstamp ")
        st = pd.Series(stamp[sel], dtype=object)
        bits_a = (word + st).where(st.notna(), "")
        lt_ = pd.Series(lot[sel], dtype=object)
        bits_b = ("lot " + lt_).where(lt_.notna() & (rng.random(len(sel)) < 0.6), "")
        sep = np.where((bits_a != "") & (bits_b != ""), "; ", "")
        notes[sel] = (bits_a + sep + bits_b).to_numpy()
    parts_fr = dict(cat.PARTS)
    is_part = kind_item == "part"
    notes[is_part & (src == POL)] = (
        pd.Series(part[is_part & (src == POL)]).map(parts_fr).to_numpy()
    )
    notes[is_part & (src != POL)] = part[is_part & (src != POL)]
    notes[notes == ""] = None
    return notes


# --------------------------------------------------------------------------- ids


def assign_ids(rng, r: pd.DataFrame, ev: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Record ids (``POL-000001`` …) and seizure ids per source, in date order."""
    n = len(r)
    width = max(6, len(str(n)))
    src = r["source"].to_numpy()
    day = r["day"].to_numpy()
    rep = r["rep_event"].to_numpy()
    order = np.lexsort((rng.random(n), rep, day, src))
    rank = np.empty(n, dtype=np.int64)
    s_sorted = src[order]
    first = np.r_[True, s_sorted[1:] != s_sorted[:-1]]
    pos = np.arange(n) - np.maximum.accumulate(np.where(first, np.arange(n), 0)) + 1
    rank[order] = pos
    prefix = np.asarray(ID_PREFIX, dtype=object)[src]
    record_id = prefix + "-" + pd.Series(rank).astype(str).str.zfill(width).to_numpy()
    # seizure ids: one per reported event
    rep_u, inv = np.unique(rep, return_inverse=True)
    e_day = pd.Series(day).groupby(inv).min().to_numpy()
    e_src = pd.Series(src).groupby(inv).first().to_numpy()
    e_year = years_of(e_day)
    eo = np.lexsort((e_day, e_year, e_src))
    key = e_src[eo] * 10000 + e_year[eo]
    first = np.r_[True, key[1:] != key[:-1]]
    cnt = (
        np.arange(len(eo))
        - np.maximum.accumulate(np.where(first, np.arange(len(eo)), 0))
        + 1
    )
    number = np.empty(len(eo), dtype=np.int64)
    number[eo] = cnt
    yr = e_year.astype(str)
    num = pd.Series(number).astype(str).str.zfill(5).to_numpy()
    sid = np.where(
        e_src == POL,
        "PV-" + yr + "-" + num,
        np.where(e_src == CUS, "CASE/" + yr + "/" + num, "INC-" + yr + "-" + num),
    )
    return record_id, sid[inv]


# --------------------------------------------------------------------------- actors


def actor_variants(
    rng, nets: pd.DataFrame, persons: pd.DataFrame
) -> list[tuple[str, ...]]:
    """Spellings of every true actor: networks first, then persons.

    Persons: "First Last", "LAST First", without accents, with a typo.
    Armed groups: French name, English name, acronym, dotted acronym, no accents.
    Criminal groups: French name, English name, lower case without accents.
    """
    out: list[tuple[str, ...]] = []
    for fr, en, acro, t in zip(
        nets["name_fr"], nets["name_en"], nets["acronym"], nets["type"], strict=True
    ):
        if t == "armed_group":
            has = isinstance(acro, str)
            a = acro if has else fr
            dotted = ".".join(acro) + "." if has else en
            out.append((fr, en, a, dotted, strip_accents(fr)))
        elif t == "criminal_group":
            out.append((fr, en, strip_accents(fr).lower()))
        else:
            out.append((fr or "", en or ""))
    for first, last in zip(persons["first"], persons["last"], strict=True):
        canon = f"{first} {last}"
        upper = f"{strip_accents(last).upper()} {first}"
        plain = strip_accents(canon)
        typo = _name_typo(rng, first, last)
        out.append((canon, upper, plain, typo))
    return out


def _name_typo(rng, first: str, last: str) -> str:
    word = last if len(last) > 3 else first
    i = int(rng.integers(1, len(word) - 1)) if len(word) > 2 else 0
    if rng.random() < 0.5:
        word2 = word[:i] + word[i + 1 :]
    else:
        word2 = word[:i] + word[i] + word[i:]
    return f"{first} {word2}" if word is last else f"{word2} {last}"


#: preferred spelling per source: persons, armed groups, criminal groups.
PREFERENCE = {
    "person": (
        (0.35, 0.50, 0.10, 0.05),
        (0.30, 0.10, 0.55, 0.05),
        (0.50, 0.30, 0.15, 0.05),
    ),
    "armed_group": (
        (0.50, 0.0, 0.35, 0.10, 0.05),
        (0.05, 0.45, 0.40, 0.10, 0.0),
        (0.10, 0.50, 0.40, 0.0, 0.0),
    ),
    "criminal_group": ((0.70, 0.05, 0.25), (0.20, 0.60, 0.20), (0.30, 0.60, 0.10)),
}


def actor_names(rng, r_actor: np.ndarray, r_src: np.ndarray, nets, persons, variants):
    """The spelling each record uses for its actor, and the actor's type."""
    n_net = len(nets)
    n_act = len(variants)
    kind = np.array(
        [
            t if t in ("armed_group", "criminal_group") else "person"
            for t in nets["type"]
        ]
        + ["person"] * len(persons),
        dtype=object,
    )
    atype = np.concatenate([nets["type"].to_numpy(), persons["actor_type"].to_numpy()])
    pref = np.zeros((n_act, 3), dtype=np.int64)
    for k, probs in PREFERENCE.items():
        sel = np.flatnonzero(kind == k)
        for s in range(3):
            p = np.asarray(probs[s])
            pref[sel, s] = rng.choice(len(p), len(sel), p=p / p.sum())
    n = len(r_actor)
    has = r_actor >= 0
    a = np.where(has, r_actor, 0)
    v = pref[a, r_src]
    n_var = np.array([len(x) for x in variants])
    other = (rng.random(n) * n_var[a]).astype(np.int64)
    v = np.where(rng.random(n) < 0.1, other, v)
    flat = np.array([x for var in variants for x in var], dtype=object)
    start = np.r_[0, np.cumsum(n_var)[:-1]]
    names = np.where(has, flat[start[a] + v], None)
    types = np.where(has, atype[a], None)
    del n_net
    return names, types


def actors_table(
    names, types, r_src, r_actor, countries
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (source, spelling); and which true actor each row is."""
    df = frame_of(
        {
            "source": np.asarray(SOURCES, dtype=object)[r_src],
            "name": names,
            "actor_type": types,
            "true": r_actor,
            "country": countries,
        }
    )
    df = df[df["name"].notna()]
    first = (
        df.drop_duplicates(["source", "name", "actor_type"])
        .sort_values(["source", "name", "actor_type"])
        .reset_index(drop=True)
    )
    first["actor_id"] = (
        first["source"]
        + ":A"
        + pd.Series(first.groupby("source").cumcount() + 1).astype(str).str.zfill(5)
    )
    return first
