"""Benchmark: batches, graph and networks on 1,000,000 synthetic items.

Run ``python benchmarks/bench_network.py [n_items] [--fallback]``. The items come
from ``iti_analytics.samples.generate_world`` (or, with ``--fallback`` or when
the samples module is missing, from the vectorised generator below). Prints
the wall and CPU time of each step and the peak memory of the process.

Target (issue 3): linkage + graph + networks + batches on 1,000,000 items in
at most 120 s and 8 GB. All four steps run here, in one process, and the total
is printed (``--no-linkage`` skips ``link_records``; its accuracy against Splink
is measured by ``bench_linkage.py``).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
import pandas as pd

COUNTRIES = [
    "NER",
    "MLI",
    "BFA",
    "NGA",
    "TCD",
    "LBY",
    "SDN",
    "CMR",
    "SEN",
    "GHA",
    "CIV",
    "GIN",
    "MRT",
    "DZA",
    "BEN",
]
MAKES = [
    ("Kalashnikov", "AKM", "assault_rifle", "7.62x39mm"),
    ("Norinco", "Type 56", "assault_rifle", "7.62x39mm"),
    ("Zastava", "M70", "assault_rifle", "7.62x39mm"),
    ("FN Herstal", "FAL", "rifle", "7.62x51mm"),
    ("Heckler & Koch", "G3", "rifle", "7.62x51mm"),
    ("Beretta", "92", "pistol", "9x19mm"),
    ("Glock", "17", "pistol", "9x19mm"),
    ("Baikal", "IZH-43", "shotgun", "12ga"),
    ("Degtyarev", "PKM", "machine_gun", "7.62x54mmR"),
    ("Bazalt", "RPG-7", "rocket_launcher", "40mm"),
]


def make_items(n_items: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Vectorised synthetic items and traces (fallback when samples is absent)."""
    rng = np.random.default_rng(seed)
    n = n_items
    n_seizures = max(1, n // 3)
    seizure = rng.integers(0, n_seizures, n)
    s_country = rng.integers(0, len(COUNTRIES), n_seizures)
    s_admin = rng.integers(0, 6, n_seizures)
    s_loc = rng.integers(0, 40, n_seizures)
    country = np.array(COUNTRIES, dtype=object)[s_country[seizure]]
    admin1 = np.char.add("R", s_admin[seizure].astype(str)).astype(object)
    locality = np.char.add("L", (s_admin * 100 + s_loc)[seizure].astype(str)).astype(
        object
    )
    base_lat = rng.uniform(5, 30, len(COUNTRIES))
    base_lon = rng.uniform(-15, 25, len(COUNTRIES))
    lat = base_lat[s_country[seizure]] + (s_loc[seizure] % 7) * 0.3
    lon = base_lon[s_country[seizure]] + (s_loc[seizure] // 7) * 0.3
    day0 = np.datetime64("2015-01-01")
    s_day = rng.integers(0, 3650, n_seizures)
    seized_on = (day0 + s_day[seizure]).astype("datetime64[s]")
    n_actors = max(1, n // 20)
    s_actor = rng.integers(0, n_actors, n_seizures)
    has_actor = rng.random(n_seizures) < 0.5
    actor = np.where(
        has_actor[seizure],
        np.char.add("Actor ", s_actor[seizure].astype(str)).astype(object),
        None,
    )
    # one actor holding 10% of items (a state armoury, a big group)
    big = rng.random(n) < 0.1
    actor[big] = "Armed Group Zero"
    kind = np.where(rng.random(n) < 0.8, "weapon", "ammunition").astype(object)
    m = rng.integers(0, len(MAKES), n)
    makes = np.array([x[0] for x in MAKES], dtype=object)[m]
    models = np.array([x[1] for x in MAKES], dtype=object)[m]
    cats = np.array([x[2] for x in MAKES], dtype=object)[m]
    cals = np.array([x[3] for x in MAKES], dtype=object)[m]
    year = rng.integers(1960, 2015, n)
    serial_no = rng.integers(100000, 999999, n)
    # consignments: 5% of weapons in runs of ~10 consecutive serials
    in_batch = (rng.random(n) < 0.05) & (kind == "weapon")
    idx = np.flatnonzero(in_batch)
    n_b = max(1, len(idx) // 10)
    b = rng.integers(0, n_b, len(idx))
    b_make = rng.integers(0, len(MAKES), n_b)
    b_start = rng.integers(100000, 999000, n_b)
    b_year = rng.integers(1960, 2015, n_b)
    m[idx] = b_make[b]
    makes[idx] = np.array([x[0] for x in MAKES], dtype=object)[b_make[b]]
    models[idx] = np.array([x[1] for x in MAKES], dtype=object)[b_make[b]]
    serial_no[idx] = b_start[b] + rng.integers(0, 30, len(idx))
    year[idx] = b_year[b]
    prefix = np.array(
        ["AK", "NC", "ZA", "FN", "HK", "B", "G", "IZ", "PK", "RP"], dtype=object
    )[m]
    serial = np.char.add(prefix.astype(str), serial_no.astype(str)).astype(object)
    serial[kind == "ammunition"] = None
    lot = np.where(
        kind == "ammunition",
        np.char.add("LOT-", rng.integers(0, 3000, n).astype(str)).astype(object),
        None,
    )
    headstamp = np.where(
        kind == "ammunition",
        np.char.add("539 ", rng.integers(70, 99, n).astype(str)).astype(object),
        None,
    )
    has_route = rng.random(n) < 0.3
    origin = np.where(
        has_route, np.array(COUNTRIES, dtype=object)[rng.integers(0, 15, n)], None
    )
    transit = np.where(
        has_route & (rng.random(n) < 0.5),
        np.array(COUNTRIES, dtype=object)[rng.integers(0, 15, n)],
        None,
    )
    items = pd.DataFrame(
        {
            "record_id": np.char.add("src:", np.arange(n).astype(str)),
            "seizure_id": np.char.add("S", seizure.astype(str)),
            "source": "src",
            "status": "seized",
            "seized_on": seized_on,
            "country": country,
            "admin1": admin1,
            "locality": locality,
            "lat": lat,
            "lon": lon,
            "item_kind": kind,
            "category": np.where(kind == "weapon", cats, None),
            "make": makes,
            "model": models,
            "calibre": cals,
            "serial": serial,
            "serial_status": np.where(serial == None, "absent", "intact"),  # noqa: E711
            "year_of_manufacture": year,
            "lot": lot,
            "headstamp": headstamp,
            "actor": actor,
            "origin_country": origin,
            "transit_countries": transit,
        }
    )
    traced = np.flatnonzero(rng.random(n) < 0.05)
    traces = pd.DataFrame(
        {
            "trace_id": np.char.add("T", np.arange(len(traced)).astype(str)),
            "record_id": items["record_id"].to_numpy()[traced],
            "requested_party": np.array(COUNTRIES, dtype=object)[
                rng.integers(0, 15, len(traced))
            ],
            "outcome": np.where(rng.random(len(traced)) < 0.5, "traced", "not_traced"),
            "diversion_country": np.array(COUNTRIES, dtype=object)[
                rng.integers(0, 15, len(traced))
            ],
            "diversion_year": rng.integers(2000, 2015, len(traced)),
            "last_legal_holder": np.char.add(
                "Stock ", rng.integers(0, 200, len(traced)).astype(str)
            ),
        }
    )
    return {"items": items, "traces": traces}


def _peak_gb() -> float:
    """Peak resident memory of this process so far, in GB (Linux: ru_maxrss KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


class _Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float]] = []

    def __call__(self, name: str, fn, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.rows.append((name, wall, cpu, _peak_gb()))
        print(
            f"{name:<28} {wall:8.1f} s wall {cpu:8.1f} s cpu"
            f"   peak {_peak_gb():5.2f} GB",
            flush=True,
        )
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_items", nargs="?", type=int, default=1_000_000)
    parser.add_argument(
        "--fallback",
        action="store_true",
        help="use the generator of this file, not samples",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-linkage", action="store_true", help="skip link_records")
    args = parser.parse_args(argv)

    from iti_analytics.dataset import as_dataset
    from iti_analytics.network import batches, build_graph, count_kinds, networks

    timer = _Timer()
    print(f"iti_analytics network benchmark, {args.n_items:,} items")
    generate = None
    if not args.fallback:
        try:
            from iti_analytics.samples import generate_world as generate
        except ImportError:
            generate = None
    if generate is not None:
        world = timer("generate_world", generate, args.n_items, args.seed)
        ds = world.dataset
    else:
        made = timer("make_items (fallback)", make_items, args.n_items, args.seed)
        ds = as_dataset(made)
    base = _peak_gb()
    links = None
    if not args.no_linkage:
        from iti_analytics.linkage import link_records

        links = timer("link_records", link_records, ds)
        print(f"  {len(links):,} links")
    table, members = timer("batches", batches, ds, return_members=True)
    G = timer("build_graph", build_graph, ds, batches=(table, members), links=links)
    kinds = count_kinds(G)
    print(f"  graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    print(f"  nodes {kinds['nodes']}")
    print(f"  edges {kinds['edges']}")
    nets = timer("networks (ds, louvain)", networks, ds, batch_members=members)
    big = nets.iloc[0] if len(nets) else None
    print(f"  {len(table):,} batches; {len(nets):,} networks", end="")
    if big is not None:
        print(
            f", largest {int(big['seizures']):,} seizures "
            f"({big['community_method']}, component of "
            f"{int(big['component_seizures']):,} seizures)"
        )
    else:
        print()
    steps = [
        r
        for r in timer.rows
        if r[0] in ("link_records", "batches", "build_graph", "networks (ds, louvain)")
    ]
    total_wall = sum(r[1] for r in steps)
    total_cpu = sum(r[2] for r in steps)
    print(
        f"linkage + batches + graph + networks: {total_wall:.1f} s wall, "
        f"{total_cpu:.1f} s cpu;"
        f" peak {_peak_gb():.2f} GB ({_peak_gb() - base:+.2f} GB over the data)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
