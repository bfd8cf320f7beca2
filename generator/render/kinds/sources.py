"""A page per source, and the same as Markdown (``sources/<slug>/index.md``).

A source's page shows the whole source, its mentions of actors, and the
events that quote it: its item depends on those three fingerprints, and on
which actors are spurious, with their reasons (their mentions say so).
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls as paths
from ...content.model import Site
from .base import Context, Files, Item

RESERVES = (paths.sources().strip("/"),)


def sitemap(site: Site) -> list[str]:
    return [paths.source(s.slug) for s in site.sources]


def markdown_file(slug: str) -> str:
    return f"{paths.source(slug)}index.md"


def items(ctx: Context) -> Iterator[Item]:
    views, fp = ctx.views, ctx.fp
    spurious = ctx.key("spurious", tuple((a.id, a.status_note) for a in ctx.site.actors if a.spurious))

    def make(source) -> Files:
        markdown = views.source_markdown(source)
        files = ctx.page(views.source_page(source, markdown))
        files[markdown_file(source.slug)] = markdown.text().encode("utf-8")
        return files

    for source in ctx.site.sources:
        slug = source.slug
        yield Item(f"source:{slug}", lambda source=source: make(source), (fp.source[slug], fp.mentions[slug], fp.cites[slug], spurious), 4)
