"""Reference knowledge the extractor reads: donors, the weapon-system taxonomy and cue words.

The taxonomy and donor aliases are the dbt seeds (one copy of the data, also queryable in the
warehouse); countries come from pycountry; cue words from scrapers/data/cues.yaml.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"
GROUPS = {"EU", "NATO", "UDCG", "G7"}


@dataclass(frozen=True)
class System:
    system_id: str
    canonical_name: str
    category: str
    is_munition: bool
    parent_system_id: str | None
    generic: bool


@dataclass(frozen=True)
class Lexicon:
    """Compiled matchers; built once per process."""

    donor_pattern: re.Pattern
    donor_by_alias: dict[str, str]
    place_aliases: frozenset[str]  # capitals: a donor as subject, a place after "in" or "at"
    never_donors: frozenset[str]
    system_pattern_ci: re.Pattern  # aliases matched in any letter case
    system_pattern_cs: re.Pattern  # short upper-case acronyms (HARM, HAWK, TOW) matched as written
    system_by_alias: dict[str, System]
    systems: dict[str, System]
    munition_of: dict[str, System]  # platform id -> its munition
    cues: dict


def _truthy(value: str | None) -> bool:
    return str(value or "").strip().lower() in ("true", "1", "yes", "t")


def _alias_regex(alias: str) -> str:
    """Spelling-tolerant pattern: hyphens and spaces interchangeable, US and UK spelling."""
    parts = []
    for token in re.split(r"([\s\-/]+)", alias.strip()):
        if not token:
            continue
        if re.fullmatch(r"[\s\-/]+", token):
            parts.append(r"[\s\-/]?" if "-" in token or "/" in token else r"[\s\-]+")
            continue
        t = re.escape(token)
        t = re.sub(r"defen[cs]e", "defen[cs]e", t, flags=re.I)
        t = re.sub(r"armou?r", "armou?r", t, flags=re.I)
        t = re.sub(r"(?<=[A-Za-z])(\d)", r"[\\s\\-]?\1", t) if re.fullmatch(r"[A-Za-z]{1,4}\d+[A-Za-z]?", token) else t
        parts.append(t)
    return "".join(parts)


def _plural(pattern: str) -> str:
    return pattern + r"(?:s|es|n|en|e)?"


def _compile(aliases: list[str], flags: int, plural: bool) -> re.Pattern:
    ordered = sorted(set(aliases), key=len, reverse=True)
    body = "|".join(f"(?:{_plural(_alias_regex(a)) if plural else _alias_regex(a)})" for a in ordered)
    return re.compile(rf"(?<![\w\-])(?:{body})(?![\w])", flags)


def _normal(alias: str) -> str:
    text = alias.lower().replace("’", "'")
    text = re.sub(r"defen[cs]e", "defense", text)
    text = re.sub(r"armou?r", "armor", text)
    return re.sub(r"[\s\-/]+", "", text)


def normal_key(surface: str) -> str:
    """The lookup key of a matched surface form (plural endings tried by the caller)."""
    return _normal(surface)


def _place_aliases() -> frozenset[str]:
    with open(SEEDS_DIR / "donor_aliases.csv", newline="", encoding="utf-8") as f:
        return frozenset(_normal(row["alias"]) for row in csv.DictReader(f) if row["alias_type"] == "capital")


def _donor_aliases() -> dict[str, str]:
    rules = yaml.safe_load((DATA_DIR / "donor_rules.yaml").read_text(encoding="utf-8"))
    ambiguous = set(rules["ambiguous_names"])
    aliases: dict[str, str] = {}
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}:
            if name and name not in ambiguous and "," not in name:
                aliases[name] = country.alpha_3
    with open(SEEDS_DIR / "donor_aliases.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alias = row["alias"].strip()
            if alias.lower().startswith("the "):
                alias = alias[4:]
            if alias:
                aliases[alias] = row["donor_code"].strip()
    return aliases


def load_systems() -> dict[str, System]:
    systems = {}
    with open(SEEDS_DIR / "systems.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            systems[row["system_id"]] = System(
                system_id=row["system_id"], canonical_name=row["canonical_name"], category=row["category"],
                is_munition=_truthy(row["is_munition"]), parent_system_id=row.get("parent_system_id") or None,
                generic=_truthy(row.get("generic")))
    return systems


def _system_aliases(systems: dict[str, System]) -> dict[str, tuple[str, System]]:
    result = {}
    with open(SEEDS_DIR / "systems.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            system = systems[row["system_id"]]
            for alias in [row["canonical_name"], *row["aliases"].split("|")]:
                alias = alias.strip()
                if alias:
                    result.setdefault(_normal(alias), (alias, system))
    return result


def _cues() -> dict:
    raw = yaml.safe_load((DATA_DIR / "cues.yaml").read_text(encoding="utf-8"))

    def compile_list(items):
        return re.compile(r"(?<![\w])(?:" + "|".join(items) + r")(?![\w])", re.I)

    return {
        "status": {status: compile_list(items) for status, items in raw["status"].items()},
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
    donors = _donor_aliases()
    systems = load_systems()
    by_alias = _system_aliases(systems)
    acronyms = [a for a, _ in by_alias.values() if re.fullmatch(r"[A-Z]{2,5}", a)]
    others = [a for a, _ in by_alias.values() if not re.fullmatch(r"[A-Z]{2,5}", a)]
    munition_of = {}
    for system in systems.values():
        if system.is_munition and system.parent_system_id and system.parent_system_id not in munition_of:
            munition_of[system.parent_system_id] = system
    return Lexicon(
        donor_pattern=re.compile(r"(?<![\w\-])(?:" + "|".join(
            re.escape(a) for a in sorted(donors, key=len, reverse=True)) + r")(?:'s|’s)?(?![\w])"),
        donor_by_alias={_normal(a): code for a, code in donors.items()},
        place_aliases=_place_aliases(),
        never_donors=frozenset(rules["never_donors"]),
        system_pattern_ci=_compile(others, re.I, plural=True),
        system_pattern_cs=_compile(acronyms, 0, plural=True),
        system_by_alias={key: system for key, (_, system) in by_alias.items()},
        systems=systems,
        munition_of=munition_of,
        cues=_cues(),
    )
