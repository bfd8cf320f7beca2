"""The benchmark's anchors: Eleventy, then Pagefind over Eleventy's output,
on the same article texts, in the same run as our own build.

A figure measured on a shared, noisy machine means little alone; the ratio
to a well-known static-site generator doing comparable work on the same
texts, measured minutes apart on the same machine, holds. The anchors are:

- **Eleventy** 3.1.7 (pinned in ``bench/package.json``, installed into
  ``bench/node_modules`` with ``npm ci``, never globally) building each
  source's article text as one plain Markdown page in a bare layout: the
  least a generator must do with these texts;
- **Pagefind** (the project's own, the version our build uses) indexing
  Eleventy's output, as a site made with Eleventy would add search.

Ours is compared twice: the cold build with the search index, as ``make
site`` builds, against Eleventy followed by Pagefind; and the same build
without its last step, the index (the build's own timing of that step taken
off), against Eleventy alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .memory import MemorySampler

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ELEVENTY = BENCH / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"

LAYOUT = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{{ content | safe }}
</main></body>
</html>
"""

# Markdown files are plain Markdown (no Liquid pass over the article text),
# as our build treats seed text as text.
CONFIG = """export default function (eleventyConfig) {
  return { markdownTemplateEngine: false, htmlTemplateEngine: "njk" };
}
"""


@dataclass
class Timed:
    seconds: float
    peak: int  # bytes


def ensure_eleventy() -> None:
    """``npm ci`` in bench/ once (the lock file pins every package)."""
    stamp = BENCH / "node_modules" / ".installed"
    lock = BENCH / "package-lock.json"
    if stamp.is_file() and stamp.stat().st_mtime >= lock.stat().st_mtime and ELEVENTY.is_file():
        return
    print("  installing Eleventy (npm ci in bench/)...", file=sys.stderr)
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=BENCH, check=True)
    stamp.touch()


def write_eleventy_input(site: Path, folder: Path) -> int:
    """One Markdown page per source: its title and its article text, one
    paragraph per seed line. Returns the number of pages."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "src" / "_includes").mkdir(parents=True)
    (folder / "src" / "_includes" / "page.njk").write_text(LAYOUT, encoding="utf-8")
    (folder / "eleventy.config.mjs").write_text(CONFIG, encoding="utf-8")
    count = 0
    for annotation in sorted((site / "content" / "sources").glob("*.md")):
        front = yaml.safe_load(annotation.read_text(encoding="utf-8").split("---\n")[1])
        seed = (site / "seeds" / front["seed"]).read_text(encoding="utf-8")
        paragraphs = [line.strip() for line in seed.splitlines() if line.strip()]
        head = "---\n" + f"title: {json.dumps(front['title'])}\nlayout: page.njk\n" + "---\n\n"
        (folder / "src" / f"{annotation.stem}.md").write_text(head + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        count += 1
    return count


def run_timed(command: list[str], cwd: Path) -> Timed:
    """A command's wall time and the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = MemorySampler(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{stdout.decode()[-2000:]}\n"
                         f"{stderr.decode()[-2000:]}")
    return Timed(seconds, sampler.peak + sampler.peak_search)


def eleventy(folder: Path) -> Timed:
    out = folder / "_site"
    shutil.rmtree(out, ignore_errors=True)
    return run_timed(["node", str(ELEVENTY), "--input=src", "--output=_site", "--config=eleventy.config.mjs",
                      "--quiet"], folder)


def pagefind(folder: Path) -> Timed:
    """The project's Pagefind (the build's own command) over Eleventy's output."""
    from generator.publish.search import COMMAND
    shutil.rmtree(folder / "_site" / "pagefind", ignore_errors=True)
    return run_timed([*COMMAND, "--site", "_site", "--silent"], folder)


def summary(cold: list[float], search: list[float], eleventy_runs: list[Timed], pagefind_runs: list[Timed]) -> dict:
    """Medians of the runs and the ratios the issue's targets are stated in.
    Ratios are of medians taken in the same run, minutes apart."""
    from statistics import median
    ours = median(cold)
    ours_without = median(c - s for c, s in zip(cold, search))
    eleventy_s = median(t.seconds for t in eleventy_runs)
    pagefind_s = median(t.seconds for t in pagefind_runs)
    both = median(e.seconds + p.seconds for e, p in zip(eleventy_runs, pagefind_runs))
    return {
        "ours": ours, "ours_without_index": ours_without, "eleventy": eleventy_s, "pagefind": pagefind_s,
        "eleventy_and_pagefind": both, "ratio": ours / both, "ratio_without_index": ours_without / eleventy_s,
        "eleventy_memory": max(t.peak for t in eleventy_runs), "pagefind_memory": max(t.peak for t in pagefind_runs),
    }


def table(rows: list[dict]) -> str:
    """The side-by-side table ``make bench`` prints (rows without anchors are left out)."""
    head = ("| sources | ours, cold, with index | Eleventy | Pagefind on its output | Eleventy + Pagefind "
            "| **ours / (Eleventy + Pagefind)** | ours without the index | **ours without index / Eleventy** "
            "| peak: our build | our indexer | Eleventy | Pagefind on Eleventy's output | output | largest page |")
    lines = [head, "|" + "|".join("---:" for _ in range(head.count("|") - 1)) + "|"]
    mb = 2 ** 20
    for r in rows:
        a = r.get("anchors")
        if not a:
            continue
        largest = r["largest_page"]
        lines.append(
            f"| {r['sources']:,} | {a['ours']:.2f} s | {a['eleventy']:.2f} s | {a['pagefind']:.2f} s "
            f"| {a['eleventy_and_pagefind']:.2f} s | **{a['ratio']:.2f}** | {a['ours_without_index']:.2f} s "
            f"| **{a['ratio_without_index']:.2f}** | {r['memory'] / mb:,.0f} MB | {r['search_memory'] / mb:,.0f} MB "
            f"| {a['eleventy_memory'] / mb:,.0f} MB | {a['pagefind_memory'] / mb:,.0f} MB "
            f"| {r['output_bytes'] / mb:,.1f} MB | {largest[0] / 1024:,.0f} KB ({largest[1]}) |")
    return "\n".join(lines)
