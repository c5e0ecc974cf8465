"""The marts' column rules (never null, never negative) are enforced constraints of their dbt
contracts, not data tests run afterwards: a row that breaks one fails the model's build, so it is
never published. Here dbt builds a mart from an input made to break each kind of rule."""
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import REPO, run_dbt

MARTS_YML = REPO / "dbt_project" / "models" / "marts" / "_marts.yml"


def _dbt_run(build: Path, target: Path, model: str) -> subprocess.CompletedProcess:
    return run_dbt(["run", "--select", model], build, target)


@pytest.fixture
def build_copy(sample_warehouse, tmp_path) -> Path:
    # the same file name: the build's views name their catalog
    build = tmp_path / sample_warehouse.name
    shutil.copy(sample_warehouse.parent / "build" / sample_warehouse.name, build)
    return build


def _replace_input(build: Path, relation: str, replace: str) -> None:
    """Put a view in place of `relation` that reads the original with `replace` applied."""
    schema, name = relation.split(".")
    with duckdb.connect(str(build)) as conn:
        [(kind,)] = conn.execute("select table_type from information_schema.tables where table_schema = ? "
                                 "and table_name = ?", [schema, name]).fetchall()
        kind = "view" if kind == "VIEW" else "table"
        conn.execute(f"alter {kind} {relation} rename to {name}_original")
        conn.execute(f"create view {relation} as select * replace ({replace}) from {schema}.{name}_original")


@pytest.mark.parametrize("relation, replace, model, broken", [
    # a donor without a name: the not_null constraint of dim_donors.donor_name
    ("staging.stg_donors", "case when donor_code = 'USA' then null else donor_name end as donor_name",
     "dim_donors", "NOT NULL constraint failed"),
    # a negative quantity: the check constraint of fct_pledges.quantity
    ("intermediate.int_pledges_corrected", "-1 - coalesce(quantity, 0) as quantity", "fct_pledges", "CHECK constraint"),
], ids=["not_null", "check"])
def test_a_row_breaking_a_mart_constraint_fails_the_build(build_copy, tmp_path, relation, replace, model, broken):
    # the untouched build builds the mart
    assert _dbt_run(build_copy, tmp_path / "target", model).returncode == 0
    _replace_input(build_copy, relation, replace)
    done = _dbt_run(build_copy, tmp_path / "target", model)
    assert done.returncode == 1, done.stdout[-2000:]
    assert broken in done.stdout, done.stdout[-2000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert [r["status"] for r in results] == ["error"]


def test_every_mart_column_rule_is_a_constraint_not_a_data_test():
    """not_null and non_negative on a contract-enforced mart are constraints; a data test of either
    would run the same rule a second time, at a cost per test on every build."""
    spec = yaml.safe_load(MARTS_YML.read_text(encoding="utf-8"))
    constraints = 0
    for model in spec["models"]:
        for column in model.get("columns", []):
            names = [t if isinstance(t, str) else next(iter(t)) for t in column.get("data_tests", [])]
            assert not {"not_null", "non_negative"} & set(names), f"{model['name']}.{column['name']}: {names}"
            constraints += len(column.get("constraints", []))
    assert constraints > 100


def test_no_dbt_yaml_file_repeats_a_key():
    """YAML keeps the last of two equal keys: a second data_tests under a model silently dropped
    the first list's tests (stg_pledge_mentions lost its unique test so)."""
    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(key) for key, _ in node.value]
        repeated = {key for key in keys if keys.count(key) > 1}
        assert not repeated, f"{node.start_mark}: repeated {sorted(map(str, repeated))}"
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    files = [p for folder in ("models", "seeds", "tests", "macros") for p in (REPO / "dbt_project" / folder).rglob("*.yml")]
    files.append(REPO / "dbt_project" / "dbt_project.yml")
    assert len(files) > 4
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)
