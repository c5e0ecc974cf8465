"""Getting pages from a source: a folder of saved pages, one address, or the articles an RSS/Atom
feed, a sitemap or a listing page links to.

`fetch_source` yields what it did, in order: an IndexPage for every feed, sitemap or listing page
read, and a FetchedDocument for every article page (fetched, unchanged, skipped with a reason, or
failed with a reason). It never raises for a bad page or an unreachable server (only for a
folder that is not there); what the caller knows of earlier runs comes in through `known`, so
that unchanged pages cost no download.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from scrapers.fetching.discovery import DiscoveryError, IndexContent, Link, feed_links, listing_links, on_topic, sitemap_links
from scrapers.fetching.http_client import HttpClient, Response
from scrapers.models import FetchedDocument
from scrapers.fetching.sources import HttpPolicy, Source, SourceError

PAGE_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class KnownUrl:
    """What earlier runs learnt about an address."""

    etag: str | None = None
    last_modified: str | None = None
    checked_at: datetime | None = None  # the last time its content was fetched or confirmed unchanged
    links: tuple[Link, ...] = ()  # for an index page: the links it had
    follow: tuple[str, ...] = ()  # for an index page: the further index pages it named


@dataclass(frozen=True)
class IndexPage:
    """A feed, sitemap or listing page as read in this run."""

    source_id: str
    url: str
    fetched_at: datetime
    outcome: str  # ok | not_modified | skipped | failed
    links: tuple[Link, ...] = ()
    follow: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()


Known = Callable[[str], "KnownUrl | None"]


def _nothing_known(url: str) -> None:
    return None


def fetch_source(source: Source, client: HttpClient | None = None,
                 known: Known = _nothing_known) -> Iterator[FetchedDocument | IndexPage]:
    """Every page of a source, as documents, preceded by the index pages that listed them."""
    if source.kind == "folder":
        yield from _fetch_folder(source, (client.policy if client else HttpPolicy()).max_bytes)
        return
    client = client or HttpClient(HttpPolicy())
    if source.kind == "url":
        yield _fetch_page(source, client, source.location, known, link=None)
        return
    if source.kind not in ("rss", "sitemap", "listing"):  # the registry refuses other kinds
        raise ValueError(f"unknown source kind {source.kind!r}")
    links: list[Link] = []
    for index in _read_indexes(source, client, known):
        yield index
        links.extend(index.links)
    yield from _fetch_linked(source, client, known, links)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --- index pages ------------------------------------------------------------------------------

def _index_budget(source: Source) -> int:
    """How many index pages one run reads: the feed; the listing and its next pages; the sitemap
    and as many child sitemaps as max_pages allows, newest first."""
    if source.kind == "rss":
        return 1
    return source.max_pages + (1 if source.kind == "sitemap" else 0)


def _read_indexes(source: Source, client: HttpClient, known: Known) -> Iterator[IndexPage]:
    queue, seen, read = [source.location], set(), 0
    while queue and read < _index_budget(source):
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        read += 1
        index = _read_index(source, client, url, known)
        yield index
        if index.outcome in ("ok", "not_modified"):
            queue.extend(u for u in index.follow if source.allows(u) and u not in seen)


def _read_index(source: Source, client: HttpClient, url: str, known: Known) -> IndexPage:
    previous = known(url)
    response = client.get(url, etag=previous.etag if previous else None,
                          last_modified=previous.last_modified if previous else None, allowed=source.allows)
    common = dict(source_id=source.id, url=url, fetched_at=_now(), http_status=response.status)
    if response.outcome == "not_modified" and previous is not None:
        return IndexPage(outcome="not_modified", links=previous.links, follow=previous.follow,
                         etag=response.etag or previous.etag,
                         last_modified=response.last_modified or previous.last_modified, **common)
    if response.outcome != "ok":
        return IndexPage(outcome=response.outcome, error=response.error or "no content", **common)
    try:
        found = _index_content(source, response)
    except DiscoveryError as exc:
        return IndexPage(outcome="failed", error=f"{url}: {exc}", **common)
    return IndexPage(outcome="ok", links=found.links, follow=found.follow, etag=response.etag,
                     last_modified=response.last_modified, warnings=found.warnings, **common)


def _index_content(source: Source, response: Response) -> IndexContent:
    base = response.final_url or response.url
    if source.kind == "rss":
        return feed_links(response.content, base)
    if source.kind == "sitemap":
        return sitemap_links(response.content, base)
    return listing_links(response.content, base, source.link_selector or "a[href]", source.next_selector,
                         response.content_type)


# --- article pages ----------------------------------------------------------------------------

def _fetch_linked(source: Source, client: HttpClient, known: Known, links: list[Link]) -> Iterator[FetchedDocument]:
    """The pages the index pages link to: off-domain and off-topic links recorded as skipped
    (without a request), the rest fetched, at most max_items of them."""
    seen: set[str] = set()
    taken = 0
    for link in links:
        if link.url in seen:
            continue
        seen.add(link.url)
        if not source.allows(link.url):
            yield _document(source, link.url, "skipped", error=f"outside the allowed domains "
                                                                f"({', '.join(source.allowed_domains)})")
        elif not on_topic(link, source.keywords):
            yield _document(source, link.url, "skipped", error="off topic: no keyword in title, summary or address")
        elif taken < source.max_items:
            taken += 1
            yield _fetch_page(source, client, link.url, known, link)


def _fetch_page(source: Source, client: HttpClient, url: str, known: Known, link: Link | None) -> FetchedDocument:
    previous = known(url)
    if previous and link and link.updated and previous.checked_at and link.updated <= previous.checked_at:
        # The index dates the page before our last copy: no request at all.
        return _document(source, url, "not_modified", etag=previous.etag, last_modified=previous.last_modified)
    response = client.get(url, etag=previous.etag if previous else None,
                          last_modified=previous.last_modified if previous else None,
                          allowed=source.allows, accept_types=PAGE_TYPES)
    if response.outcome == "not_modified" and previous is None:
        return _document(source, url, "failed", http_status=304, error="HTTP 304 to an unconditional request")
    return _document(source, url, response.outcome, content=response.content,
                     content_type=response.content_type, http_status=response.status, error=response.error,
                     etag=response.etag or (previous.etag if previous else None),
                     last_modified=response.last_modified or (previous.last_modified if previous else None))


def _document(source: Source, url: str, status: str, **fields) -> FetchedDocument:
    return FetchedDocument(source.id, source.kind, url, _now(), status, parser=source.parser,
                           language=source.language, **fields)


# --- folders ----------------------------------------------------------------------------------

def _fetch_folder(source: Source, max_bytes: int) -> Iterator[FetchedDocument]:
    """Every saved page of a folder. The web's size limit holds here too: a page is text an
    extractor reads in memory, wherever it comes from."""
    folder = Path(source.location)
    if not folder.is_dir():
        raise SourceError(f"source {source.id}: folder does not exist: {folder}")
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file()):
        try:
            size = path.stat().st_size
            if size > max_bytes:
                yield _document(source, path.resolve().as_uri(), "failed",
                                error=f"page of {size:,} bytes is over the limit of {max_bytes:,} bytes")
                continue
            content = path.read_bytes()
        except OSError as exc:
            yield _document(source, path.resolve().as_uri(), "failed", error=f"cannot read {path}: {exc.strerror or exc}")
            continue
        yield _document(source, path.resolve().as_uri(), "ok", content=content,
                        content_type=PAGE_SUFFIXES[path.suffix.lower()])
