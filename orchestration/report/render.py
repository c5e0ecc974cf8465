"""The report page from query rows and charts: a Jinja2 template (template.html) with autoescaping.

Every value a page supplied (titles, sentences, urls, publishers) reaches the HTML through
autoescaping or, for the chart data, through Jinja's `tojson` (which escapes <, >, & and ' so a
sentence cannot close the script element it sits in). Only http(s) addresses become links.
"""
from __future__ import annotations

import datetime as dt
from importlib import resources
from urllib.parse import urlsplit

import jinja2

from .charts import Chart
from .queries import ReportData

TEMPLATE = "template.html"


def http_link(url: object) -> str | None:
    """The address when it is safe to link (http or https with a host), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    # Browsers drop tabs and newlines inside a scheme ("java\tscript:"); refuse any control character.
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def amount(value: float | None, currency: str | None) -> str:
    """Money as people read it: "EUR 5.00 bn", "US$ 400.00 m"."""
    if value is None:
        return "–"
    unit = "US$" if currency in (None, "USD") else currency
    for scale, suffix in ((1e9, " bn"), (1e6, " m")):
        if abs(value) >= scale:
            return f"{unit} {value / scale:,.2f}{suffix}"
    return f"{unit} {value:,.0f}"


def usd(value: float | None) -> str:
    return amount(value, "USD")


def number(value) -> str:
    return "–" if value is None else f"{value:,}"


def share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def day(value) -> str:
    if value is None:
        return "undated"
    if isinstance(value, dt.datetime):
        # DuckDB hands timestamps with time zone over in the session's zone: show them in UTC.
        if value.tzinfo:
            return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def label(code: str | None) -> str:
    return (code or "").replace("_", " ")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(http_link=http_link, usd=usd, amount=amount, number=number, share=share, day=day, label=label)
    return env


def render_page(data: ReportData, charts: list[Chart], *, plotly_script: str, report_script: str,
                generated_at: dt.datetime) -> str:
    source = resources.files(__package__).joinpath(TEMPLATE).read_text(encoding="utf-8")
    info = data.release_info or {}
    mart_rows = {key.removeprefix("rows_"): value for key, value in info.items() if key.startswith("rows_")}
    return environment().from_string(source).render(
        data=data, charts=charts, info=data.release_info, mart_rows=mart_rows,
        chart_specs={chart.name: chart.figure for chart in charts if chart.figure},
        plotly_script=plotly_script, report_script=report_script, generated_at=generated_at)
