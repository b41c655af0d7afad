"""Batch alerts: a consignment first seen in one country turns up in another."""

from __future__ import annotations

import pandas as pd
import pytest

from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.indicators import alerts
from iti_analytics.network import batches
from iti_analytics.samples import load_sample


@pytest.fixture
def consignment():
    """Six Type 56 of one run seized in Mali, then one of them in Niger."""
    mali = pd.DataFrame(
        {
            "record_id": [f"m{i}" for i in range(6)],
            "seizure_id": ["s1", "s1", "s2", "s3", "s3", "s4"],
            "seized_on": pd.to_datetime(
                [
                    "2022-01-10",
                    "2022-01-10",
                    "2022-03-02",
                    "2022-06-20",
                    "2022-06-20",
                    "2022-09-01",
                ]
            ),
            "country": "MLI",
            "admin1": "Gao",
            "serial": ["123401", "123404", "123410", "123415", "123420", "123428"],
        }
    )
    niger = pd.DataFrame(
        {
            "record_id": ["n1"],
            "seizure_id": ["s9"],
            "seized_on": pd.to_datetime(["2023-04-12"]),
            "country": "NER",
            "admin1": "Tillabéri",
            "serial": ["123436"],
        }
    )
    other = pd.DataFrame(  # unrelated weapons, so both areas have a history
        {
            "record_id": [f"o{i}" for i in range(4)],
            "seizure_id": [f"x{i}" for i in range(4)],
            "seized_on": pd.to_datetime(
                ["2021-05-01", "2021-07-01", "2021-09-01", "2022-02-01"]
            ),
            "country": ["NER", "NER", "MLI", "NER"],
            "admin1": ["Tillabéri", "Tillabéri", "Gao", "Tillabéri"],
            "serial": ["A1", "B7", "C3", "D9"],
            "make": "FN Herstal",
            "model": "FAL",
        }
    )
    items = pd.concat([mali, niger], ignore_index=True).assign(
        make="Norinco", model="Type 56", calibre="7.62x39mm"
    )
    items = pd.concat([items, other], ignore_index=True)
    items["item_kind"] = "weapon"
    items["category"] = "assault_rifle"
    return items


def test_batch_in_a_new_country_raises_an_alert(consignment):
    before = consignment.copy()
    found = alerts(consignment)
    assert consignment.equals(before)  # caller's frame untouched
    batch = found[found["what"].str.startswith("batch")]
    assert len(batch) == 1
    alert = batch.iloc[0]
    assert alert["what"] == "batch = B0001"
    assert alert["kind"] == "new_in_area"
    assert alert["where"] == "country = NER"
    assert alert["since"] == pd.Timestamp("2023-04-12")
    assert alert["observed"] == 1
    assert alert["score"] == 4.0  # strong batch, new country
    assert alert["how_unusual"] == "very unusual"
    assert alert["description"] == (
        "batch B0001 (Norinco Type 56, serials 123401 – 123436) seen for the "
        "first time in NER/Tillabéri on 2023-04-12 (1 item since); also seen in "
        "4 other seizures in MLI since 2022-01-10"
    )
    # the country where the batch was first seen is not "new"
    assert not batch["where"].str.contains("MLI").any()
    # per area: the same single alert, labelled by its admin1
    area = alerts(consignment, batch_scope="area")
    area = area[area["what"].str.startswith("batch")]
    assert area["where"].tolist() == ["admin1 = Tillabéri"]
    assert area["description"].tolist() == batch["description"].tolist()


def test_batch_alerts_with_precomputed_batches_and_options(consignment):
    pair = batches(consignment, return_members=True)
    expected = alerts(consignment)
    pd.testing.assert_frame_equal(alerts(consignment, batches=pair), expected)
    # members only: same alerts, the batch named by its id alone
    bare = alerts(consignment, batches=pair[1])
    pd.testing.assert_frame_equal(
        bare.drop(columns="description"), expected.drop(columns="description")
    )
    assert (
        bare["description"]
        .str.startswith("batch B0001 seen for the first time in NER/Tillabéri")
        .any()
    )
    by_country = alerts(consignment, where="country")
    assert by_country.loc[by_country["what"] == "batch = B0001", "where"].tolist() == [
        "country = NER"
    ]
    assert (
        not alerts(consignment, since="2023-05-01")["what"]
        .str.startswith("batch")
        .any()
    )
    old = alerts(consignment, what=("category", "make", "calibre", "lot"))
    assert not old["what"].str.startswith("batch").any()
    with pytest.raises(InvalidParameterError, match="return_members=True"):
        alerts(consignment, batches=pair[0][["items"]])
    with pytest.raises(InvalidParameterError, match="batch_scope"):
        alerts(consignment, batch_scope="admin1")


@pytest.fixture
def travelling_batch():
    """One serial run seen in two areas of each of three countries."""
    places = [
        ("2022-01-10", "MLI", "Gao"),
        ("2022-02-10", "MLI", "Kidal"),
        ("2022-03-10", "NER", "Tillabéri"),
        ("2022-04-10", "NER", "Niamey"),
        ("2022-05-10", "NER", "Tillabéri"),
        ("2022-06-10", "BFA", None),
        ("2022-07-10", "BFA", "Sahel"),
    ]
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(len(places))],
            "seizure_id": [f"s{i}" for i in range(len(places))],
            "seized_on": pd.to_datetime([p[0] for p in places]),
            "country": [p[1] for p in places],
            "admin1": [p[2] for p in places],
            "item_kind": "weapon",
            "category": "assault_rifle",
            "make": "Norinco",
            "model": "Type 56",
            "serial": [str(123400 + 3 * i) for i in range(len(places))],
        }
    )


