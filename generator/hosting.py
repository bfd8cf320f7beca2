"""Files for hosting and reuse: sitemap, Atom feed, JSON data. Deterministic:
no build time is written; dates come from the corpus."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from . import urls as paths
from .dates import PartialDate
from .model import Site
from .urls import Urls


def _iso(date: PartialDate | None) -> str:
    return f"{date.first_day().isoformat()}T00:00:00Z" if date else "1970-01-01T00:00:00Z"


def sitemap(targets: list[str], urls: Urls) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for target in sorted(set(targets)):
        lines.append(f"  <url><loc>{escape(urls.absolute(target))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def feed(site: Site, urls: Urls) -> str:
    """Atom: one entry per source and per event, newest first."""
    entries = []
    for s in site.sources:
        entries.append((s.published, urls.absolute(paths.source(s.slug)), s.title, s.summary))
    for e in site.events:
        entries.append((e.date, urls.absolute(paths.timeline(e.id)), f"{e.date.written} — {e.title}", e.summary))
    entries.sort(key=lambda x: (x[0].sort_key if x[0] else (0, 0, 0), x[1]), reverse=True)
    dates = [x[0] for x in entries if x[0] is not None]
    newest = max(dates, key=lambda d: d.sort_key) if dates else None
    config = site.config
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(config.language)}">',
           f"  <title>{escape(config.title)}</title>", f"  <id>{escape(urls.absolute(''))}</id>",
           f'  <link href="{escape(urls.absolute(""))}"/>', f'  <link rel="self" href="{escape(urls.absolute("feed.xml"))}"/>',
           f"  <updated>{_iso(newest)}</updated>"]
    if config.description:
        out.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    out.append(f"  <author><name>{escape(config.author or config.title)}</name></author>")
    for date, url, title, summary in entries:
        out += ["  <entry>", f"    <title>{escape(title)}</title>", f"    <id>{escape(url)}</id>",
                f'    <link href="{escape(url)}"/>', f"    <updated>{_iso(date)}</updated>"]
        if summary:
            out.append(f"    <summary>{escape(summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def json_file(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"
