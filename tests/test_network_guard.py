"""The fetcher connects to the public internet only, unless a network is allowed by name: a
registry entry or `--source-url` pointing at a cloud metadata service or a private address, or
a page redirecting there, is refused before a byte is sent (the SSRF guard)."""
import pytest
from pytest_httpserver import HTTPServer

from scrapers.fetching.http_client import HttpClient
from scrapers.fetching.network_guard import ALLOW_NETWORKS_ENV, parse_networks, refusal
from scrapers.fetching.sources import HttpPolicy, SourceError, load_registry

POLICY = HttpPolicy(min_interval_seconds=0, retries=0, respect_robots=False, timeout_seconds=2)


@pytest.mark.parametrize("address, kind", [
    ("169.254.169.254", "link-local"),   # the cloud metadata service
    ("10.1.2.3", "private"),
    ("172.16.0.9", "private"),
    ("192.168.1.1", "private"),
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("::ffff:10.0.0.1", "private"),      # an IPv4 address written as IPv6
    ("fe80::1", "link-local"),
    ("100.64.0.1", "non-public"),        # carrier-grade NAT
    ("0.0.0.0", "private"),             # "this host"
    ("224.0.0.1", "multicast"),
    ("64:ff9b::7f00:1", "loopback"),     # 127.0.0.1 through NAT64
    ("2002:a00:1::1", "private"),        # 10.0.0.1 through 6to4
    ("::127.0.0.1", "loopback"),         # the old IPv4-compatible form
])
def test_addresses_outside_the_public_internet_are_refused(address, kind):
    why = refusal(address, ())
    assert why is not None and kind in why and ALLOW_NETWORKS_ENV in why


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "193.0.6.139"])
def test_public_addresses_pass(address):
    assert refusal(address, ()) is None


def test_an_allowed_network_passes_and_only_that_one():
    allowed = parse_networks(["127.0.0.0/8", "10.20.0.0/16"], "test")
    assert refusal("127.0.0.1", allowed) is None and refusal("10.20.3.4", allowed) is None
    assert refusal("10.21.0.1", allowed) is not None and refusal("::1", allowed) is not None


@pytest.fixture
def no_allowed_networks(monkeypatch):
    monkeypatch.delenv(ALLOW_NETWORKS_ENV, raising=False)


def test_a_loopback_server_is_not_fetched_unless_allowed(httpserver, no_allowed_networks, monkeypatch):
    httpserver.expect_request("/page.html").respond_with_data("<p>internal</p>", content_type="text/html")
    for url in (httpserver.url_for("/page.html"), f"http://localhost:{httpserver.port}/page.html"):
        response = HttpClient(POLICY).get(url)
        assert response.outcome == "skipped" and "loopback" in response.error, response
        assert response.attempts <= 1
    assert not httpserver.log, "a request reached the server"

    monkeypatch.setenv(ALLOW_NETWORKS_ENV, "127.0.0.0/8")
    assert HttpClient(POLICY).get(httpserver.url_for("/page.html")).outcome == "ok"


def test_the_registry_setting_allows_a_network(httpserver, no_allowed_networks, tmp_path):
    registry = tmp_path / "registry.yaml"
    registry.write_text("defaults:\n  http: {allow_networks: [127.0.0.1/32]}\nsources: []\n")
    policy = load_registry(registry).http
    httpserver.expect_request("/page.html").respond_with_data("<p>ok</p>", content_type="text/html")
    client = HttpClient(HttpPolicy(**{**POLICY.__dict__, "allow_networks": policy.allow_networks}))
    assert client.get(httpserver.url_for("/page.html")).outcome == "ok"


def test_a_bad_network_in_the_registry_is_named(tmp_path):
    registry = tmp_path / "registry.yaml"
    registry.write_text("defaults:\n  http: {allow_networks: [10.0.0.0/33]}\nsources: []\n")
    with pytest.raises(SourceError, match="'10.0.0.0/33' is not a network in CIDR form"):
        load_registry(registry)


def test_a_redirect_into_a_refused_network_is_not_followed(httpserver, monkeypatch):
    """The first server is allowed; it redirects to a second one on another loopback address
    that is not: the hop is refused at connection, and the second server sees no request."""
    monkeypatch.setenv(ALLOW_NETWORKS_ENV, "127.0.0.1/32")
    inner = HTTPServer(host="127.0.0.2", port=0)
    inner.expect_request("/secret").respond_with_data("<p>metadata</p>", content_type="text/html")
    inner.start()
    try:
        httpserver.expect_request("/start").respond_with_data(
            "", status=302, headers={"Location": f"http://127.0.0.2:{inner.port}/secret"})
        response = HttpClient(POLICY).get(httpserver.url_for("/start"))
        assert response.outcome == "skipped" and "127.0.0.2 is on a loopback network" in response.error, response
        assert not inner.log
    finally:
        inner.stop()


def test_a_proxy_in_the_environment_is_not_used(httpserver, monkeypatch):
    """Through a proxy the guard would see the proxy's address, not the site's: the client
    ignores HTTP(S)_PROXY and connects to the site itself (a dead proxy here would fail the fetch)."""
    monkeypatch.setenv(ALLOW_NETWORKS_ENV, "127.0.0.0/8")
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    httpserver.expect_request("/page.html").respond_with_data("<p>direct</p>", content_type="text/html")
    response = HttpClient(POLICY).get(httpserver.url_for("/page.html"))
    assert response.outcome == "ok" and b"direct" in response.content, response


@pytest.mark.parametrize("address", ["http://[::1/", "http://[bad/page.html"])
def test_a_malformed_address_is_refused_not_a_crash(address):
    response = HttpClient(POLICY).get(address)
    assert response.outcome == "skipped" and "not an http(s) address" in response.error
