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


@dg.asset(key=["raw", "pledge_mentions"], deps=[raw_articles], group_name="extraction", pool=DUCKDB_POOL,
          kinds={"python", "duckdb"}, owners=OWNERS,
          description="Extracted pledge records with evidence sentence, character span and extractor version.")
def raw_pledge_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    rows: list[dict] = []
    with warehouse.connect_build() as conn:
        raw_store.ensure_raw_schema(conn)
        articles = raw_store.current_articles(conn)
        context.log.info(f"extracting from {len(articles)} articles")
        for n, (document_id, version_id, url, title, text, published, language, publisher) in enumerate(articles, 1):
            article = Article(title=title or "", text=text or "", published_date=published,
                              language=language or "en", publisher=publisher, parser="")
            records = extract_records(article)
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
    })
