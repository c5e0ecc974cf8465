"""The time budget of one page (PLEDGES_PAGE_SECONDS): a page that takes longer to parse, or to
extract, is stored as failed with the reason, the night goes on and publishes the other pages,
and the next night reads the page again. Through real refreshes: the nightly job in this
process's main thread, the raw assets in two worker processes, and the raw assets from a thread
that is not the main one (where no timer can reach the page, so it goes to a worker process)."""
import shutil
import signal
import threading
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration import parallel, settings
from orchestration.cli import run_nightly_job
from orchestration.defs import extraction, ingest
from orchestration.defs.resources import WarehouseResource
from orchestration.page_budget import PageOverBudget, deadline
from scrapers.parsing.parse import parse_document
from tests.conftest import query

PARSING_OVER = "over budget: parsing took more than 1 s, the time budget of one page (PLEDGES_PAGE_SECONDS)"
EXTRACTION_OVER = "over budget: extraction took more than 1 s, the time budget of one page (PLEDGES_PAGE_SECONDS)"
ERRORS = """select a.url, a.parse_status, a.error, e.error from raw.articles a
            left join raw.extractions e using (document_id, version_id)
            where starts_with(a.error, 'over budget') or starts_with(e.error, 'over budget') order by a.url"""
MENTION_PAGES = "select distinct url from raw.pledge_mentions order by url"


def equipment_list_page(items: int) -> bytes:
    """A real pathological page: one sentence that lists `items` quantities. The extractor still
    reads it in time that grows faster than their number (the overlap scan of find_systems):
    4,000 take about 1.3 s of CPU here, 8,000 take 4.4 s."""
    listed = " and ".join(f"{i} armoured vehicles" for i in range(1, items + 1))
    return (f"<html><head><title>Equipment list</title></head><body><article><h1>Equipment list</h1>"
            f"<p>Germany will provide Ukraine with {listed}.</p></article></body></html>").encode()


def long_report_page(paragraphs: int) -> bytes:
    """An ordinary page, only long: 30,000 paragraphs (2.9 MB) take about 1.7 s to parse."""
    body = "".join(f"<p>Paragraph {i}: the weather in the region stayed mild through the week, the report said.</p>"
                   for i in range(paragraphs))
    return (f"<html><head><title>A long report</title></head><body><article><h1>A long report</h1>{body}"
            f"</article></body></html>").encode()


@pytest.fixture(scope="module")
def slow_pages(tmp_path_factory, sample_sources) -> Path:
    """The sample pages (and their broken one), with the two slow pages among them."""
    folder = tmp_path_factory.mktemp("slow") / "pages"
    shutil.copytree(sample_sources, folder)
    (folder / "04b_equipment_list.html").write_bytes(equipment_list_page(8000))
    (folder / "10b_long_report.html").write_bytes(long_report_page(30000))
    return folder


def metadata_by_asset(result) -> dict[str, dict]:
    return {"/".join(event.asset_key.path): {k: getattr(v, "value", v) for k, v in event.metadata.items()}
            for event in (e.materialization for e in result.get_asset_materialization_events())}


def materialize_raw(folder: Path, published: Path) -> dict[str, dict]:
    settings.use_warehouse(published)
    result = dg.materialize(
        [ingest.raw_documents, ingest.raw_articles, extraction.raw_pledge_mentions],
        partition_key=ingest.ADHOC_PARTITION,
        resources={"warehouse": WarehouseResource(published_path=str(published))},
        run_config={"ops": {"raw__documents": {"config": {"source_dirs": [str(folder)]}}}})
    assert result.success
    return metadata_by_asset(result)


def assert_both_slow_pages_stopped(build: Path) -> None:
    stopped = [(Path(url).name, status, parsing, extracting)
               for url, status, parsing, extracting in query(build, ERRORS)]
    assert stopped == [
        ("04b_equipment_list.html", "ok", None, EXTRACTION_OVER),
        ("10b_long_report.html", "failed", PARSING_OVER, None)]


