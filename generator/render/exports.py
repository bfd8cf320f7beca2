"""The corpus in the formats other tools read: BibTeX, CSL-JSON, W3C Web
Annotations, CSV.

Researchers who reuse the site cite its sources with a reference manager
(BibTeX for LaTeX, CSL-JSON for Zotero, Pandoc and citeproc), re-anchor its
notes in their own annotation tools (Web Annotation Data Model, with
TextQuoteSelectors that find the passage by its words, not by an offset),
and count or chart its tables in a spreadsheet (CSV). Each builder is a pure
function from the model to text, deterministic like the rest of the build.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter

from . import urls as paths
from ..content.controls import csv_cell, text_safe
from ..content.dates import PartialDate, parse_date
from ..content.model import Author, Evidence, Note, Site, Source
from ..content.seedtext import Article
from .urls import Urls

QUOTE_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector

# -- LaTeX / BibTeX -------------------------------------------------------

# BibTeX counts braces whatever precedes them, so ``\{`` would unbalance a
# field: braces and backslashes become text commands without literal braces.
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"{\textless}", ">": r"{\textgreater}",
}
_LATEX_TYPOGRAPHY = {
    "\u2019": "'", "\u2018": r"\textquoteleft{}", "\u201c": "``", "\u201d": "''", "\u00ab": r"{\guillemotleft}",
    "\u00bb": r"{\guillemotright}", "\u2013": "--", "\u2014": "---", "\u2026": r"{\ldots}",
    "\u00a0": "~", "\u202f": r"\,", "\u0153": r"{\oe}", "\u0152": r"{\OE}", "\u00e6": r"{\ae}",
    "\u00c6": r"{\AE}", "\u00df": r"{\ss}", "\u00f8": r"{\o}", "\u00d8": r"{\O}", "\u0142": r"{\l}",
    "\u0141": r"{\L}", "\u20ac": r"{\texteuro}", "\u00b0": r"{\textdegree}",
}
# Combining marks (after NFD) -> the accent command that puts them on a letter.
_LATEX_ACCENTS = {
    "\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0304": "=",
    "\u0307": ".", "\u0327": "c", "\u030c": "v", "\u0306": "u", "\u030a": "r", "\u0328": "k", "\u030b": "H",
}


def latex_escape(text: str) -> str:
    """Text -> LaTeX that BibTeX keeps intact and LaTeX prints as that text.

    French accents become accent commands in their own group (``{\\'e}``,
    ``{\\c{c}}``, ``{\\^{\\i}}``) so that BibTeX styles sort and case-change
    them correctly; characters with no command are kept as UTF-8, control
    characters (from seed text) as a visible ``\\xNN``.
    """
    out = []
    for char in unicodedata.normalize("NFC", text_safe(text)):
        if char in _LATEX_SPECIAL:
            out.append(_LATEX_SPECIAL[char])
        elif char in _LATEX_TYPOGRAPHY:
            out.append(_LATEX_TYPOGRAPHY[char])
        elif ord(char) < 128:
            out.append(char)
        else:
            out.append(_accented(char) or char)
    return "".join(out)


def _accented(char: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not base.isascii() or not base.isalpha() or not marks or any(m not in _LATEX_ACCENTS for m in marks):
        return None
    result = {"i": r"\i", "j": r"\j"}.get(base, base) if marks[0] not in ("\u0327", "\u0328") else base
    for mark in marks:
        command = _LATEX_ACCENTS[mark]
        result = f"\\{command}{{{result}}}" if command.isalpha() or len(result) > 1 else f"\\{command}{result}"
    return "{" + result + "}"


def _bib_url(url: str) -> str:
    """URLs are verbatim in BibTeX's url field; only braces and backslashes could break it."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


_BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BABEL = {"en": "english", "fr": "french", "de": "ngerman", "es": "spanish", "it": "italian", "pt": "portuguese",
          "nl": "dutch", "ru": "russian", "pl": "polish", "ar": "arabic", "ja": "japanese", "zh": "chinese"}


def _edtf(date: PartialDate) -> str:
    """biblatex's date field is EDTF: ``~`` after the date marks it approximate."""
    return date.iso + ("~" if date.approximate else "")


def bibtex_entry(source: Source, page_url: str, site_title: str) -> str:
    """One ``@article`` (a press article; ``@misc`` without a publisher), for BibTeX and biblatex."""
    fields: list[tuple[str, str]] = [("title", "{{" + latex_escape(source.title) + "}}")]  # inner braces keep its case
    if source.authors:
        fields.append(("author", "{" + " and ".join(bibtex_name(a) for a in source.authors) + "}"))
    if source.publisher:
        fields.append(("journal", "{" + latex_escape(source.publisher) + "}"))
    if source.published:
        fields.append(("date", "{" + _edtf(source.published) + "}"))
        fields.append(("year", "{" + str(source.published.year) + "}"))
        if source.published.month:
            fields.append(("month", _BIB_MONTHS[source.published.month - 1]))  # a BibTeX macro: no braces
    if source.url:
        fields.append(("url", "{" + _bib_url(source.url) + "}"))
    language = _BABEL.get(source.language.split("-")[0].lower())
    if language:
        fields.append(("langid", "{" + language + "}"))
    original = dict(source.translated_from)
    if original.get("title"):
        fields.append(("origtitle", "{{" + latex_escape(original["title"]) + "}}"))
    original_language = _BABEL.get(original.get("language", "").split("-")[0].lower())
    if original_language:
        fields.append(("origlanguage", "{" + original_language + "}"))
    if original.get("published"):
        fields.append(("origdate", "{" + _edtf(parse_date(original["published"])) + "}"))
    if source.tags:
        fields.append(("keywords", "{" + latex_escape(", ".join(source.tags)) + "}"))
    link = _bib_url(page_url).replace("%", r"\%").replace("#", r"\#")
    fields.append(("note", "{Annotated copy: " + latex_escape(site_title) + ", \\url{" + link + "}}"))
    kind = "article" if source.publisher else "misc"
    lines = [f"@{kind}{{{source.slug},"] + [f"  {name} = {value}," for name, value in fields] + ["}"]
    return "\n".join(lines) + "\n"


def bibtex_name(author: Author) -> str:
    """"Family, Given" (BibTeX's unambiguous form); an organisation in braces, one name not to be split."""
    if author.kind == "organization":
        return "{" + latex_escape(author.name) + "}"
    family, given = author.family_given
    family = "{" + latex_escape(family) + "}" if " " in family else latex_escape(family)
    return f"{family}, {latex_escape(given)}" if given else family


def bibtex(site: Site, urls: Urls) -> str:
    header = f"% {site.config.title}: the corpus's sources, for BibTeX and biblatex (UTF-8).\n"
    return header + "\n" + "\n".join(bibtex_entry(s, urls.absolute(paths.source(s.slug)), site.config.title)
                                     for s in site.sources)


# -- CSL-JSON ---------------------------------------------------------------

def _csl_date(date: PartialDate) -> dict:
    parts = [date.year] + ([date.month] if date.month else []) + ([date.day] if date.day else [])
    value: dict = {"date-parts": [parts]}
    if date.approximate:
        value["circa"] = True
    return value


def csl_item(source: Source, page_url: str, site_title: str) -> dict:
    """One item with CSL-JSON's own variable names (what Zotero, Pandoc and citeproc read)."""
    item: dict = {"id": source.slug, "type": "article-newspaper" if source.publisher else "document",
                  "title": source.title}
    if source.authors:
        item["author"] = [csl_name(a) for a in source.authors]
    if source.publisher:
        item["container-title"] = source.publisher
    if source.published:
        item["issued"] = _csl_date(source.published)
    item["URL"] = source.url or page_url
    item["language"] = source.language
    original = dict(source.translated_from)
    if original.get("title"):
        item["original-title"] = original["title"]
    if original.get("publisher"):
        item["original-publisher"] = original["publisher"]
    if original.get("published"):
        item["original-date"] = _csl_date(parse_date(original["published"]))
    if source.translated_authors:
        item["original-author"] = [csl_name(a) for a in source.translated_authors]
    if source.tags:
        item["keyword"] = ", ".join(source.tags)
    item["note"] = f"Annotated copy: {site_title}, {page_url}"
    return item


def csl_name(author: Author) -> dict:
    """A CSL name: a person as family and given, an organisation as a literal."""
    if author.kind == "organization":
        return {"literal": author.name}
    family, given = author.family_given
    return {"family": family, "given": given} if given else {"family": family}


def csl_json(site: Site, urls: Urls) -> str:
    items = [csl_item(s, urls.absolute(paths.source(s.slug)), site.config.title) for s in site.sources]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


# -- W3C Web Annotations -------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


def text_quote(article: Article, pieces, context: int = QUOTE_CONTEXT) -> dict:
    """A TextQuoteSelector for a passage: its words, and the words around it.

    White space runs (paragraph breaks included) count as one space, as in
    the text a browser shows; the characters are the seed's own (curly
    quotes kept), so the passage can be found again in the published page.
    """
    first, last = pieces[0], pieces[-1]
    start = article.starts[first.paragraph - 1] + first.start
    end = article.starts[last.paragraph - 1] + last.end
    text = article.text_between  # the parts around the passage only (a seed may be megabytes)
    exact = _collapse(text(start, end))
    prefix = _collapse(text(max(0, start - 4 * context), start))[-context:]
    suffix = _collapse(text(end, end + 4 * context))[:context]
    selector = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return selector


_MOTIVATION = {"note": "commenting", "correction": "editing", "claim": "assessing"}


def note_annotation(source: Source, note: Note, urls: Urls, site_language: str, creator: dict | None) -> dict:
    page = urls.absolute(paths.source(source.slug))
    body = [{"type": "TextualBody", "purpose": "commenting", "value": note.body, "format": "text/markdown",
             "language": site_language}]
    if note.should_read:
        body.append({"type": "TextualBody", "purpose": "editing", "value": note.should_read, "format": "text/plain",
                     "language": source.language})
    annotation = {"id": urls.absolute(paths.source(source.slug, f"{note.anchor}-text")), "type": "Annotation",
                  "motivation": _MOTIVATION.get(note.kind, "commenting"), "body": body if len(body) > 1 else body[0],
                  "target": {"source": page, "selector": text_quote(source.article, note.pieces)}}
    if creator:
        annotation["creator"] = creator
    return annotation


def evidence_annotation(source: Source, event, evidence: Evidence, urls: Urls) -> dict:
    """An event's evidence: the passage is linked to the event it supports,
    contradicts or gives context to (its stance, a classifying body)."""
    annotation = {"id": urls.absolute(paths.source(source.slug, evidence.anchor)), "type": "Annotation",
            "motivation": "linking",
            "body": {"id": urls.absolute(urls.on_timeline(event.id)), "type": "Text", "format": "text/html",
                     "title": event.title},
            "target": {"source": urls.absolute(paths.source(source.slug)),
                       "selector": text_quote(source.article, evidence.pieces)}}
    annotation["body"] = [annotation["body"], *bearing_bodies(evidence)]
    return annotation


def bearing_bodies(evidence: Evidence) -> list[dict]:
    """The stance as a ``classifying`` body (its value: supports, contradicts
    or context), and the note on it, when there is one."""
    bodies = [{"type": "TextualBody", "purpose": "classifying", "value": evidence.stance, "format": "text/plain"}]
    if evidence.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": evidence.note,
                       "format": "text/markdown"})
    return bodies


