"""The load pipeline: read, map columns, set ids, normalize, flag duplicates."""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._arrow import loading_pool, series_array
from .._parallel import in_background
from .._validation import check_option
from ..exceptions import EmptyFileError, InvalidParameterError, ITIError, MappingError
from ..mapping import (
    ColumnMapping,
    MappingSpec,
    MappingWarning,
    apply_constants_and_values,
    extra_name,
    map_columns,
    read_mapping_file,
    sense_checks,
    spec_from_dict,
)
from ..schema import ID_COLUMNS, TABLES
from ._ids import first_identical, generated_ids, id_strings, unique_ids
from ._raw import RawTable, positional
from ._result import ISSUE_COLUMNS, LoadReport, LoadResult
from ._sources import MissingFileError, read_any

__all__ = [
    "read_table",
    "read_items",
    "read_traces",
    "read_actors",
    "read_movements",
    "MissingFileError",
    "ID_FIELDS",
]

#: the column that identifies a row of each table (made unique by the loader).
ID_FIELDS = ID_COLUMNS
_PROGRESS_BYTES = 50 * 1024 * 1024

# --------------------------------------------------------------------------------
# The pipeline
# --------------------------------------------------------------------------------


def _normalize(
    raw: pd.DataFrame, table: str, dayfirst: bool | None, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from .. import normalize as _norm

    return _norm.normalize_table(raw, table, dayfirst=dayfirst, source=source)


class _Progress:
    """A few-step tqdm bar, shown for large files in an interactive session."""

    def __init__(self, enabled: bool, label: str):
        self.bar = None
        if enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency
                return
            self.bar = tqdm(
                total=5,
                desc=f"loading {label}",
                unit="step",
                leave=False,
                file=sys.stderr,
            )

    def step(self, what: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(what)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _rows_hint(data: Any) -> int:
    """About how many rows ``data`` holds, judged before reading it.

    A file at about 100 bytes a row (a police export of a million rows and
    eleven columns is 99 MB), a DataFrame by its length; 0 when unknown.
    """
    if isinstance(data, pd.DataFrame):
        return len(data)
    if isinstance(data, str | os.PathLike):
        try:
            return os.path.getsize(data) // 100
        except (OSError, ValueError):
            return 0
    return 0


def _prepare(table: str) -> None:
    """Import the normalisers and build their reference tables (see ``_build``).

    Run in a helper thread while a large file is parsed. A failure here is left
    to the normaliser that needs the table: it loads it again and says why.
    """
    from .. import normalize

    try:
        normalize.load_references(table)
    except Exception:  # noqa: BLE001 - reported where the table is used
        pass


def _spec(mapping: Any) -> MappingSpec:
    if mapping is None:
        return MappingSpec()
    if isinstance(mapping, MappingSpec):
        return mapping
    if isinstance(mapping, str | os.PathLike):
        return read_mapping_file(mapping)
    if isinstance(mapping, Mapping):
        return spec_from_dict(mapping)
    raise MappingError(
        f"mapping must be a dict {{header: field}} or the path of a TOML file, not "
        f"{type(mapping).__name__!r}."
    )


def _want_progress(progress: bool | None, data: Any) -> bool:
    if progress is not None:
        return bool(progress)
    if not isinstance(data, str | os.PathLike):
        return False
    try:
        big = Path(data).stat().st_size > _PROGRESS_BYTES
    except OSError:
        return False
    return big and sys.stderr.isatty()


def _no_field_error(m: ColumnMapping, table: str, label: str) -> MappingError:
    shown = [h if len(h) <= 60 else h[:57] + "..." for h in m.headers[:15]]
    more = f" (and {len(m.headers) - 15} more)" if len(m.headers) > 15 else ""
    return MappingError(
        f"None of the columns of {label} is recognised as a field of the {table!r} "
        f"table: {shown}{more}. Pass mapping={{'<your header>': '<field>', ...}} "
        "(or the path of a TOML mapping file) to say which column is which. Fields: "
        f"{list(TABLES[table])}. If the headers look glued together, the delimiter "
        "was not recognised: pass delimiter=."
    )


def read_table(
    data: Any,
    table: str,
    mapping: Mapping[str, Any] | str | os.PathLike | None = None,
    source: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    *,
    sheet: str | int | None = None,
    sql: str | None = None,
    con: Any = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> LoadResult:
    """Read a file, DataFrame or SQL query into the canonical ``table``.

    Parameters
    ----------
    data : path, DataFrame, SQLAlchemy engine or URL
        CSV/TSV/TXT, XLSX, JSON (records or lines), Parquet (possibly
        gzip-compressed), a DataFrame, or a database queried with ``sql``.
        The format is recognised from the content as well as the extension.
    table : {"items", "traces", "actors", "movements"}
        The canonical table to produce.
    mapping : dict or path, optional
        {source header -> field} or {field -> source header}, or a TOML file
        with a ``[columns]`` table (and optional ``dayfirst``, ``source``,
        ``encoding``, ``sheet``, ``delimiter``). Unnamed columns are mapped by
        header synonyms; the rest are kept as ``x_*``.
    source : str, optional
        Name of the source (default: the file name without extension). Used
        in ``source`` and in generated record ids ``"<source>:<row>"``.
    dayfirst : bool, optional
        Passed to the date normalizer (None: decided from the data).
    encoding : str, optional
        Force a text encoding instead of detecting UTF-8 / UTF-8-BOM / cp1252.
    sheet : str, int or "all", optional
        Excel sheet: None for the first, a name or index, or "all" to stack
        every sheet with an ``x_sheet`` column.
    sql, con : str, engine or URL, optional
        Query and database (``con`` or ``data``) for SQL input.
    delimiter : str, optional
        Force the delimiter of a text file instead of sniffing it.
    progress : bool, optional
        Show a progress bar (default: for files over 50 MB when stderr is a
        terminal).

    Returns
    -------
    LoadResult
        ``table``, ``issues``, ``rejects`` and ``report``, with
        ``report.rows_in == len(table) + len(rejects)``.

    Raises
    ------
    MissingFileError
        The path does not exist (also a ``FileNotFoundError``).
    EmptyFileError, FileFormatError, EncodingDetectionError
        The file cannot be used as a table; the message says why and what to do.
    MappingError
        Bad mapping, or no recognisable column at all.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Marque": ["Taurus"], "N° de série": ["AB 123"]})
    >>> res = read_table(df, "items", source="demo")
    >>> res.report.mapping
    {'Marque': 'make', 'N° de série': 'serial'}
    >>> res.table["record_id"].tolist()
    ['demo:1']
    """
    start = time.perf_counter()
    check_option("table", table, TABLES)
    spec = _spec(mapping)
    settings = spec.settings
    if "table" in settings and settings["table"] != table:
        raise MappingError(
            f"The mapping file {spec.path!r} is for the {settings['table']!r} table, "
            f"but {table!r} is being read. Use the matching read_* function."
        )
    source = source if source is not None else settings.get("source")
    explicit_source = source is not None
    dayfirst = dayfirst if dayfirst is not None else settings.get("dayfirst")
    encoding = encoding if encoding is not None else settings.get("encoding")
    sheet = sheet if sheet is not None else settings.get("sheet")
    delimiter = delimiter if delimiter is not None else settings.get("delimiter")
    if delimiter is not None and len(delimiter) != 1:
        raise InvalidParameterError(
            f"delimiter must be a single character such as ';', not {delimiter!r}."
        )

    bar = _Progress(
        _want_progress(progress, data),
        Path(str(data)).name if isinstance(data, str | os.PathLike) else table,
    )
    # a large file: the normalisers' reference tables are built in a helper
    # thread while pyarrow parses it (it releases the GIL for the whole parse;
    # started earlier, the helper's Python would slow the sniffing down)
    prepared: list = []

    def prepare() -> None:
        if not prepared:
            prepared.append(in_background(_prepare, table, rows=_rows_hint(data)))

    # Arrow allocates from jemalloc meanwhile: on machines where huge pages
    # are dear, its default pool spent a fifth of a large load in the kernel
    with loading_pool():
        try:
            raw, file, label, default_source = read_any(
                data,
                table,
                encoding=encoding,
                sheet=sheet,
                sql=sql,
                con=con,
                delimiter=delimiter,
                meanwhile=prepare,
            )
            bar.step("read")
            source = str(source) if source is not None else default_source
            prepare()  # not a delimited file: now
            prepared[0].result()
            result = _build(
                raw,
                table,
                spec,
                source,
                dayfirst,
                file,
                label,
                bar.step,
                explicit_source,
            )
        finally:
            bar.close()
    result.report.seconds = round(time.perf_counter() - start, 3)
    return result


def _build(
    raw: RawTable,
    table: str,
    spec: MappingSpec,
    source: str,
    dayfirst: bool | None,
    file: str | None,
    label: str,
    step: Callable[[str], None],
    explicit_source: bool = False,
) -> LoadResult:
    where = f" for {label}"
    if not raw.headers and raw.rows_in == 0:
        raise EmptyFileError(
            f"{label[:1].upper()}{label[1:]} holds no table (no header and no "
            "rows). Check the sheet, or pick the right file or DataFrame."
        )
    m = map_columns(raw.headers, table, spec.columns, where=where)
    fields = TABLES[table]
    if not any(n in fields for n in m.names):
        raise _no_field_error(m, table, label)
    step("mapped")

    frame = raw.frame
    if not raw.info.get("keep_index"):
        frame = frame.reset_index(drop=True)
    frame = frame.rename(
        columns=dict(zip(positional(len(m.names)), m.names, strict=True))
    )
    idf = ID_FIELDS[table]
    compare = frame.drop(columns=[c for c in (idf, "x_sheet") if c in frame.columns])
    # identical rows are found on the raw cells, on the second core while the
    # ids are set and the table is normalised (Arrow and numpy kernels, which
    # release the GIL), at a lower priority: the answer is needed last
    first = in_background(first_identical, compare, rows=len(compare), low=True)
    if idf in frame.columns:
        ids = id_strings(frame[idf])
        if ids.isna().any():  # "<source>:<row>" where the file has no id
            ids = ids.fillna(generated_ids(source, raw.row_numbers, raw.id_prefix))
        ids, dup_of = unique_ids(ids)
    else:  # generated ids are unique by construction
        ids = generated_ids(source, raw.row_numbers, raw.id_prefix)
        dup_of = None
    n_renamed = 0 if dup_of is None else int(dup_of.notna().sum())
    ids.index = frame.index
    if dup_of is not None:
        dup_of.index = frame.index
    frame = frame.assign(**{idf: ids})
    frame = apply_constants_and_values(frame, spec, m)
    if "source" in fields and explicit_source and "source" in frame.columns:
        # an explicit source= names the load; the file's own column is kept
        frame = frame.rename(columns={"source": extra_name("source")})
    if "source" in fields and "source" not in frame.columns:
        frame = frame.assign(source=source)
    step("ids")

    normalized, issues = _normalize(frame, table, dayfirst, source)
    dup_of = _duplicate_of(ids, dup_of, first.result(), normalized.get("duplicate_of"))
    step("normalized")
    if len(normalized) != len(frame):  # pragma: no cover - normalize's contract
        raise ITIError(
            f"normalize_table returned {len(normalized)} rows for {len(frame)}; "
            "please report this bug."
        )
    normalized["duplicate_of"] = dup_of.array  # by position
    if "source" in normalized.columns:
        normalized["source"] = normalized["source"].fillna(source)
    issues = _issues(issues, raw, ids)
    step("flagged")

    n_dup = int(dup_of.notna().sum())
    notes = list(raw.notes) + list(m.notes)
    for warning in sense_checks(normalized, m) if table == "items" else []:
        warnings.warn(f"{label}: {warning}", MappingWarning, stacklevel=4)
        notes.append(warning)
    if n_dup:
        notes.append(
            f"{n_dup:,} row(s) repeat an earlier row or {idf}; they are kept, with "
            f"duplicate_of set ({n_renamed:,} repeated {idf}(s) renamed '<id>#<n>')."
        )
    by_column = issues["column"].value_counts().to_dict() if len(issues) else {}
    info = raw.info
    report = LoadReport(
        file=file if file is not None else None,
        source=source,
        table=table,
        format=info.get("format", "csv"),
        encoding=info.get("encoding"),
        delimiter=info.get("delimiter"),
        sheet=info.get("sheet"),
        header_row=info.get("header_row"),
        rows_in=raw.rows_in,
        rows_loaded=len(normalized),
        rows_rejected=len(raw.rejects),
        duplicates=n_dup,
        issues=len(issues),
        issues_by_column={str(k): int(v) for k, v in by_column.items()},
        mapping=m.fields,
        unmapped=m.unmapped,
        extras=m.extras,
        notes=notes,
    )
    return LoadResult(
        table=normalized, issues=issues, rejects=raw.rejects, report=report
    )


def _duplicate_of(
    ids: pd.Series,
    renamed: pd.Series | None,
    first: np.ndarray,
    given: pd.Series | None,
) -> pd.Series:
    """``duplicate_of`` of each row: the id a renamed id repeats (``renamed``),
    else the id of the first identical row (``first``, -1 for none), else what
    the file itself said (``given``).

    Built with one Arrow take: on a million rows, filling a Series of nulls
    by mask and then from another Series cost 45 ms at the end of a load,
    with nothing else to run on the second core.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    twin = first >= 0
    if renamed is not None:
        twin &= renamed.isna().to_numpy()
    taken = pc.take(series_array(ids), pa.array(first, mask=~twin))
    out = pd.Series(pd.arrays.ArrowStringArray(taken), index=ids.index, copy=False)
    if renamed is not None and renamed.notna().any():
        out = renamed.astype("string").fillna(out)
    if given is not None and given.notna().any():
        out = out.fillna(given.astype("string"))
    return out


def _issues(issues: pd.DataFrame | None, raw: RawTable, ids: pd.Series) -> pd.DataFrame:
    parts = []
    if issues is not None and len(issues):
        parts.append(issues.reset_index(drop=True))
    if raw.issues:
        pos, col, value, problem = zip(*raw.issues, strict=True)
        parts.append(
            pd.DataFrame(
                {
                    "record_id": ids.to_numpy()[list(pos)],
                    "column": col,
                    "raw_value": value,
                    "problem": problem,
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in ISSUE_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    for c in ISSUE_COLUMNS:
        if c not in out.columns:
            out[c] = pd.NA
    out = out[list(ISSUE_COLUMNS) + [c for c in out.columns if c not in ISSUE_COLUMNS]]
    return out.astype(dict.fromkeys(ISSUE_COLUMNS, "string"))


def read_items(
    data: Any,
    mapping: Mapping[str, Any] | str | os.PathLike | None = None,
    source: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    *,
    sheet: str | int | None = None,
    sql: str | None = None,
    con: Any = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> LoadResult:
    """Read seizure records into the canonical ``items`` table.

    Same parameters as :func:`read_table` (without ``table``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Réf.": ["A1", "A1"], "Marque": ["FN", "FN"]})
    >>> res = read_items(df, source="demo")
    >>> res.table["record_id"].tolist(), res.table["duplicate_of"].tolist()
    (['A1', 'A1#2'], [<NA>, 'A1'])
    """
    return read_table(
        data,
        "items",
        mapping,
        source,
        dayfirst,
        encoding,
        sheet=sheet,
        sql=sql,
        con=con,
        delimiter=delimiter,
        progress=progress,
    )


def read_traces(
    data: Any,
    mapping: Mapping[str, Any] | str | os.PathLike | None = None,
    source: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    *,
    sheet: str | int | None = None,
    sql: str | None = None,
    con: Any = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> LoadResult:
    """Read trace requests into the canonical ``traces`` table.

    Same parameters as :func:`read_table`; ``trace_id`` identifies the rows.
    """
    return read_table(
        data,
        "traces",
        mapping,
        source,
        dayfirst,
        encoding,
        sheet=sheet,
        sql=sql,
        con=con,
        delimiter=delimiter,
        progress=progress,
    )


def read_actors(
    data: Any,
    mapping: Mapping[str, Any] | str | os.PathLike | None = None,
    source: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    *,
    sheet: str | int | None = None,
    sql: str | None = None,
    con: Any = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> LoadResult:
    """Read actors (persons, groups, dealers) into the canonical ``actors`` table."""
    return read_table(
        data,
        "actors",
        mapping,
        source,
        dayfirst,
        encoding,
        sheet=sheet,
        sql=sql,
        con=con,
        delimiter=delimiter,
        progress=progress,
    )


def read_movements(
    data: Any,
    mapping: Mapping[str, Any] | str | os.PathLike | None = None,
    source: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    *,
    sheet: str | int | None = None,
    sql: str | None = None,
    con: Any = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> LoadResult:
    """Read route evidence (origin → destination) into the ``movements`` table."""
    return read_table(
        data,
        "movements",
        mapping,
        source,
        dayfirst,
        encoding,
        sheet=sheet,
        sql=sql,
        con=con,
        delimiter=delimiter,
        progress=progress,
    )
