"""Annotating from the preview, without a browser: the quote, its
prefix/suffix, and the YAML inserted as text into annotations and events.yaml."""

from __future__ import annotations

import pytest

from generator.annotate.edit import digest, evidence_change, note_change, write
from generator.annotate.quote import Point, SelectionError, choose_quote, unique_context
from generator.annotate.snippet import event_item, evidence_item, note_item, scalar
from generator.annotate.yamltext import EditRefused
from generator.content.seedtext import find_places, split_paragraphs
from conftest import run_cli

ARTICLE = split_paragraphs("The mayor of Portvale spoke.\nCritics said « no »  to the mayor.\nThe mayor agreed.\n")
NOTE = note_item("signed", "", "", "note", "A note.", "")


def test_the_quote_is_the_normalised_text_between_the_points_and_a_prefix_makes_it_unique():
    second = ARTICLE.paragraphs[1].text
    at = second.index("mayor")  # also in paragraphs 1 and 3, after "The": case matters
    chosen = choose_quote(ARTICLE, Point(2, at), Point(2, at + 5), "mayor")
    assert (chosen.quote, chosen.prefix, chosen.suffix) == ("mayor", "", ".")
    # Guillemets and the double space are normalised as the loader does.
    start = second.index("said")
    chosen = choose_quote(ARTICLE, Point(2, start), Point(2, second.index("to")), "said « no »  ")
    assert chosen.quote == 'said "no"'
    # Across a paragraph break (a quote may run across paragraphs).
    chosen = choose_quote(ARTICLE, Point(2, second.index("mayor.")), Point(3, 3), "mayor.\nThe")
    assert chosen.quote == "mayor. The" and find_places(ARTICLE.norm.text, chosen.quote) == [chosen.start]


def test_the_shortest_context_is_chosen_and_words_repeated_with_their_context_are_refused():
    text = "a b x c d x c e"
    assert unique_context(text, text.index("b x"), text.index("b x") + 3) == ("", "")
    first = text.index("x")
    assert unique_context(text, first, first + 1) == ("b", "")
    last = text.rindex("x")
    assert unique_context(text, last, last + 1) == ("d", "")
    assert unique_context("ab ab", 3, 5) == ("ab", "")
    assert unique_context("same same", 0, 4) == ("", "same")
    words = " ".join(f"w{i}" for i in range(45))  # more words of the same context than are tried
    text = f"{words} Q {words} Q {words}"
    with pytest.raises(SelectionError, match="occur 2 times"):
        unique_context(text, text.index("Q"), text.index("Q") + 1)


def test_a_selection_that_is_not_the_article_on_disk_is_refused():
    with pytest.raises(SelectionError, match="reload the page"):
        choose_quote(ARTICLE, Point(1, 0), Point(1, 9), "The mayer")
    with pytest.raises(SelectionError, match="not in the article"):
        choose_quote(ARTICLE, Point(9, 0), Point(9, 1), "x")
    with pytest.raises(SelectionError, match="select some words"):
        choose_quote(ARTICLE, Point(1, 4), Point(1, 4), "")


def test_scalars_are_written_plainly_where_they_read_back_as_the_same_text():
    assert scalar("plain words", 4) == "plain words"
    assert scalar("yes", 4) == "'yes'"
    assert scalar("a: b # c", 4) == "'a: b # c'"
    assert scalar("it's", 4) == "it's"
    assert scalar("two\nlines", 4) == "|-\n    two\n    lines"
    assert scalar(" lead\nx", 4).startswith('"')
    assert scalar("2024", 4, date=True) == "'2024'" and scalar("2024-03", 4, date=True) == "2024-03"


FRONT = """---
seed: a.txt   # the seed
title: T
notes:
  # first, the important one
  - quote: one
    body: |
      Line.

  - quote: two  # trailing comment
    body: B
# end of notes
tags: [x]
---
Body text.
"""


def change(text: str, note=NOTE) -> str:
    return note_change(None, "a.md", text.encode(), note, []).after.decode()


def test_a_note_is_inserted_after_the_last_one_with_every_other_byte_unchanged():
    after = change(FRONT)
    inserted = "  - quote: signed\n    body: A note.\n"
    assert after == FRONT.replace("    body: B\n", "    body: B\n" + inserted)


def test_crlf_files_keep_their_line_breaks():
    crlf = FRONT.replace("\n", "\r\n")
    after = change(crlf)
    assert after == crlf.replace("    body: B\r\n", "    body: B\r\n  - quote: signed\r\n    body: A note.\r\n")


def test_a_missing_notes_key_is_added_and_an_empty_one_filled():
    text = "---\nseed: a.txt\ntitle: T\n# publisher: x\n---\nBody.\n"
    assert change(text) == text.replace("title: T\n", "title: T\nnotes:\n  - quote: signed\n    body: A note.\n")
    for empty in ("notes:", "notes: ~", "notes: null  # none yet"):
        text = f"---\nseed: a.txt\n{empty}\ntitle: T\n---\n"
        after = change(text)
        assert "  - quote: signed\n    body: A note.\ntitle: T\n" in after and after.startswith("---\nseed: a.txt\nnotes:")


