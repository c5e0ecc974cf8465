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


# --- cue lists ------------------------------------------------------------------------------
#
# A cue list (scrapers/data/cues.yaml) is one regular expression of alternatives, each starting
# on a word boundary. Python's engine tries such a case-insensitive alternation at every
# character of a text, and most texts hold none of its words. So every alternative is read for
# the letters any match of it starts with ("refus" for `refus(?:e|es|ed)`, "will" or "would" for
# `(?:will|would) not send`), and the regex runs only on a text with a word that starts so.
# A match starts where a word starts (the pattern asks for no word character before it), so
# a text without such a word has no match: the filter never changes what is found.

WORD = re.compile(r"[^\W\d_]+")
# Letters whose case-insensitive match is more than their lower case (dotted and dotless i,
# long s, micro sign), and everything from U+0250 on: a word holding one passes every filter.
PLAIN_LETTERS_BELOW = 0x250
NOT_PLAIN = frozenset("\u0130\u0131\u017f\u00b5")
_heads: dict[str, int] = {}  # leading letters -> bits of the cue lists an alternative of which starts so
_head_lengths: list[int] = []
_word_masks: dict[str, int] = {}
_text_words: dict[str, tuple[int, list[tuple[int, int]]]] = {}
_next_bit = 1


def _leading_letters(items, started: bool = False) -> tuple[set[str], bool] | None:
    """The lower-case letter strings one of which every match of parsed regex `items` starts
    with, and whether every alternative is letters to its end; None when nothing is known."""
    from re import _constants as c  # noqa: the parser's own names, as re uses them

    prefixes, complete = {""}, True
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT) and not started:
            continue  # zero-width before the first letter: a word boundary, a lookbehind
        if op is c.LITERAL and re.fullmatch(r"[^\W\d_]", chr(av)):
            prefixes = {p + chr(av).lower() for p in prefixes}
            started = True
            continue
        if op in (c.SUBPATTERN, c.BRANCH):
            if op is c.SUBPATTERN and (av[1] or av[2]):
                complete = False  # inline flags: stop here
                break
            branches = [av[3]] if op is c.SUBPATTERN else av[1]
            found = [_leading_letters(b.data if hasattr(b, "data") else b, started) for b in branches]
            if any(f is None for f in found):
                complete = False
                break
            prefixes = {p + q for p in prefixes for f in found for q in f[0]}
            started = True
            if all(f[1] for f in found):
                continue
        complete = False
        break
    if "" in prefixes:
        return None
    return prefixes, complete


def leading_letters(alternative: str) -> frozenset[str] | None:
    """What every match of one cue alternative starts with, in lower case ('refus' for
    `refus(?:e|es|ed)`); None when it may start otherwise."""
    try:
        from re import _parser
        found = _leading_letters(_parser.parse(alternative).data)
    except Exception:  # noqa: BLE001 - an unreadable alternative is simply never filtered out
        return None
    return frozenset(found[0]) if found else None


def _register(heads: Iterable[str]) -> int:
    global _next_bit
    bit, _next_bit = _next_bit, _next_bit << 1
    for head in heads:
        _heads[head] = _heads.get(head, 0) | bit
    _head_lengths[:] = sorted({len(h) for h in _heads})
    _word_masks.clear()
    _text_words.clear()
    return bit


def _word_mask(word: str) -> int:
    if not word.isascii() and (not NOT_PLAIN.isdisjoint(word) or max(map(ord, word)) >= PLAIN_LETTERS_BELOW):
        mask = -1  # every bit: let the regex decide
    else:
        low, mask = word.lower(), 0
        for length in _head_lengths:
            if length > len(low):
                break
            mask |= _heads.get(low[:length], 0)
    if len(_word_masks) > 200_000:
        _word_masks.clear()
    _word_masks[word] = mask
    return mask


def cue_words(text: str) -> tuple[int, list[tuple[int, int]]]:
    """The bits of the cue lists that may match somewhere in `text`, and where: the start and
    bits of every word that could begin a match of some list."""
    found = _text_words.get(text)
    if found is None:
        mask, starts, known = 0, [], _word_masks.get
        for m in WORD.finditer(text):
            word = m.group()
            word_mask = known(word)
            if word_mask is None:
                word_mask = _word_mask(word)
            if word_mask:
                mask |= word_mask
                starts.append((m.start(), word_mask))
        if len(_text_words) > 4096:
            _text_words.clear()
        found = _text_words[text] = (mask, starts)
    return found


class CuePattern:
    """A cue list: `(?<![\\w])(?:alternative|...)(?![\\w])`, case-insensitive, with `search` and
    `finditer` as a compiled pattern has them. The regex is tried only where a word that could
    begin a match starts, and not at all on a text without one."""

    def __init__(self, alternatives: list[str]):
        self.regex = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.I)
        self.pattern = self.regex.pattern
        heads = [leading_letters(a) for a in alternatives]
        self.bit = 0 if not heads or any(h is None for h in heads) else _register(set().union(*heads))

    def search(self, text: str) -> re.Match | None:
        if not self.bit:
            return self.regex.search(text)
        mask, starts = cue_words(text)
        if mask & self.bit:
            bit, match = self.bit, self.regex.match
            for start, word_mask in starts:
                if word_mask & bit:
                    m = match(text, start)
                    if m:
                        return m
        return None

    def finditer(self, text: str) -> Iterable[re.Match]:
        if not self.bit:
            return self.regex.finditer(text)
        mask, starts = cue_words(text)
        if not mask & self.bit:
            return ()
        found, bit, match, free_from = [], self.bit, self.regex.match, 0
        for start, word_mask in starts:
            if word_mask & bit and start >= free_from:
                m = match(text, start)
                if m:
                    found.append(m)
                    free_from = m.end()
        return found
