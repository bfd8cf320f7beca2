"""Fetching a URL for ``add``: http(s) only, a timeout, a size limit,
redirects followed and each one checked again, one line when it fails.

The standard library's ``urllib`` does it: a GET with redirects is all that
is needed, and every rule above is a few lines around it.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .. import __version__

USER_AGENT = f"research-microsite-generator/{__version__} (add)"
MAX_REDIRECTS = 10


class FetchError(Exception):
    """Why a URL could not be fetched, in one line."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str


def scheme_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return f"only http and https URLs can be fetched, not {parts.scheme or 'a relative'}: {url}"
        if not parts.hostname:
            return f"no host in URL: {url}"
        parts.port  # raises for a port that is not a number
    except ValueError as exc:
        return f"not a valid URL ({exc}): {url}"
    return None


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, each target checked as the first URL was."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("location") or headers.get("uri")
        if target and scheme_problem(urljoin(req.full_url, target)):
            raise FetchError(f"redirected to a URL that is not http(s): {urljoin(req.full_url, target)}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        problem = scheme_problem(newurl)
        if problem:
            raise FetchError(f"redirected to a URL that is not http(s): {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror):
        return "cannot find the host (offline, or a mistyped address?)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(reason, ssl.SSLError):
        return f"secure connection failed: {getattr(reason, 'reason', None) or reason}"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)


def _read(response, url: str, limit: int, deadline: float) -> bytes:
    """The body, in pieces: at most ``limit`` bytes, and a server that sends
    a byte now and then (each read within the timeout) still stops at the
    deadline."""
    chunks, size = [], 0
    while True:
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"too large (more than {limit:,} bytes: see --max-mb)")
        if time.monotonic() > deadline:
            raise FetchError("no answer in time (the page kept coming after the deadline)")


def fetch(url: str, timeout: float, limit: int) -> Fetched:
    """The body of ``url`` (GET), at most ``limit`` bytes; ``FetchError`` otherwise."""
    problem = scheme_problem(url)
    if problem:
        raise FetchError(problem)
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf,text/plain;q=0.9,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"too large ({int(declared):,} bytes; the limit is {limit:,}: see --max-mb)")
            data = _read(response, url, limit, time.monotonic() + timeout * 4)
            return Fetched(response.geturl(), data, response.headers.get("Content-Type", ""))
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:  # ValueError: a URL urllib cannot parse
        raise FetchError(_reason(exc)) from None
    except Exception as exc:  # http.client's protocol errors (a server that is not HTTP)
        raise FetchError(f"{type(exc).__name__}: {exc}") from None
