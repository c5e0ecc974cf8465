"""Resolve: the document pass over the draft records of a page.

In order (DOCUMENT_RULES): generic items named after the specific system a later sentence
counts the same, or after the page's one model of their kind; repeats merged into one record per
claim (a headline restated in the body, a quantity given twice); packages that are the sum of
other packages of their donor marked as headline totals; bare pledges of support kept only for
donors with nothing more specific; uncounted kinds that sum up systems their giver names elsewhere
dropped, and a generic munition listed only with such kinds; background pledges dropped.
"""
from __future__ import annotations

from scrapers.extraction.assemble import Draft
from scrapers.extraction.grammar import CATCH_ALL_ITEM
from scrapers.extraction.explanation import Dropped, Explanation
from scrapers.models import PledgeRecord
from scrapers.reference import Lexicon, System


def resolve_document(draft: Draft, lex: Lexicon, explanation: Explanation | None = None) -> list[PledgeRecord]:
    records = draft.records
    kept = records
    for rule in DOCUMENT_RULES:
        kept = rule(kept, draft, lex, explanation)
    # package_index pointed into the draft; re-point it into the result
    position = {id(r): n for n, r in enumerate(kept)}
    for r in kept:
        if r.package_index is not None:
            package = records[r.package_index] if r.package_index < len(records) else None
            r.package_index = position.get(id(package))
    return kept


def name_generic_items(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                       explanation: Explanation | None) -> list[PledgeRecord]:
    """'650 missiles' pledged, later 'the 650 Lightweight Multirole Missiles': the item is the LMM.
    (A kind the page names one model of is name_kinds_after_the_pages_one_model.)"""
    loose: list[tuple[System, int, int]] = draft.loose_specifics
    for r in records:
        if r.kind != "item" or not r.quantity or r.quantity < 2:
            continue
        current = lex.systems.get(r.system_id)
        if current is not None and not current.generic:
            continue
        same_count = [system for system, quantity, _ in loose if quantity == r.quantity]
        if same_count:
            system = same_count[0]
            r.system_id, r.system_name, r.category = system.system_id, system.canonical_name, system.category
            r.is_munition = system.is_munition
            r.trace.append("resolve:generic_named_by_same_count")
    return records


def name_kinds_after_the_pages_one_model(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                                         explanation: Explanation | None) -> list[PledgeRecord]:
    """'Germany sends Leopard 2 ... Portugal had pledged three tanks': a generic kind on a page whose
    named systems of its category are all one model of that kind (its variants too: "Leopard 2 A6")
    is that model, the first named. The kind comes from the taxonomy's names (Lexicon.kind_of), so
    that '162 armoured vehicles' stay armoured vehicles beside the page's Challenger 2 main battle
    tanks, and 'anti-armor equipment' stays generic beside AT4s and Javelins."""
    named = [lex.systems[r.system_id] for r in records if r.kind == "item" and r.system_id in lex.systems]
    named += [system for system, _, _ in sorted(draft.loose_specifics, key=lambda loose: loose[2])]
    models_by_category: dict[str, list[System]] = {}
    for system in named:
        if not system.generic and not system.is_munition:
            models = models_by_category.setdefault(system.category, [])
            if system not in models:
                models.append(system)
    counted_models_in = {r.sentence for r in records if r.kind == "item" and r.quantity and r.system_id in lex.kind_of}
    for r in records:
        current = lex.systems.get(r.system_id)
        if r.kind != "item" or current is None or not current.generic:
            continue
        models = models_by_category.get(current.category, [])
        if not models or any(lex.kind_of.get(m.system_id) != current.system_id or _family(m) != _family(models[0])
                             for m in models):
            continue
        model = models[0]
        if r.quantity and r.sentence in counted_models_in:
            continue  # "19 CAESAR howitzers and 20 more self-propelled howitzers": counted beside the model
        r.system_id, r.system_name, r.category = model.system_id, model.canonical_name, model.category
        r.is_munition = model.is_munition
        r.trace.append("resolve:kind_named_by_the_pages_one_model")
    return records


def _family(system: System) -> str:
    return system.canonical_name.split()[0]  # "Leopard 2" and "Leopard 2 A6"


