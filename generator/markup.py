"""Markdown -> HTML. The only module that imports ``markdown``.

Two configured converters: a full one for what annotators write
(commentary, summaries, descriptions, free pages) and a minimal one for the
generated article Markdown, whose seed text is escaped so that it can only
ever render as text.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Python-Markdown parses nested lists and quotes recursively: a list nested a
# few hundred levels deep (by indentation) exhausted Python's stack and the
# build ended in a RecursionError traceback. No real text comes near this.
MAX_NESTING_COLUMNS = 200  # indentation and '>' markers before a line's text: 50 list levels


def nesting_problem(text: str) -> tuple[int, str] | None:
    """``(line from 1, message)`` for the first line of ``text`` nested too
    deeply for the Markdown converter, or None."""
    for number, line in enumerate(text.split("\n"), start=1):
        expanded = line.expandtabs(4)
        if len(expanded) - len(expanded.lstrip(" >")) > MAX_NESTING_COLUMNS:
            return number, (f"Markdown nested too deeply: more than {MAX_NESTING_COLUMNS} columns of indentation "
                            "or '>' before the text of a line")
    return None


_ESCAPED = "`*_{}[]()#+-.!"  # and the backslash itself, first


def escape_markdown(text: str) -> str:
    """Text -> Markdown source that renders as exactly that text (untrusted seed text).

    A backslash before each of ``\\`*_{}[]()#+-.!`` and entities for ``&<>``.
    Written as ``str.replace`` calls, skipped when the character is absent:
    three times faster than a regular expression, on every seed paragraph."""
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in _ESCAPED:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


class _BasePathLinks(Treeprocessor):
    """Root-relative links written by annotators (``/timeline/``) get the site's base path."""

    def __init__(self, md, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value and value.startswith("/") and not value.startswith("//") and not value.startswith(self.base_path):
                    element.set(attribute, self.base_path + value[1:])


class _BasePathExtension(Extension):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_BasePathLinks(md, self.base_path), "base_path_links", 1)


class Markup:
    def __init__(self, base_path: str):
        self._prose = markdown.Markdown(
            extensions=["extra", "sane_lists", _BasePathExtension(base_path)],
            output_format="html",
        )
        self._article = markdown.Markdown(extensions=["attr_list", "md_in_html", _BasePathExtension(base_path)],
                                          output_format="html")
        self.base_path = base_path
        self._prose_cache: dict[str, str] = {}
        self._article_cache: dict[str, str] = {}

    def memo(self, kind: str) -> dict[str, str]:
        """The conversions made so far ("prose" or "article"): text -> HTML.
        A parallel build fills it before the pages are made."""
        return self._prose_cache if kind == "prose" else self._article_cache

    def prose(self, text: str) -> str:
        """Annotator-written Markdown (trusted) -> HTML. The same text (an
        event summary shown on several pages) is converted once."""
        if not text:
            return ""
        html = self._prose_cache.get(text)
        if html is None:
            html = self._prose_cache[text] = self._prose.reset().convert(text)
        return html

    def inline(self, text: str) -> str:
        """One-paragraph Markdown without its <p> wrapper."""
        result = self.prose(text)
        if result.startswith("<p>") and result.endswith("</p>") and result.count("<p>") == 1:
            return result[3:-4]
        return result

    def article(self, text: str) -> str:
        """Markdown as the generated article's converter renders it (note bodies)."""
        if not text:
            return ""
        html = self._article_cache.get(text)
        if html is None:
            html = self._article_cache[text] = self._article.reset().convert(text)
        return html


class _FirstParagraph(HTMLParser):
    """Collects the text of the first top-level ``<p>`` of converted Markdown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements around the parser's position
        self.inside: int | None = None  # depth of the paragraph being read
        self.parts: list[str] = []
        self.done = False

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if tag == "p" and self.depth == 0 and not self.done:
            self.inside = 0
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "p" and self.inside is not None and self.depth == 0:
            self.inside, self.done = None, True

    def handle_data(self, data):
        if self.inside is not None:
            self.parts.append(data)


_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def first_paragraph_text(converted: str) -> str:
    """The text of the first top-level paragraph of converted Markdown (not
    a heading, list, quote or table), as a reader sees it: for a meta
    description. Taken from the HTML, not by stripping characters from the
    Markdown: '*', '_', '#' and '>' in a sentence are kept, and an entity
    the author wrote as text (``&amp;lt;``) stays text."""
    parser = _FirstParagraph()
    for start in range(0, len(converted), 4096):  # a long commentary: stop at its first paragraph
        parser.feed(converted[start:start + 4096])
        if parser.done:
            break
    parser.close()
    return " ".join("".join(parser.parts).split())
