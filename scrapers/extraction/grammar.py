"""Grammar words of the extractor: the patterns its rules read around the things they find.

Each pattern is named for the one job it does in a rule; English and German side by side.
"""
from __future__ import annotations

import re

from scrapers.dates import MONTHS
from scrapers.extraction.numbers import NUMBER
from scrapers.extraction.phrases import WordStartPattern

MUNITION_NOUN = (r"(?:ammunition|munitions?|rounds|shells|rockets|missiles|interceptors|projectiles|"
                 r"munition|raketen|flugkörper|lenkflugkörper|granaten)")
MUNITION_AFTER = re.compile(rf"^[\s\-]*(?:\([^)]{{1,15}}\)\s*)?{MUNITION_NOUN}\b", re.I)
MUNITION_FOR = WordStartPattern(rf"\b{MUNITION_NOUN}\s+(?:for|für)\s+(?:[\w.\-’']+\s+){{0,3}}$", re.I)
MUNITION_FOR_NAMED = re.compile(rf"{MUNITION_NOUN}\s+(?:for|für)\b", re.I)  # "munitions for NASAMS" as one alias
CALIBRE = re.compile(r"(\d{2,3})\s?-?(?:mm|millimet(?:er|re))\b")
ABBREVIATION_GAP = re.compile(r"\s*\(")
CALIBRE_BEFORE = re.compile(r"(?P<calibre>\d{2,3})\s?-?(?P<unit>mm|millimet(?:er|re))\s*(?:,|and|or|und|sowie)\s*$", re.I)
GAP_BEFORE = re.compile(r"(?:\s+(?:each|in total|so far))?\s*,?\s*(?:and|while|whereas|und|,)\s+(?:the\s+)?", re.I)
GAP_COUNT = re.compile(rf"\s+(?P<num>{NUMBER})(?=\s*(?:[.,;]|and\b|und\b|$))", re.I)
LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|,?\s*und|,?\s*sowie|,?\s*as well as)\s*$", re.I)
# Two neighbours in a list: a separator, then perhaps a count or a word like "more" ("and 20 more").
LIST_SIBLINGS = re.compile(r"^\s*(?:[,;]\s*(?:and|or|as well as|plus|und|sowie|oder)?|and|or|as well as|plus|und|"
                           r"sowie|oder)\s+(?:(?:\d[\d,.]*|more|additional|further|other|new|several|some|"
                           r"hundreds|thousands|of|weitere|zusätzliche)\s+){0,3}$", re.I)
# "The remaining tanks will follow", "some of the missiles": a kind named without a count after
# "the" points back to items already counted, it is not one more.
BACK_REFERENCE_BEFORE = re.compile(r"\b(?:the|these|those|die|diese|dieser)\s+(?:(?:remaining|promised|other|same|"
                                   r"first|last|new|verbleibenden|zugesagten|übrigen)\s+)?$", re.I)
# A name with its own head noun ("Stryker armored personnel carriers", "Patriot systems") is a platform.
PLATFORM_NOUN_END = re.compile(r"\b(?:systems?|launchers?|batter(?:y|ies)|vehicles?|carriers?|tanks?|howitzers?|guns?|"
                               r"jets?|aircraft|helicopters?|radars?|units?|systeme?|panzer|fahrzeuge?)$", re.I)
ABSORB_GAP = re.compile(r"^\)?[\s\-]*(?:\([^)]{1,15}\)[\s\-]*)?$")
# "Fifteen Mine Resistant Ambush Protected (MRAP)": the count stands before the spelled-out name.
SPELLED_OUT_BEFORE = re.compile(r"(?:[A-Z][\w\-]*,?\s+){1,8}\($")
SPELLED_OUT_ENDS = ("(", "(\n")  # where SPELLED_OUT_BEFORE can end (`$` also stands before a last newline)
# "artillery coalition", "drone industry": a system word used to name something else.
NOT_AN_ITEM_AFTER = re.compile(r"^[\s\-]*(?:coalitions?|initiative|framework|industry|production|producers?|"
                               r"manufacturers?|capability coalition|koalition|industrie)\b", re.I)
# "Austin said Germany ...": a reporter. "France said it would ...": the giver speaking of itself.
REPORTING_AFTER = re.compile(r"(?:'s|’s)?,?\s+(?:\w+\s+){0,2}?(?:said|says|told|announced that|stated|noted|"
                             r"confirmed that|sagte|erklärte|teilte mit)\b"
                             r"(?!,?\s+(?:that\s+|on \w+\s+)?(?:it|they|he|she|we|es|sie|er)\b)", re.I)
# Where a sentence joins two claims with a status each ("France will send SCALP, while Germany
# ruled out Taurus").
CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although|though|während|aber|doch)\b|"
                          r"\s(?:while|whereas)\s|\sbut\s(?!also\b)", re.I)
# "Denmark and the Netherlands", "Schweden und die Niederlande": givers named together.
COORDINATION_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*und|,?\s*sowie|,?\s*as well as)\s+"
                              r"(?:the\s+|die\s+|den\s+|der\s+)?")
STATE_BEFORE = re.compile(r"\b(?:government|republic|kingdom|state|people|president|prime minister|ministry|"
                          r"minister|embassy|parliament|armed forces) of (?:the )?$", re.I)
STATE_AFTER = re.compile(r"(?:'s|’s)\s+(?:government|president|prime minister|defen[cs]e|foreign|armed|ministry|"
                         r"parliament|military)", re.I)
