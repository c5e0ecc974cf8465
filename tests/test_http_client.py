"""The HTTP client against a real server on 127.0.0.1 (pytest-httpserver): validators and 304,
retries, Retry-After, timeouts, redirects, robots.txt, body limits, content types, gzip."""
import gzip
import time

import pytest
from werkzeug.wrappers import Response

from scrapers.fetching.http_client import HttpClient, normalize_url
from scrapers.fetching.sources import HttpPolicy
from tests.web.site import PAGES, sequence, slow, versioned

FAST = HttpPolicy(min_interval_seconds=0, retries=2, backoff_seconds=0.05, max_backoff_seconds=0.2,
                  timeout_seconds=2)


@pytest.fixture
def client():
    return HttpClient(FAST)


@pytest.fixture(autouse=True)
def unknown_paths_are_404(httpserver):
    """A real site answers 404 for what it does not have (pytest-httpserver's default is 500)."""
    httpserver.no_handler_status_code = 404


def requests_to(httpserver, path):
    return [(req, resp) for req, resp in httpserver.log if req.path == path]


def test_a_page_comes_with_its_validators_and_a_descriptive_user_agent(httpserver, client):
    httpserver.expect_request("/news/norway-cv90.html").respond_with_handler(versioned(PAGES["/news/norway-cv90.html"]))
    response = client.get(httpserver.url_for("/news/norway-cv90.html"))
    assert response.outcome == "ok" and response.status == 200
    assert b"14 CV90 infantry fighting vehicles" in response.content
    assert response.etag and response.last_modified
    request, _ = requests_to(httpserver, "/news/norway-cv90.html")[0]
    assert request.headers["User-Agent"].startswith("ukraine-aid-pledges/")
    assert "research" in request.headers["User-Agent"] or "warehouse" in request.headers["User-Agent"]


def test_a_conditional_request_for_an_unchanged_page_gets_304_and_no_body(httpserver, client):
    httpserver.expect_request("/p.html").respond_with_handler(versioned("<p>Same text as before.</p>"))
    first = client.get(httpserver.url_for("/p.html"))
    second = client.get(httpserver.url_for("/p.html"), etag=first.etag, last_modified=first.last_modified)
    assert second.outcome == "not_modified" and second.status == 304 and second.content == b""
    assert [resp.status_code for _, resp in requests_to(httpserver, "/p.html")] == [200, 304]
    assert requests_to(httpserver, "/p.html")[1][0].headers["If-None-Match"] == first.etag
    assert client.stats.bodies == 1 and client.stats.not_modified == 1


def test_if_modified_since_is_used_when_the_server_gives_no_etag(httpserver, client):
    httpserver.expect_request("/lm.html").respond_with_handler(versioned("<p>Dated only.</p>", etag=False))
    first = client.get(httpserver.url_for("/lm.html"))
    assert first.etag is None and first.last_modified
    second = client.get(httpserver.url_for("/lm.html"), last_modified=first.last_modified)
    assert second.outcome == "not_modified"


def test_a_server_error_is_retried_until_it_succeeds(httpserver, client):
    handler = sequence(Response("oops", status=500), Response("<p>Now it works.</p>", content_type="text/html"))
    httpserver.expect_request("/flaky.html").respond_with_handler(handler)
    response = client.get(httpserver.url_for("/flaky.html"))
    assert response.outcome == "ok" and b"Now it works" in response.content
    assert response.attempts == 2 and client.stats.retries == 1


def test_a_server_that_keeps_failing_is_given_up_with_the_reason(httpserver, client):
    httpserver.expect_request("/down.html").respond_with_data("no", status=503)
    response = client.get(httpserver.url_for("/down.html"))
    assert response.outcome == "failed" and response.status == 503
    assert "HTTP 503" in response.error and "gave up after 3 attempts" in response.error
    assert len(requests_to(httpserver, "/down.html")) == 3


def test_429_with_retry_after_waits_as_long_as_asked(httpserver, client):
    handler = sequence(Response("slow down", status=429, headers={"Retry-After": "1"}),
                       Response("<p>Thank you for waiting.</p>", content_type="text/html"))
    httpserver.expect_request("/limited.html").respond_with_handler(handler)
    started = time.monotonic()
    response = client.get(httpserver.url_for("/limited.html"))
    assert response.outcome == "ok"
    assert time.monotonic() - started >= 1.0
    assert client.stats.waited_seconds >= 1.0


def test_a_retry_after_beyond_the_limit_fails_at_once_instead_of_hanging(httpserver, client):
    httpserver.expect_request("/later.html").respond_with_data("come back tomorrow", status=503,
                                                               headers={"Retry-After": "86400"})
    started = time.monotonic()
    response = client.get(httpserver.url_for("/later.html"))
    assert response.outcome == "failed" and "86400 s" in response.error
    assert time.monotonic() - started < 2


