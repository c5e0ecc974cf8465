"""German official releases and news (Bundesregierung, BMVg) at the same quality as English text."""
import pytest

from tests.extraction.helpers import item, of_kind, package_with_value, records_of, summary


def german(text, publisher=None):
    return records_of(text, language="de", publisher=publisher)


RELEASE = ("Die Bundesregierung hat der Ukraine ein weiteres Unterstützungspaket im Umfang von 1,4 Milliarden Euro "
           "zugesagt. Das Paket umfasst 20 Schützenpanzer Marder, vier Flugabwehrsysteme IRIS-T SLM und "
           "30 Kampfpanzer Leopard 1 A5.")


def test_package_in_euros_with_german_number_format():
    records = german(RELEASE)
    package = package_with_value(records, 1.4e9)
    assert (package.donor_code, package.currency, package.status) == ("DEU", "EUR", "pledged")
    assert package.value_usd and package.fx_rate_usd and 0.9 < package.fx_rate_usd < 1.3


@pytest.mark.parametrize("system_id, quantity", [("marder", 20), ("iris_t_slm", 4), ("leopard1a5", 30)])
def test_items_with_counts(system_id, quantity):
    record = item(german(RELEASE), system_id)
    assert (record.donor_code, record.quantity, record.status) == ("DEU", quantity, "pledged")


def test_items_belong_to_the_package():
    records = german(RELEASE)
    package = package_with_value(records, 1.4e9)
    for system_id in ("marder", "iris_t_slm", "leopard1a5"):
        record = item(records, system_id)
        assert record.package_index is not None and records[record.package_index] is package, summary(records)


@pytest.mark.parametrize("text, value, qualifier", [
    ("Deutschland stellt der Ukraine in diesem Jahr militärische Hilfe im Wert von über 1,1 Mrd. € bereit.",
     1.1e9, "over"),
    ("Die Bundesregierung sagte der Ukraine Militärhilfe in Höhe von rund 500 Millionen Euro zu.", 5e8, "about"),
    ("Das Bundesverteidigungsministerium kündigte ein neues Paket im Wert von 2,25 Mrd. Euro an, das "
     "Deutschland der Ukraine zur Verfügung stellen wird.", 2.25e9, None),
])
def test_german_amounts_in_pledges(text, value, qualifier):
    package = package_with_value(german(text), value)
    assert (package.donor_code, package.currency, package.value_qualifier) == ("DEU", "EUR", qualifier)


@pytest.mark.parametrize("text, system_id, quantity", [
    ("Deutschland liefert der Ukraine 10.000 Schuss Artilleriemunition 155 mm.", "ammo_155mm", 10000),
    ("Die Bundeswehr wird der Ukraine zwölf Panzerhaubitzen 2000 liefern.", "pzh2000", 12),
    ("Deutschland sagte der Ukraine drei weitere Patriot-Systeme zu.", "patriot", 3),
    ("Die Bundesregierung stellt der Ukraine fünfzig Dingo-Fahrzeuge zur Verfügung.", "dingo", 50),
])
def test_german_counts(text, system_id, quantity):
    record = item(german(text), system_id)
    assert (record.donor_code, record.quantity, record.status) == ("DEU", quantity, "pledged")


@pytest.mark.parametrize("text, system_id, quantity", [
    ("Deutschland hat der Ukraine bislang 18 Panzerhaubitzen 2000 geliefert.", "pzh2000", 18),
    ("Die Bundesregierung hat der Ukraine 52 Flakpanzer Gepard geliefert.", "gepard", 52),
    ("Deutschland hat der Ukraine ein drittes Patriot-System übergeben.", "patriot", 1),  # "ein": one system
])
def test_delivered(text, system_id, quantity):
    record = item(german(text), system_id)
    assert (record.donor_code, record.status, record.quantity) == ("DEU", "delivered", quantity)


@pytest.mark.parametrize("text, system_id", [
    ("Die Bundesregierung lehnt die Lieferung von Taurus-Marschflugkörpern an die Ukraine weiterhin ab.", "taurus"),
    ("Der Bundestag hat einen Antrag zur Lieferung von Taurus-Marschflugkörpern abgelehnt.", "taurus"),
    ("Deutschland wird keine Kampfjets an die Ukraine liefern, sagte der Bundeskanzler.", "fighter_jets"),
])
def test_rejected(text, system_id):
    record = item(german(text), system_id)
    assert (record.donor_code, record.status) == ("DEU", "rejected")


def test_release_without_donor_in_the_sentence_takes_the_publisher():
    records = german("Der Ukraine werden zwei weitere IRIS-T SLM Feuereinheiten zur Verfügung gestellt.",
                     publisher="Bundesministerium der Verteidigung")
    record = item(records, "iris_t_slm")
    assert (record.donor_code, record.quantity) == ("DEU", 2)


