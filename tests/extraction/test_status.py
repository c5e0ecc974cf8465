"""Status: pledged, delivered or rejected, with negation and tense."""
import pytest

from tests.extraction.helpers import item, package_with_value, records_of, summary


def status_of(text, system_id, donor):
    record = item(records_of(text), system_id)
    assert record.donor_code == donor
    return record.status


@pytest.mark.parametrize("text, system_id, donor", [
    ("France announced it will supply 12 more CAESAR howitzers to Ukraine.", "caesar", "FRA"),
    ("Sweden pledged 10 Archer self-propelled howitzers to Ukraine.", "archer", "SWE"),
    ("Canada has committed four Leopard 2 tanks to Ukraine.", "leopard2", "CAN"),
    ("The Biden administration authorized the transfer of 31 Abrams tanks to Ukraine.", "abrams", "USA"),
    ("Spain agreed to provide six HAWK launchers to Ukraine.", "hawk", "ESP"),
    ("Portugal offered three Leopard 2A6 tanks to Ukraine.", "leopard2a6", "PRT"),
    ("The Netherlands will send 14 Leopard 2 tanks to Ukraine next year.", "leopard2", "NLD"),
])
def test_pledged(text, system_id, donor):
    assert status_of(text, system_id, donor) == "pledged"


@pytest.mark.parametrize("text, system_id, donor", [
    ("Germany has delivered 18 Panzerhaubitze 2000 howitzers to Ukraine.", "pzh2000", "DEU"),
    ("Britain has supplied 14 Challenger 2 tanks to Ukraine, the Ministry of Defence said.", "challenger2", "GBR"),
    ("The first 31 Abrams tanks from the United States arrived in Ukraine on Monday.", "abrams", "USA"),
    ("Norway has sent 100 M72 anti-tank weapons to Ukraine.", "m72", "NOR"),
])
def test_delivered(text, system_id, donor):
    assert status_of(text, system_id, donor) == "delivered"


@pytest.mark.parametrize("text, system_id, donor", [
    ("Switzerland refused to allow the re-export of Gepard ammunition to Ukraine.", "gepard_ammunition", "CHE"),
    ("Germany rejected calls to deliver Taurus cruise missiles to Ukraine.", "taurus", "DEU"),
    ("Israel declined to supply air defense systems to Ukraine.", "air_defense_systems", "ISR"),
    ("The Hungarian foreign minister said Hungary does not think it is right to supply F-16 fighter jets to "
     "Ukraine.", "f16", "HUN"),
    ("Austria turned down a request to send Pandur armored vehicles to Ukraine.", "armored_vehicles", "AUT"),
    # a refusal worded as there being no reason for it, with words between
    ("Asked about jets, the Canadian minister said there is no reason, as things stand today, to send F-16s "
     "to Ukraine.", "f16", "CAN"),
    ("Spain sees no need to provide Leopard 2A4 tanks to Ukraine this year, its minister said.", "leopard2a4", "ESP"),
    # a request turned down
    ("In March, Portugal declined a Ukrainian request to donate its retired F-16 fighter jets.", "f16", "PRT"),
])
def test_rejected(text, system_id, donor):
    assert status_of(text, system_id, donor) == "rejected"


def test_not_yet_delivered_is_not_delivered():
    records = records_of("Italy has pledged a second SAMP/T air defense system but has not yet delivered it.")
    assert item(records, "samp_t").status == "pledged"
    assert all(r.status != "delivered" for r in records), summary(records)


def test_yet_to_deliver_is_not_delivered():
    records = records_of("Spain has announced 10 Leopard 2A4 tanks, which it has yet to deliver to Ukraine.")
    assert item(records, "leopard2a4").status == "pledged"


@pytest.mark.parametrize("text, system_id, donor", [
    ("The 12 Leopard 1A5 tanks will be handed over to Ukraine in the spring, Denmark's defence ministry said.",
     "leopard1a5", "DNK"),
    ("Germany said the 40 Marder infantry fighting vehicles will be delivered by the end of the year.",
     "marder", "DEU"),
])
def test_future_handover_is_pledged(text, system_id, donor):
    assert status_of(text, system_id, donor) == "pledged"


@pytest.mark.parametrize("text, system_id, donor", [
    ("Belgium will not send F-16 fighter jets to Ukraine this year.", "f16", "BEL"),
    ("Washington won't provide ATACMS to Ukraine for now, officials said.", "atacms", "USA"),
])
def test_will_not_send_is_rejected(text, system_id, donor):
    assert status_of(text, system_id, donor) == "rejected"


