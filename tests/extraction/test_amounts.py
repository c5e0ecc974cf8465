"""Money amounts: currencies, scales, German number format, qualifiers and conversion to US dollars."""
import pytest

from scrapers.extraction.numbers import find_money

from tests.extraction.helpers import package_with_value, records_of, summary


@pytest.mark.parametrize("text, value, currency", [
    ("a package worth $1.2 billion", 1.2e9, "USD"),
    ("assistance valued at $400 million", 4e8, "USD"),
    ("a US$250 million tranche", 2.5e8, "USD"),
    ("USD 725 million in assistance", 7.25e8, "USD"),
    ("a €500 million package", 5e8, "EUR"),
    ("EUR 1.1 billion for ammunition", 1.1e9, "EUR"),
    ("a further £2.5 billion this year", 2.5e9, "GBP"),
    ("GBP 300 million for drones", 3e8, "GBP"),
    ("SEK 7.1 billion in military support", 7.1e9, "SEK"),
    ("DKK 1.3 billion for the fund", 1.3e9, "DKK"),
    ("CAD 500 million in military aid", 5e8, "CAD"),
    ("a PLN 2 billion loan", 2e9, "PLN"),
])
def test_currencies(text, value, currency):
    [money] = find_money(text, "en")
    assert (money.value, money.currency) == (pytest.approx(value), currency)


@pytest.mark.parametrize("text, language, value, currency", [
    ("more aid, bringing the total to $61bn", "en", 61e9, "USD"),
    ("a $1 bln credit line", "en", 1e9, "USD"),
    ("a €1.4bn order", "en", 1.4e9, "EUR"),
    ("a second billion-dollar package", "en", 1e9, "USD"),
    ("Hilfen von 1,8 Mrd. € für die Ukraine", "de", 1.8e9, "EUR"),
    ("ein Paket von 3,5 Milliarden Euro", "de", 3.5e9, "EUR"),
    ("weitere 650 Millionen Euro", "de", 6.5e8, "EUR"),
])
def test_scales_and_number_formats(text, language, value, currency):
    [money] = find_money(text, language)
    assert (money.value, money.currency) == (pytest.approx(value), currency)


@pytest.mark.parametrize("text, language, value, qualifier", [
    ("a drawdown of up to $500 million", "en", 5e8, "up_to"),
    ("more than $2 billion in aid", "en", 2e9, "over"),
    ("over $1 billion this year", "en", 1e9, "over"),
    ("about €300 million for air defence", "en", 3e8, "about"),
    ("approximately $125 million in equipment", "en", 1.25e8, "about"),
    ("Hilfen über 1,1 Milliarden Euro", "de", 1.1e9, "over"),
    ("rund 500 Millionen Euro", "de", 5e8, "about"),
    ("a $150 million package", "en", 1.5e8, None),
])
def test_qualifiers(text, language, value, qualifier):
    [money] = find_money(text, language)
    assert (money.value, money.qualifier) == (pytest.approx(value), qualifier)


def test_qualifier_carried_to_the_package_record():
    records = records_of("The Pentagon announced a new drawdown package valued at up to $275 million for Ukraine.")
    package = package_with_value(records, 2.75e8)
    assert (package.donor_code, package.currency, package.value_qualifier) == ("USA", "USD", "up_to")


def test_dollar_package_has_usd_value():
    records = records_of("The United States announced a $325 million military aid package for Ukraine.")
    package = package_with_value(records, 3.25e8)
    assert package.fx_rate_usd == pytest.approx(1.0)
    assert package.value_usd == pytest.approx(3.25e8)


def test_euro_package_is_converted_at_a_plausible_rate():
    records = records_of("The Netherlands pledged a new €400 million military aid package for Ukraine.")
    package = package_with_value(records, 4e8)
    assert (package.donor_code, package.currency) == ("NLD", "EUR")
    assert package.fx_rate_usd is not None and 0.9 < package.fx_rate_usd < 1.3
    assert package.value_usd == pytest.approx(4e8 * package.fx_rate_usd, rel=1e-6)


@pytest.mark.parametrize("text, donor, value, currency", [
    ("Britain announced a £300 million package of military aid for Ukraine.", "GBR", 3e8, "GBP"),
    ("Norway will provide NOK 2.5 billion in military support to Ukraine.", "NOR", 2.5e9, "NOK"),
    ("Sweden announced a military aid package worth SEK 6.5 billion for Ukraine.", "SWE", 6.5e9, "SEK"),
])
def test_other_currencies_are_converted(text, donor, value, currency):
    package = package_with_value(records_of(text), value)
    assert (package.donor_code, package.currency) == (donor, currency)
    assert package.fx_rate_usd and package.value_usd == pytest.approx(value * package.fx_rate_usd, rel=1e-6)
    assert package.value_usd != pytest.approx(value)  # converted, not copied


