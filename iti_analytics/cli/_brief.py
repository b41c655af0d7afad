"""``iti brief``: a PDF briefing on a dataset, in English or French."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from ._common import (
    KEY_VARIABLE,
    Command,
    UsageError,
    add_capacity,
    add_dataset_input,
    open_dataset,
)

__all__ = ["BRIEF"]


def _brief_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_input(p)
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
        "--name-parties",
        action="store_true",
        help="name the States and other parties asked next to how they answer, "
        "also in a shareable briefing (by default a shareable briefing numbers "
        "them: naming States as unresponsive works against cooperation)",
    )
    add_capacity(p, purpose="the size of the tracing plan")
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
    from ..briefing import write_briefing

    if not str(args.output).lower().endswith(".pdf"):
        raise UsageError(
            f"-o {args.output!r} must name a PDF file (ending in .pdf), for example "
            "-o briefing.pdf"
        )
    key = (
        (os.environ.get(KEY_VARIABLE) or None) if args.audience == "shareable" else None
    )
    ds = open_dataset(args)
    path = write_briefing(
        ds,
        args.output,
        language=args.lang,
        audience=args.audience,
        capacity=args.capacity,
        key=key,
        period=args.period,
        title=args.title,
        name_parties=True if args.name_parties else None,
    )
    notes = []
    if args.audience == "shareable":
        notes.append(
            "actors pseudonymised with the key in " + KEY_VARIABLE
            if key
            else f"actors counted only (set {KEY_VARIABLE} for pseudonyms)"
        )
        if not args.name_parties:
            notes.append("parties numbered, not named (--name-parties names them)")
    print(
        f"Wrote {path} ({args.lang}, {args.audience}, tracing capacity "
        f"{args.capacity}{''.join('; ' + n for n in notes)})",
        file=out,
    )
    return 0


BRIEF = Command(
    "brief",
    "write a PDF briefing (English or French)",
    "Write a briefing PDF on the dataset: key figures, seizures, networks, the\n"
    "tracing plan, trace operations, SDG 16.4.2 and data quality. A period with\n"
    "no data is refused.\n\n"
    "examples:\n"
    "  iti brief --sample -o briefing.pdf\n"
    "  iti brief dataset/ --lang fr --period 2024 --audience shareable -o note.pdf",
    _brief_arguments,
    _run_brief,
)
