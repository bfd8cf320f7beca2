"""Regression tests for the crashes and invalid output that fuzzing found.

Each test is one input that once ended in a traceback, a crash of the
interpreter or invalid output, run through the command line as a user
would; it now ends in a built site or a clean ``path:line: error:`` report.
"""

from __future__ import annotations

import pytest

from conftest import run_cli, write_site

pytestmark = pytest.mark.fuzz


def build(tmp_path, files: dict, *args: str):
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    return result, out


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  "".join(" " * i + "a:\n" for i in range(100))],
                         ids=["flow", "block"])
def test_yaml_nested_deeper_than_the_c_stack_is_an_error_not_a_crash(tmp_path, text):
    """PyYAML's C composer recursed once per level and crashed the
    interpreter (SIGSEGV) at about 50,000 levels."""
    result, out = build(tmp_path, {"content/actors.yaml": text})
    assert result.returncode == 1
    assert any(line.startswith("content/actors.yaml:") and "nested more than 64 levels" in line
               for line in errors(result)), result.stderr
    assert not out.exists()


def test_yaml_nesting_in_front_matter_reports_the_file_line(tmp_path):
    front = "---\nseed: one.txt\ntitle: One\nx-deep: " + "[" * 70 + "]" * 70 + "\n---\nBody\n"
    result, _ = build(tmp_path, {"content/sources/one.md": front})
    assert "content/sources/one.md:4: error: invalid YAML: nested more than 64 levels deep" in result.stderr
