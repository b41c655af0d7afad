"""Graph, networks, brokers, batches, corridors and custody chains (issue 3)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.network import (
    EDGE_KINDS,
    NODE_KINDS,
    batches,
    brokers,
    build_graph,
    corridors,
    count_kinds,
    custody_chain,
    networks,
)

try:
    from iti_analytics.dataset import Dataset
except ImportError:  # pragma: no cover - before the dataset stage lands
    from types import SimpleNamespace

    from iti_analytics import schema

    def Dataset(items=None, traces=None, actors=None, movements=None):  # noqa: N802
        return SimpleNamespace(
            items=schema.conform(items, "items")
            if items is not None
            else schema.empty_table("items"),
            traces=schema.conform(traces, "traces")
            if traces is not None
            else schema.empty_table("traces"),
            actors=schema.empty_table("actors")
            if actors is None
            else schema.conform(actors, "actors"),
            movements=schema.empty_table("movements")
            if movements is None
            else schema.conform(movements, "movements"),
        )


def six_items() -> pd.DataFrame:
    """Six items, three agencies: one AKM serial run across Niger and Mali, one
    ammunition lot across both, one actor in two countries, a lone pistol."""
    return pd.DataFrame(
        {
            "record_id": ["ner:1", "ner:2", "ner:3", "mli:1", "mli:2", "bfa:1"],
            "seizure_id": ["PV-1", "PV-1", "PV-2", "C-9", "C-9", None],
            "source": ["ner", "ner", "ner", "mli", "mli", "bfa"],
            "seized_on": pd.to_datetime(
                [
                    "2021-03-01",
                    "2021-03-01",
                    "2021-06-10",
                    "2022-01-05",
                    "2022-01-05",
                    None,
                ]
            ),
            "country": ["NER", "NER", "NER", "MLI", "MLI", "BFA"],
            "admin1": ["Tillabéri", "Tillabéri", "Niamey", "Gao", "Gao", None],
            "locality": ["Ayorou", "Ayorou", None, "Ansongo", "Ansongo", None],
            "lat": [14.73, 14.73, 13.51, 15.66, 15.66, None],
            "lon": [0.92, 0.92, 2.11, 0.50, 0.50, None],
            "item_kind": [
                "weapon",
                "weapon",
                "ammunition",
                "weapon",
                "ammunition",
                "weapon",
            ],
            "category": [
                "assault_rifle",
                "assault_rifle",
                None,
                "assault_rifle",
                None,
                "pistol",
            ],
            "make": [
                "Kalashnikov",
                "Kalashnikov",
                None,
                "Kalashnikov",
                None,
                "Beretta",
            ],
            "model": ["AKM", "AKM", None, "AKM", None, "92"],
            "calibre": [
                "7.62x39mm",
                "7.62x39mm",
                "7.62x39mm",
                "7.62x39mm",
                "7.62x39mm",
                "9x19mm",
            ],
            "serial": ["KA1001", "KA1004", None, "KA1006", None, "B77"],
            "country_of_manufacture": ["SUN", "SUN", None, "SUN", None, "ITA"],
            "year_of_manufacture": [1978, 1978, None, 1978, None, 2001],
            "lot": [None, None, "L-88", None, "L-88", None],
            "headstamp": [None, None, "539 88", None, "539 88", None],
            "actor": ["Groupe X", "Groupe X", None, "Groupe X", "Katiba Y", None],
            "origin_country": [None, None, None, "LBY", "LBY", None],
            "transit_countries": [None, None, None, "NER", "NER", None],
        }
    )


def six_traces() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "trace_id": ["T1"],
            "record_id": ["mli:1"],
            "requested_party": ["LBY"],
            "status": ["responded"],
            "outcome": ["traced"],
            "responded_on": pd.to_datetime(["2022-06-01"]),
            "last_legal_holder": ["Armoury A"],
            "last_legal_country": ["LBY"],
            "diversion_country": ["LBY"],
            "diversion_year": [2011],
            "diversion_mode": ["battlefield_capture"],
        }
    )


@pytest.fixture
def six():
    return Dataset(items=six_items(), traces=six_traces())


# --------------------------------------------------------------------------- graph


def test_graph_counts_by_kind(six):
    G = build_graph(six)
    assert isinstance(G, nx.MultiDiGraph)
    counts = count_kinds(G)
    assert counts["nodes"] == {
        "actor": 2,
        "batch": 2,  # the AKM serial run and the L-88 lot
        "diversion_point": 1,
        "item": 6,
        "lot": 1,
        "place": 9,  # 4 countries (with LBY), 3 regions... see below
        "seizure": 4,
        "trace": 1,
    }
    assert counts["edges"] == {
        "at": 5,  # 4 seizures + the diversion point
        "diverted_from": 1,
        "held_by": 3,  # PV-1 as a whole, and the two items of C-9
        "moved": 2,  # LBY -> NER -> MLI
        "part_of": 5,
        "recovered_in": 6,
        "same_batch": 5,
        "shares_lot": 2,
        "traced_by": 1,
    }
    places = sorted(n for n, k in G.nodes(data="kind") if k == "place")
    assert places == [
        "place:BFA",
        "place:LBY",
        "place:MLI",
        "place:MLI/Gao",
        "place:MLI/Gao/Ansongo",
        "place:NER",
        "place:NER/Niamey",
        "place:NER/Tillabéri",
        "place:NER/Tillabéri/Ayorou",
    ]


def test_every_node_and_edge_has_kind_and_records(six):
    G = build_graph(six)
    for n, d in G.nodes(data=True):
        assert d["kind"] in NODE_KINDS, n
        assert isinstance(d["records"], list), n
        assert n.startswith(d["kind"] + ":")
    for _u, _v, k, d in G.edges(keys=True, data=True):
        assert d["kind"] == k and k in EDGE_KINDS
        assert isinstance(d["records"], list)


def test_graph_ids_and_edges(six):
    G = build_graph(six)
    assert G.has_edge("item:ner:1", "seizure:ner:PV-1", "recovered_in")
    # the whole seizure is held by one actor: one edge from the seizure
    assert G.edges["seizure:ner:PV-1", "actor:Groupe X", "held_by"]["records"] == [
        "ner:1",
        "ner:2",
    ]
    # C-9 has two actors: one edge per item
    assert G.has_edge("item:mli:2", "actor:Katiba Y", "held_by")
    assert not G.has_edge("seizure:mli:C-9", "actor:Groupe X")
    # an item without seizure id is its own event
    assert G.has_edge("item:bfa:1", "seizure:=bfa:1", "recovered_in")
    assert G.edges["seizure:ner:PV-1", "place:NER/Tillabéri/Ayorou", "at"]
    assert G.nodes["place:NER/Tillabéri/Ayorou"]["level"] == "locality"
    moved = G.edges["place:LBY", "place:NER", "moved"]
    assert moved["count"] == 2 and moved["evidence"] == ["route"]
    assert moved["first_date"] == "2022-01-05"
    dp = "diversion_point:LBY/Armoury A/2011"
    assert G.nodes[dp]["holder"] == "Armoury A"
    assert G.has_edge("item:mli:1", dp, "diverted_from")
    assert G.has_edge("item:mli:1", "trace:T1", "traced_by")
    assert G.nodes["item:mli:1"]["seized_on"] == "2022-01-05"
    # missing date: the attribute is absent, not None
    assert "seized_on" not in G.nodes["item:bfa:1"]
    assert "first_seen" not in G.nodes["seizure:=bfa:1"]


def test_graph_column_names_are_parameters():
    items = pd.DataFrame(
        {
            "id": ["a", "b"],
            "case": ["K1", "K1"],
            "holder": ["Ali", "Ali"],
            "pays": ["NER", "NER"],
        }
    )
    G = build_graph(
        items, item_id="id", seizure_id="case", actor="holder", country="pays"
    )
    assert count_kinds(G)["nodes"] == {"actor": 1, "item": 2, "place": 1, "seizure": 1}
    with pytest.raises(InvalidParameterError, match="'holder_name'"):
        build_graph(items, item_id="id", actor="holder_name")


def test_graph_of_empty_dataset_is_valid():
    G = build_graph(Dataset())
    assert G.number_of_nodes() == 0 and G.number_of_edges() == 0
    assert networks(Dataset()).empty
    assert batches(Dataset()).empty
    assert corridors(Dataset()).empty
    assert brokers(Dataset()).empty


def test_items_without_links_stay_alone():
    items = pd.DataFrame({"record_id": ["a", "b"], "seizure_id": ["1", "2"]})
    G = build_graph(items)
    assert count_kinds(G)["edges"] == {"recovered_in": 2}
    assert networks(items).empty
    _, members = networks(items, return_members=True)
    assert members["network_id"].isna().all()


def test_self_loops_and_missing_dates():
    mv = pd.DataFrame(
        {
            "origin": ["NER", "NER", "MLI"],
            "destination": ["NER", "MLI", "MLI"],
            "count": [5, 2, None],
            "moved_on": [None, "2020-01-02", None],
        }
    )
    G = build_graph(Dataset(movements=mv))
    loop = G.edges["place:NER", "place:NER", "moved"]
    assert loop["count"] == 5 and "first_date" not in loop
    assert G.edges["place:MLI", "place:MLI", "moved"]["count"] == 1  # no count = 1
    assert G.edges["place:NER", "place:MLI", "moved"]["first_date"] == "2020-01-02"
    G2 = build_graph(Dataset(movements=mv), self_loops=False)
    assert nx.number_of_selfloops(G2) == 0
    shares = corridors(Dataset(movements=mv))
    ner = shares[shares["destination"] == "NER"]
    assert ner["share_of_destination"].tolist() == [1.0]


def test_big_actor_links_through_one_node_in_linear_size():
    n = 100_000
    items = pd.DataFrame(
        {
            "record_id": np.char.add("r", np.arange(n).astype(str)),
            "seizure_id": np.char.add("s", np.arange(n).astype(str)),
            "actor": "Armée X",
            "country": "MLI",
        }
    )
    G = build_graph(items, batches=False)
    nets, members = networks(items, communities=None, return_members=True)
    assert G.number_of_edges() == 3 * n  # recovered_in, held_by, at: O(n)
    assert G.in_degree("actor:Armée X") == n
    assert nets.loc[0, "seizures"] == n and len(nets) == 1
    assert members["network_id"].eq("N0001").all()
    # speed is measured in benchmarks/bench_network.py, not asserted here


def test_links_add_same_weapon_edges_and_merge_actor_spellings(six):
    links = pd.DataFrame(
        {
            "left": ["ner:1", "mli:1"],
            "right": ["bfa:1", "mli:2"],
            "kind": ["weapon", "actor"],
            "left_value": ["KA1001", "Groupe X"],
            "right_value": ["B77", "Katiba Y"],
            "confidence": [0.99, 0.95],
        }
    )
    G = build_graph(six, links=links)
    assert G.edges["item:ner:1", "item:bfa:1", "same_weapon"]["confidence"] == 0.99
    assert "actor:Katiba Y" not in G  # merged into the commoner spelling
    nets = networks(six, links=links)
    assert nets.loc[0, "seizures"] == 4
    assert nets.loc[0, "same_weapon_pairs"] == 1
    assert "1 weapon in two seizures" in nets.loc[0, "linked_by"]


def test_trace_about_unknown_record_still_valid(six):
    tr = pd.concat(
        [six_traces(), pd.DataFrame({"trace_id": ["T9"], "record_id": ["ghost:1"]})]
    )
    G = build_graph(Dataset(items=six_items(), traces=tr))
    assert G.nodes["item:ghost:1"] == {
        "kind": "item",
        "records": ["ghost:1"],
        "in_items": False,
    }


# --------------------------------------------------------------------------- networks


def test_networks_on_six_items(six):
    nets, members = networks(six, return_members=True)
    assert len(nets) == 1
    net = nets.iloc[0]
    assert net["network_id"] == "N0001"
    assert (net["seizures"], net["items"], net["actors"]) == (3, 5, 2)
    assert net["countries"] == "MLI;NER" and net["n_countries"] == 2
    assert net["first_seen"] == pd.Timestamp("2021-03-01")
    assert net["span_days"] == 310
    assert 150 < net["span_km"] < 300  # Niamey - Ansongo
    assert net["categories"] == "ammunition;assault_rifle"
    assert net["linked_by"] == "1 actor, 1 batch, 1 ammunition lot"
    assert (net["shared_actors"], net["shared_batches"], net["shared_lots"]) == (
        1,
        1,
        1,
    )
    assert net["cohesion"] == 1.0  # nothing it shares reaches outside
    assert (net["component"], net["component_seizures"]) == ("C0001", 3)
    by_record = members.set_index("record_id")
    assert by_record.loc["bfa:1", "network_id"] is pd.NA
    assert by_record.loc["ner:1", "component"] == "C0001"
    assert members["set_aside"].isna().all()


def test_networks_from_graph_match_dataset(six):
    a = networks(six, return_members=True)
    b = networks(build_graph(six), return_members=True)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(
        a[1].sort_values("record_id").reset_index(drop=True),
        b[1].sort_values("record_id").reset_index(drop=True),
    )


def test_places_link_only_at_locality_level():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "seizure_id": ["1", "2", "3"],
            "country": ["NER"] * 3,
            "admin1": ["Tahoua"] * 3,
            "locality": ["Abalak", "Abalak", None],
        }
    )
    assert networks(items).empty  # places do not link by default
    nets = networks(items, via=["actor", "locality"])
    assert nets["seizures"].tolist() == [2]
    assert nets.loc[0, "linked_by"] == "1 locality"
    with pytest.raises(InvalidParameterError, match="`via`"):
        networks(items, via=["country"])


def test_communities_split_two_groups_joined_by_one_seizure():
    # two dense groups (actors A and B) joined by one seizure holding both:
    # one component, two networks (the unit shown is the community)
    rows = []
    for _g, actor in enumerate(["A", "B"]):
        for i in range(6):
            rows.append((f"{actor}{i}", f"S{actor}{i}", actor))
            rows.append((f"{actor}{i}x", f"S{actor}{i}", f"{actor}-helper{i % 2}"))
    rows += [("bridge1", "SB*", "A"), ("bridge2", "SB*", "B")]
    items = pd.DataFrame(rows, columns=["record_id", "seizure_id", "actor"])
    nets, members = networks(items, return_members=True, seed=1, resolution=1.0)
    assert len(nets) >= 2 and nets["component"].eq("C0001").all()
    assert (nets["component_seizures"] == 13).all()
    assert (nets["cohesion"] < 1).any()  # the bridge ties them a little
    comm = members.drop_duplicates("seizure").set_index("seizure")["network_id"]
    assert comm["seizure:SA0"] != comm["seizure:SB0"]
    whole = networks(items, communities=None)
    assert len(whole) == 1 and whole.loc[0, "community_method"] == "connected component"
    again = networks(items, return_members=True, seed=1, resolution=1.0)[1]
    pd.testing.assert_frame_equal(members, again)  # seeded: repeatable
    fast = networks(items, communities="label_propagation")
    assert fast.loc[0, "community_method"] == "label_propagation"
    # a network above max_louvain_nodes: Louvain on its shared things only
    coarse, cm = networks(
        items, max_louvain_nodes=5, resolution=1.0, return_members=True
    )
    assert coarse.loc[0, "community_method"] == "louvain (hub projection)"
    by_seizure = cm.drop_duplicates("seizure").set_index("seizure")["network_id"]
    assert by_seizure["seizure:SA0"] != by_seizure["seizure:SB0"]
    assert by_seizure["seizure:SA0"] == by_seizure["seizure:SA1"]


def test_small_groups_joined_weakly_in_a_big_component_stay_apart():
    # two groups of six seizures (actors A and B) tied by one seizure holding
    # both, in one component with a group of 150 (G): plain modularity merges
    # A and B because G makes the graph large (the resolution limit); with
    # the scale held fixed (resolution_scale, here small to stand for a large
    # data set) the one tie no longer outweighs them
    rows = []
    for group, size in (("A", 6), ("B", 6), ("G", 150)):
        for i in range(size):
            rows.append((f"{group}{i}", f"S{group}{i}", group))
            rows.append((f"{group}{i}h", f"S{group}{i}", f"{group}-helper{i % 3}"))
    rows += [("x1", "SX", "A"), ("x2", "SX", "B"), ("y1", "SY", "B"), ("y2", "SY", "G")]
    items = pd.DataFrame(rows, columns=["record_id", "seizure_id", "actor"])

    def network_of(**options):
        nets, members = networks(items, return_members=True, **options)
        assert (nets["component_seizures"] == 164).all()  # one component
        return members.drop_duplicates("seizure").set_index("seizure")["network_id"]

    plain = network_of(resolution_scale=None)
    assert plain["seizure:SA0"] == plain["seizure:SB0"]
    assert network_of().equals(plain)  # 330 ties: below the default scale
    fixed = network_of(resolution_scale=100)
    assert fixed["seizure:SA0"] != fixed["seizure:SB0"]
    a_group = fixed[[f"seizure:SA{i}" for i in range(6)]]
    b_group = fixed[[f"seizure:SB{i}" for i in range(6)]]
    assert a_group.nunique() == 1 and b_group.nunique() == 1
    with pytest.raises(InvalidParameterError, match="resolution_scale"):
        networks(items, resolution_scale=0)


# --------------------------------------------------------------------------- brokers


def test_broker_ranked_first():
    # Dealer Z supplies groups in three countries; every other actor stays home
    items = pd.DataFrame(
        {
            "record_id": [str(i) for i in range(9)],
            "seizure_id": ["a", "a", "b", "b", "c", "c", "d", "e", "f"],
            "country": ["NER", "NER", "MLI", "MLI", "BFA", "BFA", "NER", "MLI", "BFA"],
            "actor": [
                "Dealer Z",
                "G1",
                "Dealer Z",
                "G2",
                "Dealer Z",
                "G3",
                "G1",
                "G2",
                "G3",
            ],
        }
    )
    br = brokers(items)
    assert br.loc[0, "node"] == "actor:Dealer Z" and br.loc[0, "rank"] == 1
    assert br.loc[0, "countries"] == "BFA;MLI;NER"
    assert br.loc[0, "items"] == 3
    assert set(br["kind"]) == {"actor", "place"}
    assert br["betweenness"].is_monotonic_decreasing
    from_graph = brokers(build_graph(items))
    pd.testing.assert_frame_equal(br, from_graph)


def test_brokers_approximate_is_seeded(six):
    a = brokers(six, k=3, seed=7)
    b = brokers(six, k=3, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert brokers(six, top=2).shape[0] == 2
    with pytest.raises(InvalidParameterError, match="`level`"):
        brokers(six, level="continent")


# --------------------------------------------------------------------------- batches


def test_batch_found_across_two_countries(six):
    found, members = batches(six, return_members=True)
    run = found[found["kind"] == "serial_run"].iloc[0]
    assert run["countries"] == "MLI;NER" and run["seizures"] == 2
    assert run["serial_range"] == "KA1001 – KA1006"
    assert run["evidence"] == (
        "consecutive serials KA1001 – KA1006 (3 numbers, largest gap 3) on "
        "Kalashnikov AKM, made 1978"
    )
    assert sorted(members.loc[members["batch_id"] == run["batch_id"], "record_id"]) == [
        "mli:1",
        "ner:1",
        "ner:2",
    ]
    lot = found[found["kind"] == "lot"].iloc[0]
    assert lot["evidence"] == "same lot 'L-88' (7.62x39mm, headstamp '539 88')"


@pytest.mark.parametrize(
    ("serials", "years", "max_gap", "expected"),
    [
        pytest.param(["A100", "A110", "A125"], [None] * 3, 10, [2], id="gap-splits"),
        pytest.param(["A100", "A110", "A125"], [None] * 3, 15, [3], id="wider-gap"),
        pytest.param(
            ["A100", "A101", "A102"],
            [1990, 1991, 1992],
            10,
            [],
            id="known-years-differ",
        ),
        pytest.param(
            ["A100", "A101", "A102"],
            [1990, 1991, None],
            10,
            [2],
            id="unknown-year-joins-the-last-run",
        ),
        pytest.param(
            ["A100", "A101", "A102"],
            [1990, None, 1990],
            10,
            [3],
            id="unknown-year-joins",
        ),
        pytest.param(["A100", "B101"], [None] * 2, 10, [], id="other-prefix"),
        pytest.param(["100A", "101A", "102B"], [None] * 3, 10, [2], id="suffix"),
        pytest.param(["A100", "A100"], [None] * 2, 10, [], id="same-serial-twice"),
    ],
)
def test_serial_runs(serials, years, max_gap, expected):
    n = len(serials)
    items = pd.DataFrame(
        {
            "record_id": [str(i) for i in range(n)],
            "make": "Norinco",
            "model": "Type 56",
            "serial": serials,
            "year_of_manufacture": pd.array(years, dtype="Int64"),
        }
    )
    found = batches(items, max_gap=max_gap, kinds=["serial_run"])
    assert found["items"].tolist() == expected


def test_partial_serials_and_duplicates_are_not_used():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "make": "FN Herstal",
            "serial": ["1001", "1002", "1003"],
            "serial_status": ["intact", "partial", "intact"],
            "duplicate_of": [None, None, "a"],
        }
    )
    assert batches(items).empty


def test_weak_batches_need_two_seizures():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "seizure_id": ["1", "1", "2", "3"],
            "make": "Norinco",
            "model": "Type 56",
            "import_country": ["NGA", "NGA", "NGA", "NGA"],
            "import_year": [2011, 2011, 2011, 2012],
            "headstamp": [None, None, None, "711 82"],
        }
    )
    found = batches(items)
    assert found["kind"].tolist() == ["import_mark"]
    assert found.loc[0, "strength"] == "medium"
    assert found.loc[0, "evidence"] == (
        "same import marking (NGA 2011) on Norinco Type 56 in 2 seizures"
    )
    assert batches(items, min_seizures=3).empty
    with pytest.raises(InvalidParameterError, match="`kinds`"):
        batches(items, kinds=["colour"])


def test_batches_on_200k_items_find_only_runs():
    rng = np.random.default_rng(0)
    n = 200_000
    items = pd.DataFrame(
        {
            "record_id": np.arange(n).astype(str),
            "seizure_id": rng.integers(0, n // 3, n).astype(str),
            "make": "Kalashnikov",
            "serial": np.char.add("AK", rng.permutation(n * 50)[:n].astype(str)),
        }
    )
    found = batches(items)  # speed: benchmarks/bench_network.py
    assert (found["items"] >= 2).all()
    assert (found["kind"] == "serial_run").all()


# --------------------------------------------------------------------------- corridors


def test_corridor_shares_sum_to_one_per_destination(six):
    mv = pd.DataFrame(
        {
            "origin": ["LBY", "SDN", "MLI"],
            "destination": ["MLI", "MLI", "MLI"],
            "count": [3, 1, 4],
            "year": [2021, 2021, 2022],
            "evidence": "investigation",
        }
    )
    ds = Dataset(items=six_items(), traces=six_traces(), movements=mv)
    corr = corridors(ds)
    sums = corr.groupby("destination")["share_of_destination"].sum()
    assert np.allclose(sums.to_numpy(dtype=float), 1.0)
    mli = corr[corr["destination"] == "MLI"].set_index("origin")
    # 4 (self-loop) + 3 + 1 from movements, 2 route legs NER -> MLI,
    # 1 trace result LBY -> MLI
    assert mli.loc["LBY", "count"] == 4
    assert mli.loc["MLI", "count"] == 4
    assert mli.loc["LBY", "evidence"] == "investigation;trace_result"
    assert mli["count"].sum() == 11
    by = corridors(ds, by=["year", "evidence"])
    assert np.allclose(
        by.groupby(["destination", "year", "evidence"], dropna=False)[
            "share_of_destination"
        ]
        .sum()
        .to_numpy(dtype=float),
        1.0,
    )
    with pytest.raises(InvalidParameterError, match="'colour'"):
        corridors(ds, by="colour")


def test_corridor_routes_legs_or_origin_to_destination(six):
    legs = corridors(six, sources=["routes"])
    assert list(zip(legs["origin"], legs["destination"], strict=False)) == [
        ("NER", "MLI"),
        ("LBY", "NER"),
    ]
    direct = corridors(six, sources=["routes"], legs=False)
    assert list(
        zip(direct["origin"], direct["destination"], direct["count"], strict=False)
    ) == [("LBY", "MLI", 2)]


# --------------------------------------------------------------------------- custody


def test_custody_chain_with_trace_and_linked_records(six):
    links = pd.DataFrame({"left": ["ner:1"], "right": ["mli:1"], "kind": ["weapon"]})
    chain = custody_chain(six, "mli:1", links=links)
    assert chain["step"].tolist() == [
        "manufacture",
        "last_legal_holder",
        "diversion",
        "route",
        "recovery",
        "recovery",
    ]
    holder = chain[chain["step"] == "last_legal_holder"].iloc[0]
    assert (holder["place"], holder["party"]) == ("LBY", "Armoury A")
    diversion = chain[chain["step"] == "diversion"].iloc[0]
    assert diversion["when"] == "2011"
    assert diversion["evidence"].endswith("battlefield capture")
    rec = chain[chain["step"] == "recovery"]
    assert rec["place"].tolist() == ["NER / Tillabéri / Ayorou", "MLI / Gao / Ansongo"]
    assert rec["record_id"].tolist() == ["ner:1", "mli:1"]
    assert chain["place"].iloc[3] == "LBY -> NER -> MLI"
    # the two records agree on manufacture: one row with both as evidence
    assert chain.loc[0, "record_id"] == "ner:1;mli:1"
    with pytest.raises(InvalidParameterError, match="'nope'"):
        custody_chain(six, "nope")


def _same_weapon_twice(year_b=None) -> pd.DataFrame:
    """One AKM reported by Niger (year marked) and by Mali (no year, model)."""
    return pd.DataFrame(
        {
            "record_id": ["ner:7", "mli:7"],
            "country": ["NER", "MLI"],
            "seized_on": pd.to_datetime(["2019-04-02", "2017-11-20"]),
            "make": ["Kalashnikov", None],
            "model": [None, "AKM"],
            "country_of_manufacture": ["RUS", "RUS"],
            "year_of_manufacture": pd.array([1978, year_b], dtype="Int64"),
        }
    )


WEAPON_LINK = pd.DataFrame({"left": ["ner:7"], "right": ["mli:7"], "kind": ["weapon"]})


@pytest.mark.parametrize("asked", ["ner:7", "mli:7"])
def test_custody_one_manufacture_per_weapon_when_a_record_lacks_the_year(asked):
    chain = custody_chain(_same_weapon_twice(), asked, links=WEAPON_LINK)
    made = chain[chain["step"] == "manufacture"]
    assert len(made) == 1
    made = made.iloc[0]
    assert (made["when"], made["place"], made["party"]) == (
        "1978",
        "RUS",
        "Kalashnikov AKM",
    )
    assert made["date"] == pd.Timestamp("1978-01-01")
    assert set(made["record_id"].split(";")) == {"ner:7", "mli:7"}
    assert "record ner:7" in made["evidence"] and "record mli:7" in made["evidence"]
    assert "year from record ner:7" in made["evidence"]
    # recoveries by date, whichever record was asked about
    rec = chain[chain["step"] == "recovery"]
    assert rec["record_id"].tolist() == ["mli:7", "ner:7"]


def test_custody_records_that_disagree_keep_the_asked_record_and_say_so():
    items = _same_weapon_twice(year_b=1979)
    for asked, kept in (("ner:7", "1978"), ("mli:7", "1979")):
        chain = custody_chain(items, asked, links=WEAPON_LINK)
        made = chain[chain["step"] == "manufacture"]
        assert made["when"].tolist() == [kept]
        assert "records disagree on the year of manufacture" in made["evidence"].iloc[0]
    # unlinked, each record has its own chain
    assert custody_chain(items, "mli:7")["record_id"].tolist() == ["mli:7"] * 2


def test_custody_order_follows_the_sequence_and_recoveries_by_date():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "country": ["MLI", "NER"],
            "seized_on": pd.to_datetime(["2021-06-01", "2019-02-01"]),
            "country_of_manufacture": ["BGR", None],
            "year_of_manufacture": pd.array([2001, None], dtype="Int64"),
            "import_country": [None, "GNB"],
            "import_year": pd.array([None, 2004], dtype="Int64"),
        }
    )
    traces = pd.DataFrame(
        {
            "trace_id": ["t1"],
            "record_id": ["a"],
            "last_legal_holder": ["Army"],
            "last_legal_country": ["GNB"],
            "diversion_country": ["GNB"],
            "diversion_year": [2016],
        }
    )
    movements = pd.DataFrame(
        {
            "movement_id": ["m1", "m2", "m3"],
            "record_id": ["a", "a", "b"],
            "origin": ["BGR", "NER", "GNB"],
            "destination": ["GNB", "MLI", "NER"],
            "year": pd.array([2004, 2020, None], dtype="Int64"),
            "mode": ["export", "trafficking", "trafficking"],
        }
    )
    ds = Dataset(items=items, traces=traces, movements=movements)
    links = pd.DataFrame({"left": ["a"], "right": ["b"], "kind": ["weapon"]})
    chain = custody_chain(ds, "a", links=links)
    assert list(zip(chain["step"], chain["when"].fillna("?"), strict=True)) == [
        ("manufacture", "2001"),
        ("export", "2004"),  # the export movement (not invented from the mark)
        ("import", "2004"),
        ("last_legal_holder", "?"),
        ("diversion", "2016"),
        ("movement", "?"),  # undated movement: first of the post-diversion steps
        ("recovery", "2019-02-01"),
        ("movement", "2020"),  # between the two recoveries, by date
        ("recovery", "2021-06-01"),
    ]
    export = chain.iloc[1]
    assert export["place"] == "BGR -> GNB"
    assert "movement m1" in export["evidence"]
    assert "record b" not in export["evidence"]  # the mark names no exporter
    assert chain["date"].dropna().is_monotonic_increasing


def test_custody_never_invents_an_exporter_from_an_import_mark():
    items = pd.DataFrame(
        {
            "record_id": ["a"],
            "country_of_manufacture": ["CHN"],
            "import_country": ["LBY"],
            "import_year": pd.array([2004], dtype="Int64"),
        }
    )
    chain = custody_chain(items, "a")
    assert "export" not in chain["step"].tolist()
    imp = chain[chain["step"] == "import"].iloc[0]
    assert imp["place"] == "LBY" and "exporting state not recorded" in imp["evidence"]


@pytest.mark.parametrize(
    ("mode", "step"),
    [
        ("re-export", "export"),
        ("réexportation", "export"),
        ("export", "export"),
        ("unauthorised re-export", "movement"),
        ("retransfert non autorisé", "movement"),
        ("smuggling", "movement"),
    ],
)
def test_custody_plain_reexport_is_a_legal_transfer(mode, step):
    items = pd.DataFrame({"record_id": ["a"], "country": ["MLI"]})
    movements = pd.DataFrame(
        {
            "movement_id": ["m1"],
            "record_id": ["a"],
            "origin": ["FRA"],
            "destination": ["SEN"],
            "year": pd.array([2010], dtype="Int64"),
            "mode": [mode],
        }
    )
    chain = custody_chain(Dataset(items=items, movements=movements), "a")
    moved = chain[chain["place"] == "FRA -> SEN"]
    assert moved["step"].tolist() == [step]


@pytest.fixture(scope="module")
def sample():
    import iti_analytics as iti

    ds = iti.load_sample()
    return ds, iti.link_records(ds)


def test_custody_on_the_sample_weapon_without_year(sample):
    ds, links = sample
    weapon = links[links["kind"] == "weapon"]
    year = ds.items.set_index("record_id")["year_of_manufacture"]
    lacks = year.reindex(weapon["left"]).isna().to_numpy() != (
        year.reindex(weapon["right"]).isna().to_numpy()
    )
    assert lacks.any(), "the sample should have such a pair"
    left, right = weapon[lacks].iloc[0][["left", "right"]]
    known = left if pd.notna(year[left]) else right
    for rid in (left, right):
        chain = custody_chain(ds, rid, links=links)
        made = chain[chain["step"] == "manufacture"]
        assert len(made) == 1
        assert made["when"].iloc[0] == str(year[known])
        assert {left, right} <= set(made["record_id"].iloc[0].split(";"))
    # every linked weapon: one manufacture at most, dated steps in time order
    for rid in sorted(set(weapon["left"]))[:40]:
        chain = custody_chain(ds, rid, links=links)
        assert (chain["step"] == "manufacture").sum() <= 1, rid
        assert chain["date"].dropna().is_monotonic_increasing, rid


def test_graph_reuses_batches_already_found(six):
    found = batches(six, return_members=True)
    G = build_graph(six, batches=found)
    assert G.nodes["batch:B0001"]["evidence"].startswith("consecutive serials")
    H = build_graph(six, batches=found[1])
    assert H.nodes["batch:B0001"]["records"] == G.nodes["batch:B0001"]["records"]
    assert count_kinds(build_graph(six, batches=False))["nodes"].get("batch") is None


def test_callers_frames_are_not_modified():
    items = six_items()
    before = items.copy()
    build_graph(items)
    networks(items)
    batches(items)
    corridors(items)
    brokers(items)
    custody_chain(items, "mli:1")
    pd.testing.assert_frame_equal(items, before)


# ------------------------------------------------------------------ set aside


def _service_rifles() -> pd.DataFrame:
    # three police rifles of one consecutive run, logged in three unrelated
    # cases (ballistics), each case with its own suspect, plus one gang gun
    return pd.DataFrame(
        {
            "record_id": ["p1", "p2", "p3", "g1", "g2"],
            "seizure_id": ["c1", "c2", "c3", "c4", "c5"],
            "country": "BRA",
            "make": ["Imbel", "Imbel", "Imbel", "Taurus", "Taurus"],
            "model": ["IA2", "IA2", "IA2", "PT92", "PT92"],
            "serial": ["IM1001", "IM1002", "IM1004", "TA55", "TA77"],
            "actor": ["Suspect A", "Suspect B", "Suspect C", "Gang Z", "Gang Z"],
            "registered_owner": ["Polícia Militar"] * 3 + [None, None],
            "owner_type": ["police"] * 3 + [None, None],
        }
    )


def test_service_weapons_do_not_make_batches_or_networks():
    items = _service_rifles()
    found = batches(items)
    assert found.empty  # not a consignment: a police armoury
    aside = pd.DataFrame(found.attrs["set_aside"])
    assert sorted(aside["record_id"]) == ["p1", "p2", "p3"]
    assert aside["reason"].str.contains("registered state weapon").all()
    assert aside["reason"].str.contains("Polícia Militar").all()
    nets, members = networks(items, return_members=True)
    assert nets["seizures"].tolist() == [2]  # Gang Z only
    assert nets.loc[0, "linked_by"] == "1 actor"
    assert (
        members.set_index("record_id")
        .loc["p1", "set_aside"]
        .startswith("registered state weapon")
    )
    # without the owner, the same rifles are a serial run across three cases
    plain = _service_rifles().drop(columns=["registered_owner", "owner_type"])
    assert batches(plain)["items"].tolist() == [3]


def test_state_actor_is_set_aside_when_owner_columns_are_absent():
    items = _service_rifles().drop(columns=["registered_owner", "owner_type"])
    items["actor_type"] = ["state"] * 3 + [None, None]
    aside = pd.DataFrame(batches(items).attrs["set_aside"])
    assert sorted(aside["record_id"]) == ["p1", "p2", "p3"]
    assert (aside["reason"] == "held by a state body (actor_type 'state')").all()


def test_unregistered_rest_of_a_police_run_is_set_aside():
    # the Rio pattern: a run of rifles mostly registered to the Polícia
    # Militar, two of the run without an owner, in two unrelated cases
    items = _service_rifles()
    items.loc[3:4, ["make", "model", "serial", "actor"]] = [
        ["Imbel", "IA2", "IM1006", "Suspect D"],
        ["Imbel", "IA2", "IM1009", "Suspect E"],
    ]
    found = batches(items)
    assert found.empty
    aside = pd.DataFrame(found.attrs["set_aside"]).set_index("record_id")["reason"]
    assert aside["g1"] == (
        "in a serial run of state weapons (3 of 5 registered, Polícia Militar)"
    )
    assert networks(items).empty
    # a consignment with one police pistol in it stays a batch
    mixed = items.assign(owner_type=["police", None, None, None, None])
    assert batches(mixed)["items"].tolist() == [4]


def test_import_marking_on_an_unknown_make_is_no_batch():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "seizure_id": ["1", "2", "3", "4"],
            "item_kind": ["ammunition", "weapon", "ammunition", "weapon"],
            "import_country": "USA",
        }
    )
    assert batches(items).empty
    known = items.assign(make="Century Arms", item_kind="weapon")
    assert batches(known)["items"].tolist() == [4]


def test_one_weapon_seized_again_and_again_glues_nothing():
    # one pistol recorded in four cases (ballistics re-examinations), each case
    # with an unrelated item; the links say the four records are one weapon
    items = pd.DataFrame(
        {
            "record_id": ["w1", "w2", "w3", "w4", "x1", "x2"],
            "seizure_id": ["c1", "c2", "c3", "c4", "c1", "c5"],
            "make": ["Glock"] * 4 + ["Taurus", "Taurus"],
            "serial": ["GL5000"] * 4 + ["TA1", "TA2"],
            "serial_status": "intact",
            "actor": [None] * 4 + ["Gang Z", "Gang Z"],
        }
    )
    links = pd.DataFrame(
        {"left": ["w1", "w1", "w1"], "right": ["w2", "w3", "w4"], "kind": "weapon"}
    )
    nets, members = networks(items, links=links, return_members=True)
    assert nets["seizures"].tolist() == [2]  # c1 and c5 through Gang Z
    assert nets.loc[0, "same_weapon_pairs"] == 0
    reason = members.set_index("record_id").loc["w3", "set_aside"]
    assert reason == "one weapon (Glock GL5000) recorded in 4 seizures"
    assert sorted(nets.attrs["set_aside"]["record_id"]) == ["w1", "w2", "w3", "w4"]
    # a weapon recorded twice (a repeat report) still ties its two seizures
    two = networks(items.iloc[[0, 1]], links=links.iloc[[0]])
    assert two["same_weapon_pairs"].tolist() == [1]


def test_networks_accuracy_on_an_unseen_world():
    from sklearn.metrics import adjusted_rand_score

    from iti_analytics.samples import generate_world

    world = generate_world(4_000, seed=7)
    nets, members = networks(world.dataset, return_members=True)
    truth = world.truth.set_index("record_id")["network_id"]
    frame = members.assign(true=truth.reindex(members["record_id"]).to_numpy())
    frame = frame.drop_duplicates("seizure").dropna(subset=["network_id"])
    assert adjusted_rand_score(frame["true"], frame["network_id"]) >= 0.8
    # the component is what the old table reported; it is far coarser
    assert nets["component_seizures"].max() > nets["seizures"].max()
    assert nets["cohesion"].between(0, 1).all()


def test_a_graph_sets_aside_the_same_records_as_the_dataset():
    # one police pistol logged in two unrelated cases (ballistics): its two
    # records are the same weapon, and must not join the two cases
    items = pd.DataFrame(
        {
            "record_id": ["p1", "p2", "x1", "x2"],
            "seizure_id": ["c1", "c2", "c1", "c2"],
            "country": "BRA",
            "item_kind": "weapon",
            "make": ["Taurus", "Taurus", "Rossi", "Glock"],
            "model": ["PT 100", "PT 100", None, "17"],
            "serial": ["SYB12345", "SYB12345", "AA1", "BB2"],
            "serial_status": "intact",
            "owner_type": ["police", "police", None, None],
            "registered_owner": ["Polícia Militar", "Polícia Militar", None, None],
        }
    )
    links = pd.DataFrame(
        {
            "left": ["p1"],
            "right": ["p2"],
            "kind": ["weapon"],
            "confidence": [1.0],
        }
    )
    G = build_graph(items, links=links)
    assert G.nodes["item:p1"]["set_aside"].startswith("registered state weapon")
    assert "set_aside" not in G.nodes["item:x1"]
    from_graph = networks(G, min_seizures=2)
    from_dataset = networks(items, links=links, min_seizures=2)
    assert from_graph.empty and from_dataset.empty
    assert sorted(from_graph.attrs["set_aside"]["record_id"]) == ["p1", "p2"]
    # without the owner the same link is evidence, and joins the two cases
    civil = items.drop(columns=["owner_type", "registered_owner"])
    assert networks(build_graph(civil, links=links))["seizures"].tolist() == [2]


def test_ammunition_of_one_lot_meets_at_a_lot_node():
    # a number written for ammunition is its lot: two seizures of one lot of
    # CBC 9 mm share a lot node, whether the number sits in lot or in serial
    items = pd.DataFrame(
        {
            "record_id": ["a-1", "a-2", "a-3"],
            "seizure_id": ["S1", "S2", "S3"],
            "item_kind": ["ammunition", "ammunition", "ammunition"],
            "make": ["CBC"] * 3,
            "calibre": ["9x19mm"] * 3,
            "serial": ["AHW55", None, "BXG60"],
            "lot": [None, "AHW55", None],
            "quantity": [50, 20, 10],
        }
    )
    G = build_graph(items)
    lots = {n: d["lot"] for n, d in G.nodes(data=True) if d.get("kind") == "lot"}
    assert sorted(lots.values()) == ["AHW55", "BXG60"]
    shared = next(n for n, lot in lots.items() if lot == "AHW55")
    assert G.nodes[shared]["items"] == 2
    assert sorted(G.predecessors(shared)) == ["item:a-1", "item:a-2"]
