"""A bounded pool for discovery: regions first, then every function of every region, concurrently.

Discovery is I/O bound (one HTTPS call after another), so threads overlap the waiting; the bound keeps
the number of calls in flight polite to the API (adaptive retries slow down further when throttled).
``workers=1`` runs everything on the calling thread, in order (the benchmark's single-threaded run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_WORKERS = 8


def run_all(
    items: Iterable[T], work: Callable[[T], R], workers: int, done: Callable[[], None] | None = None
) -> list[R]:
    """``work(item)`` for every item, results in the items' order; ``done()`` after each one."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        results = []
        for item in items:
            results.append(work(item))
            if done:
                done()
        return results

    def step(item: T) -> R:
        result = work(item)
        if done:
            done()
        return result

    with ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix="discover") as pool:
        return list(pool.map(step, items))
