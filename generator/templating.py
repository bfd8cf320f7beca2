"""Jinja2 environment: the site's own templates first, then the default theme.

The only module that imports ``jinja2``. Autoescaping is on and undefined
variables are errors, so a typo in a template fails the build with the
template's name and line instead of printing nothing.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .errors import Diagnostics

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

    def render(self, template: str, context: dict, diagnostics: Diagnostics, page: str) -> str | None:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            diagnostics.error(self._where(exc.filename or exc.name or template), exc.lineno, f"template syntax error: {exc.message}")
        except jinja2.TemplateNotFound as exc:
            diagnostics.error(f"templates/{template}", None, f"template not found: {exc.name}")
        except jinja2.UndefinedError as exc:
            diagnostics.error(f"templates/{template}", _template_line(exc, template), f"while rendering {page or '/'}: {exc.message}")
        except Exception as exc:  # a template may raise anything: report it, never a traceback
            diagnostics.error(f"templates/{template}", _template_line(exc, template), f"while rendering {page or '/'}: {type(exc).__name__}: {exc}")
        return None

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
