"""Blocking keys: group pairs, byte matrices and symmetric-deletion hashes."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def _group_pairs(
    groups: np.ndarray,
    members: np.ndarray,
    *,
    max_group: int,
    big: str,
    ordered: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of ``members`` that share a group code, without all-pairs blow-up.

    ``members`` must be given in ascending order inside each group (a stable
    sort keeps it). Groups of more than ``max_group`` members give a star (the
    first member linked to each other one) when ``big="star"``, nothing when
    ``big="skip"``. Returns ``(a, b)`` with ``a`` before ``b``; with
    ``ordered=False`` the order inside a pair (and of the pairs) is left to a
    faster, unstable sort, for callers that only need the set of pairs.
    """
    if len(groups) < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    order = np.argsort(groups, kind="stable" if ordered else "quicksort")
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    # only groups of two or more members make pairs
    shared = sizes >= 2
    starts, sizes = starts[shared], sizes[shared]
    m = members[order][np.repeat(starts, sizes) + _ranks(sizes)]
    starts = np.cumsum(sizes) - sizes
    size_of = np.repeat(sizes, sizes)
    start_of = np.repeat(starts, sizes)
    rank = np.arange(len(m)) - start_of
    small = size_of <= max_group
    counts = np.where(small, size_of - 1 - rank, 0)
    total = int(counts.sum())
    left_pos = np.repeat(np.arange(len(m)), counts)
    step = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    a, b = m[left_pos], m[left_pos + step]
    if big == "star":
        hub = (size_of > max_group) & (rank > 0)
        a = np.concatenate([a, m[start_of[hub]]])
        b = np.concatenate([b, m[hub]])
    return a.astype(np.int64), b.astype(np.int64)


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, …, size-1 for each group size, concatenated."""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _byte_matrix(
    values: Iterable[str], width: int = 24
) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of each string in a zero-padded ``(n, W)`` matrix, and lengths."""
    import pyarrow as pa

    arr = pa.array(list(values), type=pa.large_string())
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[: n + 1]
    data = arr.buffers()[2]
    data = np.empty(0, np.uint8) if data is None else np.frombuffer(data, np.uint8)
    lengths = np.diff(offsets)
    w = int(min(max(int(lengths.max()) if n else 1, 1), width))
    cols = np.arange(w)
    idx = offsets[:-1, None] + cols
    inside = cols < lengths[:, None]
    out = np.zeros((n, w), dtype=np.uint8)
    if len(data):
        out[inside] = data[idx[inside]]
    return out, np.minimum(lengths, w)


_P = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Distinct values of an integer array, sorted (faster than a hash for int64)."""
    if not len(values):
        return values
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]]


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spread a uint64 hash over all bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


def _weights(width: int) -> np.ndarray:
    w = np.empty(width, dtype=np.uint64)
    acc = 1
    for j in range(width - 1, -1, -1):
        w[j] = acc
        acc = (acc * int(_P)) & 0xFFFFFFFFFFFFFFFF
    return w


def _prefix_sums(matrix: np.ndarray) -> np.ndarray:
    """Cumulative polynomial hash of each row's first ``i`` bytes (uint64)."""
    n, w = matrix.shape
    weighted = matrix.astype(np.uint64) * _weights(w)
    out = np.zeros((n, w + 1), dtype=np.uint64)
    np.cumsum(weighted, axis=1, out=out[:, 1:])
    return out


def _deletion_keys(
    matrix: np.ndarray, lengths: np.ndarray, block: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric-deletion keys: the serial and each one-character deletion.

    Two serials of the same block within one substitution, one adjacent
    transposition or one insertion/deletion share at least one key.
    Returns ``(keys, owner)`` with ``owner`` the row of ``matrix``.
    """
    n, w = matrix.shape
    pre = _prefix_sums(matrix)
    total = pre[:, w]
    salt = _mix(block.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    keys = [_mix(total ^ salt)]
    owners = [np.arange(n)]
    for i in range(w):
        rows = np.flatnonzero(lengths > i)
        if not len(rows):
            break
        h = pre[rows, i] + _P * (total[rows] - pre[rows, i + 1])
        keys.append(_mix(h ^ salt[rows] ^ np.uint64(0x5851F42D4C957F2D)))
        owners.append(rows)
    return np.concatenate(keys), np.concatenate(owners)
