"""Reference knowledge the extractor reads: donors, the weapon-system taxonomy and cue words.

The taxonomy, its aliases in other languages (system_aliases.csv) and donor aliases are the dbt seeds (one copy of the data, also queryable in the
warehouse); countries come from pycountry; cue words from scrapers/data/cues.yaml.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml

from scrapers.extraction.phrases import PhraseIndex, cue_pattern

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class System:
    system_id: str
    canonical_name: str
    category: str
    is_munition: bool
    parent_system_id: str | None
    generic: bool


@dataclass(frozen=True)
class Party:
    """What a donor alias stands for: a code, and whether the alias is a capital (then "in
    Washington" is a place, not the U.S. government)."""

    code: str
    is_capital: bool
    needs_context: bool = False  # "Georgia", "Jordan": a donor only as "the government of Jordan"
    is_adjective: bool = False  # "Ukrainian", "russische": owns the noun it stands before


@dataclass(frozen=True)
class Lexicon:
    """Compiled matchers; built once per process."""

    parties: PhraseIndex[Party]  # donors, groups, and the never-donors (recipient, aggressor)
    never_donors: frozenset[str]
    groups: frozenset[str]
    systems_exact: PhraseIndex[System]  # short upper-case acronyms (HARM, HAWK, TOW) as written
    systems_folded: PhraseIndex[System]  # every other alias, in any case, spelling or number
    systems_folded_in: dict[str, PhraseIndex[System]]  # language -> systems_folded plus that language's aliases
    systems: dict[str, System]
    munition_of: dict[str, System]  # platform id -> its munition
    cues: dict
    kind_of: dict[str, str] = field(default_factory=dict)  # specific system id -> the generic kind it is one of


def _truthy(value: str | None) -> bool:
    return str(value or "").strip().lower() in ("true", "1", "yes", "t")


def _party_aliases() -> list[tuple[str, Party]]:
    """Seed aliases first (they decide, e.g. capitals), then every pycountry name."""
    rules = yaml.safe_load((DATA_DIR / "donor_rules.yaml").read_text(encoding="utf-8"))
    ambiguous = set(rules["ambiguous_names"])
    aliases: list[tuple[str, Party]] = []
    with open(SEEDS_DIR / "donor_aliases.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alias = re.sub(r"^the\s+", "", row["alias"].strip(), flags=re.I)
            if alias:
                party = Party(row["donor_code"].strip(), row["alias_type"] == "capital",
                              is_adjective=row["alias_type"] == "adjective")
                aliases.extend((form, party) for form in _inflected_forms(alias, row["alias_type"]))
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if not name or "," in name:
                continue
            party = Party(country.alpha_3, False, needs_context=name in ambiguous)
            aliases.append((name, party))
            short = re.sub(r"\s*\([^)]*\)", "", name)  # "Falkland Islands (Malvinas)" is written without
            if short != name:
                aliases.append((short, party))
    return aliases


GERMAN_ADJECTIVE = re.compile(r"(?P<stem>[a-zäöüß]+(?:isch|sch|ch))(?:e|en|er|es|em)")  # "dänische", "deutschen"
GENITIVE_ENDING = re.compile(r"[^\W\d_]*[^\W\dsxzß_]$")  # one word that takes a German genitive -s


def _inflected_forms(alias: str, alias_type: str) -> list[str]:
    """An alias as written, and the forms German gives it: an adjective opening a sentence or a
    headline ("Deutsche Militärhilfe"), and a name's genitive ("Deutschlands", "Helsinkis")."""
    forms = [alias]
    adjective = GERMAN_ADJECTIVE.fullmatch(alias) if alias_type == "adjective" else None
    if adjective:  # every case ending: "dänische", "dänischen", "dänischer", "dänisches", "dänischem"
        forms = [alias, *(adjective["stem"] + ending for ending in ("e", "en", "er", "es", "em")
                          if adjective["stem"] + ending != alias)]
    if alias_type == "adjective" and alias[:1].islower():
        forms += [form[:1].upper() + form[1:] for form in forms]
    elif alias_type in ("short_name", "capital") and GENITIVE_ENDING.fullmatch(alias):
        forms.append(alias + "s")
    return forms


def load_systems() -> dict[str, System]:
    systems = {}
    with open(SEEDS_DIR / "systems.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            systems[row["system_id"]] = System(
                system_id=row["system_id"], canonical_name=row["canonical_name"], category=row["category"],
                is_munition=_truthy(row["is_munition"]), parent_system_id=row.get("parent_system_id") or None,
                generic=_truthy(row.get("generic")))
    return systems


def _system_aliases(systems: dict[str, System]) -> list[tuple[str, System]]:
    aliases = []
    with open(SEEDS_DIR / "systems.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for alias in [row["canonical_name"], *row["aliases"].split("|")]:
                if alias.strip():
                    aliases.append((alias.strip(), systems[row["system_id"]]))
    return aliases


def _system_aliases_by_language(systems: dict[str, System]) -> dict[str, list[tuple[str, System]]]:
    """Names in other languages ("canon Caesar", "obus de 155 mm"), read only on pages in that
    language: French "munitions" is not a name in an English or German text."""
    by_language: dict[str, list[tuple[str, System]]] = {}
    with open(SEEDS_DIR / "system_aliases.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["alias"].strip():
                continue
            if row["system_id"] not in systems:  # a typo in the seed: say where, before any page is read
                raise ValueError(f"system_aliases.csv: alias {row['alias']!r} names no system of systems.csv: "
                                 f"{row['system_id']!r}")
            by_language.setdefault(row["language"].strip(), []).append((row["alias"].strip(),
                                                                        systems[row["system_id"]]))
    return by_language


def _cues() -> dict:
    raw = yaml.safe_load((DATA_DIR / "cues.yaml").read_text(encoding="utf-8"))

    def compile_list(items):
        return cue_pattern(items)

    return {
        "status": {status: compile_list(items) for status, items in raw["status"].items()},
        **{key: compile_list(items) for key, items in raw.items() if isinstance(items, list) and key != "since"},
        **{key: compile_list(raw[key]) for key in
           ("not_a_pledge", "not_pledge_context", "legislation", "aggregate_before", "aggregate_after", "inclusion", "support",
            "support_verbs", "other_parties")},
        "channels": {code: compile_list(items) for code, items in raw["channels"].items()},
        "since": [(re.compile(r"(?<![\w])" + e["pattern"] + r"(?![\w])", re.I),
                   e["date"] if isinstance(e["date"], date) else date.fromisoformat(str(e["date"])))
                  for e in raw["since"]],
    }


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    rules = yaml.safe_load((DATA_DIR / "donor_rules.yaml").read_text(encoding="utf-8"))
    systems = load_systems()
    aliases = _system_aliases(systems)
    acronym = re.compile(r"[A-Z]{2,5}s?")  # "HARM", "TOWs": not the words "harm" and "tow"
    munition_of = {}
    for system in systems.values():
        if system.is_munition and system.parent_system_id and system.parent_system_id not in munition_of:
            munition_of[system.parent_system_id] = system
    return Lexicon(
        parties=PhraseIndex(_party_aliases(), exact=True),
        never_donors=frozenset(rules["never_donors"]),
        groups=frozenset(rules["groups"]),
        systems_exact=PhraseIndex([(a, s) for a, s in aliases if acronym.fullmatch(a)], exact=True),
        systems_folded=PhraseIndex([(a, s) for a, s in aliases if not acronym.fullmatch(a)], exact=False),
        systems_folded_in={language: PhraseIndex([(a, s) for a, s in aliases if not acronym.fullmatch(a)] + local,
                                                 exact=False)
                           for language, local in _system_aliases_by_language(systems).items()},
        systems=systems,
        munition_of=munition_of,
        cues=_cues(),
        kind_of=kinds_of_systems(systems),
    )


MODEL_NAME_END = re.compile(r"(?:^|\s)[A-Z0-9][^\s]*$")  # "Leopard 2", "Patriot", "M1A1 Abrams"


def kinds_of_systems(systems: dict[str, System]) -> dict[str, str]:
    """specific id -> generic id, read from the taxonomy's names: a model name followed by a generic
    kind's name in the singular ("Leopard 2 main battle tank", "Main battle tanks") is one of that
    kind. The longest such kind decides; a lower-case word before it makes a narrower kind the
    taxonomy has no generic for ("Carl Gustaf recoilless rifle" is no rifle of the kind "Rifles")."""
    kinds = []
    for generic in systems.values():
        if generic.generic and not generic.is_munition:
            name = re.sub(r"\s*\([^)]*\)", "", generic.canonical_name).lower().strip()
            if name.endswith("s"):
                kinds.append((name[:-1], generic.system_id))
    kinds.sort(key=lambda kind: -len(kind[0]))
    found = {}
    for specific in systems.values():
        if specific.generic or specific.is_munition:
            continue
        name = specific.canonical_name.lower()
        kind = next(((singular, gid) for singular, gid in kinds if name.endswith(" " + singular)), None)
        if kind is not None and MODEL_NAME_END.search(specific.canonical_name[:-len(kind[0]) - 1]):
            found[specific.system_id] = kind[1]
    return found
