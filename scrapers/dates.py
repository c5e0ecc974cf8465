"""Calendar dates written the ways news pages write them, in English and German."""
from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I)
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
