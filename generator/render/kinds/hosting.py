"""Files for hosting and feed readers: ``sitemap.xml`` (the pages every
other kind lists in its ``sitemap``), the Atom feed, ``robots.txt``,
``.nojekyll`` and GitHub Pages' ``CNAME``."""

from __future__ import annotations

from collections.abc import Iterator

from ..feeds import feed, robots, sitemap as sitemap_xml
from ...content.model import Site
from ..sanitize import markup_safe
from ..urls import Urls
from .base import Context, Files, Item

RESERVES: tuple[str, ...] = ()  # its files are at the top, with a dot: no slug has one


def sitemap(site: Site) -> list[str]:
    return []


def items(ctx: Context) -> Iterator[Item]:
    site, urls, every = ctx.site, ctx.urls, ctx.fp.every
    targets = ctx.sitemap
    yield Item("sitemap", lambda: {"sitemap.xml": markup_safe(sitemap_xml(list(targets), urls)).encode("utf-8")}, targets)
    yield Item("feed", lambda: {"feed.xml": markup_safe(feed(site, urls, ctx.converter.prose)).encode("utf-8")},
               (every["card"], every["event"]), max(1, (len(site.sources) + len(site.events)) // 200))
    yield Item("hosting", lambda: hosting_files(site, urls))


def hosting_files(site: Site, urls: Urls) -> Files:
    files = {"robots.txt": robots(urls).encode("utf-8"), ".nojekyll": b""}
    if site.config.cname:
        files["CNAME"] = f"{site.config.cname}\n".encode("utf-8")
    return files
