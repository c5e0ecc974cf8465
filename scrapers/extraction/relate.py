"""Relate: named rules that turn the spans of a sentence into draft records.

A sentence passes through SENTENCE_GATES in order; the first gate that closes it stops the
reading (and says why). Then its money becomes packages or totals (MONEY_KIND_RULES), and each
weapon system an item, whose giver comes from the first of GIVER_RULES that names one. Every
record carries the names of the rules that made it in `trace`; with an `Explanation`, what was
found and set aside is kept with the rule that set it aside.

To add a rule: write one function, put it in its list where it should be tried, add a test.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from scrapers.dates import MONTHS, parse_date
from scrapers.extraction.annotate import (DonorMention, SentenceSpans, SystemMention, clause_statuses, is_reporter,
                                          resolve_back_references, status_of)
from scrapers.extraction.annotate import find_parties
from scrapers.extraction.assemble import Draft, open_list
from scrapers.extraction.explanation import Explanation
from scrapers.extraction.grammar import (AMOUNTS_LISTED_GAP, BARE_CROWNS, CLAIMS, BARE_DOLLAR, BARE_DOLLARS, CLAUSE_BREAK, CONVERSION_AFTER,
                                         COORDINATION_GAP, CUMULATIVE_GIVING, DEFINITE_OTHERS, GAP_BEFORE, GAP_COUNT,
                                         GERMAN_AUXILIARY, GERMAN_PARTICIPLE_AFTER, GIVER_AFTER, GIVER_LINE_LEFTOVER,
                                         GROUPS_WITH_OWN_FUNDS, LIST_AND, LOCAL_CROWNS, LOCAL_DOLLARS, MONEY_AFTER_END,
                                         MONTH_YEAR_AFTER, ONE_PACKAGE_NOUN, PACKAGE_NAMED, PACKAGE_NOUN,
                                         PACKAGE_TOTAL_WORD, PART_OF_BEFORE, PERFECT, PURCHASE, REASON_OPENER, RECEIVED,
                                         RECIPIENT_BEFORE, REPORTING_AFTER, RUNNING_TOTAL_VERB, SECOND_AIM_JOINER,
                                         SINCE, STRONG_PACKAGE_NOUN, TOTAL_REACHED_BEFORE, TOTAL_VERB, TO_BEFORE,
                                         YEAR_AFTER)
from scrapers.extraction.grammar import (ANOTHER_TIME_BEFORE, COUNTED_UNITS, DEFINITE_AMOUNT_BEFORE, UNIT_KIT_NOUNS,
                                         GIVEN_BY_COMPOUND, GIVING_COMPOUND_AFTER, LED_SCHEME,
                                         DEFINITE_SCHEME_BEFORE, REFUSAL_OF_A_REQUEST, REFUSED_REQUEST_TO,
                                         SCHEME_SIZE_BEFORE,
                                         THE_GROUPS_MEMBERS)
from scrapers.extraction.grammar import (COMPARED_WITH_BEFORE, CONTRAST_AFTER_NEGATION, ELIDED_ARTICLE_END,
                                         IN_ADDITION_TO_BEFORE, IN_ADDITION_TO_COUNT, LOSSES, RECALL_MARKER, MADE_IN_AFTER,
                                         PARTNER_WITH_BEFORE, PERMISSION, PRONOUN_COUNT, RE_EXPORT,
                                         VERB_BEFORE_GAP_COMMA)
from scrapers.extraction.numbers import Money, Quantity, find_rates, parse_number
from scrapers.extraction.phrases import remember_slice
from scrapers.extraction.segment import LIST_ITEM_MAX, Sentence
from scrapers.models import Article, PledgeRecord
from scrapers.reference import Lexicon, System

MIN_PLEDGE_VALUE = 1000  # in the amount's own currency: smaller is a page cut off before its scale
SUBHEADING_MAX_WORDS = 15
LIST_LINE_MARKS = " \t-–—•*·▪"  # what may stand before the first word of a list line
MIN_COUNTED_IN_A_PACKAGE_LIST = 3  # counted kinds that make a verbless sentence a package's list
SENTENCE_CLOSERS = (".", "!", "?", ":", ";", '"', "”", "»", "“", "…")
# A minus sign written onto an amount or a count in running text ("pledged -€300 million", "send
# -5 tanks"): not a hyphen inside a range ("€200-€300 million") or a name ("F-16"), and not a
# dash opening a list line ("- 5 NASAMS", "–€300 million for shells").
NEGATIVE_SIGN_BEFORE = re.compile(r"(?<=[ \t(])[-−]$")
NEGATIVE_COUNT_BEFORE = re.compile(r"(?<=[ \t(])[-−]\d[\d,.]*\s+(?:[^\W\d][\w-]*\s+){0,2}$")


@dataclass(slots=True)
class Context:
    """What the article has established so far."""

    donor: str | None = None
    status: str = "pledged"
    package_index: int | None = None
    list_paragraph: int | None = None  # paragraph index after an intro ending in ':'
    last_system: System | None = None  # the last named (not generic) platform: "dieses Modells", "Es umfasst"
    last_system_paragraph: int = -1  # the paragraph it was named in last
    requested: tuple[int, list[System]] | None = None  # the paragraph and kit of the last request ("Kyiv asked for")
    joint_givers: list[str] = field(default_factory=list)  # the last givers named together ("Luxembourg and Iceland")
    page_donor: str | None = None  # the publisher's country, or the one the page is about
    paragraph: int = -1  # the paragraph of the sentence read last
    set_aside_before: bool = False  # the sentence read last named things and a gate set them all aside
    led_schemes: list[tuple[int, str, str]] | None = None  # (end of the scheme noun, noun, group), read once a page


@dataclass(slots=True)
class Reading:
    """One sentence as the rules see it: its spans, the page and what earlier sentences said."""

    spans: SentenceSpans
    article: Article
    language: str
    context: Context
    draft: Draft
    lex: Lexicon
    explanation: Explanation | None = None
    in_list: bool = False
    new_records: list[PledgeRecord] | None = None  # the sentence's records, once it passed the gates

    status: str | None = None  # the sentence's own status cue, once read_status_cue has run
    cue_at: int = -1
    inclusion: bool = False
    follows_set_aside: bool = False  # the sentence before named things and was set aside
    giver_line: int = 0  # where the givers of a list line ("• Norway: ...") end, once read_giver_line has run
    referred: list[str] | None = None  # givers "the partners" refer back to, once read_referred_givers has run

    @property
    def text(self) -> str:
        return self.spans.sentence.text

    def drop_all(self, rule: str) -> None:
        """Every system and amount of the sentence made no record, by `rule`."""
        if self.explanation is not None:
            for mention in self.spans.systems:
                self.explanation.drop(self.spans.sentence, mention.system.canonical_name, rule)
            for money in self.spans.amounts:
                self.explanation.drop(self.spans.sentence, money.text, rule)


def read_sentence(reading: Reading) -> None:
    """Draft records of one sentence, in reading order, and what it tells later sentences."""
    context, sentence = reading.context, reading.spans.sentence
    if context.page_donor and is_subheading(sentence, context, reading.draft):
        context.donor = context.page_donor  # a new section: not the giver the last one ended on
    context.paragraph = sentence.paragraph
    context.last_system = resolve_back_references(reading.text, reading.spans.systems, context.last_system,
                                                  reading.lex)
    if any(m.system is context.last_system for m in reading.spans.systems):
        context.last_system_paragraph = sentence.paragraph
    _remember_requested(reading)
    reading.in_list = context.list_paragraph is not None and sentence.paragraph > context.list_paragraph
    if reading.in_list and len(reading.text) > LIST_ITEM_MAX:
        context.list_paragraph = None  # a long paragraph is prose again, not the list's next item
        reading.in_list = False
    reading.follows_set_aside, context.set_aside_before = context.set_aside_before, False
    made_before = len(reading.draft.records)
    for gate in SENTENCE_GATES:
        closed_by = gate(reading)
        if closed_by:
            if reading.explanation is not None:
                reading.explanation.gate(sentence, closed_by)
            context.set_aside_before = closed_by != "gate:nothing_named" and \
                len(reading.draft.records) == made_before and bool(reading.spans.systems or reading.spans.amounts)
            return
    reading.new_records = []
    trace = [f"status:context={context.status}:giver_line" if reading.giver_line else
             f"status:sentence_cue={reading.status}" if reading.status else
             f"status:context={context.status}" + (":list" if reading.in_list else ":inclusion")]
    reading.new_records.extend(money_records(reading, reading.status, verbless=False, trace=trace))
    packages = [r for r in reading.new_records if r.kind == "package"]
    package_in_sentence = packages[-1] if packages else None
    systems = reading.spans.systems
    if any(r.kind == "aggregate" for r in reading.new_records) and package_in_sentence is None:
        reading.drop_all("item:what_a_total_was_spent_on")
        systems = []
    systems = _without_kinds_summing_up_years(reading, systems)
    for rule in ITEM_READERS:
        rule(reading, systems, package_in_sentence, trace)
    _carry_context(reading, package_in_sentence)


def is_subheading(sentence: Sentence, context: Context, draft: Draft) -> bool:
    """A short paragraph of its own with no closing punctuation, after the headline: a subheading
    ("Un radar GM-200 sera livré à l'Ukraine") opening a section of its own."""
    text = sentence.text.rstrip()
    return sentence.paragraph != context.paragraph and sentence.start >= (draft.headline_end or 0) and \
        len(text.split()) <= SUBHEADING_MAX_WORDS and not text.endswith(SENTENCE_CLOSERS)


def _without_kinds_summing_up_years(reading: Reading, systems: list[SystemMention]) -> list[SystemMention]:
    """'Since the invasion, Poland has been providing weapons such as armored vehicles and
    helicopters': kinds named to sum up years of aid, not items; counted or named ones stay."""
    if not systems or not (SINCE.search(reading.text) and CUMULATIVE_GIVING.search(reading.text)):
        return systems
    kept = []
    for m in systems:
        if m.system.generic and m.quantity is None:
            if reading.explanation is not None:
                reading.explanation.drop(reading.spans.sentence, m.system.canonical_name,
                                         "item:kind_summing_up_years_of_aid")
            continue
        kept.append(m)
    return kept


