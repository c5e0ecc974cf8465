"""Pledge ids that last from one release to the next.

dbt rebuilds every model each night, so the ids of the last release are kept where the rebuild
cannot reach them: raw.released_pledge_ids in the build file's raw schema, one row per record
(mention_id) with the pledge id it was published under. int_pledges_deduplicated reads it back
(stg_released_pledge_ids) and gives each pledge the id its records were published under, so an
analyst's citation keeps pointing at the same pledge when new reports of it arrive.
"""
from __future__ import annotations

import duckdb

# The relation dbt builds for int_pledges_deduplicated (its custom schema is used as is: see
# dbt_project/macros/generate_schema_name.sql).
DEDUPLICATED = "intermediate.int_pledges_deduplicated"


def remember_released_ids(build_conn: duckdb.DuckDBPyConnection) -> int:
    """Note the pledge id of every record of the build just published; returns how many records
    are new or moved to another pledge. A record no longer extracted keeps its last row: should it
    come back (a page restored), its pledge can take its old id again. Rows that did not change
    are left as they are, so publishing the same ids twice writes nothing."""
    build_conn.execute("begin transaction")
    try:
        changed = build_conn.execute(
            f"""insert into raw.released_pledge_ids
                select mention_id, pledge_id, now()::timestamp as released_at from {DEDUPLICATED}
                on conflict (mention_id) do update
                    set pledge_id = excluded.pledge_id, released_at = excluded.released_at
                    where released_pledge_ids.pledge_id <> excluded.pledge_id
                returning 1""").fetchall()
        build_conn.execute("commit")
    except Exception:
        build_conn.execute("rollback")
        raise
    return len(changed)