def test_german_aggregate():
    records = german("Seit Beginn des russischen Angriffskriegs hat Deutschland der Ukraine insgesamt rund "
                     "28 Milliarden Euro an militärischer Unterstützung zugesagt.")
    [total] = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.currency) == ("DEU", 28e9, "EUR")
    assert not of_kind(records, "package")


def test_a_release_list_takes_the_status_of_its_heading():
    records = german("Geliefert wurden unter anderem:\n\n- 52 Flugabwehrkanonenpanzer Gepard\n\n"
                     "- 3 Flugabwehrsysteme IRIS-T SLM\n\nIn Vorbereitung:\n\n- 10 Kampfpanzer Leopard 1 A5",
                     publisher="Presse- und Informationsamt der Bundesregierung")
    assert (item(records, "gepard").status, item(records, "gepard").quantity) == ("delivered", 52), summary(records)
    assert item(records, "iris_t_slm").status == "delivered"
    assert (item(records, "leopard1a5").status, item(records, "leopard1a5").quantity) == ("pledged", 10)


@pytest.mark.parametrize("text", [
    "Seit Beginn des russischen Angriffskrieges hat Deutschland der Ukraine Unterstützung im Wert von rund "
    "28 Milliarden Euro bereitgestellt.",
    "Seit Kriegsbeginn hat die Bundesregierung militärische Hilfe von rund 28 Milliarden Euro geleistet.",
])
def test_a_total_since_the_invasion_with_the_verb_at_the_end(text):
    records = german(text)
    (total,) = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.currency, total.since_date.isoformat()) == \
        ("DEU", 28e9, "EUR", "2022-02-24"), summary(records)
    assert not of_kind(records, "package")


def test_items_that_belong_to_the_package():
    records = german("Die Bundesregierung hat ein neues Paket im Wert von 500 Millionen Euro zugesagt. Zu dem Paket "
                     "gehören 15 Schützenpanzer Marder sowie 5.000 Schuss Artilleriemunition im Kaliber 155 mm.")
    package = package_with_value(records, 5e8)
    assert item(records, "marder").quantity == 15
    marder = item(records, "marder")
    assert marder.package_index is not None and records[marder.package_index] is package


# --- names in any letter case, with umlauts ------------------------------------------------

@pytest.mark.parametrize("text, system_id", [
    ("Deutschland hat der Ukraine ein weiteres Iris-T SLM zugesagt.", "iris_t_slm"),
    ("Die Bundesregierung sagte der Ukraine zwei Nasams-Systeme zu.", "nasams"),
])
def test_names_written_in_mixed_case(text, system_id):
    assert item(german(text), system_id).donor_code == "DEU"


def test_fold_is_the_same_in_any_case_and_without_umlauts():
    from scrapers.extraction.phrases import fold
    assert fold("IRIS") == fold("Iris") and fold("NASAMS") == fold("Nasams")
    assert fold("Fliegerfäuste") == fold("Fliegerfaust")
    assert fold("LKW") == fold("Lkw") and fold("MREs") == fold("MRE")


# --- sentences: German ordinals and quotation marks ----------------------------------------

@pytest.mark.parametrize("text, count", [
    ("Seit dem 24. Februar 2022 hat Norwegen geholfen. Das Land bleibt dabei.", 2),
    ("Schweden hat sein 19. Hilfspaket vorgestellt. Es umfasst Munition.", 2),
    ("Die Zahl der Pakete stieg auf 19. Weitere sollen folgen.", 2),
    ("Der Minister kündigte es an. «Wir liefern Munition», sagte er. »Und Fahrzeuge.«", 3),
])
def test_german_sentence_ends(text, count):
    from scrapers.extraction.segment import split_sentences
    assert len(split_sentences(text)) == count, [s.text for s in split_sentences(text)]


# --- German amounts: number words, currency names ------------------------------------------

@pytest.mark.parametrize("text, value, currency, qualifier", [
    ("Die Bundesregierung sagte der Ukraine Militärhilfe im Umfang von drei Milliarden Euro zu.", 3e9, "EUR", None),
    ("Das Paket der Bundesregierung hat einen Wert von rund einer Milliarde Euro.", 1e9, "EUR", "about"),
    ("Die USA sagten der Ukraine ein Paket im Umfang von 300 Millionen US-Dollar (rund 275 Millionen Euro) zu.",
     3e8, "USD", None),
    ("Schweden stellt der Ukraine ein Paket in Höhe von 2 Milliarden Schwedischen Kronen bereit.", 2e9, "SEK", None),
])
def test_german_amounts_in_words_and_currency_names(text, value, currency, qualifier):
    records = german(text)
    package = package_with_value(records, value)
    assert (package.currency, package.value_qualifier) == (currency, qualifier), summary(records)
    assert len(of_kind(records, "package")) == 1, summary(records)


