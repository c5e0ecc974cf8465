"""The source registry: which feeds, sitemaps, listing pages, pages and folders the refresh reads.

The registry is a YAML file with `defaults:` (HTTP politeness and the topic filter) and `sources:`.
What it may say is declared as types in registry_schema.py; every problem in it is reported as a
one-line SourceError naming the source and the field.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml
from pydantic import ValidationError

# HttpPolicy and WEB_KINDS are declared with the file's schema and used from here.
from scrapers.fetching.registry_schema import (WEB_KINDS, HttpPolicy, RegistryFile, SourceEntry, check_http_address,
                                               first_mistake)

DEFAULT_REGISTRY = Path(__file__).resolve().parents[2] / "sources" / "registry.yaml"
REGISTRY_ENV = "PLEDGES_REGISTRY"
GENERIC_PARSER = "generic"
DEFAULT_NEXT_SELECTOR = "a[rel~=next]"


class SourceError(ValueError):
    """A registry or source that cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    location: str  # a folder path for `folder`, an address for the web kinds
    enabled: bool = True
    description: str = ""
    allowed_domains: tuple[str, ...] = ()
    parser: str = GENERIC_PARSER
    language: str | None = None
    keywords: tuple[str, ...] = ()  # empty: every article is on topic
    max_items: int = 50
    link_selector: str | None = None
    next_selector: str = DEFAULT_NEXT_SELECTOR
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
    try:
        declared = RegistryFile.model_validate(data)
    except ValidationError as exc:
        raise SourceError(first_mistake(exc, data, path)) from None
    defaults = declared.defaults
    sources = [_source(entry, path.parent, defaults.keywords) for entry in declared.sources]
    return Registry(sources=sources, http=defaults.http, path=path)


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
    try:
        check_http_address(url, "--source-url")
    except ValueError as exc:
        raise SourceError(str(exc)) from None
    host = urlparse(url).hostname.lower()
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return Source(id=f"adhoc:{host}:{digest}", kind=kind, location=url, allowed_domains=(host,),
                  keywords=keywords, link_selector="a[href]" if kind == "listing" else None,
                  description=f"ad-hoc {kind} source {url}")


def _source(entry: SourceEntry, base: Path, default_keywords: tuple[str, ...]) -> Source:
    common = dict(id=entry.id, kind=entry.kind, enabled=entry.enabled, description=entry.description or "",
                  language=entry.language or None)
    if entry.kind == "folder":
        return Source(location=str((base / entry.path).resolve()), **common)
    return Source(
        location=entry.url,
        allowed_domains=entry.allowed_domains or (urlparse(entry.url).hostname,),
        parser=entry.parser or GENERIC_PARSER,
        keywords=entry.keywords if "keywords" in entry.model_fields_set else default_keywords,
        max_items=entry.max_items,
        link_selector=entry.link_selector,
        next_selector=entry.next_selector or DEFAULT_NEXT_SELECTOR,
        max_pages=entry.max_pages,
        **common,
    )
