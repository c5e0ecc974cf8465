"""The linear-time rewrites of int_pledges_deduplicated and reconciliation_reported_totals, and
int_pledges_corrected reading only the pages reviewers cite, give the same rows as the SQL they
replaced (kept in tests/sql), on the dev pages through the real pipeline; and the pledges_by_month
check is exact where a sum of doubles is not.
scripts/benchmark_dbt_models.py compares the two at scale."""
import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, build_file

REFERENCE_SQL = Path(__file__).resolve().parent / "sql"
SINGULAR_TESTS = REPO / "dbt_project" / "tests" / "singular"


def reference_sql(model: str) -> str:
    return (REFERENCE_SQL / f"{model}_reference.sql").read_text(encoding="utf-8")


def rows_apart(conn, built: str, reference: str) -> tuple[int, int]:
    """Rows of the built table missing from the reference's result, and the other way round
    (every column, duplicates counted)."""
    [(extra,)] = conn.execute(f"select count(*) from ((from {built}) except all ({reference}))").fetchall()
    [(missing,)] = conn.execute(f"select count(*) from (({reference}) except all (from {built}))").fetchall()
    return extra, missing


@pytest.mark.parametrize("model, relation", [
    ("int_pledges_deduplicated", "intermediate.int_pledges_deduplicated"),
    ("reconciliation_reported_totals", "main.reconciliation_reported_totals"),
    ("int_pledges_corrected", "intermediate.int_pledges_corrected"),
])
def test_rewritten_model_gives_the_rows_of_the_old_sql_on_the_dev_set(dev_warehouse, model, relation):
    with duckdb.connect(str(build_file(dev_warehouse)), read_only=True) as conn:
        # the reference SQL names its inputs without a schema: the build's own views and tables
        conn.execute("set search_path = 'intermediate,staging,main'")
        [(rows,)] = conn.execute(f"select count(*) from {relation}").fetchall()
        assert rows > 0
        assert rows_apart(conn, relation, reference_sql(model)) == (0, 0)


def render_singular_test(name: str) -> str:
    """The test's SQL with its config dropped and each ref() read as a table of that name."""
    sql = (SINGULAR_TESTS / f"{name}.sql").read_text(encoding="utf-8")
    sql = re.sub(r"\{\{\s*config\(.*?\)\s*\}\}[^\n]*\n", "", sql)
    return re.sub(r"\{\{\s*ref\('(\w+)'\)\s*\}\}", r"\1", sql)


# The check as it was: months added as doubles, 0.01 of tolerance.
OLD_PLEDGES_BY_MONTH_CHECK = """
with by_month as (
    select donor_code, sum(pledges) as pledges, sum(packages_value_usd) as packages_value_usd
    from pledges_by_month group by donor_code
)
select totals.donor_code from donor_totals as totals
full outer join by_month on by_month.donor_code = totals.donor_code
where by_month.pledges is distinct from totals.pledge_count
   or abs(coalesce(by_month.packages_value_usd, -1) - coalesce(totals.packages_value_usd, -2)) > 0.01
"""


def test_pledges_by_month_check_is_exact_at_fifty_trillion_dollars():
    """A thousand months of about $50 billion: the donor's exact total is $5 x 10^13, and adding
    the months' doubles misses it by more than a cent; the check adds them as decimals."""
    with duckdb.connect() as conn:
        conn.execute("""create table months as
                        select i, (49999999999.99 + (i % 7) * 0.01)::decimal(38, 2) as exact_usd
                        from range(1000) as t(i)""")
        # what the marts store: each exact sum as a double (exact_money_sum)
        conn.execute("""create table pledges_by_month as
                        select 'USA' as donor_code, 1::bigint as pledges, exact_usd::double as packages_value_usd
                        from months order by i""")
        conn.execute("""create table donor_totals as
                        select 'USA' as donor_code, count(*) as pledge_count, sum(exact_usd)::double as packages_value_usd
                        from months""")
        [(error,)] = conn.execute("""select abs(sum(m.packages_value_usd) - any_value(t.packages_value_usd))
                                     from pledges_by_month as m, donor_totals as t""").fetchall()
        assert error > 0.01  # the scale at which the old check failed
        assert conn.execute(OLD_PLEDGES_BY_MONTH_CHECK).fetchall() == [("USA",)]
        assert conn.execute(render_singular_test("pledges_by_month_adds_up_to_the_pledges")).fetchall() == []
        # and the exact check still sees a cent that is missing
        conn.execute("update donor_totals set packages_value_usd = packages_value_usd + 0.01")
        assert len(conn.execute(render_singular_test("pledges_by_month_adds_up_to_the_pledges")).fetchall()) == 1
