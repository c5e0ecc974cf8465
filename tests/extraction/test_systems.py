"""Weapon systems: taxonomy lookups, German aliases, generic phrases, munitions and acronyms."""
import csv
from pathlib import Path

import pytest

from scrapers.extraction import find_systems
from scrapers.reference import lexicon

from tests.extraction.helpers import item, records_of, summary

SYSTEMS_CSV = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "systems.csv"
CATEGORIES = {"air_defense", "artillery", "rocket_artillery", "anti_armor", "armored_vehicles", "aircraft", "drones",
              "missiles", "small_arms", "radar_ew", "engineering", "logistics_medical", "naval", "other_military",
              "financial", "humanitarian"}


def systems_in(text, language="en"):
    return [m.system for m in find_systems(text, language, lexicon())]


@pytest.mark.parametrize("phrase, system_id", [
    ("a Patriot air defense battery", "patriot"),
    ("two NASAMS fire units", "nasams"),
    ("drone interceptor systems", "cuas"),
    ("an IRIS-T SLM system", "iris_t_slm"),
    ("a SAMP/T battery", "samp_t"),
    ("15 Gepard self-propelled anti-aircraft guns", "gepard"),
    ("Cheetah anti-aircraft systems", "gepard"),
    ("HAWK launchers", "hawk"),
    ("Stinger anti-aircraft missiles", "stinger"),
    ("six CAESAR howitzers", "caesar"),
    ("18 M777 towed howitzers", "m777"),
    ("PzH 2000 self-propelled howitzers", "pzh2000"),
    ("AS90 self-propelled guns", "as90"),
    ("AHS Krab howitzers", "krab"),
    ("High Mobility Artillery Rocket Systems (HIMARS)", "himars"),
    ("M270 multiple launch rocket systems", "m270"),
    ("Czech rocket systems", "mlrs"),
    ("GMLRS rockets", "himars_ammunition"),
    ("ATACMS long-range missiles", "atacms"),
    ("Leopard 1A5 tanks", "leopard1a5"),
    ("Leopard 2 main battle tanks", "leopard2"),
    ("31 Abrams tanks", "abrams"),
    ("Challenger 2 tanks", "challenger2"),
    ("Bradley Infantry Fighting Vehicles", "bradley"),
    ("40 Marder infantry fighting vehicles", "marder"),
    ("Stryker armored personnel carriers", "stryker"),
    ("CV90 infantry fighting vehicles", "cv90"),
    ("M113 armoured personnel carriers", "m113"),
    ("Javelin anti-armor systems", "javelin"),
    ("NLAW anti-tank weapons", "nlaw"),
    ("AT4 anti-armor systems", "at4"),
    ("TOW missiles", "tow"),
    ("Carl Gustaf recoilless rifles", "carl_gustaf"),
    ("F-16 fighter jets", "f16"),
    ("Storm Shadow cruise missiles", "storm_shadow"),
    ("SCALP missiles", "scalp"),
    ("Taurus cruise missiles", "taurus"),
    ("Harpoon anti-ship missiles", "harpoon"),
])
def test_taxonomy_lookup(phrase, system_id):
    found = systems_in(f"The new package for Ukraine includes {phrase}, officials said.")
    assert [s.system_id for s in found] == [system_id]


@pytest.mark.parametrize("text, system_id, category", [
    ("Deutschland liefert weitere Kampfpanzer an die Ukraine.", "tanks", "armored_vehicles"),
    ("Deutschland liefert weitere Schützenpanzer an die Ukraine.", "ifv", "armored_vehicles"),
    ("Deutschland liefert sechs weitere Panzerhaubitzen 2000 an die Ukraine.", "pzh2000", "artillery"),
    ("Deutschland liefert eine weitere Panzerhaubitze 2000 an die Ukraine.", "pzh2000", "artillery"),
])
def test_german_aliases(text, system_id, category):
    [system] = systems_in(text, "de")
    assert (system.system_id, system.category) == (system_id, category)


