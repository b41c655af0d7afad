"""Weapon links: evidence weights, confidence and the reason in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import (
    _EDIT_INDEL,
    _EDIT_SUB,
    _EDIT_SWAP,
    _EXACT,
    _NO_DAY,
    _PARTIAL,
    _PARTIAL_BOTH,
    _differ,
    _same,
)
from ._serials import _Weapons

# Evidence weights (log-odds) behind ``confidence``: a link's confidence is
# ``1 / (1 + exp(-sum of weights))``; see the Notes of :func:`link_records`.
_W_PRIOR = -2.0  # most candidate pairs are not the same weapon
_W_EXACT = 4.0  # same full serial of 6+ characters
_W_SHORT = {1: -4.0, 2: -3.0, 3: -2.0, 4: -1.0, 5: -0.5}  # shorter serials count less
_W_TRANSPOSITION = 2.0
_W_SUBSTITUTION = 0.5
_W_INDEL = 1.0
_W_AMBIGUITY = 1.0  # per doubling of the candidate serials
# serials that differ only in their last three digits may be two weapons of one
# consecutive batch rather than one weapon with a typo
_W_NEIGHBOUR = -3.5
_NEIGHBOUR_GAP = 999
_W_NEIGHBOUR_SWAP = -2.0  # a transposition of two adjacent last digits (34, 43)
_W_NEIGHBOUR_SWAP_FAR = -1.0  # other transpositions in the last two digits
_SWAP_GAP = 99
_W_DENSITY = 0.5  # close serials: per doubling of the serials one edit away
_W_TAIL_WILDCARD = -1.5  # unreadable characters among the last three
_W_PARTIAL = 0.0  # partial serial fitting a full one, 4 readable characters
_W_PARTIAL_BOTH = 1.5  # two partial serials, 4 characters readable in both
_W_PER_CHAR = 0.5  # per readable character beyond 4
_W_MAKE_SAME = 0.7
_W_MAKE_UNKNOWN = -0.5
_W_MODEL_SAME = 0.5
_W_CALIBRE_SAME = 0.3
_W_COUNTRY_SAME = 1.0
_W_COUNTRY_DIFFERS = -2.5
_CLOSE_DAYS = 60
# one source reporting one weapon in two of its seizures is rare
_W_SAME_SOURCE_OTHER_SEIZURE = -2.5
_W_SHARED_SEIZURE = 1.5  # the two seizure reports share other weapons
_W_DATE_CLOSE = 1.5  # recovered within two months of each other
_W_DATE_MONTHS = -1.5  # two months to a year apart
_W_DATE_FAR = -2.5  # more than a year apart
_EXACT_CONTEXT = 0.75  # an exact serial needs less support from place and time
_EDIT_WORDS = {
    _EDIT_SUB: "one character",
    _EDIT_SWAP: "one transposition",
    _EDIT_INDEL: "one character more or less",
}


def _join_words(parts: list[pd.Series], sep: str = ", ") -> pd.Series:
    """Join non-empty strings row-wise, vectorised (empty parts are skipped)."""
    out = parts[0]
    for part in parts[1:]:
        both = (out != "") & (part != "")
        out = out + pd.Series(np.where(both, sep, ""), index=out.index) + part
    return out


def _and_list(words: pd.Series) -> pd.Series:
    """'make, model, calibre' -> 'make, model and calibre'."""
    return words.str.replace(r", ([^,]*)$", r" and \1", regex=True)


def _one_per_seizure(w: _Weapons, pairs: pd.DataFrame) -> np.ndarray:
    """True for links to keep: a weapon appears once in a seizure report.

    A record can be the same weapon as at most one record of another seizure
    report: among its fuzzy and partial links into one (source, seizure), only
    a single best one is kept, and none when there is an exact link into that
    seizure or a tie for best.
    """
    keep = np.ones(len(pairs), dtype=bool)
    if not len(pairs):
        return keep
    exact = pairs["edit"].to_numpy() == _EXACT
    score = pairs["score"].to_numpy()
    event = w.event
    for me, other in (("a", "b"), ("b", "a")):
        frame = pd.DataFrame(
            {
                "me": pairs[me].to_numpy(),
                "event": event[pairs[other].to_numpy()],
                "score": np.where(exact, np.inf, score),
            }
        )
        grp = frame.groupby(["me", "event"], sort=False)["score"]
        best = grp.transform("max").to_numpy()
        ties = (frame["score"].to_numpy() == best).astype(np.int64)
        n_best = (
            ties * 0
            + pd.Series(ties)
            .groupby([frame["me"].to_numpy(), frame["event"].to_numpy()], sort=False)
            .transform("sum")
            .to_numpy()
        )
        keep &= exact | ((frame["score"].to_numpy() == best) & (n_best == 1))
    return keep


def _shared_weapons(w: _Weapons, pairs: pd.DataFrame) -> np.ndarray:
    """How many exact-serial links join the two records' seizure reports.

    Two reports of one seizure (police and customs writing up the same event)
    share many weapons; a typo between them is then far more likely than two
    different weapons. Zero for records of one seizure report.
    """
    ea = w.event[pairs["a"].to_numpy()]
    eb = w.event[pairs["b"].to_numpy()]
    lo, hi = np.minimum(ea, eb), np.maximum(ea, eb)
    exact = (pairs["edit"].to_numpy() == _EXACT) & (lo != hi)
    if not exact.any():
        return np.zeros(len(pairs), dtype=np.int64)
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([lo[exact], hi[exact]]))
    counts = counts.groupby(level=[0, 1]).sum()
    shared = counts.reindex(pd.MultiIndex.from_arrays([lo, hi])).fillna(0).to_numpy()
    return np.where(exact | (lo == hi), 0, shared).astype(np.int64)


def _weapon_score(w: _Weapons, pairs: pd.DataFrame) -> np.ndarray:
    """Added evidence weights (log-odds) of each pair, see ``link_records``."""
    a = pairs["a"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    edit = pairs["edit"].to_numpy()
    n = np.maximum(pairs["n"].to_numpy(np.int64), 1)
    overlap = pairs["overlap"].to_numpy(np.int64)
    length = w.serial_length[a]
    exact = edit == _EXACT
    fuzzy = np.isin(edit, [_EDIT_SUB, _EDIT_SWAP, _EDIT_INDEL])
    partial = np.isin(edit, [_PARTIAL, _PARTIAL_BOTH])
    score = np.zeros(len(a))
    short = sorted(_W_SHORT)
    score[exact] += (
        _W_EXACT + np.select([length <= k for k in short], [_W_SHORT[k] for k in short])
    )[exact]
    score += np.select(
        [edit == _EDIT_SWAP, edit == _EDIT_SUB, edit == _EDIT_INDEL],
        [_W_TRANSPOSITION, _W_SUBSTITUTION, _W_INDEL],
        0.0,
    )
    score[fuzzy] -= _W_AMBIGUITY * np.log2(n[fuzzy])
    gap = pairs["gap"].to_numpy()
    score += np.where((edit == _EDIT_SUB) & (gap <= _NEIGHBOUR_GAP), _W_NEIGHBOUR, 0.0)
    score += np.where(
        (edit == _EDIT_SWAP) & (gap <= _SWAP_GAP),
        np.where(gap <= 2 * 9, _W_NEIGHBOUR_SWAP, _W_NEIGHBOUR_SWAP_FAR),
        0.0,
    )
    dens = np.maximum(pairs["dens"].to_numpy(np.int64), 1)
    score -= np.where(fuzzy & (gap <= _NEIGHBOUR_GAP), _W_DENSITY * np.log2(dens), 0)
    tail = w.tail_wildcard[a] | w.tail_wildcard[b]
    score += np.where((edit == _PARTIAL) & tail, _W_TAIL_WILDCARD, 0.0)
    score[partial] += (
        np.where(edit == _PARTIAL, _W_PARTIAL, _W_PARTIAL_BOTH)
        + _W_PER_CHAR * (overlap - 4)
        - _W_AMBIGUITY * np.log2(n)
    )[partial]
    score += np.where(_same(a, b, w.make_code), _W_MAKE_SAME, 0.0)
    score += np.where((w.make_code[a] < 0) | (w.make_code[b] < 0), _W_MAKE_UNKNOWN, 0.0)
    score += np.where(_same(a, b, w.model_code), _W_MODEL_SAME, 0.0)
    score += np.where(_same(a, b, w.calibre_code), _W_CALIBRE_SAME, 0.0)
    # context: where and when
    context = np.where(_same(a, b, w.country_code), _W_COUNTRY_SAME, 0.0)
    context += np.where(_differ(a, b, w.country_code), _W_COUNTRY_DIFFERS, 0.0)
    dated = (w.day[a] != _NO_DAY) & (w.day[b] != _NO_DAY)
    days = np.abs(w.day[a] - w.day[b])
    context += np.where(dated & (days <= _CLOSE_DAYS), _W_DATE_CLOSE, 0.0)
    context += np.where(dated & (days > _CLOSE_DAYS) & (days <= 365), _W_DATE_MONTHS, 0)
    context += np.where(dated & (days > 365), _W_DATE_FAR, 0.0)
    shared = pairs["shared"].to_numpy() if "shared" in pairs else np.zeros(len(a))
    score += np.where(shared > 0, _W_SHARED_SEIZURE, 0.0)
    other_seizure = _same(a, b, w.source_code) & ~_same(a, b, w.seizure_code)
    context += np.where(other_seizure, _W_SAME_SOURCE_OTHER_SEIZURE, 0.0)
    return _W_PRIOR + score + np.where(exact, _EXACT_CONTEXT, 1.0) * context


def _describe_weapon_pairs(w: _Weapons, pairs: pd.DataFrame) -> pd.DataFrame:
    """Reason in words for each weapon pair."""
    a = pairs["a"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    edit = pairs["edit"].to_numpy()
    n_cand = pairs["n"].to_numpy(np.int64)
    idx = pd.RangeIndex(len(a))
    serial = w.serial.to_numpy()
    sa = pd.Series(serial[a], index=idx, dtype="string")
    sb = pd.Series(serial[b], index=idx, dtype="string")
    make_same = _same(a, b, w.make_code)
    model_same = _same(a, b, w.model_code)
    calibre_same = _same(a, b, w.calibre_code)
    make_unknown = (w.make_code[a] < 0) | (w.make_code[b] < 0)
    exact = edit == _EXACT
    partial = edit == _PARTIAL
    both = edit == _PARTIAL_BOTH
    fuzzy = ~exact & ~partial & ~both

    make = pd.Series(w.make.to_numpy()[a], index=idx, dtype="string")
    model = pd.Series(w.model.to_numpy()[a], index=idx, dtype="string")
    calibre = pd.Series(w.calibre.to_numpy()[a], index=idx, dtype="string")
    blank = pd.Series("", index=idx, dtype="string")
    reason = blank.copy()
    if exact.any():
        valued = _and_list(
            _join_words(
                [
                    ("make " + make).where(make_same, "").fillna(""),
                    ("model " + model).where(model_same, "").fillna(""),
                    ("calibre " + calibre).where(calibre_same, "").fillna(""),
                ]
            )
        )
        unknown_make = blank.where(~make_unknown, "; make unknown on one record")
        reason[exact] = (
            "same serial '"
            + sa[exact]
            + "'"
            + (" and " + valued[exact]).where(valued[exact] != "", "")
            + unknown_make[exact]
        )
    named = _and_list(
        _join_words(
            [
                blank.where(~make_same, "make"),
                blank.where(~model_same, "model"),
                blank.where(~calibre_same, "calibre"),
            ]
        )
    )
    same_named = (", same " + named).where(named != "", "")
    if fuzzy.any():
        words = pd.Series(edit[fuzzy]).map(_EDIT_WORDS).to_numpy()
        text = (
            "serial differs by "
            + pd.Series(words, index=idx[fuzzy], dtype="string")
            + " ("
            + sa[fuzzy]
            + " vs "
            + sb[fuzzy]
            + ")"
            + same_named[fuzzy]
        )
        gap = pairs["gap"].to_numpy()[fuzzy]
        swap = edit[fuzzy] == _EDIT_SWAP
        close = np.where(swap, gap <= _SWAP_GAP, gap <= _NEIGHBOUR_GAP)
        text = text.where(
            ~close,
            text
            + "; the serials are close numbers and may be two weapons of one batch",
        )
        several = n_cand[fuzzy] > 1
        text = text.where(
            ~several,
            text
            + "; one of "
            + pd.Series(n_cand[fuzzy], index=idx[fuzzy]).astype("string")
            + " serials one such edit away",
        )
        reason[fuzzy] = text
    if partial.any():
        pattern = pd.Series(np.where(w.partial[a], sa, sb), index=idx, dtype="string")
        full = pd.Series(np.where(w.partial[a], sb, sa), index=idx, dtype="string")
        several = pd.Series(n_cand, index=idx).astype("string")
        reason[partial] = (
            "partial serial "
            + pattern[partial]
            + " matches "
            + full[partial]
            + blank[partial].where(
                n_cand[partial] <= 1,
                " (one of " + several[partial] + " serials it fits)",
            )
            + same_named[partial]
        )
    if both.any():
        overlap = pd.Series(pairs["overlap"].to_numpy(), index=idx).astype("string")
        reason[both] = (
            "partial serials "
            + sa[both]
            + " and "
            + sb[both]
            + " agree on the "
            + overlap[both]
            + " characters readable in both"
            + blank[both].where(
                n_cand[both] <= 1,
                " (one of "
                + pd.Series(n_cand, index=idx).astype("string")[both]
                + " patterns that fit)",
            )
            + same_named[both]
        )
    method = np.select([exact, partial | both], ["exact", "partial"], "fuzzy")
    return pd.DataFrame(
        {
            "left": w.record_id[a],
            "right": w.record_id[b],
            "kind": "weapon",
            "confidence": pairs["confidence"].to_numpy(),
            "method": method,
            "reason": reason,
            "left_value": sa,
            "right_value": sb,
            "_order": w.rows[a],
        }
    )
