"""Pictures of the corpus, drawn at build time as inline SVG.

No chart library runs in the browser: each function here turns plain data
into an SVG string, the same input always giving the same bytes (no random
layout, no time; coordinates are rounded to one decimal). Every mark that
stands for something on the site is an ``<a href>`` with an accessible name,
and pictures.py pairs each picture with a caption and a data table, so nothing
is only in the picture.

- ``bar_chart``: events per period across the whole timeline (the overview).
- ``strip_chart``: rows of cells on the same periods (when an actor appears).
- ``network_chart``: actors as nodes on a circle, ordered by kind then name,
  an edge where two actors are named in the same paragraph.

Colours are given as presentation attributes, so the pictures read right
with any stylesheet, and a theme can still restyle them by class.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Callable, Iterable, Sequence

from ..content.dates import PartialDate, format_date
from ..i18n import short_month

MAX_MONTHS = 120  # beyond this span the axis counts years, not months

KIND_COLOURS = {"person": "#b45309", "organization": "#0b5394", "government": "#2e7d32", "other": "#6b21a8"}
BAR = "#0b5394"
YEAR_BAR = "#5f8cc0"  # a period known only to the year, drawn lighter than its months
MUTED = "#595959"
LINE = "#d6d6d6"


def _n(value: float) -> str:
    """A coordinate as written in the SVG: one decimal, no '-0.0'."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _e(text: str) -> str:
    return escape(text, quote=True)


# -- the time axis -----------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """One step of the time axis. ``key`` is the timeline's group key
    ('YYYY-MM', or 'YYYY' for the events known only to the year), so
    ``#m{key}`` is that period's place on the timeline."""

    key: str
    year: int
    month: int  # 0: the year as a whole
    label: str  # 'March 2024'
    year_only: bool = False  # on a monthly axis, the dates known only to the year
    short: str = ""  # the month's abbreviated name ('Mar'), for the axis's labels; '' for a year


def period_key(date: PartialDate, by_year: bool) -> str:
    if by_year or not date.month:
        return f"{date.year:04d}"
    return f"{date.year:04d}-{date.month:02d}"


