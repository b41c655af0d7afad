"""Merging inputs into one table: ids made unique, renamings and orphans noted."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..exceptions import InvalidParameterError
from ._checks import _allowed_text, _conform_user_frame, _failure_cases
from ._common import ISSUE_COLUMNS, TABLE_KEYS

__all__: list[str] = []


@dataclasses.dataclass
class _Part:
    """One input (a DataFrame or a LoadResult) of one table, while merging."""

    table: str
    position: int
    frame: pd.DataFrame
    issues: pd.DataFrame
    rejects: pd.DataFrame
    report: Any
    source: Any  # base source name, or NA
    from_user: bool
    label: str = ""


def _is_load_result(obj: Any) -> bool:
    return all(hasattr(obj, a) for a in ("table", "issues", "rejects", "report"))


def _as_list(obj: Any, table: str) -> list[Any]:
    if obj is None:
        return []
    if isinstance(obj, pd.DataFrame) or _is_load_result(obj):
        return [obj]
    if isinstance(obj, list | tuple):
        for x in obj:
            if not (isinstance(x, pd.DataFrame) or _is_load_result(x)):
                raise _bad_input(table, x)
        return list(obj)
    raise _bad_input(table, obj)


def _bad_input(table: str, obj: Any) -> InvalidParameterError:
    hint = ""
    if isinstance(obj, str | os.PathLike):
        hint = f" To read files use Dataset.from_files({table}=[{str(obj)!r}])."
    return InvalidParameterError(
        f"`{table}` must be a DataFrame, a LoadResult or a list of them, "
        f"but {type(obj).__name__} was passed.{hint}"
    )


def _empty_issues() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in ISSUE_COLUMNS})


def _issues_frame(table: str, source: Any, issues: pd.DataFrame | None) -> pd.DataFrame:
    """Issues of one input with the Dataset's columns first (all strings)."""
    if issues is None or len(issues.columns) == 0:
        return _empty_issues()
    out = issues.copy()
    for col in ISSUE_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA
    out["table"] = table
    if "source" not in issues.columns:
        out["source"] = source
    out = out[ISSUE_COLUMNS + [c for c in out.columns if c not in ISSUE_COLUMNS]]
    for col in ISSUE_COLUMNS:
        out[col] = out[col].astype("string")
    return out.reset_index(drop=True)


def _rejects_frame(
    table: str, source: Any, rejects: pd.DataFrame | None
) -> pd.DataFrame:
    if rejects is None:
        rejects = pd.DataFrame()
    out = rejects.reset_index(drop=True)
    out = out.drop(columns=[c for c in ("table", "source") if c in out.columns])
    out.insert(0, "table", pd.Series(table, index=out.index, dtype="string"))
    out.insert(1, "source", pd.Series(source, index=out.index, dtype="string"))
    return out


def _base_source(frame: pd.DataFrame, report: Any) -> Any:
    name = getattr(report, "source", None)
    if isinstance(name, str) and name:
        return name
    if "source" in frame.columns:
        values = frame["source"].dropna().unique()
        if len(values) == 1:
            return str(values[0])
    return pd.NA


def _make_part(table: str, position: int, obj: Any) -> tuple[_Part, pd.DataFrame]:
    """Build a :class:`_Part`; return it and the user-data failures found."""
    failures = pd.DataFrame(columns=["column", "check", "value", "index"])
    if isinstance(obj, pd.DataFrame):
        frame, failures = _conform_user_frame(obj, table)
        source = _base_source(obj, None)
        part = _Part(
            table,
            position,
            frame,
            _empty_issues(),
            _rejects_frame(table, source, None),
            None,
            source,
            from_user=True,
        )
    else:
        raw = obj.table if obj.table is not None else schema.empty_table(table)
        source = _base_source(raw, obj.report)
        part = _Part(
            table,
            position,
            schema.conform(raw, table),
            _issues_frame(table, source, obj.issues),
            _rejects_frame(table, source, obj.rejects),
            obj.report,
            source,
            from_user=False,
        )
    part.frame = part.frame.reset_index(drop=True)
    return part, failures


def _assign_labels(parts: list[_Part]) -> None:
    seen: dict[str, int] = {}
    for part in parts:
        base = (
            part.source if isinstance(part.source, str) else f"input{part.position + 1}"
        )
        seen[base] = seen.get(base, 0) + 1
        part.label = base if seen[base] == 1 else f"{base}#{seen[base]}"


