"""link_records: weapon and actor links, with their clusters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import Dataset, as_dataset
from ..exceptions import InvalidParameterError
from ._actors import _actor_links
from ._clusters import _clusters
from ._common import _EXACT, _KINDS, LINK_COLUMNS, _empty_links
from ._confidence import (
    _confidence,
    _context_score,
    _describe_weapon_pairs,
    _error_type,
    _Evidence,
    _one_per_seizure,
    _reading,
    _shared_weapons,
    _weapon_score,
)
from ._evidence import BatchRates, ContextRates, ErrorRates, reported_again_rate
from ._serials import _weapon_candidates, _Weapons


def _scored_pairs(
    items: pd.DataFrame, *, max_group: int, with_context: bool = True
) -> tuple[_Weapons, pd.DataFrame, _Evidence | None]:
    """Every weapon candidate pair with its log-odds and confidence.

    ``with_context=False`` scores on the serial, make, model and calibre alone
    (a loss and a recovery are years and countries apart by nature).
    """
    w = _Weapons(items)
    pairs = _weapon_candidates(w, max_group)
    if not len(pairs):
        return w, pairs, None
    pairs["shared"] = _shared_weapons(w, pairs)
    exact = pairs[pairs["edit"].to_numpy() == _EXACT]
    context = ContextRates(
        w, exact["a"].to_numpy(), exact["b"].to_numpy(), w.model_block
    )
    rates = ErrorRates(
        reported_again_rate(np.where(w.partial, -1, w.serial_code), w.model_block),
        partial_share=float(w.partial.mean()) if len(w) else 0.0,
    )
    fuzzy = pairs[np.isin(_error_type(pairs["edit"].to_numpy()), [1, 2, 3, 4])]
    batch = BatchRates(
        w, w.by_model, w.model_block, (fuzzy["a"].to_numpy(), fuzzy["b"].to_numpy())
    )
    evidence = _Evidence(w, pairs)
    # one expectation-maximisation step on the evidence of the serial alone
    # (place and time would let batch-mates of one seizure teach false typos):
    # error rates and re-report rate from the posteriors
    serial_only = pairs[["a", "b", "edit"]].assign(
        score=_weapon_score(w, pairs, evidence, context, batch, rates)
    )
    posterior = _confidence(serial_only, w.serial_code)
    rates.learn(
        _error_type(pairs["edit"].to_numpy()),
        posterior,
        _reported_again(pairs, posterior, len(w)),
        _reading(pairs["edit"].to_numpy()),
    )
    context.learn(w, pairs["a"].to_numpy(), pairs["b"].to_numpy(), posterior)
    by_context = (
        _context_score(w, pairs, evidence, context, batch) if with_context else 0.0
    )
    pairs["score"] = by_context + _weapon_score(
        w, pairs, evidence, context, batch, rates
    )
    if with_context:
        # a second step, from the posteriors with place and time, for what the
        # serial alone cannot teach: a transposition inside a batch, or two
        # partial serials agreeing on three characters, is too ambiguous on
        # its serial to count as a likely pair, so the serial-only step
        # under-counts these error types and readings (and over-counts
        # one-typo pairs of sparse serials). The risk: batch-mates recovered
        # together can now teach a false typo (on generate_world(1_000_000)
        # this step adds about 300 true transposition links and 100 false
        # ones). The re-report rate and the place and time rates stay as the
        # serial alone taught them, so that place and time never learn from
        # themselves.
        posterior = _confidence(pairs, w.serial_code)
        rates.learn_types(_error_type(pairs["edit"].to_numpy()), posterior)
        rates.learn_reading(_reading(pairs["edit"].to_numpy()), posterior)
        pairs["score"] = by_context + _weapon_score(
            w, pairs, evidence, context, batch, rates
        )
    pairs["confidence"] = np.round(_confidence(pairs, w.serial_code), 3)
    return w, pairs, evidence


def _reported_again(pairs: pd.DataFrame, posterior: np.ndarray, n: int) -> float:
    """Expected share of records that are another report of a weapon."""
    likely = np.where(posterior >= 0.5, posterior, 0.0)
    per_record = (
        pd.Series(np.r_[likely, likely], index=np.r_[pairs["a"], pairs["b"]])
        .groupby(level=0)
        .max()
    )
    return float(per_record.sum()) / (2 * max(n, 1))


def _weapon_links(
    items: pd.DataFrame, *, max_group: int, threshold: float
) -> pd.DataFrame:
    w, pairs, evidence = _scored_pairs(items, max_group=max_group)
    if evidence is None:
        return _empty_links()
    keep = _one_per_seizure(w, pairs) & (pairs["confidence"].to_numpy() >= threshold)
    pairs = pairs[keep].reset_index(drop=True)
    if not len(pairs):
        return _empty_links()
    return _describe_weapon_pairs(w, pairs, evidence.take(keep))


def link_records(
    ds: Dataset | pd.DataFrame | Any,
    *,
    kinds: Iterable[str] = ("weapon", "actor"),
    threshold: float = 0.75,
    actor_similarity: float = 0.9,
    max_group: int = 50,
) -> pd.DataFrame:
    """Find records of the same weapon, and spellings of the same actor.

    Weapons are matched on their serial within compatible make, model and
    calibre: the same serial, a serial one typo away, and a partial serial such
    as ``12??56`` that fits a full one. How much a match counts is learned from
    the data (see Notes): a one-typo match is strong evidence where serials of
    that model are sparse, and weak inside a batch of consecutive serials.
    Actors are matched on their names, whatever the accents, case or word
    order. Every status takes part (the same weapon lost, then seized, then
    seized again). Nothing is merged: :func:`deduplicate` does that when the
    analyst asks.

    Parameters
    ----------
    ds : Dataset, DataFrame, LoadResult or mapping
        Anything :func:`iti_analytics.as_dataset` accepts (an items table on
        its own is enough).
    kinds : iterable of {"weapon", "actor"}, default both
        What to link.
    threshold : float, default 0.75
        Keep links whose ``confidence`` is at least this (0 to 1). Lower it to
        review weaker candidates too.
    actor_similarity : float, default 0.9
        Smallest rapidfuzz ``token_sort_ratio`` (0 to 1) between two
        accent-free, case-folded names for them to be linked.
    max_group : int, default 50
        Largest group of records sharing one serial that is linked pair by pair;
        larger groups are linked as a star to their first record (same clusters,
        fewer rows). Fuzzy and partial candidates in larger groups are too
        ambiguous and are skipped.

    Returns
    -------
    DataFrame
        One row per matched pair, sorted by kind, cluster and position:

        - ``left``, ``right``: for weapons, the ``record_id`` of the two items
          (``left`` comes first in ``ds.items``). For actors, the ``actor_id``
          when the spelling comes from ``ds.actors``, else the ``record_id`` of
          the first item that carries that spelling in that country (all items
          with the same spelling and country are the same actor already).
        - ``kind``: ``"weapon"`` or ``"actor"``.
        - ``cluster``: connected component of the links of that kind,
          ``"weapon-1"``, ``"actor-3"``…, numbered in table order.
        - ``confidence``: 0 to 1, the probability that the two records are one
          weapon given the evidence (see Notes).
        - ``method``: ``exact``, ``fuzzy``, ``partial`` (weapons),
          ``actor_exact``, ``actor_fuzzy`` (actors).
        - ``reason``: the evidence in words, with how crowded the serial's
          neighbourhood is ("no other Type 56 serial within one character or
          within 500 in the data").
        - ``left_value``, ``right_value``: the serials or actor names compared.

    Raises
    ------
    InvalidParameterError
        ``ds`` is not a dataset, ``kinds`` has an unknown value or
        ``threshold`` is outside 0–1.

    See Also
    --------
    deduplicate : merge the records of each weapon cluster into one.
    hit_check : recovered weapons against records of lost or stolen ones.

    Notes
    -----
    Only items whose ``serial`` is known, is not a placeholder (all zeros,
    ``S/N``, ``N/A``, ``NONE``…) and whose ``serial_status`` is not
    ``obliterated`` or ``absent`` take part. Two records are compatible when
    each of make, model, calibre and item kind is equal or unknown on one side;
    incompatible records are never linked, and a record is never linked to
    itself. Nothing compares all pairs: candidates come through keys.

    Candidates:

    - **exact**: the same normalized serial. A record of unknown make is linked
      only when its serial is seen under a single make. More than
      ``max_group`` records sharing a serial are linked as a star.
    - **fuzzy**: serials one edit apart — one character mistyped, one
      look-alike character (O/0, I/1, S/5, B/8, Z/2, G/6…), two adjacent
      characters swapped, one character more or less (rapidfuzz OSA distance
      1), found through symmetric-deletion keys on the distinct serials.
    - **partial**: a serial with ``?`` or ``*`` for unreadable characters
      (``12??56``) against the full serials of that length it fits, and two
      partial serials that agree where both are readable.

    Confidence, Fellegi–Sunter in spirit: the odds that a pair is one weapon
    are the prior odds (the share of records that are another report of a
    weapon in the data) times ``m / u`` for each piece of evidence, where
    ``m`` is how often records of one weapon show it and ``u`` how often two
    different weapons would show it by chance, both estimated from the data:

    - serial, ``u``: the density of distinct serials of the same make and
      model around each of the two serials (leaving the pair out), the densest
      of windows of 5, 50 and 500 serial numbers, smoothed toward the model's
      overall density; at least how densely serials cluster in batches over the
      whole block at that distance (pairs of serials close in number but two
      typos apart). A partial serial weighs how many other serials it would fit
      at that density; an exact serial, the chance that another weapon's serial
      was mistyped into it.
    - serial, ``m``: the share of each error type (exact, mistyped, look-alike,
      swapped, one more or less), specific to this very serial (a mistyped
      digit in a 7-digit serial is one of 63 possible ones), learned in one
      expectation-maximisation step from the posteriors of the serial
      evidence, then once more from the posteriors with place and time (a
      transposition inside a batch is too ambiguous on its serial alone to
      teach its own rate).
    - how the two serials were read (both in full, one partial, both
      partial): ``m`` the share of each among likely pairs, learned in the
      same two steps; ``u`` from the share of partial serials in the data.
      Where a worn marking makes every record of a weapon partial, two
      agreeing partial serials count more and a partial against a full one
      less; where clerks leave characters out at random, nothing changes.
    - place and time (within three days, a week, two months, a year or
      more; same locality, region, country or not): ``m`` from the same
      posteriors; ``u`` from how the events of the block spread in time and
      place, and for serials close in number from how batch-mates were
      recovered.
    - source: of two records in two seizure reports, whether one source wrote
      both (``m`` from the posteriors, ``u`` the share of the block's record
      pairs from one source): one source seldom reports a weapon twice, two
      agencies often write up one seizure.
    - small fixed weights: make unknown (−0.5), model and calibre the same
      (+0.5, +0.3); two seizure reports sharing other weapons by exact serial
      (+1.5), and the two records they do not share otherwise (+2.5).

    A record's fuzzy and partial candidates compete: each one's odds are set
    against the record being a weapon of its own and every other candidate.
    Among the fuzzy and partial links of one record into one other seizure
    report, only a single best one is kept (a weapon appears once in a
    seizure). Items of one seizure from one source that share a serial are
    still reported: whether they are one weapon entered twice is the analyst's
    call.

    Actors: each distinct spelling per country (from ``ds.actors`` and from
    ``items.actor``) is one entity. Names are compared accent-free, case-folded,
    without dots and with their words sorted, by rapidfuzz ``token_sort_ratio``
    within blocks of one country and one initial of one of the first three
    words (``process.cdist`` on each block, ``workers=-1``); names in different
    countries are never linked. The same name once normalised gets 0.97; a
    fuzzy one a logistic of the similarity (0.5 at 0.925, 0.88 at 0.95), so that
    "Abubakar Kone" and "Abubakar Konaté" (0.92, two people in the synthetic
    worlds) fall below the default threshold while one-letter typos stay above.

    Accuracy (pairwise, default threshold; ``benchmarks/RESULTS.md``): on
    sparse serials (300 pistols and rifles, random 7-digit serials, 60
    re-reports a quarter each exact, mistyped, swapped, two unreadable)
    precision and recall 1.00; on batches of 50–500 consecutive serials with
    whole seizures re-reported, precision 0.983–1.000 and recall 0.959–1.000
    on each of five sets; on 1,000,000 generated records, F1 0.97.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["p1", "c1", "a1", "a2"],
    ...     "make": ["Norinco", "Norinco", "Norinco", "Norinco"],
    ...     "model": ["Type 56", "Type 56", None, "Type 56"],
    ...     "calibre": ["7.62x39mm"] * 4,
    ...     "serial": ["AB1234", "AB1234", "BA1234", "12??56"],
    ...     "actor": ["Abdoulaye Traore", None, "Abdoulaye Traoré", None],
    ...     "country": ["MLI", "MLI", "MLI", "MLI"],
    ...     "seized_on": ["2021-03-02", "2021-03-09", "2021-04-01", "2021-04-01"],
    ... })
    >>> links = link_records(items)
    >>> links[["left", "right", "kind", "cluster", "method"]]
      left right    kind   cluster       method
    0   p1    c1  weapon  weapon-1        exact
    1   p1    a1  weapon  weapon-1        fuzzy
    2   c1    a1  weapon  weapon-1        fuzzy
    3   p1    a1   actor   actor-1  actor_exact
    >>> print(links.loc[0, "reason"])
    same serial 'AB1234' and make Norinco, model Type 56 and calibre 7.62x39mm
    >>> print(links.loc[1, "reason"])  # doctest: +NORMALIZE_WHITESPACE
    serial differs by one transposition (AB1234 vs BA1234), same make and
    calibre; no other Type 56 serial within one character or within 500 in the
    data; recovered within two months, same country
    """
    kinds = tuple([kinds] if isinstance(kinds, str) else kinds)
    for kind in kinds:
        check_option("kinds", kind, _KINDS)
    if not 0 <= threshold <= 1:
        raise InvalidParameterError(
            f"`threshold` must be between 0 and 1, but {threshold!r} was passed."
        )
    if not 0 < actor_similarity <= 1:
        raise InvalidParameterError(
            "`actor_similarity` must be above 0 and at most 1, but "
            f"{actor_similarity!r} was passed."
        )
    if int(max_group) < 2:
        raise InvalidParameterError(
            f"`max_group` must be at least 2, but {max_group!r} was passed."
        )
    ds = as_dataset(ds)
    items = ds.items
    frames = []
    if "weapon" in kinds:
        frames.append(
            _weapon_links(items, max_group=int(max_group), threshold=threshold)
        )
    if "actor" in kinds:
        actors = ds.actors
        frames.append(
            _actor_links(items, actors, threshold=actor_similarity, max_block=5000)
        )
    out = []
    for frame in frames:
        if not len(frame):
            continue
        frame = frame[frame["confidence"] >= threshold]
        if not len(frame):
            continue
        kind = str(frame["kind"].iloc[0])
        frame = frame.sort_values("_order", kind="stable").reset_index(drop=True)
        frame["cluster"] = _clusters(frame, kind)
        out.append(frame)
    if not out:
        return _empty_links()
    links = pd.concat(out, ignore_index=True)
    links["_cluster_no"] = links["cluster"].str.split("-").str[-1].astype("int64")
    links["_kind_no"] = links["kind"].map({"weapon": 0, "actor": 1})
    links = links.sort_values(["_kind_no", "_cluster_no", "_order"], kind="stable")
    links = links[LINK_COLUMNS].reset_index(drop=True)
    for col in LINK_COLUMNS:
        links[col] = links[col].astype("float64" if col == "confidence" else "string")
    return links
