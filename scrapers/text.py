"""Paragraphs and sentences of an article's text, with character spans into that text."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen",
    "rep", "gov", "st", "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "e.g", "i.e", "etc", "vs", "approx", "inc", "co", "corp", "ltd", "jr", "sr", "ft", "mt",
    "mrd", "mio", "nr", "bzw", "ca", "z.b", "u.a", "dt", "vgl", "sog", "tsd", "bn", "mln", "est", "dept", "gov't",
}
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"“'‘(]?[A-Z0-9ÄÖÜ])")
LAST_WORD = re.compile(r"([\w.'’]+)\.?$")
CAPTION_MARKERS = re.compile(r"\b(photo by|photo:|photo credit|\(photo|getty images|via ap\b|ap photo|afp via|"
                             r"reuters/|dod photo|air force photo|army photo|navy photo|foto:|bild:)", re.I)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    is_caption: bool


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for block in re.split(r"(\n\s*\n)", text):
        if block.strip() and not re.fullmatch(r"\n\s*\n", block):
            lead = len(block) - len(block.lstrip())
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos += len(block)
    return spans


def split_sentences(text: str) -> list[Sentence]:
    sentences = []
    for n, (p_start, p_end) in enumerate(split_paragraphs(text)):
        paragraph = text[p_start:p_end]
        caption = bool(CAPTION_MARKERS.search(paragraph))
        start = 0
        for m in SENTENCE_END.finditer(paragraph):
            before = paragraph[max(start, m.start() - 30):m.start() + 1]  # the last word is all we need
            word = LAST_WORD.search(before.rstrip(".!?\"'”’) ") + ".")
            last = (word.group(1) if word else "").lower().rstrip(".")
            if last in ABBREVIATIONS or re.fullmatch(r"[a-z]", last):
                continue  # "U.S. Army", "Lloyd J. Austin": not an end
            end = m.end()
            piece = paragraph[start:end].rstrip()
            if piece:
                sentences.append(Sentence(piece, p_start + start, p_start + start + len(piece), n, caption))
            start = end
        piece = paragraph[start:].rstrip()
        if piece:
            sentences.append(Sentence(piece, p_start + start, p_start + start + len(piece), n, caption))
    return sentences
