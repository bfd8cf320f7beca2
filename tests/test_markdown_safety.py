"""Annotators' Markdown is published without anything that runs (issue 13, item 4).

One site puts every vector in every kind of Markdown field; its build must
publish no executable markup (pages and the feed parsed, not grepped), and
warn at the line of each. ``allow_html: true`` publishes raw HTML.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_site
from tests.html_judge import what_runs

# vector -> what the warning says about it
VECTORS = {
    "<script>alert(1)</script>": "raw HTML '<script>'",
    "<iframe src=javascript:alert(1)></iframe>": "raw HTML '<iframe src=javascript:alert(1)>'",
    '<b onclick="alert(1)">x</b>': "raw HTML '<b onclick=\"alert(1)\">'",
    "[x](javascript:alert(1))": "link to 'javascript:alert(1)'",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)": "link to 'data:text/html;base64,",
    "![x](javascript:alert(1))": "image source 'javascript:alert(1)'",
    "<javascript:alert(1)>": "raw HTML '<javascript:alert(1)>'",
    "[x][r]\n\n[r]: vbscript:msgbox(1)": "link to 'vbscript:msgbox(1)'",
    "[x](jav&#x61;script:alert(1))": "link to 'jav&#x61;script:alert(1)'",
}
BODY = "\n\n".join(VECTORS) + "\n"


def _yaml_block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "".join(pad + line + "\n" if line else "\n" for line in text.split("\n"))


def _site(extra_config: str = "") -> dict:
    return {
        "site.yaml": "title: Test site\nbase_url: https://example.org/repo/\n" + extra_config,
        "content/sources/one.md": (
            "---\nseed: one.txt\ntitle: One\npublished: 2024-01-02\n"
            f"summary: {_yaml_block(BODY, 2)}"
            "notes:\n"
            f"  - quote: First paragraph\n    body: {_yaml_block(BODY, 6)}"
            f"  - quote: mentions Alice\n    kind: correction\n    should_read: mentions Bob\n    body: {_yaml_block(BODY, 6)}"
            "---\n" + BODY),
        "content/actors.yaml": f"- id: alice\n  name: Alice\n  kind: person\n  description: {_yaml_block(BODY, 4)}",
        "content/events.yaml": ("- id: first\n  date: 2024-01\n  title: First event\n  actors: [alice]\n"
                                f"  summary: {_yaml_block(BODY, 4)}"
                                "  evidence:\n    - source: one\n      quote: mentions Alice\n"),
        "content/pages/about.md": "---\ntitle: About\n---\n" + BODY,
        "content/pages/index.md": "---\ntitle: Home\n---\n" + BODY,
    }


def _body_lines(first_body_line: int) -> dict[str, int]:
    """The line of each vector in a file whose Markdown body starts at ``first_body_line``."""
    lines, line = {}, first_body_line
    for vector in VECTORS:
        lines[vector] = line + (2 if vector.startswith("[x][r]") else 0)  # the definition's line
        line += vector.count("\n") + 2
    return lines


def _field_lines(site: dict) -> dict[tuple[str, str], dict[str, int]]:
    """(file, field) -> vector -> the line its warning must name."""
    annotation = site["content/sources/one.md"].split("\n")
    body_start = annotation.index("---", 1) + 2
    key_line = {}
    for number, text in enumerate(annotation, start=1):
        key_line.setdefault(text.strip().split(":")[0], []).append(number)
    events = site["content/events.yaml"].split("\n")
    actors = site["content/actors.yaml"].split("\n")
    at = lambda lines, key: next(i for i, t in enumerate(lines, 1) if t.strip().startswith(key + ":"))  # noqa: E731
    every = lambda line: {vector: line for vector in VECTORS}  # noqa: E731
    return {
        ("content/sources/one.md", "commentary"): _body_lines(body_start),
        ("content/sources/one.md", "summary"): every(key_line["summary"][0]),
        ("content/sources/one.md", "note body"): every(key_line["body"][0]),
        ("content/sources/one.md", "correction body"): every(key_line["body"][1]),
        ("content/events.yaml", "event summary"): every(at(events, "summary")),
        ("content/actors.yaml", "actor description"): every(at(actors, "description")),
        ("content/pages/about.md", "free page"): _body_lines(4),
        ("content/pages/index.md", "home page"): _body_lines(4),
    }


@pytest.fixture(scope="module")
def safe_build(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("safety"), _site())
    result = run_cli("build", "--config", str(root / "site.yaml"), "--out", str(root / "public"))
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result.stdout + result.stderr


def executable_markup(document: str) -> list[str]:
    """What in this HTML could run (``tests/html_judge.py``, shared with the fuzz gate)."""
    return what_runs(document)


def _pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def test_pages_carry_no_executable_markup(safe_build):
    root, _ = safe_build
    pages = _pages(root / "public")
    for name in ("sources/one/index.html", "timeline/index.html", "actors/alice/index.html", "about/index.html", "index.html"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[name], f"{name}: the raw HTML is not shown as text"
    problems = {name: executable_markup(text) for name, text in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_feed_carries_no_executable_markup(safe_build):
    root, _ = safe_build
    feed = ET.parse(root / "public" / "feed.xml").getroot()
    contents = [e.text or "" for e in feed.iter() if e.get("type") == "html"]
    assert any("&lt;script&gt;" in c for c in contents), "the feed's HTML shows no escaped raw HTML"
    for content in contents:
        assert executable_markup(content) == []


@pytest.mark.parametrize("field", [f for _, f in _field_lines(_site())])
@pytest.mark.parametrize("vector", list(VECTORS))
def test_each_vector_is_reported_at_its_line(safe_build, field, vector):
    _, output = safe_build
    (path, _), lines = next(((key, lines) for key, lines in _field_lines(_site()).items() if key[1] == field))
    expected = f"{path}:{lines[vector]}: warning: {VECTORS[vector]}"
    assert expected in output, f"missing: {expected}\n{output}"


def test_raw_html_warning_tells_how_to_publish_it(safe_build):
    _, output = safe_build
    assert ("content/pages/about.md:4: warning: raw HTML '<script>' (and 1 more on this line) is shown as text "
            "(set allow_html: true in site.yaml to publish it)") in output
    assert "content/events.yaml:5: warning: raw HTML '<script>' (and 1 more on this line) in 'summary' is shown as text" in output


def test_strict_build_fails_on_them(tmp_path):
    root = write_site(tmp_path, {"content/pages/about.md": "---\ntitle: About\n---\nHello <b>there</b>\n"})
    result = run_cli("build", "--strict", "--config", str(root / "site.yaml"), "--out", str(root / "public"))
    assert result.returncode == 1
    assert "content/pages/about.md:4: warning: raw HTML '<b>' (and 1 more on this line)" in result.stdout + result.stderr


def test_allow_html_publishes_raw_html_but_not_unsafe_markdown_links(tmp_path):
    page = "---\ntitle: About\n---\n<aside class=\"box\">Boxed <b>text</b></aside>\n\n[x](javascript:alert(1)) <script>go()</script>\n"
    root = write_site(tmp_path, {"site.yaml": "title: T\nbase_url: https://example.org/repo/\nallow_html: true\n",
                                 "content/pages/about.md": page})
    result = run_cli("build", "--config", str(root / "site.yaml"), "--out", str(root / "public"))
    assert result.returncode == 0, result.stderr
    text = (root / "public" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<aside class="box">Boxed <b>text</b></aside>' in text
    assert "<script>go()</script>" in text
    assert "javascript:" not in text
    assert "raw HTML" not in result.stdout + result.stderr
    assert "content/pages/about.md:6: warning: link to 'javascript:alert(1)' is not published" in result.stdout + result.stderr


@pytest.mark.parametrize("value, shown", [("maybe", "text 'maybe'"), ("[1]", "a list"), ("1", "the number 1")])
def test_allow_html_must_be_true_or_false(tmp_path, value, shown):
    root = write_site(tmp_path, {"site.yaml": f"title: T\nbase_url: https://example.org/repo/\nallow_html: {value}\n"})
    result = run_cli("check", "--config", str(root / "site.yaml"))
    assert result.returncode == 1
    assert f"site.yaml:3: error: 'allow_html' must be true or false, got {shown}" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_changing_allow_html_rebuilds_the_pages(tmp_path):
    """The cache must not serve the escaped page once raw HTML is allowed, nor back."""
    root = write_site(tmp_path, {"content/pages/about.md": "---\ntitle: About\n---\nHello <b>there</b>\n"})
    page = root / "public" / "about" / "index.html"
    build = lambda: run_cli("build", "--config", str(root / "site.yaml"), "--out", str(root / "public"), check=True)  # noqa: E731
    build()
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in page.read_text(encoding="utf-8")
    config = root / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "allow_html: true\n", encoding="utf-8")
    build()
    assert "Hello <b>there</b>" in page.read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("allow_html: true\n", ""), encoding="utf-8")
    build()
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in page.read_text(encoding="utf-8")


def test_ordinary_links_and_attribute_lists_are_kept():
    from generator.content.converter import Markup
    converter = Markup("/repo/")
    text = ("[a](https://example.org/x?a=1&b=2) [b](/timeline/) [c](#p-2) [d](mailto:x@example.org) "
            "<https://example.org/> <x@example.org> ![i](pic.png)\n\n## Heading {: #h .c }")
    out = converter.prose(text)
    assert 'href="https://example.org/x?a=1&amp;b=2"' in out and 'href="/repo/timeline/"' in out
    assert 'href="#p-2"' in out and 'href="mailto:x@example.org"' in out and 'src="pic.png"' in out
    assert '<h2 class="c" id="h">Heading</h2>' in out
    assert html.unescape(re.search(r'href="(&#109;[^"]*)"', out).group(1)) == "mailto:x@example.org"
    assert executable_markup(out) == []


def test_attribute_lists_cannot_add_event_handlers():
    from generator.content.converter import Markup, MarkupCheck
    text = "## Heading {: onclick=\"alert(1)\" onmouseover=x }\n\n[a](https://example.org/){: href=\"javascript:alert(1)\" }"
    for kind in ("prose", "article"):
        out = getattr(Markup("/repo/"), kind)(text)
        assert executable_markup(out) == [], out
    assert [line for line, _ in MarkupCheck().problems(text, "article")] == [1, 3]


_CONVERTED_ONCE = {
    "content/sources/one.md": ("---\nseed: one.txt\ntitle: One\npublished: 2024-01-02\n"
                               "summary: 'See: [the timeline](/timeline/).'\nnotes:\n  - quote: First paragraph\n"
                               "    body: '  Note: [the timeline](/timeline/), <b>bold</b>.  '\n---\n\n"
                               "Commentary: [the timeline](/timeline/).\n"),
}


def test_the_loaders_conversion_serves_the_pages(tmp_path, monkeypatch):
    """The loader converts a text to warn where publishing changes it; the
    pages use that conversion (with the base path) instead of making it again."""
    import markdown
    from generator.build import Builder
    converted: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: converted.append(text) or convert(self, text))
    root = write_site(tmp_path, _CONVERTED_ONCE)
    builder = Builder(root / "site.yaml", root / "public", cache=False, jobs=1)
    try:
        builder.rebuild()
    finally:
        builder.close()
    texts = ["See: [the timeline](/timeline/).", "Note: [the timeline](/timeline/), <b>bold</b>.",
             "Commentary: [the timeline](/timeline/)."]
    assert [converted.count(text) for text in texts] == [1, 1, 1]
    page = (root / "public" / "sources" / "one" / "index.html").read_text(encoding="utf-8")
    assert page.count('href="/repo/timeline/"') >= 3 and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_loaders_conversion_follows_the_base_path(tmp_path):
    """A cached loading step holds its Markdown converted with the base path:
    another base path loads again."""
    root = write_site(tmp_path, _CONVERTED_ONCE)
    page = root / "public" / "sources" / "one" / "index.html"
    for path in ("repo", "other"):
        run_cli("build", "--config", str(root / "site.yaml"), "--out", str(root / "public"),
                "--base-url", f"https://example.org/{path}/", check=True)
        assert page.read_text(encoding="utf-8").count(f'href="/{path}/timeline/"') >= 3