def time_axis(dates: Iterable[PartialDate], language: str) -> tuple[list[Period], bool]:
    """The periods from the first date to the last, empty ones included, and
    whether they are years (a span over MAX_MONTHS months) or months.

    By month, a year that has dates known only to the year gets a period of
    its own just before its January, and the months run over every year that
    holds a date, so the gaps in the record show as gaps.
    """
    seen = {(d.year, d.month) for d in dates}  # a few hundred months however many dates
    if not seen:
        return [], False
    first = min((year, month or 1) for year, month in seen)
    last = max((year, month or 12) for year, month in seen)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span > MAX_MONTHS:
        years = range(first[0], last[0] + 1)
        return [Period(f"{y:04d}", y, 0, str(y)) for y in years], True
    year_only = {year for year, month in seen if not month}
    periods = []
    year, month = first
    while (year, month) <= last:
        if year in year_only and (month == 1 or (year, month) == first):
            periods.append(Period(f"{year:04d}", year, 0, str(year), year_only=True))
        label = format_date(PartialDate(f"{year:04d}-{month:02d}", year, month), language)
        periods.append(Period(f"{year:04d}-{month:02d}", year, month, label, short=short_month(month, language)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods, False


# -- bars: events per period ---------------------------------------------------

WIDE = 440  # width shared by the periods (each gets 3 to 40 units): fits a phone at 4/5 scale
LEFT = 30  # room for the scale on the left
TOP = 14
PLOT = 110  # height of the tallest bar
AXIS = 22  # room for the years under the bars
MONTHS_ROW = 12  # more room, for the months' labels above the years
MONTH_LABEL = 30  # room a month's label takes (at most five letters at font-size 10)


def _slot(periods: Sequence[Period], wide: float, most: float) -> float:
    return max(3.0, min(most, wide / max(len(periods), 1)))


def _year_ticks(periods: Sequence[Period], x0: float, slot: float, y: float, height: float) -> list[str]:
    """A line where each year starts, and the year's label where there is
    room: labels are placed from the last year back, and one that would run
    into the next label placed is left out (a year that begins late in the
    axis, or every other year of a long axis)."""
    starts = []
    for index, period in enumerate(periods):
        if not starts or period.year != starts[-1][1]:
            starts.append((x0 + index * slot, period.year))
    labelled = set()
    next_label = math.inf
    for x, year in reversed(starts):
        if next_label - x >= 30:
            labelled.add(year)
            next_label = x
    out = []
    for x, year in starts:
        out.append(f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x)}" y2="{_n(y + height)}" stroke="{LINE}"/>')
        if year in labelled:
            out.append(f'<text x="{_n(x + 2)}" y="{_n(y + height - 6)}" font-size="11" fill="{MUTED}">{year}</text>')
    return out


def _month_step(periods: Sequence[Period], slot: float) -> int:
    """Every how many months a month is labelled: the fewest that leave room
    for each label (every month, every other, each quarter, each half-year);
    0 on an axis by year, or one too long for even two labels a year."""
    if not any(p.short for p in periods):
        return 0
    return next((step for step in (1, 2, 3, 6) if slot * step >= MONTH_LABEL), 0)


def _month_labels(periods: Sequence[Period], x0: float, slot: float, y: float, step: int, right: float) -> list[str]:
    """The months' names under their bars, every ``step`` months (January,
    then April... with a step of 3), each centred on its bar, left out where
    it would run past the picture's right edge."""
    out = []
    for index, period in enumerate(periods):
        centre = x0 + (index + 0.5) * slot
        if period.short and (period.month - 1) % step == 0 and centre + MONTH_LABEL / 2 <= right:
            out.append(f'<text x="{_n(centre)}" y="{_n(y + 11)}" font-size="10" text-anchor="middle" '
                       f'fill="{MUTED}">{_e(period.short)}</text>')
    return out


def bar_chart(periods: Sequence[Period], counts: dict[str, int], hrefs: dict[str, str], *,
              chart_id: str, title: str, desc: str, describe: Callable[[Period, int], str]) -> str:
    """One bar per period, its height the period's count; each non-empty bar
    is a link (``hrefs[key]``) named by ``describe(period, count)``. Under
    the bars, the months' names where the span leaves room, then the years."""
    slot = _slot(periods, WIDE, 40)
    width = round(LEFT + len(periods) * slot + 8)
    step = _month_step(periods, slot)
    axis = AXIS + (MONTHS_ROW if step else 0)
    height = TOP + PLOT + axis
    top = max([counts.get(p.key, 0) for p in periods] + [1])
    base = TOP + PLOT
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-svg--bars" id="{_e(chart_id)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" '
           f'aria-labelledby="{_e(chart_id)}-title" aria-describedby="{_e(chart_id)}-desc">',
           f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
           f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
           '<g class="chart-axis" aria-hidden="true">',
           f'<line x1="{LEFT}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="{MUTED}"/>',
           f'<line x1="{LEFT}" y1="{TOP}" x2="{width - 8}" y2="{TOP}" stroke="{LINE}" stroke-dasharray="2 3"/>',
           f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="11" text-anchor="end" fill="{MUTED}">{top}</text>',
           f'<text x="{LEFT - 4}" y="{base + 4}" font-size="11" text-anchor="end" fill="{MUTED}">0</text>',
           *_year_ticks(periods, LEFT, slot, base, axis),
           '</g>']
    if step:
        out += ['<g class="chart-months" aria-hidden="true">',
                *_month_labels(periods, LEFT, slot, base, step, width), '</g>']
    out.append('<g class="chart-bars">')
    for index, period in enumerate(periods):
        count = counts.get(period.key, 0)
        if not count:
            continue
        x = LEFT + index * slot
        bar = PLOT * count / top
        name = describe(period, count)
        out.append(f'<a href="{_e(hrefs[period.key])}" aria-label="{_e(name)}"><title>{_e(name)}</title>'
                   f'<rect class="chart-hit" x="{_n(x)}" y="{TOP}" width="{_n(slot)}" height="{PLOT}" fill="transparent"/>'
                   f'<rect class="chart-bar{" chart-bar--year" if period.year_only else ""}" x="{_n(x + slot * 0.125)}" '
                   f'y="{_n(base - bar)}" width="{_n(slot * 0.75)}" height="{_n(bar)}" fill="{YEAR_BAR if period.year_only else BAR}"/></a>')
    out += ['</g>', '</svg>']
    return "\n".join(out)


# -- strip: when something appears -------------------------------------------------

@dataclass(frozen=True)
class StripRow:
    label: str
    counts: dict[str, int]  # period key -> count
    hrefs: dict[str, str]  # period key -> link, for every key with a count
    describe: Callable[[Period, int], str]
    css: str = ""


ROW = 22
LABEL = 82


def strip_chart(periods: Sequence[Period], rows: Sequence[StripRow], *, chart_id: str, title: str, desc: str) -> str:
    """One row per ``StripRow``, one cell per period; a cell with a count is
    a link, darker for larger counts."""
    slot = _slot(periods, WIDE - LABEL, 24)
    width = round(LABEL + len(periods) * slot + 4)
    height = len(rows) * ROW + AXIS
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-svg--strip" id="{_e(chart_id)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" '
           f'aria-labelledby="{_e(chart_id)}-title" aria-describedby="{_e(chart_id)}-desc">',
           f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
           f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
           '<g class="chart-axis" aria-hidden="true">', *_year_ticks(periods, LABEL, slot, 0, height), '</g>']
    for r, row in enumerate(rows):
        y = r * ROW + 3
        top = max(list(row.counts.values()) + [1])
        out.append(f'<g class="chart-row {_e(row.css)}">')
        out.append(f'<text x="0" y="{_n(y + 12)}" font-size="11" fill="{MUTED}" aria-hidden="true">{_e(row.label)}</text>')
        out.append(f'<rect x="{LABEL}" y="{_n(y)}" width="{_n(len(periods) * slot)}" height="{ROW - 6}" fill="#f1f1ef" aria-hidden="true"/>')
        for index, period in enumerate(periods):
            count = row.counts.get(period.key, 0)
            if not count:
                continue
            x = LABEL + index * slot
            opacity = 0.45 + 0.55 * count / top
            name = row.describe(period, count)
            out.append(f'<a href="{_e(row.hrefs[period.key])}" aria-label="{_e(name)}"><title>{_e(name)}</title>'
                       f'<rect class="chart-cell" x="{_n(x + slot * 0.1)}" y="{_n(y)}" width="{_n(slot * 0.8)}" height="{ROW - 6}" '
                       f'fill="{BAR}" fill-opacity="{opacity:.2f}"/></a>')
        out.append('</g>')
    out.append('</svg>')
    return "\n".join(out)


# -- network: actors named together -------------------------------------------------

def co_mentions(mentions: Iterable) -> dict[tuple[str, str], int]:
    """(actor a, actor b) with a < b -> the number of paragraphs, over all
    sources, in which both are mentioned. ``mentions`` have ``actor``,
    ``source`` and ``paragraph``."""
    paragraphs: dict[tuple[str, int], set[str]] = {}
    for m in mentions:
        paragraphs.setdefault((m.source, m.paragraph), set()).add(m.actor)
    weights: Counter = Counter()
    for actors in paragraphs.values():
        ordered = sorted(actors)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                weights[(a, b)] += 1
    return dict(sorted(weights.items()))


def strongest(edges: dict[tuple[str, str], int], counts: dict[str, int], names: dict[str, str],
              most_nodes: int, most_edges: int) -> dict[tuple[str, str], int]:
    """The part of a co-mention network a reader can take in: the pairs among
    the ``most_nodes`` most mentioned actors that are in a pair, then the
    ``most_edges`` heaviest of those pairs. Ties go to the name, so the
    choice does not depend on the order of the input. A corpus of thousands
    of sources names hundreds of actors in tens of thousands of pairs: drawn
    whole, the picture is a grey disc of ten megabytes."""
    linked = {a for pair in edges for a in pair}
    order = sorted(linked, key=lambda a: (-counts.get(a, 0), names[a].casefold(), a))
    kept = set(order[:most_nodes])
    pairs = [(pair, weight) for pair, weight in edges.items() if pair[0] in kept and pair[1] in kept]
    pairs.sort(key=lambda kv: (-kv[1], names[kv[0][0]].casefold(), names[kv[0][1]].casefold(), kv[0]))
    return dict(sorted(pairs[:most_edges]))


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str
    href: str
    size: int  # number of mentions: the dot's area
    label: str  # accessible name of the link


def circular_layout(nodes: Sequence[Node], kinds: Sequence[str]) -> tuple[float, dict[str, tuple[float, float, float]]]:
    """Radius and id -> (x, y, angle in degrees) around (0, 0), the first
    node at the top, then clockwise by kind (in ``kinds`` order), then by
    name; a free slot between kinds. Deterministic: no iteration, no seed."""
    order = sorted(nodes, key=lambda n: (kinds.index(n.kind) if n.kind in kinds else len(kinds), n.name.casefold(), n.id))
    slots: list[str | None] = []
    previous = None
    for node in order:
        if previous is not None and node.kind != previous:
            slots.append(None)
        slots.append(node.id)
        previous = node.kind
    if len({n.kind for n in order}) > 1:
        slots.append(None)
    count = max(len(slots), 1)
    radius = max(90.0, count * 22 / (2 * math.pi))
    places = {}
    for index, node_id in enumerate(slots):
        if node_id is None:
            continue
        angle = -90 + 360 * index / count
        rad = math.radians(angle)
        places[node_id] = (radius * math.cos(rad), radius * math.sin(rad), angle)
    return radius, places


def _lines(name: str, limit: int = 22) -> list[str]:
    """A long name on two lines, cut at the space nearest its middle."""
    if len(name) <= limit or " " not in name:
        return [name]
    middle = len(name) / 2
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: (abs(i - middle), i))
    return [name[:cut], name[cut + 1:]]


