"""Counts of items: digits, number words, qualifiers, vague amounts, rates; years and calibres are not counts."""
import pytest

from scrapers.extraction.numbers import parse_number, quantity_before

from tests.extraction.helpers import item, records_of, summary


@pytest.mark.parametrize("text, system_id, quantity", [
    ("The United States will provide 120,000 rounds of 155mm artillery ammunition to Ukraine.", "ammo_155mm", 120000),
    ("Spain will send 1,000 anti-tank weapons to Ukraine.", "anti_armor", 1000),
    ("Finland pledged 2 500 rounds of 120mm mortar ammunition.", "mortar_ammo_120mm", 2500),
    ("Canada will donate 39 Roshel Senator armored vehicles to Ukraine.", "roshel_senator", 39),
])
def test_digits_with_separators(text, system_id, quantity):
    assert item(records_of(text), system_id).quantity == quantity


@pytest.mark.parametrize("text, system_id, quantity", [
    ("Germany will deliver two more Patriot systems to Ukraine.", "patriot", 2),
    ("Portugal will send eight Leopard 2 tanks to Ukraine.", "leopard2", 8),
    ("Sweden pledged fifty CV90 infantry fighting vehicles.", "cv90", 50),
    ("Poland will deliver twenty-four Krab self-propelled howitzers.", "krab", 24),
    ("Norway will donate Ukraine three NASAMS fire units.", "nasams", 3),
])
def test_number_words(text, system_id, quantity):
    assert item(records_of(text), system_id).quantity == quantity


@pytest.mark.parametrize("text, system_id, quantity, qualifier", [
    ("Latvia will send up to 150,000 rounds of 155mm artillery ammunition.", "ammo_155mm", 150000, "up_to"),
    ("Belgium will send over 100 M113 armored personnel carriers to Ukraine.", "m113", 100, "over"),
    ("Australia will provide more than 40 Bushmaster protected mobility vehicles.", "bushmaster", 40, "over"),
    ("Estonia will send about 20 FH70 towed howitzers.", "fh70", 20, "about"),
])
def test_qualified_counts(text, system_id, quantity, qualifier):
    record = item(records_of(text), system_id)
    assert (record.quantity, record.quantity_qualifier) == (quantity, qualifier)


@pytest.mark.parametrize("text, system_id", [
    ("The United States has delivered hundreds of Javelin anti-armor systems to Ukraine.", "javelin"),
    ("Britain will send thousands of NLAW anti-tank weapons to Ukraine.", "nlaw"),
    ("Lithuania will deliver dozens of M577 command vehicles to Ukraine.", "m113"),
])
def test_vague_amounts_have_no_number_but_keep_a_qualifier(text, system_id):
    record = item(records_of(text), system_id)
    assert record.quantity is None
    assert record.quantity_qualifier in ("over", "about")


@pytest.mark.parametrize("text, system_id, quantity, per", [
    ("Czechia will deliver 4,000 155mm shells a month to Ukraine.", "ammo_155mm", 4000, "month"),
    ("Poland pledged 2,500 rounds of 155mm artillery ammunition per month.", "ammo_155mm", 2500, "month"),
    ("Denmark will supply 30,000 rounds of 155mm artillery ammunition a year.", "ammo_155mm", 30000, "year"),
])
def test_rates(text, system_id, quantity, per):
    record = item(records_of(text), system_id)
    assert (record.quantity, record.quantity_per) == (quantity, per)


@pytest.mark.parametrize("text, system_id, status", [
    ("In 2023 Leopard 2 tanks supplied by Portugal arrived in Ukraine.", "leopard2", "delivered"),
    ("Belgium has pledged to deliver in 2025 F-16 fighter jets to Ukraine.", "f16", "pledged"),
])
def test_years_are_not_counts(text, system_id, status):
    record = item(records_of(text), system_id)
    assert (record.quantity, record.status) == (None, status)


@pytest.mark.parametrize("text, system_id, quantity", [
    ("The Netherlands will deliver 155mm artillery shells to Ukraine.", "ammo_155mm", None),
    ("Italy will send 105mm artillery ammunition to Ukraine.", "ammo_105mm", None),
    ("Greece will send 15,000 155mm artillery rounds to Ukraine.", "ammo_155mm", 15000),
])
def test_calibres_are_not_counts(text, system_id, quantity):
    assert item(records_of(text), system_id).quantity == quantity


