"""The build's steps, named and timed by one mechanism.

With ``RESEARCH_SITE_TIMING`` set, each step prints how long it took
(``timing: <label>: <seconds> s`` on stderr), which the benchmark reads
for its profile of a cold build.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Step:
    label: str  # printed at its end; a step may say more once it knows (how many items it planned)


class Steps:
    def __init__(self, started: float):
        self.since = started
        self.verbose = bool(os.environ.get("RESEARCH_SITE_TIMING"))

    @contextmanager
    def step(self, label: str) -> Iterator[Step]:
        """Time what the ``with`` block does (from the end of the step before)."""
        step = Step(label)
        yield step
        self.mark(step.label)

    def mark(self, label: str) -> None:
        if self.verbose:
            now = time.perf_counter()
            print(f"timing: {label}: {now - self.since:.3f} s", file=sys.stderr)
            self.since = now

    def note(self, text: str) -> None:
        """A line about the step, not timed."""
        if self.verbose:
            print(f"timing: {text}", file=sys.stderr)
