"""Pages that once stopped a parse step."""
from scrapers.parsing.parse import parse_document


def test_a_page_with_json_ld_nested_thousands_deep_parses():
    nested = "[" * 5000 + "]" * 5000
    page = (f"<html><head><script type='application/ld+json'>{nested}</script></head><body><article>"
            f"<p>Germany will provide Ukraine with 5 Leopard tanks, the ministry said.</p></article></body></html>")
    assert "Leopard" in parse_document(page.encode(), "text/html", "https://example.org/").text
