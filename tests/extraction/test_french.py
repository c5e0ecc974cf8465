"""French official releases and news (Élysée, ministère des Armées, Belgian, Swiss and Canadian
media) read like English and German ones: numbers, names, verbs and dates in French."""
from datetime import date

import pytest

from tests.extraction.helpers import item, of_kind, package_with_value, records_of, summary


def french(text, publisher=None, published=date(2024, 5, 10)):
    return records_of(text, language="fr", publisher=publisher, published=published)


# --- money --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, currency, qualifier", [
    ("La France a annoncé une nouvelle enveloppe de 2 milliards d'euros pour l'Ukraine.", 2e9, "EUR", None),
    ("Le Danemark accorde à l'Ukraine une aide militaire de 1,5 milliard d’euros.", 1.5e9, "EUR", None),
    ("Les Pays-Bas ont promis environ 250 millions d'euros d'aide militaire à Kiev.", 2.5e8, "EUR", "about"),
    ("L'Allemagne s'est engagée à fournir une aide de près de trois milliards de dollars.", 3e9, "USD", "about"),
    ("Le Canada offrira une aide militaire de plus de 500 millions de dollars canadiens.", 5e8, "CAD", "over"),
    ("La France s'engage à apporter jusqu’à 3 milliards d'euros d’aide militaire en 2024.", 3e9, "EUR", "up_to"),
    ("La Suisse débloque un paquet de 4 500 000 francs suisses pour le déminage.", 4.5e6, "CHF", None),
])
def test_french_amounts(text, value, currency, qualifier):
    package = package_with_value(french(text), value)
    assert (package.currency, package.value_qualifier, package.status) == (currency, qualifier, "pledged")


def test_thousands_dot_and_decimal_comma():
    package = package_with_value(french("La Belgique a débloqué 1.250 millions d'euros pour Kiev."), 1.25e9)
    assert package.donor_code == "BEL"
    package = package_with_value(french("La Suède annonce un paquet de 2,75 milliards de couronnes suédoises."), 2.75e9)
    assert (package.donor_code, package.currency) == ("SWE", "SEK")


def test_the_donor_of_a_french_amount():
    package = package_with_value(french("Le Royaume-Uni a promis 300 millions de livres sterling à l'Ukraine."), 3e8)
    assert (package.donor_code, package.currency) == ("GBR", "GBP")


# --- systems and counts -------------------------------------------------------------------------

@pytest.mark.parametrize("text, system_id, quantity", [
    ("La France livrera douze canons Caesar supplémentaires à l'Ukraine.", "caesar", 12),
    ("Le Canada enverra quatre de ses chars Leopard 2 en Ukraine.", "leopard2", 4),
    ("L'Italie fournira 1 200 obus de 155 mm à l'armée ukrainienne.", "ammo_155mm", 1200),
    ("La Belgique fournira 20 véhicules blindés à Kiev.", "armored_vehicles", 20),
    ("La France va livrer 40 missiles SCALP à l'Ukraine.", "scalp", 40),
    ("La France fournira des missiles Aster à l'Ukraine.", "samp_t_missiles", None),
    ("Paris enverra des missiles antichar Milan et des missiles Mica.", "milan", None),
    ("Paris enverra des missiles antichar Milan et des missiles Mica.", "mica", None),
    ("La France a promis des missiles Mistral à l'Ukraine.", "mistral", None),
    ("Les Pays-Bas fourniront des systèmes de défense aérienne à l'Ukraine.", "air_defense_systems", None),
    ("La Norvège va livrer 2 000 drones à l'Ukraine.", "drones", 2000),
    ("Le Canada offrira également des pièces de rechange et des munitions.", "ammunition", None),
    ("La Belgique a livré des fusils d'assaut FNC et des mitrailleuses légères Minimi.", "fn_fnc", None),
])
def test_french_system_names_and_counts(text, system_id, quantity):
    record = item(french(text), system_id)
    assert record.quantity == quantity, summary(french(text))


def test_a_count_of_vague_french_quantity():
    record = item(french("L'Estonie a promis des centaines de drones à l'Ukraine."), "drones")
    assert (record.donor_code, record.quantity, record.quantity_qualifier) == ("EST", None, "over")


