"""Stage one: a seed plus its annotation -> the source's Markdown page.

The page is front matter, the summary, the commentary and the article, its
paragraphs anchored ``#p-N``, with notes, corrections, event passages and
actor mentions marked inline. Seed text is escaped so that it renders only
as text; the marks are the only HTML in it, and they are generated here.
The HTML source page is rendered from these sections (stage two).
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
from .dates import format_date
from .excerpts import Windows, text_fragment_url
from .markup import escape_markdown
from .model import Actor, Event, Mention, Source
from .text import markup_safe
from .urls import Urls


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    open: str  # tag that opens the span where it starts
    close: str
    cont: str  # tag that reopens it after an interruption (no id)
    rank: int  # nesting order for equal extents: lower is outer


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


def render_spans(text: str, spans: list[Span], inserts: dict[int, list[str]], escape) -> str:
    """Text with possibly overlapping spans -> properly nested markup.

    Spans are opened outermost first (earlier start, then longer, then rank);
    a span cut by another's end is closed and reopened with its ``cont`` tag.
    ``inserts`` put markup at a position, outside any open link.
    """
    return render_spans_each(text, spans, inserts, (escape,))[0]


def render_spans_each(text: str, spans: list[Span], inserts: dict[int, list[str]], escapes) -> list[str]:
    """``render_spans`` once for each of ``escapes``: the nesting is worked out once."""
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
            cut = next((k for k, span in enumerate(stack) if span.close == "</a>"), len(stack))
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
                    original_url: str, strings: dict, escapes=(None,)) -> list[str]:
    """The published windows of one paragraph, with "…" where text is left out,
    once for each of ``escapes`` (default: Markdown).

    Marks that lie wholly inside a window are kept (notes and evidence always
    do: the windows are built around them); a mention cut by a window's edge
    is left out rather than shown in part.
    """
    escapes = tuple(escape_markdown if e is None else e for e in escapes)
    parts: list[list[str]] = [[] for _ in escapes]
    for lo, hi in windows_of:
        spans = [Span(s.start - lo, s.end - lo, s.open, s.close, s.cont, s.rank) for s in spans_of if lo <= s.start and s.end <= hi]
        inserts = {at - lo: tags for at, tags in inserts_of.items() if lo <= at <= hi}
        link = ""
        if original_url:
            href = _attr(text_fragment_url(original_url, text[lo:hi]))
            link = f' <a class="original-link" href="{href}">{_attr(strings["in_original"])}</a>'
        for out, body in zip(parts, render_spans_each(text[lo:hi], spans, inserts, escapes)):
            out.append(("… " if lo > 0 else "") + body + (" …" if hi < len(text) else "") + link)
    return [" ".join(out) for out in parts]


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _text(value: str) -> str:
    """Plain text as HTML text content. Also right inside the raw ``<p>``
    blocks of the Markdown page, which Markdown leaves as they are (a
    Markdown escape there would show its backslash)."""
    return html.escape(value, quote=False)


def build_source_markdown(source: Source, actors: dict[str, Actor], mentions: list[Mention],
                          citing: list[tuple[Event, object]], urls: Urls, strings: dict, language: str,
                          windows: Windows | None = None, original_url: str = "",
                          note_html: Callable[[str], str] | None = None) -> SourceMarkdown:
    """``citing``: (event, evidence) pairs quoting this source, in timeline order.

    ``windows`` (``publish_text: excerpts``): only these spans of each
    paragraph are written, with a link to the passage in ``original_url``.
    ``note_html``: a note body (Markdown) -> HTML as the article converter
    renders it; given, the article's HTML is made too (``article_html``).
    """
    spans: dict[int, list[Span]] = {}
    inserts: dict[int, dict[int, list[str]]] = {}
    asides: dict[int, list[str]] = {}  # Markdown
    asides_html: dict[int, list[str]] = {}

    for mention in mentions:
        actor = actors[mention.actor]
        href = _attr(urls.link(paths.actor(actor.id)))
        tag = f'<a class="mention" href="{href}" data-actor="{_attr(actor.id)}">'
        spans.setdefault(mention.paragraph, []).append(Span(mention.start, mention.end, tag, "</a>", tag, 9))

    for note in source.notes:
        kind_label = strings[note.kind]
        first = note.pieces[0]
        last = note.pieces[-1]
        for index, piece in enumerate(note.pieces):
            css = f"note-mark note-mark--{note.kind}"
            opening = f'<mark class="{css}" id="{note.anchor}">' if index == 0 else f'<mark class="{css}">'
            spans.setdefault(piece.paragraph, []).append(Span(piece.start, piece.end, opening, "</mark>", f'<mark class="{css}">', 1))
        ref = f'<a class="note-ref" href="#{note.anchor}-text" aria-label="{_attr(kind_label)} {note.number}">[{note.number}]</a>'
        inserts.setdefault(last.paragraph, {}).setdefault(last.end, []).append(ref)
        label = f'<p class="note__label"><a href="#{note.anchor}">{_attr(kind_label)} {note.number}</a></p>'
        lines = [f'<div class="note note--{note.kind}" id="{note.anchor}-text" markdown="1">', "", label, ""]
        html_lines = [f'<div class="note note--{note.kind}" id="{note.anchor}-text">', label]
        if note.should_read:
            # Inside a raw <p>, which Markdown leaves as it is: HTML-escaped text.
            should = f'<p class="note__should-read"><strong>{_attr(strings["should_read"])}:</strong> {_text(note.should_read)}</p>'
            lines += [should, ""]
            html_lines.append(should)
        lines += [note.body, "", "</div>"]
        if note_html is not None:
            body = note_html(note.body)
            html_lines += ([body] if body else []) + ["</div>"]
            asides_html.setdefault(first.paragraph, []).append("\n".join(html_lines))
        asides.setdefault(first.paragraph, []).append("\n".join(lines))

    for event, evidence in citing:
        back = _attr(urls.link(paths.timeline(event.id)))
        for index, piece in enumerate(evidence.pieces):
            opening = (f'<mark class="evidence" id="{evidence.anchor}" data-event="{_attr(event.id)}">' if index == 0
                       else f'<mark class="evidence" data-event="{_attr(event.id)}">')
            cont = f'<mark class="evidence" data-event="{_attr(event.id)}">'
            spans.setdefault(piece.paragraph, []).append(Span(piece.start, piece.end, opening, "</mark>", cont, 2))
        last = evidence.pieces[-1]
        date = format_date(event.date, language)
        backlink = (f'<a class="backlink" href="{back}" title="{_attr(strings["back_to_event"])}: {_attr(event.title)}">'
                    f'↩<span class="visually-hidden"> {_attr(strings["back_to_event"])}: {_attr(event.title)}</span></a>')
        inserts.setdefault(last.paragraph, {}).setdefault(last.end, []).append(backlink)
        cited = (f'<p class="cited-by"><span class="cited-by__label">{_attr(strings["cited_by"])}:</span> '
                 f'<a href="{back}">{_text(date)} — {_text(event.title)}</a> '
                 f'(<a href="#{evidence.anchor}">{_attr(strings["view_passage"])}</a>)</p>')
        asides.setdefault(evidence.pieces[0].paragraph, []).append(cited)
        asides_html.setdefault(evidence.pieces[0].paragraph, []).append(cited)

    escapes = (escape_markdown, _text) if note_html is not None else (escape_markdown,)
    blocks = []
    html_blocks = []
    for paragraph in source.article.paragraphs:
        n = paragraph.number
        if windows is None:
            bodies = render_spans_each(paragraph.text, spans.get(n, []), inserts.get(n, {}), escapes)
        elif n in windows:
            bodies = _render_windows(paragraph.text, windows[n], spans.get(n, []), inserts.get(n, {}), original_url,
                                     strings, escapes)
        else:
            continue  # not cited: not published
        pilcrow = f'<a class="pilcrow" href="#p-{n}" aria-label="{_attr(strings["paragraph"])} {n}">{n}</a> '
        blocks.append(f"{pilcrow}{bodies[0]}\n{{: #p-{n} .para }}")
        if note_html is not None:
            html_blocks.append(f'<p class="para" id="p-{n}">{pilcrow}{bodies[1]}</p>')
        if n in asides:
            blocks.append(f'<aside class="notes" lang="{_attr(language)}" markdown="1">\n\n' + "\n\n".join(asides[n]) + "\n\n</aside>")
            if note_html is not None:
                html_blocks.append(f'<aside class="notes" lang="{_attr(language)}">\n' + "\n".join(asides_html[n]) + "\n</aside>")
    article = "\n\n".join(blocks) + "\n"

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
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return SourceMarkdown(front, source.summary, source.commentary, article, source.title, "\n".join(html_blocks))
