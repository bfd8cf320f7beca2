"""Diagnostics: problems are collected, never raised one by one.

A researcher fixing an annotation wants every problem of the folder in one
run, each as ``path:line: error: message``, so loaders append to a
``Diagnostics`` collector and the build aborts once, at the end of a stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int | None
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(path, line, "error", message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(path, line, "warning", message))

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
