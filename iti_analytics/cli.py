"""The ``iti`` command line: load agency files, make samples, rank, graph, brief.

One entry point, ``iti`` (also ``python -m iti_analytics``), with a subcommand
per job. Each subcommand is a :class:`Command` in :data:`COMMANDS`: a function
that adds its arguments and a function that runs it and returns the exit code.
A command whose module is not in this version exits 2 with a message saying so.

Exit codes: 0 done, 1 a data problem (any :class:`~iti_analytics.ITIError`,
such as an unreadable file), 2 a usage problem (bad option, missing argument,
command not available). Errors are printed on one line to standard error as
``iti: error: <message>``, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .exceptions import InvalidParameterError, ITIError

__all__ = ["main", "build_parser", "Command", "COMMANDS", "SAMPLE_FILES", "guess_table"]

PROG = "iti"

#: environment variable holding the secret key of ``--audience shareable``.
KEY_VARIABLE = "ITI_KEY"

#: the bundled messy sample files (in ``iti_analytics/sample_data``) and their table.
SAMPLE_FILES: dict[str, str] = {
    "police_fr.csv": "items",
    "customs_en.xlsx": "items",
    "army.json": "items",
    "traces.csv": "traces",
}

_TABLE_WORDS = (
    ("trace", "traces"),
    ("movement", "movements"),
    ("flow", "movements"),
    ("route", "movements"),
    ("actor", "actors"),
)


class UsageError(Exception):
    """A command-line usage problem (exit code 2)."""


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``iti: error: ...``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


@dataclass(frozen=True)
class Command:
    """One ``iti`` subcommand.

    Attributes
    ----------
    name : str
        The word after ``iti``.
    help : str
        One line shown by ``iti --help``.
    description : str
        The paragraph shown by ``iti <name> --help``.
    add_arguments : callable
        ``add_arguments(parser)`` declares the options.
    run : callable
        ``run(args, out)`` does the job, writes to ``out`` and returns the exit
        code.
    requires : tuple of str
        ``"module"`` or ``"module:attribute"`` that must exist in this version;
        otherwise the command exits 2 with "not available yet in this version".
    """

    name: str
    help: str
    description: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO], int]
    requires: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """The requirements this installation lacks (empty when available)."""
        return [r for r in self.requires if not _available(r)]


def _available(requirement: str) -> bool:
    module, _, attribute = requirement.partition(":")
    try:
        if importlib.util.find_spec(module) is None:
            return False
    except ModuleNotFoundError:
        return False
    if not attribute:
        return True
    try:
        return hasattr(importlib.import_module(module), attribute)
    except ImportError:
        return False


def build_parser() -> argparse.ArgumentParser:
    """The ``iti`` argument parser, with one subparser per :data:`COMMANDS` entry.

    Examples
    --------
    >>> parser = build_parser()
    >>> args = parser.parse_args(["sample", "--out", "world", "--items", "500"])
    >>> args.command, args.items, args.out
    ('sample', 500, 'world')
    """
    from . import __version__

    parser = _Parser(
        prog=PROG,
        description=(
            "Analytics for tracing illicit small arms and light weapons: load "
            "seizure and trace records from several agencies into one canonical "
            "dataset, rank what to trace, map the network and write briefings."
        ),
        epilog=(
            "Start with `iti load --sample` to see the bundled sample files loaded. "
            "Exit codes: 0 ok, 1 data problem, 2 usage problem."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        p = sub.add_parser(
            command.name,
            help=command.help,
            description=command.description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(p)
        p.set_defaults(_command=command)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run ``iti`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``iti``.
    out : text stream, optional
        Where results go (default: standard output). Errors and progress bars
        always go to standard error.

    Returns
    -------
    int
        0 done, 1 data problem, 2 usage problem.

    Examples
    --------
    >>> main(["frobnicate"])
    2
    """
    out = sys.stdout if out is None else out
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:  # --help and --version
            return int(exit_.code or 0)
        except UsageError as err:
            raise UsageError(_point_to_command_help(str(err), argv)) from None
        command: Command | None = getattr(args, "_command", None)
        if command is None:
            parser.print_help(out)
            return 2
        missing = command.missing()
        if missing:
            raise UsageError(
                f"`{PROG} {command.name}` is not available yet in this version "
                f"(it needs {', '.join(missing)})."
            )
        return int(command.run(args, out) or 0)
    except UsageError as err:
        _error(str(err))
        return 2
    except InvalidParameterError as err:
        _error(str(err))
        return 2
    except ITIError as err:
        _error(str(err))
        return 1
    except OSError as err:  # unreadable or unwritable path, full disk, ...
        if isinstance(err, BrokenPipeError):  # `iti ... | head`: stop quietly
            _silence_stdout()
            return 0
        _error(_os_message(err))
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _point_to_command_help(message: str, argv: list[str]) -> str:
    """Name the subcommand's --help in errors the top parser reports for it."""
    names = {c.name for c in COMMANDS}
    command = next((a for a in argv if not a.startswith("-")), None)
    generic = f"(see `{PROG} --help`)"
    if command in names and message.endswith(generic):
        return message[: -len(generic)] + f"(see `{PROG} {command} --help`)"
    return message


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout
        pass


