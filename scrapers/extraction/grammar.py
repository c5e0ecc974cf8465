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
from scrapers.extraction.phrases import WordStartPattern, is_plain

GRAMMAR_DIR = Path(__file__).resolve().parents[1] / "data" / "grammar"
# A new language: write data/grammar/<code>.yaml with the slots of en.yaml and add its code
# here, e.g. ("en", "de", "fr"); its cue words go in data/cues.yaml, its number words in numbers.py.
LANGUAGES = ("en", "de", "fr")
# Languages whose words some patterns read as a branch of their own (`alt(..., SEPARATE)`), not
# mixed with the others: French elides ("l'Allemagne", "d'autres"), and some French grammar
# words are English words ('a' the auxiliary, 'de', 'le'), so that mixed in they would misread
# English. The other patterns take every language's words together.
SEPARATE_LANGUAGES = ("fr",)
JOINED = tuple(code for code in LANGUAGES if code not in SEPARATE_LANGUAGES)


def load_words_by_language(languages: tuple[str, ...] = LANGUAGES,
                           folder: Path = GRAMMAR_DIR) -> dict[str, dict[str, list[str]]]:
    """slot -> language -> its words, languages in the order of `languages`. English names every slot."""
    words: dict[str, dict[str, list[str]]] = {}
    for code in languages:
        path = folder / f"{code}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for slot, entries in data.items():
            if code != languages[0] and slot not in words:
                raise ValueError(f"{path}: unknown slot {slot!r} (the slots are those of {languages[0]}.yaml)")
            bad = [entry for entry in entries or [] if not isinstance(entry, str)]
            if bad:  # YAML reads a bare `on`, `no` or `yes` as a boolean: quote it
                raise ValueError(f"{path}: slot {slot!r} holds {bad!r}, not words (quote them)")
            words.setdefault(slot, {})[code] = list(entries or [])
    return words


def load_words(languages: tuple[str, ...] = LANGUAGES, folder: Path = GRAMMAR_DIR) -> dict[str, list[str]]:
    """slot -> the words of all languages, in the order of `languages`."""
    return {slot: [word for code in languages for word in by_code.get(code, [])]
            for slot, by_code in load_words_by_language(languages, folder).items()}


WORDS_BY_LANGUAGE = load_words_by_language()
WORDS = {slot: [word for code in LANGUAGES for word in by_code.get(code, [])]
         for slot, by_code in WORDS_BY_LANGUAGE.items()}


def alt(slot: str, before: str = "", after: str = "", languages: tuple[str, ...] = LANGUAGES) -> str:
    """The words of a slot in `languages` as regex alternatives, each between `before` and `after`."""
    by_code = WORDS_BY_LANGUAGE[slot]
    return "|".join(f"{before}{word}{after}" for code in languages for word in by_code.get(code, []))


def branch(pattern: str, *slots: str) -> str:
    """`|pattern`, when every one of `slots` has a word in SEPARATE_LANGUAGES; else nothing."""
    return f"|{pattern}" if all(alt(slot, languages=SEPARATE_LANGUAGES) for slot in slots) else ""


def sep(slot: str, before: str = "", after: str = "") -> str:
    return alt(slot, before, after, SEPARATE_LANGUAGES)


def joined_and_separate(build, *slots: str) -> str:
    """`build(words)` filled with the words of the joined languages, then as a branch of its own
    with those of SEPARATE_LANGUAGES when every one of `slots` has some there."""
    return build(lambda slot: alt(slot, languages=JOINED)) + branch(build(sep), *slots)


def some(pattern: str, *slots: str) -> str:
    """`pattern`, or one that never matches when a slot it reads has no words."""
    return pattern if all(WORDS[slot] for slot in slots) else r"(?!)"


class PlainWordsPattern:
    r"""`\b(?:word|...)\b`, case-insensitive, for a slot of plain words: `search` first looks for
    the words as lower-case substrings, which a text holding a match always has (a case-insensitive
    regex gets no fast scan for its first letter and is tried at every character)."""

    def __init__(self, slot: str):
        self.words = tuple(word.lower() for word in WORDS[slot])
        assert self.words and all(word.isalpha() for word in self.words), slot
        self.regex = re.compile(rf"\b(?:{alt(slot)})\b", re.I)
        self.pattern = self.regex.pattern

    def search(self, text: str) -> re.Match | None:
        if is_plain(text):
            lowered = text.lower()
            if not any(word in lowered for word in self.words):
                return None
        return self.regex.search(text)


