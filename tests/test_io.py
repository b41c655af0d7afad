"""Tests for iti_analytics.io: every input format, the bad-file corpus, invariants."""

from __future__ import annotations

import csv
import gzip
import io
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iti_analytics import schema
from iti_analytics.exceptions import (
    EmptyFileError,
    EncodingDetectionError,
    FileFormatError,
    InvalidParameterError,
    ITIError,
    MappingError,
)
from iti_analytics.io import (
    LoadReport,
    LoadResult,
    MissingFileError,
    first_identical,
    read_items,
    read_movements,
    read_table,
    read_traces,
)

ISSUE_COLUMNS = ["record_id", "column", "raw_value", "problem"]


def _stub_normalize(raw, table, *, dayfirst=None, source=None):
    """Keep text columns, null the others (to spy on what io passes along)."""
    spec = schema.TABLES[table]
    keep = {
        c: raw[c]
        if spec.get(c, "string") == "string"
        else pd.Series(pd.NA, index=raw.index)
        for c in raw.columns
    }
    out = schema.conform(pd.DataFrame(keep, index=raw.index), table)
    empty = pd.DataFrame({c: pd.Series([], dtype="string") for c in ISSUE_COLUMNS})
    return out, empty


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


FRENCH = (
    "Réf.;N° PV;Date de saisie;Pays;Type d'arme;Marque;Calibre;N° de série;Quantité\n"
    "A1;PV-1;15/03/2020;Tchad;fusil d'assaut;Norinco;7,62x39;56-123456;1\n"
    "A2;PV-1;15/03/2020;Tchad;pistolet;Taurus;9 mm;effacé;2\n"
    "A3;PV-2;02/04/2021;Côte d'Ivoire;revolver;Taurus;.38 SPL;TA 99;1\n"
)


def check_invariant(res: LoadResult) -> None:
    r = res.report
    assert r.rows_in == len(res.table) + len(res.rejects)
    assert r.rows_loaded == len(res.table) and r.rows_rejected == len(res.rejects)
    assert list(res.issues.columns[:4]) == ISSUE_COLUMNS
    assert list(res.rejects.columns[:3]) == ["row", "raw", "reason"]
    assert res.table["record_id"].is_unique
    assert (
        list(res.table.columns[: len(schema.TABLES["items"])])
        == list(schema.TABLES["items"])
        or r.table != "items"
    )


# --------------------------------------------------------------------------------
# Delimited text
# --------------------------------------------------------------------------------


def test_french_cp1252_semicolon_csv_loads_with_automatic_mapping(tmp_path):
    path = write(tmp_path / "police_2023.csv", FRENCH, "cp1252")
    res = read_items(path)
    check_invariant(res)
    r = res.report
    assert (r.format, r.encoding, r.delimiter, r.header_row) == (
        "csv",
        "cp1252",
        ";",
        1,
    )
    assert r.source == "police_2023"
    assert r.mapping["N° de série"] == "serial"
    assert r.mapping["Réf."] == "record_id"
    assert res.table["record_id"].tolist() == ["A1", "A2", "A3"]
    assert res.table["seizure_id"].tolist() == ["PV-1", "PV-1", "PV-2"]
    assert (res.table["source"] == "police_2023").all()


def test_values_are_normalized(tmp_path):
    path = write(tmp_path / "police.csv", FRENCH, "cp1252")
    t = read_items(path).table
    assert t["country"].tolist() == ["TCD", "TCD", "CIV"]
    assert t["make"].tolist()[1:] == ["Taurus", "Taurus"]
    assert t["seized_on"].iloc[0] == pd.Timestamp("2020-03-15")
    assert t["serial_status"].tolist()[:2] == ["intact", "obliterated"]
    assert t["quantity"].tolist() == [1, 2, 1]