def annotations(site: Site, urls: Urls) -> str:
    """An AnnotationCollection of every note and every event's evidence (JSON-LD)."""
    sources = {s.slug: s for s in site.sources}
    items = [item for s in site.sources for item in source_annotations(site, s, urls)]
    for event in site.events:
        items += event_annotations(event, sources, urls)
    return json.dumps(annotation_collection(site, urls, items, len(items)), ensure_ascii=False, indent=1) + "\n"


def source_annotations(site: Site, source: Source, urls: Urls) -> list[dict]:
    """The annotations of one source's notes (a build reuses them while the source is unchanged)."""
    creator = {"type": "Organization", "name": site.config.author} if site.config.author else None
    return [note_annotation(source, n, urls, site.config.language, creator) for n in source.notes]


def event_annotations(event, sources: dict[str, Source], urls: Urls) -> list[dict]:
    return [evidence_annotation(sources[evidence.source], event, evidence, urls)
            for evidence in event.evidence if evidence.source]


def annotation_collection(site: Site, urls: Urls, items, total: int) -> dict:
    """The AnnotationCollection around ``items`` (its one page holds them all)."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": urls.absolute("data/annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": f"{site.config.title}: notes and evidence",
        "total": total,
        "first": {"id": urls.absolute("data/annotations.jsonld") + "#page-1", "type": "AnnotationPage",
                  "startIndex": 0, "items": items},
    }


# -- CSV ---------------------------------------------------------------------

def _csv(header: list[str], rows: list[list]) -> str:
    """RFC 4180: comma-separated, CRLF line ends, quoted where needed, UTF-8;
    each cell as ``controls.csv_cell`` makes it (no formula, no control character)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def events_csv(site: Site, urls: Urls) -> str:
    """One row per event, in timeline order; lists are separated by '; '."""
    rows = []
    for e in site.events:
        sources = sorted({ev.source for ev in e.evidence if ev.source})
        outside = [ev.url for ev in e.evidence if ev.url]
        rows.append([e.id, e.date.written, e.end.written if e.end else "", e.title, e.summary, "; ".join(e.actors),
                     "; ".join(e.tags), "; ".join(sources), "; ".join(outside), len(e.evidence),
                     urls.absolute(urls.on_timeline(e.id)), "; ".join(ev.stance for ev in e.evidence),
                     "yes" if e.contested else "no"])
    return _csv(["id", "date", "end", "title", "summary", "actors", "tags", "sources", "outside_references",
                 "evidence_count", "url", "stances", "contested"], rows)


