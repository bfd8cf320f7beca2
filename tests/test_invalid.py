"""One case per kind of bad input: the message, its line, exit status 1,
no traceback, and the previous output left exactly as it was."""

import pytest

from tests.conftest import run_cli, snapshot, write_site

EVENT_OK = "- id: first\n  date: 2024-01\n  title: First event\n  actors: [alice]\n  evidence:\n    - source: one\n      quote: mentions Alice\n"

CASES = {
    "invalid-yaml-front-matter": (
        {"content/sources/one.md": "---\nseed: one.txt\ntitle: [unclosed\n---\nBody\n"},
        ["content/sources/one.md:3: error: invalid YAML"]),
    "invalid-yaml-events": (
        {"content/events.yaml": EVENT_OK + "- id: second\n  date: 2024\n   title: bad indent\n"},
        ["content/events.yaml:10: error: invalid YAML"]),
    "unknown-actor-id": (
        {"content/events.yaml": EVENT_OK.replace("actors: [alice]", "actors: [alice, bob]")},
        ["content/events.yaml:4: error: unknown actor id 'bob'"]),
    "unknown-source": (
        {"content/events.yaml": EVENT_OK.replace("source: one", "source: two")},
        ["content/events.yaml:6: error: unknown source 'two'"]),
    "quote-not-found": (
        {"content/events.yaml": EVENT_OK.replace("mentions Alice", "mentions Bob")},
        ['content/events.yaml:7: error: quote not found in the article text: "mentions Bob"']),
    "quote-ambiguous": (
        {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\nnotes:\n  - quote: paragraph\n    body: Which one?\n---\n"},
        ['content/sources/one.md:5: error: quote matches 2 places in the article text']),
    "bad-slug-id": (
        {"content/actors.yaml": "- id: Alice_B\n  name: Alice\n  kind: person\n"},
        ["content/actors.yaml:1: error: 'id' must be a slug", "content/events.yaml:4: error: unknown actor id 'alice'"]),
    "bad-slug-file-name": (
        {"content/sources/One_Source.md": "---\nseed: one.txt\ntitle: One\n---\n", "content/sources/one.md": None},
        ["content/sources/One_Source.md: error: file name must be a slug"]),
    "bad-date": (
        {"content/events.yaml": EVENT_OK.replace("date: 2024-01", "date: 2025-13-45")},
        ["content/events.yaml:2: error: 'date': impossible date '2025-13-45'"]),
    "end-before-date": (
        {"content/events.yaml": EVENT_OK.replace("date: 2024-01\n", "date: 2024-01\n  end: 2023\n")},
        ["content/events.yaml:3: error: 'end' (2023) is before 'date' (2024-01)"]),
    "missing-seed": (
        {"content/sources/one.md": "---\nseed: missing.txt\ntitle: One\n---\n"},
        ["content/sources/one.md:2: error: seed file not found: seeds/missing.txt"]),
    "seed-outside-folder": (
        {"content/sources/one.md": "---\nseed: ../site.yaml\ntitle: One\n---\n"},
        ["content/sources/one.md:2: error: 'seed' must be a file name in the seeds folder"]),
    "non-utf8-seed": (
        {"seeds/one.txt": b"First paragraph.\n\nSecond \xe9t\xe9 mentions Alice.\n"},
        ["seeds/one.txt:3: error: not UTF-8"]),
    "unknown-key-front-matter": (
        {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\npublihsed: 2024\n---\n"},
        ["content/sources/one.md:4: error: unknown key 'publihsed' (did you mean 'published'?)"]),
    "unknown-key-site": (
        {"site.yaml": "title: T\nbase_url: https://example.org/repo/\nlanguge: en\n"},
        ["site.yaml:3: error: unknown key 'languge' (did you mean 'language'?)"]),
    "unknown-key-actor": (
        {"content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n  alias: [A]\n"},
        ["content/actors.yaml:4: error: unknown key 'alias' in actor (did you mean 'aliases'?)"]),
    "duplicate-actor-id": (
        {"content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n- id: alice\n  name: Alice B\n  kind: person\n"},
        ["content/actors.yaml:4: error: duplicate actor id 'alice' (first at line 1)"]),
    "duplicate-event-id": (
        {"content/events.yaml": EVENT_OK + EVENT_OK},
        ["content/events.yaml:8: error: duplicate event id 'first' (first at line 1)"]),
    "duplicate-yaml-key": (
        {"content/actors.yaml": "- id: alice\n  name: Alice\n  name: Alicia\n  kind: person\n"},
        ["content/actors.yaml:3: error: duplicate key 'name'"]),
    "same-string-two-actors": (
        {"content/actors.yaml": "- id: alice\n  name: Alice\n  kind: person\n- id: other\n  name: Other\n  aliases: [alice]\n  kind: person\n"},
        ["content/actors.yaml:4: error: the string 'alice' is given to two actors: 'alice' and 'other'"]),
    "bad-kind": (
        {"content/actors.yaml": "- id: alice\n  name: Alice\n  kind: human\n"},
        ["content/actors.yaml:3: error: actor kind must be one of person, organization, government, other, got 'human'"]),
    "correction-without-should-read": (
        {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\nnotes:\n  - quote: mentions Alice\n    kind: correction\n    body: Wrong.\n---\n"},
        ["content/sources/one.md:5: error: a correction needs 'should_read'"]),
    "text-start-not-found": (
        {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\ntext:\n  start: Nowhere to be found\n---\n"},
        ['content/sources/one.md:5: error: text.start not found in the article text: "Nowhere to be found"']),
    "reserved-page": (
        {"content/pages/timeline.md": "---\ntitle: Mine\n---\n"},
        ["content/pages/timeline.md: error: the page slug 'timeline' is reserved"]),
    "evidence-empty": (
        {"content/events.yaml": "- id: first\n  date: 2024\n  title: T\n  evidence: []\n"},
        ["content/events.yaml:4: error: 'evidence' needs at least one item"]),
    "missing-required": (
        {"content/events.yaml": "- id: first\n  title: T\n"},
        ["content/events.yaml:1: error: missing required key 'date' event", "content/events.yaml:1: error: missing required key 'evidence' event"]),
    "yaml-python-tag": (
        {"content/actors.yaml": "- !!python/object/apply:os.system ['echo pwned']\n"},
        ["content/actors.yaml:1: error: unsupported YAML tag"]),
    "bad-base-url": (
        {"site.yaml": "title: T\nbase_url: example.org/repo\n"},
        ["site.yaml:2: error: base_url must be an absolute http(s) URL"]),
    "two-annotations-one-seed": (
        {"content/sources/two.md": "---\nseed: one.txt\ntitle: Two\n---\n"},
        ["content/sources/two.md:2: error: seed 'one.txt' is already annotated by content/sources/one.md"]),
    "missing-site-yaml": (
        {"site.yaml": None},
        ["site.yaml: error: site configuration not found"]),
    "text-field-with-binary-tag": (
        {"content/events.yaml": EVENT_OK.replace("title: First event", "title: !!binary aGVsbG8=")},
        ["content/events.yaml:3: error: 'title' must be text, got binary data (from a YAML tag such as !!binary"]),
    "date-given-a-mapping": (
        {"content/sources/one.md": "---\nseed: one.txt\ntitle: One\npublished: {y: 2024}\n---\n"},
        ["content/sources/one.md:4: error: 'published': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got a mapping"]),
    "nav-not-a-number": (
        {"content/pages/about.md": "---\ntitle: About\nnav: .nan\n---\nText.\n"},
        ["content/pages/about.md:3: error: 'nav' must be a number such as 1 or 2.5, got '.nan'"]),
    "nav-sexagesimal": (
        {"content/pages/about.md": "---\ntitle: About\nnav: 1:30\n---\nText.\n"},
        ["content/pages/about.md:3: error: 'nav' must be a number such as 1 or 2.5, got '1:30'"]),
    "empty-front-matter": (
        {"content/sources/one.md": "---\n---\nCommentary.\n"},
        ["content/sources/one.md:1: error: front matter is empty: 'seed' and 'title' are required"]),
    "empty-front-matter-page": (
        {"content/pages/about.md": "---\n# nothing yet\n---\nText.\n"},
        ["content/pages/about.md:1: error: front matter is empty: 'title' is required"]),
    "site-yaml-not-utf8": (
        {"site.yaml": b"title: T\nbase_url: https://example.org/repo/\ndescription: caf\xe9\n"},
        ["site.yaml:3: error: not UTF-8: byte 0xe9 cannot be decoded"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_previous_output_kept(tmp_path, case):
    site = write_site(tmp_path / "site", {})
    out = tmp_path / "out"
    good = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out))
    assert good.returncode == 0, good.stderr
    before = snapshot(out)
    files, expected = CASES[case]
    if "site.yaml" in files and files["site.yaml"] is None:
        (site / "site.yaml").unlink()
        files = {k: v for k, v in files.items() if k != "site.yaml"}
    for name, content in files.items():
        path = site / name
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for line in expected:
        if line.startswith("site.yaml: error: site configuration"):
            assert "site.yaml: error: site configuration not found" in result.stderr
        else:
            assert line in result.stderr, f"expected {line!r} in:\n{result.stderr}"
    assert snapshot(out) == before
    check = run_cli("check", "--config", str(site / "site.yaml"))
    assert check.returncode == 1


def test_all_problems_are_reported_together(tmp_path):
    site = write_site(tmp_path, {
        "content/sources/one.md": "---\nseed: one.txt\ntitle: One\npublished: 2024-02-31\ncolour: red\n---\n",
        "content/events.yaml": EVENT_OK.replace("alice]", "zed]").replace("mentions Alice", "no such words"),
    })
    result = run_cli("build", "--config", str(site / "site.yaml"))
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 4, result.stderr


def test_a_seed_linking_outside_the_seeds_folder_is_refused(tmp_path):
    site = write_site(tmp_path / "site", {})
    (tmp_path / "secret.txt").write_text("private notes\n")
    (site / "seeds" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "seeds/leak.txt: error: seed is a link to a file outside the seeds folder" in result.stderr.splitlines()
    assert str(tmp_path) not in result.stderr  # the link's path as written, not its absolute path
    assert not (site / "public").exists()


def errors_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("actors, expected", [
    ("- id: alice\n  name: [unclosed\n", "content/actors.yaml:3: error: invalid YAML"),
    ("id: alice\nname: Alice\n", "content/actors.yaml:1: error: actors.yaml must be a list of actors"),
    ("- id: alice\n  name: Alice\n  kind: human\n", "content/actors.yaml:3: error: actor kind must be one of"),
])
def test_an_actor_that_failed_to_load_is_not_also_an_unknown_id(tmp_path, actors, expected):
    """Events naming an actor whose entry (or whole file) has errors get no
    second message: fixing actors.yaml fixes both."""
    site = write_site(tmp_path, {"content/actors.yaml": actors})
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [error] = errors_of(result)
    assert error.startswith(expected), result.stderr


def test_an_unknown_actor_is_still_reported_beside_a_broken_one(tmp_path):
    site = write_site(tmp_path, {
        "content/actors.yaml": "- id: alice\n  name: Alice\n  kind: human\n",
        "content/events.yaml": EVENT_OK.replace("actors: [alice]", "actors: [alice, bob]"),
    })
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert "content/events.yaml:4: error: unknown actor id 'bob'" in errors_of(result)
    assert "unknown actor id 'alice'" not in result.stderr


def test_a_symlinked_seeds_folder_is_reported_on_the_folder_not_on_site_yaml(tmp_path):
    site = write_site(tmp_path / "site", {})
    (site / "seeds").rename(tmp_path / "elsewhere")
    (site / "seeds").symlink_to(tmp_path / "elsewhere")
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [error] = errors_of(result)
    assert error.startswith("seeds: error: the seeds folder is a link to a folder outside the site folder ("), error
    assert "site.yaml" not in result.stderr


def test_a_folder_setting_through_a_link_is_reported_at_its_line(tmp_path):
    site = write_site(tmp_path / "site", {"site.yaml": "title: T\nbase_url: https://example.org/repo/\nseeds_dir: data/seeds\n"})
    (site / "data").symlink_to(tmp_path)
    (tmp_path / "seeds").mkdir()
    result = run_cli("build", "--config", str(site / "site.yaml"))
    [error] = errors_of(result)
    assert error.startswith("site.yaml:3: error: 'seeds_dir': the seeds folder is a link to a folder outside the site folder"), error


def test_invisible_characters_are_shown_in_messages(tmp_path):
    """A zero-width space or a bidi override in a quote or a key would make
    the message show text that looks right; they are written as escapes."""
    site = write_site(tmp_path, {
        "content/events.yaml": EVENT_OK.replace("mentions Alice", "mentions\u200b Alice").replace("  title:", "  ti\u202etle: x\n  title:"),
    })
    result = run_cli("build", "--config", str(site / "site.yaml"))
    errors = errors_of(result)
    assert 'content/events.yaml:8: error: quote not found in the article text: "mentions\\u200b Alice"' in errors, result.stderr
    assert "content/events.yaml:3: error: unknown key 'ti\\u202etle' in event (did you mean 'title'?)" in errors, result.stderr
    assert "\u200b" not in result.stderr and "\u202e" not in result.stderr


@pytest.mark.parametrize("bad", ["../x", "/etc/x", "a/../../x", "", "c:/x", "a\\..\\b"])
def test_writer_refuses_paths_leaving_the_output(tmp_path, bad):
    from generator.publish.writer import OutputError, safe_join
    with pytest.raises(OutputError):
        safe_join(tmp_path, bad)


def test_an_alias_bomb_is_refused_and_a_large_plain_document_is_not():
    """The node budget stops documents whose aliases multiply (billion laughs),
    not large files: 40,000 events hold about a million values."""
    from generator.content import yamlio
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    with pytest.raises(yamlio.YamlError, match="too large"):
        yamlio.load(bomb)
    events = "".join(f"- id: e{i}\n  date: 2024-01-01\n  title: Event {i}\n  actors: [a, b]\n" for i in range(60_000))
    loaded = yamlio.load(events)
    assert len(loaded) == 60_000 and loaded[59_999]["actors"] == ["a", "b"]
    assert loaded.line_of(59_999) == 4 * 59_999 + 1
