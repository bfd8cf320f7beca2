"""``python -m generator add SOURCE…``: each source fetched or read,
recognised, extracted, and written as a seed, a starting annotation and a
kept original; what was found and what was not printed for each.

A source that fails is reported in one line and leaves nothing behind; the
others go on; the exit status is 1 if any failed.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from ..content.config import SiteConfig, load_config
from ..content.inputfiles import read_bytes
from ..content.schema import is_slug
from ..content.seedtext import TITLE_LIMIT, shorten, slug_from_name
from ..content.yamlio import YamlError, load, split_front_matter
from ..errors import Diagnostics
from .annotation import Capture, front_matter
from .extracted import Extracted, ExtractionError
from .fetch import FetchError, fetch
from .sniff import is_url, source_kind
from .slugs import base_slug, free_slug
from .write import Plan, WriteError, carry_out, existing

KIND_NAMES = {"html": "web page", "pdf": "PDF", "text": "text"}


@dataclass(frozen=True)
class Options:
    force: bool = False
    capture: bool = True
    slug: str | None = None
    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class Original:
    data: bytes
    name: str  # the file name, or the URL's last path segment
    origin_key: str  # "url" or "name"
    origin: str
    content_type: str = ""
    url: str = ""  # where it was fetched from, after redirects
    path: Path | None = None  # the file, for a local source


class AddError(Exception):
    """One source's failure, in one line."""


def obtain(source: str, options: Options) -> Original:
    if is_url(source):
        try:
            fetched = fetch(source, options.timeout, options.max_bytes)
        except FetchError as exc:
            raise AddError(f"cannot fetch: {exc}") from None
        name = urlsplit(fetched.url).path.rstrip("/").rsplit("/", 1)[-1]
        return Original(fetched.data, name, "url", source, fetched.content_type, fetched.url)
    path = Path(source)
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        raise AddError("no such file") from None
    except OSError as exc:
        raise AddError(f"cannot read file: {exc.strerror or exc}") from None
    return Original(data, path.name, "name", path.name, path=path)


def extract(original: Original) -> Extracted:
    kind = source_kind(original.data, original.name, original.content_type)
    if kind == "html":
        from .html import extract_html
        extracted = extract_html(original.data, original.url)
    elif kind == "pdf":
        from .pdf import extract_pdf
        extracted = extract_pdf(original.data)
    else:
        from .text import extract_text
        extracted = extract_text(original.data)
    extracted.url = extracted.url or original.url
    if not extracted.title:
        first = extracted.paragraphs[0]
        extracted.title = shorten(first, TITLE_LIMIT)
        if len(first) <= TITLE_LIMIT and not first.endswith((".", "!", "?", ":", ";")) and len(extracted.paragraphs) > 1:
            extracted.paragraphs = extracted.paragraphs[1:]  # a heading: the annotation's title, not a paragraph
            extracted.remarks.append("title: the first line, a heading (no title found)")
        else:
            extracted.remarks.append("title: the start of the first paragraph (no title found)")
    return extracted


def _recorded_origin(annotation: Path) -> tuple[str, str, str]:
    """The (url, file name, seed_sha256) an annotation written by ``add`` records."""
    try:
        yaml_text, _, _ = split_front_matter(read_bytes(annotation).decode("utf-8"))
        meta = load(yaml_text or "")
    except (OSError, UnicodeDecodeError, YamlError):
        return "", "", ""
    capture = meta.get("x-capture") if isinstance(meta, dict) else None
    capture = capture if isinstance(capture, dict) else {}
    digest = meta.get("seed_sha256", "") if isinstance(meta, dict) else ""
    return str(capture.get("url", "")), str(capture.get("name", "")), str(digest)


def seed_bytes(extracted: Extracted) -> bytes:
    """The seed: UTF-8, one paragraph per line, each on one line."""
    return ("\n".join(" ".join(p.split()) for p in extracted.paragraphs) + "\n").encode("utf-8")


