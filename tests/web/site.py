"""A small web site for fetch tests, served by pytest-httpserver on 127.0.0.1: pages with ETag
and Last-Modified validators (answering 304 to conditional requests), feeds, sitemaps, listings
and misbehaving endpoints. Every page and feed here was written for these tests."""
from __future__ import annotations

import hashlib
import time
from email.utils import formatdate

from werkzeug.wrappers import Request, Response

LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def article(title: str, dateline: str, *paragraphs: str, charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"{charset}\"><title>{title}</title></head>"
            f"<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{title}</h1>"
            f"<p>{dateline}</p>{body}</article><footer>Copyright the test site</footer></body></html>")


PAGES = {
    "/news/norway-cv90.html": article(
        "Norway to send infantry fighting vehicles to Ukraine", "OSLO, March 4, 2024",
        "Norway will donate 14 CV90 infantry fighting vehicles to Ukraine, the defence ministry said on Monday.",
        "The vehicles come from Norwegian army stocks and will be delivered over the summer."),
    "/news/sweden-archer.html": article(
        "Sweden pledges artillery and air defence", "STOCKHOLM, March 5, 2024",
        "Sweden pledged 8 Archer howitzers and 2 RBS 70 air defence systems to Ukraine.",
        "The government described the package as its largest so far."),
    "/news/denmark-f16.html": article(
        "Denmark confirms fighter jets", "COPENHAGEN, March 6, 2024",
        "Denmark has agreed to provide 19 F-16 fighter jets to Ukraine over the coming years."),
    "/news/weather.html": article(
        "Spring arrives early", "OSLO, March 7, 2024",
        "Temperatures rose above ten degrees for the first time this year."),
}


def rss(items: list[tuple[str, str]], base: str, dated: bool = False) -> str:
    """An RSS 2.0 feed of (path, title) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><description>{title}.</description>"
        + (f"<pubDate>{formatdate(1_700_000_000 + n * 3600, usegmt=True)}</pubDate>" if dated else "")
        + "</item>" for n, (path, title) in enumerate(items))
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Test news</title>"
            f"<link>{base}/</link><description>Test feed</description>{entries}</channel></rss>")


def atom(items: list[tuple[str, str]], base: str) -> str:
    entries = "".join(
        f"<entry><title>{title}</title><link rel=\"alternate\" href=\"{base}{path}\"/><id>{base}{path}</id>"
        f"<updated>2024-03-0{n + 1}T10:00:00Z</updated><summary>{title}.</summary></entry>"
        for n, (path, title) in enumerate(items))
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>Test news</title><id>{base}/atom</id><updated>2024-03-06T10:00:00Z</updated>{entries}</feed>")


def versioned(body: str | bytes, content_type: str = "text/html; charset=utf-8", etag: bool = True,
              last_modified: bool = True):
    """A handler serving `body` with validators, answering 304 when the request's validators match."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    tag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'

    def handler(request: Request) -> Response:
        headers = {"Content-Type": content_type}
        if etag:
            headers["ETag"] = tag
        if last_modified:
            headers["Last-Modified"] = LAST_MODIFIED
        if (etag and request.headers.get("If-None-Match") == tag) or (
                not etag and last_modified and request.headers.get("If-Modified-Since") == LAST_MODIFIED):
            return Response(status=304, headers={k: v for k, v in headers.items() if k != "Content-Type"})
        return Response(data, status=200, headers=headers)

    return handler


def sequence(*responses: Response | callable):
    """A handler that answers with each response in turn, repeating the last one."""
    calls = {"n": 0}

    def handler(request: Request) -> Response:
        item = responses[min(calls["n"], len(responses) - 1)]
        calls["n"] += 1
        return item(request) if callable(item) and not isinstance(item, Response) else item

    handler.calls = calls
    return handler


def slow(seconds: float, body: str = "<p>late</p>"):
    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return Response(body, content_type="text/html")

    return handler


def bodies_served(httpserver, prefix: str = "") -> list[str]:
    """Paths the server answered with a 200 and a body, in order (the request log)."""
    return [request.path for request, response in httpserver.log
            if response.status_code == 200 and request.path.startswith(prefix) and request.path != "/robots.txt"]
