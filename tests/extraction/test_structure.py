"""Release structure: packages and their listed items, headline totals and their parts, cumulative
totals with their start date, and the U.S. funding channel."""
from datetime import date

import pytest

from tests.extraction.helpers import item, of_kind, package_with_value, records_of, summary


def assert_items_belong_to(records, package, system_ids):
    for system_id in system_ids:
        record = item(records, system_id)
        assert record.package_index is not None, f"{system_id} has no package; {summary(records)}"
        assert records[record.package_index] is package, f"{system_id} points elsewhere; {summary(records)}"
        assert record.donor_code == package.donor_code


def test_bullets_after_an_intro_belong_to_the_package():
    text = ("The Department of Defense today announced a new security assistance package for Ukraine valued at "
            "$375 million.\n\n"
            "The capabilities in this package include:\n\n"
            "Additional munitions for National Advanced Surface-to-Air Missile Systems (NASAMS);\n\n"
            "Four High Mobility Artillery Rocket Systems (HIMARS);\n\n"
            "155mm and 105mm artillery ammunition;\n\n"
            "Eight Bradley Infantry Fighting Vehicles; and\n\n"
            "Spare parts and other field equipment.")
    records = records_of(text)
    package = package_with_value(records, 3.75e8)
    assert (package.donor_code, package.status, package.currency) == ("USA", "pledged", "USD")
    assert_items_belong_to(records, package, ["nasams_munitions", "himars", "ammo_155mm", "ammo_105mm", "bradley"])
    assert item(records, "himars").quantity == 4
    assert item(records, "bradley").quantity == 8
    assert item(records, "nasams_munitions").is_munition is True


def test_semicolon_list_in_one_paragraph():
    text = ("The United States will provide Ukraine with a $500 million military aid package, the Pentagon "
            "announced on Wednesday. The package includes 12 M777 howitzers; 36,000 rounds of 105mm artillery "
            "ammunition; 20 Mi-17 helicopters; and 300 Switchblade drones.")
    records = records_of(text)
    package = package_with_value(records, 5e8)
    assert package.donor_code == "USA"
    assert_items_belong_to(records, package, ["m777", "ammo_105mm", "mi17", "switchblade"])
    assert [item(records, s).quantity for s in ("m777", "ammo_105mm", "mi17", "switchblade")] == [12, 36000, 20, 300]


def test_includes_in_the_same_sentence():
    records = records_of("Canada announced a CAD 500 million military aid package that includes eight Leopard 2 "
                         "tanks and 39 armoured combat vehicles.")
    package = package_with_value(records, 5e8)
    assert (package.donor_code, package.currency) == ("CAN", "CAD")
    assert_items_belong_to(records, package, ["leopard2", "armored_vehicles"])
    assert item(records, "leopard2").quantity == 8


def test_also_in_the_drawdown_are():
    text = ("The State Department announced a $425 million drawdown of U.S. military equipment for Ukraine. "
            "The drawdown includes 20 M113 armored personnel carriers and Stinger anti-aircraft missiles.\n\n"
            "Also in the drawdown are:\n\n"
            "10,000 120mm mortar rounds;\n\n"
            "50 Humvees;\n\n"
            "Javelin anti-armor systems.")
    records = records_of(text)
    package = package_with_value(records, 4.25e8)
    assert (package.donor_code, package.channel) == ("USA", "PDA")
    assert_items_belong_to(records, package, ["m113", "stinger", "mortar_ammo_120mm", "hmmwv", "javelin"])
    assert item(records, "hmmwv").quantity == 50


def test_among_the_items_in_the_package_are():
    """A package's contents listed after 'among the items in the package are', with no verb of giving."""
    text = ("Norway has pledged a new aid package worth NOK 2 billion for Ukraine. "
            "Among the weapons listed in the package are 12 M109 howitzers and 40 reconnaissance drones.")
    records = records_of(text)
    assert (item(records, "m109").donor_code, item(records, "m109").quantity) == ("NOR", 12)
    assert item(records, "m109").status == "pledged"


