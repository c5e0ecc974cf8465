"""The release report (orchestration/report): written from a real published warehouse, drawn by
headless Chromium, and proof against a page's text that tries to become HTML or script."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.report import write_report
from orchestration.report.charts import build_charts, chart_text
from orchestration.report.queries import ReportData
from orchestration.report.render import http_link, render_page
from tests.ui.browser import Chromium, chromium_path, page_errors, png_size, requested_urls

REPO = Path(__file__).resolve().parent.parent
README_SCREENSHOT = REPO / "docs" / "screenshots" / "report.png"

HOSTILE_SENTENCE = 'Berlin pledged 3 tanks.</q></td><script>window.pwned = "sentence"</script><b>bold</b>'
HOSTILE_TITLE = '<img src=x onerror="window.pwned = \'title\'">'
HOSTILE_SYSTEM = '<a href="javascript:window.pwned=1">Leopard</a> $5 and $6 & <br>more'
SCRIPT_URL = "javascript:window.pwned='url'"


# A mark is a bar or marker plotly drew with a real size on screen (bars of null or zero are
# empty paths, which plotly keeps in the DOM).
DRAWN_MARKS_JS = """JSON.stringify(Object.fromEntries(Array.from(document.querySelectorAll('[data-chart]')).map(div => [
  div.dataset.chart,
  Array.from(div.querySelectorAll('g.point path, path.point')).filter(p => {
    const box = p.getBBox(); return box.width > 0 && box.height > 0; }).length])))"""


def open_report(index: Path, *, height: int = 1310, screenshot: Path | None = None) -> dict:
    """The report as Chromium draws it: marks per chart, page text, events."""
    assert chromium_path(), "chromium is not installed: `make test` installs it (`make browser`)"
    with Chromium(width=1400, height=height) as browser:
        browser.send("Log.enable")
        browser.send("Network.enable")
        browser.navigate(index.as_uri())
        browser.wait_for("document.body && (document.body.dataset.chartsDrawn || document.body.dataset.chartsFailed)",
                         timeout=30)
        seen = {
            "drawn": browser.evaluate("document.body.dataset.chartsDrawn"),
            "failed": browser.evaluate("document.body.dataset.chartsFailed"),
            "marks": json.loads(browser.evaluate(DRAWN_MARKS_JS)),
            "svg_charts": browser.evaluate("document.querySelectorAll('[data-chart] svg.main-svg').length"),
            "text": browser.evaluate("document.body.innerText"),
            "pwned": browser.evaluate("window.pwned === undefined ? null : String(window.pwned)"),
            "links": browser.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"),
            "scripts": browser.evaluate("Array.from(document.scripts).map(s => s.src || 'inline:' + s.type)"),
        }
        if screenshot:
            seen["png"] = browser.screenshot(screenshot)
        browser.evaluate("1")  # one more round trip, so late console messages are in
        seen["events"] = list(browser.events)
    return seen


def test_report_of_the_sample_release_draws_every_chart_offline(sample_warehouse, tmp_path):
    # the report the publication wrote, beside the published file, in the same release
    published = sample_warehouse.parent / "report"
    assert published.resolve().parent == sample_warehouse.resolve().parent
    # what it drew, as write_report says (the same release written again; Chromium checks below
    # that the published page drew exactly that)
    out = tmp_path / "report"
    summary = write_report(sample_warehouse, out)

    assert summary.path == out / "index.html"
    assert sorted(p.name for p in published.iterdir()) == ["index.html", "plotly.min.js", "report.js"]
    assert (out / "plotly.min.js").stat().st_size > 1_000_000  # the library itself, not a loader
    names = [chart.name for chart in summary.charts]
    assert names == ["pledges_by_donor_status", "money_by_donor", "pledges_by_month", "systems_by_category",
                     "reported_vs_itemized"]
    assert all(chart.points > 0 for chart in summary.charts), summary.charts
    assert summary.release_info_recorded and summary.release_changes_recorded

    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        donors = conn.execute("select count(distinct donor_code) from fct_pledges").fetchone()[0]
        claims = conn.execute("select count(distinct (scope_code, claimed_value_usd, as_of_date)) "
                              "from reconciliation_reported_totals").fetchone()[0]
        latest = conn.execute("select sentence from fct_pledges order by announced_date desc nulls last, "
                              "donor_code limit 1").fetchone()[0]
        release_id = conn.execute("select release_id from release_info").fetchone()[0]
    status_chart = next(c for c in summary.charts if c.name == "pledges_by_donor_status")
    assert status_chart.points >= donors  # at least one bar per donor
    assert summary.table_rows["reported_totals"] == claims

    shot = tmp_path / "report.png"
    seen = open_report(published / "index.html", screenshot=shot)

    assert seen["failed"] is None and seen["drawn"] == str(len(summary.charts))
    assert seen["svg_charts"] >= len(summary.charts)
    # what plotly drew on screen is what the summary says was drawn, chart by chart
    assert seen["marks"] == {chart.name: chart.points for chart in summary.charts}
    assert page_errors(seen["events"]) == []
    requests = requested_urls(seen["events"])
    assert requests and all(url.startswith("file://") for url in requests), requests
    assert {Path(url).name for url in requests} == {"index.html", "plotly.min.js", "report.js"}

    text = seen["text"]
    assert "Pledges by donor and current status" in text and "Reported totals beside the itemized pledges" in text
    assert f"Release {release_id}" in text and "not recorded in this release" not in text
    assert " ".join(latest.split())[:60] in " ".join(text.split())
    # the sample's pages are file:// addresses: shown, never linked
    assert not any(link.startswith("file:") for link in seen["links"])

    data = seen["png"]
    assert png_size(data) == (1400, 1310)
    assert len(data) > 60_000, "the screenshot is nearly blank"
    if not README_SCREENSHOT.exists() or os.environ.get("UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, README_SCREENSHOT)


def add_release_tables_and_hostile_text(release: Path) -> None:
    """What the publication step adds (release_info, release_changes), and a page's text that
    tries to become markup, in the places the report shows page text."""
    with duckdb.connect(str(release)) as conn:
        conn.execute("""
            create or replace table main.release_info as select
              '2026-12-02T0200Z' as release_id, timestamptz '2026-12-02 02:14:00+00' as built_at,
              'abc1234' as git_commit, 'extractor 42' as extractor_versions, 'parser 7' as parser_versions,
              date '2026-11-30' as ecb_rates_end,
              'Amounts announced after 2026-11-30 are converted at that day''s rate.' as currency_note,
              (select count(*) from main.fct_pledges) as rows_fct_pledges""")
        conn.execute("""
            create or replace table main.release_changes as
            select pledge_id, case when row_number() over (order by pledge_id) <= 3 then 'new' else 'changed' end as change,
                   case when row_number() over (order by pledge_id) <= 3 then null else 'quantity,status' end as changed_fields,
                   donor_code, donor_name, kind, system_name, category, quantity, value_usd, announced_date
            from main.fct_pledges order by pledge_id limit 5""")
        conn.execute("insert into main.release_changes values ('gone-1', 'gone', null, 'FRA', 'France', 'item', "
                     "?, 'artillery', 6, null, date '2023-01-05')", [HOSTILE_SYSTEM])
        latest = conn.execute("select pledge_id from main.fct_pledges "
                              "order by announced_date desc nulls last, donor_code limit 1").fetchone()[0]
        conn.execute("update main.fct_pledges set sentence = ?, title = ?, url = ? where pledge_id = ?",
                     [HOSTILE_SENTENCE, HOSTILE_TITLE, SCRIPT_URL, latest])
        conn.execute("update main.system_totals set canonical_name = ? where system_id = "
                     "(select min(system_id) from main.system_totals)", [HOSTILE_SYSTEM])
        conn.execute("update main.reconciliation_reported_totals set reported_by = ?, url = ?, sentence = ?",
                     [HOSTILE_TITLE, "https://example.org/totals?a=1&b=<2>", HOSTILE_SENTENCE])
        # the Contact Group's claim repeated by a second page: one bar, "reported 2 times"
        conn.execute("insert into main.reconciliation_reported_totals select * replace "
                     "('again-' || reported_total_id as reported_total_id) "
                     "from main.reconciliation_reported_totals where scope_code = 'UDCG'")


def test_report_with_release_tables_and_hostile_page_text(sample_warehouse, tmp_path):
    release = tmp_path / "release.duckdb"
    shutil.copy(sample_warehouse, release)
    add_release_tables_and_hostile_text(release)

    summary = write_report(release, tmp_path / "report")
    assert summary.release_info_recorded and summary.release_changes_recorded
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        # a claim repeated by several pages is one row (earlier tests may have added such repeats)
        claims = conn.execute("select count(distinct (scope_code, claimed_value_usd, as_of_date)) "
                              "from reconciliation_reported_totals").fetchone()[0]
    assert summary.table_rows["reported_totals"] == claims  # the repeat is not a row of its own
    assert summary.table_rows["release_changes"] == 6
    page = summary.path.read_text()
    assert "<script>window.pwned" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page.lower()

    seen = open_report(summary.path, height=900)
    assert seen["drawn"] == str(len(summary.charts)) and seen["failed"] is None
    assert seen["pwned"] is None, f"page text ran as script: {seen['pwned']}"
    assert page_errors(seen["events"]) == []
    assert all(url.startswith("file://") for url in requested_urls(seen["events"]))
    # the page's scripts are the report's own two files and the chart data, nothing else
    assert [s if s.startswith("inline:") else Path(s).name for s in seen["scripts"]] == ["inline:application/json", "plotly.min.js", "report.js"]
    assert seen["links"] == ["https://example.org/totals?a=1&b=%3C2%3E"] * summary.table_rows["reported_totals"]

    text = " ".join(seen["text"].split())
    assert "Release 2026-12-02T0200Z, built 2026-12-02 02:14 UTC." in text
    assert "abc1234" in text and "Amounts announced after 2026-11-30" in text
    assert "3 new 2 changed 1 gone" in text and "quantity,status" in text
    assert "Rows per table: fct_pledges" in text
    with duckdb.connect(str(release), read_only=True) as conn:
        repeated_twice = conn.execute("""select count(*) from (select scope_code, claimed_value_usd, as_of_date
                                         from reconciliation_reported_totals group by all having count(*) = 2)""").fetchone()[0]
    assert repeated_twice >= 1 and text.count("reported 2 times") == repeated_twice
    # hostile text is shown as the characters it is
    assert " ".join(HOSTILE_SENTENCE.split()) in text
    assert HOSTILE_SYSTEM in text  # in the changes table
    assert f"{HOSTILE_TITLE}: {SCRIPT_URL}" in text  # not linked, shown with its address


def rows_with_hostile_text() -> ReportData:
    pledge = dict(pledge_id="p1", announced_date=dt.date(2024, 5, 1), donor_code="DEU", donor_name="Germany",
                  kind="item", system_name=HOSTILE_SYSTEM, category="armored_vehicles", quantity=3,
                  quantity_per=None, value=None, currency=None, value_usd=None, is_headline_total=False,
                  status="pledged", evidence_count=1, url=SCRIPT_URL, title=HOSTILE_TITLE, publisher=None,
                  sentence=HOSTILE_SENTENCE)
    linked = dict(pledge, pledge_id="p2", url="https://example.org/a?x=1&y=\"2\"", title="Good <i>page</i>")
    claim = dict(reported_total_id="t1", scope_code="UDCG", scope_name="Ukraine Defense Contact Group",
                 reported_by="</script><script>alert(1)</script>", claimed_value=95e9, claimed_currency="USD",
                 value_qualifier="over", claimed_value_usd=95e9, itemized_value_usd=13.8e9, itemized_pledge_count=11,
                 gap_usd=81.2e9, gap_share=0.85, as_of_date=dt.date(2024, 3, 19), since_date=dt.date(2022, 2, 24),
                 period_start=dt.date(2022, 2, 24), period_end=dt.date(2024, 3, 19), url="JavaScript:alert(1)",
                 sentence=HOSTILE_SENTENCE, reports=1)
    return ReportData(
        donor_money=[dict(donor_code="DEU", donor_name="Germany", packages_value_usd=2e9,
                          standalone_items_value_usd=0.0, total_value_usd=2e9, pledge_count=2)],
        donor_status=[dict(donor_code="DEU", donor_name="Germany", pledged=2, delivered=0, rejected=0, pledges=2)],
        monthly=[dict(month=dt.date(2024, 5, 1), pledges=2, packages=0, items=2, support=0, packages_value_usd=0.0)],
        undated_pledges=0,
        categories=[dict(category="armored_vehicles", platform_pledges=2, munition_pledges=None, systems=1,
                         system_names=HOSTILE_SYSTEM)],
        reported_totals=[claim], distinct_claims=1, latest_pledges=[pledge, linked], pledge_count=2)


def test_hostile_page_text_is_escaped_and_not_linked():
    data = rows_with_hostile_text()
    charts = build_charts(data)
    page = render_page(data, charts, plotly_script="plotly.min.js", report_script="report.js",
                       generated_at=dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.timezone.utc))

    # the only script elements are the chart data and the two files beside the page
    assert page.count("<script") == 3
    assert "<script>window.pwned" not in page and "<script>alert" not in page
    assert "&lt;script&gt;window.pwned" in page  # shown as text
    assert "<img src=x" not in page and "&lt;img src=x" in page
    # no link but the http(s) one, its quote and ampersand escaped inside the attribute
    assert page.count("<a href=") == 1
    assert '<a href="https://example.org/a?x=1&amp;y=&#34;2&#34;" rel="noopener noreferrer nofollow">' \
           "Good &lt;i&gt;page&lt;/i&gt;</a>" in page
    assert re.findall(r"""<[a-z]+\s[^<>]*\b(?:href|src)\s*=\s*["']?([^"' >]*)""", page, re.IGNORECASE) == [
        "https://example.org/a?x=1&amp;y=&#34;2&#34;", "plotly.min.js", "report.js"]
    # inside the chart data nothing can close the script element: <, > and & are \\u escapes
    specs = page[page.index('<script type="application/json" id="chart-specs">'):]
    specs = specs[len('<script type="application/json" id="chart-specs">'):specs.index("</script>")]
    assert "<" not in specs and ">" not in specs
    labels = json.loads(specs)["systems_by_category"]["data"][0]["customdata"]
    # plotly reads tags and $...$ TeX in labels; they reach it as entities it shows as text
    assert labels == [chart_text(HOSTILE_SYSTEM)]
    assert "&lt;a href=" in labels[0] and "&#36;5 and &#36;6 &amp; &lt;br&gt;more" in labels[0]


