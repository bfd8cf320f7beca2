"""The page of the downloads, ``data/`` (format 1.1): every data file with
what it holds, its format, its number of records and its licence.

It shows how many sources, notes, quoted passages, events and actors there
are: it depends on the sources' cards (which carry their notes' kinds), the
events and the actors' cards. The licence is a setting (every item's key
holds the settings). Its item is not one of the data files that a preview
leaves for later (``incremental/plan.py``): it is a page.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...content.model import Site
from .base import Context, Item

RESERVES = ("data",)


def sitemap(site: Site) -> list[str]:
    return ["data/"]


def items(ctx: Context) -> Iterator[Item]:
    every = ctx.fp.every
    yield Item("downloads", lambda: ctx.page(ctx.views.data_page()), (every["card"], every["event"], every["actor_card"]))
