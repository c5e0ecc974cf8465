"""Pledge records from an article: who gives what, how much, in what state, said where.

The extractor reads sentence by sentence. In each sentence it finds donors, weapon systems
(from the taxonomy), money amounts and status cues, and ties items and amounts to the nearest
donor before them. A small context carries the donor, status and package of a release across
sentences and item lists. A last pass over the document merges repeats, names generic items
after the specific system a later sentence gives them, marks headline totals that are the sum
of stated parts, and keeps bare pledges of support only for donors with nothing more specific.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from scrapers.currency import fx_rates
from scrapers.dates import MONTHS, parse_date, resolve_relative
from scrapers.models import Article, PledgeRecord
from scrapers.numbers import (NUMBER, QUANTITY_WINDOW, Money, Quantity, find_money, find_rates, parse_number,
                              quantity_before)
from scrapers.phrases import Token, WordStartPattern, is_plain, remember_slice, remember_words, tokenize
from scrapers.reference import Lexicon, System, lexicon
from scrapers.text import Sentence, split_sentences

EXTRACTOR_VERSION = "rules-1"
MUNITION_NOUN = (r"(?:ammunition|munitions?|rounds|shells|rockets|missiles|interceptors|projectiles|"
                 r"munition|raketen|flugkörper|lenkflugkörper|granaten|patronen|geschosse|obus|roquettes)")
MUNITION_AFTER = re.compile(rf"^[\s\-]*(?:\([^)]{{1,15}}\)\s*)?{MUNITION_NOUN}\b", re.I)
MUNITION_FOR = WordStartPattern(rf"\b{MUNITION_NOUN}\s+(?:(?:for|für)\s+(?:[\w.\-’']+\s+){{0,3}}|"
                                rf"pour\s+(?:[\w.\-’']+\s+){{0,5}})$", re.I)  # fr: "munitions pour des lance-roquettes HIMARS"
MUNITION_FOR_NAMED = re.compile(rf"{MUNITION_NOUN}\s+(?:for|für)\b", re.I)  # "munitions for NASAMS" as one alias
CALIBRE = re.compile(r"(\d{2,3})\s?-?(?:mm|millimet(?:er|re)|millimètres?)\b")
ABBREVIATION_GAP = re.compile(r"\s*\([\"“«]?\s*")  # and its name in quotes: 'HIMARS ("High Mobility ...")'
ABBREVIATION_END = re.compile(r"\s*[\"”»]?\)")
CALIBRES_AFTER = re.compile(r"\s+(?:(?:mit|in|of)\s+(?:dem|den|der|the)\s+|im\s+|des\s+|der\s+)?"
                            r"(?:Kalibern?|calib(?:re|er)s?)\s+"
                            r"(?P<calibres>\d{2,3}(?:\s*(?:,|und|sowie|oder|and|or)\s*\d{2,3})*)\s*"
                            r"(?:mm|Millimeter|millimet(?:er|re)s?)\b", re.I)
CALIBRE_BEFORE = re.compile(r"(?P<calibre>\d{2,3})\s?-?(?P<unit>mm|millimet(?:er|re)|millimètres?)\s*"
                            r"(?:,|and|or|und|sowie|et|ou)\s*$", re.I)
GAP_BEFORE = re.compile(r"(?:\s+(?:each|in total|so far))?\s*,?\s*(?:and|while|whereas|und|,)\s+(?:the\s+)?", re.I)
GAP_COUNT = re.compile(rf"\s+(?P<num>{NUMBER})(?=\s*(?:[.,;]|and\b|und\b|$))", re.I)
LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|,?\s*und|,?\s*sowie|,?\s*as well as|,?\s*et|,?\s*ou|"
                      r",?\s*ainsi que)"
                      r"(?:\s+(?:for|für)(?:\s+(?:the|das|den|die|der))?)?\s*$", re.I)  # "... und für das"
# Two neighbours in a list: a separator, then perhaps a count or a word like "more" ("and 20 more").
LIST_SIBLINGS = re.compile(r"^\s*(?:[,;]\s*(?:and|or|as well as|plus|und|sowie|oder)?|and|or|as well as|plus|und|"
                           r"sowie|oder)\s+(?:(?:\d[\d,.]*|more|additional|further|other|new|several|some|"
                           r"hundreds|thousands|of|weitere|zusätzliche)\s+){0,3}$|"
                           r"^\s*(?:[,;]\s*(?:et|ou|ainsi que)?|et|ou|ainsi que)\s+(?:(?:\d[\d,.\s]*|des|de|d['’]|les|"
                           r"autres|nouveaux|nouvelles|plusieurs|plus)\s*){0,3}$", re.I)  # fr: "et des"
# "Panzerzugmaschinen und deren Auflieger, 16 Zetros-Lkw, 13 MAN TGS-Lkw": a list item that opens with its
# own count after a comma is a neighbour in the list, whatever stands before the comma.
COUNTED_SIBLING = re.compile(r"[,;]\s*(?:und\s+|and\s+|sowie\s+)?\d[\d.,]*\s+(?:[^\s,;]+\s*){0,2}$", re.I)
# "The remaining tanks will follow", "some of the missiles": a kind named without a count after
# "the" points back to items already counted, it is not one more.
BACK_REFERENCE_BEFORE = re.compile(r"\b(?:the|these|those|die|diese|dieser)\s+(?:(?:remaining|promised|other|same|"
                                   r"first|last|new|verbleibenden|zugesagten|übrigen|ersten|letzten)\s+)?$|"
                                   r"\b(?:its|their|seine[rn]?|ihre[rn]?)\s+$|"
                                   r"\b(?:les|ces|ce|cette|la|le|l['’])\s*(?:(?:autres|mêmes|premiers|premières|derniers)\s+)?$",
                                   re.I)  # fr
# A name with its own head noun ("Stryker armored personnel carriers", "Patriot systems") is a platform.
PLATFORM_NOUN_END = re.compile(r"\b(?:systems?|launchers?|batter(?:y|ies)|vehicles?|carriers?|tanks?|howitzers?|guns?|"
                               r"jets?|aircraft|helicopters?|radars?|units?|systeme?|panzer|fahrzeuge?)$", re.I)
# "artillery pieces", "air defence equipment": a category word with a head noun of its own.
CATEGORY_HEAD_NOUN_END = re.compile(r"\b(?:pieces?|equipment|weapons?|capabilit(?:y|ies)|assets?|means)$", re.I)
ABSORB_GAP = re.compile(r"^\)?[\s\-]*(?:\([^)]{1,15}\)[\s\-]*)?$")
# "Panzer vom Typ Leopard 2", "Fliegerfäuste des Typs Strela", "tanks of the type Leopard 1": a kind, then its model.
TYPE_GAP = re.compile(r"^\s+(?:vom|des|im|of the)\s+(?:\w+(?:en|eren)\s+)?(?:Typs?|Modells?|Musters?|type|model)\s+$",
                      re.I)
# "Fifteen Mine Resistant Ambush Protected (MRAP)": the count stands before the spelled-out name.
SPELLED_OUT_BEFORE = re.compile(r"(?:[A-Z][\w\-]*,?\s+){1,8}\($")
SPELLED_OUT_ENDS = ("(", "(\n")  # where SPELLED_OUT_BEFORE can end (`$` also stands before a last newline)
# "artillery coalition", "drone industry", "phone call": a system word used to name something else.
NOT_AN_ITEM_AFTER = re.compile(r"^[\s\-]*(?:coalitions?|initiative|framework|industry|production|producers?|"
                               r"manufacturers?|capability coalition|koalition|industrie|calls?|conversations?)\b", re.I)
# "NASAMS and munitions": a bare munition noun right after a platform, not "munitions for" another.
BARE_MUNITION_AFTER = re.compile(r"\)?\s*(?:and|as well as|plus|with|und|sowie)\s+(?:(?:its|their|the|related|associated|"
                                 r"additional|dazugehörige)\s+)?(?P<noun>ammunition|munitions|missiles|interceptors|shells|"
                                 r"munition|raketen)\b(?!\s+(?:for|für)\b)", re.I)
SHIP_VERB_BEFORE = re.compile(r"\b(?:to|will|would|can|could)\s+$|\b(?:on|by|aboard|via)\s+(?:[\w\-]+\s+(?:and|or)\s+)?$",
                              re.I)  # "to ship to Kyiv"; "in transit on aircraft and ships": carriers, not kit
SHIP_VERB_AFTER = re.compile(r"\s+(?:to|them|it|out)\b", re.I)
NEED_BEFORE = re.compile(r"\bneeds?\s+(?:for|of)\s+(?:more\s+|additional\s+|further\s+)?$", re.I)
REPLACEMENT_WORDS = ("replaced", "backfilled", "compensated", "exchange", "return")  # one is in every match
REPLACEMENT_BEFORE = re.compile(r"\b(?:replaced|backfilled|compensated)\s+(?:with|by)\s+(?:[\w\-’']+\s+){0,4}$|"
                                r"\bin (?:exchange|return) for\s+(?:[\w\-’']+\s+){0,4}$", re.I)
SUMMARY_NOUN_AFTER = re.compile(r"^[\s\-]*(?:aid|support|assistance|capabilit(?:y|ies)|needs|efforts?|hilfe|"
                                r"unterstützung|fähigkeiten)\b(?![\s\-]+(?:package|paket))", re.I)  # "drone aid package": drones
# "drone strikes", "Russia's missile and drone attacks": a weapon naming an attack, not something given.
ATTACK_AFTER = re.compile(r"^[\s\-]*(?:(?:,|and|or|und|oder)\s+[\w\-]+\s+)?(?:attacks?|strikes?|raids?|barrages?|"
                          r"assaults?|shelling|terror|threats?|angriffe?n?|angriffs?|attacken?|beschuss)\b", re.I)
CUMULATIVE_GIVING = re.compile(r"\b(?:has|have)\s+(?:(?:been|so far|already|also|continuously)\s+)+(?:providing|supplying|"
                               r"sending|delivering|giving|provided|supplied|sent|delivered|given|donated)\b", re.I)
TO_BEFORE = re.compile(r"\b(?:to|an|à)\s+(?:the\s+|die\s+|den\s+|la\s+|le\s+)?$", re.I)
SPEECH_INTRO = re.compile(r"\b(?:said|says|responded|replied|answered|added|stated|wrote|explained|told (?:\w+\s*){1,4}|"
                          r"sagte|erklärte|antwortete|a déclaré|a répondu)\W*:\s*$", re.I)
# "the partners", "both countries": givers named before, referred back to
DEFINITE_OTHERS = re.compile(r"\b(?:the|these|those|both|the two|the three)\s+(?:partners|donors|countries|nations|"
                             r"governments)\b", re.I)
MIN_PLEDGE_VALUE = 1000  # in the amount's own currency
RECIPIENT_BEFORE = re.compile(r"\b(?:among|amongst|between|to|for|unter|an)\s+(?:the\s+|die\s+)?$", re.I)
RECEIVED = re.compile(r"\b(?:(?:has|have|had)\s+(?:now\s+|already\s+|just\s+|recently\s+)?)?received\b", re.I)
COUNTED_WHOLE_GAP = re.compile(r"^\s*,?\s*(?:including|among them|such as|of which|darunter|davon)\b", re.I)
# "the G7-led ERA initiative", "a Danish-led coalition": who leads a scheme is not its giver.
LED_BY_AFTER = re.compile(r"[\-‑–]\s?(?:led|hosted|chaired|brokered|initiated|coordinated)\b", re.I)
# "Austin said Germany ...": a reporter. "France said it would ...": the giver speaking of itself.
REPORTING_AFTER = re.compile(r"(?:'s|’s)?,?\s+(?:\w+\s+){0,2}?(?:said|says|told|announced that|stated|noted|"
                             r"confirmed that|sagte|erklärte|teilte mit|"
                             r"a déclaré|a dit|a estimé|a indiqué|a précisé|a ajouté|a assuré|a affirmé|a rappelé)\b"
                             r"(?!,?\s+(?:that\s+|on \w+\s+)?(?:it|they|he|she|we|es|sie|er)\b)", re.I)
# Where a sentence joins two claims with a status each ("France will send SCALP, while Germany
# ruled out Taurus").
CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although|though|während|aber|doch|tandis que|alors que|mais)\b|"
                          r"\s(?:while|whereas)\s|\sbut\s(?!also\b)", re.I)
# "an IRIS-T SLM with missiles", "Patriot mit Lenkflugkörpern": the platform's own munitions.
WITH_GAP = re.compile(r"^\s+(?:with|mit)\s+(?:(?:its|their|den|dem|zugehörigen|passenden)\s+)?$", re.I)
# "90 weitere Panzer dieses Modells": the model named before. "Es umfasst ... 60 Lenkflugkörper": the
# munitions of the system named in the sentence before.
THIS_MODEL_AFTER = re.compile(r"\s+(?:(?:dieses|diesen|desselben)\s+(?:Typs|Modells|Musters)|"
                              r"of (?:this|that|the same) (?:type|model))\b", re.I)
IT_INCLUDES = re.compile(r"\W*(?:es|sie|it|they|(?:das|dieses|the|this) system)\s+(?:umfass\w*|enthält|enthalte|"
                         r"beinhalte\w*|include[sd]?|comprises?|consists? of)\b", re.I)
GIVER_LINE_LEFTOVER = re.compile(r"[\W\s]*(?:(?:and|und|sowie|the|die|der)\b[\W\s]*)*", re.I)  # bullets, commas, "and"
LIST_AND = re.compile(r"\b(?:and|und|sowie|as well as)\b", re.I)  # what makes "A, B and C" a list
# "Denmark and the Netherlands", "Schweden und die Niederlande": givers named together.
COORDINATION_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*und|,?\s*sowie|,?\s*as well as|,?\s*together with|"
                              r"\s(?:in Zusammenarbeit|zusammen|gemeinsam) mit)\s+"
                              r"(?:the\s+|die\s+|den\s+|der\s+)?|"
                              r"\s*(?:,|,?\s*et|,?\s*ainsi que)\s+(?:la\s+|le\s+|les\s+|l['’])?")  # fr
STATE_BEFORE = re.compile(r"\b(?:government|republic|kingdom|state|people|president|prime minister|ministry|"
                          r"minister|embassy|parliament|armed forces) of (?:the )?$", re.I)
STATE_AFTER = re.compile(r"(?:'s|’s)\s+(?:government|president|prime minister|defen[cs]e|foreign|armed|ministry|"
                         r"parliament|military)", re.I)
LOCATION_BEFORE = re.compile(r"\b(?:in|at|from|near|visiting|visited|outside|to|à|depuis|près de)\s+$", re.I)
# Between an item and its giver named after it: "... from (the)", "... supplied by", "von", "aus".
GIVER_AFTER = re.compile(r"\s*(?:[^\s,;:]+\s+){0,5}?(?:(?:from|by|von|aus)\s+(?:the\s+|der\s+|den\s+|dem\s+)?|"
                         r"(?:par|de la part de)\s+(?:la\s+|le\s+|les\s+|l['’])?)", re.I)  # fr: "promis par le Danemark"
PURCHASE = re.compile(r"\b(?:buy|buys|bought|purchas\w*|procur\w*|order\w*|kauf\w*|beschaff\w*|achat\w*|achet\w*|"
                      r"achèt\w*|command(?:e|es|é|ée|és|ées|er)|acqu[iéè]\w*)\b", re.I)
# "arrived in Poland", "a training centre in Romania": a country as a place. Lower case only, so
# that "In Germany, the government ..." still names the giver; "from Germany" often does too.
COUNTRY_LOCATION_BEFORE = re.compile(r"\b(?:in|at|near|inside)\s+(?:the\s+)?$|\b(?:en|au|aux|dans)\s+(?:l['’])?$")
# "will be procured from Kongsberg and delivered": the second participle shares the future.
FUTURE_AND_BEFORE = re.compile(r"\b(?:will|would|shall|is to|are to|to)\s+be\s+[^,.;]{0,70}\band\s+$", re.I)
GERMAN_FUTURE = re.compile(r"\b(?:wird|werden|soll|sollen|würde|würden)\b(?![^.]*\b(?:wurde|wurden|hat|haben)\b)",
                           re.I)
FUTURE_BEFORE = re.compile(r"\b(?:will|would|to|shall|is to|are to|soon)\s+(?:(?:also|soon|then|now|still|only)\s+)?"
                           r"(?:be\s+)?$|"
                           r"\b(?:sera|seront|serait|seraient|(?:va|vont|doit|doivent|devrait|devraient)\s+être)\s+"
                           r"(?:(?:aussi|également|bientôt|ensuite|donc|prochainement)\s+)?$", re.I)  # fr
LOCAL_DOLLARS = {"CAN": "CAD", "AUS": "AUD", "NZL": "NZD"}  # a bare "$" in these donors' releases
BARE_DOLLARS = re.compile(r"\bd(?:e |['’])\s?dollars$", re.I)  # fr: Ottawa's "500 millions de dollars"
LOCAL_CROWNS = {"NOR": "NOK", "SWE": "SEK", "DNK": "DKK", "CZE": "CZK", "ISL": "ISK"}  # "1.1 billion kroner"
BARE_CROWNS = re.compile(r"(?<!norwegian )(?<!swedish )(?<!danish )(?<!czech )\b(?:crowns|kroner|kronor)$", re.I)
INSTITUTIONAL_PUBLISHER = re.compile(r"department|ministry|embassy|government|office|mission|defen[cs]e|"
                                     r"bundesregierung|ministerium|regierung|\.gov|gov\.|"
                                     r"ministère|gouvernement|élysée|ambassade|\.gouv", re.I)
SINCE = re.compile(r"\b(?:since|seit|depuis)\b", re.I)
PERFECT = re.compile(r"\b(?:has|have|had|hat|haben)\b[\w\s,’'-]{0,40}?\b(?:committed|provided|pledged|given|"
                     r"delivered|sent|spent|contributed|allocated|supplied|donated|zugesagt|geleistet|"
                     r"bereitgestellt)\b|"
                     r"\b(?:a|ont|avait|avaient)\b[\w\s,’'-]{0,40}?\b(?:engagé|fourni|livré|donné|consacré|alloué|versé|"
                     r"débloqué|promis|apporté)\b", re.I)  # fr
CONVERSION_AFTER = re.compile(r"^\s*\([^)]{0,60}\)")
PART_OF_BEFORE = re.compile(r"^\W*(?:including|of which|among them|darunter|davon)\b", re.I)
TOTAL_VERB = re.compile(r"\b(?:reach(?:es|ed)?|amounts? to|amounted to|stands? at|stood at|comes? to|"
                        r"beläuft sich auf|belaufen sich auf|beträgt|s['’]élève(?:nt)? à|atteint|atteignent|représente)\b", re.I)
GERMAN_AUXILIARY = re.compile(r"\b(?:hat|haben)\b", re.I)
GERMAN_PARTICIPLE_AFTER = re.compile(r"^\W*(?:[\w.]+\s+){0,3}?(?:zugesagt|geleistet|bereitgestellt|geliefert|"
                                     r"zur verfügung gestellt)\b", re.I)
ONE_PACKAGE_NOUN = re.compile(r"\b(?:package|tranche|drawdown|shipment|consignment|supply|batch|paket|lieferung)\b",
                              re.I)
PACKAGE_TOTAL_WORD = re.compile(r"\b(?:total|totall?ing|altogether|insgesamt)\b", re.I)  # not "collectively", "so far"
RUNNING_TOTAL_VERB = re.compile(r"\b(?:bring\w*|brought|rais\w*|lift\w*|push\w*|increas\w*|cumulative\w*|"
                                r"overall|collectively|together|bisher|bislang)\b", re.I)
STRONG_PACKAGE_NOUN = re.compile(r"\b(?:package|drawdown|tranche|\w*paket(?:e|en|s)?|enveloppe|paquet)\b", re.I)  # "Hilfspaket"
PACKAGE_NOUN = re.compile(r"\b(?:package|drawdown|tranche|assistance|aid|commitment|support|worth|valued|usai|pda|fmf|"
                          r"funding|funds|\w*paket(?:e|en|s)?|\w*hilfen?|wert|umfang|volumen|"
                          r"enveloppe|paquet|aide|soutien|valeur|montant|financement)\b", re.I)
NEGATION_BEFORE = re.compile(r"\b(?:not|never|n't|noch nicht|nicht|yet to|pas|jamais)\s+(?:\w+\s+){0,2}$", re.I)
# "hat bislang keine Taurus-Marschflugkörper geliefert": German negates the object, the verb comes last.
GERMAN_NO_BEFORE = re.compile(r"\bkein(?:e|en|er|em)?\s+(?:[\w-]+\s+){1,4}$", re.I)
MODAL_BEFORE = re.compile(r"\b(?:can|could|may|might|must|should)\s+(?:(?:also|still|then|now|quickly)\s+)?(?:be\s+)?$",
                          re.I)  # "ammunition that can be sent quickly": not sent yet
MUNITION_PLATFORM_CATEGORIES = ("air_defense", "artillery", "rocket_artillery")
GROUPS_WITH_OWN_FUNDS = ("EU",)  # a group whose money is its own package (the EPF, MFA tranches)
CATCH_ALL_ITEM = "military_equipment"  # "military equipment", "defence hardware": any item at all
NOT_ITEM_CATEGORIES = ("financial", "humanitarian")  # money and relief are packages or support, not items
# "Ukraine's air defences", "Russian artillery": owned, not given. A name owns only with 's:
# in "give Ukraine Patriot systems" or "liefert der Ukraine Panzer" Ukraine receives them.
OWNER_GAP = re.compile(r"^(?:'s|’s)\s+(?:own\s+|existing\s+)?$")
ADJECTIVE_OWNER_GAP = re.compile(r"^\s+(?:own\s+|existing\s+)?$")


@dataclass
class SystemMention:
    system: System
    start: int
    end: int
    quantity: Quantity | None = None


@dataclass
class DonorMention:
    code: str
    start: int
    end: int
    is_adjective: bool = False


@dataclass
class Context:
    """What the article has established so far."""

    donor: str | None = None
    status: str = "pledged"
    package_index: int | None = None
    list_paragraph: int | None = None  # paragraph index after an intro ending in ':'
    last_system: System | None = None  # the last named (not generic) platform: "dieses Modells", "Es umfasst"
    joint_givers: list[str] = field(default_factory=list)  # the last givers named together ("Luxembourg and Iceland")


@dataclass
class Draft:
    """Records of one document before the document-level pass."""

    records: list[PledgeRecord] = field(default_factory=list)
    loose_specifics: list[tuple[System, int, int]] = field(default_factory=list)  # (system, quantity, position)


def extract_records(article: Article) -> list[PledgeRecord]:
    """All pledge records of an article, in reading order."""
    lex = lexicon()
    language = next((code for code in ("de", "fr") if (article.language or "").startswith(code)), "en")
    sentences = [s for s in split_sentences(article.text) if not s.is_caption]
    tokens = [tokenize(s.text) for s in sentences]
    words = [[t[0] for t in sentence_tokens] for sentence_tokens in tokens]
    parties = [find_parties(s.text, lex, t, w) for s, t, w in zip(sentences, tokens, words)]
    context = Context(donor=_publisher_donor(article.publisher, lex) or _dominant_donor(parties, lex))
    draft = Draft()
    for sentence, sentence_tokens, sentence_words, sentence_parties in zip(sentences, tokens, words, parties):
        _read_sentence(sentence, sentence_tokens, sentence_words, sentence_parties, article, language, context,
                       draft, lex)
    records = _without_background(_resolve_document(draft, _headline_end(article, sentences)), lex)
    for record in records:
        # A total is as of the day it is reported; a pledge dates from the day the sentence gives.
        said_on = None if record.kind == "aggregate" else resolve_relative(record.sentence, article.published_date)
        record.announced_date = said_on or article.published_date
        if record.value is not None and record.currency:
            rates = fx_rates(record.currency, record.announced_date)
            if rates is not None:
                record.fx_rate_usd, record.fx_rate_eur, record.fx_date = rates.usd, rates.eur, rates.on
                record.value_usd = round(record.value * rates.usd, 2)
                record.value_eur = round(record.value * rates.eur, 2)
    return records


# --- finding things in a sentence -----------------------------------------------------------

def find_parties(text: str, lex: Lexicon, tokens: list[Token] | None = None,
                 words: list[str] | None = None) -> list[DonorMention]:
    """Every donor, group, recipient or aggressor named in the text, places excepted."""
    mentions = []
    for m in lex.parties.find(text, tokens, words):
        if m.value.is_capital and LOCATION_BEFORE.search(text[max(0, m.start - 15):m.start]):
            continue  # "leaders meeting in Washington": a place, not the U.S. government
        if not m.value.is_capital and m.value.code not in lex.groups and \
                COUNTRY_LOCATION_BEFORE.search(text[max(0, m.start - 15):m.start]):
            continue
        if m.value.needs_context and not (STATE_BEFORE.search(text[max(0, m.start - 40):m.start]) or
                                          STATE_AFTER.match(text, m.end)):
            continue  # "Jordan said", "Georgia" the state: not the country unless the text says so
        mentions.append(DonorMention(m.value.code, m.start, m.end, m.value.is_adjective))
    return mentions


def find_donors(text: str, lex: Lexicon, parties: list[DonorMention] | None = None) -> list[DonorMention]:
    """The parties that can give: Ukraine, Russia and their like are never donors, and one who
    only reports ("Austin said Germany agreed ...") gives way to the party reported on."""
    parties = find_parties(text, lex) if parties is None else parties
    donors = [p for p in parties if p.code not in lex.never_donors and not LED_BY_AFTER.match(text, p.end)]
    reported = [d for d in donors if not REPORTING_AFTER.match(text, d.end)]
    return reported if reported and len(reported) < len(donors) else donors


def _munition_for(platform: System, lex: Lexicon) -> System:
    if platform.is_munition:
        return platform
    known = lex.munition_of.get(platform.system_id)
    if known:
        return known
    # A platform without munitions of its own in the taxonomy takes its category's generic ones.
    generic = [s for s in lex.systems.values() if s.is_munition and s.generic and s.category == platform.category]
    linked = [s for s in generic if s.parent_system_id]
    return (linked or generic or [platform])[0]


def find_systems(text: str, language: str, lex: Lexicon, tokens: list[Token] | None = None,
                 parties: list[DonorMention] | None = None, words: list[str] | None = None) -> list[SystemMention]:
    """Weapon systems named in a sentence, with the munition grammar and counts applied."""
    if tokens is None:
        tokens, words = tokenize(text), None  # `words` go with the tokens they were taken from
    parties = find_parties(text, lex, tokens, words) if parties is None else parties
    spans = [(m.start, m.end, m.value) for m in lex.systems_exact.find(text, tokens, words)]
    for m in lex.systems_folded_in.get(language, lex.systems_folded).find(text, tokens, words):
        overlapping = [span for span in spans if m.start < span[1] and span[0] < m.end]
        if all((value is m.value or (value.generic and not m.value.generic)) and m.start <= s and e <= m.end
               for s, e, value in overlapping):
            # "HARM missiles": the acronym's longer alias spans the whole name; "Puma UAS": a named
            # system whose name holds a generic acronym is that system
            spans = [span for span in spans if span not in overlapping] + [(m.start, m.end, m.value)]
    if language == "de":  # "Strom- und Wärmeerzeuger": the first compound, its head left out
        spans += [(m.start, m.end, m.value) for m in lex.systems_folded.find_elided(text)
                  if not any(m.start < e and s < m.end for s, e, _ in spans)]
    spans += _calibre_shorthands(text, spans, lex)
    spans = _calibres_written_out(text, spans, lex)
    spans.sort(key=lambda span: span[0])
    mentions: list[SystemMention] = []
    chain_is_munition = False
    for start, end, system in spans:
        previous = mentions[-1] if mentions else None
        gap = text[previous.end:start] if previous else ""
        closing = ABBREVIATION_END.match(text, end) if previous and ABBREVIATION_GAP.fullmatch(gap) else None
        if closing:
            if previous.system.generic and not system.generic:
                previous.system = system  # "Geländewagen (Carrier Warthog)": the kind, then its model
            previous.end = closing.end()  # "High Mobility Artillery Rocket Systems (HIMARS)": an abbreviation
            continue
        # "Cheetah anti-aircraft systems", "IRIS-T SLM air defence system": one thing, named twice.
        if previous and TYPE_GAP.match(gap) and (previous.system.generic or previous.system is system):
            # "Munition für Mehrfachraketenwerfer vom Typ Himars": the munition of the model
            previous.system = _munition_for(system, lex) if previous.system.is_munition else system
            previous.end = end
            continue
        if previous and ABSORB_GAP.match(gap) and (previous.system.generic != system.generic):
            if previous.system.generic:
                previous.system = system
            previous.end = end
            continue
        if previous and previous.system.generic and system.generic and not previous.system.is_munition and \
                not system.is_munition and re.fullmatch(r"[\s\-]*", gap):
            # "counter-drone electronic warfare systems": a generic word modifying the generic head after it
            previous.system, previous.end = system, end
            continue
        if NOT_AN_ITEM_AFTER.match(text[end:end + 30]) or ATTACK_AFTER.match(text[end:end + 40]):
            continue
        if text[start:end].lower() in ("ship", "ships") and (SHIP_VERB_BEFORE.search(text[max(0, start - 30):start])
                                                          or SHIP_VERB_AFTER.match(text, end)):
            continue  # "weapons to ship to Kyiv": the verb, not a vessel
        window = text[max(0, start - 70):start].lower()
        if "need" in window and NEED_BEFORE.search(window):
            continue  # "in response to its very urgent needs for demining": a need, not an item
        if any(word in window for word in REPLACEMENT_WORDS) and REPLACEMENT_BEFORE.search(window):
            continue  # "replaced with more modern German armored vehicles": what the giver gets back
        if system.generic and SUMMARY_NOUN_AFTER.match(text[end:end + 30]):
            continue  # "expanded air defence aid", "more air defense capabilities": a kind of help, no item
        if _owned_by_non_donor(text, start, parties, lex):
            continue  # "Ukraine's air defences", "Russian artillery": not something given
        munitions_for = _munitions_for_before(text, start) or \
            bool(MUNITION_FOR_NAMED.match(text[start:end]))
        if chain_is_munition and previous and LIST_GAP.match(gap):
            munitions_for = True  # "munitions for NASAMS and Patriot": both take munitions
        chain_is_munition = munitions_for
        if not system.is_munition and (munitions_for or (MUNITION_AFTER.match(text[end:end + 30]) and (
                system.system_id in lex.munition_of or system.category in MUNITION_PLATFORM_CATEGORIES))):
            system = _munition_for(system, lex)
        if previous and system.generic and system.is_munition and not previous.system.is_munition \
                and previous.system.system_id in lex.munition_of and WITH_GAP.match(gap):
            system = lex.munition_of[previous.system.system_id]  # "ein Iris-T SLM mit Lenkflugkörpern"
        if system.category in NOT_ITEM_CATEGORIES:
            continue
        mentions.append(SystemMention(system, start, end))
    for before, after in zip(mentions, mentions[1:]):
        # "Patriot and NASAMS interceptors": the bare name before shares the munition noun
        if (not before.system.is_munition and not before.system.generic
                and before.system.system_id in lex.munition_of
                and after.system.is_munition and after.system.parent_system_id
                and LIST_GAP.match(text[before.end:after.start])
                and not PLATFORM_NOUN_END.search(text[before.start:before.end])):
            before.system = lex.munition_of[before.system.system_id]
        elif (before.system.generic and not before.system.is_munition and after.system.is_munition
              and before.system.category in MUNITION_PLATFORM_CATEGORIES
              and LIST_GAP.match(text[before.end:after.start])
              and not PLATFORM_NOUN_END.search(text[before.start:before.end])
              and not CATEGORY_HEAD_NOUN_END.search(text[before.start:before.end])):
            before.system = _munition_for(before.system, lex)  # "air defense and artillery munitions"
    mentions = _with_bare_munitions(mentions, text, lex)
    for mention in mentions:
        prefix = text[:mention.start]
        if mention.system.is_munition and _munitions_for_before(text, mention.start):
            # "200,000 rounds of ammunition for Gepard": the count stands before the munition noun
            prefix = prefix[:MUNITION_FOR.search(text[max(0, mention.start - 60):mention.start]).start() +
                            max(0, mention.start - 60)]
        remember_slice(text, max(0, len(prefix) - QUANTITY_WINDOW), len(prefix))  # the words it reads
        mention.quantity = quantity_before(prefix, language)
        if mention.quantity is None and prefix.endswith(SPELLED_OUT_ENDS) and SPELLED_OUT_BEFORE.search(prefix):
            head = prefix.rstrip()[:-1]
            for _ in range(8):  # drop the capitalised words of the spelled-out name one by one
                head = re.sub(r"[A-Z][\w\-]*,?\s*$", "", head.rstrip()) + " "
                mention.quantity = quantity_before(head, language)
                if mention.quantity or not re.search(r"[A-Z][\w\-]*,?\s*$", head.rstrip()):
                    break
    mentions = [m for m in mentions if not (m.system.generic and m.quantity is None and
                                            BACK_REFERENCE_BEFORE.search(text[max(0, m.start - 40):m.start]))]
    return _without_described_generics(_without_catch_all(mentions), text)


def _with_bare_munitions(mentions: list[SystemMention], text: str, lex: Lexicon) -> list[SystemMention]:
    """'NASAMS and munitions', 'artillery systems and ammunition', 'a Harpoon launcher and missiles':
    the bare munition noun after a platform is that platform's munition."""
    result = []
    for n, mention in enumerate(mentions):
        result.append(mention)
        if mention.system.is_munition:
            continue
        bare = BARE_MUNITION_AFTER.match(text, mention.end)
        if not bare:
            continue
        munition = _munition_for(mention.system, lex)
        if not munition.is_munition:
            continue
        following = mentions[n + 1] if n + 1 < len(mentions) else None
        if following is not None and following.start < bare.end():
            if following.start == bare.start("noun") and following.system.generic and (
                    following.system.is_munition or following.system.category in ("missiles", munition.category)):
                following.system = munition  # "missiles" after "Harpoon launcher": Harpoon missiles
            continue
        result.append(SystemMention(munition, bare.start("noun"), bare.end()))
    return result


