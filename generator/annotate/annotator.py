"""The preview's annotator: what a source page is told, and what a request does.

One ``Annotator`` per ``serve`` run holds the run's random token, given only
to the preview's own source pages (``page_head``) and required by the
endpoints. Every request reads the site afresh (site.yaml, the seed, the
annotation, events.yaml), finds the source by its slug among the sources
that exist (a path is never made from the request's text), and works out
the quote with the loader's own code; a write is checked by loading the
edited annotation with the loader before anything is written.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..content.config import SiteConfig, load_config
from ..content.files import list_annotations, list_seeds, plain_reading, read_markdown_file
from ..content.inputfiles import read_bytes
from ..content.schema import is_slug
from ..content.seedtext import decode_seed, slug_from_name
from ..content.sources import Quote, load_source, match_quote, pieces_of, unannotated_source
from ..content.yamlio import YMap, load
from ..errors import Diagnostics
from ..i18n import ANNOTATE_STRINGS, LANGUAGES
from .edit import Change, EditRefused, digest, evidence_change, note_change, write
from .quote import Chosen, Point, SelectionError, choose_quote
from .snippet import event_item, evidence_item, note_item

NOT_TEXT = (".pilcrow", ".note-ref", ".backlink", ".cited-by", ".original-link")  # the theme's, if its own fail
KINDS = ("note", "correction", "claim", "evidence")


class Refused(Exception):
    """A request that cannot be done; ``status`` and a message for the page."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Target:
    """A source that exists: its slug, its annotation (None: not annotated yet), its seed."""

    slug: str
    annotation: Path
    annotated: bool
    seed_name: str
    seed_path: Path


@dataclass(frozen=True)
class Request:
    """A validated request (``handler.parse_request``)."""

    slug: str
    digest: str  # of the file to change, as the page was shown
    start: Point
    end: Point
    text: str  # the words the page saw
    kind: str
    body: str
    should_read: str
    event: str | None  # an existing event's id (evidence)
    new_event: tuple[str, str, str] | None  # (id, date, title)


class Annotator:
    def __init__(self, config_path: Path, mount: Callable[[], str | None]):
        self.config_path = Path(config_path)
        self.mount = mount  # the preview's current base path, e.g. "/repo/"
        self.token = secrets.token_urlsafe(32)

    # -- the page ------------------------------------------------------------

    def page_head(self, request_path: str) -> bytes:
        """What the preview adds before ``</head>`` of a source page: the
        panel's settings (with the token and the files' digests), its
        stylesheet and script. Nothing on other pages."""
        mount = self.mount()
        match = re.fullmatch(re.escape(mount or "/") + r"sources/([a-z0-9-]+)/(?:index\.html)?", request_path)
        if mount is None or match is None:
            return b""
        try:
            config = self._config()
            target = find_target(config, match.group(1))
        except Refused:
            return b""
        events_path = config.content_dir / "events.yaml"
        settings = {
            "token": self.token, "slug": target.slug, "digest": digest(_read(target.annotation)),
            "eventsDigest": digest(_read(events_path)), "file": config.rel(target.annotation),
            "eventsFile": config.rel(events_path),
            "events": [{key: event[key] for key in ("id", "date", "title")} for event in list_events(events_path)],
            "notText": list(not_text_selectors(config)), "strings": strings(config.language),
            "propose": "/__annotate/propose", "write": "/__annotate/write",
        }
        data = json.dumps(settings, ensure_ascii=True).replace("</", "<\\/")
        return (f'<script type="application/json" id="annotate-settings">{data}</script>'
                '<link rel="stylesheet" href="/__annotate/annotate.css">'
                '<script src="/__annotate/annotate.js" defer></script>').encode("ascii")

    # -- a request -------------------------------------------------------------

    def answer(self, request: Request, do_write: bool) -> dict:
        """Work out the quote and the YAML; write it when ``do_write``."""
        config = self._config()
        target = find_target(config, request.slug)
        source = load_target(config, target)
        try:
            chosen = choose_quote(source.article, request.start, request.end, request.text)
        except SelectionError as exc:
            raise Refused(422, str(exc)) from None
        change, anchor = self._change(config, target, source, chosen, request)
        result = {"quote": chosen.quote, "prefix": chosen.prefix, "suffix": chosen.suffix,
                  "file": change.rel, "snippet": change.snippet, "anchor": anchor}
        if do_write:
            try:
                write(change, request.digest)
            except EditRefused as exc:
                raise Refused(409, str(exc)) from None
            result["written"] = True
        return result

    def _change(self, config: SiteConfig, target: Target, source, chosen: Chosen, request: Request) -> tuple[Change, str]:
        try:
            if request.kind != "evidence":
                return self._note_change(config, target, source, chosen, request)
            return self._evidence_change(config, target, source, chosen, request)
        except EditRefused as exc:
            raise Refused(422, str(exc)) from None

    def _note_change(self, config, target, source, chosen, request) -> tuple[Change, str]:
        if not request.body:
            raise Refused(422, "write the text of the note")
        if request.kind == "correction" and not request.should_read:
            raise Refused(422, "a correction needs what the text should read")
        note = note_item(chosen.quote, chosen.prefix, chosen.suffix, request.kind, request.body, request.should_read)
        head = [("seed", target.seed_name), ("title", source.title), ("seed_sha256", source.seed_sha256)]
        before = _read(target.annotation)
        change = note_change(target.annotation, config.rel(target.annotation), before, note, head)
        # The loader itself reads the edited annotation: the new note must be
        # there, on the passage selected.
        reading = plain_reading(config)
        edited = dataclasses.replace(reading, read=lambda p: change.after if p == target.annotation else read_bytes(p))
        seeds = {target.seed_name: target.seed_path}
        result = load_source(target.annotation, seeds, {}, edited)
        notes = result.source.notes if result.source is not None else ()
        if (len(notes) != len(source.notes) + 1
                or notes[-1].pieces != pieces_of(source.article, (chosen.start, chosen.end))):
            problems = "; ".join(str(d) for d in result.diagnostics if d.severity == "error")
            raise Refused(422, f"the build would not read this note as intended ({problems or 'no message'}); "
                               "nothing was written")
        return change, notes[-1].anchor

    def _evidence_change(self, config, target, source, chosen, request) -> tuple[Change, str]:
        span = match_quote(source.article, Quote(chosen.quote, chosen.prefix, chosen.suffix, "", 0), Diagnostics())
        if span != (chosen.start, chosen.end):
            raise Refused(422, "the build would not find this quote where it was selected; nothing was written")
        path = config.content_dir / "events.yaml"
        before = _read(path)
        known = {event["id"]: event for event in list_events(path)}
        item = evidence_item(target.slug, chosen.quote, chosen.prefix, chosen.suffix)
        if request.new_event is None:
            if request.event not in known:
                raise Refused(422, f"there is no event '{request.event}' in {config.rel(path)}")
            change = evidence_change(path, config.rel(path), before, request.event, item)
            cited = known[request.event]["cited"].get(target.slug, 0)
            base = f"ev-{request.event}"
            return change, base if cited == 0 else f"{base}-{cited + 1}"
        event_id, date, title = request.new_event
        if event_id in known:
            raise Refused(422, f"there is already an event '{event_id}': choose it in the list, or another id")
        change = evidence_change(path, config.rel(path), before, None, event_item(event_id, date, title, item))
        return change, f"ev-{event_id}"

    def _config(self) -> SiteConfig:
        config = load_config(self.config_path, Diagnostics())
        if config is None:
            raise Refused(409, "site.yaml has errors: fix them first")
        return config


