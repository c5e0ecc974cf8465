"""The nightly job, its schedule and the alert on failure."""

import json
import urllib.error
import urllib.request
from datetime import datetime, timezone

import dagster as dg

from orchestration import settings
from orchestration.defs.ingest import nightly_partition_range

WEBHOOK_TIMEOUT_SECONDS = 10

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


# Runs started by `pledges refresh` carry this tag: the command alerts for them itself, so that
# an alert does not depend on a daemon running, and the sensor leaves them alone (one alert a run).
ALERTED_BY_LAUNCHER_TAG = "pledges/alerted_by_launcher"


@dg.run_failure_sensor(name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING,
                       monitor_all_code_locations=False, minimum_interval_seconds=10)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    """Append one JSON line per failed run to the alert log and, when PLEDGES_ALERT_WEBHOOK is
    set, post it there too (Slack-style: a `text` field, plus the details)."""
    run = context.dagster_run
    if run.tags.get(ALERTED_BY_LAUNCHER_TAG) == "true":
        return
    webhook_error = write_alert(run.job_name, run.run_id, context.failure_event.message)
    if webhook_error:
        context.log.warning(f"alert webhook failed: {webhook_error}")


def write_alert(job: str, run_id: str, error: str | None) -> str | None:
    """The alert of record: one line in the alert log, then the webhook when one is set.
    Returns why the webhook failed, or None."""
    entry = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "job": job, "run_id": run_id,
             "error": error}
    entry["text"] = f"Pledges warehouse: run {run_id[:8]} of {job} failed: {error}"
    path = settings.alert_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")
    url = settings.alert_webhook_url()
    webhook_error = post_alert(url, entry) if url else None
    if webhook_error:  # the log line above is the alert of record; a dead webhook must not hide it
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"at": entry["at"], "run_id": run_id, "webhook_error": webhook_error}) + "\n")
    return webhook_error


def post_alert(url: str, entry: dict) -> str | None:
    """POST the alert as JSON; returns why it failed, or None."""
    request = urllib.request.Request(url, data=json.dumps(entry).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "User-Agent": "ukraine-aid-pledges-alerts"})
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            return None if 200 <= response.status < 300 else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return str(getattr(exc, "reason", exc))