def _without_catch_all(mentions: list[SystemMention]) -> list[SystemMention]:
    """'Military equipment', 'defence hardware': a word that sums up a package, not an item of it."""
    return [m for m in mentions if m.system.system_id != CATCH_ALL_ITEM]


def _without_described_generics(mentions: list[SystemMention], text: str) -> list[SystemMention]:
    """A generic item next to a named system of its category and kind, and not its neighbour in
    a list, describes that system ("SCALP long-range cruise missiles", "air defence systems, most
    of them Patriot batteries", "rockets for HIMARS"): one item, not two. In a list ("HARMs and
    precision aerial munitions") both stay."""
    if len(mentions) < 2 or all(not m.system.generic for m in mentions) or all(m.system.generic for m in mentions):
        return mentions
    kept = []
    for n, mention in enumerate(mentions):
        if mention.system.generic:
            neighbours = [other for other in mentions[max(0, n - 1):n + 2]
                          if not other.system.generic and other.system.category == mention.system.category
                          and other.system.is_munition == mention.system.is_munition]
            if mention.quantity and any(o.start > mention.end and o.quantity is None and
                                        COUNTED_WHOLE_GAP.match(text[mention.end:o.start]) for o in neighbours):
                kept.append(mention)  # "nearly 400 tanks, including T-72s and PT-91s": the only count is the whole's
                continue
            counted = bool(mention.quantity and mention.quantity.value)
            if any(not _list_siblings(text[min(mention.end, o.end):max(mention.start, o.start)], counted)
                   for o in neighbours):
                continue
        kept.append(mention)
    return kept


