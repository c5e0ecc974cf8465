"""The build file held by a process that a dead run left behind: recognised, stopped and named in a
warning, so that the run goes on. Any other holder (an analyst's shell, a run still going) is named
in one line and left alone.

DuckDB names the process holding its lock ("Conflicting lock is held in EXE (PID n)"). The holder
counts as left by a dead run only when both hold:
- it carries a refresh's mark (child_processes.STARTED_BY_ENV: the pid and start time of the process
  that started it), which only dbt started by a refresh has, and
- that process no longer runs (its pid is gone, or now names a process started at another time).
A process without the mark is never stopped, whatever it is.
"""
from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

import duckdb

from orchestration import child_processes

Connection = TypeVar("Connection")

LOCK_HOLDER = re.compile(r"Conflicting lock is held in .*? \(PID (\d+)\)")
CONNECT_ATTEMPTS = 4  # a few orphans may queue for the same file; more means something else is wrong
EXIT_WAIT_SECONDS = 10.0
COMMAND_SHOWN_CHARS = 160


class BuildFileHeld(Exception):
    """A live process holds the file; the message is the one line the user gets."""


@dataclass(frozen=True)
class Holder:
    pid: int
    start_time: int | None
    command: str
    started_by: tuple[int, int | None] | None  # the mark in its environment, when it has one we can read

    def left_by_dead_run(self) -> bool:
        return (self.pid != os.getpid() and self.started_by is not None
                and not child_processes.is_alive(*self.started_by))


def lock_holder(exc: BaseException) -> Holder | None:
    """The process DuckDB names as holding the file's lock; None when the error is no lock conflict,
    or when there is no /proc to look at the process in (not Linux), or it names none (pid 0: a
    holder in another pid namespace); DuckDB's own message then stands."""
    match = LOCK_HOLDER.search(str(exc)) if isinstance(exc, duckdb.Error) else None
    if not match or int(match.group(1)) == 0 or not Path("/proc/self/stat").exists():
        return None
    pid = int(match.group(1))
    return Holder(pid, child_processes.process_start_time(pid), _command(pid), _started_by(pid))


def _command(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    except OSError:
        return "command unknown"
    command = " ".join(word.decode(errors="replace") for word in words)
    return command if len(command) <= COMMAND_SHOWN_CHARS else command[:COMMAND_SHOWN_CHARS] + " ..."


def _started_by(pid: int) -> tuple[int, int | None] | None:
    """The mark in the environment the process started with (unreadable for another user's)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return None
    prefix = child_processes.STARTED_BY_ENV.encode() + b"="
    mark = next((entry[len(prefix):].decode() for entry in environ if entry.startswith(prefix)), None)
    return child_processes.starter_in(mark) if mark else None


def connect_clearing_orphans(connect: Callable[[], Connection], path: Path,
                             warn: Callable[[str], None]) -> Connection:
    """connect(), after stopping any process a dead run left holding `path`; BuildFileHeld when a
    live process holds it."""
    for _ in range(CONNECT_ATTEMPTS):
        try:
            return connect()
        except duckdb.Error as exc:
            holder = lock_holder(exc)
            if holder is None:
                raise
            if holder.start_time is None:
                continue  # it has exited since: try again
            if not holder.left_by_dead_run():
                raise BuildFileHeld(_held_by_live_process(path, holder, exc)) from None
            _stop(holder)
            warn(f"stopped PID {holder.pid} ({holder.command}): a process left holding {path} by a run that is "
                 f"gone (PID {holder.started_by[0]})")
    raise BuildFileHeld(f"{path} is still locked after {CONNECT_ATTEMPTS} attempts, each stopping a "
                        f"process left by a dead run or finding its holder gone; see who holds it: fuser -v {path}")


def _held_by_live_process(path: Path, holder: Holder, exc: duckdb.Error) -> str:
    if holder.started_by:
        whose = f", started by PID {holder.started_by[0]}, which still runs"
    else:
        whose = ""
    return (f"the build file {path} is in use by PID {holder.pid} ({holder.command}){whose}; it is left alone: "
            f"let it finish or stop it, then refresh again ({str(exc).splitlines()[0]})")


def _stop(holder: Holder) -> None:
    """SIGKILL the holder and wait until it has let go of its files (it has exited: a zombie
    holds none). Nothing is sent when the pid has meanwhile come to name another process."""
    if child_processes.process_start_time(holder.pid) != holder.start_time:
        return
    try:
        os.kill(holder.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + EXIT_WAIT_SECONDS
    while time.monotonic() < deadline:
        if child_processes.process_start_time(holder.pid) != holder.start_time or is_zombie(holder.pid):
            return
        time.sleep(0.05)
    raise BuildFileHeld(f"PID {holder.pid} ({holder.command}), left holding the build file by a dead run, "
                        f"did not exit within {EXIT_WAIT_SECONDS:.0f} s of SIGKILL")


def is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2:].startswith("Z")
