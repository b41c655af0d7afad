"""Dataset: merging sources, unique ids, validation, summary and Parquet round trip."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

from iti_analytics import schema
from iti_analytics.dataset import ISSUE_COLUMNS, Dataset, table_schema
from iti_analytics.exceptions import FileFormatError, InvalidParameterError, SchemaError


@pytest.fixture
def police():
    return pd.DataFrame(
        {
            "record_id": ["12", "13", "14"],
            "source": "police",
            "status": ["seized", "found", None],
            "seized_on": pd.to_datetime(["2021-03-04", "2022-01-31", None]),
            "country": ["NER", "NER", "MLI"],
            "make": ["Kalashnikov", None, "Glock"],
            "serial": ["AK123", None, "G77"],
            "category": ["assault_rifle", "pistol", "pistol"],
            "quantity": [1, 1, 2],
            "x_officer": ["A", "B", "C"],
        }
    )


@pytest.fixture
def army():
    return pd.DataFrame(
        {
            "record_id": ["12", "99"],
            "source": "army",
            "status": ["seized", "surrendered"],
            "country": ["BFA", "BFA"],
            "import_marked": [True, None],
            "year_of_manufacture": [1975, None],
            "x_unit": ["3rd", "5th"],
        }
    )


@pytest.fixture
def traces():
    return pd.DataFrame(
        {
            "trace_id": ["T1", "T2"],
            "record_id": ["13", "404"],
            "source": "tracing_unit",
            "status": ["responded", "sent"],
            "outcome": ["traced", "pending"],
            "sent_on": ["2022-02-01", "2022-03-01"],
        }
    )


def _load_result(table, frame, issues=None, rejects=None, source="police"):
    """A stand-in for iti_analytics.io.LoadResult (the Dataset duck-types it)."""
    issues = (
        issues
        if issues is not None
        else pd.DataFrame(
            columns=["record_id", "column", "raw_value", "problem"], dtype="string"
        )
    )
    rejects = (
        rejects
        if rejects is not None
        else pd.DataFrame(
            {
                "row": pd.Series([], dtype="int64"),
                "raw": pd.Series([], dtype="string"),
                "reason": pd.Series([], dtype="string"),
            }
        )
    )
    report = SimpleNamespace(source=source, table=table, rows_in=len(frame))
    return SimpleNamespace(
        table=schema.conform(frame, table),
        issues=issues,
        rejects=rejects,
        report=report,
    )


# --------------------------------------------------------------------------- building


def test_partial_frames_get_every_canonical_column(police):
    ds = Dataset(
        items=police[["record_id", "make"]], traces=pd.DataFrame({"trace_id": ["T"]})
    )
    assert list(ds.items.columns[: len(schema.TABLES["items"])]) == schema.columns(
        "items"
    )
    assert ds.items["status"].isna().all()
    assert ds.items["seized_on"].dtype == schema.DATE_DTYPE
    assert ds.traces["outcome"].dtype == "string"
    assert len(ds.actors) == 0 and list(ds.actors.columns) == schema.columns("actors")
    assert len(ds.movements) == 0


def test_empty_dataset_has_empty_canonical_tables():
    ds = Dataset()
    assert len(ds) == 0
    for name, frame in ds.tables().items():
        pd.testing.assert_frame_equal(frame, schema.empty_table(name))
    assert list(ds.issues.columns) == ISSUE_COLUMNS
    assert "0 items" in repr(ds)


def test_caller_frames_are_never_modified(police, army):
    before_p, before_a = police.copy(), army.copy()
    ds = Dataset(items=[police, army])
    ds.items.loc[0, "make"] = "changed"
    pd.testing.assert_frame_equal(police, before_p)
    pd.testing.assert_frame_equal(army, before_a)


def test_missing_record_ids_are_made_from_source_and_row():
    ds = Dataset(
        items=pd.DataFrame({"source": "customs", "record_id": ["C1", None, None]})
    )
    assert ds.items["record_id"].tolist() == ["C1", "customs:2", "customs:3"]
    anonymous = Dataset(items=pd.DataFrame({"make": ["FN", "FN"]}))
    assert anonymous.items["record_id"].tolist() == ["input1:1", "input1:2"]


def test_sources_are_concatenated_in_order_with_extras_kept(police, army):
    ds = Dataset(items=[police, army])
    assert len(ds) == 5
    assert ds.items["source"].tolist() == ["police"] * 3 + ["army"] * 2
    assert ds.items["x_officer"].tolist()[:3] == ["A", "B", "C"]
    assert ds.items["x_unit"].tolist()[3:] == ["3rd", "5th"]
    assert ds.items["year_of_manufacture"].dtype == "Int64"
    assert ds.items.index.equals(pd.RangeIndex(5))
    assert ds.sources == {"items": ["police", "army"]}


def test_id_used_by_two_sources_is_prefixed_and_noted(police, army):
    ds = Dataset(items=[police, army])
    assert ds.items["record_id"].tolist() == ["police:12", "13", "14", "army:12", "99"]
    assert ds.items["record_id"].is_unique
    noted = ds.issues[ds.issues["column"] == "record_id"]
    assert noted["record_id"].tolist() == ["police:12", "army:12"]
    assert noted["raw_value"].tolist() == ["12", "12"]
    assert noted["problem"].str.contains("also used by another source").all()


def test_same_source_twice_gets_distinct_prefixes(army):
    ds = Dataset(items=[army, army])
    assert ds.items["record_id"].tolist() == [
        "army:12",
        "army:99",
        "army#2:12",
        "army#2:99",
    ]


def test_id_repeated_inside_one_frame_is_renamed_and_flagged():
    df = pd.DataFrame({"record_id": ["A", "A", "B", "A"], "source": "police"})
    ds = Dataset(items=df)
    assert ds.items["record_id"].tolist() == ["A", "A#2", "B", "A#3"]
    assert ds.items["duplicate_of"].tolist() == [pd.NA, "A", pd.NA, "A"]
    assert len(ds) == 4
    assert ds.issues["problem"].str.contains("repeated").sum() == 2


def test_trace_ids_are_made_unique_too(traces):
    ds = Dataset(traces=[traces, traces.assign(source="interpol")])
    assert ds.traces["trace_id"].tolist() == [
        "tracing_unit:T1",
        "tracing_unit:T2",
        "interpol:T1",
        "interpol:T2",
    ]


@pytest.mark.parametrize("bad", ["file.csv", 3, [pd.DataFrame(), "x.csv"]], ids=str)
def test_arguments_that_are_not_frames_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="DataFrame, a LoadResult"):
        Dataset(items=bad)


def test_a_path_suggests_from_files():
    with pytest.raises(InvalidParameterError, match=r"Dataset.from_files\(items="):
        Dataset(items="police.csv")


# --------------------------------------------------------------------------- validation


def test_bad_status_vocabulary_raises_schema_error(police):
    bad = police.assign(status=["seized", "confiscated", "confiscated"])
    with pytest.raises(SchemaError, match="items.status") as info:
        Dataset(items=bad)
    err = info.value
    assert "'confiscated' (2 rows)" in str(err)
    assert "seized, found, surrendered, captured, lost, stolen" in str(err)
    cases = err.failure_cases
    assert list(cases.columns) == ["table", "column", "check", "value", "count"]
    assert cases.to_dict("records") == [
        {
            "table": "items",
            "column": "status",
            "check": "vocabulary",
            "value": "confiscated",
            "count": 2,
        }
    ]


@pytest.mark.parametrize(
    ("table", "frame", "column", "check"),
    [
        ("traces", pd.DataFrame({"status": ["answered"]}), "status", "vocabulary"),
        ("traces", pd.DataFrame({"outcome": ["ok"]}), "outcome", "vocabulary"),
        ("items", pd.DataFrame({"country": ["France"]}), "country", "format"),
        (
            "items",
            pd.DataFrame({"transit_countries": ["NER, MLI"]}),
            "transit_countries",
            "format",
        ),
        ("items", pd.DataFrame({"lat": [123.0]}), "lat", "range"),
        ("items", pd.DataFrame({"seized_on": ["not a date"]}), "seized_on", "dtype"),
        ("actors", pd.DataFrame({"actor_type": ["gang"]}), "actor_type", "vocabulary"),
        ("movements", pd.DataFrame({"evidence": ["rumour"]}), "evidence", "vocabulary"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_kind_of_schema_break_is_reported(table, frame, column, check):
    with pytest.raises(SchemaError) as info:
        Dataset(**{table: frame})
    cases = info.value.failure_cases
    assert (cases["table"] == table).all()
    assert cases[["column", "check"]].values.tolist() == [[column, check]]
    assert "read_items" in str(info.value)  # says how to fix


def test_all_failures_are_collected_at_once(police, traces):
    with pytest.raises(SchemaError) as info:
        Dataset(
            items=police.assign(status="x", country="Niger"),
            traces=traces.assign(channel="pigeon"),
        )
    cases = info.value.failure_cases
    assert set(map(tuple, cases[["table", "column"]].values)) == {
        ("items", "status"),
        ("items", "country"),
        ("traces", "channel"),
    }


def test_values_that_cannot_be_converted_are_listed():
    df = pd.DataFrame(
        {
            "year_of_manufacture": [1999.5, 2000, "abc"],
            "import_marked": ["oui", True, "false"],
        }
    )
    with pytest.raises(SchemaError, match="expected a whole number") as info:
        Dataset(items=df)
    cases = info.value.failure_cases
    assert cases[["column", "value"]].values.tolist() == [
        ["year_of_manufacture", "1999.5"],
        ["year_of_manufacture", "abc"],
        ["import_marked", "oui"],
    ]
    ds = Dataset(items=df, validate=False)  # the rows stay, the cells become null
    assert ds.items["year_of_manufacture"].tolist() == [pd.NA, 2000, pd.NA]
    assert ds.items["import_marked"].tolist() == [pd.NA, True, False]


def test_validate_false_keeps_values_as_given(police):
    ds = Dataset(items=police.assign(status="confiscated"), validate=False)
    assert (ds.items["status"] == "confiscated").all()


def test_valid_ISO_3166_2_places_in_movements():
    ds = Dataset(movements=pd.DataFrame({"origin": ["US-VA"], "destination": ["MEX"]}))
    assert ds.movements["origin"].tolist() == ["US-VA"]


def test_bad_values_in_a_load_result_become_null_with_an_issue(police):
    res = _load_result("items", police.assign(status=["seized", "bogus", None]))
    ds = Dataset(items=res)
    assert ds.items["status"].tolist() == ["seized", pd.NA, pd.NA]
    issue = ds.issues.iloc[0]
    assert (
        issue["table"],
        issue["record_id"],
        issue["column"],
        issue["raw_value"],
    ) == (
        "items",
        "13",
        "status",
        "bogus",
    )
    assert "allowed: seized" in issue["problem"]
    assert res.table["status"].iloc[1] == "bogus"  # the LoadResult is untouched


def test_load_result_issues_and_rejects_are_kept_with_table_and_source(police):
    issues = pd.DataFrame(
        {
            "record_id": ["12"],
            "column": ["seized_on"],
            "raw_value": ["31/02/2021"],
            "problem": ["impossible date 31/02/2021"],
        }
    ).astype("string")
    rejects = pd.DataFrame({"row": [7], "raw": [";;;"], "reason": ["blank line"]})
    ds = Dataset(items=_load_result("items", police, issues, rejects))
    assert ds.issues.iloc[0][ISSUE_COLUMNS].tolist() == [
        "items",
        "police",
        "12",
        "seized_on",
        "31/02/2021",
        "impossible date 31/02/2021",
    ]
    assert ds.rejects.columns[:2].tolist() == ["table", "source"]
    assert ds.rejects.iloc[0].tolist() == ["items", "police", 7, ";;;", "blank line"]
    assert len(ds.reports) == 1


def test_issues_follow_renamed_ids(police, army):
    issues = pd.DataFrame(
        {"record_id": ["12"], "column": ["make"], "raw_value": ["?"], "problem": ["x"]}
    ).astype("string")
    ds = Dataset(items=[_load_result("items", police, issues), army])
    assert ds.issues["record_id"].iloc[0] == "police:12"


def test_traces_pointing_to_unknown_items_are_issues_not_errors(police, traces):
    ds = Dataset(items=police, traces=traces)
    orphans = ds.issues[ds.issues["table"] == "traces"]
    assert orphans[["record_id", "raw_value"]].values.tolist() == [["T2", "404"]]
    assert "not among the items" in orphans["problem"].iloc[0]
    assert len(ds.traces) == 2


def test_trace_to_an_id_split_between_sources_says_which(police, army):
    traces = pd.DataFrame({"trace_id": ["T1"], "record_id": ["12"]})
    ds = Dataset(items=[police, army], traces=traces)
    problem = ds.issues.loc[ds.issues["table"] == "traces", "problem"].item()
    assert "police:12, army:12" in problem


def test_table_schema_is_a_pandera_schema():
    s = table_schema("traces")
    assert set(s.columns) == set(schema.columns("traces"))
    assert s.columns["channel"].checks[0].name == "vocabulary"
    with pytest.raises(InvalidParameterError, match="table"):
        table_schema("weapons")


# --------------------------------------------------------------------------- summary


def test_summary_counts_and_completeness(police, army, traces):
    dup = police.assign(duplicate_of=[None, None, "12"])
    ds = Dataset(items=[dup, army], traces=traces)
    s = ds.summary().set_index(["table", "source"])
    assert s.loc[("items", "police"), ["rows", "duplicates", "issues"]].tolist() == [
        3,
        1,
        1,
    ]
    assert s.loc[("items", "army"), "rows"] == 2
    assert s.loc[("items", "all"), "rows"] == 5
    assert s.loc[("items", "police"), "serial_pct"] == pytest.approx(66.7)
    assert s.loc[("items", "army"), "serial_pct"] == 0.0
    assert s.loc[("items", "all"), "make_pct"] == 40.0
    assert s.loc[("traces", "tracing_unit"), "issues"] == 1  # T2 -> unknown item
    assert s.loc[("traces", "tracing_unit"), "outcome_pct"] == 100.0
    assert pd.isna(s.loc[("traces", "tracing_unit"), "serial_pct"])
    assert "name_pct" not in s.columns  # no actors


def test_summary_of_one_table(police, traces):
    s = Dataset(items=police, traces=traces).summary("traces")
    assert s["table"].tolist() == ["traces"]
    assert [c for c in s.columns if c.endswith("_pct")] == [
        "requested_party_pct",
        "sent_on_pct",
        "responded_on_pct",
        "outcome_pct",
    ]


def test_summary_counts_rejects_of_a_source_without_rows():
    rejects = pd.DataFrame({"row": [1], "raw": ["%PDF"], "reason": ["binary"]})
    res = _load_result(
        "items", pd.DataFrame({"record_id": []}), rejects=rejects, source="lab"
    )
    s = Dataset(items=res).summary()
    assert s[["source", "rows", "rejects"]].values.tolist() == [["lab", 0, 1]]


def test_repr_and_html_show_the_summary_compactly(police, army, traces):
    ds = Dataset(items=[police, army], traces=traces)
    text = repr(ds)
    assert text.splitlines()[0] == (
        "Dataset: 5 items from 2 sources, 2 traces, 0 actors, 0 movements; "
        "3 issues, 0 rejects"
    )
    assert "police" in text and "serial %" in text and "outcome %" in text
    assert max(len(line) for line in text.splitlines()) < 120
    page = ds._repr_html_()
    assert page.startswith("<div") and "<table" in page and "police" in page
    assert "5 items from 2 sources" in page


# --------------------------------------------------------------------------- basics


def test_len_copy_and_filter(police, army, traces):
    ds = Dataset(items=[police, army], traces=traces)
    assert len(ds) == 5
    other = ds.copy()
    other.items.loc[0, "make"] = "changed"
    other.issues.loc[0, "problem"] = "changed"
    assert ds.items.loc[0, "make"] == "Kalashnikov"
    assert ds.issues.loc[0, "problem"] != "changed"

    niger = ds.filter(ds.items["country"] == "NER")
    assert niger.items["record_id"].tolist() == ["police:12", "13"]
    assert niger.traces["trace_id"].tolist() == ["T1"]
    assert set(niger.issues["record_id"]) <= {"police:12", "13", "T2"}
    with pytest.raises(InvalidParameterError, match="items_mask"):
        ds.filter([True, False])


# --------------------------------------------------------------------------- parquet


def _assert_same(a: Dataset, b: Dataset) -> None:
    for name in ("items", "traces", "actors", "movements", "issues", "rejects"):
        pd.testing.assert_frame_equal(
            getattr(a, name), getattr(b, name), check_exact=True
        )


def test_parquet_round_trip_is_exact(tmp_path, police, army, traces):
    issues = pd.DataFrame(
        {"record_id": ["13"], "column": ["make"], "raw_value": ["??"], "problem": ["p"]}
    ).astype("string")
    rejects = pd.DataFrame({"row": [9], "raw": ["garbage"], "reason": ["ragged"]})
    ds = Dataset(
        items=[_load_result("items", police, issues, rejects), army],
        traces=traces,
        actors=pd.DataFrame(
            {"actor_id": ["a1"], "name": ["X"], "actor_type": ["person"]}
        ),
        movements=pd.DataFrame(
            {"origin": ["US-VA"], "destination": ["MEX"], "count": [3]}
        ),
    )
    folder = ds.to_parquet(tmp_path / "ds")
    back = Dataset.read_parquet(folder)
    _assert_same(ds, back)
    assert back.items["seized_on"].dtype == "datetime64[s]"
    assert back.items["import_marked"].dtype == "boolean"
    assert back.reports == [{"source": "police", "table": "items", "rows_in": 3}]

    manifest = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["sources"]["items"] == ["police", "army"]
    assert manifest["created"]
    assert {p.name for p in folder.iterdir()} == {
        "items.parquet",
        "traces.parquet",
        "actors.parquet",
        "movements.parquet",
        "issues.parquet",
        "rejects.parquet",
        "dataset.json",
    }


def test_parquet_round_trip_of_an_empty_dataset(tmp_path):
    ds = Dataset()
    _assert_same(ds, Dataset.read_parquet(ds.to_parquet(tmp_path)))


def test_mixed_object_extra_column_is_written_as_text(tmp_path):
    ds = Dataset(items=pd.DataFrame({"record_id": ["a", "b"], "x_mixed": [1, "two"]}))
    back = Dataset.read_parquet(ds.to_parquet(tmp_path))
    assert back.items["x_mixed"].tolist() == ["1", "two"]


def test_read_parquet_errors_say_what_to_do(tmp_path):
    with pytest.raises(FileFormatError, match="Dataset.to_parquet"):
        Dataset.read_parquet(tmp_path / "nowhere")
    folder = Dataset().to_parquet(tmp_path / "old")
    manifest = json.loads((folder / "dataset.json").read_text())
    manifest["schema_version"] = 0
    (folder / "dataset.json").write_text(json.dumps(manifest))
    with pytest.raises(SchemaError, match="schema version 0"):
        Dataset.read_parquet(folder)
    (folder / "dataset.json").write_text("{not json")
    with pytest.raises(FileFormatError, match="not valid JSON"):
        Dataset.read_parquet(folder)


def test_to_parquet_refuses_a_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(FileFormatError, match="not a folder"):
        Dataset().to_parquet(target)


# --------------------------------------------------------------------------- with io


@pytest.fixture
def io():
    return pytest.importorskip("iti_analytics.io")


def _write_police(path, ref="R"):
    text = (
        "N° PV;Date de saisie;Pays;Statut;Marque;N° de série;Réf.\n"
        f"PV1;03/04/2021;France;saisie;Kalachnikov;AK 123;{ref}1\n"
        f"PV1;03/04/2021;Niger;trouvée;Glock;;{ref}2\n"
        f"PV2;31/02/2021;Atlantis;volée;FN;X-1;{ref}3\n"
    )
    path.write_bytes(text.encode("cp1252"))
    return path


def test_from_files_reads_and_merges(tmp_path, io):
    police = _write_police(tmp_path / "police.csv")
    gendarmerie = _write_police(tmp_path / "gendarmerie.csv")
    traces = tmp_path / "traces.csv"
    traces.write_text(
        "trace_id,record_id,requesting_country,requested_party,status,outcome,sent_on\n"
        "T1,police:R1,FRA,RUS,sent,pending,2021-05-01\n",
        encoding="utf-8",
    )
    ds = Dataset.from_files(items=[police, gendarmerie], traces=traces)
    assert len(ds) == 6
    assert ds.items["record_id"].is_unique
    assert ds.items["record_id"].iloc[0] == "police:R1"
    assert ds.items["status"].tolist()[:3] == ["seized", "found", "stolen"]
    assert ds.items["country"].tolist()[:2] == ["FRA", "NER"]
    assert len(ds.reports) == 3
    problems = ds.issues["problem"]
    assert problems.str.contains("impossible date").sum() == 2
    assert problems.str.contains("also used by another source").sum() == 6
    # the trace names an id that exists after renaming
    assert not problems.str.contains("not among the items").any()


def test_real_load_results_round_trip_with_their_reports(tmp_path, io):
    res = io.read_items(_write_police(tmp_path / "police.csv"))
    ds = Dataset(items=res)
    back = Dataset.read_parquet(ds.to_parquet(tmp_path / "out"))
    _assert_same(ds, back)
    assert isinstance(back.reports[0], io.LoadReport)
    assert back.reports[0].to_dict() == res.report.to_dict()


def test_replace_swaps_tables_and_keeps_the_rest(police, traces):
    ds = Dataset(items=police, traces=traces)
    fewer = ds.replace(items=ds.items.iloc[1:])
    assert fewer.items["record_id"].tolist() == ["13", "14"]
    assert fewer.items.index.equals(pd.RangeIndex(2))
    assert fewer.traces is ds.traces and fewer.issues is ds.issues
    assert len(ds) == 3
    with pytest.raises(InvalidParameterError, match="replace takes"):
        ds.replace(weapons=ds.items)


# ------------------------------------------------------------------ as_dataset


def test_as_dataset_returns_a_dataset_as_is():
    from iti_analytics.dataset import as_dataset

    ds = Dataset(items=pd.DataFrame({"record_id": ["a"]}))
    assert as_dataset(ds) is ds


@pytest.mark.parametrize(
    ("columns", "table"),
    [
        ({"record_id": ["a"], "make": ["Glock"]}, "items"),
        ({"trace_id": ["t1"], "record_id": ["a"]}, "traces"),
        ({"actor_id": ["p1"], "name": ["Ali"]}, "actors"),
        ({"movement_id": ["m1"], "origin": ["LBY"]}, "movements"),
        # no id column: the table whose columns it shares most
        ({"requested_party": ["FRA"], "sent_on": ["2024-01-01"]}, "traces"),
        ({"origin": ["LBY"], "destination": ["NER"], "count": [3]}, "movements"),
        ({"country": ["NER"], "source": ["police"]}, "items"),
    ],
)
def test_as_dataset_tells_the_table_of_a_bare_frame(columns, table):
    from iti_analytics.dataset import as_dataset

    ds = as_dataset(pd.DataFrame(columns))
    assert len(getattr(ds, table)) == 1
    assert sum(len(getattr(ds, t)) for t in schema.TABLES) == 1


def test_as_dataset_refuses_unknown_tables_and_other_objects():
    from iti_analytics.dataset import as_dataset
    from iti_analytics.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"unknown table names"):
        as_dataset({"weapons": pd.DataFrame()})
    with pytest.raises(InvalidParameterError, match="`data` must be a Dataset"):
        as_dataset("items.csv", name="data")


def test_deduplicate_merges_the_links_it_is_given():
    ds = Dataset(
        items=pd.DataFrame(
            {
                "record_id": ["p1", "c1", "x9"],
                "make": ["Norinco", "Norinco", "Beretta"],
                "model": [None, "Type 56", "92"],
                "serial": ["AB1234", "AB1234", "ZZ999"],
                "seized_on": pd.to_datetime(["2020-01-01", "2021-01-01", None]),
            }
        ),
        traces=pd.DataFrame({"trace_id": ["t1"], "record_id": ["c1"]}),
    )
    links = pd.DataFrame(
        {"left": ["p1"], "right": ["c1"], "kind": ["weapon"], "confidence": [0.99]}
    )
    merged = ds.deduplicate(links)
    assert merged.items["record_id"].tolist() == ["p1", "x9"]
    assert merged.items["model"].tolist() == ["Type 56", "92"]
    assert merged.items["x_merged_ids"].tolist() == ["c1", pd.NA]
    assert merged.traces["record_id"].tolist() == ["p1"]
    assert len(ds.items) == 3  # the original is untouched
