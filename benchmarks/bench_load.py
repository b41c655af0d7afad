"""Benchmark: load and normalize 1,000,000 messy item rows vs a bare pyarrow read.

Run ``python benchmarks/bench_load.py [--rows N] [--keep DIR]``. The script

1. writes a messy French-police-style CSV of ``--rows`` item records into a
   temporary folder (dates dd/mm/yyyy, countries in four languages, weapon types,
   makes under several aliases, calibres, serials with "effacé"/"limé" words,
   quantities like "3 pcs", oui/non booleans, coordinates out of range, a few
   blank and separator-only lines);
2. times ``pd.read_csv(path, engine="pyarrow")`` and
   ``iti_analytics.io.read_items(path)`` on that file, each in its own
   subprocess so that the peak resident memory (``ru_maxrss``) of each is
   measured alone;
3. prints both times (wall and CPU: user + system), their ratios (target: at
   most 5x) and the peak memory of each (issue 14 target: ours at most 3x the
   bare read's).

On a shared, noisy machine use ``--repeat N``: bare and ours run back to back
N times, in turns (each goes first as often), and the medians are reported.
``--order grouped`` runs each kind N times in a row instead, after one
untimed run of the same kind: every timed process then follows one of its own
kind. On this VM a process is slower right after another kind has run (the
bare read after ours, ours after the bare read), so the two orders bracket
the ratio.
``--csv PATH`` reuses a file written before (``--keep``). ``--baseline TREE``
also times ``read_items`` from another source tree in the same runs;
``--baseline-env NAME=VALUE`` runs that baseline (by default this tree) with
environment variables set, e.g. numpy's ``NUMPY_MADVISE_HUGEPAGE=0``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

COLUMNS: dict[str, list[str]] = {
    "N° PV": [],  # generated
    "Date de saisie": [],  # generated
    "Service": ["Gendarmerie", "Police nationale", "Douanes", "DGSN", "FANSI"],
    "Pays": [
        "Côte d'Ivoire",
        "Tchad",
        "RCA",
        "République centrafricaine",
        "RDC",
        "Soudan du Sud",
        "Niger",
        "Mali",
        "Burkina Faso",
        "Cameroun",
        "Cameroon",
        "Nigéria",
        "Libye",
        "Soudan",
        "Chad",
        "CIV",
        "ML",
        "Atlantis",
        "",
    ],
    "Région": ["Nord", "Sud-Ouest", "Ouaddaï", "Tillabéri", "Mopti", "Est", ""],
    "Localité": [
        "Abéché",
        "Bangui, PK5",
        "Gao",
        "Diffa",
        "Kousseri",
        "Bouaké",
        "Goma",
        "",
    ],
    "Nature": ["arme", "Arme", "ARME", "munitions", "pièce", "arme", "arme"],
    "Type d'arme": [
        "fusil d'assaut",
        "pistolet",
        "PISTOLA",
        "revolver",
        "AK-47",
        "pistolet-mitrailleur",
        "mitrailleuse lourde",
        "lance-roquettes",
        "fusil de chasse",
        "escopeta",
        "Kalachnikov",
        "FUZIL",
        "",
        "autres",
    ],
    "Marque": [
        "Norinco",
        "China North Industries",
        "Izhmash",
        "Kalashnikov Concern",
        "FN",
        "FN Herstal",
        "Fabrique Nationale",
        "Taurus",
        "IMBEL",
        "Zastava",
        "Arsenal",
        "Glock",
        "Beretta",
        "inconnu",
        "NORINCO",
        "",
    ],
    "Modèle": ["AKM", "Type 56", "G3", "FAL", "Glock 17", "PT92", "RPG-7", "PKM", ""],
    "Calibre": [
        "7,62x39",
        "7.62 × 39 mm",
        "7.62x54R",
        "9mm Parabellum",
        "9x19 NATO",
        "12 GA",
        "cal. 12",
        ".38 SPL",
        "12,7x108",
        "40mm",
        "5.56x45",
        "",
    ],
    "N° de série": [],  # generated
    "Pays de fabrication": [
        "URSS",
        "Chine",
        "Russie",
        "Belgique",
        "Brésil",
        "EUA",
        "Yougoslavie",
        "Tchécoslovaquie",
        "RDA",
        "Estados Unidos",
        "Alemanha",
        "",
        "",
        "",
    ],
    "Année de fabrication": [],  # generated
    "Marquage d'importation": ["oui", "non", "Oui", "x", "1", "0", "sim", "não", ""],
    "Quantité": ["1", "1", "1", "2", "3 pcs", "250", "-1", "", "1"],
    "Statut": ["saisie", "trouvée", "remise volontaire", "volée", "Saisie"],
    "Contexte": ["crime", "conflit", "frontière", "stock", "autre"],
    "Latitude": [],  # generated
    "Longitude": [],  # generated
    "Observations": [
        "",
        "",
        "RAS",
        "arme remise, en mauvais état",
        "voir PV, scellé n°3",
        "",
    ],
}

SERIAL_WORDS = ["effacé", "limé", "XXXX", "raspado", "sans numéro", "ilegível", ""]


def write_messy_items(path: Path, rows: int, seed: int = 7) -> Path:
    """Write ``rows`` messy item records to ``path`` (UTF-8, comma-separated)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    for name, pool in COLUMNS.items():
        if pool:
            picks = rng.integers(0, len(pool), rows)
            cols[name] = np.asarray(pool, dtype=object)[picks]
    pv = rng.integers(0, rows // 3 + 1, rows).astype(str)
    cols["N° PV"] = np.char.add("PV-", pv)
    day = rng.integers(1, 32, rows)
    month = rng.integers(1, 13, rows)
    year = rng.integers(2012, 2025, rows)
    dates = pd.Series(
        [f"{d:02d}/{m:02d}/{y}" for d, m, y in zip(day, month, year, strict=True)]
    )
    cols["Date de saisie"] = dates.to_numpy(dtype=object)
    serial = rng.integers(0, 10**7, rows).astype(str)
    prefix = np.asarray(["", "AK-", "N° ", "sn ", "12-"], dtype=object)
    serial = prefix[rng.integers(0, len(prefix), rows)] + serial.astype(object)
    words = rng.random(rows) < 0.08
    serial[words] = np.asarray(SERIAL_WORDS, dtype=object)[
        rng.integers(0, len(SERIAL_WORDS), int(words.sum()))
    ]
    cols["N° de série"] = serial
    yom = rng.integers(1950, 2030, rows).astype(str).astype(object)
    yom[rng.random(rows) < 0.3] = ""
    cols["Année de fabrication"] = yom
    lat = np.round(rng.uniform(-5, 25, rows), 4).astype(str).astype(object)
    lat[rng.random(rows) < 0.001] = "123.5"
    lon = np.round(rng.uniform(-15, 35, rows), 4).astype(str).astype(object)
    cols["Latitude"] = lat
    cols["Longitude"] = lon
    ordered = {name: cols[name] for name in COLUMNS}
    table = pa.table({k: pa.array(v, type=pa.string()) for k, v in ordered.items()})
    pacsv.write_csv(
        table, path, write_options=pacsv.WriteOptions(quoting_style="needed")
    )
    with open(path, "ab") as fh:  # messy ends: a blank and a separator-only line
        fh.write(b"\n" + b"," * (len(COLUMNS) - 1) + b"\n")
    return path


#: the 11 columns of a plain French police export (``--shape police11``)
POLICE11 = [
    "N° PV",
    "Date de saisie",
    "Service",
    "Région",
    "Localité",
    "Type d'arme",
    "Marque",
    "Modèle",
    "Calibre",
    "N° de série",
    "Statut",
]


def write_police_export(path: Path, rows: int, seed: int = 11) -> Path:
    """An 11-column French police export whose serials are nearly all distinct.

    About 110 bytes a row: seizure numbers, dd/mm/yyyy dates, a handful of
    services, places, types, makes, models and calibres, and serials such as
    ``"TN 4829173"`` or ``"AB-00912833"`` (a million rows hold about 950,000
    distinct serials), with 3% of rows repeated by a second agency.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    for name in POLICE11:
        pool = COLUMNS.get(name) or {
            "Service": COLUMNS["Service"],
            "Statut": COLUMNS["Statut"],
        }.get(name)
        if pool:
            cols[name] = np.asarray(pool, dtype=object)[
                rng.integers(0, len(pool), rows)
            ]
    cols["N° PV"] = np.char.add(
        "PV/", rng.integers(0, rows // 2 + 1, rows).astype(str)
    ).astype(object)
    day = rng.integers(1, 29, rows).astype(str)
    month = rng.integers(1, 13, rows).astype(str)
    year = rng.integers(2010, 2026, rows).astype(str)
    cols["Date de saisie"] = (
        np.char.add(
            np.char.add(
                np.char.add(np.char.zfill(day, 2), "/"),
                np.char.add(np.char.zfill(month, 2), "/"),
            ),
            year,
        )
    ).astype(object)
    letters = np.array(list("ABCDEFGHKLMNPRSTUVWXYZ"))
    prefix = np.char.add(
        letters[rng.integers(0, len(letters), rows)],
        letters[rng.integers(0, len(letters), rows)],
    )
    sep = np.asarray(["", " ", "-", "/"])[rng.integers(0, 4, rows)]
    digits = np.char.zfill(rng.integers(0, 10**8, rows).astype(str), 7)
    serial = np.char.add(np.char.add(prefix, sep), digits).astype(object)
    words = rng.random(rows) < 0.04
    serial[words] = np.asarray(SERIAL_WORDS, dtype=object)[
        rng.integers(0, len(SERIAL_WORDS), int(words.sum()))
    ]
    cols["N° de série"] = serial
    repeat = np.flatnonzero(rng.random(rows) < 0.03)
    source = rng.integers(0, rows, len(repeat))
    for name in POLICE11:
        cols[name][repeat] = cols[name][source]
    frame = pd.DataFrame({k: cols[k] for k in POLICE11})
    frame.to_csv(path, index=False)  # quotes only the cells that need it
    return path


def _cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(kind: str, path: str) -> None:
    import resource

    import pandas as pd

    cpu = _cpu()
    if kind == "bare":
        start = time.perf_counter()
        df = pd.read_csv(path, engine="pyarrow")
        seconds = time.perf_counter() - start
        rows = len(df)
    else:
        from iti_analytics.io import read_items

        cpu = _cpu()
        start = time.perf_counter()
        res = read_items(path, progress=False)
        seconds = time.perf_counter() - start
        rows = res.report.rows_in
    cpu = _cpu() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": peak_kib / 1024}
        )
    )


def _run_child(
    kind: str, path: Path, tree: Path | None = None, extra: dict | None = None
) -> dict:
    """One measure in a fresh process; ``tree``: import iti_analytics from there;
    ``extra``: environment variables set for that process only."""
    env = None
    if tree is not None or extra:
        env = dict(os.environ, **(extra or {}))
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir() if tree is not None else None,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="write the CSV here")
    parser.add_argument(
        "--shape",
        choices=["messy22", "police11"],
        default="messy22",
        help="messy22: 22 messy columns (issue 2); police11: an 11-column police "
        "export with high-cardinality serials (issue 14)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians")
    parser.add_argument("--csv", type=Path, default=None, help="reuse this file")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="also time read_items from this source tree (e.g. a checkout of main), "
        "in the same runs",
    )
    parser.add_argument(
        "--baseline-env",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help="run the baseline with these environment variables (with no "
        "--baseline, the baseline is this tree: e.g. NUMPY_MADVISE_HUGEPAGE=0 "
        "measures numpy's huge-page switch against the default)",
    )
    parser.add_argument(
        "--order",
        choices=["turns", "grouped"],
        default="turns",
        help="turns: bare, ours (and baseline) take turns at going first; grouped: "
        "each kind runs --repeat times in a row after one untimed run of its own",
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help="internal")
    args = parser.parse_args(argv)
    extra = dict(pair.split("=", 1) for pair in args.baseline_env)
    baseline = args.baseline
    if baseline is None and extra:
        baseline = Path(__file__).resolve().parents[1]
    if args.child:
        _child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        if args.csv is not None:
            path = args.csv
        else:
            folder = args.keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{args.shape}_items.csv"
            start = time.perf_counter()
            write = (
                write_police_export if args.shape == "police11" else write_messy_items
            )
            write(path, args.rows)
            print(
                f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in "
                f"{time.perf_counter() - start:.1f} s"
            )
        runs: list[tuple[dict, dict]] = []
        base_runs: list[dict] = []
        kinds = ["bare", "load"] + (["base"] if baseline is not None else [])

        def run(kind: str) -> dict:
            if kind == "base":
                return _run_child("load", path, baseline, extra)
            return _run_child(kind, path)

        if args.order == "grouped":
            timed = {}
            for kind in kinds:
                run(kind)  # untimed: the first process after another kind
                timed[kind] = [run(kind) for _ in range(args.repeat)]
                print(
                    f"{kind}: "
                    + ", ".join(
                        f"{r['seconds']:.2f} s wall {r['cpu']:.2f} s CPU"
                        for r in timed[kind]
                    )
                )
            runs = list(zip(timed["bare"], timed["load"], strict=True))
            base_runs = timed.get("base", [])
        for i in range(args.repeat if args.order == "turns" else 0):
            # the order turns from run to run: on this VM the process that
            # runs right after another has freed its memory is slower (3-4 %
            # with the same code in both slots), so no one slot may always
            # come after the bare read
            got = {}
            for kind in kinds[i % len(kinds) :] + kinds[: i % len(kinds)]:
                got[kind] = run(kind)
            bare, load = got["bare"], got["load"]
            runs.append((bare, load))
            if baseline is not None:
                base_runs.append(got["base"])
            if args.repeat > 1:
                print(
                    f"run {i + 1}: bare {bare['seconds']:.2f} s wall "
                    f"{bare['cpu']:.2f} s CPU; ours {load['seconds']:.2f} s wall "
                    f"{load['cpu']:.2f} s CPU; ratio "
                    f"{load['seconds'] / bare['seconds']:.1f}x wall "
                    f"{load['cpu'] / bare['cpu']:.1f}x CPU"
                    + (
                        f"; baseline {base_runs[-1]['seconds']:.2f} s wall "
                        f"{base_runs[-1]['cpu']:.2f} s CPU"
                        if base_runs
                        else ""
                    )
                )
    med = {
        (kind, key): float(np.median([run[k][key] for run in runs]))
        for k, kind in enumerate(("bare", "load"))
        for key in ("seconds", "cpu", "peak_mb")
    }
    rows = runs[0][1]["rows"]
    label = "median of " + str(len(runs)) + " runs, " if len(runs) > 1 else ""
    print(
        f"bare pd.read_csv(engine='pyarrow'): {med['bare', 'seconds']:.2f} s wall, "
        f"{med['bare', 'cpu']:.2f} s CPU (peak {med['bare', 'peak_mb']:.0f} MB)"
    )
    print(
        f"iti read_items (read+map+normalize): {med['load', 'seconds']:.2f} s wall, "
        f"{med['load', 'cpu']:.2f} s CPU (peak {med['load', 'peak_mb']:.0f} MB, "
        f"rows_in {rows:,})"
    )
    wall = float(np.median([b_l[1]["seconds"] / b_l[0]["seconds"] for b_l in runs]))
    cpu = float(np.median([b_l[1]["cpu"] / b_l[0]["cpu"] for b_l in runs]))
    memory = med["load", "peak_mb"] / med["bare", "peak_mb"]
    print(
        f"ratio ({label}target <= 5x): {wall:.1f}x wall, {cpu:.1f}x CPU; peak memory "
        f"{med['load', 'peak_mb'] / 1024:.2f} GB = {memory:.1f}x the bare read's "
        "(target <= 3x)"
    )
    if base_runs:
        base_wall = float(np.median([b["seconds"] for b in base_runs]))
        base_cpu = float(np.median([b["cpu"] for b in base_runs]))
        base_peak = float(np.median([b["peak_mb"] for b in base_runs]))
        ratio = float(
            np.median(
                [b["cpu"] / r[0]["cpu"] for b, r in zip(base_runs, runs, strict=True)]
            )
        )
        print(
            f"baseline read_items ({baseline}"
            + "".join(f", {k}={v}" for k, v in extra.items())
            + f"): {base_wall:.2f} s wall, "
            f"{base_cpu:.2f} s CPU (peak {base_peak:.0f} MB); {ratio:.1f}x the bare "
            f"read's CPU; ours/baseline CPU {med['load', 'cpu'] / base_cpu:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
