"""The release in PostgreSQL, against a real server on 127.0.0.1 (tests/postgres_server.py): the
marts arrive whole and typed, readers see one release or the other during a publication, the
analysts' role only reads, and a publication that fails leaves the published release as it was."""
from __future__ import annotations

import math
import re
import shutil
import threading
import time
from collections import Counter
from datetime import timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
import pytest

from orchestration import settings
from orchestration.postgres_release import (APPLICATION_NAME, PUBLISHED_SCHEMA, SwapBlocked, postgres_type,
                                            publish_to_postgres, release_schema)
from orchestration.release_contents import MART_TABLES, RELEASE_TABLES

TABLES = (*MART_TABLES, *RELEASE_TABLES)
READER = settings.DEFAULT_POSTGRES_READER
COUNT_AND_RELEASE = (f"select (select count(*) from {PUBLISHED_SCHEMA}.fct_pledges), "
                     f"(select max(release_id) from {PUBLISHED_SCHEMA}.release_info)")


@pytest.fixture
def database(postgres, request) -> str:
    """A fresh database for each test (the analysts' role is the cluster's, shared by all)."""
    return postgres.create_database("t_" + re.sub(r"\W", "_", request.node.name.lower())[:55])


@pytest.fixture
def release(sample_warehouse) -> Path:
    """The sample night's release file (the published link resolved to its release folder)."""
    return sample_warehouse.resolve()


def second_release(release: Path, folder: Path, suffix: str = "b", keep_every: int = 2) -> Path:
    """Another release made from `release`: a later id, and only every `keep_every`-th pledge."""
    path = folder / f"release-{suffix}.duckdb"
    shutil.copy(release, path)
    with duckdb.connect(str(path)) as conn:
        conn.execute("update release_info set release_id = release_id || $s", {"s": "-" + suffix})
        conn.execute("delete from fct_pledges where hash(pledge_id) % $n <> 0", {"n": keep_every})
    return path


def duck(path: Path, query: str):
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(query).fetchall()


def pg(postgres, database: str, query: str, params=None):
    conn = psycopg2.connect(postgres.dsn(database))
    try:
        with conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()
    finally:
        conn.close()


def published(postgres, database: str) -> tuple[int, str]:
    return pg(postgres, database, COUNT_AND_RELEASE)[0]


def schemas(postgres, database: str) -> list[str]:
    return [name for (name,) in pg(postgres, database, "select nspname from pg_namespace where nspname not like "
                                   "'pg\\_%%' and nspname not in ('public', 'information_schema') order by 1")]


def spelled_by_postgres(postgres, database: str, types: list[str]) -> list[str]:
    """The types as PostgreSQL names them (timestamptz is "timestamp with time zone")."""
    columns = ", ".join(f"c{n} {t}" for n, t in enumerate(types))
    conn = psycopg2.connect(postgres.dsn(database))
    try:
        with conn.cursor() as cur:
            cur.execute(f"create temporary table spelled ({columns})")
            cur.execute("select format_type(atttypid, atttypmod) from pg_attribute "
                        "where attrelid = 'spelled'::regclass and attnum > 0 order by attnum")
            return [t for (t,) in cur.fetchall()]
    finally:
        conn.close()


def normalized(rows) -> Counter:
    """Rows as comparable values whichever side read them: instants in UTC, lists as tuples."""
    def value(v):
        if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) is not None:
            return v.astimezone(timezone.utc)
        return tuple(v) if isinstance(v, list) else v
    return Counter(tuple(value(v) for v in row) for row in rows)


def test_duckdb_types_map_to_postgres_types():
    assert {t: postgres_type(t) for t in ("VARCHAR", "BIGINT", "INTEGER", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP",
                                          "TIMESTAMP WITH TIME ZONE", "DECIMAL(18,3)", "VARCHAR[]", "BIGINT[]",
                                          "UBIGINT", "STRUCT(x INTEGER)", "MAP(VARCHAR, VARCHAR)", "VARCHAR[][]",
                                          "ENUM('a', 'b')", "BLOB", "UUID")} == {
        "VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision",
        "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz",
        "DECIMAL(18,3)": "numeric(18,3)", "VARCHAR[]": "text[]", "BIGINT[]": "bigint[]", "UBIGINT": "numeric(20,0)",
        "STRUCT(x INTEGER)": "jsonb", "MAP(VARCHAR, VARCHAR)": "jsonb", "VARCHAR[][]": "jsonb",
        "ENUM('a', 'b')": "text", "BLOB": "bytea", "UUID": "uuid"}