SPACES, WORD_END, COMMA_THEN = r"\s+", r"\b", r",?\s*"  # f-strings of Python 3.11 take no backslash
MUNITION_NOUN = f"(?:{alt('munition_nouns')})"
FOR = alt("for", languages=JOINED)
MUNITION_MODIFIERS = some(rf"(?:(?:{alt('munition_modifiers')})[\s\-]+){{1,2}}", "munition_modifiers")
MUNITION_AFTER = re.compile(rf"^[\s\-]*(?:\([^)]{{1,15}}\)\s*)?(?:{MUNITION_MODIFIERS})?{MUNITION_NOUN}\b", re.I)
# "IRIS-T guided missiles": the words between a platform's munition and the generic noun that ends it.
MODIFIED_MUNITION_GAP = re.compile(rf"[\s\-]+(?:{MUNITION_MODIFIERS})?", re.I)
# "munitions pour des lance-roquettes HIMARS": French may put five words before the platform.
FOR_FAR = alt("for_far") or r"(?!)"
MUNITION_FOR = WordStartPattern(rf"\b{MUNITION_NOUN}\s+(?:(?:{FOR})\s+(?:[\w.\-’']+\s+){{0,3}}|"
                                rf"(?:{FOR_FAR})\s+(?:[\w.\-’']+\s+){{0,5}})$", re.I)
# "missiles for the Patriot system": what stands between a munition noun and the platform it is for.
MUNITION_FOR_GAP = re.compile(rf"\s+(?:(?:{FOR})\s+(?:[\w.\-’']+\s+){{0,3}}|(?:{FOR_FAR})\s+(?:[\w.\-’']+\s+){{0,5}})",
                              re.I)
MUNITION_FOR_NAMED = re.compile(rf"{MUNITION_NOUN}\s+(?:{FOR})\b", re.I)  # "munitions for NASAMS" as one alias
MILLIMETRE = alt("millimetre_words")
CALIBRE = re.compile(rf"(\d{{2,3}})\s?-?(?:mm|{MILLIMETRE})\b")
ABBREVIATION_GAP = re.compile(r"\s*\([\"“«]?\s*")  # and its name in quotes: 'HIMARS ("High Mobility ...")'
ABBREVIATION_END = re.compile(r"\s*[\"”»]?\)")
CALIBRE_BEFORE = re.compile(rf"(?P<calibre>\d{{2,3}})\s?-?(?P<unit>mm|{MILLIMETRE})\s*(?:,|{alt('and_or')})\s*$",
                            re.I)
# "Artilleriemunition mit den Kalibern 155 und 105 Millimeter", "artillery ammunition of the
# calibres 155 and 105 mm": the calibres named after the generic munition. (Its words are few and
# fixed; they stay here with the shape they fill.)
CALIBRES_AFTER = re.compile(r"\s+(?:(?:mit|in|of)\s+(?:dem|den|der|the)\s+|im\s+|des\s+|der\s+)?"
                            r"(?:Kalibern?|calib(?:re|er)s?)\s+"
                            r"(?P<calibres>\d{2,3}(?:\s*(?:,|und|sowie|oder|and|or)\s*\d{2,3})*)\s*"
                            r"(?:mm|Millimeter|millimet(?:er|re)s?)\b", re.I)
GAP_BEFORE = re.compile(rf"(?:\s+(?:{alt('gapping_adverbs')}))?\s*,?\s*(?:{alt('gapping_joiners')}|,)\s+"
                        rf"(?:{alt('gapping_articles', after=SPACES)})?", re.I)
GAP_COUNT = re.compile(rf"\s+(?P<num>{NUMBER})(?=\s*(?:[.,;]|{alt('and', after=WORD_END)}|$))", re.I)
ELIDED_ARTICLE_END = re.compile(some(rf"(?:{alt('elided_articles')})$", "elided_articles"), re.I)
# "sechs Leopard-Panzer zugesagt, Portugal drei": a verb at the end of the clause, before the gap's comma
# (lower case: a German noun is capitalised).
VERB_BEFORE_GAP_COMMA = re.compile(r"^\s+[a-zäöüßàâçéèêëîïôûù][\w-]*(?=\s*,)")
# "... und für das": a list of what munitions are for goes on.
LIST_GAP = re.compile(rf"^\s*(?:,|{alt('and_or', COMMA_THEN)}|{alt('as_well_as', COMMA_THEN)})"
                      rf"(?:\s+(?:{FOR})(?:\s+(?:{alt('list_for_articles')}))?)?\s*$", re.I)
