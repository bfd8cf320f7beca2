"""``add``: each kind of source (a web page with all its furniture, a French
page dated only in its byline, a page with JSON-LD, a two-column PDF with
hyphens and page numbers, a Windows-1252 text) becomes a seed holding every
article paragraph and no boilerplate, an annotation with the metadata found
and the original's provenance, and a site that builds strictly once a first
note is written."""

from __future__ import annotations

import shutil

import pytest

from tests.add_helpers import (INTAKE, add, annotation, check_provenance, html_paragraphs, new_site, note_and_build,
                               seed_lines)
from tests.conftest import run_cli, snapshot

NEWS_PARAGRAPHS = [
    "The national aviation authority grounded all eleven aircraft of Northwind Cargo on Monday after inspectors found that four bolts were missing from a door plug on one of its freighters.",
    "Inspectors examined the fleet over the weekend following a report from a maintenance contractor in Leeds, who noticed that a panel on the rear fuselage moved when it was pressed by hand.",
    "“We will not allow these aircraft to fly until every door plug has been checked and documented,” said Helen Marsh, the authority’s director of airworthiness, at a press conference in the afternoon.",
    "Northwind Cargo said in a statement that it was cooperating fully with the investigation and that deliveries to its customers in Scotland and Northern Ireland would be carried by partner airlines.",
    "The company’s shares fell by nine per cent in early trading before recovering part of their losses by the close of the market.",
    "The authority expects the inspections to take at least two weeks, and said it would publish its preliminary findings in April.",
]
NEWS_BOILERPLATE = ["cookies", "Accept all", "Subscribe", "Share on", "Email this story", "Related stories",
                    "Airline profits soar", "Comments", "skyfan77", "deserves a medal", "cost cutting", "Privacy policy",
                    "newsletter", "All rights reserved", "Business › Transport", "Sport"]


def _no_boilerplate(lines: list[str], boilerplate: list[str]) -> None:
    for line in lines:
        for words in boilerplate:
            assert words not in line, f"boilerplate {words!r} kept in {line!r}"


def test_news_article_keeps_the_article_and_its_metadata(tmp_path):
    site = new_site(tmp_path / "site")
    page = INTAKE / "news-article.html"
    result = add(site, str(page))
    assert result.returncode == 0, result.stderr
    slug = "regulators-ground-cargo-fleet-after-bolt-inspections"
    lines = seed_lines(site, slug)
    assert lines == NEWS_PARAGRAPHS
    _no_boilerplate(lines, NEWS_BOILERPLATE)
    meta = check_provenance(site, slug, page, "html")
    assert meta["title"] == "Regulators ground cargo fleet after bolt inspections"
    assert meta["publisher"] == "The Harbour Gazette"
    assert str(meta["published"]) == "2024-03-05"
    assert meta["language"] == "en-GB"
    assert meta["url"] == "https://harbour-gazette.example/business/2024/03/05/cargo-fleet-grounded"
    assert meta["x-capture"]["name"] == "news-article.html"
    _, raw = annotation(site, slug)
    assert "\nauthor: Priya Raman\n" in raw  # format 1.1's field
    assert "  author: Priya Raman\n" in result.stdout
    assert "not found" not in result.stdout
    html = note_and_build(site, slug, "four bolts were missing", tmp_path / "out")
    assert "A first note." in html and "Northwind Cargo" in html


FRENCH_PARAGRAPHS = [
    "Par Yann Le Goff, publié le 14 février 2023 à 18 h 05",
    "La région Bretagne a présenté mardi un plan de 220 millions d’euros pour transformer une partie du port de Brest en base d’assemblage pour les éoliennes flottantes.",
    "Les travaux doivent commencer à l’automne et durer trois ans. Ils prévoient un nouveau quai de quatre cents mètres et une digue renforcée pour accueillir les flotteurs pendant leur montage.",
    "« Nous voulons que les turbines destinées à la mer Celtique soient construites ici, et non importées », a déclaré la présidente de la commission économique lors de la séance.",
    "Les pêcheurs du Finistère restent prudents : leur comité demande que les zones de pêche soient cartographiées avant toute décision sur l’emplacement des parcs.",
    "Selon la chambre de commerce, le chantier pourrait créer près de six cents emplois directs d’ici la fin de la décennie.",
]


def test_french_article_dated_only_in_its_byline(tmp_path):
    site = new_site(tmp_path / "site")
    page = INTAKE / "french-byline.html"
    result = add(site, str(page))
    assert result.returncode == 0, result.stderr
    slug = "le-port-de-brest-mise-sur-leolien-flottant"
    lines = seed_lines(site, slug)
    assert lines == FRENCH_PARAGRAPHS
    _no_boilerplate(lines, ["cookies", "Tout accepter", "Accueil", "S’abonner", "Partager", "À lire aussi", "Lorient",
                            "Mentions légales"])
    meta = check_provenance(site, slug, page, "html")
    assert meta["title"] == "Le port de Brest mise sur l’éolien flottant"
    assert str(meta["published"]) == "2023-02-14"
    assert meta["language"] == "fr"
    assert meta["publisher"] == "Le Courrier de l’Ouest"
    assert "url" not in meta
    _, raw = annotation(site, slug)
    assert "\nauthor: Yann Le Goff\n" in raw
    assert "not found: url" in result.stdout
    assert "read from the byline" in result.stdout
    note_and_build(site, slug, "220 millions d'euros", tmp_path / "out")