def test_every_table_arrives_with_its_rows_types_and_comments(postgres, database, release):
    publication = publish_to_postgres(release, postgres.url(database))
    [(release_id,)] = duck(release, "select release_id from release_info")
    assert (publication.release_id, publication.schema) == (release_id, "pledges")
    assert publication.previous_release_id is None
    assert schemas(postgres, database) == ["pledges"]
    counts = {t: duck(release, f"select count(*) from main.{t}")[0][0] for t in TABLES}
    assert publication.rows == counts and counts["fct_pledges"] > 10
    print(f"copied {sum(counts.values())} rows in {publication.seconds:.2f} s "
          f"({publication.rows_per_second:.0f} rows/s while copying)")

    for table in TABLES:
        # every row, value for value
        theirs = pg(postgres, database, f"select * from pledges.{table}")
        assert normalized(theirs) == normalized(duck(release, f"select * from main.{table}")), table
        assert len(theirs) == counts[table]
        # the columns: types as mapped, NOT NULL as in DuckDB, in the same order, with their comments
        columns = duck(release, f"select column_name, data_type, not is_nullable, comment from duckdb_columns() "
                                f"where table_name = '{table}' order by column_index")
        assert pg(postgres, database, """
            select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, col_description(a.attrelid, a.attnum)
            from pg_attribute a where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped
            order by a.attnum""", [f"pledges.{table}"]) == [
            (name, pg_type, not_null, comment) for (name, _, not_null, comment), pg_type
            in zip(columns, spelled_by_postgres(postgres, database, [postgres_type(c[1]) for c in columns]))]
        [(comment,)] = duck(release, f"select comment from duckdb_tables() where table_name = '{table}'")
        assert pg(postgres, database, "select obj_description(%s::regclass, 'pg_class')", [f"pledges.{table}"]) == [
            (comment,)], table
        assert pg(postgres, database, "select has_table_privilege(%s, %s, 'select')", [READER, f"pledges.{table}"]) == [
            (True,)]

    # the figures analysts quote, computed on each side
    per_donor = ("select donor_code, count(*), sum(value_usd), sum(quantity) from {}.fct_pledges "
                 "group by donor_code order by donor_code nulls first")
    ours, theirs = duck(release, per_donor.format("main")), pg(postgres, database, per_donor.format("pledges"))
    assert [r[:2] for r in theirs] == [r[:2] for r in ours] and [r[3] for r in theirs] == [r[3] for r in ours]
    # sums of doubles may differ in their last bit with the order of addition
    assert all(a == b or (None not in (a, b) and math.isclose(a, b, rel_tol=1e-12))
               for a, b in zip([r[2] for r in theirs], [r[2] for r in ours]))
    totals = ("select sum(value_usd), sum(value), sum(evidence_count), count(distinct pledge_id), count(value_eur) "
              "from {}.fct_pledges")
    [theirs], [ours] = pg(postgres, database, totals.format("pledges")), duck(release, totals.format("main"))
    assert theirs[2:] == ours[2:] and ours[3] == counts["fct_pledges"]
    assert theirs[:2] == pytest.approx(ours[:2], rel=1e-12) and ours[0] > 0
    # lists are arrays: an alias is found as in DuckDB
    [(alias,)] = duck(release, "select aliases[1] from dim_donors where len(aliases) > 0 order by donor_code limit 1")
    with duckdb.connect(str(release), read_only=True) as conn:
        ours = conn.execute("select count(*) from dim_donors where list_contains(aliases, $a)", {"a": alias}).fetchall()
    assert pg(postgres, database, "select count(*) from pledges.dim_donors where %s = any(aliases)", [alias]) == ours

