"""One page as the extractor sees it, for a person: blocks, sentences and the spans found in
each, every record with the rules that made it, and every candidate set aside with the rule
that set it aside. Read by `pledges explain`.
"""
from __future__ import annotations

from scrapers.dates import resolve_relative
from scrapers.extraction import EXTRACTOR_VERSION, Explanation, extract_records, reading_language, status_of
from scrapers.extraction.annotate import SentenceSpans
from scrapers.extraction.numbers import find_rates
from scrapers.extraction.segment import clause_bounds, split_blocks
from scrapers.models import Article, PledgeRecord
from scrapers.reference import Lexicon, lexicon

STATUS_CUES = ("rejected", "delivered", "pledged")
# The other cue lists of scrapers/data/cues.yaml that a gate or rule reads.
OTHER_CUES = ("inclusion", "not_a_pledge", "not_pledge_context", "legislation", "other_parties", "support")
PREVIEW = 100


def explain(article: Article) -> str:
    explanation = Explanation()
    records = extract_records(article, explanation)
    lex = lexicon()
    language = reading_language(article)
    lines = [f"page: {article.title or '(no title)'}",
             f"language {article.language or '?'}, published {article.published_date or '?'}, "
             f"publisher {article.publisher or '?'}, extractor {EXTRACTOR_VERSION}", "", "BLOCKS"]
    for block in split_blocks(article.title, article.text):
        where = "title" if block.start < 0 else f"{block.start}-{block.end}"
        note = "  (not read)" if block.start < 0 or block.kind == "caption" else ""
        lines.append(f"  [{block.kind}] {where}: {_preview(block.text)}{note}")
    lines += ["", "SENTENCES"]
    for n, spans in enumerate(explanation.sentences, 1):
        lines += _sentence_lines(n, spans, explanation, article, language, lex)
    lines += ["", f"RECORDS ({len(records)})"]
    for n, record in enumerate(records, 1):
        lines.append(f"  {n}. {describe(record)}")
        lines.append(f"     rules: {' > '.join(record.trace)}")
    lines += ["", f"SET ASIDE ({len(explanation.dropped)})"]
    numbers = {spans.sentence.start: n for n, spans in enumerate(explanation.sentences, 1)}
    for dropped in explanation.dropped:
        lines.append(f"  - {dropped.what} (sentence {numbers.get(dropped.sentence_start, '?')}): {dropped.rule}")
    return "\n".join(lines) + "\n"


def describe(record: PledgeRecord) -> str:
    parts = [record.kind, record.donor_code, record.status]
    if record.system_name:
        parts.append(record.system_name)
    if record.quantity is not None:
        parts.append(f"x{record.quantity}" + (f" per {record.quantity_per}" if record.quantity_per else ""))
    if record.value is not None:
        parts.append(f"{record.value:,.0f} {record.currency}")
    if record.is_headline_total:
        parts.append("(headline total)")
    return " ".join(parts) + f"  [chars {record.span_start}-{record.span_end}]"


def _sentence_lines(n: int, spans: SentenceSpans, explanation: Explanation, article: Article, language: str,
                    lex: Lexicon) -> list[str]:
    sentence, text = spans.sentence, spans.sentence.text
    gate = explanation.gates.get(sentence.start, "read")
    lines = [f"  {n}. paragraph {sentence.paragraph}, chars {sentence.start}-{sentence.end} -> {gate}",
             f"     {_preview(text, 400)}"]
    donors = {id(d) for d in spans.donors}
    bounds = clause_bounds(text)
    found = {
        "parties": [f"{text[p.start:p.end]}={p.code}" + ("" if id(p) in donors else " (not a giver)")
                    for p in spans.parties],
        "systems": [f"{text[m.start:m.end]}={m.system.canonical_name}" for m in spans.systems],
        "money": [f"{a.text}={a.value:,.0f} {a.currency}" for a in spans.amounts],
        "quantities": [f"{m.quantity.value}{' ' + m.quantity.qualifier if m.quantity.qualifier else ''}"
                       f" {m.system.canonical_name}" for m in spans.systems if m.quantity and m.quantity.value]
        + [f"{q.value} per {q.per}" for _, q in find_rates(text, language)],
        "clauses": [" | ".join(repr(text[a:b].strip()) for a, b in zip(bounds, bounds[1:]))] if len(bounds) > 2 else [],
        "cues": _cues(text, lex),
        "date": [str(d) for d in [resolve_relative(text, article.published_date)] if d],
        "set aside": [f"{d.what}: {d.rule}" for d in spans.dropped or []],
    }
    lines += [f"     {label}: {'; '.join(values)}" for label, values in found.items() if values]
    return lines


def _cues(text: str, lex: Lexicon) -> list[str]:
    status, _ = status_of(text, lex)
    found = [f"status={status}"] if status else []
    for name in STATUS_CUES:
        found += [f"{name} '{m[0]}'" for m in lex.cues["status"][name].finditer(text)]
    for name in OTHER_CUES:
        found += [f"{name} '{m[0]}'" for m in lex.cues[name].finditer(text)]
    return found


def _preview(text: str, limit: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