def test_a_page_that_does_not_answer_in_time_fails_as_a_timeout(httpserver):
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=1, backoff_seconds=0.05, timeout_seconds=0.5))
    httpserver.expect_request("/slow.html").respond_with_handler(slow(1.5))
    started = time.monotonic()
    response = client.get(httpserver.url_for("/slow.html"))
    assert response.outcome == "failed" and "timed out" in response.error
    assert response.attempts == 2
    assert time.monotonic() - started < 6


def test_a_redirect_loop_is_detected_and_reported(httpserver, client):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    response = client.get(httpserver.url_for("/a"))
    assert response.outcome == "failed" and "redirect loop" in response.error
    assert len(requests_to(httpserver, "/a")) == 1 and len(requests_to(httpserver, "/b")) == 1


def test_redirects_are_followed_up_to_the_limit(httpserver, client):
    for n in range(8):
        httpserver.expect_request(f"/hop{n}").respond_with_data("", status=302, headers={"Location": f"/hop{n + 1}"})
    httpserver.expect_request("/hop2-target").respond_with_data("<p>x</p>", content_type="text/html")
    assert client.get(httpserver.url_for("/hop0")).error.startswith("more than 5 redirects")
    httpserver.expect_request("/short").respond_with_data("", status=302, headers={"Location": "/hop2-target"})
    assert client.get(httpserver.url_for("/short")).outcome == "ok"


def test_a_redirect_off_the_allowed_domains_is_not_followed(httpserver, client):
    httpserver.expect_request("/away").respond_with_data(
        "", status=302, headers={"Location": "http://elsewhere.invalid/page"})
    response = client.get(httpserver.url_for("/away"), allowed=lambda url: "127.0.0.1" in url)
    assert response.outcome == "skipped" and "allowed domains" in response.error


def test_robots_txt_disallow_is_respected_without_requesting_the_page(httpserver):
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0))
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    httpserver.expect_request("/private/plans.html").respond_with_data("<p>secret</p>", content_type="text/html")
    httpserver.expect_request("/public.html").respond_with_data("<p>open</p>", content_type="text/html")
    blocked = client.get(httpserver.url_for("/private/plans.html"))
    allowed = client.get(httpserver.url_for("/public.html"))
    assert blocked.outcome == "skipped" and "robots.txt" in blocked.error
    assert allowed.outcome == "ok"
    assert not requests_to(httpserver, "/private/plans.html")
    assert len(requests_to(httpserver, "/robots.txt")) == 1  # read once per host and run


ROBOTS_9309 = """User-agent: *
Disallow: /*.pdf$
Disallow: /news/*/draft
Disallow: /archive/
Allow: /archive/public/
Allow: /reports
Disallow: /reports/internal
"""


@pytest.mark.parametrize("path, allowed", [
    ("/files/briefing.pdf", False),          # a wildcard and '$' (the end of the address)
    ("/files/briefing.pdf.html", True),      # '$': only addresses that end there
    ("/news/2024/draft-package.html", False),  # a wildcard inside the path
    ("/news/2024/final-package.html", True),
    ("/archive/old.html", False),
    ("/archive/public/release.html", True),  # the longer Allow beats the shorter Disallow
    ("/reports/internal/memo.html", False),  # the longer Disallow beats the shorter Allow
    ("/reports/annual.html", True),
])
def test_robots_txt_follows_rfc_9309_wildcards_end_anchors_and_longest_match(httpserver, path, allowed):
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0))
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS_9309, content_type="text/plain")
    httpserver.expect_request(path).respond_with_data("<p>page</p>", content_type="text/html")
    response = client.get(httpserver.url_for(path))
    assert (response.outcome == "ok") is allowed, (path, response.outcome, response.error)
    assert bool(requests_to(httpserver, path)) is allowed


def test_a_missing_robots_txt_allows_everything(httpserver):
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0))
    httpserver.expect_request("/open.html").respond_with_data("<p>open</p>", content_type="text/html")
    assert client.get(httpserver.url_for("/open.html")).outcome == "ok"
    assert [resp.status_code for _, resp in requests_to(httpserver, "/robots.txt")] == [404]


def test_an_unreachable_robots_txt_means_nothing_is_fetched_from_that_host(httpserver):
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0))
    httpserver.expect_request("/robots.txt").respond_with_data("broken", status=500)
    httpserver.expect_request("/page.html").respond_with_data("<p>x</p>", content_type="text/html")
    response = client.get(httpserver.url_for("/page.html"))
    assert response.outcome == "skipped" and "robots.txt answered HTTP 500" in response.error
    assert not requests_to(httpserver, "/page.html")


