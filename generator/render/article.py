"""Stage one: a seed plus its annotation -> the source's Markdown page.

The page is front matter, the summary, the commentary and the article, its
paragraphs anchored ``#p-N``, with notes, corrections, event passages and
actor mentions marked inline. Seed text is escaped so that it renders only
as text; the marks are the only HTML in it. What each mark is comes from
the theme's ``_markup.html`` (``tags.Tags``); where it goes is decided
here. The HTML source page is rendered from these sections (stage two).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import yaml

try:  # libyaml's emitter: six times faster than PyYAML's, the same text (tested)
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper

from . import urls as paths
from ..content.dates import format_date
from .excerpts import Windows, text_fragment_url
from ..content.converter import escape_markdown
from ..content.model import Actor, Event, Mention, Source
from .tags import Tags
from .templating import THEME_DIR, Renderer
from .sanitize import markup_safe
from .urls import Urls


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    open: str  # tag that opens the span where it starts
    close: str
    cont: str  # tag that reopens it after an interruption (no id)
    rank: int  # nesting order for equal extents: lower is outer
    link: bool = False  # a link: nothing inserted may sit inside it


@dataclass(frozen=True)
class SourceMarkdown:
    front_matter: str
    summary: str
    commentary: str
    article: str
    title: str
    # The article as HTML: what Python-Markdown makes of ``article`` (a test
    # holds them equal), built from the same spans directly, because
    # converting thousands of generated articles is the slowest part of a
    # build (several milliseconds each) while writing them out is not.
    article_html: str = ""

    def text(self) -> str:
        parts = [f"---\n{self.front_matter}---\n", f"# {escape_markdown(self.title)}\n"]
        if self.summary:
            parts.append(f"## Summary\n\n{self.summary}\n")
        if self.commentary:
            parts.append(f"## Commentary\n\n{self.commentary}\n")
        parts.append(f"## Article\n\n{self.article}")
        # What the HTML page cannot hold (NUL, ESC... from the seed or the
        # commentary) is replaced here as there: the page is Markdown with HTML in it.
        return markup_safe("\n".join(parts))


def render_spans_each(text: str, spans: list[Span], inserts: dict[int, list[str]], escapes) -> list[str]:
    """Text with possibly overlapping spans -> properly nested markup, once
    for each of ``escapes`` (the nesting is worked out once).

    Spans are opened outermost first (earlier start, then longer, then rank);
    a span cut by another's end is closed and reopened with its ``cont`` tag.
    ``inserts`` put markup at a position, outside any open link.
    """
    if not spans and not inserts:
        return [escape(text) for escape in escapes]
    order = sorted((s for s in spans if s.start < s.end), key=lambda s: (s.start, -s.end, s.rank))
    position = {id(s): k for k, s in enumerate(order)}
    opening: dict[int, list[Span]] = {}
    for span in order:
        opening.setdefault(span.start, []).append(span)
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans), *inserts})
    out: list = []  # markup, or (start, end) of text
    stack: list[Span] = []
    active: list[Span] = []  # the spans over [here, nxt), kept as the sweep goes (not rescanned: linear time)
    for i, here in enumerate(bounds):
        nxt = bounds[i + 1] if i + 1 < len(bounds) else None
        if nxt is None:
            wanted = []
        else:
            active = [s for s in active if s.end >= nxt] + opening.get(here, [])
            active.sort(key=lambda s: position[id(s)])
            wanted = active
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        for span in reversed(stack[keep:]):
            out.append(span.close)
        stack = stack[:keep]
        if here in inserts:
            # Inserted links may not sit inside a link: close open links (and what they hold).
            cut = next((k for k, span in enumerate(stack) if span.link), len(stack))
            for span in reversed(stack[cut:]):
                out.append(span.close)
            stack = stack[:cut]
            out.extend(inserts[here])
        if nxt is None:
            break
        for span in wanted[len(stack):]:
            out.append(span.open if span.start == here else span.cont)
            stack.append(span)
        out.append((here, nxt))  # text: escaped below
    for span in reversed(stack):
        out.append(span.close)
    return ["".join(part if part.__class__ is str else escape(text[part[0]:part[1]]) for part in out)
            for escape in escapes]


def _render_windows(text: str, windows_of: list[tuple[int, int]], spans_of: list[Span], inserts_of: dict[int, list[str]],
                    original_url: str, tags: Tags, escapes=(None,)) -> list[str]:
    """The published windows of one paragraph, with "…" where text is left out,
    once for each of ``escapes`` (default: Markdown).

    Marks that lie wholly inside a window are kept (notes and evidence always
    do: the windows are built around them); a mention cut by a window's edge
    is left out rather than shown in part.
    """
    escapes = tuple(escape_markdown if e is None else e for e in escapes)
    parts: list[list[str]] = [[] for _ in escapes]
    for lo, hi in windows_of:
        spans = [Span(s.start - lo, s.end - lo, s.open, s.close, s.cont, s.rank, s.link)
                 for s in spans_of if lo <= s.start and s.end <= hi]
        inserts = {at - lo: markup for at, markup in inserts_of.items() if lo <= at <= hi}
        link = ""
        if original_url:
            link = " " + tags.original_link(text_fragment_url(original_url, text[lo:hi]))
        for out, body in zip(parts, render_spans_each(text[lo:hi], spans, inserts, escapes)):
            out.append(("… " if lo > 0 else "") + body + (" …" if hi < len(text) else "") + link)
    return [" ".join(out) for out in parts]


def _text(value: str) -> str:
    """Plain text as HTML text content. Also right inside the raw ``<p>``
    blocks of the Markdown page, which Markdown leaves as they are (a
    Markdown escape there would show its backslash)."""
    return html.escape(value, quote=False)


def build_source_markdown(source: Source, actors: dict[str, Actor], mentions: list[Mention],
                          citing: list[tuple[Event, object]], urls: Urls, strings: dict, language: str,
                          windows: Windows | None = None, original_url: str = "",
                          note_html: Callable[[str], str] | None = None, tags: Tags | None = None) -> SourceMarkdown:
    """``citing``: (event, evidence) pairs quoting this source, in timeline order.

    ``windows`` (``publish_text: excerpts``): only these spans of each
    paragraph are written, with a link to the passage in ``original_url``.
    ``note_html``: a note body (Markdown) -> HTML as the article converter
    renders it; given, the article's HTML is made too (``article_html``).
    ``tags``: the markup (default: the built-in theme's).
    """
    if tags is None:
        tags = default_tags(strings, language)
    spans: dict[int, list[Span]] = {}
    inserts: dict[int, dict[int, list[str]]] = {}
    asides: dict[int, list[str]] = {}  # Markdown
    asides_html: dict[int, list[str]] = {}

    wraps: dict[str, object] = {}  # actor id -> its mentions' markup (tens of mentions per source)
    for mention in mentions:
        wrap = wraps.get(mention.actor)
        if wrap is None:
            actor = actors[mention.actor]
            wrap = wraps[actor.id] = tags.mention({"id": actor.id, "name": actor.name,
                                                   "href": urls.link(paths.actor(actor.id))})
        spans.setdefault(mention.paragraph, []).append(Span(mention.start, mention.end, wrap.open, wrap.close, wrap.open, 9, True))

    for note in source.notes:
        _add_note(note, strings, tags, spans, inserts, asides, asides_html if note_html is not None else None, note_html)

    for event, evidence in citing:
        event_data = {"id": event.id, "title": event.title, "date": format_date(event.date, language),
                      "href": urls.link(urls.event(event.id))}
        evidence_data = {"anchor": evidence.anchor}
        cont = tags.evidence_mark(evidence_data, event_data, False)
        for index, piece in enumerate(evidence.pieces):
            wrap = tags.evidence_mark(evidence_data, event_data, True) if index == 0 else cont
            spans.setdefault(piece.paragraph, []).append(Span(piece.start, piece.end, wrap.open, wrap.close, cont.open, 2))
        last = evidence.pieces[-1]
        inserts.setdefault(last.paragraph, {}).setdefault(last.end, []).append(tags.backlink(evidence_data, event_data))
        cited = tags.cited_by(evidence_data, event_data)
        asides.setdefault(evidence.pieces[0].paragraph, []).append(cited)
        asides_html.setdefault(evidence.pieces[0].paragraph, []).append(cited)

    escapes = (escape_markdown, _text) if note_html is not None else (escape_markdown,)
    aside = tags.notes()
    aside_md = _markdown_block(aside.open)
    blocks = []
    html_blocks = []
    for paragraph in source.article.paragraphs:
        n = paragraph.number
        if windows is None:
            bodies = render_spans_each(paragraph.text, spans.get(n, []), inserts.get(n, {}), escapes)
        elif n in windows:
            bodies = _render_windows(paragraph.text, windows[n], spans.get(n, []), inserts.get(n, {}), original_url,
                                     tags, escapes)
        else:
            continue  # not cited: not published
        pilcrow = tags.pilcrow(n) + " "
        blocks.append(f"{pilcrow}{bodies[0]}\n{{: #p-{n} .para }}")
        if note_html is not None:
            html_blocks.append(f'<p class="para" id="p-{n}">{pilcrow}{bodies[1]}</p>')
        if n in asides:
            blocks.append(f"{aside_md}\n\n" + "\n\n".join(asides[n]) + f"\n\n{aside.close}")
            if note_html is not None:
                html_blocks.append(f"{aside.open}\n" + "\n".join(asides_html[n]) + f"\n{aside.close}")
    article = "\n\n".join(blocks) + "\n"

    return SourceMarkdown(_front_matter(source), source.summary, source.commentary, article, source.title,
                          "\n".join(html_blocks))


def _front_matter(source: Source) -> str:
    """The Markdown page's front matter: what a reader of the file alone needs to know of the source."""
    meta = {
        "title": source.title,
        "slug": source.slug,
        "seed": source.seed,
        "publisher": source.publisher or None,
        "published": source.published.written if source.published else None,
        "language": source.language,
        "url": source.url or None,
        "translated_from": dict(source.translated_from) or None,
        "tags": list(source.tags) or None,
        "paragraphs": len(source.article.paragraphs),
        "notes": len(source.notes),
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    return yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def _add_note(note, strings: dict, tags: Tags, spans: dict, inserts: dict, asides: dict, asides_html: dict | None,
              note_html) -> None:
    """A note's marks, its number after its last passage, and its block
    beside its first paragraph (in Markdown, and in HTML when ``asides_html``)."""
    data = {"kind": note.kind, "kind_label": strings[note.kind], "number": note.number, "anchor": note.anchor,
            "should_read": note.should_read or ""}
    cont = tags.note_mark(data, False)
    for index, piece in enumerate(note.pieces):
        wrap = tags.note_mark(data, True) if index == 0 else cont
        spans.setdefault(piece.paragraph, []).append(Span(piece.start, piece.end, wrap.open, wrap.close, cont.open, 1))
    last = note.pieces[-1]
    inserts.setdefault(last.paragraph, {}).setdefault(last.end, []).append(tags.note_ref(data))
    block = tags.note(data)
    parts = [tags.note_label(data)]
    if note.should_read:
        # Inside a raw <p>, which Markdown leaves as it is: HTML-escaped text.
        parts.append(tags.note_should_read(data))
    first = note.pieces[0].paragraph
    asides.setdefault(first, []).append("\n\n".join([_markdown_block(block.open), *parts, note.body, block.close]))
    if asides_html is not None:
        body = note_html(note.body)
        asides_html.setdefault(first, []).append("\n".join([block.open, *parts, *([body] if body else []), block.close]))


def _markdown_block(opening: str) -> str:
    """An opening tag whose content Python-Markdown is to read as Markdown (``markdown="1"``)."""
    return opening[:-1] + ' markdown="1">' if opening.endswith(">") else opening


def default_tags(strings: dict, language: str) -> Tags:
    """The built-in theme's markup (for a caller that gives none)."""
    return Tags(Renderer(THEME_DIR), strings, language)
