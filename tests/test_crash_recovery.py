"""A refresh killed outright (`kill -9`) takes its dbt with it, and the next refresh clears what a
dead run left: a run Dagster still counts as running (with the writers' pool slot it held), and a
process left holding the build file. A process that is not a dead run's is named and left alone.

Each test runs `pledges refresh` as a user does, in processes of its own, on a temporary warehouse.
"""
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import child_processes, stale_locks
from tests.conftest import REPO, build_file
from tests.ui.devserver import wait_until

PLEDGES = str(Path(sys.executable).with_name("pledges"))
# a stand-in for a dbt that holds the build file open: a write connection, then nothing
HOLD_BUILD_FILE = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(900)"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")


class Started:
    """Processes a test starts (pid and start time); whatever still runs at the end is killed."""

    def __init__(self):
        self.processes: dict[int, int | None] = {}

    def append(self, pid: int) -> None:
        self.processes[pid] = child_processes.process_start_time(pid)

    def kill_the_rest(self) -> None:
        for pid, start_time in self.processes.items():
            if child_processes.is_alive(pid, start_time):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


@pytest.fixture
def started():
    processes = Started()
    yield processes
    processes.kill_the_rest()


def start_python(started: Started, code: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    """`python -c CODE ARGS...` in the repository, its standard output readable as lines."""
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, cwd=REPO,
                               env=env or environment())
    started.append(process.pid)
    return process


def refresh_command(sources: Path, warehouse: Path) -> list[str]:
    return [PLEDGES, "refresh", "--source-dir", str(sources), "--warehouse", str(warehouse)]


def environment(dagster_home: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != child_processes.STARTED_BY_ENV}
    if dagster_home:
        dagster_home.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
        env["DAGSTER_HOME"] = str(dagster_home)
    return env


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def holds_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def is_running(pid: int, start_time: int | None) -> bool:
    """Alive, and not a zombie waiting to be reaped (a zombie holds no file and no lock)."""
    return child_processes.is_alive(pid, start_time) and not stale_locks.is_zombie(pid)


def packages(published: Path) -> set[tuple]:
    with duckdb.connect(str(published), read_only=True) as conn:
        return set(conn.execute("select donor_code, value, currency from main.fct_pledges where kind = 'package'")
                   .fetchall())


def assert_published_the_sample(published: Path) -> None:
    """Headline packages of the sample pages, each from a different page."""
    assert {("USA", 400e6, "USD"), ("DEU", 2.7e9, "EUR"), ("GBR", 500e6, "GBP")} <= packages(published)


def hold_as_a_dead_runs_orphan(build: Path, started: Started) -> int:
    """A process holding the build file that a run started and then left behind: its starter (a
    stand-in for the refresh, carrying a refresh's mark to its child) is killed outright. Returns
    the orphan's pid."""
    starter_script = (
        "import os, subprocess, sys, time\n"
        "from orchestration import child_processes\n"
        f"holder = subprocess.Popen([sys.executable, '-c', {HOLD_BUILD_FILE!r}, {str(build)!r}],\n"
        "                          env={**os.environ, **child_processes.mark_of_this_process()})\n"
        "print(holder.pid, flush=True)\n"
        "time.sleep(900)\n")
    starter = start_python(started, starter_script)
    orphan = int(starter.stdout.readline())
    started.append(orphan)
    assert starter.stdout.readline().strip() == "holding"
    starter.kill()
    starter.wait()
    return orphan


def test_a_refresh_killed_during_dbt_takes_dbt_with_it_and_the_next_refresh_publishes(sample_sources, tmp_path,
                                                                                       started):
    """The issue's case: kill -9 of `pledges refresh` while dbt builds. dbt must not outlive it;
    the next refresh (same DAGSTER_HOME, where the killed run is still 'started' and holds the
    writers' pool slot) must run to the end and publish."""
    warehouse = tmp_path / "warehouse" / "pledges.duckdb"
    build = build_file(warehouse)
    env = environment(tmp_path / "dagster_home")
    with open(tmp_path / "killed-refresh.log", "w") as log:  # a file: a pipe left unread would fill and stall it
        refresh = subprocess.Popen(refresh_command(sample_sources, warehouse), cwd=REPO, env=env, stdout=log,
                                   stderr=log)
    started.append(refresh.pid)
    dbt = wait_until(lambda: next((pid for pid in children(refresh.pid)
                                   if "dbt build" in command_line(pid) and holds_open(pid, build)), None),
                     420, "the refresh's dbt build to open the build file", interval=0.2)
    started.append(dbt)
    dbt_started = child_processes.process_start_time(dbt)

    refresh.kill()
    refresh.wait(timeout=30)

    wait_until(lambda: not is_running(dbt, dbt_started), 5, f"dbt (PID {dbt}) to die with the killed refresh",
               interval=0.2)
    assert not published_exists(warehouse)

    # (without the dead run's pool slot freed, this waits for it for ever: hence the time limit)
    again = subprocess.run(refresh_command(sample_sources, warehouse), cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=360)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "left unfinished by PID" in again.stderr and "pool slots freed" in again.stderr
    assert_published_the_sample(warehouse)


