"""Gate: bad input, found by a machine (property-based, with hypothesis).

Hypothesis writes whole site folders: site.yaml, seeds, annotations, actor
lists, events and free pages, valid and broken (random Unicode, control
characters, huge lines, wrong types, YAML anchors, aliases and tags, deep
nesting, empty files, byte-order marks, CRLF and CR, files that are folders,
symbolic-link loops), and runs ``python -m generator build`` in-process on
each. Every run must end in one of two ways:

- exit 0 and a built site: the previous output replaced, every page there,
  the feed and sitemap well-formed XML, the data files JSON, no character
  that HTML or XML forbids, every ``lang`` a well-formed language tag;
- exit 1 and a clean report: only ``path[:line]: error|warning: message``
  lines and the summary, line numbers inside the file they name, and the
  previous output left exactly as it was;

never a traceback, another exit status, a hang, or a file written or
changed anywhere but the output folder (no staging folder left behind).

A last property is about what already sits at the output path (nothing, an
empty folder, a file, a folder of someone else's files, a previous build of
this generator, one with files added since): a folder is replaced only when
it is absent, empty or the generator's own (or with ``--force``); anything
else is refused with exit 1 and one clean line, and left exactly as it was.

Reproducible by default: ``derandomize=True`` and no example database, so
CI runs the same examples every time (about two minutes in all). For a
longer, random search set ``FUZZ_PROFILE=explore`` (README, "Quality gates").
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import note as hypothesis_note
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from generator.cli import main
from tests.html_judge import what_runs
from generator.publish.outfolder import MARKER, marker_bytes

# Large examples (a megabyte seed) make hypothesis warn about the size of their repr; the warning is no failure.
pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
              HealthCheck.filter_too_much]
# The gate does not shrink: shrinking these large examples can take many minutes,
# and the notes of a failing example already show the generator's report.
PROFILES = {
    "gate": dict(deadline=None, derandomize=True, database=None, print_blob=False, suppress_health_check=SUPPRESSED,
                 phases=[Phase.explicit, Phase.generate]),
    "explore": dict(deadline=None, derandomize=False, suppress_health_check=SUPPRESSED),
}
PROFILE = os.environ.get("FUZZ_PROFILE", "gate")
SCALE = 20 if PROFILE == "explore" else 1


def fuzz_settings(examples: int):
    return settings(max_examples=examples * SCALE, **PROFILES[PROFILE])


# -- running the generator and judging the outcome ------------------------------

HANG_SECONDS = 120  # a build of these small sites takes well under a second


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so that no `except Exception`
    in the generator can turn a hang into a clean error."""


@contextlib.contextmanager
def watchdog(seconds: int):
    """Turn a hang into a failure (not a timing assertion: the limit is a
    hundred times what any example needs)."""
    def expire(signum, frame):
        raise Hang(f"the generator gave no result in {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


DIAGNOSTIC = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<severity>error|warning): (?P<message>\S.*)$")
SUMMARY = re.compile(r"^build failed: \d+ errors?, \d+ warnings?( \(--strict makes warnings fail\))?;"
                     r" the output folder was left as it was$")
