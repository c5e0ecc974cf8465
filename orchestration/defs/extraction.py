"""Extraction: pledge records from the current version of every article."""

from collections import Counter

import dagster as dg

from orchestration import raw_store
from orchestration.defs.ingest import raw_articles
from orchestration.defs.policies import OWNERS
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from scrapers.extraction import EXTRACTOR_VERSION, extract_records
from scrapers.models import Article

PROGRESS_EVERY = 100
# The most records one page may yield. Real pages give at most a few dozen (24 on the dev set); a
# page that names thousands of countries or systems is a list of something else, or hostile, and
# would flood the warehouse: its first records are kept, and the page is flagged in the metadata.
MAX_RECORDS_PER_PAGE = 200


@dg.asset(key=["raw", "pledge_mentions"], deps=[raw_articles], group_name="extraction", pool=DUCKDB_POOL,
          kinds={"python", "duckdb"}, owners=OWNERS,
          description="Extracted pledge records with evidence sentence, character span and extractor version.")
def raw_pledge_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    rows: list[dict] = []
    over_bound: list[str] = []
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        articles = raw_store.current_articles(conn)
        context.log.info(f"extracting from {len(articles)} articles")
        for n, (document_id, version_id, url, title, text, published, language, publisher) in enumerate(articles, 1):
            article = Article(title=title or "", text=text or "", published_date=published,
                              language=language or "en", publisher=publisher, parser="")
            records = extract_records(article)
            if len(records) > MAX_RECORDS_PER_PAGE:
                context.log.warning(f"{url}: {len(records)} records, more than any real page gives; "
                                    f"keeping the first {MAX_RECORDS_PER_PAGE}")
                over_bound.append(f"{url} ({len(records)} records)")
                records = records[:MAX_RECORDS_PER_PAGE]
                for record in records:  # an item's package among the records cut off is no longer stored
                    if record.package_index is not None and record.package_index >= MAX_RECORDS_PER_PAGE:
                        record.package_index = None
            rows.extend(raw_store.mention_rows(document_id, version_id, url, records, EXTRACTOR_VERSION))
            if n % PROGRESS_EVERY == 0:
                context.log.info(f"extracted {n}/{len(articles)} articles")
        written = raw_store.replace_mentions(conn, rows)
    by_kind = Counter(r["kind"] for r in rows)
    by_donor = Counter(r["donor_code"] for r in rows)
    return dg.MaterializeResult(metadata={
        "mentions": written,
        "articles": len(articles),
        "by_kind": dg.MetadataValue.md("| kind | records |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in sorted(by_kind.items()))),
        "by_donor": dg.MetadataValue.md("| donor | records |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in by_donor.most_common())),
        "extractor_version": EXTRACTOR_VERSION,
        "pages_over_record_bound": len(over_bound),
        "pages_over_record_bound_list": dg.MetadataValue.md("\n".join(f"- {page}" for page in over_bound) or "none"),
    })
