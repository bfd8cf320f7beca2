"""Every problem in one run, with the fix: one test per hint, the problems
a broken file no longer hides or causes, and the alias guard.

Each case writes a small site, runs ``check`` in process and reads the
messages exactly as the command line prints them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import check
from generator.content.quote_hints import closest_passage
from tests.conftest import MINIMAL_SITE, run_cli, write_site

SEED = ("Headline of the piece\n\n"
        "The Federal Aviation Administration said on Tuesday that Boeing\u02bcs line would stay capped.\n\n"
        "The strike went on while long-term plans were shelved and 171 jets waited.\n\n"
        "Analysts said a new deal would cost the company billions, a figure Boeing did not confirm in its "
        "statement to investors on Wednesday afternoon.\n\n"
        "Subscribe to our newsletter\n")
BOUNDED = "text:\n  start: The Federal Aviation\n  end: Wednesday afternoon.\n"


def _messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    site = write_site(tmp_path / "site", {"seeds/one.txt": SEED, "content/events.yaml": None, **files})
    return [str(d) for d in check(site / "site.yaml").items]


def _note(quote: str, extra: str = "", head: str = BOUNDED) -> dict[str, str]:
    return {"content/sources/one.md": f"---\nseed: one.txt\ntitle: One\n{head}notes:\n  - quote: {quote}\n"
                                      f"{extra}    body: A note.\n---\n"}


def _only(messages: list[str]) -> list[str]:
    errors = [m for m in messages if ": error: " in m]
    assert len(errors) == 1, messages
    return errors[0].split("\n")


def test_case_only(tmp_path):
    lines = _only(_messages(tmp_path, _note("the Federal Aviation Administration said")))
    assert lines[0] == 'content/sources/one.md:8: error: quote not found in the article text: "the Federal Aviation Administration said"'
    assert lines[1:5] == ['    closest passage: "The Federal Aviation Administration said"',
                          '    quote: "the Federal Aviation Administration said"',
                          '    text:  "The Federal Aviation Administration said"',
                          '            ^ they part here']
    assert '    hint: the case differs (quotes match case exactly): the text has "The" where the quote has "the"' in lines
    assert lines[-1] == '    fix: write the quote as the text has it: "The Federal Aviation Administration said"'


def test_apostrophe_normalisation_does_not_fold(tmp_path):
    lines = _only(_messages(tmp_path, _note("\"that Boeing's line\"")))
    assert any("apostrophes or quotation marks differ: the text has \u02bc (U+02BC MODIFIER LETTER APOSTROPHE) "
               "where the quote has ' (U+0027 APOSTROPHE)" in line for line in lines), lines
    assert lines[-1] == '    fix: write the quote as the text has it: "that Boeing\u02bcs line"'


def test_space(tmp_path):
    lines = _only(_messages(tmp_path, _note("and 171jets waited")))
    assert '    hint: spaces differ: the text has "171 jets" where the quote has "171jets"' in lines


def test_invisible_character_is_named(tmp_path):
    lines = _only(_messages(tmp_path, _note("and 171\u200b jets waited")))
    assert any("spaces differ" in line and "<U+200B>" in line for line in lines), lines


def test_hyphen_or_line_break(tmp_path):
    lines = _only(_messages(tmp_path, _note("long term plans")))
    assert '    hint: a hyphen or a line break differs: the text has "long-term" where the quote has "long term"' in lines


def test_outside_text_end(tmp_path):
    lines = _only(_messages(tmp_path, _note("Subscribe to our newsletter")))
    assert lines[1] == ("    hint: the seed has it after text.end, outside the article proper: "
                        "move text.start or text.end to include it")


def test_outside_text_start(tmp_path):
    lines = _only(_messages(tmp_path, _note("Headline of the piece")))
    assert "before text.start" in lines[1]


def test_removed_by_drop(tmp_path):
    head = "drop: [Subscribe to our newsletter]\n"
    lines = _only(_messages(tmp_path, _note("Subscribe to our newsletter", head=head)))
    assert lines[1] == '    hint: the seed has it on a line removed by drop (drop: "Subscribe to our newsletter")'


def test_long_quote_is_shortened_around_where_it_parts(tmp_path):
    quote = ("a new deal would cost the company billions, a figure Boeing did not confirm in its statement "
             "to investors on Thursday afternoon")
    lines = _only(_messages(tmp_path, _note(quote)))
    assert "Thursday" in lines[0], lines[0]  # the old message cut it before the words that differ
    assert lines[2] == '    quote: "...statement to investors on Thursday afternoon"'
    assert lines[3] == '    text:  "...statement to investors on Wednesday afternoon"'
    assert lines[4].index("^") == lines[2].index("Thursday")
    assert not any(line.startswith("    fix:") for line in lines)  # a word differs: no fix to offer


def test_prefix_that_never_touches(tmp_path):
    lines = _only(_messages(tmp_path, _note("plans were shelved", "    prefix: short-term\n")))
    assert lines[0].startswith('content/sources/one.md:8: error: quote occurs once in the article text, '
                               'but never with prefix "short-term"')
    assert lines[1] == '    before it the text reads: "...went on while long-term"'


def test_text_start_gets_the_same_help(tmp_path):
    files = {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\ntext:\n  start: the federal aviation\n---\n"}
    lines = _only(_messages(tmp_path, files))
    assert lines[0] == 'content/sources/one.md:5: error: text.start not found in the article text: "the federal aviation"'
    assert any("the case differs" in line for line in lines)


def test_evidence_quote_gets_the_same_help(tmp_path):
    events = ("- id: e\n  date: 2024\n  title: T\n  evidence:\n    - source: one\n"
              "      quote: long term plans were shelved\n")
    lines = _only(_messages(tmp_path, {"content/events.yaml": events}))
    assert lines[0].startswith("content/events.yaml:6: error: quote not found")
    assert any("a hyphen or a line break differs" in line for line in lines)


def test_closest_passage_in_a_long_article():
    words = " ".join(f"word{i}" for i in range(40000))
    text = words + " the rare passage about the harbour deal " + words
    start, end = closest_passage(text, "the rare pasage about the harbor deal")
    assert text[start:end] == "the rare passage about the harbour deal"


# -- did you mean -----------------------------------------------------------

@pytest.mark.parametrize("files, expected", [
    ({"content/sources/one.md": "---\nseed: One.txt\ntitle: One\n---\n"},
     "content/sources/one.md:2: error: seed file not found: seeds/One.txt (did you mean 'one.txt'?)"),
    ({"content/events.yaml": "- id: e\n  date: 2024\n  title: T\n  actors: [alcie]\n  evidence:\n    - url: https://example.org/\n      title: X\n"},
     "content/events.yaml:4: error: unknown actor id 'alcie' (did you mean 'alice'?)"),
    ({"content/events.yaml": "- id: e\n  date: 2024\n  title: T\n  evidence:\n    - source: oen\n      quote: Headline\n"},
     "content/events.yaml:5: error: unknown source 'oen' (did you mean 'one'?)"),
    ({"content/sources/one.md": "---\nseed: one.txt\ntitle: One\nnot_mentions:\n  - actor: alcie\n    quote: Headline\n---\n",
      "content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n  aliases: [Boeing]\n"},
     "content/sources/one.md:5: error: not_mentions: unknown actor id 'alcie' (did you mean 'alice'?)"),
])
def test_did_you_mean(tmp_path, files, expected):
    assert expected in _messages(tmp_path, files)


# -- YAML syntax ------------------------------------------------------------

@pytest.mark.parametrize("line, fixed", [
    ("title: NTSB report: four bolts missing", 'title: "NTSB report: four bolts missing"'),
    ("title: [Draft] NTSB report", 'title: "[Draft] NTSB report"'),
    ("title: @ntsb says", 'title: "@ntsb says"'),
    ('title: "NTSB" report', "title: '\"NTSB\" report'"),
])
def test_yaml_value_that_needs_quotes(tmp_path, line, fixed):
    files = {"content/sources/one.md": f"---\nseed: one.txt\n{line}\n---\n"}
    lines = _only(_messages(tmp_path, files))
    assert lines[0].startswith("content/sources/one.md:3: error: invalid YAML: "), lines
    assert lines[-1] == f"      {fixed}"
    assert "must be quoted" in lines[1] or "quotes must hold the whole value" in lines[1]


def test_yaml_indentation(tmp_path):
    events = "- id: e\n  date: 2024\n  title: T\n   summary: bad indent\n"
    lines = _only(_messages(tmp_path, {"content/events.yaml": events}))
    assert lines == ["content/events.yaml:4: error: invalid YAML: mapping values are not allowed in this context",
                     "    hint: line 4 is indented 3 spaces and the key above it 2: the keys of one mapping must line up (use spaces, not tabs)"]


def test_the_command_line_prints_the_hint_indented(tmp_path):
    site = write_site(tmp_path / "site", {"content/sources/one.md": "---\nseed: one.txt\ntitle: A: B\n---\n"})
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert ("content/sources/one.md:3: error: invalid YAML: mapping values are not allowed in this context\n"
            "    hint: a value containing ': '") in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


# -- no cascade -------------------------------------------------------------

EVENTS_WITH_FOUR_ERRORS = """\
- id: good
  date: 2024
  title: T
  actors: [alcie]
  evidence:
    - source: one
      quote: mentions Alice
