"""Keyed pseudonyms, free-text removal and spreadsheet-safe cells for shareable outputs.

Trace data is sensitive. Outputs meant to leave the tracing unit
(``audience="shareable"``) replace names and serial numbers with keyed
pseudonyms, drop free-text fields, and write CSV cells that a spreadsheet
cannot execute. The exports in :mod:`iti_analytics.network` and the briefing
share these helpers so that one name gets the same pseudonym everywhere when
the same key is used.

A pseudonym is ``<prefix>-<hex>``: the first ``length`` hexadecimal digits of
HMAC-SHA256(key, value). Without the key it cannot be reversed or recomputed
from a guessed name; with the same key the same value always gets the same
pseudonym, so a shareable export still shows that two seizures involve the
same actor.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_option
from .exceptions import InvalidParameterError

__all__ = [
    "AUDIENCES",
    "FORMULA_PREFIXES",
    "FORMULA_CELL",
    "check_audience",
    "pseudonym",
    "pseudonymise",
    "is_free_text_field",
    "drop_free_text",
    "csv_safe_value",
    "csv_safe",
]

#: the audiences an output can be written for.
AUDIENCES = ("restricted", "shareable")

#: first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: a cell a spreadsheet may run: a formula character (ASCII or full-width
#: ＝＋－＠) after any leading spaces, or a leading tab or carriage return.
FORMULA_CELL = re.compile(
    r"^(?:[ \u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r])"
)

#: field names that hold free text and never go into a shareable output.
FREE_TEXT_FIELDS = frozenset({"notes", "remarks", "description", "comment", "comments"})


def check_audience(audience: str, key: bytes | str | None) -> bytes | None:
    """Check ``audience`` and return the pseudonymisation key as bytes.

    Parameters
    ----------
    audience : {"restricted", "shareable"}
        ``"restricted"`` keeps names and serials (for the tracing unit);
        ``"shareable"`` pseudonymises them and needs ``key``.
    key : bytes or str or None
        The secret key of the HMAC. A str is encoded as UTF-8.

    Returns
    -------
    bytes or None
        The key for ``"shareable"``, None for ``"restricted"``.

    Raises
    ------
    InvalidParameterError
        If ``audience`` is unknown, or ``"shareable"`` is asked without a key.

    Examples
    --------
    >>> check_audience("shareable", "s3cret")
    b's3cret'
    >>> check_audience("restricted", None) is None
    True
    >>> check_audience("shareable", None)
    Traceback (most recent call last):
    ...
    iti_analytics.exceptions.InvalidParameterError: audience='shareable' replaces ...
    """
    check_option("audience", audience, AUDIENCES)
    if audience == "restricted":
        return None
    if key is None or (isinstance(key, str | bytes) and len(key) == 0):
        raise InvalidParameterError(
            "audience='shareable' replaces actor names and serial numbers with keyed "
            "pseudonyms, but no key was given. Pass key=<a secret bytes or str value "
            "kept by your unit> (use the same key every time so pseudonyms stay "
            "comparable across exports)."
        )
    if isinstance(key, str):
        return key.encode("utf-8")
    if isinstance(key, bytes | bytearray):
        return bytes(key)
    raise InvalidParameterError(
        f"key must be bytes or str, but a {type(key).__name__} was passed."
    )


def pseudonym(
    value: Any, key: bytes | str, prefix: str = "id", length: int = 12
) -> Any:
    """Keyed pseudonym of one value: ``<prefix>-<first length hex digits of HMAC>``.

    Null values (None, NaN, ``pd.NA``) stay null.

    Examples
    --------
    >>> pseudonym("Abu Tayeb", b"k", prefix="actor")
    'actor-...'
    >>> pseudonym("Abu Tayeb", b"k") == pseudonym("Abu Tayeb", "k")
    True
    >>> pseudonym(None, b"k") is None
    True
    """
    if _is_null(value):
        return None if value is None or value is pd.NA else value
    k = key.encode("utf-8") if isinstance(key, str) else key
    digest = hmac.new(k, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:length]}"


def pseudonymise(
    values: Any, key: bytes | str, prefix: str = "id", length: int = 12
) -> Any:
    """Pseudonymise a scalar, a list or a Series (each distinct value hashed once).

    Parameters
    ----------
    values : scalar, list or pandas.Series
        Names, serial numbers, holder names ...
    key : bytes or str
        The secret key (see :func:`check_audience`).
    prefix : str
        Word put before the hash, e.g. ``"actor"`` or ``"serial"``.
    length : int
        Hexadecimal digits kept (12 digits = 48 bits: collisions are negligible
        below millions of distinct values).

    Returns
    -------
    same type as ``values``
        A Series keeps its index and becomes dtype ``string``; nulls stay null.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pseudonymise(pd.Series(["A", "B", "A", None]), b"k", prefix="actor")
    >>> s[0] == s[2], s[0] != s[1], s.isna().tolist()[3]
    (True, True, True)
    """
    if isinstance(values, pd.Series):
        uniques = values.dropna().unique()
        table = {u: pseudonym(u, key, prefix, length) for u in uniques}
        return values.map(table).astype("string")
    if isinstance(values, list | tuple):
        return type(values)(pseudonym(v, key, prefix, length) for v in values)
    return pseudonym(values, key, prefix, length)


def is_free_text_field(name: str) -> bool:
    """True for fields that hold free text: ``notes`` and the like, and ``x_*`` extras.

    Examples
    --------
    >>> is_free_text_field("notes"), is_free_text_field("x_remarks")
    (True, True)
    >>> is_free_text_field("country")
    False
    """
    name = str(name)
    return name.startswith("x_") or name.lower() in FREE_TEXT_FIELDS


def drop_free_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` without its free-text columns (see :func:`is_free_text_field`).

    Examples
    --------
    >>> import pandas as pd
    >>> drop_free_text(pd.DataFrame(columns=["record_id", "notes", "x_colour"])).columns
    Index(['record_id'], dtype=...)
    """
    return frame.drop(columns=[c for c in frame.columns if is_free_text_field(c)])