def without_restated_headline(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                              explanation: Explanation | None) -> list[PledgeRecord]:
    """A headline restates the body: its record is dropped where the body states that kind of
    claim itself (a money figure beside the body's own, perhaps converted or rounded; an item of a
    category the body names a specific system of; a generic item where the body names it again or a
    specific system of its category for its donor, or any item for "military equipment"), so that
    no second record, and no status the body contradicts, comes from it."""
    headline_end = draft.headline_end
    if headline_end is None:
        return records
    body = [r for r in records if r.span_start >= headline_end]

    def specific(r: PledgeRecord) -> bool:
        return r.system_id in lex.systems and not lex.systems[r.system_id].generic

    def restated(r: PledgeRecord) -> bool:
        if r.kind in ("package", "aggregate"):
            return any(b.kind in ("package", "aggregate") for b in body)
        if r.kind == "item":
            if not specific(r):  # "military equipment" sums up any item of its giver
                return any(b.kind == "item" and b.donor_code == r.donor_code and (
                    b.system_id == r.system_id or r.system_id == CATCH_ALL_ITEM or
                    (b.category == r.category and specific(b))) for b in body)
            return any(b.kind == "item" and b.category == r.category and specific(b) for b in body)
        return any(b.donor_code == r.donor_code for b in body)

    kept = []
    for r in records:
        if r.span_start < headline_end and restated(r):
            if explanation is not None:
                explanation.dropped.append(_dropped(r, "resolve:headline_restated_in_body"))
            continue
        kept.append(r)
    return kept


def merge_repeats(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                  explanation: Explanation | None) -> list[PledgeRecord]:
    """One record per claim: a headline repeated in the body, a quantity restated."""
    kept: list[PledgeRecord] = []
    # A claim's twin shares its claim key; among those, an item's twin has its quantity or none.
    # Looking only there keeps a page that lists thousands of quantities linear.
    kept_by_key: dict[tuple, dict[object, list[tuple[int, PledgeRecord]]]] = {}
    for r in records:
        by_quantity = kept_by_key.setdefault(_claim_key(r), {})
        if r.kind == "item" and r.quantity is not None:
            candidates = sorted(by_quantity.get(r.quantity, []) + by_quantity.get(None, []), key=lambda c: c[0])
        else:
            candidates = sorted((c for group in by_quantity.values() for c in group), key=lambda c: c[0])
        twin = next((k for _, k in candidates if _same_claim(k, r)), None)
        if twin is None:
            by_quantity.setdefault(r.quantity if r.kind == "item" else None, []).append((len(kept), r))
            kept.append(r)
            continue
        if r.kind == "item" and twin.quantity is None and r.quantity is not None:
            twin.quantity, twin.quantity_per, twin.quantity_qualifier = r.quantity, r.quantity_per, r.quantity_qualifier
            twin.trace.append("resolve:quantity_from_repeat")
        if twin.package_index is None and r.package_index is not None:
            twin.package_index = r.package_index
        if twin.kind == "package" and twin.channel is None:
            twin.channel = r.channel
        twin.trace.append("resolve:merged_repeat")
        if explanation is not None:
            explanation.dropped.append(_dropped(r, "resolve:repeat_of_earlier_record"))
    return kept


def _claim_key(r: PledgeRecord) -> tuple:
    """What two records of one claim always share (every equality _same_claim asks for)."""
    if r.kind == "item":
        return (r.kind, r.donor_code, r.system_id, r.status, r.quantity_per)
    if r.kind in ("package", "aggregate"):
        return (r.kind, r.donor_code, r.currency, r.status)
    return (r.kind, r.donor_code, r.status)


def _same_claim(a: PledgeRecord, b: PledgeRecord) -> bool:
    if a.kind != b.kind or a.donor_code != b.donor_code:
        return False
    if a.kind == "item":
        return (a.system_id == b.system_id and a.status == b.status and a.quantity_per == b.quantity_per and
                (a.quantity == b.quantity or a.quantity is None or b.quantity is None) and
                (a.package_index == b.package_index or a.package_index is None or b.package_index is None or
                 (a.quantity is None and b.quantity is None)))  # an uncounted kind named again is no second item
    if a.kind in ("package", "aggregate"):
        return a.currency == b.currency and a.value is not None and b.value is not None and \
            abs(a.value - b.value) <= _same_value_tolerance(a, b) * max(a.value, b.value) and a.status == b.status
    return a.status == b.status


def _same_value_tolerance(a: PledgeRecord, b: PledgeRecord) -> float:
    """"Fast 6 Milliarden Euro" in a headline and "5,97 Milliarden Euro" in the body: a rounded
    amount is the same as one it rounds."""
    return 0.02 if "about" in (a.value_qualifier, b.value_qualifier) else 0.001


def mark_headline_totals(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                         explanation: Explanation | None) -> list[PledgeRecord]:
    """A package equal to the sum of two or more other packages of its donor is their headline."""
    packages = [r for r in records if r.kind == "package"]
    for whole in packages:
        parts = [p for p in packages if p is not whole and p.donor_code == whole.donor_code
                 and p.currency == whole.currency and p.value < whole.value]
        if len(parts) >= 2 and _subset_sums_to(sorted(p.value for p in parts), whole.value):
            whole.is_headline_total = True
            whole.trace.append("resolve:headline_total_of_parts")
    return records


def _subset_sums_to(values: list[float], target: float) -> bool:
    sums = {0.0}
    for v in values[:12]:
        sums |= {s + v for s in sums}
    return any(abs(s - target) <= 0.005 * target for s in sums if s != 0 and s not in values)


