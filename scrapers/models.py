"""The records that flow from fetching to extraction. Plain data, no behaviour."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime


def document_id_for(url: str) -> str:
    """A stable id for a page, whatever its content: the hash of its address."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FetchedDocument:
    """A page as it came from its source: bytes and where, when and how they were got."""

    source_id: str
    source_kind: str
    url: str
    fetched_at: datetime
    fetch_status: str  # ok | not_modified (nothing downloaded: unchanged) | skipped | failed
    content: bytes = b""
    content_type: str | None = None
    http_status: int | None = None
    error: str | None = None  # why it failed or was skipped
    etag: str | None = None
    last_modified: str | None = None
    parser: str = "generic"  # the site adapter the source asks for
    language: str | None = None  # the source's language, for pages that do not say

    @property
    def document_id(self) -> str:
        return document_id_for(self.url)

    @property
    def version_id(self) -> str:
        """The content hash; a failed or skipped fetch gets a version of its own per reason."""
        if self.fetch_status == "ok":
            return hashlib.sha256(self.content).hexdigest()
        return f"{self.fetch_status}-" + hashlib.sha256((self.error or "").encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """The readable part of a page."""

    title: str
    text: str  # paragraphs separated by blank lines; spans of records point into it
    published_date: date | None
    language: str
    publisher: str | None
    parser: str


@dataclass
class PledgeRecord:
    """One extracted claim: an item, a package, an aggregate total or a bare pledge of support."""

    kind: str  # item | package | aggregate | support
    donor_code: str
    status: str  # pledged | delivered | rejected
    sentence: str
    span_start: int
    span_end: int
    system_id: str | None = None
    system_name: str | None = None
    category: str | None = None
    is_munition: bool | None = None
    quantity: int | None = None
    quantity_per: str | None = None
    quantity_qualifier: str | None = None
    value: float | None = None
    currency: str | None = None
    value_qualifier: str | None = None
    value_usd: float | None = None
    fx_rate_usd: float | None = None
    value_eur: float | None = None
    fx_rate_eur: float | None = None
    fx_date: date | None = None  # the day of the ECB rates used for value_usd and value_eur
    channel: str | None = None
    announced_date: date | None = None
    since_date: date | None = None
    package_index: int | None = None  # index of the item's package in the same extraction
    is_headline_total: bool = False
    confidence: float = 0.5
    notes: list[str] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)  # the rules that made the record, in the order they decided
