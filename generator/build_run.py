"""One run of a ``Builder``: up to date? -> load -> plan -> make -> index ->
commit, each step named and timed (``incremental/steps.py``). Nothing is
written until every item is made; on any error the previous output stays
as it was."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .content.config import SiteConfig, load_config
from .errors import BuildAborted, Diagnostics
from .hashing import key
from .incremental.cache import BuildCache, code_fingerprint
from .incremental.inputs import InputChanged, settings_key
from .incremental.state import LastBuild, OutputState, stored_manifest
from .incremental.steps import Steps
from .publish.outfolder import (MARKER, creation_problem, marker_bytes, ownership_problem, place, remove_debris_beside,
                                remove_debris_inside)
from .publish.writer import FileState, OutputError, OutputWriter, Staged, as_left, check_output_dir, scan_output

if TYPE_CHECKING:
    from .build import Builder
    from .content.model import Site
    from .incremental.cached_steps import LoadKeys
    from .incremental.plan import Plan

# The steps after "up to date?" import what they use (the loader, Markdown,
# Jinja2, the views, the registry, Pagefind's runner) when they run: a build
# with nothing to do never loads them.


@dataclass
class BuildReport:
    out_dir: Path
    files: int
    pages: int
    seconds: float
    diagnostics: Diagnostics
    notes: tuple[str, ...] = ()  # about the build itself (a cache discarded), not the content
    written: int = -1  # files written (the others were already as they should be)
    indexed: bool = False  # the search index was made afresh by this build
    deferred: int = 0  # data files left for a build with the search index (``Builder.search``)


class BuildCancelled(Exception):
    """``Builder.cancelled`` answered True while the search index was being
    made: the build stopped, nothing was written, the previous output stays."""


def _jobs(requested: int | None) -> int:
    from .incremental.workers import fork_available

    if not fork_available():
        return 1  # the work is shared by forking (the model is inherited, not copied)
    if requested is not None:
        return max(1, requested)
    value = os.environ.get("RESEARCH_SITE_JOBS")
    if value and value.isascii() and value.isdigit():  # int() also reads other scripts' digits
        return max(1, int(value))
    return max(1, min(os.cpu_count() or 1, 8))


class _Found(NamedTuple):
    """The output folder as a builder that did not write it last finds it, and what the cache says of it."""

    scanned: tuple | None  # ``scan_output``'s listing
    states: dict | None  # the cache's manifest: file -> (size, mtime_ns, inode)
    last: LastBuild | None  # the build that made it
    intact: bool  # the folder is as that build left it


@dataclass(frozen=True)
class _Checked:
    """What the first step found: the inputs' key, and the output folder as it is."""

    build_key: str
    settings: str
    manifest: dict[str, FileState] | None  # None until a build with work reads it (``_manifest``)
    intact: bool  # the folder is as the manifest says
    last: LastBuild | None  # the build that made it
    prior: OutputState | None  # what this builder knew of its output before this build
    files: int  # in the folder
    found: _Found | None = None  # None: this builder wrote the folder last and did not look


@dataclass(frozen=True)
class _Written:
    staged: Staged  # every output file, and those written
    made: dict[str, tuple[str, ...]]  # item name -> its files
    manifest: dict[str, FileState]
    indexed: bool  # the search index was made afresh
    intact: bool  # False: the folder was written afresh