# --- gates: a sentence that stops here makes no item ----------------------------------------

def nothing_named(reading: Reading) -> str | None:
    """No system, money or donor: nothing to record; most sentences end here."""
    spans = reading.spans
    if spans.systems or spans.amounts or spans.donors:
        return None
    if reading.text.rstrip().endswith(":"):
        open_list(spans.sentence, status_of(reading.text, reading.lex)[0], reading.context)
    return "gate:nothing_named"


def read_status_cue(reading: Reading) -> str | None:
    """Not a gate: the status cue and 'includes' cue the later gates and rules read."""
    reading.status, reading.cue_at = status_of(reading.text, reading.lex)
    reading.inclusion = bool(reading.lex.cues["inclusion"].search(reading.text))
    return None


def for_a_third_country(reading: Reading) -> str | None:
    """'Germany will lend 10 Leopard 2 tanks to Lithuania': a giver's arms go to another country,
    and the sentence names no Ukraine at all. Money to a group's fund stays ('to the NATO fund')."""
    if reading.status == "rejected":
        return None
    text, donors, lex = reading.text, reading.spans.donors, reading.lex
    if len(donors) < 2 or any(p.code in lex.never_donors for p in reading.spans.parties):
        return None
    if any(n and donors[0].code != d.code and d.code not in lex.groups and
           TO_BEFORE.search(text[max(0, d.start - 12):d.start]) for n, d in enumerate(donors)):
        reading.drop_all("gate:for_a_third_country")
        remember_loose(reading)
        return "gate:for_a_third_country"
    return None


def giver_receives(reading: Reading) -> str | None:
    """'Australia has received its first batch of 75 M1A2 tanks': a giver that receives is buying
    for itself, not giving (where Ukraine receives, the giver is named after 'from')."""
    if reading.status != "delivered":
        return None
    text, lex = reading.text, reading.lex
    received = RECEIVED.search(text)
    if not received:
        return None
    before = [p for p in reading.spans.parties if p.end <= received.start()]
    if before and before[-1].code not in lex.never_donors and not REPORTING_AFTER.match(text, before[-1].end):
        reading.drop_all("gate:giver_receives")
        remember_loose(reading)
        return "gate:giver_receives"
    return None


def read_giver_line(reading: Reading) -> str | None:
    """Not a gate: a list line that opens with its givers and a colon ("• Netherlands: €200 million
    for drone interceptors" under "Pledges include:") takes the list's status, its cue after the colon."""
    if reading.in_list and reading.status is None:
        reading.giver_line = _giver_line_end(reading.text, reading.spans.donors)
        if reading.giver_line:
            reading.status, reading.cue_at = reading.context.status, reading.giver_line
    return None


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


def not_giving_context(reading: Reading) -> str | None:
    """Manufacturing, backfill or permission words make the sentence's numbers something other
    than a pledge, unless they stand only in a clause or a second aim after everything counted
    ("France will raise its supply of shells to 3,000 a month, as its factories expand", "... one
    million shells as well as replenishing EU stocks"), or money is pledged
    before them ("the UK will provide £245 million to produce shells": production paid for)."""
    if reading.status == "rejected":
        return None
    text, spans = reading.text, reading.spans
    last_named = max([m.end for m in spans.systems] + [a.end for a in spans.amounts], default=0)
    for cue in reading.lex.cues["not_pledge_context"].finditer(text):
        if reading.status == "pledged" and 0 <= reading.cue_at < cue.start() and \
                any(a.end <= cue.start() for a in spans.amounts):
            continue
        gap = text[last_named:cue.start()]
        if cue.start() < last_named or ("," not in gap and not SECOND_AIM_JOINER.search(gap)):
            reading.drop_all("gate:not_giving_context")
            remember_loose(reading)
            return "gate:not_giving_context"
    return None


def request_before_pledge(reading: Reading) -> str | None:
    """'Kyiv asked for ... and Berlin promised': the pledge cue answers a request, it is not one."""
    if reading.status != "pledged":
        return None
    request = reading.lex.cues["not_a_pledge"].search(reading.text)
    if request and request.start() < reading.cue_at:
        reading.drop_all("gate:request_before_pledge")
        return "gate:request_before_pledge"
    return None


def lists_what_was_set_aside(reading: Reading) -> str | None:
    """'... erhöhte seine Zusagen der Studie zufolge auf 7,5 Milliarden Euro. Darin enthalten seien
    Kampfpanzer, ...': an 'includes' sentence without a status cue of its own lists what the
    sentence before it named; where that one was set aside (a study's estimate, a description
    without a cue), so is its list."""
    if reading.status is not None or reading.in_list or not reading.inclusion or not reading.follows_set_aside:
        return None
    reading.inclusion = False
    return no_status_cue(reading, "gate:lists_what_was_set_aside")


def no_status_cue(reading: Reading, rule: str = "gate:no_status_cue") -> str | None:
    """No status cue, outside a list and without 'includes': only totals and named packages
    can be read ('bringing total U.S. assistance to $4.6 billion')."""
    if reading.status is not None or reading.in_list or reading.inclusion:
        return None
    if _counts_out_the_package_before(reading):
        reading.inclusion = True  # read as "it includes ...": the package's status, and its items
        return None
    remember_loose(reading)
    reading.draft.records.extend(money_records(reading, None, verbless=True,
                                               trace=[f"status:context={reading.context.status}"]))
    given = _kit_given_by_a_compound(reading)
    if reading.explanation is not None:
        for mention in reading.spans.systems:
            if mention not in given:
                reading.explanation.drop(reading.spans.sentence, mention.system.canonical_name, rule)
    if reading.text.rstrip().endswith(":"):
        open_list(reading.spans.sentence, reading.status, reading.context)
    return rule