def test_json_ld_page_gives_authors_publisher_date_language_and_url(tmp_path):
    site = new_site(tmp_path / "site")
    page = INTAKE / "jsonld-article.html"
    result = add(site, str(page))
    assert result.returncode == 0, result.stderr
    slug = "glacier-retreat-doubles-the-flow-of-the-kessel-river"
    lines = seed_lines(site, slug)
    assert lines == html_paragraphs(page, "post-content")[:4]
    _no_boilerplate(lines, ["Log in", "newsletter", "Sign up", "Most read", "Ten hikes", "Advertise"])
    meta = check_provenance(site, slug, page, "html")
    assert meta["title"] == "Glacier retreat doubles the flow of the Kessel river"  # the headline, not "Home | Tidewater Review"
    assert meta["publisher"] == "Tidewater Review"
    assert str(meta["published"]) == "2022-09-18"
    assert meta["language"] == "en"
    assert meta["url"] == "https://tidewater.example/science/kessel-glacier"
    _, raw = annotation(site, slug)
    assert "\nauthor:\n  - Tomás Okafor\n  - Lena Virtanen\n" in raw
    note_and_build(site, slug, "twice as much meltwater", tmp_path / "out")


@pytest.fixture(scope="module")
def two_column_pdf(browser, tmp_path_factory):
    """The report typeset by Chromium: A4, two justified columns, words
    broken with a hyphen at line ends, a running header and page numbers."""
    path = tmp_path_factory.mktemp("pdf") / "arven-report.pdf"
    page = browser.new_page()
    page.goto((INTAKE / "two-columns.html").as_uri())
    page.pdf(path=str(path), format="A4", display_header_footer=True,
             header_template='<div style="font-size:8px;width:100%;text-align:center">Arven Estuary Report 2024</div>',
             footer_template='<div style="font-size:8px;width:100%;text-align:center"><span class="pageNumber"></span></div>',
             margin={"top": "22mm", "bottom": "22mm", "left": "18mm", "right": "18mm"})
    page.close()
    return path


def test_two_column_pdf_reads_in_order_without_hyphens_headers_or_page_numbers(tmp_path, two_column_pdf):
    site = new_site(tmp_path / "site")
    result = add(site, str(two_column_pdf))
    assert result.returncode == 0, result.stderr
    slug = "sediment-transport-in-the-lower-arven-estuary"
    lines = seed_lines(site, slug)
    expected = html_paragraphs(INTAKE / "two-columns.html")  # the authors' line, then each paragraph, in order
    assert lines == expected
    for joined in ("suspended", "exports", "agricultural", "efficiency", "tributaries", "underestimate"):
        assert any(joined in line for line in lines)
    assert not any(line.strip().isdigit() or "Arven Estuary Report" in line for line in lines)
    meta = check_provenance(site, slug, two_column_pdf, "pdf")
    assert meta["title"] == "Sediment transport in the lower Arven estuary"
    assert "published" not in meta  # the file's creation date is not the publication date
    assert "the file was created on" in result.stdout
    assert "running header, footer or page-number lines left out" in result.stdout
    assert "not found: author, publisher, published, language, url" in result.stdout
    note_and_build(site, slug, "trapping efficiency has fallen by half", tmp_path / "out")


def test_windows_1252_text_is_converted_and_says_which_encoding(tmp_path):
    site = new_site(tmp_path / "site")
    text = INTAKE / "minutes-windows-1252.txt"
    result = add(site, str(text))
    assert result.returncode == 0, result.stderr
    slug = "minutes-of-the-harbour-committee-12-june-2023"
    lines = seed_lines(site, slug)
    original = text.read_bytes().decode("cp1252").replace("\r\n", "\n").split("\n")
    assert lines == [line for line in original[1:] if line]  # the heading is the title
    assert "Jérôme" in lines[0] and "“winter fund” stands at €14,200" in lines[1] and "— items" in lines[3]
    meta = check_provenance(site, slug, text, "txt")
    assert meta["title"] == "Minutes of the harbour committee – 12 June 2023"
    assert meta["x-capture"]["encoding"] == "Windows-1252"
    assert "encoding: Windows-1252 (assumed: detected from the bytes)" in result.stdout
    note_and_build(site, slug, "winter fund", tmp_path / "out")


