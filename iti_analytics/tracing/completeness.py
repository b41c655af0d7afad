"""What a trace request must hold (ITI para. 17), and which records cannot give it.

The list of required elements lives here, below both stages that use it:
:func:`~iti_analytics.tracing.traceability` lowers the chance of success of
an item whose request would be incomplete (so that :func:`plan_tracing`
prefers requests that can be complete), and
:func:`~iti_analytics.requests.trace_request` checks each request it builds
against the same list before it is sent. The UNIDIR expert group (the seed
report, section "Identification inexacte des armes") names the inexact
identification of weapons as one of the main obstacles to effective tracing,
and asks that requests with incomplete or inexact information be followed up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "REQUIRED_ELEMENTS",
    "ITEM_ELEMENTS",
    "fill_from_model",
    "missing_item_elements",
]

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

#: the elements of :data:`REQUIRED_ELEMENTS` that come from the item's record
#: (the others are written by whoever sends the request).
ITEM_ELEMENTS = ("weapon", "type", "calibre", "serial", "manufacture_marks")

#: serial statuses that leave no serial to quote.
_UNREADABLE_SERIAL = ("obliterated", "absent")

#: the item column each inferable element is read from.
_INFERABLE = {"type": "category", "calibre": "calibre"}


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype("string").str.strip()
    return (text.isna() | (text == "")).to_numpy(dtype=bool)


def missing_item_elements(items: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which of the :data:`ITEM_ELEMENTS` each record lacks, as one flag per code.

    Parameters
    ----------
    items : DataFrame
        Records with the canonical ``items`` columns ``item_kind``,
        ``category``, ``calibre``, ``serial``, ``serial_status``, ``make`` and
        ``country_of_manufacture`` (a request table with the same columns
        works too).

    Returns
    -------
    dict
        Element code -> bool array (True: missing), in the order of
        :data:`ITEM_ELEMENTS`. ``weapon`` is missing when the item is known
        not to be a weapon; ``serial`` when none is recorded or it is
        obliterated or absent; ``manufacture_marks`` when neither the make
        nor the country of manufacture is known.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "item_kind": ["weapon", "weapon"], "category": ["pistol", None],
    ...     "calibre": [None, "7.62x39mm"], "serial": ["A1", "B2"],
    ...     "serial_status": ["intact", "obliterated"],
    ...     "make": ["FN Herstal", None], "country_of_manufacture": [None, "CHN"]})
    >>> {k: v.tolist() for k, v in missing_item_elements(items).items()}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'weapon': [False, False], 'type': [False, True], 'calibre': [True, False],
     'serial': [False, True], 'manufacture_marks': [False, False]}
    """
    kind = items["item_kind"].astype("string")
    status = items["serial_status"].astype("string")
    return {
        "weapon": (kind.notna() & (kind != "weapon")).fillna(False).to_numpy(bool),
        "type": _blank(items["category"]),
        "calibre": _blank(items["calibre"]),
        "serial": _blank(items["serial"])
        | status.isin(_UNREADABLE_SERIAL).fillna(False).to_numpy(dtype=bool),
        "manufacture_marks": _blank(items["make"])
        & _blank(items["country_of_manufacture"]),
    }


def fill_from_model(
    items: pd.DataFrame, column: str, *, reference: pd.DataFrame | None = None
) -> tuple[pd.Series, pd.Series]:
    """Fill ``column`` where it is missing from other records of the same model.

    A record without a calibre (or type) takes the one every other record of
    the same make and model agrees on; a record without a make, the one every
    record of the same model agrees on. Nothing is filled when the records
    disagree. Each distinct (make, model) is judged once.

    Parameters
    ----------
    items : DataFrame
        The records to fill (``make``, ``model`` and ``column``).
    column : str
        ``"calibre"`` or ``"category"``.
    reference : DataFrame, optional
        The records to learn from (default: ``items`` itself).

    Returns
    -------
    (Series, Series)
        The filled column (same index as ``items``), and the number of
        records each filled value was read from (0 where nothing was filled).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "make": ["FN Herstal", "FN Herstal", "FN Herstal", "Glock"],
    ...     "model": ["FAL", "FAL", None, "17"],
    ...     "calibre": ["7.62x51mm", None, None, None]})
    >>> filled, n = fill_from_model(items, "calibre")
    >>> filled.tolist(), n.tolist()
    (['7.62x51mm', '7.62x51mm', <NA>, <NA>], [0, 1, 0, 0])
    """
    reference = items if reference is None else reference
    value = items[column].astype("string")
    n = np.zeros(len(items), dtype=np.int64)
    gap = (value.isna() & items["model"].notna()).to_numpy(dtype=bool)
    if not gap.any():
        return value, pd.Series(n, index=items.index)
    ref = (
        reference[["make", "model", column]]
        .astype("string")
        .dropna(subset=["model", column])
    )
    out = value.copy()
    has_make = items["make"].notna().to_numpy(dtype=bool)
    for keys, rows in (
        (["make", "model"], gap & has_make),
        (["model"], gap & ~has_make),
    ):
        if not rows.any():
            continue
        agree = (
            ref.dropna(subset=keys)
            .groupby(keys, observed=True)[column]
            .agg(["nunique", "first", "size"])
        )
        agree = agree[agree["nunique"] == 1]
        want = items.loc[rows, keys].astype("string")
        index = (
            pd.MultiIndex.from_frame(want) if len(keys) > 1 else pd.Index(want[keys[0]])
        )
        pos = agree.index.get_indexer(index)
        hit = pos >= 0
        where = np.flatnonzero(rows)[hit]
        out.iloc[where] = agree["first"].to_numpy(dtype=object)[pos[hit]]
        n[where] = agree["size"].to_numpy(dtype=np.int64)[pos[hit]]
    return out, pd.Series(n, index=items.index)
