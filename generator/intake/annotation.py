"""The starting annotation ``add`` writes: every field found filled in, the
others as commented lines to fill, and where the seed came from.

``x-captured`` (the date of capture) and ``x-capture`` (the kept original:
its file, its SHA-256, its URL or file name) are ``x-`` keys, which the
content format leaves to the user's tools: they record provenance without
changing what the site shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .extracted import Extracted

_DATE = re.compile(r"~?\d{4}(?:-\d{2}){0,2}")


@dataclass(frozen=True)
class Capture:
    file: str  # the kept original, relative to the site folder: captures/<slug>.<ext>
    sha256: str
    origin_key: str  # "url" or "name"
    origin: str


def _value(value) -> str:
    """One YAML value as it goes after ``key: `` (quoted only when needed)."""
    return yaml.safe_dump(value, allow_unicode=True, width=1000, default_flow_style=True).strip().removesuffix("...").strip()


def _author_lines(authors: list) -> list[str]:
    value = authors[0] if len(authors) == 1 and isinstance(authors[0], str) else authors
    if isinstance(value, str):
        lines = [f"author: {_value(value)}"]
    else:
        lines = ["author:"] + [f"  - {_value(a)}" if isinstance(a, str) else f"  - organization: {_value(a['organization'])}"
                               for a in value]
    return lines


def front_matter(extracted: Extracted, slug: str, seed_sha256: str, captured: str, capture: Capture | None,
                 default_language: str) -> str:
    """The annotation's text: front matter and a line of commentary to replace."""
    lines = [f"seed: {slug}.txt", f"title: {_value(extracted.title or slug)}"]
    lines += _author_lines(extracted.authors) if extracted.authors else ["# author: Given Family"]
    for key, example in (("publisher", ""), ("published", "2024-01-31        # YYYY, YYYY-MM or YYYY-MM-DD; prefix ~ if inferred"),
                         ("language", default_language), ("url", "https://")):
        found = getattr(extracted, key)
        shown = found if key == "published" and _DATE.fullmatch(found or "") else _value(found)
        lines.append(f"{key}: {shown}" if found else f"# {key}: {example}".rstrip())
    lines += [f"seed_sha256: {seed_sha256}", f"x-captured: {captured}"]
    if capture is not None:
        lines += ["x-capture:", f"  file: {capture.file}", f"  sha256: {capture.sha256}",
                  f"  {capture.origin_key}: {_value(capture.origin)}"]
        if extracted.encoding:
            lines.append(f"  encoding: {_value(extracted.encoding)}")
    lines += ["# summary: One paragraph in Markdown.",
              "# notes:",
              "#   - quote: exact words of the passage",
              "#     kind: note                # note, correction (with should_read) or claim",
              "#     body: What the reader should know."]
    body = "\n".join(lines)
    return f"---\n{body}\n---\n\nCommentary: what this source adds, what it gets wrong, how far to trust it.\n"
