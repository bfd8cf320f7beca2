"""What a file that is not a text seed looks like: a PDF, an HTML page, RTF,
UTF-16, or text in an 8-bit encoding.

Why: a seed must be UTF-8 text, one paragraph per line. A saved web page
decodes as UTF-8 and was published as tag soup with the whole page as its
title; a PDF or a Windows-1252 text got "not UTF-8: byte 0xe2", which names
the symptom, not the file's nature. The loader asks ``seed_problem`` before
decoding a seed, and the message says what the file is and how to bring it
in (``python -m generator add``, which converts it). Standard library only:
the loader reads every seed through this, and it must stay cheap (it looks
at the first bytes, and decodes only what UTF-8 refused).
"""

from __future__ import annotations

import re

_HEAD = 4096  # bytes looked at: every signature below sits at the very start
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s)",
                         re.IGNORECASE | re.DOTALL)
_RTF = re.compile(rb"\{\\rtf\d?\\")  # {\rtf1\ansi…: a control word follows at once
_XML_HTML = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def _utf16(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (it starts with a UTF-16 byte-order mark)"
    if len(head) >= 16:
        even, odd = head[0:200:2].count(0), head[1:200:2].count(0)
        pairs = min(len(head), 200) // 2
        if odd > 0.6 * pairs and even == 0:
            return "UTF-16 text (little-endian: every other byte is zero)"
        if even > 0.6 * pairs and odd == 0:
            return "UTF-16 text (big-endian: every other byte is zero)"
    return None


def looks_like(data: bytes) -> str | None:
    """What ``data`` is, in words, when it is recognisably not a text seed
    (``a PDF``, ``an HTML page``…); None for anything else."""
    head = data[:_HEAD]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return "a PDF"
    if _RTF.match(head):
        return "an RTF document"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (a Word .docx or OpenDocument file is one)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Microsoft Office document (.doc)"
    utf16 = _utf16(head)
    if utf16:
        return utf16
    if (_HTML_START.match(head) or _XML_HTML.match(head)) and b"</" in data:
        return "an HTML page"
    return None


def eight_bit_guess(data: bytes, position: int) -> str:
    """Which 8-bit encoding text that is not UTF-8 most likely is, with the
    word around the first byte UTF-8 refused, as it reads in that encoding."""
    start = max(data.rfind(b" ", 0, position), data.rfind(b"\n", 0, position)) + 1
    end = min((i for i in (data.find(b" ", position), data.find(b"\n", position)) if i >= 0), default=len(data))
    word = data[start:end][:40]
    if any(0x80 <= b <= 0x9F for b in data):  # C1 controls in Latin-1: printable quotes and dashes in Windows-1252
        return f"Windows-1252 text (Western European, as Windows writes it: {word.decode('cp1252', 'replace')!r})"
    return f"Latin-1 or Windows-1252 text ({word.decode('latin-1')!r})"


def not_a_text_seed(data: bytes, rel: str) -> str | None:
    """The message for a seed that is recognisably another kind of file
    (its first bytes only: cheap enough for every seed of every build)."""
    kind = looks_like(data)
    if kind is None:
        return None
    return f"this is {kind}, not a text seed; bring it in with: python -m generator add {rel}"


def not_utf8_hint(data: bytes, rel: str) -> str | None:
    """For a seed UTF-8 refused: the 8-bit encoding it looks like and how to
    convert it, to follow the decoding error; None for binary data."""
    if b"\0" in data[:_HEAD]:
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        return f"it looks like {eight_bit_guess(data, exc.start)}; convert it with: python -m generator add {rel}"
