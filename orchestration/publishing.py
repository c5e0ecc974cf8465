"""Copy a finished build file to the published path atomically and export the marts to Parquet.

An analyst holding the old published file open keeps reading it (os.replace swaps the name, not
the bytes under an open handle), and a failure before the swap leaves the old file untouched."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

MART_TABLES = ("dim_donors", "dim_systems", "fct_pledges", "fct_pledge_evidence", "fct_pledge_status_history",
               "fct_reported_totals", "reconciliation_reported_totals", "donor_totals", "system_totals",
               "pledges_by_month")


HEADLINE_QUERIES = {
    "pledges": "select count(*) from main.fct_pledges",
    "donors": "select count(distinct donor_code) from main.fct_pledges",
    "reported_totals": "select count(*) from main.fct_reported_totals",
    "source_documents": "select count(distinct url) from main.fct_pledge_evidence",
}


@dataclass(frozen=True)
class Publication:
    path: Path
    size_bytes: int
    exports_dir: Path
    row_counts: dict[str, int]
    headline: dict[str, int]
    cleared: tuple[str, ...] = ()  # what a killed earlier publication had left behind


def publish_warehouse(build: Path, published: Path, exports: Path) -> Publication:
    if not build.exists():
        raise FileNotFoundError(f"no build file to publish: {build}")
    cleared = clear_leftovers(published, exports)
    conn = duckdb.connect(str(build))
    try:
        conn.execute("checkpoint")  # fold the WAL into the file so a plain copy is complete
        row_counts = {t: conn.execute(f"select count(*) from main.{t}").fetchone()[0] for t in MART_TABLES}
        headline = {name: conn.execute(sql).fetchone()[0] for name, sql in HEADLINE_QUERIES.items()}
        staging_exports = Path(tempfile.mkdtemp(prefix=_staging_prefix(published), dir=_ensure_dir(exports.parent)))
        for table in MART_TABLES:
            # The path as a parameter: a folder such as "o'brien data/" must not end the SQL string.
            # Sorted on every column: the same warehouse gives the same bytes, night after night.
            conn.execute(f"copy (select * from main.{table} order by all) to $path (format parquet)",
                         {"path": str(staging_exports / (table + ".parquet"))})
    finally:
        conn.close()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{published.name}.", dir=_ensure_dir(published.parent))
    os.close(fd)
    # mkstemp and mkdtemp make owner-only files; analysts logged in as other users must read the
    # release, so it gets the modes the umask gives any new file.
    _honour_umask(Path(tmp_name), 0o666)
    _honour_umask(staging_exports, 0o777)
    try:
        shutil.copyfile(build, tmp_name)
        os.replace(tmp_name, published)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        shutil.rmtree(staging_exports, ignore_errors=True)
        raise
    _swap_dir(staging_exports, exports)
    return Publication(published, published.stat().st_size, exports, row_counts, headline, cleared)


def clear_leftovers(published: Path, exports: Path) -> tuple[str, ...]:
    """Remove the temporary copy and export folders of a publication that was killed before it
    finished (each is a full copy of the warehouse or its exports, kept forever otherwise). Only
    one run publishes at a time (the writers' pool), so whatever is there now is a dead run's."""
    leftovers = [*published.parent.glob(f".{published.name}.*"), *exports.parent.glob(_staging_prefix(published) + "*"),
                 exports.with_name(f".{exports.name}.old")]
    cleared = []
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink(missing_ok=True)
        else:
            continue
        cleared.append(path.name)
    return tuple(sorted(cleared))


def _staging_prefix(published: Path) -> str:
    """The temporary exports folder is named after its warehouse, so that a publication clears only
    its own warehouse's leftovers."""
    return f".{published.stem}-exports-"


def _current_umask() -> int:
    """The process's umask, read without setting it (os.umask would change it for every thread
    for a moment)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _honour_umask(path: Path, full_mode: int) -> None:
    mask = _current_umask()
    path.chmod(full_mode & ~mask)
    if path.is_dir():
        for child in path.iterdir():
            child.chmod(0o666 & ~mask)


def _ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _swap_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
