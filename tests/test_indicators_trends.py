"""Trends with baselines and alerts: planted surges, quiet series, Rio 2017–2018."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.indicators import alerts, trends

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
RIO = REAL_DATA / "rj_seized_firearms_isdp"


def monthly_items(counts, start="2020-01", **columns):
    """One weapon row per count, dated the 15th of its month."""
    months = pd.period_range(start, periods=len(counts), freq="M")
    dates = np.repeat(months.to_timestamp() + pd.Timedelta(days=14), counts)
    frame = pd.DataFrame({"seized_on": dates, "item_kind": "weapon"})
    for name, value in columns.items():
        frame[name] = value
    return frame


def test_counts_zero_filled_and_rolling_median():
    a = monthly_items([2, 0, 4, 6, 1], admin1="A")
    b = monthly_items([0, 0, 1, 0, 0], admin1="B")
    t = trends(pd.concat([a, b]), by="admin1", window=3, min_history=2)
    a_rows = t[t["admin1"] == "A"].reset_index(drop=True)
    assert a_rows["count"].tolist() == [2, 0, 4, 6, 1]
    assert t[t["admin1"] == "B"]["count"].tolist() == [0, 0, 1, 0, 0]
    # baseline of month 5 = median of months 2..4 = median(0, 4, 6)
    assert a_rows.loc[4, "baseline"] == 4
    assert pd.isna(a_rows.loc[1, "baseline"])  # one month of history < 2
    assert (t["lower"].dropna() >= 0).all()
    has_base = t["baseline"].notna()
    assert (t.loc[has_base, "upper"] >= t.loc[has_base, "baseline"]).all()
    assert str(a_rows.loc[0, "period"]) == "2020-01"


def test_value_quantity_and_item_kind():
    items = pd.DataFrame(
        {
            "seized_on": pd.to_datetime(["2020-01-03", "2020-01-09", "2020-02-01"]),
            "item_kind": ["weapon", "ammunition", "weapon"],
            "quantity": [2, 500, None],
        }
    )
    assert trends(items)["count"].tolist() == [1, 1]
    assert trends(items, value="quantity")["count"].tolist() == [2.0, 1.0]
    assert trends(items, item_kind=None)["count"].tolist() == [2, 1]


def seasonal_counts(rng, years=4, base=10, december=40):
    lam = np.tile([base] * 11 + [december], years)
    return rng.poisson(lam)


def test_seasonal_baseline_follows_the_season(rng):
    items = monthly_items(seasonal_counts(rng), country="NER")
    seasonal = trends(items, baseline="seasonal")
    rolling = trends(items, baseline="rolling")
    last_dec = seasonal["period"].astype(str) == "2023-12"
    assert seasonal.loc[last_dec, "baseline"].iloc[0] > 25
    assert rolling.loc[last_dec, "baseline"].iloc[0] < 15


def test_planted_surge_is_found(rng):
    counts = rng.poisson(12, 36)
    counts[30] = 45  # planted
    items = pd.concat(
        [
            monthly_items(counts, admin1="North"),
            monthly_items(rng.poisson(12, 36), admin1="South"),
        ]
    )
    found = alerts(items, what=())
    assert len(found) == 1
    alert = found.iloc[0]
    assert alert["kind"] == "surge"
    assert alert["where"] == "admin1 = North"
    assert alert["since"] == pd.Timestamp("2022-07-01")
    assert alert["observed"] == 45
    assert 8 <= alert["expected"] <= 16
    assert alert["score"] > 5 and alert["how_unusual"] == "extremely unusual"
    assert "45 in 2022-07" in alert["description"]


def test_quiet_poisson_series_gives_no_alert(rng):
    items = pd.concat(
        [
            monthly_items(rng.poisson(lam, 48), admin1=name, category="pistol")
            for name, lam in (("A", 3), ("B", 10), ("C", 30))
        ]
    )
    assert alerts(items).empty
    assert alerts(items, baseline="seasonal").empty


def test_seasonal_peak_is_not_a_surge_with_seasonal_baseline(rng):
    items = monthly_items(seasonal_counts(rng), country="NER")
    rolling = alerts(items, where="country", what=())
    seasonal = alerts(items, where="country", what=(), baseline="seasonal")
    assert (rolling["since"].dt.month == 12).any()  # December looks like a surge
    assert seasonal.empty


def test_drop_alerts_only_when_asked(rng):
    counts = rng.poisson(30, 30)
    counts[-1] = 2
    items = monthly_items(counts, country="NER")
    assert alerts(items, where="country", what=()).empty
    found = alerts(items, where="country", what=(), direction="both")
    assert found["kind"].tolist() == ["drop"]


def test_new_make_in_area(rng):
    old = monthly_items(rng.poisson(8, 24), admin1="A", make="AK")
    b = monthly_items(rng.poisson(8, 24), admin1="B", make="AK")
    new = monthly_items([0] * 18 + [2, 3, 1, 0, 2, 1], admin1="B", make="NORINCO")
    also_a = monthly_items([1] * 24, admin1="A", make="NORINCO")  # always there
    found = alerts(pd.concat([old, b, new, also_a]), what=("make",))
    new_rows = found[found["kind"] == "new_in_area"]
    assert len(new_rows) == 1
    row = new_rows.iloc[0]
    assert (row["what"], row["where"]) == ("make = NORINCO", "admin1 = B")
    assert row["since"] == pd.Timestamp("2021-07-15")
    assert row["observed"] == 9
    assert row["expected"] == 0
    # 9 in 6 months: 18 months without it have chance exp(-27) -> score 11.7
    assert row["score"] == pytest.approx(27 / np.log(10), abs=0.01)
    assert "after 18 months of records there without it" in row["description"]
    # below min_count it is not reported; `since` filters old news
    assert alerts(pd.concat([old, b, new]), what=("make",), min_count=10).empty
    assert alerts(pd.concat([old, b, new]), what=("make",), since="2022-01-01").empty


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"freq": "fortnight"}, "`freq` must be one of"),
        ({"baseline": "seasonal", "freq": "D"}, "needs freq 'M', 'Q' or 'W'"),
        ({"level": 95}, "`level` must be a probability"),
        ({"window": 0}, "`window` must be a positive number"),
    ],
    ids=["freq", "seasonal-daily", "level", "window"],
)
def test_bad_options(kwargs, match):
    items = monthly_items([1, 2, 3], country="NER")
    with pytest.raises(InvalidParameterError, match=match):
        trends(items, **kwargs)


def test_bad_where():
    with pytest.raises(InvalidParameterError, match="`where` must be an items column"):
        alerts(monthly_items([1, 2]), where="district")


def test_empty_items():
    assert alerts(pd.DataFrame()).empty
    assert trends(pd.DataFrame()).empty


# -------------------------------------------------------------- Rio 2017–2018


@pytest.fixture(scope="module")
def rio():
    files = [
        RIO / f"24648_APREENS_ARMA_FOGO_{y}_BASE_APREENSAO.xlsx" for y in (2017, 2018)
    ]
    if not all(f.exists() for f in files):
        pytest.skip(f"Rio data not found in {RIO}")
    columns = ["Classe", "Tipo", "Marca", "Circunscrição", "Data Registro"]
    try:
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:
        engine = "openpyxl"
    raw = pd.concat(
        [pd.read_excel(f, header=2, usecols=columns, engine=engine) for f in files],
        ignore_index=True,
    )
    raw = raw[raw["Classe"] == "ARMA DE FOGO"].reset_index(drop=True)
    items = pd.DataFrame(
        {
            "record_id": [f"rio:{i}" for i in range(len(raw))],
            "item_kind": "weapon",
            "country": "BRA",
            "locality": raw["Circunscrição"],
            "seized_on": raw["Data Registro"],
            "make": raw["Marca"],
            "category": raw["Tipo"]
            .map(
                {
                    "PISTOLA": "pistol",
                    "REVÓLVER": "revolver",
                    "FUZIL": "rifle",
                    "ESPINGARDA": "shotgun",
                    "SUBMETRALHADORA": "submachine_gun",
                }
            )
            .fillna("other"),
        }
    )
    return raw, items


def test_rio_monthly_counts_by_category(rio):
    raw, items = rio
    t = trends(items, by="category")
    rifles = t[t["category"] == "rifle"]
    assert len(rifles) == 24  # every month of 2017 and 2018
    assert rifles["count"].iloc[:12].sum() == 2_620  # SOURCE.md: FUZIL 2017
    jan = t[t["period"].astype(str) == "2017-01"]["count"].sum()
    assert jan == (raw["Data Registro"].dt.strftime("%Y-%m") == "2017-01").sum()
    # from 2018 on every month has a baseline from 2017
    assert rifles["baseline"].iloc[12:].notna().all()


def test_rio_new_makes_in_precincts_are_really_new(rio):
    raw, items = rio
    found = alerts(items, where="locality", what=("make",), min_count=3)
    new = found[found["kind"] == "new_in_area"]
    assert len(new) > 0
    for _, alert in new.head(20).iterrows():
        precinct = alert["where"].removeprefix("locality = ")
        make = alert["what"].removeprefix("make = ")
        rows = raw[(raw["Circunscrição"] == precinct) & (raw["Marca"] == make)]
        dates = rows["Data Registro"].dt.floor("D")
        # never seen there before `since`, and at least 3 times from then on
        assert dates.min() == alert["since"]
        assert len(rows) == alert["observed"] >= 3
        first_precinct = raw.loc[raw["Circunscrição"] == precinct, "Data Registro"]
        months = alert["since"].to_period("M") - first_precinct.min().to_period("M")
        assert months.n >= 12


# ------------------------------------------------------------ synthetic world


@pytest.fixture(scope="module")
def world():
    samples = pytest.importorskip("iti_analytics.samples")
    if not hasattr(samples, "generate_world"):
        pytest.skip("iti_analytics.samples.generate_world is not available yet")
    return samples.generate_world(n_items=2000, seed=11)


def test_world_planted_surge_is_found(world):
    items = world.dataset.items
    weapons = items[items["item_kind"] == "weapon"]
    country = weapons["country"].value_counts().index[0]
    template = weapons[weapons["country"] == country].iloc[:1]
    planted = pd.concat([template] * 40, ignore_index=True).assign(
        record_id=[f"planted:{i}" for i in range(40)],
        seized_on=pd.Timestamp("2023-06-10"),
        duplicate_of=pd.NA,
    )
    surged = pd.concat([items, planted], ignore_index=True)
    found = alerts(surged, where="country", what=())
    hit = found[
        (found["where"] == f"country = {country}")
        & (found["since"] == pd.Timestamp("2023-06-01"))
    ]
    assert len(hit) == 1 and hit.iloc[0]["observed"] >= 40
    # without the planted items that month is not flagged
    before = alerts(items, where="country", what=())
    assert not (
        (before["where"] == f"country = {country}")
        & (before["since"] == pd.Timestamp("2023-06-01"))
    ).any()
