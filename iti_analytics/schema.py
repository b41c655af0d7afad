"""The canonical tables (schema v1), declared once: every column and what it holds.

Each table is a :class:`Table` of :class:`Column` declarations (name, kind,
dtype, vocabulary, pattern, range) and the name of its id column. Everything
else is derived from these declarations: the dtypes (:data:`TABLES`), the
vocabularies (:data:`VOCABULARIES`), the pandera checks of
:mod:`iti_analytics.dataset`, which normaliser :func:`iti_analytics.normalize.
normalize_table` sends each column to, the id column of each table
(:data:`ID_COLUMNS`) and the country columns. Adding a column is one line in
:data:`SCHEMA`.

Every stage reads and writes these tables. A table may hold any subset of the
columns: :func:`conform` adds the missing ones as null and casts dtypes, so code
downstream can rely on every column being present. Extra source columns are kept
with an ``x_`` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "SCHEMA_VERSION",
    "Column",
    "Table",
    "SCHEMA",
    "KINDS",
    "TABLES",
    "VOCABULARIES",
    "ID_COLUMNS",
    "LOAD_ISSUE_COLUMNS",
    "ISSUE_COLUMNS",
    "INDICATOR_ISSUE_COLUMNS",
    "DATE_DTYPE",
    "columns",
    "dtypes",
    "column_spec",
    "columns_of_kind",
    "country_columns",
    "empty_table",
    "conform",
    "as_canonical",
    "weapon_class",
]

SCHEMA_VERSION = 1

#: dtype used for every date column: day precision, nullable (NaT), any year.
DATE_DTYPE = "datetime64[s]"

#: kind of a column -> its pandas dtype. The kind says what a column holds, and
#: so which normaliser reads it and which format check applies.
KINDS: dict[str, str] = {
    "id": "string",  # the table's own id, unique in a Dataset
    "reference": "string",  # the id of a row of this or another table
    "text": "string",  # free text, cleaned of stray whitespace
    "vocabulary": "string",  # one of a fixed list of words
    "country": "string",  # ISO 3166-1 alpha-3 (or ISO 3166-3 for old states)
    "country_list": "string",  # ISO3 codes separated by ';'
    "subdivision": "string",  # ISO 3166-2 code when known, else the name
    "place": "string",  # ISO3 or ISO 3166-2
    "party": "string",  # a country (ISO3) or the name of a company or body
    "make": "string",  # canonical manufacturer name
    "model": "string",
    "calibre": "string",  # canonical designation such as 7.62x39mm
    "serial": "string",  # upper case, no separators
    "date": DATE_DTYPE,
    "year": "Int64",
    "count": "Int64",
    "coordinate": "Float64",
    "flag": "boolean",
}

_ISO3 = r"^[A-Z]{3}$"
_ISO3_LIST = r"^[A-Z]{3}(?:;[A-Z]{3})*$"
_PLACE = r"^(?:[A-Z]{3}|[A-Z]{2}-[A-Z0-9]{1,3})$"
#: the format every column of a kind must match (pandera ``format`` check).
KIND_PATTERNS: dict[str, str] = {
    "country": _ISO3,
    "country_list": _ISO3_LIST,
    "place": _PLACE,
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, what it holds and the values allowed.

    Parameters
    ----------
    name : str
    kind : str
        One of :data:`KINDS`; gives the dtype and the normaliser.
    vocabulary : tuple of str, optional
        The allowed values (null is always allowed).
    low, high : float, optional
        Allowed range (inclusive); ``high=None`` means no upper bound.
    weapon : bool, default False
        Read together by the weapon normaliser (make, model, category, calibre,
        serial, production…), which needs the other weapon columns to decide.

    Examples
    --------
    >>> Column("quantity", "count", low=0).dtype
    'Int64'
    """

    name: str
    kind: str
    vocabulary: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    weapon: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; use one of {KINDS}")
        if self.vocabulary is not None and self.kind != "vocabulary":
            raise ValueError(f"{self.name}: only a vocabulary column has a vocabulary")

    @property
    def dtype(self) -> str:
        """The pandas dtype of the column."""
        return KINDS[self.kind]

    @property
    def pattern(self) -> str | None:
        """The regular expression every value matches, if any."""
        return KIND_PATTERNS.get(self.kind)

    @property
    def range(self) -> tuple[float, float | None] | None:
        """``(low, high)`` allowed, ``high`` None for no upper bound, or None."""
        return None if self.low is None else (self.low, self.high)

    @property
    def label(self) -> str:
        """The column in words, for messages ("year of manufacture")."""
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class Table:
    """One canonical table: its name, id column and columns in order."""

    name: str
    id: str
    columns: tuple[Column, ...]

    def __post_init__(self) -> None:
        by_name = {c.name: c for c in self.columns}
        if len(by_name) != len(self.columns) or self.id not in by_name:
            raise ValueError(f"table {self.name}: repeated columns or no id column")
        object.__setattr__(self, "_by_name", by_name)

    def __getitem__(self, column: str) -> Column:
        return self._by_name[column]

    def __contains__(self, column: object) -> bool:
        return column in self._by_name


