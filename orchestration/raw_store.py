"""The raw layer in DuckDB: create-if-missing tables and idempotent writes keyed by content."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Iterator

import duckdb

from orchestration import bulk_load
from orchestration.mention_ids import mention_ids
from orchestration.page_budget import OVER_BUDGET
from scrapers.fetching.discovery import Link
from scrapers.fetching.fetch import IndexPage, KnownUrl
from scrapers.models import Article, FetchedDocument, PledgeRecord

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.documents (
    document_id varchar not null, version_id varchar not null, source_id varchar not null,
    source_kind varchar not null, url varchar not null, fetched_at timestamp not null,
    last_seen_at timestamp not null, fetch_status varchar not null, http_status integer,
    error varchar, content_type varchar, content blob, size_bytes bigint,
    primary key (document_id, version_id));
create table if not exists raw.articles (
    version_id varchar not null, document_id varchar not null, url varchar not null,
    source_id varchar, title varchar, publisher varchar, published_date date, language varchar,
    text varchar, parser varchar, parser_version varchar, parse_status varchar not null,
    error varchar, parsed_at timestamp not null, primary key (document_id, version_id));
create table if not exists raw.pledge_mentions (
    mention_id varchar not null, version_id varchar not null, document_id varchar not null,
    url varchar not null, kind varchar not null, donor_code varchar not null, system_id varchar,
    system_name varchar, category varchar, is_munition boolean, quantity bigint,
    quantity_per varchar, quantity_qualifier varchar, value double, currency varchar,
    value_qualifier varchar, value_usd double, fx_rate_usd double, status varchar not null,
    channel varchar, announced_date date, since_date date, package_mention_id varchar,
    is_headline_total boolean not null, sentence varchar not null, span_start integer not null,
    span_end integer not null, confidence double not null, extractor_version varchar not null,
    extracted_at timestamp not null, primary key (mention_id, version_id));
alter table raw.documents add column if not exists etag varchar;
alter table raw.documents add column if not exists last_modified varchar;
alter table raw.documents add column if not exists parser varchar;
alter table raw.documents add column if not exists language_hint varchar;
create table if not exists raw.index_pages (
    source_id varchar not null, url varchar not null, fetched_at timestamp not null,
    outcome varchar not null, http_status integer, etag varchar, last_modified varchar,
    error varchar, links json, follow json, primary key (source_id, url));
alter table raw.pledge_mentions add column if not exists value_eur double;
alter table raw.pledge_mentions add column if not exists fx_rate_eur double;
alter table raw.pledge_mentions add column if not exists fx_date date;
alter table raw.pledge_mentions add column if not exists rule_trace varchar;
create table if not exists raw.released_pledge_ids (
    mention_id varchar primary key, pledge_id varchar not null, released_at timestamp not null);
create table if not exists raw.extractions (
    document_id varchar not null, version_id varchar not null, parser_version varchar not null,
    extractor_version varchar not null, extracted_at timestamp not null, records integer not null,
    records_found integer not null, error varchar, primary key (document_id, version_id));
"""


# The current version of every document: among its successfully parsed versions, the one seen
# last by a fetch (ties broken by version_id), so a page that changes back is current again. The
# same rule as dbt's int_current_articles, so that what is extracted and what is built line up.
CURRENT_VERSIONS = """
    select a.rowid as row_id, a.document_id, a.version_id, a.url, a.parser_version
    from raw.articles a join raw.documents d using (document_id, version_id)
    where a.parse_status = 'ok'
    qualify row_number() over (partition by a.document_id order by d.last_seen_at desc, a.version_id) = 1"""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(RAW_DDL)
    _key_mentions_by_version(conn)


