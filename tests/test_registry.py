"""The output registry (generator/kinds/) is the one list of what a site writes."""

from generator.render.kinds import registry
from generator.content.pages import RESERVED_PAGES
from generator.render.views import CARD_FIELDS, NOT_ON_CARD
from generator.content.model import Source
from dataclasses import fields


def test_reserved_page_slugs_come_from_the_registry():
    # content/pages.RESERVED_PAGES stays a list of its own (content/ imports nothing of render/): held equal here.
    assert set(registry.reserved_slugs()) == set(RESERVED_PAGES)


def test_every_source_field_is_on_the_card_unless_declared_otherwise():
    assert set(CARD_FIELDS) | set(NOT_ON_CARD) == {f.name for f in fields(Source)}
