"""The loaded library: plain, frozen data passed from stage to stage. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import SiteConfig
from .dates import PartialDate
from .seedtext import Article

ACTOR_KINDS = ("person", "organization", "government", "other")
NOTE_KINDS = ("note", "correction", "claim")
# Format 1.1: how an evidence item bears on its event (the first is the default).
STANCES = ("supports", "contradicts", "context")
# Format 1.1: an actor's status; the only one, an entity that exists only through an error in a source.
ACTOR_STATUSES = ("spurious",)
AUTHOR_KINDS = ("person", "organization")


@dataclass(frozen=True, slots=True)  # slots: one per passage of every note, evidence and exclusion
class Piece:
    """Part of a passage inside one paragraph: ``text[start:end]`` of paragraph ``paragraph``."""

    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Note:
    number: int  # 1-based, in the order written
    kind: str
    quote: str
    body: str  # Markdown
    should_read: str | None
    pieces: tuple[Piece, ...]

    @property
    def anchor(self) -> str:
        return f"note-{self.number}"


@dataclass(frozen=True)
class Evidence:
    """A quote of a corpus source, or a reference outside the corpus."""

    source: str | None = None
    quote: str | None = None
    pieces: tuple[Piece, ...] = ()
    anchor: str | None = None  # id of the element holding the passage's first part
    url: str | None = None
    title: str | None = None
    stance: str = "supports"  # one of STANCES
    note: str = ""  # Markdown: why the passage bears on the event as it does


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    end: PartialDate | None
    title: str
    summary: str
    actors: tuple[str, ...]
    tags: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def contested(self) -> bool:
        """Some of its evidence contradicts it."""
        return any(ev.stance == "contradicts" for ev in self.evidence)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    role: str
    description: str
    aliases: tuple[str, ...]
    exact_aliases: tuple[str, ...]
    wikidata: str | None
    links: tuple[tuple[str, str], ...]
    status: str | None = None  # None, or one of ACTOR_STATUSES
    status_note: str = ""  # Markdown: the reason (required with a status)

    @property
    def spurious(self) -> bool:
        return self.status == "spurious"


@dataclass(frozen=True)
class Author:
    """One author of a source: a person ("Given Family", as written) or an organisation."""

    name: str
    kind: str  # one of AUTHOR_KINDS

    @property
    def family_given(self) -> tuple[str, str]:
        """A person's (family, given): the last word is the family name
        ("Jean de La Fontaine" needs a list written "La Fontaine, Jean de"
        to be read otherwise: a comma separates family from given)."""
        if "," in self.name:
            family, _, given = self.name.partition(",")
            return family.strip(), given.strip()
        words = self.name.split()
        return (words[-1], " ".join(words[:-1])) if words else ("", "")


@dataclass(frozen=True, slots=True)  # slots: a large site holds hundreds of thousands
class Mention:
    actor: str
    source: str
    paragraph: int
    start: int  # in the paragraph's own text
    end: int


@dataclass(frozen=True)
class NotMention:
    """A passage of a source that does not name ``actor`` although a name
    or alias of it matches there (format 1.1, ``not_mentions``)."""

    actor: str
    pieces: tuple[Piece, ...]
    line: int  # in the annotation


@dataclass(frozen=True)
class Source:
    slug: str
    seed: str
    title: str
    publisher: str
    published: PartialDate | None
    language: str
    url: str
    translated_from: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    summary: str
    commentary: str
    notes: tuple[Note, ...]
    article: Article
    annotation: str | None  # path of the annotation, relative to the site folder
    seed_bytes: int = 0
    seed_sha256: str = ""  # SHA-256 of the seed file's bytes
    not_mentions: tuple[NotMention, ...] = ()
    authors: tuple[Author, ...] = ()  # format 1.1
    translated_authors: tuple[Author, ...] = ()  # the authors of the text it translates (translated_from.author)


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    nav: float | None
    body: str
    path: str


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    sources: tuple[Source, ...]  # sorted by published (undated last), then slug
    actors: tuple[Actor, ...]  # as listed in actors.yaml
    events: tuple[Event, ...]  # timeline order
    pages: tuple[Page, ...]
    home: Page | None
    mentions: tuple[Mention, ...]
    tags: tuple[str, ...] = field(default=())
