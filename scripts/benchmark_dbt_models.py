"""int_pledges_deduplicated and reconciliation_reported_totals, old SQL against new, at scale.

Generates N synthetic records of int_current_mentions (donors and systems skewed like the real
ones, so a few partitions hold many records; statuses, package amounts near a few round figures,
dates over three years, a fifth undated, pages sharing texts) and N pledges of fct_pledges with
N/100 reported totals, in a DuckDB file; then runs each model's SQL in a fresh process and prints
its CPU seconds and peak memory (the process's maximum resident set, DuckDB included), and
whether old and new gave the same rows. The new SQL is what dbt compiles from the models; the
old is tests/sql/*_reference.sql.

    .venv/bin/python scripts/benchmark_dbt_models.py [--rows 3000 30000 300000] [--timeout 900]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO / "dbt_project"
REFERENCE = REPO / "tests" / "sql"
MODELS = {  # model -> the inputs its SQL reads
    "int_pledges_deduplicated": ["int_current_mentions"],
    "reconciliation_reported_totals": ["fct_reported_totals", "fct_pledges"],
}

DONORS = ("['USA','DEU','GBR','FRA','POL','CAN','NLD','NOR','DNK','SWE','ITA','ESP','EU','JPN','AUS',"
          "'FIN','EST','LVA','LTU','CZE','SVK','ROU','BEL','PRT','GRC','TUR','KOR','CHE','AUT','IRL']")


def generate(path: Path, n: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("select setseed(0.42)")
        conn.execute(f"""
            create or replace table int_current_mentions as
            with docs as (
                select d as doc_no,
                    -- some pages repeat another's text (one release under two addresses)
                    case when random() < 0.3 then (random() * {n} / 8)::int else d end as text_no,
                    case when random() < 0.2 then null else date '2022-02-24' + (random() * 1100)::int end as doc_date
                from range({max(n // 4, 1)}) as t(d)
            ),
            records as (
                select i, i // 4 as doc_no, random() as r1, random() as r2, random() as r3, random() as r4,
                       random() as r5
                from range({n}) as t(i)
            )
            select
                'm' || i as mention_id, 'v' || doc_no as version_id, 'd' || doc_no as document_id,
                'https://example.org/' || doc_no as url,
                case when r1 < 0.55 then 'item' when r1 < 0.85 then 'package' when r1 < 0.95 then 'support'
                     else 'aggregate' end as kind,
                {DONORS}[1 + floor(30 * r2 ^ 3)::int] as donor_code,  -- a few donors take most records
                case when r1 < 0.55 and r3 < 0.95 then 'sys' || floor(40 * r3 ^ 2)::int end as system_id,
                case when r1 < 0.55 then 'System ' || floor(40 * r3 ^ 2)::int end as system_name,
                case when r1 < 0.55 then 'artillery' when r1 < 0.85 then 'financial' end as category,
                false as is_munition,
                case when r1 < 0.55 and r4 < 0.7 then (1 + r4 * 100)::bigint end as quantity,
                null::varchar as quantity_per, null::varchar as quantity_qualifier,
                -- package amounts near a few round figures, within a few percent of them
                case when r1 >= 0.55 and r1 < 0.85 and r4 < 0.9
                     then [100e6, 200e6, 400e6, 1e9, 2.5e9, 50e6, 775e6][1 + floor(7 * r4 / 0.9)::int]
                          * (1 + (r5 - 0.5) * 0.03) end as value,
                case when r1 >= 0.55 and r1 < 0.85 then ['USD', 'USD', 'EUR', 'GBP'][1 + floor(4 * r5)::int] end
                    as currency,
                null::varchar as value_qualifier,
                round(value * 1.1, 2) as value_usd, 1.1 as fx_rate_usd, round(value * 0.9, 2) as value_eur,
                0.9 as fx_rate_eur, docs.doc_date as fx_date,
                case when r5 < 0.7 then 'pledged' when r5 < 0.9 then 'delivered' else 'rejected' end as status,
                null::varchar as channel,
                -- most records carry their page's date, some one of their own
                case when r4 < 0.1 then docs.doc_date + (r3 * 10)::int else docs.doc_date end as announced_date,
                null::date as since_date, null::varchar as package_mention_id,
                r1 >= 0.55 and r1 < 0.85 and r3 < 0.05 as is_headline_total,
                'sentence ' || i as sentence, null::varchar as rule_trace,
                ((i % 4) * 100)::integer as span_start, ((i % 4) * 100 + 80)::integer as span_end,
                0.9 as confidence, 'bench' as extractor_version, timestamp '2026-01-01' as extracted_at,
                'title' as title, null::varchar as publisher, docs.doc_date as published_date,
                case when r2 < 0.97 then md5('text' || docs.text_no) end as article_text_hash
            from records
            inner join docs using (doc_no)
        """)
        conn.execute(f"""
            create or replace table fct_pledges as
            select
                'p' || i as pledge_id,
                {DONORS}[1 + floor(30 * random() ^ 3)::int] as donor_code,
                case when random() < 0.5 then 'package' else 'item' end as kind,
                case when random() < 0.1 then 'rejected' else 'pledged' end as status,
                round(random() * 1e9, 2) as value,
                round(random() * 1.1e9, 2) as value_usd,
                random() < 0.05 as is_headline_total,
                case when random() < 0.3 then 'p' || (i // 2) end as package_pledge_id,
                case when random() < 0.1 then null else date '2022-02-24' + (random() * 1100)::int end
                    as first_announced_date
            from range({n}) as t(i)
        """)
        conn.execute(f"""
            create or replace table fct_reported_totals as
            select
                'c' || i as reported_total_id,
                case when random() < 0.1 then 'UDCG' else {DONORS}[1 + floor(30 * random() ^ 2)::int] end
                    as scope_code,
                'scope' as scope_name, 'example.org' as reported_by,
                round(random() * 1e11, 2) as value, 'USD' as currency, null::varchar as value_qualifier,
                round(random() * 1e11, 2) as value_usd,
                case when random() < 0.9 then date '2022-06-01' + (random() * 1000)::int end as as_of_date,
                case when random() < 0.5 then date '2022-02-24' + (random() * 300)::int end as since_date,
                'd' || i as document_id, 'https://example.org/' || i as url, 'sentence' as sentence
            from range({max(n // 100, 1)}) as t(i)
        """)


def compiled_models() -> dict[str, str]:
    """What dbt compiles from the two models, their refs read as tables of the benchmark file."""
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["PLEDGES_BUILD_DB"] = str(Path(scratch) / "compile.duckdb")
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        with contextlib.redirect_stdout(io.StringIO()):  # compile prints every compiled node
            result = dbtRunner().invoke(["--log-level", "none", "compile", "--project-dir", str(DBT_PROJECT),
                                         "--profiles-dir", str(DBT_PROJECT),
                                         "--target-path", str(Path(scratch) / "target"), "--select", *MODELS])
        if not result.success:
            raise SystemExit(f"dbt compile failed: {result.exception}")
        compiled = {node.node.name: node.node.compiled_code for node in result.result}
    return {name: re.sub(r'"[^"]+"\."(?:intermediate|main)"\."(\w+)"', r"\1", sql) for name, sql in compiled.items()}


RUNNER = """
import json, resource, sys, time, duckdb
path, table, sql_file = sys.argv[1:4]
with duckdb.connect(path) as conn:
    conn.execute("set enable_progress_bar = false")
    started = time.perf_counter()
    conn.execute(f"create or replace table {table} as " + open(sql_file).read())
    wall = time.perf_counter() - started
    rows = conn.execute(f"select count(*) from {table}").fetchone()[0]
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mb": usage.ru_maxrss / 1024,
                  "rows": rows}))
"""


def measure(path: Path, table: str, sql: str, timeout: int) -> dict | None:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(sql)
    try:
        done = subprocess.run([sys.executable, "-c", RUNNER, str(path), table, handle.name],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout)


def same_rows(path: Path, a: str, b: str) -> bool:
    with duckdb.connect(str(path), read_only=True) as conn:
        return all(conn.execute(f"select count(*) from (from {x} except all from {y})").fetchone()[0] == 0
                   for x, y in ((a, b), (b, a)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[3000, 30000, 300000])
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed to one run")
    args = parser.parse_args()
    new_sql = compiled_models()
    print(f"{'model':32} {'rows':>8} {'sql':4} {'cpu s':>8} {'wall s':>8} {'peak MB':>8}  same rows")
    for n in args.rows:
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "bench.duckdb"
            generate(path, n)
            for model in MODELS:
                old_sql = (REFERENCE / f"{model}_reference.sql").read_text(encoding="utf-8")
                runs = {version: measure(path, f"{model}_{version}", sql, args.timeout)
                        for version, sql in (("old", old_sql), ("new", new_sql[model]))}
                same = (same_rows(path, f"{model}_old", f"{model}_new") if all(runs.values()) else "-")
                for version, run in runs.items():
                    if run is None:
                        print(f"{model:32} {n:>8} {version:4} {'>' + str(args.timeout):>8}")
                    else:
                        print(f"{model:32} {n:>8} {version:4} {run['cpu']:>8.2f} {run['wall']:>8.2f} "
                              f"{run['peak_mb']:>8.0f}  {same if version == 'new' else ''}", flush=True)


if __name__ == "__main__":
    main()
