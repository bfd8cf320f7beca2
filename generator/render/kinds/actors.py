"""A page per actor (``actors/<id>/``).

An actor's page shows its own entry, the passages of the sources that
mention it (their cards, their mentions, and with ``publish_text:
excerpts`` the events that quote them, which decide what may be shown),
its events (with the cards of the sources they quote and the names of
their actors), the actors named in the same paragraphs, and its picture on
the time axis of the whole corpus.

Which sources mention an actor is summed from every source's mentions:
those sums, and the items' fingerprints, are kept while what they read is
unchanged (an edit to a note does not touch them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .. import urls as paths
from ...content.model import Site
from ..paging import actor_passage_pages
from .base import Context, Files, Item

RESERVES = (paths.actors().strip("/"),)


def sitemap(site: Site) -> list[str]:
    """Each actor's page, and the numbered pages of its passages when they do not fit on it."""
    mentions = Counter(m.actor for m in site.mentions)
    return [target for a in site.actors for target in (paths.actor(a.id), *actor_passage_pages(a.id, mentions[a.id]))]


def items(ctx: Context) -> Iterator[Item]:
    depends = ctx.kept("actor-keys", _signature(ctx), lambda: _depends(ctx))
    for actor in ctx.site.actors:
        parts, weight = depends[actor.id]
        yield Item(f"actor:{actor.id}", lambda actor=actor: _actor_files(ctx, actor), (parts,), weight)


def _actor_files(ctx: Context, actor) -> Files:
    """The actor's page and the numbered pages of its passages: they read the same."""
    views = ctx.views
    files = ctx.page(views.actor_page(actor))
    for index, _ in enumerate(actor_passage_pages(actor.id, len(views.mentions_by_actor.get(actor.id, [])))):
        files.update(ctx.page(views.actor_passages(actor, index)))
    return files


def _signature(ctx: Context) -> tuple:
    """What the actors' pages read of the whole site."""
    every, views = ctx.fp.every, ctx.views
    return (_axis(ctx), every["card"], every["mentions"], every["event"], every["actor"], every["actor_card"],
            every["cites"] if views.windows is not None else "")


def _axis(ctx: Context) -> str:
    """Every picture of an actor is drawn on the one time axis of the whole corpus."""
    return ctx.key("axis", repr(ctx.views.periods), ctx.views.by_year)


def _depends(ctx: Context) -> dict[str, tuple[str, int]]:
    """actor id -> (the hash of what its page reads, its weight)."""
    fp, views = ctx.fp, ctx.views
    excerpts = views.windows is not None
    sources_of, together = _mention_sums(ctx)
    axis = _axis(ctx)
    depends = {}
    for actor in ctx.site.actors:
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
        depends[actor.id] = (ctx.key(f"actor:{actor.id}", parts), 1 + len(slugs) // 5)
    return depends


def _mention_sums(ctx: Context) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """Which sources mention each actor, and which actors it shares a
    paragraph with (their names are on its page), from a summary of each
    source's mentions kept between builds."""
    fp, site = ctx.fp, ctx.site
    mentions_of = ctx.views.mentions_by_source

    def compute():
        sources_of: dict[str, list[str]] = {}
        together: dict[str, set[str]] = {}
        for source in site.sources:
            present, pairs = ctx.piece("mention-summary", fp.mentions[source.slug],
                                       lambda s=source: _mention_summary(mentions_of.get(s.slug, [])))
            for actor_id in present:
                sources_of.setdefault(actor_id, []).append(source.slug)
            for actor_id, others in pairs.items():
                together.setdefault(actor_id, set()).update(others)
        return sources_of, together

    # the mentions, and the sources' order
    return ctx.kept("mention-sums", (fp.every["mentions"], tuple(fp.mentions)), compute)


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
