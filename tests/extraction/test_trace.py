"""Every record names the rules that made it; with an Explanation, every candidate set aside
names the rule that set it aside. The rule lists are plain lists of named functions."""
from scrapers.extraction import Explanation, extract_records
from scrapers.extraction.relate import GIVER_RULES, MONEY_KIND_RULES, SENTENCE_GATES
from scrapers.extraction.resolve import DOCUMENT_RULES
from scrapers.models import Article
from tests.extraction.helpers import PUBLISHED, records_of


def explained(text: str):
    explanation = Explanation()
    records = extract_records(Article("", text, PUBLISHED, "en", None, "test"), explanation)
    return records, explanation


def rules_set_aside(explanation: Explanation) -> list[tuple[str, str]]:
    return [(d.what, d.rule) for d in explanation.dropped]


def test_the_rule_lists_are_named_functions_in_order():
    for rules in (SENTENCE_GATES, MONEY_KIND_RULES, GIVER_RULES, DOCUMENT_RULES):
        assert all(callable(rule) and rule.__name__ != "<lambda>" for rule in rules)
    assert SENTENCE_GATES[0].__name__ == "nothing_named"
    assert MONEY_KIND_RULES[-1].__name__ == "package_otherwise"


def test_an_item_names_its_giver_rule():
    before, after = records_of("Germany will send 10 Leopard 2 tanks.\n\n"
                               "10 Patriot launchers will be supplied by Canada.")
    assert before.trace == ["item:system_found", "status:sentence_cue=pledged", "giver:nearest_donor_before",
                            "quantity:count_before"]
    assert "giver:giver_named_after" in after.trace


def test_a_clause_status_and_coordinated_givers_are_traced():
    records = records_of("Denmark and the Netherlands have delivered F-16 jets, while Germany ruled out Taurus.")
    traces = {(r.donor_code, r.system_id): r.trace for r in records}
    assert any("giver:coordinated_with_giver" in t for t in traces.values())
    assert any("status:clause_cue=rejected" in t for t in traces.values())


def test_money_records_name_the_rule_that_decided_their_kind():
    records = records_of("The United States will provide a $400 million package. "
                         "Since 2022, the United States has committed a total of $50 billion.")
    by_kind = {r.kind: r.trace for r in records}
    assert "money:package_otherwise" in by_kind["package"]
    assert "money:aggregate_cue" in by_kind["aggregate"]


def test_a_headline_total_is_marked_by_the_document_pass():
    records = records_of("Canada will provide $500 million in military aid. "
                         "The package includes $300 million for drones. "
                         "Canada will also provide $200 million in a further package for air defence.")
    assert any("resolve:headline_total_of_parts" in r.trace for r in records if r.kind == "package")


def test_candidates_set_aside_name_their_rule():
    _, explanation = explained("Ukraine's air defences are under strain. "
                               "Allies have sent 20 Leopard 2 tanks to Ukraine.")
    set_aside = rules_set_aside(explanation)
    assert ("Air defense systems", "system:owned_by_recipient_or_aggressor") in set_aside
    assert any(rule == "gate:others_give" for _, rule in set_aside)
    assert explanation.gates and set(explanation.gates.values()) <= {f"gate:{g.__name__}" for g in SENTENCE_GATES}


def test_without_an_explanation_nothing_is_kept(monkeypatch):
    """A nightly run passes no Explanation: the rules must not record into one (or build one)."""
    def refuse(*args, **kwargs):
        raise AssertionError("an explanation was written without being asked for")

    for method in ("drop", "gate", "saw"):
        if hasattr(Explanation, method):
            monkeypatch.setattr(Explanation, method, refuse)
    monkeypatch.setattr(Explanation, "__init__", refuse)
    records = records_of("Norway will send 5 NASAMS launchers. Ukraine's air defences are under strain.")
    assert records and records[0].trace
