"""`make docs`: dbt's documentation site (lineage, column descriptions, tests, exposures) as one
static page that opens offline: warehouse/docs/index.html.

The column types (dbt's catalog) are read from the build file, so a build must exist (`make run`)
and no refresh may be writing it at that moment (DuckDB lets one process hold a file for writing)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration import settings

EXTERNAL_MARKERS = ("https://fonts.googleapis.com", "https://cdn.", "<script src=\"http")


def build_docs(out_dir: Path | None = None) -> Path:
    settings.use_warehouse()
    build = settings.build_path()
    if not build.exists():
        raise SystemExit(f"docs: no build file at {build}: run `make run` first (the site shows its column types)")
    out_dir = out_dir or settings.published_path().parent / "docs"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    dbt = Path(sys.executable).with_name("dbt")
    # A target folder of its own: dbt's own target/ holds the manifest the Dagster definitions read.
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as target:
        done = subprocess.run([str(dbt), "docs", "generate", "--static", "--project-dir", str(settings.DBT_PROJECT_DIR),
                               "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target-path", target],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in (done.stdout + done.stderr).splitlines() if "rror" in line or "lock" in line]
            raise SystemExit("docs: dbt docs generate failed: " + (" / ".join(lines[-3:]) or done.stdout[-500:]))
        page = Path(target) / "static_index.html"
        text = page.read_text(encoding="utf-8")
        found = [marker for marker in EXTERNAL_MARKERS if marker in text]
        if found:  # the site must open on a machine without a network
            raise SystemExit(f"docs: the generated page refers to the network ({', '.join(found)})")
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, out_dir / "index.html")
    return out_dir / "index.html"


if __name__ == "__main__":
    print(f"dbt documentation: {build_docs()}")
