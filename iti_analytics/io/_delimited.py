"""Read CSV, TSV and TXT: pyarrow on the happy path, the csv module otherwise."""

from __future__ import annotations

import contextlib
import csv
import io
import mmap
import sys
from collections.abc import Callable
from itertools import islice

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .._arrow import single_array
from .._parallel import in_background
from ..exceptions import FileFormatError
from ._raw import (
    RULE_CHARS,
    SEPARATOR_REASON,
    RawTable,
    is_rule,
    make_rejects,
    positional,
)
from ._sniff import decode_text, find_header, sniff_delimiter

__all__ = ["read_delimited"]

_SAMPLE = 1 << 20
#: a table may have at most this many columns (header fields, or fields on any
#: line); beyond it the file is refused before the body is parsed.
MAX_COLUMNS = 5_000
_HEADER_ROWS = 30
EXTRA = "x_extra_fields"


class _NotUTF8(Exception):
    """pyarrow found bytes that are not UTF-8 past the sample."""


def read_delimited(
    data: bytes,
    *,
    name: str,
    table: str,
    ext: str = "",
    encoding: str | None = None,
    delimiter: str | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> RawTable:
    """Read delimited text into a :class:`RawTable`.

    ``data`` is the whole file. Encoding is detected (or forced), then the
    delimiter is sniffed and the header row found on a sample; the body is
    parsed by pyarrow with every column as text. Ragged rows, over-long
    lines or unbalanced quotes send the file to the slower ``csv`` module
    fallback, which keeps every row. Blank lines and separator lines (only
    dashes, equals signs, underscores… between the delimiters: "-----",
    ";=====;") are rejects, counted in ``rows_in``. ``meanwhile`` is called
    just before pyarrow parses (one long call that releases the GIL): the loader
    starts its helper work there.
    """
    notes: list[str] = []
    text, skip, label, transcoded = _to_utf8(data, name, encoding, notes)
    try:
        return _read_utf8(
            text, name, table, ext, label, delimiter, notes, transcoded, meanwhile, skip
        )
    except _NotUTF8:
        decoded, label, more = decode_text(text[skip:], name)  # bytes
        notes.extend(more)
        return _read_utf8(
            decoded.encode("utf-8"),
            name,
            table,
            ext,
            label,
            delimiter,
            notes,
            True,
            meanwhile,
        )


def _to_utf8(
    data: bytes | mmap.mmap, name: str, encoding: str | None, notes: list[str]
) -> tuple[bytes | mmap.mmap, int, str, bool]:
    """UTF-8 bytes of the file, where its text starts (after a byte-order
    mark), the encoding label, and whether it was transcoded.

    Plain UTF-8 files are passed through untouched, a mapped file included
    (pyarrow validates them as it parses, at no extra cost); only a sample is
    checked here. Other encodings are decoded once and re-encoded as UTF-8.
    """
    if encoding is None:
        skip = 3 if data[:3] == b"\xef\xbb\xbf" else 0
        label = "utf-8-sig" if skip else "utf-8"
        if data[skip : skip + 2] not in (b"\xff\xfe", b"\xfe\xff"):
            sample = data[skip : skip + _SAMPLE]
            if len(data) - skip > _SAMPLE:
                cut = sample.rfind(b"\n")
                sample = sample[: cut if cut > 0 else len(sample) - 4]
            try:
                sample.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return data, skip, label, False
    text, label, more = decode_text(bytes(data), name, encoding)
    notes.extend(more)
    return text.encode("utf-8"), 0, label, True


def _newlines(data: bytes, start: int) -> tuple[int, bool]:
    """The ``\n`` in ``data[start:]``, and whether every aligned block of
    ``MAX_COLUMNS // 2`` bytes from ``start`` holds one (then no line is long
    enough to hold ``MAX_COLUMNS`` fields).

    One pass with numpy over 1 MB pieces, into one reused buffer: ten times
    faster than ``bytes.count`` and a ``find`` per block.
    """
    step = MAX_COLUMNS // 2
    piece = step * 400
    view = np.frombuffer(data, dtype=np.uint8)
    buffer = np.empty(min(piece, max(len(view) - start, 0)), dtype=bool)
    count, short = 0, True
    for at in range(start, len(view), piece):
        part = view[at : at + piece]
        found = np.equal(part, 10, out=buffer[: len(part)])
        count += int(np.count_nonzero(found))
        blocks = len(part) // step
        if short and blocks:
            short = bool(found[: blocks * step].reshape(blocks, step).any(axis=1).all())
    return count, short


def _check_width(
    data: bytes,
    body_start: int,
    n_headers: int,
    delimiter: str,
    name: str,
    short: bool | None = None,
) -> None:
    """Refuse a header, or any line, with more than ``MAX_COLUMNS`` fields.

    Counting delimiters is vectorised and only done on lines long enough to
    hold that many fields, so an ordinary file costs one pass over its bytes
    (``short``: that pass, :func:`_newlines`, made already).
    """
    if n_headers > MAX_COLUMNS:
        raise FileFormatError(
            f"{name} has {n_headers:,} columns in its header, more than the "
            f"{MAX_COLUMNS:,} this reader accepts. A table of records has far "
            "fewer: check the delimiter (pass delimiter=...) or that the file is "
            "a table at all."
        )
    if len(data) - body_start <= MAX_COLUMNS:
        return
    # a newline in every aligned block of MAX_COLUMNS // 2 bytes: no line is
    # long enough to hold MAX_COLUMNS fields (one find per block, no copy)
    if short is None:
        short = _newlines(data, body_start)[1]
    if short:
        return
    raw = np.frombuffer(data, dtype=np.uint8, offset=body_start)
    ends = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(raw)]))
    long_lines = np.flatnonzero(ends - starts > MAX_COLUMNS)
    code = ord(delimiter)
    for line in long_lines[:1000]:
        fields = np.count_nonzero(raw[starts[line] : ends[line]] == code) + 1
        if fields > MAX_COLUMNS:
            raise FileFormatError(
                f"{name}: data line {line + 1:,} has {fields:,} "
                f"fields separated by {delimiter!r}, more than the {MAX_COLUMNS:,} "
                "this reader accepts. The file is damaged or not a table of "
                "records; check the delimiter (pass delimiter=...)."
            )


