"""`pledges`: run the nightly job, export records, query the published warehouse, explain a page,
review the data and write corrections.

Bad input gets one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
import time
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.downloads import FORMATS as EXPORT_FORMATS
from orchestration.downloads import spreadsheet_safe

EXPORT_QUERY = """
    -- One record per pledge and source document: the evidence bridge, with what each page said.
    select kind, donor_code, system_id, system_name, category, is_munition, quantity, quantity_per,
           quantity_qualifier, value, currency, value_qualifier, value_usd, status, channel,
           announced_date, null::date as since_date, is_headline_total, url, sentence, span_start
    from main.fct_pledge_evidence
    union all
    select 'aggregate', scope_code, null, null, 'financial', null, null, null, null, value, currency,
           value_qualifier, value_usd, 'pledged', null, as_of_date, since_date, false, url, sentence, null
    from main.fct_reported_totals
    -- every column, so that the same warehouse always exports the same bytes
    order by url, span_start nulls last, kind, donor_code, system_id, system_name, category, is_munition,
             quantity, quantity_per, quantity_qualifier, value, currency, value_qualifier, value_usd, status,
             channel, announced_date, since_date, is_headline_total, sentence
"""


class UserError(Exception):
    """Something the user can fix; printed as one line."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UserError as exc:
        print(f"pledges: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"pledges: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pledges: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pledges", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    refresh = sub.add_parser("refresh", help="run the nightly job once, in this process")
    refresh.add_argument("--source-dir", action="append", default=[], metavar="DIR",
                         help="read the pages in this folder instead of the registry (repeatable)")
    refresh.add_argument("--source-url", metavar="URL",
                         help="read this one address instead of the registry: a page, or with --kind a feed, "
                              "sitemap or listing page whose same-host links are followed")
    refresh.add_argument("--kind", choices=("url", "rss", "sitemap", "listing"), default="url",
                         help="what --source-url is (default %(default)s)")
    refresh.add_argument("--source", metavar="ID",
                         help="re-run one source of the registry only (its partition of raw/documents)")
    refresh.add_argument("--registry", metavar="FILE",
                         help="the source registry to read (default: $PLEDGES_REGISTRY or sources/registry.yaml)")
    refresh.add_argument("--warehouse", metavar="PATH", help="the published DuckDB file (default %(default)s)",
                         default=str(settings.published_path()))
    refresh.set_defaults(run=refresh_command)

    export = sub.add_parser("export", help="write a mart as csv, xlsx, parquet or jsonl, the workbook of every mart "
                                           "(xlsx), or one record per pledge and document (eval format)")
    export.add_argument("--warehouse", metavar="PATH", default=str(settings.published_path()))
    export.add_argument("--table", metavar="NAME",
                        help="a table of the warehouse, such as fct_pledges; without it, jsonl and csv write the "
                             "scorer's records and xlsx the workbook of every mart with its data dictionary")
    # Checked in export_command rather than by argparse, for one line instead of usage and error.
    export.add_argument("--format", metavar="|".join(EXPORT_FORMATS), default="jsonl",
                        help="default %(default)s")
    export.add_argument("--out", metavar="FILE", help="output file (default: standard output, for csv and jsonl)")
    export.set_defaults(run=export_command)

    explain = sub.add_parser("explain", help="show how the extractor reads one page and which rules made each record")
    explain.add_argument("page", metavar="PAGE", help="a saved page (.html, .htm or .txt) or an http(s) address")
    explain.add_argument("--language", choices=("en", "de", "fr"),
                         help="the page's language when it does not say")
    explain.set_defaults(run=explain_command)

    sql = sub.add_parser("sql", help="run read-only SQL on the published warehouse (no file access, no extensions)")
    sql.add_argument("--warehouse", metavar="PATH", default=str(settings.published_path()))
    sql.add_argument("query", nargs="?", help="the SQL; read from standard input when absent")
    sql.set_defaults(run=sql_command)

    _add_review_parser(sub)
    return parser


# --- refresh --------------------------------------------------------------------------------

def refresh_command(args: argparse.Namespace) -> int:
    from scrapers.fetching.sources import REGISTRY_ENV, SourceError, adhoc_web_source, load_registry

    for folder in args.source_dir:
        if not Path(folder).is_dir():
            raise UserError(f"source folder does not exist or is not a folder: {folder}")
    if os.environ.get(settings.CORRECTIONS_ENV) and not settings.corrections_dir().is_dir():
        # a mistyped folder would otherwise read as "no corrections" and publish without them
        raise UserError(f"{settings.CORRECTIONS_ENV} {settings.corrections_dir()} is not a folder")
    if args.kind != "url" and not args.source_url:
        raise UserError("--kind applies to --source-url")
    if args.source and (args.source_dir or args.source_url):
        raise UserError("--source names a registry source; it cannot be combined with --source-dir or --source-url")
    try:
        if args.source_url:
            adhoc_web_source(args.source_url, args.kind)
        if args.registry:
            os.environ[REGISTRY_ENV] = str(Path(args.registry).resolve())  # before the definitions load
        if not (args.source_dir or args.source_url):
            enabled = [s.id for s in load_registry().enabled()]
            if args.source and args.source not in enabled:
                raise UserError(f"no enabled source {args.source!r} in the registry "
                                f"(enabled: {', '.join(enabled) or 'none'})")
    except SourceError as exc:
        raise UserError(str(exc)) from None
    _check_dagster_home()
    published = settings.use_warehouse(args.warehouse)
    started = time.monotonic()
    print("preparing dbt manifest ...", file=sys.stderr)
    from orchestration.manifest import prepare_manifest
    prepare_manifest()
    from orchestration.defs.automation import ALERTED_BY_LAUNCHER_TAG

    result = run_nightly_job(source_dirs=[str(Path(f).resolve()) for f in args.source_dir],
                             source_url=args.source_url, source_kind=args.kind, source_id=args.source,
                             tags={ALERTED_BY_LAUNCHER_TAG: "true"})
    if not result.success:
        failure = _failure_message(result)
        from orchestration.defs.automation import write_alert

        try:
            write_alert(result.job_def.name, result.run_id, failure)
        except OSError as exc:
            failure += f" (and the alert could not be written: {exc})"
        raise UserError(f"refresh failed: {failure}; {what_was_left(result, published)}")
    print(f"refresh finished in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(warehouse_summary(published))
    return 0


def what_was_left(result, published: Path) -> str:
    """What a failed night leaves analysts. Only the PostgreSQL copy comes after the publication:
    when it alone failed, the night's release is out and the message must not say otherwise."""
    released = any(event.materialization.asset_key.path == ["published_warehouse"]
                   for event in result.get_asset_materialization_events())
    if released:
        return f"the night's release was published at {published}; its copy to PostgreSQL failed"
    return f"the published warehouse {published} was left as it was"


def _check_dagster_home() -> None:
    """Dagster's own message for a bad DAGSTER_HOME comes at the end of a 40-line traceback."""
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return
    if not os.path.isabs(home):
        raise UserError(f"DAGSTER_HOME must be an absolute path, not {home!r}")
    if not os.path.isdir(home):
        raise UserError(f"DAGSTER_HOME {home} does not exist or is not a folder: create it or unset DAGSTER_HOME")
    if not os.access(home, os.W_OK | os.X_OK):
        raise UserError(f"DAGSTER_HOME {home} is not writable: the run history cannot be kept there")


def run_nightly_job(source_dirs: list[str] | None = None, source_url: str | None = None, source_kind: str = "url",
                    source_id: str | None = None, raise_on_error: bool = False, tags: dict | None = None):
    """Execute the same job the schedule runs, in this process, with a persistent instance
    when DAGSTER_HOME is set (runs then show in the UI) and a temporary one otherwise. With
    folders or an address it reads those (the `adhoc` source partition) instead of the registry;
    with a source id, that source's partition only."""
    import dagster as dg

    from orchestration import dead_runs
    from orchestration.definitions import defs
    from orchestration.defs.ingest import ADHOC_PARTITION, nightly_partition_range

    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if source_dirs or source_url:
        run_config["ops"] = {"raw__documents": {"config": {
            "source_dirs": source_dirs or [], "source_url": source_url or "", "source_kind": source_kind}}}
        partition = {"partition_key": ADHOC_PARTITION}
    elif source_id:
        partition = {"partition_key": source_id}
    else:
        range_tags = nightly_partition_range()
        if not range_tags:
            raise UserError("the source registry has no enabled sources: enable one, or pass --source-dir/--source-url")
        partition = {"tags": range_tags}
    partition["tags"] = {**partition.get("tags", {}), **(tags or {}), **dead_runs.runner_tags()}
    job = defs.resolve_job_def("nightly_refresh")
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    with instance:
        # a refresh killed outright would otherwise keep the writers' pool slot, and this run wait for it
        dead_runs.fail_dead_runs(instance, warn=lambda line: print(f"pledges: {line}", file=sys.stderr))
        return job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=raise_on_error,
                                      **partition)


def _failure_message(result) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            return f"step {event.step_key}: {_root_cause(event.step_failure_data.error)}"
    return "the run did not succeed"


QUALIFIED_EXCEPTION = re.compile(r"^(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*: ")


def _root_cause(error) -> str:
    """The first line of the innermost error: Dagster wraps the real one ("IO Error: could not set
    lock on file ...") in "Error occurred while executing op ...:", which says nothing."""
    lines = []
    while error is not None:
        first = next((line for line in error.message.strip().splitlines() if line.strip()), "")
        if first:
            # "dagster._core.definitions.events.Failure: the build file ...": the class is Python's
            # wording, not the user's; the message after it is the cause
            lines.append(QUALIFIED_EXCEPTION.sub("", first.strip()))
        error = error.cause or (error.context if getattr(error, "context", None) else None)
    meaningful = [line for line in lines if not line.startswith("Error occurred while")]
    return (meaningful or lines or ["failed"])[-1 if meaningful else 0]


def warehouse_summary(published: Path) -> str:
    with _read_only(published) as conn:
        by_donor = _table(conn, """select donor_code as donor, count(*) as pledges,
                                          round(sum(value_usd) filter (where kind = 'package'
                                                and not is_headline_total) / 1e6, 1) as packages_musd
                                   from main.fct_pledges group by 1 order by 2 desc, 1 limit 15""")
        by_category = _table(conn, """select coalesce(category, kind) as category, count(*) as pledges
                                      from main.fct_pledges group by 1 order by 2 desc, 1""")
        totals = _table(conn, """select scope_code as scope, value_qualifier as qualifier,
                                        round(value / 1e9, 2) as value_bn, currency, since_date as since, as_of_date as as_of
                                 from main.fct_reported_totals order by value desc limit 15""")
        size = published.stat().st_size
    return (f"Published warehouse: {published} ({size / 1e6:.1f} MB)\n"
            f"Open it read-only: .venv/bin/duckdb -readonly {published}\n\n"
            f"Pledges by donor\n{by_donor}\n\nPledges by category\n{by_category}\n\n"
            f"Reported totals (never summed into pledges)\n{totals}")


# --- export and sql -------------------------------------------------------------------------

def _read_only(path: str | Path, config: dict | None = None):
    path = Path(path)
    if not path.exists():
        raise UserError(f"no warehouse at {path}: run `pledges refresh` first")
    return duckdb.connect(str(path), read_only=True, config=config or {})


def export_command(args: argparse.Namespace) -> int:
    if args.format not in EXPORT_FORMATS:
        raise UserError(f"unknown format {args.format!r} (one of: {', '.join(EXPORT_FORMATS)})")
    if args.table is None and args.format in ("jsonl", "csv"):
        return export_records_command(args)
    return export_download_command(args)


def export_download_command(args: argparse.Namespace) -> int:
    """A table in any format, or (xlsx without --table) the workbook of every mart."""
    from orchestration.downloads import (ExportError, checked_table, export_table, release_tables, table_rows,
                                         write_workbook)
    from orchestration.publishing import MART_TABLES, RELEASE_TABLES

    out = Path(args.out) if args.out else None
    if args.table is None and args.format == "parquet":
        raise UserError("--format parquet needs --table NAME (each mart's Parquet file is also in the warehouse's "
                        "exports/ folder)")
    if out is None and args.format in ("xlsx", "parquet"):
        raise UserError(f"--format {args.format} is a binary file, not for the terminal: give --out FILE")
    warehouse = Path(args.warehouse)
    if out is not None:
        _check_export_target(out, warehouse)
    with _read_only(warehouse) as conn:
        try:
            if args.table is None:
                # release_info and release_changes where the release has them (older ones do not)
                tables = [t for t in (*MART_TABLES, *RELEASE_TABLES) if t in release_tables(conn)]
                write_workbook(conn, out, tables)
                what = f"the workbook of {len(tables)} tables and their data dictionary"
            elif out is not None:
                table = checked_table(conn, args.table)
                export_table(conn, table, args.format, out)
                what = f"{table} ({table_rows(conn, table)} rows)"
            else:
                _export_to_stdout(conn, args.table, args.format)
                return 0
        except ExportError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            raise UserError(f"cannot write {out or 'the export'}: {exc.strerror or exc}") from None
    print(f"wrote {what} to {out}", file=sys.stderr)
    return 0


def _export_to_stdout(conn: duckdb.DuckDBPyConnection, table: str, fmt: str) -> None:
    """Through a temporary file, so that the terminal gets the same bytes as --out would."""
    import shutil
    import tempfile

    from orchestration.downloads import export_table

    with tempfile.TemporaryDirectory(prefix="pledges-export-") as folder:
        written = export_table(conn, table, fmt, Path(folder) / f"export.{fmt}")
        try:
            with open(written, encoding="utf-8", newline="") as source:
                shutil.copyfileobj(source, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error. Python would complain again when
            # it flushes standard output at exit, so that goes to /dev/null.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def export_records_command(args: argparse.Namespace) -> int:
    """One record per pledge and source document, in the scorer's format (jsonl or csv)."""
    from scrapers.record_format import eval_record

    with _read_only(args.warehouse) as conn:
        cursor = conn.execute(EXPORT_QUERY)
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, values)) for values in cursor.fetchall()]
    records = [eval_record({**row, "doc": row["url"]}) for row in rows]
    if args.out:
        _check_export_target(Path(args.out), Path(args.warehouse))
    if args.format == "csv":
        records = [{key: spreadsheet_safe(value) for key, value in record.items()} for record in records]
    try:
        out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    try:
        if args.format == "jsonl":
            for record in records:
                out.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(records[0]) if records else ["doc"])
            writer.writeheader()
            writer.writerows(records)
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"wrote {len(records)} records to {args.out}", file=sys.stderr)
    return 0


