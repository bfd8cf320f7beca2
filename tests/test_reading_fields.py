"""Format 1.1's reading fields: an evidence item's ``stance`` and ``note``,
an actor's ``status: spurious`` and ``status_note``, a source's ``author``
(and its original's): each read, each wrong value reported, each shown and
exported; and the source pages' metadata read back by real parsers
(extruct for schema.org JSON-LD; lxml's HTML parser, as extruct and
Zotero's "Embedded Metadata" translator read the DOM, for the Highwire
Press ``citation_*`` tags, which extruct has no syntax for)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import extruct
import feedparser
import lxml.html
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from generator.render.reading_views import jsonld_script
from tests.conftest import MINIMAL_SITE, copy_fixture, run_cli, write_site

BASE = "https://example.org/repo/"
EVENT = MINIMAL_SITE["content/events.yaml"]
ACTORS = MINIMAL_SITE["content/actors.yaml"]
SOURCE = MINIMAL_SITE["content/sources/one.md"]


def read(out: Path, name: str) -> str:
    return (out / name).read_text(encoding="utf-8")


def built(tmp_path: Path, files: dict) -> tuple[Path, object]:
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    return out, run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out))


# -- reading and errors ----------------------------------------------------------

ERRORS = {
    "stance misspelt": (
        {"content/events.yaml": EVENT + "      stance: contradict\n"},
        "content/events.yaml:8: error: evidence stance must be one of supports, contradicts, context, "
        "got 'contradict' (did you mean 'contradicts'?)"),
    "stance on a link": (
        {"content/events.yaml": EVENT + "    - url: https://example.org/a\n      title: A\n      stance: suports\n"},
        "content/events.yaml:10: error: evidence stance must be one of supports, contradicts, context, "
        "got 'suports' (did you mean 'supports'?)"),
    "stance not text": (
        {"content/events.yaml": EVENT + "      stance: [contradicts]\n"},
        "content/events.yaml:8: error: 'stance' must be text, got a list"),
    "status misspelt": (
        {"content/actors.yaml": ACTORS + "  status: spurius\n  status_note: A misreading.\n"},
        "content/actors.yaml:4: error: actor status must be 'spurious', got 'spurius' (did you mean 'spurious'?)"),
    "spurious without a reason": (
        {"content/actors.yaml": ACTORS + "  status: spurious\n"},
        "content/actors.yaml:4: error: an actor with 'status: spurious' needs 'status_note'"),
    "reason without a status": (
        {"content/actors.yaml": ACTORS + "  status_note: A misreading.\n"},
        "content/actors.yaml:4: error: 'status_note' is the reason for a 'status'"),
    "author organisation misspelt": (
        {"content/sources/one.md": SOURCE.replace("title: One\n", "title: One\nauthor: {organisation: Desk}\n")},
        "content/sources/one.md:4: error: unknown key 'organisation' in author (did you mean 'organization'?)"),
    "author a list in a list": (
        {"content/sources/one.md": SOURCE.replace("title: One\n", "title: One\nauthor:\n  - Ann Lee\n  - [Bob]\n")},
        "content/sources/one.md:6: error: author must be a person's name or a mapping 'organization: Name', got a list"),
    "original's author empty": (
        {"content/sources/one.md": SOURCE.replace("title: One\n", "title: One\ntranslated_from:\n  title: Un\n  author: ['']\n")},
        "content/sources/one.md:6: error: translated_from.author must be a person's name or a mapping"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_a_wrong_value_is_an_error_at_its_line(tmp_path, case):
    files, expected = ERRORS[case]
    out, result = built(tmp_path, files)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_defaults_are_exported_where_the_fields_are_absent(tmp_path):
    out, result = built(tmp_path, {})
    assert result.returncode == 0, result.stderr
    [event] = json.loads(read(out, "data/events.json"))
    assert event["evidence"][0]["stance"] == "supports" and event["evidence"][0]["note"] is None
    [actor] = json.loads(read(out, "data/actors.json"))
    assert actor["status"] is None and actor["status_note"] is None
    [source] = json.loads(read(out, "data/sources.json"))
    assert source["authors"] == []
    timeline = read(out, "timeline/index.html")
    assert "stance" not in timeline and "contested" not in timeline
    assert '<meta name="author"' not in read(out, "sources/one/index.html")


def test_authors_as_a_name_a_list_and_organisations(tmp_path):
    annotation = SOURCE.replace("title: One\n", "title: One\nauthor: [Ann  Lee, {organization: Wire Desk}]\n"
                                "translated_from:\n  title: Un\n  author: Jean de La Fontaine\n")
    out, result = built(tmp_path, {"content/sources/one.md": annotation})
    assert result.returncode == 0, result.stderr
    [source] = json.loads(read(out, "data/sources.json"))
    assert source["authors"] == [{"name": "Ann Lee", "kind": "person"}, {"name": "Wire Desk", "kind": "organization"}]
    assert source["translated_from"]["authors"] == [{"name": "Jean de La Fontaine", "kind": "person"}]
    [item] = json.loads(read(out, "data/sources.csl.json"))
    assert item["author"] == [{"family": "Lee", "given": "Ann"}, {"literal": "Wire Desk"}]
    assert item["original-author"] == [{"family": "Fontaine", "given": "Jean de La"}]
    front = read(out, "sources/one/index.md").split("---")[1]
    assert "authors:" in front and "Wire Desk" in front


# -- the fixture: shown and exported -------------------------------------------------

@pytest.fixture(scope="module")
def out(built_full) -> Path:
    return built_full


def test_events_json_csv_and_annotations_carry_the_stance(out):
    events = {e["id"]: e for e in json.loads(read(out, "data/events.json"))}
    signed = events["deal-signed"]["evidence"]
    assert [ev["stance"] for ev in signed] == ["supports", "context", "contradicts"]
    assert signed[2]["note"] == "Ruiz denies what critics say of the deal's **cost**."
    assert all(ev["stance"] == "supports" for ev in events["talks"]["evidence"])
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(read(out, "data/events.csv"), newline=""))}
    assert rows["deal-signed"]["stances"] == "supports; context; contradicts"
    assert rows["deal-signed"]["contested"] == "yes" and rows["talks"]["contested"] == "no"
    items = json.loads(read(out, "data/annotations.jsonld"))["first"]["items"]
    evidence = {item["id"]: item for item in items if item["motivation"] == "linking"}
    contradicting = evidence[f"{BASE}sources/port-deal/#ev-deal-signed-2"]["body"]
    assert contradicting[0]["id"] == f"{BASE}timeline/#deal-signed"
    assert contradicting[1] == {"type": "TextualBody", "purpose": "classifying", "value": "contradicts",
                                "format": "text/plain"}
    assert contradicting[2]["purpose"] == "commenting" and "**cost**" in contradicting[2]["value"]
    supporting = evidence[f"{BASE}sources/port-deal/#ev-deal-signed"]["body"]
    assert [body.get("value") for body in supporting[1:]] == ["supports"]


def test_a_contested_event_says_so_in_words_on_the_timeline_and_its_source(out):
    timeline = lxml.html.fromstring(read(out, "timeline/index.html"))
    card = timeline.get_element_by_id("deal-signed")
    assert card.find_class("contested__label")[0].text_content() == "Contested: some evidence contradicts it"
    labels = [span.text_content() for span in card.find_class("stance")]
    assert labels == ["Context", "Contradicts"]  # "supports", the default, goes without saying
    assert "Ruiz denies what critics say" in card.find_class("evidence__note")[0].text_content()
    assert not timeline.get_element_by_id("talks").find_class("contested")
    source = lxml.html.fromstring(read(out, "sources/port-deal/index.html"))
    citing = source.get_element_by_id("citing-heading").getparent()
    line = next(li for li in citing.iter("li") if "harbour deal is signed" in li.text_content())
    assert "Contradicts" in line.text_content() and "Contested" in line.text_content()


def test_spurious_actors_are_listed_apart_and_left_out_of_counts(out):
    index = lxml.html.fromstring(read(out, "actors/index.html"))
    section = index.get_element_by_id("spurious-heading").getparent()
    assert "Markup Group" in section.text_content() and "an English word left in" in section.text_content()
    kinds = [t for t in index.iter("table") if t.getparent().get("aria-labelledby", "").startswith("kind-")]
    assert all("Markup Group" not in t.text_content() for t in kinds)
    svg = index.find_class("chart__picture")[0]
    assert "actors/markup-group/" not in lxml.html.tostring(svg, encoding="unicode")
    home = lxml.html.fromstring(read(out, "index.html"))
    assert "Markup Group" not in home.find_class("ranked")[0].text_content()
    actors = {a["id"]: a for a in json.loads(read(out, "data/actors.json"))}
    assert actors["markup-group"]["status"] == "spurious" and "English word" in actors["markup-group"]["status_note"]
    assert actors["council"]["status"] is None and actors["council"]["status_note"] is None
    page = lxml.html.fromstring(read(out, "actors/markup-group/index.html"))
    assert "exists only through an error" in page.find_class("spurious-notice")[0].text_content()


def test_a_spurious_actors_mentions_are_marked(out):
    page = lxml.html.fromstring(read(out, "sources/conseil/index.html"))
    [mention] = page.find_class("mention--spurious")
    assert mention.get("href").endswith("/actors/markup-group/")
    assert mention.get("title").startswith("Spurious: Exists only through a misreading")
    assert "(Spurious)" in mention.find_class("visually-hidden")[0].text_content()
    assert all(not m.get("href").endswith("/actors/markup-group/") for m in page.find_class("mention")
               if "mention--spurious" not in m.get("class"))


def test_authors_in_bibtex_csl_and_the_feed(out):
    entries = {e.key: e for e in bibtexparser.parse_string(read(out, "data/sources.bib")).entries}
    assert entries["port-deal"]["author"] == "Doe, Jane and {Portvale Gazette Desk}"
    assert entries["conseil"]["author"] == "Curie-Dupont, Marie"
    assert "author" not in entries["wire-copy"].fields_dict
    items = json.loads(read(out, "data/sources.csl.json"))
    by_id = {item["id"]: item for item in items}
    assert by_id["port-deal"]["author"] == [{"family": "Doe", "given": "Jane"}, {"literal": "Portvale Gazette Desk"}]
    assert by_id["conseil"]["original-author"] == [{"family": "Smith", "given": "John"}]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem("port-deal")]))
    [entry] = [str(e) for e in bibliography.bibliography()]
    assert entry.startswith("Doe, J. and Portvale Gazette Desk")
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    source = next(e for e in feed.entries if e.id == f"{BASE}sources/port-deal/")
    assert [a.name for a in source.authors] == ["Jane Doe", "Portvale Gazette Desk"]
    sources = {s["slug"]: s for s in json.loads(read(out, "data/sources.json"))}
    assert sources["port-deal"]["authors"][1] == {"name": "Portvale Gazette Desk", "kind": "organization"}
    assert sources["conseil"]["translated_from"]["authors"] == [{"name": "John Smith", "kind": "person"}]


def test_the_french_interface_says_contested_and_spurious_in_french(tmp_path):
    site = copy_fixture("full", tmp_path)
    (site / "site.yaml").write_text(read(site, "site.yaml").replace("language: en", "language: fr"), encoding="utf-8")
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    assert "Contesté : une preuve le contredit" in read(out, "timeline/index.html")
    assert ">Contredit</span>" in read(out, "timeline/index.html")
    assert "Entités fictives" in read(out, "actors/index.html")


# -- the source pages' metadata, as citation tools read it ---------------------------

def highwire(page: str) -> dict[str, list[str]]:
    """Every ``<meta name=citation_*>`` as Zotero's translator collects them:
    by name, in document order, each name possibly repeated."""
    tags: dict[str, list[str]] = {}
    for meta in lxml.html.fromstring(page).xpath("//head/meta[@name][@content]"):
        tags.setdefault(meta.get("name").lower(), []).append(meta.get("content"))
    return tags


def json_ld(page: str, url: str) -> list[dict]:
    return extruct.extract(page, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]


def test_source_pages_carry_highwire_tags_and_json_ld_for_zotero(out):
    page = read(out, "sources/port-deal/index.html")
    tags = highwire(page)
    assert tags["citation_title"] == ["Port deal signed"]
    assert tags["citation_author"] == ["Jane Doe", "Portvale Gazette Desk"]
    assert tags["citation_publication_date"] == ["2024/03/04"]
    assert tags["citation_journal_title"] == ["Portvale Gazette"] == tags["citation_publisher"]
    assert tags["citation_language"] == ["en"]
    assert tags["citation_public_url"] == ["https://gazette.example/port-deal"]
    assert tags["author"] == ["Jane Doe, Portvale Gazette Desk"]
    [article] = json_ld(page, f"{BASE}sources/port-deal/")
    assert article["@type"] == "NewsArticle" and article["headline"] == "Port deal signed"
    assert article["author"] == [{"@type": "Person", "name": "Jane Doe", "familyName": "Doe", "givenName": "Jane"},
                                 {"@type": "Organization", "name": "Portvale Gazette Desk"}]
    assert article["datePublished"] == "2024-03-04" and article["inLanguage"] == "en"
    assert article["publisher"] == {"@type": "Organization", "name": "Portvale Gazette"}
    assert article["url"] == "https://gazette.example/port-deal"


def test_a_translation_names_its_original_and_a_partial_date_keeps_its_precision(out):
    page = read(out, "sources/conseil/index.html")
    tags = highwire(page)
    assert tags["citation_publication_date"] == ["2024/03"]
    assert tags["citation_author"] == ["Marie Curie-Dupont"]
    assert "citation_public_url" not in tags  # no URL of its own
    [article] = json_ld(page, f"{BASE}sources/conseil/")
    original = article["translationOfWork"]
    assert original["@type"] == "NewsArticle" and original["headline"] == "Council opposes the deal"
    assert original["author"] == [{"@type": "Person", "name": "John Smith", "familyName": "Smith", "givenName": "John"}]
    assert original["datePublished"] == "2024-03" and original["inLanguage"] == "en"
    assert article["isBasedOn"] == "https://gazette.example/council"
    wire = read(out, "sources/wire-copy/index.html")
    [plain] = json_ld(wire, f"{BASE}sources/wire-copy/")
    assert plain["@type"] == "Article" and "author" not in plain and "citation_author" not in highwire(wire)


def test_the_home_page_describes_the_site(out):
    [site] = json_ld(read(out, "index.html"), BASE)
    assert site["@type"] == "WebSite" and site["name"] == "Harbour Inquiry" and site["url"] == BASE
    assert site["potentialAction"]["target"] == f"{BASE}search/?q={{search_term_string}}"


def test_json_ld_cannot_end_its_script_element(tmp_path):
    title = "</script><script>alert(1)</script> <!-- & \u2028 -->"
    assert "<" not in jsonld_script({"headline": title}) and json.loads(jsonld_script({"headline": title}))["headline"] == title
    title = title.replace("\u2028", "")  # (YAML reads U+2028 as a line break)
    out, result = built(tmp_path, {"content/sources/one.md": SOURCE.replace("title: One", f"title: '{title}'")})
    assert result.returncode == 0, result.stderr
    page = read(out, "sources/one/index.html")
    document = lxml.html.fromstring(page)
    assert [s.get("type") for s in document.iter("script")] == ["application/ld+json"]
    [article] = json_ld(page, f"{BASE}sources/one/")
    assert article["headline"] == title
    assert highwire(page)["citation_title"] == [title]

