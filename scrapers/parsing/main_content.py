"""The readable part of an HTML page: which elements hold the article, what page furniture to drop,
and where a site writes its headline and date.

Two ways in, both driven by scrapers/data/site_adapters.yaml:
- a site adapter names the content elements of one site's layout by CSS selector, with the
  site's title and date sources and its own furniture to drop;
- the generic extractor drops furniture by tag, role and class/id pattern, then takes <article>,
  <main> or role=main when it holds a fair share of the page's paragraph text, and otherwise the
  element with the most paragraph text (with sibling blocks that read as part of it).
An adapter whose selectors find no text hands over to the generic extractor.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable

import soupsieve
import yaml
from bs4 import BeautifulSoup, Tag

from scrapers.dates import parse_date, parse_datetime_attr

ADAPTERS_FILE = Path(__file__).resolve().parents[1] / "data" / "site_adapters.yaml"
GENERIC = "generic"
GENERIC_VERSION = 2  # raise when the generic extractor's code changes what it extracts
BLOCK_TAGS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt"]
BLOCK_TAG_SET = frozenset(BLOCK_TAGS)
FURNITURE_MAX_SHARE = 0.5  # a pattern never drops an element holding more of the page's text than this
PROSE_MIN_CHARS = 80
ADAPTER_FIELDS = {"version", "description", "publisher", "content", "lead", "drop", "title", "dates"}


class AdapterConfigError(ValueError):
    """The adapters file is malformed; the message names the adapter and the field."""


@dataclass(frozen=True)
class DateSource:
    kind: str  # meta | css
    value: str  # a meta name, or a CSS selector


@dataclass(frozen=True)
class SiteAdapter:
    name: str
    version: int
    content: tuple[str, ...]
    lead: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    dates: tuple[DateSource, ...] = ()
    publisher: str | None = None
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}"


@dataclass(frozen=True)
class GenericRules:
    strip_tags: tuple[str, ...]
    boilerplate_tags: frozenset[str]
    small_furniture_tags: frozenset[str]  # furniture unless they hold most of the page (ASP.NET's <form>)
    header_tags: frozenset[str]
    caption_tags: frozenset[str]
    boilerplate_roles: frozenset[str]
    furniture_name: re.Pattern  # class names and ids of furniture and captions
    semantic_min_share: float
    sibling_min_share: float

    @property
    def label(self) -> str:
        return f"{GENERIC}-{GENERIC_VERSION}"


@dataclass(frozen=True)
class ExtractionRules:
    generic: GenericRules
    adapters: dict[str, SiteAdapter]
    digest: str  # of the adapters file, so that a change to it re-parses stored pages

    def adapter(self, name: str | None) -> SiteAdapter | None:
        """The adapter of that name; None for the generic extractor (no name, or "generic")."""
        if name is None or name.strip().lower() in ("", GENERIC):
            return None
        try:
            return self.adapters[name.strip().lower()]
        except KeyError:
            known = ", ".join([GENERIC] + sorted(self.adapters))
            raise ValueError(f"unknown site adapter {name!r}; known adapters: {known} "
                             f"(defined in {ADAPTERS_FILE.name})") from None


@dataclass
class MainContent:
    blocks: list[str]  # paragraphs and list items, in reading order, each once
    title: str | None  # the headline element's text; None when the page has no headline element
    parser: str  # which adapter (or generic) found the text, with its version


# --- loading the rules -------------------------------------------------------------------------

@lru_cache(maxsize=4)
def load_rules(path: Path = ADAPTERS_FILE) -> ExtractionRules:
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        raise AdapterConfigError(f"{path} is not valid YAML: {exc}") from None
    generic = _generic_rules(data.get("generic") or {}, path)
    adapters = {}
    for name, entry in (data.get("adapters") or {}).items():
        adapters[str(name).lower()] = _adapter(str(name).lower(), entry, path)
    if GENERIC in adapters:
        raise AdapterConfigError(f"{path}: `{GENERIC}` is the generic extractor, not an adapter name")
    return ExtractionRules(generic, adapters, hashlib.sha256(raw).hexdigest()[:10])


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AdapterConfigError(f"{where} must be a list of strings")
    return tuple(v.strip() for v in value)


def _selectors(value, where: str) -> tuple[str, ...]:
    selectors = _strings(value, where)
    for selector in selectors:
        try:
            soupsieve.compile(selector)
        except Exception as exc:  # soupsieve raises its own SelectorSyntaxError
            raise AdapterConfigError(f"{where}: bad CSS selector {selector!r}: {exc}") from None
    return selectors


def _generic_rules(entry: dict, path: Path) -> GenericRules:
    where = f"{path.name} generic"
    patterns = _strings(entry.get("boilerplate_patterns"), f"{where}.boilerplate_patterns") + \
        _strings(entry.get("caption_patterns"), f"{where}.caption_patterns")
    try:
        furniture = re.compile(r"(?:^|[-_:])(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.I) \
            if patterns else re.compile(r"(?!)")
    except re.error as exc:
        raise AdapterConfigError(f"{where}: a pattern is not a valid regular expression: {exc}") from None
    return GenericRules(
        strip_tags=_strings(entry.get("strip_tags"), f"{where}.strip_tags"),
        boilerplate_tags=frozenset(_strings(entry.get("boilerplate_tags"), f"{where}.boilerplate_tags")),
        small_furniture_tags=frozenset(_strings(entry.get("small_furniture_tags"),
                                                f"{where}.small_furniture_tags")),
        header_tags=frozenset(_strings(entry.get("header_tags"), f"{where}.header_tags")),
        caption_tags=frozenset(_strings(entry.get("caption_tags"), f"{where}.caption_tags")),
        boilerplate_roles=frozenset(_strings(entry.get("boilerplate_roles"), f"{where}.boilerplate_roles")),
        furniture_name=furniture,
        semantic_min_share=float(entry.get("semantic_min_share", 0.4)),
        sibling_min_share=float(entry.get("sibling_min_share", 0.2)),
    )


def _adapter(name: str, entry, path: Path) -> SiteAdapter:
    where = f"{path.name} adapter {name}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise AdapterConfigError(f"{where}: names are lowercase letters, digits and underscores")
    if not isinstance(entry, dict):
        raise AdapterConfigError(f"{where} must be a mapping")
    unknown = set(entry) - ADAPTER_FIELDS
    if unknown:
        raise AdapterConfigError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    content = _selectors(entry.get("content"), f"{where}.content")
    if not content:
        raise AdapterConfigError(f"{where}.content needs at least one CSS selector")
    dates = []
    for n, source in enumerate(entry.get("dates") or [], 1):
        if not (isinstance(source, dict) and len(source) == 1 and set(source) <= {"meta", "css"}):
            raise AdapterConfigError(f"{where}.dates[{n}] must be {{meta: NAME}} or {{css: SELECTOR}}")
        (kind, value), = source.items()
        if kind == "css":
            _selectors(value, f"{where}.dates[{n}]")
        dates.append(DateSource(kind, str(value)))
    version = entry.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise AdapterConfigError(f"{where}.version must be a positive integer")
    return SiteAdapter(name=name, version=version, content=content,
                       lead=_selectors(entry.get("lead"), f"{where}.lead"),
                       drop=_selectors(entry.get("drop"), f"{where}.drop"),
                       title=_selectors(entry.get("title"), f"{where}.title"),
                       dates=tuple(dates), publisher=entry.get("publisher"),
                       description=" ".join(str(entry.get("description") or "").split()))


# --- reading a page ----------------------------------------------------------------------------

def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def unique_blocks(blocks: list[str]) -> list[str]:
    """The blocks without empty ones and repeats, in order."""
    seen, kept = set(), []
    for block in blocks:
        if block and block not in seen:
            seen.add(block)
            kept.append(block)
    return kept


def text_blocks(root: Tag) -> list[str]:
    """Text of block elements, innermost first so a <li> holding a <p> is not read twice."""
    blocks = []
    if root.name in BLOCK_TAGS and not _holds_block(root):
        blocks.append(clean_text(root.get_text(" ")))
    for element in root.find_all(BLOCK_TAGS):
        if _holds_block(element):
            continue
        blocks.append(clean_text(element.get_text(" ")))
    if not any(blocks):  # markup without block elements: split the visible text on line breaks
        blocks = [clean_text(line) for line in root.get_text("\n").splitlines()]
    return [re.sub(r"\s+([,.;:!?])", r"\1", b) for b in blocks if b]


def _holds_block(element: Tag) -> bool:
    """element.find(BLOCK_TAGS) is not None, without building bs4's matcher for every element
    (a sixth of the time of parsing a page)."""
    return any(getattr(node, "name", None) in BLOCK_TAG_SET for node in element.descendants)


def meta_content(soup: BeautifulSoup, name: str) -> str | None:
    """A <meta> whose name, property or itemprop is `name` (any case)."""
    wanted = re.compile(f"^{re.escape(name)}$", re.I)
    for attr in ("name", "property", "itemprop"):
        tag = soup.find("meta", attrs={attr: wanted})
        if tag and tag.get("content"):
            return clean_text(tag["content"])
    return None


def _date_in(value: str | None) -> date | None:
    if not value:
        return None
    # "12-Jul.-2024" and "12/Jul/2024" read as "12 Jul. 2024"
    return parse_datetime_attr(value) or parse_date(re.sub(r"(?<=\w)[-/]|[-/](?=\w)", " ", value))


def adapter_date(soup: BeautifulSoup, adapter: SiteAdapter | None) -> date | None:
    """The publication date from the adapter's own sources, in its order; None when none has one."""
    for source in adapter.dates if adapter else ():
        if source.kind == "meta":
            found = _date_in(meta_content(soup, source.value))
            if found:
                return found
            continue
        for element in soup.select(source.value):
            found = _date_in(element.get("datetime") or element.get("content")) or \
                _date_in(clean_text(element.get_text(" ")))
            if found:
                return found
    return None


