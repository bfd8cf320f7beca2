"""Diagnostics: problems are collected, never raised one by one.

A researcher fixing an annotation wants every problem of the folder in one
run, each as ``path:line: error: message``, so loaders append to a
``Diagnostics`` collector and the build aborts once, at the end of a stage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Line breaks and terminal control characters: a message quotes seed text and
# file names, which are untrusted; printed raw, they would split one diagnostic
# over several lines or send escape sequences to the reader's terminal.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# Characters a terminal shows as nothing or uses to reorder what follows:
# zero-width spaces and joiners, bidi overrides and isolates, the BOM (format
# characters, Cf), and lone surrogates from undecodable file names (Cs). A
# quoted id or quote that differs only by one of them would look right.
_INVISIBLE = ("Cf", "Cs")


def one_line(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes
    (``\\n``, ``\\x1b``), and invisible ones too (``\\u200b``, ``\\u202e``)."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    if text.isascii():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _INVISIBLE else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int | None
    severity: str  # "error" or "warning"
    message: str
    # Continuation lines (where a quote nearly matched, the usual fix), each
    # printed on its own indented line: the first line stays one grep-able
    # ``path:line: severity: message``, and each detail is escaped as the message is.
    details: tuple[str, ...] = field(default=(), kw_only=True)

    def __str__(self) -> str:
        where = f"{one_line(self.path)}:{self.line}" if self.line else one_line(self.path)
        head = f"{where}: {self.severity}: {one_line(self.message)}"
        return "\n".join([head, *(DETAIL_INDENT + one_line(detail) for detail in self.details)])


DETAIL_INDENT = "    "


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str, details: tuple[str, ...] = ()) -> None:
        self.items.append(Diagnostic(path, line, "error", message, details=tuple(details)))

    def warning(self, path: str, line: int | None, message: str, details: tuple[str, ...] = ()) -> None:
        self.items.append(Diagnostic(path, line, "warning", message, details=tuple(details)))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def extend(self, other: "Diagnostics") -> None:
        self.items.extend(other.items)


class SiteError(Exception):
    """Base of the errors the command line turns into exit status 1."""


class BuildAborted(SiteError):
    """The content has errors (or warnings under --strict); nothing was written."""

    def __init__(self, diagnostics: Diagnostics):
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics.errors)} error(s), {len(diagnostics.warnings)} warning(s)")