def _record_end(data: bytes | mmap.mmap, start: int) -> int:
    """Offset just past the record starting at ``start`` (quotes may hold newlines)."""
    pos, in_quotes = start, False
    while True:
        nl = data.find(b"\n", pos)
        if nl < 0:
            return len(data)
        if data[pos:nl].count(b'"') % 2:
            in_quotes = not in_quotes
        pos = nl + 1
        if not in_quotes:
            return pos


def _read_utf8(
    data: bytes | mmap.mmap,
    name: str,
    table: str,
    ext: str,
    label: str,
    delimiter: str | None,
    notes: list[str],
    transcoded: bool,
    meanwhile: Callable[[], None] | None = None,
    skip: int = 0,
) -> RawTable:
    """Parse UTF-8 ``data`` from byte ``skip`` on (after a byte-order mark).

    ``data`` may be a file mapped into memory: only slices, searches and the
    buffer are used, so the file is never copied.
    """
    if b"\n" not in data[skip : skip + _SAMPLE] and data.find(b"\r", skip) >= 0:
        data = bytes(data).replace(b"\r", b"\n")  # classic Mac line endings
    sample = data[skip : skip + _SAMPLE]
    if len(data) - skip > _SAMPLE:
        cut = sample.rfind(b"\n")
        if cut > 0:
            sample = sample[: cut + 1]
    sample_text = sample.decode("utf-8", errors="replace")
    if delimiter is None:
        delimiter = sniff_delimiter(sample_text, table, ext)
    with _field_limit():
        reader = csv.reader(io.StringIO(sample_text, newline=""), delimiter=delimiter)
        records = list(islice(reader, _HEADER_ROWS))
    h = find_header(records, table) if records else 0
    start = skip
    for _ in range(h):
        start = _record_end(data, start)
    body_start = _record_end(data, start)
    header_bytes = data[start:body_start]
    header_text = header_bytes.decode("utf-8", errors="replace")
    with _field_limit():
        parsed = next(
            csv.reader(io.StringIO(header_text, newline=""), delimiter=delimiter), []
        )
    headers = [c.strip() for c in parsed]
    if not headers:
        headers = [""]
    newlines, short = _newlines(data, body_start)
    _check_width(data, body_start, len(headers), delimiter, name, short)
    info = {
        "format": "csv",
        "encoding": label,
        "delimiter": delimiter,
        "header_row": h + 1,
    }
    body = pa.py_buffer(data)[body_start:]
    if body.size:
        quotes = data.find(b'"', body_start) >= 0
        lines = None  # the rows there are when no quoted value holds a line break
        if quotes and data.find(b"\r", body_start) < 0:
            lines = newlines + (data[-1:] != b"\n")
        if meanwhile is not None:
            meanwhile()
        parsed = _arrow_read(
            body, len(headers), delimiter, quotes, transcoded, lines=lines
        )
    else:
        empty = {c: pa.array([], _TEXT) for c in positional(len(headers))}
        parsed = pa.table(empty), []
    if parsed is None:
        text = bytes(body).decode("utf-8", errors="iti_cp1252_fallback")
        raw = _python_read(text, headers, delimiter, notes, name)
        raw.info.update(info)
        return raw
    table, issues = parsed
    return _finish(table, headers, delimiter, info, notes, issues)


