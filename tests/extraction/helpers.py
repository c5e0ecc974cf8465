"""Shared helpers for the extractor tests: build an Article from sentences written for these tests."""
from __future__ import annotations

from datetime import date

from scrapers.extraction import extract_records
from scrapers.models import Article, PledgeRecord

PUBLISHED = date(2024, 5, 10)  # a Friday


def records_of(text: str, published: date | None = PUBLISHED, language: str = "en",
               publisher: str | None = None, title: str = "") -> list[PledgeRecord]:
    article = Article(title=title, text=text, published_date=published, language=language,
                      publisher=publisher, parser="test")
    return extract_records(article)


def of_kind(records: list[PledgeRecord], kind: str) -> list[PledgeRecord]:
    return [r for r in records if r.kind == kind]


def items_by_id(records: list[PledgeRecord]) -> dict[str, PledgeRecord]:
    """Item records keyed by system id (the first one wins)."""
    found: dict[str, PledgeRecord] = {}
    for r in records:
        if r.kind == "item" and r.system_id not in found:
            found[r.system_id] = r
    return found


def item(records: list[PledgeRecord], system_id: str) -> PledgeRecord:
    found = items_by_id(records)
    assert system_id in found, f"no item {system_id!r}; got {summary(records)}"
    return found[system_id]


def package_with_value(records: list[PledgeRecord], value: float) -> PledgeRecord:
    for r in records:
        if r.kind == "package" and r.value is not None and abs(r.value - value) <= 0.001 * value:
            return r
    raise AssertionError(f"no package of {value:,.0f}; got {summary(records)}")


def summary(records: list[PledgeRecord]) -> list[tuple]:
    """A compact view of records for assertion messages."""
    return [(r.kind, r.donor_code, r.status, r.system_id, r.quantity, r.quantity_qualifier, r.quantity_per,
             r.value, r.currency, r.value_qualifier, r.channel) for r in records]
