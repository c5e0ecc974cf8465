"""Dates: the published date of a page, and relative expressions resolved against it."""
from datetime import date

import pytest

from scrapers.parsing.parse import parse_document

from tests.extraction.helpers import PUBLISHED, item, package_with_value, records_of

BODY = ("<p>Sweden will send 10 Archer self-propelled howitzers to Ukraine, the government said.</p>"
        "<p>The howitzers will come from Swedish Armed Forces stocks.</p>")


def page(head="", body=BODY):
    return f"<html lang='en'><head><title>Aid</title>{head}</head><body><article>{body}</article></body></html>".encode()


@pytest.mark.parametrize("head, expected", [
    ("<meta property='article:published_time' content='2024-03-18T09:30:00+01:00'>", date(2024, 3, 18)),
    ("<meta name='date' content='2023-11-02'>", date(2023, 11, 2)),
    ("<meta itemprop='datePublished' content='2024-01-09T16:00:00Z'>", date(2024, 1, 9)),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
     '"headline": "Aid", "datePublished": "2023-06-27T12:00:00Z"}</script>', date(2023, 6, 27)),
    ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "Article", '
     '"datePublished": "2024-02-14"}]}</script>', date(2024, 2, 14)),
])
def test_published_date_from_page_metadata(head, expected):
    article = parse_document(page(head), "text/html; charset=utf-8", "https://example.org/news/aid")
    assert article.published_date == expected


def test_published_date_from_time_element():
    body = "<time datetime='2024-04-23T08:00:00Z'>23 April 2024</time>" + BODY
    article = parse_document(page(body=body), "text/html", "https://example.org/news/aid")
    assert article.published_date == date(2024, 4, 23)


@pytest.mark.parametrize("dateline, expected", [
    ("<p>WASHINGTON, Sept. 21, 2023 — </p>", date(2023, 9, 21)),
    ("<p>Published 7 March 2024</p>", date(2024, 3, 7)),
    ("<p>Berlin, 12. Juni 2024</p>", date(2024, 6, 12)),
])
def test_published_date_from_visible_dateline(dateline, expected):
    article = parse_document(page(body=dateline + BODY), "text/html", "https://example.org/news/aid")
    assert article.published_date == expected


def test_published_date_from_plain_text_dateline():
    text = "Ukraine aid update\nOctober 4, 2023\nSweden will send 10 Archer self-propelled howitzers to Ukraine."
    article = parse_document(text.encode(), "text/plain", "https://example.org/aid.txt")
    assert article.published_date == date(2023, 10, 4)


def test_metadata_date_reaches_the_records():
    head = "<meta property='article:published_time' content='2024-03-18T09:30:00+01:00'>"
    article = parse_document(page(head), "text/html", "https://example.org/news/aid")
    from scrapers.extraction import extract_records
    record = item(extract_records(article), "archer")
    assert record.announced_date == date(2024, 3, 18)


# 2024-05-10 is a Friday; 2024-05-15 a Wednesday.
@pytest.mark.parametrize("text, published, expected", [
    ("On Monday, Sweden announced it will send 10 Archer self-propelled howitzers to Ukraine.",
     date(2024, 5, 10), date(2024, 5, 6)),
    ("On Monday, Sweden announced it will send 10 Archer self-propelled howitzers to Ukraine.",
     date(2024, 5, 15), date(2024, 5, 13)),
    ("Sweden announced on Wednesday it will send 10 Archer self-propelled howitzers to Ukraine.",
     date(2024, 5, 15), date(2024, 5, 15)),
    ("Sweden today announced it will send 10 Archer self-propelled howitzers to Ukraine.",
     date(2024, 5, 10), date(2024, 5, 10)),
    ("Yesterday Sweden announced it will send 10 Archer self-propelled howitzers to Ukraine.",
     date(2024, 5, 10), date(2024, 5, 9)),
    ("Sweden announced yesterday it will send 10 Archer self-propelled howitzers to Ukraine.",
     date(2024, 3, 1), date(2024, 2, 29)),
    ("Sweden will send 10 Archer self-propelled howitzers to Ukraine, the government said.",
     date(2024, 5, 10), date(2024, 5, 10)),
])
def test_relative_dates_resolve_against_the_published_date(text, published, expected):
    assert item(records_of(text, published=published), "archer").announced_date == expected


def test_earlier_this_month_is_within_the_month_before_publication():
    records = records_of("Earlier this month, Finland pledged 20 FH70 towed howitzers to Ukraine.",
                         published=date(2024, 5, 22))
    announced = item(records, "fh70").announced_date
    assert announced is not None and date(2024, 5, 1) <= announced < date(2024, 5, 22)


def test_relative_date_on_a_package():
    records = records_of("On Tuesday the Pentagon announced a $300 million drawdown package for Ukraine.",
                         published=date(2024, 5, 10))
    assert package_with_value(records, 3e8).announced_date == date(2024, 5, 7)


def test_a_date_before_the_war_is_not_the_day_of_a_pledge():
    """'On 3 March 1900': a typo or an aside, not the day aid to Ukraine was pledged; the page's
    own date stands, and the trace says why."""
    [record] = records_of("On March 3, 1900, Norway pledged €300 million to Ukraine.")
    assert record.announced_date == PUBLISHED and "date:before_the_war_ignored" in record.trace
    [undated] = records_of("Norway pledged €300 million to Ukraine.", published=date(1900, 1, 1))
    assert undated.announced_date is None
