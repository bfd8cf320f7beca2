"""``new``: a starting annotation for a seed, filled with what can be guessed.

What is found in the text (language, publication date, byline, where the
article proper starts: ``seedguess``) is written as values with a comment
saying where it came from, so the researcher checks rather than types it;
what is not found stays a commented example.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import yaml

from .content.config import SiteConfig, load_config
from .content.inputfiles import name_problem, read_bytes, shown
from .content.schema import is_slug
from .content.seedkind import not_a_text_seed, not_utf8_hint
from .content.seedtext import (TITLE_LIMIT, WHITE_SPACE, Article, SeedDecodeError, decode_seed, find_places,
                               normalise, shorten, slug_from_name, split_paragraphs)
from .errors import Diagnostics
from .seedguess import Heading, detect_language, read_heading

# The one place that decides whether a byline found is written as `author:` or
# as a comment: the loader's own list of keys (format 1.1 adds `author`).
QUOTE_WORDS = 8  # words at least in a proposed text.start / text.end; more when needed to be unique
_NUMERIC_PREFIX = re.compile(r"^(?:\d+-)+(?=[a-z])")


def proposed_slug(name: str) -> str:
    """The slug ``new`` proposes for a seed: its file name's, without numeric
    prefixes (``01-foo.txt`` -> ``foo``; a name of digits only keeps them)."""
    return _NUMERIC_PREFIX.sub("", slug_from_name(name))


def _yaml_scalar(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=1000, default_flow_style=True).splitlines()[0]


def _unique_quote(article: Article, words: list[str], from_end: bool = False, after: int = 0) -> tuple[str, int] | None:
    """The first (or last) words of a paragraph, ``QUOTE_WORDS`` or more, that
    occur once in the article from ``after`` on (as the build matches
    ``text.start`` / ``text.end``), and where."""
    for count in range(min(QUOTE_WORDS, len(words)), min(len(words), QUOTE_WORDS + 40) + 1):
        piece = " ".join(words[-count:] if from_end else words[:count])
        places = [p for p in find_places(article.norm.text, normalise(piece)) if p >= after]
        if len(places) == 1:
            return piece, places[0]
    return None


def _text_lines(article: Article, heading: Heading) -> list[str]:
    """``text:`` with the first words after the title, date and byline, and the
    last words of the seed: set when date or byline lines were found, and the
    words are unique; else commented, as a suggestion."""
    paragraphs = article.paragraphs
    first_index = heading.start if heading.start is not None else 1
    first = _unique_quote(article, paragraphs[first_index].text.split()) if first_index < len(paragraphs) else None
    last = _unique_quote(article, paragraphs[-1].text.split(), True, first[1] if first else 0) if paragraphs else None
    if heading.found and heading.start is not None and first and last:
        return ["text:                          # the article proper: it starts after the title, byline and date",
                f"  start: {_yaml_scalar(first[0])}", f"  end: {_yaml_scalar(last[0])}"]
    return ["# text:                        # the article proper: first and last words",
            f"#   start: {_yaml_scalar(first[0]) if first else ''}", f"#   end: {_yaml_scalar(last[0]) if last else ''}"]


def _found_lines(heading: Heading, line_numbers: list[int], language: str | None, site_language: str) -> list[str]:
    """``published``, ``language`` and ``author``: values where the text gave them."""
    lines = ["# publisher: "]
    if heading.published:
        lines.append(f"published: {heading.published:<20}# found on line {line_numbers[heading.published_at]}; "
                     "prefix ~ if it is not the publication date")
    else:
        lines.append("# published: 2024-01-31        # YYYY, YYYY-MM or YYYY-MM-DD; prefix ~ if inferred")
    if heading.authors:
        names = heading.authors[0] if len(heading.authors) == 1 else list(heading.authors)
        where = f"# found on line {line_numbers[heading.authors_at]}"
        lines.append(f"author: {_yaml_scalar(names)}  {where}")
    lines.append(f"language: {language:<21}# detected in the text; check it" if language
                 else f"# language: {site_language}")
    return lines


def annotation_text(name: str, data: bytes, text: str, site_language: str) -> str:
    """The whole annotation file for the seed ``name`` (bytes ``data``, decoded ``text``)."""
    article = split_paragraphs(text)
    paragraphs = article.paragraphs
    line_numbers = [n + 1 for n, line in enumerate(text.split("\n")) if line.strip("".join(WHITE_SPACE))]
    heading = read_heading([p.text for p in paragraphs[:40]])
    title = shorten(paragraphs[heading.title].text, TITLE_LIMIT) if heading.title is not None else Path(name).stem
    body_from = heading.start if heading.start is not None else 0
    language = detect_language("\n".join(p.text for p in paragraphs[body_from:body_from + 60]))
    # The digest pins the seed this annotation is written against: the build
    # fails with a clear message if the file changes afterwards.
    meta = {"seed": name, "title": title, "seed_sha256": hashlib.sha256(data).hexdigest()}
    lines = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000).splitlines()
    lines += _found_lines(heading, line_numbers, language, site_language)
    lines += ["# url: https://", "# summary: One paragraph in Markdown."]
    lines += _text_lines(article, heading)
    lines += [
        "# drop: []                     # boilerplate lines inside the article",
        "# notes:",
        "#   - quote: exact words of the passage",
        "#     kind: note                # note, correction (with should_read) or claim",
        "#     body: What the reader should know.",
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\nCommentary: what this source adds, what it gets wrong, how far to trust it.\n"


def _seed_in(config: SiteConfig, seed: Path) -> tuple[Path, bytes, str] | str:
    """The seed's path, bytes and text, or the one-line error to print."""
    candidates = [seed, config.seeds_dir / seed.name]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None or path.resolve().parent != config.seeds_dir.resolve():
        return f"{seed}: error: not a file in the seeds folder {config.rel(config.seeds_dir)}/"
    problem = name_problem(path.name)
    if problem:
        return f"{shown(config.rel(path))}: error: {problem}"
    rel = config.rel(path)
    try:
        data = read_bytes(path)
    except OSError as exc:
        return f"{rel}: error: cannot read file: {exc.strerror or exc}"
    problem = not_a_text_seed(data, rel)  # a PDF, a web page…: the build's own words
    if problem:
        return f"{rel}: error: {problem}"
    try:
        return path, data, decode_seed(data)
    except SeedDecodeError as exc:
        hint = not_utf8_hint(data, rel)
        return f"{rel}:{exc.line}: error: {exc}" + (f"; {hint}" if hint else "")


def new_annotation(config_path: Path, seed: Path, force: bool = False, slug: str | None = None) -> int:
    diagnostics = Diagnostics()
    config = load_config(config_path, diagnostics)
    if config is None:
        for item in diagnostics.items:
            print(item, file=sys.stderr)
        return 1
    found = _seed_in(config, seed)
    if isinstance(found, str):
        print(found, file=sys.stderr)
        return 1
    path, data, text = found
    if slug is not None and not is_slug(slug):
        print(f"error: --slug must be a slug (lower-case letters, digits and single hyphens), got {slug!r}", file=sys.stderr)
        return 1
    slug = slug or proposed_slug(path.name)
    target = config.content_dir / "sources" / f"{slug}.md"
    if target.exists() and not force:
        print(f"{config.rel(target)}: error: already exists (use --force to overwrite it, or --slug to choose another slug)",
              file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(annotation_text(path.name, data, text, config.language), encoding="utf-8")
    print(f"wrote {config.rel(target)}")
    return 0
