"""Actor mentions: every name and alias of every actor, found in one pass.

One regular expression per case mode is built from a trie of all the forms,
so a paragraph is scanned once however many actors there are (a corpus may
have hundreds). The content format's overlap rule is then applied: the
longest match wins, then the leftmost, then the actor listed first.

Speed matters here (thousands of sources, tens of thousands of
paragraphs), so the patterns are built for the regular expression
engine's fast paths: each starts with a plain character set (the engine
skips ahead to the next place where it can match) and is case-sensitive
(a case-insensitive alternation is tried branch by branch at every place).
Case-insensitive forms are matched in a *folded* copy of the text: folding
maps two characters to the same one exactly when ``re.IGNORECASE`` would
match them, and keeps every character in place, so offsets stay valid.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .seedtext import Paragraph


def compute_word_ranges() -> tuple[tuple[int, int], ...]:
    """Code point ranges of word characters: Unicode L*, M* and Nd (slow: every code point)."""
    ranges = []
    start = None
    for code in range(sys.maxunicode + 1):
        cat = unicodedata.category(chr(code))
        is_word = cat[0] in "LM" or cat == "Nd"
        if is_word and start is None:
            start = code
        elif not is_word and start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, sys.maxunicode))
    return tuple(ranges)


@lru_cache(maxsize=1)
def word_ranges() -> tuple[tuple[int, int], ...]:
    """The word-character ranges: from the shipped table when it was made for
    this Python's Unicode version, else computed once per process."""
    from . import _wordchars_table as table
    if table.UNIDATA_VERSION == unicodedata.unidata_version:
        return table.RANGES
    return compute_word_ranges()


def write_word_table(path: Path | None = None) -> Path:
    """Regenerate ``_wordchars_table.py`` for this Python's Unicode version."""
    path = path or Path(__file__).with_name("_wordchars_table.py")
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("UNIDATA_VERSION = ")]
    head = re.sub(r"for Unicode [0-9.]+\.", f"for Unicode {unicodedata.unidata_version}.", head)
    rows = []
    ranges = compute_word_ranges()
    for i in range(0, len(ranges), 6):
        rows.append("    " + ", ".join(f"(0x{lo:X}, 0x{hi:X})" for lo, hi in ranges[i:i + 6]) + ",")
    path.write_text(f'{head}UNIDATA_VERSION = "{unicodedata.unidata_version}"\n\nRANGES = (\n'
                    + "\n".join(rows) + "\n)\n", encoding="utf-8")
    return path


def _class_body(bmp_only: bool = False) -> str:
    """The inside of a ``[...]`` of word characters. ``bmp_only``: every
    character beyond U+FFFF counts as a word character, which lets the
    engine test a character with one table look-up instead of a scan of
    hundreds of ranges; only right for text without such characters."""
    ranges = word_ranges()
    if bmp_only:
        ranges = tuple((low, min(high, 0xFFFF)) for low, high in ranges if low <= 0xFFFF) + ((0x10000, sys.maxunicode),)
    return "".join(_esc(low) if low == high else f"{_esc(low)}-{_esc(high)}" for low, high in ranges)


@lru_cache(maxsize=1)
def word_class() -> str:
    """A regex character class of word characters: Unicode L*, M* and Nd."""
    return "[" + _class_body() + "]"


def _esc(code: int) -> str:
    # The character itself (escaped only where the class syntax needs it):
    # much faster to parse than a \U........ escape, and classes are large.
    return re.escape(chr(code)) if chr(code) in "\\]^-[" else chr(code)


def _fold_classes() -> dict[str, str]:
    """Characters ``re.IGNORECASE`` treats as equal although their lower cases
    differ (i and dotless ı, s and long ſ, σ and ς...) -> one representative."""
    try:
        from re._casefix import _EXTRA_CASES as extra
    except ImportError:  # pragma: no cover - every supported Python has it
        return {}
    parent: dict[int, int] = {}

    def root(code: int) -> int:
        while parent.get(code, code) != code:
            code = parent[code]
        return code

    for code, others in extra.items():
        for other in others:
            a, b = root(code), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {chr(code): chr(root(code)) for code in extra if root(code) != code}


_FOLD_TABLE = str.maketrans(_fold_classes())
_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD_TABLE) + "]") if _FOLD_TABLE else None


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def fold(text: str) -> str:
    """``text`` case-folded the way ``re.IGNORECASE`` compares characters,
    one character for one character: ``fold(a) == fold(b)`` exactly when
    ``re.fullmatch(re.escape(a), b, re.IGNORECASE)`` matches."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text:  # the one character whose full lower case is two characters
        text = text.replace("\u0130", "i")
    text = text.lower()
    if _FOLD_CHARS is not None and _FOLD_CHARS.search(text) is not None:
        text = text.translate(_FOLD_TABLE)
    return text


def _trie_pattern(forms: list[str]) -> str:
    """A regex matching any of ``forms``; at one position it prefers the longest.

    The trie is walked without recursion, and each node's pattern is built in
    a deque that its parent extends at the left: a name or alias thousands of
    characters long once exhausted Python's stack (a RecursionError traceback).
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = True

    done: dict[int, tuple[deque, int]] = {}  # id(node) -> (pattern pieces, pattern length)
    stack: list[tuple[dict, bool]] = [(trie, False)]
    while stack:
        node, children_done = stack.pop()
        children = sorted((char, child) for char, child in node.items() if char != "")
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for _, child in children)
            continue
        branches = []
        for char, child in children:
            pieces, size = done.pop(id(child))
            escaped = re.escape(char)
            pieces.appendleft(escaped)
            branches.append((pieces, size + len(escaped)))
        if not branches:
            done[id(node)] = (deque(), 0)
            continue
        if len(branches) == 1:
            body, size = branches[0]
        else:
            body, size = deque(["(?:"]), 3
            for index, (pieces, length) in enumerate(branches):
                if index:
                    body.append("|")
                    size += 1
                body.extend(pieces)
                size += length
            body.append(")")
            size += 1
        if "" in node:
            # Greedy optional: the longer continuation is tried first.
            if len(branches) == 1 and size == 1:
                body.append("?")
                size += 1
            else:
                body.appendleft("(?:")
                body.append(")?")
                size += 5
        done[id(node)] = (body, size)
    return "".join(done[id(trie)][0])


