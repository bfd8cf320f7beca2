"""The downloadable data's content: ``data/sources.json``, ``actors.json``, ``events.json``.

A mixin of ``views.ViewBuilder``, beside ``kinds/data.py`` which writes
these files and declares what each reads (a source's piece: the source;
the actors: every actor, mention and event; the events: every event).
Plain JSON values with absolute URLs: the files are read off the site.
"""

from __future__ import annotations

from collections import Counter

from . import urls as paths
from ..content.model import Source


class DataViews:
    """The data files of ``views.ViewBuilder`` (its base class): they read its
    ``site``, ``urls`` and model indexes (``mentions_by_actor``, ``events_by_actor``)."""

    def data_source(self, s: Source) -> dict:
        """One source in data/sources.json (a build reuses it while the source is unchanged)."""
        absolute = self.urls.absolute
        return {
            "slug": s.slug, "title": s.title, "seed": s.seed, "publisher": s.publisher,
            "published": s.published.written if s.published else None, "language": s.language,
            "source_url": s.url or None, "url": absolute(paths.source(s.slug)),
            "paragraphs": len(s.article.paragraphs), "tags": list(s.tags),
            "translated_from": translated_data(s),
            "authors": [{"name": a.name, "kind": a.kind} for a in s.authors],
            "notes": [{"kind": n.kind, "quote": n.quote, "body": n.body, "should_read": n.should_read,
                       "url": absolute(paths.source(s.slug, n.anchor))} for n in s.notes],
        }

    def data_actors(self) -> list[dict]:
        absolute = self.urls.absolute
        actors = []
        for a in sorted(self.site.actors, key=lambda a: (a.name.casefold(), a.id)):
            counts = Counter(m.source for m in self.mentions_by_actor.get(a.id, []))
            actors.append({
                "id": a.id, "name": a.name, "kind": a.kind, "role": a.role or None, "wikidata": a.wikidata,
                "status": a.status, "status_note": a.status_note or None,
                "url": absolute(paths.actor(a.id)),
                "mentions": {slug: counts[slug] for slug in sorted(counts)},
                "events": [e.id for e in self.events_by_actor.get(a.id, [])],
            })
        return actors

    def data_events(self) -> list[dict]:
        absolute = self.urls.absolute
        events = []
        for e in self.site.events:
            evidence = []
            for ev in e.evidence:
                if ev.source:
                    evidence.append({"source": ev.source, "quote": ev.quote, "url": absolute(paths.source(ev.source, ev.anchor)),
                                     "stance": ev.stance, "note": ev.note or None})
                else:
                    evidence.append({"url": ev.url, "title": ev.title, "stance": ev.stance, "note": ev.note or None})
            events.append({"id": e.id, "date": e.date.written, "end": e.end.written if e.end else None,
                           "title": e.title, "summary": e.summary or None, "actors": list(e.actors),
                           "tags": list(e.tags), "url": absolute(self.urls.on_timeline(e.id)),
                           "page": absolute(paths.event(e.id)),  # format 1.1: the event's own page
                           "evidence": evidence})
        return events


def translated_data(source: Source) -> dict | None:
    """``translated_from`` as written, with its ``authors`` (format 1.1) when given."""
    original = dict(source.translated_from)
    if source.translated_authors:
        original["authors"] = [{"name": a.name, "kind": a.kind} for a in source.translated_authors]
    return original or None
