"""From page bytes to an Article: title, date, language, publisher and the main text.

The text keeps one paragraph (or list item) per block, separated by blank lines, so that the
character spans of extracted records point at the sentence a reader sees. Which part of a page is
the article is decided in scrapers/parsing/main_content.py, by a site adapter or the generic
extractor, from the rules in scrapers/data/site_adapters.yaml; how its bytes become text, in
scrapers/parsing/charset.py.
"""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from scrapers.parsing.charset import decode_page
from scrapers.dates import parse_date, parse_datetime_attr
from scrapers.parsing.main_content import (GENERIC_VERSION, adapter_date, clean_text, load_rules, main_content,
                                   unique_blocks)
from scrapers.models import Article

# Stored with every parsed page; a page parsed under another version is parsed again. It changes
# with the generic extractor's code and with any edit of the adapters file.
PARSER_VERSION = f"parse-{GENERIC_VERSION}-{load_rules().digest}"
PLAIN_TEXT_PARSER = f"plain-{GENERIC_VERSION}"
DATE_META = [("property", "article:published_time"), ("property", "og:published_time"),
             ("name", "article:published_time"), ("name", "date"), ("name", "pubdate"),
             ("name", "publish-date"), ("name", "dc.date"), ("name", "DC.date.issued"),
             ("itemprop", "datePublished"), ("name", "citation_date")]
GERMAN_WORDS = {"der", "die", "das", "und", "nicht", "mit", "für", "von", "wird", "ist", "eine", "den", "im", "zur"}
ENGLISH_WORDS = {"the", "and", "of", "to", "is", "will", "with", "for", "that", "has", "in", "an"}
DATELINE_CHARS = 300
TEXT_KINDS = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class ParseError(ValueError):
    """A page with nothing readable in it."""


def parse_document(content: bytes, content_type: str | None, url: str, adapter: str | None = None,
                   language: str | None = None) -> Article:
    """Parse a fetched page. `adapter` names a site adapter of scrapers/data/site_adapters.yaml
    (None or "generic": the generic extractor); `language` is used when the page does not say.
    Raises ValueError for an unknown adapter and ParseError when there is no readable text."""
    site = load_rules().adapter(adapter)
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind and kind not in TEXT_KINDS:
        raise ParseError(f"not a text page (content type {kind})")
    decoded = decode_page(content, content_type)
    if not decoded.encoding.startswith("utf-16") and b"\x00" in content[:2048]:
        raise ParseError("binary content, not a text page")
    text = decoded.text
    if kind == "text/plain" or (not kind and not re.search(r"<\s*(html|body|p|div)\b", text[:4096], re.I)):
        return _parse_plain(text, language)
    return _parse_html(text, site, language)


def _parse_plain(text: str, language: str | None = None) -> Article:
    lines = [clean_text(line) for line in text.splitlines()]
    paragraphs = unique_blocks([line for line in lines if line])
    if not paragraphs:
        raise ParseError("the page has no text")
    title = paragraphs[0] if len(paragraphs[0]) < 160 and not paragraphs[0].endswith(".") else ""
    body = "\n\n".join(paragraphs)
    return Article(title=title, text=body, published_date=parse_date(body[:DATELINE_CHARS]),
                   language=_language_code(language) or _guess_language(body), publisher=None,
                   parser=PLAIN_TEXT_PARSER)


def _parse_html(markup: str, site, language: str | None = None) -> Article:
    soup = BeautifulSoup(markup, "lxml")
    published = adapter_date(soup, site) or _metadata_date(soup)
    any_time = _time_date(soup)
    page_language = _language_code(soup.html.get("lang") if soup.html else None)
    publisher = _meta(soup, "property", "og:site_name") or (site.publisher if site else None)
    page_title = clean_text(soup.title.get_text()) if soup.title else ""
    content = main_content(soup, site, page_title)  # clears page furniture out of the soup
    if not content.blocks:
        raise ParseError("the page has no readable paragraphs")
    body = "\n\n".join(content.blocks)
    # A <time> of the article itself before the visible dateline; one in a related-stories box or
    # the footer only when nothing else gives a date.
    published = published or _time_date(soup) or parse_date(body[:DATELINE_CHARS]) or any_time
    return Article(title=content.title or page_title, text=body, published_date=published,
                   language=page_language or _language_code(language) or _guess_language(body),
                   publisher=publisher, parser=content.parser)


def _language_code(value: str | None) -> str | None:
    """The language of a tag such as "de-DE" ("de"), or None when there is nothing usable."""
    code = (value if isinstance(value, str) else "").strip().split("-")[0].split("_")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _meta(soup, attr: str, name: str) -> str | None:
    tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(name)}$", re.I)})
    return clean_text(tag["content"]) if tag and tag.get("content") else None


def _metadata_date(soup):
    for attr, name in DATE_META:
        value = parse_datetime_attr(_meta(soup, attr, name))
        if value:
            return value
    for script in soup.find_all("script", type="application/ld+json"):
        value = _json_ld_date(script.string or "")
        if value:
            return value
    return None


def _time_date(soup):
    time_tag = soup.find("time", datetime=True)
    return parse_datetime_attr(time_tag["datetime"]) if time_tag else None


def _json_ld_date(raw: str):
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # JSON nested thousands deep exceeds the decoder's stack
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
