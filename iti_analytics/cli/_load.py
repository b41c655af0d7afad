"""``iti load`` and ``iti sample``: agency files in, a canonical dataset out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ._common import (
    Command,
    UsageError,
    guess_table,
    load_files,
    positive_int,
    sample_paths,
)

__all__ = ["LOAD", "SAMPLE"]


def _load_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files", nargs="*", metavar="FILE", help="CSV, XLSX, JSON or Parquet"
    )
    p.add_argument(
        "--sample",
        action="store_true",
        help="load the bundled messy sample files (French police CSV, English "
        "customs XLSX, army JSON, trace requests)",
    )
    p.add_argument(
        "--table",
        choices=["auto", "items", "traces", "actors", "movements"],
        default="auto",
        help="canonical table the files hold (default auto: guessed from each file "
        "name: …trace… → traces, …movement…/…flow… → movements, …actor… → actors, "
        "else items)",
    )
    p.add_argument(
        "--mapping",
        metavar="M.toml",
        help="column mapping: a TOML file with a [columns] table {header = field}",
    )
    p.add_argument(
        "--source", metavar="S", help="source name (default: each file's name)"
    )
    dates = p.add_mutually_exclusive_group()
    dates.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        default=None,
        help="read ambiguous dates as day/month/year",
    )
    dates.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="read ambiguous dates as month/day/year (default: decided from the data)",
    )
    p.add_argument("--encoding", help="force a text encoding (default: detected)")
    p.add_argument("--sheet", help="Excel sheet name or number, or 'all'")
    p.add_argument("--delimiter", help="force the delimiter of text files")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write the canonical dataset as Parquet into DIR (read it back with "
        "Dataset.read_parquet or pass DIR to the other commands)",
    )


def _run_load(args: argparse.Namespace, out: TextIO) -> int:
    if args.sample and args.files:
        raise UsageError("give FILE... or --sample, not both")
    if not args.sample and not args.files:
        raise UsageError("give at least one FILE to load, or --sample")
    if args.sample:
        files = sample_paths()
    else:
        files = [
            (Path(f), guess_table(f) if args.table == "auto" else args.table)
            for f in args.files
        ]
    read_kwargs: dict[str, Any] = {}
    for name in ("mapping", "source", "dayfirst", "encoding", "delimiter"):
        value = getattr(args, name)
        if value is not None:
            read_kwargs[name] = value
    if args.sheet is not None:
        read_kwargs["sheet"] = int(args.sheet) if args.sheet.isdigit() else args.sheet
    ds, results = load_files(files, read_kwargs)

    for result in results:
        print(str(result.report), file=out)
        print(file=out)
    reports = [r.report for r in results]
    rows_in = sum(r.rows_in for r in reports)
    loaded = sum(r.rows_loaded for r in reports)
    rejected = sum(r.rows_rejected for r in reports)
    dups = sum(r.duplicates for r in reports)
    n_issues = sum(r.issues for r in reports)
    print(
        f"Total: {len(reports)} file{'s' if len(reports) != 1 else ''}, "
        f"{rows_in:,} rows in = {loaded:,} loaded + {rejected:,} rejected; "
        f"{dups:,} flagged as duplicates (kept); {n_issues:,} issues",
        file=out,
    )
    merged = len(ds.issues) - n_issues
    if merged > 0:
        print(
            f"Merging the files noted {merged:,} more issue(s) (shared ids renamed, "
            "traces pointing to unknown items); see the issues table.",
            file=out,
        )
    print(file=out)
    print(repr(ds), file=out)
    if args.out:
        folder = ds.to_parquet(args.out)
        print(
            f"Wrote the canonical dataset to {folder}/ (Parquet + dataset.json)",
            file=out,
        )
    return 0


LOAD = Command(
    "load",
    "read agency files into the canonical dataset and report what was found",
    "Read each FILE (CSV, XLSX, JSON, Parquet), map its columns to the canonical\n"
    "fields, normalise values and print what was loaded, rejected and flagged.\n"
    "Nothing is dropped: bad values become null and are listed as issues. A file\n"
    "whose columns hardly match any field (a data dictionary, a document, a\n"
    "source × recovery matrix) is refused with what to use instead.\n\n"
    "examples:\n"
    "  iti load --sample\n"
    "  iti load police.csv customs.xlsx traces.csv --out dataset/\n"
    "  iti load seizures.csv --mapping seizures.toml --dayfirst",
    _load_arguments,
    _run_load,
)


# --------------------------------------------------------------------------- sample


def _sample_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    p.add_argument(
        "--items",
        type=positive_int,
        default=3000,
        metavar="N",
        help="number of items in the world (default 3000)",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed (default 0)"
    )


def _run_sample(args: argparse.Namespace, out: TextIO) -> int:
    from ..samples import generate_world

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    world = generate_world(n_items=args.items, seed=args.seed)
    written = world.write_sources(folder)
    for path in written.values() if isinstance(written, dict) else written or []:
        print(f"Wrote {path}", file=out)
    canonical = world.dataset.to_parquet(folder / "canonical")
    print(f"Wrote the canonical dataset to {canonical}/", file=out)
    world.truth.to_parquet(folder / "truth.parquet", index=False)
    world.truth.to_csv(folder / "truth.csv", index=False)
    print(
        f"Wrote the ground truth to {folder / 'truth.parquet'} and truth.csv", file=out
    )
    print(file=out)
    print(repr(world.dataset), file=out)
    return 0


SAMPLE = Command(
    "sample",
    "generate a synthetic world with messy source files and ground truth",
    "Generate a synthetic world (diversion points, batches, routes, seizures,\n"
    "trace requests) and write its messy source files, the canonical dataset\n"
    "(Parquet) and the ground truth (truth.csv) into DIR.\n\n"
    "example:\n"
    "  iti sample --out world/ --items 3000 --seed 1",
    _sample_arguments,
    _run_sample,
)