def test_values_that_are_hard_to_copy_arrive_unchanged(postgres, database, tmp_path):
    path = tmp_path / "awkward.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table release_info (release_id varchar not null)")
        conn.execute("insert into release_info values ('20300101T000000Z')")
        conn.execute("""create table awkward (id integer not null, t varchar, d double, n decimal(18, 3), h hugeint,
                        u ubigint, b blob, l varchar[], il bigint[], s struct(x integer, y varchar),
                        m map(varchar, integer), ts timestamp, tz timestamptz, dt date, ok boolean)""")
        conn.execute(r"""insert into awkward values
            (1, '', 0.1::double + 0.2::double, 12345678901234.567, 170141183460469231731687303715884105727,
             18446744073709551615, '\x00\x01\xFF'::blob, ['a', null, 'NULL', 'b"c', 'd,e', '{f}', 'g\h', ''],
             [1, null, -9223372036854775808], {'x': 1, 'y': 'q"uote'}, map {'k': 1},
             '2026-12-02 04:28:20.123456', '2026-12-02 04:28:20.5+02', '2026-01-01', true),
            (2, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
            (3, '\.', '-0.0'::double, -0.001, -1, 0, ''::blob, [], [], {'x': null, 'y': null}, map {}, 
             '1900-01-01', '1970-01-01 00:00:00+00', '0001-01-01', false),
            (4, 'line one
line "two", a comma, a tab	and \N and \\ and ünïcödé ✓ and a NUL ' || chr(0) || '.', 'nan'::double, 0, 0, 0,
             null, ['only'], [42], null, null, null, null, 'infinity'::date, null),
            (5, '\.', 1e308, 1, 1, 1, null, [null], [null], null, null, null, null, '-infinity'::date, null)""")
        conn.execute("comment on table awkward is 'It''s awkward; \"quoted\".'")
        conn.execute("comment on column awkward.t is 'Text, with ''quotes''.'")
    publication = publish_to_postgres(path, postgres.url(database), tables=("awkward", "release_info"))
    assert publication.rows == {"awkward": 5, "release_info": 1}
    assert pg(postgres, database, "select format_type(atttypid, atttypmod) from pg_attribute "
                                  "where attrelid = 'pledges.awkward'::regclass and attnum > 0 order by attnum") == [
        ("integer",), ("text",), ("double precision",), ("numeric(18,3)",), ("numeric(39,0)",), ("numeric(20,0)",),
        ("bytea",), ("text[]",), ("bigint[]",), ("jsonb",), ("jsonb",), ("timestamp without time zone",),
        ("timestamp with time zone",), ("date",), ("boolean",)]
    rows = {r[0]: r for r in pg(postgres, database, "select id, t, d, n, h, u, encode(b, 'hex'), l, il, s, m, ts, tz, "
                                                    "dt::text, ok from pledges.awkward")}
    first, empty, third, fourth, fifth = (rows[i] for i in range(1, 6))
    assert first[1:7] == ("", 0.30000000000000004, Decimal("12345678901234.567"),
                          Decimal(170141183460469231731687303715884105727), Decimal(18446744073709551615), "0001ff")
    assert first[7] == ["a", None, "NULL", 'b"c', "d,e", "{f}", "g\\h", ""]
    assert first[8:11] == ([1, None, -9223372036854775808], {"x": 1, "y": 'q"uote'}, {"k": 1})
    assert str(first[11]) == "2026-12-02 04:28:20.123456"
    assert first[12].astimezone(timezone.utc).isoformat() == "2026-12-02T02:28:20.500000+00:00"
    assert first[13:] == ("2026-01-01", True)
    assert empty[1:] == (None,) * 14
    assert third[1] == "\\." and math.copysign(1, third[2]) == -1 and third[3] == Decimal("-0.001")
    assert third[6:11] == ("", [], [], {"x": None, "y": None}, {})
    assert third[12].astimezone(timezone.utc).isoformat() == "1970-01-01T00:00:00+00:00"
    assert third[13] == "0001-01-01"
    assert fourth[1] == 'line one\nline "two", a comma, a tab\tand \\N and \\\\ and ünïcödé ✓ and a NUL .'
    assert math.isnan(fourth[2]) and fourth[7:9] == (["only"], [42]) and fourth[13] == "infinity"
    assert fifth[1:3] == ("\\.", 1e308) and fifth[7:9] == ([None], [None]) and fifth[13] == "-infinity"
    assert pg(postgres, database, "select obj_description('pledges.awkward'::regclass, 'pg_class'), "
                                  "col_description('pledges.awkward'::regclass, 2)") == [
        ("It's awkward; \"quoted\".", "Text, with 'quotes'.")]


