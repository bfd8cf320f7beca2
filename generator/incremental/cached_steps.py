"""The loader's steps, reused from earlier builds where their inputs are
unchanged: the one cache wrapper around ``content.load``.

A step (``content.load.StepInputs``) is a plain function of what it is
given; its result carries the problems it found. ``CachedSteps`` keys each
result by everything it depends on (the generator's code and settings, the
bytes of the files it read, its other inputs), stores it in the build cache
and gives it back, problems included, when the same key comes again: the
model and the messages are those a cold build gives. A stale entry cannot
be found, only missed.

The ``Builder`` holds one ``CachedSteps`` between its builds. Besides the
cache, it keeps in memory what lets a rebuild after one edit skip even the
look-ups of what did not change: each step's last result and the files it
read (reused while none of them changed), the folder listings (reused while
only files they list are edited), and results too costly to store or to
rebuild (the mention matcher: it takes a while to compile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..hashing import key as key_of
from .cache import BuildCache, pack, unpack
from .inputs import Inputs
from ..content.config import SiteConfig
from ..content.files import Reading
from ..content.load import StepInputs
from ..content.converter import MarkupCheck
from .workers import chunks, map_forked

PARALLEL_STEPS = 48  # below this many steps to run, one process is faster than starting others
_MISSING = object()


@dataclass
class _Kept:
    """A step's last result, the files it read (as strings) and the cache
    entries it came from (kept from pruning while it is reused)."""

    key: str
    paths: frozenset[str]
    slots: tuple[tuple[str, str], ...]
    result: object


@dataclass
class _Held:
    """An in-memory step's last result and its key."""

    key: str
    result: object


@dataclass
class _Listing:
    folder: Path
    result: object


@dataclass(frozen=True)
class LoadKeys:
    """What the output plan keys pages by, slug -> key: each source's
    inputs, its article's text and its mentions."""

    sources: dict[str, str]
    articles: dict[str, str]
    mentions: dict[str, str]


