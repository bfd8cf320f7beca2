"""The site's fixed pages: home, timeline, actor index, source list, search, 404.

Each item's ``depends`` names what its view (``views.ViewBuilder``) reads:
the home page shows the cards of the sources, the counts of mentions, the
latest events and the most mentioned actors; the source list only the
sources' cards; the search and 404 pages nothing of the content.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls as paths
from ...content.model import Site
from .base import Context, Item

RESERVES = tuple(target.strip("/") for target in (paths.timeline(), paths.actors(), paths.sources(), paths.search())) + (
    "404",)


def sitemap(site: Site) -> list[str]:
    """Every fixed page but the 404 page (served at any missing address)."""
    return [paths.home(), paths.timeline(), paths.actors(), paths.sources(), paths.search()]


def items(ctx: Context) -> Iterator[Item]:
    views, fp, site = ctx.views, ctx.fp, ctx.site
    every = fp.every
    yield Item("home", lambda: ctx.page(views.home()),
               (fp.page.get("index"), every["card"], every["mentions"], every["event"], every["actor_card"]))
    yield Item("timeline", lambda: ctx.page(views.timeline()), (every["event"], every["card"], every["actor_card"]),
               max(1, len(site.events) // 50))
    yield Item("actors", lambda: ctx.page(views.actor_index()), (every["actor_card"], every["mentions"], every["event"]))
    yield Item("sources", lambda: ctx.page(views.source_index()), (every["card"],), max(1, len(site.sources) // 100))
    yield Item("search", lambda: ctx.page(views.search_page()))
    yield Item("404", lambda: ctx.page(views.not_found()))
