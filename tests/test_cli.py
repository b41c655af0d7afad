"""The `iti` command line: exit codes, one-line errors, notes, load, sample, rank."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from iti_analytics import cli
from iti_analytics.cli import COMMANDS, guess_table, main
from iti_analytics.dataset import Dataset


@pytest.fixture
def police_csv(tmp_path):
    path = tmp_path / "police.csv"
    path.write_bytes(
        (
            "N° PV;Date de saisie;Pays;Statut;Marque;N° de série;Réf.\n"
            "PV1;03/04/2021;France;saisie;Kalachnikov;AK 123;R1\n"
            "PV1;03/04/2021;Niger;trouvée;Glock;;R2\n"
            ";;;;;;\n"
            "PV2;31/02/2021;Atlantis;volée;FN;X-1;R3\n"
        ).encode("cp1252")
    )
    return path


@pytest.fixture
def traces_csv(tmp_path):
    path = tmp_path / "trace_requests.csv"
    path.write_text(
        "trace_id,record_id,requesting_country,requested_party,status,outcome,sent_on\n"
        "T1,R1,FRA,RUS,sent,pending,2021-05-01\n"
        "T2,R9,FRA,AUT,responded,traced,2021-06-01\n",
        encoding="utf-8",
    )
    return path


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("iti: error: ")
    assert "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- structure


def test_python_dash_m_shows_help():
    done = subprocess.run(
        [sys.executable, "-m", "iti_analytics", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: iti ")
    for name in ("load", "sample", "rank", "graph", "indicators", "brief"):
        assert name in done.stdout


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_every_command_has_clear_help(name, capsys):
    assert main([name, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: iti {name}")
    assert "example" in text


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("iti ")


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: iti" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["frobnicate"], "invalid choice"),
        (["load", "--tabel", "items", "x.csv"], "see `iti load --help`"),
        (["load", "--table", "weapons", "x.csv"], "invalid choice: 'weapons'"),
        (["load"], "give at least one FILE"),
        (["load", "--dayfirst", "--monthfirst", "x.csv"], "not allowed with"),
        (["sample", "--out", "w", "--items", "0"], "positive"),
        (["sample", "--items", "10"], "--out"),
    ],
    ids=[
        "unknown-command",
        "typo",
        "bad-table",
        "no-file",
        "two-date-orders",
        "zero-items",
        "no-out",
    ],
)
def test_usage_errors_exit_2_in_one_line(argv, words, capsys):
    assert main(argv) == 2
    assert words in _one_line_error(capsys.readouterr().err)


def test_every_command_is_listed():
    assert [c.name for c in COMMANDS] == [
        "load",
        "sample",
        "rank",
        "graph",
        "indicators",
        "brief",
        "request",
        "register",
    ]


def test_usage_error_is_an_iti_error():
    from iti_analytics.exceptions import ITIError

    assert issubclass(cli.UsageError, ITIError)
    assert issubclass(cli.UsageError, ValueError)


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("traces.csv", "traces"),
        ("Trace_requests_2023.xlsx", "traces"),
        ("movements.csv", "movements"),
        ("atf_flows.csv", "movements"),
        ("actors.json", "actors"),
        ("police_fr.csv", "items"),
        ("army.json", "items"),
    ],
)
def test_guess_table_from_file_name(name, table):
    assert guess_table(name) == table


# --------------------------------------------------------------------------- load


def test_load_prints_reports_and_total(police_csv, traces_csv, capsys):
    assert main(["load", str(police_csv), str(traces_csv)]) == 0
    out = capsys.readouterr().out
    assert "Loaded items from" in out and "Loaded traces from" in out
    assert "rows: 4 in = 3 loaded + 1 rejected" in out
    assert "Total: 2 files, 6 rows in = 5 loaded + 1 rejected" in out
    assert "1 more issue" in out  # T2 points to an unknown item


def test_load_out_writes_canonical_parquet(police_csv, tmp_path, capsys):
    out_dir = tmp_path / "canonical"
    argv = [
        "load",
        str(police_csv),
        "--source",
        "pn",
        "--dayfirst",
        "--out",
        str(out_dir),
    ]
    assert main(argv) == 0
    ds = Dataset.read_parquet(out_dir)
    assert ds.items["record_id"].tolist() == ["R1", "R2", "R3"]
    assert ds.items["source"].unique().tolist() == ["pn"]
    assert ds.items["seized_on"].iloc[0] == pd.Timestamp("2021-04-03")
    assert len(ds.rejects) == 1
    assert "Wrote the canonical dataset" in capsys.readouterr().out


def test_load_with_a_mapping_file(tmp_path, capsys):
    data = tmp_path / "odd.csv"
    data.write_text("colA,colB\nX1,Glock\n", encoding="utf-8")
    mapping = tmp_path / "odd.toml"
    mapping.write_text(
        '[columns]\ncolA = "record_id"\ncolB = "make"\n', encoding="utf-8"
    )
    out_dir = tmp_path / "ds"
    assert (
        main(["load", str(data), "--mapping", str(mapping), "--out", str(out_dir)]) == 0
    )
    ds = Dataset.read_parquet(out_dir)
    assert ds.items[["record_id", "make"]].values.tolist() == [["X1", "Glock"]]


def test_load_table_option_overrides_the_guess(traces_csv, tmp_path, capsys):
    requests = tmp_path / "requests_2021.csv"  # the name says nothing: items
    requests.write_bytes(traces_csv.read_bytes())
    assert main(["load", str(requests), "--table", "traces"]) == 0
    assert "Loaded traces from" in capsys.readouterr().out
    assert main(["load", str(traces_csv), "--table", "items"]) == 1
    line = _one_line_error(capsys.readouterr().err)
    assert "only 2 of its 7 columns matched" in line and "--table" in line


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "flows_matrix.csv",
            "Source State,ALABAMA,ALASKA,ARIZONA,TOTAL\n"
            "ALABAMA,1200,3,10,1213\nALASKA,2,400,5,407\n",
            "read_flow_matrix",
        ),
        (
            "dictionary.csv",
            "Variable,Description,Type\ntipo,tipo da arma,texto\n"
            "calibre,calibre da arma,texto\n",
            "data dictionary",
        ),
        ("README.md", "# Notes\n\nThis folder holds the seizure files.\n", ""),
    ],
    ids=["flow-matrix", "data-dictionary", "markdown"],
)
def test_a_file_that_is_not_records_is_not_loaded(
    tmp_path, name, content, words, capsys
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["load", str(path), "--table", "items"]) == 1
    line = _one_line_error(capsys.readouterr().err)
    assert name in line and words in line


@pytest.mark.parametrize(
    "content",
    [b"", b"%PDF-1.4\n\x00\x01\x02binary\x00\xff\xfe"],
    ids=["empty", "pdf"],
)
def test_unusable_file_exits_1_in_one_line(tmp_path, content, capsys):
    bad = tmp_path / "seizures.csv"
    bad.write_bytes(content)
    assert main(["load", str(bad)]) == 1
    assert "seizures.csv" in _one_line_error(capsys.readouterr().err)


def test_missing_file_exits_1(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nowhere.csv")]) == 1
    assert "nowhere.csv" in _one_line_error(capsys.readouterr().err)


def test_load_sample(tmp_path, capsys):
    out_dir = tmp_path / "sample"
    assert main(["load", "--sample", "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    for name in cli.SAMPLE_FILES:
        assert name in out
    assert out.count("Loaded items from") == 3 and "Loaded traces from" in out
    ds = Dataset.read_parquet(out_dir)
    assert len(ds) > 1000 and len(ds.traces) > 0
    assert set(ds.items["source"].unique()) == {"police_fr", "customs_en", "army"}


def test_load_sample_and_files_together_is_a_usage_error(capsys):
    assert main(["load", "--sample", "x.csv"]) == 2
    assert "not both" in _one_line_error(capsys.readouterr().err)


# ------------------------------------------------------------ sample and analysis


def test_sample_writes_sources_canonical_and_truth(tmp_path, capsys):
    out_dir = tmp_path / "world"
    assert main(["sample", "--out", str(out_dir), "--items", "200", "--seed", "3"]) == 0
    names = {p.name for p in out_dir.iterdir()}
    assert {"police_fr.csv", "customs_en.xlsx", "army.json", "traces.csv"} <= names
    assert {"canonical", "truth.parquet", "truth.csv"} <= names
    ds = Dataset.read_parquet(out_dir / "canonical")
    truth = pd.read_parquet(out_dir / "truth.parquet")
    assert len(ds) == 200
    assert truth["record_id"].tolist() == ds.items["record_id"].tolist()


@pytest.fixture
def dataset_dir(tmp_path):
    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "seizure_id": ["s1", "s1", "s2"],
            "source": "police",
            "status": "seized",
            "country": ["NER", "NER", "MLI"],
            "seized_on": ["2021-01-02", "2021-01-02", "2022-05-06"],
            "item_kind": "weapon",
            "category": ["assault_rifle", "pistol", "rifle"],
            "actor": ["Kabore Issa", "Kabore Issa", None],
        }
    )
    traces = pd.DataFrame(
        {
            "trace_id": ["t1"],
            "record_id": ["a"],
            "requested_party": ["CHN"],
            "status": ["responded"],
            "outcome": ["traced"],
            "sent_on": ["2021-03-01"],
            "responded_on": ["2021-04-01"],
        }
    )
    return Dataset(items=items, traces=traces).to_parquet(tmp_path / "ds")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_writes_a_file(dataset_dir, tmp_path, fmt, capsys):
    target = tmp_path / f"net.{fmt}"
    assert main(["graph", str(dataset_dir), "--format", fmt, "-o", str(target)]) == 0
    assert target.stat().st_size > 0
    assert "nodes" in capsys.readouterr().out


def test_graph_filters_give_a_smaller_file(dataset_dir, tmp_path):
    whole, core = tmp_path / "all.graphml", tmp_path / "core.graphml"
    assert (
        main(["graph", str(dataset_dir), "--format", "graphml", "-o", str(whole)]) == 0
    )
    argv = ["graph", str(dataset_dir), "--format", "graphml", "-o", str(core)]
    assert main([*argv, "--seizures", "--min-seizures", "2"]) == 0
    import networkx as nx

    G, H = nx.read_graphml(whole), nx.read_graphml(core)
    assert H.number_of_nodes() < G.number_of_nodes()
    assert not any(d.get("kind") == "item" for _, d in H.nodes(data=True))


def test_shareable_graph_needs_a_key_and_hides_names(
    dataset_dir, tmp_path, monkeypatch, capsys
):
    target = tmp_path / "net.gexf"
    argv = ["graph", str(dataset_dir), "--audience", "shareable", "-o", str(target)]
    monkeypatch.delenv(cli.KEY_VARIABLE, raising=False)
    assert main(argv) == 2
    assert cli.KEY_VARIABLE in _one_line_error(capsys.readouterr().err)
    monkeypatch.setenv(cli.KEY_VARIABLE, "s3cret")
    assert main(argv) == 0
    text = target.read_text(encoding="utf-8")
    assert "Kabore Issa" not in text and "actor-" in text


def test_indicators_print_and_write(dataset_dir, tmp_path, capsys):
    assert main(["indicators", str(dataset_dir)]) == 0
    assert "sdg_16_4_2" in capsys.readouterr().out
    out_dir = tmp_path / "ind"
    assert main(["indicators", str(dataset_dir), "--out", str(out_dir)]) == 0
    assert (out_dir / "trace_performance.csv").is_file()


def test_analysis_commands_need_data(capsys):
    assert main(["graph"]) == 2
    assert "--sample" in _one_line_error(capsys.readouterr().err)


def test_not_a_dataset_folder_exits_1(tmp_path, capsys):
    assert main(["graph", str(tmp_path)]) == 1
    assert "dataset.json" in _one_line_error(capsys.readouterr().err)


# ------------------------------------------------------------ notes, rank, brief


def _notes(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "expected a note on standard error"
    for line in lines:
        assert line.startswith("note: "), line
        assert ".py:" not in line and "Warning" not in line, line
    return lines


def test_warnings_reach_the_terminal_as_one_line_notes(tmp_path, capsys):
    items = pd.DataFrame({"record_id": ["a", "b"], "item_kind": "weapon"})
    traces = pd.DataFrame(
        {
            "trace_id": ["t1", "t2"],
            "record_id": ["a", "b"],
            "requested_party": ["CHN", "BEL"],
            "outcome": ["traced", "traced"],
            "sent_on": [None, "2021-03-01"],  # t1 cannot be dated
        }
    )
    folder = Dataset(items=items, traces=traces).to_parquet(tmp_path / "ds")
    assert main(["indicators", str(folder)]) == 0
    captured = capsys.readouterr()
    notes = _notes(captured.err)
    assert any("sent_on" in n for n in notes)
    assert "trace_performance" in captured.out


def test_rank_options_reach_the_plan(capsys, tmp_path):
    argv = ["rank", "--sample", "--capacity", "10", "--domestic-capacity", "0"]
    assert main([*argv, "--audit", "0.2", "--strategy", "diverse"]) == 0
    kinds = [line.split()[1] for line in capsys.readouterr().out.splitlines()[1:]]
    assert kinds.count("trace") == 8 and kinds.count("audit") == 2
    assert main([*argv, "--since", "2024-01-01", "-o", str(tmp_path / "p.csv")]) == 0
    plan = pd.read_csv(tmp_path / "p.csv")
    assert (pd.to_datetime(plan["seized_on"]) >= "2024-01-01").all()
    assert main(["rank", "--sample", "--strategy", "best"]) == 2


def test_rank_prints_a_narrow_table_by_default(capsys):
    assert main(["rank", "--sample", "--capacity", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "rank",
        "kind",
        "record_id",
        "make",
        "model",
        "serial",
        "seized_on",
        "p_success",
        "ask",
        "first_reason",
    ]
    kinds = [line.split()[1] for line in lines[1:]]
    assert kinds.count("trace") == 5 and set(kinds) <= {"trace", "domestic", "hit"}
    assert max(len(line) for line in lines) <= 160
    assert main(["rank", "--sample", "--capacity", "5", "--wide"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert {"score", "reasons", "cluster", "reason_codes"} <= set(header)


def test_narrow_table_names_the_importer_where_the_make_is_unknown():
    from iti_analytics.cli._analyse import narrow_plan

    plan = pd.DataFrame(
        {
            "rank": [1, 2],
            "record_id": ["a", "b"],
            "p_success": [0.25, 0.5],
            "ask": ["USA", "Glock"],
            "reason_codes": [None, None],
        }
    )
    items = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "make": [None, "Glock"],
            "model": [None, "17"],
            "importer": ["Century Arms", "Century Arms"],
            "serial": ["M70AB05521", "ABC123"],
            "seized_on": pd.to_datetime(["2017-11-25", "2019-01-02"]),
        }
    )
    table = narrow_plan(plan, items)
    assert table["make"].tolist() == ["Century Arms (importer)", "Glock"]


@pytest.mark.parametrize("share", ["0.1", "10%"])
def test_rank_capacity_as_a_share_means_what_plan_tracing_means(share, capsys):
    from iti_analytics.samples import load_sample
    from iti_analytics.tracing import plan_tracing

    expected = len(plan_tracing(load_sample(), capacity=0.1))
    assert main(["rank", "--sample", "--capacity", share]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + expected


@pytest.mark.parametrize("bad", ["0", "-3", "2.5", "abc", "150%"])
def test_rank_refuses_a_bad_capacity(bad, capsys):
    assert main(["rank", "--sample", "--capacity", bad]) == 2
    assert "capacity" in _one_line_error(capsys.readouterr().err)


def test_no_progress_bar_when_stderr_is_not_a_terminal(dataset_dir, tmp_path, capsys):
    assert main(["graph", str(dataset_dir), "-o", str(tmp_path / "g.gexf")]) == 0
    assert capsys.readouterr().err == ""


def test_progress_steps_show_on_request(capsys):
    from iti_analytics._progress import steps

    with steps(["read", "rank"], desc="Ranking", enabled=True) as step:
        step("read")
        step("rank")
    assert "Ranking" in capsys.readouterr().err
