"""Incremental refresh through the real raw assets (Dagster materializations into a DuckDB file):
a page version is parsed and extracted once per parser and extractor version, a new extractor
version re-extracts as a backfill, both cores give the same rows as one, and the batched writers
keep every outcome of the page-by-page ones."""
import shutil
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import bulk_load, page_work, parallel, raw_store, settings
from orchestration.defs import extraction, ingest
from orchestration.defs.resources import WarehouseResource
from scrapers.models import FetchedDocument
from tests.conftest import SAMPLE, query

RAW_ASSETS = [ingest.raw_documents, ingest.raw_articles, extraction.raw_pledge_mentions]
# Everything but the time a row was written.
MENTIONS = "select * exclude (extracted_at) from raw.pledge_mentions order by mention_id"
ARTICLES = "select * exclude (parsed_at) from raw.articles order by document_id, version_id"


def materialize_raw(folder: Path, published: Path) -> dict[str, dict]:
    """The three raw assets as the nightly job runs them on a folder; metadata by asset."""
    settings.use_warehouse(published)
    result = dg.materialize(
        RAW_ASSETS, partition_key=ingest.ADHOC_PARTITION,
        resources={"warehouse": WarehouseResource(published_path=str(published))},
        run_config={"ops": {"raw__documents": {"config": {"source_dirs": [str(folder)]}}}})
    assert result.success
    return {"/".join(m.asset_key.path): {k: getattr(v, "value", v) for k, v in m.metadata.items()}
            for m in result.get_asset_materialization_events() for m in [m.materialization]}


@pytest.fixture
def pages(tmp_path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted(SAMPLE.glob("*.html"))[:4]:
        shutil.copy(page, folder / page.name)
    return folder


def test_an_unchanged_night_parses_and_extracts_nothing_and_a_new_page_alone_is_read(pages, tmp_path):
    published = tmp_path / "w" / "pledges.duckdb"
    first = materialize_raw(pages, published)
    build = settings.build_path()
    assert first["raw/articles"]["parsed"] == 4
    assert first["raw/pledge_mentions"]["pages_new"] == 4 and first["raw/pledge_mentions"]["mentions"] > 0
    mentions = query(build, MENTIONS)
    written_first = query(build, "select * from raw.pledge_mentions order by mention_id")

    again = materialize_raw(pages, published)
    assert again["raw/documents"]["unchanged"] == 4
    assert again["raw/articles"]["parsed"] == 0
    assert again["raw/pledge_mentions"]["pages_extracted"] == 0
    assert query(build, MENTIONS) == mentions

    extra = sorted(SAMPLE.glob("*.html"))[4]
    shutil.copy(extra, pages / extra.name)
    third = materialize_raw(pages, published)
    assert third["raw/articles"]["parsed"] == 1
    assert third["raw/pledge_mentions"]["pages_new"] == 1 and third["raw/pledge_mentions"]["pages_extracted"] == 1
    assert third["raw/pledge_mentions"]["mentions_written"] > 0
    assert third["raw/pledge_mentions"]["pages_backfilled"] == 0
    urls = {url for (url,) in query(build, "select distinct url from raw.pledge_mentions")}
    assert any(url.endswith(extra.name) for url in urls)
    # the four pages read before were not touched: the same rows, written by the first run
    assert query(build, "select * from raw.pledge_mentions where url not like ? order by mention_id",
                 [f"%{extra.name}"]) == written_first


def test_a_new_extractor_version_re_extracts_every_page_as_a_backfill(pages, tmp_path, monkeypatch):
    published = tmp_path / "w" / "pledges.duckdb"
    materialize_raw(pages, published)
    build = settings.build_path()
    before = query(build, "select * exclude (extracted_at, extractor_version) from raw.pledge_mentions "
                          "order by mention_id")

    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "rules-next")
    monkeypatch.setattr(page_work, "EXTRACTOR_VERSION", "rules-next")
    meta = materialize_raw(pages, published)["raw/pledge_mentions"]
    assert meta["pages_backfilled"] == 4 and meta["pages_new"] == 0
    assert "rules-next" in meta["extractor_versions_in_use"]
    # the old version's records are replaced, not added to
    assert query(build, "select distinct extractor_version from raw.pledge_mentions") == [("rules-next",)]
    assert query(build, "select distinct extractor_version from raw.extractions") == [("rules-next",)]
    assert query(build, "select * exclude (extracted_at, extractor_version) from raw.pledge_mentions "
                        "order by mention_id") == before