@pytest.mark.parametrize("phrase, system_id, category, is_munition", [
    ("additional air defense interceptors", "air_defense_munitions", "air_defense", True),
    ("armored vehicles", "armored_vehicles", "armored_vehicles", False),
    ("anti-tank weapons", "anti_armor", "anti_armor", False),
])
def test_generic_phrases(phrase, system_id, category, is_munition):
    [system] = systems_in(f"The package also contains {phrase} for Ukraine's forces.")
    assert (system.system_id, system.category, system.is_munition, system.generic) == \
        (system_id, category, is_munition, True)


@pytest.mark.parametrize("phrase, system_id, category", [
    ("munitions for NASAMS", "nasams_munitions", "air_defense"),
    ("HIMARS ammunition", "himars_ammunition", "rocket_artillery"),
    ("155mm artillery ammunition", "ammo_155mm", "artillery"),
    ("additional munitions for Patriot", "patriot_interceptors", "air_defense"),
])
def test_munitions_are_munitions(phrase, system_id, category):
    [system] = systems_in(f"Washington will provide {phrase} to Kyiv.")
    assert (system.system_id, system.category, system.is_munition) == (system_id, category, True)


def test_munitions_for_two_systems_are_both_munitions():
    found = systems_in("The package includes munitions for NASAMS and Patriot air-defense systems.")
    assert {s.system_id for s in found} == {"nasams_munitions", "patriot_interceptors"}
    assert all(s.is_munition for s in found)


def test_munitions_for_two_systems_in_a_pledge():
    records = records_of("The United States will provide additional munitions for NASAMS and Patriot "
                         "air-defense systems to Ukraine.")
    for system_id in ("nasams_munitions", "patriot_interceptors"):
        record = item(records, system_id)
        assert (record.donor_code, record.is_munition, record.category) == ("USA", True, "air_defense")
    assert not any(r.system_id in ("nasams", "patriot") for r in records)


@pytest.mark.parametrize("text", [
    "Officials said the delay would do no harm to the counteroffensive.",
    "Crews will tow damaged equipment away from the front line at night.",
    "The defence minister is seen as a hawk in the cabinet.",
])
def test_lower_case_words_are_not_acronym_systems(text):
    assert systems_in(text) == []


@pytest.mark.parametrize("text, system_id", [
    ("The package includes HARM anti-radiation missiles.", "harm"),
    ("The package includes TOW anti-tank missiles.", "tow"),
    ("The package includes HAWK interceptors.", "hawk_missiles"),
])
def test_acronyms_in_capitals_are_systems(text, system_id):
    assert {s.system_id for s in systems_in(text)} == {system_id}


