"""``iti rank``, ``iti graph`` and ``iti indicators``: analyses of a dataset."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from .._progress import steps
from ._common import (
    Command,
    add_audience,
    add_capacity,
    add_dataset_input,
    audience_key,
    capacity_or_none,
    open_dataset,
    write_frame,
)

__all__ = ["RANK", "GRAPH", "INDICATORS", "narrow_plan"]

#: the columns of the narrow ``iti rank`` table, in order.
NARROW_COLUMNS = [
    "rank",
    "kind",
    "record_id",
    "make",
    "model",
    "serial",
    "seized_on",
    "p_success",
    "ask",
    "first_reason",
]

#: plan_tracing's request kinds, as the narrow table names them.
_KINDS = {"trace_request": "trace", "domestic_check": "domestic", "hit": "hit"}

#: widest text cell of the narrow table (longer text ends with "…").
_CELL = 36


def narrow_plan(plan: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The plan as a narrow table for a terminal: one line per trace to send.

    ``rank``, ``kind`` (``trace``: an international trace request, ``audit``:
    one drawn at random to measure what selection gains, ``domestic``: a check
    of the seizing State's own registers, ``hit``: matched to a loss or theft
    report, no trace), ``record_id``, the item's ``make`` (or, where it is
    unknown, its importer: "Century Arms (importer)"), ``model``, ``serial`` and
    ``seized_on``, ``p_success``, ``ask`` (whom to ask) and ``first_reason``:
    the risk reason that weighs most, in words. ``iti rank --wide`` shows
    every column of :func:`~iti_analytics.tracing.plan_tracing` instead.

    Examples
    --------
    >>> plan = pd.DataFrame({"rank": [1], "record_id": ["a"], "p_success": [0.4],
    ...     "ask": ["USA"], "reason_codes": ["conflict_area;armed_group"]})
    >>> items = pd.DataFrame({"record_id": ["a"], "make": ["Colt"], "model": [None],
    ...     "serial": ["X1"], "seized_on": pd.to_datetime(["2024-05-01"])})
    >>> narrow_plan(plan, items).iloc[0, 1:5].tolist()
    ['trace', 'a', 'Colt', '']
    >>> narrow_plan(plan, items).iloc[0, 5:].tolist()
    ['X1', '2024-05-01', '40%', 'USA', 'seized in a conflict area']
    """
    from ..tracing import REASON_CODES

    described = items.drop_duplicates("record_id").set_index("record_id")
    rows = described.reindex(plan["record_id"].to_numpy())
    first_code = plan["reason_codes"].astype("string").str.split(";").str[0]
    first_reason = first_code.map(REASON_CODES)
    kind = pd.Series("trace", index=plan.index, dtype="string")
    if "request_kind" in plan:
        kind = plan["request_kind"].map(_KINDS).fillna("trace").astype("string")
        # a hit is not a request: its first sentence says who reported the loss
        hit = (kind == "hit").to_numpy()
        first_reason = first_reason.where(
            ~hit, plan["reasons"].astype("string").str.split(". ", regex=False).str[0]
        )
    if "audit" in plan:
        kind = kind.mask(plan["audit"].astype("boolean").fillna(False), "audit")
    table = pd.DataFrame(
        {
            "rank": plan["rank"].to_numpy(),
            "kind": kind.to_numpy(),
            "record_id": plan["record_id"].to_numpy(),
            "make": _make_or_importer(rows),
            "model": rows["model"].to_numpy(),
            "serial": rows["serial"].to_numpy(),
            "seized_on": pd.to_datetime(rows["seized_on"])
            .dt.strftime("%Y-%m-%d")
            .to_numpy(),
            "p_success": plan["p_success"]
            .map(lambda p: "" if pd.isna(p) else f"{p:.0%}")
            .to_numpy(),
            "ask": plan["ask"].to_numpy(),
            "first_reason": first_reason.to_numpy(),
        }
    )
    text = table.columns.drop(["rank", "p_success"])
    table[text] = table[text].astype("string").fillna("")
    for column in text:
        long = table[column].str.len() > _CELL
        table.loc[long, column] = table.loc[long, column].str[: _CELL - 1] + "…"
    return table[NARROW_COLUMNS]


def _make_or_importer(rows: pd.DataFrame) -> np.ndarray:
    """The make; where it is unknown, the importer's mark (ITI para 8(b)) as
    "Century Arms (importer)": the one name on many imported military rifles."""
    make = rows["make"].astype("string")
    if "importer" in rows:
        importer = rows["importer"].astype("string") + " (importer)"
        make = make.fillna(importer)
    return make.to_numpy()


def _rank_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_input(p)
    add_capacity(p)
    from ..tracing import STRATEGIES

    p.add_argument(
        "--strategy",
        default="risk",
        choices=STRATEGIES,
        help="how to choose, as in plan_tracing: risk (default); diverse, the "
        "plain rule (chance of success, one item per make, model, year and "
        "serial block); ease; comprehensive; random",
    )
    p.add_argument(
        "--domestic-capacity",
        type=capacity_or_none,
        default=50,
        metavar="N",
        help="checks of your own State's registers (items with a known "
        "registered owner, or made at home), planned apart: a number or a share "
        "(default 50; 0 for none)",
    )
    p.add_argument(
        "--audit",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of the capacity drawn at random and marked 'audit', so that "
        "answers later show what selection gains (e.g. 0.1)",
    )
    p.add_argument(
        "--since",
        metavar="DATE",
        help="plan only seizures on or after DATE (2024-01-01)",
    )
    p.add_argument(
        "--include-surrendered",
        action="store_true",
        help="also plan items surrendered in amnesties (left out by default, "
        "ISACS 05.31)",
    )
    p.add_argument(
        "--wide",
        action="store_true",
        help="print every column of the plan (score, all reasons, cluster, ask "
        "type, expected days…) instead of the narrow table",
    )
    p.add_argument(
        "-o", "--output", metavar="FILE.csv", help="write the whole plan as CSV"
    )


