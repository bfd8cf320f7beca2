"""The researcher's own pages (``content/pages/<slug>.md``), each at ``<slug>/``."""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls as paths
from ...content.model import Site
from .base import Context, Item

RESERVES: tuple[str, ...] = ()


def sitemap(site: Site) -> list[str]:
    return [paths.page(p.slug) for p in site.pages]


def items(ctx: Context) -> Iterator[Item]:
    for free in ctx.site.pages:
        yield Item(f"page:{free.slug}", lambda free=free: ctx.page(ctx.views.free_page(free)), (ctx.fp.page[free.slug],))
