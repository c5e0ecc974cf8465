"""The source registry: which feeds, sitemaps, listing pages, pages and folders the refresh reads.

The registry is a YAML file with `defaults:` (HTTP politeness and the topic filter) and `sources:`.
Every problem in it is reported as a SourceError naming the source and the field.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlparse

import soupsieve
import yaml

from scrapers.fetching.network_guard import parse_networks

KINDS = ("folder", "url", "rss", "sitemap", "listing")
WEB_KINDS = ("url", "rss", "sitemap", "listing")
DEFAULT_REGISTRY = Path(__file__).resolve().parents[2] / "sources" / "registry.yaml"
REGISTRY_ENV = "PLEDGES_REGISTRY"
SOURCE_FIELDS = {"id", "kind", "url", "path", "allowed_domains", "parser", "language", "keywords", "max_items",
                 "link_selector", "next_selector", "max_pages", "description", "enabled"}


class SourceError(ValueError):
    """A registry or source that cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class HttpPolicy:
    """How politely and patiently pages are fetched; the registry's `defaults: http:`."""

    user_agent: str = ("ukraine-aid-pledges/0.2 (open research warehouse of military-aid announcements; "
                       "reads public releases once a night)")
    timeout_seconds: float = 20.0
    retries: int = 3
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    max_retry_after_seconds: float = 120.0
    min_interval_seconds: float = 1.0  # between two requests to the same host
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    respect_robots: bool = True
    # Time budgets, so that no source, however slow, holds the night: a source stops fetching
    # after its own budget, and every source at the run's; the rest waits for the next run.
    max_seconds_per_source: float = 1800.0
    max_seconds_per_run: float = 5400.0
    # Networks outside the public internet that may be fetched (CIDRs); none by default.
    allow_networks: tuple = ()


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    location: str  # a folder path for `folder`, an address for the web kinds
    enabled: bool = True
    description: str = ""
    allowed_domains: tuple[str, ...] = ()
    parser: str = "generic"
    language: str | None = None
    keywords: tuple[str, ...] = ()  # empty: every article is on topic
    max_items: int = 50
    link_selector: str | None = None
    next_selector: str = "a[rel~=next]"
    max_pages: int = 1

    def allows(self, url: str) -> bool:
        """Whether a link may be followed: http(s), on one of the allowed hosts or their subdomains."""
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            return False
        host = parsed.hostname.lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