def actors_csv(site: Site, urls: Urls) -> str:
    """One row per actor, by name, with the counts the actor index shows."""
    mentions = Counter(m.actor for m in site.mentions)
    sources: dict[str, set] = {}
    for m in site.mentions:
        sources.setdefault(m.actor, set()).add(m.source)
    events = Counter(a for e in site.events for a in e.actors)
    rows = []
    for a in sorted(site.actors, key=lambda a: (a.name.casefold(), a.id)):
        rows.append([a.id, a.name, a.kind, a.role, a.wikidata or "", "; ".join(a.aliases + a.exact_aliases),
                     mentions[a.id], len(sources.get(a.id, ())), events[a.id], urls.absolute(paths.actor(a.id))])
    return _csv(["id", "name", "kind", "role", "wikidata", "aliases", "mentions", "sources", "events", "url"], rows)


ORIGINAL_COLUMNS = ("title", "publisher", "published", "language", "url")  # translated_from's, in sources.csv


def sources_csv(site: Site, urls: Urls) -> str:
    """One row per source, in the site's order: the fields of sources.json,
    ``translated_from`` as one column per key and the notes as their numbers."""
    rows = []
    for s in site.sources:
        original = dict(s.translated_from)
        rows.append([s.slug, s.title, s.seed, s.publisher, s.published.written if s.published else "", s.language,
                     s.url, urls.absolute(paths.source(s.slug)), len(s.article.paragraphs), "; ".join(s.tags),
                     *(original.get(key, "") for key in ORIGINAL_COLUMNS), len(s.notes),
                     sum(1 for n in s.notes if n.kind == "correction")])
    return _csv(["slug", "title", "seed", "publisher", "published", "language", "source_url", "url", "paragraphs",
                 "tags", *(f"translated_from_{key}" for key in ORIGINAL_COLUMNS), "notes", "corrections"], rows)


def export_files(site: Site, urls: Urls) -> dict[str, str]:
    """Output file (relative to the output folder) -> text."""
    return {
        "data/sources.bib": bibtex(site, urls),
        "data/sources.csl.json": csl_json(site, urls),
        "data/annotations.jsonld": annotations(site, urls),
        "data/events.csv": events_csv(site, urls),
        "data/actors.csv": actors_csv(site, urls),
        "data/sources.csv": sources_csv(site, urls),
    }