@pytest.mark.parametrize("url, linked", [
    ("https://www.defense.gov/News/Releases/1/", True),
    ("http://example.org/page?a=1&b=2", True),
    ("  HTTPS://EXAMPLE.ORG/ ", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("https://example.org/\nx", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("file:///etc/passwd", False),
    ("//example.org/protocol-relative", False),
    ("https:///no-host", False),
    ("vbscript:msgbox(1)", False),
    (None, False),
])
def test_only_http_addresses_become_links(url, linked):
    assert (http_link(url) is not None) is linked


def test_a_release_without_pledges_says_so_instead_of_drawing_empty_charts():
    empty = ReportData(donor_money=[], donor_status=[], monthly=[], undated_pledges=0, categories=[],
                       reported_totals=[], distinct_claims=0, latest_pledges=[], pledge_count=0)
    charts = build_charts(empty)
    assert [(chart.figure, chart.points) for chart in charts] == [(None, 0)] * 5
    page = render_page(empty, charts, plotly_script="plotly.min.js", report_script="report.js",
                       generated_at=dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.timezone.utc))
    assert "data-chart=" not in page
    assert "No pledges in this release." in page and "No reported totals in this release." in page
    assert "Changes are not recorded in this release." in page


def test_a_missing_release_file_is_one_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no release file to report on: .*absent.duckdb"):
        write_report(tmp_path / "absent.duckdb", tmp_path / "report")
    assert not (tmp_path / "report").exists()


def test_report_by_hand_from_the_command_line(tmp_path, capsys):
    from orchestration.report.__main__ import main

    assert main([str(tmp_path / "nothing.duckdb")]) == 2
    assert capsys.readouterr().err.strip() == f"error: no release file to report on: {tmp_path / 'nothing.duckdb'}"

    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("not a database")
    assert main([str(not_duckdb), "--out", str(tmp_path / "r1")]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot read {not_duckdb}: ")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main([str(empty), "--out", str(tmp_path / "r2")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {empty}: not a release file: it has no fct_pledges, donor_totals, pledges_by_month, "
        "system_totals, reconciliation_reported_totals")
    assert not (tmp_path / "r1").exists() and not (tmp_path / "r2").exists()


@pytest.mark.parametrize("value, currency, shown", [
    (5e9, "EUR", "EUR 5.00 bn"), (400e6, "USD", "US$ 400.00 m"), (750_000, None, "US$ 750,000"), (None, "GBP", "–")])
def test_money_is_shown_in_billions_and_millions(value, currency, shown):
    from orchestration.report.render import amount

    assert amount(value, currency) == shown
