"""Ingest: fetch pages from the sources and parse them into articles.

`raw/documents` is partitioned by source: the nightly run reads every enabled source in one run
(a single-run range), and any one source can be re-run or backfilled on its own from the UI.
The `adhoc` partition reads what the run config names instead (folders, or one address) — what
`pledges refresh --source-dir/--source-url` uses.
"""

import time
from collections import Counter

import dagster as dg

from orchestration import page_work, parallel, progress, raw_archive, raw_store, settings
from orchestration.defs.policies import OWNERS
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from orchestration.fetching import SourceReport, ingest_source
from scrapers.fetching.http_client import HttpClient
from scrapers.parsing.parse import PARSER_VERSION
from scrapers.fetching.sources import Registry, Source, SourceError, adhoc_web_source, folder_sources, load_registry

PARSE_BATCH_PAGES = 50  # pages a worker parses at a time: a few MB of page bytes
WRITE_BATCH_PAGES = 1000  # parsed pages written to the warehouse at a time (a few MB of text)
ADHOC_PARTITION = "adhoc"


def _registry_partition_keys() -> list[str]:
    """Enabled sources of the registry, read when the code location loads; a broken registry
    leaves only `adhoc`, and the run then fails with the registry's own error message."""
    try:
        return [s.id for s in load_registry().enabled()]
    except SourceError:
        return []


REGISTRY_PARTITION_KEYS = _registry_partition_keys()
source_partitions = dg.StaticPartitionsDefinition(REGISTRY_PARTITION_KEYS + [ADHOC_PARTITION])


def nightly_partition_range() -> dict[str, str]:
    """Run tags that make one run read every enabled source of the registry."""
    if not REGISTRY_PARTITION_KEYS:
        return {}
    return {"dagster/asset_partition_range_start": REGISTRY_PARTITION_KEYS[0],
            "dagster/asset_partition_range_end": REGISTRY_PARTITION_KEYS[-1]}


class SourcesConfig(dg.Config):
    """Which registry to read, and for the `adhoc` partition what to read instead."""

    registry_path: str = ""  # default: $PLEDGES_REGISTRY, else sources/registry.yaml
    source_dirs: list[str] = []
    source_url: str = ""
    source_kind: str = "url"


def _sources_for_run(context: dg.AssetExecutionContext, config: SourcesConfig,
                     registry: Registry) -> list[tuple[str, Source]]:
    chosen: list[tuple[str, Source]] = []
    for key in context.partition_keys:
        if key == ADHOC_PARTITION:
            adhoc = folder_sources(config.source_dirs)
            if config.source_url:
                adhoc.append(adhoc_web_source(config.source_url, config.source_kind))
            if not adhoc:
                raise dg.Failure("the adhoc partition reads only what the run config names: "
                                 "set source_dirs or source_url in the raw__documents config")
            chosen.extend((key, source) for source in adhoc)
            continue
        source = registry.get(key)
        if not source.enabled:
            context.log.warning(f"source {key} is disabled in {registry.path}; skipped")
            continue
        chosen.append((key, source))
    return chosen


@dg.asset(key=["raw", "documents"], group_name="ingest", pool=DUCKDB_POOL, kinds={"python", "duckdb"}, owners=OWNERS,
          partitions_def=source_partitions, backfill_policy=dg.BackfillPolicy.single_run(),
          description="Fetched pages: bytes and metadata (source, url, fetched_at, status, validators, "
                      "content type, sha256); partitioned by source.")
def raw_documents(context: dg.AssetExecutionContext, config: SourcesConfig,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    try:
        registry = load_registry(config.registry_path or None)
        sources = _sources_for_run(context, config, registry)
    except SourceError as exc:
        raise dg.Failure(str(exc)) from None
    if not sources:
        raise dg.Failure("no enabled sources: enable one in the registry or pass a source folder or address")
    client = HttpClient(registry.http, logger=context.log)
    reports: list[SourceReport] = []
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        run_deadline = time.monotonic() + registry.http.max_seconds_per_run
        for partition, source in sources:
            report = ingest_source(conn, client, source, context.log, run_deadline)
            reports.append(report)
            context.log_event(dg.AssetObservation(asset_key=context.asset_key, partition=partition,
                                                  metadata=report.metadata()))
        archive_step(context, conn, raw_archive.INGEST_TABLES)
    failed = [r for r in reports if r.error]
    for report in failed:
        context.log.error(f"source {report.source.id} failed: {report.error}")
    for report in (r for r in reports if r.stopped and not r.error):
        context.log.warning(f"source {report.source.id} {report.stopped}")
    if len(failed) == len(reports):
        raise dg.Failure("every source failed: " + "; ".join(f"{r.source.id}: {r.error}" for r in failed))
    total = sum((r.counts for r in reports), Counter())
    context.log.info(f"documents: {total['new']} new, {total['changed']} changed, {total['unchanged']} unchanged, "
                     f"{total['skipped']} skipped, {total['failed']} failed; {client.stats.requests} requests, "
                     f"{client.stats.bytes / 1e6:.1f} MB")
    table = ("| source | kind | status | downloaded | new | changed | unchanged | skipped | failed | note |\n"
             "|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(r.row() for r in reports))
    return dg.MaterializeResult(metadata={
        "new": total["new"], "changed": total["changed"], "unchanged": total["unchanged"],
        "skipped": total["skipped"], "failed": total["failed"], "sources": len(reports), "sources_failed": len(failed),
        "http_requests": client.stats.requests, "http_bodies": client.stats.bodies,
        "http_not_modified": client.stats.not_modified, "http_retries": client.stats.retries,
        "per_source": dg.MetadataValue.md(table),
    })


@dg.asset(key=["raw", "articles"], deps=[raw_documents], group_name="ingest", pool=DUCKDB_POOL,
          kinds={"python", "duckdb"}, owners=OWNERS,
          description="Parsed pages: title, published date, language, publisher, main text, parser. "
                      "Only page versions not yet parsed by this parser version are parsed, and those "
                      "stopped over their time budget (PLEDGES_PAGE_SECONDS) the night before.")
def raw_articles(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    failed: list[str] = []
    done = 0
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        queued = raw_store.queue_parsing(conn, PARSER_VERSION)
        workers = parallel.worker_count(queued)
        context.log.info(f"parsing {queued} new page versions" + (f" in {workers} processes" if workers > 1 else ""))
        batches = raw_store.parse_batches(conn, queued, PARSE_BATCH_PAGES)
        for pages in parallel.gathered(parallel.map_batches(page_work.parse_pages, batches, workers), WRITE_BATCH_PAGES):
            raw_store.write_articles(conn, [page.row for page in pages])
            for page in pages:
                if page.error:
                    failed.append(f"{page.row['url']}: {page.error}")
                    context.log.warning(f"cannot parse {page.row['url']}: {page.error}")
            done += len(pages)
            progress.report(context.log, "parsed", done, queued)
        archive_step(context, conn, raw_archive.PARSE_TABLES)
    return dg.MaterializeResult(metadata={
        "parsed": done - len(failed), "failed": len(failed), "parser": PARSER_VERSION, "processes": workers,
        "failed_list": dg.MetadataValue.md("\n".join(f"- {page}" for page in failed) or "none")})


def archive_step(context, conn, tables: tuple[str, ...]) -> None:
    """Append what this step wrote to the raw archive, the copy a lost build is rebuilt from."""
    archived = raw_archive.append(conn, settings.archive_dir(), tables, warn=context.log.warning)
    if archived:
        context.log.info("raw archive: appended " + ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in archived.items()))
