"""Writing a Dataset as Parquet files plus a ``dataset.json`` manifest, and back."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .. import schema
from ..exceptions import FileFormatError, SchemaError
from ._common import _TABLE_NAMES

__all__ = ["write_dataset", "read_dataset"]

_MANIFEST = "dataset.json"
_FORMAT = "iti_analytics.Dataset"


def write_dataset(ds: Any, directory: str | os.PathLike[str]) -> Path:
    """Write ``ds`` (a Dataset) into ``directory``; see :meth:`Dataset.to_parquet`."""
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise FileFormatError(
            f"Cannot write the dataset to {str(folder)!r}: it is a file, not a "
            "folder. Pass a folder path (it is created if missing)."
        )
    folder.mkdir(parents=True, exist_ok=True)
    frames = {**ds.tables(), "issues": ds.issues, "rejects": ds.rejects}
    dtypes = {}
    for name, frame in frames.items():
        dtypes[name] = {str(c): str(t) for c, t in frame.dtypes.items()}
        _parquet_safe(frame).to_parquet(folder / f"{name}.parquet", index=False)
    manifest = {
        "format": _FORMAT,
        "schema_version": schema.SCHEMA_VERSION,
        "package_version": _package_version(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": ds.sources,
        "rows": {name: len(frame) for name, frame in frames.items()},
        "dtypes": dtypes,
        "reports": [_report_to_dict(r) for r in ds.reports],
    }
    (folder / _MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str),
        encoding="utf-8",
    )
    return folder


def read_dataset(
    directory: str | os.PathLike[str],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame, list[Any]]:
    """Tables, issues, rejects and reports in a folder (see Dataset.read_parquet)."""
    folder = Path(directory)
    manifest_path = folder / _MANIFEST
    if not manifest_path.is_file():
        raise FileFormatError(
            f"Cannot read a dataset from {str(folder)!r}: there is no "
            f"{_MANIFEST} in it. Point to a folder written by Dataset.to_parquet "
            "or `iti load --out`."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FileFormatError(
            f"Cannot read {str(manifest_path)!r}: it is not valid JSON ({err}). "
            "Write the dataset again with Dataset.to_parquet."
        ) from err
    version = manifest.get("schema_version")
    if version != schema.SCHEMA_VERSION:
        raise SchemaError(
            f"The dataset in {str(folder)!r} uses schema version {version!r}, but "
            f"this version of iti_analytics reads version {schema.SCHEMA_VERSION}. "
            "Load the original files again with `iti load`."
        )
    frames = {}
    for name in (*_TABLE_NAMES, "issues", "rejects"):
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise FileFormatError(
                f"Cannot read the dataset in {str(folder)!r}: {path.name} is "
                "missing. Write the dataset again with Dataset.to_parquet."
            )
        frame = pd.read_parquet(path)
        frames[name] = _restore_dtypes(frame, manifest.get("dtypes", {}).get(name, {}))
    reports = [_report_from_dict(d) for d in manifest.get("reports", [])]
    return (
        {t: frames[t] for t in _TABLE_NAMES},
        frames["issues"],
        frames["rejects"],
        reports,
    )


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast object columns pyarrow cannot store (mixed types) to strings."""
    import pyarrow as pa

    out = frame
    for col in frame.columns:
        if frame[col].dtype != object:
            continue
        try:
            pa.array(frame[col], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            if out is frame:
                out = frame.copy()
            out[col] = frame[col].map(lambda v: v if v is None or v != v else str(v))
            out[col] = out[col].astype(object)
    return out


def _restore_dtypes(frame: pd.DataFrame, dtypes: Mapping[str, str]) -> pd.DataFrame:
    casts = {
        col: dtype
        for col, dtype in dtypes.items()
        if col in frame.columns
        and str(frame[col].dtype) != dtype
        and dtype != "category"
    }
    if not casts:
        return frame
    try:
        return frame.astype(casts)
    except (TypeError, ValueError):
        out = frame.copy()
        for col, dtype in casts.items():
            try:
                out[col] = out[col].astype(dtype)
            except (TypeError, ValueError):
                pass
        return out


def _package_version() -> str:
    from .._version import __version__

    return __version__


def _report_to_dict(report: Any) -> Any:
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        out = {}
        for field in dataclasses.fields(report):
            value = getattr(report, field.name)
            if isinstance(value, pd.DataFrame):
                value = value.to_dict(orient="records")
            out[field.name] = value
        return {"__type__": type(report).__name__, **_jsonable(out)}
    if hasattr(report, "to_dict"):
        return _jsonable(report.to_dict())
    if isinstance(report, Mapping):
        return _jsonable(dict(report))
    if hasattr(report, "__dict__"):
        return _jsonable(vars(report))
    return _jsonable(report)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _report_from_dict(data: Any) -> Any:
    """Rebuild a LoadReport when :mod:`iti_analytics.io` can, else keep the dict."""
    if not isinstance(data, dict):
        return data
    fields = {k: v for k, v in data.items() if k != "__type__"}
    try:
        from .. import io as iti_io
    except ImportError:
        return fields
    cls = getattr(iti_io, str(data.get("__type__", "LoadReport")), None)
    if cls is None:
        return fields
    maker = getattr(cls, "from_dict", None)
    try:
        return maker(fields) if maker is not None else cls(**fields)
    except (TypeError, ValueError):
        return fields