def _reader(postgres, database: str, isolation: str | None, seen: list, stop: threading.Event) -> None:
    """Poll the count of pledges and the release id, in one statement (isolation None) or as two
    statements of one transaction, until told to stop."""
    conn = psycopg2.connect(postgres.dsn(database))
    conn.autocommit = isolation is None
    try:
        with conn.cursor() as cur:
            while not stop.is_set():
                if isolation is None:
                    cur.execute(COUNT_AND_RELEASE)
                    seen.append(cur.fetchone())
                    continue
                cur.execute(f"begin isolation level {isolation}")
                cur.execute("select count(*) from pledges.fct_pledges")
                [count] = cur.fetchone()
                time.sleep(0.002)  # the swap may commit here, between the two statements
                cur.execute("select max(release_id) from pledges.release_info")
                seen.append((count, cur.fetchone()[0]))
                conn.commit()
    finally:
        conn.close()


def test_a_reader_sees_the_old_release_or_the_new_one_never_a_mix(postgres, database, release, tmp_path):
    publish_to_postgres(release, postgres.url(database))
    old = published(postgres, database)
    second = second_release(release, tmp_path)
    stop = threading.Event()
    seen = {isolation: [] for isolation in (None, "read committed", "repeatable read")}
    readers = [threading.Thread(target=_reader, args=(postgres, database, isolation, seen[isolation], stop))
               for isolation in seen]
    for reader in readers:
        reader.start()
    try:
        time.sleep(0.3)
        publication = publish_to_postgres(second, postgres.url(database), retry_pause=0.05)
        time.sleep(0.3)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    new = published(postgres, database)
    assert new[1] == old[1] + "-b" and new[0] < old[0]  # the second release really differs
    for isolation, observations in seen.items():
        assert set(observations) <= {old, new}, (isolation, set(observations) - {old, new})
        assert observations[0] == old and observations[-1] == new, isolation
        print(f"{isolation or 'one statement'}: {len(observations)} reads, "
              f"{Counter(observations)[old]} old then {Counter(observations)[new]} new")
    assert publication.previous_schema == release_schema(old[1])
    assert schemas(postgres, database) == sorted(["pledges", release_schema(old[1])])
    # the release published before is kept, whole, for comparison
    assert pg(postgres, database, f"select count(*) from {release_schema(old[1])}.fct_pledges") == [(old[0],)]


def test_a_transaction_whose_snapshot_predates_the_swap_reads_the_new_release_whole(postgres, database, release,
                                                                                     tmp_path):
    """A REPEATABLE READ transaction that took its snapshot before the swap but reads the release only
    after it finds the new tables by name: their rows must not be hidden from it (empty tables)."""
    publish_to_postgres(release, postgres.url(database))
    old = published(postgres, database)
    reader = psycopg2.connect(postgres.dsn(database))
    try:
        with reader.cursor() as cur:
            cur.execute("begin isolation level repeatable read")
            cur.execute("select count(*) from pg_class")  # the snapshot is taken here
            publish_to_postgres(second_release(release, tmp_path), postgres.url(database))
            cur.execute(COUNT_AND_RELEASE)
            seen = cur.fetchone()
        reader.commit()
    finally:
        reader.close()
    assert seen == published(postgres, database) and seen != old and seen[0] > 0


