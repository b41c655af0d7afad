"""The sections of a briefing, in order, each a list of flowables from a Content."""

from __future__ import annotations

from reportlab.platypus import PageBreak

from ._annex import section_annex
from ._content import Content
from ._helpers import Privacy, heading, party_numbers
from ._i18n import Strings
from ._operations import section_operations, section_sdg
from ._seizures import section_networks, section_seizures
from ._summary import section_summary

__all__ = ["SECTIONS", "story"]


def section_tracing(c: Content, s: Strings, privacy: Privacy) -> list:
    """The tracing plan for the capacity, with reasons, and the capacity curve."""
    from ._tracing import tracing_flowables

    out: list = [PageBreak(), heading(s("sec.tracing"))]
    out.extend(tracing_flowables(c, s, privacy))
    return out


#: the sections, in order.
SECTIONS = (
    "summary",
    "seizures",
    "networks",
    "tracing",
    "operations",
    "sdg",
    "annex",
)


def story(c: Content, s: Strings, *, title: str | None = None) -> list:
    """Every flowable of the briefing, section after section."""
    numbers = None if c.name_parties else party_numbers(c.ds.traces)
    privacy = Privacy(c.audience, c.key, numbers=numbers)
    out: list = []
    out += section_summary(c, s, title, privacy)
    out += section_seizures(c, s)
    out += section_networks(c, s, privacy)
    out += section_tracing(c, s, privacy)
    out += section_operations(c, s, privacy)
    out += section_sdg(c, s)
    out += section_annex(c, s)
    return out
