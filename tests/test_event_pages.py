"""One page per event (``events/<id>/``, format 1.1), on the full fixture
built under the ``/repo/`` prefix: what it shows, the links both ways
between it and the passages it quotes, and its place in the timeline, the
sitemap, the feed, the search index and ``events.json``."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import lxml.html

from tests.conftest import run_cli, write_site
from tests.test_search_index import indexed

EVENTS = ("deal-signed", "council-opposes", "port-opening", "talks")


def page(out: Path, path: str):
    return lxml.html.fromstring((out / path / "index.html").read_text(encoding="utf-8"))


def text(element) -> str:
    return " ".join(element.text_content().split())


def test_an_event_page_shows_the_event_its_actors_tags_and_evidence(built_full):
    doc = page(built_full, "events/deal-signed")
    assert text(doc.find(".//h1")) == "The harbour deal is signed"
    assert doc.findtext(".//title").startswith("The harbour deal is signed · ")
    time = doc.find(".//dl[@class='meta']//time")
    assert (time.get("datetime"), time.text) == ("2024-03-04", "4 March 2024")
    assert [(a.text, a.get("href")) for a in doc.findall(".//dl[@class='meta']/dd/ul[@class='chips']/li/a")] == [
        ("Ana Ruiz", "/repo/actors/ana-ruiz/"), ("Blue Ocean Ltd", "/repo/actors/blue-ocean/")]
    assert [text(li) for li in doc.findall(".//ul[@class='chips tags']/li")] == ["deals"]
    assert "Signed at city hall." in text(doc.find(".//section[@class='prose']"))
    quote = doc.find(".//ol[@class='passages-full']/li/blockquote")
    assert (quote.get("lang"), text(quote)) == ("en", "signed the harbour deal with Blue Ocean Ltd")
    outside = doc.findall(".//section[@aria-labelledby='outside-heading']//a")
    assert [(a.text, a.get("href")) for a in outside] == [("Gazette archive", "https://gazette.example/archive")]
    up = doc.find(".//p[@class='event-page__up']/a")
    assert up.get("href") == "/repo/timeline/#deal-signed"


def test_dates_at_their_precision_and_passages_in_the_seeds_own_words(built_full):
    doc = page(built_full, "events/council-opposes")
    assert text(doc.find(".//dl[@class='meta']/dd")) == "c. March 2024 (approximate)"
    quote = doc.find(".//ol[@class='passages-full']/li/blockquote")
    # typed with a straight apostrophe; the seed's own curly one is shown, in the seed's language
    assert (quote.get("lang"), text(quote)) == ("fr", "Le maire Ana Ruiz a défendu l’accord")
    assert text(page(built_full, "events/port-opening").find(".//dl[@class='meta']/dd")) == "2026 – 2027"
    assert page(built_full, "events/talks").find(".//ul[@class='chips tags']") is None  # no tags, no list


def test_each_passage_links_to_its_highlight_which_links_back_to_the_event_page(built_full):
    for event in EVENTS:
        links = page(built_full, f"events/{event}").findall(".//a[@class='passage-link']")
        assert links, event
        for link in links:
            path, fragment = link.get("href").split("#")
            assert path.startswith("/repo/sources/")
            source = page(built_full, path.removeprefix("/repo/").rstrip("/"))
            mark = source.get_element_by_id(fragment)
            assert mark.tag == "mark" and mark.get("data-event") == event
            back = [a.get("href") for a in source.findall(".//a[@class='backlink']")]
            assert f"/repo/events/{event}/" in back
            cited = [a.get("href") for a in source.findall(".//p[@class='cited-by']/a")]
            assert f"/repo/events/{event}/" in cited
            assert f"/repo/events/{event}/" in [a.get("href") for a in source.findall(".//section[@aria-labelledby='citing-heading']//a")]


def test_the_timeline_cards_link_to_the_event_pages_and_show_their_tags(built_full):
    timeline = page(built_full, "timeline")
    for event in EVENTS:
        card = timeline.get_element_by_id(event)
        assert card.find(".//a").get("href") == f"/repo/events/{event}/"
    tags = timeline.get_element_by_id("deal-signed").findall(".//ul[@class='chips tags']/li")
    assert [text(li) for li in tags] == ["deals"]


def test_event_pages_are_in_the_sitemap_the_feed_the_search_index_and_the_data(built_full):
    sitemap = (built_full / "sitemap.xml").read_text(encoding="utf-8")
    feed = feedparser.parse((built_full / "feed.xml").read_bytes())
    links = {entry.link: entry.id for entry in feed.entries}
    records = indexed(built_full)
    data = {e["id"]: e for e in json.loads((built_full / "data" / "events.json").read_text(encoding="utf-8"))}
    for event in EVENTS:
        url = f"https://example.org/repo/events/{event}/"
        assert f"<loc>{url}</loc>" in sitemap
        # the entry opens the event's page; its id is the one it always had
        assert links[url] == f"https://example.org/repo/timeline/#{event}"
        html = (built_full / "events" / event / "index.html").read_text(encoding="utf-8")
        assert "data-pagefind-body" in html
        assert f"/events/{event}/" in records
        assert data[event]["page"] == url
        assert data[event]["url"] == f"https://example.org/repo/timeline/#{event}"  # version 1's meaning
    content = records["/events/deal-signed/"]["content"]
    assert "The harbour deal is signed" in content and "Ruiz denies" in content  # its title, summary, notes
    # the passages it quotes are article text: indexed once, on their source page, not again here
    assert "signed the harbour deal with Blue Ocean Ltd" not in content
    assert "signed the harbour deal with Blue Ocean Ltd" in records["/sources/port-deal/"]["content"]
    assert "This event on the timeline" not in content


def test_another_base_path_and_a_removed_event(tmp_path):
    site = write_site(tmp_path / "site", {})
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), "--base-url", "https://example.org/a/b/",
            check=True)
    doc = page(out, "events/first")
    assert doc.find(".//a[@class='passage-link']").get("href").startswith("/a/b/sources/one/#")
    assert "<loc>https://example.org/a/b/events/first/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    write_site(site, {"content/events.yaml": None})
    (site / "content" / "events.yaml").unlink()
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    assert not (out / "events").exists()
