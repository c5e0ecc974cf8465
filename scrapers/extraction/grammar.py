"""Grammar words of the extractor: the patterns its rules read around the things they find.

The words come from scrapers/data/grammar/<language>.yaml, one file per language; each pattern
below says which slots of those files it reads and is named for the one job it does in a
rule. The words of every language in LANGUAGES fill each slot, in that order, so a page in any
of them is read with the same patterns (pages mix languages less than the rules would gain
from knowing which one a sentence is in).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from scrapers.dates import MONTHS
from scrapers.extraction.numbers import NUMBER
from scrapers.extraction.phrases import WordStartPattern

GRAMMAR_DIR = Path(__file__).resolve().parents[1] / "data" / "grammar"
# A new language: write data/grammar/<code>.yaml with the slots of en.yaml and add its code
# here, e.g. ("en", "de", "fr"); its cue words go in data/cues.yaml, its number words in numbers.py.
LANGUAGES = ("en", "de")


def load_words(languages: tuple[str, ...] = LANGUAGES, folder: Path = GRAMMAR_DIR) -> dict[str, list[str]]:
    """slot -> the words of all languages, in the order of `languages`. English names every slot."""
    words: dict[str, list[str]] = {}
    for code in languages:
        path = folder / f"{code}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for slot, entries in data.items():
            if code != languages[0] and slot not in words:
                raise ValueError(f"{path}: unknown slot {slot!r} (the slots are those of {languages[0]}.yaml)")
            words.setdefault(slot, []).extend(str(entry) for entry in entries or [])
    return words


WORDS = load_words()


def alt(slot: str, before: str = "", after: str = "") -> str:
    """The words of a slot as regex alternatives, each between `before` and `after`."""
    return "|".join(f"{before}{word}{after}" for word in WORDS[slot])


SPACES, WORD_END, COMMA_THEN = r"\s+", r"\b", r",?\s*"  # f-strings of Python 3.11 take no backslash
MUNITION_NOUN = f"(?:{alt('munition_nouns')})"
FOR = alt("for")
MUNITION_AFTER = re.compile(rf"^[\s\-]*(?:\([^)]{{1,15}}\)\s*)?{MUNITION_NOUN}\b", re.I)
MUNITION_FOR = WordStartPattern(rf"\b{MUNITION_NOUN}\s+(?:{FOR})\s+(?:[\w.\-’']+\s+){{0,3}}$", re.I)
MUNITION_FOR_NAMED = re.compile(rf"{MUNITION_NOUN}\s+(?:{FOR})\b", re.I)  # "munitions for NASAMS" as one alias
CALIBRE = re.compile(r"(\d{2,3})\s?-?(?:mm|millimet(?:er|re))\b")
ABBREVIATION_GAP = re.compile(r"\s*\(")
CALIBRE_BEFORE = re.compile(rf"(?P<calibre>\d{{2,3}})\s?-?(?P<unit>mm|millimet(?:er|re))\s*(?:,|{alt('and_or')})\s*$",
                            re.I)
GAP_BEFORE = re.compile(rf"(?:\s+(?:{alt('gapping_adverbs')}))?\s*,?\s*(?:{alt('gapping_joiners')}|,)\s+"
                        rf"(?:{alt('gapping_articles', after=SPACES)})?", re.I)
GAP_COUNT = re.compile(rf"\s+(?P<num>{NUMBER})(?=\s*(?:[.,;]|{alt('and', after=WORD_END)}|$))", re.I)
LIST_GAP = re.compile(rf"^\s*(?:,|{alt('and_or', COMMA_THEN)}|{alt('as_well_as', COMMA_THEN)})\s*$", re.I)
# Two neighbours in a list: a separator, then perhaps a count or a word like "more" ("and 20 more").
LIST_SIBLINGS = re.compile(rf"^\s*(?:[,;]\s*(?:{alt('list_sibling_joiners')})?|{alt('list_sibling_joiners')})\s+"
                           rf"(?:(?:\d[\d,.]*|{alt('list_sibling_counts')})\s+){{0,3}}$", re.I)
# "The remaining tanks will follow", "some of the missiles": a kind named without a count after
# "the" points back to items already counted, it is not one more.
BACK_REFERENCE_BEFORE = re.compile(rf"\b(?:{alt('back_reference_determiners')})\s+"
                                   rf"(?:(?:{alt('back_reference_adjectives')})\s+)?$", re.I)
# A name with its own head noun ("Stryker armored personnel carriers", "Patriot systems") is a platform.
PLATFORM_NOUN_END = re.compile(rf"\b(?:{alt('platform_nouns')})$", re.I)
ABSORB_GAP = re.compile(r"^\)?[\s\-]*(?:\([^)]{1,15}\)[\s\-]*)?$")
# "Fifteen Mine Resistant Ambush Protected (MRAP)": the count stands before the spelled-out name.
SPELLED_OUT_BEFORE = re.compile(r"(?:[A-Z][\w\-]*,?\s+){1,8}\($")
CAPITALISED_LAST_WORD = re.compile(r"[A-Z][\w\-]*,?\s*$")  # dropped one by one to reach the count
SPELLED_OUT_ENDS = ("(", "(\n")  # where SPELLED_OUT_BEFORE can end (`$` also stands before a last newline)
# "artillery coalition", "drone industry": a system word used to name something else.
NOT_AN_ITEM_AFTER = re.compile(rf"^[\s\-]*(?:{alt('not_an_item_nouns')})\b", re.I)
# "Austin said Germany ...": a reporter. "France said it would ...": the giver speaking of itself.
REPORTING_AFTER = re.compile(rf"(?:'s|’s)?,?\s+(?:\w+\s+){{0,2}}?(?:{alt('reporting_verbs')})\b"
                             rf"(?!,?\s+(?:{alt('reporting_links')})?(?:{alt('subject_pronouns')})\b)", re.I)
# Where a sentence joins two claims with a status each ("France will send SCALP, while Germany
# ruled out Taurus").
CLAUSE_BREAK = re.compile(rf";|,\s+(?:{alt('clause_conjunctions')})\b|{alt('clause_breaks')}", re.I)
# "Denmark and the Netherlands", "Schweden und die Niederlande": givers named together.
COORDINATION_GAP = re.compile(rf"\s*(?:,|{alt('and_also', COMMA_THEN)}|{alt('as_well_as', COMMA_THEN)})\s+"
                              rf"(?:{alt('coordination_articles', after=SPACES)})?")
STATE_BEFORE = re.compile(rf"\b(?:{alt('state_nouns_before')}) of (?:the )?$", re.I)
STATE_AFTER = re.compile(rf"(?:'s|’s)\s+(?:{alt('state_nouns_after')})", re.I)
LOCATION_BEFORE = re.compile(rf"\b(?:{alt('location_prepositions')})\s+$", re.I)
# Between an item and its giver named after it: "... from (the)", "... supplied by", "von", "aus".
GIVER_AFTER = re.compile(rf"\s*(?:[^\s,;:]+\s+){{0,5}}?(?:{alt('giver_prepositions')})\s+"
                         rf"(?:{alt('giver_articles', after=SPACES)})?", re.I)
PURCHASE = re.compile(rf"\b(?:{alt('purchase_verbs')})\b", re.I)
# "arrived in Poland", "a training centre in Romania": a country as a place. Lower case only, so
# that "In Germany, the government ..." still names the giver; "from Germany" often does too.
COUNTRY_LOCATION_BEFORE = re.compile(rf"\b(?:{alt('country_location_prepositions')})\s+"
                                     rf"(?:{alt('country_location_articles', after=SPACES)})?$")
# "will be procured from Kongsberg and delivered": the second participle shares the future.
FUTURE_AND_BEFORE = re.compile(alt("future_shared"), re.I)
# A future auxiliary anywhere before a delivery cue ("werden ... geliefert").
GERMAN_FUTURE = re.compile(alt("future_in_clause") or r"(?!)", re.I)
FUTURE_BEFORE = re.compile(rf"\b(?:{alt('future_markers')})\s+(?:(?:{alt('future_adverbs')})\s+)?"
                           rf"(?:{alt('passive_be', after=SPACES)})?$", re.I)
LOCAL_DOLLARS = {"CAN": "CAD", "AUS": "AUD", "NZL": "NZD"}  # a bare "$" in these donors' releases
BARE_DOLLAR = re.compile(r"^(?:\D*\s)?\$")  # "$1.2 billion", "about $40 million": no country before the sign
LOCAL_CROWNS = {"NOR": "NOK", "SWE": "SEK", "DNK": "DKK", "CZE": "CZK", "ISL": "ISK"}  # "1.1 billion kroner"
BARE_CROWNS = re.compile(r"(?<!norwegian )(?<!swedish )(?<!danish )(?<!czech )\b(?:crowns|kroner|kronor)$", re.I)
INSTITUTIONAL_PUBLISHER = re.compile(rf"{alt('institutional_publisher')}|\.gov|gov\.", re.I)
SINCE = re.compile(rf"\b(?:{alt('since')})\b", re.I)
PERFECT = re.compile(rf"\b(?:{alt('perfect_auxiliaries')})\b[\w\s,’'-]{{0,40}}?\b(?:{alt('perfect_participles')})\b",
                     re.I)
# Where the words after an amount stop being about it.
MONEY_AFTER_END = re.compile(rf",|;|\s[—–-]\s|\s(?:{alt('money_after_end')})\s")
PACKAGE_NAMED = re.compile(alt("package_named"), re.I)  # outweighs a bill named in the same sentence
MONTH_YEAR_AFTER = re.compile(rf"\s*(?:(?:early|late|mid)[\s-])?({'|'.join(MONTHS)})\.?\s+(\d{{4}})", re.I)
YEAR_AFTER = re.compile(r"\s*(?:the (?:start|beginning) of\s+)?((?:19|20)\d\d)\b")
PART_OF_BEFORE = re.compile(rf"^\W*(?:{alt('part_of')})\b", re.I)
TOTAL_VERB = re.compile(rf"\b(?:{alt('total_verbs')})\b", re.I)
GERMAN_AUXILIARY = re.compile(rf"\b(?:{alt('final_perfect_auxiliaries')})\b" if WORDS["final_perfect_auxiliaries"]
                              else r"(?!)", re.I)
GERMAN_PARTICIPLE_AFTER = re.compile(rf"^\W*(?:[\w.]+\s+){{0,3}}?(?:{alt('final_participles')})\b"
                                     if WORDS["final_participles"] else r"(?!)", re.I)
STRONG_PACKAGE_NOUN = re.compile(rf"\b(?:{alt('strong_package_nouns')})\b", re.I)
PACKAGE_NOUN = re.compile(rf"\b(?:{alt('package_nouns')})\b", re.I)
NEGATION_BEFORE = re.compile(rf"\b(?:{alt('negation')})\s+(?:\w+\s+){{0,2}}$", re.I)
MUNITION_PLATFORM_CATEGORIES = ("air_defense", "artillery", "rocket_artillery")
NOT_ITEM_CATEGORIES = ("financial", "humanitarian")  # money and relief are packages or support, not items
# "Ukraine's air defences", "Russian artillery": owned, not given. A name owns only with 's:
# in "give Ukraine Patriot systems" or "liefert der Ukraine Panzer" Ukraine receives them.
OWNER_GAP = re.compile(rf"^(?:'s|’s)\s+(?:{alt('owner_adjectives', after=SPACES)})?$")
ADJECTIVE_OWNER_GAP = re.compile(rf"^\s+(?:{alt('owner_adjectives', after=SPACES)})?$")
# Kinds of paragraph, tried in this order (captions are found by scrapers.extraction.segment.is_caption).
BLOCK_KINDS = (
    ("read_also", re.compile(rf"^\W{{0,3}}(?:{alt('read_also')})\b", re.I)),
    ("list_item", re.compile(r"^[ \t]*[-•*–·▪]")),
    ("dateline", re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ .,'/-]{2,40}(?:\([^)]{1,20}\))?\s*[—–-]\s*\S.{0,40}$")),
)
