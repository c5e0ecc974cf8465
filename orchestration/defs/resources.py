"""Resources shared by the assets: the warehouse files and the dbt command line."""

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings

DUCKDB_POOL = "duckdb_writer"  # every asset that opens the build file for writing; limit 1

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)

class WarehouseResource(dg.ConfigurableResource):
    """The published warehouse file; the build file and exports are derived from it."""

    published_path: str = ""

    def _published(self) -> Path:
        return settings.use_warehouse(self.published_path or None)

    @property
    def published(self) -> Path:
        return self._published()

    @property
    def build(self) -> Path:
        self._published()
        return settings.build_path()

    @property
    def exports(self) -> Path:
        self._published()
        return settings.exports_dir()

    @contextmanager
    def connect_build(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection to the build file, always closed: DuckDB holds its file lock as
        long as a connection lives, and dbt runs in another process."""
        path = self.build
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(path))
        try:
            yield conn
        finally:
            conn.close()

def resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        # The dbt beside this interpreter: the venv's bin/ need not be on PATH.
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))),
    }
