"""The raw archive (orchestration/raw_archive.py): a build file deleted or turned to garbage
rebuilds itself from it with nothing lost, through the nightly job as a user runs it; and its
manifest never counts a half-written segment."""
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import raw_archive, raw_store, settings
from tests.conftest import SAMPLE, build_file, query

RAW_TABLES = ("documents", "articles", "pledge_mentions", "extractions", "index_pages", "released_pledge_ids")


def raw_rows(build: Path, moved_by_a_night: bool = False) -> dict[str, list]:
    """Every raw table in full, sorted. With moved_by_a_night, less what re-reading the same
    pages moves: when each page was last seen."""
    rows = {}
    for table in RAW_TABLES:
        columns = "* exclude (last_seen_at)" if moved_by_a_night and table == "documents" else "*"
        rows[table] = query(build, f"select {columns} from raw.{table} order by all")
    return rows


def nightly(folder: Path, published: Path) -> dict[str, dict]:
    """The nightly job on a folder; metadata by asset."""
    from orchestration.cli import run_nightly_job

    settings.use_warehouse(published)
    result = run_nightly_job(source_dirs=[str(folder)])
    assert result.success
    return {"/".join(m.materialization.asset_key.path): {k: getattr(v, "value", v)
                                                        for k, v in m.materialization.metadata.items()}
            for m in result.get_asset_materialization_events()}


