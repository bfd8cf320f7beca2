"""Writing the output folder safely.

Everything is written to a fresh folder beside the output and swapped in
only when complete, so a failed build leaves the previous site untouched.
The output may never be, hold, or sit inside the site's own sources.
"""

from __future__ import annotations

import os
import shutil
from typing import NamedTuple
from pathlib import Path, PurePosixPath

from ..hashing import digest
from ..content.config import CACHE_DIR, SiteConfig, resolve
from .outfolder import staging_dir, temporary_name


class OutputError(Exception):
    pass


def check_output_dir(out: Path, config: SiteConfig, shown: str | None = None) -> str | None:
    """Why ``out`` must not be used as the output folder, or None if it is fine.

    ``shown``: the folder as the user named it (default: relative to the site folder)."""
    out = resolve(out)
    shown = shown or config.rel(out)
    protected = {"the site folder": config.root, "the seeds folder": config.seeds_dir,
                 "the content folder": config.content_dir, "the templates folder": config.templates_dir,
                 "the build cache": config.root / CACHE_DIR}
    for what, path in protected.items():
        path = resolve(path)
        if out == path or out in path.parents:
            return f"output folder '{shown}' is or holds {what} ({config.rel(path)}); refusing to replace it"
        if what != "the site folder" and path in out.parents:
            return f"output folder '{shown}' is inside {what} ({config.rel(path)})"
    if out == Path(out.anchor) or out == Path.home().resolve():
        return f"refusing to use {out} as the output folder"
    return None


