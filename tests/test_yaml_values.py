"""YAML values as written (issue 13, item 6).

YAML 1.1 reads plain words as other things: ``10:30`` as 630 (base 60),
``0x1F`` as 31, ``no`` as false, ``.nan`` as a float. A researcher who writes
them in a title, a name, an id or a tag means the text; the site must publish
exactly that text, and the numbers the format does ask for (``nav``) must be
numbers as written.
"""

import html
import json

import pytest

from generator.errors import Diagnostics
from generator.content.schema import FieldReader
from generator.content.yamlio import load
from tests.conftest import run_cli, write_site

EVENT = ("- id: {id}\n  date: {date}\n  title: {title}\n  tags: [{tags}]\n  actors: [alice]\n"
         "  evidence:\n    - source: one\n      quote: mentions Alice\n")
VALUES = {
    "content/events.yaml": EVENT.format(id="no", date="2024-01", title="10:30", tags="no, yes, on, off, 2024, 1e3")
    + EVENT.format(id="2024", date="0777", title=".nan", tags="0x1f"),
    "content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n  role: 0x1F\n"
                           "- id: yes\n  name: 1:30\n  kind: other\n  role: off\n",
    "content/sources/one.md": "---\nseed: one.txt\ntitle: 10:30\npublisher: 0x1F\npublished: 2024-03-05\ntags: [on]\n---\n",
    "content/pages/first.md": "---\ntitle: yes\nnav: 9\n---\nNine.\n",
    "content/pages/second.md": "---\ntitle: no\nnav: 010\n---\nTen, as written (YAML 1.1 reads 010 as 8).\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("values")
    site = write_site(root / "site", VALUES)
    out = root / "out"
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def data(out, name):
    return json.loads((out / "data" / f"{name}.json").read_text(encoding="utf-8"))


def test_event_titles_ids_tags_and_dates_are_published_as_written(built):
    events = {e["id"]: e for e in data(built, "events")}
    assert set(events) == {"no", "2024"}
    assert events["no"]["title"] == "10:30"
    assert events["no"]["tags"] == ["no", "yes", "on", "off", "2024", "1e3"]
    assert events["2024"]["title"] == ".nan"
    assert events["2024"]["tags"] == ["0x1f"]
    assert events["2024"]["date"] == "0777"  # not 0511, YAML 1.1's octal reading
    timeline = (built / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "10:30" in timeline and ".nan" in timeline
    assert ">630<" not in timeline


def test_actor_names_and_roles_are_published_as_written(built):
    actors = {a["id"]: a for a in data(built, "actors")}
    assert actors["alice"]["role"] == "0x1F"
    assert actors["yes"]["name"] == "1:30" and actors["yes"]["role"] == "off"
    page = (built / "actors" / "yes" / "index.html").read_text(encoding="utf-8")
    assert "1:30" in page and ">90<" not in page


def test_source_fields_are_published_as_written_and_a_yaml_date_still_works(built):
    source = data(built, "sources")[0]
    assert source["title"] == "10:30" and source["publisher"] == "0x1F"
    assert source["published"] == "2024-03-05" and source["tags"] == ["on"]
    page = html.unescape((built / "sources" / "one" / "index.html").read_text(encoding="utf-8"))
    assert "10:30" in page and "0x1F" in page


def test_page_titles_are_text_and_nav_is_the_number_written(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    first, second = home.index('/repo/first/">yes<'), home.index('/repo/second/">no<')
    assert first < second  # nav 9 before nav 010 (ten), not after 8


@pytest.mark.parametrize("written, expected", [
    ("10:30", "10:30"), ("1:30", "1:30"), ("0x1F", "0x1F"), (".nan", ".nan"), ("-.inf", "-.inf"), ("no", "no"),
    ("Yes", "Yes"), ("on", "on"), ("OFF", "OFF"), ("2024", "2024"), ("1e3", "1e3"), ("1_000", "1_000"),
    ("0777", "0777"), ("'quoted'", "quoted"),
])
def test_a_text_field_keeps_the_scalar_as_written(written, expected):
    diagnostics = Diagnostics()
    value = FieldReader(diagnostics, "x.yaml").string(load(f"title: {written}\n"), "title")
    assert value == expected and not diagnostics.items


@pytest.mark.parametrize("slug", ["no", "yes", "on", "off", "y", "n", "2024", "1e3", "0x1f", "010", "1-2"])
def test_ids_and_tags_accept_every_slug(slug):
    diagnostics = Diagnostics()
    reader = FieldReader(diagnostics, "x.yaml")
    data = load(f"id: {slug}\ntags: [{slug}]\naliases: [{slug}]\n")
    assert reader.slug(data, "id") == slug
    assert reader.slugs(data, "tags") == [(slug, 2)]
    assert reader.strings(data, "aliases") == [slug]
    assert not diagnostics.items


@pytest.mark.parametrize("written, expected", [("3", 3), ("2.5", 2.5), ("-1", -1), ("010", 10), ("1_0", 10)])
def test_nav_reads_the_decimal_number_written(written, expected):
    diagnostics = Diagnostics()
    assert FieldReader(diagnostics, "x.md").number(load(f"nav: {written}\n"), "nav") == expected
    assert not diagnostics.items


@pytest.mark.parametrize("written", [".nan", ".inf", "-.Inf", "1:30", "0x1F", "0b11", "yes", "'2'", "[1]", "{a: 1}"])
def test_nav_refuses_what_is_not_a_decimal_number(written):
    diagnostics = Diagnostics()
    assert FieldReader(diagnostics, "x.md").number(load(f"nav: {written}\n"), "nav") is None
    [message] = [str(d) for d in diagnostics.items]
    assert message.startswith("x.md:1: error: 'nav' must be a number such as 1 or 2.5, got ")


def test_keys_are_names_as_written():
    data = load("no: 1\n1:30: 2\nnull: 3\n")
    assert list(data) == ["no", "1:30", "null"]
    assert data.line_of("1:30") == 2


def test_null_is_still_no_value():
    diagnostics = Diagnostics()
    reader = FieldReader(diagnostics, "x.yaml")
    data = load("title: ~\nsummary: null\nrole:\n")
    assert [reader.string(data, key) for key in ("title", "summary", "role")] == [None, None, None]
