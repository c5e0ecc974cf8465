"""The release in PostgreSQL: the finished marts of a published DuckDB release copied into a
PostgreSQL database for many analysts at once, switched in as one.

DuckDB's SQL stays in dbt; only the finished tables are copied. In one transaction:

    release_<id>   created, each table typed from DuckDB's column types, filled with COPY,
                   described (COMMENT ON), analysed, readable by the analysts' role
    pledges        the published release: renamed to release_<its id> (kept for comparison),
                   and release_<id> renamed to pledges
    commit         readers see the old release or the new one, never part of either

Why it holds for readers: the swap first takes ACCESS EXCLUSIVE locks on every table of the
published release, so a transaction that has read any of them finishes on the old release before
the swap can commit, and one that reads after the commit finds the new tables by name. The rows
are loaded with COPY FREEZE, so that a REPEATABLE READ transaction whose snapshot predates the swap
but which reads the release only after it sees the new rows, not empty tables.

Why readers are not held up: the swap waits for its locks at most LOCK_TIMEOUT (below the server's
deadlock_timeout, so that in a lock cycle with an analyst's query it is the swap that gives way,
never the query), and meanwhile new queries queue behind it. It then retries every few seconds
until `swap_patience` runs out, and fails with the old release intact (SwapBlocked).

Releases older than the last few are dropped afterwards, in their own transaction: a reader still
on an old one delays only that, until the next publication.
"""
from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
from psycopg2 import sql

from orchestration import settings
from orchestration.release_contents import MART_TABLES, RELEASE_TABLES

PUBLISHED_SCHEMA = "pledges"
KEEP_RELEASES = 3  # the published one and the two before it, as for the DuckDB releases
RELEASE_SCHEMA_MARK = "Pledges warehouse release "  # the schemas this module made, and may drop
LOCK_TIMEOUT_MS = 500  # at most half the server's deadlock_timeout (1 s by default)
SWAP_PATIENCE_SECONDS = 600
SWAP_RETRY_SECONDS = 2
COPY_CHUNK_BYTES = 1 << 20
_ADVISORY_LOCK = 0x706C6467  # one publisher at a time per database ("pldg")
APPLICATION_NAME = "pledges publisher"  # how the publisher shows in pg_stat_activity

# DuckDB's column types and the PostgreSQL types they are created as. The unsigned types widen to
# the next signed one; TIMESTAMP_NS keeps microseconds (PostgreSQL's precision).
SCALAR_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint", "SMALLINT": "smallint", "INTEGER": "integer", "BIGINT": "bigint",
    "UTINYINT": "smallint", "USMALLINT": "integer", "UINTEGER": "bigint", "UBIGINT": "numeric(20,0)",
    "HUGEINT": "numeric(39,0)", "UHUGEINT": "numeric(39,0)",
    "FLOAT": "real", "DOUBLE": "double precision",
    "VARCHAR": "text", "UUID": "uuid", "BLOB": "bytea", "JSON": "jsonb",
    "DATE": "date", "TIME": "time", "TIME WITH TIME ZONE": "timetz", "INTERVAL": "interval",
    "TIMESTAMP": "timestamp", "TIMESTAMP_S": "timestamp", "TIMESTAMP_MS": "timestamp", "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}
# Lists of these become PostgreSQL arrays (`'Tirana' = any(aliases)`); other lists, structs and
# maps become jsonb, since PostgreSQL arrays hold neither nesting of uneven length nor records.
_ARRAY_ELEMENTS = set(SCALAR_TYPES) - {"BLOB", "JSON"}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_LIST = re.compile(r"(.+)\[\d*\]")
_NESTED = ("STRUCT(", "MAP(", "UNION(")


class UnsupportedType(ValueError):
    """A column whose DuckDB type has no PostgreSQL counterpart here."""


class SwapBlocked(RuntimeError):
    """Readers held the published release for longer than the swap's patience."""


