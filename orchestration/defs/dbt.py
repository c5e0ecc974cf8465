"""The dbt models and tests as Dagster assets and checks."""

from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource, dbt_project


class PledgesTranslator(DagsterDbtTranslator):
    """Groups dbt nodes by their layer folder (staging, intermediate, marts) and seeds."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"


translator = PledgesTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator,
            pool=DUCKDB_POOL)
def pledges_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    warehouse.activate()  # dbt's profile reads the build path from the environment
    yield from dbt.cli(["build"], context=context).stream()
