"""Batches of pages through a process pool, on every core, in order and with bounded memory.

Parsing and extraction are pure CPU work in Python, so threads would share one core. Workers are
started with `spawn`: the Dagster process that calls this runs threads of its own, and forking a
process with threads can leave a lock held forever in the child. At most two batches per worker
are in flight, so memory holds a few batches whatever the size of the corpus; results come back in
the order of the batches, so one core and many give the same rows in the same order. Workers die
with the process that started them, even when it is killed outright (child_processes).
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

from orchestration import child_processes, settings
from orchestration.page_budget import can_stop_a_page_here

Item = TypeVar("Item")
Result = TypeVar("Result")

# A pool costs about a second to start (each worker imports the extractor); below this many
# pages one process is faster.
MIN_PAGES_FOR_POOL = 300


def worker_count(pages: int) -> int:
    """How many processes to use for this many pages."""
    if pages < MIN_PAGES_FOR_POOL:
        return 1
    return max(1, settings.worker_count())


def map_batches(work: Callable[[list[Item]], list[Result]], batches: Iterable[list[Item]],
                workers: int) -> Iterator[list[Result]]:
    """work(batch) for every batch, in order; in `workers` processes when more than one, and in
    one when this thread could not stop a page over its time budget (page_budget.py)."""
    if workers <= 1 and can_stop_a_page_here():
        for batch in batches:
            yield work(batch)
        return
    context = multiprocessing.get_context("spawn")
    # Idle workers wait on a queue whose writing end their siblings also hold: without the tie,
    # a killed run's workers would wait forever.
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=child_processes.die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        pending: deque[Future] = deque()
        for batch in batches:
            pending.append(pool.submit(work, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def gathered(batches: Iterable[list[Result]], at_least: int) -> Iterator[list[Result]]:
    """Consecutive batches joined until each holds at least `at_least` items (the last may hold
    fewer). Workers take small batches, to share the pages evenly; the warehouse takes large ones,
    since each write has a fixed cost (a statement, a scan of the keys, a commit)."""
    joined: list[Result] = []
    for batch in batches:
        joined.extend(batch)
        if len(joined) >= at_least:
            yield joined
            joined = []
    if joined:
        yield joined