@pytest.mark.parametrize("text, system_id, donor, status", [
    ("The UK will gift Ukraine 20 AS90 self-propelled guns.", "as90", "GBR", "pledged"),
    ("Britain has gifted 14 Challenger 2 tanks to Ukraine.", "challenger2", "GBR", "delivered"),
    ("Estonia has previously sent Javelin anti-tank missiles to Ukraine.", "javelin", "EST", "delivered"),
    ("The Czech Republic said artillery ammunition had already been shipped to Ukraine.", "ammo_artillery", "CZE",
     "delivered"),
    ("Hungary will not be sending weapons of any kind, including tanks, to Ukraine.", "tanks", "HUN", "rejected"),
])
def test_more_ways_of_pledging_delivering_and_refusing(text, system_id, donor, status):
    records = records_of(text)
    record = item(records, system_id)
    assert (record.donor_code, record.status) == (donor, status), summary(records)


def test_a_list_takes_the_status_of_its_intro():
    records = records_of("Canada has already delivered the following equipment to Ukraine:\n\n"
                         "- 8 Leopard 2 main battle tanks;\n\n- 39 armoured combat support vehicles.\n\n"
                         "Canada will also provide:\n\n- a NASAMS air defence system.")
    assert (item(records, "leopard2").status, item(records, "leopard2").quantity) == ("delivered", 8), summary(records)
    assert item(records, "nasams").status == "pledged", summary(records)


def test_each_clause_keeps_its_own_status():
    records = records_of("Norway will send 14 CV90 infantry fighting vehicles, while Austria again refused to supply "
                         "any weapons.")
    assert item(records, "cv90").status == "pledged", summary(records)
    records = records_of("Sweden has delivered 10 Archer howitzers; Switzerland rejected the transfer of Gepard "
                         "ammunition.")
    assert (item(records, "archer").donor_code, item(records, "archer").status) == ("SWE", "delivered"), \
        summary(records)
    assert (item(records, "gepard_ammunition").donor_code, item(records, "gepard_ammunition").status) == \
        ("CHE", "rejected"), summary(records)


@pytest.mark.parametrize("text, system_id, donor, status", [
    ("Romania sent a Patriot battery to Ukraine last year.", "patriot", "ROU", "delivered"),
    ("Sweden and Denmark have each dispatched Archer howitzers to Ukraine.", "archer", "SWE", "delivered"),
    ("The Netherlands has promised 24 F-16 fighter jets to Ukraine.", "f16", "NLD", "pledged"),
    ("Fifty Leopard 1 tanks will be supplied to Ukraine by Denmark next year.", "leopard1a5", "DNK", "pledged"),
    ("Twenty M109 howitzers have been provided to Ukraine by Norway.", "m109", "NOR", "delivered"),
    ("Slovakia said it would no longer transfer weapons, including its remaining MiG-29s, to Ukraine.", "mig29",
     "SVK", "rejected"),
])
def test_past_tense_passive_and_promise(text, system_id, donor, status):
    records = records_of(text)
    record = item(records, system_id)
    assert (record.donor_code, record.status) == (donor, status), summary(records)


@pytest.mark.parametrize("text, system_id, donor, status", [
    ("South Korea has sent body armour to Ukraine but has ruled out supplying lethal weapons.", "body_armor", "KOR",
     "delivered"),
    ("Two more NASAMS launchers will also be delivered this year, Norway said.", "nasams", "NOR", "pledged"),
    ("Slovakia has handed 13 MiG-29 fighter jets to Ukraine.", "mig29", "SVK", "delivered"),
])
def test_a_but_clause_an_adverb_before_be_and_a_bare_handed(text, system_id, donor, status):
    records = records_of(text)
    record = item(records, system_id)
    assert (record.donor_code, record.status) == (donor, status), summary(records)


@pytest.mark.parametrize("text, system_id, donor, status", [
    ("Norway will fund three NASAMS fire units, which will be bought from the manufacturer and delivered to Ukraine "
     "next year.", "nasams", "NOR", "pledged"),
    ("Germany has paid for Skyranger systems; Rheinmetall has received an order to supply them to Ukraine.",
     "skyranger", "DEU", "pledged"),
])
def test_a_future_shared_by_two_participles_and_an_order_received(text, system_id, donor, status):
    records = records_of(text)
    record = item(records, system_id)
    assert (record.donor_code, record.status) == (donor, status), summary(records)


# --- halts and pauses of deliveries are refusals --------------------------------------------

