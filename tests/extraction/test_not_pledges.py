"""Text that mentions weapons, donors or money but pledges nothing: no record."""
import pytest

from tests.extraction.helpers import of_kind, records_of, summary


@pytest.mark.parametrize("text", [
    # photo captions
    "U.S. soldiers load a Bradley Fighting Vehicle bound for Ukraine onto a ship in Charleston, South Carolina, "
    "Jan. 25, 2023. (U.S. Army photo by Sgt. John Doe)",
    "A Ukrainian crew fires a CAESAR howitzer supplied by France near Bakhmut. (Photo by Jane Roe/AFP via Getty Images)",
    "Photo: Bundeswehr — Flakpanzer Gepard während einer Übung in Munster.",
])
def test_photo_captions(text):
    assert records_of(text) == []


@pytest.mark.parametrize("text", [
    "The U.S. House of Representatives passed a $95 billion foreign aid bill, including $61 billion for Ukraine.",
    "Congress approved $45 billion in emergency appropriations for Ukraine in the omnibus spending bill.",
    "The Ukraine Security Supplemental Appropriations Act provides $13.8 billion for the Ukraine Security "
    "Assistance Initiative.",
])
def test_appropriations_and_legislation(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "Rheinmetall will build a factory in Ukraine to produce Lynx infantry fighting vehicles and 155mm ammunition.",
    "The United States plans to produce 100,000 155mm artillery shells a month by the end of 2025.",
    "Norway's Nammo will double its production of 155mm artillery ammunition with support from the Norwegian "
    "government.",
])
def test_manufacturing_context(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "Germany will send 15 Leopard 2A4 tanks to Slovakia to backfill the equipment Bratislava gave Ukraine.",
    "The Netherlands will buy new Patriot launchers from the United States to replenish its own stocks.",
])
def test_backfill_to_third_countries(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "The United States granted Ukraine permission to use ATACMS against targets inside Russia.",
    "Britain has allowed Ukraine to use Storm Shadow missiles against military targets in Russia.",
])
def test_permission_to_use_weapons(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "Defence ministers from 50 nations met at Ramstein Air Base for the Ukraine Defense Contact Group.",
    "Eleven countries have now joined the F-16 coalition, the Dutch defence minister said.",
    "More than 30 NATO allies took part in the meeting in Brussels.",
])
def test_counts_of_participating_nations(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "Ukraine has asked the United States for 10 more Patriot batteries.",
    "Kyiv urged Germany to provide Taurus cruise missiles.",
    "President Zelensky called on Western allies to send more F-16 fighter jets and air defense systems.",
    "Ukraine requested 200 additional Leopard 2 tanks from its European partners.",
])
def test_requests_by_ukraine(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "The Swedish government is looking at whether it can contribute Gripen fighter jets, but no decision has "
    "been taken.",
    "A minister floated a plan under which Spain would give Leopard 2 tanks to Poland for onward transfer.",
    "Officials are examining how Norway could provide NASAMS launchers next year.",
])
def test_ideas_under_study(text):
    assert records_of(text) == [], summary(records_of(text))


def test_factories_in_a_clause_after_the_pledge_leave_it_a_pledge():
    records = records_of("Italy will step up its deliveries of 155mm artillery shells to Ukraine to 2,500 a month, "
                         "and aims for more as its plants expand production.")
    (shells,) = records
    assert (shells.donor_code, shells.system_id, shells.quantity, shells.quantity_per) == \
        ("ITA", "ammo_155mm", 2500, "month"), summary(records)


@pytest.mark.parametrize("text", [
    "President Zelensky has asked NATO members to provide Kyiv with at least ten Patriot systems.",
    "Kyiv asked the Dutch and Danish governments to supply more F-16 fighter jets.",
    "Ukraine's defence minister asked Berlin once again to send Taurus cruise missiles.",
])
def test_asking_someone_to_give_is_a_request(text):
    assert [r for r in records_of(text) if r.kind == "item"] == []


def test_a_giver_asked_to_provide_by_others_still_gives_once_it_pledges():
    text = "Asked by reporters, Norway said it will provide two NASAMS launchers to Ukraine."
    assert [r.system_id for r in records_of(text) if r.kind == "item"] == ["nasams"]


# --- earlier pledges recalled as background --------------------------------------------------

@pytest.mark.parametrize("text", [
    "The United States had previously promised 31 Abrams tanks to Ukraine, even before the summit.",
    "Recall that Germany pledged four IRIS-T SLM systems to Ukraine in the spring.",
    "As a reminder, Norway sent 14 F-16 fighter jets to Ukraine over the winter.",
    "Back in March, Spain promised 19 Leopard 2A4 tanks to Ukraine.",
])
def test_a_pledge_recalled_as_background_is_no_new_record(text):
    assert [r for r in records_of(text) if r.kind in ("item", "package")] == []


