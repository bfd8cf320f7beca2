"""From the words selected in a source page to a quote the loader will match.

The page reports the selection as two points, each a paragraph number and
a count of characters of that paragraph's own text (what the seed says,
without the numbers and links the theme adds), and the text it saw there.
The quote is the normalised article text between the points: normalised
by the loader's own ``seedtext`` functions, and checked with its
``find_places``, so what is written is what the build will find. A quote
may run across paragraphs: the content format matches quotes on the
article's normalised text, where a paragraph break counts as a space.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ..content.seedtext import Article, find_places, normalise

MAX_CONTEXT_WORDS = 40  # words of prefix or suffix tried at most, each side


class SelectionError(ValueError):
    """The selection cannot become a quote; the message is for the annotator."""


@dataclass(frozen=True)
class Point:
    paragraph: int  # from 1
    offset: int  # characters of the paragraph's own text before the point


@dataclass(frozen=True)
class Chosen:
    """A quote of the article with the context that makes it unique."""

    quote: str  # normalised
    prefix: str
    suffix: str
    start: int  # where it is in the article's normalised text
    end: int


def choose_quote(article: Article, start: Point, end: Point, seen: str) -> Chosen:
    """The quote between ``start`` and ``end``, with its prefix/suffix.
    ``seen``: the text the page showed there, which must be the same words
    (else the page is older than the seed, or the theme adds text inside
    paragraphs that the page could not tell from the seed's)."""
    begin, stop = _joined_index(article, start), _joined_index(article, end)
    if stop <= begin:
        raise SelectionError("select some words of the article text first")
    text = article.norm.text
    origin = article.norm.origin
    norm_start, norm_end = bisect_left(origin, begin), bisect_left(origin, stop)
    while norm_start < norm_end and text[norm_start] == " ":
        norm_start += 1
    while norm_end > norm_start and text[norm_end - 1] == " ":
        norm_end -= 1
    quote = text[norm_start:norm_end]
    if not quote:
        raise SelectionError("select some words of the article text first")
    if quote != normalise(article.text_between(begin, stop)) or quote != normalise(seen):
        raise SelectionError("the selected words are not those of the article as it is on disk: reload the page "
                             "and select them again")
    prefix, suffix = unique_context(text, norm_start, norm_end)
    return Chosen(quote, prefix, suffix, norm_start, norm_end)


def _joined_index(article: Article, point: Point) -> int:
    if not 1 <= point.paragraph <= len(article.paragraphs):
        raise SelectionError(f"paragraph {point.paragraph} is not in the article text")
    paragraph = article.paragraphs[point.paragraph - 1]
    if not 0 <= point.offset <= len(paragraph.text):
        raise SelectionError(f"the selection lies outside paragraph {point.paragraph}")
    return article.starts[point.paragraph - 1] + point.offset


def unique_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The shortest (prefix, suffix), in characters, of whole words of
    ``text`` around ``text[start:end]`` (a partial word where the quote
    starts or ends inside one) that make it match there only; ("", "")
    when it is unique alone. SelectionError when no context makes it
    unique (the same words twice, and around them the same words again)."""
    quote = text[start:end]
    places = find_places(text, quote)
    if places == [start]:
        return "", ""
    prefixes = [""] + _prefixes(text, start)
    suffixes = [""] + _suffixes(text, end)
    pairs = sorted(((p, s) for p in prefixes for s in suffixes if p or s),
                   key=lambda pair: (len(pair[0]) + len(pair[1]), bool(pair[1]), bool(pair[0])))
    for prefix, suffix in pairs:
        if find_places(text, quote, prefix, suffix) == [start]:
            return prefix, suffix
    raise SelectionError(f"these words occur {len(places)} times and their surroundings too: select a longer passage")


def _prefixes(text: str, start: int) -> list[str]:
    """Growing runs of words that end where ``start`` begins (the space between ignored)."""
    stop = start - 1 if start > 0 and text[start - 1] == " " else start
    found, begin = [], stop
    while begin > 0 and len(found) < MAX_CONTEXT_WORDS:
        begin = text.rfind(" ", 0, begin - 1) + 1
        found.append(text[begin:stop])
        begin = max(begin - 1, 0)
    return found


def _suffixes(text: str, end: int) -> list[str]:
    """Growing runs of words that start where ``end`` is (the space between ignored)."""
    begin = end + 1 if end < len(text) and text[end] == " " else end
    found, stop = [], begin
    while stop < len(text) and len(found) < MAX_CONTEXT_WORDS:
        after = text.find(" ", stop + 1)
        stop = len(text) if after < 0 else after
        found.append(text[begin:stop])
        stop += 1 if stop < len(text) else 0
    return found
