"""The Dagster code location: assembles the definitions of orchestration/defs.

Importing this module needs dbt_project/target/manifest.json; `make` and `pledges` create it with
`dbt parse` first (see orchestration.manifest)."""
import dagster as dg

from orchestration.defs import automation, checks, dbt, extraction, ingest, publish
from orchestration.defs.resources import resources

defs = dg.Definitions(
    # an AssetSpec is not picked up by the loader: the one external table is named here
    assets=[*dg.load_assets_from_modules([ingest, extraction, dbt, publish]), publish.released_pledge_ids],
    asset_checks=dg.load_asset_checks_from_modules([checks]),
    jobs=[automation.nightly_refresh],
    schedules=[automation.nightly_schedule],
    sensors=[automation.alert_on_run_failure],
    resources=resources(),
)
