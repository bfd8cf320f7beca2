"""The corpus in the formats other tools read (``render/exports.py``):
BibTeX, CSL-JSON, W3C Web Annotations (JSON-LD), and CSV of sources, events and actors.

The annotations file holds every note of the site (tens of MB at a few
thousand sources): it is joined from one piece per source and per event,
kept between builds.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..exports import (actors_csv, annotation_collection, bibtex, csl_json, event_annotations, events_csv,
                       source_annotations, sources_csv)
from ...content.model import Site
from .base import Context, Files, Item, one
from .jsontext import Pieces, joined, json_bytes, json_text

RESERVES = ("data",)


def sitemap(site: Site) -> list[str]:
    return []


def items(ctx: Context) -> Iterator[Item]:
    site, urls, every = ctx.site, ctx.urls, ctx.fp.every
    sources, events = len(site.sources), len(site.events)
    yield Item("export:bib", one("data/sources.bib", lambda: bibtex(site, urls)), (every["card"],), max(1, sources // 400))
    yield Item("export:csl", one("data/sources.csl.json", lambda: csl_json(site, urls)), (every["card"],),
               max(1, sources // 200))
    yield Item("export:annotations", lambda: _annotations(ctx), (every["source"], every["card"], every["event"]),
               max(1, sources // 200))
    yield Item("export:events-csv", one("data/events.csv", lambda: events_csv(site, urls)), (every["event"],),
               max(1, events // 400))
    yield Item("export:actors-csv", one("data/actors.csv", lambda: actors_csv(site, urls)),
               (every["actor"], every["mentions"], every["event"]))
    yield Item("export:sources-csv", one("data/sources.csv", lambda: sources_csv(site, urls)), (every["card"],),
               max(1, sources // 400))


def _annotations(ctx: Context) -> Files:
    """Each source's and event's annotations kept as one piece of text, already
    joined (an edit then joins a few thousand pieces, not tens of thousands)."""
    site, urls, fp = ctx.site, ctx.urls, ctx.fp
    chunks: list[tuple[int, bytes]] = [ctx.piece(
        "note-annotations", fp.source[s.slug],
        lambda s=s: joined([json_text(item, 3) for item in source_annotations(site, s, urls)])) for s in site.sources]
    sources_by_slug = ctx.views.sources
    for event in site.events:
        cited = tuple(fp.card[ev.source] for ev in event.evidence if ev.source)
        chunks.append(ctx.piece(
            "event-annotations", "/".join((fp.event[event.id], *cited)),
            lambda e=event: joined([json_text(item, 3) for item in event_annotations(e, sources_by_slug, urls)])))
    count = sum(n for n, _ in chunks)
    collection = annotation_collection(site, urls, Pieces([text for n, text in chunks if n]), count)
    # Bytes joined once (the file is tens of MB at a few thousand sources).
    return {"data/annotations.jsonld": b"".join((*json_bytes(collection), b"\n"))}