# Two neighbours in a list: a separator, then perhaps a count or a word like "more" ("and 20 more").
LIST_SIBLINGS = re.compile(rf"^\s*(?:[,;]\s*(?:{alt('list_sibling_joiners', languages=JOINED)})?|"
                           rf"{alt('list_sibling_joiners', languages=JOINED)})\s+"
                           rf"(?:(?:\d[\d,.]*|{alt('list_sibling_counts', languages=JOINED)})\s+){{0,3}}$"
                           + branch(rf"^\s*(?:[,;]\s*(?:{sep('list_sibling_joiners')})?|{sep('list_sibling_joiners')})"
                                    rf"\s+(?:(?:{sep('list_sibling_counts')})\s*){{0,3}}$",
                                    "list_sibling_joiners", "list_sibling_counts"), re.I)  # fr: "et des"
# "Panzerzugmaschinen und deren Auflieger, 16 Zetros-Lkw, 13 MAN TGS-Lkw": a list item that opens with its
# own count after a comma is a neighbour in the list, whatever stands before the comma.
COUNTED_SIBLING = re.compile(rf"[,;]\s*(?:{alt('and_also', after=SPACES, languages=JOINED)})?\d[\d.,]*\s+"
                             rf"(?:[^\s,;]+\s*){{0,2}}$", re.I)
# "The remaining tanks will follow", "some of the missiles": a kind named without a count after
# "the" points back to items already counted, it is not one more.
BACK_REFERENCE_BEFORE = re.compile(rf"\b(?:{alt('back_reference_determiners', languages=JOINED)})\s+"
                                   rf"(?:(?:{alt('back_reference_adjectives', languages=JOINED)})\s+)?$|"
                                   rf"\b(?:{alt('possessive_determiners')})\s+$"
                                   + branch(rf"\b(?:{sep('back_reference_determiners')})\s*"
                                            rf"(?:(?:{sep('back_reference_adjectives')})\s+)?$",
                                            "back_reference_determiners", "back_reference_adjectives"), re.I)
# A name with its own head noun ("Stryker armored personnel carriers", "Patriot systems") is a platform.
PLATFORM_NOUN_END = re.compile(rf"\b(?:{alt('platform_nouns')})$", re.I)
# "artillery pieces", "air defence equipment": a category word with a head noun of its own.
CATEGORY_HEAD_NOUN_END = re.compile(rf"\b(?:{alt('category_head_nouns')})$", re.I)
ABSORB_GAP = re.compile(r"^\)?[\s\-]*(?:\([^)]{1,15}\)[\s\-]*)?$")
# "missiles antiaériens à courte portée Crotale": a generic kind, a few lower-case words, then its model.
KIND_MODEL_GAP = re.compile(some(rf"^\s+(?:(?!(?:{alt('kind_model_gap_stops')})\s)(?:{alt('kind_model_gap_words')})\s+){{0,4}}$",
                                 "kind_model_gap_words", "kind_model_gap_stops"))
# "Panzer vom Typ Leopard 2", "Fliegerfäuste des Typs Strela", "tanks of the type Leopard 1": a kind, then its model.
TYPE_GAP = re.compile(rf"^\s+(?:{alt('type_prepositions')})\s+(?:\w+(?:en|eren)\s+)?(?:{alt('type_nouns')})\s+$", re.I)
# "Fifteen Mine Resistant Ambush Protected (MRAP)": the count stands before the spelled-out name.
SPELLED_OUT_BEFORE = re.compile(r"(?:[A-Z][\w\-]*,?\s+){1,8}\($")
CAPITALISED_LAST_WORD = re.compile(r"[A-Z][\w\-]*,?\s*$")  # dropped one by one to reach the count
SPELLED_OUT_ENDS = ("(", "(\n")  # where SPELLED_OUT_BEFORE can end (`$` also stands before a last newline)
# "zehn Drohnenabwehrkanonen, -sensoren und -jammern": a hyphen glued to a name after a space or a comma
# stands for the first part of a compound named before (German writes such lists); no item of its own.
SUSPENDED_COMPOUND_BEFORE = re.compile(r"(?:^|[\s,])[-‑]$")
# "artillery coalition", "drone industry": a system word used to name something else.
NOT_AN_ITEM_AFTER = re.compile(rf"^[\s\-]*(?:{alt('not_an_item_nouns')})\b", re.I)
# "NASAMS and munitions": a bare munition noun right after a platform, not "munitions for" another.
BARE_MUNITION_AFTER = re.compile(rf"\)?\s*(?:{alt('bare_munition_joiners')})\s+"
                                 rf"(?:(?:{alt('bare_munition_adjectives')})\s+)?"
                                 rf"(?P<noun>{alt('bare_munition_nouns')})\b(?!\s+(?:{FOR})\b)", re.I)