def _label(name: str, x: float) -> str:
    """The text of a node's label: the whole name (the accessible name holds
    it too), on one line or two lines around the label's anchor."""
    lines = _lines(name)
    if len(lines) == 1:
        return _e(name)
    return (f'<tspan x="{_n(x)}" dy="-0.55em">{_e(lines[0])} </tspan>'
            f'<tspan x="{_n(x)}" dy="1.1em">{_e(lines[1])}</tspan>')


def network_chart(nodes: Sequence[Node], edges: dict[tuple[str, str], int], *, chart_id: str, title: str, desc: str,
                  kinds: Sequence[str], kind_labels: dict[str, str]) -> str:
    """Nodes on a circle (see ``circular_layout``), each a link to its page;
    an edge per pair, its width growing with the weight."""
    radius, places = circular_layout(nodes, kinds)
    longest = max([len(line) for n in nodes for line in _lines(n.name)] + [4])
    margin = 14 + longest * 6.2
    legend = 22
    size = 2 * (radius + margin)
    cx = cy = size / 2
    height = size + legend
    biggest = max([n.size for n in nodes] + [1])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-svg--network" id="{_e(chart_id)}" '
           f'viewBox="0 0 {_n(size)} {_n(height)}" width="{_n(size)}" height="{_n(height)}" role="group" '
           f'aria-labelledby="{_e(chart_id)}-title" aria-describedby="{_e(chart_id)}-desc">',
           f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
           f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>']
    # legend: the kinds present, in order
    present = [k for k in kinds if any(n.kind == k for n in nodes)]
    out.append('<g class="chart-legend" aria-hidden="true">')
    x = 4.0
    for kind in present:
        out.append(f'<circle cx="{_n(x + 5)}" cy="11" r="5" fill="{KIND_COLOURS.get(kind, MUTED)}" class="kind-{_e(kind)}"/>')
        out.append(f'<text x="{_n(x + 14)}" y="15" font-size="11" fill="{MUTED}">{_e(kind_labels.get(kind, kind))}</text>')
        x += 24 + len(kind_labels.get(kind, kind)) * 6.5
    out.append('</g>')
    heaviest = max(list(edges.values()) + [1])
    out.append(f'<g class="chart-edges" aria-hidden="true" fill="none" stroke="{BAR}" stroke-linecap="round">')
    for (a, b), weight in sorted(edges.items()):
        if a not in places or b not in places:
            continue
        x1, y1, _ = places[a]
        x2, y2, _ = places[b]
        # a curve bent towards the centre keeps the chords apart from the dots
        qx, qy = (x1 + x2) * 0.25, (y1 + y2) * 0.25
        width = 0.8 + 4.2 * math.sqrt(weight / heaviest)
        opacity = 0.25 + 0.4 * weight / heaviest
        out.append(f'<path d="M{_n(cx + x1)} {_n(legend + cy + y1)}Q{_n(cx + qx)} {_n(legend + cy + qy)} '
                   f'{_n(cx + x2)} {_n(legend + cy + y2)}" stroke-width="{_n(width)}" stroke-opacity="{opacity:.2f}" '
                   f'data-a="{_e(a)}" data-b="{_e(b)}" data-weight="{weight}"/>')
    out.append('</g>')
    out.append('<g class="chart-nodes">')
    for node in sorted(nodes, key=lambda n: n.id):
        if node.id not in places:
            continue
        x, y, angle = places[node.id]
        r = 3 + 6 * math.sqrt(node.size / biggest)
        rad = math.radians(angle)
        lx, ly = cx + (radius + r + 4) * math.cos(rad), legend + cy + (radius + r + 4) * math.sin(rad)
        if math.cos(rad) >= -1e-9:
            rotate, anchor = angle, "start"
        else:
            rotate, anchor = angle + 180, "end"
        out.append(f'<a href="{_e(node.href)}" aria-label="{_e(node.label)}" class="chart-node kind-{_e(node.kind)}" '
                   f'data-actor="{_e(node.id)}"><title>{_e(node.label)}</title>'
                   f'<circle cx="{_n(cx + x)}" cy="{_n(legend + cy + y)}" r="{_n(r)}" fill="{KIND_COLOURS.get(node.kind, MUTED)}" '
                   f'stroke="#fff" stroke-width="1"/>'
                   f'<text x="{_n(lx)}" y="{_n(ly)}" font-size="11" dominant-baseline="middle" text-anchor="{anchor}" '
                   f'transform="rotate({_n(rotate)} {_n(lx)} {_n(ly)})">{_label(node.name, lx)}</text></a>')
    out += ['</g>', '</svg>']
    return "\n".join(out)
