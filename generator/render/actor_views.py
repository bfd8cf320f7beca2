"""The actors' pages: the index of actors and one page per actor.

A mixin of ``views.ViewBuilder``, beside ``kinds/actors.py`` which yields
these pages and declares what each reads (``_depends`` there follows
``actor_page`` here: the actor, the cards and mentions of the sources
naming it, its events, the names of the actors sharing its paragraphs, the
time axis). Change one, read the other.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict

from markupsafe import Markup

from . import urls as paths
from ..content.dates import format_date
from ..content.model import ACTOR_KINDS
from ..i18n import plural
from .excerpts import inside
from .output import Output
from .tags import Wrap

EXCERPT = 140  # characters of context on each side of a mention


class ActorViews:
    """The actor pages of ``views.ViewBuilder`` (its base class): they read
    its model indexes (``mentions_by_actor``, ``events_by_actor``,
    ``actors_in_paragraph``, ``source_rank``, ``windows``), ``common``,
    ``event_view`` and the actor's picture (``pictures.Pictures``)."""

    def actor_index(self) -> Output:
        kinds = []
        for kind in ACTOR_KINDS:
            members = sorted((a for a in self.site.actors if a.kind == kind and not a.spurious),
                             key=lambda a: a.name.casefold())
            if not members:
                continue
            kinds.append({"kind": kind, "label": plural(len(members), kind, self.lang), "actors": [self.actor_summary(a) for a in members]})
        count = len(self.site.actors) - len(self.spurious_ids)
        ctx = self.common(paths.actors(), self.t["actors"], "actors", self.t["actors_description"].format(
            count=self.count_label(count, "actor"), sources=self.count_label(len(self.site.sources), "source")))
        spurious = sorted((a for a in self.site.actors if a.spurious), key=lambda a: a.name.casefold())
        ctx.update({"kinds": kinds, "count": count,
                    "spurious": [self.spurious_summary(a) for a in spurious], "downloads": self.downloads("actors.json", "actors.csv"),
                    "network": self.network()})
        return Output(paths.actors(), "actors.html", ctx)

    def actor_summary(self, actor) -> dict:
        mentions = self.mentions_by_actor.get(actor.id, [])
        return {
            "id": actor.id, "name": actor.name, "role": actor.role, "href": self.link(paths.actor(actor.id)),
            "mentions": len(mentions), "sources": len({m.source for m in mentions}),
            "events": len(self.events_by_actor.get(actor.id, [])),
        }

    def actor_page(self, actor) -> Output:
        mentions = self.mentions_by_actor.get(actor.id, [])
        by_source: dict[str, list] = defaultdict(list)
        for m in mentions:
            by_source[m.source].append(m)
        sources = []
        for slug in sorted(by_source, key=self.source_rank.__getitem__):
            source = self.sources[slug]
            passages = []
            for m in by_source[source.slug]:
                paragraph = source.article.paragraphs[m.paragraph - 1]
                text, start, end, cut = paragraph.text, m.start, m.end, (False, False)
                if self.windows is not None:  # only what the source page publishes
                    window = inside(self.windows[source.slug], m.paragraph, m.start, m.end)
                    if window is None:
                        continue
                    text, start, end, cut = text[window[0]:window[1]], start - window[0], end - window[0], (
                        window[0] > 0, window[1] < len(paragraph.text))
                passages.append({
                    "paragraph": m.paragraph,
                    "href": self.link(paths.source(source.slug, f"p-{m.paragraph}")),
                    "html": Markup(excerpt(text, start, end, self.tags.excerpt_mark(), *cut)),
                })
            sources.append({"slug": source.slug, "title": source.title, "href": self.link(paths.source(source.slug)),
                            "publisher": source.publisher, "language": source.language,
                            "published": format_date(source.published, self.lang) if source.published else "",
                            "passages": passages, "count": len(by_source[source.slug])})
        # Co-mentions: in how many of this actor's paragraphs each other actor appears.
        co: Counter = Counter()
        for paragraph in {(m.source, m.paragraph) for m in mentions}:
            for other in self.actors_in_paragraph[paragraph]:
                if other != actor.id:
                    co[other] += 1
        co_list = [{"name": self.actors[a].name, "href": self.link(paths.actor(a)), "count": n}
                   for a, n in sorted(co.items(), key=lambda kv: (-kv[1], self.actors[kv[0]].name))]
        ctx = self.common(paths.actor(actor.id), actor.name, "actors", " — ".join(
            part for part in (actor.role, self.lead(actor.description)) if part)
            or self.t["actor_description"].format(name=actor.name), searchable=True)
        ctx.update({
            "actor": {
                "id": actor.id, "name": actor.name, "kind": actor.kind, "kind_label": plural(1, actor.kind, self.lang),
                "role": actor.role, "description_html": Markup(self.md.prose(actor.description)),
                "wikidata": actor.wikidata,
                "wikidata_url": f"https://www.wikidata.org/wiki/{actor.wikidata}" if actor.wikidata else "",
                "links": [{"label": k, "href": v} for k, v in actor.links],
                "aliases": list(actor.aliases) + list(actor.exact_aliases),
                "status": self.actor_status(actor),
            },
            "counts": self.actor_summary(actor),
            "events": [self.event_view(e) for e in self.events_by_actor.get(actor.id, [])],
            "sources": sources,
            "co_mentioned": co_list,
            "timeline_filtered": self.link(paths.timeline()) + f"?actor={actor.id}",
            "strip": self.actor_strip(actor, self.events_by_actor.get(actor.id, []),
                                      [self.sources[slug] for slug in sorted(by_source, key=self.source_rank.__getitem__)]),
        })
        return Output(paths.actor(actor.id), "actor.html", ctx)


def excerpt(text: str, start: int, end: int, mark: Wrap, cut_before: bool = False, cut_after: bool = False) -> str:
    """HTML: the mention highlighted with some context (``mark``: the theme's
    ``excerpt_mark``), cut at word boundaries."""
    left = max(0, start - EXCERPT)
    right = min(len(text), end + EXCERPT)
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space > end else right
    before = ("… " if left > 0 or cut_before else "") + text[left:start]
    after = text[end:right] + (" …" if right < len(text) or cut_after else "")
    return f"{html.escape(before)}{mark.open}{html.escape(text[start:end])}{mark.close}{html.escape(after)}"
