"""Child processes that die with the run that started them, and the mark that tells one a dead run
left behind.

A refresh starts dbt and, for large corpora, a pool of parse and extract workers. When the refresh
is killed outright (`kill -9`, the out-of-memory killer, a lost container), nothing in it runs to
stop them: an orphaned dbt went on holding the build file's lock and the next night failed. On
Linux the kernel can do it instead: a child that asked for PR_SET_PDEATHSIG gets that signal when
the thread that started it ends, and a process's main thread ends with the process.

dbt, the child that opens the build file, also carries in its environment the process id and
start time of the process that started it (STARTED_BY_ENV): `orchestration/stale_locks.py` reads
it to tell a child whose run is gone from anyone else's process, should one outlive its run where
the kernel's tie is missing. This module imports only the standard library: dbt is started through
it as a script (`python -I child_processes.py DBT ARGS...`), before anything else loads.
"""
from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

STARTED_BY_ENV = "PLEDGES_STARTED_BY"  # "<pid>:<start time>" of the run process that started this one
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_GONE_EXIT = 70  # the parent died before the kernel was asked to tie this process to it


def process_start_time(pid: int) -> int | None:
    """When a process started, in clock ticks since boot (field 22 of /proc/PID/stat); None when
    there is no such process or no /proc. With the pid it names one process for good: pids are
    reused, start times are not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may itself hold spaces or parentheses
    return int(stat[stat.rindex(")") + 2:].split()[19])


def mark_of_this_process() -> dict[str, str]:
    """The environment entry that names this process as a child's starter."""
    return {STARTED_BY_ENV: f"{os.getpid()}:{process_start_time(os.getpid())}"}


def starter_in(mark: str) -> tuple[int, int | None] | None:
    """(pid, start time) from a STARTED_BY_ENV value; None when it is not one."""
    pid, _, start = mark.partition(":")
    if not pid.isdigit():
        return None
    return int(pid), int(start) if start.isdigit() else None


def is_alive(pid: int, start_time: int | None) -> bool:
    """Whether the process that had this pid and start time still runs. Without /proc (not Linux)
    only the pid can be asked about, and a pid in use counts as alive: never a live run taken for
    a dead one."""
    if not Path("/proc/self/stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
    now = process_start_time(pid)
    return now is not None and (start_time is None or now == start_time)


@contextmanager
def marked_as_started_here() -> Iterator[None]:
    """Children started inside the block inherit this process's mark in their environment (for
    libraries that start them with a copy of os.environ, such as dagster-dbt)."""
    before = os.environ.get(STARTED_BY_ENV)
    os.environ.update(mark_of_this_process())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(STARTED_BY_ENV, None)
        else:
            os.environ[STARTED_BY_ENV] = before


def die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when `parent` (the thread that started it) ends, and
    end now if it already has (it would otherwise never be signalled). A no-op off Linux."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(PARENT_GONE_EXIT)


def tied_command(executable: str) -> list[str]:
    """The command line that runs `executable` (with the arguments put after it) tied to the
    process that starts it: this interpreter, isolated (-I: neither PYTHONPATH nor this folder is
    searched), running this file."""
    return [sys.executable, "-I", str(Path(__file__).resolve()), executable]


def _exec_tied(argv: Sequence[str]) -> None:
    """`child_processes.py EXECUTABLE ARGS...`: tie this process to the one that started it, then
    become EXECUTABLE (the tie survives exec)."""
    started_by = starter_in(os.environ.get(STARTED_BY_ENV, ""))
    die_with_parent(started_by[0] if started_by else os.getppid())
    os.execv(argv[0], list(argv))


if __name__ == "__main__":
    _exec_tied(sys.argv[1:])
