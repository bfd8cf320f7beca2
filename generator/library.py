"""Load a site folder into a ``Site``: read, validate, match. Writes nothing.

Every problem is collected into ``Diagnostics`` with the file and line where
it sits, and loading carries on, so one run reports all of them.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .dates import PartialDate
from .controls import report_controls
from .errors import Diagnostics
from .cache import digest as _digest, key as _key
from .fields import FieldReader, http_url_problem, is_slug
from .inputfiles import OUTSIDE, inside, name_problem, read_bytes, shown, special_problem
from .markup import MarkupCheck, nesting_problem
from .mentions import MentionMatcher, fold
from .model import ACTOR_KINDS, NOTE_KINDS, Actor, Event, Evidence, Mention, Note, Page, Piece, Site, Source
from .text import (TITLE_LIMIT, Article, SeedDecodeError, decode_seed, drop_lines, find_places, normalise,
                   normalise_with_map, shorten, slug_from_name, split_paragraphs)
from .yamlio import YamlError, YList, YMap, load, split_front_matter

SOURCE_KEYS = ("seed", "title", "publisher", "published", "language", "url", "translated_from",
               "tags", "summary", "text", "drop", "notes", "seed_sha256")
TRANSLATED_KEYS = ("publisher", "title", "url", "published", "language")
NOTE_KEYS = ("quote", "prefix", "suffix", "kind", "body", "should_read")
ACTOR_KEYS = ("id", "name", "kind", "role", "description", "aliases", "exact_aliases", "wikidata", "links")
EVENT_KEYS = ("id", "date", "end", "title", "summary", "actors", "tags", "evidence")
PAGE_KEYS = ("title", "nav")
SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
# Q and ASCII digits: ``str.isdigit`` also takes "Q１２３" (full-width) and other scripts' digits.
WIKIDATA = re.compile(r"Q[0-9]+")
RESERVED_PAGES = ("timeline", "actors", "sources", "data", "search", "assets", "404")


# The events in date order, for the list the loader last had (held, so that
# its identity cannot be reused): a preview's rebuild after a note is saved
# need not sort thousands of unchanged events again.
_EVENTS_IN_ORDER: tuple = (None, (), set())


@dataclass
class _Quote:
    """A quote to find, with where it was written (for messages)."""

    text: str
    prefix: str
    suffix: str
    path: str
    line: int


def read_text_file(path: Path, rel: str, diagnostics: Diagnostics, read=None) -> str | None:
    """``read``: how to get the file's bytes (default ``inputfiles.read_bytes``; a
    build passes its ``Inputs`` so that each file is read once)."""
    try:
        data = read(path) if read is not None else read_bytes(path)
    except OSError as exc:
        diagnostics.error(rel, None, f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        return decode_seed(data)
    except SeedDecodeError as exc:
        diagnostics.error(rel, exc.line, str(exc))
        return None


def seed_digest(path: Path, read=None) -> str:
    """SHA-256 of the seed file's bytes, as ``sha256sum`` prints it (provenance)."""
    return hashlib.sha256(read(path) if read is not None else read_bytes(path)).hexdigest()


def read_yaml_file(path: Path, rel: str, diagnostics: Diagnostics, read=None):
    text = read_text_file(path, rel, diagnostics, read)
    if text is None:
        return None
    try:
        tree = load(text)
    except YamlError as exc:
        diagnostics.error(rel, exc.line, exc.message)
        return None
    report_controls(tree, rel, diagnostics)
    return tree


def read_markdown_file(path: Path, rel: str, diagnostics: Diagnostics, read=None, required: tuple[str, ...] = (),
                       markup_check=None):
    """-> (front matter YMap or None, body, ok). ``required``: the keys an
    empty front matter is told it lacks; ``markup_check``: see ``FieldReader``."""
    text = read_text_file(path, rel, diagnostics, read)
    if text is None:
        return None, "", False
    try:
        yaml_text, body, body_line = split_front_matter(text)
        meta = load(yaml_text, first_line=2) if yaml_text is not None else None
    except YamlError as exc:
        diagnostics.error(rel, exc.line, exc.message)
        return None, "", False
    report_controls(meta, rel, diagnostics)
    problem = nesting_problem(body)
    if problem:
        diagnostics.error(rel, body_line + problem[0] - 1, problem[1])
        return None, "", False
    for line, message in markup_check.problems(body) if markup_check is not None else ():
        diagnostics.warning(rel, body_line + line - 1, message)
    if meta is None and yaml_text is not None:
        needed = " and ".join(f"'{key}'" for key in required)
        diagnostics.error(rel, 1, f"front matter is empty: {needed} {'is' if len(required) == 1 else 'are'} required"
                          if required else "front matter is empty")
        return None, body, False
    if meta is None:
        diagnostics.error(rel, 1, "missing front matter: the file must start with a '---' line, YAML, then '---'")
        return None, body, False
    if not isinstance(meta, YMap):
        diagnostics.error(rel, 2, "front matter must be a mapping of keys to values")
        return None, body, False
    return meta, body, True


