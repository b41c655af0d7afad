"""The annex of a briefing: sources, completeness, problems, rejects, method."""

from __future__ import annotations

import numpy as np
import pandas as pd
from reportlab.platypus import PageBreak

from ._content import Content
from ._document import (
    escape,
    para,
    table,
)
from ._format import DASH
from ._helpers import (
    heading,
    source_label,
)
from ._i18n import Strings

__all__ = ["section_annex"]


def section_annex(c: Content, s: Strings) -> list:
    """Annex: sources, duplicates, issues by column, rejects, what was left out."""
    out: list = [PageBreak(), heading(s("sec.annex"))]
    out.append(para(escape(s("annex.intro"))))
    src = c.sources
    if len(src):
        rows = []
        for _, r in src.iterrows():
            rows.append(
                [
                    s.vocab("table", r["table"]),
                    source_label(r["source"], s),
                    s.int(r["rows"]),
                    s.int(r.get("duplicates", np.nan)),
                    s.int(r.get("issues", np.nan)),
                    s.int(r.get("rejects", np.nan)),
                ]
            )
        out.append(heading(s("sec.sources"), "h2"))
        out.append(
            table(
                rows,
                [2, 3, 1.5, 1.5, 1.5, 1.5],
                header=[
                    s("col.table"),
                    s("col.source"),
                    s("col.rows"),
                    s("col.duplicates"),
                    s("col.issues"),
                    s("col.rejects"),
                ],
                right=(2, 3, 4, 5),
            )
        )
        out.extend(_completeness(src, s))
    q = c.quality
    out.append(heading(s("sec.issues"), "h2"))
    by_col = q["issues_by_column"]
    if len(by_col):
        out.append(para(escape(s("annex.issues", n=s.int(q["n_issues"])))))
        rows = [
            [s.vocab("table", r["table"]), s.field(r["column"]), s.int(r["issues"])]
            for _, r in by_col.head(15).iterrows()
        ]
        out.append(
            table(
                rows,
                [2, 4, 1.5],
                header=[s("col.table"), s("col.column"), s("col.issues")],
                right=(2,),
            )
        )
    else:
        out.append(para(escape(s("annex.no_issues"))))
    out.append(heading(s("sec.rejects"), "h2"))
    rej = q["rejects_by_source"]
    if len(rej):
        out.append(para(escape(s("annex.rejects", n=s.int(q["n_rejects"])))))
        rows = [
            [
                s.vocab("table", r.get("table")),
                str(r.get("source", DASH)),
                s.int(r["rejects"]),
            ]
            for _, r in rej.iterrows()
        ]
        out.append(
            table(
                rows,
                [2, 4, 1.5],
                header=[s("col.table"), s("col.source"), s("col.rejects")],
                right=(2,),
            )
        )
    else:
        out.append(para(escape(s("annex.no_rejects"))))
    left = {k: v for k, v in c.left_out.items() if v}
    out.append(heading(s("sec.left_out"), "h2"))
    if left:
        for name, n in left.items():
            out.append(
                para(
                    escape(
                        s(
                            "annex.left_out",
                            n=s.int(n),
                            what=s(f"annex.indicator.{name}"),
                        )
                    )
                )
            )
    else:
        out.append(para(escape(s("annex.none_left_out"))))
    out.append(heading(s("sec.method"), "h2"))
    for key in ("method.duplicates", "method.km", "method.networks", "method.period"):
        out.append(para(escape(s(key)), "note"))
    return out


def _completeness(src: pd.DataFrame, s: Strings) -> list:
    items = src[src["table"] == "items"]
    cols = [
        c
        for c in (
            "serial_pct",
            "make_pct",
            "category_pct",
            "calibre_pct",
            "country_pct",
            "seized_on_pct",
        )
        if c in items.columns
    ]
    if items.empty or not cols:
        return []
    rows = [
        [source_label(r["source"], s)] + [s.pct(r[c] / 100) for c in cols]
        for _, r in items.iterrows()
    ]
    return [
        heading(s("sec.completeness"), "h2"),
        table(
            rows,
            [3] + [1.5] * len(cols),
            header=[s("col.source")] + [s.field(c[:-4]) for c in cols],
            right=tuple(range(1, len(cols) + 1)),
        ),
        para(escape(s("annex.completeness_note")), "note"),
    ]
