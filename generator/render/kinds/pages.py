"""The site's fixed pages: home, timeline, actor index, source list, search, 404.

Each item's ``depends`` names what its view (``views.ViewBuilder``) reads:
the home page shows the cards of the sources, the counts of mentions, the
latest events and the most mentioned actors; the source list only the
sources' cards; the search and 404 pages nothing of the content.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls as paths
from ..paging import PageSizes, TimelineLayout, numbered_pages
from ...content.model import Site
from .base import Context, Item

RESERVES = tuple(target.strip("/") for target in (paths.timeline(), paths.actors(), paths.sources(), paths.search())) + (
    "404",)


def sitemap(site: Site) -> list[str]:
    """Every fixed page but the 404 page (served at any missing address)."""
    timeline = TimelineLayout.of(site.events, PageSizes.timeline)
    return [paths.home(), paths.timeline(), *(page.target for page in timeline.pages),
            *numbered_pages(paths.actors(), len(site.actors), PageSizes.actors),
            *numbered_pages(paths.sources(), len(site.sources), PageSizes.sources), paths.search()]


def items(ctx: Context) -> Iterator[Item]:
    views, fp, site = ctx.views, ctx.fp, ctx.site
    every = fp.every
    yield Item("home", lambda: ctx.page(views.home()),
               (fp.page.get("index"), every["card"], every["mentions"], every["event"], every["actor_card"]))
    timeline_reads = (every["event"], every["card"], every["actor_card"])
    yield Item("timeline", lambda: ctx.page(views.timeline()), timeline_reads,
               max(1, min(len(site.events), PageSizes.timeline) // 50))
    for index, page in enumerate(views.timeline_layout.pages):
        yield Item(f"timeline:{page.target}", lambda index=index: ctx.page(views.timeline_page(index)), timeline_reads,
                   max(1, (page.stop - page.start) // 50))
    actor_reads = (every["actor_card"], every["mentions"], every["event"])
    for index, target in enumerate(views.actor_index_pages()):
        yield Item("actors" if index == 0 else f"actors:{target}", lambda index=index: ctx.page(views.actor_index(index)),
                   actor_reads)
    for index, target in enumerate(views.source_list_pages()):
        yield Item("sources" if index == 0 else f"sources:{target}",
                   lambda index=index: ctx.page(views.source_index(index)), (every["card"],),
                   max(1, min(len(site.sources), PageSizes.sources) // 100))
    yield Item("search", lambda: ctx.page(views.search_page()))
    yield Item("404", lambda: ctx.page(views.not_found()))
