"""The static HTML report of a release: `write_report(release_db, out_dir)`.

queries.py reads the marts (what goes into each chart and table), charts.py turns rows into
plotly figures, render.py fills template.html; this module opens the file read-only and writes
index.html with plotly.min.js and report.js beside it, so the folder opens offline anywhere.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import plotly

from .charts import build_charts
from .queries import NotARelease, read_report_data
from .render import render_page

PLOTLY_SCRIPT = "plotly.min.js"
REPORT_SCRIPT = "report.js"


@dataclass(frozen=True)
class ChartSummary:
    name: str
    title: str
    points: int  # bars and markers drawn; 0 when the release had nothing for the chart


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    charts: tuple[ChartSummary, ...]
    table_rows: dict[str, int]
    release_info_recorded: bool
    release_changes_recorded: bool

    def as_metadata(self) -> dict:
        """Plain values for Dagster metadata or a log line."""
        return {"report": str(self.path),
                "report_charts": {chart.name: chart.points for chart in self.charts},
                "report_tables": dict(self.table_rows),
                "report_release_info": self.release_info_recorded,
                "report_release_changes": self.release_changes_recorded}


def write_report(release_db: Path, out_dir: Path) -> ReportSummary:
    """Write out_dir/index.html (and its two scripts) from the release file, opened read-only.
    Raises FileNotFoundError when the file is missing, NotARelease when it holds no marts."""
    release_db, out_dir = Path(release_db), Path(out_dir)
    if not release_db.is_file():
        raise FileNotFoundError(f"no release file to report on: {release_db}")
    try:
        with duckdb.connect(str(release_db), read_only=True) as conn:
            data = read_report_data(conn)
    except duckdb.Error as error:  # not a DuckDB file, or one of another storage version
        raise NotARelease(f"cannot read {release_db}: {str(error).splitlines()[0]}") from error
    except NotARelease as error:
        raise NotARelease(f"{release_db}: {error}") from None
    charts = build_charts(data)
    page = render_page(data, charts, plotly_script=PLOTLY_SCRIPT, report_script=REPORT_SCRIPT,
                       generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    out_dir.mkdir(parents=True, exist_ok=True)
    # Scripts first, the page last, each swapped in whole: a reader never meets a page whose
    # scripts are missing or half written.
    replace_file(out_dir / PLOTLY_SCRIPT, plotly_js_path().read_bytes())
    replace_file(out_dir / REPORT_SCRIPT, resources.files(__package__).joinpath(REPORT_SCRIPT).read_bytes())
    index = out_dir / "index.html"
    replace_file(index, page.encode("utf-8"))
    return ReportSummary(
        path=index,
        charts=tuple(ChartSummary(chart.name, chart.title, chart.points) for chart in charts),
        table_rows={"reported_totals": len(data.reported_totals), "latest_pledges": len(data.latest_pledges),
                    "release_changes": len(data.changes or [])},
        release_info_recorded=data.release_info is not None,
        release_changes_recorded=data.changes is not None)


def plotly_js_path() -> Path:
    # The wheel carries plotly.js itself (package_data/plotly.min.js): no CDN, no download.
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def replace_file(target: Path, content: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["write_report", "ReportSummary", "ChartSummary", "NotARelease"]
