"""Orchestration: load -> validate -> views -> Markdown -> HTML -> write (+ search index).

Nothing is written until every page has been rendered in memory; on any
error the previous output stays as it was.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR, BuildCache, InputChanged, Inputs, code_fingerprint, key, open_cache
from .cache import digest as digest_of
from .config import SiteConfig, load_config
from .errors import BuildAborted, Diagnostics
from .exports import export_files
from .hosting import feed, json_file, sitemap
from .content.load import load_content, load_site
from .incremental.steps import PARALLEL_STEPS, CachedSteps, LoadKeys
from .markup import Markup
from .model import Site
from .search import BUNDLE, SearchIndexCancelled, SearchIndexError, index_site, search_version
from .templating import Renderer, theme_dirs
from .text import markup_safe
from .urls import Urls, output_file
from .outputs import Item, asset_files, fingerprints, hosting_files, plan, prose_texts
from .views import ViewBuilder
from .writer import (FileState, OutputError, OutputWriter, check_output_dir, manifest_matches, safe_join, scan_output,
                     write_tree)


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


def load(config_path: Path, diagnostics: Diagnostics, base_url: str | None = None) -> tuple[SiteConfig | None, Site | None]:
    config = load_config(config_path, diagnostics, base_url)
    if config is None:
        return None, None
    return config, load_site(config, diagnostics)


def render(site: Site, diagnostics: Diagnostics) -> dict[str, bytes]:
    """Every output file of the site, in memory."""
    config = site.config
    urls = Urls(config.base_url)
    converter = Markup(urls.base_path)
    views = ViewBuilder(site, converter).all()
    renderer = Renderer(config.templates_dir)
    files: dict[str, bytes] = {}
    for output in views.pages:
        text = renderer.render(output.template, output.context, diagnostics, output.target)
        if text is not None:
            files[output_file(output.target)] = markup_safe(text).encode("utf-8")
    for name, text in views.markdown.items():
        files[name] = text.encode("utf-8")
    for name, value in views.data.items():
        files[f"data/{name}.json"] = json_file(value).encode("utf-8")
    for name, text in export_files(site, urls).items():
        files[name] = text.encode("utf-8")
    files["sitemap.xml"] = markup_safe(sitemap([o.target for o in views.pages if o.target != "404.html"], urls)).encode("utf-8")
    files["feed.xml"] = markup_safe(feed(site, urls, converter.prose)).encode("utf-8")
    files.update(hosting_files(site, urls))
    files.update(asset_files(config.templates_dir))
    return files


def build(config_path: Path, out_dir: Path | None = None, base_url: str | None = None, strict: bool = False,
          cache: bool = True, jobs: int | None = None) -> BuildReport:
    """Build the site; raise ``BuildAborted`` (nothing written) on errors.

    With ``cache`` (the default) the build reuses what the previous builds
    of this site folder left in ``.cache/`` and rewrites only the output
    files that change; the output is the same either way.
    """
    builder = Builder(config_path, out_dir, base_url, strict, cache=cache, jobs=jobs)
    try:
        return builder.rebuild()
    finally:
        builder.close()


def check(config_path: Path, strict: bool = False) -> Diagnostics:
    """Validate only: load everything and render in memory, write nothing."""
    diagnostics = Diagnostics()
    config, site = load(config_path, diagnostics)
    if config is not None and site is not None and not diagnostics.errors:
        render(site, diagnostics)
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
                 cache: bool = True, jobs: int | None = None, search: bool = True):
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
        that same thread (the preview's watcher polls its files from it)."""
        self.search = search
        self.cancelled = None
        # True: the cache file is written by ``flush`` (and ``close``), not
        # after every rebuild (the preview flushes when the edits stop). What
        # the file holds meanwhile is older than the output folder, which a
        # later build then does not trust: it writes the folder afresh.
        self.lazy_cache = False
        self.meta_due = None
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
        self.trusted = None  # (out, manifest, last) of the output this builder wrote last
        self.trusted_items = None  # (out, item keys, item files)
        self.trusted_last = None
        self.listed_changes: set[Path] | None = None
        self.renderer: Renderer | None = None
        self.affected: set[Path] = set()  # the known files below what changed (for the loader's memo)
        self.steps = CachedSteps()  # the loader's steps, and what they kept of the last load

    def rebuild(self, changed: set[Path] | None = None) -> BuildReport:
        """Raises ``BuildAborted`` with the diagnostics; the previous output stays."""
        if changed is None:
            self.inputs.forget()
            self.changed = None
        else:
            changed = {Path(path).resolve() for path in changed}
            self.affected = _affected(self.inputs.digests, changed)
            self.inputs.forget(self.affected)
            self.changed = changed
        collect = gc.isenabled()
        threshold = gc.get_threshold()
        gc.set_threshold(100_000, 50, 100)  # the model is acyclic: collecting often only costs time
        try:
            return _Build(self).run()
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
        if self.meta_due is not None:
            out, manifest, item_keys, made, last = self.meta_due
            self.meta_due = None
            self.cache.put_meta(f"manifest:{out}", {name: tuple(state) for name, state in manifest.items()})
            self.cache.put_meta(f"items:{out}", item_keys)
            self.cache.put_meta(f"item-files:{out}", made)
            self.cache.put_meta(f"last:{out}", last)
        self.cache.prune()
        self.cache.commit()

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
                if path.is_file() and any(path == root or root in path.parents for root in roots):
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