def safe_join(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that would leave ``root``."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("..", "") or "\\" in p or ":" in p for p in parts):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


# -- writing only what changed -------------------------------------------------
#
# A rebuild compares each file it makes with what the previous build wrote
# (the manifest: digest, size, modification time and inode of every file)
# and writes only the files that differ. When the output folder is not
# exactly what the manifest says (a file edited, deleted or added by hand, or
# no manifest at all), the build writes everything into a staging folder and
# swaps it in.


class FileState(NamedTuple):
    digest: str
    size: int
    mtime_ns: int
    inode: int


def scan_output(out: Path) -> tuple[dict[str, tuple[int, int, int]], set[str]] | None:
    """Every file under ``out``: relative path -> (size, mtime_ns, inode), and
    every folder; None when ``out`` is not a folder."""
    out = Path(out)
    if not out.is_dir() or out.is_symlink():
        return None
    files: dict[str, tuple[int, int, int]] = {}
    folders: set[str] = set()
    pending = [("", str(out))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(relative)
                    pending.append((relative + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    files[relative] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return files, folders


def as_left(states: dict[str, tuple] | None, folders: int | None, scanned) -> bool:
    """Is the output folder exactly as a build left it: the same files, each
    with the (size, mtime_ns, inode) it had, and ``folders`` folders (no more:
    a scanned file's folders are scanned, so the count tells an added one)?"""
    return states is not None and scanned is not None and scanned[0] == states and len(scanned[1]) == folders


def folders_of(paths) -> set[str]:
    """Every folder that holds one of ``paths`` (relative, '/'-separated)."""
    parents = set()
    for relative in paths:
        parts = relative.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            parents.add("/".join(parts[:i]))
    return parents


class Staged:
    """The files of the output a build is making. ``files``: each file ->
    a tuple that starts with its digest and size (the ``FileState`` of a file
    kept as it is, taken from the manifest without a copy; ``stage``'s result
    for a file made); ``written``: the temporary file of each file written;
    ``looked``: the files made by this build whose content the search step
    asked about when they were made, ``marked`` those it found marked (the
    search step reads the others again)."""

    def __init__(self):
        self.files: dict[str, tuple] = {}
        self.written: dict[str, str] = {}
        self.looked: set[str] = set()
        self.marked: set[str] = set()

    def add(self, name: str, result: tuple) -> None:
        """A file made: ``OutputWriter.stage``'s result."""
        self.files[name] = result
        if result[2] is not None:
            self.written[name] = result[2]
        else:
            self.written.pop(name, None)

    def add_all(self, results: dict[str, tuple]) -> None:
        for name, result in results.items():
            self.add(name, result)

    def keep(self, names, manifest: dict[str, FileState]) -> None:
        """Files left as they are."""
        self.files.update(zip(names, map(manifest.__getitem__, names)))


def ensure_folder(folder: str, made: set[str]) -> None:
    """Make ``folder`` (and its parents) unless it is in ``made``, the folders
    this process has made already: a build writes thousands of files into
    few folders, and each ``makedirs`` costs system calls."""
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def write_new(path: str, data: bytes, folders: set[str]) -> None:
    """Write a file into a folder being built: its folder made once (``folders``:
    those already made), the bytes written with the system calls alone (a
    cold build writes some 30,000 files: ``open()`` and a ``mkdir`` per file
    cost more than the writing)."""
    ensure_folder(os.path.dirname(path), folders)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class OutputWriter:
    """Writes one build's files. ``previous``: the manifest of an output
    folder known to be intact (files are then written beside the ones they
    replace and renamed over them at the end), or None (everything is
    written into a staging folder swapped in at the end). ``stage`` may be
    called from forked worker processes; ``commit`` and ``abort`` run in the
    parent. Nothing visible changes before ``commit``."""

    def __init__(self, out: Path, previous: dict[str, FileState] | None):
        self.out = Path(out).resolve()
        self.previous = previous
        self.staging: Path | None = None
        if previous is None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.staging = staging_dir(self.out, "new")
        # The build's own process id, also in forked workers: a build running
        # beside this one can tell this build's temporary files from debris.
        self.owner = os.getpid()
        self.created: list[Path] = []  # folders made for new files (update mode)
        self.folders: set[str] = set()  # folders of the staging folder made by this process

    @property
    def full(self) -> bool:
        return self.previous is None

    def stage(self, relative: str, data: bytes) -> tuple[str, int, str | None]:
        """Write one file (unless unchanged): (digest, size, temporary path or None)."""
        value = digest(data)
        if self.previous is None:
            path = str(safe_join(self.staging, relative))
            write_new(path, data, self.folders)
            return value, len(data), path
        old = self.previous.get(relative)
        if old is not None and old.digest == value and old.size == len(data):
            return value, len(data), None
        target = safe_join(self.out, relative)
        if not target.parent.is_dir():
            missing = []
            folder = target.parent
            while not folder.exists():
                missing.append(folder)
                folder = folder.parent
            target.parent.mkdir(parents=True, exist_ok=True)
            self.created.extend(missing)
        temporary = target.parent / temporary_name(target.name, self.owner)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return value, len(data), str(temporary)

    def fits(self, files: dict) -> bool:
        """Can an update write these files into the old folder (no file where
        a folder must go, and the reverse)?"""
        if self.previous is None:
            return True
        added = files.keys() - self.previous.keys()
        if not added:
            return True  # the same files, or fewer
        return not (added & folders_of(self.previous)) and not (folders_of(added) & set(self.previous))

    def commit(self, staged: Staged) -> dict[str, FileState]:
        """Make the staged files (every file of the new output) the content
        of the output folder; returns its manifest."""
        files = staged.files
        if self.previous is None:
            os.chmod(self.staging, 0o755)
            old = None
            if self.out.exists():
                old = staging_dir(self.out, "old")
                os.rename(self.out, old / "site")
            os.rename(self.staging, self.out)
            self.staging = None
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            scanned = scan_output(self.out)[0]
            return {rel: FileState(files[rel][0], *scanned[rel]) for rel in files}
        manifest = dict(self.previous)
        for relative, temporary in sorted(staged.written.items()):
            target = safe_join(self.out, relative)
            os.replace(temporary, target)
            st = target.stat()
            manifest[relative] = FileState(files[relative][0], st.st_size, st.st_mtime_ns, st.st_ino)
        gone = sorted(self.previous.keys() - files.keys())
        for relative in gone:
            safe_join(self.out, relative).unlink(missing_ok=True)
            del manifest[relative]
        keep = folders_of(files) if gone else set()
        for folder in sorted(folders_of(gone) - keep, key=lambda f: -f.count("/")):
            try:
                safe_join(self.out, folder).rmdir()
            except OSError:
                pass
        return manifest

    def abort(self, staged: Staged | None = None) -> None:
        """Leave the output folder as it was."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            return
        for temporary in (staged.written if staged is not None else {}).values():
            Path(temporary).unlink(missing_ok=True)
        for folder in sorted(self.created, key=lambda p: -len(p.parts)):
            try:
                folder.rmdir()
            except OSError:
                pass