def test_a_rate_per_month():
    record = item(french("La France va fournir 3 000 obus de 155 mm par mois à l'Ukraine."), "ammo_155mm")
    assert (record.quantity, record.quantity_per) == (3000, "month")


def test_french_names_are_read_only_on_french_pages():
    english = records_of("Germany will send munitions and spare parts to Ukraine.")
    assert "ammunition" not in {r.system_id for r in english}, summary(english)


# --- donors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, donor", [
    ("L'Allemagne va livrer des chars Leopard 2 à l'Ukraine.", "DEU"),
    ("Les États-Unis ont annoncé l'envoi de missiles Patriot à Kiev.", "USA"),
    ("Le Royaume-Uni fournira des chars Challenger 2 à l'Ukraine.", "GBR"),
    ("Les Pays-Bas ont promis des chars Leopard 2 à l'Ukraine.", "NLD"),
    ("La Belgique a promis des F-16 à l'Ukraine.", "BEL"),
    ("Le gouvernement danois a promis des canons Caesar à l'Ukraine.", "DNK"),
])
def test_french_country_names(text, donor):
    assert {r.donor_code for r in of_kind(french(text), "item")} == {donor}, summary(french(text))


def test_the_giver_named_after_the_item():
    records = french("Kiev recevra 19 canons César promis par le Danemark.")
    assert item(records, "caesar").donor_code == "DNK", summary(records)


def test_givers_named_together():
    records = french("Des missiles Patriot ont été livrés par les États-Unis, l’Allemagne et les Pays-Bas.")
    assert {r.donor_code for r in records if r.system_id == "patriot_interceptors"} == {"USA", "DEU", "NLD"}, \
        summary(records)


def test_a_country_as_a_place_is_no_giver():
    records = french("La France enverra 150 militaires en Pologne et livrera un radar GM 200 à l'Ukraine.")
    assert {r.donor_code for r in records} == {"FRA"}, summary(records)


# --- status -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, status", [
    ("La France a livré 18 canons Caesar à l'Ukraine.", "delivered"),
    ("Les premiers chars AMX-10 RC donnés par la France sont arrivés en Ukraine.", "delivered"),
    ("Les Pays-Bas ont déjà fourni des obusiers PzH 2000 à l'Ukraine.", "delivered"),
    ("Six canons Caesar seront livrés par la France d'ici l'été.", "pledged"),
    ("La France va livrer des chars AMX-10 RC à l'Ukraine.", "pledged"),
    ("L'Allemagne refuse de livrer des missiles Taurus à l'Ukraine.", "rejected"),
    ("Le chancelier exclut la livraison de missiles Taurus par l'Allemagne.", "rejected"),
    ("La France ne livrera pas de chars Leclerc à l'Ukraine.", "rejected"),
    ("La Suisse a bloqué la réexportation de munitions de 35 mm pour les chars Gepard.", "rejected"),
])
def test_french_status_verbs(text, status):
    records = of_kind(french(text), "item")
    assert records and {r.status for r in records} == {status}, summary(records)


def test_a_negated_exclusion_is_no_refusal():
    records = french("La ministre n'a pas exclu d'envoyer plus de chars Leopard à l'Ukraine.")
    assert all(r.status != "rejected" for r in records), summary(records)


def test_a_request_is_no_pledge():
    records = french("L'Ukraine demande à la France de livrer des avions de combat Mirage 2000.")
    assert of_kind(records, "item") == [], summary(records)


def test_production_is_no_pledge():
    records = french("KNDS a porté la production de canons Caesar à six exemplaires par mois dans son usine.")
    assert of_kind(records, "item") == [], summary(records)


def test_a_budget_is_no_pledge():
    records = french("La loi de programmation militaire prévoit un budget de 413 milliards d'euros pour les armées.")
    assert of_kind(records, "package") == [], summary(records)


# --- totals -------------------------------------------------------------------------------------

def test_a_total_since_the_war_began():
    records = french("Depuis le début de la guerre, la France a fourni au total 3,8 milliards d'euros d'aide "
                     "militaire à l'Ukraine.")
    total = of_kind(records, "aggregate")
    assert total and total[0].value == 3.8e9 and total[0].since_date == date(2022, 2, 24), summary(records)