def test_the_indefinite_article_counts_one():
    record = item(german("Deutschland hat der Ukraine ein Flugabwehrsystem IRIS-T SLM zugesagt."), "iris_t_slm")
    assert record.quantity == 1


# --- German status verbs: separable verbs in every person, infinitives, modals -------------

@pytest.mark.parametrize("text, system_id, status", [
    ("Die Niederlande und Belgien sagten der Ukraine weitere F-16-Kampfjets zu.", "f16", "pledged"),
    ("Norwegen, das der Ukraine acht Leopard-2-Panzer zusagte, liefert auch Munition.", "leopard2", "pledged"),
    ("Die Bundesregierung kündigte an, der Ukraine zwölf Panzerhaubitzen 2000 zu liefern.", "pzh2000", "pledged"),
    ("Kanada und Schweden stellen der Ukraine zusätzliche Gepard-Munition zur Verfügung.", "gepard_ammunition",
     "pledged"),
    ("Dänemark und Norwegen werden der Ukraine NASAMS-Systeme liefern.", "nasams", "pledged"),
    ("In den kommenden Wochen sollen weitere Leopard-1-Panzer aus Dänemark eintreffen.", "leopard1a5", "pledged"),
    ("Die Ukraine erhält von Deutschland 40 Schützenpanzer Marder.", "marder", "pledged"),
    ("Die ersten Marder-Schützenpanzer aus Deutschland sind in der Ukraine angekommen.", "marder", "delivered"),
    ("Die Ukraine erhielt im Juli die ersten Gepard-Flakpanzer aus Deutschland.", "gepard", "delivered"),
    ("Hinzu kommen 5.000 Schuss Gepard-Munition aus Deutschland, die noch geliefert werden sollen.",
     "gepard_ammunition", "pledged"),
    ("Bundeskanzler Scholz erteilte der Lieferung von Taurus-Marschflugkörpern eine Absage.", "taurus", "rejected"),
    ("Die Lieferung von Kampfjets schloss Bundeskanzler Scholz am Montag aus.", "fighter_jets", "rejected"),
])
def test_german_status_verbs(text, system_id, status):
    records = german(text)
    assert item(records, system_id).status == status, summary(records)


def test_a_list_of_deliveries_from_stocks():
    records = german("An die Ukraine wurden aus Beständen der Bundeswehr 20 Schützenpanzer Marder abgegeben. "
                     "Zehn Flakpanzer Gepard kamen aus Industriebeständen.", publisher="Bundesministerium der Verteidigung")
    assert (item(records, "marder").status, item(records, "marder").quantity) == ("delivered", 20)
    assert (item(records, "gepard").status, item(records, "gepard").quantity) == ("delivered", 10)


def test_a_request_is_no_pledge():
    assert not german("Die Ukraine hat von Deutschland die Lieferung von Taurus-Marschflugkörpern gefordert, "
                      "die der Bundestag nun debattiert.")


# --- German grammar around names and amounts -----------------------------------------------

@pytest.mark.parametrize("text, system_id, quantity", [
    ("Die Bundesregierung hat der Ukraine 14 Kampfpanzer vom Typ Leopard 2 zugesagt.", "leopard2", 14),
    ("Deutschland hat der Ukraine 500 Fliegerfäuste des Typs Strela geliefert.", "strela10", 500),
    ("Deutschland sagte weitere 12 Kampfpanzer des älteren Modells Leopard 1A5 zu.", "leopard1a5", 12),
])
def test_a_kind_then_its_model(text, system_id, quantity):
    records = german(text)
    assert item(records, system_id).quantity == quantity, summary(records)
    assert len(of_kind(records, "item")) == 1, summary(records)


def test_a_total_with_a_conversion_in_brackets():
    records = german("Seit Beginn des Krieges haben die USA der Ukraine Militärhilfe von mehr als 60,5 Milliarden "
                     "US-Dollar (rund 55,8 Milliarden Euro) bereitgestellt.")
    (total,) = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.currency) == ("USA", 60.5e9, "USD"), summary(records)
    assert not of_kind(records, "package")


@pytest.mark.parametrize("text", [
    "Die Bundesregierung hat ein neues Paket angekündigt. Insgesamt hat das Paket einen Wert von 300 Millionen Euro.",
    "Das neue Luftverteidigungspaket der Bundesregierung hat einen Wert von 300 Millionen Euro.",
])
def test_a_package_named_by_a_german_compound_or_with_its_total(text):
    records = german(text)
    assert package_with_value(records, 3e8).donor_code == "DEU"
    assert not of_kind(records, "aggregate"), summary(records)