_Issue = tuple[int, str, str, str]
#: cells are read as the Arrow type of pandas' string columns (no cast later)
_TEXT = pa.large_string()
#: above this many ragged rows the csv-module path is used instead.
_MAX_RAGGED = 10_000
#: bytes of the file parsed at a time, by as many threads as there are cores
_BLOCK_BYTES = 4 << 20


def _arrow_read(
    body: pa.Buffer,
    ncols: int,
    delimiter: str,
    quotes: bool,
    transcoded: bool,
    *,
    lines: int | None = None,
) -> tuple[pa.Table, list[_Issue]] | None:
    """Parse with pyarrow, every column as text.

    Returns the table and the ragged-row issues (keyed by 1-based row number),
    or None when the csv-module fallback is needed (bad quoting, very many
    ragged rows). A first multi-threaded pass stops at the first ragged row;
    then a single-threaded pass (where pyarrow knows row numbers) sets ragged
    rows aside, and they are put back in place, padded or trimmed.

    ``lines`` (the body's ``\n`` count, when it holds no ``\r``) lets a file
    with quotes be split into blocks at any line break, as pyarrow does
    without quotes (a third less work): the table is kept only when it has
    one row per line, i.e. no quoted value held a line break (pyarrow stops
    with an error when a block boundary falls inside one).
    """
    names = positional(ncols)
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, _TEXT),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    ragged: list[tuple[int, str]] = []

    def set_aside(row) -> str:
        if row.number is None or len(ragged) >= _MAX_RAGGED:
            return "error"
        if "\n" in row.text or "\r" in row.text:
            return "error"  # a multi-line ragged record: quoting trouble
        ragged.append((row.number, row.text))
        return "skip"

    # blocks parsed on every core; each column's blocks are then put end to
    # end once (``_combine``). With the loader's memory pool (jemalloc, see
    # ``io._load``) the copy costs less than the second core gains: 0.87 s as
    # one single-threaded block against 0.46 + 0.09 s on the 200 MB messy file
    block, threads = min(body.size + 16, _BLOCK_BYTES), True
    split_anywhere = quotes and lines is not None
    for _attempt in range(4):
        parse = pacsv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            newlines_in_values=quotes and not split_anywhere,
            ignore_empty_lines=False,
            invalid_row_handler=None if threads else set_aside,
        )
        read = pacsv.ReadOptions(
            column_names=names, block_size=block, use_threads=threads
        )
        ragged.clear()
        try:
            t = pacsv.read_csv(
                pa.BufferReader(body),
                read_options=read,
                parse_options=parse,
                convert_options=convert,
            )
        except pa.ArrowInvalid as err:
            msg = str(err)
            if split_anywhere and "UTF8" not in msg and "UTF-8" not in msg:
                # a block boundary in a quoted value, or a ragged row: the
                # single-threaded pass below handles both, as it would have
                split_anywhere = False
                if "Expected" in msg and "columns" in msg:
                    threads = False
                continue
            if "UTF8" in msg or "UTF-8" in msg:
                if transcoded:
                    return None
                raise _NotUTF8 from err
            if "straddl" in msg or "block" in msg:  # a line longer than a block
                block = min(body.size + 16, (1 << 31) - 1)
                continue
            if threads and "Expected" in msg and "columns" in msg:
                threads = False  # ragged rows: find where they are
                continue
            return None
        if split_anywhere and t.num_rows != lines:
            split_anywhere = False  # a quoted value holds a line break
            continue
        if not ragged:
            return t, []
        return _put_back(t, ragged, ncols, delimiter)
    return None