def csv_safe_value(value: Any) -> Any:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe.

    Cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return are
    formulas to Excel, LibreOffice and Google Sheets (CSV injection); so are
    those characters after leading spaces, and their full-width forms
    (``＝``). Numbers and other values are returned unchanged.

    Examples
    --------
    >>> csv_safe_value("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_safe_value("Gao"), csv_safe_value(-3), csv_safe_value(" ＝1+1")
    ('Gao', -3, "' ＝1+1")
    """
    if isinstance(value, str) and FORMULA_CELL.match(value):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Only text columns are changed (numbers stay numbers); the column names are
    made safe too. Vectorised: each column is tested with one string operation.

    Examples
    --------
    >>> import pandas as pd
    >>> csv_safe(pd.DataFrame({"name": ["=1+1", "Ali", None], "n": [-1, 2, 3]}))
       name  n
    0  '=1+1 -1
    1   Ali  2
    2   NaN  3
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_string_dtype(s) and s.dtype != object:
            bad = s.str.match(FORMULA_CELL.pattern).fillna(False).to_numpy(dtype=bool)
        elif s.dtype == object:
            is_text = np.array([isinstance(v, str) for v in s.to_numpy()], dtype=bool)
            text = s[is_text].astype("string")
            bad = np.zeros(len(s), dtype=bool)
            bad[is_text] = text.str.match(FORMULA_CELL.pattern).fillna(False)
        else:
            continue
        if bad.any():
            s = s.astype(object)
            s[bad] = "'" + s[bad].astype(str)
            out[col] = s
    out.columns = [csv_safe_value(str(c)) for c in out.columns]
    return out


def _is_null(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return False
