"""Jinja2 environment: the site's own templates first, then the default theme.

The only module that imports ``jinja2``. Autoescaping is on and undefined
variables are errors, so a typo in a template fails the build with the
template's name and line instead of printing nothing.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from .errors import Diagnostic, Diagnostics
from .inputfiles import OUTSIDE, inside, special_problem

THEME_DIR = Path(__file__).resolve().parent.parent / "templates"


def theme_dirs(site_templates: Path) -> list[Path]:
    dirs = []
    if site_templates.is_dir():
        dirs.append(site_templates)
    if THEME_DIR.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(THEME_DIR)
    return dirs


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """``x.y`` on a plain dict, the common case (views are plain data), looked
    up directly: Jinja's default first tries ``getattr`` and pays for an
    ``AttributeError`` each time. Same answers: names of dict methods, other
    types and missing keys take Jinja's own path."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)


class TemplateFileError(jinja2.TemplateError):
    """A template file that cannot be used: not a regular file, or a link out of its folder."""

    def __init__(self, filename: str, message: str):
        super().__init__(message)
        self.filename = filename


class _FileLoader(jinja2.FileSystemLoader):
    """Jinja's loader, refusing a template that is not a regular file or
    links out of its templates folder: Jinja's own would pass over a named
    pipe silently (and use the theme's file instead), and render a link to
    ``/etc/passwd`` into a page."""

    def get_source(self, environment, template):
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                if not inside(Path(filename).resolve(), Path(folder).resolve()):
                    raise TemplateFileError(filename, f"template {OUTSIDE.format(folder='templates')}")
                break
            problem = special_problem(filename) if os.path.lexists(filename) else None
            if problem is not None:
                raise TemplateFileError(filename, problem)
        return super().get_source(environment, template)


@dataclass(frozen=True)
class TemplateDiagnostic(Diagnostic):
    """A template's error while one page was rendered: the same error on
    every page that uses the template is reported once (``merge_pages``)."""

    page: str | None = None  # None: not tied to a page (a syntax error)


def merge_pages(items: list[Diagnostic]) -> list[Diagnostic]:
    """``items`` with each template error reported once, naming the pages it
    broke (the first, and how many others), in the place of its first report."""
    pages: dict[tuple, list[str]] = {}
    merged: list = []
    for item in items:
        if not isinstance(item, TemplateDiagnostic):
            merged.append(item)
            continue
        where = (item.path, item.line, item.severity, item.message)
        if where not in pages:
            pages[where] = []
            merged.append(where)
        if item.page is not None:
            pages[where].append(item.page)
    return [Diagnostic(*item[:3], item[3] + _pages_note(pages[item])) if isinstance(item, tuple) else item
            for item in merged]


def _pages_note(pages: list[str]) -> str:
    if not pages:
        return ""
    others = len(pages) - 1
    return f" (while rendering {pages[0] or '/'}{f' and {others} other page' + 's' * (others != 1) if others else ''})"


class Renderer:
    def __init__(self, site_templates: Path):
        self.dirs = theme_dirs(site_templates)
        self.env = _Environment(
            loader=_FileLoader([str(d) for d in self.dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, template: str, context: dict, diagnostics: Diagnostics, page: str) -> str | None:
        """The page, or None with an error at the template file and line where
        the error is (an included or extended template's, not the page's)."""
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            self._report(diagnostics, exc.filename or exc.name or template, exc.lineno,
                         f"template syntax error: {exc.message}", None)
        except TemplateFileError as exc:
            self._report(diagnostics, exc.filename, None, str(exc), None)
        except jinja2.TemplateNotFound as exc:
            self._report(diagnostics, template, None, f"template not found: {exc.name}", None)
        except jinja2.UndefinedError as exc:
            self._report(diagnostics, *self._frame(exc, template), exc.message or str(exc), page)
        except Exception as exc:  # a template may raise anything: report it, never a traceback
            self._report(diagnostics, *self._frame(exc, template), f"{type(exc).__name__}: {exc}", page)
        return None

    def _report(self, diagnostics: Diagnostics, filename: str, line: int | None, message: str, page: str | None) -> None:
        diagnostics.items.append(TemplateDiagnostic(self._where(filename), line, "error", message, page))

    def _frame(self, exc: BaseException, template: str) -> tuple[str, int | None]:
        """(file, line) of the innermost template frame of the traceback: the
        template where the error is, whichever template included or extended
        it (Jinja rewrites a traceback so that a template's frames carry its
        file name and line). The page's own template when there is none."""
        roots = tuple(os.path.normpath(str(d)) + os.sep for d in self.dirs)
        found: tuple[str, int | None] = (template, None)
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.startswith(roots):
                found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
            tb = tb.tb_next
        return found

    def _where(self, filename: str) -> str:
        """A template's file as shown: ``templates/`` and its path in the templates folder it is in."""
        if not os.path.isabs(filename):  # a template's name
            return f"templates/{filename}"
        for d in self.dirs:
            for folder, path in ((d, Path(filename)), (d.resolve(), Path(filename).resolve())):
                try:
                    return "templates/" + path.relative_to(folder).as_posix()
                except ValueError:
                    continue
        return filename
