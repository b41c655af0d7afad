"""Trace requests with everything ITI paragraph 17 asks for, checked before sending.

Paragraph 17 of the International Tracing Instrument (A/60/88, annex) asks a
State that initiates a trace to give enough information for the requested
party to find its records: (a) the illicit nature of the item and, as far as
possible, the legal justification of the request; (b) its markings, type,
calibre and other relevant information; (c) the intended use of the
information sought. :func:`trace_request` builds one request per item with
those elements, the confidentiality asked for, whom to ask and through which
channel, and lists what is still missing before the request is sent (the
seed's complaint: incomplete requests are a main cause of failed traces).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_date, check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ..schema import columns, conform
from ..tracing.completeness import REQUIRED_ELEMENTS
from ._elements import (
    CHANNELS,
    _addressee_words,
    _addressees,
    _channels,
    _check_elements,
    _import_words,
    _infer_from_model,
    _lookup_text,
    _nature_words,
)
from .words import LANGUAGES, Words

__all__ = [
    "trace_request",
    "check_request",
    "REQUEST_COLUMNS",
    "REQUIRED_ELEMENTS",
    "EXTRA_COLUMNS",
    "CHANNELS",
]


#: columns of a request that are not canonical ``traces`` columns: a Dataset
#: keeps them as ``x_<name>`` and :func:`~iti_analytics.requests.register`
#: restores them.
EXTRA_COLUMNS = [
    "language",
    "addressee",
    "party_basis",
    "channel_basis",
    "seizure_id",
    "seized_on",
    "recovered_country",
    "recovered_place",
    "item_kind",
    "category",
    "make",
    "model",
    "calibre",
    "serial",
    "serial_status",
    "country_of_manufacture",
    "year_of_manufacture",
    "import_country",
    "import_year",
    "import_marking",
    "other_marks",
    "photos",
    "inferred",
    "illicit_nature",
    "legal_basis",
    "intended_use",
    "confidentiality",
    "information_requested",
    "missing",
    "to_fill",
    "complete",
    "p_success",
    "expected_days",
]

#: columns of a request (the register's rows): every canonical ``traces``
#: column, then :data:`EXTRA_COLUMNS`.
REQUEST_COLUMNS = [*columns("traces"), *EXTRA_COLUMNS]


def trace_request(
    ds: Any,
    record_ids: Any,
    *,
    requesting_state: str,
    requested_party: str | Mapping[str, str] | None = None,
    language: str = "en",
    channel: str | None = None,
    legal_basis: str | None = None,
    intended_use: str | None = None,
    confidentiality: str | None = None,
    photos: Mapping[str, Any] | None = None,
    other_marks: Mapping[str, str] | None = None,
    on: Any = None,
    sent_on: Any = None,
    follow_up_of: Mapping[str, str] | None = None,
    infer: bool = True,
) -> pd.DataFrame:
    """Build one ITI paragraph 17 trace request per item, checked before sending.

    Parameters
    ----------
    ds : Dataset
        Its ``items`` (the items to trace) and ``traces`` (earlier requests:
        their answer rates choose the addressee and the channel).
    record_ids : str, list, Series or DataFrame
        The items to trace; a DataFrame such as a :func:`plan_tracing` plan is
        read through its ``record_id`` column.
    requesting_state : str
        ISO3 code of the requesting State (or the name of the requesting body,
        e.g. a UN Panel of Experts).
    requested_party : str or mapping, optional
        The addressee for every request, or ``{record_id: party}``. Default:
        whom :func:`~iti_analytics.tracing.traceability` says to ask (the
        last importing State, the State of manufacture or the manufacturer).
    language : {"en", "fr", "es"}, default "en"
        Language of the request's text and of its PDF page.
    channel : {"bilateral", "interpol", "regional", "un_panel", "other"}, optional
        How the requests travel. Default: for each party, the channel through
        which it answered the largest share of at least 3 earlier requests,
        else ``"bilateral"``; ``channel_basis`` says which.
    legal_basis, intended_use, confidentiality : str, optional
        Texts of para. 17 (a) and (c) and the confidentiality asked for.
        Defaults: the ITI itself (add national law or a regional instrument
        such as the Kinshasa or ECOWAS Convention where they apply), the use
        that fits the seizure's setting (crime, conflict), and restricted
        law-enforcement use.
    photos : mapping, optional
        ``{record_id: file name or list of file names}`` of photographs to
        attach (an ``x_photos`` items column is used too).
    other_marks : mapping, optional
        ``{record_id: text}``: proof marks, State-property marks, other marks
        (an ``x_other_marks`` items column is used too).
    on : date, optional
        Date of the request, which also gives the year of its ``trace_id``
        (default: ``sent_on`` when given, else today).
    sent_on : date, optional
        When given, the requests are recorded as sent that day; otherwise
        they are drafts (``status="draft"``).
    follow_up_of : mapping, optional
        ``{record_id: trace_id}`` of the request whose answer this one follows
        (set by :func:`~iti_analytics.requests.follow_up`).
    infer : bool, default True
        Fill a missing type or calibre from the dataset's other records of
        the same make and model when they all agree; the request says so in
        ``inferred`` ("check on the item").

    Returns
    -------
    DataFrame
        One row per request, columns :data:`REQUEST_COLUMNS`. ``missing``
        lists the codes of :data:`REQUIRED_ELEMENTS` that are absent
        (``;``-joined, empty when none), ``to_fill`` says in the request's
        language what to read on the weapon or pass to fill each of them (for
        a missing calibre, with the calibres the dataset's other records of
        the same make and type carry, as a lead to confirm) and ``complete``
        is True when none is missing. The canonical ``traces`` columns come first, so
        ``iti.Dataset(traces=requests)`` puts the requests in a register.

    Raises
    ------
    InvalidParameterError
        Unknown record ids, an unknown language or channel, or no
        ``requesting_state``.

    See Also
    --------
    write_trace_requests : one page per request, in its language.
    check_request : re-check requests after editing them.

    Examples
    --------
    >>> import iti_analytics as iti
    >>> items = pd.DataFrame({
    ...     "record_id": ["r1", "r2"], "status": "seized", "setting": "crime",
    ...     "seized_on": ["2024-03-05", "2024-03-06"], "country": "NER",
    ...     "locality": "Agadez", "item_kind": "weapon",
    ...     "category": ["assault_rifle", "pistol"], "make": ["Norinco", "Glock"],
    ...     "model": ["Type 56", None], "calibre": ["7.62x39mm", None],
    ...     "serial": ["5612345", "ABC123"], "serial_status": "intact",
    ...     "country_of_manufacture": ["CHN", "AUT"]})
    >>> req = iti.trace_request(items, ["r1", "r2"], requesting_state="NER",
    ...                         language="fr", on="2024-04-01")
    >>> req[["trace_id", "requested_party", "channel", "complete", "missing"]]
            trace_id requested_party    channel  complete  missing
    0  NER-2024-0001             CHN  bilateral      True
    1  NER-2024-0002             AUT  bilateral     False  calibre
    >>> print(req.loc[0, "illicit_nature"][:59])
    Saisi le 5 mars 2024, lieu : Agadez, Niger (criminalité) ;
    """
    ds = as_dataset(ds)
    return _build(
        ds.items,
        ds.traces,
        _record_ids(record_ids),
        requesting_state=requesting_state,
        requested_party=requested_party,
        language=language,
        channel=channel,
        legal_basis=legal_basis,
        intended_use=intended_use,
        confidentiality=confidentiality,
        photos=photos,
        other_marks=other_marks,
        on=on,
        sent_on=sent_on,
        follow_up_of=follow_up_of,
        infer=infer,
    )


def check_request(requests: Any) -> pd.DataFrame:
    """Re-check edited requests: fresh ``missing``, ``to_fill`` and ``complete``.

    Parameters
    ----------
    requests : DataFrame or Dataset
        Rows of :func:`trace_request`, or a Dataset whose ``traces`` are a
        register.

    Returns
    -------
    DataFrame
        The requests with ``missing``, ``to_fill`` and ``complete`` recomputed.

    Examples
    --------
    >>> import iti_analytics as iti
    >>> items = pd.DataFrame({"record_id": ["r1"], "item_kind": "weapon",
    ...     "category": "pistol", "make": "Glock", "serial": "ABC123",
    ...     "serial_status": "intact", "country_of_manufacture": "AUT"})
    >>> req = iti.trace_request(items, "r1", requesting_state="NER", on="2024-04-01")
    >>> req["missing"].tolist()
    ['calibre']
    >>> req.loc[0, "calibre"] = "9x19mm"
    >>> iti.check_request(req)["complete"].tolist()
    [True]
    """
    from .register import _requests_of

    ds = as_dataset(requests, name="requests")
    return _check_elements(_requests_of(ds.traces))


# --------------------------------------------------------------------------- build


def _record_ids(record_ids: Any) -> list[str]:
    if isinstance(record_ids, pd.DataFrame):
        if "record_id" not in record_ids.columns:
            raise InvalidParameterError(
                "`record_ids` is a DataFrame without a `record_id` column; pass a "
                "plan from plan_tracing, a list of record ids or one id."
            )
        if "request_kind" in record_ids.columns:  # a plan: its international rows
            record_ids = record_ids[record_ids["request_kind"] == "trace_request"]
        record_ids = record_ids["record_id"]
    if isinstance(record_ids, str):
        return [record_ids]
    if isinstance(record_ids, pd.Series | pd.Index | np.ndarray | Iterable):
        ids = [str(r) for r in pd.Series(list(record_ids), dtype="string").dropna()]
        return list(dict.fromkeys(ids))
    raise InvalidParameterError(
        f"`record_ids` must be a record id, a list of them or a plan DataFrame, "
        f"but a {type(record_ids).__name__} was passed."
    )


def _build(
    items: pd.DataFrame,
    traces: pd.DataFrame,
    ids: list[str],
    *,
    requesting_state: Any,
    requested_party: Any,
    language: str,
    channel: str | None,
    legal_basis: str | None,
    intended_use: str | None,
    confidentiality: str | None,
    photos: Mapping[str, Any] | None,
    other_marks: Mapping[str, str] | None,
    on: Any,
    sent_on: Any,
    follow_up_of: Mapping[str, str] | None,
    infer: bool,
) -> pd.DataFrame:
    check_option("language", language, LANGUAGES)
    if channel is not None:
        check_option("channel", channel, CHANNELS)
    if not isinstance(requesting_state, str) or not requesting_state.strip():
        raise InvalidParameterError(
            "`requesting_state` must be the ISO3 code of the requesting State (or "
            f"the name of the requesting body), but {requesting_state!r} was passed."
        )
    requesting_state = requesting_state.strip()
    w = Words(language)
    sent = None if sent_on is None else _date(sent_on, "sent_on")
    # a request recorded as sent is dated (and numbered) by its sending day
    today = pd.Timestamp.today().normalize()
    on = _date(on, "on", default=today if sent is None else sent)

    by_id = items.drop_duplicates("record_id").set_index("record_id", drop=False)
    unknown = [r for r in ids if r not in by_id.index]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise InvalidParameterError(
            f"{len(unknown)} record id(s) are not in the dataset's items: {shown}. "
            "Pass ids from ds.items['record_id'] (or a plan from plan_tracing)."
        )
    it = by_id.loc[ids].reset_index(drop=True)
    n = len(it)
    inferred = np.full(n, "", dtype=object)
    if infer:
        it, inferred = _infer_from_model(it, items, w)

    ask = _addressees(it, traces, requested_party)
    chan, chan_basis = _channels(ask["party"], ask["party_type"], traces, channel, w)

    out = pd.DataFrame(index=range(n))
    out["trace_id"] = _trace_ids(traces, requesting_state, on, n)
    out["record_id"] = it["record_id"].astype("string")
    out["requesting_country"] = requesting_state
    out["requested_party"] = pd.array(ask["party"], dtype="string")
    out["party_type"] = pd.array(ask["party_type"], dtype="string")
    out["channel"] = pd.array(chan, dtype="string")
    out["sent_on"] = pd.Series(sent, index=out.index, dtype="datetime64[s]")
    out["status"] = "draft" if sent is None else "sent"
    out["outcome"] = "pending"
    parent = follow_up_of or {}
    out["follow_up_of"] = pd.array(
        [parent.get(r) for r in out["record_id"]], dtype="string"
    )
    out["next_party"] = pd.array([None] * n, dtype="string")
    event = "draft" if sent is None else "sent"
    day = (on if sent is None else sent).strftime("%Y-%m-%d")
    out["status_history"] = f"{day} {event}"
    out["language"] = language
    out["addressee"] = _addressee_words(ask, it, w)
    out["party_basis"] = pd.array(
        [w(f"basis.{b}") for b in ask["basis"]], dtype="string"
    )
    out["channel_basis"] = pd.array(chan_basis, dtype="string")
    for col, src in (
        ("seizure_id", "seizure_id"),
        ("seized_on", "seized_on"),
        ("recovered_country", "country"),
        ("recovered_place", "locality"),
        ("item_kind", "item_kind"),
        ("category", "category"),
        ("make", "make"),
        ("model", "model"),
        ("calibre", "calibre"),
        ("serial", "serial"),
        ("serial_status", "serial_status"),
        ("country_of_manufacture", "country_of_manufacture"),
        ("year_of_manufacture", "year_of_manufacture"),
        ("import_country", "import_country"),
        ("import_year", "import_year"),
    ):
        out[col] = it[src].to_numpy()
    out["import_marking"] = _import_words(it, w)
    out["other_marks"] = _lookup_text(it, other_marks, "x_other_marks")
    out["photos"] = _lookup_text(it, photos, "x_photos")
    out["inferred"] = pd.array(inferred, dtype="string")
    out["illicit_nature"] = _nature_words(it, requesting_state, w)
    out["legal_basis"] = legal_basis if legal_basis is not None else w("legal.default")
    if intended_use is not None:
        out["intended_use"] = intended_use
    else:
        setting = it["setting"].astype("string").fillna("other")
        kind = np.where(setting.isin(["crime", "conflict"]), setting, "other")
        out["intended_use"] = [w(f"use.{k}") for k in kind]
    out["confidentiality"] = (
        confidentiality if confidentiality is not None else w("conf.default")
    )
    out["information_requested"] = w("asked.text")
    for col in (
        "requesting_country",
        "status",
        "outcome",
        "status_history",
        "language",
        "legal_basis",
        "intended_use",
        "confidentiality",
        "information_requested",
        "addressee",
    ):
        out[col] = out[col].astype("string")
    out["p_success"] = pd.array(ask["p_success"], dtype="Float64")
    out["expected_days"] = pd.array(ask["expected_days"], dtype="Float64")
    out = _check_elements(_typed(out), items)
    return out[REQUEST_COLUMNS]


_EXTRA_DTYPES = {
    "seized_on": "datetime64[s]",
    "year_of_manufacture": "Int64",
    "import_year": "Int64",
    "p_success": "Float64",
    "expected_days": "Float64",
    "complete": "boolean",
}


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    """Canonical ``traces`` dtypes for its columns; fixed dtypes for the others."""
    canonical = [c for c in out.columns if c not in EXTRA_COLUMNS]
    traces = conform(out[canonical], "traces")
    traces = traces[[c for c in traces.columns if not c.startswith("x_")]]
    extra = {c: _cast_extra(out[c], c) for c in out.columns if c in EXTRA_COLUMNS}
    return pd.concat([traces, pd.DataFrame(extra, index=out.index)], axis=1)


_BOOLEAN_TEXT = {"true": True, "false": False, "1": True, "0": False}


def _cast_extra(s: pd.Series, col: str) -> pd.Series:
    """A request column in its dtype, also when read back from CSV or JSON."""
    dtype = _EXTRA_DTYPES.get(col, "string")
    if str(s.dtype) == dtype:
        return s
    if dtype == "datetime64[s]":
        return pd.to_datetime(s, errors="coerce").dt.floor("D").astype(dtype)
    if dtype in ("Int64", "Float64"):
        return pd.to_numeric(s, errors="coerce").astype(dtype)
    if dtype == "boolean" and not pd.api.types.is_bool_dtype(s):
        text = s.astype("string").str.strip().str.lower()
        return text.map(_BOOLEAN_TEXT).astype(dtype)
    if dtype == "string":
        # CSV reads an empty ``missing`` cell as null: it means "nothing missing"
        s = s.astype(dtype)
        return s.fillna("") if col == "missing" else s
    return s.astype(dtype)


def _date(value: Any, name: str, default: pd.Timestamp | None = None) -> pd.Timestamp:
    """A user's date (see :func:`iti_analytics._validation.as_date`), or ``default``."""
    return default if value is None else as_date(value, name)


def _trace_ids(traces: pd.DataFrame, state: str, on: pd.Timestamp, n: int) -> list:
    prefix = f"{''.join(ch for ch in state if ch.isalnum())[:12].upper()}-{on.year}-"
    existing = traces["trace_id"].astype("string")
    taken = existing[existing.str.startswith(prefix).fillna(False)]
    numbers = pd.to_numeric(taken.str.slice(len(prefix)), errors="coerce")
    start = int(numbers.max()) if numbers.notna().any() else 0
    return [f"{prefix}{start + k:04d}" for k in range(1, n + 1)]
