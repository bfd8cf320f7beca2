"""The preview's annotation endpoints, on its tornado server.

``POST /__annotate/propose`` works out the quote and the YAML; ``POST
/__annotate/write`` also writes it. Both answer only the preview's own
pages: behind ``preview_server``'s guard (its ``Host``; an ``Origin``,
required here, that is its own) and with the run's token in
``X-Annotate-Token``; anything else is a 403 with one line in the
terminal. The body is JSON of at most ``MAX_BODY`` bytes, every field
checked (``parse_request``). ``GET /__annotate/annotate.js`` and
``annotate.css`` are the panel's script and stylesheet, files of this
package chosen from a fixed list.

The work runs on the server's thread: it reads a few files and writes one
(the watcher thread sees it change and rebuilds, like an edit in an editor).
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Callable

from tornado import web

from ..content.dates import DateError, parse_date
from ..content.schema import is_slug
from .annotator import KINDS, Annotator, Refused, Request
from .quote import Point
from .snippet import clean_text, slug_of

MAX_BODY = 64 * 1024  # bytes of JSON; a note is a few hundred
MAX_TEXT = 20_000  # characters of any one field
ASSETS = {"annotate.js": "application/javascript; charset=utf-8", "annotate.css": "text/css; charset=utf-8"}
HERE = Path(__file__).resolve().parent


def routes(annotator: Annotator, guard: type, say: Callable[[str], None]) -> list:
    """The annotation routes, every handler behind ``guard``."""

    class Endpoint(guard, web.RequestHandler):
        origin_required = True

        def prepare(self):
            super().prepare()
            token = self.request.headers.get("X-Annotate-Token", "")
            if not hmac.compare_digest(token.encode("utf-8", "replace"), annotator.token.encode("ascii")):
                say(f"preview: request refused (403): POST {self.request.path}: no valid annotation token")
                raise web.HTTPError(403)

        def post(self, action: str) -> None:
            self.set_header("Cache-Control", "no-store")
            try:
                request = parse_request(self.request.headers.get("Content-Type", ""), self.request.body)
                answer = annotator.answer(request, action == "write")
            except Refused as exc:
                self.set_status(exc.status)
                self.finish({"error": str(exc)})
                return
            if answer.get("written"):
                say(f"annotate: added to {answer['file']}")
            self.finish(answer)

    class Asset(guard, web.RequestHandler):
        def get(self, name: str) -> None:
            self.set_header("Content-Type", ASSETS[name])
            self.set_header("Cache-Control", "no-store")
            self.finish((HERE / name).read_bytes())

    return [(r"/__annotate/(propose|write)", Endpoint), (r"/__annotate/(annotate\.js|annotate\.css)", Asset)]


def parse_request(content_type: str, body: bytes) -> Request:
    """The request's JSON, checked field by field (``Refused`` 400/413)."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise Refused(415, "the body must be JSON (Content-Type: application/json)")
    if len(body) > MAX_BODY:
        raise Refused(413, f"the request is larger than {MAX_BODY // 1024} KB")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, "the body must be a JSON object")
    slug = _text(data, "slug")
    if not is_slug(slug):
        raise Refused(400, "'slug' must be a source's slug")
    kind = _text(data, "kind")
    if kind not in KINDS:
        raise Refused(400, f"'kind' must be one of {', '.join(KINDS)}")
    event, new_event = None, None
    if kind == "evidence":
        event, new_event = _event(data)
    return Request(slug=slug, digest=_text(data, "digest"), start=_point(data, "start"), end=_point(data, "end"),
                   text=_text(data, "text"), kind=kind, body=clean_text(_text(data, "body", True)),
                   should_read=clean_text(_text(data, "should_read", True)), event=event, new_event=new_event)


def _event(data: dict) -> tuple[str | None, tuple[str, str, str] | None]:
    event = _text(data, "event", True)
    if event:
        if not is_slug(event):
            raise Refused(400, "'event' must be an event id")
        return event, None
    title = clean_text(_text(data, "title", True))
    date = clean_text(_text(data, "date", True))
    if not title or "\n" in title:
        raise Refused(422, "give the new event a title (one line)")
    try:
        parse_date(date)
    except DateError as exc:
        raise Refused(422, str(exc)) from None
    event_id = clean_text(_text(data, "id", True)) or slug_of(title)
    if not is_slug(event_id):
        raise Refused(422, f"the event id must be a slug (lower-case letters, digits and single hyphens): {event_id!r}")
    return None, (event_id, date, title)


def _text(data: dict, key: str, optional: bool = False) -> str:
    value = data.get(key, "" if optional else None)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise Refused(400, f"'{key}' must be text of at most {MAX_TEXT} characters")
    if key != "text" and any((c < " " and c not in "\t\n\r") or "\x7f" <= c <= "\x9f" for c in value):
        raise Refused(422, f"'{key}' holds a control character, which YAML text may not (content format 1.1)")
    return value


def _point(data: dict, key: str) -> Point:
    value = data.get(key)
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 1 << 40 for n in value)):
        raise Refused(400, f"'{key}' must be [paragraph, offset]")
    return Point(value[0], value[1])
