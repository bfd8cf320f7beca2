"""charts.py: the time axis, co-mention weights, the circular layout and the
SVG each picture gives (parsed as XML, links and text alternatives checked)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from generator.render import charts
from generator.content.dates import parse_date

SVG = "{http://www.w3.org/2000/svg}"


def keys(periods):
    return [p.key for p in periods]


def dates(*written):
    return [parse_date(w) for w in written]


def test_axis_runs_month_by_month_from_first_to_last_date_gaps_included():
    periods, by_year = charts.time_axis(dates("2023-11-05", "~2024-02", "2023-12"), "en")
    assert not by_year
    assert keys(periods) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert [p.label for p in periods] == ["November 2023", "December 2023", "January 2024", "February 2024"]


def test_axis_gives_a_year_known_only_to_the_year_its_own_period_and_its_months():
    periods, _ = charts.time_axis(dates("2024-11", "2025"), "en")
    assert keys(periods)[:4] == ["2024-11", "2024-12", "2025", "2025-01"]
    assert [p.year_only for p in periods[:4]] == [False, False, True, False]
    assert keys(periods)[-1] == "2025-12"
    assert charts.period_key(parse_date("2025"), False) == "2025"
    assert charts.period_key(parse_date("~2025-03-02"), False) == "2025-03"


def test_axis_in_french_and_empty():
    periods, _ = charts.time_axis(dates("2024-02"), "fr")
    assert [p.label for p in periods] == ["février 2024"]
    assert charts.time_axis([], "en") == ([], False)


def test_a_long_span_is_counted_in_years():
    periods, by_year = charts.time_axis(dates("1990-05", "2024-01"), "en")
    assert by_year
    assert keys(periods) == [str(y) for y in range(1990, 2025)]
    assert not any(p.year_only for p in periods)  # every period is a year: none is set apart
    assert charts.period_key(parse_date("2001-07-04"), True) == "2001"


@dataclass
class M:
    actor: str
    source: str
    paragraph: int


def test_co_mentions_count_paragraphs_not_mentions():
    mentions = [M("a", "s", 1), M("b", "s", 1), M("a", "s", 1),  # a twice in one paragraph: still one
                M("b", "s", 2), M("a", "s", 2), M("c", "s", 2),
                M("c", "t", 2),  # alone in its paragraph of another source
                M("a", "t", 1), M("c", "t", 1)]
    assert charts.co_mentions(mentions) == {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1}


def test_a_large_network_keeps_the_strongest_pairs_among_the_most_mentioned_actors():
    names = {a: a.upper() for a in "abcdef"}
    counts = {"a": 9, "b": 8, "c": 7, "d": 7, "e": 1, "f": 5}
    edges = {("a", "b"): 1, ("a", "c"): 5, ("b", "c"): 5, ("c", "d"): 2, ("a", "e"): 9, ("d", "f"): 3}
    # the four most mentioned of the linked actors: a, b, c, d (c and d tie on
    # mentions, the name decides); e's heavy pair is left out with e
    assert charts.strongest(edges, counts, names, 4, 10) == {("a", "b"): 1, ("a", "c"): 5, ("b", "c"): 5, ("c", "d"): 2}
    # then the heaviest pairs, ties by name
    assert charts.strongest(edges, counts, names, 4, 2) == {("a", "c"): 5, ("b", "c"): 5}
    assert charts.strongest(edges, counts, names, 4, 3) == {("a", "c"): 5, ("b", "c"): 5, ("c", "d"): 2}
    # small enough: the network whole
    assert charts.strongest(edges, counts, names, 60, 200) == edges
    assert charts.strongest(dict(reversed(edges.items())), counts, names, 4, 2) == {("a", "c"): 5, ("b", "c"): 5}


def test_a_large_network_says_on_the_actor_index_how_much_of_it_is_drawn(full_site, tmp_path, monkeypatch):
    from generator import build
    from generator.render import pictures as views
    build.build(full_site / "site.yaml", tmp_path / "whole", cache=False, jobs=1)
    page = (tmp_path / "whole" / "actors" / "index.html").read_text()
    assert page.count('<path d="M') >= 2 and "Shown:" not in page
    monkeypatch.setattr(views, "NETWORK_NODES", 2)
    monkeypatch.setattr(views, "NETWORK_EDGES", 1)
    build.build(full_site / "site.yaml", tmp_path / "part", cache=False, jobs=1)
    page = (tmp_path / "part" / "actors" / "index.html").read_text()
    assert page.count('<path d="M') == 1
    assert "Shown: the 1 strongest pairs among the 2 most mentioned of" in page


def test_circular_layout_orders_by_kind_then_name_and_is_repeatable():
    nodes = [charts.Node("z", "Zeta", "person", "/z/", 1, "Zeta"),
             charts.Node("o", "Org", "organization", "/o/", 1, "Org"),
             charts.Node("a", "alpha", "person", "/a/", 1, "alpha")]
    radius, places = charts.circular_layout(nodes, ("person", "organization"))
    # 'alpha' first, at the top; then Zeta; a free slot; then the organization
    assert math.isclose(places["a"][2], -90)
    assert places["a"][2] < places["z"][2] < places["o"][2]
    step = places["z"][2] - places["a"][2]
    assert math.isclose(places["o"][2] - places["z"][2], 2 * step)
    for x, y, _ in places.values():
        assert math.isclose(math.hypot(x, y), radius)
    assert charts.circular_layout(list(reversed(nodes)), ("person", "organization")) == (radius, places)


def parse_svg(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == SVG + "svg"
    return root


def accessible(root: ET.Element) -> None:
    """A title and a description, pointed to by aria attributes."""
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(SVG + "a"))


def test_bar_chart_links_each_non_empty_period_with_a_name():
    periods, _ = charts.time_axis(dates("2024-01", "2024-03"), "en")
    counts = {"2024-01": 2, "2024-03": 1}
    hrefs = {k: f"/repo/timeline/#m{k}" for k in counts}
    svg = charts.bar_chart(periods, counts, hrefs, chart_id="overview", title="Events <per> month", desc="Desc & more",
                           describe=lambda p, n: f"{p.label}: {n}")
    root = parse_svg(svg)  # well-formed: the title's markup characters are escaped
    accessible(root)
    assert root.find(SVG + "title").text == "Events <per> month"
    found = links(root)
    assert [a.get("href") for a in found] == ["/repo/timeline/#m2024-01", "/repo/timeline/#m2024-03"]
    assert [a.get("aria-label") for a in found] == ["January 2024: 2", "March 2024: 1"]
    assert [a.find(SVG + "title").text for a in found] == ["January 2024: 2", "March 2024: 1"]
    bars = [r for r in root.iter(SVG + "rect") if r.get("class", "").startswith("chart-bar")]
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == 2 * heights[1]  # the height is the count
    assert charts.bar_chart(periods, counts, hrefs, chart_id="overview", title="Events <per> month",
                            desc="Desc & more", describe=lambda p, n: f"{p.label}: {n}") == svg


def test_strip_chart_has_a_row_per_series_and_links_only_cells_with_counts():
    periods, _ = charts.time_axis(dates("2024-01", "2024-04"), "en")
    rows = [charts.StripRow("Events", {"2024-02": 1}, {"2024-02": "/repo/actors/x/#e1"}, lambda p, n: f"{p.label} e{n}"),
            charts.StripRow("Sources", {"2024-01": 2, "2024-04": 1},
                            {"2024-01": "/repo/actors/x/#src-a", "2024-04": "/repo/actors/x/#src-b"},
                            lambda p, n: f"{p.label} s{n}")]
    root = parse_svg(charts.strip_chart(periods, rows, chart_id="appearances", title="When X appears", desc="d"))
    accessible(root)
    assert [(a.get("href"), a.get("aria-label")) for a in links(root)] == [
        ("/repo/actors/x/#e1", "February 2024 e1"),
        ("/repo/actors/x/#src-a", "January 2024 s2"), ("/repo/actors/x/#src-b", "April 2024 s1")]


def test_network_chart_nodes_link_to_actors_and_edges_carry_weights():
    nodes = [charts.Node("a", "Ana <A>", "person", "/repo/actors/a/", 4, "Ana <A> (4 mentions)"),
             charts.Node("b", "Blue", "organization", "/repo/actors/b/", 1, "Blue (1 mention)"),
             charts.Node("c", "Council", "government", "/repo/actors/c/", 2, "Council (2 mentions)")]
    edges = {("a", "b"): 3, ("a", "c"): 1}
    svg = charts.network_chart(nodes, edges, chart_id="network", title="Together", desc="d",
                               kinds=("person", "organization", "government", "other"),
                               kind_labels={"person": "People", "organization": "Organizations",
                                            "government": "Governments", "other": "Others"})
    root = parse_svg(svg)
    accessible(root)
    found = {a.get("data-actor"): a for a in links(root)}
    assert {k: a.get("href") for k, a in found.items()} == {"a": "/repo/actors/a/", "b": "/repo/actors/b/",
                                                          "c": "/repo/actors/c/"}
    assert found["a"].get("aria-label") == "Ana <A> (4 mentions)"
    assert "".join(found["a"].itertext()).endswith("Ana <A>")
    paths = {(p.get("data-a"), p.get("data-b")): p for p in root.iter(SVG + "path")}
    assert set(paths) == {("a", "b"), ("a", "c")}
    assert float(paths[("a", "b")].get("stroke-width")) > float(paths[("a", "c")].get("stroke-width"))
    assert paths[("a", "b")].get("data-weight") == "3"
    legend = "".join(root.find(f"{SVG}g[@class='chart-legend']").itertext())
    assert "People" in legend and "Others" not in legend  # only the kinds present


def test_a_year_starting_too_close_to_the_next_loses_its_label_not_its_line():
    periods, _ = charts.time_axis(dates("2023-12", "2025-06"), "en")
    root = parse_svg(charts.bar_chart(periods, {"2023-12": 1}, {"2023-12": "/t/#m2023-12"}, chart_id="o",
                                      title="t", desc="d", describe=lambda p, n: p.label))
    axis = root.find(f"{SVG}g[@class='chart-axis']")
    labels = [t.text for t in axis.iter(SVG + "text") if t.text and len(t.text) == 4]
    assert labels == ["2024", "2025"]
    assert len(list(axis.iter(SVG + "line"))) == 2 + 3  # base line, top line, one per year


# -- in a built site ------------------------------------------------------------------

def build_site(tmp_path, files):
    from tests.conftest import run_cli, write_site
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "www" / "repo"
    run_cli("build", "--config", str(site / "site.yaml"), "--out", str(out), check=True)
    return out


def svg_links(html: str, chart_id: str) -> list[str]:
    import re
    svg = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert svg, chart_id
    return re.findall(r'<a href="([^"]+)"', svg.group(0))


def test_a_long_timeline_is_drawn_by_year_and_links_to_the_years(tmp_path):
    events = ("- id: old\n  date: 1990-05\n  title: Old\n  evidence:\n    - url: https://example.org/a\n      title: A\n"
              "- id: first\n  date: 2024-01\n  title: First event\n  actors: [alice]\n  evidence:\n"
              "    - source: one\n      quote: mentions Alice\n")
    out = build_site(tmp_path, {"content/events.yaml": events})
    timeline = (out / "timeline" / "index.html").read_text()
    assert "Events per year" in timeline
    assert svg_links(timeline, "overview") == ["/repo/timeline/#y1990", "/repo/timeline/#y2024"]
    assert 'id="y1990"' in timeline and 'id="y2024"' in timeline
    actor = (out / "actors" / "alice" / "index.html").read_text()
    # Alice's event and the source naming her (2024-01-02) fall in 2024
    assert svg_links(actor, "appearances") == ["/repo/actors/alice/#first", "/repo/actors/alice/#src-one"]


def test_a_site_without_events_or_pairs_has_no_empty_pictures(tmp_path):
    out = build_site(tmp_path, {"content/events.yaml": "[]\n"})
    for page in ("index.html", "timeline/index.html"):
        assert 'id="overview"' not in (out / page).read_text()
    actors = (out / "actors" / "index.html").read_text()
    assert "<svg" not in actors and "No two actors are named in the same paragraph yet." in actors
    actor = (out / "actors" / "alice" / "index.html").read_text()
    assert svg_links(actor, "appearances") == ["/repo/actors/alice/#src-one"]  # the source still dates her


def test_a_long_actor_name_is_written_whole_on_two_lines():
    nodes = [charts.Node("t", "Taiwan Semiconductor Manufacturing Company", "organization", "/t/", 1, "TSMC (1 mention)"),
             charts.Node("b", "Blue", "organization", "/b/", 1, "Blue (1 mention)")]
    root = parse_svg(charts.network_chart(nodes, {("b", "t"): 1}, chart_id="n", title="t", desc="d",
                                          kinds=("organization",), kind_labels={"organization": "Organizations"}))
    label = next(a for a in links(root) if a.get("data-actor") == "t").find(SVG + "text")
    assert [s.text for s in label.iter(SVG + "tspan")] == ["Taiwan Semiconductor ", "Manufacturing Company"]
    assert " ".join("".join(label.itertext()).split()) == "Taiwan Semiconductor Manufacturing Company"


def test_a_long_axis_labels_years_evenly_where_they_fit_ending_with_the_last():
    periods, by_year = charts.time_axis(dates("2000", "2024"), "en")
    assert by_year
    rows = [charts.StripRow("Events", {"2010": 1}, {"2010": "/x/"}, lambda p, n: p.label)]
    root = parse_svg(charts.strip_chart(periods, rows, chart_id="s", title="t", desc="d"))
    axis = root.find(f"{SVG}g[@class='chart-axis']")
    labels = [t.text for t in axis.iter(SVG + "text")]
    assert labels[-1] == "2024" and len(labels) > 5
    steps = {int(b) - int(a) for a, b in zip(labels, labels[1:])}
    assert len(steps) == 1 and steps != {1}  # every k-th year, k > 1: a year is 14 units wide here
    xs = [float(t.get("x")) for t in axis.iter(SVG + "text")]
    assert all(30 <= b - a < 60 for a, b in zip(xs, xs[1:]))  # apart, and no room left for one more


def _month_labels(svg: str) -> list[str]:
    months = parse_svg(svg).find(f"{SVG}g[@class='chart-months']")
    return [] if months is None else [t.text for t in months.iter(SVG + "text")]


def test_the_overview_names_the_months_where_the_span_leaves_room():
    def chart(*written, language="en"):
        periods, _ = charts.time_axis(dates(*written), language)
        return charts.bar_chart(periods, {}, {}, chart_id="o", title="t", desc="d", describe=lambda p, n: p.label)

    assert _month_labels(chart("2024-01", "2024-06")) == ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    assert _month_labels(chart("2024-01", "2024-06", language="fr")) == ["janv.", "févr.", "mars", "avr.", "mai", "juin"]
    assert _month_labels(chart("2022-01", "2024-12")) == ["Jan", "Apr", "Jul", "Oct"] * 3  # 36 months: each quarter
    assert _month_labels(chart("2020-01", "2024-12")) == ["Jan", "Jul"] * 5  # 60 months: each half-year
    assert _month_labels(chart("1990", "2024")) == []  # by year: the years only
    svg = parse_svg(chart("2024-01", "2024-06"))
    assert float(svg.get("height")) == charts.TOP + charts.PLOT + charts.AXIS + charts.MONTHS_ROW
