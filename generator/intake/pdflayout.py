"""A PDF's text lines in reading order → paragraphs.

pdfminer.six gives the characters with their boxes and groups them into
line fragments; reading order and paragraphs are left to us, because
pdfminer's own text-box order mixes the columns of a justified two-column
page (a wide word gap splits a line into boxes it then sorts apart). So:
fragments on one baseline of one column are joined into a line; the
columns are read one after the other under each full-width line (title,
authors); running headers, footers and page numbers are dropped; lines are
joined into paragraphs where no vertical gap or short last line separates
them, and a word hyphenated at a line end is joined again.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from pdfminer.layout import LTAnno, LTChar, LTTextContainer, LTTextLineHorizontal

_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
_PAGE_NUMBER = re.compile(r"^\W*(?:page|p\.|seite|página)?\s*\d{1,4}(?:\s*(?:/|of|sur|de|von)\s*\d{1,4})?\W*$", re.IGNORECASE)
_HYPHENS = "-\u2010\u00ad"
_SENTENCE_END = tuple('.!?:"\u201d\u00bb)')
MARGIN_BAND = 0.1  # the top and bottom tenth of a page: where running headers and footers sit


@dataclass
class Line:
    page: int
    column: int  # 0 left, 1 right, -1 the page's full width
    x0: float
    x1: float
    y: float  # baseline, from the page's bottom
    size: float  # the font size
    text: str


def fragment_text(fragment: LTTextLineHorizontal) -> str:
    """A fragment's text, with ligatures spelled out and the spaces that do
    not advance left out (a soft hyphen that did not break a line is such a
    zero-width space in Chromium's PDFs; copied out, it splits the word)."""
    items = list(fragment)
    out: list[str] = []
    for index, item in enumerate(items):
        text = item.get_text()
        if isinstance(item, LTChar) and text == " ":
            following = next((i for i in items[index + 1:] if isinstance(i, LTChar)), None)
            if following is not None and following.x0 < item.x1 - 0.3 * (item.x1 - item.x0):
                continue
        if isinstance(item, LTAnno) and text == "\n":
            continue
        out.append(text)
    return "".join(out).translate(_LIGATURES)


def fragments(layout, page: int) -> list[Line]:
    """Every horizontal line fragment of a page, in no order yet."""
    found: list[Line] = []
    stack = list(layout)
    while stack:
        item = stack.pop()
        if isinstance(item, LTTextLineHorizontal):
            text = " ".join(fragment_text(item).split())
            chars = [c for c in item if isinstance(c, LTChar)]
            if text and chars:
                size = statistics.median(c.size for c in chars)
                found.append(Line(page, -1, item.x0, item.x1, item.y0, size, text))
        elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
            stack.extend(item)
    return found


def assign_columns(lines: list[Line], width: float) -> None:
    """A line wholly left of the page's middle is in column 0, wholly right
    in column 1, across it the full width (-1); one column on a page whose
    lines all start left of the middle and none ends right of it is not split."""
    middle = width / 2
    two = any(line.x0 >= middle - 2 for line in lines) and any(line.x1 <= middle + 2 for line in lines)
    for line in lines:
        if two and line.x1 <= middle + 2:
            line.column = 0
        elif two and line.x0 >= middle - 2:
            line.column = 1
        else:
            line.column = -1


def merge_baselines(lines: list[Line]) -> list[Line]:
    """Fragments of one column on one baseline → one line (a justified line
    with wide gaps comes out of pdfminer in pieces)."""
    merged: list[Line] = []
    for line in sorted(lines, key=lambda l: (l.column, -l.y, l.x0)):
        last = merged[-1] if merged else None
        if last and last.column == line.column and abs(last.y - line.y) < 0.35 * max(last.size, line.size):
            last.text, last.x1 = f"{last.text} {line.text}", max(last.x1, line.x1)
        else:
            merged.append(line)
    return merged


def reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom by bands: each full-width line opens a band; inside a
    band, the left column then the right."""
    full = sorted((l for l in lines if l.column == -1), key=lambda l: -l.y)
    tops = [l.y for l in full]

    def band(line: Line) -> int:
        return sum(1 for top in tops if top > line.y + 0.1) if line.column != -1 else tops.index(line.y) + 1

    return sorted(lines, key=lambda l: (band(l), 0 if l.column == -1 else 1, l.column, -l.y, l.x0))


def drop_running(pages: list[list[Line]], heights: list[float]) -> tuple[list[list[Line]], int]:
    """Without the lines in a page's top or bottom band that are page numbers
    or recur (digits aside) on at least half the pages (two at least)."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    def in_band(line: Line, height: float) -> bool:
        return line.y > height * (1 - MARGIN_BAND) or line.y < height * MARGIN_BAND

    seen = Counter(k for lines, h in zip(pages, heights) for k in {key(l) for l in lines if in_band(l, h)})
    recurring = {k for k, n in seen.items() if n >= 2 and n * 2 >= len(pages)}
    kept, dropped = [], 0
    for lines, height in zip(pages, heights):
        keep = [l for l in lines if not (in_band(l, height) and (_PAGE_NUMBER.match(l.text) or key(l) in recurring))]
        dropped += len(lines) - len(keep)
        kept.append(keep)
    return kept, dropped


def join_lines(previous: str, line: str, words: set[str]) -> str:
    """``line`` appended to the paragraph ``previous``: a word hyphenated at
    the line end is joined (``sus-`` + ``pended``), unless the document
    writes it with its hyphen elsewhere (``well-`` + ``known``)."""
    if previous and previous[-1] in _HYPHENS and len(previous) > 1 and previous[-2].isalpha() and line[:1].islower():
        head = previous[:-1].rstrip()
        first = re.split(r"\W", line, maxsplit=1)[0]
        stem = re.split(r"\W", head)[-1]
        if f"{stem}-{first}".lower() in words and f"{stem}{first}".lower() not in words:
            return f"{head}-{line}"
        return head + line
    return f"{previous} {line}" if previous else line


def paragraphs(lines: list[Line]) -> list[str]:
    """Lines in reading order → paragraphs: a new one after a vertical gap
    wider than the usual line spacing, or, where the column or page changes,
    after a short line that ends a sentence."""
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:]) if a.page == b.page and a.column == b.column and 0 < a.y - b.y]
    spacing = statistics.median(gaps) if gaps else 0.0
    rights: dict[tuple[int, int], float] = {}
    for line in lines:
        rights[(line.page, line.column)] = max(rights.get((line.page, line.column), 0.0), line.x1)
    words = {w.lower() for line in lines for w in re.findall(r"\w+(?:-\w+)+", line.text)}
    out: list[str] = []
    for previous, line in zip([None] + lines, lines):
        if previous is None:
            out.append(line.text)
            continue
        same_column = previous.page == line.page and previous.column == line.column
        short = previous.x1 < rights[(previous.page, previous.column)] - 3 * previous.size
        ends = previous.text.endswith(_SENTENCE_END)
        if same_column:
            new = previous.y - line.y > 1.3 * spacing or abs(previous.size - line.size) > 1 or (short and ends and spacing == 0)
        else:
            new = (short and ends) or previous.column == -1 or line.column == -1
        out.append(line.text) if new else out.__setitem__(-1, join_lines(out[-1], line.text, words))
    return out
