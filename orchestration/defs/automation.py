"""The nightly job, its schedule and the alert on failure."""

import json
from datetime import datetime, timezone

import dagster as dg

from orchestration import settings
from orchestration.defs.ingest import nightly_partition_range

nightly_refresh = dg.define_asset_job(
    "nightly_refresh",
    selection=dg.AssetSelection.all(),
    # One process: DuckDB allows one writer per file, and in-process is faster for this graph.
    executor_def=dg.in_process_executor,
    description="Fetch, parse, extract, build and test the warehouse, then publish it.",
)


@dg.schedule(name="nightly_refresh_schedule", job=nightly_refresh, cron_schedule="0 2 * * *",
             execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    """Every enabled source of the registry in one run (a range over the source partitions)."""
    tags = nightly_partition_range()
    if not tags:
        return dg.SkipReason("the source registry has no enabled sources")
    return dg.RunRequest(run_key=None, tags=tags)


@dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING,
                       monitor_all_code_locations=False)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    """Append one JSON line per failed run to the alert log."""
    entry = {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "job": context.dagster_run.job_name,
        "run_id": context.dagster_run.run_id,
        "error": context.failure_event.message,
    }
    path = settings.alert_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")
