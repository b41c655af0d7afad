"""Download, verify and cache the public datasets listed in ``registry.csv``."""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..exceptions import InvalidParameterError, ITIError, MissingFileError

__all__ = [
    "get_data_home",
    "list_datasets",
    "fetch_atf_source_recovery",
    "fetch_rio_seizures",
    "fetch_rio_isp",
    "fetch_delaware_crime_guns",
    "fetch_bloomington_stolen_guns",
]

#: environment variable naming the cache folder when ``data_home`` is not given.
DATA_HOME_ENV = "ITI_DATA_HOME"

#: columns of the Delaware file that name people or tell their cases; dropped.
_DELAWARE_PERSONAL = ("defendant_name", "purchaser_name", "case_summary")


class DatasetChecksumError(ITIError, ValueError):
    """A cached or downloaded file is not the one the registry describes."""


@cache
def _registry() -> pd.DataFrame:
    path = resources.files("iti_analytics.datasets").joinpath("registry.csv")
    with path.open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def list_datasets() -> pd.DataFrame:
    """The datasets this module fetches, one row per file.

    Returns
    -------
    DataFrame
        ``dataset``, ``key`` (a year or a file role), ``folder`` and
        ``filename`` (where the file sits under the cache folder), ``url``
        (the public address), ``sha256``, ``licence`` and ``publisher``.

    Examples
    --------
    >>> from iti_analytics.datasets import list_datasets
    >>> rio = list_datasets().query("dataset == 'rio_seizures'")
    >>> rio["key"].tolist()
    ['2017', '2018', '2019', '2020', '2021', '2022']
    """
    return _registry().drop(columns="download_sha256").copy()


def get_data_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``data_home``, else ``$ITI_DATA_HOME``, else the user cache.

    Parameters
    ----------
    data_home : path, optional
        A folder of your choice. It is created when a file is first fetched.

    Returns
    -------
    Path

    Examples
    --------
    >>> from iti_analytics.datasets import get_data_home
    >>> get_data_home("/data/iti").as_posix()
    '/data/iti'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or None
    if data_home is None:
        import pooch  # imported when used: it brings requests

        return Path(pooch.os_cache("iti_analytics"))
    return Path(data_home).expanduser()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _redact_delaware(original: Path, target: Path) -> None:
    """Copy the Delaware CSV without the columns that name people."""
    with original.open(newline="", encoding="utf-8") as src:
        rows = csv.reader(src)
        header = next(rows)
        keep = [i for i, name in enumerate(header) if name not in _DELAWARE_PERSONAL]
        tmp = target.with_suffix(".part")
        with tmp.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([header[i] for i in keep])
            for row in rows:
                writer.writerow([row[i] for i in keep])
    tmp.replace(target)


def _download(url: str, folder: Path, name: str, sha256: str) -> Path:
    """Fetch ``url`` into ``folder/name`` with pooch, checking its hash."""
    import pooch  # imported when used: it brings requests

    folder.mkdir(parents=True, exist_ok=True)
    return Path(
        pooch.retrieve(
            url,
            known_hash=f"sha256:{sha256}",
            fname=name,
            path=folder,
            progressbar=sys.stderr.isatty(),
        )
    )


def _fetch_one(
    entry: pd.Series, data_home: Path, download_if_missing: bool, dataset: str
) -> Path:
    target = data_home / entry["folder"] / entry["filename"]
    if target.is_file():
        found = _sha256(target)
        if found != entry["sha256"]:
            raise DatasetChecksumError(
                f"{target} is not the published file of {dataset} (SHA-256 "
                f"{found[:12]}…, expected {entry['sha256'][:12]}…). Delete it and "
                "call the fetcher again to download a fresh copy."
            )
        return target
    if not download_if_missing:
        raise MissingFileError(
            f"{dataset}: {target} is not in the cache and download_if_missing is "
            f"False. Download {entry['url']} and save it as {target}."
        )
    try:
        if entry["download_sha256"]:  # fetched whole, then reduced before caching
            original = _download(
                entry["url"],
                target.parent,
                target.name + ".original",
                entry["download_sha256"],
            )
            _redact_delaware(original, target)
            original.unlink()
        else:
            _download(entry["url"], target.parent, target.name, entry["sha256"])
    except ValueError as err:  # pooch's hash mismatch
        raise DatasetChecksumError(
            f"{dataset}: the file downloaded from {entry['url']} does not have the "
            f"expected SHA-256; the source may have changed. ({err})"
        ) from err
    except Exception as err:  # no network, refused, timed out, disk full...
        raise MissingFileError(
            f"{dataset}: could not download {entry['url']} ({type(err).__name__}: "
            f"{err}). With no network, download that file elsewhere and save it as "
            f"{target}, or set {DATA_HOME_ENV} to a folder that holds "
            f"{entry['folder']}/{entry['filename']}."
        ) from err
    found = _sha256(target)
    if found != entry["sha256"]:
        raise DatasetChecksumError(
            f"{dataset}: {target} does not have the expected SHA-256 after download."
        )
    return target


def _fetch(
    dataset: str,
    keys: Iterable[str] | None,
    data_home: str | os.PathLike[str] | None,
    download_if_missing: bool,
) -> dict[str, Path]:
    table = _registry()
    rows = table[table["dataset"] == dataset]
    if keys is not None:
        keys = [str(k) for k in keys]
        unknown = sorted(set(keys) - set(rows["key"]))
        if unknown:
            raise InvalidParameterError(
                f"{dataset} has no file for {unknown}; choose from "
                f"{rows['key'].tolist()}."
            )
        rows = rows[rows["key"].isin(keys)]
    home = get_data_home(data_home)
    return {
        row["key"]: _fetch_one(row, home, download_if_missing, dataset)
        for _, row in rows.iterrows()
    }


