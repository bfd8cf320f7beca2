"""Insert an item into a YAML list, as text, every other byte left as it was.

A person's YAML has comments, a layout and quoting of its own, which a
parse and re-dump would lose; so the item is written as text at the place
the parser's marks point to: after the list's last item (block style, at the
column of its ``-``), before its closing bracket (flow style), or as a new
key after the mapping's last value. The result is not trusted: ``edit``
parses the file before and after and compares the data.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .snippet import Item, block, flow


class EditRefused(ValueError):
    """The file cannot be changed as asked; the message says why."""


def compose(text: str, start: int = 0, end: int | None = None) -> Node | None:
    """The node tree of ``text[start:end]``; its marks count from ``start``."""
    try:
        return yaml.compose(text[start:end], Loader=yaml.SafeLoader)  # the pure-Python parser: exact marks
    except yaml.YAMLError as exc:
        raise EditRefused(f"the file does not parse as YAML ({str(exc).splitlines()[0]}): fix it first") from None


def newline_of(text: str) -> str:
    """The file's line break: the first one it has (LF for a file without)."""
    for index, char in enumerate(text):
        if char == "\n":
            return "\r\n" if index and text[index - 1] == "\r" else "\n"
        if char == "\r" and text[index + 1:index + 2] != "\n":
            return "\r"
    return "\n"


def append_to_list(text: str, base: int, node: SequenceNode, item: Item, newline: str) -> tuple[str, str]:
    """``text`` with ``item`` appended to the list ``node`` (composed from
    ``text[base:]``), and the text inserted."""
    if node.flow_style:
        if node.value:
            at, inserted = base + node.value[-1].end_mark.index, ", " + flow(item)
        else:
            at, inserted = base + node.end_mark.index - 1, flow(item)
        if text[at:at + 1] not in (",", "]", " ", "\n", "\r") and not node.value:
            raise EditRefused("the list is written in a way the preview cannot extend")
        return text[:at] + inserted + text[at:], inserted
    inserted = block(item, node.start_mark.column, newline)
    return _insert_line(text, _line_end(text, base + node_end(node), newline), inserted, newline)


def append_to_key(text: str, base: int, mapping: MappingNode, key: str, item: Item, newline: str) -> tuple[str, str]:
    """``item`` appended to the list under ``key`` of ``mapping``; the key is
    added (after the mapping's last value) when it is missing or empty."""
    for key_node, value in mapping.value:
        if not (isinstance(key_node, ScalarNode) and key_node.value == key):
            continue
        if isinstance(value, SequenceNode):
            return append_to_list(text, base, value, item, newline)
        if isinstance(value, ScalarNode) and value.tag.endswith(":null") and not value.style:
            start, end = base + value.start_mark.index, base + value.end_mark.index
            text = text[:start] + text[end:]  # "~" or "null" goes; "key:" stays
            inserted = block(item, key_node.start_mark.column + 2, newline)
            return _insert_line(text, _line_end(text, base + key_node.end_mark.index, newline), inserted, newline)
        raise EditRefused(f"'{key}' is not a list here: fix it first")
    if mapping.flow_style:
        at = base + (mapping.value[-1][1].end_mark.index if mapping.value else mapping.end_mark.index - 1)
        inserted = f"{', ' if mapping.value else ''}{key}: [{flow(item)}]"
        return text[:at] + inserted + text[at:], inserted
    column = mapping.start_mark.column
    inserted = " " * column + f"{key}:" + newline + block(item, column + 2, newline)
    return _insert_line(text, _line_end(text, base + node_end(mapping), newline), inserted, newline)


def node_end(node: Node) -> int:
    """Where the node's own text ends (its last value's, for a block
    collection, whose own end mark lies past the comments that follow it)."""
    if isinstance(node, (SequenceNode, MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return node_end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark.index


def _line_end(text: str, index: int, newline: str) -> int:
    """The start of the line after the one ``index`` is on (a block
    scalar's end is already there)."""
    if index > 0 and text[index - 1] == newline[-1]:
        return index
    found = text.find(newline[-1], index)
    return len(text) if found < 0 else found + 1


def _insert_line(text: str, at: int, inserted: str, newline: str) -> tuple[str, str]:
    if at == len(text) and text and not text.endswith(newline[-1]):
        inserted = newline + inserted
    return text[:at] + inserted + text[at:], inserted
