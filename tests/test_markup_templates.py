"""The article's markup is the theme's: a site's own ``templates/_markup.html``
restyles the notes, marks, back-links and "cited by" lines of its source
pages (HTML and Markdown) and the excerpts of its actor pages, and the search
index follows the classes it gives them. Also the preview's error page, the
named links and the ``url`` filter, which templates use instead of indices
and concatenation."""

from __future__ import annotations

from pathlib import Path

from generator.serve import error_page
from generator.render.templating import THEME_DIR
from tests.conftest import copy_fixture, run_cli
from tests.test_search_index import indexed

THEME_MARKUP = (THEME_DIR / "_markup.html").read_text(encoding="utf-8")


def _override(site: Path, name: str, text: str) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / name).write_text(text, encoding="utf-8")


def _restyled(markup: str) -> str:
    """The theme's macros with other elements and classes for the apparatus and the notes."""
    replacements = [
        ('<a class="note-ref" href="#{{ note.anchor }}-text"', '<sup class="fn-ref"><a href="#{{ note.anchor }}-text"'),
        ('[{{ note.number }}]</a>{% endmacro %}', '{{ note.number }}</a></sup>{% endmacro %}'),
        ('<div class="note note--{{ note.kind }}" id="{{ note.anchor }}-text">{{ caller() }}</div>',
         '<section class="remark remark--{{ note.kind }}" id="{{ note.anchor }}-text">{{ caller() }}</section>'),
        ('<p class="cited-by">', '<p class="quoted-in">'),
        ('<a class="backlink"', '<a class="to-event"'),
        ('<a class="pilcrow"', '<a class="para-number"'),
        ('<mark class="note-mark note-mark--{{ note.kind }}"', '<mark class="annotated annotated--{{ note.kind }}"'),
        ('{% macro excerpt_mark() %}<mark>', '{% macro excerpt_mark() %}<mark class="named">'),
    ]
    for old, new in replacements:
        assert old in markup, old
        markup = markup.replace(old, new)
    return markup


def test_a_site_markup_file_restyles_its_articles_and_the_index_follows(tmp_path, built_full):
    site = copy_fixture("full", tmp_path)
    _override(site, "_markup.html", _restyled(THEME_MARKUP))
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)

    page = (out / "sources" / "port-deal" / "index.html").read_text(encoding="utf-8")
    assert '<section class="remark remark--' in page and 'class="note note--' not in page
    assert '<sup class="fn-ref"><a href="#note-1-text"' in page and 'class="note-ref"' not in page
    assert 'class="quoted-in"' in page and 'class="cited-by"' not in page
    assert 'class="to-event"' in page and 'class="para-number"' in page
    assert '<mark class="annotated annotated--' in page and "note-mark" not in page
    markdown = (out / "sources" / "port-deal" / "index.md").read_text(encoding="utf-8")
    assert '<section class="remark remark--' in markdown and 'markdown="1"' in markdown
    assert '<sup class="fn-ref">' in markdown
    actor = (out / "actors" / "ana-ruiz" / "index.html").read_text(encoding="utf-8")
    assert '<mark class="named">' in actor and "<mark>" not in actor

    # The renamed apparatus stays out of the search index: it holds what the theme's markup gives.
    assert indexed(out)["/sources/port-deal/"]["content"] == indexed(built_full)["/sources/port-deal/"]["content"]


def test_the_index_leaves_out_what_a_theme_marks_data_pagefind_ignore(tmp_path):
    site = copy_fixture("full", tmp_path)
    markup = THEME_MARKUP.replace('<p class="cited-by">', '<p data-pagefind-ignore>')
    markup = markup.replace('<span class="cited-by__label">', '<span>')
    _override(site, "_markup.html", markup)
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    assert '<p data-pagefind-ignore><span>Cited by:</span>' in (out / "sources" / "port-deal" / "index.html").read_text()
    assert "Cited by" not in indexed(out)["/sources/port-deal/"]["content"]


def test_markup_the_index_cannot_leave_out_stops_the_build(tmp_path):
    site = copy_fixture("full", tmp_path)
    _override(site, "_markup.html", THEME_MARKUP.replace('<a class="note-ref" href', '<a href'))
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "templates/_markup.html: error: macro note_ref: its outer element needs a class" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_broken_markup_macros_are_reported_with_file_and_line(tmp_path):
    site = copy_fixture("full", tmp_path)
    cases = {
        "missing": (THEME_MARKUP.replace("{% macro pilcrow(number) %}", "{% macro pilcrow_(number) %}"),
                    "templates/_markup.html: error: missing macro: pilcrow"),
        "no caller": (THEME_MARKUP.replace("{{ caller() }}</mark>{% endmacro %}\n\n{% macro note_ref",
                                           "</mark>{% endmacro %}\n\n{% macro note_ref"),
                      "templates/_markup.html: error: in macro note_mark: TypeError"),
        "undefined": (THEME_MARKUP.replace("{{ note.kind_label | html_attr }} {{ note.number }}</a></p>",
                                           "{{ note.no_such_field }}</a></p>"),
                      "templates/_markup.html:23: error: in macro note_label:"),
        "syntax": (THEME_MARKUP.replace("{% endmacro %}\n\n{% macro notes()", "{% endmacr %}\n\n{% macro notes()"),
                   "templates/_markup.html:33: error: template syntax error"),
    }
    for name, (markup, message) in cases.items():
        _override(site, "_markup.html", markup)
        for command in (["build", "--out", str(tmp_path / "out")], ["check"]):
            result = run_cli(*command, "--config", str(site / "site.yaml"))
            assert result.returncode == 1, (name, command, result.stderr)
            assert message in result.stderr, (name, command, result.stderr)
            assert "Traceback" not in result.stderr, (name, result.stderr)


def test_the_preview_error_page_is_the_site_template_or_else_the_theme(tmp_path):
    lines = ("content/x.md:3: error: quote not found: \"<b>\"",)
    _override(tmp_path, "_preview_error.html",
              "<html><head></head><body>{% for p in problems %}<p class=\"{{ p.severity }}\">{{ p.text }}</p>"
              "{% endfor %}</body></html>\n")
    page = error_page(lines, tmp_path / "templates")
    assert page == '<html><head></head><body><p class="error">content/x.md:3: error: quote not found: &#34;&lt;b&gt;&#34;</p></body></html>\n'
    _override(tmp_path, "_preview_error.html", "{% for p in problems %}")  # broken: the theme's page is shown
    assert error_page(lines, tmp_path / "templates") == error_page(lines)
    assert "<h1>Build failed</h1>" in error_page(lines) and "&quot;&lt;b&gt;&quot;" in error_page(lines)


def test_templates_have_named_links_and_a_url_filter(tmp_path):
    site = copy_fixture("full", tmp_path)
    _override(site, "page.html", '{% extends "base.html" %}\n{% block main %}'
              '<p id="t">{{ links.timeline }} {{ links.actors }} {{ links.sources }} {{ links.search }} {{ links.home }}</p>'
              '<p id="u">{{ "data/events.csv" | url }} {{ "sources/port-deal/#p-2" | url(absolute=true) }}</p>'
              '{% endblock %}\n')
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), "--base-url", "https://example.org/repo/",
            check=True)
    page = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert '<p id="t">/repo/timeline/ /repo/actors/ /repo/sources/ /repo/search/ /repo/</p>' in page
    assert '<p id="u">/repo/data/events.csv https://example.org/repo/sources/port-deal/#p-2</p>' in page
