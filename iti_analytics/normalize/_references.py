"""Reference tables of the normalisers, loaded ahead of the first table.

Each normaliser builds the look-ups it needs (country keys, pycountry's
subdivisions, makes, models, calibres, vocabularies, serial terms) the first
time it runs in a process and keeps them. :func:`load_references` builds them
all at once: the loader calls it in a helper thread while a large file is
being parsed, so the first table of a process does not wait for them.
"""

from __future__ import annotations

from .._validation import check_option
from ..schema import TABLES, columns_of_kind
from . import (
    _calibres,
    _categories,
    _identify,
    _makes,
    _markings,
    _models,
    _serials,
    _text,
    countries,
    dates,
    values,
)

__all__ = ["load_references"]

#: builders every table uses (each keeps its answer for the process)
_COMMON = (
    _text._unknown_tokens,
    countries._country_keys,
    dates._months,
    values._plain_unknowns,
    values._boolean_terms,
)
#: builders of the weapon columns of items
_WEAPONS = (
    _calibres._calibre_table,
    _calibres._chambers,
    _calibres._ambiguous,
    _categories._category_lexicon,
    _categories._production_lexicons,
    _identify._owners,
    _identify._successors,
    _makes._make_tables,
    _markings._factory_codes,
    _markings._headstamps,
    _models._table,
    _serials._serial_patterns,
    _serials._terms_without_digits,
)


def load_references(table: str = "items") -> None:
    """Build the look-ups that normalising ``table`` needs, once per process.

    Calling it is never required: every normaliser loads what it needs on
    first use. It moves that one-off work (about 0.2 s) to a moment of your
    choosing, e.g. a helper thread while the data is read, as
    :func:`iti_analytics.io.read_items` does for large files. The results are
    the same either way.

    Parameters
    ----------
    table : {"items", "traces", "actors", "movements"}
        The canonical table that will be normalised.

    Examples
    --------
    >>> load_references("items")
    """
    check_option("table", table, TABLES)
    builders = _COMMON + (_WEAPONS if table == "items" else ())
    for build in builders:
        build()
    if columns_of_kind(table, "subdivision"):
        countries._world_subdivisions()
    for column in columns_of_kind(table, "vocabulary"):
        values._vocabulary(table, column)