def test_also_in_the_drawdown_inline():
    text = ("The Pentagon announced a $250 million drawdown package for Ukraine that includes AIM-9M missiles "
            "for air defense. Also in the drawdown are: 15 Mine Resistant Ambush Protected vehicles; "
            "Carl Gustaf recoilless rifles; and small arms ammunition.")
    records = records_of(text)
    package = package_with_value(records, 2.5e8)
    assert_items_belong_to(records, package, ["aim9", "mrap", "carl_gustaf", "small_arms_ammo"])


@pytest.mark.parametrize("text, whole, parts", [
    ("Today the Department of Defense announced $950 million in additional security assistance for Ukraine. "
     "The package consists of up to $150 million in Presidential Drawdown Authority (PDA) and $800 million in "
     "Ukraine Security Assistance Initiative (USAI) funds.",
     9.5e8, {1.5e8: "PDA", 8e8: "USAI"}),
    ("The United States announced a $1.6 billion package for Ukraine: up to $350 million under Presidential "
     "Drawdown Authority and $1.25 billion in Ukraine Security Assistance Initiative funding.",
     1.6e9, {3.5e8: "PDA", 1.25e9: "USAI"}),
    ("The Pentagon announced $1.3 billion in new security assistance for Ukraine: up to $300 million in PDA "
     "and $1 billion in USAI.",
     1.3e9, {3e8: "PDA", 1e9: "USAI"}),
])
def test_headline_split_into_parts(text, whole, parts):
    records = records_of(text)
    headline = package_with_value(records, whole)
    assert headline.is_headline_total
    for value, channel in parts.items():
        part = package_with_value(records, value)
        assert (part.donor_code, part.channel, part.is_headline_total) == ("USA", channel, False)
    assert package_with_value(records, min(parts)).value_qualifier == "up_to"


def test_package_without_parts_is_not_a_headline_total():
    records = records_of("The Pentagon announced a $200 million drawdown package for Ukraine on Friday.")
    assert package_with_value(records, 2e8).is_headline_total is False


@pytest.mark.parametrize("text, donor, value, currency, since", [
    ("The United States has committed more than $50.2 billion in security assistance to Ukraine since the "
     "beginning of the Biden Administration.", "USA", 50.2e9, "USD", date(2021, 1, 20)),
    ("Since February 24, the Netherlands has committed about €2.5 billion in military support to Ukraine.",
     "NLD", 2.5e9, "EUR", date(2022, 2, 24)),
    ("Lithuania has provided more than €700 million in military assistance to Ukraine since 2014.",
     "LTU", 7e8, "EUR", date(2014, 1, 1)),
    ("Denmark has now allocated DKK 60 billion in military aid to Ukraine since Russia's full-scale invasion.",
     "DNK", 60e9, "DKK", date(2022, 2, 24)),
])
def test_cumulative_totals_are_aggregates(text, donor, value, currency, since):
    records = records_of(text)
    [total] = [r for r in of_kind(records, "aggregate") if abs(r.value - value) <= 0.001 * value] or [None]
    assert total is not None, summary(records)
    assert (total.donor_code, total.currency, total.since_date) == (donor, currency, since)
    assert not [r for r in of_kind(records, "package") if abs(r.value - value) <= 0.001 * value]


def test_aggregate_keeps_its_qualifier_beside_a_new_package():
    text = ("The Pentagon announced a new $400 million drawdown package for Ukraine. With this package, the "
            "United States has committed more than $51 billion in security assistance to Ukraine since the "
            "beginning of the Biden Administration.")
    records = records_of(text)
    assert package_with_value(records, 4e8).donor_code == "USA"
    [total] = of_kind(records, "aggregate")
    assert (total.value, total.value_qualifier, total.since_date) == (51e9, "over", date(2021, 1, 20))


