"""Finding article links: in RSS 2.0 / RSS 1.0 / Atom feeds, XML sitemaps and HTML listing pages.

Pure functions over bytes; fetching is elsewhere. Feeds and sitemaps are parsed with external
entities and network access off. A feed that is not well-formed but still yields items is used,
with a warning; one that yields nothing is an error naming the line.
"""
from __future__ import annotations

import email.utils
import gzip
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import soupsieve
from bs4 import BeautifulSoup
from lxml import etree

from scrapers.fetching.http_client import normalize_url

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
SLUG_WORDS_TO_JUDGE = 5  # a title-less link is filtered on its address only when that reads like a headline


class DiscoveryError(ValueError):
    """An index page (feed, sitemap, listing) from which no links can be read."""


@dataclass(frozen=True)
class Link:
    url: str
    title: str = ""
    summary: str = ""
    updated: datetime | None = None  # naive UTC; when the index says the page last changed


@dataclass(frozen=True)
class IndexContent:
    links: tuple[Link, ...]
    follow: tuple[str, ...] = ()  # further index pages: child sitemaps, the next listing page
    warnings: tuple[str, ...] = ()


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _xml_root(content: bytes, what: str) -> tuple[etree._Element, tuple[str, ...]]:
    content = content.lstrip()
    strict = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(content, strict), ()
    except etree.XMLSyntaxError as exc:
        problem = f"{what} is not well-formed XML ({exc})"
    lenient = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(content, lenient)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise DiscoveryError(f"malformed {what}: {problem}")
    return root, (problem,)


def _text(element, *names: str) -> str:
    for child in element:
        if _local(child.tag) in names and (child.text or "").strip():
            return re.sub(r"\s+", " ", "".join(child.itertext())).strip()
    return ""


def _when(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)  # RSS: RFC 822
    except (TypeError, ValueError):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))  # Atom, sitemaps: ISO 8601
        except ValueError:
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _strip_markup(text: str) -> str:
    if "<" not in text:
        return text
    return re.sub(r"\s+", " ", BeautifulSoup(text, "lxml").get_text(" ")).strip()


def feed_links(content: bytes, base_url: str) -> IndexContent:
    """Items of an RSS 2.0, RSS 1.0 or Atom feed, in feed order."""
    root, warnings = _xml_root(content, "feed")
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise DiscoveryError(f"not an RSS or Atom feed: the document's root element is <{_local(root.tag)}>")
    links = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        if name == "entry":
            candidates = [c for c in item if _local(c.tag) == "link" and c.get("href")]
            alternate = [c for c in candidates if c.get("rel", "alternate") == "alternate"] or candidates
            href = alternate[0].get("href") if alternate else ""
        else:
            href = _text(item, "link")
            if not href:
                guid = [c for c in item if _local(c.tag) == "guid" and c.get("isPermaLink", "true") != "false"]
                href = (guid[0].text or "").strip() if guid else ""
        url = normalize_url(href, base_url)
        if url is None:
            continue
        links.append(Link(url=url, title=_strip_markup(_text(item, "title")),
                          summary=_strip_markup(_text(item, "description", "summary", "content"))[:1000],
                          updated=_when(_text(item, "updated", "pubdate", "published", "date", "modified"))))
    if warnings and not links:
        raise DiscoveryError(f"malformed feed: {warnings[0]}")
    return IndexContent(links=tuple(links), warnings=tuple(w + f"; {len(links)} items recovered" for w in warnings))


def sitemap_links(content: bytes, base_url: str) -> IndexContent:
    """Pages of a sitemap (newest first when it gives dates) or the child sitemaps of an index."""
    if content[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as unzipped:
                content = unzipped.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise DiscoveryError(f"the gzipped sitemap is corrupt: {exc}") from None
        if len(content) > MAX_SITEMAP_BYTES:
            raise DiscoveryError("the sitemap is larger than 50 MB uncompressed")
    root, warnings = _xml_root(content, "sitemap")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"not a sitemap: the document's root element is <{kind}>")
    entries = [e for e in root if _local(e.tag) in ("url", "sitemap")]
    found = []
    for entry in entries:
        url = normalize_url(_text(entry, "loc"), base_url)
        if url is None:
            continue
        news = [c for c in entry if _local(c.tag) == "news"]
        title = _text(news[0], "title") if news else ""
        updated = _when(_text(entry, "lastmod") or (_text(news[0], "publication_date") if news else ""))
        found.append(Link(url=url, title=title, updated=updated))
    found.sort(key=lambda link: link.updated or datetime.min, reverse=True)
    if kind == "sitemapindex":
        return IndexContent(links=(), follow=tuple(link.url for link in found), warnings=warnings)
    return IndexContent(links=tuple(found), warnings=warnings)


def listing_links(content: bytes, base_url: str, link_selector: str, next_selector: str | None,
                  content_type: str | None = None) -> IndexContent:
    """Article links of an HTML index page, in page order, and its next page if any."""
    declared = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    soup = BeautifulSoup(content, "lxml", from_encoding=declared.group(1) if declared else None)
    try:
        selected = soup.select(link_selector)
        following = soup.select_one(next_selector) if next_selector else None
    except soupsieve.SelectorSyntaxError as exc:
        raise DiscoveryError(f"invalid CSS selector: {exc}") from None
    links, seen = [], set()
    for element in selected:
        anchor = element if element.name == "a" and element.get("href") else element.find("a", href=True)
        if anchor is None:
            continue
        url = normalize_url(anchor["href"], base_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        links.append(Link(url=url, title=re.sub(r"\s+", " ", anchor.get_text(" ")).strip()))
    follow = ()
    if following is not None:
        anchor = following if following.get("href") else following.find("a", href=True)
        nxt = normalize_url(anchor["href"], base_url) if anchor is not None else None
        follow = (nxt,) if nxt else ()
    if not selected:
        return IndexContent(links=(), follow=follow,
                            warnings=(f"the link selector {link_selector!r} matched nothing on {base_url}",))
    return IndexContent(links=tuple(links), follow=follow)


def on_topic(link: Link, keywords: tuple[str, ...]) -> bool:
    """Whether a link looks like it is about the subject: a keyword (a word prefix, any case) in
    its title, summary or address. A link with too few words to judge by is kept: an address
    like /news/article/3456789 says nothing either way."""
    if not keywords:
        return True
    slug = re.sub(r"[^\w]+|\d+|_", " ", link.url.split("://", 1)[-1].split("/", 1)[-1]).strip()
    described = bool(re.search(r"[^\W\d_]{3,}", f"{link.title} {link.summary}"))
    if not described and len(re.findall(r"[^\W\d_]{3,}", slug)) < SLUG_WORDS_TO_JUDGE:
        return True
    text = f"{link.title} {link.summary} {slug}".lower()
    return any(re.search(r"(?<!\w)" + re.escape(keyword), text) for keyword in keywords)
