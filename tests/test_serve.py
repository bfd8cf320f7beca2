"""The local preview (``python -m generator serve``), run as a user runs it.

Each server test starts the real command as a subprocess on a free port of
127.0.0.1, over a temporary copy of the full fixture site, and always stops
it. Waits are polls with a bounded timeout; nothing here measures speed.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, snapshot
from generator.preview_watch import SourceWatcher
from generator.serve import error_page, url_host

TIMEOUT = 30.0  # upper bound for any one wait; a passing run takes far less


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


class ServeProcess:
    """``python -m generator serve`` in the background, with its terminal output collected."""

    def __init__(self, site: Path, port: int, *extra: str, env: dict[str, str] | None = None):
        self.port = port
        self.lines: list[str] = []
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--config", str(site / "site.yaml"), "--port", str(port), *extra],
            cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, after: int = 0) -> re.Match:
        """The first line from index ``after`` on that matches ``pattern``."""
        def found():
            for line in self.lines[after:]:
                match = re.search(pattern, line)
                if match:
                    return match
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited ({self.proc.returncode}):\n{self.output}")
            return None
        try:
            return wait_until(found, f"a line matching {pattern!r}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- server output ---\n{self.output}") from None

    def request(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
        """A raw request: the path is sent exactly as given (no client-side '..' clean-up)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def wait_for_page(self, path: str, predicate, what: str) -> tuple[int, dict[str, str], str]:
        def check():
            result = self.request(path)
            return result if predicate(*result) else None
        try:
            return wait_until(check, what)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- server output ---\n{self.output}") from None

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.reader.join(timeout=5)
        self.proc.stdout.close()
        return self.proc.returncode


@pytest.fixture
def server(full_site: Path):
    """A started server over a copy of the full fixture; stopped whatever happens."""
    started = ServeProcess(full_site, free_port())
    try:
        started.wait_for_line(r"^serving http://127\.0\.0\.1:\d+/repo/")
        yield started
    finally:
        started.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the server, end to end ----------------------------------------------

def test_serves_the_site_at_its_base_path_and_rebuilds_after_an_edit(server: ServeProcess, full_site: Path):
    status, headers, _ = server.request("/")
    assert status == 302 and headers["location"] == "/repo/"

    status, headers, body = server.request("/repo/timeline/")
    assert status == 200
    assert "The harbour deal is signed" in body
    assert 'href="/repo/actors/"' in body  # internal links keep the base path
    assert f'href="http://127.0.0.1:{server.port}/repo/timeline/"' in body  # canonical: the local server
    assert "livereload.js" in body  # livereload injected its script

    lines_before = len(server.lines)
    edit(full_site / "content" / "events.yaml", "title: The harbour deal is signed", "title: The harbour deal is finally signed")
    server.wait_for_page("/repo/timeline/", lambda s, h, b: s == 200 and "The harbour deal is finally signed" in b,
                         "the edited title on the timeline")
    server.wait_for_line(r"^changed: content/events\.yaml$", lines_before)
    server.wait_for_line(r"^rebuilt \d+ pages in \d+\.\d\d s", lines_before)


def test_after_a_series_of_edits_the_preview_equals_a_cold_build(server: ServeProcess, full_site: Path):
    """Whatever a rebuild reuses, the result is what a build from scratch gives, byte for byte."""
    def step(change, path: str, predicate, what: str) -> None:
        mark = len(server.lines)
        change()
        server.wait_for_page(path, predicate, what)
        server.wait_for_line(r"^rebuilt \d+ pages in", mark)

    step(lambda: edit(full_site / "content" / "sources" / "port-deal.md", "first report", "very first report"),
         "/repo/sources/port-deal/", lambda s, h, b: "very first report" in b, "the edited commentary")
    step(lambda: edit(full_site / "seeds" / "port-deal.txt", "on Monday.", "on Monday morning."),
         "/repo/sources/port-deal/", lambda s, h, b: "on Monday morning." in b, "the edited seed")
    theme_404 = (ROOT / "templates" / "404.html").read_text(encoding="utf-8")
    assert "{% block main %}" in theme_404

    def override() -> None:  # the site's own templates/ appears, with a template and an asset
        (full_site / "templates" / "assets").mkdir(parents=True)
        (full_site / "templates" / "assets" / "extra.css").write_text("p { color: teal; }\n", encoding="utf-8")
        (full_site / "templates" / "404.html").write_text(
            theme_404.replace("{% block main %}", "{% block main %}<p>Preview override</p>"), encoding="utf-8")
    step(override, "/repo/404.html", lambda s, h, b: "Preview override" in b, "the overriding template")
    step(lambda: (full_site / "content" / "pages" / "about.md").unlink(),
         "/repo/about/", lambda s, h, b: s == 404, "the removed page gone")

    cold = full_site.parent / "cold"
    run_cli("build", "--config", str(full_site / "site.yaml"), "--out", str(cold),
            "--base-url", f"http://127.0.0.1:{server.port}/repo/", check=True)
    preview = snapshot(full_site / ".preview" / "site" / "repo")
    assert "assets/extra.css" in preview and "about/index.html" not in preview
    # The search index catches up once the edits stop: then every byte is the cold build's.
    expected = snapshot(cold)
    wait_until(lambda: snapshot(full_site / ".preview" / "site" / "repo") == expected,
               "the preview's search index to catch up with the cold build")
    server.wait_for_line(r"^search index updated in \d+\.\d\d s")