def fetch_atf_source_recovery(
    data_home: str | os.PathLike[str] | None = None,
    *,
    years: Iterable[int] | None = None,
    download_if_missing: bool = True,
) -> dict[int, Path]:
    """ATF's "Firearms Sourced and Recovered" state × state matrices, 2010–2017.

    Each workbook counts traced firearms by the State of first retail sale
    (source) and the State where police recovered them; 2012 and 2013 are
    transposed. Read one with :func:`iti_analytics.read_flow_matrix`
    (``rows="auto"`` detects the orientation).

    Parameters
    ----------
    data_home : path, optional
        Cache folder (see :func:`get_data_home`).
    years : iterable of int, optional
        Years to fetch (default all, 2010–2017).
    download_if_missing : bool, default True
        If False, raise instead of downloading a file that is not cached.

    Returns
    -------
    dict of int to Path
        Year → workbook.

    Raises
    ------
    MissingFileError
        A file is not cached and cannot be downloaded; the message says what to
        download and where to put it.
    DatasetChecksumError
        A file is not the published one.

    Examples
    --------
    >>> import iti_analytics as iti
    >>> paths = iti.datasets.fetch_atf_source_recovery(years=[2016])  # doctest: +SKIP
    >>> flows = iti.read_flow_matrix(paths[2016], rows="auto")  # doctest: +SKIP
    """
    keys = None if years is None else [str(int(y)) for y in years]
    found = _fetch("atf_source_recovery", keys, data_home, download_if_missing)
    return {int(k): v for k, v in found.items()}


def fetch_rio_seizures(
    data_home: str | os.PathLike[str] | None = None,
    *,
    years: Iterable[int] | None = None,
    download_if_missing: bool = True,
) -> dict[int, Path]:
    """Rio de Janeiro police records of seized firearms and ammunition, 2017–2022.

    One workbook a year (2022: January and February only), one row per seized
    weapon or ammunition lot, in Portuguese: type, make, model, calibre,
    serial, country of manufacture, registered owner (``Patrimoniada``) and
    offence. Published by Instituto Sou da Paz from police (SEPOL) exports,
    with all rights reserved: use it for your own analysis only.

    Parameters
    ----------
    data_home : path, optional
        Cache folder (see :func:`get_data_home`).
    years : iterable of int, optional
        Years to fetch (default all, 2017–2022).
    download_if_missing : bool, default True
        If False, raise instead of downloading a file that is not cached.

    Returns
    -------
    dict of int to Path
        Year → workbook (the header is on the third row; read_items finds it).

    Examples
    --------
    >>> import iti_analytics as iti
    >>> paths = iti.datasets.fetch_rio_seizures(years=[2017])  # doctest: +SKIP
    >>> res = iti.read_items(paths[2017], source="rio_2017")  # doctest: +SKIP
    """
    keys = None if years is None else [str(int(y)) for y in years]
    found = _fetch("rio_seizures", keys, data_home, download_if_missing)
    return {int(k): v for k, v in found.items()}


def fetch_rio_isp(
    data_home: str | os.PathLike[str] | None = None,
    *,
    download_if_missing: bool = True,
) -> dict[str, Path]:
    """Rio de Janeiro ISP firearm seizure records (2018, and 2019–2023), no serials.

    ``armas`` (2019–2023, ``;``-separated, Latin-1) and ``armas_2018`` (UTF-8)
    have one row per firearm: occurrence id, type, calibre, make, quantity and
    ``origem`` (1 foreign, 2 Brazilian, 88 unknown); ``dictionary`` is ISP's
    data dictionary workbook.

    Parameters
    ----------
    data_home : path, optional
        Cache folder (see :func:`get_data_home`).
    download_if_missing : bool, default True
        If False, raise instead of downloading a file that is not cached.

    Returns
    -------
    dict of str to Path
        ``armas``, ``armas_2018`` and ``dictionary``.
    """
    return _fetch("rio_isp", None, data_home, download_if_missing)


def fetch_delaware_crime_guns(
    data_home: str | os.PathLike[str] | None = None,
    *,
    download_if_missing: bool = True,
) -> dict[str, Path]:
    """Delaware GunStat crime-gun events (635 guns) with the dealers that sold them.

    From the Brady Gun Center's crime-gun supply-chain project (MIT licence):
    dealer, maker, serial, calibre, sale and crime dates, time to crime. The
    columns with people's names and case narratives are dropped as the file is
    fetched; only the redacted file is cached.

    Parameters
    ----------
    data_home : path, optional
        Cache folder (see :func:`get_data_home`).
    download_if_missing : bool, default True
        If False, raise instead of downloading a file that is not cached.

    Returns
    -------
    dict of str to Path
        ``events`` (the redacted events CSV) and ``dealers`` (3 dealers in
        ATF's Demand Letter 2 programme).
    """
    return _fetch("delaware_crime_guns", None, data_home, download_if_missing)


def fetch_bloomington_stolen_guns(
    data_home: str | os.PathLike[str] | None = None,
    *,
    download_if_missing: bool = True,
) -> Path:
    """Bloomington (Indiana) police: 320 stolen firearms and whether they came back.

    Stolen date, brand, model, colour, premises and recovery (not recovered,
    recovered locally, recovered elsewhere), 2016 to March 2022; no serials.

    Parameters
    ----------
    data_home : path, optional
        Cache folder (see :func:`get_data_home`).
    download_if_missing : bool, default True
        If False, raise instead of downloading a file that is not cached.

    Returns
    -------
    Path
        The CSV.
    """
    found = _fetch("bloomington_stolen_guns", None, data_home, download_if_missing)
    return found["stolen"]
