"""Whose is the output folder? Ownership, and the debris of killed builds.

A build replaces its output folder whole, so it must never take a folder
that is not its own: another project with its ``.git``, another site, a home
folder named by a ``site.yaml`` received from someone else. Every build
writes a manifest into the output, ``.generator-manifest.json`` (the list of
the files it wrote); a folder is the generator's when every file in it is
listed there. A folder built before the manifest existed is recognised by
the build cache's own manifest of that folder. Anything else is refused
unless the user says ``--force``; a file is never replaced by a folder.

Staging folders beside the output and temporary files inside it carry this
generator's name and the process id of the build that made them, so a later
build can tell the leftovers of a killed build (its process is gone) from
the work of a build running at the same time, and remove only the former.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from ..content.yamlio import YamlError, load

MARKER = ".generator-manifest.json"
GENERATOR = "research-microsite-generator"
# ".public.new-gen1234-abcd_123": tempfile's eight random characters after the pid.
_STAGING = re.compile(r"^\.(?P<name>.+)\.(?:new|old|search)-gen(?P<pid>[0-9]+)-[a-z0-9_]{8}$")
# ".index.html.1234.new": a file of an update build, beside the one it replaces.
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>[0-9]+)\.new$")
STALE_SECONDS = 24 * 3600  # longer than any build: a leftover this old is debris whatever its pid says
SHOWN = 3  # entries named in a refusal


def staging_dir(out: Path, kind: str) -> Path:
    """A new folder beside ``out`` (kind: new, old or search) named for this build."""
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-gen{os.getpid()}-", dir=out.parent))


def temporary_name(name: str, pid: int) -> str:
    """The name an update build writes a file under before renaming it over ``name``."""
    return f".{name}.{pid}.new"


def marker_bytes(names, whole: tuple[str, ...] = ()) -> bytes:
    """The manifest written into the output: the files of the build, sorted
    (deterministic). A folder of ``whole`` is listed as ``folder/``, all its
    files at once: the search index's file names change with every edit, and
    the manifest need not."""
    files = sorted({next((f"{folder}/" for folder in whole if name.startswith(f"{folder}/")), name)
                    for name in names if name != MARKER})
    value = {"generator": GENERATOR, "format": 1,
             "note": "This folder is the output of the research microsite generator; "
                     "the next build replaces it, and refuses if it holds files not listed here.",
             "files": files}
    return (json.dumps(value, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def _listed(out: Path) -> set[str] | None:
    """The files the manifest in ``out`` lists, or None if there is no valid one."""
    try:
        value = json.loads((out / MARKER).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict) or value.get("generator") != GENERATOR or not isinstance(value.get("files"), list):
        return None
    return {name for name in value["files"] if isinstance(name, str)}


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not ours to ask: leave its files alone
    return True


def _stale(path: Path, pid: int) -> bool:
    """A leftover of a build that no longer runs (its process is gone, or it is older than a build can be)."""
    if pid == os.getpid():
        return False
    if not _alive(pid):
        return True
    try:
        return time.time() - path.lstat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def remove_debris_beside(out: Path) -> None:
    """Remove the staging folders that killed builds of ``out`` left beside it."""
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    for entry in entries:
        match = _STAGING.match(entry.name)
        if match is None or match["name"] != out.name:
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False) and _stale(path, int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)


def is_temporary(relative: str) -> bool:
    return _TEMPORARY.match(relative.rsplit("/", 1)[-1]) is not None


def remove_debris_inside(out: Path, scanned, manifest) -> None:
    """Remove from ``out`` (and from ``scanned``, its listing) the temporary
    files killed update builds left there; a running build's are kept."""
    if scanned is None:
        return
    files = scanned[0]
    for relative in [name for name in files if is_temporary(name) and (manifest is None or name not in manifest)]:
        path = out / relative
        if _stale(path, int(_TEMPORARY.match(path.name)["pid"])):
            try:
                path.unlink()
            except OSError:
                continue
            del files[relative]


class Place(NamedTuple):
    """How to name the output folder in a message: ``where`` is the
    diagnostic's path (``--out``, ``site.yaml``), ``line`` its line."""
    where: str
    line: int | None
    shown: str


def place(out: Path, given: Path | None, config) -> Place:
    """The output folder as the user named it: ``--out`` as typed, or
    ``output_dir`` at its line in site.yaml."""
    if given is not None:
        shown = str(given) if not Path(given).is_absolute() else _relative(out, Path.cwd(), config.root)
        return Place("--out", None, shown)
    line, written = _output_dir_setting(config.config_path)
    return Place(config.rel(config.config_path), line,
                 written if isinstance(written, str) else _relative(out, config.root, Path.cwd()))


def _relative(path: Path, *bases: Path) -> str:
    for base in bases:
        try:
            return path.relative_to(base.resolve()).as_posix() or "."
        except (ValueError, OSError):
            continue
    return str(path)


def _output_dir_setting(config_path: Path) -> tuple[int | None, object]:
    """The line of ``output_dir`` in site.yaml and its value as written ((None, None): not set there)."""
    try:
        data = load(Path(config_path).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, YamlError):
        return None, None
    if isinstance(data, dict) and "output_dir" in data and hasattr(data, "line_of"):
        return data.line_of("output_dir"), data["output_dir"]
    return None, None


def _names(paths, limit: int = SHOWN) -> str:
    names = sorted(paths)
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


def creation_problem(out: Path, shown: str) -> str | None:
    """Why the output folder cannot be made where it is asked for (None: it can be)."""
    folder = out
    while not os.path.lexists(folder):
        if folder.parent == folder:
            break
        folder = folder.parent
    if folder == out:
        return None
    if not folder.is_dir():
        return f"cannot create the output folder '{shown}': {_relative(folder, Path.cwd())} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create the output folder '{shown}': permission denied in {_relative(folder, Path.cwd())}"
    return None


def ownership_problem(out: Path, shown: str, scanned, cached, force: bool) -> str | None:
    """Why the build must not replace ``out`` (None: it may).

    ``scanned``: ``writer.scan_output(out)``; ``cached``: the build cache's
    manifest of this folder (the names of the files a build wrote there), or None."""
    if os.path.lexists(out) and not out.is_dir():
        return f"output folder '{shown}' is a file; refusing to replace it with a folder"
    if scanned is None or force:
        return None
    files = {name for name in scanned[0] if name != MARKER and not is_temporary(name)}
    if not files:
        return None  # empty (or only empty folders): nothing to lose
    listed = _listed(out)
    if listed is not None:
        folders = tuple(name for name in listed if name.endswith("/"))
        extra = {name for name in files - listed if not name.startswith(folders)}
        if not extra:
            return None
        return (f"output folder '{shown}' holds files this generator did not write "
                f"({_names({name.split('/')[0] for name in extra})}); move them away or use --force to replace it")
    if cached is not None and files <= set(cached):
        return None  # built by an earlier version, before the manifest: the cache knows it
    top = {name.split("/")[0] for name in scanned[0]} | {name.split("/")[0] for name in scanned[1]}
    return (f"output folder '{shown}' is not empty and was not written by this generator "
            f"(it holds {_names(top)}); use --force to replace it")
