"""The extractor's shortcuts find exactly what the plain patterns find.

Each speed-up in scrapers/ (word-start patterns, anchored money and number patterns, the reversed
last-word match, the caption pre-check, phrase look-ups by length) stands in for a plain regex or
loop. These tests run both on seeded random texts made to hit the edges: mixed case, letters whose
case-insensitive match is special (dotted and dotless i, long s, Kelvin sign, Greek sigma), words
cut in half, digits glued to words, underscores.
"""
from __future__ import annotations

import random
import re
import sys

import pytest

from scrapers.extraction import grammar
from scrapers.extraction import numbers, phrases
from scrapers.extraction import segment
from scrapers.extraction.phrases import NOT_PLAIN, PhraseIndex, WordStartPattern, fold, leading_letters, tokenize
from scrapers.reference import lexicon

ODD_LETTERS = ["İ", "ı", "ſ", "K", "ẞ", "Σ", "ς", "µ", "ﬅ", "Å", "é", "Ü", "ß", "ǅ"]
GLUE = [" ", " ", " ", "  ", ", ", ". ", "-", "'", "’", "_", "\n", "\n\n", "(", ")", ": ", "/", "\u202f", "\xa0", ""]


def _vocabulary(patterns: list[str]) -> list[str]:
    """Words and pieces of words from the patterns' own letters, numbers and amounts."""
    words = set()
    for pattern in patterns:
        words.update(w for w in re.findall(r"[^\W\d_]+", pattern) if len(w) > 1)
    words = sorted(words)
    extra = ["the", "a", "an", "of", "to", "will", "not", "has", "have", "been", "is", "are", "and", "Ukraine",
             "Germany", "U.S.", "$", "€", "£", "US$", "NOK", "usd", "EUR", "400", "1,000", "2,7", "1.5", "155mm",
             "12345,678,901", "2024", "twenty-one", "a dozen", "billion", "million", "Mrd.", "bn", "m", "k",
             "dollars", "euros", "pounds", "per", "month", "year", "each", "Jahr", "Photo", "Getty", "via", "AP",
             "Reuters/", "Foto:", "Dr.", "Mr.", "U.K.", "e.g.", "J.", "Jan.", "No.", "Lt.", "x"]
    return words + extra + ODD_LETTERS


def _example(pattern: str, rng: random.Random) -> str:
    """A random string of the kind `pattern` matches (assertions are ignored, so not always a match)."""
    from re import _constants as c, _parser

    categories = {c.CATEGORY_DIGIT: "0123456789", c.CATEGORY_SPACE: " \n\t", c.CATEGORY_WORD: "aZ9_ü",
                  c.CATEGORY_NOT_WORD: " ,.-", c.CATEGORY_NOT_DIGIT: "a ,", c.CATEGORY_NOT_SPACE: "a9."}

    def walk(items) -> str:
        out = []
        for op, av in items:
            if op is c.LITERAL:
                out.append(chr(av))
            elif op is c.NOT_LITERAL:
                out.append("x" if chr(av) != "x" else "y")
            elif op is c.ANY:
                out.append(rng.choice("a .,"))
            elif op is c.IN:
                choices = []
                for kind, value in av:
                    if kind is c.LITERAL:
                        choices.append(chr(value))
                    elif kind is c.RANGE:
                        choices.append(chr(rng.randint(*value)))
                    elif kind is c.CATEGORY:
                        choices.extend(categories.get(value, "a"))
                out.append(rng.choice(choices or ["a"]) if av[0][0] is not c.NEGATE else "q")
            elif op is c.BRANCH:
                out.append(walk(rng.choice(av[1]).data))
            elif op is c.SUBPATTERN:
                out.append(walk(av[3].data))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, high, sub = av
                out.append("".join(walk(sub.data) for _ in range(rng.randint(low, min(high, low + 2)))))
        return "".join(out)

    return walk(_parser.parse(pattern).data)


