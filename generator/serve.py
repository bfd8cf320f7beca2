"""Local preview: ``python -m generator serve``.

The site is built for the address of the local server and mounted at the
path of its ``base_url`` (``/repo/`` stays ``/repo/``), so a link that
forgets the prefix breaks in the preview just as it would on GitHub Pages.
Output goes to ``.preview/site/<base path>/`` beside site.yaml and
``.preview/site/`` is what the server serves: nothing else is reachable,
and the writer's staging folders stay inside ``.preview/``.

A watcher thread polls the sources, waits for a short quiet spell (an
editor's save is often several writes), and hands the set of changed paths
to ``Builder.rebuild``, which decides what it can reuse. Those rebuilds
leave the search index and the downloads of ``data/`` as they were
(Pagefind reads the whole site: seconds at a few thousand sources; one
download holds every note), so the browser reloads as soon as the pages
are written; once the edits stop for ``CATCH_UP_SECONDS``
(``preview_watch``) the watcher rebuilds with them, a "catch-up" that an
edit arriving meanwhile cancels (Pagefind killed, nothing written) so that the edit is shown at
once. Meanwhile the search page searches the previous index: the site
served is always one complete build. A failed build
keeps the last good site on disk and in the terminal prints the same
``path:line: error: message`` lines as ``build``; meanwhile every page
request gets an error page listing them, which reloads itself once a build
succeeds again.

livereload supplies the HTTP server (tornado), the reload script it injects
before ``</head>`` and the WebSocket that tells browsers to reload, put
together in ``preview_server``, which answers only the preview's own
address and pages. Its own file watcher is not used: it runs tasks on the
server's thread (pages would stall during a build), reports one changed
file rather than all of them, and drops reloads that come within three
seconds of the previous one.

The watcher thread, and the terminal's account of each build, are in
``preview_watch``; here are where the site is built and served
(``Layout``), the state of the preview (``Preview``), the error page, the
static file handler and ``serve``, which starts them.

Annotating from the preview (``generator.annotate``): the server adds the
panel to source pages and answers its requests; a note it writes is an
edit like any other, seen and rebuilt by the watcher.

Threads: the server's (tornado) reads files (and writes the annotation
files ``annotate`` is asked to), ``Preview.failure``,
``Preview.layout`` (replaced whole, never mutated). Everything else, the
polling, every build and catch-up, and the question "did a file change?"
that a catch-up's Pagefind run asks, happens on the one watcher thread:
the ``Builder`` is never used by two threads, and needs no lock.
"""

from __future__ import annotations

import logging
import errno
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .build import BuildCancelled, Builder
from .content.config import SiteConfig, load_config
from .errors import BuildAborted, Diagnostics
from .preview_server import listen, url_host
from .preview_watch import Outcome, Reporter, WatchLoop, say as _say, shown
from .render.templating import THEME_DIR, Renderer, theme_dirs
from .publish.writer import OutputError, safe_join

PREVIEW_DIR = ".preview"
ERROR_TEMPLATE = "_preview_error.html"


@dataclass(frozen=True)
class Layout:
    """Where one configuration is built and served."""

    serve_root: Path  # what the HTTP server serves at /
    out_dir: Path  # where the site is built: serve_root + base path
    mount: str  # the base path, e.g. "/repo/" or "/"
    base_url: str  # the local server's URL of the site, e.g. http://127.0.0.1:8000/repo/
    watched: tuple[Path, ...]  # sources whose change triggers a rebuild


def layout_for(config: SiteConfig, host: str, port: int) -> Layout:
    serve_root = config.root / PREVIEW_DIR / "site"
    mount = config.base_path or "/"
    relative = unquote(mount).strip("/")
    out_dir = safe_join(serve_root, relative) if relative else serve_root  # OutputError on '..'
    watched = watched_paths(config.config_path, config.seeds_dir, config.content_dir, config.templates_dir)
    return Layout(serve_root, out_dir, mount, f"http://{url_host(host)}:{port}{mount}", watched)


def watched_paths(config_path: Path, seeds: Path, content: Path, templates: Path) -> tuple[Path, ...]:
    """site.yaml, the site's folders and every theme folder the templates come from."""
    paths = (config_path, seeds, content, templates, *theme_dirs(templates))
    return tuple(dict.fromkeys(p.resolve() for p in paths))


def default_watched(config_path: Path) -> tuple[Path, ...]:
    """What to watch while site.yaml cannot be read: the default folders."""
    root = config_path.resolve().parent
    return watched_paths(config_path, root / "seeds", root / "content", root / "templates")


# --- building -------------------------------------------------------------

