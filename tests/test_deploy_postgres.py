"""Dagster on PostgreSQL, deployed the way the README's "Dagster on PostgreSQL" tells a server's
owner to: deploy/postgres/dagster.yaml in DAGSTER_HOME, and three processes on 127.0.0.1 — the
code location as a gRPC server (`dagster api grpc`), `dagster-webserver` and `dagster-daemon`,
both reading deploy/postgres/workspace.yaml. The database is a fresh one on the session's real
PostgreSQL server (tests/postgres_server.py); only the code server is told where the warehouse is,
as the README says, and it reads the project's own registry (its offline sample folder).

The nightly job is launched through the webserver's GraphQL; the queued coordinator leaves it to
the daemon. What the instance stores is then read three ways: through the UI's GraphQL, through a
DagsterInstance built from the same dagster.yaml, and with plain SQL on Dagster's own tables in
PostgreSQL. The tests run in file order and share the deployment and its one good run.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
import requests

from tests.conftest import REPO, query
from tests.ui import queries as q
from tests.ui.devserver import free_port, post_graphql, wait_until

DEPLOY = REPO / "deploy" / "postgres"
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 600
START_TIMEOUT = 180  # each process answers in 10-20 s on a quiet 2-core machine, 50 s on a busy one
STOP_TIMEOUT = 30
SCHEDULE = "nightly_refresh_schedule"
SENSOR = "alert_on_run_failure"

SOURCE_PARTITIONS = """
{ assetNodeOrError(assetKey: {path: ["raw", "documents"]}) { __typename ... on AssetNode { partitionKeys } } }
"""
SCHEDULE_STATE = """
query Schedule($selector: ScheduleSelector!) { scheduleOrError(scheduleSelector: $selector) { __typename
  ... on Schedule { name scheduleState { id selectorId status } } } }
"""
START_SCHEDULE = """
mutation Start($selector: ScheduleSelector!) { startSchedule(scheduleSelector: $selector) { __typename
  ... on ScheduleStateResult { scheduleState { status } }
  ... on PythonError { message } } }
"""
TERMINATE_RUN = """
mutation Terminate($runId: String!) { terminateRun(runId: $runId) { __typename
  ... on TerminateRunSuccess { run { runId status } }
  ... on TerminateRunFailure { message }
  ... on PythonError { message } } }
