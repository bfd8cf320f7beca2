"""The actors' pages: the index of actors and one page per actor.

A mixin of ``views.ViewBuilder``, beside ``kinds/actors.py`` which yields
these pages and declares what each reads (``_depends`` there follows
``actor_page`` here: the actor, the cards and mentions of the sources
naming it, its events, the names of the actors sharing its paragraphs, the
time axis). Change one, read the other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import groupby

from markupsafe import Markup

from . import urls as paths
from ..content.dates import format_date
from ..content.model import ACTOR_KINDS
from ..i18n import plural
from .excerpts import inside
from .output import Output
from .paging import PageSizes, actor_passage_pages, numbered_pages, pager
from .passages import passage_html, passages


class ActorViews:
    """The actor pages of ``views.ViewBuilder`` (its base class): they read
    its model indexes (``mentions_by_actor``, ``events_by_actor``,
    ``actors_in_paragraph``, ``source_rank``, ``windows``), ``common``,
    ``event_view`` and the actor's picture (``pictures.Pictures``)."""

    def actor_index_order(self) -> list:
        """Every actor but the spurious ones in the index's order: by kind, then by name."""
        return [a for kind in ACTOR_KINDS
                for a in sorted((a for a in self.site.actors if a.kind == kind and not a.spurious),
                                key=lambda a: a.name.casefold())]

    def actor_index_pages(self) -> list[str]:
        """``actors/``, then ``actors/page/2/``... (``PageSizes.actors`` actors each)."""
        return numbered_pages(paths.actors(), len(self.actor_index_order()), PageSizes.actors)

    def actor_index(self, index: int = 0) -> Output:
        """Page ``index`` (0-based) of the actor index; the network and the
        spurious entities (format 1.1, listed apart with their reason) are on the first."""
        targets = self.actor_index_pages()
        size = PageSizes.actors
        kinds: list[dict] = []
        for actor in self.actor_index_order()[index * size:(index + 1) * size]:
            if not kinds or kinds[-1]["kind"] != actor.kind:
                kinds.append({"kind": actor.kind, "actors": []})
            kinds[-1]["actors"].append(self.actor_summary(actor))
        for kind in kinds:
            kind["label"] = plural(len(kind["actors"]), kind["kind"], self.lang)
        count = len(self.site.actors) - len(self.spurious_ids)
        title = self.t["actors"] if index == 0 else f"{self.t['actors']}: " + self.t["page_of"].format(
            number=index + 1, count=len(targets))
        ctx = self.common(targets[index], title, "actors", self.t["actors_description"].format(
            count=self.count_label(count, "actor"), sources=self.count_label(len(self.site.sources), "source")))
        spurious = sorted((a for a in self.site.actors if a.spurious), key=lambda a: a.name.casefold()) if index == 0 else []
        ctx.update({"kinds": kinds, "count": count, "downloads": self.downloads("actors.json", "actors.csv"),
                    "spurious": [self.spurious_summary(a) for a in spurious],
                    "network": self.network() if index == 0 else None,
                    "pager": pager(targets, index, self.link, self.t)})
        return Output(targets[index], "actors.html", ctx)

    def actor_summary(self, actor) -> dict:
        mentions = self.mentions_by_actor.get(actor.id, [])
        return {
            "id": actor.id, "name": actor.name, "role": actor.role, "href": self.link(paths.actor(actor.id)),
            "mentions": len(mentions), "sources": len({m.source for m in mentions}),
            "events": len(self.events_by_actor.get(actor.id, [])),
        }

    def actor_mentions(self, actor) -> tuple[list, dict[str, int]]:
        """The actor's mentions in the order its pages show them (by source, as the
        source list, then in reading order), and how many each source holds."""
        by_source: dict[str, list] = defaultdict(list)
        for m in self.mentions_by_actor.get(actor.id, []):
            by_source[m.source].append(m)
        slugs = sorted(by_source, key=self.source_rank.__getitem__)
        return [m for slug in slugs for m in by_source[slug]], {slug: len(by_source[slug]) for slug in slugs}

    def passage_sources(self, mentions, counts: dict[str, int]) -> list[dict]:
        """Mentions (in page order) -> the sources they are in, each with its
        passages (``passages.py``: a bounded window around one mention or several)."""
        sources: list[dict] = []
        mark = self.tags.excerpt_mark()
        for slug, group in groupby(mentions, key=lambda m: m.source):
            source = self.sources[slug]
            paragraphs = source.article.paragraphs
            span_of = None
            if self.windows is not None:  # only what the source page publishes
                span_of = lambda m, w=self.windows[slug]: inside(w, m.paragraph, m.start, m.end)
            found = passages(group, lambda n: paragraphs[n - 1].text, span_of)
            href = self.link(paths.source(slug))
            sources.append({"slug": slug, "title": source.title, "href": href,
                            "publisher": source.publisher, "language": source.language,
                            "published": format_date(source.published, self.lang) if source.published else "",
                            "count": counts[slug], "passages": [{
                                "paragraph": p.paragraph,
                                "href": f"{href}#p-{p.paragraph}",  # as link(source(slug, 'p-N'))
                                "html": Markup(passage_html(paragraphs[p.paragraph - 1].text, p, mark)),
                            } for p in found]})
        return sources

    def actor_passages(self, actor, index: int) -> Output:
        """Page ``index`` (0-based) of every passage naming the actor (not indexed for search: the
        passages are the sources' text, indexed on their pages)."""
        mentions, counts = self.actor_mentions(actor)
        targets = actor_passage_pages(actor.id, len(mentions))
        size = PageSizes.passages
        heading = self.t["passages_of"].format(name=actor.name)
        title = f"{heading}: " + self.t["page_of"].format(number=index + 1, count=len(targets))
        ctx = self.common(targets[index], title, "actors", self.t["actor_description"].format(name=actor.name))
        ctx.update({"heading": heading, "actor": {"id": actor.id, "name": actor.name, "href": self.link(paths.actor(actor.id))},
                    "page_label": self.t["page_of"].format(number=index + 1, count=len(targets)),
                    "sources": self.passage_sources(mentions[index * size:(index + 1) * size], counts),
                    "pager": pager(targets, index, self.link, self.t)})
        return Output(targets[index], "actor_passages.html", ctx)

    def actor_page(self, actor) -> Output:
        mentions, counts = self.actor_mentions(actor)
        pages = actor_passage_pages(actor.id, len(mentions))
        shown = mentions[:PageSizes.actor_passages] if pages else mentions
        first_at = {}  # source -> where its passages start: this page, or one of the passages pages
        for n, m in enumerate(mentions):
            if m.source not in first_at:
                page = paths.actor(actor.id) if n < len(shown) else pages[n // PageSizes.passages]
                first_at[m.source] = f"{page}#src-{m.source}"
        events = self.events_by_actor.get(actor.id, [])
        listed = events[-PageSizes.actor_events:] if len(events) > PageSizes.actor_events else events
        ctx = self.common(paths.actor(actor.id), actor.name, "actors", " — ".join(
            part for part in (actor.role, self.lead(actor.description)) if part)
            or self.t["actor_description"].format(name=actor.name), searchable=True)
        co_list, co_total = self.co_mentioned(actor, mentions, PageSizes.co_mentioned)
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
            "events": [self.event_view(e) for e in listed],
            "events_note": self.t["latest_of"].format(shown=len(listed), total=len(events)) if listed != events else "",
            "sources": self.passage_sources(shown, counts),
            "passages": self.actor_passages_summary(counts, first_at, pages, len(mentions)),
            "co_mentioned": co_list,
            "co_note": self.t["top_of"].format(shown=PageSizes.co_mentioned, total=co_total)
            if co_total > PageSizes.co_mentioned else "",
            "timeline_filtered": self.link(paths.timeline()) + f"?actor={actor.id}",
            "strip": self.actor_strip(actor, events, [self.sources[slug] for slug in counts],
                                      event_target=lambda e, shown=set(map(id, listed)): (
                                          f"{paths.actor(actor.id)}#{e.id}" if id(e) in shown else self.urls.on_timeline(e.id)),
                                      source_target=lambda s: first_at[s.slug]),
        })
        return Output(paths.actor(actor.id), "actor.html", ctx)

    def actor_passages_summary(self, counts: dict[str, int], first_at: dict[str, str], pages: list[str],
                               total: int) -> dict | None:
        """For an actor whose passages continue on numbered pages: the sources naming it
        (the first ``PageSizes.actor_sources``, each with its count and where its passages are),
        and the links to those pages. None while every passage is on its own page."""
        if not pages:
            return None
        listed = list(counts)[:PageSizes.actor_sources]
        return {
            "note": self.t["all_passages"].format(count=total, pages=len(pages)) if len(pages) > 1
            else self.t["all_passages_one"].format(count=total),
            "href": self.link(pages[0]),
            "pager": pager(pages, -1, self.link, self.t) if len(pages) > 1 else None,
            "sources": [{"title": self.sources[slug].title, "language": self.sources[slug].language,
                         "href": self.link(first_at[slug]), "count": counts[slug]} for slug in listed],
            "sources_note": self.t["shown_of"].format(shown=len(listed), total=len(counts))
            if len(listed) < len(counts) else "",
        }

    def co_mentioned(self, actor, mentions, shown: int) -> tuple[list[dict], int]:
        """In how many of this actor's paragraphs each other actor appears, the
        most first: the first ``shown`` (only those are on the page, so only
        their links are made), and how many there are."""
        co: Counter = Counter()
        for paragraph in {(m.source, m.paragraph) for m in mentions}:
            for other in self.actors_in_paragraph[paragraph]:
                if other != actor.id:
                    co[other] += 1
        first = sorted(co.items(), key=lambda kv: (-kv[1], self.actors[kv[0]].name))[:shown]
        return [{"name": self.actors[a].name, "href": self.link(paths.actor(a)), "count": n} for a, n in first], len(co)

