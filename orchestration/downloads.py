"""Downloads analysts open: any table of a release as CSV, Excel, Parquet or JSON lines, and one
workbook with a sheet per mart and a data dictionary built from the descriptions dbt stored in
the warehouse (persist_docs: table and column comments).

Functions over an open DuckDB connection to a release (or build) file, so the publication
step and `pledges export` write the same bytes; a publication writes its workbook in a process of
its own meanwhile (workbook_written_aside). Rows are sorted on every column: the same
warehouse always gives the same files. Every file is written beside its target under a
temporary name and renamed into place, so a failure leaves nothing half-written.

Excel is written with XlsxWriter rather than openpyxl: it is pure Python, well kept, writes
cell types explicitly (a string is a string, never guessed to be a formula or a link), and its
constant_memory mode streams rows to disk one at a time, so a large mart costs no more memory
than a small one. It writes files only; the tests read them back with openpyxl.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import xlsxwriter
import xlsxwriter.exceptions

from orchestration import child_processes, settings

FORMATS = ("csv", "xlsx", "parquet", "jsonl")
WORKBOOK_NAME = "pledges.xlsx"
DICTIONARY_SHEET = "data dictionary"

# A cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(...)" in a quoted
# sentence would run). A leading apostrophe makes it text and keeps it readable (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel's own limits: 1,048,576 rows a sheet (the header takes one) and 32,767 characters a cell
# (counted in UTF-16 units). A table longer than a sheet continues on "name (2)", "name (3)", ...
# each with the header, so nothing is dropped; a longer text is cut with a note saying so (the
# CSV, JSON lines and Parquet files keep it whole).
EXCEL_MAX_DATA_ROWS = 1_048_575
EXCEL_MAX_CELL_CHARS = 32_767
CUT_NOTE = " [... cut at Excel's 32,767-character limit; the CSV, JSONL and Parquet files hold the whole text]"
EXCEL_SHEET_NAME_CHARS = 31

# Excel keeps 15 significant digits: a larger integer (an id held as HUGEINT, say) would come
# back with other digits, so it is written as text.
EXCEL_EXACT_INTEGER_LIMIT = 10 ** 15
EXCEL_FIRST_DATE = dt.date(1900, 1, 1)  # earlier dates are not dates to Excel: written as ISO text

ROWS_PER_FETCH = 10_000
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 60
# The workbook's creation time in its properties: fixed, so that the same warehouse gives the
# same bytes (XlsxWriter already dates the zip entries 1980-01-01). The release's own build
# time belongs to the release, not to this file.
WORKBOOK_CREATED = dt.datetime(1980, 1, 1)

NUMBER_TYPES = {"tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger",
                "ubigint", "uhugeint", "float", "double", "decimal", "varint", "bignum"}
TIMESTAMP_TYPES = {"timestamp", "timestamp_s", "timestamp_ms", "timestamp_ns"}
LIST_TYPES = {"list", "array"}


class ExportError(ValueError):
    """A request the caller can correct (an unknown table or format); one line."""


# --- the catalog ------------------------------------------------------------------------------

def release_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and views of the release's `main` schema, the ones an analyst can download."""
    rows = conn.execute("""
        select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main'
        union
        select view_name from duckdb_views() where database_name = current_database() and schema_name = 'main'
              and not internal
        order by 1""").fetchall()
    return [name for (name,) in rows]


def checked_table(conn: duckdb.DuckDBPyConnection, table: str) -> str:
    """The table's name as the catalog spells it; an unknown name lists the ones there are."""
    available = release_tables(conn)
    if table in available:
        return table
    by_lower = {name.lower(): name for name in available}
    if table.lower() in by_lower:  # DuckDB's identifiers ignore case; so does the command line
        return by_lower[table.lower()]
    raise ExportError(f"no table {table!r} in the warehouse (available: {', '.join(available) or 'none'})")


def checked_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    return fmt


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # as DuckDB spells it: VARCHAR[], DECIMAL(18,3), TIMESTAMP WITH TIME ZONE
    type_id: str  # the type's family: varchar, list, decimal, timestamp with time zone
    description: str | None = None


