"""PDF briefings for directors, in English or French, restricted or shareable.

:func:`write_briefing` turns a Dataset into a short A4 PDF (about seven pages,
five minutes of reading): key figures with their change on the previous
period and the headlines in words; seizures over time, by country and by
category; the network picture (largest networks, batches seen across
borders, top corridors); the tracing plan for the unit's capacity with its
reasons and what selection gives up; trace operations (who answers, how fast,
what is overdue); SDG indicator 16.4.2; and an annex on data quality.

Every chart is drawn by a plotting function of the package
(:mod:`iti_analytics.plotting`); the briefing only lays them out. The words
are in ``strings.csv`` next to this module (English and French), dates and
numbers follow the language ("27 novembre 2026", "12 345,6", "45 %").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from .._privacy import AUDIENCES
from .._validation import as_date, check_option
from ..dataset import DatasetLike, as_dataset
from ..exceptions import InvalidParameterError
from ._content import NoDataInPeriodError
from ._format import LANGUAGES
from ._i18n import Strings

__all__ = ["write_briefing", "LANGUAGES", "AUDIENCES", "NoDataInPeriodError"]


def _check_key(audience: str, key: Any) -> bytes | None:
    if audience == "restricted" or key is None:
        return None
    if isinstance(key, str) and key:
        return key.encode("utf-8")
    if isinstance(key, bytes | bytearray) and key:
        return bytes(key)
    raise InvalidParameterError(
        f"`key` must be a non-empty str or bytes (the secret your unit keeps for "
        f"pseudonyms), but {key!r} was passed. Pass key=None to show counts instead "
        "of pseudonyms."
    )


def _check_capacity(capacity: Any) -> float:
    """A count of trace requests (whole, 1 or more) or a share in (0, 1)."""
    number = isinstance(capacity, int | float) and not isinstance(capacity, bool)
    if number and 0 < capacity < 1:
        return float(capacity)
    if number and capacity >= 1 and float(capacity).is_integer():
        return int(capacity)
    raise InvalidParameterError(
        f"`capacity` must be a whole number of trace requests the unit can send "
        f"(50) or a share of the traceable items (0.1), as in plan_tracing, but "
        f"{capacity!r} was passed."
    )


def write_briefing(
    ds: DatasetLike,
    path: str | os.PathLike[str],
    *,
    language: str = "en",
    audience: str = "restricted",
    capacity: float = 50,
    key: bytes | str | None = None,
    period: Any = None,
    title: str | None = None,
    as_of: Any = None,
    name_parties: bool | None = None,
    progress: bool | None = None,
) -> Path:
    """Write a PDF briefing on ``ds`` to ``path``.

    Parameters
    ----------
    ds : Dataset, LoadResult, DataFrame or mapping
        The records: anything :func:`~iti_analytics.dataset.as_dataset`
        accepts (a Dataset, a LoadResult, an items DataFrame, or a mapping of
        table name to DataFrame).
    path : str or path-like
        The PDF to write (its folder is created if needed).
    language : {"en", "fr"}, default "en"
        The whole document — text, tables, chart titles, axis labels, legend
        entries, vocabulary values, dates and numbers — in English or in
        French with the field's own terms (ALPC, traçage, point de contact
        national, point de détournement, marquage à l'importation).
    audience : {"restricted", "shareable"}, default "restricted"
        ``"restricted"`` (for the tracing unit, marked RESTRICTED / DIFFUSION
        RESTREINTE on every page) shows actor names and serial numbers.
        ``"shareable"`` (marked SHAREABLE / PARTAGEABLE) shows no serial
        number, no actor name, no free-text note and no place finer than the
        first administrative level (region): with ``key``, actors appear as
        keyed pseudonyms (``actor-<hash>``, the same as in the package's
        other shareable exports made with that key); without a key they are
        only counted. Record and request ids stay, so that the unit can act
        on the plan.
    capacity : int or float, default 50
        Trace requests the unit can send: the size of the tracing plan. As in
        :func:`~iti_analytics.tracing.plan_tracing`: a count (50), or a share
        of the traceable items (0.1).
    key : str or bytes, optional
        Secret key of the pseudonyms of a shareable briefing (ignored for a
        restricted one). Optional: a shareable briefing without a key counts
        actors instead of naming them.
    period : None, int, str, pandas.Period or (start, end), optional
        The reporting period, compared with the one before: a year
        (``2024``), a quarter (``"2024Q3"``), a month (``"2024-06"``) or two
        dates. Default: the 12 months to the last recovery in the data (the
        calendar year when the data end on 31 December).
    title : str, optional
        Title on the first page (default: "Illicit small arms and light
        weapons" in the chosen language).
    as_of : date, optional
        The date printed on every page and the date trace requests are
        followed up to (overdue, answered). Default: today on the pages, and
        the last date in the trace requests for the follow-up.
    name_parties : bool, optional
        Whether the trace-operation charts and tables name the parties asked
        (States, manufacturers) next to how they answer. Default: named in a
        restricted briefing, not in a shareable one, where each party is
        "party 1", "party 2"… by number of requests. Naming and shaming States
        as unresponsive works against the cooperation tracing depends on (the
        UN group of experts' report on tracing notes it); pass True to name
        them in a shareable briefing on purpose.
    progress : bool, optional
        Show a progress bar over the steps on standard error; by default only
        when standard error is a terminal.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InvalidParameterError
        ``ds`` holds no item records; an unknown language or audience, a
        capacity of 0 or less, a bad key or period.
    NoDataInPeriodError
        ``period`` holds no recovered item and no trace request (the message
        gives the dates the data cover).

    Notes
    -----
    The PDF embeds the DejaVu Sans fonts shipped with matplotlib. The tracing
    plan comes from :func:`iti_analytics.tracing.plan_tracing` and the
    capacity curve from :func:`iti_analytics.tracing.compare_strategies`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from iti_analytics.samples import generate_world
    >>> ds = generate_world(300, seed=4).dataset
    >>> out = write_briefing(ds, pathlib.Path(tempfile.mkdtemp()) / "b.pdf",
    ...                      language="fr", audience="shareable", capacity=20)
    >>> out.read_bytes()[:5]
    b'%PDF-'
    """
    ds = as_dataset(ds)
    check_option("language", language, list(LANGUAGES))
    check_option("audience", audience, list(AUDIENCES))
    if name_parties is None:
        name_parties = audience == "restricted"
    elif not isinstance(name_parties, bool):
        raise InvalidParameterError(
            f"`name_parties` must be True, False or None, but {name_parties!r} was "
            "passed."
        )
    capacity = _check_capacity(capacity)
    key_bytes = _check_key(audience, key)
    if title is not None and not isinstance(title, str):
        raise InvalidParameterError(
            f"`title` must be a str, but a {type(title).__name__} was passed."
        )
    if as_of is not None:
        as_of = as_date(as_of, "as_of")

    from .._progress import steps
    from ._content import collect

    s = Strings(language)
    parts = ["key figures", "seizures", "networks", "tracing plan"]
    parts += ["trace operations", "charts and PDF"]
    with steps(parts, desc="Briefing", enabled=progress) as step:
        content = collect(
            ds,
            capacity=capacity,
            audience=audience,
            key=key_bytes,
            period=period,
            as_of=as_of,
            name_parties=name_parties,
            step=step,
        )
        step("charts and PDF")
        out = _write_pdf(content, s, path, title=title, as_of=as_of)
    return out


def _write_pdf(
    content: Any, s: Strings, path: str | os.PathLike[str], *, title: Any, as_of: Any
) -> Path:
    """Lay ``content`` out in the language of ``s`` and write the PDF."""
    from ._document import build_pdf
    from ._sections import story

    audience = content.audience
    flowables = story(content, s, title=title)
    out = Path(path)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    printed = as_of if as_of is not None else pd.Timestamp.today()
    doc_title = title or s("doc.title")
    build_pdf(
        str(out),
        flowables,
        s,
        classification=s(f"doc.class.{audience}"),
        audience=audience,
        date_text=s.date(printed),
        running_title=s("doc.running", period=content.period.label(s)),
        title=doc_title,
        subject=s("doc.subtitle"),
    )
    return out
