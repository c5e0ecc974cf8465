"""The publication step on its own, on a small build file made here."""
import duckdb

from orchestration.publishing import MART_TABLES, publish_warehouse


def _small_build(path):
    with duckdb.connect(str(path)) as conn:
        for table in MART_TABLES:
            conn.execute(f"create table {table} as select 1 as n")
        conn.execute("drop table fct_pledges; drop table fct_pledge_evidence; drop table fct_reported_totals")
        conn.execute("create table fct_pledges as select 'USA' as donor_code")
        conn.execute("create table fct_pledge_evidence as select 'https://example.org/a' as url")
        conn.execute("create table fct_reported_totals as select 1 as n")


def test_a_folder_with_a_quote_in_its_name_publishes(tmp_path):
    folder = tmp_path / "o'brien data"
    folder.mkdir()
    _small_build(folder / "build.duckdb")
    publication = publish_warehouse(folder / "build.duckdb", folder / "pledges.duckdb", folder / "exports")
    assert publication.headline["pledges"] == 1
    assert sorted(p.stem for p in (folder / "exports").glob("*.parquet")) == sorted(MART_TABLES)
    with duckdb.connect() as conn:
        [(donor,)] = conn.execute("select donor_code from read_parquet(?)",
                                  [str(folder / "exports" / "fct_pledges.parquet")]).fetchall()
    assert donor == "USA"


def test_the_release_is_readable_by_others_as_the_umask_allows(tmp_path):
    import os
    import stat

    _small_build(tmp_path / "build.duckdb")
    previous = os.umask(0o022)
    try:
        publish_warehouse(tmp_path / "build.duckdb", tmp_path / "pledges.duckdb", tmp_path / "exports")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "pledges.duckdb").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "exports").stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "exports").iterdir()} == {0o644}


def test_what_a_killed_publication_left_behind_is_removed_by_the_next(tmp_path):
    _small_build(tmp_path / "build.duckdb")
    # a publication killed mid-way: a full temporary copy, a half-written exports folder, an old one
    (tmp_path / ".pledges.duckdb.k2j4x9").write_bytes(b"x" * 1000)
    (tmp_path / ".pledges-exports-3hf8").mkdir()
    (tmp_path / ".pledges-exports-3hf8" / "fct_pledges.parquet").write_bytes(b"partial")
    (tmp_path / ".exports.old").mkdir()
    (tmp_path / ".other-exports-7c2q").mkdir()  # another warehouse's publication, maybe still running
    publication = publish_warehouse(tmp_path / "build.duckdb", tmp_path / "pledges.duckdb", tmp_path / "exports")
    assert publication.cleared == (".exports.old", ".pledges-exports-3hf8", ".pledges.duckdb.k2j4x9")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-exports-7c2q", "build.duckdb", "exports",
                                                           "pledges.duckdb"]
