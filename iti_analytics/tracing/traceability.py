"""Traceability: can a trace of this item succeed, whom to ask, how long it takes."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from ..dataset import Dataset, DatasetLike, as_dataset
from ..reference import load_reference
from ._common import (
    add_note,
    as_bool,
    isin,
    resolve_as_of,
    years_between,
)
from .completeness import fill_from_model, missing_item_elements
from .history import (
    _DEFAULT_ANSWER_RATE,
    _DEFAULT_TRACE_RATE,
    _EMPTY_HISTORY,
    _NOT_SENT,
    _UNRESPONSIVE,
    DOMESTIC_SUFFIX,
    _check_strength,
    _party_history,
    _party_key,
    _pooled,
    domestic_request,
)

__all__ = [
    "traceability",
    "BLOCKERS",
    "HARD_BLOCKERS",
    "SOFT_FACTORS",
    "TRACEABILITY_COLUMNS",
    "REPORTED_STATUSES",
    "REQUEST_KINDS",
    "OWNER_CHECK_P",
    "INCOMPLETE_CODES",
]

#: statuses of records that report a loss or theft: never traced, they are
#: what seizures are checked against (:func:`~iti_analytics.linkage.hit_check`).
REPORTED_STATUSES = ("lost", "stolen", "missing")

#: what to do with an item: an international trace request, a check in the
#: seizing State's own records, or a hit-check against lost and stolen reports.
REQUEST_KINDS = ("trace_request", "domestic_check", "hit_check")

#: chance a check with a known registered owner finds the weapon in that
#: owner's records (an assumption: the owner holds the register).
OWNER_CHECK_P = 0.9

#: reason code -> words. Hard blockers make ``p_success`` 0; the others lower it.
BLOCKERS: dict[str, str] = {
    "reported_lost_stolen": "reported lost or stolen: not traced, seizures are "
    "checked against it (hit-check)",
    "ammunition": "ammunition: trace the lot (headstamp and lot number) with its "
    "producer, not as a weapon",
    "part": "weapon part: traced through the serial of the weapon it came from",
    "explosive_component": "explosive component: trace it through the commercial "
    "supply chain (maker, distributor, licensed user)",
    "other_item": "not a weapon",
    "duplicate_record": "repeat report of another record: trace the first record",
    "serial_absent": "no serial number on the item",
    "serial_obliterated": "serial number obliterated: send it for restoration first",
    "serial_missing": "no serial number recorded: re-examine the markings",
    "serial_placeholder": "the serial recorded is a placeholder (0, 000000, SN, "
    "123456 …): re-examine the markings",
    "craft": "craft-made: no production records, profile it instead",
    "3d_printed": "3D-printed: no production records, profile it instead",
    "converted": "converted from a blank-firing or alarm weapon: the maker's and "
    "sellers' records may still name the buyer of the original",
    "unknown_origin": "maker not identified (no make of the reference table), "
    "country of manufacture and import mark unknown: nobody to ask",
    "pre_1946": "made before 1946: outside ISACS 05.31 tracing",
    "serial_partial": "partial serial: the records may not match",
    "beyond_manufacture_retention": "made more than 30 years before the request: "
    "manufacturing records may be gone (ITI para. 12a keeps them at least 30 "
    "years)",
    "beyond_record_retention": "import or export more than 20 years before the "
    "request: records may be gone (ITI para. 12b keeps them at least 20 years "
    "from the transfer)",
    "country_contradicts_make": "the recorded country of manufacture contradicts "
    "the make: the maker's country is asked",
    "reactivated": "reactivated weapon: deactivation records may be missing",
    "no_import_mark": "made abroad and no import marking recorded: the maker's "
    "State can name the first importer only, and the chain may break there",
    "type_missing": "type of weapon missing: the request would be incomplete "
    "(ITI para. 17 b); read it from the weapon first",
    "calibre_missing": "calibre missing: the request would be incomplete (ITI "
    "para. 17 b); read it from the markings first",
    "manufacture_marks_missing": "maker and country of manufacture missing: the "
    "request would be incomplete (ITI para. 17 b); read the markings first",
    "party_unresponsive": "the requested party rarely answers",
    "party_unknown": "no earlier request to this party: the overall rate is assumed",
}

#: codes that make a trace impossible as such (``traceable`` False).
HARD_BLOCKERS = (
    "reported_lost_stolen",
    "ammunition",
    "part",
    "explosive_component",
    "other_item",
    "duplicate_record",
    "serial_absent",
    "serial_obliterated",
    "serial_missing",
    "serial_placeholder",
    "craft",
    "3d_printed",
    "unknown_origin",
    "pre_1946",
)

#: how much each soft blocker multiplies ``p_success`` (assumptions, not fitted).
SOFT_FACTORS: dict[str, float] = {
    "serial_partial": 0.3,
    "beyond_manufacture_retention": 0.4,
    "beyond_record_retention": 0.7,
    "reactivated": 0.8,
    "converted": 0.3,
    "no_import_mark": 0.85,
    "type_missing": 0.5,
    "calibre_missing": 0.5,
    "manufacture_marks_missing": 0.5,
}

#: soft blockers of an item whose request would lack an element ITI para. 17
#: asks for (:data:`~iti_analytics.tracing.completeness.REQUIRED_ELEMENTS`),
#: by element. The UNIDIR expert group names the inexact identification of
#: weapons as one of the main obstacles to tracing (seed report, section
#: "Identification inexacte des armes"); the factor 0.5 is an assumption.
INCOMPLETE_CODES: dict[str, str] = {
    "type": "type_missing",
    "calibre": "calibre_missing",
    "manufacture_marks": "manufacture_marks_missing",
}

#: columns of :func:`traceability`.
TRACEABILITY_COLUMNS = [
    "record_id",
    "traceable",
    "p_success",
    "blockers",
    "blocker_words",
    "ask",
    "ask_type",
    "ask_basis",
    "party_requests",
    "party_answered",
    "party_traced",
    "answer_rate",
    "trace_rate",
    "expected_days",
    "requested",
    "request_status",
    "request_kind",
    "registered_owner",
]


def _successors() -> dict[str, str]:
    t = load_reference("successor_states")
    return dict(zip(t["code"], t["successor"], strict=True))


def traceability(
    ds: DatasetLike,
    *,
    as_of: Any = None,
    prior_strength: float | str = 10,
    mature_days: int = 365,
) -> pd.DataFrame:
    """Per item: the chance a trace succeeds, what blocks it, whom to ask, how long.

    Parameters
    ----------
    ds : Dataset
        Its ``items`` and ``traces`` (for the requested parties' history).
    as_of : date, optional
        Date of the request, for record retention (default: the latest date in
        the data).
    prior_strength : float or "auto", default 10
        Shrinkage of each party's history toward the pooled rate, in requests
        (see :func:`party_history`).
    mature_days : int, default 365
        See :func:`party_history`.

    Returns
    -------
    DataFrame
        Same index as ``ds.items``, columns :data:`TRACEABILITY_COLUMNS`:

        ``traceable``, ``p_success``
            No hard blocker, and the probability that the requested party
            answers *and* the answer identifies the item's history:
            ``answer_rate × trace_rate × soft factors`` (0 with a hard
            blocker).
        ``blockers``, ``blocker_words``
            ``;``-joined reason codes (:data:`BLOCKERS`) and their words.
            Hard blockers (:data:`HARD_BLOCKERS`): a loss or theft report
            (never traced: seizures are checked against it), not a weapon
            (ammunition is traced by lot, parts through their weapon), a
            repeat report, no usable serial (absent, obliterated, not
            recorded, a placeholder such as "000000"), craft or 3D-printed
            production (no records: profile instead), nobody to ask, made
            before 1946 (outside ISACS 05.31). Soft ones multiply
            ``p_success`` by :data:`SOFT_FACTORS`: a partial serial (0.3),
            converted from a blank-firing pistol (0.3: the maker's and
            sellers' records may still name the buyer), manufacture more than
            30 years before the request (0.4; ITI para. 12a), an import or
            export more than 20 years before it (0.7; para. 12b: the period
            runs from the transfer — the import year, else the date last in
            legal hands — and is a minimum), reactivated (0.8), a request
            that would be incomplete (0.5 for each element of ITI para. 17 b
            the record lacks — ``type_missing``, ``calibre_missing``,
            ``manufacture_marks_missing``, :data:`INCOMPLETE_CODES` —
            unless every other record of the same make and model gives it),
            made abroad with no import marking recorded (0.85,
            ``no_import_mark``: the maker's State can name the first importer
            only; the UNIDIR expert group calls the absence of import marking
            one of the main obstacles to tracing — seed report, section
            "Absence de marquage à l'importation");
            ``party_unresponsive`` when the asked party's shrunk answer rate
            is below 0.3; ``country_contradicts_make`` when the recorded
            country of manufacture is none of the make's (the make's country
            is asked instead).
        ``ask``, ``ask_type``, ``ask_basis``
            Whom to ask: the state that last imported the item (its import
            marking), the state of manufacture (successor states answer for
            the USSR, Yugoslavia, Czechoslovakia and the GDR), or the
            manufacturer — whichever gives the highest ``p_success``, the
            importer first on ties (ITI: the last legal import is the nearest
            record).
        ``party_requests``, ``party_answered``, ``party_traced``,
        ``answer_rate``, ``trace_rate``, ``expected_days``
            That party's history (:func:`party_history`): matured requests,
            answers, full traces, shrunk rates, and the days an answer
            usually takes (null when no answer has ever been dated).
        ``requested``, ``request_status``
            Whether the item already has a trace request (not a draft nor
            withdrawn), and the latest one's outcome (or status while open).
        ``request_kind``, ``registered_owner``
            What to send (:data:`REQUEST_KINDS`): ``hit_check`` for loss and
            theft reports (status in :data:`REPORTED_STATUSES`);
            ``domestic_check`` when a registered owner is known
            (``registered_owner`` or ``owner_type``; then ``ask`` is the owner
            with ``ask_type`` "other", ``ask_basis`` "registered owner" and
            ``p_success`` :data:`OWNER_CHECK_P`) or when the party to ask
            is the seizing State itself or one of its makers;
            ``trace_request`` (international) otherwise; null when a hard
            blocker leaves nothing to send.

        ``attrs["notes"]`` says what could not be used (no traces: assumed
        rates; no serials at all …); the same sentences are warned as
        :class:`TracingWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["r1", "r2", "r3", "r4"],
    ...     "item_kind": ["weapon", "weapon", "weapon", "ammunition"],
    ...     "category": ["pistol", None, "assault_rifle", None],
    ...     "calibre": ["9x19mm", None, "7.62x39mm", "7.62x39mm"],
    ...     "make": ["FN Herstal", None, "Norinco", "Norinco"],
    ...     "country_of_manufacture": ["BEL", None, "CHN", "CHN"],
    ...     "year_of_manufacture": [2015, None, 1975, 2001],
    ...     "serial": ["1234567890", "A12", None, None],
    ...     "serial_status": ["intact", "intact", "obliterated", None],
    ...     "production": [None, "craft", None, None]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     t = traceability(items, as_of="2024-01-01")
    >>> t[["record_id", "traceable", "p_success", "ask"]]
      record_id  traceable  p_success      ask
    0        r1       True       0.25      BEL
    1        r2      False       0.00     <NA>
    2        r3      False       0.00      CHN
    3        r4      False       0.00  Norinco
    >>> t.loc[2, "blockers"]
    'serial_obliterated;beyond_manufacture_retention'
    >>> t.attrs["notes"][0]
    'No trace requests in the dataset: every party is assumed to answer 50% of ...'
    """
    _check_strength(prior_strength)
    ds = as_dataset(ds)
    return _traceability(
        ds, as_of=as_of, prior_strength=prior_strength, mature_days=mature_days
    )


def _traceability(
    ds: Dataset,
    *,
    as_of: Any = None,
    prior_strength: float | str = 10,
    mature_days: int = 365,
) -> pd.DataFrame:
    """:func:`traceability` on a Dataset already through ``as_dataset``."""
    notes: list[str] = []
    as_of = resolve_as_of(as_of, ds.items, ds.traces)
    items = ds.items
    n = len(items)
    history = _party_history(
        ds,
        as_of=as_of,
        strength=_check_strength(prior_strength),
        mature_days=mature_days,
    )
    if history.empty:
        add_note(
            notes,
            "No trace requests in the dataset: every party is assumed to answer "
            f"{_DEFAULT_ANSWER_RATE:.0%} of requests and to trace "
            f"{_DEFAULT_TRACE_RATE:.0%} of the items it answers about.",
        )
    codes = _hard_blockers(items, notes)
    codes.update(_incomplete(items))
    com, contradicts = _trusted_country(items)
    codes["country_contradicts_make"] = contradicts
    codes.update(_chain_codes(items, com))
    ask = _choose_party(items, com, history, as_of)
    codes.update(ask.pop("soft"))
    hard = np.zeros(n, dtype=bool)
    for code in HARD_BLOCKERS:
        if code in codes:
            hard |= codes[code]
    for code in INCOMPLETE_CODES.values():
        codes[code] &= ~hard
    p = ask["p"].copy()
    for code, factor in SOFT_FACTORS.items():
        if code in codes:
            p = np.where(codes[code], p * factor, p)
    owner = registered_owner(items)
    has_owner = owner.notna().to_numpy(dtype=bool) & ~codes["reported_lost_stolen"]
    p = np.where(has_owner, OWNER_CHECK_P, p)
    p = np.where(hard, 0.0, p)
    blockers, words = _blocker_text(codes, ask["party_words"], n)
    requested, status = _requests(items, ds.traces, as_of)
    kind = _request_kind(items, ask, has_owner, codes["reported_lost_stolen"], hard)
    ask_party = pd.array(ask["ask"], dtype="string")
    ask_party[has_owner] = owner[has_owner].array
    ask_type = np.where(has_owner, "other", ask["ask_type"])
    basis = pd.array(ask["ask_basis"], dtype="string")
    basis[has_owner] = "registered owner"
    out = pd.DataFrame(
        {
            "record_id": items["record_id"].astype("string").to_numpy(),
            "traceable": ~hard,
            "p_success": np.round(p, 4),
            "blockers": blockers,
            "blocker_words": words,
            "ask": ask_party,
            "ask_type": pd.array(ask_type, dtype="string"),
            "ask_basis": basis,
            "party_requests": pd.array(ask["requests"], dtype="Int64"),
            "party_answered": pd.array(ask["answered"], dtype="Int64"),
            "party_traced": pd.array(ask["traced"], dtype="Int64"),
            "answer_rate": pd.array(np.round(ask["answer_rate"], 4), dtype="Float64"),
            "trace_rate": pd.array(np.round(ask["trace_rate"], 4), dtype="Float64"),
            "expected_days": pd.array(ask["expected_days"], dtype="Float64"),
            "requested": requested,
            "request_status": status,
            "request_kind": pd.array(kind, dtype="string"),
            "registered_owner": owner.array,
        },
        index=items.index,
    )
    out["traceable"] = out["traceable"].astype(bool)
    out["requested"] = out["requested"].astype(bool)
    out.attrs["notes"] = notes
    out.attrs["as_of"] = as_of
    return out


#: owner types that mean "on no register": not a domestic record to check
_NO_OWNER = ("none", "unknown", "")


def registered_owner(items: pd.DataFrame) -> pd.Series:
    """The known registered owner of each item (``registered_owner``, else
    ``owner_type``; ``x_``-prefixed columns count too), null when unknown.

    An item whose ``owner_type`` is ``none`` (Rio's "Não Patrimoniada": on no
    register) has no owner to ask, whatever else is written.
    """
    out = pd.Series(pd.NA, index=items.index, dtype="string")
    for col in ("registered_owner", "x_registered_owner", "owner_type", "x_owner_type"):
        if col in items.columns:
            value = items[col].astype("string").str.strip()
            out = out.fillna(value.where(~value.str.lower().isin(_NO_OWNER)))
    for col in ("owner_type", "x_owner_type"):
        if col in items.columns:
            kind = items[col].astype("string").str.strip().str.lower()
            out = out.mask(kind.isin(_NO_OWNER[:2]).fillna(False).to_numpy())
    return out


def _request_kind(
    items: pd.DataFrame,
    ask: dict[str, Any],
    has_owner: np.ndarray,
    reported: np.ndarray,
    hard: np.ndarray,
) -> np.ndarray:
    """trace_request, domestic_check or hit_check per item (None: nothing to send).

    A check is domestic when a registered owner is known, or when the party
    to ask is the seizing State itself or a maker of that State.
    """
    seized_in = items["country"].astype("string").str.upper()
    party = pd.Series(ask["ask"], index=items.index, dtype="string").str.upper()
    own_state = ((party == seized_in) & (ask["ask_type"] == "state")).fillna(False)
    own_maker = (
        (ask["maker_country"] == seized_in) & (ask["ask_type"] == "manufacturer")
    ).fillna(False)
    domestic = has_owner | own_state.to_numpy(dtype=bool) | own_maker.to_numpy(bool)
    kind = np.where(domestic, "domestic_check", "trace_request").astype(object)
    kind[hard] = None
    kind[reported] = "hit_check"
    return kind


@functools.cache
def _known_makes() -> pd.Index:
    """The makes of the reference table (``reference/makes.csv``)."""
    return pd.Index(load_reference("makes")["make"].dropna().astype("string"))


@functools.cache
def _make_countries() -> tuple[pd.DataFrame, pd.Series]:
    """Canonical make -> every country it made arms in (current and historic)."""
    t = load_reference("makes")
    rows = pd.concat(
        [
            t[["make", "country"]],
            t[["make", "historic_country"]].rename(
                columns={"historic_country": "country"}
            ),
        ]
    )
    rows = rows.dropna().astype("string")
    rows = rows[rows["country"].str.len() == 3]
    first = t.dropna(subset=["country"]).drop_duplicates("make")
    return rows.drop_duplicates(), first.set_index("make")["country"].astype("string")


def _trusted_country(items: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """The country of manufacture to ask, and where the recorded one was not trusted.

    A recorded country that none of the make's known countries matches
    (a data-entry country such as "YEM" for an IMBEL) is replaced by the
    make's own country.
    """
    com = items["country_of_manufacture"].astype("string").str.upper()
    pairs, home = _make_countries()
    # each distinct (make, country) pair is judged once
    key = pd.DataFrame({"make": items["make"].astype("string"), "com": com})
    codes = key.groupby(["make", "com"], sort=False, dropna=False).ngroup()
    codes = codes.to_numpy()
    first = key.groupby(codes, sort=True).head(1)
    first = first.iloc[np.argsort(codes[key.index.get_indexer(first.index)])]
    valid = set(zip(pairs["make"], pairs["country"], strict=True))
    u_make = first["make"].to_numpy(dtype=object)
    u_com = first["com"].to_numpy(dtype=object)
    bad_u = np.array(
        [
            isinstance(m, str)
            and isinstance(c, str)
            and m in home.index
            and (m, c) not in valid
            for m, c in zip(u_make, u_com, strict=True)
        ],
        dtype=bool,
    )
    home_u = pd.array(
        [home.get(m) if isinstance(m, str) else None for m in u_make], dtype="string"
    )
    contradicts = bad_u[codes] if len(bad_u) else np.zeros(len(items), dtype=bool)
    fixed = com.copy()
    if contradicts.any():
        fixed[contradicts] = home_u[codes[contradicts]]
    return fixed.astype("string"), contradicts


def _map_distinct(values: pd.Series, mapping: pd.Series) -> pd.Series:
    """``values.map(mapping)``, each distinct value looked up once."""
    codes, uniques = pd.factorize(values)
    mapped = pd.Series(uniques, dtype="string").map(mapping).astype("string").array
    out = mapped.take(np.maximum(codes, 0)) if len(uniques) else mapped
    out = pd.array(out, dtype="string")
    if len(uniques):
        out[codes < 0] = pd.NA
    else:
        out = pd.array([pd.NA] * len(values), dtype="string")
    return pd.Series(out, index=values.index, dtype="string")


def _hard_blockers(items: pd.DataFrame, notes: list[str]) -> dict[str, np.ndarray]:
    kind = items["item_kind"].astype("string")
    category = items["category"]
    codes: dict[str, np.ndarray] = {}
    codes["ammunition"] = isin(kind, ["ammunition"])
    codes["part"] = isin(kind, ["part"])
    codes["explosive_component"] = isin(kind, ["explosive_component"])
    codes["other_item"] = isin(kind, ["other"]) & category.isna().to_numpy()
    weapon = ~(
        codes["ammunition"]
        | codes["part"]
        | codes["explosive_component"]
        | codes["other_item"]
    )
    codes["duplicate_record"] = items["duplicate_of"].notna().to_numpy()
    status = items["status"].astype("string").str.lower()
    codes["reported_lost_stolen"] = isin(status, REPORTED_STATUSES)
    status = items["serial_status"].astype("string")
    serial = items["serial"].astype("string").str.strip()
    has_serial = (serial.notna() & (serial != "")).to_numpy(dtype=bool)
    codes["serial_placeholder"] = weapon & has_serial & _placeholder(serial)
    has_serial &= ~codes["serial_placeholder"]
    codes["serial_absent"] = weapon & isin(status, ["absent"])
    codes["serial_obliterated"] = weapon & isin(status, ["obliterated"])
    codes["serial_missing"] = (
        weapon
        & ~has_serial
        & ~codes["serial_absent"]
        & ~codes["serial_obliterated"]
        & ~codes["serial_placeholder"]
    )
    codes["serial_partial"] = weapon & has_serial & isin(status, ["partial"])
    production = items["production"].astype("string")
    for code in ("craft", "3d_printed", "converted", "reactivated"):
        codes[code] = weapon & isin(production, [code])
    # a make outside the reference table with no country is no address either
    # (see _choose_party)
    make_known = items["make"].isin(_known_makes()).fillna(False)
    unknown = (
        ~make_known
        & items["country_of_manufacture"].isna()
        & ~(as_bool(items["import_marked"]) & items["import_country"].notna())
    ).to_numpy(dtype=bool)
    codes["unknown_origin"] = weapon & unknown & ~codes["craft"] & ~codes["3d_printed"]
    year = pd.to_numeric(items["year_of_manufacture"], errors="coerce")
    codes["pre_1946"] = weapon & (year < 1946).fillna(False).to_numpy(dtype=bool)
    if len(items) and weapon.any() and not has_serial[weapon].any():
        add_note(
            notes,
            "No weapon in the dataset has a serial number recorded: nothing can be "
            "traced until the markings are read (ISACS 05.31 needs the serial).",
        )
    return codes


#: serials a clerk types when there is none: not serials.
_PLACEHOLDER_SERIALS = frozenset(
    {"SN", "S/N", "SEM", "NA", "N/A", "ND", "NONE", "UNKNOWN", "123456", "1234567"}
)


def _import_marked(items: pd.DataFrame) -> np.ndarray:
    """Items with an import marking and its country (ITI para. 8(b)).

    A company that both makes and imports (Century Arms) marks its own rifles
    with its name: an "importer" that is the maker itself is no import.
    """
    own_mark = (items["importer"] == items["make"]).fillna(False).to_numpy(dtype=bool)
    return (
        as_bool(items["import_marked"])
        & items["import_country"].notna().to_numpy()
        & ~own_mark
    )


def _chain_codes(items: pd.DataFrame, com: pd.Series) -> dict[str, np.ndarray]:
    """Soft code of a longer chain of records: a weapon made abroad with no
    import marking recorded (the importer's records are reached only through
    the exporter's)."""
    seized_in = items["country"].astype("string").str.upper()
    imported = _import_marked(items)
    foreign = (com.notna() & (com != seized_in)).fillna(False).to_numpy(dtype=bool)
    return {"no_import_mark": foreign & ~imported}


def _incomplete(items: pd.DataFrame) -> dict[str, np.ndarray]:
    """Soft codes of records whose request would lack a para. 17 element.

    The type and calibre count as known when every other record of the same
    make and model agrees on them (as :func:`~iti_analytics.requests.
    trace_request` fills them in).
    """
    filled = items.assign(
        category=fill_from_model(items, "category")[0],
        calibre=fill_from_model(items, "calibre")[0],
    )
    missing = missing_item_elements(filled)
    return {code: missing[element] for element, code in INCOMPLETE_CODES.items()}


def _placeholder(serial: pd.Series) -> np.ndarray:
    """Serials that are placeholders: all zeros, one character, or a word for none.

    Each distinct serial is judged once.
    """
    codes, uniques = pd.factorize(serial)
    if len(uniques) == 0:
        return np.zeros(len(serial), dtype=bool)
    u = (
        pd.Series(uniques, dtype="string")
        .str.upper()
        .str.replace(r"[\s.\-]", "", regex=True)
    )
    flag = (
        u.str.fullmatch(r"0+").fillna(False)
        | (u.str.len() <= 1).fillna(False)
        | u.isin(_PLACEHOLDER_SERIALS).fillna(False)
    ).to_numpy(dtype=bool)
    return np.where(codes >= 0, flag[np.maximum(codes, 0)], False)


def _choose_party(
    items: pd.DataFrame, com: pd.Series, history: pd.DataFrame, as_of: pd.Timestamp
) -> dict[str, Any]:
    """Candidate parties per item, their expected success, and the best one."""
    n = len(items)
    pooled = history.attrs.get("pooled") or _pooled(_EMPTY_HISTORY)
    lookup = history.set_index("party_key") if len(history) else None
    age = np.nan_to_num(years_between(as_of, items["year_of_manufacture"]), nan=-1)
    # ITI para. 12: record-keeping periods run from the record's event (the
    # transfer for import records) and are minima: the import year, else the
    # date the item was last in legal hands, else its manufacture
    import_age = years_between(as_of, items["import_year"])
    transfer_age = years_between(as_of, items["last_legal_on"].dt.year)
    import_age = np.where(np.isnan(import_age), transfer_age, import_age)
    state = com.replace(_successors()).astype("string")
    imported = _import_marked(items)
    import_old = np.where(np.isnan(import_age), age > 20, import_age > 20)
    # a company is asked only when it can be found: a make of the reference
    # table (``reference/makes.csv``) or a recorded country of manufacture;
    # an unknown word in the make column ("Sporter", a Colt and Century model
    # name, in the Rio files) is no address for a request
    make = items["make"].astype("string")
    locatable = make.isin(_known_makes()).fillna(False) | com.notna()
    candidates = [
        # kind, party, basis, records older than 20 years, made over 30 years ago
        (
            "state",
            items["import_country"].astype("string").where(imported),
            "import marking",
            import_old,
            np.zeros(n, dtype=bool),
        ),
        ("state", state, "country of manufacture", (age > 20) & (age <= 30), age > 30),
        (
            "manufacturer",
            make.where(locatable.to_numpy(dtype=bool)),
            "manufacturer",
            np.zeros(n, dtype=bool),
            age > 30,
        ),
    ]
    best = np.full(n, -1.0)
    chosen = np.full(n, -1, dtype=np.int64)
    nums = {
        k: np.full(n, np.nan)
        for k in (
            "p",
            "requests",
            "answered",
            "traced",
            "answer_rate",
            "trace_rate",
            "expected_days",
        )
    }
    record = np.zeros(n, dtype=bool)
    manufacture = np.zeros(n, dtype=bool)
    word_code = np.full(n, -1, dtype=np.int64)
    words: list[np.ndarray] = []
    for k, (kind, party, _, record_old, made_old) in enumerate(candidates):
        have = party.notna().to_numpy(dtype=bool)
        if not have.any():
            words.append(np.array([], dtype=object))
            continue
        own = domestic_request(party, np.full(n, kind), items["country"])
        stats = _lookup(kind, party, lookup, pooled, own)
        if kind == "manufacturer" and lookup is not None:
            # a maker never asked before answers through its home State: its
            # record with that State's requests is the better guess
            _, home = _make_countries()
            state_of = _map_distinct(party, home)
            via = _lookup("state", state_of, lookup, pooled, own)
            borrow = (stats["requests"] == 0) & (via["requests"] > 0)
            for name in ("answer_rate", "trace_rate", "expected_days"):
                stats[name] = np.where(borrow, via[name], stats[name])
        factor = np.where(record_old, SOFT_FACTORS["beyond_record_retention"], 1.0)
        factor = np.where(
            made_old, factor * SOFT_FACTORS["beyond_manufacture_retention"], factor
        )
        p = stats["answer_rate"] * stats["trace_rate"]
        better = have & (p * factor > best + 1e-12)
        best = np.where(better, p * factor, best)
        chosen[better] = k
        nums["p"][better] = p[better]
        for name in nums:
            if name != "p":
                nums[name][better] = stats[name][better]
        record[better] = record_old[better]
        manufacture[better] = made_old[better]
        offset = sum(len(w) for w in words)
        word_code[better] = stats["word_code"][better] + offset
        words.append(stats["words"])
    unresponsive = nums["answer_rate"] < _UNRESPONSIVE
    unknown_party = (nums["requests"] == 0) & ~unresponsive
    all_words = np.concatenate(words) if words else np.array([], dtype=object)
    flagged = (unresponsive | unknown_party) & (word_code >= 0)
    party_words = np.full(n, None, dtype=object)
    party_words[flagged] = all_words[word_code[flagged]]
    ask = pd.Series(pd.NA, index=items.index, dtype="string")
    ask_type = np.full(n, None, dtype=object)
    basis = pd.Series(pd.NA, index=items.index, dtype="string")
    marks = items[["import_country", "importer", "import_year"]]
    for k, (kind, party, label, _, _) in enumerate(candidates):
        rows = chosen == k
        if not rows.any():
            continue
        ask = ask.mask(rows, party)
        ask_type[rows] = kind
        basis[rows] = _basis_words(label, marks[rows], com[rows], state[rows])
    nums["p"] = np.nan_to_num(nums["p"], nan=0.0)
    _, home = _make_countries()
    return {
        "maker_country": _map_distinct(items["make"].astype("string"), home),
        **nums,
        "ask": ask.array,
        "ask_type": ask_type,
        "ask_basis": basis.array,
        "party_words": party_words,
        "soft": {
            "beyond_record_retention": record,
            "beyond_manufacture_retention": manufacture,
            "party_unresponsive": unresponsive,
            "party_unknown": unknown_party,
        },
    }


def _basis_words(
    basis: str, items: pd.DataFrame, com: pd.Series, state: pd.Series
) -> pd.Series:
    """Why this party: built once per distinct (country, year) and broadcast."""
    if basis == "manufacturer":
        return pd.Series("manufacturer", index=items.index, dtype="string")
    if basis == "import marking":
        keys = pd.DataFrame(
            {
                "c": items["import_country"].astype("string"),
                "i": items["importer"].astype("string"),
                "y": items["import_year"].astype("Int64"),
            }
        )
    else:
        keys = pd.DataFrame({"c": com, "s": state})
    codes = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup()
    first = keys.groupby(codes.to_numpy(), sort=True).head(1)
    first = first.set_index(codes.loc[first.index].to_numpy()).sort_index()
    words = _basis_text(basis, first, first["c"], first.get("s"))
    return pd.Series(
        words.array.take(codes.to_numpy()), index=items.index, dtype="string"
    )


def _basis_text(
    basis: str, items: pd.DataFrame, com: pd.Series, state: pd.Series | None
) -> pd.Series:
    if basis == "import marking":
        # ITI para. 8(b) asks only for the country and, where possible, the
        # year of import; the importer's name, when recorded (US importers
        # must mark it: 27 CFR 478.92), tells the analyst whose records the
        # requested State will search
        year = items["y"].astype("Int64").astype("string")
        words = (
            "import marking ("
            + items["c"].astype("string")
            + (", " + items["i"].astype("string")).fillna("")
            + (", " + year).fillna("")
            + ")"
        )
    elif basis == "country of manufacture":
        moved = (com != state).fillna(False)
        words = (
            "country of manufacture (" + com + (" → " + state).where(moved, "") + ")"
        )
    else:
        words = pd.Series("manufacturer", index=items.index, dtype="string")
    return words.astype("string")


def _lookup(
    kind: str,
    party: pd.Series,
    lookup: pd.DataFrame | None,
    pooled: dict[str, dict[str, float]],
    domestic: np.ndarray,
) -> dict[str, np.ndarray]:
    """History of the party of each row (pooled rates for unknown parties).

    Rows where asking the party is a check of the seizing State's own records
    (``domestic``) read the party's answers to such checks, the others its
    answers to international requests. Each distinct (party, scope) is looked
    up once and broadcast back to its rows.
    """
    party = party.astype("string")
    scoped = party.mask(domestic, party + DOMESTIC_SUFFIX)
    codes, uniques = pd.factorize(scoped)
    u_text = pd.Series(uniques, dtype="string")
    u_dom = u_text.str.endswith(DOMESTIC_SUFFIX).fillna(False).to_numpy(dtype=bool)
    u_name = u_text.str.removesuffix(DOMESTIC_SUFFIX)
    u = pd.Index(
        _party_key(kind, u_name).mask(u_dom, _party_key(kind, u_name) + DOMESTIC_SUFFIX)
    )
    m = len(u)
    prior = [pooled["domestic" if dom else kind] for dom in u_dom]
    a = np.array([x["answer"] for x in prior], dtype=float)
    t = np.array([x["trace"] for x in prior], dtype=float)
    d = np.round(np.exp(np.array([x["log_days"] for x in prior], dtype=float)))
    req = np.zeros(m)
    ans = np.zeros(m)
    trc = np.zeros(m)
    names = np.asarray(
        [str(x).split(":", 1)[-1].removesuffix(DOMESTIC_SUFFIX) for x in u],
        dtype=object,
    )
    if lookup is not None and m:
        pos = lookup.index.get_indexer(u)
        hit = pos >= 0
        sub = lookup.iloc[pos[hit]]
        a[hit] = sub["answer_rate"].to_numpy(dtype=float)
        t[hit] = sub["trace_rate"].to_numpy(dtype=float)
        d[hit] = sub["expected_days"].to_numpy(dtype=float, na_value=np.nan)
        req[hit] = sub["mature"].to_numpy(dtype=float)
        ans[hit] = sub["answered"].to_numpy(dtype=float)
        trc[hit] = sub["traced"].to_numpy(dtype=float)
        names[hit] = sub["requested_party"].to_numpy(dtype=object)
    words = np.asarray(
        [
            f"{nm} answered {int(x)} of {int(r)} "
            f"{'record checks of its own' if dom else 'requests'} ({x / r:.0%})"
            if r
            else f"no earlier request to {nm}: the overall rate is assumed"
            for nm, x, r, dom in zip(names, ans, req, u_dom, strict=True)
        ],
        dtype=object,
    )

    def back(values: np.ndarray) -> np.ndarray:
        if not m:
            return np.full(len(codes), np.nan)
        return np.where(codes >= 0, values[np.maximum(codes, 0)], np.nan)

    return {
        "answer_rate": back(a),
        "trace_rate": back(t),
        "expected_days": back(d),
        "requests": back(req),
        "answered": back(ans),
        "traced": back(trc),
        "word_code": codes.astype(np.int64),
        "words": words,
    }


def _blocker_text(
    codes: dict[str, np.ndarray], party_words: np.ndarray, n: int
) -> tuple[pd.array, pd.array]:
    """``;``-joined codes and ``; ``-joined words, built once per distinct pattern."""
    order = [c for c in BLOCKERS if c in codes]
    bits = np.zeros(n, dtype=np.int64)
    hard_bits = party_bits = 0
    for i, code in enumerate(order):
        bits |= codes[code].astype(np.int64) << i
        if code in HARD_BLOCKERS:
            hard_bits |= 1 << i
        if code in ("party_unresponsive", "party_unknown"):
            party_bits |= 1 << i
    # a hard blocker makes the party's record irrelevant
    bits = np.where(bits & hard_bits, bits & ~party_bits, bits)
    word_code, word_uniques = pd.factorize(
        pd.Series(np.where(bits & party_bits, party_words, None), dtype=object)
    )
    combined = bits * (len(word_uniques) + 1) + (word_code + 1)
    pcodes, uniques = pd.factorize(combined)
    code_text, word_text = [], []
    for value in uniques.tolist():
        b, w = divmod(int(value), len(word_uniques) + 1)
        pw = word_uniques[w - 1] if w else None
        present = [code for i, code in enumerate(order) if (b >> i) & 1]
        code_text.append(";".join(present) if present else None)
        words = [
            pw
            if code in ("party_unresponsive", "party_unknown") and pw
            else BLOCKERS[code]
            for code in present
        ]
        word_text.append("; ".join(words) if words else None)
    code_arr = pd.array(code_text, dtype="string").take(pcodes)
    word_arr = pd.array(word_text, dtype="string").take(pcodes)
    return code_arr, word_arr


def _requests(
    items: pd.DataFrame, traces: pd.DataFrame, as_of: pd.Timestamp
) -> tuple[np.ndarray, pd.array]:
    """Whether each item already has a trace request, and its latest state."""
    tr = traces[~isin(traces["status"], _NOT_SENT)]
    tr = tr[~(tr["sent_on"] > as_of).fillna(False).to_numpy(dtype=bool)]
    if tr.empty:
        return np.zeros(len(items), dtype=bool), pd.array(
            [None] * len(items), dtype="string"
        )
    outcome = tr["outcome"].astype("string")
    state = outcome.where(outcome.notna() & (outcome != "pending"), tr["status"])
    latest = (
        pd.DataFrame(
            {
                "record_id": tr["record_id"].astype("string"),
                "sent": tr["sent_on"],
                "state": state.astype("string"),
            }
        )
        .sort_values("sent", na_position="first", kind="stable")
        .drop_duplicates("record_id", keep="last")
        .set_index("record_id")["state"]
    )
    rid = items["record_id"].astype("string")
    pos = latest.index.get_indexer(rid)
    requested = pos >= 0
    vals = latest.to_numpy(dtype=object, na_value=None)
    status = np.where(requested, vals[np.maximum(pos, 0)] if len(vals) else None, None)
    status = np.where(requested & pd.isna(status), "sent", status)
    return requested, pd.array(status, dtype="string")