def _list_siblings(gap: str, counted: bool = False) -> bool:
    """Whether two names with `gap` between them are neighbours in a list, not one the other's
    description. A counted kind far from the name ("einem IRIS-T SLM [its name spelled out] sowie mit
    zehn Drohnenabwehrkanonen") is an item of its own."""
    return bool(LIST_SIBLINGS.match(gap) or COUNTED_SIBLING.search(gap) or
                (counted and len(gap.split()) > 6))


def _munitions_for_before(text: str, start: int) -> bool:
    """'munitions for' a few words before `start`: MUNITION_FOR, looked for only where 'for' or
    'für' is written."""
    window = text[max(0, start - 60):start]
    if is_plain(window):
        lowered = window.lower()
        if "for" not in lowered and "für" not in lowered and "pour" not in lowered:
            return False
    return bool(MUNITION_FOR.search(window))


def _calibres_written_out(text: str, spans: list[tuple[int, int, System]], lex: Lexicon) -> list[tuple]:
    """'Artilleriemunition mit den Kalibern 155 und 105 Millimeter', 'artillery ammunition of 155
    and 105 mm calibre': the generic munition is the named calibres' ammunition, one item each."""
    result = []
    for start, end, system in spans:
        written = CALIBRES_AFTER.match(text, end) if system.generic and system.is_munition else None
        named = []
        for m in re.finditer(r"\d{2,3}", written.group("calibres")) if written else ():
            found = (lex.systems_folded.find(f"{m[0]}mm {system.canonical_name}") or
                     lex.systems_folded.find(f"{m[0]}mm ammunition"))
            if found and found[0].start == 0 and found[0].value.is_munition:
                at = written.start("calibres")
                named.append((at + m.start(), at + m.end(), found[0].value))
        if named:
            result.append((start, end, named[0][2]))
            result.extend(named[1:])
        else:
            result.append((start, end, system))
    return sorted(result, key=lambda span: span[0])


