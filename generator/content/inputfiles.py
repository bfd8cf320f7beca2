"""Reading the site's input files: regular files only, links kept inside their folder, names in UTF-8.

Why each rule: opening a named pipe (FIFO) for reading waits for a writer
that never comes (the build hangs), a device may never end; a link in a
folder whose files are published (seeds, theme assets) would publish a file
from elsewhere on the machine (``leak.txt -> /etc/passwd``); and a file name
that is not UTF-8 cannot be written into YAML, HTML or a message. Every
reader of a site's input goes through ``read_bytes``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))

NAME_NOT_UTF8 = "file name is not valid UTF-8; rename it"
OUTSIDE = "is a link to a file outside the {folder} folder"


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (for a message)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class NotRegularFile(OSError):
    """An input that is not a regular file: an ``OSError`` so that every
    reader's ``cannot read file: …`` message covers it."""

    def __init__(self, path, mode: int):
        super().__init__(errno.EINVAL, f"not a regular file but {kind_of(mode)}", str(path))


def read_bytes(path) -> bytes:
    """``Path.read_bytes`` for a regular file (links followed); ``OSError``
    (``NotRegularFile``) for anything else, without blocking.

    The type is checked with ``stat`` before opening (opening a device may
    itself do something, and a FIFO opened without O_NONBLOCK waits), then
    again on the open descriptor, in case the file was swapped in between.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, mode)
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        return handle.read()


def special_problem(path) -> str | None:
    """For a folder entry that is neither a regular file nor a folder (as
    ``os.DirEntry.is_file`` and ``is_dir`` say): why it cannot be an input,
    or None for a link to nothing (skipped, as a missing file is)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # a link loop, a folder that cannot be read
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"cannot read file: not a regular file but {kind_of(mode)}"


def name_problem(name: str) -> str | None:
    """A file name the site cannot use: one that is not UTF-8 (Python lists
    it with lone surrogates in place of the bytes that do not decode)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return NAME_NOT_UTF8
    return None


def shown(text: str) -> str:
    """A path for a message, with the bytes of a name that is not UTF-8 written
    as ``\\xe9`` escapes (printed raw, they would be ``\\udce9``, or fail)."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name decodes to
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def inside(resolved: Path, root: Path) -> bool:
    """Is ``resolved`` (a resolved path) inside the resolved folder ``root``?
    The rule for links in a folder whose files are published: a link may
    point within the folder, never out of it."""
    return str(resolved).startswith(f"{root}{os.sep}")


def published_files(folder: Path, root: Path, noun: str, what: str) -> tuple[dict[str, bytes], list[tuple[str, str]]]:
    """The files under ``folder`` that are published as they are (a theme's
    assets), by their path relative to it, and the problems found, as
    (relative path, message). ``root``: the folder no link may lead out of
    (``what`` names it in the message, ``noun`` the file). Hidden files are left out; links to
    nothing and linked folders are skipped, as ``Path.rglob`` skips them."""
    files: dict[str, bytes] = {}
    problems: list[tuple[str, str]] = []
    resolved_root = root.resolve()
    for path in sorted(folder.rglob("*")):
        if path.name.startswith("."):
            continue
        name = path.relative_to(folder).as_posix()
        problem = name_problem(path.name)
        if problem is None:
            try:
                mode = os.stat(path).st_mode
                if stat.S_ISDIR(mode):
                    continue
                if not inside(path.resolve(), resolved_root):
                    problem = f"{noun} {OUTSIDE.format(folder=what)}"
                else:
                    files[name] = read_bytes(path)
            except FileNotFoundError:
                continue
            except (OSError, RuntimeError) as exc:  # RuntimeError: Python 3.11's resolve() on a link loop
                problem = f"cannot read file: {getattr(exc, 'strerror', None) or exc}"
        if problem is not None:
            problems.append((name, problem))
    return files, problems
