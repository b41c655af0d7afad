"""The register of trace requests: acknowledgements, answers, follow-ups and reminders.

The register *is* the canonical ``traces`` table: one row per request, with
the request's text kept in extra columns (``x_<name>`` inside a Dataset). So a
register goes into a Dataset, to Parquet and back without loss, and every
indicator of the package reads it as it reads any traces table.

A trace often takes several steps: the State of manufacture answers that the
item was exported to State B; the follow-up request to B is built from that
answer (``next_party``) and points back to it (``follow_up_of``). The steps of
one item form a *chain*, counted once when items traced are counted
(:func:`trace_chains`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..dataset import as_dataset
from ..exceptions import InvalidParameterError
from .build import EXTRA_COLUMNS, REQUEST_COLUMNS, _cast_extra

__all__ = ["register", "to_traces", "trace_chains", "STAGES", "TRACED_OUTCOMES"]

#: what a request's stage means, from its status and outcome.
STAGES = (
    "draft",
    "sent",
    "acknowledged",
    "traced",
    "partially traced",
    "not traced",
    "not found",
    "records unavailable",
    "refused",
    "incomplete request",
    "no response",
    "withdrawn",
)

_OUTCOME_STAGE = {
    "traced": "traced",
    "partially_traced": "partially traced",
    "not_traced": "not traced",
    "record_not_found": "not found",
    "records_unavailable": "records unavailable",
    "refused": "refused",
    "incomplete_request": "incomplete request",
}

#: outcomes that say something was found: the item is (partly) traced.
TRACED_OUTCOMES = ("traced", "partially_traced")


def _requests_of(traces: pd.DataFrame) -> pd.DataFrame:
    """Canonical traces → register rows: ``x_<name>`` request columns restored."""
    out = traces.copy()
    renames = {f"x_{c}": c for c in EXTRA_COLUMNS if f"x_{c}" in out.columns}
    out = out.rename(columns=renames)
    for col in EXTRA_COLUMNS:
        if col in out.columns:
            out[col] = _cast_extra(out[col], col)
        else:
            empty = pd.Series(pd.NA, index=out.index, dtype="object")
            out[col] = _cast_extra(empty, col).mask(pd.Series(True, index=out.index))
    rest = [c for c in out.columns if c not in REQUEST_COLUMNS]
    return out[REQUEST_COLUMNS + rest]


def to_traces(requests: Any) -> pd.DataFrame:
    """The canonical ``traces`` table of requests (request text as ``x_`` columns).

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1"], "record_id": ["r1"],
    ...                     "status": ["sent"], "language": ["fr"]})
    >>> to_traces(reg)[["trace_id", "status", "x_language"]]
      trace_id status x_language
    0       T1   sent         fr
    """
    return as_dataset(requests, name="requests").traces


def register(ds: Any) -> pd.DataFrame:
    """The register: every request with its stage and its place in a chain.

    Parameters
    ----------
    ds : Dataset or DataFrame
        A Dataset (its ``traces``) or a register / traces DataFrame.

    Returns
    -------
    DataFrame
        :data:`~iti_analytics.requests.REQUEST_COLUMNS`, then ``stage`` (one
        of :data:`STAGES`), ``chain_id`` (the first request of the item's
        chain of follow-ups) and ``step`` (1 for the first request).

    Examples
    --------
    >>> import pandas as pd
    >>> tr = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r1"],
    ...     "status": ["responded", "sent"],
    ...     "outcome": ["partially_traced", "pending"],
    ...     "follow_up_of": [None, "T1"]})
    >>> register(tr)[["trace_id", "stage", "chain_id", "step"]]
      trace_id             stage chain_id  step
    0       T1  partially traced       T1     1
    1       T2              sent       T1     2
    """
    ds = as_dataset(ds)
    return _with_stage(_requests_of(ds.traces))


def _with_stage(reg: pd.DataFrame) -> pd.DataFrame:
    reg = reg.copy()
    status = reg["status"].astype("string")
    outcome = reg["outcome"].astype("string")
    stage = outcome.map(_OUTCOME_STAGE).astype("string")
    open_stage = status.where(status.isin(["draft", "sent", "acknowledged"]))
    open_stage = open_stage.fillna(
        status.map({"no_response": "no response", "withdrawn": "withdrawn"})
    )
    stage = stage.where(
        ~status.isin(["no_response", "withdrawn", "draft"]).fillna(False), open_stage
    )
    stage = stage.fillna(open_stage).fillna(
        reg["responded_on"].notna().map({True: "not traced", False: "sent"})
    )
    reg["stage"] = stage.astype("string")
    chain, step = _chains(reg["trace_id"], reg["follow_up_of"])
    reg["chain_id"] = pd.array(chain, dtype="string")
    reg["step"] = pd.array(step, dtype="Int64")
    return reg


def _chains(trace_id: pd.Series, parent: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Root request and step of each request, following ``follow_up_of`` links."""
    ids = trace_id.astype("string").to_numpy(dtype=object, na_value=None)
    up = dict(
        zip(
            ids,
            parent.astype("string").to_numpy(dtype=object, na_value=None),
            strict=True,
        )
    )
    root = np.array(ids, dtype=object)
    step = np.ones(len(ids), dtype=np.int64)
    current = np.array([up.get(t) for t in ids], dtype=object)
    # walk up one level per pass, all rows at once; a cycle stops at len(ids)
    for _ in range(len(ids)):
        known = np.array([c is not None and c in up for c in current], dtype=bool)
        if not known.any():
            break
        root[known] = current[known]
        step[known] += 1
        current = np.array(
            [up.get(c) if k else None for c, k in zip(current, known, strict=True)],
            dtype=object,
        )
    return root, step


