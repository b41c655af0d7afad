"""Serial numbers and their status."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import series_array
from .._text import strip_accents
from ..reference import load_reference
from ._text import as_text
from ._weapon_common import _decode, _encode, _series

# --------------------------------------------------------------------------- serial

#: Cyrillic and Greek capitals that look like Latin ones, and Arabic-Indic and
#: Persian (Extended Arabic-Indic) digits: a serial stamped "АК1234" and
#: transcribed with Cyrillic letters, or written in Arabic-Indic digits by one
#: agency and in ASCII by another, is the same weapon
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("АВЕЅІЈКМНОРСТХУ", "ABESIJKMHOPCTXY", strict=True)),
        **dict(zip("авеѕіјкмнорстху", "ABESIJKMHOPCTXY", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_LOOKALIKE_CHARS = "".join(chr(c) for c in _LOOKALIKES)
#: serials that only say "no number": all zeros ("0", "000", "0000000")
_PLACEHOLDER = r"^0+$"


def fold_serial_script(text: str) -> str:
    """Latin look-alikes for Cyrillic/Greek letters, ASCII for Arabic-Indic digits.

    Only text with at least one digit is folded, so words ("нет номера") keep
    their letters.

    Examples
    --------
    >>> fold_serial_script("АК١٢٣٤"), fold_serial_script("۱۳۸۵ТС")
    ('AK1234', '1385TC')
    """
    folded = text.translate(_LOOKALIKES)
    return folded if any(c.isdigit() for c in folded) else text


def _fold_scripts(arr: pa.Array) -> pa.Array:
    """:func:`fold_serial_script` on the cells holding a look-alike character."""
    # look-alikes are not ASCII: test only the other cells
    rows = np.flatnonzero(
        ~pc.fill_null(pc.string_is_ascii(arr), True).to_numpy(zero_copy_only=False)
    )
    if not len(rows):
        return arr
    hit = pc.match_substring_regex(arr.take(pa.array(rows)), f"[{_LOOKALIKE_CHARS}]")
    rows = rows[pc.fill_null(hit, False).to_numpy(zero_copy_only=False)]
    if not len(rows):
        return arr
    folded = [fold_serial_script(t) for t in arr.take(pa.array(rows)).to_pylist()]
    return _replace_rows(arr, rows, pa.array(folded, type=arr.type))


_ACCENTS = {
    "A": "AÀÁÂÃÄ",
    "E": "EÉÈÊË",
    "I": "IÍÌÎÏ",
    "O": "OÓÒÔÕÖ",
    "U": "UÚÙÛÜ",
    "C": "CÇ",
    "N": "NÑ",
}
_SEPARATORS = r"[\s\-./_,:;#'\"()\[\]\\|°º]+"
_PLAIN_SERIAL = r"^[A-Z0-9]*[0-9][A-Z0-9]*$"
_SERIAL_THEN_COMMENT = r"^([^;,(]*\d[^;,(]*)[;,(].*$"
_SEVERAL_SERIALS = r"^[^;,(]*\d[^;,(]*[;,]\s*[\p{L}]{0,3}[\s\-./]*\d"
_LABEL_PREFIX = (
    r"^(?:S/N|N[°º]|(?:SN|NO|NUM|N[UÚ]M[EÉ]RO|SERIAL(?: NO| NUMBER)?|S[EÉ]RIE)"
    r"(?:[.:#]|\s))[\s.:#]*"
)


def _term_pattern(term: str) -> str:
    plain = strip_accents(term.upper())
    out = []
    for ch in plain:
        if ch in _ACCENTS:
            out.append(f"[{_ACCENTS[ch]}]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=1)
def _serial_patterns() -> dict[str, str]:
    """RE2 patterns from ``serial_terms.csv``: per status, words and whole values."""
    ref = load_reference("serial_terms")
    edge = r"[^\p{L}\p{N}?*]"

    def alternation(terms) -> str:
        terms = sorted(terms, key=len, reverse=True)
        return "|".join(_term_pattern(t) for t in terms)

    pats = {}
    for status, group in ref.groupby("status"):
        words = group.loc[group["match"] == "word", "term"]
        whole = group.loc[group["match"] == "whole", "term"]
        parts = []
        if len(words):
            parts.append(rf"(?:^|{edge})(?:{alternation(words)})(?:$|{edge})")
        if len(whole):
            parts.append(rf"^{edge}*(?:{alternation(whole)}){edge}*$")
        pats[status] = "|".join(parts) or "^$"
    for status in ("obliterated", "partial", "absent", "unknown", "filler"):
        pats.setdefault(status, "^$")
    words = ref.loc[ref["match"] == "word", "term"]
    pats["any_word"] = rf"(?:^|{edge})(?:{alternation(words)})(?:$|{edge})"
    return pats


def _serial_text(values: pd.Series) -> pa.Array:
    """Serials as an Arrow string array; numbers from Excel lose their ``.0``."""
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    ):
        text = values.astype("Int64").astype("string")
    elif pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna()
        if (whole == np.floor(whole)).all() and (whole.abs() < 2**53).all():
            text = values.astype("Int64").astype("string")
        else:
            text = as_text(values.astype(object).reset_index(drop=True))
    elif isinstance(values.dtype, pd.StringDtype) or pd.api.types.infer_dtype(
        values, skipna=True
    ) in ("string", "empty"):
        text = values.astype("string")
    else:
        text = as_text(values.astype(object).reset_index(drop=True))
    return series_array(text).cast(pa.large_string())


def _replace_rows(arr: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``arr`` with the positions ``rows`` (sorted) replaced by ``values``."""
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(arr, pa.array(mask), values)