@pytest.mark.parametrize("text, value, channel", [
    ("The Pentagon announced a $275 million Presidential Drawdown package for Ukraine.", 2.75e8, "PDA"),
    ("The Department of Defense announced $2 billion in Ukraine Security Assistance Initiative funds for "
     "Ukraine.", 2e9, "USAI"),
    ("The State Department announced $100 million in Foreign Military Financing for Ukraine.", 1e8, "FMF"),
    ("The Pentagon announced a $300 million USAI package for Ukraine's air defense.", 3e8, "USAI"),
])
def test_us_funding_channel(text, value, channel):
    package = package_with_value(records_of(text), value)
    assert (package.donor_code, package.channel) == ("USA", channel)


def test_an_amount_under_a_named_channel_is_a_package_without_a_verb():
    """The second amount stands in a sentence with no verb of giving, but a funding programme names it."""
    text = ("The White House announced $6 billion in new security aid for Ukraine on Tuesday. "
            "A further $1.2 billion is through the Ukraine Security Assistance Initiative, for contracts with industry.")
    records = records_of(text)
    package = package_with_value(records, 1.2e9)
    assert (package.donor_code, package.channel, package.status) == ("USA", "USAI", "pledged")


def test_no_channel_when_none_is_stated():
    package = package_with_value(records_of("Germany announced a €500 million military aid package for Ukraine."),
                                 5e8)
    assert package.channel is None


def test_each_total_takes_the_period_written_after_it():
    records = records_of("The United States has committed $55.4 billion in security assistance since February 24, "
                         "2022, and approximately $58.4 billion since 2014.")
    periods = {r.value: r.since_date for r in of_kind(records, "aggregate")}
    assert periods == {55.4e9: date(2022, 2, 24), 58.4e9: date(2014, 1, 1)}, summary(records)


def test_bullets_one_a_line_in_plain_text_belong_to_the_package():
    text = ("The Pentagon announced a $250 million drawdown package for Ukraine on Friday. It includes:\n"
            "- Munitions for HIMARS\n"
            "- 15,000 rounds of 155mm artillery ammunition\n"
            "• 12 Stryker armored personnel carriers\n"
            "- Javelin anti-armor systems\n"
            "- Over 2 million rounds of small arms ammunition")
    records = records_of(text)
    package = package_with_value(records, 2.5e8)
    assert_items_belong_to(records, package, ["himars_ammunition", "ammo_155mm", "stryker", "javelin",
                                              "small_arms_ammo"])
    assert item(records, "ammo_155mm").quantity == 15000
    assert item(records, "stryker").quantity == 12


@pytest.mark.parametrize("text, system_id", [
    ("Spain will send 10 Leopard 2A4 tanks to Ukraine. The remaining tanks will follow in the autumn.", "leopard2a4"),
    ("The United States has pledged 31 Abrams tanks. Some of the tanks have already arrived in Germany for training.",
     "abrams"),
])
def test_a_kind_named_again_with_the_points_back_and_is_not_one_more_item(text, system_id):
    records = records_of(text)
    assert [r.system_id for r in records if r.kind == "item"] == [system_id], summary(records)


@pytest.mark.parametrize("text, donor, value, currency", [
    ("With this package, Danish military support to Ukraine since 2022 reaches about DKK 62 billion.", "DNK",
     62e9, "DKK"),
    ("Die von Deutschland zugesagte Militärhilfe beläuft sich inzwischen auf rund 28 Milliarden Euro.", "DEU",
     28e9, "EUR"),
])
def test_a_total_that_reaches_or_amounts_to_is_an_aggregate(text, donor, value, currency):
    records = records_of(text, language="de" if "Deutschland" in text else "en")
    (total,) = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.currency) == (donor, value, currency), summary(records)


