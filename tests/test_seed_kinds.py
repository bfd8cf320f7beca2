"""A seed that is not UTF-8 text (a PDF, a saved web page, RTF, UTF-16, an
8-bit text) is named as what it is, with the command that brings it in,
by check and build alike; a UTF-8 seed that merely mentions markup is not."""

from __future__ import annotations

import pytest

from generator.content.seedkind import looks_like
from tests.conftest import run_cli, snapshot, write_site

HTML_PAGE = (b"<!DOCTYPE html>\n<html lang=\"en\"><head><title>Report</title></head>\n"
             b"<body><p>First paragraph mentions Alice.</p></body></html>\n")

CASES = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "seeds/one.txt: error: this is a PDF, not a text seed; bring it in with: python -m generator add seeds/one.txt"),
    "html": (HTML_PAGE,
             "seeds/one.txt: error: this is an HTML page, not a text seed; bring it in with: python -m generator add seeds/one.txt"),
    "html-with-comment-first": (b"<!-- saved from url=(0042)https://example.org/ -->\n" + HTML_PAGE,
                                "seeds/one.txt: error: this is an HTML page, not a text seed"),
    "rtf": (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} First paragraph mentions Alice.\\par }",
            "seeds/one.txt: error: this is an RTF document, not a text seed; bring it in with"),
    "utf-16-bom": ("First paragraph mentions Alice.\n".encode("utf-16"),
                   "seeds/one.txt: error: this is UTF-16 text (it starts with a UTF-16 byte-order mark), not a text seed"),
    "utf-16-no-bom": ("First paragraph mentions Alice.\nSecond.\n".encode("utf-16-le"),
                      "seeds/one.txt: error: this is UTF-16 text (little-endian: every other byte is zero)"),
    "windows-1252": ("First paragraph.\nThe committee’s “fund” mentions Alice.\n".encode("cp1252"),
                     "seeds/one.txt:2: error: not UTF-8: byte 0x92 at line 2 cannot be decoded; it looks like Windows-1252 "
                     "text (Western European, as Windows writes it: 'committee’s'); convert it with: python -m generator add seeds/one.txt"),
    "latin-1": ("First paragraph.\nÉté: mentions Alice.\n".encode("latin-1"),
                "seeds/one.txt:2: error: not UTF-8: byte 0xc9 at line 2 cannot be decoded; it looks like Latin-1 or "
                "Windows-1252 text ('Été:'); convert it with: python -m generator add seeds/one.txt"),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("verb", ["check", "build"])
def test_wrong_kind_of_seed_is_named_with_the_command_that_brings_it_in(tmp_path, name, verb):
    data, message = CASES[name]
    site = write_site(tmp_path / "site", {"seeds/one.txt": data})
    out = tmp_path / "out"
    args = ["--out", str(out)] if verb == "build" else []
    result = run_cli(verb, "--config", str(site / "site.yaml"), *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_unannotated_html_seed_is_not_published_as_tag_soup(tmp_path):
    """Before: the page was published, its whole markup as the title."""
    site = write_site(tmp_path / "site", {"seeds/saved.html": HTML_PAGE})
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "seeds/saved.html: error: this is an HTML page, not a text seed; bring it in with: python -m generator add seeds/saved.html" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text", [
    "<b>bold</b> is how the page wrote it, mentions Alice.\n",
    "First paragraph mentions Alice.\n<html> is a tag named in the second paragraph.\n",
    "{\\rtf is how an RTF file starts, mentions Alice.\n",
])
def test_text_seeds_that_mention_markup_still_build(tmp_path, text):
    site = write_site(tmp_path / "site", {"seeds/one.txt": text})
    before = snapshot(site)
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert "not a text seed" not in result.stderr
    assert snapshot(site) == before


def test_recogniser_leaves_ordinary_text_alone():
    assert looks_like("Un texte en français, « guillemets » compris.\n".encode()) is None
    assert looks_like(b"") is None
    assert looks_like(b"%PDF-1.4\n") == "a PDF"
