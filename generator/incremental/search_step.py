"""The index step: the Pagefind bundle of the pages a build is about to
publish, made again only when some page changed, and written like any other
output file (only the files that differ)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..hashing import key
from ..publish.outfolder import staging_dir
from ..publish.search import BUNDLE, index_site, search_version
from ..publish.writer import OutputWriter, Staged, ensure_folder, safe_join
from .inputs import walk


@dataclass(frozen=True)
class SearchRequest:
    """What the index step needs of the build."""

    out: Path  # the output folder
    language: str
    exclude: tuple[str, ...]  # selectors the index leaves out (tags.Tags)
    wanted: bool  # False: keep the last bundle even if pages changed (the preview's save)
    cancelled: Callable[[], bool] | None = None


def search_index(request: SearchRequest, writer: OutputWriter, staged: Staged, made: dict, old_files: dict,
                 manifest) -> bool:
    """The Pagefind bundle (search.py) of the pages about to be published;
    True when it was made afresh (False: the last one kept).

    Pagefind reads the HTML of the whole site and cannot update an index,
    so the bundle is made again only when some page changed, from a
    folder of links to the new pages that it indexes; its files are then
    written like any other, only those that differ."""
    previous = old_files.get("search-index")
    kept = previous is not None and all(name in manifest for name in previous[1])
    search_key = None
    if kept and request.wanted:  # (a build that keeps the last bundle anyway needs no key)
        search_key = _key(staged, request)
    if kept and (not request.wanted or previous[0] == search_key):
        made["search-index"] = previous
        staged.keep(previous[1], manifest)
        return False
    search_key = search_key or _key(staged, request)
    tree = staging_dir(request.out, "search")
    try:
        folders: set[str] = set()
        for name, source in _indexed_pages(staged, request.out):
            target = str(safe_join(tree, name))
            ensure_folder(os.path.dirname(target), folders)
            os.link(source, target)
        index_site(tree, request.language, request.cancelled, request.exclude)
        bundle = tree / BUNDLE
        names = []
        for path in sorted(walk(bundle), key=str):
            name = f"{BUNDLE}/{path.relative_to(bundle).as_posix()}"
            staged.add(name, writer.stage(name, path.read_bytes()))
            names.append(name)
        made["search-index"] = (search_key, tuple(names))
        return True
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def _key(staged: Staged, request: SearchRequest) -> str:
    """The bundle's key: every page's digest, and how Pagefind is run."""
    files = staged.files
    pages = tuple((name, files[name][0]) for name in sorted(name for name in files if name.endswith(".html")))
    return key("search", pages, request.language, search_version(), request.exclude)


MARK = b"data-pagefind-body"  # what the templates put on the content of a page to index


def indexed(name: str, data: bytes) -> bool:
    """Is this file a page whose content is marked for the index?"""
    return name.endswith(".html") and MARK in data


def _indexed_pages(staged: Staged, out: Path) -> list[tuple[str, Path]]:
    """The pages Pagefind is given: those whose content is marked for the
    index (all of them if none is, as Pagefind then indexes every page).
    Pagefind reads every page it is given, even those it leaves out, and
    held about 600 MB more at 4,000 sources for an actor's passages pages
    it does not index."""
    written = staged.written
    pages = [(name, Path(written[name]) if name in written else safe_join(out, name))
             for name in sorted(staged.files) if name.endswith(".html")]
    looked, known = staged.looked, staged.marked
    marked = [(name, path) for name, path in pages if (name in known if name in looked else MARK in path.read_bytes())]
    return marked or pages
