"""`make docs`: dbt's documentation site of the project, offline, with the exposures of the release."""
import json

from tests.ui.browser import Chromium, chromium_path, page_errors, requested_urls


def test_the_docs_site_shows_lineage_descriptions_and_exposures_offline(sample_warehouse, tmp_path):
    from orchestration import settings
    from orchestration.docs import build_docs

    settings.use_warehouse(sample_warehouse)  # its build file gives the catalog (column types)
    page = build_docs(tmp_path / "docs")
    html = page.read_text(encoding="utf-8")
    for exposure in ("exposure.pledges.published_warehouse", "exposure.pledges.exports", "exposure.pledges.report"):
        assert exposure in html
    assert "The kind of aid, as the Kiel Institute" in html  # a column description of fct_pledges

    assert chromium_path(), "chromium is not installed: `make test` installs it (`make browser`)"
    with Chromium() as browser:
        browser.send("Log.enable")
        browser.send("Network.enable")
        browser.navigate(page.as_uri() + "#!/exposure/exposure.pledges.report")
        browser.wait_for("document.body && document.body.innerText.includes('Release report')", timeout=60)
        text = browser.evaluate("document.body.innerText")
        nodes = json.loads(browser.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('a')).map(a => a.innerText.trim()).filter(t => t))"))
        browser.evaluate("1")
        events = list(browser.events)
    assert "fct_pledges" in text and "reconciliation_reported_totals" in nodes + [text]
    assert [url for url in requested_urls(events) if not url.startswith(("file://", "data:"))] == []
    # dbt's page asks for a few of its own templates as file:// addresses before they are filled in
    # ("{{ ... }}", "${require(...favicon...)}"), which Chromium refuses; nothing else may go wrong
    assert [e for e in page_errors(events)
            if "Unsafe attempt to load URL file:" not in e and "favicon" not in e] == []
