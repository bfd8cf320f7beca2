"""Incremental builds give exactly the site a cold build gives.

Every kind of edit is applied to a copy of the full fixture site after a
first build, then the site is built again reusing what that first build
left (the ``.cache/`` folder, and the output it wrote); the result must be
byte for byte what a cold build of the edited site writes, in a folder of
its own and without any cache. Two ways of building again are covered: a
new process (``make site`` after an edit) and a ``Builder`` kept in memory
and told which paths changed (the preview server). The cache must also
never make a wrong site when it is corrupt, foreign or stale.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import Builder, build, render, load
from generator.incremental import inputs as inputs_module
from generator.incremental.cache import CACHE_DIR, CACHE_FILE
from generator.errors import BuildAborted, Diagnostics
from generator.publish.outfolder import MARKER
from generator.publish.search import BUNDLE
from tests.conftest import copy_fixture, snapshot


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


THEME_SOURCE = Path(__file__).resolve().parent.parent / "templates" / "source.html"
THEME_MARKUP = THEME_SOURCE.parent / "_markup.html"

# name -> edit(site folder) -> the paths it changed
EDITS = {
    "annotation note": lambda site: _edit(site, "content/sources/port-deal.md",
                                          "took place at **city hall**", "took place at the **town hall**"),
    "annotation commentary": lambda site: _edit(site, "content/sources/port-deal.md",
                                                "is the **first report**", "is the **earliest report**"),
    "annotation title": lambda site: _edit(site, "content/sources/port-deal.md",
                                           "title: Port deal signed", "title: The port deal is signed"),
    "annotation quote": lambda site: _edit(site, "content/sources/port-deal.md",
                                           "quote: signed the harbour deal\n", "quote: the harbour deal\n"),
    "actor description": lambda site: _edit(site, "content/actors.yaml", "Elected in 2020.", "Elected in 2020, re-elected in 2024."),
    "actor name": lambda site: _edit(site, "content/actors.yaml", "name: Blue Ocean Ltd", "name: Blue Ocean Limited"),
    "actor alias": lambda site: _edit(site, "content/actors.yaml", "aliases: [Blue Ocean]", "aliases: [Blue Ocean, the port]"),
    "event title": lambda site: _edit(site, "content/events.yaml", "title: First talks", "title: The first talks"),
    "event date": lambda site: _edit(site, "content/events.yaml", "date: 2023-10-15", "date: 2024-05-15"),
    "event quote": lambda site: _edit(site, "content/events.yaml", "quote: Critics said", "quote: Critics said the deal"),
    # format 1.1: how evidence bears on an event, an actor's status and its reason, a source's authors
    "evidence stance": lambda site: _edit(site, "content/events.yaml", "stance: contradicts", "stance: context"),
    "evidence note": lambda site: _edit(site, "content/events.yaml", "note: Ruiz denies", "note: Ruiz flatly denies"),
    "actor status": lambda site: _edit(site, "content/actors.yaml", "  status: spurious\n  status_note: Exists only "
                                       "through a misreading of *markup*, an English word left in the translation, as a name.\n", ""),
    "actor status note": lambda site: _edit(site, "content/actors.yaml", "misreading of *markup*", "misreading of *markup*"
                                            " (Markdown's emphasis, shown as text)"),
    "source author": lambda site: _edit(site, "content/sources/port-deal.md", "author: [Jane Doe,", "author: [Jane Q. Doe,"),
    "original's author": lambda site: _edit(site, "content/sources/conseil.md", "  author: John Smith", "  author: Joan Smith"),
    "event summary": lambda site: _edit(site, "content/events.yaml", "summary: Signed at city hall.",
                                        "summary: Signed at the town hall."),
    "event deleted": lambda site: _edit(site, "content/events.yaml", "- id: talks\n  date: 2023-10-15\n  title: First talks\n"
                                        "  evidence:\n    - source: port-deal\n      quote: Critics said\n", ""),
    "seed": lambda site: _edit(site, "seeds/port-deal.txt", "signed the harbour deal with Blue Ocean Ltd on Monday.",
                               "signed the harbour deal with Blue Ocean Ltd on Monday, with Portvale."),
    "unannotated seed": lambda site: _edit(site, "seeds/Wire_Copy.TXT", "", "", append="\nA new last paragraph about Portvale.\n"),
    "template added": lambda site: _write(site, "templates/source.html",
                                          THEME_SOURCE.read_text(encoding="utf-8").replace("</article>", "</article>\n<!-- site's own -->")),
    "markup macros added": lambda site: _write(site, "templates/_markup.html", THEME_MARKUP.read_text(encoding="utf-8")
                                               .replace('<p class="cited-by">', '<p class="cited">')),
    "asset added": lambda site: _write(site, "templates/assets/extra.css", "body { margin: 0 }\n"),
    "site.yaml": lambda site: _edit(site, "site.yaml", "title: Harbour Inquiry", "title: The Harbour Inquiry"),
    "site.yaml language": lambda site: _edit(site, "site.yaml", "language: en", "language: fr"),
    "page nav": lambda site: _edit(site, "content/pages/about.md", "nav: 1", "nav: 2"),
    "annotation deleted": lambda site: _delete(site, "content/sources/conseil.md"),
    "page deleted": lambda site: _delete(site, "content/pages/about.md"),
    "actor deleted": lambda site: _edit(site, "content/events.yaml", "  actors: [council]\n", "")
    + _edit(site, "content/actors.yaml", "- id: council\n  name: Portvale council\n  kind: government\n  aliases: [le conseil, conseil]\n", ""),
    "page added": lambda site: _write(site, "content/pages/method.md", "---\ntitle: Method\nnav: 2\n---\nHow we read.\n"),
    "source added": lambda site: _write(site, "seeds/new-one.txt", "A new article about Portvale and Ana Ruiz.\n")
    + _write(site, "content/sources/new-one.md", "---\nseed: new-one.txt\ntitle: New one\npublished: 2025-01\n---\nNew.\n"),
    "not_mentions added": lambda site: _edit(site, "content/sources/port-deal.md", "notes:\n",
                                             "not_mentions:\n  - actor: ana-ruiz\n    quote: The mayor agreed.\nnotes:\n"),
    "nothing": lambda site: [],
    # What a kept builder's loader lists again, or not (incremental/cached_steps.py keeps the listings).
    "seed added": lambda site: _write(site, "seeds/late-wire.txt", "Late wire copy about Portvale.\n"),
    "seed deleted": lambda site: _delete(site, "seeds/Wire_Copy.TXT"),
    "annotation given another seed": lambda site: _write(site, "seeds/port-deal-v2.txt", (
        site / "seeds" / "port-deal.txt").read_text(encoding="utf-8") + "\nA correction was printed.\n")
    + _edit(site, "content/sources/port-deal.md", "seed: port-deal.txt", "seed: port-deal-v2.txt")
    + _delete(site, "seeds/port-deal.txt"),
}


def _edit(site: Path, relative: str, old: str, new: str, append: str = "") -> list[Path]:
    path = site / relative
    if old:
        _replace(path, old, new)
    if append:
        _append(path, append)
    return [path]


def _write(site: Path, relative: str, text: str) -> list[Path]:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [path]


def _delete(site: Path, relative: str) -> list[Path]:
    path = site / relative
    path.unlink()
    return [path]


def _cold(site: Path, tmp: Path) -> dict[str, bytes]:
    """The edited site built from scratch: a copy, no cache, a new output folder."""
    clean = tmp / "cold-site"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(CACHE_DIR, "out*"))
    build(clean / "site.yaml", tmp / "cold-out", cache=False)
    assert not (clean / CACHE_DIR).exists()
    return snapshot(tmp / "cold-out")


def _states(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("mode", ["new process", "kept builder"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_an_incremental_build_equals_a_cold_build(tmp_path, edit, mode):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    builder = Builder(site / "site.yaml", out)
    first = builder.rebuild()
    assert first.written == first.files
    before = _states(out)

    changed = EDITS[edit](site)
    if mode == "kept builder":
        report = builder.rebuild(set(changed))
    else:
        builder.close()
        report = build(site / "site.yaml", out)
    builder.close()

    assert snapshot(out) == _cold(site, tmp_path)
    after = _states(out)
    rewritten = {name for name in after if before.get(name) != after[name]}
    assert report.written == len(rewritten)
    pages = {"sources/port-deal/index.html", "sources/port-deal/index.md"}
    site_files = {name for name in rewritten if not name.startswith(BUNDLE + "/")}  # and the search index's
    if edit == "nothing":
        assert rewritten == set()
    elif edit == "annotation commentary":  # only the source's own pages show it
        assert site_files == pages
    elif edit == "annotation note":  # and the data files that hold the notes
        assert site_files == pages | {"data/sources.json", "data/annotations.jsonld"}
    # an event's own page follows its event, and the sources it quotes
    if edit in ("event summary", "annotation title"):
        assert "events/deal-signed/index.html" in site_files
    if edit in ("event title", "event date", "event quote"):
        assert "events/talks/index.html" in site_files
    if edit == "event deleted":
        assert "events/talks/index.html" in before and not (out / "events" / "talks").exists()


def test_a_kept_builder_after_a_series_of_edits_equals_a_cold_build(tmp_path):
    """Each rebuild is told only its own changes: what the builder kept from
    the rebuilds before must still be right after several of them."""
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    builder = Builder(site / "site.yaml", out, search=False)
    builder.rebuild()
    for name in ("annotation note", "seed added", "seed", "annotation given another seed", "seed deleted",
                 "annotation title", "source added", "annotation deleted", "nothing", "actor alias"):
        builder.rebuild(set(EDITS[name](site)))
    builder.search = True
    builder.rebuild(set())
    builder.close()
    assert snapshot(out) == _cold(site, tmp_path)


def test_a_preview_may_leave_the_search_index_for_later(tmp_path):
    """``Builder(search=False)``: the pages are rebuilt, the search index is
    left as it was; the next build with the index catches up."""
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    builder = Builder(site / "site.yaml", out)
    builder.rebuild()
    index = {name: data for name, data in snapshot(out).items() if name.startswith(BUNDLE + "/")}
    builder.search = False
    changed = EDITS["annotation commentary"](site)
    builder.rebuild(set(changed))
    after = snapshot(out)
    assert {name: data for name, data in after.items() if name.startswith(BUNDLE + "/")} == index
    assert b"earliest report" in after["sources/port-deal/index.html"]
    builder.search = True
    builder.rebuild(set())
    builder.close()
    (tmp_path / "b").mkdir()
    assert snapshot(out) == _cold(site, tmp_path / "b")


def test_a_preview_leaves_the_data_files_for_later_with_the_search_index(tmp_path):
    """A note edited in the preview: its page at once; ``data/`` (which holds
    every note) and the index with the catch-up, which gives a cold build."""
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    builder = Builder(site / "site.yaml", out, search=False)
    builder.rebuild()
    data = {name: value for name, value in snapshot(out).items() if name.startswith("data/")}
    report = builder.rebuild(set(EDITS["annotation note"](site)))
    after = snapshot(out)
    assert report.deferred == 2  # data/sources.json and data/annotations.jsonld
    assert {name: value for name, value in after.items() if name.startswith("data/")} == data
    assert after["sources/port-deal/index.html"] != _cold_page(site, tmp_path)
    again = builder.rebuild(set())  # nothing new: still behind, nothing made
    assert again.written == 0
    builder.search = True
    caught_up = builder.rebuild(set())
    assert caught_up.deferred == 0 and caught_up.written > 0
    builder.close()
    assert snapshot(out) == _cold(site, tmp_path)


def _cold_page(site: Path, tmp: Path) -> bytes:
    """The source page of the unedited fixture, to tell that the edit is shown."""
    return snapshot(copy_and_build(tmp))["sources/port-deal/index.html"]


def copy_and_build(tmp: Path) -> Path:
    site = copy_fixture("full", tmp / "unedited")
    build(site / "site.yaml", tmp / "unedited-out", cache=False)
    return tmp / "unedited-out"


def test_a_second_build_with_nothing_changed_writes_nothing(tmp_path):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    first = build(site / "site.yaml", out)
    before = _states(out)
    second = build(site / "site.yaml", out)
    assert second.written == 0 and second.files == first.files
    assert [str(d) for d in second.diagnostics.items] == [str(d) for d in first.diagnostics.items]
    assert _states(out) == before


def test_a_build_with_nothing_changed_reads_no_input_file(tmp_path, monkeypatch):
    """A new process knows the input files by the states (size, times, inode)
    the cache kept of them: with nothing changed it reads none of them."""
    monkeypatch.setattr(inputs_module, "SETTLING_NS", 0, raising=False)  # the fixture was copied just now
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    reads = []
    read = inputs_module.read_bytes
    monkeypatch.setattr(inputs_module, "read_bytes", lambda path: reads.append(path) or read(path))
    assert build(site / "site.yaml", out).written == 0
    assert reads == []


def test_a_build_with_nothing_to_do_loads_neither_templates_nor_markdown(tmp_path):
    """What makes pages is imported by the steps that make them: a build with
    nothing to do (its own process, as ``make site`` runs it) does without."""
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    script = ("import sys; from generator.build import build; "
              f"report = build({str(site / 'site.yaml')!r}, {str(out)!r}); "
              "print(report.written, sorted(m for m in ('jinja2', 'generator.render.views') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.split("\n")[-2] == "0 []"


def test_the_code_key_names_the_versions_the_libraries_report():
    import importlib.metadata

    from generator.incremental.cache import LIBRARIES, library_versions
    assert library_versions(LIBRARIES) == {name: importlib.metadata.version(name) for name in LIBRARIES}


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_built(tmp_path, monkeypatch):
    """A file's state includes its change time, which a write sets and no
    program sets back: an edit of the same length whose modification time
    was put back is still seen."""
    monkeypatch.setattr(inputs_module, "SETTLING_NS", 0, raising=False)
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    path = site / "content" / "sources" / "port-deal.md"
    before = path.stat()
    _replace(path, "took place at **city hall**", "took place at **city HALL**")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert build(site / "site.yaml", out).written > 0
    assert snapshot(out) == _cold(site, tmp_path)


def test_a_folder_added_to_the_output_by_hand_is_a_change(tmp_path):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    expected = snapshot(out)
    (out / "sources" / "empty").mkdir()
    build(site / "site.yaml", out)
    assert not (out / "sources" / "empty").exists()
    assert snapshot(out) == expected


def test_the_output_edited_by_hand_is_rebuilt_whole(tmp_path):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    expected = snapshot(out)
    (out / "timeline" / "index.html").write_text("tampered", encoding="utf-8")
    (out / "sources" / "conseil" / "index.md").unlink()
    build(site / "site.yaml", out)
    assert snapshot(out) == expected
    # A file added by hand is not the generator's to delete: refused, unless forced.
    (out / "timeline" / "index.html").write_text("tampered", encoding="utf-8")
    (out / "stray.txt").write_text("left by hand", encoding="utf-8")
    tampered = snapshot(out)
    with pytest.raises(BuildAborted) as refusal:
        build(site / "site.yaml", out)
    assert "did not write (stray.txt)" in str(refusal.value.diagnostics.errors[0])
    assert snapshot(out) == tampered
    build(site / "site.yaml", out, force=True)
    assert snapshot(out) == expected


def test_a_failed_rebuild_leaves_the_previous_output(tmp_path):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    builder = Builder(site / "site.yaml", out)
    builder.rebuild()
    expected, states = snapshot(out), _states(out)
    changed = _edit(site, "content/sources/port-deal.md", "quote: signed the harbour deal\n", "quote: no such words\n")
    with pytest.raises(BuildAborted) as failure:
        builder.rebuild(set(changed))
    assert any("not found in the article text" in str(d) for d in failure.value.diagnostics.errors)
    assert snapshot(out) == expected and _states(out) == states
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")]
    changed = _edit(site, "content/sources/port-deal.md", "quote: no such words\n", "quote: the harbour deal\n")
    builder.rebuild(set(changed))
    builder.close()
    assert snapshot(out) == _cold(site, tmp_path)


def _cache_file(site: Path) -> Path:
    return site / CACHE_DIR / CACHE_FILE


@pytest.mark.parametrize("damage", ["garbage", "foreign", "entry"])
def test_a_corrupt_or_foreign_cache_is_discarded_with_a_note(tmp_path, damage):
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    build(site / "site.yaml", out)
    expected = snapshot(out)
    path = _cache_file(site)
    if damage == "garbage":
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.write_bytes(b"this is not a database" * 100)
    else:
        db = sqlite3.connect(path)
        if damage == "foreign":
            db.execute("UPDATE meta SET value = ? WHERE name = 'code'", (b"another generator",))
        else:  # flip a byte in every stored value: the checksums no longer match
            db.execute("UPDATE entries SET value = CAST(zeroblob(1) AS BLOB) || substr(value, 2)")
        db.commit()
        db.close()
    _edit(site, "content/events.yaml", "title: First talks", "title: The first talks")
    report = build(site / "site.yaml", out)
    assert any("the build cache was discarded" in note for note in report.notes), report.notes
    assert snapshot(out) == _cold(site, tmp_path)
    assert snapshot(out) != expected
    again = build(site / "site.yaml", out)  # the cache written afresh is used again, silently
    assert again.notes == () and again.written == 0


def test_the_command_line_prints_the_note_and_builds(tmp_path):
    from tests.conftest import run_cli
    site = copy_fixture("full", tmp_path)
    run_cli("build", "--config", str(site / "site.yaml"), check=True)
    _cache_file(site).write_bytes(b"garbage" * 1000)
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert result.returncode == 0, result.stderr
    assert "note: .cache/build.sqlite3: the build cache was discarded" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_cache_writes_no_cache_folder(tmp_path):
    from tests.conftest import run_cli
    site = copy_fixture("full", tmp_path)
    run_cli("build", "--config", str(site / "site.yaml"), "--no-cache", check=True)
    assert not (site / CACHE_DIR).exists()
    assert (site / "public" / "index.html").is_file()


def test_builds_shared_between_processes_equal_one_process_and_the_reference(tmp_path):
    """A corpus large enough for the work to be shared between processes
    (loading and making pages): the same bytes with one process or two, and
    the same files as the plain reference renderer (``build.render``)."""
    from bench.corpus import write_corpus
    site = write_corpus(tmp_path / "corpus", 60)
    one = build(site / "site.yaml", tmp_path / "one", cache=False, jobs=1)
    two = build(site / "site.yaml", tmp_path / "two", cache=False, jobs=2)
    assert one.files == two.files > 500
    got = snapshot(tmp_path / "two")
    assert snapshot(tmp_path / "one") == got
    diagnostics = Diagnostics()
    _, model = load(site / "site.yaml", diagnostics)
    assert render(model, diagnostics) == _without_search(got)


def test_the_reference_renderer_and_the_incremental_plan_make_the_same_files(full_site, tmp_path):
    """``build.render`` (every view, in memory) stays the definition of the
    site; the planned build must make exactly its files."""
    diagnostics = Diagnostics()
    _, model = load(full_site / "site.yaml", diagnostics)
    build(full_site / "site.yaml", tmp_path / "out", cache=False)
    got = snapshot(tmp_path / "out")
    assert any(name.startswith(BUNDLE + "/") for name in got)  # and the search index of those pages
    assert _without_search(got) == render(model, diagnostics)


def _without_search(files: dict[str, bytes]) -> dict[str, bytes]:
    """The site's files: not the search index, nor the output folder's manifest."""
    return {name: data for name, data in files.items() if not name.startswith(BUNDLE + "/") and name != MARKER}


def test_an_input_that_appears_between_its_stat_and_its_read_is_read_without_a_state(tmp_path, monkeypatch):
    """An editor that saves by deleting and writing the file again can make
    it missing when its state is taken and present when it is read: its
    digest is that of the bytes read, and no state is kept for it."""
    path = tmp_path / "note.md"
    stat, created = os.stat, []

    def stat_then_create(target, *args, **kwargs):
        try:
            return stat(target, *args, **kwargs)
        finally:
            if str(target) == str(path) and not created:
                created.append(True)
                path.write_bytes(b"written meanwhile")

    monkeypatch.setattr(inputs_module.os, "stat", stat_then_create)
    inputs = inputs_module.Inputs()
    inputs.use_states({})
    inputs.forget()
    assert inputs.digest(path) == inputs_module.digest(b"written meanwhile")
    assert str(path) not in inputs.states
