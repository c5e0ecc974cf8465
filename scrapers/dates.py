"""Calendar dates written the ways news pages write them, in English, German and French."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I)
NUMERIC_DMY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{4}})\b", re.I)
MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})", re.I)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> date | None:
    """The first full calendar date in a string (ISO, 'May 10, 2024', '10 May 2024', '10. Mai 2024')."""
    if not text:
        return None
    found = []
    for pattern, order in ((ISO_DATE, "ymd"), (MONTH_DAY_YEAR, "mdy"), (DAY_MONTH_YEAR, "dmy"), (NUMERIC_DMY, "dmy#")):
        m = pattern.search(text)
        if not m:
            continue
        a, b, c = m.groups()
        if order == "ymd":
            value = _safe_date(int(a), int(b), int(c))
        elif order == "mdy":
            value = _safe_date(int(c), MONTHS[a.lower()], int(b))
        elif order == "dmy":
            value = _safe_date(int(c), MONTHS[b.lower()], int(a))
        else:
            value = _safe_date(int(c), int(b), int(a))
        if value:
            found.append((m.start(), value))
    return min(found)[1] if found else None


def parse_datetime_attr(value: str | None) -> date | None:
    """A date from a machine-readable attribute such as '2024-05-10T14:00:00Z'."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return parse_date(value)


WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6}
FRENCH_WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
WEEKDAYS.update(FRENCH_WEEKDAYS)
_WEEKDAY = "|".join(WEEKDAYS)
_FRENCH_WEEKDAY = "|".join(FRENCH_WEEKDAYS)
RELATIVE = re.compile(
    rf"\b(?P<today>today|this (?:morning|afternoon|evening)|tonight|heute|aujourd['’]hui)\b"
    rf"|\b(?P<yesterday>yesterday|gestern)\b"
    rf"|\b(?:on|last|this past|am|vergangenen|letzten)\s+(?P<weekday>{_WEEKDAY})\b"
    rf"|\b(?P<this_month>earlier this month|this month|anfang des monats|diesen monat|ce mois-ci|début du mois)\b"
    rf"|\b(?P<last_week>last week|vergangene woche|letzte woche|la semaine dernière)(?!\w)"
    rf"|\b(?P<last_month>last month|vergangenen monat|letzten monat|le mois dernier)\b"
    # French: "le 12 mars", "jeudi 6 février"; a weekday alone ("a annoncé mardi") is the last one
    rf"|\b(?:on|am|le|{_FRENCH_WEEKDAY})\s+(?P<on_date>(?:1er|\d{{1,2}})\s+(?:{_MONTH})(?:\s+\d{{4}})?)\b"
    rf"|\b(?:ce\s+)?(?P<fr_weekday>{_FRENCH_WEEKDAY})\b(?!\s+(?:\d|prochain))"
    rf"|\b(?:on|am)\s+(?P<on_date2>(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|"
    rf"\d{{1,2}}\.?\s+(?:{_MONTH})(?:\s+\d{{4}})?)\b",
    re.I)


@lru_cache(maxsize=1024)  # asked once per record, and records share sentences
def resolve_relative(text: str, published: date | None) -> date | None:
    """The day a sentence says something happened, read against the page's publication date:
    'on Monday' is the Monday on or before it, 'yesterday' the day before, 'on May 21' that day
    in the publication's year (or the year before when it would lie in the future). A period
    ('earlier this month', 'last month') resolves to its first day. None when nothing is said."""
    if published is None:
        return None
    m = RELATIVE.search(text)
    if not m:
        return None
    kind = m.lastgroup
    if kind == "today":
        return published
    if kind == "yesterday":
        return published - timedelta(days=1)
    if kind == "weekday":
        return published - timedelta(days=(published.weekday() - WEEKDAYS[m.group("weekday").lower()]) % 7)
    if kind == "fr_weekday":
        return published - timedelta(days=(published.weekday() - WEEKDAYS[m.group("fr_weekday").lower()]) % 7)
    if kind == "this_month":
        return published.replace(day=1)
    if kind == "last_week":
        return published - timedelta(days=7)
    if kind == "last_month":
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=1)
    written = m.group("on_date") or m.group("on_date2")
    full = parse_date(written)
    if full:
        return full
    for pattern, order in ((MONTH_DAY, "md"), (re.compile(rf"(\d{{1,2}})(?:er)?\.?\s+({_MONTH})", re.I), "dm")):
        found = pattern.search(written)
        if found:
            a, b = found.groups()
            month, day = (MONTHS[a.lower()], int(b)) if order == "md" else (MONTHS[b.lower()], int(a))
            value = _safe_date(published.year, month, day)
            if value and value > published:
                value = _safe_date(published.year - 1, month, day)
            return value
    return None
