"""``iti request`` and ``iti register``: write trace requests, keep the register.

Bad options raise :class:`~iti_analytics.exceptions.InvalidParameterError`
(exit code 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ..exceptions import InvalidParameterError
from ..requests.words import LANGUAGES
from ._common import Command

__all__ = ["REQUEST", "REGISTER"]


def _request_arguments(p: argparse.ArgumentParser) -> None:
    _dataset_arguments(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--plan",
        type=int,
        metavar="N",
        help="request the first N items of the tracing plan (default 20)",
    )
    which.add_argument("--records", nargs="+", metavar="ID", help="record ids")
    p.add_argument(
        "--from",
        dest="requesting_state",
        required=True,
        metavar="STATE",
        help="ISO3 code of the requesting State",
    )
    p.add_argument("--to", metavar="PARTY", help="address every request to PARTY")
    p.add_argument("--channel", help="bilateral, interpol, regional or un_panel")
    p.add_argument("--lang", default="en", help=f"one of {', '.join(LANGUAGES)}")
    p.add_argument("--legal-basis", help="text of the legal basis (para. 17 a)")
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="write the PDF")
    p.add_argument(
        "--register",
        metavar="FILE",
        help="write the requests as register rows (.parquet, .json or .csv)",
    )


def _register_arguments(p: argparse.ArgumentParser) -> None:
    _dataset_arguments(p)
    p.add_argument(
        "--traces", metavar="FILE", help="a register file written by `iti request`"
    )
    show = p.add_mutually_exclusive_group()
    show.add_argument("--reminders", action="store_true", help="overdue requests")
    show.add_argument("--chains", action="store_true", help="one row per chain")
    show.add_argument(
        "--report", type=int, metavar="YEAR", help="national-report figures"
    )
    p.add_argument("--state", help="the reporting State for --report (ISO3)")
    p.add_argument("--as-of", help="review date for --reminders and --report")
    p.add_argument("--ack-days", type=int, default=30, help="local threshold (30)")
    p.add_argument("--answer-days", type=int, default=90, help="local threshold (90)")
    p.add_argument("--lang", default="en", help=f"one of {', '.join(LANGUAGES)}")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the table (.csv) or, with --report, the report (.pdf or .md)",
    )


def _dataset_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "data", nargs="?", metavar="DATASET", help="a folder written by `iti load`"
    )
    p.add_argument(
        "--sample", action="store_true", help="use the bundled synthetic sample"
    )


def _open(args: argparse.Namespace) -> Any:
    from ..dataset import Dataset

    if args.sample and args.data:
        raise InvalidParameterError("give DATASET or --sample, not both")
    if args.sample:
        from ..samples import load_sample

        return load_sample()
    if not args.data:
        raise InvalidParameterError("give DATASET (a dataset folder) or --sample")
    return Dataset.read_parquet(args.data)


def _read_register(path: str) -> pd.DataFrame:
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix == ".json":
        return pd.read_json(path, orient="records", dtype=False)
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=True)
    raise InvalidParameterError(
        f"{path}: a register file must end in .parquet, .json or .csv."
    )


def _write_rows(frame: pd.DataFrame, path: str, out: TextIO) -> None:
    from .._privacy import csv_safe

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = target.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(target, index=False)
    elif suffix == ".json":
        frame.to_json(target, orient="records", date_format="iso", force_ascii=False)
    elif suffix == ".csv":
        csv_safe(frame).to_csv(target, index=False)
    else:
        raise InvalidParameterError(
            f"{path}: write the register as .parquet (lossless), .json or .csv."
        )
    print(f"Wrote {target}", file=out)


def _run_request(args: argparse.Namespace, out: TextIO) -> int:
    import warnings

    from ..requests import trace_request, write_trace_requests
    from ..tracing import plan_tracing

    ds = _open(args)
    if args.records:
        ids: Any = args.records
    else:
        n = 20 if args.plan is None else args.plan
        if n < 1:
            raise InvalidParameterError("--plan must be 1 or more")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ids = plan_tracing(ds, capacity=n)
    req = trace_request(
        ds,
        ids,
        requesting_state=args.requesting_state,
        requested_party=args.to,
        language=args.lang,
        channel=args.channel,
        legal_basis=args.legal_basis,
    )
    shown = req[
        ["trace_id", "record_id", "requested_party", "channel", "complete", "missing"]
    ]
    print(shown.to_string(index=False), file=out)
    print(f"{int(req['complete'].sum())} of {len(req)} request(s) complete.", file=out)
    for row in req[~req["complete"].fillna(False)].itertuples(index=False):
        print(f"  {row.trace_id} ({row.record_id}) {row.to_fill}", file=out)
    if args.output:
        path = write_trace_requests(req, args.output)
        print(f"Wrote {path}", file=out)
    if args.register:
        _write_rows(req, args.register, out)
    return 0


def _run_register(args: argparse.Namespace, out: TextIO) -> int:
    from ..dataset import Dataset
    from ..requests import register, reminders, trace_chains

    ds = _open(args)
    if args.traces:
        ds = Dataset(
            items=ds.items,
            traces=_read_register(args.traces),
            actors=ds.actors,
            movements=ds.movements,
        )
    if args.report is not None:
        from ..reports import national_report

        rep = national_report(ds, args.report, state=args.state, as_of=args.as_of)
        print(rep.to_markdown(language=args.lang), file=out)
        if args.output:
            target = Path(args.output)
            if target.suffix.lower() == ".md":
                target.write_text(rep.to_markdown(language=args.lang), "utf-8")
            else:
                rep.write(target, language=args.lang)
            print(f"Wrote {target}", file=out)
        return 0
    if args.reminders:
        table = reminders(
            ds,
            as_of=args.as_of,
            acknowledge_within=args.ack_days,
            answer_within=args.answer_days,
            language=args.lang,
        )
        print(
            f"{len(table)} overdue request(s); thresholds: "
            f"{table.attrs['thresholds']}.",
            file=out,
        )
        shown = table[["trace_id", "requested_party", "days_open", "reminder"]]
    elif args.chains:
        table = trace_chains(ds)
        shown = table[["chain_id", "record_id", "steps", "parties", "outcome"]]
    else:
        table = register(ds)
        counts = table["stage"].value_counts()
        print(counts.rename("requests").to_string(), file=out)
        shown = table[["trace_id", "record_id", "requested_party", "stage", "step"]]
    if args.output:
        _write_rows(table, args.output, out)
    else:
        print(shown.to_string(index=False, max_colwidth=70), file=out)
    return 0


REQUEST = Command(
    "request",
    "write ITI trace requests (PDF, one page each) for planned items",
    (
        "Build one trace request per item with what ITI paragraph 17 asks for,\n"
        "say what is missing before sending, and write them as a PDF (one page\n"
        "each, in English, French or Spanish) and as register rows.\n\n"
        "examples:\n"
        "  iti request --sample --plan 50 --from NGA --lang fr -o requests.pdf\n"
        "  iti request dataset/ --records ARM-000006 ARM-000140 --from NER \\\n"
        "      --register register.parquet"
    ),
    _request_arguments,
    _run_request,
)

REGISTER = Command(
    "register",
    "show the register of trace requests, reminders and report figures",
    (
        "Show the register of trace requests: stages, chains of follow-ups,\n"
        "reminders for overdue requests (thresholds are a local convention,\n"
        "not an ITI deadline) and the national-report figures.\n\n"
        "examples:\n"
        "  iti register --sample\n"
        "  iti register --sample --reminders --as-of 2024-12-31 --lang fr\n"
        "  iti register dataset/ --traces register.parquet --report 2024 \\\n"
        "      --state NER -o report.pdf"
    ),
    _register_arguments,
    _run_register,
)