def _put_back(
    t: pa.Table, ragged: list[tuple[int, str]], ncols: int, delimiter: str
) -> tuple[pa.Table, list[_Issue]]:
    """Insert the ragged rows back at their row numbers (zero-copy slices)."""
    extra = pa.nulls(t.num_rows, _TEXT)
    t = t.append_column(EXTRA, extra)
    pieces, issues, taken = [], [], 0
    with _field_limit():
        for k, (number, text) in enumerate(sorted(ragged)):
            fields = next(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []
            )
            values, issue = _fit(fields, ncols, delimiter, number)
            issues.append(issue)
            valid_before = number - 1 - k
            pieces.append(t.slice(taken, valid_before - taken))
            taken = valid_before
            row = {name: [v] for name, v in zip(t.column_names, values, strict=True)}
            pieces.append(pa.table(row, schema=t.schema))
    pieces.append(t.slice(taken))
    return pa.concat_tables(pieces), issues


def _fit(
    fields: list[str], ncols: int, delimiter: str, key: int
) -> tuple[list[str | None], _Issue]:
    """Pad or trim a ragged row to ``ncols`` (+ the extra-fields value)."""
    k = len(fields)
    cells: list[str | None] = [f if f != "" else None for f in fields[:ncols]]
    if k > ncols and any(f.strip() for f in fields[ncols:]):
        extra = delimiter.join(fields[ncols:])
        issue = (
            key,
            EXTRA,
            extra,
            f"row has {k} fields but the header has {ncols}; the extra fields "
            f"were kept in {EXTRA}",
        )
        return cells + [extra], issue
    what = "missing fields were left empty" if k < ncols else "extra fields are empty"
    issue = (
        key,
        "(row)",
        delimiter.join(fields)[:500],
        f"row has {k} field{'s' if k != 1 else ''} but the header has "
        f"{ncols}; the {what}",
    )
    return cells + [None] * (ncols - len(cells)) + [None], issue


_ASCII_RULE = RULE_CHARS + " \t\r\n\v\f"
#: first bytes (UTF-8) of the non-ASCII spaces, dashes and box-drawing lines
_WIDE_LEAD = pa.array([b"\xc2", b"\xe2", b"\xe3"], pa.large_binary())


