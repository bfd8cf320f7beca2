"""Python-Markdown extensions that make annotators' Markdown safe to publish.

Annotations may come from contributors (pull requests), so what they write
must not run in a reader's browser. ``SafetyExtension``, through Python-
Markdown's own extension points:

- without ``allow_html`` (the default), raw HTML is shown as text: the
  ``html_block`` preprocessor is removed and the inline ``html`` pattern is
  replaced by one that stores the tag escaped;
- always, what Markdown syntax itself makes (links, images, reference links,
  autolinks, ``{: attribute lists }``) is checked in the tree: a link or
  image target that is not http(s), mailto or relative is dropped (the text
  is kept) and ``on*`` attributes are removed. Raw HTML that a site allows is
  published as written: it is the site's opt-in.

Each change is recorded in ``findings`` (kind, what, text to look for in the
source), so that loading can warn at the right line.

``LinearTimeExtension`` bounds Python-Markdown's bracket scanning (a run of
``[`` or ``[a](`` made it quadratic: 20,000 of them took minutes).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor, LinkInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_IN_URL = re.compile("[\t\n\r]")  # browsers remove these anywhere in a URL
_STX_ESCAPE = re.compile(f"{util.STX}([0-9]+){util.ETX}")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "background", "xlink:href", "data")


def unsafe_url(value: str) -> bool:
    """Does this attribute value, as a browser reads it, have a scheme other
    than http(s) or mailto (``javascript:``, ``vbscript:``, ``data:``...)?

    Decoded as the browser does: character references (``jav&#x61;script:``),
    tabs and newlines anywhere, leading controls and spaces."""
    value = _STX_ESCAPE.sub(lambda m: chr(int(m.group(1))), value.replace(util.AMP_SUBSTITUTE, "&"))
    value = _IGNORED_IN_URL.sub("", html.unescape(value)).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                                                 "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                                                 "\x1a\x1b\x1c\x1d\x1e\x1f ")
    scheme = _SCHEME.match(value)
    return scheme is not None and scheme.group(1).lower() not in SAFE_SCHEMES


class _EscapedHtml(HtmlInlineProcessor):
    """Raw inline HTML (and, without the block preprocessor, block HTML too)
    stored escaped: the reader sees the tag as text."""

    def __init__(self, pattern: str, md, findings: list):
        super().__init__(pattern, md)
        self.findings = findings

    def handleMatch(self, m, data):
        raw = self.backslash_unescape(self.unescape(m.group(1)))
        self.findings.append(("html", raw, raw))
        return self.md.htmlStash.store(html.escape(raw, quote=False)), m.start(0), m.end(0)


class _CheckedTree(Treeprocessor):
    """Drop unsafe link and image targets and event-handler attributes from
    the elements Markdown made (raw HTML is not in the tree)."""

    def __init__(self, md, findings: list):
        super().__init__(md)
        self.findings = findings

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name, value in list(element.items()):
                lowered = name.lower()
                if lowered.startswith("on"):
                    del element.attrib[name]
                    self.findings.append(("attribute", name, name))
                elif lowered in _URL_ATTRIBUTES and value and unsafe_url(value):
                    del element.attrib[name]
                    shown = value.replace(util.AMP_SUBSTITUTE, "&")
                    self.findings.append(("image" if element.tag == "img" else "link", shown, shown))


MAX_UNCLOSED_TAGS = 1_000


class _UnclosedTags(Preprocessor):
    """With raw HTML allowed: Python's HTML parser, which Python-Markdown's
    ``html_block`` uses, looks to the end of the text for the end of every
    '<' tag that has none (20,000 '<a' took minutes). A text with that many
    is not HTML: all its '<' are shown as text."""

    def __init__(self, md, findings: list):
        super().__init__(md)
        self.findings = findings

    def run(self, lines: list[str]) -> list[str]:
        pieces = "\n".join(lines).split("<")
        if sum(1 for piece in pieces[1:] if ">" not in piece) <= MAX_UNCLOSED_TAGS:
            return lines
        self.findings.append(("unclosed", "<", "<"))
        return [line.replace("<", "&lt;") for line in lines]


class SafetyExtension(Extension):
    """See the module's docstring. ``findings`` is emptied by ``Markdown.reset``."""

    def __init__(self, allow_html: bool = False):
        super().__init__()
        self.allow_html = allow_html
        self.findings: list[tuple[str, str, str]] = []

    def reset(self) -> None:
        self.findings.clear()

    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        if not self.allow_html:
            if "html_block" in md.preprocessors:
                md.preprocessors.deregister("html_block")
            md.inlinePatterns.register(_EscapedHtml(HTML_RE, md, self.findings), "html", 90)
        elif "html_block" in md.preprocessors:
            md.preprocessors.register(_UnclosedTags(md, self.findings), "unclosed_tags", 25)
        # After attr_list (8) and the unescaping of backslash escapes (0).
        md.treeprocessors.register(_CheckedTree(md, self.findings), "checked_tree", -1)


# -- linear time ----------------------------------------------------------

SCAN_BUDGET_BASE = 100_000  # characters any text may have scanned for link brackets...
SCAN_BUDGET_PER_CHAR = 8  # ...plus this many per character of the text


class _Budget:
    left = 0


class _BudgetReset(Preprocessor):
    def __init__(self, md, budget: _Budget):
        super().__init__(md)
        self.budget = budget

    def run(self, lines: list[str]) -> list[str]:
        self.budget.left = SCAN_BUDGET_BASE + SCAN_BUDGET_PER_CHAR * sum(len(line) + 1 for line in lines)
        return lines


class _BudgetedScans:
    """Mixed into Python-Markdown's link processors: their scans for the
    closing ``]`` and ``)`` go to the end of the paragraph when there is
    none, once per opening bracket (quadratic). All scans of one text share
    a budget linear in its size; once spent, brackets are plain text. Real
    text uses a small part of it (a link's scan stops at its own end)."""

    budget: _Budget

    def _bounded(self, scan, data: str, index: int):
        left = self.budget.left
        if left <= 0:
            return None
        if len(data) - index > left:
            data = data[:index + left]
        return scan(data, index)

    def getText(self, data: str, index: int):
        result = self._bounded(super().getText, data, index)
        if result is None:
            return "", index, False
        self.budget.left -= result[1] - index
        return result

    def getLink(self, data: str, index: int):
        result = self._bounded(super().getLink, data, index)
        if result is None:
            return "", None, index, False
        self.budget.left -= max(result[2] - index, 1)
        return result


# Python-Markdown's inline processing rebuilds a paragraph's text at each
# match and finds each new element's place among its siblings by a linear
# search: a paragraph with thousands of marks (20,000 '*a*', '<a>', '\\*',
# links...) took seconds, quadratically more with more. Such a text is
# published as plain text (escaped); real paragraphs hold far fewer marks.
MARKS = "\\`*_[]!<&"  # the characters an inline match can start with (and ']', '!' of links)
MAX_MARKS_PER_TEXT = 2_000
MAX_MARKS_TIMES_LENGTH = 200_000_000  # marks x characters in one text
MAX_MARKS_IN_ALL = 20_000  # in all the texts of one conversion (their elements are queued together)


def count_marks(text: str) -> int:
    """How many inline matches ``text`` could hold at most (and two spaces
    before a line end: a line break)."""
    return sum(text.count(char) for char in MARKS) + text.count("  \n")


class _PlainWhenDense(Treeprocessor):
    """Runs before the inline patterns: a text too dense in marks becomes an
    ``AtomicString`` (no inline processing: shown as it is written)."""

    def __init__(self, md, findings: list):
        super().__init__(md)
        self.findings = findings

    def run(self, root: etree.Element) -> None:
        total = 0
        for element in root.iter():
            for attribute in ("text", "tail"):
                text = getattr(element, attribute)
                if not text or isinstance(text, util.AtomicString):
                    continue
                marks = count_marks(text)
                total += marks
                if marks > MAX_MARKS_PER_TEXT or marks * len(text) > MAX_MARKS_TIMES_LENGTH or total > MAX_MARKS_IN_ALL:
                    setattr(element, attribute, util.AtomicString(text))
                    start = text.lstrip()[:40]
                    self.findings.append(("dense", start, start))


# A footnote reference's id is short; unbounded, the pattern's search ran to
# the end of the paragraph from every '[^' with no ']' after it.
BOUNDED_FOOTNOTE_RE = r"\[\^([^\]]{0,1000})\]"


class LinearTimeExtension(Extension):
    """Registers budgeted versions of every link processor (links, images,
    references) under their own names and priorities, and a footnote
    reference pattern of bounded length."""

    def extendMarkdown(self, md) -> None:
        budget = _Budget()
        md.preprocessors.register(_BudgetReset(md, budget), "scan_budget", 100)
        safety = next((e for e in md.registeredExtensions if isinstance(e, SafetyExtension)), None)
        md.treeprocessors.register(_PlainWhenDense(md, safety.findings if safety else []), "plain_when_dense", 21)
        priorities = {item.name: item.priority for item in md.inlinePatterns._priority}
        if "footnote" in md.inlinePatterns:
            footnote = md.inlinePatterns["footnote"]
            md.inlinePatterns.register(type(footnote)(BOUNDED_FOOTNOTE_RE, footnote.footnotes), "footnote",
                                       priorities["footnote"])
        for name, processor in list(zip(md.inlinePatterns._data.keys(), md.inlinePatterns._data.values())):
            if isinstance(processor, LinkInlineProcessor):
                kind = type(processor)
                guarded = type(f"Budgeted{kind.__name__}", (_BudgetedScans, kind), {})(processor.pattern, md)
                guarded.budget = budget
                md.inlinePatterns.register(guarded, name, priorities[name])
