"""Assemble a synthetic world: physical truth, agency records, traces, truth table.

The physical world is built entity by entity — diversion points
(:mod:`._points`), receivers (:mod:`._receivers`), batches and their serials
(:mod:`._batches`), items (:mod:`._items`), seizure events (:mod:`._seizures`)
— then :mod:`._records` turns it into what the agencies report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema
from . import _batches, _items, _points, _receivers, _seizures, _traces
from . import _records as rec
from ._geo import coded, days, geo, years_of
from ._kinds import (
    AMMUNITION_SHARE,
    KIND_ABBREVIATIONS,
    KINDS,
    PART_SHARE,
    WEAPON_SHARE,
)


@dataclass
class Physical:
    """The truth: what left legal hands, how, and where it was recovered."""

    points: pd.DataFrame
    batches: pd.DataFrame
    networks: pd.DataFrame
    persons: pd.DataFrame
    items: pd.DataFrame
    events: pd.DataFrame
    lines: pd.DataFrame


def build(n_items: int, seed: int, start: str, end: str) -> dict:
    """Every table of the world as plain DataFrames (see :func:`generate_world`)."""
    rng = np.random.default_rng(seed)
    start_day, end_day = days(start), days(end)
    end_year = int(years_of(np.array([end_day]))[0])
    n_repeats = round(0.035 * n_items) if n_items >= 30 else 0
    n_physical = n_items - n_repeats
    n_ammunition = round(AMMUNITION_SHARE * n_physical)
    n_parts = round(PART_SHARE * n_physical)
    n_weapons = n_physical - n_ammunition - n_parts
    n_by_kind = rng.multinomial(n_weapons, WEAPON_SHARE / WEAPON_SHARE.sum())

    lines = _batches.product_lines()
    points = _points.diversion_points(rng, n_physical, end_year)
    nets, persons = _receivers.networks(rng, n_physical)
    batches, item_batch, item_day = _batches.batches(
        rng, points, lines, n_by_kind, nets, start_day, end_day
    )
    physical_items = _items.items(
        rng,
        batches,
        item_batch,
        item_day,
        lines,
        nets,
        n_ammunition,
        n_parts,
        start_day,
        end_day,
    )
    events, event = _seizures.events(rng, physical_items, nets, persons)
    physical_items["event"] = event
    physical_items["event_day"] = events["day"].to_numpy()[event]
    serial_true = _batches.serials(rng, physical_items, lines)
    world = Physical(points, batches, nets, persons, physical_items, events, lines)

    records = rec.records(rng, world, n_items, end_day)
    items = rec.reported_items(rng, world, records, serial_true)
    serial_error = items.pop("x_serial_error").to_numpy()
    record_id, seizure_id = rec.assign_ids(rng, records, events)
    items.insert(0, "record_id", record_id)
    items.insert(1, "seizure_id", seizure_id)
    items.insert(3, "agency", _agencies(rng, records, events))
    # a few impossible dates in the police register become null
    bad_date = (records["source"].to_numpy() == rec.POL) & (
        rng.random(len(records)) < 0.002
    )
    items["seized_on"] = np.where(bad_date, np.nan, items["seized_on"].to_numpy())
    # actors
    event_actor = events["actor"].to_numpy()[records["event"].to_numpy()]
    drop_actor = (
        rng.random(len(records)) < np.asarray(rec.MISSING["actor"])[records["source"]]
    )
    record_actor = np.where(drop_actor, -1, event_actor)
    variants = rec.actor_variants(rng, nets, persons)
    names, types = rec.actor_names(
        rng, record_actor, records["source"].to_numpy(), nets, persons, variants
    )
    drop_type = (
        rng.random(len(records))
        < np.asarray(rec.MISSING["actor_type"])[records["source"]]
    )
    items["actor"] = names
    items["actor_type"] = np.where(drop_type, None, types)
    # traces
    items["seized_on"] = _to_date(items["seized_on"])
    traces, outcome, party, party_type = _traces.traces(
        rng, world, records, items, serial_error, end_day
    )
    traces.insert(1, "record_id", record_id[traces["rec"].to_numpy()])
    traces["source"] = "traces"
    for col in ("sent_on", "acknowledged_on", "responded_on"):
        traces[col] = _to_date(traces[col])
    # order items by source then record id (as files list them)
    order = np.lexsort((record_id, records["source"].to_numpy()))
    canonical_items = schema.conform(items.iloc[order].reset_index(drop=True), "items")
    del items  # the object-dtype copy is large; keep only the canonical one
    records = records.iloc[order].reset_index(drop=True)
    serial_error = serial_error[order]
    outcome, party, party_type = outcome[order], party[order], party_type[order]
    record_actor = record_actor[order]

    ids = _ids(world, records)
    movements = _movements(
        rng, world, records, canonical_items, traces.drop(columns="rec"), ids
    )
    canonical_traces = schema.conform(traces.drop(columns="rec"), "traces")
    actor_country = _actor_countries(nets, persons)
    actors, actor_truth = _actors(canonical_items, records, record_actor, actor_country)
    truth = _truth(
        world,
        records,
        canonical_items,
        ids,
        serial_true,
        serial_error,
        outcome,
        party,
        party_type,
        record_actor,
    )
    return {
        "items": canonical_items,
        "traces": canonical_traces,
        "actors": actors,
        "movements": movements,
        "truth": truth,
        "diversion_points": _dp_table(world, ids, records),
        "batches": _batch_table(world, ids, serial_true, records),
        "networks": _network_table(world, ids),
        "actor_truth": actor_truth,
    }


def _to_date(values) -> pd.Series:
    arr = np.asarray(values, dtype=float)
    out = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(arr)
    out[ok] = arr[ok].astype(np.int64).astype("datetime64[D]")
    return pd.Series(out.astype("datetime64[s]"))


def _agencies(rng, records: pd.DataFrame, events: pd.DataFrame) -> np.ndarray:
    """Police unit per reported event; customs and army name themselves."""
    rep = records["rep_event"].to_numpy()
    u_rep, inv = np.unique(rep, return_inverse=True)
    setting = events["setting"].to_numpy()[u_rep // 4]
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
    src = records["source"].to_numpy()
    return np.where(
        src == rec.POL, police[inv], np.where(src == rec.CUS, "Customs", "Army")
    ).astype(object)


def _ids(world, records: pd.DataFrame) -> dict:
    """Readable ids for the diversion points, batches, networks and actors in use."""
    atlas = geo()
    physical, points, batches = world.items, world.points, world.batches
    used_b = np.unique(physical["batch"].to_numpy()[records["phys"].to_numpy()])
    batch_id = np.full(len(batches), None, dtype=object)
    batch_id[used_b] = [f"B{i + 1:06d}" for i in range(len(used_b))]
    used_dp = np.unique(batches["dp"].to_numpy()[used_b])
    dp_id = np.full(len(points), None, dtype=object)
    kinds = points["kind"].to_numpy()[used_dp]
    country = atlas.codes[points["country"].to_numpy()[used_dp]]
    key = pd.Series(
        [f"DP-{KIND_ABBREVIATIONS[k]}-{c}" for k, c in zip(kinds, country, strict=True)]
    )
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


def _movements(rng, world, records, items, traces, ids) -> pd.DataFrame:
    """Routes learnt from trace answers and from investigations of batches."""
    atlas = geo()
    physical, batches, nets = world.items, world.batches, world.networks
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
    known = traces[traces["outcome"].isin(["traced", "partially_traced"])]
    i = pos.reindex(known["record_id"].to_numpy()).to_numpy()
    ph = records["phys"].to_numpy()[i]
    made = physical["com"].to_numpy()[ph]
    last = known["last_legal_country"].to_numpy(dtype=object)
    seizure = items["seizure_id"].to_numpy(dtype=object)[i]
    rid = known["record_id"].to_numpy(dtype=object)
    sel = pd.notna(made) & (made != last)
    frames.append(
        pd.DataFrame(
            {
                "origin": made[sel],
                "destination": last[sel],
                "year": batches["import_year"].to_numpy()[
                    physical["batch"].to_numpy()[ph[sel]]
                ],
                "count": 1,
                "record_id": rid[sel],
                "seizure_id": seizure[sel],
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
                "seizure_id": seizure[sel],
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
            "batch": physical["batch"].to_numpy()[records["phys"].to_numpy()],
            "country": items["country"].to_numpy(dtype=object),
            "seizure_id": items["seizure_id"].to_numpy(dtype=object),
        }
    )
    frame = frame[~records["dup"].to_numpy()]
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
    investigated = size.index[size.to_numpy() >= 2].to_numpy()
    ntype = nets["type"].to_numpy()[batches["network"].to_numpy()[investigated]]
    investigated = investigated[
        np.isin(ntype, ["armed_group", "trafficking"])
        & (rng.random(len(investigated)) < 0.15)
    ]
    if len(investigated):
        origin = world.points["country"].to_numpy()[
            batches["dp"].to_numpy()[investigated]
        ]
        target = (
            pd.Series(main.loc[investigated, "country"].to_numpy())
            .map(atlas.index)
            .to_numpy()
        )
        legs = [
            list(zip(p[:-1], p[1:], strict=True))
            for p in (atlas.path(o, d) for o, d in zip(origin, target, strict=True))
        ]
        n_legs = np.array([len(x) for x in legs])
        flat = np.array([leg for x in legs for leg in x], dtype=np.int64).reshape(-1, 2)
        rep_b = np.repeat(investigated, n_legs)
        net = batches["network"].to_numpy()[rep_b]
        name_en = nets["name_en"].to_numpy(dtype=object)[net]
        name_fr = nets["name_fr"].to_numpy(dtype=object)[net]
        frames.append(
            pd.DataFrame(
                {
                    "origin": atlas.codes[flat[:, 0]] if len(flat) else [],
                    "destination": atlas.codes[flat[:, 1]] if len(flat) else [],
                    "year": years_of(batches["diverted_day"].to_numpy()[rep_b]),
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
    atlas = geo()
    home = nets["home"].to_numpy()
    return np.concatenate(
        [atlas.codes[home], atlas.codes[home[persons["network"].to_numpy()]]]
    )


def _actors(
    items, records, record_actor, actor_country
) -> tuple[pd.DataFrame, pd.DataFrame]:
    tab = rec.actors_table(
        items["actor"].to_numpy(dtype=object),
        items["actor_type"].to_numpy(dtype=object),
        records["source"].to_numpy(),
        record_actor,
        np.where(record_actor >= 0, actor_country[np.maximum(record_actor, 0)], None),
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
    world,
    records,
    items,
    ids,
    serial_true,
    serial_error,
    outcome,
    party,
    party_type,
    record_actor,
) -> pd.DataFrame:
    atlas = geo()
    physical, points, batches, nets = (
        world.items,
        world.points,
        world.batches,
        world.networks,
    )
    phys = records["phys"].to_numpy()
    batch = physical["batch"].to_numpy()[phys]
    dp = physical["dp"].to_numpy()[phys]
    net = physical["network"].to_numpy()[phys]

    def per_item(column: str) -> pd.Series:
        codes, labels = pd.factorize(physical[column].to_numpy(dtype=object))
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
            "repeat_report": pd.array(records["dup"].to_numpy(), dtype="boolean"),
            "batch_id": coded(ids["batch"], batch).array,
            "diversion_point": coded(ids["dp"], dp).array,
            "diversion_kind": coded(KINDS, points["kind"].to_numpy()[dp]).array,
            "diversion_country": coded(
                atlas.codes, points["country"].to_numpy()[dp]
            ).array,
            "diversion_year": pd.array(
                years_of(batches["diverted_day"].to_numpy()[batch]), dtype="Int64"
            ),
            "diversion_mode": coded(points["mode"].to_numpy(dtype=object), dp).array,
            "last_legal_holder": coded(
                points["holder"].to_numpy(dtype=object), dp
            ).array,
            "network_id": coded(ids["net"], net).array,
            "network_type": coded(nets["type"].to_numpy(dtype=object), net).array,
            "true_actor_id": coded(ids["actor"], record_actor).array,
            "true_make": per_item("make").array,
            "true_model": per_item("model").array,
            "true_serial": pd.array(serial_true[phys], dtype="string"),
            "true_country_of_manufacture": per_item("com").array,
            "true_year_of_manufacture": pd.array(
                physical["yom"].to_numpy()[phys], dtype="Int64"
            ),
            "serial_error": pd.array(serial_error, dtype="boolean"),
            "trace_party": per_record(party).array,
            "trace_party_type": per_record(party_type).array,
            "trace_outcome": per_record(outcome).array,
            "reveals_diversion_point": pd.array(reveals, dtype="boolean"),
        }
    )
    return t


def _dp_table(world, ids, records) -> pd.DataFrame:
    atlas = geo()
    points = world.points
    used = ids["used_dp"]
    physical = world.items
    phys = records["phys"].to_numpy()
    record_point = physical["dp"].to_numpy()[phys]
    n_records = np.bincount(record_point, minlength=len(points))
    n_items = np.bincount(physical["dp"].to_numpy(), minlength=len(points))
    n_batches = np.bincount(
        world.batches["dp"].to_numpy()[ids["used_b"]], minlength=len(points)
    )
    out = pd.DataFrame(
        {
            "diversion_point": ids["dp"][used],
            "kind": np.asarray(KINDS, dtype=object)[points["kind"].to_numpy()[used]],
            "production": points["production"].to_numpy()[used],
            "country": atlas.codes[points["country"].to_numpy()[used]],
            "holder": points["holder"].to_numpy()[used],
            "label": points["label"].to_numpy()[used],
            "mode": points["mode"].to_numpy()[used],
            "first_year": points["first_year"].to_numpy()[used],
            "last_year": points["last_year"].to_numpy()[used],
            "exporter": points["exporter"].to_numpy()[used],
            "export_year": np.where(
                points["export_year"].to_numpy()[used] > 0,
                points["export_year"].to_numpy()[used],
                np.nan,
            ),
            "n_batches": n_batches[used],
            "n_items": n_items[used],
            "n_records": n_records[used],
        }
    )
    out = out.sort_values("diversion_point").reset_index(drop=True)
    return _typed(out)


def _batch_table(world, ids, serial_true, records) -> pd.DataFrame:
    physical, batches, lines = world.items, world.batches, world.lines
    used = ids["used_b"]
    w = physical[physical["item_kind"] == "weapon"]
    ser = pd.Series(serial_true[w.index.to_numpy()], index=w.index)
    first = ser.groupby(w["batch"]).min()
    last = ser.groupby(w["batch"]).max()
    n_items = np.bincount(physical["batch"].to_numpy(), minlength=len(batches))
    lots = physical.dropna(subset=["lot"]).groupby("batch")["lot"].first()
    stamps = physical.dropna(subset=["headstamp"]).groupby("batch")["headstamp"].first()
    line = batches["line"].to_numpy()[used]
    net2 = batches["network2"].to_numpy()[used]
    out = pd.DataFrame(
        {
            "batch_id": ids["batch"][used],
            "diversion_point": ids["dp"][batches["dp"].to_numpy()[used]],
            "kind": np.asarray(KINDS, dtype=object)[batches["kind"].to_numpy()[used]],
            "make": lines["make"].to_numpy()[line],
            "model": lines["model"].to_numpy()[line],
            "category": lines["category"].to_numpy()[line],
            "calibre": lines["calibre"].to_numpy()[line],
            "production": lines["production"].to_numpy()[line],
            "year_of_manufacture": batches["yom"].to_numpy()[used],
            "diverted_on": batches["diverted_day"]
            .to_numpy()[used]
            .astype("datetime64[D]")
            .astype("datetime64[s]"),
            "network_id": ids["net"][batches["network"].to_numpy()[used]],
            "network2_id": np.where(net2 >= 0, ids["net"][np.maximum(net2, 0)], None),
            "import_marked": batches["import_marked"].to_numpy()[used],
            "n_items": n_items[used],
            "serial_first": first.reindex(used).to_numpy(),
            "serial_last": last.reindex(used).to_numpy(),
            "lot": lots.reindex(used).to_numpy(),
            "headstamp": stamps.reindex(used).to_numpy(),
        }
    )
    return _typed(out)


def _network_table(world, ids) -> pd.DataFrame:
    atlas = geo()
    nets = world.networks
    out = pd.DataFrame(
        {
            "network_id": ids["net"],
            "network_type": nets["type"].to_numpy(),
            "name": nets["name_fr"].to_numpy(),
            "name_en": nets["name_en"].to_numpy(),
            "acronym": nets["acronym"].to_numpy(),
            "zone": nets["zone"].replace("", None).to_numpy(),
            "home": atlas.codes[nets["home"].to_numpy()],
            "countries": [";".join(atlas.codes[c]) for c in nets["countries"]],
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