@dataclass(frozen=True)
class Registry:
    sources: list[Source]
    http: HttpPolicy = field(default_factory=HttpPolicy)
    path: Path | None = None

    def enabled(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise SourceError(f"no source {source_id!r} in the registry {self.path}")


def known_parsers() -> set[str]:
    """The site adapters of scrapers/data/site_adapters.yaml, and the generic extractor."""
    from scrapers.parsing.main_content import GENERIC, load_rules

    return set(load_rules().adapters) | {GENERIC}


def registry_path() -> Path:
    """The registry in use: $PLEDGES_REGISTRY when set, else the project's sources/registry.yaml."""
    return Path(os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY).expanduser().resolve()


def load_registry(path: Path | str | None = None) -> Registry:
    """Every source declared in the registry file, enabled or not, with the HTTP policy."""
    path = Path(path) if path else registry_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SourceError(f"source registry not found: {path}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"source registry {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourceError(f"source registry {path} has no `sources:` list")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise SourceError(f"source registry {path}: `defaults:` must be a mapping")
    policy = _http_policy(defaults.get("http") or {}, path)
    default_keywords = _keywords(defaults.get("keywords") or [], "defaults")
    sources = [_source_from_entry(entry, path.parent, n, default_keywords)
               for n, entry in enumerate(data["sources"], 1)]
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SourceError(f"source registry {path} repeats ids: {', '.join(duplicates)}")
    return Registry(sources=sources, http=policy, path=path)


def folder_sources(folders: list[str]) -> list[Source]:
    """Ad-hoc folder sources, as given on the command line."""
    sources = []
    for folder in folders:
        path = Path(folder).expanduser().resolve()
        if not path.is_dir():
            raise SourceError(f"source folder does not exist or is not a folder: {folder}")
        sources.append(Source(id=f"folder:{path.name}", kind="folder", location=str(path)))
    return sources


def adhoc_web_source(url: str, kind: str = "url", keywords: tuple[str, ...] = ()) -> Source:
    """A source for one address given on the command line, confined to that address's host.
    No topic filter unless given: whoever tries a feed wants to see all of it."""
    if kind not in WEB_KINDS:
        raise SourceError(f"--kind must be one of {', '.join(WEB_KINDS)}, not {kind!r}")
    _check_url(url, "--source-url")
    host = urlparse(url).hostname.lower()
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return Source(id=f"adhoc:{host}:{digest}", kind=kind, location=url, allowed_domains=(host,),
                  keywords=keywords, link_selector="a[href]" if kind == "listing" else None,
                  description=f"ad-hoc {kind} source {url}")


def _check_url(url: str, what: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SourceError(f"{what} must be an http(s) address, not {url!r}")


def _http_policy(entry: object, path: Path) -> HttpPolicy:
    if not isinstance(entry, dict):
        raise SourceError(f"source registry {path}: `defaults: http:` must be a mapping")
    known = {f.name: f for f in fields(HttpPolicy)}
    unknown = sorted(set(entry) - set(known))
    if unknown:
        raise SourceError(f"source registry {path}: unknown http settings {', '.join(unknown)} "
                          f"(known: {', '.join(known)})")
    policy = HttpPolicy()
    values = {}
    for name, value in entry.items():
        if name == "allow_networks":
            if not isinstance(value, list):
                raise SourceError(f"source registry {path}: http setting allow_networks must be a list of CIDRs")
            try:
                values[name] = parse_networks(value, f"source registry {path}: allow_networks")
            except ValueError as exc:
                raise SourceError(str(exc)) from None
            continue
        expected = type(getattr(policy, name))
        try:
            if expected is bool and not isinstance(value, bool):
                raise TypeError(value)
            values[name] = value if expected in (bool, str) else expected(value)
        except (TypeError, ValueError):
            wanted = {int: "whole number", float: "number", bool: "true or false"}.get(expected, "text")
            raise SourceError(f"source registry {path}: http setting {name} must be a {wanted}, "
                              f"not {value!r}") from None
        if expected in (int, float) and values[name] < 0:
            raise SourceError(f"source registry {path}: http setting {name} must not be negative")
    return replace(policy, **values)


def _keywords(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
        raise SourceError(f"{where}: `keywords` must be a list of words")
    return tuple(k.strip().lower() for k in value)


def _positive_int(entry: dict, name: str, default: int, source_id: str) -> int:
    value = entry.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SourceError(f"source {source_id}: `{name}` must be a whole number of at least 1, not {value!r}")
    return value


def _source_from_entry(entry: object, base: Path, n: int, default_keywords: tuple[str, ...]) -> Source:
    if not isinstance(entry, dict):
        raise SourceError(f"source #{n} is not a mapping")
    source_id, kind = entry.get("id"), entry.get("kind")
    if source_id is None or source_id == "":
        raise SourceError(f"source #{n} has no id")
    if not isinstance(source_id, str):
        # YAML reads `id: no` as false and `id: 2024` as a number: a typo, not an id.
        raise SourceError(f"source #{n}: `id` must be text, not {source_id!r} (quote it in the YAML)")
    unknown = sorted(set(entry) - SOURCE_FIELDS)
    if unknown:
        raise SourceError(f"source {source_id}: unknown fields {', '.join(unknown)}")
    if kind not in KINDS:
        raise SourceError(f"source {source_id}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        # `enabled: 'false'` is a non-empty string, which bool() would read as true.
        raise SourceError(f"source {source_id}: `enabled` must be true or false, not {enabled!r}")
    common = dict(id=source_id, kind=kind, enabled=enabled,
                  description=str(entry.get("description") or ""),
                  language=str(entry["language"]) if entry.get("language") else None)
    if kind == "folder":
        if not entry.get("path"):
            raise SourceError(f"source {source_id}: a folder source needs `path`")
        return Source(location=str((base / entry["path"]).resolve()), **common)
    location = str(entry.get("url") or "")
    _check_url(location, f"source {source_id}: `url`")
    domains = entry.get("allowed_domains") or [urlparse(location).hostname]
    if isinstance(domains, str):
        domains = [domains]
    if kind == "listing" and not entry.get("link_selector"):
        raise SourceError(f"source {source_id}: a listing source needs `link_selector` (CSS selector of article links)")
    for name in ("link_selector", "next_selector"):
        if entry.get(name):
            try:
                soupsieve.compile(str(entry[name]))
            except soupsieve.SelectorSyntaxError as exc:
                raise SourceError(f"source {source_id}: `{name}` is not a valid CSS selector: "
                                  f"{str(exc).splitlines()[0]}") from None
    keywords = _keywords(entry["keywords"], f"source {source_id}") if "keywords" in entry else default_keywords
    parser = str(entry.get("parser") or "generic")
    adapters = known_parsers()
    if parser not in adapters:
        raise SourceError(f"source {source_id}: unknown parser {parser!r} (known: {', '.join(sorted(adapters))})")
    return Source(
        location=location,
        allowed_domains=tuple(str(d).lower().lstrip(".") for d in domains),
        parser=parser,
        keywords=keywords,
        max_items=_positive_int(entry, "max_items", 50, source_id),
        link_selector=entry.get("link_selector"),
        next_selector=str(entry.get("next_selector") or "a[rel~=next]"),
        max_pages=_positive_int(entry, "max_pages", 1, source_id),
        **common,
    )