def table_columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    relation = conn.sql(f"select * from main.{_quoted(table)}")
    comments = dict(conn.execute("""
        select column_name, comment from duckdb_columns()
        where database_name = current_database() and schema_name = 'main' and table_name = ?""",
                                 [table]).fetchall())
    return [Column(name, str(kind), kind.id, comments.get(name))
            for name, kind in zip(relation.columns, relation.types)]


def table_rows(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    return conn.execute(f"select count(*) from main.{_quoted(table)}").fetchone()[0]


def table_description(conn: duckdb.DuckDBPyConnection, table: str) -> str | None:
    row = conn.execute("""
        select comment from duckdb_tables() where database_name = current_database() and schema_name = 'main'
              and table_name = $t
        union all
        select comment from duckdb_views() where database_name = current_database() and schema_name = 'main'
              and view_name = $t""", {"t": table}).fetchone()
    return row[0].strip() if row and row[0] else None


# --- one table, any format --------------------------------------------------------------------

def export_table(conn: duckdb.DuckDBPyConnection, table: str, fmt: str, out_path: Path) -> Path:
    """Write one table of the release to out_path as csv, xlsx (the table's sheet and its data
    dictionary), parquet or jsonl, its rows sorted on every column."""
    checked_format(fmt)
    table = checked_table(conn, table)
    out_path = Path(out_path)
    if fmt == "xlsx":
        return write_workbook(conn, out_path, [table])
    columns = table_columns(conn, table)
    select = csv_select(table, columns) if fmt == "csv" else f"select * from main.{_quoted(table)} order by all"
    options = {"csv": "format csv, header true", "parquet": "format parquet", "jsonl": "format json"}[fmt]
    with _replacing(out_path) as part:
        try:
            conn.execute(f"copy ({select}) to $path ({options})", {"path": str(part)})
        except duckdb.IOException as exc:
            raise OSError(_io_reason(str(exc))) from None
    return out_path


def _io_reason(message: str) -> str:
    """'No such file or directory' out of DuckDB's 'IO Error: Cannot open file "...part": No such
    file or directory', whose file is the temporary name, not the one asked for."""
    first = message.splitlines()[0] if message else "failed"
    return first.rsplit('": ', 1)[-1] if '": ' in first else first


def csv_select(table: str, columns: Sequence[Column]) -> str:
    """The table as text a spreadsheet opens safely: a text cell that starts like a formula gets a
    leading apostrophe (as `spreadsheet_safe` does), lists are joined with "; " as in the
    workbook. Rows are sorted on the table's own values, before any of this."""
    starts = ", ".join(_sql_text(start) for start in FORMULA_STARTS)
    cells = []
    for column in columns:
        name = _quoted(column.name)
        if column.type_id in LIST_TYPES:
            text = f"array_to_string(list_transform({name}::varchar[], lambda x: coalesce(x, '')), '; ')"
        elif column.type_id == "varchar":
            text = name
        else:
            cells.append(name)
            continue
        cells.append(f"case when left({text}, 1) in ({starts}) then '''' || {text} else {text} end as {name}")
    return f"select {', '.join(cells)} from main.{_quoted(table)} as src {_order_by_source(columns)}"


def _order_by_source(columns: Sequence[Column]) -> str:
    """`order by all` on the table's own values: qualified, so that a column made into text for
    the file (same name) does not change the order."""
    return "order by " + ", ".join(f"src.{_quoted(c.name)}" for c in columns) if columns else ""


def spreadsheet_safe(value):
    """A text value as it goes into a CSV that Excel may open: formula-like starts quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- the workbook -------------------------------------------------------------------------------

@dataclass
class SheetReport:
    """What went into the workbook for one table, for its rows in the data dictionary."""
    table: str
    sheets: list[str] = field(default_factory=list)
    rows: int = 0
    cut_cells: int = 0


def write_workbook(conn: duckdb.DuckDBPyConnection, out_path: Path, tables: Sequence[str],
                   rows_per_sheet: int = EXCEL_MAX_DATA_ROWS) -> Path:
    """One .xlsx: a data dictionary sheet first, then a sheet per table (continued on further
    sheets past Excel's row limit)."""
    tables = [checked_table(conn, table) for table in tables]
    if not tables:
        raise ExportError("no tables to write into the workbook")
    out_path = Path(out_path)
    with _replacing(out_path) as part:
        workbook = xlsxwriter.Workbook(str(part), {
            "constant_memory": True,
            # Never guess: a string that looks like a formula, a link or a number stays a string.
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            # NaN and infinity have no number in Excel; they show as #NUM! and #DIV/0! errors.
            "nan_inf_to_errors": True,
        })
        try:
            workbook.set_properties({"title": "Ukraine aid pledges", "created": WORKBOOK_CREATED})
            styles = _Styles(workbook)
            # Added first so that it opens first; filled last, once the sheets' names and counts are known.
            dictionary = workbook.add_worksheet(DICTIONARY_SHEET)
            used_names = {DICTIONARY_SHEET}
            reports = []
            for table in tables:
                columns = table_columns(conn, table)
                reports.append(_write_table_sheets(workbook, styles, conn, table, columns, used_names, rows_per_sheet))
            _write_dictionary(dictionary, styles, conn, tables, reports)
        finally:
            try:
                workbook.close()
            except xlsxwriter.exceptions.FileCreateError as exc:  # it wraps the OSError
                cause = exc.__context__ or exc
                raise OSError(getattr(cause, "strerror", None) or str(cause)) from None
    return out_path


class _Styles:
    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        # Marks a formula-like text as typed with a leading apostrophe: Excel keeps it text even
        # when someone edits the cell and presses Enter.
        self.quoted_text = workbook.add_format({"quote_prefix": True})
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})


