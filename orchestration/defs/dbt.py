"""The dbt models and tests as Dagster assets and checks."""

import json
import os
import shutil
from functools import lru_cache
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, Iterator, Mapping

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration import build_inputs, settings
from orchestration.defs.policies import MART_FRESHNESS, OWNERS
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource, dbt_project

ROW_COUNT = "dagster/row_count"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
RUN_TARGETS_KEPT = 5  # dbt's per-run folders (manifest, run_results.json, logs) kept for a look after a failure


class PledgesTranslator(DagsterDbtTranslator):
    """Groups dbt nodes by their layer folder (staging, intermediate, marts) and seeds; the marts
    carry the freshness analysts rely on."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.group_name == "marts" and unique_id.startswith("model."):
            spec = spec.replace_attributes(freshness_policy=MART_FRESHNESS)
        return spec


translator = PledgesTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@lru_cache(maxsize=1)
def _relations() -> dict[str, str]:
    """unique_id -> the relation dbt builds for it, e.g. "main"."fct_pledges"."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return {uid: node["relation_name"].split(".", 1)[1] for uid, node in manifest["nodes"].items()
            if node.get("relation_name") and node["resource_type"] in ("model", "seed")}


def _row_counts(unique_ids: set[str]) -> dict[str, int]:
    """Rows of each relation built, read from the build file once dbt has let go of it."""
    relations = _relations()
    counts = {}
    with duckdb.connect(str(settings.build_path()), read_only=True) as conn:
        for uid in unique_ids & relations.keys():
            counts[uid] = conn.execute(f"select count(*) from {relations[uid]}").fetchone()[0]
    return counts


def _with_row_count(event, counts: dict[str, int]):
    uid = event.metadata.get("unique_id") if hasattr(event, "metadata") else None
    uid = getattr(uid, "value", uid)
    if uid not in counts:
        return event
    if isinstance(event, dg.Output):
        return event.with_metadata({**event.metadata, ROW_COUNT: counts[uid]})
    if isinstance(event, dg.AssetMaterialization):
        return dg.AssetMaterialization(asset_key=event.asset_key, description=event.description,
                                       partition=event.partition, metadata={**event.metadata, ROW_COUNT: counts[uid]})
    return event


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator,
            pool=DUCKDB_POOL)
def pledges_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
                       ) -> Iterator:
    warehouse.activate()  # dbt's profile reads the build path from the environment
    with warehouse.connect_build() as conn:
        inputs = build_inputs.fingerprint(conn)
    if build_inputs.unchanged_since_release(inputs):
        # The tables are confirmed, not rebuilt: each model is reported as checked tonight (so
        # the marts' freshness tells a quiet night from a missed one), the checks keep their last
        # results, and the publication leaves the release as it is.
        context.log.info("nothing the build reads has changed since the published release: dbt build skipped")
        for key in _in_dependency_order(context.assets_def, context.selected_asset_keys):
            yield dg.Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key),
                            metadata={"rebuilt": False, "inputs": inputs[:16]})
        return
    # dbt holds the DuckDB file for the whole build, so row counts can only be read afterwards:
    # the events are kept until dbt exits, then reported with the rows of each model.
    events = []
    # Unit tests check the models' SQL on fixed rows, not the night's data: they run in the test
    # suite (tests/test_dbt_unit_tests.py), not at every refresh.
    invocation = dbt.cli(["build", "--exclude", "resource_type:unit_test"], context=context)
    try:
        for event in invocation.stream():
            events.append(event)
    except Exception:
        yield from events  # what did succeed (and which test failed) still shows in the UI
        raise
    finally:
        _keep_parse_state(Path(invocation.target_path), settings.DBT_PROJECT_DIR / "target")
        _prune_run_targets(Path(invocation.target_path).parent, context.op_execution_context.op.name)
    uids = {getattr(e.metadata.get("unique_id"), "value", None) for e in events if hasattr(e, "metadata")}
    counts = _row_counts({u for u in uids if u})
    for event in events:
        yield _with_row_count(event, counts)


def _in_dependency_order(assets_def: dg.AssetsDefinition, keys) -> list[dg.AssetKey]:
    """The keys, each after the ones it depends on (Dagster wants a multi-asset's outputs so)."""
    selected = set(keys)
    graph = {key: {dep for dep in assets_def.asset_deps.get(key, ()) if dep in selected} for key in selected}
    return list(TopologicalSorter(graph).static_order())


def _keep_parse_state(run_target: Path, project_target: Path) -> None:
    """Each run starts from the project's partial_parse.msgpack (dagster-dbt copies it into the run's
    folder), and dbt trusts it only for the profile it was written with, build file path included.
    The one `dbt parse` wrote may name another warehouse (the tests', an earlier --warehouse): dbt
    would then parse the whole project again every night (3 s). The run's own state is the
    warehouse's, so it becomes the project's, by rename (a parallel run never reads half a file)."""
    state = run_target / PARTIAL_PARSE_FILE
    if not state.is_file():
        return
    kept = project_target / PARTIAL_PARSE_FILE
    part = kept.with_name(f".{PARTIAL_PARSE_FILE}.{os.getpid()}.part")
    shutil.copyfile(state, part)
    os.replace(part, kept)


def _prune_run_targets(target_dir: Path, op_name: str) -> None:
    """dagster-dbt gives every run a folder of its own under target/ (about 14 MB): a nightly job
    would fill the disk. The newest few stay."""
    runs = sorted(target_dir.glob(f"{op_name}-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in runs[RUN_TARGETS_KEPT:]:
        shutil.rmtree(old, ignore_errors=True)
