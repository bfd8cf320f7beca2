"""What a SOURCE is: a PDF, an HTML page, or text, from its bytes first,
then from what the server or the file name says.

The bytes come first because names and headers lie (a page saved as
``.txt``, a PDF served as ``application/octet-stream``); the recognisers
are the loader's own (``content.seedkind``), so ``check`` and ``add``
agree on what a file is.
"""

from __future__ import annotations

from ..content.seedkind import looks_like
from .extracted import ExtractionError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")
_UNSUPPORTED = "add reads HTML, PDF and text; save it as PDF or text first"


def is_url(source: str) -> bool:
    """A SOURCE written as a URL (any scheme: ``fetch`` refuses the ones it does not read)."""
    head, sep, _ = source.partition("://")
    return bool(sep) and head.isascii() and head.isalpha()


def source_kind(data: bytes, name: str = "", content_type: str = "") -> str:
    """``"pdf"``, ``"html"`` or ``"text"``; ``ExtractionError`` for a kind
    ``add`` cannot read (RTF, a Word or ZIP file, binary data)."""
    seen = looks_like(data)
    if seen == "a PDF":
        return "pdf"
    if seen == "an HTML page":
        return "html"
    if seen is not None and not seen.startswith("UTF-16"):
        raise ExtractionError(f"this is {seen}: {_UNSUPPORTED}")
    media = content_type.split(";")[0].strip().lower()
    if media == "application/pdf":
        raise ExtractionError("served as a PDF, but it does not start as one (%PDF-)")
    if seen is None and (media in _HTML_TYPES or name.lower().endswith(_HTML_NAMES)):
        return "html"
    if seen is None and b"\0" in data[:4096]:
        raise ExtractionError(f"this is binary data, not text: {_UNSUPPORTED}")
    return "text"