def test_a_possessive_points_back_to_counted_items():
    records = german("Deutschland hat die Lieferung seiner Panzer bis Ende April zugesagt.")
    assert not of_kind(records, "item"), summary(records)


def test_givers_working_together_each_give():
    records = german("Die ersten Leopard-1-Panzer, die Dänemark in Zusammenarbeit mit Deutschland bereitstellt, "
                     "sind in der Ukraine angekommen.")
    assert {(r.donor_code, r.status) for r in of_kind(records, "item")} == {("DNK", "delivered"), ("DEU", "delivered")}


def test_the_subjunctive_of_reported_speech_is_still_to_come():
    records = german("Zudem würden 20 Schützenpanzer Marder aus Deutschland geliefert, teilte das Ministerium mit.")
    assert item(records, "marder").status == "pledged", summary(records)


def test_cartridges_for_small_arms_are_ammunition():
    records = german("Deutschland liefert der Ukraine zwei Millionen Patronen für Handwaffen.")
    (record,) = of_kind(records, "item")
    assert (record.is_munition, record.category, record.quantity) == (True, "small_arms", 2_000_000), summary(records)


def test_munitions_for_two_systems_with_a_preposition_each():
    records = records_of("Die USA liefern der Ukraine Munition für HIMARS und für NASAMS.", language="de")
    assert item(records, "nasams_munitions").donor_code == "USA", summary(records)


def test_munition_for_a_kind_of_the_named_type():
    records = records_of("Das Paket der USA enthält Munition für Raketenwerfer vom Typ HIMARS.", language="de")
    assert item(records, "himars_ammunition").donor_code == "USA", summary(records)


def test_a_model_in_brackets_after_its_kind():
    records = german("Deutschland liefert der Ukraine vier Geländewagen (Carrier Warthog).")
    assert item(records, "warthog").quantity == 4, summary(records)


@pytest.mark.parametrize("text, system_id, quantity", [
    ("Deutschland hat der Ukraine 800 DM31-Panzerabwehrminen geliefert.", "anti_tank_mines", 800),
    ("Die Bundesregierung hat der Ukraine acht Drohnenabwehrkanonen zugesagt.", "cuas", 8),
    ("Die Bundesregierung hat der Ukraine 2.000 Schuss Flakpanzermunition geliefert.", "gepard_ammunition", 2000),
    ("Deutschland hat 12 gepanzerte Truppentransporter zugesagt.", "apc", 12),
])
def test_german_names_and_counts(text, system_id, quantity):
    records = german(text)
    assert (item(records, system_id).quantity, item(records, system_id).donor_code) == (quantity, "DEU"), \
        summary(records)


def test_a_count_of_units_with_items_is_no_count_of_the_items():
    records = german("Die Bundesregierung will zwei Bataillone mit Leopard-2-Panzern ausstatten und liefert sie.")
    assert item(records, "leopard2").quantity is None, summary(records)


@pytest.mark.parametrize("text, donor", [
    ("Deutschlands Regierung hat der Ukraine 20 Schützenpanzer Marder zugesagt.", "DEU"),
    ("Dänische Panzer: Die Ukraine erhält 10 Leopard-1-Panzer aus Dänemarks Beständen.", "DNK"),
])
def test_german_donor_forms(text, donor):
    from scrapers.reference import lexicon
    from scrapers.extraction import find_parties
    assert find_parties(text, lexicon())[0].code == donor


def test_calibres_written_out_after_the_munition():
    records = records_of("Das Paket der USA enthält Artilleriemunition mit den Kalibern 155 und 105 Millimeter.",
                         language="de")
    assert {r.system_id for r in of_kind(records, "item")} == {"ammo_155mm", "ammo_105mm"}, summary(records)


def test_a_rounded_total_in_the_headline_is_the_body_total():
    records = german("Deutsche Militärhilfe für die Ukraine beläuft sich auf fast 8 Milliarden Euro\n\n"
                     "Seit Kriegsbeginn belaufen sich die militärischen Leistungen Deutschlands auf 7,93 Milliarden Euro.")
    assert len(of_kind(records, "aggregate")) == 1, summary(records)


# --- compounds with a shared head left out, designations, estimates ------------------------

@pytest.mark.parametrize("text, expected", [
    ("Deutschland schickt der Ukraine Strom- und Wärmeerzeuger.", {("generators", None)}),
    ("Deutschland liefert der Ukraine 12 Transport- und 8 Sanitätsfahrzeuge.", {("vehicles", 12), ("ambulances", 8)}),
])
def test_a_compound_with_its_head_left_out(text, expected):
    records = german(text)
    assert {(r.system_id, r.quantity) for r in of_kind(records, "item")} == expected, summary(records)