SHIP_WORDS = tuple(WORDS["ship_words"])
SHIP_VERB_BEFORE = re.compile(rf"\b(?:{alt('ship_verb_auxiliaries')})\s+$|"
                              rf"\b(?:{alt('carrier_prepositions')})\s+(?:[\w\-]+\s+(?:and|or)\s+)?$", re.I)
SHIP_VERB_AFTER = re.compile(rf"\s+(?:{alt('ship_verb_objects')})\b", re.I)
NEED_BEFORE = re.compile(rf"\b(?:{alt('need_nouns')})\s+(?:{alt('need_prepositions')})\s+"
                         rf"(?:(?:{alt('need_adverbs')})\s+)?$", re.I)
DEFINITE_AMOUNT_BEFORE = re.compile(rf"\b(?:{alt('definite_amount_determiners', languages=JOINED)})\s+$", re.I)
GIVING_COMPOUND = rf"\.?[-‑]\s*(?:{alt('giving_participles', languages=('en',))})\b"
GIVING_COMPOUND_AFTER = re.compile(GIVING_COMPOUND, re.I)
GIVEN_BY_COMPOUND = re.compile(rf"{GIVING_COMPOUND}\s+(?:[\w-]+\s+){{0,3}}$", re.I)  # up to the kit named
REFUSAL_OF_A_REQUEST = re.compile(rf"\S+(?:\s+[\w'’-]+){{0,4}}?\s+(?:{alt('request_nouns', languages=('en',))})\b"
                                  rf"(?!\s+(?:to|for|from)\b)", re.I)
COUNTED_UNITS = re.compile(rf"\b(?P<count>{NUMBER})\s+(?:{alt('unit_nouns', languages=('en',))})\b", re.I)
UNIT_KIT_NOUNS = tuple(WORDS_BY_LANGUAGE["unit_kit_nouns"].get("en", []))
REFUSED_REQUEST_TO = re.compile(rf"\S+(?:\s+[\w'’-]+){{0,4}}?\s+(?:{alt('request_nouns', languages=('en',))})\s+"
                                rf"(?:[\w'’-]+\s+){{0,2}}?to\b", re.I)
ANOTHER_TIME_BEFORE = re.compile(rf"[,;]\s*(?:{alt('time_clause_joiners', languages=('en',))})\s+"
                                 rf"(?:{alt('time_prepositions', languages=('en',))})\s+(?:(?:early|late|mid)[\s-])?"
                                 rf"(?:{'|'.join(MONTHS)}|(?:19|20)\d\d)\b[^,;]{{0,20}},", re.I)
SCHEME_SIZE_BEFORE = re.compile(rf"\b(?:{alt('scheme_nouns', languages=('en',))})\b(?:\s+\([^)]*\))?,?\s+"
                                rf"(?:which|that)\s+"
                                rf"(?:{alt('scheme_aims', languages=('en',))})\s+"
                                rf"(?:{alt('scheme_giving_verbs', languages=('en',))})\s+(?:[\w-]+\s+){{0,2}}$", re.I)
TOPIC_BEFORE = re.compile(rf"\b(?:{alt('topic_prepositions')})\s+(?:the\s+)?$", re.I)
# One of these words is in every match of REPLACEMENT_BEFORE: looked for first, the pattern after.
REPLACEMENT_WORDS = tuple(WORDS["replacement_verbs"] + WORDS["exchange_nouns"])
REPLACEMENT_BEFORE = re.compile(rf"\b(?:{alt('replacement_verbs')})\s+(?:{alt('replacement_prepositions')})\s+"
                                rf"(?:[\w\-’']+\s+){{0,4}}$|"
                                rf"\bin (?:{alt('exchange_nouns')}) for\s+(?:[\w\-’']+\s+){{0,4}}$", re.I)
LED_BY_AFTER = re.compile(rf"[\-‑–]\s?(?:{alt('led_by_participles')})\b", re.I)
# "the G7-led ERA initiative": the group that leads a scheme, and the scheme's noun.
LED_SCHEME = re.compile(rf"[\-‑–]\s?(?:{alt('led_by_participles')})\s+(?:[\w’'-]+\s+|\([^()]{{1,20}}\)\s+){{0,5}}?"
                        rf"(?P<noun>{alt('scheme_nouns', languages=('en',))})\b", re.I)