def postgres_type(duckdb_type: str) -> str:
    """The PostgreSQL type a DuckDB column is created as."""
    if duckdb_type in SCALAR_TYPES:
        return SCALAR_TYPES[duckdb_type]
    if decimal := _DECIMAL.fullmatch(duckdb_type):
        return f"numeric({decimal[1]},{decimal[2]})"
    if duckdb_type.startswith("ENUM("):
        return "text"
    if (listed := _LIST.fullmatch(duckdb_type)) and listed[1] in _ARRAY_ELEMENTS:
        return SCALAR_TYPES[listed[1]] + "[]"
    if listed or duckdb_type.startswith(_NESTED):
        return "jsonb"
    raise UnsupportedType(f"no PostgreSQL type for DuckDB's {duckdb_type}")


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    not_null: bool
    comment: str | None

    @property
    def pg_type(self) -> str:
        return postgres_type(self.duckdb_type)

    @property
    def quoted(self) -> bool:
        """Quoted in the CSV even when plain, so that a lone `\\.` is never read as the end of the data."""
        return self.pg_type in ("text", "jsonb") or self.pg_type.endswith("[]")

    def export_sql(self) -> str:
        """The DuckDB expression whose CSV text PostgreSQL reads as this column's value."""
        name = _duck_identifier(self.name)
        pg_type = self.pg_type
        if pg_type == "text":
            # PostgreSQL's text cannot hold U+0000, which a scraped page may; it is dropped.
            return f"replace(CAST({name} AS VARCHAR), chr(0), '')"
        if pg_type == "bytea":
            return f"'\\x' || hex({name})"
        if pg_type == "jsonb" and self.duckdb_type != "JSON":
            return f"to_json({name})"
        if pg_type.endswith("[]"):
            element = ("CASE WHEN x IS NULL THEN 'NULL' ELSE '\"' || replace(replace(replace(CAST(x AS VARCHAR), "
                       "chr(0), ''), '\\', '\\\\'), '\"', '\\\"') || '\"' END")
            return (f"CASE WHEN {name} IS NULL THEN NULL ELSE "
                    f"'{{' || array_to_string(list_transform({name}, lambda x: {element}), ',') || '}}' END")
        return name


@dataclass(frozen=True)
class Table:
    name: str
    comment: str | None
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    seconds: float


@dataclass(frozen=True)
class PostgresPublication:
    release_id: str
    server: str  # host:port/database, never the password
    schema: str
    previous_release_id: str | None
    previous_schema: str | None  # where the release published before is kept
    tables: tuple[TableCopy, ...] = ()
    seconds: float = 0.0
    swap_attempts: int = 0
    pruned: tuple[str, ...] = ()
    not_pruned: tuple[str, ...] = ()  # old releases a reader held; tried again next time
    unchanged: bool = False  # the release was already the published one

    @property
    def rows(self) -> dict[str, int]:
        return {t.name: t.rows for t in self.tables}

    @property
    def rows_per_second(self) -> float:
        copying = sum(t.seconds for t in self.tables)
        return sum(t.rows for t in self.tables) / copying if copying else 0.0


def release_schema(release_id: str) -> str:
    """Where a release is kept, lower-case so that analysts can type it unquoted."""
    return "release_" + re.sub(r"[^a-z0-9_]", "_", release_id.lower())