- id: broken
  date: 2024
  title: T
   summary: bad indent
  evidence:
    - source: one
      quote: mentions Alice
- id: other
  date: 2024-13
  title: T
  evidence:
    - source: two
      quote: mentions Alice
"""


def test_a_syntax_error_in_events_hides_nothing_else(tmp_path):
    site = write_site(tmp_path / "site", {"content/events.yaml": EVENTS_WITH_FOUR_ERRORS})
    errors = [str(d).split("\n")[0] for d in check(site / "site.yaml").errors]
    assert errors == ["content/events.yaml:11: error: invalid YAML: mapping values are not allowed in this context",
                      "content/events.yaml:4: error: unknown actor id 'alcie' (did you mean 'alice'?)",
                      "content/events.yaml:16: error: 'date': impossible date '2024-13'",
                      "content/events.yaml:19: error: unknown source 'two'"]


def test_an_actor_lost_to_a_syntax_error_is_not_unknown(tmp_path):
    actors = "- id: alice\n  name: Alice\n  kind: person\n- id: bob\n  name: Bob\n   kind: person\n"
    events = MINIMAL_SITE["content/events.yaml"].replace("actors: [alice]", "actors: [alice, bob, carol]")
    site = write_site(tmp_path / "site", {"content/actors.yaml": actors, "content/events.yaml": events})
    errors = [str(d).split("\n")[0] for d in check(site / "site.yaml").errors]
    assert errors == ["content/actors.yaml:6: error: invalid YAML: mapping values are not allowed in this context",
                      "content/events.yaml:4: error: unknown actor id 'carol'"]


def test_an_actors_file_that_cannot_be_read_causes_no_unknown_actor(tmp_path):
    site = write_site(tmp_path / "site", {"content/actors.yaml": "id: [alice\n"})
    errors = [str(d).split("\n")[0] for d in check(site / "site.yaml").errors]
    assert len(errors) == 1 and errors[0].startswith("content/actors.yaml:"), errors


def test_a_kind_error_does_not_hide_an_alias_collision(tmp_path):
    actors = ("- id: alice\n  name: Alice\n  kind: company\n  aliases: [FAA]\n"
              "- id: faa\n  name: Federal Aviation Administration\n  kind: government\n  aliases: [FAA]\n")
    errors = [str(d) for d in check(write_site(tmp_path / "site", {"content/actors.yaml": actors}) / "site.yaml").errors]
    assert errors == ["content/actors.yaml:3: error: actor kind must be one of person, organization, government, other, got 'company'",
                      "content/actors.yaml:5: error: the string 'FAA' is given to two actors: 'alice' and 'faa'"]


def test_an_annotation_that_cannot_be_read_keeps_its_seed(tmp_path):
    site = write_site(tmp_path / "site", {"content/sources/one.md": "---\nseed: one.txt\ntitle: A: B\n---\n"})
    items = [str(d).split("\n")[0] for d in check(site / "site.yaml").items]
    assert items == ["content/sources/one.md:3: error: invalid YAML: mapping values are not allowed in this context"]


# -- the alias guard and not_mentions --------------------------------------

GUARD_SEED = ("Stan Deal left Boeing in March.\n\nThe union said the deal was not enough.\n\n"
              "Analysts said a new deal would cost billions.\n\nDeal, they said, was blamed.\n")
GUARD_ACTORS = "- id: stan-deal\n  name: Stan Deal\n  kind: person\n  aliases: [Deal]\n"


def _guard_site(tmp_path: Path, annotation_extra: str = "", actors: str = GUARD_ACTORS) -> list[str]:
    files = {"seeds/one.txt": GUARD_SEED, "content/actors.yaml": actors, "content/events.yaml": None,
             "content/sources/one.md": f"---\nseed: one.txt\ntitle: One\n{annotation_extra}---\n"}
    return [str(d) for d in check(write_site(tmp_path / "site", files) / "site.yaml").items]


def test_an_alias_that_is_a_common_word_is_a_warning(tmp_path):
    assert _guard_site(tmp_path) == [
        "content/actors.yaml:4: warning: the alias 'Deal' of 'stan-deal' also matches the lower-case \"deal\": "
        "2 mentions in lower case (one paragraph 2, one paragraph 3)\n"
        "    hint: if only 'Deal' as written names the actor, move it to exact_aliases (matched with case); "
        "to exclude one passage, add not_mentions to that source's annotation"]


def test_exact_aliases_silence_the_guard(tmp_path):
    actors = GUARD_ACTORS.replace("aliases: [Deal]", "exact_aliases: [Deal]")
    assert _guard_site(tmp_path, actors=actors) == []


def test_lower_case_text_and_sentence_starts_are_no_evidence(tmp_path):
    seed = "stan deal left boeing. deal was blamed.\n\nThe board met. deal? No.\n"
    files = {"seeds/one.txt": seed, "content/actors.yaml": GUARD_ACTORS, "content/events.yaml": None,
             "content/sources/one.md": "---\nseed: one.txt\ntitle: One\n---\n"}
    assert [str(d) for d in check(write_site(tmp_path / "site", files) / "site.yaml").items] == []


def test_not_mentions_excludes_passages(tmp_path):
    extra = ("not_mentions:\n  - actor: stan-deal\n    quote: the deal was not enough\n"
             "  - actor: stan-deal\n    quote: a new deal\n")
    assert _guard_site(tmp_path, extra) == []


def test_not_mentions_that_excludes_nothing_is_an_error(tmp_path):
    extra = "not_mentions:\n  - actor: stan-deal\n    quote: was not enough\n    prefix: the deal\n"
    messages = _guard_site(tmp_path, extra)
    assert "content/sources/one.md:5: error: not_mentions: the quote holds no mention of 'stan-deal' (nothing to exclude)" in messages


def test_not_mentions_quote_must_be_found(tmp_path):
    extra = "not_mentions:\n  - actor: stan-deal\n    quote: the Deal was not enough\n"
    messages = _guard_site(tmp_path, extra)
    assert any(m.startswith('content/sources/one.md:6: error: quote not found in the article text: "the Deal was not enough"')
               and "the case differs" in m for m in messages), messages


def test_text_end_only_before_text_start(tmp_path):
    files = {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\ntext:\n  start: The strike went on\n"
                                       "  end: said on Tuesday\n---\n"}
    assert _only(_messages(tmp_path, files)) == [
        'content/sources/one.md:6: error: text.end occurs only before text.start: "said on Tuesday"']


def test_two_syntax_errors_in_one_list_file_are_both_reported(tmp_path):
    events = ("- id: a\n  date: 2024\n  title: A: B\n  evidence:\n    - url: https://example.org/\n      title: X\n"
              "- id: b\n  date: 2024\n  title: T\n   summary: bad\n  evidence:\n    - url: https://example.org/\n      title: X\n")
    errors = [str(d).split("\n")[0] for d in check(write_site(tmp_path / "site", {"content/events.yaml": events}) / "site.yaml").errors]
    assert errors == ["content/events.yaml:3: error: invalid YAML: mapping values are not allowed in this context",
                      "content/events.yaml:10: error: invalid YAML: mapping values are not allowed in this context"]
