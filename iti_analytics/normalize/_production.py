"""Production: industrial, craft, 3D-printed, converted, reactivated."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ._categories import (
    _PROD,
    _PRODUCTIONS,
    _first_special,
    _production_lexicons,
    _Types,
)
from ._weapon_common import (
    _aligned,
    _decode,
    _Distinct,
    _encode,
    _problems,
    _series,
)

# --------------------------------------------------------------------------- production


def normalize_production(
    values: Any = None, category_raw: Any = None
) -> tuple[pd.Series, pd.Series]:
    """Map production terms to industrial, craft, 3d_printed, converted, reactivated.

    Reads a production column in four languages ("artisanal", "fabrication
    locale", "fait main", "hechiza", "fabricação caseira", "imprimée 3D",
    "pistola de alarma convertida", "réactivée"); an explicit unknown
    ("inconnu", "IGNORADO") is ``unknown``. Where the source has no production
    column, or a cell is empty, the raw weapon-type text is read for the same
    clues ("ARMA DE FABRICAÇÃO CASEIRA" → ``craft``); otherwise the production
    stays null.

    Parameters
    ----------
    values : Series or sequence, optional
        Raw production column.
    category_raw : Series or sequence, optional
        Raw weapon-type text, aligned with ``values``.

    Returns
    -------
    production : Series of string
    problems : Series of string
        "unknown production '…'" for production values not understood.

    Raises
    ------
    InvalidParameterError
        If neither column is given, or they differ in length.

    Examples
    --------
    >>> normalize_production(["artisanal", "Impresa 3D", "arme d'alarme modifiée",
    ...                       "réactivée", "industrial", "inconnu", None])[0].tolist()
    ['craft', '3d_printed', 'converted', 'reactivated', 'industrial', 'unknown', <NA>]
    >>> normalize_production(None, ["ARMA DE FABRICAÇÃO CASEIRA", "PISTOLA"])[0].tolist(
    ... )
    ['craft', <NA>]
    """
    if values is None and category_raw is None:
        raise InvalidParameterError(
            "normalize_production needs `values` (a production column) or "
            "`category_raw` (the raw weapon type)."
        )
    lexicon, whole = _production_lexicons()
    problems: dict[str, int] = {}
    if values is not None:
        values = _series(values, "values")
        index, n = values.index, len(values)
        d = _Distinct(values)
        labels, bad = [], []
        for key, unk in zip(d.keys, d.unknown, strict=True):
            found = None
            if unk:
                found = "unknown"
            elif key:
                found = whole.get(key) or _first_special(
                    [m[2] for m in lexicon.find(key)]
                )
            labels.append(found)
            bad.append(bool(key) and found is None)
        rows = d.rows(_encode(labels, dict(_PROD)))
        problem_rows, problems = _problems(d, bad, "unknown production")
    else:
        category_raw = _series(category_raw, "category_raw")
        index, n = category_raw.index, len(category_raw)
        rows = problem_rows = np.full(n, -1, dtype=np.int32)
    if category_raw is not None:
        types = _Types(_aligned(category_raw, "category_raw", n))
        rows = np.where(rows < 0, types.distinct.rows(types.production), rows)
    name = values.name if isinstance(values, pd.Series) else None
    return (
        _decode(rows, _PRODUCTIONS, index).rename(name),
        _decode(problem_rows, problems, index),
    )
