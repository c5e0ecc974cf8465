"""Shared fixtures. The expensive one runs the real nightly job once per session on the bundled
sample corpus (plus one broken page) into a temporary warehouse."""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.pop("DAGSTER_HOME", None)  # tests use temporary Dagster instances
# Every test server runs on 127.0.0.1, which the fetcher refuses unless allowed by name
# (the SSRF guard); tests of the guard itself take this away.
os.environ["PLEDGES_ALLOW_NETWORKS"] = "127.0.0.0/8"

# The dev set's score through the real pipeline guards against regressions: measured 0.829 (F1)
# and 0.855 (precision) on its 120 real pages on 2026-12-02, with room for a few records. It is
# not the target (0.90 / 0.92), which the extractor does not reach yet.
DEV_F1_FLOOR = 0.80
DEV_PRECISION_FLOOR = 0.83

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sources" / "sample"
SHARED_EVAL = REPO.parent / "shared" / "eval"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    """`dbt parse` at test time, before anything imports the Dagster definitions."""
    from orchestration.manifest import prepare_manifest

    prepare_manifest()


@pytest.fixture(scope="session")
def sample_sources(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    for page in SAMPLE.iterdir():
        if page.suffix in (".html", ".txt"):
            shutil.copy(page, folder / page.name)
    (folder / "99_broken.html").write_bytes(b"\x00\x01\x02 not a page \xff\xfe" * 20)
    return folder


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, sample_sources):
    """One real run of the nightly job: Dagster assets, dbt build and tests, publication."""
    from orchestration import settings
    from orchestration.cli import run_nightly_job

    published = tmp_path_factory.mktemp("warehouse") / "pledges.duckdb"
    settings.use_warehouse(published)
    result = run_nightly_job(source_dirs=[str(sample_sources)])
    return result, published


@pytest.fixture(scope="session")
def sample_warehouse(sample_run) -> Path:
    result, published = sample_run
    assert result.success, "the nightly job failed on the sample corpus"
    return published


def build_file(published: Path) -> Path:
    """The build file beside a published warehouse: the raw pages and the staging and intermediate
    layers are there, never in the release."""
    return published.parent / "build" / published.name


def run_dbt(args: list[str], build: Path, target: Path) -> subprocess.CompletedProcess:
    """The venv's dbt on the project, on `build` (the profile reads its path from the environment),
    writing its artifacts to `target`."""
    from orchestration import settings

    env = {**os.environ, settings.BUILD_ENV: str(build), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run([str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(settings.DBT_PROJECT_DIR),
                           "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target-path", str(target)],
                          env=env, capture_output=True, text=True, timeout=300)


def query(path: Path, sql: str, params=None):
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def dev_warehouse(tmp_path_factory) -> Path:
    """The dev pages of ../shared/eval through `pledges refresh`, as a user runs it."""
    import subprocess
    import sys

    if not (SHARED_EVAL / "dev" / "docs").is_dir():
        pytest.skip("../shared/eval is not beside the repo")
    warehouse = tmp_path_factory.mktemp("dev") / "dev.duckdb"
    done = subprocess.run([str(Path(sys.executable).with_name("pledges")), "refresh", "--source-dir",
                           str(SHARED_EVAL / "dev" / "docs"), "--warehouse", str(warehouse)],
                          capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Published warehouse" in done.stdout
    return warehouse


@pytest.fixture(scope="session")
def make_httpserver():
    """pytest-httpserver's server, on 127.0.0.1 and threaded, so that a slow handler in one test
    cannot hold up the next."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on 127.0.0.1 for the session (tests/postgres_server.py)."""
    from tests.postgres_server import start_postgres

    server, stop = start_postgres()
    yield server
    stop()
