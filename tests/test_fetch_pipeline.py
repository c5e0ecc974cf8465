"""Web sources through the real nightly job (`pledges refresh`, Dagster, dbt, publication)
against a site served on 127.0.0.1: a source that is down does not stop the others, a second
refresh of an unchanged site downloads no page body and adds no rows, and one feed can be
tried ad hoc with --source-url."""
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import REPO, build_file, query
from tests.web.site import PAGES, bodies_served, rss, versioned

PLEDGES = str(Path(sys.executable).with_name("pledges"))
NEWS = [("/news/norway-cv90.html", "Norway to send infantry fighting vehicles to Ukraine"),
        ("/news/sweden-archer.html", "Sweden pledges artillery and air defence for Ukraine"),
        ("/news/weather.html", "Spring arrives early")]


@pytest.fixture(autouse=True)
def unknown_paths_are_404(httpserver):
    httpserver.no_handler_status_code = 404


LISTED = [("/news/denmark-f16.html", "Denmark confirms fighter jets for Ukraine")]


def serve_site(httpserver, listed=LISTED):
    base = httpserver.url_for("").rstrip("/")
    for path, html in PAGES.items():
        httpserver.expect_request(path).respond_with_handler(versioned(html))
    httpserver.expect_request("/feed.xml").respond_with_handler(versioned(rss(NEWS, base), "application/rss+xml"))
    teasers = "".join(f'<li class="teaser"><a href="{path}">{title}</a></li>' for path, title in listed)
    listing = f'<html><body><nav><a href="/about">About</a></nav><ul>{teasers}</ul></body></html>'
    httpserver.expect_request("/news/").respond_with_handler(versioned(listing))
    return base


def registry(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(f"""
defaults:
  http: {{min_interval_seconds: 0, retries: 1, backoff_seconds: 0.05, timeout_seconds: 3}}
  keywords: [ukrain, kyiv]
sources:
  - id: local_feed
    kind: rss
    url: {base}/feed.xml
  - id: local_listing
    kind: listing
    url: {base}/news/
    link_selector: "li.teaser a"
  - id: local_down
    kind: rss
    url: http://127.0.0.1:9/feed.xml
    description: nothing listens on port 9
""", encoding="utf-8")
    return path


def refresh(*args):
    started = time.monotonic()
    done = subprocess.run([PLEDGES, "refresh", *args], capture_output=True, text=True, cwd=REPO, timeout=600)
    return done, time.monotonic() - started


def table_counts(warehouse: Path) -> dict[str, int]:
    return {table: query(build_file(warehouse), f"select count(*) from {table}")[0][0]
            for table in ("raw.documents", "raw.articles", "raw.pledge_mentions", "main.fct_pledges")}


def test_web_sources_refresh_incrementally_and_a_down_source_fails_alone(httpserver, tmp_path):
    base = serve_site(httpserver)
    warehouse = tmp_path / "web.duckdb"
    args = ["--registry", str(registry(tmp_path, base)), "--warehouse", str(warehouse)]

    first, _ = refresh(*args)
    assert first.returncode == 0, first.stderr[-3000:]
    assert re.search(r"source local_down failed: .*127\.0\.0\.1:9.*does not answer", first.stderr), first.stderr[-3000:]
    pledges = query(warehouse, "select donor_code, system_name, quantity from main.fct_pledges where kind = 'item' "
                               "order by donor_code")
    donors = {donor for donor, _, _ in pledges}
    assert {"NOR", "SWE", "DNK"} <= donors, pledges
    assert any(donor == "NOR" and quantity == 14 for donor, _, quantity in pledges), pledges
    skipped = query(build_file(warehouse), "select url, error from raw.documents where fetch_status = 'skipped'")
    assert [url for url, _ in skipped] == [f"{base}/news/weather.html"]  # off topic, never requested
    assert "/news/weather.html" not in bodies_served(httpserver)
    before = table_counts(warehouse)

    httpserver.clear_log()
    second, seconds = refresh(*args)
    assert second.returncode == 0, second.stderr[-3000:]
    assert bodies_served(httpserver) == [], "the unchanged site was downloaded again"
    answered = {(request.path, response.status_code) for request, response in httpserver.log}
    assert ("/feed.xml", 304) in answered and ("/news/norway-cv90.html", 304) in answered
    assert "documents: 0 new, 0 changed" in second.stderr
    assert table_counts(warehouse) == before
    print(f"\nno-op refresh of 3 web sources: {seconds:.1f} s")

    # One source re-run on its own (its partition): only that source is read.
    httpserver.clear()
    httpserver.no_handler_status_code = 404
    serve_site(httpserver, LISTED + [("/news/sweden-archer.html", "Sweden pledges artillery for Ukraine")])
    third, _ = refresh(*args, "--source", "local_listing")
    assert third.returncode == 0, third.stderr[-3000:]
    asked = [request.path for request, _ in httpserver.log if request.path != "/robots.txt"]
    assert sorted(asked) == ["/news/", "/news/denmark-f16.html", "/news/sweden-archer.html"]
    assert "local_feed" not in third.stderr and "local_down" not in third.stderr


def test_one_feed_can_be_tried_ad_hoc_with_source_url(httpserver, tmp_path, capsys):
    base = serve_site(httpserver)
    warehouse = tmp_path / "adhoc.duckdb"
    assert main(["refresh", "--source-url", f"{base}/feed.xml", "--kind", "rss", "--warehouse", str(warehouse)]) == 0
    urls = {url for (url,) in query(warehouse, "select distinct url from main.fct_pledges")}
    assert urls == {f"{base}/news/norway-cv90.html", f"{base}/news/sweden-archer.html"}
    sources = query(build_file(warehouse), "select distinct source_id, source_kind from raw.documents")
    assert sources == [(f"adhoc:127.0.0.1:{sources[0][0].rsplit(':', 1)[1]}", "rss")]
