"""The theme's and the site's static files (``assets/``): the site's own
override the theme's of the same name. They depend on nothing of the
content; the templates' folders are in every item's key (``global_key``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Site
from ..templating import theme_dirs
from .base import Context, Files, Item

RESERVES = ("assets",)


def sitemap(site: Site) -> list[str]:
    return []


def items(ctx: Context) -> Iterator[Item]:
    yield Item("assets", lambda: asset_files(ctx.site.config.templates_dir))


def asset_files(templates_dir: Path) -> Files:
    files = {}
    for directory in reversed(theme_dirs(templates_dir)):  # site's own assets override the theme's
        assets = directory / "assets"
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    return files
