"""The ``iti`` command line: load agency files, make samples, rank, graph, brief.

One entry point, ``iti`` (also ``python -m iti_analytics``), with a subcommand
per job. Each subcommand is a :class:`Command` (a function that adds its
arguments and a function that runs it and returns the exit code) in a module
of this package, listed in :data:`COMMANDS`.

Exit codes: 0 done, 1 a data problem (any :class:`~iti_analytics.ITIError`,
such as an unreadable file or a file that is not records), 2 a usage problem
(bad option, missing argument, a period without data). Errors are printed on
one line to standard error as ``iti: error: <message>``, without a traceback;
warnings of the package as ``note: <message>``; progress bars appear on
standard error only when it is a terminal.

Adding a subcommand: write ``NAME = Command(name, help, description,
add_arguments, run)`` in a module of this package (``_requests.py`` for
``iti request`` and ``iti register``) and add it to :data:`COMMANDS` below.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from ..exceptions import InvalidParameterError, ITIError
from ._analyse import GRAPH, INDICATORS, RANK
from ._brief import BRIEF
from ._common import (
    KEY_VARIABLE,
    PROG,
    SAMPLE_FILES,
    Command,
    UsageError,
    guess_table,
    notes_on_stderr,
)
from ._load import LOAD, SAMPLE
from ._requests import REGISTER, REQUEST

__all__ = [
    "main",
    "build_parser",
    "Command",
    "COMMANDS",
    "UsageError",
    "KEY_VARIABLE",
    "SAMPLE_FILES",
    "guess_table",
]

#: the ``iti`` subcommands, in the order ``iti --help`` lists them.
COMMANDS: list[Command] = [
    LOAD,
    SAMPLE,
    RANK,
    GRAPH,
    INDICATORS,
    BRIEF,
    REQUEST,
    REGISTER,
]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``iti: error: ...``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    """The ``iti`` argument parser, with one subparser per :data:`COMMANDS` entry.

    Examples
    --------
    >>> parser = build_parser()
    >>> args = parser.parse_args(["sample", "--out", "world", "--items", "500"])
    >>> args.command, args.items, args.out
    ('sample', 500, 'world')
    """
    from .._version import __version__

    parser = _Parser(
        prog=PROG,
        description=(
            "Analytics for tracing illicit small arms and light weapons: load "
            "seizure and trace records from several agencies into one canonical "
            "dataset, rank what to trace, map the network and write briefings."
        ),
        epilog=(
            "Start with `iti brief --sample -o briefing.pdf`, or `iti load "
            "--sample` to see the bundled sample files loaded. "
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
        Where results go (default: standard output). Errors, notes and
        progress bars always go to standard error.

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
        with notes_on_stderr():
            return int(command.run(args, out) or 0)
    except (UsageError, InvalidParameterError) as err:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
