"""The raw layer kept outside the build file, so that a lost or corrupt build rebuilds itself.

The build file holds the only copy of what the sources said (pages can vanish from the web), and
dbt rewrites that file every night. So after each step that writes raw tables, the rows that
changed since the last archive are appended to a folder beside it (`raw-archive/`, see
settings.archive_dir): one Parquet segment per table and step, never rewritten, and a manifest
(`manifest.json`) listing the segments with their row counts and SHA-256. A segment is written
under a temporary name and renamed, and it counts only once the manifest (itself replaced
atomically) names it: an interrupted write leaves an orphan that the next append removes, never a
half segment that a restore would read.

Updates in place: a segment row carries the segment's sequence number (`_seq`) and a hash of the
row (`_row_hash`); a row whose hash differs from the newest archived row of its key is archived
again, a key gone from the build gets a tombstone (`_deleted`), and a restore takes the newest row
of each key. The hash is DuckDB's own `hash()`: should a new DuckDB hash differently, every row is
archived once more (and the table compacted), which costs space, never a row. raw.documents is archived as two tables: its bytes and what never changes for a page
version (`documents`, written once per version), and what a re-read moves (`document_sightings`:
last_seen_at and validators), so that a quiet night archives a few ids and times, not every page.
A table whose archive holds far more superseded rows than live ones, or too many segments, is
compacted: its current state is written as one new segment, the manifest names it instead of the
older ones, and only then are those deleted.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from orchestration import raw_store, settings

MANIFEST = "manifest.json"
FORMAT = 1
COMPACT_MIN_ROWS = 10_000  # below this many superseded rows a table's archive is left as it is
COMPACT_MAX_SEGMENTS = 64  # a table read from more segments than this is compacted
ROW_GROUP_BYTES = "32MB"  # of a segment's Parquet row groups, each held in memory while written
# A segment holds at most this many rows and about this many bytes of page bodies: DuckDB writes
# 2,048 rows at a time, which for real pages of a few hundred KB is past the build's memory limit.
SEGMENT_ROWS = 20_000
SEGMENT_BYTES = 64 * 2 ** 20
# What DuckDB says of a file that is not (or no longer) a database. A lock held by another
# process is an IOException too, and must never be taken for corruption.
CORRUPT_MARKERS = ("not a valid duckdb database", "corrupt", "checksum", "invalid database")


class ArchiveError(Exception):
    """The archive cannot do what was asked; the message is one line for the user."""


@dataclass(frozen=True)
class ArchivedTable:
    source: str          # the raw table it is read from
    columns: str         # the columns archived
    key: tuple[str, ...]
    hash_exclude: tuple[str, ...] = ()  # columns determined by the key (a page's bytes by its version id)
    size: str = "0"  # the bytes a row weighs in memory beyond its plain columns, read without reading them

    def select(self, where: str = "") -> str:
        return f"select {self.columns} from raw.{self.source} {where}"


MUTABLE_DOCUMENT_COLUMNS = ("last_seen_at", "etag", "last_modified", "http_status")
DOCUMENT_KEY = ("document_id", "version_id")
TABLES: dict[str, ArchivedTable] = {
    "documents": ArchivedTable(
        "documents", f"* exclude ({', '.join(MUTABLE_DOCUMENT_COLUMNS)})", DOCUMENT_KEY, ("content",),
        size="coalesce(size_bytes, 0)"),
    "document_sightings": ArchivedTable(
        "documents", f"document_id, version_id, {', '.join(MUTABLE_DOCUMENT_COLUMNS)}", DOCUMENT_KEY),
    "index_pages": ArchivedTable("index_pages", "*", ("source_id", "url")),
    "articles": ArchivedTable("articles", "*", DOCUMENT_KEY),
    "pledge_mentions": ArchivedTable("pledge_mentions", "*", ("mention_id", "version_id")),
    "extractions": ArchivedTable("extractions", "*", DOCUMENT_KEY),
    "released_pledge_ids": ArchivedTable("released_pledge_ids", "*", ("mention_id",)),
}
# The archive tables each step writes, so that a step archives only what it may have changed.
INGEST_TABLES = ("documents", "document_sightings", "index_pages")
PARSE_TABLES = ("articles",)
EXTRACT_TABLES = ("pledge_mentions", "extractions")
PUBLISH_TABLES = ("released_pledge_ids",)


# ---------------------------------------------------------------- the manifest

def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        return {"format": FORMAT, "next_seq": 1, "segments": []}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or not isinstance(manifest.get("segments"), list):
            raise ValueError("unknown format")
        return manifest
    except (OSError, ValueError) as exc:
        raise ArchiveError(f"the raw archive's manifest {path} cannot be read ({exc})") from None


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """The rename itself reaches the disk only when the folder is synced."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save_manifest(folder: Path, manifest: dict) -> None:
    _write_atomically(folder / MANIFEST, json.dumps(manifest, indent=1).encode())


