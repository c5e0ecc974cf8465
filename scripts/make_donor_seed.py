"""Write dbt_project/seeds/donors.csv: every ISO 3166-1 country from pycountry plus the donor groups.

    python scripts/make_donor_seed.py            # (re)write the seed
    python scripts/make_donor_seed.py --check    # exit 1 if the committed seed differs

The output is deterministic (sorted by donor_code, "\\n" line endings), so a change in the file
means a change in pycountry's data or in GROUPS below, never noise.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pycountry

SEED_PATH = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "donors.csv"
COLUMNS = ("donor_code", "donor_name", "donor_type", "alpha_2")

# Donors that are not countries: the group codes of the record vocabulary (shared/eval/README.md).
GROUPS = {
    "EU": "European Union",
    "G7": "G7",
    "NATO": "NATO",
    "UDCG": "Ukraine Defense Contact Group",
}


def donor_rows() -> list[dict[str, str]]:
    """One row per ISO 3166-1 country (alpha-3 code, common name where pycountry has one) and group."""
    rows = [
        {
            "donor_code": country.alpha_3,
            "donor_name": getattr(country, "common_name", None) or country.name,
            "donor_type": "country",
            "alpha_2": country.alpha_2,
        }
        for country in pycountry.countries
    ]
    rows += [{"donor_code": code, "donor_name": name, "donor_type": "group", "alpha_2": ""}
             for code, name in GROUPS.items()]
    codes = [row["donor_code"] for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"donor codes defined twice: {duplicates}")
    return sorted(rows, key=lambda row: row["donor_code"])


def render_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the seed file differs from what would be written")
    parser.add_argument("--output", type=Path, default=SEED_PATH, help=f"default: {SEED_PATH}")
    args = parser.parse_args(argv)

    expected = render_csv(donor_rows())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != expected:
            state = "missing" if current is None else "out of date"
            print(f"{args.output} is {state}; run: python scripts/make_donor_seed.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(expected, encoding="utf-8")
    print(f"wrote {args.output} ({expected.count(chr(10)) - 1} donors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
