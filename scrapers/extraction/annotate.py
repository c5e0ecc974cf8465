"""Annotate: the spans of one sentence that the rules relate.

Parties (donors, groups, recipients; places dropped), weapon systems from the taxonomy with
their munition grammar and counts, money amounts, and the status cue of the sentence and of
each of its clauses. Nothing here decides who gives what: that is `relate`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.extraction.grammar import (
    ABBREVIATION_END, ABBREVIATION_GAP, ABSORB_GAP, ADJECTIVE_OWNER_GAP, ATTACK_AFTER, ATTACK_BEFORE,
    BACK_REFERENCE_BEFORE, BARE_MUNITION_AFTER, CALIBRE, CALIBRE_BEFORE, CALIBRES_AFTER, CAPITALISED_LAST_WORD, CATCH_ALL_ITEM,
    CATEGORY_HEAD_NOUN_END, COUNTED_SIBLING, COUNTED_WHOLE_GAP, GERMAN_NO_BEFORE, IT_INCLUDES, SUMMARY_NOUN_AFTER,
    THIS_MODEL_AFTER, TYPE_GAP, WITH_GAP, LED_BY_AFTER, MODAL_BEFORE, NEED_BEFORE, REPLACEMENT_BEFORE,
    REPLACEMENT_WORDS, SHIP_VERB_AFTER, SHIP_VERB_BEFORE, SHIP_WORDS, TOPIC_BEFORE,
    OWN_MUNITION_JOINED_GAP,
    COUNTRY_LOCATION_BEFORE, FUTURE_AND_BEFORE, FUTURE_BEFORE, GERMAN_FUTURE, LIST_GAP, LIST_SIBLINGS,
    LOCATION_BEFORE, MODIFIED_MUNITION_GAP, MUNITION_AFTER, MUNITION_FOR, MUNITION_FOR_GAP, MUNITION_FOR_NAMED,
    MUNITION_PLATFORM_CATEGORIES,
    NEGATION_BEFORE, NOT_AN_ITEM_AFTER, NOT_ITEM_CATEGORIES, OWNER_GAP, PLATFORM_NOUN_END, REPORTING_AFTER,
    SPELLED_OUT_BEFORE, SPELLED_OUT_ENDS, STATE_AFTER, STATE_BEFORE, SUSPENDED_COMPOUND_BEFORE)
from scrapers.extraction.grammar import KIND_MODEL_GAP
from scrapers.extraction.numbers import QUANTITY_WINDOW, Money, Quantity, find_money, quantity_before
from scrapers.extraction.phrases import Token, is_plain, remember_slice, remember_words, tokenize
from scrapers.extraction.segment import Sentence, clause_bounds
from scrapers.reference import Lexicon, System


@dataclass(slots=True)
class SystemMention:
    system: System
    start: int
    end: int
    quantity: Quantity | None = None


@dataclass(slots=True)
class DonorMention:
    code: str
    start: int
    end: int
    is_adjective: bool = False


@dataclass
class DroppedSpan:
    """A span found and then set aside by an annotation rule (kept only when explaining)."""

    what: str
    start: int
    end: int
    rule: str


@dataclass(slots=True)
class SentenceSpans:
    """One sentence with everything found in it."""

    sentence: Sentence
    tokens: list[Token]
    words: list[str]
    parties: list[DonorMention]
    # filled by annotate_sentence, once the page's parties are all known
    donors: list[DonorMention] | None = None
    systems: list[SystemMention] | None = None
    amounts: list[Money] | None = None
    dropped: list[DroppedSpan] | None = None


def annotate_parties(sentence: Sentence, lex: Lexicon) -> SentenceSpans:
    """The first pass, over every sentence: the page donor needs all parties before any sentence is read."""
    tokens = tokenize(sentence.text)
    words = [t[0] for t in tokens]
    return SentenceSpans(sentence, tokens, words, find_parties(sentence.text, lex, tokens, words))


def annotate_sentence(spans: SentenceSpans, language: str, lex: Lexicon, explaining: bool = False) -> SentenceSpans:
    """Donors, systems and money of a sentence whose parties are known."""
    text = spans.sentence.text
    remember_words(text, spans.tokens)  # for the cue lists, which all read this sentence
    spans.dropped = [] if explaining else None
    spans.donors = find_donors(text, lex, spans.parties)
    spans.systems = find_systems(text, language, lex, spans.tokens, spans.parties, spans.words, spans.dropped)
    spans.amounts = find_money(text, language, spans.words)
    return spans


# --- parties --------------------------------------------------------------------------------

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
    if len(donors) < 2:
        return donors  # a reporter gives way only to another donor
    reported = [d for d in donors if not REPORTING_AFTER.match(text, d.end)]
    return reported if reported and len(reported) < len(donors) else donors


def is_reporter(donor: DonorMention, text: str) -> bool:
    return bool(REPORTING_AFTER.match(text, donor.end))


# --- weapon systems -------------------------------------------------------------------------

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
                 parties: list[DonorMention] | None = None, words: list[str] | None = None,
                 dropped: list[DroppedSpan] | None = None) -> list[SystemMention]:
    """Weapon systems named in a sentence, with the munition grammar and counts applied. With a
    `dropped` list, the names set aside are added to it with the rule that set them aside."""
    if tokens is None:
        tokens, words = tokenize(text), None  # `words` go with the tokens they were taken from
    parties = find_parties(text, lex, tokens, words) if parties is None else parties
    spans = [(m.start, m.end, m.value) for m in lex.systems_exact.find(text, tokens, words)]
    # names in other languages (system_aliases.csv) are read only on pages in that language
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
    if not spans:
        return []  # most sentences name no system: nothing below has anything to read
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
        if previous and TYPE_GAP.match(gap) and (previous.system.generic or previous.system is system):
            # "Munition für Mehrfachraketenwerfer vom Typ Himars": the munition of the model
            previous.system = _munition_for(system, lex) if previous.system.is_munition else system
            previous.end = end
            continue
        # "Cheetah anti-aircraft systems", "IRIS-T SLM air defence system": one thing, named twice.
        if previous and ABSORB_GAP.match(gap) and (previous.system.generic != system.generic):
            if previous.system.generic:
                previous.system = system
            elif system.is_munition:
                previous.system = _munition_for(previous.system, lex)  # "NASAMS air defence missiles"
            previous.end = end
            continue
        if previous and previous.system.is_munition and not previous.system.generic and system.generic \
                and system.is_munition and MODIFIED_MUNITION_GAP.fullmatch(gap):
            previous.end = end  # "IRIS-T guided missiles": the munition noun ends the platform's munition
            continue
        if previous and previous.system.generic and system.generic and not previous.system.is_munition and \
                not system.is_munition and re.fullmatch(r"[\s\-]*", gap):
            # "counter-drone electronic warfare systems": a generic word modifying the generic head after it
            previous.system, previous.end = system, end
            continue
        if NOT_AN_ITEM_AFTER.match(text[end:end + 30]):
            _drop(dropped, system, start, end, "system:names_something_else")
            continue
        if SUSPENDED_COMPOUND_BEFORE.search(text, max(0, start - 2), start):
            # "zehn Drohnenabwehrkanonen, -sensoren und -jammern": the end of the compound before it
            _drop(dropped, system, start, end, "system:end_of_a_compound_named_before")
            continue
        if ATTACK_AFTER.match(text[end:end + 40]) or ATTACK_BEFORE.search(text[max(0, start - 50):start]):
            _drop(dropped, system, start, end, "system:names_an_attack")  # "drone strikes", "attaques de drones"
            continue
        if text[start:end].lower() in SHIP_WORDS and (SHIP_VERB_BEFORE.search(text[max(0, start - 30):start])
                                                      or SHIP_VERB_AFTER.match(text, end)):
            _drop(dropped, system, start, end, "system:ship_the_verb")  # "weapons to ship to Kyiv"
            continue
        window = text[max(0, start - 70):start].lower()
        if "need" in window and NEED_BEFORE.search(window):
            _drop(dropped, system, start, end, "system:a_need")  # "its urgent needs for demining"
            continue
        if system.generic and TOPIC_BEFORE.search(window) and not lex.cues["inclusion"].search(text[:start]):
            # "good news related to air defense"; not "the package includes capabilities related to air defense"
            _drop(dropped, system, start, end, "system:a_topic")
            continue
        if any(word in window for word in REPLACEMENT_WORDS) and REPLACEMENT_BEFORE.search(window):
            # "replaced with more modern German armored vehicles": what the giver gets back
            _drop(dropped, system, start, end, "system:given_in_exchange")
            continue
        if system.generic and SUMMARY_NOUN_AFTER.match(text[end:end + 30]):
            # "expanded air defence aid", "more air defense capabilities": a kind of help, no item
            _drop(dropped, system, start, end, "system:kind_of_help")
            continue
        if _owned_by_non_donor(text, start, parties, lex):
            _drop(dropped, system, start, end, "system:owned_by_recipient_or_aggressor")
            continue  # "Ukraine's air defences", "Russian artillery": not something given
        munitions_for = _munitions_for_before(text, start) or \
            bool(MUNITION_FOR_NAMED.match(text[start:end]))
        if chain_is_munition and previous and LIST_GAP.match(gap):
            munitions_for = True  # "munitions for NASAMS and Patriot": both take munitions
        chain_is_munition = munitions_for
        if munitions_for and previous and previous.system.generic and previous.system.is_munition \
                and MUNITION_FOR_GAP.fullmatch(gap):
            # "missiles for the Patriot system", "obus pour les canons Caesar": the munition noun
            # names the platform's munition, one item, not a generic one beside it
            previous.system, previous.end = _munition_for(system, lex), end
            continue
        if previous and _model_ends_the_kind(previous.system, system, gap):
            # "missiles antiaériens à courte portée Crotale": the kind's words, then its model
            previous.system = lex.munition_of.get(system.system_id, system) if previous.system.is_munition else system
            previous.end = end
            continue
        if not system.is_munition and (munitions_for or (MUNITION_AFTER.match(text[end:end + 50]) and (
                system.system_id in lex.munition_of or system.category in MUNITION_PLATFORM_CATEGORIES))):
            system = _munition_for(system, lex)
        if previous and system.generic and system.is_munition and not previous.system.is_munition \
                and previous.system.system_id in lex.munition_of and (
                    WITH_GAP.match(gap) or (not previous.system.generic and OWN_MUNITION_JOINED_GAP.match(gap))):
            # "ein Iris-T SLM mit Lenkflugkörpern", "a Harpoon launcher and missiles"; a kind's own
            # munitions are not meant by "tanks and missiles"
            system = lex.munition_of[previous.system.system_id]
        if system.category in NOT_ITEM_CATEGORIES:
            _drop(dropped, system, start, end, "system:money_or_relief_not_an_item")
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
                head = CAPITALISED_LAST_WORD.sub("", head.rstrip()) + " "
                mention.quantity = quantity_before(head, language)
                if mention.quantity or not CAPITALISED_LAST_WORD.search(head.rstrip()):
                    break
    counted = []
    for m in mentions:
        if m.system.generic and m.quantity is None and BACK_REFERENCE_BEFORE.search(text[max(0, m.start - 40):m.start]):
            _drop(dropped, m.system, m.start, m.end, "system:back_reference")
            continue
        counted.append(m)
    return _without_described_generics(_without_catch_all(counted, dropped), text, dropped)


def _model_ends_the_kind(kind: System, model: System, gap: str) -> bool:
    """A generic kind, then lower-case words (KIND_MODEL_GAP), then a model of its category: one name."""
    return kind.generic and not model.generic and bool(KIND_MODEL_GAP.match(gap)) and \
        (kind.category == model.category or (kind.is_munition and kind.category == "missiles"))


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


def _without_catch_all(mentions: list[SystemMention], dropped: list[DroppedSpan] | None = None) -> list[SystemMention]:
    """'Military equipment', 'defence hardware': a word that sums up a package, not an item of it."""
    kept = []
    for m in mentions:
        if m.system.system_id == CATCH_ALL_ITEM:
            _drop(dropped, m.system, m.start, m.end, "system:sums_up_a_package")
            continue
        kept.append(m)
    return kept


def _drop(dropped: list[DroppedSpan] | None, system: System, start: int, end: int, rule: str) -> None:
    if dropped is not None:
        dropped.append(DroppedSpan(system.canonical_name, start, end, rule))


def _without_described_generics(mentions: list[SystemMention], text: str,
                                dropped: list[DroppedSpan] | None = None) -> list[SystemMention]:
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
                _drop(dropped, mention.system, mention.start, mention.end, "system:describes_named_system")
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
    """'munitions for' a few words before `start`: MUNITION_FOR, looked for only where 'for',
    'für' or 'pour' is written."""
    window = text[max(0, start - 60):start]
    if is_plain(window):
        lowered = window.lower()
        if "for" not in lowered and "für" not in lowered and "pour" not in lowered:
            return False
    remember_slice(text, max(0, start - 60), start)  # the window's words, from the sentence's
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


def resolve_back_references(text: str, systems: list[SystemMention], last_system: System | None,
                            lex: Lexicon) -> System | None:
    """A generic item that points back to the platform named last: "Panzer dieses Modells" is that
    model; in "Es umfasst ... 60 Lenkflugkörper" the missiles are that system's munitions. Returns
    the platform later sentences may point back to."""
    if last_system is not None:
        pronoun_list = IT_INCLUDES.match(text)
        for mention in systems:
            if not mention.system.generic:
                continue
            if not mention.system.is_munition and mention.system.category == last_system.category and \
                    THIS_MODEL_AFTER.match(text, mention.end):
                mention.system = last_system
            elif pronoun_list and mention.system.is_munition and last_system.system_id in lex.munition_of and \
                    mention.system.category in (last_system.category, "missiles"):
                mention.system = lex.munition_of[last_system.system_id]
    named = [m.system for m in systems if not m.system.generic and not m.system.is_munition]
    return named[-1] if named else last_system


def _owned_by_non_donor(text: str, start: int, parties: list[DonorMention], lex: Lexicon) -> bool:
    return any(p.code in lex.never_donors and p.end <= start and
               (ADJECTIVE_OWNER_GAP if p.is_adjective else OWNER_GAP).match(text[p.end:start])
               for p in parties)


# --- status cues ----------------------------------------------------------------------------

def _german_no_before(text: str, at: int) -> bool:
    """'keine Taurus geliefert': GERMAN_NO_BEFORE, looked for only where 'kein' is written."""
    window = text[max(0, at - 70):at]
    return "kein" in window.lower() and bool(GERMAN_NO_BEFORE.search(window))


def status_of(text: str, lex: Lexicon) -> tuple[str | None, int]:
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


def clause_statuses(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, status) of each clause of the sentence that has a status cue of its own."""
    bounds = clause_bounds(text)
    if len(bounds) == 2:
        return []
    statuses = [(start, end, status_of(text[start:end], lex)[0]) for start, end in zip(bounds, bounds[1:])]
    return [(start, end, status) for start, end, status in statuses if status]
