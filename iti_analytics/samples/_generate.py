"""Assemble a synthetic world: physical truth, agency records, traces, truth table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from . import _records as rec
from . import _world as wd
from ._geo import coded, days, geo, years_of


def build(n_items: int, seed: int, start: str, end: str) -> dict:
    """Every table of the world as plain DataFrames (see :func:`generate_world`)."""
    rng = np.random.default_rng(seed)
    start_day, end_day = days(start), days(end)
    end_year = int(years_of(np.array([end_day]))[0])
    n_dup = round(0.035 * n_items) if n_items >= 30 else 0
    n_phys = n_items - n_dup
    n_ammo = round(wd.AMMO_SHARE * n_phys)
    n_parts = round(wd.PART_SHARE * n_phys)
    n_weap = n_phys - n_ammo - n_parts
    n_by_kind = rng.multinomial(n_weap, wd.WEAPON_SHARE / wd.WEAPON_SHARE.sum())

    lt = wd.line_table()
    dps = wd.diversion_points(rng, n_phys, end_year)
    nets, persons = wd.networks(rng, n_phys)
    b, wb, w_day = wd.batches(rng, dps, lt, n_by_kind, nets, start_day, end_day)
    it = wd.items(rng, b, wb, w_day, lt, nets, n_ammo, n_parts, start_day, end_day)
    ev, event = wd.events(rng, it, nets, persons)
    it["event"] = event
    it["event_day"] = ev["day"].to_numpy()[event]
    serial_true = wd.serials(rng, it, lt)
    world = wd.Physical(dps, b, nets, persons, it, ev, lt)

    r = rec.records(rng, world, n_items, end_day)
    items = rec.reported_items(rng, world, r, serial_true)
    serial_error = items.pop("x_serial_error").to_numpy()
    record_id, seizure_id = rec.assign_ids(rng, r, ev)
    items.insert(0, "record_id", record_id)
    items.insert(1, "seizure_id", seizure_id)
    items.insert(3, "agency", _agencies(rng, r, ev))
    # a few impossible dates in the police register become null
    bad_date = (r["source"].to_numpy() == rec.POL) & (rng.random(len(r)) < 0.002)
    items["seized_on"] = np.where(bad_date, np.nan, items["seized_on"].to_numpy())
    # actors
    e_actor = ev["actor"].to_numpy()[r["event"].to_numpy()]
    drop_actor = rng.random(len(r)) < np.asarray(rec.MISSING["actor"])[r["source"]]
    r_actor = np.where(drop_actor, -1, e_actor)
    variants = rec.actor_variants(rng, nets, persons)
    names, types = rec.actor_names(
        rng, r_actor, r["source"].to_numpy(), nets, persons, variants
    )
    drop_type = rng.random(len(r)) < np.asarray(rec.MISSING["actor_type"])[r["source"]]
    items["actor"] = names
    items["actor_type"] = np.where(drop_type, None, types)
    # traces
    items["seized_on"] = _to_date(items["seized_on"])
    tr, outcome, party, ptype = rec.traces(rng, world, r, items, serial_error, end_day)
    tr.insert(1, "record_id", record_id[tr["rec"].to_numpy()])
    tr["source"] = "traces"
    for col in ("sent_on", "acknowledged_on", "responded_on"):
        tr[col] = _to_date(tr[col])
    # order items by source then record id (as files list them)
    order = np.lexsort((record_id, r["source"].to_numpy()))
    items_c = schema.conform(items.iloc[order].reset_index(drop=True), "items")
    del items  # the object-dtype copy is large; keep only the canonical one
    r = r.iloc[order].reset_index(drop=True)
    serial_error = serial_error[order]
    outcome, party, ptype = outcome[order], party[order], ptype[order]
    r_actor = r_actor[order]

    ids = _ids(world, r)
    movements = _movements(rng, world, r, items_c, tr.drop(columns="rec"), ids)
    traces_c = schema.conform(tr.drop(columns="rec"), "traces")
    actor_country = _actor_countries(nets, persons)
    actors, actor_truth = _actors(items_c, r, r_actor, actor_country)
    truth = _truth(
        world,
        r,
        items_c,
        ids,
        serial_true,
        serial_error,
        outcome,
        party,
        ptype,
        r_actor,
    )
    return {
        "items": items_c,
        "traces": traces_c,
        "actors": actors,
        "movements": movements,
        "truth": truth,
        "diversion_points": _dp_table(world, ids, r),
        "batches": _batch_table(world, ids, serial_true, r),
        "networks": _network_table(world, ids),
        "actor_truth": actor_truth,
    }


def _to_date(values) -> pd.Series:
    arr = np.asarray(values, dtype=float)
    out = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(arr)
    out[ok] = arr[ok].astype(np.int64).astype("datetime64[D]")
    return pd.Series(out.astype("datetime64[s]"))


def _agencies(rng, r: pd.DataFrame, ev: pd.DataFrame) -> np.ndarray:
    """Police unit per reported event; customs and army name themselves."""
    rep = r["rep_event"].to_numpy()
    u_rep, inv = np.unique(rep, return_inverse=True)
    setting = ev["setting"].to_numpy()[u_rep // 4]
    u = rng.random(len(u_rep))
    rural = np.isin(setting, ["conflict", "border"])
    police = np.where(
        rural,
        np.where(
            u < 0.6,
            "Gendarmerie nationale",
            np.where(u < 0.9, "Police nationale", "Police judiciaire"),
        ),
        np.where(
            u < 0.55,
            "Police nationale",
            np.where(u < 0.8, "Gendarmerie nationale", "Police judiciaire"),
        ),
    )
    src = r["source"].to_numpy()
    return np.where(
        src == rec.POL, police[inv], np.where(src == rec.CUS, "Customs", "Army")
    ).astype(object)


def _ids(world, r: pd.DataFrame) -> dict:
    """Readable ids for the diversion points, batches, networks and actors in use."""
    g = geo()
    it, dps, b = world.items, world.dps, world.batches
    used_b = np.unique(it["batch"].to_numpy()[r["phys"].to_numpy()])
    batch_id = np.full(len(b), None, dtype=object)
    batch_id[used_b] = [f"B{i + 1:06d}" for i in range(len(used_b))]
    used_dp = np.unique(b["dp"].to_numpy()[used_b])
    dp_id = np.full(len(dps), None, dtype=object)
    kinds = dps["kind"].to_numpy()[used_dp]
    ctry = g.codes[dps["country"].to_numpy()[used_dp]]
    key = pd.Series([f"DP-{wd._ABBR[k]}-{c}" for k, c in zip(kinds, ctry, strict=True)])
    num = key.groupby(key).cumcount() + 1
    dp_id[used_dp] = (key + "-" + num.astype(str).str.zfill(3)).to_numpy()
    nets = world.networks
    actor_id = np.array(
        [f"ACT-{i + 1:05d}" for i in range(len(nets) + len(world.persons))],
        dtype=object,
    )
    return {
        "batch": batch_id,
        "dp": dp_id,
        "net": nets["network_id"].to_numpy(),
        "actor": actor_id,
        "used_dp": used_dp,
        "used_b": used_b,
    }


def _movements(rng, world, r, items, tr, ids) -> pd.DataFrame:
    """Routes learnt from trace answers and from investigations of batches."""
    g = geo()
    it, b, nets = world.items, world.batches, world.networks
    cols = [
        "origin",
        "destination",
        "year",
        "count",
        "record_id",
        "seizure_id",
        "mode",
        "actor",
        "evidence",
        "source",
    ]
    frames = []
    pos = pd.Series(np.arange(len(items)), index=items["record_id"].to_numpy())
    known = tr[tr["outcome"].isin(["traced", "partially_traced"])]
    i = pos.reindex(known["record_id"].to_numpy()).to_numpy()
    ph = r["phys"].to_numpy()[i]
    made = it["com"].to_numpy()[ph]
    last = known["last_legal_country"].to_numpy(dtype=object)
    sid = items["seizure_id"].to_numpy(dtype=object)[i]
    rid = known["record_id"].to_numpy(dtype=object)
    sel = pd.notna(made) & (made != last)
    frames.append(
        pd.DataFrame(
            {
                "origin": made[sel],
                "destination": last[sel],
                "year": b["import_year"].to_numpy()[it["batch"].to_numpy()[ph[sel]]],
                "count": 1,
                "record_id": rid[sel],
                "seizure_id": sid[sel],
                "mode": "export",
                "actor": None,
                "evidence": "trace",
                "source": "traces",
            }
        )
    )
    dest = items["country"].to_numpy(dtype=object)[i]
    div = known["diversion_country"].to_numpy(dtype=object)
    sel = (known["outcome"].to_numpy() == "traced") & (div != dest)
    frames.append(
        pd.DataFrame(
            {
                "origin": div[sel],
                "destination": dest[sel],
                "year": items["seized_on"].dt.year.to_numpy()[i[sel]],
                "count": 1,
                "record_id": rid[sel],
                "seizure_id": sid[sel],
                "mode": "illicit transfer",
                "actor": None,
                "evidence": "trace",
                "source": "traces",
            }
        )
    )
    # investigations: a share of the batches received by armed groups or traffickers
    frame = pd.DataFrame(
        {
            "batch": it["batch"].to_numpy()[r["phys"].to_numpy()],
            "country": items["country"].to_numpy(dtype=object),
            "seizure_id": items["seizure_id"].to_numpy(dtype=object),
        }
    )
    frame = frame[~r["dup"].to_numpy()]
    size = frame.groupby("batch").size()
    main = (
        frame.groupby(["batch", "country"])
        .size()
        .rename("k")
        .reset_index()
        .sort_values(["batch", "k"], ascending=[True, False])
        .drop_duplicates("batch")
        .set_index("batch")
    )
    first_sid = frame.drop_duplicates("batch").set_index("batch")["seizure_id"]
    bi = size.index[size.to_numpy() >= 2].to_numpy()
    ntype = nets["type"].to_numpy()[b["network"].to_numpy()[bi]]
    bi = bi[
        np.isin(ntype, ["armed_group", "trafficking"]) & (rng.random(len(bi)) < 0.15)
    ]
    if len(bi):
        origin = world.dps["country"].to_numpy()[b["dp"].to_numpy()[bi]]
        target = pd.Series(main.loc[bi, "country"].to_numpy()).map(g.index).to_numpy()
        legs = [
            list(zip(p[:-1], p[1:], strict=True))
            for p in (g.path(o, d) for o, d in zip(origin, target, strict=True))
        ]
        n_legs = np.array([len(x) for x in legs])
        flat = np.array([leg for x in legs for leg in x], dtype=np.int64).reshape(-1, 2)
        rep_b = np.repeat(bi, n_legs)
        net = b["network"].to_numpy()[rep_b]
        name_en = nets["name_en"].to_numpy(dtype=object)[net]
        name_fr = nets["name_fr"].to_numpy(dtype=object)[net]
        frames.append(
            pd.DataFrame(
                {
                    "origin": g.codes[flat[:, 0]] if len(flat) else [],
                    "destination": g.codes[flat[:, 1]] if len(flat) else [],
                    "year": years_of(b["diverted_day"].to_numpy()[rep_b]),
                    "count": size.loc[rep_b].to_numpy(),
                    "record_id": None,
                    "seizure_id": first_sid.loc[rep_b].to_numpy(),
                    "mode": "trafficking",
                    "actor": np.where(pd.isna(name_en), name_fr, name_en),
                    "evidence": "investigation",
                    "source": "investigations",
                }
            )
        )
    mv = (
        pd.concat([f[cols] for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else pd.DataFrame(columns=cols)
    )
    mv.insert(
        0,
        "movement_id",
        "MV-"
        + pd.Series(np.arange(1, len(mv) + 1), dtype="int64").astype(str).str.zfill(6),
    )
    return schema.conform(mv, "movements")


def _actor_countries(nets, persons) -> np.ndarray:
    g = geo()
    home = nets["home"].to_numpy()
    return np.concatenate([g.codes[home], g.codes[home[persons["network"].to_numpy()]]])


def _actors(items, r, r_actor, actor_country) -> tuple[pd.DataFrame, pd.DataFrame]:
    tab = rec.actors_table(
        items["actor"].to_numpy(dtype=object),
        items["actor_type"].to_numpy(dtype=object),
        r["source"].to_numpy(),
        r_actor,
        np.where(r_actor >= 0, actor_country[np.maximum(r_actor, 0)], None),
    )
    tab["actor_type"] = tab["actor_type"].replace(
        {"trafficking": "criminal_group", "individual": "person"}
    )
    actors = schema.conform(
        tab[["actor_id", "name", "actor_type", "country", "source"]], "actors"
    )
    truth = pd.DataFrame(
        {
            "actor_id": tab["actor_id"].to_numpy(),
            "true_actor_id": [f"ACT-{i + 1:05d}" for i in tab["true"]],
        }
    ).astype("string")
    return actors, truth


def _truth(
    world, r, items, ids, serial_true, serial_error, outcome, party, ptype, r_actor
) -> pd.DataFrame:
    g = geo()
    it, dps, b, nets = world.items, world.dps, world.batches, world.networks
    phys = r["phys"].to_numpy()
    batch = it["batch"].to_numpy()[phys]
    dp = it["dp"].to_numpy()[phys]
    net = it["network"].to_numpy()[phys]

    def per_item(column: str) -> pd.Series:
        codes, labels = pd.factorize(it[column].to_numpy(dtype=object))
        return coded(labels, codes[phys])

    def per_record(values: np.ndarray) -> pd.Series:
        codes, labels = pd.factorize(values)
        return coded(labels, codes)

    reveals = np.asarray(outcome, dtype=object) == "traced"
    t = pd.DataFrame(
        {
            "record_id": items["record_id"].array,
            "source": items["source"].array,
            "true_weapon_id": ("W" + pd.Series(phys + 1).astype(str).str.zfill(7))
            .astype("string")
            .array,
            "repeat_report": pd.array(r["dup"].to_numpy(), dtype="boolean"),
            "batch_id": coded(ids["batch"], batch).array,
            "diversion_point": coded(ids["dp"], dp).array,
            "diversion_kind": coded(wd.KINDS, dps["kind"].to_numpy()[dp]).array,
            "diversion_country": coded(g.codes, dps["country"].to_numpy()[dp]).array,
            "diversion_year": pd.array(
                years_of(b["diverted_day"].to_numpy()[batch]), dtype="Int64"
            ),
            "diversion_mode": coded(dps["mode"].to_numpy(dtype=object), dp).array,
            "last_legal_holder": coded(dps["holder"].to_numpy(dtype=object), dp).array,
            "network_id": coded(ids["net"], net).array,
            "network_type": coded(nets["type"].to_numpy(dtype=object), net).array,
            "true_actor_id": coded(ids["actor"], r_actor).array,
            "true_make": per_item("make").array,
            "true_model": per_item("model").array,
            "true_serial": pd.array(serial_true[phys], dtype="string"),
            "true_country_of_manufacture": per_item("com").array,
            "true_year_of_manufacture": pd.array(
                it["yom"].to_numpy()[phys], dtype="Int64"
            ),
            "serial_error": pd.array(serial_error, dtype="boolean"),
            "trace_party": per_record(party).array,
            "trace_party_type": per_record(ptype).array,
            "trace_outcome": per_record(outcome).array,
            "reveals_diversion_point": pd.array(reveals, dtype="boolean"),
        }
    )
    return t


def _dp_table(world, ids, r) -> pd.DataFrame:
    g = geo()
    dps = world.dps
    used = ids["used_dp"]
    it = world.items
    phys = r["phys"].to_numpy()
    dp_rec = it["dp"].to_numpy()[phys]
    n_rec = np.bincount(dp_rec, minlength=len(dps))
    n_items = np.bincount(it["dp"].to_numpy(), minlength=len(dps))
    n_b = np.bincount(world.batches["dp"].to_numpy()[ids["used_b"]], minlength=len(dps))
    out = pd.DataFrame(
        {
            "diversion_point": ids["dp"][used],
            "kind": np.asarray(wd.KINDS, dtype=object)[dps["kind"].to_numpy()[used]],
            "production": dps["production"].to_numpy()[used],
            "country": g.codes[dps["country"].to_numpy()[used]],
            "holder": dps["holder"].to_numpy()[used],
            "label": dps["label"].to_numpy()[used],
            "mode": dps["mode"].to_numpy()[used],
            "first_year": dps["first_year"].to_numpy()[used],
            "last_year": dps["last_year"].to_numpy()[used],
            "exporter": dps["exporter"].to_numpy()[used],
            "export_year": np.where(
                dps["export_year"].to_numpy()[used] > 0,
                dps["export_year"].to_numpy()[used],
                np.nan,
            ),
            "n_batches": n_b[used],
            "n_items": n_items[used],
            "n_records": n_rec[used],
        }
    )
    out = out.sort_values("diversion_point").reset_index(drop=True)
    return _typed(out)


def _batch_table(world, ids, serial_true, r) -> pd.DataFrame:
    it, b, lt = world.items, world.batches, world.lines
    used = ids["used_b"]
    w = it[it["item_kind"] == "weapon"]
    ser = pd.Series(serial_true[w.index.to_numpy()], index=w.index)
    first = ser.groupby(w["batch"]).min()
    last = ser.groupby(w["batch"]).max()
    n_items = np.bincount(it["batch"].to_numpy(), minlength=len(b))
    lots = it.dropna(subset=["lot"]).groupby("batch")["lot"].first()
    stamps = it.dropna(subset=["headstamp"]).groupby("batch")["headstamp"].first()
    line = b["line"].to_numpy()[used]
    net2 = b["network2"].to_numpy()[used]
    out = pd.DataFrame(
        {
            "batch_id": ids["batch"][used],
            "diversion_point": ids["dp"][b["dp"].to_numpy()[used]],
            "kind": np.asarray(wd.KINDS, dtype=object)[b["kind"].to_numpy()[used]],
            "make": lt["make"].to_numpy()[line],
            "model": lt["model"].to_numpy()[line],
            "category": lt["category"].to_numpy()[line],
            "calibre": lt["calibre"].to_numpy()[line],
            "production": lt["production"].to_numpy()[line],
            "year_of_manufacture": b["yom"].to_numpy()[used],
            "diverted_on": b["diverted_day"]
            .to_numpy()[used]
            .astype("datetime64[D]")
            .astype("datetime64[s]"),
            "network_id": ids["net"][b["network"].to_numpy()[used]],
            "network2_id": np.where(net2 >= 0, ids["net"][np.maximum(net2, 0)], None),
            "import_marked": b["import_marked"].to_numpy()[used],
            "n_items": n_items[used],
            "serial_first": first.reindex(used).to_numpy(),
            "serial_last": last.reindex(used).to_numpy(),
            "lot": lots.reindex(used).to_numpy(),
            "headstamp": stamps.reindex(used).to_numpy(),
        }
    )
    return _typed(out)


def _network_table(world, ids) -> pd.DataFrame:
    g = geo()
    nets = world.networks
    out = pd.DataFrame(
        {
            "network_id": ids["net"],
            "network_type": nets["type"].to_numpy(),
            "name": nets["name_fr"].to_numpy(),
            "name_en": nets["name_en"].to_numpy(),
            "acronym": nets["acronym"].to_numpy(),
            "zone": nets["zone"].replace("", None).to_numpy(),
            "home": g.codes[nets["home"].to_numpy()],
            "countries": [";".join(g.codes[c]) for c in nets["countries"]],
        }
    )
    return _typed(out)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or str(s.dtype) == "str":
            out[col] = s.astype("string")
        elif s.dtype.kind == "f" and col.endswith("year"):
            out[col] = s.astype("Int64")
        elif s.dtype.kind == "b":
            out[col] = s.astype("boolean")
    return out