def _rule_cells(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Cells that are null, whitespace or rule characters only (as numpy bools).

    An ASCII trim settles nearly every cell; the few left starting with a
    non-ASCII space or dash go to the regular expression.
    """
    trimmed = pc.ascii_trim(arr, _ASCII_RULE)
    empty = pc.fill_null(pc.equal(pc.binary_length(trimmed), 0), True)
    rule = np.array(empty.to_numpy(zero_copy_only=False), dtype=bool)
    lead = pc.binary_slice(trimmed.cast(pa.large_binary()), 0, 1)
    wide = pc.fill_null(pc.is_in(lead, value_set=_WIDE_LEAD), False)
    at = np.flatnonzero(wide.to_numpy(zero_copy_only=False))
    if len(at):
        texts = trimmed.take(pa.array(at)).to_pylist()
        rule[at] = [is_rule(t) for t in texts]
    return rule


def _arrow_blank(t: pa.Table) -> np.ndarray:
    """Rows whose every cell is null, whitespace or rule characters.

    Empty cells are already null. Column by column, on the rows still blank
    so far: about one column's work.
    """
    n = t.num_rows
    cand: np.ndarray | None = None
    for col in t.columns:
        if cand is None:  # the first column: a cheap look at first bytes first
            cand = np.flatnonzero(_maybe_rule(col))
            if len(cand) == 0:
                return np.zeros(n, dtype=bool)
        cand = cand[_rule_cells(col.take(pa.array(cand)))]
        if len(cand) == 0:
            return np.zeros(n, dtype=bool)
    mask = np.zeros(n, dtype=bool)
    if cand is None:
        mask[:] = True
    else:
        mask[cand] = True
    return mask


#: first UTF-8 bytes of a cell that :func:`_rule_cells` may call blank: an
#: ASCII rule or space character, or the lead byte of a wide one
_MAYBE_RULE = np.zeros(256, dtype=bool)
_MAYBE_RULE[list(_ASCII_RULE.encode())] = True
_MAYBE_RULE[[0xC2, 0xE2, 0xE3]] = True


def _maybe_rule(col: pa.ChunkedArray) -> np.ndarray:
    """Cells :func:`_rule_cells` may call blank: null, empty, or starting with a
    byte of ``_MAYBE_RULE`` (any other cell keeps its first byte when trimmed).

    Read on the offsets and bytes of each chunk: one look-up per cell.
    """
    parts = []
    for chunk in col.chunks:
        if len(chunk) == 0:
            continue
        if chunk.type != _TEXT:
            chunk = chunk.cast(_TEXT)
        _, offsets, data = chunk.buffers()
        off = np.frombuffer(offsets, dtype=np.int64)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        raw = np.frombuffer(data, dtype=np.uint8) if data is not None else None
        if raw is None or len(raw) == 0:
            parts.append(np.ones(len(chunk), dtype=bool))
            continue
        maybe = _MAYBE_RULE[raw[np.minimum(off[:-1], len(raw) - 1)]]
        maybe |= off[1:] == off[:-1]
        if chunk.null_count:
            maybe |= chunk.is_null().to_numpy(zero_copy_only=False)
        parts.append(maybe)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _drop_rows(t: pa.Table, drop: np.ndarray) -> pa.Table:
    """``t`` without the ``drop`` rows; zero-copy slices when they are few."""
    keep = ~drop
    edges = np.flatnonzero(np.diff(np.r_[False, keep, False].astype(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    if len(starts) > 10_000:
        return t.filter(pa.array(keep))
    if len(starts) == 0:
        return t.slice(0, 0)
    return pa.concat_tables(
        [t.slice(a, b - a) for a, b in zip(starts, ends, strict=True)]
    )


def _finish(
    t: pa.Table,
    headers: list[str],
    delimiter: str,
    info: dict,
    notes: list[str],
    issues: list[_Issue],
) -> RawTable:
    """Split blank and separator rows off a parsed table into rejects; to pandas.

    ``issues`` are keyed by 1-based row number; they are re-keyed by the
    position of the row among the kept rows.
    """
    t = _combine(t)  # before the blank check, whose takes would each combine
    n = t.num_rows
    numbers = np.arange(1, n + 1, dtype=np.int64)
    blank = _arrow_blank(t) if n else np.zeros(0, dtype=bool)
    if blank.any():
        rows = t.take(pa.array(np.flatnonzero(blank))).to_pylist()
        raws = [
            delimiter.join(
                "" if v is None else v for k, v in r.items() if k != EXTRA or v
            )
            for r in rows
        ]
        # a ragged line ("-----" in a ";" file) as written, not padded
        as_written = {
            number: raw for number, column, raw, _ in issues if column == "(row)"
        }
        raws = [
            as_written.get(int(k), r) for k, r in zip(numbers[blank], raws, strict=True)
        ]
        rejects = make_rejects(
            numbers[blank], raws, [_blank_reason(r, delimiter) for r in raws]
        )
        t = _drop_rows(t, blank)
        numbers = numbers[~blank]
    else:
        rejects = make_rejects([], [], [])
    kept_issues = []
    for number, *rest in issues:
        pos = int(np.searchsorted(numbers, number))
        if pos < len(numbers) and numbers[pos] == number:
            kept_issues.append((pos, *rest))
    if kept_issues:
        notes.append(_ragged_note(len(kept_issues)))
    return RawTable(
        # one buffer a column: later takes do not concatenate a hundred blocks
        frame=_combine(t).to_pandas(),
        headers=headers,
        row_numbers=numbers,
        rows_in=n,
        rejects=rejects,
        issues=kept_issues,
        info=info,
        notes=notes,
    )


def _combine(t: pa.Table) -> pa.Table:
    """``t.combine_chunks()``, every other column in a helper thread.

    Arrow copies without holding the GIL, and on a large file most of the cost
    is the first touch of fresh memory, which two cores share.
    """

    def combine(columns: list[pa.ChunkedArray]) -> list[pa.Array]:
        return [single_array(column) for column in columns]

    if all(column.num_chunks == 1 for column in t.columns):
        return t  # a small file, parsed in one block: nothing to put together
    odd = in_background(combine, t.columns[1::2], rows=t.num_rows)
    even = combine(t.columns[::2])
    odd = odd.result()
    columns = [
        even[k // 2] if k % 2 == 0 else odd[k // 2] for k in range(t.num_columns)
    ]
    return pa.table(columns, names=t.column_names)


def _ragged_note(n: int) -> str:
    return (
        f"{n:,} row(s) had a different number of fields than the header; they "
        "were kept (see issues)."
    )


def _blank_reason(raw: str, delimiter: str) -> str:
    if any(ch != delimiter and not ch.isspace() for ch in raw):
        return SEPARATOR_REASON
    if raw.strip(delimiter + " \t\r\n"):
        return "blank line: only whitespace"
    if delimiter in raw:
        return "blank line: only separators, no values"
    return "blank line: no values"


@contextlib.contextmanager
def _field_limit():
    """Let the csv module read fields of any size (10 MB cells), then restore."""
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _python_read(
    text: str, headers: list[str], delimiter: str, notes: list[str], name: str
) -> RawTable:
    """The slow, tolerant path: every row kept, ragged rows padded or trimmed."""
    ncols = len(headers)
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(
        iter(lines), delimiter=delimiter, quotechar='"', doublequote=True, strict=False
    )
    rows: list[list[str]] = []
    ends: list[int] = []
    with _field_limit():
        for r in reader:
            rows.append(r)
            ends.append(reader.line_num)
        start = ends[-2] if len(rows) > 1 else 0
        if rows and ends[-1] - start > 1 and text.count('"') % 2:
            # a quote opened and never closed swallowed the lines after it:
            # read those lines again with quotes as ordinary characters.
            rows = rows[:-1] + list(
                csv.reader(
                    iter(lines[start:]), delimiter=delimiter, quoting=csv.QUOTE_NONE
                )
            )
            notes.append(
                f"{name} has an unbalanced double quote on data row {len(ends)}; "
                "from there on quotes were read as ordinary characters so that "
                "it cannot swallow the rest of the file."
            )
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    numbers = np.arange(1, len(rows) + 1, dtype=np.int64)
    blank = np.fromiter(
        (all(map(is_rule, r)) for r in rows),
        dtype=bool,
        count=len(rows),
    )
    issues: list[_Issue] = []
    extra_values: list[str | None] = []
    kept: list[list[str | None]] = []
    for r, is_blank, k in zip(rows, blank, lengths, strict=True):
        if is_blank:
            continue
        if k == ncols:
            kept.append(r)
            extra_values.append(None)
            continue
        values, (_, *issue) = _fit(r, ncols, delimiter, 0)
        issues.append((len(kept), *issue))
        kept.append(values[:ncols])
        extra_values.append(values[ncols])
    if issues:
        notes.append(_ragged_note(len(issues)))
    names = positional(ncols)
    columns = list(zip(*kept, strict=True)) if kept else [()] * ncols
    data = {}
    for col, values in zip(names, columns, strict=True):
        s = pd.Series(values, dtype="str")
        data[col] = s.where(s != "")
    frame = pd.DataFrame(data)
    if any(v is not None for v in extra_values):
        frame[EXTRA] = pd.Series(extra_values, dtype="str")
    bad = numbers[blank]
    raws = [delimiter.join(rows[i - 1]) for i in bad]
    rejects = make_rejects(bad, raws, [_blank_reason(r, delimiter) for r in raws])
    return RawTable(
        frame=frame,
        headers=headers,
        row_numbers=numbers[~blank],
        rows_in=len(rows),
        rejects=rejects,
        issues=issues,
        notes=notes,
    )
