"""Feeds, sitemaps and listing pages fetched into the raw tables, against a real server on
127.0.0.1: incremental (new, unchanged, changed), filtered (domains, topic), bounded (max_items,
max_pages) and isolated (a broken source reports, never raises). The code path is the one the
Dagster asset runs: orchestration.fetching.ingest_source."""
import duckdb
import pytest

from orchestration import raw_store
from orchestration.fetching import ingest_source
from scrapers.fetching.fetch import fetch_source
from scrapers.fetching.http_client import HttpClient
from scrapers.parsing.parse import parse_document
from scrapers.fetching.sources import HttpPolicy, Source
from tests.web.site import PAGES, article, atom, bodies_served, rss, versioned

POLICY = HttpPolicy(min_interval_seconds=0, retries=1, backoff_seconds=0.05, timeout_seconds=2)
NEWS = [("/news/norway-cv90.html", "Norway to send infantry fighting vehicles to Ukraine"),
        ("/news/sweden-archer.html", "Sweden pledges artillery and air defence for Ukraine"),
        ("/news/denmark-f16.html", "Denmark confirms fighter jets for Ukraine")]


@pytest.fixture(autouse=True)
def unknown_paths_are_404(httpserver):
    httpserver.no_handler_status_code = 404


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        raw_store.ensure_raw_schema(connection)
        yield connection


def serve_pages(httpserver, pages=PAGES):
    for path, html in pages.items():
        httpserver.expect_request(path).respond_with_handler(versioned(html))


def web_source(httpserver, kind, path, **extra) -> Source:
    return Source(id=extra.pop("id", f"test_{kind}"), kind=kind, location=httpserver.url_for(path),
                  allowed_domains=("127.0.0.1",), **extra)


def stored(conn, source_id):
    return dict(conn.execute("select url, fetch_status from raw.documents where source_id = ? "
                             "qualify row_number() over (partition by url order by last_seen_at desc) = 1",
                             [source_id]).fetchall())


def test_a_feed_is_read_incrementally_new_items_fetched_seen_ones_cost_no_body(httpserver, conn):
    base = httpserver.url_for("").rstrip("/")
    serve_pages(httpserver)
    feed = {"body": rss(NEWS[:2], base)}
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: versioned(feed["body"], "application/rss+xml")(request))
    source = web_source(httpserver, "rss", "/feed.xml")

    first = ingest_source(conn, HttpClient(POLICY), source)
    assert first.error is None and first.counts["new"] == 2
    assert sorted(bodies_served(httpserver, "/news/")) == ["/news/norway-cv90.html", "/news/sweden-archer.html"]

    httpserver.clear_log()
    feed["body"] = rss(NEWS, base)  # one item more
    second = ingest_source(conn, HttpClient(POLICY), source)
    assert (second.counts["new"], second.counts["unchanged"]) == (1, 2)
    assert bodies_served(httpserver, "/news/") == ["/news/denmark-f16.html"]

    httpserver.clear_log()
    third = ingest_source(conn, HttpClient(POLICY), source)
    assert (third.counts["new"], third.counts["unchanged"]) == (0, 3)
    assert bodies_served(httpserver) == []  # the feed answered 304 and every page 304
    assert conn.execute("select count(*) from raw.documents where source_id = 'test_rss'").fetchone()[0] == 3