def excel_cell_kind(column: Column) -> str:
    """How a column's values are written into the workbook (also shown in the data dictionary)."""
    if column.type_id in NUMBER_TYPES:
        return "number"
    if column.type_id == "boolean":
        return "boolean"
    if column.type_id == "date":
        return "date"
    if column.type_id in TIMESTAMP_TYPES:
        return "date-time"
    if column.type_id == "timestamp with time zone":
        return "date-time (UTC)"
    if column.type_id in LIST_TYPES:
        return "text (list joined with '; ')"
    return "text"


def excel_select(table: str, columns: Sequence[Column]) -> str:
    """The table sorted on its own values, with what Excel cannot hold made into what it can:
    zoned timestamps to UTC without a zone (xlsx has no zones), other timestamps to microseconds,
    lists joined as text, anything else that is neither number, date nor boolean as text."""
    cells = []
    for column in columns:
        name = _quoted(column.name)
        kind = excel_cell_kind(column)
        if column.type_id == "timestamp with time zone":
            cells.append(f"timezone('UTC', {name}) as {name}")
        elif column.type_id in TIMESTAMP_TYPES:
            cells.append(f"{name}::timestamp as {name}")
        elif column.type_id in LIST_TYPES:
            cells.append(f"array_to_string(list_transform({name}::varchar[], lambda x: coalesce(x, '')), '; ') as {name}")
        elif kind == "text" and column.type_id != "varchar":
            cells.append(f"{name}::varchar as {name}")
        else:
            cells.append(name)
    return f"select {', '.join(cells)} from main.{_quoted(table)} as src {_order_by_source(columns)}"


def _write_table_sheets(workbook, styles: _Styles, conn, table: str, columns: Sequence[Column],
                        used_names: set[str], rows_per_sheet: int) -> SheetReport:
    report = SheetReport(table)
    writers = [_cell_writer(excel_cell_kind(column), styles) for column in columns]
    sheet, widths, row = None, [], 0
    for values in _rows(conn, excel_select(table, columns)):
        if sheet is None or row == rows_per_sheet:
            if sheet is not None:
                _finish_sheet(sheet, widths, row, len(columns))
            name = _sheet_name(table, len(report.sheets) + 1, used_names)
            sheet, widths, row = _start_sheet(workbook, styles, name, columns), [len(c.name) + 3 for c in columns], 0
            report.sheets.append(name)
        row += 1
        for index, (write, value) in enumerate(zip(writers, values)):
            if value is None:
                continue  # an empty cell
            shown, cut = write(sheet, row, index, value)
            report.cut_cells += cut
            widths[index] = max(widths[index], shown)
        report.rows += 1
    if sheet is None:  # an empty table still gets its sheet and header
        name = _sheet_name(table, 1, used_names)
        sheet, widths = _start_sheet(workbook, styles, name, columns), [len(c.name) + 3 for c in columns]
        report.sheets.append(name)
    _finish_sheet(sheet, widths, row, len(columns))
    return report