@pytest.mark.parametrize("text, donor, package, total, currency", [
    ("Canada will give Ukraine another C$200 million, taking its military aid this year to C$1.6 billion.", "CAN",
     200e6, 1.6e9, "CAD"),
    ("The Netherlands announced a further €150 million on Friday, reaching €2 billion in support for 2024.", "NLD",
     150e6, 2e9, "EUR"),
])
def test_the_amount_a_running_total_reaches_is_an_aggregate_beside_the_new_package(text, donor, package, total,
                                                                                   currency):
    records = records_of(text)
    (new,) = of_kind(records, "package")
    (reached,) = of_kind(records, "aggregate")
    assert (new.donor_code, new.value, new.currency) == (donor, package, currency), summary(records)
    assert (reached.donor_code, reached.value, reached.currency) == (donor, total, currency), summary(records)


def test_so_far_after_a_dash_describes_the_package_not_a_total():
    records = records_of("Sweden announced a SEK 13.3 billion package — the largest it has announced so far.")
    package_with_value(records, 13.3e9)
    assert not of_kind(records, "aggregate"), summary(records)


@pytest.mark.parametrize("text, donor, value, currency", [
    ("Canada has now committed C$4 billion in military, humanitarian and development aid to Ukraine since 2022.",
     "CAN", 4e9, "CAD"),
    ("South Korea has provided more than $400 million in humanitarian and reconstruction assistance since the "
     "invasion.", "KOR", 4e8, "USD"),
])
def test_a_total_with_a_list_of_aid_kinds_before_since(text, donor, value, currency):
    records = records_of(text)
    (total,) = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.currency) == (donor, value, currency), summary(records)
    assert not of_kind(records, "package")


def test_a_part_named_with_including_after_a_total_is_part_of_the_total():
    records = records_of("New Zealand's total support to Ukraine now stands at more than NZ$100 million, including "
                         "NZ$30 million in military assistance.")
    assert sorted((r.kind, r.value) for r in records if r.value) == [("aggregate", 3e7), ("aggregate", 1e8)], \
        summary(records)


# --- the headline restates the body ---------------------------------------------------------

def headline_records(title, body):
    return records_of(f"{title}\n\n{body}", title=title)


def test_headline_amount_converted_adds_no_second_package():
    records = headline_records(
        "Norway unveils $180 million package for Ukraine",
        "Norway will provide a new military aid package worth 1.9 billion kroner to Ukraine, the defence "
        "ministry said.")
    assert [(r.kind, r.value, r.currency) for r in records if r.kind in ("package", "aggregate")] == \
        [("package", 1.9e9, "NOK")]


def test_headline_generic_item_gives_way_to_the_body_specific_one():
    records = headline_records(
        "Canada to send more air defence systems to Ukraine",
        "Canada will send two NASAMS launchers to Ukraine, the minister said.")
    assert [r.system_id for r in records if r.kind == "item"] == ["nasams"]


def test_headline_military_equipment_sums_up_the_body_items():
    records = headline_records(
        "Japan to send military equipment to Ukraine",
        "Japan will send 6,900 helmets and 1,900 bulletproof vests to Ukraine.")
    assert sorted(r.system_id for r in records if r.kind == "item") == ["body_armor", "helmets"]


def test_headline_status_the_body_contradicts_is_not_kept():
    records = headline_records(
        "Belgium to send F-16 jets to Ukraine, minister says",
        "Belgium has ruled out sending its F-16 fighter jets to Ukraine this year.")
    assert [(r.system_id, r.status) for r in records if r.kind == "item"] == [("f16", "rejected")]


def test_headline_item_the_body_does_not_restate_stays():
    records = headline_records(
        "Portugal to provide Ukraine with armoured vehicles and medical equipment",
        "Portugal will send 14 M113 armoured personnel carriers and eight generators to Ukraine.")
    assert {r.system_id for r in records if r.kind == "item"} == {"m113", "generators", "medical_supplies"}


def test_first_paragraph_that_is_not_the_title_is_body():
    text = "Norway will provide 1.9 billion kroner in military aid to Ukraine.\n\n" \
           "The package includes a $180 million fund for drones."
    values = {r.value for r in records_of(text, title="Norway and Ukraine") if r.kind == "package"}
    assert 1.9e9 in values


