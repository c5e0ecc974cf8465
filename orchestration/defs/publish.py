"""Publication: the tested build file becomes the analysts' warehouse, with Parquet exports."""

import dagster as dg

from orchestration import build_inputs, pledge_ids, raw_archive, settings
from orchestration.defs.dbt import pledges_dbt_models
from orchestration.defs.ingest import archive_step
from orchestration.defs.policies import MART_FRESHNESS, OWNERS
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource
from orchestration.postgres_release import publish_to_postgres
from orchestration.publishing import publish_warehouse


# Written by published_warehouse after each publication (orchestration/pledge_ids.py) and read by
# the next build (stg_released_pledge_ids): declared here so that the dbt source has a home in the
# graph. Not an edge from published_warehouse, which would make the graph a cycle.
released_pledge_ids = dg.AssetSpec(
    key=["raw", "released_pledge_ids"], group_name="publish", kinds={"duckdb"}, owners=OWNERS,
    description="The pledge id each record was last published under, carried forward by the next build "
                "(written by published_warehouse).")


@dg.asset(deps=[pledges_dbt_models], group_name="publish", pool=DUCKDB_POOL, kinds={"duckdb", "parquet"},
          owners=OWNERS, freshness_policy=MART_FRESHNESS,
          description="The release analysts open: a marts-only DuckDB file with release_info and "
                      "release_changes, its exports and report, switched in as one. Runs only after every "
                      "dbt model and test has passed.")
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    published = warehouse.activate()
    with warehouse.connect_build() as conn:
        inputs = build_inputs.fingerprint(conn)
    if build_inputs.unchanged_since_release(inputs):
        context.log.info(f"nothing new since the release: {published} and its exports are left as they are")
        return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(published)), "republished": False,
                                              "size_bytes": published.stat().st_size})
    result = publish_warehouse(settings.build_path(), published)
    with warehouse.connect_build() as conn:  # the ids just published are carried forward by the next build
        moved = pledge_ids.remember_released_ids(conn)
        [(kept,)] = conn.execute("select count(*) from raw.released_pledge_ids").fetchall()
        archive_step(context, conn, raw_archive.PUBLISH_TABLES)
    # the table is its own asset in the graph (released_pledge_ids): it is written here, so here is
    # where its materialization is reported
    context.log_event(dg.AssetMaterialization(asset_key=released_pledge_ids.key, metadata={
        "records": kept, "records_new_or_moved": moved}))
    build_inputs.remember_release(inputs)
    if result.cleared:
        context.log.warning(f"removed what a killed publication left behind: {', '.join(result.cleared)}")
    if result.previous_error:
        context.log.warning(f"{result.previous_error}: release_changes lists every pledge as new")
    if result.pruned:
        context.log.info(f"removed releases older than the last few: {', '.join(result.pruned)}")
    changes = ", ".join(f"{n} {change}" for change, n in result.changes.items())
    context.log.info(f"published release {result.release_id} at {result.path} ({result.size_bytes / 1e6:.1f} MB): "
                     + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.headline.items())
                     + f"; since {result.previous_release_id or 'the previous release'}: {changes}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(result.path)),
        "release_id": result.release_id,
        "release_dir": dg.MetadataValue.path(str(result.release_dir)),
        "previous_release_id": result.previous_release_id or "",
        **{f"pledges_{change}": n for change, n in result.changes.items()},
        "downloads": dg.MetadataValue.md("\n".join(f"- {name}" for name in result.downloads)),
        "report": dg.MetadataValue.path(str(result.report_dir / "index.html")),
        "report_charts": dg.MetadataValue.json({c.name: c.points for c in result.report.charts}),
        "size_bytes": result.size_bytes,
        "size": dg.MetadataValue.text(f"{result.size_bytes / 1e6:.1f} MB"),
        **result.headline,
        "exports": dg.MetadataValue.path(str(result.exports_dir)),
        "rows": dg.MetadataValue.md("| table | rows |\n|---|---|\n" + "\n".join(
            f"| {t} | {n} |" for t, n in result.row_counts.items())),
        **{f"rows_{t}": n for t, n in result.row_counts.items()},
        "leftovers_removed": len(result.cleared),
        "republished": True,
    })


@dg.asset(deps=[published_warehouse], group_name="publish", pool=DUCKDB_POOL, kinds={"duckdb", "postgres"},
          owners=OWNERS, output_required=False,
          description="The published release's marts copied into PostgreSQL (PLEDGES_POSTGRES_URL) for many "
                      "analysts: schema pledges, switched in as one transaction, readable by the analysts' role. "
                      "Not materialized when PLEDGES_POSTGRES_URL is unset.")
def postgres_release(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    # In the writers' pool although it writes no DuckDB file: one night's copy ends before the next
    # night's publication starts, so PostgreSQL never receives an older release after a newer one.
    url = settings.postgres_url()
    if not url:
        context.log.info(f"{settings.POSTGRES_URL_ENV} is not set: the release is not copied to PostgreSQL")
        return
    release = warehouse.activate().resolve()  # the current release's own file, whatever is switched in meanwhile
    result = publish_to_postgres(release, url, reader_role=settings.postgres_reader_role())
    if result.unchanged:
        context.log.info(f"release {result.release_id} is already the one published in {result.server}")
    else:
        context.log.info(f"release {result.release_id} published in {result.server} as schema {result.schema} "
                         f"({sum(result.rows.values())} rows, {result.rows_per_second:.0f} rows/s, "
                         f"{result.seconds:.1f} s); the previous one is kept as {result.previous_schema or 'nothing'}")
    if result.not_pruned:
        context.log.warning(f"old releases still read, left for the next publication: {', '.join(result.not_pruned)}")
    yield dg.MaterializeResult(metadata={
        "server": result.server,
        "schema": result.schema,
        "release_id": result.release_id,
        "previous_release_id": result.previous_release_id or "",
        "previous_schema": result.previous_schema or "",
        "republished": not result.unchanged,
        "seconds": round(result.seconds, 2),
        "rows_per_second": round(result.rows_per_second),
        "swap_attempts": result.swap_attempts,
        "pruned": ", ".join(result.pruned),
        **{f"rows_{t}": n for t, n in result.rows.items()},
    })