def _kit_given_by_a_compound(reading: Reading) -> list[SystemMention]:
    """'Ukraine launched U.S.-provided ATACMS missiles': a giver named in a compound with a verb of
    giving, right before the kit, gave it, though the sentence is about its use. Not where another
    giver is named ('Australia dispatches US-supplied Abrams': the first owner is not the giver), and
    not in a claim or a report of losses ('Russia claimed to have destroyed a German-supplied Leopard')."""
    donors, text = reading.spans.donors, reading.text
    compounds = [d for d in donors if GIVING_COMPOUND_AFTER.match(text, d.end)]
    if not compounds or len({d.code for d in donors}) > 1:
        return []
    if CLAIMS.search(text) or LOSSES.search(text) or reading.lex.cues["not_a_pledge"].search(text):
        return []
    given = []
    for mention in (m for m in reading.spans.systems if not m.system.generic):  # a kind alone is too vague
        giver = next((d for d in compounds if d.end < mention.start and
                      GIVEN_BY_COMPOUND.fullmatch(text, d.end, mention.start)), None)
        if giver is None:
            continue
        quantity = mention.quantity
        reading.draft.records.append(PledgeRecord(
            kind="item", status="delivered", donor_code=giver.code, system_id=mention.system.system_id,
            system_name=mention.system.canonical_name, category=mention.system.category,
            is_munition=mention.system.is_munition, quantity=quantity.value if quantity else None,
            quantity_qualifier=quantity.qualifier if quantity else None, sentence=text,
            span_start=reading.spans.sentence.start, span_end=reading.spans.sentence.end,
            trace=["item:system_found", "status:given_by_compound=delivered", "giver:named_in_the_compound"]))
        given.append(mention)
    return given


def _counts_out_the_package_before(reading: Reading) -> bool:
    """'Details: Sunak noted that 400 vehicles, 4 million rounds, 60 boats and ...': a sentence with
    no verb of giving that counts out several kinds of kit, after a package was announced, lists
    that package's contents. Counts of one or two things stay unread (they may be anything), and so
    do counts after Ukraine or Russia ("Russia has lost 300 tanks, ...") and counts of losses."""
    text = reading.text
    if reading.context.package_index is None or reading.lex.cues["not_a_pledge"].search(text) or LOSSES.search(text):
        return False  # "12 tanks and 8 guns were lost near Avdiivka": losses, not what was given
    counted = [m for m in reading.spans.systems if m.quantity is not None and m.quantity.value]
    if len(counted) < MIN_COUNTED_IN_A_PACKAGE_LIST:
        return False
    return not any(p.code in reading.lex.never_donors and p.end <= counted[0].start for p in reading.spans.parties)


def read_referred_givers(reading: Reading) -> str | None:
    """Not a gate: '... funded by Luxembourg and Iceland. The partners handed over 500 routers':
    'the partners' before the verb, in a sentence naming no giver, are the givers last named together."""
    text, cue_at, context = reading.text, reading.cue_at, reading.context
    reading.referred = []
    if not reading.spans.donors and cue_at >= 0 and context.joint_givers and DEFINITE_OTHERS.search(text[:cue_at]):
        reading.referred = context.joint_givers
    return None


def others_give(reading: Reading) -> str | None:
    """'Allies have sent ...', 'Austin said allies had supplied ...': others give, unnamed (unless
    they are givers named before: 'the partners')."""
    text, cue_at, donors = reading.text, reading.cue_at, reading.spans.donors
    other_parties = reading.lex.cues["other_parties"]
    if reading.referred:
        return None
    remember_slice(text, 0, max(cue_at, 0))  # the words before the cue, from the sentence's
    if not other_parties.search(text[:max(cue_at, 0)]):
        return None
    reporters = [d for d in donors if is_reporter(d, text)]
    subject_from = reporters[-1].end if donors and len(reporters) == len(donors) else 0
    if (not donors or subject_from) and other_parties.search(text[subject_from:max(cue_at, 0)]):
        if _members_total(reading, subject_from) and reading.explanation is not None:
            for mention in reading.spans.systems:
                reading.explanation.drop(reading.spans.sentence, mention.system.canonical_name, "gate:others_give")
        else:
            reading.drop_all("gate:others_give")
        return "gate:others_give"
    return None


def _members_total(reading: Reading, subject_from: int) -> bool:
    """'He said the allies have provided Ukraine with support worth EUR 40 billion', on a page
    about NATO: the members of the group named before give it together, a total of that group.
    Only money: what kit 'the allies' sent names no giver."""
    group, lex = reading.context.donor, reading.lex
    if not reading.spans.amounts or group is None or not _pools_members_money(group, lex) or \
            reading.spans.donors and not subject_from:
        return False
    if not THE_GROUPS_MEMBERS.search(reading.text, subject_from, max(reading.cue_at, 0)):
        return False
    totals = [r for r in money_records(reading, reading.status, verbless=False,
                                       trace=[f"status:sentence_cue={reading.status}"])
              if r.kind == "aggregate"]  # a group's money is always its total (_pools_members_money)
    for record in totals:
        record.trace.append("giver:members_of_the_group_named_before")
    reading.draft.records.extend(totals)
    return bool(totals)


SENTENCE_GATES: list[Callable[[Reading], str | None]] = [
    nothing_named, read_status_cue, for_a_third_country, giver_receives, read_giver_line, not_giving_context,
    request_before_pledge, lists_what_was_set_aside, no_status_cue, read_referred_givers, others_give]


def remember_loose(reading: Reading) -> None:
    """Counted named systems of a sentence that makes no item: a later generic item of the same
    count may be that system ('650 missiles' ... 'the 650 Lightweight Multirole Missiles')."""
    for mention in reading.spans.systems:
        if not mention.system.generic and mention.quantity and mention.quantity.value:
            reading.draft.loose_specifics.append((mention.system, mention.quantity.value,
                                                  reading.spans.sentence.start))


# --- money: packages and totals -------------------------------------------------------------

NO_RECORD = "none"


def legislation_after(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                      lex: Lexicon, listed: bool) -> str | None:
    """'around $24 billion in the measure is for ...': the law's money, not a total."""
    return NO_RECORD if lex.cues["legislation"].search(after) else None


def package_own_total(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                      lex: Lexicon, listed: bool) -> str | None:
    """'Insgesamt wird das Paket 400 Millionen Euro schwer sein': a total word, then the package
    noun: the package's own total, unless counted since a date."""
    cue = lex.cues["aggregate_before"].search(before)
    if cue and STRONG_PACKAGE_NOUN.search(before, cue.end()) and not SINCE.search(segment):
        return "package"
    return None


def aggregate_cue(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                  lex: Lexicon, listed: bool) -> str | None:
    """'a total of $X', '$X in total so far'; not the total of one package ('its 17th package ...
    totalling SEK 4.6 billion')."""
    if (lex.cues["aggregate_before"].search(before) and not _totals_one_package(before, rest)) or \
            lex.cues["aggregate_after"].search(after):
        return "aggregate"
    return None


def _totals_one_package(before: str, rest: str) -> bool:
    """'its 17th package ... totalling SEK 4.6 billion', 'Altogether, it is a package worth €1.3
    billion', 'a shipment with a total value of €2 million': the total of one package, not a sum
    of several, unless something brings a running total up or counts it since a date."""
    return bool(ONE_PACKAGE_NOUN.search(before) and PACKAGE_TOTAL_WORD.search(before)) and \
        not RUNNING_TOTAL_VERB.search(before) and not SINCE.search(before + rest)


def perfect_since(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                  lex: Lexicon, listed: bool) -> str | None:
    """'has committed £12.5 billion in military and economic support since 2022'."""
    return "aggregate" if PERFECT.search(before) and SINCE.search(rest) else None


