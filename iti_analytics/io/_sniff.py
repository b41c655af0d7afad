"""Recognise a file: format by magic bytes, text encoding, delimiter, header row."""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import re
import sys
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from ..exceptions import EmptyFileError, EncodingDetectionError, FileFormatError
from ..mapping import match_header

__all__ = [
    "detect_format",
    "decode_text",
    "sniff_delimiter",
    "find_header",
    "DELIMITERS",
]

#: delimiters tried when sniffing, in order of preference on ties.
DELIMITERS = (",", ";", "\t", "|")
_TEXT_EXT = {".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ""}
_JSON_EXT = {".json", ".jsonl", ".ndjson", ".geojson"}
_EXCEL_EXT = {".xlsx", ".xlsm"}
_BOM8 = codecs.BOM_UTF8
_CONTROL = bytes(set(range(32)) - {9, 10, 11, 12, 13, 26, 27})
_NONBLANK = re.compile(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]")
_CONTENT = re.compile(rb"[^ \t\r\n\xef\xbb\xbf]")


def detect_format(data: bytes | mmap.mmap, path: Path | None, name: str) -> str:
    """Return ``csv``, ``json``, ``xlsx``, ``parquet``, ``gzip`` or ``sqlite``.

    Content wins over the extension: magic bytes identify PDFs, ZIP-based
    workbooks, Parquet and binary files whatever the file is called. ``data``
    may be a file mapped into memory (only slices and searches are used).

    Examples
    --------
    >>> detect_format(b"a;b\\n1;2\\n", None, "x")
    'csv'
    >>> detect_format(b"%PDF-1.7 ...", None, "'scan.csv'")
    Traceback (most recent call last):
    ...
    iti_analytics.exceptions.FileFormatError: 'scan.csv' is a PDF document, ...
    """
    ext = path.suffix.lower() if path is not None else ""
    head = data[:8]
    if _NONBLANK.search(data) is None:
        raise EmptyFileError(
            f"{name} is empty (nothing but blank lines, or no bytes at all). Check "
            "that the export finished, or pick the right file."
        )
    if head.startswith(b"%PDF"):
        raise FileFormatError(
            f"{name} is a PDF document, not a table. Export the table from its "
            "source as CSV or XLSX (or copy it into a spreadsheet) and load that."
        )
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(
            f"{name} is a legacy Office file (.xls or an encrypted workbook), which "
            "cannot be read. Open it in a spreadsheet and save it as .xlsx or CSV, "
            "without a password."
        )
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if data[:16].startswith(b"SQLite format 3"):
        return "sqlite"
    if ext in (".parquet", ".pq") or ext in _EXCEL_EXT:
        kind = "Parquet" if ext in (".parquet", ".pq") else "Excel workbook"
        if _looks_binary(data):
            raise FileFormatError(
                f"{name} is named like a {kind} but its content is not one (the "
                "file is damaged or has the wrong extension). Re-export it."
            )
    _check_text(data, name)
    start = _CONTENT.search(data)  # the first byte after a BOM and blanks
    first = data[start.start() : start.start() + 1] if start else b""
    if ext in _JSON_EXT or first in (b"[", b"{"):
        return "json"
    return "csv"


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > max(8, len(sample) // 100)


def _check_text(data: bytes, name: str) -> None:
    if _looks_binary(data):
        raise FileFormatError(
            f"{name} is a binary file, not a text table (it holds NUL or control "
            "bytes). Load a CSV, TSV, XLSX, JSON or Parquet export instead."
        )


# --------------------------------------------------------------------------------
# Encodings
#
# Why a strict-decode cascade and not charset-normalizer: the issue names exactly
# three encodings (UTF-8, UTF-8 with BOM, cp1252/Latin-1). Strict UTF-8 decoding
# almost never succeeds on cp1252 text that has accented letters, so trying UTF-8
# first and then cp1252 is exact for these three, deterministic, and runs at C
# speed on hundreds of megabytes. charset-normalizer samples the file, is much
# slower on large files, and may answer with exotic code pages (cp1250, mac_roman,
# ...) for short Portuguese or French texts. The cascade also handles files with
# *mixed* encodings (lines appended by different tools): valid UTF-8 stays UTF-8
# and only the invalid bytes are read as cp1252.
# --------------------------------------------------------------------------------


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as cp1252 (else Latin-1)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    chars = []
    for b in bad:
        try:
            chars.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return "".join(chars), err.end


codecs.register_error("iti_cp1252_fallback", _cp1252_fallback)


def _latin1_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the five bytes cp1252 leaves undefined, read as Latin-1."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    return "".join(chr(b) for b in err.object[err.start : err.end]), err.end


codecs.register_error("iti_latin1_fallback", _latin1_fallback)


def decode_text(
    data: bytes, name: str, encoding: str | None = None
) -> tuple[str, str, list[str]]:
    """Decode ``data`` → (text, encoding label, notes).

    With ``encoding`` given, decode strictly with it. Otherwise: BOM (UTF-8,
    UTF-16 or UTF-32), then strict UTF-8, then mixed UTF-8 + cp1252, then
    cp1252 with its five undefined bytes read as Latin-1 (never fails).

    Examples
    --------
    >>> decode_text("Côte".encode("cp1252"), "x")[:2]
    ('Côte', 'cp1252')
    >>> decode_text("Côte\\n".encode() + "Tchécoslovaquie".encode("cp1252"), "x")[1]
    'utf-8+cp1252'
    """
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
            if not getattr(info, "_is_text_encoding", True):  # rot13, zlib, base64…
                raise LookupError(f"{encoding!r} is not a text encoding")
            codec = info.name
        except LookupError as err:
            raise EncodingDetectionError(
                f"Unknown or non-text encoding {encoding!r} given for {name}. Use "
                "a Python codec name such as 'utf-8', 'utf-8-sig', 'cp1252' or "
                "'latin-1', or encoding=None to detect it."
            ) from err
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            raise EncodingDetectionError(
                f"{name} cannot be decoded as {encoding!r} (byte "
                f"0x{data[err.start]:02x} at offset {err.start}). Pass the right "
                "encoding= (often 'cp1252' or 'utf-8'), or encoding=None to detect it."
            ) from err
        if codec in ("utf-8", "utf-16", "utf-32") and text.startswith("\ufeff"):
            text = text[1:]
        return text, codec, []
    for bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        if data.startswith(bom):
            try:
                return data.decode("utf-32").lstrip("\ufeff"), "utf-32", []
            except UnicodeDecodeError as err:
                raise EncodingDetectionError(
                    f"{name} starts with a UTF-32 byte-order mark but is not valid "
                    f"UTF-32 (offset {err.start}). Re-save it as UTF-8."
                ) from err
    for bom, codec in (
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF32_LE):
            try:
                return data.decode(codec).lstrip("\ufeff"), codec, []
            except UnicodeDecodeError as err:
                raise EncodingDetectionError(
                    f"{name} starts with a UTF-16 byte-order mark but is not valid "
                    f"UTF-16 (offset {err.start}). Re-save it as UTF-8."
                ) from err
    label = "utf-8"
    if data.startswith(_BOM8):
        data, label = data[len(_BOM8) :], "utf-8-sig"
    try:
        return data.decode("utf-8"), label, []
    except UnicodeDecodeError as err:
        first_bad = err.start
    # how much of the non-ASCII text is valid UTF-8? (C-speed passes only)
    lenient = data.decode("utf-8", errors="replace")
    n_bad = lenient.count("\ufffd")
    n_seq = len(lenient) - len(lenient.encode("ascii", "ignore")) - n_bad
    del lenient
    if label == "utf-8-sig" or (n_seq > 0 and n_seq >= 0.05 * n_bad):
        text = data.decode("utf-8", errors="iti_cp1252_fallback")
        note = (
            f"{name} mixes encodings: mostly UTF-8, but some bytes (first at offset "
            f"{first_bad}) are not, and were read as cp1252. Check accented "
            "letters in those rows."
        )
        return text, "utf-8+cp1252", [note]
    try:
        return data.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError as err:
        first_bad = err.start
    note = (
        f"{name} was read as cp1252, but some bytes (first 0x{data[first_bad]:02x} "
        f"at offset {first_bad}) are not defined in cp1252 and were read as "
        "Latin-1 control characters. If accented letters look wrong, pass the "
        "file's encoding (e.g. encoding='mac_roman' or 'cp850')."
    )
    return data.decode("cp1252", errors="iti_latin1_fallback"), "cp1252+latin-1", [note]


# --------------------------------------------------------------------------------
# Delimiter and header row
# --------------------------------------------------------------------------------


def _records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return list(islice(reader, limit))
    except csv.Error:
        return []
    finally:
        csv.field_size_limit(old)


def _header_score(row: Sequence[Any], table: str) -> int:
    return sum(
        1
        for c in row[:300]
        if isinstance(c, str) and c.strip() and match_header(c, table, fuzzy=False)
    )


def sniff_delimiter(text: str, table: str = "items", ext: str = "") -> str:
    """The delimiter among ``, ; TAB |`` that best splits the start of a file.

    For each candidate the text is parsed as CSV (quotes honoured). The winner
    has the header with the most known column names; ties go to the delimiter
    giving the most rows as wide as the header, then the widest header.

    Examples
    --------
    >>> sniff_delimiter("Marque;Calibre;Pays\\nFN;7,62;Mali\\nAK;7,62x39;Niger\\n")
    ';'
    >>> sniff_delimiter("a|b|c\\n1|2|3\\n")
    '|'
    >>> sniff_delimiter("only one column\\nvalue\\n")
    ','
    """
    default = "\t" if ext in (".tsv", ".tab") else ","
    best, best_key = default, None
    for d in DELIMITERS:
        if d not in text:
            continue
        recs = _records(text, d, 200)
        if not recs:
            continue
        h = find_header(recs, table)
        width = len(recs[h])
        body = [len(r) for r in recs[h + 1 :] if any(c.strip() for c in r)]
        consistency = sum(n == width for n in body) / len(body) if body else 1.0
        key = (
            _header_score(recs[h], table),
            width > 1,
            round(consistency, 2),
            width,
            d == default,
        )
        if best_key is None or key > best_key:
            best, best_key = d, key
    return best


def _is_blank(cell: Any) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and cell != cell:
        return True
    return isinstance(cell, str) and not cell.strip()


def find_header(rows: Sequence[Sequence[Any]], table: str, limit: int = 30) -> int:
    """Index of the header among the first ``limit`` rows (title rows skipped).

    Each candidate row is scored by how many of its cells are known header
    synonyms; the best row wins (the earliest on ties). When no row matches
    any synonym, the first row as wide as the table is taken.

    Examples
    --------
    >>> rows = [["Saisies 2023"], [], ["Marque", "Calibre", "x"], ["AK", "7.62", 1]]
    >>> find_header(rows, "items")
    2
    """
    best, best_score = None, 0
    widths: list[tuple[int, int]] = []
    for i, row in enumerate(rows[:limit]):
        cells = [c for c in row if not _is_blank(c)]
        if not cells:
            continue
        widths.append((i, len(cells)))
        score = _header_score(cells, table)
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    if not widths:
        return 0
    widest = max(w for _, w in widths)
    return next(i for i, w in widths if w * 2 >= widest)