def test_elided_parts_are_found_by_the_phrase_index():
    from scrapers.reference import lexicon
    found = lexicon().systems_folded.find_elided("Geliefert werden Strom- und Wärmeerzeuger.")
    assert [(m.value.system_id, m.start, m.end) for m in found] == [("generators", 17, 23)]


@pytest.mark.parametrize("text, system_id, quantity", [
    ("Das Paket aus Deutschland umfasst 9 MAN TGS-Lkw.", "trucks", 9),
    ("Das Paket aus Deutschland umfasst 6 Radarstationen Ground Observer 12.", "ground_observer", 6),
])
def test_counts_before_makers_and_type_names(text, system_id, quantity):
    records = german(text)
    assert item(records, system_id).quantity == quantity, summary(records)


def test_a_research_institutes_estimate_is_no_pledge():
    records = german("Der Studie zufolge hat Deutschland der Ukraine bisher 40 Schützenpanzer Marder geliefert.")
    assert not of_kind(records, "item"), summary(records)


def test_delivered_as_an_adjective_only_after_bereits():
    listed = german("Die Liste des bereits an die Ukraine gelieferten Materials umfasst 40 Schützenpanzer Marder.",
                    publisher="Presse- und Informationsamt der Bundesregierung")
    assert item(listed, "marder").status == "delivered", summary(listed)


# --- German forms the working pages do not all show -----------------------------------------

@pytest.mark.parametrize("text, donor", [
    ("Ein dänischer Sprecher bestätigte die Lieferung.", "DNK"),
    ("Dem polnischem Beispiel folgend liefert das Land Panzer.", "POL"),
    ("Britisches Material ist eingetroffen.", "GBR"),
])
def test_german_adjectives_in_every_case(text, donor):
    from scrapers.reference import lexicon
    from scrapers.extraction import find_parties
    assert [p.code for p in find_parties(text, lexicon())] == [donor]


@pytest.mark.parametrize("text, system_id", [
    ("Deutschland wird der Ukraine keinen Taurus liefern, sagte der Kanzler.", "taurus"),
    ("Die USA setzen die Lieferung von HIMARS-Munition an die Ukraine vorerst aus.", "himars_ammunition"),
    ("Schweden will der Ukraine vorerst nicht Gripen-Kampfjets zur Verfügung stellen.", "gripen"),
])
def test_german_refusals_and_pauses(text, system_id):
    records = records_of(text, language="de")
    assert item(records, system_id).status == "rejected", summary(records)


@pytest.mark.parametrize("text, quantity, qualifier", [
    ("Deutschland liefert der Ukraine fünfundzwanzig Schützenpanzer Marder.", 25, None),
    ("Deutschland liefert der Ukraine nahezu 40 Schützenpanzer Marder.", 40, "about"),
])
def test_german_counts_in_words_and_with_qualifiers(text, quantity, qualifier):
    record = item(german(text), "marder")
    assert (record.quantity, record.quantity_qualifier) == (quantity, qualifier)


def test_a_total_since_the_beginning_of_the_war():
    records = german("Seit Beginn des Krieges hat Dänemark der Ukraine insgesamt Hilfe im Wert von "
                     "8,4 Milliarden Euro bereitgestellt.")
    (total,) = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.since_date.isoformat()) == ("DNK", 8.4e9, "2022-02-24")


@pytest.mark.parametrize("text, donor", [
    ("Die Niederlande sagten der Ukraine weitere Unterstützung zu.", "NLD"),
    ("Kanada hat der Ukraine weitere Hilfe versprochen.", "CAN"),
])
def test_a_bare_german_promise_of_support(text, donor):
    records = records_of(text, language="de")
    assert [(r.kind, r.donor_code, r.status) for r in records] == [("support", donor, "pledged")]


# --- back references to the platform named last --------------------------------------------

def test_tanks_of_this_model_are_the_model_named_before():
    records = german("Die ersten Leopard-1A5-Kampfpanzer aus Dänemark sind angekommen. Dänemark will 30 weitere "
                     "Panzer dieses Modells liefern.")
    assert {(r.system_id, r.quantity, r.status) for r in of_kind(records, "item")} == \
        {("leopard1a5", None, "delivered"), ("leopard1a5", 30, "pledged")}, summary(records)


def test_it_includes_missiles_of_the_system_named_before():
    records = german("Deutschland hat der Ukraine ein weiteres Patriot-System zugesagt. Es umfasst acht "
                     "Startgeräte und rund 40 Lenkflugkörper.")
    record = item(records, "patriot_interceptors")
    assert (record.quantity, record.quantity_qualifier) == (40, "about"), summary(records)