def match_quote(article: Article, quote: _Quote, diagnostics: Diagnostics, what: str = "quote",
                min_start: int = 0) -> tuple[int, int] | None:
    """The one place of ``quote`` in the article's normalised text, or an error."""
    needle = normalise(quote.text)
    if not needle:
        diagnostics.error(quote.path, quote.line, f"{what} is empty")
        return None
    places = [p for p in find_places(article.norm.text, needle, normalise(quote.prefix), normalise(quote.suffix)) if p >= min_start]
    shown = needle if len(needle) <= 80 else needle[:77] + "..."
    if not places:
        diagnostics.error(quote.path, quote.line, f"{what} not found in the article text: \"{shown}\"")
        return None
    if len(places) > 1:
        diagnostics.error(quote.path, quote.line,
                          f"{what} matches {len(places)} places in the article text (add words, or a prefix or suffix, to make it unique): \"{shown}\"")
        return None
    return places[0], places[0] + len(needle)


def pieces_of(article: Article, span: tuple[int, int]) -> tuple[Piece, ...]:
    return tuple(Piece(n, s, e) for n, s, e in article.locate(*span))


def load_site(config: SiteConfig, diagnostics: Diagnostics, reuse: Reuse | None = None) -> Site | None:
    """Read the whole site folder. Returns None if it cannot be modelled at all.

    ``reuse`` (from a build): files read once, and results of earlier builds
    reused where their inputs are unchanged; the model and the diagnostics
    are the same as without it.
    """
    loader = _Loader(config, diagnostics, reuse)
    return loader.run()


@dataclass
class Reuse:
    """What a build lends the loader so that it can skip work.

    ``cache``: a ``generator.cache.BuildCache``; ``inputs``: a
    ``generator.cache.Inputs``; ``context``: a key of everything besides a
    file's own bytes that loading depends on (the generator's code, the
    settings it reads). ``warm(loader, annotation_files, seeds)`` may fill
    the cache before the sources are read one by one (in parallel).
    After ``run``, ``source_keys`` and ``article_keys`` name each source's
    inputs and article text (slug -> key), for the build's page keys.

    ``memo`` (a dict the caller keeps between loads) and ``changed`` (the
    resolved paths changed since the last load that used this memo; None:
    unknown) let a load skip even the look-ups of files that did not change:
    the seed listing, and each annotation's cache keys and entry. What is
    kept is what the cache gave for the same bytes, so the model is the same.
    """

    cache: object
    inputs: object
    context: str
    warm: object = None
    source_keys: dict = field(default_factory=dict)
    article_keys: dict = field(default_factory=dict)
    mention_keys: dict = field(default_factory=dict)
    matcher_key: str = ""
    memo: dict | None = None
    changed: set | None = None

    def kept(self, name: str) -> dict | None:
        """The part ``name`` of the memo, emptied unless it was made under this
        ``context`` by a load told what changed since (None: no memo at all)."""
        if self.memo is None:
            return None
        part = self.memo.get(name)
        if part is None or part[0] != self.context or self.changed is None:
            part = self.memo[name] = (self.context, {})
        return part[1]

    @property
    def changed_names(self) -> set[str]:
        """``changed`` as strings (a string's hash is kept; a Path's is not)."""
        names = self.__dict__.get("_changed_names")
        if names is None:
            names = self.__dict__["_changed_names"] = {str(p) for p in self.changed or ()}
        return names

    def same_listing(self, folder: Path, names) -> bool:
        """Would listing ``folder`` again give ``names``? Yes when every change
        below it is to the bytes of a plain file among them (an edit, not a
        file added, removed or turned into a link or folder)."""
        if self.changed is None:
            return False
        for path in self.changed:
            if path == folder or folder in path.parents:
                if path.parent != folder or path.name not in names or path.is_symlink() or not path.is_file():
                    return False
        return True


def _plain_file(entry: os.DirEntry) -> bool | None:
    """True for a regular file (or a link to one), None for a folder, False
    for the rest (looked at more closely: a FIFO, a link loop, a link to nothing).
    ``DirEntry`` answers from the listing itself, without a system call per file."""
    try:
        if entry.is_file():
            return True
        return None if entry.is_dir() else False
    except OSError:
        return False


_UNKNOWN = object()  # a cached seed name not known yet


class _AllActors(frozenset):
    """Every id: the ``unusable_actors`` of an actors.yaml that could not be read."""

    def __contains__(self, item) -> bool:
        return True


ALL_ACTORS = _AllActors()
_MATCHERS: dict[str, MentionMatcher] = {}


def _matcher(key: str, forms) -> MentionMatcher:
    """The matcher for these forms, made once per process (its patterns take a while to compile)."""
    matcher = _MATCHERS.get(key)
    if matcher is None:
        _MATCHERS.clear()
        matcher = _MATCHERS[key] = MentionMatcher(forms)
    return matcher


class _Capture:
    """Diagnostics written while a cached step runs, to store with its
    result; passed on to the loader's own at the end unless ``emit`` is False."""

    def __init__(self, loader: "_Loader", emit: bool = True):
        self.loader = loader
        self.emit = emit

    def __enter__(self) -> Diagnostics:
        self.saved = self.loader.diagnostics
        self.loader.diagnostics = self.captured = Diagnostics()
        return self.captured

    def __exit__(self, *exc) -> None:
        self.loader.diagnostics = self.saved
        if self.emit:
            self.saved.extend(self.captured)


