"""Record ids from what a record says and where, on sentences written for these tests; and the
raw table that holds them, keyed by (mention_id, version_id), also in a file made before."""

import duckdb

from orchestration import raw_store
from orchestration.mention_ids import mention_ids, normalised_sentence
from tests.extraction.helpers import records_of

PAGE = "doc-0123456789ab"
TEXT = ("Norway will donate 12 Archer howitzers to Ukraine, the defence ministry said.\n\n"
        "Germany has pledged a further €500 million package for Ukraine.")



def test_the_sentence_is_compared_without_its_typography():
    assert (normalised_sentence("  Germany\u2019s \u201cIRIS-T\u201d\u00a0systems \u2013 four\n of them ")
            == normalised_sentence("GERMANY'S \"IRIS-T\" systems - four of them"))
    # figures are the records' fields, not the sentence's: masked, in digits or words
    assert normalised_sentence("four systems, 2,000 shells") == normalised_sentence("five systems, 3.500 shells") \
        == normalised_sentence("# systems, # shells")
    assert normalised_sentence("zwei Systeme") == normalised_sentence("drei Systeme")
    assert normalised_sentence("four systems") != normalised_sentence("four tanks")


def test_a_changed_figure_re_keys_its_own_record_not_the_others_of_its_sentence():
    text = "Canada will send four M777 howitzers and 20 armoured vehicles to Ukraine, the minister said."
    first, changed = records_of(text), records_of(text.replace("four M777", "six M777"))
    assert sorted(r.quantity for r in first) == [4, 20] and sorted(r.quantity for r in changed) == [6, 20]
    before = dict(zip((r.quantity for r in first), mention_ids(PAGE, first)))
    after = dict(zip((r.quantity for r in changed), mention_ids(PAGE, changed)))
    assert before[20] == after[20] and before[4] != after[6]


def test_text_added_above_keeps_every_id_and_a_changed_figure_re_keys_its_record_only():
    first = records_of(TEXT)
    moved = records_of("Updated on Tuesday with a new photo.\n\n" + TEXT.replace("\n\n", "\n\n\n\n"))
    assert [r.span_start for r in moved] != [r.span_start for r in first]  # the offsets did move
    assert len(first) == 2 and mention_ids(PAGE, moved) == mention_ids(PAGE, first)

    changed = records_of(TEXT.replace("12 Archer", "14 Archer"))
    before, after = mention_ids(PAGE, first), mention_ids(PAGE, changed)
    assert [r.quantity for r in changed if r.kind == "item"] == [14]
    assert (before[0] != after[0], before[1] == after[1]) == (True, True)


def test_the_same_claim_twice_keeps_two_ids_and_another_page_gives_others():
    [record] = [r for r in records_of(TEXT) if r.kind == "item"]
    ids = mention_ids(PAGE, [record, record])
    assert len(set(ids)) == 2 and ids[0] == mention_ids(PAGE, [record])[0]
    assert mention_ids("doc-another-page", [record]) != mention_ids(PAGE, [record])


def test_an_extractor_version_or_page_version_does_not_enter_the_id():
    records = records_of(TEXT)
    old = raw_store.mention_rows(PAGE, "version-a", "https://example.org/a", records, "rules-2")
    new = raw_store.mention_rows(PAGE, "version-b", "https://example.org/a", records, "rules-3")
    assert [r["mention_id"] for r in old] == [r["mention_id"] for r in new]
    assert {r["version_id"] for r in new} == {"version-b"}


def test_a_file_made_before_is_re_keyed_by_mention_and_version_with_its_rows_kept():
    conn = duckdb.connect()
    conn.execute("create schema raw")
    conn.execute("""create table raw.pledge_mentions (
        mention_id varchar primary key, version_id varchar not null, document_id varchar not null,
        url varchar not null, kind varchar not null, donor_code varchar not null, system_id varchar,
        system_name varchar, category varchar, is_munition boolean, quantity bigint,
        quantity_per varchar, quantity_qualifier varchar, value double, currency varchar,
        value_qualifier varchar, value_usd double, fx_rate_usd double, status varchar not null,
        channel varchar, announced_date date, since_date date, package_mention_id varchar,
        is_headline_total boolean not null, sentence varchar not null, span_start integer not null,
        span_end integer not null, confidence double not null, extractor_version varchar not null,
        extracted_at timestamp not null)""")
    conn.execute("""insert into raw.pledge_mentions (mention_id, version_id, document_id, url, kind, donor_code,
                    status, is_headline_total, sentence, span_start, span_end, confidence, extractor_version,
                    extracted_at)
                    values ('old-id', 'v1', 'd', 'u', 'item', 'NOR', 'pledged', false, 's', 0, 1, 0.7, 'rules-2',
                            timestamp '2026-11-30 02:00:00')""")
    raw_store.ensure_raw_schema(conn)
    raw_store.ensure_raw_schema(conn)  # once only
    assert conn.execute("""select constraint_column_names from duckdb_constraints()
                           where table_name = 'pledge_mentions' and constraint_type = 'PRIMARY KEY'""").fetchall() \
        == [(["mention_id", "version_id"],)]
    assert conn.execute("select mention_id, version_id, confidence from raw.pledge_mentions").fetchall() \
        == [("old-id", "v1", 0.7)]
    # the same record in a second version of the page is a row of its own
    conn.execute("""insert into raw.pledge_mentions by name select * replace ('v2' as version_id)
                    from raw.pledge_mentions""")
    assert conn.execute("select count(*) from raw.pledge_mentions").fetchone()[0] == 2
