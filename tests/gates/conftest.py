"""The quality gates' shared ground: every kind of site the generator makes,
built once per session and served over real HTTP on 127.0.0.1.

The gates (HTML validity, accessibility, page weight, Lighthouse) check the
*output*, so they need sites that exercise every template and branch:

- ``project``: this repository's own corpus (the real thing, large);
- ``fixture``: tests/fixtures/sites/full (notes, corrections, translations,
  an unannotated seed, hostile seed text, a free page);
- ``fixture-fr``: the same with the French interface, publishing only
  excerpts of the seeds (``publish_text: excerpts``);
- ``sparse``: a site with one unannotated seed and nothing else (every empty
  state: no events, no actors, no pages).

Each is built with ``--base-url http://127.0.0.1:PORT/<name>/`` so links,
canonical URLs and the feed point at the server the browser talks to.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_fixture, run_cli, serve_directory

NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
ARTIFACTS = ROOT / "test-artifacts"
LIGHTHOUSE_REPORT = ARTIFACTS / "lighthouse.md"

SITE_NAMES = ("project", "fixture", "fixture-fr", "sparse")
SPARSE_SITE = {
    "site.yaml": "title: Sparse\nbase_url: https://example.org/sparse/\n",
    "seeds/lonely.txt": "A lonely seed with no annotation.\n\nIt has two paragraphs.\n",
    "content/.keep": "",
}
# First path segment -> page type; any other first segment is a free page.
SECTION_TYPES = {"timeline": "timeline", "actors": "actors", "sources": "sources", "search": "search", "events": "events",
                 "data": "data"}


def require_tool(path: Path, what: str) -> Path:
    """A missing tool is a failure, never a skip: `make test` installs them."""
    if not path.exists():
        pytest.fail(f"{what} not found at {path}: run 'make test' (it runs 'npm ci' from package-lock.json)")
    return path


def java() -> str:
    found = shutil.which("java")
    if not found:
        pytest.fail("java not found: run 'make test' (scripts/install-java.sh installs Debian's default-jre-headless)")
    return found


def node() -> str:
    found = shutil.which("node")
    if not found:
        pytest.fail("node not found: run 'make test' (scripts/install-node.sh installs Debian's nodejs)")
    return found


@dataclass(frozen=True)
class Page:
    site: str
    path: str  # site path, e.g. 'sources/x/' or '404.html'
    file: Path
    url: str

    @property
    def kind(self) -> str:
        return page_type(self.path)

    def __str__(self) -> str:
        return f"{self.site}:/{self.path}"


def page_type(path: str) -> str:
    """'' -> home, 'actors/' -> actors, 'actors/x/' -> actor, 'about/' -> page..."""
    if path in ("", "index.html"):
        return "home"
    if path == "404.html":
        return "404"
    parts = [p for p in path.split("/") if p and p != "index.html"]
    section = SECTION_TYPES.get(parts[0])
    if section is None:
        return "page"
    if len(parts) == 1:
        return section
    return section.rstrip("s") if section.endswith("s") else f"{section}-item"


@dataclass(frozen=True)
class BuiltSites:
    root: Path  # served at the server's root; each site in root/<name>/
    origin: str  # 'http://127.0.0.1:PORT'

    def folder(self, name: str) -> Path:
        return self.root / name

    def pages(self, name: str | None = None) -> list[Page]:
        result = []
        for site in ([name] if name else SITE_NAMES):
            folder = self.folder(site)
            for file in sorted(folder.rglob("*.html")):
                rel = file.relative_to(folder).as_posix()
                path = rel[: -len("index.html")] if rel.endswith("index.html") else rel
                result.append(Page(site, path, file, f"{self.origin}/{site}/{path}"))
        return result

    def by_type(self) -> dict[str, list[Page]]:
        groups: dict[str, list[Page]] = {}
        for page in self.pages():
            groups.setdefault(page.kind, []).append(page)
        return groups

    def sample(self) -> list[Page]:
        """Every page of the small sites, and the project's largest page of
        each type: every template and branch, at a browser's pace."""
        small = [p for p in self.pages() if p.site != "project"]
        return small + [p for p in self.representatives() if p.site == "project"]

    def representatives(self) -> list[Page]:
        """One page of each type from each site: the largest file, which holds the most to check."""
        chosen = {}
        for page in self.pages():
            key = (page.site, page.kind)
            if key not in chosen or page.file.stat().st_size > chosen[key].file.stat().st_size:
                chosen[key] = page
        return [chosen[k] for k in sorted(chosen)]


def _site_sources(work: Path) -> dict[str, Path]:
    """site.yaml of each site to build (copies, so nothing is written in the repository)."""
    configs = {"project": ROOT / "site.yaml"}
    configs["fixture"] = copy_fixture("full", work) / "site.yaml"
    french = work / "full-fr"
    shutil.copytree(FIXTURES / "sites" / "full", french)
    config = french / "site.yaml"
    french = re.sub(r"(?m)^language: .*$", "language: fr", config.read_text(encoding="utf-8"))
    config.write_text(french + "publish_text: excerpts\n", encoding="utf-8")
    configs["fixture-fr"] = config
    sparse = work / "sparse"
    for name, text in SPARSE_SITE.items():
        (sparse / name).parent.mkdir(parents=True, exist_ok=True)
        (sparse / name).write_text(text, encoding="utf-8")
    configs["sparse"] = sparse / "site.yaml"
    return configs


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> BuiltSites:
    """Every site of SITE_NAMES built under one served folder."""
    work = tmp_path_factory.mktemp("gates")
    www = work / "www"
    www.mkdir()
    configs = _site_sources(work / "src")
    with serve_directory(www) as url:
        origin = url.rstrip("/")
        for name, config in configs.items():
            run_cli("build", "--config", str(config), "--out", str(www / name),
                    "--base-url", f"{origin}/{name}/", "--quiet", check=True)
        yield BuiltSites(www, origin)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the Lighthouse report written by the lighthouse gate during this run."""
    if getattr(config, "_lighthouse_report", None) and LIGHTHOUSE_REPORT.exists():
        terminalreporter.write_sep("=", "Lighthouse report (a report, not a gate)")
        terminalreporter.write_line(LIGHTHOUSE_REPORT.read_text(encoding="utf-8").rstrip())


def pytest_sessionfinish(session, exitstatus):
    """In CI no test may be skipped: a skip there means a gate did not run.
    (Applies to the whole suite: this conftest is loaded with tests/.)"""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and exitstatus == 0:
        names = ", ".join(getattr(r, "nodeid", "?") for r in skipped[:5])
        reporter.write_line(f"error: {len(skipped)} test(s) skipped in CI ({names}); every test must run", red=True)
        session.exitstatus = 1


def run_java(args: list[str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([java(), *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, LC_ALL="C.UTF-8"))