def find_target(config: SiteConfig, slug: str) -> Target:
    """The source ``slug`` names, from the listing of the site (404 if none)."""
    if not is_slug(slug):
        raise Refused(404, "no such source")
    reading = plain_reading(config)
    seeds = list_seeds(reading).seeds
    annotations = {path.stem: path for path in list_annotations(config.content_dir / "sources").files}
    if slug in annotations:
        meta, _, ok = read_markdown_file(annotations[slug], config.rel(annotations[slug]), Diagnostics())
        seed = meta.get("seed") if ok and isinstance(meta, YMap) else None
        if not isinstance(seed, str) or seed not in seeds:
            raise Refused(409, f"{config.rel(annotations[slug])} has errors: fix them first")
        return Target(slug, annotations[slug], True, seed, seeds[seed])
    claimed = set()
    for path in annotations.values():
        meta, _, ok = read_markdown_file(path, config.rel(path), Diagnostics())
        if ok and isinstance(meta, YMap):
            claimed.add(meta.get("seed"))
    for name, path in seeds.items():
        own = slug_from_name(name)  # the path is made from the seed's listed name, not from the request
        if name not in claimed and own == slug:
            return Target(own, config.content_dir / "sources" / f"{own}.md", False, name, path)
    raise Refused(404, "no such source")


def load_target(config: SiteConfig, target: Target):
    """The source as the loader reads it (a 409 when it has errors)."""
    reading = plain_reading(config)
    if target.annotated:
        result = load_source(target.annotation, {target.seed_name: target.seed_path}, {}, reading)
    else:
        result = unannotated_source(target.seed_name, target.seed_path, set(), reading)
    if result.source is None:
        raise Refused(409, f"{config.rel(target.annotation)} has errors: fix them first (the terminal lists them)")
    return result.source


def list_events(path: Path) -> list[dict]:
    """The events of ``events.yaml`` for the panel's list: id, date, title,
    and how many evidence items cite each source; [] when it cannot be read."""
    data = _read(path)
    try:
        tree = load(decode_seed(data)) if data is not None else None
    except Exception:  # noqa: BLE001 - a broken file lists no event; the build reports it
        return []
    events = []
    for entry in tree if isinstance(tree, list) else ():
        if not isinstance(entry, YMap) or not isinstance(entry.get("id"), str):
            continue
        date = entry.written("date") or entry.get("date")
        cited: dict[str, int] = {}
        for item in entry.get("evidence") or ():
            if isinstance(item, dict) and isinstance(item.get("source"), str):
                cited[item["source"]] = cited.get(item["source"], 0) + 1
        events.append({"id": entry["id"], "date": str(date or ""), "title": str(entry.get("title") or ""),
                       "cited": cited})
    return events


def not_text_selectors(config: SiteConfig) -> tuple[str, ...]:
    """The selectors of what the theme adds inside a paragraph (numbers,
    links back): the search index's own list, read from the macros."""
    from ..render.tags import Tags
    from ..render.templating import Renderer
    language = config.language if config.language in LANGUAGES else "en"
    try:
        return Tags(Renderer(config.templates_dir), LANGUAGES[language], language).search_exclude
    except Exception:  # noqa: BLE001 - broken templates: the build reports them
        return NOT_TEXT


def strings(language: str) -> dict:
    return ANNOTATE_STRINGS.get(language.split("-")[0].lower(), ANNOTATE_STRINGS["en"])


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