def _calibre_shorthands(text: str, spans: list[tuple[int, int, System]], lex: Lexicon) -> list[tuple]:
    """'155mm and 105mm artillery ammunition': the first calibre takes the noun of the second."""
    extra = []
    for start, _, system in spans:
        calibre = CALIBRE.match(text[start:])
        if not calibre or not system.is_munition:
            continue
        noun = text[start + calibre.end():start + 60]
        for m in CALIBRE_BEFORE.finditer(text[max(0, start - 40):start]):
            named = lex.systems_folded.find(m.group("calibre") + "mm" + noun)
            if named and named[0].start == 0 and named[0].value is not system:
                offset = max(0, start - 40)
                extra.append((offset + m.start(), offset + m.end("unit"), named[0].value))
    return extra


def _owned_by_non_donor(text: str, start: int, parties: list[DonorMention], lex: Lexicon) -> bool:
    return any(p.code in lex.never_donors and p.end <= start and
               (ADJECTIVE_OWNER_GAP if p.is_adjective else OWNER_GAP).match(text[p.end:start])
               for p in parties)


def _resolve_back_references(text: str, systems: list[SystemMention], context: Context,
                             lex: Lexicon) -> None:
    """A generic item that points back to the platform named last: "Panzer dieses Modells" is that
    model; in "Es umfasst ... 60 Lenkflugkörper" the missiles are that system's munitions."""
    last = context.last_system
    if last is not None:
        pronoun_list = IT_INCLUDES.match(text)
        for mention in systems:
            if not mention.system.generic:
                continue
            if not mention.system.is_munition and mention.system.category == last.category and \
                    THIS_MODEL_AFTER.match(text, mention.end):
                mention.system = last
            elif pronoun_list and mention.system.is_munition and last.system_id in lex.munition_of and \
                    mention.system.category in (last.category, "missiles"):
                mention.system = lex.munition_of[last.system_id]
    named = [m.system for m in systems if not m.system.generic and not m.system.is_munition]
    if named:
        context.last_system = named[-1]


