"""The search index, as the build writes it: which pages and which parts of
them Pagefind indexed (read back from its fragments), its place in the
output, and a failed index leaving the previous site."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from generator.publish import search
from generator.build import build
from generator.errors import BuildAborted
from tests.conftest import copy_fixture, snapshot

BUNDLE = Path("search") / "pagefind"


def indexed(out: Path) -> dict[str, dict]:
    """url -> the record Pagefind keeps for that page (content, anchors)."""
    records = {}
    for fragment in sorted((out / BUNDLE / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    return records


def test_bundle_is_written_under_the_search_page(built_full):
    bundle = built_full / BUNDLE
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]  # one index: the site's language, French article text included
    assert not (built_full / "pagefind").exists()


def test_only_content_pages_are_indexed(built_full):
    assert sorted(indexed(built_full)) == sorted([
        "/about/", "/actors/ana-ruiz/", "/actors/blue-ocean/", "/actors/portvale/",
        "/actors/council/", "/actors/markup-group/", "/sources/port-deal/", "/sources/conseil/", "/sources/wire-copy/",
        "/events/deal-signed/", "/events/council-opposes/", "/events/port-opening/", "/events/talks/"])
    for name in ("index.html", "timeline/index.html", "actors/index.html", "sources/index.html", "search/index.html",
                 "404.html"):
        assert "data-pagefind-body" not in (built_full / name).read_text(), name


def test_article_notes_and_commentary_are_indexed_without_the_apparatus(built_full):
    records = indexed(built_full)
    deal = records["/sources/port-deal/"]["content"]
    assert "signed the harbour deal with Blue Ocean Ltd" in deal  # article text
    assert "The budget was in millions." in deal  # a note
    assert "first report of the deal" in deal  # commentary
    assert "Portvale Gazette" in deal  # the publisher, as a word of its own
    for apparatus in ("Publisher", "Seed file", "[1]", "↩", "Cited by", "Events citing", "index.md", "Cite this source",
                      "BibTeX", "@article", "sources.bib"):
        assert apparatus not in deal, apparatus
    conseil = records["/sources/conseil/"]
    assert "Le maire Ana Ruiz a défendu" in conseil["content"]
    assert {"p-1", "p-2", "p-3", "note-1-text"} <= {a["id"] for a in conseil["anchors"]}


def test_actor_pages_index_the_actor_not_the_repeated_events_and_passages(built_full):
    ana = indexed(built_full)["/actors/ana-ruiz/"]["content"]
    assert "Ana Ruiz" in ana and "Mayor of Portvale" in ana and "Elected in 2020." in ana
    assert "le maire" in ana  # aliases are shown, so found
    assert "The harbour deal is signed" not in ana  # the event is indexed on its own page
    assert "signed the harbour deal" not in ana  # the passage is indexed on the source page


def test_each_event_is_indexed_once_on_its_own_page(built_full):
    records = indexed(built_full)
    event = records["/events/council-opposes/"]
    assert "The council opposes the project" in event["content"]
    assert "This event on the timeline" not in event["content"] and "Evidence (" not in event["content"]
    # An evidence quote is the article's text: indexed once, on the source page, not again with the event.
    assert "Le maire Ana Ruiz a défendu" not in event["content"]
    assert "Le maire Ana Ruiz a défendu" in records["/sources/conseil/"]["content"]
    assert not any(url.startswith("/timeline") for url in records)  # the timeline lists the events again


def test_two_builds_give_the_same_index(tmp_path):
    """The determinism test of the whole build covers the bundle; make sure it is there to compare."""
    site = copy_fixture("full", tmp_path)
    build(site / "site.yaml", tmp_path / "one" / "out")
    build(site / "site.yaml", tmp_path / "two" / "elsewhere")
    first, second = snapshot(tmp_path / "one" / "out"), snapshot(tmp_path / "two" / "elsewhere")
    assert any(name.startswith("search/pagefind/fragment/") for name in first)
    assert first == second


@pytest.mark.parametrize("command, message", [
    ([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"], "Pagefind failed: boom"),
    ([sys.executable, "-c", "pass"], "Pagefind wrote no bundle"),
    ([sys.executable, "-m", "no_such_pagefind_module"], 'pip install "pagefind[bin]"'),
    (["/nonexistent/pagefind"], "cannot run Pagefind"),
])
def test_a_failed_index_fails_the_build_and_keeps_the_previous_site(tmp_path, monkeypatch, command, message):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "public"
    build(site / "site.yaml", out)
    before = snapshot(out)
    monkeypatch.setattr(search, "COMMAND", command)
    # An edited page: the index must be made again (a build with nothing changed has nothing to index).
    annotation = site / "content" / "sources" / "port-deal.md"
    annotation.write_text(annotation.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    with pytest.raises(BuildAborted) as caught:
        build(site / "site.yaml", out)
    errors = [str(d) for d in caught.value.diagnostics.errors]
    assert len(errors) == 1 and "cannot build the search index" in errors[0] and message in errors[0]
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "public"]  # no staging folder left behind


def test_with_excerpts_only_the_published_passages_are_indexed(tmp_path):
    site = copy_fixture("full", tmp_path)
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "publish_text: excerpts\n")
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    records = indexed(out)
    deal = records["/sources/port-deal/"]["content"]
    assert "signed the harbour deal with Blue Ocean Ltd" in deal  # cited, so published
    wire = records["/sources/wire-copy/"]["content"]
    assert "Nothing else here" not in wire  # cited by nothing, so neither published nor indexed
    for apparatus in ("Only the passages", "in the original"):
        assert apparatus not in deal, apparatus
