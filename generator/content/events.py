"""The events (content/events.yaml), each with its evidence placed in a
source's article, and their date order: plain functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..errors import Diagnostic, Diagnostics
from .schema import FieldReader, http_url_problem
from .converter import MarkupCheck
from .choices import choice
from .model import STANCES, Event, Evidence, Source
from .yamlio import YList, YMap
from .files import ParsedYaml
from .sources import Quote, match_quote, pieces_of
from .suggest import did_you_mean

EVENT_KEYS = ("id", "date", "end", "title", "summary", "actors", "tags", "evidence")
BEARING_KEYS = ("stance", "note")  # format 1.1, on either kind of evidence item


@dataclass(frozen=True)
class EventsResult:
    events: tuple[Event, ...]
    diagnostics: tuple[Diagnostic, ...]
    converted: dict[tuple[str, str], str] = field(default_factory=dict)  # MarkupCheck.converted


def load_events(rel: str, parse: Callable[[], ParsedYaml], sources: Mapping[str, Source], actor_ids: set[str],
                unusable_actors: frozenset[str], broken: set[str], markup_check: MarkupCheck) -> EventsResult:
    """``parse``: events.yaml's tree (a step of its own); ``unusable_actors``:
    ids not in ``actor_ids`` whose absence actors.yaml's own errors explain
    (``ActorsResult.unusable``); ``broken``: the annotated sources that failed
    to load (their errors are reported already)."""
    parsed = parse()
    diagnostics = Diagnostics(list(parsed.diagnostics))
    check = markup_check.fresh()
    reader = FieldReader(diagnostics, rel, check)
    data = parsed.tree
    if data is None:
        return EventsResult((), tuple(diagnostics.items))
    if not isinstance(data, YList):
        reader.error(getattr(data, "line", 1), "events.yaml must be a list of events")
        return EventsResult((), tuple(diagnostics.items))
    events, seen = [], {}
    anchors: dict[str, int] = {}
    for index, item in enumerate(data):
        entry = reader.mapping(item, data.line_of(index), "an event")
        if entry is None:
            continue
        reader.keys(entry, EVENT_KEYS, ("id", "date", "title", "evidence"), what="event")
        event_id = reader.slug(entry, "id")
        date = reader.date(entry, "date")
        end = reader.date(entry, "end")
        title = reader.string(entry, "title", required=True)
        if date and end and end.sort_key < date.sort_key:
            reader.error(entry.line_of("end"), f"'end' ({end.written}) is before 'date' ({date.written})")
        actors = []
        for actor_id, line in reader.slugs(entry, "actors"):
            if actor_id not in actor_ids:
                if actor_id not in unusable_actors:  # else actors.yaml's own errors say why
                    reader.error(line, f"unknown actor id '{actor_id}'{did_you_mean(actor_id, actor_ids | set(unusable_actors))}")
            else:
                actors.append(actor_id)
        tags = tuple(t for t, _ in reader.slugs(entry, "tags"))
        evidence = load_evidence(entry, reader, sources, broken, event_id, anchors)
        if event_id is not None:
            if event_id in seen:
                reader.error(entry.line_of("id"), f"duplicate event id '{event_id}' (first at line {seen[event_id]})")
                continue
            seen[event_id] = entry.line_of("id")
        if event_id is None or date is None or title is None or evidence is None:
            continue
        events.append(Event(event_id, date, end, title.strip(), (reader.markdown(entry, "summary") or "").strip(),
                            tuple(actors), tags, evidence))
    return EventsResult(tuple(events), tuple(diagnostics.items), check.converted)


def load_evidence(entry: YMap, reader: FieldReader, sources: Mapping[str, Source], broken: set[str], event_id,
                  anchors: dict[str, int]) -> tuple[Evidence, ...] | None:
    result = []
    ok = True
    for item, line in reader.items(entry, "evidence"):
        data = reader.mapping(item, line, "an evidence item")
        if data is None:
            ok = False
            continue
        if "source" in data:
            reader.keys(data, ("source", "quote", "prefix", "suffix", *BEARING_KEYS), ("source", "quote"), what="evidence")
            stance, note, valid = bearing(data, reader)
            slug = reader.string(data, "source")
            quote = reader.string(data, "quote", required=True)
            if slug is None or quote is None or not valid:
                ok = False
                continue
            source = sources.get(slug)
            if source is None and slug in broken:
                ok = False  # its annotation's own errors are reported already
                continue
            if source is None:
                reader.error(data.line_of("source"), f"unknown source '{slug}'{did_you_mean(slug, sources)}")
                ok = False
                continue
            span = match_quote(source.article, Quote(quote, reader.string(data, "prefix") or "",
                                                      reader.string(data, "suffix") or "", reader.path,
                                                      data.line_of("quote")), reader.diagnostics)
            if span is None:
                ok = False
                continue
            base = f"ev-{event_id}"
            key = f"{slug}/{base}"
            anchors[key] = anchors.get(key, 0) + 1
            anchor = base if anchors[key] == 1 else f"{base}-{anchors[key]}"
            result.append(Evidence(source=slug, quote=quote, pieces=pieces_of(source.article, span), anchor=anchor,
                                   stance=stance, note=note))
        elif "url" in data:
            reader.keys(data, ("url", "title", *BEARING_KEYS), ("url", "title"), what="evidence")
            stance, note, valid = bearing(data, reader)
            url = reader.string(data, "url")
            title = reader.string(data, "title", required=True)
            problem = http_url_problem(url.strip()) if url is not None else None
            if problem:
                reader.error(data.line_of("url"), f"evidence url {problem}, got {url!r}")
                ok = False
                continue
            if url is None or title is None or not valid:
                ok = False
                continue
            result.append(Evidence(url=url.strip(), title=title.strip(), stance=stance, note=note))
        else:
            reader.error(line, "an evidence item needs either 'source' and 'quote', or 'url' and 'title'")
            ok = False
    if not result and ok and entry.get("evidence") is not None:
        reader.error(entry.line_of("evidence"), "'evidence' needs at least one item")
        ok = False
    return tuple(result) if ok and result else None


def bearing(data: YMap, reader: FieldReader) -> tuple[str, str, bool]:
    """Format 1.1: how an evidence item bears on its event (``stance``,
    default ``supports``) and why (``note``, inline Markdown); and whether both
    were valid."""
    stance, valid = choice(reader, data, "stance", STANCES, "evidence stance")
    note = reader.markdown(data, "note")
    if note is None and data.get("note") is not None:
        valid = False
    return stance or STANCES[0], (note or "").strip(), valid


@dataclass(frozen=True)
class EventsInOrder:
    """The events by date (ties in the order written), and their tags."""

    events: tuple[Event, ...]
    tags: frozenset[str]


def order_events(events: tuple[Event, ...]) -> EventsInOrder:
    indexed = sorted(enumerate(events), key=lambda pair: (pair[1].date.sort_key, pair[0]))
    return EventsInOrder(tuple(e for _, e in indexed), frozenset(t for e in events for t in e.tags))
