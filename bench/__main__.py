"""``make bench``: how the build's cost grows with the corpus.

For each size (250, 1,000 and 4,000 sources; 20,000 with ``--huge``) it
writes the synthetic corpus of ``bench/corpus.py`` (once: it is kept in
``.bench/``), then measures, each a median of ``--runs`` runs:

- **cold**: ``python -m generator build`` with no cache and no output folder;
- **no change**: the same build again, nothing edited (it must write no file:
  checked on every output file's inode and modification time);
- **annotation / actor / event / template**: a build after editing one note
  of one annotation, one actor's description, one event's title, one template;
- **preview**: what the preview server does after an annotation is saved: a
  ``Builder`` kept in memory told which file changed (no process start-up);
- **peak memory**: the most memory the cold build's processes held together
  (proportional set size, sampled every 20 ms: shared pages counted once);
- **sources/s**: sources per second of cold build;
- **the anchors** (``anchors.py``; ``--no-anchors`` to leave them out):
  Eleventy building the same article texts, and Pagefind indexing
  Eleventy's output, run in turn with our cold builds; the ratios to them
  are the figures that hold on a shared machine; the output's size and its
  largest page.

The builds run as the user runs them, each a new process of the command
line, with the machine's processors (``--jobs`` to change). No figure here
is asserted by the test suite; the README shows a table made by this script.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .corpus import CORPUS_VERSION, write_corpus
from . import anchors
from .memory import MemorySampler

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
THEME = ROOT / "templates"


def corpus(size: int) -> Path:
    """The corpus of ``size`` sources, written once and kept (with a stamp)."""
    folder = WORK / f"corpus-{size}"
    stamp = folder / ".corpus"
    if not (stamp.is_file() and stamp.read_text() == CORPUS_VERSION):
        started = time.perf_counter()
        write_corpus(folder, size)
        stamp.write_text(CORPUS_VERSION)
        print(f"  wrote the corpus of {size:,} sources in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def run_build(site: Path, out: Path, *extra: str, memory: bool = False) -> tuple[float, tuple[int, int], dict]:
    """One build as a user runs it: (seconds, peak memory in bytes of the
    generator and of the search indexer (0, 0 unless ``memory``), the build's
    own timing of its phases)."""
    command = [sys.executable, "-m", "generator", "build", "--config", str(site / "site.yaml"),
               "--out", str(out), "--quiet", *extra]
    env = dict(os.environ, PYTHONPATH=str(ROOT), RESEARCH_SITE_TIMING="1")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = MemorySampler(process.pid) if memory else None
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if sampler:
        sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{stdout.decode()}\n{stderr.decode()}")
    phases = {}
    for line in stderr.decode().splitlines():
        if line.startswith("timing: ") and line.endswith(" s"):
            name, _, value = line[len("timing: "):-2].rpartition(": ")
            phases[name] = float(value)
    return seconds, ((sampler.peak, sampler.peak_search) if sampler else (0, 0)), phases


def output_size(out: Path) -> tuple[int, tuple[int, str]]:
    """The output's size in bytes, and its largest page (bytes, name)."""
    total, largest = 0, (0, "")
    for path in out.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html" and size > largest[0]:
                largest = (size, path.relative_to(out).as_posix())
    return total, largest


