"""Quotation marks the site adds around a text, never doubled.

A title, an alias or a passage may already stand between quotation marks
(a headline quoting someone: ``"Nous avons besoin de 7 000 milliards"``).
Wrapping it again gives “"…"”; so a text that already starts and ends with
a pair of marks is shown as it is, and marks inside a text the site wraps
take the inner form of the interface's language (English “outer ‘inner’”,
French « extérieur “intérieur” »).
"""

from __future__ import annotations

from markupsafe import Markup

# opening mark -> the closing marks that end it (straight quotes close themselves)
PAIRS = {"“": "”\"", "\"": "\"”", "«": "»", "‘": "’'", "'": "'’", "„": "“”", "‹": "›", "「": "」", "『": "』", "»": "«"}
OUTER = {"en": ("“", "”"), "fr": ("« ", " »")}
# the interface's outer marks met inside a text, and the inner pair that replaces them
INNER = {"en": ("“", "”", "‘", "’"), "fr": ("«", "»", "“", "”")}
CLOSING = frozenset("".join(PAIRS.values()))


def is_quoted(text) -> bool:
    """Whether ``text`` (plain text or HTML, as its text) starts with a quotation
    mark and ends with one that closes it."""
    if isinstance(text, Markup) and not _may_be_quoted(str(text).strip()):
        return False
    plain = (text.striptags() if isinstance(text, Markup) else str(text)).strip().replace("\u00a0", " ")
    return len(plain) >= 2 and plain[0] in PAIRS and plain[-1] in PAIRS[plain[0]]


def _may_be_quoted(html: str) -> bool:
    """False when an HTML text's first or last character is a character of
    its text (not a tag's ``<``/``>``, not an entity's ``&``/``;``) and no
    quotation mark there: most passages (an actor's page shows thousands),
    told without taking their tags out."""
    return bool(html) and (html[0] in "<&" or html[0] in PAIRS) and (html[-1] in ">;" or html[-1] in CLOSING)


def quote(text: str, language: str) -> str:
    """``text`` between the interface's quotation marks, unless it already is;
    its own outer marks (and straight double quotes) in their inner form."""
    if is_quoted(text):
        return text
    opening, closing = OUTER.get(language, OUTER["en"])
    outer_open, outer_close, inner_open, inner_close = INNER.get(language, INNER["en"])
    if language == "fr":
        text = text.replace("« ", "«").replace("\u00a0»", "»").replace(" »", "»").replace("«\u00a0", "«")
    out = []
    for index, char in enumerate(text):
        if char == outer_open:
            out.append(inner_open)
        elif char == outer_close:
            out.append(inner_close)
        elif char == "\"":  # a straight quote opens after a space or a bracket, or at the start
            out.append(inner_open if index == 0 or text[index - 1].isspace() or text[index - 1] in "([" else inner_close)
        else:
            out.append(char)
    return f"{opening}{''.join(out)}{closing}"
