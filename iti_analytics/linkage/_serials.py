"""Weapon serials: exact, one-edit (fuzzy) and partial candidate pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ._common import (
    _EDIT_INDEL,
    _EDIT_LOOK,
    _EDIT_SUB,
    _EDIT_SWAP,
    _EXACT,
    _NO_DAY,
    _PARTIAL,
    _PARTIAL_BOTH,
    _codes,
    _compatible,
)
from ._evidence import LOOKALIKES, SerialDensity, serial_parts
from ._keys import (
    _byte_matrix,
    _deletion_keys,
    _group_pairs,
    _mix,
    _sorted_unique,
    _weights,
)

#: serial statuses whose serial is never used for linkage.
_UNUSABLE_STATUS = ("obliterated", "absent")
#: serials that stand for "no serial" (all zeros, all unreadable, "S/N", "N/A"…):
#: never linked, whatever the normalizer did with them.
PLACEHOLDER_PATTERN = (
    r"^(?:0+|[?*X]+|SN|NSN|NOSN|NA|NIL|NONE|NUL|NULL|UNK|UNKNOWN|NOSERIAL|"
    r"NONUMBER|NOTMARKED|UNMARKED|ND|NR|SANS|INCONNU)$"
)
#: characters that stand for an unreadable character in a partial serial.
_WILDCARDS = "?*"
_WILDCARD_PATTERN = r"[?*]"

_FAR = 1 << 40
_MAX_KEY_GROUP = 500  # larger deletion-key groups are too ambiguous to compare
_CHUNK_CELLS = 20_000_000  # cells per chunk when comparing partial serials


class _Weapons:
    """Coded view of the items that carry a usable serial."""

    def __init__(self, items: pd.DataFrame):
        serial = items["serial"].astype("string").str.strip()
        status = items["serial_status"].astype("string")
        unusable = status.isin(_UNUSABLE_STATUS).fillna(False)
        placeholder = serial.str.upper().str.replace(r"[^0-9A-Z?*]", "", regex=True)
        placeholder = placeholder.str.fullmatch(PLACEHOLDER_PATTERN).fillna(False)
        # a number written on ammunition marks its lot, not one cartridge: two
        # records of one lot are two items (the graph links them by the lot)
        ammunition = (items["item_kind"] == "ammunition").fillna(False)
        usable = (
            serial.notna() & (serial != "") & ~unusable & ~placeholder & ~ammunition
        )
        usable = usable.to_numpy(dtype=bool)
        self.rows = np.flatnonzero(usable)  # positions in items
        sub = items.iloc[self.rows]
        self.record_id = sub["record_id"].astype("string").to_numpy(dtype=object)
        self.serial = serial.iloc[self.rows].reset_index(drop=True)
        self.partial = self.serial.str.contains(_WILDCARD_PATTERN, regex=True).to_numpy(
            dtype=bool
        )
        self.make = sub["make"].astype("string").reset_index(drop=True)
        self.model = sub["model"].astype("string").reset_index(drop=True)
        self.calibre = sub["calibre"].astype("string").reset_index(drop=True)
        self.make_code = _codes(self.make)
        self.model_code = _folded_codes(self.model)
        self.calibre_code = _codes(self.calibre)
        self.kind_code = _codes(sub["item_kind"].astype("string"))
        self.serial_code, uniques = pd.factorize(self.serial, use_na_sentinel=True)
        self.serial_values = np.asarray(uniques, dtype=object)
        self.serial_length = self.serial.str.len().to_numpy(dtype=np.int64)
        # unreadable characters: how many, and where the last and first are,
        # counted from the right (only partial serials have any)
        wild_count = np.zeros(len(self.rows), dtype=np.int64)
        self.wild_low = np.zeros(len(self.rows), dtype=np.int64)
        self.wild_high = np.zeros(len(self.rows), dtype=np.int64)
        partial_rows = np.flatnonzero(self.partial)
        if len(partial_rows):
            patterns = self.serial.iloc[partial_rows].str.replace("*", "?")
            wild_count[partial_rows] = patterns.str.count(r"\?")
            reverse = patterns.str[::-1]
            self.wild_low[partial_rows] = reverse.str.find("?").to_numpy(np.int64)
            self.wild_high[partial_rows] = self.serial_length[partial_rows] - (
                1 + patterns.str.find("?").to_numpy(np.int64)
            )
        self.known_chars = self.serial_length - wild_count
        self.country_code = _codes(sub["country"].astype("string"))
        self.admin1_code = _folded_codes(sub["admin1"].astype("string"))
        self.locality_code = _folded_codes(sub["locality"].astype("string"))
        self.prefix, self.tail_len, self.value = serial_parts(self.serial)
        # density blocks: one make and model (unknown model: the make's records
        # of unknown model), and one make with every model
        n_models = int(self.model_code.max(initial=0)) + 2
        self.model_block = (self.make_code + 1) * n_models + self.model_code + 1
        self.by_model = SerialDensity(
            self.model_block, self.prefix, self.tail_len, self.value
        )
        self.by_make = SerialDensity(
            self.make_code, self.prefix, self.tail_len, self.value
        )
        self.source_code = _codes(sub["source"].astype("string"))
        self.seizure_code = _codes(sub["seizure_id"].astype("string"))
        # seizure report of a record: (source, seizure_id), or the record alone
        self.event = np.where(
            self.seizure_code >= 0,
            self.seizure_code * (int(self.source_code.max(initial=0)) + 2)
            + self.source_code
            + 1,
            -1 - np.arange(len(self.rows)),
        )
        day = pd.to_datetime(sub["seized_on"], errors="coerce")
        days = day.to_numpy(dtype="datetime64[D]").astype(np.int64)
        self.day = np.where(day.isna().to_numpy(), _NO_DAY, days)

    def __len__(self) -> int:
        return len(self.rows)

    def compatible(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _compatible(
            a, b, self.make_code, self.model_code, self.calibre_code, self.kind_code
        )


def _folded_codes(values: pd.Series) -> np.ndarray:
    """Integer code per value, case-folded (each distinct value folded once)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    folded = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    folded_codes = np.r_[pd.factorize(folded.str.casefold())[0], -1]
    return np.where(codes >= 0, folded_codes[codes], -1).astype(np.int64)


