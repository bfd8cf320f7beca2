"""Actor mentions: every name and alias of every actor, found in one pass.

One regular expression per case mode is built from a trie of all the forms,
so a paragraph is scanned once however many actors there are (a corpus may
have hundreds). The content format's overlap rule is then applied: the
longest match wins, then the leftmost, then the actor listed first.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from .text import Paragraph


@lru_cache(maxsize=1)
def word_class() -> str:
    """A regex character class of word characters: Unicode L*, M* and Nd."""
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
    parts = []
    for low, high in ranges:
        parts.append(_esc(low) if low == high else f"{_esc(low)}-{_esc(high)}")
    return "[" + "".join(parts) + "]"


def _esc(code: int) -> str:
    return f"\\U{code:08x}"


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
    key: str  # lookup key (lower-cased for case-insensitive forms)
    actor: int  # index in the actor list
    exact: bool


class MentionMatcher:
    """Built once per site from ``[(name, aliases, exact_aliases), ...]`` (normalised)."""

    def __init__(self, actors: list[tuple[str, list[str], list[str]]]):
        self.forms: dict[tuple[bool, str], _Form] = {}
        for index, (name, aliases, exact) in enumerate(actors):
            for text in exact:
                self.forms.setdefault((True, text), _Form(text, text, index, True))
            for text in [name, *aliases]:
                if text in exact:
                    continue
                key = text.lower()
                self.forms.setdefault((False, key), _Form(text, key, index, False))
        word = word_class()
        self.patterns = []
        for exact in (False, True):
            forms = [f.key if not exact else f.text for (e, _), f in self.forms.items() if e == exact]
            if not forms:
                continue
            body = _trie_pattern(forms)
            regex = re.compile(f"(?=(?<!{word})({body})(?!{word}))", 0 if exact else re.IGNORECASE)
            self.patterns.append((exact, regex))
        self._boundary = re.compile(word)
        # Shorter forms that are prefixes of a longer form: matched at the same place too.
        self.prefixes: dict[tuple[bool, str], list[_Form]] = {}
        for (exact, key), form in self.forms.items():
            self.prefixes[(exact, key)] = [
                other for (e2, k2), other in self.forms.items()
                if e2 == exact and len(k2) < len(key) and key.startswith(k2)
            ]

    def _lookup(self, exact: bool, matched: str) -> _Form | None:
        form = self.forms.get((exact, matched if exact else matched.lower()))
        if form is not None or exact:
            return form
        for (e, _), candidate in self.forms.items():  # rare: case variants lower() does not unify
            if not e and len(candidate.key) == len(matched) and re.fullmatch(re.escape(candidate.key), matched, re.IGNORECASE):
                return candidate
        return None

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Mentions in one normalised paragraph: ``(start, end, actor index)``."""
        candidates = []
        for exact, regex in self.patterns:
            for match in regex.finditer(text):
                start, end = match.span(1)
                form = self._lookup(exact, match.group(1))
                if form is None:
                    continue
                candidates.append((start, end, form.actor))
                for shorter in self.prefixes[(exact, form.key)]:
                    stop = start + len(shorter.key)
                    if stop < len(text) and self._boundary.match(text, stop):
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
