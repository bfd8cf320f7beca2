"""The free pages (content/pages/*.md; ``index.md`` is the home page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Diagnostics
from .schema import FieldReader, is_slug
from .model import Page
from .files import Reading, read_markdown_file

PAGE_KEYS = ("title", "nav")
RESERVED_PAGES = ("timeline", "actors", "sources", "events", "data", "search", "assets", "404")  # events: format 1.1


@dataclass(frozen=True)
class PagesResult:
    pages: tuple[Page, ...]
    home: Page | None
    diagnostics: tuple[Diagnostic, ...]
    converted: dict[tuple[str, str], str] = field(default_factory=dict)  # MarkupCheck.converted


def load_pages(folder: Path, reading: Reading) -> PagesResult:
    diagnostics = Diagnostics()
    pages, home = [], None
    if not folder.is_dir():
        return PagesResult((), None, ())
    check = reading.markup_check.fresh()
    for path in sorted(folder.glob("*.md")):
        rel = reading.rel(path)
        reader = FieldReader(diagnostics, rel, check)
        slug = path.stem
        if not is_slug(slug):
            reader.error(None, f"file name must be a slug: {path.name!r}")
            continue
        if slug in RESERVED_PAGES:
            reader.error(None, f"the page slug '{slug}' is reserved (reserved: {', '.join(RESERVED_PAGES)})")
            continue
        meta, body, ok = read_markdown_file(path, rel, diagnostics, reading.read, ("title",), check)
        if not ok:
            continue
        reader.keys(meta, PAGE_KEYS, ("title",))
        title = reader.string(meta, "title", required=True)
        nav = reader.number(meta, "nav")
        if title is None:
            continue
        page = Page(slug, title.strip(), nav, body.strip("\n"), rel)
        if slug == "index":
            home = page
        else:
            pages.append(page)
    return PagesResult(tuple(pages), home, tuple(diagnostics.items), check.converted)
