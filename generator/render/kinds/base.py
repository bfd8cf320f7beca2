"""What an output kind is, and what it is given to make its items.

A *kind* (one module of this package) declares a family of outputs: the
items it yields, each a few output files made together (a source's HTML
page and its Markdown; one actor page; ``data/sources.json``), with what the
item reads of the model, as fingerprints (``Item.depends``), written next
to the view the item renders, so that the two are read and changed together.

A kind only declares: it never looks at a cache. ``check``, a cold build,
an incremental rebuild and the preview iterate the same kinds
(``registry.items``); an incremental build keys each item by its
``depends`` and makes only the items whose key changed
(``incremental/plan.py``), while ``check`` makes every item and keys none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from ...errors import Diagnostics
from ...content.converter import Markup as Converter
from ...content.model import Site
from ..templating import Renderer, TemplateProblem
from ..sanitize import markup_safe
from ..urls import Urls, output_file
from ..output import Output
from ..views import ViewBuilder

Files = dict[str, bytes]  # output file (relative to the output folder) -> its bytes


@dataclass
class Item:
    """A few output files made together, and what they depend on."""

    name: str  # unique in the site, e.g. 'source:x', 'data:events'
    make: Callable[[], Files]
    depends: tuple = ()  # fingerprints of what ``make`` reads (strings, or tuples of them)
    weight: int = 1  # rough cost, to share the work between processes

    def files(self, diagnostics: Diagnostics) -> Files:
        """What ``make`` makes; nothing, with an error at its line, when the
        site's ``_markup.html`` fails on some data (a page's own template's
        errors are reported by ``Context.page``)."""
        try:
            return self.make()
        except TemplateProblem as exc:
            diagnostics.error(*exc.where)
            return {}


class _Unknown(dict):
    """A fingerprint table for a build that keys nothing: every part is ''."""

    def __missing__(self, name: str) -> str:
        return ""


@dataclass
class Fingerprints:
    """Hashes of the model's parts, per object: what items declare they read.

    ``every`` holds one hash per table (every source, every card, ...), for
    the items that read a whole table (the timeline reads every event)."""

    source: dict[str, str] = field(default_factory=dict)  # slug -> everything the source is
    card: dict[str, str] = field(default_factory=dict)  # slug -> what other pages show of it (views.CARD_FIELDS)
    mentions: dict[str, str] = field(default_factory=dict)  # slug -> its mentions
    cites: dict[str, str] = field(default_factory=dict)  # slug -> the events that quote it
    event: dict[str, str] = field(default_factory=dict)
    actor: dict[str, str] = field(default_factory=dict)
    actor_card: dict[str, str] = field(default_factory=dict)  # what other pages show of an actor
    page: dict[str, str] = field(default_factory=dict)
    every: dict[str, str] = field(default_factory=dict)  # table name -> one hash of all of it

    @classmethod
    def unknown(cls) -> Fingerprints:
        """For a build that keys nothing (``check``, ``build.render``)."""
        return cls(*(_Unknown() for _ in range(9)))


class Reusing(Protocol):
    """Where an incremental build keeps pieces between builds (``incremental.memo.Memo``)."""

    def piece(self, slot: tuple, make: Callable[[], object]) -> object: ...

    def kept(self, slot: str, signature: str, compute: Callable[[], object]) -> object: ...


class Fresh:
    """Nothing kept: every piece made anew (a build that keys nothing)."""

    def piece(self, slot: tuple, make: Callable[[], object]) -> object:
        return make()

    def kept(self, slot: str, signature: str, compute: Callable[[], object]) -> object:
        return compute()


def _no_key(*parts) -> str:
    return ""


@dataclass(frozen=True)
class Context:
    """What the kinds are given: the model, its views, the renderers, and,
    for an incremental build, the fingerprints and a memo."""

    site: Site
    views: ViewBuilder
    renderer: Renderer
    converter: Converter
    diagnostics: Diagnostics
    fp: Fingerprints = field(default_factory=Fingerprints.unknown)
    memo: Reusing = field(default_factory=Fresh)
    key: Callable[..., str] = _no_key  # hashes parts (cache.key); only an incremental build needs it
    global_key: str = ""  # what every item depends on (the code, the settings, the templates)
    sitemap: tuple[str, ...] = ()  # the pages of the sitemap (set by ``registry.items``)

    @property
    def urls(self) -> Urls:
        return self.views.urls

    def page(self, output: Output) -> Files:
        """One HTML page, rendered by its template (none if the template failed: see the diagnostics)."""
        text = self.renderer.render(output.template, output.context, self.diagnostics, output.target)
        return {} if text is None else {output_file(output.target): markup_safe(text).encode("utf-8")}

    def piece(self, kind: str, handle: str, make: Callable[[], object]) -> object:
        """A piece made from one source or event (its ``handle``: a fingerprint),
        reused while its fingerprint is the same."""
        return self.memo.piece((kind, self.global_key, handle), make)

    def kept(self, slot: str, signature: tuple, compute: Callable[[], object]) -> object:
        """A value computed from what ``signature`` names, reused while it is the same."""
        return self.memo.kept(slot, self.key(self.global_key, signature), compute)


class Kind(Protocol):
    """One module of this package."""

    RESERVES: tuple[str, ...]  # top-level names of the output folder it writes (no free page may take them)

    def sitemap(self, site: Site) -> list[str]:
        """The site paths of its pages the sitemap lists."""

    def items(self, ctx: Context) -> Iterator[Item]:
        """Its items, in a fixed order."""


def one(name: str, make: Callable[[], str]) -> Callable[[], Files]:
    """An item's ``make`` for one text file."""
    return lambda: {name: make().encode("utf-8")}
