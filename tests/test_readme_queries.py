"""Every example query of the README's analyst section runs on a published warehouse and
returns rows: the documentation an analyst copies from cannot go stale unnoticed."""
import re

import duckdb

from tests.conftest import REPO


def analyst_queries() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For analysts", 1)[1].split("\n## ", 1)[0]
    return [q.strip() for q in re.findall(r"```sql\n(.*?)```", section, re.S)]


def test_the_readme_has_at_least_eight_analyst_queries():
    assert len(analyst_queries()) >= 8


def test_every_readme_query_runs_on_the_published_warehouse(sample_warehouse):
    exports = sample_warehouse.parent / "exports"
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        for sql in analyst_queries():
            rows = conn.execute(sql.replace("warehouse/exports/", f"{exports}/")).fetchall()
            assert rows, f"no rows from:\n{sql}"
