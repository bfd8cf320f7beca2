"""What format 1.1's reading fields show: how each evidence item bears on
its event (stance, note), the actors that exist only through an error
(``status: spurious``), and a source's authors in its page's metadata
(Highwire Press tags and schema.org JSON-LD, which Zotero and Google
Scholar read).

A mixin of ``views.ViewBuilder``: it reads its ``site``, ``t``, ``md``,
``urls`` and ``lead``. The pages that show these are declared where they
were (``kinds/pages.py``, ``kinds/sources.py``, ``kinds/actors.py``).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cached_property

from markupsafe import Markup

from . import urls as paths
from ..content.dates import PartialDate, parse_date
from ..content.model import Actor, Author, Event, Evidence, Source


def jsonld_script(value: dict) -> Markup:
    """JSON inside ``<script type="application/ld+json">``: nothing in the
    data (a title holding ``</script>``, ``<!--``, U+2028) can end the
    element or change how it is read; JSON parsers read the escapes back."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def highwire_date(date: PartialDate) -> str:
    """``citation_publication_date`` at the precision known: 2024/04/12, 2024/04 or 2024."""
    return date.iso.replace("-", "/")


class ReadingViews:
    """Stance, spurious actors and authors, for ``views.ViewBuilder`` (its base class)."""

    # -- evidence ------------------------------------------------------------

    def bearing(self, evidence: Evidence) -> dict:
        """An evidence item's stance for the templates: ``stance`` (supports,
        contradicts, context), its label, and its note as HTML (or empty)."""
        return {"stance": evidence.stance, "stance_label": self.t[f"stance_{evidence.stance}"],
                "note_html": Markup(self.md.prose(evidence.note)) if evidence.note else Markup("")}

    def contested(self, event: Event) -> dict:
        """``contested``: some evidence contradicts the event; ``contested_label``: the words that say so."""
        return {"contested": event.contested, "contested_label": self.t["contested"]}

    # -- spurious actors ---------------------------------------------------------

    @cached_property
    def spurious_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.site.actors if a.spurious)

    @cached_property
    def spurious_reasons(self) -> dict[str, str]:
        """Actor id -> its reason as plain text (for a mention's ``title``)."""
        return {a.id: self.lead(a.status_note) for a in self.site.actors if a.spurious}

    def real_mention_counts(self) -> Counter:
        """Mentions per actor, the spurious left out ("most mentioned", the network)."""
        return Counter(m.actor for m in self.site.mentions if m.actor not in self.spurious_ids)

    def actor_status(self, actor: Actor) -> dict:
        """What an actor's page and the actor index say of its status."""
        return {"status": actor.status, "spurious": actor.spurious,
                "status_label": self.t["spurious"] if actor.spurious else "",
                "status_note_html": Markup(self.md.prose(actor.status_note)) if actor.status_note else Markup("")}

    def spurious_summary(self, actor: Actor) -> dict:
        """A spurious actor as the actor index lists it apart: with its reason."""
        summary = self.actor_summary(actor)
        return dict(summary, **self.actor_status(actor),
                    mentions_label=self.count_label(summary["mentions"], "mention"))

    # -- authors and the page's metadata -------------------------------------------

    def author_names(self, source: Source) -> str:
        """``<meta name="author">``: the names, comma-separated."""
        return ", ".join(a.name for a in source.authors)

    def citation_meta(self, source: Source) -> list[dict]:
        """Highwire Press tags describing the source as published (not this
        annotated copy): what Zotero's "Embedded Metadata" and Google Scholar read."""
        tags = [("citation_title", source.title)]
        tags += [("citation_author", a.name) for a in source.authors]
        if source.published:
            tags.append(("citation_publication_date", highwire_date(source.published)))
        if source.publisher:
            tags += [("citation_journal_title", source.publisher), ("citation_publisher", source.publisher)]
        tags.append(("citation_language", source.language))
        if source.url:
            tags.append(("citation_public_url", source.url))
        return [{"name": name, "content": content} for name, content in tags]

    def source_jsonld(self, source: Source) -> Markup:
        """schema.org: the source as a ``NewsArticle`` (an ``Article`` without
        a publisher), with the work it translates."""
        original = dict(source.translated_from)
        item = {"@context": "https://schema.org",
                **_work(source.title, source.authors, source.published, source.publisher, source.language,
                        source.url)}
        if original:
            date = parse_date(original["published"]) if original.get("published") else None
            work = _work(original.get("title", ""), source.translated_authors, date, original.get("publisher", ""),
                         original.get("language", ""), original.get("url", ""))
            item["translationOfWork"] = work
            if original.get("url"):
                item["isBasedOn"] = original["url"]
        item["subjectOf"] = {"@type": "WebPage", "url": self.urls.absolute(paths.source(source.slug)),
                             "name": source.title, "isPartOf": {"@type": "WebSite", "name": self.config.title,
                                                                "url": self.urls.absolute("")}}
        return jsonld_script(item)

    def site_jsonld(self) -> Markup:
        """schema.org ``WebSite`` for the home page, with its search."""
        config = self.config
        item = {"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
                "url": self.urls.absolute("")}
        if config.description:
            item["description"] = config.description
        item["inLanguage"] = config.language
        if config.author:
            item["publisher"] = {"@type": "Organization", "name": config.author}
        item["potentialAction"] = {"@type": "SearchAction",
                                   "target": self.urls.absolute(paths.search()) + "?q={search_term_string}",
                                   "query-input": "required name=search_term_string"}
        return jsonld_script(item)


def schema_person(author: Author) -> dict:
    if author.kind == "organization":
        return {"@type": "Organization", "name": author.name}
    family, given = author.family_given
    person = {"@type": "Person", "name": author.name, "familyName": family}
    if given:
        person["givenName"] = given
    return person


def _work(title: str, authors, date: PartialDate | None, publisher: str, language: str, url: str) -> dict:
    item: dict = {"@type": "NewsArticle" if publisher else "Article"}
    if title:
        item["headline"] = title
    if authors:
        item["author"] = [schema_person(a) for a in authors]
    if date:
        item["datePublished"] = date.iso
    if publisher:
        item["publisher"] = {"@type": "Organization", "name": publisher}
    if language:
        item["inLanguage"] = language
    if url:
        item["url"] = url
    return item