def since_then_total(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                     lex: Lexicon, listed: bool) -> str | None:
    """'has since 2022 committed $X', 'hat seit 2022 ... 28 Mrd. Euro bereitgestellt'."""
    since = SINCE.search(before)
    if since and (PERFECT.search(before[since.end():]) or TOTAL_VERB.search(before[since.end():]) or (
            GERMAN_AUXILIARY.search(before[since.end():]) and GERMAN_PARTICIPLE_AFTER.match(after))):
        return "aggregate"
    return None


def total_reached(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                  lex: Lexicon, listed: bool) -> str | None:
    """'we will send an additional £500 million, hitting £3 billion of support this year': the
    amount a running total reaches, right after the word that reaches it."""
    return "aggregate" if TOTAL_REACHED_BEFORE.search(before[-80:]) else None  # the words right before it


def legislation(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                lex: Lexicon, listed: bool) -> str | None:
    """Money a bill or budget would allow is no pledge, unless the segment names a package."""
    if lex.cues["legislation"].search(segment) or (lex.cues["legislation"].search(sentence) and
                                                   not PACKAGE_NAMED.search(segment)):
        return NO_RECORD
    return None


def no_package_word(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                    lex: Lexicon, listed: bool) -> str | None:
    """Money with neither a package noun nor a status cue of its own near it is not a package,
    unless it stands on a list line of a giver ("• Norway: €200 million for ...")."""
    if not listed and not PACKAGE_NOUN.search(segment) and not status_of(segment, lex)[0]:
        return NO_RECORD
    return None


def package_otherwise(money: Money, before: str, after: str, rest: str, segment: str, sentence: str,
                      lex: Lexicon, listed: bool) -> str | None:
    return "package"


MONEY_KIND_RULES = [legislation_after, package_own_total, aggregate_cue, perfect_since, since_then_total, total_reached,
                    legislation, no_package_word, package_otherwise]


def money_kind(money: Money, segment: str, sentence: str, lex: Lexicon,
               listed: bool = False) -> tuple[str | None, str]:
    """(kind, rule): 'aggregate', 'package' or None, and the name of the rule that decided."""
    at = segment.find(money.text)
    before = segment[:at] if at >= 0 else segment
    rest = segment[at + len(money.text):] if at >= 0 else ""
    rest = CONVERSION_AFTER.sub("", rest)  # "55,4 Mrd. US-Dollar (rund 51,2 Mrd. Euro) bereitgestellt"
    after = MONEY_AFTER_END.split(rest, maxsplit=1)[0][:70]
    if at >= 0:  # the cue lists read `before` and `after`: their words, from the segment's
        remember_slice(segment, 0, at)
        after_at = len(segment) - len(rest)
        if segment.startswith(after, after_at):
            remember_slice(segment, after_at, after_at + len(after))
    for rule in MONEY_KIND_RULES:
        kind = rule(money, before, after, rest, segment, sentence, lex, listed)
        if kind is not None:
            return (None if kind == NO_RECORD else kind), rule.__name__
    raise AssertionError("package_otherwise always decides")


def money_records(reading: Reading, status: str | None, verbless: bool, trace: list[str]) -> list[PledgeRecord]:
    """Package and aggregate records for the amounts of a sentence. `status` is the sentence's own
    status cue (None when it has none); a `verbless` sentence yields a package only when a noun
    such as "package" or "drawdown" names it."""
    sentence, amounts, donors = reading.spans.sentence, reading.spans.amounts, reading.spans.donors
    context, lex, explanation = reading.context, reading.lex, reading.explanation
    text = sentence.text
    listed = bool(reading.giver_line) and not verbless
    records = []
    for n, money in enumerate(amounts):
        if NEGATIVE_SIGN_BEFORE.search(text, max(0, money.start - 3), money.start):
            if explanation is not None:
                explanation.drop(sentence, money.text, "money:negative_amount")
            continue  # "-€300 million": a cut or a typo, never an amount given
        if money.value is not None and money.value < MIN_PLEDGE_VALUE:
            if explanation is not None:
                explanation.drop(sentence, money.text, "money:too_small_to_be_a_pledge")
            continue  # "more than $1.3" where a saved page is cut off before "billion": no pledge is that small
        if n and _under_another_time_without_giver(amounts[n - 1], money, text, donors):
            if explanation is not None:
                explanation.drop(sentence, money.text, "money:another_time_without_its_giver")
            continue
        if _recalled_beside_the_news(money, text):
            if explanation is not None:
                explanation.drop(sentence, money.text, "money:given_before_and_recalled")
            continue  # "la France fournira ..., en complément des cent millions d'euros déjà livrés"
        bounds = (amounts[n - 1].end if n else 0, amounts[n + 1].start if n + 1 < len(amounts) else len(text))
        segment = text[bounds[0]:bounds[1]]
        remember_slice(text, *bounds)  # for the cue lists that read the segment
        giver, giver_rule = _money_giver(money, donors, text)
        shares_the_next = False  # "€500 million for shells and €200 million for drones were pledged by Germany"
        if giver and n + 1 < len(amounts) and _giver_is_another_amounts(money, amounts[n + 1].start, donors):
            shares_the_next = _listed_with_the_next(money, amounts[n + 1].start, reading)
            if shares_the_next:
                giver_rule = "giver:named_after_the_amounts_listed"
            else:
                giver, giver_rule = None, "giver:named_after_another_amount"
        donor = giver or context.donor
        if _points_back_to_an_earlier_amount(money, text, status or context.status, donor, reading.draft.records):
            if explanation is not None:
                explanation.drop(sentence, money.text, "money:definite_amount_named_before")
            continue  # "Meanwhile, the €1.8 billion disbursement ...": the page's earlier amount, whoever gave it
        line_opening = reading.in_list and not verbless and _opens_the_line(money, text)
        kind, rule = money_kind(money, segment, text, lex, listed or line_opening or shares_the_next) \
            if donor else (None, "no_giver")
        rules = [f"money:{rule}", giver_rule if giver else "giver:page_or_earlier_donor"]
        if kind != "aggregate" and _total_compared_with(segment, bounds[0], money, records, donors):
            kind = "aggregate"  # "rund 5,4 Milliarden Euro vorgesehen, nach zwei Milliarden Euro im Vorjahr"
            rules.append("money:total_compared_with")
        if kind == "package" and records and records[-1].kind == "aggregate" and PART_OF_BEFORE.match(segment):
            kind = "aggregate"  # "more than A$1.5 billion, including A$1 billion in military support"
            rules.append("money:part_of_total")
        if kind == "package" and verbless and not STRONG_PACKAGE_NOUN.search(segment):
            if not _names_a_funding_channel(segment, lex):
                if explanation is not None:
                    explanation.drop(sentence, money.text, "money:verbless_without_package_noun")
                continue
            rules.append("money:package_of_a_named_channel")
        leader = _group_whose_scheme_it_sizes(money, text, reading) if kind else None
        if leader:
            kind, donor = "aggregate", leader  # "the G7-led ERA initiative, which aims to provide €45 billion"
            rules.append("money:size_of_a_groups_scheme")
        if kind == "package" and _pools_members_money(donor, lex):
            kind = "aggregate"  # "NATO allies will provide a minimum of €40 billion": the group's sum
            rules.append("money:group_pools_members_money")
        if kind is None:
            if explanation is not None:
                explanation.drop(sentence, money.text, f"money:{rule}")
            continue
        money = _local_currency(money, donor)
        fields = dict(kind=kind, donor_code=donor, value=money.value, currency=money.currency,
                      value_qualifier=money.qualifier, sentence=text, span_start=sentence.start,
                      span_end=sentence.end)
        if kind == "aggregate":
            at = segment.find(money.text)
            after = segment[at + len(money.text):] if at >= 0 else ""
            since = next(filter(None, (_since_date(part, reading.article.published_date, lex)
                                       for part in (after, segment, text))), None)
            records.append(PledgeRecord(status="pledged", since_date=since, trace=[*rules, "status:total_is_pledged"],
                                        **fields))
        else:
            money_status, money_trace = status or context.status, trace
            instead = _given_instead_of_refused(money.start, reading) if money_status == "rejected" else None
            if instead == NO_RECORD:
                if explanation is not None:
                    explanation.drop(sentence, money.text, "money:another_givers_after_a_refusal")
                continue
            if instead == "pledged":
                money_status, money_trace = "pledged", ["status:given_instead_of_refused=pledged"]
            for partner in _joint_givers(money, donors, text, donor):
                records.append(PledgeRecord(status=money_status,
                                            trace=[*money_trace, *rules, "giver:joint_giver_of_amount"],
                                            **{**fields, "donor_code": partner}))
            records.append(PledgeRecord(status=money_status, trace=[*money_trace, *rules],
                                        channel=_channel(money, segment, text, donor, lex), **fields))
    return records


