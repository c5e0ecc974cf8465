"""Record confidence: features of the finished record, weighted by data fitted on the dev set,
never deciding what is extracted; and the calibration script on the dev pages."""
import re
import subprocess
import sys
from dataclasses import asdict

import pytest
import yaml

from scrapers.extraction import confidence, extract_records
from tests.conftest import REPO, SAMPLE, SHARED_EVAL
from tests.extraction.helpers import records_of

TEXT = ("Norway will donate 12 Archer howitzers to Ukraine, the defence ministry said.\n\n"
        "Norway is expected to send missiles to Ukraine later this year.")



def test_every_feature_has_a_weight_and_confidence_is_a_probability():
    assert set(confidence.weights()) == {"bias", *confidence.FEATURES}
    for record in records_of(TEXT):
        assert 0 < record.confidence < 1


def test_a_named_system_with_a_count_outranks_a_hedged_generic_one():
    named, hedged = records_of(TEXT)
    assert (named.system_id, named.quantity) == ("archer", 12)
    assert confidence.features_of(hedged)["hedged_sentence"]
    assert confidence.features_of(hedged)["generic_system"]
    assert named.confidence > hedged.confidence


def test_confidence_never_changes_which_records_are_extracted(monkeypatch):
    page = SAMPLE / "01_dod_400m_pda_may2024.html"
    from scrapers.parsing.parse import parse_document

    article = parse_document(page.read_bytes(), "text/html", str(page))
    fitted = [asdict(r) for r in extract_records(article)]
    monkeypatch.setattr(confidence, "weights", lambda: {name: 0.0 for name in ["bias", *confidence.FEATURES]})
    flat = [asdict(r) for r in extract_records(article)]
    assert {r["confidence"] for r in flat} == {0.5} and len({r["confidence"] for r in fitted}) > 1
    assert [{**r, "confidence": None} for r in flat] == [{**r, "confidence": None} for r in fitted]


@pytest.fixture(scope="module")
def calibration_report() -> str:
    if not (SHARED_EVAL / "dev" / "docs").is_dir():
        pytest.skip("../shared/eval is not beside the repo")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "calibrate_confidence.py"), "--current"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _tables(report: str) -> dict[str, dict[str, tuple[int, float | None]]]:
    tables = {}
    for block in report.split("\n\n")[1:]:
        title, *lines = block.splitlines()
        rows = [re.match(r"\| (.+?) \| (\d+) \| \d+ \| ([\d.]+|-) \|", line) for line in lines]
        tables[title.split(":")[0]] = {m[1]: (int(m[2]), None if m[3] == "-" else float(m[3])) for m in rows if m}
    return tables


def test_the_calibration_script_reports_bands_on_the_fit_and_the_held_out_pages(calibration_report):
    tables = _tables(calibration_report)
    assert set(tables) == {"fit", "held out", "all dev pages"}
    fit, held_out, everything = tables["fit"], tables["held out"], tables["all dev pages"]
    assert fit["all"][0] + held_out["all"][0] == everything["all"][0] > 500
    # Over all dev pages the lowest band is less often right than the highest. On the pages the
    # rules were written on, 99% of the records are right (rules-7), so their bands carry no order
    # of their own any more: the weights were fitted when fewer were.
    assert everything["0.00-0.80"][1] < everything[">= 0.95"][1]
    assert fit["all"][1] > held_out["all"][1]


def test_the_share_below_the_dbt_threshold_is_reported(calibration_report):
    threshold = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())["vars"][
        "review_confidence_threshold"]
    tables = _tables(calibration_report)
    below = re.findall(rf"below {threshold:.2f}: (\d+) of (\d+) records", calibration_report)
    assert len(below) == 3
    below_all, total = map(int, below[-1])
    assert total == tables["all dev pages"]["all"][0]
    # the bands under the threshold hold exactly the records it sends to review
    assert below_all == sum(n for band, (n, _) in tables["all dev pages"].items()
                            if band != "all" and float(band.split("-")[0].lstrip(">= ")) < threshold)
    assert 0.05 < below_all / total < 0.30
