"""Assemble: the draft of a document's records, and the finished records (dated, converted).

The draft holds what the sentence rules made, in reading order, before the document pass of
`resolve`; `finish` then gives every record its announcement date, its value in dollars and
euros, and its confidence (confidence.py), once every rule that made it is in its trace.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scrapers.dates import resolve_relative
from scrapers.extraction.confidence import set_confidence
from scrapers.extraction.currency import fx_rates
from scrapers.extraction.grammar import SPEECH_INTRO
from scrapers.extraction.segment import Sentence
from scrapers.models import Article, PledgeRecord
from scrapers.reference import System


@dataclass
class Draft:
    """Records of one document before the document-level pass."""

    records: list[PledgeRecord] = field(default_factory=list)
    loose_specifics: list[tuple[System, int, int]] = field(default_factory=list)  # (system, quantity, position)
    headline_end: int | None = None  # where the page's headline ends, when the text opens with it


def open_list(sentence: Sentence, status: str | None, context) -> None:
    """An intro ending in ':' opens a list whose items take its status ("Geliefert wurden:",
    "has already delivered the following:"). One that hands over to a speaker ("President Biden
    responded:") opens a quotation, not a list, and closes any list before it."""
    if SPEECH_INTRO.search(sentence.text):
        context.list_paragraph = None
        return
    context.list_paragraph = sentence.paragraph
    if status is not None:
        context.status = status


def finish(records: list[PledgeRecord], article: Article) -> list[PledgeRecord]:
    page_date = _plausible(article.published_date)
    for record in records:
        # A total is as of the day it is reported; a pledge dates from the day the sentence gives.
        said_on = None if record.kind == "aggregate" else resolve_relative(record.sentence, article.published_date)
        if said_on is not None and _plausible(said_on) is None:
            record.trace.append("date:before_the_war_ignored")
            said_on = None
        record.announced_date = said_on or page_date
        if record.value is not None and record.currency:
            rates = fx_rates(record.currency, record.announced_date)
            if rates is not None:
                record.fx_rate_usd, record.fx_rate_eur, record.fx_date = rates.usd, rates.eur, rates.on
                record.value_usd = round(record.value * rates.usd, 2)
                record.value_eur = round(record.value * rates.eur, 2)
    set_confidence(records)
    return records


# Aid to Ukraine against Russia's war starts with the war, in February 2014: an earlier date in
# a sentence ("on 3 March 1900") is a typo or a historical aside, not the day a pledge was made.
EARLIEST_AID_DATE = date(2014, 2, 20)


def _plausible(day: date | None) -> date | None:
    return day if day is not None and day >= EARLIEST_AID_DATE else None
