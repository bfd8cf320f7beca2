"""One source: its annotation (content/sources/<slug>.md) read and checked,
its seed's article cut and split, its notes placed; or a seed published
without an annotation. Plain functions: each returns a ``SourceResult``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import Diagnostic, Diagnostics
from .schema import FieldReader, is_slug
from .suggest import did_you_mean
from .yaml_recover import seed_written_in
from .alias_guard import read_not_mentions
from .quote_hints import SeedContext, explain_missing, shown_quote
from .choices import authors as read_authors
from .model import NOTE_KINDS, Author, Note, Piece, Source
from .seedtext import (TITLE_LIMIT, Article, drop_lines, find_places, normalise, shorten, slug_from_name,
                       split_paragraphs)
from .yamlio import YMap
from .files import Reading, read_markdown_file, read_seed_file, seed_digest, text_digest

SOURCE_KEYS = ("seed", "title", "publisher", "published", "language", "url", "translated_from",
               "tags", "summary", "text", "drop", "notes", "seed_sha256", "not_mentions", "author")
TRANSLATED_KEYS = ("publisher", "title", "url", "published", "language")  # as text, in translated_from
TRANSLATED_ALL_KEYS = (*TRANSLATED_KEYS, "author")
NOTE_KEYS = ("quote", "prefix", "suffix", "kind", "body", "should_read")
SHA256 = re.compile(r"^[0-9a-f]{64}\Z")


@dataclass(frozen=True)
class SourceResult:
    """A source (None when it cannot be published) and its problems.

    ``claims``: the seed this annotation takes for itself (a later annotation
    naming it is an error); ``reads``: the files read besides the annotation
    (its seed), or None when the outcome depends on more than files (the
    seeds listed, the seeds other annotations took). ``article_digest``: a
    digest of the article's text, for what depends only on it (mentions,
    evidence). ``converted``: the annotator's Markdown converted to check it
    (``MarkupCheck.converted``), for the pages."""

    source: Source | None
    claims: str | None
    reads: tuple[Path, ...] | None
    article_digest: str | None
    diagnostics: tuple[Diagnostic, ...]
    converted: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Quote:
    """A quote to find, with where it was written (for messages)."""

    text: str
    prefix: str
    suffix: str
    path: str
    line: int


def match_quote(article: Article, quote: Quote, diagnostics: Diagnostics, what: str = "quote",
                min_start: int = 0, context: SeedContext | None = None) -> tuple[int, int] | None:
    """The one place of ``quote`` in the article's normalised text, or an
    error that shows the closest passage and the usual cause (``quote_hints``;
    ``context``: how the article was cut from its seed)."""
    needle = normalise(quote.text)
    if not needle:
        diagnostics.error(quote.path, quote.line, f"{what} is empty")
        return None
    prefix, suffix = normalise(quote.prefix), normalise(quote.suffix)
    every = find_places(article.norm.text, needle, prefix, suffix)
    places = [p for p in every if p >= min_start]
    shown = shown_quote(needle)
    if not places and every:
        diagnostics.error(quote.path, quote.line, f"{what} occurs only before text.start: \"{shown}\"")
        return None
    if not places:
        diagnostics.error(quote.path, quote.line, *explain_missing(article.norm.text, needle, prefix, suffix, what, context))
        return None
    if len(places) > 1:
        diagnostics.error(quote.path, quote.line,
                          f"{what} matches {len(places)} places in the article text (add words, or a prefix or suffix, to make it unique): \"{shown}\"")
        return None
    return places[0], places[0] + len(needle)


def pieces_of(article: Article, span: tuple[int, int]) -> tuple[Piece, ...]:
    return tuple(Piece(n, s, e) for n, s, e in article.locate(*span))


def load_source(path: Path, seeds: Mapping[str, Path], claimed: Mapping[str, str], reading: Reading) -> SourceResult:
    """The source annotated by ``path``. ``claimed``: the seeds already taken
    by other annotations (seed name -> the annotation's path as shown)."""
    diagnostics = Diagnostics()
    rel = reading.rel(path)
    check = reading.markup_check.fresh()
    reader = FieldReader(diagnostics, rel, check)
    claims = None

    def result(source: Source | None = None, article_digest: str | None = None) -> SourceResult:
        reads = (seeds[claims],) if claims is not None else None
        return SourceResult(source, claims, reads, article_digest, tuple(diagnostics.items), check.converted)

    slug = path.stem
    if not is_slug(slug):
        reader.error(None, f"file name must be a slug (lower-case letters, digits and single hyphens): {path.name!r}")
    meta, body, ok = read_markdown_file(path, rel, diagnostics, reading.read, ("seed", "title"), check)
    if not ok:
        claims = _seed_of_unreadable(path, seeds, claimed, reading)
        return result()
    reader.keys(meta, SOURCE_KEYS, ("seed", "title"))
    seed_name = reader.string(meta, "seed", required=True)
    title = reader.string(meta, "title", required=True)
    publisher = reader.string(meta, "publisher") or ""
    published = reader.date(meta, "published")
    language = reader.language(meta, "language") or reading.config.language
    url = reader.url(meta, "url") or ""
    translated = translated_from(meta, reader)
    written_by = read_authors(reader, meta)
    original_by = translated_authors(meta, reader)
    tags = tuple(t for t, _ in reader.slugs(meta, "tags"))
    summary = reader.markdown(meta, "summary") or ""
    drops = {normalise(d) for d in reader.strings(meta, "drop")}
    seed_path = None
    if seed_name is not None:
        if "/" in seed_name or "\\" in seed_name or seed_name.startswith("."):
            reader.error(meta.line_of("seed"), f"'seed' must be a file name in the seeds folder, got {seed_name!r}")
        elif seed_name not in seeds:
            reader.error(meta.line_of("seed"), f"seed file not found: {reading.rel(reading.config.seeds_dir / seed_name)}"
                                               f"{did_you_mean(seed_name, seeds)}")
        elif seed_name in claimed:
            reader.error(meta.line_of("seed"), f"seed {seed_name!r} is already annotated by {claimed[seed_name]}")
        else:
            claims = seed_name
            seed_path = seeds[seed_name]
    if seed_path is None or not is_slug(slug) or title is None:
        check_notes_shape(meta, reader)
        return result()
    raw = read_seed_file(seed_path, reading.rel(seed_path), diagnostics, reading.read)
    if raw is None:
        return result()
    digest = seed_digest(seed_path, reading.read)
    check_seed_digest(meta, reader, seed_name, digest)
    article = extract_article(raw, drops, meta, reader)
    if article is None:
        return result()
    context = SeedContext(raw, frozenset(drops), article.norm.text)
    notes = load_notes(meta, reader, article, context)

    def place(data: YMap, quote: str):
        span = match_quote(article, Quote(quote, reader.string(data, "prefix") or "", reader.string(data, "suffix") or "",
                                          reader.path, data.line_of("quote")), reader.diagnostics, context=context)
        return pieces_of(article, span) if span is not None else None

    not_mentions = read_not_mentions(meta, reader, article, place)
    return result(Source(slug=slug, seed=seed_name, title=title.strip(), publisher=publisher.strip(),
                         published=published, language=language, url=url.strip(),
                         translated_from=translated, tags=tags, summary=summary.strip(),
                         commentary=body.strip("\n"), notes=notes, article=article, annotation=rel,
                         seed_bytes=seed_path.stat().st_size, seed_sha256=digest, not_mentions=not_mentions,
                         authors=written_by, translated_authors=original_by),
                  text_digest(article.joined))


def _seed_of_unreadable(path: Path, seeds: Mapping[str, Path], claimed: Mapping[str, str], reading: Reading) -> str | None:
    """The seed an annotation that cannot be read names, when its text shows it."""
    try:
        name = seed_written_in(reading.read(path).decode("utf-8", "replace"))
    except OSError:
        return None
    return name if name in seeds and name not in claimed else None


def check_seed_digest(meta: YMap, reader: FieldReader, seed_name: str, digest: str) -> None:
    """``seed_sha256``, when given, pins the seed the annotation was written against.

    Quotes can survive an edited seed while meaning something else, so a
    seed that changed after it was annotated stops the build until the
    annotator has looked again and recorded the new digest.
    """
    recorded = reader.string(meta, "seed_sha256")
    if recorded is None:
        return
    line = meta.line_of("seed_sha256")
    value = recorded.strip().lower()
    if not SHA256.match(value):
        reader.error(line, f"'seed_sha256' must be 64 hexadecimal digits (the SHA-256 of the seed file), got {recorded!r}")
    elif value != digest:
        reader.error(line, f"seed {seed_name!r} has changed since it was annotated: its SHA-256 is now {digest}, "
                           f"the annotation records {value}. Seeds are kept as collected; if the new file is right, "
                           f"check every quote and note against it, then set 'seed_sha256: {digest}'")


def translated_from(meta: YMap, reader: FieldReader) -> tuple[tuple[str, str], ...]:
    if meta.get("translated_from") is None:
        return ()
    data = reader.mapping(meta["translated_from"], meta.line_of("translated_from"), "'translated_from'")
    if data is None:
        return ()
    reader.keys(data, TRANSLATED_ALL_KEYS, what="translated_from")
    result = []
    for key in TRANSLATED_KEYS:
        if key == "published":
            date = reader.date(data, key)
            if date is not None:
                result.append((key, date.written))
            continue
        read = {"url": reader.url, "language": reader.language}.get(key)
        value = read(data, key, f"translated_from.{key}") if read else reader.string(data, key)
        if value and value.strip():
            result.append((key, value.strip()))
    return tuple(result)


def translated_authors(meta: YMap, reader: FieldReader) -> tuple[Author, ...]:
    """``translated_from.author`` (format 1.1): the authors of the original."""
    data = meta.get("translated_from")
    if not isinstance(data, YMap):
        return ()  # translated_from() reports it
    return read_authors(reader, data, "author", "translated_from.author")


def extract_article(raw: str, drops: set[str], meta: YMap, reader: FieldReader) -> Article | None:
    text = drop_lines(raw, drops)
    bounds = meta.get("text")
    if bounds is None:
        return split_paragraphs(text)
    bounds = reader.mapping(bounds, meta.line_of("text"), "'text'")
    if bounds is None:
        return None
    reader.keys(bounds, ("start", "end"), what="text")
    whole = split_paragraphs(text)
    start_quote = reader.string(bounds, "start")
    end_quote = reader.string(bounds, "end")
    first, last = 0, len(whole.norm.text)
    failed = False
    if start_quote is not None:
        span = match_quote(whole, Quote(start_quote, "", "", reader.path, bounds.line_of("start")), reader.diagnostics, "text.start",
                           context=SeedContext(raw, frozenset(drops)))
        if span is None:
            failed = True
        else:
            first = span[0]
    if end_quote is not None and not failed:
        span = match_quote(whole, Quote(end_quote, "", "", reader.path, bounds.line_of("end")), reader.diagnostics, "text.end", min_start=first,
                           context=SeedContext(raw, frozenset(drops)))
        if span is None:
            failed = True
        else:
            last = span[1]
    if failed:
        return None
    if not whole.norm.text:
        return whole
    origin = whole.norm.origin
    return split_paragraphs(whole.text_between(origin[first], origin[last - 1] + 1))


def check_notes_shape(meta: YMap, reader: FieldReader) -> None:
    """Report note errors that do not need the seed (when it is missing)."""
    for item, line in reader.items(meta, "notes"):
        note = reader.mapping(item, line, "a note")
        if note is not None:
            note_fields(note, reader)


def note_fields(note: YMap, reader: FieldReader):
    reader.keys(note, NOTE_KEYS, ("quote", "body"), what="note")
    kind = reader.string(note, "kind") or "note"
    if kind not in NOTE_KINDS:
        reader.error(note.line_of("kind"), f"note kind must be one of {', '.join(NOTE_KINDS)}, got {kind!r}")
    should_read = reader.string(note, "should_read")
    if kind == "correction" and not should_read:
        reader.error(note.line, "a correction needs 'should_read': what the source should have said")
    return kind, should_read


def load_notes(meta: YMap, reader: FieldReader, article: Article, context: SeedContext | None = None) -> tuple[Note, ...]:
    notes = []
    for item, line in reader.items(meta, "notes"):
        data = reader.mapping(item, line, "a note")
        if data is None:
            continue
        kind, should_read = note_fields(data, reader)
        quote = reader.string(data, "quote", required=True)
        body = reader.markdown(data, "body", required=True, kind="article")
        if quote is None or body is None:
            continue
        span = match_quote(article, Quote(quote, reader.string(data, "prefix") or "", reader.string(data, "suffix") or "",
                                           reader.path, data.line_of("quote")), reader.diagnostics, context=context)
        if span is None:
            continue
        notes.append(Note(len(notes) + 1, kind if kind in NOTE_KINDS else "note", quote, body.strip(),
                          should_read, pieces_of(article, span)))
    return tuple(notes)


def unannotated_source(name: str, path: Path, taken: set[str], reading: Reading) -> SourceResult:
    """A seed no annotation names, published under a slug made from its file name."""
    diagnostics = Diagnostics()

    def result(source: Source | None = None, article_digest: str | None = None) -> SourceResult:
        return SourceResult(source, None, None, article_digest, tuple(diagnostics.items))

    rel = reading.rel(path)
    slug = slug_from_name(name)
    if slug in taken:
        diagnostics.error(rel, None, f"the slug derived from this seed's file name, '{slug}', is already used; annotate it")
        return result()
    raw = read_seed_file(path, rel, diagnostics, reading.read)
    if raw is None:
        return result()
    article = split_paragraphs(raw)
    # Bounded: a one-line seed of megabytes was its own title, eight times in the page's head.
    title = shorten(article.paragraphs[0].text, TITLE_LIMIT) if article.paragraphs else name
    diagnostics.warning(rel, None, f"seed has no annotation; published as '{slug}' (write content/sources/{slug}.md, e.g. with 'python -m generator new')")
    return result(Source(slug=slug, seed=name, title=title, publisher="", published=None,
                         language=reading.config.language, url="", translated_from=(), tags=(), summary="",
                         commentary="", notes=(), article=article, annotation=None, seed_bytes=path.stat().st_size,
                         seed_sha256=seed_digest(path, reading.read)), text_digest(article.joined))
