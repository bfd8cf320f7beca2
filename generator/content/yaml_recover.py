"""A list file with a syntax error, read item by item.

``actors.yaml`` and ``events.yaml`` are lists whose items start at column 0
(``- id: ...``). One bad indent used to make the whole file unreadable, so
every other problem in it stayed hidden until that one was fixed (and every
event naming an actor was told "unknown actor id"). When the whole file
does not parse, each top-level item is parsed on its own: the items that
parse are checked as usual, the others are reported (each syntax error
once) and listed as ``lost`` so that what names them is not told they do
not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .yamlio import YamlError, YList, load

_ITEM_START = re.compile(r"-(?:[ \t]|$)")
_ID = re.compile(r"^-?[ \t]*id:[ \t]*['\"]?([^'\"#\s]+)", re.MULTILINE)


@dataclass(frozen=True)
class Recovered:
    """The items that parsed, as one list; the lost items' text; the syntax
    errors of lost items other than the one the whole file reported."""

    tree: YList
    lost: tuple[str, ...]
    other_errors: tuple[YamlError, ...]


def read_items(text: str, whole_error: YamlError) -> Recovered | None:
    """The items of a top-level list parsed one by one; None when ``text``
    is not laid out as such a list (then nothing in it can be trusted)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _ITEM_START.match(line)]
    if not starts or any(_content(line) for line in lines[: starts[0]]):
        return None
    tree = YList()
    tree.line, tree.item_lines, tree.written_items = starts[0] + 1, [], {}
    lost, others = [], []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        chunk = "\n".join(lines[start:end])
        try:
            part = load(chunk, first_line=start + 1)
        except YamlError as exc:
            lost.append(chunk)
            if not start < (whole_error.line or 0) <= end and "undefined alias" not in exc.message:
                others.append(exc)  # an alias to an anchor in another item is no error of its own
            continue
        if not isinstance(part, YList) or len(part) != 1:
            lost.append(chunk)
            continue
        if part.written(0) is not None:
            tree.written_items[len(tree)] = part.written(0)
        tree.append(part[0])
        tree.item_lines.append(part.line_of(0))
    return Recovered(tree, tuple(lost), tuple(others))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#") and stripped not in ("---", "%YAML 1.1", "%YAML 1.2")


def ids_in(chunks: tuple[str, ...]) -> tuple[set[str], bool]:
    """The ids written in lost items, and whether every lost item showed one."""
    found, all_found = set(), True
    for chunk in chunks:
        match = _ID.search(chunk)
        if match is None:
            all_found = False
        else:
            found.add(match.group(1))
    return found, all_found


_SEED = re.compile(r"^seed:[ \t]*(['\"]?)(?P<name>[^'\"#\n]+?)\1[ \t]*(?:#.*)?$", re.MULTILINE)


def seed_written_in(text: str) -> str | None:
    """The ``seed:`` an annotation whose front matter does not parse names,
    read from its text: its seed is then not also published as a seed
    without annotation (a warning, and a page, the writer never asked for)."""
    match = _SEED.search(text.split("\n---", 1)[0])
    return match.group("name") if match else None
