"""The slug of a new source: from its title, else its file name; ASCII,
without numeric prefixes, short, and not taken.

A slug names the seed, the annotation, the capture and the page's URL, so
it is worth a readable one: ``regulators-ground-cargo-fleet``, not
``000-d2de63c15c84905d``. Numeric prefixes (``01-``, ``000_``) are the
order of a download folder, not part of the name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Callable

MAX_LENGTH = 60
_RUN = re.compile(r"[^a-z0-9]+")
_NUMERIC_PREFIX = re.compile(r"^(?:\d+[-_. ]+)+(?=\D)")


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe"))
    slug = _RUN.sub("-", folded.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    if len(slug) > MAX_LENGTH:
        cut = slug[: MAX_LENGTH + 1].rsplit("-", 1)[0]
        slug = cut if len(cut) >= MAX_LENGTH // 2 else slug[:MAX_LENGTH].rstrip("-")
    return slug


def base_slug(title: str, name: str) -> str:
    """From the title where it gives one, else from the file (or URL path) name."""
    slug = slugify(title)
    if not slug:
        stem = name.rsplit("/", 1)[-1]
        stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
        slug = slugify(_NUMERIC_PREFIX.sub("", stem))
    return slug or "source-" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``… : the first that is not taken."""
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base[: MAX_LENGTH - len(str(number)) - 1].rstrip('-')}-{number}"
    return slug
