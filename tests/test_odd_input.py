"""Odd input that used to give wrong output (issue 13, items 8 and 9):
other scripts' digits, file names without ASCII letters, meta descriptions,
huge one-line seeds, control characters and spreadsheet formulas."""

import csv
import html
import io
import re

import pytest

from generator.build import load, render
from generator.content.controls import CONTROL, csv_cell
from generator.content.dates import DateError, parse_date
from generator.errors import Diagnostics
from tests.conftest import MINIMAL_SITE, run_cli, write_site

EVENT_OK_SITE = MINIMAL_SITE["content/events.yaml"]


def files_of(site):
    """Every output file of the site at ``site`` (in memory, no search index)."""
    diagnostics = Diagnostics()
    _, loaded = load(site / "site.yaml", diagnostics)
    assert not diagnostics.errors, [str(d) for d in diagnostics.errors]
    return render(loaded, diagnostics)


def check(site):
    result = run_cli("check", "--config", str(site / "site.yaml"))
    return result.returncode, result.stderr


def meta_description(page: bytes) -> str:
    """The description attribute as the browser reads it (entities decoded once)."""
    found = re.search(rb'<meta name="description" content="([^"]*)">', page)
    return html.unescape(found.group(1).decode("utf-8"))


# -- digits ------------------------------------------------------------------

@pytest.mark.parametrize("written", ["\u0662\u0660\u0662\u0664", "\uff12\uff10\uff12\uff14", "2024-\u0660\u0661",
                                     "\u09e8\u09e6\u09e8\u09ea"])
def test_dates_take_ascii_digits_only(written):
    with pytest.raises(DateError, match="digits must be ASCII 0-9"):
        parse_date(written)


def test_a_date_in_arabic_indic_digits_is_an_error_at_its_line(tmp_path):
    site = write_site(tmp_path, {"content/sources/one.md":
                                 "---\nseed: one.txt\ntitle: One\npublished: '\u0662\u0660\u0662\u0664'\n---\n"})
    status, stderr = check(site)
    assert status == 1
    assert ("content/sources/one.md:4: error: 'published': invalid date '\u0662\u0660\u0662\u0664': "
            "digits must be ASCII 0-9") in stderr


@pytest.mark.parametrize("wikidata", ["Q\uff11\uff12\uff13", "Q\u0661\u0662"])
def test_wikidata_ids_take_ascii_digits_only(tmp_path, wikidata):
    escaped = wikidata.replace("\n", "\\n")
    site = write_site(tmp_path, {"content/actors.yaml": f'- id: alice\n  name: Alice\n  kind: person\n  wikidata: "{escaped}"\n'})
    status, stderr = check(site)
    assert status == 1
    assert "content/actors.yaml:4: error: 'wikidata' must be an item id such as Q7407093 (Q and ASCII digits 0-9)" in stderr


def test_a_slug_with_a_final_newline_is_refused(tmp_path):
    site = write_site(tmp_path, {"content/actors.yaml": '- id: "alice\\n"\n  name: Alice\n  kind: person\n'})
    status, stderr = check(site)
    assert status == 1 and "content/actors.yaml:1: error: 'id' must be a slug" in stderr


# -- file names without ASCII letters ------------------------------------------

def test_new_on_a_seed_named_in_another_script_writes_a_usable_slug(tmp_path):
    site = write_site(tmp_path, {"seeds/\u65e5\u672c.txt": "\u65e5\u672c\u306e\u8a18\u4e8b\u3002\n\n\u4e8c\u3002\n"})
    result = run_cli("new", "seeds/\u65e5\u672c.txt", cwd=site)
    assert result.returncode == 0, result.stderr
    assert not (site / "content/sources/.md").exists()
    written = site / "content/sources/source-0e5c8464.md"  # sha256("日本.txt")[:8]: stable
    assert written.is_file() and "seed: \u65e5\u672c.txt" in written.read_text(encoding="utf-8")
    assert run_cli("new", "seeds/\u65e5\u672c.txt", "--slug", "nihon", cwd=site).returncode == 0
    assert (site / "content/sources/nihon.md").is_file()
    bad = run_cli("new", "seeds/\u65e5\u672c.txt", "--slug", "Nihon!", "--force", cwd=site)
    assert bad.returncode == 1 and "--slug must be a slug" in bad.stderr and "Traceback" not in bad.stderr


def test_an_unannotated_seed_named_in_another_script_gets_a_page(tmp_path):
    site = write_site(tmp_path, {"seeds/\u65e5\u672c.txt": "\u65e5\u672c\u306e\u8a18\u4e8b\u3002\n",
                                 "seeds/\uff21\uff22\uff23.txt": "Full-width name.\n"})
    result = run_cli("build", "--out", str(tmp_path / "out"), cwd=site)
    assert result.returncode == 0, result.stderr
    assert "published as 'source-0e5c8464'" in result.stderr
    page = (tmp_path / "out/sources/source-0e5c8464/index.html").read_text(encoding="utf-8")
    assert "\u65e5\u672c\u306e\u8a18\u4e8b\u3002" in page
    assert (tmp_path / "out/sources/abc/index.html").is_file()  # ＡＢＣ: decomposed to ASCII


# -- meta descriptions -----------------------------------------------------------

def test_a_meta_description_shows_seed_text_as_written(tmp_path):
    seed = "A &lt;script&gt; tag, *emphasis*, # hash, snake_case and > quote.\n\nMore.\n"
    site = write_site(tmp_path, {"seeds/raw.txt": seed})
    files = files_of(site)
    page = files["sources/raw/index.html"]
    assert b'content="A &amp;lt;script&amp;gt; tag, *emphasis*, # hash, snake_case and &gt; quote.' in page
    assert meta_description(page).startswith("A &lt;script&gt; tag, *emphasis*, # hash, snake_case and > quote.")
    assert b"<script>" not in page.split(b"</head>")[0]


