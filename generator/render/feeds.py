"""Files for hosting and for readers' tools: sitemap, Atom feed, robots.txt,
JSON data. Deterministic: no build time is written; dates come from the
corpus (an undated source takes the date of the oldest entry)."""

from __future__ import annotations

from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from . import urls as paths
from ..content.dates import PartialDate, format_date
from ..content.model import Site
from .urls import Urls


def _iso(date: PartialDate | None) -> str:
    return f"{date.first_day().isoformat()}T00:00:00Z" if date else "1970-01-01T00:00:00Z"


def sitemap(targets: list[str], urls: Urls) -> str:
    """sitemaps.org 0.9: one absolute ``loc`` per page (404.html excluded by the caller)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for target in sorted(set(targets)):
        lines.append(f"  <url><loc>{escape(urls.absolute(target))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(urls: Urls) -> str:
    """Everything may be crawled; the sitemap says what there is.

    Crawlers read robots.txt only at a host's root: on a project site
    (``owner.github.io/repo/``) this file is not consulted, and the sitemap
    is found through ``<link>``s and search consoles instead.
    """
    return f"User-agent: *\nDisallow:\n\nSitemap: {urls.absolute('sitemap.xml')}\n"


def _text(tag: str, value: str, indent: str = "    ", attrs: str = "") -> str:
    return f"{indent}<{tag}{attrs}>{escape(value)}</{tag}>"


def feed(site: Site, urls: Urls, html: Callable[[str], str] = lambda text: "") -> str:
    """Atom 1.0: one entry per source and per event, newest first.

    ``html`` turns an annotator's Markdown into HTML for the entries'
    summaries (``xml:base`` makes their root-relative links resolve).
    """
    config = site.config
    entries: list[dict] = []
    for s in site.sources:
        entries.append({
            "date": s.published, "url": urls.absolute(paths.source(s.slug)), "title": s.title, "lang": s.language,
            "summary": s.summary, "kind": "source", "tags": s.tags, "related": s.url,
        })
    for e in site.events:
        entries.append({
            "date": e.date, "url": urls.absolute(urls.event(e.id)), "title": f"{format_date(e.date, config.language)} — {e.title}",
            "lang": config.language, "summary": e.summary, "kind": "event", "tags": e.tags, "related": "",
        })
    dates = [x["date"] for x in entries if x["date"] is not None]
    newest = max(dates, key=lambda d: d.sort_key) if dates else None
    oldest = min(dates, key=lambda d: d.sort_key) if dates else None
    for entry in entries:  # an undated source comes last, dated as the oldest entry
        entry["updated"] = entry["date"] or oldest
    entries.sort(key=lambda x: (x["updated"].sort_key if x["updated"] else (0, 0, 0), x["date"] is not None, x["url"]),
                 reverse=True)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)} xml:base={quoteattr(urls.absolute(""))}>',
           _text("title", config.title, "  "), _text("id", urls.absolute(""), "  "),
           f'  <link rel="alternate" type="text/html" href={quoteattr(urls.absolute(""))}/>',
           f'  <link rel="self" type="application/atom+xml" href={quoteattr(urls.absolute("feed.xml"))}/>',
           _text("updated", _iso(newest), "  "), _text("icon", urls.absolute("assets/favicon.svg"), "  ")]
    if config.description:
        out.append(_text("subtitle", config.description, "  "))
    out += ["  <author>", _text("name", config.author or config.title), "  </author>"]
    for entry in entries:
        out += [f"  <entry xml:lang={quoteattr(entry['lang'])}>", _text("title", entry["title"]), _text("id", entry["url"]),
                f'    <link rel="alternate" type="text/html" href={quoteattr(entry["url"])}/>']
        if entry["related"]:
            out.append(f'    <link rel="related" type="text/html" href={quoteattr(entry["related"])}/>')
        out.append(_text("updated", _iso(entry["updated"])))
        if entry["date"]:
            out.append(_text("published", _iso(entry["date"])))
        out.append(f'    <category term="{entry["kind"]}"/>')
        for tag in entry["tags"]:
            out.append(f"    <category term={quoteattr(tag)}/>")
        summary = html(entry["summary"]) if entry["summary"] else ""
        if summary:
            out.append(_text("summary", summary, attrs=' type="html"'))
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"
