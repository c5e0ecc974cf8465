"""Resources shared by the assets: the warehouse files and the dbt command line."""

import sys
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version, parse

from orchestration import build_inputs, child_processes, raw_archive, settings, stale_locks

DUCKDB_POOL = "duckdb_writer"  # every asset that opens the build file for writing; limit 1
# The Python steps read and write in batches and need far less than DuckDB's default.
BUILD_CONNECTION = settings.DUCKDB_CONFIG


dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


class WarehouseResource(dg.ConfigurableResource):
    """The published warehouse file; the build file and exports are derived from it."""

    published_path: str = ""

    def activate(self) -> Path:
        """Point this process, and the dbt processes it starts, at the warehouse; returns the
        published path (settings derives the build file and exports from it)."""
        return settings.use_warehouse(self.published_path or None)

    @contextmanager
    def connect_build(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection to the build file, always closed: DuckDB holds its file lock as
        long as a connection lives, and dbt runs in another process. A build file that is missing
        or that DuckDB cannot open is rebuilt from the raw archive first (a corrupt one is kept
        aside), and dbt then builds again, since the release record no longer fits the build.
        A process that a killed run left holding the file is stopped first (stale_locks)."""
        self.activate()
        path = settings.build_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        warn = dg.get_dagster_logger().warning
        try:
            conn = stale_locks.connect_clearing_orphans(
                lambda: raw_archive.connect_or_restore(path, settings.archive_dir(), BUILD_CONNECTION, warn=warn,
                                                       on_restore=build_inputs.forget_release),
                path, warn)
        except (raw_archive.ArchiveError, stale_locks.BuildFileHeld) as exc:
            raise dg.Failure(str(exc)) from None
        try:
            yield conn
        finally:
            conn.close()


class PinnedDbtCliResource(DbtCliResource):
    """The dbt beside this interpreter (the venv's bin/ need not be on PATH), whose version is the
    pinned dbt-core's, started so that it dies with the run (child_processes).

    dagster-dbt would otherwise run `dbt --version` before each command to learn the version: 4-5 s
    of dbt's start-up and a look-up at the package index, every night and in every test run.
    dagster-dbt takes one executable and puts `global_config_flags` right after it: the command
    is this interpreter running child_processes.py, which ties itself to the run and becomes dbt.
    The tie follows the thread that starts dbt; that thread also reads dbt's output until dbt
    exits (pledges_dbt_models), so it outlives dbt unless the run dies."""

    @classmethod
    def beside_this_interpreter(cls, project: DbtProject) -> "PinnedDbtCliResource":
        executable, *launcher = child_processes.tied_command(str(Path(sys.executable).with_name("dbt")))
        return cls(project_dir=project, dbt_executable=executable, global_config_flags=launcher)

    @cached_property
    def _cli_version(self) -> Version:
        return parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        # dagster-dbt loads the project and a dbt adapter in this process (1.3 s a build) for
        # fetch_column_metadata/fetch_row_counts, which the build does not call: row counts are read
        # once dbt has let go of the file (defs/dbt.py). None is its own answer when it cannot.
        return None

    def cli(self, args, **kwargs):
        with child_processes.marked_as_started_here():  # dbt's environment names this process
            return super().cli(args, **kwargs)


def resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        "dbt": PinnedDbtCliResource.beside_this_interpreter(dbt_project),
    }
