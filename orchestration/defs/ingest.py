"""Ingest: fetch pages from the sources and parse them into articles."""

from collections import Counter, defaultdict

import dagster as dg

from orchestration import raw_store
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from scrapers.fetch import fetch_source
from scrapers.parse import PARSER_VERSION, ParseError, parse_document
from scrapers.sources import DEFAULT_REGISTRY, SourceError, folder_sources, load_registry

PROGRESS_EVERY = 25


class SourcesConfig(dg.Config):
    """Which pages to read: the registry, or folders given for this run instead."""

    registry_path: str = str(DEFAULT_REGISTRY)
    source_dirs: list[str] = []


@dg.asset(key=["raw", "documents"], group_name="ingest", pool=DUCKDB_POOL, kinds={"python", "duckdb"},
          description="Fetched pages: bytes and metadata (source, url, fetched_at, status, content type, sha256).")
def raw_documents(context: dg.AssetExecutionContext, config: SourcesConfig,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    try:
        sources = folder_sources(config.source_dirs) if config.source_dirs else [
            s for s in load_registry(config.registry_path) if s.enabled]
    except SourceError as exc:
        raise dg.Failure(str(exc)) from None
    if not sources:
        raise dg.Failure("no enabled sources: enable one in the registry or pass a source folder")
    counts: dict[str, Counter] = defaultdict(Counter)
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        for source in sources:
            context.log.info(f"fetching {source.kind} source {source.id}")
            for n, doc in enumerate(fetch_source(source), 1):
                outcome = raw_store.write_document(conn, doc)
                counts[source.id][outcome] += 1
                if outcome == "failed":
                    context.log.warning(f"{source.id}: {doc.url}: {doc.error}")
                if n % PROGRESS_EVERY == 0:
                    context.log.info(f"{source.id}: {n} pages read")
    table = "| source | new | unchanged | failed |\n|---|---|---|---|\n" + "\n".join(
        f"| {sid} | {c['new']} | {c['unchanged']} | {c['failed']} |" for sid, c in counts.items())
    total = sum(counts.values(), Counter())
    context.log.info(f"documents: {total['new']} new, {total['unchanged']} unchanged, {total['failed']} failed")
    return dg.MaterializeResult(metadata={
        "new": total["new"], "unchanged": total["unchanged"], "failed": total["failed"],
        "per_source": dg.MetadataValue.md(table),
    })


@dg.asset(key=["raw", "articles"], deps=[raw_documents], group_name="ingest", pool=DUCKDB_POOL,
          kinds={"python", "duckdb"},
          description="Parsed pages: title, published date, language, publisher, main text, parser.")
def raw_articles(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    parsed = failed = 0
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        pending = raw_store.documents_to_parse(conn, PARSER_VERSION)
        context.log.info(f"parsing {len(pending)} new page versions")
        for n, (document_id, version_id, url, source_id, content, content_type) in enumerate(pending, 1):
            try:
                article, error = parse_document(bytes(content), content_type, url), None
                parsed += 1
            except ParseError as exc:
                article, error = None, str(exc)
                failed += 1
                context.log.warning(f"cannot parse {url}: {exc}")
            raw_store.write_article(conn, document_id=document_id, version_id=version_id, url=url,
                                    source_id=source_id, article=article, parser_version=PARSER_VERSION,
                                    error=error)
            if n % PROGRESS_EVERY == 0:
                context.log.info(f"parsed {n}/{len(pending)} pages")
    return dg.MaterializeResult(metadata={"parsed": parsed, "failed": failed, "parser": PARSER_VERSION})
