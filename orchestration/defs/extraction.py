"""Extraction: pledge records from the current version of every article.

A page version is extracted once per extractor version: a night with nothing new extracts
nothing, and a new extractor version (or a new parse of a page) re-extracts the pages it has not
read yet, as a backfill that shows in the metadata and the log.
"""

import dagster as dg

from orchestration import page_work, parallel, progress, raw_archive, raw_store
from orchestration.defs.ingest import archive_step, raw_articles
from orchestration.defs.policies import OWNERS
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from scrapers.extraction import EXTRACTOR_VERSION

EXTRACT_BATCH_PAGES = 100  # articles a worker reads at a time
WRITE_BATCH_PAGES = 1000  # extracted pages written to the warehouse at a time


@dg.asset(key=["raw", "pledge_mentions"], deps=[raw_articles], group_name="extraction", pool=DUCKDB_POOL,
          kinds={"python", "duckdb"}, owners=OWNERS,
          description="Extracted pledge records with evidence sentence, character span, rule trace and extractor "
                      "version; raw.extractions notes which extractor version read which page version.")
def raw_pledge_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    over_bound: list[str] = []
    failed: list[str] = []
    written = done = 0
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        reasons = raw_store.queue_extraction(conn, EXTRACTOR_VERSION)
        queued = sum(reasons.values())
        workers = parallel.worker_count(queued)
        if reasons.get("backfill"):
            older = ", ".join(raw_store.previous_extractor_versions(conn))
            context.log.info(f"backfill: {reasons['backfill']} pages read by another extractor version ({older}) or "
                             f"parsed again are extracted with {EXTRACTOR_VERSION}")
        context.log.info(f"extracting from {queued} articles ({_reasons(reasons)})"
                         + (f" in {workers} processes" if workers > 1 else ""))
        batches = raw_store.extract_batches(conn, queued, EXTRACT_BATCH_PAGES)
        for pages in parallel.gathered(parallel.map_batches(page_work.extract_pages, batches, workers), WRITE_BATCH_PAGES):
            raw_store.write_extractions(conn, pages, EXTRACTOR_VERSION)
            for page in pages:
                written += len(page.rows)
                if page.error:
                    failed.append(f"{page.url}: {page.error}")
                    context.log.error(f"extraction failed on {page.url}: {page.error}")
                elif page.records_found > len(page.rows):
                    over_bound.append(f"{page.url} ({page.records_found} records)")
                    context.log.warning(f"{page.url}: {page.records_found} records, more than any real page gives; "
                                        f"keeping the first {len(page.rows)}")
            done += len(pages)
            progress.report(context.log, "extracted", done, queued)
        summary = raw_store.current_mention_summary(conn)
        archive_step(context, conn, raw_archive.EXTRACT_TABLES)
    return dg.MaterializeResult(metadata={
        "pages_extracted": done,
        "pages_new": reasons.get("new", 0),
        "pages_backfilled": reasons.get("backfill", 0),
        "pages_retried": reasons.get("retry", 0),
        "pages_failed": len(failed),
        "mentions_written": written,
        "mentions": summary["mentions"],
        "articles": summary["articles"],
        "by_kind": dg.MetadataValue.md("| kind | records |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in summary["by_kind"])),
        "by_donor": dg.MetadataValue.md("| donor | records |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in summary["by_donor"])),
        "extractor_version": EXTRACTOR_VERSION,
        "extractor_versions_in_use": dg.MetadataValue.md("| extractor | pages |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in summary["by_extractor"])),
        "processes": workers,
        "pages_over_record_bound": len(over_bound),
        "pages_over_record_bound_list": dg.MetadataValue.md("\n".join(f"- {page}" for page in over_bound) or "none"),
        "pages_failed_list": dg.MetadataValue.md("\n".join(f"- {page}" for page in failed) or "none"),
    })


def _reasons(reasons: dict[str, int]) -> str:
    return ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())) or "nothing new"
