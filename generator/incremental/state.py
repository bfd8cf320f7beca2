"""What a builder knows of the output folder it wrote last, typed.

The cache's meta entries (``manifest:``, ``items:``, ``item-files:``,
``last:`` + the folder) hold the same, as plain values, for the next
process: ``LastBuild.stored`` / ``from_stored`` convert.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..publish.writer import FileState


@dataclass(frozen=True)
class LastBuild:
    """The last build that wrote a folder: what it was made from, what it reported."""

    build_key: str  # the code, the settings, the folder and every input file's digest
    diagnostics: tuple  # its warnings, replayed when nothing changed since
    pages: int

    def stored(self) -> tuple:
        return (self.build_key, self.diagnostics, self.pages)

    @classmethod
    def from_stored(cls, value) -> LastBuild | None:
        if isinstance(value, tuple) and len(value) == 3:
            return cls(*value)
        return None


@dataclass(frozen=True)
class OutputState:
    """The output folder as a builder last wrote it (or found it up to date)."""

    out: Path
    manifest: dict[str, FileState]  # output file -> its state when written
    last: LastBuild
    # item name -> its key, and its files; None: as the cache holds them (not read)
    item_keys: dict[str, str] | None = None
    item_files: dict[str, tuple[str, ...]] | None = None


def stored_manifest(stored) -> dict[str, FileState] | None:
    return None if stored is None else {name: FileState(*state) for name, state in stored.items()}
