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

from .._validation import check_option
from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from ..schema import VOCABULARIES, columns, conform
from .words import LANGUAGES, Words

__all__ = [
    "trace_request",
    "check_request",
    "REQUEST_COLUMNS",
    "REQUIRED_ELEMENTS",
    "EXTRA_COLUMNS",
    "CHANNELS",
]

#: channels a request can travel through (the ``traces.channel`` vocabulary).
CHANNELS = VOCABULARIES[("traces", "channel")]

#: element code -> what it checks. Every code is required by ITI para. 17 or by
#: the request itself (who asks whom, how); a request lacking one is incomplete.
REQUIRED_ELEMENTS: dict[str, str] = {
    "requesting_state": "the State (or body) that sends the request",
    "requested_party": "whom the request is addressed to",
    "channel": "how it travels: bilateral, INTERPOL, regional body or UN panel",
    "illicit_nature": "para. 17 (a): why the item is illicit",
    "legal_basis": "para. 17 (a): the legal justification of the request",
    "weapon": "the item is a small arm or light weapon (ammunition is traced by "
    "lot, parts through their weapon)",
    "type": "para. 17 (b): type of weapon",
    "calibre": "para. 17 (b): calibre",
    "serial": "para. 17 (b) and para. 8 (a): a readable serial number",
    "manufacture_marks": "para. 17 (b) and para. 8 (a): manufacturer or country "
    "of manufacture",
    "intended_use": "para. 17 (c): intended use of the information",
    "confidentiality": "the confidentiality asked for the request and its answer",
}

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
    "complete",
    "p_success",
    "expected_days",
]

#: columns of a request (the register's rows): every canonical ``traces``
#: column, then :data:`EXTRA_COLUMNS`.
REQUEST_COLUMNS = [*columns("traces"), *EXTRA_COLUMNS]

