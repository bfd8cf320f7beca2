"""The pictures' views: each chart's SVG with its caption and data table.

``charts.py`` draws; this module decides what is drawn (which events,
sources and actors, on the site's one time axis) and pairs each picture
with its caption and its figures as a table, so nothing is shown only as
a picture. A mixin of ``views.ViewBuilder``: the pictures are together
because they share one time axis (``ViewBuilder.periods``, made once from
every event and dated source, so that any two can be compared), and a page
showing one depends on that axis (``kinds/actors.py`` ``_axis``).
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from . import charts
from . import urls as paths
from ..content.model import ACTOR_KINDS, Event, Source

# The actor network shows at most this many actors and pairs (the most
# mentioned, the strongest): enough for every corpus of a few dozen actors
# to be drawn whole, and a readable picture of a corpus of thousands.
# Read when the network is drawn, so that a test can make them small.
NETWORK_NODES = 60
NETWORK_EDGES = 200


def _cell(text: str, href: str = "") -> dict:
    """A cell of a picture's data table; linked when ``href`` is set."""
    return {"text": text, "href": href, "numeric": text.isdigit()}


class Pictures:
    """The pictures of ``views.ViewBuilder`` (its base class): they read its
    ``site``, ``t``, the time axis (``periods``, ``by_year``), ``link`` and
    ``count_label``. The overview is on the home page and the timeline, an
    actor's strip on its page, the network on the actor index."""

    def period_href(self, key: str) -> str:
        """The year or month on the timeline (on the page that holds its first event)."""
        anchor = f"y{key}" if self.by_year else f"m{key}"
        return self.link(self.timeline_layout.anchor(anchor) if self.timeline_layout.split else paths.timeline(anchor))

    def overview(self) -> dict | None:
        """Events per period across the whole timeline, each bar a link to its period."""
        if not self.site.events:
            return None
        counts = Counter(charts.period_key(e.date, self.by_year) for e in self.site.events)
        hrefs = {key: self.period_href(key) for key in counts}
        title = self.t["events_per_year" if self.by_year else "events_per_month"]
        desc = self.t["overview_desc"].format(first=self.periods[0].label, last=self.periods[-1].label)
        describe = lambda p, n: f"{p.label}: {self.count_label(n, 'event')}"  # noqa: E731
        svg = charts.bar_chart(self.periods, counts, hrefs, chart_id="overview", title=title, desc=desc,
                               describe=describe)
        rows = [[_cell(p.label, hrefs[p.key]), _cell(str(counts[p.key]))]
                for p in self.periods if counts.get(p.key)]
        return {"kind": "overview", "svg": Markup(svg), "title": title, "caption": desc,
                "head": [self.t["period"], self.t["events"]], "rows": rows}

    def _per_period(self, dated) -> tuple[dict[str, int], dict[str, str]]:
        """(date, site path) pairs -> how many fall in each period of the time
        axis, and a link to the first of each period."""
        counts: Counter = Counter()
        hrefs: dict[str, str] = {}
        for date, target in dated:
            key = charts.period_key(date, self.by_year)
            counts[key] += 1
            if key not in hrefs:
                hrefs[key] = self.link(target)
        return dict(counts), hrefs

    def actor_strip(self, actor, events: list[Event], sources: list[Source], event_target=None,
                    source_target=None) -> dict | None:
        """When an actor appears: its events and the (dated) sources naming it, per period.
        Each cell links to the first of them on the actor's own page, or where
        ``event_target`` and ``source_target`` say (an event or source -> a site path)."""
        dated = [s for s in sources if s.published]
        if not events and not dated:
            return None
        page = paths.actor(actor.id)
        event_target = event_target or (lambda e: f"{page}#{e.id}")
        source_target = source_target or (lambda s: f"{page}#src-{s.slug}")
        event_counts, event_hrefs = self._per_period((e.date, event_target(e)) for e in events)
        source_counts, source_hrefs = self._per_period((s.published, source_target(s)) for s in dated)
        rows = [
            charts.StripRow(self.t["strip_events"], event_counts, event_hrefs,
                            lambda p, n: f"{p.label}: {self.count_label(n, 'event')}", "chart-row--events"),
            charts.StripRow(self.t["strip_sources"], source_counts, source_hrefs,
                            lambda p, n: f"{p.label}: {self.count_label(n, 'source')}",
                            "chart-row--sources"),
        ]
        title = self.t["actor_strip"].format(name=actor.name)
        desc = self.t["strip_desc"].format(name=actor.name, first=self.periods[0].label, last=self.periods[-1].label)
        svg = charts.strip_chart(self.periods, rows, chart_id="appearances", title=title, desc=desc)
        table = [[_cell(p.label), _cell(str(event_counts.get(p.key, 0)), event_hrefs.get(p.key, "")),
                  _cell(str(source_counts.get(p.key, 0)), source_hrefs.get(p.key, ""))]
                 for p in self.periods if event_counts.get(p.key) or source_counts.get(p.key)]
        return {"kind": "strip", "svg": Markup(svg), "title": title, "caption": desc,
                "head": [self.t["period"], self.t["strip_events"], self.t["strip_sources"]], "rows": table}

    def network(self) -> dict | None:
        """Actors named in the same paragraph: nodes on a circle, weighted edges.
        A large corpus shows its strongest part (``charts.strongest``), and
        the caption says how much of the whole that is."""
        real = [m for m in self.site.mentions if m.actor not in self.spurious_ids]  # spurious actors left out
        every_edge = charts.co_mentions(real)
        counts = Counter(m.actor for m in real)
        name = {a.id: a.name for a in self.site.actors}
        edges = charts.strongest(every_edge, counts, name, NETWORK_NODES, NETWORK_EDGES)
        linked = {a for pair in edges for a in pair}
        nodes = [charts.Node(a.id, a.name, a.kind, self.link(paths.actor(a.id)), counts[a.id],
                             f"{a.name} ({self.count_label(counts[a.id], 'mention')})")
                 for a in self.site.actors if a.id in linked]
        title = self.t["network"]
        if not edges:
            return {"kind": "network", "svg": Markup(""), "title": title, "caption": self.t["no_pairs"],
                    "head": [], "rows": []}
        desc = self.t["network_desc"].format(nodes=self.count_label(len(nodes), "actor"), edges=self.count_label(len(edges), "pair"))
        if len(edges) < len(every_edge):
            every_node = len({a for pair in every_edge for a in pair})
            desc += " " + self.t["network_part"].format(nodes=len(nodes), all_nodes=every_node, edges=len(edges),
                                                        all_edges=len(every_edge))
        svg = charts.network_chart(nodes, edges, chart_id="network", title=title, desc=desc, kinds=ACTOR_KINDS,
                                   kind_labels={k: self.t[k] for k in ACTOR_KINDS})
        pairs = sorted(edges.items(), key=lambda kv: (-kv[1], name[kv[0][0]].casefold(), name[kv[0][1]].casefold()))
        rows = [[_cell(name[a], self.link(paths.actor(a))), _cell(name[b], self.link(paths.actor(b))),
                 _cell(str(weight))] for (a, b), weight in pairs]
        return {"kind": "network", "svg": Markup(svg), "title": title, "caption": desc,
                "head": [self.t["filter_actor"], self.t["filter_actor"], self.t["shared_paragraphs"]], "rows": rows}
