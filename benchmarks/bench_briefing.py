"""Benchmark: a PDF briefing on 100,000 synthetic items.

Run ``python benchmarks/bench_briefing.py [n_items] [--breakdown]``. The world
comes from ``iti_analytics.samples.generate_world`` (not timed). Prints the
wall time of ``write_briefing`` in English (restricted) and in French
(shareable), the pages and size of each PDF and the peak memory; with
``--breakdown`` also the time of each step (analyses, sections with their
charts, PDF layout).

Target (issue 6): a briefing for 100,000 items in at most 30 s.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

TARGET_SECONDS = 30.0


def _peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def _pages(path: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a test extra
        return -1
    return len(PdfReader(str(path)).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_items", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--breakdown", action="store_true")
    args = parser.parse_args(argv)

    from iti_analytics.briefing import write_briefing
    from iti_analytics.samples import generate_world

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    world = generate_world(args.n_items, seed=args.seed)
    ds = world.dataset
    print(
        f"world: {len(ds.items):,} items, {len(ds.traces):,} traces, "
        f"{len(ds.movements):,} movements in {time.perf_counter() - t0:.1f} s "
        "(not timed)"
    )
    out = Path(tempfile.mkdtemp())
    worst = 0.0
    for language, audience, key in (
        ("en", "restricted", None),
        ("fr", "shareable", "bench-key"),
    ):
        path = out / f"briefing_{language}_{audience}.pdf"
        t = time.perf_counter()
        write_briefing(ds, path, language=language, audience=audience, key=key)
        wall = time.perf_counter() - t
        worst = max(worst, wall)
        print(
            f"write_briefing({language}, {audience}): {wall:5.1f} s, "
            f"{_pages(path)} pages, {path.stat().st_size / 1024:,.0f} KiB"
        )
    if args.breakdown:
        from iti_analytics.briefing._content import collect
        from iti_analytics.briefing._document import build_pdf
        from iti_analytics.briefing._i18n import Strings
        from iti_analytics.briefing._sections import story

        s = Strings("en")
        t = time.perf_counter()
        content = collect(ds)
        t1 = time.perf_counter()
        flowables = story(content, s)
        t2 = time.perf_counter()
        build_pdf(
            str(out / "breakdown.pdf"),
            flowables,
            s,
            classification="RESTRICTED",
            audience="restricted",
            date_text="",
            running_title="",
            title="",
            subject="",
        )
        t3 = time.perf_counter()
        print(
            f"  analyses {t1 - t:.1f} s, sections and charts {t2 - t1:.1f} s, "
            f"PDF layout {t3 - t2:.1f} s"
        )
    print(f"peak memory: {_peak_mb():,.0f} MB")
    ok = worst <= TARGET_SECONDS
    print(
        f"target: <= {TARGET_SECONDS:.0f} s per briefing -> "
        f"{'OK' if ok else 'TOO SLOW'} ({worst:.1f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
