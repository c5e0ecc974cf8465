"""Progress lines for long steps: about one every ten seconds, and the last one, not one per page."""
from __future__ import annotations

import logging
import time

EVERY_SECONDS = 10.0
_last: dict[str, float] = {}


def report(log: logging.Logger, verb: str, done: int, total: int) -> None:
    now = time.monotonic()
    if done >= total or now - _last.get(verb, 0.0) >= EVERY_SECONDS:
        _last[verb] = now
        log.info(f"{verb} {done}/{total} pages")
