"""The reviewers' corrections files (corrections/*.csv, format in corrections/README.md): their
columns, how a decision is checked before it is written, and how it is appended.

dbt reads the same files (models/staging/stg_corrections.sql) and decides which lines apply to a
build; this module is the writing side, used by `pledges review`. Everything here is pure except
`append`, which writes a file in one atomic step.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

COLUMNS = ("correction_id", "action", "target_id", "donor", "system", "kind", "quantity", "value", "currency",
           "status", "date", "url", "sentence", "reason", "reviewer", "decided_at")
ACTIONS = ("reject", "confirm", "set", "add")
SET_FIELDS = ("donor", "system", "quantity", "value", "currency", "status", "date")
KINDS = ("item", "package", "support")
STATUSES = ("pledged", "delivered", "rejected")
DEFAULT_FILE = "corrections.csv"


class CorrectionError(ValueError):
    """A decision that cannot be written as it is; the message is one line for the reviewer."""


@dataclass(frozen=True)
class Reference:
    """What names may be used: donor codes, and systems by id or canonical name (any case)."""
    donors: frozenset[str]
    systems: dict[str, str] = field(default_factory=dict)  # lower-cased id or name -> system_id


def read_reference(dbt_seeds: Path) -> Reference:
    """The donors and systems of the seeds dbt builds dim_donors and dim_systems from."""
    with open(dbt_seeds / "donors.csv", encoding="utf-8", newline="") as f:
        donors = frozenset(row["donor_code"] for row in csv.DictReader(f))
    systems: dict[str, str] = {}
    with open(dbt_seeds / "systems.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            systems[row["canonical_name"].lower()] = row["system_id"]
            systems[row["system_id"].lower()] = row["system_id"]
    return Reference(donors, systems)


# --- one field's value, as the reviewer typed it -> as the file stores it -------------------

def normalise(name: str, raw: str, reference: Reference, today: date | None = None) -> str:
    """The value of a field as written to the file, or CorrectionError naming what is wrong."""
    text = raw.strip()
    if not text:
        raise CorrectionError(f"{name} is empty")
    if name == "donor":
        code = text.upper()
        if code not in reference.donors:
            raise CorrectionError(f"unknown donor {text!r}: give a donor code of dim_donors (USA, DEU, EU, ...)")
        return code
    if name == "system":
        system_id = reference.systems.get(text.lower())
        if system_id is None:
            raise CorrectionError(f"unknown system {text!r}: give a system_id or canonical name of dim_systems")
        return system_id
    if name == "quantity":
        digits = text.replace(",", "").replace("_", "")
        if not digits.isdigit():
            raise CorrectionError(f"quantity must be a whole number, 0 or more (got {raw!r})")
        return str(int(digits))
    if name == "value":
        try:
            amount = Decimal(text.replace(",", "").replace("_", ""))
        except InvalidOperation:
            raise CorrectionError(f"value must be a number such as 2500000000 or 2.5e9 (got {raw!r})") from None
        if not amount.is_finite() or amount < 0:
            raise CorrectionError(f"value must be a number, 0 or more (got {raw!r})")
        return format(amount.normalize(), "f")
    if name == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", text):
            raise CorrectionError(f"currency must be a three-letter ISO 4217 code such as USD or EUR (got {raw!r})")
        return text.upper()
    if name == "status":
        if text.lower() not in STATUSES:
            raise CorrectionError(f"status must be one of {', '.join(STATUSES)} (got {raw!r})")
        return text.lower()
    if name == "kind":
        if text.lower() not in KINDS:
            raise CorrectionError(f"kind must be one of {', '.join(KINDS)} (got {raw!r})")
        return text.lower()
    if name == "date":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise CorrectionError(f"date must be YYYY-MM-DD (got {raw!r})") from None
        if day > (today or datetime.now(timezone.utc).date()):
            raise CorrectionError(f"date {text} is in the future")
        return day.isoformat()
    if name == "url":
        if not re.match(r"(https?|file)://\S+$", text):  # file: the pages of a --source-dir
            raise CorrectionError(f"url must be an http(s) or file address (got {raw!r})")
        return text
    if name == "sentence":
        return " ".join(text.split())
    raise CorrectionError(f"unknown field {name!r}")


def parse_assignments(assignments: list[str], reference: Reference) -> dict[str, str]:
    """`quantity=18 status=delivered` -> {"quantity": "18", "status": "delivered"}."""
    if not assignments:
        raise CorrectionError(f"set needs at least one FIELD=VALUE ({', '.join(SET_FIELDS)})")
    fields: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        name = name.strip().lower()
        if not sep:
            raise CorrectionError(f"{assignment!r} is not FIELD=VALUE (for example quantity=18)")
        if name not in SET_FIELDS:
            raise CorrectionError(f"unknown field {name!r}: set takes {', '.join(SET_FIELDS)}")
        if name in fields:
            raise CorrectionError(f"{name} is given twice")
        fields[name] = normalise(name, value, reference)
    return fields


def added_pledge(given: dict[str, str | None], reference: Reference) -> dict[str, str]:
    """The fields of a pledge to add, checked: donor, url and sentence always; an item needs a
    system, a package a value and currency. The kind follows from them when not given."""
    fields = {name: normalise(name, value, reference) for name, value in given.items() if value is not None}
    missing = [name for name in ("donor", "url", "sentence") if name not in fields]
    if missing:
        raise CorrectionError(f"add needs --{' --'.join(missing)}")
    kind = fields.get("kind") or ("item" if "system" in fields else "package" if "value" in fields else "support")
    if kind == "item" and "system" not in fields:
        raise CorrectionError("an item needs --system")
    if kind == "package" and not ("value" in fields and "currency" in fields):
        raise CorrectionError("a package needs --value and --currency")
    if "value" in fields and "currency" not in fields:
        raise CorrectionError("--value needs --currency")
    return {**fields, "kind": kind}


def decision_row(action: str, target_id: str | None, fields: dict[str, str], reason: str, reviewer: str,
                 decided_at: datetime) -> dict[str, str]:
    """One line of a corrections file. Its id is a hash of what it says, so two reviewers never
    write the same id by chance."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown action {action!r}")
    if not reason or not reason.strip():
        raise CorrectionError("a decision needs --reason: say why")
    if not reviewer or not reviewer.strip():
        raise CorrectionError("no reviewer: pass --by NAME (or set git config user.name)")
    row = {column: "" for column in COLUMNS}
    row.update(fields)
    row.update(action=action, target_id=target_id or "", reason=" ".join(reason.split()),
               reviewer=reviewer.strip(), decided_at=decided_at.strftime("%Y-%m-%dT%H:%M:%S"))
    digest = hashlib.sha256("\x1f".join(row[c] for c in COLUMNS).encode()).hexdigest()
    row["correction_id"] = "c-" + digest[:12]
    return row


