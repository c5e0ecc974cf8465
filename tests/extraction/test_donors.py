"""Donors: countries, adjectives and metonyms, groups; the giver rather than the reporter or recipient."""
import pycountry
import pytest

from scrapers.extraction import find_donors
from scrapers.reference import lexicon

from tests.extraction.helpers import item, records_of, summary

# The recipient and the aggressor's side are recognised but never give to Ukraine.
NOT_GIVERS = {"UKR", "RUS", "BLR", "IRN", "PRK"}


def donor_codes(text):
    return [d.code for d in find_donors(text, lexicon())]


def _name_in_text(country):
    """How a news text would write the country: pycountry's common name, else its name; names
    such as 'Korea, Republic of' are written in their official, comma-free form."""
    name = getattr(country, "common_name", None) or country.name
    if "," in name:
        official = getattr(country, "official_name", None)
        name = official if official and "," not in official else None
    return name


def test_every_country_is_a_donor():
    missed = []
    for country in pycountry.countries:
        if country.alpha_3 in NOT_GIVERS:
            continue
        name = _name_in_text(country)
        if name is None:
            continue
        text = f"The government of {name} announced further military assistance for Ukraine on Tuesday."
        if country.alpha_3 not in donor_codes(text):
            missed.append(f"{name} ({country.alpha_3}) -> {donor_codes(text)}")
    assert missed == []


@pytest.mark.parametrize("text, code", [
    ("A French official confirmed the decision.", "FRA"),
    ("British ministers confirmed the decision.", "GBR"),
    ("Berlin confirmed the decision late on Tuesday.", "DEU"),
    ("Washington confirmed the decision late on Tuesday.", "USA"),
    ("The Pentagon confirmed the decision late on Tuesday.", "USA"),
    ("The Bundestag confirmed the decision late on Tuesday.", "DEU"),
    ("Dutch officials confirmed the decision.", "NLD"),
])
def test_adjectives_and_metonyms_name_the_country(text, code):
    assert donor_codes(text) == [code]


@pytest.mark.parametrize("text, code, system_id, status", [
    ("The French government will send six more CAESAR howitzers to Ukraine.", "FRA", "caesar", "pledged"),
    ("The British government has pledged 14 Challenger 2 tanks to Ukraine.", "GBR", "challenger2", "pledged"),
    ("Berlin will supply a further IRIS-T SLM air defence system to Ukraine, a government spokesman said.",
     "DEU", "iris_t_slm", "pledged"),
    ("The Pentagon announced it will send 10 more Stryker armored personnel carriers to Ukraine.",
     "USA", "stryker", "pledged"),
    ("The Bundestag rejected a motion to send Taurus cruise missiles to Ukraine.", "DEU", "taurus", "rejected"),
])
def test_adjective_and_metonym_donors_in_pledges(text, code, system_id, status):
    record = item(records_of(text), system_id)
    assert (record.donor_code, record.status) == (code, status)


def test_washington_as_a_government_gives_a_package():
    records = records_of("Washington announced a further $300 million in military aid for Ukraine on Tuesday.")
    packages = [r for r in records if r.kind == "package"]
    assert [(p.donor_code, p.value) for p in packages] == [("USA", 3e8)]


@pytest.mark.parametrize("text", [
    "Kyiv welcomed the announcement.",
    "Ukraine welcomed the announcement.",
    "Officials in Kyiv welcomed the announcement.",
])
def test_kyiv_and_ukraine_are_never_donors(text):
    assert donor_codes(text) == []


@pytest.mark.parametrize("text, code, system_id", [
    ("Kyiv will receive 12 more Leopard 1A5 tanks from Denmark, the Danish defence ministry said.", "DNK", "leopard1a5"),
    ("Ukraine's defence minister said in Kyiv that Norway will donate 14 CV90 infantry fighting vehicles.",
     "NOR", "cv90"),
    ("Poland will hand over 10 Krab self-propelled howitzers to Ukraine.", "POL", "krab"),
])
def test_recipient_is_not_the_donor(text, code, system_id):
    records = records_of(text)
    assert item(records, system_id).donor_code == code
    assert all(r.donor_code != "UKR" for r in records), summary(records)


