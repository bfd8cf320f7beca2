"""Input files that are not plain files of the site: links that loop or lead
out of the site, named pipes, names that are not UTF-8. Each gets a
``path: error: message`` line and exit status 1 from build, check and new,
never a traceback or a build that waits forever (``run_cli``'s timeout only
fails a test that would hang; nothing here is timed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, snapshot, write_site


def _fails_cleanly(site: Path, expected: str, *commands: tuple[str, ...]) -> None:
    for command in commands or (("build",), ("check",)):
        result = run_cli(*command, "--config", str(site / "site.yaml"), cwd=site)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert expected in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)


def test_a_symlink_loop_in_seeds_is_an_error_not_a_traceback(tmp_path):
    site = write_site(tmp_path / "site", {})
    (site / "seeds" / "loop.txt").symlink_to("loop.txt")
    _fails_cleanly(site, "seeds/loop.txt: error: cannot read file: Too many levels of symbolic links")
    assert not (site / "public").exists()


def test_a_seed_name_that_is_not_utf8_is_an_error_in_build_check_and_new(tmp_path):
    site = write_site(tmp_path / "site", {})
    name = os.path.join(os.fsencode(site / "seeds"), b"caf\xe9.txt")
    fd = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"Une histoire.\n")
    os.close(fd)
    expected = "seeds/caf\\xe9.txt: error: file name is not valid UTF-8; rename it"
    _fails_cleanly(site, expected)
    _fails_cleanly(site, expected, ("new", os.fsdecode(name)))
    assert sorted(p.name for p in (site / "content" / "sources").iterdir()) == ["one.md"]


def test_a_named_pipe_as_events_yaml_is_an_error_not_a_hang(tmp_path):
    site = write_site(tmp_path / "site", {"content/events.yaml": None})
    os.mkfifo(site / "content" / "events.yaml")
    _fails_cleanly(site, "content/events.yaml: error: cannot read file: not a regular file but a named pipe (FIFO)")


@pytest.mark.parametrize("name", ["seeds/two.txt", "content/sources/two.md", "content/pages/about.md",
                                  "templates/base.html", "templates/assets/extra.css"])
def test_a_named_pipe_anywhere_in_the_site_is_an_error(tmp_path, name):
    site = write_site(tmp_path / "site", {})
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(site / name)
    _fails_cleanly(site, f"{name}: error: ")
    assert not (site / "public").exists()


def test_a_named_pipe_as_site_yaml_is_an_error_not_a_hang(tmp_path):
    site = write_site(tmp_path / "site", {"site.yaml": None})
    os.mkfifo(site / "site.yaml")
    _fails_cleanly(site, "cannot read site configuration: not a regular file but a named pipe (FIFO)")


def test_an_asset_linking_outside_the_site_is_not_published(tmp_path):
    site = write_site(tmp_path / "site", {"templates/assets/extra.css": "p { color: teal; }\n"})
    (site / "templates" / "assets" / "leak.txt").symlink_to("/etc/passwd")
    _fails_cleanly(site, "templates/assets/leak.txt: error: asset is a link to a file outside the templates folder")
    assert not (site / "public").exists()
    # With the link gone, the site's own assets are published beside the theme's.
    (site / "templates" / "assets" / "leak.txt").unlink()
    run_cli("build", "--config", str(site / "site.yaml"), check=True)
    published = snapshot(site / "public")
    assert published["assets/extra.css"] == b"p { color: teal; }\n"
    assert "assets/leak.txt" not in published and "assets/style.css" in published


def test_a_template_linking_outside_the_site_is_refused(tmp_path):
    site = write_site(tmp_path / "site", {})
    (tmp_path / "secret.html").write_text("private notes\n")
    (site / "templates").mkdir()
    (site / "templates" / "404.html").symlink_to(tmp_path / "secret.html")
    _fails_cleanly(site, "templates/404.html: error: template is a link to a file outside the templates folder")


def test_a_previous_output_survives_a_named_pipe_added_after_a_build(tmp_path):
    """The pipe is an input like any other: adding one changes what the build sees."""
    site = write_site(tmp_path / "site", {})
    run_cli("build", "--config", str(site / "site.yaml"), check=True)
    before = snapshot(site / "public")
    os.mkfifo(site / "seeds" / "two.txt")
    _fails_cleanly(site, "seeds/two.txt: error: cannot read file: not a regular file but a named pipe (FIFO)", ("build",))
    assert snapshot(site / "public") == before


def test_a_seed_linking_outside_is_named_as_it_is_listed_not_by_its_target(tmp_path):
    site = write_site(tmp_path / "site", {})
    (tmp_path / "secret.txt").write_text("private notes\n")
    (site / "seeds" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "seeds/leak.txt: error: seed is a link to a file outside the seeds folder"