def _vocabulary(name: str, *words: str, weapon: bool = False) -> Column:
    return Column(name, "vocabulary", vocabulary=words, weapon=weapon)


#: who holds a weapon on a register (see reference/owners.csv)
_OWNER_TYPES = (
    *("police", "armed_forces", "other_state", "security_company", "dealer"),
    *("private", "none"),
)
_ACTOR_TYPES = ("person", "armed_group", "criminal_group", "dealer", "state", "unknown")

# One line per column. The order is the canonical column order.
SCHEMA: dict[str, Table] = {
    "items": Table(
        "items",
        id="record_id",
        columns=(
            Column("record_id", "id"),
            Column("seizure_id", "reference"),
            Column("source", "text"),
            Column("agency", "text"),
            _vocabulary(
                "status", "seized", "found", "surrendered", "captured", "lost", "stolen"
            ),
            _vocabulary("setting", "crime", "conflict", "border", "stockpile", "other"),
            Column("seized_on", "date"),
            Column("country", "country"),
            Column("admin1", "subdivision"),
            Column("locality", "text"),
            Column("lat", "coordinate", low=-90, high=90),
            Column("lon", "coordinate", low=-180, high=180),
            _vocabulary(
                "item_kind",
                *("weapon", "ammunition", "part", "explosive_component", "other"),
                weapon=True,
            ),
            _vocabulary(
                "category",
                *("revolver", "pistol", "rifle", "shotgun", "assault_rifle"),
                *("submachine_gun", "machine_gun", "heavy_machine_gun"),
                *("grenade_launcher", "rocket_launcher", "recoilless_rifle"),
                *("mortar", "atgm", "manpads", "other"),
                weapon=True,
            ),
            Column("make", "make", weapon=True),
            Column("model", "model", weapon=True),
            Column("pattern", "text"),  # model family (AK, AR-15): not a maker
            Column("calibre", "calibre", weapon=True),
            Column("serial", "serial", weapon=True),
            Column("serial_raw", "text", weapon=True),
            _vocabulary(
                "serial_status",
                *("intact", "partial", "obliterated", "absent", "unknown"),
                weapon=True,
            ),
            Column("country_of_manufacture", "country"),
            Column("country_of_manufacture_inferred", "flag", weapon=True),
            Column("year_of_manufacture", "year"),
            Column("import_marked", "flag"),
            Column("import_country", "country"),
            Column("importer", "text"),  # the import mark's company (ITI para 8 b)
            Column("import_year", "year"),
            _vocabulary(
                "production",
                *("industrial", "craft", "3d_printed", "converted", "reactivated"),
                "unknown",
                weapon=True,
            ),
            Column("quantity", "count", low=0),
            Column("headstamp", "text"),
            Column("lot", "text"),
            Column("actor", "text"),
            _vocabulary("actor_type", *_ACTOR_TYPES),
            Column("registered_owner", "text"),  # a State force or private owner
            _vocabulary("owner_type", *_OWNER_TYPES),
            Column("origin_country", "country"),
            Column("transit_countries", "country_list"),
            Column("last_legal_on", "date"),
            Column("notes", "text"),
            Column("duplicate_of", "reference"),
        ),
    ),
    "traces": Table(
        "traces",
        id="trace_id",
        columns=(
            Column("trace_id", "id"),
            Column("record_id", "reference"),
            Column("source", "text"),
            Column("requesting_country", "country"),
            Column("requested_party", "party"),
            _vocabulary(
                "party_type",
                *("state", "manufacturer", "dealer", "interpol", "regional_body"),
                "other",
            ),
            _vocabulary(
                "channel", "interpol", "bilateral", "regional", "un_panel", "other"
            ),
            Column("sent_on", "date"),
            Column("acknowledged_on", "date"),
            Column("responded_on", "date"),
            _vocabulary(
                "status",
                *("draft", "sent", "acknowledged", "responded", "closed"),
                *("no_response", "withdrawn"),
            ),
            _vocabulary(
                "outcome",
                *("traced", "partially_traced", "not_traced", "record_not_found"),
                *("records_unavailable", "refused", "incomplete_request", "pending"),
            ),
            Column("last_legal_holder", "text"),
            Column("last_legal_country", "country"),
            Column("diversion_country", "country"),
            Column("diversion_year", "year"),
            _vocabulary(
                "diversion_mode",
                *("theft", "loss", "embezzlement", "unauthorised_retransfer"),
                *("battlefield_capture", "reactivation", "other"),
            ),
            Column("follow_up_of", "reference"),  # trace_id this request follows up
            Column("next_party", "text"),  # where the answer says the item went next
            Column("status_history", "text"),  # ";"-joined "YYYY-MM-DD event" entries
            Column("notes", "text"),
            Column("duplicate_of", "reference"),
        ),
    ),
    "actors": Table(
        "actors",
        id="actor_id",
        columns=(
            Column("actor_id", "id"),
            Column("name", "text"),
            _vocabulary("actor_type", *_ACTOR_TYPES),
            Column("country", "country"),
            Column("source", "text"),
            Column("duplicate_of", "reference"),
        ),
    ),
    "movements": Table(
        "movements",
        id="movement_id",
        columns=(
            Column("movement_id", "id"),
            Column("origin", "place"),
            Column("destination", "place"),
            Column("moved_on", "date"),
            Column("year", "year"),
            Column("count", "count", low=0),
            Column("record_id", "reference"),
            Column("seizure_id", "reference"),
            Column("mode", "text"),
            Column("actor", "text"),
            _vocabulary(
                "evidence", "trace", "declared", "investigation", "published_table"
            ),
            Column("source", "text"),
            Column("duplicate_of", "reference"),
        ),
    ),
}

