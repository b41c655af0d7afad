"""What every ``iti`` subcommand shares: Command, errors, notes, data input."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..exceptions import ITIError, MappingError

__all__ = [
    "PROG",
    "KEY_VARIABLE",
    "SAMPLE_FILES",
    "Command",
    "UsageError",
    "guess_table",
    "notes_on_stderr",
    "note",
    "add_dataset_input",
    "open_dataset",
    "load_files",
    "sample_paths",
    "write_frame",
    "positive_int",
    "capacity",
    "add_audience",
    "audience_key",
]

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


class UsageError(ITIError, ValueError):
    """A command-line usage problem: a missing or bad option (exit code 2)."""


@dataclass(frozen=True)
class Command:
    """One ``iti`` subcommand.

    A new subcommand is a ``Command`` in its own module of
    :mod:`iti_analytics.cli`, added to :data:`iti_analytics.cli.COMMANDS`.

    Attributes
    ----------
    name : str
        The word after ``iti``.
    help : str
        One line shown by ``iti --help``.
    description : str
        The paragraph shown by ``iti <name> --help`` (with examples).
    add_arguments : callable
        ``add_arguments(parser)`` declares the options.
    run : callable
        ``run(args, out)`` does the job, writes results to ``out`` (notes and
        progress go to standard error) and returns the exit code.
    """

    name: str
    help: str
    description: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO], int]


# --------------------------------------------------------------------------- notes


def note(message: str) -> None:
    """Print ``note: <message>`` on one line of standard error."""
    line = f"note: {' '.join(str(message).split())}"
    if getattr(sys.stderr, "isatty", lambda: False)():
        from tqdm.auto import tqdm  # keeps a progress bar intact

        tqdm.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """``warnings.showwarning`` for the command line: the package's own as notes.

    Warnings of iti_analytics (data left out of an indicator, a plan shorter
    than the capacity...) are for the analyst; other libraries' deprecation
    chatter is not, and is dropped.
    """
    if category.__module__.split(".")[0] == "iti_analytics":
        note(str(message))


@contextmanager
def notes_on_stderr() -> Iterator[None]:
    """Within the block, warnings reach the terminal as one-line notes.

    Never a Python warning line with a file path: each warning of the package
    prints once as ``note: …``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = _show_warning
        yield


# --------------------------------------------------------------------------- input


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


def sample_paths() -> list[tuple[Path, str]]:
    """The bundled messy sample files, each with the table it holds."""
    from ..samples import sample_files

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


def add_dataset_input(p: argparse.ArgumentParser) -> None:
    """The DATA... and --sample arguments of the analysis commands."""
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


def add_capacity(p: argparse.ArgumentParser, *, purpose: str = "") -> None:
    """The --capacity argument: a count of requests or a share, as in plan_tracing."""
    p.add_argument(
        "--capacity",
        type=capacity,
        default=50,
        metavar="N",
        help="trace requests the unit can send: a number (50) or a share of the "
        "traceable items (0.1 or 10%%), as in plan_tracing"
        + (f"; {purpose}" if purpose else "")
        + " (default 50)",
    )


def open_dataset(args: argparse.Namespace):
    """The Dataset named on the command line (folder, files or --sample)."""
    from ..dataset import Dataset
    from ..samples import load_sample

    if args.sample and args.data:
        raise UsageError("give DATA or --sample, not both")
    if args.sample:
        return load_sample()
    if not args.data:
        raise UsageError("give DATA (a dataset folder or source files) or --sample")
    if len(args.data) == 1 and Path(args.data[0]).is_dir():
        return Dataset.read_parquet(args.data[0])
    return load_files([(Path(d), guess_table(d)) for d in args.data], {})[0]


def _file_bar(files: list, desc: str):
    """Iterate ``files`` with a tqdm bar when there are several, on a terminal."""
    if len(files) < 2 or not sys.stderr.isatty():
        return files
    from tqdm.auto import tqdm

    return tqdm(files, desc=desc, unit="file", leave=False, file=sys.stderr)


#: fewest canonical fields a file of records matches (unless a mapping is given).
MIN_FIELDS = 3

_NOT_RECORDS_HINT = (
    "If it is a matrix of counts (State of source × State of recovery, such as "
    "ATF's tables), read it with iti_analytics.read_flow_matrix(path); a data "
    "dictionary or a document holds no records; if it holds another table, say "
    "which with --table (traces, actors, movements); if it is records with "
    "headers of your own, say which column is which with --mapping M.toml."
)