@pytest.mark.parametrize("text, code", [
    ("The European Union confirmed the decision.", "EU"),
    ("NATO confirmed the decision.", "NATO"),
    ("The Ukraine Defense Contact Group confirmed the decision.", "UDCG"),
    ("The Contact Group confirmed the decision.", "UDCG"),
    ("Ministers meeting in the Ramstein format confirmed the decision.", "UDCG"),
    ("The G7 confirmed the decision.", "G7"),
])
def test_groups_are_donors_of_their_own(text, code):
    assert donor_codes(text) == [code]


def test_group_pledge_is_recorded_for_the_group():
    records = records_of("The European Union will provide a further €500 million in military assistance to "
                         "Ukraine through the European Peace Facility.")
    packages = [r for r in records if r.kind == "package"]
    assert [(p.donor_code, p.value, p.currency) for p in packages] == [("EU", 5e8, "EUR")]


@pytest.mark.parametrize("text, code, system_id", [
    ("Speaking at Ramstein Air Base, U.S. Defense Secretary Lloyd Austin said Germany had agreed to provide "
     "30 Gepard anti-aircraft guns.", "DEU", "gepard"),
    ("The Pentagon said on Thursday that Sweden will send 8 Archer self-propelled howitzers to Ukraine.",
     "SWE", "archer"),
    ("According to the British Ministry of Defence, Canada has pledged 4 Leopard 2 tanks.", "CAN", "leopard2"),
])
def test_donor_is_the_giver_not_the_reporter(text, code, system_id):
    records = records_of(text)
    assert item(records, system_id).donor_code == code
    assert {r.donor_code for r in records if r.kind == "item"} == {code}, summary(records)


@pytest.mark.parametrize("text, code, system_id, place", [
    ("At the NATO summit in Washington, Italy pledged a second SAMP/T air defense system.", "ITA", "samp_t", "USA"),
    ("At a meeting in Berlin, the Netherlands announced it will deliver 18 PzH 2000 howitzers.",
     "NLD", "pzh2000", "DEU"),
    ("Speaking to reporters in London, Denmark's defence minister said Denmark will send 19 F-16 fighter jets.",
     "DNK", "f16", "GBR"),
])
def test_capital_used_as_a_place_is_not_a_donor(text, code, system_id, place):
    records = records_of(text)
    assert item(records, system_id).donor_code == code
    assert all(r.donor_code != place for r in records), summary(records)


@pytest.mark.parametrize("text, code, system_id", [
    # the item right after Ukraine, with no count or article between them
    ("The Netherlands will give Ukraine F-16 fighter jets.", "NLD", "f16"),
    ("Canada will send Ukraine NASAMS launchers.", "CAN", "nasams"),
    ("Deutschland liefert der Ukraine Patriot-Systeme.", "DEU", "patriot"),
])
def test_ukraine_as_the_indirect_object_receives_rather_than_owns(text, code, system_id):
    records = records_of(text, language="de" if "liefert" in text else "en")
    assert item(records, system_id).donor_code == code, summary(records)


@pytest.mark.parametrize("text", [
    "Norway will send technicians to repair Ukraine's Patriot launchers.",
    "Sweden will send instructors to train Ukrainian artillery crews.",
])
def test_what_ukraine_owns_is_not_given(text):
    # each sentence pledges something, so only the owner rule keeps Ukraine's own kit out
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


@pytest.mark.parametrize("text, code, system_id, place", [
    ("The first eight Leopard 1 tanks from Denmark arrived at a depot in Poland last week.", "DNK", "leopard1a5",
     "POL"),
    ("Belgium delivered two F-16s to the pilot training centre in Romania.", "BEL", "f16", "ROU"),
])
def test_a_country_named_as_a_place_is_not_a_donor(text, code, system_id, place):
    records = records_of(text)
    assert item(records, system_id).donor_code == code
    assert all(r.donor_code != place for r in records), summary(records)


