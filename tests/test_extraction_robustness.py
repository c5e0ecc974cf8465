"""The dev-set score does not depend on file names or on the site template around the text, and
barely on the order of the text's blocks: one refresh through the real pipeline over the dev pages
and three variants of each, then the shared scorer on each set."""
import json
import shutil
import sys

import pytest

from orchestration.cli import main, run_nightly_job
from orchestration import settings
from tests.conftest import DEV_F1_FLOOR, SHARED_EVAL
from tests.page_variants import another_template, reordered

DEV = SHARED_EVAL / "dev"
VARIANTS = {
    "original": lambda page: (page.name, page.read_bytes()),
    "renamed": lambda page: (f"saved-page-{abs(hash(page.stem)) % 10**8:08d}{page.suffix}", page.read_bytes()),
    "template": lambda page: (f"tpl_{page.stem}.html", another_template(page).encode()),
    "reordered": lambda page: (f"rev_{page.stem}{page.suffix}", reordered(page).encode()),
}


@pytest.mark.skipif(not (DEV / "docs").is_dir(), reason="../shared/eval is not beside the repo")
def test_dev_score_survives_renaming_templates_and_reordering(tmp_path, monkeypatch):
    sys.path.insert(0, str(SHARED_EVAL))
    import score

    gold = score.load(DEV / "gold.jsonl")
    pages, golds = tmp_path / "pages", {}
    pages.mkdir()
    for variant, make in VARIANTS.items():
        golds[variant] = []
        for page in sorted((DEV / "docs").iterdir()):
            name, content = make(page)
            (pages / name).write_bytes(content)
            new_doc = score.doc_id(name)
            golds[variant] += [{**g, "doc": new_doc} for g in gold if g["doc"] == page.stem]

    for variable in (settings.WAREHOUSE_ENV, settings.BUILD_ENV):  # restored after the test
        monkeypatch.setenv(variable, "")
    settings.use_warehouse(tmp_path / "variants.duckdb")
    assert run_nightly_job(source_dirs=[str(pages)]).success
    records = tmp_path / "records.jsonl"
    assert main(["export", "--warehouse", str(tmp_path / "variants.duckdb"), "--out", str(records)]) == 0
    predicted = [json.loads(line) for line in records.read_text().splitlines()]

    scores = {variant: score.score(gold_rows, predicted)[:3] for variant, gold_rows in golds.items()}
    original = scores.pop("original")
    assert original[0] >= DEV_F1_FLOOR, original
    for variant, figures in scores.items():
        # A story is read in order: "the partners", a list's intro, the package a list of counts
        # belongs to, a request later refused, the group "the allies" belong to and the platform
        # "49 units" count all refer back to what came before, so blocks in reverse order move
        # some records (on the 120 dev pages 0.026 of F1 and 0.033 of precision with rules-7); a
        # file name or a site template moves none.
        tolerance = 0.04 if variant == "reordered" else 1e-6
        assert figures == pytest.approx(original, abs=tolerance), (variant, figures, original)
    shutil.rmtree(pages)
