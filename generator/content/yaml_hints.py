"""The usual fix for a YAML syntax error, said after PyYAML's own message.

PyYAML says what its parser met ("mapping values are not allowed in this
context"), not what the writer did: almost always a value that needed
quotes (``title: NTSB report: four bolts missing``), one that starts with a
character YAML reserves (``[Draft] report``, ``@handle``, ``*``), or a line
indented differently from the keys around it. These hints look at the line
the error points to (and the one before: PyYAML often points just past the
problem) and name the fix with the line rewritten.
"""

from __future__ import annotations

import re

# key: value, the value plain (not quoted, not a block scalar, not a flow collection).
_KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#'\"\[\]{}:][^:#]*?):[ \t]+(?P<value>[^\s].*?)\s*$")
RESERVED_START = "[]{}&*!|>'\"%@`"


def syntax_hints(text: str, line: int | None, first_line: int = 1) -> tuple[str, ...]:
    """Hints for a syntax error reported at ``line`` (counted from ``first_line``) of ``text``."""
    if line is None:
        return ()
    lines = text.split("\n")
    for number in (line, line - 1):
        index = number - first_line
        if 0 <= index < len(lines):
            hint = _quote_hint(lines[index], number)
            if hint:
                return hint
    index = line - first_line
    if 0 < index < len(lines):
        return _indent_hint(lines, index, line)
    return ()


def _quote_hint(source_line: str, number: int) -> tuple[str, ...]:
    match = _KEY_VALUE.match(source_line)
    if match is None:
        return ()
    value = match.group("value")
    if value[0] in "\"'":
        return _unclosed_quote(match, number) if not _closed(value) or _after_quote(value) else ()
    needs = ": " in value or value.endswith(":") or " #" in value or value[0] in RESERVED_START
    if not needs:
        return ()
    fixed = f"{match.group('indent')}{match.group('key')}: {quoted(value)}"
    return (f"hint: a value containing ': ' or ' #', or starting with one of {RESERVED_START}, must be quoted; "
            f"line {number} should read:", f"  {fixed.strip()}")


def _closed(value: str) -> bool:
    return len(value) > 1 and value[-1] == value[0]


def _after_quote(value: str) -> bool:
    """Text after the closing quote (``title: "Boeing" report``)."""
    end = value.find(value[0], 1)
    return 0 < end < len(value) - 1


def _unclosed_quote(match: re.Match, number: int) -> tuple[str, ...]:
    """``title: "Boeing" report`` or ``title: 'L'avion'``: the quotes do not hold the whole value."""
    value = match.group("value")
    meant = value[1:-1] if _closed(value) else value
    fixed = f"{match.group('indent')}{match.group('key')}: {quoted(meant)}"
    return (f"hint: quotes must hold the whole value (a ' inside '...' is written ''); line {number} should read:",
            f"  {fixed.strip()}")


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (single-quoted when that reads better)."""
    if '"' in value and "'" not in value and "\\" not in value:
        return "'" + value + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent_hint(lines: list[str], index: int, number: int) -> tuple[str, ...]:
    here = _indent(lines[index])
    for before in range(index - 1, -1, -1):
        if lines[before].strip() and not lines[before].lstrip().startswith("#"):
            there = _indent(lines[before])
            dash = re.match(r"\s*-\s+", lines[before])
            if dash:
                there = len(dash.group())
            if here != there and ":" in lines[index]:
                return (f"hint: line {number} is indented {here} spaces and the key above it {there}: "
                        f"the keys of one mapping must line up (use spaces, not tabs)",)
            return ()
    return ()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