#: fields that do not count towards MIN_FIELDS.
_UNTELLING = frozenset({"notes", "source", "agency"})


def check_records(result: Any, path: Path) -> None:
    """Refuse a file that is not records: too few of its columns matched a field.

    A data dictionary, a document or a source × recovery matrix read as
    records would be "loaded" as rows of nothing; say what it looks like and
    what to use instead.
    """
    report = result.report
    matched = dict(report.mapping)
    extra = sum(str(c).startswith("x_") for c in result.table.columns)
    columns = len(matched) + extra
    # free text and provenance say nothing of a record by themselves
    telling = [f for f in matched.values() if f not in _UNTELLING]
    if telling and len(telling) >= min(MIN_FIELDS, columns):
        return
    found = ", ".join(f"{field} <- {header!r}" for header, field in matched.items())
    raise MappingError(
        f"{path.name} does not look like {report.table} records: only "
        f"{len(matched)} of its {columns} columns matched a field"
        f"{f' ({found})' if found else ''}, so nothing useful would be loaded. "
        f"{_NOT_RECORDS_HINT}"
    )


def load_files(
    files: list[tuple[Path, str]], read_kwargs: dict[str, Any], *, check: bool = True
):
    """Read each file into its table; return the Dataset and the LoadResults."""
    from .. import io as iti_io
    from ..dataset import Dataset

    readers = {
        "items": iti_io.read_items,
        "traces": iti_io.read_traces,
        "actors": iti_io.read_actors,
        "movements": iti_io.read_movements,
    }
    results: dict[str, list[Any]] = {t: [] for t in readers}
    loaded = []
    automatic = "mapping" not in read_kwargs
    for path, table in _file_bar(files, "Loading"):
        try:
            result = readers[table](path, **read_kwargs)
        except MappingError as err:
            if not automatic:
                raise
            raise MappingError(f"{err} {_NOT_RECORDS_HINT}") from err
        if check and automatic:
            check_records(result, Path(path))
        results[table].append(result)
        loaded.append(result)
    return Dataset(**{t: r or None for t, r in results.items()}), loaded


def write_frame(frame, path: Path, out: TextIO) -> None:
    """Write a table as CSV cells a spreadsheet cannot execute."""
    from .._privacy import csv_safe

    path.parent.mkdir(parents=True, exist_ok=True)
    csv_safe(frame).to_csv(path, index=False)
    print(f"Wrote {path}", file=out)


# --------------------------------------------------------------------------- options


def positive_int(text: str) -> int:
    """argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value}")
    return value


def capacity_or_none(text: str) -> float:
    """argparse type: like :func:`capacity`, and 0 switches the step off.

    Examples
    --------
    >>> capacity_or_none("0"), capacity_or_none("20")
    (0, 20)
    """
    return 0 if text.strip() in ("0", "0%") else capacity(text)


def capacity(text: str) -> float:
    """argparse type: a count of traces (50) or a share (0.1 or 10%).

    The same meaning as ``capacity`` in ``plan_tracing``: 1 or more is a whole
    number of trace requests, below 1 a share of the traceable items.

    Examples
    --------
    >>> capacity("50"), capacity("0.1"), capacity("10%")
    (50, 0.1, 0.1)
    """
    raw = text.strip()
    try:
        if raw.endswith("%"):
            value = float(raw[:-1]) / 100
            if not 0 < value <= 1:
                raise ValueError
            return value if value < 1 else 1.0
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a number of traces (50) nor a share of the "
            "traceable items (0.1 or 10%)"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    if value >= 1:
        if not value.is_integer():
            raise argparse.ArgumentTypeError(
                f"{text} traces: a number of traces is whole (a share lies between "
                "0 and 1, or is written as a percentage)"
            )
        return int(value)
    return value


def add_audience(p: argparse.ArgumentParser) -> None:
    """The --audience option of exports."""
    p.add_argument(
        "--audience",
        choices=["restricted", "shareable"],
        default="restricted",
        help="restricted keeps names and serials; shareable pseudonymises them "
        f"with the secret key in the {KEY_VARIABLE} environment variable",
    )


def audience_key(args: argparse.Namespace) -> str | None:
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