def test_a_page_the_extractor_fails_on_is_kept_shown_and_tried_again(pages, tmp_path, monkeypatch):
    from scrapers.parsing.parse import parse_document

    published = tmp_path / "w" / "pledges.duckdb"
    real = page_work.extract_records
    first = sorted(pages.iterdir())[0]
    broken_title = parse_document(first.read_bytes(), "text/html", first.as_uri()).title

    def fails_on_one_page(article):
        if article.title == broken_title:
            raise RuntimeError("a bug met on one page")
        return real(article)

    monkeypatch.setattr(page_work, "extract_records", fails_on_one_page)
    meta = materialize_raw(pages, published)["raw/pledge_mentions"]
    assert meta["pages_failed"] == 1 and "a bug met on one page" in meta["pages_failed_list"]
    assert meta["pages_extracted"] == 4 and meta["mentions"] > 0  # the other pages went on
    build = settings.build_path()
    assert query(build, "select count(*) from raw.extractions where error is not null") == [(1,)]

    monkeypatch.setattr(page_work, "extract_records", real)
    meta = materialize_raw(pages, published)["raw/pledge_mentions"]
    assert meta["pages_retried"] == 1 and meta["pages_extracted"] == 1 and meta["pages_failed"] == 0
    assert query(build, "select count(*) from raw.extractions where error is not null") == [(0,)]


