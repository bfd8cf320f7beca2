"""Shared fixtures: fixture sites copied to tmp, the CLI as a user runs it,
a real HTTP server on 127.0.0.1, and Debian's Chromium through Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

MINIMAL_SITE = {
    "site.yaml": "title: Test site\nbase_url: https://example.org/repo/\n",
    "seeds/one.txt": "First paragraph of one.\n\nSecond paragraph mentions Alice.\n",
    "content/sources/one.md": "---\nseed: one.txt\ntitle: One\npublished: 2024-01-02\n---\nCommentary.\n",
    "content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n",
    "content/events.yaml": "- id: first\n  date: 2024-01\n  title: First event\n  actors: [alice]\n  evidence:\n    - source: one\n      quote: mentions Alice\n",
}


def write_site(root: Path, files: dict[str, str | bytes | None], base: dict | None = None) -> Path:
    """Write a site folder: ``base`` (default: a minimal valid site) updated by
    ``files``; a value of None removes that file."""
    merged = dict(MINIMAL_SITE if base is None else base)
    merged.update(files)
    for name, content in merged.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / "sites" / name, target)
    return target


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """``python -m generator ARGS`` as a user runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"generator {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve_directory(root: Path):
    """A real HTTP server for ``root`` on 127.0.0.1 and a free port; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def full_site(tmp_path: Path) -> Path:
    return copy_fixture("full", tmp_path)


@pytest.fixture(scope="session")
def built_full(tmp_path_factory) -> Path:
    """The full fixture built once under http://127.0.0.1/… is not known yet, so
    it is built for the /repo/ prefix; tests serve its parent folder."""
    work = tmp_path_factory.mktemp("built")
    site = copy_fixture("full", work)
    out = work / "www" / "repo"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    return out


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium is a failure, not a skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run 'make test' (it installs Debian's chromium) or set CHROMIUM")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