def test_a_reader_in_a_long_transaction_delays_the_swap_without_blocking_other_readers(postgres, database, release,
                                                                                      tmp_path):
    publish_to_postgres(release, postgres.url(database))
    old = published(postgres, database)
    long_reader = psycopg2.connect(postgres.dsn(database))
    outcome = {}

    def publish():
        try:
            outcome["publication"] = publish_to_postgres(second_release(release, tmp_path), postgres.url(database),
                                                         swap_patience=60, retry_pause=0.2)
        except Exception as exc:  # reported below
            outcome["error"] = exc

    try:
        with long_reader.cursor() as cur:
            cur.execute("select count(*) from pledges.fct_pledges")  # holds the old release from now on
            publisher = threading.Thread(target=publish)
            publisher.start()
            slowest = 0.0
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                started = time.monotonic()
                assert published(postgres, database) == old  # others keep reading, the old release
                slowest = max(slowest, time.monotonic() - started)
                time.sleep(0.05)
            assert publisher.is_alive() and not outcome
            cur.execute("select max(release_id) from pledges.release_info")
            assert cur.fetchone()[0] == old[1]  # the long transaction is still on one release
        long_reader.commit()
    finally:
        long_reader.close()
    publisher.join(timeout=30)
    assert "error" not in outcome, outcome
    assert outcome["publication"].swap_attempts > 1
    assert published(postgres, database) != old
    # a reader arriving while the swap waits queues behind it for at most its lock timeout
    assert slowest < 1.5, slowest
    print(f"swap attempts: {outcome['publication'].swap_attempts}; slowest other reader: {slowest:.2f} s")


def test_the_swap_gives_up_on_a_reader_that_holds_on_and_the_old_release_stays(postgres, database, release, tmp_path):
    publish_to_postgres(release, postgres.url(database))
    old, before = published(postgres, database), schemas(postgres, database)
    long_reader = psycopg2.connect(postgres.dsn(database))
    try:
        with long_reader.cursor() as cur:
            cur.execute("select count(*) from pledges.release_info")
            with pytest.raises(SwapBlocked, match="the one published stays"):
                publish_to_postgres(second_release(release, tmp_path), postgres.url(database),
                                    swap_patience=1.5, retry_pause=0.3)
            cur.execute(COUNT_AND_RELEASE)
            assert cur.fetchone() == old
    finally:
        long_reader.close()
    assert published(postgres, database) == old and schemas(postgres, database) == before


def _break_release(release: Path, folder: Path) -> Path:
    """A release PostgreSQL cannot hold: a date past PostgreSQL's last (5874897 AD), which DuckDB's
    dates reach, in the third table copied."""
    broken = second_release(release, folder, "broken", keep_every=1)
    with duckdb.connect(str(broken)) as conn:
        conn.execute("update fct_pledges set announced_date = date '5880000-01-01' "
                     "where pledge_id = (select max(pledge_id) from fct_pledges)")
    return broken


def test_a_publication_that_fails_midway_leaves_the_published_release(postgres, database, release, tmp_path):
    publish_to_postgres(release, postgres.url(database))
    old, before = published(postgres, database), schemas(postgres, database)
    roles = pg(postgres, database, "select rolname from pg_roles order by 1")

    # a table that cannot be copied
    with pytest.raises(psycopg2.errors.DatetimeFieldOverflow, match="date out of range"):
        publish_to_postgres(_break_release(release, tmp_path), postgres.url(database))
    assert published(postgres, database) == old and schemas(postgres, database) == before

    # the server ends the publisher's session after every table is copied, while the swap waits
    holder = psycopg2.connect(postgres.dsn(database))
    outcome = {}

    def publish():
        try:
            publish_to_postgres(second_release(release, tmp_path), postgres.url(database), swap_patience=60,
                                retry_pause=0.1)
        except Exception as exc:
            outcome["error"] = exc

    try:
        with holder.cursor() as cur:
            cur.execute("select count(*) from pledges.fct_pledges")
            publisher = threading.Thread(target=publish)
            publisher.start()
            waiting = []
            deadline = time.monotonic() + 30
            while not waiting and time.monotonic() < deadline:
                waiting = pg(postgres, database, """
                    select a.pid from pg_stat_activity a join pg_locks l on l.pid = a.pid
                    where a.application_name = %s and not l.granted""", [APPLICATION_NAME])
                time.sleep(0.02)
            assert waiting, "the publisher never waited for the swap"
            assert pg(postgres, database, "select pg_terminate_backend(%s)", [waiting[0][0]]) == [(True,)]
            publisher.join(timeout=30)
    finally:
        holder.close()
    assert isinstance(outcome.get("error"), psycopg2.OperationalError), outcome
    assert published(postgres, database) == old and schemas(postgres, database) == before

    # a server that does not take the publisher's password
    bad = postgres.dsn(database, password="not-the-password")
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        publish_to_postgres(second_release(release, tmp_path), bad)
    assert published(postgres, database) == old and schemas(postgres, database) == before
    assert pg(postgres, database, "select rolname from pg_roles order by 1") == roles