def _key_mentions_by_version(conn: duckdb.DuckDBPyConnection) -> None:
    """raw.pledge_mentions was keyed by mention_id alone while the id hashed the page version in.
    A mention_id now stays the same across versions of a page, so the key is (mention_id,
    version_id). DuckDB cannot drop a primary key in place: a file made before is copied into a
    table of the new shape, once, rows kept."""
    keys = conn.execute(
        """select constraint_column_names from duckdb_constraints()
           where schema_name = 'raw' and table_name = 'pledge_mentions' and constraint_type = 'PRIMARY KEY'""").fetchall()
    if keys != [(["mention_id"],)]:
        return
    conn.execute("begin transaction")
    try:
        conn.execute("alter table raw.pledge_mentions rename to pledge_mentions_keyed_by_id")
        conn.execute(RAW_DDL)  # creates raw.pledge_mentions with the new key
        conn.execute("insert into raw.pledge_mentions by name select * from raw.pledge_mentions_keyed_by_id")
        conn.execute("drop table raw.pledge_mentions_keyed_by_id")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


class DocumentWriter:
    """Stores fetched pages in batches. Each page gets an outcome: new, changed (a new version of
    a known page), unchanged, skipped or failed. A version already held only has last_seen_at
    (and its validators) moved, so re-running on the same pages adds no rows and the newest-seen
    version is the current one. Outcomes come back when a batch is written: from `add` when it
    fills, and from `flush`, which the caller must call at the end."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, batch_pages: int = 2000, batch_bytes: int = 32_000_000):
        self.conn = conn
        self.batch_pages = batch_pages
        self.batch_bytes = batch_bytes
        self._batch: dict[str, FetchedDocument] = {}
        self._bytes = 0

    def add(self, doc: FetchedDocument) -> list[tuple[FetchedDocument, str]]:
        if doc.fetch_status == "not_modified":  # no body came: only the current version is touched
            return self.flush() + [(doc, _touch_current_version(self.conn, doc))]
        done = self.flush() if doc.document_id in self._batch else []  # one version of a page per batch
        self._batch[doc.document_id] = doc
        self._bytes += len(doc.content)
        if len(self._batch) >= self.batch_pages or self._bytes >= self.batch_bytes:
            done += self.flush()
        return done

    def flush(self) -> list[tuple[FetchedDocument, str]]:
        if not self._batch:
            return []
        docs = list(self._batch.values())
        self._batch, self._bytes = {}, 0
        conn = self.conn
        conn.execute("begin transaction")
        try:
            conn.execute("create or replace temp table document_batch as select * from raw.documents limit 0")
            bulk_load.load(conn, "document_batch", (_document_row(doc, with_content=False) for doc in docs))
            known = dict(conn.execute(
                """select b.document_id,
                          case when exists (select 1 from raw.documents d where d.document_id = b.document_id
                                              and d.version_id = b.version_id) then 'known'
                               when exists (select 1 from raw.documents d where d.document_id = b.document_id
                                              and d.fetch_status = 'ok') then 'changed'
                               else 'new' end
                   from document_batch b""").fetchall())
            conn.execute(
                """update raw.documents d set last_seen_at = b.fetched_at, etag = coalesce(b.etag, d.etag),
                          last_modified = coalesce(b.last_modified, d.last_modified),
                          http_status = coalesce(b.http_status, d.http_status)
                   from document_batch b where d.document_id = b.document_id and d.version_id = b.version_id""")
            fresh = [doc for doc in docs if known[doc.document_id] != "known"]
            bulk_load.load(conn, "raw.documents", (_document_row(doc, with_content=True) for doc in fresh))
            conn.execute("drop table document_batch")
            conn.execute("commit")
        except Exception:
            conn.execute("rollback")
            raise
        outcomes = []
        for doc in docs:
            if doc.fetch_status in ("failed", "skipped"):
                outcomes.append((doc, doc.fetch_status))
            else:
                outcomes.append((doc, "unchanged" if known[doc.document_id] == "known" else known[doc.document_id]))
        return outcomes


def _document_row(doc: FetchedDocument, with_content: bool) -> dict:
    return {"document_id": doc.document_id, "version_id": doc.version_id, "source_id": doc.source_id,
            "source_kind": doc.source_kind, "url": doc.url, "fetched_at": doc.fetched_at,
            "last_seen_at": doc.fetched_at, "fetch_status": doc.fetch_status, "http_status": doc.http_status,
            "error": doc.error, "content_type": doc.content_type,
            "content": doc.content if with_content and doc.fetch_status == "ok" else None,
            "size_bytes": len(doc.content), "etag": doc.etag, "last_modified": doc.last_modified,
            "parser": doc.parser, "language_hint": doc.language}


def _touch_current_version(conn: duckdb.DuckDBPyConnection, doc: FetchedDocument) -> str:
    touched = conn.execute(
        """update raw.documents set last_seen_at = ?, etag = coalesce(?, etag),
                  last_modified = coalesce(?, last_modified)
           where document_id = ? and version_id = (
               select version_id from raw.documents where document_id = ? and fetch_status = 'ok'
               order by last_seen_at desc, version_id limit 1)
           returning 1""",
        [doc.fetched_at, doc.etag, doc.last_modified, doc.document_id, doc.document_id]).fetchall()
    return "unchanged" if touched else "failed"


def write_index_page(conn: duckdb.DuckDBPyConnection, index: IndexPage) -> None:
    """Keep the latest reading of a feed, sitemap or listing page. A failed reading keeps the
    links and validators of the last good one, so a bad night loses nothing."""
    if index.outcome not in ("ok", "not_modified"):
        conn.execute("""update raw.index_pages set outcome = ?, error = ?, http_status = ?
                        where source_id = ? and url = ?""",
                     [index.outcome, index.error, index.http_status, index.source_id, index.url])
        return
    links = json.dumps([{"url": link.url, "title": link.title, "summary": link.summary,
                         "updated": link.updated.isoformat() if link.updated else None} for link in index.links])
    conn.execute("insert or replace into raw.index_pages values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [index.source_id, index.url, index.fetched_at, index.outcome, index.http_status, index.etag,
                  index.last_modified, None, links, json.dumps(list(index.follow))])


def known_urls(conn: duckdb.DuckDBPyConnection, source_id: str) -> dict[str, KnownUrl]:
    """What earlier runs learnt about the addresses a source has read: validators and the last
    time each page was confirmed (its newest good version), and the links of its index pages."""
    known: dict[str, KnownUrl] = {}
    for url, etag, last_modified, checked_at in conn.execute(
            """select url, etag, last_modified, last_seen_at from raw.documents
               where source_id = ? and fetch_status = 'ok'
               qualify row_number() over (partition by document_id order by last_seen_at desc, version_id) = 1""",
            [source_id]).fetchall():
        known[url] = KnownUrl(etag=etag, last_modified=last_modified, checked_at=checked_at)
    for url, etag, last_modified, fetched_at, links, follow in conn.execute(
            "select url, etag, last_modified, fetched_at, links, follow from raw.index_pages where source_id = ?",
            [source_id]).fetchall():
        known[url] = KnownUrl(
            etag=etag, last_modified=last_modified, checked_at=fetched_at,
            links=tuple(Link(url=item["url"], title=item["title"], summary=item["summary"],
                             updated=datetime.fromisoformat(item["updated"]) if item["updated"] else None)
                        for item in json.loads(links or "[]")),
            follow=tuple(json.loads(follow or "[]")))
    return known


def queue_parsing(conn: duckdb.DuckDBPyConnection, parser_version: str) -> int:
    """Queue the fetched page versions not yet parsed by this parser version, or stopped over
    their time budget last time (temporary table parse_queue, numbered from 1); returns how many.
    The same bytes under two addresses are two documents, each parsed for itself."""
    conn.execute(
        """create or replace temp table parse_queue as
           select row_number() over (order by d.rowid) as n, d.rowid as row_id, d.document_id, d.version_id
           from raw.documents d
           where d.fetch_status = 'ok'
             and not exists (select 1 from raw.articles a
                             where a.document_id = d.document_id and a.version_id = d.version_id
                               and a.parser_version = ? and not starts_with(coalesce(a.error, ''), ?))""",
        [parser_version, OVER_BUDGET])
    return conn.execute("select count(*) from parse_queue").fetchone()[0]


def parse_batches(conn: duckdb.DuckDBPyConnection, queued: int, size: int) -> Iterator[list[tuple]]:
    """Batches of queued pages to parse: (document_id, version_id, url, source_id, content,
    content_type, parser, language_hint). Only a batch's bodies are in memory at a time."""
    columns = """d.document_id, d.version_id, d.url, d.source_id, d.content, d.content_type,
                 coalesce(d.parser, 'generic'), d.language_hint"""
    for first in range(1, queued + 1, size):
        yield _queued_rows(conn, "parse_queue", "raw.documents", columns, first, first + size - 1)


