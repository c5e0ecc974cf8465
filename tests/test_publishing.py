"""The publication step on its own, on small build files made here: what a release holds, how it
is switched in, what it says changed, and what a killed publication leaves."""
import os
import stat

import duckdb
import pytest
import yaml

from orchestration.publishing import KEEP_RELEASES, MART_TABLES, RELEASE_TABLES, publish_warehouse
from orchestration.release_contents import ReleaseError
from tests.conftest import REPO


def _mart_contracts() -> dict[str, list[tuple[str, str]]]:
    """Every mart's columns, with their types and NOT NULL, as its dbt contract declares them."""
    spec = yaml.safe_load((REPO / "dbt_project" / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))

    def declared(column):
        not_null = any(c.get("type") == "not_null" for c in column.get("constraints", []))
        # a column the rows below leave out gets a value of its type ('0' reads as a number, false, a text)
        fill = "'2024-01-01'" if column["data_type"].startswith(("date", "timestamp")) else "'0'"
        return column["data_type"] + (f" not null default cast({fill} as {column['data_type']})" if not_null else "")

    return {model["name"]: [(column["name"], declared(column)) for column in model["columns"]]
            for model in spec["models"]}


def _small_build(path, pledges=(("p1", "USA", 10), ("p2", "DEU", 4))):
    """A build file shaped like the real one where publication reads it: every mart with its
    contract's columns, a raw page table that must not be published, descriptions on fct_pledges."""
    with duckdb.connect(str(path)) as conn:
        for table, columns in _mart_contracts().items():
            conn.execute(f"create or replace table {table} ("
                         + ", ".join(f'"{name}" {data_type}' for name, data_type in columns) + ")")
        conn.executemany("""insert into fct_pledges (pledge_id, kind, donor_code, donor_name, system_name, category,
                            aid_type, quantity, announced_date, status, evidence_count, url, sentence)
                            values (?, 'item', ?, ?, 'Howitzer', 'artillery', 'military', ?, date '2024-05-01',
                                    'pledged', 1, 'https://example.org/a', 'A sentence.')""",
                         [(p, d, d, q) for p, d, q in pledges])
        conn.execute("comment on table fct_pledges is 'One row per pledge.'")
        conn.execute("comment on column fct_pledges.quantity is 'How many.'")
        conn.execute("""insert into fct_pledge_evidence (pledge_id, mention_id, url, extractor_version)
                        select pledge_id, pledge_id || '-m', url, 'rules-9' from fct_pledges""")
        conn.execute("create schema if not exists raw")
        conn.execute("create or replace table raw.documents as select 'x'::blob as body")


def test_a_folder_with_a_quote_in_its_name_publishes(tmp_path):
    folder = tmp_path / "o'brien data"
    folder.mkdir()
    _small_build(folder / "build.duckdb")
    publication = publish_warehouse(folder / "build.duckdb", folder / "pledges.duckdb")
    assert publication.headline["pledges"] == 2
    assert sorted(p.stem for p in (folder / "exports").glob("*.parquet")) == sorted(MART_TABLES + RELEASE_TABLES)
    with duckdb.connect() as conn:
        donors = conn.execute("select donor_code from read_parquet(?) order by 1",
                              [str(folder / "exports" / "fct_pledges.parquet")]).fetchall()
    assert donors == [("DEU",), ("USA",)]


def test_the_release_holds_the_marts_with_their_descriptions_and_nothing_of_the_pages(tmp_path):
    _small_build(tmp_path / "build.duckdb")
    publish_warehouse(tmp_path / "build.duckdb", tmp_path / "pledges.duckdb")
    with duckdb.connect(str(tmp_path / "pledges.duckdb"), read_only=True) as conn:
        tables = {r[0] for r in conn.execute("select schema_name || '.' || table_name from duckdb_tables()").fetchall()}
        assert tables == {f"main.{t}" for t in MART_TABLES + RELEASE_TABLES}
        assert conn.execute("select comment from duckdb_tables() where table_name = 'fct_pledges'").fetchone() == (
            "One row per pledge.",)
        assert conn.execute("select comment from duckdb_columns() where table_name = 'fct_pledges' "
                            "and column_name = 'quantity'").fetchone() == ("How many.",)
        # the build's declared column types and NOT NULL survive the copy
        assert conn.execute("select data_type, is_nullable from duckdb_columns() where table_name = 'fct_pledges' "
                            "and column_name = 'pledge_id'").fetchone() == ("VARCHAR", False)
        info = conn.execute("select extractor_versions, rows_fct_pledges, ecb_rates_end is not null, currency_note "
                            "from release_info").fetchone()
    assert info[:3] == ("rules-9", 2, True)
    assert "converted at that day's rate" in info[3]


