"""Getting page bytes from a source: a folder of saved pages or a single address."""
from __future__ import annotations

import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from scrapers.models import FetchedDocument
from scrapers.sources import Source

PAGE_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}
USER_AGENT = "ukraine-aid-pledges/0.1 (+https://github.com/; research warehouse of public aid announcements)"
TIMEOUT_SECONDS = 30
MAX_BYTES = 10 * 1024 * 1024


def fetch_source(source: Source) -> Iterator[FetchedDocument]:
    """Every page of a source; a page that cannot be read comes back as a failed document."""
    if source.kind == "folder":
        yield from _fetch_folder(source)
    elif source.kind == "url":
        yield _fetch_url(source, source.location)
    else:  # the registry loader refuses other kinds; this guards direct callers
        raise ValueError(f"unknown source kind {source.kind!r}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _fetch_folder(source: Source) -> Iterator[FetchedDocument]:
    folder = Path(source.location)
    if not folder.is_dir():
        yield FetchedDocument(source.id, source.kind, folder.as_uri(), _now(), "failed",
                              error=f"folder does not exist: {folder}")
        return
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file()):
        try:
            content = path.read_bytes()
        except OSError as exc:
            yield FetchedDocument(source.id, source.kind, path.resolve().as_uri(), _now(), "failed",
                                  error=f"cannot read {path}: {exc.strerror or exc}")
            continue
        yield FetchedDocument(source.id, source.kind, path.resolve().as_uri(), _now(), "ok",
                              content=content, content_type=PAGE_SUFFIXES[path.suffix.lower()])


def _fetch_url(source: Source, url: str) -> FetchedDocument:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            content = response.read(MAX_BYTES + 1)
            if len(content) > MAX_BYTES:
                return FetchedDocument(source.id, source.kind, url, _now(), "failed", http_status=response.status,
                                       error=f"body larger than {MAX_BYTES} bytes")
            return FetchedDocument(source.id, source.kind, url, _now(), "ok", content=content,
                                   content_type=response.headers.get("Content-Type"), http_status=response.status)
    except urllib.error.HTTPError as exc:
        return FetchedDocument(source.id, source.kind, url, _now(), "failed", http_status=exc.code,
                               error=f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return FetchedDocument(source.id, source.kind, url, _now(), "failed", error=f"cannot fetch {url}: {reason}")
