"""The one HTTP client every web source goes through: polite, patient and bounded.

Politeness: a descriptive User-Agent, robots.txt, a minimum interval between two requests to one
host (or the site's Crawl-delay when longer), conditional requests so unchanged pages cost no
body. Patience: retries with exponential backoff and jitter, Retry-After honoured on 429 and 503.
Bounds: timeouts, a maximum body size (also after decompression), a redirect limit, http(s) only,
and redirects checked against the source's allowed domains.

`get` never raises for anything the network or the server does: it returns a Response whose
`outcome` says what happened and whose `error` says why, in words meant for the person reading
the run log.
"""
from __future__ import annotations

import email.utils
import http.client
import logging
import random
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, replace
from typing import Callable
from urllib.parse import quote, urljoin, urlparse, urlunparse

from protego import Protego

from scrapers.fetching.sources import HttpPolicy
from scrapers.fetching.network_guard import BlockedAddress, guarded_handlers, networks_from_environment

RETRY_STATUSES = {429, 500, 502, 503, 504}
RETRY_AFTER_STATUSES = {429, 503}
ROBOTS_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY_SECONDS = 30.0
CHUNK = 64 * 1024
RESPONSE_BUDGET_TIMEOUTS = 4  # a whole response, headers and body, gets four socket timeouts
log = logging.getLogger(__name__)


@dataclass
class Response:
    """What one `get` came to. outcome: ok (a body), not_modified (304, no body), skipped (not
    fetched on purpose: robots, content type, off-domain redirect) or failed."""

    url: str  # the address asked for
    outcome: str
    final_url: str = ""
    status: int | None = None
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: int = 0


@dataclass
class ClientStats:
    requests: int = 0
    bodies: int = 0  # responses whose body was read (200s)
    bytes: int = 0
    not_modified: int = 0
    retries: int = 0
    waited_seconds: float = 0.0


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.status, self.retry_after = status, retry_after


