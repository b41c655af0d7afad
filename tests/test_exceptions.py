"""Errors and warnings: one base each, and warnings that point at the user's line."""

import warnings

import pandas as pd
import pytest

import iti_analytics as iti
from iti_analytics import exceptions


@pytest.mark.parametrize(
    "warning", ["DataQualityWarning", "TracingWarning", "NoDataWarning"]
)
def test_every_package_warning_derives_from_itiwarning(warning):
    assert issubclass(getattr(iti, warning), iti.ITIWarning)
    assert issubclass(iti.ITIWarning, UserWarning)


def test_an_indicator_warning_points_at_the_callers_line():
    traces = pd.DataFrame(
        {
            "trace_id": ["t1", "t2"],
            "requested_party": "FRA",
            "sent_on": pd.to_datetime(["2024-01-10", "2024-01-10"]),
            "responded_on": pd.to_datetime(["2024-02-01", "2023-12-01"]),
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        iti.trace_performance(traces)  # the line the warning must name
    (warning,) = [w for w in caught if issubclass(w.category, iti.ITIWarning)]
    assert warning.filename == __file__
    assert "data problems in 1 trace request" in str(warning.message)


def test_a_tracing_warning_points_at_the_callers_line():
    items = pd.DataFrame(
        {"record_id": ["a", "b"], "item_kind": "weapon", "category": "pistol"}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        iti.traceability(items)
    tracing = [w for w in caught if issubclass(w.category, iti.TracingWarning)]
    assert tracing and {w.filename for w in tracing} == {__file__}


def test_warn_defaults_to_the_package_base_class():
    with pytest.warns(iti.ITIWarning, match="a note"):
        exceptions.warn("a note")


def test_silencing_the_base_silences_them_all():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", iti.ITIWarning)
        exceptions.warn("x", iti.DataQualityWarning)
        exceptions.warn("y", iti.NoDataWarning)
    assert caught == []
