"""Hostile input: every file ends in a clear ITIError or in rows conserved.

The corpus is written by the functions below (no binary files in git): empty and
binary files, wrong formats, broken encodings, compression bombs, absurd widths,
deep JSON, workbooks with a stray far cell, and files that used to be damaged
silently. Each is read by three readers; a read that finishes keeps every row
(``rows_in == len(table) + len(rejects)``); anything else is an ``ITIError``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import iti_analytics as iti

# --------------------------------------------------------------------------- corpus

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
    'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(rows: dict[int, list[tuple[str, str]]], dimension: str = "") -> bytes:
    """A minimal .xlsx written by hand, so any cell address can be used."""
    body = "".join(
        f'<row r="{r}">' + "".join(_cell(ref, t) for ref, t in cells) + "</row>"
        for r, cells in sorted(rows.items())
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{body}'
        "</sheetData></worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


_TABLE = {1: [("A1", "serial"), ("B1", "make")], 2: [("A2", "AB123"), ("B2", "Glock")]}


def _gzip_bomb() -> bytes:
    """A 1 MB multi-member .csv.gz that expands past 1 GiB."""
    member = gzip.compress(b"A" * (64 << 20), compresslevel=1)
    return gzip.compress(b"serial,make\n") + member * 17


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _sqlite(path: Path) -> bytes:
    con = sqlite3.connect(path)
    con.execute("create table t (serial text)")
    con.commit()
    con.close()
    return path.read_bytes()


CSV = "serial;make;seized_on\nAB123;Glock;2021-03-04\nCD456;Beretta;05/06/2020\n"

#: name -> bytes (or a function of a scratch folder returning bytes)
CORPUS: dict[str, bytes | Callable[[Path], bytes]] = {
    "empty.csv": b"",
    "only_bom.csv": codecs.BOM_UTF8,
    "blank_lines.csv": b"\n\n   \n\t\n",
    "header_only.csv": b"serial,make\n",
    "random_binary.csv": np.random.default_rng(1).bytes(4096),
    "pdf_named.csv": b"%PDF-1.7\n1 0 obj<<>>endobj\n",
    "png_named.csv": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "zip_not_workbook.xlsx": (lambda d: _zip_of({"a.txt": b"hello"})),
    "html_named.csv": b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>",
    "markdown.csv": b"# Data dictionary\n\n| field | meaning |\n|---|---|\n| a | b |\n",
    "wrong_delimiter.csv": CSV.encode(),
    "mixed_encodings.csv": "serial;pays\nA1;Côte\n".encode()
    + "A2;Tchécoslovaquie\n".encode("cp1252"),
    "latin1_french.csv": "n° série;marque;pays\nA1;Béretta;Sénégal\n".encode("latin-1"),
    "cp1252_undefined_byte.csv": b"serial,make\nA1,C\xf4te\nA2,x\x81y\n",
    "utf16_le.csv": CSV.encode("utf-16"),
    "utf16_be_bom.csv": codecs.BOM_UTF16_BE + CSV.encode("utf-16-be"),
    "utf32_bom.csv": CSV.encode("utf-32"),
    "nul_bytes.csv": b"serial,make\nAB\x00123,Glock\n",
    "classic_mac.csv": CSV.replace("\n", "\r").encode(),
    "ragged_rows.csv": b"serial,make\nA1\nA2,Glock,extra,more\nA3,CZ\n",
    "unbalanced_quote.csv": b'serial,make\n"A1,Glock\nA2,CZ\n',
    "quoted_newlines.tsv": b'serial\tnotes\nA1\t"line one\nline two"\nA2\tok\n',
    "separator_lines.csv": b"serial,make\n-----,-----\nA1,Glock\n=====\n",
    "formula_cells.csv": b'serial,make\n=HYPERLINK("http://x"),@SUM(1)\n+1,-2\n',
    "dates_out_of_range.csv": b"serial,seized_on\nA1,1800-01-01\nA2,2099-12-31\n",
    "year_0012.csv": b"serial,seized_on\nA1,0012-05-01\nA2,12/05/0012\n",
    "huge_integer_cell.csv": b"serial,quantity\nA1," + b"9" * 5000 + b"\n",
    "ten_mb_field.csv": b"serial,notes\nA1," + b"x" * (10 << 20) + b"\n",
    "five_million_delimiters.csv": b"serial,make\n" + b"," * 5_000_000 + b"\n",
    "fifty_thousand_headers.csv": (b"serial," * 50_000)[:-1] + b"\n1\n",
    "long_header_name.csv": b"serial," + b"h" * 100_000 + b"\nA1,x\n",
    "control_chars.csv": b"serial,make\nA\x01B\x02C,Gl\x1bock\n",
    "emoji_rtl.csv": "serial,make\nA1🔫,\u202eكلاشنكوف\n".encode(),
    "gzip_bomb.csv.gz": lambda d: _gzip_bomb(),
    "gzip_truncated.csv.gz": gzip.compress(CSV.encode())[:-12],
    "gzip_damaged.csv.gz": b"\x1f\x8b\x08\x00" + b"\xff" * 40,
    "gzip_fine.csv.gz": gzip.compress(CSV.encode()),
    "parquet_fine.parquet.gz": lambda d: gzip.compress(
        _parquet(pa.table({"serial": ["A1"], "make": ["Glock"]}))
    ),
    "parquet_nested.parquet": lambda d: _parquet(
        pa.table(
            {
                "serial": ["A1", "A2"],
                "tags": [[1, 2], [3]],
                "marks": [{"x": 1}, {"x": 2}],
                "attrs": pa.array(
                    [[("k", "v")], []], pa.map_(pa.string(), pa.string())
                ),
            }
        )
    ),
    "parquet_damaged.parquet": b"PAR1" + b"\x00" * 100 + b"PAR1",
    "json_deep.json": b"[" * 10_000 + b"]" * 10_000,
    "json_deep_record.json": b'[{"serial": "A1", "x": '
    + b"[" * 5000
    + b"]" * 5000
    + b"}]",
    "json_big_integer.json": b'[{"serial": ' + b"9" * 5000 + b"}]",
    "json_colliding_keys.json": json.dumps(
        [{"weapon.make": "Glock", "weapon": {"make": "CZ"}, "serial": "1"}]
    ).encode(),
    "json_scalar.json": b"42",
    "json_bad_lines.jsonl": b'{"serial": "A1"}\n{not json\n\n{"serial": "A2"}\n',
    "json_records_key.json": b'{"records": [{"serial": "A1"}, 3, null]}',
    "json_empty_list.json": b"[]",
    "xlsx_far_cell.xlsx": lambda d: _workbook(
        {**_TABLE, 1_048_576: [("XFD1048576", "x")]}
    ),
    "xlsx_far_column.xlsx": lambda d: _workbook(
        {**_TABLE, 900_000: [("ZZ900000", "x")]}
    ),
    "xlsx_huge_dimension.xlsx": lambda d: _workbook(_TABLE, dimension="A1:XFD1048576"),
    "xlsx_title_rows.xlsx": lambda d: _workbook(
        {1: [("A1", "Saisies 2023")], 3: _TABLE[1], 4: _TABLE[2]}
    ),
    "xlsx_empty_sheet.xlsx": lambda d: _workbook({}),
    "sqlite_named.csv": lambda d: _sqlite(d / "db.sqlite"),
}


def _zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    scratch = tmp_path_factory.mktemp("scratch")
    paths = {}
    for name, content in CORPUS.items():
        data = content(scratch) if callable(content) else content
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_the_corpus_is_large():
    assert len(CORPUS) >= 40


READERS = {
    "items": iti.read_items,
    "traces": iti.read_traces,
    "movements": iti.read_movements,
}


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_file_is_read_whole_or_refused_clearly(corpus, name, reader):
    try:
        res = READERS[reader](corpus[name])
    except iti.ITIError as err:
        assert str(err), "an ITIError must say what is wrong"
        return
    assert res.report.rows_in == len(res.table) + len(res.rejects)


# ------------------------------------------------------------- one test per finding


def test_a_stray_cell_at_xfd1048576_is_refused_before_reading(corpus):
    path = corpus["xlsx_far_cell.xlsx"]
    assert path.stat().st_size < 5000
    with pytest.raises(iti.FileFormatError, match=r"column 16,384.*Ctrl\+End"):
        iti.read_items(path)


def test_a_workbook_declaring_a_huge_range_is_refused(corpus):
    with pytest.raises(iti.FileFormatError, match="cells this reader accepts"):
        iti.read_items(corpus["xlsx_huge_dimension.xlsx"])


def test_an_ordinary_workbook_still_reads(corpus):
    res = iti.read_items(corpus["xlsx_title_rows.xlsx"])
    assert res.table[["serial", "make"]].values.tolist() == [["AB123", "Glock"]]


def test_fifty_thousand_repeated_headers_are_refused_quickly(corpus):
    with pytest.raises(iti.FileFormatError, match="50,000 columns"):
        iti.read_items(corpus["fifty_thousand_headers.csv"])


def test_repeated_header_names_are_numbered_in_linear_time():
    from iti_analytics.mapping import map_columns

    headers = ["serial"] + ["colonne libre"] * 4000
    mapping = map_columns(headers, "items")
    assert mapping.names[:3] == ["serial", "x_colonne_libre", "x_colonne_libre_2"]
    assert mapping.names[-1] == "x_colonne_libre_4000"


def test_a_line_of_five_million_delimiters_is_refused(corpus):
    with pytest.raises(iti.FileFormatError, match="5,000,001 fields"):
        iti.read_items(corpus["five_million_delimiters.csv"])


def test_a_ten_megabyte_field_is_still_read(corpus):
    res = iti.read_items(corpus["ten_mb_field.csv"])
    assert len(res.table) == 1


def test_a_gzip_bomb_is_refused_with_the_limit(corpus):
    with pytest.raises(iti.FileFormatError, match="expands to more than 1,073,741,824"):
        iti.read_items(corpus["gzip_bomb.csv.gz"])


def test_parquet_gz_is_read(corpus):
    res = iti.read_items(corpus["parquet_fine.parquet.gz"])
    assert res.table[["serial", "make"]].values.tolist() == [["A1", "Glock"]]


def test_nested_parquet_columns_become_json_text(corpus):
    res = iti.read_items(corpus["parquet_nested.parquet"])
    assert res.table["x_tags"].tolist() == ["[1, 2]", "[3]"]
    assert res.table["x_marks"].tolist() == ['{"x": 1}', '{"x": 2}']


def test_a_dataframe_of_lists_and_dicts_is_read():
    frame = pd.DataFrame({"serial": ["A1", "A2"], "parts": [["slide", "barrel"], {}]})
    res = iti.read_items(frame)
    assert res.table["x_parts"].tolist() == ['["slide", "barrel"]', "{}"]


def test_json_nested_ten_thousand_deep_is_a_clear_error(corpus):
    with pytest.raises(iti.FileFormatError, match="too deeply"):
        iti.read_items(corpus["json_deep.json"])


def test_a_json_integer_of_five_thousand_digits_stays_text(corpus):
    res = iti.read_items(corpus["json_big_integer.json"])
    assert res.table["serial_raw"].iloc[0] == "9" * 5000


def test_colliding_flattened_json_keys_keep_both_values(corpus):
    res = iti.read_items(corpus["json_colliding_keys.json"])
    assert res.table[["make", "x_weapon_make_2"]].iloc[0].tolist() == ["Glock", "CZ"]
    assert res.issues["problem"].str.contains("flatten to 'weapon.make'").any()


def test_a_text_transform_as_encoding_is_a_clear_error(corpus):
    with pytest.raises(iti.EncodingDetectionError, match="non-text encoding 'rot13'"):
        iti.read_items(corpus["gzip_fine.csv.gz"], encoding="rot13")


def test_an_unreadable_file_is_a_clear_error(corpus, monkeypatch):
    # the tests may run as root, who reads any file: opening it is refused here
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(iti.MissingFileError, match="permission denied"):
        iti.read_items(corpus["gzip_fine.csv.gz"])


def test_utf32_with_bom_is_decoded(corpus):
    res = iti.read_items(corpus["utf32_bom.csv"])
    assert res.table["serial"].tolist() == ["AB123", "CD456"]
    assert res.report.encoding == "utf-32"


def test_an_undefined_cp1252_byte_falls_back_to_latin1_with_a_note(corpus):
    res = iti.read_items(corpus["cp1252_undefined_byte.csv"])
    assert res.table["serial"].tolist() == ["A1", "A2"]
    assert any("not defined in cp1252" in note for note in res.report.notes)


def test_year_0012_is_not_silently_2012(corpus):
    res = iti.read_items(corpus["year_0012.csv"])
    assert res.table["seized_on"].isna().all()
    assert (res.issues["problem"].str.contains("implausible date")).sum() == 2


def test_an_answer_dated_before_its_request_is_flagged():
    frame = pd.DataFrame(
        {
            "trace_id": ["T1", "T2"],
            "sent_on": ["2020-05-01", "2020-05-01"],
            "responded_on": ["2020-01-01", "2020-06-01"],
        }
    )
    res = iti.read_traces(frame)
    flagged = res.issues[res.issues["column"] == "responded_on"]
    assert flagged["record_id"].tolist() == ["T1"]
    assert "before the request was sent" in flagged["problem"].iloc[0]
    assert res.table["responded_on"].notna().all()  # both dates kept