def test_a_platform_with_missiles_has_its_own_missiles():
    records = german("Deutschland liefert ein drittes IRIS-T SLM mit Lenkflugkörpern.")
    assert {r.system_id for r in of_kind(records, "item")} == {"iris_t_slm", "iris_t_slm_missiles"}, summary(records)


def test_counted_list_items_next_to_a_named_model_are_items_of_their_own():
    records = german("Das Paket aus Deutschland umfasst Panzerzugmaschinen und deren Auflieger, 16 Zetros-Lkw, "
                     "9 MAN TGS-Lkw sowie 20 Pick-ups.")
    assert {(r.system_id, r.quantity) for r in of_kind(records, "item")} >= \
        {("het", None), ("zetros", 16), ("trucks", 9)}, summary(records)


@pytest.mark.parametrize("text, system_id, status", [
    ("Die Niederlande haben der Ukraine die ersten 18 F-16-Kampfjets ausgeliefert.", "f16", "delivered"),
    ("Kanada übergibt der Ukraine 8 Leopard-2-Panzer.", "leopard2", "delivered"),
    ("Deutschland finanziert für die Ukraine 100.000 Schuss Artilleriemunition 155 mm.", "ammo_155mm", "pledged"),
    ("Schweden gibt 12 Archer-Haubitzen für die Ukraine frei.", "archer", "pledged"),
    ("Eine Lieferung von Taurus-Marschflugkörpern an die Ukraine kommt für Deutschland nicht in Frage.", "taurus",
     "rejected"),
])
def test_more_german_status_verbs(text, system_id, status):
    records = records_of(text, language="de")
    assert item(records, system_id).status == status, summary(records)


def test_a_german_sum_and_a_good_thirteen_billion():
    records = german("Die Zusagen Deutschlands summieren sich damit auf gut 13 Milliarden Euro.")
    (total,) = of_kind(records, "aggregate")
    assert (total.donor_code, total.value, total.value_qualifier) == ("DEU", 13e9, "over"), summary(records)


def test_swiss_thousands_apostrophe():
    records = records_of("Deutschland liefert der Ukraine 1'500 Panzerfäuste und 12’000 Schuss Artilleriemunition 155 mm.",
                         language="de")
    assert item(records, "ammo_155mm").quantity == 12000, summary(records)


@pytest.mark.parametrize("text, kind, status", [
    ("Das Gesamtpaket der Bundesregierung hat einen Wert von 500 Millionen Euro.", "package", "pledged"),
    ("Die Bundesregierung hat ein neues Paket im Gesamtwert von 500 Millionen Euro zugesagt.", "package", "pledged"),
])
def test_a_whole_package_is_a_package(text, kind, status):
    records = german(text)
    assert [(r.kind, r.status) for r in records] == [(kind, status)], summary(records)


@pytest.mark.parametrize("text, system_id, status", [
    ("Die Ukraine erhielt von Deutschland die Zusage für 20 weitere Schützenpanzer Marder.", "marder", "pledged"),
    ("Der Ukraine wurden aus Beständen der Bundeswehr 10 Panzerhaubitzen 2000 zugesagt.", "pzh2000", "pledged"),
])
def test_a_promise_is_no_delivery(text, system_id, status):
    records = records_of(text, language="de")
    assert item(records, system_id).status == status, summary(records)


def test_a_counted_kind_far_from_a_named_system_is_an_item_of_its_own():
    records = german("Deutschland hat der Ukraine bereits ein IRIS-T SLM, das modernste System seiner Klasse in "
                     "ganz Europa, sowie zehn Drohnenabwehrkanonen geliefert.")
    assert {(r.system_id, r.quantity) for r in of_kind(records, "item")} == \
        {("iris_t_slm", 1), ("cuas", 10)}, summary(records)


@pytest.mark.parametrize("text", [
    "Deutschland hat bislang keine Taurus-Marschflugkörper geliefert.",
    "Die Bundesregierung hat der Ukraine keine Kampfjets zugesagt.",
])
def test_a_german_negated_object_negates_the_verb_at_the_end(text):
    assert not of_kind(german(text), "item"), summary(german(text))


def test_a_name_written_with_an_en_dash():
    assert item(german("Deutschland hat der Ukraine ein weiteres IRIS–T SLM zugesagt."), "iris_t_slm").quantity == 1


