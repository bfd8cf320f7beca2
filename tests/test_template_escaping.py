"""The theme's environment writes ``{{ value }}`` through its own compiler
(render/templating.py, ``_CodeGenerator``): the same text as Jinja's
``escape`` without a ``Markup`` object per value. It relies on a method of
Jinja's code generator, so an upgrade of Jinja could change what it does:
this compares it, value by value and construct by construct, with a plain
autoescaping Jinja environment, and checks that hostile text is escaped."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from generator.render.templating import Renderer


class HasHtml:
    def __html__(self) -> str:
        return "<b>own html</b>"


class Plain:
    def __str__(self) -> str:
        return '<i title="x">&</i>'


VALUES = ["", "plain", "<script>alert('x')</script>", 'a "b" & c', "é ’ \u2028 \x00", Markup("<em>safe</em>"),
          Markup("a &amp; b"), 0, 3.5, None, True, HasHtml(), Plain(), ["<li>"], {"k": "<v>"}]

TEMPLATES = [
    "{{ v }}",
    "<p title=\"{{ v }}\">{{ v }}|{{ v ~ '<' }}|{{ v if v else '<none>' }}</p>",
    "{% for x in [v, v] %}[{{ x }}]{% endfor %}",
    "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(v) }}{{ m(v) | length }}",
    "{% set s %}{{ v }}&{% endset %}{{ s }}{{ s | upper }}",
    "{{ v | string }}{{ v | e }}{{ v | safe }}",
    "{% autoescape false %}{{ v }}{% endautoescape %}{{ v }}",
    "{% filter upper %}{{ v }}<{% endfilter %}",
]


@pytest.fixture(scope="module")
def environments(tmp_path_factory):
    ours = Renderer(tmp_path_factory.mktemp("site") / "templates").env
    theirs = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                trim_blocks=True, lstrip_blocks=True)
    return ours, theirs


@pytest.mark.parametrize("source", TEMPLATES)
def test_our_compiler_writes_what_jinja_writes(environments, source):
    ours, theirs = environments
    for value in VALUES:
        expected = theirs.from_string(source).render(v=value)
        assert ours.from_string(source).render(v=value) == expected, (source, value)


def test_hostile_text_is_escaped(environments):
    ours, _ = environments
    made = ours.from_string('<p title="{{ v }}">{{ v }}</p>').render(v="\"><script>alert(1)</script>&")
    assert "<script>" not in made
    assert made == '<p title="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;</p>'