def test_german_amount_in_a_german_release():
    records = records_of("Die Bundesregierung stellt der Ukraine Militärhilfe im Wert von 2,4 Mrd. € zur Verfügung.",
                         language="de")
    package = package_with_value(records, 2.4e9)
    assert (package.donor_code, package.currency, package.status) == ("DEU", "EUR", "pledged")
    assert package.fx_rate_usd is not None and 0.9 < package.fx_rate_usd < 1.3


@pytest.mark.parametrize("text, value, currency", [
    ("Britain will provide £2.5 billion ($3.2 billion) in military aid this year.", 2.5e9, "GBP"),
    ("Sweden's new package is worth 13.3 billion crowns (about $1.2 billion).", 13.3e9, "SEK"),
    ("Germany will provide €7 billion (roughly $7.6 billion) next year.", 7e9, "EUR"),
])
def test_a_conversion_in_brackets_is_not_a_second_amount(text, value, currency):
    assert [(m.value, m.currency) for m in find_money(text)] == [(value, currency)]


@pytest.mark.parametrize("text, donor, currency", [
    ("Norway will give 1.1 billion kroner for ammunition, the government said.", "NOR", "NOK"),
    ("Denmark will give 1.1 billion kroner for ammunition, the government said.", "DNK", "DKK"),
    ("The Czech Republic will provide a package worth 2 billion crowns.", "CZE", "CZK"),
])
def test_bare_crowns_are_the_donors_own(text, donor, currency):
    (package,) = [r for r in records_of(text) if r.kind == "package"]
    assert (package.donor_code, package.currency) == (donor, currency)


@pytest.mark.parametrize("text, publisher, donor, value, currency", [
    ("Finland has earmarked €200 million for its next defence package for Ukraine.", None, "FIN", 2e8, "EUR"),
    ("Belgium has promised at least €1 billion in military aid this year.", None, "BEL", 1e9, "EUR"),
    ("The Prime Minister confirmed an additional £500 million for Ukraine.", "UK Government", "GBR", 5e8, "GBP"),
    ("The UK will provide a further £245 million to produce artillery ammunition for Ukraine.", None, "GBR", 2.45e8,
     "GBP"),
])
def test_money_pledged_with_more_verbs(text, publisher, donor, value, currency):
    package = package_with_value(records_of(text, publisher=publisher), value)
    assert (package.donor_code, package.currency, package.status) == (donor, currency, "pledged")


@pytest.mark.parametrize("text, donor, value, currency", [
    ("Denmark will provide 1.3 billion Danish crowns in military aid.", "DNK", 1.3e9, "DKK"),
    ("The Netherlands will make €400 million available for long-range drones.", "NLD", 4e8, "EUR"),
])
def test_more_currency_words_and_making_money_available(text, donor, value, currency):
    package = package_with_value(records_of(text), value)
    assert (package.donor_code, package.currency, package.status) == (donor, currency, "pledged")


# --- a group's money is the sum of its members' ---------------------------------------------

@pytest.mark.parametrize("text, donor, value, currency", [
    ("NATO allies will provide at least €40 billion in military support to Ukraine next year.", "NATO", 40e9, "EUR"),
    ("The G7 leaders agreed to make $50 billion in loans available to Ukraine.", "G7", 50e9, "USD"),
    ("Members of the Ukraine Defense Contact Group pledged $6 billion in new aid for Ukraine.", "UDCG", 6e9, "USD"),
])
def test_an_alliance_commitment_is_an_aggregate_of_the_group(text, donor, value, currency):
    money = [(r.kind, r.donor_code, r.value, r.currency) for r in records_of(text) if r.value is not None]
    assert money == [("aggregate", donor, value, currency)]


def test_the_eu_pays_its_own_packages():
    records = records_of("The EU will provide a further €5 billion for military aid to Ukraine through the "
                         "European Peace Facility.")
    assert package_with_value(records, 5e9).donor_code == "EU"


# --- the total of one package is that package -----------------------------------------------

@pytest.mark.parametrize("text, donor, value, currency", [
    ("Norway will send its 12th aid package to Ukraine, with military support totalling 2.2 billion kroner.",
     "NOR", 2.2e9, "NOK"),
    ("Altogether, Austria's new package is worth €40 million, the minister said.", "AUT", 40e6, "EUR"),
    ("Estonia has delivered a shipment of radios to Ukraine with a total value of €3 million.", "EST", 3e6, "EUR"),
])
def test_the_total_of_one_package_is_a_package(text, donor, value, currency):
    money = [(r.kind, r.donor_code, r.value, r.currency) for r in records_of(text) if r.value is not None]
    assert money == [("package", donor, value, currency)]


