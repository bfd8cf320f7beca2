"""``init``: a new site folder, copied from the starter site shipped with the package.

The starter (``generator/starter/``) is a complete small site that builds
with ``--strict`` as it stands: a newcomer learns the format from files that
work, then replaces them. The Python here only copies it; the one value
filled in is where the new site's ``requirements.txt`` installs the
generator from, which only the user knows.
"""

from __future__ import annotations

import sys
from pathlib import Path

STARTER_DIR = Path(__file__).resolve().parent / "starter"
# Only requirements.txt is filled in; every other file is copied byte for byte.
FILLED_IN = "requirements.txt"
URL_FIELD = "{generator_url}"
# What requirements.txt says when no --generator-url was given: pip stops on it
# with the address in its message, rather than installing something else.
PLACEHOLDER_URL = "git+https://github.com/REPLACE-WITH-OWNER/REPLACE-WITH-GENERATOR-REPOSITORY.git"
URL_SCHEMES = ("git+https://", "git+ssh://", "git+file://", "https://", "file://")


def starter_files() -> list[Path]:
    """The starter's files, relative to its folder, in a stable order
    (``__pycache__`` and editor debris are not part of it)."""
    return sorted(p.relative_to(STARTER_DIR) for p in STARTER_DIR.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def _content(relative: Path, generator_url: str) -> bytes:
    data = (STARTER_DIR / relative).read_bytes()
    if relative.as_posix() == FILLED_IN:
        data = data.replace(URL_FIELD.encode(), generator_url.encode("utf-8"))
    return data


def _problem(folder: Path, force: bool) -> str | None:
    if folder.exists() and not folder.is_dir():
        return f"{folder}: error: not a folder"
    if folder.is_dir() and any(folder.iterdir()) and not force:
        return (f"{folder}: error: the folder is not empty; choose a new or empty folder "
                f"(--force adds the missing starter files and changes no existing file)")
    return None


def init_site(folder: Path, generator_url: str | None = None, force: bool = False) -> int:
    """Write the starter site into ``folder``: exit status 0, 1 when the folder
    is not empty (without ``--force``) or cannot be written, 2 for a bad URL.
    With ``force``, files already there are kept as they are, byte for byte."""
    if generator_url is not None and not generator_url.startswith(URL_SCHEMES):
        print(f"error: --generator-url must be a URL pip can install from ({', '.join(URL_SCHEMES)}...), "
              f"got {generator_url!r}", file=sys.stderr)
        return 2
    problem = _problem(folder, force)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    written, kept = [], []
    try:
        for relative in starter_files():
            target = folder / relative
            if target.exists() or target.is_symlink():
                kept.append(relative)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as out:  # never over a file that appeared meanwhile
                out.write(_content(relative, generator_url or PLACEHOLDER_URL))
            written.append(relative)
    except OSError as exc:
        print(f"{folder}: error: cannot write the site: {exc.strerror or exc}", file=sys.stderr)
        return 1
    _report(folder, written, kept, generator_url)
    return 0


def _report(folder: Path, written: list[Path], kept: list[Path], generator_url: str | None) -> None:
    print(f"wrote {len(written)} files in {folder}" + (f"; kept {len(kept)} already there: "
          + ", ".join(p.as_posix() for p in kept) if kept else ""))
    if generator_url is None:
        print(f"note: {folder / FILLED_IN} installs the generator from a placeholder address: "
              "write the generator's git URL there before you publish (or run init with --generator-url)")
    print(f"next: cd {folder} && python -m generator build --strict  (then read {folder / 'README.md'})")
