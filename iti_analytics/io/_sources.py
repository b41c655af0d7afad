"""Turn any input (path, DataFrame, SQL) into a RawTable, recognising its format."""

from __future__ import annotations

import io
import mmap
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import FileFormatError, InvalidParameterError, MissingFileError
from ._raw import RawTable, from_frame
from ._sniff import detect_format

__all__ = ["read_any", "MissingFileError", "MAX_DECOMPRESSED_BYTES"]

#: a compressed file may expand to at most this many bytes (1 GiB); beyond it the
#: read is refused before more memory is taken (a 2 MB .gz can hold 1 GB).
MAX_DECOMPRESSED_BYTES = 1 << 30


#: files from this size on are mapped into memory instead of copied into it:
#: the parser then reads the operating system's cache of the file directly
#: (a 100 MB export: 25,000 fewer page faults, 0.05 s less)
_MAP_BYTES = 1 << 20


def _file_bytes(path: Path) -> bytes | mmap.mmap:
    """The bytes of the file at ``path``; a large file mapped read-only.

    As with any mapped file (pyarrow's ``memory_map``, polars), a file cut
    short by another program *while* it is parsed would stop the process;
    a file replaced by a new version (how spreadsheets and exports save) is
    not affected, and the mapping is dropped once the file is parsed.
    """
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size >= _MAP_BYTES:
            try:
                return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # a file system that cannot map it
                pass
        return f.read()