# A diagnostic's detail (the closest passage, a hint, a fix): indented under it, escaped like it.
CONTINUATION = re.compile(r"^    +\S[^\x00-\x08\x0b-\x1f\x7f]*$")
BUILT = re.compile(r"^built \d+ pages \(\d+ files\) in .+ in [0-9.]+ s$")
# A previous build of this generator (its manifest lists its files): the build may replace it.
PREVIOUS = {"index.html": b"previous build\n", "old/page.html": b"<p>old</p>\n"}
PREVIOUS[MARKER] = marker_bytes(PREVIOUS)
# HTML: controls other than ASCII white space and noncharacters are parse errors;
# XML 1.0 forbids the C0 controls and U+FFFE/U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                       "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0010fffe\U0010ffff]")
LANG_ATTR = re.compile(r'\blang="([^"]*)"')
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: file bytes, 'dir' or 'link -> target'."""
    entries: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[rel] = f"link -> {os.readlink(path)}"
            elif path.is_dir():
                entries[rel] = "dir"
            else:
                entries[rel] = path.read_bytes()
    return entries


def note(text: str, event: str | None = None) -> None:
    """Attach ``text`` to a failing example and count ``event`` in the
    statistics (--hypothesis-show-statistics); nothing outside hypothesis."""
    try:
        hypothesis_note(text)
        if event:
            hypothesis_event(event)
    except InvalidArgument:
        pass


def write_files(root: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "<dir>":
            path.mkdir(exist_ok=True)
        elif content == "<loop>":
            path.symlink_to(path.name)
        else:
            path.write_bytes(content)


def invoke(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), watchdog(HANG_SECONDS):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: wrong usage, not expected for these arguments
                code = exc.code
    except Hang as exc:  # now outside the generator: a failure hypothesis reports with its example
        raise AssertionError(f"hang: {exc}") from None
    return code, stdout.getvalue(), stderr.getvalue()


def build_and_judge(files: dict[str, bytes | str], args: tuple[str, ...] = ()) -> int:
    """Build ``files`` as a site folder; assert every promise; return the exit status."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        box = Path(tmp)
        site, out = box / "site", box / "out"
        site.mkdir()
        write_files(site, files)
        write_files(out, PREVIOUS)
        before = snapshot(box)
        code, stdout, stderr = invoke(["build", "--config", str(site / "site.yaml"), "--out", str(out), *args])
        first_error = next((DIAGNOSTIC.match(x)["message"].split(":")[0][:40] for x in stderr.split("\n")
                            if DIAGNOSTIC.match(x) and ": error: " in x), "")
        note(f"exit {code}\nstdout: {stdout}\nstderr: {stderr[:3000]}", f"exit {code} {first_error}".strip())
        after = snapshot(box)
        assert code in (0, 1), f"exit status {code}"
        assert "Traceback" not in stdout + stderr
        # The output folder may change, and so may the build cache the README documents
        # (site/.cache/); nothing else.
        def outside(snap):
            return {k: v for k, v in snap.items()
                    if not (k == "out" or k.startswith("out/") or k == "site/.cache" or k.startswith("site/.cache/"))}
        outside_before, outside_after = outside(before), outside(after)
        assert outside_after == outside_before, (
            "written or changed outside the output folder: "
            f"{sorted(set(outside_after.items()) ^ set(outside_before.items()), key=str)[:5]}")
        lines = [line for line in stderr.split("\n") if line]
        if code == 1:
            assert_clean_report(lines, site)
            assert stdout == ""
            assert {k: v for k, v in after.items() if k.startswith("out/")} == \
                   {k: v for k, v in before.items() if k.startswith("out/")}, "a failed build changed the output"
        else:
            for line in lines:
                if CONTINUATION.match(line):
                    continue
                match = DIAGNOSTIC.match(line)
                assert match and match["severity"] == "warning", f"not a clean warning: {line!r}"
            assert BUILT.match(stdout.strip()), stdout
            assert_built_site(out)
            if not allows_html(files):
                assert_nothing_runs(out)
        return code


def assert_clean_report(lines: list[str], site: Path) -> None:
    assert lines and SUMMARY.match(lines[-1]), f"no summary line: {lines[-1:]}"
    errors = 0
    for line in lines[:-1]:
        if CONTINUATION.match(line):
            continue
        match = DIAGNOSTIC.match(line)
        assert match, f"not a 'path:line: error: message' line: {line!r}"
        errors += match["severity"] == "error"
        if match["line"]:
            number = int(match["line"])
            assert number >= 1, line
            target = site / match["path"]
            if target.is_file():  # lines as the content format reads them: CRLF and CR are line breaks
                data = target.read_bytes()
                count = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
                assert number <= count, f"line {number} is past the end of {match['path']} ({count} lines): {line}"
    assert errors or "--strict" in lines[-1], "failed without an error"


def assert_built_site(out: Path) -> None:
    files = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file() or p.is_symlink()}
    assert "old/page.html" not in files and (out / "index.html").read_bytes() != PREVIOUS["index.html"]
    for name in ("index.html", "404.html", "timeline/index.html", "actors/index.html", "sources/index.html",
                 "feed.xml", "sitemap.xml", "data/sources.json", "data/actors.json", "data/events.json"):
        assert name in files, f"{name} missing from the built site"
    for name, path in files.items():
        assert not path.is_symlink(), name
        if name.endswith((".html", ".xml")):
            text = path.read_text(encoding="utf-8")
            bad = FORBIDDEN.search(text)
            assert bad is None, f"{name}: character U+{ord(bad.group()):04X} is not allowed in HTML/XML"
            if name.endswith(".xml"):
                ElementTree.fromstring(text.encode("utf-8"))
            else:
                for tag in LANG_ATTR.findall(text):
                    assert LANGUAGE_TAG.match(tag), f"{name}: lang={tag!r} is not a language tag"
        elif name.endswith(".json"):
            json.loads(path.read_text(encoding="utf-8"))


def allows_html(files: dict[str, bytes | str]) -> bool:
    """Did this site opt in to raw HTML (``allow_html: true``)? Then what it publishes is its own choice."""
    try:
        config = yaml.safe_load(files.get("site.yaml", b""))
    except yaml.YAMLError:
        return False
    return isinstance(config, dict) and config.get("allow_html") is True


