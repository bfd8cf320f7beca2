"""Search, timeline filters and pictures in a real browser (Debian's Chromium)
on the full fixture built under /repo/, served over HTTP on 127.0.0.1.

Also writes screenshots of the main pages at phone and desktop widths to
test-artifacts/screenshots/, for anyone to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import ROOT, run_cli, serve_directory, write_site

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
RESULT = ".pagefind-ui__result"
ALL_EVENTS = {"talks", "council-opposes", "deal-signed", "port-opening"}


@pytest.fixture(scope="module")
def site_url(built_full):
    with serve_directory(built_full.parent) as url:
        yield url + "repo/"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors  # no script error on any page a test opened


def results(page, query: str) -> list[dict]:
    """The result list once Pagefind has answered ``query`` and loaded every
    result shown (it draws placeholders first): each page's title, link and
    sub-results."""
    page.wait_for_function("""q => {
        const message = document.querySelector('.pagefind-ui__message');
        const items = Array.from(document.querySelectorAll('.pagefind-ui__result'));
        return message && message.textContent.includes(q) && items.length > 0
            && items.every(item => item.querySelector('.pagefind-ui__result-link'));
    }""", arg=query, timeout=15000)
    return page.eval_on_selector_all(f"{RESULT}", """items => items.map(item => ({
        title: item.querySelector('.pagefind-ui__result-link').textContent.trim(),
        href: item.querySelector('.pagefind-ui__result-link').getAttribute('href'),
        subs: Array.from(item.querySelectorAll('.pagefind-ui__result-nested .pagefind-ui__result-link'))
                   .map(a => ({title: a.textContent.trim(), href: a.getAttribute('href')}))}))""")


# -- search ------------------------------------------------------------------

def test_search_finds_the_source_and_its_link_opens_the_page(page, site_url):
    page.goto(site_url + "search/?q=billions")
    found = results(page, "billions")
    assert found[0]["title"] == "Port deal signed"
    assert found[0]["href"] == "/repo/sources/port-deal/"
    # the hit sits in paragraph 2 of the article: a sub-result leads there
    assert {"title": "Article text · Paragraph 2", "href": "/repo/sources/port-deal/#p-2"} in found[0]["subs"]
    page.click(f"{RESULT}-link >> nth=0")
    page.wait_for_url(site_url + "sources/port-deal/")
    assert page.inner_text("h1") == "Port deal signed"


def test_a_sub_result_opens_the_paragraph_and_an_event_hit_the_event(page, site_url):
    page.goto(site_url + "search/?q=billions")
    results(page, "billions")
    page.click("a.pagefind-ui__result-link[href$='#p-2']")
    page.wait_for_url(site_url + "sources/port-deal/#p-2")
    assert "billions" in page.inner_text("#p-2")
    page.goto(site_url + "search/?q=" + "opposes")
    found = results(page, "opposes")
    # an event is found once, on its own page (not again on the timeline, which lists it)
    assert [r["href"] for r in found if "council-opposes" in r["href"] or r["href"].startswith("/repo/timeline")] == [
        "/repo/events/council-opposes/"]
    page.click("a.pagefind-ui__result-link[href='/repo/events/council-opposes/']")
    page.wait_for_url(site_url + "events/council-opposes/")
    assert page.inner_text("h1") == "The council opposes the project"


def test_the_search_box_of_every_page_leads_to_results_and_the_query_is_in_the_url(page, site_url):
    page.goto(site_url + "actors/ana-ruiz/")
    page.fill("#site-search-q", "harbour")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r".*/repo/search/\?q=harbour$"))
    assert any(r["href"] == "/repo/sources/port-deal/" for r in results(page, "harbour"))
    page.fill(".pagefind-ui__search-input", "council")
    page.wait_for_function("() => location.search === '?q=council'")
    assert any(r["href"] == "/repo/actors/council/" for r in results(page, "council"))


def test_accents_are_ignored_in_french_text(page, site_url):
    page.goto(site_url + "search/?q=defendu")  # the seed says "défendu"
    found = results(page, "defendu")
    # the source; the passage is indexed there only, not again on the page of the event that quotes it
    hrefs = {hit["href"] for hit in found}
    assert "/repo/sources/conseil/" in hrefs and "/repo/events/council-opposes/" not in hrefs


@pytest.mark.parametrize("language", ["en", "fr"])
def test_emirats_finds_emirats_with_its_accent(browser, tmp_path, language):
    """A French article in an English site (as in the project's own corpus), and in a French site."""
    site = write_site(tmp_path / "site", {
        "site.yaml": f"title: Test site\nbase_url: https://example.org/repo/\nlanguage: {language}\n",
        "seeds/uae.txt": "Sam Altman demande l'aide des Émirats arabes unis.\n\nUn second paragraphe.\n",
        "content/sources/uae.md": "---\nseed: uae.txt\ntitle: L'aide des EAU\nlanguage: fr\n---\n",
    })
    out = tmp_path / "www" / "repo"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    context = browser.new_context()
    page = context.new_page()
    with serve_directory(out.parent) as url:
        for query in ("emirats", "Émirats", "EMIRATS"):
            page.goto(url + "repo/search/?q=" + query)
            found = results(page, query)
            assert [r["href"] for r in found] == ["/repo/sources/uae/"], query
    context.close()


def test_without_javascript_the_search_page_says_so_and_links_to_the_indexes(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search/?q=harbour")
    main = page.inner_text("main")
    assert "needs JavaScript" in main
    hrefs = page.eval_on_selector_all("main a", "links => links.map(a => a.getAttribute('href'))")
    assert {"/repo/timeline/", "/repo/actors/", "/repo/sources/", "/repo/data/"} <= set(hrefs)
    assert page.is_visible("#site-search-q")  # the header form is plain HTML
    context.close()


# -- timeline filters -----------------------------------------------------------

def visible_events(page) -> set[str]:
    return set(page.eval_on_selector_all("article.event", "els => els.filter(e => e.offsetParent !== null).map(e => e.id)"))


def query_of(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def option_text(page, select: str, value: str) -> str:
    return page.eval_on_selector(f"{select} option[value='{value}']", "o => o.textContent")


def test_filters_combine_update_counts_and_the_url_and_clear(page, site_url):
    page.goto(site_url + "timeline/")
    assert page.is_visible("#filters")
    assert visible_events(page) == ALL_EVENTS
    assert page.inner_text("#filter-status") == "Showing 4 of 4 events"

    page.select_option("#filter-actor", "blue-ocean")
    assert visible_events(page) == {"deal-signed", "port-opening"}
    assert query_of(page) == {"actor": "blue-ocean"}
    assert page.inner_text("#filter-status") == "Showing 2 of 4 events"
    assert option_text(page, "#filter-tag", "deals") == "deals (1)"
    assert option_text(page, "#filter-source", "port-deal") == "Port deal signed (2)"
    assert option_text(page, "#filter-source", "conseil") == "Le conseil s'oppose (0)"

    page.select_option("#filter-tag", "deals")
    assert visible_events(page) == {"deal-signed"}
    assert query_of(page) == {"actor": "blue-ocean", "tag": "deals"}
    assert option_text(page, "#filter-actor", "ana-ruiz") == "Ana Ruiz (1)"
    # a year with nothing left to show is hidden, with its link in the list of years
    assert not page.is_visible("#y2023") and not page.is_visible(".toc li[data-year='y2023']")
    assert page.is_visible("#y2024")

    page.click("#filter-clear")
    page.wait_for_function("() => location.search === ''")
    assert visible_events(page) == ALL_EVENTS
    assert page.input_value("#filter-actor") == "" and page.input_value("#filter-tag") == ""
    assert page.inner_text("#filter-status") == "Showing 4 of 4 events"
    assert option_text(page, "#filter-source", "conseil") == "Le conseil s'oppose (1)"


def test_filters_work_from_the_keyboard(page, site_url):
    page.goto(site_url + "timeline/")
    page.focus("#filter-source")
    page.keyboard.press("ArrowDown")  # the first source: the one published first, c. March 2024
    assert page.input_value("#filter-source") == "conseil"
    assert query_of(page) == {"source": "conseil"}
    assert visible_events(page) == {"council-opposes"}
    page.keyboard.press("ArrowDown")
    assert query_of(page) == {"source": "port-deal"}
    assert visible_events(page) == {"deal-signed", "port-opening", "talks"}
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-clear"
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search === ''")
    assert visible_events(page) == ALL_EVENTS


def test_a_filtered_url_opened_directly_restores_the_filter(page, site_url):
    page.goto(site_url + "timeline/?actor=council&source=conseil")
    assert page.input_value("#filter-actor") == "council"
    assert page.input_value("#filter-source") == "conseil"
    assert visible_events(page) == {"council-opposes"}
    assert page.inner_text("#filter-status") == "Showing 1 of 4 events"
    page.goto(site_url + "timeline/?actor=council&tag=deals")
    assert visible_events(page) == set()
    assert page.is_visible("#filter-none")
    page.goto(site_url + "timeline/?actor=nobody")  # an unknown value is no filter
    assert page.input_value("#filter-actor") == ""
    assert visible_events(page) == ALL_EVENTS


def test_without_javascript_every_event_is_shown_and_no_filter(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "timeline/?actor=council")
    assert visible_events(page) == ALL_EVENTS
    assert not page.is_visible("#filters")
    context.close()


# -- pictures ----------------------------------------------------------------------

PICTURES = [("", "#overview"), ("timeline/", "#overview"), ("actors/ana-ruiz/", "#appearances"),
            ("actors/", "#network")]


@pytest.mark.parametrize("path, svg", PICTURES)
def test_pictures_have_text_alternatives_and_links_that_resolve(page, site_url, path, svg):
    page.goto(site_url + path)
    figure = page.locator(f"figure:has({svg})")
    assert figure.count() == 1
    name = page.evaluate("""sel => { const svg = document.querySelector(sel);
        const ids = (a) => (svg.getAttribute(a) || '').split(' ').filter(Boolean);
        return {label: ids('aria-labelledby').map(i => document.getElementById(i)?.textContent).join(' '),
                desc: ids('aria-describedby').map(i => document.getElementById(i)?.textContent).join(' '),
                role: svg.getAttribute('role')}; }""", svg)
    assert name["label"].strip() and name["desc"].strip()
    assert name["role"] != "img"  # it holds links, which role=img would hide
    assert figure.locator("figcaption").inner_text().strip()
    table = figure.locator("details.chart__data table")
    assert table.locator("tbody tr").count() >= 1  # the figures, as text
    links = page.eval_on_selector_all(f"{svg} a", """links => links.map(a => ({
        href: a.getAttribute('href'), label: a.getAttribute('aria-label')}))""")
    assert links
    for link in links:
        assert link["label"] and link["href"].startswith("/repo/")
    for href in sorted({link["href"] for link in links}):
        target, _, fragment = href.partition("#")
        response = page.request.get(site_url.replace("/repo/", "") + target)
        assert response.ok, href
        if fragment:
            assert f'id="{fragment}"' in response.text(), href


def test_a_bar_of_the_overview_is_a_keyboard_reachable_link_to_its_month(page, site_url):
    page.goto(site_url + "timeline/")
    bar = page.locator("#overview a").first
    assert bar.get_attribute("aria-label") == "October 2023: 1 event"
    bar.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "October 2023: 1 event"
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "timeline/#m2023-10")
    assert page.evaluate("document.getElementById('m2023-10').getBoundingClientRect().top") < 100


def test_network_joins_actors_named_in_the_same_paragraph(page, site_url):
    page.goto(site_url + "actors/")
    edges = page.eval_on_selector_all("#network path[data-a]", """paths => Object.fromEntries(
        paths.map(p => [p.dataset.a + '+' + p.dataset.b, Number(p.dataset.weight)]))""")
    # port-deal paragraph 1 names the mayor, Portvale and Blue Ocean; paragraph 3 Blue Ocean and the mayor;
    # conseil names the mayor, Blue Ocean and the council together in paragraph 2
    assert edges["ana-ruiz+blue-ocean"] == 3
    assert edges["ana-ruiz+portvale"] == 1
    assert edges["ana-ruiz+council"] == 1
    nodes = page.eval_on_selector_all("#network a", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(nodes) == ["/repo/actors/ana-ruiz/", "/repo/actors/blue-ocean/", "/repo/actors/council/",
                             "/repo/actors/portvale/"]


# -- screenshots --------------------------------------------------------------------

SHOTS = [("home", ""), ("timeline", "timeline/"), ("actor", "actors/ana-ruiz/"), ("source", "sources/port-deal/"),
         ("actors", "actors/"), ("search", "search/?q=harbour")]


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_screenshots_of_the_main_pages_fit_the_width(browser, site_url, width, height):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    for name, path in SHOTS:
        page.goto(site_url + path)
        if name == "search":
            results(page, "harbour")
        # nothing wider than the screen: no sideways scrolling of the page
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        target = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()


def test_actor_and_source_pages_link_to_the_timeline_filtered_on_them(page, site_url):
    page.goto(site_url + "actors/blue-ocean/")
    page.click("text=These events alone on the timeline")
    page.wait_for_url(site_url + "timeline/?actor=blue-ocean")
    assert visible_events(page) == {"deal-signed", "port-opening"}
    page.goto(site_url + "sources/conseil/")
    page.click("text=These events alone on the timeline")
    page.wait_for_url(site_url + "timeline/?source=conseil")
    assert visible_events(page) == {"council-opposes"}
