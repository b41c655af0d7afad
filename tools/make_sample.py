"""Regenerate the bundled sample world in ``iti_analytics/sample_data``.

Run from the repository root::

    python tools/make_sample.py

Deterministic: the world is ``generate_world(3000, seed=0)``; the script writes
its canonical tables and truth as Parquet and the agencies' messy files
(``police_fr.csv``, ``customs_en.xlsx``, ``army.json``, ``traces.csv``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from iti_analytics.samples import SAMPLE_ITEMS, SAMPLE_SEED, generate_world

OUT = Path(__file__).resolve().parents[1] / "iti_analytics" / "sample_data"


def main(out: Path = OUT) -> int:
    out.mkdir(parents=True, exist_ok=True)
    world = generate_world(SAMPLE_ITEMS, seed=SAMPLE_SEED)
    ds = world.dataset
    tables = {
        "items": ds.items,
        "traces": ds.traces,
        "actors": ds.actors,
        "movements": ds.movements,
        "truth": world.truth,
        "diversion_points": world.diversion_points,
        "batches": world.batches,
        "networks": world.networks,
        "actor_truth": world.actor_truth,
    }
    for name, frame in tables.items():
        frame.to_parquet(out / f"{name}.parquet", index=False, compression="zstd")
    world.write_sources(out)
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    files = len(list(out.iterdir()))
    print(f"{world!r}\nwrote {files} files, {total / 1e6:.2f} MB to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
