"""Money in comparable units: ECB reference rates shipped with the CurrencyConverter package
(offline). A day without a published rate (a weekend, a holiday) is interpolated between the
nearest days with one; a date outside the history takes its nearest end."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from currency_converter import CurrencyConverter, RateNotFoundError


@dataclass(frozen=True)
class FxRates:
    usd: float  # US dollars per one unit of the currency
    eur: float  # euros per one unit of the currency
    on: date  # the day the rates are for


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@lru_cache(maxsize=4096)
def fx_rates(currency: str, on: date | None) -> FxRates | None:
    """The rates of `currency` on a day (the latest day of the history when no day is known);
    None for a currency the ECB does not quote."""
    converter = _converter()
    if currency not in converter.currencies:
        return None
    first, last = converter.bounds["USD"]
    day = min(max(on or last, first), last)
    try:
        return FxRates(usd=converter.convert(1.0, currency, "USD", date=day),
                       eur=converter.convert(1.0, currency, "EUR", date=day), on=day)
    except (RateNotFoundError, ValueError):
        return None


def rates_bounds() -> tuple[date, date] | None:
    """The first and last day of the ECB history (US dollar rates), which dates outside it take."""
    bounds = _converter().bounds.get("USD")
    return (bounds.first_date, bounds.last_date) if bounds else None
