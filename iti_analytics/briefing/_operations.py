"""Sections 5 and 6: trace operations (who answers, how fast, overdue); SDG 16.4.2."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from ._content import Content
from ._document import (
    CONTENT_WIDTH,
    FitRows,
    chart,
    escape,
    half_width,
    para,
    side_by_side,
    table,
)
from ._format import DASH, is_missing
from ._helpers import (
    Privacy,
    heading,
    no_data,
)
from ._i18n import Strings

__all__ = ["section_operations", "section_sdg"]


def section_operations(c: Content, s: Strings, privacy: Privacy) -> list:
    """Who answers trace requests, how fast, and which requests are overdue."""
    from ..plotting.indicators import plot_outcome_mix, plot_response_times

    out: list = [PageBreak(), heading(s("sec.operations"))]
    traces = c.ds.traces
    if traces.empty:
        out.append(para(escape(s("operations.none"))))
        return out
    perf = c.performance
    total = int(perf["requests"].sum()) if len(perf) else 0
    answered = int(perf["answered"].sum()) if len(perf) else 0
    out.append(
        para(
            escape(
                s(
                    "operations.intro",
                    n=s.int(total),
                    parties=s.int(len(perf)),
                    answered=s.int(answered),
                    share=s.pct(answered / total if total else np.nan),
                    date=s.date(c.as_of),
                )
            )
        )
    )
    w = half_width()
    busiest = perf.sort_values("requests", ascending=False, kind="stable").head(8)

    def party(value: Any) -> str:
        return privacy.party(value, s)

    def curves(ax: Any) -> None:
        with warnings.catch_warnings():  # left-out requests are in the annex
            warnings.simplefilter("ignore")
            _curves(ax)
        if ax.get_legend() is not None:
            ax.legend(
                title=s("col.party"),
                fontsize=6,
                title_fontsize=6.5,
                loc="center right",
            )
        ax.set_xlim(0, min(ax.get_xlim()[1], 730))

    def _curves(ax: Any) -> None:
        plot_response_times(
            c.ds,
            top=5,
            as_of=c.as_of,
            labels=party,
            unknown=s("word.unknown"),
            xlabel=s("chart.response.x"),
            ylabel=s("chart.response.y"),
            title=s("chart.response.title"),
            ax=ax,
            linewidth=1.1,
        )

    def outcomes(ax: Any) -> None:
        plot_outcome_mix(
            busiest,
            labels=party,
            outcome_labels=lambda outcome: s.vocab("outcome", outcome),
            unknown=s("word.unknown"),
            xlabel="",
            legend_title=None,
            title=s("chart.outcomes.title"),
            legend_kws={
                "fontsize": 5.5,
                "ncols": 3,
                "loc": "upper center",
                "bbox_to_anchor": (0.4, -0.13),
            },
            ax=ax,
            height=0.7,
        )

    out.append(
        side_by_side(
            chart(curves, s, width=w, height=60 * mm),
            chart(outcomes, s, width=w, height=60 * mm),
        )
    )
    out.append(para(escape(s("operations.chart_note")), "note"))
    if not privacy.names_parties:
        out.append(para(escape(s("operations.parties_unnamed")), "note"))
    out.extend(_responsiveness(c, s, privacy))
    out.extend(_overdue(c, s, privacy))
    return out


def _responsiveness(c: Content, s: Strings, privacy: Privacy) -> list:
    resp = c.responsiveness
    if resp.empty:
        return []
    within = next(
        (col for col in resp.columns if col.startswith("answered_within_")), None
    )
    top = resp.sort_values("requests", ascending=False, kind="stable").head(9)
    top = top.sort_values("rank", na_position="last", kind="stable")
    rows = []
    for _, r in top.iterrows():
        rows.append(
            [
                privacy.party(r["requested_party"], s),
                s.int(r["requests"]),
                s.int(r["answered"]),
                s.int(r["median_days_to_answer"]),
                s.pct(r[within]) if within else DASH,
                s.int(r["never_acknowledged"]),
                s.vocab("rating", r["rating"]),
            ]
        )
    return [
        KeepTogether(
            [
                heading(s("sec.who_answers"), "h2"),
                table(
                    rows,
                    [2.8, 1.5, 1.4, 1.8, 1.8, 2.0, 2.0],
                    header=[
                        s("col.party"),
                        s("col.requests"),
                        s("col.answered"),
                        s("col.median_days"),
                        s("col.within_90"),
                        s("col.never_ack"),
                        s("col.rating"),
                    ],
                    right=(1, 2, 3, 4, 5),
                ),
                para(escape(s("operations.table_note")), "note"),
            ]
        )
    ]


def _overdue(c: Content, s: Strings, privacy: Privacy) -> list:
    od = c.overdue
    out: list = [CondPageBreak(50 * mm), heading(s("sec.overdue"), "h2")]
    if od.empty:
        out.append(para(escape(s("overdue.none", date=s.date(c.as_of)))))
        return out
    n_ack = int(od["no_acknowledgement"].sum())
    n_ans = int(od["no_answer"].sum())
    n_inc = int(od["incomplete"].sum())
    lead = s.plural("overdue.intro", len(od), date=s.date(c.as_of))
    kinds = s("overdue.kinds", ack=s.int(n_ack), ans=s.int(n_ans), inc=s.int(n_inc))
    out.append(para(escape(f"{lead} {kinds}")))
    by_party = (
        od.groupby(od["requested_party"].astype("string").fillna(""), sort=False)
        .agg(
            n=("trace_id", "size"),
            oldest=("sent_on", "min"),
            longest=("days_open", "max"),
        )
        .sort_values("n", ascending=False, kind="stable")
        .head(5)
    )
    rows = [
        [
            privacy.party(p or None, s),
            s.int(r.n),
            s.date(r.oldest, short=True),
            s.int(r.longest),
        ]
        for p, r in by_party.iterrows()
    ]
    out.append(
        table(
            rows,
            [4, 2, 2.2, 2.2],
            header=[
                s("col.party"),
                s("col.overdue"),
                s("col.oldest"),
                s("col.longest_open"),
            ],
            right=(1, 3),
        )
    )
    out.append(Spacer(1, 2 * mm))
    rows = []
    for _, r in od.head(8).iterrows():
        what = []
        if r["no_acknowledgement"]:
            what.append(s("overdue.ack"))
        if r["no_answer"]:
            what.append(s("overdue.answer"))
        if r["incomplete"]:
            what.append(s("overdue.incomplete"))
        rows.append(
            [
                str(r["trace_id"]) if not is_missing(r["trace_id"]) else DASH,
                str(r["record_id"]) if not is_missing(r["record_id"]) else DASH,
                privacy.party(r["requested_party"], s),
                s.vocab("channel", r["channel"]),
                s.date(r["sent_on"], short=True),
                s.int(r["days_open"]),
                "; ".join(what) or DASH,
            ]
        )
    header = [
        s("col.trace"),
        s("col.record"),
        s("col.party"),
        s("col.channel"),
        s("col.sent"),
        s("col.days_open"),
        s("col.what_overdue"),
    ]

    def build(n: int) -> list:
        return [
            para(escape(s("overdue.most")), "h2"),
            table(
                rows[:n],
                [1.4, 1.6, 2.0, 1.9, 1.6, 1.1, 4.0],
                header=header,
                right=(5,),
            ),
        ]

    out.append(FitRows(build, len(rows), 3))
    return out


# --------------------------------------------------------------------------- 6 SDG


def section_sdg(c: Content, s: Strings) -> list:
    """SDG indicator 16.4.2 by year and by country for the period."""
    from ..plotting.indicators import plot_sdg_16_4_2

    out: list = [PageBreak(), heading(s("sec.sdg")), para(escape(s("sdg.definition")))]
    if not c.sdg_evidence:
        # a register of seizures alone cannot measure the indicator: say so
        # rather than draw a chart of zeros
        out.append(para(escape(s("sdg.no_evidence"))))
        out.append(para(escape(s("sdg.method")), "note"))
        return out
    years = c.sdg_years.dropna(subset=["year"])

    def draw(ax: Any) -> None:
        if years.empty:
            no_data(ax, s("word.no_data"))
            return
        plot_sdg_16_4_2(
            years,
            hue=None,
            xlabel=s("chart.year"),
            ylabel=s("chart.sdg.y"),
            title=s("chart.sdg.title"),
            ax=ax,
            color="#1f4e79",
        )
        top = float(years["proportion"].astype(float).max())
        ax.set_ylim(0, min(1.02, max(0.1, top * 1.35)))
        for x, y, n, d in zip(
            years["year"],
            years["proportion"],
            years["numerator"],
            years["denominator"],
            strict=True,
        ):
            ax.annotate(
                f"{s.int(n)}/{s.int(d)}",
                (float(x), float(y)),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=6,
            )

    out.append(chart(draw, s, width=CONTENT_WIDTH, height=68 * mm))
    out.append(para(escape(s("sdg.chart_note")), "note"))
    table_rows = []
    for _, r in c.sdg_countries.head(15).iterrows():
        table_rows.append(
            [
                s.country(r["country"]),
                s.int(r["denominator"]),
                s.int(r["numerator"]),
                s.pct(r["proportion"], 1),
                s.int(r["established_by_trace"]),
            ]
        )
    out.append(heading(s("sdg.by_country", period=c.period.label(s)), "h2"))
    if table_rows:
        out.append(
            table(
                table_rows,
                [3.5, 2, 2, 1.6, 2],
                header=[
                    s("col.country"),
                    s("col.sdg_den"),
                    s("col.sdg_num"),
                    s("col.share"),
                    s("col.by_trace"),
                ],
                right=(1, 2, 3, 4),
            )
        )
    else:
        out.append(para(escape(s("word.no_data"))))
    out.append(para(escape(s("sdg.method")), "note"))
    return out
