"""From plan to request and back: ITI trace requests, the register and reminders.

:func:`trace_request` turns the items chosen for tracing into requests that
carry what paragraph 17 of the International Tracing Instrument asks for,
checked before sending; :func:`write_trace_requests` prints them, one page
each, in English, French or Spanish. The register is the canonical ``traces``
table: :func:`record_acknowledgement` and :func:`record_answer` keep it up to
date, :func:`follow_up` builds the next request when an answer says the item
went on to another State, :func:`trace_chains` counts each item's chain once
and :func:`reminders` lists what to chase.
"""

from __future__ import annotations

from .answers import follow_up, record_acknowledgement, record_answer, record_sent
from .build import (
    CHANNELS,
    EXTRA_COLUMNS,
    REQUEST_COLUMNS,
    REQUIRED_ELEMENTS,
    check_request,
    trace_request,
)
from .document import write_trace_requests
from .register import STAGES, register, to_traces, trace_chains
from .reminders import reminders
from .words import LANGUAGES

__all__ = [
    "trace_request",
    "check_request",
    "write_trace_requests",
    "register",
    "to_traces",
    "record_sent",
    "record_acknowledgement",
    "record_answer",
    "follow_up",
    "trace_chains",
    "reminders",
    "REQUEST_COLUMNS",
    "EXTRA_COLUMNS",
    "REQUIRED_ELEMENTS",
    "CHANNELS",
    "STAGES",
    "LANGUAGES",
]