def test_taxonomy_is_sound():
    with open(SYSTEMS_CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = [r["system_id"] for r in rows]
    assert len(rows) >= 200
    assert len(ids) == len(set(ids))
    assert {r["category"] for r in rows} <= CATEGORIES
    assert {r["parent_system_id"] for r in rows if r["parent_system_id"]} <= set(ids)
    assert {r["is_munition"].lower() for r in rows} <= {"true", "false"}
    assert all(r["canonical_name"].strip() for r in rows)


@pytest.mark.parametrize("text, system_id, generic_id", [
    # a generic phrase right after the name describes it
    ("Italy will send 25 more Aster 30 long-range surface-to-air missiles.", "samp_t_missiles",
     "air_defense_munitions"),
    ("Belgium will send NLAW light anti-tank weapons to Ukraine.", "nlaw", "anti_armor"),
    # the generic names the kind, the system follows in an aside or a colon
    ("Norway and Canada will give Ukraine six more air defence systems, among them two NASAMS batteries.", "nasams",
     "air_defense_systems"),
    ("Britain has already sent its own cruise missiles: the first Storm Shadow arrived in May.", "storm_shadow",
     "long_range_missiles"),
    # munitions for a named launcher are that launcher's munitions
    ("Norway will provide more rockets for HIMARS.", "himars_ammunition", "mlrs_munitions"),
])
def test_a_generic_phrase_describing_a_named_system_is_not_a_second_item(text, system_id, generic_id):
    records = records_of(text)
    assert item(records, system_id)
    assert generic_id not in {r.system_id for r in records}, summary(records)


@pytest.mark.parametrize("text, system_id, generic_id", [
    ("The United States will send HARM missiles and precision aerial munitions.", "harm", "precision_aerial"),
    ("Germany will send Patriot, IRIS-T and other air defence systems.", "patriot", "air_defense_systems"),
    ("Denmark will send 19 CAESAR howitzers and 20 more self-propelled howitzers.", "caesar", "sp_howitzers"),
])
def test_a_generic_item_beside_a_named_one_in_a_list_is_its_own_item(text, system_id, generic_id):
    records = records_of(text)
    assert item(records, system_id) and item(records, generic_id), summary(records)


@pytest.mark.parametrize("text, expected", [
    ("The United States will provide Patriot and NASAMS interceptors.", {"patriot_interceptors", "nasams_munitions"}),
    ("The United States will provide HIMARS and Patriot munitions.", {"himars_ammunition", "patriot_interceptors"}),
    # a name with its own noun keeps it
    ("The United States will provide Patriot systems and NASAMS interceptors.", {"patriot", "nasams_munitions"}),
])
def test_a_bare_name_shares_the_munition_noun_of_the_next(text, expected):
    records = records_of(text)
    assert {r.system_id for r in records if r.kind == "item"} == expected, summary(records)


@pytest.mark.parametrize("text, system_id", [
    ("Spain will send six Hawk air defence launchers.", "hawk"),
    ("Canada will send 39 Armoured Combat Support Vehicles.", "armored_vehicles"),
])
def test_names_written_in_title_case(text, system_id):
    assert item(records_of(text), system_id)


# --- "military equipment" sums up, it is no item --------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The United States will send military equipment, such as 20 Bradley fighting vehicles.", {"bradley"}),
    ("Japan will send defence equipment, including 1,500 helmets, to Ukraine.", {"helmets"}),
    ("Portugal has sent 500 tons of military equipment to Ukraine since the invasion began.", set()),
])
def test_military_equipment_is_no_item(text, expected):
    assert {r.system_id for r in records_of(text) if r.kind == "item"} == expected


# --- a weapon that names an attack is nothing given ------------------------------------------

@pytest.mark.parametrize("text, language, given", [
    ("The United States will provide $10 million to repair power lines hit by Russia's missile and drone attacks.",
     "en", []),
    ("Japan will fund the repair of the grid after weeks of drone strikes on Kyiv.", "en", []),
    # the weapon named after the attack: 'attacks by drones', 'Angriffe mit Drohnen', 'attaques de drones'
    ("Canada will send generators to keep hospitals running through attacks by drones and missiles.", "en",
     ["generators"]),
    ("Die Niederlande liefern Generatoren zum Schutz vor Angriffen mit Drohnen und Raketen.", "de", ["generators"]),
    ("La Belgique va livrer des radars pour protéger les villes des attaques de drones et de missiles.", "fr",
     ["radars"]),
    ("Le Portugal enverra des radars après des semaines de frappes d'artillerie sur Kharkiv.", "fr", ["radars"]),
])
def test_missile_and_drone_attacks_are_no_items(text, language, given):
    records = records_of(text, language=language)
    assert [r.system_id for r in records if r.kind == "item"] == given, summary(records)


def test_strike_drones_are_items():
    records = records_of("Latvia will send 500 strike drones to Ukraine.")
    assert [(r.category, r.quantity) for r in records if r.kind == "item"] == [("drones", 500)]


# --- a named system whose name holds a generic acronym ----------------------------------------

@pytest.mark.parametrize("text, system_id", [
    ("The United States will provide Puma UAS to Ukraine.", "puma_uas"),
    ("Norway will send two ScanEagle UAS to Ukraine.", "scaneagle"),
])
def test_a_name_holding_a_generic_acronym_is_the_named_system(text, system_id):
    mentions = find_systems(text, "en", lexicon())
    assert [m.system.system_id for m in mentions] == [system_id]


def test_the_bare_generic_acronym_stays_generic():
    assert [m.system.system_id for m in find_systems("The package includes 10 UAS.", "en", lexicon())] == ["drones"]