# The SQL the README gives an administrator for an analyst's login.
ANALYST_LOGIN = "create role {name} login password %s in role pledges_reader"


def test_the_readers_role_reads_every_release_kept_and_cannot_write(postgres, database, release, tmp_path):
    publish_to_postgres(release, postgres.url(database))
    old = published(postgres, database)
    publish_to_postgres(second_release(release, tmp_path), postgres.url(database))
    admin = psycopg2.connect(postgres.dsn(database))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("drop role if exists analyst_ann")
        cur.execute(ANALYST_LOGIN.format(name="analyst_ann"), ["ann-password"])
    admin.close()
    analyst = psycopg2.connect(postgres.dsn(database, user="analyst_ann", password="ann-password"))
    analyst.autocommit = True
    kept = release_schema(old[1])
    refused = {
        "insert": "insert into pledges.release_info (release_id, built_at) values ('x', now())",
        "update": "update pledges.fct_pledges set quantity = 0",
        "delete": "delete from pledges.fct_pledges",
        "truncate": "truncate pledges.fct_pledges",
        "update a kept release": f"update {kept}.fct_pledges set quantity = 0",
        "create a table in the release": "create table pledges.mine (x int)",
        "create a table in public": "create table public.mine (x int)",
        "create a schema": "create schema mine",
        "drop a table": "drop table pledges.fct_pledges",
        "drop the schema": "drop schema pledges cascade",
        "alter a table": "alter table pledges.fct_pledges add column x int",
        "comment": "comment on table pledges.fct_pledges is 'mine'",
        "copy into": "copy pledges.release_info (release_id) from stdin",
    }
    try:
        with analyst.cursor() as cur:
            cur.execute(COUNT_AND_RELEASE)
            assert cur.fetchone() == published(postgres, database)
            cur.execute(f"select count(*), max(release_id) from {kept}.release_info")
            assert cur.fetchone() == (1, old[1])
            for what, statement in refused.items():
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cur.execute(statement)
                    pytest.fail(f"the analyst could {what}")
            # a grant on what one does not own grants nothing (PostgreSQL warns rather than refuses)
            cur.execute("grant select on pledges.fct_pledges to public")
            cur.execute("select has_table_privilege('public', 'pledges.fct_pledges', 'select')")
            assert cur.fetchone() == (False,)
    finally:
        analyst.close()
    assert published(postgres, database)[0] > 0


# The SQL the README gives an administrator for the publisher's own login.
PUBLISHER_SETUP = ("create role {name} login password %s", "grant create on database {database} to {name}",
                   "create role {reader} nologin")


def test_a_publisher_with_only_create_on_the_database_publishes(postgres, database, release, tmp_path):
    admin = psycopg2.connect(postgres.dsn(database))
    admin.autocommit = True
    with admin.cursor() as cur:
        for statement in PUBLISHER_SETUP:  # a new cluster each session: the roles are not there yet
            cur.execute(statement.format(name="publisher_pat", database=database, reader="publisher_readers"),
                        ["pat-password"] if "%s" in statement else None)
    admin.close()
    as_publisher = postgres.url(database).replace(f"{postgres.user}:{postgres.password}", "publisher_pat:pat-password")
    first = publish_to_postgres(release, as_publisher, reader_role="publisher_readers")
    second = publish_to_postgres(second_release(release, tmp_path), as_publisher, reader_role="publisher_readers")
    assert second.previous_release_id == first.release_id
    assert pg(postgres, database, "select nspowner::regrole::text from pg_namespace where nspname = 'pledges'") == [
        ("publisher_pat",)]
    assert pg(postgres, database, "select has_table_privilege('publisher_readers', 'pledges.fct_pledges', 'select'), "
                                  "has_table_privilege('publisher_readers', 'pledges.fct_pledges', 'insert')") == [
        (True, False)]
    # without CREATEROLE it cannot make a missing readers' role: it says so, and publishes nothing
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied to create role"):
        publish_to_postgres(second_release(release, tmp_path, "c"), as_publisher, reader_role="no_such_readers")
    assert published(postgres, database)[1] == second.release_id


