"""Facts analysts trust, on the dev pages through the real pipeline: one pledge however many
pages report it, package totals never added to their own parts."""
import json
import shutil

from orchestration import settings
from orchestration.cli import run_nightly_job
from tests.conftest import SHARED_EVAL, query


def test_us_total_is_the_distinct_packages_and_not_the_headline_on_top(dev_warehouse):
    gold = [json.loads(line) for line in (SHARED_EVAL / "dev" / "gold.jsonl").read_text().splitlines()]
    stated = [g["value"] for g in gold if g["kind"] == "package" and g["donor"] == "USA" and not g["optional"]]
    assert 820e6 not in stated  # the headline of $50 million + $770 million is optional in gold
    [(headline,)] = query(dev_warehouse, """select count(*) from fct_pledges
                                            where donor_code = 'USA' and value = 820e6 and is_headline_total""")
    assert headline == 1
    parts = query(dev_warehouse, """select value from fct_pledges where donor_code = 'USA' and kind = 'package'
                                    and value in (50e6, 770e6) and not is_headline_total""")
    assert sorted(v for (v,) in parts) == [50e6, 770e6]
    # The donor's total is its distinct packages, each once, the headline not added on top of its parts.
    [(total,)] = query(dev_warehouse, "select packages_value_usd from donor_totals where donor_code = 'USA'")
    [(distinct,)] = query(dev_warehouse, """select sum(value_usd) from fct_pledges where donor_code = 'USA'
                                            and kind = 'package' and status <> 'rejected'
                                            and not is_headline_total""")
    assert abs(total - distinct) < 1.0, (total, distinct)


def test_every_page_twice_gives_the_same_pledges_each_with_two_pieces_of_evidence(
        dev_warehouse, tmp_path, monkeypatch):
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in (SHARED_EVAL / "dev" / "docs").iterdir():
        shutil.copy(page, pages / page.name)
        shutil.copy(page, pages / f"copy-of-{page.name}")
    for variable in (settings.WAREHOUSE_ENV, settings.BUILD_ENV):
        monkeypatch.setenv(variable, "")
    doubled = settings.use_warehouse(tmp_path / "doubled.duckdb")
    assert run_nightly_job(source_dirs=[str(pages)]).success

    [(pledges,)] = query(dev_warehouse, "select count(*) from fct_pledges")
    assert query(doubled, "select count(*) from fct_pledges")[0][0] == pledges
    # Each pledge has twice the evidence it had: a pledge that two pages report now has four.
    once = query(dev_warehouse, "select evidence_count, count(*) from fct_pledges group by 1 order by 1")
    twice = query(doubled, "select evidence_count, count(*) from fct_pledges group by 1 order by 1")
    assert twice == [(2 * evidence, n) for evidence, n in once]
    # Every page with evidence once has it in both copies (pages with no pledge have none).
    [(pages_with_evidence,)] = query(dev_warehouse, "select count(distinct document_id) from fct_pledge_evidence")
    [(bridge,)] = query(doubled, "select count(distinct document_id) from fct_pledge_evidence")
    assert pages_with_evidence > 0 and bridge == 2 * pages_with_evidence
