"""Mentions: whole words, case rules, longest match, one pass over all forms."""

from generator.content.mentions import MentionMatcher
from generator.content.seedtext import normalise


def matcher(*actors):
    return MentionMatcher([(normalise(n), [normalise(a) for a in al], [normalise(e) for e in ex]) for n, al, ex in actors])


def found(m, text):
    text = normalise(text)
    return [(text[s:e], actor) for s, e, actor in m.find(text)]


def test_longest_wins_then_leftmost():
    m = matcher(("Sam Altman", ["Altman"], []), ("OpenAI", [], []))
    assert found(m, "Sam Altman of OpenAI met Altman.") == [("Sam Altman", 0), ("OpenAI", 1), ("Altman", 0)]


def test_case_insensitive_names_and_case_sensitive_exact_aliases():
    m = matcher(("United Arab Emirates", ["Émirats arabes unis"], ["EAU", "UAE"]), ("Water", ["eau"], []))
    assert found(m, "Les ÉMIRATS ARABES UNIS (EAU) et l'eau. Eau.") == [
        ("ÉMIRATS ARABES UNIS", 0), ("EAU", 0), ("eau", 1), ("Eau", 1)]


def test_exact_alias_equal_to_the_name_is_case_sensitive_only():
    m = matcher(("X", [], ["X"]))
    assert found(m, "X and x") == [("X", 0)]


def test_whole_words_only_with_apostrophes_and_accents():
    m = matcher(("OpenAI", [], []), ("UAE", [], []))
    assert found(m, "d'OpenAI, l’UAE, OpenAIx, xOpenAI, OpenAI2, OpenAIé") == [("OpenAI", 0), ("UAE", 1)]


def test_overlap_prefers_longer_then_actor_listed_first():
    m = matcher(("New York", [], []), ("York Times", [], []), ("York", [], []))
    assert found(m, "New York Times") == [("York Times", 1)]  # the longest wins
    m1 = matcher(("cd ef", [], []), ("ab cd", [], []))
    assert found(m1, "ab cd ef") == [("ab cd", 1)]  # same length: the leftmost wins
    m2 = matcher(("Alpha", ["AB"], []), ("Beta", ["ab"], []))
    assert found(m2, "ab") == [("ab", 0)]


def test_shorter_form_survives_when_the_longer_form_loses():
    # "a b c" (0) overlaps the longer "b c d e" (1) and loses; the shorter "a" still counts.
    m = matcher(("a b c", ["a"], []), ("b c d e", [], []))
    assert found(m, "a b c d e") == [("a", 0), ("b c d e", 1)]


def test_mentions_never_cross_paragraphs_in_the_loader(tmp_path):
    from tests.conftest import run_cli, write_site
    site = write_site(tmp_path, {
        "seeds/one.txt": "Sam\nAltman spoke. Alice too.\n",
        "content/actors.yaml": "- id: sam\n  name: Sam Altman\n  kind: person\n- id: alice\n  name: Alice\n  kind: person\n",
        "content/events.yaml": None,
    })
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert "actor 'sam' (Sam Altman) is never mentioned" in result.stderr
