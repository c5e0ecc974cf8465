"""The source registry: defaults, per-source settings and one clear error per mistake."""
import re
from dataclasses import replace

import pytest

from scrapers.fetching.sources import DEFAULT_REGISTRY, SourceError, adhoc_web_source, load_registry


def registry(tmp_path, text):
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_registry_loads_and_only_the_offline_sample_is_enabled():
    loaded = load_registry(DEFAULT_REGISTRY)
    assert [s.id for s in loaded.enabled()] == ["sample_corpus"]
    web = [s for s in loaded.sources if s.kind != "folder"]
    assert web and all(not s.enabled for s in web)
    assert {"rss", "url", "listing"} <= {s.kind for s in web}
    assert all(s.allowed_domains and s.location.startswith("https://") for s in web)
    assert {"defense_gov", "state_gov", "gov_uk", "nato", "bundesregierung"} <= {s.parser for s in web}
    assert loaded.http.respect_robots and loaded.http.min_interval_seconds >= 1


def test_defaults_apply_and_a_source_can_override_them(tmp_path):
    loaded = load_registry(registry(tmp_path, """
defaults:
  http: {timeout_seconds: 5, min_interval_seconds: 0.5}
  keywords: [ukrain]
sources:
  - {id: feed, kind: rss, url: "https://news.example.org/feed.xml"}
  - {id: all, kind: rss, url: "https://other.example.org/rss", keywords: [], allowed_domains: [example.org]}
"""))
    feed, everything = loaded.sources
    assert loaded.http.timeout_seconds == 5 and loaded.http.min_interval_seconds == 0.5
    assert loaded.http.retries == 3  # untouched defaults keep their value
    assert feed.keywords == ("ukrain",) and everything.keywords == ()
    assert feed.allowed_domains == ("news.example.org",)
    assert everything.allows("https://www.example.org/a") and not everything.allows("https://example.com/a")
    assert not feed.allows("ftp://news.example.org/a")
    # The rest of the code adjusts the policy with dataclasses.replace, which checks the types again.
    assert replace(loaded.http, retries=1).retries == 1 and replace(loaded.http, retries=1).timeout_seconds == 5


def test_text_is_normalised_as_before(tmp_path):
    """A single keyword or domain for a list, any case, a leading dot, blank optional fields."""
    [source] = load_registry(registry(tmp_path, """
defaults: {http: , keywords: Ukrain}
sources:
  - {id: a, kind: rss, url: "https://News.example.org/feed", allowed_domains: .Example.ORG, keywords: " Kyiv ",
     parser: , language: "", next_selector: "", description: }
""")).sources
    assert source.allowed_domains == ("example.org",) and source.keywords == ("kyiv",)
    assert (source.parser, source.language, source.next_selector, source.description) == (
        "generic", None, "a[rel~=next]", "")


@pytest.mark.parametrize("entry, message", [
    ("{id: a, kind: atom, url: 'https://x.org/'}", "kind must be one of"),
    ("{id: a, kind: rss, url: 'ftp://x.org/feed'}", "must be an http(s) address"),
    ("{id: a, kind: listing, url: 'https://x.org/news'}", "needs `link_selector`"),
    ("{id: a, kind: listing, url: 'https://x.org/news', link_selector: 'a[[['}", "not a valid CSS selector"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', max_items: 0}", "max_items must be a whole number"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', keyword: [x]}", "unknown fields keyword"),
    ("{id: a, kind: folder}", "needs `path`"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', parser: wikipedia}", "unknown parser 'wikipedia'"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', enabled: 'false'}", "enabled must be true or false"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', enabled: 0}", "enabled must be true or false"),
    ("{id: no, kind: rss, url: 'https://x.org/feed'}", "id must be text, not False"),
    ("{id: 2024, kind: rss, url: 'https://x.org/feed'}", "id must be text, not 2024"),
])
def test_a_mistake_in_a_source_is_named(tmp_path, entry, message):
    with pytest.raises(SourceError, match=re.escape(message)):
        load_registry(registry(tmp_path, f"sources:\n  - {entry}\n"))


def test_a_mistake_in_the_http_defaults_is_named(tmp_path):
    with pytest.raises(SourceError, match="unknown http settings timeout"):
        load_registry(registry(tmp_path, "defaults: {http: {timeout: 3}}\nsources: []\n"))
    with pytest.raises(SourceError, match="retries must be a whole number"):
        load_registry(registry(tmp_path, "defaults: {http: {retries: many}}\nsources: []\n"))


RSS = "kind: rss, url: 'https://x.org/feed'"


