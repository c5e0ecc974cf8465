"""Ids of extracted records that an analyst can cite, and that corrections are keyed by.

A mention_id says what a record claims and where: the page (its document_id, the hash of its
address, the same for every version of the page), the evidence sentence as read (normalised, so
that a re-wrapped line or curly quotes change nothing) and the record's own fields. Not the page
bytes' version, the sentence's character offset or the extractor version: a new footer, a script
tag, a paragraph added above, a re-fetch or a new extractor that reads the sentence the same way
keep every id. A changed figure changes the id of that record only, also when other records were
read from the same sentence (the sentence's numbers are masked; the record's fields hold them).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Iterable

from scrapers.extraction.numbers import FRENCH_WORD_NUMBER, NUMBER
from scrapers.models import PledgeRecord

ID_HEX_DIGITS = 20

# Typographic variants a re-published page swaps without changing what the sentence says.
_EQUIVALENT_CHARACTERS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
})
_SPACE = re.compile(r"\s+")
# Numbers, in digits or in words (English, German, French), as the extractor reads them: a
# sentence's figures are the records' own fields, so one record's changed figure must not re-key
# the other records read from the same sentence.
_FIGURE = re.compile(rf"(?<!\w)(?:{NUMBER}|{FRENCH_WORD_NUMBER})(?!\w)", re.IGNORECASE)

# The fields that make up what a record says. Derived fields (category, dollar values, the
# taxonomy's display name of a known system) are left out: they follow from these, and a
# reference-data update must not re-key every record.
CLAIM_FIELDS = ("kind", "donor_code", "system", "quantity", "quantity_per", "quantity_qualifier", "value",
                "currency", "value_qualifier", "status", "channel", "announced_date", "since_date")


def normalised_sentence(sentence: str) -> str:
    """The sentence as compared for identity: Unicode-compatibility form, one kind of quote and
    dash, no soft hyphens or zero-width characters, single spaces, lower case, and every number
    written as # (what a record says of its figures is in its fields)."""
    text = unicodedata.normalize("NFKC", sentence).translate(_EQUIVALENT_CHARACTERS)
    text = _SPACE.sub(" ", text).strip().casefold()
    return _FIGURE.sub("#", text)


def claim_of(record: PledgeRecord) -> dict:
    fields = {name: getattr(record, name) for name in CLAIM_FIELDS if name != "system"}
    fields["system"] = record.system_id or (record.system_name or "").casefold() or None
    return {name: fields[name] for name in CLAIM_FIELDS}


def mention_ids(document_id: str, records: Iterable[PledgeRecord]) -> list[str]:
    """One id per record, in the records' order. Two records that claim the same in the same
    sentence (one line of a list repeated) are told apart by their ordinal in reading order."""
    seen: dict[str, int] = {}
    ids = []
    for record in records:
        key = json.dumps([document_id, normalised_sentence(record.sentence), claim_of(record)],
                         sort_keys=True, default=str, ensure_ascii=False)
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        ids.append(hashlib.sha256(f"{key}#{ordinal}".encode()).hexdigest()[:ID_HEX_DIGITS])
    return ids