def publish_to_postgres(release: Path, dsn: str, *, reader_role: str = settings.DEFAULT_POSTGRES_READER,
                        tables: tuple[str, ...] = (*MART_TABLES, *RELEASE_TABLES), keep: int = KEEP_RELEASES,
                        swap_patience: float = SWAP_PATIENCE_SECONDS,
                        retry_pause: float = SWAP_RETRY_SECONDS) -> PostgresPublication:
    """Copy the tables of a release's DuckDB file into the PostgreSQL database at `dsn` and make them
    the published schema `pledges`, readable by `reader_role`, in one transaction."""
    started = time.monotonic()
    with duckdb.connect(str(release), read_only=True, config=settings.DUCKDB_CONFIG) as duck:
        duck.execute("set TimeZone = 'UTC'")
        release_id = duck.execute("select release_id from main.release_info").fetchone()[0]
        described = [_describe_table(duck, name) for name in tables]
        conn = psycopg2.connect(dsn, application_name=APPLICATION_NAME)
        try:
            server = f"{conn.info.host}:{conn.info.port}/{conn.info.dbname}"
            with conn.cursor() as cur:
                cur.execute("select pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
                previous_id = _published_release_id(cur)
                if previous_id == release_id:
                    conn.rollback()
                    return PostgresPublication(release_id, server, PUBLISHED_SCHEMA, previous_id, None,
                                               seconds=time.monotonic() - started, unchanged=True)
                cur.execute("select least(%s, setting::int / 2) from pg_settings where name = 'deadlock_timeout'",
                            [LOCK_TIMEOUT_MS])
                cur.execute(f"set local lock_timeout = {int(cur.fetchone()[0])}")
                _ensure_role(cur, reader_role)
                staged = release_schema(release_id)
                copies = _stage(duck, cur, staged, release_id, described, reader_role)
                kept = None
                if _schema_exists(cur, PUBLISHED_SCHEMA):
                    kept = release_schema(previous_id or f"before_{release_id}")
                attempts = _swap(cur, staged, kept, swap_patience, retry_pause)
            conn.commit()
            pruned, not_pruned = _prune(conn, keep)
        finally:
            conn.close()  # uncommitted, the server rolls the whole transaction back
    return PostgresPublication(release_id, server, PUBLISHED_SCHEMA, previous_id, kept, tuple(copies),
                               time.monotonic() - started, attempts, pruned, not_pruned)


def _describe_table(duck: duckdb.DuckDBPyConnection, name: str) -> Table:
    found = duck.execute("select comment from duckdb_tables() where schema_name = 'main' and table_name = $t",
                         {"t": name}).fetchall()
    if not found:
        raise LookupError(f"the release has no table main.{name}")
    columns = tuple(Column(column, data_type, not nullable, comment)
                    for column, data_type, nullable, comment in duck.execute(
                        "select column_name, data_type, is_nullable, comment from duckdb_columns() "
                        "where schema_name = 'main' and table_name = $t order by column_index", {"t": name}).fetchall())
    for column in columns:  # before anything is written
        try:
            postgres_type(column.duckdb_type)
        except UnsupportedType as exc:
            raise UnsupportedType(f"{name}.{column.name}: {exc}") from None
    return Table(name, found[0][0], columns)


def _stage(duck, cur, schema: str, release_id: str, tables: list[Table], reader_role: str) -> list[TableCopy]:
    """The release as a schema of its own, complete but not yet published."""
    target = sql.Identifier(schema)
    cur.execute(sql.SQL("drop schema if exists {} cascade").format(target))  # a kept copy of this same release
    cur.execute(sql.SQL("create schema {}").format(target))
    cur.execute(sql.SQL("comment on schema {} is %s").format(target), [RELEASE_SCHEMA_MARK + release_id])
    copies = []
    with tempfile.TemporaryDirectory(prefix="pledges-pg-") as folder:
        for table in tables:
            copies.append(_copy_table(duck, cur, schema, table, Path(folder) / f"{table.name}.csv"))
    cur.execute(sql.SQL("grant usage on schema {} to {}").format(target, sql.Identifier(reader_role)))
    cur.execute(sql.SQL("grant select on all tables in schema {} to {}").format(target, sql.Identifier(reader_role)))
    return copies


def _copy_table(duck, cur, schema: str, table: Table, csv_file: Path) -> TableCopy:
    """DuckDB's CSV writer formats the rows (NULL unquoted, an empty string quoted, doubles to the
    last digit) into a file, which COPY reads in chunks: memory stays bounded by the chunk, whatever
    the size of the table."""
    started = time.monotonic()
    qualified = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table.name))
    cur.execute(sql.SQL("create table {} ({})").format(qualified, sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(sql.Identifier(c.name), sql.SQL(c.pg_type),
                                  sql.SQL(" not null" if c.not_null else "")) for c in table.columns)))
    quoted = [_duck_identifier(c.name) for c in table.columns if c.quoted]
    force_quote = f", force_quote ({', '.join(quoted)})" if quoted else ""
    duck.execute(f"copy (select {', '.join(c.export_sql() + ' as ' + _duck_identifier(c.name) for c in table.columns)} "
                 f"from main.{_duck_identifier(table.name)}) to $path (format csv, header false{force_quote})",
                 {"path": str(csv_file)})
    columns = sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns)
    with csv_file.open("rb") as rows:
        # FREEZE: the table was created in this transaction, so no one can see it half-filled anyway
        cur.copy_expert(sql.SQL("copy {} ({}) from stdin with (format csv, freeze true)").format(qualified, columns),
                        rows, size=COPY_CHUNK_BYTES)
    copied = cur.rowcount
    csv_file.unlink()
    if table.comment:
        cur.execute(sql.SQL("comment on table {} is %s").format(qualified), [table.comment])
    for column in table.columns:
        if column.comment:
            cur.execute(sql.SQL("comment on column {}.{} is %s").format(qualified, sql.Identifier(column.name)),
                        [column.comment])
    cur.execute(sql.SQL("analyze {}").format(qualified))
    return TableCopy(table.name, copied, time.monotonic() - started)


