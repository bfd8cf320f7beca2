"""Seed text: reading, normalisation, the article proper and quote matching.

Quotes are written by people who copy from a browser, where curly quotes,
guillemets and non-breaking spaces are unreliable. So every comparison is
made on *normalised* text, and ``Normalised.origin`` maps each normalised
character back to the original, so that a match can be highlighted in the
text the reader sees.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

# Unicode White_Space (PropList.txt); str.isspace() also accepts U+001C-001F.
WHITE_SPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_QUOTE_MAP = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"'}


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...] | range | OffsetMap  # origin[i] = index in the source string of text[i]


_WS_CLASS = "[" + re.escape("".join(sorted(WHITE_SPACE))) + "]"
_WS_RUN = re.compile(_WS_CLASS + "+")
_WS_LONG = re.compile(_WS_CLASS + "{2,}")
_WS_RUN_END = re.compile(_WS_CLASS + "+\\Z")
_ODD_SPACE = re.compile("[" + re.escape("".join(sorted(WHITE_SPACE - {" "}))) + "]")
_QUOTE_TABLE = str.maketrans(_QUOTE_MAP)


@dataclass(frozen=True)
class OffsetMap:
    """``origin`` as a few straight pieces: ``self[i] = sources[k] + i - starts[k]``
    for the last ``starts[k] <= i``. Text with a few runs of white space to
    collapse needs a few pieces, not one integer per character."""

    starts: tuple[int, ...]  # where each piece starts in the normalised text
    sources: tuple[int, ...]  # where it starts in the source
    length: int

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError(index)
        k = bisect_right(self.starts, index) - 1
        return self.sources[k] + index - self.starts[k]

    def __iter__(self):
        bounds = self.starts[1:] + (self.length,)
        for start, source, stop in zip(self.starts, self.sources, bounds):
            yield from range(source, source + stop - start)


def normalise_with_map(source: str) -> Normalised:
    """Normalise ``source`` (already NFC) and keep where each character came from.

    Rules of the content format: ’ ‘ -> ', “ ” « » -> ", white space right
    after « and right before » removed, every run of white space -> one
    space, leading and trailing white space removed.

    Written for speed at thousands of sources: most text maps one character
    to one character (single spaces, no guillemets), and then ``origin`` is
    a ``range``; otherwise only the runs of white space that change are
    visited and ``origin`` is an ``OffsetMap``. ``normalise_reference`` is
    the character-by-character definition both are tested against.
    """
    spaced = _ODD_SPACE.sub(" ", source) if _has_odd_space(source) else source
    if ("  " not in spaced and not spaced.startswith(" ") and not spaced.endswith(" ")
            and "\u00ab" not in spaced and "\u00bb" not in spaced):
        return Normalised(_translate_quotes(spaced), range(len(source)))
    special = _special_runs(source)
    out: list[str] = []
    starts: list[int] = []
    sources: list[int] = []
    size = 0
    position = 0
    for run_start, run_end in special:
        if run_start > position:
            starts.append(size)
            sources.append(position)
            out.append(source[position:run_start])
            size += run_start - position
        position = run_end
        before = source[run_start - 1] if run_start > 0 else ""
        after = source[run_end] if run_end < len(source) else ""
        if size and after and before != "\u00ab" and after != "\u00bb":
            starts.append(size)
            sources.append(run_start)
            out.append(" ")
            size += 1
    if position < len(source):
        starts.append(size)
        sources.append(position)
        out.append(source[position:])
        size += len(source) - position
    text = "".join(out)
    if _has_odd_space(text):  # single odd spaces inside the kept chunks
        text = _ODD_SPACE.sub(" ", text)
    return Normalised(_translate_quotes(text), OffsetMap(tuple(starts), tuple(sources), size))


def _has_odd_space(text: str) -> bool:
    """Any white space other than U+0020? (ASCII text: a few fast ``in`` tests.)"""
    if text.isascii():
        return "\n" in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
    return _ODD_SPACE.search(text) is not None


def _translate_quotes(text: str) -> str:
    for char in _QUOTE_MAP:
        if char in text:
            return text.translate(_QUOTE_TABLE)
    return text


def _special_runs(source: str) -> list[tuple[int, int]]:
    """The runs of white space that normalisation does more to than turning
    into one plain space: longer runs, runs at either end, and spaces beside
    a guillemet. Sorted ``(start, end)`` pairs."""
    runs = {m.span() for m in _WS_LONG.finditer(source)}
    if source and source[0] in WHITE_SPACE:
        runs.add(_WS_RUN.match(source).span())
    if source and source[-1] in WHITE_SPACE:
        runs.add(_WS_RUN_END.search(source).span())
    for mark, step in (("\u00ab", 1), ("\u00bb", -1)):
        index = source.find(mark)
        while index >= 0:
            near = index + step
            if 0 <= near < len(source) and source[near] in WHITE_SPACE:
                runs.add(_run_around(source, near))
            index = source.find(mark, index + 1)
    return sorted(runs)


def _run_around(source: str, index: int) -> tuple[int, int]:
    start = index
    while start > 0 and source[start - 1] in WHITE_SPACE:
        start -= 1
    end = index + 1
    while end < len(source) and source[end] in WHITE_SPACE:
        end += 1
    return start, end


def normalise_reference(source: str) -> Normalised:
    """The normalisation rules, one character at a time: slow, obviously right.
    Kept as the definition ``normalise_with_map`` is tested against."""
    out: list[str] = []
    origin: list[int] = []
    pending = -1  # index where the current white-space run started
    after_open_guillemet = False
    for index, char in enumerate(source):
        if char in WHITE_SPACE:
            if pending < 0:
                pending = index
            continue
        if pending >= 0:
            if out and not after_open_guillemet and char != "\u00bb":
                out.append(" ")
                origin.append(pending)
            pending = -1
        after_open_guillemet = char == "\u00ab"
        out.append(_QUOTE_MAP.get(char, char))
        origin.append(index)
    return Normalised("".join(out), tuple(origin))


def normalise(value: str) -> str:
    """The normalised form of a string written by the annotator."""
    return normalise_with_map(unicodedata.normalize("NFC", value)).text


class SeedDecodeError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def decode_seed(data: bytes) -> str:
    """UTF-8 text with a leading BOM removed, CRLF and CR read as LF, in NFC."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SeedDecodeError(line, f"not UTF-8: byte 0x{data[exc.start]:02x} at line {line} cannot be decoded") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def find_places(haystack: str, needle: str, prefix: str = "", suffix: str = "") -> list[int]:
    """Every start of ``needle`` in ``haystack`` (overlapping ones included)
    where ``prefix`` ends right before it and ``suffix`` starts right after
    it, one space at the junction ignored. All arguments are normalised."""
    places: list[int] = []
    if not needle:
        return places
    start = haystack.find(needle)
    while start >= 0:
        if _touches(haystack, start, start + len(needle), prefix, suffix):
            places.append(start)
        start = haystack.find(needle, start + 1)
    return places


