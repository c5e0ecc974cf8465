"""From page bytes to an Article: title, date, language, publisher and the main text.

The text keeps one paragraph (or list item) per block, separated by blank lines, so that the
character spans of extracted records point at the sentence a reader sees.
"""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from scrapers.charset import decode_page
from scrapers.dates import parse_date, parse_datetime_attr
from scrapers.models import Article

PARSER_VERSION = "generic-2"  # charset decoding by scrapers/charset.py
BLOCK_TAGS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt"]
DROP_TAGS = ["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "figure",
             "figcaption", "svg", "iframe", "button", "template"]
DATE_META = [("property", "article:published_time"), ("property", "og:published_time"),
             ("name", "article:published_time"), ("name", "date"), ("name", "pubdate"),
             ("name", "publish-date"), ("name", "dc.date"), ("name", "DC.date.issued"),
             ("itemprop", "datePublished"), ("name", "citation_date")]
GERMAN_WORDS = {"der", "die", "das", "und", "nicht", "mit", "für", "von", "wird", "ist", "eine", "den", "im", "zur"}
ENGLISH_WORDS = {"the", "and", "of", "to", "is", "will", "with", "for", "that", "has", "in", "an"}
DATELINE_CHARS = 300


class ParseError(ValueError):
    """A page with nothing readable in it."""


def parse_document(content: bytes, content_type: str | None, url: str) -> Article:
    """Parse a fetched page; raises ParseError when there is no readable text."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind and kind not in ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml"):
        raise ParseError(f"not a text page (content type {kind})")
    decoded = decode_page(content, content_type)
    if not decoded.encoding.startswith("utf-16") and b"\x00" in content[:2048]:
        raise ParseError("binary content, not a text page")
    text = decoded.text
    if kind == "text/plain" or (not kind and not re.search(r"<\s*(html|body|p|div)\b", text[:4096], re.I)):
        return _parse_plain(text)
    return _parse_html(text)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _unique(paragraphs: list[str]) -> list[str]:
    seen, kept = set(), []
    for p in paragraphs:
        if p and p not in seen:
            seen.add(p)
            kept.append(p)
    return kept


def _parse_plain(text: str) -> Article:
    lines = [_clean(line) for line in text.splitlines()]
    paragraphs = _unique([line for line in lines if line])
    if not paragraphs:
        raise ParseError("the page has no text")
    title = paragraphs[0] if len(paragraphs[0]) < 160 and not paragraphs[0].endswith(".") else ""
    body = "\n\n".join(paragraphs)
    return Article(title=title, text=body, published_date=parse_date(body[:DATELINE_CHARS]),
                   language=_guess_language(body), publisher=None, parser=PARSER_VERSION)


def _parse_html(markup: str) -> Article:
    soup = BeautifulSoup(markup, "lxml")
    published = _published_date(soup)
    language = ((soup.html.get("lang") if soup.html else None) or "").split("-")[0].lower()
    publisher = _meta(soup, "property", "og:site_name")
    title = _clean(soup.title.get_text()) if soup.title else ""
    for tag in soup(DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup
    paragraphs = _blocks(root)
    if not paragraphs:
        raise ParseError("the page has no readable paragraphs")
    h1 = root.find("h1")
    if h1 and _clean(h1.get_text()):
        title = _clean(h1.get_text())
    body = "\n\n".join(paragraphs)
    if published is None:
        published = parse_date(body[:DATELINE_CHARS])
    return Article(title=title, text=body, published_date=published,
                   language=language or _guess_language(body), publisher=publisher, parser=PARSER_VERSION)


def _blocks(root) -> list[str]:
    """Text of block elements, innermost first so a <li> holding a <p> is not read twice."""
    blocks = []
    for element in root.find_all(BLOCK_TAGS):
        if element.find(BLOCK_TAGS):
            continue
        blocks.append(_clean(element.get_text(" ")))
    if not blocks:  # pages without block markup: split the visible text on line breaks
        blocks = [_clean(line) for line in root.get_text("\n").splitlines()]
    return _unique([re.sub(r"\s+([,.;:!?])", r"\1", b) for b in blocks])


def _meta(soup, attr: str, name: str) -> str | None:
    tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(name)}$", re.I)})
    return _clean(tag["content"]) if tag and tag.get("content") else None


def _published_date(soup):
    for attr, name in DATE_META:
        value = parse_datetime_attr(_meta(soup, attr, name))
        if value:
            return value
    for script in soup.find_all("script", type="application/ld+json"):
        value = _json_ld_date(script.string or "")
        if value:
            return value
    time_tag = soup.find("time", datetime=True)
    return parse_datetime_attr(time_tag["datetime"]) if time_tag else None


def _json_ld_date(raw: str):
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("datePublished"):
                return parse_datetime_attr(str(node["datePublished"]))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _guess_language(text: str) -> str:
    words = re.findall(r"[a-zäöüß]+", text[:5000].lower())
    german = sum(w in GERMAN_WORDS for w in words)
    english = sum(w in ENGLISH_WORDS for w in words)
    return "de" if german > english else "en"
