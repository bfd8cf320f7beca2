"""Writing the output folder safely.

Everything is written to a fresh folder beside the output and swapped in
only when complete, so a failed build leaves the previous site untouched.
The output may never be, hold, or sit inside the site's own sources.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable

from .config import SiteConfig


class OutputError(Exception):
    pass


def check_output_dir(out: Path, config: SiteConfig) -> str | None:
    """Why ``out`` must not be used as the output folder, or None if it is fine."""
    out = out.resolve()
    protected = {"the site folder": config.root, "the seeds folder": config.seeds_dir,
                 "the content folder": config.content_dir, "the templates folder": config.templates_dir}
    for what, path in protected.items():
        path = path.resolve()
        if out == path or out in path.parents:
            return f"output folder {out} is or holds {what} ({path}); refusing to replace it"
        if what != "the site folder" and path in out.parents:
            return f"output folder {out} is inside {what} ({path})"
    if out == Path(out.anchor) or out == Path.home().resolve():
        return f"refusing to use {out} as the output folder"
    return None


def safe_join(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that would leave ``root``."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("..", "") or "\\" in p or ":" in p for p in parts):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


def write_tree(out: Path, files: dict[str, bytes], finish: Callable[[Path], None] | None = None) -> None:
    """Write ``files`` (relative path -> bytes) as the new content of ``out``, atomically swapped.

    ``finish`` runs on the complete staging folder before the swap (the
    search index is built there); if it raises, the staging folder is
    removed and the previous output stays.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for relative in sorted(files):
            path = safe_join(staging, relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[relative])
        if finish is not None:
            finish(staging)
        os.chmod(staging, 0o755)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, old / "site")
        os.rename(staging, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