# "the EU's share of the scheme", "the ERA initiative": a scheme named before; "a new fund" is another.
DEFINITE_SCHEME_BEFORE = re.compile(rf"\b(?:{alt('definite_amount_determiners', languages=JOINED)})\s+"
                                    rf"(?:(?-i:[A-Z])[\w’'-]*\s+){{0,4}}$", re.I)
MODAL_BEFORE = re.compile(rf"\b(?:{alt('modal_verbs')})\s+(?:(?:{alt('modal_adverbs')})\s+)?(?:be\s+)?$", re.I)
# "expanded air defence aid": a kind of help; "drone aid package": drones.
SUMMARY_NOUN_AFTER = re.compile(rf"^[\s\-]*(?:{alt('summary_nouns')})\b"
                                rf"(?![\s\-]+(?:{alt('summary_package_nouns')}))", re.I)
# "drone strikes", "Russia's missile and drone attacks": a weapon naming an attack, not something given.
ATTACK_AFTER = re.compile(rf"^[\s\-]*(?:(?:,|{alt('attack_joiners', languages=JOINED)})\s+[\w\-]+\s+)?"
                          rf"(?:{alt('attack_nouns', languages=JOINED)})\b", re.I)
# "attacks by drones and missiles", "Angriffe mit Drohnen", "attaques de drones et de missiles": the
# weapon named after the attack.
ATTACK_BEFORE = re.compile(joined_and_separate(
    lambda words: rf"\b(?:{words('attack_nouns')})\s+(?:{words('attack_by')})\s*"
                  rf"(?:[\w\-]+\s+(?:{words('attack_joiners')})\s+(?:(?:{words('attack_by')})\s*)?)?$",
    "attack_nouns", "attack_by", "attack_joiners"), re.I)
CUMULATIVE_GIVING = re.compile(rf"\b(?:{alt('cumulative_auxiliaries')})\s+(?:(?:{alt('cumulative_adverbs')})\s+)+"
                               rf"(?:{alt('cumulative_participles')})\b", re.I)
TO_BEFORE = re.compile(rf"\b(?:{alt('third_country_to')})\s+(?:{alt('third_country_articles', after=SPACES)})?$", re.I)
SPEECH_INTRO = re.compile(rf"\b(?:{alt('speech_verbs')})\W*:\s*$", re.I)
# "the partners", "both countries": givers named before, referred back to
DEFINITE_OTHERS = re.compile(rf"\b(?:{alt('referring_determiners')})\s+(?:{alt('referring_nouns')})\b", re.I)
THE_GROUPS_MEMBERS = re.compile(rf"\bthe\s+(?:[\w-]+\s+)?(?:{alt('group_member_nouns', languages=('en',))})\b", re.I)
RECIPIENT_BEFORE = re.compile(rf"\b(?:{alt('recipient_prepositions')})\s+"
                              rf"(?:{alt('recipient_articles', after=SPACES)})?$", re.I)
RECEIVED = re.compile(rf"\b(?:(?:{alt('receiving_auxiliaries')})\s+(?:{alt('receiving_adverbs', after=SPACES)})?)?"
                      rf"(?:{alt('receiving_verbs')})\b", re.I)
COUNTED_WHOLE_GAP = re.compile(rf"^\s*,?\s*(?:{alt('counted_whole_joiners')})\b", re.I)
# "Austin said Germany ...": a reporter. "France said it would ...": the giver speaking of itself.
REPORTING_AFTER = re.compile(rf"(?:'s|’s)?,?\s+(?:\w+\s+){{0,2}}?(?:{alt('reporting_verbs')})\b"
                             rf"(?!,?\s+(?:{alt('reporting_links')})?(?:{alt('subject_pronouns')})\b)", re.I)
# Where a sentence joins two claims with a status each ("France will send SCALP, while Germany
# ruled out Taurus").
CLAUSE_BREAK = re.compile(rf";|,\s+(?:{alt('clause_conjunctions')})\b|{alt('clause_breaks')}", re.I)
# "..., as this would disturb the introduction of F-16s": a reason, to the next clause break.
REASON_OPENER = re.compile(rf"\b(?:{alt('reason_openers')})\b", re.I)
SECOND_AIM_JOINER = re.compile(rf"\b(?:{alt('second_aim_joiners')})\b", re.I)
# "an IRIS-T SLM with missiles", "Patriot mit Lenkflugkörpern", "ein IRIS-T SLS für die kurze Reichweite
# ebenfalls mit Lenkflugkörpern": the platform's own munitions, a few words after it (not across a list).
WITH_GAP = re.compile(rf"^\s+(?:(?!(?:{alt('and_or')}|{alt('as_well_as')})\s)[\w-]+\s+){{0,5}}"
                      rf"(?:{alt('with_words')})\s+(?:(?:{alt('with_determiners')})\s+)?$", re.I)