def assert_nothing_runs(out: Path) -> None:
    """Annotators' Markdown publishes nothing that runs, in any page or in the feed's HTML."""
    for path in out.rglob("*.html"):
        found = what_runs(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(out)}: executable markup {found[:3]}"
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    for element in feed.iter():
        if element.get("type") == "html":
            found = what_runs(element.text or "")
            assert not found, f"feed.xml: executable markup {found[:3]}"


# -- strategies -----------------------------------------------------------------

ODD_CHARACTERS = ["\x00", "\x01", "\x08", "\t", "\x0b", "\x0c", "\r", "\x1b", "\x7f", "\x85", "\xa0", "\u00ad",
                  "\u2028", "\u2029", "\u200b", "\u200e", "\u202e", "\u202f", "\ufeff", "\ufffd", "\ufdd0",
                  "\uffff", "\U0001f600", "\U0010ffff", "&", "<", ">", '"', "'", "\\", "`", "*", "_", "[", "]",
                  "{", "}", "#", "|", ":", "-", "%", "«", "»", "“", "”", "’", "İ", "ß", "ﬁ", "ς", "\u0301"]
WORDS = ["Alice", "Bob", "Ana Ruiz", "Blue Ocean", "İstanbul", "Straße", "ﬁnance", "ΣΟΦΙΑ", "l’UAE", "d'OpenAI",
         "X", "EAU", "東京", "مرحبا", "שלום", "🙂", "cafe\u0301", "<script>alert(1)</script>", "*bold*",
         "[link](javascript:alert(1))", "{: #p-1 }", "&amp;", "&#0;", "-->", "…", "« guillemets »", "a  b",
         "{{ site.title }}", "{% raw %}", "\\", "%s", "p-1", "note-1", "ev-x", "main"]

characters = st.one_of(st.characters(codec="utf-8"), st.sampled_from(ODD_CHARACTERS))
odd_text = st.text(alphabet=characters, max_size=30)
words = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), odd_text)
prose = st.lists(words, min_size=1, max_size=8).map(" ".join).map(lambda t: t if t.strip() else t + "x")
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
dates = st.one_of(st.from_regex(r"~?(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?", fullmatch=True),
                  st.dates(), st.from_regex(r"~?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True))
scalars = st.one_of(odd_text, st.integers(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
                    st.floats(), st.booleans(), st.none(), st.dates(), st.datetimes())
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.one_of(odd_text, slugs), inner, max_size=3)),
                        max_leaves=6)
good_dates = st.one_of(st.from_regex(r"~?(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?", fullmatch=True),
                       st.dates())
good_urls = st.one_of(st.builds(lambda s: f"https://example.org/{s}", slugs),
                      st.sampled_from(["http://例え.jp/パス", "https://example.org/a%20b?q=1#f"]))
urls = st.one_of(st.sampled_from(["https://example.org/a", "http://example.org/a b", "https://[::1/", "javascript:alert(1)",
                                  "https://example.org:99999/", "https://example.org/%zz", "www.example.org", ""]),
                 st.builds(lambda w: "https://example.org/" + w, odd_text))
HOSTILE_MARKDOWN = [
    "# Heading", "> quote\n> > nested", "```\nunterminated fence", "<div>raw <b>html</div>", "<script>x()</script>",
    "<!-- comment", "[ref]: http://x", "![img](http://example.net/x.png)", "| a | b |\n|---|---|\n| 1 | 2 |",
    "Term\n:   definition", "text[^1]\n\n[^1]: note", "{: #p-1 }", "*emphasis **strong*", "`code", "&nbsp;&bogus;",
    "* a\n    * b\n        * c", "1. one\n2. two", "---", "[link](/timeline/)", "[x](</a b>)", "<http://example.org>",
    # Script vectors (issue 13): raw HTML, event handlers, unsafe link, image and autolink targets.
    "<iframe src=javascript:alert(1)></iframe>", '<b onclick="alert(1)">x</b>', "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", '<a href="javascript:alert(1)">x</a>', "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)", "![x](javascript:alert(1))", "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "<javascript:alert(1)>", "<javascript://%0aalert(1)>", "[x][r]\n\n[r]: javascript:alert(1)", "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](java\nscript:alert(1))", "[x](  vbscript:msgbox(1))", "[x](<javascript:alert(1)>)",
    "## Heading {: onclick=alert(1) }", "[x](https://example.org/){: onmouseover=alert(1) href=javascript:alert(1) }",
    "<!-- x --!><script>alert(1)</script> -->", "<scr<script>ipt>alert(1)</script>", "<div markdown=\"1\"><script>x()</script></div>",
]
# Pieces of script vectors, put together at random: combinations no list foresees.
XSS_PIECES = ["<", ">", "</", "script", "iframe", "img", " src=", " href=", "javascript:", "jav&#x61;script:", "data:",
              "vbscript:", " onclick=", " onerror=", "alert(1)", "[x](", "](", ")", "![", "[r]: ", "\n", '"', "'", "&#",
              "x", "{: ", "}", "<!--", "-->", "`", " ", "\t", "\\", "&colon;", ":"]
