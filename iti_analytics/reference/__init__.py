"""Reference tables shipped with the package as CSV, read once and cached.

Each table is data, not code: ``countries.csv``, ``makes.csv``, ``categories.csv``
and so on live beside this file. :func:`load_reference` returns a fresh copy so
callers can never corrupt the cache.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["load_reference", "list_references"]


@cache
def _read(name: str) -> pd.DataFrame:
    path = resources.files(__name__).joinpath(f"{name}.csv")
    with resources.as_file(path) as p:
        return pd.read_csv(
            p, dtype=str, keep_default_na=False, na_values=[""], comment=None
        )


def load_reference(name: str) -> pd.DataFrame:
    """Return the shipped reference table ``name`` (without ``.csv``) as strings.

    Examples
    --------
    >>> "countries" in list_references()
    True
    """
    if name not in list_references():
        from ..exceptions import InvalidParameterError

        raise InvalidParameterError(
            f"No reference table {name!r}; available: {list_references()}."
        )
    return _read(name).copy()


def list_references() -> list[str]:
    """Names of the reference tables shipped under ``iti_analytics/reference``."""
    root = resources.files(__name__)
    return sorted(p.name[:-4] for p in root.iterdir() if p.name.endswith(".csv"))
