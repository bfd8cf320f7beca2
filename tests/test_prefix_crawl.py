"""The built site served the way GitHub Pages serves a project site, and
crawled from its home page.

The server mounts the output folder under the path of base_url (``/repo/``),
redirects a folder without its trailing slash, answers a missing path with
the site's ``404.html`` and status 404, and knows nothing outside the prefix.
The crawler follows every link, image, stylesheet, script and ``url()`` of a
stylesheet; every one must answer 200 without a redirect, stay under the
prefix, and every ``#fragment`` must be the id of an element of its target.
"""

from __future__ import annotations

import http.server
import mimetypes
import re
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import pytest

from tests.conftest import ROOT, copy_fixture, run_cli

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
         ".xml": "application/xml", ".json": "application/json", ".jsonld": "application/ld+json",
         ".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".bib": "text/plain; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}


class PagesHandler(http.server.BaseHTTPRequestHandler):
    """What GitHub Pages does for a project site, as far as links can tell."""

    root: Path
    prefix: str  # "/repo/"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.respond(body=False)

    def do_GET(self):
        self.respond(body=True)

    def respond(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == self.prefix.rstrip("/"):
            return self.redirect(self.prefix)
        if not path.startswith(self.prefix):
            return self.send(404, b"outside this site", "text/plain", body)
        parts = [p for p in path[len(self.prefix):].split("/") if p]
        if any(p in (".", "..") or p.startswith(".") for p in parts):
            return self.not_found(body)
        target = self.root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
        elif not target.exists() and parts and target.with_name(target.name + ".html").is_file():
            target = target.with_name(target.name + ".html")  # Pages serves /about for about.html
        if not target.is_file():
            return self.not_found(body)
        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send(200, target.read_bytes(), kind, body)

    def not_found(self, body: bool) -> None:
        page = self.root / "404.html"
        self.send(404, page.read_bytes() if page.is_file() else b"not found", "text/html; charset=utf-8", body)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: int, data: bytes, kind: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextmanager
def pages_server(root: Path, prefix: str):
    """Serve ``root`` at ``http://127.0.0.1:PORT{prefix}``; yields the site's URL."""
    handler = type("Handler", (PagesHandler,), {"root": root, "prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> tuple[int, str, bytes, dict]:
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(), dict(error.headers)


class RefParser(HTMLParser):
    """Every reference of a page (with the tag that makes it) and every id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "base" and attrs.get("href"):
            self.base = attrs["href"]
        for key in ("href", "src", "action", "poster", "data"):
            if attrs.get(key) is not None and tag != "base":
                self.refs.append((f"{tag}[{key}]", attrs[key]))
        if attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                if candidate.strip():
                    self.refs.append((f"{tag}[srcset]", candidate.split()[0]))
        if tag == "meta" and attrs.get("property") in ("og:url", "og:image") and attrs.get("content"):
            self.refs.append((f"meta[{attrs['property']}]", attrs["content"]))
        if attrs.get("style"):
            self.refs += [(f"{tag}[style]", ref) for ref in css_refs(attrs["style"])]


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def css_refs(text: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(text)]


@dataclass
class Crawl:
    site_url: str  # where the test server serves the site: http://127.0.0.1:P/repo/
    base_url: str  # the base_url the site was built with: https://example.org/repo/
    fetched: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)  # (page, target, fragment)
    problems: list[str] = field(default_factory=list)

    def local(self, url: str) -> str | None:
        """The test server's URL for a link of the site, or None for an outside link."""
        parts = urlsplit(url)
        site, base = urlsplit(self.site_url), urlsplit(self.base_url)
        if parts.scheme not in ("http", "https"):
            return None
        if parts.netloc == base.netloc and parts.scheme == base.scheme:
            return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))
        if parts.netloc == site.netloc:
            return url
        return None

    def check_ref(self, page: str, what: str, ref: str) -> str | None:
        ref = ref.strip()
        if ref.startswith(("mailto:", "tel:")):
            return None
        if ref.lower().startswith(("javascript:", "data:")) or not ref:
            self.problems.append(f"{page}: {what}={ref!r} is not a link to a resource")
            return None
        resolved = urljoin(page, ref)
        target = self.local(resolved)
        if target is None:
            if urlsplit(resolved).netloc in (urlsplit(self.base_url).netloc, urlsplit(self.site_url).netloc):
                self.problems.append(f"{page}: {what}={ref!r} uses another scheme than base_url")
            return None
        path = urlsplit(target).path
        prefix = urlsplit(self.site_url).path
        if not path.startswith(prefix):
            self.problems.append(f"{page}: {what}={ref!r} points outside the prefix {prefix}")
            return None
        fragment = urlsplit(target).fragment
        document = target.split("#", 1)[0]
        if fragment and not fragment.startswith(":~:"):
            self.fragments.append((page, document, unquote(fragment)))
        return document

    def visit(self, url: str, expect: int = 200) -> bytes | None:
        if url in self.fetched:
            return None
        status, kind, body, headers = fetch(url)
        self.fetched[url] = (status, kind, body)
        if status != expect:
            where = f" (redirects to {headers.get('Location')})" if 300 <= status < 400 else ""
            self.problems.append(f"{url}: status {status}{where}, expected {expect}")
            return None
        return body

    def run(self, start: str, expect: int = 200) -> "Crawl":
        queue = [(start, expect)]
        while queue:
            url, status = queue.pop(0)
            body = self.visit(url, status)
            if body is None:
                continue
            kind = self.fetched[url][1]
            refs: list[tuple[str, str]] = []
            base = url
            if kind.startswith("text/html"):
                parser = RefParser()
                parser.feed(body.decode("utf-8"))
                self.ids[url] = parser.ids
                refs = parser.refs
                base = urljoin(url, parser.base) if parser.base else url
            elif kind.startswith("text/css"):
                refs = [("url()", ref) for ref in css_refs(body.decode("utf-8"))]
            for what, ref in refs:
                document = self.check_ref(base, what, ref)
                if document and document not in self.fetched:
                    queue.append((document, 200))
        return self

    def check_fragments(self) -> None:
        for page, document, fragment in self.fragments:
            if document not in self.ids:
                status, kind, _ = self.fetched.get(document, (None, "", b""))
                if status == 200:
                    self.problems.append(f"{page}: #{fragment} points into {document}, which is not HTML ({kind})")
                continue
            if fragment not in self.ids[document]:
                self.problems.append(f"{page}: #{fragment} is not an id of {document}")


def crawl_site(out: Path, base_url: str) -> tuple[Crawl, str]:
    prefix = urlsplit(base_url).path
    with pages_server(out, prefix) as site_url:
        crawl = Crawl(site_url, base_url).run(site_url)
        crawl.check_fragments()
        # Every page of the output is reached from the home page.
        reached = {urlsplit(u).path[len(prefix):] for u, (status, _, _) in crawl.fetched.items() if status == 200}
        for page in sorted(out.rglob("*.html")):
            relative = page.relative_to(out).as_posix()
            if relative == "404.html":
                continue
            address = relative.removesuffix("index.html")
            if address not in reached:
                crawl.problems.append(f"{relative} is not reached from the home page")
    return crawl, site_url


def assert_clean(crawl: Crawl) -> None:
    assert not crawl.problems, "\n".join(crawl.problems[:40])


# -- the server behaves as Pages does ----------------------------------------------

def test_pages_server_serves_under_the_prefix_only(built_full):
    with pages_server(built_full, "/repo/") as site_url:
        origin = site_url[: -len("/repo/")]
        assert fetch(site_url)[0] == 200
        status, _, _, headers = fetch(origin + "/repo/timeline")
        assert status == 301 and headers["Location"] == "/repo/timeline/"
        assert fetch(origin + "/timeline/")[0] == 404  # nothing outside the prefix
        status, kind, body, _ = fetch(site_url + "no/such/page/")
        assert status == 404 and kind.startswith("text/html")
        assert body == (built_full / "404.html").read_bytes()


# -- the crawls -----------------------------------------------------------------

def test_full_fixture_crawls_clean_under_repo(built_full):
    crawl, site_url = crawl_site(built_full, "https://example.org/repo/")
    assert_clean(crawl)
    pages = [u for u, (_, kind, _) in crawl.fetched.items() if kind.startswith("text/html")]
    # all but 404.html (a page linked with a query, as the timeline filtered on an actor, is one page)
    assert len({urlsplit(u).path for u in pages}) == len(list(built_full.rglob("*.html"))) - 1
    kinds = {kind.split(";")[0] for _, kind, _ in crawl.fetched.values()}
    assert {"text/css", "image/svg+xml", "text/markdown", "application/json"} <= kinds
    assert len(crawl.fragments) > 20  # evidence, notes, paragraphs, timeline entries were all checked


def test_404_page_links_work_from_any_depth(built_full):
    with pages_server(built_full, "/repo/") as site_url:
        for missing in ("nowhere", "sources/gone/", "a/b/c/d/e.html"):
            crawl = Crawl(site_url, "https://example.org/repo/").run(site_url + missing, expect=404)
            crawl.check_fragments()
            assert_clean(crawl)
            assert len(crawl.fetched) > 3  # the 404 page's links were followed


def test_crawler_finds_broken_links(tmp_path, built_full):
    """The crawl can fail: a missing page, a missing id and a link out of the prefix are all reported."""
    import shutil
    out = tmp_path / "repo"
    shutil.copytree(built_full, out)
    page = out / "about" / "index.html"
    text = page.read_text(encoding="utf-8")
    text = text.replace("</main>", '<a href="/repo/missing/">x</a> <a href="/repo/timeline/#no-such-id">y</a>'
                                   ' <a href="/other/">z</a> <img src="https://example.org/elsewhere.png" alt=""></main>')
    page.write_text(text, encoding="utf-8")
    crawl, _ = crawl_site(out, "https://example.org/repo/")
    problems = "\n".join(crawl.problems)
    assert "/repo/missing/: status 404" in problems
    assert "#no-such-id is not an id of" in problems
    assert "'/other/' points outside the prefix /repo/" in problems
    assert "'https://example.org/elsewhere.png' points outside the prefix /repo/" in problems


def test_project_corpus_crawls_clean_under_its_own_prefix(tmp_path):
    """The project's own site, built by `make site`'s command, under the prefix of its base_url."""
    out = tmp_path / "public"
    run_cli("build", "--strict", "--config", str(ROOT / "site.yaml"), "--out", str(out), check=True)
    import yaml
    base_url = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))["base_url"]
    crawl, _ = crawl_site(out, base_url)
    assert_clean(crawl)


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/deep/er/path/"])
def test_other_prefixes(tmp_path, base_url):
    """A user site (no prefix) and a deeper prefix: nothing assumes /repo/."""
    site = copy_fixture("full", tmp_path)
    out = tmp_path / "out"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), "--base-url", base_url, check=True)
    crawl, _ = crawl_site(out, base_url)
    assert_clean(crawl)


def test_a_site_cut_into_numbered_pages_crawls_clean_under_repo(tmp_path, monkeypatch):
    """The timeline by year, an actor's passages, the actor index and the
    source list on numbered pages (small page sizes): every page is reached
    from the home page under /repo/, every link and #fragment lands."""
    from bench.corpus import write_corpus
    from generator.build import build
    from generator.render.paging import PageSizes

    for name, value in {"timeline": 4, "actor_passages": 2, "passages": 3, "actor_sources": 2, "actor_events": 2,
                        "co_mentioned": 2, "actors": 60, "sources": 4}.items():
        monkeypatch.setattr(PageSizes, name, value)
    site = write_corpus(tmp_path / "site", 10)
    out = tmp_path / "repo"
    build(site / "site.yaml", out, base_url="https://example.org/repo/", cache=False)
    assert (out / "timeline" / "2020" / "index.html").is_file() and (out / "sources" / "page" / "3").is_dir()
    assert list(out.glob("actors/*/passages/2/index.html")) and (out / "actors" / "page" / "2").is_dir()
    crawl, _ = crawl_site(out, "https://example.org/repo/")
    assert_clean(crawl)
