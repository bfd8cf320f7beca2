"""The last step of every HTML and XML file written: characters these
formats cannot hold, replaced one for one. Seed text and annotation text
may carry them (copied from a PDF or a terminal); written as they are, they
make the pages invalid and the feed unreadable."""

from __future__ import annotations

import re

# Characters an HTML or XML file cannot hold: the C0 controls but tab, line
# feed and carriage return; DEL and the C1 controls; the noncharacters. Seeds
# and annotation bodies may contain them (copied from a PDF or a terminal);
# written as they are, they make the pages invalid and the feed unreadable.
# The astral noncharacters (U+1FFFE, U+1FFFF, ... U+10FFFF) are matched as
# one range of every astral character and told apart in the replacement: a
# character class of thirty-four ranges makes the regular expression scan
# about eight times slower, and every output page goes through it.
_NOT_IN_MARKUP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]")
_WHITE_CONTROLS = frozenset("\x0b\x0c\x85")


def _markup_replacement(match: re.Match) -> str:
    char = match.group()
    if char in _WHITE_CONTROLS:
        return " "
    if ord(char) > 0xFFFF and ord(char) & 0xFFFE != 0xFFFE:
        return char  # an astral character that is allowed (an emoji, a CJK ideograph)
    return "\ufffd"


def markup_safe(text: str) -> str:
    """``text`` for an HTML or XML file: each forbidden character becomes
    U+FFFD, or a space where Unicode counts it as white space (VT, FF, NEL).
    One character for one, so nothing else moves."""
    return _NOT_IN_MARKUP.sub(_markup_replacement, text)

