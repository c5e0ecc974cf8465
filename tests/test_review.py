"""Review and corrections through the real job: the review queue of a first release, `pledges
review` listing it and writing decisions, the decisions applied by the next refresh (reject,
confirm, set, add) and shown in fct_pledges, fct_pledge_evidence and fct_corrections, a correction
whose record vanished reported by a warning check, and a changed corrections file rebuilding a
night on which no page changed, and corrections kept when their pages change only in furniture.
Three nightly runs in all, on a copy of the sample pages."""
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import dagster as dg
import pytest
import yaml

from orchestration import corrections
from orchestration.cli import main, run_nightly_job
from tests.conftest import REPO, SAMPLE, build_file, file_digest, query

THRESHOLD = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())["vars"]["review_confidence_threshold"]

# A page of our own, added on the second night: its pledge was not in the first release.
NEW_PAGE = """<html><head><title>Norway sends air defence launchers</title>
<meta name="date" content="2025-03-03"></head><body><article>
<h1>Norway sends air defence launchers to Ukraine</h1>
<p>OSLO, 3 March 2025 - Norway will donate eight NASAMS launchers to Ukraine, the Norwegian defence
ministry said on Monday.</p></article></body></html>
"""


def run(sources: Path):
    result = run_nightly_job(source_dirs=[str(sources)])
    assert result.success
    return result


def materialized(result) -> dict:
    return {e.event_specific_data.materialization.asset_key.to_user_string():
            e.event_specific_data.materialization.metadata
            for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}


def check_results(result, name: str) -> list:
    return [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
            and e.event_specific_data.check_name == name]


def cli(*args) -> int:
    return main(["review", *args])


@pytest.fixture(scope="module")
def first_release(tmp_path_factory):
    """The sample pages through the nightly job, with a corrections folder that holds no file yet."""
    from orchestration import settings

    root = tmp_path_factory.mktemp("review")
    sources, folder = root / "sources", root / "corrections"
    sources.mkdir()
    folder.mkdir()
    for page in SAMPLE.iterdir():
        if page.suffix in (".html", ".txt"):
            shutil.copy(page, sources / page.name)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(settings.CORRECTIONS_ENV, str(folder))
        published = settings.use_warehouse(root / "warehouse" / "pledges.duckdb")
        result = run(sources)
        yield {"sources": sources, "corrections": folder, "published": published, "result": result}


def test_a_first_release_queues_every_pledge_and_the_uncertain_records(first_release, capsys):
    published = first_release["published"]
    pledges, = query(published, "select count(*) from fct_pledges")[0]
    uncertain, = query(published, f"select count(*) from fct_pledge_evidence where confidence < {THRESHOLD}")[0]
    queue = dict(query(published, "select queue_reason, count(*) from review_queue group by 1"))
    # no release before this one: every pledge is new
    assert queue == {"new_pledge": pledges, "low_confidence": uncertain}
    assert 0 < uncertain < pledges
    assert query(published, "select count(*) from fct_corrections") == [(0,)]  # no file: no corrections
    assert query(published, "select count(*) from fct_pledges where corrected or confirmed") == [(0,)]

    w = ["--warehouse", str(published)]
    assert cli(*w, "--donor", "deu") == 0
    listing = capsys.readouterr().out
    german = query(published, "select count(*) from review_queue where donor_code = 'DEU'")[0][0]
    assert f"({german} rows)" in listing and german > 0
    rows = listing.splitlines()[2:-1]
    assert len(rows) == german and all(row.split()[3] == "DEU" for row in rows)  # why (two words), id, donor
    assert cli(*w, "--since", "2999-01-01") == 0
    assert "(0 rows)" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["reject", "no-such-id", "--reason", "x"], "unknown ID 'no-such-id'"),
    (["set", "{record}", "qty=3", "--reason", "x"], "unknown field 'qty'"),
    (["set", "{record}", "quantity=3x", "--reason", "x"], "quantity must be a whole number"),
    (["set", "{record}", "date=2024-02-30", "--reason", "x"], "date must be YYYY-MM-DD"),
    (["set", "{record}", "donor=XYZ", "--reason", "x"], "unknown donor 'XYZ'"),
    (["reject", "{record}"], "reject needs --reason"),
    (["confirm", "{record}", "--reason", "  "], "confirm needs --reason"),
    (["add", "--donor", "POL", "--system", "leopard2a4", "--reason", "x"], "add needs --url --sentence"),
    (["add", "--donor", "POL", "--value", "5e8", "--url", "https://example.org/a", "--sentence", "s",
      "--reason", "x"], "a package needs --value and --currency"),
])
def test_a_bad_decision_is_one_line_exit_2_and_changes_nothing(first_release, tmp_path, capsys, args, message):
    record = query(first_release["published"], "select min(mention_id) from fct_pledge_evidence")[0][0]
    folder = tmp_path / "corrections"
    folder.mkdir()
    existing = folder / "corrections.csv"
    existing.write_text(",".join(corrections.COLUMNS) + "\nc-1,confirm,abc,,,,,,,,,,,ok,ann,2026-12-01T10:00:00\n")
    before = file_digest(existing)
    code = cli("--warehouse", str(first_release["published"]),
               *[a.format(record=record) for a in args], "--corrections-dir", str(folder), "--by", "ann")
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and err.startswith("pledges: ")
    assert file_digest(existing) == before and sorted(p.name for p in folder.iterdir()) == ["corrections.csv"]


