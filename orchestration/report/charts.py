"""The report's charts as plotly figures (plain JSON-ready dicts), built from query rows.

Plotly (https://plotly.com/python/) was chosen because it is well kept (monthly releases, MIT),
installs from PyPI with its browser library inside the wheel (plotly.min.js, so the report needs
no CDN and nothing at run time), validates every figure attribute in Python, and draws
interactive charts (hover, zoom, download as PNG) in any browser from a file:// page.

Plotly reads a small HTML subset in every label (<b>, <br>, <a href>) and TeX between dollar
signs, so every string that can come from a page (system names, publishers, claims' sources) goes
through chart_text first.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

import plotly.graph_objects as go

from .queries import ReportData

STATUS_COLOURS = {"pledged": "#4c78a8", "delivered": "#54a24b", "rejected": "#e45756"}
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13, color="#222")


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    figure: dict | None      # None when the release has nothing to draw
    points: int              # bars and markers drawn
    empty_note: str = ""


def chart_text(text: object) -> str:
    """A label plotly shows as the text itself: its HTML subset escaped, and `$` (which would start
    TeX) written as an entity, which plotly turns back into the character."""
    return html.escape(str(text), quote=False).replace("$", "&#36;")


def billions(value: float | None) -> float | None:
    return None if value is None else round(value / 1e9, 3)


def nonzero(value):
    # A zero-length bar is a point in the DOM but nothing on screen: leave it out.
    return value if value else None


def count_points(traces: list) -> int:
    """Marks a reader sees: every marker of a line, every bar longer than zero."""
    def drawn(trace, value):
        return value is not None and (value != 0 or trace.type == "scatter")
    return sum(1 for trace in traces
               for value in (trace.x if getattr(trace, "orientation", None) == "h" else trace.y)
               if drawn(trace, value))


def layout(title: str, height: int, **extra) -> dict:
    return dict(title=dict(text=chart_text(title), x=0.01, xanchor="left", font=dict(size=16)),
                template="plotly_white", font=FONT, height=height,
                # the legend at the foot of the figure, whatever its height (a share of the plot
                # height would drift away from the axis on a chart of sixty donors)
                margin=dict(l=10, r=20, t=60, b=90),
                legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, traceorder="normal"),
                hoverlabel=dict(font_size=12), **extra)


def figure_dict(traces: list, figure_layout: dict) -> dict:
    # Through plotly's own encoder: dates, numpy values and validated attributes become plain JSON.
    return json.loads(go.Figure(data=traces, layout=figure_layout).to_json())


def horizontal_bars(name: str, title: str, traces: list, height: int, x_title: str,
                    barmode: str = "stack") -> Chart:
    """A chart of horizontal bars, one row a label (donor, category, claim), read from zero."""
    fig = layout(title, height, barmode=barmode, xaxis=dict(title=dict(text=x_title), rangemode="tozero"),
                 yaxis=dict(automargin=True))
    return Chart(name, title, figure_dict(traces, fig), count_points(traces))


def bar_height(bars: int) -> int:
    return max(320, 140 + 26 * bars)


def donor_chart_height(data: ReportData) -> int:
    # The two donor charts sit side by side: one height, from the longer list.
    return bar_height(max(len(data.donor_money), len(data.donor_status)))


def money_by_donor(data: ReportData) -> Chart:
    title = "Money pledged by donor (US dollars, billions)"
    rows = list(reversed(data.donor_money))  # largest on top of a horizontal bar chart
    if not rows:
        return Chart("money_by_donor", title, None, 0, "No donor has a pledge with a money value in this release.")
    names = [chart_text(r["donor_name"] or r["donor_code"]) for r in rows]
    traces = [
        go.Bar(name="packages", orientation="h", y=names, marker_color="#4c78a8",
               x=[nonzero(billions(r["packages_value_usd"])) for r in rows],
               hovertemplate="%{y}: %{x:.2f} bn USD in packages<extra></extra>"),
        go.Bar(name="items with a value of their own", orientation="h", y=names, marker_color="#f58518",
               x=[nonzero(billions(r["standalone_items_value_usd"])) for r in rows],
               hovertemplate="%{y}: %{x:.2f} bn USD in items<extra></extra>"),
    ]
    traces = [trace for trace in traces if any(trace.x)]  # no legend entry for money no donor has
    return horizontal_bars("money_by_donor", title, traces, donor_chart_height(data), "US dollars, billions")


def pledges_by_donor_status(data: ReportData) -> Chart:
    title = "Pledges by donor and current status"
    rows = list(reversed(data.donor_status))
    if not rows:
        return Chart("pledges_by_donor_status", title, None, 0, "No pledges in this release.")
    names = [chart_text(r["donor_name"] or r["donor_code"]) for r in rows]
    traces = [go.Bar(name=status, orientation="h", y=names, x=[nonzero(r[status]) for r in rows],
                     marker_color=colour, hovertemplate=f"%{{y}}: %{{x}} {status}<extra></extra>")
              for status, colour in STATUS_COLOURS.items()]
    return horizontal_bars("pledges_by_donor_status", title, traces, donor_chart_height(data), "pledges (deduplicated)")


def pledges_by_month(data: ReportData) -> Chart:
    title = "Pledges by month of announcement"
    rows = data.monthly
    if not rows:
        return Chart("pledges_by_month", title, None, 0, "No dated pledges in this release.")
    months = [r["month"].isoformat() for r in rows]
    traces = [go.Bar(name=f"{kind} pledges", x=months, y=[nonzero(r[column]) for r in rows], marker_color=colour,
                     hovertemplate=f"%{{x|%B %Y}}: %{{y}} {kind} pledges<extra></extra>")
              for kind, column, colour in (("item", "items", "#4c78a8"), ("package", "packages", "#72b7b2"),
                                           ("support", "support", "#bab0ac"))]
    traces.append(go.Scatter(name="package money (right axis)", x=months, yaxis="y2", mode="lines+markers",
                             y=[billions(r["packages_value_usd"]) for r in rows],
                             line=dict(color="#e45756", width=2), marker=dict(size=7),
                             hovertemplate="%{x|%B %Y}: %{y:.2f} bn USD in packages<extra></extra>"))
    fig = layout(title, max(420, bar_height(len(data.categories))),  # beside systems_by_category
                 barmode="stack",
                 xaxis=dict(title=dict(text="month"), type="date", tickformat="%b %Y"),
                 yaxis=dict(title=dict(text="pledges"), rangemode="tozero"),
                 yaxis2=dict(title=dict(text="packages, US dollars, billions"), overlaying="y", side="right",
                             rangemode="tozero", showgrid=False, tickmode="auto", nticks=6, tickformat=".1f"))
    return Chart("pledges_by_month", title, figure_dict(traces, fig), count_points(traces))


def systems_by_category(data: ReportData) -> Chart:
    title = "Weapon-system pledges by category"
    rows = list(reversed(data.categories))
    if not rows:
        return Chart("systems_by_category", title, None, 0, "No pledge names a system of the taxonomy.")
    labels = [chart_text((r["category"] or "uncategorized").replace("_", " ")) for r in rows]
    systems = [chart_text(shorten(r["system_names"], 90)) for r in rows]
    traces = [go.Bar(name=name, orientation="h", y=labels, x=[nonzero(r[column]) for r in rows],
                     marker_color=colour, customdata=systems,
                     hovertemplate="%{y}: %{x} pledges<br>%{customdata}<extra></extra>")
              for name, column, colour in (("systems and platforms", "platform_pledges", "#4c78a8"),
                                           ("munitions", "munition_pledges", "#eeca3b"))]
    return horizontal_bars("systems_by_category", title, traces, bar_height(len(rows)), "pledges naming a system")


def reported_vs_itemized(data: ReportData) -> Chart:
    title = "Reported totals beside what the warehouse itemizes (US dollars, billions)"
    rows = list(reversed(data.reported_totals))
    if not rows:
        return Chart("reported_vs_itemized", title, None, 0, "No reported totals in this release.")
    labels = [chart_text(label) for label in unique_labels([claim_label(r) for r in rows])]
    traces = [
        go.Bar(name="claimed", orientation="h", y=labels, x=[billions(r["claimed_value_usd"]) for r in rows],
               marker_color="#9d755d", hovertemplate="%{y}<br>claimed: %{x:.2f} bn USD<extra></extra>"),
        go.Bar(name="itemized in the warehouse", orientation="h", y=labels, marker_color="#4c78a8",
               x=[billions(r["itemized_value_usd"]) for r in rows],
               hovertemplate="%{y}<br>itemized: %{x:.2f} bn USD<extra></extra>"),
    ]
    return horizontal_bars("reported_vs_itemized", title, traces, max(360, 140 + 40 * len(rows)),
                           "US dollars, billions", barmode="group")


def claim_label(row: dict) -> str:
    qualifier = {"over": "over ", "up_to": "up to ", "about": "about "}.get(row["value_qualifier"] or "", "")
    when = row["as_of_date"].isoformat() if row["as_of_date"] else "undated"
    source = shorten(row["reported_by"] or "", 28)
    return (f"{row['scope_code']}: {qualifier}{row['claimed_value_usd'] / 1e9:,.1f} bn, {when}"
            + (f" ({source})" if source else ""))


def unique_labels(labels: list[str]) -> list[str]:
    # Plotly stacks bars that share a category label; the same claim repeated by two pages of one
    # publisher would otherwise become one bar of twice its size.
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} [{seen[label]}]")
    return unique


def shorten(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


CHART_BUILDERS = (pledges_by_donor_status, money_by_donor, pledges_by_month, systems_by_category,
                  reported_vs_itemized)


def build_charts(data: ReportData) -> list[Chart]:
    return [build(data) for build in CHART_BUILDERS]
