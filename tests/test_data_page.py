"""The downloads page (``data/``, format 1.1), ``sources.csv`` and the
``license`` settings: every file the build writes under ``data/`` is listed
with its true number of records, and the footer leads there."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
import lxml.html

from tests.conftest import run_cli, write_site


def rows(out: Path) -> dict[str, dict]:
    doc = lxml.html.fromstring((out / "data" / "index.html").read_text(encoding="utf-8"))
    found = {}
    for tr in doc.findall(".//table/tbody/tr"):
        cells = tr.findall("./*")
        link = cells[0].find("a")
        name = link.text if link is not None else cells[0].text_content()
        found[name] = {"href": link.get("href") if link is not None else "", "format": cells[1].text_content(),
                       "count": cells[3].text_content()}
    return found


def read_csv(path: Path) -> list[dict]:
    data = path.read_bytes().decode("utf-8")
    assert "\r\n" in data
    return list(csv.DictReader(io.StringIO(data, newline="")))


def test_every_download_is_listed_with_its_true_count(built_full):
    listed = rows(built_full)
    written = sorted(p.name for p in (built_full / "data").iterdir() if p.name != "index.html")
    assert sorted(name for name in listed if "/" not in name and name != "feed.xml") == written
    for name in written:
        assert listed[name]["href"] == f"/repo/data/{name}"
    sources = json.loads((built_full / "data" / "sources.json").read_text(encoding="utf-8"))
    events = json.loads((built_full / "data" / "events.json").read_text(encoding="utf-8"))
    actors = json.loads((built_full / "data" / "actors.json").read_text(encoding="utf-8"))
    annotations = json.loads((built_full / "data" / "annotations.jsonld").read_text(encoding="utf-8"))
    feed = feedparser.parse((built_full / "feed.xml").read_bytes())
    bib = (built_full / "data" / "sources.bib").read_text(encoding="utf-8").count("\n@")
    expected = {
        "sources.json": f"{len(sources)} sources", "sources.csv": f"{len(read_csv(built_full / 'data/sources.csv'))} sources",
        "sources.bib": f"{bib} sources", "sources.csl.json": f"{len(sources)} sources",
        "annotations.jsonld": f"{annotations['total']} annotations", "events.json": f"{len(events)} events",
        "events.csv": f"{len(read_csv(built_full / 'data/events.csv'))} events", "actors.json": f"{len(actors)} actors",
        "actors.csv": f"{len(read_csv(built_full / 'data/actors.csv'))} actors", "feed.xml": f"{len(feed.entries)} entries",
        "sources/<slug>/index.md": f"{len(list(built_full.glob('sources/*/index.md')))} pages",
    }
    assert {name: row["count"] for name, row in listed.items()} == expected
    assert listed["annotations.jsonld"]["format"].startswith("JSON-LD")


def test_the_footer_of_every_page_links_to_the_data_page_which_is_in_the_sitemap(built_full):
    for page in sorted(built_full.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        footer = [a.get("href") for a in doc.findall(".//footer//a") if a.text == "Data"]
        assert footer == ["/repo/data/"], page
    assert "<loc>https://example.org/repo/data/</loc>" in (built_full / "sitemap.xml").read_text(encoding="utf-8")


def test_sources_csv_has_a_row_per_source_with_the_fields_of_sources_json(built_full):
    table = read_csv(built_full / "data" / "sources.csv")
    sources = json.loads((built_full / "data" / "sources.json").read_text(encoding="utf-8"))
    assert [row["slug"] for row in table] == [s["slug"] for s in sources]
    for row, source in zip(table, sources):
        for key in ("title", "seed", "publisher", "published", "language", "source_url", "url"):
            assert row[key] == (source[key] or ""), key
        assert row["paragraphs"] == str(source["paragraphs"])
        assert row["tags"] == "; ".join(source["tags"])
        assert row["notes"] == str(len(source["notes"]))
        assert row["corrections"] == str(sum(1 for n in source["notes"] if n["kind"] == "correction"))
        original = source["translated_from"] or {}
        for key in ("title", "publisher", "published", "language", "url"):
            assert row[f"translated_from_{key}"] == original.get(key, "")


def test_sources_csv_cells_cannot_run_as_formulas(tmp_path):
    site = write_site(tmp_path / "site", {
        "content/sources/one.md": "---\nseed: one.txt\ntitle: =HYPERLINK(\"http://x\")\npublisher: '@evil'\n---\n"})
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    row = read_csv(out / "data" / "sources.csv")[0]
    assert row["title"] == "'=HYPERLINK(\"http://x\")" and row["publisher"] == "'@evil"


def test_the_licence_is_the_sites_or_a_default_wording(tmp_path):
    site = write_site(tmp_path / "site", {})
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    text = (out / "data" / "index.html").read_text(encoding="utf-8")
    assert "No licence is stated for these files" in text and "work of Test site" in text
    write_site(site, {"site.yaml": "title: Test site\nbase_url: https://example.org/repo/\nlicense: CC BY 4.0\n"
                                   "license_url: https://creativecommons.org/licenses/by/4.0/\n"})
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    doc = lxml.html.fromstring((out / "data" / "index.html").read_text(encoding="utf-8"))
    link = doc.find(".//a[@rel='license']")
    assert (link.text, link.get("href")) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    write_site(site, {"site.yaml": "title: Test site\nbase_url: https://example.org/repo/\nlicense_url: not a url\n"})
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out))
    assert result.returncode == 1 and "site.yaml:3: error: 'license_url'" in result.stderr