def _recalled_beside_the_news(money: Money, text: str) -> bool:
    """'en complément des cent millions d'euros déjà livrés', 'in addition to the $1 billion pledged in
    May', 'zusätzlich zu den bereits zugesagten 300 Millionen Euro': an amount right after 'in
    addition to', recalled as given before (by a word before it or in its clause after it), is no
    new money. 'In addition to €500 million in military aid, Germany will provide ...' lists two."""
    before = IN_ADDITION_TO_BEFORE.search(text, max(0, money.start - 60), money.start)
    if before is None:
        return False
    if RECALL_MARKER.search(before.group()):
        return True
    after = text[money.end:money.end + 50]
    stop = re.search(r"[,;.]|\s[-–—]\s", after)
    return bool(RECALL_MARKER.search(after[:stop.start()] if stop else after))


def _points_back_to_an_earlier_amount(money: Money, text: str, status: str, donor: str | None,
                                      earlier: list[PledgeRecord]) -> bool:
    """'the €1.8 billion disbursement' after the page has recorded €1.8 billion paid: the definite
    article points back to that amount, so it is no new package or total, though the giver read here
    (another one named in between) differs. The same giver's repeat is merged later (merge_repeats,
    which keeps what the repeat adds). An amount pledged before and delivered now ("the €500 million
    promised in May has arrived") is news: only an earlier record of the same status counts."""
    if money.value is None or not DEFINITE_AMOUNT_BEFORE.search(text, max(0, money.start - 8), money.start):
        return False
    return any(r.kind in ("package", "aggregate") and r.currency == money.currency and r.value is not None and
               abs(r.value - money.value) <= 0.001 * money.value and r.status == status and r.donor_code != donor
               for r in earlier)


def _under_another_time_without_giver(previous: Money, money: Money, text: str, donors: list[DonorMention]) -> bool:
    """'In January, Estonia, the Netherlands and Luxembourg delivered equipment worth €3.3 million, and
    in February, equipment worth €7.5 million': the second amount stands under a time of its own and
    names no giver; January's givers are not said to have given February's."""
    gap = ANOTHER_TIME_BEFORE.search(text, previous.end, money.start)
    return bool(gap) and not any(gap.start() <= d.start < money.start for d in donors)


def _group_whose_scheme_it_sizes(money: Money, text: str, reading: Reading) -> str | None:
    """'The funding is the EU's share of the ERA initiative, which aims to provide nearly €45 billion':
    the amount sizes a scheme, not the giver's package. It is the total of the group the page says
    leads that scheme: in the same noun phrase ('the G7-led ERA initiative, which aims ...'), or
    earlier, when the scheme is named with a definite article ('the scheme', 'the ERA initiative');
    'a new fund' is another scheme. With no such group it is left as read."""
    size = SCHEME_SIZE_BEFORE.search(text, max(0, money.start - 160), money.start)
    if size is None:
        return None
    noun = re.match(r"[\w-]+", text[size.start():]).group().lower()
    noun_end = reading.spans.sentence.start + size.start() + len(noun)
    schemes = _led_schemes(reading)
    same_phrase = next((group for end, _, group in schemes if end == noun_end), None)
    if same_phrase is not None or not DEFINITE_SCHEME_BEFORE.search(text, max(0, size.start() - 80), size.start()):
        return same_phrase
    earlier = [group for end, led_noun, group in schemes if end < noun_end and led_noun == noun]
    return earlier[-1] if earlier else None


def _led_schemes(reading: Reading) -> list[tuple[int, str, str]]:
    """Every scheme the page says a group leads ('the G7-led ERA initiative'), read once a page."""
    context = reading.context
    if context.led_schemes is None:
        page, lex = reading.article.text, reading.lex
        context.led_schemes = []
        for led in LED_SCHEME.finditer(page):
            window = page[max(0, led.start() - 30):led.start()]
            named = [p for p in find_parties(window, lex) if p.end == len(window) and p.code in lex.groups]
            if named:
                context.led_schemes.append((led.end("noun"), led.group("noun").lower(), named[-1].code))
    return context.led_schemes


def _opens_the_line(money: Money, text: str) -> bool:
    """'- $6.5 million to the International Fund for Ukraine', under 'the package also includes:':
    an amount that opens a line of a list is one of the listed parts, package noun or not."""
    return not text[:money.start].strip(LIST_LINE_MARKS)
def _total_compared_with(segment: str, segment_start: int, money: Money, records: list[PledgeRecord],
                         donors: list[DonorMention]) -> bool:
    """An amount right after a total of the sentence, compared with it ('nach zwei Milliarden Euro im
    Vorjahr', 'up from $2 billion'), and with no other giver named between them, is that giver's total too."""
    at = segment.find(money.text)
    if not records or records[-1].kind != "aggregate" or at < 0 or not COMPARED_WITH_BEFORE.search(segment[:at]):
        return False
    return not any(segment_start <= d.start < money.start and d.code != records[-1].donor_code for d in donors)


def _money_giver(money: Money, donors: list[DonorMention], text: str) -> tuple[str | None, str]:
    """The giver named before an amount, or else the first named after it, unless that one is a
    recipient ("$1 billion ... with the rest divided among Albania, Bosnia ...")."""
    if any(d.end <= money.start for d in donors):
        return _donor_at(money.start, donors), "giver:nearest_donor"
    after = [d for d in donors if d.start >= money.end]
    if after and RECIPIENT_BEFORE.search(text[max(0, after[0].start - 25):after[0].start]):
        return None, "giver:recipients_named_after_amount"
    return _donor_at(money.start, donors), "giver:nearest_donor"


def _giver_is_another_amounts(money: Money, next_amount_at: int, donors: list[DonorMention]) -> bool:
    """'Nous avons livré pour 100 millions d'€ d'équipements et œuvré au déblocage de 1,5 milliard
    d'€ par l'UE': a giver named only after the next amount gives that one, not this one."""
    return all(d.start >= next_amount_at for d in donors)


def _listed_with_the_next(money: Money, next_amount_at: int, reading: Reading) -> bool:
    """'€500 million for ammunition and €200 million for drones were pledged by Germany': amounts
    listed together, with no verb of their own between them, share the giver named after the last."""
    between = reading.text[money.end:next_amount_at]
    return bool(AMOUNTS_LISTED_GAP.fullmatch(between)) and status_of(between, reading.lex)[0] is None and \
        not CLAUSE_BREAK.search(between)


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


def _local_currency(money: Money, donor: str) -> Money:
    if money.currency == "USD" and donor in LOCAL_DOLLARS and (BARE_DOLLAR.match(money.text) or
                                                               BARE_DOLLARS.search(money.text)):
        return replace(money, currency=LOCAL_DOLLARS[donor])
    if donor in LOCAL_CROWNS and BARE_CROWNS.search(money.text):
        return replace(money, currency=LOCAL_CROWNS[donor])
    return money


