"""What an extractor hands on: the article's paragraphs and the metadata
found, plain data the annotation and the report are written from."""

from __future__ import annotations

from dataclasses import dataclass, field

Author = str | dict  # a person's name, or {"organization": name}


@dataclass
class Extracted:
    kind: str  # "html", "pdf" or "text": what the original was
    paragraphs: list[str]
    title: str = ""
    authors: list[Author] = field(default_factory=list)
    published: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD, at the precision found
    publisher: str = ""
    language: str = ""
    url: str = ""
    extension: str = "txt"  # of the capture: html, pdf, txt
    encoding: str = ""  # the encoding the original was read in, when that was a guess
    remarks: list[str] = field(default_factory=list)  # what the extractor did or doubted, for the report


class ExtractionError(Exception):
    """A source that yields no article: one line, printed as the error."""
