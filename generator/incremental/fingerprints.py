"""The fingerprints of the model's parts that the kinds' items declare they
read (``kinds.base.Fingerprints``), computed once per build and reused
between builds for the objects that did not change.

Fingerprints are hashes of the model's own values (``repr`` of the frozen
dataclasses), or, for sources, of the input files they were read from (the
loader's cache keys), which is cheaper than hashing an article. What other
pages show of a source or an actor (its card) is what ``views`` declares.
"""

from __future__ import annotations

from dataclasses import replace

from ..hashing import digest, key
from ..render.kinds.base import Fingerprints
from ..content.model import Site, Source
from ..render.views import ViewBuilder, actor_card, card
from .cached_steps import LoadKeys
from .memo import Memo


def fingerprints(site: Site, views: ViewBuilder, memo: Memo, keys: LoadKeys) -> Fingerprints:
    """``keys``: what the loader's steps give of each source (its inputs' key,
    its article's digest, its mentions' digest)."""
    source_keys, article_keys, mention_keys = keys.sources, keys.articles, keys.mentions
    fp = Fingerprints()
    kept = memo.fingerprints
    used: set = set()

    def remember(kind, handle, obj, compute):
        slot = (kind, handle)
        used.add(slot)
        entry = kept.get(slot)
        if entry is None or entry[0] is not obj:
            entry = kept[slot] = (obj, compute())
        return entry[1]

    # The loop runs for every source of every rebuild: the memo is read
    # inline, and the mentions indexed only if some source's are not keyed.
    fp_source, fp_card, fp_mentions = fp.source, fp.card, fp.mentions
    memo_get, use = kept.get, used.add
    for source in site.sources:
        slug = source.slug
        own = source_keys.get(slug)
        if own is None:  # read without the cache (an unannotated seed): hash the value
            own = remember("source-value", id(source), source, lambda s=source: _source_value_key(s))
        fp_source[slug] = own
        slot = ("card", own)
        entry = memo_get(slot)
        use(slot)
        if entry is None:
            article = article_keys.get(slug) or digest(source.article.joined.encode("utf-8", "surrogatepass"))
            entry = kept[slot] = (None, key("card", card(source, article)))
        fp_card[slug] = entry[1]
        mkey = mention_keys.get(slug)
        fp_mentions[slug] = mkey if mkey is not None else key("mentions", repr(views.mentions_by_source.get(slug, [])))
    place = views.urls.on_timeline  # the page of the timeline that holds an event: every link to it names that page
    for event in site.events:
        fp.event[event.id] = remember("event", id(event), event, lambda e=event: key("event", repr(e))) + "@" + place(event.id)
    for actor in site.actors:  # the same objects while actors.yaml is unchanged
        fp.actor[actor.id] = remember("actor", id(actor), actor, lambda a=actor: key("actor", repr(a)))
        fp.actor_card[actor.id] = key("actor-card", actor_card(actor))
    for page in (*site.pages, *((site.home,) if site.home else ())):
        fp.page[page.slug] = key("page", repr(page))
    for slug in fp.source:
        fp.cites[slug] = "|".join(fp.event[event.id] for event, _ in views.citing.get(slug, []))
    # Keep the memo to what this build used (it holds references by identity).
    for slot in [slot for slot in kept if slot not in used]:
        del kept[slot]
    for table in ("source", "card", "mentions", "cites", "event", "actor", "actor_card", "page"):
        fp.every[table] = _every(table, getattr(fp, table))
    return fp


def _every(table: str, values: dict[str, str]) -> str:
    """One key for a table of fingerprints (thousands): the names, then the
    fingerprints, each joined by NUL (no name or fingerprint holds one),
    hashed without ``repr`` (a preview's rebuild makes these keys)."""
    return key(table, digest("\0".join(values).encode("utf-8", "surrogatepass")),
               digest("\0".join(values.values()).encode("utf-8", "surrogatepass")))


def _source_value_key(source: Source) -> str:
    """Everything the source is, hashed. The article is a function of its
    joined text, so that text's digest stands for it: the repr of the
    article (every paragraph twice, the joined and normalised text) made a
    string four times the seed, then escaped and encoded again, and a
    one-line seed of 10 MB took 300 MB here."""
    return key("source", repr(replace(source, article=None)),
               digest(source.article.joined.encode("utf-8", "surrogatepass")))
