"""Keyed pseudonyms, free-text removal and spreadsheet-safe cells (_privacy)."""

import hashlib
import hmac

import pandas as pd
import pytest

from iti_analytics._privacy import (
    check_audience,
    csv_safe,
    csv_safe_value,
    drop_free_text,
    is_free_text_field,
    pseudonym,
    pseudonymise,
)
from iti_analytics.exceptions import InvalidParameterError


def test_pseudonym_is_the_keyed_hmac_prefix():
    expected = hmac.new(b"unit-key", b"Moussa Traore", hashlib.sha256).hexdigest()
    assert pseudonym("Moussa Traore", b"unit-key", prefix="actor") == (
        "actor-" + expected[:12]
    )


def test_pseudonym_depends_on_the_key_not_only_the_value():
    same_key = pseudonym("AB1234", "k1", prefix="serial")
    assert same_key == pseudonym("AB1234", b"k1", prefix="serial")
    assert same_key != pseudonym("AB1234", "k2", prefix="serial")
    # without the key, the plain hash of the value does not give the pseudonym
    plain = hashlib.sha256(b"AB1234").hexdigest()[:12]
    assert same_key != f"serial-{plain}"


def test_pseudonymise_series_keeps_index_links_and_nulls():
    names = pd.Series(["Ali", "Bako", "Ali", None], index=[10, 11, 12, 13])
    out = pseudonymise(names, b"k", prefix="actor")
    assert list(out.index) == [10, 11, 12, 13]
    assert out[10] == out[12] != out[11]
    assert out.isna().tolist() == [False, False, False, True]
    assert str(out.dtype) == "string"
    assert not out.dropna().str.contains("Ali|Bako").any()


def test_pseudonymise_list_and_length():
    out = pseudonymise(["a", "b"], b"k", length=6)
    assert isinstance(out, list)
    assert all(len(p) == len("id-") + 6 for p in out)


@pytest.mark.parametrize(
    ("audience", "key", "expected"),
    [
        ("restricted", None, None),
        ("restricted", "ignored", None),
        ("shareable", "s3cret", b"s3cret"),
        ("shareable", b"s3cret", b"s3cret"),
    ],
)
def test_check_audience_returns_the_key_as_bytes(audience, key, expected):
    assert check_audience(audience, key) == expected


@pytest.mark.parametrize("key", [None, "", b""])
def test_shareable_without_a_key_says_how_to_fix(key):
    with pytest.raises(InvalidParameterError, match="Pass key="):
        check_audience("shareable", key)


def test_unknown_audience_lists_the_options():
    with pytest.raises(InvalidParameterError, match=r"\['restricted', 'shareable'\]"):
        check_audience("public", "k")


def test_free_text_fields_are_dropped():
    frame = pd.DataFrame(
        {"record_id": ["a"], "Notes": ["seen at home"], "x_remarks": ["x"], "lat": [1]}
    )
    assert is_free_text_field("Notes")
    assert list(drop_free_text(frame).columns) == ["record_id", "lat"]
    assert list(frame.columns) == ["record_id", "Notes", "x_remarks", "lat"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+33 1 23", "'+33 1 23"),
        ("-x", "'-x"),
        ("@cmd", "'@cmd"),
        ("\tdata", "'\tdata"),
        ("Gao", "Gao"),
        (-3, -3),
    ],
)
def test_csv_safe_value_escapes_formula_starts(value, expected):
    assert csv_safe_value(value) == expected


def test_csv_safe_escapes_text_cells_and_headers_not_numbers():
    frame = pd.DataFrame(
        {
            "make": pd.Series(["=cmd|' /C calc'!A0", "Glock", None], dtype="string"),
            "lot": ["@lot", "L1", 3],
            "=head": [1, 2, 3],
            "n": [-1, 2, 3],
        }
    )
    out = csv_safe(frame)
    assert out["make"].tolist()[:2] == ["'=cmd|' /C calc'!A0", "Glock"]
    assert out["lot"].tolist() == ["'@lot", "L1", 3]
    assert out["n"].tolist() == [-1, 2, 3]
    assert list(out.columns) == ["make", "lot", "'=head", "n"]
    assert frame.loc[0, "make"].startswith("=")  # the caller's frame is untouched