def test_a_changed_page_is_a_new_version_and_a_vanished_page_stays(httpserver, conn):
    base = httpserver.url_for("").rstrip("/")
    page = {"html": PAGES["/news/norway-cv90.html"]}
    httpserver.expect_request("/news/norway-cv90.html").respond_with_handler(
        lambda request: versioned(page["html"])(request))
    httpserver.expect_request("/feed.xml").respond_with_handler(versioned(rss(NEWS[:1], base), "application/rss+xml"))
    source = web_source(httpserver, "rss", "/feed.xml")
    assert ingest_source(conn, HttpClient(POLICY), source).counts["new"] == 1

    page["html"] = page["html"].replace("14 CV90", "16 CV90")
    assert ingest_source(conn, HttpClient(POLICY), source).counts["changed"] == 1
    versions = conn.execute("select count(*) from raw.documents where fetch_status = 'ok'").fetchone()[0]
    assert versions == 2  # history kept

    current = raw_store.known_urls(conn, "test_rss")[httpserver.url_for("/news/norway-cv90.html")]
    assert current.etag is not None

    page["html"] = None
    httpserver.clear()
    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/feed.xml").respond_with_handler(versioned(rss(NEWS[:1], base), "application/rss+xml"))
    gone = ingest_source(conn, HttpClient(POLICY), source)
    assert gone.counts["failed"] == 1
    assert conn.execute("select count(*) from raw.documents where fetch_status = 'ok'").fetchone()[0] == 2


def test_dated_feed_items_older_than_our_copy_are_not_requested_at_all(httpserver, conn):
    base = httpserver.url_for("").rstrip("/")
    serve_pages(httpserver)
    httpserver.expect_request("/atom.xml").respond_with_handler(versioned(atom(NEWS, base), "application/atom+xml"))
    source = web_source(httpserver, "rss", "/atom.xml")
    assert ingest_source(conn, HttpClient(POLICY), source).counts["new"] == 3
    httpserver.clear_log()
    again = ingest_source(conn, HttpClient(POLICY), source)
    assert again.counts["unchanged"] == 3
    asked = [r.path for r, _ in httpserver.log if r.path != "/robots.txt"]
    assert asked == ["/atom.xml"]  # 304 for the feed, nothing else asked


def test_off_domain_and_off_topic_links_are_recorded_as_skipped_without_a_request(httpserver, conn):
    base = httpserver.url_for("").rstrip("/")
    serve_pages(httpserver)
    items = NEWS[:1] + [("/news/weather.html", "Spring arrives early")]
    feed = rss(items, base).replace("</channel>", "<item><title>Ukraine aid elsewhere</title>"
                                                  "<link>http://other.invalid/ukraine.html</link></item></channel>")
    httpserver.expect_request("/feed.xml").respond_with_handler(versioned(feed, "application/rss+xml"))
    source = web_source(httpserver, "rss", "/feed.xml", keywords=("ukrain", "kyiv"))
    report = ingest_source(conn, HttpClient(POLICY), source)
    assert (report.counts["new"], report.counts["skipped"]) == (1, 2)
    reasons = dict(conn.execute("select url, error from raw.documents where fetch_status = 'skipped'").fetchall())
    assert "allowed domains" in reasons["http://other.invalid/ukraine.html"]
    assert "off topic" in reasons[httpserver.url_for("/news/weather.html")]
    assert "/news/weather.html" not in [r.path for r, _ in httpserver.log]


def test_a_malformed_feed_fails_its_source_with_the_reason(httpserver, conn):
    httpserver.expect_request("/broken.xml").respond_with_data("<html><body>Service page, not a feed",
                                                               content_type="application/rss+xml")
    report = ingest_source(conn, HttpClient(POLICY), web_source(httpserver, "rss", "/broken.xml"))
    assert report.error and "/broken.xml" in report.error
    assert "not an RSS or Atom feed" in report.error or "malformed feed" in report.error
    httpserver.expect_request("/garbage.xml").respond_with_data("<<<>>> \x00 not xml at all",
                                                                content_type="text/xml")
    garbage = ingest_source(conn, HttpClient(POLICY), web_source(httpserver, "rss", "/garbage.xml", id="g"))
    assert "malformed feed" in garbage.error


