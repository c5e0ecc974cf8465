"""What the extractor saw and decided on one page, kept only when asked for (`pledges explain`).

Normal runs pass no Explanation and pay nothing; the rules call `drop` and `gate` only when one
is given.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from scrapers.extraction.segment import Sentence


@dataclass
class Dropped:
    sentence_start: int
    what: str  # the system's canonical name, the amount as written, or a record's summary
    rule: str


@dataclass
class Explanation:
    sentences: list = field(default_factory=list)  # SentenceSpans of every sentence read, in order
    gates: dict[int, str] = field(default_factory=dict)  # sentence start -> the gate that closed it
    dropped: list[Dropped] = field(default_factory=list)

    def saw(self, spans) -> None:
        """A sentence annotated: its spans, and the names annotation set aside."""
        self.sentences.append(spans)
        for span in spans.dropped or []:
            self.dropped.append(Dropped(spans.sentence.start, span.what, span.rule))

    def drop(self, sentence: Sentence | None, what: str, rule: str) -> None:
        self.dropped.append(Dropped(sentence.start if sentence else -1, what, rule))

    def gate(self, sentence: Sentence, rule: str) -> None:
        self.gates[sentence.start] = rule