def test_two_processes_give_the_same_rows_as_one(tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.md", "*.json"))
    one = tmp_path / "one" / "pledges.duckdb"
    monkeypatch.setenv("PLEDGES_WORKERS", "1")
    serial = materialize_raw(folder, one)
    assert serial["raw/pledge_mentions"]["processes"] == 1
    one_build = settings.build_path()

    two = tmp_path / "two" / "pledges.duckdb"
    monkeypatch.setenv("PLEDGES_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_PAGES_FOR_POOL", 1)
    monkeypatch.setattr(ingest, "PARSE_BATCH_PAGES", 3)  # several batches in flight at once
    monkeypatch.setattr(extraction, "EXTRACT_BATCH_PAGES", 3)
    monkeypatch.setattr(ingest, "WRITE_BATCH_PAGES", 5)  # written in batches joined from uneven ones
    monkeypatch.setattr(extraction, "WRITE_BATCH_PAGES", 5)
    pooled = materialize_raw(folder, two)
    assert pooled["raw/articles"]["processes"] == 2 and pooled["raw/pledge_mentions"]["processes"] == 2
    two_build = settings.build_path()

    assert query(one_build, MENTIONS) and query(one_build, MENTIONS) == query(two_build, MENTIONS)
    assert query(one_build, ARTICLES) == query(two_build, ARTICLES)


def test_worker_batches_are_joined_into_write_batches_in_order():
    batches = [[1, 2, 3], [4], [5, 6, 7, 8], [9]]
    assert list(parallel.gathered(batches, 4)) == [[1, 2, 3, 4], [5, 6, 7, 8], [9]]
    assert list(parallel.gathered(batches, 100)) == [list(range(1, 10))]
    assert list(parallel.gathered([], 4)) == []


def test_a_bad_worker_count_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("PLEDGES_WORKERS", "two")
    with pytest.raises(ValueError, match="PLEDGES_WORKERS"):
        settings.worker_count()


def test_batched_document_writes_give_each_page_its_outcome(tmp_path):
    conn = duckdb.connect(str(tmp_path / "pages.duckdb"))
    raw_store.ensure_raw_schema(conn)
    at = datetime(2026, 5, 1, 2, 0)

    def doc(url, body, status="ok", error=None):
        return FetchedDocument(source_id="s", source_kind="folder", url=url, fetched_at=at, fetch_status=status,
                               content=body, content_type="text/html", error=error)

    writer = raw_store.DocumentWriter(conn, batch_pages=2)
    outcomes = writer.add(doc("file:///a", b"<p>one</p>")) + writer.add(doc("file:///b", b"<p>two</p>"))
    outcomes += writer.add(doc("file:///a", b"<p>one</p>"))  # the same page again in the next batch
    outcomes += writer.add(doc("file:///a", b"<p>one, revised</p>"))  # a new version in the same batch
    outcomes += writer.add(doc("file:///c", b"", status="failed", error="too large"))
    outcomes += writer.flush()
    assert [(d.url, o) for d, o in outcomes] == [
        ("file:///a", "new"), ("file:///b", "new"), ("file:///a", "unchanged"), ("file:///a", "changed"),
        ("file:///c", "failed")]
    rows = conn.execute("select url, fetch_status, content, size_bytes from raw.documents order by url, size_bytes"
                        ).fetchall()
    assert rows == [("file:///a", "ok", b"<p>one</p>", 10), ("file:///a", "ok", b"<p>one, revised</p>", 19),
                    ("file:///b", "ok", b"<p>two</p>", 10), ("file:///c", "failed", None, 0)]


def test_bulk_load_keeps_types_nulls_and_bytes_and_refuses_an_unknown_column(tmp_path):
    conn = duckdb.connect()
    conn.execute('create table t (name varchar, n bigint, x double, d date, "at" timestamp, ok boolean, body blob)')
    rows = [{"name": "Gepard \"flak\" — 'tank'\n", "n": 2**40, "x": 0.1, "d": datetime(2024, 5, 1).date(),
             "at": datetime(2024, 5, 1, 12, 30, 15, 250), "ok": True, "body": b"\x00\xff\xfe"},
            {"name": None}]
    assert bulk_load.load(conn, "t", rows) == 2
    assert conn.execute("select * from t order by name nulls last").fetchall() == [
        ("Gepard \"flak\" — 'tank'\n", 2**40, 0.1, datetime(2024, 5, 1).date(), datetime(2024, 5, 1, 12, 30, 15, 250),
         True, b"\x00\xff\xfe"),
        (None, None, None, None, None, None, None)]
    with pytest.raises(ValueError, match="no column colour"):
        bulk_load.load(conn, "t", [{"name": "x", "colour": "red"}])
    assert bulk_load.load(conn, "t", []) == 0


def test_a_batch_whose_row_ids_moved_is_read_by_its_keys(tmp_path):
    """Queues are read by ranges of row ids; a checkpoint that compacts deleted rows can move
    them, and the batch must still come back whole."""
    conn = duckdb.connect(str(tmp_path / "pages.duckdb"))
    raw_store.ensure_raw_schema(conn)
    at = datetime(2026, 5, 1, 2, 0)
    writer = raw_store.DocumentWriter(conn)
    for n in range(6):
        writer.add(FetchedDocument(source_id="s", source_kind="folder", url=f"file:///p{n}", fetched_at=at,
                                   fetch_status="ok", content=f"<p>page {n}</p>".encode(), content_type="text/html"))
    writer.flush()
    assert raw_store.queue_parsing(conn, "parse-test") == 6
    straight = [row[2] for batch in raw_store.parse_batches(conn, 6, 4) for row in batch]
    assert straight == [f"file:///p{n}" for n in range(6)]
    conn.execute("update parse_queue set row_id = row_id + 3")  # as if rows had moved
    moved = [row[2] for batch in raw_store.parse_batches(conn, 6, 4) for row in batch]
    assert moved == straight