def output_state(out: Path) -> dict[str, tuple[int, int]]:
    state = {}
    for path in out.rglob("*"):
        if path.is_file():
            st = path.stat()
            state[path.relative_to(out).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return state


class Edits:
    """The edits measured, each different on every run (so that there is
    always something to rebuild), and a way back to the corpus as written."""

    def __init__(self, site: Path):
        self.site = site
        self.annotation = site / "content" / "sources" / "source-00001.md"
        self.actors = site / "content" / "actors.yaml"
        self.events = site / "content" / "events.yaml"
        self.template_path = site / "templates" / "source.html"
        self.saved = {path: path.read_bytes() if path.exists() else None
                      for path in (self.annotation, self.actors, self.events, self.template_path)}

    def _replace(self, path: Path, old: str, new: str) -> Path:
        text = self.saved[path].decode("utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    def annotation_note(self, run: int) -> Path:
        return self._replace(self.annotation, "*checked* against", f"*checked* (run {run}) against")

    def actor(self, run: int) -> Path:
        return self._replace(self.actors, "appears in the *synthetic* corpus", f"appears (run {run}) in the *synthetic* corpus")

    def event(self, run: int) -> Path:
        return self._replace(self.events, "title: \"Event 1 of source 1:", f"title: \"Event 1 (run {run}) of source 1:")

    def template(self, run: int) -> Path:
        text = (THEME / "source.html").read_text(encoding="utf-8")
        self.template_path.parent.mkdir(exist_ok=True)
        self.template_path.write_text(text.replace("</article>", f"</article>\n<!-- run {run} -->", 1), encoding="utf-8")
        return self.template_path

    def restore(self) -> None:
        for path, data in self.saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure(size: int, runs: int, jobs: str | None, quick: bool = False, with_anchors: bool = True) -> dict:
    site = corpus(size)
    out = WORK / f"out-{size}"
    extra = ("--jobs", jobs) if jobs else ()
    edits = Edits(site)
    result: dict = {"sources": size}
    eleventy_site = WORK / f"eleventy-{size}"
    if with_anchors:
        anchors.ensure_eleventy()
        anchors.write_eleventy_input(site, eleventy_site)
    try:
        edits.restore()
        cold, memory, search, search_memory, phases, eleventy, pagefind = [], [], [], [], [], [], []
        for _ in range(runs):  # ours and the anchors in turn, so that a noisy minute hits both
            shutil.rmtree(site / ".cache", ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            seconds, (peak, peak_search), timing = run_build(site, out, *extra, memory=True)
            cold.append(seconds)
            memory.append(peak)
            search_memory.append(peak_search)
            search.append(timing.get("search index", 0.0))
            phases.append(timing)
            if with_anchors:
                eleventy.append(anchors.eleventy(eleventy_site))
                pagefind.append(anchors.pagefind(eleventy_site))
        result["cold"] = median(cold)
        result["memory"] = max(memory)
        result["search"] = median(search)
        result["search_memory"] = max(search_memory)
        result["phases"] = phases[cold.index(result["cold"])] if result["cold"] in cold else phases[0]
        result["files"] = sum(1 for p in out.rglob("*") if p.is_file())
        result["output_bytes"], result["largest_page"] = output_size(out)
        if with_anchors:
            result["anchors"] = anchors.summary(cold, search, eleventy, pagefind)

        run_build(site, out, *extra)  # the cache and the output as a build leaves them
        unchanged = []
        for _ in range(runs):
            before = output_state(out)
            seconds = run_build(site, out, *extra)[0]
            unchanged.append(seconds)
            if output_state(out) != before:
                raise SystemExit("a build with nothing changed rewrote files")
        result["unchanged"] = median(unchanged)
        if quick:  # cold and unchanged only (the 20,000-source corpus)
            result.update({name: float("nan") for name in ("annotation", "actor", "event", "template", "preview",
                                                           "preview_later")})
            result["rate"] = size / result["cold"]
            return result

        for name, edit in (("annotation", edits.annotation_note), ("actor", edits.actor), ("event", edits.event),
                           ("template", edits.template)):
            times = []
            for run in range(runs):
                edit(run + 1)
                times.append(run_build(site, out, *extra)[0])
            result[name] = median(times)
            edits.restore()
            run_build(site, out, *extra)

        result["preview"] = preview(site, runs, edits)
        result["preview_later"] = preview(site, runs, edits, search=False)
    finally:
        edits.restore()
    result["rate"] = size / result["cold"]
    return result


def preview(site: Path, runs: int, edits: Edits, search: bool = True) -> float:
    """An annotation saved while the preview server runs: the kept Builder's
    rebuild (``search=False``: the search index left for later)."""
    sys.path.insert(0, str(ROOT))
    from generator.build import Builder
    builder = Builder(site / "site.yaml", WORK / f"preview-{site.name}", base_url="http://127.0.0.1:8000/bench/",
                      search=search)
    builder.lazy_cache = True  # as the preview server does: the cache file is written when the edits stop
    try:
        builder.rebuild()
        times = []
        for run in range(runs + 1):
            path = edits.annotation_note(100 + run)
            started = time.perf_counter()
            builder.rebuild({path})
            if run:  # the first rebuild after start-up warms the converters
                times.append(time.perf_counter() - started)
        edits.restore()
        builder.rebuild({edits.annotation})
        return median(times)
    finally:
        builder.close()


def table(rows: list[dict]) -> str:
    head = ("| sources | cold build | of which search index | no change | edit annotation | edit actor | edit event "
            "| edit template | preview: annotation | preview, index later | peak memory | of the search indexer "
            "| sources/s (cold) |")
    lines = [head, "|" + "|".join("---:" for _ in range(head.count("|") - 1)) + "|"]
    for r in rows:
        def s(name: str) -> str:
            return "–" if r[name] != r[name] else f"{r[name]:.2f} s"  # NaN: not measured

        lines.append(f"| {r['sources']:,} | {s('cold')} | {s('search')} | {s('unchanged')} | {s('annotation')} "
                     f"| {s('actor')} | {s('event')} | {s('template')} | {s('preview')} | {s('preview_later')} "
                     f"| {r['memory'] / 2**20:,.0f} MB | {r['search_memory'] / 2**20:,.0f} MB | {r['rate']:,.0f} |")
    return "\n".join(lines)


def phases(rows: list[dict]) -> str:
    """Where the cold build's time goes (the build's own timing, RESEARCH_SITE_TIMING)."""
    def short(name: str) -> str:  # "planned: 4418 of 4418 items to make" -> "planned"
        return name.split(":")[0].split(" (")[0]

    table = [{short(name): value for name, value in r["phases"].items()} for r in rows]
    names = list(dict.fromkeys(name for t in table for name in t))
    lines = ["| phase of the cold build | " + " | ".join(f"{r['sources']:,} sources" for r in rows) + " |",
             "|---|" + "---:|" * len(rows)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{t.get(name, 0):.2f} s" for t in table) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,1000,4000", help="corpus sizes, comma-separated (default: 250,1000,4000)")
    parser.add_argument("--huge", action="store_true", help="add 20,000 sources")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default: 3)")
    parser.add_argument("--jobs", help="processes per build (default: one per processor)")
    parser.add_argument("--quick-huge", action="store_true",
                        help="for 20,000 sources measure only the cold build and the build with nothing changed")
    parser.add_argument("--no-anchors", action="store_true",
                        help="leave out the anchors (Eleventy, and Pagefind over Eleventy's output)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.huge and 20000 not in sizes:
        sizes.append(20000)
    WORK.mkdir(exist_ok=True)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} processors, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"Python {platform.python_version()}; median of {args.runs} runs", file=sys.stderr)
    rows = []
    for size in sizes:
        print(f"measuring {size:,} sources...", file=sys.stderr)
        rows.append(measure(size, args.runs, args.jobs, quick=args.quick_huge and size >= 20000,
                            with_anchors=not args.no_anchors))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr)
    print(table(rows))
    if not args.no_anchors:
        print()
        print(anchors.table(rows))
    print()
    print(phases(rows))
    if len(rows) > 1:
        big = max(rows, key=lambda r: r["sources"])
        for r in rows:
            if r is not big and r["sources"] * 5 == big["sources"]:
                print(f"\n{big['sources']:,} sources took {big['cold'] / r['cold']:.2f} × the time of {r['sources']:,}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
