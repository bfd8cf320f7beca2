"""The passages on actor pages: a bounded window of text around each mention.

A passage is the sentence holding a mention, cut at ``CONTEXT`` characters
each side (between words, with an ellipsis) when the sentence is longer;
the mentions of a paragraph whose windows touch are one passage. Each links
to its paragraph on the source page, where the whole text is. The unit
tests read ``render/passages.py``; the last one a built site.
"""

from __future__ import annotations

import html
import re
from collections import namedtuple
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from generator.build import build
from generator.content.config import load_config
from generator.content.load import load_site
from generator.errors import Diagnostics
from generator.render.passages import CONTEXT, MERGED, passage_html, passages, window
from generator.render.tags import Wrap

MARK = Wrap("<mark>", "</mark>")
Mention = namedtuple("Mention", "paragraph start end")


def words(count: int, word: str = "lorem") -> str:
    return " ".join(f"{word}{n}" for n in range(count))


def shown(text: str, found) -> list[str]:
    """The HTML of each passage of ``text`` (a paragraph's, the only one)."""
    return [passage_html(text, p, MARK) for p in found]


def mentions_of(text: str, name: str, paragraph: int = 1) -> list[Mention]:
    return [Mention(paragraph, m.start(), m.end()) for m in re.finditer(re.escape(name), text)]


def test_a_long_paragraph_gives_a_bounded_window_holding_the_mention():
    text = f"{words(300)} Alice Example {words(300, 'ipsum')}"  # one sentence of some 4,000 characters
    [passage] = passages(mentions_of(text, "Alice Example"), lambda n: text)
    assert passage.cut_before and passage.cut_after
    assert passage.end - passage.start <= 2 * CONTEXT + len("Alice Example")
    [made] = shown(text, [passage])
    assert made.startswith("… ") and made.endswith(" …")
    assert "<mark>Alice Example</mark>" in made
    inner = made[2:-2].replace("<mark>", "").replace("</mark>", "")
    assert inner in text and not inner.startswith(" ") and not inner.endswith(" ")  # cut between words
    assert inner.split()[0] in text.split() and inner.split()[-1] in text.split()


def test_a_script_without_spaces_is_cut_at_the_bound_not_at_the_mention():
    text = "中" * 300 + "爱丽丝" + "文" * 300  # no space, no sentence mark
    [passage] = passages(mentions_of(text, "爱丽丝"), lambda n: text)
    assert passage.end - passage.start == 2 * CONTEXT + 3 and passage.cut_before and passage.cut_after
    text = "前。" + "中" * 20 + "爱丽丝" + "文" * 20 + "。后"
    assert shown(text, passages(mentions_of(text, "爱丽丝"), lambda n: text)) == ["中" * 20 + "<mark>爱丽丝</mark>" + "文" * 20 + "。"]


def test_the_window_is_the_sentence_holding_the_mention():
    text = "First sentence here. Then Alice Example signed the deal on Monday. A third one follows."
    [passage] = passages(mentions_of(text, "Alice Example"), lambda n: text)
    assert shown(text, [passage]) == ["Then <mark>Alice Example</mark> signed the deal on Monday."]
    # a mark that is not followed by a capital (an abbreviation, a number) does not end a sentence
    text = "Before it. Report no. 12 named Alice Example in it; see p. 4 of it. After."
    assert shown(text, passages(mentions_of(text, "Alice Example"), lambda n: text)) == [
        "Report no. 12 named <mark>Alice Example</mark> in it; see p. 4 of it."]


def test_mentions_of_a_paragraph_share_a_passage_while_their_windows_touch():
    text = f"Alice met Bob at noon. Then Alice left. Later {words(120)} and at last Alice came back. End."
    found = passages(mentions_of(text, "Alice"), lambda n: text)
    assert [len(p.marks) for p in found] == [2, 1]  # the two adjacent sentences, then the far one
    first, last = shown(text, found)
    assert first == "<mark>Alice</mark> met Bob at noon. Then <mark>Alice</mark> left."
    assert "<mark>Alice</mark> came back." in last and last.startswith("… ")
    # a passage of several mentions stays bounded: a new one starts past MERGED characters
    text = ". ".join(f"Alice {words(8)}" for _ in range(40)) + "."
    found = passages(mentions_of(text, "Alice"), lambda n: text)
    assert sum(len(p.marks) for p in found) == 40 and len(found) > 1
    assert all(p.end - p.start <= MERGED for p in found)
    # two paragraphs never share a passage
    found = passages([Mention(1, 0, 5), Mention(2, 0, 5)], lambda n: "Alice said so.")
    assert [p.paragraph for p in found] == [1, 2]


def test_the_text_is_escaped_and_the_published_span_kept():
    text = "<script>alert(1)</script> & Alice Example said <b>this</b>."
    [made] = shown(text, passages(mentions_of(text, "Alice Example"), lambda n: text))
    assert "<script>" not in made and "<b>" not in made
    assert html.unescape(made.replace("<mark>", "").replace("</mark>", "")) == text
    # publish_text: excerpts: the window stays inside the published span, cut there with an ellipsis
    text = f"{words(20)} Alice Example {words(20)}"
    start = text.index("Alice")
    span = (start - 13, start + 30)
    passage = window(text, start, start + len("Alice Example"), span)
    assert span[0] <= passage.start and passage.end <= span[1] and passage.cut_before and passage.cut_after
    assert passages(mentions_of(text, "Alice Example"), lambda n: text, lambda m: None) == []


@pytest.fixture(scope="module")
def built_corpus(tmp_path_factory) -> tuple[Path, object]:
    tmp = tmp_path_factory.mktemp("passages")
    site = write_corpus(tmp / "site", 12)
    build(site / "site.yaml", tmp / "out", cache=False)
    diagnostics = Diagnostics()
    return tmp / "out", load_site(load_config(site / "site.yaml", diagnostics), diagnostics)


PASSAGE = re.compile(r'<li><a href="/bench/sources/([^/]+)/#p-(\d+)">§\2</a> <q>(.*?)</q></li>')


def test_each_passage_is_a_window_of_the_paragraph_it_links_to(built_corpus):
    out, site = built_corpus
    sources = {s.slug: s for s in site.sources}
    checked = 0
    for page in sorted((out / "actors").glob("*/index.html")) + sorted((out / "actors").glob("*/passages/*/index.html")):
        last = None
        for slug, number, made in PASSAGE.findall(page.read_text(encoding="utf-8")):
            text = sources[slug].article.paragraphs[int(number) - 1].text
            plain = html.unescape(re.sub(r"</?mark>", "", made)).removeprefix("… ").removesuffix(" …")
            assert plain in text, (page, slug, number)
            assert len(plain) <= MERGED and "<mark>" in made
            start = text.index(plain)
            if last and last[:2] == (slug, number):  # passages of one paragraph never overlap
                assert start >= last[2], (page, slug, number)
            last = (slug, number, start + len(plain))
            checked += 1
    assert checked > 50
