"""What a view gives the kinds: one page to render.

Its own module so that the views split over several modules
(``views``, ``pictures``, ``actor_views``) and the kinds all name the one
type without importing each other in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Output:
    """One page to render: its site path, template and context."""

    target: str  # site path, e.g. 'sources/x/'
    template: str
    context: dict = field(hash=False)