def _error(message: str) -> None:
    one_line = " ".join(str(message).split())
    print(f"{PROG}: error: {one_line}", file=sys.stderr)


def _os_message(err: OSError) -> str:
    where = f" {err.filename!r}" if err.filename else ""
    return f"cannot use{where}: {err.strerror or err}. Check the path and permissions."


# --------------------------------------------------------------------------- helpers


def guess_table(path: str | os.PathLike[str]) -> str:
    """The canonical table a file probably holds, from its name.

    ``…trace…`` → traces, ``…movement…``/``…flow…``/``…route…`` → movements,
    ``…actor…`` → actors, anything else → items.

    Examples
    --------
    >>> guess_table("data/traces_2023.csv"), guess_table("police_fr.csv")
    ('traces', 'items')
    """
    name = Path(path).name.lower()
    for word, table in _TABLE_WORDS:
        if word in name:
            return table
    return "items"


def _progress(items: list, desc: str, unit: str = "file"):
    """Iterate ``items`` with a tqdm bar when stderr is a terminal."""
    if len(items) < 2 or not sys.stderr.isatty():
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=unit, leave=False, file=sys.stderr)


def _sample_paths() -> list[tuple[Path, str]]:
    """The bundled messy sample files, each with the table it holds."""
    try:
        from .samples import sample_files
    except ImportError:
        from importlib import resources

        folder = resources.files("iti_analytics") / "sample_data"
        paths = [Path(str(folder / name)) for name in SAMPLE_FILES]
    else:
        paths = list(sample_files().values())
    missing = [p.name for p in paths if not p.is_file()]
    if missing or not paths:
        raise ITIError(
            f"The bundled sample files {missing} are missing from this installation "
            f"({paths[0].parent if paths else 'iti_analytics/sample_data'}). "
            "Reinstall iti_analytics, or generate a sample world with "
            "`iti sample --out DIR` and load its files."
        )
    return [(p, SAMPLE_FILES.get(p.name, guess_table(p))) for p in paths]


def _add_dataset_input(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "data",
        nargs="*",
        metavar="DATA",
        help="a folder written by `iti load --out`, or source files to load "
        "(tables guessed from the file names)",
    )
    p.add_argument(
        "--sample", action="store_true", help="use the bundled synthetic sample"
    )


def _open_dataset(args: argparse.Namespace):
    """The Dataset named on the command line (folder, files or --sample)."""
    from .dataset import Dataset

    if args.sample and args.data:
        raise UsageError("give DATA or --sample, not both")
    if args.sample:
        try:
            from .samples import load_sample
        except ImportError:
            load_sample = None
        if load_sample is not None:
            return load_sample()
        return _load_files(_sample_paths(), {})[0]
    if not args.data:
        raise UsageError("give DATA (a dataset folder or source files) or --sample")
    if len(args.data) == 1 and Path(args.data[0]).is_dir():
        return Dataset.read_parquet(args.data[0])
    return _load_files([(Path(d), guess_table(d)) for d in args.data], {})[0]


