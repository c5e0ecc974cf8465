"""Python checks on the raw data. The blocking ones stop the run before dbt and publication
when they fail, so a bad night never reaches analysts; the drift check only warns."""

from datetime import datetime, timedelta, timezone

import dagster as dg

from orchestration.defs.extraction import raw_pledge_mentions
from orchestration.defs.ingest import raw_articles, raw_documents
from orchestration.defs.policies import DRIFT_DAYS, MAX_PARSE_FAILURE_RATE, MAX_QUANTITY, MAX_VALUE_USD
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from scrapers.fetching.sources import SourceError, load_registry

SHOWN_ROWS = 10


def _this_runs_metadata(context: dg.AssetCheckExecutionContext, asset_key: dg.AssetKey) -> dict:
    """The metadata of the asset's latest materialization, as plain values."""
    event = context.instance.get_latest_materialization_event(asset_key)
    if event is None or event.asset_materialization is None:
        return {}
    return {k: getattr(v, "value", v) for k, v in event.asset_materialization.metadata.items()}


def _table(headers: list[str], rows: list[tuple]) -> dg.MetadataValue:
    def cell(value) -> str:
        return str(value).replace("|", "/").replace("\n", " ")[:160]

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset_check(asset=raw_documents, blocking=True,
                description="Sources that answered gave at least one page: an empty refresh from sources "
                            "that did answer (a changed layout, a broken selector) stops publication.")
def sources_answered_with_pages(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    meta = _this_runs_metadata(context, raw_documents.key)
    answered = meta.get("sources", 0) - meta.get("sources_failed", 0)
    pages = sum(meta.get(k, 0) for k in ("new", "changed", "unchanged"))
    return dg.AssetCheckResult(
        passed=not (answered > 0 and pages == 0),
        metadata={"sources_answered": answered, "pages_seen": pages},
        description=f"{answered} sources answered with {pages} pages")


@dg.asset_check(asset=raw_articles, blocking=True,
                description=f"At most {MAX_PARSE_FAILURE_RATE:.0%} of the page versions parsed in a run fail to parse.")
def parse_failure_rate(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    meta = _this_runs_metadata(context, raw_articles.key)
    parsed, failed = meta.get("parsed", 0), meta.get("failed", 0)
    rate = failed / (parsed + failed) if parsed + failed else 0.0
    return dg.AssetCheckResult(
        passed=rate <= MAX_PARSE_FAILURE_RATE,
        metadata={"parsed": parsed, "failed": failed, "failure_rate": round(rate, 3),
                  "threshold": MAX_PARSE_FAILURE_RATE},
        description=f"{failed} of {parsed + failed} page versions failed to parse ({rate:.0%})")


@dg.asset_check(asset=raw_pledge_mentions, blocking=True, pool=DUCKDB_POOL,
                description=f"No negative amount or count, no record above ${MAX_VALUE_USD:,.0f} or "
                            f"{MAX_QUANTITY:,} units: such a number is a parsing error.")
def amounts_plausible(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect_build() as conn:
        rows = conn.execute(
            """select url, donor_code, coalesce(system_name, kind), value, currency, value_usd, quantity, sentence
               from raw.pledge_mentions
               where value < 0 or value_usd < 0 or quantity < 0 or value_usd > ? or quantity > ?
               order by url, span_start""", [MAX_VALUE_USD, MAX_QUANTITY]).fetchall()
    return dg.AssetCheckResult(
        passed=not rows,
        metadata={"implausible_records": len(rows),
                  "examples": _table(["url", "donor", "what", "value", "currency", "value_usd", "quantity",
                                      "sentence"], rows[:SHOWN_ROWS])},
        description=f"{len(rows)} records with a negative or absurd amount or count")


@dg.asset_check(asset=raw_pledge_mentions, blocking=True, pool=DUCKDB_POOL,
                description="No announcement or 'since' date after today (UTC): a future date is a misread date.")
def dates_not_in_future(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date()
    with warehouse.connect_build() as conn:
        rows = conn.execute(
            """select url, donor_code, announced_date, since_date, sentence from raw.pledge_mentions
               where announced_date >= ? or since_date >= ? order by url, span_start""",
            [tomorrow, tomorrow]).fetchall()
    return dg.AssetCheckResult(
        passed=not rows,
        metadata={"future_dated_records": len(rows),
                  "examples": _table(["url", "donor", "announced", "since", "sentence"], rows[:SHOWN_ROWS])},
        description=f"{len(rows)} records dated after today")


@dg.asset_check(asset=raw_documents, blocking=False, pool=DUCKDB_POOL,
                description=f"Every enabled registry source that has been read into this warehouse yielded a page "
                            f"(new or confirmed unchanged) in the last {DRIFT_DAYS} days; a source that went quiet "
                            f"gets a warning, publication goes on.")
def sources_yielding_pages(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    try:
        enabled = [s.id for s in load_registry().enabled()]
    except SourceError as exc:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, description=str(exc))
    with warehouse.connect_build() as conn:
        last_seen = dict(conn.execute(
            """select source_id, max(last_seen_at) filter (where fetch_status = 'ok') from raw.documents group by 1
               union all
               select source_id, null from raw.index_pages
               where source_id not in (select source_id from raw.documents)""").fetchall())
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for source_id in (s for s in enabled if s in last_seen):  # a source never read here is not judged
        seen = last_seen.get(source_id)
        days = (now - seen).total_seconds() / 86400 if seen else None
        rows.append((source_id, seen.isoformat(timespec="minutes") if seen else "never",
                     f"{days:.1f}" if days is not None else "", "quiet" if days is None or days > DRIFT_DAYS else "ok"))
    quiet = [r[0] for r in rows if r[3] == "quiet"]
    return dg.AssetCheckResult(
        passed=not quiet, severity=dg.AssetCheckSeverity.WARN,
        metadata={"quiet_sources": len(quiet),
                  "sources": _table(["source", "last page seen (UTC)", "days ago", "state"], rows)},
        description=(f"no page for over {DRIFT_DAYS} days from: {', '.join(quiet)}" if quiet
                     else f"all {len(rows)} enabled sources read here yielded pages within {DRIFT_DAYS} days"))
