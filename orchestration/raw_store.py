"""The raw layer in DuckDB: create-if-missing tables and idempotent writes keyed by content."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Iterable

import duckdb

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
    mention_id varchar primary key, version_id varchar not null, document_id varchar not null,
    url varchar not null, kind varchar not null, donor_code varchar not null, system_id varchar,
    system_name varchar, category varchar, is_munition boolean, quantity bigint,
    quantity_per varchar, quantity_qualifier varchar, value double, currency varchar,
    value_qualifier varchar, value_usd double, fx_rate_usd double, status varchar not null,
    channel varchar, announced_date date, since_date date, package_mention_id varchar,
    is_headline_total boolean not null, sentence varchar not null, span_start integer not null,
    span_end integer not null, confidence double not null, extractor_version varchar not null,
    extracted_at timestamp not null);
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
"""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(RAW_DDL)


DOCUMENT_COLUMNS = ("document_id, version_id, source_id, source_kind, url, fetched_at, last_seen_at, fetch_status, "
                    "http_status, error, content_type, content, size_bytes, etag, last_modified, parser, language_hint")


def write_document(conn: duckdb.DuckDBPyConnection, doc: FetchedDocument) -> str:
    """Store one fetched page; returns new, changed (a new version of a known page), unchanged,
    skipped or failed. A version already held only has last_seen_at (and its validators) moved,
    so re-running on the same pages adds no rows and the newest-seen version is the current one."""
    if doc.fetch_status == "not_modified":
        touched = conn.execute(
            """update raw.documents set last_seen_at = ?, etag = coalesce(?, etag),
                      last_modified = coalesce(?, last_modified)
               where document_id = ? and version_id = (
                   select version_id from raw.documents where document_id = ? and fetch_status = 'ok'
                   order by last_seen_at desc, version_id limit 1)
               returning 1""",
            [doc.fetched_at, doc.etag, doc.last_modified, doc.document_id, doc.document_id]).fetchall()
        return "unchanged" if touched else "failed"
    known = conn.execute(
        "select 1 from raw.documents where document_id = ? and version_id = ?", [doc.document_id, doc.version_id]
    ).fetchone()
    if known:
        conn.execute("""update raw.documents set last_seen_at = ?, etag = coalesce(?, etag),
                               last_modified = coalesce(?, last_modified), http_status = coalesce(?, http_status)
                        where document_id = ? and version_id = ?""",
                     [doc.fetched_at, doc.etag, doc.last_modified, doc.http_status, doc.document_id, doc.version_id])
    else:
        had_version = conn.execute(
            "select 1 from raw.documents where document_id = ? and fetch_status = 'ok' limit 1", [doc.document_id]
        ).fetchone()
        conn.execute(
            f"insert into raw.documents ({DOCUMENT_COLUMNS}) values ({', '.join('?' * 17)})",
            [doc.document_id, doc.version_id, doc.source_id, doc.source_kind, doc.url, doc.fetched_at,
             doc.fetched_at, doc.fetch_status, doc.http_status, doc.error, doc.content_type,
             doc.content if doc.fetch_status == "ok" else None, len(doc.content), doc.etag, doc.last_modified,
             doc.parser, doc.language],
        )
    if doc.fetch_status in ("failed", "skipped"):
        return doc.fetch_status
    if known:
        return "unchanged"
    return "changed" if had_version else "new"


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


def documents_to_parse(conn: duckdb.DuckDBPyConnection, parser_version: str) -> list[tuple]:
    """Fetched page versions not yet parsed by this parser version: (document_id, version_id,
    url, source_id, content, content_type, parser, language_hint). The same bytes under two
    addresses are two documents, each parsed for itself."""
    return conn.execute(
        """select d.document_id, d.version_id, d.url, d.source_id, d.content, d.content_type,
                  coalesce(d.parser, 'generic'), d.language_hint
           from raw.documents d
           where d.fetch_status = 'ok'
             and not exists (select 1 from raw.articles a
                             where a.document_id = d.document_id and a.version_id = d.version_id
                               and a.parser_version = ?)
           order by d.url""",
        [parser_version],
    ).fetchall()


def write_article(conn, *, document_id: str, version_id: str, url: str, source_id: str,
                  article: Article | None, parser_version: str, error: str | None = None) -> None:
    conn.execute("delete from raw.articles where document_id = ? and version_id = ?", [document_id, version_id])
    conn.execute(
        "insert into raw.articles values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [version_id, document_id, url, source_id,
         article.title if article else None, article.publisher if article else None,
         article.published_date if article else None, article.language if article else None,
         article.text if article else None, article.parser if article else None, parser_version,
         "ok" if article else "failed", error, _now()],
    )


def current_articles(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The newest parsed version of every document (the one seen last, so a page that changes
    back is current again): (document_id, version_id, url, title, text, published_date,
    language, publisher)."""
    return conn.execute(
        """select a.document_id, a.version_id, a.url, a.title, a.text, a.published_date, a.language, a.publisher
           from raw.articles a join raw.documents d using (document_id, version_id)
           where a.parse_status = 'ok'
           qualify row_number() over (partition by a.document_id order by d.last_seen_at desc, a.version_id) = 1
           order by a.url"""
    ).fetchall()


def replace_mentions(conn: duckdb.DuckDBPyConnection, rows: Iterable[dict]) -> int:
    """Replace all mentions: extraction is recomputed over every current article each run, so an
    improved extractor updates old documents too and the same inputs give the same rows."""
    rows = list(rows)
    conn.execute("begin transaction")
    try:
        conn.execute("delete from raw.pledge_mentions")
        if rows:
            columns = list(rows[0])
            conn.executemany(
                f"insert into raw.pledge_mentions ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                [[row[c] for c in columns] for row in rows],
            )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return len(rows)


def mention_rows(document_id: str, version_id: str, url: str, records: list[PledgeRecord],
                 extractor_version: str) -> list[dict]:
    """Rows for raw.pledge_mentions. An id hashes the document version and what the record says,
    so it survives extractor changes that leave the record itself alone."""
    now = _now()
    ids: list[str] = []
    for record in records:
        claim = "|".join(str(v) for v in (document_id, version_id, record.span_start, record.kind, record.donor_code,
                                          record.system_id, record.quantity, record.value, record.status))
        mention_id = hashlib.sha256(claim.encode()).hexdigest()[:20]
        while mention_id in ids:  # the same claim twice in one sentence: keep both, apart
            mention_id = hashlib.sha256(mention_id.encode()).hexdigest()[:20]
        ids.append(mention_id)
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
