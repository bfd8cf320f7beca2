"""Report (not a gate): Lighthouse's four scores for the home, timeline,
actor and source pages of the project's own site, in Debian's Chromium.

Scores move with the machine's load, so they are recorded, not asserted;
what is asserted is that Lighthouse ran offline and scored every category
of every page (a run that cannot score is a failure, not a skip). The
report goes to test-artifacts/lighthouse.md (the JSON of each run beside
it) and is printed at the end of the pytest run.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

from .conftest import ARTIFACTS, LIGHTHOUSE_CLI, LIGHTHOUSE_REPORT, node, require_tool

pytestmark = pytest.mark.lighthouse

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGE_TYPES = ("home", "timeline", "actor", "source")


RUNNER = Path(__file__).with_name("lighthouse-run.mjs")


def lighthouse(urls: dict[str, str]) -> dict[str, dict]:
    """Run Lighthouse on ``{name: url}`` in one Node process and one Chromium."""
    require_tool(LIGHTHOUSE_CLI, "Lighthouse (npm)")
    env = dict(os.environ, CHROME_PATH=CHROMIUM, CHROME_FLAGS=" ".join(["--headless=new", *CHROMIUM_ARGS]))
    result = subprocess.run([node(), str(RUNNER), str(ARTIFACTS), *(f"{k}={v}" for k, v in urls.items())],
                            capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    if result.returncode != 0:
        pytest.fail(f"lighthouse failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return {name: json.loads((ARTIFACTS / f"lighthouse-{name}.json").read_text(encoding="utf-8")) for name in urls}


def test_lighthouse_report(built_sites, request):
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {p.kind: p for p in built_sites.representatives() if p.site == "project" and p.kind in PAGE_TYPES}
    assert set(pages) == set(PAGE_TYPES)
    for stale in ARTIFACTS.glob("lighthouse-*.json"):
        stale.unlink()
    reports = lighthouse({kind: pages[kind].url for kind in PAGE_TYPES})
    rows = []
    for kind in PAGE_TYPES:
        page = pages[kind]
        report = reports[kind]
        assert report["finalDisplayedUrl"] == page.url
        assert not report.get("runtimeError"), report.get("runtimeError")
        scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
        assert all(isinstance(s, (int, float)) and 0 <= s <= 1 for s in scores.values()), (kind, scores)
        below = sorted(audit["title"] for audit in report["audits"].values()
                       if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0)
        rows.append((kind, page.path, scores, report["lighthouseVersion"], below))
    version = rows[0][3]
    lines = [f"Lighthouse {version}, Debian Chromium, mobile emulation, {built_sites.origin} (project site)", "",
             "| page | " + " | ".join(CATEGORIES) + " | path |", "|---" * (len(CATEGORIES) + 2) + "|"]
    for kind, path, scores, _, _ in rows:
        lines.append(f"| {kind} | " + " | ".join(f"{round(scores[c] * 100)}" for c in CATEGORIES) + f" | /{path} |")
    failing = {title for *_, below in rows for title in below}
    if failing:
        lines += ["", "failed binary audits: " + "; ".join(sorted(failing))]
    LIGHTHOUSE_REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    request.config._lighthouse_report = True