@pytest.mark.parametrize("text, system_id", [
    ("The shipment also includes Vampire C-UAS systems.", "vampire"),
    ("The United States paused deliveries of 155 mm high-explosive munitions.", "ammo_155mm"),
    ("Sweden will send 5,000 155mm high-explosive shells.", "ammo_155mm"),
])
def test_more_taxonomy_aliases(text, system_id):
    assert [m.system.system_id for m in find_systems(text, "en", lexicon())] == [system_id]


# --- a bare munition noun after a platform is its munition -----------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Norway will send two NASAMS and munitions to Ukraine.", ["nasams", "nasams_munitions"]),
    ("Greece will donate artillery systems and ammunition to Ukraine.", ["howitzers", "ammo_artillery"]),
])
def test_a_bare_munition_after_a_platform_is_its_munition(text, expected):
    assert [r.system_id for r in records_of(text) if r.kind == "item"] == expected



# --- a munition noun before "for" and a platform names that platform's munition ---------------

@pytest.mark.parametrize("text, language, expected", [
    ("Italy shipped missiles for the Patriot air defence system last month.", "en", ["patriot_interceptors"]),
    ("Italy will send 300 missiles for its NASAMS launchers.", "en", ["nasams_munitions"]),
    ("Italien schickte Lenkflugkörper für das Patriot-System.", "de", ["patriot_interceptors"]),
    ("L'Italie enverra des missiles pour les batteries Patriot.", "fr", ["patriot_interceptors"]),
])
def test_a_munition_noun_for_a_named_platform_is_one_item(text, language, expected):
    records = records_of(text, language=language)
    assert [r.system_id for r in records if r.kind == "item"] == expected, summary(records)


def test_the_count_before_the_munition_noun_stays_with_the_platforms_munition():
    assert item(records_of("Italy will send 300 missiles for its NASAMS launchers."), "nasams_munitions").quantity == 300

# --- a counted whole before the uncounted kinds it includes ----------------------------------

def test_a_counted_whole_before_uncounted_kinds_keeps_its_count():
    text = "Slovakia has provided Ukraine with nearly 30 tanks, including T-72s and PT-91 Twardys."
    items = {(r.system_id, r.quantity) for r in records_of(text) if r.kind == "item"}
    assert ("tanks", 30) in items and ("t72", None) in items


# --- a category word shares the munition noun after it ----------------------------------------

def test_a_category_word_before_munitions_shares_the_noun():
    text = "The United States will send air defense and artillery munitions to Ukraine."
    items = [(r.category, r.is_munition) for r in records_of(text) if r.kind == "item"]
    assert items == [("air_defense", True), ("artillery", True)]


def test_a_category_word_with_a_head_noun_stays_a_platform():
    text = "Denmark will send artillery pieces, grenades and anti-tank mines to Ukraine."
    assert ("artillery", False) in {(r.category, r.is_munition) for r in records_of(text) if r.kind == "item"}


def test_a_generic_word_before_a_generic_head_is_one_item():
    text = "Britain will supply 1,000 counter-drone electronic warfare systems to Ukraine."
    items = [(r.quantity,) for r in records_of(text) if r.kind == "item"]
    assert items == [(1000,)]


def test_two_generics_in_a_list_stay_two():
    text = "Britain will supply 1,000 drones and 200 electronic warfare systems to Ukraine."
    assert sorted(r.quantity for r in records_of(text) if r.kind == "item") == [200, 1000]


# --- kinds named to sum up years of aid ------------------------------------------------------

def test_kinds_summing_up_aid_since_the_invasion_are_no_items():
    text = ("Since the start of the full-scale invasion, Slovakia has been providing Ukraine with weapons such as "
            "armoured vehicles, aircraft and helicopters.")
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


def test_a_counted_or_named_item_in_a_summing_up_sentence_stays():
    text = "Since 2022, Slovakia has so far provided Ukraine with 13 MiG-29 fighter jets and air defense systems."
    assert [(r.system_id, r.quantity) for r in records_of(text) if r.kind == "item"] == [("mig29", 13)]


