"""The downloadable data: ``data/sources.json``, ``actors.json``, ``events.json``.

``sources.json`` is joined from one piece per source, kept between builds,
so that an edit to one source redoes one piece of a file of thousands.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...content.model import Site
from .base import Context, Files, Item, one
from .jsontext import json_file, json_list_bytes, json_text

RESERVES = ("data",)


def sitemap(site: Site) -> list[str]:
    return []


def items(ctx: Context) -> Iterator[Item]:
    site, views, every = ctx.site, ctx.views, ctx.fp.every
    yield Item("data:sources", lambda: _sources(ctx), (every["source"],), max(1, len(site.sources) // 400))
    yield Item("data:actors", one("data/actors.json", lambda: json_file(views.data_actors())),
               (every["actor"], every["mentions"], every["event"]), max(1, len(site.actors) // 50))
    yield Item("data:events", one("data/events.json", lambda: json_file(views.data_events())), (every["event"],),
               max(1, len(site.events) // 200))


def _sources(ctx: Context) -> Files:
    views, fp = ctx.views, ctx.fp
    parts = [ctx.piece("data-source", fp.source[s.slug], lambda s=s: json_text(views.data_source(s), 1).encode("utf-8"))
             for s in ctx.site.sources]
    return {"data/sources.json": b"".join(json_list_bytes(parts, 0, b"", b"\n"))}
