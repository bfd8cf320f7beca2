"""Making the planned items: in this process, or shared with forked ones
when there is enough work to pay for starting them."""

from __future__ import annotations

import gc

from ..errors import Diagnostics
from ..render.kinds.base import Item
from ..content.converter import Markup
from ..content.model import Site
from ..publish.writer import OutputWriter
from .search_step import indexed
from .steps import Steps
from .workers import chunks, map_forked

PARALLEL_WEIGHT = 400  # below this weight of items to make (see Item.weight), one process is faster


def make_items(items: list[Item], dirty: list[int], writer: OutputWriter, diagnostics: Diagnostics,
               converter: Markup, site: Site, jobs: int, steps: Steps) -> dict[int, tuple]:
    """index -> ({file: ``writer.stage`` result}, diagnostics), for the dirty items."""

    def make(indices: list[int]) -> dict[int, tuple]:
        return {i: _make_item(items[i], writer, diagnostics) for i in indices}

    if sum(items[i].weight for i in dirty) < PARALLEL_WEIGHT or jobs < 2:
        return make(dirty)
    try:
        _convert_prose(converter, site, jobs, steps)
        gc.freeze()  # forked workers then share the model's memory instead of copying it
        results: dict[int, tuple] = {}
        for part in map_forked(make, _balanced(dirty, items, jobs * 6), jobs):
            results.update(part)
        return results
    finally:
        gc.unfreeze()


def _convert_prose(converter: Markup, site: Site, jobs: int, steps: Steps) -> None:
    """Convert the annotators' Markdown first, in parallel: pages of many
    processes share it (an event's summary is on several pages). What the
    loader converted to check it is not converted again."""
    prose, notes = prose_texts(site)
    left = {kind: [t for t in texts if t not in converter.memo(kind)] for kind, texts in (("prose", prose),
                                                                                         ("article", notes))}
    tasks = [(kind, chunk) for kind, texts in left.items() for chunk in chunks(texts, jobs * 4)]

    def convert(task) -> list[str]:
        kind, texts = task
        function = converter.prose if kind == "prose" else converter.article
        return [function(text) for text in texts]

    for (kind, chunk), converted in zip(tasks, map_forked(convert, tasks, jobs)):
        converter.memo(kind).update(zip(chunk, converted))
    steps.mark(f"annotators' Markdown converted ({len(left['prose'])} + {len(left['article'])} texts; "
               f"{len(prose) + len(notes) - len(left['prose']) - len(left['article'])} when loading)")


def prose_texts(site: Site) -> tuple[list[str], list[str]]:
    """The annotators' Markdown a full build converts: (prose, note bodies)."""
    prose: list[str] = []
    notes: list[str] = []
    for source in site.sources:
        prose += [source.summary, source.commentary]
        notes += [note.body for note in source.notes]
    prose += [event.summary for event in site.events]
    prose += [actor.description for actor in site.actors]
    prose += [page.body for page in site.pages]
    if site.home:
        prose.append(site.home.body)
    return [t for t in dict.fromkeys(prose) if t], [t for t in dict.fromkeys(notes) if t]


def _balanced(indices: list[int], items: list[Item], count: int) -> list[list[int]]:
    """Indices split into ``count`` lists of about equal weight, heaviest first."""
    bins: list[list] = [[0, []] for _ in range(max(1, count))]
    for index in sorted(indices, key=lambda i: -items[i].weight):
        lightest = min(bins, key=lambda b: b[0])
        lightest[0] += items[index].weight
        lightest[1].append(index)
    return [b[1] for b in sorted(bins, key=lambda b: -b[0]) if b[1]]


def _make_item(item: Item, writer: OutputWriter, diagnostics: Diagnostics):
    """(its files staged, its diagnostics, its pages marked for the search
    index: known now, while their bytes are here, the index step need not
    read them back)."""
    before = len(diagnostics.items)
    files = item.files(diagnostics)
    found = tuple(diagnostics.items[before:])
    del diagnostics.items[before:]
    marked = frozenset(name for name, data in files.items() if indexed(name, data))
    return {name: writer.stage(name, data) for name, data in files.items()}, found, marked