def test_a_source_inside_seeds_is_moved_to_captures_and_the_site_builds(tmp_path):
    site = new_site(tmp_path / "site")
    shutil.copy(INTAKE / "minutes-windows-1252.txt", site / "seeds" / "minutes.txt")
    check = run_cli("check", "--config", str(site / "site.yaml"))
    assert "convert it with: python -m generator add seeds/minutes.txt" in check.stderr
    result = add(site, str(site / "seeds" / "minutes.txt"))
    assert result.returncode == 0, result.stderr
    assert not (site / "seeds" / "minutes.txt").exists()
    assert "moved seeds/minutes.txt to captures/minutes-of-the-harbour-committee-12-june-2023.txt" in result.stdout
    check_provenance(site, "minutes-of-the-harbour-committee-12-june-2023", None, "txt")
    note_and_build(site, "minutes-of-the-harbour-committee-12-june-2023", "winter fund", tmp_path / "out")


def test_never_overwrites_and_force_replaces(tmp_path):
    site = new_site(tmp_path / "site")
    page = INTAKE / "news-article.html"
    assert add(site, str(page)).returncode == 0
    before = snapshot(site)
    again = add(site, str(page))
    assert again.returncode == 1
    assert ("news-article.html: error: already added as content/sources/regulators-ground-cargo-fleet-after-bolt-inspections.md "
            "(use --force to replace it)") in again.stderr
    assert snapshot(site) == before
    slug_taken = add(site, "--slug", "one", str(page))  # the minimal site's own source
    assert slug_taken.returncode == 1 and "seeds/one.txt, content/sources/one.md: already exists" in slug_taken.stderr
    assert snapshot(site) == before
    forced = add(site, "--force", str(page))
    assert forced.returncode == 0, forced.stderr
    assert sorted(snapshot(site)) == sorted(before)


def test_same_title_from_another_source_gets_a_new_slug(tmp_path):
    site = new_site(tmp_path / "site")
    copy = tmp_path / "follow-up.html"  # another story under the same headline
    copy.write_bytes((INTAKE / "news-article.html").read_bytes().replace(b"on Monday", b"on Tuesday"))
    result = add(site, str(INTAKE / "news-article.html"), str(copy))
    assert result.returncode == 0, result.stderr
    assert (site / "seeds" / "regulators-ground-cargo-fleet-after-bolt-inspections-2.txt").exists()
    assert "added 2 of 2 sources" in result.stdout
    assert result.stderr == ""  # no progress bar where stderr is not a terminal


def test_no_capture_keeps_no_copy(tmp_path):
    site = new_site(tmp_path / "site")
    result = add(site, "--no-capture", str(INTAKE / "jsonld-article.html"))
    assert result.returncode == 0, result.stderr
    assert not (site / "captures").exists()
    meta, _ = annotation(site, "glacier-retreat-doubles-the-flow-of-the-kessel-river")
    assert "x-capture" not in meta and "x-captured" in meta
    again = add(site, "--no-capture", str(INTAKE / "jsonld-article.html"))  # recognised by its seed's digest
    assert again.returncode == 1 and "already added as content/sources/glacier-retreat" in again.stderr


@pytest.mark.parametrize("name, data, message", [
    ("letter.rtf", b"{\\rtf1\\ansi Dear committee,\\par}", "error: this is an RTF document: add reads HTML, PDF and text"),
    ("broken.pdf", b"%PDF-1.4\nnot really a PDF\n", "error: this PDF cannot be read"),
    ("empty.txt", b"\n\n", "error: the file holds no text"),
    ("missing.html", None, "error: no such file"),
])
def test_a_source_that_fails_writes_nothing(tmp_path, name, data, message):
    site = new_site(tmp_path / "site")
    source = tmp_path / name
    if data is not None:
        source.write_bytes(data)
    before = snapshot(site)
    result = add(site, str(source), str(INTAKE / "jsonld-article.html"))
    assert result.returncode == 1
    assert f"{source}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    after = snapshot(site)
    added = set(after) - set(before)
    assert all("glacier-retreat" in name for name in added) and len(added) == 3  # only the good source's files


def test_a_year_in_the_body_of_a_page_is_not_its_publication_date(tmp_path):
    """htmldate reads "the charts of 1962 and 1998" as 1998-01-01: not a date to publish."""
    site = new_site(tmp_path / "site")
    result = add(site, "--no-capture", str(INTAKE / "two-columns.html"))
    assert result.returncode == 0, result.stderr
    meta, _ = annotation(site, "sediment-transport-in-the-lower-arven-estuary")
    assert "published" not in meta
    assert "a date in the text (1998-01-01) was not taken" in result.stdout


def test_a_slug_an_unannotated_seed_publishes_under_is_taken(tmp_path):
    """seeds/Glacier_Retreat_Doubles_The_Flow_Of_The_Kessel_River.TXT is published as the slug the page's title gives."""
    site = new_site(tmp_path / "site")
    (site / "seeds" / "Glacier_Retreat_Doubles_The_Flow_Of_The_Kessel_River.TXT").write_text("Wire copy.\n", encoding="utf-8")
    result = add(site, str(INTAKE / "jsonld-article.html"))
    assert result.returncode == 0, result.stderr
    assert (site / "seeds" / "glacier-retreat-doubles-the-flow-of-the-kessel-river-2.txt").exists()