def test_flow_style_lists_are_extended_in_flow_style():
    text = "---\nseed: a.txt\ntitle: T\nnotes: [{quote: one, body: B}]  # flow\n---\n"
    assert change(text) == text.replace("B}]", 'B}, {quote: "signed", body: "A note."}]')
    text = "---\nseed: a.txt\ntitle: T\nnotes: []\n---\n"
    assert change(text) == text.replace("[]", '[{quote: "signed", body: "A note."}]')


def test_an_annotation_is_created_with_the_seed_and_its_title():
    made = note_change(None, "a.md", None, NOTE, [("seed", "a.txt"), ("title", "A: title"), ("seed_sha256", "ab")])
    assert made.after.decode() == ("---\nseed: a.txt\ntitle: 'A: title'\nseed_sha256: ab\nnotes:\n"
                                   "  - quote: signed\n    body: A note.\n---\n")


def test_an_edit_that_would_change_other_data_is_refused():
    # An alias: the marks of the repeated list point at its anchor, so the
    # text edit lands inside the anchored list, which changes both places.
    text = "---\nseed: a.txt\ntitle: T\nx-old: &n\n  - quote: one\n    body: B\nnotes: *n\n---\n"
    with pytest.raises(EditRefused, match="could not be added"):
        change(text)
    with pytest.raises(EditRefused, match="not a list"):
        change("---\nseed: a.txt\nnotes: text\n---\n")


EVENTS = """# The timeline
- id: one   # first
  date: 2024-03-04
  title: One
  evidence:
  - source: s
    quote: q
- {id: two, date: 2024, title: Two, evidence: [{url: 'https://x.example', title: X}]}
"""


def test_evidence_goes_into_the_event_in_its_own_style_and_a_new_event_at_the_end():
    item = evidence_item("port-deal", "the quote", "pre", "")
    after = evidence_change(None, "events.yaml", EVENTS.encode(), "one", item).after.decode()
    assert after == EVENTS.replace("    quote: q\n", "    quote: q\n  - source: port-deal\n    quote: the quote\n    prefix: pre\n")
    after = evidence_change(None, "events.yaml", EVENTS.encode(), "two", item).after.decode()
    assert after == EVENTS.replace("title: X}]", 'title: X}, {source: "port-deal", quote: "the quote", prefix: "pre"}]')
    new = event_item("three", "~2024-03", "Three", item)
    after = evidence_change(None, "events.yaml", EVENTS.encode(), None, new).after.decode()
    assert after == EVENTS + ("- id: three\n  date: ~2024-03\n  title: Three\n  evidence:\n"
                              "    - source: port-deal\n      quote: the quote\n      prefix: pre\n")
    made = evidence_change(None, "events.yaml", None, None, new).after.decode()
    assert made.startswith("- id: three\n")
    with pytest.raises(EditRefused, match="not in the file"):
        evidence_change(None, "events.yaml", EVENTS.encode(), "four", item)


def test_write_refuses_a_file_changed_since_the_page_was_shown(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(FRONT.encode())
    made = note_change(path, "a.md", FRONT.encode(), NOTE, [])
    shown = digest(FRONT.encode())
    path.write_bytes(FRONT.encode() + b"more\n")
    with pytest.raises(EditRefused, match="changed on disk"):
        write(made, shown)
    assert path.read_bytes() == FRONT.encode() + b"more\n"
    path.write_bytes(FRONT.encode())
    write(made, shown)
    assert path.read_bytes() == made.after and sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_a_published_build_has_nothing_of_the_annotation_panel(full_site, tmp_path):
    out = tmp_path / "out"
    run_cli("build", "--config", str(full_site / "site.yaml"), "--out", str(out), check=True)
    for page in out.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".js", ".css", ".md", ".json", ".xml"):
            text = page.read_text(encoding="utf-8", errors="replace")
            for trace in ("annotate-settings", "/__annotate/", "annotate.js", "annotate.css", "annotate-panel"):
                assert trace not in text, page


def test_requests_are_checked_field_by_field():
    import json
    from generator.annotate.annotator import Refused
    from generator.annotate.handler import parse_request
    good = {"slug": "port-deal", "digest": "x", "start": [1, 0], "end": [1, 3], "text": "The", "kind": "note", "body": "b"}
    assert parse_request("application/json", json.dumps(good).encode()).kind == "note"
    for change, status in (({"slug": "../etc"}, 400), ({"kind": "script"}, 400), ({"start": [1, -1]}, 400),
                           ({"start": [True, 0]}, 400), ({"body": ["x"]}, 400), ({"body": "a\x1bb"}, 422),
                           ({"kind": "evidence", "event": "", "date": "2024-13", "title": "T"}, 422),
                           ({"kind": "evidence", "event": "", "date": "2024", "title": ""}, 422)):
        with pytest.raises(Refused) as refused:
            parse_request("application/json", json.dumps({**good, **change}).encode())
        assert refused.value.status == status, change
    with pytest.raises(Refused):
        parse_request("text/plain", json.dumps(good).encode())
