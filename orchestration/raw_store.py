"""The raw layer in DuckDB: create-if-missing tables and idempotent writes keyed by content."""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Iterable

import duckdb

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
alter table raw.pledge_mentions add column if not exists value_eur double;
alter table raw.pledge_mentions add column if not exists fx_rate_eur double;
alter table raw.pledge_mentions add column if not exists fx_date date;
"""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(RAW_DDL)


def write_document(conn: duckdb.DuckDBPyConnection, doc: FetchedDocument) -> str:
    """Store one fetched page; returns 'new', 'unchanged' or 'failed'. A version already held
    only has its last_seen_at moved, so re-running on the same pages adds no rows."""
    known = conn.execute(
        "select 1 from raw.documents where document_id = ? and version_id = ?", [doc.document_id, doc.version_id]
    ).fetchone()
    if known:
        conn.execute("update raw.documents set last_seen_at = ? where document_id = ? and version_id = ?",
                     [doc.fetched_at, doc.document_id, doc.version_id])
    else:
        conn.execute(
            "insert into raw.documents values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.document_id, doc.version_id, doc.source_id, doc.source_kind, doc.url, doc.fetched_at,
             doc.fetched_at, doc.fetch_status, doc.http_status, doc.error, doc.content_type,
             doc.content if doc.fetch_status == "ok" else None, len(doc.content)],
        )
    if doc.fetch_status != "ok":
        return "failed"
    return "unchanged" if known else "new"


def documents_to_parse(conn: duckdb.DuckDBPyConnection, parser_version: str) -> list[tuple]:
    """Fetched page versions not yet parsed by this parser version. The same bytes under two
    addresses are two documents, each parsed for itself."""
    return conn.execute(
        """select d.document_id, d.version_id, d.url, d.source_id, d.content, d.content_type
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
    """The newest parsed version of every document: (document_id, version_id, url, title,
    text, published_date, language, publisher)."""
    return conn.execute(
        """select a.document_id, a.version_id, a.url, a.title, a.text, a.published_date, a.language, a.publisher
           from raw.articles a join raw.documents d using (document_id, version_id)
           where a.parse_status = 'ok'
           qualify row_number() over (partition by a.document_id order by d.fetched_at desc, a.version_id) = 1
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
        package_index = data.pop("package_index")
        rows.append({
            "mention_id": ids[n], "version_id": version_id, "document_id": document_id, "url": url,
            **data,
            "package_mention_id": ids[package_index] if package_index is not None else None,
            "extractor_version": extractor_version, "extracted_at": now,
        })
    return rows
