"""Orchestration: load -> validate -> views -> Markdown -> HTML -> write.

Nothing is written until every page has been rendered in memory; on any
error the previous output stays as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig, load_config
from .errors import BuildAborted, Diagnostics
from .exports import export_files
from .hosting import feed, json_file, robots, sitemap
from .library import load_site
from .markup import Markup
from .model import Site
from .templating import Renderer, theme_dirs
from .urls import Urls, output_file
from .views import ViewBuilder
from .writer import OutputError, check_output_dir, write_tree


@dataclass
class BuildReport:
    out_dir: Path
    files: int
    pages: int
    seconds: float
    diagnostics: Diagnostics


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
            files[output_file(output.target)] = text.encode("utf-8")
    for name, text in views.markdown.items():
        files[name] = text.encode("utf-8")
    for name, value in views.data.items():
        files[f"data/{name}.json"] = json_file(value).encode("utf-8")
    for name, text in export_files(site, urls).items():
        files[name] = text.encode("utf-8")
    files["sitemap.xml"] = sitemap([o.target for o in views.pages if o.target != "404.html"], urls).encode("utf-8")
    files["feed.xml"] = feed(site, urls, converter.prose).encode("utf-8")
    files["robots.txt"] = robots(urls).encode("utf-8")
    files[".nojekyll"] = b""
    if config.cname:
        files["CNAME"] = f"{config.cname}\n".encode("utf-8")
    for directory in reversed(theme_dirs(config.templates_dir)):  # site's own assets override the theme's
        assets = directory / "assets"
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    return files


def build(config_path: Path, out_dir: Path | None = None, base_url: str | None = None, strict: bool = False) -> BuildReport:
    """Build the site; raise ``BuildAborted`` (nothing written) on errors."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    config, site = load(config_path, diagnostics, base_url)
    if config is None or site is None or diagnostics.failed(strict):
        raise BuildAborted(diagnostics)
    out = Path(out_dir) if out_dir is not None else config.output_dir
    problem = check_output_dir(out, config)
    if problem:
        diagnostics.error(str(out), None, problem)
        raise BuildAborted(diagnostics)
    files = render(site, diagnostics)
    if diagnostics.failed(strict):
        raise BuildAborted(diagnostics)
    try:
        write_tree(out, files)
    except (OSError, OutputError) as exc:
        diagnostics.error(str(out), None, f"cannot write the output: {exc}")
        raise BuildAborted(diagnostics) from None
    pages = sum(1 for name in files if name.endswith(".html"))
    return BuildReport(out.resolve(), len(files), pages, time.perf_counter() - started, diagnostics)


def check(config_path: Path, strict: bool = False) -> Diagnostics:
    """Validate only: load everything and render in memory, write nothing."""
    diagnostics = Diagnostics()
    config, site = load(config_path, diagnostics)
    if config is not None and site is not None and not diagnostics.errors:
        render(site, diagnostics)
    return diagnostics


class Builder:
    """A build that can be repeated: what ``serve`` and the benchmark drive.

    ``rebuild(changed)`` receives the paths that changed since the last call
    (None: unknown, rebuild everything). Today every rebuild is a full build;
    state kept here between builds is where incremental work belongs.
    """

    def __init__(self, config_path: Path, out_dir: Path | None = None, base_url: str | None = None, strict: bool = False):
        self.config_path = Path(config_path)
        self.out_dir = out_dir
        self.base_url = base_url
        self.strict = strict

    def rebuild(self, changed: set[Path] | None = None) -> BuildReport:
        """Raises ``BuildAborted`` with the diagnostics; the previous output stays."""
        return build(self.config_path, self.out_dir, self.base_url, self.strict)