# A stand-in for ``python -m pagefind`` (found first on PYTHONPATH): while the
# file "hold" exists in its control folder it leaves a "held-PID" file there and
# waits, as a long Pagefind run over a large site does; then it runs the real one.
PAGEFIND_SHIM = """\
import os, sys, time
from pathlib import Path
control = Path(os.environ["PAGEFIND_SHIM_CONTROL"])
if (control / "hold").exists():
    (control / f"held-{os.getpid()}").write_text("")
    while (control / "hold").exists():
        time.sleep(0.05)
shim = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.abspath(p) != shim]
env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
os.execve(sys.executable, [sys.executable, "-m", "pagefind", *sys.argv[1:]], env)
"""


def searchable_text(out: Path) -> str:
    """All the text the served search index holds (read back from Pagefind's fragments)."""
    from tests.test_search_index import indexed
    try:
        return "\n".join(record["content"] for record in indexed(out).values())
    except OSError:  # the index is being replaced right now: look again
        return ""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_search_index_catches_up_and_an_edit_during_the_catch_up_wins(full_site: Path, tmp_path: Path):
    """Edits are shown without waiting for the search index; the index follows
    once the edits stop; an edit made while it is being made stops it (or the
    page would wait for a Pagefind that never ends) and is shown at once."""
    shim = tmp_path / "shim" / "pagefind"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("", encoding="utf-8")
    (shim / "__main__.py").write_text(PAGEFIND_SHIM, encoding="utf-8")
    control = tmp_path / "control"
    control.mkdir()
    server = ServeProcess(full_site, free_port(), env={"PYTHONPATH": f"{shim.parent}{os.pathsep}{ROOT}",
                                                       "PAGEFIND_SHIM_CONTROL": str(control)})
    out = full_site / ".preview" / "site" / "repo"
    annotation = full_site / "content" / "sources" / "port-deal.md"
    page = "/repo/sources/port-deal/"
    try:
        server.wait_for_line(r"^serving http://127\.0\.0\.1:\d+/repo/")
        assert "zanzibarish" not in searchable_text(out) and "first report" in searchable_text(out)

        mark = len(server.lines)
        edit(annotation, "first report", "first zanzibarish report")
        server.wait_for_page(page, lambda s, h, b: "zanzibarish" in b, "the edit on the page")
        wait_until(lambda: "zanzibarish" in searchable_text(out), "the edit in the search index")
        server.wait_for_line(r"^search index updated in", mark)

        # The next catch-up's Pagefind hangs until told otherwise.
        (control / "hold").touch()
        mark = len(server.lines)
        edit(annotation, "zanzibarish", "quokkaesque")
        server.wait_for_page(page, lambda s, h, b: "quokkaesque" in b, "the second edit on the page")
        held = wait_until(lambda: list(control.glob("held-*")), "the catch-up's Pagefind to start")
        pid = int(held[0].name.removeprefix("held-"))
        # Meanwhile the site served is whole: the pages are new, the index the previous one.
        status, _, body = server.request("/repo/search/pagefind/pagefind.js")
        assert status == 200 and body
        assert "zanzibarish" in searchable_text(out) and "quokkaesque" not in searchable_text(out)

        edit(annotation, "quokkaesque", "wombatlike")
        server.wait_for_page(page, lambda s, h, b: "wombatlike" in b, "the edit made during the catch-up")
        server.wait_for_line(r"^search index: left for later", mark)
        wait_until(lambda: not alive(pid), "the cancelled Pagefind to be gone")
        assert "zanzibarish" in searchable_text(out)  # the cancelled run wrote nothing

        (control / "hold").unlink()
        wait_until(lambda: "wombatlike" in searchable_text(out), "the last edit in the search index")
        text = searchable_text(out)
        assert "quokkaesque" not in text and "zanzibarish" not in text
    finally:
        server.stop()
    assert server.proc.returncode == 0


