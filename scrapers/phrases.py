"""Finding known phrases (weapon-system and donor aliases) in text by token sequences.

One pass over a sentence's tokens with dictionary look-ups replaces a regular expression of
thousands of alternatives, which Python's engine tries at every character. Tokens are runs of
letters or of digits, so "AT-4", "AT4" and "AT 4" are the same phrase, and "IRIS-T SLM" matches
"IRIS-T-SLM". Folded phrases ignore letter case, US/UK spelling and plural endings; exact
phrases (acronyms such as HARM or TOW, and donor names) must be written as in the alias.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Iterable, TypeVar

TOKEN = re.compile(r"[^\W\d_]+|\d+")
JOINER = re.compile(r"[\s\-/.'’()]*")  # what may stand between two tokens of one phrase
PLURAL = re.compile(r"(?:es|en|s|n|e)$")
V = TypeVar("V")


# (text, start, end): a plain tuple, as one is made for every word of every page.
Token = tuple[str, int, int]


@dataclass(frozen=True)
class PhraseMatch(Generic[V]):
    value: V
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """The comparison form of a token: lower case, one spelling, no plural ending."""
    if token.isdigit() or token.isupper():
        return token.lower()  # "NASAMS", "HIMARS": an acronym has no plural ending to remove
    if len(token) > 2 and token[:-1].isupper() and token[-1] == "s":
        return token[:-1].lower()  # "MREs", "MRAPs"
    t = token.lower()
    t = t.replace("defence", "defense").replace("armour", "armor")
    if t.endswith("ies") and len(t) > 4:
        return t[:-3] + "y"
    while len(t) > 3:  # to a fixed point, so "demolitions" and "demolition" meet
        shorter = PLURAL.sub("", t)
        if shorter == t:
            break
        t = shorter
    return t


class PhraseIndex(Generic[V]):
    """Phrases and their values; `exact` phrases keep their letter case and endings."""

    def __init__(self, phrases: Iterable[tuple[str, V]], exact: bool):
        self.exact = exact
        self.entries: dict[tuple[str, ...], V] = {}
        self.longest_from: dict[str, int] = {}
        for phrase, value in phrases:
            key = self._key([t[0] for t in tokenize(phrase)])
            if not key or key in self.entries:
                continue  # the first listing of a phrase wins
            self.entries[key] = value
            self.longest_from[key[0]] = max(self.longest_from.get(key[0], 0), len(key))

    def _key(self, words: list[str]) -> tuple[str, ...]:
        return tuple(words) if self.exact else tuple(fold(w) for w in words)

    def find(self, text: str, tokens: list[Token] | None = None) -> list[PhraseMatch[V]]:
        """Longest phrases first, left to right, not overlapping."""
        tokens = tokenize(text) if tokens is None else tokens
        keys = [t[0] for t in tokens] if self.exact else [fold(t[0]) for t in tokens]
        longest_from, entries, count = self.longest_from, self.entries, len(tokens)
        found: list[PhraseMatch[V]] = []
        free_from = 0
        for i in [i for i, key in enumerate(keys) if key in longest_from]:  # most words start nothing
            if i < free_from:
                continue
            for length in range(min(longest_from[keys[i]], count - i), 0, -1):
                value = entries.get(tuple(keys[i:i + length]))
                if value is None or not self._joined(text, tokens, i, length):
                    continue
                end = tokens[i + length - 1][2]
                nxt = tokens[i + length] if i + length < count else None
                if not self.exact and nxt is not None and nxt[0] == "s" and nxt[1] == end:
                    end, length = nxt[2], length + 1  # "AT4s", "F-16s"
                found.append(PhraseMatch(value, tokens[i][1], end))
                free_from = i + length
                break
        return found

    @staticmethod
    def _joined(text: str, tokens: list[Token], i: int, length: int) -> bool:
        return all(JOINER.fullmatch(text[tokens[j][2]:tokens[j + 1][1]])
                   for j in range(i, i + length - 1))