# Python-Markdown's slow patterns (issue 13): each repeated thousands of times must build in linear time.
PATHOLOGICAL_UNITS = ["[", "[a](", "![", "[^", "*[", "[a][", "<", "<a", "<a>", "`", "``a", "*", "**a", "*a*", "***a", "_a_",
                      "\\*", "a  \n", "[a](b) ", "<http://a> ", "[]", "&", "<!--", "[a](b \"", "[a]((("]


@st.composite
def markdown(draw) -> str:
    blocks = draw(st.lists(st.one_of(prose, st.sampled_from(HOSTILE_MARKDOWN), prose), max_size=5))
    shape = draw(st.sampled_from(["plain", "plain", "plain", "deep-list", "deep-quote", "huge-line", "pathological",
                                  "script-pieces"]))
    if shape == "pathological":
        unit = draw(st.sampled_from(PATHOLOGICAL_UNITS))
        blocks.append(unit * draw(st.integers(1000, 50_000)))
    elif shape == "script-pieces":
        blocks.append("".join(draw(st.lists(st.sampled_from(XSS_PIECES), min_size=1, max_size=40))))
    elif shape == "deep-list":
        depth = draw(st.integers(1, 400))
        blocks.append("".join("    " * i + "- item\n" for i in range(depth)))
    elif shape == "deep-quote":
        blocks.append(">" * draw(st.integers(1, 3000)) + " deep")
    elif shape == "huge-line":
        blocks.append("word " * draw(st.integers(1000, 50_000)))
    return "\n\n".join(blocks)


def lenient(plausible, clean: bool):
    """Mostly plausible values; in a broken site, sometimes anything at all."""
    return plausible if clean else st.one_of(plausible, plausible, anything)


SEED_TEXT_SHAPES = ["paragraphs", "paragraphs", "one-huge-line", "blank", "many-lines"]


@st.composite
def seed_text(draw) -> str:
    shape = draw(st.sampled_from(SEED_TEXT_SHAPES))
    if shape == "blank":
        return draw(st.sampled_from(["", "\n", "  \n\t\n", "\u00a0\u2028"]))
    if shape == "one-huge-line":
        return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))) * draw(st.integers(1000, 20_000))
    if shape == "many-lines":
        return "\n".join(draw(st.lists(prose, min_size=1, max_size=3)) * draw(st.integers(100, 2000)))
    separator = draw(st.sampled_from(["\n", "\n\n", "\n \n", "\u2028"]))
    return separator.join(draw(st.lists(prose, min_size=1, max_size=8)))


def encode_seed(draw, text: str, clean: bool) -> bytes:
    how = draw(st.sampled_from(["utf-8", "bom", "crlf", "cr"] + ([] if clean else ["latin-1", "bytes", "cut"])))
    if how == "bytes":
        return draw(st.binary(max_size=300))
    if how == "latin-1":
        return text.encode("latin-1", errors="replace")
    data = text.replace("\n", {"crlf": "\r\n", "cr": "\r"}.get(how, "\n")).encode("utf-8", errors="surrogatepass")
    if how == "bom":
        data = b"\xef\xbb\xbf" + data
    if how == "cut" and data:
        data = data[: draw(st.integers(0, len(data) - 1))] + b"\xc3"
    return data