def test_a_total_after_the_amount():
    records = french("La Belgique a livré pour 300 millions d'euros de matériel depuis l'invasion russe.")
    total = of_kind(records, "aggregate")
    assert total and total[0].donor_code == "BEL" and total[0].since_date == date(2022, 2, 24), summary(records)


def test_items_of_a_package():
    records = french("La France a annoncé une enveloppe de 500 millions d'euros. Le paquet comprend des canons "
                     "Caesar et des missiles Mistral.")
    package = package_with_value(records, 5e8)
    for system_id in ("caesar", "mistral"):
        assert records[item(records, system_id).package_index] is package, summary(records)


# --- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("Le 12 mars 2024, la France a promis des missiles SCALP à l'Ukraine.", date(2024, 3, 12)),
    ("La France a promis lundi des missiles SCALP à l'Ukraine.", date(2024, 5, 6)),
    ("Jeudi 2 mai, la France a promis des missiles SCALP à l'Ukraine.", date(2024, 5, 2)),
])
def test_french_dates(text, day):
    assert item(french(text), "scalp").announced_date == day


# --- sentences and lists ------------------------------------------------------------------------

def test_a_sentence_may_open_with_an_accented_capital():
    records = french("La France enverra 30 canons Caesar à Kiev. À cela s'ajoutent 19 canons Caesar promis par le "
                     "Danemark.")
    counts = {(r.donor_code, r.quantity) for r in of_kind(records, "item")}
    assert counts == {("FRA", 30), ("DNK", 19)}, summary(records)


def test_a_generic_listed_beside_a_named_system_stays():
    records = french("La Belgique a livré des lance-grenades Carl Gustav et des missiles antichars.")
    assert {"carl_gustaf", "atgm"} <= {r.system_id for r in records}, summary(records)


def test_munitions_for_a_launcher():
    records = french("Les États-Unis enverront des munitions pour des lance-roquettes de longue portée HIMARS.")
    assert "himars_ammunition" in {r.system_id for r in records}, summary(records)


def test_pilot_training_is_no_aircraft_pledge():
    records = french("La Belgique participera à la formation de pilotes ukrainiens sur avions de combat F-16 et "
                     "promet son soutien.")
    assert of_kind(records, "item") == [], summary(records)


def test_after_the_delivery_of():
    records = french("Kiev a renforcé sa défense après la livraison de missiles Nasams par la Norvège et le Canada.")
    assert {(r.donor_code, r.status) for r in records if r.system_id.startswith("nasams")} == \
        {("NOR", "delivered"), ("CAN", "delivered")}, summary(records)


def test_air_defence_as_a_concept_is_no_item():
    records = french("Selon le ministre, la défense antiaérienne doit être renforcée après la livraison de "
                     "missiles Patriot par l'Allemagne.")
    assert {r.system_id for r in of_kind(records, "item")} == {"patriot_interceptors"}, summary(records)


@pytest.mark.parametrize("text, status", [
    ("Pour l'Italie, il n'est pas question de livrer des missiles SCALP à Kiev.", "rejected"),
    ("Le Danemark gèle les livraisons de canons Caesar à l'Ukraine.", "rejected"),
    ("Le Portugal livre six chars Leopard 2 à l'Ukraine.", "pledged"),
    ("La Grèce fait don de 40 véhicules blindés à l'Ukraine.", "pledged"),
])
def test_more_french_status_verbs(text, status):
    records = of_kind(french(text), "item")
    assert records and {r.status for r in records} == {status}, summary(records)


def test_a_delivered_amount_is_a_running_total():
    records = french("La Belgique a livré pour plus de 200 millions d'euros d'équipements militaires à l'Ukraine.")
    total = of_kind(records, "aggregate")
    assert total and (total[0].donor_code, total[0].value) == ("BEL", 2e8), summary(records)
    records = french("Plus de 200 millions d'euros d'équipements ont été livrés par la Belgique à l'Ukraine.")
    assert of_kind(records, "aggregate") and not of_kind(records, "package"), summary(records)