def test_an_uncounted_kind_named_again_under_a_second_package_is_one_item():
    text = ("Britain has unveiled a £225 million package for Ukraine, including drones, boats and radars.\n\n"
            "The package will include £92 million for the navy, including small boats and uncrewed vessels.")
    boats = [r for r in records_of(text) if r.kind == "item" and r.system_id == "boats"]
    assert len(boats) == 1


def test_counted_items_under_two_packages_stay_two():
    text = ("The first drawdown package of $300 million includes 20 Bradley fighting vehicles.\n\n"
            "A second drawdown package of $200 million includes 10 Bradley fighting vehicles.")
    bradleys = sorted(r.quantity for r in records_of(text, publisher="U.S. Department of Defense")
                      if r.kind == "item" and r.system_id == "bradley")
    assert bradleys == [10, 20]


def test_a_colon_handing_over_to_a_speaker_opens_no_list():
    text = ("Canada will send four Leopard 2 tanks to Ukraine, the minister said.\n\n"
            "Asked about fighter jets, the minister responded:\n\n"
            "\u201cNo, Ukraine does not need F-16s now.\u201d")
    assert [r.system_id for r in records_of(text) if r.kind == "item"] == ["leopard2"]


def test_a_long_lead_paragraph_set_as_the_title_is_no_headline():
    """A template that puts the whole lead paragraph in its heading makes no headline of it: its
    records stand beside the body's instead of giving way to them."""
    lead = ("The first ten Leopard 1 tanks that Denmark is providing together with Germany and the "
            "Netherlands arrived in Ukraine on Friday, the Danish defence ministry said, and ten more "
            "are already on their way after their overhaul at the plant.")
    body = "Germany delivered the first Leopard 1A5 tanks from its own programme in July."
    with_title = records_of(f"{lead}\n\n{body}", title=lead)
    without_title = records_of(f"{lead}\n\n{body}")
    assert summary(with_title) == summary(without_title)
    assert any(r.donor_code == "DNK" and r.system_id == "leopard1a5" for r in with_title), summary(with_title)


@pytest.mark.parametrize("line", [
    "Read also: Spain pledges 10 Leopard 2 tanks in new package",
    "READ MORE: Spain pledges 10 Leopard 2 tanks in new package",
    "Lesen Sie auch: Spanien sagt zehn Leopard-2-Panzer zu",
    "Lire aussi : l'Espagne promet dix chars Leopard 2",
])
def test_a_read_also_line_is_another_storys_and_set_aside(line):
    records = records_of(f"Norway will send 5 NASAMS launchers to Ukraine.\n\n{line}\n\nThe launchers arrive in May.")
    assert [(r.donor_code, r.system_id) for r in records] == [("NOR", "nasams")], summary(records)


def test_a_sentence_opening_with_related_is_still_read():
    records = records_of("Related to the new package, Norway will send 5 NASAMS launchers to Ukraine.")
    assert [(r.donor_code, r.system_id, r.quantity) for r in records] == [("NOR", "nasams", 5)], summary(records)


@pytest.mark.parametrize("text, language, donor, system_id, quantity", [
    ("Norway backed a plan aimed at providing Ukraine with 20,000 artillery shells this winter as well as "
     "rebuilding its own stocks.", "en", "NOR", "ammo_artillery", 20000),
    ("Sweden will provide Ukraine with 8 Archer howitzers as well as expanding its own production.",
     "en", "SWE", "archer", 8),
])
def test_a_second_aim_after_everything_counted_leaves_the_pledge(text, language, donor, system_id, quantity):
    """Production or restocking joined as a second aim ('as well as', 'sowie') after the count is no
    reason to read the count as something other than a pledge."""
    records = records_of(text, language=language)
    given = [r for r in records if r.kind == "item" and r.donor_code == donor]
    assert [(r.system_id, r.quantity) for r in given] == [(system_id, quantity)], summary(records)


