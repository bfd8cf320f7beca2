"""End to end: the full fixture site built as a user builds it, under /repo/."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import copy_fixture, run_cli, snapshot, write_site


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(out: Path, path: str) -> Path:
    rel = unquote(path[len("/repo/"):])
    candidate = out / rel
    return candidate / "index.html" if rel == "" or rel.endswith("/") else candidate


def test_every_page_of_the_spec_is_written(built_full):
    out = built_full
    for name in ["index.html", "timeline/index.html", "actors/index.html", "actors/ana-ruiz/index.html",
                 "sources/index.html", "sources/port-deal/index.html", "sources/port-deal/index.md",
                 "sources/conseil/index.html", "sources/wire-copy/index.html", "about/index.html", "404.html",
                 "sitemap.xml", "feed.xml", ".nojekyll", "data/sources.json", "data/actors.json",
                 "data/events.json", "data/sources.csv", "data/index.html", "events/deal-signed/index.html",
                 "assets/style.css"]:
        assert (out / name).is_file(), name
    assert not (out / "index" / "index.html").exists()  # pages/index.md is the home intro, not a page


def test_every_internal_link_and_fragment_resolves_under_the_prefix(built_full):
    out = built_full
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 12
    ids = {p: parse(p).ids for p in pages}
    checked = 0
    for page in pages:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                assert "example.org/repo" not in parts.netloc + parts.path or parts.path.startswith("/repo/")
                continue
            if link.startswith("#"):
                target = page
            else:
                assert parts.path.startswith("/repo/"), f"{page}: link outside the prefix: {link}"
                target = target_file(out, parts.path)
                assert target.is_file(), f"{page.relative_to(out)}: broken link {link}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], f"{page.relative_to(out)}: missing fragment {link}"
            checked += 1
    assert checked > 100


def test_source_page_shows_marks_notes_mentions_and_anchors(built_full):
    page = parse(built_full / "sources" / "port-deal" / "index.html")
    html = (built_full / "sources" / "port-deal" / "index.html").read_text()
    assert {"p-1", "p-2", "p-3", "note-1", "note-2", "note-3", "note-2-text", "ev-deal-signed", "ev-port-opening"} <= page.ids
    assert 'class="note-mark note-mark--correction" id="note-2">cost "billions"</mark>' in html
    assert "Should read:</strong> cost millions" in html
    assert '<a class="mention" href="/repo/actors/ana-ruiz/">Ana Ruiz</a>' in html
    assert 'href="/repo/events/deal-signed/"' in html  # the passage links back to its event's page
    # text.start / text.end / drop: boilerplate is not part of the article
    text = "".join(page.text)
    assert "Recent posts" not in text and "spot_img" not in text and "Cookie settings" not in text
    assert "Menu | Home" not in text
    # The commentary's root-relative link carries the prefix.
    assert 'href="/repo/timeline/"' in html


def test_translated_from_line(built_full):
    html = (built_full / "sources" / "conseil" / "index.html").read_text()
    assert ('<dd><a href="https://gazette.example/council">Council opposes the deal</a>, Portvale Gazette, March 2024, English</dd>') in html


def test_article_is_marked_with_its_language(built_full):
    html = (built_full / "sources" / "conseil" / "index.html").read_text()
    assert '<div class="article__text" lang="fr">' in html
    assert 'lang="en"' in html  # the page itself (and notes) are in the interface language


def test_seed_markup_is_escaped_in_html_and_markdown(built_full):
    html = (built_full / "sources" / "conseil" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<em>gras</em>" not in html and "*gras*" in html
    assert 'href="http://evil.example"' not in html
    md = (built_full / "sources" / "conseil" / "index.md").read_text()
    assert "<script>" not in md and "\\*gras\\*" in md and "\\[lien\\]" in md


def test_markdown_stage_has_front_matter_article_and_notes(built_full):
    md = (built_full / "sources" / "port-deal" / "index.md").read_text()
    assert md.startswith("---\ntitle: Port deal signed\n")
    assert "{: #p-1 .para }" in md and "## Article" in md and "## Commentary" in md
    assert "The budget was in millions." in md


def test_timeline_groups_by_year_and_month_with_precision(built_full):
    page = parse(built_full / "timeline" / "index.html")
    html = (built_full / "timeline" / "index.html").read_text()
    assert {"y2023", "m2023-10", "y2024", "m2024-03", "y2026", "m2026", "deal-signed", "talks"} <= page.ids
    assert "c. March 2024" in html and "(approximate)" in html
    assert "15 October 2023" in html and "4 March 2024" in html and "2026 – 2027" in html
    # order: talks (2023) < council (~2024-03, coarser first) < deal (2024-03-04) < opening (2026)
    positions = [html.index(f'id="{e}"') for e in ["talks", "council-opposes", "deal-signed", "port-opening"]]
    assert positions == sorted(positions)


def test_actor_index_and_page(built_full):
    index = (built_full / "actors" / "index.html").read_text()
    for kind in ["People", "Organizations", "Governments"]:
        assert kind in index
    page = (built_full / "actors" / "ana-ruiz" / "index.html").read_text()
    assert "Mayor of Portvale" in page and "Q42" in page
    assert 'href="/repo/sources/port-deal/#p-1"' in page  # mention in context, linked to its paragraph
    assert "Mentioned in the same paragraphs" in page and "Blue Ocean Ltd" in page


def test_data_files(built_full):
    sources = json.loads((built_full / "data" / "sources.json").read_text())
    assert [s["slug"] for s in sources] == ["conseil", "port-deal", "wire-copy"]  # ~2024-03 < 2024-03-04 < undated
    deal = sources[1]
    assert deal["url"] == "https://example.org/repo/sources/port-deal/"
    assert deal["source_url"] == "https://gazette.example/port-deal"
    assert deal["paragraphs"] == 3 and deal["published"] == "2024-03-04" and deal["language"] == "en"
    actors = json.loads((built_full / "data" / "actors.json").read_text())
    assert [a["name"] for a in actors] == sorted(a["name"] for a in actors)
    ruiz = next(a for a in actors if a["id"] == "ana-ruiz")
    assert ruiz["mentions"] == {"conseil": 2, "port-deal": 4}  # "Le maire Ana Ruiz": alias + name
    assert ruiz["events"] == ["deal-signed"]
    events = json.loads((built_full / "data" / "events.json").read_text())
    assert [e["id"] for e in events] == ["talks", "council-opposes", "deal-signed", "port-opening"]
    deal_event = events[2]
    assert deal_event["evidence"][0]["url"] == "https://example.org/repo/sources/port-deal/#ev-deal-signed"
    assert deal_event["evidence"][1] == {"url": "https://gazette.example/archive", "title": "Gazette archive",
                                         "stance": "context", "note": None}
    assert events[1]["date"] == "~2024-03" and events[3]["end"] == "2027"


def test_build_is_deterministic(tmp_path):
    site = copy_fixture("full", tmp_path)
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(tmp_path / "a"), check=True)
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(tmp_path / "b"), check=True)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_base_url_override_changes_every_url(tmp_path):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), "--base-url", "http://127.0.0.1:9999/x", check=True)
    everything = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert "example.org/repo" not in everything
    assert 'href="/x/timeline/"' in (out / "index.html").read_text()
    assert "http://127.0.0.1:9999/x/sources/port-deal/" in (out / "data" / "sources.json").read_text()


def test_default_output_folder_and_warning(tmp_path):
    site = copy_fixture("full", tmp_path)
    result = run_cli("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "seeds/Wire_Copy.TXT: warning: seed has no annotation" in result.stderr
    assert (site / "public" / "index.html").is_file()
    strict = run_cli("build", "--strict", cwd=site)
    assert strict.returncode == 1 and "--strict" in strict.stderr


def test_check_writes_nothing(tmp_path):
    site = copy_fixture("full", tmp_path)
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 0 and "check passed" in result.stdout
    assert not (site / "public").exists()


@pytest.mark.parametrize("out", [".", "..", "content", "seeds", "content/sources/x"])
def test_output_folder_may_not_hold_or_sit_in_the_project(tmp_path, out):
    site = copy_fixture("full", tmp_path)
    before = snapshot(site)
    result = run_cli("build", "--out", out, cwd=site)
    assert result.returncode == 1
    assert "output folder" in result.stderr
    assert snapshot(site) == before


def test_site_templates_override_the_theme_file_by_file(tmp_path):
    site = copy_fixture("full", tmp_path)
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text('{% extends "base.html" %}{% block main %}<p class="custom">{{ page.title }}</p>{% endblock %}')
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    assert '<p class="custom">About</p>' in (out / "about" / "index.html").read_text()
    assert "The harbour deal is signed" in (out / "timeline" / "index.html").read_text()  # theme still used


def test_broken_template_is_reported_with_its_line(tmp_path):
    site = copy_fixture("full", tmp_path)
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ no_such_variable }}\n{% endblock %}')
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert re.search(r"templates/page\.html:3: error: .*no_such_variable", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_new_writes_a_starting_annotation_that_builds(tmp_path):
    site = copy_fixture("full", tmp_path)
    result = run_cli("new", "seeds/Wire_Copy.TXT", cwd=site)
    assert result.returncode == 0, result.stderr
    annotation = site / "content" / "sources" / "wire-copy.md"
    assert annotation.is_file()
    assert "seed: Wire_Copy.TXT" in annotation.read_text()
    assert run_cli("build", "--strict", cwd=site).returncode == 0
    again = run_cli("new", "seeds/Wire_Copy.TXT", cwd=site)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_minimal_site_from_write_site_builds(tmp_path):
    site = write_site(tmp_path / "s", {})
    result = run_cli("build", "--strict", "--config", str(site / "site.yaml"))
    assert result.returncode == 0, result.stderr
    assert (site / "public" / "sources" / "one" / "index.html").is_file()


def test_usage_errors_exit_2():
    assert run_cli().returncode == 2
    assert run_cli("build", "--no-such-flag").returncode == 2
    help_text = run_cli("build", "--help")
    assert help_text.returncode == 0 and "--base-url" in help_text.stdout


def test_translated_from_with_only_some_keys(tmp_path):
    site = write_site(tmp_path, {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\ntranslated_from:\n  publisher: The Register\n---\n"})
    result = run_cli("build", "--strict", "--config", str(site / "site.yaml"))
    assert result.returncode == 0, result.stderr
    html = (site / "public" / "sources" / "one" / "index.html").read_text()
    assert re.search(r"<dt[^>]*>Translated from</dt>\s*<dd>The Register</dd>", html)  # no stray separator


def test_french_interface(tmp_path):
    site = write_site(tmp_path, {"site.yaml": "title: Essai\nbase_url: https://example.org/\nlanguage: fr\n"})
    run_cli("build", "--strict", "--config", str(site / "site.yaml"), check=True)
    home = (site / "public" / "index.html").read_text()
    assert '<html lang="fr">' in home and "Chronologie" in home
    timeline = (site / "public" / "timeline" / "index.html").read_text()
    assert "janvier 2024" in timeline
    assert 'href="/timeline/"' in home  # a user site: no path prefix
