"""The `pledges` command as a user runs it: one-line errors, export format, read-only SQL, and the
dev-set score through refresh -> export -> the shared scorer."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import REPO, SHARED_EVAL

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
    assert f1 >= 0.9 and precision >= 0.9, scored.stdout
