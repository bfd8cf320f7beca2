"""The passages naming an actor: a bounded window of text around each mention.

An actor's pages list every mention of it, and at a few thousand sources
that list is most of the site's weight. A passage is therefore not its
paragraph but a window around the mention: the sentence holding it, cut at
``CONTEXT`` characters on each side (between words, with an ellipsis) when
the sentence is longer. The mentions of one paragraph whose windows touch
are one passage with several marks (at most ``MERGED`` characters), so
that no text is shown twice in a row. Each passage links to its paragraph
on the source page, where the whole text is.

Pure functions on the paragraph's text: the views give the mentions (and,
with ``publish_text: excerpts``, the published span holding each one), the
theme's mark (``Wrap``) and get escaped HTML back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .tags import Wrap

CONTEXT = 100  # characters at most on each side of a mention, when its sentence is longer
MERGED = 400  # characters at most of one passage holding several mentions of a paragraph
# The end of a sentence: its mark (and the closing quotes or brackets after it), then a space before
# the next one, which starts with a capital, a digit-free opening mark or a letter of a script without
# case. Marks that end a sentence without a space after them (CJK) end one on their own.
_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(\[¿¡]?[^\W\d_])|[。！？]")


@dataclass
class Passage:
    """A window ``start``–``end`` of a paragraph, with the mentions it highlights."""

    paragraph: int
    start: int
    end: int
    marks: list[tuple[int, int]] = field(default_factory=list)
    cut_before: bool = False  # text left out before it (an ellipsis is shown)
    cut_after: bool = False
    span: tuple[int, int] | None = None  # the published span it lies in (publish_text: excerpts)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the sentence that follows a sentence mark starts with a capital (or a letter without case)."""
    letter = next((c for c in text[at:at + 3] if c.isalpha()), "")
    return not letter.islower()


def _sentence_start(text: str, lo: int, start: int) -> int | None:
    """Where the sentence holding ``start`` begins, if it does after ``lo``."""
    found = None
    for match in _END.finditer(text, lo, min(len(text), start + 4)):  # the next letters tell a sentence's start
        if match.end() <= start and _starts_sentence(text, match.end()):
            found = match.end()
    return found


def _sentence_end(text: str, end: int, limit: int) -> int | None:
    """Where the sentence holding ``end`` ends (after its mark), if it does by ``limit``."""
    for match in _END.finditer(text, end, min(len(text), limit + 4)):
        stop = match.start() + len(match.group().rstrip())
        if stop > limit:
            return None
        if match.group() in "。！？" or _starts_sentence(text, match.end()):
            return stop
    return None


def window(text: str, start: int, end: int, span: tuple[int, int] | None = None) -> Passage:
    """The window of the mention ``start``–``end``: its sentence, or ``CONTEXT``
    characters each side of it, cut between words, within ``span`` (the
    published part of the paragraph) when there is one."""
    lo, hi = span if span is not None else (0, len(text))
    left = _sentence_start(text, max(lo, start - CONTEXT), start)
    cut_before = False
    if left is None:
        left, cut_before = lo, lo > 0
        if start - CONTEXT > lo:
            # between words; in a script without spaces (Chinese, Thai), at the bound
            space = text.find(" ", start - CONTEXT, start)
            left, cut_before = (space + 1 if space >= 0 else start - CONTEXT), True
    right = _sentence_end(text, end, min(hi, end + CONTEXT))
    cut_after = False
    if right is None:
        right, cut_after = hi, hi < len(text)
        if end + CONTEXT < hi:
            space = text.rfind(" ", end, end + CONTEXT)
            right, cut_after = (space if space >= 0 else end + CONTEXT), True
    return Passage(0, left, right, [(start, end)], cut_before, cut_after, span)


def passages(mentions, text_of, span_of=None) -> list[Passage]:
    """The passages of ``mentions`` (one source's, in reading order): a window
    each, those of one paragraph merged while they touch. ``text_of(paragraph)``
    gives a paragraph's text; ``span_of(mention)`` the published span holding
    it, or None when it is not published (it is left out); without
    ``span_of`` the whole text is published."""
    found: list[Passage] = []
    for m in mentions:
        span = span_of(m) if span_of is not None else None
        if span_of is not None and span is None:
            continue
        text = text_of(m.paragraph)
        new = window(text, m.start, m.end, span)
        new.paragraph = m.paragraph
        last = found[-1] if found else None
        if (last is not None and last.paragraph == m.paragraph and last.span == span
                and not text[last.end:new.start].strip() and max(last.end, new.end) - last.start <= MERGED
                and m.start >= last.marks[-1][1]):
            last.marks.append((m.start, m.end))
            if new.end >= last.end:
                last.end, last.cut_after = new.end, new.cut_after
        else:
            found.append(new)
    return found


def passage_html(text: str, passage: Passage, mark: Wrap) -> str:
    """HTML: the passage's text escaped, its mentions wrapped in ``mark`` (the
    theme's ``excerpt_mark``), an ellipsis where text is left out."""
    out = ["… " if passage.cut_before else ""]
    at = passage.start
    for start, end in passage.marks:
        out += [html.escape(text[at:start]), mark.open, html.escape(text[start:end]), mark.close]
        at = end
    out += [html.escape(text[at:passage.end]), " …" if passage.cut_after else ""]
    return "".join(out)