def test_a_bare_pledge_of_support():
    records = french("La Suède est déterminée à aider l'Ukraine aussi longtemps qu'il le faudra.")
    assert [(r.kind, r.donor_code) for r in records] == [("support", "SWE")], summary(records)


def test_a_count_in_millions_of_shells():
    record = item(french("La France fournira un million d’obus à l’Ukraine."), "ammo_artillery")
    assert record.quantity == 1_000_000


def test_a_total_since_the_start_of_a_year():
    total = of_kind(french("La Belgique a livré pour 300 millions d’euros depuis début 2022."), "aggregate")
    assert total and total[0].since_date == date(2022, 1, 1)


def test_a_calibre_in_millimetres_is_no_count():
    records = french("La Suisse refuse la réexportation de munitions de 35 millimètres vers l'Ukraine.")
    assert [(r.system_id, r.quantity, r.status) for r in of_kind(records, "item")] == \
        [("gepard_ammunition", None, "rejected")], summary(records)


def test_a_battery_counts_one_system():
    record = item(french("L'Espagne livrera une batterie de missiles Patriot."), "patriot")
    assert (record.donor_code, record.quantity, record.status) == ("ESP", 1, "pledged")


def test_funding_is_giving():
    records = french("Le Danemark finance 18 canons Caesar pour l'Ukraine.")
    assert (item(records, "caesar").donor_code, item(records, "caesar").quantity) == ("DNK", 18), summary(records)


@pytest.mark.parametrize("text", [
    "La Russie affirme avoir détruit trois canons Caesar français près de Bakhmout.",
    "Le Parlement a adopté une loi de programmation militaire de 413 milliards d'euros.",
    "La France produira 100 canons Caesar en 2024 dans l'usine de Bourges.",
    "Zelensky a appelé la France à livrer davantage de canons Caesar.",
    "Kiev réclame des missiles Taurus à l'Allemagne.",
])
def test_french_sentences_that_pledge_nothing(text):
    assert french(text) == [], summary(french(text))


def test_an_abbreviation_spelled_out_in_quotes_is_one_name():
    records = french('Les États-Unis enverront des munitions pour des lance-roquettes de longue portée HIMARS '
                     '("High Mobility Artillery Rocket System").')
    assert "himars" not in {r.system_id for r in records}, summary(records)
    assert "himars_ammunition" in {r.system_id for r in records}, summary(records)


def test_a_shoulder_fired_missile_named_after_its_kind():
    records = french("Paris a déjà fourni des missiles anti-aériens d'épaule Mistral à l'Ukraine.")
    assert [r.system_id for r in of_kind(records, "item")] == ["mistral"], summary(records)


@pytest.mark.parametrize("text, value", [
    ("La France débloque 300 M€ pour l’Ukraine.", 3e8),
    ("Le Danemark a promis 1,2 Md€ d’aide militaire.", 1.2e9),
])
def test_french_abbreviated_amounts(text, value):
    assert package_with_value(french(text), value).currency == "EUR"


@pytest.mark.parametrize("text, donor, status", [
    ("Paris a écarté la possibilité de livrer des chars Leclerc.", "FRA", "rejected"),
    ("L’Ukraine a reçu les premiers F-16 en provenance des Pays-Bas.", "NLD", "delivered"),
    ("Le ministre a confirmé l’envoi de six canons Caesar par la France.", "FRA", "pledged"),
])
def test_ruled_out_received_confirmed(text, donor, status):
    records = of_kind(french(text), "item")
    assert [(r.donor_code, r.status) for r in records] == [(donor, status)], summary(records)


def test_thinking_about_it_is_no_pledge():
    assert french("La France réfléchit à livrer des chars Leclerc à l'Ukraine.") == []


def test_more_is_no_refusal():
    records = of_kind(french("La Norvège va livrer plus de drones à l'Ukraine."), "item")
    assert records and {r.status for r in records} == {"pledged"}, summary(records)


def test_no_longer_is_a_refusal():
    records = of_kind(french("Les États-Unis ne livreront plus de missiles Patriot à l'Ukraine."), "item")
    assert records and {r.status for r in records} == {"rejected"}, summary(records)


