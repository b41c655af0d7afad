"""Evidence estimated from the data: serial density, re-report rate, context rates.

Fellegi–Sunter in spirit: a candidate pair's odds of being one weapon are the
prior odds times, for each piece of evidence, ``m / u`` — how often records of
one weapon show it (``m``) against how often two different weapons would show it
by coincidence (``u``). Here the ``u`` of the serial comes from how densely the
serials of that make and model sit around the pair in *these* data, and the
``m`` and ``u`` of place and time from the exact-serial pairs and from the
block's own records.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._common import _NO_DAY

#: windows (either side, in serial numbers) over which local density is measured;
#: the densest one counts (a scan statistic), the last one is quoted in reasons.
DENSITY_WINDOWS = (5, 50, 500)
#: pseudo-values of the smoothing prior (the block's overall density).
_PRIOR_VALUES = 10.0
_MAX_TAIL = 12  # digits of the numeric tail used (longer tails: the last 12)
_MIN_DENSITY = 1e-9

#: how often a record of a weapon reported again shows its serial this way
#: (m-probabilities per error type; the rest of the mass is "exact").
M_EXACT = 0.85
M_SUBSTITUTION = 0.05  # one character mistyped
M_LOOKALIKE = 0.03  # O/0, I/1, S/5, B/8, Z/2, G/6 read or typed for each other
M_TRANSPOSITION = 0.04  # two adjacent characters swapped
M_INDEL = 0.01  # one character dropped or added
#: a serial reused on another weapon of one make and model (per value occupied).
U_REUSE = 0.002
#: the error types, in the order of :class:`ErrorRates`.
ERROR_TYPES = ("exact", "substitution", "lookalike", "transposition", "indel")
_PSEUDO_PAIRS = 10.0  # weight of the defaults against the pairs found


#: how the two serials of a pair were read: both in full, one partly
#: unreadable (``12??56``), or both partly unreadable.
READINGS = ("full", "one partial", "both partial")


class ErrorRates:
    """m-probabilities of the serial per error type, and the re-report rate.

    Start from the defaults above; :meth:`learn` re-estimates them from the
    posterior probabilities of the candidate pairs (one expectation-maximisation
    step), so that an agency that mistypes often gets credit for it.

    The same step learns how the two records of one weapon were read
    (:data:`READINGS`): ``m_reading`` is the share of each among likely pairs,
    ``u_reading`` the share among two records of different weapons, from the
    share of partial serials in the data (``partial_share``). Where a worn
    marking makes every record of a weapon partial, two partial serials that
    agree say more than their few readable characters, and a partial serial
    against a full one says less; where clerks leave characters out at random,
    the shares are alike and the reading weighs nothing.
    """

    def __init__(self, rho: float, partial_share: float = 0.0):
        self.m = dict(
            zip(
                ERROR_TYPES,
                (M_EXACT, M_SUBSTITUTION, M_LOOKALIKE, M_TRANSPOSITION, M_INDEL),
                strict=True,
            )
        )
        self.rho = rho
        share = float(np.clip(partial_share, 1e-4, 0.5))
        self.u_reading = np.array([(1 - share) ** 2, 2 * share * (1 - share), share**2])
        self.m_reading = self.u_reading.copy()

    def learn(
        self,
        level: np.ndarray,
        posterior: np.ndarray,
        again: float,
        reading: np.ndarray | None = None,
    ) -> None:
        """Shares of each error type among the pairs, weighted by posterior.

        ``again`` is the expected share of records that are another report of
        a weapon in the data (from the same posteriors); ``reading`` the index
        into :data:`READINGS` of each pair.
        """
        self.learn_types(level, posterior)
        self.rho = float(np.clip(again, 0.02, 0.5))
        if reading is not None:
            self.learn_reading(reading, posterior)

    def learn_types(self, level: np.ndarray, posterior: np.ndarray) -> None:
        """Shares of each error type among the likely pairs."""
        default = np.array([self.m[t] for t in ERROR_TYPES])
        # classification EM: only pairs more likely one weapon than not count;
        # a million faint candidates would otherwise add up to a false rate
        posterior = np.where(posterior >= 0.5, posterior, 0.0)
        mass = np.array(
            [posterior[level == i].sum() for i in range(len(ERROR_TYPES))], dtype=float
        )
        m = (mass + _PSEUDO_PAIRS * default) / (mass.sum() + _PSEUDO_PAIRS)
        self.m = dict(zip(ERROR_TYPES, m / m.sum(), strict=True))

    def learn_reading(self, reading: np.ndarray, posterior: np.ndarray) -> None:
        """Shares of each reading among the likely pairs (see the class)."""
        posterior = np.where(posterior >= 0.5, posterior, 0.0)
        mass = np.bincount(reading, weights=posterior, minlength=len(READINGS))
        self.m_reading = (mass + _PSEUDO_PAIRS * self.u_reading) / (
            mass.sum() + _PSEUDO_PAIRS
        )

    def reading_weight(self, reading: np.ndarray) -> np.ndarray:
        """log(m / u) of how the two serials of each pair were read."""
        return np.log(self.m_reading / self.u_reading)[reading]


#: pairs of characters that look alike on a worn marking or in handwriting.
LOOKALIKES = frozenset(
    {("O", "0"), ("D", "0"), ("Q", "0"), ("I", "1"), ("L", "1"), ("S", "5")}
    | {("B", "8"), ("Z", "2"), ("G", "6"), ("T", "7"), ("U", "V")}
)


def serial_parts(serial: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Prefix code, length of the numeric tail and its value, per serial.

    ``AB012345`` -> prefix ``AB``, tail length 6, value 12345. Serials without
    a tail of three digits or more get tail length 0 (no numeric neighbourhood).
    Each distinct serial is parsed once (pyarrow string kernels).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(serial.astype("string"), use_na_sentinel=True)
    distinct = pa.array(np.asarray(uniques, dtype=object), type=pa.string())
    parts = pc.extract_regex(distinct, r"^(?P<prefix>.*?)(?P<tail>[0-9]*)$")
    tail = parts.field("tail")
    tail_len = pc.utf8_length(tail).to_numpy(zero_copy_only=False).astype(np.int64)
    short = tail_len < 3
    used = pc.utf8_slice_codeunits(tail, -_MAX_TAIL)
    used = pc.if_else(pa.array(short), "0", used)
    value = pc.cast(used, pa.int64()).to_numpy(zero_copy_only=False)
    prefix = pc.binary_join_element_wise(
        parts.field("prefix"), pa.array(tail_len.astype(str)), "|"
    )
    prefix_code = pd.factorize(pd.Series(prefix, dtype="string"))[0].astype(np.int64)
    tail_len = np.where(short, 0, np.minimum(tail_len, _MAX_TAIL))
    pick = np.maximum(codes, 0)
    missing = codes < 0
    return (
        np.where(missing, -1, prefix_code[pick]),
        np.where(missing, 0, tail_len[pick]),
        np.where(missing, 0, value.astype(np.int64)[pick]),
    )


class SerialDensity:
    """How densely the distinct serials of a block sit around a value.

    A block is given by the caller (one make and model, say); within it, serials
    are grouped by prefix and tail length and each distinct serial is counted
    once. The density around a value is the share of serial numbers occupied
    nearby, the densest of :data:`DENSITY_WINDOWS`, smoothed toward the block's
    overall density ``distinct / 10**tail_length``.
    """

    def __init__(self, block: np.ndarray, prefix: np.ndarray, tail_len, value):
        self.prefix = np.asarray(prefix, dtype=np.int64)
        self.tail_len = np.asarray(tail_len, dtype=np.int64)
        self.value = np.asarray(value, dtype=np.int64)
        numeric = self.tail_len > 0
        self._n_prefix = int(self.prefix.max(initial=0)) + 2
        composite = self._composite(np.asarray(block, dtype=np.int64), self.prefix)
        self._index, key = np.unique(composite, return_inverse=True)
        key = key.astype(np.int64).ravel()
        frame = pd.DataFrame({"key": key, "value": self.value})[numeric]
        frame = frame.drop_duplicates().sort_values(["key", "value"])
        k = frame["key"].to_numpy()
        v = frame["value"].to_numpy()
        n_keys = len(self._index)
        lo = np.zeros(n_keys, dtype=np.int64)
        count = np.zeros(n_keys, dtype=np.int64)
        start = np.zeros(n_keys, dtype=np.int64)
        hi = np.zeros(n_keys, dtype=np.int64)
        if len(k):
            first = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
            last = np.r_[first[1:] - 1, len(k) - 1]
            lo[k[first]] = v[first]
            hi[k[first]] = v[last]
            count[k[first]] = last - first + 1
            start[k[first]] = first
        # lay the blocks end to end on one line; searches stay in their segment
        span = np.where(count > 0, hi - lo + 1, 0)
        self._offset = np.cumsum(span) - span - lo
        self._line = v + self._offset[k] if len(k) else np.empty(0, np.int64)
        self._start = start
        self._end = start + count
        self._count_of = count

    def _composite(self, block: np.ndarray, prefix: np.ndarray) -> np.ndarray:
        return (block + 1) * self._n_prefix + prefix + 1

    def _key_of(self, block: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Index of each (block, row's prefix) among the blocks, -1 if absent."""
        wanted = self._composite(np.asarray(block, dtype=np.int64), self.prefix[rows])
        pos = np.searchsorted(self._index, wanted)
        pos = np.minimum(pos, max(len(self._index) - 1, 0))
        found = len(self._index) > 0
        return np.where(found & (self._index[pos] == wanted), pos, -1)

    def counts(
        self, block, rows: np.ndarray, windows: tuple[int, ...]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Distinct serials of the block within each window of each row's value.

        Returns the key of each (block, prefix) (-1 if absent) and a
        ``(len(windows), len(rows))`` array of counts. Each distinct
        (block, row) is looked up once, in the order of the serial line, so
        that a million candidate pairs cost a sort and a few sorted searches.
        """
        rows = np.asarray(rows, dtype=np.int64)
        block = np.broadcast_to(np.asarray(block, dtype=np.int64), rows.shape)
        composite = (block + 1) * (len(self.prefix) + 1) + rows
        distinct, inverse = np.unique(composite, return_inverse=True)
        inverse = inverse.ravel()
        rows_u = distinct % (len(self.prefix) + 1)
        key = self._key_of(distinct // (len(self.prefix) + 1) - 1, rows_u)
        ok = (key >= 0) & (self.tail_len[rows_u] > 0)
        safe = np.maximum(key, 0)
        pos = self.value[rows_u] + self._offset[safe]
        order = np.argsort(pos, kind="stable")
        pos, safe_sorted = pos[order], safe[order]
        start, end = self._start[safe_sorted], self._end[safe_sorted]
        out = np.zeros((len(windows), len(distinct)), dtype=np.int64)
        for i, window in enumerate(windows):
            hi = np.searchsorted(self._line, pos + window, side="right")
            lo = np.searchsorted(self._line, pos - window, side="left")
            hi = np.minimum(hi, end)
            lo = np.maximum(lo, start)
            out[i, order] = np.maximum(hi - lo, 0)
        out = np.where(ok, out, 0)
        return key[inverse], out[:, inverse]

    def overall(self, block: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The block's overall density of serials of the rows' prefix and length."""
        key = self._key_of(block, rows)
        return self._overall(key, rows)

    def _overall(self, key: np.ndarray, rows: np.ndarray) -> np.ndarray:
        count = np.where(key >= 0, self._count_of[np.maximum(key, 0)], 0)
        space = np.power(10.0, self.tail_len[rows].astype(float))
        return np.where(self.tail_len[rows] > 0, np.maximum(count, 1) / space, 1.0)

    def count_within(self, block, rows: np.ndarray, window: int) -> np.ndarray:
        """Distinct serials of the block within ``window`` of each row's value."""
        return self.counts(block, rows, (window,))[1][0]

    def around(self, block, rows: np.ndarray, other: np.ndarray) -> Neighbourhood:
        """Density around each row's serial in ``block``, without it and ``other``.

        Both serials of a candidate pair are left out, so that a pair never
        makes its own neighbourhood look crowded. Also returns the block's
        overall density and the counts the reasons quote (see
        :class:`Neighbourhood`).
        """
        rows = np.asarray(rows, dtype=np.int64)
        other = np.asarray(other, dtype=np.int64)
        numeric = self.tail_len[rows] > 0
        same_run = (self.prefix[rows] == self.prefix[other]) & (
            self.value[rows] != self.value[other]
        )
        distance = np.abs(self.value[rows] - self.value[other])
        key, within = self.counts(block, rows, (0, *DENSITY_WINDOWS))
        overall = self._overall(key, rows)
        best = np.zeros(len(rows))
        own = within[0]
        theirs = self.counts(block, other, (0,))[1][0] * same_run
        for i, window in enumerate(DENSITY_WINDOWS, start=1):
            others = within[i] - own - theirs * (distance <= window)
            others = np.maximum(others, 0)
            dens = (others + _PRIOR_VALUES * overall) / (2 * window + 1 + _PRIOR_VALUES)
            best = np.maximum(best, dens)
        density = np.clip(np.where(numeric, best, overall), _MIN_DENSITY, 1.0)
        return Neighbourhood(density, overall, own, within[-1])


class Neighbourhood(NamedTuple):
    """What :meth:`SerialDensity.around` finds around each row's serial."""

    #: density of other serials near it (see :class:`SerialDensity`)
    density: np.ndarray
    #: the block's overall density of serials of its prefix and length
    overall: np.ndarray
    #: distinct serials of the block equal to it (0 or 1)
    own: np.ndarray
    #: distinct serials of the block within the widest density window
    near: np.ndarray


def reported_again_rate(serial_code: np.ndarray, block: np.ndarray) -> float:
    """Share of records that are another report of a weapon already in the data.

    Estimated from the exact repeats (records whose serial appears again in
    their block) divided by :data:`M_EXACT`, since the other repeats hide
    behind typos; kept between 0.02 and 0.5.
    """
    ok = serial_code >= 0
    if ok.sum() < 2:
        return 0.1
    frame = pd.DataFrame({"s": serial_code[ok], "b": block[ok]})
    size = frame.groupby(["s", "b"])["s"].transform("size").to_numpy()
    repeated = float((size - 1).sum()) / max(ok.sum(), 1)
    return float(np.clip(repeated / M_EXACT, 0.02, 0.5))


# --------------------------------------------------------------------------- context

#: levels of agreement on time (days apart) and place
DATE_LEVELS = (
    "within three days",
    "within a week",
    "within two months",
    "within a year",
    "years apart",
)
_DATE_EDGES = np.array([3, 7, 60, 365])
PLACE_LEVELS = ("same locality", "same region", "same country", "other country")
#: defaults (pseudo-counts) for the m-probabilities when the data hold few
#: exact repeats to learn from
_M_DATE = np.array([0.4, 0.15, 0.15, 0.12, 0.18])
_M_PLACE = np.array([0.45, 0.15, 0.30, 0.10])
_PSEUDO = 20.0
#: share of the records of one weapon listed in one seizure report (default)
_M_REPORT = np.array([0.8, 0.2])
#: of two records of one weapon in two seizure reports, the share from one
#: source (default: the same source seldom reports one weapon twice)
_M_SOURCE = np.array([0.95, 0.05])
#: chance agreement assumed before the data say otherwise (cumulative shares of
#: event pairs within 3 / 7 / 60 / 365 days; same locality / region / country)
_U_DATE_CUM = (0.005, 0.01, 0.08, 0.35)
_U_PLACE_CUM = (0.01, 0.05, 0.4)
_PSEUDO_EVENT_PAIRS = 200.0
_MAX_CONTEXT_LR = 6.0  # no single context field is worth more than e**6


def date_level(day_a: np.ndarray, day_b: np.ndarray) -> np.ndarray:
    """0..4 (see :data:`DATE_LEVELS`), -1 when a date is unknown."""
    known = (day_a != _NO_DAY) & (day_b != _NO_DAY)
    level = np.searchsorted(_DATE_EDGES, np.abs(day_a - day_b), side="left")
    return np.where(known, level, -1)


def source_level(w, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1: two reports from one source, 0: from two sources, -1: one report or
    a source unknown."""
    known = (w.source_code[a] >= 0) & (w.source_code[b] >= 0)
    known &= w.event[a] != w.event[b]
    return np.where(known, (w.source_code[a] == w.source_code[b]).astype(int), -1)


def place_level(
    locality: np.ndarray, admin1: np.ndarray, country: np.ndarray, a, b
) -> np.ndarray:
    """0..3 (see :data:`PLACE_LEVELS`), -1 when the country is unknown."""
    same_country = (country[a] >= 0) & (country[a] == country[b])
    other = (country[a] >= 0) & (country[b] >= 0) & (country[a] != country[b])
    same_admin = same_country & (admin1[a] >= 0) & (admin1[a] == admin1[b])
    admin_open = (admin1[a] < 0) | (admin1[b] < 0) | same_admin
    same_loc = (
        same_country & admin_open & (locality[a] >= 0) & (locality[a] == locality[b])
    )
    return np.select([same_loc, same_admin, same_country, other], [0, 1, 2, 3], -1)


class ContextRates:
    """m and u of place and time, learned from the data.

    ``m``: among exact-serial pairs in two different seizure reports (almost
    all one weapon), the share at each level, smoothed toward defaults.
    ``u``: among the seizure events of a block (make and model), the share of
    event pairs at each level, computed from the block's own counts by day and
    place (no pairs are enumerated), smoothed toward the whole table.
    """

    def __init__(self, w, exact_a: np.ndarray, exact_b: np.ndarray, block):
        self.block = np.asarray(block, dtype=np.int64)
        other_event = w.event[exact_a] != w.event[exact_b]
        ea, eb = exact_a[other_event], exact_b[other_event]
        self.n_exact = len(ea)
        date = date_level(w.day[ea], w.day[eb])
        place = place_level(w.locality_code, w.admin1_code, w.country_code, ea, eb)
        self.m_date = _smoothed(date, _M_DATE)
        self.m_place = _smoothed(place, _M_PLACE)
        self.u_date, self.u_place = self._chance_rates(w)
        same = (w.event[exact_a] == w.event[exact_b]).astype(np.int64)
        self.m_report = _smoothed(same, _M_REPORT)[1]
        self.u_report = self._same_report_rate(w)
        self.m_source = _smoothed(source_level(w, ea, eb), _M_SOURCE)[1]
        self.u_source = self._same_source_rate(w)

    def _same_source_rate(self, w) -> np.ndarray:
        """Per block, the share of record pairs in two reports from one source."""
        known = w.source_code >= 0
        frame = pd.DataFrame(
            {
                "block": self.block[known],
                "source": w.source_code[known],
                "event": w.event[known],
            }
        )
        n_blocks = int(self.block.max(initial=-1)) + 1

        def pairs_within(columns: list[str]) -> pd.Series:
            counts = frame.value_counts(columns)
            return (counts * (counts - 1) / 2).groupby(level=0).sum()

        size = frame["block"].value_counts()
        all_pairs = size * (size - 1) / 2
        one_report = pairs_within(["block", "event"]).reindex(all_pairs.index)
        one_source = pairs_within(["block", "source"]).reindex(all_pairs.index)
        one_report, one_source = one_report.fillna(0), one_source.fillna(0)
        apart = (all_pairs - one_report).to_numpy()
        same = (one_source - one_report).to_numpy()
        overall = (float(same.sum()) + 1.0) / (float(apart.sum()) + 2.0)
        out = np.full(n_blocks + 1, overall)
        out[all_pairs.index.to_numpy()] = (same + 50 * overall) / (apart + 50)
        return np.clip(out, 1e-4, 1 - 1e-4)

    def _same_report_rate(self, w) -> np.ndarray:
        """Per block, the share of record pairs listed in one seizure report."""
        frame = pd.DataFrame({"block": self.block, "event": w.event})
        n_blocks = int(self.block.max(initial=-1)) + 1
        per_event = frame.value_counts()
        same = (per_event * (per_event - 1) / 2).groupby(level=0).sum()
        size = frame["block"].value_counts()
        pairs = size * (size - 1) / 2
        overall = (float(same.sum()) + 1.0) / (float(pairs.sum()) + 2.0)
        out = np.full(n_blocks + 1, overall)
        got = same.reindex(pairs.index).fillna(0).to_numpy()
        out[pairs.index.to_numpy()] = (got + 50 * overall) / (pairs.to_numpy() + 50)
        return np.clip(out, 1e-6, 0.99)

    def learn(self, w, a: np.ndarray, b: np.ndarray, posterior: np.ndarray) -> None:
        """m of place and time from the candidate pairs, weighted by posterior.

        The posteriors come from the serial alone (one expectation-maximisation
        step), so that place and time do not vouch for themselves; pairs below
        0.5 are left out.
        """
        posterior = np.where(posterior >= 0.5, posterior, 0.0)
        a_all, b_all = a, b
        other_event = w.event[a] != w.event[b]
        a, b, weight = a[other_event], b[other_event], posterior[other_event]
        date = date_level(w.day[a], w.day[b])
        place = place_level(w.locality_code, w.admin1_code, w.country_code, a, b)
        self.m_date = _smoothed(date, _M_DATE, weight)
        self.m_place = _smoothed(place, _M_PLACE, weight)
        same = (w.event[a_all] == w.event[b_all]).astype(np.int64)
        self.m_report = _smoothed(same, _M_REPORT, posterior)[1]
        self.m_source = _smoothed(source_level(w, a, b), _M_SOURCE, weight)[1]

    def _chance_rates(self, w) -> tuple[np.ndarray, np.ndarray]:
        """Per block, the share of event pairs at each level of time and place."""
        events = pd.DataFrame(
            {
                "block": self.block,
                "event": w.event,
                "day": w.day,
                "country": w.country_code,
                "admin1": w.admin1_code,
                "locality": w.locality_code,
            }
        ).drop_duplicates(["block", "event"])
        n_blocks = int(self.block.max(initial=-1)) + 1
        u_date = np.zeros((n_blocks + 1, len(DATE_LEVELS)))
        u_place = np.zeros((n_blocks + 1, 4))
        dated = events[events["day"] != _NO_DAY]
        # cumulative shares of pairs within 3 / 7 / 60 / 365 days (same or adjacent
        # bins of that width, halved for the adjacent ones)
        cum_date = []
        for width, default in zip(_DATE_EDGES, _U_DATE_CUM, strict=True):
            cum_date.append(
                _pair_share(
                    dated, dated["day"] // width, n_blocks, default, adjacent=True
                )
            )
        cum_date.append((np.ones(n_blocks + 1), np.ones(1)[0]))
        placed = events[events["country"] >= 0]
        loc = placed["country"] * 10_000_000 + placed["locality"]
        cum_place = [
            _pair_share(
                placed,
                loc.where(placed["locality"] >= 0, -1 - placed.index),
                n_blocks,
                _U_PLACE_CUM[0],
            ),
            _pair_share(
                placed,
                (placed["country"] * 100_000 + placed["admin1"]).where(
                    placed["admin1"] >= 0, -1 - placed.index
                ),
                n_blocks,
                _U_PLACE_CUM[1],
            ),
            _pair_share(placed, placed["country"], n_blocks, _U_PLACE_CUM[2]),
            (np.ones(n_blocks + 1), np.ones(1)[0]),
        ]
        for out, cum in ((u_date, cum_date), (u_place, cum_place)):
            previous_block = np.zeros(n_blocks + 1)
            previous_all = 0.0
            for level, (by_block, overall) in enumerate(cum):
                out[:, level] = np.maximum(by_block - previous_block, 0.0)
                out[-1, level] = max(overall - previous_all, 0.0)
                previous_block, previous_all = by_block, overall
        return np.clip(u_date, 1e-4, 1.0), np.clip(u_place, 1e-4, 1.0)

    def weight(self, a: np.ndarray, b: np.ndarray, w, batch=None, close=None):
        """log(m / u) of seizure report, time and place, per pair.

        Unknown levels weigh nothing.
        For ``close`` pairs (serials near each other in number) ``u`` is how
        often batch-mates agree (:class:`BatchRates`), when the data hold
        enough of them; otherwise the block's own rate.
        """
        block = self.block[a]
        out = np.zeros(len(a))
        # one seizure report: one weapon listed twice, against two batch-mates
        # (or two weapons of the block) listed together; place and time are
        # then the same by construction and say nothing more
        same_event = w.event[a] == w.event[b]
        u_report = self.u_report[block]
        if close is not None and batch is not None and batch.u_report is not None:
            u_report = np.where(close, np.maximum(u_report, batch.u_report), u_report)
        m_report = np.clip(self.m_report, 1e-3, 0.999)
        report = np.where(
            same_event,
            np.log(m_report / u_report),
            np.log((1 - m_report) / (1 - u_report)),
        )
        report = np.clip(report, -_MAX_CONTEXT_LR, _MAX_CONTEXT_LR)
        # two reports: from one source (which seldom reports a weapon twice)
        # or from two (police and customs writing up one seizure)
        level = source_level(w, a, b)
        m_source = np.clip(self.m_source, 1e-3, 0.999)
        u_source = self.u_source[block]
        by_source = np.where(
            level == 1,
            np.log(m_source / u_source),
            np.log((1 - m_source) / (1 - u_source)),
        )
        by_source = np.clip(by_source, -_MAX_CONTEXT_LR, _MAX_CONTEXT_LR)
        report += np.where(level >= 0, by_source, 0.0)
        use_batch = batch is not None and batch.u_date is not None and close is not None
        for level, m, u, u_batch in (
            (
                date_level(w.day[a], w.day[b]),
                self.m_date,
                self.u_date,
                batch.u_date if use_batch else None,
            ),
            (
                place_level(w.locality_code, w.admin1_code, w.country_code, a, b),
                self.m_place,
                self.u_place,
                batch.u_place if use_batch else None,
            ),
        ):
            known = level >= 0
            lv = np.maximum(level, 0)
            chance = u[block, lv]
            if u_batch is not None:
                chance = np.where(close, np.maximum(chance, u_batch[lv]), chance)
            ratio = np.log(m[lv] / chance)
            ratio = np.clip(ratio, -_MAX_CONTEXT_LR, _MAX_CONTEXT_LR)
            out += np.where(known, ratio, 0.0)
        return np.where(same_event, 0.0, out) + report


def _smoothed(level: np.ndarray, default: np.ndarray, weight=None) -> np.ndarray:
    known = level >= 0
    weight = np.ones(len(level)) if weight is None else np.asarray(weight, float)
    counts = np.bincount(level[known], weights=weight[known], minlength=len(default))
    total = counts.sum()
    return (counts + _PSEUDO * default) / (total + _PSEUDO)


def _pair_share(
    events: pd.DataFrame,
    group: pd.Series,
    n_blocks: int,
    default: float,
    *,
    adjacent: bool = False,
) -> tuple[np.ndarray, float]:
    """Share of event pairs in one group (and half the adjacent groups), per block.

    The whole table's share is smoothed toward ``default`` (a cumulative
    share, :data:`_U_DATE_CUM` / :data:`_U_PLACE_CUM`) with
    :data:`_PSEUDO_EVENT_PAIRS` pseudo-pairs; each block's toward the whole
    table's with 50 pseudo-pairs; blocks are
    rows ``0..n-1`` and the whole table is the returned float. The last row of
    the array is the whole table too (for records without a block).
    """
    group = pd.Series(np.asarray(group, dtype=np.int64), index=events.index)

    def pairs(keys: list) -> pd.Series:
        sizes = pd.DataFrame({k: v for k, v in zip(("b", "g"), keys, strict=True)})
        counts = sizes.value_counts()
        same = (counts * (counts - 1) / 2).groupby(level=0).sum()
        if adjacent:
            nxt = counts.copy()
            nxt.index = pd.MultiIndex.from_arrays(
                [
                    nxt.index.get_level_values(0),
                    nxt.index.get_level_values(1) - 1,
                ]
            )
            joined = counts.to_frame("n").join(nxt.to_frame("m"), how="inner")
            near = (joined["n"] * joined["m"] / 2).groupby(level=0).sum()
            same = same.add(near, fill_value=0)
        return same

    block = events["block"].to_numpy()
    per_block = pairs([block, group.to_numpy()])
    total = pairs([np.zeros(len(events), np.int64), group.to_numpy()])
    size = pd.Series(block).value_counts()
    all_pairs = size * (size - 1) / 2
    n = len(events)
    overall = (float(total.sum()) + _PSEUDO_EVENT_PAIRS * default) / (
        n * (n - 1) / 2 + _PSEUDO_EVENT_PAIRS
    )
    share = np.full(n_blocks + 1, overall)
    if len(size):
        idx = all_pairs.index.to_numpy()
        got = per_block.reindex(all_pairs.index).fillna(0).to_numpy()
        share[idx] = (got + 50 * overall) / (all_pairs.to_numpy() + 50)
    return share, overall


# --------------------------------------------------------------------------- batches

#: gap scales (serial numbers apart) at which batch clustering is measured.
GAP_SCALES = np.array([9, 99, 999, 9999])
#: share of the values within each scale that differ from a serial in two
#: characters or more (the rest are one typo away and are left out).
_TWO_EDIT_SHARE = np.array([0.5, 0.91, 0.987, 0.998])
_NEIGHBOURS = 8  # sorted neighbours sampled per serial for the context of batches
_FAR = np.int64(1 << 40)


def numeric_gap(w, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Serial numbers apart when both share prefix and tail length, else far."""
    same = (w.prefix[a] == w.prefix[b]) & (w.tail_len[a] > 0)
    return np.where(same, np.abs(w.value[a] - w.value[b]), _FAR)


def _hamming_two(w, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where two serials differ by more than one typo (not one edit)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    sa = w.serial_values[w.serial_code[a]]
    sb = w.serial_values[w.serial_code[b]]
    if not len(sa):
        return np.zeros(0, dtype=bool)
    dist = process.cpdist(sa, sb, scorer=OSA.distance, workers=-1)
    return np.asarray(dist) >= 2


class BatchRates:
    """How serials cluster in batches, and how batch-mates agree on place and time.

    Consecutive serials are the signature of a batch: two different weapons one
    digit apart. From the pairs of distinct serials of one block that are close
    in number but two typos or more apart (so that no typo hides among them):

    - ``clustering[block, scale]``: the density of other serials within each
      :data:`GAP_SCALES` of a serial, over the whole block (not just around the
      pair), smoothed toward the whole table;
    - ``u_date`` / ``u_place``: how often such batch-mates were recovered close
      in time and place — the chance agreement to set a close candidate against.
    """

    def __init__(self, w, density: SerialDensity, block: np.ndarray, fuzzy_pairs):
        self.block = np.asarray(block, dtype=np.int64)
        self.u_report = None
        numeric = np.flatnonzero((w.tail_len > 0) & ~w.partial)
        first = pd.DataFrame(
            {"s": w.serial_code[numeric], "b": self.block[numeric], "row": numeric}
        ).drop_duplicates(["s", "b"])
        rows = first["row"].to_numpy()
        blk = self.block[rows]
        n_blocks = int(self.block.max(initial=-1)) + 1
        size = np.bincount(blk, minlength=n_blocks + 1).astype(float)
        # one-typo pairs of distinct serials (both orders), by gap
        fa = fuzzy_pairs[0]
        fb = fuzzy_pairs[1]
        one = pd.DataFrame(
            {
                "s": w.serial_code[fa],
                "o": w.serial_code[fb],
                "b": self.block[fa],
                "gap": numeric_gap(w, fa, fb),
            }
        ).drop_duplicates(["s", "o", "b"])
        self.clustering = np.zeros((n_blocks + 1, len(GAP_SCALES)))
        _, counts = density.counts(blk, rows, (0, *map(int, GAP_SCALES)))
        for i, scale in enumerate(GAP_SCALES):
            within = counts[i + 1] - counts[0]
            all_pairs = np.bincount(blk, weights=within, minlength=n_blocks + 1)
            close_one = one[one["gap"] <= scale]
            typo_pairs = 2 * np.bincount(
                close_one["b"].to_numpy(), minlength=n_blocks + 1
            )
            two = np.maximum(all_pairs - typo_pairs, 0.0)
            values = 2 * scale * _TWO_EDIT_SHARE[i]
            overall = two.sum() / max(size.sum() * values, 1.0)
            self.clustering[:, i] = (two + 20 * values * overall) / (
                size * values + 20 * values
            )
            self.clustering[-1, i] = overall
        self.u_date, self.u_place, self.n_sampled = self._batch_context(w, rows)

    def _batch_context(self, w, rows: np.ndarray):
        """Place and time agreement of close serials two typos or more apart."""
        if len(rows) < 2:
            return None, None, 0
        order = np.lexsort((w.value[rows], w.prefix[rows], self.block[rows]))
        rows = rows[order]
        a_parts, b_parts = [], []
        for step in range(1, _NEIGHBOURS + 1):
            a_parts.append(rows[:-step])
            b_parts.append(rows[step:])
        a = np.concatenate(a_parts)
        b = np.concatenate(b_parts)
        close = (self.block[a] == self.block[b]) & (
            numeric_gap(w, a, b) <= GAP_SCALES[2]
        )
        a, b = a[close], b[close]
        two = _hamming_two(w, a, b)
        a, b = a[two], b[two]
        if len(a) < 30:
            return None, None, len(a)
        # batch-mates listed in one seizure report
        same_event = w.event[a] == w.event[b]
        self.u_report = float((same_event.sum() + 1.0) / (len(a) + 2.0))
        a, b = a[~same_event], b[~same_event]
        if len(a) < 30:
            return None, None, len(a)
        date = date_level(w.day[a], w.day[b])
        place = place_level(w.locality_code, w.admin1_code, w.country_code, a, b)
        u_date = np.bincount(date[date >= 0], minlength=len(DATE_LEVELS)) + 1.0
        u_place = np.bincount(place[place >= 0], minlength=4) + 1.0
        return u_date / u_date.sum(), u_place / u_place.sum(), len(a)

    def density_at(self, block: np.ndarray, gap: np.ndarray) -> np.ndarray:
        """Batch clustering at the scale of each gap (0 beyond the largest scale)."""
        scale = np.searchsorted(GAP_SCALES, gap, side="left")
        inside = scale < len(GAP_SCALES)
        blk = np.where(block >= 0, block, len(self.clustering) - 1)
        value = self.clustering[blk, np.minimum(scale, len(GAP_SCALES) - 1)]
        return np.where(inside, value, 0.0)