def _first_text(soup: BeautifulSoup, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        for element in soup.select(selector):
            text = clean_text(element.get_text(" "))
            if text:
                return text
    return None


def _paragraph_chars(element: Tag) -> int:
    paragraphs = [element] if element.name == "p" else element.find_all("p")
    return sum(len(clean_text(p.get_text(" "))) for p in paragraphs)


def _link_density(element: Tag) -> float:
    text = len(clean_text(element.get_text(" ")))
    links = sum(len(clean_text(a.get_text(" "))) for a in element.find_all("a"))
    return links / text if text else 1.0


def _names(element: Tag) -> list[str]:
    classes = element.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = element.get("id")
    return list(classes) + ([ident] if isinstance(ident, str) else [])


def _furniture_kind(element: Tag, rules: GenericRules) -> str | None:
    name = element.name
    if name in rules.boilerplate_tags or name in rules.caption_tags:
        return "tag"
    if name in rules.small_furniture_tags:
        return "named"
    if name in rules.header_tags:
        return "header"
    role = element.get("role")
    if isinstance(role, str) and role.strip().lower() in rules.boilerplate_roles:
        return "named"
    if any(rules.furniture_name.search(n) for n in _names(element)):
        return "named"
    return None


def _text_chars(body: Tag) -> Callable[[Tag], int]:
    """The length of an element's clean text, as clean_text(element.get_text(" ")) gives it, with
    each distinct text measured once: an element's text is the run of the page's strings from its
    first to its last, and a chain of wrappers nested thousands deep shares one run (measuring
    each anew took the square of the depth: 18 s at 8,000 levels)."""
    strings = list(body.strings)  # the strings get_text joins, in document order
    runs: dict[int, tuple[int, int]] = {}
    for n, string in enumerate(strings):
        for parent in string.parents:
            run = runs.get(id(parent))
            runs[id(parent)] = (n, n) if run is None else (run[0], n)
            if parent is body:
                break
    measured: dict[tuple[int, int], int] = {}

    def chars(element: Tag) -> int:
        run = runs.get(id(element))
        if run is None:
            return 0
        if run not in measured:
            measured[run] = len(clean_text(" ".join(strings[run[0]:run[1] + 1])))
        return measured[run]
    return chars


def drop_furniture(soup: BeautifulSoup, rules: GenericRules) -> None:
    """Remove navigation, headers and footers, asides, captions and boilerplate boxes in place."""
    body = soup.body or soup
    page_chars = len(clean_text(body.get_text(" ")))
    # An element is measured before anything inside it is removed (document order), so the
    # lengths taken up front are those of the tree as it stands when each is asked.
    text_chars = _text_chars(body)
    # What was removed is remembered here: bs4's `decomposed` looks for a `_decomposed` child tag
    # in the whole subtree of every element asked, which takes the square of the page's depth.
    removed: set[int] = set()
    for element in body.find_all(True):
        if id(element) in removed:
            continue
        kind = _furniture_kind(element, rules)
        if kind is None:
            continue
        if kind == "header" and element.find_parent(["article", "main"]):
            continue  # an article's own header: headline, dateline, byline
        if kind == "named" and page_chars and \
                text_chars(element) > FURNITURE_MAX_SHARE * page_chars:
            continue  # a layout wrapper whose name sounds like furniture
        removed.update(id(d) for d in element.descendants)
        element.decompose()


def _outermost(elements: list[Tag]) -> list[Tag]:
    chosen: list[Tag] = []
    for element in elements:  # select() returns document order, so ancestors come first
        ancestors = {id(a) for a in element.parents}
        if not any(id(c) in ancestors for c in chosen):
            chosen.append(element)
    return chosen


def generic_roots(soup: BeautifulSoup, rules: GenericRules) -> list[Tag]:
    """The element(s) holding the article's text on a page already cleared of furniture."""
    body = soup.body or soup
    articles = body.find_all("article")
    candidates = [max(articles, key=_paragraph_chars) if articles else None,
                  body.find("main"), body.find(attrs={"role": "main"})]
    total = _paragraph_chars(body)
    if total == 0:
        for candidate in candidates:
            if candidate is not None and clean_text(candidate.get_text(" ")):
                return [candidate]
        return [body]
    for candidate in candidates:
        if candidate is not None and _paragraph_chars(candidate) >= rules.semantic_min_share * total:
            return [candidate]
    return _densest(body, rules)


def _densest(body: Tag, rules: GenericRules) -> list[Tag]:
    """The element with the most paragraph text (a paragraph counts fully for its parent and half
    for its grandparent, so text split into one box per paragraph still adds up), with those of
    its siblings that read as part of the same text."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for paragraph in body.find_all("p"):
        chars = len(clean_text(paragraph.get_text(" ")))
        parent = paragraph.parent
        for weight, node in ((1.0, parent), (0.5, parent.parent if parent is not None else None)):
            if isinstance(node, Tag) and node.name != "[document]":
                scores[id(node)] = scores.get(id(node), 0.0) + weight * chars
                nodes[id(node)] = node
    if not scores:
        return [body]
    top = nodes[max(scores, key=scores.get)]
    if top is body or not isinstance(top.parent, Tag) or top.parent.name == "[document]":
        return [top]
    top_chars = _paragraph_chars(top)
    roots = []
    for sibling in top.parent.find_all(True, recursive=False):
        if sibling is top:
            roots.append(sibling)
            continue
        density = _link_density(sibling)
        large = _paragraph_chars(sibling) >= rules.sibling_min_share * top_chars and density < 0.5
        prose = len(clean_text(sibling.get_text(" "))) >= PROSE_MIN_CHARS and density < 0.25 and \
            (sibling.name in ("p", "ul", "ol", "blockquote") or sibling.find("p") is not None)
        if large or prose:  # a lead paragraph in a box of its own, a list that belongs to the text
            roots.append(sibling)
    return roots


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{4,}", text.lower())}


def _resembles(headline: str, page_title: str) -> bool:
    words = _words(headline)
    if not page_title or not words:
        return not page_title or headline.lower() in page_title.lower()
    return len(words & _words(page_title)) >= len(words) / 2


def main_content(soup: BeautifulSoup, adapter: SiteAdapter | None, page_title: str = "",
                 rules: ExtractionRules | None = None) -> MainContent:
    """The article's text blocks and headline. Changes the soup (furniture is removed from it)."""
    rules = rules or load_rules()
    generic = rules.generic
    title = _first_text(soup, adapter.title) if adapter else None
    for element in soup(list(generic.strip_tags)):
        element.decompose()
    removed: set[int] = set()  # not bs4's `decomposed`, which searches the subtree (see drop_furniture)
    for selector in adapter.drop if adapter else ():
        for element in soup.select(selector):
            if id(element) not in removed:
                removed.update(id(d) for d in element.descendants)
                element.decompose()
    lead = []
    for selector in adapter.lead if adapter else ():
        lead.extend(b for element in soup.select(selector) for b in text_blocks(element))
    drop_furniture(soup, generic)

    roots, parser = [], None
    for selector in adapter.content if adapter else ():
        roots = _outermost(soup.select(selector))
        if any(text_blocks(root) for root in roots):
            parser = adapter.label
            break
    if parser is None:
        roots, parser = generic_roots(soup, generic), generic.label
    blocks = [b for root in roots for b in text_blocks(root)]

    if title is None:
        in_content = next((h for root in roots for h in ([root] if root.name == "h1" else root.find_all("h1"))), None)
        if in_content is not None and clean_text(in_content.get_text(" ")):
            title = clean_text(in_content.get_text(" "))
        else:
            elsewhere = [clean_text(h.get_text(" ")) for h in (soup.body or soup).find_all("h1")]
            title = next((h for h in elsewhere if h and _resembles(h, page_title)), None)
    blocks = unique_blocks(lead + blocks)
    if title and blocks and title not in blocks:
        blocks.insert(0, title)  # the headline leads the text, as it does on the page
    return MainContent(blocks=blocks, title=title, parser=parser)
