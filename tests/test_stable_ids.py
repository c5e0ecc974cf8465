"""Ids an analyst can cite, through the real nightly job (Dagster, dbt, publication) on a few
sample pages: a cosmetic change of a page keeps every id, a changed figure changes the id of its
own record only, and a pledge keeps its id from one release to the next, also when an earlier
report of it turns up on a new page."""
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, query

PAGES = ("01_dod_400m_pda_may2024.html", "07_uk_500m_gbp_package_apr2024.html", "09_first_f16s_arrive_ukraine.html")
EVIDENCE = "select url, mention_id, pledge_id, quantity, sentence from main.fct_pledge_evidence"

# A wire report of the DoD's $400 million package of 10 May 2024 (page 01), two days before it.
EARLIER_REPORT = """<!doctype html><html lang="en"><head>
<title>US readies $400 million arms package for Ukraine</title>
<meta property="article:published_time" content="2024-05-08T09:00:00Z">
</head><body><article><h1>US readies $400 million arms package for Ukraine</h1>
<p>The United States will provide Ukraine with a $400 million package of air defence munitions
and armoured vehicles, according to a draft seen by reporters.</p>
<p>The package is expected to be announced by the Pentagon within days.</p>
</article></body></html>"""


def _run(folder: Path):
    from orchestration.cli import run_nightly_job

    result = run_nightly_job(source_dirs=[str(folder)])
    assert result.success
    return {m.materialization.asset_key.path[-1]: m.materialization.metadata
            for m in result.get_asset_materialization_events()}


def _by_page(rows) -> dict[str, set[tuple]]:
    pages: dict[str, set[tuple]] = {}
    for url, *rest in rows:
        pages.setdefault(Path(url).name, set()).add(tuple(rest))
    return pages


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Three nights on three pages: the first release; then new furniture (a footer, a script,
    whitespace) on every page, a changed figure in one sentence of one of them and an earlier
    report of a pledge on a new page; then a night with nothing new. The published evidence after
    the first two, and the job's metadata of the third."""
    from orchestration import settings

    folder = tmp_path_factory.mktemp("pages")
    for name in PAGES:
        shutil.copy(SAMPLE / name, folder / name)
    published = tmp_path_factory.mktemp("warehouse") / "pledges.duckdb"
    settings.use_warehouse(published)

    _run(folder)
    first = query(published, EVIDENCE)

    for name in PAGES:
        page = folder / name
        html = page.read_text(encoding="utf-8")
        html = html.replace("</head>", "<script>window.dataLayer = [{'page': 'article'}];</script>\n</head>", 1)
        html = html.replace("</body>", "\n\n   <footer><p>© 2026 All rights reserved. Subscribe to our newsletter."
                                       "</p><nav><a href='/privacy'>Privacy</a></nav></footer>\n</body>", 1)
        page.write_text(html.replace("<p>", "\n    <p>"), encoding="utf-8")
    uk = folder / PAGES[1]
    html = uk.read_text(encoding="utf-8")
    assert html.count("60 boats") == 1
    uk.write_text(html.replace("60 boats", "70 boats"), encoding="utf-8")
    (folder / "00_wire_us_package_preview.html").write_text(EARLIER_REPORT, encoding="utf-8")
    _run(folder)
    second = query(published, EVIDENCE)

    quiet = _run(folder)
    versions = dict(query(settings.build_path(), "select url, count(*) from raw.documents group by url"))
    return (first, second), quiet, {Path(url).name: n for url, n in versions.items()}, published


def test_a_new_footer_script_and_whitespace_keep_every_id(releases):
    (first, second), _, versions, _ = releases
    assert [versions[name] for name in PAGES] == [2, 2, 2]  # every page was read again as a new version
    before, after = _by_page(first), _by_page(second)
    assert len(before[PAGES[0]]) >= 15 and len(before[PAGES[1]]) >= 10
    # the same records, mention_ids and pledge_ids; on the UK page, all but the boats' own record
    assert after[PAGES[0]] == before[PAGES[0]] and after[PAGES[2]] == before[PAGES[2]]
    assert {r for r in before[PAGES[1]] if r[2] != 60} == {r for r in after[PAGES[1]] if r[2] != 70}


def test_a_changed_figure_changes_the_id_of_its_own_record_only(releases):
    (first, second), _, _, _ = releases
    before, after = _by_page(first)[PAGES[1]], _by_page(second)[PAGES[1]]
    gone, new = before - after, after - before
    assert [(quantity, "boats" in sentence) for _, _, quantity, sentence in gone] == [(60, True)]
    assert [(quantity, "70 boats" in sentence) for _, _, quantity, sentence in new] == [(70, True)]
    assert {m for m, *_ in gone}.isdisjoint(m for m, *_ in after)


def test_pledges_keep_their_ids_across_releases_and_an_earlier_report_does_not_re_key_one(releases):
    (first, second), quiet, _, published = releases
    ids = [{pledge_id for _, _, pledge_id, _, _ in night} for night in (first, second)]
    # the boats pledge got a new id (its only record changed); every other one is kept
    boats = {pledge_id for url, _, pledge_id, quantity, _ in first if quantity == 60}
    assert len(boats) == 1 and ids[0] - ids[1] == boats

    package_before = [(p, m) for url, m, p, _, s in first
                      if url.endswith(PAGES[0]) and s == "$400 Million Presidential Drawdown Package for Ukraine"]
    assert len(package_before) == 1
    pledge_id, dod_mention = package_before[0]
    with_wire = query(published,
                      "select pledge_id, evidence_count, first_mention_id, url from main.fct_pledges "
                      "where pledge_id = ?", [pledge_id])
    # the wire report, two days earlier, is now the pledge's first record: the id stays
    assert [(n, Path(url).name) for _, n, _, url in with_wire] == [(2, "00_wire_us_package_preview.html")]
    assert with_wire[0][2] != dod_mention

    # a night with nothing new is still a no-op: the ids just remembered do not count as new input
    assert quiet["published_warehouse"]["republished"].value is False
    assert quiet["fct_pledges"]["rebuilt"].value is False
