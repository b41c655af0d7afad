"""The notice an exporting State receives when a trace shows its export was diverted.

The seed (UNIDIR, section "Traçage en situation de conflit") lists telling
exporting States about the diversion of their small arms among the tangible
results of tracing; Conflict Armament Research's iTrace does so after its
field traces. A notice says what was exported, to whom, where it was found
and where it left legal hands, with the trace references as evidence, and no
more than its audience may see: a shareable notice names no person or
holder, pseudonymises the serial number and drops free-text notes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from .._privacy import check_audience, pseudonymise
from .._validation import check_option
from ..dataset import as_dataset
from ..requests import trace_chains
from ..requests.words import LANGUAGES, Words

__all__ = ["notify_exporter", "NOTICE_COLUMNS"]

#: columns of :func:`notify_exporter`'s table.
NOTICE_COLUMNS = [
    "chain_id",
    "exporting_state",
    "importing_state",
    "record_id",
    "category",
    "make",
    "model",
    "calibre",
    "serial",
    "recovered_country",
    "recovered_year",
    "diversion_country",
    "diversion_year",
    "diversion_mode",
    "last_legal_holder",
    "evidence",
    "language",
    "notice",
]


def notify_exporter(
    ds: Any,
    *,
    exporting_state: str | None = None,
    language: str = "en",
    audience: str = "shareable",
    key: bytes | str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Notices to exporting States whose legally exported weapons were diverted.

    A chain of trace requests qualifies when its last answer traced the item
    (fully or partly) and established where it was diverted
    (``diversion_country``), and a State answered that it had exported the
    item: either a step of the chain named the next State (``next_party``),
    or the State asked answered with another ``last_legal_country``. A
    manufacturer's answer counts as its State of manufacture's (the export
    licence is that State's).

    Parameters
    ----------
    ds : Dataset
        ``traces`` (the register) and ``items``.
    exporting_state : str, optional
        Only the notices to this State (ISO3).
    language : {"en", "fr", "es"}, default "en"
    audience : {"shareable", "restricted"}, default "shareable"
        ``"shareable"`` replaces serial numbers and record ids with keyed
        pseudonyms (``key`` required) and leaves out the last legal holder's
        name; ``"restricted"`` keeps them.
    key : bytes or str, optional
        Secret key of the pseudonyms (see :mod:`iti_analytics._privacy`).
    path : str or path-like, optional
        Also write the notices as a PDF there, one page each.

    Returns
    -------
    DataFrame
        :data:`NOTICE_COLUMNS`, one row per notice; ``notice`` is the text.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": ["r1"], "item_kind": "weapon",
    ...     "category": "assault_rifle", "make": "Arsenal", "calibre": "7.62x39mm",
    ...     "serial": "123456", "country": "NER", "seized_on": "2023-01-05",
    ...     "country_of_manufacture": "BGR"})
    >>> tr = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r1"],
    ...     "requesting_country": "NER", "requested_party": ["BGR", "NGA"],
    ...     "party_type": "state", "sent_on": ["2023-02-01", "2023-04-01"],
    ...     "responded_on": ["2023-03-01", "2023-06-01"], "status": "responded",
    ...     "outcome": ["partially_traced", "traced"],
    ...     "follow_up_of": [None, "T1"], "next_party": ["NGA", None],
    ...     "last_legal_holder": [None, "Army depot 3"],
    ...     "diversion_country": [None, "NGA"], "diversion_year": [None, 2021],
    ...     "diversion_mode": [None, "theft"]})
    >>> n = notify_exporter({"items": items, "traces": tr}, key="k")
    >>> n[["exporting_state", "importing_state", "serial", "last_legal_holder"]]
      exporting_state importing_state               serial last_legal_holder
    0             BGR             NGA  serial-...              <NA>
    >>> print(n.loc[0, "notice"][:58])
    One assault rifle (Arsenal, 7.62x39mm, serial serial-...
    """
    ds = as_dataset(ds)
    check_option("language", language, LANGUAGES)
    secret = check_audience(audience, key)
    w = Words(language)
    chains = trace_chains(ds)
    done = chains[chains["traced"] & chains["diversion_country"].notna()].set_index(
        "chain_id"
    )
    from ..requests import register

    reg = register(ds)
    items = ds.items.drop_duplicates("record_id").set_index("record_id")
    # the State that answers for each step: the State asked, or for a
    # manufacturer the State of manufacture (its exports are that State's)
    kind = reg["party_type"].fillna("state")
    made_in = items["country_of_manufacture"].reindex(reg["record_id"])
    answering = (
        reg["requested_party"]
        .where(kind == "state")
        .fillna(
            pd.Series(made_in.to_numpy(), index=reg.index, dtype="string").where(
                kind == "manufacturer"
            )
        )
    )
    reg = reg.assign(answering_state=answering)
    answered = reg[
        reg["responded_on"].notna()
        & reg["answering_state"].notna()
        & reg["chain_id"].isin(done.index)
    ].sort_values(["chain_id", "step"], kind="stable")
    exports: dict[str, tuple[str, str]] = {}
    # a step whose answer named where the item went next (follow-up chains)
    nxt = answered[answered["next_party"].notna()]
    for cid, party, to in zip(
        nxt["chain_id"], nxt["answering_state"], nxt["next_party"], strict=True
    ):
        exports.setdefault(cid, (party, to))
    # one-step traces: the answering State exported it to the last legal country
    single = answered[
        answered["last_legal_country"].notna()
        & (answered["last_legal_country"] != answered["answering_state"]).fillna(False)
    ]
    for cid, party, last in zip(
        single["chain_id"],
        single["answering_state"],
        single["last_legal_country"],
        strict=True,
    ):
        exports.setdefault(cid, (party, last))
    keep = [c for c in done.index if c in exports]
    if exporting_state is not None:
        keep = [c for c in keep if exports[c][0] == exporting_state]
    done = done.loc[keep]
    it = items.reindex(done["record_id"])
    evidence = reg.groupby("chain_id")["trace_id"].agg(lambda s: ", ".join(s))
    answers = reg.groupby("chain_id")["responded_on"].agg(
        lambda s: ", ".join(w.date(d) for d in s.dropna())
    )
    out = pd.DataFrame(
        {
            "chain_id": done.index.to_numpy(),
            "exporting_state": [exports[c][0] for c in keep],
            "importing_state": [exports[c][1] for c in keep],
            "record_id": done["record_id"].to_numpy(),
            "category": it["category"].to_numpy(),
            "make": it["make"].to_numpy(),
            "model": it["model"].to_numpy(),
            "calibre": it["calibre"].to_numpy(),
            "serial": it["serial"].to_numpy(),
            "recovered_country": it["country"].to_numpy(),
            "recovered_year": it["seized_on"].dt.year.to_numpy(),
            "diversion_country": done["diversion_country"].to_numpy(),
            "diversion_year": done["diversion_year"].to_numpy(),
            "diversion_mode": done["diversion_mode"].to_numpy(),
            "last_legal_holder": done["last_legal_holder"].to_numpy(),
            "evidence": evidence.reindex(done.index).to_numpy(),
        }
    )
    for col in out.columns:
        if col not in ("recovered_year", "diversion_year"):
            out[col] = out[col].astype("string")
    out["recovered_year"] = pd.array(out["recovered_year"], dtype="Int64")
    out["diversion_year"] = pd.array(out["diversion_year"], dtype="Int64")
    if secret is not None:
        out["serial"] = pseudonymise(out["serial"], secret, prefix="serial")
        out["record_id"] = pseudonymise(out["record_id"], secret, prefix="record")
        out["last_legal_holder"] = pd.array([pd.NA] * len(out), dtype="string")
    out["language"] = language
    out["language"] = out["language"].astype("string")
    out["notice"] = pd.array(
        [_text(row, w, answers.get(row.chain_id, "")) for row in out.itertuples()],
        dtype="string",
    )
    if path is not None:
        from ._document import write_notices

        write_notices(out, Path(path), w, audience)
    return out[NOTICE_COLUMNS]


def _text(row: Any, w: Words, answered: str) -> str:
    unknown = w("word.unknown")
    year = (
        w("note.in_year", year=int(row.diversion_year))
        if not pd.isna(row.diversion_year)
        else ""
    )
    mode = (
        w("note.mode", mode=w.vocab("diversion_mode", row.diversion_mode))
        if not pd.isna(row.diversion_mode)
        else ""
    )
    body = w(
        "note.body",
        item=w.vocab("category", row.category),
        make=row.make if not pd.isna(row.make) else unknown,
        calibre=row.calibre if not pd.isna(row.calibre) else unknown,
        serial=row.serial if not pd.isna(row.serial) else unknown,
        exporter=w.country(row.exporting_state),
        importer=w.country(row.importing_state),
        place=w.country(row.recovered_country),
        year=int(row.recovered_year) if not pd.isna(row.recovered_year) else unknown,
        diversion_country=w.country(row.diversion_country),
        diversion_year=year,
        mode=mode,
    )
    evidence = w("note.evidence", refs=row.evidence, dates=answered or unknown)
    return " ".join([body, evidence, w("note.purpose")])
