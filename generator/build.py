"""Orchestration: load -> validate -> views -> Markdown -> HTML -> write (+ search index).

The commands' entry points (``build``, ``check``, ``render``, ``load``)
and the ``Builder`` that a build, the preview and the benchmark drive; one
run of it, step by step, is ``build_run.BuildRun``. Nothing is written
until every page has been made; on any error the previous output stays as
it was.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from typing import TYPE_CHECKING

from .build_run import BuildCancelled, BuildReport, BuildRun
from .content.config import CACHE_DIR, SiteConfig, load_config
from .errors import Diagnostics
from .incremental.cache import BuildCache, open_cache
from .incremental.inputs import Inputs, affected_by, input_files
from .incremental.memo import Memo
from .incremental.state import OutputState, manifest_to_store
from .publish.writer import folders_of
from .render.themes import theme_dirs

if TYPE_CHECKING:
    from .content.converter import Markup
    from .content.model import Site
    from .incremental.cached_steps import CachedSteps
    from .render.templating import Renderer

# What makes pages (Markdown, Jinja2, the views, the registry) is imported by
# the functions that use it: a build with nothing to do never loads it
# (a third of its time was spent importing them).

__all__ = ["BuildCancelled", "BuildReport", "Builder", "build", "check", "load", "render"]


def load(config_path: Path, diagnostics: Diagnostics, base_url: str | None = None) -> tuple[SiteConfig | None, Site | None]:
    from .content.load import load_site

    config = load_config(config_path, diagnostics, base_url)
    if config is None:
        return None, None
    return config, load_site(config, diagnostics)


def render(site: Site, diagnostics: Diagnostics) -> dict[str, bytes]:
    """Every output file of the site, in memory: every item of the registry made."""
    from .content.converter import Markup
    from .render.kinds import registry
    from .render.kinds.base import Context
    from .render.templating import Renderer, TemplateProblem
    from .render.urls import Urls
    from .render.views import ViewBuilder

    converter = Markup(Urls(site.config.base_url).base_path, site.config.allow_html)
    renderer = Renderer(site.config.templates_dir)
    views = ViewBuilder(site, converter, renderer)
    try:
        views.tags  # the site's _markup.html: loaded and checked even when no page uses it
    except TemplateProblem as exc:
        diagnostics.error(*exc.where)
        return {}
    return registry.render(Context(site, views, renderer, converter, diagnostics))


def build(config_path: Path, out_dir: Path | None = None, base_url: str | None = None, strict: bool = False,
          cache: bool = True, jobs: int | None = None, force: bool = False) -> BuildReport:
    """Build the site; raise ``BuildAborted`` (nothing written) on errors.

    With ``cache`` (the default) the build reuses what the previous builds
    of this site folder left in ``.cache/`` and rewrites only the output
    files that change; the output is the same either way.

    ``force``: replace an output folder this generator did not write
    (``outfolder.ownership_problem``); a file is never replaced.
    """
    builder = Builder(config_path, out_dir, base_url, strict, cache=cache, jobs=jobs, force=force)
    try:
        return builder.rebuild()
    finally:
        builder.close()


def check(config_path: Path, strict: bool = False) -> Diagnostics:
    """Validate only: load everything and render in memory, write nothing."""
    from .render.templating import merge_pages

    diagnostics = Diagnostics()
    config, site = load(config_path, diagnostics)
    if config is not None and site is not None and not diagnostics.errors:
        render(site, diagnostics)
        diagnostics.items[:] = merge_pages(diagnostics.items)
    return diagnostics


class Builder:
    """A build that can be repeated: what ``serve``, ``build`` and the benchmark drive.

    ``rebuild(changed)`` receives the paths that changed since the last call
    (None: unknown, look at everything). Between calls the builder keeps the
    digests of the files it read, the loaded model's parts and the manifest
    of what it wrote, so a rebuild after one edit reads that file, redoes
    the work that depends on it, and writes only the files that differ. The
    output is byte for byte that of a cold build (``tests/test_incremental.py``).

    Large builds share their work between processes (``jobs``, default: the
    number of processors); the result does not depend on how it was shared.
    """

    def __init__(self, config_path: Path, out_dir: Path | None = None, base_url: str | None = None, strict: bool = False,
                 cache: bool = True, jobs: int | None = None, search: bool = True, force: bool = False):
        """``search=False``: leave the search index, and the files of ``data/``
        (the downloads), as the last build that made them left them (Pagefind
        reads the whole site, which takes seconds at a few thousand sources;
        a preview may prefer to catch up later, with a ``rebuild`` after
        setting ``search`` back to True). A build with nothing to leave
        behind is made whole; ``BuildReport.deferred`` counts what was left.

        ``cancelled``: None, or a function that Pagefind's run asks now and
        then; once it answers True the rebuild raises ``BuildCancelled``
        (nothing written, the builder as it was before the call). A builder is
        not thread-safe: one thread calls ``rebuild``; ``cancelled`` runs on
        that same thread (the preview's watcher polls its files from it).

        ``force``: replace the output folder even if this generator did not
        write it (``outfolder``); the preview's own folder is built so."""
        self.search = search
        self.force = force
        self.cancelled = None
        # True: the cache file is written by ``flush`` (and ``close``), not
        # after every rebuild (the preview flushes when the edits stop). What
        # the file holds meanwhile is older than the output folder, which a
        # later build then does not trust: it writes the folder afresh.
        self.lazy_cache = False
        self.unsaved: OutputState | None = None  # what ``flush`` must record in the cache (``lazy_cache``)
        self.config_path = Path(config_path)
        self.out_dir = out_dir
        self.base_url = base_url
        self.strict = strict
        self.use_cache = cache
        self.jobs = jobs
        self.inputs = Inputs()
        self.cache: BuildCache | None = None
        self.converter: Markup | None = None
        self.files: list[Path] | None = None  # the input files listed by the last build
        self.changed: set[Path] | None = None  # what changed since then (None: unknown)
        self.output: OutputState | None = None  # the output folder as this builder last wrote it
        self.outputs_memo = Memo()  # what the planning of the outputs keeps between builds
        self.listed_changes: set[Path] | None = None
        self.renderer: Renderer | None = None
        self.affected: set[Path] = set()  # the known files below what changed (for the loader's memo)
        # the loader's steps, and what they kept of the last load (made by the first load)
        self.loader_steps: CachedSteps | None = None

    def rebuild(self, changed: set[Path] | None = None) -> BuildReport:
        """Raises ``BuildAborted`` with the diagnostics; the previous output stays."""
        if changed is None:
            self.inputs.forget()
            self.changed = None
        else:
            changed = {Path(path).resolve() for path in changed}
            self.affected = affected_by(self.inputs.digests, changed)
            self.inputs.forget(self.affected)
            self.changed = changed
        collect = gc.isenabled()
        threshold = gc.get_threshold()
        gc.set_threshold(100_000, 50, 100)  # the model is acyclic: collecting often only costs time
        try:
            return BuildRun(self).run()
        finally:
            self.inputs.end_build()
            gc.set_threshold(*threshold)
            if not collect:
                gc.disable()

    def flush(self) -> None:
        """Write what ``lazy_cache`` held back: the description of the output
        folder, the entries added, and the pruning of unused ones."""
        if self.cache is None:
            return
        if self.unsaved is not None:
            state, self.unsaved = self.unsaved, None
            out = state.out
            states, digests = manifest_to_store(state.manifest)
            self.cache.put_meta(f"manifest:{out}", states)
            self.cache.put_meta(f"digests:{out}", digests)
            self.cache.put_meta(f"folders:{out}", len(folders_of(states)))
            self.cache.put_meta(f"items:{out}", state.item_keys)
            self.cache.put_meta(f"item-files:{out}", state.item_files)
            self.cache.put_meta(f"last:{out}", state.last.stored())
        self.keep_input_states()
        self.cache.prune()
        self.cache.commit()

    def keep_input_states(self) -> None:
        """The input files' states (``Inputs``) into the cache, when some are new."""
        if self.cache is not None and self.files is not None:
            states = self.inputs.kept_states(self.files)
            if states is not None:
                self.cache.put_meta("input-states", states)

    def close(self) -> None:
        if self.cache is not None:
            if self.lazy_cache:
                self.flush()
            self.cache.close()
            self.cache = None

    def listing(self, config: SiteConfig) -> list[Path]:
        """The input files: listed afresh, or, when told what changed since the
        last build, that listing with the changes applied (a folder among
        them: listed afresh)."""
        changed, self.changed = self.changed, None
        self.listed_changes = None
        if self.files is None or changed is None or any(path.is_dir() for path in changed):
            self.files = input_files(config)
            return self.files
        self.listed_changes = changed
        if changed:
            files = set(self.files)
            roots = [config.config_path, config.seeds_dir, config.content_dir, *theme_dirs(config.templates_dir)]
            for path in changed:
                if os.path.lexists(path) and not path.is_dir() and any(path == root or root in path.parents for root in roots):
                    files.add(path)
                else:
                    files.discard(path)
            self.files = sorted(files, key=str)
        return self.files

    def cache_for(self, root: Path) -> BuildCache:
        if self.cache is None or self.cache.folder != (root / CACHE_DIR if self.use_cache else None):
            self.close()
            self.cache = open_cache(root, self.use_cache)
        return self.cache

