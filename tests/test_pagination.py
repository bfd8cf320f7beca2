"""Pages of bounded size: the timeline by year, an actor's passages, the
actor index and the source list continue on numbered pages.

A synthetic corpus (the benchmark's) is built with small page sizes
(``PageSizes``, set by the tests), so that every list is cut: each page
holds at most its size, the pages are linked with ``rel="prev"``/``"next"``
(in the head and in the page), every page is in the sitemap, and without
JavaScript every event and every passage is reached by following links.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.corpus import write_corpus
from generator.build import build
from generator.render.paging import PageSizes, TimelineLayout, pager

SMALL = {"timeline": 4, "actor_passages": 2, "passages": 3, "actor_sources": 2, "actor_events": 2,
         "co_mentioned": 2, "actors": 40, "sources": 5}
BASE = "/bench/"  # the path of the benchmark corpus's base_url


@pytest.fixture
def small_pages(monkeypatch):
    for name, value in SMALL.items():
        monkeypatch.setattr(PageSizes, name, value)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    """The benchmark's corpus of 14 sources, built with the small page sizes."""
    tmp = tmp_path_factory.mktemp("paged")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL.items():
            patch.setattr(PageSizes, name, value)
        site = write_corpus(tmp / "site", 14)
        build(site / "site.yaml", tmp / "out", cache=False)
    return tmp / "out"


