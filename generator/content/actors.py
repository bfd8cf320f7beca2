"""The actors (content/actors.py) and where each source's article mentions
them: plain functions, each returning its result and problems."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable

from ..errors import Diagnostic, Diagnostics
from .schema import FieldReader, http_url_problem
from .converter import MarkupCheck
from .mentions import MentionMatcher, fold
from .choices import choice
from .model import ACTOR_KINDS, ACTOR_STATUSES, Actor, Mention, Source
from .seedtext import normalise
from .yamlio import YList
from .files import ParsedYaml
from .yaml_recover import ids_in
from .alias_guard import drop_excluded, form_lines

ACTOR_KEYS = ("id", "name", "kind", "role", "description", "aliases", "exact_aliases", "wikidata", "links",
              "status", "status_note")
# Q and ASCII digits: ``str.isdigit`` also takes "Q１２３" (full-width) and other scripts' digits.
WIKIDATA = re.compile(r"Q[0-9]+")

# An actor's normalised forms, as ``MentionMatcher`` takes them: (name, aliases, exact aliases).
Forms = tuple[str, list[str], list[str]]


class _AllActors(frozenset):
    """Every id: the ``unusable`` actors of an actors.yaml that could not be read."""

    def __contains__(self, item) -> bool:
        return True


ALL_ACTORS = _AllActors()


@dataclass(frozen=True)
class ActorsResult:
    """The actors, their forms for the mention matcher, the line of each
    actor's id (for the warning about an actor never mentioned), the ids an
    event may name without a second message (``unusable``: every id when the
    file cannot be read as a list, else the ids of actors with errors), and
    the problems found."""

    actors: tuple[Actor, ...]
    forms: tuple[Forms, ...]
    lines: dict[str, int]
    unusable: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    form_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (id, name or alias) -> its line
    converted: dict[tuple[str, str], str] = field(default_factory=dict)  # MarkupCheck.converted

    @property
    def unusable_key(self) -> tuple:
        """``unusable`` as a cache key's value (``ALL_ACTORS`` is empty as a set)."""
        return isinstance(self.unusable, _AllActors), tuple(sorted(self.unusable))


def load_actors(rel: str, parse: Callable[[], ParsedYaml], markup_check: MarkupCheck) -> ActorsResult:
    """``parse``: actors.yaml's tree (a step of its own)."""
    parsed = parse()
    diagnostics = Diagnostics(list(parsed.diagnostics))
    check = markup_check.fresh()
    reader = FieldReader(diagnostics, rel, check)
    data = parsed.tree
    lines: dict[str, int] = {}
    alias_lines: dict[tuple[str, str], int] = {}

    def result(actors=(), forms=(), unusable: frozenset[str] = ALL_ACTORS) -> ActorsResult:
        return ActorsResult(tuple(actors), tuple(forms), lines, unusable, tuple(diagnostics.items), alias_lines,
                            check.converted)

    if data is None:
        return result()
    if not isinstance(data, YList):
        reader.error(getattr(data, "line", 1), "actors.yaml must be a list of actors")
        return result()
    failed = set()
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
        if wikidata is not None and not WIKIDATA.fullmatch(wikidata):
            reader.error(entry.line_of("wikidata"), f"'wikidata' must be an item id such as Q7407093 "
                         f"(Q and ASCII digits 0-9), got {wikidata!r}")
        links = []
        if entry.get("links") is not None:
            link_map = reader.mapping(entry["links"], entry.line_of("links"), "'links'")
            for label, target in (link_map or {}).items():
                problem = http_url_problem(target.strip()) if isinstance(target, str) else "must be an http(s) URL"
                if problem:
                    reader.error(link_map.line_of(label), f"link {label!r} {problem}")
                else:
                    links.append((str(label), target.strip()))
        norm_name = normalise(name) if name is not None else None
        norm_aliases = [normalise(a) for a in aliases]
        norm_exact = [normalise(a) for a in exact]
        if actor_id is not None and actor_id not in lines:  # checked even when another field is wrong
            check_strings(actor_id, norm_name, norm_aliases, norm_exact, owners, reader, entry.line)
        status, status_note, status_ok = actor_status(entry, reader)
        if actor_id is None or name is None or kind is None or not status_ok:
            if actor_id is not None:
                failed.add(actor_id)
            continue
        if actor_id in lines:
            reader.error(entry.line_of("id"), f"duplicate actor id '{actor_id}' (first at line {lines[actor_id]})")
            continue
        lines[actor_id] = entry.line_of("id")
        form_lines(entry, actor_id, alias_lines)
        actors.append(Actor(actor_id, name.strip(), kind, (reader.string(entry, "role") or "").strip(),
                            (reader.markdown(entry, "description") or "").strip(), tuple(aliases), tuple(exact),
                            wikidata, tuple(links), status, status_note))
        forms.append((norm_name, norm_aliases, norm_exact))
    if parsed.lost:  # items lost to a syntax error: events naming them are not told they do not exist
        lost_ids, every_one = ids_in(parsed.lost)
        if not every_one:
            return result(actors, forms)
        failed |= lost_ids
    return result(actors, forms, frozenset(failed - set(lines)))