def test_a_page_over_budget_fails_with_the_reason_the_night_goes_on_and_the_next_night_reads_it(
        slow_pages, tmp_path, monkeypatch):
    published = tmp_path / "w" / "pledges.duckdb"
    settings.use_warehouse(published)
    monkeypatch.setenv("PLEDGES_PAGE_SECONDS", "1")
    monkeypatch.setenv("PLEDGES_WORKERS", "1")
    night = run_nightly_job(source_dirs=[str(slow_pages)])
    assert night.success
    build = settings.build_path()
    assert_both_slow_pages_stopped(build)
    meta = metadata_by_asset(night)
    assert meta["raw/articles"]["failed"] == 2  # with the broken page
    assert f"10b_long_report.html: {PARSING_OVER}" in meta["raw/articles"]["failed_list"]
    assert meta["raw/pledge_mentions"]["pages_failed"] == 1
    assert f"04b_equipment_list.html: {EXTRACTION_OVER}" in meta["raw/pledge_mentions"]["pages_failed_list"]
    # every other page's records are published
    read = query(build, MENTION_PAGES)
    assert len(read) >= 10 and not any("04b_" in url or "10b_" in url for (url,) in read)
    assert query(published, "select distinct url from fct_pledge_evidence order by url") == read

    # the next night's raw steps (dbt and publication as above), with room for both pages
    monkeypatch.setenv("PLEDGES_PAGE_SECONDS", "300")
    meta = materialize_raw(slow_pages, published)
    assert meta["raw/articles"]["parsed"] == 1 and meta["raw/articles"]["failed"] == 0  # the long report
    # the equipment list, tried again, and the long report, new to extraction
    assert meta["raw/pledge_mentions"]["pages_retried"] == 1 and meta["raw/pledge_mentions"]["pages_new"] == 1
    assert meta["raw/pledge_mentions"]["pages_failed"] == 0
    assert query(build, ERRORS) == []
    assert query(build, "select count(*) from raw.pledge_mentions where url like '%04b_equipment_list.html'")[0][0] > 0


def test_in_two_worker_processes_a_page_over_budget_is_stopped_and_its_batch_goes_on(slow_pages, tmp_path, monkeypatch):
    monkeypatch.setenv("PLEDGES_PAGE_SECONDS", "1")
    monkeypatch.setenv("PLEDGES_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_PAGES_FOR_POOL", 1)
    monkeypatch.setattr(ingest, "PARSE_BATCH_PAGES", 4)  # the slow pages in the middle of their batches
    monkeypatch.setattr(extraction, "EXTRACT_BATCH_PAGES", 4)
    meta = materialize_raw(slow_pages, tmp_path / "w" / "pledges.duckdb")
    assert meta["raw/articles"]["processes"] == 2 and meta["raw/pledge_mentions"]["processes"] == 2
    build = settings.build_path()
    assert_both_slow_pages_stopped(build)
    # every page but the long report and the broken page, which were not parsed
    assert meta["raw/pledge_mentions"]["pages_extracted"] == len(list(slow_pages.iterdir())) - 2
    assert len(query(build, MENTION_PAGES)) >= 10


def test_a_step_run_outside_the_main_thread_still_stops_a_page_over_budget(slow_pages, tmp_path, monkeypatch):
    monkeypatch.setenv("PLEDGES_PAGE_SECONDS", "1")
    monkeypatch.setenv("PLEDGES_WORKERS", "1")
    outcome: dict = {}

    def refresh():
        try:
            outcome["meta"] = materialize_raw(slow_pages, tmp_path / "w" / "pledges.duckdb")
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=refresh, name="not-the-main-thread")
    thread.start()
    thread.join(timeout=600)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")
    assert outcome["meta"]["raw/pledge_mentions"]["pages_failed"] == 1
    assert_both_slow_pages_stopped(settings.build_path())


def test_an_alarm_set_by_someone_else_still_fires_after_a_page():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    try:
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(PageOverBudget), deadline(0.1):
            while True:
                pass
        with deadline(5):
            pass
        assert not fired
        time.sleep(0.5)
        assert len(fired) == 1 and 0.25 < fired[0] - started < 0.6
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_bad_page_budget_is_refused_by_name(monkeypatch):
    for wrong in ("thirty", "0", "-1", "inf"):
        monkeypatch.setenv("PLEDGES_PAGE_SECONDS", wrong)
        with pytest.raises(ValueError, match="PLEDGES_PAGE_SECONDS"):
            settings.page_seconds()
    monkeypatch.setenv("PLEDGES_PAGE_SECONDS", "2.5")
    assert settings.page_seconds() == 2.5


def test_a_page_with_json_ld_nested_thousands_deep_parses():
    nested = "[" * 5000 + "]" * 5000
    page = (f"<html><head><script type='application/ld+json'>{nested}</script></head><body><article>"
            f"<p>Germany will provide Ukraine with 5 Leopard tanks, the ministry said.</p></article></body></html>")
    assert "Leopard" in parse_document(page.encode(), "text/html", "https://example.org/").text
