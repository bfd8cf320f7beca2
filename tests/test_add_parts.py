"""The parts of ``add`` one by one: slugs, hyphens at line ends, hand-wrapped
text, what a SOURCE is, and the progress bar (on a terminal only)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from generator.intake.extracted import ExtractionError
from generator.intake.pdflayout import join_lines
from generator.intake.slugs import base_slug, free_slug, slugify
from generator.intake.sniff import is_url, source_kind
from generator.intake.text import unwrap
from tests.add_helpers import INTAKE, new_site
from tests.conftest import ROOT


@pytest.mark.parametrize("title, name, slug", [
    ("Regulators ground cargo fleet", "x.html", "regulators-ground-cargo-fleet"),
    ("Le port de Brest mise sur l’éolien flottant", "", "le-port-de-brest-mise-sur-leolien-flottant"),
    ("", "01-annual-report.pdf", "annual-report"),
    ("", "000_d2de63c15c84905d.txt", "d2de63c15c84905d"),
    ("", "2024.txt", "2024"),  # a name that is only a number keeps it
    ("Straße und Größe", "", "strasse-und-grosse"),
    ("日本", "日本.pdf", "source-" + __import__("hashlib").sha256("日本.pdf".encode()).hexdigest()[:8]),
])
def test_slug_from_title_or_name(title, name, slug):
    assert base_slug(title, name) == slug


def test_slug_is_short_and_unique():
    long = slugify("A very long headline about the harbour committee and its many decisions on the east quay")
    assert len(long) <= 60 and not long.endswith("-") and long.startswith("a-very-long-headline")
    taken = {"report", "report-2"}
    assert free_slug("report", taken.__contains__) == "report-3"


def test_hyphen_at_a_line_end_joins_the_word_unless_the_document_writes_it_hyphenated():
    assert join_lines("the trapping effi-", "ciency has fallen", set()) == "the trapping efficiency has fallen"
    assert join_lines("a well-", "known result", {"well-known"}) == "a well-known result"
    assert join_lines("in 2019-", "2023", set()) == "in 2019- 2023"  # not a word
    assert join_lines("the North-", "West coast", set()) == "the North- West coast"  # a capital follows


def test_hand_wrapped_text_is_joined_into_paragraphs():
    assert unwrap(["First line", "goes on.", "", "Second", "paragraph."]) == (["First line goes on.", "Second paragraph."], True)
    assert unwrap(["One.", "", "Two.", "Three."]) == (["One.", "Two.", "Three."], False)


def test_what_a_source_is():
    assert is_url("https://example.org/a") and is_url("ftp://x/y") and not is_url("report.pdf") and not is_url("C:/x")
    assert source_kind(b"%PDF-1.7\n") == "pdf"
    assert source_kind(b"<div><p>Fragment</p></div>", "page.htm") == "html"
    assert source_kind(b"<p>x</p>", "notes.txt", "text/html; charset=utf-8") == "html"
    assert source_kind("Texte\n".encode("utf-16")) == "text"
    with pytest.raises(ExtractionError, match="ZIP archive"):
        source_kind(b"PK\x03\x04rest", "paper.docx")


def test_progress_bar_on_a_terminal_only(tmp_path):
    site = new_site(tmp_path / "site")
    sources = [str(INTAKE / "jsonld-article.html"), str(INTAKE / "minutes-windows-1252.txt")]
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    try:
        process = subprocess.run([sys.executable, "-m", "generator", "add", "--config", str(site / "site.yaml"), *sources],
                                 stdout=subprocess.PIPE, stderr=terminal, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                 timeout=300)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert process.returncode == 0
    assert b"2/2" in shown  # the bar, drawn on the terminal
    assert b"2/2" not in process.stdout and b"added 2 of 2 sources" in process.stdout


def test_offline_and_refused_read_as_one_plain_line():
    import socket
    import urllib.error

    from generator.intake.fetch import _reason
    assert _reason(urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))) == \
        "cannot find the host (offline, or a mistyped address?)"
    assert _reason(urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))) == "connection refused"
    assert _reason(urllib.error.URLError(TimeoutError("timed out"))) == "no answer in time"
