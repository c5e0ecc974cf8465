"""Runs of `pledges refresh` that died without a word (kill -9, the out-of-memory killer, a machine
switched off) and that Dagster still counts as running.

With a persistent instance (DAGSTER_HOME) such a run stays "started" for good and keeps the DuckDB
writers' pool slot (DUCKDB_POOL, limit 1) that its step had claimed: every later run would wait for
that slot for ever. Dagster's daemon frees the slots of finished runs only, and a run executed in
the CLI's own process has no run worker for run monitoring to watch.

So a refresh records which process runs it (RUNNER_TAG: host, pid, start time), and the next one
marks failed, and frees the slots of, every run so recorded on this host whose process is gone.
Runs without the tag (launched by the daemon) or recorded on another host are left to Dagster.
"""
from __future__ import annotations

import os
import socket
from typing import Callable

import dagster as dg

from orchestration import child_processes

RUNNER_TAG = "pledges/runner"  # "<host> <pid>:<start time>" of the process executing the run
UNFINISHED = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def runner_tags() -> dict[str, str]:
    """The tag that names this process as the one executing a run."""
    mark = child_processes.mark_of_this_process()[child_processes.STARTED_BY_ENV]
    return {RUNNER_TAG: f"{socket.gethostname()} {mark}"}


def runner_is_gone(tag: str) -> bool:
    """Whether the process a RUNNER_TAG names has ended; False for another host's process, which
    cannot be seen from here."""
    host, _, mark = tag.rpartition(" ")
    runner = child_processes.starter_in(mark)
    return host == socket.gethostname() and runner is not None and runner[0] != os.getpid() \
        and not child_processes.is_alive(*runner)


def fail_dead_runs(instance: dg.DagsterInstance, warn: Callable[[str], None]) -> list[str]:
    """Mark failed the runs whose process died, and free the pool slots they held; their ids."""
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED)):
        tag = run.tags.get(RUNNER_TAG)
        if not tag or not runner_is_gone(tag):
            continue
        pid = tag.rpartition(" ")[2].partition(":")[0]
        instance.report_run_failed(run, message=f"the process running it (PID {pid}) ended without finishing "
                                                f"the run; marked failed by the next refresh")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        warn(f"run {run.run_id} of {run.job_name} was left unfinished by PID {pid}, which is gone: "
             f"marked failed and its pool slots freed")
        failed.append(run.run_id)
    return failed
