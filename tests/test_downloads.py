"""Downloads analysts open, through `pledges export` and the publication's write_downloads: the
workbook read back with openpyxl as Excel would read it, CSV, JSON lines and Parquet read back
with DuckDB, and hostile text that must stay text."""
import csv
import datetime as dt
import os
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from orchestration.cli import main
from orchestration.downloads import (CUT_NOTE, DICTIONARY_SHEET, EXCEL_MAX_CELL_CHARS, WORKBOOK_NAME, ExportError,
                                     workbook_written_aside, write_downloads, write_workbook)
from orchestration.publishing import MART_TABLES, RELEASE_TABLES

HOSTILE = ['=HYPERLINK("http://example.invalid/x","Click for the list")', "+44 20 7946 0000 called the ministry",
           "-15% of the shells arrived late", "@everyone: the package doubled", "\tindented by a tab"]
PLAIN = "Norway sends 8 Leopard 2 tanks, a minister said."
LONG = "A very long statement. " * 2000  # 46,000 characters: more than an Excel cell holds


def rows_of(path: Path, sql: str, params=None):
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def column(sheet, name: str) -> list:
    """The cells of one column under its header, first row of data to last."""
    header = [cell.value for cell in sheet[1]]
    index = header.index(name)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


@pytest.fixture()
def notes_warehouse(tmp_path) -> Path:
    """A small warehouse of our own: every kind of value a mart may hold, hostile text included."""
    path = tmp_path / "notes.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("""create table notes (id integer, note varchar, amount decimal(18, 2), big hugeint,
                        seen_at timestamptz, day date, tags varchar[], confirmed boolean, share double)""")
        conn.execute("comment on table notes is 'Notes written for the download tests.'")
        conn.execute("comment on column notes.note is 'What somebody wrote, formulas and all.'")
        rows = [(i, text, Decimal("1234.50") + i, 12 + i, None, None, None, i % 2 == 0, 0.25 * i)
                for i, text in enumerate(HOSTILE, start=1)]
        rows += [(10, PLAIN, None, 12345678901234567890, "2024-03-01 12:00:00+02", "2024-02-29", ["Leo 2", "Leopard"],
                  None, None),
                 (11, LONG, Decimal("-7.00"), None, None, "1899-06-30", [], False, None)]
        conn.executemany("insert into notes values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("create view confirmed_notes as select id, note from notes where confirmed")
    return path


def test_every_publication_writes_csv_and_the_workbook_beside_the_parquet_files(sample_warehouse):
    exports = sample_warehouse.parent / "exports"
    tables = MART_TABLES + RELEASE_TABLES
    assert sorted(p.name for p in exports.iterdir()) == sorted(
        [f"{t}.parquet" for t in tables] + [f"{t}.csv" for t in tables] + [WORKBOOK_NAME])
    for table in ("fct_pledges", "release_changes"):
        assert rows_of(sample_warehouse, f"select count(*) from read_csv(?)", [str(exports / f"{table}.csv")]) == \
            rows_of(sample_warehouse, f"select count(*) from {table}")
    assert openpyxl.load_workbook(exports / WORKBOOK_NAME, read_only=True).sheetnames == [DICTIONARY_SHEET, *tables]


# --- the workbook of every mart ----------------------------------------------------------------

def test_the_workbook_keeps_numbers_dates_and_has_a_dictionary_of_every_column(sample_warehouse, tmp_path, capsys):
    out = tmp_path / "pledges.xlsx"
    assert main(["export", "--warehouse", str(sample_warehouse), "--format", "xlsx", "--out", str(out)]) == 0
    assert "wrote the workbook" in capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [DICTIONARY_SHEET, *MART_TABLES, *RELEASE_TABLES]

    pledges = book["fct_pledges"]
    names = [d[0] for d in rows_of(sample_warehouse, "describe fct_pledges")]
    assert [cell.value for cell in pledges[1]] == names
    expected = rows_of(sample_warehouse, "select * from fct_pledges order by all")
    assert pledges.max_row - 1 == len(expected) > 20
    for cells, want in zip(pledges.iter_rows(min_row=2), expected):
        row = dict(zip(names, cells))
        values = dict(zip(names, want))
        for name in ("value_usd", "quantity", "is_headline_total", "sentence", "pledge_id"):
            assert row[name].value == values[name], name
        for name in ("value_usd", "quantity", "evidence_count"):
            assert values[name] is None or row[name].data_type == "n"
        if values["announced_date"] is not None:
            assert row["announced_date"].is_date and "yyyy" in row["announced_date"].number_format
            assert row["announced_date"].value == dt.datetime.combine(values["announced_date"], dt.time())
        assert row["is_headline_total"].data_type == "b"
    assert any(c.value for c in column(pledges, "value_usd")) and any(c.value for c in column(pledges, "quantity"))
    assert pledges.freeze_panes == "A2" and pledges.auto_filter.ref == f"A1:{pledges.cell(1, len(names)).column_letter}" \
                                                                        f"{pledges.max_row}"
    sentence_letter = pledges.cell(1, names.index("sentence") + 1).column_letter
    assert pledges.column_dimensions[sentence_letter].width > pledges.column_dimensions["B"].width

    donors = book["dim_donors"]
    joined = dict(rows_of(sample_warehouse, "select donor_code, array_to_string(aliases, '; ') from dim_donors"))
    assert {c.value: a.value or "" for c, a in zip(column(donors, "donor_code"), column(donors, "aliases"))} == joined
    assert "Deutschland" in joined["DEU"].split("; ")

    dictionary = list(book[DICTIONARY_SHEET].iter_rows(values_only=True))
    assert dictionary[0][:5] == ("table", "column", "data_type", "excel_cell", "description")
    described = {(table, col): (data_type, kind, text) for table, col, data_type, kind, text, *_ in dictionary[1:] if col}
    stored = rows_of(sample_warehouse, """select table_name, column_name, data_type, comment from duckdb_columns()
                                          where schema_name = 'main' and table_name in ?""",
                    [list(MART_TABLES + RELEASE_TABLES)])
    assert len(stored) == len(described) > 100
    for table, col, data_type, comment in stored:
        assert described[(table, col)][0] == data_type and described[(table, col)][2] == comment.strip(), (table, col)
    assert described[("fct_pledges", "value_usd")][1] == "number"
    assert described[("dim_donors", "aliases")][1].startswith("text (list")
    tables = {row[0]: row for row in dictionary[1:] if not row[1]}
    assert set(tables) == set(MART_TABLES + RELEASE_TABLES)
    assert tables["fct_pledges"][6] == len(expected) and tables["fct_pledges"][5] == "fct_pledges"
    assert "deduplication" in tables["fct_pledges"][4]


def test_a_single_table_to_xlsx_gets_its_sheet_and_its_dictionary(sample_warehouse, tmp_path):
    out = tmp_path / "totals.xlsx"
    assert main(["export", "--warehouse", str(sample_warehouse), "--table", "donor_totals", "--format", "xlsx",
                 "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [DICTIONARY_SHEET, "donor_totals"]
    usd = dict(rows_of(sample_warehouse, "select donor_code, total_value_usd from donor_totals"))
    sheet = book["donor_totals"]
    assert {c.value: v.value for c, v in zip(column(sheet, "donor_code"), column(sheet, "total_value_usd"))} == usd


# --- hostile and awkward values ------------------------------------------------------------------

def test_formula_like_text_stays_text_in_xlsx_and_is_quoted_in_csv(notes_warehouse, tmp_path):
    xlsx, csv_out = tmp_path / "notes.xlsx", tmp_path / "notes.csv"
    assert main(["export", "--warehouse", str(notes_warehouse), "--table", "notes", "--format", "xlsx",
                 "--out", str(xlsx)]) == 0
    assert main(["export", "--warehouse", str(notes_warehouse), "--table", "notes", "--format", "csv",
                 "--out", str(csv_out)]) == 0

    sheet = openpyxl.load_workbook(xlsx)["notes"]
    notes = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for i, text in enumerate(HOSTILE, start=1):
        cell = notes[i][1]
        assert cell.data_type == "s" and cell.value == text and cell.quotePrefix, (text, cell.data_type)
    assert notes[10][1].value == PLAIN and not notes[10][1].quotePrefix
    with zipfile.ZipFile(xlsx) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)  # not one formula anywhere

    with csv_out.open(encoding="utf-8", newline="") as handle:
        written = {int(row["id"]): row for row in csv.DictReader(handle)}
    for i, text in enumerate(HOSTILE, start=1):
        assert written[i]["note"] == "'" + text
    assert written[10]["note"] == PLAIN and written[11]["note"] == LONG  # CSV holds any length
    assert written[10]["tags"] == "Leo 2; Leopard" and written[2]["amount"] == "1236.50"


def test_numbers_dates_zones_lists_and_long_text_in_excel(notes_warehouse, tmp_path):
    out = tmp_path / "notes.xlsx"
    assert main(["export", "--warehouse", str(notes_warehouse), "--table", "notes", "--format", "xlsx",
                 "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    notes = {row[0].value: {c.value: cell for c, cell in zip(book["notes"][1], row)}
             for row in book["notes"].iter_rows(min_row=2)}
    assert notes[1]["amount"].data_type == "n" and notes[1]["amount"].value == 1235.5  # DECIMAL
    assert notes[11]["amount"].value == -7 and notes[1]["big"].value == 13  # HUGEINT within Excel's digits
    assert notes[10]["big"].value == "12345678901234567890"  # past 15 digits: text, not other digits
    assert notes[1]["share"].value == 0.25 and notes[2]["confirmed"].value is True
    assert notes[10]["confirmed"].value is None and notes[10]["amount"].value is None  # nulls stay empty
    # 12:00 at UTC+2 is 10:00 UTC, without a zone (xlsx has none)
    assert notes[10]["seen_at"].is_date and notes[10]["seen_at"].value == dt.datetime(2024, 3, 1, 10, 0)
    assert notes[10]["day"].is_date and notes[10]["day"].value == dt.datetime(2024, 2, 29)
    assert notes[11]["day"].value == "1899-06-30"  # before Excel's first day: the date as text
    assert notes[10]["tags"].value == "Leo 2; Leopard"
    long_cell = notes[11]["note"].value
    assert len(long_cell) == EXCEL_MAX_CELL_CHARS and long_cell.endswith(CUT_NOTE)
    assert LONG.startswith(long_cell[:-len(CUT_NOTE)])
    dictionary = {(r[0], r[1]): r for r in book[DICTIONARY_SHEET].iter_rows(min_row=2, values_only=True)}
    assert dictionary[("notes", None)][4].startswith("Notes written for the download tests.")
    assert "1 text cell(s) longer than Excel's limit were cut" in dictionary[("notes", None)][4]
    assert dictionary[("notes", "seen_at")][3] == "date-time (UTC)"
    assert dictionary[("notes", "note")][4] == "What somebody wrote, formulas and all."


def test_a_view_of_the_release_exports_too_and_names_ignore_case(notes_warehouse, tmp_path, capsys):
    out = tmp_path / "confirmed.xlsx"
    assert main(["export", "--warehouse", str(notes_warehouse), "--table", "Confirmed_Notes", "--format", "xlsx",
                 "--out", str(out)]) == 0
    assert "wrote confirmed_notes (2 rows)" in capsys.readouterr().err
    sheet = openpyxl.load_workbook(out)["confirmed_notes"]
    assert [c.value for c in column(sheet, "note")] == [HOSTILE[1], HOSTILE[3]]  # ids 2 and 4
    assert main(["export", "--warehouse", str(notes_warehouse), "--table", "nothing", "--format", "csv"]) == 2
    assert "(available: confirmed_notes, notes)" in capsys.readouterr().err


def test_a_table_longer_than_a_sheet_continues_on_the_next(sample_warehouse, tmp_path):
    out = tmp_path / "split.xlsx"
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        expected = conn.execute("select pledge_id from fct_pledges order by all").fetchall()
        write_workbook(conn, out, ["fct_pledges", "donor_totals"], rows_per_sheet=50)
    book = openpyxl.load_workbook(out)
    parts = ["fct_pledges"] + [f"fct_pledges ({n})" for n in range(2, (len(expected) - 1) // 50 + 2)]
    assert book.sheetnames == [DICTIONARY_SHEET, *parts, "donor_totals"]
    ids = []
    for name in parts:
        assert book[name]["A1"].value == "pledge_id" and book[name].max_row <= 51
        ids += [cell.value for cell in column(book[name], "pledge_id")]
    assert ids == [pledge_id for (pledge_id,) in expected]
    table_row = next(r for r in book[DICTIONARY_SHEET].iter_rows(values_only=True) if r[:2] == ("fct_pledges", None))
    assert table_row[5] == ", ".join(parts) and table_row[6] == len(expected)


# --- csv, jsonl, parquet --------------------------------------------------------------------------

@pytest.mark.parametrize("table", ["fct_pledges", "fct_pledge_evidence", "reconciliation_reported_totals"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_csv_jsonl_and_parquet_hold_the_table(sample_warehouse, tmp_path, table, fmt):
    out = tmp_path / f"{table}.{fmt}"
    assert main(["export", "--warehouse", str(sample_warehouse), "--table", table, "--format", fmt,
                 "--out", str(out)]) == 0
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        types = {name: kind for name, kind, *_ in conn.execute(f"describe {table}").fetchall()}
        columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in types.items()) + "}"
        reader = {"csv": f"read_csv($f, header = true, columns = {columns})",
                  "jsonl": f"read_json($f, format = 'newline_delimited', columns = {columns})",
                  "parquet": "read_parquet($f)"}[fmt]
        count = conn.execute(f"select count(*) from {table}").fetchone()[0]
        read_back = conn.execute(f"select * from {reader}", {"f": str(out)}).fetchall()
        assert len(read_back) == count > 0
        # the same rows, value for value, in both directions
        for query in (f"select * from {reader} except all select * from {table}",
                      f"select * from {table} except all select * from {reader}"):
            assert conn.execute(f"select count(*) from ({query})", {"f": str(out)}).fetchone()[0] == 0
        assert read_back == conn.execute(f"select * from {table} order by all").fetchall()  # rows in a stable order


def test_jsonl_and_parquet_keep_lists(sample_warehouse, tmp_path):
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / f"donors.{fmt}"
        assert main(["export", "--warehouse", str(sample_warehouse), "--table", "dim_donors", "--format", fmt,
                     "--out", str(out)]) == 0
        reader = "read_json($f, format = 'newline_delimited')" if fmt == "jsonl" else "read_parquet($f)"
        with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
            assert conn.execute(f"select aliases from {reader} where donor_code = 'DEU'", {"f": str(out)}).fetchone() \
                == conn.execute("select aliases from dim_donors where donor_code = 'DEU'").fetchone()


def test_csv_and_jsonl_go_to_standard_output(sample_warehouse, capsys):
    assert main(["export", "--warehouse", str(sample_warehouse), "--table", "donor_totals", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("donor_code,donor_name,")
    assert len(lines) - 1 == rows_of(sample_warehouse, "select count(*) from donor_totals")[0][0]
    assert main(["export", "--warehouse", str(sample_warehouse), "--table", "dim_systems", "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == rows_of(sample_warehouse, "select count(*) from dim_systems")[0][0]


# --- bad requests --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--table", "no_such_mart", "--format", "csv", "--out", "{tmp}/x.csv"], "no table 'no_such_mart' in the warehouse"
                                                                            " (available: dim_donors"),
    (["--table", "fct_pledges", "--format", "xlsx"], "give --out FILE"),
    (["--table", "fct_pledges", "--format", "parquet"], "give --out FILE"),
    (["--format", "xlsx"], "give --out FILE"),
    (["--format", "parquet", "--out", "{tmp}/x.parquet"], "--format parquet needs --table NAME"),
    (["--table", "fct_pledges", "--format", "xml", "--out", "{tmp}/x.xml"], "unknown format 'xml'"),
    (["--table", "fct_pledges", "--format", "csv", "--out", "/proc/pledges.csv"], "cannot write /proc/pledges.csv"),
    (["--format", "xlsx", "--out", "/proc/pledges.xlsx"], "cannot write /proc/pledges.xlsx"),
    (["--format", "csv", "--out", "/proc/records.csv"], "cannot write /proc/records.csv"),  # the scorer's records
    (["--format", "xlsx", "--out", "{tmp}/missing/pledges.xlsx"], "does not exist"),
    (["--table", "fct_pledges", "--format", "parquet", "--out", "{warehouse}"], "is the warehouse itself"),
    (["--format", "xlsx", "--out", "{warehouse}"], "is the warehouse itself"),
])
def test_bad_requests_get_one_line_and_write_nothing(sample_warehouse, tmp_path, capsys, args, message):
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(sample_warehouse, warehouse)
    before = warehouse.read_bytes()
    argv = [a.format(tmp=tmp_path, warehouse=warehouse) for a in args]
    assert main(["export", "--warehouse", str(warehouse), *argv]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], captured.err
    assert captured.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]  # no file, no temporary left behind
    assert warehouse.read_bytes() == before


def test_the_pledges_command_exports_a_table(sample_warehouse, tmp_path):
    from tests.test_cli import run_cli

    out = tmp_path / "evidence.csv"
    done = run_cli("export", "--warehouse", str(sample_warehouse), "--table", "fct_pledge_evidence", "--format", "csv",
                   "--out", str(out))
    assert done.returncode == 0 and "wrote fct_pledge_evidence (" in done.stderr, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == rows_of(sample_warehouse, "select count(*) from fct_pledge_evidence")[0][0]
    assert any(row["donor_code"] == "FRA" and "Caesar" in row["sentence"] for row in rows)


# --- what a publication writes -------------------------------------------------------------------

def test_the_workbook_writer_aside_reports_its_error_and_leaves_no_file(sample_warehouse, tmp_path):
    with pytest.raises(ExportError, match="pledges.xlsx was not written: .*no_such_mart"):
        with workbook_written_aside(sample_warehouse, tmp_path / WORKBOOK_NAME, ["fct_pledges", "no_such_mart"]):
            pass
    assert list(tmp_path.iterdir()) == []


def test_a_failure_beside_the_workbook_writer_stops_it(sample_warehouse, tmp_path):
    from tests.test_crash_recovery import children, command_line

    class Stop(Exception):
        pass

    with pytest.raises(Stop):
        with workbook_written_aside(sample_warehouse, tmp_path / WORKBOOK_NAME, MART_TABLES):
            writers = [pid for pid in children(os.getpid()) if "orchestration.downloads" in command_line(pid)]
            assert len(writers) == 1
            raise Stop
    assert writers[0] not in children(os.getpid())  # killed and reaped
    assert not (tmp_path / WORKBOOK_NAME).exists()


def test_write_downloads_writes_a_csv_per_mart_and_the_workbook_the_same_every_time(sample_warehouse, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    written = write_downloads(sample_warehouse, first, MART_TABLES)
    again = write_downloads(sample_warehouse, second, MART_TABLES)
    assert [p.name for p in written] == [f"{t}.csv" for t in MART_TABLES] + [WORKBOOK_NAME]
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in written)  # no temporaries left
    for one, other in zip(written, again):
        assert one.read_bytes() == other.read_bytes(), one.name  # the same warehouse, the same bytes
    assert openpyxl.load_workbook(first / WORKBOOK_NAME).sheetnames == [DICTIONARY_SHEET, *MART_TABLES]
