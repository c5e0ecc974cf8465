"""The `pledges` command as a user runs it: one-line errors, export format, read-only SQL, and the
dev-set score through refresh -> export -> the shared scorer."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import DEV_F1_FLOOR, DEV_PRECISION_FLOOR, REPO, SHARED_EVAL

PLEDGES = str(Path(sys.executable).with_name("pledges"))


def run_cli(*args, stdin=None):
    return subprocess.run([PLEDGES, *args], capture_output=True, text=True, input=stdin, cwd=REPO, timeout=300)


@pytest.mark.parametrize("args, message", [
    (["refresh", "--source-dir", "/no/such/folder"], "source folder does not exist"),
    (["refresh", "--source-url", "ftp://example.org/feed"], "must be an http(s) address"),
    (["refresh", "--kind", "rss"], "--kind applies to --source-url"),
    (["refresh", "--source", "no_such_source"], "no enabled source 'no_such_source'"),
    (["refresh", "--registry", "/no/such/registry.yaml"], "source registry not found"),
    (["export", "--warehouse", "/no/such/warehouse.duckdb"], "no warehouse at"),
    (["sql", "--warehouse", "/no/such/warehouse.duckdb", "select 1"], "no warehouse at"),
])
def test_bad_input_gets_one_clear_line(args, message):
    done = run_cli(*args)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_sql_prints_a_table_and_refuses_writes(sample_warehouse, capsys):
    assert main(["sql", "--warehouse", str(sample_warehouse),
                 "select donor_code, count(*) as n from fct_pledges where donor_code = 'FRA' group by 1"]) == 0
    out = capsys.readouterr().out
    assert "donor_code" in out and "FRA" in out and "(1 row)" in out
    assert main(["sql", "--warehouse", str(sample_warehouse), "delete from fct_pledges"]) == 2
    assert "read-only" in capsys.readouterr().err.lower()


def test_sql_reads_standard_input(sample_warehouse):
    done = run_cli("sql", "--warehouse", str(sample_warehouse), stdin="select count(*) as pledges from fct_pledges")
    assert done.returncode == 0, done.stderr
    assert "pledges" in done.stdout


def test_export_writes_eval_records(sample_warehouse, tmp_path):
    out = tmp_path / "records.jsonl"
    assert main(["export", "--warehouse", str(sample_warehouse), "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = {r["kind"] for r in records}
    assert {"item", "package", "aggregate"} <= kinds
    caesar = [r for r in records if r["donor"] == "FRA" and "caesar" in (r["system"] or "").lower()]
    assert caesar and caesar[0]["quantity"] == 78 and caesar[0]["doc"].endswith(".html")
    csv_out = tmp_path / "records.csv"
    assert main(["export", "--warehouse", str(sample_warehouse), "--format", "csv", "--out", str(csv_out)]) == 0
    assert len(csv_out.read_text().splitlines()) == len(records) + 1


def test_sample_corpus_scores_against_its_gold(sample_warehouse, tmp_path):
    out = tmp_path / "sample.jsonl"
    assert main(["export", "--warehouse", str(sample_warehouse), "--out", str(out)]) == 0
    sys.path.insert(0, str(SHARED_EVAL))
    import score

    f1, precision, recall, _ = score.score(score.load(REPO / "sources" / "sample" / "gold.jsonl"), score.load(out))
    # The sample's gold was written against the record format, not these rules: the floor guards
    # the measured 0.91 (F1 and precision) against regressions, with room for one or two records.
    assert f1 >= 0.88 and precision >= 0.88, (f1, precision, recall)


def test_dev_set_through_refresh_export_and_the_scorer(dev_warehouse, tmp_path):
    records = tmp_path / "dev.jsonl"
    done = run_cli("export", "--warehouse", str(dev_warehouse), "--format", "jsonl", "--out", str(records))
    assert done.returncode == 0, done.stderr
    scored = subprocess.run([sys.executable, str(SHARED_EVAL / "score.py"), str(SHARED_EVAL / "dev" / "gold.jsonl"),
                             str(records)], capture_output=True, text=True)
    last = scored.stdout.strip().splitlines()[-1].split()
    f1, precision = float(last[1]), float(last[3])
    assert f1 >= DEV_F1_FLOOR and precision >= DEV_PRECISION_FLOOR, scored.stdout


def test_csv_export_neutralises_formulas_and_keeps_the_text(sample_warehouse, tmp_path):
    import shutil

    import duckdb

    hostile = tmp_path / "hostile.duckdb"
    shutil.copy(sample_warehouse, hostile)
    starts = ["=HYPERLINK(\"http://x\",\"y\") ", "+1 ", "-2 ", "@SUM(A1) "]
    with duckdb.connect(str(hostile)) as conn:
        sentences = conn.execute("select distinct sentence from main.fct_pledge_evidence order by 1 limit 4").fetchall()
        for start, (sentence,) in zip(starts, sentences):
            conn.execute("update main.fct_pledge_evidence set sentence = ? where sentence = ?", [start + sentence, sentence])
    out = tmp_path / "records.csv"
    done = run_cli("export", "--warehouse", str(hostile), "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    written = {row["sentence"] for row in rows}
    for start, (sentence,) in zip(starts, sentences):
        assert "'" + start + sentence in written
    assert not any(s.startswith(("=", "+", "-", "@")) for s in written)
    assert any(float(row["value"]) > 0 for row in rows if row["value"])  # numbers stay numbers


@pytest.mark.parametrize("target, message", [
    ("warehouse", "is the warehouse itself"),
    ("missing/records.csv", "does not exist"),
])
def test_export_refuses_to_overwrite_the_warehouse_or_write_into_no_folder(sample_warehouse, tmp_path, target,
                                                                           message):
    import shutil

    copy = tmp_path / "w.duckdb"
    shutil.copy(sample_warehouse, copy)
    before = copy.read_bytes()
    out = copy if target == "warehouse" else tmp_path / target
    done = run_cli("export", "--warehouse", str(copy), "--format", "csv", "--out", str(out))
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert copy.read_bytes() == before


@pytest.mark.parametrize("home, message", [
    ("/no/such/dagster/home", "does not exist"),
    ("relative/dagster/home", "must be an absolute path"),
])
def test_a_bad_dagster_home_is_one_line(home, message):
    import os

    done = subprocess.run([PLEDGES, "refresh", "--source-dir", str(REPO / "sources" / "sample")],
                          capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "DAGSTER_HOME": home})
    assert done.returncode != 0 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_a_read_only_dagster_home_is_one_line(tmp_path):
    """Root may write in any folder whatever its mode, so as root the folder is made immutable."""
    import os

    home = tmp_path / "dagster_home"
    home.mkdir()
    home.chmod(0o555)
    if os.geteuid() == 0:
        locked = subprocess.run(["chattr", "+i", str(home)], capture_output=True, text=True)
        if locked.returncode != 0:
            pytest.skip(f"cannot make a folder read-only for root here: {locked.stderr.strip()}")
    try:
        done = subprocess.run([PLEDGES, "refresh", "--source-dir", str(REPO / "sources" / "sample")],
                              capture_output=True, text=True, cwd=REPO, timeout=300,
                              env={**os.environ, "DAGSTER_HOME": str(home)})
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(home)], check=True)
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and len(lines) == 1 and "is not writable" in lines[0], done.stderr


def test_a_failed_refresh_names_the_cause_not_only_the_step(sample_warehouse):
    """Dagster wraps a step's error in 'Error occurred while executing op ...:'; the line the user
    gets carries the error underneath (here: another process holds the build file's lock)."""
    import duckdb

    build = sample_warehouse.parent / "build" / sample_warehouse.name
    before = sample_warehouse.read_bytes()
    with duckdb.connect(str(build)):
        done = run_cli("refresh", "--source-dir", str(REPO / "sources" / "sample"), "--warehouse", str(sample_warehouse))
    assert done.returncode != 0
    line = done.stderr.strip().splitlines()[-1]
    assert "Could not set lock" in line and "Conflicting lock is held" in line, line
    assert "left as it was" in line and sample_warehouse.read_bytes() == before