@pytest.mark.parametrize("text", [
    "The package brings the total of Canada's military aid to Ukraine to C$4 billion.",
    "The package takes the total of Canada's military aid to C$4 billion since February 2022.",
])
def test_a_running_total_beside_a_package_stays_an_aggregate(text):
    assert [r.kind for r in records_of(text) if r.value is not None] == ["aggregate"]


# --- a running total without "since" --------------------------------------------------------

@pytest.mark.parametrize("text, donor, value, currency", [
    ("Germany has so far spent around €28 billion on military aid for Ukraine.", "DEU", 28e9, "EUR"),
    ("Japan has to date provided $12 billion in assistance to Ukraine.", "JPN", 12e9, "USD"),
])
def test_a_running_total_without_since_is_an_aggregate(text, donor, value, currency):
    money = [(r.kind, r.donor_code, r.value, r.currency) for r in records_of(text) if r.value is not None]
    assert money == [("aggregate", donor, value, currency)]


def test_so_far_far_from_the_amount_makes_no_total():
    text = ("Belgium will send a €92 million package to Ukraine, the largest it has decided so far, "
            "the prime minister said.")
    assert [r.kind for r in records_of(text) if r.value is not None] == ["package"]


def test_an_amount_cut_off_before_its_scale_is_no_pledge():
    text = "The announcement brings the total value of Australia's military aid to Ukraine since the war began to more than $1.3"
    assert [r for r in records_of(text) if r.value is not None] == []


@pytest.mark.parametrize("text", [
    "Norway pledged -€300 million to Ukraine.",
    "Norway pledged −€300 million to Ukraine.",
    "Denmark will send -5 Leopard 1 tanks to Ukraine.",
])
def test_a_negative_amount_or_count_is_no_pledge(text):
    """A minus sign before an amount or a count is a cut or a typo, never something given: the
    record is refused (and `pledges explain` names the rule), not published as positive."""
    assert records_of(text) == []


def test_a_hyphen_in_a_name_or_a_dash_opening_a_list_line_is_no_minus_sign():
    records = records_of("Norway will send 5 F-16 jets and pledged €300 million to Ukraine.")
    assert {(r.kind, r.quantity or r.value) for r in records} == {("item", 5), ("package", 300e6)}
    listed = records_of("Norway will send the following to Ukraine:\n- 5 NASAMS launchers\n- 4 Leopard 2 tanks")
    assert {(r.system_id, r.quantity) for r in listed} == {("nasams", 5), ("leopard2", 4)}


def test_a_second_amount_under_a_time_of_its_own_is_not_the_first_clauses_givers():
    """'In March, A and B delivered kit worth €2 million, and in May, kit worth €5 million': May's
    givers are not named."""
    text = ("In March, Latvia and Lithuania delivered radios worth €2 million to Ukraine under the coalition, "
            "and in May, equipment worth €5 million.")
    records = records_of(text)
    assert sorted(r.donor_code for r in records if r.value == 2e6) == ["LTU", "LVA"], summary(records)
    assert not any(r.value == 5e6 for r in records), summary(records)


def test_a_total_compared_with_last_years_is_a_total_too():
    records = records_of("Norway has set aside a total of $3 billion for Ukraine this year, up from $1 billion last year.")
    assert [(r.kind, r.donor_code, r.value) for r in records] == [("aggregate", "NOR", 3e9), ("aggregate", "NOR", 1e9)], \
        summary(records)


@pytest.mark.parametrize("text, value", [
    ("Belgium pledged on top of its earlier support €120 million for demining.", 1.2e8),
    ("In addition to €80 million in military aid, Latvia will provide €20 million for reconstruction.", 8e7),
])
def test_an_amount_after_in_addition_to_that_is_not_recalled_as_given_before_is_new(text, value):
    records = records_of(text)
    assert any(r.kind == "package" and r.value == value for r in records), summary(records)


def test_an_amount_recalled_as_pledged_before_is_no_new_package():
    records = records_of("Latvia will provide €20 million for demining, in addition to the €80 million "
                         "pledged in March.")
    assert not any(r.value == 8e7 for r in records), summary(records)


def test_amounts_listed_before_a_passive_giver_are_all_that_givers():
    records = records_of("€40 million for shells, €25 million for drones and €10 million for fuel were promised by "
                         "Estonia on Monday.")
    assert sorted(r.value for r in records if r.kind == "package" and r.donor_code == "EST") == [1e7, 2.5e7, 4e7], \
        summary(records)