class _Loader:
    def __init__(self, config: SiteConfig, diagnostics: Diagnostics, reuse: Reuse | None = None):
        self.config = config
        self.diagnostics = diagnostics
        self.reuse = reuse
        self.read = reuse.inputs.read if reuse is not None else None
        self.matcher: MentionMatcher | None = None
        self.markup_check = MarkupCheck(config.allow_html)

    def rel(self, path: Path) -> str:
        # Memoised: each file's path is shown in many places, and resolving
        # it costs a system call per folder, tens of thousands of times.
        if self.reuse is None:
            memo = self.__dict__.setdefault("_rel", {})
            shown = memo.get(path)
            if shown is None:
                shown = memo[path] = self.config.rel(path)
            return shown
        return self.reuse.inputs.rel(path, self.config.root)

    def resolve(self, path: Path) -> Path:
        return self.reuse.inputs.resolve(path) if self.reuse is not None else path.resolve()

    def read_yaml(self, path: Path, rel: str):
        """``read_yaml_file``, the parsed tree cached by the file's bytes (a large
        events.yaml takes a second to parse)."""
        if self.reuse is None:
            return read_yaml_file(path, rel, self.diagnostics, self.read)
        digest = self.reuse.inputs.digest(path)
        key = _key("yaml", self.reuse.context, rel, digest)
        hit = self.reuse.cache.get("yaml", key) if digest else None
        if hit is not None:
            tree, diagnostics = hit
            self.diagnostics.items.extend(diagnostics)
            return tree
        with _Capture(self) as diagnostics:
            tree = read_yaml_file(path, rel, self.diagnostics, self.read)
        if digest:
            self.reuse.cache.put("yaml", key, (tree, tuple(diagnostics.items)))
        return tree

    # -- seeds and sources -------------------------------------------------

    def seed_files(self) -> dict[str, Path]:
        """The seeds by name (listed again only when something changed under the folder)."""
        kept = self.reuse.kept("seeds") if self.reuse is not None else None
        if kept is not None:
            seeds_dir = self.config.seeds_dir
            if "seeds" in kept and kept["folder"] == seeds_dir and self.reuse.same_listing(seeds_dir, kept["seeds"]):
                self.diagnostics.items.extend(kept["diagnostics"])
                return dict(kept["seeds"])
            with _Capture(self) as diagnostics:
                seeds = self._seed_files()
            kept.update(folder=seeds_dir, seeds=dict(seeds), diagnostics=tuple(diagnostics.items))
            return seeds
        return self._seed_files()

    def annotation_files(self, sources_dir: Path) -> list[Path]:
        """content/sources/*.md by name (listed again only when something changed there)."""
        kept = self.reuse.kept("annotations") if self.reuse is not None else None
        if kept is not None and kept.get("folder") == sources_dir and self.reuse.same_listing(sources_dir, kept["names"]):
            return kept["files"]
        files = sorted(sources_dir.glob("*.md"), key=lambda p: p.name) if sources_dir.is_dir() else []
        if kept is not None:
            kept.update(folder=sources_dir, files=files, names=frozenset(p.name for p in files))
        return files

    def _seed_files(self) -> dict[str, Path]:
        seeds_dir = self.config.seeds_dir
        if not seeds_dir.is_dir():
            self.diagnostics.error(self.rel(seeds_dir), None, "seeds folder not found")
            return {}
        seeds = {}
        root = seeds_dir.resolve()
        with os.scandir(seeds_dir) as entries:
            listed = sorted((entry.name, _plain_file(entry)) for entry in entries)
        for name, is_file in listed:
            path = seeds_dir / name
            if name.startswith(".") or is_file is None:
                continue
            problem = name_problem(name) or (None if is_file else special_problem(path))
            if problem is None and not is_file:
                continue  # a folder, or a link to nothing
            if problem is None and not inside(self.resolve(path), root):  # a link may not publish a file from elsewhere
                problem = "seed " + OUTSIDE.format(folder="seeds")
            if problem is not None:  # shown as listed: a link's target may be anywhere
                self.diagnostics.error(shown(f"{self.rel(seeds_dir)}/{name}"), None, problem)
                continue
            seeds[path.name] = path
        return seeds

    def run(self) -> Site | None:
        seeds = self.seed_files()
        content = self.config.content_dir
        if not content.is_dir():
            self.diagnostics.error(self.rel(content), None, "content folder not found")
        sources: list[Source] = []
        claimed: dict[str, str] = {}
        sources_dir = content / "sources"
        annotation_files = self.annotation_files(sources_dir)
        self.broken: set[str] = set()  # annotated sources that failed to load (already reported)
        # The actors are read first (their diagnostics are reported in their
        # usual place, below) so that mentions can be found as each source
        # is read, in parallel when the build warms the cache.
        with _Capture(self, emit=False) as actor_diagnostics:
            actors, matcher_forms = self.load_actors_cached(content / "actors.yaml")
        if actors:
            if self.reuse is not None:
                self.reuse.matcher_key = _key("matcher", self.reuse.context, tuple(a.id for a in actors), matcher_forms)
                self.matcher = _matcher(self.reuse.matcher_key, matcher_forms)
            else:
                self.matcher = MentionMatcher(matcher_forms)
        self.actors = actors
        self._kept_sources = self.reuse.kept("sources") if self.reuse is not None else None
        if self.reuse is not None and self.reuse.warm is not None:
            self.reuse.warm(self, annotation_files, seeds)
        for path in annotation_files:
            source = self.load_source_cached(path, seeds, claimed)
            if source is not None:
                sources.append(source)
            else:
                self.broken.add(path.stem)
        slugs = {s.slug for s in sources}
        for name, path in seeds.items():
            if name in claimed:
                continue
            source = self.unannotated_source(name, path, slugs)
            if source is not None:
                sources.append(source)
                slugs.add(source.slug)
        self.diagnostics.extend(actor_diagnostics)
        by_slug = {s.slug: s for s in sources}
        events = self.load_events_cached(content / "events.yaml", by_slug, {a.id for a in actors})
        pages, home = self.load_pages(content / "pages")
        mentions = self.find_mentions(sources, actors, matcher_forms)
        mentioned = self.mentioned
        for actor in actors:
            if actor.id not in mentioned:
                line = self._actor_lines.get(actor.id)
                self.diagnostics.warning(self.rel(content / "actors.yaml"), line,
                                         f"actor '{actor.id}' ({actor.name}) is never mentioned in any source's article text")
        sources.sort(key=lambda s: (s.published is None, s.published.sort_key if s.published else (0, 0, 0), s.slug))
        global _EVENTS_IN_ORDER
        if _EVENTS_IN_ORDER[0] is not events:  # the cache gives back the same list while events.yaml is unchanged
            indexed = sorted(enumerate(events), key=lambda pair: (pair[1].date.sort_key, pair[0]))
            _EVENTS_IN_ORDER = (events, tuple(e for _, e in indexed), {t for e in events for t in e.tags})
        in_order, event_tags = _EVENTS_IN_ORDER[1], _EVENTS_IN_ORDER[2]
        tags = sorted({t for s in sources for t in s.tags} | event_tags)
        return Site(self.config, tuple(sources), tuple(actors), in_order,
                    tuple(pages), home, tuple(mentions), tuple(tags))

    def read_seed(self, path: Path) -> str | None:
        return read_text_file(path, self.rel(path), self.diagnostics, self.read)

    # -- reuse: the same steps, skipped when their inputs are unchanged -----
    #
    # Each cached step stores its result *and the diagnostics it wrote*, under
    # a key of everything it read, and replays both on a hit: the model and
    # the messages are those a cold build gives.

    # Keys of the entries read for every source of every build: plain
    # concatenations (no hashing; a file name holds no NUL character).

    def annotation_key(self, path: Path) -> str | None:
        digest = self.reuse.inputs.digest(path)
        return None if digest is None else f"{self.reuse.context}\0{self.rel(path)}\0{digest}"

    def source_key(self, annotation_key: str, seed_name: str, seed_path: Path) -> str | None:
        digest = self.reuse.inputs.digest(seed_path)
        return None if digest is None else f"{annotation_key}\0{seed_name}\0{self.rel(seed_path)}\0{digest}"

    def seed_state(self, seed_name, seeds: dict[str, Path], claimed: dict[str, str], claimant: str | None = None) -> bool:
        """Is this seed the ordinary case (a file of the folder, not annotated
        yet, or annotated only by ``claimant``), the only one whose outcome is cached?"""
        return (isinstance(seed_name, str) and "/" not in seed_name and "\\" not in seed_name
                and not seed_name.startswith(".") and seed_name in seeds
                and (seed_name not in claimed or claimed[seed_name] == claimant))

    def load_source_cached(self, path: Path, seeds: dict[str, Path], claimed: dict[str, str]) -> Source | None:
        if self.reuse is None:
            return self.load_source(path, seeds, claimed)
        cache = self.reuse.cache
        kept = self._kept_sources
        if kept is not None:
            # The annotation and its seed unchanged since the last load: the
            # same entry, without computing its keys (4,000 sources: 0.1 s).
            name = str(path)
            entry = kept.get(name)
            changed = self.reuse.changed_names
            if (entry is not None and name not in changed and entry[6] not in changed
                    and ((seed := seeds.get(entry[1])) is entry[2] or seed == entry[2])
                    and self.seed_state(entry[1], seeds, claimed)):
                ann_key, seed_name, _, key, hit, rel, _ = entry
                source, diagnostics, article_key = hit
                cache.used.add(("seed-name", ann_key))
                cache.used.add(("source", key))
                self.diagnostics.items.extend(diagnostics)
                claimed[seed_name] = rel
                self._remember(source, key, article_key)
                return source
            kept.pop(name, None)
        ann_key = self.annotation_key(path)
        seed_name = cache.get("seed-name", ann_key, _UNKNOWN) if ann_key else _UNKNOWN
        if seed_name is not _UNKNOWN and self.seed_state(seed_name, seeds, claimed):
            key = self.source_key(ann_key, seed_name, seeds[seed_name])
            hit = cache.get("source", key) if key else None
            if hit is not None:
                source, diagnostics, article_key = hit
                self.diagnostics.items.extend(diagnostics)
                claimed[seed_name] = self.rel(path)
                self._remember(source, key, article_key)
                if kept is not None:
                    kept[str(path)] = (ann_key, seed_name, seeds[seed_name], key, hit, self.rel(path),
                                       str(seeds[seed_name]))
                return source
        ordinary = self.seed_state(seed_name, seeds, claimed) if seed_name is not _UNKNOWN else None
        with _Capture(self) as diagnostics:
            self._seed_name = _UNKNOWN
            source = self.load_source(path, seeds, claimed)
        found = self._seed_name
        if ann_key is not None and found is not _UNKNOWN:
            cache.put("seed-name", ann_key, found)
        if ordinary is None:
            ordinary = self.seed_state(found, seeds, claimed, claimant=self.rel(path))
        if ann_key is not None and ordinary and found is not _UNKNOWN:
            key = self.source_key(ann_key, found, seeds[found])
            if key is not None:
                article_key = _digest(source.article.joined.encode("utf-8", "surrogatepass")) if source else None
                hit = (source, tuple(diagnostics.items), article_key)
                cache.put("source", key, hit)
                self._remember(source, key, article_key)
                if self._kept_sources is not None:
                    self._kept_sources[str(path)] = (ann_key, found, seeds[found], key, hit, self.rel(path),
                                                     str(seeds[found]))
        return source

    def _remember(self, source: Source | None, key: str, article_key: str | None) -> None:
        if source is not None:
            self.reuse.source_keys[source.slug] = key
            self.reuse.article_keys[source.slug] = article_key

    def load_actors_cached(self, path: Path):
        if self.reuse is None or not os.path.lexists(path):
            return self.load_actors(path)
        digest = self.reuse.inputs.digest(path)
        key = _key("actors", self.reuse.context, self.rel(path), digest)
        hit = self.reuse.cache.get("actors", key) if digest else None
        if hit is not None:
            actors, forms, lines, self.unusable_actors, diagnostics = hit
            self._actor_lines = dict(lines)
            self.diagnostics.items.extend(diagnostics)
            return actors, forms
        with _Capture(self) as diagnostics:
            actors, forms = self.load_actors(path)
        if digest:
            self.reuse.cache.put("actors", key, (actors, forms, dict(self._actor_lines), self.unusable_actors,
                                                 tuple(diagnostics.items)))
        return actors, forms

    def load_events_cached(self, path: Path, sources: dict[str, Source], actor_ids: set[str]) -> list[Event]:
        if self.reuse is None or not os.path.lexists(path):
            return self.load_events(path, sources, actor_ids)
        digest = self.reuse.inputs.digest(path)
        articles = tuple(sorted((slug, self.reuse.article_keys.get(slug) or _digest(
            source.article.joined.encode("utf-8", "surrogatepass"))) for slug, source in sources.items()))
        unusable = (isinstance(self.unusable_actors, _AllActors), tuple(sorted(self.unusable_actors)))
        key = _key("events", self.reuse.context, self.rel(path), digest, tuple(sorted(actor_ids)), articles,
                   tuple(sorted(self.broken)), unusable)
        hit = self.reuse.cache.get("events", key) if digest else None
        if hit is not None:
            events, diagnostics = hit
            self.diagnostics.items.extend(diagnostics)
            return events
        with _Capture(self) as diagnostics:
            events = self.load_events(path, sources, actor_ids)
        if digest:
            self.reuse.cache.put("events", key, (events, tuple(diagnostics.items)))
        return events

    def mentions_of(self, source: Source) -> list[Mention]:
        """One source's mentions, cached by its article's text and the actors'
        forms (an edit to the annotation's notes does not redo them).
        ``reuse.mention_keys`` gets a hash of the mentions themselves."""
        key = None
        article_key = self.reuse.article_keys.get(source.slug) if self.reuse is not None else None
        if article_key is not None:
            key = f"{self.reuse.matcher_key}\0{source.slug}\0{article_key}"
            hit = self.reuse.cache.get("mentions", key)
            if hit is not None:
                found, self.reuse.mention_keys[source.slug] = hit
                return found
        found = []
        for paragraph in source.article.paragraphs:
            for start, end, index in self.matcher.find_in_paragraph(paragraph):
                found.append(Mention(self.actors[index].id, source.slug, paragraph.number, start, end))
        if key is not None:
            content = _key("mentions", tuple(found))
            self.reuse.cache.put("mentions", key, (tuple(found), content))
            self.reuse.mention_keys[source.slug] = content
        return found

    def load_source(self, path: Path, seeds: dict[str, Path], claimed: dict[str, str]) -> Source | None:
        rel = self.rel(path)
        reader = FieldReader(self.diagnostics, rel, self.markup_check)
        slug = path.stem
        if not is_slug(slug):
            reader.error(None, f"file name must be a slug (lower-case letters, digits and single hyphens): {path.name!r}")
        meta, body, ok = read_markdown_file(path, rel, self.diagnostics, self.read, ("seed", "title"), self.markup_check)
        if not ok:
            return None
        reader.keys(meta, SOURCE_KEYS, ("seed", "title"))
        seed_name = reader.string(meta, "seed", required=True)
        self._seed_name = seed_name
        title = reader.string(meta, "title", required=True)
        publisher = reader.string(meta, "publisher") or ""
        published = reader.date(meta, "published")
        language = reader.language(meta, "language") or self.config.language
        url = reader.url(meta, "url") or ""
        translated = self.translated_from(meta, reader)
        tags = tuple(t for t, _ in reader.slugs(meta, "tags"))
        summary = reader.markdown(meta, "summary") or ""
        drops = {normalise(d) for d in reader.strings(meta, "drop")}
        seed_path = None
        if seed_name is not None:
            if "/" in seed_name or "\\" in seed_name or seed_name.startswith("."):
                reader.error(meta.line_of("seed"), f"'seed' must be a file name in the seeds folder, got {seed_name!r}")
            elif seed_name not in seeds:
                reader.error(meta.line_of("seed"), f"seed file not found: {self.rel(self.config.seeds_dir / seed_name)}")
            elif seed_name in claimed:
                reader.error(meta.line_of("seed"), f"seed {seed_name!r} is already annotated by {claimed[seed_name]}")
            else:
                claimed[seed_name] = rel
                seed_path = seeds[seed_name]
        if seed_path is None or not is_slug(slug) or title is None:
            self.check_notes_shape(meta, reader)
            return None
        raw = self.read_seed(seed_path)
        if raw is None:
            return None
        digest = seed_digest(seed_path, self.read)
        self.check_seed_digest(meta, reader, seed_name, digest)
        article = self.extract_article(raw, drops, meta, reader)
        if article is None:
            return None
        notes = self.load_notes(meta, reader, article)
        return Source(slug=slug, seed=seed_name, title=title.strip(), publisher=publisher.strip(),
                      published=published, language=language, url=url.strip(),
                      translated_from=translated, tags=tags, summary=summary.strip(),
                      commentary=body.strip("\n"), notes=notes, article=article, annotation=rel,
                      seed_bytes=seed_path.stat().st_size, seed_sha256=digest)

    def check_seed_digest(self, meta: YMap, reader: FieldReader, seed_name: str, digest: str) -> None:
        """``seed_sha256``, when given, pins the seed the annotation was written against.

        Quotes can survive an edited seed while meaning something else, so a
        seed that changed after it was annotated stops the build until the
        annotator has looked again and recorded the new digest.
        """
        recorded = reader.string(meta, "seed_sha256")
        if recorded is None:
            return
        line = meta.line_of("seed_sha256")
        value = recorded.strip().lower()
        if not SHA256.match(value):
            reader.error(line, f"'seed_sha256' must be 64 hexadecimal digits (the SHA-256 of the seed file), got {recorded!r}")
        elif value != digest:
            reader.error(line, f"seed {seed_name!r} has changed since it was annotated: its SHA-256 is now {digest}, "
                               f"the annotation records {value}. Seeds are kept as collected; if the new file is right, "
                               f"check every quote and note against it, then set 'seed_sha256: {digest}'")

    def translated_from(self, meta: YMap, reader: FieldReader) -> tuple[tuple[str, str], ...]:
        if meta.get("translated_from") is None:
            return ()
        data = reader.mapping(meta["translated_from"], meta.line_of("translated_from"), "'translated_from'")
        if data is None:
            return ()
        reader.keys(data, TRANSLATED_KEYS, what="translated_from")
        result = []
        for key in TRANSLATED_KEYS:
            if key == "published":
                date = reader.date(data, key)
                if date is not None:
                    result.append((key, date.written))
                continue
            read = {"url": reader.url, "language": reader.language}.get(key)
            value = read(data, key, f"translated_from.{key}") if read else reader.string(data, key)
            if value and value.strip():
                result.append((key, value.strip()))
        return tuple(result)

    def extract_article(self, raw: str, drops: set[str], meta: YMap, reader: FieldReader) -> Article | None:
        text = drop_lines(raw, drops)
        bounds = meta.get("text")
        if bounds is None:
            return split_paragraphs(text)
        bounds = reader.mapping(bounds, meta.line_of("text"), "'text'")
        if bounds is None:
            return None
        reader.keys(bounds, ("start", "end"), what="text")
        whole = split_paragraphs(text)
        start_quote = reader.string(bounds, "start")
        end_quote = reader.string(bounds, "end")
        first, last = 0, len(whole.norm.text)
        failed = False
        if start_quote is not None:
            span = match_quote(whole, _Quote(start_quote, "", "", reader.path, bounds.line_of("start")), self.diagnostics, "text.start")
            if span is None:
                failed = True
            else:
                first = span[0]
        if end_quote is not None and not failed:
            span = match_quote(whole, _Quote(end_quote, "", "", reader.path, bounds.line_of("end")), self.diagnostics, "text.end", min_start=first)
            if span is None:
                failed = True
            else:
                last = span[1]
        if failed:
            return None
        if not whole.norm.text:
            return whole
        origin = whole.norm.origin
        return split_paragraphs(whole.joined[origin[first]: origin[last - 1] + 1])

    def check_notes_shape(self, meta: YMap, reader: FieldReader) -> None:
        """Report note errors that do not need the seed (when it is missing)."""
        for item, line in reader.items(meta, "notes"):
            note = reader.mapping(item, line, "a note")
            if note is not None:
                self.note_fields(note, reader)

    def note_fields(self, note: YMap, reader: FieldReader):
        reader.keys(note, NOTE_KEYS, ("quote", "body"), what="note")
        kind = reader.string(note, "kind") or "note"
        if kind not in NOTE_KINDS:
            reader.error(note.line_of("kind"), f"note kind must be one of {', '.join(NOTE_KINDS)}, got {kind!r}")
        should_read = reader.string(note, "should_read")
        if kind == "correction" and not should_read:
            reader.error(note.line, "a correction needs 'should_read': what the source should have said")
        return kind, should_read

    def load_notes(self, meta: YMap, reader: FieldReader, article: Article) -> tuple[Note, ...]:
        notes = []
        for item, line in reader.items(meta, "notes"):
            data = reader.mapping(item, line, "a note")
            if data is None:
                continue
            kind, should_read = self.note_fields(data, reader)
            quote = reader.string(data, "quote", required=True)
            body = reader.markdown(data, "body", required=True, kind="article")
            if quote is None or body is None:
                continue
            span = match_quote(article, _Quote(quote, reader.string(data, "prefix") or "", reader.string(data, "suffix") or "",
                                               reader.path, data.line_of("quote")), self.diagnostics)
            if span is None:
                continue
            notes.append(Note(len(notes) + 1, kind if kind in NOTE_KINDS else "note", quote, body.strip(),
                              should_read, pieces_of(article, span)))
        return tuple(notes)

    def unannotated_source(self, name: str, path: Path, taken: set[str]) -> Source | None:
        rel = self.rel(path)
        slug = slug_from_name(name)
        if slug in taken:
            self.diagnostics.error(rel, None, f"the slug derived from this seed's file name, '{slug}', is already used; annotate it")
            return None
        raw = self.read_seed(path)
        if raw is None:
            return None
        article = split_paragraphs(raw)
        # Bounded: a one-line seed of megabytes was its own title, eight times in the page's head.
        title = shorten(article.paragraphs[0].text, TITLE_LIMIT) if article.paragraphs else name
        self.diagnostics.warning(rel, None, f"seed has no annotation; published as '{slug}' (write content/sources/{slug}.md, e.g. with 'python -m generator new')")
        return Source(slug=slug, seed=name, title=title, publisher="", published=None,
                      language=self.config.language, url="", translated_from=(), tags=(), summary="",
                      commentary="", notes=(), article=article, annotation=None, seed_bytes=path.stat().st_size,
                      seed_sha256=seed_digest(path, self.read))

    # -- actors ------------------------------------------------------------

    def load_actors(self, path: Path):
        """-> (actors, mention forms). ``self.unusable_actors`` is set to the ids
        an event may name without a second message: every id when the file
        cannot be read as a list, else the ids of actors with errors."""
        self._actor_lines: dict[str, int] = {}
        self.unusable_actors = frozenset()
        if not os.path.lexists(path):  # a link to nothing, or a loop, is reported when read
            return [], []
        rel = self.rel(path)
        reader = FieldReader(self.diagnostics, rel, self.markup_check)
        data = self.read_yaml(path, rel)
        self.unusable_actors = ALL_ACTORS
        if data is None:
            return [], []
        if not isinstance(data, YList):
            reader.error(getattr(data, "line", 1), "actors.yaml must be a list of actors")
            return [], []
        failed = set()
        actors, forms = [], []
        owners: dict[tuple[bool, str], str] = {}
        for index, item in enumerate(data):
            line = data.line_of(index)
            entry = reader.mapping(item, line, "an actor")
            if entry is None:
                continue
            reader.keys(entry, ACTOR_KEYS, ("id", "name", "kind"), what="actor")
            actor_id = reader.slug(entry, "id")
            name = reader.string(entry, "name", required=True)
            kind = reader.string(entry, "kind")
            if kind is not None and kind not in ACTOR_KINDS:
                reader.error(entry.line_of("kind"), f"actor kind must be one of {', '.join(ACTOR_KINDS)}, got {kind!r}")
                kind = None
            aliases = reader.strings(entry, "aliases")
            exact = reader.strings(entry, "exact_aliases")
            wikidata = reader.string(entry, "wikidata")
            if wikidata is not None and not WIKIDATA.fullmatch(wikidata):
                reader.error(entry.line_of("wikidata"), f"'wikidata' must be an item id such as Q7407093 "
                             f"(Q and ASCII digits 0-9), got {wikidata!r}")
            links = []
            if entry.get("links") is not None:
                link_map = reader.mapping(entry["links"], entry.line_of("links"), "'links'")
                for label, target in (link_map or {}).items():
                    problem = http_url_problem(target.strip()) if isinstance(target, str) else "must be an http(s) URL"
                    if problem:
                        reader.error(link_map.line_of(label), f"link {label!r} {problem}")
                    else:
                        links.append((str(label), target.strip()))
            if actor_id is None or name is None or kind is None:
                if actor_id is not None:
                    failed.add(actor_id)
                continue
            if actor_id in self._actor_lines:
                reader.error(entry.line_of("id"), f"duplicate actor id '{actor_id}' (first at line {self._actor_lines[actor_id]})")
                continue
            self._actor_lines[actor_id] = entry.line_of("id")
            norm_name = normalise(name)
            norm_aliases = [normalise(a) for a in aliases]
            norm_exact = [normalise(a) for a in exact]
            strings = [(s in norm_exact, s) for s in [norm_name, *norm_aliases] if s not in norm_exact]
            strings += [(True, s) for s in norm_exact]
            for exact_form, text in strings:
                key = (exact_form, text if exact_form else fold(text))
                if owners.get(key, actor_id) != actor_id:
                    reader.error(entry.line, f"the string {text!r} is given to two actors: '{owners[key]}' and '{actor_id}'")
                owners.setdefault(key, actor_id)
            actors.append(Actor(actor_id, name.strip(), kind, (reader.string(entry, "role") or "").strip(),
                                (reader.markdown(entry, "description") or "").strip(), tuple(aliases), tuple(exact),
                                wikidata, tuple(links)))
            forms.append((norm_name, norm_aliases, norm_exact))
        self.unusable_actors = frozenset(failed - set(self._actor_lines))
        return actors, forms

    def find_mentions(self, sources: list[Source], actors: list[Actor], forms) -> list[Mention]:
        """Every source's mentions, in the order of the slugs; ``self.mentioned``
        gets the actors mentioned (from each source's set, kept by the key of
        its mentions: a rebuild does not walk every mention for it)."""
        self.mentioned: set[str] = set()
        if not actors:
            return []
        kept = self.reuse.kept("mentioned") if self.reuse is not None else None
        keys = self.reuse.mention_keys if self.reuse is not None else {}
        mentions = []
        for source in sorted(sources, key=lambda s: s.slug):
            found = self.mentions_of(source)
            mentions.extend(found)
            content = keys.get(source.slug) if kept is not None else None
            ids = kept.get(content) if content is not None else None
            if ids is None:
                ids = frozenset(m.actor for m in found)
                if content is not None:
                    kept[content] = ids
            self.mentioned |= ids
        return mentions

    # -- events ------------------------------------------------------------

    def load_events(self, path: Path, sources: dict[str, Source], actor_ids: set[str]) -> list[Event]:
        if not os.path.lexists(path):  # a link to nothing, or a loop, is reported when read
            return []
        rel = self.rel(path)
        reader = FieldReader(self.diagnostics, rel, self.markup_check)
        data = self.read_yaml(path, rel)
        if data is None:
            return []
        if not isinstance(data, YList):
            reader.error(getattr(data, "line", 1), "events.yaml must be a list of events")
            return []
        events, seen = [], {}
        anchors: dict[str, int] = {}
        for index, item in enumerate(data):
            entry = reader.mapping(item, data.line_of(index), "an event")
            if entry is None:
                continue
            reader.keys(entry, EVENT_KEYS, ("id", "date", "title", "evidence"), what="event")
            event_id = reader.slug(entry, "id")
            date = reader.date(entry, "date")
            end = reader.date(entry, "end")
            title = reader.string(entry, "title", required=True)
            if date and end and end.sort_key < date.sort_key:
                reader.error(entry.line_of("end"), f"'end' ({end.written}) is before 'date' ({date.written})")
            actors = []
            for actor_id, line in reader.slugs(entry, "actors"):
                if actor_id not in actor_ids:
                    if actor_id not in self.unusable_actors:  # else actors.yaml's own errors say why
                        reader.error(line, f"unknown actor id '{actor_id}'")
                else:
                    actors.append(actor_id)
            tags = tuple(t for t, _ in reader.slugs(entry, "tags"))
            evidence = self.load_evidence(entry, reader, sources, event_id, anchors)
            if event_id is not None:
                if event_id in seen:
                    reader.error(entry.line_of("id"), f"duplicate event id '{event_id}' (first at line {seen[event_id]})")
                    continue
                seen[event_id] = entry.line_of("id")
            if event_id is None or date is None or title is None or evidence is None:
                continue
            events.append(Event(event_id, date, end, title.strip(), (reader.markdown(entry, "summary") or "").strip(),
                                tuple(actors), tags, evidence))
        return events

    def load_evidence(self, entry: YMap, reader: FieldReader, sources: dict[str, Source], event_id, anchors) -> tuple[Evidence, ...] | None:
        result = []
        ok = True
        for item, line in reader.items(entry, "evidence"):
            data = reader.mapping(item, line, "an evidence item")
            if data is None:
                ok = False
                continue
            if "source" in data:
                reader.keys(data, ("source", "quote", "prefix", "suffix"), ("source", "quote"), what="evidence")
                slug = reader.string(data, "source")
                quote = reader.string(data, "quote", required=True)
                if slug is None or quote is None:
                    ok = False
                    continue
                source = sources.get(slug)
                if source is None and slug in self.broken:
                    ok = False  # its annotation's own errors are reported already
                    continue
                if source is None:
                    reader.error(data.line_of("source"), f"unknown source '{slug}'")
                    ok = False
                    continue
                span = match_quote(source.article, _Quote(quote, reader.string(data, "prefix") or "",
                                                          reader.string(data, "suffix") or "", reader.path,
                                                          data.line_of("quote")), self.diagnostics)
                if span is None:
                    ok = False
                    continue
                base = f"ev-{event_id}"
                key = f"{slug}/{base}"
                anchors[key] = anchors.get(key, 0) + 1
                anchor = base if anchors[key] == 1 else f"{base}-{anchors[key]}"
                result.append(Evidence(source=slug, quote=quote, pieces=pieces_of(source.article, span), anchor=anchor))
            elif "url" in data:
                reader.keys(data, ("url", "title"), ("url", "title"), what="evidence")
                url = reader.string(data, "url")
                title = reader.string(data, "title", required=True)
                problem = http_url_problem(url.strip()) if url is not None else None
                if problem:
                    reader.error(data.line_of("url"), f"evidence url {problem}, got {url!r}")
                    ok = False
                    continue
                if url is None or title is None:
                    ok = False
                    continue
                result.append(Evidence(url=url.strip(), title=title.strip()))
            else:
                reader.error(line, "an evidence item needs either 'source' and 'quote', or 'url' and 'title'")
                ok = False
        if not result and ok and entry.get("evidence") is not None:
            reader.error(entry.line_of("evidence"), "'evidence' needs at least one item")
            ok = False
        return tuple(result) if ok and result else None

    # -- free pages --------------------------------------------------------

    def load_pages(self, folder: Path):
        pages, home = [], None
        if not folder.is_dir():
            return pages, home
        for path in sorted(folder.glob("*.md")):
            rel = self.rel(path)
            reader = FieldReader(self.diagnostics, rel, self.markup_check)
            slug = path.stem
            if not is_slug(slug):
                reader.error(None, f"file name must be a slug: {path.name!r}")
                continue
            if slug in RESERVED_PAGES:
                reader.error(None, f"the page slug '{slug}' is reserved (reserved: {', '.join(RESERVED_PAGES)})")
                continue
            meta, body, ok = read_markdown_file(path, rel, self.diagnostics, self.read, ("title",), self.markup_check)
            if not ok:
                continue
            reader.keys(meta, PAGE_KEYS, ("title",))
            title = reader.string(meta, "title", required=True)
            nav = reader.number(meta, "nav")
            if title is None:
                continue
            page = Page(slug, title.strip(), nav, body.strip("\n"), rel)
            if slug == "index":
                home = page
            else:
                pages.append(page)
        return pages, home