def quote_from(draw, text: str, clean: bool):
    """A passage of ``text`` (so that notes and evidence often match), or
    other text; in a broken file, sometimes anything at all."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or draw(st.integers(0, 4)) == 0:
        return draw(prose if clean else st.one_of(prose, anything))
    line = draw(st.sampled_from(lines[:200]))
    if clean:  # a run of whole words, as an annotator copies
        parts = line.split()
        start = draw(st.integers(0, len(parts) - 1))
        return " ".join(parts[start: start + draw(st.integers(1, 8))])
    start = draw(st.integers(0, max(0, len(line) - 1)))
    return line[start: start + draw(st.integers(1, 60))]


HOSTILE_YAML = [
    "&anchor x", "*undefined", "!!python/object/apply:os.system [echo pwned]", "!custom {a: 1}", "<<: *a",
    "? [a, b]\n: c", "[" * 80 + "]" * 80, "%YAML 1.1\n---", "---\n...\n---", "\tkey: tab", "key: 'unterminated",
    "@reserved", "a: !!binary aGVsbG8=", "a: !!set {x, y}", "a: !!omap [{a: 1}]", "a: !!float nan", "a: 0x1F",
    "a: 2024-13-45", "a: 2024-02-30", "a: .inf", "a: 1e400", "a: 99999999999999999999999999999", "a: &x [1, 2]\nb: *x",
    "a: &r [*r]", "- &l [*l]", "a: !!str", "a: !!int abc", "a: |\n  block\n b", "key: value\nkey: duplicate",
    "\ufeff", "\x00", "a: \"\\ud800\"",
]


_YAML_CONTROLS = {c: None for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}


def _without_controls(value):
    """A well-formed YAML text holds no control character (an error since
    issue 13: see generator/controls.py); broken files still may."""
    if isinstance(value, str):
        return value.translate(_YAML_CONTROLS)
    if isinstance(value, list):
        return [_without_controls(v) for v in value]
    if isinstance(value, dict):
        return {_without_controls(k): _without_controls(v) for k, v in value.items()}
    return value


def dump_yaml(draw, value, clean: bool) -> bytes:
    if clean:
        value = _without_controls(value)
    text = yaml.safe_dump(value, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=draw(st.sampled_from([False, None, True])),
                          width=draw(st.sampled_from([60, 10 ** 6])))
    if not clean:
        mutation = draw(st.sampled_from(["none", "none", "insert", "truncate", "replace", "empty", "crlf", "bom"]))
        lines = text.split("\n")
        if mutation == "insert":
            at = draw(st.integers(0, len(lines)))
            indent = " " * draw(st.sampled_from([0, 2, 4]))
            lines.insert(at, indent + draw(st.sampled_from(HOSTILE_YAML)))
            text = "\n".join(lines)
        elif mutation == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif mutation == "replace":
            text = draw(st.one_of(st.sampled_from(HOSTILE_YAML), odd_text))
        elif mutation == "empty":
            text = draw(st.sampled_from(["", "\n", "---\n", "~\n", "[]\n", "{}\n", "0\n", "''\n"]))
        elif mutation == "crlf":
            text = text.replace("\n", "\r\n")
        elif mutation == "bom":
            text = "\ufeff" + text
    return text.encode("utf-8", errors="surrogatepass")


def front_matter_file(draw, meta, body: str, clean: bool) -> bytes:
    head = dump_yaml(draw, meta, clean)
    layout = "standard" if clean else draw(st.sampled_from(["standard", "standard", "unclosed", "none", "dots"]))
    if layout == "unclosed":
        return b"---\n" + head + body.encode("utf-8", errors="surrogatepass")
    if layout == "none":
        return body.encode("utf-8", errors="surrogatepass")
    close = b"...\n" if layout == "dots" else b"---\n"
    return b"---\n" + head + close + body.encode("utf-8", errors="surrogatepass")


def sometimes_broken(draw, clean: bool) -> bool:
    """Whether one file of a site is written clean: always in a clean site,
    two times in three otherwise (so that most broken sites still load far)."""
    return clean or draw(st.integers(0, 2)) > 0


@st.composite
def site_folders(draw, clean: bool | None = None, markdown_heavy: bool = False) -> dict[str, bytes | str]:
    """A whole site folder: path -> bytes ('<dir>' for a folder, '<loop>' for a symlink loop).

    In a clean site every file is well-formed and every value plausible
    (though full of odd text); otherwise each file is broken or not, on its own.
    """
    clean = draw(st.booleans()) if clean is None else clean
    md = markdown() if markdown_heavy else st.one_of(prose, prose, markdown())
    files: dict[str, bytes | str] = {}

    ok = sometimes_broken(draw, clean)
    val = lambda plausible: lenient(plausible, ok)  # noqa: E731
    config = {"title": draw(val(prose)), "base_url": draw(val(st.just("https://example.org/repo/")) if ok else urls)}
    for key, strategy in {"language": st.sampled_from(["en", "fr"]), "description": prose, "author": prose,
                          "repository": good_urls, "x-own": anything,
                          "allow_html": st.sampled_from([False, False, False, True])}.items():
        if draw(st.booleans()):
            config[key] = draw(val(strategy))
    if not ok and draw(st.booleans()):
        config[draw(st.sampled_from(["seeds_dir", "content_dir", "templates_dir", "output_dir", "unknown"]))] = \
            draw(st.one_of(st.sampled_from(["../elsewhere", "/", ".", "content", "missing", "seeds"]), anything))
    files["site.yaml"] = dump_yaml(draw, config, ok)

    seeds: dict[str, str] = {}
    names = st.builds(lambda s: f"{s}.txt", slugs)
    if not clean:
        names = st.one_of(names, st.sampled_from(["Wire Copy.TXT", "ÉTÉ.md", ".hidden", "noext", "a.b.c", "-.txt",
                                                  "x" * 200 + ".txt", "two\nlines.txt"]))
    for name in draw(st.lists(names, max_size=3, unique=True)):
        text = draw(seed_text())
        seeds[name] = text
        files[f"seeds/{name}"] = encode_seed(draw, text, sometimes_broken(draw, clean))
    seed_names = [n for n in seeds if not n.startswith(".")] if clean else list(seeds)

    for seed in draw(st.lists(st.sampled_from(seed_names), unique=True)) if seed_names else []:
        ok = sometimes_broken(draw, clean)
        val = lambda plausible: lenient(plausible, ok)  # noqa: E731
        text = seeds[seed]
        slug = draw(slugs if ok else st.one_of(slugs, slugs, st.sampled_from(["Bad_Name", "über"])))
        meta = {"seed": seed, "title": draw(val(prose))}
        for key, strategy in {"publisher": prose, "published": good_dates, "language": st.sampled_from(["en", "fr", "zh-Hans", "de-CH"]),
                              "url": good_urls, "tags": st.lists(slugs, max_size=3),
                              "summary": md, "drop": st.lists(prose, max_size=2)}.items():
            if draw(st.booleans()):
                meta[key] = draw(val(strategy))
        if draw(st.booleans()):
            meta["translated_from"] = draw(val(st.fixed_dictionaries({}, optional={
                "publisher": prose, "title": prose, "url": good_urls,
                "published": good_dates, "language": st.sampled_from(["en", "fr"])})))
        if draw(st.integers(0, 3)) == 0:
            meta["text"] = {"start": quote_from(draw, text, ok), "end": quote_from(draw, text, ok)}
        notes = []
        for _ in range(draw(st.integers(0, 3))):
            note_ = {"quote": quote_from(draw, text, ok), "body": draw(val(md))}
            kind = draw(val(st.sampled_from(["note", "correction", "claim"])))
            note_["kind"] = kind
            if kind == "correction" or not ok:
                note_["should_read"] = draw(val(prose))
            notes.append(note_)
        if notes:
            meta["notes"] = notes
        if not ok and draw(st.integers(0, 4)) == 0:
            meta[draw(odd_text)] = draw(anything)
        files[f"content/sources/{slug}.md"] = front_matter_file(draw, meta, draw(md), ok)

    ok = sometimes_broken(draw, clean)
    val = lambda plausible: lenient(plausible, ok)  # noqa: E731
    actors = []
    source_words = [w for t in seeds.values() for w in t.split()[:50]]
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.one_of(words, st.sampled_from(source_words))) if source_words else draw(words)
        actor = {"id": draw(val(slugs)), "name": draw(val(st.just(name))),
                 "kind": draw(val(st.sampled_from(["person", "organization", "government", "other"])))}
        names = words if not ok else words.filter(lambda w: w.strip())
        for key, strategy in {"aliases": st.lists(names, max_size=3), "exact_aliases": st.lists(names, max_size=2),
                              "role": prose, "description": md, "wikidata": st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True),
                              "links": st.dictionaries(prose, good_urls if ok else urls, max_size=2)}.items():
            if draw(st.booleans()):
                actor[key] = draw(val(strategy))
        actors.append(actor)
    if actors or draw(st.booleans()):
        files["content/actors.yaml"] = dump_yaml(draw, actors, ok)
    actor_ids = [a["id"] for a in actors if isinstance(a.get("id"), str)] or ["nobody"]

    ok = sometimes_broken(draw, clean)
    val = lambda plausible: lenient(plausible, ok)  # noqa: E731
    events = []
    annotated = [k[len("content/sources/"):-3] for k in files if k.startswith("content/sources/")]
    for _ in range(draw(st.integers(0, 4))):
        evidence = []
        for _ in range(draw(st.integers(0 if not ok else 1, 2))):
            if annotated and seed_names and draw(st.integers(0, 3)):
                slug = draw(st.sampled_from(annotated))
                text = draw(st.sampled_from(list(seeds.values())))
                evidence.append({"source": slug, "quote": quote_from(draw, text, ok)})
            else:
                evidence.append({"url": draw(good_urls if ok else urls), "title": draw(val(prose))})
        date = draw(val(good_dates))
        event = {"id": draw(val(slugs)), "date": date, "title": draw(val(prose)), "evidence": evidence}
        if draw(st.booleans()):
            event["end"] = draw(val(good_dates))
        if draw(st.booleans()):
            event["actors"] = draw(val(st.lists(st.sampled_from(actor_ids), max_size=3)))
        if draw(st.booleans()):
            event["summary"] = draw(val(md))
        events.append(event)
    if events or draw(st.booleans()):
        files["content/events.yaml"] = dump_yaml(draw, events, ok)

    for slug in draw(st.lists(st.one_of(slugs, st.sampled_from(["index", "about"] + ([] if clean else ["timeline", "404"]))),
                              max_size=2, unique=True)):
        ok = sometimes_broken(draw, clean)
        meta = {"title": draw(lenient(prose, ok))}
        if draw(st.booleans()):
            meta["nav"] = draw(lenient(st.integers(0, 5), ok))
        files[f"content/pages/{slug}.md"] = front_matter_file(draw, meta, draw(md), ok)

    if not clean and draw(st.integers(0, 5)) == 0:  # a folder or a link loop where a file should be
        where = draw(st.sampled_from(["content/actors.yaml", "content/events.yaml", "content/sources/dir.md",
                                      "seeds/folder.txt", "content/pages/p.md", "seeds", "content"]))
        files = {k: v for k, v in files.items() if not (k == where or k.startswith(where + "/"))}
        files[where] = draw(st.sampled_from(["<dir>", "<loop>"]))
    if "seeds" not in files:
        files.setdefault("seeds/.keep", b"")
    if "content" not in files:
        files.setdefault("content/.keep", b"")
    return files


cli_options = st.lists(st.sampled_from([("--strict",), ("--strict",), ("--base-url", "http://127.0.0.1:8000/x/"),
                                        ("--base-url", "http://127.0.0.1:8000/x/"), ("--base-url", "https://ex.org/"),
                                        ("--base-url", "https://[::1/"), ("--base-url", "https://example.org/a b/")]),
                       max_size=2, unique_by=lambda o: o[0]).map(lambda opts: tuple(a for o in opts for a in o))


# -- the gate -----------------------------------------------------------------------

@fuzz_settings(200)
@given(files=site_folders(), args=cli_options)
def test_any_site_folder_builds_or_fails_cleanly(files, args):
    build_and_judge(files, args)


@fuzz_settings(100)
@given(files=site_folders(clean=True))
def test_plausible_site_folders_build_or_fail_cleanly(files):
    """Well-formed folders with hostile text: most build, exercising every page."""
    build_and_judge(files)


@fuzz_settings(60)
@given(files=site_folders(clean=True, markdown_heavy=True))
def test_hostile_markdown_builds_or_fails_cleanly(files):
    """Well-formed folders whose every Markdown text is hostile."""
    build_and_judge(files)


@fuzz_settings(40)
@given(files=site_folders(clean=True))
def test_a_built_site_is_byte_identical_on_a_second_build(files):
    """Determinism holds for odd input too: two builds, the same bytes."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        write_files(site, files)
        results = []
        for name in ("a", "b"):
            code, _, stderr = invoke(["build", "--config", str(site / "site.yaml"), "--out", str(Path(tmp) / name)])
            assert code in (0, 1) and "Traceback" not in stderr
            results.append((code, snapshot(Path(tmp) / name) if code == 0 else stderr))
        assert results[0] == results[1]