@pytest.mark.parametrize("text, language", [
    ("Norway said it had already delivered 6 of the 14 F-16 fighters it promised to Ukraine.", "en"),
    ("Norwegen hat 6 der 14 F-16-Kampfjets an die Ukraine geliefert.", "de"),
])
def test_a_delivered_part_of_a_whole_is_the_part_delivered_and_the_whole_pledged(text, language):
    records = records_of(text, language=language)
    got = sorted((r.status, r.quantity) for r in records if r.kind == "item" and r.system_id == "f16")
    assert got == [("delivered", 6), ("pledged", 14)], summary(records)


def test_a_part_of_a_fleet_sent_is_the_part_pledged_only():
    records = records_of("Norway will send 6 of its 14 F-16 fighters to Ukraine.")
    assert [(r.status, r.quantity) for r in records if r.kind == "item"] == [("pledged", 6)], summary(records)


# --- an uncounted kind that sums up the giver's named systems is no item ----------------------

def test_a_kind_summing_up_named_systems_is_no_item():
    text = ("Slovenia will send more air defence and artillery to Ukraine. "
            "Slovenia will also send two NASAMS launchers and 14 M777 howitzers.")
    records = records_of(text)
    assert sorted(r.system_id for r in records if r.kind == "item") == ["m777", "nasams"], summary(records)


def test_a_kind_in_a_list_of_what_a_package_includes_stays():
    text = ("Slovenia's new package includes air defence systems and artillery rounds. "
            "Slovenia will send two NASAMS launchers.")
    records = records_of(text)
    assert "air_defense_systems" in {r.system_id for r in records if r.kind == "item"}, summary(records)


def test_a_kind_named_by_another_giver_stays():
    text = ("Slovenia will send more air defence to Ukraine. Croatia will send two NASAMS launchers.")
    records = records_of(text)
    assert {(r.donor_code, r.system_id) for r in records if r.kind == "item"} == \
        {("SVN", "air_defense_systems"), ("HRV", "nasams")}, summary(records)


def test_the_amount_named_before_is_no_new_record_whoever_the_page_names_since():
    """'the €900 million payment' points back to the €900 million the EU paid, though other
    givers were named in between."""
    text = ("The European Commission disbursed €900 million to Ukraine on Friday. "
            "Other G7 members have disbursed €5 billion so far. "
            "Meanwhile, the €900 million disbursement is meant for the salaries of teachers and doctors.")
    records = records_of(text)
    assert [(r.kind, r.donor_code) for r in records if r.value == 9e8] == [("package", "EU")], summary(records)


def test_an_amount_pledged_before_and_delivered_now_is_kept():
    text = ("Norway pledged NOK 500 million for Ukraine's air defence in May. "
            "The NOK 500 million has now been delivered, the ministry said.")
    records = records_of(text)
    assert sorted(r.status for r in records if r.value == 5e8) == ["delivered", "pledged"], summary(records)


def test_a_verbless_sentence_counting_out_kit_after_a_package_lists_it():
    """'Details: ... noted that 300 trucks, 2 million rounds of ammunition, 40 boats ...': no verb of
    giving, but three kinds counted right after a package are that package's contents."""
    text = ("Canada will send Ukraine a new CAD 400 million military aid package, its minister said on Friday. "
            "Details: the minister noted that 300 trucks, 2 million rounds of ammunition, 40 boats and more "
            "drones.")
    records = records_of(text)
    assert package_with_value(records, 4e8).donor_code == "CAN"
    for system_id, count in (("trucks", 300), ("ammunition", 2_000_000), ("boats", 40)):
        record = item(records, system_id)
        assert (record.donor_code, record.status, record.quantity) == ("CAN", "pledged", count), summary(records)
        assert record.package_index is not None


def test_one_or_two_counts_without_a_verb_stay_unread():
    text = ("Canada will send Ukraine a new CAD 400 million military aid package, its minister said on Friday. "
            "Russia, by comparison, lost 300 tanks and 40 boats in the same month.")
    assert [r.kind for r in records_of(text)] == ["package"]


