"""Markdown -> HTML. The only module that imports ``markdown``.

Two configured converters: a full one for what annotators write
(commentary, summaries, descriptions, free pages) and a minimal one for the
generated article Markdown, whose seed text is escaped so that it can only
ever render as text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .markdown_safety import (MAX_MARKS_IN_ALL, MAX_MARKS_PER_TEXT, MAX_MARKS_TIMES_LENGTH, MAX_UNCLOSED_TAGS,
                              LinearTimeExtension, SafetyExtension, count_marks)

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


def _converter(kind: str, base_path: str, allow_html: bool) -> tuple[markdown.Markdown, SafetyExtension]:
    """A converter for annotators' Markdown ("prose") or note bodies ("article"),
    with the safety rules (markdown_safety) registered last, over the others."""
    safety = SafetyExtension(allow_html)
    extensions = ["extra", "sane_lists"] if kind == "prose" else ["attr_list", "md_in_html"]
    md = markdown.Markdown(extensions=[*extensions, _BasePathExtension(base_path), safety, LinearTimeExtension()],
                           output_format="html")
    return md, safety


class Markup:
    def __init__(self, base_path: str, allow_html: bool = False):
        self._prose = _converter("prose", base_path, allow_html)[0]
        self._article = _converter("article", base_path, allow_html)[0]
        self.base_path = base_path
        self.allow_html = allow_html
        self._prose_cache: dict[str, str] = {}
        self._article_cache: dict[str, str] = {}

    def memo(self, kind: str) -> dict[str, str]:
        """The conversions made so far ("prose" or "article"): text -> HTML.
        A parallel build fills it before the pages are made."""
        return self._prose_cache if kind == "prose" else self._article_cache

    def prose(self, text: str) -> str:
        """Annotator-written Markdown -> HTML, made safe (markdown_safety). The
        same text (an event summary shown on several pages) is converted once."""
        return _converted(self._prose, self._prose_cache, text)

    def article(self, text: str) -> str:
        """Markdown as the generated article's converter renders it (note bodies)."""
        return _converted(self._article, self._article_cache, text)

    def remember(self, converted: dict[tuple[str, str], str]) -> None:
        """Conversions the loader made (``MarkupCheck.converted``): not made again."""
        for (kind, text), html in converted.items():
            self.memo(kind)[text] = html


# Where annotators' Markdown can hold something the safety rules change: a
# '<' (raw HTML, autolinks), '{' (attribute lists), '&' (a scheme written
# with character references) or a ':' after anything but http, https or
# mailto (a scheme). Other texts need no checking conversion.
_MAYBE_UNSAFE = re.compile(r"[<{&]|([A-Za-z0-9+.\-]*)[\x00-\x20]*:")
_PUBLISHED_AS = {
    "html": "raw HTML {what} {where}is shown as text (set allow_html: true in site.yaml to publish it)",
    "link": "link to {what} {where}is not published, its text is (only http(s), mailto and relative links are)",
    "image": "image source {what} {where}is not published (only http(s) and relative sources are)",
    "attribute": "attribute {what} {where}is not published (event handler attributes run scripts)",
    "dense": ("text {what} {where}holds too many Markdown marks (" + f"more than {MAX_MARKS_PER_TEXT:,} in a paragraph, "
              f"{MAX_MARKS_IN_ALL:,} in all, or a very long paragraph full of them" + "): it is published as plain text"),
    "unclosed": "more than " + f"{MAX_UNCLOSED_TAGS:,}" + " '<' {where}start no complete tag: every '<' of the text is shown as text",
}


def _dense(text: str) -> bool:
    """Might some paragraph of ``text`` be published as plain text (markdown_safety)?"""
    marks = count_marks(text)
    return marks > MAX_MARKS_PER_TEXT or marks * len(text) > MAX_MARKS_TIMES_LENGTH


class MarkupCheck:
    """What the safety rules change in a text, for warnings where it is
    written (the loader knows the lines; the converter does not).

    The conversion made to find out is the page's own (the converter
    ``Markup`` uses, with the site's base path): its HTML is kept in
    ``converted`` ((kind, text) -> HTML), returned with the loading step's
    result and given to the ``Markup`` of the pages (``Markup.remember``), so
    that a text is converted once per build. A step takes a ``fresh()``
    check, whose record holds its own conversions only."""

    def __init__(self, allow_html: bool = False, base_path: str = "/", converters: dict | None = None):
        self.allow_html = allow_html
        self.base_path = base_path
        self._converters: dict[str, tuple] = converters if converters is not None else {}
        self.converted: dict[tuple[str, str], str] = {}

    def fresh(self) -> MarkupCheck:
        """A check sharing this one's converters, with an empty ``converted``."""
        return MarkupCheck(self.allow_html, self.base_path, self._converters)

    def problems(self, text: str, kind: str = "prose", key: str | None = None) -> list[tuple[int, str]]:
        """``(line of text from 1, message)`` for each change, in order of lines.
        ``text`` as the page converts it (as the model holds it: stripped),
        so that the HTML kept serves the page."""
        if not any(m.group(1) is None or m.group(1).lower() not in ("http", "https", "mailto")
                   for m in _MAYBE_UNSAFE.finditer(text)) and not _dense(text):
            return []
        if kind not in self._converters:
            self._converters[kind] = _converter(kind, self.base_path, self.allow_html)
        md, safety = self._converters[kind]
        self.converted[(kind, text)] = md.reset().convert(text)
        where = f"in '{key}' " if key else ""
        found: dict[tuple[int, str], list] = {}  # (line, kind) -> [position, first thing shown, count]
        searched_from: dict[str, int] = {}
        for what, shown, needle in safety.findings:
            needle = needle.split("\n", 1)[0]
            at = -1
            # A target as a link writes it first (not the same text elsewhere, e.g. in a tag shown as text).
            for candidate in ([f"]({needle}", f"](<{needle}", f"]: {needle}", f"<{needle}", needle]
                              if what in ("link", "image") else [needle]) if needle else ():
                at = text.find(candidate, searched_from.get(candidate, 0))
                if at >= 0:
                    searched_from[candidate] = at + 1
                    break
            line = text.count("\n", 0, at) + 1 if at >= 0 else 1
            entry = found.setdefault((line, what), [at, shown, 0])
            entry[2] += 1
            if 0 <= at < entry[0]:
                entry[0], entry[1] = at, shown
        messages = []
        for (line, what), (at, shown, count) in sorted(found.items(), key=lambda item: (item[0][0], item[1][0])):
            shown = repr(shown if len(shown) <= 60 else shown[:57] + "...")
            if count > 1:
                shown += f" (and {count - 1} more on this line)"
            messages.append((line, _PUBLISHED_AS[what].format(what=shown, where=where)))
        return messages




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


def _converted(md: markdown.Markdown, cache: dict[str, str], text: str) -> str:
    """``text`` converted by ``md``, once per distinct text (kept in ``cache``)."""
    if not text:
        return ""
    html = cache.get(text)
    if html is None:
        html = cache[text] = md.reset().convert(text)
    return html