def _swap(cur, staged: str, kept: str | None, patience: float, pause: float) -> int:
    """Rename the published schema away and the staged one in; returns the attempts it took."""
    deadline = time.monotonic() + patience
    attempt = 0
    while True:
        attempt += 1
        cur.execute("savepoint swap")
        try:
            if kept is not None:
                cur.execute("select c.oid::regclass::text from pg_class c where c.relnamespace = %s::regnamespace "
                            "and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1", [PUBLISHED_SCHEMA])
                published = [name for (name,) in cur.fetchall()]
                if published:
                    cur.execute(f"lock table {', '.join(published)} in access exclusive mode")
                cur.execute(sql.SQL("alter schema {} rename to {}").format(
                    sql.Identifier(PUBLISHED_SCHEMA), sql.Identifier(kept)))
            cur.execute(sql.SQL("alter schema {} rename to {}").format(
                sql.Identifier(staged), sql.Identifier(PUBLISHED_SCHEMA)))
            cur.execute("release savepoint swap")
            return attempt
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.DeadlockDetected):
            cur.execute("rollback to savepoint swap")
            if time.monotonic() + pause > deadline:
                raise SwapBlocked(f"readers held the published release for {patience:.0f} s ({attempt} attempts): "
                                  f"the release is not switched; the one published stays") from None
            time.sleep(pause)


def _prune(conn, keep: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Drop the releases this module kept beyond the last `keep` (the published one counts); a
    schema a reader still holds is left for the next publication."""
    pruned, held = [], []
    with conn.cursor() as cur:
        cur.execute("select nspname from pg_namespace where nspname like 'release\\_%%' "
                    "and obj_description(oid, 'pg_namespace') like %s order by nspname desc",
                    [RELEASE_SCHEMA_MARK.replace("%", "\\%") + "%"])
        old = [name for (name,) in cur.fetchall()][max(keep - 1, 0):]
        cur.execute(f"set lock_timeout = {LOCK_TIMEOUT_MS}")
        for schema in old:
            try:
                cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(schema)))
                conn.commit()
                pruned.append(schema)
            except (psycopg2.errors.LockNotAvailable, psycopg2.errors.DeadlockDetected):
                conn.rollback()
                held.append(schema)
    return tuple(pruned), tuple(held)


def _ensure_role(cur, role: str) -> None:
    cur.execute("select 1 from pg_roles where rolname = %s", [role])
    if not cur.fetchone():
        cur.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
        cur.execute(sql.SQL("comment on role {} is %s").format(sql.Identifier(role)),
                    ["Analysts of the pledges warehouse: read the published release (schema pledges) and "
                     "the kept ones (release_*), nothing else. Logins are made members of it."])


def _published_release_id(cur) -> str | None:
    cur.execute("select to_regclass(%s)", [f"{PUBLISHED_SCHEMA}.release_info"])
    if cur.fetchone()[0] is None:
        return None
    cur.execute(sql.SQL("select max(release_id) from {}.release_info").format(sql.Identifier(PUBLISHED_SCHEMA)))
    return cur.fetchone()[0]


def _schema_exists(cur, schema: str) -> bool:
    cur.execute("select 1 from pg_namespace where nspname = %s", [schema])
    return cur.fetchone() is not None


def _duck_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
