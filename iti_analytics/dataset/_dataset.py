"""The :class:`Dataset`: canonical tables from several sources, with their issues."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..exceptions import InvalidParameterError
from ._checks import _schema_error
from ._common import _TABLE_NAMES
from ._merge import (
    _as_list,
    _assign_labels,
    _concat,
    _concat_tables,
    _dedupe_within,
    _empty_issues,
    _empty_rejects,
    _fill_keys,
    _is_load_result,
    _isin,
    _make_part,
    _orphans,
    _Part,
    _resolve_collisions,
    _validate_part,
)
from ._summary import html_summary, summarize, text_summary

__all__ = ["Dataset"]


class Dataset:
    """Canonical items, traces, actors and movements from one or several sources.

    Parameters
    ----------
    items, traces, actors, movements : DataFrame, LoadResult or list of them, optional
        A canonical DataFrame with any subset of the table's columns (missing ones
        become null, see :func:`iti_analytics.schema.conform`), the
        ``LoadResult`` of a reader such as :func:`iti_analytics.io.read_items`,
        or a list of either, merged in order.
    validate : bool, default True
        Check vocabularies, country codes and ranges with pandera, and report
        traces and movements that refer to no item. Bad values in DataFrames you
        pass raise :class:`~iti_analytics.exceptions.SchemaError`; bad values in a
        LoadResult become null with a row in :attr:`issues`.

    Attributes
    ----------
    items, traces, actors, movements : DataFrame
        Conformed canonical tables (empty tables when not given), with a fresh
        ``RangeIndex``; ``x_*`` columns are kept, as the union across sources.
    issues : DataFrame
        Every problem found while loading and merging: ``table``, ``source``,
        ``record_id`` (the id of the row in its table: ``trace_id`` for traces,
        ``actor_id``, ``movement_id``), ``column``, ``raw_value``, ``problem``.
    rejects : DataFrame
        Input rows that were not records at all: ``table``, ``source``, then the
        readers' ``row`` (1-based line or row in the file), ``raw`` and
        ``reason``.
    reports : list
        The ``LoadReport`` of each LoadResult, in input order.

    Notes
    -----
    Rows are never dropped. Ids (``record_id``, ``trace_id``, ``actor_id``,
    ``movement_id``) are made unique: a missing id becomes ``"<source>:<row>"``;
    an id repeated inside one input becomes ``"<id>#2"`` and is flagged
    ``duplicate_of``; an id used by two sources is prefixed with the source,
    ``"police:12"``. Every renaming is noted in :attr:`issues`. The frames you
    pass are never modified.

    Raises
    ------
    SchemaError
        A DataFrame you passed has values outside the schema (``failure_cases``
        lists them: table, column, check, value, count).
    InvalidParameterError
        An argument is neither a DataFrame nor a LoadResult.

    See Also
    --------
    Dataset.from_files : read files with :mod:`iti_analytics.io` and merge them.

    Examples
    --------
    >>> import pandas as pd
    >>> police = pd.DataFrame({"record_id": ["1", "2"], "source": "police",
    ...                        "status": ["seized", "found"]})
    >>> army = pd.DataFrame({"record_id": ["1"], "source": "army"})
    >>> ds = Dataset(items=[police, army])
    >>> ds.items["record_id"].tolist()
    ['police:1', '2', 'army:1']
    >>> len(ds), ds.issues["problem"].iloc[0]
    (3, "record_id '1' also used by another source; renamed 'police:1'")
    """

    def __init__(
        self,
        items: Any = None,
        traces: Any = None,
        actors: Any = None,
        movements: Any = None,
        *,
        validate: bool = True,
    ) -> None:
        given = {
            "items": items,
            "traces": traces,
            "actors": actors,
            "movements": movements,
        }
        parts: dict[str, list[_Part]] = {}
        failures: list[pd.DataFrame] = []
        extra_issues: list[pd.DataFrame] = []
        for table, arg in given.items():
            parts[table] = []
            for position, obj in enumerate(_as_list(arg, table)):
                part, bad = _make_part(table, position, obj)
                if len(bad):
                    failures.append(bad.assign(table=table))
                parts[table].append(part)
            _assign_labels(parts[table])
            for part in parts[table]:
                _fill_keys(part)
                if validate:
                    bad, issues = _validate_part(part)
                    if len(bad):
                        failures.append(bad.assign(table=table))
                    part.issues = _concat([part.issues, issues], _empty_issues())
        if validate and failures:
            raise _schema_error(pd.concat(failures, ignore_index=True))

        renamed = pd.DataFrame({"old": [], "new": []}, dtype="string")
        tables: dict[str, pd.DataFrame] = {}
        for table in _TABLE_NAMES:
            for part in parts[table]:
                extra_issues.append(_dedupe_within(part))
            collision_issues, renamings = _resolve_collisions(parts[table])
            extra_issues.extend(collision_issues)
            if table == "items":
                renamed = renamings
            tables[table] = _concat_tables([p.frame for p in parts[table]], table)

        all_parts = [p for table in _TABLE_NAMES for p in parts[table]]
        issue_frames = [p.issues for p in all_parts] + extra_issues
        if validate:
            for table in ("traces", "movements"):
                issue_frames.append(
                    _orphans(table, tables[table], tables["items"], renamed)
                )
        self._set(
            tables,
            _concat(issue_frames, _empty_issues()),
            _concat([p.rejects for p in all_parts], _empty_rejects()),
            [p.report for p in all_parts if p.report is not None],
        )

    def _set(
        self,
        tables: Mapping[str, pd.DataFrame],
        issues: pd.DataFrame,
        rejects: pd.DataFrame,
        reports: list[Any],
    ) -> None:
        self.items = tables["items"]
        self.traces = tables["traces"]
        self.actors = tables["actors"]
        self.movements = tables["movements"]
        self.issues = issues
        self.rejects = rejects
        self.reports = list(reports)

    @classmethod
    def _from_parts(
        cls,
        tables: Mapping[str, pd.DataFrame],
        issues: pd.DataFrame,
        rejects: pd.DataFrame,
        reports: list[Any],
    ) -> Dataset:
        ds = cls.__new__(cls)
        ds._set(tables, issues, rejects, reports)
        return ds

    # ------------------------------------------------------------------ reading

    @classmethod
    def from_files(
        cls,
        items: Any = None,
        traces: Any = None,
        actors: Any = None,
        movements: Any = None,
        *,
        mapping: Any = None,
        validate: bool = True,
        progress: bool | None = None,
        **read_kwargs: Any,
    ) -> Dataset:
        """Read files with :mod:`iti_analytics.io` and merge them into a Dataset.

        Parameters
        ----------
        items, traces, actors, movements : path or list of paths, optional
            Files for each table (CSV, XLSX, JSON, Parquet… whatever the readers
            accept). DataFrames and LoadResults in the lists are used as given.
        mapping : optional
            Column mapping passed to every reader (a dict or a TOML file path).
        validate : bool, default True
            As in :class:`Dataset`.
        progress : bool, optional
            Show a progress bar over the files; by default only when standard
            error is a terminal.
        **read_kwargs
            Passed to each reader (``source``, ``dayfirst``, ``encoding``, …).

        Returns
        -------
        Dataset

        Examples
        --------
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> pd.DataFrame({"Serial Number": ["AK-1", "G 17"],
        ...               "Seizure Date": ["2021-03-04", "2022-11-30"]}
        ...              ).to_csv(folder / "customs.csv", index=False)
        >>> ds = Dataset.from_files(items=[folder / "customs.csv"])
        >>> ds.items[["record_id", "serial", "seized_on"]]
           record_id serial  seized_on
        0  customs:1    AK1 2021-03-04
        1  customs:2    G17 2022-11-30
        """
        from .. import io as iti_io

        readers: dict[str, Callable[..., Any] | None] = {
            "items": iti_io.read_items,
            "traces": iti_io.read_traces,
            "actors": getattr(iti_io, "read_actors", None),
            "movements": getattr(iti_io, "read_movements", None),
        }
        given = {
            "items": items,
            "traces": traces,
            "actors": actors,
            "movements": movements,
        }
        jobs = []
        for table, arg in given.items():
            if arg is None:
                continue
            values = list(arg) if isinstance(arg, list | tuple) else [arg]
            for value in values:
                jobs.append((table, value))
        loaded: dict[str, list[Any]] = {t: [] for t in given}
        for table, value in _progress(jobs, progress, desc="Reading files"):
            if isinstance(value, pd.DataFrame) or _is_load_result(value):
                loaded[table].append(value)
                continue
            reader = readers[table]
            if reader is None:
                raise InvalidParameterError(
                    f"Cannot read {table} from {str(value)!r}: this version has no "
                    f"reader for {table}. Pass a canonical DataFrame instead."
                )
            loaded[table].append(reader(value, mapping=mapping, **read_kwargs))
        return cls(**{t: v or None for t, v in loaded.items()}, validate=validate)

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self.items)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four canonical tables by name.

        Examples
        --------
        >>> list(Dataset().tables())
        ['items', 'traces', 'actors', 'movements']
        """
        return {t: getattr(self, t) for t in _TABLE_NAMES}

    @property
    def sources(self) -> dict[str, list[str]]:
        """Distinct ``source`` values of each non-empty table, in order of appearance.

        Examples
        --------
        >>> Dataset(items=pd.DataFrame({"source": ["police", "army"]})).sources
        {'items': ['police', 'army']}
        """
        return {
            t: [str(s) for s in df["source"].dropna().unique()]
            for t, df in self.tables().items()
            if len(df)
        }

    def copy(self) -> Dataset:
        """A deep copy: changing it never changes this Dataset.

        Examples
        --------
        >>> ds = Dataset(items=pd.DataFrame({"record_id": ["a"]}))
        >>> other = ds.copy()
        >>> other.items.loc[0, "make"] = "Glock"
        >>> ds.items.loc[0, "make"] is pd.NA
        True
        """
        return Dataset._from_parts(
            {t: df.copy() for t, df in self.tables().items()},
            self.issues.copy(),
            self.rejects.copy(),
            list(self.reports),
        )

    def replace(self, **tables: pd.DataFrame) -> Dataset:
        """A new Dataset with some tables swapped, the rest shared (copy-on-write).

        For code that derives a Dataset from another (deduplication, filtering):
        the new tables are conformed to the schema but not merged or validated
        again; issues, rejects and reports are kept.

        Parameters
        ----------
        **tables : DataFrame
            ``items=``, ``traces=``, ``actors=`` and/or ``movements=``.

        Returns
        -------
        Dataset

        Examples
        --------
        >>> ds = Dataset(items=pd.DataFrame({"record_id": ["a", "b"]}))
        >>> len(ds.replace(items=ds.items.iloc[:1]))
        1
        """
        unknown = sorted(set(tables) - set(_TABLE_NAMES))
        if unknown:
            raise InvalidParameterError(
                f"Dataset.replace takes {list(_TABLE_NAMES)}, not {unknown}."
            )
        new = {
            t: schema.conform(frame, t).reset_index(drop=True)
            for t, frame in tables.items()
        }
        return Dataset._from_parts(
            {**self.tables(), **new}, self.issues, self.rejects, list(self.reports)
        )

    def filter(self, items_mask: Any) -> Dataset:
        """Keep the items where ``items_mask`` is true, and what refers to them.

        Traces and movements whose ``record_id`` points to a dropped item go too
        (movements without a record_id, such as published flows, stay); item
        issues follow their items; actors, rejects and reports are kept.

        Parameters
        ----------
        items_mask : boolean Series aligned on ``items`` or array of len(items)

        Returns
        -------
        Dataset

        Examples
        --------
        >>> ds = Dataset(items=pd.DataFrame({"country": ["NER", "MLI", "NER"]}))
        >>> len(ds.filter(ds.items["country"] == "NER"))
        2
        """
        mask = items_mask
        if isinstance(mask, pd.Series):
            mask = mask.reindex(self.items.index)
        mask = np.asarray(pd.array(mask, dtype="boolean").fillna(False), dtype=bool)
        if len(mask) != len(self.items):
            raise InvalidParameterError(
                f"`items_mask` has {len(mask)} values but the dataset has "
                f"{len(self.items)} items; build it from ds.items, e.g. "
                "ds.items['country'] == 'NER'."
            )
        items = self.items[mask].reset_index(drop=True)
        kept = items["record_id"]
        traces = self.traces[_isin(self.traces["record_id"], kept)]
        mov = self.movements
        movements = mov[
            mov["record_id"].isna().to_numpy() | _isin(mov["record_id"], kept)
        ]
        iss = self.issues
        issues = iss[
            (iss["table"] != "items").to_numpy(dtype=bool, na_value=True)
            | _isin(iss["record_id"], kept)
        ]
        return Dataset._from_parts(
            {
                "items": items,
                "traces": traces.reset_index(drop=True),
                "actors": self.actors.copy(),
                "movements": movements.reset_index(drop=True),
            },
            issues.reset_index(drop=True),
            self.rejects.copy(),
            list(self.reports),
        )

    def deduplicate(
        self,
        links: pd.DataFrame,
        *,
        min_confidence: float = 0.9,
        kind: str = "weapon",
    ) -> Dataset:
        """A new dataset in which each linked cluster is merged into one record.

        Merging is the analyst's choice, never silent: find candidate pairs
        with :func:`iti_analytics.link_records`, review them, then call this.
        The links are computed by the caller; the dataset only merges. See
        :func:`iti_analytics.linkage.deduplicate` for the rules (first-seen
        record kept, its nulls filled from the others, their ids listed in
        ``x_merged_ids``, traces and movements re-pointed).

        Examples
        --------
        >>> from iti_analytics import link_records, load_sample
        >>> ds = load_sample()
        >>> merged = ds.deduplicate(link_records(ds, kinds=("weapon",)))
        >>> len(merged) < len(ds)
        True
        """
        from ._dedupe import merge_linked

        return merge_linked(self, links, min_confidence=min_confidence, kind=kind)

    # ------------------------------------------------------------------ summary

    def summary(self, table: str | None = None) -> pd.DataFrame:
        """Data-quality summary: one row per table and source.

        Parameters
        ----------
        table : {"items", "traces", "actors", "movements"}, optional
            Summarise only this table (with only its key columns).

        Returns
        -------
        DataFrame
            ``table``, ``source``, ``rows``, ``duplicates`` (rows flagged
            ``duplicate_of``), ``issues``, ``rejects``, then the completeness in
            percent of the key columns (:data:`KEY_COLUMNS`: ``serial_pct``,
            ``make_pct``, ``category_pct``, ``calibre_pct``, ``country_pct``,
            ``seized_on_pct`` for items; ``requested_party_pct``,
            ``sent_on_pct``, ``responded_on_pct``, ``outcome_pct`` for traces;
            …), null where a column does not belong to the table. A table with
            several sources gets an extra row with source ``"all"``; rows
            without a source are counted under ``"(none)"``. Tables that are
            empty and have no rejects are left out.

        Examples
        --------
        >>> ds = Dataset(items=pd.DataFrame({"source": ["police", "police", "army"],
        ...                                  "serial": ["A1", None, "B2"]}))
        >>> ds.summary()[["table", "source", "rows", "serial_pct"]]
           table  source  rows  serial_pct
        0  items  police     2        50.0
        1  items    army     1       100.0
        2  items     all     3        66.7
        """
        return summarize(self, table)

    def __repr__(self) -> str:
        return text_summary(self)

    def _repr_html_(self) -> str:
        return html_summary(self)

    # ------------------------------------------------------------------ parquet

    def to_parquet(self, directory: str | os.PathLike[str]) -> Path:
        """Write the tables as Parquet files plus a ``dataset.json`` manifest.

        Writes ``items``, ``traces``, ``actors``, ``movements``, ``issues`` and
        ``rejects`` ``.parquet`` and ``dataset.json`` (schema version, creation
        time, sources, load reports, column dtypes) into ``directory``, created
        if needed. :meth:`read_parquet` reads it back with identical dtypes.
        Extra columns holding mixed Python objects are stored as strings.

        Parameters
        ----------
        directory : str or path-like

        Returns
        -------
        pathlib.Path
            The directory.

        Examples
        --------
        >>> import tempfile
        >>> items = pd.DataFrame({"record_id": ["a"], "seized_on": ["2020-05-01"]})
        >>> ds = Dataset(items=items)
        >>> folder = ds.to_parquet(tempfile.mkdtemp())
        >>> sorted(p.name for p in folder.iterdir())[:3]
        ['actors.parquet', 'dataset.json', 'issues.parquet']
        >>> Dataset.read_parquet(folder).items["seized_on"].dtype
        dtype('<M8[s]')
        """
        from ._parquet import write_dataset

        return write_dataset(self, directory)

    @classmethod
    def read_parquet(cls, directory: str | os.PathLike[str]) -> Dataset:
        """Read a Dataset written by :meth:`to_parquet`.

        Parameters
        ----------
        directory : str or path-like

        Returns
        -------
        Dataset

        Raises
        ------
        FileFormatError
            The folder has no ``dataset.json`` or a table file is missing.
        SchemaError
            The files were written with another schema version.

        Examples
        --------
        >>> Dataset.read_parquet("no/such/folder")
        Traceback (most recent call last):
        ...
        iti_analytics.exceptions.FileFormatError: Cannot read a dataset from ...
        """
        from ._parquet import read_dataset

        return cls._from_parts(*read_dataset(directory))


def _progress(jobs: list, progress: bool | None, desc: str) -> Iterator:
    if progress is None:
        import sys

        progress = sys.stderr.isatty() and len(jobs) > 1
    if not progress:
        return iter(jobs)
    from tqdm.auto import tqdm

    return iter(tqdm(jobs, desc=desc, unit="file", leave=False))
