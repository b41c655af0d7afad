"""Real public datasets on firearms seizures and traces, fetched and cached.

In the manner of ``sklearn.datasets``: each ``fetch_*`` function downloads the
files of one public dataset from the address its publisher (or the public
repository that keeps it) gives, checks each file's SHA-256, keeps it in a
cache folder and returns the paths, ready for :func:`iti_analytics.read_items`
or :func:`iti_analytics.read_flow_matrix`. Once a file is in the cache no
network is used again.

The cache folder is, in order: the ``data_home`` argument, the environment
variable ``ITI_DATA_HOME``, or the user cache folder
(``~/.cache/iti_analytics`` on Linux). Files sit in one sub-folder per source,
so a folder prepared by hand (copied from another machine with no network)
works if it has the same layout: see :func:`list_datasets` for the names.

Nothing is bundled with the package. The Rio de Janeiro files are published
with "all rights reserved": they are fetched for your own analysis and must
not be redistributed. The Delaware file is redacted as it is fetched: the
columns that hold people's names and case narratives are dropped before it is
written to the cache, and the original is not kept.

Examples
--------
>>> from iti_analytics import datasets
>>> table = datasets.list_datasets()
>>> sorted(table["dataset"].unique())  # doctest: +NORMALIZE_WHITESPACE
['atf_source_recovery', 'bloomington_stolen_guns', 'delaware_crime_guns',
 'rio_isp', 'rio_seizures']
"""

from __future__ import annotations

from ._fetch import (
    fetch_atf_source_recovery,
    fetch_bloomington_stolen_guns,
    fetch_delaware_crime_guns,
    fetch_rio_isp,
    fetch_rio_seizures,
    get_data_home,
    list_datasets,
)

__all__ = [
    "get_data_home",
    "list_datasets",
    "fetch_atf_source_recovery",
    "fetch_rio_seizures",
    "fetch_rio_isp",
    "fetch_delaware_crime_guns",
    "fetch_bloomington_stolen_guns",
]
