"""Margin notes stand beside their own paragraph, at every width.

Measured in Chromium (Playwright) on the built pages served over HTTP on
127.0.0.1: on the fixture site and on this repository's corpus, every note
and "cited by" line of every source page starts within the box of the
paragraph it belongs to on a desktop screen (1280 px), to the right of its
text, and comes right after that paragraph, before the next one, on a phone
(390 px) and on a narrow window (900 px).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_fixture, run_cli, serve_directory

SHOTS = ROOT / "test-artifacts" / "screenshots"

# Each aside of the article with the paragraph before it, and the one after
# it: (its paragraph's id, that paragraph's box, the next paragraph's top,
# every note of the aside as (its id or text, its box)).
MEASURE = """() => Array.from(document.querySelectorAll('.article__text > aside.notes')).map(aside => {
  let para = aside.previousElementSibling;
  while (para && !para.matches('p.para')) para = para.previousElementSibling;
  let next = aside.nextElementSibling;
  while (next && !next.matches('p.para')) next = next.nextElementSibling;
  const box = e => { const r = e.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; };
  return {para: para ? para.id : null, box: para ? box(para) : null,
          textRight: para ? Math.max(...Array.from(para.getClientRects()).map(r => r.right)) : null,
          next: next ? box(next).top : null,
          notes: Array.from(aside.children).map(n => ({name: n.id || n.textContent.slice(0, 40), box: box(n)}))};
})"""


def _build(config: Path, out: Path) -> Path:
    run_cli("build", "--no-cache", "--config", str(config), "--out", str(out / "repo"),
            "--base-url", "https://example.org/repo/", check=True)
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The fixture and the project's corpus, each built under /repo/: name -> (folder served, source pages)."""
    work = tmp_path_factory.mktemp("notes")
    fixture = copy_fixture("full", work)
    built = {"fixture": _build(fixture / "site.yaml", work / "fixture"),
             "corpus": _build(ROOT / "site.yaml", work / "corpus")}
    return {name: (folder, sorted(p.parent.name for p in (folder / "repo" / "sources").glob("*/index.html")))
            for name, folder in built.items()}


def _measure(browser, folder: Path, slugs: list[str], width: int, shot: str) -> dict[str, list[dict]]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    with serve_directory(folder) as url:
        for slug in slugs:
            page.goto(f"{url}repo/sources/{slug}/")
            found[slug] = page.evaluate(MEASURE)
        # a picture of the page with the most notes, from its first note
        page.goto(f"{url}repo/sources/{max(slugs, key=lambda s: len(found[s]))}/")
        page.evaluate("document.querySelector('aside.notes').previousElementSibling.scrollIntoView()")
        page.screenshot(path=str(SHOTS / f"{shot}-{width}.png"))
    context.close()
    return found


@pytest.mark.parametrize("name", ["fixture", "corpus"])
def test_at_desktop_width_every_note_starts_beside_its_own_paragraph(browser, sites, name):
    folder, slugs = sites[name]
    SHOTS.mkdir(parents=True, exist_ok=True)
    measured = _measure(browser, folder, slugs, 1280, f"notes-{name}")
    count = 0
    for slug, asides in measured.items():
        for aside in asides:
            assert aside["para"], (slug, "an aside with no paragraph before it")
            para = aside["box"]
            for note in aside["notes"]:
                where = (name, slug, aside["para"], note["name"])
                box = note["box"]
                assert para["top"] - 1 <= box["top"] < para["bottom"], (where, box, para)
                assert box["left"] >= aside["textRight"], (where, "overlaps its paragraph's text")
                if aside["next"] is not None:
                    assert box["top"] < aside["next"], (where, "starts beside the next paragraph")
                count += 1
    assert count >= (3 if name == "fixture" else 20), count


@pytest.mark.parametrize("width", [390, 900])
@pytest.mark.parametrize("name", ["fixture", "corpus"])
def test_on_a_phone_every_note_follows_its_paragraph(browser, sites, name, width):
    folder, slugs = sites[name]
    SHOTS.mkdir(parents=True, exist_ok=True)
    measured = _measure(browser, folder, slugs, width, f"notes-{name}")
    count = 0
    for slug, asides in measured.items():
        for aside in asides:
            para = aside["box"]
            for note in aside["notes"]:
                where = (name, slug, aside["para"], note["name"])
                box = note["box"]
                assert box["top"] >= para["bottom"] - 1, (where, box, para)
                if aside["next"] is not None:
                    assert box["bottom"] <= aside["next"] + 1, (where, "runs into the next paragraph")
                count += 1
    assert count
