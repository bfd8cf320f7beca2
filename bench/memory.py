"""Peak memory of a process tree, sampled from /proc while it runs (Linux)."""

from __future__ import annotations

import os
import threading
import time


class MemorySampler:
    """The largest sum, over a process and its descendants, of their
    proportional set sizes (Linux /proc; resident size where PSS is hidden):
    ``peak`` for the generator's own processes, ``peak_search`` for Pagefind's."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self.peak_search = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.running = False
        self.thread.join()

    def _run(self) -> None:
        while self.running:
            ours = search = 0
            for pid in _tree(self.pid):
                if _is_pagefind(pid):
                    search += _pss(pid)
                else:
                    ours += _pss(pid)
            self.peak = max(self.peak, ours)
            self.peak_search = max(self.peak_search, search)
            time.sleep(0.02)


def _is_pagefind(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"pagefind" in handle.read()
    except OSError:
        return False


def _tree(pid: int) -> list[int]:
    """The process and its descendants (read from /proc/PID/task/*/children:
    cheap enough to sample often without slowing the build down)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0
