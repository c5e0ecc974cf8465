"""A synthetic corpus for benchmarks: N distinct news and official-release pages about military
aid to Ukraine, about 5 KB each, deterministic from a seed.

Every sentence comes from the templates below (none is copied from a real page, the bundled
samples or the eval set). Donors and weapon systems come from the project's reference data
(`dbt_project/seeds/donors.csv`, `donor_aliases.csv`, `systems.csv`), so the extractor can
recognise them. Each page carries the facts it was written from (`Page.facts`), which a test
can hold the extractor's records against.

Page `i` depends only on (seed, i): pages are made one at a time (`iter_pages`) and written as
they are made (`write_corpus`), so 100,000 pages never sit in memory together, and "1% more
pages" is simply the next indexes.

    .venv/bin/python scripts/corpus.py OUT_DIR --pages 1000 [--seed 7] [--start 0]
"""
from __future__ import annotations

import argparse
import csv
import html
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"

FIRST_DAY = date(2022, 2, 24)
LAST_DAY = date(2026, 10, 31)  # fixed, so the corpus is the same whatever day it is made; in the past
TARGET_BYTES = 5000

# Donors that appear in pages, by weight (a few give most of the news). Names come from the seeds.
DONOR_WEIGHTS = {
    "USA": 14, "DEU": 10, "GBR": 9, "FRA": 6, "POL": 5, "NLD": 5, "NOR": 4, "SWE": 4, "DNK": 4, "CAN": 4,
    "FIN": 3, "ITA": 3, "ESP": 2, "CZE": 3, "AUS": 2, "BEL": 3, "LTU": 2, "LVA": 2, "EST": 2, "PRT": 2,
    "JPN": 2, "KOR": 1, "ROU": 1, "BGR": 1, "GRC": 1, "SVK": 2, "SVN": 1, "HRV": 1, "AUT": 1, "IRL": 1,
    "LUX": 1, "ISL": 1, "NZL": 1, "CHE": 1, "MKD": 1, "MNE": 1, "ALB": 1, "TUR": 1, "EU": 3,
}

# Categories of weapon systems a page's items are drawn from; financial and humanitarian rows
# of the taxonomy are left to the package sentences.
ITEM_CATEGORIES = {"air_defense", "artillery", "rocket_artillery", "missiles", "anti_armor", "armored_vehicles",
                   "aircraft", "drones", "small_arms", "radar_ew", "engineering", "logistics_medical", "naval",
                   "other_military"}
NOT_ENGLISH = re.compile(r"System|Systeme|Munition|Raketen|Panzer(?!haubitze 2000|faust)|Flugabwehr|Feuereinheit|"
                         r"Lenkflug|Haubitze|Kampf|Schützen|Granat|Fahrzeug|Transport|Minen|Gewehr", re.U)
MUNITION_NOUNS = ("missiles", "rockets", "rounds", "interceptors", "munitions", "bombs", "grenades", "kits",
                  "charges", "mines", "shells", "ammunition")


@dataclass(frozen=True)
class Donor:
    code: str
    name: str  # "the Netherlands", "Germany"
    adjective: str  # "Dutch"
    capital: str | None


@dataclass(frozen=True)
class System:
    system_id: str
    name: str  # canonical, singular
    category: str
    is_munition: bool
    generic: bool
    aliases: tuple[str, ...]  # English aliases from the seed


@dataclass
class Page:
    index: int
    name: str  # file name
    html: str
    published: date
    facts: list[dict] = field(default_factory=list)  # what the page was written to say


# --- reference data -------------------------------------------------------------------------

def _ascii(text: str) -> bool:
    return text.isascii()


