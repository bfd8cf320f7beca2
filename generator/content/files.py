"""Reading one input file (text, YAML, Markdown with front matter) and
listing the seeds and annotations: what every loading step starts from.

Each reader takes a ``read`` callable (a path -> its bytes; a build passes
its ``cache.Inputs`` so that each file is read once) and writes its problems
into the ``Diagnostics`` it is given, with the file and line.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .config import SiteConfig
from .controls import may_hold_controls, report_controls
from ..errors import Diagnostic, Diagnostics
from .inputfiles import OUTSIDE, inside, name_problem, read_bytes, shown, special_problem
from .converter import MarkupCheck, nesting_problem
from .seedkind import not_a_text_seed, not_utf8_hint
from .seedtext import SeedDecodeError, decode_seed
from .yamlio import YamlError, YMap, load, split_front_matter
from .yaml_recover import read_items


@dataclass(frozen=True)
class Reading:
    """How the loading functions reach the folder: its settings, how a
    path is shown in messages (``rel``), resolved and read, and the check
    that warns where publishing changes an annotator's Markdown
    (``converter.MarkupCheck``, for ``FieldReader`` and ``read_markdown_file``)."""

    config: SiteConfig
    rel: Callable[[Path], str]
    resolve: Callable[[Path], Path]
    markup_check: MarkupCheck
    read: Callable[[Path], bytes] = read_bytes


def plain_reading(config: SiteConfig) -> Reading:
    """Each path resolved and shown once (resolving costs a system call per
    folder of the path, and each file is shown in many messages)."""
    shown: dict[Path, str] = {}

    def rel(path: Path) -> str:
        value = shown.get(path)
        if value is None:
            value = shown[path] = config.rel(path)
        return value

    return Reading(config, rel, Path.resolve, MarkupCheck(config.allow_html, config.base_path))


def text_digest(text: str) -> str:
    """A digest of a text (an article's, for the outputs that show it)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def read_text_file(path: Path, rel: str, diagnostics: Diagnostics, read=None) -> str | None:
    """``read``: how to get the file's bytes (default ``inputfiles.read_bytes``; a
    build passes its ``Inputs`` so that each file is read once)."""
    try:
        data = read(path) if read is not None else read_bytes(path)
    except OSError as exc:
        diagnostics.error(rel, None, f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        return decode_seed(data)
    except SeedDecodeError as exc:
        diagnostics.error(rel, exc.line, str(exc))
        return None


def read_seed_file(path: Path, rel: str, diagnostics: Diagnostics, read=None) -> str | None:
    """``read_text_file`` for a seed: a PDF, an HTML page, RTF, UTF-16 or an
    8-bit text is named as such, with the command that brings it in."""
    try:
        data = read(path) if read is not None else read_bytes(path)
    except OSError as exc:
        diagnostics.error(rel, None, f"cannot read file: {exc.strerror or exc}")
        return None
    problem = not_a_text_seed(data, rel)
    if problem:
        diagnostics.error(rel, None, problem)
        return None
    try:
        return decode_seed(data)
    except SeedDecodeError as exc:
        hint = not_utf8_hint(data, rel)
        diagnostics.error(rel, exc.line, f"{exc}; {hint}" if hint else str(exc))
        return None


def seed_digest(path: Path, read=None) -> str:
    """SHA-256 of the seed file's bytes, as ``sha256sum`` prints it (provenance)."""
    return hashlib.sha256(read(path) if read is not None else read_bytes(path)).hexdigest()


def read_yaml_file(path: Path, rel: str, diagnostics: Diagnostics, read=None):
    text = read_text_file(path, rel, diagnostics, read)
    if text is None:
        return None
    try:
        tree = load(text)
    except YamlError as exc:
        diagnostics.error(rel, exc.line, exc.message, exc.details)
        return None
    if may_hold_controls(text):
        report_controls(tree, rel, diagnostics)
    return tree


@dataclass(frozen=True)
class ParsedYaml:
    """A YAML file's tree (None when it cannot be read) and its problems.
    ``lost``: the text of the list items that could not be parsed, when the
    file was read item by item after a syntax error (``yaml_recover``)."""

    tree: object
    diagnostics: tuple[Diagnostic, ...]
    lost: tuple[str, ...] = ()


def parse_yaml(path: Path, rel: str, read) -> ParsedYaml:
    """``read_yaml_file`` as a step of its own: a large events.yaml takes a
    second to parse, and its tree serves again while the file is unchanged.
    A list file with a syntax error is read item by item, so that its other
    items are still checked in the same run."""
    diagnostics = Diagnostics()
    text = read_text_file(path, rel, diagnostics, read)
    if text is None:
        return ParsedYaml(None, tuple(diagnostics.items))
    lost: tuple[str, ...] = ()
    try:
        tree = load(text)
    except YamlError as exc:
        diagnostics.error(rel, exc.line, exc.message, exc.details)
        recovered = read_items(text, exc)
        if recovered is None:
            return ParsedYaml(None, tuple(diagnostics.items))
        for other in recovered.other_errors:
            diagnostics.error(rel, other.line, other.message, other.details)
        tree, lost = recovered.tree, recovered.lost
    if may_hold_controls(text):
        report_controls(tree, rel, diagnostics)
    return ParsedYaml(tree, tuple(diagnostics.items), lost)


def read_markdown_file(path: Path, rel: str, diagnostics: Diagnostics, read=None, required: tuple[str, ...] = (),
                       markup_check=None):
    """-> (front matter YMap or None, body, ok). ``required``: the keys an
    empty front matter is told it lacks; ``markup_check``: see ``FieldReader``."""
    text = read_text_file(path, rel, diagnostics, read)
    if text is None:
        return None, "", False
    try:
        yaml_text, body, body_line = split_front_matter(text)
        meta = load(yaml_text, first_line=2) if yaml_text is not None else None
    except YamlError as exc:
        diagnostics.error(rel, exc.line, exc.message, exc.details)
        return None, "", False
    if yaml_text is not None and may_hold_controls(yaml_text):
        report_controls(meta, rel, diagnostics)
    problem = nesting_problem(body)
    if problem:
        diagnostics.error(rel, body_line + problem[0] - 1, problem[1])
        return None, "", False
    # The body as the model holds it (its blank lines around taken off), as the page converts it.
    shown = body.strip("\n")
    first = body_line + len(body) - len(body.lstrip("\n"))
    for line, message in markup_check.problems(shown) if markup_check is not None else ():
        diagnostics.warning(rel, first + line - 1, message)
    if meta is None and yaml_text is not None:
        needed = " and ".join(f"'{key}'" for key in required)
        diagnostics.error(rel, 1, f"front matter is empty: {needed} {'is' if len(required) == 1 else 'are'} required"
                          if required else "front matter is empty")
        return None, body, False
    if meta is None:
        diagnostics.error(rel, 1, "missing front matter: the file must start with a '---' line, YAML, then '---'")
        return None, body, False
    if not isinstance(meta, YMap):
        diagnostics.error(rel, 2, "front matter must be a mapping of keys to values")
        return None, body, False
    return meta, body, True


# -- listings ---------------------------------------------------------------


@dataclass(frozen=True)
class SeedListing:
    """The seeds folder: each publishable seed by name, and the problems found."""

    seeds: dict[str, Path]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def listed(self) -> frozenset[str]:
        return frozenset(self.seeds)


def list_seeds(reading: Reading) -> SeedListing:
    diagnostics = Diagnostics()
    seeds_dir = reading.config.seeds_dir
    if not seeds_dir.is_dir():
        diagnostics.error(reading.rel(seeds_dir), None, "seeds folder not found")
        return SeedListing({}, tuple(diagnostics.items))
    seeds = {}
    root = seeds_dir.resolve()
    with os.scandir(seeds_dir) as entries:
        listed = sorted((entry.name, _plain_file(entry)) for entry in entries)
    for name, is_file in listed:
        path = seeds_dir / name
        if name.startswith(".") or is_file is None:
            continue
        problem = name_problem(name) or (None if is_file else special_problem(path))
        if problem is None and not is_file:
            continue  # a folder, or a link to nothing
        if problem is None and not inside(reading.resolve(path), root):  # a link may not publish a file from elsewhere
            problem = "seed " + OUTSIDE.format(folder="seeds")
        if problem is not None:  # shown as listed: a link's target may be anywhere
            diagnostics.error(shown(f"{reading.rel(seeds_dir)}/{name}"), None, problem)
            continue
        seeds[path.name] = path
    return SeedListing(seeds, tuple(diagnostics.items))


def _plain_file(entry: os.DirEntry) -> bool | None:
    """True for a regular file (or a link to one), None for a folder, False
    for the rest (looked at more closely: a FIFO, a link loop, a link to nothing).
    ``DirEntry`` answers from the listing itself, without a system call per file."""
    try:
        if entry.is_file():
            return True
        return None if entry.is_dir() else False
    except OSError:
        return False


@dataclass(frozen=True)
class AnnotationListing:
    """content/sources/*.md, by name."""

    files: tuple[Path, ...]

    @property
    def listed(self) -> frozenset[str]:
        return frozenset(p.name for p in self.files)


def list_annotations(sources_dir: Path) -> AnnotationListing:
    files = sorted(sources_dir.glob("*.md"), key=lambda p: p.name) if sources_dir.is_dir() else []
    return AnnotationListing(tuple(files))
