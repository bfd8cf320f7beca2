"""The article's markup, from the theme's ``_markup.html`` macros.

A source page's article is marked up inline: mentions, notes and the
passages events quote are wrapped, note numbers and back-links inserted,
notes and "cited by" lines set beside their paragraph. That markup is the
theme's, like every page (a site's own ``templates/_markup.html`` replaces
the theme's); this module only asks the macros for it and hands their
strings to ``article``, which places them. The macros receive
data, raw; they escape it (``html_attr``, ``html_text``: see templating).

A macro that wraps text (a mark, a link, a note's block) calls
``caller()`` once: it is called with a stand-in there and its output cut
in two, the opening and the closing markup. Tens of thousands of marks are
made per build, so each call is made once per distinct argument set where
those repeat (a mention's link per actor, a paragraph number's link per
number; ``_memo``); a note's or an event's own markup is made once anyway.

Search: the markup that is not text to find (paragraph and note numbers,
back-links, "cited by" lines, links to the original) must be left out of
the index. Its selectors are read from what the macros make (the classes of
their outer element; none is needed when it has ``data-pagefind-ignore``),
so a theme that renames a class moves the exclusion with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
import re

from markupsafe import Markup

from .templating import Renderer, TemplateProblem

TEMPLATE = "_markup.html"
WRAPPING = ("mention", "note_mark", "note", "evidence_mark", "notes", "excerpt_mark")
INSERTED = ("note_ref", "note_label", "note_should_read", "backlink", "cited_by", "pilcrow", "original_link")
NOT_TEXT = ("pilcrow", "note_ref", "backlink", "cited_by", "original_link")  # left out of the search index
_HOLE = "\x00"  # what ``caller()`` returns while a wrapping macro is cut in two
_CLASS_NAME = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*\Z")


@dataclass(frozen=True)
class Wrap:
    open: str
    close: str


def _hole() -> Markup:
    return Markup(_HOLE)


class Tags:
    """The macros of one build's ``_markup.html`` (interface strings ``t``
    and the site's ``language`` in their context), with a memo."""

    def __init__(self, renderer: Renderer, strings: dict, language: str):
        self.renderer = renderer
        self.module = renderer.module(TEMPLATE, {"t": strings, "language": language})
        self.macros = {name: getattr(self.module, name, None) for name in WRAPPING + INSERTED}
        missing = [name for name, macro in self.macros.items() if not callable(macro)]
        if missing:
            raise TemplateProblem(f"templates/{TEMPLATE}", None, f"missing macro{'s' * (len(missing) > 1)}: "
                                  + ", ".join(missing))
        self._memo: dict[tuple, object] = {}
        self.search_exclude = self._search_exclude()

    def _call(self, name: str, *args) -> str:
        return str(self.renderer.call(self.macros[name], TEMPLATE, f"in macro {name}", *args))

    def _wrap(self, name: str, *args) -> Wrap:
        made = str(self.renderer.call(self.macros[name], TEMPLATE, f"in macro {name}", *args, caller=_hole))
        if made.count(_HOLE) != 1:
            raise TemplateProblem(f"templates/{TEMPLATE}", None, f"macro {name} must call caller() once")
        opening, closing = made.split(_HOLE)
        return Wrap(opening, closing)

    def _memo_call(self, name: str, key, make):
        value = self._memo.get((name, key))
        if value is None:
            value = self._memo[(name, key)] = make()
        return value

    # -- the article ---------------------------------------------------------

    def mention(self, actor: dict) -> Wrap:
        """``actor``: {id, name, href, spurious, status_note}."""
        key = (actor["id"], actor["href"], actor.get("spurious", False), actor.get("status_note", ""))
        return self._memo_call("mention", key, lambda: self._wrap("mention", actor))

    def note_mark(self, note: dict, first: bool) -> Wrap:
        """``note``: {kind, kind_label, number, anchor, should_read}; ``first``: its first passage."""
        return self._wrap("note_mark", note, first)

    def note_ref(self, note: dict) -> str:
        return self._call("note_ref", note)

    def note(self, note: dict) -> Wrap:
        return self._wrap("note", note)

    def note_label(self, note: dict) -> str:
        return self._call("note_label", note)

    def note_should_read(self, note: dict) -> str:
        return self._call("note_should_read", note)

    def evidence_mark(self, evidence: dict, event: dict, first: bool) -> Wrap:
        """``evidence``: {anchor}; ``event``: {id, title, date, href}."""
        return self._wrap("evidence_mark", evidence, event, first)

    def backlink(self, evidence: dict, event: dict) -> str:
        return self._call("backlink", evidence, event)

    def cited_by(self, evidence: dict, event: dict) -> str:
        return self._call("cited_by", evidence, event)

    def pilcrow(self, number: int) -> str:
        return self._memo_call("pilcrow", number, lambda: self._call("pilcrow", number))

    def notes(self) -> Wrap:
        return self._memo_call("notes", None, lambda: self._wrap("notes"))

    def original_link(self, href: str) -> str:
        return self._call("original_link", href)

    # -- elsewhere -----------------------------------------------------------

    def excerpt_mark(self) -> Wrap:
        """The mention in an excerpt on an actor's page."""
        return self._memo_call("excerpt_mark", None, lambda: self._wrap("excerpt_mark"))

    def _search_exclude(self) -> tuple[str, ...]:
        """The selectors of the markup that is not text to find, from the
        macros' own output with sample data (each macro's outer element)."""
        note = {"kind": "note", "kind_label": "Note", "number": 1, "anchor": "note-1", "should_read": "x"}
        evidence, event = {"anchor": "ev-x"}, {"id": "x", "title": "X", "date": "2000", "href": "/x/"}
        samples = {"pilcrow": lambda: self.pilcrow(1), "note_ref": lambda: self.note_ref(note),
                   "backlink": lambda: self.backlink(evidence, event), "cited_by": lambda: self.cited_by(evidence, event),
                   "original_link": lambda: self.original_link("https://example.org/")}
        selectors: list[str] = []
        for name in NOT_TEXT:
            tag, attrs = _outer_element(samples[name]())
            if tag is None:
                raise TemplateProblem(f"templates/{TEMPLATE}", None, f"macro {name} must make one element "
                                      "(it is left out of the search index by its class)")
            if "data-pagefind-ignore" in attrs:
                continue
            classes = (attrs.get("class") or "").split()
            if not classes or not all(_CLASS_NAME.match(c) for c in classes):
                raise TemplateProblem(f"templates/{TEMPLATE}", None, f"macro {name}: its outer element needs a class "
                                      "(or data-pagefind-ignore) to be left out of the search index")
            selector = "." + ".".join(classes)
            if selector not in selectors:
                selectors.append(selector)
        return tuple(selectors)


class _FirstTag(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        if self.found is None:
            self.found = (tag, {name: value for name, value in attrs})


def _outer_element(markup: str) -> tuple[str | None, dict]:
    """The tag and attributes of the element ``markup`` opens with."""
    if not markup.lstrip().startswith("<"):
        return None, {}
    parser = _FirstTag()
    parser.feed(markup)
    parser.close()
    return parser.found if parser.found is not None else (None, {})