def test_a_running_total_in_a_background_sentence_stays():
    text = "Recall that Canada has committed more than C$4 billion in military aid to Ukraine since 2022."
    assert [r.kind for r in records_of(text)] == ["aggregate"]


def test_a_delivery_already_made_is_news_not_background():
    text = "Denmark said it had already delivered 14 F-16 fighter jets to Ukraine."
    assert [(r.system_id, r.status) for r in records_of(text) if r.kind == "item"] == [("f16", "delivered")]


@pytest.mark.parametrize("text", [
    "The U.S. Senate overwhelmingly approved $40 billion in new aid to Ukraine on Thursday.",
    "U.S. lawmakers voted to approve $61 billion in military aid for Ukraine.",
    "Around $24 billion in the measure is for arming and equipping Ukrainian forces.",
])
def test_a_parliaments_vote_on_money_is_no_pledge(text):
    records = records_of("The United States is Ukraine's largest donor. " + text)
    assert [r for r in records if r.value is not None] == [], summary(records)


# --- a giver that receives is buying for itself ------------------------------------------------

def test_a_giver_receiving_weapons_buys_for_itself():
    text = "Poland has received its first 24 K2 tanks from South Korea, which will replace its T-72 fleet."
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


def test_ukraine_receiving_from_a_giver_is_a_delivery():
    text = "Ukraine has received 24 Leopard 1 tanks from Denmark."
    assert [(r.donor_code, r.status) for r in records_of(text) if r.kind == "item"] == [("DNK", "delivered")]


@pytest.mark.parametrize("text", [
    "Kyiv has also pushed Germany to transfer Taurus cruise missiles.",
    "Ukrainian officials pressed the Biden administration to provide ATACMS missiles.",
    "Zelensky lobbied European leaders hard to send more Patriot systems.",
])
def test_pressing_someone_to_give_is_a_request(text):
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "The United States approved the sale of 24 F-16 fighter jets to Turkey.",
    "Germany announced the sale of 50 Leopard 1 tanks to Brazil.",
    "South Korea announced it will sell 180 K2 tanks to Poland under the new contract.",
])
def test_sales_are_no_pledges(text):
    assert records_of(text) == [], summary(records_of(text))


def test_selling_after_the_pledge_clause_leaves_it_a_pledge():
    text = "Norway will donate 2 NASAMS launchers to Ukraine, and Kongsberg, which sells them, will build more."
    assert [r.system_id for r in records_of(text) if r.kind == "item"] == ["nasams"]


# --- arms for a third country ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Germany will lend 10 Leopard 2 tanks to Lithuania while its own brigade is built up.",
    "The Netherlands has agreed to provide 18 CAESAR howitzers to Estonia.",
])
def test_arms_for_a_third_country_are_no_pledge_to_ukraine(text):
    assert records_of(text) == [], summary(records_of(text))


@pytest.mark.parametrize("text, donor", [
    ("Norway will contribute 50 million euros to the NATO fund for non-lethal aid.", "NOR"),
    ("Germany will send 10 Leopard 2 tanks to Ukraine via Poland.", "DEU"),
])
def test_a_group_fund_or_a_named_ukraine_keeps_the_pledge(text, donor):
    assert {r.donor_code for r in records_of(text)} == {donor}


@pytest.mark.parametrize("text", [
    "Finland received 64 F-35 fighter jets from the United States under its own contract.",
    "Following approval by Congress, Norway received authorization to transfer 22 F-16 aircraft.",
])
def test_a_giver_receiving_in_the_simple_past_buys_for_itself(text):
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


@pytest.mark.parametrize("text", [
    "The administration was preparing to send long-range ATACMS missiles to Kyiv, officials said.",
    "Sweden is preparing to provide Gripen fighter jets once the F-16s are in service.",
])
def test_preparing_to_give_is_not_yet_a_pledge(text):
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


def test_what_a_giver_gets_back_in_a_swap_is_no_pledge():
    text = ("Greece will send 40 BMP-1 infantry fighting vehicles to Ukraine on the condition that they are "
            "replaced with more modern German Marder vehicles.")
    assert [(r.donor_code, r.system_id) for r in records_of(text) if r.kind == "item"] == [("GRC", "bmp1")]


def test_what_ukraine_needs_is_no_item():
    text = ("Lithuania has transferred 26 M113 armored personnel carriers to Ukraine in response to its "
            "very urgent needs for demining equipment.")
    assert [r.system_id for r in records_of(text) if r.kind == "item"] == ["m113"]


