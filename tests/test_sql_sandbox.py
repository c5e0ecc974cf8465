"""`pledges sql` is the analysts' tool: it reads the release and nothing else. Each statement
here once worked on the published file and could replace it or read the machine's files."""
import hashlib

import pytest

from orchestration.cli import main


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(sample_warehouse):
    before = _digest(sample_warehouse)
    yield sample_warehouse
    assert _digest(sample_warehouse) == before, "the published warehouse was changed by an analyst's SQL"


def test_a_query_on_the_release_still_works(published, capsys):
    assert main(["sql", "--warehouse", str(published), "select count(*) as n from fct_pledges"]) == 0
    out = capsys.readouterr().out
    assert int(out.splitlines()[2].strip()) > 0


@pytest.mark.parametrize("statement", [
    "copy (select 1) to '{warehouse}'",
    "copy (select 1) to '{folder}/dump.csv'",
    "export database '{folder}/dump'",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "attach '{folder}/other.duckdb' as other",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "reset enable_external_access",
    "set lock_configuration = false",
])
def test_statements_that_reach_outside_the_release_are_refused(published, tmp_path, capsys, statement):
    sql = statement.format(warehouse=published, folder=tmp_path)
    assert main(["sql", "--warehouse", str(published), sql]) != 0
    err = capsys.readouterr().err
    assert err.startswith("pledges: ") and len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == [], "a file was written outside the release"


def test_the_sandbox_cannot_be_unlocked_within_one_session(published, tmp_path, capsys):
    sql = f"set enable_external_access = true; copy (select 1) to '{tmp_path}/dump.csv'"
    assert main(["sql", "--warehouse", str(published), sql]) != 0
    assert not (tmp_path / "dump.csv").exists()