@pytest.mark.parametrize("text, system_id, quantity, status", [
    ("Die Niederlande haben die Ukraine bislang mit 12 Panzerhaubitzen 2000 unterstützen können, "
     "sagte der Minister.", "pzh2000", 12, None),  # no cue of its own: a present modal, not a past one
    ("Der Minister erinnerte daran, dass Norwegen mit acht Panzerhaubitzen 2000 helfen konnte.", "pzh2000", 8,
     "delivered"),
    ("Schweden hat der Ukraine mit 50 Schützenpanzern CV90 geholfen.", "cv90", 50, "delivered"),
    ("Dänemark werde die Ukraine im Winter mit 20 Panzerhaubitzen 2000 unterstützen, hieß es.", "pzh2000", 20,
     "pledged"),
])
def test_help_with_the_things_named(text, system_id, quantity, status):
    """'mit 30 Gepard helfen konnte', 'werde ... mit X unterstützen': help with things is giving them."""
    records = german(text)
    found = [r for r in records if r.kind == "item" and r.system_id == system_id and r.quantity == quantity]
    assert [r.status for r in found] == ([status] if status else []), summary(records)


def test_the_end_of_a_compound_named_before_is_no_item():
    """'zwölf Drohnenabwehrsysteme, -sensoren und -jammer': a hyphen glued to a word stands for the first part
    of the compound before it; the list is one counted item."""
    records = german("Lettland hat der Ukraine zwölf Drohnenabwehrsysteme, -sensoren und -jammer geliefert.")
    assert [(r.category, r.quantity) for r in records if r.kind == "item"] == [("air_defense", 12)], summary(records)


def test_an_amount_given_before_and_recalled_beside_new_aid_is_no_package():
    records = german("Schweden wird der Ukraine weitere Haubitzen liefern, zusätzlich zu den bereits "
                     "zugesagten 300 Millionen Euro.")
    assert not [r for r in records if r.value == 3e8], summary(records)


def test_the_count_given_before_with_its_noun_left_out():
    records = of_kind(german("Norwegen liefert der Ukraine zwei weitere Haubitzen, zusätzlich zu den 8 bereits "
                             "gelieferten."), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("NOR", "pledged", 2), ("NOR", "delivered", 8)], \
        summary(records)


def test_missiles_with_a_platform_a_few_words_after_it_are_its_own():
    records = of_kind(german("Deutschland liefert der Ukraine ein IRIS-T SLS für die kurze Reichweite ebenfalls "
                             "mit Lenkflugkörpern."), "item")
    assert [r.system_id for r in records] == ["iris_t_sls", "iris_t_sls_missiles"], summary(records)


def test_ammunition_listed_with_kinds_that_sum_up_named_systems_sums_up_too():
    records = german("Deutschland will die Ukraine mit weiterer Luftverteidigung, Panzern und Munition unterstützen. "
                     "Deutschland liefert ein zweites Patriot-System und 60 Patriot-Lenkflugkörper. "
                     "Zudem liefert Deutschland 10 Kampfpanzer Leopard 1A5.")
    assert sorted(r.system_id for r in of_kind(records, "item")) == ["leopard1a5", "patriot", "patriot_interceptors"], \
        summary(records)


@pytest.mark.parametrize("text", [
    "Die Schweiz verweigert Deutschland die Weitergabe von Munition für den Gepard an die Ukraine.",
    "Die Schweiz blockiert die Weitergabe von Munition für den Gepard durch Deutschland an die Ukraine.",
])
def test_the_party_refusing_a_re_export_blocks_it(text):
    records = of_kind(german(text), "item")
    assert [(r.donor_code, r.status) for r in records] == [("CHE", "rejected")], summary(records)


@pytest.mark.parametrize("text", [
    "Die Schweiz untersagt die Ausfuhr von Gepard-Munition an die Ukraine.",
    "Die Schweiz verbietet Deutschland die Wiederausfuhr von Gepard-Munition an die Ukraine.",
    "Die Schweiz hat die Weitergabe von Gepard-Munition an die Ukraine blockiert.",
])
def test_a_forbidden_or_blocked_export_is_refused(text):
    records = of_kind(german(text), "item")
    assert [(r.donor_code, r.status) for r in records] == [("CHE", "rejected")], summary(records)


@pytest.mark.parametrize("text, donor, system_id", [
    ("Dänemark schickt der Ukraine 19 Caesar-Haubitzen, obwohl Russland die Zufahrt zum Hafen blockiert.",
     "DNK", "caesar"),
    ("Spanien liefert der Ukraine 6 Leopard 2, obwohl Streumunition in Spanien verboten ist.", "ESP", "leopard2"),
    ("Polen liefert der Ukraine 14 Leopard 2, obwohl Warschau Demonstrationen vor der Botschaft untersagt hat.",
     "POL", "leopard2"),
])
def test_blocking_or_forbidding_something_else_is_no_refusal(text, donor, system_id):
    record = item(german(text), system_id)
    assert (record.donor_code, record.status) == (donor, "pledged")


@pytest.mark.parametrize("text", [
    "Norwegen schließt die Lieferung von Kampfjets an die Ukraine nicht aus.",
    "Eine Lieferung von Leopard-Panzern durch Norwegen ist nicht ausgeschlossen.",
])
def test_not_ruling_out_is_no_refusal(text):
    assert german(text) == []


