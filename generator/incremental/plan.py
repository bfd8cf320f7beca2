"""Which items of the registry must be made again: their keys against those
of the build that made the output folder as it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..hashing import key
from ..render.kinds.base import Item

LATER = ("data:", "export:")  # items a build without the search index leaves for later (the data/ files)


def item_key(global_key: str, item: Item) -> str:
    """The item's key: what every item depends on, its name, and what it reads.
    Parts that are fingerprints (no '/' in them) are joined, not hashed (a
    preview's rebuild keys thousands of source pages)."""
    parts = item.depends
    if all(isinstance(part, str) and "/" not in part for part in parts):
        return "/".join((global_key, item.name, *parts))
    return key(global_key, item.name, parts)


@dataclass
class Plan:
    items: list[Item]
    keys: list[str]  # of each item
    previous_keys: dict[str, str]  # item name -> its key, in the output folder as it is
    old_files: dict[str, tuple]  # item name -> its files there
    dirty: list[int] = field(default_factory=list)  # indices of the items to make
    deferred: set[int] = field(default_factory=set)  # left for a build with the search index

    @classmethod
    def make(cls, items: list[Item], global_key: str, previous_keys: dict, old_files: dict, manifest,
             search: bool) -> Plan:
        keys = [item_key(global_key, item) for item in items]
        plan = cls(items, keys, previous_keys, old_files)
        plan.dirty = [i for i, item in enumerate(items) if previous_keys.get(item.name) != keys[i]]
        # A build that leaves the search index for later (the preview's, on a
        # save) leaves the downloadable data files for later too: one of them
        # holds every note of the site (16 MB at 4,000 sources), and what the
        # saved edit is waited for is its page. Their old files stay, under
        # their old keys, so the next build with the index makes them.
        if not search and manifest is not None:
            plan.deferred = {i for i in plan.dirty if items[i].name.startswith(LATER) and items[i].name in old_files
                             and all(name in manifest for name in old_files[items[i].name])}
            plan.dirty = [i for i in plan.dirty if i not in plan.deferred]
        return plan

    def remake_all(self) -> None:
        """Everything to make (the output folder is to be written afresh)."""
        self.dirty, self.deferred = list(range(len(self.items))), set()

    def item_keys(self) -> dict[str, str]:
        """What to record: the deferred items keep their old keys."""
        return {item.name: self.previous_keys[item.name] if i in self.deferred else self.keys[i]
                for i, item in enumerate(self.items)}
