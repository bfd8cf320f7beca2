"""What a build reads: every input file, the key of the templates and of
the settings, and which known files a change touches. The build's first
question, "is anything different since the last build?", is asked of these."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from ..hashing import digest, key
from ..content.config import SiteConfig, shown_path
from ..content.inputfiles import read_bytes
from ..render.themes import theme_dirs

_MISSING = object()
# A file changed less than this long before a build is read again by the next
# one whatever its state says: a second write within the file system's
# timestamp granularity (2 s on FAT, a few milliseconds on Linux) would leave
# the state as it was.
SETTLING_NS = 2_000_000_000


class InputChanged(Exception):
    """A file changed while the build was reading it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(f"{path} changed during the build")


class Inputs:
    """The files a build reads, each read once per build, with their digests.

    A ``Builder`` keeps the digests between builds and forgets only the
    paths it is told have changed, so a rebuild after one edit reads one
    file. The bytes are kept only for the build that read them.

    A new process knows the digests through ``states``: each file's size,
    modification and change times and inode when its digest was taken (the
    build cache keeps them). A file whose state is the same has the same
    bytes (a write changes its change time, which no program sets back), so
    a build with nothing changed reads no file, it only asks their states.
    """

    def __init__(self):
        self.digests: dict[Path, str | None] = {}
        # str(path) -> (size, mtime_ns, ctime_ns, inode, digest) of the files settled when read
        self.states: dict[str, tuple] | None = None  # None: not read from the cache yet
        self.states_changed = False  # an entry was added or dropped since they were read
        self.settled = 0  # a file last changed before this time (ns) is settled
        self.data: dict[Path, bytes] = {}
        self.resolved: dict[Path, Path] = {}
        self.shown: dict[tuple[Path, Path], str] = {}
        self.roots: dict[Path, list[Path]] = {}  # path -> the roots it is shown relative to (in ``shown``)

    def rel(self, path: Path, root: Path) -> str:
        """``SiteConfig.rel``: the path relative to the (resolved) site folder, remembered."""
        shown = self.shown.get((path, root))
        if shown is None:
            shown = shown_path(path, self.resolve(path), root)
            self.shown[(path, root)] = shown
            self.roots.setdefault(path, []).append(root)
        return shown

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, remembered until the path is said to change
        (resolving costs a system call per folder of the path)."""
        value = self.resolved.get(path)
        if value is None:
            try:
                value = Path(path).resolve()
            except (OSError, RuntimeError):  # a link loop: shown as written; the loader reports it
                value = Path(os.path.abspath(path))
            self.resolved[path] = value
        return value

    def read(self, path: Path) -> bytes:
        """The file's bytes (``OSError`` if it cannot be read). A file whose
        bytes differ from the digest this build already took of it raises
        ``InputChanged``: results keyed by the old digest must not be made
        from the new bytes."""
        data = self.data.get(path)
        if data is None:
            data = read_bytes(path)
            value = digest(data)
            known = self.digests.get(path, _MISSING)
            if known is not _MISSING and known != value:
                raise InputChanged(path)
            self.data[path] = data
            self.digests[path] = value
        return data

    def digest(self, path: Path) -> str | None:
        """The digest of the file's bytes, None if it cannot be read."""
        value = self.digests.get(path, _MISSING)
        if value is _MISSING:
            value = self.digests[path] = self._digest_by_state(path)
        return value

    def _digest_by_state(self, path: Path) -> str | None:
        """The digest that the file's state vouches for, or its bytes' digest."""
        name = str(path)
        try:
            st = os.stat(path)
        except OSError:
            st = None
        state = None if st is None else (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        known = self.states.get(name) if self.states is not None else None
        if known is not None and state is not None and known[:4] == state:
            return known[4]
        try:
            value = digest(read_bytes(path))
        except OSError:
            value = None
        if self.states is not None:
            # st is None when the file appeared after the stat: read, but no state vouches for it
            settled = st is not None and stat.S_ISREG(st.st_mode) and max(st.st_mtime_ns, st.st_ctime_ns) < self.settled
            if value is not None and settled:
                self.states[name] = (*state, value)  # the state taken before the read: a later write changes it
                self.states_changed = True
            elif self.states.pop(name, None) is not None:
                self.states_changed = True
        return value

    def use_states(self, stored) -> None:
        """The states the cache kept (``kept_states``), once per builder."""
        if self.states is None:
            self.states = dict(stored) if isinstance(stored, dict) else {}
            self.states_changed = False

    def kept_states(self, files) -> dict[str, tuple] | None:
        """The states to keep in the cache, of ``files`` only (None: nothing new to keep)."""
        if self.states is None or not self.states_changed:
            return None
        names = {str(path) for path in files}
        self.states = {name: value for name, value in self.states.items() if name in names}
        self.states_changed = False
        return self.states

    def forget(self, paths=None) -> None:
        """Forget these paths (all of them: None); keep nothing read in full.
        Called as a build begins: files changed from now on are not settled."""
        self.settled = time.time_ns() - SETTLING_NS
        if paths is None:
            self.digests.clear()
            self.resolved.clear()
            self.shown.clear()
            self.roots.clear()
        else:
            for path in paths:
                self.digests.pop(path, None)
                self.resolved.pop(path, None)
            if paths:
                for path in paths:
                    for root in self.roots.get(path, ()):
                        self.shown.pop((path, root), None)
        self.data.clear()

    def end_build(self) -> None:
        self.data.clear()


def affected_by(known: dict[Path, object], changed: set[Path]) -> set[Path]:
    """The known files a change touches (a changed folder touches all below it)."""
    affected = set()
    for path in changed:
        path = Path(path).resolve()
        affected.add(path)
        if path in known:
            continue
        for other in known:
            if path in other.parents:
                affected.add(other)
    return affected


def input_files(config: SiteConfig) -> list[Path]:
    """Every file a build may read: site.yaml, and all files under the seeds,
    content and templates folders and the built-in theme."""
    files = [config.config_path]
    for folder in (config.seeds_dir, config.content_dir, *theme_dirs(config.templates_dir)):
        if folder.is_dir():
            files.extend(walk(folder))
    return sorted(set(files), key=str)


def walk(folder: Path) -> list[Path]:
    found = []
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # unreadable, or a link loop: the loader reports what it needs
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):  # a linked folder could loop forever
                    pending.append(entry.path)
                    continue
                linked_folder = not entry.is_file() and entry.is_dir()
            except OSError:  # a link loop
                linked_folder = False
            if not linked_folder:  # a FIFO, a link loop or to nothing too: its change is a change of the input
                found.append(Path(entry.path))
    return found


def templates_key(config: SiteConfig, inputs: Inputs) -> str:
    parts = []
    for folder in theme_dirs(config.templates_dir):
        for path in sorted(walk(folder)):
            parts.append((str(path.relative_to(folder)), str(folder), inputs.digest(path)))
    return key("templates", tuple(parts))


def settings_key(config: SiteConfig, strict: bool | None, with_urls: bool = True) -> str:
    """The settings a build's output depends on."""
    values = {name: str(value) for name, value in vars(config).items()
              if with_urls or name not in ("base_url", "output_dir", "cname")}
    return repr((sorted(values.items()), strict))
