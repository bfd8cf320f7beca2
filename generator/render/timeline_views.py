"""The timeline's pages: ``timeline/`` and, for a long timeline, a page per year.

A mixin of ``views.ViewBuilder``, beside ``kinds/pages.py`` which yields
these pages (each reads every event, the cards of the sources they quote
and the names of their actors). While every event fits on one page
(``paging.PageSizes.timeline``), ``timeline/`` shows them all, as it always
did. Beyond that, each year has its page, cut into numbered pages when it
holds more (``paging.TimelineLayout``), and ``timeline/`` is the entry
page: the overview of the whole timeline, the years with their counts,
the filters (which then read ``data/events.json``, so that they cover
every event) and the latest page of events.
"""

from __future__ import annotations

from collections import Counter

from . import urls as paths
from ..content.dates import format_date
from .output import Output
from .paging import PageSizes, TimelineLayout, TimelinePage, month_key, pager


class TimelineViews:
    """The timeline of ``views.ViewBuilder`` (its base class): it reads its
    ``site``, ``timeline_layout``, ``common``, ``event_view`` and the overview
    picture (``pictures.Pictures``)."""

    timeline_layout: TimelineLayout

    def timeline_years(self, events) -> list[dict]:
        """Events (in timeline order) grouped by year and month, for the listing."""
        years: list[dict] = []
        for event in events:
            year_label = str(event.date.year)
            if not years or years[-1]["year"] != year_label:
                years.append({"year": year_label, "id": f"y{year_label}", "href": f"#y{year_label}", "months": []})
            months = years[-1]["months"]
            key = month_key(event.date)
            if not months or months[-1]["key"] != key:
                label = format_date(type(event.date)(key, event.date.year, event.date.month), self.lang)
                months.append({"key": key, "id": f"m{key}", "label": label, "events": []})
            months[-1]["events"].append(self.event_view(event))
        return years

    def timeline_year_pages(self) -> list[dict]:
        """Each year of a timeline cut by year: its first page, its count and its pages."""
        years: list[dict] = []
        for page in self.timeline_layout.pages:
            if page.number == 1:
                years.append({"year": str(page.year), "href": self.link(page.target), "count": 0, "pages": []})
            years[-1]["count"] += page.stop - page.start
            years[-1]["pages"].append({"number": page.number, "href": self.link(page.target)})
        return years

    def timeline(self) -> Output:
        events = self.site.events
        layout = self.timeline_layout
        summary = ""
        if events:
            summary = self.t["timeline_description"].format(
                count=self.count_label(len(events), "event"), first=format_date(events[0].date, self.lang), last=format_date(events[-1].date, self.lang))
        latest = layout.pages[-1] if layout.split else None
        # Not indexed for search: each event is found on its own page (events/<id>/), once.
        ctx = self.common(paths.timeline(), self.t["timeline"], "timeline", summary)
        ctx.update({"years": self.timeline_years(events[latest.start:latest.stop] if latest else events),
                    "count": len(events), "downloads": self.downloads("events.json", "events.csv"),
                    "filters": self.timeline_filters(), "overview": self.overview(),
                    "script": self.link("assets/timeline.js"),
                    "split": layout.split, "year_pages": self.timeline_year_pages(),
                    "events_data": self.link("data/events.json") if layout.split else "",
                    "latest": {"href": self.link(latest.target), "label": self.timeline_page_label(latest)}
                    if latest else None})
        return Output(paths.timeline(), "timeline.html", ctx)

    def timeline_page_label(self, page: TimelinePage) -> str:
        """'2024', or '2024, page 2 of 3'."""
        if page.of == 1:
            return str(page.year)
        return f"{page.year}, " + self.t["page_of"].format(number=page.number, count=page.of)

    def timeline_page(self, index: int) -> Output:
        """Page ``index`` of a timeline cut by year: its events, the years, the links to the pages beside it."""
        layout = self.timeline_layout
        page = layout.pages[index]
        events = self.site.events[page.start:page.stop]
        label = self.timeline_page_label(page)
        title = f"{self.t['timeline']}: {label}"
        description = self.t["timeline_description"].format(
            count=self.count_label(len(events), "event"), first=format_date(events[0].date, self.lang), last=format_date(events[-1].date, self.lang))
        ctx = self.common(page.target, title, "timeline", description)
        ctx.update({"heading": label, "years": self.timeline_years(events), "count": len(events),
                    "year": str(page.year), "year_pages": self.timeline_year_pages(),
                    "pager": pager([p.target for p in layout.pages], index, self.link, self.t),
                    "entry": self.link(paths.timeline()),
                    "downloads": self.downloads("events.json", "events.csv")})
        return Output(page.target, "timeline_page.html", ctx)

    def timeline_filters(self) -> list[dict]:
        """The timeline's filter menus: each value with its number of events.
        Only values that some event has are offered; on the entry page of a
        timeline cut by year, only the ``PageSizes.sources`` sources most
        cited (the script offers any other named in the address)."""
        events = self.site.events
        actor_counts = Counter(a for e in events for a in e.actors)
        tag_counts = Counter(t for e in events for t in e.tags)
        source_counts = Counter(s for e in events for s in {ev.source for ev in e.evidence if ev.source})
        actors = sorted((a for a in self.site.actors if actor_counts[a.id]), key=lambda a: (a.name.casefold(), a.id))
        cited = [s for s in self.site.sources if source_counts[s.slug]]
        if self.timeline_layout.split and len(cited) > PageSizes.sources:
            rank = {s.slug: n for n, s in enumerate(cited)}
            kept = set(sorted(rank, key=lambda slug: (-source_counts[slug], rank[slug]))[:PageSizes.sources])
            cited = [s for s in cited if s.slug in kept]
        return [
            {"name": "actor", "key": "actors", "label": self.t["filter_actor"], "any": self.t["any_actor"],
             "options": [{"value": a.id, "label": a.name, "count": actor_counts[a.id]} for a in actors]},
            {"name": "tag", "key": "tags", "label": self.t["filter_tag"], "any": self.t["any_tag"],
             "options": [{"value": t, "label": t, "count": tag_counts[t]} for t in sorted(tag_counts)]},
            {"name": "source", "key": "sources", "label": self.t["filter_source"], "any": self.t["any_source"],
             "options": [{"value": s.slug, "label": s.title, "count": source_counts[s.slug], "language": s.language}
                         for s in cited]},
        ]