class _Final(Exception):
    def __init__(self, outcome: str, reason: str, status: int | None = None):
        super().__init__(reason)
        self.outcome, self.status, self.attempts = outcome, status, 1


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by the client itself, so that each hop is checked."""

    def redirect_request(self, *args, **kwargs):
        return None


def normalize_url(url: str, base: str | None = None) -> str | None:
    """An absolute http(s) address without its fragment, non-ASCII percent-encoded; None for
    anything else (mailto:, javascript:, ftp:, an empty href)."""
    url = (url or "").strip()
    if not url:
        return None
    try:
        absolute = urljoin(base, url) if base else url
        parsed = urlparse(absolute)
        hostname = parsed.hostname
    except ValueError:  # "http://[::1/": a malformed address is no address, not a crash
        return None
    if parsed.scheme.lower() not in ("http", "https") or not hostname:
        return None
    cleaned = urlunparse((parsed.scheme.lower(), parsed.netloc.lower(), parsed.path or "/", parsed.params,
                          parsed.query, ""))
    return quote(cleaned, safe=":/?#[]@!$&'()*+,;=%~")


class _Watch:
    """One request's watchdog state: the connection it may cut, and whether it did."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection: http.client.HTTPConnection | None = None
        self.cut_off = False

    def watch(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connection = connection
            if self.cut_off:
                self._shutdown()

    def cut(self) -> None:
        with self._lock:
            self.cut_off = True
            self._shutdown()

    def _shutdown(self) -> None:
        connection = self._connection
        if connection is not None and connection.sock is not None:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class HttpClient:
    def __init__(self, policy: HttpPolicy, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, rng: Callable[[], float] = random.random,
                 logger: logging.Logger | None = None):
        self.policy = policy
        self.stats = ClientStats()
        self._sleep, self._clock, self._rng = sleep, clock, rng
        self._log = logger or log
        allowed = policy.allow_networks + networks_from_environment()
        # No proxy from the environment: through one, the SSRF guard would check the proxy's
        # address, not the site's. The job reaches the sites directly.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects(),
                                                   *guarded_handlers(allowed, self._connected))
        self._watch: _Watch | None = None  # the request in flight, for its watchdog
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | bool | tuple[str, str]] = {}
        self._crawl_delay: dict[str, float] = {}
        self._robots_agent = policy.user_agent.split("/")[0]

    # --- public -------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            allowed: Callable[[str], bool] | None = None, accept_types: tuple[str, ...] | None = None) -> Response:
        """Fetch one address, following redirects that `allowed` accepts. With `etag` or
        `last_modified` the request is conditional and an unchanged page answers not_modified.
        With `accept_types`, a response of another content type is skipped before its body is read."""
        start = normalize_url(url)
        if start is None:
            return Response(url, "skipped", error=f"not an http(s) address: {url!r}")
        current, seen = start, [start]
        attempts = 0
        for _hop in range(self.policy.max_redirects + 1):
            refusal = self._robots_refusal(current) if self.policy.respect_robots else None
            if refusal is not None:
                outcome, reason = refusal
                return Response(url, outcome, final_url=current, error=reason, attempts=attempts)
            try:
                response, used = self._with_retries(current, etag, last_modified, accept_types)
            except _Final as exc:
                return Response(url, exc.outcome, final_url=current, status=exc.status, error=str(exc),
                                attempts=attempts + exc.attempts)
            attempts += used
            if response.outcome != "redirect":
                response.url, response.attempts = url, attempts
                return response
            target = normalize_url(response.final_url, current)
            if target is None:
                return Response(url, "failed", final_url=current, status=response.status, attempts=attempts,
                                error=f"redirect to a non-http(s) address: {response.final_url!r}")
            if allowed is not None and not allowed(target):
                return Response(url, "skipped", final_url=target, status=response.status, attempts=attempts,
                                error=f"redirect leaves the source's allowed domains: {target}")
            if target in seen:
                return Response(url, "failed", final_url=target, status=response.status, attempts=attempts,
                                error=f"redirect loop: {' -> '.join(seen + [target])}")
            seen.append(target)
            current = target
        return Response(url, "failed", final_url=current, attempts=attempts,
                        error=f"more than {self.policy.max_redirects} redirects: {' -> '.join(seen)}")

    # --- one address, with retries --------------------------------------------------------------

    def _with_retries(self, url, etag, last_modified, accept_types) -> tuple[Response, int]:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._request(url, etag, last_modified, accept_types), attempt
            except _Final as exc:
                exc.attempts = attempt
                raise
            except _Retryable as exc:
                delay = self._delay(attempt, exc.retry_after)
                if attempt > self.policy.retries or delay is None:
                    why = (f"{exc} (gave up after {attempt} attempts)" if delay is not None else
                           f"{exc}; the server asked to wait {exc.retry_after:.0f} s, more than the "
                           f"{self.policy.max_retry_after_seconds:.0f} s limit")
                    final = _Final("failed", why, exc.status)
                    final.attempts = attempt
                    raise final from None
                self._log.warning(f"{url}: {exc}; retry {attempt}/{self.policy.retries} in {delay:.1f} s")
                self.stats.retries += 1
                self._wait(delay)

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        if retry_after is not None:
            return retry_after if retry_after <= self.policy.max_retry_after_seconds else None
        ceiling = min(self.policy.max_backoff_seconds, self.policy.backoff_seconds * 2 ** (attempt - 1))
        return ceiling / 2 + self._rng() * ceiling / 2  # "equal jitter": never zero, never in lockstep

    def _request(self, url, etag, last_modified, accept_types) -> Response:
        headers = {"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip",
                   "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._respect_interval(url)
        self.stats.requests += 1
        # The socket timeout bounds each read, not the response: a server sending a byte every
        # half second would never trip it. The watchdog cuts the connection at the total budget.
        budget = RESPONSE_BUDGET_TIMEOUTS * self.policy.timeout_seconds
        watch = self._watch = _Watch()
        watchdog = threading.Timer(budget, watch.cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            response = self._exchange(url, headers, accept_types, budget)
        except _Retryable:
            if watch.cut_off:  # the connection broke because the watchdog cut it
                raise _Retryable(f"no complete response within {budget:g} s") from None
            raise
        finally:
            watchdog.cancel()
            watchdog.join()  # a cut already under way ends before the next request starts
            self._watch = None
        if watch.cut_off:  # a cut during the headers can look like a short, complete answer
            raise _Retryable(f"no complete response within {budget:g} s")
        return response

    def _connected(self, connection: http.client.HTTPConnection) -> None:
        if self._watch is not None:
            self._watch.watch(connection)

    def _exchange(self, url, headers, accept_types, budget: float) -> Response:
        started = self._clock()
        try:
            raw = self._opener.open(urllib.request.Request(url, headers=headers), timeout=self.policy.timeout_seconds)
        except urllib.error.HTTPError as exc:
            raw = exc
        except (socket.timeout, TimeoutError):
            raise _Retryable(f"timed out after {self.policy.timeout_seconds:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, BlockedAddress):
                raise _Final("skipped", f"not fetched: {reason}") from None
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise _Retryable(f"timed out after {self.policy.timeout_seconds:g} s") from None
            raise _Retryable(f"cannot connect: {reason}") from None
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise _Retryable(f"connection failed: {exc.__class__.__name__} {exc}") from None
        with raw:
            status = getattr(raw, "status", None) or raw.code
            got = raw.headers
            base = Response(url, "ok", final_url=url, status=status, content_type=got.get("Content-Type"),
                            etag=got.get("ETag"), last_modified=got.get("Last-Modified"))
            if status == 304:
                self.stats.not_modified += 1
                base.outcome = "not_modified"
                return base
            if status in (301, 302, 303, 307, 308):
                location = got.get("Location")
                if not location:
                    raise _Final("failed", f"HTTP {status} redirect without a Location header", status)
                base.outcome, base.final_url = "redirect", urljoin(url, location)
                return base
            if status in RETRY_STATUSES:
                retry_after = _retry_after_seconds(got.get("Retry-After")) if status in RETRY_AFTER_STATUSES else None
                raise _Retryable(f"HTTP {status} {getattr(raw, 'reason', '')}".strip(), status, retry_after)
            if status >= 400:
                raise _Final("failed", f"HTTP {status} {getattr(raw, 'reason', '')}".strip(), status)
            kind = (base.content_type or "").split(";")[0].strip().lower()
            if accept_types is not None and kind and not kind.startswith(accept_types):
                raise _Final("skipped", f"content type {kind} is not a page this source reads", status)
            base.content = self._body(raw, url, started, budget)
            self.stats.bodies += 1
            self.stats.bytes += len(base.content)
            return base

    def _body(self, raw, url: str, started: float, budget: float) -> bytes:
        limit = self.policy.max_bytes
        declared = raw.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise _Final("failed", f"body of {int(declared):,} bytes is over the {limit:,}-byte limit", raw.status)
        gzipped = (raw.headers.get("Content-Encoding") or "").lower() in ("gzip", "x-gzip")
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        deadline = started + budget
        parts, size = [], 0
        while True:
            try:
                # read1 returns what one receive brings, so the deadline is checked between them;
                # read(CHUNK) waits for all 64 KB however slowly they come.
                chunk = raw.read1(CHUNK)
            except (socket.timeout, TimeoutError):
                raise _Retryable(f"timed out reading the body after {self.policy.timeout_seconds:g} s") from None
            except (http.client.HTTPException, ConnectionError, OSError) as exc:
                raise _Retryable(f"connection broke while reading the body: {exc}") from None
            if not chunk:
                break
            if inflater is not None:
                try:
                    chunk = inflater.decompress(chunk, limit + 1 - size)
                except zlib.error as exc:
                    raise _Final("failed", f"the gzip body is corrupt: {exc}", raw.status) from None
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _Final("failed", f"body is over the {limit:,}-byte limit (stopped reading)", raw.status)
            if self._clock() > deadline:
                raise _Retryable(f"body still arriving after {deadline - started:.0f} s")
        return b"".join(parts)

    # --- politeness ------------------------------------------------------------------------------

    def _respect_interval(self, url: str) -> None:
        host = urlparse(url).netloc
        interval = max(self.policy.min_interval_seconds, self._crawl_delay.get(host, 0.0))
        last = self._last_request.get(host)
        if last is not None and interval > 0:
            wait = interval - (self._clock() - last)
            if wait > 0:
                self._wait(wait)
        self._last_request[host] = self._clock()

    def _wait(self, seconds: float) -> None:
        self.stats.waited_seconds += seconds
        self._sleep(seconds)

    def _robots_refusal(self, url: str) -> tuple[str, str] | None:
        """None when robots.txt lets us fetch the address; else (outcome, reason)."""
        parsed = urlparse(url)
        origin = f"{parsed.scheme}://{parsed.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, tuple):
            return rules
        if rules is True or rules.can_fetch(url, self._robots_agent):
            return None
        return "skipped", f"disallowed by robots.txt: {url}"

    def _load_robots(self, origin: str) -> Protego | bool | tuple[str, str]:
        """RFC 9309: a missing robots.txt (4xx) allows everything; one that answers 5xx
        disallows everything until the next run. A host that does not answer at all fails."""
        robots_url = origin + "/robots.txt"
        saved = self.policy
        try:
            self.policy = _robots_policy(saved)
            response = self.get(robots_url)  # robots.txt itself is never subject to robots.txt
        finally:
            self.policy = saved
        if response.outcome == "ok":
            # Protego (Scrapy's parser) follows RFC 9309: wildcards, '$', and the longest match
            # deciding between Allow and Disallow. The standard library's parser takes the first match.
            parser = Protego.parse(response.content.decode("utf-8", "replace"))
            delay = parser.crawl_delay(self._robots_agent)
            if delay:
                self._crawl_delay[urlparse(origin).netloc] = min(float(delay), MAX_CRAWL_DELAY_SECONDS)
            return parser
        if response.status is not None and 400 <= response.status < 500:
            return True
        if response.status is None:
            return "failed", f"{origin} does not answer: {response.error}"
        self._log.warning(f"{robots_url} answered HTTP {response.status}; not fetching from {origin} this run")
        return "skipped", f"{robots_url} answered HTTP {response.status}, which forbids crawling until it recovers"


def _robots_policy(policy: HttpPolicy) -> HttpPolicy:
    return replace(policy, respect_robots=False, max_bytes=ROBOTS_MAX_BYTES, retries=min(policy.retries, 1))


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
