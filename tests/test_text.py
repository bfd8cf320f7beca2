"""Normalisation, seed decoding and quote matching: the rules of the content format."""

import pytest

from generator.content.seedtext import (SeedDecodeError, decode_seed, find_places, normalise, normalise_with_map,
                                        slug_from_name, split_paragraphs)


@pytest.mark.parametrize("raw, expected", [
    ("l’IA", "l'IA"),
    ("‘quoted’", "'quoted'"),
    ("“dit-il”", '"dit-il"'),
    ("«\u00a0coalition mondiale\u00a0»", '"coalition mondiale"'),
    ("« a »  et « b »", '"a" et "b"'),
    ("7\u00a0XNUMX", "7 XNUMX"),
    ("a\u202fb", "a b"),
    ("  lead and trail \t\n", "lead and trail"),
    ("one\n\n  two", "one two"),
    ("e\u0301te\u0301", "été"),  # NFC
    ("x\u2003\u3000y", "x y"),
    ("\x1cnot white space", "\x1cnot white space"),  # str.isspace() says yes, Unicode says no
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_normalise_map_points_back_to_the_source():
    source = "«\u00a0Sam  Altman\u00a0» dit"
    result = normalise_with_map(source)
    assert result.text == '"Sam Altman" dit'
    start = result.text.index("Altman")
    assert source[result.origin[start]: result.origin[start + 5] + 1] == "Altman"


def test_find_places_counts_overlapping_matches():
    assert find_places("aaaa", "aa") == [0, 1, 2]


def test_prefix_and_suffix_must_touch_the_quote():
    text = "the mayor agreed. Later the mayor refused."
    assert len(find_places(text, "the mayor")) == 2
    assert find_places(text, "the mayor", prefix="Later") == [24]
    assert find_places(text, "the mayor", suffix="agreed.") == [0]
    assert find_places(text, "the mayor", prefix="Lat") == []  # must touch: "Lat" does not end right before
    assert find_places(text, "mayor", prefix="the", suffix="refused") == [28]


def test_decode_seed_bom_crlf_and_errors():
    assert decode_seed("\ufeffa\r\nb\rc".encode("utf-8")) == "a\nb\nc"
    with pytest.raises(SeedDecodeError) as info:
        decode_seed(b"fine\nfine\nbad \xff here\n")
    assert info.value.line == 3


def test_paragraphs_are_non_blank_lines_numbered_from_one():
    article = split_paragraphs("  first line \n\n\t\nsecond\n   \nthird")
    assert [(p.number, p.text) for p in article.paragraphs] == [(1, "first line"), (2, "second"), (3, "third")]


def test_locate_splits_a_span_across_paragraphs():
    article = split_paragraphs("alpha beta\ngamma delta")
    start = article.norm.text.index("beta")
    end = article.norm.text.index("gamma") + len("gamma")
    assert article.locate(start, end) == [(1, 6, 10), (2, 0, 5)]


@pytest.mark.parametrize("name, slug", [
    ("Wire_Copy.TXT", "wire-copy"),
    ("000_d2de63c15c84905d.txt", "000-d2de63c15c84905d"),
    ("--Über  News!!.txt", "ber-news"),
    ("plain", "plain"),
])
def test_slug_from_seed_name(name, slug):
    assert slug_from_name(name) == slug


def test_markup_safe_replaces_exactly_what_markup_cannot_hold_over_all_of_unicode():
    """The scan is written for speed (one astral range, told apart in the
    replacement); this holds it to the rule, character by character."""
    from generator.render.sanitize import markup_safe

    def expected(code: int) -> str:
        char = chr(code)
        forbidden = ((code < 0x20 and char not in "\t\n\r") or 0x7F <= code <= 0x9F or 0xFDD0 <= code <= 0xFDEF
                     or code & 0xFFFE == 0xFFFE)
        if not forbidden:
            return char
        return " " if char in "\x0b\x0c\x85" else "\ufffd"

    codes = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    text = "".join(map(chr, codes))
    assert markup_safe(text) == "".join(map(expected, codes))