def test_a_killed_runs_parse_and_extract_workers_die_with_it(started):
    """The process pool of orchestration/parallel.py: idle workers wait on a queue whose writing end
    their siblings hold, so without the tie they would wait for ever."""
    script = ("import time\n"
              "from orchestration import parallel\n"
              "for batch in parallel.map_batches(sorted, [[2, 1], [4, 3], [6, 5], [8, 7]], 2):\n"
              "    print(batch, flush=True)\n"
              "    time.sleep(900)\n")
    run = start_python(started, script)
    assert run.stdout.readline().strip() == "[1, 2]"
    workers = [pid for pid in children(run.pid) if "multiprocessing" in command_line(pid)]
    for pid in workers:  # killed at the end if the test fails
        started.append(pid)
    assert sum("spawn_main" in command_line(pid) for pid in workers) == 2, [command_line(pid) for pid in workers]
    start_times = {pid: child_processes.process_start_time(pid) for pid in workers}

    run.kill()
    run.wait()

    wait_until(lambda: not any(is_running(pid, start) for pid, start in start_times.items()), 5,
               "the pool's processes to end with the killed run", interval=0.2,
               on_timeout=lambda: ": " + ", ".join(command_line(pid) for pid, start in start_times.items()
                                                   if is_running(pid, start)))


def published_exists(warehouse: Path) -> bool:
    return warehouse.exists() or warehouse.is_symlink()


def test_a_process_a_dead_run_left_holding_the_build_file_is_stopped_and_named(sample_sources, tmp_path, started):
    warehouse = tmp_path / "warehouse" / "pledges.duckdb"
    build = build_file(warehouse)
    build.parent.mkdir(parents=True)
    duckdb.connect(str(build)).close()
    orphan = hold_as_a_dead_runs_orphan(build, started)
    orphan_started = child_processes.process_start_time(orphan)

    done = subprocess.run(refresh_command(sample_sources, warehouse), cwd=REPO, env=environment(), capture_output=True,
                          text=True, timeout=600)

    assert done.returncode == 0, done.stderr[-3000:]
    warning = next((line for line in done.stderr.splitlines() if f"stopped PID {orphan} " in line), None)
    assert warning and str(build) in warning and "a run that is gone" in warning, done.stderr[-3000:]
    assert not is_running(orphan, orphan_started)
    assert_published_the_sample(warehouse)


def test_a_live_process_holding_the_build_file_is_named_and_left_alone(sample_sources, tmp_path, started):
    """Its starter (this test) still runs: it may be a run at work, so it is not stopped."""
    warehouse = tmp_path / "warehouse" / "pledges.duckdb"
    build = build_file(warehouse)
    build.parent.mkdir(parents=True)
    duckdb.connect(str(build)).close()
    holder = start_python(started, HOLD_BUILD_FILE, str(build),
                          env={**environment(), **child_processes.mark_of_this_process()})
    assert holder.stdout.readline().strip() == "holding"

    done = subprocess.run(refresh_command(sample_sources, warehouse), cwd=REPO, env=environment(), capture_output=True,
                          text=True, timeout=600)

    assert done.returncode != 0
    line = done.stderr.strip().splitlines()[-1]
    assert f"in use by PID {holder.pid} ({sys.executable} -c import duckdb" in line, line
    assert f"started by PID {os.getpid()}, which still runs" in line and "left alone" in line, line
    assert "dagster._core" not in line and "Failure:" not in line, line  # the cause, not Python's class
    assert holder.poll() is None, "the live holder was stopped"
    assert not published_exists(warehouse)