def test_the_judge_catches_a_broken_promise(monkeypatch):
    """The gate can fail: a generator that raises, one that writes beside the
    output, and one that reports a bare message are each caught."""
    import generator.cli as cli

    def raising(*args, **kwargs):
        raise KeyError("boom")
    monkeypatch.setattr(cli, "build", raising)
    with pytest.raises(KeyError):
        build_and_judge({"site.yaml": b"title: T\nbase_url: https://example.org/\n"})

    def stray(config, out, *args, **kwargs):
        (Path(out).parent / "stray.txt").write_text("x")
        raise cli.BuildAborted(cli.Diagnostics())
    monkeypatch.setattr(cli, "build", stray)
    with pytest.raises(AssertionError, match="outside the output folder"):
        build_and_judge({"site.yaml": b"title: T\nbase_url: https://example.org/\n"})

    def bare(config, out, *args, **kwargs):
        diagnostics = cli.Diagnostics()
        diagnostics.error("site.yaml", 99, "a line past the end")
        raise cli.BuildAborted(diagnostics)
    monkeypatch.setattr(cli, "build", bare)
    with pytest.raises(AssertionError, match="past the end"):
        build_and_judge({"site.yaml": b"title: T\nbase_url: https://example.org/\n"})


# -- the output folder: replaced only when it is the generator's -------------------