def segments_of(manifest: dict, table: str) -> list[dict]:
    return [s for s in manifest["segments"] if s["table"] == table]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def clear_orphans(folder: Path, manifest: dict) -> list[str]:
    """Remove what an interrupted append left: temporary files and segments the manifest does not
    name (written, but never counted). Returns their names."""
    listed = {s["file"] for s in manifest["segments"]}
    removed = []
    for path in sorted(folder.glob("*/*")):
        name = path.relative_to(folder).as_posix()
        if name not in listed and (path.suffix in (".parquet", ".tmp")):
            path.unlink()
            removed.append(name)
    return removed


# ---------------------------------------------------------------- appending

def _sql_list(paths: Iterable[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _latest_archived(folder: Path, manifest: dict, table: str, columns: str) -> str:
    """A select of the newest archived row of each key of a table (tombstones included)."""
    spec = TABLES[table]
    files = [folder / s["file"] for s in segments_of(manifest, table)]
    key = ", ".join(spec.key)
    return f"""select {columns} from read_parquet({_sql_list(files)}, union_by_name = true)
               qualify row_number() over (partition by {key} order by _seq desc) = 1"""


def _hashed(spec: ArchivedTable, where: str = "") -> str:
    exclude = f" exclude ({', '.join(spec.hash_exclude)})" if spec.hash_exclude else ""
    return f"select *, hash(*columns(*{exclude})) as _row_hash from ({spec.select(where)}) as t"


def _stage_changes(conn: duckdb.DuckDBPyConnection, folder: Path, manifest: dict, table: str) -> int:
    """Temporary table archive_changes: the keys and hashes of rows new or changed since the
    archive, and tombstones for keys gone from the build. Reads no page bytes."""
    spec = TABLES[table]
    key = ", ".join(spec.key)
    on = " and ".join(f"c.{k} = a.{k}" for k in spec.key)
    current = f"select {key}, _row_hash from ({_hashed(spec)})"
    if not segments_of(manifest, table):
        conn.execute(f"create or replace temp table archive_changes as select *, false as _deleted from ({current})")
    else:
        latest = _latest_archived(folder, manifest, table, f"{key}, _row_hash, _deleted")
        conn.execute(f"""create or replace temp table archive_changes as
            with c as ({current}), a as ({latest})
            select c.*, false as _deleted from c
            where not exists (select 1 from a where {on} and a._row_hash = c._row_hash and not a._deleted)
            union all
            select a.{key.replace(', ', ', a.')}, null::ubigint, true from a
            where not a._deleted and not exists (select 1 from c where {on})""")
    return conn.execute("select count(*) from archive_changes").fetchone()[0]


def _write_segment(conn: duckdb.DuckDBPyConnection, folder: Path, table: str, seq: int, select: str) -> dict:
    """Write a select as segment `seq` of a table: temporary name, synced, renamed."""
    (folder / table).mkdir(parents=True, exist_ok=True)
    name = f"{table}/{seq:08d}.parquet"
    final = folder / name
    tmp = final.with_name(final.name + ".tmp")
    # A Parquet row group is held in memory until written: DuckDB's default (122,880 rows) of page
    # bodies is past the build's memory limit from about 100,000 pages on. A bound in bytes needs
    # the rows' order free, which a segment does not need (readers order by _seq and key).
    conn.execute("set preserve_insertion_order = false")
    try:
        conn.execute(f"copy ({select}) to '{str(tmp).replace(chr(39), chr(39) * 2)}' "
                     f"(format parquet, compression zstd, row_group_size_bytes '{ROW_GROUP_BYTES}')")
    finally:
        conn.execute("reset preserve_insertion_order")
    with open(tmp, "rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(tmp, final)
    _fsync_dir(final.parent)
    rows = conn.execute(f"select count(*) from read_parquet('{str(final).replace(chr(39), chr(39) * 2)}')").fetchone()[0]
    return {"seq": seq, "table": table, "file": name, "rows": rows, "bytes": final.stat().st_size,
            "sha256": _sha256(final), "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def _changed_rows(spec: ArchivedTable, seq: int, bounds: tuple[int, int], tombstones: bool) -> str:
    """The full rows staged in archive_changes within a row-id range (and, with `tombstones`, the
    keys of the rows gone). New rows of the build are appended at its end: a row-id range keeps
    the scan off the bytes of older pages."""
    key = ", ".join(spec.key)
    return f"""
        select t.*, c._row_hash, {seq}::bigint as _seq, false as _deleted
        from ({spec.select(f"where rowid between {bounds[0]} and {bounds[1]}")}) as t
        join (select * from archive_changes where not _deleted) as c using ({key})
        union all by name
        select {key}, null::ubigint as _row_hash, {seq}::bigint as _seq, true as _deleted
        from archive_changes where _deleted and {tombstones}"""


def _slices(conn: duckdb.DuckDBPyConnection, spec: ArchivedTable, changed_only: bool) -> list[tuple[int, int]]:
    """Row-id ranges that split the rows to archive (those staged in archive_changes, or the whole
    table) into segments of at most SEGMENT_ROWS rows and about SEGMENT_BYTES (spec.size)."""
    key = ", ".join(spec.key)
    rows = f"select rowid as _rid, {spec.size} as _bytes, {key} from raw.{spec.source}"
    if changed_only:
        rows = f"""select t.* from ({rows}) as t
                   semi join (select {key} from archive_changes where not _deleted) as c using ({key})"""
    return conn.execute(f"""
        select min(_rid), max(_rid) from (
            select _rid, greatest((row_number() over w - 1) // {SEGMENT_ROWS},
                                  (sum(_bytes) over w - _bytes) // {SEGMENT_BYTES}) as _slice
            from ({rows}) window w as (order by _rid rows between unbounded preceding and current row))
        group by _slice order by 1""").fetchall()


def append(conn: duckdb.DuckDBPyConnection, folder: Path, tables: Iterable[str] = tuple(TABLES),
           *, compact_min_rows: int = COMPACT_MIN_ROWS, compact_max_segments: int = COMPACT_MAX_SEGMENTS,
           warn: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Append to the archive the rows of these tables new or changed since it was last written
    (tombstones for rows gone); returns the rows archived per table, unchanged tables left out."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _manifest_or_afresh(folder, warn)
    clear_orphans(folder, manifest)
    archived = {}
    for table in tables:
        spec = TABLES[table]
        changed = _stage_changes(conn, folder, manifest, table)
        if changed:
            # a night's rows in one or more segments; killed between two, the next night archives
            # what the manifest does not count yet
            for n, bounds in enumerate(_slices(conn, spec, changed_only=True) or [(0, -1)]):
                seq = manifest["next_seq"]
                manifest["segments"].append(_write_segment(conn, folder, table, seq,
                                                           _changed_rows(spec, seq, bounds, tombstones=n == 0)))
                manifest["next_seq"] = seq + 1
                _save_manifest(folder, manifest)  # from here on the segment counts
            archived[table] = changed
            _compact_if_due(conn, folder, manifest, table, compact_min_rows, compact_max_segments)
        conn.execute("drop table archive_changes")
    return archived


def _manifest_or_afresh(folder: Path, warn: Callable[[str], None]) -> dict:
    """The manifest; one that cannot be read is set aside and the archive starts again from the
    build file, which is whole (else it would have been restored), so that a damaged archive does
    not fail every night. New segments are numbered after every file there."""
    try:
        return read_manifest(folder)
    except ArchiveError as exc:
        aside = set_aside(folder / MANIFEST, datetime.now(timezone.utc))
        numbers = [int(p.name.split(".")[0]) for p in folder.glob("*/*.parquet*") if p.name.split(".")[0].isdigit()]
        warn(f"{exc}: kept as {aside[0].name}; the archive starts again from the build file")
        return {"format": FORMAT, "next_seq": max(numbers, default=0) + 1, "segments": []}


def _compact_if_due(conn, folder: Path, manifest: dict, table: str, min_rows: int, max_segments: int) -> None:
    segments = segments_of(manifest, table)
    live = conn.execute(f"select count(*) from raw.{TABLES[table].source}").fetchone()[0]
    superseded = sum(s["rows"] for s in segments) - live
    if superseded < max(min_rows, live) and len(segments) <= max_segments:
        return
    spec = TABLES[table]
    slices = _slices(conn, spec, changed_only=False) or [(0, -1)]  # an emptied table: one empty segment
    if superseded < max(min_rows, live) and len(segments) <= max_segments + len(slices):
        return  # a large table takes several segments whatever: compacting would give as many
    base = []
    for bounds in slices:
        seq = manifest["next_seq"] + len(base)
        base.append(_write_segment(conn, folder, table, seq, f"""
            select *, {seq}::bigint as _seq, false as _deleted
            from ({_hashed(spec, f"where rowid between {bounds[0]} and {bounds[1]}")})"""))
    manifest["segments"] = [s for s in manifest["segments"] if s["table"] != table] + base
    manifest["next_seq"] += len(base)
    _save_manifest(folder, manifest)  # the base segments replace the older ones, then they go
    for old in segments:
        (folder / old["file"]).unlink(missing_ok=True)


# ---------------------------------------------------------------- restoring

def has_segments(folder: Path) -> bool:
    return (folder / MANIFEST).exists() and bool(read_manifest(folder)["segments"])


def verify(folder: Path, manifest: dict) -> None:
    """Every segment the manifest names is there with its checksum, or the restore stops."""
    for segment in manifest["segments"]:
        path = folder / segment["file"]
        if not path.exists():
            raise ArchiveError(f"the raw archive misses {path}, which its manifest lists")
        if _sha256(path) != segment["sha256"]:
            raise ArchiveError(f"the raw archive's segment {path} does not match its checksum")


def restore(build: Path, folder: Path) -> dict[str, int]:
    """Write a build file holding the raw tables as the archive last saw them, in place of
    `build` (which must not exist); returns the rows of each raw table. Written under a temporary
    name and renamed, so an interrupted restore leaves no half build."""
    manifest = read_manifest(folder)
    verify(folder, manifest)
    tmp = build.with_name(build.name + ".restoring")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with duckdb.connect(str(tmp), config=settings.DUCKDB_CONFIG) as conn:
        raw_store.ensure_raw_schema(conn)
        live = "select * exclude (_row_hash, _seq, _deleted) from ({latest}) where not _deleted"
        for table in ("index_pages", "articles", "pledge_mentions", "extractions", "released_pledge_ids"):
            if segments_of(manifest, table):
                latest = _latest_archived(folder, manifest, table, "*")
                conn.execute(f"insert into raw.{table} by name " + live.format(latest=latest))
        if segments_of(manifest, "documents"):
            pages = live.format(latest=_latest_archived(folder, manifest, "documents", "*"))
            seen = live.format(latest=_latest_archived(folder, manifest, "document_sightings", "*"))
            conn.execute(f"insert into raw.documents by name select p.*, {', '.join(f's.{c}' for c in MUTABLE_DOCUMENT_COLUMNS)} "
                         f"from ({pages}) as p join ({seen}) as s using ({', '.join(DOCUMENT_KEY)})")
        rows = {t: conn.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("documents", "articles", "pledge_mentions", "extractions", "index_pages",
                          "released_pledge_ids")}
        conn.execute("checkpoint")
    os.replace(tmp, build)
    _fsync_dir(build.parent)
    return rows


def is_corrupt(exc: BaseException) -> bool:
    """Whether DuckDB refused a file for what it holds (not for a lock or a permission)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(marker in text for marker in CORRUPT_MARKERS) \
        and "lock" not in text


def set_aside(path: Path, now: datetime) -> list[Path]:
    """Move a file that cannot be read (and a database's write-ahead log) out of the way, kept
    for a look."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    moved = []
    for part in (path, path.with_name(path.name + ".wal")):
        if part.exists():
            aside = part.with_name(f"{part.name}.corrupt-{stamp}")
            os.replace(part, aside)
            moved.append(aside)
    return moved


def connect_or_restore(build: Path, folder: Path, config: dict, warn: Callable[[str], None],
                       on_restore: Callable[[], None] = lambda: None) -> duckdb.DuckDBPyConnection:
    """A connection to the build file, rebuilt from the archive first when the file is missing
    (with an archive present) or is not a DuckDB database DuckDB can open. `on_restore` runs after
    a restore (the build's marts are gone: dbt must build again)."""
    now = datetime.now(timezone.utc)
    if not build.exists() and has_segments(folder):
        stray = set_aside(build, now)  # a write-ahead log without its database would be replayed into the new one
        rows = restore(build, folder)
        on_restore()
        warn(f"the build file {build} was missing: its raw tables are restored from {folder} ({_rows(rows)})"
             + (f"; {', '.join(p.name for p in stray)} set aside" if stray else ""))
        return duckdb.connect(str(build), config=config)
    try:
        return duckdb.connect(str(build), config=config)
    except duckdb.Error as exc:
        if not is_corrupt(exc):
            raise
        if not has_segments(folder):
            raise ArchiveError(f"the build file {build} cannot be opened ({str(exc).splitlines()[0]}) and there is "
                               f"no raw archive in {folder} to rebuild it from") from None
        moved = set_aside(build, now)
        rows = restore(build, folder)
        on_restore()
        warn(f"the build file {build} could not be opened ({str(exc).splitlines()[0]}): it is kept as "
             f"{moved[0].name} and its raw tables are restored from {folder} ({_rows(rows)})")
        return duckdb.connect(str(build), config=config)


def _rows(rows: dict[str, int]) -> str:
    return ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in rows.items())
