"""Tests of record linkage: weapons by serial, actors by name, and deduplication."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from iti_analytics import Dataset
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.linkage import LINK_COLUMNS, deduplicate, link_records


def _ds(items=None, traces=None, actors=None, movements=None):
    """A Dataset from plain DataFrames (each table optional)."""
    return Dataset(items=items, traces=traces, actors=actors, movements=movements)


def _pair(links, left, right):
    hit = links[
        ((links["left"] == left) & (links["right"] == right))
        | ((links["left"] == right) & (links["right"] == left))
    ]
    assert len(hit) == 1, f"expected one link {left}-{right}, got\n{links}"
    return hit.iloc[0]


@pytest.fixture
def weapons():
    return _ds(
        pd.DataFrame(
            {
                "record_id": [
                    "pol-1",
                    "cus-1",
                    "army-1",
                    "pol-2",
                    "cus-2",
                    "pol-3",
                    "cus-3",
                    "pol-4",
                    "army-4",
                    "pol-5",
                ],
                "source": [
                    "police",
                    "customs",
                    "army",
                    "police",
                    "customs",
                    "police",
                    "customs",
                    "police",
                    "army",
                    "police",
                ],
                "make": [
                    "Norinco",
                    "Norinco",
                    "Norinco",
                    "Beretta",
                    "Beretta",
                    "Glock",
                    "Glock",
                    "FN Herstal",
                    "Zastava",
                    "Norinco",
                ],
                "model": [
                    "Type 56",
                    "Type 56",
                    None,
                    "92FS",
                    "92FS",
                    "Glock 17",
                    "Glock 17",
                    "FAL",
                    "M70",
                    "Type 56",
                ],
                "calibre": [
                    "7.62x39mm",
                    "7.62x39mm",
                    "7.62x39mm",
                    "9x19mm",
                    "9x19mm",
                    "9x19mm",
                    "9x19mm",
                    "7.62x51mm",
                    "7.62x39mm",
                    "7.62x39mm",
                ],
                "serial": [
                    "AB1234",
                    "AB1234",
                    "AB2134",
                    "BER55821",
                    "BEP55821",
                    "GLK123456",
                    "GLK12??56",
                    "551234",
                    "551234",
                    None,
                ],
                "serial_status": ["intact"] * 6
                + ["partial", "intact", "intact", "obliterated"],
                "country": "NER",
                "seized_on": [
                    "2021-03-01",
                    "2021-03-20",
                    "2021-04-02",
                    "2021-05-01",
                    "2021-05-03",
                    "2021-06-01",
                    "2021-06-09",
                    "2021-07-01",
                    "2021-07-05",
                    "2021-08-01",
                ],
            }
        )
    )


# --------------------------------------------------------------------------- weapons


def test_exact_serial_same_make_model_calibre(weapons):
    links = link_records(weapons, kinds="weapon")
    row = _pair(links, "pol-1", "cus-1")
    assert row["method"] == "exact"
    assert row["reason"] == (
        "same serial 'AB1234' and make Norinco, model Type 56 and calibre 7.62x39mm"
    )
    assert row["confidence"] > 0.95


def test_transposition_and_substitution_are_found(weapons):
    links = link_records(weapons, kinds="weapon")
    swap = _pair(links, "pol-1", "army-1")
    assert swap["method"] == "fuzzy"
    assert swap["reason"] == (
        "serial differs by one transposition (AB1234 vs AB2134), same make and "
        "calibre; no other Type 56 serial within one character or within 500 in the "
        "data; recovered within two months, same country"
    )
    sub = _pair(links, "pol-2", "cus-2")
    assert sub["reason"].startswith(
        "serial differs by one character (BER55821 vs BEP55821), same make, model and "
        "calibre"
    )
    # serials of these models are sparse in the data: one typo is strong evidence
    assert swap["confidence"] > 0.9 and sub["confidence"] > 0.9


def test_partial_serial_matches_full_one(weapons):
    links = link_records(weapons, kinds="weapon")
    row = _pair(links, "pol-3", "cus-3")
    assert row["method"] == "partial"
    assert row["reason"] == (
        "partial serial GLK12??56 matches GLK123456, same make, model and calibre; "
        "no other Glock 17 serial within 500 in the data; recovered within two "
        "months, same country"
    )
    assert row["confidence"] > 0.75


def test_conflicting_make_and_obliterated_serial_never_link(weapons):
    links = link_records(weapons, kinds="weapon")
    ids = set(links["left"]) | set(links["right"])
    assert "pol-4" not in ids and "army-4" not in ids  # FN vs Zastava
    assert "pol-5" not in ids  # obliterated


def test_clusters_are_connected_components(weapons):
    links = link_records(weapons, kinds="weapon")
    clusters = links.groupby("cluster")["left"].apply(
        lambda s: sorted(set(s) | set(links.loc[s.index, "right"]))
    )
    assert clusters["weapon-1"] == ["army-1", "cus-1", "pol-1"]
    assert sorted(map(tuple, clusters.drop("weapon-1"))) == [
        ("cus-2", "pol-2"),
        ("cus-3", "pol-3"),
    ]
    assert list(links.columns) == LINK_COLUMNS
    assert links["confidence"].between(0, 1).all()


def test_unknown_model_or_calibre_is_compatible_but_conflict_is_not():
    ds = _ds(
        pd.DataFrame(
            {
                "record_id": ["a", "b", "c"],
                "make": ["Norinco"] * 3,
                "model": ["Type 56", None, "Type 81"],
                "calibre": [None, "7.62x39mm", "7.62x39mm"],
                "serial": ["56012345"] * 3,
            }
        )
    )
    links = link_records(ds, kinds="weapon")
    pairs = set(zip(links["left"], links["right"], strict=True))
    assert pairs == {("a", "b"), ("b", "c")}  # a and c: Type 56 vs Type 81


def test_unknown_make_links_only_an_unambiguous_serial():
    ds = _ds(
        pd.DataFrame(
            {
                "record_id": ["a", "b", "c", "d", "e"],
                "make": ["Norinco", None, "Glock", "Beretta", None],
                "serial": ["56012345", "56012345", "X777", "X777", "X777"],
            }
        )
    )
    links = link_records(ds, kinds="weapon")
    pairs = set(zip(links["left"], links["right"], strict=True))
    assert pairs == {("a", "b")}
    assert "make unknown on one record" in links["reason"].iloc[0]
    known = link_records(
        _ds(
            pd.DataFrame(
                {
                    "record_id": ["a", "b"],
                    "make": "Norinco",
                    "serial": ["56012345", "56012345"],
                }
            )
        ),
        kinds="weapon",
    )
    assert links["confidence"].iloc[0] <= known["confidence"].iloc[0]


def test_same_seizure_same_source_same_serial_is_still_reported():
    ds = _ds(
        pd.DataFrame(
            {
                "record_id": ["r1", "r2"],
                "seizure_id": ["PV-9", "PV-9"],
                "source": ["police", "police"],
                "make": ["Glock", "Glock"],
                "serial": ["ABC123", "ABC123"],
            }
        )
    )
    links = link_records(ds, kinds="weapon")
    assert links[["left", "right"]].values.tolist() == [["r1", "r2"]]


def _two(serials, **columns):
    return _ds(
        pd.DataFrame(
            {
                "record_id": [f"r{i}" for i in range(len(serials))],
                "make": "Norinco",
                "model": "Type 56",
                "calibre": "7.62x39mm",
                "serial": serials,
                "country": "NER",
                **columns,
            }
        )
    )


def test_one_typo_is_weak_evidence_inside_a_batch_of_consecutive_serials():
    alone = ["56123401", "56123410"]
    batch = alone + [str(56123402 + i) for i in range(8)]
    days = {"seized_on": ["2021-03-01", "2021-03-20"]}
    sparse = link_records(_two(alone, **days), kinds="weapon", threshold=0)
    dense = link_records(
        _two(batch, seized_on=days["seized_on"] + ["2020-01-01"] * 8),
        kinds="weapon",
        threshold=0,
    )
    row_sparse = _pair(sparse, "r0", "r1")
    row_dense = _pair(dense, "r0", "r1")
    assert row_sparse["confidence"] > 0.75 > row_dense["confidence"]
    assert "no other Type 56 serial within one character" in row_sparse["reason"]
    assert "8 other Type 56 serials within one character" in row_dense["reason"]


def test_consecutive_serials_of_one_seizure_are_not_one_weapon():
    serials = [str(56123401 + i) for i in range(6)]
    ds = _two(serials, seizure_id="PV-9", source="police", seized_on="2021-03-01")
    assert len(link_records(ds, kinds="weapon")) == 0
    low = link_records(ds, kinds="weapon", threshold=0.0)
    assert low["reason"].str.contains("both in one seizure report").all()
    assert low["reason"].str.contains("other Type 56 serials within one").all()


@pytest.mark.parametrize(
    "serial",
    ["0", "000", "0000000", "S/N", "SN", "N/A", "NONE", "???"],
)
def test_placeholder_serials_never_link(serial):
    ds = _two([serial, serial], seized_on=["2021-03-01", "2021-03-02"])
    assert link_records(ds, kinds="weapon", threshold=0).empty


def test_link_records_takes_a_plain_items_frame_and_every_status():
    items = pd.DataFrame(
        {
            "record_id": ["lost", "seized"],
            "status": ["stolen", "seized"],
            "make": "Glock",
            "serial": ["BKR4471", "BKR4471"],
        }
    )
    links = link_records(items, kinds="weapon")
    assert links[["left", "right"]].values.tolist() == [["lost", "seized"]]


def test_threshold_filters_and_kinds_select():
    ds = _ds(
        pd.DataFrame(
            {
                "record_id": ["a", "b", "c"],
                "make": ["Glock"] * 3,
                "serial": ["ABC123", "ABC123", "ABC132"],
                "actor": ["Ali Musa", "Musa Ali", None],
                "country": ["NER", "NER", "NER"],
            }
        )
    )
    everything = link_records(ds)
    assert set(everything["kind"]) == {"weapon", "actor"}
    assert set(link_records(ds, kinds=["actor"])["kind"]) == {"actor"}
    strict = link_records(ds, kinds="weapon", threshold=0.99)
    assert (strict["method"] == "exact").all()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kinds": ["weapons"]}, "`kinds` must be one of"),
        ({"threshold": 1.5}, "`threshold` must be between 0 and 1"),
        ({"actor_similarity": 0}, "`actor_similarity`"),
        ({"max_group": 1}, "`max_group` must be at least 2"),
    ],
    ids=["kind", "threshold", "similarity", "max_group"],
)
def test_bad_arguments_raise_clear_errors(weapons, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        link_records(weapons, **kwargs)


def test_empty_and_serial_less_datasets_give_empty_links():
    links = link_records(_ds())
    assert list(links.columns) == LINK_COLUMNS and len(links) == 0
    none = _ds(pd.DataFrame({"record_id": ["a", "b"], "make": ["Glock", "Glock"]}))
    assert len(link_records(none)) == 0


def test_no_quadratic_blow_up_on_a_big_block():
    n = 50_000
    no_serial = _ds(
        pd.DataFrame(
            {
                "record_id": [f"r{i}" for i in range(n)],
                "make": "Norinco",
                "model": "Type 56",
                "serial": None,
            }
        )
    )
    start = time.perf_counter()
    assert len(link_records(no_serial, kinds="weapon")) == 0
    same_serial = _ds(
        pd.DataFrame(
            {"record_id": [f"r{i}" for i in range(n)], "make": "Norinco", "serial": "1"}
        )
    )
    links = link_records(same_serial, kinds="weapon", max_group=50, threshold=0)
    elapsed = time.perf_counter() - start
    assert len(links) == n - 1  # a star on the first record, not n(n-1)/2 pairs
    assert links["cluster"].nunique() == 1
    assert elapsed < 20


def test_many_distinct_serials_in_one_make_run_fast(rng):
    n = 200_000
    serial = rng.choice(10**9, size=n, replace=False).astype(str)
    ds = _ds(
        pd.DataFrame(
            {"record_id": np.arange(n).astype(str), "make": "Glock", "serial": serial}
        )
    )
    start = time.perf_counter()
    link_records(ds, kinds="weapon")
    assert time.perf_counter() - start < 30


# --------------------------------------------------------------------------- actors


def test_actor_spelling_variants_are_linked():
    ds = _ds(
        pd.DataFrame(
            {
                "record_id": ["r1", "r2", "r3", "r4", "r5"],
                "actor": [
                    "Abdoulaye Traore",
                    "Abdoulaye Traoré",
                    "TRAORE Abdoulaye",
                    "Abdoulaye Traore",
                    "Moussa Diallo",
                ],
                "country": ["MLI", "MLI", "MLI", "BFA", "MLI"],
            }
        )
    )
    links = link_records(ds, kinds="actor")
    pairs = set(zip(links["left"], links["right"], strict=True))
    # r4 is in another country: not linked; r5 is another person
    assert pairs == {("r1", "r2"), ("r1", "r3"), ("r2", "r3")}
    row = _pair(links, "r1", "r2")
    assert row["reason"].startswith(
        "actor names 'Abdoulaye Traore' and 'Abdoulaye Traoré' (similarity 0.94)"
    )
    assert links["cluster"].unique().tolist() == ["actor-1"]


def test_actor_typo_linked_and_actor_ids_used():
    ds = _ds(
        items=pd.DataFrame(
            {"record_id": ["r1"], "actor": ["Mohamed Ag Intalla"], "country": ["MLI"]}
        ),
        actors=pd.DataFrame(
            {
                "actor_id": ["A1", "A2"],
                "name": ["Mohamed Ag Intala", "Ibrahim Ag Bahanga"],
                "country": ["MLI", "MLI"],
            }
        ),
    )
    links = link_records(ds, kinds="actor")
    assert links[["left", "right", "method"]].values.tolist() == [
        ["A1", "r1", "actor_fuzzy"]
    ]
    assert 0.9 < links["confidence"].iloc[0] < 0.97


def test_actor_names_used_by_many_items_link_once():
    n = 100_000
    actor = np.where(np.arange(n) % 2, "Boko Haram", "BOKO HARAM")
    ds = _ds(
        pd.DataFrame(
            {"record_id": np.arange(n).astype(str), "actor": actor, "country": "NGA"}
        )
    )
    links = link_records(ds, kinds="actor")
    assert links[["left", "right"]].values.tolist() == [["0", "1"]]


# --------------------------------------------------------------------------- merging


@pytest.fixture
def duplicated():
    items = pd.DataFrame(
        {
            "record_id": ["pol-1", "cus-1", "army-1", "pol-2"],
            "seized_on": ["2021-05-04", "2021-05-02", None, "2021-01-01"],
            "make": ["Norinco", "Norinco", "Norinco", "Glock"],
            "model": [None, "Type 56", "Type 56", "Glock 17"],
            "calibre": ["7.62x39mm", None, "7.62x39mm", "9x19mm"],
            "serial": ["AB1234", "AB1234", "AB1234", "G1"],
            "country": ["NER", "NER", None, "MLI"],
        }
    )
    traces = pd.DataFrame(
        {"trace_id": ["t1", "t2", "t3"], "record_id": ["pol-1", "army-1", "pol-2"]}
    )
    return _ds(items, traces)


def test_deduplicate_keeps_first_seen_and_repoints_traces(duplicated):
    before = duplicated.items.copy()
    links = link_records(duplicated, kinds="weapon")
    merged = deduplicate(duplicated, links)
    items = merged.items
    assert items["record_id"].tolist() == ["cus-1", "pol-2"]  # cus-1 seen 2 May
    kept = items.iloc[0]
    assert kept["x_merged_ids"] == "pol-1;army-1"
    assert kept["model"] == "Type 56" and kept["calibre"] == "7.62x39mm"
    assert pd.isna(items.iloc[1]["x_merged_ids"])
    assert merged.traces["record_id"].tolist() == ["cus-1", "cus-1", "pol-2"]
    pd.testing.assert_frame_equal(duplicated.items, before)  # input untouched
    assert len(duplicated.items) == 4


def test_deduplicate_respects_min_confidence_and_kind(weapons):
    links = link_records(weapons)
    weapon_links = links[links["kind"] == "weapon"]
    top = weapon_links["confidence"].max()
    strict = deduplicate(weapons, links, min_confidence=top)
    only_top = deduplicate(
        weapons, weapon_links[weapon_links["confidence"] >= top], min_confidence=0
    )
    assert strict.items["record_id"].tolist() == only_top.items["record_id"].tolist()
    loose = deduplicate(weapons, links, min_confidence=0.5)
    assert len(loose.items) <= len(strict.items) < len(weapons.items)
    assert len(loose.items) == len(weapons.items) - 4
    assert sorted(loose.items["x_merged_ids"].dropna()) == [
        "cus-1;army-1",
        "cus-2",
        "cus-3",
    ]


def test_deduplicate_works_on_a_dataset():
    from iti_analytics.dataset import Dataset

    ds = Dataset(
        items=pd.DataFrame(
            {
                "record_id": ["a", "b", "c"],
                "make": ["Glock"] * 3,
                "serial": ["ABC123", "ABC123", "ZZZ999"],
            }
        ),
        traces=pd.DataFrame({"trace_id": ["t1"], "record_id": ["b"]}),
    )
    merged = deduplicate(ds, link_records(ds))
    assert isinstance(merged, Dataset)
    assert merged.items["record_id"].tolist() == ["a", "c"]
    assert merged.traces["record_id"].tolist() == ["a"]
    assert len(ds.items) == 3


def test_deduplicate_actor_spellings():
    ds = _ds(
        pd.DataFrame(
            {
                "record_id": ["r1", "r2", "r3"],
                "actor": ["Abdoulaye Traore", "TRAORÉ Abdoulaye", "Ali"],
                "country": "MLI",
            }
        )
    )
    merged = deduplicate(ds, link_records(ds, kinds="actor"), kind="actor")
    assert merged.items["actor"].tolist() == ["Abdoulaye Traore"] * 2 + ["Ali"]
    assert len(merged.items) == 3


def test_deduplicate_rejects_something_else(weapons):
    with pytest.raises(InvalidParameterError, match="returned by link_records"):
        deduplicate(weapons, pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------- accuracy


def _pairwise_accuracy(items, truth, links):
    """Precision and recall over pairs of records that have a usable serial."""
    usable = items["serial"].notna() & ~items["serial_status"].isin(
        ["obliterated", "absent"]
    ).fillna(False)
    ids = items.loc[usable, "record_id"]
    weapon = truth.set_index("record_id")["true_weapon_id"]
    known = weapon.reindex(ids.to_numpy()).dropna()
    sizes = known.value_counts()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    found = links[
        (links["kind"] == "weapon")
        & links["left"].isin(known.index)
        & links["right"].isin(known.index)
    ]
    right = (
        weapon.reindex(found["left"].to_numpy()).to_numpy()
        == weapon.reindex(found["right"].to_numpy()).to_numpy()
    )
    return right.sum() / max(len(found), 1), right.sum() / max(true_pairs, 1)


@pytest.mark.parametrize("seed", [1, 2])
def test_accuracy_on_synthetic_worlds(seed):
    samples = pytest.importorskip("iti_analytics.samples")
    if not hasattr(samples, "generate_world"):
        pytest.skip("iti_analytics.samples.generate_world is not available yet")
    world = samples.generate_world(20_000, seed=seed)
    links = link_records(world.dataset, kinds="weapon")
    precision, recall = _pairwise_accuracy(world.dataset.items, world.truth, links)
    assert precision >= 0.97, f"precision {precision:.3f}"
    assert recall >= 0.93, f"recall {recall:.3f}"


def test_a_number_on_ammunition_is_its_lot_not_one_weapon():
    # CBC case-head lot codes in the Rio files ("AHW55"), written in the serial
    # column: two records of one lot are two boxes of one lot, not one weapon
    items = pd.DataFrame(
        {
            "record_id": ["a-1", "a-2", "w-1", "w-2"],
            "seizure_id": ["S1", "S2", "S3", "S4"],
            "item_kind": ["ammunition", "ammunition", "weapon", "weapon"],
            "make": ["CBC", "CBC", "Taurus", "Taurus"],
            "calibre": ["9x19mm", "9x19mm", "9x19mm", "9x19mm"],
            "serial": ["AHW55", "AHW55", "TAX41207", "TAX41207"],
            "seized_on": pd.to_datetime(["2018-04-21", "2019-04-18"] * 2),
        }
    )
    links = link_records(_ds(items), kinds=["weapon"])
    assert {frozenset(p) for p in zip(links["left"], links["right"], strict=True)} == {
        frozenset({"w-1", "w-2"})
    }