def _load_files(files: list[tuple[Path, str]], read_kwargs: dict[str, Any]):
    """Read each file into its table; return the Dataset and the LoadResults."""
    from . import io as iti_io
    from .dataset import Dataset

    readers = {
        "items": iti_io.read_items,
        "traces": iti_io.read_traces,
        "actors": iti_io.read_actors,
        "movements": iti_io.read_movements,
    }
    results: dict[str, list[Any]] = {t: [] for t in readers}
    loaded = []
    for path, table in _progress(files, "Loading"):
        result = readers[table](path, **read_kwargs)
        results[table].append(result)
        loaded.append(result)
    return Dataset(**{t: r or None for t, r in results.items()}), loaded


def _write_frame(frame, path: Path, out: TextIO) -> None:
    """Write a table as CSV cells a spreadsheet cannot execute."""
    try:
        from ._privacy import csv_safe
    except ImportError:  # pragma: no cover - shipped with the package
        safe = frame
    else:
        safe = csv_safe(frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe.to_csv(path, index=False)
    print(f"Wrote {path}", file=out)


# --------------------------------------------------------------------------- load


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
        files = _sample_paths()
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
    ds, results = _load_files(files, read_kwargs)

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


# --------------------------------------------------------------------------- sample


def _sample_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    p.add_argument(
        "--items",
        type=_positive_int,
        default=3000,
        metavar="N",
        help="number of items in the world (default 3000)",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed (default 0)"
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value}")
    return value


def _run_sample(args: argparse.Namespace, out: TextIO) -> int:
    from .samples import generate_world

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


# --------------------------------------------------------------------------- rank


def _rank_arguments(p: argparse.ArgumentParser) -> None:
    _add_dataset_input(p)
    p.add_argument(
        "--capacity",
        type=_positive_int,
        default=50,
        metavar="N",
        help="how many trace requests the unit can send (default 50)",
    )
    p.add_argument(
        "--strategy", default="risk", help="risk, ease, random or comprehensive"
    )
    p.add_argument("-o", "--output", metavar="FILE.csv", help="write the plan as CSV")


def _run_rank(args: argparse.Namespace, out: TextIO) -> int:
    from .tracing import plan_tracing

    ds = _open_dataset(args)
    plan = plan_tracing(ds, capacity=args.capacity, strategy=args.strategy)
    if args.output:
        _write_frame(plan, Path(args.output), out)
    else:
        print(plan.to_string(index=False), file=out)
    return 0


# --------------------------------------------------------------------------- graph


def _graph_arguments(p: argparse.ArgumentParser) -> None:
    _add_dataset_input(p)
    p.add_argument(
        "--format",
        choices=["gexf", "graphml"],
        default="gexf",
        help="file format (gexf for Gephi, graphml; default gexf)",
    )
    p.add_argument(
        "-o", "--output", metavar="FILE", help="output file (default network.<format>)"
    )
    p.add_argument(
        "--seizures",
        action="store_true",
        help="seizure level: items folded into their seizure (far fewer nodes)",
    )
    p.add_argument(
        "--min-seizures",
        type=int,
        metavar="N",
        help="keep actors, batches and lots seen in N seizures or more, and the "
        "seizures they tie",
    )
    p.add_argument(
        "--kinds",
        nargs="+",
        metavar="KIND",
        help="node kinds to keep (item, seizure, actor, place, lot, batch, trace, "
        "diversion_point)",
    )
    _add_audience(p)


def _add_audience(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--audience",
        choices=["restricted", "shareable"],
        default="restricted",
        help="restricted keeps names and serials; shareable pseudonymises them "
        f"with the secret key in the {KEY_VARIABLE} environment variable",
    )


def _audience_key(args: argparse.Namespace) -> str | None:
    """The pseudonymisation key for ``--audience shareable`` (from the environment)."""
    if args.audience != "shareable":
        return None
    key = os.environ.get(KEY_VARIABLE)
    if not key:
        raise UsageError(
            f"--audience shareable needs a secret key to pseudonymise names and "
            f"serials: set the {KEY_VARIABLE} environment variable (keep the same "
            "key to get the same pseudonyms in every output)"
        )
    return key


def _run_graph(args: argparse.Namespace, out: TextIO) -> int:
    from . import network

    key = _audience_key(args)
    ds = _open_dataset(args)
    graph = network.build_graph(ds)
    if args.seizures or args.min_seizures is not None or args.kinds:
        graph = network.subgraph(
            graph,
            seizures=args.seizures,
            min_seizures=args.min_seizures,
            kinds=args.kinds,
        )
    path = Path(args.output or f"network.{args.format}")
    writer = getattr(network, f"to_{args.format}", None)
    if writer is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(graph, path, audience=args.audience, key=key)
    elif args.audience == "restricted":  # pragma: no cover - exports ship with network
        _write_graph(graph, path, args.format)
    else:  # pragma: no cover
        raise UsageError("shareable graph exports are not available in this version")
    print(
        f"Wrote {path} ({graph.number_of_nodes():,} nodes, "
        f"{graph.number_of_edges():,} edges; audience {args.audience})",
        file=out,
    )
    return 0


def _write_graph(graph: Any, path: Path, fmt: str) -> None:  # pragma: no cover
    """Write with networkx after making every attribute a plain value."""
    import networkx as nx

    def plain(attrs: dict) -> dict:
        clean = {}
        for key, value in attrs.items():
            if value is None or (
                not isinstance(value, str | list | tuple | dict) and _is_missing(value)
            ):
                continue
            if isinstance(value, bool | int | float | str):
                clean[key] = value
            else:
                clean[key] = str(value)
        return clean

    g = graph.__class__()
    g.add_nodes_from((n, plain(d)) for n, d in graph.nodes(data=True))
    if graph.is_multigraph():
        g.add_edges_from(
            (u, v, k, plain(d)) for u, v, k, d in graph.edges(keys=True, data=True)
        )
    else:
        g.add_edges_from((u, v, plain(d)) for u, v, d in graph.edges(data=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gexf":
        nx.write_gexf(g, path)
    else:
        nx.write_graphml(g, path)


def _is_missing(value: Any) -> bool:  # pragma: no cover
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- indicators


def _indicators_arguments(p: argparse.ArgumentParser) -> None:
    _add_dataset_input(p)
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write each indicator table as CSV into DIR instead of printing",
    )


def _run_indicators(args: argparse.Namespace, out: TextIO) -> int:
    from . import indicators

    ds = _open_dataset(args)
    tables = {
        "sdg_16_4_2": indicators.sdg_16_4_2(ds),
        "trace_performance": indicators.trace_performance(ds),
    }
    for name, frame in tables.items():
        if args.out:
            _write_frame(frame, Path(args.out) / f"{name}.csv", out)
        else:
            print(f"{name}\n{frame.to_string(index=False)}\n", file=out)
    return 0


# --------------------------------------------------------------------------- brief


def _brief_arguments(p: argparse.ArgumentParser) -> None:
    _add_dataset_input(p)
    p.add_argument(
        "--lang", choices=["en", "fr"], default="en", help="language (default en)"
    )
    p.add_argument(
        "--audience",
        choices=["restricted", "shareable"],
        default="restricted",
        help="restricted (default) shows actor names and serial numbers; shareable "
        "shows none: actors become keyed pseudonyms when the secret key is in the "
        f"{KEY_VARIABLE} environment variable, and are only counted otherwise",
    )
    p.add_argument(
        "--capacity",
        type=_positive_int,
        default=50,
        metavar="N",
        help="trace requests the unit can send: size of the tracing plan (default 50)",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help="reporting period: a year (2024), a quarter (2024Q3) or a month "
        "(2024-06); default: the 12 months to the last recovery",
    )
    p.add_argument("--title", help="title of the first page")
    p.add_argument(
        "-o", "--output", metavar="FILE.pdf", required=True, help="the PDF to write"
    )


def _run_brief(args: argparse.Namespace, out: TextIO) -> int:
    from .briefing import write_briefing

    if not str(args.output).lower().endswith(".pdf"):
        raise UsageError(
            f"-o {args.output!r} must name a PDF file (ending in .pdf), for example "
            "-o briefing.pdf"
        )
    key = (
        (os.environ.get(KEY_VARIABLE) or None) if args.audience == "shareable" else None
    )
    ds = _open_dataset(args)
    path = write_briefing(
        ds,
        args.output,
        language=args.lang,
        audience=args.audience,
        capacity=args.capacity,
        key=key,
        period=args.period,
        title=args.title,
    )
    note = ""
    if args.audience == "shareable":
        note = (
            "; actors pseudonymised with the key in " + KEY_VARIABLE
            if key
            else f"; actors counted only (set {KEY_VARIABLE} for pseudonyms)"
        )
    print(
        f"Wrote {path} ({args.lang}, {args.audience}, tracing capacity "
        f"{args.capacity}{note})",
        file=out,
    )
    return 0


# --------------------------------------------------------------------------- registry

#: the ``iti`` subcommands, in the order ``iti --help`` lists them.
COMMANDS: list[Command] = [
    Command(
        "load",
        "read agency files into the canonical dataset and report what was found",
        "Read each FILE (CSV, XLSX, JSON, Parquet), map its columns to the canonical\n"
        "fields, normalise values and print what was loaded, rejected and flagged.\n"
        "Nothing is dropped: bad values become null and are listed as issues.\n\n"
        "examples:\n"
        "  iti load --sample\n"
        "  iti load police.csv customs.xlsx traces.csv --out dataset/\n"
        "  iti load seizures.csv --mapping seizures.toml --dayfirst",
        _load_arguments,
        _run_load,
        ("iti_analytics.io",),
    ),
    Command(
        "sample",
        "generate a synthetic world with messy source files and ground truth",
        "Generate a synthetic world (diversion points, batches, routes, seizures,\n"
        "trace requests) and write its messy source files, the canonical dataset\n"
        "(Parquet) and the ground truth (truth.csv) into DIR.\n\n"
        "example:\n"
        "  iti sample --out world/ --items 3000 --seed 1",
        _sample_arguments,
        _run_sample,
        ("iti_analytics.samples:generate_world",),
    ),
    Command(
        "rank",
        "say which seizures to trace first under a given capacity, and why",
        "Rank the items to trace under a capacity and print the plan with reasons.\n\n"
        "example:\n"
        "  iti rank dataset/ --capacity 50",
        _rank_arguments,
        _run_rank,
        ("iti_analytics.tracing:plan_tracing",),
    ),
    Command(
        "graph",
        "export the network of items, seizures, actors and places",
        "Build the network of the dataset and write it for Gephi (GEXF) or GraphML.\n\n"
        "example:\n"
        "  iti graph dataset/ --format gexf -o network.gexf",
        _graph_arguments,
        _run_graph,
        ("iti_analytics.network:build_graph",),
    ),
    Command(
        "indicators",
        "compute SDG 16.4.2 and trace-performance indicators",
        "Compute SDG indicator 16.4.2 by country and year and the performance of\n"
        "trace requests by requested party.\n\n"
        "example:\n"
        "  iti indicators dataset/ --out indicators/",
        _indicators_arguments,
        _run_indicators,
        (
            "iti_analytics.indicators:sdg_16_4_2",
            "iti_analytics.indicators:trace_performance",
        ),
    ),
    Command(
        "brief",
        "write a PDF briefing (English or French)",
        "Write a briefing PDF on the dataset.\n\n"
        "example:\n"
        "  iti brief --sample --lang fr -o briefing.pdf",
        _brief_arguments,
        _run_brief,
        ("iti_analytics.briefing:write_briefing",),
    ),
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
