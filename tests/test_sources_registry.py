"""The source registry: defaults, per-source settings and one clear error per mistake."""
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


@pytest.mark.parametrize("entry, message", [
    ("{id: a, kind: atom, url: 'https://x.org/'}", "kind must be one of"),
    ("{id: a, kind: rss, url: 'ftp://x.org/feed'}", "must be an http(s) address"),
    ("{id: a, kind: listing, url: 'https://x.org/news'}", "needs `link_selector`"),
    ("{id: a, kind: listing, url: 'https://x.org/news', link_selector: 'a[[['}", "not a valid CSS selector"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', max_items: 0}", "`max_items` must be a whole number"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', keyword: [x]}", "unknown fields keyword"),
    ("{id: a, kind: folder}", "needs `path`"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', parser: wikipedia}", "unknown parser 'wikipedia'"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', enabled: 'false'}", "`enabled` must be true or false"),
    ("{id: a, kind: rss, url: 'https://x.org/feed', enabled: 0}", "`enabled` must be true or false"),
    ("{id: no, kind: rss, url: 'https://x.org/feed'}", "`id` must be text, not False"),
    ("{id: 2024, kind: rss, url: 'https://x.org/feed'}", "`id` must be text, not 2024"),
])
def test_a_mistake_in_a_source_is_named(tmp_path, entry, message):
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_registry(registry(tmp_path, f"sources:\n  - {entry}\n"))


def test_a_mistake_in_the_http_defaults_is_named(tmp_path):
    with pytest.raises(SourceError, match="unknown http settings timeout"):
        load_registry(registry(tmp_path, "defaults: {http: {timeout: 3}}\nsources: []\n"))
    with pytest.raises(SourceError, match="retries must be a whole number"):
        load_registry(registry(tmp_path, "defaults: {http: {retries: many}}\nsources: []\n"))


def test_an_ad_hoc_address_is_confined_to_its_host():
    source = adhoc_web_source("https://www.gov.uk/search/news.atom", "rss")
    assert source.allowed_domains == ("www.gov.uk",) and source.keywords == ()
    assert source.id.startswith("adhoc:www.gov.uk:")
    with pytest.raises(SourceError, match="--kind must be one of"):
        adhoc_web_source("https://www.gov.uk/", "folder")
