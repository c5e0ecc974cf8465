"""The extractor on sentences written for these tests (not taken from the dev pages)."""
from datetime import date

import pytest

from scrapers.extraction import extract_records
from scrapers.models import Article
from scrapers.extraction.numbers import find_money, find_rates, parse_number, quantity_before


def records_of(text, published=date(2024, 5, 10), publisher=None, language="en"):
    article = Article(title="", text=text, published_date=published, language=language, publisher=publisher, parser="t")
    return extract_records(article)


@pytest.mark.parametrize("text, language, value, currency, qualifier", [
    ("worth $1.2 billion", "en", 1.2e9, "USD", None),
    ("a package of up to $400 million", "en", 4e8, "USD", "up_to"),
    ("more than $95bn so far", "en", 95e9, "USD", "over"),
    ("a £162 million commitment", "en", 1.62e8, "GBP", None),
    ("rund 2,7 Milliarden Euro", "de", 2.7e9, "EUR", "about"),
    ("Hilfen über 2,7 Mrd. €", "de", 2.7e9, "EUR", "over"),
    ("a billion-dollar drawdown", "en", 1e9, "USD", None),
    ("NOK 1.5 billion in aid", "en", 1.5e9, "NOK", None),
])
def test_money_grammar(text, language, value, currency, qualifier):
    [money] = find_money(text, language)
    assert (money.value, money.currency, money.qualifier) == (pytest.approx(value), currency, qualifier)


def test_numbers_and_quantities():
    assert parse_number("150,000") == 150000
    assert parse_number("1.000", "de") == 1000
    assert parse_number("twenty-four") == 24
    assert quantity_before("will deliver up to 300 ").value == 300
    assert quantity_before("will deliver up to 300 ").qualifier == "up_to"
    assert quantity_before("hundreds of ").value is None
    assert quantity_before("the F-") is None
    [(_, rate)] = find_rates("raising output to 4,500 rounds per month")
    assert (rate.value, rate.per) == (4500, "month")


def test_package_with_listed_items_and_channel():
    text = ("The Pentagon today announced a Presidential Drawdown package valued at $250 million.\n\n"
            "The package includes:\n\nThree Patriot launchers;\n\nTwelve Bradley Infantry Fighting Vehicles;\n\n"
            "Ammunition for HIMARS.")
    records = records_of(text)
    [package] = [r for r in records if r.kind == "package"]
    assert (package.donor_code, package.value, package.channel, package.status) == ("USA", 2.5e8, "PDA", "pledged")
    items = {r.system_id: r for r in records if r.kind == "item"}
    assert items["patriot"].quantity == 3 and items["bradley"].quantity == 12
    assert items["himars_ammunition"].is_munition
    assert all(r.donor_code == "USA" and records[r.package_index] is package for r in items.values())


def test_donor_is_the_giver_not_the_reporter_or_recipient():
    [item] = records_of("Speaking in Kyiv, Austin said Norway agreed to provide 14 CV90 infantry fighting vehicles.")
    assert item.donor_code == "NOR" and item.quantity == 14 and "CV90" in item.system_name


def test_rejection_and_delivery():
    [rejected] = records_of("The Spanish government refused to send Leopard 2 tanks to Ukraine.")
    assert (rejected.donor_code, rejected.status) == ("ESP", "rejected")
    [delivered] = records_of("Denmark has delivered 19 F-16 fighter jets, officials confirmed.")
    assert (delivered.donor_code, delivered.status, delivered.quantity) == ("DNK", "delivered", 19)


def test_cumulative_total_is_an_aggregate_with_its_start():
    [total] = records_of("Since the start of the full-scale invasion, Canada has committed more than "
                         "CAD 4 billion in military assistance to Ukraine.")
    assert total.kind == "aggregate" and total.donor_code == "CAN" and total.since_date == date(2022, 2, 24)
    assert total.value_qualifier == "over"


def test_headline_split_marks_the_whole():
    text = ("The Department of Defense announced $600 million in security assistance for Ukraine. "
            "This includes a drawdown valued at up to $100 million and $500 million in Ukraine Security "
            "Assistance Initiative funds.")
    packages = {r.value: r for r in records_of(text) if r.kind == "package"}
    assert packages[6e8].is_headline_total
    assert (packages[1e8].channel, packages[5e8].channel) == ("PDA", "USAI")
    assert not packages[1e8].is_headline_total


def test_requests_captions_and_production_are_not_pledges():
    text = ("Ukraine asked its partners to provide more Patriot systems.\n\n"
            "A HIMARS launcher fires during an exercise (U.S. Army photo by a soldier)\n\n"
            "The plant will produce 200,000 155mm shells a year for European armies.")
    assert records_of(text) == []


def test_support_without_items_or_money():
    records = records_of("Portugal has pledged to support Ukraine for as long as it takes.")
    assert [(r.kind, r.donor_code, r.status) for r in records] == [("support", "PRT", "pledged")]


def test_german_release():
    text = ("Deutschland stellt der Ukraine ein weiteres Paket im Wert von rund 1,3 Milliarden Euro zur "
            "Verfügung. Das Paket umfasst 20 Schützenpanzer Marder und vier Flugabwehrsysteme IRIS-T SLM.")
    records = records_of(text, language="de")
    [package] = [r for r in records if r.kind == "package"]
    assert (package.donor_code, package.value, package.currency) == ("DEU", 1.3e9, "EUR")
    assert package.value_usd and package.fx_rate_usd
    items = {r.system_id: r.quantity for r in records if r.kind == "item"}
    assert items.get("marder") == 20