def _names_a_funding_channel(segment: str, lex: Lexicon) -> bool:
    """'Another $2.4 billion is under the Ukraine Security Assistance Initiative': a programme that
    funds aid names the amount a package as a package noun would, verb or not."""
    return any(pattern.search(segment) for pattern in lex.cues["channels"].values())


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
    month_year = MONTH_YEAR_AFTER.match(window)
    if month_year:
        return date(int(month_year.group(2)), MONTHS[month_year.group(1).lower()], 1)
    year = YEAR_AFTER.match(window)
    if year:
        return date(int(year.group(1)), 1, 1)
    return None


# --- items: givers, quantities, statuses, packages ------------------------------------------

def giver_named_after(mention: SystemMention, reading: Reading) -> DonorMention | None:
    """'Patriot batteries from the United States', 'will be supplied by Canada': the giver named
    after the item. Not where the sentence buys from someone ('Germany will buy Patriots from the
    United States for Ukraine'): the buyer gives."""
    text = reading.text
    for donor in reading.spans.donors:
        if donor.start >= mention.end:
            if GIVER_AFTER.fullmatch(text[mention.end:donor.start]) and not PURCHASE.search(text[:donor.start]):
                return donor
            return None
    return None


def nearest_donor_before(mention: SystemMention, reading: Reading) -> DonorMention | None:
    before = [d for d in reading.spans.donors if d.end <= mention.start]
    return before[-1] if before else None


def first_donor_in_sentence(mention: SystemMention, reading: Reading) -> DonorMention | None:
    """'Patriot systems will be sent by Germany's government ...': a giver named later still gives."""
    return reading.spans.donors[0] if reading.spans.donors else None


def referred_givers(mention: SystemMention, reading: Reading) -> str | None:
    """'The partners handed over 500 routers': the first of the givers last named together
    (read_referred_givers); the others are its partners."""
    return reading.referred[0] if reading.referred else None


def page_or_earlier_donor(mention: SystemMention, reading: Reading) -> str | None:
    """The donor of the page (its publisher, or the country it is about) or of earlier sentences."""
    return reading.context.donor


GIVER_RULES = [giver_named_after, nearest_donor_before, first_donor_in_sentence, referred_givers, page_or_earlier_donor]


def giver_of(mention: SystemMention, reading: Reading) -> tuple[str | None, DonorMention | None, str]:
    """(donor code, the mention named after the item if that rule decided, rule name)."""
    for rule in GIVER_RULES:
        found = rule(mention, reading)
        if found is not None:
            if isinstance(found, DonorMention):
                return found.code, (found if rule is giver_named_after else None), rule.__name__
            return found, None, rule.__name__
    return None, None, "no_giver"


def _donor_at(position: int, donors: list[DonorMention]) -> str | None:
    before = [d for d in donors if d.end <= position]
    if before:
        return before[-1].code
    return donors[0].code if donors else None


def item_quantity(mention: SystemMention, rates: list[tuple[int, Quantity]]) -> tuple[Quantity | None, str]:
    """The count before the name; munitions without one take the nearest rate ('4,000 shells a
    month'), and a count equal to a rate is that rate."""
    quantity = mention.quantity
    if rates and (quantity is None or quantity.value is None) and mention.system.is_munition:
        return min(rates, key=lambda r: abs(r[0] - mention.start))[1], "quantity:nearest_rate"
    if rates and quantity is not None:
        same = [rate for _, rate in rates if rate.value == quantity.value]
        if same:
            return same[0], "quantity:count_is_rate"
    return quantity, "quantity:count_before" if quantity is not None else "quantity:none"


def reason_spans(text: str) -> list[tuple[int, int]]:
    """Where a sentence gives a reason ("because ...", "as this would ..."), to its next clause break."""
    spans = []
    for opener in REASON_OPENER.finditer(text):
        following = CLAUSE_BREAK.search(text, opener.end())
        spans.append((opener.start(), following.start() if following else len(text)))
    return spans


def read_items(reading: Reading, systems: list[SystemMention], package_in_sentence: PledgeRecord | None,
               trace: list[str]) -> None:
    """One item record per system named, for its giver, with its clause's status and package."""
    if not systems:
        return  # no item to make: the rates, requests and clause statuses below are read for items only
    text, donors, context = reading.text, reading.spans.donors, reading.context
    status, cue_at = reading.status, reading.cue_at
    sentence_status = status or context.status
    rates = find_rates(text, reading.language)
    requests = [m.end() for m in reading.lex.cues["not_a_pledge"].finditer(text)]
    # A pledge outranks nothing, so only a sentence that delivers or refuses can mix statuses.
    clauses = clause_statuses(text, reading.lex) if status in ("delivered", "rejected") else []
    sentence = reading.spans.sentence
    reasons = reason_spans(text)
    for mention in systems:
        donor, giver_after, giver_rule = giver_of(mention, reading)
        if donor is None:
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "giver:no_giver")
            continue
        clause_status = next((s for start, end, s in clauses if start <= mention.start < end), None)
        item_status = clause_status or sentence_status
        status_rule = f"status:clause_cue={clause_status}" if clause_status else trace[0]
        instead = _given_instead_of_refused(mention.start, reading) if "rejected" in (item_status, status) else None
        if instead == NO_RECORD:
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "item:another_givers_after_a_refusal")
            continue  # "refused to send Taurus and instead urged the United States to send ATACMS"
        if instead == "pledged":
            item_status, status_rule = "pledged", "status:given_instead_of_refused=pledged"
        if item_status == "rejected":
            donor, giver_after, giver_rule = _who_blocks_re_export(mention, reading, donor, giver_after, giver_rule)
        if status != "rejected" and any(max(cue_at, 0) < r <= mention.start for r in requests):
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "item:asked_for")
            continue  # "Germany will send a Patriot as Kyiv pleads for air defence": asked for, not given
        if status == "rejected" and mention.end <= cue_at and REFUSED_REQUEST_TO.match(text, cue_at):
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "item:named_before_a_refused_request")
            continue  # "after Kyiv sought the M1A1 fleet, ... declined a request to donate its helicopters"
        if any(start <= mention.start < end for start, end in reasons):
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "item:named_in_a_reason")
            continue  # "will not send Gripens, as this would disturb the introduction of F-16s"
        own_status = _status_before_what_was_given(mention, reading)
        if own_status == NO_RECORD:
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "item:considered_beside_what_was_given")
            continue  # "Paris envisage l'envoi de six Caesar, en plus des 18 déjà livrés": only the 18 were given
        if own_status is not None:
            item_status, status_rule = own_status, f"status:before_what_was_given={own_status}"
        if NEGATIVE_COUNT_BEFORE.search(text, max(0, mention.start - 40), mention.start):
            if reading.explanation is not None:
                reading.explanation.drop(sentence, mention.system.canonical_name, "item:negative_count")
            continue  # "-5 NASAMS launchers": no count of things given is below zero
        quantity, quantity_rule = item_quantity(mention, rates)
        package_index, package_rule = None, None
        if package_in_sentence is not None and package_in_sentence.donor_code == donor:
            package_index, package_rule = -1, "package:same_sentence"  # resolved by _carry_context
        elif (reading.inclusion or reading.in_list) and context.package_index is not None:
            package_index, package_rule = context.package_index, "package:earlier_package_listed"
        item_fields = dict(kind="item", status=item_status, system_id=mention.system.system_id,
                           system_name=mention.system.canonical_name, category=mention.system.category,
                           is_munition=mention.system.is_munition)
        base = ["item:system_found", status_rule]
        for partner in _coordinated_donors(giver_after.end if giver_after else mention.start, donors, text):
            _record(reading, donor_code=partner, trace=[*base, "giver:coordinated_with_giver"], **item_fields)
        for partner in (reading.referred or [])[1:]:
            _record(reading, donor_code=partner, trace=[*base, "giver:referred_back_with_giver"], **item_fields)
        partner = _partner_named_before_with(mention, reading, donor) if giver_after is None else None
        if partner is not None:
            _record(reading, donor_code=partner, trace=[*base, "giver:partner_before_together_with"], **item_fields)
        item = _record(reading, donor_code=donor, quantity=quantity.value if quantity else None,
                       quantity_per=quantity.per if quantity else None,
                       quantity_qualifier=quantity.qualifier if quantity else None,
                       trace=[*base, f"giver:{giver_rule}", quantity_rule] + ([package_rule] if package_rule else []),
                       **item_fields)
        item.package_index = package_index
        if quantity is not None and quantity.of_whole and item_status == "delivered":
            # "has delivered 14 of the 19 F-16s": the 19 were pledged
            whole = _record(reading, donor_code=donor, quantity=quantity.of_whole,
                            trace=[*base[:1], "status:whole_of_a_delivered_part=pledged", f"giver:{giver_rule}",
                                   "quantity:whole_of_part"], **{**item_fields, "status": "pledged"})
            whole.package_index = package_index
        for partner, count in _gapped_donors(mention, donors, text, reading.language):
            _record(reading, donor_code=partner, quantity=count, trace=[*base, "giver:gapped_after_item"],
                    **item_fields)


