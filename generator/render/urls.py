"""All URL arithmetic. Every internal link goes through ``Urls.link``.

Internal links are written as absolute paths under the path of base_url
(``/repo/timeline/``), so they work on a GitHub Pages project site, from
any page depth and from 404.html; absolute URLs (``https://…/repo/…``) are
only for canonical links, feeds, the sitemap and the data files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Urls:
    base_url: str  # absolute, ends with "/"
    # event id -> the timeline page that holds it (``paging.TimelineLayout``; absent: ``timeline/``)
    events: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def on_timeline(self, event_id: str) -> str:
        """The site path of an event's place on the timeline (the page that holds it)."""
        return self.events.get(event_id) or timeline(event_id)

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def link(self, target: str = "") -> str:
        """An internal link: ``target`` is a site path such as 'timeline/' or 'sources/x/#p-3'."""
        return _base_path(self.base_url) + _quoted(target)

    def absolute(self, target: str = "") -> str:
        return self.base_url + _quoted(target)


# A large site makes hundreds of thousands of links to a few thousand targets.
@lru_cache(maxsize=None)
def _base_path(base_url: str) -> str:
    return urlsplit(base_url).path


@lru_cache(maxsize=1 << 16)
def _quoted(target: str) -> str:
    return quote(target.lstrip("/"), safe="/#-._~")


def home() -> str:
    return ""


def timeline(event_id: str | None = None) -> str:
    return "timeline/" + (f"#{event_id}" if event_id else "")


def event(event_id: str) -> str:
    """An event's own page (format 1.1); ``timeline(event_id)`` is its place on the timeline."""
    return f"events/{event_id}/"
def numbered(first: str, number: int) -> str:
    """Page ``number`` of a list whose first page is ``first`` ('sources/' -> 'sources/page/2/')."""
    return first if number == 1 else f"{first}page/{number}/"


def timeline_page(year: int, number: int = 1) -> str:
    return numbered(f"timeline/{year}/", number)


def actor_passages(actor_id: str, number: int) -> str:
    return f"actors/{actor_id}/passages/{number}/"


def actors() -> str:
    return "actors/"


def actor(actor_id: str) -> str:
    return f"actors/{actor_id}/"


def sources() -> str:
    return "sources/"


def source(slug: str, fragment: str | None = None) -> str:
    return f"sources/{slug}/" + (f"#{fragment}" if fragment else "")


SEARCH_BUNDLE = "search/pagefind"  # site path of the Pagefind bundle (publish/search.py writes it)


def search() -> str:
    return "search/"


def page(slug: str) -> str:
    return f"{slug}/"


def output_file(target: str) -> str:
    """The file, relative to the output folder, that serves a site path."""
    path = target.split("#", 1)[0]
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path
