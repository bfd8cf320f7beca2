"""What a builder knows of the output folder it wrote last, typed.

The cache's meta entries (``manifest:``, ``digests:``, ``folders:``, ``items:``,
``item-files:``, ``last:`` + the folder) hold the same, as plain values, for
the next process: ``LastBuild.stored`` / ``from_stored``, ``stored_manifest``
/ ``manifest_to_store`` convert. The manifest is kept in two parts: the files'
states (``manifest:``, all a build with nothing to do compares with the
folder, with the number of its folders) and their digests (``digests:``, read
only by a build that has work).
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


def stored_manifest(states, digests) -> dict[str, FileState] | None:
    """The manifest from its two stored parts (None unless both are whole)."""
    if not isinstance(states, dict) or not isinstance(digests, dict) or len(states) != len(digests):
        return None
    try:
        return {name: FileState(digests[name], *state) for name, state in states.items()}
    except (KeyError, TypeError):
        return None


def manifest_to_store(manifest: dict[str, FileState]) -> tuple[dict[str, tuple], dict[str, str]]:
    """The manifest's two stored parts: each file's (size, mtime_ns, inode), as
    ``writer.scan_output`` lists them, and its digest."""
    return ({name: (state.size, state.mtime_ns, state.inode) for name, state in manifest.items()},
            {name: state.digest for name, state in manifest.items()})