def _one(reg: pd.DataFrame, trace_id: str) -> int:
    hits = np.flatnonzero((reg["trace_id"] == trace_id).fillna(False).to_numpy())
    if len(hits) == 0:
        raise InvalidParameterError(
            f"trace_id {trace_id!r} is not in the register; pass one of its "
            "`trace_id` values (see iti.register(ds))."
        )
    return int(hits[0])


def _append_history(old: Any, day: pd.Timestamp, event: str) -> str:
    entry = f"{day:%Y-%m-%d} {event}"
    return entry if pd.isna(old) or not str(old) else f"{old}; {entry}"


def trace_chains(ds: Any) -> pd.DataFrame:
    """One row per chain of requests about one item (a request and its follow-ups).

    Returns
    -------
    DataFrame
        ``chain_id``, ``record_id``, ``requesting_country``, ``steps``,
        ``parties`` (``"BGR → NGA"``), ``first_sent_on``, ``last_responded_on``,
        ``outcome`` and ``stage`` of the last step, ``traced`` (the last step
        traced the item fully or partly), ``open`` (the last step awaits an
        answer), ``days`` from the first request to the last answer,
        ``last_legal_country``, ``diversion_country``, ``diversion_year``,
        ``diversion_mode`` (from the last step that gives them).

    Examples
    --------
    >>> import pandas as pd
    >>> tr = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r1"],
    ...     "requested_party": ["BGR", "NGA"], "status": ["responded", "responded"],
    ...     "outcome": ["partially_traced", "traced"],
    ...     "sent_on": ["2024-01-10", "2024-02-05"],
    ...     "responded_on": ["2024-02-01", "2024-04-01"],
    ...     "follow_up_of": [None, "T1"], "next_party": ["NGA", None]})
    >>> trace_chains(tr)[["chain_id", "steps", "parties", "outcome", "days"]]
      chain_id  steps    parties outcome  days
    0       T1      2  BGR → NGA  traced    82
    """
    ds = as_dataset(ds)
    return _chain_table(_with_stage(_requests_of(ds.traces)))


def _chain_table(reg: pd.DataFrame) -> pd.DataFrame:
    reg = reg[~reg["status"].isin(["draft", "withdrawn"]).fillna(False)]
    reg = reg.sort_values(["chain_id", "step"], kind="stable")
    g = reg.groupby("chain_id", sort=False)
    last = g.tail(1).set_index("chain_id")
    out = pd.DataFrame(
        {
            "record_id": g["record_id"].first(),
            "requesting_country": g["requesting_country"].first(),
            "steps": g.size().astype("Int64"),
            "parties": g["requested_party"].agg(
                lambda s: " → ".join(s.fillna("?").astype(str))
            ),
            "first_sent_on": g["sent_on"].min(),
            "last_responded_on": last["responded_on"],
            "outcome": last["outcome"],
            "stage": last["stage"],
        }
    )
    out["traced"] = out["outcome"].isin(TRACED_OUTCOMES).fillna(False).astype(bool)
    out["open"] = last["responded_on"].isna() & last["status"].isin(
        ["sent", "acknowledged"]
    ).fillna(False)
    days = (out["last_responded_on"] - out["first_sent_on"]).dt.days
    out["days"] = days.astype("Int64")
    for col in (
        "last_legal_holder",
        "last_legal_country",
        "diversion_country",
        "diversion_year",
        "diversion_mode",
    ):
        out[col] = g[col].last()
    out.index.name = "chain_id"
    return out.reset_index()
