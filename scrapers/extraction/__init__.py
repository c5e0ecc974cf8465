"""Pledge records from an article: who gives what, how much, in what state, said where.

A pipeline of named stages, each in its own module:

    segment   the text as blocks, sentences and clauses            (segment.py)
    annotate  the spans of each sentence: parties, systems, money,
              quantities, status cues                                (annotate.py, numbers.py)
    relate    named rules in ordered lists that make draft records
              from the spans: gates, money kinds, givers, quantities (relate.py)
    resolve   the document pass: generic items named, repeats
              merged, headline totals, support filtered             (resolve.py)
    assemble  the draft, and the records dated and converted        (assemble.py)

The grammar words the rules read are in grammar.py (built from scrapers/data/grammar/); the
taxonomy, donor aliases and cue lists in scrapers.reference. Each record's `trace` names the
rules that made it; an `Explanation` passed to `extract_records` also keeps what was set aside.
"""
from __future__ import annotations

import re
from collections import Counter

from scrapers.extraction.annotate import (DonorMention, SystemMention, annotate_parties, annotate_sentence,
                                          find_donors, find_parties, find_systems, status_of)
from scrapers.extraction.assemble import Draft, finish
from scrapers.extraction.explanation import Explanation
from scrapers.extraction.grammar import INSTITUTIONAL_PUBLISHER
from scrapers.extraction.relate import Context, Reading, read_sentence
from scrapers.extraction.resolve import resolve_document
from scrapers.extraction.segment import split_sentences
from scrapers.models import Article, PledgeRecord
from scrapers.reference import Lexicon, lexicon

# Bumped when the records a page gives change: rules-2 is the staged engine with French, German
# and the real-page rules of December 2026; rules-3 gives the same records with a calibrated
# confidence (confidence.py) and ids from what they say (orchestration/mention_ids.py), which
# the backfill it starts writes for every page already held; rules-4 also reads a refusal
# worded as there being no reason, basis or need to give ("no basis ... to provide F-16s"), and
# makes no item of a system named in a reason ("..., as this would delay the F-16s"), and reads
# the amount a running total reaches as a total ("an additional £500 million, hitting £3 billion"),
# lets a count stand when production or restocking is only a second aim after it, and reads
# "delivered 14 of the 19" as 14 delivered and 19 pledged; rules-5 names a kind after the page's
# one model of it ("Portugal had pledged three tanks" on a page about Leopard 2s) and reads German
# help with things as giving them ("mit 30 Gepard helfen konnte", "werde ... mit X unterstützen"),
# no weapon named after an attack ("attaques de drones", "Angriffe mit Drohnen"), and no item of the
# end of a German compound named before ("Drohnenabwehrkanonen, -sensoren und -jammern"); a subheading
# takes the page's giver, not the one the section before ended on; rules-6 reads "missiles for the
# Patriot system" and "Patriot anti-aircraft missiles" as one item, the platform's munition, and
# the verbs of giving in every tense ("Latvia supplied", "is giving", "schenkt", "a fourni", "remettra"),
# and no item of an uncounted kind that sums up the giver's systems named elsewhere on the page;
# rules-7 reads the contents that a verbless sentence counts out after a package, kit named as a
# topic as no item, refusals of a request, amounts recalled ("en complément des ...", "the €1.8
# billion disbursement"), a scheme's size as its leading group's total, arms made elsewhere that
# cannot be passed on as their maker's refusal, and French number words.
EXTRACTOR_VERSION = "rules-7"
WORD = re.compile(r"\w+")
HEADLINE_MAX_WORDS = 30  # the longest headline of the dev pages has 25 words

__all__ = ["EXTRACTOR_VERSION", "DonorMention", "Explanation", "SystemMention", "extract_records", "find_donors",
           "find_parties", "find_systems", "status_of"]


def extract_records(article: Article, explanation: Explanation | None = None) -> list[PledgeRecord]:
    """All pledge records of an article, in reading order."""
    lex = lexicon()
    language = reading_language(article)
    sentences = [s for s in split_sentences(article.text) if not s.set_aside]
    spans = [annotate_parties(s, lex) for s in sentences]
    page_donor = publisher_donor(article.publisher, lex) or dominant_donor(spans, lex)
    context = Context(donor=page_donor, page_donor=page_donor)
    draft = Draft(headline_end=headline_end(article, sentences))
    for sentence_spans in spans:
        annotate_sentence(sentence_spans, language, lex, explaining=explanation is not None)
        if explanation is not None:
            explanation.saw(sentence_spans)
        read_sentence(Reading(sentence_spans, article, language, context, draft, lex, explanation))
    return finish(resolve_document(draft, lex, explanation), article)


def reading_language(article: Article) -> str:
    """The language whose number words and names the rules read: German, French, else English."""
    return next((code for code in ("de", "fr") if (article.language or "").startswith(code)), "en")


def headline_end(article: Article, sentences) -> int | None:
    """Where the page's headline ends, when the text opens with it as a paragraph of its own. A
    lead paragraph set in a heading's type by a site template is no headline: headlines are short."""
    if not article.title or not sentences:
        return None
    first = [s for s in sentences if s.paragraph == sentences[0].paragraph]
    opening = " ".join(s.text for s in first)
    words = _words(opening)
    if words != _words(article.title) or len(words) > HEADLINE_MAX_WORDS:
        return None
    return first[-1].end


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def publisher_donor(publisher: str | None, lex: Lexicon) -> str | None:
    """A ministry's or embassy's own page: its country gives unless a sentence names another."""
    if not publisher or not INSTITUTIONAL_PUBLISHER.search(publisher):
        return None
    donors = find_donors(publisher, lex)
    return donors[0].code if donors else None


def dominant_donor(spans, lex: Lexicon) -> str | None:
    """The country a page is about, when one has most of its country mentions: the fallback for
    sentences that name no donor ("The package includes ..."), wherever they stand. Groups are
    left out: a readout of the Contact Group names it often, but its items are members' pledges."""
    counts = Counter(p.code for sentence in spans for p in sentence.parties
                     if p.code not in lex.never_donors and p.code not in lex.groups)
    if not counts:
        return None
    code, count = counts.most_common(1)[0]
    return code if count >= 2 and count * 2 > sum(counts.values()) else None