def test_money_the_allies_gave_on_a_page_about_an_alliance_is_its_total():
    text = ("NATO agreed on Thursday to provide training for Ukrainian troops in Germany. "
            "The secretary general said the allies have provided Ukraine with military aid worth EUR 38 billion.")
    records = records_of(text)
    assert [(r.kind, r.donor_code, r.value) for r in records] == [("aggregate", "NATO", 38e9)], summary(records)


def test_kit_the_allies_sent_names_no_giver():
    text = ("NATO agreed on Thursday to provide training for Ukrainian troops in Germany. "
            "The secretary general said the allies have sent Ukraine 300 tanks.")
    assert [r for r in records_of(text) if r.kind == "item"] == []


def test_an_amount_opening_a_line_under_a_package_intro_is_one_of_its_parts():
    text = ("Ireland has announced a new support package for Ukraine. The package also includes:\n\n"
            "- €4 million to the International Fund for Ukraine to buy ammunition\n\n"
            "- training for Ukrainian deminers in Cyprus.")
    records = records_of(text)
    assert (package_with_value(records, 4e6).donor_code, package_with_value(records, 4e6).status) == \
        ("IRL", "pledged")


def test_counts_of_what_russia_lost_after_a_package_are_no_list_of_it():
    text = ("Canada will send Ukraine a new CAD 400 million military aid package, its minister said on Friday. "
            "Since the spring, Russia has lost 300 tanks, 200 infantry fighting vehicles and 90 howitzers.")
    assert [r.kind for r in records_of(text)] == ["package"], summary(records_of(text))


def test_the_size_of_a_groups_scheme_is_that_groups_total():
    text = ("The European Commission paid Ukraine €2 billion on Monday under the G7-led Ukraine Recovery "
            "Scheme. The payment completes the EU's share of the scheme, which aims to provide about €30 billion "
            "to Ukraine in all.")
    records = records_of(text)
    [total] = [r for r in records if r.value == 30e9]
    assert (total.kind, total.donor_code) == ("aggregate", "G7"), summary(records)


def test_a_scheme_no_group_leads_keeps_its_reading():
    text = ("The European Commission paid Ukraine €2 billion on Monday under its recovery scheme. "
            "The payment completes the EU's share of the scheme, which aims to provide about €30 billion.")
    assert not any(r.donor_code == "G7" for r in records_of(text))


def test_the_same_givers_amount_named_again_still_adds_its_channel():
    text = ("The United States announced a $400 million package for Ukraine on Friday. "
            "The $400 million drawdown package includes 10 HIMARS launchers.")
    [package] = of_kind(records_of(text), "package")
    assert (package.donor_code, package.value, package.channel) == ("USA", 4e8, "PDA")


def test_a_group_leading_another_scheme_does_not_take_a_new_funds_size():
    text = ("Sweden will put SEK 800 million into a new fund, which will provide €900 million for artillery shells. "
            "Separately, the EU-led advisory mission in Moldova was prolonged by two years.")
    assert not any(r.donor_code == "EU" for r in records_of(text)), summary(records_of(text))


def test_a_long_page_of_scheme_sizes_stays_fast():
    import time
    paragraph = ("Norway will pay NOK 50 million into the {n}th fund, which will provide €100 million for drones. "
                 "The Danish-led drone coalition met for the {n}th time.")
    text = "\n\n".join(paragraph.format(n=n) for n in range(1000))
    started = time.perf_counter()
    records_of(text)
    assert time.perf_counter() - started < 5


def test_counts_of_losses_after_a_package_are_no_list_of_it():
    text = ("Norway announced a NOK 2 billion military aid package for Ukraine on Monday.\n\n"
            "Overnight, 9 tanks, 14 armoured vehicles and 6 artillery systems were destroyed near Pokrovsk, "
            "the general staff said.")
    assert [r.kind for r in records_of(text)] == ["package"], summary(records_of(text))
