"""The grammar words are data: one file per language, read into the patterns the rules use."""
import shutil

import pytest

from scrapers.extraction import grammar
from scrapers.extraction.grammar import GRAMMAR_DIR, load_words


def test_every_language_file_fills_only_the_slots_english_names(tmp_path):
    shutil.copy(GRAMMAR_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "fr.yaml").write_text("munitoin_nouns: [obus]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown slot 'munitoin_nouns'"):
        load_words(("en", "fr"), tmp_path)


def test_a_word_that_yaml_reads_as_a_boolean_is_refused(tmp_path):
    shutil.copy(GRAMMAR_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "de.yaml").write_text("location_prepositions: [in, on, an]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="location_prepositions.*True.*quote"):
        load_words(("en", "de"), tmp_path)


def test_a_language_is_added_as_a_file(tmp_path):
    shutil.copy(GRAMMAR_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "fr.yaml").write_text("munition_nouns: [obus, munitions]\nfor: [pour]\n", encoding="utf-8")
    words = load_words(("en", "fr"), tmp_path)
    assert words["munition_nouns"][-2:] == ["obus", "munitions"] and words["for"] == ["for", "pour"]
    assert words["negation"] == load_words(("en",))["negation"]  # a slot it leaves out keeps English only


def test_the_shipped_languages_fill_the_patterns():
    assert set(grammar.LANGUAGES) == {p.stem for p in GRAMMAR_DIR.glob("*.yaml")}
    assert grammar.MUNITION_AFTER.match(" Lenkflugkörper") and grammar.MUNITION_AFTER.match(" interceptors")
    assert grammar.LIST_GAP.match(" sowie ") and grammar.LIST_GAP.match(", as well as ")
    assert grammar.GERMAN_FUTURE.search("Die Systeme werden im Sommer geliefert")
    assert not grammar.GERMAN_FUTURE.search("Die Systeme werden genannt, die geliefert wurden")
    assert grammar.NEGATION_BEFORE.search("has not yet ") and grammar.NEGATION_BEFORE.search("noch nicht ")
    assert grammar.GIVER_AFTER.fullmatch(" supplied by the ") and grammar.GIVER_AFTER.fullmatch(" aus dem ")