@dataclass(frozen=True)
class _Form:
    text: str  # normalised
    key: str  # lookup key (folded for case-insensitive forms)
    actor: int  # index in the actor list
    exact: bool


class _Patterns:
    """The two expressions for one set of forms, compiled on first use (text
    beyond U+FFFF is rare: its variant is usually never needed)."""

    def __init__(self, body: str, word: str):
        self.body, self.word = body, word
        self._compiled = None

    def compiled(self):
        if self._compiled is None:
            # Inside the text a form follows a non-word character, consumed
            # first so that the engine can skip to candidates; at the very
            # start it is matched on its own.
            self._compiled = (re.compile(f"[^{self.word}]({self.body})(?![{self.word}])", re.DOTALL),
                              re.compile(f"({self.body})(?![{self.word}])", re.DOTALL))
        return self._compiled


class MentionMatcher:
    """Built once per site from ``[(name, aliases, exact_aliases), ...]`` (normalised)."""

    def __init__(self, actors: list[tuple[str, list[str], list[str]]]):
        self.forms: dict[tuple[bool, str], _Form] = {}
        for index, (name, aliases, exact) in enumerate(actors):
            for text in exact:
                if text:
                    self.forms.setdefault((True, text), _Form(text, text, index, True))
            for text in [name, *aliases]:
                if text in exact or not text:
                    continue
                key = fold(text)
                self.forms.setdefault((False, key), _Form(text, key, index, False))
        word, bmp_word = _class_body(), _class_body(bmp_only=True)
        self.patterns = []  # (exact, patterns for text within the BMP, patterns for any text)
        for exact in (False, True):
            keys = [key for (e, key) in self.forms if e == exact]
            if not keys:
                continue
            body = _trie_pattern(keys)
            self.patterns.append((exact, _Patterns(body, bmp_word), _Patterns(body, word)))
        self._word = re.compile(f"[{word}]")
        # Shorter forms that are prefixes of a longer form: matched at the same place too.
        self.prefixes: dict[tuple[bool, str], list[_Form]] = {}
        for exact, key in self.forms:
            shorter = (self.forms.get((exact, key[:size])) for size in range(1, len(key)))
            self.prefixes[(exact, key)] = [form for form in shorter if form is not None]

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Mentions in one normalised paragraph: ``(start, end, actor index)``."""
        candidates = []
        beyond_bmp = not text.isascii() and _BEYOND_BMP.search(text) is not None
        for exact, bmp_patterns, any_patterns in self.patterns:
            inside, at_start = (any_patterns if beyond_bmp else bmp_patterns).compiled()
            subject = text if exact else fold(text)
            found = []
            match = at_start.match(subject)
            if match is not None:
                found.append(match.span(1))
            position = 0
            while True:
                match = inside.search(subject, position)
                if match is None:
                    break
                found.append(match.span(1))
                position = match.start(1)  # overlapping matches: go on from this one's start
            for start, end in found:
                form = self.forms[(exact, subject[start:end])]
                candidates.append((start, end, form.actor))
                for shorter in self.prefixes[(exact, form.key)]:
                    stop = start + len(shorter.key)
                    if stop < len(subject) and self._word.match(subject, stop):
                        continue
                    candidates.append((start, stop, shorter.actor))
        if not candidates:
            return []
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
        # Longest first, then leftmost: keep each candidate that overlaps none
        # kept so far. The kept ones never overlap, so sorted by start their
        # ends are sorted too and only the two neighbours need a look
        # (comparing with every kept one was quadratic: minutes for a long
        # paragraph full of mentions).
        chosen: list[tuple[int, int, int]] = []
        starts: list[int] = []
        ends: list[int] = []
        for cand in candidates:
            start, end = cand[0], cand[1]
            at = bisect_right(starts, start)
            if (at and ends[at - 1] > start) or (at < len(starts) and starts[at] < end):
                continue
            starts.insert(at, start)
            ends.insert(at, end)
            chosen.append(cand)
        chosen.sort()
        return chosen

    def find_in_paragraph(self, paragraph: Paragraph) -> list[tuple[int, int, int]]:
        """Mentions mapped back to the paragraph's own text."""
        origin = paragraph.norm.origin
        return [(origin[s], origin[e - 1] + 1, actor) for s, e, actor in self.find(paragraph.norm.text)]
