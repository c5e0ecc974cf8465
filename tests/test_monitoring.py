"""What the people running the refresh see: blocking checks that stop publication on bad raw
data, the failure alert (log line and webhook), and the asset definitions the UI shows."""
import json
import os

import dagster as dg

from orchestration import settings
from orchestration.defs.automation import alert_on_run_failure

ABSURD = """<html><head><title>Aid</title></head><body><article><h1>Norway and Ukraine</h1>
<p>OSLO, March 3, 2024</p>
<p>Norway will provide $900 trillion in military aid to Ukraine, the government said.</p>
</article></body></html>"""
FUTURE = """<html><head><title>Aid</title></head><body><article><h1>Sweden and Ukraine</h1>
<p>STOCKHOLM, May 5, 2031</p>
<p>Sweden pledged 5 Leopard 2 tanks to Ukraine.</p>
</article></body></html>"""


def test_the_ui_shows_groups_owners_kinds_and_every_check():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    assert {"ingest", "extraction", "staging", "intermediate", "marts", "reference", "publish"} == groups
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_materializable:
            assert node.owners == ["team:pledges-data"], key
            assert node.kinds and "duckdb" in node.kinds, key
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert {("raw/documents", "sources_answered_with_pages"), ("raw/documents", "sources_yielding_pages"),
            ("raw/articles", "parse_failure_rate"), ("raw/pledge_mentions", "amounts_plausible"),
            ("raw/pledge_mentions", "dates_not_in_future")} <= checks
    # the singular dbt tests over several models are attached to one model each
    assert ("fct_pledges", "evidence_count_matches_the_evidence") in checks
    assert ("pledges_by_month", "pledges_by_month_adds_up_to_the_pledges") in checks
    stale_after = {key.to_user_string(): graph.get(key).freshness_policy for key in graph.get_all_asset_keys()}
    assert stale_after["fct_pledges"].fail_window.to_timedelta().total_seconds() == 30 * 3600
    assert stale_after["published_warehouse"] is not None and stale_after["staging/stg_documents"] is None


def test_absurd_amounts_and_future_dates_block_publication_and_alert(tmp_path, monkeypatch, httpserver):
    from orchestration.definitions import defs
    from orchestration.defs.ingest import ADHOC_PARTITION

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "absurd.html").write_text(ABSURD, encoding="utf-8")
    (pages / "future.html").write_text(FUTURE, encoding="utf-8")
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(tmp_path / "w" / "pledges.duckdb"))
    monkeypatch.setenv(settings.ALERT_LOG_ENV, str(tmp_path / "alerts.log"))
    monkeypatch.setenv(settings.ALERT_WEBHOOK_ENV, httpserver.url_for("/hooks/pledges"))
    settings.use_warehouse()
    httpserver.expect_request("/hooks/pledges", method="POST").respond_with_data("ok")

    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("nightly_refresh").execute_in_process(
            run_config={"ops": {"raw__documents": {"config": {"source_dirs": [str(pages)]}}}},
            partition_key=ADHOC_PARTITION, instance=instance, raise_on_error=False)
        assert not result.success
        evaluations = {e.event_specific_data.check_name: e.event_specific_data
                       for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
        assert not evaluations["amounts_plausible"].passed
        assert "900 trillion" in evaluations["amounts_plausible"].metadata["examples"].value
        assert not evaluations["dates_not_in_future"].passed
        assert evaluations["dates_not_in_future"].metadata["future_dated_records"].value >= 1
        materialized = {e.asset_key.to_user_string() for e in result.all_events
                        if e.event_type_value == "ASSET_MATERIALIZATION"}
        assert "raw/pledge_mentions" in materialized
        assert "fct_pledges" not in materialized and "published_warehouse" not in materialized
        assert not settings.published_path().exists()

        # The failure sensor, as the daemon calls it for this run.
        run = instance.get_run_by_id(result.run_id)
        failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
        context = dg.build_run_status_sensor_context(
            sensor_name="alert_on_run_failure", dagster_instance=instance, dagster_run=run,
            dagster_event=failure).for_run_failure()
        alert_on_run_failure(context)

    [line] = (tmp_path / "alerts.log").read_text().splitlines()
    logged = json.loads(line)
    assert logged["run_id"] == result.run_id and logged["job"] == "nightly_refresh"
    [(request, _)] = [(r, s) for r, s in httpserver.log if r.path == "/hooks/pledges"]
    posted = json.loads(request.data)
    assert posted["run_id"] == result.run_id and "failed" in posted["text"]


def test_posting_to_a_dead_webhook_returns_the_reason_instead_of_raising():
    from orchestration.defs.automation import post_alert

    assert "Connection refused" in post_alert("http://127.0.0.1:9/hook", {"text": "x"})


def test_a_failed_refresh_from_the_command_line_alerts_without_a_daemon(tmp_path, httpserver):
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import REPO

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "absurd.html").write_text(ABSURD, encoding="utf-8")
    httpserver.expect_request("/hooks/pledges", method="POST").respond_with_data("ok")
    env = {**os.environ, settings.ALERT_LOG_ENV: str(tmp_path / "alerts.log"),
           settings.ALERT_WEBHOOK_ENV: httpserver.url_for("/hooks/pledges"), "DAGSTER_HOME": ""}
    done = subprocess.run([str(Path(sys.executable).with_name("pledges")), "refresh", "--source-dir", str(pages),
                           "--warehouse", str(tmp_path / "w" / "pledges.duckdb")],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert done.returncode != 0 and "refresh failed" in done.stderr
    [line] = (tmp_path / "alerts.log").read_text().splitlines()
    logged = json.loads(line)
    assert logged["job"] == "nightly_refresh" and "amounts_plausible" in logged["error"]
    [request] = [r for r, _ in httpserver.log if r.path == "/hooks/pledges"]
    assert json.loads(request.data)["run_id"] == logged["run_id"]


def test_a_page_that_names_hundreds_of_pledges_is_bounded_and_flagged(tmp_path, monkeypatch):
    import pycountry

    from orchestration.cli import run_nightly_job
    from orchestration.page_work import MAX_RECORDS_PER_PAGE
    from tests.conftest import query

    names = [c.name for c in pycountry.countries if "," not in c.name and "(" not in c.name][:150]
    sentences = " ".join(f"<p>{name} will send {n + 2} Leopard 2 tanks and {name} pledged $5 million to Ukraine.</p>"
                         for n, name in enumerate(names))
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "flood.html").write_text(f"<html lang='en'><body><article><h1>Aid</h1>{sentences}</article></body></html>")
    (pages / "normal.html").write_text("<html lang='en'><body><article><h1>Norway</h1><p>OSLO, March 3, 2024</p>"
                                       "<p>Norway will send two NASAMS launchers to Ukraine.</p></article></body></html>")
    for variable in (settings.WAREHOUSE_ENV, settings.BUILD_ENV):
        monkeypatch.setenv(variable, "")
    settings.use_warehouse(tmp_path / "w" / "pledges.duckdb")
    result = run_nightly_job(source_dirs=[str(pages)])
    [materialization] = [e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"
                         and e.asset_key.to_user_string() == "raw/pledge_mentions"]
    metadata = materialization.event_specific_data.materialization.metadata
    assert metadata["pages_over_record_bound"].value == 1
    assert "flood.html" in metadata["pages_over_record_bound_list"].value
    build = settings.build_path()
    counts = dict(query(build, "select regexp_extract(url, '[^/]+$'), count(*) from raw.pledge_mentions group by 1"))
    assert counts["flood.html"] == MAX_RECORDS_PER_PAGE and counts["normal.html"] >= 1
