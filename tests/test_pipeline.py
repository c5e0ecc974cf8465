"""The whole job through Dagster and dbt into a temporary warehouse, as `pledges refresh` runs it."""
import json
import os
from pathlib import Path

from tests.conftest import build_file, file_digest, query


def test_published_warehouse_holds_the_sample_facts(sample_warehouse):
    totals = query(sample_warehouse, """select value, currency, value_qualifier, since_date
                                        from fct_reported_totals where scope_code = 'UDCG'""")
    assert any(v >= 95e9 and cur == "USD" and q == "over" and str(since).startswith("2022-02")
               for v, cur, q, since in totals), totals

    caesar = query(sample_warehouse, """select quantity, status from fct_pledges
                                        where donor_code = 'FRA' and system_id = 'caesar'""")
    assert (78, "pledged") in caesar

    packages = query(sample_warehouse, """select value, channel, announced_date from fct_pledges
                                          where donor_code = 'USA' and kind = 'package'""")
    assert any(v == 400e6 for v, _, _ in packages), packages


def test_reported_totals_are_kept_apart_from_pledges(sample_warehouse):
    in_pledges = query(sample_warehouse, "select count(*) from fct_pledges where kind = 'aggregate'")[0][0]
    assert in_pledges == 0
    donor_usd = query(sample_warehouse, "select total_value_usd from donor_totals where donor_code = 'USA'")[0][0]
    assert donor_usd < 95e9  # the coalition's total is never summed into a donor's pledges


def test_every_pledge_keeps_its_evidence(sample_warehouse):
    rows = query(build_file(sample_warehouse), """select p.sentence, p.span_start, p.span_end, a.text
                                      from fct_pledges p join intermediate.int_current_articles a using (document_id)""")
    assert rows
    for sentence, start, end, text in rows:
        assert text[start:end] == sentence


def test_every_record_shows_the_rules_that_made_it_beside_its_sentence(sample_warehouse):
    rows = query(sample_warehouse, """select kind, sentence, rule_trace from main.fct_pledge_evidence""")
    assert rows and all(trace for _, _, trace in rows)
    items = [trace for kind, _, trace in rows if kind == "item"]
    assert all(trace.startswith("item:system_found > status:") and " > giver:" in trace for trace in items)
    staged = query(build_file(sample_warehouse), "select count(*) from staging.stg_pledge_mentions where rule_trace is null")
    assert staged == [(0,)]


def test_broken_page_is_recorded_and_the_run_goes_on(sample_warehouse):
    failed = query(build_file(sample_warehouse), "select url, error from staging.stg_articles where parse_status = 'failed'")
    assert [u for u, _ in failed if u.endswith("99_broken.html")]
    documents = query(build_file(sample_warehouse), "select count(distinct document_id) from staging.stg_documents")[0][0]
    assert documents >= 17


def test_parquet_exports_match_the_marts(sample_warehouse):
    exports = sample_warehouse.parent / "exports"
    from orchestration.publishing import MART_TABLES

    assert {"fct_pledges", "fct_pledge_evidence", "fct_reported_totals", "reconciliation_reported_totals"} <= set(MART_TABLES)
    for table in MART_TABLES:
        parquet = exports / f"{table}.parquet"
        assert parquet.exists()
        exported = query(sample_warehouse, f"select count(*) from read_parquet('{parquet}')")[0][0]
        assert exported == query(sample_warehouse, f"select count(*) from {table}")[0][0]


def _exports(warehouse) -> dict[str, bytes]:
    """The publication's Parquet files and both `pledges export` formats, as bytes."""
    import tempfile

    from orchestration.cli import main

    # release_info and release_changes describe the publication itself (its time, what changed),
    # review_queue what no release has published yet, and the workbook has a sheet of each; every
    # other file holds the facts alone
    files = {p.name: p.read_bytes() for p in sorted((warehouse.parent / "exports").iterdir())
             if not p.name.startswith(("release_", "review_queue")) and p.suffix != ".xlsx"}
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("jsonl", "csv"):
            out = Path(folder) / f"records.{fmt}"
            assert main(["export", "--warehouse", str(warehouse), "--format", fmt, "--out", str(out)]) == 0
            files[out.name] = out.read_bytes()
    return files