def test_canadian_dollars_from_ottawa():
    package = package_with_value(french("Ottawa a annoncé une aide militaire de 500 millions de dollars pour Kiev."), 5e8)
    assert (package.donor_code, package.currency) == ("CAN", "CAD")
    package = package_with_value(french("Le Canada versera 20 millions de dollars américains à l'Ukraine."), 2e7)
    assert package.currency == "USD"


def test_a_french_minister_speaks_for_france():
    records = french("Florence Parly a annoncé la livraison de missiles Milan à l'Ukraine.")
    assert [(r.donor_code, r.system_id) for r in of_kind(records, "item")] == [("FRA", "milan")], summary(records)


@pytest.mark.parametrize("text", [
    "Le Conseil fédéral n'autorise pas la réexportation de chars Leopard 2 vers l'Ukraine.",
    "La Suisse interdit la réexportation de munitions de 35 mm pour les Gepard.",
])
def test_a_re_export_ban_is_a_refusal(text):
    records = of_kind(french(text), "item")
    assert records and {(r.donor_code, r.status) for r in records} == {("CHE", "rejected")}, summary(records)


def test_a_total_that_amounts_to():
    records = french("Depuis 2022, l’aide militaire de la Norvège s’élève à 3 milliards d’euros.")
    total = of_kind(records, "aggregate")
    assert total and (total[0].donor_code, total[0].value, total[0].since_date) == ("NOR", 3e9, date(2022, 1, 1))


def test_what_the_deliveries_concerned_was_delivered():
    records = french("Le ministre belge précise que les livraisons concernent des casques, des munitions et des drones.")
    assert {r.status for r in of_kind(records, "item")} == {"delivered"} and \
        {r.donor_code for r in records} == {"BEL"}, summary(records)


def test_a_giver_named_after_the_next_amount_gives_only_that_one():
    records = french("La Belgique a livré 20 drones à l'Ukraine. Nous avons livré pour 50 millions d'euros "
                     "d'équipements et obtenu le déblocage de 2 milliards d'euros par l'UE.")
    first = [r for r in records if r.value == 5e7]
    assert [r.donor_code for r in first] == ["BEL"], summary(records)


def test_an_amount_given_before_and_recalled_beside_new_aid_is_no_package():
    records = french("La Suède enverra des obus à l'Ukraine, en complément des 200 millions d'euros d'aide déjà versés.")
    assert not [r for r in records if r.value == 2e8], summary(records)


@pytest.mark.parametrize("text, expected", [
    ("Le Portugal envisage l'envoi de trois chars Leopard 2 supplémentaires, en plus des 4 déjà livrés.",
     [("delivered", 4)]),
    ("Le Portugal va livrer trois chars Leopard 2 supplémentaires, en plus des 4 déjà livrés.",
     [("pledged", 3), ("delivered", 4)]),
])
def test_the_count_given_before_with_its_noun_left_out(text, expected):
    records = of_kind(french(text), "item")
    assert [(r.status, r.quantity) for r in records] == expected and {r.donor_code for r in records} == {"PRT"}, \
        summary(records)


@pytest.mark.parametrize("text, system_id", [
    ("La Grèce fournira des missiles antiaériens à courte portée Crotale à l'Ukraine.", "crotale"),
    ("La Grèce a livré des missiles sol-air à très courte portée Mistral à l'Ukraine.", "mistral"),
])
def test_a_kind_then_its_model_after_a_few_words_is_one_item(text, system_id):
    records = of_kind(french(text), "item")
    assert [r.system_id for r in records] == [system_id], summary(records)


@pytest.mark.parametrize("text, system_id", [
    ("L'Espagne ne peut pas transférer à l'Ukraine des chars Leopard 2 fabriqués en Allemagne.", "leopard2"),
    ("Le Portugal ne va pas transférer des obusiers allemands à l'Ukraine.", "howitzers"),
])
def test_arms_made_elsewhere_that_cannot_be_passed_on_are_refused_by_their_maker(text, system_id):
    records = of_kind(french(text), "item")
    assert [(r.donor_code, r.status, r.system_id) for r in records] == [("DEU", "rejected", system_id)], \
        summary(records)


