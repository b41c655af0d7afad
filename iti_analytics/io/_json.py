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


#: integers longer than this stay text (Python refuses to convert >4,300 digits).
_MAX_INT_DIGITS = 1000


def _parse_int(text: str) -> int | str:
    """A JSON integer as int, or as its text when it is absurdly long."""
    return int(text) if len(text) <= _MAX_INT_DIGITS else text


def _loads(text: str) -> Any:
    return json.loads(text, parse_int=_parse_int)


def _flatten(
    rec: dict[str, Any], prefix: str = "", out: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Nested objects as dotted keys; (flat record, keys renamed on collision).

    ``{"weapon.make": "A", "weapon": {"make": "B"}}`` would give two values for
    ``weapon.make``: the second is kept as ``weapon.make (2)`` so no value is
    lost, and the collision is reported.
    """
    out = {} if out is None else out
    collisions: list[str] = []
    for k, v in rec.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            collisions += _flatten(v, f"{key}.", out)[1]
            continue
        if isinstance(v, list):
            v = (
                ";".join(
                    ""
                    if x is None
                    else json.dumps(x, ensure_ascii=False)
                    if isinstance(x, dict | list)
                    else str(x)
                    for x in v
                )
                or None
            )
        if key in out:
            n = 2
            while f"{key} ({n})" in out:
                n += 1
            collisions.append(key)
            key = f"{key} ({n})"
        out[key] = v
    return out, collisions


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
            doc = _loads(text)
        except RecursionError as err:
            raise FileFormatError(
                f"{name} nests arrays or objects too deeply to be records (over "
                "about a thousand levels). Export the records as a flat list, or "
                "as JSON lines."
            ) from err
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
    issues: list[tuple[int, str, str, str]] = []
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
            try:
                flat, collisions = _flatten(value)
            except RecursionError:
                rej_rows.append(row)
                rej_raw.append("(nested too deeply to show)")
                rej_reason.append("record nested too deeply to read")
                continue
            if _is_empty(flat):
                rej_rows.append(row)
                rej_raw.append(json.dumps(value, ensure_ascii=False))
                rej_reason.append("empty record: every value is missing")
            else:
                for key in collisions:
                    issues.append(
                        (
                            len(kept),
                            "(row)",
                            key,
                            f"two JSON keys flatten to {key!r}; both values are "
                            "kept, the second under a numbered name",
                        )
                    )
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
        issues=issues,
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
            out.append((i, _loads(line), None))
        except json.JSONDecodeError as err:
            out.append((i, line[:10000], f"invalid JSON: {err.msg}"))
        except RecursionError:
            out.append((i, line[:10000], "invalid JSON: nested too deeply to read"))
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
