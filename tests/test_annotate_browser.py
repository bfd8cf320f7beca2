"""Annotating from the preview, in Chromium against the real ``serve``.

Each test starts ``python -m generator serve`` on a free port of 127.0.0.1
over a copy of the full fixture, selects words of a source page as a
reader does, and checks what the page shows and what the file holds.
"""

from __future__ import annotations

import http.client
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from test_serve import TIMEOUT, ServeProcess, free_port, wait_until

SHOTS = ROOT / "test-artifacts" / "screenshots"
PAGE = "/repo/sources/port-deal/"


@pytest.fixture
def server(full_site: Path):
    started = ServeProcess(full_site, free_port())
    try:
        started.wait_for_line(r"^serving http://127\.0\.0\.1:\d+/repo/")
        yield started
    finally:
        started.stop()


def open_page(browser, server: ServeProcess):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=f"http://127.0.0.1:{server.port}")
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
    connected(page)
    return page


def connected(page) -> None:
    """Wait for the page's live-reload socket: a write made before would reload nothing."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7",
                           timeout=TIMEOUT * 1000)


def select(page, paragraph: int, words: str, occurrence: int = 0, end_paragraph: int | None = None,
           end_words: str | None = None) -> None:
    """Select ``words`` in paragraph ``paragraph`` (through the marks inside
    it), or from there to the end of ``end_words`` in ``end_paragraph``."""
    page.evaluate("""([p, words, n, q, endWords]) => {
        function point(para, text, nth, atEnd) {
            const nodes = []; const w = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
            for (let t = w.nextNode(); t; t = w.nextNode()) nodes.push(t);
            const all = nodes.map(t => t.data).join("");
            let at = -1; for (let i = 0; i <= nth; i++) at = all.indexOf(text, at + 1);
            if (at < 0) throw new Error("not found: " + text);
            let pos = atEnd ? at + text.length : at;
            for (const t of nodes) { if (pos <= t.data.length && !(atEnd === false && pos === t.data.length)) return [t, pos]; pos -= t.data.length; }
        }
        const a = document.getElementById("p-" + p), b = document.getElementById("p-" + q);
        const [s, so] = point(a, words, n, false);
        const [e, eo] = point(b, endWords, q === p ? n : 0, true);
        const r = document.createRange(); r.setStart(s, so); r.setEnd(e, eo);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }""", [paragraph, words, occurrence, end_paragraph or paragraph, end_words or words])
    page.locator(".annotate-open").wait_for(state="visible", timeout=TIMEOUT * 1000)


def test_a_correction_is_written_and_shown_on_its_passage_after_the_reload(browser, server, full_site: Path):
    annotation = full_site / "content" / "sources" / "port-deal.md"
    before = annotation.read_bytes()
    page = open_page(browser, server)
    try:
        # "The mayor" is twice in the article: the second one, the end of paragraph 3, inside a mention and an evidence mark.
        select(page, 3, "The mayor")
        page.locator(".annotate-open").click()
        panel = page.get_by_role("dialog", name="Annotate")
        panel.get_by_label("Correction").check()
        panel.get_by_label("Text of the note (Markdown)").fill("Which mayor? # not a comment")
        panel.get_by_label("Should read").fill("Mayor Ruiz")
        page.locator("#annotate-yaml").filter(has_text="should_read: Mayor Ruiz").wait_for(timeout=TIMEOUT * 1000)
        yaml_shown = page.locator("#annotate-yaml").inner_text()
        assert "quote: The mayor\n" in yaml_shown and "prefix: '2026.'" in yaml_shown
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "annotate-panel.png"))
        panel.get_by_role("button", name="Add to the file").click()
        # The page reloads by itself, scrolled to the new correction, on the passage selected.
        mark = page.locator("mark#note-4.note-mark--correction")
        mark.wait_for(timeout=TIMEOUT * 1000)
        assert mark.inner_text() == "The mayor"
        assert page.locator("#p-3").locator("mark#note-4").count() == 1
        assert "annotate-new" in mark.get_attribute("class")
        assert page.locator("#note-4-text").inner_text().count("Mayor Ruiz") == 1
        page.screenshot(path=str(SHOTS / "annotate-after-reload.png"))
    finally:
        page.context.close()
    after = annotation.read_bytes()
    inserted = (b"  - quote: The mayor\n    prefix: '2026.'\n    kind: correction\n    should_read: Mayor Ruiz\n"
                b"    body: 'Which mayor? # not a comment'\n")
    assert after == before.replace(b"---\nThis article", inserted + b"---\nThis article")


def test_evidence_for_an_existing_and_a_new_event(browser, server, full_site: Path):
    events = full_site / "content" / "events.yaml"
    original = events.read_bytes()
    page = open_page(browser, server)
    try:
        select(page, 1, "Ana Ruiz")
        page.locator(".annotate-open").click()
        panel = page.get_by_role("dialog", name="Annotate")
        panel.get_by_label("Evidence for an event").check()
        panel.get_by_label("Event", exact=True).select_option("talks")
        page.locator("#annotate-yaml").filter(has_text="source: port-deal").wait_for(timeout=TIMEOUT * 1000)
        panel.get_by_role("button", name="Add to the file").click()
        page.locator("mark#ev-talks-2").wait_for(timeout=TIMEOUT * 1000)
        connected(page)
        first = events.read_bytes()
        assert first == original.replace(b"      quote: Critics said\n",
                                         b"      quote: Critics said\n    - source: port-deal\n      quote: Ana Ruiz\n")

        # Across two paragraphs (a quote may run across them), for a new event.
        select(page, 2, "Ruiz denied", end_paragraph=3, end_words="Blue Ocean said")
        page.locator(".annotate-open").click()
        panel.get_by_label("Evidence for an event").check()
        panel.get_by_label("Event", exact=True).select_option("")
        panel.get_by_label("Date (YYYY, YYYY-MM or YYYY-MM-DD; ~ if approximate)").fill("~2024-03")
        panel.get_by_label("Title of the event").fill("Ruiz denies the cost")
        page.locator("#annotate-yaml").filter(has_text="id: ruiz-denies-the-cost").wait_for(timeout=TIMEOUT * 1000)
        page.screenshot(path=str(SHOTS / "annotate-new-event.png"))
        panel.get_by_role("button", name="Add to the file").click()
        page.locator("mark#ev-ruiz-denies-the-cost").first.wait_for(timeout=TIMEOUT * 1000)
        assert events.read_bytes() == first + (
            b"- id: ruiz-denies-the-cost\n  date: ~2024-03\n  title: Ruiz denies the cost\n  evidence:\n"
            b"    - source: port-deal\n      quote: 'Ruiz denied it: \"nothing of the sort\". Blue Ocean said'\n")
    finally:
        page.context.close()


def test_a_file_changed_since_the_page_was_shown_is_refused(browser, server, full_site: Path):
    annotation = full_site / "content" / "sources" / "port-deal.md"
    page = open_page(browser, server)
    try:
        select(page, 1, "on Monday")
        page.locator(".annotate-open").click()
        panel = page.get_by_role("dialog", name="Annotate")
        panel.get_by_label("Text of the note (Markdown)").fill("Which Monday?")
        page.locator("#annotate-yaml").filter(has_text="Which Monday?").wait_for(timeout=TIMEOUT * 1000)
        # Meanwhile, in the editor: a comment added (the page is not reloaded here).
        page.evaluate("() => { window.LiveReload.connector.disconnect(); }")
        edited = annotation.read_bytes() + b"Edited elsewhere.\n"
        annotation.write_bytes(edited)
        panel.get_by_role("button", name="Add to the file").click()
        page.locator("#annotate-status").filter(has_text="changed on disk").wait_for(timeout=TIMEOUT * 1000)
        assert annotation.read_bytes() == edited
    finally:
        page.context.close()


def test_copy_yaml_gives_the_snippet_and_writes_nothing(browser, server, full_site: Path):
    before = {p: p.read_bytes() for p in (full_site / "content").rglob("*") if p.is_file()}
    page = open_page(browser, server)
    try:
        select(page, 1, "harbour deal")
        page.locator(".annotate-open").click()
        panel = page.get_by_role("dialog", name="Annotate")
        panel.get_by_label("Claim").check()
        panel.get_by_label("Text of the note (Markdown)").fill("Is it a harbour?")
        page.locator("#annotate-yaml").filter(has_text="Is it a harbour?").wait_for(timeout=TIMEOUT * 1000)
        panel.get_by_role("button", name="Copy YAML").click()
        page.locator("#annotate-status").filter(has_text="Copied.").wait_for(timeout=TIMEOUT * 1000)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == "  - quote: harbour deal\n    kind: claim\n    body: Is it a harbour?\n"
        # Escape closes the panel and gives the focus back to the article.
        page.keyboard.press("Escape")
        assert page.get_by_role("dialog", name="Annotate").is_hidden()
    finally:
        page.context.close()
    assert {p: p.read_bytes() for p in (full_site / "content").rglob("*") if p.is_file()} == before


def post(port: int, path: str, headers: dict[str, str], body: bytes | None, method: str = "POST") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_write_endpoint_answers_only_the_preview_s_own_page(server, full_site: Path):
    status, _, page = server.request(PAGE)
    token = re.search(r'"token": "([^"]+)"', page).group(1)
    origin, host = f"http://127.0.0.1:{server.port}", f"127.0.0.1:{server.port}"
    annotation = full_site / "content" / "sources" / "port-deal.md"
    body = json.dumps({"slug": "port-deal", "digest": re.search(r'"digest": "([0-9a-f]+)"', page).group(1),
                       "start": [1, 0], "end": [1, 9], "text": "The mayor", "kind": "note", "body": "x"}).encode()
    good = {"Host": host, "Origin": origin, "X-Annotate-Token": token, "Content-Type": "application/json"}
    before = annotation.read_bytes()
    refused = [
        {**good, "Origin": "http://evil.example"},
        {**good, "Origin": f"http://localhost.evil.example:{server.port}"},
        {**good, "Host": f"evil.example:{server.port}"},
        {key: value for key, value in good.items() if key != "Origin"},
        {key: value for key, value in good.items() if key != "X-Annotate-Token"},
        {**good, "X-Annotate-Token": token[:-1] + ("a" if token[-1] != "a" else "b")},
    ]
    for headers in refused:
        assert post(server.port, "/__annotate/write", headers, body) == 403, headers
    assert annotation.read_bytes() == before
    assert post(server.port, "/__annotate/write", good, None, "GET") == 405  # POST only
    assert post(server.port, "/__annotate/write", good, b"x" * (70 * 1024)) == 413
    assert post(server.port, "/__annotate/write", {**good, "Content-Type": "text/plain"}, body) == 415
    assert post(server.port, "/__annotate/write", good, json.dumps({**json.loads(body), "slug": "nope"}).encode()) == 404
    assert annotation.read_bytes() == before
    assert post(server.port, "/__annotate/write", good, body) == 200
    assert annotation.read_bytes() != before
    wait_until(lambda: "refused (403)" in server.output, "the refusals in the terminal")


def test_the_panel_speaks_french_and_works_from_the_keyboard(browser, full_site: Path):
    config = full_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    started = ServeProcess(full_site, free_port())
    try:
        started.wait_for_line(r"^serving http://127\.0\.0\.1:\d+/repo/")
        page = open_page(browser, started)
        select(page, 2, "the deal would")
        button = page.get_by_role("button", name="Annoter la sélection")
        SHOTS.mkdir(parents=True, exist_ok=True)
        button.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "annotate-button-fr.png"))
        button.focus()
        page.keyboard.press("Enter")
        panel = page.get_by_role("dialog", name="Annoter")
        assert panel.is_visible()
        assert page.evaluate("() => document.activeElement.name") == "kind"
        page.keyboard.press("Tab")
        page.keyboard.type("Une note.")
        page.locator("#annotate-yaml").filter(has_text="body: Une note.").wait_for(timeout=TIMEOUT * 1000)
        assert panel.get_by_label("Texte de la note (Markdown)").input_value() == "Une note."
        page.screenshot(path=str(SHOTS / "annotate-panel-fr.png"))
        page.keyboard.press("Escape")
        assert panel.is_hidden()
        assert page.evaluate("() => document.activeElement.id") == "p-2"
        page.context.close()
    finally:
        started.stop()
