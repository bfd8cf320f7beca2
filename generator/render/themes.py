"""Where the templates are: the site's own folder before the default theme.

Apart from ``templating.py`` (which imports Jinja2) so that what only lists
the template files (the build's "anything changed?" step) does not load
Jinja2.
"""

from __future__ import annotations

from pathlib import Path

# generator/theme is a link to the repository's templates/, so that the theme is
# installed with the package (a site made by `init` installs it with pip).
THEME_DIR = (Path(__file__).resolve().parent.parent / "theme").resolve()


def theme_dirs(site_templates: Path) -> list[Path]:
    dirs = []
    if site_templates.is_dir():
        dirs.append(site_templates)
    if THEME_DIR.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(THEME_DIR)
    return dirs