@pytest.mark.parametrize(
    ("delimiter", "ext"),
    [(",", ".csv"), (";", ".csv"), ("\t", ".tsv"), ("|", ".txt"), ("\t", ".csv")],
    ids=["comma", "semicolon", "tab-tsv", "pipe-txt", "tab-named-csv"],
)
def test_delimiter_is_sniffed(tmp_path, delimiter, ext):
    rows = [
        ["Marque", "Calibre", "Couleur"],
        ["FN", "7,62", "a, b; c"],
        ["Glock", "9mm", "x|y"],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    res = read_items(write(tmp_path / f"f{ext}", buf.getvalue()))
    assert res.report.delimiter == delimiter
    assert res.table["x_couleur"].tolist() == ["a, b; c", "x|y"]
    assert res.report.mapping == {"Marque": "make", "Calibre": "calibre"}


def test_explicit_delimiter_overrides_sniffing(tmp_path):
    path = write(tmp_path / "f.csv", "Marque;Calibre|Pays\nFN;7|Mali\nFN;8|Niger\n")
    assert read_items(path).report.delimiter == ";"
    res = read_items(path, delimiter="|")
    assert res.report.delimiter == "|"
    assert res.report.mapping == {"Pays": "country"}
    with pytest.raises(InvalidParameterError, match="single character"):
        read_items(path, delimiter=";;")


def test_wrong_delimiter_gives_a_mapping_error_naming_file_and_fix(tmp_path):
    path = write(tmp_path / "spaces.csv", "Marque Calibre Serie\nFN 7.62 123\n")
    with pytest.raises(MappingError) as info:
        read_items(path)
    msg = str(info.value)
    assert "spaces.csv" in msg and "mapping=" in msg and "delimiter" in msg


def test_utf8_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfMarque,Calibre\nFN,7.62\n")
    res = read_items(path)
    assert res.report.encoding == "utf-8-sig"
    assert res.report.mapping == {"Marque": "make", "Calibre": "calibre"}


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("Marque;Pays\nFN;Bélgica\n".encode("utf-16"))
    res = read_items(path)
    assert res.report.encoding == "utf-16"
    assert len(res.table) == 1


def test_mixed_encodings_load_and_are_noted(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "Marque;Lieu de naissance\nFN;Côte d'Ivoire\n".encode()
        + "Taurus;Tchécoslovaquie\n".encode("cp1252")
    )
    res = read_items(path)
    check_invariant(res)
    assert res.report.encoding == "utf-8+cp1252"
    assert res.table["x_lieu_de_naissance"].tolist() == [
        "Côte d'Ivoire",
        "Tchécoslovaquie",
    ]
    assert any("mixes encodings" in n for n in res.report.notes)


def test_encoding_override(tmp_path):
    path = write(tmp_path / "f.csv", "Marque;Pays\nFN;Bélgica\n", "latin-1")
    res = read_items(path, encoding="latin-1")
    assert res.report.encoding == "iso8859-1"
    with pytest.raises(EncodingDetectionError, match="f.csv.*'utf-8'"):
        read_items(path, encoding="utf-8")
    with pytest.raises(EncodingDetectionError, match="Unknown or non-text encoding"):
        read_items(path, encoding="klingon")


def test_bytes_undefined_in_cp1252_are_read_as_latin1_with_a_note(tmp_path):
    path = tmp_path / "weird.csv"
    path.write_bytes(b"Marque;Pays\nFN;\x81\x8d\x8f\x90\x9d\n")
    res = read_items(path)
    assert len(res.table) == 1 and res.report.encoding == "cp1252+latin-1"
    assert any("encoding=" in note for note in res.report.notes)


def test_title_rows_above_the_header_in_csv(tmp_path):
    text = (
        "Saisies d'armes 2023;;\nExport du 3/1/2024;;\n;;\nMarque;Calibre;Pays\n"
        "FN;7.62;Mali\nGlock;9mm;Niger\n"
    )
    res = read_items(write(tmp_path / "t.csv", text))
    assert res.report.header_row == 4
    assert res.report.rows_in == 2
    assert res.table["record_id"].tolist() == ["t:1", "t:2"]


def test_blank_and_separator_only_lines_are_counted_and_rejected(tmp_path):
    text = "Marque;Calibre\nFN;7.62\n\n;\nGlock;9mm\n  ;  \n"
    res = read_items(write(tmp_path / "b.csv", text))
    check_invariant(res)
    assert res.report.rows_in == 5
    assert res.rejects["row"].tolist() == [2, 3, 5]
    assert res.rejects["raw"].tolist()[1] == ";"
    assert res.rejects["reason"].str.startswith("blank line").all()
    assert res.table["record_id"].tolist() == ["b:1", "b:4"]


def test_blank_lines_in_a_large_file_use_the_fast_path(tmp_path):
    lines = ["Marque,Couleur"] + [f"FN,{i}" for i in range(30_000)]
    lines[100] = ""
    lines[20_000] = ","
    res = read_items(write(tmp_path / "big.csv", "\n".join(lines) + "\n"))
    check_invariant(res)
    assert res.rejects["row"].tolist() == [100, 20_000]
    assert res.table["record_id"].iloc[99] == "big:101"


@pytest.mark.parametrize(
    "rule", ["-" * 40, ";-----;", "=====", "____", "  ---  ", "— — —", "-;-", "*****"]
)
def test_separator_lines_are_rejected_not_read_as_records(tmp_path, rule):
    text = f"Marque;Calibre;Pays\nFN;7.62;Mali\n{rule}\nGlock;9mm;Niger\n"
    res = read_items(write(tmp_path / "s.csv", text))
    check_invariant(res)
    assert res.report.rows_in == 3
    assert res.rejects["row"].tolist() == [2]
    assert res.rejects["raw"].tolist() == [rule]  # as written, not padded
    assert res.rejects["reason"].str.startswith("separator line").all()
    assert res.table["record_id"].tolist() == ["s:1", "s:3"]
    # no "row has 1 field" issue for the rule (bare "7.62" and "9mm" are
    # ambiguous calibres, which is a different matter)
    assert res.issues["problem"].str.startswith("ambiguous calibre").all()


def test_separator_lines_in_a_large_file_stay_on_the_fast_path(tmp_path, monkeypatch):
    import iti_analytics.io._delimited as delimited

    def fail(*args, **kwargs):
        raise AssertionError("the csv-module fallback was used")

    monkeypatch.setattr(delimited, "_python_read", fail)
    lines = ["Marque;Calibre;Pays"] + [f"FN;7.62;{i}" for i in range(30_000)]
    lines[500] = "-" * 40
    lines[20_000] = ";=====;====;"
    lines[25_000] = "-;-1;-"  # a value: kept
    res = read_items(write(tmp_path / "big.csv", "\n".join(lines) + "\n"))
    check_invariant(res)
    assert res.rejects["row"].tolist() == [500, 20_000]
    assert res.rejects["reason"].str.startswith("separator line").all()
    assert res.table["record_id"].iloc[499] == "big:501"
    assert "big:25000" in set(res.table["record_id"])


def test_separator_lines_on_the_tolerant_path():
    from iti_analytics.io._delimited import _python_read

    raw = _python_read("FN;7.62\n-----\n;====;\n\nGlock;9\n", ["a", "b"], ";", [], "x")
    assert raw.rows_in == 5
    assert raw.row_numbers.tolist() == [1, 5]
    assert raw.rejects["reason"].str.startswith("separator line").tolist() == [
        True,
        True,
        False,
    ]


def test_bundled_police_file_separator_line_is_a_reject():
    from iti_analytics.samples import load_sample, sample_files

    res = read_items(sample_files()["police_fr"])
    check_invariant(res)
    reasons = res.rejects["reason"]
    assert reasons.str.startswith("separator line").sum() == 1
    assert not res.issues["problem"].str.contains("row has 1 field").any()
    expected = load_sample().items.query("source == 'police_fr'")
    assert sorted(res.table["record_id"]) == sorted(expected["record_id"])


def test_quoted_newlines_and_quotes(tmp_path):
    text = 'Marque,Couleur\nFN,"ligne 1\nligne 2"\nGlock,"dit ""neuf"""\n'
    res = read_items(write(tmp_path / "q.csv", text))
    assert res.report.rows_in == 2
    assert res.table["x_couleur"].tolist() == ["ligne 1\nligne 2", 'dit "neuf"']


@pytest.mark.parametrize("every", [1, 997, 40_000])
def test_quoted_line_breaks_in_a_large_file_are_kept_in_their_values(tmp_path, every):
    # several pyarrow blocks (4 MB each): a block may end inside a quoted value
    n = 250_000
    rows = [
        f'FN,"note {i}\nsuite {i}",AB{i}' if i % every == 0 else f"FN,x{i},AB{i}"
        for i in range(n)
    ]
    text = "Marque,Couleur,N° de série\n" + "\n".join(rows) + "\n"
    res = read_items(write(tmp_path / "nl.csv", text))
    check_invariant(res)
    assert res.report.rows_in == n
    notes = res.table["x_couleur"]
    assert notes.iloc[0] == "note 0\nsuite 0"
    assert notes.str.contains("\n").sum() == len(range(0, n, every))
    assert res.table["serial"].iloc[-1] == f"AB{n - 1}"


@pytest.mark.parametrize(
    ("encoding", "newline", "label"),
    [
        ("utf-8-sig", "\n", "utf-8-sig"),
        ("cp1252", "\r\n", "cp1252"),
        ("utf-8", "\r", "utf-8"),  # classic Mac line endings
    ],
)
def test_a_large_file_reads_as_a_small_one(tmp_path, encoding, newline, label):
    # over 1 MB the file is mapped into memory instead of copied: the byte-order
    # mark, a transcoding and lone carriage returns are handled the same way
    rows = [
        f"PV-{i};Manufacture d'armes de Saint-Étienne;SE-{i}" for i in range(60_000)
    ]
    text = newline.join(["N° PV;Marque;N° de série", *rows]) + newline
    big, small = tmp_path / "grand.csv", tmp_path / "petit.csv"
    big.write_bytes(text.encode(encoding))
    small.write_bytes(newline.join(text.split(newline)[:4]).encode(encoding))
    assert big.stat().st_size > 2**20 > small.stat().st_size
    res = read_items(big)
    check_invariant(res)
    assert res.report.encoding == label
    assert res.report.rows_in == 60_000
    assert res.table["serial"].iloc[[0, -1]].tolist() == ["SE0", "SE59999"]
    first = read_items(small)
    assert first.report.mapping == res.report.mapping
    assert res.report.mapping["N° PV"] == "seizure_id"  # the header, BOM stripped
    assert res.table["seizure_id"].iloc[-1] == "PV-59999"
    assert first.table["make"].iloc[0] == "MAS"  # the accented name, read right
    assert (res.table["make"] == "MAS").all()


def test_quoted_values_without_line_breaks_in_a_large_file(tmp_path):
    rows = [f'FN,"Bangui, PK{i}",AB{i}' for i in range(60_000)]
    text = "Marque,Localité,N° de série\n" + "\n".join(rows)  # no final newline
    res = read_items(write(tmp_path / "q.csv", text))
    assert res.report.rows_in == 60_000
    assert res.table["locality"].iloc[[0, -1]].tolist() == [
        "Bangui, PK0",
        "Bangui, PK59999",
    ]


def test_ragged_rows_are_kept_with_extras_and_issues(tmp_path):
    text = (
        "Marque;Calibre;Pays\nFN;7.62;Mali\nGlock;9mm\nTaurus;.38;Brésil;extra;more\n"
    )
    res = read_items(write(tmp_path / "r.csv", text))
    check_invariant(res)
    t = res.table
    assert len(t) == 3
    assert t["x_extra_fields"].tolist()[2] == "extra;more"
    assert pd.isna(t["country"].iloc[1])
    problems = res.issues.set_index("record_id")["problem"]
    assert problems["r:2"].str.contains("2 fields but the header has 3").any()
    assert "5 fields" in problems["r:3"]


def test_ragged_rows_in_a_large_file_stay_on_the_fast_path(tmp_path, monkeypatch):
    import iti_analytics.io._delimited as delimited

    def fail(*args, **kwargs):
        raise AssertionError("the csv-module fallback was used")

    monkeypatch.setattr(delimited, "_python_read", fail)
    lines = ["Marque,Couleur,Taille"] + ["FN,rouge,1"] * 30_000
    lines[10] = "FN,bleu"
    lines[25_000] = "FN,vert,2,extra"
    lines[25_001] = ",,,"
    res = read_items(write(tmp_path / "big.csv", "\n".join(lines) + "\n"))
    check_invariant(res)
    t = res.table.set_index("record_id")
    assert t.loc["big:10", "x_couleur"] == "bleu" and pd.isna(
        t.loc["big:10", "x_taille"]
    )
    assert t.loc["big:25000", "x_extra_fields"] == "extra"
    assert res.rejects["row"].tolist() == [25_001]
    assert set(res.issues["record_id"]) >= {"big:10", "big:25000"}


def test_quoted_delimiters_across_lines_do_not_fool_the_sniffer(tmp_path):
    text = 'Marque,Calibre,Couleur\n,";\n",";"""\n'
    res = read_items(write(tmp_path / "s.csv", text))
    assert res.report.delimiter == ","
    assert res.table["x_couleur"].tolist() == [';"']


def test_unbalanced_quote_does_not_swallow_the_file(tmp_path):
    text = 'Marque;Calibre\n"FN;7.62\nGlock;9mm\nTaurus;.38\n'
    res = read_items(write(tmp_path / "u.csv", text))
    check_invariant(res)
    assert res.report.rows_in == 3
    assert any("unbalanced" in n for n in res.report.notes)


def test_ten_megabyte_single_line_loads_quickly(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"Marque;Observations\nFN;" + b"x" * 10_000_000 + b"\nGlock;ok\n")
    start = time.perf_counter()
    res = read_items(path)
    assert time.perf_counter() - start < 20
    check_invariant(res)
    assert res.report.rows_in == 2
    long = res.table.iloc[0]
    assert len(long["notes"] if pd.notna(long["notes"]) else "") in (0, 10_000_000)


def test_ten_megabyte_line_without_delimiters(tmp_path):
    path = tmp_path / "oneline.csv"
    path.write_bytes(b"Observations\n" + b"y" * 10_000_000)
    res = read_items(path)
    assert res.report.rows_in == 1


def test_hyperlink_formulas_load_as_text(tmp_path):
    text = 'Marque;Observations\nFN;"=HYPERLINK(""http://x.org"",""photo"")"\n'
    res = read_items(write(tmp_path / "h.csv", text))
    assert res.table["notes"].iloc[0].startswith("=HYPERLINK(")


def test_dates_in_1800_and_2099_are_flagged(tmp_path):
    text = (
        "Réf.;Date de saisie;Marque\n"
        "A;01/01/1800;FN\nB;01/05/2099;FN\nC;02/05/2019;FN\n"
    )
    res = read_items(write(tmp_path / "d.csv", text))
    check_invariant(res)
    flagged = set(res.issues.loc[res.issues["column"] == "seized_on", "record_id"])
    assert {"A", "B"} <= flagged and "C" not in flagged
    assert len(res.table) == 3


def test_dayfirst_and_source_are_passed_to_normalize(tmp_path, monkeypatch):
    seen = {}

    def spy(raw, table, *, dayfirst=None, source=None):
        seen.update(dayfirst=dayfirst, source=source, columns=list(raw.columns))
        return _stub_normalize(raw, table, dayfirst=dayfirst, source=source)

    import iti_analytics.io._load as load

    monkeypatch.setattr(
        load,
        "_normalize",
        lambda raw, table, d, s: spy(raw, table, dayfirst=d, source=s),
    )
    read_items(write(tmp_path / "f.csv", FRENCH), source="police", dayfirst=True)
    assert seen["dayfirst"] is True and seen["source"] == "police"
    assert seen["columns"][0] == "record_id"


def test_gzip_csv(tmp_path):
    path = tmp_path / "f.csv.gz"
    path.write_bytes(gzip.compress(FRENCH.encode("cp1252")))
    res = read_items(path)
    assert res.report.source == "f" and len(res.table) == 3


# --------------------------------------------------------------------------------
# Bad files
# --------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty.csv.*empty"):
        read_items(path)
    path.write_bytes(b"\n\n  \r\n")
    with pytest.raises(EmptyFileError):
        read_items(path)


def test_header_only_loads_zero_rows_with_a_report(tmp_path):
    res = read_items(write(tmp_path / "h.csv", "Marque;Calibre;Pays\n"))
    check_invariant(res)
    assert res.report.rows_in == 0 and len(res.table) == 0
    assert res.report.mapping == {
        "Marque": "make",
        "Calibre": "calibre",
        "Pays": "country",
    }
    assert "0 in" in str(res.report)


def test_binary_garbage(tmp_path, rng):
    path = tmp_path / "garbage.csv"
    path.write_bytes(rng.integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(FileFormatError, match="garbage.csv.*binary"):
        read_items(path)


def test_pdf_renamed_csv(tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")
    with pytest.raises(FileFormatError, match="report.csv.*PDF.*Export the table"):
        read_items(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(FileFormatError, match="fake.xlsx.*not a readable Excel"):
        read_items(path)


def test_legacy_xls(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(FileFormatError, match="old.xls.*save it as .xlsx"):
        read_items(path)


def test_missing_file_is_file_not_found_and_iti_error(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        read_items(tmp_path / "nope.csv")
    assert isinstance(info.value, ITIError)
    assert isinstance(info.value, MissingFileError)
    assert "nope.csv" in str(info.value)


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(FileFormatError, match="folder"):
        read_items(tmp_path)


def test_no_recognisable_column(tmp_path):
    path = write(tmp_path / "colours.csv", "colour,size\nred,3\n")
    with pytest.raises(MappingError) as info:
        read_items(path)
    msg = str(info.value)
    assert "colours.csv" in msg and "mapping=" in msg and "'colour'" in msg


def test_unsupported_data_type():
    with pytest.raises(InvalidParameterError, match="file path, a pandas DataFrame"):
        read_items(42)


# --------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list]], start_row: int = 1) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    ws.cell(row=start_row + i, column=j + 1, value=v)
    wb.save(path)
    return path


CUSTOMS = [
    ["Record ID", "Seizure Date", "Manufacturer", "Calibre", "Serial Number", "Qty"],
    [
        "C-1",
        pd.Timestamp("2023-01-05").to_pydatetime(),
        "FN Herstal",
        "7.62x51",
        "FN123",
        1,
    ],
    [
        "C-2",
        pd.Timestamp("2023-02-11").to_pydatetime(),
        "Norinco",
        "7.62x39",
        962873,
        2,
    ],
]


@pytest.fixture(params=["calamine", "openpyxl"])
def excel_engine(request, monkeypatch):
    import iti_analytics.io._excel as xl

    if request.param == "calamine":
        pytest.importorskip("python_calamine")
    monkeypatch.setattr(xl, "_engine", lambda: request.param)
    return request.param


def test_xlsx_header_below_blank_and_title_rows(tmp_path, excel_engine):
    rows = [["Customs seizures 2023"], [], *CUSTOMS]
    path = _workbook(tmp_path / "customs.xlsx", {"Sheet1": rows}, start_row=2)
    res = read_items(path)
    check_invariant(res)
    r = res.report
    assert (r.format, r.sheet, r.header_row) == ("xlsx", "Sheet1", 4)
    assert res.table["record_id"].tolist() == ["C-1", "C-2"]
    assert r.mapping["Serial Number"] == "serial"
    # whole numbers read from Excel are not "962873.0"
    assert (
        res.table["serial"].iloc[1] in ("962873", None)
        or res.table["serial_raw"].iloc[1] == "962873"
    )


def test_xlsx_sheet_selection(tmp_path, excel_engine):
    path = _workbook(tmp_path / "two.xlsx", {"2022": CUSTOMS, "2023": CUSTOMS[:2]})
    assert len(read_items(path).table) == 2
    assert read_items(path, sheet="2023").report.sheet == "2023"
    assert len(read_items(path, sheet=1).table) == 1
    res = read_items(path, sheet="all")
    check_invariant(res)
    assert res.report.sheet == ["2022", "2023"]
    assert res.table["x_sheet"].tolist() == ["2022", "2022", "2023"]
    assert res.table["record_id"].tolist() == ["C-1", "C-2", "C-1#2"]
    assert res.table["duplicate_of"].tolist()[2] == "C-1"
    with pytest.raises(InvalidParameterError, match="'2023'"):
        read_items(path, sheet="2024")


def test_xlsx_generated_ids_name_the_sheet_when_stacking(tmp_path):
    rows = [r[1:] for r in CUSTOMS]
    path = _workbook(tmp_path / "s.xlsx", {"A": rows, "B": rows})
    res = read_items(path, sheet="all")
    assert res.table["record_id"].tolist() == ["s:A:1", "s:A:2", "s:B:1", "s:B:2"]


def test_xlsx_stacked_sheets_match_headers_loosely(tmp_path):
    path = _workbook(
        tmp_path / "st.xlsx",
        {
            "A": [["Marca", "Calibre"], ["Taurus", ".38"]],
            "B": [["Calibre", "MARCA ", "Cor"], ["9mm", "Glock", "preta"]],
        },
    )
    res = read_items(path, sheet="ALL")
    assert res.report.mapping == {"Marca": "make", "Calibre": "calibre"}
    assert res.table["x_cor"].tolist()[1] == "preta"
    assert res.table["x_sheet"].tolist() == ["A", "B"]


def test_xlsx_interior_blank_rows_are_rejected(tmp_path, excel_engine):
    rows = [CUSTOMS[0], CUSTOMS[1], [], CUSTOMS[2]]
    res = read_items(_workbook(tmp_path / "gap.xlsx", {"S": rows}))
    check_invariant(res)
    assert res.rejects["row"].tolist() == [2]
    assert res.report.rows_in == 3


def test_xlsx_separator_rows_are_rejected(tmp_path, excel_engine):
    rows = [CUSTOMS[0], CUSTOMS[1], ["-----", "-----"], CUSTOMS[2], ["____"]]
    res = read_items(_workbook(tmp_path / "rule.xlsx", {"S": rows}))
    check_invariant(res)
    assert res.rejects["row"].tolist() == [2, 4]
    assert res.rejects["reason"].str.startswith("separator row").all()
    assert len(res.table) == 2


def test_xlsx_named_csv_is_detected_by_content(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", {"S": CUSTOMS})
    renamed = tmp_path / "x.csv"
    renamed.write_bytes(path.read_bytes())
    assert read_items(renamed).report.format == "xlsx"


def test_xlsx_hyperlink_text(tmp_path):
    rows = [["Marque", "Observations"], ["FN", '=HYPERLINK("http://x", "photo")']]
    import xlsxwriter

    path = tmp_path / "h.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.write_string(i, j, v)
    wb.close()
    res = read_items(path)
    assert res.table["notes"].iloc[0].startswith("=HYPERLINK")


# --------------------------------------------------------------------------------
# JSON, Parquet, DataFrame, SQL
# --------------------------------------------------------------------------------

ARMY = [
    {
        "id": "R1",
        "date_recovered": "2021-05-03",
        "type": "AKM",
        "make": "Izhmash",
        "serial_no": "123",
        "qty": 1,
        "location": {"lat": 12.1, "lon": 15.0},
    },
    {
        "id": "R2",
        "date_recovered": "2021-06-01",
        "type": "PKM",
        "make": "Norinco",
        "serial_no": None,
        "qty": 2,
        "transit": ["SDN", "TCD"],
    },
]


@pytest.mark.parametrize(
    "layout", ["array", "records-object", "lines"], ids=lambda x: x
)
def test_json_layouts(tmp_path, layout):
    if layout == "array":
        text, ext = json.dumps(ARMY), ".json"
    elif layout == "records-object":
        text, ext = json.dumps({"records": ARMY, "meta": {"n": 2}}), ".json"
    else:
        text, ext = "\n".join(json.dumps(r) for r in ARMY) + "\n", ".jsonl"
    res = read_items(write(tmp_path / f"army{ext}", text))
    check_invariant(res)
    assert res.table["record_id"].tolist() == ["R1", "R2"]
    assert res.report.mapping["serial_no"] == "serial"
    assert res.report.mapping["location.lat"] == "lat"
    assert res.table["transit_countries"].tolist()[1] == "SDN;TCD"


def test_json_lines_with_blank_and_broken_lines(tmp_path):
    lines = [json.dumps(ARMY[0]), "", "{not json", "[1, 2]", "{}", json.dumps(ARMY[1])]
    res = read_items(write(tmp_path / "army.ndjson", "\n".join(lines) + "\n"))
    check_invariant(res)
    assert res.report.format == "jsonl"
    assert res.report.rows_in == 6
    assert res.rejects["row"].tolist() == [2, 3, 4, 5]
    assert res.rejects["reason"].str.contains("invalid JSON").sum() == 1


def test_json_without_records(tmp_path):
    with pytest.raises(FileFormatError, match="not a list of records"):
        read_items(write(tmp_path / "x.json", '{"a": [1], "b": [2, 3]}'))
    with pytest.raises(FileFormatError, match="not valid JSON"):
        read_items(write(tmp_path / "y.json", '[{"a": 1},'))


def test_parquet(tmp_path):
    df = pd.DataFrame(
        {
            "Marque": ["FN", None],
            "Quantité": [1, None],
            "Date de saisie": pd.to_datetime(["2020-01-02", None]),
        }
    )
    path = tmp_path / "p.parquet"
    df.to_parquet(path)
    res = read_items(path)
    check_invariant(res)
    assert res.report.format == "parquet"
    assert res.report.rows_in == 2 and len(res.rejects) == 1


def test_dataframe_input_is_not_mutated_and_keeps_its_index():
    df = pd.DataFrame(
        {"Marque": ["FN", None, "FN"], "Calibre": ["7.62", None, "7.62"]},
        index=[10, 11, 12],
    )
    before = df.copy()
    res = read_items(df, source="demo")
    pd.testing.assert_frame_equal(df, before)
    check_invariant(res)
    assert res.table.index.tolist() == [10, 12]
    assert res.table["record_id"].tolist() == ["demo:1", "demo:3"]
    assert res.table["duplicate_of"].tolist() == [pd.NA, "demo:1"]
    assert res.rejects["row"].tolist() == [2]
    assert res.report.file is None and res.report.format == "dataframe"


def test_sql_sqlite(tmp_path):
    sa = pytest.importorskip("sqlalchemy")
    db = tmp_path / "seizures.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    armas = pd.DataFrame(
        {
            "marca": ["Taurus", "Glock"],
            "calibre": [".38", "9mm"],
            "controle": ["1-2019", "2-2019"],
        }
    )
    armas.to_sql("armas", engine, index=False)
    query = "SELECT * FROM armas ORDER BY marca DESC"
    res = read_items(engine, sql=query, mapping={"controle": "seizure_id"})
    check_invariant(res)
    assert res.report.format == "sql" and res.report.source == "seizures"
    assert res.table["seizure_id"].tolist() == ["1-2019", "2-2019"]
    assert len(read_items(f"sqlite:///{db}", sql=query).table) == 2
    assert len(read_items(None, sql=query, con=engine).table) == 2
    assert len(read_items(db, sql=query).table) == 2
    engine.dispose()
    with pytest.raises(InvalidParameterError, match="SQL query failed"):
        read_items(f"sqlite:///{db}", sql="SELECT * FROM nope")
    with pytest.raises(FileFormatError, match="SQLite database.*sql="):
        read_items(db)
    with pytest.raises(InvalidParameterError, match="without a database"):
        read_items(None, sql=query)


# --------------------------------------------------------------------------------
# Mapping, ids, duplicates
# --------------------------------------------------------------------------------


def test_partial_mapping_dict_and_unmapped_columns(tmp_path):
    text = "controle;tipo;marca;País;cor\n1-2019;pistola;Taurus;Brasil;preta\n"
    res = read_items(
        write(tmp_path / "m.csv", text),
        mapping={"País": "country_of_manufacture", "controle": "seizure_id"},
    )
    assert res.report.mapping == {
        "controle": "seizure_id",
        "tipo": "category",
        "marca": "make",
        "País": "country_of_manufacture",
    }
    assert res.report.unmapped == ["cor"]
    assert res.table["x_cor"].tolist() == ["preta"]


def test_mapping_field_to_header_orientation(tmp_path):
    res = read_items(
        write(tmp_path / "m.csv", "A;B\nFN;7.62\n"),
        mapping={"make": "A", "calibre": "B"},
    )
    assert res.report.mapping == {"A": "make", "B": "calibre"}


def test_toml_mapping_with_settings(tmp_path):
    toml = tmp_path / "m.toml"
    toml.write_text(
        'source = "rio"\ndelimiter = ";"\n[columns]\n'
        '"País" = "country_of_manufacture"\n',
        encoding="utf-8",
    )
    res = read_items(
        write(tmp_path / "x.csv", "Marca;País\nTaurus;Brasil\n"), mapping=toml
    )
    assert res.report.source == "rio"
    assert res.report.mapping["País"] == "country_of_manufacture"
    assert res.table["record_id"].tolist() == ["rio:1"]
    # an explicit argument wins over the file
    assert (
        read_items(tmp_path / "x.csv", mapping=str(toml), source="other").report.source
        == "other"
    )


def test_two_headers_for_one_field_are_noted_in_the_report(tmp_path):
    res = read_items(write(tmp_path / "two.csv", "Marque;Make;Calibre\nFN;FN H;7.62\n"))
    assert res.report.mapping == {"Marque": "make", "Calibre": "calibre"}
    assert res.report.unmapped == ["Make"]
    assert res.table["x_make"].tolist() == ["FN H"]
    assert any("'Make' also matches 'make'" in n for n in res.report.notes)
    assert "note: 'Make' also matches" in str(res.report)


def test_toml_for_another_table_is_refused(tmp_path):
    toml = tmp_path / "t.toml"
    toml.write_text('table = "traces"\n[columns]\n', encoding="utf-8")
    with pytest.raises(MappingError, match="'traces' table"):
        read_items(pd.DataFrame({"Marque": ["FN"]}), mapping=toml)


def test_unknown_field_in_mapping(tmp_path):
    with pytest.raises(MappingError, match="'serail'.*Valid fields"):
        read_items(write(tmp_path / "m.csv", "A;B\n1;2\n"), mapping={"A": "serail"})


def test_mapping_of_wrong_type():
    with pytest.raises(MappingError, match="dict"):
        read_items(pd.DataFrame({"Marque": ["FN"]}), mapping=["Marque"])


def test_repeated_record_ids_made_unique_and_flagged(tmp_path):
    text = "Réf.;Marque;Calibre\nA12;FN;7.62\nA12;Glock;9mm\nA12;Taurus;.38\n;FN;5.56\n"
    res = read_items(write(tmp_path / "ids.csv", text))
    check_invariant(res)
    t = res.table
    assert t["record_id"].tolist() == ["A12", "A12#2", "A12#3", "ids:4"]
    assert t["duplicate_of"].tolist() == [pd.NA, "A12", "A12", pd.NA]
    assert res.report.duplicates == 2


def test_exact_duplicate_rows_flagged_not_dropped(tmp_path):
    text = "Marque;Calibre\nFN;7.62\nGlock;9mm\nFN;7.62\nFN;7.62\nFN;5.56\n"
    res = read_items(write(tmp_path / "d.csv", text))
    t = res.table
    assert len(t) == 5
    assert t["duplicate_of"].tolist() == [pd.NA, pd.NA, "d:1", "d:1", pd.NA]


def test_exact_duplicates_ignore_the_record_id(tmp_path):
    text = "Réf.;Marque\nA;FN\nB;FN\n"
    t = read_items(write(tmp_path / "d.csv", text)).table
    assert t["duplicate_of"].tolist() == [pd.NA, "A"]


def test_duplicate_of_a_renamed_id_then_a_twin_row_then_the_files_own(tmp_path):
    # row 2 repeats id A (renamed A#2: it repeats A); row 4 repeats row 3
    # cell for cell but its id (its own duplicate_of is ignored: the id wins);
    # row 5 is new but the file says it duplicates C
    text = (
        "record_id;make;calibre;duplicate_of\n"
        "A;FN;7.62;\nA;Glock;9mm;\nB;Taurus;.38;\nD;Taurus;.38;\nE;CZ;9mm;C\n"
    )
    t = read_items(write(tmp_path / "dups.csv", text)).table
    assert t["record_id"].tolist() == ["A", "A#2", "B", "D", "E"]
    assert t["duplicate_of"].tolist() == [pd.NA, "A", pd.NA, "B", "C"]
    assert str(t["duplicate_of"].dtype) == "string"


def test_first_identical_matches_a_brute_force(rng):
    n = 30_000
    a = rng.integers(0, 25, n).astype(str)
    b = rng.integers(0, 25, n).astype(str)
    b[::7] = None
    import pyarrow as pa

    frames = [
        pd.DataFrame({"a": a.astype(object), "b": b.astype(object)}),
        pa.table({"a": a, "b": pd.Series(b, dtype=object)}).to_pandas(),
    ]
    first: dict = {}
    expected = np.full(n, -1)
    for i, key in enumerate(zip(a, b, strict=True)):
        if key in first:
            expected[i] = first[key]
        else:
            first[key] = i
    for frame in frames:
        np.testing.assert_array_equal(first_identical(frame), expected)


def test_first_identical_with_a_column_of_nearly_unique_values(rng):
    """Serial-like cells: the text-length pass is skipped; same answers."""
    n = 30_000
    serial = pd.Series([f"AB-{v}" for v in rng.integers(0, 10**9, n)], dtype="string")
    serial[rng.integers(0, n, 600)] = serial[rng.integers(0, n, 600)].to_numpy()
    kind = pd.Series(rng.choice(["pistolet", "fusil", None], n), dtype="string")
    frame = pd.DataFrame({"serial": serial, "kind": kind})
    first: dict = {}
    expected = np.full(n, -1)
    for i, key in enumerate(zip(serial.tolist(), kind.tolist(), strict=True)):
        if key in first:
            expected[i] = first[key]
        else:
            first[key] = i
    assert (expected >= 0).sum() > 100
    np.testing.assert_array_equal(first_identical(frame), expected)


def test_first_identical_fingerprints_two_varied_columns_and_stays_exact(rng):
    """A seizure number on two or three items and a serial: both are read at
    once, as one fingerprint per row; rows whose fingerprints only look alike
    (cells that joined as text would match, a null against the empty text)
    are told apart by the exact pass."""
    n = 20_000
    seizure = pd.Series(
        [f"PV/{v}" for v in rng.integers(0, n // 2, n)], dtype="string[pyarrow]"
    )
    serial = pd.Series(
        [f"SN{v}" for v in rng.integers(0, 10**9, n)], dtype="string[pyarrow]"
    )
    kind = pd.Series(rng.choice(["pistolet", "fusil"], n), dtype="string[pyarrow]")
    copies, of = rng.integers(10, n, 300), rng.integers(10, n, 300)
    for column in (seizure, serial, kind):  # whole records entered twice
        column[copies] = column[of].to_numpy()
    # rows 0-3: joins equal, rows not ("a\x1fb" + "c" against "a" + "b\x1fc";
    # a null against the text "\x1e")
    seizure[:4] = ["a\x1fb", "a", None, "\x1e"]
    serial[:4] = ["c", "b\x1fc", "z", "z"]
    kind[:4] = "fusil"
    frame = pd.DataFrame({"seizure": seizure, "serial": serial, "kind": kind})
    first: dict = {}
    expected = np.full(n, -1)
    for i, key in enumerate(zip(*(frame[c].tolist() for c in frame), strict=True)):
        key = tuple(None if pd.isna(v) else v for v in key)
        if key in first:
            expected[i] = first[key]
        else:
            first[key] = i
    assert (expected >= 0).sum() > 50
    assert (expected[:4] == -1).all()
    np.testing.assert_array_equal(first_identical(frame), expected)


def test_fingerprint_collisions_are_settled_by_the_exact_pass(rng):
    # cells of one length with the same first and last eight bytes fold alike
    # (the middle is never read): every row here has the same fingerprint, and
    # the exact pass still finds exactly the whole records entered twice
    from iti_analytics.io._ids import _fingerprint_twins

    n = 20_000
    seizure = pd.Series(
        [f"PV/2023/{k:06d}/GOMA-NORD" for k in rng.integers(0, 10**6, n)],
        dtype="string[pyarrow]",
    )
    serial = pd.Series(
        [f"ABCDEFGH{m:06d}STUVWXYZ" for m in rng.integers(0, 10**6, n)],
        dtype="string[pyarrow]",
    )
    copies, of = rng.integers(10, n, 300), rng.integers(10, n, 300)
    for column in (seizure, serial):
        column[copies] = column[of].to_numpy()
    frame = pd.DataFrame({"seizure": seizure, "serial": serial})
    assert _fingerprint_twins(frame, [0, 1], [n, n], n).size == n
    first: dict = {}
    expected = np.full(n, -1)
    for i, key in enumerate(zip(seizure, serial, strict=True)):
        expected[i] = first.setdefault(key, i)
    expected[expected == np.arange(n)] = -1
    assert (expected >= 0).sum() > 250
    np.testing.assert_array_equal(first_identical(frame), expected)


@pytest.mark.parametrize("layout", ["large", "small", "sliced", "chunked"])
def test_fingerprints_depend_on_the_cells_not_their_buffers(layout, rng):
    import pyarrow as pa

    from iti_analytics.io._ids import _fold_text

    values = [
        None,
        "",
        "a",
        "é",
        "12345678",
        "123456789",
        "Domicile de Mme X, Goma",
        "\x00",
        "KC-39784590",
        "",
        None,
        "12345678",
    ]
    values = [values[i] for i in rng.integers(0, len(values), 500)]
    values[-1] = "z"  # a one-byte cell at the very end of the buffer

    def fold(arr):
        h = np.zeros(len(arr), dtype=np.uint64)
        at, word = np.empty(len(arr), np.int64), np.empty(len(arr), np.uint64)
        pos = 0
        for chunk in getattr(arr, "chunks", [arr]):
            rows = slice(pos, pos + len(chunk))
            assert _fold_text(h[rows], chunk, at[rows], word[rows])
            pos += len(chunk)
        return h

    reference = fold(pa.array(values, pa.large_string()))
    if layout == "large":
        other = pa.array(["padding", *values], pa.large_string()).slice(1)
    elif layout == "small":
        other = pa.array(values, pa.string())
    elif layout == "sliced":
        other = pa.array(["x" * 40, *values, "y"], pa.string()).slice(1, len(values))
    else:
        other = pa.chunked_array(
            [pa.array(values[:123], pa.string()), pa.array(values[123:], pa.string())]
        )
    np.testing.assert_array_equal(fold(other), reference)
    # equal cells fold equally, and these few different cells all differ
    by_value: dict = {}
    for v, f in zip(values, reference.tolist(), strict=True):
        by_value.setdefault(v, set()).add(f)
    assert all(len(f) == 1 for f in by_value.values())
    assert len({next(iter(f)) for f in by_value.values()}) == len(by_value)
    # a column of tiny cells (a data buffer under eight bytes) folds too
    tiny = fold(pa.array(["a", None, "b", "a"], pa.string()))
    assert tiny[0] == tiny[3] and len(set(tiny.tolist())) == 3


def test_read_traces_uses_trace_id(tmp_path):
    text = (
        "trace_id,record_id,requesting_country,requested_party,sent_on\n"
        "T1,A1,TCD,BEL,2021-01-02\nT1,A2,TCD,CHN,2021-01-03\n,A3,TCD,USA,\n"
    )
    res = read_traces(write(tmp_path / "traces.csv", text))
    check_invariant(res)
    t = res.table
    assert t["trace_id"].tolist() == ["T1", "T1#2", "traces:3"]
    assert t["record_id"].tolist() == ["A1", "A2", "A3"]
    assert t["duplicate_of"].tolist()[1] == "T1"
    assert res.report.table == "traces"


def test_read_movements(tmp_path):
    text = "year,source_state,recovery_state,count\n2010,ALABAMA,ALASKA,3\n"
    res = read_movements(write(tmp_path / "atf.csv", text))
    assert res.report.mapping == {
        "year": "year",
        "source_state": "origin",
        "recovery_state": "destination",
        "count": "count",
    }
    assert res.table["movement_id"].tolist() == ["atf:1"]


def test_read_table_checks_the_table_name():
    with pytest.raises(InvalidParameterError, match="`table`"):
        read_table(pd.DataFrame({"a": [1]}), "weapons")


# --------------------------------------------------------------------------------
# Report and result
# --------------------------------------------------------------------------------


def test_report_access_and_text(tmp_path):
    res = read_items(write(tmp_path / "police.csv", FRENCH + "\n", "cp1252"))
    r = res.report
    assert isinstance(r, LoadReport)
    assert r["rows_in"] == r.rows_in == 4
    d = r.to_dict()
    assert json.loads(json.dumps(d))["rows_rejected"] == 1
    assert dict(r)["source"] == "police"
    with pytest.raises(KeyError):
        r["nope"]
    text = str(r)
    assert "police.csv" in text and "4 in = 3 loaded + 1 rejected" in text
    assert "'N° de série' -> serial" in text
    assert r.seconds >= 0
    assert repr(res).startswith("<LoadResult items from ") and "3 rows" in repr(res)
    table, issues, rejects, report = res
    assert report is r


def test_progress_bar_on_request(tmp_path, capsys):
    read_items(write(tmp_path / "p.csv", FRENCH), progress=True)
    assert "loading p.csv" in capsys.readouterr().err


# --------------------------------------------------------------------------------
# Property: rows are conserved and kept in order
# --------------------------------------------------------------------------------

_CELL = st.text(alphabet="0123456789 .-_é'\";,|\t\n", max_size=6)
_RULE = set(" \t\n-=_*~#+|")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(st.tuples(_CELL, _CELL, _CELL), max_size=25),
    blank_at=st.lists(st.integers(0, 30), max_size=4),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_rows_are_conserved_and_kept_in_order(
    tmp_path, rows, blank_at, delimiter, encoding
):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Marque", "Calibre", "Payload"])
    lines: list[tuple[str, ...] | None] = list(rows)
    for pos in sorted(blank_at, reverse=True):
        lines.insert(min(pos, len(lines)), None)
    for line in lines:
        if line is None:
            buf.write("\n")
        else:
            writer.writerow(line)
    path = tmp_path / "prop.csv"
    path.write_bytes(buf.getvalue().encode(encoding))

    res = read_items(path, delimiter=delimiter)
    assert res.report.rows_in == len(lines)
    assert res.report.rows_in == len(res.table) + len(res.rejects)
    # lines of whitespace and rule characters ("-", "_", "|") only are rejects
    kept = [
        (i, line)
        for i, line in enumerate(lines, start=1)
        if line is not None and any(set(c) - _RULE for c in line)
    ]
    assert res.table["record_id"].tolist() == [f"prop:{i}" for i, _ in kept]
    payload = [line[2] if line[2] != "" else None for _, line in kept]
    got = [None if pd.isna(v) else v for v in res.table["x_payload"]]
    assert got == payload


# --------------------------------------------------------------------------------
# Real data (skipped when ../shared/data/real is absent)
# --------------------------------------------------------------------------------

RIO = "rj_seized_firearms_isdp"
RIO_MAPPING = {"País": "country_of_manufacture", "controle": "seizure_id"}


@pytest.mark.parametrize(
    ("name", "rows", "weapons", "ammunition"),
    [
        ("24648_APREENS_ARMA_FOGO_2017_BASE_APREENSAO.xlsx", 30_627, 13_725, 16_902),
        ("24648_APREENS_ARMA_FOGO_2022_02_BASE_APREENSAO.xlsx", 2_975, 1_679, 1_296),
    ],
    ids=["2017", "2022_02"],
)
def test_rio_seizure_spreadsheets(real_data, name, rows, weapons, ammunition):
    start = time.perf_counter()
    res = read_items(real_data / RIO / name, mapping=RIO_MAPPING)
    seconds = time.perf_counter() - start
    assert seconds < 60
    check_invariant(res)
    r = res.report
    assert r.header_row == 3 and r.rows_in == rows and len(res.rejects) == 0
    for header, field in {
        "Número de Série": "serial",
        "Classe": "item_kind",
        "Tipo": "category",
        "Marca": "make",
        "Modelo": "model",
        "Calibre": "calibre",
        "Data Registro": "seized_on",
        "Bairro": "locality",
        "País": "country_of_manufacture",
    }.items():
        assert r.mapping[header] == field
    t = res.table
    kinds = t["item_kind"].value_counts()
    assert kinds["weapon"] == weapons and kinds["ammunition"] == ammunition
    firearms = t[t["item_kind"] == "weapon"]
    assert firearms["make"].value_counts().index[0] == "Taurus"
    made = firearms["country_of_manufacture"].value_counts()
    assert made.index[0] == "BRA" and "USA" in made.index
    assert t.loc[t["make"] == "Taurus", "country_of_manufacture"].eq("BRA").mean() > 0.9
    assert (
        firearms["category"].isin(schema.VOCABULARIES[("items", "category")]).mean()
        > 0.95
    )
    assert t["calibre"].isin([".38 Special", "9x19mm"]).sum() > rows * 0.2
    assert t["seized_on"].dt.year.dropna().between(2017, 2022).all()
    assert "x_circunscricao" in t.columns


def test_rio_isp_csv(real_data):
    res = read_items(real_data / RIO / "dadosRJ_armas.csv", mapping=RIO_MAPPING)
    check_invariant(res)
    r = res.report
    assert (r.encoding, r.delimiter) == ("cp1252", ";")
    assert r.rows_in == 34_682 and len(res.table) == 34_682
    assert r.duplicates == 1_892
    assert r.mapping == {
        "controle": "seizure_id",
        "tipo": "category",
        "calibre": "calibre",
        "marca": "make",
        "quantidade": "quantity",
    }
    t = res.table
    assert t["seizure_id"].nunique() == 27_223
    assert t["category"].value_counts().index[:2].tolist() == ["pistol", "revolver"]
    assert t["make"].value_counts().index[0] == "Taurus"
    assert t["quantity"].max() == 7
    dup = t[t["duplicate_of"].notna()].iloc[0]
    original = t.set_index("record_id").loc[dup["duplicate_of"]]
    assert dup["seizure_id"] == original["seizure_id"]


def test_rio_2018_utf8_csv(real_data):
    res = read_items(
        real_data / RIO / "Protocolo_042_2024_armas_2018.csv", mapping=RIO_MAPPING
    )
    assert res.report.encoding == "utf-8"
    assert res.report.rows_in == 8_721 and res.report.duplicates == 531


def test_blank_rows_found_on_first_bytes_as_on_every_cell(rng):
    """The first-byte filter of the first column changes no answer."""
    import pyarrow as pa

    from iti_analytics.io._delimited import _arrow_blank, _rule_cells

    pieces = [
        "",
        " ",
        "-",
        "=",
        "\t",
        "—",
        "─",
        "\u00a0",
        "\u3000",
        "a",
        "1",
        "é",
        "x-",
    ]
    cells = [
        None if rng.random() < 0.1 else "".join(rng.choice(pieces, rng.integers(1, 4)))
        for _ in range(6_000)
    ]
    column = pa.chunked_array(
        [
            pa.array(cells[:2_500], pa.large_string()),
            pa.array(cells[2_500:], pa.large_string()),
        ]
    )
    t = pa.table({"c0": column, "c1": pa.array(cells[::-1], pa.large_string())})
    t = t.slice(7)  # chunks that start inside their buffers
    expected = np.logical_and.reduce([_rule_cells(c) for c in t.columns])
    assert expected.sum() > 100
    np.testing.assert_array_equal(_arrow_blank(t), expected)


def test_newline_scan_matches_count_and_a_find_per_block(rng):
    from iti_analytics.io._delimited import MAX_COLUMNS, _newlines

    step = MAX_COLUMNS // 2
    for size, gap in [(0, 10), (3_000, 50), (2_600_000, 2_000), (2_600_000, 2_600)]:
        data = bytearray(rng.integers(32, 127, size, dtype=np.uint8).tobytes())
        at = 0
        while size and at < size:
            data[at] = 10
            at += int(rng.integers(1, gap))
        data = bytes(data)
        for start in (0, 7, min(size, 4_321)):
            short = all(
                data.find(b"\n", s, s + step) >= 0
                for s in range(start, len(data) - step + 1, step)
            )
            assert _newlines(data, start) == (data.count(b"\n", start), short)
