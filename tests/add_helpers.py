"""What the tests of ``add`` share: the test pages, a site to add them to,
reading back what ``add`` wrote, and a first note followed by a strict build."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from tests.conftest import FIXTURES, run_cli, write_site

INTAKE = FIXTURES / "intake"


def new_site(root: Path) -> Path:
    """A minimal site that builds strictly, to add sources to."""
    return write_site(root, {})


def add(site: Path, *args: str):
    return run_cli("add", "--config", str(site / "site.yaml"), *args)


def annotation(site: Path, slug: str) -> tuple[dict, str]:
    """(front matter, its raw text) of ``content/sources/<slug>.md``."""
    text = (site / "content" / "sources" / f"{slug}.md").read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    return yaml.safe_load(front), front


def seed_lines(site: Path, slug: str) -> list[str]:
    return (site / "seeds" / f"{slug}.txt").read_text(encoding="utf-8").splitlines()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_provenance(site: Path, slug: str, original: Path | None, extension: str) -> dict:
    """seed_sha256 is the seed's; x-capture names the kept original, whose bytes and digest are the original's."""
    meta, _ = annotation(site, slug)
    assert meta["seed"] == f"{slug}.txt"
    assert meta["seed_sha256"] == sha256(site / "seeds" / f"{slug}.txt")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["x-captured"]))
    capture = site / "captures" / f"{slug}.{extension}"
    assert meta["x-capture"]["file"] == f"captures/{slug}.{extension}"
    assert meta["x-capture"]["sha256"] == sha256(capture)
    if original is not None:
        assert capture.read_bytes() == original.read_bytes()
    return meta


def note_and_build(site: Path, slug: str, quote: str, out: Path) -> str:
    """Write a first note on ``quote`` into the annotation, build strictly;
    the source page's HTML."""
    path = site / "content" / "sources" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n\n")
    note = f"notes:\n  - quote: {yaml.safe_dump(quote, allow_unicode=True, width=1000).splitlines()[0]}\n    body: A first note.\n"
    path.write_text(f"{head}\n{note}---\n\n{rest}", encoding="utf-8")
    result = run_cli("build", "--strict", "--config", str(site / "site.yaml"), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return (out / "sources" / slug / "index.html").read_text(encoding="utf-8")


def html_paragraphs(path: Path, selector_class: str = "") -> list[str]:
    """The ``<p>`` texts of a test page (entities and tags undone), to compare with a seed."""
    import html as html_module
    text = path.read_text(encoding="utf-8")
    if selector_class:
        text = text.split(f'class="{selector_class}"', 1)[1]
    found = re.findall(r"<p(?: [^>]*)?>(.*?)</p>", text, re.DOTALL)
    return [" ".join(html_module.unescape(re.sub(r"<[^>]+>", "", p)).replace("\u00ad", "").split()) for p in found]