def test_crawl_delay_and_the_host_interval_space_requests_out(httpserver):
    client = HttpClient(HttpPolicy(min_interval_seconds=0.3, retries=0, respect_robots=False))
    httpserver.expect_request("/tick").respond_with_data("<p>t</p>", content_type="text/html")
    started = time.monotonic()
    for _ in range(3):
        client.get(httpserver.url_for("/tick"))
    assert time.monotonic() - started >= 0.6


def test_a_50_mb_body_is_refused_by_its_declared_length(httpserver, client):
    big = b"a" * (50 * 1024 * 1024)
    httpserver.expect_request("/huge.html").respond_with_data(big, content_type="text/html")
    response = client.get(httpserver.url_for("/huge.html"))
    assert response.outcome == "failed" and "over the 10,485,760-byte limit" in response.error
    assert client.stats.bytes == 0


def test_a_50_mb_body_without_a_length_is_cut_off_at_the_limit(httpserver, client):
    chunk = b"b" * (1024 * 1024)

    def streamed(request):
        return Response((chunk for _ in range(50)), content_type="text/html")

    httpserver.expect_request("/stream.html").respond_with_handler(streamed)
    response = client.get(httpserver.url_for("/stream.html"))
    assert response.outcome == "failed" and "stopped reading" in response.error
    assert response.content == b""


def test_a_gzip_body_is_inflated_and_the_limit_applies_after_inflation(httpserver):
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0, max_bytes=100_000, respect_robots=False))
    page = PAGES["/news/sweden-archer.html"].encode()
    httpserver.expect_request("/gz.html").respond_with_data(
        gzip.compress(page), headers={"Content-Encoding": "gzip"}, content_type="text/html")
    httpserver.expect_request("/bomb.html").respond_with_data(
        gzip.compress(b"x" * 5_000_000), headers={"Content-Encoding": "gzip"}, content_type="text/html")
    assert client.get(httpserver.url_for("/gz.html")).content == page
    bomb = client.get(httpserver.url_for("/bomb.html"))
    assert bomb.outcome == "failed" and "limit" in bomb.error


def test_a_content_type_that_is_not_a_page_is_skipped_before_its_body_is_read(httpserver, client):
    httpserver.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7" + b"0" * 100_000,
                                                               content_type="application/pdf")
    response = client.get(httpserver.url_for("/report.pdf"), accept_types=("text/html", "text/plain"))
    assert response.outcome == "skipped" and "application/pdf" in response.error
    assert client.stats.bodies == 0


def test_only_http_and_https_addresses_are_fetched(client):
    assert client.get("ftp://example.org/file").outcome == "skipped"
    assert client.get("file:///etc/passwd").outcome == "skipped"
    assert normalize_url("mailto:press@example.org") is None
    assert normalize_url("/news/a b.html#top", "http://example.org/x/") == "http://example.org/news/a%20b.html"


def test_an_unreachable_host_fails_with_the_reason_after_retries(client):
    response = client.get("http://127.0.0.1:9/nothing-listens-here")
    assert response.outcome == "failed" and "does not answer" in response.error
    assert "Connection refused" in response.error


def _drip_body(request):
    def one_byte_at_a_time():
        for _ in range(100):
            yield b"x"
            time.sleep(0.1)
    return Response(one_byte_at_a_time(), content_type="text/html")


def test_a_body_sent_a_byte_at_a_time_is_cut_at_the_response_budget(httpserver):
    httpserver.expect_request("/drip.html").respond_with_handler(_drip_body)
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0, respect_robots=False, timeout_seconds=0.5))
    started = time.monotonic()
    response = client.get(httpserver.url_for("/drip.html"))
    elapsed = time.monotonic() - started
    assert response.outcome == "failed" and "within 2 s" in response.error, response
    assert elapsed < 4, elapsed  # the whole body would take 10 s


def test_headers_sent_a_byte_at_a_time_are_cut_at_the_response_budget():
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        connection, _ = server.accept()
        with connection:
            connection.recv(4096)
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Slow: " + b"a" * 200:
                if stop.is_set():
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.05)

    threading.Thread(target=serve, daemon=True).start()
    client = HttpClient(HttpPolicy(min_interval_seconds=0, retries=0, respect_robots=False, timeout_seconds=0.5))
    started = time.monotonic()
    try:
        response = client.get(f"http://127.0.0.1:{server.getsockname()[1]}/page.html")
    finally:
        stop.set()
        server.close()
    assert response.outcome == "failed" and "within 2 s" in response.error, response
    assert time.monotonic() - started < 4
