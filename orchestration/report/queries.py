"""What goes into each chart and table of the report: read-only queries on a release file's marts.

Nothing here knows about HTML or plotly; every function returns plain rows (dicts) so that the
charts and the page can be built and tested from written rows alone.

Money is counted once, as donor_totals counts it: packages without headline totals plus items
with a value of their own that belong to no package (fct_pledges' items inside a package repeat
part of the package's money, and a headline total repeats its parts).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

LATEST_PLEDGES_SHOWN = 25
REPORTED_TOTALS_SHOWN = 30
CHANGES_LISTED = 200

# The marts the report reads; the release tables are optional (older releases lack them).
REQUIRED_TABLES = ("fct_pledges", "donor_totals", "pledges_by_month", "system_totals",
                   "reconciliation_reported_totals")
OPTIONAL_TABLES = ("release_info", "release_changes")


class NotARelease(ValueError):
    """The file opened is a DuckDB file without the marts the report reads."""


@dataclass(frozen=True)
class ReportData:
    donor_money: list[dict]
    donor_status: list[dict]
    monthly: list[dict]
    undated_pledges: int
    categories: list[dict]
    reported_totals: list[dict]
    distinct_claims: int
    latest_pledges: list[dict]
    pledge_count: int
    release_info: dict | None = None          # None: not recorded in this release
    change_counts: dict[str, int] | None = None
    changes: list[dict] | None = None
    changes_not_listed: int = 0
    present_tables: frozenset[str] = field(default_factory=frozenset)


def rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = conn.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def main_tables(conn: duckdb.DuckDBPyConnection) -> frozenset[str]:
    found = conn.execute("select table_name from duckdb_tables() where schema_name = 'main' "
                         "union all select view_name from duckdb_views() where schema_name = 'main'").fetchall()
    return frozenset(name for (name,) in found)


DONOR_MONEY_SQL = """
select donor_code, donor_name, packages_value_usd, standalone_items_value_usd, total_value_usd, pledge_count
from main.donor_totals
where total_value_usd > 0
order by total_value_usd desc, donor_code
"""

# Current status per donor: "pledged against delivered" reads the pledge's latest status.
DONOR_STATUS_SQL = """
select donor_code, any_value(donor_name) as donor_name,
       count(*) filter (where status = 'pledged') as pledged,
       count(*) filter (where status = 'delivered') as delivered,
       count(*) filter (where status = 'rejected') as rejected,
       count(*) as pledges
from main.fct_pledges
group by donor_code
order by pledges desc, donor_code
"""

# Every month from the first to the last, empty ones too: a line across a gap would suggest money
# that no page announced.
MONTHLY_SQL = """
with dated as (
    select month, sum(pledges) as pledges, sum(packages) as packages, sum(items) as items,
           sum(packages_value_usd) as packages_value_usd
    from main.pledges_by_month
    where month is not null
    group by month
), months as (
    select unnest(generate_series(min(month), max(month), interval 1 month))::date as month from dated
)
select months.month, coalesce(pledges, 0)::bigint as pledges, coalesce(packages, 0)::bigint as packages,
       coalesce(items, 0)::bigint as items,
       coalesce(pledges - packages - items, 0)::bigint as support,
       coalesce(packages_value_usd, 0) as packages_value_usd
from months left join dated using (month)
order by months.month
"""

UNDATED_SQL = "select coalesce(sum(pledges), 0)::bigint from main.pledges_by_month where month is null"

# Systems of the taxonomy only (system_totals); munitions apart from the platforms they fire from.
CATEGORIES_SQL = """
select category,
       sum(pledge_count) filter (where not coalesce(is_munition, false))::bigint as platform_pledges,
       sum(pledge_count) filter (where is_munition)::bigint as munition_pledges,
       count(*)::bigint as systems,
       string_agg(canonical_name, ', ' order by pledge_count desc, canonical_name) as system_names
from main.system_totals
group by category
order by sum(pledge_count) desc, category
"""

# The same claim repeated by several pages (same scope, amount, date and period) is one bar and one
# row, with the number of its reports; the most recent claims are shown, the largest first.
REPORTED_TOTALS_SQL = """
with claims as (
    select *,
           count(*) over same_claim as reports,
           row_number() over (same_claim order by reported_total_id) as report_rank
    from main.reconciliation_reported_totals
    where claimed_value_usd is not null
    window same_claim as (partition by scope_code, claimed_value_usd, as_of_date, period_start)
), recent as (
    select * from claims where report_rank = 1
    order by as_of_date desc nulls last, claimed_value_usd desc, reported_total_id
    limit ?
)
select reported_total_id, scope_code, scope_name, reported_by, claimed_value, claimed_currency,
       value_qualifier, claimed_value_usd, itemized_value_usd, itemized_pledge_count, gap_usd, gap_share,
       as_of_date, since_date, period_start, period_end, url, sentence, reports
from recent
order by claimed_value_usd desc, as_of_date desc nulls last, reported_total_id
"""

DISTINCT_CLAIMS_SQL = """
select count(distinct (scope_code, claimed_value_usd, as_of_date, period_start))
from main.reconciliation_reported_totals where claimed_value_usd is not null
"""

LATEST_PLEDGES_SQL = """
select pledge_id, announced_date, donor_code, donor_name, kind, system_name, category, quantity,
       quantity_per, value, currency, value_usd, is_headline_total, status, evidence_count, url, title,
       publisher, sentence
from main.fct_pledges
order by announced_date desc nulls last, donor_code, kind, system_name nulls last, pledge_id
limit ?
"""

CHANGES_SQL = """
select pledge_id, change, changed_fields, donor_code, donor_name, kind, system_name, category, quantity,
       value_usd, announced_date
from main.release_changes
order by case change when 'new' then 0 when 'changed' then 1 else 2 end,
         announced_date desc nulls last, donor_code, pledge_id
limit ?
"""


def read_report_data(conn: duckdb.DuckDBPyConnection) -> ReportData:
    present = main_tables(conn)
    missing = [name for name in REQUIRED_TABLES if name not in present]
    if missing:
        raise NotARelease(f"not a release file: it has no {', '.join(missing)}")
    info = None
    if "release_info" in present:
        found = rows(conn, "select * from main.release_info limit 1")
        info = found[0] if found else None
    change_counts = changes = None
    not_listed = 0
    if "release_changes" in present:
        change_counts = {change: count for change, count in conn.execute(
            "select change, count(*) from main.release_changes group by change").fetchall()}
        changes = rows(conn, CHANGES_SQL, [CHANGES_LISTED])
        not_listed = sum(change_counts.values()) - len(changes)
    return ReportData(
        donor_money=rows(conn, DONOR_MONEY_SQL),
        donor_status=rows(conn, DONOR_STATUS_SQL),
        monthly=rows(conn, MONTHLY_SQL),
        undated_pledges=conn.execute(UNDATED_SQL).fetchone()[0],
        categories=rows(conn, CATEGORIES_SQL),
        reported_totals=rows(conn, REPORTED_TOTALS_SQL, [REPORTED_TOTALS_SHOWN]),
        distinct_claims=conn.execute(DISTINCT_CLAIMS_SQL).fetchone()[0],
        latest_pledges=rows(conn, LATEST_PLEDGES_SQL, [LATEST_PLEDGES_SHOWN]),
        pledge_count=conn.execute("select count(*) from main.fct_pledges").fetchone()[0],
        release_info=info,
        change_counts=change_counts,
        changes=changes,
        changes_not_listed=not_listed,
        present_tables=present,
    )