# --- explain --------------------------------------------------------------------------------

def explain_command(args: argparse.Namespace) -> int:
    from scrapers.extraction.explain import explain
    from scrapers.parsing.parse import ParseError, parse_document

    content, content_type, url = _page(args.page)
    try:
        article = parse_document(content, content_type, url, language=args.language)
    except ParseError as exc:
        raise UserError(f"cannot read {args.page}: {exc}") from None
    sys.stdout.write(explain(article))
    return 0


def _page(page: str) -> tuple[bytes, str, str]:
    """(content, content type, address) of a saved page or of an address fetched now."""
    if page.startswith(("http://", "https://")):
        from dataclasses import replace

        from scrapers.fetching.fetch import PAGE_TYPES
        from scrapers.fetching.http_client import HttpClient
        from scrapers.fetching.sources import SourceError, load_registry

        # The registry's policy (User-Agent, robots.txt, allowed networks, limits), for one person
        # waiting at a terminal: one retry, no pause between requests.
        try:
            policy = replace(load_registry().http, retries=1, backoff_seconds=0.5, min_interval_seconds=0,
                             timeout_seconds=15)
            client = HttpClient(policy)
        except (SourceError, ValueError) as exc:  # a broken registry, a bad PLEDGES_ALLOW_NETWORKS
            raise UserError(str(exc)) from None
        response = client.get(page, accept_types=PAGE_TYPES)
        if response.outcome != "ok":
            reason = response.error or (f"HTTP {response.status}" if response.status else response.outcome)
            raise UserError(f"cannot fetch {page}: {reason}")
        return response.content, response.content_type or "text/html", page
    if "://" in page:
        raise UserError(f"PAGE must be a file or an http(s) address, not {page!r}")
    path = Path(page)
    if not path.is_file():
        raise UserError(f"no such file: {page}")
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".txt"):
        raise UserError(f"not a saved page (.html, .htm or .txt): {page}")
    return path.read_bytes(), "text/plain" if suffix == ".txt" else "text/html", str(path)