def _serial_candidates(
    text: pa.Array, pats: dict[str, str], problem_vocab: dict[str, int]
) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """Status codes, serials and problem codes of the cells that are not plain.

    ``text`` holds the trimmed cells with separators, words, wildcards or
    masks. Word look-ups run only on the cells that contain one of the terms.
    """
    up = pc.utf8_upper(text)
    m = len(up)

    def has(arr: pa.Array, pattern: str) -> np.ndarray:
        hit = pc.match_substring_regex(arr, pattern)
        return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)

    rest = pc.replace_substring_regex(up, _LABEL_PREFIX, "")
    # "00849N (na face inferior)", "058, encontrado na base do cano": the number
    # comes first and a comment follows; "21345; 713483" holds two numbers
    several = np.zeros(m, dtype=bool)
    commented = np.flatnonzero(has(rest, r"[;,(]"))
    if len(commented):
        part = rest.take(pa.array(commented))
        several[commented] = has(part, _SEVERAL_SERIALS)
        part = pc.replace_substring_regex(part, _SERIAL_THEN_COMMENT, r"\1")
        rest = _replace_rows(rest, commented, part)
    # one pattern per status: RE2 is much slower on their union
    flags = {
        k: has(up, pats[k]) for k in ("obliterated", "partial", "absent", "unknown")
    }
    termy = np.flatnonzero(np.logical_or.reduce(list(flags.values())))
    if len(termy):
        stripped = pc.replace_substring_regex(
            rest.take(pa.array(termy)), pats["any_word"], " "
        )
        stripped = pc.replace_substring_regex(stripped, pats["any_word"], " ")
        rest = _replace_rows(rest, termy, stripped)
    rest = pc.replace_substring(
        pc.replace_substring_regex(rest, _SEPARATORS, ""), "*", "?"
    )
    empty = pc.utf8_length(rest).to_numpy(zero_copy_only=False) == 0
    digits = has(rest, r"\d")
    masked = has(up, r"^[X*#?]{3,}$")
    wildcard = has(up, r"[?*]") & has(rest, r"[\p{L}\p{N}]")
    no_chars = ~has(up, r"[\p{L}\p{N}]")
    prose = ~has(up, r"\d") & has(up, r"\p{L}{2,}[^\p{L}\p{N}]+\p{L}{2,}")
    prose &= ~flags["obliterated"] & ~flags["partial"] & ~flags["absent"]
    prose &= ~flags["unknown"]
    # 0 intact, 1 partial, 2 obliterated, 3 absent, 4 unknown; later rules win
    status = np.where(empty, 4, 0).astype(np.int8)
    status[wildcard & ~empty] = 1
    status[prose] = 4
    status[(flags["unknown"] | no_chars) & ~digits] = 4
    status[flags["obliterated"] & ~digits] = 2
    status[flags["obliterated"] & digits] = 1
    status[flags["partial"]] = 1
    status[masked] = 2
    status[flags["absent"]] = 3
    keep = ((status == 0) | ((status == 1) & (digits | wildcard))) & ~empty
    serial = pc.if_else(pa.array(keep), rest, pa.scalar(None, pa.large_string()))
    problems = np.full(m, -1, dtype=np.int32)
    several &= keep
    if several.any():
        texts = text.filter(pa.array(several)).to_pylist()
        kept = serial.filter(pa.array(several)).to_pylist()
        problems[several] = _encode(
            (
                f"several serial numbers in '{t}': the first, {k}, is kept"
                for t, k in zip(texts, kept, strict=True)
            ),
            problem_vocab,
        )
    if prose.any():
        texts = text.filter(pa.array(prose)).to_pylist()
        problems[prose] = _encode(
            (f"serial '{t}' is text, not a serial number" for t in texts), problem_vocab
        )
    return status, serial, problems