def _exact_pairs(w: _Weapons, max_group: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of full serials that are equal, within compatible make/model/calibre."""
    full = np.flatnonzero(~w.partial)
    if len(full) < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    serial = w.serial_code[full]
    make = w.make_code[full]
    known = make >= 0
    # (1) same serial and same make
    key = serial[known] * (int(make.max()) + 2) + make[known]
    a1, b1 = _group_pairs(key, full[known], max_group=max_group, big="star")
    # (2) make unknown on at least one side: only where the compatible records
    # sharing the serial have a single make, so that an unknown make never
    # bridges two different weapons
    cand = np.isin(serial, np.unique(serial[~known]))
    a2, b2 = _group_pairs(serial[cand], full[cand], max_group=max_group, big="star")
    keep = ((w.make_code[a2] < 0) | (w.make_code[b2] < 0)) & w.compatible(a2, b2)
    a2, b2 = a2[keep], b2[keep]
    ends = pd.DataFrame(
        {
            "open": np.concatenate([a2, b2]),
            "make": np.concatenate([w.make_code[b2], w.make_code[a2]]),
        }
    )
    ends = ends[(w.make_code[ends["open"].to_numpy()] < 0) & (ends["make"] >= 0)]
    makes = ends.groupby("open")["make"].nunique()
    ambiguous = makes.index[makes.to_numpy() > 1].to_numpy()
    keep = ~np.isin(a2, ambiguous) & ~np.isin(b2, ambiguous)
    a = np.concatenate([a1, a2[keep]])
    b = np.concatenate([b1, b2[keep]])
    keep = w.compatible(a, b)
    return a[keep], b[keep]


def _fuzzy_pairs(w: _Weapons, max_group: int) -> pd.DataFrame:
    """Pairs of full serials one edit apart, within compatible make/model/calibre.

    Works on the distinct serials with symmetric-deletion keys, so only serials
    that share a key are ever compared (no all-pairs step), checks each
    candidate with rapidfuzz's optimal-string-alignment distance, then expands
    to records and keeps compatible pairs (an unknown make is compatible).
    """
    columns = ("a", "b", "edit", "gap")
    empty = pd.DataFrame({c: np.empty(0, np.int64) for c in columns})
    sel = np.flatnonzero(~w.partial)
    if len(sel) < 2:
        return empty
    ent = np.unique(w.serial_code[sel])
    matrix, lengths = _byte_matrix(w.serial_values[ent])
    keys, owner = _deletion_keys(matrix, lengths, np.zeros(len(ent), np.int64))
    ea, eb = _group_pairs(
        keys, owner, max_group=_MAX_KEY_GROUP, big="skip", ordered=False
    )
    keep = ea != eb
    ea, eb = np.minimum(ea, eb)[keep], np.maximum(ea, eb)[keep]
    pairs = _sorted_unique(ea * len(ent) + eb)
    if not len(pairs):
        return empty
    ea, eb = pairs // len(ent), pairs % len(ent)
    sa = w.serial_values[ent[ea]]
    sb = w.serial_values[ent[eb]]
    dist = process.cpdist(sa, sb, scorer=OSA.distance, workers=-1)
    ok = np.asarray(dist) == 1
    ea, eb = ea[ok], eb[ok]
    same_len = lengths[ea] == lengths[eb]
    ndiff = (matrix[ea] != matrix[eb]).sum(axis=1)
    edit = np.where(~same_len, _EDIT_INDEL, np.where(ndiff == 2, _EDIT_SWAP, _EDIT_SUB))
    edit = np.where(
        (edit == _EDIT_SUB) & _lookalike(matrix[ea], matrix[eb]), _EDIT_LOOK, edit
    )
    gap = _numeric_gap(matrix[ea], matrix[eb], lengths[ea], edit)
    # expand serial pairs to record pairs
    rows = pd.DataFrame({"ent": np.searchsorted(ent, w.serial_code[sel]), "row": sel})
    rows = rows[rows.groupby("ent").cumcount() < max_group]
    link = pd.DataFrame({"ea": ea, "eb": eb, "edit": edit, "gap": gap})
    link = link.merge(rows.rename(columns={"ent": "ea", "row": "a"}), on="ea")
    link = link.merge(rows.rename(columns={"ent": "eb", "row": "b"}), on="eb")
    a = link["a"].to_numpy(np.int64)
    b = link["b"].to_numpy(np.int64)
    link["a"], link["b"] = np.minimum(a, b), np.maximum(a, b)
    link = link[w.compatible(link["a"].to_numpy(), link["b"].to_numpy())]
    return link[list(columns)].reset_index(drop=True)


_LOOKALIKE_CODES = np.array(
    sorted(256 * min(ord(x), ord(y)) + max(ord(x), ord(y)) for x, y in LOOKALIKES),
    dtype=np.int64,
)


def _lookalike(ma: np.ndarray, mb: np.ndarray) -> np.ndarray:
    """True where two same-length serials differ in one look-alike character."""
    if not len(ma):
        return np.zeros(0, dtype=bool)
    pos = np.argmax(ma != mb, axis=1)
    ca = ma[np.arange(len(ma)), pos].astype(np.int64)
    cb = mb[np.arange(len(mb)), pos].astype(np.int64)
    code = 256 * np.minimum(ca, cb) + np.maximum(ca, cb)
    return np.isin(code, _LOOKALIKE_CODES)


def _pattern_matrix(
    w: _Weapons, rows: np.ndarray, width: int
) -> tuple[np.ndarray, ...]:
    """Byte matrix, lengths and wildcard mask of the serials of ``rows``."""
    values = w.serial_values[w.serial_code[rows]]
    mat, length = _byte_matrix(values, width=64)
    mat = np.pad(mat, ((0, 0), (0, max(width - mat.shape[1], 0))))[:, :width]
    wild = np.isin(mat, np.frombuffer(_WILDCARDS.encode(), dtype=np.uint8))
    return mat, length, wild


def _partial_full_pairs(w: _Weapons, max_candidates: int) -> pd.DataFrame:
    """Partial serials with wildcards (``12??56``) against full serials.

    Only patterns with at least four readable characters, at least half of
    them, are used. One pass per distinct (length, wildcard mask): full serials
    of that length are hashed on the pattern's readable positions and joined
    with the patterns.
    """
    columns = ("a", "b", "n", "overlap")
    empty = pd.DataFrame({c: np.empty(0, np.int64) for c in columns})
    part = np.flatnonzero(
        w.partial & (w.known_chars >= 4) & (2 * w.known_chars >= w.serial_length)
    )
    full = np.flatnonzero(~w.partial)
    if not len(part) or not len(full):
        return empty
    width = int(max(w.serial_length[part].max(), 1))
    pmat, plen, wild = _pattern_matrix(w, part, width)
    weights = _weights(width)
    mask_bits = pd.DataFrame(np.packbits(wild, axis=1).astype(np.int64))
    mask_bits["len"] = plen
    mask_id = mask_bits.groupby(list(mask_bits.columns), sort=False).ngroup().to_numpy()
    full_len = w.serial_length[full]
    f_by_len = pd.Series(np.arange(len(full))).groupby(full_len).indices
    out_p, out_f = [], []
    masks = pd.DataFrame({"mask": mask_id, "len": plen}).drop_duplicates("mask")
    for size, group in masks.groupby("len"):
        frow = f_by_len.get(int(size))
        if frow is None:
            continue
        # distinct full serials of this length, hashed column by column once
        codes, first = np.unique(w.serial_code[full[frow]], return_index=True)
        fmat, _, _ = _pattern_matrix(w, full[frow[first]], width)
        fweighted = fmat.astype(np.uint64) * weights
        for m in group["mask"].to_numpy():
            prow = np.flatnonzero(mask_id == m)
            known = ~wild[prow[0]]
            pk = (pmat[prow].astype(np.uint64) * weights)[:, known].sum(axis=1)
            fk = fweighted[:, known].sum(axis=1)
            hit = pd.DataFrame({"k": _mix(pk), "p": part[prow]}).merge(
                pd.DataFrame({"k": _mix(fk), "s": codes}), on="k"
            )
            out_p.append(hit["p"].to_numpy(np.int64))
            out_f.append(hit["s"].to_numpy(np.int64))
    if not out_p:
        return empty
    p = np.concatenate(out_p)
    # from matching serials back to the full records that carry them
    hits = pd.DataFrame({"p": p, "s": np.concatenate(out_f)})
    rows = pd.DataFrame({"s": w.serial_code[full], "f": full})
    rows = rows[rows.groupby("s").cumcount() < max_candidates]
    hits = hits.merge(rows, on="s")
    p = hits["p"].to_numpy(np.int64)
    f = hits["f"].to_numpy(np.int64)
    ok = w.compatible(p, f)
    p, f = p[ok], f[ok]
    fits = pd.DataFrame({"p": p, "s": w.serial_code[f]}).groupby("p")["s"].nunique()
    n_cand = fits.reindex(p).to_numpy(np.int64)
    keep = n_cand <= max_candidates
    p, f, n_cand = p[keep], f[keep], n_cand[keep]
    return pd.DataFrame(
        {
            "a": np.minimum(p, f),
            "b": np.maximum(p, f),
            "n": n_cand,
            "overlap": w.known_chars[p],
        }
    )


def _partial_partial_pairs(w: _Weapons, max_candidates: int) -> pd.DataFrame:
    """Two partial serials that agree wherever both are readable.

    Compared within blocks of one length, make and country (patterns of
    unknown make or country against every pattern of that length); pairs need
    at least three characters readable in both. Nothing compares all pairs:
    for each two wildcard masks of one length, the patterns are hashed on the
    positions readable in both masks and joined on that hash, and each match
    is then checked character by character.
    """
    columns = ("a", "b", "n", "overlap")
    empty = pd.DataFrame({c: np.empty(0, np.int64) for c in columns})
    part = np.flatnonzero(w.partial & (w.known_chars >= 3))
    if len(part) < 2:
        return empty
    width = int(w.serial_length[part].max())
    mat, length, wild = _pattern_matrix(w, part, width)
    weighted = mat.astype(np.uint64) * _weights(width)
    # blocks: one make and one country; a pattern whose make or country is
    # unknown is compared with every pattern of its length
    block = (
        w.make_code[part] * (int(w.country_code.max(initial=0)) + 2)
        + (w.country_code[part])
    )
    open_ = (w.make_code[part] < 0) | (w.country_code[part] < 0)
    masks = pd.DataFrame(np.packbits(wild, axis=1).astype(np.int64))
    masks["len"] = length
    mask_id = masks.groupby(list(masks.columns), sort=False).ngroup().to_numpy()
    members = pd.Series(np.arange(len(part))).groupby(mask_id).indices
    first = {m: idx[0] for m, idx in members.items()}
    out_a, out_b, out_o = [], [], []
    for ma in members:
        for mb in members:
            if mb < ma or length[first[ma]] != length[first[mb]]:
                continue
            inside = np.arange(width) < length[first[ma]]
            readable = inside & ~wild[first[ma]] & ~wild[first[mb]]
            overlap = int(readable.sum())
            if overlap < 3:
                continue
            left, right = members[ma], members[mb]
            hit = pd.DataFrame(
                {"k": _mix(weighted[left][:, readable].sum(axis=1)), "a": left}
            ).merge(
                pd.DataFrame(
                    {"k": _mix(weighted[right][:, readable].sum(axis=1)), "b": right}
                ),
                on="k",
            )
            a, b = hit["a"].to_numpy(np.int64), hit["b"].to_numpy(np.int64)
            keep = (a != b) & ((block[a] == block[b]) | open_[a] | open_[b])
            a, b = a[keep], b[keep]
            agree = (mat[a][:, readable] == mat[b][:, readable]).all(axis=1)
            out_a.append(a[agree])
            out_b.append(b[agree])
            out_o.append(np.full(int(agree.sum()), overlap, dtype=np.int64))
    if not out_a:
        return empty
    a = part[np.concatenate(out_a)]
    b = part[np.concatenate(out_b)]
    pairs = pd.DataFrame(
        {"a": np.minimum(a, b), "b": np.maximum(a, b), "overlap": np.concatenate(out_o)}
    ).drop_duplicates(["a", "b"])
    pairs = pairs.sort_values(["a", "b"], kind="stable")
    pairs = pairs[w.compatible(pairs["a"].to_numpy(), pairs["b"].to_numpy())]
    degree = pd.concat([pairs["a"], pairs["b"]]).value_counts()
    pairs["n"] = np.maximum(
        degree.reindex(pairs["a"]).to_numpy(), degree.reindex(pairs["b"]).to_numpy()
    )
    pairs = pairs[pairs["n"] <= max_candidates]
    return pairs[list(columns)].reset_index(drop=True)


def _numeric_gap(
    ma: np.ndarray, mb: np.ndarray, length: np.ndarray, edit: np.ndarray
) -> np.ndarray:
    """How far apart two serials of one length are as numbers.

    Only when everything from the first differing character to the end is
    digits in both (``AB1234`` vs ``AB1284``: 50; ``AB1234`` vs ``AB1243``: 9);
    otherwise a large number.
    """
    far = np.int64(1 << 40)
    out = np.full(len(ma), far, dtype=np.int64)
    if not len(ma):
        return out
    width = ma.shape[1]
    cols = np.arange(width)
    pos = np.argmax(ma != mb, axis=1)
    tail = (cols >= pos[:, None]) & (cols < length[:, None])
    digit_a = (ma >= 48) & (ma <= 57)
    digit_b = (mb >= 48) & (mb <= 57)
    ok = (edit != _EDIT_INDEL) & ~(tail & ~(digit_a & digit_b)).any(axis=1)
    ok &= (length - pos) <= 15
    power = np.where(tail, _POW10[np.clip(length[:, None] - 1 - cols, 0, 15)], 0)
    diff = ma.astype(np.int64) - mb.astype(np.int64)
    out[ok] = np.abs((diff * power).sum(axis=1))[ok]
    return out


_POW10 = 10 ** np.arange(16, dtype=np.int64)


def _weapon_candidates(w: _Weapons, max_group: int) -> pd.DataFrame:
    """Every candidate pair with the evidence on its serial."""
    columns = ("a", "b", "edit", "n", "gap", "overlap", "dens")
    frames = []
    a, b = _exact_pairs(w, max_group)
    frames.append(pd.DataFrame({"a": a, "b": b, "edit": _EXACT, "n": 1}))
    fuzzy = _fuzzy_pairs(w, max_group)
    if len(fuzzy):
        # ambiguity: distinct serials one edit of the same kind away from a record
        edit = fuzzy["edit"].to_numpy()
        ends = pd.DataFrame(
            {
                "row": np.concatenate([fuzzy["a"], fuzzy["b"]]),
                "edit": np.concatenate([edit, edit]),
                "other": np.concatenate(
                    [w.serial_code[fuzzy["b"]], w.serial_code[fuzzy["a"]]]
                ),
            }
        ).drop_duplicates()
        degree = ends.groupby(["row", "edit"]).size()
        fuzzy["n"] = np.maximum(
            degree.reindex(pd.MultiIndex.from_arrays([fuzzy["a"], edit])).to_numpy(),
            degree.reindex(pd.MultiIndex.from_arrays([fuzzy["b"], edit])).to_numpy(),
        )
        # density: distinct serials one edit of any kind away (batch neighbourhoods)
        dens = ends.drop_duplicates(["row", "other"])["row"].value_counts()
        fuzzy["dens"] = np.maximum(
            dens.reindex(fuzzy["a"]).to_numpy(), dens.reindex(fuzzy["b"]).to_numpy()
        )
    frames.append(fuzzy)
    frames.append(_partial_full_pairs(w, max_group).assign(edit=_PARTIAL))
    frames.append(_partial_partial_pairs(w, max_group).assign(edit=_PARTIAL_BOTH))
    pairs = pd.concat(frames, ignore_index=True)
    for col in columns:
        if col not in pairs.columns:
            pairs[col] = 0
    pairs = pairs[list(columns)].fillna({"gap": _FAR, "overlap": 0, "n": 1, "dens": 1})
    pairs = pairs.astype("int64").drop_duplicates(["a", "b"], keep="first")
    return pairs.reset_index(drop=True)
