"""``python -m generator new SEED``: what it finds in a seed (language, date,
byline, where the article starts, the slug), and the annotation it writes
builds with ``--strict`` as it stands. The other tests of ``new`` are in
test_build.py (it builds), test_odd_input.py (odd file names) and
test_provenance.py (the seed's digest)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_cli, write_site

from generator.scaffold import proposed_slug
from generator.seedguess import find_byline, find_date, line_facts, read_heading

FRENCH = """La passerelle de Millbrook fermée six mois pour travaux

Par Jean Dupont

12 mars 2024

Le conseil municipal a voté lundi soir la fermeture de la passerelle en fer qui enjambe la Senn depuis 1869. Les travaux dureront six mois et coûteront environ 480 000 livres.

Les ingénieurs ont découvert de la corrosion sur quatre des douze poutres lors d'une inspection en janvier. Les commerçants de la rue du Quai craignent de perdre leurs clients pendant la fermeture.
"""

ENGLISH = """Harbour wall repairs delayed again
By Jane Doe
Published March 2024
The repairs to the harbour wall, first promised in 2021, have been delayed again, the port authority said on Tuesday. Contractors blamed a shortage of granite blocks and a wet winter for the hold-up.
Fishermen who moor inside the wall say the delay leaves their boats exposed to the autumn storms.
"""


def _front_matter(path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    head = text.split("---\n")[1]
    return yaml.safe_load(head), head


def _author_line(name: str) -> str:
    return f"author: {name}"


@pytest.mark.parametrize("seed, text, slug, language, published, author, start, line", [
    ("01-conseil-passerelle.txt", FRENCH, "conseil-passerelle", "fr", "2024-03-12", "Jean Dupont",
     "Le conseil municipal a voté lundi soir la", 5),
    ("02_harbour_wall.txt", ENGLISH, "harbour-wall", "en", "2024-03", "Jane Doe",
     "The repairs to the harbour wall, first promised", 3),
])
def test_new_finds_language_date_byline_and_where_the_article_starts(tmp_path, seed, text, slug, language,
                                                                      published, author, start, line):
    site = write_site(tmp_path, {f"seeds/{seed}": text})  # the site's language is en
    result = run_cli("new", f"seeds/{seed}", cwd=site)
    assert result.returncode == 0, result.stderr
    annotation = site / "content" / "sources" / f"{slug}.md"
    meta, head = _front_matter(annotation)
    assert meta["language"] == language
    assert str(meta["published"]) == published  # at the precision written: a day, or a month
    assert meta["text"]["start"] == start  # after the title, the byline and the date
    assert meta["title"] == text.split("\n")[0]
    assert f"published: {published} " in head and f"# found on line {line}" in head
    assert _author_line(author) in head
    built = run_cli("build", "--strict", "--no-cache", cwd=site)
    assert built.returncode == 0, built.stderr
    page = (site / "public" / "sources" / slug / "index.html").read_text(encoding="utf-8")
    byline = next(line for line in text.split("\n") if author in line)
    assert byline not in page  # the byline is not published as article text (the author is, as metadata)
    assert f'<meta name="author" content="{author}">' in page


def test_new_without_heading_lines_keeps_the_suggestions_commented(tmp_path):
    """A seed with only a title and paragraphs: no date or byline, text stays a suggestion."""
    site = write_site(tmp_path, {"seeds/plain.txt": "A title\n\nThe first paragraph of the article, long enough to quote.\n"})
    assert run_cli("new", "seeds/plain.txt", cwd=site).returncode == 0
    meta, head = _front_matter(site / "content" / "sources" / "plain.md")
    assert "published" not in meta and "text" not in meta
    assert "# published: 2024-01-31" in head and "#   start: The first paragraph of the article, long enough" in head


@pytest.mark.parametrize("name, data, says", [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "this is a PDF, not a text seed; bring it in with: python -m generator add seeds/report.pdf"),
    ("page.html", b"<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>", "this is an HTML page"),
    ("minutes.txt", "The committee\u2019s minutes\n".encode("cp1252"), "looks like Windows-1252 text"),
])
def test_new_names_a_seed_that_is_not_text_as_the_build_does(tmp_path, name, data, says):
    site = write_site(tmp_path, {f"seeds/{name}": data})
    made = run_cli("new", f"seeds/{name}", cwd=site)
    assert made.returncode == 1 and says in made.stderr and "Traceback" not in made.stderr
    assert "add seeds/" in made.stderr and not (site / "content" / "sources" / f"{Path(name).stem}.md").exists()


def test_a_slug_taken_by_another_seed_says_how_to_choose_another(tmp_path):
    site = write_site(tmp_path, {"seeds/01-intro.txt": "One\n\nText one.\n", "seeds/02-intro.txt": "Two\n\nText two.\n"})
    assert run_cli("new", "seeds/01-intro.txt", cwd=site).returncode == 0
    again = run_cli("new", "seeds/02-intro.txt", cwd=site)
    assert again.returncode == 1 and "--slug" in again.stderr


@pytest.mark.parametrize("name, slug", [
    ("01-foo.txt", "foo"), ("000_d2de63c15c84905d.txt", "d2de63c15c84905d"), ("2024-03-12-council.txt", "council"),
    ("01-02.txt", "01-02"), ("report-2024.txt", "report-2024"), ("Wire_Copy.TXT", "wire-copy"),
])
def test_proposed_slug_drops_numeric_prefixes(name, slug):
    assert proposed_slug(name) == slug


@pytest.mark.parametrize("text, value", [
    ("12 mars 2024", "2024-03-12"), ("1er mars 2024", "2024-03-01"), ("Mardi 12 mars 2024", "2024-03-12"),
    ("Publié le 12 mars 2024 à 10h30", "2024-03-12"), ("12 févr. 2024", "2024-02-12"), ("mars 2024", "2024-03"),
    ("March 12, 2024", "2024-03-12"), ("Tuesday, March 12th, 2024", "2024-03-12"), ("Sept. 3, 2024", "2024-09-03"),
    ("12 March 2024", "2024-03-12"), ("2024-03-12", "2024-03-12"), ("2024-03-12T10:30:00Z", "2024-03-12"),
    ("25/12/2024", "2024-12-25"), ("12/25/2024", "2024-12-25"),
    ("03/04/2024", None), ("30 février 2024", None), ("2024-13-01", None), ("In 2024", None),
])
def test_find_date(text, value):
    found = find_date(text)
    assert (found.value if found else None) == value


@pytest.mark.parametrize("text, names", [
    ("By Jane Doe", ("Jane Doe",)), ("Par Jean Dupont", ("Jean Dupont",)), ("BY JANE DOE", ("Jane Doe",)),
    ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")), ("Par Jean Dupont et Marie Curie", ("Jean Dupont", "Marie Curie")),
    ("Par Jean Dupont, envoyé spécial à Lyon", ("Jean Dupont",)), ("By Jean-Pierre de la Fontaine — AFP", ("Jean-Pierre de la Fontaine",)),
    ("By the time the council met, it was late.", None), ("By Monday, the council will decide.", None),
    ("By Christmas, the bridge will be open to all walkers again.", None), ("Bypass works begin", None),
])
def test_find_byline(text, names):
    assert find_byline(text) == names


@pytest.mark.parametrize("text, date, updated, authors", [
    ("By Jane Doe | March 12, 2024", "2024-03-12", False, ("Jane Doe",)),
    ("Mis à jour le 13 mars 2024", "2024-03-13", True, ()),
    ("Updated March 13, 2024 10:30 a.m. ET", "2024-03-13", True, ()),
    ("03/04/2024", None, False, ()),  # a date line, but no value: day or month first?
])
def test_heading_lines(text, date, updated, authors):
    facts = line_facts(text)
    assert facts is not None and (facts.date, facts.updated, facts.authors) == (date, updated, authors)


@pytest.mark.parametrize("text", ["The council met on 12 March 2024 to vote.", "Published in the Courier", "Harbour wall repairs delayed"])
def test_a_sentence_holding_a_date_is_not_a_heading_line(text):
    assert line_facts(text) is None


def test_read_heading_in_any_order_and_skips_the_update_date():
    heading = read_heading(["Mis à jour le 14 mars 2024", "Titre", "12 mars 2024 | Par Jean Dupont", "Le texte.", "Fin."])
    assert (heading.title, heading.start, heading.published, heading.authors) == (1, 3, "2024-03-12", ("Jean Dupont",))


def test_a_date_below_a_section_label_and_the_title_is_found():
    """As in a seed that starts "nouvelles", the title, then the date: the article starts after the date."""
    heading = read_heading(["nouvelles", "Le titre de l'article", "2024-09-04", "Le premier paragraphe.", "Fin."])
    assert (heading.title, heading.start, heading.published) == (0, 3, "2024-09-04")


def test_a_date_line_after_the_article_has_started_is_article_text():
    long_paragraph = "Le conseil a voté. " * 20  # longer than a heading line: the article has started
    heading = read_heading(["Titre", long_paragraph, "12 mars 2024", "Fin."])
    assert (heading.title, heading.start, heading.published) == (0, 1, None)