@pytest.mark.parametrize("text, system_id", [
    ("Spain will send excavators to Ukraine.", "excavators"),
    ("Spain will send anti-tank missiles to Ukraine.", "atgm"),
    ("Belgium will send anti-tank guns to Ukraine.", "antitank_guns"),
    ("Spain will send anti-tank weapons to Ukraine.", "anti_armor"),
])
def test_excavators_missiles_and_guns_have_kinds_of_their_own(text, system_id):
    assert [m.system.system_id for m in find_systems(text, "en", lexicon())] == [system_id]


def test_it_equipment_has_kinds_of_its_own():
    text = "Estonia will send 1,000 wireless access points, 200 routers, 150 charging stations and 600 phones."
    assert [(m.system.system_id, m.quantity.value) for m in find_systems(text, "en", lexicon())] == \
        [("access_points", 1000), ("routers", 200), ("charging_stations", 150), ("mobile_phones", 600)]


def test_a_phone_call_is_no_phone():
    text = "Britain will send new aid to Ukraine after Sunak and Zelensky had a phone conversation."
    assert [r for r in records_of(text) if r.kind == "item"] == []


# --- a kind of help is no item ---------------------------------------------------------------

def test_a_category_word_naming_a_kind_of_help_is_no_item():
    text = "Ukraine secured new commitments from Norway, including expanded air defence aid and long-range drone support."
    assert [r for r in records_of(text) if r.kind == "item"] == [], summary(records_of(text))


def test_an_aid_package_of_a_kind_is_that_kind():
    text = "Norway will provide a €1 billion drone assistance package to Ukraine."
    assert [r.category for r in records_of(text) if r.kind == "item"] == ["drones"]


def test_shells_after_a_platform_are_its_munition():
    text = "The German government announced the transfer of a Patriot air defense system and shells to Ukraine."
    assert [(r.system_id, r.is_munition) for r in records_of(text) if r.kind == "item"] == \
        [("patriot", False), ("patriot_interceptors", True)]


@pytest.mark.parametrize("text", [
    "The Netherlands will fund air defense systems, missiles and F-16 ammunition for Ukraine.",
    "Belgium will send munitions for F-16s to Ukraine.",
])
def test_f16_ammunition_is_a_munition_not_the_jet(text):
    assert ("f16_munitions", True) in {(r.system_id, r.is_munition) for r in records_of(text) if r.kind == "item"}


@pytest.mark.parametrize("text", [
    "The United States has sent more weapons to ship to Ukraine.",
    "Germany said all weapons in transit on aircraft and ships to Ukraine would be held back.",
])
def test_ship_as_a_verb_is_no_vessel(text):
    assert [r for r in records_of(text) if r.kind == "item" and r.category == "naval"] == []


def test_armored_medical_treatment_vehicles_are_not_plain_ambulances():
    text = "The package includes armored medical treatment vehicles and HMMWV ambulances for Ukraine."
    assert [m.system.system_id for m in find_systems(text, "en", lexicon())] == ["amtv", "hmmwv"]