class _Page(HTMLParser):
    """The links, ids and marks of one page that these tests read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []  # hrefs of <a>
        self.head_rel: dict[str, str] = {}  # rel -> href of <link rel=prev/next>
        self.body_rel: dict[str, str] = {}  # rel -> href of <a rel=prev/next>
        self.ids: set[str] = set()
        self.events = 0  # <article class="event">
        self.passages = 0  # links to a paragraph in an actor's passages
        self.marks: Counter = Counter()  # source slug -> mentions highlighted in its passages
        self._source = ""  # the source whose passages are being read
        self.rows = 0  # rows of an index table

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "link" and attrs.get("rel") in ("prev", "next"):
            self.head_rel[attrs["rel"]] = attrs["href"]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if attrs.get("rel") in ("prev", "next"):
                self.body_rel[attrs["rel"]] = attrs["href"]
            if self._source and "#p-" in attrs["href"]:
                self.passages += 1
        if tag == "section" and (attrs.get("id") or "").startswith("src-"):
            self._source = attrs["id"][len("src-"):]
        if tag == "mark" and self._source:
            self.marks[self._source] += 1
        if tag == "article" and attrs.get("class") == "event":
            self.events += 1
        if tag == "tr":
            self.rows += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self._source = ""


def read(out: Path, href: str) -> _Page:
    """The page a site link (``/bench/...``) names."""
    path = urlsplit(href).path
    assert path.startswith(BASE), href
    page = _Page()
    page.feed((out / path[len(BASE):] / "index.html").read_text(encoding="utf-8"))
    return page


def follow(out: Path, start: str, inside: str) -> dict[str, _Page]:
    """Every page reached from ``start`` by links that stay under ``inside``, without JavaScript."""
    seen: dict[str, _Page] = {}
    queue = [start]
    while queue:
        href = urlsplit(queue.pop()).path
        if href in seen:
            continue
        seen[href] = page = read(out, href)
        queue += [link for link in page.links if urlsplit(link).path.startswith(inside)]
    return seen


def html_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.relative_to(out).parts[0] == "search"
                  or p.name == "index.html" and p.parent == out / "search")


def test_every_list_is_cut_into_pages_of_its_size(paged_site):
    out = paged_site
    years = sorted((out / "timeline").glob("*/index.html")) + sorted((out / "timeline").glob("*/page/*/index.html"))
    assert len(years) > 3
    assert any("/page/" in p.as_posix() for p in years)  # a year of more than a page is cut
    for page in years:
        parsed = read(out, BASE + page.parent.relative_to(out).as_posix() + "/")
        assert 1 <= parsed.events <= SMALL["timeline"], page
    assert read(out, BASE + "timeline/").events <= SMALL["timeline"]  # the entry page: the latest page
    passages = sorted((out / "actors").glob("*/passages/*/index.html"))
    assert passages
    for page in passages:  # a page holds the passages of at most its size of mentions
        parsed = read(out, BASE + page.parent.relative_to(out).as_posix() + "/")
        assert 1 <= parsed.passages <= sum(parsed.marks.values()) <= SMALL["passages"], page
    for actor in (out / "actors").glob("*/index.html"):
        page = read(out, BASE + actor.parent.relative_to(out).as_posix() + "/")
        assert page.passages <= sum(page.marks.values()) <= SMALL["actor_passages"], actor
    source_lists = [BASE + "sources/"] + [BASE + p.parent.relative_to(out).as_posix() + "/"
                                          for p in (out / "sources" / "page").glob("*/index.html")]
    assert len(source_lists) == 3  # 14 sources, 5 a page
    assert all(read(out, href).rows - 1 <= SMALL["sources"] for href in source_lists)  # less the table's head
    actor_lists = [BASE + "actors/"] + [BASE + p.parent.relative_to(out).as_posix() + "/"
                                        for p in (out / "actors" / "page").glob("*/index.html")]
    assert len(actor_lists) > 1
    assert sum(read(out, href).rows for href in actor_lists) > len(actor_lists) * 0 + 400  # every actor, in pieces


def test_pages_are_linked_with_rel_prev_and_next_in_the_head_and_the_page(paged_site):
    out = paged_site
    for first in ("timeline/2015/", "sources/", "actors/"):
        href, chain = BASE + first, []
        while href:
            page = read(out, href)
            assert page.head_rel == page.body_rel, href  # the same links, for browsers and for readers
            assert page.head_rel.get("prev", "") == (chain[-1] if chain else ""), href
            chain.append(href)
            href = page.head_rel.get("next", "")
        assert len(chain) > 1 and len(set(chain)) == len(chain)
    timeline = [p for p in html_pages(out) if p.startswith("timeline/") and p != "timeline/index.html"]
    chain, href = [], BASE + "timeline/2015/"
    while href:
        chain.append(href)
        href = read(out, href).head_rel.get("next", "")
    assert sorted(h[len(BASE):] + "index.html" for h in chain) == sorted(timeline)  # one chain through every year


def test_every_page_is_in_the_sitemap(paged_site):
    out = paged_site
    root = ET.parse(out / "sitemap.xml").getroot()
    listed = {urlsplit(loc.text).path[len(BASE):] for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {p.removesuffix("index.html") for p in html_pages(out) if p != "404.html"}
    assert listed == pages
    assert any("/passages/" in p for p in pages) and any(p.startswith("timeline/20") for p in pages)


def test_every_event_is_reached_from_the_timeline_without_javascript(paged_site):
    out = paged_site
    events = json.loads((out / "data" / "events.json").read_text(encoding="utf-8"))
    reached = follow(out, BASE + "timeline/", BASE + "timeline/")
    ids = set().union(*(page.ids for page in reached.values()))
    assert {e["id"] for e in events} <= ids
    # each event's url names the page that holds it, and lands on its element
    for event in events:
        url = urlsplit(event["url"])
        assert url.fragment == event["id"] and url.path != BASE + "timeline/"
        assert event["id"] in read(out, url.path).ids


def test_every_passage_of_an_actor_is_reached_from_its_page(paged_site):
    out = paged_site
    actors = json.loads((out / "data" / "actors.json").read_text(encoding="utf-8"))
    cut = [a for a in actors if sum(a["mentions"].values()) > SMALL["actor_passages"]]
    assert cut
    for actor in cut[:25]:
        page = BASE + f"actors/{actor['id']}/"
        reached = follow(out, page, page + "passages/")
        numbered = {href: p for href, p in reached.items() if "/passages/" in href}
        # every mention highlighted once, in a passage of its source linking to one of its paragraphs
        assert sum((p.marks for p in numbered.values()), Counter()) == actor["mentions"]
        linked = {re.match(rf"{BASE}sources/([^/]+)/#p-\d+$", link) for p in numbered.values() for link in p.links}
        assert {match.group(1) for match in linked if match} == set(actor["mentions"])
        own = read(out, page)
        assert own.head_rel == {}  # the actor's page is not one of the numbered pages


def test_event_links_elsewhere_name_the_page_that_holds_the_event(paged_site):
    out = paged_site
    events = json.loads((out / "data" / "events.json").read_text(encoding="utf-8"))
    place = {e["id"]: urlsplit(e["url"]).path + "#" + e["id"] for e in events}
    home = (out / "index.html").read_text(encoding="utf-8")
    source = next((out / "sources").glob("source-*/index.html")).read_text(encoding="utf-8")
    for text in (home, source):  # an event's own page, or its place on the timeline: the page that holds it
        own_pages = re.findall(rf'href="{BASE}(events/event-[^"/]+/)"', text)
        assert own_pages
        for target in own_pages:
            assert (out / target / "index.html").is_file(), target
        for target in re.findall(rf'href="({BASE}timeline/[^"]*#event-[^"]+)"', text):
            assert target in place.values(), target
    for event_id, target in place.items():  # each event's page links to its place on the timeline
        page = (out / "events" / event_id / "index.html").read_text(encoding="utf-8")
        assert re.findall(rf'href="({BASE}timeline/[^"]*#event-[^"]+)"', page) == [target]


def test_a_timeline_that_fits_on_one_page_stays_one_page():
    class Date:
        def __init__(self, year):
            self.year, self.month = year, 1

    class Event:
        def __init__(self, n, year):
            self.id, self.date = f"e{n}", Date(year)

    events = [Event(n, 2020 + n % 3) for n in range(9)]
    events.sort(key=lambda e: e.date.year)
    assert not TimelineLayout.of(events, 9).split
    layout = TimelineLayout.of(events, 2)
    assert [p.target for p in layout.pages] == ["timeline/2020/", "timeline/2020/page/2/", "timeline/2021/",
                                                "timeline/2021/page/2/", "timeline/2022/", "timeline/2022/page/2/"]
    assert layout.place["e0"] == "timeline/2020/#e0"


def test_the_pager_shows_the_ends_and_the_pages_around_this_one():
    targets = [f"p{n}/" for n in range(1, 21)]
    strings = {"pages": "Pages", "previous": "Previous", "next": "Next"}
    links = pager(targets, 9, lambda t: "/" + t, strings)
    assert [p["label"] for p in links["pages"]] == ["1", "…", "8", "9", "10", "11", "12", "…", "20"]
    assert (links["prev"], links["next"]) == ("/p9/", "/p11/")
    assert pager(targets[:1], 0, str, strings) is None
    assert pager(targets[:1], -1, str, strings)["pages"][0]["href"] == "p1/"


# -- incremental builds follow the pages ------------------------------------------

NEW_EVENT = """- id: second-round
  date: 2024-01-20
  title: A second round of talks
  evidence:
    - source: port-deal
      quote: Critics said
