"""Work shared between forked processes.

With the fork start method a child process starts as a copy of this one:
the function it runs (a closure over the model, the items, the writer) is
inherited, not pickled, and the model's memory is shared until written to
(``gc.freeze`` before forking keeps the collector from writing to it). Only
the results travel back, pickled, through a pipe.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def chunks(values: list, count: int) -> list[list]:
    """``values`` cut into about ``count`` lists of consecutive items."""
    size = max(1, -(-len(values) // max(1, count)))
    return [values[i:i + size] for i in range(0, len(values), size)]


def map_forked(function: Callable, chunks: list, jobs: int, meanwhile: Callable[[], object] | None = None) -> list:
    """``[function(chunk) for chunk in chunks]``, shared between this process
    and ``jobs - 1`` forked ones (one process fewer holding a copy of the
    model). Each process takes the next chunk not yet taken, in order (the
    first the heaviest when they are sorted so), until none is left: one
    that was busy elsewhere takes fewer. ``meanwhile``: run here once the
    workers are started, before this process takes chunks (work that needs
    none of the results: the loader parses events.yaml so)."""
    jobs = max(1, jobs)
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many chunks have been taken, by any process

    def take() -> int | None:
        with taken.get_lock():
            index = taken.value
            taken.value = index + 1
        return index if index < len(chunks) else None

    workers = []
    for _ in range(min(jobs - 1, len(chunks))):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(function, chunks, take, send), daemon=True)
        process.start()
        send.close()
        workers.append((process, receive))
    results: list = [None] * len(chunks)
    finished = False
    try:
        if meanwhile is not None:
            meanwhile()
        while (index := take()) is not None:
            results[index] = function(chunks[index])
        for process, receive in workers:
            try:
                ok, value = receive.recv()
            except EOFError:
                raise RuntimeError(f"a worker process ended without its results (exit code {process.exitcode})") from None
            if not ok:
                raise RuntimeError(f"a worker process failed:\n{value}")
            for index, result in value:
                results[index] = result
        finished = True
    finally:
        for process, receive in workers:
            receive.close()
            if not finished:  # a worker may be waiting to send what nobody will read
                process.terminate()
            process.join()
    return results


def _work(function: Callable, chunks: list, take: Callable[[], int | None], send) -> None:
    try:
        done = []
        while (index := take()) is not None:
            done.append((index, function(chunks[index])))
        outcome = (True, done)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        outcome = (False, traceback.format_exc())
    send.send(outcome)
    send.close()