OWN_MUNITION_JOINED_GAP = re.compile(rf"^[\"”’']?\s+(?:{alt('own_munition_joiners')})\s+"
                                     rf"(?:(?:{alt('with_determiners')})\s+)?$", re.I)
# "90 weitere Panzer dieses Modells": the model named before. "Es umfasst ... 60 Lenkflugkörper": the
# munitions of the system named in the sentence before.
THIS_MODEL_AFTER = re.compile(rf"\s+(?:{alt('this_model')})\b", re.I)
IT_INCLUDES = re.compile(rf"\W*(?:{alt('includes_subjects')})\s+(?:{alt('includes_verbs')})\b", re.I)
GIVER_LINE_LEFTOVER = re.compile(rf"[\W\s]*(?:(?:{alt('giver_line_words')})\b[\W\s]*)*", re.I)  # bullets, commas, "and"
# "€500 million for shells and €200 million ...": a short phrase and a list joiner between two amounts.
AMOUNTS_LISTED_GAP = re.compile(rf"(?:\s+[\w’'-]+){{0,5}}?\s*(?:,\s*)?(?:\b(?:{alt('amount_list_joiners')})\s+|,\s+)", re.I)
LIST_AND = re.compile(rf"\b(?:{alt('list_and')})\b", re.I)  # what makes "A, B and C" a list
# "des chars Piranha fabriqués en Suisse", "in Deutschland hergestellte": where the item was made, a few words after it.
MADE_IN_AFTER = re.compile(rf"\s*(?:[\w'’-]+\s+){{0,3}}?(?:{alt('made_in')})\s+", re.I)
RE_EXPORT = re.compile(rf"\b(?:{alt('re_export_nouns')})\b", re.I)
CLAIMS = re.compile(rf"\b(?:{alt('claim_verbs')})(?!\w)", re.I)
LOSSES = re.compile(rf"\b(?:{alt('loss_verbs')})(?!\w)", re.I)
PERMISSION = re.compile(rf"\b(?:{alt('permission_words')}|{alt('onward_transfer_verbs')})(?!\w)", re.I)
# "kündigte die Bundesregierung an, zusammen mit Kopenhagen ... zu liefern": the giver named right after it
# has a partner named before.
PARTNER_WITH_BEFORE = re.compile(rf"\b(?:{alt('coordination_with')})\s+(?:(?:{alt('coordination_articles', languages=JOINED)})\s+)?$",
                                 re.I)
# "Denmark and the Netherlands", "Schweden und die Niederlande": givers named together.
COORDINATION_GAP = re.compile(rf"\s*(?:,|{alt('and_also', COMMA_THEN, languages=JOINED)}|"
                              rf"{alt('as_well_as', COMMA_THEN, languages=JOINED)}|"
                              rf"{alt('coordination_with', COMMA_THEN)})\s+"
                              rf"(?:{alt('coordination_articles', after=SPACES, languages=JOINED)})?"
                              + branch(rf"\s*(?:,|{sep('and_also', COMMA_THEN)}|{sep('as_well_as', COMMA_THEN)})\s+"
                                       rf"(?:{sep('coordination_articles')})?", "and_also", "coordination_articles"))
STATE_BEFORE = re.compile(rf"\b(?:{alt('state_nouns_before')}) of (?:the )?$", re.I)
STATE_AFTER = re.compile(rf"(?:'s|’s)\s+(?:{alt('state_nouns_after')})", re.I)
LOCATION_BEFORE = re.compile(rf"\b(?:{alt('location_prepositions')})\s+$", re.I)
# Between an item and its giver named after it: "... from (the)", "... supplied by", "von", "aus".
GIVER_AFTER = re.compile(rf"\s*(?:[^\s,;:]+\s+){{0,5}}?(?:(?:{alt('giver_prepositions', languages=JOINED)})\s+"
                         rf"(?:{alt('giver_articles', after=SPACES, languages=JOINED)})?"
                         + branch(rf"(?:{sep('giver_prepositions')})\s+(?:{sep('giver_articles')})?",
                                  "giver_prepositions", "giver_articles") + ")", re.I)  # fr: "promis par le Danemark"
