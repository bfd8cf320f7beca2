"""What in an HTML document could run: the judge of the safety tests and
the fuzz gate (annotators' Markdown publishes nothing executable unless the
site sets allow_html). It reads elements and attributes as a browser does
(character references decoded), not by searching the text."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Elements(HTMLParser):
    """Every start tag with its attributes (references decoded, as a browser
    does), and the text inside script elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list]] = []
        self.script_text = ""
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self.in_script = tag == "script" and not is_data_block(tag, dict(attrs))

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.script_text += data


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite")
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):")
SITE_SCRIPTS = re.compile(r"^/[^:]*/?(assets/(search|timeline)\.js|search/pagefind/pagefind-ui\.js)$")


def is_data_block(tag: str, values: dict) -> bool:
    """A ``<script type="application/ld+json">`` without ``src`` (the source
    pages' schema.org metadata) is a data block, which browsers never run.
    Where it ends is the parser's business: text that closed it early would
    open another element, judged on its own."""
    return tag == "script" and "src" not in values and (values.get("type") or "").strip().lower() == "application/ld+json"


def what_runs(document: str) -> list[str]:
    """Executable markup in an HTML document: a script other than the site's
    own files, an iframe/object/embed, an on* attribute, a javascript:,
    vbscript: or data: URL (read as a browser reads it)."""
    parser = _Elements()
    parser.feed(document)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        values = dict(attrs)
        if tag == "script" and not SITE_SCRIPTS.match(values.get("src") or "") and not is_data_block(tag, values):
            found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "frame", "base"):
            found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            url = re.sub("[\t\n\r]", "", value or "").lstrip("".join(map(chr, range(33)))).lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES and BAD_SCHEME.match(url):
                found.append(f"<{tag} {name}={value!r}>")
    if parser.script_text.strip():
        found.append("an inline script")
    return found
