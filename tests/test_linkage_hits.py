"""hit_check: recovered weapons against records of lost and stolen ones."""

from __future__ import annotations

import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.linkage import HIT_COLUMNS, hit_check


@pytest.fixture
def records():
    """A stolen pistol seized later with a typo, and unrelated items."""
    return pd.DataFrame(
        {
            "record_id": ["loss-1", "loss-2", "seized-1", "seized-2", "found-3"],
            "status": ["stolen", "lost", "seized", "seized", "found"],
            "agency": ["Gendarmerie", "Armée", "Police", "Douane", "Police"],
            "source": ["register", "register", "police", "customs", "police"],
            "actor": ["Armurerie du Sahel", "3e bataillon", None, None, None],
            "seized_on": [
                "2016-04-11",
                "2019-08-30",
                "2022-02-03",
                "2022-05-17",
                "2023-01-09",
            ],
            "country": ["NER", "NER", "MLI", "NER", "BFA"],
            "make": ["Glock", "Izhmash", "Glock", "Izhmash", "Beretta"],
            "model": ["Glock 17", "AKM", "Glock 17", "AKMS", "92FS"],
            "calibre": ["9x19mm", "7.62x39mm", "9x19mm", "7.62x39mm", "9x19mm"],
            "serial": ["BKR4471", "LX19733", "BKR4417", "LX19733", "BER00917"],
        }
    )


def test_stolen_pistol_seized_later_with_a_typo_is_a_hit(records):
    hits = hit_check(records)
    assert list(hits.columns) == HIT_COLUMNS
    assert hits[["record_id", "register_record_id"]].values.tolist() == [
        ["seized-1", "loss-1"]
    ]
    hit = hits.iloc[0]
    assert hit["reported_by"] == "Gendarmerie"
    assert hit["reported_on"] == pd.Timestamp("2016-04-11")
    assert hit["loss_status"] == "stolen"
    assert hit["registered_owner"] == "Armurerie du Sahel"
    assert (hit["serial"], hit["register_serial"]) == ("BKR4417", "BKR4471")
    assert hit["confidence"] >= 0.75
    assert "one transposition" in hit["reason"]
    assert hit["reason"].endswith(
        "stolen from Armurerie du Sahel, reported by Gendarmerie on 2016-04-11"
    )
    assert hit["recovered_on"] == pd.Timestamp("2022-02-03")
    assert hit["days_to_recovery"] == 2124


def test_a_loss_reported_after_the_seizure_is_said_to_be_no_diversion(records):
    # the Rio files: a pistol seized in 2017, reported lost ("extravio") in 2018
    records = records.copy()
    records.loc[0, "seized_on"] = "2022-03-15"
    hit = hit_check(records).iloc[0]
    assert hit["days_to_recovery"] == -40
    assert hit["reason"].endswith(
        "reported by Gendarmerie on 2022-03-15, 40 days after this seizure: a "
        "later loss (from custody, or after the weapon was returned) or a late "
        "report, not the diversion of this weapon"
    )


def test_same_serial_on_a_different_model_is_no_hit(records):
    # LX19733 was lost as an AKM and seized as an AKMS: another weapon
    hits = hit_check(records, threshold=0)
    assert "seized-2" not in set(hits["record_id"])


def test_register_given_as_a_dataframe_with_clashing_ids(records):
    seized = records[records["status"] != "stolen"].drop(columns="status")
    register = pd.DataFrame(
        {
            "record_id": ["seized-1"],  # ids of a register may repeat the data's
            "status": ["stolen"],
            "source": ["iARMS extract"],
            "seized_on": ["2015-01-20"],
            "make": ["Beretta"],
            "model": ["92FS"],
            "serial": ["BER00917"],
        }
    )
    hits = hit_check(seized, register)
    assert hits[["record_id", "register_record_id"]].values.tolist() == [
        ["found-3", "seized-1"]
    ]
    assert hits.loc[0, "reported_by"] == "iARMS extract"  # no agency: the source
    assert "same serial 'BER00917'" in hits.loc[0, "reason"]


def test_loss_records_of_the_data_are_not_matched_among_themselves(records):
    both_lost = records.assign(status="lost")
    assert hit_check(both_lost, threshold=0).empty


def test_placeholder_serial_is_never_a_hit():
    items = pd.DataFrame(
        {
            "record_id": ["l", "s"],
            "status": ["stolen", "seized"],
            "make": "Glock",
            "serial": ["0000", "0000"],
        }
    )
    assert hit_check(items, threshold=0).empty


def test_exported_from_the_package_and_checks_its_options(records):
    assert iti.hit_check is hit_check
    assert "hit_check" in iti.__all__
    with pytest.raises(InvalidParameterError, match="`threshold` must be between"):
        hit_check(records, threshold=2)
    with pytest.raises(InvalidParameterError, match="`ds` must be a Dataset"):
        hit_check([1, 2])