@lru_cache(maxsize=1)
def donors() -> tuple[Donor, ...]:
    names = {}
    with open(SEEDS_DIR / "donors.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["donor_code"]] = row["donor_name"]
    aliases: dict[str, dict[str, list[str]]] = {}
    with open(SEEDS_DIR / "donor_aliases.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aliases.setdefault(row["donor_code"], {}).setdefault(row["alias_type"], []).append(row["alias"])
    out = []
    for code in DONOR_WEIGHTS:
        if code not in names:
            continue  # the seed lost a donor: leave it out rather than fail
        kinds = aliases.get(code, {})
        adjectives = [a for a in kinds.get("adjective", []) if a[:1].isupper() and _ascii(a) and not a.endswith("s")]
        capitals = [a for a in kinds.get("capital", []) if _ascii(a)]
        name = names[code]
        if code in ("NLD",):
            name = "the Netherlands"
        elif code in ("USA", "GBR", "EU"):
            name = "the " + name
        adjective = adjectives[0] if adjectives else ("European" if code == "EU" else name)
        out.append(Donor(code, name, adjective, capitals[0] if capitals else None))
    return tuple(out)


@lru_cache(maxsize=1)
def systems() -> tuple[System, ...]:
    out = []
    with open(SEEDS_DIR / "systems.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["category"] not in ITEM_CATEGORIES:
                continue
            aliases = tuple(a for a in row["aliases"].split("|")
                            if a and _ascii(a) and not NOT_ENGLISH.search(a) and a != row["canonical_name"]
                            and len(a) > 3)
            out.append(System(row["system_id"], row["canonical_name"], row["category"],
                              row["is_munition"] == "true", row["generic"] == "true", aliases))
    return tuple(out)


@lru_cache(maxsize=1)
def _specific_systems() -> tuple[System, ...]:
    return tuple(s for s in systems() if not s.generic)


@lru_cache(maxsize=1)
def _generic_systems() -> tuple[System, ...]:
    return tuple(s for s in systems() if s.generic)


@lru_cache(maxsize=1)
def _systems_by_id() -> dict[str, System]:
    return {s.system_id: s for s in systems()}


@lru_cache(maxsize=1)
def _donor_weights() -> tuple[int, ...]:
    return tuple(DONOR_WEIGHTS[d.code] for d in donors())


# --- wording of things ----------------------------------------------------------------------

def _singular(name: str) -> str:
    """The name without a trailing parenthesis: 'HMMWV (Humvee)' -> 'HMMWV'."""
    return re.sub(r"\s*\([^)]*\)$", "", name)


def _plural(name: str) -> str:
    core = _singular(name)
    last = core.split()[-1]
    if last.endswith(("s", "S")) or last.isupper() and len(core.split()) == 1:
        return core
    if last.endswith("y") and not last.endswith(("ay", "ey", "oy")):
        return core[:-1] + "ies"
    if last.endswith(("ch", "sh", "x")):
        return core + "es"
    return core + "s"


def _number_words(n: int) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    return words[n] if n < len(words) else f"{n:,}"


def _quantity_phrase(rng: random.Random, system: System, quantity: int) -> str:
    """'12 CV90 infantry fighting vehicles', '20,000 rounds of 155mm artillery ammunition'."""
    if system.is_munition:
        name = rng.choice(system.aliases) if system.aliases and rng.random() < 0.3 else system.name
        name = _singular(name)
        if name.lower().endswith(MUNITION_NOUNS):
            return f"{quantity:,} {name}"
        return f"{quantity:,} rounds of {name}"
    if quantity == 1:
        return f"{rng.choice(['one', 'a single', 'one additional'])} {_singular(system.name)}"
    plural_aliases = [a for a in system.aliases if a.endswith("s") and not a.isupper()]
    name = rng.choice(plural_aliases) if plural_aliases and rng.random() < 0.25 else _plural(system.name)
    number = _number_words(quantity) if quantity <= 12 and rng.random() < 0.5 else f"{quantity:,}"
    return f"{number} {name}"


def _quantity_for(rng: random.Random, system: System) -> int:
    if system.is_munition:
        base = rng.choice([100, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000])
        return base * rng.randint(1, 9) // rng.choice([1, 2, 4])
    if system.category in ("small_arms", "other_military", "radar_ew", "logistics_medical", "drones"):
        return rng.choice([2, 4, 6, 10, 12, 15, 20, 24, 30, 40, 50, 60, 80, 100, 120, 150, 200, 300, 500, 1000])
    if system.category in ("aircraft", "naval", "air_defense"):
        return rng.randint(1, 12)
    return rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 30, 40, 50, 60, 90, 100])


CURRENCIES = {  # code: (weight, forms); {a} is the amount word ("325 million")
    "USD": (10, ["${a}", "US${a}", "{a} dollars", "USD {a}"]),
    "EUR": (8, ["€{a}", "EUR {a}", "{a} euros"]),
    "GBP": (4, ["£{a}", "{a} pounds", "GBP {a}"]),
    "CAD": (2, ["C${a}", "CAD {a}", "{a} Canadian dollars"]),
    "AUD": (1, ["A${a}", "AUD {a}"]),
    "NOK": (2, ["NOK {a}", "{a} Norwegian kroner"]),
    "SEK": (2, ["SEK {a}", "{a} Swedish kronor"]),
    "DKK": (2, ["DKK {a}", "{a} Danish kroner"]),
    "PLN": (1, ["PLN {a}", "{a} zlotys"]),
    "CZK": (1, ["CZK {a}", "{a} Czech crowns"]),
    "JPY": (1, ["{a} yen", "JPY {a}"]),
}
HOME_CURRENCY = {"USA": "USD", "GBR": "GBP", "CAN": "CAD", "AUS": "AUD", "NOR": "NOK", "SWE": "SEK", "DNK": "DKK",
                 "POL": "PLN", "CZE": "CZK", "JPN": "JPY"}
SCALE_OF = {"USD": 1, "EUR": 1, "GBP": 1, "CAD": 1, "AUD": 1, "NOK": 10, "SEK": 10, "DKK": 7, "PLN": 4, "CZK": 25,
            "JPY": 150}


def _money(rng: random.Random, donor: Donor, big: bool = False) -> tuple[float, str, str]:
    """(value, currency, wording): '$325 million', '1.2 billion euros', 'NOK 2.5 billion'."""
    home = HOME_CURRENCY.get(donor.code, "EUR")
    currency = home if rng.random() < 0.8 else rng.choices(list(CURRENCIES), [w for w, _ in CURRENCIES.values()])[0]
    millions = rng.choice([25, 40, 50, 60, 75, 100, 125, 150, 200, 250, 275, 300, 325, 400, 500, 600, 750, 800])
    if big:
        millions *= rng.choice([2, 4, 5, 10])
    millions *= SCALE_OF[currency]
    if millions >= 1000 and rng.random() < 0.85:
        amount = millions / 1000
        word = f"{amount:.1f}".rstrip("0").rstrip(".") + " billion"
        value = amount * 1e9
    else:
        word = f"{millions:,} million"
        value = millions * 1e6
    form = rng.choice(CURRENCIES[currency][1])
    return value, currency, form.format(a=word)


def _weekday(day: date) -> str:
    return day.strftime("%A")


def _long_date(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


# --- templates ------------------------------------------------------------------------------
# Slots: {donor} the donor's name ("Germany"), {Donor} the same at a sentence start, {adj}
# ("German"), {items} quantity phrases, {money}, {weekday}, {month}, {official}, {ministry}.

PLEDGE_TEMPLATES = [
    "{Donor} will send {items} to Ukraine, the {adj} defence ministry said on {weekday}.",
    "{Donor} has pledged {items} to Ukraine as part of its continuing military support.",
    "The {adj} government announced on {weekday} that it would provide {items} to the Ukrainian armed forces.",
    "{Donor} is to supply Ukraine with {items}, {official} told reporters in {city}.",
    "In a statement issued on {weekday}, {donor} committed {items} to Ukraine.",
    "{Donor} promised to transfer {items} to Ukraine in the coming months.",
    "{official} said {donor} would donate {items} to Ukraine before the end of {month}.",
    "{Donor} announced it will provide {items} for Ukraine's defence against the Russian invasion.",
    "The {ministry} confirmed that {donor} will give Ukraine {items}.",
    "Under the new commitment, {donor} will deliver {items} to Ukraine over the next year.",
    "{Donor} has agreed to send {items} to Ukraine, according to a government statement.",
    "{Donor} pledged on {weekday} to supply {items} to Ukraine.",
]
DELIVERY_TEMPLATES = [
    "{Donor} has delivered {items} to Ukraine, the {ministry} confirmed on {weekday}.",
    "The {items} promised by {donor} have arrived in Ukraine, {official} said.",
    "{Donor} has handed over {items} to the Ukrainian armed forces.",
    "Ukraine has received {items} from {donor}, officials in Kyiv said on {weekday}.",
    "{Donor} completed the delivery of {items} to Ukraine this week.",
    "{official} confirmed that {items} from {donor} had reached Ukraine.",
    "{Donor} said on {weekday} that it had delivered {items} to Ukraine.",
]
REFUSAL_TEMPLATES = [
    "{Donor} has refused to send {system} to Ukraine, {official} said on {weekday}.",
    "The {adj} government again declined to supply {system} to Ukraine.",
    "{Donor} ruled out sending {system} to Ukraine for now, citing its own defence needs.",
    "{official} rejected calls for {donor} to deliver {system} to Ukraine.",
    "{Donor} will not provide {system} to Ukraine, the {ministry} said in a written answer.",
]
PACKAGE_TEMPLATES = [
    "{Donor} announced a new military aid package for Ukraine worth {money}, including {items}.",
    "The {adj} government approved a {money} security assistance package for Ukraine that includes {items}.",
    "{Donor} unveiled military assistance to Ukraine worth {money}; the package contains {items}.",
    "{official} announced a package of military aid worth {money} for Ukraine, with {items}.",
    "{Donor} will provide a further {money} in military aid to Ukraine, including {items}.",
    "A new {adj} package of military support for Ukraine, valued at {money}, includes {items}.",
]
PACKAGE_ONLY_TEMPLATES = [
    "{Donor} pledged {money} in military aid to Ukraine on {weekday}.",
    "The {adj} parliament approved {money} in military assistance for Ukraine.",
    "{Donor} announced {money} in new security assistance for Ukraine.",
    "{official} said {donor} would allocate {money} to military support for Ukraine this year.",
]
TOTAL_TEMPLATES = [
    "Since February 2022, {donor} has committed more than {money} in military assistance to Ukraine.",
    "With this package, {adj} military aid to Ukraine since the start of the full-scale invasion totals {money}.",
    "{Donor} has now provided a total of {money} in military support to Ukraine since 2022.",
    "Altogether, {donor} has pledged over {money} in military aid to Ukraine since the invasion began.",
]
HEADLINES = {
    "pledge": ["{Donor} to send {system_short} to Ukraine", "{Donor} pledges new weapons for Ukraine",
               "{adj} support for Ukraine: {system_short} on the way", "{Donor} steps up military aid to Ukraine",
               "New {adj} commitment to Ukraine's defence"],
    "delivery": ["{system_short} from {donor} arrive in Ukraine", "{Donor} completes delivery to Ukraine",
                 "Ukraine receives {adj} {system_short}"],
    "refusal": ["{Donor} says no to {system_short} for Ukraine", "Debate in {city} over {system_short} for Kyiv",
                "{Donor} holds back {system_short}"],
    "package": ["{Donor} announces {money} aid package for Ukraine", "New {adj} military package for Ukraine",
                "{money} in military support for Ukraine from {donor}"],
}
FILLER_TEMPLATES = [
    "Ukrainian forces reported heavy fighting near {front} on {weekday}, where Russian troops have been pressing for weeks.",
    "The talks in {city} also covered training for Ukrainian crews and the repair of damaged equipment.",
    "Officials stressed that the timing of individual shipments would not be made public for security reasons.",
    "{official} met Ukraine's defence minister during the visit and discussed the situation along the front line.",
    "Russia launched a new wave of drone and missile attacks on Ukrainian cities overnight, local authorities said.",
    "Energy facilities in the {region} region were damaged, and repair crews worked through the night to restore power.",
    "Analysts in {city} said the coming months would test the endurance of Ukraine's supporters.",
    "Several members of parliament asked the government to publish a fuller account of what had been sent so far.",
    "The defence ministry said the training of Ukrainian soldiers would continue at bases across the country.",
    "Diplomats from more than forty countries took part in the meeting, which lasted most of the day.",
    "Ukraine's president thanked partners for their support in a late-evening video address.",
    "The announcement came a day after a meeting of defence ministers at the alliance's headquarters in Brussels.",
    "Critics said the pace of deliveries had been too slow, while the government argued that stocks at home had to be rebuilt.",
    "The industry association welcomed plans to expand production lines for ammunition in {city}.",
    "A spokesperson declined to comment on the specific models involved or on their route into Ukraine.",
    "Kyiv has repeatedly asked for more air defence to protect its cities and power plants during the winter.",
    "The {region} regional administration said evacuation of civilians from frontline villages was continuing.",
    "Opinion polls in {city} show steady public support for helping Ukraine, though the margin has narrowed.",
    "Talks on joint production of spare parts with Ukrainian companies are expected to continue next month.",
    "The government said it would also fund repairs of equipment damaged in combat at facilities abroad.",
    "Weather conditions have slowed ground operations in the east, with rain turning fields into mud.",
    "Officials said a further round of consultations with allies was planned for {month}.",
    "The finance committee will review the spending plans when it reconvenes after the recess.",
    "The visit ended with a press conference in which both sides praised the close cooperation between their ministries.",
    "Ukrainian commanders said the shortage of artillery shells on some sectors of the front had eased slightly.",
    "Humanitarian organisations warned that millions of people still depend on aid in the east and the south.",
    "The minister later travelled to {city} for a meeting with European counterparts on defence production.",
    "Experts noted that spare parts, maintenance and training often matter as much as the weapons themselves.",
    "A coalition of countries is coordinating support in several areas, from demining to maritime security.",
    "The government also extended its programme for training Ukrainian pilots and technicians.",
    "Prosecutors in Kyiv opened an investigation into the latest strike on a residential building in {region}.",
    "Negotiators have so far failed to agree on the terms of a ceasefire, according to people familiar with the talks.",
    "The opposition said it supported the decision but asked for more transparency about the costs involved.",
    "The statement did not say when the equipment would reach the front.",
    "Questions from journalists focused on the state of national stockpiles and on plans to replenish them.",
    "Shipments are coordinated through a logistics hub in eastern Poland, according to earlier reports.",
    "The prime minister said the country would stand with Ukraine for as long as it takes.",
    "Air raid alerts sounded across much of Ukraine for several hours on {weekday} morning.",
    "A separate agreement covers the exchange of information on battlefield experience with new weapon systems.",
    "Local officials in {region} said schools would continue to teach online because of the risk of shelling.",
]
FILLER_TEMPLATES += [
    "Satellite images published by a private company showed new fortifications being dug along the {front} sector.",
    "The {adj} ambassador in Kyiv visited a rehabilitation centre for wounded soldiers earlier in the week.",
    "Border guards in the {region} region reported shelling of several villages close to the frontier.",
    "A conference on rebuilding Ukraine's energy system is planned in {city} later this year.",
    "Members of the defence committee are due to visit manufacturers in {city} next month.",
    "The budget for next year sets aside money for replacing equipment that has been given away.",
    "Trade unions at a munitions plant near {city} agreed to extra shifts to raise output.",
    "Railway staff in Ukraine continued to run trains despite damage to several stations in the {region} region.",
    "The European Commission is preparing a proposal on joint procurement that member states will discuss in {month}.",
    "Ukraine's foreign minister held calls with several counterparts ahead of the summit.",
    "Volunteers in {city} collected warm clothing and generators for families in frontline towns.",
    "Schools in the {region} region moved classes into basements equipped as shelters.",
    "Military observers said both sides were relying heavily on drones for reconnaissance around {front}.",
    "Parliament is expected to vote on the next defence budget before the summer recess.",
    "The head of the national armaments agency said contracts with industry would be signed in {month}.",
    "Ukrainian officials said grain exports through the Black Sea ports had continued despite attacks.",
    "A memorial service for soldiers killed near {front} was held in Kyiv on {weekday}.",
    "Mobile repair teams have been set up close to the border to return damaged vehicles to service faster.",
    "Economists in {city} said higher defence spending would weigh on public finances for several years.",
    "Ukrainian engineers have adapted older launchers to fire Western missiles, officials said.",
]
FILLER_SUBJECTS = ["Officials in {city}", "A spokesperson for the {adj} government", "Ukraine's ambassador",
                   "Military analysts", "Diplomats familiar with the talks", "Members of the opposition",
                   "The head of the parliamentary defence committee", "Local authorities in {region}",
                   "A senior NATO official", "Ukrainian commanders near {front}", "Industry representatives",
                   "The {adj} foreign ministry"]
FILLER_PREDICATES = ["said further talks were expected in {month}", "declined to give details of the timetable",
                     "warned that the coming winter would be difficult", "called for closer coordination among allies",
                     "said the priority remained the protection of cities and power plants",
                     "stressed the need to train more crews and mechanics",
                     "pointed to the strain on national stockpiles",
                     "said the situation at the front remained tense but stable",
                     "expected more countries to join the initiative",
                     "described the mood at the meeting as constructive",
                     "said production capacity would have to grow for years",
                     "urged partners to speed up their decisions"]
FILLER_TAILS = ["", " on {weekday}", ", according to a statement", " in an interview", " at a briefing in {city}",
                " after the meeting"]

CITIES = ["Brussels", "Berlin", "Warsaw", "Paris", "London", "Washington", "Oslo", "Stockholm", "Copenhagen",
          "Helsinki", "The Hague", "Rome", "Madrid", "Prague", "Vilnius", "Riga", "Tallinn", "Ottawa", "Canberra",
          "Tokyo", "Ramstein", "Vienna", "Lisbon", "Bratislava", "Bucharest", "Kyiv", "Lviv", "Rzeszow"]
FRONTS = ["Pokrovsk", "Bakhmut", "Avdiivka", "Kupiansk", "Vuhledar", "Chasiv Yar", "Toretsk", "Kramatorsk",
          "Zaporizhzhia", "Robotyne", "Kherson", "Lyman", "Siversk", "Kurakhove", "Orikhiv"]
REGIONS = ["Kharkiv", "Donetsk", "Zaporizhzhia", "Dnipropetrovsk", "Sumy", "Chernihiv", "Odesa", "Mykolaiv",
           "Kherson", "Poltava", "Kyiv", "Lviv"]
OFFICIAL_ROLES = ["the defence minister", "the foreign minister", "the prime minister", "a government spokesperson",
                  "the chief of defence", "a senior defence official", "the minister of defence",
                  "the head of the armed forces", "a spokesperson for the ministry"]
MINISTRY = ["{adj} Ministry of Defence", "{adj} defence ministry", "{adj} government", "{adj} armed forces command"]
SITES = [  # (publisher, host, kind of page)
    ("Defence Ministry Press Office", "defence-ministry.example", "release"),
    ("Government Newsroom", "gov-news.example", "release"),
    ("Eastern Europe Monitor", "ee-monitor.example", "news"),
    ("The Continental Courier", "continental-courier.example", "news"),
    ("Security Affairs Weekly", "security-weekly.example", "news"),
    ("Atlantic Defence Review", "atlantic-defence.example", "news"),
    ("Wire Service Daily", "wire-daily.example", "wire"),
    ("Northern Dispatch", "northern-dispatch.example", "news"),
]
NAV = ["Home", "World", "Europe", "Defence", "Politics", "Economy", "Opinion", "Video", "Newsletters", "Archive"]


# --- one page -------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


class _Slots(dict):
    """A template's slots, the random ones drawn only when the template asks for them (filler
    sentences are many; drawing every slot for each made the corpus twice as slow to write)."""

    def __init__(self, rng: random.Random, donor: Donor, weekday: str, extra: dict):
        super().__init__(donor=donor.name, Donor=donor.name[:1].upper() + donor.name[1:], adj=donor.adjective,
                         weekday=weekday, **extra)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        choices = {"month": MONTHS, "official": OFFICIAL_ROLES, "city": CITIES, "front": FRONTS,
                   "region": REGIONS}
        if key == "ministry":
            return self.rng.choice(MINISTRY).format(adj=self["adj"])
        return self.rng.choice(choices[key])


class _Writer:
    """Fills templates for one page from one random stream."""

    def __init__(self, rng: random.Random, published: date):
        self.rng = rng
        self.published = published
        self.facts: list[dict] = []
        self.weekday = _weekday(published)
        self.headline_money = ""  # the package's figure, as its sentence words it

    def slots(self, donor: Donor, **extra) -> "_Slots":
        return _Slots(self.rng, donor, self.weekday, extra)

    def fill(self, template: str, slots: dict) -> str:
        text = template.format_map(slots)
        return text[:1].upper() + text[1:]

    def items(self, count: int, status: str, donor: Donor) -> list[str]:
        chosen = self.rng.sample(_specific_systems(), count)
        phrases = []
        for system in chosen:
            quantity = _quantity_for(self.rng, system)
            phrases.append(_quantity_phrase(self.rng, system, quantity))
            self.facts.append({"kind": "item", "donor_code": donor.code, "system_id": system.system_id,
                               "quantity": quantity, "status": status})
        return phrases

    @staticmethod
    def join(phrases: list[str]) -> str:
        if len(phrases) == 1:
            return phrases[0]
        return ", ".join(phrases[:-1]) + " and " + phrases[-1]

    def pledge(self, donor: Donor) -> str:
        items = self.items(self.rng.choice([1, 1, 1, 2]), "pledged", donor)
        return self.fill(self.rng.choice(PLEDGE_TEMPLATES), self.slots(donor, items=self.join(items)))

    def delivery(self, donor: Donor) -> str:
        items = self.items(1, "delivered", donor)
        return self.fill(self.rng.choice(DELIVERY_TEMPLATES), self.slots(donor, items=self.join(items)))

    def refusal(self, donor: Donor) -> str:
        system = self.rng.choice([s for s in _specific_systems() if s.category in ("missiles", "aircraft",
                                                                                  "armored_vehicles", "air_defense")])
        self.facts.append({"kind": "item", "donor_code": donor.code, "system_id": system.system_id,
                           "quantity": None, "status": "rejected"})
        return self.fill(self.rng.choice(REFUSAL_TEMPLATES), self.slots(donor, system=_plural(system.name)))

    def package(self, donor: Donor) -> list[str]:
        value, currency, money = _money(self.rng, donor)
        self.headline_money = money
        self.facts.append({"kind": "package", "donor_code": donor.code, "value": value, "currency": currency,
                           "status": "pledged"})
        if self.rng.random() < 0.3:
            return [self.fill(self.rng.choice(PACKAGE_ONLY_TEMPLATES), self.slots(donor, money=money))]
        items = self.items(self.rng.randint(2, 4), "pledged", donor)
        first = self.fill(self.rng.choice(PACKAGE_TEMPLATES), self.slots(donor, money=money, items=self.join(items[:2])))
        paragraphs = [first]
        if len(items) > 2:
            generic = self.rng.choice(_generic_systems())
            paragraphs.append(f"The package also contains {self.join(items[2:])}, as well as "
                              f"{_plural(generic.name).lower()}.")
        return paragraphs

    def total(self, donor: Donor) -> str:
        value, currency, money = _money(self.rng, donor, big=True)
        self.facts.append({"kind": "aggregate", "donor_code": donor.code, "value": value, "currency": currency})
        return self.fill(self.rng.choice(TOTAL_TEMPLATES), self.slots(donor, money=money))

    def fillers(self, donor: Donor):
        """Filler sentences, each template at most once a page, filled as they are asked for;
        every third one is composed of a subject, what they said and where."""
        rng = self.rng
        for number, template in enumerate(rng.sample(FILLER_TEMPLATES, len(FILLER_TEMPLATES))):
            if number % 3 == 2:
                template = f"{rng.choice(FILLER_SUBJECTS)} {rng.choice(FILLER_PREDICATES)}{rng.choice(FILLER_TAILS)}."
            yield self.fill(template, self.slots(donor))


def make_page(index: int, seed: int) -> Page:
    rng = random.Random(f"pledges-corpus:{seed}:{index}")
    published = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    writer = _Writer(rng, published)
    all_donors = donors()
    donor = rng.choices(all_donors, _donor_weights())[0]
    kind = rng.choices(["pledge", "package", "delivery", "refusal"], [40, 30, 20, 10])[0]

    body: list[str] = []
    if kind == "package":
        body += writer.package(donor)
    else:
        body.append(getattr(writer, kind)(donor))
    # A second and third donor in some pages, as in a summit report.
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        other = rng.choices(all_donors, _donor_weights())[0]
        action = rng.choices(["pledge", "delivery", "refusal"], [60, 30, 10])[0]
        body.append(getattr(writer, action)(other))
    if rng.random() < 0.2:
        body.append(writer.total(donor))

    publisher, host, site_kind = rng.choice(SITES)
    first = writer.facts[0] if writer.facts else {}
    system = _systems_by_id().get(first.get("system_id"))
    system_short = _singular(system.name) if system else "weapons"
    headline_slots = writer.slots(donor, system_short=system_short, money=writer.headline_money)
    title = writer.fill(rng.choice(HEADLINES[kind]), headline_slots)
    city = donor.capital or ("Brussels" if donor.code == "EU" else rng.choice(CITIES))
    dateline = f"{city.upper()}, {_long_date(published)} —"

    paragraphs = [f"{dateline} {body[0]}"] + body[1:]
    # Filler after the news, until the page reaches its size.
    size = 1400 + sum(len(p) for p in paragraphs)
    target = TARGET_BYTES + rng.randint(-500, 500)
    fillers = []
    unused = writer.fillers(donor)
    while size < target:
        sentence = " ".join(s for _, s in zip(range(rng.randint(2, 4)), unused))
        if not sentence:
            break
        fillers.append(sentence)
        size += len(sentence) + 10
    for sentence in fillers:
        paragraphs.insert(rng.randint(1, len(paragraphs)), sentence)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    name = f"{index:07d}_{slug}.html"
    url = f"https://{host}/{published.year}/{published.month:02d}/{slug}-{index}"
    page_html = _html(rng, title, paragraphs, published, publisher, url, site_kind, index)
    return Page(index, name, page_html, published, writer.facts)


def _html(rng: random.Random, title: str, paragraphs: list[str], published: date, publisher: str, url: str,
          site_kind: str, index: int) -> str:
    esc = html.escape
    nav = " | ".join(f'<a href="/{n.lower()}/">{n}</a>' for n in rng.sample(NAV, 6))
    body = "\n".join(f"  <p>{esc(p)}</p>" for p in paragraphs)
    label = {"release": "Press release", "news": "News", "wire": "Wire"}[site_kind]
    author = rng.choice(["Staff reporter", "Press office", "Our correspondent", "Newsroom", "Defence desk"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(title)} - {esc(publisher)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="{esc(publisher)}">
<meta property="og:title" content="{esc(title)}">
<meta property="article:published_time" content="{published.isoformat()}T{rng.randint(6, 20):02d}:{rng.randint(0, 59):02d}:00Z">
<link rel="canonical" href="{esc(url)}">
</head>
<body>
<header>
  <a class="brand" href="/">{esc(publisher)}</a>
  <nav>{nav}</nav>
</header>
<main>
<article>
  <p class="type">{label}</p>
  <h1>{esc(title)}</h1>
  <p class="byline">{author}</p>
{body}
</article>
</main>
<footer>
  <p>Reference {published.year}-{index:07d}. Published {_long_date(published)}.</p>
  <p>Contact | Privacy | Accessibility | Terms of use</p>
</footer>
</body>
</html>
"""


# --- many pages -----------------------------------------------------------------------------

def iter_pages(count: int, seed: int = 0, start: int = 0):
    """Pages start .. start+count-1, one at a time."""
    for index in range(start, start + count):
        yield make_page(index, seed)


def write_corpus(folder: str | Path, count: int, seed: int = 0, start: int = 0) -> tuple[int, int]:
    """Write pages start .. start+count-1 into folder; (pages, bytes) written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for page in iter_pages(count, seed, start):
        data = page.html.encode("utf-8")
        (folder / page.name).write_bytes(data)
        total += len(data)
    return count, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write the pages into")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="index of the first page (to add pages to a corpus)")
    args = parser.parse_args(argv)
    import time

    started = time.perf_counter()
    pages, size = write_corpus(args.out, args.pages, args.seed, args.start)
    print(f"wrote {pages:,} pages ({size / 1e6:.1f} MB) to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
