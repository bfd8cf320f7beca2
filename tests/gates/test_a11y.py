"""Gate: accessibility of every page type, in Debian's Chromium.

- axe-core finds no WCAG 2.1 A/AA violation on any page of the small sites
  nor on the project's largest page of each type (closed ``<details>``
  opened first, so their content is checked too); none on one page of each
  type on a phone-sized screen in dark mode, nor on passages highlighted by
  their ``#fragment``;
- the Tab key reaches every visible link and control, in document order,
  starting with the skip link, each with a visible focus indicator;
- quoted text carries the ``lang`` of its source: the article text, the
  title, the evidence quotes and the passages on actor pages.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from .conftest import AXE_JS, require_tool

pytestmark = pytest.mark.a11y

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => d.open = true)"
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\n/g, ' '))}));
}"""


AXE_URL = "/__gate__/axe.min.js"  # answered by the test itself, never by the site


def new_context(browser, **options):
    """A browser context that can load axe-core from AXE_URL (cached by the
    browser, so injecting it costs little on each page)."""
    source = require_tool(AXE_JS, "axe-core (npm)").read_text(encoding="utf-8")
    ctx = browser.new_context(**options)
    ctx.route(f"**{AXE_URL}", lambda route: route.fulfill(body=source, content_type="text/javascript",
                                                          headers={"cache-control": "max-age=3600"}))
    return ctx


@pytest.fixture(scope="module")
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


def axe_violations(page) -> list[dict]:
    origin = page.evaluate("() => location.origin")
    page.add_script_tag(url=origin + AXE_URL)
    page.evaluate(OPEN_DETAILS)
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def describe(found: dict) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {n}" for n in v["nodes"])
    return "\n".join(lines)


def test_axe_finds_no_violation_on_any_page_type(built_sites, context):
    page = context.new_page()
    found = {}
    checked = 0
    for item in built_sites.sample():
        response = page.goto(item.url)
        assert response is not None and response.ok, item
        violations = axe_violations(page)
        checked += 1
        if violations:
            found[str(item)] = violations
    page.close()
    assert checked > 30
    assert not found, f"axe violations on {len(found)} of {checked} pages:\n" + describe(found)


@pytest.mark.parametrize("setting", ["phone-dark", "fragment-target"])
def test_axe_finds_no_violation_in_other_states(built_sites, browser, setting):
    """Small screens, dark mode and the highlight of a linked passage change
    colours and layout: each page type is checked in those states too."""
    options = {"viewport": {"width": 360, "height": 740}, "color_scheme": "dark"} if setting == "phone-dark" else {}
    ctx = new_context(browser, **options)
    page = ctx.new_page()
    found = {}
    targets = []
    if setting == "phone-dark":
        targets = [p.url for p in built_sites.representatives()]
    else:
        data = json.loads((built_sites.folder("fixture") / "data" / "events.json").read_text(encoding="utf-8"))
        local = [ev["url"] for event in data for ev in event["evidence"] if "source" in ev]
        notes = json.loads((built_sites.folder("fixture") / "data" / "sources.json").read_text(encoding="utf-8"))
        local += [n["url"] for s in notes for n in s.get("notes", [])]
        targets = local + [p.url + "#p-1" for p in built_sites.pages("fixture") if p.kind == "source"]
    assert targets
    for url in targets:
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            found[url.replace(built_sites.origin, "")] = violations
    ctx.close()
    assert not found, describe(found)


def test_axe_catches_a_violation(built_sites, context):
    """The gate can fail: an image without alt text and low-contrast text are reported."""
    page = context.new_page()
    page.goto(built_sites.representatives()[0].url)
    page.evaluate("""() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('beforeend', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        + '<p style="color:#bbb;background:#fff">faint</p>');
    }""")
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert {"image-alt", "color-contrast"} <= ids


# -- keyboard ------------------------------------------------------------------

