"""Diversion from state stocks: recovered weapons registered to state forces.

Rio de Janeiro's seizure records say to whom a recovered weapon is registered
(column "Patrimoniada": POLÍCIA MILITAR, Polícia Civil, FORÇAS ARMADAS…,
REGISTRO PARTICULAR, Não Patrimoniada, Não Identificada). The share registered
to state forces measures leakage from state stocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .._text import fold
from ..dataset import DatasetLike, as_dataset
from ._common import (
    as_list,
    group_keys,
    share,
    warn_all_excluded,
    warn_data,
    weapon_mask,
)

__all__ = ["state_stock_diversion", "owner_class", "OWNER_CLASSES"]

#: owner classes, checked in this order; a value is put in the first class one
#: of whose phrases it contains (lower case, accents removed).
OWNER_CLASSES: dict[str, tuple[str, ...]] = {
    "unknown": (
        "nao identificad",
        "ignorad",
        "desconhecid",
        "indeterminad",
        "sem informac",
        "unknown",
        "not identified",
        "unidentified",
        "inconnu",
        "non identifi",
        "desconocid",
        "n/a",
    ),
    "not_registered": (
        "nao patrimoniad",
        "sem registro",
        "not registered",
        "unregistered",
        "non enregistr",
        "non immatricul",
        "no registrad",
        "sin registro",
    ),
    "other_institution": (
        "patrimoniada / outra",
        "patrimoniada/outra",
        "outras instituic",
        "other institution",
        "autre institution",
    ),
    "state_forces": (
        "policia",
        "forcas armadas",
        "forca armada",
        "forca nacional",
        "exercito",
        "marinha",
        "aeronautica",
        "bombeiro",
        "guarda municipal",
        "guarda civil",
        "police",
        "gendarmerie",
        "army",
        "armed forces",
        "military",
        "navy",
        "air force",
        "armee",
        "forces armees",
        "forces de defense",
        "douane",
        "customs",
        "ejercito",
        "armada",
        "fuerzas armadas",
        "carabiner",
        "prison",
        "penitenci",
        "state stock",
        "government",
    ),
    "private": (
        "registro particular",
        "particular",
        "private",
        "privado",
        "privee",
        "civilian",
        "civil",
        "empresa de seguranca",
        "security company",
        "dealer",
        "colecionador",
        "cacador",
        "atirador",
    ),
}


#: the canonical ``owner_type`` (schema vocabulary) -> the owner class counted here
_CLASS_OF_TYPE = {
    "police": "state_forces",
    "armed_forces": "state_forces",
    "other_state": "other_institution",
    "security_company": "private",
    "dealer": "private",
    "private": "private",
    "none": "not_registered",
}


def owner_class(values: pd.Series) -> pd.DataFrame:
    """Classify registered-owner values (Rio's "Patrimoniada" and the like).

    Each distinct value is classified once by the phrases in
    :data:`OWNER_CLASSES` (case and accents ignored): ``state_forces``
    (police, armed forces, fire brigade, national force, customs, prisons…),
    ``other_institution`` (registered to another institution, Rio's
    "Patrimoniada / Outras"), ``private`` (private registration),
    ``not_registered`` and ``unknown`` (null, "Não Identificada"…). A value
    no phrase matches is ``unrecognised``.

    Parameters
    ----------
    values : Series
        The owner column.

    Returns
    -------
    DataFrame
        Same index: ``owner`` (the value in lower case with spaces tidied, so
        "POLÍCIA MILITAR" and "Polícia Militar" are one owner) and
        ``owner_class``.

    Examples
    --------
    >>> import pandas as pd
    >>> owner_class(pd.Series(["POLÍCIA MILITAR", "Polícia Militar",
    ...     "Registro Particular", "Não Identificada", None]))
                 owner     owner_class
    0  polícia militar    state_forces
    1  polícia militar    state_forces
    2  registro particular     private
    3  não identificada        unknown
    4             <NA>         unknown
    """
    text = values.astype("string")
    uniques = pd.Series(text.dropna().unique(), dtype="string")
    folded = [fold(v) for v in uniques]
    classes = []
    for f in folded:
        found = "unrecognised"
        for name, phrases in OWNER_CLASSES.items():
            if any(re.search(rf"(?<![a-z]){re.escape(p)}", f) for p in phrases):
                found = name
                break
        classes.append(found)
    labels = [re.sub(r"\s+", " ", v).strip().casefold() for v in uniques]
    lookup_class = dict(zip(uniques, classes, strict=True))
    lookup_label = dict(zip(uniques, labels, strict=True))
    out = pd.DataFrame(
        {
            "owner": text.map(lookup_label).astype("string"),
            "owner_class": text.map(lookup_class).fillna("unknown").astype("string"),
        },
        index=values.index,
    )
    return out


def state_stock_diversion(
    ds: DatasetLike,
    *,
    by: str | Sequence[str] | None = ("admin1", "year"),
    owner_column: str | None = None,
) -> pd.DataFrame:
    """Share of recovered weapons registered to state forces, by place and year.

    A weapon registered to the police or the armed forces and recovered from
    criminals or armed groups left a state stock: the share measures diversion
    from state stocks. Rio de Janeiro's seizure records carry the registered
    owner in the column "Patrimoniada" (mapped to ``x_patrimoniada``).

    Counted: weapons (as in :func:`sdg_16_4_2`) that are not reported lost or
    stolen and are not duplicate records. The owner is classified by
    :func:`owner_class`. **Unknown owners are left out of the denominator**
    (``known_owner``) and shown in ``owner_unknown``, so that a precinct
    that rarely records the owner does not look clean.

    Parameters
    ----------
    ds : Dataset or DataFrame
        Its ``items`` (a DataFrame is taken as the items table).
    by : str, list of str or None, default ("admin1", "year")
        Items columns; ``"year"`` is the year of ``seized_on``.
    owner_column : str, optional
        The items column with the registered owner's text, classified by
        :func:`owner_class`. By default ``x_patrimoniada`` when the items have
        it, else the canonical ``owner_type`` (filled by the loader from a
        column mapped to ``registered_owner``): police and armed forces are
        state forces, ``other_state`` another institution, private owners,
        dealers and security companies private, ``none`` not registered.

    Returns
    -------
    DataFrame
        Keys, ``weapons``, ``state_forces``, ``other_institution``,
        ``private``, ``not_registered``, ``owner_unknown``, ``known_owner``
        and ``share_state_forces`` (= state_forces / known_owner, NA when no
        owner is known). ``attrs["unrecognised"]``: owner values no phrase
        matched (counted as unknown).

    Raises
    ------
    InvalidParameterError
        When ``owner_column`` is not a column of the items.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item_kind": "weapon", "admin1": "RJ",
    ...     "seized_on": pd.to_datetime(["2017-03-01"] * 5),
    ...     "x_patrimoniada": ["POLÍCIA MILITAR", "Polícia Militar",
    ...                        "REGISTRO PARTICULAR", "Não Patrimoniada",
    ...                        "Não Identificada"]})
    >>> out = state_stock_diversion(items)
    >>> out[["admin1", "year", "weapons", "state_forces", "owner_unknown",
    ...      "share_state_forces"]]
      admin1  year  weapons  state_forces  owner_unknown  share_state_forces
    0     RJ  2017        5             2              1                 0.5
    """
    from ..exceptions import InvalidParameterError

    items = as_dataset(ds).items
    from_type = owner_column is None and "x_patrimoniada" not in items.columns
    if owner_column is None:
        owner_column = "owner_type" if from_type else "x_patrimoniada"
    if owner_column not in items.columns:
        extras = [c for c in items.columns if str(c).startswith("x_")]
        raise InvalidParameterError(
            f"The items have no column {owner_column!r} with the registered owner. "
            f"Pass `owner_column=` naming one of the extra columns {extras}, or map "
            "the source's owner column (Rio: 'Patrimoniada') to 'x_patrimoniada'."
        )
    weapon = weapon_mask(items)
    lost = items["status"].isin(["lost", "stolen"]).fillna(False)
    keep = (weapon & ~lost & items["duplicate_of"].isna()).to_numpy()
    sub = items[keep]
    if from_type:
        classes = (
            sub["owner_type"].map(_CLASS_OF_TYPE).fillna("unknown").astype("string")
        )
    else:
        classes = owner_class(sub[owner_column])["owner_class"]
    unrecognised = sub.loc[(classes == "unrecognised").to_numpy(), owner_column]
    keys = group_keys(sub, as_list(by), date_column="seized_on", table="items")
    names = ["state_forces", "other_institution", "private", "not_registered"]
    counts = pd.DataFrame(
        {n: (classes == n).to_numpy().astype("int64") for n in names},
        index=sub.index,
    )
    counts["owner_unknown"] = classes.isin(["unknown", "unrecognised"]).to_numpy()
    counts["owner_unknown"] = counts["owner_unknown"].astype("int64")
    counts.insert(0, "weapons", 1)
    if keys.shape[1]:
        out = (
            pd.concat([keys, counts], axis=1)
            .groupby(list(keys.columns), dropna=False, sort=True)
            .sum()
            .reset_index()
        )
    else:
        out = counts.sum().to_frame().T.reset_index(drop=True)
    out["known_owner"] = out["weapons"] - out["owner_unknown"]
    out["share_state_forces"] = share(out["state_forces"], out["known_owner"])
    out.attrs["unrecognised"] = {
        str(k): int(v) for k, v in unrecognised.value_counts().items()
    }
    if len(unrecognised):
        shown = ", ".join(
            f"{k!r} ({v})" for k, v in list(out.attrs["unrecognised"].items())[:5]
        )
        warn_data(
            f"state_stock_diversion: {len(unrecognised)} weapons have an owner "
            f"value that is not recognised ({shown}); they are counted as unknown "
            "owners. See result.attrs['unrecognised']."
        )
    out.attrs["not_counted"] = {
        "not a weapon": int((~weapon).sum()),
        "reported lost or stolen": int((weapon & lost).sum()),
        "duplicate record": int((weapon & ~lost & items["duplicate_of"].notna()).sum()),
    }
    warn_all_excluded("state_stock_diversion", len(sub), out.attrs["not_counted"])
    out.attrs["method"] = (
        "Share of recovered weapons registered to state forces among those whose "
        "registered owner is known (unknown owners left out of the denominator)."
    )
    return out.astype(
        {c: "int64" for c in ["weapons", *names, "owner_unknown", "known_owner"]}
    )
