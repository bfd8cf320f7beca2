"""Jinja2 environment: the site's own templates first, then the default theme.

The only module that imports ``jinja2``. Autoescaping is on and undefined
variables are errors, so a typo in a template fails the build with the
template's name and line instead of printing nothing.

Besides Jinja's own, templates have four filters: ``url`` (a site path ->
an internal link, through ``urls.Urls``, so no template concatenates
URLs), ``counted`` (a number and its noun, in the plural that number
takes: ``i18n.counted``), and ``html_attr`` / ``html_text``, the escaping the article's markup
has always used (``html.escape`` with and without quotes), so that the
macros of ``_markup.html`` write the same bytes as the Python they replace.
"""

from __future__ import annotations

import html
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

try:  # the escaping itself, without the Markup object escape() wraps it in
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another markupsafe
    def _escape_inner(text: str) -> str:
        return str(escape(text))

from ..errors import Diagnostic, Diagnostics
from ..i18n import counted as counted_noun
from .quotes import is_quoted
from ..content.inputfiles import OUTSIDE, inside, special_problem
from .urls import Urls
from .themes import THEME_DIR, theme_dirs  # noqa: F401 - also imported from here

def _output_text(value) -> str:
    """What ``{{ value }}`` writes: ``markupsafe.escape(value)``'s text, as a
    plain ``str``. Jinja joins the pieces of a page into one string at once,
    so the ``Markup`` object it makes of each (a million of them for a
    thousand sources) is thrown away unread."""
    if type(value) is str:
        return _escape_inner(value)
    to_html = getattr(value, "__html__", None)
    if to_html is not None:
        return to_html()
    return _escape_inner(str(value))


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, writing ``{{ value }}`` of an autoescaped template
    with ``_output_text`` instead of ``escape``: the same bytes. A buffer
    that becomes a value (a macro's result, ``{% set %}...{% endset %}``) is
    still made ``Markup`` as a whole by Jinja, so nothing is escaped twice."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)
        self.write("environment.output_text(")
        if finalize.src is not None:
            self.write(finalize.src)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """``x.y`` on a plain dict, the common case (views are plain data), looked
    up directly: Jinja's default first tries ``getattr`` and pays for an
    ``AttributeError`` each time. Same answers: names of dict methods, other
    types and missing keys take Jinja's own path. Templates are compiled by
    ``_CodeGenerator``."""

    code_generator_class = _CodeGenerator

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_text = _output_text  # read by the compiled templates (``_CodeGenerator``)

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


class TemplateProblem(Exception):
    """A template failed outside the render of a page (the article's macros,
    the preview's error page): where, and what, for a diagnostic."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.where = (path, line, message)


def html_attr(value) -> Markup:
    """Escaped for an attribute value (``&quot;``, ``&#x27;``); safe anywhere."""
    return value if hasattr(value, "__html__") else Markup(html.escape(str(value), quote=True))


def html_text(value) -> Markup:
    """Escaped for element content: quotes are left as typed (not for attributes)."""
    return value if hasattr(value, "__html__") else Markup(html.escape(str(value), quote=False))


@jinja2.pass_context
def url(context, target: str, absolute: bool = False) -> str:
    """``{{ "data/sources.json" | url }}``: the link to a site path on a page
    (its ``site.base_url``); ``absolute=true`` for the full URL."""
    urls = Urls(context["site"]["base_url"])
    return urls.absolute(target) if absolute else urls.link(target)


@jinja2.pass_context
def counted(context, n: int, noun: str) -> str:
    """``{{ count | counted("event") }}``: "1 event", "2 events", in the site's
    language (``language`` in ``_markup.html``'s macros, ``site.language`` on pages)."""
    language = context.get("language") or context["site"]["language"]
    return counted_noun(n, noun, language)


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
        self.env.filters.update(url=url, counted=counted, html_attr=html_attr, html_text=html_text)
        self.env.tests["quoted"] = is_quoted  # {% if text is quoted %}: it already stands between quotation marks

    def render(self, template: str, context: dict, diagnostics: Diagnostics, page: str) -> str | None:
        """The page, or None with an error at the template file and line where
        the error is (an included or extended template's, not the page's)."""
        try:
            return self.env.get_template(template).render(context)
        except Exception as exc:  # a template may raise anything: report it, never a traceback
            path, line, message, per_page = self.problem(exc, template)
            diagnostics.items.append(TemplateDiagnostic(path, line, "error", message, page if per_page else None))
        return None

    def module(self, template: str, context: dict):
        """The macros of ``template`` (call them with ``call``), its top level run with ``context``."""
        return self.call(lambda: self.env.get_template(template).make_module(context), template, "while loading it")

    def call(self, function, template: str, doing: str, *args, **kwargs):
        """``function(*args, **kwargs)``, a macro of ``template`` (or its loading)
        called from Python: ``TemplateProblem`` with the template's line if it fails."""
        try:
            return function(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a template may raise anything
            try:
                self.env.handle_exception()  # re-raised with the template's lines in its traceback
            except Exception as exc:  # noqa: BLE001
                path, line, message, per_page = self.problem(exc, template)
                raise TemplateProblem(path, line, f"{doing}: {message}" if per_page else message) from None

    def problem(self, exc: BaseException, template: str) -> tuple[str, int | None, str, bool]:
        """(path, line, message, whether it depends on the page's data) of an
        exception raised while ``template`` was used: at the template file and
        line where the error is (an included or extended template's, not the page's)."""
        if isinstance(exc, TemplateProblem):
            return (*exc.where, True)
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return self._where(exc.filename or exc.name or template), exc.lineno, f"template syntax error: {exc.message}", False
        if isinstance(exc, TemplateFileError):
            return self._where(exc.filename), None, str(exc), False
        if isinstance(exc, jinja2.TemplateNotFound):
            return self._where(template), None, f"template not found: {exc.name}", False
        filename, line = self._frame(exc, template)
        message = (exc.message or str(exc)) if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
        return self._where(filename), line, message, True

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
