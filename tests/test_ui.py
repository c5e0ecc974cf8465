"""Monitoring in the Dagster UI, through the UI itself.

One `make dev` (webserver + daemon) serves every test of this module, started as a user starts it
but on a free port with a temporary DAGSTER_HOME, a temporary warehouse, a registry of five sample
pages, an alert log and a local webhook. Besides the project's code location it loads
tests/ui_schedule_location.py, whose one-minute schedule shows the daemon firing on its own.

The tests ask the UI's GraphQL endpoint (the API the UI's own pages use) what it shows, launch
runs through it, drive headless Chromium to the lineage page, and finally stop the server with
Ctrl-C's signal. The tests run in file order and share the server: the good run is launched first
(the minute schedule fires meanwhile), the deliberately broken run last.
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SAMPLE, file_digest
from tests.ui import queries as q
from tests.ui.browser import Chromium, chromium_path, png_size
from tests.ui.devserver import DevServer, free_port, wait_until
from tests.ui_schedule_location import HEARTBEAT_JOB, HEARTBEAT_SCHEDULE

UI_DIR = Path(__file__).parent / "ui"
ABSURD_PAGES = UI_DIR / "pages" / "absurd"      # one page: Norway pledging $900 trillion
README_SCREENSHOT = REPO / "docs" / "screenshots" / "asset-lineage.png"
SOURCE_ID = "ui_sample"
# Five sample pages with pledges: DoD and UK packages, the Contact Group's cumulative total,
# France's Caesar guns, Canada's NASAMS.
PAGES = ["01_dod_400m_pda_may2024.html", "04_udcg_20th_meeting_ramstein.html",
         "05_france_caesar_artillery_coalition.html", "07_uk_500m_gbp_package_apr2024.html",
         "10_canada_nasams_cad406m.html"]
WEBHOOK_PATH = "/hooks/pledges-run-failure"

RAW_ASSETS = {("raw", "documents"): "ingest", ("raw", "articles"): "ingest",
              ("raw", "pledge_mentions"): "extraction"}
MARTS = ["fct_pledges", "fct_pledge_evidence", "fct_pledge_status_history", "fct_reported_totals",
         "reconciliation_reported_totals", "donor_totals", "system_totals", "pledges_by_month",
         "dim_donors", "dim_systems"]
PYTHON_CHECKS = {  # (asset, check) -> blocking
    (("raw", "documents"), "sources_answered_with_pages"): True,
    (("raw", "documents"), "sources_yielding_pages"): False,
    (("raw", "articles"), "parse_failure_rate"): True,
    (("raw", "pledge_mentions"), "amounts_plausible"): True,
    (("raw", "pledge_mentions"), "dates_not_in_future"): True,
}
OWNER_TEAM = "pledges-data"
MART_FAIL_WINDOW_SECONDS = 30 * 3600
RUN_TIMEOUT = 300


# ---------------------------------------------------------------------------------------------
# Fixtures: one dev server for the module, one good run, one broken run
# ---------------------------------------------------------------------------------------------
class Webhook:
    """The alert webhook: a permanent POST handler on the session's local HTTP server."""

    def __init__(self, server):
        from werkzeug import Response

        self.url = server.url_for(WEBHOOK_PATH)
        self.received: list[dict] = []
        self._lock = threading.Lock()

        def handler(request):
            with self._lock:
                self.received.append({"content_type": request.content_type,
                                      "body": request.get_data(as_text=True)})
            return Response("ok", status=200)

        server.expect_request(WEBHOOK_PATH, method="POST").respond_with_handler(handler)

    def payloads(self) -> list:
        with self._lock:
            bodies = [r["body"] for r in self.received]
        out = []
        for body in bodies:
            try:
                out.append(json.loads(body))
            except ValueError:
                out.append(body)
        return out


