"""The output folder: the build replaces only what is its own, and cleans up after killed builds.

A folder is the generator's when it is absent, empty, or holds only the
files its manifest (``.generator-manifest.json``) lists; anything else is
refused with a one-line message, and left untouched, unless ``--force``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.incremental.cache import CACHE_DIR, CACHE_FILE
from generator.publish.outfolder import MARKER
from tests.conftest import ROOT, copy_fixture, run_cli, snapshot


def _build(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("build", "--config", str(site / "site.yaml"), *args, cwd=cwd)


def _refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]


def _dead_pid() -> int:
    """The id of a process that has ended (a killed build's)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _everything(folder: Path) -> dict[str, bytes | str]:
    """Files and folders (empty ones too) under ``folder``."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else "dir" for p in folder.rglob("*")}


# -- what is refused ------------------------------------------------------------------

def test_a_project_with_its_git_folder_is_refused_and_left_intact(full_site, tmp_path):
    project = tmp_path / "project"
    _write(project, {".git/HEAD": "ref: refs/heads/main\n", "index.html": "<p>mine</p>\n", "notes/a.md": "a\n"})
    before = _everything(project)
    result = _build(full_site, "--out", "project", cwd=tmp_path)
    _refused(result, "--out: error: output folder 'project' is not empty and was not written by this generator",
             "(it holds .git, index.html, notes)", "use --force")
    assert _everything(project) == before


def test_another_site_is_refused(full_site, tmp_path):
    other = tmp_path / "docs"
    _write(other, {"index.html": "<h1>Other</h1>", "css/site.css": "body{}", "about/index.html": "x", "feed.xml": "<f/>"})
    before = _everything(other)
    result = _build(full_site, "--out", str(other), cwd=tmp_path)
    _refused(result, "output folder 'docs'", "(it holds about, css, feed.xml, …)")
    assert _everything(other) == before


@pytest.mark.parametrize("force", [False, True])
def test_a_file_is_never_replaced_by_a_folder(full_site, tmp_path, force):
    (tmp_path / "notes.txt").write_text("my notes\n")
    result = _build(full_site, "--out", "notes.txt", *(["--force"] if force else []), cwd=tmp_path)
    _refused(result, "output folder 'notes.txt' is a file; refusing to replace it with a folder")
    assert (tmp_path / "notes.txt").read_text() == "my notes\n"


@pytest.mark.parametrize("out", [CACHE_DIR, f"{CACHE_DIR}/inside"])
def test_the_build_cache_is_never_an_output(full_site, out):
    assert _build(full_site).returncode == 0
    cache = snapshot(full_site / CACHE_DIR)
    result = _build(full_site, "--out", out, "--force", cwd=full_site)
    _refused(result, f"output folder '{out}'", "the build cache")
    assert snapshot(full_site / CACHE_DIR) == cache


def test_output_dir_in_site_yaml_pointing_at_a_foreign_folder_is_refused_at_its_line(full_site, tmp_path):
    ssh = tmp_path / "dot-ssh"
    _write(ssh, {"id_ed25519": "secret\n", "known_hosts": "host\n"})
    config = full_site / "site.yaml"
    config.write_text(config.read_text() + "output_dir: ../dot-ssh\n")
    line = len(config.read_text().splitlines())
    before = _everything(ssh)
    result = run_cli("build", cwd=full_site)
    _refused(result, f"site.yaml:{line}: error: output folder '../dot-ssh' is not empty",
             "(it holds id_ed25519, known_hosts)")
    assert str(tmp_path) not in result.stderr  # the path as site.yaml writes it, not an absolute one
    assert _everything(ssh) == before


def test_files_added_by_hand_to_the_output_are_not_deleted(full_site):
    assert run_cli("build", cwd=full_site).returncode == 0
    (full_site / "public" / ".git").mkdir()
    (full_site / "public" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = _everything(full_site / "public")
    result = run_cli("build", cwd=full_site)
    _refused(result, "site.yaml: error: output folder 'public' holds files this generator did not write (.git)")
    assert _everything(full_site / "public") == before


# -- what is replaced -----------------------------------------------------------------

def test_force_replaces_a_foreign_folder(full_site, tmp_path):
    _write(tmp_path / "docs", {"index.html": "old", "old/page.html": "x"})
    result = _build(full_site, "--out", "docs", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "docs" / "old").exists()
    assert (tmp_path / "docs" / MARKER).is_file() and (tmp_path / "docs" / "timeline" / "index.html").is_file()


def test_an_empty_folder_is_used(full_site, tmp_path):
    (tmp_path / "empty").mkdir()
    assert _build(full_site, "--out", str(tmp_path / "empty")).returncode == 0
    assert (tmp_path / "empty" / "index.html").is_file()


def test_the_generators_own_previous_output_is_replaced(full_site, tmp_path):
    out = tmp_path / "out"
    assert _build(full_site, "--out", str(out), "--no-cache").returncode == 0
    (full_site / "content" / "pages" / "about.md").write_text("---\ntitle: About us\n---\nChanged.\n")
    result = _build(full_site, "--out", str(out), "--no-cache")  # no cache: recognised by the manifest alone
    assert result.returncode == 0, result.stderr
    assert "About us" in (out / "about" / "index.html").read_text()
    assert b'"about/index.html"' in (out / MARKER).read_bytes()


def test_an_output_built_before_the_manifest_is_recognised_by_the_cache(full_site):
    """A public/ from a version without the manifest: the build cache knows its
    files; without the cache the folder is refused, with the way out."""
    assert run_cli("build", cwd=full_site).returncode == 0
    (full_site / "public" / MARKER).unlink()
    assert run_cli("build", "--no-cache", cwd=full_site).returncode == 1
    result = run_cli("build", cwd=full_site)
    assert result.returncode == 0, result.stderr
    assert (full_site / "public" / MARKER).is_file()
    (full_site / "public" / MARKER).unlink()
    _refused(run_cli("build", "--no-cache", cwd=full_site), "output folder 'public' is not empty", "--force")


def test_an_output_built_by_an_earlier_version_is_recognised_though_its_cache_is_discarded(full_site):
    """An upgrade: the cache of the earlier version is thrown away, but the
    names of the files it wrote into public/ are read from it first."""
    assert run_cli("build", cwd=full_site).returncode == 0
    (full_site / "public" / MARKER).unlink()
    db = sqlite3.connect(full_site / CACHE_DIR / CACHE_FILE)
    db.execute("UPDATE meta SET value = ? WHERE name = 'code'", (b"an earlier version",))
    db.commit()
    db.close()
    result = run_cli("build", cwd=full_site)
    assert result.returncode == 0, result.stderr
    assert "the build cache was discarded" in result.stderr
    assert (full_site / "public" / MARKER).is_file()


# -- folders that cannot be made ---------------------------------------------------------

@pytest.mark.parametrize("out", ["notes.txt/site", "notes.txt/a/b", "/proc/no-such/site"])
def test_an_output_folder_that_cannot_be_created_is_one_line(full_site, tmp_path, out):
    (tmp_path / "notes.txt").write_text("my notes\n")
    result = _build(full_site, "--out", out, cwd=tmp_path)
    _refused(result, f"--out: error: cannot create the output folder '{out}'")
    assert (tmp_path / "notes.txt").read_text() == "my notes\n"


# -- the debris of killed builds -----------------------------------------------------------

def test_staging_folders_of_a_killed_build_are_removed_and_nothing_else(full_site, tmp_path):
    dead, alive = _dead_pid(), os.getpid()
    debris = [f".public.new-gen{dead}-abcd1234", f".public.old-gen{dead}-x_y9zz00", f".public.search-gen{dead}-qqqqqqqq"]
    running = f".public.new-gen{alive}-abcd1234"  # a build running meanwhile (this process stands for it)
    foreign = [".public.new-backup", f".public.new-{dead}-abcd1234", f".other.new-gen{dead}-abcd1234",
               f".public.new-gen{dead}-abcd1234-keep"]
    for name in debris + [running] + foreign:
        _write(full_site / name, {"index.html": "half a site\n"})
    result = run_cli("build", cwd=full_site)
    assert result.returncode == 0, result.stderr
    for name in debris:
        assert not (full_site / name).exists(), name
    for name in [running] + foreign:
        assert (full_site / name / "index.html").read_text() == "half a site\n", name


def test_temporary_files_of_a_killed_rebuild_are_removed_by_the_next_update(full_site):
    """They are not in the manifest; the next build removes them and still
    only updates the files that changed (it does not rewrite everything)."""
    out = full_site / "public"
    first = build(full_site / "site.yaml")
    dead = _dead_pid()
    leftovers = [f"timeline/.index.html.{dead}.new", f".feed.xml.{dead}.new", f"about/.index.html.{dead}.new"]
    for name in leftovers:
        (out / name).write_text("half written")
    (full_site / "content" / "pages" / "about.md").write_text("---\ntitle: About us\n---\nChanged.\n")
    report = build(full_site / "site.yaml")
    assert 0 < report.written < first.files / 2  # an update, not a folder written afresh
    assert not [name for name in leftovers if (out / name).exists()]
    assert not list(out.rglob("*.new"))
    assert "About us" in (out / "about" / "index.html").read_text()


def _popen_build(site: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-cache", "--jobs", "1"], cwd=site,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _staging(site: Path) -> list[str]:
    return [p.name for p in site.iterdir() if p.name.startswith(".public.")]


def _stop_while_staging(site: Path, signum: int) -> tuple[int, str] | None:
    """Start a build and send it ``signum`` once its staging folder exists:
    (exit status, stderr), or None when the build ended before it was caught there."""
    process = _popen_build(site)
    for _ in range(200_000):  # bounded: the build ends by itself anyway
        if _staging(site):
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=120)
            return process.returncode, stderr
        if process.poll() is not None:
            break
    process.communicate(timeout=120)
    return None


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_nothing_after_the_next_build(full_site, signum):
    assert run_cli("build", cwd=full_site).returncode == 0
    previous = snapshot(full_site / "public")
    (full_site / "content" / "pages" / "about.md").write_text("---\ntitle: About us\n---\nChanged.\n")
    for _ in range(5):
        stopped = _stop_while_staging(full_site, signum)
        if stopped is not None:
            break
    else:
        pytest.fail("the build was never caught while writing its staging folder")
    code, stderr = stopped
    if signum == signal.SIGTERM:  # caught: the build cleans up itself and says so
        assert code == 128 + signum, stderr
        assert "Traceback" not in stderr and "build terminated" in stderr
        assert _staging(full_site) == []
    else:
        assert code == -signum
    assert snapshot(full_site / "public") == previous
    result = run_cli("build", cwd=full_site)
    assert result.returncode == 0, result.stderr
    assert _staging(full_site) == []
    assert not [p for p in (full_site / "public").rglob("*.new")]
    assert "About us" in (full_site / "public" / "about" / "index.html").read_text()


def test_force_is_in_the_help():
    result = run_cli("build", "--help")
    assert result.returncode == 0 and "--force" in result.stdout
