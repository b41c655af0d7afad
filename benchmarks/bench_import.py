"""Benchmark: the cost of ``import iti_analytics`` against ``import pandas``.

Run ``python benchmarks/bench_import.py [--repeats N]``. Each import runs in a
fresh Python process (so nothing is cached in ``sys.modules``), alternating
the two so that load on the machine hits both alike; the figure is the median
wall time of the import statement itself, measured inside the child with
``time.perf_counter``. Also prints the time of a first real use
(``iti.read_items`` on a small CSV), which loads the stages the import no
longer loads up front.

Target (issue 14): ``import iti_analytics`` costs no more than importing pandas
itself, measured in the same run (ratio ≤ 1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import time
t = time.perf_counter()
import {module}
elapsed = time.perf_counter() - t
{after}
print(elapsed)
"""

_FIRST_USE = """
import warnings
warnings.simplefilter("ignore")
t2 = time.perf_counter()
iti_analytics.read_items({path!r})
print(time.perf_counter() - t2)
"""


def _run(module: str, after: str = "") -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = _CHILD.format(module=module, after=after)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    pandas, package, first_use = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "items.csv"
        csv.write_text("serial,make,pays\nAB123,Kalachnikov,Mali\n", encoding="utf-8")
        for _ in range(args.repeats):
            pandas.append(_run("pandas")[0])
            package.append(_run("iti_analytics")[0])
            first_use.append(_run("iti_analytics", _FIRST_USE.format(path=str(csv)))[0])
    p, i = statistics.median(pandas), statistics.median(package)
    print(f"repeats (fresh processes each): {args.repeats}")
    print(f"import pandas        median {p * 1000:8.1f} ms")
    print(f"import iti_analytics median {i * 1000:8.1f} ms")
    print(f"ratio iti_analytics / pandas: {i / p:.2f} (target <= 1)")
    u = statistics.median(first_use)
    print(f"first read_items after the import (loads the stages): {u * 1000:.0f} ms")


if __name__ == "__main__":
    main()