def test_a_broken_edit_shows_the_errors_and_keeps_the_last_good_site(server: ServeProcess, full_site: Path):
    events = full_site / "content" / "events.yaml"
    good_page = (full_site / ".preview" / "site" / "repo" / "timeline" / "index.html").read_bytes()

    # A quote that is no longer found in its source.
    mark = len(server.lines)
    edit(events, "quote: signed the harbour deal with Blue Ocean Ltd", "quote: signed the harbor deal with Blue Ocean Ltd")
    line = server.wait_for_line(r"^content/events\.yaml:\d+: error: .*signed the harbor deal.*$", mark).group(0)
    server.wait_for_line(r"^build failed: 1 error[ ;]", mark)
    status, headers, body = server.wait_for_page("/repo/timeline/", lambda s, h, b: s == 500, "the error page")
    assert headers["content-type"].startswith("text/html")
    assert html.escape(line) in body  # the terminal's message, escaped
    assert "livereload.js" in body  # so it reloads itself once fixed
    status, _, body = server.request("/repo/")
    assert status == 500 and html.escape(line) in body  # every page, not only the one affected
    status, _, css = server.request("/repo/assets/style.css")
    assert status == 200 and ":root" in css  # assets of the last good site are still served
    assert (full_site / ".preview" / "site" / "repo" / "timeline" / "index.html").read_bytes() == good_page

    # Bad YAML on top of it.
    mark = len(server.lines)
    actors = full_site / "content" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    line = server.wait_for_line(r"^content/actors\.yaml:\d+: error: .*$", mark).group(0)
    server.wait_for_page("/repo/timeline/", lambda s, h, b: s == 500 and html.escape(line) in b,
                         "the YAML error on the error page")

    # Fixed: the site again, with the content as it now is.
    mark = len(server.lines)
    actors.write_text(actors.read_text(encoding="utf-8").replace("- id: [unclosed\n", ""), encoding="utf-8")
    edit(events, "quote: signed the harbor deal", "quote: signed the harbour deal")
    edit(events, "title: The harbour deal is signed", "title: The harbour deal is signed at last")
    server.wait_for_page("/repo/timeline/", lambda s, h, b: s == 200 and "The harbour deal is signed at last" in b,
                         "the repaired site")
    server.wait_for_line(r"^rebuilt \d+ pages in", mark)
    assert server.proc.poll() is None


def test_only_files_of_the_output_folder_are_served(server: ServeProcess, full_site: Path):
    secret = (full_site / "site.yaml").read_text(encoding="utf-8")  # two levels above the served folder
    assert "base_url" in secret
    for path in ("/../../site.yaml", "/repo/../../../site.yaml", "/%2e%2e/%2e%2e/site.yaml", "/..%2f..%2fsite.yaml",
                 "/repo/%2e%2e%2f%2e%2e%2f%2e%2e%2fsite.yaml"):
        status, _, body = server.request(path)
        assert status in (403, 404), f"{path}: {status}"
        assert "base_url" not in body, path
    status, _, body = server.request("/repo/no-such-page/")
    assert status == 404 and "Harbour Inquiry" in body  # the site's own 404 page, as on GitHub Pages


def test_listens_on_loopback_only_and_ctrl_c_stops_cleanly(server: ServeProcess):
    port_hex = f"{server.port:04X}"
    listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    listening = [cols[1] for cols in listening if cols[1].endswith(":" + port_hex) and cols[3] == "0A"]  # 0A: LISTEN
    assert listening == ["0100007F:" + port_hex]  # 127.0.0.1, nothing else
    ipv6 = Path("/proc/net/tcp6")
    if ipv6.exists():
        assert not [line for line in ipv6.read_text().splitlines()[1:] if line.split()[1].endswith(":" + port_hex)]

    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=15) == 0
    server.stop()
    assert server.lines[-1] == "stopped"
    assert "Traceback" not in server.output