def test_a_truncated_feed_still_yields_its_complete_items_with_a_warning(httpserver, conn):
    base = httpserver.url_for("").rstrip("/")
    serve_pages(httpserver)
    whole = rss(NEWS, base)
    truncated = whole[:whole.index("<item>", whole.index("</item>"))]  # first item complete, then cut
    httpserver.expect_request("/cut.xml").respond_with_data(truncated, content_type="application/rss+xml")
    report = ingest_source(conn, HttpClient(POLICY), web_source(httpserver, "rss", "/cut.xml"))
    assert report.error is None and report.counts["new"] == 1
    assert any("not well-formed" in w for w in report.warnings)


def test_a_sitemap_index_leads_to_the_newest_pages_within_the_limits(httpserver, conn):
    serve_pages(httpserver)
    base = httpserver.url_for("").rstrip("/")
    urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>2024-03-0{n}</lastmod></url>"
                   for n, path in enumerate(["/news/norway-cv90.html", "/news/sweden-archer.html",
                                             "/news/denmark-f16.html"], 1))
    httpserver.expect_request("/sitemap-news.xml").respond_with_data(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        content_type="application/xml")
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>', content_type="application/xml")
    report = ingest_source(conn, HttpClient(POLICY), web_source(httpserver, "sitemap", "/sitemap.xml", max_items=2))
    assert report.counts["new"] == 2
    assert set(stored(conn, "test_sitemap")) == {httpserver.url_for("/news/denmark-f16.html"),
                                                 httpserver.url_for("/news/sweden-archer.html")}  # newest two


def test_a_listing_is_followed_through_its_next_pages_up_to_max_pages(httpserver, conn):
    serve_pages(httpserver)

    def listing(links, next_page=None):
        items = "".join(f'<li class="teaser"><a href="{path}">{title}</a></li>' for path, title in links)
        more = f'<a rel="next" href="{next_page}">Older</a>' if next_page else ""
        return (f'<html><body><nav><a href="/about">About</a></nav><ul>{items}</ul>{more}'
                f'<a href="/news/weather.html">Most read</a></body></html>')

    httpserver.expect_request("/news", query_string="page=2").respond_with_data(
        listing(NEWS[1:2], "/news?page=3"), content_type="text/html")
    httpserver.expect_request("/news", query_string="page=3").respond_with_data(
        listing(NEWS[2:], None), content_type="text/html")
    httpserver.expect_request("/news", query_string="").respond_with_data(
        listing(NEWS[:1], "/news?page=2"), content_type="text/html")
    source = web_source(httpserver, "listing", "/news", link_selector="li.teaser a", max_pages=2)
    report = ingest_source(conn, HttpClient(POLICY), source)
    assert report.counts["new"] == 2
    assert "/news/denmark-f16.html" not in bodies_served(httpserver)  # on page 3, beyond max_pages
    assert "/about" not in bodies_served(httpserver)


def test_a_windows_1252_page_and_a_utf8_page_both_keep_their_umlauts(httpserver, conn):
    german = article("Flugabwehr für die Ukraine", "BERLIN, 6. März 2024",
                     "Deutschland liefert weitere Flugabwehrsysteme für die Ukraine im Wert von rund 500 Mio. €.",
                     charset="windows-1252").replace('<meta charset="windows-1252">', "")
    httpserver.expect_request("/de/cp1252.html").respond_with_data(german.encode("cp1252"),
                                                                   content_type="text/html")
    httpserver.expect_request("/de/latin1.html").respond_with_data(
        german.encode("cp1252"), content_type="text/html; charset=ISO-8859-1")
    httpserver.expect_request("/de/utf8.html").respond_with_data(german.encode("utf-8"),
                                                                 content_type="text/html; charset=utf-8")
    for path in ("/de/cp1252.html", "/de/latin1.html", "/de/utf8.html"):
        source = web_source(httpserver, "url", path, id=path)
        assert ingest_source(conn, HttpClient(POLICY), source).counts["new"] == 1
        content, content_type = conn.execute("select content, content_type from raw.documents where url = ?",
                                             [httpserver.url_for(path)]).fetchone()
        text = parse_document(bytes(content), content_type, httpserver.url_for(path)).text
        assert "Flugabwehrsysteme für die Ukraine" in text, path
        assert "500 Mio. €" in text, path


