"""The files a build writes, grouped in items, each with the key of what it depends on.

An *item* is a few output files made together (a source's HTML page and
its Markdown page; the three JSON data files; one actor page). Its *key* is
a hash of fingerprints of exactly the parts of the model its views read,
next to the view code that reads them, so that a rebuild renders only the
items whose key changed and leaves every other file as it is. The keys are
deliberately coarse where that is cheap (the timeline depends on every
event) and fine where it pays (a source page on its own source, its
mentions and the events that cite it): a stale key would leave a stale
page, and ``tests/test_incremental.py`` checks every kind of edit against a
cold build, byte for byte.

Fingerprints are hashes of the model's own values (``repr`` of the frozen
dataclasses), or, for sources, of the input files they were read from (the
loader's cache keys), which is cheaper than hashing an article.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import urls as paths
from .cache import digest, key
from .exports import (actors_csv, annotation_collection, bibtex, csl_json, event_annotations, events_csv,
                      source_annotations)
from .hosting import feed, json_file, robots, sitemap
from .inputfiles import published_files, shown
from .markup import Markup as Converter
from .model import Site, Source
from .templating import Renderer, theme_dirs
from .text import markup_safe
from .urls import Urls, output_file
from .views import Output, ViewBuilder


@dataclass
class Item:
    name: str
    key: str
    make: Callable[[], dict[str, bytes]]
    weight: int = 1  # rough cost, to share the work between processes


@dataclass
class Fingerprints:
    """Per-object hashes of the model, computed once per build (and reused
    between builds for objects that did not change)."""

    source: dict[str, str] = field(default_factory=dict)  # slug -> everything the source is
    card: dict[str, str] = field(default_factory=dict)  # slug -> what other pages show of it
    mentions: dict[str, str] = field(default_factory=dict)  # slug -> its mentions
    cites: dict[str, str] = field(default_factory=dict)  # slug -> the events that quote it
    event: dict[str, str] = field(default_factory=dict)
    actor: dict[str, str] = field(default_factory=dict)
    actor_card: dict[str, str] = field(default_factory=dict)  # what other pages show of an actor
    page: dict[str, str] = field(default_factory=dict)


# (kind, content key or object identity) -> (the object, its fingerprint), kept
# between the builds of one process; an entry made by identity holds its
# object, so that the identity cannot be reused by another.
_MEMO: dict[tuple, tuple] = {}


def _memo(kind: str, handle, obj, compute) -> str:
    slot = (kind, handle)
    entry = _MEMO.get(slot)
    if entry is None or entry[0] is not obj:
        entry = _MEMO[slot] = (obj, compute())
    return entry[1]


def fingerprints(site: Site, views: ViewBuilder, source_keys: dict[str, str], article_keys: dict[str, str],
                 mention_keys: dict[str, str]) -> Fingerprints:
    fp = Fingerprints()
    used: set = set()

    def remember(kind, handle, obj, compute):
        used.add((kind, handle))
        return _memo(kind, handle, obj, compute)

    # The loop runs for every source of every rebuild: the memo is read
    # inline, and the mentions indexed only if some source's are not keyed.
    fp_source, fp_card, fp_mentions = fp.source, fp.card, fp.mentions
    memo_get, use = _MEMO.get, used.add
    for source in site.sources:
        slug = source.slug
        own = source_keys.get(slug)
        if own is None:  # read without the cache (an unannotated seed): hash the value
            own = remember("source-value", id(source), source, lambda s=source: _source_value_key(s))
        fp_source[slug] = own
        slot = ("card", own)
        entry = memo_get(slot)
        use(slot)
        if entry is None:
            s, a = source, article_keys.get(slug)
            entry = _MEMO[slot] = (None, key(
                "card", s.slug, s.title, s.publisher, s.published, s.language, s.url, s.translated_from, s.tags,
                s.summary, s.seed, s.annotation, s.seed_bytes, s.seed_sha256, len(s.notes),
                tuple(n.kind for n in s.notes), a or digest(s.article.joined.encode("utf-8", "surrogatepass"))))
        fp_card[slug] = entry[1]
        mkey = mention_keys.get(slug)
        fp_mentions[slug] = mkey if mkey is not None else key("mentions", repr(views.mentions_by_source.get(slug, [])))
    for event in site.events:
        fp.event[event.id] = remember("event", id(event), event, lambda e=event: key("event", repr(e)))
    for actor in site.actors:  # the same objects while actors.yaml is unchanged
        fp.actor[actor.id] = remember("actor", id(actor), actor, lambda a=actor: key("actor", repr(a)))
        fp.actor_card[actor.id] = key("actor-card", actor.id, actor.name, actor.kind, actor.role)
    for page in (*site.pages, *((site.home,) if site.home else ())):
        fp.page[page.slug] = key("page", repr(page))
    for slug in fp.source:
        fp.cites[slug] = "|".join(fp.event[event.id] for event, _ in views.citing.get(slug, []))
    # Keep the memo to what this build used (it holds references by identity).
    for slot in [slot for slot in _MEMO if slot not in used]:
        del _MEMO[slot]
    return fp


def _source_value_key(source: Source) -> str:
    """Everything the source is, hashed. The article is a function of its
    joined text, so that text's digest stands for it: the repr of the
    article (every paragraph twice, the joined and normalised text) made a
    string four times the seed, then escaped and encoded again, and a
    one-line seed of 10 MB took 300 MB here."""
    return key("source", repr(replace(source, article=None)),
               digest(source.article.joined.encode("utf-8", "surrogatepass")))


def plan(site: Site, views: ViewBuilder, renderer: Renderer, converter: Converter, fp: Fingerprints,
         global_key: str, diagnostics) -> list[Item]:
    """Every item of the site, in a fixed order, with its key."""
    config = site.config
    urls = views.urls
    excerpts = views.windows is not None
    items: list[Item] = []

    def page(output: Output) -> dict[str, bytes]:
        text = renderer.render(output.template, output.context, diagnostics, output.target)
        return {} if text is None else {output_file(output.target): markup_safe(text).encode("utf-8")}

    def every(kind: str) -> str:
        """One key for a kind's fingerprints (thousands): the names, then the
        fingerprints, each joined by NUL (no name or fingerprint holds one),
        hashed without ``repr`` (a preview's rebuild makes these seven keys)."""
        values = getattr(fp, kind)
        return key(kind, digest("\0".join(values).encode("utf-8", "surrogatepass")),
                   digest("\0".join(values.values()).encode("utf-8", "surrogatepass")))

    all_sources, all_cards, all_mentions = every("source"), every("card"), every("mentions")
    all_events, all_actors, all_pages = every("event"), every("actor"), every("page")
    actor_cards = every("actor_card")  # names, kinds and roles: all that the other pages show
    everything = key(all_sources, all_cards, all_mentions, all_events, all_actors, all_pages)

    def add(name: str, parts: tuple, make, weight: int = 1) -> None:
        items.append(Item(name, key(global_key, name, parts), make, weight))

    def add_simple(name: str, parts: tuple[str, ...], make, weight: int = 1) -> None:
        """``add`` for parts that are plain strings of hex digits and '|': joined, not hashed."""
        items.append(Item(name, "/".join((global_key, name, *parts)), make, weight))

    # Pieces not used by this build or the one before are forgotten.
    global _GENERATION
    _GENERATION += 1
    generation = _GENERATION
    for slot in [slot for slot, (used, _) in _FRAGMENTS.items() if used < generation - 1]:
        del _FRAGMENTS[slot]

    def memo(kind: str, handle: str, make):
        """A piece made from one source or event, reused while its key is the same."""
        slot = (kind, global_key, handle)
        entry = _FRAGMENTS.get(slot)
        value = make() if entry is None else entry[1]
        _FRAGMENTS[slot] = (generation, value)
        return value

    add("home", (fp.page.get("index"), all_cards, all_mentions, all_events, actor_cards), lambda: page(views.home()))
    add("timeline", (all_events, all_cards, actor_cards), lambda: page(views.timeline()), max(1, len(site.events) // 50))
    add("actors", (actor_cards, all_mentions, all_events), lambda: page(views.actor_index()))
    add("sources", (all_cards,), lambda: page(views.source_index()), max(1, len(site.sources) // 100))
    add("search", (), lambda: page(views.search_page()))
    add("404", (), lambda: page(views.not_found()))

    for source in site.sources:
        slug = source.slug

        def make_source(source=source):
            markdown = views.source_markdown(source)
            files = page(views.source_page(source, markdown))
            files[f"sources/{source.slug}/index.md"] = markdown.text().encode("utf-8")
            return files

        add_simple(f"source:{slug}", (fp.source[slug], fp.mentions[slug], fp.cites[slug]), make_source, 4)

    # Which sources mention each actor, and which actors it shares a paragraph
    # with (their names are on its page), from a summary of each source's
    # mentions kept between builds.
    aggregate = key("aggregate", all_mentions, tuple(fp.mentions))  # the mentions, and the sources' order
    cached = _AGGREGATES.get(aggregate)
    if cached is None:
        sources_of: dict[str, list[str]] = {}
        together: dict[str, set[str]] = {}
        mentions_of = views.mentions_by_source
        for source in site.sources:
            present, pairs = memo("mention-summary", fp.mentions[source.slug],
                                  lambda s=source: _mention_summary(mentions_of.get(s.slug, [])))
            for actor_id in present:
                sources_of.setdefault(actor_id, []).append(source.slug)
            for actor_id, others in pairs.items():
                together.setdefault(actor_id, set()).update(others)
        _AGGREGATES.clear()
        cached = _AGGREGATES[aggregate] = (sources_of, together)
    sources_of, together = cached
    # Every picture of an actor is drawn on the one time axis of the whole corpus.
    axis = key("axis", repr(views.periods), views.by_year)
    # The actors' keys read every source's fingerprints: when none of what
    # they read changed (an edit to a note, say), last build's keys stand.
    signature = key(global_key, axis, all_cards, all_mentions, all_events, all_actors, actor_cards,
                    every("cites") if excerpts else "")
    actor_keys = _ACTOR_KEYS.get(signature)
    if actor_keys is None:
        actor_keys = {}
        for actor in site.actors:
            slugs = sources_of.get(actor.id, [])
            others = sorted(together.get(actor.id, ()))
            events = views.events_by_actor.get(actor.id, [])
            parts = (
                fp.actor[actor.id], axis,
                tuple((slug, fp.card[slug], fp.mentions[slug], fp.cites[slug] if excerpts else "") for slug in slugs),
                tuple((fp.event[e.id], tuple(fp.card[ev.source] for ev in e.evidence if ev.source),
                       tuple(fp.actor_card[a] for a in e.actors)) for e in events),
                tuple(fp.actor_card[other] for other in others),
            )
            actor_keys[actor.id] = (key(global_key, f"actor:{actor.id}", parts), 1 + len(slugs) // 5)
        _ACTOR_KEYS.clear()
        _ACTOR_KEYS[signature] = actor_keys
    for actor in site.actors:
        item_key, weight = actor_keys[actor.id]
        items.append(Item(f"actor:{actor.id}", item_key, lambda actor=actor: page(views.actor_page(actor)), weight))

    for free in site.pages:
        add(f"page:{free.slug}", (fp.page[free.slug],), lambda free=free: page(views.free_page(free)))

    # The data files and exports: one item each, assembled from per-source
    # and per-event pieces kept between builds, so that one edit redoes one piece.

    def data_sources() -> dict[str, bytes]:
        parts = [memo("data-source", fp.source[s.slug], lambda s=s: json_text(views.data_source(s), 1).encode("utf-8"))
                 for s in site.sources]
        return {"data/sources.json": b"".join(json_list_bytes(parts, 0, b"", b"\n"))}

    sources_by_slug = {s.slug: s for s in site.sources}

    def annotations() -> dict[str, bytes]:
        # Each source's and event's items kept as one piece of text, already
        # joined (an edit then joins a few thousand pieces, not tens of thousands).
        chunks: list[tuple[int, str]] = [memo(
            "note-annotations", fp.source[s.slug],
            lambda s=s: _joined([json_text(item, 3) for item in source_annotations(site, s, urls)]))
            for s in site.sources]
        for event in site.events:
            cited = tuple(fp.card[ev.source] for ev in event.evidence if ev.source)
            chunks.append(memo("event-annotations", "/".join((fp.event[event.id], *cited)),
                               lambda e=event: _joined([json_text(item, 3) for item in event_annotations(e, sources_by_slug, urls)])))
        count = sum(n for n, _ in chunks)
        collection = annotation_collection(site, urls, _PLACEHOLDER, count)
        head, placeholder, tail = json.dumps(collection, ensure_ascii=False, indent=1).partition(json.dumps(_PLACEHOLDER))
        assert placeholder and json.dumps(_PLACEHOLDER) not in tail
        # Bytes joined once (the file is tens of MB at a few thousand sources).
        return {"data/annotations.jsonld": b"".join(json_list_bytes(
            [t for n, t in chunks if n], 2, head.encode("utf-8"), (tail + "\n").encode("utf-8")))}

    def one(name: str, make):
        return lambda: {name: make().encode("utf-8")}

    add("data:sources", (all_sources,), data_sources, max(1, len(site.sources) // 400))
    add("data:actors", (all_actors, all_mentions, all_events),
        one("data/actors.json", lambda: json_file(views.data_actors())), max(1, len(site.actors) // 50))
    add("data:events", (all_events,), one("data/events.json", lambda: json_file(views.data_events())),
        max(1, len(site.events) // 200))
    add("export:bib", (all_cards,), one("data/sources.bib", lambda: bibtex(site, urls)), max(1, len(site.sources) // 400))
    add("export:csl", (all_cards,), one("data/sources.csl.json", lambda: csl_json(site, urls)), max(1, len(site.sources) // 200))
    add("export:annotations", (all_sources, all_cards, all_events), annotations, max(1, len(site.sources) // 200))
    add("export:events-csv", (all_events,), one("data/events.csv", lambda: events_csv(site, urls)), max(1, len(site.events) // 400))
    add("export:actors-csv", (all_actors, all_mentions, all_events), one("data/actors.csv", lambda: actors_csv(site, urls)))
    targets = sitemap_targets(views)
    add("sitemap", tuple(targets), lambda: {"sitemap.xml": markup_safe(sitemap(targets, urls)).encode("utf-8")})
    add("feed", (all_cards, all_events), lambda: {"feed.xml": markup_safe(feed(site, urls, converter.prose)).encode("utf-8")},
        max(1, (len(site.sources) + len(site.events)) // 200))
    add("hosting", (), lambda: hosting_files(site, urls))
    add("assets", (), lambda: asset_files(config.templates_dir, diagnostics, config.rel))
    return items


_FRAGMENTS: dict[tuple, tuple] = {}  # (kind, site key, content key) -> (build, JSON text), kept between builds
_GENERATION = 0
_AGGREGATES: dict[str, tuple] = {}  # per-actor sums of the mentions, while they are unchanged
_ACTOR_KEYS: dict[str, dict] = {}  # the actor items' keys, while what they read is unchanged
_PLACEHOLDER = "\u0000items\u0000"


def json_text(value, depth: int) -> str:
    """``value`` as ``json.dumps(..., indent=1)`` writes it nested ``depth`` levels deep."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return " " * depth + text.replace("\n", "\n" + " " * depth)


def json_list(parts: list[str], depth: int) -> str:
    """A JSON list of pieces made by ``json_text(item, depth + 1)``, as
    ``json.dumps(..., indent=1)`` writes it ``depth`` levels deep."""
    if not parts:
        return "[]"
    return "[\n" + ",\n".join(parts) + "\n" + " " * depth + "]"


def _joined(parts: list[str]) -> tuple[int, bytes]:
    """(how many, the pieces as ``json_list`` joins them, encoded): joined
    pieces joined again give the same text as all the pieces joined at once."""
    return len(parts), ",\n".join(parts).encode("utf-8")


def json_list_bytes(parts: list[bytes], depth: int, before: bytes, after: bytes) -> list[bytes]:
    """``before + json_list(parts, depth) + after`` for encoded parts, as pieces
    to join once with ``b"".join``."""
    if not parts:
        return [before, b"[]", after]
    pieces = [before, b"[\n"]
    for part in parts:
        pieces += (part, b",\n")
    pieces[-1] = b"\n" + b" " * depth + b"]"
    pieces.append(after)
    return pieces


def _mention_summary(mentions) -> tuple[tuple[str, ...], dict[str, frozenset]]:
    """The actors a source mentions, and for each the actors in its paragraphs."""
    paragraphs: dict[int, set[str]] = {}
    for m in mentions:
        paragraphs.setdefault(m.paragraph, set()).add(m.actor)
    pairs: dict[str, set[str]] = {}
    for present in paragraphs.values():
        for actor_id in present:
            pairs.setdefault(actor_id, set()).update(present)
    return tuple(sorted(pairs)), {a: frozenset(others) for a, others in pairs.items()}


def sitemap_targets(views: ViewBuilder) -> list[str]:
    """The pages of the sitemap: every HTML page but the 404 page."""
    site = views.site
    return ["", "timeline/", "actors/", "sources/", paths.search(), *(f"sources/{s.slug}/" for s in site.sources),
            *(f"actors/{a.id}/" for a in site.actors), *(f"{p.slug}/" for p in site.pages)]


def hosting_files(site: Site, urls: Urls) -> dict[str, bytes]:
    files = {"robots.txt": robots(urls).encode("utf-8"), ".nojekyll": b""}
    if site.config.cname:
        files["CNAME"] = f"{site.config.cname}\n".encode("utf-8")
    return files


def asset_files(templates_dir, diagnostics, rel) -> dict[str, bytes]:
    """The theme's assets, the site's own overriding them file by file. One
    that is a link out of its templates folder, not a regular file, or not
    named in UTF-8 is an error (``rel``: a folder as shown in messages)."""
    files = {}
    for directory in reversed(theme_dirs(templates_dir)):  # site's own assets override the theme's
        assets = directory / "assets"
        if assets.is_dir():
            found, problems = published_files(assets, directory, "asset", "templates")
            files.update(("assets/" + name, data) for name, data in found.items())
            for name, problem in problems:
                diagnostics.error(shown(f"{rel(assets)}/{name}"), None, problem)
    return files


def prose_texts(site: Site) -> tuple[list[str], list[str]]:
    """The annotators' Markdown a full build converts: (prose, note bodies).
    Converted up front, in parallel, when many pages are to be made."""
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
