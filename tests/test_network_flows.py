"""read_flow_matrix on the ATF source/recovery tables and on hand-made sheets."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import (
    FileFormatError,
    InvalidParameterError,
    MissingFileError,
)
from iti_analytics.network import corridors, flow_matrix_totals, read_flow_matrix

ATF = "atf_source_recovery_by_state"
REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
YEARS = list(range(2010, 2018))
#: 2012 and 2013 are transposed: recovery states are the rows (SOURCE.md)
ROWS = {y: "destination" if y in (2012, 2013) else "origin" for y in YEARS}

#: SOURCE.md, "Checks and published figures": grand total, in-state,
#: recovered in IL, INDIANA -> ILLINOIS, recovered in CA, recovered in NY
PUBLISHED = {
    2010: (145604, 102689, 7273, 1053, 16045, 4691),
    2011: (149276, 105394, 7511, 1048, 17285, 4972),
    2012: (156346, 110934, 7349, 1154, 18280, 4850),
    2013: (166426, 118623, 7068, 937, 19625, 4784),
    2014: (170344, 121598, 7269, 1041, 21265, 4585),
    2015: (190538, 135664, 8254, 1158, 23716, 4863),
    2016: (211384, 150448, 8745, 1366, 25188, 5378),
    2017: (239175, 169457, 10425, 1623, 27051, 5565),
}
INTERSTATE = {
    2010: 0.2947,
    2011: 0.2940,
    2012: 0.2905,
    2013: 0.2872,
    2014: 0.2862,
    2015: 0.2880,
    2016: 0.2883,
    2017: 0.2915,
}


def _path(real_data, year):
    return real_data / ATF / f"final_source_recovery_by_state-cy_{year}.xlsx"


@pytest.fixture(scope="module")
def atf_tables():
    if not (REAL_DATA / ATF).is_dir():
        pytest.skip("ATF tables not found")
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every label gets a code
        for y in YEARS:
            out[y] = read_flow_matrix(_path(REAL_DATA, y), rows=ROWS[y])
    return out


def _sheet_totals(path):
    """The TOTAL row and column exactly as the sheet prints them."""
    raw = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    labels = raw[1].astype("string").str.strip()
    total_row = int(np.flatnonzero(labels.str.fullmatch("TOTALS?").fillna(False))[0])
    header = raw.iloc[1].astype("string").str.strip()
    total_col = int(np.flatnonzero(header.str.fullmatch("TOTALS?").fillna(False))[0])
    rows = {
        str(labels[r]): int(raw.iat[r, total_col])
        for r in range(2, total_row)
        if pd.notna(labels[r]) and pd.notna(raw.iat[r, total_col])
    }
    cols = {
        str(header[c]): int(raw.iat[total_row, c])
        for c in range(2, total_col)
        if pd.notna(header[c]) and pd.notna(raw.iat[total_row, c])
    }
    return rows, cols, int(raw.iat[total_row, total_col])


@pytest.mark.parametrize("year", YEARS)
def test_atf_totals_equal_the_sheet(atf_tables, real_data, year):
    mv = atf_tables[year]
    row_totals, col_totals, grand = _sheet_totals(_path(real_data, year))
    assert mv["count"].sum() == grand == PUBLISHED[year][0]
    assert (mv["year"] == year).all()
    assert (mv["evidence"] == "published_table").all()
    # the rows are the sources except in 2012 and 2013
    if ROWS[year] == "origin":
        by_row = mv.groupby("x_origin_label")["count"].sum()
        by_col = mv.groupby("x_destination_label")["count"].sum()
    else:
        by_row = mv.groupby("x_destination_label")["count"].sum()
        by_col = mv.groupby("x_origin_label")["count"].sum()
    for label, total in row_totals.items():
        assert by_row.get(label, 0) == total, label
    for label, total in col_totals.items():
        # SOURCE.md: in 2012 the column sums differ from the TOTAL row by <= 3
        assert abs(by_col.get(label, 0) - total) <= (3 if year == 2012 else 0), label


@pytest.mark.parametrize("year", YEARS)
def test_atf_in_state_share_and_checks(atf_tables, year):
    mv = atf_tables[year]
    grand, in_state, il, in_il, ca, ny = PUBLISHED[year]
    # the diagonal: same code (GUAM & NORTHERN MARIANA ISLANDS is US-GU, so
    # its in-territory flows count, 14-18 guns in 2014-2016)
    assert mv["origin"].notna().all() and mv["destination"].notna().all()
    same = (mv["origin"] == mv["destination"]).to_numpy()
    assert mv.loc[same, "count"].sum() == in_state
    assert round(1 - in_state / mv["count"].sum(), 4) == INTERSTATE[year]
    dest = mv.groupby("destination")["count"].sum()
    assert (dest["US-IL"], dest["US-CA"], dest["US-NY"]) == (il, ca, ny)
    pair = mv[(mv["origin"] == "US-IN") & (mv["destination"] == "US-IL")]
    assert pair["count"].sum() == in_il


def test_atf_flow_matrix_totals_report(atf_tables):
    t = flow_matrix_totals(atf_tables[2016])
    assert t["difference"].abs().max() == 0
    t12 = flow_matrix_totals(atf_tables[2012])
    assert t12["difference"].abs().max() == 3
    assert atf_tables[2012]["origin"].eq("CAN").any()  # the extra CANADA column


def test_atf_matches_long_csv(atf_tables, real_data):
    long = pd.read_csv(real_data / ATF / "source_recovery_by_state_2010_2017_long.csv")
    long = long[long["count"] > 0]

    def clean(s):
        s = s.astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
        s = s.str.replace("DST OF COLUMBIA", "DISTRICT OF COLUMBIA")
        return s.str.replace("US VIRGIN ISLND", "US VIRGIN ISLANDS")

    mine = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": y,
                    "source_state": clean(mv["x_origin_label"]),
                    "recovery_state": clean(mv["x_destination_label"]),
                    "count": mv["count"].astype(int),
                }
            )
            for y, mv in atf_tables.items()
        ]
    )
    key = ["year", "source_state", "recovery_state"]
    both = long.merge(mine, on=key, how="outer", suffixes=("_csv", "_mine"))
    assert both["count_csv"].notna().all() and both["count_mine"].notna().all()
    assert (both["count_csv"] == both["count_mine"]).all()
    assert len(both) == len(long)


def test_atf_orientation_auto_and_warning(real_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        auto = read_flow_matrix(_path(real_data, 2012), rows="auto")
        right = read_flow_matrix(_path(real_data, 2012), rows="destination")
    pd.testing.assert_frame_equal(auto, right)
    with pytest.warns(UserWarning, match="titles say the rows are destinations"):
        read_flow_matrix(_path(real_data, 2013), rows="origin")


def test_atf_corridors_biggest_source_of_new_york(atf_tables):
    for year, state, n in ((2016, "US-VA", 644), (2017, "US-GA", 558)):
        corr = corridors({"movements": atf_tables[year]})
        ny = corr[(corr["destination"] == "US-NY") & (corr["origin"] != "US-NY")]
        assert (ny.iloc[0]["origin"], ny.iloc[0]["count"]) == (state, n)
        share = corr[corr["destination"] == "US-NY"]["share_of_destination"].sum()
        assert share == pytest.approx(1.0)


# --------------------------------------------------------------------------- sheets


def _sheet(rows_title="Exporting country", cols_title="Importing country"):
    return pd.DataFrame(
        [
            ["Small arms transfers, 2019", None, None, None, None],
            [None, None, cols_title, None, None],
            [rows_title, None, "France", "Belgique", "Grand Total"],
            [None, "Niger", "1,200", 30, 1230],
            [None, "Mali", 5, "-", 5],
            [None, "Total", 1205, 30, 1235],
            [None, "Source: customs returns", None, None, None],
        ]
    )


def test_sheet_with_titles_totals_and_thousands():
    mv = read_flow_matrix(_sheet(), rows="origin")
    assert list(zip(mv["origin"], mv["destination"], mv["count"], strict=False)) == [
        ("NER", "FRA", 1200),
        ("NER", "BEL", 30),
        ("MLI", "FRA", 5),
    ]
    assert mv["year"].tolist() == [2019] * 3  # from the title
    assert mv.attrs["published_totals"]["grand"] == 1235
    assert mv["movement_id"].tolist() == ["table:4:3", "table:4:4", "table:5:3"]


def test_sheet_orientation_from_titles():
    flipped = read_flow_matrix(
        _sheet("Importing country", "Exporting country"), rows="auto"
    )
    assert flipped["origin"].tolist() == ["FRA", "BEL", "FRA"]
    with pytest.warns(UserWarning, match="rows='destination'"):
        read_flow_matrix(_sheet("Importing country", "Exporting country"))
    with pytest.raises(InvalidParameterError, match="cannot tell"):
        read_flow_matrix(_sheet("Rows", "Columns"), rows="auto")


def test_unknown_labels_keep_their_counts():
    sheet = pd.DataFrame([[None, "Atlantis", "Mali"], ["Niger", 3, 4]])
    with pytest.warns(UserWarning, match="Atlantis"):
        mv = read_flow_matrix(sheet)
    assert mv["count"].sum() == 7
    assert mv.loc[mv["destination"].isna(), "x_destination_label"].item() == "Atlantis"


def test_csv_and_bad_files(tmp_path):
    path = tmp_path / "flows_2020.csv"
    path.write_text("origin;Niger;Mali\nLibya;4;6\nTotal;4;6\n", encoding="utf-8")
    mv = read_flow_matrix(path)
    assert mv["count"].sum() == 10 and (mv["year"] == 2020).all()
    assert (mv["source"] == "flows_2020").all()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(FileFormatError, match="empty"):
        read_flow_matrix(empty)
    words = tmp_path / "words.csv"
    words.write_text("just,some\nwords,here\n")
    with pytest.raises(FileFormatError, match="no table of numbers"):
        read_flow_matrix(words)
    with pytest.raises(MissingFileError, match="no such file"):
        read_flow_matrix(tmp_path / "missing.xlsx")
    with pytest.raises(InvalidParameterError, match="`rows`"):
        read_flow_matrix(path, rows="columns")


def test_us_state_table_uses_subdivisions():
    sheet = pd.DataFrame(
        [
            ["Source", "GEORGIA", "PUERTO RICO", "CANADA"],
            ["GEORGIA", 5, 1, 0],
            ["DST OF COLUMBIA", 2, 0, 1],
        ]
    )
    mv = read_flow_matrix(sheet, keep_zeros=True)
    assert set(mv["origin"]) == {"US-GA", "US-DC"}
    assert set(mv["destination"]) == {"US-GA", "US-PR", "CAN"}
    assert len(mv) == 6 and bool(re.match(r"table:\d+:\d+", mv["movement_id"][0]))