@lru_cache(maxsize=1)
def _terms_without_digits() -> bool:
    return not load_reference("serial_terms")["term"].str.contains(r"\d").any()


def _plain_serial(up: pa.Array) -> pa.Array:
    """Upper-cased cells without separators, ``*`` as ``?``."""
    return pc.replace_substring(
        pc.replace_substring_regex(up, _SEPARATORS, ""), "*", "?"
    )


#: byte table: the ASCII characters of ``_SEPARATORS`` (RE2's ``\s`` is
#: ``[\t\n\f\r ]``)
_SEPARATOR = np.zeros(256, dtype=bool)
_SEPARATOR[list(b" \t\n\f\r-./_,:;#'\"()[]\\|")] = True


def _utf8_bytes(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (from 0) and UTF-8 bytes of a string array without nulls."""
    arr = arr.cast(pa.large_string())
    _, offsets, data = arr.buffers()
    off = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(data, dtype=np.uint8)[off[0] : off[-1]]
    return off - off[0], data


def _from_bytes(off: np.ndarray, data: np.ndarray, keep: np.ndarray) -> pa.Array:
    """The strings of ``data`` without the bytes where ``keep`` is false."""
    n_dropped = len(keep) - int(np.count_nonzero(keep))
    if n_dropped * 8 <= len(keep):  # few: the new offsets count them
        dropped = np.flatnonzero(~keep)
        ends = off - np.searchsorted(dropped, off)
    else:  # many (the digits of shapes): the kept bytes of each string
        kept = np.add.reduceat(
            keep, np.minimum(off[:-1], len(keep) - 1), dtype=np.int64
        )
        kept[off[1:] == off[:-1]] = 0  # reduceat gives an empty string one byte
        ends = np.empty(len(off), dtype=np.int64)
        ends[0] = 0
        np.cumsum(kept, out=ends[1:])
    return pa.LargeStringArray.from_buffers(
        len(off) - 1, pa.py_buffer(ends), pa.py_buffer(data[keep])
    )


def _digits(data: np.ndarray) -> np.ndarray:
    """Where ``data`` holds an ASCII digit (arithmetic: a table look-up costs
    ten times more on millions of bytes)."""
    return np.less(data - np.uint8(48), np.uint8(10))


def _shapes(arr: pa.Array) -> pa.Array:
    """Each run of ASCII digits as ``1`` ("AB-1234567" → "AB-1"), on the bytes."""
    off, data = _utf8_bytes(arr)
    digit = _digits(data)
    keep = np.ones(len(data), dtype=bool)
    np.logical_not(digit[1:] & digit[:-1], out=keep[1:])
    starts = off[:-1]
    keep[starts[starts < len(data)]] = True
    # digits as "1": data - (data - 49) where a digit, in uint8 arithmetic
    shaped = data - digit.view(np.uint8) * (data - np.uint8(49))
    return _from_bytes(off, shaped, keep)


def _plain_ascii(arr: pa.Array) -> pa.Array:
    """:func:`_plain_serial` of ``utf8_upper`` for ASCII cells, on the bytes."""
    off, data = _utf8_bytes(arr)
    lower = np.less(data - np.uint8(97), np.uint8(26))
    upper = data - lower.view(np.uint8) * np.uint8(32)
    upper[data == 42] = 63  # "*" as "?"
    return _from_bytes(off, upper, ~_SEPARATOR[data])


def _read_by_shape(
    text: pa.Array, pats: dict[str, str], problem_vocab: dict[str, int]
) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """:func:`_serial_candidates`, read once per shape of the cells.

    A shape is the cell with each run of ASCII digits as ``1`` ("AB-1234567"
    and "KC-00912833" share "AB-1", "KC-1"): the rules look at letters,
    words, separators and whether there are digits, never at which digits or
    how many. The ASCII cells whose shape reads as an intact serial made of
    the cell itself without its separators (most of them) get exactly that;
    the others (words, labels, comments, wildcards, other scripts) are read
    once per distinct cell.
    """
    if not _terms_without_digits() or text.null_count:
        return _distinct_candidates(text, pats, problem_vocab)
    encoded = pc.dictionary_encode(_shapes(text))
    shapes = encoded.dictionary
    if len(shapes) == len(text):
        return _distinct_candidates(text, pats, problem_vocab)
    status, serial, problems = _serial_candidates(shapes, pats, {})
    same = pc.fill_null(pc.equal(serial, _plain_serial(pc.utf8_upper(shapes))), False)
    simple = (status == 0) & (problems == -1) & same.to_numpy(zero_copy_only=False)
    simple &= pc.string_is_ascii(shapes).to_numpy(zero_copy_only=False)
    slow = np.flatnonzero(~simple[encoded.indices.to_numpy(zero_copy_only=False)])
    status = np.zeros(len(text), dtype=np.int8)
    problems = np.full(len(text), -1, dtype=np.int32)
    serial = _plain_ascii(text)
    if len(slow):
        sub_status, sub_serial, sub_problems = _distinct_candidates(
            text.take(pa.array(slow)), pats, problem_vocab
        )
        status[slow] = sub_status
        problems[slow] = sub_problems
        serial = _replace_rows(serial, slow, sub_serial)
    return status, serial, problems


def _distinct_candidates(
    text: pa.Array, pats: dict[str, str], problem_vocab: dict[str, int]
) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """:func:`_serial_candidates` once per distinct cell ("ELIMINADO", "S/N" repeat)."""
    encoded = pc.dictionary_encode(text)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    status, serial, problems = _serial_candidates(
        encoded.dictionary, pats, problem_vocab
    )
    return status[codes], serial.take(encoded.indices), problems[codes]


def normalize_serial(values: Any) -> tuple[pd.DataFrame, pd.Series]:
    """Clean serials; say whether they are intact, partial, obliterated or absent.

    Serials are upper-cased and stripped of separators (spaces, dashes, dots,
    slashes) and of labels ("S/N:", "N°"). Words for obliterated numbers
    ("effacé", "limé", "raspado", "ilegível", "filed off"), masks ("XXXX",
    "****"), partial numbers ("parcial", "12??56" with ``?`` wildcards) and
    absent numbers ("sans numéro", "sem número", "sin número", "S/N", "none")
    in English, French, Spanish and Portuguese set ``serial_status``; an empty
    cell or an explicit unknown is ``unknown``. A serial of zeros only ("0",
    "000", "0000000") is a placeholder: null, ``absent``, with a problem.
    Cyrillic and Greek look-alike letters and Arabic-Indic or Persian digits
    are read as their Latin and ASCII twins ("АК١٢٣" → ``AK123``), so the same
    weapon matches across agencies. A partial serial keeps its
    readable characters with ``?`` for the missing ones. Vectorised with Arrow
    string kernels: only cells that are not plain letters-and-digits get the
    full treatment.

    Parameters
    ----------
    values : Series or sequence
        Raw serial numbers.

    Returns
    -------
    frame : DataFrame
        Columns ``serial``, ``serial_status`` and ``problems`` (strings, same
        index as ``values``).
    problems : Series of string
        The ``problems`` column again, so that the function unpacks like the
        other normalisers (``frame, problems = normalize_serial(s)``).

    Examples
    --------
    >>> out, problems = normalize_serial(
    ...     ["ab-123 456", "Effacé", "12??56", "sans numéro", None,
    ...                         "XXXX", "RASPADO PARCIAL 4471", "S/N: 99 01",
    ...                         "0000000", "АК١٢٣"])
    >>> out["serial"].tolist()
    ['AB123456', <NA>, '12??56', <NA>, <NA>, <NA>, '4471', '9901', <NA>, 'AK123']
    >>> out["serial_status"].tolist()
    ['intact', 'obliterated', 'partial', 'absent', 'unknown', 'obliterated', 'partial',
     'intact', 'absent', 'intact']
    >>> problems[8]
    "placeholder serial '0000000' is not a serial number: read as absent"
    """
    values = _series(values, "values")
    pats = _serial_patterns()
    raw = _serial_text(values)
    n = len(raw)
    # status codes: 0 intact, 1 partial, 2 obliterated, 3 absent, 4 unknown
    statuses = ["intact", "partial", "obliterated", "absent", "unknown"]
    # the bulk: plain ASCII letters and digits, with at least one digit
    plain = pc.and_(pc.ascii_is_alnum(raw), pc.invert(pc.ascii_is_alpha(raw)))
    plain_np = pc.fill_null(plain, False).to_numpy(zero_copy_only=False)
    status = np.where(plain_np, 0, 4).astype(np.int8)
    null_np = pc.is_null(raw).to_numpy(zero_copy_only=False)
    cand_idx = np.flatnonzero(~plain_np & ~null_np)
    problems = np.full(n, -1, dtype=np.int32)
    problem_vocab: dict[str, int] = {}
    if len(cand_idx) == n:  # every cell (serials written "KC-3978 4590")
        cells = _fold_scripts(pc.utf8_trim_whitespace(raw))
        status, serial, problems = _read_by_shape(cells, pats, problem_vocab)
    else:
        serial = pc.ascii_upper(raw)
    if 0 < len(cand_idx) < n:
        cells = _fold_scripts(pc.utf8_trim_whitespace(raw.take(pa.array(cand_idx))))
        sub_status, sub_serial, sub_problem = _read_by_shape(cells, pats, problem_vocab)
        status[cand_idx] = sub_status
        problems[cand_idx] = sub_problem
        serial = _replace_rows(serial, cand_idx, sub_serial)
    # "0", "000", "0000000": a clerk's filler for "no number", not a serial
    zeros = pc.fill_null(pc.starts_with(serial, "0"), False)
    zeros = zeros.to_numpy(zero_copy_only=False) & (status <= 1)
    if zeros.any():  # the regex only on the cells that start with a zero
        rows = np.flatnonzero(zeros)
        placeholder = pc.match_substring_regex(
            serial.take(pa.array(rows)), _PLACEHOLDER
        )
        zeros[rows] = pc.fill_null(placeholder, False).to_numpy(zero_copy_only=False)
    if zeros.any():
        rows = np.flatnonzero(zeros)
        texts = raw.take(pa.array(rows)).to_pylist()
        problems[rows] = _encode(
            (
                f"placeholder serial '{t.strip()}' is not a serial number: read "
                "as absent"
                for t in texts
            ),
            problem_vocab,
        )
        status[rows] = 3
        serial = _replace_rows(serial, rows, pa.nulls(len(rows), type=serial.type))
    problems = _decode(problems, problem_vocab, values.index)
    frame = pd.DataFrame(
        {
            "serial": pd.Series(
                pd.arrays.ArrowStringArray(serial), index=values.index, copy=False
            ),
            "serial_status": _decode(status.astype(np.int32), statuses, values.index),
            "problems": problems,
        },
        index=values.index,
    )
    return frame, problems