def test_rerun_on_same_pages_leaves_the_same_rows_and_a_failed_dbt_test_keeps_the_published_file(
        sample_warehouse, sample_sources, monkeypatch):
    from orchestration import settings
    from orchestration.cli import run_nightly_job
    from orchestration import page_work
    from orchestration.defs import extraction
    from scrapers.models import PledgeRecord

    settings.use_warehouse(sample_warehouse)

    counts_sql = """select (select count(*) from raw.documents), (select count(*) from raw.articles),
                           (select count(*) from raw.pledge_mentions)"""
    build = sample_warehouse.parent / "build" / sample_warehouse.name
    before = query(build, counts_sql)
    pledges_before = query(sample_warehouse, "select count(*) from fct_pledges")
    exports_before = _exports(sample_warehouse)

    digest, mtime = file_digest(sample_warehouse), os.stat(sample_warehouse).st_mtime_ns
    unchanged = run_nightly_job(source_dirs=[str(sample_sources)])
    assert unchanged.success
    assert query(build, counts_sql) == before
    # Nothing the build reads has changed: no dbt build and no copy, the release as it was; the
    # marts and the release are reported as confirmed tonight, so their freshness holds.
    materialized = {m.asset_key.to_user_string(): m.metadata for m in
                    (e.event_specific_data.materialization for e in unchanged.all_events
                     if e.event_type_value == "ASSET_MATERIALIZATION")}
    assert materialized["fct_pledges"]["rebuilt"].value is False
    assert materialized["published_warehouse"]["republished"].value is False
    assert not [e for e in unchanged.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
                and e.event_specific_data.asset_key.to_user_string() == "fct_pledges"]  # dbt's tests did not run
    assert (file_digest(sample_warehouse), os.stat(sample_warehouse).st_mtime_ns) == (digest, mtime)

    # Built again from the same inputs (the record of the last release taken away), the same
    # files come out, byte for byte: what an analyst diffs between two nights.
    from orchestration import build_inputs
    build_inputs._record_path().unlink()
    assert run_nightly_job(source_dirs=[str(sample_sources)]).success
    assert os.stat(sample_warehouse).st_mtime_ns != mtime
    assert query(build, counts_sql) == before
    assert query(sample_warehouse, "select count(*) from fct_pledges") == pledges_before
    exports_after = _exports(sample_warehouse)
    assert exports_after.keys() == exports_before.keys()
    assert [name for name in exports_before if exports_before[name] != exports_after[name]] == []
    # a second release of the same facts: every pledge kept its id, nothing new, changed or gone
    assert query(sample_warehouse, "select count(*) from release_changes") == [(0,)]
    [(release_id, previous_id)] = query(sample_warehouse, """select release_id, (select distinct previous_release_id
                                                                  from release_changes) from release_info""")
    assert release_id != previous_id

    digest, mtime = file_digest(sample_warehouse), os.stat(sample_warehouse).st_mtime_ns
    real_extract = page_work.extract_records

    def extract_with_a_bad_status(article):
        records = real_extract(article)
        if records:
            records[0] = PledgeRecord(**{**records[0].__dict__, "status": "maybe"})
        return records

    monkeypatch.setattr(page_work, "extract_records", extract_with_a_bad_status)
    # a new extractor version: every page is extracted again (a backfill), with the bad status
    monkeypatch.setattr(page_work, "EXTRACTOR_VERSION", "rules-with-a-bad-status")
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "rules-with-a-bad-status")
    result = run_nightly_job(source_dirs=[str(sample_sources)])
    assert not result.success
    failed_steps = {e.step_key for e in result.all_events if e.is_step_failure}
    assert failed_steps == {"pledges_dbt_models"}
    assert file_digest(sample_warehouse) == digest
    assert os.stat(sample_warehouse).st_mtime_ns == mtime
    assert query(build, "select count(*) from raw.pledge_mentions where status = 'maybe'")[0][0] > 0

    # dbt's folder for each run is pruned to the newest few; the failed run's stays for a look
    from orchestration.defs.dbt import RUN_TARGETS_KEPT
    run_folders = list((settings.DBT_PROJECT_DIR / "target").glob("pledges_dbt_models-*"))
    assert 1 <= len(run_folders) <= RUN_TARGETS_KEPT, run_folders
    (failed,) = [f for f in run_folders if f.name.startswith(f"pledges_dbt_models-{result.run_id[:7]}-")]
    failures = [r["unique_id"] for r in json.loads((failed / "run_results.json").read_text())["results"]
                if r["status"] == "fail"]
    assert any("accepted_values" in uid and "status" in uid for uid in failures), failures


READER = """
import json, os, sys, time
import duckdb
path, stop = sys.argv[1], sys.argv[2]
conn = duckdb.connect(path, read_only=True)  # held open for the whole refresh
seen, deadline = [], time.monotonic() + 300
print("ready", flush=True)
while time.monotonic() < deadline and not os.path.exists(stop):
    seen.append(conn.execute(
        "select (select count(*) from fct_pledges), (select count(*) from donor_totals),"
        " (select count(*) from fct_reported_totals)").fetchone())
    time.sleep(0.05)
conn.close()
print(json.dumps(seen))
"""


def test_an_analysts_open_session_neither_blocks_the_refresh_nor_sees_it_half_built(
        sample_warehouse, sample_sources, tmp_path):
    import json
    import subprocess
    import sys

    from orchestration import settings
    from orchestration.cli import run_nightly_job

    settings.use_warehouse(sample_warehouse)
    before = query(sample_warehouse, """select (select count(*) from fct_pledges), (select count(*) from donor_totals),
                                               (select count(*) from fct_reported_totals)""")[0]
    extra = tmp_path / "more"
    extra.mkdir()
    for page in sample_sources.iterdir():
        (extra / page.name).write_bytes(page.read_bytes())
    (extra / "late_news.txt").write_text(
        "Late news\n\nLithuania will send 40 more M577 armoured command vehicles to Ukraine, its defence "
        "ministry announced on Friday.\n")

    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(sample_warehouse), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        result = run_nightly_job(source_dirs=[str(extra)])  # publishes while the reader holds the file
        stop.touch()
        assert result.success
        seen = json.loads(reader.communicate(timeout=60)[0])
    finally:
        reader.kill()
    assert seen and all(tuple(row) == tuple(before) for row in seen)  # one complete snapshot throughout
    after = query(sample_warehouse, "select count(*) from fct_pledges where donor_code = 'LTU'")[0][0]
    assert after >= 1  # a new session sees the new warehouse