class CachedSteps:
    """``content.load.Steps`` over a ``BuildCache``; ``begin`` before each load."""

    def __init__(self):
        self.context: str | None = None
        self.kept: dict[tuple, _Kept] = {}
        self.held: dict[str, _Held] = {}
        self.listings: dict[str, _Listing] = {}
        self.cache: BuildCache | None = None
        self.inputs: Inputs | None = None
        self.root: Path | None = None
        self.changed: set[Path] | None = None
        self.changed_names: frozenset[str] = frozenset()
        self.jobs = 1
        self.keys: dict[str, dict[str, str]] = {}  # this load: step -> label -> key of its result
        self.last: dict[str, str | None] = {}  # this load: step -> key of its last run (None: not keyed)

    def begin(self, cache: BuildCache, inputs: Inputs, context: str, root: Path, changed: set[Path] | None,
              jobs: int) -> None:
        """``context``: a key of what loading depends on besides the files (the
        generator's code, the settings it reads); ``changed``: the files changed
        since the last load through this object (None: unknown)."""
        if changed is None or context != self.context:
            self.kept.clear()
            self.listings.clear()
        self.cache, self.inputs, self.context, self.root, self.jobs = cache, inputs, context, root, jobs
        self.changed = changed
        self.changed_names = frozenset(str(p) for p in changed) if changed is not None else frozenset()
        self.keys, self.last = {}, {}

    def reading(self, config: SiteConfig) -> Reading:
        """Each file read once per build, resolved and shown once per builder."""
        inputs, root = self.inputs, config.root
        return Reading(config, lambda path: inputs.rel(path, root), inputs.resolve,
                       MarkupCheck(config.allow_html, config.base_path), inputs.read)

    def keys_of(self, name: str) -> dict[str, str]:
        return self.keys.get(name, {})

    # -- running steps ------------------------------------------------------

    def run(self, name: str, inputs: StepInputs, function: Callable, *args):
        if inputs.folder is not None:
            return self._listing(name, inputs.folder, function, args)
        if inputs.in_memory:
            return self._held(name, inputs, function, args)
        result = self._kept_result(name, inputs)
        if result is not _MISSING:
            return result
        key = self._key(name, inputs)
        result = self._cached(name, inputs, key)
        if result is _MISSING:
            result = function(*args)
            self._store(name, inputs, key, result)
        return result

    def run_many(self, name: str, jobs: Sequence[tuple[StepInputs, tuple]], function: Callable,
                 while_waiting: Callable[[], object] | None = None) -> list:
        """``run`` for each job; those not found in the cache are run in forked
        processes when there are many (``while_waiting`` then runs here)."""
        kept = self._kept_result
        results = [kept(name, inputs) for inputs, _ in jobs]
        pending = [i for i, result in enumerate(results) if result is _MISSING]
        keys = {i: self._key(name, jobs[i][0]) for i in pending}
        if len(pending) > 1:
            self._prefetch(name, jobs, keys)
        for i in pending:
            results[i] = self._cached(name, jobs[i][0], keys[i])
        missing = [i for i in pending if results[i] is _MISSING]
        if len(missing) >= PARALLEL_STEPS and self.jobs >= 2:
            self._run_forked(name, jobs, function, keys, missing, results, while_waiting)
        for i in missing:
            if results[i] is _MISSING:
                inputs, args = jobs[i]
                results[i] = function(*args)
                self._store(name, inputs, keys[i], results[i])
        return results

    def _run_forked(self, name: str, jobs, function: Callable, keys: dict, missing: list[int], results: list,
                    while_waiting) -> None:
        """The missing steps shared between this process and forked workers
        (``workers.map_forked``; ``while_waiting`` runs here first); each
        result comes back pickled, as the cache stores it."""
        def work(part: list[int]) -> list[tuple]:
            done = []
            for i in part:
                result = function(*jobs[i][1])
                done.append((i, self._entry(name, jobs[i][0], keys[i], result), pack(result)))
            return done

        parts = chunks(sorted(missing, key=lambda i: jobs[i][0].label), max(self.jobs * 4, len(missing) // 250))
        for done in map_forked(work, parts, self.jobs, while_waiting):
            rows = []
            for i, entry, blob in done:
                results[i] = value = unpack(blob)
                if entry is not None:
                    full, reads = entry
                    if reads is not None:
                        self.cache.put(f"{name}:reads", keys[i], reads)
                    rows.append((name, full, value, blob))
                    self._remember(name, jobs[i][0], keys[i], full, reads, value)
            self.cache.put_blobs(rows)

    # -- keys ---------------------------------------------------------------

    def _key(self, name: str, inputs: StepInputs) -> str | None:
        """The key of a step's declared inputs (None: a file cannot be read)."""
        parts = [name, self.context]
        for path in inputs.files:
            digest = self.inputs.digest(path)
            if digest is None:
                return None
            parts += (self.inputs.rel(path, self.root), digest)
        for value in inputs.values:
            parts.append(value if isinstance(value, str) else key_of(value))
        for step in inputs.after:
            earlier = self.last.get(step)
            if earlier is None:
                return None
            parts.append(earlier)
        return "\0".join(parts)  # a plain join: computed for every source of every build

    def _full_key(self, key: str, reads: tuple[str, ...]) -> str | None:
        """``key`` with the files a step found it read (as ``_shown`` gives them)."""
        parts = [key]
        for shown in reads:
            path = self.root / shown
            digest = self.inputs.digest(path)
            if digest is None:
                return None
            parts += (self.inputs.rel(path, self.root), digest)
        return "\0".join(parts)

    def _shown(self, path: Path) -> str:
        """A file as a step's further inputs are stored: relative to the site
        folder as written (not resolved: a link stays a link)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _entry(self, name: str, inputs: StepInputs, key: str | None, result) -> tuple | None:
        """(full key, further files as stored or None) for a new result; None:
        it cannot be stored (it depends on more than its key says)."""
        if key is None:
            return None
        if not inputs.reads_more:
            return key, None
        if result.reads is None:
            return None
        reads = tuple(self._shown(path) for path in result.reads)
        full = self._full_key(key, reads)
        return None if full is None else (full, reads)

    # -- the cache and the memory -----------------------------------------------

    def _kept_result(self, name: str, inputs: StepInputs):
        """The last result of this step, if it read only files and none changed."""
        if inputs.values or inputs.after or not self.kept:
            return _MISSING
        kept = self.kept.get((name, inputs.label, inputs.files))
        if kept is None or not self.changed_names.isdisjoint(kept.paths):
            return _MISSING
        self.cache.used.update(kept.slots)
        self._record(name, inputs.label, kept.key)
        return kept.result

    def _cached(self, name: str, inputs: StepInputs, key: str | None):
        if key is None:
            self.last[name] = None
            return _MISSING
        full, reads = key, None
        if inputs.reads_more:
            reads = self.cache.get(f"{name}:reads", key)
            full = self._full_key(key, reads) if reads is not None else None
        result = self.cache.get(name, full, _MISSING) if full is not None else _MISSING
        if result is not _MISSING:
            self._remember(name, inputs, key, full, reads, result)
        return result

    def _prefetch(self, name: str, jobs, keys: dict) -> None:
        """Read the entries of many steps from the file in a few queries."""
        if self.cache.db is None:
            return
        wanted = [k for k in keys.values() if k is not None]
        if jobs[0][0].reads_more:
            self.cache.prefetch(f"{name}:reads", wanted)
            wanted = [self._full_key(k, reads) for k in wanted
                      if (reads := self.cache.memory.get((f"{name}:reads", k))) is not None]
        self.cache.prefetch(name, [k for k in wanted if k is not None])

    def _store(self, name: str, inputs: StepInputs, key: str | None, result) -> None:
        entry = self._entry(name, inputs, key, result)
        if entry is None:
            self.last[name] = None
            return
        full, reads = entry
        if reads is not None:
            self.cache.put(f"{name}:reads", key, reads)
        self.cache.put(name, full, result)
        self._remember(name, inputs, key, full, reads, result)

    def _remember(self, name: str, inputs: StepInputs, key: str, full: str, reads, result) -> None:
        self._record(name, inputs.label, full)
        if inputs.values or inputs.after or not inputs.files:
            return
        paths = [str(p) for p in inputs.files]
        slots = [(name, full)]
        if reads is not None:
            paths += (str(self.root / shown) for shown in reads)
            slots.append((f"{name}:reads", key))
        self.kept[(name, inputs.label, inputs.files)] = _Kept(full, frozenset(paths), tuple(slots), result)

    def _record(self, name: str, label: str, key: str) -> None:
        self.last[name] = key
        self.keys.setdefault(name, {})[label] = key

    def _held(self, name: str, inputs: StepInputs, function: Callable, args: tuple):
        key = self.last[name] = self._key(name, inputs)
        if key is None:
            return function(*args)
        held = self.held.get(name)
        if held is None or held.key != key:
            held = self.held[name] = _Held(key, function(*args))
        return held.result

    def _listing(self, name: str, folder: Path, function: Callable, args: tuple):
        held = self.listings.get(name)
        if held is not None and held.folder == folder and self._same_listing(folder, held.result.listed):
            return held.result
        result = function(*args)
        self.listings[name] = _Listing(folder, result)
        return result

    def _same_listing(self, folder: Path, names) -> bool:
        """Would listing ``folder`` again give ``names``? Yes when every change
        below it is to the bytes of a plain file among them (an edit, not a
        file added, removed or turned into a link or folder)."""
        if self.changed is None:
            return False
        for path in self.changed:
            if path == folder or folder in path.parents:
                if path.parent != folder or path.name not in names or path.is_symlink() or not path.is_file():
                    return False
        return True
