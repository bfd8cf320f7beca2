"""``publish_text: excerpts``: only cited passages, with bounded context, are
published anywhere in the output; quotes are still checked against the
whole seed; the site still crawls clean under its prefix."""

from __future__ import annotations

import re
from pathlib import Path

from generator.render.excerpts import CONTEXT, text_fragment_url
from tests.conftest import run_cli, write_site
from tests.test_prefix_crawl import assert_clean, crawl_site

FILLER_BEFORE = " ".join(f"before{i}" for i in range(60))  # ~500 characters
FILLER_AFTER = " ".join(f"after{i}" for i in range(60))
SEED = (
    "Headline of the story\n\n"
    f"FARSTART {FILLER_BEFORE} Alice signed the deal on Monday {FILLER_AFTER} FAREND\n\n"
    "Alice spoke of SECRETWORD to nobody.\n\n"
    "The council voted NOTEDWORD against it.\n"
)
FILES = {
    "site.yaml": "title: Excerpt site\nbase_url: https://example.org/repo/\npublish_text: excerpts\n",
    "seeds/one.txt": SEED,
    "content/sources/one.md": ("---\nseed: one.txt\ntitle: One\nurl: https://news.example/one\npublished: 2024-01-02\n"
                               "notes:\n  - quote: voted NOTEDWORD against\n    body: A note.\n---\nCommentary.\n"),
    "content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n",
    "content/events.yaml": ("- id: signed\n  date: 2024-01\n  title: Signed\n  actors: [alice]\n  evidence:\n"
                            "    - source: one\n      quote: Alice signed the deal on Monday\n"),
}


def build(tmp_path: Path, files: dict) -> Path:
    site = write_site(tmp_path / "site", files, base=FILES)
    out = tmp_path / "out" / "repo"
    result = run_cli("build", "--strict", "--config", str(site / "site.yaml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def every_file(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_only_cited_passages_are_published(tmp_path):
    out = build(tmp_path, {})
    files = every_file(out)
    for word in ("SECRETWORD", "FARSTART", "FAREND", "before5 ", "after55", "Headline of the story"):
        leaks = [name for name, data in files.items() if word.encode() in data]
        assert not leaks, f"{word!r} is published in {leaks}"
    page = files["sources/one/index.html"].decode("utf-8")
    assert "Alice signed the deal on Monday" in text_of(page)
    assert "NOTEDWORD" in page  # a note's passage is published too
    assert "before59 " in page and " after0" in page  # context around the passage
    assert "Excerpts" in page and 'href="https://news.example/one"' in page
    assert 'id="ev-signed"' in page and 'id="note-1"' in page and 'id="p-2"' in page and 'id="p-3"' not in page
    markdown = files["sources/one/index.md"].decode("utf-8")
    assert "SECRETWORD" not in markdown and "signed the deal on Monday" in markdown


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def test_context_is_bounded_and_cut_between_words(tmp_path):
    out = build(tmp_path, {})
    text = text_of((out / "sources" / "one" / "index.html").read_text(encoding="utf-8"))
    match = re.search(r"… (before[^…]*) Alice signed the deal on Monday[^…]*? (after\d+(?: after\d+)*) … in the original", text)
    assert match, text
    before, after = match.group(1), match.group(2)
    assert 0 < len(before) <= CONTEXT and 0 < len(after) <= CONTEXT
    # cut between words: the first and last words are whole words of the seed
    assert before.split()[0] in FILLER_BEFORE.split() and after.split()[-1] in FILLER_AFTER.split()
    assert len(before) > CONTEXT - 10 and len(after) > CONTEXT - 10  # and as much context as the bound allows


def test_actor_page_shows_only_published_mentions(tmp_path):
    out = build(tmp_path, {})
    page = (out / "actors" / "alice" / "index.html").read_text(encoding="utf-8")
    assert "SECRETWORD" not in page
    assert "signed the deal on Monday" in page
    assert "2 mentions" in page  # the count is still the true count


def test_quotes_are_still_checked_against_the_whole_seed(tmp_path):
    site = write_site(tmp_path / "site", {"content/events.yaml": FILES["content/events.yaml"].replace(
        "Alice signed the deal on Monday", "Alice signed the deal on Tuesday")}, base=FILES)
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert 'content/events.yaml:7: error: quote not found in the article text: "Alice signed the deal on Tuesday"' in result.stderr
    # a quote from a passage nobody else cites is found, and then published
    site = write_site(tmp_path / "site2", {"content/events.yaml": FILES["content/events.yaml"].replace(
        "Alice signed the deal on Monday", "Alice spoke of SECRETWORD")}, base=FILES)
    out = tmp_path / "out2"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    assert "SECRETWORD" in (out / "sources" / "one" / "index.html").read_text(encoding="utf-8")


def test_full_is_the_default(tmp_path):
    out = build(tmp_path, {"site.yaml": "title: Excerpt site\nbase_url: https://example.org/repo/\n"})
    page = (out / "sources" / "one" / "index.html").read_text(encoding="utf-8")
    assert "SECRETWORD" in page and "FARSTART" in page and "Excerpts" not in page


def test_excerpt_site_crawls_clean(tmp_path):
    out = build(tmp_path, {})
    crawl, _ = crawl_site(out, "https://example.org/repo/")
    assert_clean(crawl)


def test_text_fragment_links_encode_their_syntax():
    url = text_fragment_url("https://news.example/a#top", "Le port, en 2026 - vite & bien")
    assert url == "https://news.example/a#:~:text=Le%20port%2C%20en%202026%20%2D%20vite%20%26%20bien"
    long = text_fragment_url("https://news.example/a", "one two three four five six seven eight nine ten")
    assert long == "https://news.example/a#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