def test_a_busy_port_gives_a_clear_message(full_site: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = ServeProcess(full_site, port)
        try:
            assert started.proc.wait(timeout=TIMEOUT) == 1
        finally:
            started.stop()
    assert f"error: port {port} on 127.0.0.1 is already in use" in started.output
    assert "Traceback" not in started.output
    assert not (full_site / ".preview" / "site" / "repo").exists()  # nothing was built


def test_a_missing_site_yaml_is_an_error(tmp_path: Path):
    result = run_cli("serve", "--config", str(tmp_path / "nowhere" / "site.yaml"), "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{tmp_path / 'nowhere' / 'site.yaml'}: error: site configuration not found"
    assert not (tmp_path / "nowhere").exists()


def test_a_site_yaml_broken_at_start_is_served_as_errors_until_fixed(full_site: Path):
    config = full_site / "site.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "title: [unclosed\n", encoding="utf-8")
    started = ServeProcess(full_site, free_port())
    try:
        line = started.wait_for_line(r"^site\.yaml:\d+: error: .*$").group(0)
        started.wait_for_line(r"^serving http://127\.0\.0\.1:\d+/")
        status, _, body = started.request("/")
        assert status == 500 and html.escape(line) in body
        mark = len(started.lines)
        config.write_text(good, encoding="utf-8")
        started.wait_for_page("/repo/", lambda s, h, b: s == 200 and "Harbour Inquiry" in b, "the site once site.yaml is fixed")
        started.wait_for_line(rf"^now serving http://127\.0\.0\.1:{started.port}/repo/$", mark)
    finally:
        started.stop()


def test_a_new_base_url_path_moves_the_mount(server: ServeProcess, full_site: Path):
    mark = len(server.lines)
    edit(full_site / "site.yaml", "base_url: https://example.org/repo/", "base_url: https://example.org/other/")
    server.wait_for_page("/other/", lambda s, h, b: s == 200 and 'href="/other/timeline/"' in b, "the site at /other/")
    server.wait_for_line(rf"^now serving http://127\.0\.0\.1:{server.port}/other/$", mark)
    status, headers, _ = server.request("/")
    assert status == 302 and headers["location"] == "/other/"
    status, _, body = server.request("/repo/timeline/")  # the old mount is not served any more
    assert status == 404 and 'href="/other/"' in body


# --- in a real browser -----------------------------------------------------

def test_the_open_page_reloads_itself_after_edits(browser, server: ServeProcess, full_site: Path):
    events = full_site / "content" / "events.yaml"
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/repo/timeline/")
        assert page.locator("h1").first.is_visible()
        page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7",
                               timeout=TIMEOUT * 1000)

        # A good edit: the page shows it without anyone reloading it.
        edit(events, "title: The harbour deal is signed", "title: The harbour deal is signed in the browser")
        page.get_by_text("The harbour deal is signed in the browser").wait_for(timeout=TIMEOUT * 1000)

        # A broken edit: the page turns into the error page by itself ...
        edit(events, "quote: signed the harbour deal with", "quote: signed the harbor deal with")
        page.locator("ol.diagnostics li", has_text="signed the harbor deal").wait_for(timeout=TIMEOUT * 1000)
        assert page.title().startswith("Build failed")

        # ... and back into the page once it is fixed.
        edit(events, "quote: signed the harbor deal with", "quote: signed the harbour deal with")
        page.get_by_text("The harbour deal is signed in the browser").wait_for(timeout=TIMEOUT * 1000)
        assert page.url == f"http://127.0.0.1:{server.port}/repo/timeline/"
    finally:
        page.close()


# --- the parts, without a server ------------------------------------------

def test_watcher_reports_changed_added_and_removed_files_and_ignores_editor_files(tmp_path: Path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("one", encoding="utf-8")
    (folder / "b.md").write_text("two", encoding="utf-8")
    single = tmp_path / "site.yaml"
    single.write_text("title: x\n", encoding="utf-8")
    watcher = SourceWatcher((single.resolve(), folder.resolve(), (tmp_path / "missing").resolve()))
    assert watcher.changes() == set()

    (folder / "a.md").write_text("one, longer", encoding="utf-8")
    (folder / "c.md").write_text("three", encoding="utf-8")
    (folder / "b.md").unlink()
    (folder / ".a.md.swp").write_text("x", encoding="utf-8")
    (folder / "a.md~").write_text("x", encoding="utf-8")
    assert watcher.changes() == {(folder / n).resolve() for n in ("a.md", "b.md", "c.md")}
    assert watcher.changes() == set()

    single.write_text("title: y\n", encoding="utf-8")
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / "new.txt").write_text("x", encoding="utf-8")
    assert watcher.changes() == {single.resolve(), (tmp_path / "missing" / "new.txt").resolve()}


def test_error_page_escapes_the_messages():
    page = error_page(("seeds/y.txt: warning: seed has no annotation",
                       "content/x.md:3: error: quote not found: \"<script>alert(1)</script>\""))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<li") == 2 and 'class="warning"' in page
    assert page.index("content/x.md:3: error:") < page.index("seeds/y.txt: warning:")  # errors first
    assert "</head>" in page  # where livereload puts its script


def test_url_host_gives_an_address_a_browser_can_open():
    assert url_host("127.0.0.1") == "127.0.0.1"
    assert url_host("0.0.0.0") == "127.0.0.1"
    assert url_host("::1") == "[::1]"
    assert url_host("localhost") == "localhost"


def test_the_builder_is_told_every_change_since_its_last_call(full_site: Path, monkeypatch):
    """A build that stops at a broken site.yaml never reaches the builder; the
    changes it saw are handed over with the next ones, not forgotten."""
    import generator.serve as serve_module
    from generator.build import Builder

    calls: list[set[Path] | None] = []

    class RecordingBuilder(Builder):
        def rebuild(self, changed=None):
            calls.append(None if changed is None else set(changed))
            return super().rebuild(changed)

    monkeypatch.setattr(serve_module, "Builder", RecordingBuilder)
    config, events = (full_site / "site.yaml").resolve(), (full_site / "content" / "events.yaml").resolve()
    preview = serve_module.Preview(full_site / "site.yaml", "127.0.0.1", 8000)
    assert preview.build(None).ok and calls == [None]

    good = config.read_text(encoding="utf-8")
    config.write_text(good + "title: [unclosed\n", encoding="utf-8")
    outcome = preview.build({config, events})
    assert not outcome.ok and any(line.startswith("site.yaml:") for line in outcome.lines)
    assert calls == [None]  # stopped before the builder
    assert preview.failure == outcome.lines

    config.write_text(good, encoding="utf-8")
    assert preview.build({config}).ok
    assert calls == [None, {config, events}]
    assert preview.failure is None

    assert preview.build({events}).ok
    assert calls[-1] == {events}
    assert (full_site / ".preview" / "site" / "repo" / "timeline" / "index.html").is_file()


# --- only the preview's own address and pages -------------------------------

def raw_request(port: int, path: str, headers: dict[str, str]) -> int:
    """A request with exactly these headers (Host included): the status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def socket_session(port: int, origin: str | None, *messages: str) -> list[str | None] | str:
    """Open the live-reload socket with this Origin and send ``messages``: the
    replies (None when the server closed the socket), or the refusal."""
    import asyncio

    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    async def session():
        request = HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers={"Origin": origin} if origin else {},
                              connect_timeout=10, request_timeout=10)
        try:
            conn = await websocket_connect(request)
        except HTTPClientError as exc:
            return f"refused: {exc.code}"
        replies = []
        for message in messages:
            conn.write_message(message)
            replies.append(await asyncio.wait_for(conn.read_message(), TIMEOUT))
        conn.close()
        return replies

    # On a thread of its own: Playwright's sync API (the browser tests) keeps
    # an event loop running on this one.
    result: list = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(session())))
    thread.start()
    thread.join()
    assert result, "the socket session failed (see the thread's exception above)"
    return result[0]


def test_a_foreign_host_is_refused(server: ServeProcess):
    own = f"127.0.0.1:{server.port}"
    assert raw_request(server.port, "/repo/", {"Host": own}) == 200
    assert raw_request(server.port, "/repo/", {"Host": f"localhost:{server.port}"}) == 200
    mark = len(server.lines)
    for host in ("evil.example", f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}"):
        assert raw_request(server.port, "/repo/", {"Host": host}) == 403, host
    assert raw_request(server.port, "/livereload.js", {"Host": f"evil.example:{server.port}"}) == 403
    assert raw_request(server.port, "/repo/", {}) in (400, 403)  # no Host at all (tornado answers 400)
    server.wait_for_line(r"^preview: request refused \(403\): GET /repo/: Host 'evil\.example' ", mark)
    assert "Traceback" not in server.output


def test_the_live_reload_socket_answers_only_the_previews_own_pages(server: ServeProcess):
    hello = '{"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}'
    replies = socket_session(server.port, f"http://127.0.0.1:{server.port}", hello)
    assert '"command": "hello"' in replies[0]
    assert socket_session(server.port, "http://evil.example", hello) == "refused: 403"
    assert socket_session(server.port, f"http://evil.example:{server.port}", hello) == "refused: 403"
    assert socket_session(server.port, None, hello) == "refused: 403"
    server.wait_for_line(r"^preview: request refused \(403\): GET /livereload: Origin 'http://evil\.example'")


def test_forcereload_needs_the_previews_own_origin(server: ServeProcess):
    host = f"127.0.0.1:{server.port}"
    assert raw_request(server.port, "/forcereload", {"Host": host, "Origin": "http://evil.example"}) == 403
    assert raw_request(server.port, "/forcereload", {"Host": host}) == 403
    assert raw_request(server.port, "/forcereload", {"Host": host, "Origin": f"http://{host}"}) == 200
    # A page's own requests that carry an Origin must carry the preview's.
    assert raw_request(server.port, "/repo/", {"Host": host, "Origin": "http://evil.example"}) == 403


def test_bad_paths_are_400_or_404_without_a_traceback(server: ServeProcess):
    mark = len(server.lines)
    for path in ("/%00", "/repo/%00", "/repo/..%00/x", "/%ff", "/repo/%c0%ae%c0%ae/", "/repo/%01",
                 "/" + "a" * 5000, "/repo/" + "../" * 50 + "etc/passwd"):
        status, _, body = server.request(path)
        assert status in (400, 403, 404), (path[:40], status)
        assert "root:" not in body
    server.wait_for_line(r"^preview: bad request refused \(400\): GET /%00$", mark)
    server.wait_for_line(r"^preview: bad request refused \(400\): GET /%ff$", mark)
    assert server.request("/repo/")[0] == 200
    assert "Traceback" not in server.output
    assert len(server.lines[mark:]) <= 8  # one line at most for each


def test_a_message_that_is_not_json_closes_the_socket_without_a_traceback(server: ServeProcess):
    origin = f"http://127.0.0.1:{server.port}"
    assert socket_session(server.port, origin, "not json") == [None]
    assert socket_session(server.port, origin, '{"no": "command"}') == [None]
    server.wait_for_line(r"^preview: live-reload socket closed: the page sent 'not json'")
    replies = socket_session(server.port, origin, '{"command": "hello"}')
    assert '"command": "hello"' in replies[0]
    assert server.request("/repo/")[0] == 200
    assert "Traceback" not in server.output


def test_the_previews_own_address_is_its_bound_address_and_port_only():
    from generator.preview_server import Address

    loopback = Address("127.0.0.1", 8000)
    assert all(loopback.host_ok(h) for h in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "[::1]:8000"))
    assert not any(loopback.host_ok(h) for h in ("127.0.0.1:8001", "127.0.0.1", "evil.example:8000", "", None,
                                                 "10.0.0.5:8000", "127.0.0.1.evil.example:8000"))
    assert loopback.origin_ok("http://127.0.0.1:8000") and loopback.origin_ok("http://localhost:8000")
    assert not any(loopback.origin_ok(o) for o in ("null", "https://127.0.0.1:8000", "http://evil.example:8000",
                                                   "http://127.0.0.1:8000/x", "http://u@127.0.0.1:8000", None))
    everywhere = Address("0.0.0.0", 8000)  # reached by the machine's addresses, never by a domain name
    assert everywhere.host_ok("192.168.1.20:8000") and everywhere.host_ok("[fe80::1]:8000")
    assert not everywhere.host_ok("evil.example:8000") and not everywhere.host_ok("192.168.1.20:80")
    one = Address("192.168.1.20", 80)
    assert one.host_ok("192.168.1.20") and one.host_ok("192.168.1.20:80") and not one.host_ok("localhost:80")