@pytest.mark.parametrize("text", [
    "Spain will send more aid next month and has promised an update regarding artillery, its minister said.",
    "The Dutch minister said she would provide news related to air defense after the meeting.",
])
def test_a_kind_named_as_a_topic_is_no_item(text):
    """A kind of weapon that a statement is about ('news related to air defense') is not given."""
    assert [r.system_id for r in records_of(text) if r.kind == "item"] == []


@pytest.mark.parametrize("text, language, given, named_in_reason", [
    ("Sweden will not send its JAS Gripen jets to Ukraine, as this would slow the pilots' training on F-16s.",
     "en", "gripen", "f16"),
    ("The Netherlands delivered 8 PzH 2000 howitzers because the Patriot batteries it had promised were "
     "still in use at home.", "en", "pzh2000", "patriot"),
    ("Deutschland liefert vorerst keine Taurus-Marschflugkörper, weil die Bundeswehr ihre Patriot-Systeme "
     "selbst braucht.", "de", "taurus", "patriot"),
    ("La France livre 12 canons Caesar à l'Ukraine, car les Mirage 2000 ne sont pas encore disponibles.",
     "fr", "caesar", "mirage2000"),
])
def test_a_system_named_in_a_reason_is_no_item(text, language, given, named_in_reason):
    records = records_of(text, language=language)
    systems = {r.system_id for r in records if r.kind == "item"}
    assert given in systems and named_in_reason not in systems, summary(records)


@pytest.mark.parametrize("text, language", [
    ("Norwegen liefert der Ukraine 12 Haubitzen. Norwegen hat seine Zusagen laut einer neuen Studie auf "
     "3 Milliarden Euro gesteigert. Darin enthalten seien Schützenpanzer und Drohnen.", "de"),
    ("Norwegen liefert der Ukraine 12 Haubitzen. Die Hilfe reicht nach Angaben des Ministeriums von "
     "Sanitätsmaterial bis zu Kampfpanzern. Dazu gehören auch Schützenpanzer wie der Marder.", "de"),
])
def test_a_list_of_what_a_set_aside_sentence_named_is_set_aside_too(text, language):
    records = records_of(text, language=language)
    assert [r.quantity for r in of_kind(records, "item")] == [12], summary(records)


def test_a_list_after_a_sentence_that_gives_still_lists_its_items():
    records = records_of("Norwegen hat der Ukraine ein neues Paket zugesagt. Darin enthalten sind 12 Haubitzen.",
                         language="de")
    assert [(r.donor_code, r.quantity) for r in of_kind(records, "item")] == [("NOR", 12)], summary(records)


@pytest.mark.parametrize("text, language", [
    ("Nach Berechnungen des Kieler Instituts für Weltwirtschaft lieferte Polen bisher 300 Kampfpanzer.", "de"),
    ("Selon l'Institut de Kiel, la Pologne a livré 300 chars à l'Ukraine.", "fr"),
])
def test_a_research_institutes_tracker_makes_no_pledge(text, language):
    assert records_of(text, language=language) == []


@pytest.mark.parametrize("text, language", [
    ("Die Niederlande blockieren nicht nur die Weitergabe von Leopard-Panzern, sondern auch von "
     "CV90-Schützenpanzern.", "de"),
    ("Italy declined to send SAMP/T launchers and instead asked France to send more Caesar howitzers.", "en"),
    ("Norway refused to hand over its NASAMS but instead urged Canada to ship more Leopard 2 tanks.", "en"),
    ("La Belgique ne livrera pas de F-16 cette année mais plutôt demande à la France d'envoyer des Caesar.", "fr"),
])
def test_nothing_after_a_refusal_is_given_instead_unless_the_refuser_gives_it(text, language):
    records = records_of(text, language=language)
    assert not any(r.status == "pledged" for r in records), summary(records)


@pytest.mark.parametrize("text", [
    "Russia claimed to have hit a Dutch-supplied F-16 at an airfield in the west.",
    "Moscow said its forces had destroyed two U.S.-provided HIMARS launchers near Kherson.",
])
def test_kit_named_by_its_giver_in_a_claim_or_a_loss_is_no_delivery(text):
    assert records_of(text) == [], summary(records_of(text))


def test_what_another_giver_is_urged_to_give_after_a_refusal_is_nobodys_record():
    records = records_of("Norway refused to hand over its NASAMS and instead urged Canada to ship more Leopard 2 tanks.")
    assert [(r.donor_code, r.status) for r in records] == [("NOR", "rejected")], summary(records)
