"""Arrow helpers shared by every stage.

The one home of "this column as one Arrow array": the loader, the duplicate
check and the normalisers all read columns that pyarrow may hold in chunks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: this module loads with the package
    import pandas as pd
    import pyarrow as pa

__all__ = ["single_array", "series_array"]


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
