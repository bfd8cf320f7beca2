"""What the interface says of what it counts and names: one plural helper
for every count (CLDR's rules, through Babel), the kind headings, language
names in the interface's language, the French search button, and quotation
marks never doubled."""

from __future__ import annotations

import lxml.html
from markupsafe import Markup

from generator.i18n import NOUNS, counted, language_name
from generator.render.quotes import is_quoted, quote
from tests.conftest import run_cli, write_site


def test_counted_follows_each_languages_plural_rule():
    assert [counted(n, "event", "en") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]
    assert [counted(n, "event", "fr") for n in (0, 1, 2)] == ["0 événement", "1 événement", "2 événements"]
    assert counted(1, "person", "en") == "1 Person" and counted(3, "person", "en") == "3 People"
    assert set(NOUNS["en"]) == set(NOUNS["fr"])


def test_language_names_in_the_interfaces_language():
    assert (language_name("en", "fr"), language_name("fr", "en"), language_name("fr", "fr")) == ("Anglais", "French", "Français")
    assert language_name("pt-BR", "en") == "Portuguese (Brazil)"
    assert language_name("und", "en") == "und" and language_name("qqq", "fr") == "qqq"  # no name: the code itself


def test_quotation_marks_are_not_doubled():
    assert quote('"Nous avons besoin de 7 000 milliards"', "en") == '"Nous avons besoin de 7 000 milliards"'
    assert quote("« entier »", "fr") == "« entier »"
    assert quote("Altman: “we need $7T”", "en") == "“Altman: ‘we need $7T’”"
    assert quote("Le « père de ChatGPT » parle", "fr") == "« Le “père de ChatGPT” parle »"
    assert quote('He said "no"', "en") == "“He said ‘no’”"
    assert is_quoted(Markup("<mark>“Whole”</mark>")) and not is_quoted("“Half” of it")


ONE = {
    "site.yaml": "title: Test site\nbase_url: https://example.org/repo/\nlanguage: fr\n",
    "content/sources/one.md": "---\nseed: one.txt\ntitle: '\"Alice parle\"'\nlanguage: en\npublished: 2024-01-02\n---\nC.\n",
    "content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n  aliases: ['« Alice »']\n",
}


def build(tmp_path, files):
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    return out


def page(out, path):
    return lxml.html.fromstring((out / path / "index.html").read_text(encoding="utf-8"))


def meta(doc) -> dict[str, str]:
    """A page's definition list: each term -> its value's text."""
    return {dt.text: " ".join(dt.getnext().text_content().split()) for dt in doc.find(".//dl").findall("dt")}


def test_one_of_each_is_counted_in_the_singular_in_english(tmp_path):
    out = build(tmp_path, {})
    actors = page(out, "actors")
    assert actors.find(".//h2[@id='kind-person']").text == "Person"  # one person: not "People"
    assert actors.find(".//main/p[@class='muted']").text == "1 actor"
    assert page(out, "timeline").find(".//main/p[@class='muted']").text == "1 event"
    assert "1 mention · 1 source · 1 event" in page(out, "actors/alice").text_content()
    assert "2 paragraphs" in page(out, "sources/one").text_content()
    figures = [" ".join(li.text_content().split()) for li in page(out, "").findall(".//ul[@class='figures']/li")]
    assert figures[:3] == ["1 source", "1 event", "1 actor"]
    assert page(out, "actors/alice").find(".//main//p[@class='muted']").text == "Person"
    assert meta(page(out, "sources/one"))["Language"] == "English"


def test_french_names_languages_in_french_and_clears_the_search_with_effacer(tmp_path):
    out = build(tmp_path, ONE)
    assert meta(page(out, "sources/one"))["Langue"] == "Anglais"
    assert page(out, "search").get_element_by_id("search").get("data-clear") == "Effacer"
    assert page(out, "actors").find(".//h2[@id='kind-person']").text == "Personne"
    # a title already between quotation marks gets no second pair
    cite = page(out, "sources/one").find(".//p[@class='cite__text']").text
    assert cite.startswith('"Alice parle", 2 janvier 2024.') and "«" not in cite
    # an alias already between quotation marks is not put inside a <q>
    aliases = page(out, "actors/alice").find(".//p[@class='aliases']")
    assert aliases.find("q") is None and "« Alice »" in aliases.text_content()


def test_the_french_filter_status_says_one_event_in_the_singular(browser, tmp_path):
    from tests.conftest import copy_fixture, serve_directory
    site = copy_fixture("full", tmp_path)
    (site / "site.yaml").write_text((site / "site.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr"),
                                    encoding="utf-8")
    out = tmp_path / "www" / "repo"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    with serve_directory(out.parent) as url:
        page_ = browser.new_page()
        page_.goto(url + "repo/timeline/?actor=council")
        assert page_.locator("#filter-status").text_content() == "1 événement affiché sur 4"
        page_.goto(url + "repo/timeline/?actor=blue-ocean")
        assert page_.locator("#filter-status").text_content() == "2 événements affichés sur 4"
        page_.close()
