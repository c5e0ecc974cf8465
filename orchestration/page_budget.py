"""A time budget for one page: parsing or extracting it stops when the budget is spent.

The budget is a one-shot timer of the kernel on the wall clock (setitimer), the time the night
waits for. Its SIGALRM handler raises PageOverBudget in the code that reads the page, wherever
it is: in the parser's or the extractor's Python loops, inside lxml's parse (bs4 feeds it from
Python), inside a regular expression (the regex engine checks for signals). It costs about 6 µs
a page, where a check of the clock in the loops of the parser and the extractor would cost more
and would miss the long calls. What it cannot stop is a call into C that never comes back to
Python; none is known on this path (lxml and the regex engine were checked).

Python runs signal handlers in the main thread only, so a page must be read there: in the
process's main thread, or in a worker process's (orchestration/parallel.py sends the pages of a
step that runs in another thread to a worker process for this reason).
"""
from __future__ import annotations

import signal
import threading
import time

# The start of the error stored for a page over its budget: such a page is tried again the next
# night (raw_store.queue_parsing; a failed extraction is retried anyway), as its time may have
# been the machine's, not the page's.
OVER_BUDGET = "over budget:"


class PageOverBudget(BaseException):
    """The page took longer than its budget. A BaseException, like KeyboardInterrupt, so that
    the `except Exception` of a reader on the way does not swallow it."""


def can_stop_a_page_here() -> bool:
    """Whether a budget can be enforced in this thread (see the module's note)."""
    return threading.current_thread() is threading.main_thread()


def over_budget_reason(step: str, seconds: float, setting: str) -> str:
    return f"{OVER_BUDGET} {step} took more than {seconds:g} s, the time budget of one page ({setting})"


class deadline:
    """`with deadline(seconds):` raises PageOverBudget in the block when it runs longer than
    `seconds`. A timer and a SIGALRM handler set by someone else are put back afterwards (a timer
    due during the block fires at its end). Outside the main thread it does nothing: see
    can_stop_a_page_here."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._installed = self._left = False

    def __enter__(self) -> deadline:
        if not can_stop_a_page_here():
            return self
        self._previous_handler = signal.signal(signal.SIGALRM, self._expire)
        self._installed = True
        self._started = time.monotonic()
        # One shot: after it, no signal of ours can reach the code that runs after the page.
        self._previous_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def _expire(self, signum, frame) -> None:
        if not self._left:
            raise PageOverBudget(f"over {self.seconds:g} s")

    def __exit__(self, *exc) -> bool:
        self._left = True
        if self._installed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous_handler)
            delay, interval = self._previous_timer
            if delay:
                left = delay - (time.monotonic() - self._started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), interval)
        return False
