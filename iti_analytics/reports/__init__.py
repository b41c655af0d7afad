"""Figures and notices for the reports States owe, from the register of trace requests.

:func:`national_report` gives the tracing figures of the biennial PoA/ITI
national report and the tracing tables of UNODC's illicit arms flows
questionnaire, as DataFrames and as a filled-in PDF or Markdown text;
:func:`marking_compliance` the shares of recovered weapons import-marked,
with obliterated serials, craft-made or converted; :func:`notify_exporter`
the notice an exporting State receives when a trace shows that its legal
export was diverted.
"""

from __future__ import annotations

from .marking import RECOVERED_STATUSES, marking_compliance
from .national import FIGURES, TIMES, NationalReport, national_report
from .notify import NOTICE_COLUMNS, notify_exporter

__all__ = [
    "national_report",
    "NationalReport",
    "marking_compliance",
    "notify_exporter",
    "FIGURES",
    "TIMES",
    "NOTICE_COLUMNS",
    "RECOVERED_STATUSES",
]
