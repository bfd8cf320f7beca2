"""The preview's HTTP server: livereload's handlers on tornado, answering only its own pages.

Without the guards below, any web page open in the same browser could
connect to the live-reload socket (browsers apply no same-origin rule to
WebSockets) and watch the rebuilds, or call ``/forcereload``; and a page
whose DNS name is rebound to 127.0.0.1 could read the preview outright. So
every request must name the preview's own address in ``Host``; the socket
and ``/forcereload`` (which makes every open page reload) must also come
from one of its pages (``Origin``), and any other request that carries an
``Origin`` must carry that one. A refusal is a 403 and one line in the
terminal. A path no file can have (a NUL byte, a control character, longer
than any path of a site) is a 400 and one line, never a traceback; a
message on the socket that is not livereload's JSON closes that socket.

The application is assembled here rather than by
``livereload.Server.application``, which takes its handler classes from
livereload's module and keeps the browsers to reload in a set shared by
every server of the process; here each ``listen`` makes its own classes.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.websocket import WebSocketClosedError

from .errors import one_line

MAX_PATH = 2048  # characters; longer request paths are refused (no site has one)
MAX_BODY = 1 << 20  # bytes of a request body (only the annotation endpoints take one)

# livereload's snippet (livereload.server.Server.application): it loads
# livereload.js from the server the page came from, which opens the socket.
LIVE_SCRIPT = (b'<script type="text/javascript">(function(){'
               b'var s=document.createElement("script");'
               b'var port=(window.location.port || (window.location.protocol == \'https:\' ? 443: 80));'
               b's.src="//"+window.location.hostname+":"+port'
               b'+ "/livereload.js?port=" + port;'
               b'document.head.appendChild(s);'
               b'})();</script>')


def url_host(host: str) -> str:
    """The host as written in a URL the browser can open."""
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return None


class Address:
    """The preview's own address: the ``Host`` and ``Origin`` values it accepts.

    Bound to a loopback address (the default), the names of this machine
    (``127.0.0.1``, ``localhost``, ``[::1]``); bound to one other address,
    that one; bound to every address (``--host 0.0.0.0``), any address
    written as numbers, never a domain name (DNS rebinding needs one).
    Always with the port listened on.
    """

    def __init__(self, host: str, port: int):
        self.port = port
        self.wildcard = host in ("", "0.0.0.0", "::")
        bound = url_host(host).lower()
        ip = _ip(bound)
        loopback = self.wildcard or bound == "localhost" or (ip is not None and ip.is_loopback)
        self.names = frozenset({bound, *(("localhost", "127.0.0.1", "[::1]") if loopback else ())})

    def host_ok(self, value: str | None) -> bool:
        """Is ``value`` (a ``Host`` header, or an origin's host and port) the preview's address?"""
        if not value:
            return False
        name, colon, port = value.lower().rpartition(":")
        if not colon or name.endswith(":") or "]" in port:  # no port given (or a bare IPv6 address)
            name, port = value.lower(), "80"
        if port != str(self.port):
            return False
        return name in self.names or (self.wildcard and _ip(name) is not None)

    def origin_ok(self, origin: str | None) -> bool:
        """Is ``origin`` (an ``Origin`` header) one of the preview's pages?"""
        if not origin:
            return False
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return (parts.scheme == "http" and not parts.path and not parts.query and not parts.username
                and self.host_ok(parts.netloc))


def listen(host: str, port: int, static: type, static_options: dict, say: Callable[[str], None],
           extra_routes: Callable[[type], list] | None = None, page_head: Callable[[str], bytes] | None = None):
    """Serve ``static`` (a livereload ``StaticFileHandler``) and livereload's
    endpoints on ``host``:``port``; ``OSError`` if it cannot listen. Returns
    the function that makes the open pages reload (``'*'``, or a stylesheet's
    name), to be called on the server's loop. ``extra_routes(guard)``: more
    routes, behind this server's guard; ``page_head(request path)``: markup
    added before ``</head>`` of an HTML page, after the reload script."""
    address = Address(host, port)
    guard = _guard_class(address, say)
    socket = _socket_class(guard, address, say)
    application = _application(guard, socket, static, static_options, extra_routes(guard) if extra_routes else [],
                               page_head)
    application.listen(port, address=host, max_body_size=MAX_BODY)
    return socket.reload_waiters


def _guard_class(address: Address, say: Callable[[str], None]) -> type:
    """The checks every handler of one server runs first; made per server
    because they answer for that server's ``address`` and report through its ``say``."""

    class Guard:
        """Checks every request before its handler runs (``prepare``)."""

        origin_required = False  # the socket and /forcereload: only from the preview's own pages

        def decode_argument(self, value: bytes, name: str | None = None) -> str:
            """Tornado's, with its refusal of bytes that are not UTF-8 logged as ours."""
            try:
                return super().decode_argument(value, name)
            except web.HTTPError:
                say(f"preview: bad request refused (400): {self.request.method} {_shown(self.request.path)}")
                raise web.HTTPError(400) from None

        def prepare(self):
            request = self.request
            what = f"{request.method} {_shown(request.path)}"
            if len(request.path) > MAX_PATH or any(c < " " or c == "\x7f" for arg in self.path_args for c in arg):
                say(f"preview: bad request refused (400): {what}")
                raise web.HTTPError(400)
            origin = request.headers.get("Origin")
            if not address.host_ok(request.headers.get("Host")):
                why = f"Host {_shown(request.headers.get('Host', ''))!r} is not the preview's address"
            elif origin is None and self.origin_required:
                why = "no Origin: only the preview's own pages may ask this"
            elif origin is not None and not address.origin_ok(origin):
                why = f"Origin {_shown(origin)!r} is not the preview's own page"
            else:
                return super().prepare()
            say(f"preview: request refused (403): {what}: {why}")
            raise web.HTTPError(403)

    return Guard


def _socket_class(guard: type, address: Address, say: Callable[[str], None]) -> type:
    """livereload's socket handler for one server: made per server so that
    its set of open pages (``waiters``) is that server's alone."""

    class Socket(guard, LiveReloadHandler):
        """livereload's socket, for this server only, ignoring what is not its protocol."""

        origin_required = True
        waiters: set = set()  # this server's open pages (livereload's own set is shared by every server)

        def check_origin(self, origin: str) -> bool:
            return address.origin_ok(origin)

        def on_message(self, message) -> None:
            try:
                data = json.loads(message)
            except (TypeError, ValueError):
                data = None
            command = data.get("command") if isinstance(data, dict) else None
            if command == "hello":
                self.send_message({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
                                   "serverName": "livereload-tornado"})
            elif command == "info" and "url" in data:
                self.waiters.add(self)
            elif not isinstance(command, str):
                say(f"preview: live-reload socket closed: the page sent {_shown(str(message)[:60])!r}, not a livereload message")
                self.close(1003, "not a livereload message")

        def on_close(self) -> None:
            self.waiters.discard(self)

        @classmethod
        def reload_waiters(cls, path: str | None = None) -> None:
            message = {"command": "reload", "path": path or "*", "liveCSS": True, "liveImg": True}
            for waiter in list(cls.waiters):
                try:
                    waiter.write_message(message)
                except WebSocketClosedError:
                    cls.waiters.discard(waiter)

    return Socket


def _application(guard: type, socket: type, static: type, static_options: dict, extra: list,
                 page_head: Callable[[str], bytes] | None) -> web.Application:
    """The routes of one server, every handler behind ``guard``; ``/forcereload``
    reloads the pages of ``socket`` (this server's), not livereload's shared set."""

    class ForceReload(guard, ForceReloadHandler):
        origin_required = True

        def get(self) -> None:
            socket.reload_waiters(self.get_argument("path", default=None) or "*")
            self.write("ok")

    class Script(guard, LiveReloadJSHandler):
        pass

    class Static(guard, static):
        pass

    class NotFound(guard, web.RequestHandler):
        def prepare(self):
            super().prepare()
            raise web.HTTPError(404)

    class Injector(LiveScriptInjector):
        def __init__(self, request):
            super().__init__(request)
            self.script = LIVE_SCRIPT + (page_head(request.path) if page_head is not None else b"")

    return web.Application(
        handlers=[(r"/livereload", socket), (r"/forcereload", ForceReload), (r"/livereload.js", Script), *extra,
                  (r"/(.*)", Static, static_options)],
        default_handler_class=NotFound, transforms=[Injector])


def _shown(text: str) -> str:
    """Request text (untrusted) for one terminal line: escaped, and not too long."""
    text = one_line(text)
    return text if len(text) <= 120 else text[:117] + "..."