def test_decisions_apply_at_the_next_refresh_and_a_vanished_target_warns(first_release, capsys):
    published, sources, folder = first_release["published"], first_release["sources"], first_release["corrections"]

    def one(sql):
        rows = query(published, sql)
        assert len(rows) == 1, (sql, rows)
        return rows[0]

    # Targets in the first release (on pages that stay the same, except the M777 one)
    scalp_pledge, scalp_delivered = one("""select pledge_id, mention_id from fct_pledge_evidence
                                           where system_id = 'scalp' and status = 'delivered'""")
    danish_f16, = one("""select pledge_id from fct_pledges
                         where donor_code = 'DNK' and system_id = 'f16' and status = 'pledged'""")
    japan_vehicles, = one("select pledge_id from fct_pledge_evidence where donor_code = 'JPN' and quantity = 100")
    uncertain, = one(f"""select min(mention_id) from fct_pledge_evidence
                         where confidence < {THRESHOLD} and url like '%08_bmvg%'""")
    m777, = one("select mention_id from fct_pledge_evidence where system_id = 'm777'")

    w = ["--warehouse", str(published), "--corrections-dir", str(folder), "--by", "Ann Reviewer"]
    decisions = [
        ["reject", scalp_delivered, "--reason", "background recalled, not a new delivery"],
        ["set", danish_f16, "quantity=18", "--reason", "the ministry's list says 18"],
        ["reject", japan_vehicles, "--reason", "trucks from the SDF are not military aid here"],
        ["confirm", uncertain, "--reason", "read the release: right"],
        ["reject", m777, "--reason", "four howitzers were counted twice"],
        ["add", "--donor", "pol", "--system", "Leopard 2 A4 main battle tank", "--quantity", "14",
         "--date", "2023-02-24", "--url", "https://example.org/pl-leopards",
         "--sentence", "Poland will send 14 Leopard 2A4 tanks, the prime minister said.",
         "--reason", "the extractor missed this page"],
    ]
    for decision in decisions:
        assert cli(*w[:2], decision[0], *decision[1:], *w[2:]) == 0
    written = capsys.readouterr().out.splitlines()
    assert len(written) == len(decisions) and all("applies at the next `pledges refresh`" in line for line in written)
    added = written[-1].split(":")[0]
    lines = (folder / "corrections.csv").read_text().splitlines()
    assert lines[0] == ",".join(corrections.COLUMNS) and len(lines) == 1 + len(decisions)

    # The second night: the M777 sentence now says six (its record is another one), and a new page;
    # the pages of two corrected pledges get new furniture (a footer, a script, blank lines), which
    # must not change the ids the corrections are keyed by.
    page = sources / "10_canada_nasams_cad406m.html"
    page.write_text(page.read_text().replace("four M777 howitzers", "six M777 howitzers"))
    (sources / "20_norway_nasams.html").write_text(NEW_PAGE)
    refurnished = {Path(unquote(urlparse(url).path)) for (url,) in query(published, f"""
        select distinct url from fct_pledge_evidence where pledge_id in ('{scalp_pledge}', '{danish_f16}')""")}
    assert refurnished and all(path.parent == sources for path in refurnished)
    for path in refurnished:
        text = path.read_text(encoding="utf-8")
        furniture = ("\n\n<footer><p>Sign up for our weekly newsletter.</p></footer>\n"
                     "<script>window.analytics = 1;</script>\n\n")
        path.write_text(text.replace("</body>", furniture + "</body>") if "</body>" in text
                        else text + "\n\nShare this article.\n", encoding="utf-8")
    second = run(sources)
    versions = query(build_file(published), f"""select count(*) from raw.documents where fetch_status = 'ok'
                                                 and url in ({", ".join(f"'{p.as_uri()}'" for p in refurnished)})""")
    assert versions == [(2 * len(refurnished),)]  # each page was stored again, as a new version

    pledge = lambda pledge_id: one(f"""select quantity, status, evidence_count, corrected, correction_reason,
                                              confirmed from fct_pledges where pledge_id = '{pledge_id}'""")
    # reject a record: gone from the evidence, its pledge corrected with the reason
    assert query(published, f"select count(*) from fct_pledge_evidence where mention_id = '{scalp_delivered}'") == [(0,)]
    assert pledge(scalp_pledge) == (40, "pledged", 1, True, "background recalled, not a new delivery", False)
    # set a pledge's quantity
    assert pledge(danish_f16)[:5] == (18, "pledged", 1, True, "the ministry's list says 18")
    assert one(f"select quantity, corrected from fct_pledge_evidence where pledge_id = '{danish_f16}'") == (18, True)
    # reject a pledge: gone from every mart that counts pledges
    assert query(published, f"select count(*) from fct_pledges where pledge_id = '{japan_vehicles}'") == [(0,)]
    # confirm a record: unchanged, marked, out of the queue
    assert one(f"select confirmed, corrected from fct_pledge_evidence where mention_id = '{uncertain}'") == (True, False)
    assert query(published, f"select count(*) from review_queue where target_id = '{uncertain}'") == [(0,)]
    # add a pledge
    assert one(f"""select kind, donor_code, system_id, quantity, status, announced_date::varchar, url, corrected,
                          correction_reason, is_added, evidence_count, document_id
                   from fct_pledges where pledge_id = 'added-{added}'""") == (
        "item", "POL", "leopard2a4", 14, "pledged", "2023-02-24", "https://example.org/pl-leopards", True,
        "the extractor missed this page", True, 1, None)
    assert one("select count(*) from system_totals where system_id = 'leopard2a4' and quantity_total >= 14") == (1,)

    # every correction listed; the one whose record vanished with the page's change is not applied
    listed = dict(((row[0], row[1:]) for row in query(published, """
        select action || ' ' || coalesce(target_id, 'new'), applied, problem, reviewer from fct_corrections""")))
    assert len(listed) == len(decisions)
    assert listed[f"reject {m777}"][:2] == (False, f"target not found: no record or pledge {m777} in this build")
    assert all(applied and problem is None and who == "Ann Reviewer"
               for key, (applied, problem, who) in listed.items() if key != f"reject {m777}")
    warning, = check_results(second, "every_correction_applies")
    assert warning.passed is False and warning.severity == dg.AssetCheckSeverity.WARN
    # the six M777 are a record of the new page version, not rejected
    assert one("select quantity, corrected from fct_pledge_evidence where system_id = 'm777'") == (6, False)

    # the queue of the second release: the pledges no release has published - the new page's, and
    # the six M777, a claim the changed sentence makes for the first time
    new = query(published, "select system_id, quantity, sentence from review_queue where queue_reason = 'new_pledge'")
    assert sorted((system, quantity) for system, quantity, _ in new) == [("m777", 6), ("nasams", 8)], new
    assert any("eight NASAMS launchers" in sentence for _, _, sentence in new)

    # Third night: no page changed, only the corrections file: the build runs again.
    assert cli(*w[:2], "set", danish_f16, "quantity=17", "--reason", "corrected again by the ministry", *w[2:]) == 0
    third = run(sources)
    assert "rebuilt" not in materialized(third)["fct_pledges"]
    assert pledge(danish_f16)[0] == 17
    assert query(published, "select count(*) from fct_corrections") == [(len(decisions) + 1,)]