def article_row(*, document_id: str, version_id: str, url: str, source_id: str, article: Article | None,
                parser_version: str, error: str | None = None) -> dict:
    return {"version_id": version_id, "document_id": document_id, "url": url, "source_id": source_id,
            "title": article.title if article else None, "publisher": article.publisher if article else None,
            "published_date": article.published_date if article else None,
            "language": article.language if article else None, "text": article.text if article else None,
            "parser": article.parser if article else None, "parser_version": parser_version,
            "parse_status": "ok" if article else "failed", "error": error, "parsed_at": _now()}


def write_articles(conn: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Store parsed pages; a page version parsed before (by another parser version) is replaced."""
    bulk_load.load(conn, "raw.articles", rows, statement="insert or replace into raw.articles by name {rows}")


def queue_extraction(conn: duckdb.DuckDBPyConnection, extractor_version: str) -> dict[str, int]:
    """Queue the current version of every document (the newest parsed version, seen last by a
    fetch, so a page that changes back is current again) unless this extractor version has read
    this parse of it already (temporary table extract_queue, numbered from 1). Returns how many
    are queued by why: new (never extracted), backfill (read by another extractor version or
    another parse), retry (the extractor failed on it)."""
    conn.execute(
        f"""create or replace temp table extract_queue as
           select row_number() over (order by row_id) as n, row_id, document_id, version_id, reason,
                  previous_version
           from (
               select c.row_id, c.document_id, c.version_id,
                      case when e.document_id is null then 'new' when e.error is not null then 'retry'
                           else 'backfill' end as reason,
                      e.extractor_version as previous_version
               from ({CURRENT_VERSIONS}) c
               left join raw.extractions e using (document_id, version_id)
               where e.document_id is null or e.error is not null or e.extractor_version <> ?
                     or e.parser_version <> c.parser_version)""",
        [extractor_version])
    return dict(conn.execute("select reason, count(*) from extract_queue group by reason").fetchall())


def previous_extractor_versions(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The extractor versions whose records a backfill in the queue replaces."""
    return [v for (v,) in conn.execute(
        "select distinct previous_version from extract_queue where reason = 'backfill' order by 1").fetchall()]


def extract_batches(conn: duckdb.DuckDBPyConnection, queued: int, size: int) -> Iterator[list[tuple]]:
    """Batches of queued articles: (document_id, version_id, url, title, text, published_date,
    language, publisher)."""
    columns = "d.document_id, d.version_id, d.url, d.title, d.text, d.published_date, d.language, d.publisher"
    for first in range(1, queued + 1, size):
        yield _queued_rows(conn, "extract_queue", "raw.articles", columns, first, first + size - 1)


def _queued_rows(conn: duckdb.DuckDBPyConnection, queue: str, table: str, columns: str, first: int,
                 last: int) -> list[tuple]:
    """Rows of `table` for queue entries first..last. The queue is numbered in the table's row
    order, so a batch is a narrow range of row ids, which DuckDB reads without scanning the rest
    of the table and its page bodies (a join on the keys alone reads them all, at every batch:
    seven times slower at 100,000 pages). Row ids can move when a checkpoint compacts deleted
    rows; the keys are checked, and a batch that does not come back whole is read by its keys."""
    lo, hi, expected = conn.execute(f"select min(row_id), max(row_id), count(*) from {queue} where n between ? and ?",
                                    [first, last]).fetchone()
    if not expected:
        return []
    rows = conn.execute(
        f"""select {columns} from {table} d
            join (select n, document_id, version_id from {queue} where n between ? and ?) q
              using (document_id, version_id)
            where d.rowid between ? and ? order by q.n""", [first, last, lo, hi]).fetchall()
    if len(rows) == expected:
        return rows
    return conn.execute(
        f"""select {columns} from {table} d
            join (select n, document_id, version_id from {queue} where n between ? and ?) q
              using (document_id, version_id)
            order by q.n""", [first, last]).fetchall()


def write_extractions(conn: duckdb.DuckDBPyConnection, pages: list, extractor_version: str) -> None:
    """Replace the records of each extracted page version with the new ones, and note that this
    extractor version read it, in one transaction per batch. A page the extractor failed on
    keeps the records it had, and its error."""
    now = _now()
    done = [p for p in pages if p.error is None]
    conn.execute("begin transaction")
    try:
        conn.execute("create or replace temp table extracted_pages (document_id varchar, version_id varchar)")
        bulk_load.load(conn, "extracted_pages",
                       ({"document_id": p.document_id, "version_id": p.version_id} for p in done))
        conn.execute("""delete from raw.pledge_mentions m using extracted_pages p
                        where m.document_id = p.document_id and m.version_id = p.version_id""")
        bulk_load.load(conn, "raw.pledge_mentions", (row for p in done for row in p.rows))
        bulk_load.load(
            conn, "raw.extractions",
            ({"document_id": p.document_id, "version_id": p.version_id, "extractor_version": extractor_version,
              "extracted_at": now, "records": len(p.rows), "records_found": p.records_found, "error": p.error}
             for p in pages),
            # the parse the records point into: a new parse of the page is extracted again
            statement="""insert or replace into raw.extractions by name
                         select r.* replace (a.parser_version as parser_version)
                         from ({rows}) as r join raw.articles as a using (document_id, version_id)""")
        conn.execute("drop table extracted_pages")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def current_mention_summary(conn: duckdb.DuckDBPyConnection) -> dict:
    """What the current version of every document holds now: its records by kind and donor,
    and which extractor version read how many of them."""
    conn.execute(f"create or replace temp table current_pages as select document_id, version_id from ({CURRENT_VERSIONS})")
    current = "from raw.pledge_mentions m semi join current_pages p using (document_id, version_id)"
    summary = {
        "articles": conn.execute("select count(*) from current_pages").fetchone()[0],
        "mentions": conn.execute(f"select count(*) {current}").fetchone()[0],
        "by_kind": conn.execute(f"select kind, count(*) {current} group by kind order by kind").fetchall(),
        "by_donor": conn.execute(f"select donor_code, count(*) as n {current} group by donor_code "
                                 "order by n desc, donor_code").fetchall(),
        "by_extractor": conn.execute(
            """select e.extractor_version, count(*) as n from raw.extractions e
               semi join current_pages p using (document_id, version_id)
               group by 1 order by n desc, 1""").fetchall(),
    }
    conn.execute("drop table current_pages")
    return summary


def mention_rows(document_id: str, version_id: str, url: str, records: list[PledgeRecord],
                 extractor_version: str) -> list[dict]:
    """Rows for raw.pledge_mentions. Ids come from what each record says and on which page
    (orchestration/mention_ids.py), so every version of a page gives its unchanged records the
    same ids; the rows of a version are told apart by version_id."""
    now = _now()
    ids = mention_ids(document_id, records)
    rows = []
    for n, record in enumerate(records):
        data = asdict(record)
        data.pop("notes")
        rule_trace = " > ".join(data.pop("trace"))
        package_index = data.pop("package_index")
        rows.append({
            "mention_id": ids[n], "version_id": version_id, "document_id": document_id, "url": url,
            **data,
            "package_mention_id": ids[package_index] if package_index is not None else None,
            "rule_trace": rule_trace, "extractor_version": extractor_version, "extracted_at": now,
        })
    return rows
