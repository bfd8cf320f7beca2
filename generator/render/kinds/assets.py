"""The theme's and the site's static files (``assets/``): the site's own
override the theme's of the same name. They depend on nothing of the
content; the templates' folders are in every item's key (``global_key``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...errors import Diagnostics
from ...content.inputfiles import published_files, shown
from ...content.model import Site
from ..templating import theme_dirs
from .base import Context, Files, Item

RESERVES = ("assets",)


def sitemap(site: Site) -> list[str]:
    return []


def items(ctx: Context) -> Iterator[Item]:
    config = ctx.site.config
    yield Item("assets", lambda: asset_files(config.templates_dir, ctx.diagnostics, config.rel))


def asset_files(templates_dir: Path, diagnostics: Diagnostics, rel) -> Files:
    """The theme's assets, the site's own overriding them file by file. One
    that is a link out of its templates folder, not a regular file, or not
    named in UTF-8 is an error (``rel``: a folder as shown in messages)."""
    files = {}
    for directory in reversed(theme_dirs(templates_dir)):  # site's own assets override the theme's
        assets = directory / "assets"
        if assets.is_dir():
            found, problems = published_files(assets, directory, "asset", "templates")
            files.update(("assets/" + name, data) for name, data in found.items())
            for name, problem in problems:
                diagnostics.error(shown(f"{rel(assets)}/{name}"), None, problem)
    return files
