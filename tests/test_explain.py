"""`pledges explain PAGE`: the page as the extractor sees it, each record with the rules that
made it and each candidate set aside with the rule that did, for a saved page and an address."""
import pytest

from orchestration.cli import main
from scrapers.extraction import Explanation, extract_records
from scrapers.models import Article

PAGE = """<html><head><title>Germany sends air defence to Ukraine</title>
<meta property="article:published_time" content="2024-06-12"></head><body><article>
<h1>Germany sends air defence to Ukraine</h1>
<p>Germany will send three IRIS-T SLM air defence systems to Ukraine, the defence ministry said.</p>
<p>Ukraine's air defences have been under heavy strain since the spring.</p>
<p>Read also: Norway pledges support</p>
</article></body></html>"""


@pytest.fixture
def page_file(tmp_path):
    path = tmp_path / "germany.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _assert_explains_the_page(out: str) -> None:
    assert "[headline] 0-36: Germany sends air defence to Ukraine" in out
    assert "[lead] 38-131: Germany will send" in out and "[read_also] 204-237: Read also" in out
    assert "Germany will send three IRIS-T SLM" in out  # the sentence as read
    assert "parties: Germany=DEU" in out
    assert "systems: IRIS-T SLM" in out
    assert "quantities: 3 IRIS-T SLM" in out
    assert "status=pledged" in out
    assert "item DEU pledged IRIS-T SLM air defense system x3  [chars 38-131]" in out
    assert ("rules: item:system_found > status:sentence_cue=pledged > giver:nearest_donor_before > "
            "quantity:count_before") in out
    # "Ukraine's air defences": owned, not given, and said so
    assert "Air defense systems (sentence 3): system:owned_by_recipient_or_aggressor" in out


def test_explain_a_saved_page(page_file, capsys):
    assert main(["explain", str(page_file)]) == 0
    _assert_explains_the_page(capsys.readouterr().out)


def test_explain_a_page_served_over_http(httpserver, capsys):
    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/news/germany.html").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    assert main(["explain", httpserver.url_for("/news/germany.html")]) == 0
    _assert_explains_the_page(capsys.readouterr().out)


@pytest.mark.parametrize("page, message", [
    ("/no/such/page.html", "no such file: /no/such/page.html"),
    ("ftp://example.org/page.html", "must be a file or an http(s) address"),
])
def test_a_missing_file_or_bad_address_gets_one_line(page, message, capsys):
    assert main(["explain", page]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_an_address_that_fails_gets_one_line(httpserver, capsys):
    httpserver.no_handler_status_code = 404
    assert main(["explain", httpserver.url_for("/gone.html")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pledges: cannot fetch") and "404" in err[0]


def test_every_record_carries_its_rules_and_a_merged_repeat_says_so():
    text = ("Canada will donate 8 Leopard 2 tanks to Ukraine.\n\n"
            "Canada will donate 8 Leopard 2 tanks to Ukraine, the minister said.")
    explanation = Explanation()
    records = extract_records(Article("", text, None, "en", None, ""), explanation)
    assert len(records) == 1
    assert records[0].trace[0] == "item:system_found"
    assert records[0].trace[-1] == "resolve:merged_repeat"
    assert [d.rule for d in explanation.dropped] == ["resolve:repeat_of_earlier_record"]


def test_extraction_without_an_explanation_keeps_nothing_aside():
    records = extract_records(Article("", "Canada will donate 8 Leopard 2 tanks to Ukraine.", None, "en", None, ""))
    assert [r.system_name for r in records] and all(r.trace for r in records)
