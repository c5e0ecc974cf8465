"""Finding known phrases (weapon-system and donor aliases) in text by token sequences.

One pass over a sentence's tokens with dictionary look-ups replaces a regular expression of
thousands of alternatives, which Python's engine tries at every character. Tokens are runs of
letters or of digits, so "AT-4", "AT4" and "AT 4" are the same phrase, and "IRIS-T SLM" matches
"IRIS-T-SLM". Folded phrases ignore letter case, US/UK spelling and plural endings; exact
phrases (acronyms such as HARM or TOW, and donor names) must be written as in the alias.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Callable, Generic, Iterable, NamedTuple, TypeVar

TOKEN = re.compile(r"[^\W\d_]+|\d+")
JOINER = re.compile(r"[\s\-–/.'’()]*")  # what may stand between two tokens of one phrase (an en dash: 'IRIS–T')
USUAL_JOINS = frozenset(["", " ", "-", "/", ".", ". "])  # JOINER matches these, the most frequent gaps
PLURAL = re.compile(r"(?:es|en|s|n|e)$")
UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
V = TypeVar("V")
# "Strom- und", "Transport-, Sanitäts- oder": the first part of a compound whose head is left out,
# and the compound after it that has the head.
ELIDED_PART = re.compile(r"(?<![\w-])([^\W\d_]{3,})-(?=\s*(?:,|und\b|oder\b|sowie\b|bzw\.))")
COMPOUND_AFTER = re.compile(r"[^.;:]{0,60}?(?<![\w-])([A-ZÄÖÜ][^\W\d_]{5,})(?![\w-])")


# (text, start, end): a plain tuple, as one is made for every word of every page.
Token = tuple[str, int, int]


class PhraseMatch(NamedTuple, Generic[V]):  # a tuple: one is made for every name found
    value: V
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [(m[0], m.start(), m.end()) for m in TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """The comparison form of a token: lower case, one spelling, no plural ending."""
    if token.isdigit():
        return token
    if len(token) > 2 and token[:-1].isupper() and token[-1] == "s":
        return token[:-1].lower()  # "MREs", "MRAPs"
    if len(token) <= 3 and token.isupper():
        return token.lower()  # "MRE", "LKW": too short to have an ending
    # "IRIS-T" and "Iris-T", "NASAMS" and "Nasams": one form whatever the letter case; German
    # umlauts as their base letters, so "Fliegerfäuste" meets "Fliegerfaust".
    t = token.lower().translate(UMLAUTS)
    t = t.replace("defence", "defense").replace("armour", "armor")
    if t.endswith("ies") and len(t) > 4:
        return t[:-3] + "y"
    while len(t) > 3:  # to a fixed point, so "demolitions" and "demolition" meet
        shorter = PLURAL.sub("", t)
        if shorter == t:
            break
        t = shorter
    return t


class _Memo(dict):
    """`function(key)` of every key seen, looked up without a function call; cleared when it
    grows past a bound, so that a night of pages does not grow it without end."""

    def __init__(self, function, bound: int = 200_000):
        super().__init__()
        self._function, self._bound = function, bound

    def __missing__(self, key):
        if len(self) > self._bound:
            self.clear()
        value = self[key] = self._function(key)
        return value


_folded = _Memo(fold)


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
        # The same phrases as a tree of words, a phrase's value under the key None at its last
        # word: reading on from a word finds every phrase it starts in one walk.
        self.tree: dict = {}
        for key, value in self.entries.items():
            node = self.tree
            for word in key:
                node = node.setdefault(word, {})
            node[None] = value

    def _key(self, words: list[str]) -> tuple[str, ...]:
        return tuple(words) if self.exact else tuple(fold(w) for w in words)

    def find(self, text: str, tokens: list[Token] | None = None,
             words: list[str] | None = None) -> list[PhraseMatch[V]]:
        """Longest phrases first, left to right, not overlapping. `words` are the tokens' texts,
        when the caller has them."""
        tokens = tokenize(text) if tokens is None else tokens
        keys = [t[0] for t in tokens] if words is None else words
        if not self.exact:
            keys = list(map(_folded.__getitem__, keys))
        tree, count = self.tree, len(tokens)
        found: list[PhraseMatch[V]] = []
        if tree.keys().isdisjoint(keys):
            return found  # most sentences name no system
        free_from = 0
        for i, key in enumerate(keys):
            node = tree.get(key)
            if node is None or i < free_from:
                continue  # most words start nothing
            named = [(1, node[None])] if None in node else []  # (length, value) of every phrase from here
            j = i + 1
            while j < count:
                node = node.get(keys[j])
                if node is None:
                    break
                j += 1
                if None in node:
                    named.append((j - i, node[None]))
            for length, value in reversed(named):  # longest first
                if length > 1 and not self._joined(text, tokens, i, length):
                    continue
                end = tokens[i + length - 1][2]
                nxt = tokens[i + length] if i + length < count else None
                if not self.exact and nxt is not None and nxt[0] == "s" and nxt[1] == end:
                    end, length = nxt[2], length + 1  # "AT4s", "F-16s"
                found.append(PhraseMatch(value, tokens[i][1], end))
                free_from = i + length
                break
        return found

    def find_elided(self, text: str) -> list[PhraseMatch[V]]:
        """German compounds written with a shared head left out: "Strom- und Wärmeerzeuger" is
        "Stromerzeuger und Wärmeerzeuger", "15 Transport- und 20 Sanitätsfahrzeuge" holds
        "Transportfahrzeuge". The first part's phrase, spanning its text up to the hyphen: the
        part joined to the head of the compound after it when that is a phrase, else the head."""
        if self.exact or "-" not in text:
            return []
        found = []
        for part in ELIDED_PART.finditer(text):
            after = COMPOUND_AFTER.match(text, part.end())
            value = self._head_value(part.group(1), after.group(1)) if after else None
            if value is not None:
                found.append(PhraseMatch(value, part.start(1), part.end()))
        return found

    def _head_value(self, first: str, compound: str) -> V | None:
        for i in range(1, len(compound) - 3):  # the longest head first
            head = compound[i:].lower()
            joined = self.entries.get((fold(first + head),))
            if joined is not None:
                return joined
            alone = self.entries.get((fold(head),))
            if alone is not None:
                return alone
        return None

    @staticmethod
    def _joined(text: str, tokens: list[Token], i: int, length: int) -> bool:
        for j in range(i, i + length - 1):
            gap = text[tokens[j][2]:tokens[j + 1][1]]
            if gap not in USUAL_JOINS and not JOINER.fullmatch(gap):
                return False
        return True


# --- word-start patterns: cue lists and the like ---------------------------------------------
#
# A cue list (scrapers/data/cues.yaml) is one regular expression of alternatives, each starting
# where a word starts. Python's engine tries such a case-insensitive alternation at every
# character of a text (a case-insensitive pattern gets no fast scan for its first letter), and
# most texts hold none of its words. So each alternative is read for the letters any match of
# it starts with ("refus" for `refus(?:e|es|ed)`, "will" or "would" for `(?:will|would) not
# send`), a text's words are looked up once, and the regex is tried only where a word starts
# with one of them: a match can start nowhere else, so what is found is what the plain regex
# finds, in the same order.

WORD = re.compile(r"[^\W\d_]+")
# Letters whose case-insensitive match is more than their lower case: the dotted capital I
# (two characters in lower case) and every letter whose lower case re pairs with another one
# (dotless i, long s, micro sign, some Greek and Cyrillic). A word holding one is tried as if
# it began every match. tests/extraction/test_speed_invariance.py checks the list.
NOT_PLAIN = frozenset(
    "\xb5\u0130\u0131\u017f\u0345\u0390\u0392\u0395\u0398\u0399\u039a\u039c\u03a0\u03a1\u03a3\u03a6\u03b0\u03b2"
    "\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f4\u03f5"
    "\u0412\u0414\u041e\u0421\u0422\u042a\u0432\u0434\u043e\u0441\u0442\u044a\u0462\u0463\u1c80\u1c81\u1c82\u1c83"
    "\u1c84\u1c85\u1c86\u1c87\u1c88\u1e60\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64a\ua64b\ufb05\ufb06")
_heads: dict[str, int] = {}  # leading letters -> bits of the patterns that may start so
_head_lengths: list[int] = []
_text_words: dict[str, tuple[int, list[tuple[int, int]]]] = {}  # the last few texts asked about
RECENT_TEXTS = 32
_next_bit = 1
WHOLE = " "  # after a head: the word is the head itself, not only one starting with it


def is_plain(text: str) -> bool:
    """Whether every letter of `text` matches case-insensitively exactly what its lower case does."""
    return text.isascii() or NOT_PLAIN.isdisjoint(text)


def _leading_letters(items, started: bool = False) -> tuple[set[str], bool] | None:
    """The lower-case letter strings one of which every match of parsed regex `items` starts
    with, and whether every alternative is letters to its end; None when nothing is known."""
    from re import _constants as c  # the parser's own names, as re uses them

    prefixes, complete = {""}, True
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT) and not started:
            continue  # zero-width before the first letter: a word boundary, a lookbehind
        if op is c.LITERAL and re.fullmatch(r"[^\W\d_]", chr(av)) and not NOT_PLAIN & {chr(av), chr(av).lower()}:
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
        elif started and _ends_word(op, av):
            prefixes = {p + WHOLE for p in prefixes}  # "(?:the|a) payment": the word is "the" or "a" itself
        complete = False
        break
    if "" in prefixes:
        return None
    return prefixes, complete


def _ends_word(op, av) -> bool:
    """Whether parsed regex item (op, av), after a letter, matches only where no letter follows."""
    from re import _constants as c, _parser

    if op is c.LITERAL:
        return chr(av).isascii() and not chr(av).isalpha()
    if op is c.IN:
        return av == [(c.CATEGORY, c.CATEGORY_SPACE)]
    if op is c.AT:
        return av is c.AT_BOUNDARY
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):  # `\s+`: at least once
        low, _, item = av
        return low >= 1 and len(item) == 1 and _ends_word(*item[0])
    return op is c.ASSERT_NOT and av[0] == 1 and str(av[1]) == str(_parser.parse(r"\w"))


def leading_letters(pattern: str) -> frozenset[str] | None:
    """What every match of a regex starts with, in lower case ('refus' for `refus(?:e|es|ed)`,
    {'will', 'would'} for `(?:will|would) not`); None when it may start otherwise."""
    heads = word_heads(pattern)
    return frozenset(head.rstrip(WHOLE) for head in heads) if heads else None


def word_heads(pattern: str) -> frozenset[str] | None:
    """leading_letters(), each string that is a whole word marked by a WHOLE after it: the
    word a match starts at is "the" itself for `(?:the|a) payment`, not "these" or "then"."""
    try:
        from re import _parser
        found = _leading_letters(_parser.parse(pattern).data)
    except Exception:  # noqa: BLE001 - a pattern re's parser reads otherwise is simply never skipped
        return None
    return frozenset(found[0]) if found else None


def _starts_on_word(pattern: str) -> bool:
    """Whether the regex asks, before anything else, for no word character before its match."""
    try:
        from re import _constants as c, _parser
        op, av = _parser.parse(pattern).data[0]
    except Exception:  # noqa: BLE001
        return False
    if op is c.AT:
        return av is c.AT_BOUNDARY
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):  # `\s+`: at least once
        low, _, item = av
        return low >= 1 and len(item) == 1 and _ends_word(*item[0])
    return op is c.ASSERT_NOT and av[0] == -1 and str(av[1]) == str(_parser.parse(r"\w"))


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
    if not is_plain(word):
        return -1  # every bit: let the regex decide
    low, mask = word.lower(), 0
    for length in _head_lengths:
        if length > len(low):
            break
        mask |= _heads.get(low[:length], 0)
    return mask | _heads.get(low + WHOLE, 0)


_word_masks = _Memo(_word_mask)
_MID_WORD = re.compile(r"[^\W\d_]{2}")
_LETTER = re.compile(r"[^\W\d_]")


def word_starts(text: str) -> tuple[int, list[tuple[int, int]]]:
    """The bits of the word-start patterns that may match somewhere in `text`, and where: the
    start and bits of every word that could begin a match. The last few texts are remembered,
    as one sentence is asked about by many cue lists in a row; no more, so that a text seen
    again much later (the same page read twice) costs what it did the first time."""
    found = _text_words.get(text)
    if found is None:
        mask, starts, mask_of = 0, [], _word_masks.__getitem__
        for m in WORD.finditer(text):
            word_mask = mask_of(m[0])
            if word_mask:
                mask |= word_mask
                starts.append((m.start(), word_mask))
        found = _remember(text, mask, starts)
    return found


def remember_words(text: str, tokens: list[Token]) -> None:
    """Make `word_starts(text)` from the text's tokens, which hold its words (a token is a run
    of letters or of digits, a word a run of letters): one reading of the sentence, not two."""
    if text not in _text_words:
        mask, starts, mask_of = 0, [], _word_masks.__getitem__
        for word, start, _ in tokens:
            word_mask = mask_of(word)
            if word_mask:
                mask |= word_mask
                starts.append((start, word_mask))
        _remember(text, mask, starts)


def remember_slice(text: str, start: int, end: int) -> None:
    """Make `word_starts(text[start:end])` from `word_starts(text)`: the words of the slice are
    the text's words that start in it, and the end of a word cut at `start`. (A word cut at
    `end` keeps the bits of the whole word, which may be more than its part has, and gets those
    of its part, which may be a whole-word head the word is not: one more place tried, never
    one less.)"""
    piece = text[start:end]
    if piece in _text_words:
        return
    _, starts = word_starts(text)
    starts = [(at - start, bits) for at, bits in starts[bisect_left(starts, (start,)):bisect_left(starts, (end,))]]
    if 0 < start < end and _MID_WORD.fullmatch(text, start - 1, start + 1):
        first_mask = _word_masks[WORD.match(piece)[0]]
        if first_mask:
            starts.insert(0, (0, first_mask))
    if start < end < len(text) and _MID_WORD.fullmatch(text, end - 1, end + 1):
        at = end - 1
        while at > start and _LETTER.match(text, at - 1):
            at -= 1
        last_mask = _word_masks[text[at:end]]
        if last_mask:
            if starts and starts[-1][0] == at - start:
                starts[-1] = (at - start, starts[-1][1] | last_mask)
            else:
                starts.append((at - start, last_mask))
    mask = 0
    for _, bits in starts:
        mask |= bits
    _remember(piece, mask, starts)


def _remember(text: str, mask: int, starts: list[tuple[int, int]]) -> tuple[int, list[tuple[int, int]]]:
    if len(_text_words) >= RECENT_TEXTS:
        del _text_words[next(iter(_text_words))]  # the oldest
    found = _text_words[text] = (mask, starts)
    return found


class WordStartPattern:
    r"""A compiled regex whose every match starts where a word starts (it opens with `\b` or
    `(?<![\w])` before a letter), with `search` and `finditer` as the regex has them, tried
    only at the words that could begin a match. A regex that may start otherwise is run as is."""

    def __init__(self, pattern: str, flags: int = 0, alternatives: list[str] | None = None, template: str = "{}"):
        self.regex = re.compile(pattern, flags)
        self.pattern = pattern
        heads = word_heads(pattern) if _starts_on_word(pattern) else None
        self.bit = _register(heads) if heads else 0
        # With the pattern's alternatives (`pattern` is `template` around them joined by '|'): at
        # a word, only the alternatives that can start with its first two letters (or, failing
        # that, its first letter) are tried, in their order. A long cue list tried whole at every
        # candidate word cost more than the rest of the sentence's reading; the first alternative
        # that matches is the same either way.
        self.by_letter = _by_first_letters(alternatives, template, flags) if self.bit and alternatives else None

    def starts(self, text: str) -> list[int] | None:
        """Where a match may start, in order; None when anywhere."""
        if not self.bit:
            return None
        mask, starts = word_starts(text)
        bit = self.bit
        return [start for start, word_mask in starts if word_mask & bit] if mask & bit else []

    def search(self, text: str) -> re.Match | None:
        if not self.bit:
            return self.regex.search(text)
        mask, starts = word_starts(text)
        if mask & self.bit:
            bit, match, by_letter = self.bit, self.regex.match, self.by_letter
            for start, word_mask in starts:
                if word_mask & bit:
                    if by_letter is not None and word_mask != -1:
                        m = (by_letter.get(text[start:start + 2].lower()) or
                             by_letter.get(text[start].lower(), match))(text, start)
                    else:
                        m = match(text, start)
                    if m:
                        return m
        return None

    def finditer(self, text: str) -> Iterable[re.Match]:
        if not self.bit:
            return self.regex.finditer(text)
        mask, starts = word_starts(text)
        if not mask & self.bit:
            return ()
        found, bit, match, free_from, by_letter = [], self.bit, self.regex.match, 0, self.by_letter
        # The try at a start is written out here and in search(): a method call per candidate word
        # measured about 3% of all extraction time.
        for start, word_mask in starts:
            if word_mask & bit and start >= free_from:
                if by_letter is not None and word_mask != -1:
                    m = (by_letter.get(text[start:start + 2].lower()) or
                         by_letter.get(text[start].lower(), match))(text, start)
                else:
                    m = match(text, start)
                if m:
                    found.append(m)
                    free_from = m.end()
        return found


def _by_first_letters(alternatives: list[str], template: str, flags: int) -> dict[str, Callable] | None:
    """first letter, and first two letters -> the match method of `template` around the
    alternatives (in their order) that can start so; None when one alternative may start otherwise.
    A two-letter key holds the alternatives whose leading letters start with it, and those whose
    leading letters are its first letter alone; a word whose two letters are no key takes its
    first letter's."""
    heads_of = []
    for alternative in alternatives:
        pattern = template.format(alternative)
        heads = word_heads(pattern) if _starts_on_word(pattern) else None
        if not heads:
            return None
        heads_of.append((alternative, heads))
    groups: dict[str, list[str]] = {}
    keys = {head[:2] for _, heads in heads_of for head in heads if len(head) >= 2}
    for alternative, heads in heads_of:
        for letter in sorted({head[0] for head in heads}):
            groups.setdefault(letter, []).append(alternative)
        for key in sorted(keys):
            if any(head[:2] == key if len(head) >= 2 else head == key[0] for head in heads):
                groups.setdefault(key, []).append(alternative)
    return {key: re.compile(template.format("|".join(group)), flags).match for key, group in groups.items()}


CUE_TEMPLATE = r"(?<![\w])(?:{})(?![\w])"


def cue_pattern(alternatives: list[str]) -> WordStartPattern:
    r"""A cue list as one case-insensitive regex: `(?<![\w])(?:alternative|...)(?![\w])`."""
    return WordStartPattern(CUE_TEMPLATE.format("|".join(alternatives)), re.I, alternatives, CUE_TEMPLATE)
