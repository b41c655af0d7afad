"""The parts of a trace request: addressee, channel, texts, and the completeness check.

Helpers of :func:`~iti_analytics.requests.trace_request`; each takes the
typed items of the requests and returns one value per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ..schema import VOCABULARIES
from ..tracing.completeness import missing_item_elements
from .words import LANGUAGES, Words

#: channels a request can travel through (the ``traces.channel`` vocabulary).
CHANNELS = VOCABULARIES[("traces", "channel")]

_MIN_HISTORY = 3
_STATE_CHANNELS = ("bilateral", "interpol", "regional")


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
    item = missing_item_elements(req)
    checks = {
        "requesting_state": _blank(req["requesting_country"]),
        "requested_party": _blank(req["requested_party"]),
        "channel": ~req["channel"].astype("string").isin(CHANNELS).fillna(False),
        "illicit_nature": _blank(req["illicit_nature"]),
        "legal_basis": _blank(req["legal_basis"]),
        **item,
        "intended_use": _blank(req["intended_use"]),
        "confidentiality": _blank(req["confidentiality"]),
    }
    codes = np.array(list(checks), dtype=object)
    flags = np.column_stack([np.asarray(v, dtype=bool) for v in checks.values()])
    return np.array([";".join(codes[row]) for row in flags], dtype=object)


def _fill_words(req: pd.DataFrame, missing: np.ndarray, items: pd.DataFrame | None):
    """What to fill in for each missing element, in the request's language.

    For a missing calibre, the calibres the dataset's other records of the
    same make and type carry are quoted as a lead to check on the weapon
    (never filled in: only a reading of the weapon's markings can be sent).
    """
    out = np.full(len(req), "", dtype=object)
    todo = np.flatnonzero(missing != "")
    if not len(todo):
        return out
    seen = {}
    if items is not None:
        leads = _calibres_seen(req.iloc[todo], items)
        seen = {int(todo[k]): lead for k, lead in leads.items()}
    languages = req["language"].astype("string").fillna("en").to_numpy()
    for pos in todo:
        w = Words(str(languages[pos]) if languages[pos] in LANGUAGES else "en")
        parts = []
        for code in str(missing[pos]).split(";"):
            text = w(f"fill.{code}")
            lead = seen.get(pos) if code == "calibre" else None
            if lead:
                text += " " + w(
                    "fill.calibre_seen",
                    n=w.int(lead[0]),
                    make=lead[1],
                    calibres=lead[2],
                )
            parts.append(w("fill.item", element=w(f"element.{code}"), what=text))
        out[pos] = "; ".join(parts)
    return out


def _calibres_seen(req: pd.DataFrame, items: pd.DataFrame) -> dict[int, tuple]:
    """``{row position: (records, make, "9x19mm (22)")}`` from same make and type."""
    known = items.dropna(subset=["make", "category", "calibre"])
    counts = known.groupby(["make", "category", "calibre"], observed=True).size()
    leads: dict[int, tuple] = {}
    for pos, (make, category) in enumerate(
        zip(req["make"], req["category"], strict=True)
    ):
        if pd.isna(make) or pd.isna(category) or (make, category) not in counts:
            continue
        top = counts.loc[(make, category)].sort_values(ascending=False)
        shown = ", ".join(f"{cal} ({n})" for cal, n in top.head(3).items())
        leads[pos] = (int(top.sum()), str(make), shown)
    return leads


def _check_elements(req: pd.DataFrame, items: pd.DataFrame | None = None):
    """Set ``missing``, ``to_fill`` and ``complete`` of ``req`` (in place)."""
    missing = _missing_elements(req)
    req["missing"] = pd.array(missing, dtype="string")
    req["to_fill"] = pd.array(_fill_words(req, missing, items), dtype="string")
    req["complete"] = pd.array(missing == "", dtype="boolean")
    return req