@pytest.fixture(scope="module")
def ui_paths(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ui")
    pages = root / "sources" / "pages"
    pages.mkdir(parents=True)
    for name in PAGES:
        shutil.copy(SAMPLE / name, pages / name)
    registry = root / "sources" / "registry.yaml"
    registry.write_text(f"""# The UI test's registry: one folder source of five sample pages.
sources:
  - id: {SOURCE_ID}
    kind: folder
    path: pages
    description: Five sample pages for the UI test
    enabled: true
""", encoding="utf-8")
    return {"root": root, "registry": registry, "home": root / "dagster_home",
            "warehouse": root / "warehouse" / "pledges.duckdb", "alerts": root / "alerts.log",
            "log": root / "make-dev.log"}


@pytest.fixture(scope="module")
def webhook(make_httpserver) -> Webhook:
    return Webhook(make_httpserver)


@pytest.fixture(scope="module")
def dev_server(ui_paths, webhook):
    """`make dev` with both code locations; stopped with SIGINT at the end of the module."""
    # the environment of a user's shell: nothing of this session's own warehouse or make
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith(("PLEDGES_", "DAGSTER_")) and k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    server = DevServer(
        repo=REPO, dagster_home=ui_paths["home"], port=free_port(),
        locations=[q.MAIN_LOCATION, q.TEST_LOCATION], log_path=ui_paths["log"],
        env={**inherited,
             "PLEDGES_WAREHOUSE": str(ui_paths["warehouse"]), "PLEDGES_REGISTRY": str(ui_paths["registry"]),
             "PLEDGES_ALERT_LOG": str(ui_paths["alerts"]), "PLEDGES_ALERT_WEBHOOK": webhook.url,
             "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1", "DAGSTER_DISABLE_TELEMETRY": "1"})
    server.start()
    try:
        server.wait_ready(timeout=120)
        yield server
    finally:
        report = server.stop(timeout=30)
        assert report.exit_code is not None, f"`make dev` did not exit within 30 s of SIGINT:\n{server.output_tail()}"
        assert not report.leftovers, f"processes left running after SIGINT (killed): {report.leftovers}"


@pytest.fixture(scope="module")
def good_run(dev_server, ui_paths) -> dict:
    """The nightly job over every enabled source of the registry, launched as the schedule does."""
    run_id = q.launch_run(dev_server, "nightly_refresh", {
        "dagster/asset_partition_range_start": SOURCE_ID, "dagster/asset_partition_range_end": SOURCE_ID})
    finished = q.wait_for_run(dev_server, run_id, RUN_TIMEOUT)
    return {**finished, "published_digest": file_digest(ui_paths["warehouse"])
            if ui_paths["warehouse"].exists() else None}


@pytest.fixture(scope="module")
def broken_run(dev_server, good_run, ui_paths) -> dict:
    """An `adhoc` run over one page whose pledge is absurd ($900 trillion)."""
    assert good_run["status"] == "SUCCESS", "the broken run is compared against a good publication"
    published = ui_paths["warehouse"]
    before = file_digest(published), published.stat().st_mtime_ns
    run_id = q.launch_run(dev_server, "nightly_refresh", {"dagster/partition": "adhoc"},
                          run_config={"ops": {"raw__documents": {"config": {"source_dirs": [str(ABSURD_PAGES)]}}}})
    finished = q.wait_for_run(dev_server, run_id, RUN_TIMEOUT)
    return {**finished, "before": before, "after": (file_digest(published), published.stat().st_mtime_ns)}


def asset_nodes(server: DevServer, location: str = q.MAIN_LOCATION) -> dict[tuple[str, ...], dict]:
    nodes = server.graphql(q.ASSET_NODES)["assetNodes"]
    return {tuple(n["assetKey"]["path"]): n for n in nodes if n["repository"]["location"]["name"] == location}


def dbt_manifest() -> dict:
    return json.loads((REPO / "dbt_project" / "target" / "manifest.json").read_text(encoding="utf-8"))


def by_name(nodes: dict[tuple[str, ...], dict]) -> dict[str, dict]:
    """dbt assets by model/seed name (their keys may carry a schema prefix, e.g. staging/stg_documents)."""
    return {key[-1]: node for key, node in nodes.items() if "dbt" in node["kinds"]}


# ---------------------------------------------------------------------------------------------
# What the UI shows
# ---------------------------------------------------------------------------------------------
def test_ui_lists_every_asset_with_its_group_kinds_and_partitions(dev_server):
    nodes = asset_nodes(dev_server)
    for key, group in RAW_ASSETS.items():
        assert key in nodes, f"{'/'.join(key)} missing; the UI lists {sorted(nodes)}"
        assert nodes[key]["groupName"] == group
        assert set(nodes[key]["kinds"]) == {"python", "duckdb"}, nodes[key]["kinds"]
        assert "nightly_refresh" in nodes[key]["jobNames"]

    documents = nodes[("raw", "documents")]
    assert documents["isPartitioned"] and documents["partitionKeys"] == [SOURCE_ID, "adhoc"], \
        "raw/documents has one partition per enabled registry source, plus adhoc"

    published = nodes[("published_warehouse",)]
    assert published["groupName"] == "publish" and set(published["kinds"]) == {"duckdb", "parquet"}

    manifest = dbt_manifest()
    dbt_nodes = by_name(nodes)
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        name = node["name"]
        assert name in dbt_nodes, f"dbt {node['resource_type']} {name} is not an asset in the UI"
        expected_group = "reference" if node["resource_type"] == "seed" else node["fqn"][1]
        assert dbt_nodes[name]["groupName"] == expected_group, (name, dbt_nodes[name]["groupName"])
        assert set(dbt_nodes[name]["kinds"]) == {"dbt", "duckdb"}, (name, dbt_nodes[name]["kinds"])
    for name in ["stg_documents", "int_current_articles", *MARTS, "donors", "systems", "donor_aliases"]:
        assert name in dbt_nodes, name
    assert {dbt_nodes[m]["groupName"] for m in MARTS} == {"marts"}
    assert {n["groupName"] for n in nodes.values()} == {
        "ingest", "extraction", "staging", "intermediate", "marts", "reference", "publish"}

    # lineage is wired: raw -> staging -> ... -> published_warehouse
    assert ("raw", "documents") in {tuple(k["path"]) for k in dbt_nodes["stg_documents"]["dependencyKeys"]}
    published_deps = {tuple(k["path"])[-1] for k in published["dependencyKeys"]}
    assert set(MARTS) <= published_deps, set(MARTS) - published_deps


def test_every_dbt_test_and_python_check_is_an_asset_check(dev_server):
    nodes = asset_nodes(dev_server)
    checks = {key: {c["name"]: c for c in node["assetChecksOrError"]["checks"]}
              for key, node in nodes.items() if node["assetChecksOrError"]["__typename"] == "AssetChecks"}

    # every generic dbt test on a model or seed is a check on that model's asset
    manifest = dbt_manifest()
    dbt_keys = {key[-1]: key for key, node in nodes.items() if "dbt" in node["kinds"]}
    expected = {(dbt_keys[n["attached_node"].split(".")[-1]], n["name"]) for n in manifest["nodes"].values()
                if n["resource_type"] == "test" and n.get("attached_node")}
    shown = {(key, name) for key, names in checks.items() if key in dbt_keys.values() for name in names}
    assert expected and expected <= shown, f"dbt tests missing as checks: {sorted(expected - shown)[:10]}"
    test_names = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    shown_names = {name for _, name in shown}
    assert shown_names <= test_names
    # singular tests (SQL files comparing two models) are checks too, on the model they name
    singular = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test" and not n.get("test_metadata")}
    assert singular and singular <= shown_names, f"singular dbt tests missing as checks: {sorted(singular - shown_names)}"
    assert checks[dbt_keys["fct_pledges"]]["unique_fct_pledges_pledge_id"]["blocking"] is True

    for (key, name), blocking in PYTHON_CHECKS.items():
        assert name in checks.get(key, {}), f"check {name} missing on {'/'.join(key)}: {sorted(checks.get(key, {}))}"
        assert checks[key][name]["blocking"] is blocking, f"{name}: blocking should be {blocking}"


def test_owners_and_mart_freshness_policies(dev_server):
    nodes = asset_nodes(dev_server)
    unowned = sorted("/".join(k) for k, n in nodes.items()
                     if {"__typename": "TeamAssetOwner", "team": OWNER_TEAM} not in n["owners"])
    assert not unowned, f"assets without owner team:{OWNER_TEAM}: {unowned}"
    dbt_nodes = by_name(nodes)
    for mart in MARTS:
        policy = dbt_nodes[mart]["internalFreshnessPolicy"]
        assert policy and policy["failWindowSeconds"] == MART_FAIL_WINDOW_SECONDS, (mart, policy)


def test_nightly_schedule_and_failure_sensor_are_running(dev_server):
    entries = dev_server.graphql(q.LOCATIONS)["workspaceOrError"]["locationEntries"]
    repos = {e["name"]: e["locationOrLoadError"]["repositories"] for e in entries}
    assert set(repos) == {q.MAIN_LOCATION, q.TEST_LOCATION}
    (main,) = repos[q.MAIN_LOCATION]
    assert main["name"] == q.REPOSITORY
    assert "nightly_refresh" in {j["name"] for j in main["jobs"]}
    schedules = {s["name"]: s for s in main["schedules"]}
    nightly = schedules["nightly_refresh_schedule"]
    assert nightly["scheduleState"]["status"] == "RUNNING"
    assert (nightly["cronSchedule"], nightly["executionTimezone"]) == ("0 2 * * *", "UTC")
    sensors = {s["name"]: s for s in main["sensors"]}
    assert sensors["alert_on_run_failure"]["sensorState"]["status"] == "RUNNING"
    assert sensors["alert_on_run_failure"]["sensorType"] == "RUN_STATUS"


# ---------------------------------------------------------------------------------------------
# A run launched through GraphQL, and what it leaves in the UI
# ---------------------------------------------------------------------------------------------
def test_nightly_run_launched_through_graphql_succeeds(good_run, ui_paths):
    assert good_run["status"] == "SUCCESS", f"run {good_run['runId']}: {good_run['stepStats']}"
    assert good_run["jobName"] == "nightly_refresh"
    tags = {t["key"]: t["value"] for t in good_run["tags"]}
    assert tags["dagster/asset_partition_range_start"] == tags["dagster/asset_partition_range_end"] == SOURCE_ID
    steps = {s["stepKey"]: s["status"] for s in good_run["stepStats"]}
    assert steps and set(steps.values()) == {"SUCCESS"}, steps
    assert {"raw__documents", "raw__pledge_mentions", "published_warehouse"} <= set(steps)
    assert good_run["published_digest"], "the run did not publish the warehouse"
    assert (ui_paths["warehouse"].parent / "exports" / "fct_pledges.parquet").exists()


def test_the_run_leaves_its_metadata_on_the_assets(dev_server, good_run, ui_paths):
    run_id = good_run["runId"]

    def metadata(*path) -> dict:
        event = q.latest_materialization(dev_server, list(path))
        assert event and event["runId"] == run_id, f"{'/'.join(path)} not materialized by {run_id}: {event}"
        return event, q.metadata_values(event["metadataEntries"])

    event, documents = metadata("raw", "documents")
    assert event["partition"] == SOURCE_ID
    assert (documents["new"], documents["unchanged"], documents["failed"]) == (len(PAGES), 0, 0), documents
    assert (documents["sources"], documents["sources_failed"]) == (1, 0), documents
    (row,) = q.markdown_table(documents["per_source"])
    assert row["source"] == SOURCE_ID and row["status"] == "ok" and int(row["new"]) == len(PAGES), row

    _, mentions = metadata("raw", "pledge_mentions")
    by_kind = {r["kind"]: int(r["records"]) for r in q.markdown_table(mentions["by_kind"])}
    by_donor = {r["donor"]: int(r["records"]) for r in q.markdown_table(mentions["by_donor"])}
    assert mentions["mentions"] > 0 and sum(by_kind.values()) == sum(by_donor.values()) == mentions["mentions"]
    assert {"USA", "GBR", "FRA", "CAN"} <= set(by_donor), by_donor  # the donors of the five pages
    assert by_kind.get("package", 0) > 0 and by_kind.get("item", 0) > 0, by_kind

    published = ui_paths["warehouse"]
    with duckdb.connect(str(published), read_only=True) as conn:
        def count(table: str) -> int:
            return conn.execute(f"select count(*) from {table}").fetchone()[0]

        counts = {mart: count(mart) for mart in MARTS}
    dbt_keys = {key[-1]: key for key in asset_nodes(dev_server)}
    for mart in MARTS:
        _, values = metadata(*dbt_keys[mart])
        assert values.get("dagster/row_count") == counts[mart], (mart, values.get("dagster/row_count"), counts[mart])

    _, warehouse = metadata("published_warehouse")
    assert Path(warehouse["path"]) == published
    assert warehouse["size_bytes"] == published.stat().st_size
    assert warehouse["pledges"] == counts["fct_pledges"] > 0
    assert warehouse["donors"] == counts["donor_totals"] > 0
    assert warehouse["reported_totals"] == counts["fct_reported_totals"] > 0  # the Contact Group's total
    rows = {r["table"]: int(r["rows"]) for r in q.markdown_table(warehouse["rows"])}
    assert {m: rows.get(m) for m in MARTS} == counts


def test_the_run_executed_every_python_check_and_they_passed(dev_server, good_run):
    for (key, name), blocking in PYTHON_CHECKS.items():
        executions = [e for e in q.check_executions(dev_server, list(key), name) if e["runId"] == good_run["runId"]]
        assert len(executions) == 1, f"{name} on {'/'.join(key)} ran {len(executions)} times in the nightly run"
        (execution,) = executions
        assert execution["status"] == "SUCCEEDED" and execution["evaluation"]["success"] is True, (name, execution)
        assert execution["evaluation"]["severity"] == ("ERROR" if blocking else "WARN"), (name, execution)
        assert execution["evaluation"]["metadataEntries"], f"{name} reports no figures"


def test_lineage_page_in_headless_chromium(dev_server, good_run, ui_paths):
    """The asset's lineage page, drawn by a real browser: every asset upstream of
    published_warehouse (from raw/documents on) is on the page, and the screenshot is saved."""
    assert chromium_path(), "chromium is not installed: `make test` installs it (`make browser`)"
    assert good_run["status"] == "SUCCESS"
    nodes = asset_nodes(dev_server)
    upstream, frontier = set(), [("published_warehouse",)]
    while frontier:
        key = frontier.pop()
        if key not in upstream:
            upstream.add(key)
            frontier.extend(tuple(k["path"]) for k in nodes[key]["dependencyKeys"])
    assert ("raw", "documents") in upstream
    expected_groups = {nodes[key]["groupName"] for key in upstream}

    shot = ui_paths["root"] / "asset-lineage.png"
    url = f"{dev_server.url}/assets/published_warehouse?view=lineage&lineageScope=upstream&lineageDepth=6"
    with Chromium(width=1400, height=900) as browser:
        # The UI's own settings: navigation collapsed, the graph top to bottom (it fits the
        # 1400 px width at a readable size; left to right it is tall and tiny).
        browser.set_local_storage_before_load({"dagster-nav-collapsed": True, "asset-graph-direction": "vertical"})
        browser.navigate(url)
        # each node: [label, background]; the background is 'light' until the node's live data
        # (latest materialization, checks) has arrived, then green for a materialized asset
        nodes_js = ("Array.from(document.querySelectorAll('[class*=\"AssetNode_minimalAssetNodeBox\"]'))"
                    ".map(e => [e.textContent.trim(),"
                    " ((e.getAttribute('style') || '').match(/--minimal-bg: *var\\(--color-background-([a-z-]+)\\)/)"
                    " || [])[1] || ''])")
        browser.wait_for(f"(n => n.length >= {len(upstream)} && n.every(([, bg]) => bg && bg !== 'light'))"
                         f"({nodes_js})", timeout=60)
        # wait for the fit-to-view zoom to settle before the picture
        layout_js = ("JSON.stringify(Array.from(document.querySelectorAll('foreignObject'))"
                     ".map(f => {const r = f.getBoundingClientRect(); return [r.x, r.y, r.width].map(Math.round)}))")
        previous = {"value": None}

        def settled():
            current = browser.evaluate(layout_js)
            same, previous["value"] = current == previous["value"], current
            return same

        wait_until(settled, timeout=20, what="the lineage graph to stop moving", interval=0.5)
        drawn = browser.evaluate(nodes_js)
        groups = set(browser.evaluate(
            "Array.from(document.querySelectorAll('foreignObject [data-tooltip]')).map(e => e.textContent.trim())"))
        page_text = browser.evaluate("document.body.innerText")
        data = browser.screenshot(shot)

    # the graph labels a node by the last part of its key, shortened in the middle when long
    unmatched = list(drawn)
    for key in sorted(upstream, key=lambda k: k[-1]):
        match = next((node for node in unmatched if label_shows(node[0], key[-1])), None)
        assert match, f"{'/'.join(key)} is not drawn on the lineage page; nodes: {drawn}"
        unmatched.remove(match)
        # the good run materialized every unpartitioned asset (raw/documents has an adhoc
        # partition never materialized, so the UI shows it partly done)
        if not nodes[key]["isPartitioned"]:
            assert match[1] == "green", f"{'/'.join(key)} is drawn {match[1]}, not as materialized"
    assert not unmatched, f"the page draws assets that are not upstream of published_warehouse: {unmatched}"
    assert expected_groups <= groups, expected_groups - groups
    assert "published_warehouse" in page_text and "Lineage" in page_text

    assert png_size(data) == (1400, 900)
    assert len(data) > 40_000, "the screenshot is nearly blank"
    if not README_SCREENSHOT.exists() or os.environ.get("UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, README_SCREENSHOT)


def label_shows(label: str, name: str) -> bool:
    """The graph shortens long names in the middle: 'publish…_warehouse' shows 'published_warehouse'."""
    if label == name:
        return True
    if "…" not in label:
        return False
    head, tail = label.split("…", 1)
    return len(head) + len(tail) < len(name) and name.startswith(head) and name.endswith(tail)


# ---------------------------------------------------------------------------------------------
# The daemon on its own
# ---------------------------------------------------------------------------------------------
def test_daemon_fires_the_one_minute_schedule(dev_server):
    selector = {"repositoryLocationName": q.TEST_LOCATION, "repositoryName": q.REPOSITORY,
                "scheduleName": HEARTBEAT_SCHEDULE}

    def schedule() -> dict:
        result = dev_server.graphql(q.SCHEDULE_TICKS, {"selector": selector})["scheduleOrError"]
        assert result["__typename"] == "Schedule", result
        return result

    state = schedule()
    assert state["cronSchedule"] == "* * * * *" and state["scheduleState"]["status"] == "RUNNING"

    # the daemon ticks at the next minute boundary, and the run it requests goes through the queue
    # (one run at a time: it may wait for the nightly run)
    def finished_scheduled_run():
        for tick in schedule()["scheduleState"]["ticks"]:
            if tick["status"] == "SUCCESS" and tick["runIds"]:
                run = q.run(dev_server, tick["runIds"][0])
                if run["status"] in q.FINISHED:
                    return run
        return None

    run = wait_until(finished_scheduled_run, timeout=200, what="a run started by the one-minute schedule",
                     interval=2.0, on_timeout=lambda: "\n" + dev_server.output_tail())
    assert run["status"] == "SUCCESS" and run["jobName"] == HEARTBEAT_JOB
    tags = {t["key"]: t["value"] for t in run["tags"]}
    assert tags.get("dagster/schedule_name") == HEARTBEAT_SCHEDULE
    event = q.latest_materialization(dev_server, ["ui_test", "heartbeat"])
    assert q.metadata_values(event["metadataEntries"])["scheduled_by"] == HEARTBEAT_SCHEDULE

    # stop it, so that it queues nothing more for the rest of the module
    stopped = dev_server.graphql(q.STOP_SCHEDULE, {"id": state["scheduleState"]["id"]})["stopRunningSchedule"]
    assert stopped["__typename"] == "ScheduleStateResult", stopped
    assert schedule()["scheduleState"]["status"] == "STOPPED"


# ---------------------------------------------------------------------------------------------
# A broken input: the blocking check stops publication, and the alert goes out
# ---------------------------------------------------------------------------------------------
def test_failing_check_on_an_absurd_pledge_blocks_publication(dev_server, good_run, broken_run):
    assert broken_run["status"] == "FAILURE", broken_run["stepStats"]
    run_id = broken_run["runId"]
    executions = [e for e in q.check_executions(dev_server, ["raw", "pledge_mentions"], "amounts_plausible")
                  if e["runId"] == run_id]
    assert executions, "amounts_plausible did not run in the broken run"
    (execution,) = executions
    assert execution["status"] == "FAILED" and execution["evaluation"]["success"] is False, execution
    assert execution["evaluation"]["severity"] == "ERROR"

    steps = {s["stepKey"]: s["status"] for s in broken_run["stepStats"]}
    assert steps.get("raw__documents") == "SUCCESS", steps
    assert steps.get("published_warehouse") in (None, "SKIPPED"), steps
    assert not any(key.startswith("pledges_dbt_models") and status == "SUCCESS" for key, status in steps.items()), steps

    assert broken_run["after"] == broken_run["before"], "the published warehouse changed"
    latest = q.latest_materialization(dev_server, ["published_warehouse"])
    assert latest["runId"] == good_run["runId"]


def test_run_failure_alert_reaches_the_log_and_the_webhook(dev_server, broken_run, ui_paths, webhook):
    run_id = broken_run["runId"]
    alerts = ui_paths["alerts"]

    def alert_lines():
        if not alerts.exists():
            return None
        entries = [json.loads(line) for line in alerts.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [e for e in entries if e.get("run_id") == run_id] or None

    # the run-failure sensor evaluates every 30 s or so
    (entry,) = wait_until(alert_lines, timeout=90, what=f"an alert line for run {run_id} in {alerts}",
                          interval=1.0, on_timeout=lambda: "\n" + dev_server.output_tail())
    assert entry["job"] == "nightly_refresh" and entry["error"], entry

    def posted():
        return [p for p in webhook.payloads() if run_id in json.dumps(p)] or None

    (payload,) = wait_until(posted, timeout=30, what=f"a POST for run {run_id} at {webhook.url}", interval=0.5)
    assert isinstance(payload, dict), payload
    flat = json.dumps(payload)
    assert "nightly_refresh" in flat, payload
    errors = [v for k, v in payload.items() if "error" in k.lower() and v]
    assert errors, f"the webhook payload carries no error: {payload}"
    # only the failed run alerted (not the good run, nor the test location's scheduled runs),
    # once in the log and once at the webhook
    entries = [json.loads(line) for line in alerts.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [e["run_id"] for e in entries] == [run_id], entries
    assert len(webhook.payloads()) == 1, webhook.payloads()


# ---------------------------------------------------------------------------------------------
# Stopping: last, since it ends the module's server
# ---------------------------------------------------------------------------------------------
def test_ctrl_c_stops_the_ui_cleanly(dev_server):
    report = dev_server.stop(timeout=30)
    assert report.exit_code is not None, f"`make dev` still running 30 s after SIGINT:\n{dev_server.output_tail()}"
    assert not report.leftovers and not report.killed, f"left running after SIGINT: {report.leftovers}"
    assert report.seconds < 30
    assert "Dagster services shut down" in dev_server.output_tail(80), dev_server.output_tail()
    assert dev_server.leftover_processes() == []
