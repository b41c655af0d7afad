"""Read JSON: an array of records, ``{"records": [...]}``, or JSON lines."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import FileFormatError
from ._raw import RawTable, make_rejects, positional
from ._sniff import decode_text

__all__ = ["read_json"]

_LIST_KEYS = ("records", "data", "items", "rows", "results", "features")


def _flatten(rec: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in rec.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, f"{key}."))
        elif isinstance(v, list):
            out[key] = ";".join("" if x is None else str(x) for x in v) or None
        else:
            out[key] = v
    return out


def _is_empty(rec: dict[str, Any]) -> bool:
    return all(
        v is None or (isinstance(v, str) and not v.strip()) for v in rec.values()
    )


def read_json(
    data: bytes, *, name: str, table: str, ext: str = "", encoding: str | None = None
) -> RawTable:
    """Read JSON records into a :class:`RawTable`; bad JSON lines are rejected."""
    text, label, notes = decode_text(data, name, encoding)
    fmt = "json"
    items: list[tuple[int, Any, str | None]] = []  # (row, value, error)
    if ext in (".jsonl", ".ndjson"):
        items, fmt = _lines(text), "jsonl"
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as err:
            if err.msg.startswith("Extra data"):
                items, fmt = _lines(text), "jsonl"
            else:
                raise FileFormatError(
                    f"{name} is not valid JSON ({err.msg} at line {err.lineno}, "
                    f"column {err.colno}). Fix the file, or export it as JSON lines "
                    "(one record per line) so that bad lines can be skipped."
                ) from err
        else:
            records = _records(doc, name)
            items = [(i + 1, v, None) for i, v in enumerate(records)]
    kept: list[dict[str, Any]] = []
    numbers: list[int] = []
    rej_rows, rej_raw, rej_reason = [], [], []
    for row, value, error in items:
        if error is not None:
            rej_rows.append(row)
            rej_raw.append(value)
            rej_reason.append(error)
        elif not isinstance(value, dict):
            rej_rows.append(row)
            rej_raw.append(json.dumps(value, ensure_ascii=False))
            rej_reason.append("not a record: a JSON object {...} was expected")
        else:
            flat = _flatten(value)
            if _is_empty(flat):
                rej_rows.append(row)
                rej_raw.append(json.dumps(value, ensure_ascii=False))
                rej_reason.append("empty record: every value is missing")
            else:
                kept.append(flat)
                numbers.append(row)
    headers: list[str] = []
    seen: set[str] = set()
    for rec in kept:
        for k in rec:
            if k not in seen:
                seen.add(k)
                headers.append(k)
    names = positional(len(headers))
    frame = pd.DataFrame(
        {
            n: pd.Series([rec.get(h) for rec in kept], dtype=object)
            for n, h in zip(names, headers, strict=True)
        },
        index=pd.RangeIndex(len(kept)),
    )
    return RawTable(
        frame=frame,
        headers=headers,
        row_numbers=np.asarray(numbers, dtype=np.int64),
        rows_in=len(items),
        rejects=make_rejects(rej_rows, rej_raw, rej_reason),
        info={"format": fmt, "encoding": label, "delimiter": None, "header_row": None},
        notes=notes,
    )


def _lines(text: str) -> list[tuple[int, Any, str | None]]:
    out = []
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()  # the final newline is not a blank record
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            out.append((i, line, "blank line: no values"))
            continue
        try:
            out.append((i, json.loads(line), None))
        except json.JSONDecodeError as err:
            out.append((i, line[:10000], f"invalid JSON: {err.msg}"))
    return out


def _records(doc: Any, name: str) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in _LIST_KEYS:
            if isinstance(doc.get(key), list):
                recs = doc[key]
                if key == "features":  # GeoJSON: use the properties
                    recs = [
                        r.get("properties", r) if isinstance(r, dict) else r
                        for r in recs
                    ]
                return recs
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
        if (
            lists
            and all(isinstance(v, list) for v in doc.values())
            and len({len(v) for v in doc.values()}) == 1
        ):  # column-oriented {"col": [...], ...}
            cols = list(doc)
            return [
                dict(zip(cols, vals, strict=True))
                for vals in zip(*doc.values(), strict=True)
            ]
        if not lists:
            return [doc]
    raise FileFormatError(
        f"{name} is JSON but not a list of records. Give an array of objects "
        '[{...}, ...], an object {"records": [...]}, or JSON lines.'
    )
