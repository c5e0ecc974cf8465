"""`python -m orchestration.report [RELEASE] [--out DIR]`: write the report of a release file by
hand (the publication step writes it on every release). RELEASE defaults to the published
warehouse, DIR to `report/` beside it."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration import settings
from orchestration.report import NotARelease, write_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.report", description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?", type=Path, help="the release file (default: the published warehouse)")
    parser.add_argument("--out", type=Path, help="folder for index.html and its scripts (default: report/ beside it)")
    args = parser.parse_args(argv)
    release = args.release or settings.published_path()
    try:
        summary = write_report(release, args.out or release.parent / "report")
    except (FileNotFoundError, NotARelease) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    drawn = ", ".join(f"{chart.name} {chart.points}" for chart in summary.charts)
    print(f"Wrote {summary.path} (marks per chart: {drawn})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