def _touches(haystack: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    if prefix:
        before = haystack[:start]
        if before.endswith(" "):
            before = before[:-1]
        if not before.endswith(prefix):
            return False
    if suffix:
        after = haystack[end:]
        if after.startswith(" "):
            after = after[1:]
        if not after.startswith(suffix):
            return False
    return True


@dataclass(frozen=True)
class Paragraph:
    number: int  # from 1
    text: str  # as in the seed (NFC), stripped
    norm: Normalised


@dataclass(frozen=True)
class Article:
    """The article proper: its paragraphs, and their normalised concatenation.

    ``joined`` is the paragraphs joined by "\\n"; ``norm`` is its normalised
    form, against which quotes are matched (a paragraph break counts as a
    space, so a quote may run across paragraphs). ``joined`` is made when
    asked for, not kept: the paragraphs hold the text already, and the
    model held it three times (``text_between`` gives a part of it).
    """

    paragraphs: tuple[Paragraph, ...]
    norm: Normalised
    starts: tuple[int, ...]  # offset of each paragraph in ``joined``

    @property
    def joined(self) -> str:
        """The paragraphs joined by "\\n" (made at each call: keep it, or use ``text_between``)."""
        return "\n".join(p.text for p in self.paragraphs)

    def text_between(self, start: int, end: int) -> str:
        """``joined[start:end]``, from the paragraphs it spans only."""
        start, end = max(0, start), max(0, end)
        parts = []
        for k in range(max(0, bisect_right(self.starts, start) - 1), len(self.paragraphs)):
            offset = self.starts[k]
            if offset >= end:
                break
            text = self.paragraphs[k].text
            parts.append(text[max(0, start - offset):end - offset])
            if start <= offset + len(text) < end and k + 1 < len(self.paragraphs):
                parts.append("\n")
        return "".join(parts)

    def locate(self, norm_start: int, norm_end: int) -> list[tuple[int, int, int]]:
        """Map a normalised span to ``(paragraph number, start, end)`` pieces
        in the paragraphs' own text."""
        origin = self.norm.origin
        first = origin[norm_start]
        last = origin[norm_end - 1] + 1
        pieces = []
        for number, (offset, para) in enumerate(zip(self.starts, self.paragraphs), start=1):
            para_end = offset + len(para.text)
            if para_end <= first or offset >= last:
                continue
            start = max(first, offset) - offset
            end = min(last, para_end) - offset
            if end > start:
                pieces.append((number, start, end))
        return pieces


_STRIP = "".join(sorted(WHITE_SPACE))


def split_paragraphs(text: str) -> Article:
    paragraphs = []
    starts = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip(_STRIP)
        if not stripped:
            continue
        starts.append(offset)
        norm = normalise_with_map(stripped)
        if norm.text == stripped:
            norm = Normalised(stripped, norm.origin)  # one string object, not two equal ones
        paragraphs.append(Paragraph(len(paragraphs) + 1, stripped, norm))
        offset += len(stripped) + 1
    joined = "\n".join(p.text for p in paragraphs)
    return Article(tuple(paragraphs), _normalise_joined(joined, paragraphs), tuple(starts))


def _normalise_joined(joined: str, paragraphs: list[Paragraph]) -> Normalised:
    """The article's normalised text. When every paragraph maps one character
    to one character, and no guillemet touches a paragraph break, it is the
    paragraphs' own normalised texts joined by spaces: no second pass."""
    if all(isinstance(p.norm.origin, range) for p in paragraphs) and not any(
            p.text[0] == "\u00bb" or p.text[-1] == "\u00ab" for p in paragraphs):
        return Normalised(" ".join(p.norm.text for p in paragraphs), range(len(joined)))
    return normalise_with_map(joined)


def drop_lines(text: str, drops: set[str]) -> str:
    """Remove every line whose normalised text is one of ``drops`` (normalised)."""
    if not drops:
        return text
    return "\n".join(line for line in text.split("\n") if normalise(line) not in drops)


_SLUG_RUN = re.compile(r"[^a-z0-9]+")


def slug_from_name(name: str) -> str:
    """A seed file name without extension -> slug (lower-case, runs of other
    characters -> '-', trimmed), as the content format says.

    Where that leaves nothing (format 1.1: a name in another script, such as
    ``日本.txt``), the letters Unicode decomposes to ASCII are used
    (``ＡＢＣ.txt`` -> ``abc``); failing that, ``source-`` and the first eight
    hex digits of the SHA-256 of the file name: stable across builds, and
    never the empty slug that made ``new`` write ``content/sources/.md``."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    slug = _SLUG_RUN.sub("-", stem.lower()).strip("-")
    if not slug:
        folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
        slug = _SLUG_RUN.sub("-", folded.lower()).strip("-")
    if not slug:
        slug = "source-" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return slug


TITLE_LIMIT = 100  # characters at most in a title taken from seed text


def shorten(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its start cut
    between words (or inside a word far longer than the rest) with '…',
    ``limit`` characters in all. Seed text may be one line of megabytes:
    whatever is taken from it for a title or a description stays small."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:.") + "\u2026"