def test_no_name_stands_for_two_systems():
    """A name read as two systems would be decided by the order of the phrase index: each alias,
    as the matcher folds it, belongs to one row of the taxonomy."""
    import csv
    from collections import defaultdict

    from scrapers.extraction.phrases import fold
    from scrapers.reference import SEEDS_DIR

    owners = defaultdict(set)
    with open(SEEDS_DIR / "systems.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for alias in [row["canonical_name"], *row["aliases"].split("|")]:
                if alias.strip():
                    owners[fold(alias.strip())].add(row["system_id"])
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize("text, system_id, quantity", [
    ("The United States will provide 20 AGM-154 JSOW glide bombs to Ukraine.", "jsow", 20),
    ("Poland will send 30 Rosomak armoured personnel carriers to Ukraine.", "rosomak", 30),
    ("France will deliver 50 glide bombs to Ukraine.", "precision_aerial", 50),
])
def test_glide_bombs_and_the_rosomak_are_in_the_taxonomy(text, system_id, quantity):
    records = records_of(text)
    assert [(r.system_id, r.quantity) for r in records if r.kind == "item"] == [(system_id, quantity)], \
        summary(records)


@pytest.mark.parametrize("text, language, donor, system_id, quantity", [
    ("Denmark will send 12 Leopard 2 tanks to Ukraine. Norway has also pledged eight tanks.",
     "en", "NOR", "leopard2", 8),
    ("Spanien wird der Ukraine zehn Leopard 2 liefern. Zuvor hatte Portugal drei Kampfpanzer zugesagt.",
     "de", "PRT", "leopard2", 3),
    # two models of the kind on the page: the kind stays a kind
    ("Poland will send 14 Leopard 2 tanks and 30 T-72 tanks. Spain has promised six tanks.",
     "en", "ESP", "tanks", 6),
    # a broader kind than the page's model: armoured vehicles are no Challenger 2 tanks
    ("Britain will send 14 Challenger 2 tanks. Britain has also pledged 120 armoured vehicles.",
     "en", "GBR", "armored_vehicles", 120),
])
def test_a_kind_is_the_pages_one_model_of_it(text, language, donor, system_id, quantity):
    """'Portugal had pledged three tanks' on a page about Leopard 2s: three Leopard 2s."""
    records = records_of(text, language=language)
    found = [r for r in records if r.kind == "item" and r.donor_code == donor and r.quantity == quantity]
    assert [r.system_id for r in found] == [system_id], summary(records)


@pytest.mark.parametrize("text, expected", [
    ("Greece sent IRIS-T guided missiles to Ukraine.", ["iris_t_slm_missiles"]),
    ("Greece sent Patriot anti-aircraft missiles to Ukraine.", ["patriot_interceptors"]),
    ("Greece sent NASAMS air defence missiles to Ukraine.", ["nasams_munitions"]),
    ("Greece sent HIMARS guided rockets to Ukraine.", ["himars_ammunition"]),
    ("Greece sent MIM-104 surface-to-air missiles for the Patriot system to Ukraine.", ["patriot_interceptors"]),
    ("Greece sent Gepard anti-aircraft guns to Ukraine.", ["gepard"]),
])
def test_a_platform_with_words_before_a_munition_noun_is_its_munition(text, expected):
    records = records_of(text)
    assert [r.system_id for r in records if r.kind == "item"] == expected, summary(records)


@pytest.mark.parametrize("sentence, system_id", [
    ("Norway will supply more ammunition for infantry fighting vehicles.", "ifv_ammunition"),
    ("Norway will supply more ammunition for main battle tanks.", "tank_ammunition"),
])
def test_ammunition_for_a_kind_of_vehicle_is_that_kind_s_ammunition(sentence, system_id):
    """Rounds for infantry fighting vehicles are not tank rounds: each kind of vehicle has its own."""
    assert [s.system_id for s in systems_in(sentence)] == [system_id]


@pytest.mark.parametrize("sentence, platform, munition", [
    ('Denmark will send a "Harpoon launcher" and missiles, its minister said.', "harpoon_coastal", "harpoon"),
    ("Slovenia pledged an IRIS-T SLM system together with missiles.", "iris_t_slm", "iris_t_slm_missiles"),
])
def test_a_bare_munition_noun_joined_to_a_named_platform_is_its_munitions(sentence, platform, munition):
    assert [s.system_id for s in systems_in(sentence)] == [platform, munition]


def test_a_kind_joined_by_along_with_is_an_item_of_its_own():
    """'10 MiG-29 fighters, along with 10 helicopters': a list, not helicopters describing the MiGs."""
    found = systems_in("Poland has provided 10 MiG-29 fighters, along with 10 helicopters.")
    assert [s.system_id for s in found] == ["mig29", "helicopters"]


def test_a_kind_after_related_to_in_a_packages_contents_is_an_item():
    records = records_of("Denmark announced a new DKK 1 billion package. The package includes equipment related to "
                         "air defense and 20 trucks.")
    assert item(records, "air_defense_systems").donor_code == "DNK", summary(records)
