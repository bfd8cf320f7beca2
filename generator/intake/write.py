"""Writing one source's files: all of them or none, never over a file that
exists unless asked.

Each file is written beside its place and renamed in, so a crash leaves no
half-written seed; if a later file fails, the ones this run wrote are
removed again, and an original that was moved out of ``seeds/`` is moved
back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Plan:
    files: dict[Path, bytes]  # what to write, in order
    move: tuple[Path, Path] | None = None  # an original inside seeds/ → its place in captures/
    written: list[Path] = field(default_factory=list)


class WriteError(Exception):
    pass


def existing(plan: Plan) -> list[Path]:
    """The targets that exist already (the move's source aside: it is the original itself)."""
    moving_from = plan.move[0] if plan.move else None
    targets = list(plan.files) + ([plan.move[1]] if plan.move else [])
    return [p for p in targets if (p.exists() or p.is_symlink()) and p != moving_from]


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def carry_out(plan: Plan) -> None:
    """The move first (the seed may take the original's place), then the files."""
    moved = False
    try:
        if plan.move:
            plan.move[1].parent.mkdir(parents=True, exist_ok=True)
            os.replace(*plan.move)
            moved = True
        for path, data in plan.files.items():
            _write(path, data)
            plan.written.append(path)
    except OSError as exc:
        for path in plan.written:
            path.unlink(missing_ok=True)
        if moved:
            os.replace(plan.move[1], plan.move[0])
        raise WriteError(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None
