"""The work done on one batch of pages, in whichever process runs it (see parallel.py).

Plain functions of plain data: a batch goes in as tuples read from the raw tables, and rows for
the raw tables come out, with what went wrong on a page kept beside its row for the asset to log.
Each page has a time budget for parsing and another for extraction (PLEDGES_PAGE_SECONDS,
orchestration/page_budget.py): a page over it is stored as failed with the reason, and the batch
goes on.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from orchestration import raw_store, settings
from orchestration.page_budget import PageOverBudget, deadline, over_budget_reason
from scrapers.extraction import EXTRACTOR_VERSION, extract_records
from scrapers.models import Article, PledgeRecord
from scrapers.parsing.parse import PARSER_VERSION, ParseError, parse_document

# The most records one page may yield. Real pages give at most a few dozen (24 on the dev set); a
# page that names thousands of countries or systems is a list of something else, or hostile, and
# would flood the warehouse: its first records are kept, and the page is flagged in the metadata.
MAX_RECORDS_PER_PAGE = 200


@dataclass
class ParsedPage:
    row: dict  # for raw.articles
    error: str | None = None


@dataclass
class ExtractedPage:
    document_id: str
    version_id: str
    url: str
    rows: list[dict] = field(default_factory=list)  # for raw.pledge_mentions
    records_found: int = 0  # before the per-page bound
    error: str | None = None


def parse_pages(batch: list[tuple]) -> list[ParsedPage]:
    """Rows of raw.articles for (document_id, version_id, url, source_id, content, content_type,
    adapter, language) tuples; a page that cannot be parsed, or not within its budget, gets a failed
    row and its reason."""
    parsed = []
    budget = settings.page_seconds()
    _warm_up_parser()
    for document_id, version_id, url, source_id, content, content_type, adapter, language in batch:
        article, error = None, None
        try:
            with deadline(budget):
                article = parse_document(bytes(content), content_type, url, adapter=adapter, language=language)
        except (ParseError, ValueError) as exc:
            error = str(exc)
        except PageOverBudget:
            error = over_budget_reason("parsing", budget, settings.PAGE_SECONDS_ENV)
        except Exception as exc:  # a bug met on one page: kept and shown, not fatal to the run
            error = f"{exc.__class__.__name__}: {exc}"
        parsed.append(ParsedPage(row=raw_store.article_row(
            document_id=document_id, version_id=version_id, url=url, source_id=source_id, article=article,
            parser_version=PARSER_VERSION, error=error), error=error))
    return parsed


def extract_pages(batch: list[tuple]) -> list[ExtractedPage]:
    """Mention rows for (document_id, version_id, url, title, text, published_date, language,
    publisher) tuples. A page the extractor fails on, or does not finish within its budget, keeps
    no rows and its error, so that one bad page does not stop the night; the error is stored, and
    the page is tried again next run."""
    pages = []
    budget = settings.page_seconds()
    _warm_up_extractor()
    for document_id, version_id, url, title, text, published, language, publisher in batch:
        page = ExtractedPage(document_id, version_id, url)
        article = Article(title=title or "", text=text or "", published_date=published,
                          language=language or "en", publisher=publisher, parser="")
        try:
            with deadline(budget):
                records = extract_records(article)
        except PageOverBudget:
            page.error = over_budget_reason("extraction", budget, settings.PAGE_SECONDS_ENV)
            pages.append(page)
            continue
        except Exception as exc:  # a bug met on one page: kept and shown, not fatal to the run
            page.error = f"{exc.__class__.__name__}: {exc}"
            pages.append(page)
            continue
        page.records_found = len(records)
        page.rows = raw_store.mention_rows(document_id, version_id, url, bounded(records), EXTRACTOR_VERSION)
        pages.append(page)
    return pages


# A fresh process loads the lexicon and compiles the rules' patterns on its first page: a second,
# several on a busy machine. That is the process's cost, not the page's, and counted against the
# first page's budget it could stop every page in turn, as an interrupted load is started again.
@functools.cache
def _warm_up_parser() -> None:
    parse_document(b"<html><body><p>Germany will provide 5 tanks.</p></body></html>", "text/html", "about:blank")


@functools.cache
def _warm_up_extractor() -> None:
    # with money, so that the exchange rates are read too
    for language, text in (("en", "On 1 May 2024 Germany pledged 5 Leopard tanks and $100 million."),
                           ("de", "Deutschland liefert 5 Leopard-Panzer für 100 Millionen Euro."),
                           ("fr", "La France livre 5 canons Caesar pour 50 millions d'euros.")):
        extract_records(Article(title="", text=text, published_date=None, language=language, publisher=None, parser=""))


def bounded(records: list[PledgeRecord]) -> list[PledgeRecord]:
    """The first MAX_RECORDS_PER_PAGE records; an item whose package was cut off keeps no link."""
    if len(records) <= MAX_RECORDS_PER_PAGE:
        return records
    kept = records[:MAX_RECORDS_PER_PAGE]
    for record in kept:
        if record.package_index is not None and record.package_index >= MAX_RECORDS_PER_PAGE:
            record.package_index = None
    return kept