# --- the corrections files, without a run ----------------------------------------------------

def test_the_repositorys_corrections_files_have_the_format():
    from orchestration.settings import DEFAULT_CORRECTIONS_DIR

    found = corrections.files(DEFAULT_CORRECTIONS_DIR)
    assert found, "corrections/ holds at least corrections.csv (its header)"
    for path in found:
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        corrections.check_header(path, header)
    ids = [row["correction_id"] for row in corrections.read_rows(DEFAULT_CORRECTIONS_DIR)]
    assert len(ids) == len(set(ids))


def test_appending_keeps_the_lines_there_byte_for_byte_and_an_interruption_leaves_the_file_whole(
        tmp_path, monkeypatch):
    from datetime import datetime

    path = tmp_path / "corrections.csv"
    # a hand-edited file: columns in another order, no newline at the end, a quoted comma
    path.write_bytes(b'action,correction_id,target_id,reason,reviewer,decided_at\r\n'
                     b'reject,by-hand-1,abc,"not a pledge, a request",Ann,2026-11-30T09:00:00')
    before = path.read_bytes()
    row = corrections.decision_row("set", "abc", {"quantity": "18"}, "the page says 18", "Bo",
                                   datetime(2026, 12, 1, 12, 0, 0))
    with pytest.raises(corrections.CorrectionError, match="has no column quantity"):
        corrections.append(path, row)  # quantity is not a column of this file: refused, not lost
    assert path.read_bytes() == before

    path.write_bytes(before.replace(b"decided_at", b"decided_at,quantity", 1))
    before = path.read_bytes()
    monkeypatch.setattr(corrections.os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        corrections.append(path, row)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["corrections.csv"]
    monkeypatch.undo()

    corrections.append(path, row)
    after = path.read_bytes()
    assert after.startswith(before + b"\n")
    assert after[len(before) + 1:].decode() == f"set,{row['correction_id']},abc,the page says 18,Bo,2026-12-01T12:00:00,18\n"
    with pytest.raises(corrections.CorrectionError, match="already in"):
        corrections.append(path, row)


def test_a_corrections_folder_that_does_not_exist_stops_the_refresh_before_it_starts(tmp_path, monkeypatch, capsys):
    from orchestration import settings

    monkeypatch.setenv(settings.CORRECTIONS_ENV, str(tmp_path / "no-such-folder"))
    assert main(["refresh", "--source-dir", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert capsys.readouterr().err == f"pledges: PLEDGES_CORRECTIONS_DIR {tmp_path / 'no-such-folder'} is not a folder\n"
    assert not (tmp_path / "w.duckdb").exists()