def test_the_party_refusing_a_re_export_blocks_it():
    records = of_kind(french("La Suisse a refusé la réexportation de munitions pour les Gepard allemands."), "item")
    assert [(r.donor_code, r.status) for r in records] == [("CHE", "rejected")], summary(records)


@pytest.mark.parametrize("text", [
    "La Norvège n'exclut pas de livrer des avions de chasse à l'Ukraine.",
    "La Norvège n'écarte pas la livraison de chars Leopard 2 à l'Ukraine.",
])
def test_not_ruling_out_is_no_refusal(text):
    assert french(text) == []


def test_en_stands_for_the_item_named_before_with_its_own_count_and_verb():
    records = of_kind(french("La Norvège a déjà livré 12 obusiers et en livrera quatre autres d'ici l'été."), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("NOR", "delivered", 12),
                                                                        ("NOR", "pledged", 4)], summary(records)


def test_the_worth_of_what_was_delivered_is_a_running_total():
    records = french("La Belgique a livré plus de 50 millions d'euros d'équipements militaires à l'Ukraine.")
    assert [(r.kind, r.donor_code, r.value) for r in records] == [("aggregate", "BEL", 5e7)], summary(records)


@pytest.mark.parametrize("text, expected", [
    ("Le Portugal enverra trois chars Leopard 2, l'Espagne six.", [("PRT", 3), ("ESP", 6)]),
    ("La Norvège a promis 10 obusiers et la Suède 8.", [("NOR", 10), ("SWE", 8)]),
])
def test_another_giver_and_count_with_the_verb_and_noun_left_out(text, expected):
    records = of_kind(french(text), "item")
    assert [(r.donor_code, r.quantity) for r in records] == expected, summary(records)


@pytest.mark.parametrize("text, kind, donor", [
    ("La Confédération a débloqué 100 millions de francs pour le déminage en Ukraine.", "package", "CHE"),
    ("L'Hexagone a déjà livré 18 canons Caesar à l'Ukraine.", "item", "FRA"),
])
def test_swiss_and_french_names_of_the_state_and_bare_francs(text, kind, donor):
    records = french(text)
    assert [(r.kind, r.donor_code) for r in records] == [(kind, donor)], summary(records)
    assert kind != "package" or records[0].currency == "CHF"


@pytest.mark.parametrize("text", [
    "La livraison de 12 canons Caesar par la Belgique est prévue d'ici la fin de l'année.",
    "La Belgique a commandé 12 canons Caesar pour l'Ukraine.",
])
def test_a_planned_delivery_and_arms_ordered_for_ukraine_are_pledged(text):
    records = of_kind(french(text), "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("BEL", "pledged", 12)], summary(records)


@pytest.mark.parametrize("text", [
    "Une réunion entre la Belgique et l'Ukraine sur les avions F-16 est prévue en juin.",
    "Une visite du ministre belge chez le fabricant des canons Caesar est prévue la semaine prochaine.",
])
def test_a_meeting_planned_is_no_planned_delivery(text):
    assert not [r for r in french(text) if r.status == "pledged"], summary(french(text))


def test_a_ministrys_estimate_does_not_silence_a_pledge():
    records = of_kind(french("Selon les calculs du ministère, la Belgique a promis six canons Caesar à l'Ukraine."),
                      "item")
    assert [(r.donor_code, r.status, r.quantity) for r in records] == [("BEL", "pledged", 6)], summary(records)


def test_the_kiel_institutes_estimate_is_no_pledge():
    assert french("Selon les estimations de l'Institut de Kiel, la Belgique a promis six canons Caesar "
                  "à l'Ukraine.") == []


@pytest.mark.parametrize("text, delivered", [
    ("Ses livraisons comprennent six canons Caesar belges.", True),
    ("Ses livraisons ont compris six canons Caesar belges.", True),
    ("Ses livraisons comprendront six canons Caesar belges.", False),
    ("Ses livraisons incluraient six canons Caesar belges.", False),
])
def test_what_deliveries_comprise_is_delivered_only_in_a_past_or_present_tense(text, delivered):
    records = french(text)
    assert any(r.status == "delivered" for r in records) == delivered, summary(records)
