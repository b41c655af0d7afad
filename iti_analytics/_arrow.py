"""Arrow helpers shared by every stage.

The one home of "this column as one Arrow array": the loader, the duplicate
check and the normalisers all read columns that pyarrow may hold in chunks;
and of the memory pool the loader allocates from (:func:`loading_pool`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: this module loads with the package
    import pandas as pd
    import pyarrow as pa

__all__ = ["arrow_text", "loading_pool", "single_array", "series_array"]

_POOL_LOCK = threading.Lock()
#: loads under way, and the pool they replaced (restored when the last ends)
_pool_users = 0
_replaced_pool: pa.MemoryPool | None = None


@contextmanager
def loading_pool() -> Iterator[None]:
    """Arrow's default memory pool is jemalloc for the duration, when the user
    has not chosen one.

    pyarrow's default pool (mimalloc) asks the kernel for transparent huge
    pages; where those are dear to fault in (virtual machines), a
    million-row load spent about a fifth of its time in the kernel there.
    jemalloc (the pool pyarrow used by default before mimalloc, built into
    its Linux and macOS wheels) uses small pages and keeps freed memory for
    reuse: on 1,000,000 rows of the 22-column messy file, 3.30 s against
    4.15 s (``benchmarks/RESULTS.md``). Nothing changes when the
    ``ARROW_DEFAULT_MEMORY_POOL`` environment variable is set, when the
    default pool is not mimalloc (the user set another one) or when jemalloc
    is not built in (Windows). Arrays made in the block stay valid after it;
    nested and concurrent loads share one switch, undone when the last ends.

    Examples
    --------
    >>> import pyarrow as pa
    >>> before = pa.default_memory_pool().backend_name
    >>> with loading_pool():
    ...     inside = pa.default_memory_pool().backend_name
    >>> inside in {"jemalloc", before}, pa.default_memory_pool().backend_name == before
    (True, True)
    """
    global _pool_users, _replaced_pool
    import pyarrow as pa

    with _POOL_LOCK:
        if _pool_users == 0:
            _replaced_pool = _jemalloc_instead(pa)
        _pool_users += 1
    try:
        yield
    finally:
        with _POOL_LOCK:
            _pool_users -= 1
            if _pool_users == 0 and _replaced_pool is not None:
                pa.set_memory_pool(_replaced_pool)
                _replaced_pool = None


def _jemalloc_instead(pa) -> pa.MemoryPool | None:
    """Make jemalloc the default pool; the pool it replaces (None: unchanged)."""
    current = pa.default_memory_pool()
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ or current.backend_name != "mimalloc":
        return None
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a build without jemalloc
        return None
    return current


def arrow_text(dtype: object) -> bool:
    """Whether ``dtype`` is pandas' text held by Arrow (``string[pyarrow]``),
    whose values :func:`series_array` hands over without a copy.

    Examples
    --------
    >>> import pandas as pd
    >>> arrow_text(pd.StringDtype("pyarrow")), arrow_text(pd.StringDtype("python"))
    (True, False)
    >>> arrow_text(pd.Series([1, 2]).dtype)
    False
    """
    import pandas as pd

    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def single_array(arr: pa.ChunkedArray) -> pa.Array:
    """``arr`` as one Arrow array: its only chunk as it is, else the chunks put
    end to end (``combine_chunks`` copies even a single chunk: 10-20 MB of
    fresh memory for a million-row column of text).

    Examples
    --------
    >>> import pyarrow as pa
    >>> one = pa.array(["a", "b"])
    >>> same = single_array(pa.chunked_array([one]))
    >>> same.buffers()[2].address == one.buffers()[2].address  # not copied
    True
    >>> single_array(pa.chunked_array([one, one])).to_pylist()
    ['a', 'b', 'a', 'b']
    """
    return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()


def series_array(values: pd.Series) -> pa.Array:
    """The values of a Series as one Arrow array (no copy when Arrow-backed in
    one chunk; NaN and NA are null).

    Examples
    --------
    >>> import pandas as pd
    >>> series_array(pd.Series(["a", None], dtype="string[pyarrow]")).to_pylist()
    ['a', None]
    """
    import pyarrow as pa

    arr = pa.array(values.array, from_pandas=True)
    return single_array(arr) if isinstance(arr, pa.ChunkedArray) else arr
