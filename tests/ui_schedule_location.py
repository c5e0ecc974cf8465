"""A test-only Dagster code location: a schedule that fires every minute.

tests/test_ui.py loads it into `make dev` beside orchestration.definitions to show the daemon
firing a schedule on its own. The job is one tiny asset that records when it ran and touches no
warehouse, so its runs cost a couple of seconds and change nothing the other tests look at.
"""
from datetime import datetime, timezone

import dagster as dg

HEARTBEAT_SCHEDULE = "ui_test_every_minute"
HEARTBEAT_JOB = "ui_test_heartbeat_job"


@dg.asset(key=["ui_test", "heartbeat"], group_name="ui_test", kinds={"python"},
          description="Test only: records the time of the run; writes no file and no warehouse.")
def ui_test_heartbeat(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={
        "ran_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scheduled_by": context.run.tags.get("dagster/schedule_name", "(not a schedule)"),
    })


heartbeat_job = dg.define_asset_job(HEARTBEAT_JOB, selection=[ui_test_heartbeat],
                                    executor_def=dg.in_process_executor)

every_minute = dg.ScheduleDefinition(name=HEARTBEAT_SCHEDULE, job=heartbeat_job, cron_schedule="* * * * *",
                                     execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING)

defs = dg.Definitions(assets=[ui_test_heartbeat], jobs=[heartbeat_job], schedules=[every_minute])