def _manifest(stored) -> dict[str, FileState] | None:
    return None if stored is None else {name: FileState(*state) for name, state in stored.items()}


def _affected(known: dict[Path, object], changed: set[Path]) -> set[Path]:
    """The known files a change touches (a changed folder touches all below it)."""
    affected = set()
    for path in changed:
        path = Path(path).resolve()
        affected.add(path)
        if path in known:
            continue
        for other in known:
            if path in other.parents:
                affected.add(other)
    return affected


def _jobs(requested: int | None) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # the work is shared by forking (the model is inherited, not copied)
    if requested is not None:
        return max(1, requested)
    value = os.environ.get("RESEARCH_SITE_JOBS")
    if value and value.isdigit():
        return max(1, int(value))
    return max(1, min(os.cpu_count() or 1, 8))


def _phase(name: str, since: list) -> None:
    """With RESEARCH_SITE_TIMING set: print how long each phase took (for the benchmark's profile)."""
    if os.environ.get("RESEARCH_SITE_TIMING"):
        now = time.perf_counter()
        print(f"timing: {name}: {now - since[0]:.3f} s", file=sys.stderr)
        since[0] = now


PARALLEL_WEIGHT = 400  # the same for pages to make (see Item.weight)
LATER = ("data:", "export:")  # items a build without the search index leaves for later (the data/ files)