def _german_no_before(text: str, at: int) -> bool:
    window = text[max(0, at - 70):at]
    return "kein" in window.lower() and bool(GERMAN_NO_BEFORE.search(window))


def _status_of(text: str, lex: Lexicon) -> tuple[str | None, int]:
    """The sentence's status and where its first cue stands. Rejection outranks delivery and
    delivery outranks a pledge; each is scanned for on its own, so a pledge cue cannot hide a
    rejection inside it ("wird keine Kampfjets liefern"). A negated delivery is none, a future
    one ("will be handed over") is a pledge."""
    cues = lex.cues["status"]
    pledges = [m.start() for m in cues["pledged"].finditer(text)]
    for status in ("rejected", "delivered"):
        for m in cues[status].finditer(text):
            before = text[max(0, m.start() - 25):m.start()]
            if status == "delivered" and (NEGATION_BEFORE.search(before) or _german_no_before(text, m.start())):
                continue
            if status == "delivered" and (FUTURE_BEFORE.search(before) or MODAL_BEFORE.search(before) or
                                          GERMAN_FUTURE.search(text[:m.start()])
                                          or FUTURE_AND_BEFORE.search(text[max(0, m.start() - 90):m.start()])):
                pledges.append(m.start())
                continue
            return status, min([m.start(), *pledges])
    pledges = [p for p in pledges
               if not NEGATION_BEFORE.search(text[max(0, p - 25):p]) and not _german_no_before(text, p)]
    return ("pledged", min(pledges)) if pledges else (None, -1)


def _since_date(text: str, published: date | None, lex: Lexicon) -> date | None:
    m = SINCE.search(text)
    if not m:
        return None
    window = text[m.end():m.end() + 90]
    best = None
    for pattern, value in lex.cues["since"]:
        found = pattern.search(window)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), value)
    if best:
        return best[1]
    full = parse_date(window[:40])
    if full:
        return full
    month_year = re.match(rf"\s*(?:(?:early|late|mid)[\s-])?({'|'.join(MONTHS)})\.?\s+(\d{{4}})", window, re.I)
    if month_year:
        return date(int(month_year.group(2)), MONTHS[month_year.group(1).lower()], 1)
    year = re.match(r"\s*(?:the (?:start|beginning) of\s+|(?:le\s+)?début\s+(?:de\s+l['’]année\s+)?)?"
                    r"((?:19|20)\d\d)\b", window)  # fr: "depuis début 2022"
    if year:
        return date(int(year.group(1)), 1, 1)
    return None


def _publisher_donor(publisher: str | None, lex: Lexicon) -> str | None:
    if not publisher or not INSTITUTIONAL_PUBLISHER.search(publisher):
        return None
    donors = find_donors(publisher, lex)
    return donors[0].code if donors else None


def _local_currency(money: Money, donor: str) -> Money:
    if money.currency == "USD" and donor in LOCAL_DOLLARS and (re.match(r"^(?:\D*\s)?\$", money.text) or
                                                               BARE_DOLLARS.search(money.text)):
        return replace(money, currency=LOCAL_DOLLARS[donor])
    if donor in LOCAL_CROWNS and BARE_CROWNS.search(money.text):
        return replace(money, currency=LOCAL_CROWNS[donor])
    return money


def _coordinated_donors(position: int, donors: list[DonorMention], text: str) -> list[str]:
    """'delivered by Denmark and the Netherlands': the other givers named with the donor."""
    before = [d for d in donors if d.end <= position]
    group = before[-1:] if before else donors[:1]
    if not group:
        return []
    chain = [group[0]]
    ordered = sorted(donors, key=lambda d: d.start)
    index = ordered.index(group[0])
    for step in (-1, 1):
        i = index
        while 0 <= i + step < len(ordered):
            a, b = (ordered[i + step], ordered[i]) if step < 0 else (ordered[i], ordered[i + step])
            if not COORDINATION_GAP.fullmatch(text[a.end:b.start]):
                break
            chain.append(ordered[i + step])
            i += step
    return [d.code for d in chain[1:] if d.code != chain[0].code]


def _dominant_donor(parties: list[list[DonorMention]], lex: Lexicon) -> str | None:
    """The country a page is about, when one has most of its country mentions: the fallback for
    sentences that name no donor ("The package includes ..."), wherever they stand. Groups are
    left out: a readout of the Contact Group names it often, but its items are members' pledges."""
    counts = Counter(p.code for sentence in parties for p in sentence
                     if p.code not in lex.never_donors and p.code not in lex.groups)
    if not counts:
        return None
    code, count = counts.most_common(1)[0]
    return code if count >= 2 and count * 2 > sum(counts.values()) else None


def _gapped_donors(mention: SystemMention, donors: list[DonorMention], text: str,
                   language: str) -> list[tuple[str, int]]:
    """'Denmark has committed 19 F-16s and the Netherlands 24': the item again, for another donor
    and count, with the verb and noun left out."""
    found = []
    position = mention.end
    for donor in (d for d in donors if d.start >= mention.end):
        if not GAP_BEFORE.fullmatch(text[position:donor.start]):
            break
        count = GAP_COUNT.match(text, donor.end)
        if not count:
            break
        value = parse_number(count.group("num"), language)
        if value:
            found.append((donor.code, int(value)))
        position = count.end()
    return found


