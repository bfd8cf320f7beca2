"""Jinja2 environment: the site's own templates first, then the default theme.

The only module that imports ``jinja2``. Autoescaping is on and undefined
variables are errors, so a typo in a template fails the build with the
template's name and line instead of printing nothing.

Besides Jinja's own, templates have three filters: ``url`` (a site path ->
an internal link, through ``urls.Urls``, so no template concatenates
URLs), and ``html_attr`` / ``html_text``, the escaping the article's markup
has always used (``html.escape`` with and without quotes), so that the
macros of ``_markup.html`` write the same bytes as the Python they replace.
"""

from __future__ import annotations

import html
from pathlib import Path

import jinja2
from markupsafe import Markup

from .errors import Diagnostics
from .urls import Urls

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


class Renderer:
    def __init__(self, site_templates: Path):
        self.dirs = theme_dirs(site_templates)
        self.env = _Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(url=url, html_attr=html_attr, html_text=html_text)

    def render(self, template: str, context: dict, diagnostics: Diagnostics, page: str) -> str | None:
        try:
            return self.env.get_template(template).render(context)
        except Exception as exc:  # a template may raise anything: report it, never a traceback
            diagnostics.error(*self.problem(exc, template, f"while rendering {page or '/'}"))
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
                raise TemplateProblem(*self.problem(exc, template, doing)) from None

    def problem(self, exc: BaseException, template: str, doing: str) -> tuple[str, int | None, str]:
        """(path, line, message) of an exception raised by ``template``."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return self._where(exc.filename or exc.name or template), exc.lineno, f"template syntax error: {exc.message}"
        if isinstance(exc, jinja2.TemplateNotFound):
            return f"templates/{template}", None, f"template not found: {exc.name}"
        if isinstance(exc, jinja2.UndefinedError):
            return f"templates/{template}", _template_line(exc, template), f"{doing}: {exc.message}"
        if isinstance(exc, TemplateProblem):
            return exc.where
        return f"templates/{template}", _template_line(exc, template), f"{doing}: {type(exc).__name__}: {exc}"

    def _where(self, filename: str) -> str:
        for d in self.dirs:
            try:
                return "templates/" + Path(filename).resolve().relative_to(d.resolve()).as_posix()
            except ValueError:
                continue
        return filename


def _template_line(exc: BaseException, template: str) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(template):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