def _rows(conn, query: str) -> Iterator[tuple]:
    cursor = conn.execute(query)
    while batch := cursor.fetchmany(ROWS_PER_FETCH):
        yield from batch


def _sheet_name(table: str, part: int, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in table).strip("'") or "table"
    suffix = "" if part == 1 else f" ({part})"
    name = base[:EXCEL_SHEET_NAME_CHARS - len(suffix)] + suffix
    counter = 2
    while name.lower() in {u.lower() for u in used}:  # Excel compares sheet names without case
        extra = f"~{counter}"
        name = base[:EXCEL_SHEET_NAME_CHARS - len(suffix) - len(extra)] + extra + suffix
        counter += 1
    used.add(name)
    return name


def _start_sheet(workbook, styles: _Styles, name: str, columns: Sequence[Column]):
    sheet = workbook.add_worksheet(name)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.name, styles.header)
    sheet.freeze_panes(1, 0)
    return sheet


def _finish_sheet(sheet, widths: list[int], data_rows: int, column_count: int) -> None:
    # Column widths and the filter are kept by the sheet and written when the workbook closes,
    # so they can follow the rows even in constant_memory mode.
    for index, width in enumerate(widths):
        sheet.set_column(index, index, min(max(width + 1, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH))
    if column_count:
        sheet.autofilter(0, 0, data_rows, column_count - 1)


def _cell_writer(kind: str, styles: _Styles):
    """A function writing one value of that kind: returns (its width shown, cells cut)."""
    def number(sheet, row, col, value):
        if isinstance(value, int) and abs(value) >= EXCEL_EXACT_INTEGER_LIMIT:
            return text(sheet, row, col, str(value))
        sheet.write_number(row, col, float(value))
        return len(f"{value:g}") if isinstance(value, float) else len(str(value)), 0

    def boolean(sheet, row, col, value):
        sheet.write_boolean(row, col, bool(value))
        return 5, 0

    def date(sheet, row, col, value):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day < EXCEL_FIRST_DATE:
            return text(sheet, row, col, value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat())
        sheet.write_datetime(row, col, value, styles.datetime if isinstance(value, dt.datetime) else styles.date)
        return (19 if isinstance(value, dt.datetime) else 10), 0

    def text(sheet, row, col, value):
        value, cut = excel_text(str(value))
        sheet.write_string(row, col, value, styles.quoted_text if value.startswith(FORMULA_STARTS) else None)
        return len(value), cut

    return {"number": number, "boolean": boolean, "date": date, "date-time": date,
            "date-time (UTC)": date}.get(kind, text)


def excel_text(value: str) -> tuple[str, int]:
    """(the text as a cell can hold it, 1 if it had to be cut else 0)."""
    if len(value) <= EXCEL_MAX_CELL_CHARS // 2 or _utf16_units(value) <= EXCEL_MAX_CELL_CHARS:
        return value, 0
    keep = EXCEL_MAX_CELL_CHARS - _utf16_units(CUT_NOTE)
    head = value[:keep]
    while _utf16_units(head) > keep:  # characters outside the BMP take two units each
        head = head[:-1]
    return head + CUT_NOTE, 1


def _utf16_units(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


DICTIONARY_HEADER = ("table", "column", "data_type", "excel_cell", "description", "sheets", "rows")


def _write_dictionary(sheet, styles: _Styles, conn, tables: Sequence[str], reports: Sequence[SheetReport]) -> None:
    """One row per table (its description, sheets and rows), then one per column, in the
    order of the sheets: what each column means, its type in the warehouse and in the workbook."""
    for index, title in enumerate(DICTIONARY_HEADER):
        sheet.write_string(0, index, title, styles.header)
    row = 0
    for table, report in zip(tables, reports):
        row += 1
        sheet.write_string(row, 0, table)
        description = table_description(conn, table) or ""
        if report.cut_cells:
            description += (f" ({report.cut_cells} text cell(s) longer than Excel's limit were cut here;"
                            f" the CSV and Parquet files hold them whole.)")
        sheet.write_string(row, 4, excel_text(description.strip())[0], styles.wrapped)
        sheet.write_string(row, 5, ", ".join(report.sheets))
        sheet.write_number(row, 6, report.rows)
        for column in table_columns(conn, table):
            row += 1
            sheet.write_string(row, 0, table)
            sheet.write_string(row, 1, column.name)
            sheet.write_string(row, 2, column.data_type)
            sheet.write_string(row, 3, excel_cell_kind(column))
            if column.description:
                sheet.write_string(row, 4, excel_text(column.description.strip())[0], styles.wrapped)
    for index, width in enumerate((30, 28, 16, 26, 90, 30, 9)):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, row, len(DICTIONARY_HEADER) - 1)


# --- what a publication writes -------------------------------------------------------------

def write_downloads(database: Path, exports_dir: Path, tables: Sequence[str]) -> list[Path]:
    """The files every publication writes beside the Parquet exports: <table>.csv per mart and
    the workbook (pledges.xlsx) with a sheet per mart and the data dictionary."""
    exports_dir = Path(exports_dir)
    with workbook_written_aside(database, exports_dir / WORKBOOK_NAME, tables) as workbook:
        with duckdb.connect(str(database), read_only=True) as conn:
            written = write_csvs(conn, exports_dir, tables)
    return [*written, workbook]


def write_csvs(conn: duckdb.DuckDBPyConnection, exports_dir: Path, tables: Sequence[str]) -> list[Path]:
    return [export_table(conn, table, "csv", Path(exports_dir) / f"{table}.csv") for table in tables]


@contextmanager
def workbook_written_aside(database: Path, out_path: Path, tables: Sequence[str]) -> Iterator[Path]:
    """The workbook written by a process of its own while the block writes the rest of a release:
    it takes most of a publication's time (about 10 s for 1.8 million cells at 10,000 pages), all
    of it in Python on one core, and the machine has two. The block's end waits for it; its error
    is raised there. The writer reads the database read-only beside this process, and is tied to
    it (child_processes): a killed publication leaves no writer behind."""
    out_path = Path(out_path)
    command = [*child_processes.tied_command(sys.executable), "-m", "orchestration.downloads",
               str(database), str(out_path), *tables]
    with tempfile.TemporaryFile() as errors:
        writer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                  env={**os.environ, **child_processes.mark_of_this_process()})
        try:
            yield out_path
        except BaseException:
            writer.kill()
            writer.wait()
            raise
        if writer.wait() != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise ExportError(f"the workbook {out_path.name} was not written: "
                              f"{lines[-1] if lines else f'its writer ended with code {writer.returncode}'}")


def _write_workbook_of(argv: Sequence[str]) -> int:
    """`python -m orchestration.downloads DATABASE OUT TABLE...`: what workbook_written_aside runs."""
    database, out_path, *tables = argv
    try:
        with duckdb.connect(database, read_only=True, config=settings.DUCKDB_CONFIG) as conn:
            write_workbook(conn, Path(out_path), tables)
    except (ExportError, OSError, duckdb.Error) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


# --- writing in place ---------------------------------------------------------------------------

class _replacing:
    """A temporary name beside the target, renamed over it when the block succeeds and removed
    when it fails, so a reader never sees half a file and a failed export leaves none."""

    def __init__(self, target: Path):
        self.target = Path(target)
        self.part = self.target.with_name(f".{self.target.name}.{uuid.uuid4().hex[:12]}.part")

    def __enter__(self) -> Path:
        return self.part

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            os.replace(self.part, self.target)
        else:
            self.part.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(_write_workbook_of(sys.argv[1:]))