# --- the files ----------------------------------------------------------------------------

def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.csv") if p.is_file()) if folder.is_dir() else []


def read_rows(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in files(folder):
        with open(path, encoding="utf-8", newline="") as f:
            rows.extend({**row, "source_file": path.name} for row in csv.DictReader(f))
    return rows


def check_header(path: Path, header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    if unknown or "correction_id" not in header or "action" not in header:
        raise CorrectionError(f"{path} does not have the columns of a corrections file "
                              f"({', '.join(COLUMNS)}); unknown: {', '.join(unknown) or 'none'}")


def append(path: Path, row: dict[str, str]) -> None:
    """Add one line at the end of a corrections file, in one atomic step: the new file is written
    beside the old one and renamed over it, so an interruption leaves the old file or the new one,
    never half a line. The lines already there are copied byte for byte, in the file's own order
    of columns."""
    old = path.read_bytes() if path.exists() else b""
    if old:
        header = next(csv.reader(io.StringIO(old.decode("utf-8").splitlines()[0])))
        check_header(path, header)
        if row["correction_id"] in old.decode("utf-8"):
            raise CorrectionError(f"{row['correction_id']} is already in {path}")
    else:
        header = list(COLUMNS)
    lost = [column for column, value in row.items() if value and column not in header]
    if lost:
        raise CorrectionError(f"{path} has no column {', '.join(lost)}: add it to the file's header first")
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\n")
    if not old:
        writer.writerow(header)
    writer.writerow([row.get(column, "") for column in header])
    if old and not old.endswith(b"\n"):
        old += b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # not *.csv: dbt never reads it
    try:
        with open(tmp, "wb") as f:
            f.write(old + line.getvalue().encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