def _giver_named_after(mention: SystemMention, donors: list[DonorMention], text: str) -> DonorMention | None:
    """'Patriot batteries from the United States', 'will be supplied by Canada': the giver named
    after the item. Not where the sentence buys from someone ('Germany will buy Patriots from the
    United States for Ukraine'): the buyer gives."""
    for donor in donors:
        if donor.start >= mention.end:
            if GIVER_AFTER.fullmatch(text[mention.end:donor.start]) and not PURCHASE.search(text[:donor.start]):
                return donor
            return None
    return None


def _donor_at(position: int, donors: list[DonorMention]) -> str | None:
    before = [d for d in donors if d.end <= position]
    if before:
        return before[-1].code
    return donors[0].code if donors else None


# --- one sentence ---------------------------------------------------------------------------

def _read_sentence(sentence: Sentence, tokens: list[Token], words: list[str], parties: list[DonorMention],
                   article: Article, language: str, context: Context, draft: Draft, lex: Lexicon) -> None:
    text = sentence.text
    cues = lex.cues
    remember_words(text, tokens)  # for the cue lists, which all read this sentence
    donors = find_donors(text, lex, parties)
    systems = find_systems(text, language, lex, tokens, parties, words)
    _resolve_back_references(text, systems, context, lex)
    amounts = find_money(text, language, words)
    in_list = context.list_paragraph is not None and sentence.paragraph > context.list_paragraph
    if in_list and len(text) > 260:
        context.list_paragraph = None
        in_list = False
    if not systems and not amounts and not donors:  # nothing to record; most sentences end here
        if text.rstrip().endswith(":"):
            _open_list(sentence, _status_of(text, lex)[0], context)
        return
    status, cue_at = _status_of(text, lex)
    inclusion = bool(cues["inclusion"].search(text))
    if status != "rejected" and _for_a_third_country(text, parties, donors, lex):
        _remember_loose(systems, draft, sentence)
        return
    if status == "delivered" and _giver_receives(text, parties, lex):
        _remember_loose(systems, draft, sentence)
        return
    giver_line = in_list and status is None and _giver_line_end(text, donors)
    if giver_line:  # "• Netherlands: €200 million for drone interceptors" under "Pledges include:"
        status, cue_at = context.status, giver_line

    if status != "rejected" and _in_context_that_is_not_giving(text, systems, amounts, cues["not_pledge_context"],
                                                              status, cue_at):
        _remember_loose(systems, draft, sentence)
        return
    if status == "pledged":
        request = cues["not_a_pledge"].search(text)
        if request and request.start() < cue_at:
            return
    if status is None and not in_list and not inclusion:
        _remember_loose(systems, draft, sentence)
        _read_totals(sentence, article, amounts, donors, context, draft, lex)
        if text.rstrip().endswith(":"):
            _open_list(sentence, status, context)
        return

    # "Allies have sent ...", "Austin said allies had supplied ...": others give, unnamed.
    referred = _referred_givers(text, cue_at, donors, context)
    if cues["other_parties"].search(text[:max(cue_at, 0)]) and not referred:
        reporters = [d for d in donors if REPORTING_AFTER.match(text, d.end)]
        subject_from = reporters[-1].end if donors and len(reporters) == len(donors) else 0
        if (not donors or subject_from) and cues["other_parties"].search(text[subject_from:max(cue_at, 0)]):
            return
    sentence_status = status or context.status
    new_records: list[PledgeRecord] = []

    def record(**fields) -> PledgeRecord:
        made = PledgeRecord(sentence=text, span_start=sentence.start, span_end=sentence.end,
                            confidence=_confidence(bool(donors), status is not None), **fields)
        new_records.append(made)
        return made

    new_records.extend(_money_records(sentence, article, amounts, donors, context, lex, status, verbless=False,
                                      listed=bool(giver_line)))
    packages = [r for r in new_records if r.kind == "package"]
    package_in_sentence = packages[-1] if packages else None

    if any(r.kind == "aggregate" for r in new_records) and package_in_sentence is None:
        systems = []  # what a cumulative total was spent on, not new items
    if SINCE.search(text) and CUMULATIVE_GIVING.search(text):
        # "Since the invasion, Poland has been providing weapons such as armored vehicles and
        # helicopters": kinds named to sum up years of aid, not items; counted ones stay
        systems = [m for m in systems if not m.system.generic or m.quantity is not None]
    rates = find_rates(text, language)
    requests = [m.end() for m in cues["not_a_pledge"].finditer(text)]
    # A pledge outranks nothing, so only a sentence that delivers or refuses can mix statuses.
    clause_statuses = _clause_statuses(text, lex) if status in ("delivered", "rejected") else []
    for mention in systems:
        giver_after = _giver_named_after(mention, donors, text)
        donor = giver_after.code if giver_after else _donor_at(mention.start, donors) or (
            referred[0] if referred else context.donor)
        if donor is None:
            continue
        item_status = next((s for start, end, s in clause_statuses if start <= mention.start < end), sentence_status)
        if status != "rejected" and any(max(cue_at, 0) < r <= mention.start for r in requests):
            continue  # "Germany will send a Patriot as Kyiv pleads for air defence": asked for, not given
        quantity = mention.quantity
        if rates and (quantity is None or quantity.value is None) and mention.system.is_munition:
            quantity = min(rates, key=lambda r: abs(r[0] - mention.start))[1]
        elif rates and quantity is not None:
            same = [rate for _, rate in rates if rate.value == quantity.value]
            quantity = same[0] if same else quantity  # "4,000 155mm shells a month": the count is a rate
        package_index = None
        if package_in_sentence is not None and package_in_sentence.donor_code == donor:
            package_index = -1  # resolved below to the package's index
        elif (inclusion or in_list) and context.package_index is not None:
            package_index = context.package_index
        for partner in _coordinated_donors(giver_after.end if giver_after else mention.start, donors, text) + \
                referred[1:]:
            record(kind="item", donor_code=partner, status=item_status, system_id=mention.system.system_id,
                   system_name=mention.system.canonical_name, category=mention.system.category,
                   is_munition=mention.system.is_munition)
        item = record(kind="item", donor_code=donor, status=item_status, system_id=mention.system.system_id,
                      system_name=mention.system.canonical_name, category=mention.system.category,
                      is_munition=mention.system.is_munition,
                      quantity=quantity.value if quantity else None, quantity_per=quantity.per if quantity else None,
                      quantity_qualifier=quantity.qualifier if quantity else None)
        item.package_index = package_index
        for partner, count in _gapped_donors(mention, donors, text, language):
            record(kind="item", donor_code=partner, status=item_status, system_id=mention.system.system_id,
                   system_name=mention.system.canonical_name, category=mention.system.category,
                   is_munition=mention.system.is_munition, quantity=count)

    for donor in _supporters_beside_others(text, donors, new_records, status, lex):
        record(kind="support", donor_code=donor, status=status)
    if not new_records and status and cues["support"].search(text):
        verb = cues["support_verbs"].search(text)
        # "Trump has paused military aid to Ukraine": a halt of aid is support refused
        verb_at = cue_at if status == "rejected" and cue_at >= 0 else verb.start() if verb else None
        if verb_at is not None:
            for donor in {d.code for d in donors if d.end <= verb_at}:
                record(kind="support", donor_code=donor, status=status)

    offset = len(draft.records)
    for record_ in new_records:
        if record_.package_index == -1:
            record_.package_index = offset + new_records.index(package_in_sentence)
    draft.records.extend(new_records)
    explicit = [r for r in new_records if r.kind in ("package", "item")]
    if explicit:
        context.donor = explicit[-1].donor_code
    if package_in_sentence is not None:
        context.package_index = offset + new_records.index(package_in_sentence)
        context.status = package_in_sentence.status
    elif status in ("pledged", "delivered") and donors and not inclusion:
        context.donor = donors[0].code
    if text.rstrip().endswith(":"):
        _open_list(sentence, status, context)
    named = list(dict.fromkeys(d.code for d in donors))
    if len(named) >= 2:
        context.joint_givers = named


def _referred_givers(text: str, cue_at: int, donors: list[DonorMention], context: Context) -> list[str]:
    """'... funded by Luxembourg and Iceland. The partners handed over 500 routers': 'the partners'
    before the verb, in a sentence naming no giver, are the givers last named together."""
    if donors or cue_at < 0 or not context.joint_givers:
        return []
    return context.joint_givers if DEFINITE_OTHERS.search(text[:cue_at]) else []


def _supporters_beside_others(text: str, donors: list[DonorMention], made: list[PledgeRecord], status: str | None,
                              lex: Lexicon) -> list[str]:
    """'Denmark has also made a new pledge to aid Ukraine, and the Netherlands has announced 4 billion
    euros': a giver with nothing of its own in the sentence, whose clause pledges support."""
    if not made or status not in ("pledged", "delivered") or len(donors) < 2:
        return []
    found = []
    for n, donor in enumerate(donors):
        if donor.code in {r.donor_code for r in made} or donor.code in found:
            continue
        clause = text[donor.end:donors[n + 1].start if n + 1 < len(donors) else len(text)]
        if lex.cues["support_verbs"].search(clause) and lex.cues["support"].search(clause):
            found.append(donor.code)
    return found


