"""Benchmark: do the networks of ``networks()`` match the true receivers?

Run ``python benchmarks/bench_network_accuracy.py [--seeds 1 2 3] [--items N]``.
For each seed, a world of ``iti_analytics.samples.generate_world`` (the
package's generator, with seeds it was not tuned on: the sample is seed 0) is
built, ``networks(world.dataset)`` is run with its defaults, and each seizure
is compared with the true receiver of its items (``truth.network_id``):

- **ARI, seizures in networks**: adjusted Rand index of seizure -> network
  over the seizures ``networks`` puts in a network (the ones a user sees);
- **ARI, all seizures**: the same over every seizure, a lone seizure (one that
  shares nothing with any other) counted as its own network;
- **ARI, components**: what reporting connected components would give;
- the share of seizures placed in a network, and the seconds taken.

The worst case over the seeds is printed last.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd
from sklearn.metrics import adjusted_rand_score


def score(world, **options) -> dict[str, float]:
    """ARI figures of one world (see the module docstring)."""
    from iti_analytics.network import networks

    start = time.perf_counter()
    _, members = networks(world.dataset, return_members=True, **options)
    seconds = time.perf_counter() - start
    truth = world.truth.set_index("record_id")["network_id"]
    frame = members.assign(
        true=truth.reindex(members["record_id"]).to_numpy()
    ).drop_duplicates("seizure")
    inside = frame["network_id"].notna().to_numpy()
    alone = frame["network_id"].fillna(frame["seizure"])
    component = frame["component"].fillna(frame["seizure"])
    return {
        "ari_in_networks": adjusted_rand_score(
            frame["true"][inside], frame["network_id"][inside]
        ),
        "ari_all": adjusted_rand_score(frame["true"], alone),
        "ari_components": adjusted_rand_score(frame["true"], component),
        "share_in_networks": float(inside.mean()),
        "seizures": float(len(frame)),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args(argv)

    from iti_analytics.samples import generate_world

    rows = []
    for seed in args.seeds:
        world = generate_world(args.items, seed=seed)
        row = {"seed": seed, **score(world)}
        rows.append(row)
        print(
            f"seed {seed}: ARI in networks {row['ari_in_networks']:.3f}, "
            f"all seizures {row['ari_all']:.3f}, components "
            f"{row['ari_components']:.3f}; {row['share_in_networks']:.1%} of "
            f"{int(row['seizures']):,} seizures in networks; "
            f"{row['seconds']:.1f} s",
            flush=True,
        )
    table = pd.DataFrame(rows)
    worst = table.loc[table["ari_in_networks"].idxmin()]
    print(
        f"worst case: seed {int(worst['seed'])}, ARI in networks "
        f"{worst['ari_in_networks']:.3f} (all seizures: "
        f"{table['ari_all'].min():.3f} at worst)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
