"""Format 1.1's closed-vocabulary fields and authors, read through a
``FieldReader``: an evidence item's ``stance``, an actor's ``status``, a
source's ``author``.

A wrong word in a closed list must not pass silently, nor be hard to fix:
the message names the allowed values and the nearest one.
"""

from __future__ import annotations

from difflib import get_close_matches

from .model import Author
from .schema import FieldReader, as_written
from .schema import _kind as kind_of
from .yamlio import YList, YMap


def choice(reader: FieldReader, data: YMap, key: str, allowed: tuple[str, ...], what: str) -> tuple[str | None, bool]:
    """(the value of ``key``, or None when absent, and whether it was valid).
    ``what``: the field as the message names it ("evidence stance")."""
    value = reader.string(data, key)
    if value is None:
        return None, key not in data or data[key] is None
    word = value.strip()
    if word in allowed:
        return word, True
    hint = get_close_matches(word.lower(), allowed, n=1, cutoff=0.5)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    reader.error(data.line_of(key), f"{what} must be {_one_of(allowed)}, got {word!r}{suggestion}")
    return None, False


def _one_of(allowed: tuple[str, ...]) -> str:
    return repr(allowed[0]) if len(allowed) == 1 else "one of " + ", ".join(allowed)


def authors(reader: FieldReader, data: YMap, key: str = "author", what: str = "author") -> tuple[Author, ...]:
    """``author``: a person's name, ``{organization: Name}``, or a list of either."""
    if key not in data or data[key] is None:
        return ()
    value = data[key]
    if isinstance(value, YList):
        return tuple(a for index in range(len(value))
                     if (a := _author(reader, value, index, value.line_of(index), what)) is not None)
    one = _author(reader, data, key, data.line_of(key), what)
    return (one,) if one is not None else ()


def _author(reader: FieldReader, container, key, line: int, what: str) -> Author | None:
    item = container[key]
    if isinstance(item, YMap):
        reader.keys(item, ("organization",), ("organization",), what=what)
        name = reader.string(item, "organization", required=True)
        return Author(" ".join(name.split()), "organization") if name is not None else None
    name = as_written(container, key)
    if not isinstance(name, str) or not name.strip():
        reader.error(line, f"{what} must be a person's name or a mapping 'organization: Name', got {kind_of(name)}")
        return None
    return Author(" ".join(name.split()), "person")
