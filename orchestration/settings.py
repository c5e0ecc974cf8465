"""Where the warehouse lives. One environment variable names the published file; the build
file, the raw archive and the alert log are placed beside it (the release folders too:
orchestration/publishing.py), and dbt's profile reads the
build path from PLEDGES_BUILD_DB, which is derived here so Python and dbt write the same file."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "pledges.duckdb"
WAREHOUSE_ENV = "PLEDGES_WAREHOUSE"
BUILD_ENV = "PLEDGES_BUILD_DB"
ALERT_LOG_ENV = "PLEDGES_ALERT_LOG"
ALERT_WEBHOOK_ENV = "PLEDGES_ALERT_WEBHOOK"
WORKERS_ENV = "PLEDGES_WORKERS"
# Seconds one page may take to parse, and again to extract (orchestration/page_budget.py). Real
# pages take a few milliseconds; a 10 MB page about 10 s on one core.
PAGE_SECONDS_ENV = "PLEDGES_PAGE_SECONDS"
DEFAULT_PAGE_SECONDS = 30.0
# Reviewers' corrections (corrections/README.md): CSV files kept in the repository, read by dbt.
CORRECTIONS_ENV = "PLEDGES_CORRECTIONS_DIR"
DEFAULT_CORRECTIONS_DIR = REPO_ROOT / "corrections"
# The release in PostgreSQL (orchestration/postgres_release.py): a libpq URL or DSN of the database
# analysts read; unset, no copy is made. The analysts' role is created there if missing.
POSTGRES_URL_ENV = "PLEDGES_POSTGRES_URL"
POSTGRES_READER_ENV = "PLEDGES_POSTGRES_READER"
DEFAULT_POSTGRES_READER = "pledges_reader"
# DuckDB takes up to 80% of the machine's memory by default. The pipeline's own connections (the
# raw writes, the release, its exports) are held to this and spill to disk past it: the night's
# target is 1.5 GB summed over its processes at 100,000 pages. dbt's is in profiles.yml.
DUCKDB_CONFIG = {"memory_limit": "512MB"}


def published_path() -> Path:
    return _absolute(Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE))


def _absolute(path: Path) -> Path:
    """An absolute path whose folder is resolved but whose name is kept: the published file is a
    link into the current release, and resolving it would name one release's folder for good."""
    path = path.expanduser()
    return path.parent.resolve() / path.name


def build_path() -> Path:
    published = published_path()
    return published.parent / "build" / published.name


def alert_log_path() -> Path:
    return Path(os.environ.get(ALERT_LOG_ENV) or published_path().parent / "alerts.log")


def alert_webhook_url() -> str | None:
    """Where failed-run alerts are posted besides the log (unset: nowhere)."""
    return os.environ.get(ALERT_WEBHOOK_ENV) or None


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV, "").strip() or None


def postgres_reader_role() -> str:
    return os.environ.get(POSTGRES_READER_ENV, "").strip() or DEFAULT_POSTGRES_READER


def corrections_dir() -> Path:
    return Path(os.environ.get(CORRECTIONS_ENV) or DEFAULT_CORRECTIONS_DIR).expanduser().resolve()


def use_warehouse(path: str | os.PathLike | None = None) -> Path:
    """Point this process (and the dbt processes it starts) at a published warehouse file.
    dbt reads the build file and the corrections folder from the environment, as absolute paths so
    that dbt's working folder does not matter."""
    if path is not None:
        os.environ[WAREHOUSE_ENV] = str(_absolute(Path(path)))
    os.environ[BUILD_ENV] = str(build_path())
    os.environ[CORRECTIONS_ENV] = str(corrections_dir())
    return published_path()


def worker_count() -> int:
    """Processes for parsing and extraction: PLEDGES_WORKERS, else one per core."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if not raw:
        try:  # the cores this process may run on, which an affinity mask can make fewer
            return len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            return os.cpu_count() or 1
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{WORKERS_ENV} must be a whole number of processes, 1 or more (got {raw!r})")
    return int(raw)


def page_seconds() -> float:
    """The time budget of one page in one step: PLEDGES_PAGE_SECONDS, else 30 seconds."""
    raw = os.environ.get(PAGE_SECONDS_ENV, "").strip()
    if not raw:
        return DEFAULT_PAGE_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ValueError(f"{PAGE_SECONDS_ENV} must be a number of seconds above 0 (got {raw!r})")
    return seconds


def archive_dir() -> Path:
    """The raw layer's append-only copy (orchestration/raw_archive.py), beside the build folder so
    that losing the build file, or the whole build folder, loses nothing of it."""
    return published_path().parent / "raw-archive"
