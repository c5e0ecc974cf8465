"""Paragraphs and sentences of an article's text, with character spans into that text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.phrases import is_plain

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
    is_caption: bool


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


def _is_ordinal(paragraph: str, end: re.Match) -> bool:
    """Whether the number before a full stop is a German ordinal: a day before a month name, or
    a number after an article, possessive or preposition ("sein 32. Paket")."""
    ordinal = ORDINAL_END.search(paragraph[max(0, end.start() - 20):end.start() + 1])
    return bool(ordinal) and (not ordinal[0][0].isdigit() or bool(GERMAN_MONTH_AFTER.match(paragraph, end.end())))


def split_sentences(text: str) -> list[Sentence]:
    sentences = []
    for n, (p_start, p_end) in enumerate(split_paragraphs(text)):
        paragraph = text[p_start:p_end]
        caption = is_caption(paragraph)
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
                sentences.append(Sentence(piece, p_start + start, p_start + start + len(piece), n, caption))
            start = end
        piece = paragraph[start:].rstrip()
        if piece:
            sentences.append(Sentence(piece, p_start + start, p_start + start + len(piece), n, caption))
    return sentences
