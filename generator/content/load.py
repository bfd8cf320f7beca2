"""Load a site folder into a ``Site``: read, validate, match. Writes nothing.

Every problem is collected into ``Diagnostics`` with the file and line where
it sits, and loading carries on, so one run reports all of them.

Loading is a sequence of *steps* (list the seeds, read one source, find one
source's mentions, ...), each a plain function of what it is given that
returns its result with the problems it found. They are run through a
``Steps`` object: ``UNCACHED`` just calls them (``check``, the tests); a
build passes one that reuses the results of earlier builds whose inputs are
unchanged (``incremental.cached_steps.CachedSteps``). Either way the model and the
messages are the same, in the same order: a step's problems are part of its
result, reported here in the order of the folder, not when it ran.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple, Protocol, Sequence

from .config import SiteConfig
from ..errors import Diagnostics
from .model import Site, Source
from .actors import ActorsResult, find_mentions, load_actors, make_matcher
from .events import EventsResult, load_events, order_events
from .files import Reading, list_annotations, list_seeds, parse_yaml, plain_reading
from .pages import load_pages
from .alias_guard import lower_case_warnings
from .sources import SourceResult, load_source, unannotated_source


class StepInputs(NamedTuple):
    """What a step's result depends on besides the generator's code and
    settings, for a cache to know when it may be reused.

    ``files``: the files it reads; ``values``: anything else it is given
    that changes its result (strings, or tuples of them); ``after``: the
    earlier steps whose results it is given (by name: their inputs count as
    its own); ``reads_more``: its result names further files it read, found
    only while running (``result.reads``; None: the result may not be
    reused); ``folder``: it lists this folder (``result.listed``: the names
    it found); ``in_memory``: worth keeping between builds of one process
    only (a compiled matcher). ``label`` tells apart runs of one step
    (a source's slug). (A named tuple: thousands are made per build.)"""

    label: str = ""
    files: tuple[Path, ...] = ()
    values: tuple = ()
    after: tuple[str, ...] = ()
    reads_more: bool = False
    folder: Path | None = None
    in_memory: bool = False


class Steps(Protocol):
    def run(self, name: str, inputs: StepInputs, function: Callable, *args): ...

    def run_many(self, name: str, jobs: Sequence[tuple[StepInputs, tuple]], function: Callable,
                 while_waiting: Callable[[], object] | None = None) -> list: ...


class Uncached:
    """Steps run as they come. ``while_waiting`` only warms a cache: not run."""

    def run(self, name: str, inputs: StepInputs, function: Callable, *args):
        return function(*args)

    def run_many(self, name: str, jobs, function: Callable, while_waiting=None) -> list:
        return [function(*args) for _, args in jobs]


UNCACHED = Uncached()


@dataclass(frozen=True)
class Loaded:
    """The site (None if it cannot be modelled at all), with a digest of each
    source's article and of its mentions, by slug (for the output plan), and
    the annotators' Markdown the loader converted to check it, (kind, text) ->
    HTML (``MarkupCheck.converted``: the pages need not convert it again)."""

    site: Site | None
    article_digests: dict[str, str]
    mention_digests: dict[str, str]
    converted: dict[tuple[str, str], str]


def load_site(config: SiteConfig, diagnostics: Diagnostics, steps: Steps | None = None,
              reading: Reading | None = None) -> Site | None:
    """Read the whole site folder. Returns None if it cannot be modelled at all."""
    return load_content(config, diagnostics, steps, reading).site


def load_content(config: SiteConfig, diagnostics: Diagnostics, steps: Steps | None = None,
                 reading: Reading | None = None) -> Loaded:
    steps = steps if steps is not None else UNCACHED
    reading = reading if reading is not None else plain_reading(config)
    listing = steps.run("seeds", StepInputs(folder=config.seeds_dir), list_seeds, reading)
    diagnostics.items.extend(listing.diagnostics)
    seeds = listing.seeds
    content = config.content_dir
    if not content.is_dir():
        diagnostics.error(reading.rel(content), None, "content folder not found")
    sources_dir = content / "sources"
    annotations = steps.run("annotations", StepInputs(folder=sources_dir), list_annotations, sources_dir)
    actors = _actors(content / "actors.yaml", steps, reading)  # its problems are reported below
    events_path = content / "events.yaml"
    # While a build's workers read the sources, this process can parse the events.
    parse_events = (lambda: _parse(events_path, steps, reading)) if events_path.is_file() else None
    found = _annotated_sources(annotations.files, seeds, steps, reading, parse_events, diagnostics)
    slugs = {s.slug for s in found.sources}
    for name, path in seeds.items():
        if name in found.claimed:
            continue
        result = unannotated_source(name, path, slugs, reading)
        diagnostics.items.extend(result.diagnostics)
        if result.source is not None:
            found.sources.append(result.source)
            slugs.add(result.source.slug)
            found.digests[result.source.slug] = result.article_digest
    diagnostics.items.extend(actors.diagnostics)
    by_slug = {s.slug: s for s in found.sources}
    events = _events(events_path, by_slug, actors, found, steps, reading)
    diagnostics.items.extend(events.diagnostics)
    pages = load_pages(content / "pages", reading)
    diagnostics.items.extend(pages.diagnostics)
    mentions = _mentions(found, actors, steps)
    for found_in in mentions.values():
        diagnostics.items.extend(found_in.diagnostics)
    mentioned = set().union(*(m.actors for m in mentions.values()))
    for actor in actors.actors if not found.broken else ():  # a source that failed to load may mention them
        if actor.id not in mentioned:
            diagnostics.warning(reading.rel(content / "actors.yaml"), actors.lines.get(actor.id),
                                f"actor '{actor.id}' ({actor.name}) is never mentioned in any source's article text")
    sources = found.sources
    sources.sort(key=lambda s: (s.published is None, s.published.sort_key if s.published else (0, 0, 0), s.slug))
    if events.events:  # the events step gives the same tuple while its inputs are unchanged
        in_order = steps.run("events-order", StepInputs(after=("events",), in_memory=True), order_events, events.events)
    else:
        in_order = order_events(())
    tags = sorted({t for s in sources for t in s.tags} | in_order.tags)
    all_mentions = []
    for found_in in mentions.values():  # in the order of the slugs
        all_mentions.extend(found_in.mentions)
    diagnostics.items.extend(lower_case_warnings(actors.actors, actors.form_lines, sources, all_mentions,
                                                 reading.rel(content / "actors.yaml")))
    site = Site(config, tuple(sources), actors.actors, in_order.events, pages.pages, pages.home, tuple(all_mentions), tuple(tags))
    converted = found.converted | actors.converted | events.converted | pages.converted
    return Loaded(site, found.digests, {slug: m.digest for slug, m in mentions.items()}, converted)


def _parse(path: Path, steps: Steps, reading: Reading):
    rel = reading.rel(path)
    return steps.run("yaml", StepInputs(files=(path,)), parse_yaml, path, rel, reading.read)


def _actors(path: Path, steps: Steps, reading: Reading) -> ActorsResult:
    if not os.path.lexists(path):  # a link to nothing, or a loop, is reported when read
        return ActorsResult((), (), {}, frozenset(), ())
    return steps.run("actors", StepInputs(files=(path,)), load_actors, reading.rel(path),
                     lambda: _parse(path, steps, reading), reading.markup_check)


@dataclass
class _Annotated:
    """The annotated sources loaded so far, in the order of their files."""

    sources: list[Source]
    broken: set[str]  # annotated sources that failed to load (already reported)
    claimed: dict[str, str]  # seed name -> the annotation that took it (as shown)
    digests: dict[str, str]  # slug -> its article's digest
    converted: dict[tuple[str, str], str]  # their Markdown converted to check it (MarkupCheck.converted)


def _annotated_sources(files: Sequence[Path], seeds: dict[str, Path], steps: Steps, reading: Reading,
                       while_waiting, diagnostics: Diagnostics) -> _Annotated:
    """Each read as if no other annotation had taken its seed (so that they
    can be read in any order, in parallel, and reused one by one); one that
    names a seed an earlier one took is read again, as it stands."""
    jobs = [(StepInputs(label=path.stem, files=(path,), reads_more=True), (path, seeds, {}, reading)) for path in files]
    results: list[SourceResult] = steps.run_many("source", jobs, load_source, while_waiting)
    found = _Annotated([], set(), {}, {}, {})
    for path, result in zip(files, results):
        if result.claims is not None and (result.claims in found.claimed or result.claims not in seeds):
            result = load_source(path, seeds, found.claimed, reading)
        diagnostics.items.extend(result.diagnostics)
        found.converted.update(result.converted)
        if result.claims is not None:
            found.claimed[result.claims] = result.source.annotation if result.source else reading.rel(path)
        if result.source is None:
            found.broken.add(path.stem)
        else:
            found.sources.append(result.source)
            found.digests[result.source.slug] = result.article_digest
    return found


def _events(path: Path, sources: dict[str, Source], actors: ActorsResult, found: _Annotated, steps: Steps,
            reading: Reading) -> EventsResult:
    if not os.path.lexists(path):  # a link to nothing, or a loop, is reported when read
        return EventsResult((), ())
    actor_ids = {a.id for a in actors.actors}
    inputs = StepInputs(files=(path,), values=(tuple(sorted(actor_ids)), tuple(sorted(found.digests.items())),
                                               tuple(sorted(found.broken)), actors.unusable_key))
    return steps.run("events", inputs, load_events, reading.rel(path), lambda: _parse(path, steps, reading),
                     sources, actor_ids, actors.unusable, found.broken, reading.markup_check)


def _mentions(found: _Annotated, actors: ActorsResult, steps: Steps) -> dict:
    """slug -> ``SourceMentions``, for every source (none without actors)."""
    if not actors.actors:
        return {}
    actor_ids = tuple(a.id for a in actors.actors)
    matcher = steps.run("matcher", StepInputs(values=(actor_ids, actors.forms), in_memory=True),
                        make_matcher, actors.forms)
    ordered = sorted(found.sources, key=lambda s: s.slug)
    unusable = actors.unusable_key  # a value for the cache; the set itself for the step
    jobs = [(StepInputs(label=s.slug, values=(s.slug, found.digests[s.slug], repr(s.not_mentions), unusable),
                        after=("matcher",)), (s, matcher, actor_ids, actors.unusable)) for s in ordered]
    return dict(zip((s.slug for s in ordered), steps.run_many("mentions", jobs, find_mentions)))