OUTPUT_SITE = {
    "site.yaml": b"title: T\nbase_url: https://example.org/\n",
    "seeds/one.txt": b"One paragraph.\n",
    "content/sources/one.md": b"---\nseed: one.txt\ntitle: One\n---\n",
}
name_part = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12).filter(
    lambda t: t not in (".", ".."))
foreign_files = st.dictionaries(
    st.one_of(st.sampled_from([".git/HEAD", ".git/config", "index.html", "notes.txt", "old/page.html", MARKER]),
              st.lists(name_part, min_size=1, max_size=3).map("/".join)),
    st.binary(max_size=40), min_size=1, max_size=6)


@st.composite
def at_the_output(draw) -> tuple[str, dict[str, bytes] | bytes | None]:
    """What sits at the output path: (kind, content)."""
    kind = draw(st.sampled_from(["absent", "empty", "file", "foreign", "foreign", "ours", "ours", "ours+extra",
                                 "ours+extra"]))
    if kind == "file":
        return kind, draw(st.binary(max_size=40))
    if kind == "foreign":
        files = draw(foreign_files)
        if MARKER in files and draw(st.booleans()):  # someone else's file of that name, or a manifest of another tool
            files[MARKER] = draw(st.sampled_from([b"{}", b'{"generator": "other", "files": []}', b"not json"]))
        return kind, files
    if kind in ("ours", "ours+extra"):
        files = dict(PREVIOUS)
        if kind == "ours+extra":
            extra = draw(foreign_files)
            files.update({name: data for name, data in extra.items() if name not in PREVIOUS})
            if set(files) == set(PREVIOUS):
                files["added by hand.txt"] = b"mine"
        return kind, files
    return kind, None