class Adder:
    """One run of ``add``: the site's folders and the slugs given out so far."""

    def __init__(self, config: SiteConfig, options: Options, today: str):
        self.config, self.options, self.today = config, options, today
        self.captures = config.root / "captures"
        self.given: set[str] = set()

    def paths(self, slug: str, extension: str) -> tuple[Path, Path, Path]:
        return (self.config.seeds_dir / f"{slug}.txt", self.config.content_dir / "sources" / f"{slug}.md",
                self.captures / f"{slug}.{extension}")

    def taken(self, slug: str, seed_slugs: set[str]) -> bool:
        """Used by a file of this run or of the site, or by a seed without
        annotation, which the build publishes under its file name's slug."""
        seed, annotation, _ = self.paths(slug, "x")
        return (slug in self.given or slug in seed_slugs or seed.exists() or annotation.exists()
                or any(self.captures.glob(f"{slug}.*")))

    def seed_slugs(self, leaving: Path | None) -> set[str]:
        """The slugs of the seeds' file names (``leaving``: the original, about to move out)."""
        folder = self.config.seeds_dir
        names = [p for p in folder.iterdir() if not p.name.startswith(".")] if folder.is_dir() else []
        gone = leaving.resolve() if leaving is not None else None
        return {slug_from_name(p.name) for p in names if p.resolve() != gone}

    def choose_slug(self, extracted: Extracted, original: Original, digest: str) -> str:
        """``--slug``, or one from the title; the slug of an earlier ``add``
        of the same original (same URL or file name, or the same seed)
        is an error without ``--force``, and reused with it."""
        if self.options.slug:
            return self.options.slug
        base = base_slug(extracted.title, original.name)
        for number in range(1, 100):
            slug = base if number == 1 else f"{base}-{number}"
            annotation = self.paths(slug, "x")[1]
            if not annotation.exists():
                break
            url, name, recorded_digest = _recorded_origin(annotation)
            if original.origin == (name if original.origin_key == "name" else url) or recorded_digest == digest:
                if not self.options.force:
                    raise AddError(f"already added as {self.config.rel(annotation)} (use --force to replace it)")
                return slug
        seed_slugs = self.seed_slugs(original.path)
        return free_slug(base, lambda slug: self.taken(slug, seed_slugs))

    def plan(self, extracted: Extracted, original: Original, slug: str) -> tuple[Plan, Capture | None, str]:
        seed = seed_bytes(extracted)
        seed_sha256 = hashlib.sha256(seed).hexdigest()
        seed_path, annotation_path, capture_path = self.paths(slug, extracted.extension)
        inside_seeds = original.path is not None and original.path.resolve().parent == self.config.seeds_dir.resolve()
        capture, move, files = None, None, {seed_path: seed}
        if self.options.capture:
            capture = Capture(self.config.rel(capture_path), hashlib.sha256(original.data).hexdigest(),
                              original.origin_key, original.origin)
            if inside_seeds:
                move = (original.path, capture_path)
            else:
                files[capture_path] = original.data
        text = front_matter(extracted, slug, seed_sha256, self.today, capture, self.config.language)
        files[annotation_path] = text.encode("utf-8")
        return Plan(files, move), capture, seed_sha256

    def add(self, source: str) -> list[str]:
        """Bring one source in; the report's lines. ``AddError`` when it fails."""
        original = obtain(source, self.options)
        try:
            extracted = extract(original)
        except ExtractionError as exc:
            raise AddError(str(exc)) from None
        slug = self.choose_slug(extracted, original, hashlib.sha256(seed_bytes(extracted)).hexdigest())
        plan, capture, _ = self.plan(extracted, original, slug)
        there = existing(plan)
        if there and not self.options.force:
            names = ", ".join(self.config.rel(p) for p in there)
            raise AddError(f"{names}: already exists (use --force to overwrite; --slug to choose another name)")
        try:
            carry_out(plan)
        except WriteError as exc:
            raise AddError(f"cannot write: {exc}") from None
        self.given.add(slug)
        return report(extracted, original, slug, plan, self.config, capture)


def report(extracted: Extracted, original: Original, slug: str, plan: Plan, config: SiteConfig,
           capture: Capture | None) -> list[str]:
    """What was found, what was not, what was written."""
    lines = [f"{original.origin} → {slug} ({KIND_NAMES[extracted.kind]}, {len(extracted.paragraphs)} paragraph{'s' * (len(extracted.paragraphs) != 1)})"]
    missing = []
    authors = "; ".join(a if isinstance(a, str) else f"{a['organization']} (organization)" for a in extracted.authors)
    for key, value in (("title", extracted.title), ("author", authors), ("publisher", extracted.publisher),
                       ("published", extracted.published), ("language", extracted.language), ("url", extracted.url)):
        if value:
            lines.append(f"  {key}: {value}")
        else:
            missing.append(key)
    if missing:
        lines.append(f"  not found: {', '.join(missing)}" + (
            f" (the site's language, {config.language}, applies)" if "language" in missing else ""))
    lines += [f"  note: {remark}" for remark in extracted.remarks]
    written = [config.rel(p) for p in plan.files]
    if plan.move:
        lines.append(f"  moved {config.rel(plan.move[0])} to {config.rel(plan.move[1])} (the original, kept)")
    elif capture is None and original.path is not None and original.path.resolve().parent == config.seeds_dir.resolve():
        lines.append(f"  note: remove {config.rel(original.path)} from the seeds folder: the build reads every file there")
    lines.append(f"  wrote {', '.join(written)}")
    return lines


def run_add(config_path: Path, sources: list[str], options: Options) -> int:
    diagnostics = Diagnostics()
    config = load_config(config_path, diagnostics)
    if config is None:
        for item in diagnostics.items:
            print(item, file=sys.stderr)
        return 1
    if options.slug is not None and (len(sources) != 1 or not is_slug(options.slug)):
        print("error: --slug takes a slug (lower-case letters, digits and single hyphens) and exactly one SOURCE",
              file=sys.stderr)
        return 2
    adder = Adder(config, options, datetime.now(timezone.utc).date().isoformat())
    from tqdm import tqdm
    failed = 0
    with tqdm(total=len(sources), unit="source", file=sys.stderr,
              disable=len(sources) < 2 or not sys.stderr.isatty()) as bar:
        for source in sources:
            try:
                lines = adder.add(source)
            except AddError as exc:
                failed += 1
                bar.write(f"{source}: error: {exc}", file=sys.stderr)
            else:
                for line in lines:
                    bar.write(line, file=sys.stdout)
            bar.update(1)
    if len(sources) > 1:
        print(f"added {len(sources) - failed} of {len(sources)} sources" + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0
