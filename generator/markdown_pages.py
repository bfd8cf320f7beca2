"""Stage one: a seed plus its annotation -> the source's Markdown page.

The page is front matter, the summary, the commentary and the article, its
paragraphs anchored ``#p-N``, with notes, corrections, event passages and
actor mentions marked inline. Seed text is escaped so that it renders only
as text; the marks are the only HTML in it, and they are generated here.
The HTML source page is rendered from these sections (stage two).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import yaml

from . import urls as paths
from .dates import format_date
from .excerpts import Windows, text_fragment_url
from .markup import escape_markdown
from .model import Actor, Event, Mention, Source
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

    def text(self) -> str:
        parts = [f"---\n{self.front_matter}---\n", f"# {escape_markdown(self.title)}\n"]
        if self.summary:
            parts.append(f"## Summary\n\n{self.summary}\n")
        if self.commentary:
            parts.append(f"## Commentary\n\n{self.commentary}\n")
        parts.append(f"## Article\n\n{self.article}")
        return "\n".join(parts)


def render_spans(text: str, spans: list[Span], inserts: dict[int, list[str]], escape) -> str:
    """Text with possibly overlapping spans -> properly nested markup.

    Spans are opened outermost first (earlier start, then longer, then rank);
    a span cut by another's end is closed and reopened with its ``cont`` tag.
    ``inserts`` put markup at a position, outside any open link.
    """
    order = sorted(spans, key=lambda s: (s.start, -s.end, s.rank))
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans), *inserts})
    out: list[str] = []
    stack: list[Span] = []
    for i, here in enumerate(bounds):
        nxt = bounds[i + 1] if i + 1 < len(bounds) else None
        wanted = [s for s in order if s.start <= here and nxt is not None and s.end >= nxt and s.start < s.end]
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
        out.append(escape(text[here:nxt]))
    for span in reversed(stack):
        out.append(span.close)
    return "".join(out)


def _render_windows(text: str, windows_of: list[tuple[int, int]], spans_of: list[Span], inserts_of: dict[int, list[str]],
                    original_url: str, strings: dict) -> str:
    """The published windows of one paragraph, with "…" where text is left out.

    Marks that lie wholly inside a window are kept (notes and evidence always
    do: the windows are built around them); a mention cut by a window's edge
    is left out rather than shown in part.
    """
    parts = []
    for lo, hi in windows_of:
        spans = [Span(s.start - lo, s.end - lo, s.open, s.close, s.cont, s.rank) for s in spans_of if lo <= s.start and s.end <= hi]
        inserts = {at - lo: tags for at, tags in inserts_of.items() if lo <= at <= hi}
        part = ("… " if lo > 0 else "") + render_spans(text[lo:hi], spans, inserts, escape_markdown) + (
            " …" if hi < len(text) else "")
        if original_url:
            href = _attr(text_fragment_url(original_url, text[lo:hi]))
            part += f' <a class="original-link" href="{href}">{_attr(strings["in_original"])}</a>'
        parts.append(part)
    return " ".join(parts)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def build_source_markdown(source: Source, actors: dict[str, Actor], mentions: list[Mention],
                          citing: list[tuple[Event, object]], urls: Urls, strings: dict, language: str,
                          windows: Windows | None = None, original_url: str = "") -> SourceMarkdown:
    """``citing``: (event, evidence) pairs quoting this source, in timeline order.

    ``windows`` (``publish_text: excerpts``): only these spans of each
    paragraph are written, with a link to the passage in ``original_url``.
    """
    spans: dict[int, list[Span]] = {}
    inserts: dict[int, dict[int, list[str]]] = {}
    asides: dict[int, list[str]] = {}

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
        lines = [f'<div class="note note--{note.kind}" id="{note.anchor}-text" markdown="1">', "",
                 f'<p class="note__label"><a href="#{note.anchor}">{_attr(kind_label)} {note.number}</a></p>', ""]
        if note.should_read:
            lines += [f'<p class="note__should-read"><strong>{_attr(strings["should_read"])}:</strong> '
                      f'{escape_markdown(note.should_read)}</p>', ""]
        lines += [note.body, "", "</div>"]
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
        asides.setdefault(evidence.pieces[0].paragraph, []).append(
            f'<p class="cited-by"><span class="cited-by__label">{_attr(strings["cited_by"])}:</span> '
            f'<a href="{back}">{_attr(date)} — {_attr(event.title)}</a> '
            f'(<a href="#{evidence.anchor}">{_attr(strings["view_passage"])}</a>)</p>')

    blocks = []
    for paragraph in source.article.paragraphs:
        n = paragraph.number
        if windows is None:
            body = render_spans(paragraph.text, spans.get(n, []), inserts.get(n, {}), escape_markdown)
        elif n in windows:
            body = _render_windows(paragraph.text, windows[n], spans.get(n, []), inserts.get(n, {}), original_url,
                                   strings)
        else:
            continue  # not cited: not published
        pilcrow = f'<a class="pilcrow" href="#p-{n}" aria-label="{_attr(strings["paragraph"])} {n}">{n}</a> '
        blocks.append(f"{pilcrow}{body}\n{{: #p-{n} .para }}")
        if n in asides:
            blocks.append(f'<aside class="notes" lang="{_attr(language)}" markdown="1">\n\n' + "\n\n".join(asides[n]) + "\n\n</aside>")
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
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return SourceMarkdown(front, source.summary, source.commentary, article, source.title)