def _gunzip(blob: bytes, label: str, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Decompress a gzip stream piece by piece, refusing to go past ``limit``."""
    out = bytearray()
    data = blob
    try:
        while data:  # a .gz file may hold several members one after the other
            unzip = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            while data:
                out += unzip.decompress(data, 1 << 20)
                if len(out) > limit:
                    raise FileFormatError(
                        f"{label} expands to more than {limit:,} bytes when "
                        "decompressed; it is refused rather than read into memory. "
                        "Split the export into smaller files, or decompress it and "
                        "read the plain file if it really is that large."
                    )
                data = unzip.unconsumed_tail
                if unzip.eof:
                    break
            if not unzip.eof:
                raise FileFormatError(
                    f"{label} is a truncated gzip file. Compress it again."
                )
            data = unzip.unused_data
    except zlib.error as err:
        raise FileFormatError(
            f"{label} is a damaged gzip file ({err}). Compress it again."
        ) from err
    return bytes(out)


def _is_sql_connectable(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("sqlalchemy") or hasattr(obj, "cursor")


def _read_sql(con: Any, sql: str) -> tuple[pd.DataFrame, str, str]:
    """Run ``sql`` on an engine, connection or URL; (frame, label, default source)."""
    engine, dispose = con, False
    label = "the database"
    if isinstance(con, str | os.PathLike):
        text = os.fspath(con)
        if "://" not in text:
            if not Path(text).exists():
                raise MissingFileError(
                    f"Database file {text!r} does not exist. Give the path of an "
                    "existing SQLite file or a SQLAlchemy URL."
                )
            text = f"sqlite:///{text}"
        try:
            import sqlalchemy as sa

            engine, dispose = sa.create_engine(text), True
        except Exception as err:
            raise InvalidParameterError(
                f"Cannot open the database {text!r} ({err}). Give a SQLAlchemy URL "
                "such as 'sqlite:///seizures.db' or an Engine."
            ) from err
    url = getattr(engine, "url", None) or getattr(
        getattr(engine, "engine", None), "url", None
    )
    database = getattr(url, "database", None) if url is not None else None
    source = Path(database).stem if database else "sql"
    label = f"database {database!r}" if database else label
    try:
        frame = pd.read_sql(sql, engine)
    except Exception as err:
        raise InvalidParameterError(
            f"The SQL query failed on {label}: {str(err).splitlines()[0]}. Check "
            "the query (table and column names) and try it in a SQL client."
        ) from err
    finally:
        if dispose:
            engine.dispose()
    return frame, label, source


def _check_columns(raw: RawTable, label: str) -> None:
    """Refuse a table wider than ``MAX_COLUMNS`` (JSON keys, Parquet, SQL...)."""
    from ._delimited import MAX_COLUMNS

    if len(raw.headers) > MAX_COLUMNS:
        raise FileFormatError(
            f"{label} has {len(raw.headers):,} columns, more than the "
            f"{MAX_COLUMNS:,} this reader accepts. A table of records has far "
            "fewer: check that this is a table of records."
        )


def read_any(
    data: Any,
    table: str,
    *,
    encoding: str | None,
    sheet: Any,
    sql: str | None,
    con: Any,
    delimiter: str | None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[RawTable, str | None, str, str]:
    """(raw table, file name for the report, label for messages, default source).

    ``meanwhile`` is called when a delimited file is about to be parsed.
    """
    if sql is not None:
        target = con if con is not None else data
        if target is None:
            raise InvalidParameterError(
                "sql= was given without a database: pass con= (a SQLAlchemy engine "
                "or URL such as 'sqlite:///seizures.db') or the URL as data."
            )
        frame, label, source = _read_sql(target, sql)
        raw = from_frame(frame, {"format": "sql"})
        _check_columns(raw, label)
        return raw, label, label, source
    if isinstance(data, pd.DataFrame):
        raw = from_frame(data, {"format": "dataframe", "keep_index": True})
        _check_columns(raw, "the DataFrame")
        return raw, None, "the DataFrame", "dataframe"
    if con is not None or _is_sql_connectable(data):
        raise InvalidParameterError(
            "A database was given without a query: pass sql='SELECT ... FROM ...'."
        )
    if not isinstance(data, str | os.PathLike):
        raise InvalidParameterError(
            f"Cannot read {type(data).__name__!r}: pass a file path, a pandas "
            "DataFrame, or a SQLAlchemy engine/URL with sql=."
        )
    path = Path(data)
    label = repr(str(path))
    if not path.exists():
        raise MissingFileError(
            f"File {label} does not exist. Check the path (current folder: "
            f"{os.getcwd()!r})."
        )
    if path.is_dir():
        raise FileFormatError(
            f"{label} is a folder, not a file. Pass one file (or loop over the files "
            "in the folder)."
        )
    try:
        blob = _file_bytes(path)
    except PermissionError as err:
        raise MissingFileError(
            f"File {label} cannot be read: permission denied. Ask for read access, "
            "or copy the file somewhere you can read it."
        ) from err
    except OSError as err:
        raise FileFormatError(
            f"File {label} cannot be read ({err.strerror or err}). Check the disk or "
            "copy the file locally."
        ) from err
    ext = path.suffix.lower()
    stem = path.stem
    fmt = detect_format(blob, path, label)
    if fmt != "csv":  # the other readers take bytes (only a large file is mapped)
        blob = bytes(blob)
    if fmt == "gzip":
        blob = _gunzip(blob, label)
        inner = Path(stem)
        ext, stem = inner.suffix.lower(), inner.stem
        fmt = detect_format(blob, inner, label)
    if fmt == "sqlite":
        raise FileFormatError(
            f"{label} is a SQLite database, not a table. Pass a query: "
            f"read_items({str(path)!r}, sql='SELECT * FROM <table>')."
        )
    if fmt == "xlsx":
        from ._excel import read_excel

        raw = read_excel(blob, name=label, table=table, sheet=sheet)
    elif fmt == "parquet":
        try:
            frame = pd.read_parquet(io.BytesIO(blob))
        except Exception as err:
            raise FileFormatError(
                f"{label} looks like Parquet but cannot be read ({err}). Re-export it."
            ) from err
        raw = from_frame(frame, {"format": "parquet"})
    elif fmt == "json":
        from ._json import read_json

        raw = read_json(blob, name=label, table=table, ext=ext, encoding=encoding)
    else:
        from ._delimited import read_delimited

        raw = read_delimited(
            blob,
            name=label,
            table=table,
            ext=ext,
            encoding=encoding,
            delimiter=delimiter,
            meanwhile=meanwhile,
        )
    _check_columns(raw, label)
    return raw, str(path), label, stem