def _mangle(word: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return word.upper()
    if roll < 0.3:
        return word.capitalize()
    if roll < 0.4 and len(word) > 3:
        cut = rng.randrange(1, len(word) - 1)
        return word[cut:] if rng.random() < 0.5 else word[:cut]
    if roll < 0.5 and word:
        at = rng.randrange(len(word))
        return word[:at] + rng.choice(ODD_LETTERS) + word[at + 1:]
    if roll < 0.55:
        return rng.choice(["1", "_", "x"]) + word
    return word


def _texts(vocabulary: list[str], count: int, seed: int, patterns: list[str] = ()) -> list[str]:
    """Random texts of words from the vocabulary and strings made from the patterns (a pattern,
    or one of its alternatives)."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(0, 14)):
            if patterns and rng.random() < 0.2:
                choices = _alternatives(rng.choice(patterns))
                piece = _example(choices[0] if rng.random() < 0.5 else rng.choice(choices), rng)
                pieces.append(_mangle(piece, rng) if rng.random() < 0.3 else piece)
            else:
                pieces.append(_mangle(rng.choice(vocabulary), rng))
            pieces.append(rng.choice(GLUE))
        found.append("".join(pieces))
    return found


def _alternatives(pattern: str) -> list[str]:
    """The pattern, and each alternative of it that parses alone (so that rare ones get made too)."""
    found = [pattern]
    for piece in pattern.split("|"):
        try:
            re.compile(piece)
        except re.error:
            continue
        found.append(piece)
    return found


def _spans(matches) -> list[tuple]:
    return [(m.span(), m.groups(), m.groupdict()) for m in matches]


def _word_start_patterns() -> dict[str, WordStartPattern]:
    lex = lexicon()
    found = {}
    for key, value in lex.cues.items():
        if isinstance(value, WordStartPattern):
            found[key] = value
        elif isinstance(value, dict):
            found.update({f"{key}.{k}": v for k, v in value.items()})
    found.update(MUNITION_FOR=grammar.MUNITION_FOR, PERIOD=numbers.PERIOD, VAGUE=numbers.VAGUE,
                 NUMBER_WORD_START=numbers.NUMBER_WORD_START)
    return found


def test_not_plain_holds_every_letter_whose_case_insensitive_match_is_not_its_lower_case():
    extras = set()
    try:
        from re import _casefix
        for lower, others in _casefix._EXTRA_CASES.items():
            extras.update(chr(c) for c in (lower, *others))
    except ImportError:  # another Python: the brute-force check below still holds
        pass
    extras = {c for c in extras if not c.isascii()}
    missing = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        lower = char.lower()
        if (len(lower) != 1 or lower in extras) and char not in NOT_PLAIN:
            missing.append(hex(code))
    assert not missing


def test_a_head_letter_is_matched_case_insensitively_only_by_what_lowers_to_it_or_by_a_not_plain_letter():
    letters = {letter for head in phrases._heads for letter in head}
    assert letters
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and chr(c).isalpha())
    for letter in letters:
        for char in re.findall(re.escape(letter), everything, re.I):
            assert char.lower() == letter or char in NOT_PLAIN, (letter, char)
            assert re.fullmatch(r"[^\W\d_]", char), (letter, char)  # a letter: inside a word


def test_every_pattern_that_should_be_filtered_is():
    for name, pattern in _word_start_patterns().items():
        assert pattern.bit, f"{name} runs unfiltered"


@pytest.mark.parametrize("pattern,examples,heads", [
    (r"refus(?:e|es|ed|ing|al)", ["refuse", "refuses", "refused", "refusing", "refusal"],
     {"refuse", "refusing", "refusal"}),
    (r"(?:will|would|can) not (?:send|supply)", ["will not send", "would not supply", "can not send"],
     {"will", "would", "can"}),
    (r"plans? to", ["plan to", "plans to"], {"plan"}),
    (r"\bact\b", ["act"], {"act"}),
    (r"(?<!presidential )drawdown authority", ["drawdown authority"], {"drawdown"}),
    (r"(?:ab|cd)(?:ef|gh)", ["abef", "abgh", "cdef", "cdgh"], {"abef", "abgh", "cdef", "cdgh"}),
    (r"(?:ax|b)c", ["axc", "bc"], {"axc", "bc"}),
    (r"\w+x", ["ax"], None),
    (r"(?:a|b)?c", ["c"], None),
    (r"\d+ euros", ["5 euros"], None),
])
def test_leading_letters(pattern, examples, heads):
    found = leading_letters(pattern)
    if heads is None:
        assert found is None
        return
    assert found is not None
    for example in examples:
        assert re.fullmatch(pattern, example)
        assert any(example.startswith(head) for head in found), (example, found)
    assert all(any(f.startswith(h) for h in heads) for f in found), found  # at least as telling as expected


def test_word_start_patterns_find_what_their_regex_finds():
    patterns = _word_start_patterns()
    sources = [p.pattern for p in patterns.values()]
    texts = _texts(_vocabulary(sources), 2000, seed=1, patterns=sources)
    for name, pattern in patterns.items():
        for sample in texts:
            expected = _spans(pattern.regex.finditer(sample))
            assert _spans(pattern.finditer(sample)) == expected, (name, sample)
            first = pattern.regex.search(sample)
            got = pattern.search(sample)
            assert (got and got.span()) == (first and first.span()), (name, sample)
            starts = pattern.starts(sample)
            assert all(m.start() in starts for m in pattern.regex.finditer(sample)), (name, sample)


def test_money_and_number_matches_are_the_plain_patterns_matches():
    sources = [p.pattern for p in numbers.MONEY_PATTERNS] + [numbers.NUMBER_START.pattern]
    texts = _texts(_vocabulary(sources), 2500, seed=2, patterns=sources)
    for sample in texts:
        for pattern in numbers.MONEY_PATTERNS:
            assert _spans(numbers._money_matches(pattern, sample)) == _spans(pattern.finditer(sample)), sample
        assert _spans(numbers.number_starts(sample)) == _spans(numbers.NUMBER_START.finditer(sample)), sample


def test_digits_are_the_same_pattern_as_written_before():
    before = re.compile(r"\d{1,3}(?:[,.\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
    now = re.compile(numbers.DIGITS)
    rng = random.Random(3)
    for _ in range(5000):
        sample = "".join(rng.choice("0123456789,. \u202fx") for _ in range(rng.randint(0, 16)))
        for at in range(len(sample) + 1):
            a, b = before.match(sample, at), now.match(sample, at)
            assert (a and a.span()) == (b and b.span()), (sample, at)


def test_the_last_word_before_a_full_stop_is_found_as_before():
    last_word = re.compile(r"([\w.'’]+)\.?$")
    for sample in _texts(_vocabulary([]), 3000, seed=4):
        sample = sample.rstrip(".!?\"'”’) ") + "."
        expected = last_word.search(sample).group(1)
        assert segment.LAST_WORD_REVERSED.match(sample[::-1])[0][::-1] == expected, sample


def test_captions_are_found_as_before():
    for alternative in segment.CAPTION_MARKERS.pattern[3:-1].split("|"):
        literal = alternative.replace("\\b", "").replace("\\", "").lower()
        assert any(word in literal for word in segment.CAPTION_WORDS), alternative
    sources = [segment.CAPTION_MARKERS.pattern]
    for sample in _texts(_vocabulary(sources), 3000, seed=5, patterns=sources):
        assert segment.is_caption(sample) == bool(segment.CAPTION_MARKERS.search(sample)), sample


def _find_as_before(index: PhraseIndex, sample: str) -> list[tuple]:
    """PhraseIndex.find as first written: every length from the longest down."""
    tokens = tokenize(sample)
    keys = [t[0] for t in tokens] if index.exact else [fold(t[0]) for t in tokens]
    count, found, free_from = len(tokens), [], 0
    for i in [i for i, key in enumerate(keys) if key in index.longest_from]:
        if i < free_from:
            continue
        for length in range(min(index.longest_from[keys[i]], count - i), 0, -1):
            value = index.entries.get(tuple(keys[i:i + length]))
            if value is None or not index._joined(sample, tokens, i, length):
                continue
            end = tokens[i + length - 1][2]
            nxt = tokens[i + length] if i + length < count else None
            if not index.exact and nxt is not None and nxt[0] == "s" and nxt[1] == end:
                end, length = nxt[2], length + 1
            found.append((value, tokens[i][1], end))
            free_from = i + length
            break
    return found


def test_phrase_look_ups_find_what_trying_every_length_finds():
    lex = lexicon()
    for name in ("parties", "systems_exact", "systems_folded"):
        index = getattr(lex, name)
        vocabulary = sorted({w for key in index.entries for w in key})
        rng = random.Random(6)
        for _ in range(1500):
            sample = "".join(_mangle(rng.choice(vocabulary), rng) + rng.choice(GLUE) for _ in range(rng.randint(0, 10)))
            assert [(m.value, m.start, m.end) for m in index.find(sample)] == _find_as_before(index, sample), sample


def _exact_word_starts(sample: str) -> tuple[int, list[tuple[int, int]]]:
    starts = [(m.start(), phrases._word_masks[m[0]]) for m in phrases.WORD.finditer(sample)]
    starts = [(at, bits) for at, bits in starts if bits]
    mask = 0
    for _, bits in starts:
        mask |= bits
    return mask, starts


def test_words_from_tokens_and_from_a_slice_of_the_sentence_are_the_words_read_again():
    patterns = _word_start_patterns()
    sources = [p.pattern for p in patterns.values()]
    rng = random.Random(7)
    for sample in _texts(_vocabulary(sources), 1500, seed=8, patterns=sources):
        phrases._text_words.clear()
        phrases.remember_words(sample, tokenize(sample))
        assert phrases._text_words[sample] == _exact_word_starts(sample), sample
        start = rng.randint(0, len(sample))
        end = rng.randint(start, len(sample))
        piece = sample[start:end]
        if piece in phrases._text_words:
            continue
        phrases.remember_slice(sample, start, end)
        mask, starts = phrases._text_words[piece]
        exact_mask, exact_starts = _exact_word_starts(piece)
        given = dict(starts)
        assert all(at in given and given[at] & bits == bits for at, bits in exact_starts), (sample, start, end)
        assert mask & exact_mask == exact_mask
        for name, pattern in patterns.items():  # and what is found in the slice is what the regex finds
            assert _spans(pattern.finditer(piece)) == _spans(pattern.regex.finditer(piece)), (name, piece)