def test_supporting_with_things_in_the_present_pledges_them():
    records = of_kind(german("Norwegen unterstützt die Ukraine mit einem weiteren NASAMS-System sowie zwanzig "
                             "Aufklärungsdrohnen."), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("NOR", "pledged", 1), ("NOR", "pledged", 20)], \
        summary(records)


def test_a_total_compared_with_last_years_is_a_total_too():
    records = german("Für die Ukraine hat Norwegen in diesem Jahr insgesamt rund 3 Milliarden Euro vorgesehen, "
                     "nach einer Milliarde Euro im Vorjahr.")
    assert [(r.kind, r.donor_code, r.value) for r in records] == [("aggregate", "NOR", 3e9), ("aggregate", "NOR", 1e9)], \
        summary(records)


def test_a_partner_named_before_together_with_the_giver_gives_too():
    records = of_kind(german("Am Dienstag kündigte Norwegen an, zusammen mit Dänemark 40 weitere Panzer des Typs "
                             "Leopard 1 an die Ukraine zu liefern."), "item")
    assert sorted(r.donor_code for r in records) == ["DNK", "NOR"], summary(records)


def test_what_is_given_instead_of_what_is_refused_is_pledged():
    records = german("Österreich liefert keine Panzer, sondern Minenräumgeräte und humanitäre Hilfe im Wert von "
                     "10 Millionen Euro.")
    assert [(r.kind, r.status) for r in records] == [("package", "pledged"), ("item", "rejected"),
                                                     ("item", "pledged")], summary(records)


def test_another_giver_and_count_after_the_final_verb():
    records = of_kind(german("Spanien hat die Lieferung von sechs Leopard-Panzern zugesagt, Portugal drei."), "item")
    assert [(r.donor_code, r.quantity) for r in records] == [("ESP", 6), ("PRT", 3)], summary(records)


@pytest.mark.parametrize("text, status", [
    ("Die Bundeswehr gibt zehn weitere Panzerhaubitzen 2000 an die Ukraine ab.", "pledged"),
    ("Die Bundeswehr gab im Sommer zehn Panzerhaubitzen 2000 an die Ukraine ab.", "delivered"),
])
def test_the_separable_verb_abgeben(text, status):
    records = of_kind(german(text), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("DEU", status, 10)], summary(records)


@pytest.mark.parametrize("text", [
    "Die Lieferung von 10 Leopard 2 durch Norwegen ist für März geplant.",
    "Norwegen hat für die Ukraine 10 Leopard 2 bei der Industrie bestellt.",
])
def test_a_planned_delivery_and_arms_ordered_for_ukraine_are_pledged(text):
    records = of_kind(german(text), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("NOR", "pledged", 10)], summary(records)


@pytest.mark.parametrize("text", [
    "Ein Treffen zwischen Norwegen und der Ukraine über Leopard 2 ist für März geplant.",
    "Die Lieferung von Leopard 2 durch Norwegen ist nicht geplant.",
])
def test_a_meeting_planned_or_a_delivery_not_planned_is_no_pledge(text):
    assert not [r for r in german(text) if r.status == "pledged"], summary(german(text))


@pytest.mark.parametrize("text", [
    "Ob Norwegen weitere NASAMS gibt, hängt vom Parlament ab.",
    "Beim Leopard 2 aus Norwegen gab es Verzögerungen und das Interesse nahm ab.",
    "In Norwegen gibt es noch 10 Leopard 2 und ihre Zahl nimmt ab.",
    "Norwegen hat 10 Leopard 2 und es gibt Gespräche mit der Ukraine, aber der Bestand nimmt ab.",
])
def test_another_verbs_separable_ab_or_es_gibt_is_no_abgeben(text):
    assert german(text) == []


@pytest.mark.parametrize("text", [
    "Die norwegische Armee bestellt 10 neue Leopard 2 als Ersatz für die Ukraine-Hilfe.",
    "Für die Ukraine-Hilfe hat Norwegen 10 neue Leopard 2 als Ersatz bestellt.",
])
def test_arms_ordered_to_replace_what_went_to_ukraine_are_no_pledge(text):
    assert german(text) == []


def test_a_ministrys_calculation_does_not_silence_a_pledge():
    records = of_kind(german("Norwegen sagt der Ukraine nach Berechnungen des Finanzministeriums weitere "
                             "10 Leopard 2 zu."), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("NOR", "pledged", 10)], summary(records)


def test_the_kiel_institutes_calculation_is_no_pledge():
    assert german("Nach Berechnungen des Kieler Instituts hat Norwegen der Ukraine 10 Leopard 2 zugesagt.") == []
