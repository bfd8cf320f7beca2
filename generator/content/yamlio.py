"""Safe YAML loading that keeps line numbers.

Every message must point at the line of the problem, so mappings and lists
come back as ``YMap`` / ``YList``: ordinary dicts and lists that also carry
the line of each key or item. Only the safe YAML types are constructed;
custom tags, duplicate keys and alias bombs are reported, never executed.

YAML 1.1 turns plain words into other things: ``10:30`` into 630, ``no``
into False, ``0x1F`` into 31, ``.nan`` into a float. Where the format wants
text (a title, an id, a tag), that text must be the one written, so each
mapping and list also keeps, beside such a value, the scalar as it stands in
the file (``written``); numbers, booleans and dates stay resolved for the
fields that want them. Mapping keys are always names: a plain key is kept
as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import yaml

from .yaml_hints import syntax_hints

try:  # The C parser is several times faster; the constructor stays Python.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# Values built from a document: 200,000 more than it has characters. Without
# aliases a document cannot hold more values than characters (each takes one
# at least), so only aliases can use up the margin: "billion laughs" is
# stopped, and an events file of 40,000 events (a million values) is not.
MAX_NODES = 200_000
MAX_DEPTH = 64  # nesting levels; real files use four or five


class YMap(dict):
    """A mapping with ``line`` (its first line) and ``key_lines``."""

    line: int = 0
    key_lines: dict
    written_values: dict  # key -> the plain scalar as written, where YAML made it a non-string

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def written(self, key) -> str | None:
        """The value of ``key`` as written, if YAML resolved a plain scalar
        to something other than text (a number, a boolean, a date, null)."""
        return self.written_values.get(key)


class YList(list):
    """A list with ``line`` and ``item_lines``."""

    line: int = 0
    item_lines: list
    written_items: dict  # index -> the plain scalar as written, where YAML made it a non-string

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line

    def written(self, index: int) -> str | None:
        """Item ``index`` as written (see ``YMap.written``)."""
        return self.written_items.get(index)


class YamlError(Exception):
    """``details``: continuation lines (the usual fix), see ``yaml_hints``."""

    def __init__(self, line: int | None, message: str, details: tuple[str, ...] = ()):
        self.line = line
        self.message = message
        self.details = details
        super().__init__(message)


class _Lines:
    """Line numbers as editors count them: by "\\n" only.

    YAML also breaks lines at U+0085, U+2028 and U+2029, so its own marks
    count more lines than the file shows (an error could point past the end
    of the file); lines are counted here from the mark's character index.
    """

    def __init__(self, text: str, first_line: int):
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.first = first_line

    def of(self, mark) -> int:
        return self.first + bisect_left(self.breaks, mark.index)


def load(text: str, first_line: int = 1):
    """Parse one YAML document; line numbers start at ``first_line``.

    Raises ``YamlError`` with the line of the problem.
    """
    lines = _Lines(text, first_line)
    try:
        _check_depth(text, lines)
    except YamlError as exc:
        raise _with_hints(exc, text, first_line) from None
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _with_hints(_syntax_error(exc, lines), text, first_line) from None
        except RecursionError:
            raise YamlError(first_line, "invalid YAML: nested too deeply") from None
        if node is None:
            return None
        budget = [MAX_NODES + len(text)]
        try:
            return _build(loader, node, lines, budget)
        except RecursionError:
            raise YamlError(lines.of(node.start_mark), "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def _with_hints(error: YamlError, text: str, first_line: int) -> YamlError:
    if error.message.startswith("invalid YAML: ") and "nested" not in error.message:
        error.details = syntax_hints(text, error.line, first_line)
    return error


def _syntax_error(exc: yaml.YAMLError, lines: _Lines) -> YamlError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        return YamlError(lines.of(mark) if mark else lines.first, f"invalid YAML: {problem}")
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, e.g. a control character
        at = type("Mark", (), {"index": exc.position})
        return YamlError(lines.of(at), f"invalid YAML: character U+{exc.character:04X} is not allowed ({exc.reason})")
    return YamlError(lines.first, f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


def _check_depth(text: str, lines: _Lines) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing the document.

    libyaml parses with heap stacks, but PyYAML's C composer recurses on the
    C stack once per level: a file of 50,000 '[' crashed the interpreter
    (a segmentation fault, not an exception). The event stream is flat, so
    counting levels on it is safe at any depth.
    """
    loader = _Loader(text)
    depth = 0
    try:
        while True:
            try:
                event = loader.get_event()
            except yaml.YAMLError as exc:
                raise _syntax_error(exc, lines) from None
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(lines.of(event.start_mark), f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _build(loader, node, lines: _Lines, budget: list):
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlError(lines.of(node.start_mark), "YAML document too large (check its aliases)")
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node, lines)
    line = lines.of(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        if node.tag != MAP_TAG:
            raise YamlError(line, f"unsupported YAML tag {node.tag!r}")
        result = YMap()
        result.line = line
        result.key_lines = {}
        result.written_values = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, lines, budget)
            key_line = lines.of(key_node.start_mark)
            if isinstance(key, (dict, list)):
                raise YamlError(key_line, "a mapping key must be a plain value")
            written = _written(loader, key_node, key)
            if written is not None:
                key = written  # a key is a name: 'no:' is the key 'no', not False
            if key in result:
                raise YamlError(key_line, f"duplicate key {key!r}")
            value = result[key] = _build(loader, value_node, lines, budget)
            result.key_lines[key] = key_line
            written = _written(loader, value_node, value)
            if written is not None:
                result.written_values[key] = written
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != SEQ_TAG:
            raise YamlError(line, f"unsupported YAML tag {node.tag!r}")
        result = YList()
        result.line = line
        result.item_lines = []
        result.written_items = {}
        for item in node.value:
            value = _build(loader, item, lines, budget)
            written = _written(loader, item, value)
            if written is not None:
                result.written_items[len(result)] = written
            result.append(value)
            result.item_lines.append(lines.of(item.start_mark))
        return result
    raise YamlError(line, f"unsupported YAML node {type(node).__name__}")  # pragma: no cover - the composer's kinds


def _scalar(loader, node: yaml.ScalarNode, lines: _Lines):
    """A scalar's value. Text, most values, is the node's own: what the
    constructor gives, without its bookkeeping; a line is found only for a message."""
    if node.tag == STR_TAG:
        return node.value
    if node.tag == TIMESTAMP_TAG:
        try:
            return loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            return node.value  # an impossible date: let the date rules name it
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(lines.of(node.start_mark), f"invalid YAML value: {problem}") from None
    except (ValueError, OverflowError) as exc:
        raise YamlError(lines.of(node.start_mark), f"invalid YAML value: {exc}") from None


def _written(loader, node, value) -> str | None:
    """The text of a plain scalar that YAML resolved to a non-string, as it
    stands in the file; None for anything else. An explicit tag that changed
    the type (``!!binary aGVsbG8=``, ``!!float 1``) gives None: the value was
    asked for as such, and a text field refuses it rather than guess."""
    if isinstance(value, str) or not isinstance(node, yaml.ScalarNode) or node.style:
        return None
    if loader.resolve(yaml.ScalarNode, node.value, (True, False)) != node.tag:
        return None
    return node.value


def split_front_matter(text: str):
    """Split ``---`` front matter from a Markdown file.

    Returns ``(yaml_text, body, body_first_line)``; ``yaml_text`` is None when
    the file has no front matter. The YAML starts on line 2 of the file.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise YamlError(1, "front matter opened with '---' is never closed")