def test_release_changes_name_new_changed_and_gone_pledges(tmp_path):
    build = tmp_path / "build.duckdb"
    _small_build(build, pledges=(("p1", "USA", 10), ("p2", "DEU", 4), ("p3", "FRA", 6)))
    first = publish_warehouse(build, tmp_path / "pledges.duckdb")
    assert first.changes == {"new": 3, "changed": 0, "gone": 0} and first.previous_release_id is None
    _small_build(build, pledges=(("p1", "USA", 10), ("p2", "DEU", 5), ("p4", "POL", 2)))
    second = publish_warehouse(build, tmp_path / "pledges.duckdb")
    assert second.previous_release_id == first.release_id
    with duckdb.connect(str(tmp_path / "pledges.duckdb"), read_only=True) as conn:
        rows = conn.execute("select pledge_id, change, changed_fields, donor_code, quantity, previous_release_id "
                            "from release_changes order by pledge_id").fetchall()
    assert rows == [("p2", "changed", "quantity", "DEU", 5, first.release_id),
                    ("p3", "gone", None, "FRA", 6, first.release_id),
                    ("p4", "new", None, "POL", 2, first.release_id)]
    third = publish_warehouse(build, tmp_path / "pledges.duckdb")  # nothing changed
    assert third.changes == {"new": 0, "changed": 0, "gone": 0}


def test_a_new_release_is_switched_in_whole_and_an_open_one_stays_readable(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pledges.duckdb"
    _small_build(build, pledges=(("p1", "USA", 10),))
    first = publish_warehouse(build, published)
    reader = duckdb.connect(str(published), read_only=True)  # an analyst's session on the first release
    try:
        releases = [first]
        for n in range(KEEP_RELEASES + 1):
            _small_build(build, pledges=(("p1", "USA", 11 + n),))
            releases.append(publish_warehouse(build, published))
        assert reader.execute("select quantity from fct_pledges").fetchone() == (10,)
    finally:
        reader.close()
    last = releases[-1]
    # the file, the exports and the report all resolve into the same, newest release
    assert os.readlink(tmp_path / "current") == f"releases/{last.release_id}"
    for link, target in (("pledges.duckdb", "current/pledges.duckdb"), ("exports", "current/exports"),
                         ("report", "current/report")):
        assert os.readlink(tmp_path / link) == target
    assert published.resolve().parent == last.release_dir
    with duckdb.connect() as conn:
        assert conn.execute("select quantity from read_parquet(?)",
                            [str(tmp_path / "exports" / "fct_pledges.parquet")]).fetchone() == (11 + KEEP_RELEASES,)
    kept = sorted(p.name for p in (tmp_path / "releases").iterdir())
    assert kept == sorted(r.release_id for r in releases[-KEEP_RELEASES:])
    assert set(last.pruned) | set(releases[-2].pruned) >= {releases[0].release_id}


def test_a_warehouse_published_before_releases_becomes_links(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pledges.duckdb"
    _small_build(build)
    published.write_bytes(b"an old full copy of the build")
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "fct_pledges.parquet").write_bytes(b"old")
    publication = publish_warehouse(build, published)
    assert "could not be read" in publication.previous_error and publication.changes["new"] == 2
    assert published.is_symlink() and (tmp_path / "exports").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "build.duckdb", "current", "exports", "pledges.duckdb", "releases", "report"]


def test_the_release_is_readable_by_others_as_the_umask_allows(tmp_path):
    _small_build(tmp_path / "build.duckdb")
    previous = os.umask(0o022)
    try:
        publish_warehouse(tmp_path / "build.duckdb", tmp_path / "pledges.duckdb")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "pledges.duckdb").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "exports").stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "exports").iterdir()} == {0o644}


def test_what_a_killed_publication_left_behind_is_removed_by_the_next(tmp_path):
    _small_build(tmp_path / "build.duckdb")
    # killed mid-way: a half-written release, a link not yet renamed, exports moved aside; and what
    # the publication before releases existed could leave (a temporary copy and exports folder)
    (tmp_path / "releases" / ".incoming-20261201T020000Z").mkdir(parents=True)
    (tmp_path / "releases" / ".incoming-20261201T020000Z" / "pledges.duckdb").write_bytes(b"partial")
    os.symlink("releases/x", tmp_path / ".current.link-1a2b3c4d")
    (tmp_path / ".exports.old").mkdir()
    (tmp_path / ".pledges.duckdb.k2j4x9").write_bytes(b"x" * 1000)
    (tmp_path / ".pledges-exports-3hf8").mkdir()
    (tmp_path / ".other-exports-7c2q").mkdir()  # another warehouse's publication, maybe still running
    publication = publish_warehouse(tmp_path / "build.duckdb", tmp_path / "pledges.duckdb")
    assert publication.cleared == (".current.link-1a2b3c4d", ".exports.old", ".incoming-20261201T020000Z",
                                   ".pledges-exports-3hf8", ".pledges.duckdb.k2j4x9")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-exports-7c2q", "build.duckdb", "current",
                                                           "exports", "pledges.duckdb", "releases", "report"]
    assert [p.name for p in (tmp_path / "releases").iterdir()] == [publication.release_id]


def test_a_failed_publication_leaves_the_published_release_as_it_was(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pledges.duckdb"
    _small_build(build)
    first = publish_warehouse(build, published)
    with duckdb.connect(str(build)) as conn:
        conn.execute("drop table system_totals")  # a build missing a mart cannot be published
    with pytest.raises(ReleaseError, match="no table main.system_totals"):  # nothing switched, nothing left
        publish_warehouse(build, published)
    assert published.resolve().parent == first.release_dir
    assert [p.name for p in (tmp_path / "releases").iterdir()] == [first.release_id]
