"""Safe YAML loading that keeps line numbers.

Every message must point at the line of the problem, so mappings and lists
come back as ``YMap`` / ``YList``: ordinary dicts and lists that also carry
the line of each key or item. Only the safe YAML types are constructed;
custom tags, duplicate keys and alias bombs are reported, never executed.
"""

from __future__ import annotations

import yaml

try:  # The C parser is several times faster; the constructor stays Python.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# First characters for which SafeLoader tries its implicit types (bool, int,
# float, null, timestamp, merge, value); a plain scalar starting with any
# other character is a string, which is what ``resolve`` would decide after
# finding no resolver for that character.
_RESOLVED_FIRST = frozenset(k for k in _BaseLoader.yaml_implicit_resolvers if k)


class _Loader(_BaseLoader):
    """SafeLoader whose tag resolution skips straight to ``str`` for the
    common plain scalar: the same answer, without a Python-level search
    through the resolvers for each of the tens of thousands of scalars of
    a large events.yaml."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and _SHORTCUT:
            if not implicit[0] or (value and value[0] not in _RESOLVED_FIRST):
                return STR_TAG
        return super().resolve(kind, value, implicit)


# Only sound when nothing else can decide a tag: no resolver for every first
# character, no path resolvers.
_SHORTCUT = None not in _BaseLoader.yaml_implicit_resolvers and not _BaseLoader.yaml_path_resolvers

MAX_NODES = 200_000  # far beyond any real annotation; stops "billion laughs"


class YMap(dict):
    """A mapping with ``line`` (its first line) and ``key_lines``."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):
    """A list with ``line`` and ``item_lines``."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


def load(text: str, first_line: int = 1):
    """Parse one YAML document; line numbers start at ``first_line``.

    Raises ``YamlError`` with the line of the problem.
    """
    offset = first_line - 1
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 + offset if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            raise YamlError(line, f"invalid YAML: {problem}") from None
        except yaml.YAMLError as exc:
            raise YamlError(first_line, f"invalid YAML: {exc}") from None
        except RecursionError:
            raise YamlError(first_line, "invalid YAML: nested too deeply") from None
        if node is None:
            return None
        budget = [MAX_NODES]
        try:
            return _build(loader, node, offset, budget)
        except RecursionError:
            raise YamlError(node.start_mark.line + 1 + offset, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def _build(loader, node, offset: int, budget: list):
    """Nodes -> YMap / YList / values. Written for speed: a large events.yaml
    has tens of thousands of nodes, most of them plain string scalars."""
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlError(node.start_mark.line + 1 + offset, "YAML document too large (check its aliases)")
    kind = node.__class__
    if kind is _Scalar and node.tag == STR_TAG:
        return node.value  # what construct_yaml_str returns, without its machinery
    line = node.start_mark.line + 1 + offset
    if kind is _Mapping:
        if node.tag != MAP_TAG:
            raise YamlError(line, f"unsupported YAML tag {node.tag!r}")
        result = YMap()
        result.line = line
        result.key_lines = key_lines = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if key_node.__class__ is _Scalar and key_node.tag == STR_TAG:
                budget[0] -= 1
                key = key_node.value
            else:
                key = _build(loader, key_node, offset, budget)
                if isinstance(key, (dict, list)):
                    raise YamlError(key_line, "a mapping key must be a plain value")
            if key in result:
                raise YamlError(key_line, f"duplicate key {key!r}")
            value_class = value_node.__class__
            if value_class is _Scalar and value_node.tag == STR_TAG:
                budget[0] -= 1
                result[key] = value_node.value
            else:
                result[key] = _build(loader, value_node, offset, budget)
            key_lines[key] = key_line
        return result
    if kind is _Sequence:
        if node.tag != SEQ_TAG:
            raise YamlError(line, f"unsupported YAML tag {node.tag!r}")
        result = YList()
        result.line = line
        result.item_lines = lines = []
        for item in node.value:
            result.append(_build(loader, item, offset, budget))
            lines.append(item.start_mark.line + 1 + offset)
        return result
    if node.tag == TIMESTAMP_TAG:
        try:
            return loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            return node.value  # an impossible date: let the date rules name it
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(line, f"invalid YAML value: {problem}") from None
    except (ValueError, OverflowError) as exc:
        raise YamlError(line, f"invalid YAML value: {exc}") from None


_Scalar, _Mapping, _Sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


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
