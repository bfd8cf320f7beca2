"""New keys for publishing and provenance: ``cname`` and ``publish_text`` in
site.yaml, ``seed_sha256`` in a source's annotation. Validated like every
other key: wrong values are ``path:line: error:`` with exit status 1."""

from __future__ import annotations

import hashlib

from tests.conftest import MINIMAL_SITE, run_cli, write_site

SOURCE = MINIMAL_SITE["content/sources/one.md"]
SEED = MINIMAL_SITE["seeds/one.txt"].encode("utf-8")


def _with_digest(digest: str) -> str:
    return SOURCE.replace("seed: one.txt\n", f"seed: one.txt\nseed_sha256: {digest}\n")


def test_matching_seed_digest_builds(tmp_path):
    site = write_site(tmp_path, {"content/sources/one.md": _with_digest(hashlib.sha256(SEED).hexdigest())})
    result = run_cli("build", "--config", str(site / "site.yaml"), "--strict")
    assert result.returncode == 0, result.stderr


def test_changed_seed_fails_with_a_clear_message_and_keeps_the_output(tmp_path):
    digest = hashlib.sha256(SEED).hexdigest()
    site = write_site(tmp_path, {"content/sources/one.md": _with_digest(digest)})
    run_cli("build", "--config", str(site / "site.yaml"), check=True)
    before = (site / "public" / "sources" / "one" / "index.html").read_bytes()
    (site / "seeds" / "one.txt").write_bytes(SEED.replace(b"Alice", b"Alice and Bob"))
    now = hashlib.sha256((site / "seeds" / "one.txt").read_bytes()).hexdigest()
    result = run_cli("build", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (f"content/sources/one.md:3: error: seed 'one.txt' has changed since it was annotated: "
            f"its SHA-256 is now {now}, the annotation records {digest}") in result.stderr
    assert (site / "public" / "sources" / "one" / "index.html").read_bytes() == before


def test_malformed_seed_digest_is_an_error(tmp_path):
    site = write_site(tmp_path, {"content/sources/one.md": _with_digest("abc123")})
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "content/sources/one.md:3: error: 'seed_sha256' must be 64 hexadecimal digits" in result.stderr


def test_new_records_the_seed_digest_and_the_build_checks_it(tmp_path):
    site = write_site(tmp_path, {"content/sources/one.md": None, "content/events.yaml": None, "content/actors.yaml": None,
                                 "seeds/two.txt": "Headline of two\n\nBody of two.\n"})
    result = run_cli("new", "--config", str(site / "site.yaml"), "seeds/two.txt", cwd=site)
    assert result.returncode == 0, result.stderr
    text = (site / "content" / "sources" / "two.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(b"Headline of two\n\nBody of two.\n").hexdigest()
    assert f"seed_sha256: {digest}\n" in text
    assert run_cli("check", "--config", str(site / "site.yaml")).returncode == 0
    (site / "seeds" / "two.txt").write_text("Headline of two\n\nBody of two, edited.\n", encoding="utf-8")
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "content/sources/two.md:4: error: seed 'two.txt' has changed since it was annotated" in result.stderr


def _config(tmp_path, extra: str, base_url: str = "https://example.org/repo/"):
    return write_site(tmp_path, {"site.yaml": f"title: Test site\nbase_url: {base_url}\n{extra}"})


def test_cname_writes_cname_file(tmp_path):
    site = _config(tmp_path, "cname: Research.Example.org\n", "https://research.example.org/")
    run_cli("build", "--config", str(site / "site.yaml"), check=True)
    assert (site / "public" / "CNAME").read_text(encoding="utf-8") == "research.example.org\n"


def test_no_cname_no_file(tmp_path):
    site = _config(tmp_path, "")
    run_cli("build", "--config", str(site / "site.yaml"), check=True)
    assert not (site / "public" / "CNAME").exists()


def test_cname_must_be_a_domain(tmp_path):
    site = _config(tmp_path, "cname: https://research.example.org/x\n")
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "site.yaml:3: error: 'cname' must be a domain name" in result.stderr


def test_cname_must_agree_with_base_url(tmp_path):
    site = _config(tmp_path, "cname: research.example.org\n")
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert ("site.yaml:3: error: with 'cname: research.example.org' GitHub Pages serves the site at "
            "https://research.example.org/, but base_url is https://example.org/repo/") in result.stderr


def test_publish_text_values(tmp_path):
    site = _config(tmp_path, "publish_text: some\n")
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "site.yaml:3: error: 'publish_text' must be one of full, excerpts, got 'some'" in result.stderr


def test_unknown_key_still_an_error(tmp_path):
    site = _config(tmp_path, "cnames: research.example.org\n")
    result = run_cli("check", "--config", str(site / "site.yaml"))
    assert result.returncode == 1
    assert "site.yaml:3: error: unknown key 'cnames' (did you mean 'cname'?)" in result.stderr
