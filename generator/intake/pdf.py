"""A PDF → paragraphs (``pdflayout``) and the metadata of its document
information dictionary.

pdfminer.six reads the file: fonts, encodings, character boxes and the
document information are a format of their own that no code of ours should
parse; it is pure Python and well kept. The creation date is reported, not
written as the publication date: it is when the file was made, which for a
report saved again or printed to PDF is not when it was published.
"""

from __future__ import annotations

import io
import logging
import re

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from ..content.schema import LANGUAGE_TAG
from . import pdflayout
from .extracted import Extracted, ExtractionError

_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")
_GENERIC_TITLES = re.compile(r"^(untitled|microsoft word - .*|document\d*|\S+\.(docx?|pdf|indd|tex))$", re.IGNORECASE)


def _info_text(value) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value).strip("\x00").strip()
    if isinstance(value, PSLiteral):
        return str(value.name)
    return value.strip() if isinstance(value, str) else ""


def document_info(data: bytes) -> tuple[dict[str, str], str]:
    """The document information (Title, Author, CreationDate…) as text, and
    the catalog's /Lang; ExtractionError for a file pdfminer cannot open."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ExtractionError("this PDF is encrypted: open it, save a copy without a password, and add that") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"this PDF cannot be read: {exc or type(exc).__name__}") from None
    info: dict[str, str] = {}
    for entry in document.info:
        for key, value in entry.items():
            text = _info_text(value)
            if text:
                info[key] = text
    language = _info_text(document.catalog.get("Lang")) if isinstance(document.catalog, dict) else ""
    return info, language


def _lines(data: bytes) -> tuple[list[list[pdflayout.Line]], list[float]]:
    pages, heights = [], []
    params = LAParams(line_margin=0.3, char_margin=1.5, word_margin=0.15, boxes_flow=None)
    for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=params), start=1):
        lines = pdflayout.fragments(layout, number)
        pdflayout.assign_columns(lines, layout.width)
        pages.append(pdflayout.reading_order(pdflayout.merge_baselines(lines)))
        heights.append(layout.height)
    return pages, heights


def _authors(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"\s*(?:;|,|\band\b|&)\s*", text) if a.strip()]


def extract_pdf(data: bytes) -> Extracted:
    info, language = document_info(data)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about odd fonts are not the user's to fix
    try:
        pages, heights = _lines(data)
    except Exception as exc:  # pdfminer raises many kinds on a damaged file; each is "cannot read"
        raise ExtractionError(f"this PDF cannot be read: {exc or type(exc).__name__}") from None
    pages, dropped = pdflayout.drop_running(pages, heights)
    lines = [line for page in pages for line in page]
    if not lines:
        raise ExtractionError("this PDF holds no text (a scan? it needs OCR first)")
    result = Extracted("pdf", [], extension="pdf")
    title = info.get("Title", "")
    if not title or _GENERIC_TITLES.match(title):
        first_page = [l for l in lines if l.page == 1] or lines
        title = max(first_page, key=lambda l: l.size).text  # the largest type on the first page
        result.remarks.append("title: the largest line of the first page (the PDF names none)")
    result.title = title
    paragraphs = pdflayout.paragraphs(lines)
    result.paragraphs = paragraphs[1:] if paragraphs and paragraphs[0] == title else paragraphs
    result.authors = _authors(info.get("Author", ""))
    result.language = language if LANGUAGE_TAG.fullmatch(language or "") else ""
    created = _PDF_DATE.match(info.get("CreationDate", ""))
    if created:
        result.remarks.append("the file was created on " + "-".join(p for p in created.groups() if p)
                              + " (not taken as the publication date)")
    if dropped:
        result.remarks.append(f"{dropped} running header, footer or page-number line{'s' * (dropped != 1)} left out")
    return result