def _place(out: Path, content) -> None:
    """Write ``content`` at ``out``; entries that cannot coexist (a file where a folder is) are skipped."""
    if content is None:
        return
    if isinstance(content, bytes):
        out.write_bytes(content)
        return
    out.mkdir()
    for name, data in content.items():
        path = out / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue


@fuzz_settings(40)
@given(existing=at_the_output(), force=st.sampled_from([False, False, True]), cache=st.booleans())
def test_the_output_folder_is_replaced_only_when_it_is_the_generators(existing, force, cache):
    kind, content = existing
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        box = Path(tmp)
        site, out = box / "site", box / "out"
        site.mkdir()
        write_files(site, OUTPUT_SITE)
        _place(out, content)
        before = snapshot(box)
        foreign = kind in ("foreign", "ours+extra") and any(p.is_file() for p in out.rglob("*"))
        args = ["build", "--config", str(site / "site.yaml"), "--out", str(out)]
        code, stdout, stderr = invoke(args + ["--force"] * force + ["--no-cache"] * (not cache))
        note(f"{kind} force={force}\nexit {code}\nstdout: {stdout}\nstderr: {stderr[:2000]}", f"{kind} force={force} exit {code}")
        after = snapshot(box)
        assert "Traceback" not in stdout + stderr
        def without_cache(snap):  # the build cache may change, as in every build
            return {k: v for k, v in snap.items() if not k.startswith("site/.cache")}
        before, after = without_cache(before), without_cache(after)
        outside = {k: v for k, v in after.items() if not (k == "out" or k.startswith("out/"))}
        assert outside == {k: v for k, v in before.items() if not (k == "out" or k.startswith("out/"))}
        if kind == "file" or (foreign and not force):
            assert code == 1, f"{kind} was replaced"
            lines = [line for line in stderr.split("\n") if line]
            assert len(lines) == 2 and lines[0].startswith("--out: error: output folder "), lines
            assert ("is a file" if kind == "file" else "this generator did not write" if kind == "ours+extra"
                    else "not written by this generator") in lines[0]
            assert SUMMARY.match(lines[1]) and stdout == ""
            assert after == before, "a refused build changed something"
        else:
            assert code == 0, stderr
            built = {k for k in after if k.startswith("out/")}
            assert "out/index.html" in built and f"out/{MARKER}" in built
            assert after["out/index.html"] != PREVIOUS["index.html"]
            assert not {f"out/{name}" for name in (content or {}) if isinstance(content, dict)} - set(
                f"out/{name}" for name in ("index.html", MARKER)) & built, "a file of the old folder survived"


def test_the_safety_judge_finds_what_runs():
    """``what_runs`` is no grep: it reads elements and attributes as a browser does."""
    for document in ["<script>alert(1)</script>", '<p onclick="x()">a</p>', '<a href="jav&#x61;script:alert(1)">x</a>',
                     '<a href=" &#10;javascript:alert(1)">x</a>', '<img src="data:image/svg+xml,x">', "<iframe src=x></iframe>",
                     '<script src="https://evil.example/x.js"></script>', '<a href="java\tscript:alert(1)">x</a>']:
        assert what_runs(document), document
    for document in ['<script src="/repo/assets/search.js"></script>', '<a href="https://example.org/javascript:x">x</a>',
                     "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", '<a href="/x/data:y">x</a>', "<p>javascript:alert(1)</p>"]:
        assert not what_runs(document), document
