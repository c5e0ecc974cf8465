"""A night's dbt build leaves its parse state for the next night's: dbt reuses a saved parse only
for the profile it was made with (the build file's path is part of it), so the state a `dbt parse`
made for another warehouse would make every night parse the whole project again."""
from pathlib import Path

from orchestration.defs.dbt import PARTIAL_PARSE_FILE, _keep_parse_state
from tests.conftest import run_dbt

NO_REUSE = "Unable to do partial parsing"


def _dbt_parse(target: Path, build: Path) -> str:
    done = run_dbt(["parse"], build, target)
    assert done.returncode == 0, done.stdout[-2000:]
    return done.stdout


def test_the_parse_state_of_a_run_is_kept_and_reused_for_its_warehouse_only(tmp_path):
    warehouse = tmp_path / "nightly" / "build" / "pledges.duckdb"
    run_target, kept = tmp_path / "run", tmp_path / "project-target"
    kept.mkdir()
    (kept / PARTIAL_PARSE_FILE).write_bytes(b"state of a parse for another warehouse")
    _dbt_parse(run_target, warehouse)  # what a night's build parses first

    _keep_parse_state(run_target, kept)
    assert (kept / PARTIAL_PARSE_FILE).read_bytes() == (run_target / PARTIAL_PARSE_FILE).read_bytes()
    assert sorted(p.name for p in kept.iterdir()) == [PARTIAL_PARSE_FILE]  # no temporary left

    # the next night starts from the kept state (dagster-dbt copies it into the run's folder)
    for night, build, reused in (("same", warehouse, True), ("other", tmp_path / "other.duckdb", False)):
        target = tmp_path / night
        target.mkdir()
        (target / PARTIAL_PARSE_FILE).write_bytes((kept / PARTIAL_PARSE_FILE).read_bytes())
        assert (NO_REUSE not in _dbt_parse(target, build)) is reused, night


def test_a_run_without_parse_state_leaves_the_kept_one(tmp_path):
    kept = tmp_path / "project-target"
    kept.mkdir()
    (kept / PARTIAL_PARSE_FILE).write_bytes(b"kept")
    _keep_parse_state(tmp_path / "empty-run", kept)
    assert (kept / PARTIAL_PARSE_FILE).read_bytes() == b"kept"