@pytest.mark.parametrize("text, message", [
    # booleans: a quoted one is text, and non-empty text would read as true
    (f"sources: [{{id: a, {RSS}, enabled: 'false'}}]",
     "source a: enabled must be true or false, not 'false' (write it without quotes)"),
    (f"sources: [{{id: a, {RSS}, enabled: 'no'}}]",
     "source a: enabled must be true or false, not 'no' (write it without quotes)"),
    (f"sources: [{{id: a, {RSS}, enabled: 1}}]", "source a: enabled must be true or false, not 1"),
    ("defaults: {http: {respect_robots: 'false'}}\nsources: []",
     "source registry REGISTRY: http setting respect_robots must be true or false, not 'false' "
     "(write it without quotes)"),
    # text that YAML read as something else: the source is then named by its place
    (f"sources: [{{id: no, {RSS}}}]", "source #1: id must be text, not False (quote it in the YAML)"),
    (f"sources: [{{id: a, {RSS}}}, {{id: 2024, {RSS}}}]",
     "source #2: id must be text, not 2024 (quote it in the YAML)"),
    (f"sources: [{{id: 2024-05-01, {RSS}}}]", "source #1: id must be text, not 2024-05-01 (quote it in the YAML)"),
    (f"sources: [{{id: a, {RSS}, language: no}}]", "source a: language must be text, not False (quote it in the YAML)"),
    (f"sources: [{{id: a, {RSS}, keywords: [ukrain, 2024]}}]",
     "source a: keywords must be a list of words; item 2 is 2024 (quote it in the YAML)"),
    # a list where text is expected
    (f"sources: [{{id: a, {RSS}, description: [one, two]}}]", "source a: description must be text, not ['one', 'two']"),
    ("sources: [{id: a, kind: rss, url: ['https://x.org/feed']}]",
     "source a: url must be an http(s) address, not ['https://x.org/feed']"),
    ("defaults: {http: {user_agent: [pledges, '0.2']}}\nsources: []",
     "source registry REGISTRY: http setting user_agent must be text, not ['pledges', '0.2']"),
    # numbers: text is not a number, nor is a fraction a whole number, nor true one second
    (f"sources: [{{id: a, {RSS}, max_items: '5'}}]",
     "source a: max_items must be a whole number of at least 1, not '5' (write it without quotes)"),
    (f"sources: [{{id: a, {RSS}, max_items: 2.5}}]", "source a: max_items must be a whole number of at least 1, not 2.5"),
    (f"sources: [{{id: a, {RSS}, max_pages: true}}]",
     "source a: max_pages must be a whole number of at least 1, not True"),
    (f"sources: [{{id: a, {RSS}, allowed_domains: 5}}]", "source a: allowed_domains must be a list of host names, not 5"),
    ("defaults: {http: {timeout_seconds: fast}}\nsources: []",
     "source registry REGISTRY: http setting timeout_seconds must be a number of seconds (0 or more), not 'fast'"),
    ("defaults: {http: {timeout_seconds: '5'}}\nsources: []",
     "source registry REGISTRY: http setting timeout_seconds must be a number of seconds (0 or more), not '5' "
     "(write it without quotes)"),
    ("defaults: {http: {retries: 2.5}}\nsources: []",
     "source registry REGISTRY: http setting retries must be a whole number (0 or more), not 2.5"),
    ("defaults: {http: {max_seconds_per_run: true}}\nsources: []",
     "source registry REGISTRY: http setting max_seconds_per_run must be a number of seconds (0 or more), not True"),
    ("defaults: {http: {min_interval_seconds: -1}}\nsources: []",
     "source registry REGISTRY: http setting min_interval_seconds must be a number of seconds (0 or more), not -1"),
    # misspelt settings are refused rather than left at their default
    ("defaults: {http: {timeout: 3, retry: 1}}\nsources: []",
     "source registry REGISTRY: unknown http settings timeout, retry (known: user_agent, timeout_seconds, retries, "
     "backoff_seconds, max_backoff_seconds, max_retry_after_seconds, min_interval_seconds, max_bytes, max_redirects, "
     "respect_robots, max_seconds_per_source, max_seconds_per_run, allow_networks)"),
    ("defaults: {keyword: [ukrain]}\nsources: []",
     "source registry REGISTRY: unknown keys under defaults: keyword (known: http, keywords)"),
    ("defaults: {http: {allow_networks: 127.0.0.0/8}}\nsources: []",
     "source registry REGISTRY: http setting allow_networks must be a list of CIDRs (such as [127.0.0.0/8]), "
     "not '127.0.0.0/8'"),
    # the file's own shape
    (f"sources: [{{id: a, {RSS}}}, {{id: a, {RSS}}}]", "source registry REGISTRY: more than one source has the id a"),
    (f"sources: [{{id: a, {RSS}}}, just text]", "source #2 is not a mapping"),
    (f"sources: [{{id: a, url: 'https://x.org/feed'}}]",
     "source a has no kind (it must be one of folder, url, rss, sitemap, listing)"),
    ("sources: [{id: a, kind: rss}]", "source a: kind rss needs `url` (an http(s) address)"),
    ("sources:", "source registry REGISTRY: sources must be a list of sources, not None"),
])
def test_yaml_values_of_the_wrong_type_are_refused_in_one_line(tmp_path, text, message):
    path = registry(tmp_path, text + "\n")
    with pytest.raises(SourceError) as refused:
        load_registry(path)
    assert str(refused.value).replace(str(path), "REGISTRY") == message


def test_an_ad_hoc_address_is_confined_to_its_host():
    source = adhoc_web_source("https://www.gov.uk/search/news.atom", "rss")
    assert source.allowed_domains == ("www.gov.uk",) and source.keywords == ()
    assert source.id.startswith("adhoc:www.gov.uk:")
    with pytest.raises(SourceError, match="--kind must be one of"):
        adhoc_web_source("https://www.gov.uk/", "folder")
    with pytest.raises(SourceError, match=re.escape("--source-url must be an http(s) address, not 'file:///etc/passwd'")):
        adhoc_web_source("file:///etc/passwd")
