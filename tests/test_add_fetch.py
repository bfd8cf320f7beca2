"""``add URL``: pages served by a real HTTP server on 127.0.0.1 (never the
network): redirects followed, and every failure (refused, not http(s),
too large, too slow, an HTTP error, a redirect to another scheme) is one
line, exit 1, and nothing written."""

from __future__ import annotations

import http.server
import socket
import threading
from contextlib import contextmanager

import pytest

from tests.add_helpers import INTAKE, add, annotation, check_provenance, new_site, note_and_build, seed_lines
from tests.conftest import snapshot

BIG = 2 * 1024 * 1024 + 10  # more than --max-mb 2


class _Pages(http.server.BaseHTTPRequestHandler):
    release: threading.Event  # set when the test ends: the slow page stops waiting

    def log_message(self, *args):
        pass

    def _send(self, body: bytes, content_type: str, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        routes = {
            "/news/cargo": lambda: self._send((INTAKE / "news-article.html").read_bytes(), "text/html; charset=utf-8"),
            "/fr/brest": lambda: self._send((INTAKE / "french-byline.html").read_bytes(), "text/html"),
            "/minutes": lambda: self._send((INTAKE / "minutes-windows-1252.txt").read_bytes(), "text/plain"),
            "/big": lambda: self._send(b"x" * BIG, "text/html"),
            "/big-unannounced": lambda: self._send(b"a" * BIG, "text/plain", length=False),
        }
        if self.path in routes:
            routes[self.path]()
        elif self.path == "/old/brest":
            self.send_response(301)
            self.send_header("Location", "/fr/brest")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/slow":
            self.release.wait(30)  # answers only when the test is over
        else:
            self.send_error(404, "Not Found")


@contextmanager
def pages():
    release = threading.Event()
    handler = type("Pages", (_Pages,), {"release": release, "protocol_version": "HTTP/1.0"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_a_url_becomes_a_seed_with_its_canonical_url(tmp_path):
    site = new_site(tmp_path / "site")
    with pages() as base:
        result = add(site, f"{base}/news/cargo")
    assert result.returncode == 0, result.stderr
    slug = "regulators-ground-cargo-fleet-after-bolt-inspections"
    assert len(seed_lines(site, slug)) == 6
    meta = check_provenance(site, slug, INTAKE / "news-article.html", "html")
    assert meta["url"] == "https://harbour-gazette.example/business/2024/03/05/cargo-fleet-grounded"  # canonical
    assert meta["x-capture"]["url"] == f"{base}/news/cargo"  # where it was fetched
    note_and_build(site, slug, "four bolts were missing", tmp_path / "out")


def test_redirects_are_followed_and_the_final_url_kept(tmp_path):
    site = new_site(tmp_path / "site")
    with pages() as base:
        result = add(site, f"{base}/old/brest", f"{base}/minutes")
    assert result.returncode == 0, result.stderr
    meta, _ = annotation(site, "le-port-de-brest-mise-sur-leolien-flottant")
    assert meta["url"] == f"{base}/fr/brest"  # the page names no canonical URL: where the redirect led
    assert meta["x-capture"]["url"] == f"{base}/old/brest"
    minutes, _ = annotation(site, "minutes-of-the-harbour-committee-12-june-2023")
    assert minutes["x-capture"]["encoding"] == "Windows-1252"


def _refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed on leaving: nothing listens there


@pytest.mark.parametrize("make_url, options, message", [
    (lambda base: f"http://127.0.0.1:{_refused_port()}/page", [], "error: cannot fetch: connection refused"),
    (lambda base: "ftp://127.0.0.1/report.pdf", [], "error: cannot fetch: only http and https URLs can be fetched, not ftp"),
    (lambda base: "file:///etc/passwd", [], "error: cannot fetch: only http and https URLs can be fetched, not file"),
    (lambda base: f"{base}/to-file", [], "error: cannot fetch: redirected to a URL that is not http(s): file:///etc/passwd"),
    (lambda base: f"{base}/big", ["--max-mb", "2"], "error: cannot fetch: too large (2,097,162 bytes; the limit is 2,097,152"),
    (lambda base: f"{base}/big-unannounced", ["--max-mb", "2"], "error: cannot fetch: too large (more than 2,097,152 bytes"),
    (lambda base: f"{base}/slow", ["--timeout", "0.5"], "error: cannot fetch: no answer in time"),
    (lambda base: f"{base}/gone", [], "error: cannot fetch: the server answered 404 Not Found"),
    (lambda base: "http://[::1/x", [], "error: cannot fetch: not a valid URL (Invalid IPv6 URL)"),
], ids=["refused", "ftp", "file", "redirect-to-file", "too-large", "too-large-unannounced", "timeout", "404", "invalid"])
def test_a_url_that_cannot_be_fetched_is_one_line_and_writes_nothing(tmp_path, make_url, options, message):
    site = new_site(tmp_path / "site")
    before = snapshot(site)
    with pages() as base:
        url = make_url(base)
        result = add(site, *options, url)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{url}: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(site) == before
    assert not (site / "captures").exists()
