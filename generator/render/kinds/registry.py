"""Every kind of output of the site, in a fixed order: the one list that
``check``, a cold build, an incremental rebuild and the preview iterate.

Adding a page kind or an export: one module of this package (``RESERVES``,
``sitemap``, ``items``), listed here, plus its template. The search index
is not an item: it is made from the HTML of every page once they are made
(``incremental/search_step.py``), in ``search/pagefind/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ...content.model import Site
from . import actors, assets, data, downloads, events, exports, free_pages, hosting, pages, sources
from .base import Context, Files, Item

KINDS = (pages, sources, events, actors, free_pages, downloads, data, exports, hosting, assets)


def sitemap_targets(site: Site) -> tuple[str, ...]:
    """The site paths of the pages the sitemap lists, as the kinds declare them."""
    return tuple(target for kind in KINDS for target in kind.sitemap(site))


def reserved_slugs() -> tuple[str, ...]:
    """The top-level names of the output folder that the kinds write: no free page may take one."""
    return tuple(dict.fromkeys(name for kind in KINDS for name in kind.RESERVES))


def items(ctx: Context) -> Iterator[Item]:
    """Every item of the site, in a fixed order."""
    ctx = replace(ctx, sitemap=sitemap_targets(ctx.site))
    for kind in KINDS:
        yield from kind.items(ctx)


def render(ctx: Context) -> Files:
    """Every output file of the site, in memory: every item made."""
    files: Files = {}
    for item in items(ctx):
        files.update(item.files(ctx.diagnostics))
    return files