LOCATION_BEFORE = re.compile(r"\b(?:in|at|from|near|visiting|visited|outside|to)\s+$", re.I)
# Between an item and its giver named after it: "... from (the)", "... supplied by", "von", "aus".
GIVER_AFTER = re.compile(r"\s*(?:[^\s,;:]+\s+){0,5}?(?:from|by|von|aus)\s+(?:the\s+|der\s+|den\s+|dem\s+)?", re.I)
PURCHASE = re.compile(r"\b(?:buy|buys|bought|purchas\w*|procur\w*|order\w*|kauf\w*|beschaff\w*)\b", re.I)
# "arrived in Poland", "a training centre in Romania": a country as a place. Lower case only, so
# that "In Germany, the government ..." still names the giver; "from Germany" often does too.
COUNTRY_LOCATION_BEFORE = re.compile(r"\b(?:in|at|near|inside)\s+(?:the\s+)?$")
# "will be procured from Kongsberg and delivered": the second participle shares the future.
FUTURE_AND_BEFORE = re.compile(r"\b(?:will|would|shall|is to|are to|to)\s+be\s+[^,.;]{0,70}\band\s+$", re.I)
GERMAN_FUTURE = re.compile(r"\b(?:wird|werden|soll|sollen)\b(?![^.]*\b(?:wurde|wurden|hat|haben)\b)", re.I)
FUTURE_BEFORE = re.compile(r"\b(?:will|would|to|shall|is to|are to|soon)\s+(?:(?:also|soon|then|now|still|only)\s+)?"
                           r"(?:be\s+)?$", re.I)
LOCAL_DOLLARS = {"CAN": "CAD", "AUS": "AUD", "NZL": "NZD"}  # a bare "$" in these donors' releases
BARE_DOLLAR = re.compile(r"^(?:\D*\s)?\$")  # "$1.2 billion", "about $40 million": no country before the sign
LOCAL_CROWNS = {"NOR": "NOK", "SWE": "SEK", "DNK": "DKK", "CZE": "CZK", "ISL": "ISK"}  # "1.1 billion kroner"
BARE_CROWNS = re.compile(r"(?<!norwegian )(?<!swedish )(?<!danish )(?<!czech )\b(?:crowns|kroner|kronor)$", re.I)
INSTITUTIONAL_PUBLISHER = re.compile(r"department|ministry|embassy|government|office|mission|defen[cs]e|"
                                     r"bundesregierung|ministerium|regierung|\.gov|gov\.", re.I)
SINCE = re.compile(r"\b(?:since|seit)\b", re.I)
PERFECT = re.compile(r"\b(?:has|have|had|hat|haben)\b[\w\s,’'-]{0,40}?\b(?:committed|provided|pledged|given|"
                     r"delivered|sent|spent|contributed|allocated|supplied|donated|zugesagt|geleistet|"
                     r"bereitgestellt)\b", re.I)
# Where the words after an amount stop being about it.
MONEY_AFTER_END = re.compile(r",|;|\s[—–-]\s|\s(?:and|und|which|that|das|die)\s")
PACKAGE_NAMED = re.compile(r"drawdown of|package", re.I)  # outweighs a bill named in the same sentence
MONTH_YEAR_AFTER = re.compile(rf"\s*(?:(?:early|late|mid)[\s-])?({'|'.join(MONTHS)})\.?\s+(\d{{4}})", re.I)
YEAR_AFTER = re.compile(r"\s*(?:the (?:start|beginning) of\s+)?((?:19|20)\d\d)\b")
PART_OF_BEFORE = re.compile(r"^\W*(?:including|of which|among them|darunter|davon)\b", re.I)
TOTAL_VERB = re.compile(r"\b(?:reach(?:es|ed)?|amounts? to|amounted to|stands? at|stood at|comes? to|"
                        r"beläuft sich auf|belaufen sich auf|beträgt)\b", re.I)
GERMAN_AUXILIARY = re.compile(r"\b(?:hat|haben)\b", re.I)
GERMAN_PARTICIPLE_AFTER = re.compile(r"^\W*(?:[\w.]+\s+){0,3}?(?:zugesagt|geleistet|bereitgestellt|geliefert|"
                                     r"zur verfügung gestellt)\b", re.I)
STRONG_PACKAGE_NOUN = re.compile(r"\b(?:package|drawdown|tranche|paket|unterstützungspaket)\b", re.I)
PACKAGE_NOUN = re.compile(r"\b(?:package|drawdown|tranche|assistance|aid|commitment|support|worth|valued|usai|pda|fmf|"
                          r"funding|funds|paket|unterstützungspaket|hilfe|wert|umfang)\b", re.I)
NEGATION_BEFORE = re.compile(r"\b(?:not|never|n't|noch nicht|nicht|yet to)\s+(?:\w+\s+){0,2}$", re.I)
MUNITION_PLATFORM_CATEGORIES = ("air_defense", "artillery", "rocket_artillery")
NOT_ITEM_CATEGORIES = ("financial", "humanitarian")  # money and relief are packages or support, not items
# "Ukraine's air defences", "Russian artillery": owned, not given. A name owns only with 's:
# in "give Ukraine Patriot systems" or "liefert der Ukraine Panzer" Ukraine receives them.
OWNER_GAP = re.compile(r"^(?:'s|’s)\s+(?:own\s+|existing\s+)?$")
ADJECTIVE_OWNER_GAP = re.compile(r"^\s+(?:own\s+|existing\s+)?$")
# Kinds of paragraph, tried in this order (captions are found by scrapers.extraction.segment.is_caption).
BLOCK_KINDS = (
    ("read_also", re.compile(r"^\W{0,3}(?:read also|read more|see also|related|lesen sie auch|mehr zum thema|"
                             r"auch interessant)\b", re.I)),
    ("list_item", re.compile(r"^[ \t]*[-•*–·▪]")),
    ("dateline", re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ .,'/-]{2,40}(?:\([^)]{1,20}\))?\s*[—–-]\s*\S.{0,40}$")),
)
