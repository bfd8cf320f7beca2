"""The fast paths written for large corpora give exactly what the slow,
obviously right definitions give: normalisation, case folding, word
characters and mention matching. Random inputs are drawn from alphabets of
the characters where the rules have edge cases (white space of every kind,
guillemets, curly quotes, dotted and dotless i, long s, final sigma,
combining marks, characters beyond U+FFFF)."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

from generator.content import mentions
from generator.content.mentions import MentionMatcher, fold
from generator.content.seedtext import normalise, normalise_reference, normalise_with_map, split_paragraphs

SPACE_ALPHABET = ["a", "b", " ", "  ", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x1c", "\u00a0", "\u202f", "\u3000",
                  "\u00ab", "\u00bb", "\u00ab ", " \u00bb", "\u2019", "\u2018", "\u201c", "\u201d", "x"]


def _same(fast, slow):
    assert fast.text == slow.text
    assert len(fast.origin) == len(slow.origin) == len(fast.text)
    assert list(fast.origin) == list(slow.origin)
    assert [fast.origin[i] for i in range(len(fast.text))] == list(slow.origin)


def test_normalise_with_map_equals_the_reference_definition():
    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice(SPACE_ALPHABET) for _ in range(rng.randint(0, 14)))
        _same(normalise_with_map(text), normalise_reference(text))


def test_plain_text_maps_one_to_one_without_a_table():
    text = "A plain line, with “quotes” and a\u00a0non-breaking space."
    norm = normalise_with_map(text)
    assert norm.text == 'A plain line, with "quotes" and a non-breaking space.'
    assert isinstance(norm.origin, range)
    _same(norm, normalise_reference(text))


def test_article_paragraphs_and_joined_text_equal_the_reference():
    rng = random.Random(2)
    for _ in range(5000):
        text = "".join(rng.choice(SPACE_ALPHABET) for _ in range(rng.randint(0, 16)))
        article = split_paragraphs(text)
        _same(article.norm, normalise_reference(article.joined))
        for paragraph in article.paragraphs:
            _same(paragraph.norm, normalise_reference(paragraph.text))


def _is_word(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


def test_shipped_word_table_matches_this_pythons_unicode():
    assert mentions.word_ranges() == mentions.compute_word_ranges()


def test_word_class_pattern_matches_exactly_the_word_characters():
    pattern = re.compile(mentions.word_class())
    sample = [chr(c) for c in range(0, 0x3000)] + ["\U0001d400", "\U0001f600", "\U00020000", "\U000e0100", "\U0010fffd"]
    assert [c for c in sample if pattern.match(c)] == [c for c in sample if _is_word(c)]


def test_fold_agrees_with_re_ignorecase_on_every_code_point():
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    folded = "".join(fold(c) for c in everything)
    assert len(folded) == len(everything)
    probes = list("aAiIsSkKzZ\u0130\u0131\u017f\u00df\u00b5\u03c3\u03c2\u03a3\u0399\u03b9\u1fbe\u0345\u01c4\u01c5\u0434\u0412\u10d0")
    for probe in probes:
        expected = {m.start() for m in re.finditer(re.escape(probe), everything, re.IGNORECASE)}
        key = fold(probe)
        got = {i for i, char in enumerate(folded) if char == key}
        assert got == expected, probe


def _reference_mentions(actors, text):
    """The content format's rule, spelled out: every form at every place,
    whole words only, then longest, leftmost, first actor."""
    candidates = []
    for index, (name, aliases, exact) in enumerate(actors):
        forms = [(True, f) for f in exact] + [(False, f) for f in [name, *aliases] if f not in exact]
        for is_exact, form in forms:
            if not form:
                continue
            places = re.finditer(f"(?=({re.escape(form)}))", text, 0 if is_exact else re.IGNORECASE)
            for place in places:
                start, end = place.span(1)
                if (start > 0 and _is_word(text[start - 1])) or (end < len(text) and _is_word(text[end])):
                    continue
                candidates.append((start, end, index))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    chosen = []
    for cand in candidates:
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    return sorted(set(chosen))


ALPHABET = list("abAB ıIİiſsSΣσς'’-.é_²x") + ["e\u0301", "\u00a0", "\U0001d400", "\U0001f600", "AB", "ab "]


def _random_actors(rng):
    actors, seen = [], set()
    for _ in range(rng.randint(1, 4)):
        def word():
            return normalise("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 3))))
        name, aliases = word(), [word() for _ in range(rng.randint(0, 2))]
        exact = [word() for _ in range(rng.randint(0, 1))]
        # The loader refuses one string given to two actors; so does this generator.
        keys = {(True, e) for e in exact if e} | {(False, fold(t)) for t in [name, *aliases] if t and t not in exact}
        if not name or keys & seen:
            continue
        seen |= keys
        actors.append((name, [a for a in aliases if a], [e for e in exact if e]))
    return actors


def test_mention_matcher_equals_the_spelled_out_rule():
    rng = random.Random(3)
    checked = 0
    for _ in range(120):
        actors = _random_actors(rng)
        if not actors:
            continue
        matcher = MentionMatcher(actors)
        for _ in range(100):
            text = normalise("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 18))))
            assert matcher.find(text) == _reference_mentions(actors, text), (actors, text)
            checked += 1
    assert checked > 8000


@pytest.mark.parametrize("text, expected", [
    ("Sam Altman met Altman.", [(0, 10, 0), (15, 21, 0)]),
    ("d'OpenAI et l'UAE", [(2, 8, 1), (14, 17, 2)]),
    ("SAM ALTMAN; uae; Uae", [(0, 10, 0)]),
    ("𝐀 OpenAI😀", [(2, 8, 1)]),
])
def test_mention_examples_from_the_content_format(text, expected):
    actors = [("Sam Altman", ["Altman"], []), ("OpenAI", [], []), ("United Arab Emirates", [], ["UAE"])]
    assert MentionMatcher(actors).find(text) == expected


# -- the article's HTML, made directly, is Python-Markdown's rendering of its Markdown --

def _article_pairs(config_path):
    from generator.build import load
    from generator.errors import Diagnostics
    from generator.content.converter import Markup
    from generator.render.urls import Urls
    from generator.render.views import ViewBuilder
    config, site = load(config_path, Diagnostics())
    views = ViewBuilder(site, Markup(Urls(config.base_url).base_path))
    # The generated article's own HTML (marks, note boxes) is the site's: it is
    # rendered as with allow_html. (These sites' note bodies hold no raw HTML.)
    trusted = Markup(Urls(config.base_url).base_path, allow_html=True)
    for source in site.sources:
        page = views.source_markdown(source)
        yield page, trusted.article(page.article)


@pytest.mark.parametrize("publish", ["full", "excerpts"])
def test_article_html_equals_markdown_rendering_on_the_fixture(full_site, publish):
    if publish == "excerpts":
        config = full_site / "site.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "publish_text: excerpts\n", encoding="utf-8")
    pairs = list(_article_pairs(full_site / "site.yaml"))
    assert len(pairs) == 3
    for page, rendered in pairs:
        assert page.article_html == rendered
    if publish == "excerpts":
        assert any('class="original-link"' in page.article_html for page, _ in pairs)


SEED_PIECES = ["Alice", "alice", " ", "*", "_", "**", "`", "\\", "[", "]", "(", ")", "#", "+", "-", ".", "!", "<", ">",
               "&", "&amp;", "&#39;", "<b>", "{: #x }", "  ", "1. ", "- ", "> ", "===", "---", "|", "~", ":",
               "http://x.y", "<http://a>", "é", "’", "“", "\u00a0", "word", "'", '"', "@", "{", "}", "=", "    code",
               "![x](y)", "[a](b)", "<!-- c -->", "&copy;", "&#x41;", "<script>alert(1)</script>"]


def test_article_html_equals_markdown_rendering_on_random_seeds(tmp_path):
    from conftest import write_site
    rng = random.Random(4)
    compared = 0
    for trial in range(60):
        lines = ["".join(rng.choice(SEED_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 4))]
        seed = "\n".join(lines) + "\nSecond paragraph mentions Alice.\n"
        root = write_site(tmp_path / str(trial), {
            "seeds/one.txt": seed,
            "content/sources/one.md": "---\nseed: one.txt\ntitle: One\nnotes:\n  - quote: mentions Alice\n"
                                      "    kind: correction\n    should_read: \"says *Alice* & <co> (1.)\"\n"
                                      "    body: \"A *note* with [a link](/timeline/).\"\n---\n",
        })
        for page, rendered in _article_pairs(root / "site.yaml"):
            assert page.article_html == rendered, seed
            compared += 1
    assert compared == 60


def test_a_tab_in_a_seed_stays_a_tab(tmp_path):
    """The one known difference: Python-Markdown expands tabs to spaces; the
    article's HTML shows the seed's text as it is (a browser shows either as
    one space)."""
    from conftest import write_site
    root = write_site(tmp_path, {"seeds/one.txt": "Tab\there.\n\nSecond paragraph mentions Alice.\n"})
    (page, rendered), = _article_pairs(root / "site.yaml")
    assert "Tab\there." in page.article_html
    assert "Tab\there." not in rendered
    assert page.article_html == re.sub("Tab +here", "Tab\there", rendered)


def test_escape_markdown_equals_its_regular_expression_definition():
    from generator.content.converter import escape_markdown
    rng = random.Random(6)
    for _ in range(20000):
        text = "".join(rng.choice("ab \\`*_{}[]()#+-.!&<>é;") for _ in range(rng.randint(0, 20)))
        expected = re.sub(r"([\\`*_{}\[\]()#+\-.!])", r"\\\1",
                          text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        assert escape_markdown(text) == expected


def test_front_matter_is_the_same_with_or_without_libyaml():
    """The Markdown pages' front matter is written with libyaml's emitter when
    PyYAML has it; PyYAML's own must give the same text (a machine without
    libyaml builds the same site)."""
    import yaml
    if not hasattr(yaml, "CSafeDumper"):
        pytest.fail("PyYAML without libyaml: this test compares the two emitters")
    values = [
        {"title": "Le conseil s'oppose", "slug": "conseil", "published": "~2024-03", "language": "fr",
         "translated_from": {"publisher": "Portvale Gazette", "title": "Council: opposes #1", "url": "https://x.example/a?b=c"},
         "tags": ["harbour", "deals"], "paragraphs": 12, "notes": 3},
        {"title": "« Guillemets » — dash: colon, 'quotes' \"double\" & <tags>", "seed": "Wire_Copy.TXT"},
        {"title": "yes", "publisher": "null", "url": "- not a list", "x": "2024-01-02", "y": "1e3", "z": "@at"},
        {"title": "a" * 300, "publisher": "line\nbreak", "language": "zh", "seed": "漢字.txt", "tags": ["\u00e9t\u00e9"]},
    ]
    for meta in values:
        fast = yaml.dump(meta, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=1000)
        slow = yaml.dump(meta, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=1000)
        assert fast == slow, meta


def test_a_part_of_the_joined_text_is_its_slice():
    """``Article.text_between`` (the joined text is not kept) gives what
    slicing the joined text gives, paragraph breaks included."""
    rng = random.Random(7)
    for _ in range(2000):
        text = "\n".join(rng.choice(["", "a", "bc d", "  x  ", "hello world", "\u00ab  q \u00bb", "\t"])
                         for _ in range(rng.randint(0, 6)))
        article = split_paragraphs(text)
        joined = article.joined
        for _ in range(10):
            start, end = rng.randint(0, len(joined) + 2), rng.randint(0, len(joined) + 2)
            assert article.text_between(start, end) == joined[start:end]
