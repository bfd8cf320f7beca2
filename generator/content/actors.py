"""The actors (content/actors.py) and where each source's article mentions
them: plain functions, each returning its result and problems."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

from ..errors import Diagnostic, Diagnostics
from ..fields import FieldReader, http_url_problem
from ..mentions import MentionMatcher, fold
from ..model import ACTOR_KINDS, Actor, Mention, Source
from ..text import normalise
from ..yamlio import YList
from .files import ParsedYaml

ACTOR_KEYS = ("id", "name", "kind", "role", "description", "aliases", "exact_aliases", "wikidata", "links")

# An actor's normalised forms, as ``MentionMatcher`` takes them: (name, aliases, exact aliases).
Forms = tuple[str, list[str], list[str]]


@dataclass(frozen=True)
class ActorsResult:
    """The actors, their forms for the mention matcher, the line of each
    actor's id (for the warning about an actor never mentioned), and the
    problems found."""

    actors: tuple[Actor, ...]
    forms: tuple[Forms, ...]
    lines: dict[str, int]
    diagnostics: tuple[Diagnostic, ...]


def load_actors(rel: str, parse: Callable[[], ParsedYaml]) -> ActorsResult:
    """``parse``: actors.yaml's tree (a step of its own)."""
    parsed = parse()
    diagnostics = Diagnostics(list(parsed.diagnostics))
    reader = FieldReader(diagnostics, rel)
    data = parsed.tree
    lines: dict[str, int] = {}

    def result(actors=(), forms=()) -> ActorsResult:
        return ActorsResult(tuple(actors), tuple(forms), lines, tuple(diagnostics.items))

    if data is None:
        return result()
    if not isinstance(data, YList):
        reader.error(getattr(data, "line", 1), "actors.yaml must be a list of actors")
        return result()
    actors, forms = [], []
    owners: dict[tuple[bool, str], str] = {}
    for index, item in enumerate(data):
        line = data.line_of(index)
        entry = reader.mapping(item, line, "an actor")
        if entry is None:
            continue
        reader.keys(entry, ACTOR_KEYS, ("id", "name", "kind"), what="actor")
        actor_id = reader.slug(entry, "id")
        name = reader.string(entry, "name", required=True)
        kind = reader.string(entry, "kind")
        if kind is not None and kind not in ACTOR_KINDS:
            reader.error(entry.line_of("kind"), f"actor kind must be one of {', '.join(ACTOR_KINDS)}, got {kind!r}")
            kind = None
        aliases = reader.strings(entry, "aliases")
        exact = reader.strings(entry, "exact_aliases")
        wikidata = reader.string(entry, "wikidata")
        if wikidata is not None and not (wikidata.startswith("Q") and wikidata[1:].isdigit()):
            reader.error(entry.line_of("wikidata"), f"'wikidata' must be an item id such as Q7407093, got {wikidata!r}")
        links = []
        if entry.get("links") is not None:
            link_map = reader.mapping(entry["links"], entry.line_of("links"), "'links'")
            for label, target in (link_map or {}).items():
                problem = http_url_problem(target.strip()) if isinstance(target, str) else "must be an http(s) URL"
                if problem:
                    reader.error(link_map.line_of(label), f"link {label!r} {problem}")
                else:
                    links.append((str(label), target.strip()))
        if actor_id is None or name is None or kind is None:
            continue
        if actor_id in lines:
            reader.error(entry.line_of("id"), f"duplicate actor id '{actor_id}' (first at line {lines[actor_id]})")
            continue
        lines[actor_id] = entry.line_of("id")
        norm_name = normalise(name)
        norm_aliases = [normalise(a) for a in aliases]
        norm_exact = [normalise(a) for a in exact]
        strings = [(s in norm_exact, s) for s in [norm_name, *norm_aliases] if s not in norm_exact]
        strings += [(True, s) for s in norm_exact]
        for exact_form, text in strings:
            key = (exact_form, text if exact_form else fold(text))
            if owners.get(key, actor_id) != actor_id:
                reader.error(entry.line, f"the string {text!r} is given to two actors: '{owners[key]}' and '{actor_id}'")
            owners.setdefault(key, actor_id)
        actors.append(Actor(actor_id, name.strip(), kind, (reader.string(entry, "role") or "").strip(),
                            (reader.markdown(entry, "description") or "").strip(), tuple(aliases), tuple(exact),
                            wikidata, tuple(links)))
        forms.append((norm_name, norm_aliases, norm_exact))
    return result(actors, forms)


def make_matcher(forms: tuple[Forms, ...]) -> MentionMatcher:
    return MentionMatcher(list(forms))


@dataclass(frozen=True)
class SourceMentions:
    """One source's mentions, the actors they name, and a digest of them
    (for the outputs that show them)."""

    mentions: tuple[Mention, ...]
    actors: frozenset[str]
    digest: str


def find_mentions(source: Source, matcher: MentionMatcher, actor_ids: tuple[str, ...]) -> SourceMentions:
    """``actor_ids``: the matcher's actors, in its order."""
    found = []
    for paragraph in source.article.paragraphs:
        for start, end, index in matcher.find_in_paragraph(paragraph):
            found.append(Mention(actor_ids[index], source.slug, paragraph.number, start, end))
    found = tuple(found)
    digest = hashlib.blake2b(repr(("mentions", found)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return SourceMentions(found, frozenset(m.actor for m in found), digest)
