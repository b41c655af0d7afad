"""Keeping the register up to date: sent, acknowledged, answered, followed up.

Each function returns a new register (the caller's is never modified). When
an answer says the item went on to another State (``next_party``),
:func:`follow_up` builds the next request from it and links the two with
``follow_up_of``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._validation import check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ..schema import VOCABULARIES, conform
from .build import _build, _date
from .register import _append_history, _one, _requests_of
from .words import LANGUAGES, Words

__all__ = ["record_sent", "record_acknowledgement", "record_answer", "follow_up"]


def record_sent(ds: Any, trace_ids: str | list[str], *, on: Any) -> pd.DataFrame:
    """Record that draft requests were sent.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register.
    trace_ids : str or list of str
        The requests sent.
    on : date
        Date they were sent.

    Returns
    -------
    DataFrame
        A new register.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "status": ["draft"],
    ...                     "status_history": ["2024-01-08 draft"]})
    >>> reg = record_sent(reg, "T1", on="2024-01-10")
    >>> reg.loc[0, ["status", "status_history"]].tolist()
    ['sent', '2024-01-08 draft; 2024-01-10 sent']
    """
    ds = as_dataset(ds)
    reg = _requests_of(ds.traces)
    day = _date(on, "on")
    col = reg.columns.get_loc
    for trace_id in [trace_ids] if isinstance(trace_ids, str) else list(trace_ids):
        pos = _one(reg, trace_id)
        reg.iloc[pos, col("sent_on")] = day
        reg.iloc[pos, col("status")] = "sent"
        reg.iloc[pos, col("status_history")] = _append_history(
            reg.iloc[pos, col("status_history")], day, "sent"
        )
    return reg


def _check_sent(reg: pd.DataFrame, pos: int, trace_id: str) -> None:
    if pd.isna(reg.iloc[pos, reg.columns.get_loc("sent_on")]):
        raise InvalidParameterError(
            f"Request {trace_id!r} has not been sent (no `sent_on`); record it "
            "as sent first with iti.record_sent(register, trace_id, on=...)."
        )


def record_acknowledgement(ds: Any, trace_id: str, *, on: Any) -> pd.DataFrame:
    """Record that the requested party acknowledged receipt of a request.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register (or a Dataset whose ``traces`` are the register).
    trace_id : str
        The request acknowledged.
    on : date
        Date of the acknowledgement.

    Returns
    -------
    DataFrame
        A new register (the caller's is not modified).

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "status": ["sent"],
    ...                     "sent_on": ["2024-01-10"],
    ...                     "status_history": ["2024-01-10 sent"]})
    >>> reg = record_acknowledgement(reg, "T1", on="2024-01-20")
    >>> reg.loc[0, ["status", "status_history"]].tolist()
    ['acknowledged', '2024-01-10 sent; 2024-01-20 acknowledged']
    """
    ds = as_dataset(ds)
    reg = _requests_of(ds.traces)
    pos = _one(reg, trace_id)
    _check_sent(reg, pos, trace_id)
    day = _date(on, "on")
    col = reg.columns.get_loc
    reg.iloc[pos, col("acknowledged_on")] = day
    if reg.iloc[pos, col("status")] in ("draft", "sent"):
        reg.iloc[pos, col("status")] = "acknowledged"
    reg.iloc[pos, col("status_history")] = _append_history(
        reg.iloc[pos, col("status_history")], day, "acknowledged"
    )
    return reg


def record_answer(
    ds: Any,
    trace_id: str,
    *,
    on: Any,
    outcome: str,
    next_party: str | None = None,
    last_legal_holder: str | None = None,
    last_legal_country: str | None = None,
    diversion_country: str | None = None,
    diversion_year: int | None = None,
    diversion_mode: str | None = None,
) -> pd.DataFrame:
    """Record the requested party's answer to a request.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register.
    trace_id : str
        The request answered.
    on : date
        Date of the answer (an answer also counts as an acknowledgement).
    outcome : str
        One of the ``traces.outcome`` vocabulary: ``traced``,
        ``partially_traced``, ``not_traced``, ``record_not_found``,
        ``records_unavailable``, ``refused``, ``incomplete_request``.
    next_party : str, optional
        When the answer says the item was exported (or transferred) to
        another State: that State (ISO3) or party. :func:`follow_up` builds
        the next request from it. The outcome is then usually
        ``partially_traced``.
    last_legal_holder, last_legal_country, diversion_country, diversion_year,
    diversion_mode : optional
        What the answer establishes (canonical ``traces`` columns).

    Returns
    -------
    DataFrame
        A new register.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "record_id": ["r1"],
    ...                     "status": ["sent"], "sent_on": ["2024-01-10"]})
    >>> reg = record_answer(reg, "T1", on="2024-03-01", outcome="partially_traced",
    ...                     next_party="NGA", last_legal_country="NGA")
    >>> reg.loc[0, ["status", "outcome", "next_party"]].tolist()
    ['responded', 'partially_traced', 'NGA']
    >>> reg.loc[0, "status_history"]
    '2024-03-01 answered: partially_traced (next: NGA)'
    """
    ds = as_dataset(ds)
    check_option(
        "outcome",
        outcome,
        [o for o in VOCABULARIES[("traces", "outcome")] if o != "pending"],
    )
    if diversion_mode is not None:
        check_option(
            "diversion_mode", diversion_mode, VOCABULARIES[("traces", "diversion_mode")]
        )
    reg = _requests_of(ds.traces)
    pos = _one(reg, trace_id)
    _check_sent(reg, pos, trace_id)
    day = _date(on, "on")
    col = reg.columns.get_loc
    reg.iloc[pos, col("responded_on")] = day
    if pd.isna(reg.iloc[pos, col("acknowledged_on")]):
        reg.iloc[pos, col("acknowledged_on")] = day
    reg.iloc[pos, col("status")] = "responded"
    reg.iloc[pos, col("outcome")] = outcome
    values = {
        "next_party": next_party,
        "last_legal_holder": last_legal_holder,
        "last_legal_country": last_legal_country,
        "diversion_country": diversion_country,
        "diversion_year": diversion_year,
        "diversion_mode": diversion_mode,
    }
    for name, value in values.items():
        if value is not None:
            reg.iloc[pos, col(name)] = value
    event = f"answered: {outcome}" + (f" (next: {next_party})" if next_party else "")
    reg.iloc[pos, col("status_history")] = _append_history(
        reg.iloc[pos, col("status_history")], day, event
    )
    return reg


def follow_up(
    ds: Any,
    *,
    language: str | None = None,
    on: Any = None,
    sent_on: Any = None,
    legal_basis: str | None = None,
    intended_use: str | None = None,
    confidentiality: str | None = None,
) -> pd.DataFrame:
    """The follow-up requests that answers naming a ``next_party`` call for.

    For every answered request whose answer names where the item went next
    (``next_party``) and that no request follows up yet, one new request to
    that party about the same item, from the same requesting State, with
    ``follow_up_of`` set to the answered request.

    Parameters
    ----------
    ds : Dataset
        ``items`` (the items' markings) and ``traces`` (the register).
    language : {"en", "fr", "es"}, optional
        Default: the language of the request followed up.
    on, sent_on, legal_basis, intended_use, confidentiality
        As in :func:`~iti_analytics.requests.trace_request`.

    Returns
    -------
    DataFrame
        New requests (register rows); ``pd.concat([register, new])`` adds them.

    Examples
    --------
    >>> import iti_analytics as iti
    >>> items = pd.DataFrame({"record_id": ["r1"], "item_kind": "weapon",
    ...     "category": "assault_rifle", "calibre": "7.62x39mm", "make": "Arsenal",
    ...     "serial": "123", "serial_status": "intact",
    ...     "country_of_manufacture": "BGR"})
    >>> req = iti.trace_request(items, "r1", requesting_state="NER",
    ...                         on="2024-01-10", sent_on="2024-01-10")
    >>> reg = iti.record_answer({"items": items, "traces": req}, req.trace_id[0],
    ...     on="2024-02-01", outcome="partially_traced", next_party="NGA")
    >>> new = iti.follow_up({"items": items, "traces": reg}, on="2024-02-05")
    >>> new[["trace_id", "requested_party", "follow_up_of"]]
            trace_id requested_party   follow_up_of
    0  NER-2024-0002             NGA  NER-2024-0001
    """
    ds = as_dataset(ds)
    reg = _requests_of(ds.traces)
    if language is not None:
        check_option("language", language, LANGUAGES)
    answered = reg[reg["next_party"].notna() & reg["responded_on"].notna()]
    done = set(reg["follow_up_of"].dropna())
    todo = answered[~answered["trace_id"].isin(done)]
    if todo.empty:
        return _requests_of(conform(pd.DataFrame(), "traces"))
    parts = []
    keys = ["requesting_country", "language"]
    todo = todo.assign(
        language=todo["language"].fillna("en") if language is None else language
    )
    for (state, lang), group in todo.groupby(keys, sort=False, dropna=False):
        built = _build(
            ds.items,
            pd.concat([ds.traces, *[conform(p, "traces") for p in parts]]),
            list(group["record_id"]),
            requesting_state=state,
            requested_party=dict(
                zip(group["record_id"], group["next_party"], strict=True)
            ),
            language=lang,
            channel=None,
            legal_basis=legal_basis,
            intended_use=intended_use,
            confidentiality=confidentiality,
            photos=None,
            other_marks=None,
            on=on,
            sent_on=sent_on,
            follow_up_of=dict(zip(group["record_id"], group["trace_id"], strict=True)),
            infer=True,
        )
        w = Words(lang)
        built["party_basis"] = w("basis.answer")
        _carry_over(
            built,
            group,
            given=(legal_basis, intended_use, confidentiality),
            items=ds.items,
        )
        parts.append(built)
    return pd.concat(parts, ignore_index=True)


def _carry_over(
    built: pd.DataFrame,
    parents: pd.DataFrame,
    *,
    given: tuple[Any, ...],
    items: pd.DataFrame,
) -> None:
    """Keep what the request followed up said: photos, marks, and its texts.

    Photos and other marks carry over as they are; the legal basis, intended
    use and confidentiality carry over when the caller gave none and the
    parent request is in the same language.
    """
    from ._elements import _check_elements

    parent = parents.set_index("record_id")
    rid = built["record_id"]
    for col in ("photos", "other_marks"):
        built[col] = built[col].fillna(
            pd.Series(parent[col].reindex(rid).to_numpy(), index=built.index)
        )
    same = parent["language"].reindex(rid).to_numpy(dtype=object) == built[
        "language"
    ].to_numpy(dtype=object)
    for col, value in zip(
        ("legal_basis", "intended_use", "confidentiality"), given, strict=True
    ):
        if value is not None:
            continue
        old = pd.Series(parent[col].reindex(rid).to_numpy(), index=built.index)
        keep = same & old.notna().to_numpy()
        built[col] = built[col].mask(keep, old).astype("string")
    _check_elements(built, items)