PURCHASE = re.compile(rf"\b(?:{alt('purchase_verbs')})\b", re.I)
# "arrived in Poland", "a training centre in Romania": a country as a place. Lower case only, so
# that "In Germany, the government ..." still names the giver; "from Germany" often does too.
COUNTRY_LOCATION_BEFORE = re.compile(rf"\b(?:{alt('country_location_prepositions', languages=JOINED)})\s+"
                                     rf"(?:{alt('country_location_articles', after=SPACES, languages=JOINED)})?$"
                                     + branch(rf"\b(?:{sep('country_location_prepositions')})\s+"
                                              rf"(?:{sep('country_location_articles')})?$",
                                              "country_location_prepositions", "country_location_articles"))
# "will be procured from Kongsberg and delivered": the second participle shares the future.
FUTURE_AND_BEFORE = re.compile(alt("future_shared"), re.I)
# A future auxiliary anywhere before a delivery cue ("werden ... geliefert").
GERMAN_FUTURE = re.compile(alt("future_in_clause") or r"(?!)", re.I)
FUTURE_BEFORE = re.compile(rf"\b(?:{alt('future_markers')})\s+(?:(?:{alt('future_adverbs')})\s+)?"
                           rf"(?:{alt('passive_be', after=SPACES)})?$"
                           + (rf"|\b(?:{alt('future_passive_markers')})\s+(?:(?:{alt('future_passive_adverbs')})\s+)?$"
                              if WORDS["future_passive_markers"] else ""), re.I)  # fr: "sera livré"
LOCAL_DOLLARS = {"CAN": "CAD", "AUS": "AUD", "NZL": "NZD"}  # a bare "$" in these donors' releases
BARE_DOLLAR = re.compile(r"^(?:\D*\s)?\$")  # "$1.2 billion", "about $40 million": no country before the sign
# fr: Ottawa's "500 millions de dollars"
BARE_DOLLARS = re.compile(some(rf"\b(?:{alt('bare_dollar_words')})$", "bare_dollar_words"), re.I)
LOCAL_CROWNS = {"NOR": "NOK", "SWE": "SEK", "DNK": "DKK", "CZE": "CZK", "ISL": "ISK"}  # "1.1 billion kroner"
BARE_CROWNS = re.compile(r"(?<!norwegian )(?<!swedish )(?<!danish )(?<!czech )\b(?:crowns|kroner|kronor)$", re.I)
INSTITUTIONAL_PUBLISHER = re.compile(rf"{alt('institutional_publisher')}|\.gov|gov\.", re.I)
SINCE = PlainWordsPattern("since")
PERFECT = re.compile(rf"\b(?:{alt('perfect_auxiliaries', languages=JOINED)})\b[\w\s,’'-]{{0,40}}?"
                     rf"\b(?:{alt('perfect_participles', languages=JOINED)})\b"
                     + branch(rf"\b(?:{sep('perfect_auxiliaries')})\b[\w\s,’'-]{{0,40}}?"
                              rf"\b(?:{sep('perfect_participles')})\b", "perfect_auxiliaries", "perfect_participles"),
                     re.I)
CONVERSION_AFTER = re.compile(r"^\s*\([^)]{0,60}\)")  # "55,4 Mrd. US-Dollar (rund 51,2 Mrd. Euro)"
# Where the words after an amount stop being about it.
MONEY_AFTER_END = re.compile(rf",(?!\d)|;|\s[—–-]\s|\s(?:{alt('money_after_end')})\s")
PACKAGE_NAMED = re.compile(alt("package_named"), re.I)  # outweighs a bill named in the same sentence
MONTH_YEAR_AFTER = re.compile(rf"\s*(?:(?:early|late|mid)[\s-])?({'|'.join(MONTHS)})\.?\s+(\d{{4}})", re.I)
YEAR_AFTER = re.compile(rf"\s*(?:{alt('start_of')})?((?:19|20)\d\d)\b")
PART_OF_BEFORE = re.compile(rf"^\W*(?:{alt('part_of')})\b", re.I)
COMPARED_WITH_BEFORE = re.compile(rf"(?:^|[,;(–—])\s*(?:{alt('compared_with')})\s+$", re.I)
CONTRAST_AFTER_NEGATION = re.compile(rf"\b(?:{alt('contrast_after_negation')})\b"
                                     rf"(?!\s+(?:{alt('additive_after_contrast')})\b)", re.I)
