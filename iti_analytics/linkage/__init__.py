"""Record linkage: find the same weapon or actor reported several times.

:func:`link_records` finds records of the same weapon (by serial, within
compatible make, model and calibre) and spellings of the same actor;
:func:`deduplicate` merges the records of each cluster when the analyst asks;
:func:`hit_check` matches recovered weapons against records of lost or stolen
ones.
The private modules, by subject:

- ``_common``: the link table (:data:`LINK_COLUMNS`), coded columns, helpers;
- ``_keys``: blocking keys (group pairs, symmetric-deletion hashes);
- ``_serials``: exact, fuzzy (one edit) and partial serial candidates;
- ``_confidence``: evidence weights, confidence and reasons of weapon links;
- ``_actors``: actor-name matching;
- ``_clusters``: connected components of the links;
- ``_evidence``: what the data say: serial density, batch clustering, error
  rates (m) and chance agreement (u) of place and time;
- ``_link``: :func:`link_records`;
- ``_hits``: :func:`hit_check` against a register of lost and stolen weapons;
- ``_dedupe``: :func:`deduplicate`.
"""

from __future__ import annotations

from ._common import LINK_COLUMNS
from ._dedupe import deduplicate
from ._hits import HIT_COLUMNS, hit_check
from ._link import link_records

__all__ = ["LINK_COLUMNS", "HIT_COLUMNS", "link_records", "deduplicate", "hit_check"]
