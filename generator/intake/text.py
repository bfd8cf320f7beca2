"""A text file in any common encoding → paragraphs, saying which encoding
was assumed.

charset-normalizer does the guessing: telling Windows-1252 from Latin-1,
Mac Roman or a Cyrillic code page needs letter statistics per language,
which is that library's whole job (and the one ``requests`` relies on).
"""

from __future__ import annotations

import unicodedata

from charset_normalizer import from_bytes

from .extracted import Extracted, ExtractionError

_NAMES = {"cp1252": "Windows-1252", "latin_1": "Latin-1 (ISO-8859-1)", "iso8859_15": "Latin-9 (ISO-8859-15)",
          "utf_8": "UTF-8", "utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16", "mac_roman": "Mac Roman",
          "cp1250": "Windows-1250", "cp1251": "Windows-1251", "ascii": "ASCII"}


def decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding's name, guessed?): UTF-8 (with or without BOM) is
    taken as it is; anything else is charset-normalizer's best guess."""
    try:
        return data.decode("utf-8-sig"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError("cannot tell this file's text encoding (is it text?)")
    encoding, text = best.encoding, str(best)
    try:  # Windows-1250 and 1252 (and others) agree on many texts: name the commoner one when it reads the same
        if data.decode("cp1252") == text:
            encoding = "cp1252"
    except UnicodeDecodeError:
        pass
    return text, _NAMES.get(encoding, encoding.replace("_", "-").upper()), True


def unwrap(lines: list[str]) -> tuple[list[str], bool]:
    """One paragraph per line. Text wrapped by hand (blocks of several lines
    separated by blank lines, as e-mail and old text files are) has its
    blocks joined; otherwise each non-blank line is a paragraph."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    wrapped = len(blocks) > 1 and sum(len(b) > 1 for b in blocks) * 2 > len(blocks)
    if not wrapped:
        return [line for block in blocks for line in block], False
    return [" ".join(block) for block in blocks], True


def extract_text(data: bytes) -> Extracted:
    text, encoding, guessed = decode(data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs, joined = unwrap(text.split("\n"))
    if not paragraphs:
        raise ExtractionError("the file holds no text")
    result = Extracted("text", paragraphs, extension="txt", encoding=encoding if guessed else "")
    result.remarks.append(f"encoding: {encoding}" + (" (assumed: detected from the bytes)" if guessed else ""))
    if joined:
        result.remarks.append("lines wrapped by hand were joined into paragraphs (blank lines separate them)")
    return result
