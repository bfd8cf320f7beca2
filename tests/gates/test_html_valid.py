"""Gate: every page the generator built passes the Nu HTML Checker with zero
errors, and so does every stylesheet it copied.

One vnu run checks every page and stylesheet of every site (one Java start,
a few seconds); the messages are shown per file and line when it fails.
"""

from __future__ import annotations

import json

import pytest

from .conftest import SITE_NAMES, VNU_JAR, require_tool, run_java

pytestmark = pytest.mark.html


def vnu(*paths) -> list[dict]:
    """The checker's error messages for ``paths`` (files or folders: their
    HTML and CSS files; the Markdown, JSON and XML files are skipped)."""
    jar = require_tool(VNU_JAR, "the Nu HTML Checker (npm vnu-jar)")
    args = ["-jar", str(jar), "--errors-only", "--format", "json", "--stdout", "--exit-zero-always",
            "--also-check-css", "--skip-non-html"]
    result = run_java(args + [str(p) for p in paths])
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not report (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"]


def describe(messages: list[dict], root) -> str:
    lines = []
    for m in messages:
        where = m.get("url", "").replace(f"file:{root}/", "")
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')}\n    {m.get('extract', '').strip()}")
    return "\n".join(lines)


def test_every_built_page_and_stylesheet_is_valid(built_sites):
    pages = built_sites.pages()
    assert {p.site for p in pages} == set(SITE_NAMES)
    assert {p.kind for p in pages} >= {"home", "timeline", "actors", "actor", "sources", "source", "page", "404"}
    assert any(built_sites.root.rglob("*.css"))
    messages = vnu(*(built_sites.folder(name) for name in SITE_NAMES))
    assert not messages, f"{len(messages)} HTML/CSS errors:\n" + describe(messages, built_sites.root)


def test_the_checker_catches_invalid_markup_and_css(tmp_path):
    """The gate can fail: misnested elements and an unknown CSS property are
    reported, in the same mode the gate runs in (folders, CSS included)."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        "<body><p><div>block in a paragraph</p><a href=\"#\"><a href=\"#\">nested</a></a></body></html>",
        encoding="utf-8")
    (tmp_path / "bad.css").write_text("p { colr: red; }\n", encoding="utf-8")
    (tmp_path / "ignored.json").write_text("{}", encoding="utf-8")
    messages = vnu(tmp_path)
    files = {m["url"].rsplit("/", 1)[-1] for m in messages}
    assert files == {"bad.html", "bad.css"}
    assert any("colr" in m["message"] for m in messages)