@pytest.mark.parametrize("prefix, value, qualifier", [
    ("will send 1,500 ", 1500, None),
    ("will deliver forty ", 40, None),
    ("will deliver twenty-four ", 24, None),
    ("pledged as many as 60 ", 60, "up_to"),
    ("will provide nearly 90 ", 90, "about"),
])
def test_quantity_before(prefix, value, qualifier):
    quantity = quantity_before(prefix)
    assert (quantity.value, quantity.qualifier) == (value, qualifier)


@pytest.mark.parametrize("prefix", ["deliveries planned for 2025 ", "the 155mm ", "a new F-", "worth $400 "])
def test_no_quantity_before(prefix):
    quantity = quantity_before(prefix)
    assert quantity is None or quantity.value is None


@pytest.mark.parametrize("text, value", [("1,250", 1250), ("fifty", 50), ("eight", 8), ("thirty-six", 36)])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, system_id, quantity", [
    ("Poland has handed over four MiG-29 fighter jets to Ukraine.", "mig29", 4),
    ("Slovakia turned over 13 MiG-29s to Ukraine.", "mig29", 13),
])
def test_the_over_of_handing_over_is_not_a_qualifier(text, system_id, quantity):
    record = item(records_of(text), system_id)
    assert (record.quantity, record.quantity_qualifier) == (quantity, None), summary(records_of(text))


@pytest.mark.parametrize("prefix", ["The United States will provide M577 ", "Norway will send K9 "])
def test_digits_of_a_designation_are_not_a_count(prefix):
    assert quantity_before(prefix) is None


def test_a_count_before_munitions_for_a_platform_is_the_munitions_count():
    records = records_of("Germany pledged 150,000 rounds of ammunition for Gepard anti-aircraft guns.")
    assert [(r.system_id, r.quantity) for r in records if r.kind == "item"] == [("gepard_ammunition", 150000)]


def test_units_counted_without_a_name_are_the_platform_named_last():
    """'... will now provide 30 units of heavy armour' counts the Leopard tanks named before."""
    text = ("Spain will send Leopard 2A4 tanks to Ukraine, its defence ministry said. "
            "Spain has confirmed that it will now provide 30 units of heavy armour.")
    record = item(records_of(text), "leopard2a4")
    assert (record.donor_code, record.status, record.quantity) == ("ESP", "pledged", 30)


@pytest.mark.parametrize("text, language, quantity, qualifier", [
    ("Les Pays-Bas enverront dix-huit obusiers à l'Ukraine.", "fr", 18, None),
    ("La Belgique livrera vingt-deux blindés à l'Ukraine.", "fr", 22, None),
    ("La Grèce enverra soixante-dix véhicules blindés à l'Ukraine.", "fr", 70, None),
    ("La Suède va livrer une cinquantaine de véhicules de combat CV90 à l'Ukraine.", "fr", 50, "about"),
    ("Die Niederlande schicken der Ukraine zwei Dutzend Drohnen.", "de", 24, None),
    ("Norway will send two dozen howitzers to Ukraine.", "en", 24, None),
])
def test_counts_in_words_joined_rounded_or_in_dozens(text, language, quantity, qualifier):
    records = [r for r in records_of(text, language=language) if r.kind == "item"]
    assert [(r.quantity, r.quantity_qualifier) for r in records] == [(quantity, qualifier)], summary(records)


@pytest.mark.parametrize("text, language", [
    ("Die Niederlande stellen weitere 250 Millionen Euro für Drohnen bereit.", "de"),
    ("Belgien stellt 100 Millionen Euro für Minenräumgeräte bereit.", "de"),
])
def test_an_amount_before_an_item_is_not_its_count(text, language):
    records = [r for r in records_of(text, language=language) if r.kind == "item"]
    assert records and all(r.quantity is None for r in records), summary(records)


@pytest.mark.parametrize("text", [
    "Italy has sent 10 SAMP/T launchers to Ukraine. Italy will also provide 8,000 units of blood plasma.",
    "The Netherlands has sent 14 Leopard 2A4 tanks to Ukraine.\n\nThe minister spoke in The Hague.\n\n"
    "The Netherlands will also deliver 300 units, the ministry said.",
])
def test_units_of_something_else_or_far_away_are_not_the_platform_named_last(text):
    records = [r for r in records_of(text) if r.kind == "item"]
    assert len(records) == 1 and records[0].quantity in (10, 14), summary(records)
