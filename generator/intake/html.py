"""A web page → the article's paragraphs and the metadata the page gives.

trafilatura finds the article: it removes menus, cookie banners, share
buttons, related links and comments by the structure and text density of
the page, which a handful of our own selectors would only do for the pages
they were written against; its metadata step reads the title, authors,
site name and canonical URL from the usual places (Open Graph, Dublin Core,
JSON-LD, ``<meta>``), and the date through htmldate, which also reads dates
written in the text (a byline). What it leaves out, this module adds: the
page's language, the kind of each JSON-LD author (a person or an
organisation), and a byline in the article's first lines.
"""

from __future__ import annotations

import json
import re

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html

from ..content.schema import LANGUAGE_TAG
from .extracted import Author, Extracted, ExtractionError

_BYLINE = re.compile(r"^(?:By|Par|Von|Por|Di|Door|Av)\s+(?P<names>[^,·|–—(]{3,120}?)\s*(?:[,·|–—(]|$)")
_NAME_SPLIT = re.compile(r"\s*(?:;|,|\band\b|\bet\b|\bund\b|\by\b|&)\s*")
_ARTICLE_TYPES = ("Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                  "ScholarlyArticle", "Report", "OpinionNewsArticle", "WebPage")


def _json_ld_items(tree) -> list[dict]:
    """Every JSON-LD object of the page (``@graph`` flattened); broken blocks skipped."""
    items: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                items.append(item)
                items.extend(i for i in item.get("@graph", ()) if isinstance(i, dict))
    return items


def _types(item: dict) -> list[str]:
    kind = item.get("@type", ())
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]


def _json_ld_article(tree) -> dict:
    return next((i for i in _json_ld_items(tree) if set(_types(i)) & set(_ARTICLE_TYPES)), {})


def _json_ld_authors(article: dict) -> list[Author]:
    found = article.get("author", ())
    found = found if isinstance(found, list) else [found]
    authors: list[Author] = []
    for item in found:
        if isinstance(item, str) and item.strip():
            authors.append(item.strip())
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            name = item["name"].strip()
            authors.append({"organization": name} if "Organization" in _types(item) or "NewsMediaOrganization" in _types(item) else name)
    return authors


def _language(tree, article: dict) -> str:
    """``<html lang>``, else JSON-LD ``inLanguage``, else ``og:locale``; a BCP 47 tag or ''."""
    candidates = tree.xpath("/html/@lang") + tree.xpath("/html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
    if isinstance(article.get("inLanguage"), str):
        candidates.append(article["inLanguage"])
    candidates += [c.replace("_", "-") for c in tree.xpath('//meta[@property="og:locale"]/@content')]
    return next((c.strip() for c in candidates if LANGUAGE_TAG.fullmatch(c.strip())), "")


def _byline_authors(paragraphs: list[str]) -> tuple[list[Author], int | None]:
    """Authors named in a byline among the first three paragraphs, and its index."""
    for index, paragraph in enumerate(paragraphs[:3]):
        match = _BYLINE.match(paragraph)
        if match and len(paragraph) < 200:
            names = [n for n in _NAME_SPLIT.split(match["names"]) if n and n[0].isupper() and len(n.split()) <= 4]
            if names:
                return names, index
    return [], None


def _publisher_from_title(tree, title: str) -> str:
    """The site's name where the page's ``<title>`` is the headline followed
    by it (``Headline – Site``, ``Headline | Site``)."""
    for whole in tree.xpath("//head/title/text()"):
        for separator in (" | ", " – ", " — ", " - ", " :: "):
            head, sep, tail = whole.strip().rpartition(separator)
            if sep and title and head.strip() == title and 0 < len(tail.strip()) <= 80:
                return tail.strip()
    return ""


def _published(data: bytes, url: str, text_date: str, paragraphs: list[str], remarks: list[str]) -> str:
    """The date of the page's metadata (meta tags, ``<time>``, JSON-LD, the
    URL); failing that, a date htmldate read in the text, only where its
    year stands in a byline (a short line among the first three): a year in
    the body ("the charts of 1998") is not a publication date. A date that
    htmldate completed to 1 January from a year alone is kept as the year."""
    structured = find_date(data, extensive_search=False, original_date=True, url=url or None)
    if structured:
        return structured
    if not text_date:
        return ""
    byline = next((p for p in paragraphs[:3] if len(p) < 200 and text_date[:4] in p), None)
    if byline is None:
        remarks.append(f"a date in the text ({text_date}) was not taken: it is not in a byline or the page's metadata")
        return ""
    remarks.append(f"published: read from the byline {byline!r}")
    return text_date[:4] if text_date.endswith("-01-01") else text_date


def _split_authors(text: str | None) -> list[Author]:
    return [name.strip() for name in (text or "").split(";") if name.strip()]


def extract_html(data: bytes, url: str = "") -> Extracted:
    document = trafilatura.bare_extraction(data, url=url or None, with_metadata=True, include_comments=False,
                                           include_tables=True, favor_precision=True, deduplicate=False)
    if document is None or not (document.text or "").strip():
        raise ExtractionError("no article text found in this page")
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    title = (document.title or "").strip()
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline: the annotation's title, not the article's first paragraph
    try:
        tree = lxml_html.document_fromstring(data)
    except (ValueError, lxml_html.etree.ParserError):
        tree = lxml_html.document_fromstring("<html></html>")
    article = _json_ld_article(tree)
    result = Extracted("html", paragraphs, title=title, publisher=(document.sitename or "").strip(),
                       language=_language(tree, article),
                       url=(document.url or url or "").strip(), extension="html")
    result.published = _published(data, url, (document.date or "").strip(), paragraphs, result.remarks)
    result.authors = _json_ld_authors(article) or _split_authors(document.author)
    if not result.authors:
        result.authors, line = _byline_authors(paragraphs)
        if result.authors:
            result.remarks.append(f"author read from the byline: {paragraphs[line]!r}")
    if not result.publisher:
        result.publisher = _publisher_from_title(tree, title)
        if result.publisher:
            result.remarks.append(f"publisher read from the page's <title>: {result.publisher!r}")
    if not result.url and isinstance(article.get("mainEntityOfPage"), str):
        result.url = article["mainEntityOfPage"]
    return result