def test_old_releases_beyond_the_last_few_are_dropped_unless_a_reader_holds_one(postgres, database, release, tmp_path):
    url = postgres.url(database)
    first = release_schema(publish_to_postgres(release, url).release_id)
    second = release_schema(publish_to_postgres(second_release(release, tmp_path, "b"), url).release_id)
    publish_to_postgres(second_release(release, tmp_path, "c"), url)
    assert schemas(postgres, database) == ["pledges", first, second]
    assert publish_to_postgres(second_release(release, tmp_path, "c"), url).unchanged  # already published
    reader = psycopg2.connect(postgres.dsn(database))
    try:
        with reader.cursor() as cur:
            cur.execute(f"select count(*) from {first}.fct_pledges")  # an analyst still on the oldest
            held = publish_to_postgres(second_release(release, tmp_path, "d"), url)
            assert (held.pruned, held.not_pruned) == ((), (first,))
    finally:
        reader.close()
    latest = publish_to_postgres(second_release(release, tmp_path, "e"), url)
    assert sorted(latest.pruned) == [first, second]
    assert schemas(postgres, database) == ["pledges", release_schema(held.previous_release_id),
                                           release_schema(latest.previous_release_id)]

def test_the_nightly_job_copies_the_release_to_postgres(postgres, sample_run, sample_sources, tmp_path, monkeypatch):
    """A night whose copy fails is red while the DuckDB release it published stays; the next night
    copies that release, although nothing new was published."""
    from orchestration.cli import run_nightly_job, what_was_left

    # without PLEDGES_POSTGRES_URL (the sample night) the step runs and copies nothing
    result, _ = sample_run
    assert result.asset_materializations_for_node("postgres_release") == []
    assert any(e.is_step_success and e.step_key == "postgres_release" for e in result.all_events)

    database = postgres.create_database("nightly")
    for name in (settings.WAREHOUSE_ENV, settings.BUILD_ENV, settings.CORRECTIONS_ENV):
        monkeypatch.setenv(name, "")  # put back as they were after the test
    settings.use_warehouse(tmp_path / "warehouse" / "pledges.duckdb")
    monkeypatch.setenv(settings.POSTGRES_READER_ENV, "nightly_readers")

    monkeypatch.setenv(settings.POSTGRES_URL_ENV, postgres.url("nightly").replace(postgres.password, "wrong-x9q"))
    failed = run_nightly_job(source_dirs=[str(sample_sources)])
    assert not failed.success
    failures = [e for e in failed.all_events if e.is_step_failure]
    assert [e.step_key for e in failures] == ["postgres_release"]
    error = failures[0].step_failure_data.error.to_string()
    assert "password authentication failed" in error and "wrong-x9q" not in error  # nor in the run's logs
    assert not any("wrong-x9q" in (e.message or "") for e in failed.all_events)
    assert failed.asset_materializations_for_node("published_warehouse")
    assert "release was published" in what_was_left(failed, settings.published_path())  # the CLI's line
    release = settings.published_path().resolve()
    [(release_id, pledges)] = duck(release, "select release_id, rows_fct_pledges from release_info")
    assert schemas(postgres, database) == []

    monkeypatch.setenv(settings.POSTGRES_URL_ENV, postgres.url("nightly"))
    night = run_nightly_job(source_dirs=[str(sample_sources)])
    assert night.success
    [kept] = night.asset_materializations_for_node("published_warehouse")
    assert kept.metadata["republished"].value is False
    [materialization] = night.asset_materializations_for_node("postgres_release")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert (metadata["schema"], metadata["release_id"]) == ("pledges", release_id)
    assert metadata["rows_fct_pledges"] == pledges
    assert metadata["server"] == f"127.0.0.1:{postgres.port}/{database}" and metadata["republished"] is True
    assert published(postgres, database) == (pledges, release_id)
    assert pg(postgres, database, "select has_table_privilege('nightly_readers', 'pledges.fct_pledges', 'select')") == [
        (True,)]
