"""``publish_text: excerpts``: which parts of a seed may be published.

Some corpora may be quoted but not republished in full. In that mode a
source page shows only the passages that notes and events cite, each with a
bounded context cut between words, and a link to the original; quotes are
still matched against the whole seed, so the annotation is checked exactly
as in a full build. This module only computes the windows (pure); the
Markdown stage and the views show what falls inside them and nothing else.
"""

from __future__ import annotations

from urllib.parse import quote

from ..content.model import Piece, Source

CONTEXT = 160  # characters at most on each side of a cited passage, within its paragraph

Windows = dict[int, list[tuple[int, int]]]  # paragraph number -> sorted, disjoint (start, end) spans


def _widen(text: str, start: int, end: int, context: int) -> tuple[int, int]:
    """``start``–``end`` with up to ``context`` characters each side, not cutting a word."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else start
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else end
    return left, right


def windows(source: Source, cited: list[tuple[Piece, ...]], context: int = CONTEXT) -> Windows:
    """The publishable spans of each paragraph: every cited piece with its context, merged."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for pieces in cited:
        for piece in pieces:
            text = source.article.paragraphs[piece.paragraph - 1].text
            spans.setdefault(piece.paragraph, []).append(_widen(text, piece.start, piece.end, context))
    merged: Windows = {}
    for number in sorted(spans):
        result: list[tuple[int, int]] = []
        for start, end in sorted(spans[number]):
            if result and start <= result[-1][1] + 1:
                result[-1] = (result[-1][0], max(result[-1][1], end))
            else:
                result.append((start, end))
        merged[number] = result
    return merged


def cited_pieces(source: Source, evidence_pieces: list[tuple[Piece, ...]]) -> list[tuple[Piece, ...]]:
    """What a source's notes and the events quoting it cite."""
    return [note.pieces for note in source.notes] + list(evidence_pieces)


def inside(windows_of_source: Windows, paragraph: int, start: int, end: int) -> tuple[int, int] | None:
    """The window holding ``start``–``end`` of a paragraph, if it is published."""
    for lo, hi in windows_of_source.get(paragraph, []):
        if lo <= start and end <= hi:
            return lo, hi
    return None


def text_fragment_url(url: str, passage: str) -> str:
    """A link to the passage in the original page (a URL text fragment, ``#:~:text=``).

    Browsers that support text fragments scroll to and highlight it; others
    open the page. Long passages are given by their first and last words.
    """
    words = passage.split()
    if not url or not words:
        return url

    def encode(text: str) -> str:
        return quote(text, safe="").replace("-", "%2D")  # "-", "," and "&" are syntax in text fragments

    directive = encode(" ".join(words)) if len(words) <= 8 else f"{encode(' '.join(words[:4]))},{encode(' '.join(words[-4:]))}"
    return f"{url.split('#', 1)[0]}#:~:text={directive}"
