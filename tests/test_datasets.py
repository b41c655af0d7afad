"""The public-data fetchers: registry, cache folder, checksums, no-network errors."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics import datasets
from iti_analytics.datasets._fetch import DatasetChecksumError


def test_registry_names_a_public_address_checksum_and_licence_for_every_file():
    table = datasets.list_datasets()
    assert len(table) == 8 + 6 + 3 + 2 + 1
    assert table["url"].str.startswith("https://").all()
    assert table["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert (table["licence"].str.len() > 0).all()
    rio = table[table["dataset"].str.startswith("rio")]
    assert rio["licence"].str.contains("all rights reserved").all()


def test_data_home_argument_then_environment_then_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("ITI_DATA_HOME", str(tmp_path / "env"))
    assert datasets.get_data_home(tmp_path / "arg") == tmp_path / "arg"
    assert datasets.get_data_home() == tmp_path / "env"
    monkeypatch.delenv("ITI_DATA_HOME")
    assert "iti_analytics" in str(datasets.get_data_home())


def test_fetchers_find_every_file_in_a_prepared_cache(real_data):
    atf = datasets.fetch_atf_source_recovery(real_data)
    assert sorted(atf) == list(range(2010, 2018))
    rio = datasets.fetch_rio_seizures(real_data, years=[2017, 2022])
    assert sorted(rio) == [2017, 2022]
    assert rio[2022].name.endswith("2022_02_BASE_APREENSAO.xlsx")
    assert set(datasets.fetch_rio_isp(real_data)) == {
        "armas",
        "armas_2018",
        "dictionary",
    }
    delaware = datasets.fetch_delaware_crime_guns(real_data)
    events = pd.read_csv(delaware["events"], dtype=str)
    assert len(events) == 635
    assert not {"defendant_name", "purchaser_name", "case_summary"} & set(events)
    stolen = pd.read_csv(datasets.fetch_bloomington_stolen_guns(real_data))
    assert len(stolen) == 320


def test_environment_variable_points_the_fetchers_at_the_cache(monkeypatch, real_data):
    monkeypatch.setenv("ITI_DATA_HOME", str(real_data))
    path = datasets.fetch_atf_source_recovery(years=[2016])[2016]
    flows = iti.read_flow_matrix(path, rows="auto")
    assert int(flows["count"].sum()) == 211_384  # ATF's 2016 grand total


def test_missing_file_without_download_says_what_to_fetch_and_where(tmp_path):
    with pytest.raises(iti.MissingFileError, match=r"Download https://.*2016\.xlsx"):
        datasets.fetch_atf_source_recovery(
            tmp_path, years=[2016], download_if_missing=False
        )


def test_no_network_is_a_clear_error_naming_the_file_and_folder(monkeypatch, tmp_path):
    # an unreachable proxy stands for a machine with no network
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(iti.MissingFileError) as err:
        datasets.fetch_bloomington_stolen_guns(tmp_path)
    message = str(err.value)
    assert "gun_recovery.csv" in message and "ITI_DATA_HOME" in message
    assert isinstance(err.value, iti.ITIError)


def test_a_file_that_is_not_the_published_one_is_refused(tmp_path):
    folder = tmp_path / "bloomington_stolen_guns"
    folder.mkdir()
    (folder / "gun_recovery.csv").write_text("brand\nGLOCK\n")
    with pytest.raises(DatasetChecksumError, match="Delete it"):
        datasets.fetch_bloomington_stolen_guns(tmp_path)


def test_unknown_year_names_the_years_available(real_data):
    with pytest.raises(iti.InvalidParameterError, match=re.escape("'2017'")):
        datasets.fetch_rio_seizures(real_data, years=[2016])