def check_strings(actor_id: str, name: str | None, aliases: list[str], exact: list[str],
                  owners: dict[tuple[bool, str], str], reader: FieldReader, line: int) -> None:
    """Each name and alias belongs to one actor (``owners``: every string seen so far)."""
    plain = [name] if name is not None else []
    strings = [(s in exact, s) for s in [*plain, *aliases] if s not in exact]
    strings += [(True, s) for s in exact]
    for exact_form, text in strings:
        key = (exact_form, text if exact_form else fold(text))
        if owners.get(key, actor_id) != actor_id:
            reader.error(line, f"the string {text!r} is given to two actors: '{owners[key]}' and '{actor_id}'")
        owners.setdefault(key, actor_id)


def actor_status(entry, reader: FieldReader) -> tuple[str | None, str, bool]:
    """Format 1.1: ``status: spurious`` and its reason, ``status_note`` (required
    with it: a reader must learn why the entity is not real); and whether both were valid."""
    status, ok = choice(reader, entry, "status", ACTOR_STATUSES, "actor status")
    note = reader.markdown(entry, "status_note")
    if note is None and entry.get("status_note") is not None:
        ok = False
    note = (note or "").strip()
    if status is not None and not note:
        reader.error(entry.line_of("status"), f"an actor with 'status: {status}' needs 'status_note': "
                                              "why it exists only through an error in a source")
        ok = False
    elif note and status is None and ok:
        reader.error(entry.line_of("status_note"), "'status_note' is the reason for a 'status': "
                                                   "add 'status: spurious' or remove it")
        ok = False
    return status, note, ok


def make_matcher(forms: tuple[Forms, ...]) -> MentionMatcher:
    return MentionMatcher(list(forms))


@dataclass(frozen=True)
class SourceMentions:
    """One source's mentions, the actors they name, and a digest of them
    (for the outputs that show them)."""

    mentions: tuple[Mention, ...]
    actors: frozenset[str]
    digest: str
    diagnostics: tuple[Diagnostic, ...] = ()  # a not_mentions entry that excludes nothing


def find_mentions(source: Source, matcher: MentionMatcher, actor_ids: tuple[str, ...],
                  unusable: frozenset[str] = frozenset()) -> SourceMentions:
    """``actor_ids``: the matcher's actors, in its order; ``unusable``: see
    ``ActorsResult`` (a ``not_mentions`` naming one is not told it is unknown)."""
    found = []
    for paragraph in source.article.paragraphs:
        for start, end, index in matcher.find_in_paragraph(paragraph):
            found.append(Mention(actor_ids[index], source.slug, paragraph.number, start, end))
    kept, problems = drop_excluded(source, found, actor_ids, unusable)
    found = tuple(kept)
    digest = hashlib.blake2b(repr(("mentions", found)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return SourceMentions(found, frozenset(m.actor for m in found), digest, problems)