def _fill_keys(part: _Part) -> None:
    """Give rows without an id one made from the source and the row number."""
    key = TABLE_KEYS[part.table]
    ids = part.frame[key]
    missing = ids.isna()
    if missing.any():
        made = (
            part.label
            + ":"
            + pd.Series(np.arange(1, len(ids) + 1), index=ids.index).astype("string")
        )
        part.frame[key] = ids.where(~missing, made)


def _dedupe_within(part: _Part) -> pd.DataFrame:
    """Rename repeated ids inside one input; flag them ``duplicate_of``."""
    key = TABLE_KEYS[part.table]
    ids = part.frame[key]
    dup = ids.duplicated(keep="first").to_numpy()
    if not dup.any():
        return _empty_issues()
    occurrence = ids.groupby(ids, sort=False).cumcount() + 1
    new_ids = ids.copy()
    new_ids[dup] = ids[dup] + "#" + occurrence[dup].astype("string")
    while new_ids.duplicated().any():  # pathological: 'a#2' already existed
        again = new_ids.duplicated(keep="first").to_numpy()
        new_ids[again] = new_ids[again] + "#"
    frame = part.frame
    frame["duplicate_of"] = frame["duplicate_of"].where(
        frame["duplicate_of"].notna() | ~dup, ids
    )
    frame[key] = new_ids
    return pd.DataFrame(
        {
            "table": part.table,
            "source": frame["source"][dup].fillna(part.source),
            "record_id": new_ids[dup],
            "column": key,
            "raw_value": ids[dup],
            "problem": (
                f"{key} '"
                + ids[dup]
                + "' repeated in the same input; renamed '"
                + new_ids[dup]
                + "' and flagged duplicate_of '"
                + ids[dup]
                + "'"
            ),
        }
    ).astype("string")


