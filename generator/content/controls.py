"""Control characters: refused in what annotators write, neutralised in data files.

YAML escapes (``"\\0"``, ``"\\e"``, ``"\\x1b"``) put characters in a value
that no editor shows: NUL, ESC and the other C0 controls. Written as they
are, they corrupt the CSV files (a NUL ends a cell in many readers), the
Markdown pages and BibTeX, and an ESC drives the terminal of whoever prints
them. No name, title or summary needs one, so a YAML text holding one is
an error at its line. (Tab and line feed are text; the HTML pages already
replace what HTML cannot hold, see ``sanitize.markup_safe``.)

Seed text is not refused (seeds are kept as collected): the writers of
plain-text formats pass it through ``text_safe``.
"""

from __future__ import annotations

import re

from ..errors import Diagnostics
from .yamlio import YList, YMap

# C0 controls but tab and line feed, and DEL.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def control_problem(text: str) -> str | None:
    """The message for the first control character in ``text``, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return f"control character U+{ord(found.group()):04X} in text (written as a YAML escape such as \"\\0\" or \"\\e\"?)"


def may_hold_controls(yaml_text: str) -> bool:
    """Can a value read from ``yaml_text`` hold a control character? Only if
    the text has one, or a backslash (a double-quoted escape such as ``"\\e"``):
    otherwise ``report_controls``, which walks every value, has nothing to find."""
    return "\\" in yaml_text or CONTROL.search(yaml_text) is not None


def report_controls(tree, rel: str, diagnostics: Diagnostics, line: int = 1) -> None:
    """One error per string (key or value) of a parsed YAML ``tree`` that
    holds a control character, at the line of its key or item. Values
    under ``x-`` keys are the user's own, never published: left alone."""
    if isinstance(tree, YMap):
        for key, value in tree.items():
            if isinstance(key, str) and key.startswith("x-"):
                continue
            where = tree.line_of(key)
            if isinstance(key, str):
                _report(key, rel, where, diagnostics)
            report_controls(value, rel, diagnostics, where)
    elif isinstance(tree, YList):
        for index, value in enumerate(tree):
            report_controls(value, rel, diagnostics, tree.line_of(index))
    elif isinstance(tree, str):
        _report(tree, rel, line, diagnostics)


def _report(text: str, rel: str, line: int, diagnostics: Diagnostics) -> None:
    problem = control_problem(text)
    if problem:
        diagnostics.error(rel, line, problem)


_TEXT_SAFE = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}


def text_safe(text: str) -> str:
    """``text`` for a plain-text data file (CSV, Markdown, BibTeX): each
    control character but tab and line feed written as a visible ``\\xNN``.
    The seed's CR is already a line feed (seeds are read with LF ends)."""
    return text.translate(_TEXT_SAFE) if CONTROL.search(text) else text


# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"): '=', '+', '-', '@', and tab and CR, which some
# programs skip before looking.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell a spreadsheet shows as text: a string starting like a
    formula gets a leading apostrophe (OWASP's advice); control characters
    are made visible. Numbers are left as they are."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return text_safe(value)
