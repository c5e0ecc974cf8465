"""The dbt unit tests (fixed rows in, expected rows out, declared beside the models) run here:
the nightly build leaves them out, since they test the SQL, not the night's data."""
import json
import shutil

from orchestration import settings
from tests.conftest import run_dbt


def test_every_dbt_unit_test_passes(sample_warehouse, tmp_path):
    # a copy of a built warehouse, under the same file name (its views name their catalog):
    # unit tests read the column types of the models' inputs
    build = tmp_path / sample_warehouse.name
    shutil.copy(sample_warehouse.parent / "build" / sample_warehouse.name, build)
    target = tmp_path / "target"
    done = run_dbt(["test", "--select", "test_type:unit"], build, target)
    assert done.returncode == 0, done.stdout[-3000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit_tests = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    declared = sum(text.count("\n  - name: ") for path in (settings.DBT_PROJECT_DIR / "models").rglob("*.yml")
                   for text in [path.read_text()] if "\nunit_tests:" in text
                   for text in [text.split("\nunit_tests:", 1)[1]])
    assert len(unit_tests) == declared >= 10
    assert set(unit_tests.values()) == {"pass"}, unit_tests