def _validate_part(part: _Part) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a part; loaded data: bad cells become null with an issue.

    Returns (user failures, issues).
    """
    fc = _failure_cases(part.table, part.frame)
    if len(fc) == 0:
        return fc, _empty_issues()
    if part.from_user:
        return fc, _empty_issues()
    key = TABLE_KEYS[part.table]
    frame = part.frame
    rows = []
    for (column, check), grp in fc.groupby(["column", "check"], sort=False):
        idx = grp["index"].dropna().astype("int64").to_numpy()
        if len(idx) == 0:
            continue
        positions = frame.index.get_indexer(idx)
        raw = frame[column].iloc[positions]
        frame.loc[frame.index[positions], column] = pd.NA
        rows.append(
            pd.DataFrame(
                {
                    "table": part.table,
                    "source": frame["source"]
                    .iloc[positions]
                    .fillna(part.source)
                    .values,
                    "record_id": frame[key].iloc[positions].values,
                    "column": column,
                    "raw_value": raw.astype("string").values,
                    "problem": (
                        f"value not valid for {column} ("
                        + _allowed_text(part.table, column, check)
                        + "); set to null"
                    ),
                }
            )
        )
    issues = pd.concat(rows, ignore_index=True).astype("string") if rows else None
    return fc.iloc[0:0], issues if issues is not None else _empty_issues()


def _resolve_collisions(parts: list[_Part]) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    """Prefix ids that occur in several inputs with the input's label.

    Returns the issues and the renamings (``old``, ``new``).
    """
    none = pd.DataFrame({"old": pd.Series([], dtype="string"), "new": []})
    if len(parts) < 2:
        return [], none
    key = TABLE_KEYS[parts[0].table]
    ids = pd.concat([p.frame[key] for p in parts], ignore_index=True)
    owner = np.concatenate([np.full(len(p.frame), i) for i, p in enumerate(parts)])
    codes, uniques = pd.factorize(ids)
    pairs = np.sort(codes.astype(np.int64) * len(parts) + owner)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    n_owners = np.bincount(pairs // len(parts), minlength=len(uniques))
    colliding = n_owners[codes] > 1
    if not colliding.any():
        return [], none
    labels = np.array([p.label for p in parts], dtype=object)[owner[colliding]]
    new_all = ids.copy()
    new_all[colliding] = (
        pd.Series(labels, dtype="string") + ":" + ids[colliding].reset_index(drop=True)
    ).to_numpy()
    k = 2
    while new_all.duplicated().any():  # a prefixed id that already existed
        again = new_all.duplicated(keep=False).to_numpy() & colliding
        if not again.any():  # pragma: no cover - cannot happen with unique inputs
            break
        new_all[again] = new_all[again] + f"#{k}"
        k += 1
    issues = []
    start = 0
    for part in parts:
        stop = start + len(part.frame)
        changed = colliding[start:stop]
        old = ids.iloc[start:stop][changed]
        new = new_all.iloc[start:stop][changed]
        start = stop
        if not changed.any():
            continue
        part.frame[key] = new_all.iloc[start - len(part.frame) : stop].to_numpy()
        mapping = pd.Series(new.to_numpy(), index=pd.Index(old.to_numpy()))
        # duplicate_of and the input's issues name rows by this same id
        part.frame["duplicate_of"] = _rename(part.frame["duplicate_of"], mapping)
        if len(part.issues):
            part.issues["record_id"] = _rename(part.issues["record_id"], mapping)
        issues.append(
            pd.DataFrame(
                {
                    "table": part.table,
                    "source": part.frame["source"][changed].fillna(part.source).values,
                    "record_id": new.values,
                    "column": key,
                    "raw_value": old.values,
                    "problem": (
                        f"{key} '" + old + "' also used by another source; "
                        "renamed '" + new + "'"
                    ).values,
                }
            ).astype("string")
        )
    renamed = pd.DataFrame({"old": ids[colliding], "new": new_all[colliding]})
    return issues, renamed.reset_index(drop=True)


def _rename(values: pd.Series, mapping: pd.Series) -> pd.Series:
    """Replace the values found in the index of ``mapping`` by the mapped ones."""
    known = values.notna().to_numpy()
    if not known.any():
        return values
    sub = values[known]
    positions = mapping.index.get_indexer(sub)
    hit = positions >= 0
    if not hit.any():
        return values
    out = values.copy()
    out.iloc[np.flatnonzero(known)[hit]] = mapping.to_numpy()[positions[hit]]
    return out


def _isin(values: pd.Series, universe: pd.Series) -> np.ndarray:
    """``values.isin(universe)`` as a bool array, via pyarrow (fast on strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    left = pa.array(values.astype("string"), from_pandas=True).cast(pa.large_string())
    right = pa.array(universe.astype("string").dropna(), from_pandas=True).cast(
        pa.large_string()
    )
    found = pc.is_in(left, value_set=right, skip_nulls=True)
    return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _orphans(
    table: str, frame: pd.DataFrame, items: pd.DataFrame, renamed: pd.DataFrame
) -> pd.DataFrame:
    """Rows of ``table`` whose record_id is not among the items."""
    if len(items) == 0 or len(frame) == 0:
        return _empty_issues()
    ref = frame["record_id"]
    bad = ref.notna().to_numpy() & ~_isin(ref, items["record_id"])
    if not bad.any():
        return _empty_issues()
    key = TABLE_KEYS[table]
    missing = ref[bad]
    problem = "refers to record_id '" + missing + "', which is not among the items"
    if len(renamed):
        hits = renamed[_isin(renamed["old"], missing)]
        if len(hits):
            joined = hits.groupby("old", sort=False)["new"].agg(", ".join)
            amb = missing.map(joined)
            problem = problem.where(
                amb.isna(),
                "refers to record_id '"
                + missing
                + "', which several sources used; it is now one of "
                + amb.astype("string")
                + ": set the right one",
            )
    return pd.DataFrame(
        {
            "table": table,
            "source": frame["source"][bad],
            "record_id": frame[key][bad],
            "column": "record_id",
            "raw_value": missing,
            "problem": problem,
        }
    ).astype("string")


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return pd.concat(frames, ignore_index=True)


def _concat_tables(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    if not frames:
        return schema.empty_table(table)
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    out = pd.concat(frames, ignore_index=True)
    # concat of an all-null extra with typed columns keeps dtypes; re-conform to be sure
    return schema.conform(out, table)


def _empty_rejects() -> pd.DataFrame:
    """Zero rejects, with the columns the readers give (row, raw, reason)."""
    return pd.DataFrame(
        {
            "table": pd.Series([], dtype="string"),
            "source": pd.Series([], dtype="string"),
            "row": pd.Series([], dtype="Int64"),
            "raw": pd.Series([], dtype="string"),
            "reason": pd.Series([], dtype="string"),
        }
    )