"""


# ---------------------------------------------------------------------------------------------
# Three processes, as a server runs them
# ---------------------------------------------------------------------------------------------
class Process:
    """One long-running process in its own session (so that a signal reaches what it starts, such
    as the run workers of the code server); output to a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path):
        self.name, self.command, self.env, self.log_path = name, command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(self.command, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL,
                                      stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def assert_running(self) -> None:
        code = self.popen.poll()
        assert code is None, f"{self.name} exited with {code}:\n{self.tail()}"

    def tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = STOP_TIMEOUT) -> tuple[int | None, float]:
        """SIGTERM, as systemd or `docker stop` sends it; returns the exit code (None when it had to
        be killed) and the seconds it took."""
        if self.popen is None:  # never started: an earlier process failed
            return None, 0.0
        started = time.monotonic()
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
        try:
            code = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        return code, time.monotonic() - started

    def kill(self) -> None:
        self._signal(signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait(timeout=10)
        self._log.close()

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass


class Deployment:
    """The three processes and the webserver's GraphQL endpoint; quacks like tests.ui's DevServer
    for the shared queries."""

    def __init__(self, root: Path, database: str, pg_env: dict[str, str], warehouse: Path):
        self.root, self.database, self.warehouse = root, database, warehouse
        self.home = root / "dagster_home"
        self.code_port, self.web_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.web_port}"
        workspace = str(DEPLOY / "workspace.yaml")
        # what a user's shell would hold: nothing of this session's own warehouse or Dagster home
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PLEDGES_", "DAGSTER_"))}
        self.instance_env = {"DAGSTER_HOME": str(self.home), **pg_env,
                             "DAGSTER_CODE_SERVER_HOST": "127.0.0.1", "DAGSTER_CODE_SERVER_PORT": str(self.code_port),
                             "PYTHONPATH": str(REPO), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
        env = {**base, **self.instance_env}
        logs = root / "logs"
        logs.mkdir()
        self.code_server = Process("the code server", [
            str(BIN / "dagster"), "api", "grpc", "-m", "orchestration.definitions",
            "-h", "127.0.0.1", "-p", str(self.code_port)], {**env, "PLEDGES_WAREHOUSE": str(warehouse)},
            logs / "grpc.log")
        self.webserver = Process("the webserver", [
            str(BIN / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1", "-p", str(self.web_port)],
            env, logs / "webserver.log")
        self.daemon = Process("the daemon", [str(BIN / "dagster-daemon"), "run", "-w", workspace], env,
                              logs / "daemon.log")
        self.processes = [self.code_server, self.webserver, self.daemon]
        self.timings: dict[str, float] = {}
        self.stopped: dict[str, tuple[int | None, float]] | None = None
        self._http = requests.Session()

    def start(self) -> None:
        started = time.monotonic()
        self.code_server.start()
        wait_until(self._code_server_answers, START_TIMEOUT, "the gRPC code server to answer", interval=1.0,
                   on_timeout=lambda: "\n" + self.code_server.tail())
        self.timings["code server ready"] = time.monotonic() - started
        self.webserver.start()
        self.daemon.start()
        wait_until(self._location_loaded, START_TIMEOUT, "the webserver to load the code location from the gRPC server",
                   on_timeout=self.output_tail)
        self.timings["webserver ready"] = time.monotonic() - started

    def _code_server_answers(self) -> bool:
        self.code_server.assert_running()
        check = subprocess.run([str(BIN / "dagster"), "api", "grpc-health-check", "-h", "127.0.0.1",
                                "-p", str(self.code_port)], capture_output=True, env=self.code_server.env)
        return check.returncode == 0

    def _location_loaded(self) -> bool:
        for process in self.processes:
            process.assert_running()
        try:
            entries = self.graphql(q.LOCATIONS, timeout=5)["workspaceOrError"]["locationEntries"]
        except (requests.ConnectionError, requests.Timeout):
            return False
        errors = [e for e in entries if (e["locationOrLoadError"] or {}).get("__typename") == "PythonError"]
        assert not errors, f"the code location failed to load: {errors}"
        return [(e["name"], e["loadStatus"]) for e in entries] == [(q.MAIN_LOCATION, "LOADED")]

    def graphql(self, text: str, variables: dict | None = None, timeout: float = 30) -> dict:
        return post_graphql(self._http, self.url, text, variables, timeout)

    def output_tail(self) -> str:
        return "".join(f"\n--- {p.name} ({p.log_path.name}):\n{p.tail()}" for p in self.processes)

    def stop(self) -> dict[str, tuple[int | None, float]]:
        """The daemon first (no new run is launched), then the webserver, then the code server.
        Idempotent: a second call returns the first one's exit codes and times."""
        if self.stopped is None:
            self.stopped = {p.name: p.stop() for p in (self.daemon, self.webserver, self.code_server)}
            self._http.close()
        return self.stopped

    def kill(self) -> None:
        for process in self.processes:
            if process.popen is not None:
                process.kill()

    @contextmanager
    def instance(self):
        """A DagsterInstance from the deployment's dagster.yaml, as its processes build it."""
        import dagster as dg

        with mock.patch.dict(os.environ, self.instance_env):
            with dg.DagsterInstance.get() as instance:
                yield instance

    @contextmanager
    def sql(self, postgres):
        conn = psycopg2.connect(postgres.dsn(self.database))
        try:
            with conn.cursor() as cur:
                yield cur
        finally:
            conn.close()


# ---------------------------------------------------------------------------------------------
# Fixtures: one deployment for the module, one nightly run through it
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def deployment(postgres, tmp_path_factory):
    root = tmp_path_factory.mktemp("deploy")
    database = postgres.create_database("dagster_deploy_test")
    pg_env = {"DAGSTER_POSTGRES_HOST": postgres.host, "DAGSTER_POSTGRES_PORT": str(postgres.port),
              "DAGSTER_POSTGRES_USER": postgres.user, "DAGSTER_POSTGRES_PASSWORD": postgres.password,
              "DAGSTER_POSTGRES_DB": database}
    # the project's own registry (its offline sample folder), as a checkout on a server has it
    deployed = Deployment(root, database, pg_env, warehouse=root / "warehouse" / "pledges.duckdb")
    deployed.home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", deployed.home / "dagster.yaml")
    try:
        deployed.start()
        yield deployed
    finally:
        deployed.stop()
        deployed.kill()
        print(f"\ndeployment timings (s): { {k: round(v, 1) for k, v in deployed.timings.items()} }; "
              f"stopped: { {k: (c, round(s, 1)) for k, (c, s) in deployed.stopped.items()} }")


def nightly_tags(deployment) -> dict[str, str]:
    """The tags the nightly schedule puts on its run: every enabled source of the registry, as the
    code server read it."""
    node = deployment.graphql(SOURCE_PARTITIONS)["assetNodeOrError"]
    sources = [key for key in node["partitionKeys"] if key != "adhoc"]
    assert sources, f"the registry has no enabled source: {node}"
    return {"dagster/asset_partition_range_start": sources[0], "dagster/asset_partition_range_end": sources[-1]}


@pytest.fixture(scope="module")
def nightly_run(deployment) -> dict:
    """The nightly job launched from the UI's API; a second launch while it runs shows the queue's
    limit of one run."""
    started = time.monotonic()
    tags = nightly_tags(deployment)
    run_id = q.launch_run(deployment, "nightly_refresh", tags)
    first_status = q.run(deployment, run_id)["status"]
    wait_until(lambda: q.run(deployment, run_id)["status"] in ("STARTING", "STARTED", "SUCCESS", "FAILURE"),
               120, "the daemon to dequeue the run", on_timeout=deployment.output_tail)
    second_id = q.launch_run(deployment, "nightly_refresh", tags)
    held = []
    while q.run(deployment, run_id)["status"] in ("STARTING", "STARTED") and len(held) < 10:
        held.append(q.run(deployment, second_id)["status"])
        time.sleep(1.0)
    terminated = deployment.graphql(TERMINATE_RUN, {"runId": second_id})["terminateRun"]
    finished = q.wait_for_run(deployment, run_id, RUN_TIMEOUT)
    deployment.timings["nightly run"] = time.monotonic() - started
    return {**finished, "first_status": first_status, "second_id": second_id, "second_held": held,
            "second_terminated": terminated}


# ---------------------------------------------------------------------------------------------
# The run, through the webserver and the daemon
# ---------------------------------------------------------------------------------------------
def test_nightly_run_is_queued_then_launched_by_the_daemon_one_at_a_time(deployment, nightly_run):
    assert nightly_run["status"] == "SUCCESS", deployment.output_tail()
    assert nightly_run["first_status"] == "QUEUED", "launchRun should leave the run to the daemon's queue"
    assert nightly_run["second_held"] and set(nightly_run["second_held"]) == {"QUEUED"}, \
        f"a second run must wait while one runs (max_concurrent_runs 1): {nightly_run['second_held']}"
    assert nightly_run["second_terminated"]["__typename"] == "TerminateRunSuccess", nightly_run["second_terminated"]
    assert q.run(deployment, nightly_run["second_id"])["status"] == "CANCELED"
    daemon_log = deployment.daemon.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Launched 1 runs." in daemon_log and "Maximum is 1, won't launch more." in daemon_log, daemon_log[-3000:]


def test_run_and_its_events_are_stored_in_postgresql(deployment, nightly_run, postgres):
    run_id = nightly_run["runId"]
    with deployment.sql(postgres) as cur:
        cur.execute("select pipeline_name, status from runs where run_id = %s", (run_id,))
        assert cur.fetchall() == [("nightly_refresh", "SUCCESS")]
        cur.execute("select dagster_event_type, count(*) from event_logs where run_id = %s "
                    "and dagster_event_type is not null group by 1", (run_id,))
        events = dict(cur.fetchall())
    # queued by the webserver, launched by the daemon (STARTING), run by the worker
    for lifecycle in ("PIPELINE_ENQUEUED", "PIPELINE_STARTING", "PIPELINE_START", "PIPELINE_SUCCESS"):
        assert events.get(lifecycle) == 1, f"{lifecycle} not stored once in event_logs: {events}"
    assert events.get("ASSET_MATERIALIZATION", 0) >= 20, events
    assert events.get("ASSET_CHECK_EVALUATION", 0) >= 5, events


def materializations_in_postgres(deployment, postgres, run_id: str) -> dict[tuple[str, ...], dict]:
    """asset key -> the materialization's metadata values, from the rows of the event_logs table
    (each row's `event` is a serialized EventLogEntry)."""
    import dagster as dg

    with deployment.sql(postgres) as cur:
        cur.execute("select asset_key, event from event_logs where run_id = %s "
                    "and dagster_event_type = 'ASSET_MATERIALIZATION'", (run_id,))
        rows = cur.fetchall()
    found = {}
    for asset_key, event in rows:
        materialization = dg.deserialize_value(event, dg.EventLogEntry).asset_materialization
        assert tuple(json.loads(asset_key)) == tuple(materialization.asset_key.path)
        found[tuple(materialization.asset_key.path)] = {k: v.value for k, v in materialization.metadata.items()}
    return found


def test_materializations_are_stored_in_postgresql_and_match_the_release(deployment, nightly_run, postgres):
    found = materializations_in_postgres(deployment, postgres, nightly_run["runId"])
    assert ("published_warehouse",) in found, sorted(found)
    assert ("raw", "documents") in found and ("raw", "pledge_mentions") in found, sorted(found)
    fct = [key for key in found if key[-1] == "fct_pledges"]
    assert fct, f"the dbt model fct_pledges has no materialization in PostgreSQL: {sorted(found)}"

    [(published_pledges,)] = query(deployment.warehouse, "select count(*) from fct_pledges")
    assert published_pledges >= 5, "the published release should hold the sample pages' pledges"
    assert found[("published_warehouse",)]["pledges"] == published_pledges
    assert found[fct[0]]["dagster/row_count"] == published_pledges
    [(donors,)] = query(deployment.warehouse, "select count(distinct donor_code) from fct_pledges")
    assert donors >= 4, "US, UK, Germany and Canada pledge on these pages"


def test_a_dagster_instance_on_the_same_config_reads_it_all_back(deployment, nightly_run):
    import dagster as dg
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    with deployment.instance() as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        run = instance.get_run_by_id(nightly_run["runId"])
        assert run.job_name == "nightly_refresh" and run.status == dg.DagsterRunStatus.SUCCESS
        latest = instance.get_latest_materialization_event(dg.AssetKey("published_warehouse"))
        assert latest is not None and latest.run_id == nightly_run["runId"]
        # the DuckDB pool's limit of one lives in PostgreSQL too
        assert instance.event_log_storage.get_concurrency_info("duckdb_writer").slot_count == 1


def test_schedule_and_sensor_state_are_stored_in_postgresql(deployment, nightly_run, postgres):
    selector = {"repositoryLocationName": q.MAIN_LOCATION, "repositoryName": q.REPOSITORY, "scheduleName": SCHEDULE}

    def schedule_state() -> dict:
        result = deployment.graphql(SCHEDULE_STATE, {"selector": selector})["scheduleOrError"]
        assert result["__typename"] == "Schedule", result
        return result["scheduleState"]

    def stored() -> dict[str, tuple[str, str]]:
        with deployment.sql(postgres) as cur:
            cur.execute("select selector_id, instigator_type, status, instigator_body from instigators")
            return {selector_id: (kind, status) for selector_id, kind, status, body in cur.fetchall()
                    if SCHEDULE in body or SENSOR in body}

    state = schedule_state()
    assert state["status"] == "RUNNING"
    # the daemon records the schedule and sensor that are on in code as soon as it evaluates them
    rows = wait_until(lambda: len(stored()) == 2 and stored(), 90, "the daemon to store the schedule and sensor state",
                      on_timeout=deployment.output_tail)
    assert rows[state["selectorId"]] == ("SCHEDULE", "DECLARED_IN_CODE"), rows
    assert sorted(rows.values()) == [("SCHEDULE", "DECLARED_IN_CODE"), ("SENSOR", "DECLARED_IN_CODE")]

    stopped = deployment.graphql(q.STOP_SCHEDULE, {"id": state["id"]})["stopRunningSchedule"]
    assert stopped["__typename"] == "ScheduleStateResult" and stopped["scheduleState"]["status"] == "STOPPED", stopped
    assert stored()[state["selectorId"]] == ("SCHEDULE", "STOPPED")
    started = deployment.graphql(START_SCHEDULE, {"selector": selector})["startSchedule"]
    assert started["__typename"] == "ScheduleStateResult" and started["scheduleState"]["status"] == "RUNNING", started
    assert stored()[state["selectorId"]] == ("SCHEDULE", "RUNNING")


def first_bytes(path: Path, n: int) -> bytes:
    with path.open("rb") as f:
        return f.read(n)


def test_nothing_is_stored_in_sqlite_under_dagster_home(deployment, nightly_run):
    files = [p for p in deployment.home.rglob("*") if p.is_file()]
    sqlite = [p for p in files if first_bytes(p, 16) == b"SQLite format 3\x00"]
    assert not sqlite, f"SQLite files under DAGSTER_HOME: {sqlite}"
    # what is there: the config and the step logs of the run (plain files, as on any instance)
    assert deployment.home / "dagster.yaml" in files
    assert any(nightly_run["runId"] in str(p) for p in files), "the run's compute logs are expected under storage/"


def test_the_three_processes_stop_cleanly_on_sigterm(deployment, nightly_run):
    stopped = deployment.stop()
    slow = {name: (code, round(seconds, 1)) for name, (code, seconds) in stopped.items()
            if code is None or seconds > STOP_TIMEOUT}
    assert not slow, f"processes that did not exit within {STOP_TIMEOUT} s of SIGTERM: {slow}\n{deployment.output_tail()}"


def yaml_env_names(node) -> set[str]:
    """Every `env: NAME` in a parsed Dagster YAML file."""
    if isinstance(node, dict):
        found = {node["env"]} if isinstance(node.get("env"), str) else set()
        return found.union(*(yaml_env_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(yaml_env_names(v) for v in node))
    return set()


def test_env_example_sets_every_variable_the_deploy_config_reads():
    import yaml

    read = set()
    for name in ("dagster.yaml", "workspace.yaml"):
        read |= yaml_env_names(yaml.safe_load((DEPLOY / name).read_text(encoding="utf-8")))
    assert read == {"DAGSTER_POSTGRES_HOST", "DAGSTER_POSTGRES_PORT", "DAGSTER_POSTGRES_USER",
                    "DAGSTER_POSTGRES_PASSWORD", "DAGSTER_POSTGRES_DB", "DAGSTER_CODE_SERVER_HOST",
                    "DAGSTER_CODE_SERVER_PORT"}
    lines = (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines()
    example = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert read | {"DAGSTER_HOME"} <= example, f"missing from env.example: {read - example}"
