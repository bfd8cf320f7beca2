"""``new``: a starting annotation for a seed, filled with what can be guessed."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

from .content.config import load_config
from .errors import Diagnostics
from .content.schema import is_slug
from .content.inputfiles import name_problem, read_bytes, shown
from .content.seedtext import TITLE_LIMIT, SeedDecodeError, decode_seed, shorten, slug_from_name, split_paragraphs


def _quote(text: str, words: int, last: bool = False) -> str:
    parts = text.split()
    return " ".join(parts[-words:] if last else parts[:words])


def new_annotation(config_path: Path, seed: Path, force: bool = False, slug: str | None = None) -> int:
    diagnostics = Diagnostics()
    config = load_config(config_path, diagnostics)
    if config is None:
        for item in diagnostics.items:
            print(item, file=sys.stderr)
        return 1
    candidates = [seed, config.seeds_dir / seed.name]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None or path.resolve().parent != config.seeds_dir.resolve():
        print(f"{seed}: error: not a file in the seeds folder {config.rel(config.seeds_dir)}/", file=sys.stderr)
        return 1
    problem = name_problem(path.name)
    if problem:
        print(f"{shown(config.rel(path))}: error: {problem}", file=sys.stderr)
        return 1
    try:
        data = read_bytes(path)
        text = decode_seed(data)
    except OSError as exc:
        print(f"{config.rel(path)}: error: cannot read file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except SeedDecodeError as exc:
        print(f"{config.rel(path)}:{exc.line}: error: {exc}", file=sys.stderr)
        return 1
    if slug is not None and not is_slug(slug):
        print(f"error: --slug must be a slug (lower-case letters, digits and single hyphens), got {slug!r}", file=sys.stderr)
        return 1
    slug = slug or slug_from_name(path.name)
    target = config.content_dir / "sources" / f"{slug}.md"
    if target.exists() and not force:
        print(f"{config.rel(target)}: error: already exists (use --force to overwrite)", file=sys.stderr)
        return 1
    paragraphs = split_paragraphs(text).paragraphs
    title = shorten(paragraphs[0].text, TITLE_LIMIT) if paragraphs else path.stem
    # The digest pins the seed this annotation is written against: the build
    # fails with a clear message if the file changes afterwards.
    meta = {"seed": path.name, "title": title, "seed_sha256": hashlib.sha256(data).hexdigest()}
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    first = _quote(paragraphs[1].text, 8) if len(paragraphs) > 1 else ""
    last = _quote(paragraphs[-1].text, 8, last=True) if paragraphs else ""
    body += (
        "# publisher: \n"
        "# published: 2024-01-31        # YYYY, YYYY-MM or YYYY-MM-DD; prefix ~ if inferred\n"
        f"# language: {config.language}\n"
        "# url: https://\n"
        "# summary: One paragraph in Markdown.\n"
        "# text:                        # the article proper: first and last words\n"
        f"#   start: {yaml.safe_dump(first, allow_unicode=True, width=1000).splitlines()[0] if first else ''}\n"
        f"#   end: {yaml.safe_dump(last, allow_unicode=True, width=1000).splitlines()[0] if last else ''}\n"
        "# drop: []                     # boilerplate lines inside the article\n"
        "# notes:\n"
        "#   - quote: exact words of the passage\n"
        "#     kind: note                # note, correction (with should_read) or claim\n"
        "#     body: What the reader should know.\n"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"---\n{body}---\n\nCommentary: what this source adds, what it gets wrong, how far to trust it.\n", encoding="utf-8")
    print(f"wrote {config.rel(target)}")
    return 0