_BAD_SERIAL = ("obliterated", "absent")
_MIN_HISTORY = 3
_STATE_CHANNELS = ("bilateral", "interpol", "regional")


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
        Date of the request (default: today).
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
        (``;``-joined, empty when none) and ``complete`` is True when none
        is. The canonical ``traces`` columns come first, so
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
    """Re-check requests (e.g. after editing them): fresh ``missing`` and ``complete``.

    Parameters
    ----------
    requests : DataFrame or Dataset
        Rows of :func:`trace_request`, or a Dataset whose ``traces`` are a
        register.

    Returns
    -------
    DataFrame
        The requests with ``missing`` and ``complete`` recomputed.

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
    out = _requests_of(ds.traces)
    missing = _missing_elements(out)
    out["missing"] = pd.array(missing, dtype="string")
    out["complete"] = pd.array(missing == "", dtype="boolean")
    return out


# --------------------------------------------------------------------------- build


def _record_ids(record_ids: Any) -> list[str]:
    if isinstance(record_ids, pd.DataFrame):
        if "record_id" not in record_ids.columns:
            raise InvalidParameterError(
                "`record_ids` is a DataFrame without a `record_id` column; pass a "
                "plan from plan_tracing, a list of record ids or one id."
            )
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
    on = _date(on, "on", default=pd.Timestamp.today().normalize())
    sent = None if sent_on is None else _date(sent_on, "sent_on")

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
    out = _typed(out)
    missing = _missing_elements(out)
    out["missing"] = pd.array(missing, dtype="string")
    out["complete"] = pd.array(missing == "", dtype="boolean")
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
    extra = {}
    for col in [c for c in out.columns if c in EXTRA_COLUMNS]:
        dtype = _EXTRA_DTYPES.get(col, "string")
        s = out[col]
        if dtype == "datetime64[s]":
            s = pd.to_datetime(s, errors="coerce").astype(dtype)
        elif dtype in ("Int64", "Float64"):
            s = pd.to_numeric(s, errors="coerce").astype(dtype)
        else:
            s = s.astype(dtype)
        extra[col] = s
    return pd.concat([traces, pd.DataFrame(extra, index=out.index)], axis=1)


def _date(value: Any, name: str, default: pd.Timestamp | None = None) -> pd.Timestamp:
    if value is None:
        return default
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(
            f"`{name}` must be a date such as '2024-04-01', but {value!r} was passed."
        ) from err
    if ts is pd.NaT:
        raise InvalidParameterError(f"`{name}` must be a date, but NaT was passed.")
    return ts.normalize()


def _trace_ids(traces: pd.DataFrame, state: str, on: pd.Timestamp, n: int) -> list:
    prefix = f"{''.join(ch for ch in state if ch.isalnum())[:12].upper()}-{on.year}-"
    existing = traces["trace_id"].astype("string")
    taken = existing[existing.str.startswith(prefix).fillna(False)]
    numbers = pd.to_numeric(taken.str.slice(len(prefix)), errors="coerce")
    start = int(numbers.max()) if numbers.notna().any() else 0
    return [f"{prefix}{start + k:04d}" for k in range(1, n + 1)]


def _infer_from_model(
    it: pd.DataFrame, items: pd.DataFrame, w: Words
) -> tuple[pd.DataFrame, np.ndarray]:
    """Fill type and calibre from other records of the same make and model."""
    it = it.copy()
    notes = np.full(len(it), "", dtype=object)
    key_cols = ["make", "model"]
    known = items.dropna(subset=key_cols)
    for col in ("category", "calibre"):
        gap = it[col].isna() & it["model"].notna()
        if not gap.any():
            continue
        ref = known.dropna(subset=[col]).groupby(key_cols, observed=True)[col]
        agree = ref.agg(["nunique", "first", "size"])
        agree = agree[agree["nunique"] == 1]
        # records of the same model without a make still identify the model
        by_model = (
            items.dropna(subset=["model", col]).groupby("model", observed=True)[col]
        ).agg(["nunique", "first", "size"])
        by_model = by_model[by_model["nunique"] == 1]
        for pos in np.flatnonzero(gap.to_numpy()):
            make, model = it.at[pos, "make"], it.at[pos, "model"]
            hit = None
            if pd.notna(make) and (make, model) in agree.index:
                hit = agree.loc[(make, model)]
            elif pd.isna(make) and model in by_model.index:
                hit = by_model.loc[model]
            if hit is None:
                continue
            it.at[pos, col] = hit["first"]
            sep = "; " if notes[pos] else ""
            label = w("label.category" if col == "category" else "label.calibre")
            value = w.vocab(col, hit["first"])
            notes[pos] += sep + w(
                "infer.note", field=label, value=value, n=int(hit["size"]), model=model
            )
    return it, notes


def _addressees(
    it: pd.DataFrame, traces: pd.DataFrame, requested_party: Any
) -> dict[str, np.ndarray]:
    """Whom to ask (traceability's choice unless the caller names the party)."""
    from ..tracing import traceability

    n = len(it)
    given = np.full(n, None, dtype=object)
    if isinstance(requested_party, str):
        given[:] = requested_party
    elif isinstance(requested_party, Mapping):
        given = np.array(
            [requested_party.get(r) for r in it["record_id"]], dtype=object
        )
    elif requested_party is not None:
        raise InvalidParameterError(
            "`requested_party` must be a party (ISO3 code or name), a mapping "
            f"{{record_id: party}} or None, but a {type(requested_party).__name__} "
            "was passed."
        )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tr = traceability({"items": it, "traces": traces})
    ask = tr["ask"].astype("string").to_numpy(dtype=object, na_value=None)
    ask_type = tr["ask_type"].astype("string").to_numpy(dtype=object, na_value=None)
    basis = np.where(
        ask_type == "manufacturer",
        "manufacturer",
        np.where(
            tr["ask_basis"].astype("string").str.contains("import").fillna(False),
            "import",
            "manufacture",
        ),
    ).astype(object)
    has_given = np.array([g is not None for g in given], dtype=bool)
    party = np.where(has_given, given, ask)
    same = has_given & (given == ask)
    kind = np.where(has_given & ~same, _party_types(given), ask_type)
    basis = np.where(has_given & ~same, "given", basis)
    p = tr["p_success"].to_numpy(dtype=float)
    days = tr["expected_days"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return {
        "party": party,
        "party_type": kind,
        "basis": basis,
        "p_success": np.where(has_given & ~same, np.nan, p),
        "expected_days": np.where(has_given & ~same, np.nan, days),
    }


def _party_types(parties: np.ndarray) -> np.ndarray:
    """A named party's type: an ISO3 code is a State, INTERPOL is INTERPOL."""
    from ..normalize import normalize_country

    text = pd.Series(parties, dtype="string")
    iso, _ = normalize_country(
        text.where(text.str.fullmatch(r"[A-Z]{3}").fillna(False))
    )
    kind = np.where(iso.notna().to_numpy(), "state", "other").astype(object)
    kind[text.str.upper().eq("INTERPOL").fillna(False).to_numpy()] = "interpol"
    kind[text.isna().to_numpy()] = None
    return kind


def _channels(
    party: np.ndarray,
    party_type: np.ndarray,
    traces: pd.DataFrame,
    channel: str | None,
    w: Words,
) -> tuple[np.ndarray, list[str]]:
    """The channel per request and why (given, best answered, or bilateral)."""
    n = len(party)
    if channel is not None:
        return np.full(n, channel, dtype=object), [w("chanbasis.given")] * n
    sent = traces[traces["sent_on"].notna() & traces["requested_party"].notna()]
    stats = (
        pd.DataFrame(
            {
                "party": sent["requested_party"].astype("string"),
                "channel": sent["channel"].astype("string"),
                "answered": sent["responded_on"].notna(),
            }
        )
        .dropna(subset=["channel"])
        .groupby(["party", "channel"], observed=True)["answered"]
        .agg(["size", "mean"])
        .reset_index()
    )
    # a UN panel's channel is not open to a State: choose among the others
    stats = stats[
        (stats["size"] >= _MIN_HISTORY) & stats["channel"].isin(_STATE_CHANNELS)
    ]
    best = stats.sort_values(
        ["party", "mean", "size"], ascending=[True, False, False]
    ).drop_duplicates("party")
    best = best.set_index("party")
    chan = np.full(n, "bilateral", dtype=object)
    why = [w("chanbasis.default")] * n
    for k, p in enumerate(party):
        if p is not None and p in best.index:
            row = best.loc[p]
            chan[k] = row["channel"]
            why[k] = w("chanbasis.history", share=w.pct(row["mean"], 0), n=row["size"])
    if party_type is not None:
        chan[np.asarray(party_type == "interpol", dtype=bool)] = "interpol"
    return chan, why


def _addressee_words(ask: dict[str, np.ndarray], it: pd.DataFrame, w: Words) -> list:
    words = []
    com = it["country_of_manufacture"].astype("string")
    for k, (party, kind) in enumerate(
        zip(ask["party"], ask["party_type"], strict=True)
    ):
        if party is None:
            words.append(None)
        elif kind == "manufacturer":
            c = com.iloc[k]
            words.append(
                w("party.manufacturer", party=party, country=w.country(c))
                if pd.notna(c)
                else w("party.manufacturer_no_country", party=party)
            )
        else:
            words.append(w.country(party))
    return words


def _import_words(it: pd.DataFrame, w: Words) -> list:
    out = []
    for marked, country, year in zip(
        it["import_marked"], it["import_country"], it["import_year"], strict=True
    ):
        if pd.notna(country):
            out.append(
                w("mark.import", country=w.country(country), year=int(year))
                if pd.notna(year)
                else w("mark.import_no_year", country=w.country(country))
            )
        elif marked is False:
            out.append(w("mark.no_import"))
        else:
            out.append(None)
    return out


def _lookup_text(it: pd.DataFrame, given: Mapping[str, Any] | None, column: str):
    given = given or {}
    extra = it[column] if column in it.columns else pd.Series(None, index=it.index)
    out = []
    for rid, ext in zip(it["record_id"], extra, strict=True):
        value = given.get(rid)
        if value is None and pd.notna(ext):
            value = ext
        if value is None:
            out.append(None)
        elif isinstance(value, str):
            out.append(value)
        else:
            out.append("; ".join(str(v) for v in value))
    return pd.array(out, dtype="string")


def _nature_words(it: pd.DataFrame, state: str, w: Words) -> list:
    out = []
    illicit = w("nature.illicit", state=w.country(state))
    for row in it[
        ["status", "seized_on", "locality", "country", "setting", "record_id"]
    ].itertuples(index=False):
        status = row.status if pd.notna(row.status) else "unknown"
        place = ", ".join(
            str(p)
            for p in (
                row.locality,
                w.country(row.country) if pd.notna(row.country) else None,
            )
            if p is not None and pd.notna(p)
        )
        out.append(
            w(
                "nature.text",
                status=w(f"nature.status.{status}"),
                date=w.date(row.seized_on),
                place=place or w("word.unknown"),
                setting=w.vocab("setting", row.setting),
                record=row.record_id,
            )
            + " "
            + illicit
        )
    return out


def _blank(s: pd.Series) -> np.ndarray:
    text = s.astype("string").str.strip()
    return (text.isna() | (text == "")).to_numpy(dtype=bool)


def _missing_elements(req: pd.DataFrame) -> np.ndarray:
    """``;``-joined codes of the required elements each request lacks."""
    kind = req["item_kind"].astype("string")
    status = req["serial_status"].astype("string")
    checks = {
        "requesting_state": _blank(req["requesting_country"]),
        "requested_party": _blank(req["requested_party"]),
        "channel": ~req["channel"].astype("string").isin(CHANNELS).fillna(False),
        "illicit_nature": _blank(req["illicit_nature"]),
        "legal_basis": _blank(req["legal_basis"]),
        "weapon": (kind.notna() & (kind != "weapon")).fillna(False).to_numpy(bool),
        "type": _blank(req["category"]),
        "calibre": _blank(req["calibre"]),
        "serial": _blank(req["serial"]) | status.isin(_BAD_SERIAL).fillna(False),
        "manufacture_marks": _blank(req["make"])
        & _blank(req["country_of_manufacture"]),
        "intended_use": _blank(req["intended_use"]),
        "confidentiality": _blank(req["confidentiality"]),
    }
    codes = np.array(list(checks), dtype=object)
    flags = np.column_stack([np.asarray(v, dtype=bool) for v in checks.values()])
    return np.array([";".join(codes[row]) for row in flags], dtype=object)
