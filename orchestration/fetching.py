"""Fetching one source into the raw tables, with its figures and failures kept in a report.

Plain Python (the Dagster asset in orchestration/defs/ingest.py is a thin loop over sources), so
the code path is the same whether a test, the CLI or the nightly schedule runs it.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field

import duckdb

from orchestration import raw_store
from scrapers.fetching.fetch import IndexPage, fetch_source
from scrapers.fetching.http_client import HttpClient
from scrapers.models import FetchedDocument
from scrapers.fetching.sources import WEB_KINDS, Source, SourceError

PROGRESS_EVERY = 500


@dataclass
class SourceReport:
    source: Source
    counts: Counter = field(default_factory=Counter)
    error: str | None = None  # why the source as a whole failed
    stopped: str | None = None  # why it stopped early on a time budget: not a failure, the rest waits
    warnings: list[str] = field(default_factory=list)

    def row(self) -> str:
        c = self.counts
        status = "failed" if self.error else "stopped" if self.stopped else "ok"
        note = self.error or self.stopped or "; ".join(self.warnings[:2])
        return (f"| {self.source.id} | {self.source.kind} | {status} | {c['downloaded']} | {c['new']} | "
                f"{c['changed']} | {c['unchanged']} | {c['skipped']} | {c['failed']} | "
                f"{note.replace('|', '/')} |")

    def metadata(self) -> dict:
        return {"source": self.source.id, "kind": self.source.kind, "url": self.source.location,
                "status": "failed" if self.error else "stopped" if self.stopped else "ok", "error": self.error or "",
                "stopped": self.stopped or "",
                **{k: self.counts[k] for k in ("downloaded", "new", "changed", "unchanged", "skipped", "failed")}}


def ingest_source(conn: duckdb.DuckDBPyConnection, client: HttpClient, source: Source,
                  log: logging.Logger | None = None, run_deadline: float | None = None) -> SourceReport:
    """Fetch one source and store what came; whatever goes wrong stays in this source's report.
    The source stops at its time budget, or at the run's deadline (time.monotonic()) if sooner:
    what it has fetched is kept, and the rest of its pages wait for the next run."""
    log = log or logging.getLogger(__name__)
    report = SourceReport(source)
    started = time.monotonic()
    budget = client.policy.max_seconds_per_source
    deadline = min(started + budget, run_deadline if run_deadline is not None else float("inf"))
    if time.monotonic() >= deadline:
        report.stopped = "not fetched: the run's time budget was spent on the sources before it"
        return report
    log.info(f"fetching {source.kind} source {source.id}: {source.location}")
    known = raw_store.known_urls(conn, source.id) if source.kind in WEB_KINDS else {}
    bodies_before = client.stats.bodies
    writer = raw_store.DocumentWriter(conn)
    try:
        pages = 0
        for item in fetch_source(source, client, known.get):
            if isinstance(item, IndexPage):
                _record_index(log, conn, report, item, is_root=item.url == source.location)
            else:
                pages += 1
                _count(log, report, writer.add(item))
                if pages % PROGRESS_EVERY == 0:
                    log.info(f"{source.id}: {pages} pages handled")
            if time.monotonic() >= deadline:  # after every page and index page, whatever it was
                whose = "its" if deadline == started + budget else "the run's"
                report.stopped = (f"stopped after {pages} pages: over {whose} time budget "
                                  f"({time.monotonic() - started:.0f} s); the rest waits for the next run")
                log.warning(f"{source.id}: {report.stopped}")
                break
    except SourceError as exc:
        report.error = str(exc)
    except Exception as exc:  # one source's bug or surprise must not stop the others
        report.error = f"{exc.__class__.__name__}: {exc}"
    finally:  # what was fetched before a failure is kept
        try:
            _count(log, report, writer.flush())
        except Exception as exc:
            report.error = report.error or f"cannot store its pages: {exc.__class__.__name__}: {exc}"
    report.counts["downloaded"] = client.stats.bodies - bodies_before
    return report


def _count(log: logging.Logger, report: SourceReport, outcomes: list[tuple[FetchedDocument, str]]) -> None:
    for doc, outcome in outcomes:
        report.counts[outcome] += 1
        if outcome == "failed":
            log.warning(f"{report.source.id}: {doc.url}: {doc.error}")
            if report.source.kind == "url":
                report.error = f"{doc.url}: {doc.error}"


def _record_index(log: logging.Logger, conn: duckdb.DuckDBPyConnection, report: SourceReport, index: IndexPage, is_root: bool) -> None:
    raw_store.write_index_page(conn, index)
    report.warnings.extend(index.warnings)
    for warning in index.warnings:
        log.warning(f"{report.source.id}: {warning}")
    if index.outcome in ("ok", "not_modified"):
        unchanged = " (unchanged since the last run)" if index.outcome == "not_modified" else ""
        log.info(f"{report.source.id}: {index.url} lists {len(index.links)} links{unchanged}")
    elif is_root:
        report.error = f"{index.url}: {index.error}"
    else:
        report.counts["failed"] += 1
        log.warning(f"{report.source.id}: {index.url}: {index.error}")
