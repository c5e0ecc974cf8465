"""Calibrate record confidence on the dev set of ../shared/eval, and show how well it holds.

    .venv/bin/python scripts/calibrate_confidence.py              # fit, print both tables
    .venv/bin/python scripts/calibrate_confidence.py --write      # ... and store the weights
    .venv/bin/python scripts/calibrate_confidence.py --current    # the tables of the stored weights

Extracts every dev page as scripts/extract_folder.py does and matches its records to the gold
ones with the scorer's own functions (../shared/eval/score.py, imported): required gold first,
then optional, a maximum matching per page. A record is right when it matches a gold record,
required or optional (an optional one is a record a careful analyst may keep), wrong otherwise.

The weights of the features of scrapers/extraction/confidence.py are fitted by an L2-regularised
logistic regression on four fifths of the pages; every fifth page by sorted name is held out,
and the bands are printed on both, so that the held-out table shows what the fitted confidence
is worth on pages it did not see. Also printed: the share of records below the review threshold
(the dbt var review_confidence_threshold, or --threshold).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from scrapers.extraction import confidence, extract_records  # noqa: E402
from scrapers.parsing.parse import parse_document  # noqa: E402
from scrapers.record_format import eval_record  # noqa: E402

EVAL_DIR = REPO.parent / "shared" / "eval"
DBT_PROJECT_FILE = REPO / "dbt_project" / "dbt_project.yml"
BANDS = (0.0, 0.8, 0.85, 0.9, 0.95, 1.01)  # band edges; the last band is [0.95, 1]
HELD_OUT_EVERY = 5  # every fifth page by sorted name is held out of the fit
L2 = 1.0  # the pull of every weight towards 0: with about 500 records, no feature fits one page's quirks
STEPS, RATE = 3000, 0.5


@dataclass
class Judged:
    page: str
    features: dict[str, bool]
    right: bool
    stored_confidence: float


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("eval_score", eval_dir / "score.py")
    if spec is None or not (eval_dir / "score.py").is_file():
        sys.exit(f"no scorer at {eval_dir / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judged_records(eval_dir: Path) -> list[Judged]:
    """Every record extracted from the dev pages, with its features and whether it is right."""
    scorer = load_scorer(eval_dir)
    gold: dict[str, list[dict]] = {}
    for row in scorer.load(eval_dir / "dev" / "gold.jsonl"):
        gold.setdefault(row["doc"], []).append(row)
    judged = []
    for path in sorted((eval_dir / "dev" / "docs").iterdir()):
        if path.suffix.lower() not in (".html", ".htm", ".txt"):
            continue
        article = parse_document(path.read_bytes(), "text/plain" if path.suffix == ".txt" else "text/html", str(path))
        records = extract_records(article)
        predicted = [eval_record({**asdict(r), "doc": path.stem}) for r in records]
        golds = gold.get(scorer.doc_id(path.name), [])
        required = [g for g in golds if not g["optional"]]
        optional = [g for g in golds if g["optional"]]
        matched = set(scorer.max_matching(required, predicted, set()).values())
        matched |= set(scorer.max_matching(optional, predicted, matched).values())
        judged += [Judged(path.name, confidence.features_of(r), n in matched, r.confidence)
                   for n, r in enumerate(records)]
    return judged


def held_out(page: str, pages: list[str]) -> bool:
    return pages.index(page) % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def fit(records: list[Judged]) -> dict[str, float]:
    """Logistic regression by gradient descent (a few hundred records, a handful of features:
    no library needed). The bias is not pulled towards 0."""
    names = list(confidence.FEATURES)
    w = {name: 0.0 for name in ["bias", *names]}
    n = len(records)
    for _ in range(STEPS):
        grad = {name: 0.0 for name in w}
        for r in records:
            error = confidence.score(r.features, w) - r.right
            grad["bias"] += error
            for name in names:
                if r.features[name]:
                    grad[name] += error
        w["bias"] -= RATE * grad["bias"] / n
        for name in names:
            w[name] -= RATE * (grad[name] + L2 * w[name]) / n
    return {name: round(value, 3) for name, value in w.items()}


def band_table(records: list[Judged], scores: list[float], threshold: float) -> list[str]:
    lines = ["| confidence | records | right | precision |", "|---|---|---|---|"]
    for low, high in zip(BANDS, BANDS[1:]):
        inside = [r for r, s in zip(records, scores) if low <= s < high]
        right = sum(r.right for r in inside)
        label = f"{low:.2f}-{high:.2f}" if high <= 1 else f">= {low:.2f}"
        lines.append(f"| {label} | {len(inside)} | {right} | {right / len(inside):.2f} |" if inside
                     else f"| {label} | 0 | 0 | - |")
    right = sum(r.right for r in records)
    lines.append(f"| all | {len(records)} | {right} | {right / len(records):.2f} |")
    below = [r for r, s in zip(records, scores) if s < threshold]
    lines.append(f"below {threshold:.2f}: {len(below)} of {len(records)} records "
                 f"({len(below) / len(records):.0%}), {sum(not r.right for r in below)} of them wrong; "
                 f"wrong records caught: {sum(not r.right for r in below)} of {sum(not r.right for r in records)}")
    return lines


def project_threshold() -> float:
    project = yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))
    return float(project["vars"]["review_confidence_threshold"])


def write_weights(fitted: dict[str, float], fit_pages: int, fit_records: int) -> None:
    text = (
        "# Weights of the confidence features (scrapers/extraction/confidence.py): a logistic score.\n"
        "# Written by scripts/calibrate_confidence.py --write, fitted on "
        f"{fit_pages} of the dev pages ({fit_records} records);\n"
        "# every fifth page by name is held out. A negative weight lowers confidence.\n"
        "weights:\n" + "".join(f"  {name}: {value}\n" for name, value in fitted.items()))
    confidence.WEIGHTS_FILE.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR, help="the folder of score.py and dev/")
    ap.add_argument("--threshold", type=float, help="review threshold (default: the dbt var review_confidence_threshold)")
    ap.add_argument("--current", action="store_true", help="report the stored weights instead of fitting new ones")
    ap.add_argument("--write", action="store_true", help="store the fitted weights in scrapers/data/confidence.yaml")
    a = ap.parse_args(argv)
    threshold = a.threshold if a.threshold is not None else project_threshold()
    records = judged_records(a.eval_dir)
    pages = sorted({r.page for r in records} | {p.name for p in (a.eval_dir / "dev" / "docs").iterdir()})
    fit_set = [r for r in records if not held_out(r.page, pages)]
    test_set = [r for r in records if held_out(r.page, pages)]
    fitted = confidence.weights() if a.current else fit(fit_set)
    print("weights:", ", ".join(f"{k} {v:+.2f}" for k, v in fitted.items()))
    for title, chosen in ((f"fit: four fifths of the pages ({len(pages) - len(pages) // HELD_OUT_EVERY})", fit_set),
                          (f"held out: every fifth page ({len(pages) // HELD_OUT_EVERY})", test_set),
                          ("all dev pages", records)):
        # --current: the confidence the extractor gave, the very figure stored in the warehouse
        scores = [r.stored_confidence if a.current else round(confidence.score(r.features, fitted), 2)
                  for r in chosen]
        print(f"\n{title}\n" + "\n".join(band_table(chosen, scores, threshold)))
    if a.write:
        write_weights(fitted, len(pages) - len(pages) // HELD_OUT_EVERY, len(fit_set))
        print(f"\nwrote {confidence.WEIGHTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