class _Build:
    """One run of a ``Builder``."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.inputs = builder.inputs
        self.started = time.perf_counter()
        self.diagnostics = Diagnostics()
        self.jobs = _jobs(builder.jobs)

    def run(self) -> BuildReport:
        builder, diagnostics = self.builder, self.diagnostics
        config = load_config(builder.config_path, diagnostics, builder.base_url)
        if config is None or diagnostics.errors:
            raise BuildAborted(diagnostics)
        out = (Path(builder.out_dir) if builder.out_dir is not None else config.output_dir).resolve()
        problem = check_output_dir(out, config)
        if problem:
            diagnostics.error(str(out), None, problem)
            raise BuildAborted(diagnostics)
        cache = builder.cache_for(config.root)
        try:
            return self._run(config, out, cache)
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

    def _report(self, out: Path, files: int, pages: int, written: int, cache: BuildCache) -> BuildReport:
        return BuildReport(out, files, pages, time.perf_counter() - self.started, self.diagnostics,
                           notes=cache.take_notes(), written=written)

    def _run(self, config: SiteConfig, out: Path, cache: BuildCache) -> BuildReport:
        builder, diagnostics, inputs = self.builder, self.diagnostics, self.inputs
        clock = [self.started]
        # 1. Nothing changed since the last build of this output? Then there is nothing to do.
        files = builder.listing(config)
        settings = _settings(config, builder.strict)
        build_key = key("build", code_fingerprint(), settings, str(out), builder.search,
                        tuple((str(path), inputs.digest(path)) for path in files))
        if builder.trusted is not None and builder.trusted[0] == out and out.is_dir():
            # This builder wrote the folder last (the preview's own): no need to look.
            manifest, last, intact = builder.trusted[1], builder.trusted[2], True
        else:
            manifest = _manifest(cache.get_meta(f"manifest:{out}"))
            intact = manifest_matches(manifest, scan_output(out))
            last = cache.get_meta(f"last:{out}")
        trusted, builder.trusted = builder.trusted, None
        _phase("inputs hashed, output checked", clock)
        if intact and last is not None and last[0] == build_key:
            diagnostics.items.extend(last[1])
            if diagnostics.failed(builder.strict):  # cannot happen: failed builds are not recorded
                raise BuildAborted(diagnostics)
            builder.trusted = (out, manifest, last, builder.trusted_items)
            return self._report(out, len(manifest), last[2], 0, cache)

        # 2. The model, reusing what is cached.
        context = key("load", code_fingerprint(), _settings(config, None, with_urls=False))
        # Few files changed since this builder's last build: nothing to share out.
        few = builder.listed_changes is not None and len(builder.listed_changes) < PARALLEL_STEPS
        steps = builder.steps
        steps.begin(cache, inputs, context, config.root,
                    builder.affected if builder.listed_changes is not None else None, 1 if few else self.jobs)
        loaded = load_content(config, diagnostics, steps, steps.reading(config))
        site = loaded.site
        load_keys = LoadKeys(steps.keys_of("source"), loaded.article_digests, loaded.mention_digests)
        inputs.end_build()  # the files' bytes are in the model now (a later read checks them against their digest)
        _phase("model loaded", clock)
        if site is None or diagnostics.failed(builder.strict):
            raise BuildAborted(diagnostics)
        if not builder.lazy_cache:
            cache.flush_in_background()

        # 3. What each output depends on; what must be made again.
        urls = Urls(config.base_url)
        if builder.converter is None or builder.converter.base_path != urls.base_path:
            builder.converter = Markup(urls.base_path)
        converter = builder.converter
        views = ViewBuilder(site, converter)
        if builder.renderer is None or builder.renderer.dirs != theme_dirs(config.templates_dir):
            builder.renderer = Renderer(config.templates_dir)  # kept: templates compile once
        renderer = builder.renderer
        global_key = key("site", code_fingerprint(), settings, _templates_key(config, inputs),
                         tuple((p.slug, p.title, p.nav) for p in site.pages if p.nav is not None))
        fp = fingerprints(site, views, load_keys.sources, load_keys.articles, load_keys.mentions)
        items = plan(site, views, renderer, converter, fp, global_key, diagnostics)
        if intact and builder.trusted_items is not None and builder.trusted_items[0] == out:
            previous_keys, old_files = builder.trusted_items[1], builder.trusted_items[2]
        elif intact:
            previous_keys = cache.get_meta(f"items:{out}") or {}
            old_files = cache.get_meta(f"item-files:{out}") or {}
        else:
            previous_keys, old_files = {}, {}
        dirty = [i for i, item in enumerate(items) if previous_keys.get(item.name) != item.key]
        # A build that leaves the search index for later (the preview's, on a
        # save) leaves the downloadable data files for later too: one of them
        # holds every note of the site (16 MB at 4,000 sources), and what the
        # saved edit is waited for is its page. Their old files stay, under
        # their old keys, so the next build with the index makes them.
        deferred: set[int] = set()
        if not builder.search and intact:
            deferred = {i for i in dirty if items[i].name.startswith(LATER) and items[i].name in old_files
                        and all(name in manifest for name in old_files[items[i].name])}
            dirty = [i for i in dirty if i not in deferred]
        _phase(f"planned: {len(dirty)} of {len(items)} items to make", clock)
        if os.environ.get("RESEARCH_SITE_TIMING") and len(dirty) < 40:
            print("timing: to make:", " ".join(items[i].name for i in dirty), file=sys.stderr)

        # 4. Make them, write what differs.
        mark = len(diagnostics.items)
        while True:
            writer = OutputWriter(out, manifest if intact else None)
            staged: dict[str, tuple] = {}
            made: dict[str, tuple[str, ...]] = {}
            try:
                results = self._make(items, dirty, writer, site, converter, clock)
                for index in dirty:
                    files_of, found = results[index]
                    diagnostics.items.extend(found)
                    made[items[index].name] = tuple(sorted(files_of))
                    staged.update(files_of)
                if diagnostics.failed(builder.strict):
                    raise BuildAborted(diagnostics)
                for item in items:
                    if item.name not in made:  # unchanged: its files stay as they are
                        made[item.name] = names = old_files.get(item.name, ())
                        for name in names:
                            state = manifest[name]
                            staged[name] = (state.digest, state.size, None)
                if not writer.full and not writer.fits(staged):
                    # A file where a folder was, or the reverse: write everything afresh.
                    writer.abort(staged)
                    intact, dirty, deferred = False, list(range(len(items))), set()
                    del diagnostics.items[mark:]
                    continue
                _phase("pages made and staged", clock)
                indexed = self._search_index(config, out, writer, staged, made, old_files, manifest)
                _phase("search index", clock)
                new_manifest = writer.commit(staged)
                _phase("output committed", clock)
                break
            except BaseException as exc:
                writer.abort(staged)
                if isinstance(exc, SearchIndexCancelled):
                    # Nothing was written: the output is what this builder
                    # last wrote, and the next rebuild may trust it as before.
                    builder.trusted = trusted
                    raise BuildCancelled() from None
                if isinstance(exc, SearchIndexError):
                    diagnostics.error(str(out), None, f"cannot build the search index: {exc}")
                    raise BuildAborted(diagnostics) from None
                if isinstance(exc, (OSError, OutputError)):
                    diagnostics.error(str(out), None, f"cannot write the output: {exc}")
                    raise BuildAborted(diagnostics) from None
                raise
        written = sum(1 for value in staged.values() if value[2] is not None)
        pages = sum(1 for name in new_manifest if name.endswith(".html"))
        item_keys = {item.name: previous_keys[item.name] if i in deferred else item.key for i, item in enumerate(items)}
        last = (build_key, tuple(diagnostics.items), pages)
        if written or not intact or last != builder.trusted_last:
            builder.meta_due = (out, new_manifest, item_keys, made, last)
        builder.trusted = (out, new_manifest, last)
        builder.trusted_items = (out, item_keys, made)
        builder.trusted_last = last
        if not builder.lazy_cache:
            builder.flush()
        _phase("cache written", clock)
        report = self._report(out, len(new_manifest), pages, written, cache)
        report.indexed = indexed
        report.deferred = len(deferred)
        return report

    # -- the search index ---------------------------------------------------------

    def _search_index(self, config: SiteConfig, out: Path, writer: OutputWriter, staged: dict, made: dict,
                      old_files: dict, manifest) -> bool:
        """The Pagefind bundle (search.py) of the pages about to be published;
        True when it was made afresh (False: the last one kept).

        Pagefind reads the HTML of the whole site and cannot update an index,
        so the bundle is made again only when some page changed, from a
        folder of links to the new pages (or the staging folder itself); its
        files are then written like any other, only those that differ."""
        pages = tuple(sorted((name, value[0]) for name, value in staged.items() if name.endswith(".html")))
        search_key = key("search", pages, config.language, search_version())
        previous = old_files.get("search-index")
        if previous is not None and (previous[0] == search_key or not self.builder.search) and all(
                name in manifest for name in previous[1]):
            made["search-index"] = previous
            for name in previous[1]:
                state = manifest[name]
                staged[name] = (state.digest, state.size, None)
            return False
        if writer.full:
            tree = writer.staging
        else:
            tree = Path(tempfile.mkdtemp(prefix=f".{out.name}.search-", dir=out.parent))
        try:
            if not writer.full:
                for name, value in staged.items():
                    if name.endswith(".html"):
                        target = safe_join(tree, name)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.link(value[2] if value[2] is not None else safe_join(out, name), target)
            index_site(tree, config.language, self.builder.cancelled)
            bundle = tree / BUNDLE
            names = []
            for path in sorted(_walk(bundle), key=str):
                name = f"{BUNDLE}/{path.relative_to(bundle).as_posix()}"
                data = path.read_bytes()
                staged[name] = ((digest_of(data), len(data), str(path)) if writer.full else writer.stage(name, data))
                names.append(name)
            made["search-index"] = (search_key, tuple(names))
            return True
        finally:
            if not writer.full:
                shutil.rmtree(tree, ignore_errors=True)

    # -- work shared between processes -----------------------------------------

    def _make(self, items: list[Item], dirty: list[int], writer: OutputWriter, site, converter: Markup, clock: list):
        """index -> ({file: stage() result}, diagnostics), for the dirty items."""
        weight = sum(items[i].weight for i in dirty)
        if weight < PARALLEL_WEIGHT or self.jobs < 2:
            return {i: _make_item(items[i], writer, self.diagnostics) for i in dirty}
        # Convert the annotators' Markdown first, in parallel: pages of many
        # processes share it (an event's summary is on several pages).
        prose, notes = prose_texts(site)
        global _MAKING
        _MAKING = (items, writer, converter, self.diagnostics)
        try:
            # This process takes a share of the work too: one process fewer
            # holding a copy of the model.
            tasks = [(kind, chunk) for kind, texts in (("prose", prose), ("article", notes))
                     for chunk in _chunks([t for t in texts if t not in converter.memo(kind)], self.jobs * 4)]
            others = [task for i, task in enumerate(tasks) if i % self.jobs]
            with _pool(self.jobs - 1) as pool:
                theirs = pool.map_async(_convert_chunk, others)
                mine = [(task, _convert_chunk(task)) for task in tasks[::self.jobs]]
                done = list(zip(others, theirs.get())) + mine
            for (kind, chunk), converted in done:
                converter.memo(kind).update(zip(chunk, converted))
            _phase(f"annotators' Markdown converted ({len(prose)} + {len(notes)} texts)", clock)
            gc.freeze()  # forked workers then share the model's memory instead of copying it
            results: dict[int, tuple] = {}
            chunks = _balanced(dirty, items, self.jobs * 6)
            with _pool(self.jobs - 1) as pool:
                theirs = pool.map_async(_make_chunk, [c for i, c in enumerate(chunks) if i % self.jobs])
                for chunk in chunks[::self.jobs]:
                    results.update(_make_chunk(chunk))
                for part in theirs.get():
                    results.update(part)
            return results
        finally:
            _MAKING = None
            gc.unfreeze()


_MAKING = None  # (items, writer, converter, diagnostics) for forked workers


def _pool(jobs: int):
    return multiprocessing.get_context("fork").Pool(jobs)


def _chunks(values: list, count: int) -> list[list]:
    size = max(1, -(-len(values) // max(1, count)))
    return [values[i:i + size] for i in range(0, len(values), size)]


def _balanced(indices: list[int], items: list[Item], count: int) -> list[list[int]]:
    """Indices split into ``count`` lists of about equal weight, heaviest first."""
    bins: list[list] = [[0, []] for _ in range(max(1, count))]
    for index in sorted(indices, key=lambda i: -items[i].weight):
        lightest = min(bins, key=lambda b: b[0])
        lightest[0] += items[index].weight
        lightest[1].append(index)
    return [b[1] for b in sorted(bins, key=lambda b: -b[0]) if b[1]]


def _convert_chunk(task) -> list[str]:
    kind, texts = task
    converter = _MAKING[2]
    convert = converter.prose if kind == "prose" else converter.article
    return [convert(text) for text in texts]


def _make_chunk(indices: list[int]) -> dict[int, tuple]:
    items, writer, _, diagnostics = _MAKING
    return {i: _make_item(items[i], writer, diagnostics) for i in indices}


def _make_item(item: Item, writer: OutputWriter, diagnostics: Diagnostics):
    before = len(diagnostics.items)
    files = item.make()
    found = tuple(diagnostics.items[before:])
    del diagnostics.items[before:]
    return {name: writer.stage(name, data) for name, data in files.items()}, found


def input_files(config: SiteConfig) -> list[Path]:
    """Every file a build may read: site.yaml, and all files under the seeds,
    content and templates folders and the built-in theme."""
    files = [config.config_path]
    for folder in (config.seeds_dir, config.content_dir, *theme_dirs(config.templates_dir)):
        if folder.is_dir():
            files.extend(_walk(folder))
    return sorted(set(files), key=str)


def _walk(folder: Path) -> list[Path]:
    found = []
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # unreadable, or a link loop: the loader reports what it needs
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):  # a linked folder could loop forever
                    pending.append(entry.path)
                elif entry.is_file():
                    found.append(Path(entry.path))
            except OSError:
                continue
    return found


def _templates_key(config: SiteConfig, inputs: Inputs) -> str:
    parts = []
    for folder in theme_dirs(config.templates_dir):
        for path in sorted(_walk(folder)):
            parts.append((str(path.relative_to(folder)), str(folder), inputs.digest(path)))
    return key("templates", tuple(parts))


def _settings(config: SiteConfig, strict: bool | None, with_urls: bool = True) -> str:
    """The settings a build's output depends on."""
    values = {name: str(value) for name, value in vars(config).items()
              if with_urls or name not in ("base_url", "output_dir", "cname")}
    return repr((sorted(values.items()), strict))
