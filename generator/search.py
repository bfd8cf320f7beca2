"""Full-text search: a Pagefind index of the finished site, built at build time.

GitHub Pages has no server, so the index is a folder of static files that
Pagefind's script queries in the browser. Pagefind reads the rendered HTML,
so it runs once every page is written to the staging folder and before that
folder replaces the output: a failed index fails the build and leaves the
previous site as it was.

What is indexed is decided by the templates: ``data-pagefind-body`` marks the
content of the pages worth finding (sources, events, actors, free pages) and
``data-pagefind-ignore`` the repeated parts inside them; pages without the
attribute (home, indexes, 404, the search page) are left out.

The bundle goes to ``search/pagefind/``, under the reserved ``search`` slug,
so it can never collide with a free page. Pagefind is given the site's
language, so the whole site is one index (French article text inside an
English site is found too; Pagefind folds accents, ``emirats`` finds
``Émirats``). Pagefind's sub-results stop at headings with an id; the search
page's script (templates/assets/search.js) narrows a hit in an article to
its paragraph or note. Its output is byte-identical from one run to the next on the
same input (checked by the test suite).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUNDLE = "search/pagefind"  # site path of the Pagefind bundle

# Parts of the generated article markup (markdown_pages.py) that are not
# text to find: paragraph numbers, note numbers, links back to events, the
# "cited by" lines that repeat event titles and the "in the original" links
# of excerpts. Themes mark their own boilerplate with data-pagefind-ignore.
EXCLUDE = (".pilcrow", ".note-ref", ".backlink", ".cited-by", ".original-link")

# Run as a module of the interpreter running the build, so the Pagefind
# pinned in the project's environment is the one used (its PyPI wheel ships
# the binary; nothing is downloaded).
COMMAND = [sys.executable, "-m", "pagefind"]


class SearchIndexError(Exception):
    pass


def search_version() -> str:
    """The Pagefind in use (its output depends on it): a build's cache keys include it."""
    try:
        from importlib.metadata import version
        return version("pagefind")
    except Exception:  # noqa: BLE001 - not installed: index_site reports it
        return "?"


def index_site(folder: Path, language: str) -> None:
    """Write the Pagefind bundle for the HTML pages of ``folder``."""
    command = [*COMMAND, "--site", str(folder), "--output-subdir", BUNDLE,
               "--force-language", language.split("-")[0].lower(),
               *(arg for selector in EXCLUDE for arg in ("--exclude-selectors", selector)), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SearchIndexError(f"cannot run Pagefind ({' '.join(command[:3])}): {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        hint = ""
        if any("No module named" in line for line in detail):
            hint = ' (install it: pip install "pagefind[bin]", as pinned in requirements.lock)'
        raise SearchIndexError(f"Pagefind failed{hint}: {detail[-1] if detail else f'exit status {result.returncode}'}")
    if not (folder / BUNDLE / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no bundle in {BUNDLE}/")
