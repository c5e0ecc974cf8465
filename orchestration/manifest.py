"""Prepare dbt's manifest (`dbt parse`) before anything imports the Dagster definitions."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from orchestration import child_processes, settings


def manifest_is_stale() -> bool:
    manifest = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [p for folder in ("models", "seeds", "tests", "macros") for p in (settings.DBT_PROJECT_DIR / folder).rglob("*")]
    sources += [settings.DBT_PROJECT_DIR / "dbt_project.yml", settings.DBT_PROJECT_DIR / "profiles.yml"]
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def prepare_manifest(force: bool = False) -> None:
    """Run `dbt parse` when the manifest is missing or older than the dbt project's files."""
    if not force and not manifest_is_stale():
        return
    # One parse at a time: two processes starting together (a refresh beside `make dev`, the
    # test workers) would otherwise write the same target folder at once.
    lock_path = settings.DBT_PROJECT_DIR / "target" / ".parse.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if force or manifest_is_stale():  # the other may have just made it
            _parse()


def _parse() -> None:
    settings.use_warehouse()
    env = {**os.environ, **child_processes.mark_of_this_process(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DO_NOT_TRACK": "1"}
    dbt = Path(sys.executable).with_name("dbt")
    # tied to this process: a refresh killed while it parses takes dbt with it
    result = subprocess.run([*child_processes.tied_command(str(dbt)), "parse", "--quiet",
                             "--project-dir", str(settings.DBT_PROJECT_DIR), "--profiles-dir", str(settings.DBT_PROJECT_DIR)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")


if __name__ == "__main__":
    prepare_manifest(force="--force" in sys.argv)
