"""Names that are also ordinary words, and passages that are not mentions.

An alias matched without regard to case ("Deal", for Stan Deal) also
matches the word "deal" wherever it appears: the actor's count, the network
picture and the home page's "most mentioned" list were wrong, silently. So
every mention found in lower case by a form written with a capital letter
is counted, and each such form gets a warning with the count and the first
places, pointing to ``exact_aliases`` (matched with case). Where the form is
right everywhere but one passage, a source's ``not_mentions`` (format 1.1)
excludes that passage from the actor's mentions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from ..errors import Diagnostic, Diagnostics
from .mentions import fold
from .model import Actor, Mention, NotMention, Source
from .schema import FieldReader
from .seedtext import Article, normalise
from .suggest import did_you_mean
from .yamlio import YList, YMap

NOT_MENTION_KEYS = ("actor", "quote", "prefix", "suffix")
SHOWN_PLACES = 3


def read_not_mentions(meta: YMap, reader: FieldReader, article: Article, match: Callable) -> tuple[NotMention, ...]:
    """``not_mentions: [{actor, quote, prefix?, suffix?}]``, each quote placed
    in the article (``match``: ``sources.match_quote`` with its context)."""
    found = []
    for item, line in reader.items(meta, "not_mentions"):
        data = reader.mapping(item, line, "an item of 'not_mentions'")
        if data is None:
            continue
        reader.keys(data, NOT_MENTION_KEYS, ("actor", "quote"), what="not_mentions")
        actor = reader.slug(data, "actor")
        quote = reader.string(data, "quote", required=True)
        if actor is None or quote is None:
            continue
        pieces = match(data, quote)
        if pieces is not None:
            found.append(NotMention(actor, pieces, data.line_of("actor")))
    return tuple(found)


def drop_excluded(source: Source, mentions: list[Mention], actor_ids: Iterable[str],
                  unusable: frozenset[str] = frozenset()) -> tuple[list[Mention], tuple[Diagnostic, ...]]:
    """``mentions`` without those inside a passage of ``source.not_mentions``
    (for that actor); an exclusion that excludes nothing is an error."""
    if not source.not_mentions:
        return mentions, ()
    diagnostics = Diagnostics()
    known = set(actor_ids)
    removed: set[int] = set()
    for exclusion in source.not_mentions:
        if exclusion.actor not in known:
            if exclusion.actor not in unusable:
                diagnostics.error(source.annotation or source.slug, exclusion.line,
                                  f"not_mentions: unknown actor id '{exclusion.actor}'{did_you_mean(exclusion.actor, known)}")
            continue
        hits = {i for i, m in enumerate(mentions) if m.actor == exclusion.actor and _inside(m, exclusion)}
        if not hits:
            diagnostics.error(source.annotation or source.slug, exclusion.line,
                              f"not_mentions: the quote holds no mention of '{exclusion.actor}' (nothing to exclude)")
        removed |= hits
    return [m for i, m in enumerate(mentions) if i not in removed], tuple(diagnostics.items)


def _inside(mention: Mention, exclusion: NotMention) -> bool:
    return any(p.paragraph == mention.paragraph and p.start < mention.end and mention.start < p.end
               for p in exclusion.pieces)


@dataclass(frozen=True)
class _Form:
    actor: str
    written: str
    line: int


def lower_case_warnings(actors: Iterable[Actor], lines: dict[tuple[str, str], int], sources: Iterable[Source],
                        mentions: Iterable[Mention], rel: str) -> list[Diagnostic]:
    """A warning for each name or case-insensitive alias written with a
    capital letter that is counted as a mention where the text has it in
    lower case. ``lines``: (actor id, form as written) -> its line."""
    actors = tuple(actors)
    forms: dict[tuple[str, str], _Form] = {}
    for actor in actors:
        exact = {normalise(a) for a in actor.exact_aliases}
        for written in (actor.name, *actor.aliases):
            norm = normalise(written)
            if norm not in exact and any(c.isupper() for c in norm):
                forms.setdefault((actor.id, fold(norm)), _Form(actor.id, written, lines.get((actor.id, written), 0)))
    if not forms:
        return []
    by_slug = {s.slug: s for s in sources}
    cased: dict[str, bool] = {}  # judged only for sources with a mention in lower case (a build may have thousands)
    places: dict[_Form, list[str]] = defaultdict(list)
    words: dict[_Form, str] = {}
    for mention in mentions:
        source = by_slug.get(mention.source)
        if source is None:
            continue
        paragraph = source.article.paragraphs[mention.paragraph - 1].text
        raw = paragraph[mention.start:mention.end]
        if not raw.islower() or _sentence_initial(paragraph, mention.start):
            continue  # capitalised, or a sentence written in lower case: no evidence either way
        form = forms.get((mention.actor, fold(normalise(raw))))
        if form is None:
            continue
        if mention.source not in cased:
            cased[mention.source] = is_cased(source.article)
        if cased[mention.source]:
            places[form].append(f"{mention.source} paragraph {mention.paragraph}")
            words.setdefault(form, normalise(raw))
    diagnostics = Diagnostics()
    for form, where in places.items():
        first = ", ".join(where[:SHOWN_PLACES]) + (", ..." if len(where) > SHOWN_PLACES else "")
        what = "name" if form.written == _name_of(actors, form.actor) else "alias"
        diagnostics.warning(rel, form.line or None,
                            f"the {what} '{form.written}' of '{form.actor}' also matches the lower-case \"{words[form]}\": "
                            f"{len(where)} mention{'s' if len(where) != 1 else ''} in lower case ({first})",
                            (f"hint: if only '{form.written}' as written names the actor, move it to exact_aliases "
                             f"(matched with case); to exclude one passage, add not_mentions to that source's annotation",))
    return diagnostics.items


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)[\W\d_]*(\w)")


def _sentence_initial(paragraph: str, start: int) -> bool:
    """Whether only spaces and punctuation stand between ``start`` and the
    paragraph's start or the end of a sentence (. ! ? :)."""
    index = start
    while index > 0 and not paragraph[index - 1].isalnum():
        index -= 1
        if paragraph[index] in ".!?:":
            return True
    return index == 0


def is_cased(article: Article) -> bool:
    """Whether the text starts its sentences with capitals, mostly. A text
    written all in lower case (some aggregators lower-case whole articles)
    says nothing about whether "apple" is the fruit or the firm."""
    starts = [m.group(1) for p in article.paragraphs for m in _SENTENCE_START.finditer(p.norm.text)]
    letters = [c for c in starts if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) * 2 >= len(letters)


def _name_of(actors: Iterable[Actor], actor_id: str) -> str | None:
    return next((a.name for a in actors if a.id == actor_id), None)


def form_lines(entry: YMap, actor_id: str, into: dict[tuple[str, str], int]) -> None:
    """The line of the actor's name and of each of its aliases, for the warning."""
    if isinstance(entry.get("name"), str):
        into[(actor_id, entry["name"].strip())] = entry.line_of("name")
    aliases = entry.get("aliases")
    if isinstance(aliases, YList):
        for index, alias in enumerate(aliases):
            if isinstance(alias, str):
                into[(actor_id, alias)] = aliases.line_of(index)