@pytest.fixture
def three_pages(tmp_path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("01_dod_400m_pda_may2024.html", "07_uk_500m_gbp_package_apr2024.html",
                 "10_canada_nasams_cad406m.html"):
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def test_a_deleted_then_a_garbage_build_file_is_rebuilt_from_the_archive_with_every_page_held_before(
        three_pages, tmp_path):
    published = tmp_path / "w" / "pledges.duckdb"
    nightly(three_pages, published)
    build = build_file(published)
    before, before_less_seen = raw_rows(build), raw_rows(build, moved_by_a_night=True)
    assert len(before["documents"]) == 3 and before["pledge_mentions"]
    # a page gone from its source between nights: the build file was its only copy
    gone = three_pages / "10_canada_nasams_cad406m.html"
    gone_bytes = gone.read_bytes()
    gone.unlink()
    build.unlink()

    second = nightly(three_pages, published)
    assert second["raw/documents"]["new"] == 0 and second["raw/documents"]["unchanged"] == 2
    assert second["raw/articles"]["parsed"] == 0 and second["raw/pledge_mentions"]["pages_extracted"] == 0
    assert raw_rows(build, moved_by_a_night=True) == before_less_seen
    [(content,)] = query(build, "select content from raw.documents where url like '%10_canada_nasams%'")
    assert content == gone_bytes
    # the marts are back in the build, and the release was published from them again
    assert query(build, "select count(*) from fct_pledges")[0][0] > 0
    assert second["published_warehouse"]["republished"] is True
    assert query(published, "select count(*) from fct_pledges") == query(build, "select count(*) from fct_pledges")

    # the next night, the build file is garbage: kept aside as it is, and rebuilt the same way
    before = raw_rows(build, moved_by_a_night=True)
    garbage = b"\x00garbage, not a database\xff" * 400
    build.write_bytes(garbage)
    third = nightly(three_pages, published)
    assert third["raw/documents"]["new"] == 0 and third["raw/documents"]["unchanged"] == 2
    assert raw_rows(build, moved_by_a_night=True) == before
    [aside] = build.parent.glob(f"{build.name}.corrupt-*")
    assert aside.read_bytes() == garbage
    assert query(build, "select count(*) from fct_pledges")[0][0] > 0


@pytest.fixture
def build_with_pages(tmp_path):
    conn = duckdb.connect(str(tmp_path / "b.duckdb"))
    raw_store.ensure_raw_schema(conn)
    conn.execute("""insert into raw.documents (document_id, version_id, source_id, source_kind, url, fetched_at,
                        last_seen_at, fetch_status, content)
                    select 'd' || i, 'v1', 's', 'folder', 'https://x/' || i, timestamp '2026-01-01',
                           timestamp '2026-01-01', 'ok', ('page ' || i)::blob from range(5) t(i)""")
    yield conn
    conn.close()


def test_the_manifest_counts_only_whole_segments_and_a_restore_takes_the_newest_rows(build_with_pages, tmp_path,
                                                                                    monkeypatch):
    conn, folder = build_with_pages, tmp_path / "raw-archive"
    assert raw_archive.append(conn, folder) == {"documents": 5, "document_sightings": 5}
    assert raw_archive.append(conn, folder) == {}  # nothing changed, nothing written
    manifest = raw_archive.read_manifest(folder)
    assert [(s["table"], s["rows"]) for s in manifest["segments"]] == [("documents", 5), ("document_sightings", 5)]

    # killed between the segment and the manifest: the segment is an orphan, never counted
    conn.execute("update raw.documents set last_seen_at = timestamp '2026-01-02' where document_id = 'd1'")
    conn.execute("delete from raw.documents where document_id = 'd4'")
    monkeypatch.setattr(raw_archive, "_save_manifest", lambda *a: (_ for _ in ()).throw(OSError("killed")))
    with pytest.raises(OSError):
        raw_archive.append(conn, folder)
    monkeypatch.undo()
    assert raw_archive.read_manifest(folder) == manifest
    orphans = {p.relative_to(folder).as_posix() for p in folder.glob("*/*.parquet")} - {
        s["file"] for s in manifest["segments"]}
    assert orphans
    (folder / "documents" / "00000099.parquet.tmp").write_bytes(b"half a segm")
    restored = tmp_path / "restored.duckdb"
    assert raw_archive.restore(restored, folder)["documents"] == 5  # as at the last whole append
    assert query(restored, "select last_seen_at::varchar from raw.documents where document_id = 'd1'") == [
        ("2026-01-01 00:00:00",)]

    # the next append clears the leftovers and archives the change again, tombstone included
    assert raw_archive.append(conn, folder) == {"documents": 1, "document_sightings": 2}
    assert not list(folder.glob("*/*.tmp"))
    assert {p.relative_to(folder).as_posix() for p in folder.glob("*/*.parquet")} == {
        s["file"] for s in raw_archive.read_manifest(folder)["segments"]}
    restored.unlink()
    raw_archive.restore(restored, folder)
    everything = "select * from raw.documents order by document_id"
    assert query(restored, everything) == conn.execute(everything).fetchall()

    # a segment whose bytes changed is refused by name, and nothing is restored from it
    segment = folder / raw_archive.read_manifest(folder)["segments"][0]["file"]
    segment.write_bytes(segment.read_bytes()[:-8] + b"xxxxxxxx")
    with pytest.raises(raw_archive.ArchiveError, match="does not match its checksum"):
        raw_archive.restore(tmp_path / "again.duckdb", folder)
    assert not (tmp_path / "again.duckdb").exists()


def test_pages_whose_bodies_outsize_the_memory_limit_are_archived_and_restored(tmp_path, monkeypatch):
    """At 100,000 pages the documents of one night were 500 MB, past the build's 512 MB limit: one
    Parquet row group of them did not fit. Scaled down here: 260 MB of bodies under 128 MB."""
    with duckdb.connect(str(tmp_path / "b.duckdb")) as conn:
        raw_store.ensure_raw_schema(conn)
        conn.execute("""insert into raw.documents (document_id, version_id, source_id, source_kind, url, fetched_at,
                            last_seen_at, fetch_status, content, size_bytes)
                        select 'd' || i, 'v1', 's', 'folder', 'https://x/' || i, timestamp '2026-01-01',
                               timestamp '2026-01-01', 'ok', (repeat(md5(i::varchar), 1600) || i)::blob,
                               51200 + length(i::varchar)
                        from range(5000) t(i)""")
    conn = duckdb.connect(str(tmp_path / "b.duckdb"), config={"memory_limit": "128MB"})
    monkeypatch.setattr(raw_archive, "ROW_GROUP_BYTES", "4MB")
    monkeypatch.setattr(raw_archive, "SEGMENT_BYTES", 16 * 2 ** 20)
    folder = tmp_path / "raw-archive"
    tables = ("documents", "document_sightings")
    assert raw_archive.append(conn, folder, tables) == {"documents": 5000, "document_sightings": 5000}
    segments = raw_archive.segments_of(raw_archive.read_manifest(folder), "documents")
    assert len(segments) > 10 and sum(s["rows"] for s in segments) == 5000
    # compacted, the table is again in segments of a bounded size, and the old ones are gone
    conn.execute("update raw.documents set source_id = 't' where document_id = 'd7'")
    assert raw_archive.append(conn, folder, tables, compact_min_rows=0, compact_max_segments=0) == {"documents": 1}
    compacted = raw_archive.segments_of(raw_archive.read_manifest(folder), "documents")
    assert len(compacted) > 10 and sum(s["rows"] for s in compacted) == 5000
    assert {s["file"] for s in compacted}.isdisjoint(s["file"] for s in segments)
    assert sorted(p.name for p in (folder / "documents").iterdir()) == sorted(Path(s["file"]).name for s in compacted)
    conn.close()
    restored = tmp_path / "restored.duckdb"
    assert raw_archive.restore(restored, folder)["documents"] == 5000
    digest = "select count(*), sum(hash(document_id, content)) from raw.documents"
    assert query(restored, digest) == query(tmp_path / "b.duckdb", digest)


def test_compaction_replaces_a_tables_segments_with_its_current_state(build_with_pages, tmp_path):
    conn, folder = build_with_pages, tmp_path / "raw-archive"
    for day in range(2, 6):  # every night moves when each page was last seen
        conn.execute(f"update raw.documents set last_seen_at = timestamp '2026-01-0{day}'")
        raw_archive.append(conn, folder, compact_min_rows=0, compact_max_segments=3)
    sightings = raw_archive.segments_of(raw_archive.read_manifest(folder), "document_sightings")
    assert len(sightings) == 1 and sightings[0]["rows"] == 5
    assert len(list((folder / "document_sightings").glob("*.parquet"))) == 1
    raw_archive.restore(tmp_path / "restored.duckdb", folder)
    everything = "select * from raw.documents order by document_id"
    assert query(tmp_path / "restored.duckdb", everything) == conn.execute(everything).fetchall()
    assert json.loads((folder / "manifest.json").read_text())["next_seq"] > 5


def test_an_unreadable_manifest_is_kept_aside_and_the_archive_starts_again(build_with_pages, tmp_path):
    conn, folder = build_with_pages, tmp_path / "raw-archive"
    raw_archive.append(conn, folder)
    (folder / "manifest.json").write_text("{ half a manif")
    warnings = []
    assert raw_archive.append(conn, folder, warn=warnings.append) == {"documents": 5, "document_sightings": 5}
    assert "cannot be read" in warnings[0] and len(list(folder.glob("manifest.json.corrupt-*"))) == 1
    raw_archive.restore(tmp_path / "restored.duckdb", folder)
    everything = "select * from raw.documents order by document_id"
    assert query(tmp_path / "restored.duckdb", everything) == conn.execute(everything).fetchall()


def test_only_a_file_duckdb_refuses_for_its_contents_counts_as_corrupt(tmp_path):
    garbage = tmp_path / "g.duckdb"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(duckdb.Error) as refused:
        duckdb.connect(str(garbage))
    assert raw_archive.is_corrupt(refused.value)
    # another process holding the file is not damage: that file must never be set aside
    assert not raw_archive.is_corrupt(duckdb.IOException(
        'IO Error: Could not set lock on file "b.duckdb": Conflicting lock is held in python (PID 7)'))
    assert not raw_archive.is_corrupt(duckdb.IOException('IO Error: Cannot open file "b.duckdb": Permission denied'))


def test_a_corrupt_build_without_an_archive_stops_with_one_line_and_stays(tmp_path):
    build = tmp_path / "build" / "pledges.duckdb"
    build.parent.mkdir()
    build.write_bytes(b"garbage" * 100)
    with pytest.raises(raw_archive.ArchiveError) as stopped:
        raw_archive.connect_or_restore(build, tmp_path / "raw-archive", {}, warn=print)
    assert "cannot be opened" in str(stopped.value) and "no raw archive" in str(stopped.value)
    assert "\n" not in str(stopped.value) and build.read_bytes() == b"garbage" * 100