def _maker_blocking_re_export(mention: SystemMention, reading: Reading) -> str | None:
    """'Le Danemark ne peut pas transférer des chars Piranha fabriqués en Suisse': a giver that
    cannot pass on arms made in another country is refused by that country's re-export law; the
    refusal is the maker's ("des chars suisses": the maker's adjective right after the noun, as
    French puts it). The country after 'made in' is a place to the party finder, so it is looked
    up in those words alone."""
    made_in = MADE_IN_AFTER.match(reading.text, mention.end)
    if made_in is None:
        adjective = next((p for p in reading.spans.parties if p.start >= mention.end), None)
        if adjective is not None and adjective.is_adjective and not reading.text[mention.end:adjective.start].strip() \
                and adjective.code not in reading.lex.never_donors:
            return adjective.code
        return None
    found = reading.lex.parties.find(reading.text[made_in.end():made_in.end() + 40])
    if not found or found[0].start != 0 or found[0].value.code in reading.lex.never_donors:
        return None
    return found[0].value.code


def _given_instead_of_refused(position: int, reading: Reading) -> str | None:
    """'Österreich liefert keine Waffen, sondern humanitäre Hilfe im Wert von 10 Millionen Euro': what
    stands after 'sondern' / 'but rather', after the refusal, is given instead ("pledged"): by a cue
    of its own, or by the refused verb itself where the contrast names nothing but the kit. Not after
    'sondern auch' ('blockiert nicht nur X, sondern auch Y': refused too). What another giver is asked
    or named to give after it ('and instead urged the United States to send ATACMS') is nobody's
    pledge here: NO_RECORD."""
    if reading.cue_at < 0:
        return None
    contrast = CONTRAST_AFTER_NEGATION.search(reading.text, reading.cue_at, position)
    if contrast is None:
        return None
    stretch = reading.text[contrast.end():position]
    refusers = {d.code for d in reading.spans.donors if d.end <= reading.cue_at}
    if reading.lex.cues["not_a_pledge"].search(stretch) or any(
            contrast.end() <= d.start < position and d.code not in refusers for d in reading.spans.donors):
        return NO_RECORD
    return "pledged" if status_of(stretch, reading.lex)[0] in ("pledged", None) else None


def _partner_named_before_with(mention: SystemMention, reading: Reading, donor: str) -> str | None:
    """'kündigte die Bundesregierung an, zusammen mit Kopenhagen 90 Panzer zu liefern', 'Norway will
    fund, together with Germany, two Patriot systems': the giver comes after 'together with', its
    partner, named before in the same clause, gives too."""
    text, donors = reading.text, reading.spans.donors
    before = [d for d in donors if d.end <= mention.start]
    if not before or before[-1].code != donor:
        return None
    with_at = PARTNER_WITH_BEFORE.search(text, max(0, before[-1].start - 40), before[-1].start)
    if with_at is None:
        return None
    partners = [d for d in before[:-1] if d.end <= with_at.start() and d.code != donor]
    if not partners or CLAUSE_BREAK.search(text, partners[-1].end, with_at.start()):
        return None
    return partners[-1].code


def _who_blocks_re_export(mention: SystemMention, reading: Reading, donor: str, giver_after: DonorMention | None,
                          giver_rule: str) -> tuple[str, DonorMention | None, str]:
    """The giver of a refused item, or the party whose re-export law or refusal blocks it."""
    blocker, rule = _refuses_re_export(reading), "refuses_re_export"
    if blocker is None and (RE_EXPORT.search(reading.text) or PERMISSION.search(reading.text)):
        # "Poland will not deliver Leopard tanks made in Germany": Poland's own choice, not Germany's law
        blocker, rule = _maker_blocking_re_export(mention, reading), "maker_blocks_re_export"
    if blocker is None or blocker == donor:
        return donor, giver_after, giver_rule
    return blocker, None, rule


def _refuses_re_export(reading: Reading) -> str | None:
    """'Die Schweiz verweigert Deutschland die Weitergabe von Munition', 'La Suisse a refusé la
    réexportation de munitions pour les Gepard allemands': the party that refuses a re-export,
    named before the refusal, blocks it; the would-be giver named after it does not refuse."""
    if reading.cue_at < 0 or not RE_EXPORT.search(reading.text):
        return None
    before = [d for d in reading.spans.donors if d.end <= reading.cue_at]
    return before[-1].code if before else None


def _status_before_what_was_given(mention: SystemMention, reading: Reading) -> str | None:
    """The item's own status where the sentence's cue stands in an 'in addition to the 18 already
    delivered' after it: the cue of the words before that, or NO_RECORD where they only consider
    or ask for the item ("envisage l'envoi de six Caesar, en plus des 18 déjà livrés")."""
    recalled = IN_ADDITION_TO_COUNT.search(reading.text, mention.end)
    if recalled is None:
        return None
    own = reading.text[:recalled.start()]
    status = status_of(own, reading.lex)[0]
    if status is None:
        return NO_RECORD if reading.lex.cues["not_a_pledge"].search(own) else None
    return status if status != reading.status else None


def read_elided_repeat(reading: Reading, systems: list[SystemMention], package_in_sentence: PledgeRecord | None,
                       trace: list[str]) -> None:
    """'six more CAESAR howitzers, in addition to the 18 already delivered', 'zusätzlich zu den 18
    bereits gelieferten': the item named last again, with the count and status of what was given
    before (its noun left out)."""
    text = reading.text
    for recalled in IN_ADDITION_TO_COUNT.finditer(text):
        named = [m for m in systems if m.end <= recalled.start()]
        if not named or any(m.start >= recalled.start() for m in systems):
            continue
        status, cue_at = status_of(text[recalled.end():], reading.lex)
        count = parse_number(recalled.group("num"), reading.language)
        if status not in ("pledged", "delivered") or cue_at > ELIDED_CUE_WITHIN or not count:
            continue
        mention = named[-1]
        donor, _, giver_rule = giver_of(mention, reading)
        if donor is None:
            continue
        _record(reading, kind="item", donor_code=donor, status=status, system_id=mention.system.system_id,
                system_name=mention.system.canonical_name, category=mention.system.category,
                is_munition=mention.system.is_munition, quantity=int(count),
                trace=["item:count_of_what_was_given_before", f"status:clause_cue={status}", f"giver:{giver_rule}"])


def read_more_of_the_same(reading: Reading, systems: list[SystemMention], package_in_sentence: PledgeRecord | None,
                          trace: list[str]) -> None:
    """'La France a déjà livré 30 canons Caesar et en livrera six autres': the pronoun stands for the
    item named last, with the count and the status of its own verb."""
    text = reading.text
    for more in PRONOUN_COUNT.finditer(text):
        named = [m for m in systems if m.end <= more.start()]
        status = status_of(more.group("verb"), reading.lex)[0]
        count = parse_number(more.group("num"), reading.language)
        if not named or any(m.start >= more.start() for m in systems) or status not in ("pledged", "delivered") \
                or not count:
            continue
        mention = named[-1]
        donor, _, giver_rule = giver_of(mention, reading)
        if donor is not None:
            _record(reading, kind="item", donor_code=donor, status=status, system_id=mention.system.system_id,
                    system_name=mention.system.canonical_name, category=mention.system.category,
                    is_munition=mention.system.is_munition, quantity=int(count),
                    trace=["item:more_of_the_item_named_before", f"status:clause_cue={status}",
                           f"giver:{giver_rule}"])