def test_a_meta_description_from_markdown_is_its_text(tmp_path):
    summary = "Some *emphasis*, a # hash, snake_case_name, 2 > 1, `code`, &amp;lt;b&amp;gt; and [a link](https://example.org/)."
    site = write_site(tmp_path, {"content/sources/one.md":
                                 f"---\nseed: one.txt\ntitle: One\nsummary: '{summary}'\n---\nCommentary.\n"})
    description = meta_description(files_of(site)["sources/one/index.html"])
    assert description == "Some emphasis, a # hash, snake_case_name, 2 > 1, code, &lt;b&gt; and a link."


# -- huge one-line seeds ---------------------------------------------------------

def test_a_one_line_megabyte_seed_gives_a_short_title_and_a_bounded_page(tmp_path):
    words = ("harbour", "deal", "minister", "Portvale", "signed", "the", "of")
    line = " ".join(words[i % 7] for i in range(150_000))[:1_000_000]
    site = write_site(tmp_path, {"seeds/big.txt": line + "\n"})
    files = files_of(site)
    page = files["sources/big/index.html"]
    assert len(page) < 3 * len(line)  # was 8 times: the text was the title, in the head 7 times
    title = re.search(rb"<h1[^>]*>(.*?)</h1>", page).group(1).decode()
    assert len(title) <= 100 and title.endswith("\u2026")
    head = page.split(b"</head>")[0]
    assert len(head) < 5000
    assert len(meta_description(page)) <= 200
    assert len(files["sources/big/index.md"]) < 3 * len(line)


# -- control characters and formulas ----------------------------------------------

@pytest.mark.parametrize("name, files, where", [
    ("NUL in an actor's name", {"content/actors.yaml": '- id: alice\n  name: "Alice\\0"\n  kind: person\n'},
     "content/actors.yaml:2: error: control character U+0000 in text"),
    ("ESC in an actor's role", {"content/actors.yaml": '- id: alice\n  name: Alice\n  kind: person\n  role: "\\e[31mred"\n'},
     "content/actors.yaml:4: error: control character U+001B in text"),
    ("ESC in an alias", {"content/actors.yaml": '- id: alice\n  name: Alice\n  kind: person\n  aliases: ["A\\x1b"]\n'},
     "content/actors.yaml:4: error: control character U+001B in text"),
    ("NUL in an event title", {"content/events.yaml": EVENT_OK_SITE.replace("title: First event", 'title: "First\\0"')},
     "content/events.yaml:3: error: control character U+0000 in text"),
    ("BEL in a source title", {"content/sources/one.md": '---\nseed: one.txt\ntitle: "One\\a"\n---\n'},
     "content/sources/one.md:3: error: control character U+0007 in text"),
    ("ESC in site.yaml", {"site.yaml": 'title: "T\\e"\nbase_url: https://example.org/repo/\n'},
     "site.yaml:1: error: control character U+001B in text"),
])
def test_control_characters_from_yaml_escapes_are_refused(tmp_path, name, files, where):
    site = write_site(tmp_path, files)
    status, stderr = check(site)
    assert status == 1 and where in stderr, stderr
    assert "Traceback" not in stderr


def test_control_characters_under_x_keys_are_left_to_the_user(tmp_path):
    site = write_site(tmp_path, {"content/actors.yaml": '- id: alice\n  name: Alice\n  kind: person\n  x-raw: "\\0"\n'})
    assert check(site)[0] == 0


def test_control_characters_in_seed_text_reach_no_output_file_raw(tmp_path):
    site = write_site(tmp_path, {
        "seeds/one.txt": "First \x1b[31mred\x00 paragraph of one.\n\nSecond paragraph mentions Alice.\n",
        "seeds/raw.txt": "\x1b[2JUnannotated\x00 title.\n",
        "content/sources/one.md": "---\nseed: one.txt\ntitle: One\n---\nCommentary with a raw \x1b and \x00.\n"})
    files = files_of(site)
    leaks = [name for name, data in files.items()
             if not name.startswith("search/")  # binary
             and CONTROL.search(data.decode("utf-8", "replace").replace("\r\n", "\n"))]  # CSV line ends
    assert leaks == []
    assert "\\textbackslash{}x1b[2JUnannotated" in files["data/sources.bib"].decode("utf-8")


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(tmp_path):
    site = write_site(tmp_path, {
        "content/actors.yaml": "- id: alice\n  name: '@Alice'\n  kind: person\n  role: \"=HYPERLINK(\\\"http://x\\\")\"\n"
                               "  aliases: [Alice, '-2+3']\n- id: bob\n  name: -Bob\n  kind: person\n  role: '+1'\n",
        "content/events.yaml": EVENT_OK_SITE.replace("title: First event", "title: '=1+1'")
                               + "  summary: '- a list? no: @SUM(A1)'\n"})
    files = files_of(site)
    actors = list(csv.DictReader(io.StringIO(files["data/actors.csv"].decode("utf-8"), newline="")))
    assert [(a["name"], a["role"], a["aliases"]) for a in actors] == [
        ("'-Bob", "'+1", ""), ("'@Alice", "'=HYPERLINK(\"http://x\")", "Alice; -2+3")]
    events = list(csv.DictReader(io.StringIO(files["data/events.csv"].decode("utf-8"), newline="")))
    assert (events[0]["title"], events[0]["summary"]) == ("'=1+1", "'- a list? no: @SUM(A1)")
    assert events[0]["date"] == "2024-01" and events[0]["evidence_count"] == "1"
    assert [csv_cell(v) for v in ("\tx", "\rx", "a=b", 3)] == ["'\tx", "'\\x0dx", "a=b", 3]
