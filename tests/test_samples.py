"""Tests of the synthetic worlds (iti_analytics.samples) and the bundled sample."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from iti_analytics import schema
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.samples import (
    SAMPLE_ITEMS,
    SAMPLE_SEED,
    World,
    generate_world,
    load_sample,
    load_sample_world,
    sample_files,
)
from iti_analytics.samples._render import (
    ARMY_KEYS,
    CUSTOMS_COLUMNS,
    POLICE_COLUMNS,
    TRACE_COLUMNS,
)


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(4000, seed=11)


@pytest.fixture(scope="module")
def sources(world, tmp_path_factory):
    return world.write_sources(tmp_path_factory.mktemp("sources"))


# --------------------------------------------------------------------------- basics


def test_same_seed_same_world():
    a, b = generate_world(600, seed=3), generate_world(600, seed=3)
    pd.testing.assert_frame_equal(a.dataset.items, b.dataset.items)
    pd.testing.assert_frame_equal(a.dataset.traces, b.dataset.traces)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    pd.testing.assert_frame_equal(a.diversion_points, b.diversion_points)


def test_other_seed_other_world():
    a, b = generate_world(600, seed=3), generate_world(600, seed=4)
    assert not a.dataset.items["serial"].equals(b.dataset.items["serial"])


@pytest.mark.parametrize("n", [10, 57, 600, 2500], ids=lambda n: f"n={n}")
def test_size_is_the_number_of_item_records(n):
    w = generate_world(n, seed=1)
    assert len(w.dataset.items) == n
    assert len(w.truth) == n
    assert w.dataset.items["record_id"].is_unique


def test_truth_covers_every_record(world):
    items, truth = world.dataset.items, world.truth
    assert truth["record_id"].tolist() == items["record_id"].tolist()
    assert truth["diversion_point"].notna().all()
    assert truth["batch_id"].notna().all()
    assert set(truth["diversion_point"]) <= set(
        world.diversion_points["diversion_point"]
    )
    assert set(truth["batch_id"]) <= set(world.batches["batch_id"])
    counts = truth.groupby("diversion_point").size()
    dp = world.diversion_points.set_index("diversion_point")
    assert (dp.loc[counts.index, "n_records"] == counts).all()


def test_vocabularies_are_valid(world):
    tables = {
        "items": world.dataset.items,
        "traces": world.dataset.traces,
        "actors": world.dataset.actors,
        "movements": world.dataset.movements,
    }
    for (table, col), allowed in schema.VOCABULARIES.items():
        values = set(tables[table][col].dropna().unique())
        assert values <= set(allowed), (table, col, values - set(allowed))
    for table, frame in tables.items():
        assert list(frame.columns[: len(schema.TABLES[table])]) == schema.columns(table)


def test_dataset_passes_validation(world):
    from iti_analytics.dataset import Dataset

    ds = world.dataset
    checked = Dataset(
        items=ds.items, traces=ds.traces, actors=ds.actors, movements=ds.movements
    )
    # the schema checks find nothing to report and keep every row and value
    assert checked.issues.empty
    assert checked.rejects.empty
    for table, frame in ds.tables().items():
        assert len(getattr(checked, table)) == len(frame) > 0, table
    pd.testing.assert_frame_equal(checked.items, ds.items)
    # every trace and every movement with a record id points at a known item
    known = set(ds.items["record_id"])
    assert set(ds.traces["record_id"]) <= known
    assert set(ds.movements["record_id"].dropna()) <= known


def test_weapon_mix_is_realistic(world):
    items = world.dataset.items
    weapons = items[items["item_kind"] == "weapon"]
    share = weapons.groupby("setting")["category"].value_counts(normalize=True)
    assert share["conflict"].idxmax() == "assault_rifle"
    assert share["conflict"]["assault_rifle"] > 0.5
    crime = share["crime"]
    assert crime["pistol"] + crime["shotgun"] + crime.get("revolver", 0) > 0.5
    light = schema.weapon_class(weapons["category"]) == "light_weapon"
    assert 0.03 < light.mean() < 0.3
    assert (items["production"] == "craft").sum() > 0
    assert {"ammunition", "explosive_component", "part"} <= set(items["item_kind"])
    status = weapons["serial_status"].value_counts(normalize=True)
    assert status.idxmax() == "intact"
    assert {"obliterated", "partial", "absent"} <= set(status.index)


def test_seizures_span_the_period_and_group_items(world):
    items = world.dataset.items
    years = items["seized_on"].dt.year
    assert years.min() == 2015 and years.max() == 2024
    per_year = years.value_counts()
    assert per_year.min() > 0.4 * per_year.max()
    sizes = items.groupby("seizure_id").size()
    assert sizes.max() >= 5 and (sizes > 1).mean() > 0.2
    assert items["country"].nunique() >= 14


# ------------------------------------------------------------------ linkage truth


def test_repeat_reports_share_the_weapon_id(world):
    truth, items = world.truth, world.dataset.items
    repeats = truth[truth["repeat_report"]]
    assert 0.02 < len(repeats) / len(truth) < 0.05
    first = truth[~truth["repeat_report"]]
    assert repeats["true_weapon_id"].isin(first["true_weapon_id"]).all()
    pairs = truth[truth["true_weapon_id"].duplicated(keep=False)]
    assert (
        pairs.groupby("true_weapon_id")["true_serial"].nunique(dropna=False).max() == 1
    )
    # by another agency (handed over) and by the same agency (entered twice)
    src = pairs.groupby("true_weapon_id")["source"].nunique()
    assert (src > 1).any() and (src == 1).any()
    # some repeat reports carry a transposed serial: linkage has to be fuzzy
    errors = items.loc[truth["serial_error"].to_numpy(), ["serial"]]
    assert len(errors) > 0
    assert (
        items.set_index("record_id").loc[repeats["record_id"], "serial"].notna().any()
    )


def test_serial_errors_are_transpositions(world):
    truth, items = world.truth, world.dataset.items
    wrong = truth["serial_error"].to_numpy() & items["serial"].notna().to_numpy()
    for reported, true in zip(
        items.loc[wrong, "serial"], truth.loc[wrong, "true_serial"], strict=True
    ):
        diff = [
            i for i, (a, b) in enumerate(zip(reported, true, strict=True)) if a != b
        ]
        assert len(diff) == 2 and diff[1] == diff[0] + 1
        assert sorted(reported) == sorted(true)


def test_actor_spellings_map_to_true_actors(world):
    actors, truth = world.dataset.actors, world.actor_truth
    assert set(actors["actor_id"]) == set(truth["actor_id"])
    spellings = truth.groupby("true_actor_id").size()
    assert (spellings > 1).sum() >= 10  # the same actor under several spellings
    names = actors.set_index("actor_id").loc[truth["actor_id"], "name"].to_numpy()
    per_actor = pd.Series(names, index=truth["true_actor_id"].to_numpy())
    variants = per_actor.groupby(level=0).nunique()
    assert variants.max() >= 3


# --------------------------------------------------------------------------- batches


def _numbers(serials: pd.Series) -> pd.Series:
    return serials.str.extract(r"(\d+)$", expand=False).astype("Int64")


def test_batches_have_consecutive_serials(world):
    truth, items = world.truth, world.dataset.items
    weapons = truth[
        (items["item_kind"] == "weapon").to_numpy()
        & truth["true_serial"].notna().to_numpy()
        & ~truth["repeat_report"].to_numpy()
    ].copy()
    weapons["number"] = _numbers(weapons["true_serial"])
    multi = weapons.groupby("batch_id").filter(lambda g: len(g) > 1)
    assert multi["batch_id"].nunique() > 50
    one_line = multi.groupby("batch_id")[["true_make", "true_model"]].nunique()
    assert (one_line <= 1).all().all()
    gaps = (
        multi.sort_values(["batch_id", "number"])
        .groupby("batch_id")["number"]
        .diff()
        .dropna()
    )
    assert (gaps >= 1).all()  # one serial, one weapon
    assert (gaps <= 10).mean() > 0.97
    # serial numbers are unique across batches of the same make and model
    key = weapons["true_make"].fillna("") + "|" + weapons["true_model"].fillna("")
    assert not (key + "|" + weapons["true_serial"]).duplicated().any()


def test_batches_share_ammunition_lots_across_seizures(world):
    items, truth = world.dataset.items, world.truth
    lots = items[items["lot"].notna()].assign(batch=truth["batch_id"])
    per_lot = lots.groupby("lot").agg(
        batches=("batch", "nunique"), seizures=("seizure_id", "nunique")
    )
    assert (per_lot["batches"] == 1).all()
    assert (per_lot["seizures"] > 1).any()
    assert lots["headstamp"].notna().mean() > 0.5


def test_batches_spread_across_seizures_and_countries(world):
    items, truth = world.dataset.items, world.truth
    frame = pd.DataFrame(
        {
            "batch": truth["batch_id"],
            "seizure": items["seizure_id"],
            "country": items["country"],
        }
    )
    spread = frame.groupby("batch").agg(
        seizures=("seizure", "nunique"), countries=("country", "nunique")
    )
    assert (spread["seizures"] > 1).mean() > 0.2
    assert (spread["countries"] > 1).sum() > 10


# --------------------------------------------------------------------------- traces


def test_trace_outcomes_follow_the_markings(world):
    items = world.dataset.items.set_index("record_id")
    traces = world.dataset.traces
    status = items.loc[traces["record_id"], "serial_status"].to_numpy()
    answered = traces["outcome"].isin(["traced", "partially_traced"]).to_numpy()
    no_serial = np.isin(status, ["absent", "obliterated", "unknown"])
    assert not (answered & no_serial).any()
    truth = world.truth
    t_status = world.dataset.items["serial_status"].to_numpy()
    reveals = truth["reveals_diversion_point"].fillna(False).to_numpy()
    assert not (reveals & np.isin(t_status, ["absent", "obliterated", "unknown"])).any()
    rate = pd.Series(reveals).groupby(t_status).mean()
    assert rate["intact"] > rate["partial"] > 0
    # craft weapons have no records to trace
    craft = world.dataset.items["production"].eq("craft").fillna(False).to_numpy(bool)
    assert not reveals[craft].any()


def test_old_weapons_are_traced_less_often(world):
    truth = world.truth
    weapons = truth[
        truth["trace_outcome"].notna().to_numpy()
        & (world.dataset.items["serial_status"] == "intact").to_numpy()
    ]
    old = weapons["true_year_of_manufacture"] < 1990
    unavailable = weapons["trace_outcome"] == "records_unavailable"
    assert unavailable[old].mean() > 3 * unavailable[~old].mean()


def test_trace_requests_are_consistent(world):
    traces, items = world.dataset.traces, world.dataset.items
    assert traces["record_id"].isin(items["record_id"]).all()
    assert traces["trace_id"].is_unique
    done = traces["responded_on"].notna()
    assert (traces.loc[done, "responded_on"] >= traces.loc[done, "sent_on"]).all()
    assert (traces.loc[~done, "outcome"] == "pending").all()
    assert (traces["status"] == "no_response").any()  # some never answer
    assert traces["status"].isin(["sent", "acknowledged"]).any()  # some still open
    assert set(traces["channel"]) >= {"interpol", "bilateral", "un_panel"}
    # answers agree with the truth
    truth = world.truth.set_index("record_id")
    traced = traces[traces["outcome"] == "traced"]
    assert len(traced) > 20
    expected = truth.loc[traced["record_id"]]
    assert (
        traced["diversion_country"].to_numpy() == expected["diversion_country"]
    ).all()
    assert (traced["diversion_year"].to_numpy() == expected["diversion_year"]).all()
    assert (traced["diversion_mode"].to_numpy() == expected["diversion_mode"]).all()
    assert (
        traced["last_legal_holder"].to_numpy() == expected["last_legal_holder"]
    ).all()
    assert (expected["trace_outcome"] == "traced").all()


def test_requested_parties_differ_in_responsiveness(world):
    traces = world.dataset.traces
    answered = traces.groupby("requested_party").agg(
        n=("trace_id", "size"), answered=("responded_on", lambda s: s.notna().mean())
    )
    answered = answered[answered["n"] >= 15]
    assert answered["answered"].max() - answered["answered"].min() > 0.4


def test_movements_from_traces_and_investigations(world):
    mv = world.dataset.movements
    assert set(mv["evidence"]) == {"trace", "investigation"}
    assert mv["origin"].str.fullmatch(r"[A-Z]{3}").all()
    assert (mv["origin"] != mv["destination"]).all()
    assert (mv["count"] >= 1).all()


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_items": 5}, "n_items"),
        ({"n_items": 2.5}, "n_items"),
        ({"seed": -1}, "seed"),
        ({"start": "2020-01-01", "end": "2019-01-01"}, "period"),
        ({"start": "not a date"}, "dates"),
    ],
    ids=["too-few", "float", "negative-seed", "backwards", "bad-date"],
)
def test_bad_parameters_raise_a_clear_error(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        generate_world(**kwargs)


def test_a_short_period_still_works():
    w = generate_world(300, seed=2, start="2023-01-01", end="2023-06-30")
    seized = w.dataset.items["seized_on"].dropna()
    assert seized.min() >= pd.Timestamp("2023-01-01")
    assert seized.max() <= pd.Timestamp("2023-06-30")


# --------------------------------------------------------------------------- files


def test_police_file_is_french_cp1252_semicolon(sources, world):
    raw = sources["police_fr"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    lines = text.splitlines()
    assert lines[0].split(";") == POLICE_COLUMNS
    assert any(line.strip(";") == "" for line in lines[1:-1])  # blank row
    assert any(set(line) == {"-"} for line in lines)  # separator row
    assert re.search(r";\d\d/\d\d/20\d\d;", text)
    for word in ("fusil d'assaut", "Tchad", "saisie", "effacé"):
        assert word in text
    police = world.dataset.items.query("source == 'police_fr'")
    for rid in police["record_id"]:
        assert f";{rid}\r\n" in text


def test_customs_workbook_has_titles_above_the_header(sources, world):
    raw = pd.read_excel(sources["customs_en"], header=None, engine="openpyxl")
    assert raw.iloc[2].tolist() == CUSTOMS_COLUMNS
    assert raw.iloc[:2, 1:].isna().all().all()
    table = pd.read_excel(sources["customs_en"], header=2, engine="openpyxl")
    records = table["Record ID"].dropna()
    customs = world.dataset.items.query("source == 'customs_en'")
    assert sorted(records) == sorted(customs["record_id"])
    assert table["Record ID"].isna().sum() == 1  # one blank row


def test_army_file_is_a_list_of_records(sources, world):
    records = json.loads(sources["army"].read_text(encoding="utf-8"))
    army = world.dataset.items.query("source == 'army'")
    assert [r["id"] for r in records] == army["record_id"].tolist()
    assert all(set(r) <= set(ARMY_KEYS) for r in records)
    dates = [r["date_recovered"] for r in records if r.get("date_recovered")]
    assert any("T" in d for d in dates) and any(len(d) == 10 for d in dates)


def test_traces_file_has_canonical_headers(sources, world):
    table = pd.read_csv(sources["traces"])
    assert table.columns.tolist() == TRACE_COLUMNS
    assert len(table) == len(world.dataset.traces)


def test_sources_are_written_the_same_way_twice(world, sources, tmp_path):
    again = world.write_sources(tmp_path)
    for name in ("police_fr", "army", "traces"):
        assert again[name].read_bytes() == sources[name].read_bytes()


def test_same_weapon_in_two_files(world):
    truth = world.truth
    has = pd.crosstab(truth["true_weapon_id"], truth["source"]) > 0
    assert (has["police_fr"] & has["army"]).any()
    assert (has["police_fr"] & has["customs_en"]).any()


# --------------------------------------------------------------------------- sample


def test_load_sample_has_the_bundled_world():
    ds = load_sample()
    assert len(ds.items) == SAMPLE_ITEMS
    assert len(ds.traces) > 100
    assert set(ds.items["source"]) == {"police_fr", "customs_en", "army"}


def test_sample_world_matches_a_fresh_generation():
    """If this fails, the generator changed: run ``python tools/make_sample.py``."""
    w = load_sample_world()
    fresh = generate_world(SAMPLE_ITEMS, seed=SAMPLE_SEED)
    assert w.truth["record_id"].equals(w.dataset.items["record_id"])
    pd.testing.assert_frame_equal(w.truth, fresh.truth)
    pd.testing.assert_frame_equal(w.dataset.items, fresh.dataset.items)
    pd.testing.assert_frame_equal(w.dataset.traces, fresh.dataset.traces)


def test_sample_files_are_those_of_the_sample_world(tmp_path):
    written = load_sample_world().write_sources(tmp_path)
    shipped = sample_files()
    for name, path in written.items():
        assert path.read_bytes() == shipped[name].read_bytes(), name


def test_sample_files_are_shipped():
    files = sample_files()
    assert set(files) == {"police_fr", "customs_en", "army", "traces"}
    for path in files.values():
        assert path.is_file() and path.stat().st_size > 1000
    size = sum(p.stat().st_size for p in files["police_fr"].parent.iterdir())
    assert size < 2_000_000


# --------------------------------------------------------------------------- io


#: fields a reader must get exactly right on clean rows
_EXACT = ["seizure_id", "seized_on", "country", "serial", "serial_status", "quantity"]
#: fields checked on rows written with a well-known spelling
_KNOWN = ["make", "calibre", "category", "year_of_manufacture", "model"]
_MAKES = ["Norinco", "Arsenal", "FN Herstal", "Glock", "Beretta", "Taurus", "Baikal"]
_CALIBRES = ["7.62x39mm", "9x19mm", "12ga", "7.62x54mmR", "12.7x108mm"]


@pytest.mark.parametrize("name", ["police_fr", "customs_en", "army"])
def test_io_reads_every_row_of_the_sources(name, world, sources):
    io = pytest.importorskip("iti_analytics.io")
    res = io.read_items(sources[name])
    assert res.report.rows_in == len(res.table) + len(res.rejects)
    expected = world.dataset.items.query("source == @name").set_index("record_id")
    got = res.table.set_index("record_id")
    assert set(expected.index) <= set(got.index)
    got = got.loc[expected.index]
    for col in _EXACT:
        a = got[col].astype("string").fillna("<NA>")
        b = expected[col].astype("string").fillna("<NA>")
        assert (a == b).mean() > 0.995, (
            col,
            pd.DataFrame({"got": a, "exp": b})[a != b],
        )
    known = expected["make"].isin(_MAKES) & expected["calibre"].isin(_CALIBRES)
    known &= expected["category"].notna()
    assert known.sum() >= 20
    for col in _KNOWN:
        a = got.loc[known, col].astype("string").fillna("<NA>")
        b = expected.loc[known, col].astype("string").fillna("<NA>")
        # makes are misspelt now and then ("Norinko"): the reader may or may not
        # recognise them
        assert (a == b).mean() > 0.95, (col, pd.DataFrame({"got": a, "exp": b})[a != b])


def test_io_reads_the_trace_requests(world, sources):
    io = pytest.importorskip("iti_analytics.io")
    res = io.read_traces(sources["traces"])
    assert res.report.rows_in == len(res.table) + len(res.rejects)
    got = res.table.set_index("trace_id")
    exp = world.dataset.traces.set_index("trace_id").loc[got.index]
    for col in [
        "record_id",
        "requested_party",
        "sent_on",
        "responded_on",
        "outcome",
        "diversion_country",
        "diversion_year",
    ]:
        a = got[col].astype("string").fillna("<NA>")
        b = exp[col].astype("string").fillna("<NA>")
        assert (a == b).all(), col