# "in addition to the ...", or "zusätzlich zu den bereits zugesagten ...", right before an amount; not
# "on top of its earlier support €350 million", where the words between are what was given before.
IN_ADDITION_TO_BEFORE = re.compile(rf"\b(?:{alt('in_addition_to')})\s+"
                                   rf"(?:(?:{alt('recall_markers_before_amount')})\s+)?$", re.I)
RECALL_MARKER = re.compile(rf"\b(?:{alt('recall_markers')})(?!\w)", re.I)
# "six more CAESARs, in addition to the 18 already delivered": the count of what was given before, its noun left out.
IN_ADDITION_TO_COUNT = re.compile(rf"\b(?:{alt('in_addition_to')})\s+(?P<num>{NUMBER})\s+", re.I)
# "et en livrera six autres": the pronoun for the item named before, the verb, then the count.
PRONOUN_COUNT = re.compile(some(rf"\b(?:{alt('elided_count_pronouns')})\s+(?P<verb>(?:[\w’'-]+\s+){{1,3}}?)(?P<num>{NUMBER})\s+"
                                rf"(?:{alt('more_after_count')})\b", "elided_count_pronouns", "more_after_count"), re.I)
TOTAL_VERB = re.compile(rf"\b(?:{alt('total_verbs')})\b", re.I)
TOTAL_REACHED_BEFORE = re.compile(rf"\b(?:{alt('total_reached_before')})\s+$", re.I)
GERMAN_AUXILIARY = re.compile(rf"\b(?:{alt('final_perfect_auxiliaries')})\b" if WORDS["final_perfect_auxiliaries"]
                              else r"(?!)", re.I)
GERMAN_PARTICIPLE_AFTER = re.compile(rf"^\W*(?:[\w.]+\s+){{0,3}}?(?:{alt('final_participles')})\b"
                                     if WORDS["final_participles"] else r"(?!)", re.I)
STRONG_PACKAGE_NOUN = re.compile(rf"\b(?:{alt('strong_package_nouns')})\b", re.I)
ONE_PACKAGE_NOUN = re.compile(rf"\b(?:{alt('one_package_nouns')})\b", re.I)
PACKAGE_TOTAL_WORD = re.compile(rf"\b(?:{alt('package_total_words')})\b", re.I)
RUNNING_TOTAL_VERB = re.compile(rf"\b(?:{alt('running_total_words')})\b", re.I)
PACKAGE_NOUN = re.compile(rf"\b(?:{alt('package_nouns')})\b", re.I)
NEGATION_BEFORE = re.compile(rf"\b(?:{alt('negation')})\s+(?:\w+\s+){{0,2}}$", re.I)
# "hat bislang keine Taurus-Marschflugkörper geliefert": German negates the object, the verb comes last.
GERMAN_NO_BEFORE = re.compile(some(rf"\b(?:{alt('object_negation')})\s+(?:[\w-]+\s+){{1,4}}$", "object_negation"), re.I)
MUNITION_PLATFORM_CATEGORIES = ("air_defense", "artillery", "rocket_artillery")
GROUPS_WITH_OWN_FUNDS = ("EU",)  # a group whose money is its own package (the EPF, MFA tranches)
CATCH_ALL_ITEM = "military_equipment"  # "military equipment", "defence hardware": any item at all
NOT_ITEM_CATEGORIES = ("financial", "humanitarian")  # money and relief are packages or support, not items
# "Ukraine's air defences", "Russian artillery": owned, not given. A name owns only with 's:
# in "give Ukraine Patriot systems" or "liefert der Ukraine Panzer" Ukraine receives them.
OWNER_GAP = re.compile(rf"^(?:'s|’s)\s+(?:{alt('owner_adjectives', after=SPACES)})?$")
ADJECTIVE_OWNER_GAP = re.compile(rf"^\s+(?:{alt('owner_adjectives', after=SPACES)})?$")
# "Read also: Spain pledges ...": a labelled link to another story, set aside like a caption. The
# label ends in a colon or a dash, so that a sentence opening with "Related" is still read.
READ_ALSO_LINE = re.compile(rf"^\W{{0,3}}(?:{alt('read_also')})\s*[:|–—-]", re.I)
# Kinds of paragraph, tried in this order (captions are found by scrapers.extraction.segment.is_caption).
BLOCK_KINDS = (
    ("read_also", READ_ALSO_LINE),  # the same test the rules set such lines aside by
    ("list_item", re.compile(r"^[ \t]*[-•*–·▪]")),
    ("dateline", re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ .,'/-]{2,40}(?:\([^)]{1,20}\))?\s*[—–-]\s*\S.{0,40}$")),
)