@pytest.mark.parametrize("text, system_id, donor", [
    ("The Pentagon has paused shipments of Stinger missiles to Ukraine pending a review of stocks.",
     "stinger", "USA"),
    ("Germany suspended deliveries of IRIS-T launchers to Ukraine after the audit.", "iris_t_slm", "DEU"),
    ("Washington ordered a temporary halt to the supply of HIMARS rockets to Ukraine.", "himars_ammunition", "USA"),
    ("Among the weapons being withheld by the United States are 30 Patriot interceptors.", "patriot_interceptors",
     "USA"),
    ("Canada's shipment of M777 howitzers to Ukraine remains on hold, officials said.", "m777", "CAN"),
])
def test_halt_or_pause_of_deliveries_is_rejected(text, system_id, donor):
    assert status_of(text, system_id, donor) == "rejected"


def test_halting_the_enemy_is_no_halt_of_deliveries():
    text = "The United States will send HIMARS launchers to help Ukraine halt the Russian advance."
    assert status_of(text, "himars", "USA") == "pledged"


@pytest.mark.parametrize("text, system_id, donor", [
    ("Canada is ruling out sending Leopard 2 tanks to Ukraine for now.", "leopard2", "CAN"),
    ("The Netherlands said its F-16 fighter jets will not be part of the next package for Ukraine.", "f16", "NLD"),
    ("Sending Gripen fighter jets to Ukraine is not on the cards, Sweden's government said.", "gripen", "SWE"),
    ("For Greece, sending S-300 air defense systems to Ukraine is out of the question.", "s300", "GRC"),
])
def test_more_ways_of_saying_no(text, system_id, donor):
    assert status_of(text, system_id, donor) == "rejected"


@pytest.mark.parametrize("text, donor", [
    ("U.S. President Donald Trump has paused all military aid to Ukraine, a White House official said.", "USA"),
    ("Slovakia halted its military assistance to Ukraine after the election.", "SVK"),
])
def test_a_halt_of_aid_without_items_is_support_refused(text, donor):
    assert [(r.kind, r.donor_code, r.status) for r in records_of(text)] == [("support", donor, "rejected")]


@pytest.mark.parametrize("text, system_id, donor", [
    ("Germany will for now not send Taurus cruise missiles to Ukraine.", "taurus", "DEU"),
    ("Germany is not sending Taurus cruise missiles to Ukraine for now, Scholz said.", "taurus", "DEU"),
    ("Hungary is not going to send Leopard 2 tanks to Ukraine.", "leopard2", "HUN"),
])
def test_refusals_for_now_and_in_the_progressive(text, system_id, donor):
    assert status_of(text, system_id, donor) == "rejected"


@pytest.mark.parametrize("text, system_id, donor", [
    ("The Czech Republic and the Netherlands will jointly fund 50,000 155mm shells for Ukraine.", "ammo_155mm", "CZE"),
    ("Sweden will also provide Archer howitzers to Ukraine.", "archer", "SWE"),
])
def test_an_adverb_between_will_and_the_giving_verb(text, system_id, donor):
    assert status_of(text, system_id, donor) == "pledged"


@pytest.mark.parametrize("text, system_id, donor", [
    ("Ukraine received 20 Leopard 1 tanks from Denmark in the spring.", "leopard1a5", "DNK"),
    ("Kyiv quietly received two NASAMS launchers from the United States.", "nasams", "USA"),
])
def test_ukraine_received_from_a_giver_is_a_delivery(text, system_id, donor):
    assert status_of(text, system_id, donor) == "delivered"


@pytest.mark.parametrize("text, system_id, donor", [
    ("Greece said there is no question of sending its S-300 air defense systems to Ukraine.", "s300", "GRC"),
    ("Sending Taurus cruise missiles to Ukraine is not an option for Germany, the chancellor said.", "taurus", "DEU"),
])
def test_no_such_question_and_not_an_option_are_refusals(text, system_id, donor):
    assert status_of(text, system_id, donor) == "rejected"


def test_what_can_be_sent_is_not_yet_sent():
    text = "The EU commits a further €1 billion for ammunition from stocks that can be sent to Ukraine quickly."
    assert [(r.kind, r.status) for r in records_of(text) if r.kind == "package"] == [("package", "pledged")]


@pytest.mark.parametrize("text", [
    "The EU has disbursed €4.1 billion to Ukraine under the macro-financial assistance programme.",
    "The EU has paid out a final tranche of €4.1 billion to Ukraine.",
])
def test_money_paid_out_is_delivered(text):
    assert [(r.kind, r.status) for r in records_of(text) if r.kind == "package"] == [("package", "delivered")]