ELIDED_CUE_WITHIN = 12  # "18 déjà livrés", "18 bereits gelieferten": the cue right after the count


def read_support(reading: Reading, systems: list[SystemMention], package_in_sentence: PledgeRecord | None,
                 trace: list[str]) -> None:
    """'Norway pledged its support': a bare pledge of support, when the sentence made nothing else."""
    text, lex = reading.text, reading.lex
    if reading.new_records or not reading.status or not lex.cues["support"].search(text):
        return
    verb = lex.cues["support_verbs"].search(text)
    # "Trump has paused military aid to Ukraine": a halt of aid is support refused
    verb_at = reading.cue_at if reading.status == "rejected" and reading.cue_at >= 0 else \
        verb.start() if verb else None
    if verb_at is not None:
        # in reading order: a set here made the order of these records change from run to run
        for donor in dict.fromkeys(d.code for d in reading.spans.donors if d.end <= verb_at):
            _record(reading, kind="support", donor_code=donor, status=reading.status,
                    trace=[f"status:sentence_cue={reading.status}", "support:pledge_of_support"])


def read_support_beside_others(reading: Reading, systems: list[SystemMention],
                               package_in_sentence: PledgeRecord | None, trace: list[str]) -> None:
    """'Denmark has also made a new pledge to aid Ukraine, and the Netherlands has announced 4 billion
    euros': a giver with nothing of its own in the sentence, whose clause pledges support."""
    donors, made, lex = reading.spans.donors, reading.new_records, reading.lex
    if not made or reading.status not in ("pledged", "delivered") or len(donors) < 2:
        return
    found: list[str] = []
    for n, donor in enumerate(donors):
        if donor.code in {r.donor_code for r in made} or donor.code in found:
            continue
        clause = reading.text[donor.end:donors[n + 1].start if n + 1 < len(donors) else len(reading.text)]
        if lex.cues["support_verbs"].search(clause) and lex.cues["support"].search(clause):
            found.append(donor.code)
    for donor in found:
        _record(reading, kind="support", donor_code=donor, status=reading.status,
                trace=[f"status:sentence_cue={reading.status}", "support:beside_another_givers_pledge"])


def _remember_requested(reading: Reading) -> None:
    if reading.spans.systems and reading.lex.cues["not_a_pledge"].search(reading.text):
        reading.context.requested = (reading.spans.sentence.paragraph, [m.system for m in reading.spans.systems])


def read_refused_request(reading: Reading, systems: list[SystemMention], package_in_sentence: PledgeRecord | None,
                         trace: list[str]) -> None:
    """'Kyiv pushed Germany to transfer Taurus missiles. Scholz has refused Kyiv's request': a refusal
    of a request named just before, in a sentence naming no kit, refuses the kit requested."""
    requested, context = reading.context.requested, reading.context
    if systems or reading.spans.systems or reading.status != "rejected" or requested is None or \
            reading.spans.sentence.paragraph - requested[0] > 1 or not reading.spans.donors:
        return
    if not REFUSAL_OF_A_REQUEST.match(reading.text, reading.cue_at):
        return
    donor = reading.spans.donors[0].code
    for system in dict.fromkeys(requested[1]):
        _record(reading, kind="item", donor_code=donor, status="rejected", system_id=system.system_id,
                system_name=system.canonical_name, category=system.category, is_munition=system.is_munition,
                trace=["item:requested_before", "status:sentence_cue=rejected", "giver:refuses_the_request"])
    context.requested = None


def read_units_of_the_last_system(reading: Reading, systems: list[SystemMention],
                                  package_in_sentence: PledgeRecord | None, trace: list[str]) -> None:
    """'Australia will now provide 49 units of heavy battlefield armour', after its Abrams tanks were
    named: a count of units in a sentence naming no kit counts the platform named last, in its
    paragraph or the next (a lead and the body's first paragraph), where the units are of kit."""
    last = reading.context.last_system
    if systems or reading.spans.systems or last is None or reading.status not in ("pledged", "delivered") or \
            not reading.spans.donors:
        return
    counted = COUNTED_UNITS.search(reading.text)
    count = parse_number(counted.group("count"), reading.language) if counted else None
    if not count or count != int(count) or reading.spans.sentence.paragraph > reading.context.last_system_paragraph + 1:
        return  # units paragraphs after the platform was named may be of anything
    if not _units_of_kit(reading.text[counted.end():], last):
        return  # "5,000 units of blood plasma"
    _record(reading, kind="item", donor_code=_donor_at(counted.start(), reading.spans.donors),
            status=reading.status, system_id=last.system_id, system_name=last.canonical_name,
            category=last.category, is_munition=last.is_munition, quantity=int(count),
            trace=["item:units_of_the_system_named_last", trace[0], "giver:nearest_donor_before",
                   "quantity:count_of_units"])


def _units_of_kit(after: str, system: System) -> bool:
    """'49 units of heavy battlefield armour', '30 units': units of kit, or of nothing named."""
    if not re.match(r"\s+of\b", after, re.I):
        return True
    nouns = [*UNIT_KIT_NOUNS, *(re.escape(word) for word in system.category.split("_"))]
    return bool(re.match(rf"\s+of\s+(?:[\w-]+\s+){{0,2}}?(?:{'|'.join(nouns)})\b", after, re.I))


ITEM_READERS = [read_items, read_elided_repeat, read_more_of_the_same, read_refused_request,
                read_units_of_the_last_system, read_support_beside_others, read_support]


def _record(reading: Reading, **fields) -> PledgeRecord:
    sentence = reading.spans.sentence
    made = PledgeRecord(sentence=sentence.text, span_start=sentence.start, span_end=sentence.end, **fields)
    reading.new_records.append(made)
    return made


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


def _gapped_donors(mention: SystemMention, donors: list[DonorMention], text: str,
                   language: str) -> list[tuple[str, int]]:
    """'Denmark has committed 19 F-16s and the Netherlands 24': the item again, for another donor
    and count, with the verb and noun left out."""
    found = []
    position = mention.end
    for donor in (d for d in donors if d.start >= mention.end):
        if not _is_gap(text[position:donor.start], first=position == mention.end):
            break
        count = GAP_COUNT.match(text, donor.end)
        if not count:
            break
        value = parse_number(count.group("num"), language)
        if value:
            found.append((donor.code, int(value)))
        position = count.end()
    return found


def _is_gap(words: str, first: bool) -> bool:
    """The words between an item (or the count before) and the next giver of a gapped clause: a
    joiner or a comma, with an elided article ("..., l'Espagne six") or, after the item itself, the
    clause's final verb ("sechs Leopard-Panzer zugesagt, Portugal drei")."""
    words = ELIDED_ARTICLE_END.sub("", words)
    if GAP_BEFORE.fullmatch(words):
        return True
    verb = VERB_BEFORE_GAP_COMMA.match(words) if first else None
    return verb is not None and bool(GAP_BEFORE.fullmatch(words[verb.end():]))


def _carry_context(reading: Reading, package_in_sentence: PledgeRecord | None) -> None:
    """Add the sentence's records to the draft and tell later sentences its donor, status and package."""
    draft, context, new_records = reading.draft, reading.context, reading.new_records
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
    elif reading.status in ("pledged", "delivered") and reading.spans.donors and not reading.inclusion:
        context.donor = reading.spans.donors[0].code
    if reading.text.rstrip().endswith(":"):
        open_list(reading.spans.sentence, reading.status, context)
    named = list(dict.fromkeys(d.code for d in reading.spans.donors))
    if len(named) >= 2:
        context.joint_givers = named