# ------------------------------------------------------------- derived views

#: column -> dtype, per canonical table, in canonical order (derived from SCHEMA).
TABLES: dict[str, dict[str, str]] = {
    name: {c.name: c.dtype for c in table.columns} for name, table in SCHEMA.items()
}

#: (table, column) -> allowed values, derived from SCHEMA. Null is always allowed.
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    (name, c.name): c.vocabulary
    for name, table in SCHEMA.items()
    for c in table.columns
    if c.vocabulary is not None
}

#: the column that identifies a row of each table (unique in a Dataset).
ID_COLUMNS: dict[str, str] = {name: table.id for name, table in SCHEMA.items()}

#: columns of a reader's ``LoadResult.issues`` (all strings).
LOAD_ISSUE_COLUMNS: tuple[str, ...] = ("record_id", "column", "raw_value", "problem")
#: columns of ``Dataset.issues``: which table and source, then as a reader's.
ISSUE_COLUMNS: tuple[str, ...] = ("table", "source", *LOAD_ISSUE_COLUMNS)
#: columns of the records an indicator left out (``indicator_issues``).
INDICATOR_ISSUE_COLUMNS: tuple[str, ...] = (
    "table",
    "trace_id",
    "record_id",
    "column",
    "value",
    "problem",
    "excluded_from",
)

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


def column_spec(table: str, column: str) -> Column:
    """The :class:`Column` declaration of ``table.column``.

    Examples
    --------
    >>> column_spec("items", "lat").range
    (-90, 90)
    """
    _spec(table)
    return SCHEMA[table][column]


def columns_of_kind(table: str, *kinds: str) -> list[str]:
    """Columns of ``table`` whose kind is one of ``kinds``, in canonical order.

    Examples
    --------
    >>> columns_of_kind("traces", "date")
    ['sent_on', 'acknowledged_on', 'responded_on']
    """
    _spec(table)
    return [c.name for c in SCHEMA[table].columns if c.kind in kinds]


def country_columns(table: str) -> list[str]:
    """Columns of ``table`` that hold ISO3 country codes (one or a list).

    Examples
    --------
    >>> country_columns("traces")
    ['requesting_country', 'last_legal_country', 'diversion_country']
    """
    return columns_of_kind(table, "country", "country_list")


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
    return pd.DataFrame(out, index=df.index, copy=False)  # copy-on-write: never shared


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