class BuildRun:
    """One run of a ``Builder``."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.inputs = builder.inputs
        self.started = time.perf_counter()
        self.diagnostics = Diagnostics()
        self.jobs = 1  # processes to share the work between: known once there is work (``_load``)
        self.steps = Steps(self.started)
        self.search_exclude: tuple[str, ...] = ()  # selectors the search index leaves out (tags.Tags)

    def run(self) -> BuildReport:
        builder, diagnostics = self.builder, self.diagnostics
        config = load_config(builder.config_path, diagnostics, builder.base_url)
        if config is None or diagnostics.errors:
            raise BuildAborted(diagnostics)
        out = (Path(builder.out_dir) if builder.out_dir is not None else config.output_dir).resolve()
        self.spot = spot = place(out, builder.out_dir, config)
        problem = check_output_dir(out, config, spot.shown) or creation_problem(out, spot.shown)
        if problem:
            diagnostics.error(spot.where, spot.line, problem)
            raise BuildAborted(diagnostics)
        cache = builder.cache_for(config.root)
        try:
            return self._run(config, out, cache, self._claim(out, cache))
        except InputChanged as exc:
            diagnostics.error(config.rel(exc.path), None, "the file changed while the site was being built; build again")
            error = BuildAborted(diagnostics)
            error.notes = cache.take_notes()
            raise error from None
        except BuildAborted as exc:
            if not builder.lazy_cache:
                cache.commit()
            exc.notes = cache.take_notes()
            raise
        finally:
            if not builder.lazy_cache:
                cache.commit()

    def _claim(self, out: Path, cache: BuildCache) -> _Found | None:
        """The output folder as it is (None when this builder wrote it last
        and need not look), once it is known to be this generator's to
        replace; then the debris of killed builds is removed. Raises
        ``BuildAborted`` for a folder that is not. A folder exactly as the
        last build left it is its own and holds no debris: nothing more is
        asked of it (the case of a build with nothing to do)."""
        builder, spot = self.builder, self.spot
        if builder.output is not None and builder.output.out == out and out.is_dir():
            return None
        try:
            scanned = scan_output(out)
        except OSError as exc:
            problem = f"cannot read the output folder '{spot.shown}': {exc.strerror or exc}"
        else:
            states = cache.get_meta(f"manifest:{out}")
            last = LastBuild.from_stored(cache.get_meta(f"last:{out}"))
            folders = cache.get_meta(f"folders:{out}")
            if as_left(states, folders, scanned):
                remove_debris_beside(out)
                return _Found(scanned, states, last, True)
            cached = states or cache.earlier_outputs.get(str(out))
            problem = ownership_problem(out, spot.shown, scanned, cached, builder.force)
        if problem:
            self.diagnostics.error(spot.where, spot.line, problem)
            raise BuildAborted(self.diagnostics)
        remove_debris_beside(out)
        remove_debris_inside(out, scanned, cached)
        # Asked again: the debris just removed is gone from ``scanned`` too, and the folder may now be as left.
        return _Found(scanned, states, last, as_left(states, folders, scanned))

    def _report(self, out: Path, files: int, pages: int, written: int, cache: BuildCache) -> BuildReport:
        return BuildReport(out, files, pages, time.perf_counter() - self.started, self.diagnostics,
                           notes=cache.take_notes(), written=written)

    def _run(self, config: SiteConfig, out: Path, cache: BuildCache, found: _Found | None) -> BuildReport:
        """up to date? -> load -> plan -> make -> index -> commit."""
        steps = self.steps
        with steps.step("inputs hashed, output checked"):
            checked = self._check_output(config, out, cache, found)
        if checked.intact and checked.last is not None and checked.last.build_key == checked.build_key:
            return self._up_to_date(out, checked, cache)
        checked = self._manifest(out, checked, cache)
        with steps.step("model loaded"):
            site, load_keys, converted = self._load(config, cache)
        with steps.step("planned") as step:
            plan = self._plan(config, out, site, load_keys, converted, checked, cache)
            step.label = f"planned: {len(plan.dirty)} of {len(plan.items)} items to make"
        if len(plan.dirty) < 40:
            steps.note("to make: " + " ".join(plan.items[i].name for i in plan.dirty))
        written = self._write(config, out, plan, checked, site)
        return self._record(out, plan, checked, written, cache)

    # -- the steps -----------------------------------------------------------------

    def _check_output(self, config: SiteConfig, out: Path, cache: BuildCache, found: _Found | None) -> _Checked:
        """Up to date? What the inputs are, and whether the output folder is as
        the last build left it (a folder this builder wrote last: no need to look; ``found`` is then None)."""
        builder, inputs = self.builder, self.inputs
        files = builder.listing(config)
        inputs.use_states(cache.get_meta("input-states"))
        settings = settings_key(config, builder.strict)
        build_key = key("build", code_fingerprint(), settings, str(out), builder.search,
                        tuple((str(path), inputs.digest(path)) for path in files))
        prior, builder.output = builder.output, None
        if found is None and prior is not None and prior.out == out:
            return _Checked(build_key, settings, prior.manifest, True, prior.last, prior, len(prior.manifest))
        return _Checked(build_key, settings, None, found.intact, found.last, prior,
                        len(found.scanned[0]) if found.scanned else 0, found)

    def _manifest(self, out: Path, checked: _Checked, cache: BuildCache) -> _Checked:
        """``checked`` with the manifest of an intact folder, read from the cache
        by a build that has work (a build with nothing to do needs only the files' states)."""
        if checked.manifest is not None or not checked.intact:
            return checked
        manifest = stored_manifest(checked.found.states, cache.get_meta(f"digests:{out}"))
        return replace(checked, manifest=manifest, intact=manifest is not None)

    def _up_to_date(self, out: Path, checked: _Checked, cache: BuildCache) -> BuildReport:
        """Nothing changed since the last build of this output: nothing to do."""
        builder, last, prior = self.builder, checked.last, checked.prior
        self.diagnostics.items.extend(last.diagnostics)
        if self.diagnostics.failed(builder.strict):  # cannot happen: failed builds are not recorded
            raise BuildAborted(self.diagnostics)
        if prior is not None and prior.out == out:
            builder.output = OutputState(out, prior.manifest, last, prior.item_keys, prior.item_files)
        # else: the manifest was not read (the folder's states were enough); the
        # next rebuild of this builder looks at the folder as a new one does.
        if not builder.lazy_cache:
            builder.keep_input_states()
        return self._report(out, checked.files, last.pages, 0, cache)

    def _load(self, config: SiteConfig, cache: BuildCache) -> tuple[Site, LoadKeys, dict]:
        """The model, reusing what is cached, the keys the plan takes of its
        sources and the annotators' Markdown converted while loading."""
        from .content.load import load_content
        from .incremental.cached_steps import PARALLEL_STEPS, CachedSteps, LoadKeys

        builder, diagnostics, inputs = self.builder, self.diagnostics, self.inputs
        self.jobs = _jobs(builder.jobs)
        # The base path: the Markdown the loader converts has it in its links (not the host: the preview's differs).
        context = key("load", code_fingerprint(), settings_key(config, None, with_urls=False), config.base_path)
        # Few files changed since this builder's last build: nothing to share out.
        few = builder.listed_changes is not None and len(builder.listed_changes) < PARALLEL_STEPS
        if builder.loader_steps is None:
            builder.loader_steps = CachedSteps()
        steps = builder.loader_steps
        steps.begin(cache, inputs, context, config.root,
                    builder.affected if builder.listed_changes is not None else None, 1 if few else self.jobs)
        loaded = load_content(config, diagnostics, steps, steps.reading(config))
        site = loaded.site
        inputs.end_build()  # the files' bytes are in the model now (a later read checks them against their digest)
        if site is None or diagnostics.failed(builder.strict):
            raise BuildAborted(diagnostics)
        if not builder.lazy_cache:
            cache.flush_in_background()
        return site, LoadKeys(steps.keys_of("source"), loaded.article_digests, loaded.mention_digests), loaded.converted

    def _plan(self, config: SiteConfig, out: Path, site: Site, load_keys: LoadKeys, converted: dict,
              checked: _Checked, cache: BuildCache) -> Plan:
        """Every item of the registry with its key; which must be made again."""
        from .content.converter import Markup
        from .incremental.fingerprints import fingerprints
        from .incremental.inputs import templates_key
        from .incremental.plan import Plan
        from .render.kinds import registry
        from .render.kinds.base import Context
        from .render.paging import PageSizes
        from .render.templating import Renderer, TemplateProblem, theme_dirs
        from .render.urls import Urls
        from .render.views import ViewBuilder

        builder = self.builder
        urls = Urls(config.base_url)
        if builder.converter is None or (builder.converter.base_path, builder.converter.allow_html) != (
                urls.base_path, config.allow_html):
            builder.converter = Markup(urls.base_path, config.allow_html)
        builder.converter.remember(converted)  # made with the same base path and settings
        if builder.renderer is None or builder.renderer.dirs != theme_dirs(config.templates_dir):
            builder.renderer = Renderer(config.templates_dir)  # kept: templates compile once
        views = ViewBuilder(site, builder.converter, builder.renderer)
        try:  # the article's markup, and what of it the search index leaves out
            self.search_exclude = views.tags.search_exclude
        except TemplateProblem as exc:
            self.diagnostics.error(*exc.where)
            raise BuildAborted(self.diagnostics) from None
        global_key = key("site", code_fingerprint(), checked.settings, templates_key(config, self.inputs),
                         tuple((p.slug, p.title, p.nav) for p in site.pages if p.nav is not None), PageSizes.key())
        memo = builder.outputs_memo
        fp = fingerprints(site, views, memo, load_keys)
        memo.next_build()
        context = Context(site, views, builder.renderer, builder.converter, self.diagnostics, fp, memo, key, global_key)
        items = list(registry.items(context))
        prior = checked.prior
        if not checked.intact:
            previous_keys, old_files = {}, {}
        elif prior is not None and prior.out == out and prior.item_keys is not None:
            previous_keys, old_files = prior.item_keys, prior.item_files
        else:
            previous_keys = cache.get_meta(f"items:{out}") or {}
            old_files = cache.get_meta(f"item-files:{out}") or {}
        return Plan.make(items, global_key, previous_keys, old_files, checked.manifest if checked.intact else None,
                         builder.search)

    def _write(self, config: SiteConfig, out: Path, plan: Plan, checked: _Checked, site: Site) -> _Written:
        """Make the planned items, make the search index, write what differs."""
        from .incremental.search_step import SearchRequest, search_index
        from .publish.search import BUNDLE, SearchIndexCancelled, SearchIndexError

        builder, diagnostics, steps = self.builder, self.diagnostics, self.steps
        intact, manifest = checked.intact, checked.manifest
        mark = len(diagnostics.items)
        while True:
            try:
                writer = OutputWriter(out, manifest if intact else None)
            except OSError as exc:
                diagnostics.error(self.spot.where, self.spot.line,
                                  f"cannot create the output folder '{self.spot.shown}': {exc.strerror or exc}")
                raise BuildAborted(diagnostics) from None
            staged = Staged()
            made: dict[str, tuple[str, ...]] = {}
            try:
                with steps.step("pages made and staged"):
                    fits = self._stage(plan, writer, site, manifest, staged, made)
                if not fits:
                    # A file where a folder was, or the reverse: write everything afresh.
                    writer.abort(staged)
                    intact = False
                    plan.remake_all()
                    del diagnostics.items[mark:]
                    continue
                with steps.step("search index"):
                    indexed = search_index(SearchRequest(out, config.language, self.search_exclude, builder.search,
                                                         builder.cancelled), writer, staged, made, plan.old_files, manifest)
                self._mark(writer, staged, manifest if intact else None, BUNDLE)
                with steps.step("output committed"):
                    new_manifest = writer.commit(staged)
                return _Written(staged, made, new_manifest, indexed, intact)
            except BaseException as exc:
                writer.abort(staged)
                if isinstance(exc, SearchIndexCancelled):
                    # Nothing was written: the output is what this builder
                    # last wrote, and the next rebuild may trust it as before.
                    builder.output = checked.prior
                    raise BuildCancelled() from None
                if isinstance(exc, SearchIndexError):
                    diagnostics.error(self.spot.where, self.spot.line, f"cannot build the search index: {exc}")
                    raise BuildAborted(diagnostics) from None
                if isinstance(exc, (OSError, OutputError)):
                    diagnostics.error(self.spot.where, self.spot.line, f"cannot write the output: {exc}")
                    raise BuildAborted(diagnostics) from None
                raise

    @staticmethod
    def _mark(writer: OutputWriter, staged: Staged, manifest, bundle: str) -> None:
        """The folder's ownership mark (``outfolder.marker_bytes``): the list of
        its files, kept as it is when they are the same files (an edit's build)."""
        if manifest is not None and MARKER in manifest and len(staged.files) == len(manifest) - 1 and (
                staged.files.keys() <= manifest.keys()):
            staged.keep((MARKER,), manifest)
        else:
            staged.add(MARKER, writer.stage(MARKER, marker_bytes(staged.files, (bundle,))))

    def _stage(self, plan: Plan, writer: OutputWriter, site: Site, manifest, staged: Staged, made: dict) -> bool:
        """Make the dirty items and stage their files; the others' files stay
        as they are. False: the files do not fit the folder as it is."""
        from .incremental.making import make_items
        from .render.templating import merge_pages

        diagnostics = self.diagnostics
        mark = len(diagnostics.items)
        results = make_items(plan.items, plan.dirty, writer, diagnostics, self.builder.converter, site, self.jobs,
                             self.steps)
        for index in plan.dirty:
            files_of, found, marked = results[index]
            diagnostics.items.extend(found)
            made[plan.items[index].name] = tuple(sorted(files_of))
            staged.add_all(files_of)
            staged.looked.update(files_of)
            staged.marked.update(marked)
        diagnostics.items[mark:] = merge_pages(diagnostics.items[mark:])  # a template's error once, not per page
        if diagnostics.failed(self.builder.strict):
            raise BuildAborted(diagnostics)
        remade = set(made)
        old_files = plan.old_files
        for item in plan.items:
            if item.name not in remade:  # unchanged: its files stay as they are
                made[item.name] = old_files.get(item.name, ())
        if len(remade) < len(made):
            staged.keep([name for item, names in made.items() if item not in remade for name in names], manifest)
        return writer.full or writer.fits(staged.files)

    def _record(self, out: Path, plan: Plan, checked: _Checked, written: _Written, cache: BuildCache) -> BuildReport:
        """What the builder (and, unless ``lazy_cache``, the cache) keeps of this build."""
        builder = self.builder
        files_written = len(written.staged.written)
        pages = sum(1 for name in written.manifest if name.endswith(".html"))
        last = LastBuild(checked.build_key, tuple(self.diagnostics.items), pages)
        state = OutputState(out, written.manifest, last, plan.item_keys(), written.made)
        prior = checked.prior
        if files_written or not written.intact or prior is None or last != prior.last:
            builder.unsaved = state
        builder.output = state
        if not builder.lazy_cache:
            builder.flush()
        self.steps.mark("cache written")
        report = self._report(out, len(written.manifest), pages, files_written, cache)
        report.indexed = written.indexed
        report.deferred = len(plan.deferred)
        return report
