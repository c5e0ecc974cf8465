"""Publication: a release is one folder (the marts-only DuckDB file, its downloads and its report)
written aside, then switched in by renaming one link, so that the file, the exports and the report
an analyst opens always belong to the same night.

    warehouse/releases/20261202T020512Z/{pledges.duckdb, exports/, report/}
    warehouse/current         -> releases/20261202T020512Z    (the one link that moves)
    warehouse/pledges.duckdb  -> current/pledges.duckdb       (fixed links, made once)
    warehouse/exports         -> current/exports
    warehouse/report          -> current/report

An analyst holding an older release open keeps reading it: the last few releases are kept, and a
pruned one stays readable through handles already open. A failure before the switch leaves the
published release as it was."""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.downloads import WORKBOOK_NAME, workbook_written_aside, write_csvs
from orchestration.release_contents import MART_TABLES, RELEASE_TABLES, write_release_database
from orchestration.report import ReportSummary, write_report

KEEP_RELEASES = 3  # the current one and the two before it, for analysts with one still open

HEADLINE_QUERIES = {
    "pledges": "select count(*) from main.fct_pledges",
    "donors": "select count(distinct donor_code) from main.fct_pledges",
    "reported_totals": "select count(*) from main.fct_reported_totals",
    "source_documents": "select count(distinct url) from main.fct_pledge_evidence",
}

__all__ = ["MART_TABLES", "RELEASE_TABLES", "Publication", "ReleaseLayout", "publish_warehouse", "clear_leftovers"]


@dataclass(frozen=True)
class ReleaseLayout:
    """Where a published warehouse's releases and links are, from the published file's path."""

    published: Path

    @property
    def root(self) -> Path:
        return self.published.parent

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def report(self) -> Path:
        return self.root / "report"

    def links(self) -> dict[Path, str]:
        """The fixed links into the current release, and what each points to (relative, so that the
        folder can be moved or mounted elsewhere whole)."""
        return {self.published: f"current/{self.published.name}", self.exports: "current/exports",
                self.report: "current/report"}

    def current_release(self) -> Path | None:
        return self.current.resolve() if self.current.is_symlink() else None


@dataclass(frozen=True)
class Publication:
    path: Path
    release_id: str
    release_dir: Path
    size_bytes: int
    exports_dir: Path
    report_dir: Path
    row_counts: dict[str, int]
    headline: dict[str, int]
    changes: dict[str, int]
    previous_release_id: str | None
    downloads: tuple[str, ...] = ()
    report: ReportSummary | None = None
    previous_error: str | None = None
    cleared: tuple[str, ...] = ()  # what a killed earlier publication had left behind
    pruned: tuple[str, ...] = field(default=())  # releases older than the ones kept


def publish_warehouse(build: Path, published: Path) -> Publication:
    """Write a new release from the tested build file and make it the published one; its exports
    and report are published beside it (ReleaseLayout)."""
    if not build.exists():
        raise FileNotFoundError(f"no build file to publish: {build}")
    layout = ReleaseLayout(published)
    cleared = clear_leftovers(layout)
    release_id = _new_release_id(layout)
    incoming = layout.releases / f".incoming-{release_id}"
    incoming.mkdir(parents=True)
    try:
        database = incoming / published.name
        previous = published if published.exists() else None
        contents = write_release_database(build, database, release_id, previous)
        exports, tables = incoming / "exports", (*MART_TABLES, *RELEASE_TABLES)
        exports.mkdir()
        # the workbook takes most of the time: another process writes it meanwhile
        with workbook_written_aside(database, exports / WORKBOOK_NAME, tables):
            with duckdb.connect(str(database), read_only=True, config=settings.DUCKDB_CONFIG) as conn:
                headline = {name: conn.execute(sql).fetchone()[0] for name, sql in HEADLINE_QUERIES.items()}
                _write_exports(conn, exports, tables)
            report = write_report(database, incoming / "report")
        downloads = tuple(sorted(p.name for p in exports.iterdir()))
        final = layout.releases / release_id
        os.replace(incoming, final)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    _switch_to(layout, final)
    pruned = _prune(layout)
    return Publication(published, release_id, final, (final / published.name).stat().st_size, layout.exports,
                       layout.report, contents.row_counts, headline, contents.changes, contents.previous_release_id,
                       downloads, report, contents.previous_error, cleared, pruned)


def _write_exports(conn: duckdb.DuckDBPyConnection, folder: Path, tables: tuple[str, ...]) -> None:
    """Parquet for tools, CSV for spreadsheets (the workbook is written aside)."""
    for table in tables:
        # The path as a parameter: a folder such as "o'brien data/" must not end the SQL string.
        # Sorted on every column: the same warehouse gives the same bytes, night after night.
        conn.execute(f"copy (select * from main.{table} order by all) to $path (format parquet)",
                     {"path": str(folder / (table + ".parquet"))})
    write_csvs(conn, folder, tables)


def _new_release_id(layout: ReleaseLayout) -> str:
    """The build time in UTC, readable and sorting in time order; a second publication within the
    same second (tests, a forced rebuild) gets a suffix."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    release_id, n = stamp, 1
    while (layout.releases / release_id).exists() or (layout.releases / f".incoming-{release_id}").exists():
        n += 1
        release_id = f"{stamp}-{n}"
    return release_id


def _switch_to(layout: ReleaseLayout, release: Path) -> None:
    """One rename makes `release` current; the fixed links are made the first time (or put back
    when something replaced them)."""
    _replace_with_link(layout.current, os.path.relpath(release, layout.root))
    for link, target in layout.links().items():
        if not (link.is_symlink() and os.readlink(link) == target):
            _replace_with_link(link, target)


def _replace_with_link(path: Path, target: str) -> None:
    """Point `path` at `target` by renaming a new link over it (atomic for a file or a link). A real
    folder in the way (the exports of a warehouse published before releases existed) is moved aside
    first: a rename cannot put a link over a folder."""
    temporary = path.with_name(f".{path.name}.link-{uuid.uuid4().hex[:8]}")
    os.symlink(target, temporary)
    aside = None
    if path.is_dir() and not path.is_symlink():
        aside = path.with_name(f".{path.name}.old")
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(path, aside)
    os.replace(temporary, path)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _prune(layout: ReleaseLayout) -> tuple[str, ...]:
    current = layout.current_release()
    releases = sorted((p for p in layout.releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: p.name, reverse=True)
    pruned = []
    for release in releases[KEEP_RELEASES:]:
        if current is not None and release.resolve() == current:
            continue
        shutil.rmtree(release, ignore_errors=True)
        pruned.append(release.name)
    return tuple(sorted(pruned))


def clear_leftovers(layout: ReleaseLayout) -> tuple[str, ...]:
    """Remove what a publication killed midway left: a half-written release folder, a link not yet
    renamed, a folder moved aside. Only one run publishes at a time (the writers' pool), so whatever
    is there now is a dead run's."""
    names = (layout.published.name, layout.exports.name, layout.report.name, layout.current.name)
    leftovers = [*layout.releases.glob(".incoming-*")] if layout.releases.is_dir() else []
    for name in names:
        leftovers += [*layout.root.glob(f".{name}.link-*"), layout.root / f".{name}.old"]
    # what the publication before releases existed left: a temporary copy and exports folder
    leftovers += [*layout.root.glob(f".{layout.published.name}.*"), *layout.root.glob(f".{layout.published.stem}-exports-*")]
    cleared = []
    for path in leftovers:
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            continue
        cleared.append(path.name)
    return tuple(sorted(set(cleared)))

