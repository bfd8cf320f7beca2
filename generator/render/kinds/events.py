"""A page per event (``events/<id>/``, format 1.1).

An event's page shows the event itself, the cards of the sources it quotes
(title, publisher, date, language, and the text its passages are taken
from: the card's hash of the article) and the names of its actors; its item
depends on those fingerprints only, so an edit to one event remakes one page.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls as paths
from ...content.model import Site
from .base import Context, Item

RESERVES = ("events",)


def sitemap(site: Site) -> list[str]:
    return [paths.event(e.id) for e in site.events]


def items(ctx: Context) -> Iterator[Item]:
    fp = ctx.fp
    for event in ctx.site.events:
        cited = tuple(dict.fromkeys(ev.source for ev in event.evidence if ev.source))
        depends = (fp.event[event.id], tuple(fp.card[slug] for slug in cited),
                   tuple(fp.actor_card[actor] for actor in event.actors))
        yield Item(f"event:{event.id}", lambda event=event: ctx.page(ctx.views.event_page(event)), depends)