def _for_a_third_country(text: str, parties: list[DonorMention], donors: list[DonorMention], lex: Lexicon) -> bool:
    """'Germany will lend 10 Leopard 2 tanks to Lithuania': a giver's arms go to another country,
    and the sentence names no Ukraine at all."""
    if len(donors) < 2 or any(p.code in lex.never_donors for p in parties):
        return False
    return any(n and donors[0].code != d.code and d.code not in lex.groups and  # "to the NATO fund": for Ukraine
               TO_BEFORE.search(text[max(0, d.start - 12):d.start]) for n, d in enumerate(donors))


def _giver_receives(text: str, parties: list[DonorMention], lex: Lexicon) -> bool:
    """'Australia has received its first batch of 75 M1A2 tanks': a giver that receives is buying
    for itself, not giving (where Ukraine receives, the giver is named after 'from')."""
    received = RECEIVED.search(text)
    if not received:
        return False
    before = [p for p in parties if p.end <= received.start()]
    return bool(before) and before[-1].code not in lex.never_donors and \
        not REPORTING_AFTER.match(text, before[-1].end)


def _giver_line_end(text: str, donors: list[DonorMention]) -> int:
    """Where the givers end in a list line that opens with them and a colon ("• Norway: ...",
    "- Italy, Greece and Poland: ..."), or 0 when the line does not open so."""
    colon = text.find(":")
    if colon < 0 or colon > 120:
        return 0
    named = [d for d in donors if d.end <= colon]
    if not named:
        return 0
    rest = text[:colon]
    for d in reversed(named):
        rest = rest[:d.start] + rest[d.end:]
    return colon + 1 if GIVER_LINE_LEFTOVER.fullmatch(rest) else 0


