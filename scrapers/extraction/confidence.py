"""How likely a record is right: a logistic score over named features of the finished record.

Each feature is a small function of the record (its fields, its sentence and the rules that made
it, `trace`); the weights are data (scrapers/data/confidence.yaml), fitted on four fifths of the
dev pages of ../shared/eval by scripts/calibrate_confidence.py, which also prints how often the
records of each confidence band are right on the fifth it did not see. Confidence never decides
what is extracted: it is set on the finished records, for reviewers.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from scrapers.models import PledgeRecord
from scrapers.reference import lexicon

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "confidence.yaml"

# Words that make a sentence a plan, a possibility or hearsay rather than a commitment.
HEDGING = re.compile(
    r"\b(could|may|might|would|consider(?:s|ing)?|reportedly|expected|plans?|planned|intends?|discuss(?:es|ing)?"
    r"|könnte[n]?|soll(?:en)?|erwäg\w*|prüf\w*|pourrai(?:en)?t|envisag\w*|devrai(?:en)?t)\b",
    re.IGNORECASE)


def _rule(prefix: str) -> Callable[[PledgeRecord], bool]:
    return lambda record: any(rule.startswith(prefix) for rule in record.trace)


def _generic_system(record: PledgeRecord) -> bool:
    """An item read as a kind of thing ("missiles", "tanks") rather than a named system."""
    if record.kind != "item":
        return False
    system = lexicon().systems.get(record.system_id or "")
    return system is None or system.generic


@lru_cache(maxsize=64)
def _hedged(sentence: str) -> bool:
    # Cached: a sentence that lists many items gives many records, and searching it again for
    # each made a page of one long list take time in the square of its length.
    return bool(HEDGING.search(sentence))


# The features, in the order of the weights file. Each says something the dev set showed to
# matter for whether a record is right.
FEATURES: dict[str, Callable[[PledgeRecord], bool]] = {
    # the giver is not named in the sentence: it comes from the page or an earlier sentence
    "donor_from_document": _rule("giver:page_or_earlier_donor"),
    # the giver is a country named in the sentence but not in a giving role
    "donor_by_weak_rule": lambda r: any(t in r.trace for t in ("giver:first_donor_in_sentence",
                                                               "giver:giver_named_after")),
    # the status comes from the context (a list's intro, an inclusion clause), not a cue word
    "status_from_context": _rule("status:context="),
    "delivered_or_rejected": lambda r: r.status != "pledged",
    "item_without_quantity": lambda r: r.kind == "item" and r.quantity is None,
    "generic_system": _generic_system,
    "money_record": lambda r: r.kind in ("package", "aggregate"),
    "part_of_a_package": lambda r: r.package_index is not None,
    # the page says it twice (a headline and its body, a summary and its list)
    "repeated_on_page": _rule("resolve:merged_repeat"),
    "hedged_sentence": lambda r: _hedged(r.sentence),
}


def features_of(record: PledgeRecord) -> dict[str, bool]:
    return {name: bool(test(record)) for name, test in FEATURES.items()}


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    data = yaml.safe_load(WEIGHTS_FILE.read_text(encoding="utf-8"))
    missing = (set(FEATURES) | {"bias"}) - set(data["weights"])
    if missing:
        raise ValueError(f"{WEIGHTS_FILE}: no weight for {', '.join(sorted(missing))}")
    return {name: float(value) for name, value in data["weights"].items()}


def score(features: dict[str, bool], fitted: dict[str, float]) -> float:
    """The logistic score of a feature set under the given weights, in [0, 1]."""
    z = fitted["bias"] + sum(fitted[name] for name, on in features.items() if on)
    return 1 / (1 + math.exp(-z))


def set_confidence(records: list[PledgeRecord]) -> None:
    """Give each finished record of a page its confidence."""
    fitted = weights()
    for record in records:
        record.confidence = round(score(features_of(record), fitted), 2)
