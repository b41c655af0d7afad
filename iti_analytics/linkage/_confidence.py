"""Weapon links: evidence weights, confidence and the reason in words."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from ._common import (
    _EDIT_INDEL,
    _EDIT_LOOK,
    _EDIT_SUB,
    _EDIT_SWAP,
    _EXACT,
    _PARTIAL,
    _PARTIAL_BOTH,
    _same,
)
from ._evidence import (
    DATE_LEVELS,
    DENSITY_WINDOWS,
    GAP_SCALES,
    PLACE_LEVELS,
    U_REUSE,
    BatchRates,
    ContextRates,
    ErrorRates,
    Neighbourhood,
    date_level,
    numeric_gap,
    place_level,
)
from ._serials import _Weapons

# Weights (natural log-odds) of the evidence other than serial, place and time;
# the serial, place and time come from the data (see ``_evidence``).
_W_SHORT = {1: -4.0, 2: -3.0, 3: -2.0, 4: -1.0, 5: -0.5}  # short serials count less
_MAX_SERIAL_LR = 12.0  # no serial agreement is worth more than e**12
_W_MAKE_UNKNOWN = -0.5  # the make could be any other
_W_MODEL_SAME = 0.5
_W_CALIBRE_SAME = 0.3
_W_SHARED_SEIZURE = 1.5  # the two seizure reports share other weapons
_W_LEFT_OVER = 2.5  # ... and these two are the records they do not share
_QUOTED_WINDOW = DENSITY_WINDOWS[-1]
_EDIT_WORDS = {
    _EDIT_SUB: "one character",
    _EDIT_LOOK: "one look-alike character",
    _EDIT_SWAP: "one transposition",
    _EDIT_INDEL: "one character more or less",
}
_FUZZY = (_EDIT_SUB, _EDIT_LOOK, _EDIT_SWAP, _EDIT_INDEL)


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
    score = np.where(exact, np.inf, pairs["score"].to_numpy())
    event_code, events = pd.factorize(w.event)
    for me, other in (("a", "b"), ("b", "a")):
        key = (
            pairs[me].to_numpy(np.int64) * len(events)
            + event_code[pairs[other].to_numpy()]
        )
        distinct, inverse = np.unique(key, return_inverse=True)
        inverse = inverse.ravel()
        best = np.full(len(distinct), -np.inf)
        np.maximum.at(best, inverse, score)
        is_best = score == best[inverse]
        n_best = np.bincount(inverse, weights=is_best, minlength=len(distinct))
        keep &= exact | (is_best & (n_best[inverse] == 1))
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


class _Evidence:
    """What the data say around each candidate pair (computed once per call)."""

    def __init__(self, w: _Weapons, pairs: pd.DataFrame):
        a = pairs["a"].to_numpy(np.int64)
        b = pairs["b"].to_numpy(np.int64)
        self.a, self.b = a, b
        self.gap = numeric_gap(w, a, b)
        model_known = (w.model_code[a] >= 0) | (w.model_code[b] >= 0)
        self.model_block = np.where(
            w.model_code[a] >= 0, w.model_block[a], w.model_block[b]
        )
        self.make = np.where(w.make_code[a] >= 0, w.make_code[a], w.make_code[b])
        self.model_known = model_known

        side_a = self._around(w, a, b)
        side_b = self._around(w, b, a)
        self.dens_a = side_a.density
        self.dens_b = side_b.density
        partial_a = w.partial[a]
        self.dens_full = np.where(partial_a, self.dens_b, self.dens_a)
        self.overall_full = np.where(partial_a, side_b.overall, side_a.overall)
        self.wild_low = np.where(
            partial_a & w.partial[b],
            np.minimum(w.wild_low[a], w.wild_low[b]),
            np.where(partial_a, w.wild_low[a], w.wild_low[b]),
        )
        self.wild_high = np.maximum(
            np.where(partial_a, w.wild_high[a], 0),
            np.where(w.partial[b], w.wild_high[b], 0),
        )
        # distinct serials one character away from the exact serial
        fuzzy = np.isin(pairs["edit"].to_numpy(), _FUZZY)
        ends = pd.DataFrame(
            {
                "s": np.r_[w.serial_code[a[fuzzy]], w.serial_code[b[fuzzy]]],
                "o": np.r_[w.serial_code[b[fuzzy]], w.serial_code[a[fuzzy]]],
            }
        ).drop_duplicates()
        n1 = ends.groupby("s").size()
        self.n1 = n1.reindex(w.serial_code[a]).fillna(0).to_numpy(dtype=float)
        # other serials within the quoted window of either serial (reasons)
        own_a, own_b = side_a.own, side_b.own
        near = np.maximum(side_a.near - own_a, side_b.near - own_b)
        close_pair = (w.prefix[a] == w.prefix[b]) & (
            np.abs(w.value[a] - w.value[b]) <= _QUOTED_WINDOW
        )
        distinct = w.serial_code[a] != w.serial_code[b]
        self.near = np.maximum(near - (close_pair & distinct & (own_a > 0)), 0)
        # distinct full serials of one length in the block (partial vs partial)
        full = ~w.partial
        per_len = (
            pd.DataFrame(
                {
                    "block": w.model_block[full],
                    "len": w.serial_length[full],
                    "s": w.serial_code[full],
                }
            )
            .drop_duplicates()
            .groupby(["block", "len"])
            .size()
        )
        n_len = per_len.reindex(
            pd.MultiIndex.from_arrays([w.model_block[a], w.serial_length[a]])
        )
        self.n_same_length = np.nan_to_num(n_len.to_numpy(dtype=float), nan=0.0)

    def _around(self, w: _Weapons, rows: np.ndarray, other) -> Neighbourhood:
        """The neighbourhood of each row's serial, leaving the pair out.

        Among the serials of the pair's model when either record names it,
        else among those of the make.
        """
        by_model = self.model_known
        dtypes = (float, float, np.int64, np.int64)
        out = Neighbourhood(*(np.zeros(len(rows), dtype) for dtype in dtypes))
        for where, density, block in (
            (by_model, w.by_model, self.model_block),
            (~by_model, w.by_make, self.make),
        ):
            if not where.any():
                continue
            part = density.around(block[where], rows[where], other[where])
            for field, value in zip(out, part, strict=True):
                field[where] = value
        return out

    def take(self, keep: np.ndarray) -> _Evidence:
        """The evidence of the pairs where ``keep`` is true."""
        out = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray) and len(value) == len(keep):
                setattr(out, name, value[keep])
        return out


def _left_over(w: _Weapons, pairs: pd.DataFrame) -> np.ndarray:
    """True for pairs left over once two reports of one seizure are matched.

    The two records belong to seizure reports that share other weapons by exact
    serial (``shared > 0``), and neither has an exact partner in the other's
    report: if both reports list the same weapons, these two must be one.
    """
    if "shared" not in pairs or not len(pairs):
        return np.zeros(len(pairs), dtype=bool)
    a = pairs["a"].to_numpy(np.int64)
    b = pairs["b"].to_numpy(np.int64)
    exact = pairs["edit"].to_numpy() == _EXACT
    matched = pd.MultiIndex.from_arrays(
        [np.r_[a[exact], b[exact]], np.r_[w.event[b[exact]], w.event[a[exact]]]]
    )
    a_in = pd.MultiIndex.from_arrays([a, w.event[b]]).isin(matched)
    b_in = pd.MultiIndex.from_arrays([b, w.event[a]]).isin(matched)
    return (pairs["shared"].to_numpy() > 0) & ~exact & ~a_in & ~b_in


def _weapon_score(
    w: _Weapons,
    pairs: pd.DataFrame,
    ev: _Evidence,
    context: ContextRates,
    batch: BatchRates,
    rates: ErrorRates,
) -> np.ndarray:
    """Log-odds that each pair is one weapon on its serial, make, model, calibre.

    The evidence of the serial alone, from which the error rates are learned;
    :func:`_context_score` adds place, time and the seizure reports (see
    ``link_records``, Notes).
    """
    a, b = ev.a, ev.b
    m = rates.m
    edit = pairs["edit"].to_numpy()
    length = np.maximum(w.serial_length[a], w.serial_length[b]).astype(float)
    dens = np.minimum(ev.dens_a, ev.dens_b)
    # serial: m of the error type, specific to this very serial, against u, the
    # chance that a different weapon carries it (the density around it)
    m_specific = np.select(
        [
            edit == _EDIT_SUB,
            edit == _EDIT_LOOK,
            edit == _EDIT_SWAP,
            edit == _EDIT_INDEL,
        ],
        [
            m["substitution"] / (9 * length),
            m["lookalike"] / 2,
            m["transposition"] / np.maximum(length - 1, 1),
            m["indel"] / (10 * length),
        ],
        1.0,
    )
    # a batch: other serials this close are common in the block as a whole
    dens = np.maximum(dens, batch.density_at(ev.model_block, ev.gap))
    fuzzy_lr = np.log(m_specific) - np.log(m["exact"] * dens)
    # partial: the serials of other weapons that would fit the pattern, from
    # the density near the full serial and the block's density further off
    unreadable = (length - pairs["overlap"].to_numpy()).clip(min=1)
    covered = 10.0**unreadable - 1
    nearby = np.minimum(covered, np.floor(2 * _QUOTED_WINDOW / 10.0**ev.wild_low))
    # the covered values spread over the span of the unreadable positions
    step = np.minimum(10.0 ** (ev.wild_high + 1) - 1, 1e12).astype(np.int64)
    near_dens = np.maximum(ev.dens_full, batch.density_at(ev.model_block, step))
    others = nearby * near_dens + (covered - nearby) * ev.overall_full
    partial_lr = -np.log(np.clip(others, 1e-9, None))
    # two partial serials: the positions unreadable in either could hide any
    # serial of the block, as densely as its serials cluster at that scale
    both_dens = np.maximum(
        np.clip(ev.n_same_length / 10.0**length, 1e-9, 1.0),
        batch.density_at(ev.model_block, step),
    )
    both_lr = -np.log(np.minimum(covered * both_dens, 1e9).clip(1e-9))
    # exact: the serial reused on another weapon, or another weapon's serial
    # mistyped into this one (it has n1 neighbours one character away)
    typo_into = ev.n1 * (1 - m["exact"]) / (9 * length)
    exact_lr = np.log(m["exact"]) - np.log(m["exact"] * U_REUSE * ev.dens_a + typo_into)
    short = sorted(_W_SHORT)
    exact_lr += np.select(
        [length <= k for k in short], [_W_SHORT[k] for k in short], 0.0
    )
    serial_lr = np.select(
        [edit == _EXACT, np.isin(edit, _FUZZY), edit == _PARTIAL],
        [exact_lr, fuzzy_lr, partial_lr],
        both_lr,
    )
    rho = rates.rho
    score = np.log(rho / (1 - rho)) + np.minimum(serial_lr, _MAX_SERIAL_LR)
    score += rates.reading_weight(_reading(edit))
    # the other fields
    score += np.where((w.make_code[a] < 0) | (w.make_code[b] < 0), _W_MAKE_UNKNOWN, 0)
    score += np.where(_same(a, b, w.model_code), _W_MODEL_SAME, 0.0)
    score += np.where(_same(a, b, w.calibre_code), _W_CALIBRE_SAME, 0.0)
    return score


def _context_score(
    w: _Weapons,
    pairs: pd.DataFrame,
    ev: _Evidence,
    context: ContextRates,
    batch: BatchRates,
) -> np.ndarray:
    """Log-odds from place, time and the seizure reports of each pair."""
    a, b = ev.a, ev.b
    edit = pairs["edit"].to_numpy()
    # place and time, m and u from the data
    # close serials: in number, or a pattern unreadable in its last digits
    partial = (edit == _PARTIAL) | (edit == _PARTIAL_BOTH)
    close = (ev.gap <= GAP_SCALES[2]) | (partial & (ev.wild_low <= 2))
    score = context.weight(a, b, w, batch=batch, close=close & (edit != _EXACT))
    shared = pairs["shared"].to_numpy() if "shared" in pairs else np.zeros(len(a))
    score += np.where(shared > 0, _W_SHARED_SEIZURE, 0.0)
    score += np.where(_left_over(w, pairs), _W_LEFT_OVER, 0.0)
    return score


def _reading(edit: np.ndarray) -> np.ndarray:
    """Index into ``READINGS`` of each pair: both full, one or both partial."""
    return np.select([edit == _PARTIAL, edit == _PARTIAL_BOTH], [1, 2], 0)


def _error_type(edit: np.ndarray) -> np.ndarray:
    """Index into ``ERROR_TYPES`` of each pair's serial agreement; -1 partial."""
    return np.select(
        [
            edit == _EXACT,
            edit == _EDIT_SUB,
            edit == _EDIT_LOOK,
            edit == _EDIT_SWAP,
            edit == _EDIT_INDEL,
        ],
        [0, 1, 2, 3, 4],
        -1,
    )


