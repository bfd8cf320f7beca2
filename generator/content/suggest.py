""""Did you mean": one helper for every name the content looks up.

A key, a seed file, an actor id, a source slug: a typo in any of them must
say what was probably meant, in the same words everywhere. Case is compared
first (``One.txt`` for ``one.txt`` is the usual slip on a case-sensitive
disk), then difflib's closeness ratio (the standard library's; good enough
for names of a few dozen characters, and the lists are short).
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Iterable

CUTOFF = 0.6  # difflib's default: "actor" for "actors", not "apple" for "alice"


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` most probably meant, or None."""
    options = sorted({str(c) for c in candidates})
    if not options or name in options:
        return None
    folded = [c for c in options if c.casefold() == name.casefold()]
    if folded:
        return folded[0]
    found = get_close_matches(name, options, n=1, cutoff=CUTOFF)
    if not found:  # 'Boeing.txt' for 'boeing-q3.txt': compare without case as well
        by_fold = {c.casefold(): c for c in options}
        found = [by_fold[m] for m in get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=CUTOFF)]
    return found[0] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` to append to a message, or ``""``."""
    match = closest(name, candidates)
    return f" (did you mean '{match}'?)" if match is not None else ""
