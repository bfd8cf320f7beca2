"""An event's own page (``events/<id>/``): what it shows, as plain data.

A mixin of ``views.ViewBuilder``, beside ``kinds/events.py`` which declares
what each page reads: the event, the cards of the sources it quotes (their
title, publisher, date, language and text) and the names of its actors.

The page starts from the event's card (``ViewBuilder.event_view``: what the
timeline shows) so that whatever the card gains shows here too: each
evidence item of the page is the card's item with the passage added, in
full and in the seed's own words (the card holds the quote as the
annotator typed it), and the number of the paragraph where it starts.
"""

from __future__ import annotations

from . import urls as paths
from ..content.dates import format_date
from ..content.model import Event
from .output import Output


class EventViews:
    """The event pages of ``views.ViewBuilder`` (its base class): they read its
    ``site``, ``sources``, ``t`` and ``event_view``."""

    def event_page(self, event: Event) -> Output:
        card = self.event_view(event)
        quotes, outside = [], []
        for ev, item in zip(event.evidence, card["evidence"]):
            if ev.source:
                quotes.append(self._passage(ev, item))
            else:
                outside.append(item)
        target = paths.event(event.id)
        description = self.lead(event.summary) or self.t["event_description"].format(
            date=card["date"], title=event.title)
        ctx = self.common(target, event.title, "timeline", description, "article", searchable=True)
        ctx.update({"event": dict(card, passages=quotes, outside=outside,
                                  tag_links=[{"label": tag, "href": self.link(paths.timeline()) + f"?tag={tag}"}
                                             for tag in event.tags])})
        return Output(target, "event.html", ctx)

    def _passage(self, ev, item: dict) -> dict:
        """One quoted passage: the card's item, plus the passage as the seed
        writes it (one string per paragraph it spans) and where it starts."""
        source = self.sources[ev.source]
        paragraphs = source.article.paragraphs
        text = [paragraphs[piece.paragraph - 1].text[piece.start:piece.end] for piece in ev.pieces]
        return dict(item, paragraphs=text, paragraph=ev.pieces[0].paragraph,
                    published=format_date(source.published, self.lang) if source.published else "",
                    source_href=self.link(paths.source(source.slug)))
