"""Time from the last legal event to recovery, with the Brady crime-gun data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.indicators import (
    DataQualityWarning,
    indicator_issues,
    time_to_recovery,
    time_to_recovery_summary,
)
from iti_analytics.schema import conform

D = pd.Timestamp
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
BRADY = (
    REAL_DATA / "brady_crime_gun_events" / "crime_gun_events_DE_GUNSTAT_redacted.csv"
)


def test_days_years_and_three_year_flag():
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "last_legal_on": [D("2020-01-01"), D("2020-01-01"), D("2010-06-30"), None],
            "seized_on": [
                D("2022-12-31"),
                D("2023-01-01"),
                D("2020-06-30"),
                D("2021-01-01"),
            ],
            "make": ["GLOCK", "TAURUS", "GLOCK", "COLT"],
        }
    )
    ttr = time_to_recovery(items, as_of="2024-01-01", columns=["make"])
    assert ttr["record_id"].tolist() == ["a", "b", "c"]
    assert ttr["days"].tolist() == [1095, 1096, 3653]
    # calendar years: recovered on the third anniversary is not "under 3 years"
    assert ttr["under_3_years"].tolist() == [True, False, False]
    assert ttr["years"].tolist() == [3.0, 3.0, 10.0]
    assert ttr.attrs["not_counted"]["no last_legal_on"] == 1
    summary = time_to_recovery_summary(ttr, by="make").set_index("make")
    assert summary.loc["GLOCK", "items"] == 2
    assert summary.loc["GLOCK", "share_under_3_years"] == pytest.approx(0.5)


def test_negative_and_future_durations_are_reported():
    items = conform(
        pd.DataFrame(
            {
                "record_id": ["ok", "neg", "future"],
                "last_legal_on": [D("2019-01-01"), D("2021-05-01"), D("2019-01-01")],
                "seized_on": [D("2020-01-01"), D("2021-01-01"), D("2030-01-01")],
            }
        ),
        "items",
    )
    with pytest.warns(DataQualityWarning, match="data problems in 2 items"):
        ttr = time_to_recovery(items, as_of="2025-01-01")
    assert ttr["record_id"].tolist() == ["ok"]
    issues = indicator_issues(ttr).set_index("record_id")
    assert issues.loc["neg", "problem"].startswith("recovered before the last legal")
    assert issues.loc["future", "problem"] == "recovery date after as_of 2025-01-01"
    assert (issues["excluded_from"] == "time to recovery").all()


def test_issues_of_items_have_no_empty_trace_id_column():
    items = pd.DataFrame(
        {
            "record_id": ["ok", "neg"],
            "last_legal_on": [D("2019-01-01"), D("2021-05-01")],
            "seized_on": [D("2020-01-01"), D("2021-01-01")],
        }
    )
    with pytest.warns(DataQualityWarning):
        ttr = time_to_recovery(items, as_of="2025-01-01")
    issues = indicator_issues(ttr)
    assert issues.columns.tolist() == [
        "table",
        "record_id",
        "column",
        "value",
        "problem",
        "excluded_from",
    ]
    assert issues["record_id"].tolist() == ["neg"]
    # the same columns without any issue, and through the summary
    clean = time_to_recovery(items.iloc[:1], as_of="2025-01-01")
    assert indicator_issues(clean).columns.tolist() == issues.columns.tolist()
    summary = time_to_recovery_summary(ttr)
    assert "trace_id" not in indicator_issues(summary).columns


def test_threshold_option_and_errors():
    items = pd.DataFrame(
        {
            "record_id": ["a"],
            "last_legal_on": [D("2020-01-01")],
            "seized_on": [D("2021-06-01")],
        }
    )
    ttr = time_to_recovery(items, as_of="2024-01-01", threshold_years=1)
    assert ttr["under_1_years"].tolist() == [False]
    with pytest.raises(InvalidParameterError, match="threshold_years"):
        time_to_recovery(items, threshold_years=0)
    with pytest.raises(InvalidParameterError, match="not columns of the items"):
        time_to_recovery(items, columns=["colour"])


@pytest.fixture(scope="module")
def brady():
    if not BRADY.exists():
        pytest.skip(f"Brady data not found at {BRADY}")
    raw = pd.read_csv(BRADY)
    items = pd.DataFrame(
        {
            "record_id": "DE_GUNSTAT:" + raw["source_row"].astype(str),
            "item_kind": "weapon",
            "make": raw["manufacturer_name"],
            "last_legal_on": pd.to_datetime(raw["sale_date"], errors="coerce"),
            "seized_on": pd.to_datetime(raw["crime_date"], errors="coerce"),
        }
    )
    return raw, items


def test_brady_time_to_crime(brady):
    raw, items = brady
    # the repository snapshot is from 2026-01-28: later recovery dates are errors
    extract = "2026-01-28"
    with pytest.warns(DataQualityWarning, match="data problems in 4 items"):
        ttr = time_to_recovery(items, as_of=extract)
    sale = pd.to_datetime(raw["sale_date"], errors="coerce")
    crime = pd.to_datetime(raw["crime_date"], errors="coerce")
    both = sale.notna() & crime.notna()
    assert both.sum() == 451
    valid = both & (crime <= D(extract)) & (crime >= sale)
    days = (crime - sale).dt.days[valid]
    assert len(ttr) == valid.sum() == 447
    # the 4 recovery dates after the extract (2026 and 2028) are reported
    issues = indicator_issues(ttr)
    assert sorted(issues["value"]) == [
        "2026-05-19",
        "2026-07-23",
        "2026-09-04",
        "2028-03-10",
    ]
    # and so are the 184 rows without one of the two dates
    nc = ttr.attrs["not_counted"]
    assert nc["no last_legal_on"] + nc["no seized_on (but a last_legal_on)"] == 184
    summary = time_to_recovery_summary(ttr)
    assert summary.loc[0, "items"] == 447
    assert summary.loc[0, "median_days"] == days.median()
    assert summary.loc[0, "median_years"] == round(days.median() / 365.25, 2)
    under = (crime[valid] < sale[valid] + pd.DateOffset(years=3)).mean()
    assert summary.loc[0, "share_under_3_years"] == pytest.approx(under)
    # consistent with the project's own column (days) and its 1,095-day reading
    ttc = raw.loc[valid, "time_to_crime"]
    assert (ttr["days"].to_numpy() == ttc.to_numpy()).all()
    assert abs(under - (ttc < 1095).mean()) < 0.01


def test_fallback_years():
    items = pd.DataFrame(
        {
            "record_id": ["sale", "import", "made", "same_year", "none"],
            "last_legal_on": [D("2020-01-01"), None, None, None, None],
            "import_year": [None, 2018, None, 2022, None],
            "year_of_manufacture": [None, 1990, 2000, None, None],
            "seized_on": [
                D("2021-01-01"),
                D("2019-07-01"),
                D("2010-07-01"),
                D("2022-03-01"),
                D("2022-03-01"),
            ],
        }
    )
    exact = time_to_recovery(items, as_of="2024-01-01")
    assert exact["record_id"].tolist() == ["sale"]
    ttr = time_to_recovery(
        items, as_of="2024-01-01", fallback=["import_year", "year_of_manufacture"]
    ).set_index("record_id")
    assert ttr["based_on"].to_dict() == {
        "sale": "last_legal_on",
        "import": "import_year",
        "made": "year_of_manufacture",
        "same_year": "import_year",
    }
    assert ttr.loc["import", "days"] == 365  # 1 July 2018 -> 1 July 2019
    assert ttr.loc["same_year", "days"] == 0  # imported and seized in 2022
    assert ttr.attrs["not_counted"]["no last_legal_on nor fallback year"] == 1
    with pytest.raises(InvalidParameterError, match="`fallback` must be one of"):
        time_to_recovery(items, fallback=["sale_year"])