def test_german_donors_coordinated_with_an_article_both_give():
    records = records_of("Schweden und die Niederlande haben weitere CV90-Schützenpanzer zugesagt.", language="de")
    assert {r.donor_code for r in records if r.system_id == "cv90"} == {"SWE", "NLD"}, summary(records)


@pytest.mark.parametrize("text, expected", [
    ("Italy said it would send a second SAMP/T battery, while Spain confirmed a new batch of HAWK missiles.",
     {("samp_t", "ITA"), ("hawk_missiles", "ESP")}),
    ("Estonia said on Monday it will provide 12 more K9 howitzers.", {("k9", "EST")}),
])
def test_a_donor_speaking_of_itself_is_the_giver_not_a_reporter(text, expected):
    records = records_of(text)
    assert {(r.system_id, r.donor_code) for r in records if r.kind == "item"} == expected, summary(records)


def test_unnamed_allies_reported_by_an_official_are_not_his_country():
    text = "Secretary Blinken said partners had delivered more than 600 tanks and hundreds of howitzers."
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


@pytest.mark.parametrize("text, expected", [
    ("IRIS-T systems from Germany and a NASAMS battery from Norway will be handed over this summer.",
     {("iris_t_slm", "DEU"), ("nasams", "NOR")}),
    ("Leopard 1 tanks from Denmark and the Netherlands will be delivered next year.",
     {("leopard1a5", "DNK"), ("leopard1a5", "NLD")}),
    ("Twelve Archer howitzers will be supplied to Ukraine by Sweden.", {("archer", "SWE")}),
])
def test_the_giver_named_after_the_item(text, expected):
    records = records_of(text)
    assert {(r.system_id, r.donor_code) for r in records if r.kind == "item"} == expected, summary(records)


def test_the_buyer_gives_what_it_buys_from_another_country():
    records = records_of("Germany will provide Ukraine with three Patriot systems bought from the United States.")
    assert [(r.system_id, r.donor_code, r.quantity) for r in records if r.kind == "item"] == [("patriot", "DEU", 3)], \
        summary(records)


# --- a joint commitment: every giver named together gives the amount --------------------------

def test_each_of_several_givers_pledges_the_amount():
    records = records_of("Finland, Portugal and Belgium have each pledged more than EUR 500 million in new "
                         "military support for Ukraine.")
    assert sorted((r.donor_code, r.value) for r in records if r.kind == "package") == \
        [("BEL", 500e6), ("FIN", 500e6), ("PRT", 500e6)]


def test_a_shipment_funded_by_two_givers_is_each_ones():
    records = records_of("Ukraine's army has received radios and laptops funded by Luxembourg and Iceland, "
                         "worth €2 million, the ministry has announced.")
    assert sorted(r.donor_code for r in records if r.kind == "package") == ["ISL", "LUX"]


def test_a_giver_named_apart_from_the_amount_keeps_it_alone():
    records = records_of("After talks with France, Germany will provide €500 million in military aid to Ukraine.")
    assert [(r.donor_code, r.value) for r in records if r.kind == "package"] == [("DEU", 500e6)]


# --- a list line that opens with its givers ---------------------------------------------------

LIST_INTRO = "New pledges announced at the meeting include:\n\n"


def test_a_list_line_opening_with_a_giver_pledges_its_money():
    records = records_of(LIST_INTRO + "• Denmark: €150 million for drone interceptors and €90 million for F-16 support")
    assert sorted((r.donor_code, r.value, r.status) for r in records if r.kind == "package") == \
        [("DNK", 90e6, "pledged"), ("DNK", 150e6, "pledged")]


def test_money_for_ukrainian_production_in_a_giver_line_is_pledged():
    records = records_of(LIST_INTRO + "• Finland: €300 million toward domestic Ukrainian drone production")
    assert [(r.donor_code, r.value) for r in records if r.kind == "package"] == [("FIN", 300e6)]


