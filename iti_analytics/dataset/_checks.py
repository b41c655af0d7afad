"""Schema checks of canonical tables with pandera, and the errors they give."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from .. import schema
from ..exceptions import SchemaError

__all__ = ["table_schema"]

#: what a value of a checked format looks like, in words, per column kind.
_FORMAT_TEXT = {
    "country": "expected an ISO 3166-1 alpha-3 code such as 'FRA'",
    "country_list": "expected ISO3 codes separated by ';' such as 'NER;MLI'",
    "place": (
        "expected an ISO3 code such as 'FRA' or an ISO 3166-2 code such as 'US-VA'"
    ),
}


@cache
def _table_schema(table: str):
    import pandera.pandas as pa

    columns = {}
    for spec in schema.SCHEMA[table].columns:
        checks = []
        if spec.vocabulary is not None:
            checks.append(pa.Check.isin(list(spec.vocabulary), name="vocabulary"))
        if spec.pattern is not None:
            checks.append(pa.Check.str_matches(spec.pattern, name="format"))
        if spec.range is not None:
            low, high = spec.range
            if high is None:
                checks.append(pa.Check.ge(low, name="range"))
            else:
                checks.append(pa.Check.in_range(low, high, name="range"))
        columns[spec.name] = pa.Column(
            spec.dtype, checks=checks, nullable=True, required=True
        )
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=table)


def table_schema(table: str):
    """The pandera ``DataFrameSchema`` of a conformed canonical ``table``.

    Built from the column declarations of :data:`iti_analytics.schema.SCHEMA`:
    dtypes, allowed values of vocabulary columns, format checks on country and
    place codes, range checks on coordinates and counts. Null is always
    allowed; ``x_*`` columns are not checked.

    Parameters
    ----------
    table : {"items", "traces", "actors", "movements"}

    Returns
    -------
    pandera.api.pandas.container.DataFrameSchema

    Examples
    --------
    >>> from iti_analytics import schema
    >>> s = table_schema("items")
    >>> s.columns["status"].checks[0].name
    'vocabulary'
    >>> ok = s.validate(schema.conform(pd.DataFrame({"status": ["seized"]}), "items"))
    """
    schema.dtypes(table)  # raises a helpful error on an unknown table
    return _table_schema(table)


def _failure_cases(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Pandera failures of ``frame`` as rows: column, check, value, index."""
    import pandera.errors as pe

    try:
        _table_schema(table).validate(frame, lazy=True)
    except pe.SchemaErrors as err:
        fc = err.failure_cases
        columns = _table_schema(table).columns

        def check_name(column: Any, number: Any) -> str:
            if column in columns and pd.notna(number):
                return str(columns[column].checks[int(number)].name)
            return "dtype"

        names = {
            (c, n): check_name(c, n)
            for c, n in fc[["column", "check_number"]]
            .drop_duplicates()
            .itertuples(index=False)
        }
        checks = [names[k] for k in zip(fc["column"], fc["check_number"], strict=True)]
        return pd.DataFrame(
            {
                "column": fc["column"].astype("string"),
                "check": pd.Series(checks, index=fc.index, dtype="string"),
                "value": fc["failure_case"].astype("string"),
                "index": fc["index"],
            }
        )
    return pd.DataFrame(columns=["column", "check", "value", "index"])


def _allowed_text(table: str, column: str, check: str) -> str:
    spec = schema.SCHEMA[table][column] if column in schema.SCHEMA[table] else None
    if check == "vocabulary":
        return "allowed: " + ", ".join(spec.vocabulary)
    if check == "format":
        return _FORMAT_TEXT.get(
            spec.kind, "expected an ISO 3166-1 alpha-3 code such as 'FRA'"
        )
    if check == "range":
        low, high = spec.range
        return f"expected {low} to {high}" if high is not None else f"expected >= {low}"
    dtype = schema.dtypes(table).get(column, "?")
    wanted = {
        "Int64": "a whole number",
        "Float64": "a number",
        "boolean": "true or false",
        schema.DATE_DTYPE: "a date such as 2021-03-04 (or a datetime column)",
    }.get(dtype, dtype)
    return f"expected {wanted} (dtype {dtype})"


def _schema_error(failures: pd.DataFrame) -> SchemaError:
    cases = (
        failures.groupby(
            ["table", "column", "check", "value"], sort=False, dropna=False
        )
        .size()
        .rename("count")
        .reset_index()
    )
    cases["count"] = cases["count"].astype("int64")
    lines = []
    for (table, column, check), grp in cases.groupby(
        ["table", "column", "check"], sort=False
    ):
        shown = grp.sort_values("count", ascending=False, kind="stable").head(10)
        values = ", ".join(
            f"{v!r} ({n} row{'s' if n != 1 else ''})"
            for v, n in zip(shown["value"], shown["count"], strict=True)
        )
        more = f" and {len(grp) - 10} more" if len(grp) > 10 else ""
        what = {
            "vocabulary": "outside the vocabulary",
            "format": "in the wrong format",
            "range": "out of range",
            "dtype": "that cannot be converted",
        }.get(check, f"failing check {check}")
        lines.append(
            f"{table}.{column} has values {what}: {values}{more}; "
            f"{_allowed_text(table, column, check)}."
        )
    message = (
        "The tables passed to Dataset break the canonical schema:\n  "
        + "\n  ".join(lines)
        + "\nFix the values (for example with DataFrame.replace), or read the raw data "
        "with iti_analytics.io.read_items / read_traces, which normalise values and "
        "record problems as issues instead of failing."
    )
    return SchemaError(message, failure_cases=cases)


_BOOL_WORDS = {"true": True, "false": False}


def _castable(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Make integer and boolean columns castable: impossible values become null.

    ``schema.conform`` coerces dates, floats and strings but raises on a
    non-whole number in an Int64 column or a word in a boolean column; here
    those cells become null (and are then reported as not convertible).
    """
    spec = schema.dtypes(table)
    fixed = {}
    for col in frame.columns:
        dtype = spec.get(col)
        if dtype not in ("Int64", "boolean") or str(frame[col].dtype) == dtype:
            continue
        s = frame[col]
        if dtype == "Int64":
            num = pd.to_numeric(s, errors="coerce").astype("Float64")
            whole = (num % 1 == 0).fillna(False) & (num.abs() < 2**53).fillna(False)
            fixed[col] = num.where(whole)
            continue
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            values = s
        else:
            values = s.astype(object)
        lookup = {}
        for v in pd.unique(values.dropna()):
            if isinstance(v, str):
                lookup[v] = _BOOL_WORDS.get(v.strip().lower(), pd.NA)
                continue
            try:
                lookup[v] = pd.array([v], dtype="boolean")[0]
            except (TypeError, ValueError):
                lookup[v] = pd.NA
        fixed[col] = values.map(lookup).astype("boolean")
    return frame.assign(**fixed) if fixed else frame


def _conform_user_frame(
    frame: pd.DataFrame, table: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Conform a user frame; return it and the cells that could not be converted."""
    out = schema.conform(_castable(frame, table), table)
    lost = []
    for col in schema.columns(table):
        if col not in frame.columns or str(frame[col].dtype) == str(out[col].dtype):
            continue
        gone = frame[col].notna().to_numpy() & out[col].isna().to_numpy()
        if gone.any():
            values = frame[col][gone]
            lost.append(
                pd.DataFrame(
                    {
                        "column": col,
                        "check": "dtype",
                        "value": values.astype("string"),
                        "index": values.index,
                    }
                )
            )
    if lost:
        return out, pd.concat(lost, ignore_index=True)
    return out, pd.DataFrame(columns=["column", "check", "value", "index"])
