"""Segment: an article's text as blocks (paragraphs of a kind), sentences and clauses, with
character spans into that text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.dates import parse_date
from scrapers.extraction.grammar import BLOCK_KINDS, CLAUSE_BREAK, READ_ALSO_LINE
from scrapers.extraction.phrases import is_plain

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen",
    "rep", "gov", "st", "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "e.g", "i.e", "etc", "vs", "approx", "inc", "co", "corp", "ltd", "jr", "sr", "ft", "mt",
    "mrd", "mio", "nr", "bzw", "ca", "z.b", "u.a", "dt", "vgl", "sog", "tsd", "bn", "mln", "est", "dept", "gov't",
}
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)»«“]*\s+(?=[\"“'‘(«»„]?\s?[A-Z0-9ÄÖÜÀÂÇÉÈÊÎÔ])")
# "am 24. Februar", "sein 32. Hilfspaket": a German ordinal's full stop, not a sentence end.
ORDINAL_END = re.compile(r"(?:\b(?:am|vom|zum|im|beim|bis|der|die|das|den|dem|des|sein|seine|seinem|seinen|seines|"
                         r"ihr|ihre|ihrem|ihren|ihres|unser|unsere|unserem|unseres)\s+\d{1,3}|\b\d{1,2})\.$", re.I)
GERMAN_MONTH_AFTER = re.compile(r"\s*(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
                                r"November|Dezember)\b")
# The word before a full stop: the run of word characters, dots and apostrophes that ends the
# text, found from the end (the text reversed) rather than tried from every character.
LAST_WORD_REVERSED = re.compile(r"[\w.'’]+")
SINGLE_LETTER = re.compile(r"[a-z]")
# A blank line, or a line break before a bullet ("- 20 Marder", "• Javelins"): saved plain-text
# pages often list items one a line.
PARAGRAPH_BREAK = re.compile(r"(\n\s*\n|\n(?=[ \t]*[-•*–·▪][ \t]))")
CAPTION_MARKERS = re.compile(r"\b(photo by|photo:|photo credit|\(photo|getty images|via ap\b|ap photo|afp via|"
                             r"reuters/|dod photo|air force photo|army photo|navy photo|foto:|bild:)", re.I)
CAPTION_WORDS = ("photo", "getty images", "via ap", "afp via", "reuters/", "foto:", "bild:")  # one is in every marker


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    set_aside: bool  # in a photo caption or a "read also" line: about another picture or story


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for block in PARAGRAPH_BREAK.split(text):
        if block.strip() and not PARAGRAPH_BREAK.fullmatch(block):
            lead = len(block) - len(block.lstrip())
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos += len(block)
    return spans


def is_caption(paragraph: str) -> bool:
    """Whether a paragraph is a photo caption or credit. Every marker holds one of CAPTION_WORDS,
    so a paragraph without any, in lower case, needs no search."""
    if is_plain(paragraph):
        lowered = paragraph.lower()
        if not any(word in lowered for word in CAPTION_WORDS):
            return False
    return bool(CAPTION_MARKERS.search(paragraph))


def is_read_also(paragraph: str) -> bool:
    """Whether a paragraph is a link to another story ("Read also: Norway to send 40 CV90s"),
    whose pledges are that story's, not this page's."""
    return bool(READ_ALSO_LINE.search(paragraph))


def _is_ordinal(paragraph: str, end: re.Match) -> bool:
    """Whether the number before a full stop is a German ordinal: a day before a month name, or
    a number after an article, possessive or preposition ("sein 32. Paket")."""
    ordinal = ORDINAL_END.search(paragraph[max(0, end.start() - 20):end.start() + 1])
    return bool(ordinal) and (not ordinal[0][0].isdigit() or bool(GERMAN_MONTH_AFTER.match(paragraph, end.end())))


def split_sentences(text: str) -> list[Sentence]:
    sentences = []
    for n, (p_start, p_end) in enumerate(split_paragraphs(text)):
        paragraph = text[p_start:p_end]
        aside = is_caption(paragraph) or is_read_also(paragraph)
        start = 0
        for m in SENTENCE_END.finditer(paragraph):
            before = paragraph[max(start, m.start() - 30):m.start() + 1]  # the last word is all we need
            last = LAST_WORD_REVERSED.match((before.rstrip(".!?\"'”’) ") + ".")[::-1])[0][::-1].lower().rstrip(".")
            if last in ABBREVIATIONS or SINGLE_LETTER.fullmatch(last):
                continue  # "U.S. Army", "Lloyd J. Austin": not an end
            if paragraph[m.start() - 1:m.start()].isdigit() and _is_ordinal(paragraph, m):
                continue  # "am 24. Februar 2022", "hat sein 32. Hilfspaket": an ordinal
            end = m.end()
            piece = paragraph[start:end].rstrip()
            if piece:
                sentences.append(Sentence(piece, p_start + start, p_start + start + len(piece), n, aside))
            start = end
        piece = paragraph[start:].rstrip()
        if piece:
            sentences.append(Sentence(piece, p_start + start, p_start + start + len(piece), n, aside))
    return sentences


def clause_bounds(text: str) -> list[int]:
    """Where the clauses of a sentence start, and its end: a sentence may join two claims with a
    status each ("France will send SCALP, while Germany ruled out Taurus")."""
    return [0, *(m.start() for m in CLAUSE_BREAK.finditer(text)), len(text)]


LIST_ITEM_MAX = 260  # a longer paragraph after a list is prose again (scrapers.extraction.relate reads so)


@dataclass(frozen=True)
class Block:
    kind: str  # headline | lead | body | list_item | caption | dateline | read_also
    text: str
    start: int  # -1 for the headline, which is not part of the text
    end: int


def split_blocks(title: str, text: str) -> list[Block]:
    """The page as blocks of a kind, for reading it as the extractor does. The rules read the
    text sentence by sentence and set captions and "read also" lines aside; the other kinds are
    shown, not yet used."""
    paragraphs = split_paragraphs(text)
    heading = title.strip()
    # Most pages repeat their title near the top of the text, where the rules read it.
    at = next((n for n, (start, end) in enumerate(paragraphs[:3]) if heading and text[start:end].strip() == heading),
              None)
    blocks = [Block("headline", title, -1, -1)] if heading and at is None else []
    lead_seen, in_list = False, False
    for n, (start, end) in enumerate(paragraphs):
        paragraph = text[start:end]
        kind = "headline" if n == at else None
        lead_seen = lead_seen and n != at  # the lead follows the headline
        kind = kind or next((name for name, pattern in BLOCK_KINDS if pattern.search(paragraph)), None)
        if kind is None and is_caption(paragraph):
            kind = "caption"
        if kind is None and len(paragraph) <= 40 and (at is not None and n < at or parse_date(paragraph)):
            kind = "dateline"  # "Immediate Release" above the headline, "May 10, 2024" below it
        # After an intro ending in ':', short paragraphs are its items, as the rules read them
        # (a parsed page keeps its <li> as paragraphs without a bullet).
        if kind is None and in_list and len(paragraph) <= LIST_ITEM_MAX:
            kind = "list_item"
        if kind is None:
            kind = "body" if lead_seen else "lead"
            lead_seen = True
        in_list = paragraph.rstrip().endswith(":") or (in_list and kind == "list_item")
        blocks.append(Block(kind, paragraph, start, end))
    return blocks