def _confidence(pairs: pd.DataFrame, serial_code: np.ndarray) -> np.ndarray:
    """Posterior probability of each pair from its log-odds.

    A record's fuzzy and partial candidates compete: each one's odds are set
    against the record being a weapon of its own *and* every other candidate
    serial (``odds / (1 + sum of the candidates' odds)``, at the end with more
    competition; records sharing one serial count once, at their best). Exact
    pairs stand on their own.
    """
    score = pairs["score"].to_numpy()
    odds = np.exp(np.minimum(score, 50.0))
    exact = pairs["edit"].to_numpy() == _EXACT
    total = np.zeros(len(pairs))
    competing = np.where(exact, 0.0, odds)
    n_codes = int(serial_code.max(initial=0)) + 2
    for end, other in (("a", "b"), ("b", "a")):
        row = pairs[end].to_numpy(np.int64)
        key = row * n_codes + serial_code[pairs[other].to_numpy()] + 1
        distinct, inverse = np.unique(key, return_inverse=True)
        best = np.zeros(len(distinct))
        np.maximum.at(best, inverse.ravel(), competing)
        per_row = np.bincount(distinct // n_codes, weights=best)
        total = np.maximum(total, per_row[row])
    total = np.where(exact, odds, total)
    return odds / (1.0 + total)


def _how_many(count: np.ndarray, label: pd.Series, idx) -> pd.Series:
    """'no other Type 56 serial', 'one other Type 56 serial', '3 other … serials'."""
    number = pd.Series(count, index=idx).astype("string")
    number = number.where(count != 1, "one").where(count != 0, "no")
    noun = pd.Series(np.where(count <= 1, " serial", " serials"), index=idx)
    return number + " other " + label + noun


def _neighbourhood_words(
    w: _Weapons, ev: _Evidence, pairs: pd.DataFrame, idx: pd.RangeIndex
) -> pd.Series:
    """'no other Type 56 serial within one character or within 500 in the data'."""
    a, b = ev.a, ev.b
    model = np.where(w.model_code[a] >= 0, w.model.to_numpy()[a], w.model.to_numpy()[b])
    make = np.where(w.make_code[a] >= 0, w.make.to_numpy()[a], w.make.to_numpy()[b])
    label = (
        pd.Series(model, index=idx, dtype="string")
        .fillna(pd.Series(make, index=idx, dtype="string"))
        .fillna("such")
    )
    one_edit = np.maximum(pairs["dens"].to_numpy(np.int64) - 1, 0)
    near = ev.near
    window = f"within {_QUOTED_WINDOW:,}"
    fuzzy = np.isin(pairs["edit"].to_numpy(), _FUZZY)
    quiet = (one_edit == 0) & (near == 0)
    near_count = pd.Series(near, index=idx).astype("string")
    near_count = near_count.where(near != 1, "one").where(near != 0, "none")
    fuzzy_words = (
        _how_many(one_edit, label, idx) + " within one character and " + near_count
    ) + (" " + window)
    fuzzy_words = fuzzy_words.where(
        ~quiet, "no other " + label + " serial within one character or " + window
    )
    out = fuzzy_words.where(fuzzy, _how_many(near, label, idx) + " " + window)
    return out + " in the data"


def _context_words(w: _Weapons, a: np.ndarray, b: np.ndarray, idx) -> pd.Series:
    """'recovered within a week, same locality' (unknown parts left out)."""
    date = date_level(w.day[a], w.day[b])
    place = place_level(w.locality_code, w.admin1_code, w.country_code, a, b)
    when = pd.Series(
        np.where(date >= 0, np.array(DATE_LEVELS, dtype=object)[date], ""),
        index=idx,
        dtype="string",
    )
    where = pd.Series(
        np.where(place >= 0, np.array(PLACE_LEVELS, dtype=object)[place], ""),
        index=idx,
        dtype="string",
    )
    return _join_words([("recovered " + when).where(when != "", ""), where])


def _describe_weapon_pairs(
    w: _Weapons, pairs: pd.DataFrame, ev: _Evidence, *, context_words: bool = True
) -> pd.DataFrame:
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
    neighbourhood = _neighbourhood_words(w, ev, pairs, idx)
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
        reason[fuzzy] = (
            "serial differs by "
            + pd.Series(words, index=idx[fuzzy], dtype="string")
            + " ("
            + sa[fuzzy]
            + " vs "
            + sb[fuzzy]
            + ")"
            + same_named[fuzzy]
            + "; "
            + neighbourhood[fuzzy]
        )
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
            + "; "
            + neighbourhood[partial]
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
    one_report = pd.Series((w.event[a] == w.event[b]) & ~exact, index=idx)
    reason = reason.where(~one_report, reason + "; both in one seizure report")
    context = _context_words(w, a, b, idx)
    add = ~exact & (context != "").to_numpy() & context_words
    reason = reason.where(~add, reason + "; " + context)
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