def _clause_statuses(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, status) of each clause of the sentence that has a status cue of its own."""
    bounds = [0, *(m.start() for m in CLAUSE_BREAK.finditer(text)), len(text)]
    if len(bounds) == 2:
        return []
    statuses = [(start, end, _status_of(text[start:end], lex)[0]) for start, end in zip(bounds, bounds[1:])]
    return [(start, end, status) for start, end, status in statuses if status]


def _open_list(sentence: Sentence, status: str | None, context: Context) -> None:
    """An intro ending in ':' opens a list whose items take its status ("Geliefert wurden:",
    "has already delivered the following:"). One that hands over to a speaker ("President Biden
    responded:") opens a quotation, not a list, and closes any list before it."""
    if SPEECH_INTRO.search(sentence.text):
        context.list_paragraph = None
        return
    context.list_paragraph = sentence.paragraph
    if status is not None:
        context.status = status


def _in_context_that_is_not_giving(text: str, systems: list[SystemMention], amounts: list[Money], pattern,
                                   status: str | None, cue_at: int) -> bool:
    """Manufacturing, backfill or permission words make the sentence's numbers something other
    than a pledge, unless they stand only in a clause after everything counted ("France will
    raise its supply of shells to 3,000 a month, as its factories expand"), or money is pledged
    before them ("the UK will provide £245 million to produce shells": production paid for)."""
    last_named = max([m.end for m in systems] + [a.end for a in amounts], default=0)
    for cue in pattern.finditer(text):
        if status == "pledged" and 0 <= cue_at < cue.start() and any(a.end <= cue.start() for a in amounts):
            continue
        if cue.start() < last_named or "," not in text[last_named:cue.start()]:
            return True
    return False


def _read_totals(sentence: Sentence, article: Article, amounts: list[Money], donors: list[DonorMention],
                 context: Context, draft: Draft, lex: Lexicon) -> None:
    """Money in a sentence without a pledge verb: cumulative totals ('bringing total U.S.
    assistance to $4.6 billion') and packages named by a noun ('the first is a drawdown package
    valued at up to $500 million') in a release that has announced them."""
    draft.records.extend(_money_records(sentence, article, amounts, donors, context, lex, None, verbless=True))


def _money_records(sentence: Sentence, article: Article, amounts: list[Money], donors: list[DonorMention],
                   context: Context, lex: Lexicon, status: str | None, verbless: bool,
                   listed: bool = False) -> list[PledgeRecord]:
    """Package and aggregate records for the amounts of a sentence. `status` is the sentence's own
    status cue (None when it has none); a `verbless` sentence yields a package only when a noun
    such as "package" or "drawdown" names it."""
    text = sentence.text
    records = []
    for n, money in enumerate(amounts):
        if money.value is not None and money.value < MIN_PLEDGE_VALUE:
            continue  # "more than $1.3" where a saved page is cut off before "billion": no pledge is that small
        bounds = (amounts[n - 1].end if n else 0, amounts[n + 1].start if n + 1 < len(amounts) else len(text))
        segment = text[bounds[0]:bounds[1]]
        remember_slice(text, *bounds)  # for the cue lists that read the segment
        donor = _money_giver(money, donors, text) or context.donor
        kind = _money_kind(money, segment, text, lex, listed) if donor else None
        if kind == "package" and records and records[-1].kind == "aggregate" and PART_OF_BEFORE.match(segment):
            kind = "aggregate"  # "more than A$1.5 billion, including A$1 billion in military support"
        if kind == "package" and verbless and not STRONG_PACKAGE_NOUN.search(segment):
            continue
        if kind == "package" and _pools_members_money(donor, lex):
            kind = "aggregate"  # "NATO allies will provide a minimum of €40 billion": the group's sum
        if kind is None:
            continue
        money = _local_currency(money, donor)
        fields = dict(kind=kind, donor_code=donor, value=money.value, currency=money.currency,
                      value_qualifier=money.qualifier, sentence=text, span_start=sentence.start,
                      span_end=sentence.end, confidence=_confidence(bool(donors), status is not None))
        if kind == "aggregate":
            at = segment.find(money.text)
            after = segment[at + len(money.text):] if at >= 0 else ""
            since = next(filter(None, (_since_date(part, article.published_date, lex)
                                       for part in (after, segment, text))), None)
            records.append(PledgeRecord(status="pledged", since_date=since, **fields))
        else:
            for partner in _joint_givers(money, donors, text, donor):
                records.append(PledgeRecord(status=status or context.status, **{**fields, "donor_code": partner}))
            records.append(PledgeRecord(status=status or context.status,
                                        channel=_channel(money, segment, text, donor, lex), **fields))
    return records


def _money_giver(money: Money, donors: list[DonorMention], text: str) -> str | None:
    """The giver named before an amount, or else the first named after it, unless that one is a
    recipient ("$1 billion ... with the rest divided among Albania, Bosnia ...")."""
    if any(d.end <= money.start for d in donors):
        return _donor_at(money.start, donors)
    after = [d for d in donors if d.start >= money.end]
    if after and RECIPIENT_BEFORE.search(text[max(0, after[0].start - 25):after[0].start]):
        return None
    return _donor_at(money.start, donors)


def _joint_givers(money: Money, donors: list[DonorMention], text: str, donor: str) -> list[str]:
    """'Sweden, Spain and Belgium have each pledged EUR 1 billion', 'funded by Luxembourg and
    Iceland ... worth €2 million': every giver named together before the amount gives it."""
    if len(donors) < 2 or _donor_at(money.start, donors) != donor:
        return []
    partners = [code for code in _coordinated_donors(money.start, donors, text) if code != donor]
    named = [d for d in donors if d.code in partners or (d.code == donor and d.end <= money.start)]
    if not named or not LIST_AND.search(text[min(d.end for d in named):max(d.start for d in named)]):
        return []  # "After talks with France, Germany will provide ...": no list of givers
    return partners


def _pools_members_money(donor: str, lex: Lexicon) -> bool:
    """Whether money of `donor` sums up what its members give: an alliance, a contact group or the
    G7 commits no package of its own, so its money is an aggregate. The EU pays from its own funds."""
    return donor in lex.groups and donor not in GROUPS_WITH_OWN_FUNDS


def _remember_loose(systems: list[SystemMention], draft: Draft, sentence: Sentence) -> None:
    for mention in systems:
        if not mention.system.generic and mention.quantity and mention.quantity.value:
            draft.loose_specifics.append((mention.system, mention.quantity.value, sentence.start))


def _confidence(explicit_donor: bool, explicit_status: bool) -> float:
    return round(0.5 + 0.25 * explicit_donor + 0.2 * explicit_status, 2)


def _money_kind(money: Money, segment: str, sentence: str, lex: Lexicon, listed: bool = False) -> str | None:
    cues = lex.cues
    at = segment.find(money.text)
    before = segment[:at] if at >= 0 else segment
    rest = segment[at + len(money.text):] if at >= 0 else ""
    rest = CONVERSION_AFTER.sub("", rest)  # "55,4 Mrd. US-Dollar (rund 51,2 Mrd. Euro) bereitgestellt"
    after = re.split(r",(?!\d)|;|\s[—–-]\s|\s(?:and|und|which|that|das|die)\s", rest, maxsplit=1)[0][:70]
    if cues["legislation"].search(after):
        return None  # "around $24 billion in the measure is for ...": the law's money, not a total
    aggregate_cue = cues["aggregate_before"].search(before)
    if aggregate_cue and STRONG_PACKAGE_NOUN.search(before, aggregate_cue.end()) and not SINCE.search(segment):
        return "package"  # "Insgesamt wird das Paket 400 Millionen Euro schwer sein": the package's own total
    if (cues["aggregate_before"].search(before) and not _totals_one_package(before, rest)) or \
            cues["aggregate_after"].search(after):
        return "aggregate"
    if PERFECT.search(before) and SINCE.search(rest):
        return "aggregate"  # "has committed £12.5 billion in military and economic support since 2022"
    since = SINCE.search(before)
    if since and (PERFECT.search(before[since.end():]) or TOTAL_VERB.search(before[since.end():]) or (
            GERMAN_AUXILIARY.search(before[since.end():]) and GERMAN_PARTICIPLE_AFTER.match(after))):
        return "aggregate"  # "has committed $X since", "hat seit 2022 ... 28 Mrd. Euro bereitgestellt"
    if cues["legislation"].search(segment) or (cues["legislation"].search(sentence) and
                                               not re.search(r"drawdown of|package", segment, re.I)):
        return None
    if not listed and not PACKAGE_NOUN.search(segment) and not _status_of(segment, lex)[0]:
        return None
    return "package"


def _totals_one_package(before: str, rest: str) -> bool:
    """'its 17th package ... totalling SEK 4.6 billion', 'Altogether, it is a package worth €1.3
    billion', 'a shipment with a total value of €2 million': the total of one package, not a sum
    of several, unless something brings a running total up or counts it since a date."""
    return bool(ONE_PACKAGE_NOUN.search(before) and PACKAGE_TOTAL_WORD.search(before)) and \
        not RUNNING_TOTAL_VERB.search(before) and not SINCE.search(before + rest)


def _channel(money: Money, segment: str, sentence: str, donor: str, lex: Lexicon) -> str | None:
    if donor != "USA":
        return None
    offset = sentence.find(segment)
    best = None
    for code, pattern in lex.cues["channels"].items():
        for m in pattern.finditer(segment):
            distance = min(abs(offset + m.start() - money.end), abs(offset + m.end() - money.start))
            if best is None or distance < best[0]:
                best = (distance, code)
    return best[1] if best else None


# --- the document as a whole ----------------------------------------------------------------

def _without_background(records: list[PledgeRecord], lex: Lexicon) -> list[PledgeRecord]:
    """An earlier pledge recalled as background ("Australia has previously donated ...", "as
    announced last month") is no new pledge of the page: its items, packages and support go.
    Totals stay: a running total is as of the day it is reported."""
    recalled = {}  # sentence -> whether it recalls; records share sentences
    for r in records:
        if r.kind != "aggregate" and r.sentence not in recalled:
            recalled[r.sentence] = bool(lex.cues["background"].search(r.sentence))
    return [r for r in records if r.kind == "aggregate" or not recalled[r.sentence]]


def _headline_end(article: Article, sentences: list[Sentence]) -> int | None:
    """Where the page's headline ends, when the text opens with it as a paragraph of its own."""
    if not article.title or not sentences:
        return None
    first = [s for s in sentences if s.paragraph == sentences[0].paragraph]
    opening = " ".join(s.text for s in first)
    if _words(opening) != _words(article.title):
        return None
    return first[-1].end


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _without_restated_headline(records: list[PledgeRecord], headline_end: int | None) -> list[PledgeRecord]:
    """A headline restates the body: its record is dropped where the body states that kind of
    claim itself (a money figure beside the body's own, perhaps converted or rounded; an item of a
    category the body names a specific system of; a generic item where the body names it again or a
    specific system of its category for its donor, or any item for "military equipment"), so that no second record, and no status the body contradicts, comes from it."""
    if headline_end is None:
        return records
    lex = lexicon()
    body = [r for r in records if r.span_start >= headline_end]

    def specific(r: PledgeRecord) -> bool:
        return r.system_id in lex.systems and not lex.systems[r.system_id].generic

    def restated(r: PledgeRecord) -> bool:
        if r.kind in ("package", "aggregate"):
            return any(b.kind in ("package", "aggregate") for b in body)
        if r.kind == "item":
            if not specific(r):  # "military equipment" sums up any item of its giver
                return any(b.kind == "item" and b.donor_code == r.donor_code and (
                    b.system_id == r.system_id or r.system_id == CATCH_ALL_ITEM or
                    (b.category == r.category and specific(b))) for b in body)
            return any(b.kind == "item" and b.category == r.category and specific(b) for b in body)
        return any(b.donor_code == r.donor_code for b in body)

    return [r for r in records if r.span_start >= headline_end or not restated(r)]


def _resolve_document(draft: Draft, headline_end: int | None = None) -> list[PledgeRecord]:
    records = draft.records
    _name_generic_items(records, draft.loose_specifics)
    kept = _merge_repeats(_without_restated_headline(records, headline_end))
    _mark_headline_totals(kept)
    specific_donors = {r.donor_code for r in kept if r.kind != "support"}
    result, seen_support = [], set()
    for r in kept:
        if r.kind == "support":
            if r.donor_code in specific_donors or r.donor_code in seen_support:
                continue
            seen_support.add(r.donor_code)
        result.append(r)
    # package_index pointed into the draft; re-point it into the result
    position = {id(r): n for n, r in enumerate(result)}
    for r in result:
        if r.package_index is not None:
            package = records[r.package_index] if r.package_index < len(records) else None
            r.package_index = position.get(id(package))
    return result


def _name_generic_items(records: list[PledgeRecord], loose: list[tuple[System, int, int]]) -> None:
    """'650 missiles' pledged, later 'the 650 Lightweight Multirole Missiles': the item is the LMM.
    (Naming a counted generic after the page's one named system of its category was tried and
    dropped: '162 armoured vehicles' are not the page's Challenger 2 tanks.)"""
    lex = lexicon()
    for r in records:
        if r.kind != "item" or not r.quantity or r.quantity < 2:
            continue
        current = lex.systems.get(r.system_id)
        if current is not None and not current.generic:
            continue
        same_count = [system for system, quantity, _ in loose if quantity == r.quantity]
        if same_count:
            system = same_count[0]
            r.system_id, r.system_name, r.category = system.system_id, system.canonical_name, system.category
            r.is_munition = system.is_munition


def _merge_repeats(records: list[PledgeRecord]) -> list[PledgeRecord]:
    """One record per claim: a headline repeated in the body, a quantity restated."""
    kept: list[PledgeRecord] = []
    kept_by_party: dict[tuple[str, str], list[PledgeRecord]] = {}  # a claim's twin has its kind and donor
    for r in records:
        same_party = kept_by_party.setdefault((r.kind, r.donor_code), [])
        twin = next((k for k in same_party if _same_claim(k, r)), None)
        if twin is None:
            kept.append(r)
            same_party.append(r)
            continue
        if r.kind == "item" and twin.quantity is None and r.quantity is not None:
            twin.quantity, twin.quantity_per, twin.quantity_qualifier = r.quantity, r.quantity_per, r.quantity_qualifier
        if twin.package_index is None and r.package_index is not None:
            twin.package_index = r.package_index
        if twin.kind == "package" and twin.channel is None:
            twin.channel = r.channel
        twin.confidence = max(twin.confidence, r.confidence)
    return kept


def _same_value_tolerance(a: PledgeRecord, b: PledgeRecord) -> float:
    """"Fast 6 Milliarden Euro" in a headline and "5,97 Milliarden Euro" in the body: a rounded
    amount is the same as one it rounds."""
    return 0.02 if "about" in (a.value_qualifier, b.value_qualifier) else 0.001


def _same_claim(a: PledgeRecord, b: PledgeRecord) -> bool:
    if a.kind != b.kind or a.donor_code != b.donor_code:
        return False
    if a.kind == "item":
        return (a.system_id == b.system_id and a.status == b.status and a.quantity_per == b.quantity_per and
                (a.quantity == b.quantity or a.quantity is None or b.quantity is None) and
                (a.package_index == b.package_index or a.package_index is None or b.package_index is None or
                 (a.quantity is None and b.quantity is None)))  # an uncounted kind named again is no second item
    if a.kind in ("package", "aggregate"):
        return a.currency == b.currency and a.value is not None and b.value is not None and \
            abs(a.value - b.value) <= _same_value_tolerance(a, b) * max(a.value, b.value) and a.status == b.status
    return a.status == b.status


def _mark_headline_totals(records: list[PledgeRecord]) -> None:
    """A package equal to the sum of two or more other packages of its donor is their headline."""
    packages = [r for r in records if r.kind == "package"]
    for whole in packages:
        parts = [p for p in packages if p is not whole and p.donor_code == whole.donor_code
                 and p.currency == whole.currency and p.value < whole.value]
        if len(parts) >= 2 and _subset_sums_to(sorted(p.value for p in parts), whole.value):
            whole.is_headline_total = True


def _subset_sums_to(values: list[float], target: float) -> bool:
    sums = {0.0}
    for v in values[:12]:
        sums |= {s + v for s in sums}
    return any(abs(s - target) <= 0.005 * target for s in sums if s != 0 and s not in values)
