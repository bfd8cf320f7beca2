"""What one builder keeps in memory between its builds, to redo only what changed.

Held by the ``Builder`` (never by a module): two builders in one process
(tests, a preview after a change of site.yaml) keep apart what they keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Memo:
    # (kind, content key or object identity) -> (the object, its fingerprint);
    # an entry made by identity holds its object, so that the identity cannot
    # be reused by another. Kept to what the last build used.
    fingerprints: dict[tuple, tuple] = field(default_factory=dict)
    # (kind, site key, content key) -> (generation, piece): pieces of pages
    # and data files made from one source or event (``kinds.base.Context.piece``).
    pieces: dict[tuple, tuple] = field(default_factory=dict)
    generation: int = 0  # builds that used the pieces so far
    # slot -> (signature, value): one value per slot, while what it reads is
    # unchanged (the actors' sums of mentions, the actor pages' keys).
    values: dict[str, tuple[str, object]] = field(default_factory=dict)

    def next_build(self) -> None:
        """Forget the pieces that neither this build nor the one before used."""
        self.generation += 1
        stale = self.generation - 1
        for slot in [slot for slot, (used, _) in self.pieces.items() if used < stale]:
            del self.pieces[slot]

    def piece(self, slot: tuple, make: Callable[[], object]) -> object:
        entry = self.pieces.get(slot)
        value = make() if entry is None else entry[1]
        self.pieces[slot] = (self.generation, value)
        return value

    def kept(self, slot: str, signature: str, compute: Callable[[], object]) -> object:
        entry = self.values.get(slot)
        if entry is None or entry[0] != signature:
            entry = self.values[slot] = (signature, compute())
        return entry[1]
