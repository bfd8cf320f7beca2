"""Why a quote was not found, and how to fix it.

"quote not found" alone sends the writer back to compare two long strings
by eye. The usual causes are few: the case of a letter, an apostrophe or a
quotation mark that normalisation does not fold (ʼ ´ ‚ „ ‹ ›), a space
more or less, a hyphen or a line break, a passage outside ``text.start`` /
``text.end`` or on a line removed by ``drop``. So the message shows the
closest passage of the article, where the quote and the text part (the
same number of characters before that point in both, a caret under it),
and names the cause with the quote as it should be written.

The closest passage is found first by an exact search with those usual
differences ignored (fast, and exact where it applies), then by rapidfuzz's
``partial_ratio_alignment`` (the best-aligned window of the text, in
milliseconds on a long article, where difflib's quadratic matching takes
seconds); difflib then aligns the quote with that passage character by
character, which is what a short passage needs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from rapidfuzz import fuzz

from .mentions import fold
from .seedtext import drop_lines, split_paragraphs

QUOTE_MARKS = frozenset("'\"`\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033\u2039\u203a\uff07")
DASHES = frozenset("-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
HEADLINE_LIMIT = 80  # characters of a quote shown in the message's first line
BEFORE, AFTER = 30, 40  # characters shown around where the quote and the text part
MIN_SCORE = 60  # rapidfuzz score under which no passage is "close"
FIX_LIMIT = 240  # a corrected quote longer than this is not written out


@dataclass
class SeedContext:
    """How the article was cut from its seed (``raw``), for "outside
    text.start/text.end" and "removed by drop"; each text made only when a
    quote is missing. ``article``: the article's normalised text (None for
    text.start / text.end themselves, matched against the whole seed)."""

    raw: str
    drops: frozenset[str]
    article: str | None = None

    @cached_property
    def whole(self) -> str:
        return split_paragraphs(drop_lines(self.raw, set(self.drops))).norm.text

    @cached_property
    def undropped(self) -> str:
        return split_paragraphs(self.raw).norm.text if self.drops else self.whole


def shown_quote(needle: str, part: int | None = None) -> str:
    """The quote for the first line: whole when short, else its start and
    the words around where it parts from the text (never cut before that)."""
    if len(needle) <= HEADLINE_LIMIT:
        return needle
    if part is None or part < HEADLINE_LIMIT - 20:
        end = max(HEADLINE_LIMIT - 3, (part or 0) + 20)
        return needle[:end] + ("..." if end < len(needle) else "")
    head = needle[:25].rsplit(" ", 1)[0]
    around, _ = _window(needle, part, 55)
    return f"{head} {around}" if around.startswith("...") else around


def explain_missing(text: str, needle: str, prefix: str, suffix: str, what: str,
                    context: SeedContext | None = None) -> tuple[str, tuple[str, ...]]:
    """The message (first line, continuation lines) for ``needle`` not found
    in ``text`` (both normalised) with that ``prefix`` / ``suffix``."""
    count = _count(text, needle)
    if count and (prefix or suffix):
        return _not_touching(text, needle, prefix, suffix, what, count)
    outside = _outside(needle, context)
    if outside:
        return f"{what} not found in the article text: \"{shown_quote(needle)}\"", (outside,)
    span = closest_passage(text, needle)
    if span is None:
        return f"{what} not found in the article text: \"{shown_quote(needle)}\"", (
            "no passage of the article text is close to it",)
    passage = text[span[0]:span[1]]
    part = _part(needle, passage)
    details = [f"closest passage: \"{_window(passage, 0, max(120, part + AFTER))[0]}\"", *_parting(needle, passage, part)]
    details += causes(needle, passage)
    return f"{what} not found in the article text: \"{shown_quote(needle, part)}\"", tuple(details)


def _count(text: str, needle: str) -> int:
    return text.count(needle) if needle else 0


def _not_touching(text: str, needle: str, prefix: str, suffix: str, what: str, count: int) -> tuple[str, tuple[str, ...]]:
    at = text.find(needle)
    first = max(0, at - BEFORE)
    if first:
        first = text.find(" ", first, at) + 1 or first
    stop = at + len(needle) + BEFORE
    last = text.rfind(" ", at + len(needle) + 1, stop) if stop < len(text) else len(text)
    before = ("..." if first else "") + text[first:at].rstrip()
    after = text[at + len(needle): last if last > 0 else stop].lstrip() + ("..." if stop < len(text) else "")
    said = " and ".join(f"{name} \"{value}\"" for name, value in (("prefix", prefix), ("suffix", suffix)) if value)
    places = "once" if count == 1 else f"{count} times"
    details = [f"before it the text reads: \"{before}\"" if prefix else "",
               f"after it the text reads: \"{after}\"" if suffix else "",
               "hint: a prefix must end right before the quote, a suffix start right after it (one space between is allowed)"]
    return (f"{what} occurs {places} in the article text, but never with {said}: \"{shown_quote(needle)}\"",
            tuple(d for d in details if d))


def _outside(needle: str, context: SeedContext | None) -> str | None:
    if context is None:
        return None
    if context.article is not None and needle in context.whole:
        at, start = context.whole.find(needle), context.whole.find(context.article)
        side = "before text.start" if 0 <= start and at < start else "after text.end"
        return f"hint: the seed has it {side}, outside the article proper: move text.start or text.end to include it"
    if needle not in context.whole and needle in context.undropped:
        lines = [d for d in context.drops if d and (d in needle or needle in d)]
        which = f" (drop: \"{sorted(lines)[0]}\")" if lines else ""
        return f"hint: the seed has it on a line removed by drop{which}"
    return None


def closest_passage(text: str, needle: str) -> tuple[int, int] | None:
    """Where in ``text`` the passage nearest to ``needle`` lies, or None."""
    loose_text, where = _loose(text)
    loose_needle, _ = _loose(needle)
    if loose_needle:
        at = loose_text.find(loose_needle)
        if at >= 0:
            return where[at], where[at + len(loose_needle) - 1] + 1
    found = fuzz.partial_ratio_alignment(fold(needle), fold(text), score_cutoff=MIN_SCORE)
    if found is None:
        return None
    slack = max(10, len(needle) // 4)
    start, end = max(0, found.dest_start - slack), min(len(text), found.dest_end + slack)
    return _trim(text, needle, start, end)


def _loose(text: str) -> tuple[str, list[int]]:
    """``text`` without the usual differences (case, quote marks, dashes,
    spaces, invisible characters), and where each kept character was."""
    kept, where = [], []
    for index, char in enumerate(fold(text)):
        if char == " " or char in DASHES or unicodedata.category(char) == "Cf":
            continue
        kept.append("'" if char in QUOTE_MARKS else char)
        where.append(index)
    return "".join(kept), where


def _trim(text: str, needle: str, start: int, end: int) -> tuple[int, int]:
    """The window cut to what aligns with the quote (no extra words at either end)."""
    blocks = [b for b in SequenceMatcher(None, fold(needle), fold(text[start:end]), autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return start, end
    first, last = blocks[0], blocks[-1]
    return start + max(0, first.b - first.a), min(end, start + last.b + last.size + (len(needle) - last.a - last.size))


def _part(needle: str, passage: str) -> int:
    """The index of the first character where they differ."""
    limit = min(len(needle), len(passage))
    return next((i for i in range(limit) if needle[i] != passage[i]), limit)


def _window(value: str, part: int, width: int) -> tuple[str, int]:
    """``value`` around ``part`` (at most BEFORE characters before it, from
    the start of a word), and where ``part`` is in what is shown."""
    first = max(0, part - BEFORE)
    if first:
        space = value.find(" ", first, part)
        first = space + 1 if space >= 0 else first
    last = min(len(value), first + width)
    lead = "..." if first else ""
    return lead + value[first:last] + ("..." if last < len(value) else ""), len(lead) + part - first


def _parting(needle: str, passage: str, part: int) -> list[str]:
    """The quote above the text, cut alike (they are equal up to ``part``), a caret under where they part."""
    quote_shown, at = _window(needle, part, BEFORE + AFTER)
    text_shown, _ = _window(passage, part, BEFORE + AFTER)
    return [f"quote: \"{quote_shown}\"", f"text:  \"{text_shown}\"", " " * (len("quote: \"") + at) + "^ they part here"]


def causes(needle: str, passage: str) -> list[str]:
    """The hints for how ``needle`` differs from ``passage``, with the fix
    when every difference is one of the usual ones."""
    kinds: dict[str, tuple[str, str]] = {}
    other = False
    for tag, a1, a2, b1, b2 in SequenceMatcher(None, needle, passage, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        mine, theirs = needle[a1:a2], passage[b1:b2]
        kind = _kind(mine, theirs)
        if kind is None:
            other = True
        elif kind == "marks":
            kinds.setdefault(kind, (_named(mine), _named(theirs)))
        else:
            kinds.setdefault(kind, (_around(needle, a1, a2), _around(passage, b1, b2)))
    hints = [_HINTS[kind].format(quote=q, text=t) for kind, (q, t) in kinds.items()]
    if kinds and not other and len(passage) <= FIX_LIMIT:
        hints.append(f"fix: write the quote as the text has it: \"{passage}\"")
    return [f"hint: {h}" if not h.startswith("fix:") else h for h in hints]


_HINTS = {
    "case": "the case differs (quotes match case exactly): the text has \"{text}\" where the quote has \"{quote}\"",
    "marks": "apostrophes or quotation marks differ: the text has {text} where the quote has {quote} "
             "(’ ‘ “ ” « » are read as ' and \"; other marks must be written as the text has them)",
    "dash": "a hyphen or a line break differs: the text has \"{text}\" where the quote has \"{quote}\"",
    "space": "spaces differ: the text has \"{text}\" where the quote has \"{quote}\"",
}


def _kind(mine: str, theirs: str) -> str | None:
    both = set(mine + theirs)
    if len(mine) == len(theirs) and mine.lower() == theirs.lower() and mine != theirs:
        return "case"
    if both and both <= QUOTE_MARKS:
        return "marks"
    if both & DASHES and both <= DASHES | {" "}:
        return "dash"
    if both and all(c == " " or unicodedata.category(c) == "Cf" for c in both):
        return "space"
    return None


def _around(value: str, start: int, stop: int) -> str:
    """The word(s) holding ``value[start:stop]``, invisible characters named."""
    first = value.rfind(" ", 0, max(0, start - 1)) + 1 if start else 0
    last = value.find(" ", stop + 1)
    shown = value[first: last if last >= 0 else len(value)]
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cf" else c for c in shown)


def _named(marks: str) -> str:
    """Quote marks by name: ʼ and ' look alike in most fonts."""
    return " ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in marks) or "nothing"