# --- the verbs of giving in every tense, in English, German and French -----------------------

@pytest.mark.parametrize("text, language, system_id, donor, status", [
    # a finite past of giving is a delivery
    ("Latvia transferred twelve howitzers to Ukraine in the spring.", "en", "howitzers", "LVA", "delivered"),
    ("Latvia supplied twelve howitzers to the Ukrainian army.", "en", "howitzers", "LVA", "delivered"),
    ("Latvia provided twelve howitzers, the ministry said.", "en", "howitzers", "LVA", "delivered"),
    ("Latvia gave the Ukrainian army twelve howitzers.", "en", "howitzers", "LVA", "delivered"),
    ("Lettland überließ der Ukraine zwölf Haubitzen.", "de", "howitzers", "LVA", "delivered"),
    ("Lettland hat der Ukraine zwölf Haubitzen geschenkt.", "de", "howitzers", "LVA", "delivered"),
    ("Lettland hat der Ukraine im Frühjahr zwölf Haubitzen überlassen.", "de", "howitzers", "LVA", "delivered"),
    ("La Lettonie a fourni douze obusiers à l'armée ukrainienne.", "fr", "howitzers", "LVA", "delivered"),
    ("La Lettonie a envoyé douze obusiers à Kiev.", "fr", "howitzers", "LVA", "delivered"),
    ("La Lettonie a remis douze obusiers aux forces ukrainiennes.", "fr", "howitzers", "LVA", "delivered"),
    # the present and the future of giving is a pledge
    ("Latvia is giving twelve howitzers to Ukraine.", "en", "howitzers", "LVA", "pledged"),
    ("Latvia is transferring twelve howitzers to Ukraine.", "en", "howitzers", "LVA", "pledged"),
    ("Latvia will ship twelve howitzers to Ukraine.", "en", "howitzers", "LVA", "pledged"),
    ("Latvia will supply twelve howitzers to Ukraine.", "en", "howitzers", "LVA", "pledged"),
    ("Lettland schenkt der Ukraine zwölf Haubitzen.", "de", "howitzers", "LVA", "pledged"),
    ("Lettland spendet zwölf Haubitzen für die ukrainische Armee.", "de", "howitzers", "LVA", "pledged"),
    ("Lettland wird zwölf Haubitzen an die Ukraine abgeben.", "de", "howitzers", "LVA", "pledged"),
    ("Lettland versorgt die Ukraine mit zwölf Haubitzen.", "de", "howitzers", "LVA", "pledged"),
    ("La Lettonie remettra douze obusiers à l'Ukraine.", "fr", "howitzers", "LVA", "pledged"),
    ("La Lettonie donne douze obusiers à l'Ukraine.", "fr", "howitzers", "LVA", "pledged"),
    ("La Lettonie a décidé d'envoyer douze obusiers à l'Ukraine.", "fr", "howitzers", "LVA", "pledged"),
    ("L'Ukraine recevra douze obusiers de la Lettonie.", "fr", "howitzers", "LVA", "pledged"),
])
def test_the_verbs_of_giving_in_every_tense(text, language, system_id, donor, status):
    records = records_of(text, language=language)
    record = item(records, system_id)
    assert (record.donor_code, record.status) == (donor, status), summary(records)


@pytest.mark.parametrize("text, language", [
    # a participle that describes a thing given before is no delivery of this sentence's items
    ("Latvia will send twelve howitzers to go with the U.S.-provided rockets.", "en"),
    ("Latvia will send twelve howitzers, a step that would see more systems being provided.", "en"),
    ("La Lettonie va livrer douze obusiers, étant donné que les stocks le permettent.", "fr"),
])
def test_a_participle_describing_something_is_no_delivery(text, language):
    records = records_of(text, language=language)
    assert item(records, "howitzers").status == "pledged", summary(records)


def test_giving_an_answer_is_no_pledge():
    records = records_of("Latvia's minister avoided giving a date for the howitzers Ukraine asked for.")
    assert not [r for r in records if r.kind == "item"], summary(records)


def test_what_a_payment_made_includes_is_delivered_too():
    """'The payment includes ...' lists parts of money already paid: they are paid, not promised."""
    text = ("The European Commission on Monday disbursed €3 billion to Ukraine. "
            "The payment includes a second tranche of €2 billion under the Ukraine Facility.")
    records = records_of(text)
    assert package_with_value(records, 2e9).status == "delivered"