def support_only_without_specifics(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                                   explanation: Explanation | None) -> list[PledgeRecord]:
    """A bare pledge of support only for a donor with nothing more specific on the page, once."""
    specific_donors = {r.donor_code for r in records if r.kind != "support"}
    result, seen_support = [], set()
    for r in records:
        if r.kind == "support":
            if r.donor_code in specific_donors or r.donor_code in seen_support:
                if explanation is not None:
                    rule = "resolve:support_of_donor_with_specifics" if r.donor_code in specific_donors \
                        else "resolve:support_repeated"
                    explanation.dropped.append(_dropped(r, rule))
                continue
            seen_support.add(r.donor_code)
        result.append(r)
    return result


def without_summary_kinds(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                          explanation: Explanation | None) -> list[PledgeRecord]:
    """'will support Ukraine with more air defence and tanks' on a page whose giver names its IRIS-T
    and Leopards elsewhere: an uncounted kind sums up the named systems of its category, no item.
    A list of what a package includes ("includes artillery rounds, air-defense systems, ...") keeps
    its kinds: they are its lines."""
    def named(r: PledgeRecord) -> bool:
        system = lex.systems.get(r.system_id)
        return r.kind == "item" and system is not None and not system.generic
    sentences_naming: dict[tuple, set[str]] = {}  # (giver, category, munition) -> sentences naming one
    for r in records:
        if named(r):
            sentences_naming.setdefault((r.donor_code, r.category, bool(r.is_munition)), set()).add(r.sentence)
    kept, summing_up = [], set()
    for r in records:
        system = lex.systems.get(r.system_id)
        elsewhere = sentences_naming.get((r.donor_code, r.category, bool(r.is_munition)), set()) - {r.sentence}
        if r.kind == "item" and system is not None and system.generic and not r.quantity and elsewhere \
                and not lex.cues["inclusion"].search(r.sentence):
            if explanation is not None:
                explanation.dropped.append(_dropped(r, "resolve:kind_summing_up_named_systems"))
            summing_up.add(r.sentence)
            continue
        kept.append(r)
    summing_up |= {r.sentence for r in kept if _names_a_model(r, lex)}
    return _without_munition_beside_summing_up(kept, summing_up, sentences_naming, lex, explanation)


def _without_munition_beside_summing_up(records: list[PledgeRecord], summing_up: set[str],
                                        sentences_naming: dict[tuple, set[str]], lex: Lexicon,
                                        explanation: Explanation | None) -> list[PledgeRecord]:
    """'will support Ukraine with more air defence, tanks and ammunition': an uncounted generic
    munition listed only with kinds that sum up named systems (or name the page's one model of
    them) sums up too, where its giver names munitions of some system elsewhere on the page."""
    if not summing_up:
        return records
    munitions_named = {donor for (donor, _, munition), sentences in sentences_naming.items() if munition}
    kept = []
    for r in records:
        system = lex.systems.get(r.system_id)
        if r.kind == "item" and r.sentence in summing_up and system is not None and system.generic and \
                system.is_munition and not r.quantity and r.donor_code in munitions_named and \
                all(o.sentence != r.sentence or o is r or _names_a_model(o, lex) for o in records):
            if explanation is not None:
                explanation.dropped.append(_dropped(r, "resolve:munition_beside_kinds_summing_up"))
            continue
        kept.append(r)
    return kept


def _names_a_model(record: PledgeRecord, lex: Lexicon) -> bool:
    system = lex.systems.get(record.system_id)
    return system is not None and not system.generic and "resolve:kind_named_by_the_pages_one_model" in record.trace


def without_background(records: list[PledgeRecord], draft: Draft, lex: Lexicon,
                       explanation: Explanation | None) -> list[PledgeRecord]:
    """An earlier pledge recalled as background ("Australia has previously donated ...", "as
    announced last month") is no new pledge of the page: its items, packages and support go.
    Totals stay: a running total is as of the day it is reported."""
    recalled: dict[str, bool] = {}  # sentence -> whether it recalls; records share sentences
    kept = []
    for r in records:
        if r.kind != "aggregate":
            if r.sentence not in recalled:
                recalled[r.sentence] = bool(lex.cues["background"].search(r.sentence))
            if recalled[r.sentence]:
                if explanation is not None:
                    explanation.dropped.append(_dropped(r, "resolve:recalled_as_background"))
                continue
        kept.append(r)
    return kept


DOCUMENT_RULES = [name_generic_items, name_kinds_after_the_pages_one_model, without_restated_headline, merge_repeats,
                  mark_headline_totals, support_only_without_specifics, without_summary_kinds, without_background]


def _dropped(record: PledgeRecord, rule: str) -> Dropped:
    what = f"{record.kind} {record.donor_code} {record.system_name or record.value or ''}".strip()
    return Dropped(record.span_start, what, rule)
