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

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from ..render.urls import SEARCH_BUNDLE as BUNDLE  # site path of the Pagefind bundle


# Run as a module of the interpreter running the build, so the Pagefind
# pinned in the project's environment is the one used (its PyPI wheel ships
# the binary; nothing is downloaded).
COMMAND = [sys.executable, "-m", "pagefind"]


TIMEOUT_SECONDS = 600  # Pagefind takes ~20 s at 4,000 sources; far more means it hangs
CHECK_SECONDS = 0.1  # how often a cancellable run asks whether to stop


class SearchIndexError(Exception):
    pass


class SearchIndexCancelled(Exception):
    """The run was stopped on request (``cancelled`` said so): not a failure
    of the site, only a build left undone. Pagefind's processes are gone."""


def search_version() -> str:
    """The Pagefind in use (its output depends on it): a build's cache keys include it."""
    try:
        from importlib.metadata import version
        return version("pagefind")
    except Exception:  # noqa: BLE001 - not installed: index_site reports it
        return "?"


def index_site(folder: Path, language: str, cancelled: Callable[[], bool] | None = None,
               exclude: tuple[str, ...] = ()) -> None:
    """Write the Pagefind bundle for the HTML pages of ``folder``.

    ``exclude``: selectors of the markup inside the indexed content that is
    not text to find. The article's (paragraph and note numbers, links back
    to events, the "cited by" lines that repeat event titles, the "in the
    original" links of excerpts) are read from the theme's macros
    (``tags.Tags.search_exclude``), so that they follow its class names;
    templates mark their other boilerplate with data-pagefind-ignore.

    ``cancelled``, when given, is asked every ``CHECK_SECONDS`` while Pagefind
    runs; once it answers True, Pagefind is killed (its whole process
    group: ``python -m pagefind`` execs the binary, which may start helpers)
    and ``SearchIndexCancelled`` is raised. The caller removes the half-written
    folder; the preview uses this to drop an index that an edit made stale.
    """
    command = [*COMMAND, "--site", str(folder), "--output-subdir", BUNDLE,
               "--force-language", language.split("-")[0].lower(),
               *(arg for selector in exclude for arg in ("--exclude-selectors", selector)), "--silent"]
    try:
        # Its own session: it can be killed as a group, and a Ctrl-C in the
        # terminal reaches the build, which then kills it (below).
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SearchIndexError(f"cannot run Pagefind ({' '.join(command[:3])}): {exc}") from None
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=CHECK_SECONDS if cancelled else TIMEOUT_SECONDS)
                break
            except subprocess.TimeoutExpired:  # communicate() may be called again: no output is lost
                if cancelled is not None and cancelled():
                    raise SearchIndexCancelled() from None
                if time.monotonic() > deadline:
                    raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_SECONDS} s") from None
    except BaseException:
        _kill(process)
        raise
    if process.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        hint = ""
        if any("No module named" in line for line in detail):
            hint = ' (install it: pip install "pagefind[bin]", as pinned in requirements.lock)'
        raise SearchIndexError(f"Pagefind failed{hint}: {detail[-1] if detail else f'exit status {process.returncode}'}")
    if not (folder / BUNDLE / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no bundle in {BUNDLE}/")


def _kill(process: subprocess.Popen) -> None:
    """Kill Pagefind's process group and wait for it (no zombie, no writer left)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()
