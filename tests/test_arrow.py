"""Tests for the shared Arrow helpers: the loader's memory pool."""

import threading

import pyarrow as pa
import pytest

from iti_analytics import _arrow
from iti_analytics.io import read_items

jemalloc = pytest.mark.skipif(
    "jemalloc" not in pa.supported_memory_backends(),
    reason="this pyarrow build has no jemalloc",
)


@pytest.fixture
def default_pool(monkeypatch):
    """pyarrow's own default (mimalloc), whatever the test run set."""
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    if "mimalloc" not in pa.supported_memory_backends():
        pytest.skip("this pyarrow build has no mimalloc")
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    yield
    pa.set_memory_pool(before)


@jemalloc
def test_loading_pool_switches_and_restores(default_pool):
    with _arrow.loading_pool():
        assert pa.default_memory_pool().backend_name == "jemalloc"
        kept = pa.array(["AB123", None, "CD456"])
    assert pa.default_memory_pool().backend_name == "mimalloc"
    assert kept.to_pylist() == ["AB123", None, "CD456"]  # still valid


@jemalloc
def test_loading_pool_restores_after_an_error(default_pool):
    with pytest.raises(ValueError, match="bad cell"), _arrow.loading_pool():
        raise ValueError("bad cell")
    assert pa.default_memory_pool().backend_name == "mimalloc"


@jemalloc
def test_nested_and_concurrent_loads_share_one_switch(default_pool):
    inside, release = threading.Event(), threading.Event()
    seen = []

    def other_load():
        with _arrow.loading_pool():
            inside.set()
            release.wait(10)
            seen.append(pa.default_memory_pool().backend_name)

    with _arrow.loading_pool():
        worker = threading.Thread(target=other_load)
        worker.start()
        assert inside.wait(10)
        with _arrow.loading_pool():
            pass
    # the first load ended while the other still runs: its pool stays
    assert pa.default_memory_pool().backend_name == "jemalloc"
    release.set()
    worker.join(10)
    assert seen == ["jemalloc"]
    assert pa.default_memory_pool().backend_name == "mimalloc"


def test_a_pool_the_user_chose_is_kept(default_pool, monkeypatch):
    pa.set_memory_pool(pa.system_memory_pool())
    with _arrow.loading_pool():
        assert pa.default_memory_pool().backend_name == "system"
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    with _arrow.loading_pool():
        assert pa.default_memory_pool().backend_name == "mimalloc"


@jemalloc
def test_read_items_loads_on_jemalloc_and_gives_the_pool_back(default_pool, tmp_path):
    path = tmp_path / "saisies.csv"
    path.write_text("N° PV;Marque;N° de série\nPV-1;Beretta;AB-123\n", encoding="utf-8")
    made = pa.jemalloc_memory_pool().num_allocations()  # grows, never shrinks
    res = read_items(path)
    assert res.table["serial"].tolist() == ["AB123"]
    assert pa.jemalloc_memory_pool().num_allocations() > made  # the table's text
    assert pa.default_memory_pool().backend_name == "mimalloc"
