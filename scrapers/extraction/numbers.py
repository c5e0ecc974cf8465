"""The grammar of numbers, quantities and money amounts in English, German and French news text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from scrapers.extraction.phrases import WordStartPattern, is_plain

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12, "a pair of": 2, "a couple of": 2,
    "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
    "hundert": 100,
}
# French: number words, scales and currencies kept apart from the English and German lines.
FRENCH_UNITS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "quatre-vingt": 80, "quatre-vingts": 80, "cent": 100,
    "une douzaine de": 12, "une douzaine d'": 12,
}
# "dix-huit", "vingt-deux", "soixante-quinze", "quatre-vingt-dix": a ten and a unit joined by hyphens
# (or "et"); "une vingtaine de": a round number, about that many.
FRENCH_TENS = {"dix": 10, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
               "quatre-vingt": 80, "quatre-vingts": 80}
FRENCH_ROUND_NUMBERS = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
                        "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
_FRENCH_UNIT_WORD = r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize)"
_FRENCH_COMPOUND = (r"(?:quatre-vingts?|soixante|cinquante|quarante|trente|vingt|dix)"
                    rf"(?:-et-|\s+et\s+|-){_FRENCH_UNIT_WORD}\b")
FRENCH_ROUND = re.compile(rf"une\s+(?P<round>{'|'.join(FRENCH_ROUND_NUMBERS)})\s+d(?:e|['’])", re.I)
# As counts; "sept" and "cent" are left out there, as English text writes them too ("Sept. 12", "per cent").
FRENCH_WORD_NUMBER = (rf"{_FRENCH_COMPOUND}|une\s+(?:{'|'.join(FRENCH_ROUND_NUMBERS)})\s+d(?:e|['’])|"
                      r"un|une|deux|trois|quatre|cinq|huit|neuf|dix|onze|douze|treize|"
                      r"quatorze|quinze|seize|quatre-vingts?|vingt|trente|quarante|cinquante|soixante")
FRENCH_MONEY_WORD_NUMBER = rf"{FRENCH_WORD_NUMBER}|sept|cent"
FRENCH_SCALES = {"milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9, "mille": 1e3}
FRENCH_CURRENCY_WORDS = {
    "dollars américains": "USD", "dollars canadiens": "CAD", "dollars australiens": "AUD",
    "dollars néo-zélandais": "NZD", "francs suisses": "CHF", "livres sterling": "GBP",
    "couronnes norvégiennes": "NOK", "couronnes suédoises": "SEK", "couronnes danoises": "DKK",
    "couronnes tchèques": "CZK", "zlotys polonais": "PLN",
    "francs": "CHF",  # the only franc that pays for aid to Ukraine: Swiss pages leave out "suisses"
}
UNITS.update({word: value for word, value in FRENCH_UNITS.items() if word not in UNITS})
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {
    "thousand": 1e3, "k": 1e3, "tsd": 1e3, "tausend": 1e3,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "mio": 1e6, "millionen": 1e6, "million euro": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9,
    "trillion": 1e12, "tn": 1e12, "billionen": 1e12,
    "dozen": 12, "dutzend": 12,  # "two dozen drones", "zwei Dutzend Drohnen": only as counts
    **FRENCH_SCALES,
}
_WORD_NUMBER = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
                r"seven|eight|nine))?|a dozen|dozen|a pair of|a couple of|one|two|three|four|five|six|seven|eight|nine|"
                r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
                r"zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|"
                rf"{FRENCH_WORD_NUMBER})")
# German number words beyond the shared list: the indefinite article as "one" ("ein Iris-T SLM",
# "einem Minenräumpanzer"; longest first) and the teens and tens.
UNITS.update({"einem": 1, "einer": 1, "eines": 1, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16,
              "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "sechzig": 60, "siebzig": 70, "achtzig": 80,
              "neunzig": 90})
_GERMAN_WORD_NUMBER = (r"einen|einem|einer|eines|eine|ein|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|"
                       r"neunzehn|sechzig|siebzig|achtzig|neunzig")
# "fünfundzwanzig", "einundvierzig": a unit and a ten written as one word
_GERMAN_UNITS_AND_TENS = re.compile(r"(ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und"
                                    r"(zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig)")
_GERMAN_WORD_NUMBER = _GERMAN_UNITS_AND_TENS.pattern.replace("(", "(?:") + "|" + _GERMAN_WORD_NUMBER
_WORD_NUMBER = rf"(?:{_WORD_NUMBER}|{_GERMAN_WORD_NUMBER})"
# "150,000", "1.2", "2,7": one to three digits and groups of three, or digits, each with an
# optional decimal part. Written as one digit and then the rest (the same tries in the same
# order as `\d{1,3}(?:…)+…|\d+…`) so that re can skip to the next digit when it searches.
# Thousands separated by a no-break space (French) or an apostrophe ("1'500", Swiss) too.
DIGITS = r"\d(?:\d{0,2}(?:[,.\u202f\xa0 '’]\d{3})+(?:[.,]\d+)?|\d*(?:[.,]\d+)?)"
DIGIT_RUN = re.compile(r"\d\d*")
NUMBER = rf"(?:{DIGITS}|{_WORD_NUMBER})"
SCALE = (r"(?:trillion|billions?|millions?|thousand|milliarden|milliarde|millionen|tausend|mrd\.?|mio\.?|tsd\.?|"
         r"milliards?|mds?|"  # French
         r"bn|bln|mln|mn|tn|[mbk])")

QUALIFIERS = [
    (r"up to|as many as|a maximum of|bis zu|maximal", "up_to"),
    # "handed over four MiG-29s": the verb's "over", not a qualifier
    (r"more than|(?<!handed )(?<!hands )(?<!hand )(?<!handing )(?<!turned )(?<!turns )(?<!turn )over|"
     r"in excess of|upwards of|mehr als|über|ueber|at least|mindestens|gut|weit über", "over"),
    (r"about|approximately|around|roughly|some|nearly|almost|an estimated|close to|rund|etwa|ca\.|circa|"
     r"ungefähr|knapp|fast|nahezu|annähernd", "about"),
    # French
    (r"jusqu['’] ?à|un maximum de|au maximum", "up_to"),
    (r"plus de|au moins|au-delà de|au-dessus de|plus d['’]", "over"),
    (r"environ|près de|quelque|presque|autour de|approximativement|pas loin de", "about"),
]
QUALIFIER = "|".join(q for q, _ in QUALIFIERS)
TOKEN_WORDS = re.compile(r"[^\W\d_]+")


def qualifier_before(text: str, start: int) -> tuple[str, str | None]:
    """('up to', 'more than', 'rund' ...) written just before `start`: the start including it,
    and its code. Looked up after a cheaper match of the number itself."""
    window = text[max(0, start - 25):start]
    m = QUALIFIER_BEFORE.search(window)
    if not m:
        return start, None
    return start - len(window) + m.start(), qualifier_code(m.group("qual"))


def qualifier_code(text: str | None) -> str | None:
    if not text:
        return None
    for pattern, code in QUALIFIERS:
        if re.fullmatch(pattern, text.strip().lower()):
            return code
    return None


SWISS_THOUSANDS = re.compile(r"(?<=\d)['’](?=\d{3}\b)")


def parse_number(text: str, language: str = "en") -> float | None:
    """'150,000' -> 150000; '2,7' (German) -> 2.7; 'twenty-five' -> 25; '1.000' (German) -> 1000."""
    raw = text.strip().lower().replace("\u202f", " ").replace("\xa0", " ")
    raw = SWISS_THOUSANDS.sub("", raw)  # "1'500", "12’000"
    if raw in UNITS:
        return float(UNITS[raw])
    german_tens = _GERMAN_UNITS_AND_TENS.fullmatch(raw)
    if german_tens:
        return float(UNITS[german_tens[1]] + UNITS.get(german_tens[2], 0))
    french = _french_number(raw)
    if french is not None:
        return float(french)
    words = re.split(r"[\s-]+", raw)
    if words[0] in TENS:
        return float(TENS[words[0]] + (UNITS.get(words[1], 0) if len(words) > 1 else 0))
    if not re.fullmatch(r"[\d.,\s]+", raw):
        return None
    raw = raw.replace(" ", "")
    german = language in ("de", "fr")  # French writes numbers as German does: 1.480 or 1 480, and 2,7
    thousands, decimal = (".", ",") if german else (",", ".")
    if re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{decimal}\d+)?", raw):
        raw = raw.replace(thousands, "")
    elif not german and re.fullmatch(r"\d+,\d{1,2}", raw):  # "2,7" in an English text is still decimal
        raw = raw.replace(",", ".")
    elif german and re.fullmatch(r"\d+\.\d{3}", raw):
        raw = raw.replace(".", "")
    raw = raw.replace(decimal, ".")
    try:
        return float(raw)
    except ValueError:
        return None


def _french_number(raw: str) -> int | None:
    """'dix-huit' -> 18, 'vingt et un' -> 21, 'quatre-vingt-dix' -> 90, 'une vingtaine de' -> 20."""
    round_number = FRENCH_ROUND.fullmatch(raw)
    if round_number:
        return FRENCH_ROUND_NUMBERS[round_number["round"].lower()]
    for tens, value in sorted(FRENCH_TENS.items(), key=lambda item: -len(item[0])):
        if raw.startswith(tens) and raw != tens:
            unit = re.sub(r"^(?:-et-|\s+et\s+|-)", "", raw[len(tens):])
            if unit != raw[len(tens):] and unit in FRENCH_UNITS and FRENCH_UNITS[unit] < 20:
                return value + FRENCH_UNITS[unit] if unit != "une" else value + 1
    return None


def is_round_number(text: str) -> bool:
    """'une vingtaine de': about that many."""
    return bool(FRENCH_ROUND.fullmatch(text.strip()))


# --- money ---------------------------------------------------------------------------------

CURRENCY_SYMBOLS = {
    "us$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "c$": "CAD",
    "ca$": "CAD", "cad": "CAD", "a$": "AUD", "au$": "AUD", "aud": "AUD", "nok": "NOK", "sek": "SEK", "dkk": "DKK",
    "pln": "PLN", "chf": "CHF", "jpy": "JPY", "¥": "JPY", "czk": "CZK", "nzd": "NZD", "nz$": "NZD", "krw": "KRW",
    "huf": "HUF", "ron": "RON", "bgn": "BGN", "try": "TRY", "uah": "UAH", "isk": "ISK",
}
CURRENCY_WORDS = {
    "us dollars": "USD", "u.s. dollars": "USD", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "canadian dollars": "CAD", "australian dollars": "AUD",
    "norwegian kroner": "NOK", "norwegian crowns": "NOK", "swedish kronor": "SEK", "swedish crowns": "SEK",
    "danish kroner": "DKK", "danish crowns": "DKK", "zlotys": "PLN", "zloty": "PLN", "swiss francs": "CHF", "yen": "JPY", "czech crowns": "CZK",
    "czech korunas": "CZK", "kroner": "DKK", "kronor": "SEK", "crowns": "SEK", "hryvnias": "UAH", "hryvnia": "UAH",
    **FRENCH_CURRENCY_WORDS,
}
GERMAN_CURRENCY_WORDS = {
    "us-dollar": "USD", "us-dollars": "USD", "euros": "EUR",
    "schwedische kronen": "SEK", "schwedischen kronen": "SEK", "norwegische kronen": "NOK",
    "norwegischen kronen": "NOK", "dänische kronen": "DKK", "dänischen kronen": "DKK", "tschechische kronen": "CZK",
    "tschechischen kronen": "CZK", "pfund sterling": "GBP", "britische pfund": "GBP", "britischen pfund": "GBP",
    "pfund": "GBP", "schweizer franken": "CHF", "franken": "CHF", "kanadische dollar": "CAD",
    "kanadischen dollar": "CAD", "australische dollar": "AUD", "australischen dollar": "AUD", "złoty": "PLN",
}
CURRENCY_WORDS.update({word: code for word, code in GERMAN_CURRENCY_WORDS.items() if word not in CURRENCY_WORDS})
_SYM = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
CONVERSION_GAP = re.compile(r"^\s*[(\[]\s*(?:(?:about|around|roughly|approximately|approx\.|some|nearly|almost|or|"
                            r"ca\.|rund|etwa|circa|equivalent to)\s+)?$", re.I)
_CWORD = "|".join(re.escape(s) for s in sorted(CURRENCY_WORDS, key=len, reverse=True))
MONEY_PATTERNS = [
    # "$400 million", "US$ 1.2bn", "€5 billion", "CAD 406 million", "NOK 1.5 billion"
    # (not the end of a word: "environ 250" is no RON)
    re.compile(rf"(?<![^\W\d_])(?P<cur>{_SYM})\s?(?P<num>{DIGITS})(?:\s?(?P<scale>{SCALE})\b)?", re.I),
    # "2,7 Mrd. €", "2,7 Milliarden Euro", "406 million Canadian dollars", "5 billion euros", "500 Mio. EUR"
    re.compile(rf"(?P<num>{DIGITS})\s?(?P<scale>{SCALE})?\s*(?P<cur2>{_CWORD}|€|£|\$|"
               rf"eur\b|usd\b|gbp\b|nok\b|sek\b|dkk\b|cad\b|pln\b|chf\b|czk\b|aud\b)", re.I),
    # "fünf Milliarden Euro", "rund einer Milliarde Euro", "five billion dollars": a number word and a scale
    re.compile(rf"\b(?P<num>{_WORD_NUMBER})\s+(?P<scale>milliarden|milliarde|millionen|million|billions?|millions?|"
               rf"mrd\.?|mio\.?)\s*(?P<cur2>{_CWORD}|€|£|\$|eur\b|usd\b)", re.I),
    # "billion-dollar drawdown", "a billion dollars", "multi-million-pound"
    re.compile(r"\b(?:a|one)?\s?(?P<scale>billion|million)[\s-](?P<cur3>dollar|euro|pound)s?\b", re.I),
    # French: "2 milliards d'euros", "1,5 milliard d’€", "cent millions de dollars", "trois milliards de dollars"
    re.compile(rf"(?P<num>{DIGITS}|\b(?:{FRENCH_MONEY_WORD_NUMBER}))\s?(?P<scale>milliards?|millions?|mds?|mille)\.?\s+"
               rf"(?:d['’]\s?|de\s+)(?P<cur2>{_CWORD}|€|\$|£)", re.I),
]


# Where the scale of an amount in words starts.
WORD_SCALE = re.compile(r"(?<=\s)(?:milliarde|million|billion|mrd|mio)", re.I)
WORD_SCALES = ("milliarde", "million", "billion", "mrd", "mio")  # WORD_SCALE's words, for str.find


def _occurrences(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")
# A cheap first look: most sentences name no currency, and the full patterns are costly.
MONEY_SIGNS = "$€£¥"
SYMBOL_LENGTHS = sorted({len(symbol) for symbol in CURRENCY_SYMBOLS})
MONEY_WORDS = frozenset([*(c for c in CURRENCY_SYMBOLS if c.isalpha()),
                         *(phrase.split()[-1] for phrase in CURRENCY_WORDS),
                         "dollar", "dollars", "euro", "euros", "pound", "pounds", "mrd", "milliarden", "mio"])
# MONEY_PATTERNS[4] (French) is tried only where a French scale word is written.
FRENCH_MONEY_SCALE = re.compile(r"milliard|(?:millions?|mds?|mille)\.?\s+d(?:e\s|['’])", re.I)


@dataclass(frozen=True)
class Money:
    value: float
    currency: str
    qualifier: str | None
    start: int
    end: int
    text: str


def find_money(text: str, language: str = "en", words: Iterable[str] | None = None) -> list[Money]:
    """Money amounts in a sentence; `words` (its tokens, when the caller has them) speed the
    check for sentences that name no currency."""
    words = TOKEN_WORDS.findall(text) if words is None else words
    if not any(sign in text for sign in MONEY_SIGNS) and MONEY_WORDS.isdisjoint(map(str.lower, words)):
        return []
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for pattern in MONEY_PATTERNS:
        for m in _money_matches(pattern, text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groupdict()
            if groups.get("cur3"):
                currency = {"dollar": "USD", "euro": "EUR", "pound": "GBP"}[groups["cur3"].lower()]
                number = 1.0
            else:
                symbol = (groups.get("cur") or groups.get("cur2") or "").lower()
                currency = CURRENCY_SYMBOLS.get(symbol) or CURRENCY_WORDS.get(symbol)
                number = parse_number(groups["num"], language)
            if not currency or number is None:
                continue
            scale_word = (groups.get("scale") or "").lower().rstrip(".")
            if groups.get("cur2") and not scale_word and number < 1000:
                continue  # "50 pounds" of weight, "3 euros": not an aid amount
            value = number * SCALES.get(scale_word, 1.0)
            start, qualifier = qualifier_before(text, m.start())
            found.append(Money(value, currency, qualifier, start, m.end(), text[start:m.end()]))
            taken.append((m.start(), m.end()))
    return _without_conversions(sorted(found, key=lambda money: money.start), text)


def _without_conversions(amounts: list[Money], text: str) -> list[Money]:
    """"£2.5 billion ($3.2 billion)": the amount in brackets restates the one before it in another
    currency; it is not a second amount."""
    kept: list[Money] = []
    for money in amounts:
        if kept and money.currency != kept[-1].currency and CONVERSION_GAP.match(text[kept[-1].end:money.start]):
            continue
        kept.append(money)
    return kept


def _money_matches(pattern: re.Pattern, text: str) -> Iterable[re.Match]:
    """`pattern.finditer(text)`, found sooner. A symbol-first amount ("$400 million", "NOK 1.5
    billion") is tried only a symbol's length before a run of digits (its number starts one,
    right after the symbol or a space); "billion-dollar" only in a text that says billion or
    million. The other pattern opens with a digit, which re finds fast by itself."""
    if pattern is MONEY_PATTERNS[0]:
        starts = {run.start() - gap - length for run in DIGIT_RUN.finditer(text)
                  for gap in (0, 1) for length in SYMBOL_LENGTHS}
        return _matches_from(pattern, text, sorted(start for start in starts if start >= 0))
    if pattern is MONEY_PATTERNS[4]:
        return pattern.finditer(text) if FRENCH_MONEY_SCALE.search(text) else ()
    if pattern is MONEY_PATTERNS[3] and is_plain(text):
        # "billion-dollar": its scale word stands at most four characters after its start ("one ")
        lowered = text.lower()
        scales = [at for word in ("billion", "million") for at in _occurrences(lowered, word)]
        starts = {start for at in scales for start in range(max(0, at - 4), at + 1)}
        return _matches_from(pattern, text, sorted(starts))
    if pattern is MONEY_PATTERNS[2]:  # a number word: tried only at the word before a written scale
        if is_plain(text):
            lowered = text.lower()
            scales = [at for word in WORD_SCALES for at in _occurrences(lowered, word)]
        else:
            scales = [m.start() for m in WORD_SCALE.finditer(text)]
        starts = set()
        for at in scales:  # the last three words before it: "a pair of", "twenty-one"
            starts.update([word.start() for word in WORD_START.finditer(text, max(0, at - 30), at)][-3:])
        return _matches_from(pattern, text, sorted(starts))
    return pattern.finditer(text)


def _matches_from(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """`pattern.finditer(text)` when every match starts at one of `starts` (in order) and none is
    empty: the match at each start not inside the one before."""
    free_from = 0
    for start in starts:
        if start >= free_from:
            m = pattern.match(text, start)
            if m:
                yield m
                free_from = m.end()


# --- quantities ----------------------------------------------------------------------------

# A rate is found from its period ("a month") back to its number, so the costly number pattern
# is only tried where a period is written.
PERIOD = WordStartPattern(r"\b(?:a|per|each|every|pro|im|par|chaque)\s+(?P<per>month|year|week|monat|jahr|"
                          r"mois|an|année|semaine)\b", re.I)
FRENCH_PERIODS = {"mois": "month", "an": "year", "année": "year", "semaine": "week"}
RATE_TO_PERIOD = re.compile(rf"(?P<num>{NUMBER})(?:\s+(?P<scale>thousand|million))?(?:\s+[\w\-]+){{0,5}}?\s+$", re.I)
VAGUE = WordStartPattern(r"\b(hundreds|thousands|dozens|tens of thousands|millions|several|many|numerous|hunderte|"
                         r"tausende|dutzende|mehrere|zahlreiche|"
                         r"centaines|milliers|dizaines|plusieurs|nombreux|nombreuses)\b"  # French
                         r"(?:\s+of|\s+de|\s+d['’])?\s*$", re.I)
# German words that put another phrase between a count and an item ("zwei Bataillone mit Leopard-Panzern").
GERMAN_NOT_MODIFIERS = (r"mit|von|vom|aus|und|oder|zu|zum|zur|im|in|an|auf|bei|nach|über|unter|vor|wie|als|"
                        r"sowie|sind|ist|"
                        r"wird|werden|wurden|hat|haben")
# Between a number and the item it counts: "Two additional", "150,000 rounds of", "50 modern".
FILLER = (r"(?:\s+(?:additional|more|new|further|extra|modern|older|used|refurbished|upgraded|advanced|"
          r"weitere|zusätzliche|neue|moderne|gebrauchte|of|the|its|their|rounds|units|pieces|sets|systems|"
          r"launchers|vehicles|items|piece|unit|set|stück|schuss|types?|kinds?|batteries|fire units|"
          r"feuereinheiten|feuereinheit|startgeräte|startgerät|werfer|des|der|den|systeme|retired|surplus|"
          r"decommissioned|second-hand|heavy|light|armou?red|tracked|wheeled|western|donated|"
          r"ausgemusterte|gepanzerte|schwere|leichte|"
          # French
          r"de|ses|leurs|nos|nouveaux|nouvelles|nouveau|autres|exemplaires|unités|pièces|systèmes|lanceurs|"
          r"véhicules|batteries|cartouches|modernes|lourds|légers|blindés|supplémentaires|d['’]))*"
          # and at most two other lower-case modifiers ("30,000 emergency food rations"), but no
          # word that would put a verb or another phrase between the count and the item
          r"(?:\s+(?!(?:to|for|from|in|on|at|by|with|and|or|was|were|are|is|will|would|have|has|had|"
          r"been|be|than|per|a|an|each|this|that|these|those|into|over|under|after|before|"
          r"pour|par|avec|sans|dans|sur|sont|seront|été|est|ont|qui|que|aux|vers|entre|et|ou|"
          + GERMAN_NOT_MODIFIERS + r")\b)"
          r"[a-zäöüßàâçéèêëîïôûùœ][a-zäöüßàâçéèêëîïôûùœ\-]{2,}){0,2}")
# Where a number can start: a run of digits, or a number word standing alone.
NUMBER_START = re.compile(rf"(?<![\d,.\u202f])\d|\b{_WORD_NUMBER}\b", re.I)
NUMBER_WORD_START = WordStartPattern(rf"\b{_WORD_NUMBER}\b", re.I)  # where a number word may start


def number_starts(text: str) -> Iterator[re.Match]:
    """`NUMBER_START.finditer(text)`, tried only where a run of digits or a word that could be
    a number word starts."""
    words = NUMBER_WORD_START.starts(text)
    if words is None:
        return NUMBER_START.finditer(text)
    digits = [m.start() for m in DIGIT_RUN.finditer(text)]
    return _matches_from(NUMBER_START, text, sorted(digits + words) if words else digits)


NUMBER_TO_END = re.compile(rf"(?P<num>{NUMBER})(?:\s+(?P<scale>thousand|million|tausend|millionen|mio\.?|dozen|dutzend))?"
                           rf"{FILLER}\s*$", re.I)
QUALIFIER_BEFORE = re.compile(rf"\b(?P<qual>{QUALIFIER})\s+$", re.I)
# An amount, a larger number, a name ("F-16", "M577")
NOT_A_COUNT_BEFORE = re.compile(r"[$€£]\s*$|\d[.,]?$|[-–]$|[^\W\d_]$")
# "delivered 14 of the 19 F-16s", "14 der 19 Kampfjets", "14 des 19 avions": the count given is
# the part, written before the whole.
PART_OF_WHOLE = re.compile(rf"(?P<part>{NUMBER})\s+(?:of|out of|der|von|des|sur)\s+"
                           rf"(?:(?:the|its|their|seinen|ihren|den|les|ses|leurs)\s+)?$", re.I)
NOT_A_COUNT_AFTER = re.compile(r"\s*(?:[-–]|mm\b|-mm|millimet|millimèt)")  # a calibre
DESIGNATION_BEFORE = re.compile(r"(?<=\d)(?:\s+[A-Z][A-Za-z\d]{0,10}){1,2}-$")  # "3000 DM31-", "13 MAN TGS-"
A_YEAR = re.compile(r"\b(?:19|20)\d\d$")


@dataclass(frozen=True)
class Quantity:
    value: int | None
    qualifier: str | None
    per: str | None = None
    of_whole: int | None = None  # "14 of the 19": the whole the count is part of


QUANTITY_WINDOW = 80  # how far before an item its count is looked for


def quantity_before(prefix: str, language: str = "en") -> Quantity | None:
    """The count written just before an item: '... Up to 150,000 rounds of' -> 150000, up_to."""
    tail = prefix[-QUANTITY_WINDOW:]
    # DESIGNATION_BEFORE ends in '-' ($ also stands before a last newline)
    designation = DESIGNATION_BEFORE.search(tail) if tail.endswith(("-", "-\n")) else None
    if designation:
        tail = tail[:designation.start()] + " "  # "3000 DM31-Panzerabwehrminen": the count is before the type
    # Anchored tries at each place a number starts, leftmost first, instead of one search that
    # would try the whole pattern at every character.
    for start in number_starts(tail):
        m = NUMBER_TO_END.match(tail, start.start())
        if not m:
            continue
        if NOT_A_COUNT_BEFORE.search(tail[:m.start("num")]):
            return None  # part of a larger number, an amount, or a hyphenated name ("F-16", "AT-4")
        if NOT_A_COUNT_AFTER.match(tail[m.end("num"):]):
            return None  # "155mm" is a caliber
        if _names_a_currency(tail[m.end("num"):m.end()]):
            return None  # "250 Millionen Euro für Drohnen": an amount, not a count of drones
        number = parse_number(m.group("num"), language)
        if number is None or number <= 0:
            return None
        number *= SCALES.get((m.group("scale") or "").lower().rstrip("."), 1.0)
        if A_YEAR.search(m.group("num")) and number > 1900:
            return None  # a year
        # only the last words before the count can make it a whole ("14 of the 19")
        part = PART_OF_WHOLE.search(tail, max(0, m.start() - 40), m.start())
        if part:
            counted = parse_number(part.group("part"), language)
            if counted and 0 < counted < number:
                return Quantity(int(counted), qualifier_before(tail, part.start())[1], of_whole=int(number))
        qualifier = qualifier_before(tail, m.start())[1] or ("about" if is_round_number(m.group("num")) else None)
        return Quantity(int(number), qualifier)
    vague = VAGUE.search(tail)
    if vague:
        return Quantity(None, "over" if vague.group(1).lower() not in ("several", "mehrere", "plusieurs") else None)
    return None


def _names_a_currency(words: str) -> bool:
    """Whether the words between a number and an item name a currency ("Millionen Euro für")."""
    return any(sign in words for sign in MONEY_SIGNS) or \
        not CURRENCY_WORD_SET.isdisjoint(word.lower() for word in TOKEN_WORDS.findall(words))


# The nouns of the currency words: last in English and German ("euro", "kronen"), first in French ("couronnes")
CURRENCY_WORD_SET = frozenset([*(phrase.split()[-1] for phrase in CURRENCY_WORDS
                                 if phrase not in FRENCH_CURRENCY_WORDS),
                               *(phrase.split()[0] for phrase in FRENCH_CURRENCY_WORDS)])


def find_rates(text: str, language: str = "en") -> list[tuple[int, Quantity]]:
    """Rate pledges such as '3,000 shells a month': (position, quantity with its period)."""
    rates = []
    for period in PERIOD.finditer(text):
        window_start = max(0, period.start() - 60)
        window = text[window_start:period.start()]
        for start in number_starts(window):
            m = RATE_TO_PERIOD.match(window, start.start())
            if m:
                break
        else:
            continue
        number = parse_number(m.group("num"), language)
        per = {"monat": "month", "jahr": "year", **FRENCH_PERIODS}.get(period.group("per").lower(),
                                                                       period.group("per").lower())
        if number is None or per == "week":  # the record format counts per month or year only
            continue
        number *= SCALES.get((m.group("scale") or "").lower(), 1.0)
        start, qualifier = qualifier_before(text, window_start + m.start())
        rates.append((start, Quantity(int(number), qualifier, per)))
    return rates
