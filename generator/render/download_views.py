"""The page of the downloads (``data/``): every file the site offers for
reuse, with what it holds, its format, how many records and its licence.

A mixin of ``views.ViewBuilder``, beside ``kinds/downloads.py`` which
declares what the page reads: how many sources, notes, events, passages and
actors there are (the cards of the sources, the events, the actors' cards).
The files themselves are made by ``kinds/data.py`` and ``kinds/exports.py``
(and the feed by ``kinds/hosting.py``); ``tests/test_data_page.py`` holds
this list equal to the files a build writes.
"""

from __future__ import annotations

from . import urls as paths
from ..i18n import counted
from .output import Output

# (site path, format, what it holds: an interface string, what is counted: "source", "event", ...)
DOWNLOADS = (
    ("data/sources.json", "JSON", "dl_sources_json", "source"),
    ("data/sources.csv", "CSV", "dl_sources_csv", "source"),
    ("data/sources.bib", "BibTeX (biblatex)", "dl_sources_bib", "source"),
    ("data/sources.csl.json", "CSL-JSON", "dl_sources_csl", "source"),
    ("data/annotations.jsonld", "JSON-LD (W3C Web Annotations)", "dl_annotations", "annotation"),
    ("data/events.json", "JSON", "dl_events_json", "event"),
    ("data/events.csv", "CSV", "dl_events_csv", "event"),
    ("data/actors.json", "JSON", "dl_actors_json", "actor"),
    ("data/actors.csv", "CSV", "dl_actors_csv", "actor"),
    ("feed.xml", "Atom", "dl_feed", "entry"),
)


class DownloadViews:
    """The downloads page of ``views.ViewBuilder`` (its base class): it reads
    its ``site``, ``t``, ``lang``, ``config`` and ``common``."""

    def download_counts(self) -> dict[str, int]:
        """How many records each kind of file holds."""
        site = self.site
        quoted = sum(1 for e in site.events for ev in e.evidence if ev.source)
        return {"source": len(site.sources), "event": len(site.events), "actor": len(site.actors),
                "annotation": sum(len(s.notes) for s in site.sources) + quoted,
                "entry": len(site.sources) + len(site.events)}

    def data_page(self) -> Output:
        counts = self.download_counts()
        files = [{"name": target.rsplit("/", 1)[-1], "href": self.link(target), "format": form,
                  "holds": self.t[holds], "count": counted(counts[noun], noun, self.lang)}
                 for target, form, holds, noun in DOWNLOADS]
        markdown = {"pattern": "sources/<slug>/index.md", "format": "Markdown (YAML front matter)",
                    "holds": self.t["dl_markdown"], "count": counted(counts["source"], "page", self.lang),
                    "href": self.link(paths.sources())}
        config = self.config
        license_text = {"name": config.license or config.license_url, "href": config.license_url,
                        "default": self.t["license_default"].format(
                            author=config.author or config.title)}
        ctx = self.common("data/", self.t["data_title"], "", self.t["data_description"])
        ctx.update({"files": files, "markdown": markdown, "license": license_text})
        return Output("data/", "data.html", ctx)
