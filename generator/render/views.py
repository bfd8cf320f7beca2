"""The model -> what each page shows: plain data, no Jinja.

Templates stay logic-light: every list is already sorted, every label
formatted and every link computed here. Pre-rendered HTML fragments are
``Markup`` (HTML-safe) strings; everything else is escaped by the templates.
The fragments made by the views (the article, the excerpts) take their
tags from the theme's ``_markup.html`` (``tags.Tags``), never from Python.

``ViewBuilder`` is the one object the kinds are given. This module holds
its shared core (the model's indexes, links, navigation, what every page
shows, the event and source items) and the other pages (home, sources,
free pages, search, 404). Groups of views that read their own part of the
model are mixins in their own modules, so that each sits beside the kind
declaring what its items read: ``pictures`` (the charts, on one time
axis), ``actor_views`` (``kinds/actors.py``), ``data_views``
(``kinds/data.py``), ``timeline_views`` (``kinds/pages.py``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import fields
from functools import cached_property
from itertools import groupby
from operator import attrgetter

from markupsafe import Markup

from . import urls as paths
from . import charts
from ..content.dates import format_date, format_range
from .actor_views import ActorViews
from .data_views import DataViews
from .download_views import DownloadViews
from .event_views import EventViews
from .excerpts import CONTEXT, cited_pieces, windows
from .exports import bibtex_entry, csl_item
from ..i18n import LANGUAGES, counted, language_name, plural
from .article import SourceMarkdown, build_source_markdown
from ..content.converter import Markup as Converter, first_paragraph_text
from ..content.model import Actor, Event, Site, Source
from .output import Output
from .paging import PageSizes, TimelineLayout, numbered_pages, pager
from .pictures import Pictures
from .reading_views import ReadingViews
from .quotes import quote
from .timeline_views import TimelineViews
from .tags import Tags
from .templating import Renderer
from ..content.seedtext import shorten
from .urls import Urls

DESCRIPTION = 200  # characters at most in a page's meta description
OG_LOCALES = {"en": "en_US", "fr": "fr_FR"}


# A source's *card* is what pages other than its own show of it (its item
# on the source list, ``ViewBuilder.source_item``; the events' quotes; the
# actors' pages; the feed; the citations). Its fields are every field of
# ``Source`` but those only its own page shows in full: a new field is on
# the card unless named here, so that an incremental build cannot leave an
# index page stale (the kinds key those pages by the cards they show).
NOT_ON_CARD = ("commentary", "notes", "article")
CARD_FIELDS = tuple(f.name for f in fields(Source) if f.name not in NOT_ON_CARD)
# An actor's card: what the pages of others show of it (its name, kind and role).
NOT_ON_ACTOR_CARD = ("description", "aliases", "exact_aliases", "wikidata", "links")
ACTOR_CARD_FIELDS = tuple(f.name for f in fields(Actor) if f.name not in NOT_ON_ACTOR_CARD)


def card(source: Source, article: str) -> tuple:
    """What other pages show of a source: its card's fields, the kinds of its
    notes (counted on the source list) and ``article``, a hash of its text
    (the actors' pages quote its paragraphs)."""
    return (*(getattr(source, name) for name in CARD_FIELDS), tuple(n.kind for n in source.notes), article)


def actor_card(actor: Actor) -> tuple:
    return tuple(getattr(actor, name) for name in ACTOR_CARD_FIELDS)


class ViewBuilder(Pictures, ActorViews, DataViews, DownloadViews, EventViews, ReadingViews, TimelineViews):
    """What every page and data file shows, made from one ``Site``; the views
    of the base classes (one module each) read the indexes built here."""

    def __init__(self, site: Site, converter: Converter, renderer: Renderer | None = None):
        """``renderer``: the site's templates, for the article's markup (default: read them here)."""
        self.site = site
        self.renderer = renderer
        self.config = site.config
        # which page of the timeline holds each event: every link to an event names it
        self.timeline_layout = TimelineLayout.of(site.events, PageSizes.timeline)
        self.urls = Urls(site.config.base_url, self.timeline_layout.place)
        self.lang = site.config.language
        self.t = LANGUAGES[self.lang]
        self.md = converter
        self.actors = {a.id: a for a in site.actors}
        self.sources = {s.slug: s for s in site.sources}
        self.citing: dict[str, list] = defaultdict(list)
        self.events_by_actor: dict[str, list[Event]] = defaultdict(list)
        for event in site.events:
            for ev in event.evidence:
                if ev.source:
                    self.citing[ev.source].append((event, ev))
            for actor_id in event.actors:
                self.events_by_actor[actor_id].append(event)
        # Built once, used by every page (thousands of them in a large corpus).
        self.source_rank = {s.slug: rank for rank, s in enumerate(site.sources)}
        self._event_views: dict[str, dict] = {}
        self._nav_items = None
        # publish_text: excerpts -> the spans of each seed that may be shown (None: all of it)
        self.windows: dict[str, dict] | None = None
        if self.config.publish_text == "excerpts":
            self.windows = {s.slug: windows(s, cited_pieces(s, [ev.pieces for _, ev in self.citing.get(s.slug, [])]))
                            for s in site.sources}
        # one time axis for every picture, so that they can be compared
        dates = [e.date for e in site.events] + [s.published for s in site.sources if s.published]
        self.periods, self.by_year = charts.time_axis(dates, self.lang)

    @cached_property
    def tags(self) -> Tags:
        """The article's markup: ``templating.TemplateProblem`` if the site's ``_markup.html`` is broken."""
        return Tags(self.renderer or Renderer(self.config.templates_dir), self.t, self.lang)

    # The mentions indexed three ways: made when first needed (a rebuild that
    # makes one source page needs only the first, and that one is cheap).

    @cached_property
    def mentions_by_source(self) -> dict[str, list]:
        index: dict[str, list] = {}
        for slug, group in groupby(self.site.mentions, attrgetter("source")):
            index.setdefault(slug, []).extend(group)
        return index

    @cached_property
    def mentions_by_actor(self) -> dict[str, list]:
        index: dict[str, list] = defaultdict(list)
        for m in self.site.mentions:
            index[m.actor].append(m)
        return index

    @cached_property
    def actors_in_paragraph(self) -> dict[tuple[str, int], set[str]]:
        index: dict[tuple[str, int], set[str]] = defaultdict(set)
        for m in self.site.mentions:
            index[(m.source, m.paragraph)].add(m.actor)
        return index

    # -- shared pieces -----------------------------------------------------

    def link(self, target: str) -> str:
        return self.urls.link(target)

    def nav_items(self) -> list[dict]:
        if self._nav_items is None:
            items = [
                {"key": "home", "label": self.t["home"], "href": self.link(paths.home())},
                {"key": "timeline", "label": self.t["timeline"], "href": self.link(paths.timeline())},
                {"key": "actors", "label": self.t["actors"], "href": self.link(paths.actors())},
                {"key": "sources", "label": self.t["sources"], "href": self.link(paths.sources())},
            ]
            for page in sorted((p for p in self.site.pages if p.nav is not None), key=lambda p: (p.nav, p.slug)):
                items.append({"key": f"page:{page.slug}", "label": page.title, "href": self.link(paths.page(page.slug))})
            self._nav_items = items
        return self._nav_items

    def named_links(self) -> dict[str, str]:
        """The main pages by name (``links.timeline``), for templates."""
        return {item["key"]: item["href"] for item in self.nav_items()[:4]} | {"search": self.link(paths.search())}

    def lead(self, markdown_text: str) -> str:
        """The first paragraph of some annotator Markdown as plain text, for a
        meta description. From the HTML the page shows anyway (converted
        once, cached), so the description says what the reader reads."""
        return first_paragraph_text(self.md.prose(markdown_text)) if markdown_text else ""

    def common(self, target: str, title: str, nav: str, description: str = "", og_type: str = "website",
               searchable: bool = False) -> dict:
        """What every page shows. ``searchable`` pages mark their content for
        the search index (see search.py); the others are left out of it."""
        nav_items = self.nav_items()
        return {
            "site": {
                "title": self.config.title, "description": self.config.description, "language": self.lang,
                "author": self.config.author, "repository": self.config.repository,
                "base_url": self.config.base_url, "home": self.link(""),
                "feed": self.link("feed.xml"), "stylesheet": self.link("assets/style.css"),
                "script": self.link("assets/site.js"), "data": self.link("data/"),
                "favicon": self.link("assets/favicon.svg"), "locale": OG_LOCALES.get(self.lang, ""),
                "search": self.link(paths.search()),
            },
            "nav": [dict(item, current=item["key"] == nav) for item in nav_items],
            "links": self.named_links(),
            "t": self.t,
            "page": {
                "title": title, "target": target, "url": self.link(target),
                # 404.html is served at any missing address: it has no canonical URL and is not indexed.
                "canonical": "" if target == "404.html" else self.urls.absolute(target),
                "description": describe(description) or describe(self.config.description) or describe(title),
                "og_type": og_type,
                "searchable": searchable,
            },
        }

    def event_view(self, event: Event) -> dict:
        """The same event is shown on the timeline, the home page and the
        pages of its actors: its view is made once (templates only read it)."""
        view = self._event_views.get(event.id)
        if view is None:
            view = self._event_views[event.id] = self._make_event_view(event)
        return view

    def _make_event_view(self, event: Event) -> dict:
        evidence = []
        for ev in event.evidence:
            if ev.source:
                source = self.sources[ev.source]
                evidence.append({
                    "kind": "quote", "source_title": source.title, "publisher": source.publisher,
                    "href": self.link(paths.source(source.slug, ev.anchor)), "quote": ev.quote,
                    "language": source.language, **self.bearing(ev),
                })
            else:
                evidence.append({"kind": "link", "href": ev.url, "title": ev.title, **self.bearing(ev)})
        return {
            "id": event.id,
            "title": event.title,
            "date": format_range(event.date, event.end, self.lang),
            "datetime": event.date.iso,
            "approximate": event.date.approximate,
            "summary_html": Markup(self.md.prose(event.summary)),
            "actors": [{"name": self.actors[a].name, "href": self.link(paths.actor(a)), "id": a} for a in event.actors],
            "tags": list(event.tags),
            "evidence": evidence, **self.contested(event),
            "href": self.link(self.urls.on_timeline(event.id)),
            "page": self.link(paths.event(event.id)),
            "sources": sorted({ev.source for ev in event.evidence if ev.source}),
            # what the timeline's filters match on (data attributes, space-separated slugs)
            "filter": {
                "actors": " ".join(event.actors), "tags": " ".join(event.tags),
                "sources": " ".join(sorted({ev.source for ev in event.evidence if ev.source})),
            },
        }

    def source_item(self, source: Source) -> dict:
        return {
            "slug": source.slug, "title": source.title, "publisher": source.publisher,
            "published": format_date(source.published, self.lang) if source.published else self.t["undated"],
            "datetime": source.published.iso if source.published else "",
            "language": source.language, "language_name": language_name(source.language, self.lang),
            "href": self.link(paths.source(source.slug)),
            "paragraphs": len(source.article.paragraphs), "notes": len(source.notes),
            "corrections": sum(1 for n in source.notes if n.kind == "correction"),
            "annotated": source.annotation is not None,
        }

    def count_label(self, n: int, noun: str) -> str:
        """``n`` and its noun in the interface's language ("1 event", "2 events"): ``i18n.counted``."""
        return counted(n, noun, self.lang)

    def figure(self, n: int, noun: str, href: str = "") -> dict:
        return {"value": n, "label": plural(n, noun, self.lang), "href": href}

    # -- pages -------------------------------------------------------------

    def home(self) -> Output:
        site = self.site
        counts = self.real_mention_counts()
        top = sorted((a for a in site.actors if not a.spurious), key=lambda a: (-counts[a.id], a.name))[:8]
        latest = list(reversed(site.events[-5:]))
        intro = self.site.home
        ctx = self.common("", self.config.title, "home",
                          self.config.description or self.lead(intro.body if intro else ""))
        ctx.update({
            "intro_title": intro.title if intro else self.config.title,
            "intro_html": Markup(self.md.prose(intro.body)) if intro else Markup(""),
            "figures": [
                self.figure(len(site.sources), "source", self.link(paths.sources())),
                self.figure(len(site.events), "event", self.link(paths.timeline())),
                self.figure(len(site.actors) - len(self.spurious_ids), "actor", self.link(paths.actors())),
                self.figure(sum(len(s.notes) for s in site.sources), "note"),
                self.figure(sum(1 for s in site.sources for n in s.notes if n.kind == "correction"), "correction"),
            ],
            "latest_events": [self.event_view(e) for e in latest],
            "overview": self.overview(), "jsonld": self.site_jsonld(),
            "top_actors": [{"name": a.name, "href": self.link(paths.actor(a.id)), "mentions": counts[a.id],
                            "label": self.count_label(counts[a.id], "mention")} for a in top],
        })
        return Output("", "home.html", ctx)

    def source_list_pages(self) -> list[str]:
        """The pages of the source list: ``sources/``, then ``sources/page/2/``... (``PageSizes.sources`` each)."""
        return numbered_pages(paths.sources(), len(self.site.sources), PageSizes.sources)

    def source_index(self, index: int = 0) -> Output:
        """Page ``index`` (0-based) of the source list."""
        targets = self.source_list_pages()
        size = PageSizes.sources
        title = self.t["sources"] if index == 0 else f"{self.t['sources']}: " + self.t["page_of"].format(
            number=index + 1, count=len(targets))
        ctx = self.common(targets[index], title, "sources",
                          self.t["sources_description"].format(count=self.count_label(len(self.site.sources), "source")))
        ctx.update({"sources": [self.source_item(s) for s in self.site.sources[index * size:(index + 1) * size]],
                    "pager": pager(targets, index, self.link, self.t), "count": len(self.site.sources),
                    "downloads": self.downloads("sources.json", "sources.bib", "sources.csl.json", "annotations.jsonld")})
        return Output(targets[index], "sources.html", ctx)

    def source_markdown(self, source: Source) -> SourceMarkdown:
        return build_source_markdown(source, self.actors, self.mentions_by_source.get(source.slug, []),
                                     self.citing.get(source.slug, []), self.urls, self.t, self.lang,
                                     self.windows[source.slug] if self.windows is not None else None,
                                     self.original_url(source), note_html=self.md.article, tags=self.tags,
                                     spurious=self.spurious_reasons)

    def original_url(self, source: Source) -> str:
        """Where the full text can be read: the seed's own URL, else that of the text it translates."""
        return source.url or dict(source.translated_from).get("url", "")

    def source_page(self, source: Source, page_md: SourceMarkdown) -> Output:
        item = self.source_item(source)
        original = dict(source.translated_from)
        translated = []  # the original's parts, in reading order, for one line "title, publisher, date, language"
        if original.get("title") or original.get("url"):
            translated.append({"text": original.get("title") or original["url"], "href": original.get("url", "")})
        if original.get("publisher"):
            translated.append({"text": original["publisher"], "href": ""})
        if original.get("published"):
            from ..content.dates import parse_date
            translated.append({"text": format_date(parse_date(original["published"]), self.lang), "href": ""})
        if original.get("language"):
            translated.append({"text": language_name(original["language"], self.lang), "href": ""})
        edit = ""
        if self.config.repository and source.annotation:
            edit = f"{self.config.repository.rstrip('/')}/blob/HEAD/{source.annotation}"
        citing: dict[str, dict] = {}  # one line per event, with each passage it quotes
        for event, ev in self.citing.get(source.slug, []):
            entry = citing.setdefault(event.id, {
                "title": event.title, "date": format_range(event.date, event.end, self.lang),
                "datetime": event.date.iso, "href": self.link(paths.event(event.id)), "passages": [],
                **self.contested(event)})
            entry["passages"].append({"href": f"#{ev.anchor}", "label": str(len(entry["passages"]) + 1), **self.bearing(ev)})
        byline = ", ".join(part for part in (source.publisher, item["published"]) if part)
        ctx = self.common(paths.source(source.slug), source.title, "sources",
                          self.lead(source.summary) or self.lead(source.commentary)
                          or self.t["source_description"].format(title=source.title, byline=byline), "article",
                          searchable=True)
        ctx.update({
            "source": dict(item, url=source.url, seed=source.seed, tags=list(source.tags),
                           translated_from=translated,
                           summary_html=Markup(self.md.prose(source.summary)),
                           commentary_html=Markup(self.md.prose(source.commentary)),
                           article_html=Markup(page_md.article_html),
                           markdown_href=self.link(f"sources/{source.slug}/index.md"),
                           excerpts={"original": self.original_url(source),
                                     "notice": self.t["excerpts_notice"].format(context=CONTEXT)}
                           if self.windows is not None else None,
                           edit_href=edit),
            "citing": list(citing.values()),
            "timeline_filtered": self.link(paths.timeline()) + f"?source={source.slug}",
            "cite": self.citation(source),
            "meta": {"author": self.author_names(source), "citation": self.citation_meta(source),
                     "jsonld": self.source_jsonld(source)},
        })
        return Output(paths.source(source.slug), "source.html", ctx)

    def citation(self, source: Source) -> dict:
        """The "Cite this source" box: a citation to copy, and the same in BibTeX and CSL-JSON."""
        page_url = self.urls.absolute(paths.source(source.slug))
        parts = [part for part in (source.publisher, quote(source.title, self.lang),
                                   format_date(source.published, self.lang) if source.published else "") if part]
        text = ", ".join(parts)
        return {
            "text": text if text.rstrip("»”’\"' ")[-1:] in (".", "!", "?", "…") else text + ".",
            "url": source.url or page_url,
            "bibtex": bibtex_entry(source, page_url, self.config.title).rstrip("\n"),
            "csl": json.dumps(csl_item(source, page_url, self.config.title), ensure_ascii=False, indent=1),
            "bib_href": self.link("data/sources.bib"), "csl_href": self.link("data/sources.csl.json"),
        }

    def downloads(self, *names: str) -> list[dict]:
        return [{"label": name, "href": self.link(f"data/{name}")} for name in names]

    def free_page(self, page) -> Output:
        ctx = self.common(paths.page(page.slug), page.title, f"page:{page.slug}", self.lead(page.body), searchable=True)
        ctx.update({"body_html": Markup(self.md.prose(page.body))})
        return Output(paths.page(page.slug), "page.html", ctx)

    def search_page(self) -> Output:
        ctx = self.common(paths.search(), self.t["search"], "", self.t["search_description"])
        bundle = self.link(paths.SEARCH_BUNDLE + "/")
        ctx.update({"search": {
            "bundle": bundle, "ui_script": bundle + "pagefind-ui.js", "ui_stylesheet": bundle + "pagefind-ui.css",
            "script": self.link("assets/search.js"),
            "browse": [
                {"label": self.t["timeline"], "href": self.link(paths.timeline())},
                {"label": self.t["actors"], "href": self.link(paths.actors())},
                {"label": self.t["sources"], "href": self.link(paths.sources())},
            ],
        }})
        return Output(paths.search(), "search.html", ctx)

    def not_found(self) -> Output:
        ctx = self.common("404.html", self.t["not_found"], "", self.t["not_found_text"])
        return Output("404.html", "404.html", ctx)


def describe(text: str, limit: int = DESCRIPTION) -> str:
    """Plain text -> a one-line description of at most ``limit`` characters,
    cut between words. Nothing is stripped or decoded: the text is shown as
    it is (the template escapes it)."""
    return shorten(" ".join(text.split()), limit)