def test_a_line_with_words_before_the_colon_is_no_giver_line():
    records = records_of(LIST_INTRO + "• A note from Denmark: €150 million was mentioned by the press")
    assert [r for r in records if r.kind == "package"] == []


# --- "the partners" refer back to the givers last named together --------------------------------

def test_the_partners_are_the_givers_named_together_before():
    text = ("Ukraine's army has received kit funded by Estonia and Latvia, worth €3 million.\n\n"
            "The partners handed over 400 routers and 900 phones.")
    items = sorted((r.donor_code, r.system_id) for r in records_of(text) if r.kind == "item")
    assert items == [("EST", "mobile_phones"), ("EST", "routers"), ("LVA", "mobile_phones"), ("LVA", "routers")]


def test_allies_in_general_still_give_nothing_named():
    text = ("Estonia and Latvia will send radios to Ukraine.\n\n"
            "Allies have also sent 400 routers to Ukraine.")
    assert {r.system_id for r in records_of(text) if r.kind == "item"} == {"comms"}


def test_countries_the_money_is_divided_among_are_recipients():
    text = ("The United States will provide $2 billion in military financing.\n\n"
            "About $1 billion of the package will go to Ukraine, with the rest divided among Albania, "
            "Bulgaria and Moldova.")
    assert {r.donor_code for r in records_of(text) if r.kind == "package"} == {"USA"}


def test_a_giver_named_after_the_amount_still_gives():
    text = "A €300 million aid package was announced by Germany on Friday."
    assert [r.donor_code for r in records_of(text) if r.kind == "package"] == ["DEU"]


def test_who_leads_a_scheme_is_not_its_giver():
    text = ("The EU payment includes a tranche of €4.1 billion under its programme, part of the G7-led ERA "
            "initiative, alongside a tranche of €1.8 billion under the Ukraine Facility.")
    assert {(r.kind, r.donor_code) for r in records_of(text) if r.value is not None} == {("package", "EU")}


def test_a_giver_pledging_support_beside_anothers_money_gets_a_support_record():
    text = "Finland has also made a new pledge to aid Ukraine, and Sweden has announced an additional €500 million."
    records = {(r.kind, r.donor_code) for r in records_of(text)}
    assert records == {("support", "FIN"), ("package", "SWE")}


@pytest.mark.parametrize("text, language", [
    ("France will send 12 CAESAR howitzers to Ukraine, the French minister said. Belgium has also promised ten "
     "howitzers.\n\nA Ground Master 200 radar will be delivered to Ukraine\n\nThe radar sees aircraft far away.", "en"),
    ("La France enverra 12 canons Caesar à l'Ukraine, a indiqué le ministre français. La Belgique a aussi promis dix "
     "obusiers.\n\nUn radar Ground Master 200 sera livré à l'Ukraine\n\nCe radar détecte les avions de loin.", "fr"),
])
def test_a_subheading_takes_the_pages_giver_not_the_last_sections(text, language):
    """A short paragraph without closing punctuation opens a section of its own: its item is the
    page's giver's, not that of the giver the section before ended on."""
    records = records_of(text, language=language)
    assert [r.donor_code for r in records if r.kind == "item" and r.system_id == "gm200"] == ["FRA"], summary(records)


@pytest.mark.parametrize("text, language, giver", [
    ("Finland will not send its K9 howitzers built in South Korea to Ukraine.", "en", "FIN"),
    ("Le Danemark ne livrera pas de chars Piranha suisses à l'Ukraine.", "fr", "DNK"),
])
def test_a_giver_that_chooses_not_to_pass_on_foreign_made_arms_refuses_them_itself(text, language, giver):
    records = [r for r in records_of(text, language=language) if r.kind == "item"]
    assert [(r.donor_code, r.status) for r in records] == [(giver, "rejected")], summary(records)
