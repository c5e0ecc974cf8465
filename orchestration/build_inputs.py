"""Whether the dbt build has anything new to read since the release was published.

A night on which no page changed must not rebuild and re-test every table: the inputs of the
build (what the raw tables hold, and the dbt project's own files) are summed up in a fingerprint,
kept beside the build file when a release is published. When the next night's fingerprint is the
same and the release is still the one published then, the build and the publication are skipped
and the release stays as it is.

The reviewers' corrections (corrections/*.csv, or PLEDGES_CORRECTIONS_DIR) are inputs too: a
changed correction must reach the marts on the next night even when no page changed.

The fingerprint leaves out what a re-read of an unchanged page moves (last_seen_at, validators):
it changes nothing the build makes, except which version of a page is current, which is counted.

It also leaves out raw.released_pledge_ids, the pledge ids of the last release, which the build
reads to carry ids forward (orchestration/pledge_ids.py). That table is written after each
publication from the build just published, and a build on unchanged raw tables gives back exactly
the ids it holds (every pledge finds only its own id), so counting it would only make the night
after every release rebuild for nothing.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.raw_store import CURRENT_VERSIONS

# Order-independent digests of each raw table (bit_xor of row hashes), so that the cost is one
# scan and no sort, whatever the size.
RAW_DIGESTS = {
    "documents": """select count(*), bit_xor(hash(document_id, version_id, source_id, source_kind, url, fetched_at,
                                                 fetch_status, http_status, error, content_type, size_bytes, parser,
                                                 language_hint))
                    from raw.documents""",
    "current_versions": f"select count(*), bit_xor(hash(document_id, version_id)) from ({CURRENT_VERSIONS})",
    "articles": "select count(*), bit_xor(hash(document_id, version_id, parser_version, parsed_at)) from raw.articles",
    "pledge_mentions": "select count(*), bit_xor(hash(mention_id, version_id, extracted_at)) from raw.pledge_mentions",
}
DBT_INPUT_DIRS = ("models", "macros", "seeds", "tests")
DBT_INPUT_FILES = ("dbt_project.yml", "profiles.yml")


def fingerprint(conn: duckdb.DuckDBPyConnection) -> str:
    digest = hashlib.sha256()
    for name, query in RAW_DIGESTS.items():
        digest.update(f"{name}:{conn.execute(query).fetchone()}\n".encode())
    project = settings.DBT_PROJECT_DIR
    files = [project / f for f in DBT_INPUT_FILES]
    files += sorted(p for d in DBT_INPUT_DIRS for p in (project / d).rglob("*") if p.is_file())
    for path in files:
        digest.update(f"{path.relative_to(project)}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    # the same files dbt reads (stg_corrections: the folder's *.csv), by name and content
    for path in correction_files():
        digest.update(f"corrections/{path.name}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def correction_files() -> list[Path]:
    folder = settings.corrections_dir()
    return sorted(p for p in folder.glob("*.csv") if p.is_file()) if folder.is_dir() else []


def _record_path() -> Path:
    build = settings.build_path()
    return build.with_name(build.name + ".published-inputs.json")


def _release_stamp(published: Path) -> dict:
    stat = published.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def unchanged_since_release(current: str) -> bool:
    """True when the release on disk was built from inputs with this fingerprint."""
    published = settings.published_path()
    try:
        record = json.loads(_record_path().read_text(encoding="utf-8"))
        return record["inputs"] == current and record["release"] == _release_stamp(published)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def remember_release(current: str) -> None:
    """Note which inputs the release just published was built from."""
    path = _record_path()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"inputs": current, "release": _release_stamp(settings.published_path())}),
                   encoding="utf-8")
    tmp.replace(path)


def forget_release() -> None:
    """A build file restored from the raw archive has no marts: the next build must run even
    though the raw tables are what the release was built from."""
    _record_path().unlink(missing_ok=True)
