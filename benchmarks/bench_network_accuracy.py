"""Benchmark: do the networks of ``networks()`` match the true receivers?

Run ``python benchmarks/bench_network_accuracy.py [--seeds 1 2 3]
[--sizes 20000 200000] [--diagnose]``.
For each seed and world size, a world of ``iti_analytics.samples.generate_world``
(the package's generator, with seeds it was not tuned on: the sample is seed
0) is built, ``networks(world.dataset)`` is run with its defaults, and each
seizure is compared with the true receiver of its items
(``truth.network_id``):

- **ARI, seizures in networks**: adjusted Rand index of seizure -> network
  over the seizures ``networks`` puts in a network (the ones a user sees);
- **ARI, all seizures**: the same over every seizure, a lone seizure (one that
  shares nothing with any other) counted as its own network;
- **ARI, components**: what reporting connected components would give;
- the share of seizures placed in a network, and the seconds taken.

With ``--diagnose``, where the agreement is lost (over the seizures in
networks):

- **homogeneity / completeness** (``sklearn.metrics``): homogeneity below 1
  means networks that join several true receivers, completeness below 1 true
  receivers cut into several networks;
- **largest component**: its share of all seizures;
- **tie purity** per kind of shared thing (actor, batch, lot): of the
  (seizure, thing) ties of things shared by two seizures or more, the share
  whose seizure belongs to the thing's majority receiver (a name two
  receivers' members both bear, a batch passed on, lower it);
- **ARI, pure ties**: the connected components left when every shared thing
  is cut by true receiver, i.e. what a method that never followed a false tie
  could reach with the ties there are (an upper bound).

With ``--baseline``, the same worlds are also scored with
``resolution_scale=None`` (plain modularity at every size, the default before
the resolution limit was measured), in the same run.

With ``--unique-names``, each record's actor name gets its true actor's id
appended before ``networks`` runs, so that two persons never bear the same
name (spelling variants of one person still agree): the counterfactual of a
name catalogue large enough for the world. The generator draws persons' names
from 66 first x 70 last names (4,620), fewer than the persons of a
200,000-item world.

The worst case over the seeds is printed last, per size.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure


def _frame(world, members: pd.DataFrame) -> pd.DataFrame:
    """One row per seizure: its network, component and true receiver."""
    truth = world.truth.set_index("record_id")["network_id"]
    return members.assign(
        true=truth.reindex(members["record_id"]).to_numpy()
    ).drop_duplicates("seizure")


def score(world, **options) -> dict[str, float]:
    """ARI figures of one world (see the module docstring)."""
    return _score(world, diagnose=False, **options)


def _unique_names(world):
    """The world's dataset with every true actor's name made distinct."""
    from iti_analytics.dataset import as_dataset

    ds = as_dataset(world.dataset)
    items = ds.items
    actor_id = world.truth.set_index("record_id")["true_actor_id"]
    suffix = pd.Series(
        actor_id.reindex(items["record_id"]).to_numpy(), index=items.index
    ).astype("string")
    named = (items["actor"] + " " + suffix).fillna(items["actor"])
    return ds.replace(items=items.assign(actor=named))


def _score(
    world, *, diagnose: bool, unique_names: bool = False, **options
) -> dict[str, float]:
    from iti_analytics.network import networks

    data = _unique_names(world) if unique_names else world.dataset
    start = time.perf_counter()
    _, members = networks(data, return_members=True, **options)
    seconds = time.perf_counter() - start
    frame = _frame(world, members)
    inside = frame["network_id"].notna().to_numpy()
    alone = frame["network_id"].fillna(frame["seizure"])
    component = frame["component"].fillna(frame["seizure"])
    out = {
        "ari_in_networks": adjusted_rand_score(
            frame["true"][inside], frame["network_id"][inside]
        ),
        "ari_all": adjusted_rand_score(frame["true"], alone),
        "ari_components": adjusted_rand_score(frame["true"], component),
        "share_in_networks": float(inside.mean()),
        "seizures": float(len(frame)),
        "seconds": seconds,
    }
    if diagnose:
        out.update(_diagnose(data, frame, inside))
    return out


def _diagnose(data, frame: pd.DataFrame, inside: np.ndarray) -> dict[str, float]:
    """Homogeneity, completeness, tie purity and the pure-tie bound."""
    from iti_analytics.dataset import as_dataset
    from iti_analytics.network._tables import link_tables

    fi = frame[inside]
    hom, comp, _ = homogeneity_completeness_v_measure(fi["true"], fi["network_id"])
    sizes = frame["component"].value_counts()
    out = {
        "homogeneity": hom,
        "completeness": comp,
        "largest_component": float(sizes.iloc[0] / len(frame)) if len(sizes) else 0.0,
    }
    tables = link_tables(as_dataset(data))
    s_true = frame.set_index("seizure")["true"]
    hubs = tables.hubs.assign(true=s_true.reindex(tables.hubs["seizure"]).to_numpy())
    hubs = hubs[hubs["seizure"].isin(frame["seizure"])].drop_duplicates(
        ["seizure", "hub"]
    )
    hubs = hubs[hubs.groupby("hub")["seizure"].transform("size").to_numpy() >= 2]
    for via in ("actor", "batch", "lot"):
        h = hubs[hubs["via"] == via]
        majority = h.groupby(["hub", "true"]).size().groupby(level=0).max().sum()
        out[f"purity_{via}"] = float(majority / len(h)) if len(h) else float("nan")
    # every shared thing cut by true receiver; same-weapon pairs of one receiver
    index = pd.Index(frame["seizure"])
    n = len(index)
    thing = pd.factorize(hubs["hub"].astype(str) + "|" + hubs["true"].astype(str))[0]
    pairs = tables.pairs
    ta = s_true.reindex(pairs["seizure_a"]).to_numpy()
    tb = s_true.reindex(pairs["seizure_b"]).to_numpy()
    pairs = pairs[ta == tb]
    a = np.concatenate(
        [index.get_indexer(hubs["seizure"]), index.get_indexer(pairs["seizure_a"])]
    )
    b = np.concatenate([n + thing, index.get_indexer(pairs["seizure_b"])])
    ok = (a >= 0) & (b >= 0)
    size = n + (int(thing.max()) + 1 if len(thing) else 0)
    matrix = coo_matrix(
        (np.ones(int(ok.sum()), dtype=np.int8), (a[ok], b[ok])), shape=(size, size)
    )
    labels = connected_components(matrix, directed=False)[1][:n]
    out["ari_pure_ties"] = adjusted_rand_score(fi["true"], labels[inside])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument(
        "--sizes",
        "--items",
        type=int,
        nargs="+",
        default=[20_000],
        help="items of each world (several: one table per size)",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="also print homogeneity, completeness, tie purity, pure-tie bound",
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also score resolution_scale=None (plain modularity) in the same run",
    )
    parser.add_argument(
        "--unique-names",
        action="store_true",
        help="give every true actor a distinct name first (see the docstring)",
    )
    args = parser.parse_args(argv)

    from iti_analytics.samples import generate_world

    rows = []
    for items in args.sizes:
        for seed in args.seeds:
            world = generate_world(items, seed=seed)
            row = {
                "items": items,
                "seed": seed,
                **_score(world, diagnose=args.diagnose, unique_names=args.unique_names),
            }
            if args.baseline:
                base = _score(
                    world,
                    diagnose=False,
                    unique_names=args.unique_names,
                    resolution_scale=None,
                )
                row["baseline_ari_in_networks"] = base["ari_in_networks"]
                row["baseline_ari_all"] = base["ari_all"]
            rows.append(row)
            line = (
                f"{items:,} items, seed {seed}: ARI in networks "
                f"{row['ari_in_networks']:.3f}, all seizures {row['ari_all']:.3f}, "
                f"components {row['ari_components']:.3f}; "
                f"{row['share_in_networks']:.1%} of {int(row['seizures']):,} "
                f"seizures in networks; {row['seconds']:.1f} s"
            )
            if args.diagnose:
                line += (
                    f"\n    homogeneity {row['homogeneity']:.3f}, completeness "
                    f"{row['completeness']:.3f}, largest component "
                    f"{row['largest_component']:.1%} of seizures; tie purity: "
                    f"actor {row['purity_actor']:.3f}, batch "
                    f"{row['purity_batch']:.3f}, lot {row['purity_lot']:.3f}; "
                    f"ARI pure ties {row['ari_pure_ties']:.3f}"
                )
            if args.baseline:
                line += (
                    f"\n    resolution_scale=None: ARI in networks "
                    f"{row['baseline_ari_in_networks']:.3f}, all seizures "
                    f"{row['baseline_ari_all']:.3f}"
                )
            print(line, flush=True)
    table = pd.DataFrame(rows)
    for items, part in table.groupby("items", sort=False):
        worst = part.loc[part["ari_in_networks"].idxmin()]
        print(
            f"worst case, {items:,} items: seed {int(worst['seed'])}, ARI in "
            f"networks {worst['ari_in_networks']:.3f} (all seizures: "
            f"{part['ari_all'].min():.3f} at worst)"
        )
        if args.baseline:
            print(
                f"    worst ARI in networks with resolution_scale=None "
                f"{part['baseline_ari_in_networks'].min():.3f}; with connected "
                f"components {part['ari_components'].min():.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