def test_kit_a_giver_provided_named_in_a_compound_was_delivered():
    """'Ukraine used German-supplied ...' names who gave the kit, though the sentence is about its use."""
    records = records_of("Ukrainian crews fired U.K.-supplied Storm Shadow missiles at a bridge on Sunday.")
    record = item(records, "storm_shadow")
    assert (record.donor_code, record.status) == ("GBR", "delivered")


@pytest.mark.parametrize("text", [
    # the first owner, not the giver: another giver is named
    "Norway dispatches U.S.-supplied NASAMS launchers to Ukraine.",
    # a kind alone says too little
    "Ukrainian crews fired U.K.-supplied missiles at a bridge on Sunday.",
])
def test_a_compound_giver_beside_another_giver_or_before_a_kind_is_not_read(text):
    assert not any(r.kind == "item" and r.status == "delivered" and r.donor_code in ("USA", "GBR")
                   for r in records_of(text))


def test_kit_that_aid_money_will_buy_is_pledged():
    text = ("Denmark has pledged another DKK 500 million for Ukraine. "
            "The money will be used to purchase Patriot interceptors for Ukraine, the minister said.")
    record = item(records_of(text), "patriot_interceptors")
    assert (record.donor_code, record.status) == ("DNK", "pledged")


def test_a_refused_request_refuses_the_kit_requested_just_before():
    text = ("Kyiv has repeatedly urged Sweden to hand over Gripen fighter jets. "
            "Sweden's defence minister has turned down Ukraine's request, citing the air force's own needs.")
    record = item(records_of(text), "gripen")
    assert (record.donor_code, record.status) == ("SWE", "rejected")


def test_a_refused_request_far_from_any_kit_requested_refuses_nothing():
    text = ("Kyiv has repeatedly urged Sweden to hand over Gripen fighter jets.\n\n"
            "Sweden announced new training for pilots.\n\n"
            "Ukraine also wants more help with demining.\n\n"
            "Sweden's defence minister has turned down Ukraine's request for a visit.")
    assert not any(r.status == "rejected" for r in records_of(text))


def test_kit_named_before_a_refused_request_is_not_what_was_refused():
    text = ("The news comes a year after Kyiv first showed interest in the Leopard 1 tanks, and weeks after "
            "Portugal declined a request to donate its old F-16 fighter jets.")
    records = records_of(text)
    assert (item(records, "f16").donor_code, item(records, "f16").status) == ("PRT", "rejected")
    assert not any(r.system_id == "leopard1a5" for r in records), summary(records)


def test_a_deal_that_was_agreed_is_pledged():
    text = "A €3 billion deal was agreed by EU defence ministers on Tuesday to buy shells for Ukraine."
    records = records_of(text)
    assert (package_with_value(records, 3e9).donor_code, package_with_value(records, 3e9).status) == \
        ("EU", "pledged")


def test_arms_made_elsewhere_that_cannot_be_passed_on_are_refused_by_their_maker():
    records = [r for r in records_of("Spain cannot transfer Leopard 2 tanks made in Germany to Ukraine.")
               if r.kind == "item"]
    assert [(r.donor_code, r.status) for r in records] == [("DEU", "rejected")], summary(records)


@pytest.mark.parametrize("text", [
    "Norway has declined a request to send Leopard 2 tanks.",
    "Norway has declined a request from Kyiv to send Leopard 2 tanks.",
    "Norway declined an urgent plea from President Zelensky to send Leopard 2 tanks.",
])
def test_a_request_declined_is_refused_by_who_declines_it(text):
    records = records_of(text)
    assert [(r.donor_code, r.status) for r in records] == [("NOR", "rejected")], summary(records)


def test_a_third_country_asking_is_not_the_one_refusing():
    records = records_of("Norway has declined a request from Poland to send Leopard 2 tanks.")
    assert not any(r.donor_code == "POL" for r in records), summary(records)


def test_an_earlier_agreement_named_in_a_relative_clause_is_no_pledge():
    records = records_of("The EU's €4 billion loan, which had been agreed in February, is still held up by Slovakia.")
    assert not any(r.status == "pledged" for r in records), summary(records)


@pytest.mark.parametrize("text, value", [
    ("An aid package worth €2 billion has been agreed by EU leaders for Ukraine.", 2e9),
    ("A further €2 billion was agreed by EU ministers on Monday for Ukraine's air defence.", 2e9),
])
def test_an_amount_or_package_agreed_is_pledged(text, value):
    package = package_with_value(records_of(text), value)
    assert (package.donor_code, package.status) == ("EU", "pledged")
