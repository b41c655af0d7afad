"""Arrow helpers shared by every stage.

The one home of "this column as one Arrow array": the loader, the duplicate
check and the normalisers all read columns that pyarrow may hold in chunks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyarrow is imported by the caller, which holds the array
    import pyarrow as pa

__all__ = ["single_array"]


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