def test_a_non_html_page_is_skipped_with_its_content_type(httpserver, conn):
    httpserver.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7 ...", content_type="application/pdf")
    report = ingest_source(conn, HttpClient(POLICY), web_source(httpserver, "url", "/report.pdf"))
    assert report.counts["skipped"] == 1
    assert "application/pdf" in conn.execute("select error from raw.documents").fetchone()[0]


def test_a_source_that_is_down_reports_its_failure_and_the_next_source_still_runs(httpserver, conn):
    serve_pages(httpserver)
    down = Source(id="down", kind="rss", location="http://127.0.0.1:9/feed.xml", allowed_domains=("127.0.0.1",))
    up = web_source(httpserver, "url", "/news/sweden-archer.html")
    client = HttpClient(POLICY)
    reports = [ingest_source(conn, client, source) for source in (down, up)]
    assert "127.0.0.1:9" in reports[0].error and "does not answer" in reports[0].error
    assert reports[1].error is None and reports[1].counts["new"] == 1


def test_fetch_source_never_raises_for_a_bad_page(httpserver):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(rss(NEWS, base), content_type="application/rss+xml")
    httpserver.expect_request("/news/norway-cv90.html").respond_with_data("gone", status=410)
    httpserver.expect_request("/news/sweden-archer.html").respond_with_data("", status=302,
                                                                            headers={"Location": "/news/sweden-archer.html"})
    serve_pages(httpserver, {"/news/denmark-f16.html": PAGES["/news/denmark-f16.html"]})
    items = list(fetch_source(web_source(httpserver, "rss", "/feed.xml"), HttpClient(POLICY)))
    statuses = [getattr(item, "fetch_status", None) or item.outcome for item in items]
    assert statuses == ["ok", "failed", "failed", "ok"]


def _slow_pages(httpserver, count: int, seconds: float) -> list[tuple[str, str]]:
    import time

    items = []
    for n in range(count):
        path = f"/news/slow-{n}.html"

        def handler(request, n=n):
            time.sleep(seconds)
            return versioned(f"<html><body><article><h1>Aid {n}</h1><p>Norway pledged {n + 2} NASAMS to "
                             f"Ukraine.</p></article></body></html>")(request)

        httpserver.expect_request(path).respond_with_handler(handler)
        items.append((path, f"Norway sends air defence to Ukraine ({n})"))
    return items


def test_a_slow_source_stops_at_its_time_budget_and_keeps_what_it_fetched(httpserver, conn):
    from dataclasses import replace

    base = httpserver.url_for("").rstrip("/")
    items = _slow_pages(httpserver, 10, 0.4)
    httpserver.expect_request("/feed.xml").respond_with_handler(versioned(rss(items, base), "application/rss+xml"))
    source = web_source(httpserver, "rss", "/feed.xml", keywords=())
    report = ingest_source(conn, HttpClient(replace(POLICY, max_seconds_per_source=1.0)), source)
    assert report.error is None, report.error  # a budget stop is no failure: the night goes on
    assert report.stopped and "over its time budget" in report.stopped and "next run" in report.stopped
    kept = [url for url, status in stored(conn, source.id).items() if status == "ok" and "slow-" in url]
    assert 1 <= len(kept) < 10, kept  # what came before the budget ran out is stored


def test_a_source_after_the_runs_deadline_is_not_fetched(httpserver, conn):
    import time

    serve_pages(httpserver)
    source = web_source(httpserver, "url", "/news/norway-cv90.html")
    report = ingest_source(conn, HttpClient(POLICY), source, run_deadline=time.monotonic() - 1)
    assert report.error is None
    assert report.stopped == "not fetched: the run's time budget was spent on the sources before it"
    assert not httpserver.log and stored(conn, source.id) == {}
