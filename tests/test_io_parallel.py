"""The loader's helper threads change the wall time only, never the result."""

from __future__ import annotations

import os
import sys
import threading

import pandas as pd
import pytest

import iti_analytics._parallel as parallel
from iti_analytics._parallel import in_background
from iti_analytics.exceptions import InvalidParameterError
from iti_analytics.io import read_items
from iti_analytics.normalize import load_references


def test_small_inputs_run_in_the_calling_thread():
    future = in_background(threading.current_thread, rows=10)
    assert future.done()
    assert future.result() is threading.current_thread()


def test_large_inputs_run_in_a_helper_thread():
    future = in_background(threading.current_thread, rows=parallel.PARALLEL_ROWS)
    assert future.result() is not threading.current_thread()


def test_an_error_in_the_helper_is_raised_where_the_result_is_collected():
    future = in_background(int, "not a number", rows=parallel.PARALLEL_ROWS)
    with pytest.raises(ValueError, match="not a number"):
        future.result()


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no nice values here")
def test_a_low_priority_helper_is_niced_alone():
    def nice_here():
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    mine = nice_here()
    theirs = in_background(nice_here, rows=parallel.PARALLEL_ROWS, low=True).result()
    if sys.platform.startswith("linux"):
        assert theirs == min(mine + parallel.LOW_PRIORITY, 19)
    else:  # the nice value is the process's: left alone
        assert theirs == mine
    assert nice_here() == mine  # the calling thread keeps its priority
    normal = in_background(nice_here, rows=parallel.PARALLEL_ROWS).result()
    assert normal == mine
    # a small input runs in the calling thread, at the caller's priority
    assert in_background(nice_here, rows=10, low=True).result() == mine
    assert nice_here() == mine


def test_load_references_accepts_every_table_and_checks_the_name():
    for table in ("items", "traces", "actors", "movements"):
        load_references(table)
    with pytest.raises(InvalidParameterError, match="items"):
        load_references("item")


def _load(path, monkeypatch, rows):
    monkeypatch.setattr(parallel, "PARALLEL_ROWS", rows)
    return read_items(path, progress=False)


def _assert_same(a, b):
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    pd.testing.assert_frame_equal(a.issues, b.issues, check_exact=True)
    pd.testing.assert_frame_equal(a.rejects, b.rejects, check_exact=True)
    assert a.report.issues_by_column == b.report.issues_by_column
    assert a.report.duplicates == b.report.duplicates


def test_threads_give_the_same_table_issues_and_duplicates(tmp_path, monkeypatch):
    rows = [
        "N° PV;Date de saisie;Pays;Région;Marque;Modèle;Calibre;N° de série;Statut",
        "PV/1;14/05/2023;Tchad;Ouaddaï;Kalashnikov;AKM;7.62;AB-123 456;saisie",
        "PV/2;31/02/2020;Atlantis;Nord;Glock;17;9 mm;Effacé;saisie",
        "PV/3;14/05/2023;Tchad;Ouaddaï;Kalashnikov;AKM;7.62;AB-123 456;saisie",
        "PV/1;02/11/2017;Mali;Mopti;Beretta;92;9mm;0000000;volée",
        "PV/5;02/11/2017;Mali;Mopti;Izhmash;;;12??56;volée",
    ]
    path = tmp_path / "pv.csv"
    path.write_text("\n".join(rows * 40) + "\n", encoding="utf-8")
    alone = _load(path, monkeypatch, 10**12)  # every step in the calling thread
    helped = _load(path, monkeypatch, 0)  # every step that can, in a helper
    _assert_same(alone, helped)
    assert helped.report.duplicates > 0
    assert "placeholder serial" in " ".join(helped.issues["problem"])


def test_threads_give_the_same_result_on_the_rio_file(real_data, monkeypatch):
    path = real_data / "rj_seized_firearms_isdp" / "Protocolo_042_2024_armas_2018.csv"
    _assert_same(_load(path, monkeypatch, 10**12), _load(path, monkeypatch, 0))


def test_threads_give_the_same_result_on_every_sample_file(monkeypatch):
    from iti_analytics.samples import sample_files

    for path in sample_files().values():
        _assert_same(_load(path, monkeypatch, 10**12), _load(path, monkeypatch, 0))


def test_threads_give_the_same_canonical_items_back(monkeypatch):
    """Every items column present: the weapon pass and the others run at once."""
    from iti_analytics.normalize import normalize_table
    from iti_analytics.samples import load_sample

    items = load_sample().items
    monkeypatch.setattr(parallel, "PARALLEL_ROWS", 10**12)
    table, issues = normalize_table(items, "items")
    monkeypatch.setattr(parallel, "PARALLEL_ROWS", 0)
    threaded, threaded_issues = normalize_table(items, "items")
    pd.testing.assert_frame_equal(table, threaded, check_exact=True)
    pd.testing.assert_frame_equal(issues, threaded_issues, check_exact=True)


def test_the_columns_after_the_weapon_pass_run_in_two_groups():
    # dates decide day-first together; a subdivision is read with ``country``
    from iti_analytics.normalize import _column_groups

    columns = ["record_id", "seized_on", "country", "admin1", "agency", "status"]
    assert _column_groups("items", columns) == [
        ["seized_on", "country", "admin1"],
        ["record_id", "agency", "status"],
    ]
    assert _column_groups("items", ["agency"]) == [["agency"]]
    assert _column_groups("items", []) == []
