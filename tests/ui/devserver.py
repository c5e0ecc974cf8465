"""`make dev` as a test fixture: start it in its own session, talk to its GraphQL endpoint, and stop
it with SIGINT the way Ctrl-C does, making sure nothing it started is left running.

`dagster dev` started from a non-interactive parent ignores SIGINT unless it leads its own
process group (../shared/docs/stack-notes.md, pitfall 9); `start_new_session=True` gives make,
dagster dev, the webserver, the daemon, the code servers and the run workers one session whose id
is make's pid. Every one of them also inherits DAGSTER_HOME=<the test's temporary home>, which is
how `leftover_processes` finds any that escaped the session.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

import requests

T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(probe: Callable[[], T], timeout: float, what: str, interval: float = 0.5,
               on_timeout: Callable[[], str] | None = None) -> T:
    """Call `probe` until it returns something truthy; fail with `what` (and extra context) after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            extra = on_timeout() if on_timeout else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r}){extra}")
        time.sleep(interval)


class GraphQLError(AssertionError):
    pass


def post_graphql(session: requests.Session, url: str, query: str, variables: dict | None = None,
                 timeout: float = 30) -> dict:
    """The data of one query to the webserver at `url`; GraphQL's own errors raise."""
    response = session.post(f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=timeout)
    if response.status_code != 200:
        raise GraphQLError(f"GraphQL answered {response.status_code}: {response.text[:2000]}")
    body = response.json()
    if body.get("errors"):
        raise GraphQLError(f"GraphQL errors: {body['errors']}")
    return body["data"]


@dataclass
class StopReport:
    exit_code: int | None
    seconds: float
    leftovers: list[str] = field(default_factory=list)  # "pid cmdline" of processes still alive
    killed: bool = False                                  # SIGKILL was needed


class DevServer:
    """One `make dev` process tree; `env` is its whole environment."""

    def __init__(self, repo: Path, dagster_home: Path, port: int, locations: list[str], env: dict[str, str],
                 log_path: Path):
        self.repo, self.dagster_home, self.port = repo, dagster_home, port
        self.locations, self.env, self.log_path = locations, env, log_path
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.stop_report: StopReport | None = None
        self._session = requests.Session()

    # -- start ------------------------------------------------------------------------------
    def start(self) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        command = ["make", "--no-print-directory", "dev", f"DAGSTER_HOME={self.dagster_home}",
                   f"DEV_PORT={self.port}", "DEV_LOCATIONS=" + " ".join(f"-m {m}" for m in self.locations)]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=self.repo, env=self.env,
                                        stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def output_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until /graphql answers and every code location has loaded."""
        deadline = time.monotonic() + timeout
        while True:
            code = self.process.poll()
            if code is not None:
                raise AssertionError(f"`make dev` exited with {code} before the UI answered:\n{self.output_tail()}")
            try:
                data = self.graphql("{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
                                    "locationOrLoadError { __typename ... on PythonError { message } } } } } }",
                                    timeout=5)
                entries = data["workspaceOrError"]["locationEntries"]
                errors = [e for e in entries if e["locationOrLoadError"]
                          and e["locationOrLoadError"]["__typename"] == "PythonError"]
                if errors:
                    raise AssertionError(f"a code location failed to load: {errors}\n{self.output_tail()}")
                if len(entries) == len(self.locations) and all(e["loadStatus"] == "LOADED" for e in entries):
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() >= deadline:
                raise AssertionError(f"the UI did not answer on {self.url}/graphql within {timeout:.0f} s:\n"
                                     f"{self.output_tail()}")
            time.sleep(0.5)

    # -- GraphQL ----------------------------------------------------------------------------
    def graphql(self, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
        return post_graphql(self._session, self.url, query, variables, timeout)

    # -- stop -------------------------------------------------------------------------------
    def leftover_processes(self) -> list[str]:
        """Processes of this server's session, or carrying its DAGSTER_HOME, still alive."""
        if self.process is None:
            return []
        session = self.process.pid
        marker = f"DAGSTER_HOME={self.dagster_home}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                in_session = os.getsid(pid) == session
                environ = (entry / "environ").read_bytes().split(b"\0")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (ProcessLookupError, FileNotFoundError, PermissionError, IndexError):
                continue
            if state == "Z":  # a zombie has exited; only its parent's wait is missing
                continue
            if in_session or marker in environ:
                found.append(f"{pid} {cmdline[:160]}")
        return found

    def stop(self, timeout: float = 30.0) -> StopReport:
        """Ctrl-C: SIGINT to the whole process group, wait up to `timeout`, then SIGKILL whatever is
        left. Idempotent: the second call returns the first call's report."""
        if self.stop_report is not None:
            return self.stop_report
        if self.process is None:
            self.stop_report = StopReport(exit_code=None, seconds=0.0)
            return self.stop_report
        started = time.monotonic()
        try:
            os.killpg(self.process.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        exit_code = None
        try:
            exit_code = self.process.wait(timeout=timeout)
            # make has exited; give its children what is left of the timeout to finish too
            wait_until(lambda: not self.leftover_processes() or None, max(1.0, timeout - (time.monotonic() - started)),
                       "the processes of `make dev` to exit", interval=0.2)
        except (subprocess.TimeoutExpired, AssertionError):
            pass
        seconds = time.monotonic() - started
        leftovers = self.leftover_processes()
        killed = False
        if leftovers or self.process.poll() is None:
            killed = True
            self._kill_leftovers()
            if self.process.poll() is None:
                self.process.wait(timeout=10)
        self._log.close()
        self._session.close()
        self.stop_report = StopReport(exit_code=exit_code, seconds=seconds, leftovers=leftovers, killed=killed)
        return self.stop_report

    def _kill_leftovers(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for line in self.leftover_processes():
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
