"""The preview's watcher thread: poll the sources, wait for the edits to stop, rebuild, report.

Kept apart from ``serve`` so that the part that decides *when* to build,
and what the terminal says about it, reads on its own, without the HTTP
server; it imports neither livereload nor tornado (the browsers are told to
reload through the function it is given). It drives a ``serve.Preview``
(passed in, never imported: imports point down) and runs on its one
thread, so the ``Builder`` behind it is never used by two threads (see
``serve``'s docstring for the timing of rebuilds and catch-ups).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.1  # how often the sources are looked at
QUIET_SECONDS = 0.1  # no further change for this long before a rebuild starts
CATCH_UP_SECONDS = 1.0  # no change for this long after a rebuild: bring the search index up to date


def say(message: str, stream=None) -> None:
    """One line in the terminal, flushed at once: the preview's output interleaves two threads."""
    print(message, file=stream or sys.stdout, flush=True)


def _ignored(name: str) -> bool:
    """Editor droppings and hidden files: never part of a site."""
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913" or name == "__pycache__"


def scan(roots: tuple[Path, ...]) -> dict[Path, tuple[int, int, int]]:
    """(mtime, size, inode) of every file under ``roots``; missing roots are skipped."""
    found: dict[Path, tuple[int, int, int]] = {}
    for root in roots:
        try:
            if root.is_file():
                st = root.stat()
                found[root] = (st.st_mtime_ns, st.st_size, st.st_ino)
                continue
        except OSError:
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not _ignored(d))
            for name in files:
                if _ignored(name):
                    continue
                path = Path(folder, name)
                try:
                    st = path.stat()
                except OSError:
                    continue  # removed while we looked; the next scan sees it gone
                found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


class SourceWatcher:
    """Polls the watched sources and reports which files changed, appeared or went."""

    def __init__(self, roots: tuple[Path, ...]):
        self.roots = roots
        self.state = scan(roots)

    def reset(self, roots: tuple[Path, ...]) -> None:
        self.roots = roots
        self.state = scan(roots)

    def changes(self) -> set[Path]:
        new = scan(self.roots)
        changed = {p for p in new.keys() | self.state.keys() if new.get(p) != self.state.get(p)}
        self.state = new
        return changed


def shown(path: Path, root: Path) -> str:
    """A path for the terminal: relative to the site folder where possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Outcome:
    """What one build or catch-up came to: all the terminal and the watcher need of it."""

    ok: bool
    lines: tuple[str, ...]  # diagnostics as printed: "path:line: error: message"
    seconds: float
    pages: int = 0
    indexed: bool = False  # the search index was made afresh
    cancelled: bool = False  # a catch-up stopped because the sources changed


class Reporter:
    """The terminal's account of each build.

    Errors are printed every time; warnings only when they differ from the
    last ones printed, so an unannotated seed does not scroll past on every save.
    """

    def __init__(self):
        self.last_warnings: tuple[str, ...] | None = None

    def __call__(self, outcome: Outcome, what: str, out_dir: Path | None) -> None:
        warnings = tuple(line for line in outcome.lines if ": warning: " in line)
        repeated = warnings and warnings == self.last_warnings
        for line in outcome.lines:
            if not (repeated and line in warnings):
                say(line, sys.stderr)
        self.last_warnings = warnings
        note = f" ({len(warnings)} warning{'s' * (len(warnings) != 1)} as before)" if repeated else ""
        if outcome.ok:
            say(f"{what} {outcome.pages} pages in {outcome.seconds:.2f} s{note}")
        else:
            errors = sum(1 for line in outcome.lines
                         if ": error: " in line or line.startswith(("error:", "internal error:"))) or 1
            kept = f"; the last good site stays in {out_dir}" if out_dir is not None and out_dir.exists() else ""
            say(f"build failed: {errors} error{'s' * (errors != 1)}{note}; "
                f"the browser shows them until they are fixed{kept}")


class WatchLoop(threading.Thread):
    """Polls, debounces, rebuilds and tells the browsers to reload."""

    def __init__(self, preview, reload, report: Reporter):
        """``preview``: the ``serve.Preview`` to build (its ``build``, ``catch_up``,
        ``flush``, ``watched``, ``layout``, ``failure``, ``behind``, ``site_root``)."""
        super().__init__(name="preview-watcher", daemon=True)
        self.preview = preview
        self.report = report
        self.reload = reload  # called with the path livereload should reload ('*': the page)
        self.stopping = threading.Event()
        self.watcher = SourceWatcher(preview.watched())
        self.due: float | None = None  # when to catch the search index up (None: not planned)

    def plan_catch_up(self) -> None:
        self.due = time.monotonic() + CATCH_UP_SECONDS if self.preview.behind else None

    def run(self) -> None:
        carried: set[Path] = set()  # changes seen by a cancelled catch-up
        while not self.stopping.wait(POLL_SECONDS):
            changed = carried | self.watcher.changes()
            carried = set()
            if not changed:
                if self.due is not None and time.monotonic() >= self.due:
                    carried = self.catch_up()
                continue
            while not self.stopping.wait(QUIET_SECONDS):
                more = self.watcher.changes()
                if not more:
                    break
                changed |= more
            if self.stopping.is_set():
                return
            self.rebuild(changed)

    def rebuild(self, changed: set[Path]) -> None:
        preview = self.preview
        was_ok = preview.failure is None
        before = preview.layout
        names = sorted(shown(p, self.preview.site_root) for p in changed)
        say(f"changed: {', '.join(names[:5])}{f' and {len(names) - 5} more' if len(names) > 5 else ''}")
        outcome = preview.build(changed)
        if preview.watched() != self.watcher.roots:
            self.watcher.reset(preview.watched())  # site.yaml moved a folder
        self.report(outcome, "rebuilt", preview.layout.out_dir if preview.layout else None)
        if preview.layout is not None and (before is None or preview.layout.mount != before.mount):
            say(f"now serving {preview.layout.base_url}")
        only_css = all(p.suffix == ".css" for p in changed) and len(changed) == 1
        self.reload(changed.pop().name if only_css and was_ok and outcome.ok else "*")
        self.plan_catch_up()

    def catch_up(self) -> set[Path]:
        """Bring the search index up to date, unless a file changes meanwhile;
        returns the changes seen (they are rebuilt next, without the index)."""
        self.due = None
        seen: set[Path] = set()
        last_look = [time.monotonic()]

        def cancelled() -> bool:
            # Asked by Pagefind's run, on this thread, every few tenths of a second.
            if self.stopping.is_set():
                return True
            now = time.monotonic()
            if now - last_look[0] >= POLL_SECONDS:
                last_look[0] = now
                seen.update(self.watcher.changes())
            return bool(seen)

        outcome = self.preview.catch_up(cancelled)
        if outcome is None or not outcome.cancelled:
            self.preview.flush()
        if outcome is None:
            return seen
        if outcome.cancelled:
            say("search index: left for later (the sources changed)")
        elif outcome.ok:
            if outcome.indexed:
                say(f"search index updated in {outcome.seconds:.2f} s")
        else:
            for line in outcome.lines:
                say(line, sys.stderr)
            say("search index not updated; the search page searches the previous one")
        return seen
