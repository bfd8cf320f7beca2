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
    and ``jobs - 1`` forked ones. This process takes every ``jobs``-th chunk
    (``chunks[::jobs]``, the first the heaviest when they are sorted so): one
    process fewer holding a copy of the model. ``meanwhile``: run here once
    the workers are started, before this process's own chunks (work that
    needs none of the results: the loader parses events.yaml so)."""
    jobs = max(1, jobs)
    context = multiprocessing.get_context("fork")
    others = [i for i in range(len(chunks)) if i % jobs]
    workers = []
    for worker in range(jobs - 1):
        share = others[worker::jobs - 1]
        if not share:
            continue
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(function, [chunks[i] for i in share], send), daemon=True)
        process.start()
        send.close()
        workers.append((process, receive, share))
    results: list = [None] * len(chunks)
    finished = False
    try:
        if meanwhile is not None:
            meanwhile()
        for i in range(0, len(chunks), jobs):
            results[i] = function(chunks[i])
        for process, receive, share in workers:
            try:
                ok, value = receive.recv()
            except EOFError:
                raise RuntimeError(f"a worker process ended without its results (exit code {process.exitcode})") from None
            if not ok:
                raise RuntimeError(f"a worker process failed:\n{value}")
            for i, result in zip(share, value):
                results[i] = result
        finished = True
    finally:
        for process, receive, _ in workers:
            receive.close()
            if not finished:  # a worker may be waiting to send what nobody will read
                process.terminate()
            process.join()
    return results


def _work(function: Callable, chunks: list, send) -> None:
    try:
        outcome = (True, [function(chunk) for chunk in chunks])
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        outcome = (False, traceback.format_exc())
    send.send(outcome)
    send.close()
