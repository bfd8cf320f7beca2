"""Pages of bounded size: how the lists that grow with the corpus are cut.

The timeline, an actor's passages, the actor index and the source list
would each grow without bound with the corpus (an 8 MB timeline at 4,000
sources, 45 MB at 20,000). Here they are cut into numbered pages of at most
``PageSizes`` entries, each page linked to the next and the previous
(``pager``), so that every entry is reachable without JavaScript. A list
that fits on one page stays the one page it always was, at the same URL.

Which page holds an event is decided once per build (``TimelineLayout``):
the links to an event (the data's ``url``, the source pages' backlinks,
the actor pages, the feed) all name that page, through ``Urls.event``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import urls as paths


class PageSizes:
    """How much one page holds. Class attributes, read when a build starts,
    so that a test can make them small (``monkeypatch.setattr(PageSizes,
    "timeline", 3)``); they are part of every item's key (``key``)."""

    timeline = 200  # events on a page of the timeline (a year of more is cut into numbered pages)
    actor_passages = 20  # passages on an actor's own page (the first ones; all are on its passages pages)
    passages = 200  # passages on each numbered page of an actor's passages
    actor_sources = 100  # sources listed with their counts on an actor's own page (the first ones)
    actor_events = 50  # events on an actor's page (the latest; all are on the timeline)
    co_mentioned = 40  # actors named beside an actor, the most frequent first
    actors = 200  # actors on a page of the actor index
    sources = 200  # sources on a page of the source list

    @classmethod
    def key(cls) -> tuple:
        names = ("timeline", "actor_passages", "passages", "actor_sources", "actor_events", "co_mentioned",
                 "actors", "sources")
        return tuple((name, getattr(cls, name)) for name in names)


def page_count(entries: int, size: int) -> int:
    """Pages needed for ``entries`` entries, ``size`` a page (at least one)."""
    return max(1, -(-entries // max(1, size)))


def numbered_pages(first: str, entries: int, size: int) -> list[str]:
    """The targets of a list cut into pages: ``first``, then ``first`` + 'page/2/'..."""
    return [paths.numbered(first, n) for n in range(1, page_count(entries, size) + 1)]


def actor_passage_pages(actor_id: str, mentions: int) -> list[str]:
    """The numbered pages of an actor's passages: none while they fit on its own page."""
    if mentions <= PageSizes.actor_passages:
        return []
    return [paths.actor_passages(actor_id, n) for n in range(1, page_count(mentions, PageSizes.passages) + 1)]


def pager(targets: list[str], index: int, link, strings: dict, window: int = 2) -> dict | None:
    """The links between numbered pages, for the ``_pagination.html`` macros:
    the previous and next pages and the page numbers (the first, the last
    and ``window`` around this one; ``gap`` marks numbers left out). None
    for a list of one page. ``index``: this page (0-based), or -1 for a page
    outside the series (the numbers, with none current, even for one page)."""
    if not targets or (len(targets) < 2 and index >= 0):
        return None
    last = len(targets) - 1
    shown = sorted({0, last, *range(max(0, index - window), min(last, index + window) + 1)}
                   if index >= 0 else {0, last, *range(0, min(last, 2 * window) + 1)})
    pages: list[dict] = []
    for number in shown:
        if pages and number > pages[-1]["number"]:  # numbers left out before this one
            pages.append({"gap": True, "number": 0, "label": "…", "href": "", "current": False})
        pages.append({"gap": False, "number": number + 1, "label": str(number + 1), "href": link(targets[number]),
                      "current": number == index})
    return {
        "prev": link(targets[index - 1]) if index > 0 else "",
        "next": link(targets[index + 1]) if 0 <= index < last else "",
        "pages": pages, "number": index + 1, "count": len(targets),
        "label": strings["pages"], "prev_label": strings["previous"], "next_label": strings["next"],
    }


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline cut by year: the events ``start:stop`` of the site's."""

    target: str  # 'timeline/2024/' or 'timeline/2024/page/2/'
    year: int
    number: int  # within its year, from 1
    of: int  # pages of its year
    start: int
    stop: int


@dataclass(frozen=True)
class TimelineLayout:
    """Where each event of the timeline is. ``pages`` is empty when every
    event fits on ``timeline/`` itself (at most ``PageSizes.timeline``);
    otherwise each year has its page (or pages), ``timeline/`` being the
    entry page (overview, years, filters, the latest events)."""

    pages: tuple[TimelinePage, ...] = ()
    place: dict[str, str] = field(default_factory=dict)  # event id -> the target of its page, with '#id'
    anchors: dict[str, str] = field(default_factory=dict)  # 'y2024' / 'm2024-05' -> the first page holding it

    @property
    def split(self) -> bool:
        return bool(self.pages)

    @classmethod
    def of(cls, events, size: int) -> TimelineLayout:
        """``events``: the site's, in timeline order."""
        if len(events) <= size:
            return cls()
        pages: list[TimelinePage] = []
        start = 0
        while start < len(events):
            year = events[start].date.year
            stop = start
            while stop < len(events) and events[stop].date.year == year:
                stop += 1
            count = page_count(stop - start, size)
            for number in range(1, count + 1):
                first = start + (number - 1) * size
                pages.append(TimelinePage(paths.timeline_page(year, number), year, number, count, first,
                                          min(stop, first + size)))
            start = stop
        place: dict[str, str] = {}
        anchors: dict[str, str] = {}
        for page in pages:
            for event in events[page.start:page.stop]:
                place[event.id] = f"{page.target}#{event.id}"
                anchors.setdefault(f"y{event.date.year}", page.target)
                anchors.setdefault(f"m{month_key(event.date)}", page.target)
        return cls(tuple(pages), place, anchors)

    def anchor(self, anchor_id: str) -> str:
        """The target of a year or month heading (``y2024``, ``m2024-05``)."""
        return self.anchors.get(anchor_id, paths.timeline()) + f"#{anchor_id}"


def month_key(date) -> str:
    """A month's key on the timeline ('2024-05'), or the year's ('2024') for a date without month."""
    return f"{date.year:04d}-{date.month:02d}" if date.month else f"{date.year:04d}"
