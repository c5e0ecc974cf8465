"""Sources, fetching (a folder and a page served on 127.0.0.1) and parsing pages into articles."""
import http.server
import threading
from datetime import date

import pytest

from scrapers.fetching.fetch import fetch_source
from scrapers.parsing.parse import ParseError, parse_document
from scrapers.fetching.sources import Source, SourceError, folder_sources, load_registry


@pytest.fixture
def local_server():
    pages = {
        "/release": (200, "text/html; charset=windows-1252",
                     "<html lang='de'><body><article><h1>Paket für die Ukraine</h1>"
                     "<p>Die Bundesregierung stellt weitere Flugabwehr zur Verfügung, so das Ministerium für "
                     "Verteidigung.</p></article></body></html>".encode("windows-1252")),
        "/missing": (404, "text/html", b"gone"),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, content_type, body = pages.get(self.path, (404, "text/plain", b""))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_registry_errors_are_specific(tmp_path):
    bad = tmp_path / "registry.yaml"
    bad.write_text("sources:\n  - id: a\n    kind: ftp\n")
    with pytest.raises(SourceError, match="kind must be one of"):
        load_registry(bad)
    bad.write_text("sources:\n  - id: a\n    kind: url\n    url: file:///etc/passwd\n")
    with pytest.raises(SourceError, match="http"):
        load_registry(bad)
    with pytest.raises(SourceError, match="not found"):
        load_registry(tmp_path / "nope.yaml")
    with pytest.raises(SourceError, match="does not exist"):
        folder_sources([str(tmp_path / "nope")])


def test_default_registry_reads_the_bundled_sample():
    enabled = load_registry().enabled()
    assert [s.kind for s in enabled] == ["folder"]
    pages = list(fetch_source(enabled[0]))
    assert len(pages) >= 12 and all(p.fetch_status == "ok" for p in pages)


def test_url_source_over_http(local_server):
    [page] = fetch_source(Source("local", "url", f"{local_server}/release"))
    assert page.fetch_status == "ok" and page.http_status == 200
    article = parse_document(page.content, page.content_type, page.url)
    assert article.title == "Paket für die Ukraine"
    assert "Verfügung" in article.text and article.language == "de"
    [missing] = fetch_source(Source("local", "url", f"{local_server}/missing"))
    assert missing.fetch_status == "failed" and missing.http_status == 404 and "404" in missing.error


def test_unreachable_url_is_a_failed_document():
    [page] = fetch_source(Source("down", "url", "http://127.0.0.1:9/nothing"))
    assert page.fetch_status == "failed" and page.error


def test_parse_finds_date_title_and_main_text():
    html = b"""<html lang="en"><head><title>Site | Release</title>
    <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-19T10:00:00Z"}</script>
    </head><body><nav>Home News</nav><article><h1>Release title</h1>
    <figure><img src="x.jpg"><figcaption>A launcher fires (photo by someone)</figcaption></figure>
    <p>First paragraph.</p><ul><li>Item one;</li><li>Item two.</li></ul></article>
    <footer>Share this page</footer></body></html>"""
    article = parse_document(html, "text/html", "https://example.org/r")
    assert article.title == "Release title"
    assert article.published_date == date(2024, 3, 19)
    assert article.text.split("\n\n") == ["Release title", "First paragraph.", "Item one;", "Item two."]


def test_parse_reads_a_visible_dateline_and_plain_text():
    article = parse_document(b"Aid news\n\nWASHINGTON, May 10, 2024 - The package was announced.\n",
                             "text/plain", "file:///x.txt")
    assert article.title == "Aid news" and article.published_date == date(2024, 5, 10)


@pytest.mark.parametrize("content, content_type", [(b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
                                                   (b"\x00\x01binary", None),
                                                   (b"<html><body><nav>only nav</nav></body></html>", "text/html")])
def test_unreadable_pages_raise_parse_error(content, content_type):
    with pytest.raises(ParseError):
        parse_document(content, content_type, "x")


def test_a_folder_page_over_the_size_limit_is_stored_as_failed_and_the_rest_is_read(tmp_path):
    from scrapers.fetching.http_client import HttpClient
    from scrapers.fetching.sources import HttpPolicy

    (tmp_path / "small.html").write_text("<html><body><p>Norway pledged 2 NASAMS.</p></body></html>")
    (tmp_path / "huge.html").write_bytes(b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>")
    [source] = folder_sources([str(tmp_path)])
    client = HttpClient(HttpPolicy(max_bytes=1_000_000))
    pages = {doc.url.rsplit("/", 1)[1]: doc for doc in fetch_source(source, client)}
    assert pages["small.html"].fetch_status == "ok"
    assert pages["huge.html"].fetch_status == "failed" and not pages["huge.html"].content
    assert "over the limit of 1,000,000 bytes" in pages["huge.html"].error
