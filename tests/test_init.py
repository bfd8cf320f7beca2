"""``python -m generator init DIR``: a site of one's own that builds, previews and publishes as it stands."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from conftest import ROOT, run_cli, snapshot
from test_pages_workflow import lint
from test_serve import ServeProcess, free_port

from generator.initsite import PLACEHOLDER_URL, STARTER_DIR, starter_files

GENERATOR_URL = "git+https://github.com/example/research-microsite-generator.git@v0.1.0"


def _init(folder: Path, *extra: str):
    return run_cli("init", str(folder), *extra)


def test_init_writes_a_site_that_builds_strict_without_warnings_and_previews(tmp_path):
    site = tmp_path / "my-research"
    result = _init(site, "--generator-url", GENERATOR_URL)
    assert result.returncode == 0, result.stderr
    built = run_cli("build", "--strict", "--no-cache", cwd=site)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr and "error" not in built.stderr, built.stderr
    source = (site / "public" / "sources" / "millbrook-footbridge" / "index.html").read_text(encoding="utf-8")
    assert "The footbridge was built in 1869" in source  # the correction's should_read, on its passage
    assert "By Ada Marlow" not in source  # text.start leaves the byline out of the article

    server = ServeProcess(site, free_port())
    try:
        server.wait_for_line(r"^serving http://127\.0\.0\.1:\d+/your-repository/")
        status, _, body = server.request("/your-repository/")
        assert status == 200
        assert "<title>The Millbrook Footbridge" in body and "invented for this example" in body
    finally:
        server.stop()


def test_init_copies_the_starter_and_fills_in_the_generator_address(tmp_path):
    site = tmp_path / "site"
    assert _init(site, "--generator-url", GENERATOR_URL).returncode == 0
    written = snapshot(site)
    starter = snapshot(STARTER_DIR)
    assert sorted(written) == sorted(p.as_posix() for p in starter_files()) == sorted(starter)
    for name, data in written.items():
        if name != "requirements.txt":
            assert data == starter[name], name
    assert written["requirements.txt"].decode().splitlines()[-1] == GENERATOR_URL

    other = tmp_path / "other"
    result = _init(other)
    assert result.returncode == 0
    assert PLACEHOLDER_URL in (other / "requirements.txt").read_text(encoding="utf-8")
    assert "placeholder" in result.stdout


def test_the_new_site_workflow_passes_actionlint_and_installs_before_it_builds(tmp_path):
    site = tmp_path / "site"
    assert _init(site, "--generator-url", GENERATOR_URL).returncode == 0
    workflow = site / ".github" / "workflows" / "pages.yml"
    result = lint(site, workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    install = runs.index("python -m pip install -r requirements.txt")
    build = runs.index("python -m generator build --strict")
    check = next(i for i, r in enumerate(runs) if r.startswith("python -m generator.pages_base_url"))
    assert install < build < check
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"].rstrip("/") == "public"


def test_the_pages_check_runs_from_the_package(tmp_path):
    """The new site's workflow runs the check as a module: it has no scripts/ folder."""
    site = tmp_path / "site"
    assert _init(site).returncode == 0
    result = subprocess.run([sys.executable, "-m", "generator.pages_base_url", "--config", "site.yaml",
                             "https://someone.github.io/elsewhere"], cwd=site, capture_output=True, text=True,
                            timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml:14: error: base_url is https://your-account.github.io/your-repository/")


def test_init_refuses_a_folder_that_is_not_empty_and_force_only_adds_missing_files(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = _init(site)
    assert refused.returncode == 1
    assert "the folder is not empty" in refused.stderr and "Traceback" not in refused.stderr
    assert snapshot(site) == {"notes.txt": b"mine\n"}

    (site / "site.yaml").write_text("title: Mine\nbase_url: https://example.org/\n", encoding="utf-8")
    added = _init(site, "--force")
    assert added.returncode == 0, added.stderr
    after = snapshot(site)
    assert after["notes.txt"] == b"mine\n"
    assert after["site.yaml"] == b"title: Mine\nbase_url: https://example.org/\n"  # never overwritten
    assert "content/sources/millbrook-footbridge.md" in after and "kept 1 already there: site.yaml" in added.stdout


def test_init_refuses_a_file_and_a_url_pip_cannot_use(tmp_path):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert _init(target).returncode == 1
    bad = _init(tmp_path / "new", "--generator-url", "github.com/example/gen")
    assert bad.returncode == 2 and "--generator-url" in bad.stderr
    assert not (tmp_path / "new").exists()


def test_the_starter_and_the_theme_are_package_data():
    """Every file of the starter and of the theme is matched by a package-data
    pattern of pyproject.toml, so a site that installs the generator with pip has them."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    package = ROOT / "generator"

    def shipped(name: str, base: Path) -> set[Path]:
        return {p for pattern in package_data[name] for p in base.glob(pattern) if p.is_file()}

    starter = {p for p in STARTER_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert starter and starter <= shipped("generator", package)
    theme = package / "theme"
    assert theme.resolve() == (ROOT / "templates").resolve()
    assert {p for p in theme.rglob("*") if p.is_file()} == shipped("generator.theme", theme)