def _run_rank(args: argparse.Namespace, out: TextIO) -> int:
    from ..tracing import plan_tracing

    with steps(["reading the dataset", "ranking"], desc="Ranking") as step:
        step("reading the dataset")
        ds = open_dataset(args)
        step("ranking")
        plan = plan_tracing(
            ds,
            capacity=args.capacity,
            strategy=args.strategy,
            domestic_capacity=args.domestic_capacity,
            audit=args.audit,
            since=args.since,
            include_surrendered=args.include_surrendered,
        )
    if args.output:
        write_frame(plan, Path(args.output), out)
        return 0
    if args.wide:
        with pd.option_context("display.width", 250, "display.max_colwidth", None):
            print(plan.to_string(index=False), file=out)
    else:
        print(_left_aligned(narrow_plan(plan, ds.items)), file=out)
    return 0


def _left_aligned(table: pd.DataFrame) -> str:
    """The table as text, words to the left and numbers to the right."""
    words = [c for c in table.columns if c not in ("rank", "p_success")]
    width = {c: max([len(c), *table[c].str.len()]) for c in words}
    formatters = {c: (lambda v, w=width[c]: f"{v:<{w}}") for c in words}
    header = [c.ljust(width[c]) if c in words else c for c in table.columns]
    text = table.to_string(index=False, formatters=formatters, header=header)
    return "\n".join(line.rstrip() for line in text.splitlines())


RANK = Command(
    "rank",
    "say which seizures to trace first under a given capacity, and why",
    "Rank the items to trace under a capacity and print the plan: one line per\n"
    "trace request, with the item, the chance of success, whom to ask and the\n"
    "main reason (--wide for every column, -o for a CSV file).\n\n"
    "examples:\n"
    "  iti rank dataset/ --capacity 50\n"
    "  iti rank dataset/ --capacity 10% --wide\n"
    "  iti rank dataset/ --capacity 40 --audit 0.1 --since 2024-01-01",
    _rank_arguments,
    _run_rank,
)


# --------------------------------------------------------------------------- graph


def _graph_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_input(p)
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
    add_audience(p)


def _run_graph(args: argparse.Namespace, out: TextIO) -> int:
    from .. import network

    key = audience_key(args)
    path = Path(args.output or f"network.{args.format}")
    writer = getattr(network, f"to_{args.format}")
    parts = ["reading the dataset", "building the graph", f"writing {path.name}"]
    with steps(parts, desc="Graph") as step:
        step(parts[0])
        ds = open_dataset(args)
        step(parts[1])
        graph = network.build_graph(ds)
        if args.seizures or args.min_seizures is not None or args.kinds:
            graph = network.subgraph(
                graph,
                seizures=args.seizures,
                min_seizures=args.min_seizures,
                kinds=args.kinds,
            )
        step(parts[2])
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(graph, path, audience=args.audience, key=key)
    print(
        f"Wrote {path} ({graph.number_of_nodes():,} nodes, "
        f"{graph.number_of_edges():,} edges; audience {args.audience})",
        file=out,
    )
    return 0


GRAPH = Command(
    "graph",
    "export the network of items, seizures, actors and places",
    "Build the network of the dataset and write it for Gephi (GEXF) or GraphML.\n\n"
    "example:\n"
    "  iti graph dataset/ --format gexf -o network.gexf",
    _graph_arguments,
    _run_graph,
)


# --------------------------------------------------------------------------- indicators


def _indicators_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_input(p)
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write each indicator table as CSV into DIR instead of printing",
    )


def _run_indicators(args: argparse.Namespace, out: TextIO) -> int:
    from .. import indicators

    parts = ["reading the dataset", "SDG 16.4.2", "trace performance"]
    with steps(parts, desc="Indicators") as step:
        step(parts[0])
        ds = open_dataset(args)
        step(parts[1])
        sdg = indicators.sdg_16_4_2(ds)
        step(parts[2])
        performance = indicators.trace_performance(ds)
    tables = {"sdg_16_4_2": sdg, "trace_performance": performance}
    for name, frame in tables.items():
        if args.out:
            write_frame(frame, Path(args.out) / f"{name}.csv", out)
        elif frame.empty:
            print(f"{name}\n(no rows: see the notes above for why)\n", file=out)
        else:
            print(f"{name}\n{frame.to_string(index=False)}\n", file=out)
    return 0


INDICATORS = Command(
    "indicators",
    "compute SDG 16.4.2 and trace-performance indicators",
    "Compute SDG indicator 16.4.2 by country and year and the performance of\n"
    "trace requests by requested party. Records an indicator leaves out are\n"
    "counted in a note.\n\n"
    "example:\n"
    "  iti indicators dataset/ --out indicators/",
    _indicators_arguments,
    _run_indicators,
)
