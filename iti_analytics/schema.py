"""The canonical tables (schema v1): columns, dtypes and vocabularies, declared once.

Every stage reads and writes these tables. A table may hold any subset of the
columns: :func:`conform` adds the missing ones as null and casts dtypes, so code
downstream can rely on every column being present. Extra source columns are kept
with an ``x_`` prefix.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "VOCABULARIES",
    "DATE_DTYPE",
    "columns",
    "dtypes",
    "empty_table",
    "conform",
    "as_canonical",
    "weapon_class",
]

SCHEMA_VERSION = 1

#: dtype used for every date column: day precision, nullable (NaT), any year.
DATE_DTYPE = "datetime64[s]"

_S = "string"
_D = DATE_DTYPE
_I = "Int64"
_F = "Float64"
_B = "boolean"

#: column -> dtype, per canonical table, in canonical order.
TABLES: dict[str, dict[str, str]] = {
    "items": {
        "record_id": _S,
        "seizure_id": _S,
        "source": _S,
        "agency": _S,
        "status": _S,
        "setting": _S,
        "seized_on": _D,
        "country": _S,
        "admin1": _S,
        "locality": _S,
        "lat": _F,
        "lon": _F,
        "item_kind": _S,
        "category": _S,
        "make": _S,
        "model": _S,
        "calibre": _S,
        "serial": _S,
        "serial_raw": _S,
        "serial_status": _S,
        "country_of_manufacture": _S,
        "country_of_manufacture_inferred": _B,
        "year_of_manufacture": _I,
        "import_marked": _B,
        "import_country": _S,
        "import_year": _I,
        "production": _S,
        "quantity": _I,
        "headstamp": _S,
        "lot": _S,
        "actor": _S,
        "actor_type": _S,
        "origin_country": _S,
        "transit_countries": _S,
        "last_legal_on": _D,
        "notes": _S,
        "duplicate_of": _S,
    },
    "traces": {
        "trace_id": _S,
        "record_id": _S,
        "source": _S,
        "requesting_country": _S,
        "requested_party": _S,
        "party_type": _S,
        "channel": _S,
        "sent_on": _D,
        "acknowledged_on": _D,
        "responded_on": _D,
        "status": _S,
        "outcome": _S,
        "last_legal_holder": _S,
        "last_legal_country": _S,
        "diversion_country": _S,
        "diversion_year": _I,
        "diversion_mode": _S,
        "follow_up_of": _S,  # trace_id whose answer this request follows up
        "next_party": _S,  # where the answer says the item went next (ISO3 or name)
        "status_history": _S,  # ";"-joined "YYYY-MM-DD event" entries
        "notes": _S,
        "duplicate_of": _S,
    },
    "actors": {
        "actor_id": _S,
        "name": _S,
        "actor_type": _S,
        "country": _S,
        "source": _S,
        "duplicate_of": _S,
    },
    "movements": {
        "movement_id": _S,
        "origin": _S,
        "destination": _S,
        "moved_on": _D,
        "year": _I,
        "count": _I,
        "record_id": _S,
        "seizure_id": _S,
        "mode": _S,
        "actor": _S,
        "evidence": _S,
        "source": _S,
        "duplicate_of": _S,
    },
}

#: (table, column) -> allowed values. Null is always allowed.
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("items", "status"): ("seized", "found", "surrendered", "lost", "stolen"),
    ("items", "setting"): ("crime", "conflict", "border", "stockpile", "other"),
    ("items", "item_kind"): (
        "weapon",
        "ammunition",
        "part",
        "explosive_component",
        "other",
    ),
    ("items", "category"): (
        "revolver",
        "pistol",
        "rifle",
        "shotgun",
        "assault_rifle",
        "submachine_gun",
        "machine_gun",
        "heavy_machine_gun",
        "grenade_launcher",
        "rocket_launcher",
        "recoilless_rifle",
        "mortar",
        "atgm",
        "manpads",
        "other",
    ),
    ("items", "serial_status"): (
        "intact",
        "partial",
        "obliterated",
        "absent",
        "unknown",
    ),
    ("items", "production"): (
        "industrial",
        "craft",
        "3d_printed",
        "converted",
        "reactivated",
        "unknown",
    ),
    ("items", "actor_type"): (
        "person",
        "armed_group",
        "criminal_group",
        "dealer",
        "state",
        "unknown",
    ),
    ("traces", "party_type"): (
        "state",
        "manufacturer",
        "dealer",
        "interpol",
        "regional_body",
        "other",
    ),
    ("traces", "channel"): ("interpol", "bilateral", "regional", "un_panel", "other"),
    ("traces", "status"): (
        "draft",
        "sent",
        "acknowledged",
        "responded",
        "closed",
        "no_response",
        "withdrawn",
    ),
    ("traces", "outcome"): (
        "traced",
        "partially_traced",
        "not_traced",
        "record_not_found",
        "records_unavailable",
        "refused",
        "incomplete_request",
        "pending",
    ),
    ("traces", "diversion_mode"): (
        "theft",
        "loss",
        "embezzlement",
        "unauthorised_retransfer",
        "battlefield_capture",
        "reactivation",
        "other",
    ),
    ("actors", "actor_type"): (
        "person",
        "armed_group",
        "criminal_group",
        "dealer",
        "state",
        "unknown",
    ),
    ("movements", "evidence"): (
        "trace",
        "declared",
        "investigation",
        "published_table",
    ),
}

#: the light weapons among ``category`` (UN Panel 1997 / ITI definitions).
LIGHT_WEAPON_CATEGORIES = frozenset(
    {
        "heavy_machine_gun",
        "grenade_launcher",
        "rocket_launcher",
        "recoilless_rifle",
        "mortar",
        "atgm",
        "manpads",
    }
)


def columns(table: str) -> list[str]:
    """Canonical column names of ``table`` in order.

    Examples
    --------
    >>> columns("items")[:3]
    ['record_id', 'seizure_id', 'source']
    """
    return list(_spec(table))


def dtypes(table: str) -> dict[str, str]:
    """Column -> pandas dtype of ``table``."""
    return dict(_spec(table))


def _spec(table: str) -> dict[str, str]:
    try:
        return TABLES[table]
    except KeyError:
        from ._validation import check_option

        check_option("table", table, TABLES)
        raise


def empty_table(table: str) -> pd.DataFrame:
    """A zero-row canonical table with every column and dtype.

    Examples
    --------
    >>> t = empty_table("traces")
    >>> len(t), t["sent_on"].dtype
    (0, dtype('<M8[s]'))
    """
    spec = _spec(table)
    return pd.DataFrame({c: pd.Series([], dtype=d) for c, d in spec.items()})


def _cast(s: pd.Series, dtype: str) -> pd.Series:
    if str(s.dtype) == dtype:
        return s
    if dtype == DATE_DTYPE:
        if pd.api.types.is_datetime64_any_dtype(s):
            if getattr(s.dt, "tz", None) is not None:
                s = s.dt.tz_localize(None)
            return s.dt.floor("D").astype(DATE_DTYPE)
        return pd.to_datetime(s, errors="coerce").dt.floor("D").astype(DATE_DTYPE)
    if dtype == "string":
        return s.astype("string")
    if dtype == "Float64":
        return pd.to_numeric(s, errors="coerce").astype(dtype)
    if dtype == "Int64":
        num = pd.to_numeric(s, errors="coerce").astype("Float64")
        # a non-whole number cannot be a count or a year: null, never truncated
        return num.where(num.round() == num).astype(dtype)
    if dtype == "boolean":
        if pd.api.types.is_bool_dtype(s):
            return s.astype(dtype)
        text = s.astype("string").str.strip().str.lower()
        return text.map(_BOOLEAN_TEXT).astype(dtype)
    return s.astype(dtype)


# conform() only undoes storage differences (Parquet, JSON, SQL); words in four
# languages are the job of iti_analytics.normalize.normalize_boolean.
_BOOLEAN_TEXT = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "1.0": True,
    "0.0": False,
}


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return a copy of ``df`` with every canonical column of ``table``, in order.

    Missing canonical columns are added as null; canonical columns are cast to
    their dtype; other columns are kept after them, prefixed ``x_`` if they are
    not already. The caller's frame is never modified and the index is kept.

    Examples
    --------
    >>> import pandas as pd
    >>> t = conform(pd.DataFrame({"record_id": ["a"], "colour": ["red"]}), "items")
    >>> t.columns[-1], t.loc[0, "status"] is pd.NA
    ('x_colour', True)
    """
    spec = _spec(table)
    out = {}
    for col, dtype in spec.items():
        if col in df.columns:
            out[col] = _cast(df[col], dtype)
        else:
            out[col] = pd.Series(pd.NA, index=df.index, dtype=dtype)
    for col in df.columns:
        if col in spec:
            continue
        name = col if str(col).startswith("x_") else f"x_{col}"
        out[name] = df[col]
    return pd.DataFrame(out, index=df.index)


def as_canonical(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` itself when it is already canonical, else :func:`conform` of it.

    The cheap path for functions that only read a table: a Dataset's tables are
    canonical already, so they are used as they are, without a copy. Callers
    must not modify the result.

    Examples
    --------
    >>> t = empty_table("items")
    >>> as_canonical(t, "items") is t
    True
    """
    spec = _spec(table)
    if all(c in df.columns and str(df[c].dtype) == d for c, d in spec.items()):
        return df
    return conform(df, table)


def weapon_class(category: pd.Series) -> pd.Series:
    """Derive ``weapon_class`` (``small_arm`` / ``light_weapon``) from ``category``.

    Examples
    --------
    >>> import pandas as pd
    >>> weapon_class(pd.Series(["pistol", "mortar", None])).tolist()
    ['small_arm', 'light_weapon', <NA>]
    """
    cat = category.astype("string")
    out = pd.Series("small_arm", index=category.index, dtype="string")
    out[cat.isin(LIGHT_WEAPON_CATEGORIES).fillna(False)] = "light_weapon"
    out[cat.isna() | (cat == "other")] = pd.NA
    return out
