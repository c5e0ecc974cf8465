"""Fetch throughput and the cost of a no-op refresh, against a site served on 127.0.0.1.

Serves N generated article pages (about 5 KB each, with ETag validators) and an RSS feed that
lists them, then:
  1. fetches the feed source into a temporary raw store with the rate limit off: pages per second;
  2. fetches it again: how long a run takes when nothing changed, and how many bodies it downloaded;
  3. with --full, runs `pledges refresh` twice on a registry naming the feed (Dagster, dbt,
     publication) and prints the time of the second, no-op, refresh.

    .venv/bin/python scripts/benchmark_fetch.py [--pages 300] [--full]
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from orchestration import raw_store  # noqa: E402
from orchestration.fetching import ingest_source  # noqa: E402
from scrapers.fetching.http_client import HttpClient  # noqa: E402
from scrapers.fetching.sources import HttpPolicy, Source  # noqa: E402
from scrapers.fetching.network_guard import parse_networks  # noqa: E402

DONORS = ["Norway", "Sweden", "Denmark", "Finland", "Canada", "Poland", "Spain", "Italy"]


def make_site(pages: int) -> dict[str, bytes]:
    site = {}
    for n in range(pages):
        donor = DONORS[n % len(DONORS)]
        filler = " ".join(f"<p>Paragraph {k} of background on the war and on the donor's earlier packages, "
                          f"written to make the page about five kilobytes long like a real release.</p>"
                          for k in range(30))
        site[f"/news/{n}.html"] = (
            f"<html lang='en'><head><title>{donor} aid {n}</title></head><body><article>"
            f"<h1>{donor} announces aid package {n} for Ukraine</h1><p>March {1 + n % 28}, 2024</p>"
            f"<p>{donor} will send {n % 40 + 2} armoured vehicles to Ukraine, the ministry said.</p>"
            f"{filler}</article></body></html>").encode()
    items = "".join(f"<item><title>Aid for Ukraine {n}</title><link>http://{{host}}/news/{n}.html</link></item>"
                    for n in range(pages))
    site["/feed.xml"] = f"<rss version='2.0'><channel><title>bench</title>{items}</channel></rss>".encode()
    return site


def serve(site: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            body = site.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            body = body.replace(b"{host}", self.headers["Host"].encode())
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml") else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--full", action="store_true", help="also time a no-op `pledges refresh`")
    args = parser.parse_args()
    server = serve(make_site(args.pages))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    source = Source(id="bench", kind="rss", location=f"{base}/feed.xml", allowed_domains=("127.0.0.1",),
                    max_items=args.pages)
    policy = HttpPolicy(min_interval_seconds=0, allow_networks=parse_networks(["127.0.0.0/8"], "benchmark"))
    with duckdb.connect(":memory:") as conn:
        raw_store.ensure_raw_schema(conn)
        client = HttpClient(policy)
        started = time.perf_counter()
        first = ingest_source(conn, client, source)
        elapsed = time.perf_counter() - started
        print(f"first fetch: {first.counts['new']} pages in {elapsed:.2f} s = {first.counts['new'] / elapsed:.0f} pages/s "
              f"({client.stats.bytes / 1e6:.1f} MB, rate limit off, one connection at a time)")
        client = HttpClient(policy)
        started = time.perf_counter()
        second = ingest_source(conn, client, source)
        elapsed = time.perf_counter() - started
        print(f"no-op fetch: {second.counts['unchanged']} unchanged pages in {elapsed:.2f} s, "
              f"{client.stats.bodies} bodies downloaded ({client.stats.not_modified} answered 304)")
    if args.full:
        with tempfile.TemporaryDirectory() as tmp:
            registry = Path(tmp) / "registry.yaml"
            registry.write_text(f"defaults:\n  http: {{min_interval_seconds: 0, allow_networks: [127.0.0.0/8]}}\n  keywords: []\nsources:\n"
                                f"  - {{id: bench, kind: rss, url: '{base}/feed.xml', max_items: {args.pages}}}\n")
            command = [str(Path(sys.executable).with_name("pledges")), "refresh", "--registry", str(registry),
                       "--warehouse", str(Path(tmp) / "bench.duckdb")]
            for label in ("first refresh", "no-op refresh"):
                started = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
                if done.returncode != 0:
                    sys.exit(f"{label} failed:\n{done.stderr[-2000:]}")
                print(f"{label} (pledges refresh, {args.pages} pages): {time.perf_counter() - started:.1f} s")
    server.shutdown()


if __name__ == "__main__":
    main()
