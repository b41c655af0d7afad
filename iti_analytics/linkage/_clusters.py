"""Clusters of links: connected components, numbered in table order."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _clusters(links: pd.DataFrame, prefix: str) -> pd.Series:
    """Connected components of the links, named ``<prefix>-1``, ``<prefix>-2``…"""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    inverse, ids = pd.factorize(
        pd.concat([links["left"], links["right"]], ignore_index=True)
    )
    n = len(ids)
    m = len(links)
    graph = coo_matrix(
        (np.ones(m, dtype=np.int8), (inverse[:m], inverse[m:])), shape=(n, n)
    )
    _, labels = connected_components(graph, directed=False)
    comp = labels[inverse[:m]]
    # number the clusters in order of first appearance (links are sorted)
    _, first = np.unique(comp, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(1, len(first) + 1)
    return pd.Series(
        [f"{prefix}-{r}" for r in rank[comp]], index=links.index, dtype="string"
    )
