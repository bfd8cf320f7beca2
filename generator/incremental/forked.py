"""Work shared between forked processes.

A forked child inherits the parent's memory: the function it runs, and the
model it reads, are not pickled (a closure is fine); only each chunk's
result comes back, pickled, through a pipe. Needs the "fork" start method.
"""

from __future__ import annotations

import multiprocessing
from typing import Callable, Iterator, Sequence


def chunks(values: list, count: int) -> list[list]:
    """``values`` cut into about ``count`` lists of consecutive items."""
    size = max(1, -(-len(values) // max(1, count)))
    return [values[i:i + size] for i in range(0, len(values), size)]


def map_forked(function: Callable[[object], object], parts: Sequence, jobs: int,
               meanwhile: Callable[[], object] | None = None) -> Iterator[object]:
    """``function(part)`` for each part, in ``jobs`` forked processes that take
    the next part as they finish one; results as they come (in no set order).
    ``meanwhile``: run by this process once the workers are started. An
    exception in a worker is raised here (when it can be pickled)."""
    context = multiprocessing.get_context("fork")
    tasks, results = context.SimpleQueue(), context.SimpleQueue()
    for index in range(len(parts)):
        tasks.put(index)
    for _ in range(jobs):
        tasks.put(None)

    def work() -> None:
        while (index := tasks.get()) is not None:
            try:
                outcome = (True, function(parts[index]))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent
                outcome = (False, exc)
            try:
                results.put(outcome)
            except Exception as exc:  # noqa: BLE001 - a result or an exception that cannot be pickled
                results.put((False, RuntimeError(f"a worker's result cannot be sent: {exc!r}")))

    workers = [context.Process(target=work, daemon=True) for _ in range(max(1, jobs))]
    for worker in workers:
        worker.start()
    finished = False
    try:
        if meanwhile is not None:
            meanwhile()
        for _ in range(len(parts)):
            ok, value = results.get()
            if not ok:
                raise value
            yield value
        finished = True
    finally:
        for worker in workers:
            if not finished:
                worker.terminate()
            worker.join()
