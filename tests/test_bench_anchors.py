"""The benchmark's anchors do the work they are compared for: Eleventy
builds one page per source holding that source's article text, and Pagefind
indexes them. (No figure is asserted: times are for ``make bench`` to print.)"""

from __future__ import annotations

import re

from bench import anchors
from bench.corpus import write_corpus


def test_eleventy_and_pagefind_build_the_same_texts(tmp_path):
    site = write_corpus(tmp_path / "site", 6)
    folder = tmp_path / "eleventy"
    assert anchors.write_eleventy_input(site, folder) == 6
    anchors.ensure_eleventy()
    built = anchors.eleventy(folder)
    assert built.seconds > 0 and built.peak > 0
    pages = sorted((folder / "_site").glob("source-*/index.html"))
    assert [page.parent.name for page in pages] == [f"source-{n:05d}" for n in range(1, 7)]
    seed_lines = [line for line in (site / "seeds" / "source-00003.txt").read_text().splitlines() if line.strip()]
    html = (folder / "_site" / "source-00003" / "index.html").read_text()
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.S)
    assert len(paragraphs) == len(seed_lines)
    assert paragraphs[0].split()[:5] == seed_lines[0].split()[:5]
    indexed = anchors.pagefind(folder)
    assert indexed.seconds > 0
    entry = (folder / "_site" / "pagefind" / "pagefind-entry.json").read_text()
    assert '"page_count":6' in entry.replace(" ", "")


def test_the_table_gives_the_ratios_of_the_medians():
    runs = [anchors.Timed(2.0, 100), anchors.Timed(4.0, 300), anchors.Timed(3.0, 200)]
    index = [anchors.Timed(1.0, 50), anchors.Timed(1.0, 80), anchors.Timed(2.0, 60)]
    summary = anchors.summary([10.0, 12.0, 11.0], [4.0, 5.0, 4.0], runs, index)
    assert summary["eleventy_and_pagefind"] == 5.0 and summary["ratio"] == 11.0 / 5.0
    assert summary["ours_without_index"] == 7.0 and summary["ratio_without_index"] == 7.0 / 3.0
    assert summary["pagefind_memory"] == 80
    row = {"sources": 3, "memory": 2**20, "search_memory": 2**20, "output_bytes": 2**20,
           "largest_page": (2048, "timeline/index.html"), "anchors": summary}
    line = anchors.table([row]).splitlines()[-1]
    assert "**2.20**" in line and "**2.33**" in line and "2 KB (timeline/index.html)" in line