FOCUSABLE = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const visible = el => {
    if (el.closest('[inert]')) return false;
    const closed = el.closest('details:not([open])');  // its content is hidden until opened
    if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) return false;
    if (!el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    if (el.disabled) return false;
    return el.getClientRects().length > 0;
  };
  const all = [...document.querySelectorAll(sel)].filter(visible);
  all.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  return all.length;
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const rect = el.getBoundingClientRect();
  const cls = el.getAttribute('class') || '';
  const kind = [el.tagName, cls, el.parentElement ? el.parentElement.tagName + '.' + (el.parentElement.getAttribute('class') || '') : '',
                el.closest('svg') ? 'svg' : '', el.getAttribute('aria-current') || ''].join('|');
  return {kb: el.getAttribute('data-kb'), tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 40), kind,
          indicator: outline || shadow, onscreen: rect.right > 0 && rect.bottom > 0 && rect.width > 0,
          tabindex: el.getAttribute('tabindex')};
}"""


# Each focus stop, and a None when focus leaves the document (past the last control).
RECORD = ("() => { window.__stops = []; document.addEventListener('focusin', () => window.__stops.push((" + ACTIVE + ")()));"
          " window.addEventListener('blur', () => window.__stops.push(null)); }")


def tab_through(page, count: int) -> tuple[dict | None, dict | None, list[dict]]:
    """``(focused on load, first Tab stop from load, stops)``: the stops are
    those Tab visits from the first control of the page to the end of the
    document. Focus is put on that first control by script, then Tab goes on
    from there: walking round past the end instead proved flaky (headless
    Chromium sometimes gives focus back to the top twice). The stops are
    recorded in the page as focus moves, so each Tab costs one round trip."""
    start = page.evaluate(ACTIVE)
    first = None
    if start is None:
        page.keyboard.press("Tab")
        first = page.evaluate(ACTIVE)
    page.focus('[data-kb="0"]')
    page.evaluate(RECORD)
    for _ in range(count):
        page.keyboard.press("Tab")
    stops: list[dict] = []
    for here in page.evaluate("() => window.__stops"):
        if here is None:
            break
        stops.append(here)
    return start, first, stops


def focus_shows(page, kb: str) -> bool:
    """Whether focusing the element changes what is on screen around it
    (for indicators other than an outline or a shadow, such as the fill of
    a chart's bar)."""
    element = page.locator(f'[data-kb="{kb}"]')
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    if not box:
        return False
    clip = {"x": max(0, box["x"] - 4), "y": max(0, box["y"] - 4), "width": box["width"] + 8, "height": box["height"] + 8}
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    before = page.screenshot(clip=clip)
    element.focus()
    after = page.screenshot(clip=clip)
    return before != after


def keyboard_problems(page, where: str, shows: dict[str, bool]) -> list[str]:
    """What is wrong with keyboard navigation on the loaded page."""
    problems = []
    if page.evaluate("() => document.scripts.length"):
        page.wait_for_load_state("networkidle")  # controls a script adds (the search box)
    count = page.evaluate(FOCUSABLE)
    start, first, stops = tab_through(page, count)
    skip = page.evaluate("() => { const e = document.querySelector('[data-kb=\"0\"]'); return e && e.classList.contains('skip-link'); }")
    if not skip:
        problems.append(f"{where}: the first link of the page is not the skip link")
    if start is None and (first is None or first["kb"] != "0"):
        problems.append(f"{where}: the first Tab from the top does not reach the first link: {first}")
    order = [s["kb"] for s in stops]
    if None in order:
        problems.append(f"{where}: Tab reached elements that are not links or controls: "
                        f"{[s for s in stops if s['kb'] is None][:3]}")
    expected = [str(i) for i in range(1, count)]
    if order != expected:
        missing = sorted(set(expected) - set(o for o in order if o), key=int)
        problems.append(f"{where}: Tab order differs from document order ({len(order)} stops, {count} controls; "
                        f"first missing: {missing[:5]}; order starts {order[:12]})")
    unseen = []
    for stop in stops:
        if not stop["onscreen"]:
            unseen.append(stop)
        elif not stop["indicator"]:
            # Elements of one kind share their focus style: look at one of each kind.
            if stop["kind"] not in shows:
                shows[stop["kind"]] = focus_shows(page, stop["kb"])
            if not shows[stop["kind"]]:
                unseen.append(stop)
    if unseen:
        problems.append(f"{where}: focus not visible on {len(unseen)} stops, e.g. {unseen[:3]}")
    if page.evaluate("() => [...document.querySelectorAll('[tabindex]')].some(e => e.tabIndex > 0)"):
        problems.append(f"{where}: a positive tabindex changes the order")
    return problems


def test_keyboard_reaches_every_control_in_order(built_sites, context):
    """Tab reaches every visible link and control once, in document order;
    the first control of every page is the skip link, which the first Tab
    reaches (unless the page focuses a control on load, as the search page
    does with its box); focus is always visible."""
    page = context.new_page()
    problems: list[str] = []
    shows: dict[str, bool] = {}  # kind of element -> focusing it changes the screen
    # fixture-fr has the fixture's layout; its walk would repeat the fixture's.
    for item in [p for p in built_sites.representatives() if p.site != "fixture-fr"]:
        page.goto(item.url)
        problems += keyboard_problems(page, str(item), shows)
    page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("breakage,expected", [
    ("document.querySelector('.nav a').setAttribute('tabindex', '-1')", "Tab order differs"),
    ("[...document.querySelectorAll('a')].pop().setAttribute('tabindex', '3')", "positive tabindex"),
    ("document.querySelector('.skip-link').remove()", "not the skip link"),
])
def test_keyboard_check_catches_a_broken_order(built_sites, context, breakage, expected):
    """The gate can fail: a link left out of the order, one moved first by
    tabindex, a page without its skip link."""
    page = context.new_page()
    page.goto(f"{built_sites.origin}/sparse/")
    page.evaluate(f"() => {{ {breakage}; }}")
    problems = keyboard_problems(page, "sparse", {})
    page.close()
    assert any(expected in p for p in problems), problems


def test_skip_link_moves_focus_to_main(built_sites, context):
    page = context.new_page()
    for item in [p for p in built_sites.representatives() if p.site in ("fixture", "sparse")]:
        page.goto(item.url)
        page.focus(".skip-link")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main", item
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('main') || !document.querySelector('main a[href], main summary')")
        assert inside, f"{item}: Tab after the skip link does not continue inside main"
    page.close()


def test_focus_check_sees_a_hidden_focus(built_sites, context):
    """The gate can fail: a link whose focus is styled away is caught."""
    page = context.new_page()
    page.goto(f"{built_sites.origin}/sparse/")
    page.add_style_tag(content="a:focus, a:focus-visible { outline: none !important; }")
    count = page.evaluate(FOCUSABLE)
    start, first, stops = tab_through(page, count)
    assert start is None and stops
    hidden = {s["text"] for s in stops if not s["indicator"] and not focus_shows(page, s["kb"])}
    page.close()
    assert {"Home", "Timeline", "Actors", "Sources"} <= hidden


def test_keyboard_opens_evidence_and_reaches_its_links(built_sites, context):
    page = context.new_page()
    page.goto(f"{built_sites.origin}/fixture/timeline/")
    summary = page.locator("details.evidence-list summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.evidence-list").first.evaluate("d => d.open")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('evidence-link')")
    page.close()


# -- language of quoted text ----------------------------------------------------

class _LangTree(HTMLParser):
    """Records each element with the lang in force on it and the classes of
    its ancestors (and its own)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, frozenset]] = []
        self.found: list[tuple[str, dict, str, frozenset]] = []  # (tag, attrs, lang in force, classes around)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang", self.stack[-1][1] if self.stack else "")
        around = (self.stack[-1][2] if self.stack else frozenset()) | frozenset((attrs.get("class") or "").split())
        self.found.append((tag, attrs, lang, around))
        if tag not in self.VOID:
            self.stack.append((tag, lang, around))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def lang_tree(path) -> list[tuple[str, dict, str]]:
    parser = _LangTree()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def classes(attrs: dict) -> set[str]:
    return set((attrs.get("class") or "").split())


@pytest.mark.parametrize("site", ["project", "fixture", "fixture-fr"])
def test_quoted_text_carries_the_language_of_its_source(built_sites, site):
    folder = built_sites.folder(site)
    sources = {s["slug"]: s for s in json.loads((folder / "data" / "sources.json").read_text(encoding="utf-8"))}
    interface = "fr" if site == "fixture-fr" else "en"
    excerpts = site == "fixture-fr"
    languages = {s["language"] for s in sources.values()}
    checked = 0
    for slug, source in sources.items():
        tree = lang_tree(folder / "sources" / slug / "index.html")
        assert tree[0][0] == "html" and tree[0][2] == interface
        paragraphs = [(attrs, lang) for tag, attrs, lang, _ in tree if "para" in classes(attrs)]
        langs = {lang for _, lang in paragraphs}
        assert langs <= {source["language"]}, slug
        if not excerpts:  # publish_text: excerpts shows the cited paragraphs only
            assert len(paragraphs) == source["paragraphs"] and langs == {source["language"]}, slug
        titles = [lang for tag, attrs, lang, _ in tree if tag == "h1"]
        assert titles == [source["language"]], slug
        checked += len(paragraphs)
    # Evidence quotes on the timeline and passages on actor pages: the quoting source's language.
    events = json.loads((folder / "data" / "events.json").read_text(encoding="utf-8"))
    quote_langs = [sources[ev["source"]]["language"] for e in events for ev in e["evidence"] if "source" in ev]
    tree = lang_tree(folder / "timeline" / "index.html")
    assert [lang for tag, attrs, lang, _ in tree if tag == "blockquote"] == quote_langs
    actors = json.loads((folder / "data" / "actors.json").read_text(encoding="utf-8"))
    for actor in actors:
        # every passage: on the actor's page, or on its numbered passages pages when they do not all fit there
        pages = sorted((folder / "actors" / actor["id"] / "passages").glob("*/index.html")) or [
            folder / "actors" / actor["id"] / "index.html"]
        expected = sorted(lang for slug, n in actor["mentions"].items() for lang in [sources[slug]["language"]] * n)
        found = sorted(lang for page in pages for tag, attrs, lang, around in lang_tree(page)
                       if tag == "mark" and "passages" in around)  # each mention, in the passage holding it
        if excerpts:  # only the mentions inside published passages are shown
            assert set(found) <= set(expected), actor["id"]
        else:
            assert found == expected, actor["id"]
    assert checked > 0
    if site != "project":
        assert len(languages) > 1, "the fixture quotes sources in two languages"