# What an analyst's SQL may not do, set before the first statement and locked so that the
# session cannot switch it back: no file is read or written (COPY, EXPORT DATABASE, read_csv,
# ATTACH), no extension is installed or loaded. The release's tables are all it sees.
SANDBOX_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
                  "autoload_known_extensions": False, "lock_configuration": True}


def _check_export_target(out: Path, warehouse: Path) -> None:
    if out.exists() and out.resolve() == warehouse.resolve():
        raise UserError(f"--out {out} is the warehouse itself; choose another file")
    if not out.parent.is_dir():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise UserError(f"--out {out}: the folder {out.parent} is not writable")


def sql_command(args: argparse.Namespace) -> int:
    query = args.query if args.query is not None else sys.stdin.read()
    if not query.strip():
        raise UserError("no SQL given (pass it as an argument or on standard input)")
    with _read_only(args.warehouse, SANDBOX_CONFIG) as conn:
        try:
            print(_table(conn, query, limit=None))
        except duckdb.Error as exc:
            raise UserError(str(exc).splitlines()[0]) from None
    return 0


def _table(conn: duckdb.DuckDBPyConnection, query: str, limit: int | None = 50, params=None) -> str:
    cursor = conn.execute(query, params) if params is not None else conn.execute(query)
    if cursor.description is None:
        return "(no result)"
    headers = [d[0] for d in cursor.description]
    rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    buffer = io.StringIO()
    buffer.write("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip() + "\n")
    buffer.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        buffer.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
    buffer.write(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return buffer.getvalue()


# --- review ---------------------------------------------------------------------------------
# The logic is in orchestration/review.py and orchestration/corrections.py; here only the
# arguments and what is printed.

REVIEW_DECISIONS = ("reject", "confirm", "set", "add")


def _add_review_parser(sub) -> None:
    review = sub.add_parser(
        "review", help="list the review queue, or write a decision to the corrections file",
        description="Without a decision: list the review queue of the published warehouse. With one: "
                    "append it to the corrections file; it applies at the next `pledges refresh`.")
    review.add_argument("--warehouse", metavar="PATH", default=str(settings.published_path()))
    review.add_argument("--donor", metavar="CODE", help="only this donor's items (a donor code: USA, DEU, ...)")
    review.add_argument("--since", metavar="DATE",
                        help="only items whose first page was fetched on or after this day (YYYY-MM-DD)")
    review.set_defaults(run=review_list_command)
    decisions = review.add_subparsers(metavar="DECISION")

    # Options given after the decision; SUPPRESS keeps a value given before it (argparse would
    # otherwise put the sub-command's default over it).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--reason", default=argparse.SUPPRESS, help="why (required)")
    common.add_argument("--by", default=argparse.SUPPRESS, metavar="NAME",
                        help="who decides (default: git config user.name, else $USER)")
    common.add_argument("--warehouse", metavar="PATH", default=argparse.SUPPRESS)
    common.add_argument("--corrections-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="where the corrections files are (default: $PLEDGES_CORRECTIONS_DIR or corrections/)")
    for action, help_text in (("reject", "reject a record (mention_id) or a pledge (pledge_id)"),
                              ("confirm", "confirm a record or a pledge as extracted")):
        parser = decisions.add_parser(action, parents=[common], help=help_text)
        parser.add_argument("id", metavar="ID", help="a mention_id or pledge_id of the published warehouse")
        parser.set_defaults(run=review_decision_command, decision=action)
    setter = decisions.add_parser("set", parents=[common], help="change fields of a record or a pledge")
    setter.add_argument("id", metavar="ID", help="a mention_id or pledge_id of the published warehouse")
    setter.add_argument("assignments", nargs="*", metavar="FIELD=VALUE",
                        help="donor, system, quantity, value, currency, status or date")
    setter.set_defaults(run=review_decision_command, decision="set")
    adder = decisions.add_parser("add", parents=[common], help="add a pledge the extractor missed")
    for name, help_text in (("donor", "donor code (required)"), ("system", "system id or canonical name (an item)"),
                            ("kind", "item, package or support (default: from --system or --value)"),
                            ("quantity", "how many"), ("value", "money value"), ("currency", "ISO code of --value"),
                            ("status", "pledged (default), delivered or rejected"), ("date", "announcement day, YYYY-MM-DD"),
                            ("url", "address of the page that reports it (required)"),
                            ("sentence", "the sentence of that page (required)")):
        adder.add_argument(f"--{name}", help=help_text)
    adder.set_defaults(run=review_decision_command, decision="add", id=None)


def review_list_command(args: argparse.Namespace) -> int:
    from orchestration import corrections, review

    with _read_only(args.warehouse) as conn:
        if not review.has_review_queue(conn):
            raise UserError(f"{args.warehouse} has no review_queue: run `pledges refresh` with this version first")
        try:
            params = review.queue_filters(conn, args.donor, args.since)
        except corrections.CorrectionError as exc:
            raise UserError(str(exc)) from None
        listing = _table(conn, review.QUEUE_QUERY, limit=None, params=params)
    try:
        print(listing)
    except BrokenPipeError:  # `pledges review | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def review_decision_command(args: argparse.Namespace) -> int:
    """Check the decision completely, then append it; on any error nothing is written."""
    from datetime import datetime, timezone

    from orchestration import corrections, review

    try:
        reason = getattr(args, "reason", None)
        if not reason or not reason.strip():
            raise corrections.CorrectionError(f"{args.decision} needs --reason: say why")
        reference = review.reference()
        target = None
        if args.decision == "add":
            fields = corrections.added_pledge(
                {name: getattr(args, name) for name in
                 ("donor", "system", "kind", "quantity", "value", "currency", "status", "date", "url", "sentence")},
                reference)
        else:
            fields = corrections.parse_assignments(args.assignments, reference) if args.decision == "set" else {}
            with _read_only(args.warehouse) as conn:
                target = review.target_type(conn, args.id.strip())
            if target is None:
                raise corrections.CorrectionError(
                    f"unknown ID {args.id!r}: no record (mention_id) or pledge (pledge_id) with it in the published warehouse")
        row = corrections.decision_row(args.decision, args.id.strip() if args.id else None, fields, reason,
                                       review.reviewer(getattr(args, "by", None)), datetime.now(timezone.utc))
        path = review.corrections_file(getattr(args, "corrections_dir", None))
        corrections.append(path, row)
    except corrections.CorrectionError as exc:
        raise UserError(str(exc)) from None
    what = f"{target} {args.id}" if target else f"pledge added-{row['correction_id']}"
    print(f"{row['correction_id']}: {args.decision} {what} written to {path}; "
          "it applies at the next `pledges refresh`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