def test_default_is_one_batch_alert_per_new_country(travelling_batch):
    found = alerts(travelling_batch, what=("batch",))
    assert found["what"].eq("batch = B0001").all()
    assert found["where"].tolist() == ["country = NER", "country = BFA"]
    assert found["since"].tolist() == [
        pd.Timestamp("2022-03-10"),
        pd.Timestamp("2022-06-10"),
    ]
    assert found["observed"].tolist() == [3, 2]  # items in the country since
    assert found["score"].tolist() == [4.0, 4.0]
    ner, bfa = found["description"]
    assert "seen for the first time in NER/Tillabéri on 2022-03-10" in ner
    assert "also seen in 4 other seizures in BFA, MLI since 2022-01-10" in ner
    # the first seizure in BFA has no admin1: the country alone, not the
    # area of a later seizure
    assert "seen for the first time in BFA on 2022-06-10" in bfa
    assert "also seen in 5 other seizures in MLI, NER" in bfa


def test_batch_scope_area_gives_one_alert_per_new_area(travelling_batch):
    found = alerts(travelling_batch, what=("batch",), batch_scope="area")
    assert sorted(found["where"]) == [
        "admin1 = Kidal",
        "admin1 = Niamey",
        "admin1 = Sahel",
        "admin1 = Tillabéri",
    ]
    score = dict(zip(found["where"], found["score"], strict=True))
    assert score["admin1 = Kidal"] == 3.0  # Mali already had the batch
    assert score["admin1 = Niamey"] == 3.0
    assert score["admin1 = Tillabéri"] == 4.0
    assert score["admin1 = Sahel"] == 4.0  # first BFA sighting had no admin1
    # with where="country" both scopes agree
    pd.testing.assert_frame_equal(
        alerts(travelling_batch, what=("batch",), where="country"),
        alerts(travelling_batch, what=("batch",), where="country", batch_scope="area"),
    )


def test_default_batch_scope_leaves_out_weak_batches(travelling_batch):
    members = batches(travelling_batch, return_members=True)[1]
    weak = members.assign(kind="headstamp", strength="weak")
    assert alerts(travelling_batch, what=("batch",), batches=weak).empty
    area = alerts(travelling_batch, what=("batch",), batches=weak, batch_scope="area")
    assert len(area) == 4
    assert set(area["score"]) == {1.0, 2.0}


def test_sample_batch_alerts_name_real_batches():
    ds = load_sample()
    table, members = batches(ds, return_members=True)
    by_country = alerts(ds)
    by_country = by_country[by_country["what"].str.startswith("batch = ")]
    per_area = alerts(ds, batch_scope="area")
    per_area = per_area[per_area["what"].str.startswith("batch = ")]
    # fewer alerts, one per batch and country, none where the batch began
    assert 10 < len(by_country) < len(per_area)
    assert not by_country.duplicated(["what", "where"]).any()
    assert by_country["where"].str.startswith("country = ").all()
    items = ds.items.set_index("record_id")
    for alert in by_country.head(20).itertuples():
        bid = alert.what.removeprefix("batch = ")
        rows = items.loc[members.loc[members["batch_id"] == bid, "record_id"]]
        country = alert.where.removeprefix("country = ")
        assert rows.loc[rows["country"] == country, "seized_on"].min() == alert.since
        assert (rows.loc[rows["country"] != country, "seized_on"] < alert.since).any()
    batch = per_area
    ids = batch["what"].str.removeprefix("batch = ")
    assert ids.isin(table["batch_id"]).all()
    # each alert: the batch has an item in that area on that date, and an
    # earlier one elsewhere; its description names the batch and its serials
    for alert, bid in zip(batch.head(20).itertuples(), ids.head(20), strict=True):
        rows = items.loc[members.loc[members["batch_id"] == bid, "record_id"]]
        area = alert.where.removeprefix("admin1 = ")
        here = rows[rows["admin1"] == area]
        assert here["seized_on"].min() == alert.since
        assert (rows.loc[rows["admin1"] != area, "seized_on"] < alert.since).any()
        assert alert.description.startswith(f"batch {bid} (")
        serials = table.loc[table["batch_id"] == bid, "serial_range"].iloc[0]
        if pd.notna(serials):
            assert serials in alert.description


def test_batch_alert_when_no_area_is_known_anywhere(travelling_batch):
    """Real Rio exports have no admin1 at all: the country alone is named."""
    items = travelling_batch.assign(admin1=pd.Series(pd.NA, dtype="string"))
    found = alerts(items, what=("batch",))
    assert found["where"].tolist() == ["country = NER", "country = BFA"]
    ner, bfa = found["description"]
    assert "seen for the first time in NER on 2022-03-10" in ner
    assert "seen for the first time in BFA on 2022-06-10" in bfa
    # with no area, the area scope has nothing to report
    assert alerts(items, what=("batch",), batch_scope="area").empty