"""

TIMELINE_EDITS = {
    # 2024 passes the page size: an event moves to 2024's second page (and every link to it follows)
    "events pushed over the limit": (2, lambda events: events + NEW_EVENT),
    # 2023 loses its only event: its page goes
    "a year removed": (2, lambda events: events.replace(events[events.index("- id: talks"):], "")),
    # the timeline passes the page size: it is cut by year
    "the timeline cut": (4, lambda events: events + NEW_EVENT),
}


@pytest.mark.parametrize("mode", ["new process", "kept builder"])
@pytest.mark.parametrize("edit", list(TIMELINE_EDITS))
def test_an_incremental_build_follows_the_timeline_pages(tmp_path, monkeypatch, edit, mode):
    from generator.build import Builder
    from tests.conftest import copy_fixture, snapshot
    from tests.test_incremental import _cold

    size, change = TIMELINE_EDITS[edit]
    monkeypatch.setattr(PageSizes, "timeline", size)
    monkeypatch.setattr(PageSizes, "actor_passages", 1)
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    builder = Builder(site / "site.yaml", out)
    builder.rebuild()
    before = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    events = site / "content" / "events.yaml"
    events.write_text(change(events.read_text(encoding="utf-8")), encoding="utf-8")
    if mode == "kept builder":
        builder.rebuild({events})
    else:
        builder.close()
        build(site / "site.yaml", out)
    builder.close()
    assert snapshot(out) == _cold(site, tmp_path)
    after = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    # the timeline's pages (each event added or removed also adds or removes its own page, events/<id>/)
    before, after = ({name for name in pages if name.startswith("timeline/")} for pages in (before, after))
    if edit == "events pushed over the limit":
        assert after - before == {"timeline/2024/page/2/index.html"}
    elif edit == "a year removed":
        assert before - after == {"timeline/2023/index.html"}
    else:
        assert {"timeline/2023/index.html", "timeline/2024/index.html"} <= after - before


# -- the filters of a timeline cut by year, in a browser -----------------------------

@pytest.fixture(scope="module")
def paged_url(tmp_path_factory):
    """The paged corpus built for the /repo/ prefix, served on 127.0.0.1."""
    from tests.conftest import serve_directory
    tmp = tmp_path_factory.mktemp("paged-www")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL.items():
            patch.setattr(PageSizes, name, value)
        site = write_corpus(tmp / "site", 14)
        build(site / "site.yaml", tmp / "www" / "repo", base_url="https://example.org/repo/", cache=False)
    with serve_directory(tmp / "www") as url:
        yield url + "repo/", tmp / "www" / "repo"


def test_the_filters_of_a_cut_timeline_cover_every_year(browser, paged_url):
    from tests.test_explore_browser import SCREENSHOTS
    url, out = paged_url
    events = json.loads((out / "data" / "events.json").read_text(encoding="utf-8"))
    years_of: dict[str, set] = {}  # tag -> the years of its events
    for e in events:
        for tag in e["tags"]:
            years_of.setdefault(tag, set()).add(e["date"].lstrip("~")[:4])
    tag = max(sorted(years_of), key=lambda t: len(years_of[t]))
    expected = [e for e in events if tag in e["tags"]]
    years = years_of[tag]
    assert len(years) > 1  # the matches are on several pages
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url + f"timeline/?tag={tag}")
    page.wait_for_selector("#filter-results:not([hidden]) li")
    links = page.eval_on_selector_all("#filter-results a", "links => links.map(a => a.getAttribute('href'))")
    assert links == ["/repo/" + urlsplit(e["url"]).path.removeprefix("/repo/") + "#" + e["id"] for e in expected]
    assert page.is_hidden("#latest")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "timeline-cut-filtered-1280.png"), full_page=True)
    page.click("#filter-results li:last-child a")
    page.wait_for_url(re.compile(r"/repo/timeline/\d{4}/"))
    assert page.evaluate("location.hash") == "#" + expected[-1]["id"]
    assert page.is_visible(f"[id='{expected[-1]['id']}']")
    page.goto(url + "timeline/")
    page.select_option("#filter-tag", tag)
    page.wait_for_selector("#filter-results:not([hidden]) li")
    page.click("#filter-clear")
    page.wait_for_selector("#filter-results", state="hidden")
    assert page.is_visible("#latest")
    page.screenshot(path=str(SCREENSHOTS / "timeline-cut-1280.png"), full_page=True)
    page.goto(url + "timeline/2020/")
    page.screenshot(path=str(SCREENSHOTS / "timeline-year-1280.png"), full_page=True)
    context.close()
    assert errors == []


def test_pagefind_is_given_only_the_pages_it_indexes(tmp_path):
    """Pagefind reads every page it is given, even those without content to
    index (an actor's passages pages: hundreds of MB at a few thousand sources)."""
    from generator.incremental.search_step import _indexed_pages
    from generator.publish.writer import Staged

    files = {"index.html": b"<main>home</main>", "sources/a/index.html": b"<main data-pagefind-body>text</main>",
             "actors/x/passages/1/index.html": b"<main>passages</main>", "data/events.json": b"[]"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    staged = Staged()
    staged.add_all({name: ("digest", len(data), str(tmp_path / name)) for name, data in files.items()})
    assert [name for name, _ in _indexed_pages(staged, tmp_path)] == ["sources/a/index.html"]
    del staged.files["sources/a/index.html"]  # no page marked: Pagefind indexes every page, so it is given all
    assert [name for name, _ in _indexed_pages(staged, tmp_path)] == ["actors/x/passages/1/index.html", "index.html"]
    # Pages made by this build were looked at when made: they are not read back.
    made = Staged()
    made.add_all({"a/index.html": ("d", 1, None), "b/index.html": ("d", 1, None)})
    made.looked |= {"a/index.html", "b/index.html"}
    made.marked.add("b/index.html")
    assert [name for name, _ in _indexed_pages(made, tmp_path / "nowhere")] == ["b/index.html"]
