"""`pledges review`: the review queue of the published warehouse, and the reviewer's decisions
written to the corrections files (orchestration/corrections.py writes them; dbt applies them at
the next refresh). The command line part is in cli.py; this module holds the logic, and reads the
published warehouse only, read-only."""
from __future__ import annotations

import getpass
import os
import subprocess
from datetime import date
from pathlib import Path

import duckdb

from orchestration import corrections, settings

# What the terminal shows of each queue item; the sentence is cut to keep one line per item.
QUEUE_QUERY = """
    select case queue_reason when 'low_confidence' then 'low confidence' else 'new pledge' end as why,
           target_id as id, donor_code as donor, kind,
           coalesce(system_name, case kind when 'package' then 'package' else 'support' end) as aid,
           quantity as qty, value, currency as cur, status, announced_date as date,
           round(confidence, 2) as conf,
           case when length(sentence) > 90 then left(sentence, 89) || '…' else sentence end as sentence,
           url
    from main.review_queue
    where ($donor is null or donor_code = $donor)
      and ($since is null or first_seen_at >= $since)
    order by queue_reason, announced_date nulls last, donor_code, target_id
"""


def queue_filters(conn: duckdb.DuckDBPyConnection, donor: str | None, since: str | None) -> dict:
    """The listing's parameters, checked: a donor code the warehouse knows, a date."""
    params: dict = {"donor": None, "since": None}
    if donor:
        code = donor.strip().upper()
        if not conn.execute("select 1 from main.dim_donors where donor_code = ?", [code]).fetchone():
            raise corrections.CorrectionError(f"unknown donor {donor!r}: give a donor code of dim_donors (USA, DEU, ...)")
        params["donor"] = code
    if since:
        try:
            params["since"] = date.fromisoformat(since.strip())
        except ValueError:
            raise corrections.CorrectionError(f"--since must be a date, YYYY-MM-DD (got {since!r})") from None
    return params


def has_review_queue(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(conn.execute("select 1 from duckdb_tables() where schema_name = 'main' "
                             "and table_name = 'review_queue'").fetchone())


def target_type(conn: duckdb.DuckDBPyConnection, target_id: str) -> str | None:
    """'record' for a mention_id of the release, 'pledge' for a pledge_id, None for neither."""
    if conn.execute("select 1 from main.fct_pledge_evidence where mention_id = ?", [target_id]).fetchone():
        return "record"
    if conn.execute("select 1 from main.fct_pledges where pledge_id = ?", [target_id]).fetchone():
        return "pledge"
    return None


def reviewer(explicit: str | None) -> str:
    """Who decides: --by, else git's user.name in this repository, else the login name."""
    if explicit and explicit.strip():
        return explicit.strip()
    try:
        name = subprocess.run(["git", "config", "user.name"], cwd=settings.REPO_ROOT, capture_output=True,
                              text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (OSError, KeyError):
        raise corrections.CorrectionError("no reviewer: pass --by NAME") from None


def reference() -> corrections.Reference:
    return corrections.read_reference(settings.DBT_PROJECT_DIR / "seeds")


def corrections_file(folder: str | Path | None) -> Path:
    return Path(folder).expanduser().resolve() / corrections.DEFAULT_FILE if folder \
        else settings.corrections_dir() / corrections.DEFAULT_FILE