class Preview:
    """The preview's state: what is built where, and whether the last build failed.

    ``failure`` is read by request handlers on the server's thread and
    replaced (never mutated) by the watcher thread. ``behind``: the pages
    changed since the search index was last made (``catch_up`` mends that).
    """

    def __init__(self, config_path: Path, host: str, port: int):
        self.config_path = Path(config_path)
        self.host = host
        self.port = port
        self.site_root = self.config_path.resolve().parent
        self.serve_root = self.site_root / PREVIEW_DIR / "site"
        self.layout: Layout | None = None
        self.builder: Builder | None = None
        self.failure: tuple[str, ...] | None = None
        self.templates: Path = self.site_root / "templates"  # the site's templates folder (error page)
        self.behind = False
        # Changes not yet handed to the builder: Builder.rebuild expects every
        # path changed since its last call, and a build that stops at site.yaml
        # never calls it. None: the next call must be a full build.
        self.pending: set[Path] | None = None

    @property
    def mount(self) -> str | None:
        return self.layout.mount if self.layout else None

    def watched(self) -> tuple[Path, ...]:
        return self.layout.watched if self.layout else default_watched(self.config_path)

    def _configure(self, diagnostics: Diagnostics) -> bool:
        """Read site.yaml for the mount point; a new mount means a new Builder."""
        config = load_config(self.config_path, diagnostics)
        if config is None:
            return False
        try:
            layout = layout_for(config, self.host, self.port)
        except OutputError:
            diagnostics.error(config.rel(config.config_path), None,
                              f"base_url path {config.base_path!r} cannot be mounted by the preview server")
            return False
        self.templates = config.templates_dir
        if layout != self.layout:
            self.layout = layout
            # The search index is left for ``catch_up`` (see the module's docstring).
            self.close()
            # .preview/ is the preview's own folder (git-ignored): built there whatever it holds.
            self.builder = Builder(self.config_path, out_dir=layout.out_dir, base_url=layout.base_url, search=False,
                                   force=True)
            self.builder.lazy_cache = True  # written in the quiet after the edits (``flush``), not on every save
        return True

    def build(self, changed: set[Path] | None) -> Outcome:
        """One build; never raises (a bug in the generator is reported like a content error)."""
        started = time.perf_counter()
        diagnostics = Diagnostics()
        if changed is None or self.pending is None:
            self.pending = None
        else:
            self.pending |= changed
        try:
            if self.builder is None or self.pending is None or self.config_path.resolve() in self.pending:
                previous = self.builder
                if not self._configure(diagnostics):
                    return self._failed(diagnostics.items, started)
                if self.builder is not previous:
                    self.pending = None  # a new Builder starts with a full build
            handed, self.pending = self.pending, set()
            report = self.builder.rebuild(handed)
        except BuildAborted as exc:
            return self._failed(exc.diagnostics.items, started)
        except Exception:  # noqa: BLE001 - the server must survive a generator bug
            self.pending = None  # whatever the builder kept may be half-updated
            lines = ["internal error: the generator failed; please report this", *traceback.format_exc().splitlines()]
            self.failure = tuple(lines)
            return Outcome(False, tuple(lines), time.perf_counter() - started)
        self.failure = None
        self.behind = (self.behind or report.written != 0 or report.deferred != 0) and not report.indexed
        return Outcome(True, tuple(str(d) for d in report.diagnostics.items), time.perf_counter() - started, report.pages,
                       report.indexed)

    def flush(self) -> None:
        """Write the build cache the rebuilds held back (the edits have stopped)."""
        if self.builder is not None:
            self.builder.flush()

    def close(self) -> None:
        if self.builder is not None:
            self.builder.close()

    def catch_up(self, cancelled) -> Outcome | None:
        """Rebuild with the search index, after ``build``s that left it behind;
        None when there is nothing to catch up. ``cancelled`` (asked while
        Pagefind runs) stops it: the outcome says ``cancelled``, nothing was
        written, and the index is still behind. A failure is reported but
        does not replace the site with an error page: the pages are fine,
        only their index is old."""
        if not self.behind or self.failure is not None or self.builder is None or self.pending != set():
            return None
        started = time.perf_counter()
        builder = self.builder
        builder.search, builder.cancelled = True, cancelled
        try:
            report = builder.rebuild(set())
        except BuildCancelled:
            return Outcome(False, (), time.perf_counter() - started, cancelled=True)
        except BuildAborted as exc:
            return Outcome(False, tuple(str(d) for d in exc.diagnostics.items) or ("error: the build failed",),
                           time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - the server must survive a generator bug
            self.pending = None
            lines = ("internal error: the generator failed; please report this", *traceback.format_exc().splitlines())
            return Outcome(False, lines, time.perf_counter() - started)
        finally:
            builder.search, builder.cancelled = False, None
        self.behind = False
        return Outcome(True, (), time.perf_counter() - started, report.pages, report.indexed)

    def _failed(self, items, started: float) -> Outcome:
        lines = tuple(str(d) for d in items) or ("error: the build failed",)
        self.failure = lines
        return Outcome(False, lines, time.perf_counter() - started)


# --- error page -----------------------------------------------------------

def error_page(lines: tuple[str, ...], site_templates: Path | None = None) -> str:
    """The page shown in place of every page while the content is broken:
    the theme's ``_preview_error.html`` (the site's own, from ``site_templates``,
    if it has one and it renders; else the built-in one).

    It has a ``</head>`` so that livereload injects its script: the page
    reloads itself after the next successful build.
    """
    lines = sorted(lines, key=lambda line: ": warning: " in line)  # errors first, each kind in order
    problems = [{"severity": "warning" if ": warning: " in line else "error", "text": line} for line in lines]
    if site_templates is not None:
        try:  # a fresh environment each time: this runs on the server's thread
            return Renderer(site_templates).env.get_template(ERROR_TEMPLATE).render(problems=problems)
        except Exception:  # noqa: BLE001 - the site's templates may be what is broken: the theme's page then
            pass
    return Renderer(THEME_DIR).env.get_template(ERROR_TEMPLATE).render(problems=problems)


# --- serving --------------------------------------------------------------

def _handler_class(preview: Preview):
    """livereload's static file handler, bound to ``preview``."""
    from livereload.handlers import StaticFileHandler
    from tornado import web

    class PreviewHandler(StaticFileHandler):
        async def get(self, path: str, include_body: bool = True) -> None:
            root = Path(self.root).resolve()
            target = Path(os.path.realpath(os.path.join(root, path)))
            if target != root and root not in target.parents:
                raise web.HTTPError(403)
            mount = preview.mount
            if mount not in (None, "/"):
                inside = unquote(mount).strip("/")
                if path == "":
                    self.redirect(mount)
                    return
                if path != inside and not path.startswith(inside + "/"):
                    raise web.HTTPError(404)  # not under base_url: an old mount, or a link that lost the prefix
            if preview.failure is not None and (target.is_dir() or target.suffix == ".html" or not target.exists()):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                if include_body:
                    self.write(error_page(preview.failure, preview.templates))
                return
            await super().get(path, include_body)

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store")  # always the latest build

        def write_error(self, status_code: int, **kwargs) -> None:
            """A missing page gets the site's own 404.html, as GitHub Pages does."""
            layout = preview.layout
            page = layout.out_dir / "404.html" if layout else None
            if status_code == 404 and page is not None and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
                return
            super().write_error(status_code, **kwargs)

    return PreviewHandler


def serve(config_path: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and rebuild until interrupted; 0 on a clean stop, 1 if it cannot start."""
    from tornado.ioloop import IOLoop

    from .annotate.annotator import Annotator
    from .annotate.handler import routes as annotation_routes

    if not Path(config_path).is_file():  # a wrong --config is a mistake, not a site to wait for
        _say(f"{config_path}: error: site configuration not found", sys.stderr)
        return 1
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)  # the terminal is for the build
    preview = Preview(config_path, host, port)
    preview.serve_root.mkdir(parents=True, exist_ok=True)
    annotator = Annotator(config_path, lambda: preview.mount if preview.failure is None else None)
    terminal = lambda line: _say(line, sys.stderr)  # noqa: E731
    try:
        reload_pages = listen(host, port, _handler_class(preview),
                              {"path": str(preview.serve_root), "default_filename": "index.html"}, terminal,
                              lambda guard: annotation_routes(annotator, guard, terminal), annotator.page_head)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            _say(f"error: port {port} on {host} is already in use: stop the other server or choose another port "
                 f"(--port N, or make serve PORT=N)", sys.stderr)
        else:
            _say(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", sys.stderr)
        return 1

    loop = IOLoop.current()
    report = Reporter()
    watcher = WatchLoop(preview, lambda path: loop.add_callback(reload_pages, path), report)
    outcome = preview.build(None)  # the watcher's first look came before: an edit made meanwhile is seen
    report(outcome, "built", preview.layout.out_dir if preview.layout else None)
    if preview.watched() != watcher.watcher.roots:
        watcher.watcher.reset(preview.watched())  # site.yaml names other folders
    watcher.plan_catch_up()  # an earlier session's index may be older than its pages
    where = preview.layout.base_url if preview.layout else f"http://{url_host(host)}:{port}/"
    _say(f"serving {where} (live reload on; Ctrl-C stops)")
    _say("watching " + ", ".join(sorted(shown(p, preview.site_root) for p in preview.watched())))
    watcher.start()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.asyncio_loop.add_signal_handler(sig, loop.stop)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stopping.set()
        watcher.join(timeout=30)  # let a build in progress finish its atomic write
        if not watcher.is_alive():
            preview.close()  # writes the build cache
        loop.close(all_fds=True)
    _say("stopped")
    return 0
