"""The site's data for reuse, each export parsed by a tool that reads that
format: BibTeX (bibtexparser, LaTeX decoded by pylatexenc), CSL-JSON
(citeproc-py renders a bibliography from it), W3C Web Annotations (each
TextQuoteSelector re-anchored on the source's text), CSV (the csv module),
and for crawlers and feed readers the Atom feed (feedparser), the sitemap,
robots.txt and each page's metadata."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import feedparser
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator.content.config import load_config
from generator.errors import Diagnostics
from generator.render.exports import latex_escape
from generator.content.load import load_site
from generator.content.seedtext import find_places, normalise

BASE = "https://example.org/repo/"


@pytest.fixture(scope="module")
def out(built_full) -> Path:
    return built_full


@pytest.fixture(scope="module")
def site(built_full):
    """The fixture's model, loaded as the build loaded it."""
    diagnostics = Diagnostics()
    config = load_config(built_full.parent.parent / "full" / "site.yaml", diagnostics)
    return load_site(config, diagnostics)


def read(out: Path, name: str) -> str:
    return (out / name).read_text(encoding="utf-8")


# -- BibTeX ------------------------------------------------------------------

def latex_decoder() -> LatexNodes2Text:
    """pylatexenc, taught the few LaTeX text commands it does not know."""
    db = get_default_latex_context_db().filter_context()
    db.add_context_category("text-commands", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"), MacroTextSpec("textless", "<"), MacroTextSpec("textgreater", ">")])
    return LatexNodes2Text(latex_context=db)


def braces_balance(text: str) -> bool:
    """BibTeX's own rule: braces balance, whatever backslashes precede them."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("text", [
    "Émirats arabes unis : l'été à Zürich, naïveté, cœur, Ça coûte 5 % & 10 $",
    "« père de ChatGPT » — 2023–2024… “quoted” ‘single’",
    "Unbalanced { brace, } and \\ backslash, ^ caret, ~ tilde, # hash, _ underscore, <tag>",
    "Île, aïeul, Noël, façade, garçon, Œuvre, ÉTATS-UNIS, déjà-vu, ı ł ø ß ž",
])
def test_latex_escape_round_trips_through_a_bibtex_parser(text):
    escaped = latex_escape(text)
    assert braces_balance(escaped), escaped
    library = bibtexparser.parse_string(f"@misc{{key,\n  title = {{{escaped}}},\n}}\n")
    assert not library.failed_blocks
    decoded = latex_decoder().latex_to_text(library.entries[0]["title"])
    # LaTeX prints ' as a right single quote: compare as the content format does.
    assert normalise(decoded) == normalise(text)


def test_latex_escape_writes_accents_as_commands():
    assert latex_escape("é") == r"{\'e}"
    assert latex_escape("ç") == r"{\c{c}}"
    assert latex_escape("ï") == r'{\"{\i}}'
    assert latex_escape("{x}") == r"\textbraceleft{}x\textbraceright{}"


def test_sources_bib_parses_with_every_source(out, site):
    text = read(out, "data/sources.bib")
    assert braces_balance(text)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {s.slug for s in site.sources}
    decoder = latex_decoder()
    for source in site.sources:
        entry = entries[source.slug]
        assert entry.entry_type == ("article" if source.publisher else "misc")
        title = decoder.latex_to_text(entry["title"])
        assert normalise(title) == normalise(source.title)
        if source.publisher:
            assert normalise(decoder.latex_to_text(entry["journal"])) == normalise(source.publisher)
        if source.published:
            assert entry["year"] == str(source.published.year)
            assert entry["date"].rstrip("~") == source.published.iso
        if source.url:
            assert entry["url"] == source.url
        assert f"{BASE}sources/{source.slug}/" in entry["note"]


# -- CSL-JSON ------------------------------------------------------------------

def test_csl_json_is_read_by_a_citation_processor(out, site):
    items = json.loads(read(out, "data/sources.csl.json"))
    assert [item["id"] for item in items] == [s.slug for s in site.sources]
    by_id = {s.slug: s for s in site.sources}
    for item in items:
        source = by_id[item["id"]]
        assert item["type"] in ("article-newspaper", "document")
        assert item["title"] == source.title
        assert item["language"] == source.language
        assert item["URL"] == (source.url or f"{BASE}sources/{source.slug}/")
        if source.publisher:
            assert item["container-title"] == source.publisher
        if source.published:
            parts = [source.published.year, source.published.month, source.published.day]
            assert item["issued"]["date-parts"] == [[p for p in parts if p]]
            assert item["issued"].get("circa", False) == source.published.approximate
        else:
            assert "issued" not in item
    # citeproc-py refuses variables CSL does not define, then formats every item.
    bibliography_source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, bibliography_source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    for item in items:
        assert any(item["title"] in entry for entry in rendered), item["title"]


def test_csl_json_rejects_unknown_variables():
    """The check above can fail: citeproc-py refuses a misspelt variable."""
    with pytest.raises(Exception):
        CiteProcJSON([{"id": "x", "type": "document", "title": "T", "containertitle": "typo"}])


# -- Web Annotations -----------------------------------------------------------

def test_annotations_follow_the_web_annotation_model(out, site):
    collection = json.loads(read(out, "data/annotations.jsonld"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    page = collection["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    notes = [(s, n) for s in site.sources for n in s.notes]
    evidence = [(e, ev) for e in site.events for ev in e.evidence if ev.source]
    assert collection["total"] == len(items) == len(notes) + len(evidence)
    assert len({item["id"] for item in items}) == len(items)
    articles = {s.slug: s.article for s in site.sources}
    motivations = {"note": "commenting", "correction": "editing", "claim": "assessing"}
    for item, (source, note) in zip(items, notes):
        assert item["type"] == "Annotation"
        assert item["motivation"] == motivations[note.kind]
        bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
        assert bodies[0] == {"type": "TextualBody", "purpose": "commenting", "value": note.body,
                             "format": "text/markdown", "language": "en"}
        if note.should_read:
            assert bodies[1]["value"] == note.should_read and bodies[1]["purpose"] == "editing"
        assert item["target"]["source"] == f"{BASE}sources/{source.slug}/"
        assert item["id"] == f"{BASE}sources/{source.slug}/#{note.anchor}-text"
        assert normalise(item["target"]["selector"]["exact"]) == normalise(note.quote)
    for item, (event, ev) in zip(items[len(notes):], evidence):
        assert item["motivation"] == "linking"
        assert item["body"][0]["id"] == f"{BASE}timeline/#{event.id}"
        assert item["body"][1] == {"type": "TextualBody", "purpose": "classifying", "value": ev.stance,
                                   "format": "text/plain"}
        assert normalise(item["target"]["selector"]["exact"]) == normalise(ev.quote)
    for item in items:
        selector = item["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector"
        assert len(selector.get("prefix", "")) <= 32 and len(selector.get("suffix", "")) <= 32
        slug = item["target"]["source"][len(BASE + "sources/"):].strip("/")
        text = articles[slug].norm.text
        # The selector finds its passage again, in one place, by the content format's own quote rule.
        places = find_places(text, normalise(selector["exact"]), normalise(selector.get("prefix", "")),
                             normalise(selector.get("suffix", "")))
        assert len(places) == 1, selector


# -- CSV -------------------------------------------------------------------------

def test_events_csv_matches_the_json(out):
    events = json.loads(read(out, "data/events.json"))
    raw = (out / "data" / "events.csv").read_bytes()
    assert raw.count(b"\r\n") >= len(events) + 1  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [r["id"] for r in rows] == [e["id"] for e in events]
    for row, event in zip(rows, events):
        assert row["date"] == event["date"]
        assert row["end"] == (event["end"] or "")
        assert row["title"] == event["title"]
        assert row["actors"].split("; ") == event["actors"] if event["actors"] else row["actors"] == ""
        assert int(row["evidence_count"]) == len(event["evidence"])
        assert row["url"] == event["url"]
        assert set(filter(None, row["sources"].split("; "))) == {ev["source"] for ev in event["evidence"] if "source" in ev}


def test_actors_csv_matches_the_json(out):
    actors = json.loads(read(out, "data/actors.json"))
    rows = list(csv.DictReader(io.StringIO(read(out, "data/actors.csv"), newline="")))
    assert [r["id"] for r in rows] == [a["id"] for a in actors]
    for row, actor in zip(rows, actors):
        assert row["name"] == actor["name"] and row["kind"] == actor["kind"]
        assert int(row["mentions"]) == sum(actor["mentions"].values())
        assert int(row["sources"]) == len(actor["mentions"])
        assert int(row["events"]) == len(actor["events"])


# -- feed, sitemap, robots -------------------------------------------------------

def test_feed_is_accepted_by_feedparser(out, site):
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == site.config.title
    assert any(link.rel == "self" and link.href == f"{BASE}feed.xml" for link in parsed.feed.links)
    assert len(parsed.entries) == len(site.sources) + len(site.events)
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == len(ids)
    for source in site.sources:
        assert f"{BASE}sources/{source.slug}/" in ids
    for event in site.events:
        assert f"{BASE}timeline/#{event.id}" in ids
    updated = [entry.updated_parsed for entry in parsed.entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    for entry in parsed.entries:
        # an event's entry opens its own page; its id stays its place on the timeline
        assert entry.link == entry.id.replace("timeline/#", "events/") + ("/" if "timeline/#" in entry.id else "")
        assert entry.title


def test_feed_summaries_render_annotators_markdown(out):
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    source = next(e for e in parsed.entries if e.id == f"{BASE}sources/port-deal/")
    assert source.summary_detail.type == "text/html"
    assert "The mayor signs a harbour deal" in source.summary
    assert any(link.rel == "related" and link.href == "https://gazette.example/port-deal" for link in source.links)


def test_sitemap_lists_every_page_once(out):
    root = ET.parse(out / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{ns}urlset"
    locs = [url.find(f"{ns}loc").text for url in root.findall(f"{ns}url")]
    assert len(locs) == len(set(locs)) and len(root) == len(locs)
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")} - {"404.html"}
    files = set()
    for loc in locs:
        assert loc.startswith(BASE)
        path = loc[len(BASE):]
        files.add(path + "index.html" if path == "" or path.endswith("/") else path)
    assert files == pages


def test_robots_txt_points_to_the_sitemap(out):
    lines = read(out, "robots.txt").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines


# -- page metadata ---------------------------------------------------------------

class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.pre: list[str] = []
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        elif tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs["href"]
        elif tag == "code":
            self._in_pre = True
            self.pre.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_pre = False

    def handle_data(self, data):
        if self._in_pre:
            self.pre[-1] += data


def head(path: Path) -> HeadParser:
    parser = HeadParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_has_its_canonical_url_description_and_cards(out):
    descriptions = {}
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        parsed = head(page)
        if relative == "404.html":
            assert "canonical" not in parsed.links and parsed.meta["robots"] == "noindex"
            continue
        url = BASE + relative.removesuffix("index.html")
        assert parsed.links["canonical"] == url
        assert parsed.meta["og:url"] == url
        assert parsed.meta["og:type"] == ("article" if relative.startswith(("sources/", "events/"))
                                           and relative != "sources/index.html" else "website")
        assert parsed.meta["og:title"] and parsed.meta["twitter:card"] == "summary"
        assert "twitter:title" not in parsed.meta and "twitter:description" not in parsed.meta  # X reads og:
        description = parsed.meta["description"]
        assert 0 < len(description) <= 200
        assert parsed.meta["og:description"] == description
        descriptions[relative] = description
    assert len(set(descriptions.values())) == len(descriptions), "each page has a description of its own"


def test_favicon_is_a_local_svg(out):
    href = head(out / "index.html").links["icon"]
    assert href.startswith("/repo/")
    root = ET.parse(out / href[len("/repo/"):]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_cite_box_on_every_source_page(out, site):
    entries = {e.key: e for e in bibtexparser.parse_string(read(out, "data/sources.bib")).entries}
    for source in site.sources:
        page = out / "sources" / source.slug / "index.html"
        text = page.read_text(encoding="utf-8")
        assert 'id="cite-heading"' in text
        bib, csl = head(page).pre[-2:]
        library = bibtexparser.parse_string(bib)
        assert not library.failed_blocks and library.entries[0].key == source.slug
        assert library.entries[0]["title"] == entries[source.slug]["title"]
        item = json.loads(csl)
        assert item["id"] == source.slug and item["title"] == source.title
        assert 'href="/repo/data/sources.bib"' in text and 'href="/repo/data/sources.csl.json"' in text
