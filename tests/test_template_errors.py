"""A site's own template with an error: reported once, at the file and line
where the error is (the overriding ``templates/base.html``, not the page's
template that extends it), by build and check alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.templating import THEME_DIR
from tests.conftest import run_cli, write_site


def base_with(line5: str) -> str:
    lines = (THEME_DIR / "base.html").read_text(encoding="utf-8").split("\n")
    lines[4] = line5
    return "\n".join(lines)


@pytest.mark.parametrize("line5, message", [
    ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero (while rendering / and 9 other pages)"),
    ("{{ no_such_variable }}", "'no_such_variable' is undefined (while rendering / and 9 other pages)"),
    ("{% if %}", "template syntax error: Expected an expression, got 'end of statement block'"),
])
@pytest.mark.parametrize("command", ["build", "check"])
def test_an_error_in_an_overriding_base_template_is_reported_once_at_its_line(tmp_path, command, line5, message):
    site = write_site(tmp_path / "site", {"templates/base.html": base_with(line5)})
    result = run_cli(command, "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"templates/base.html:5: error: {message}"], result.stderr
    assert "Traceback" not in result.stderr


def test_an_error_in_a_page_template_is_at_that_template(tmp_path):
    page = '{% extends "base.html" %}\n{% block main %}\n<p>{{ intro_title }}</p>\n<p>{{ missing.thing }}</p>\n{% endblock %}\n'
    site = write_site(tmp_path / "site", {"templates/home.html": page})
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["templates/home.html:4: error: 'missing' is undefined (while rendering /)"], result.stderr
